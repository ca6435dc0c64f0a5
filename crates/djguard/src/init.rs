//! `djguard init`: write a commented configuration for a project — a `[tool.djguard]` section
//! appended to `pyproject.toml` (the file's own text is kept byte for byte), or a
//! `djguard.toml` — naming the settings modules djguard found, and optionally a baseline of
//! today's findings so a team gates only new ones.

use std::path::{Path, PathBuf};

use djguard_core::report::SettingsReport;

/// The baseline file `init --baseline` writes, beside the configuration.
pub const BASELINE: &str = "djguard-baseline.json";

#[derive(Debug, thiserror::Error)]
pub enum InitError {
    #[error("{0} already has a [tool.djguard] section; edit it there")]
    SectionExists(String),
    #[error("{0} already exists; edit it there")]
    FileExists(String),
    #[error("{path} is not valid TOML ({message}); fix it first, or use --djguard-toml")]
    BadToml { path: String, message: String },
    #[error("cannot read {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("cannot write {path}: {source}")]
    Write {
        path: String,
        source: std::io::Error,
    },
}

/// Where the configuration goes: `pyproject.toml` when the project has one (unless the
/// caller asks for `djguard.toml`), else `djguard.toml`; the bool says pyproject.
pub fn target(root: &Path, djguard_toml: bool) -> (PathBuf, bool) {
    let py = root.join("pyproject.toml");
    if !djguard_toml && py.is_file() {
        (py, true)
    } else {
        (root.join("djguard.toml"), false)
    }
}

/// The configuration text: the settings modules found, the baseline when there is one, and
/// the other keys commented out with what they do.
pub fn section(settings: &[SettingsReport], baseline: bool, pyproject: bool) -> String {
    let mut out = String::new();
    if pyproject {
        out.push_str("[tool.djguard]\n");
    }
    out.push_str("# Written by `djguard init`; every key is described in djguard's README (Configuration).\n");
    if settings.is_empty() {
        out.push_str(
            "# No settings module was found from manage.py, wsgi.py or asgi.py: name yours.\n",
        );
        out.push_str("# settings = [\"mysite.settings.production\"]\n");
    } else {
        out.push_str(
            "# The settings modules to evaluate (found from manage.py, wsgi.py and asgi.py; a\n",
        );
        out.push_str("# deployment module is judged with the deployment checks).\n");
        let names: Vec<String> = settings.iter().map(|s| toml_string(&s.module)).collect();
        out.push_str(&format!("settings = [{}]\n", names.join(", ")));
    }
    if baseline {
        out.push_str(
            "# Findings recorded here when djguard was adopted are not reported; refresh it with\n",
        );
        out.push_str(&format!("# `djguard check --write-baseline {BASELINE}`.\n"));
        out.push_str(&format!("baseline = \"{BASELINE}\"\n"));
    } else {
        out.push_str(&format!(
            "# Report only findings that are not in a baseline (`djguard init --baseline` or\n# `djguard check --write-baseline {BASELINE}`):\n# baseline = \"{BASELINE}\"\n"
        ));
    }
    out.push_str(
        "# Exit 1 only for findings at or above this severity (default: low, i.e. any):\n",
    );
    out.push_str("# fail-on = \"high\"\n");
    out.push_str("# Rules to skip or to add, by id or prefix (`djguard rules` lists them):\n");
    out.push_str("# ignore = [\"DJG007\"]\n");
    out.push_str("# extend-select = []\n");
    out.push_str("# Folders and files not to audit (gitignore syntax):\n");
    out.push_str("# exclude = [\"docs/\", \"scripts/\"]\n");
    out.push_str("# Judge against this Django release (default: the version the project pins):\n");
    out.push_str("# django-version = \"5.2\"\n");
    out
}

/// Whether the configuration can go to `path`: a pyproject.toml that parses and has no
/// `[tool.djguard]` yet (its text is returned), or a djguard.toml that does not exist yet.
pub fn prepare(path: &Path, pyproject: bool) -> Result<Option<String>, InitError> {
    let shown = path.display().to_string();
    if !pyproject {
        if path.exists() {
            return Err(InitError::FileExists(shown));
        }
        return Ok(None);
    }
    let existing = std::fs::read_to_string(path).map_err(|source| InitError::Read {
        path: shown.clone(),
        source,
    })?;
    let doc: toml::Table = existing
        .parse()
        .map_err(|e: toml::de::Error| InitError::BadToml {
            path: shown.clone(),
            message: e.message().to_string(),
        })?;
    if doc
        .get("tool")
        .and_then(|t| t.as_table())
        .is_some_and(|t| t.contains_key("djguard"))
    {
        return Err(InitError::SectionExists(shown));
    }
    Ok(Some(existing))
}

/// Write `text` at `path`: after the existing pyproject.toml text `prepare` returned (kept as
/// it was), or as a new djguard.toml.
pub fn write(path: &Path, existing: Option<String>, text: &str) -> Result<(), InitError> {
    let mut out = existing.unwrap_or_default();
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
    if !out.is_empty() {
        out.push('\n');
    }
    out.push_str(text);
    std::fs::write(path, out).map_err(|source| InitError::Write {
        path: path.display().to_string(),
        source,
    })
}

/// A TOML basic string.
fn toml_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn module(m: &str) -> SettingsReport {
        SettingsReport {
            module: m.into(),
            path: String::new(),
            selected: String::new(),
            deploy: true,
        }
    }

    #[test]
    fn the_section_parses_as_the_configuration_djguard_reads() {
        for baseline in [false, true] {
            let text = section(
                &[module("site.settings.prod"), module("a\"b")],
                baseline,
                false,
            );
            let cfg: crate::config::Config = toml::from_str(&text).expect("valid configuration");
            let settings = cfg.settings.expect("settings").to_vec();
            assert_eq!(
                settings,
                vec!["site.settings.prod".to_string(), "a\"b".to_string()]
            );
            assert_eq!(cfg.baseline.is_some(), baseline);
        }
        let text = section(&[], false, true);
        let doc: toml::Table = text.parse().expect("TOML");
        assert!(doc["tool"]["djguard"].as_table().expect("table").is_empty());
    }
}
