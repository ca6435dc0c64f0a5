//! Small helpers shared by the DJG settings rules.

/// Values that stand for "fill me in" rather than a real credential: template markers,
/// `changeme`-style words, runs of one character.
pub fn placeholder(s: &str) -> bool {
    let t = s.trim();
    let lower = t.to_ascii_lowercase();
    if t.is_empty() || t.starts_with(['<', '{', '$', '%']) {
        return true;
    }
    let mut chars = t.chars();
    let first = chars.next();
    if chars.all(|c| Some(c) == first) {
        return true;
    }
    [
        "changeme",
        "change_me",
        "change-me",
        "placeholder",
        "your-",
        "your_",
        "replace",
        "example",
        "dummy",
        "notasecret",
        "todo",
    ]
    .iter()
    .any(|w| lower.contains(w))
}

#[cfg(test)]
mod tests {
    use super::placeholder;

    #[test]
    fn placeholders() {
        for p in [
            "",
            "<password>",
            "${DB_PASSWORD}",
            "changeme",
            "your-api-key",
            "xxxxxxxx",
            "REPLACE_ME",
        ] {
            assert!(placeholder(p), "{p}");
        }
        for s in ["s3cr3t-pw", "hunter22", "AKIAIOSFODNN7EXAMPLF"] {
            assert!(!placeholder(s), "{s}");
        }
    }
}
