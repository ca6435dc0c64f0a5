//! The deployment environment a settings module is evaluated in: variables given with
//! `--env KEY=VALUE` / `--env-file FILE`, and the record of which variables a value depends
//! on, so a finding can say "when DJANGO_DEBUG is unset, DEBUG is True".
//! Never reads the environment of the machine djguard runs on: the deployment's is what counts.

use std::collections::BTreeMap;

/// Variables the user said the deployment has.
#[derive(Debug, Default, Clone)]
pub struct Environment {
    vars: BTreeMap<String, String>,
}

impl Environment {
    pub fn new() -> Self {
        Environment::default()
    }

    pub fn set(&mut self, key: impl Into<String>, value: impl Into<String>) {
        self.vars.insert(key.into(), value.into());
    }

    pub fn get(&self, key: &str) -> Option<&str> {
        self.vars.get(key).map(String::as_str)
    }

    /// The first variable whose name equals `key` ignoring ASCII case (pydantic-settings'
    /// default matching), with its actual name.
    pub fn get_ignore_case(&self, key: &str) -> Option<(&str, &str)> {
        self.vars
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(k, v)| (k.as_str(), v.as_str()))
    }

    pub fn is_empty(&self) -> bool {
        self.vars.is_empty()
    }
}

pub use djguard_core::finding::EnvDep;

/// Add `dep` to `deps` once.
pub fn add_dep(deps: &mut Vec<EnvDep>, dep: EnvDep) {
    if !deps.contains(&dep) {
        deps.push(dep);
        deps.sort();
    }
}

pub fn merge_deps(deps: &mut Vec<EnvDep>, more: &[EnvDep]) {
    for d in more {
        add_dep(deps, d.clone());
    }
}

/// "when A is unset and B is unset" for messages; empty when nothing depends on the environment.
pub fn describe(deps: &[EnvDep]) -> String {
    let parts: Vec<String> = deps.iter().map(ToString::to_string).collect();
    parts.join(" and ")
}

#[derive(Debug, thiserror::Error, PartialEq)]
#[error("line {line}: {message}")]
pub struct DotenvError {
    pub line: usize,
    pub message: String,
}

/// Parse a dotenv file the way python-dotenv does for the common forms: `KEY=VALUE`,
/// `export KEY=VALUE`, `#` comments, single quotes (literal), double quotes (with `\n`, `\"`,
/// `\\` escapes, may span lines), unquoted values up to an inline ` #` comment, trimmed.
/// Hand-written: no maintained Rust crate follows python-dotenv's rules (dotenvy differs on
/// quoting and comments).
pub fn parse_dotenv(text: &str) -> Result<Vec<(String, String)>, DotenvError> {
    let mut out = Vec::new();
    let mut lines = text.lines().enumerate().peekable();
    while let Some((i, raw)) = lines.next() {
        let line = raw.trim_start();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let line = line.strip_prefix("export ").map_or(line, str::trim_start);
        let Some((key, rest)) = line.split_once('=') else {
            // python-dotenv accepts a bare key (value None); it sets nothing in os.environ.
            continue;
        };
        let key = key.trim();
        if key.is_empty()
            || !key
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == '-')
        {
            return Err(DotenvError {
                line: i + 1,
                message: format!("invalid variable name `{key}`"),
            });
        }
        let rest = rest.trim_start();
        let value = if let Some(quote) = rest.chars().next().filter(|c| *c == '"' || *c == '\'') {
            let raw = read_quoted(&rest[1..], quote, &mut lines, i + 1)?;
            if quote == '"' {
                unescape_double(&raw)
            } else {
                raw
            }
        } else {
            let v = match rest.find(" #").or_else(|| rest.find("\t#")) {
                Some(pos) => &rest[..pos],
                None if rest.starts_with('#') => "",
                None => rest,
            };
            v.trim().to_string()
        };
        out.push((key.to_string(), value));
    }
    Ok(out)
}

/// The body of a quoted value up to its closing quote, continuing on the following lines.
fn read_quoted<'a>(
    first: &str,
    quote: char,
    lines: &mut impl Iterator<Item = (usize, &'a str)>,
    line_no: usize,
) -> Result<String, DotenvError> {
    let mut buf = first.to_string();
    loop {
        if let Some(end) = closing_quote(&buf, quote) {
            buf.truncate(end);
            return Ok(buf);
        }
        match lines.next() {
            Some((_, more)) => {
                buf.push('\n');
                buf.push_str(more);
            }
            None => {
                let kind = if quote == '"' { "double" } else { "single" };
                return Err(DotenvError {
                    line: line_no,
                    message: format!("unterminated {kind} quote"),
                });
            }
        }
    }
}

fn closing_quote(s: &str, q: char) -> Option<usize> {
    let mut escaped = false;
    for (i, c) in s.char_indices() {
        if q == '"' && c == '\\' && !escaped {
            escaped = true;
            continue;
        }
        if c == q && !escaped {
            return Some(i);
        }
        escaped = false;
    }
    None
}

fn unescape_double(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('t') => out.push('\t'),
            Some('"') => out.push('"'),
            Some('\\') => out.push('\\'),
            Some('\'') => out.push('\''),
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dotenv_forms() {
        let text = "# comment\nA=1\nexport B = two words  # trailing\nC='lit # not comment'\nD=\"x\\ny\"\nE=\"multi\nline\"\nF=\nG\n";
        let got = parse_dotenv(text).unwrap();
        let want: Vec<(String, String)> = [
            ("A", "1"),
            ("B", "two words"),
            ("C", "lit # not comment"),
            ("D", "x\ny"),
            ("E", "multi\nline"),
            ("F", ""),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        assert_eq!(got, want);
        assert!(parse_dotenv("A=\"open\n").is_err());
        assert!(parse_dotenv("BAD KEY=1\n").is_err());
    }

    #[test]
    fn describes_dependencies() {
        let mut deps = Vec::new();
        add_dep(
            &mut deps,
            EnvDep {
                var: "DJANGO_DEBUG".into(),
                provided: false,
            },
        );
        add_dep(
            &mut deps,
            EnvDep {
                var: "DJANGO_DEBUG".into(),
                provided: false,
            },
        );
        add_dep(
            &mut deps,
            EnvDep {
                var: "A".into(),
                provided: true,
            },
        );
        assert_eq!(
            describe(&deps),
            "with A as given and when DJANGO_DEBUG is unset"
        );
    }
}
