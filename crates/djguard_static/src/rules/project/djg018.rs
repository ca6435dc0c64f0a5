//! # DJG018: Secrets in a dotenv or local settings file that git does not ignore
//!
//! ## What it does
//! Fires on each secret-looking entry (a name with SECRET, PASSWORD, TOKEN, API_KEY, PRIVATE_KEY
//! or ACCESS_KEY, or a database/cache URL with a password) in a `.env` or `.env.*` file that the
//! scan finds, which means `.gitignore` does not exclude it. Example files
//! (`.env.example`, `.env.sample`, `.env.template`, `.env.dist`) and placeholder values are left
//! alone. The same holds for local settings modules (`local_settings.py`, `settings_local.py`,
//! `local.py` inside a settings package): a secret-looking setting assigned a literal there is
//! reported where it is written, unless the module lives in a tree that is not a deployment
//! (tests, CI, documentation builds, examples, project scaffolds; see DJG002's settings choice).
//!
//! ## Why is this bad?
//! A dotenv file is where real credentials live on a developer's or server's disk. When the
//! repository does not ignore it, `git add .` commits it, and from then on the secrets travel
//! with every clone, fork and backup, long after the file is deleted again.
//!
//! ## Example
//! ```text
//! # .env (not in .gitignore)
//! DJANGO_SECRET_KEY=9s8d7f6g5h4j3k2l1qwertyuiopasdfghjklzxcvbnm0123456789
//! DATABASE_URL=postgres://shop:s3cr3t@db:5432/shop
//! ```
//!
//! ## Fix
//! Add `.env` and `.env.*` (but not the example file) to `.gitignore`, remove the file from the
//! index with `git rm --cached .env`, and rotate every secret it held. Commit a `.env.example`
//! with placeholder values instead.
//!
//! ## References
//! - OWASP Secrets Management Cheat Sheet
//! - git documentation: gitignore
//! - CWE-540: Inclusion of Sensitive Information in Source Code

use crate::finding::Severity;
use crate::rules::RuleMeta;

pub static META: RuleMeta = RuleMeta {
    id: "DJG018",
    title: "Secrets in a dotenv or local settings file that git does not ignore",
    severity: Severity::High,
    cwe: Some(540),
    groups: &["settings"],
};

const HINTS: &[&str] = &[
    "SECRET",
    "PASSWORD",
    "PASSWD",
    "TOKEN",
    "API_KEY",
    "APIKEY",
    "PRIVATE_KEY",
    "ACCESS_KEY",
];

/// Whether a Python file is a local settings module (machine-specific, meant to stay private).
pub fn is_local_settings(rel: &str) -> bool {
    let mut parts = rel.rsplit('/');
    let name = parts.next().unwrap_or(rel);
    let parent = parts.next().unwrap_or("");
    matches!(name, "local_settings.py" | "settings_local.py")
        || (name == "local.py" && parent.contains("settings"))
}

/// Whether a setting name says it holds a secret.
pub fn secret_name(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    HINTS.iter().any(|h| upper.contains(h))
}

/// Whether a project file is a dotenv file meant to hold real values.
pub fn is_dotenv(rel: &str) -> bool {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    (name == ".env" || name.starts_with(".env."))
        && !["example", "sample", "template", "dist", "defaults"]
            .iter()
            .any(|s| name.ends_with(s))
}

/// The 1-based lines and names of secret entries in a dotenv text.
pub fn secret_lines(text: &str) -> Vec<(u32, String)> {
    let mut out = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim_start();
        let line = line.strip_prefix("export ").unwrap_or(line);
        if line.starts_with('#') {
            continue;
        }
        let Some((key, value)) = line.split_once('=') else {
            continue;
        };
        let key = key.trim();
        let value = value.trim().trim_matches(|c| c == '"' || c == '\'');
        let secret_name = HINTS.iter().any(|h| key.to_ascii_uppercase().contains(h));
        let url_password = value
            .split_once("://")
            .and_then(|(_, rest)| rest.split('/').next()?.rsplit_once('@'))
            .is_some_and(|(cred, _)| {
                cred.split_once(':')
                    .is_some_and(|(_, pw)| !pw.is_empty() && !super::support::placeholder(pw))
            });
        let real_value = value.chars().count() >= 6 && !super::support::placeholder(value);
        if (secret_name && real_value) || url_password {
            out.push((u32::try_from(i + 1).unwrap_or(u32::MAX), key.to_string()));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_secret_entries() {
        let text = "DEBUG=1\nDJANGO_SECRET_KEY=abcdef123456\nDB_PASSWORD=changeme\n# API_TOKEN=zzzzzzzzz\nDATABASE_URL=postgres://u:pw12345@db/x\nAPI_TOKEN=\n";
        assert_eq!(
            secret_lines(text),
            vec![
                (2, "DJANGO_SECRET_KEY".to_string()),
                (5, "DATABASE_URL".to_string())
            ]
        );
        assert!(is_dotenv(".env") && is_dotenv("deploy/.env.production"));
        assert!(!is_dotenv(".env.example") && !is_dotenv("env.py"));
    }
}
