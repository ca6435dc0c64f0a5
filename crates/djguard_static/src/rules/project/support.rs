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

/// Well-known credential formats, recognised by shape whatever the setting is called.
pub fn token_kind(v: &str) -> Option<&'static str> {
    let alnum = |s: &str| s.chars().all(|c| c.is_ascii_alphanumeric());
    let tail = |prefix: &str, min: usize| {
        v.strip_prefix(prefix).is_some_and(|t| {
            t.len() >= min
                && t.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        })
    };
    if (v.starts_with("AKIA") || v.starts_with("ASIA"))
        && v.len() == 20
        && v.chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
    {
        return Some("an AWS access key id");
    }
    if ["ghp_", "gho_", "ghs_", "ghu_", "ghr_", "github_pat_"]
        .iter()
        .any(|p| tail(p, 20))
    {
        return Some("a GitHub token");
    }
    if ["xoxb-", "xoxp-", "xoxa-", "xoxr-", "xoxs-"]
        .iter()
        .any(|p| tail(p, 10))
    {
        return Some("a Slack token");
    }
    if ["sk_live_", "rk_live_"].iter().any(|p| tail(p, 16)) {
        return Some("a live Stripe secret key");
    }
    if v.starts_with("AIza") && v.len() == 39 {
        return Some("a Google API key");
    }
    if let Some(rest) = v.strip_prefix("SG.")
        && let Some((a, b)) = rest.split_once('.')
        && a.len() >= 16
        && b.len() >= 30
        && alnum(&a.replace(['-', '_'], ""))
    {
        return Some("a SendGrid API key");
    }
    if v.contains("-----BEGIN") && v.contains("PRIVATE KEY-----") && pem_body(v) >= 24 {
        return Some("a PEM private key");
    }
    None
}

/// How many base64 characters a PEM block holds (a placeholder such as `...` holds none).
fn pem_body(v: &str) -> usize {
    v.lines()
        .filter(|l| !l.contains("-----"))
        .flat_map(str::chars)
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '='))
        .count()
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
