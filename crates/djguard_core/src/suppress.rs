//! Inline suppressions on the line of a finding: `# djguard: ignore[ID, ID]`,
//! `# djguard: ignore` (every rule on the line), Bandit's `# nosec`, and the review markers
//! projects already wrote for Ruff: `# noqa: S311` (flake8-bandit codes) and `# noqa: DJ007`
//! (flake8-django codes) silence the djguard rule that reports the same problem
//! ([`NOQA_CODES`]). A bare `# noqa` is not honoured: it silences style warnings as often as
//! security ones, so it says nothing about a security review.

/// Ruff's codes (flake8-bandit `S`, flake8-django `DJ`) and the djguard rules that report the
/// same problem. A `# noqa:` naming the code on a finding's line suppresses these rules. The
/// README's suppression table is this list.
pub const NOQA_CODES: &[(&str, &[&str])] = &[
    ("S102", &["DJG107"]),                     // exec-builtin
    ("S105", &["DJG002", "DJG016", "DJG118"]), // hardcoded-password-string
    ("S106", &["DJG016", "DJG118"]),           // hardcoded-password-func-arg
    ("S107", &["DJG118"]),                     // hardcoded-password-default
    ("S301", &["DJG108"]),                     // suspicious-pickle-usage
    ("S302", &["DJG108"]),                     // suspicious-marshal-usage
    ("S303", &["DJG113"]),                     // suspicious-insecure-hash-usage
    ("S307", &["DJG107"]),                     // suspicious-eval-usage
    ("S308", &["DJG102"]),                     // suspicious-mark-safe-usage
    ("S310", &["DJG109"]),                     // suspicious-url-open-usage
    ("S311", &["DJG111"]),                     // suspicious-non-cryptographic-random-usage
    ("S323", &["DJG117"]),                     // suspicious-unverified-context-usage
    ("S324", &["DJG113"]),                     // hashlib-insecure-hash-function
    ("S501", &["DJG117"]),                     // request-with-no-cert-validation
    ("S506", &["DJG108"]),                     // unsafe-yaml-load
    ("S602", &["DJG106"]),                     // subprocess-popen-with-shell-equals-true
    ("S604", &["DJG106"]),                     // call-with-shell-equals-true
    ("S605", &["DJG106"]),                     // start-process-with-a-shell
    ("S608", &["DJG101"]),                     // hardcoded-sql-expression
    ("S610", &["DJG101"]),                     // django-extra
    ("S611", &["DJG101"]),                     // django-raw-sql
    ("S701", &["DJG209"]),                     // jinja2-autoescape-false
    ("S704", &["DJG102"]),                     // unsafe-markup-use
    ("DJ007", &["DJG115"]),                    // django-all-with-model-form
    ("DJ006", &["DJG115"]),                    // django-exclude-with-model-form
];

/// Whether a `# noqa: CODE, CODE` in `comment` names a Ruff code that maps to `rule`.
fn noqa_suppresses(comment: &str, rule: &str) -> bool {
    let mut rest = comment;
    while let Some(pos) = rest.to_ascii_lowercase().find("noqa") {
        let after = rest[pos + 4..].trim_start();
        rest = &rest[pos + 4..];
        let Some(list) = after.strip_prefix(':') else {
            continue;
        };
        // Codes are separated by commas and/or spaces; the list ends at the first word that is
        // not a code (or at the next `#`).
        let list = list.split('#').next().unwrap_or("");
        for code in list
            .split(|c: char| c == ',' || c.is_whitespace())
            .filter(|c| !c.is_empty())
        {
            let is_code = code.len() > 1
                && code.starts_with(|c: char| c.is_ascii_uppercase())
                && code.ends_with(|c: char| c.is_ascii_digit());
            if !is_code {
                break;
            }
            if NOQA_CODES
                .iter()
                .any(|(c, rules)| *c == code && rules.iter().any(|r| r.eq_ignore_ascii_case(rule)))
            {
                return true;
            }
        }
    }
    false
}

/// Whether the comment part of `line` suppresses `rule`.
pub fn suppressed(line: &str, rule: &str) -> bool {
    let Some(hash) = line.find('#') else {
        return false;
    };
    let comment = &line[hash..];
    if comment.contains("nosec") {
        return true;
    }
    if noqa_suppresses(comment, rule) {
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

    #[test]
    fn ruff_review_markers() {
        assert!(suppressed(
            "x = random.randint(1, 9)  # noqa: S311",
            "DJG111"
        ));
        assert!(suppressed(
            "x = random.randint(1, 9)  # noqa:S311",
            "DJG111"
        ));
        assert!(suppressed(
            "x = random.random()  # noqa: E501, S311",
            "DJG111"
        ));
        assert!(suppressed(
            "x = random.random()  # noqa: E501 S311 why",
            "DJG111"
        ));
        assert!(suppressed("fields = '__all__'  # noqa: DJ007", "DJG115"));
        assert!(suppressed("PASSWORD = 'x'  # NOQA: S105", "DJG118"));
        // Another problem's code, a bare noqa, or a code after the list has ended.
        assert!(!suppressed("x = random.random()  # noqa: S311", "DJG101"));
        assert!(!suppressed("x = eval(s)  # noqa", "DJG107"));
        assert!(!suppressed(
            "x = eval(s)  # noqa: E501 because S307",
            "DJG107"
        ));
        assert!(!suppressed("x = eval(s)  # noqa: S3", "DJG107"));
    }
}
