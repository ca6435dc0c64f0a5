//! Inline suppressions on the line of a finding: `# djguard: ignore[ID, ID]`,
//! `# djguard: ignore` (every rule on the line) and Bandit's `# nosec`.

/// Whether the comment part of `line` suppresses `rule`.
pub fn suppressed(line: &str, rule: &str) -> bool {
    let Some(hash) = line.find('#') else {
        return false;
    };
    let comment = &line[hash..];
    if comment.contains("nosec") {
        return true;
    }
    let mut rest = comment;
    while let Some(pos) = rest.find("djguard:") {
        let after = rest[pos + "djguard:".len()..].trim_start();
        if let Some(tail) = after.strip_prefix("ignore") {
            let tail = tail.trim_start();
            match tail.strip_prefix('[') {
                Some(list) => {
                    let list = list.split(']').next().unwrap_or("");
                    if list
                        .split(',')
                        .any(|id| id.trim().eq_ignore_ascii_case(rule))
                    {
                        return true;
                    }
                }
                None => return true,
            }
        }
        rest = &rest[pos + 1..];
    }
    false
}

#[cfg(test)]
mod tests {
    use super::suppressed;

    #[test]
    fn forms() {
        assert!(suppressed(
            "DEBUG = True  # djguard: ignore[security.W018]",
            "security.W018"
        ));
        assert!(suppressed(
            "DEBUG = True  # djguard: ignore[DJG001, security.W018]",
            "security.W018"
        ));
        assert!(!suppressed(
            "DEBUG = True  # djguard: ignore[security.W004]",
            "security.W018"
        ));
        assert!(suppressed(
            "DEBUG = True  # djguard: ignore",
            "security.W018"
        ));
        assert!(suppressed("x = 1  # nosec", "DJG101"));
        assert!(!suppressed("x = 1  # see djguard docs", "DJG101"));
        assert!(!suppressed("DEBUG = True", "security.W018"));
    }
}
