//! Configuration: `[tool.djguard]` in pyproject.toml or a `djguard.toml`. Unknown keys are an
//! error naming the key; command-line flags override the file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::django::version::DjangoVersion;
use crate::finding::{Confidence, Severity};
use serde::{Deserialize, Deserializer};

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Config {
    pub select: Option<Vec<String>>,
    #[serde(default)]
    pub ignore: Vec<String>,
    #[serde(default)]
    pub extend_select: Vec<String>,
    #[serde(default)]
    pub per_file_ignores: BTreeMap<String, Vec<String>>,
    /// Severity overrides by rule or selector.
    #[serde(default, deserialize_with = "parsed_values")]
    pub severity: BTreeMap<String, Severity>,
    pub settings: Option<OneOrMany>,
    #[serde(default)]
    pub exclude: Vec<String>,
    #[serde(default, deserialize_with = "parsed")]
    pub django_version: Option<DjangoVersion>,
    #[serde(default, deserialize_with = "parsed")]
    pub fail_on: Option<Severity>,
    #[serde(default, deserialize_with = "parsed")]
    pub min_confidence: Option<Confidence>,
    pub baseline: Option<String>,
    /// OSV advisory folders, zips or files to read (like `--advisories`).
    #[serde(default)]
    pub advisories: Vec<String>,
    /// Advisory ids (any alias) not to report.
    #[serde(default)]
    pub ignore_advisories: Vec<String>,
    /// Ask the OSV API (like `--online`).
    #[serde(default)]
    pub online: bool,
    /// Where `check` downloads the advisory database from on its first run (a mirror);
    /// `DJGUARD_ADVISORY_URL` overrides it.
    pub advisory_url: Option<String>,
}

/// A string key read with the type's own parser (`FromStr`), so the file and the command line
/// accept the same words and say the same thing about a wrong one.
fn parsed<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: std::str::FromStr,
    T::Err: std::fmt::Display,
{
    let text = String::deserialize(d)?;
    text.parse().map(Some).map_err(serde::de::Error::custom)
}

/// A table of strings, each read with the value type's own parser.
fn parsed_values<'de, D, T>(d: D) -> Result<BTreeMap<String, T>, D::Error>
where
    D: Deserializer<'de>,
    T: std::str::FromStr,
    T::Err: std::fmt::Display,
{
    let table = BTreeMap::<String, String>::deserialize(d)?;
    table
        .into_iter()
        .map(|(k, v)| match v.parse() {
            Ok(t) => Ok((k, t)),
            Err(e) => Err(serde::de::Error::custom(format!("`{k}`: {e}"))),
        })
        .collect()
}

#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    pub fn to_vec(&self) -> Vec<String> {
        match self {
            OneOrMany::One(s) => vec![s.clone()],
            OneOrMany::Many(v) => v.clone(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("invalid configuration in {path}: {message}")]
    Invalid { path: String, message: String },
}

/// A loaded configuration and the file it came from.
pub struct Loaded {
    pub config: Config,
    pub path: Option<PathBuf>,
}

/// Load the configuration: `explicit` if given, else `djguard.toml`, else `[tool.djguard]` in
/// `pyproject.toml`, looked up in `dir` and its parents.
pub fn load(dir: &Path, explicit: Option<&Path>) -> Result<Loaded, ConfigError> {
    if let Some(path) = explicit {
        return read(path).map(|config| Loaded {
            config,
            path: Some(path.to_path_buf()),
        });
    }
    let mut cur = Some(dir);
    while let Some(d) = cur {
        let dj = d.join("djguard.toml");
        if dj.is_file() {
            return read(&dj).map(|config| Loaded {
                config,
                path: Some(dj),
            });
        }
        let py = d.join("pyproject.toml");
        if py.is_file() {
            let text = std::fs::read_to_string(&py).map_err(|source| ConfigError::Read {
                path: py.display().to_string(),
                source,
            })?;
            if text.contains("[tool.djguard]") {
                return parse(&text, &py, true).map(|config| Loaded {
                    config,
                    path: Some(py),
                });
            }
        }
        if d.join(".git").exists() {
            break;
        }
        cur = d.parent();
    }
    Ok(Loaded {
        config: Config::default(),
        path: None,
    })
}

fn read(path: &Path) -> Result<Config, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
        path: path.display().to_string(),
        source,
    })?;
    let is_pyproject = path.file_name().is_some_and(|n| n == "pyproject.toml");
    parse(&text, path, is_pyproject)
}

fn parse(text: &str, path: &Path, pyproject: bool) -> Result<Config, ConfigError> {
    let invalid = |message: String| ConfigError::Invalid {
        path: path.display().to_string(),
        message,
    };
    if pyproject {
        let doc: toml::Table =
            toml::from_str(text).map_err(|e| invalid(e.message().to_string()))?;
        let section = doc.get("tool").and_then(|t| t.get("djguard")).cloned();
        return match section {
            Some(v) => v
                .try_into::<Config>()
                .map_err(|e| invalid(format!("[tool.djguard]: {}", e.message()))),
            None => Ok(Config::default()),
        };
    }
    // djguard.toml: top-level keys, or the same `[tool.djguard]` table.
    let doc: toml::Table = toml::from_str(text).map_err(|e| invalid(e.message().to_string()))?;
    if let Some(v) = doc.get("tool").and_then(|t| t.get("djguard")) {
        return v
            .clone()
            .try_into::<Config>()
            .map_err(|e| invalid(e.message().to_string()));
    }
    toml::from_str::<Config>(text).map_err(|e| invalid(e.message().to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_key_is_named() {
        let err = parse("selct = [\"security\"]\n", Path::new("djguard.toml"), false).unwrap_err();
        assert!(err.to_string().contains("selct"), "{err}");
        let err = parse(
            "[tool.djguard]\nfail_on = 'x'\n",
            Path::new("pyproject.toml"),
            true,
        )
        .unwrap_err();
        assert!(err.to_string().contains("fail_on"), "{err}");
    }

    #[test]
    fn reads_pyproject_section() {
        let c = parse("[project]\nname='x'\n[tool.djguard]\nsettings = 'a.b'\ndjango-version = '5.2'\nignore = ['security.W008']\n", Path::new("pyproject.toml"), true).unwrap();
        assert_eq!(c.settings.unwrap().to_vec(), vec!["a.b"]);
        assert_eq!(c.django_version, Some(DjangoVersion::new(5, 2, 19)));
        assert_eq!(c.ignore, vec!["security.W008"]);
    }

    #[test]
    fn levels_and_versions_are_typed_with_the_command_line_words() {
        let c = parse(
            "fail-on = 'HIGH'\nmin-confidence = 'low'\ndjango-version = '4.2.1'\n[severity]\nDJG101 = 'critical'\n",
            Path::new("djguard.toml"),
            false,
        )
        .unwrap();
        assert_eq!(c.fail_on, Some(Severity::High));
        assert_eq!(c.min_confidence, Some(Confidence::Low));
        assert_eq!(c.django_version, Some(DjangoVersion::new(4, 2, 1)));
        assert_eq!(c.severity.get("DJG101"), Some(&Severity::Critical));
        let err = parse("fail-on = 'severe'\n", Path::new("djguard.toml"), false).unwrap_err();
        assert!(
            err.to_string()
                .contains("`severe` is not a severity: expected critical, high"),
            "{err}"
        );
        let err = parse(
            "[severity]\nDJG101 = 'loud'\n",
            Path::new("djguard.toml"),
            false,
        )
        .unwrap_err();
        assert!(
            err.to_string()
                .contains("`DJG101`: `loud` is not a severity"),
            "{err}"
        );
        let err = parse(
            "django-version = 'five'\n",
            Path::new("djguard.toml"),
            false,
        )
        .unwrap_err();
        assert!(err.to_string().contains("not a Django version"), "{err}");
    }
}
