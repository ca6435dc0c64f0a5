//! Django release numbers, the releases we know, and which one a project pins.
//! The pin reader here covers exact and ranged `django` requirements in requirements files,
//! pyproject.toml and lock files; the full dependency audit is a later, separate stage.

use std::fmt;
use std::str::FromStr;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DjangoVersion {
    pub major: u32,
    pub minor: u32,
    pub patch: u32,
}

/// The newest release of every series we model (2026-11-21). The newest of all is the default.
pub const KNOWN_RELEASES: &[DjangoVersion] = &[
    DjangoVersion::new(3, 0, 14),
    DjangoVersion::new(3, 1, 14),
    DjangoVersion::new(3, 2, 25),
    DjangoVersion::new(4, 0, 10),
    DjangoVersion::new(4, 1, 13),
    DjangoVersion::new(4, 2, 30),
    DjangoVersion::new(5, 0, 14),
    DjangoVersion::new(5, 1, 15),
    DjangoVersion::new(5, 2, 19),
    DjangoVersion::new(6, 0, 10),
    DjangoVersion::new(6, 1, 3),
];

pub const NEWEST: DjangoVersion = DjangoVersion::new(6, 1, 3);
pub const OLDEST_SUPPORTED: DjangoVersion = DjangoVersion::new(3, 0, 0);

impl DjangoVersion {
    pub const fn new(major: u32, minor: u32, patch: u32) -> Self {
        DjangoVersion {
            major,
            minor,
            patch,
        }
    }

    pub fn at_least(&self, major: u32, minor: u32) -> bool {
        (self.major, self.minor) >= (major, minor)
    }

    pub fn series(&self) -> (u32, u32) {
        (self.major, self.minor)
    }
}

impl fmt::Display for DjangoVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)
    }
}

#[derive(Debug, thiserror::Error)]
#[error("`{0}` is not a Django version (expected X.Y or X.Y.Z, e.g. 5.2 or 6.1.3)")]
pub struct BadVersion(String);

impl FromStr for DjangoVersion {
    type Err = BadVersion;

    /// `5.2` means the newest known 5.2.x; `2028` and `2028.1` (year-numbered releases from
    /// 2028 on) are accepted.
    fn from_str(s: &str) -> Result<Self, BadVersion> {
        let bad = || BadVersion(s.to_string());
        let t = s.trim();
        let nums: Vec<u32> = t
            .split('.')
            .map(|p| p.parse::<u32>().map_err(|_| bad()))
            .collect::<Result<_, _>>()?;
        match nums.as_slice() {
            [y] if *y >= 2028 => Ok(DjangoVersion::new(*y, 0, 0)),
            [y, p] if *y >= 2028 => Ok(DjangoVersion::new(*y, 0, *p)),
            [major, minor] => {
                Ok(newest_in_series(*major, *minor)
                    .unwrap_or(DjangoVersion::new(*major, *minor, 0)))
            }
            [major, minor, patch] => Ok(DjangoVersion::new(*major, *minor, *patch)),
            _ => Err(bad()),
        }
    }
}

pub fn newest_in_series(major: u32, minor: u32) -> Option<DjangoVersion> {
    KNOWN_RELEASES
        .iter()
        .rev()
        .find(|v| v.series() == (major, minor))
        .copied()
}

/// A version constraint clause from a requirement (`>=4.2`, `<5.0`, `==5.2.*`, `~=5.2`).
#[derive(Debug, Clone, PartialEq)]
struct Clause {
    op: String,
    release: Vec<u32>,
    wildcard: bool,
}

fn parse_clauses(spec: &str) -> Option<Vec<Clause>> {
    let mut out = Vec::new();
    for part in spec.split(',') {
        let part = part.trim();
        if part.is_empty() {
            continue;
        }
        let op_len = part
            .find(|c: char| c.is_ascii_digit())
            .filter(|&i| i <= 3)?;
        let op = part[..op_len].trim().to_string();
        if !matches!(
            op.as_str(),
            "==" | "===" | "!=" | ">=" | "<=" | ">" | "<" | "~="
        ) {
            return None;
        }
        let mut ver = part[op_len..].trim();
        let wildcard = ver.ends_with(".*");
        if wildcard {
            ver = &ver[..ver.len() - 2];
        }
        // Drop pre/post/local suffixes: `5.2rc1` pins the 5.2 series.
        let release: Vec<u32> = ver
            .split('.')
            .map_while(|p| {
                let digits: String = p.chars().take_while(char::is_ascii_digit).collect();
                digits.parse().ok()
            })
            .collect();
        if release.is_empty() {
            return None;
        }
        out.push(Clause {
            op,
            release,
            wildcard,
        });
    }
    Some(out)
}

fn cmp_release(a: &[u32], b: &[u32]) -> std::cmp::Ordering {
    let n = a.len().max(b.len());
    for i in 0..n {
        let x = a.get(i).copied().unwrap_or(0);
        let y = b.get(i).copied().unwrap_or(0);
        if x != y {
            return x.cmp(&y);
        }
    }
    std::cmp::Ordering::Equal
}

fn satisfies(v: DjangoVersion, c: &Clause) -> bool {
    let rel = [v.major, v.minor, v.patch];
    let prefix_eq = || c.release.iter().zip(rel.iter()).all(|(a, b)| a == b);
    use std::cmp::Ordering::*;
    let ord = cmp_release(&rel, &c.release);
    match c.op.as_str() {
        "==" | "===" if c.wildcard => prefix_eq(),
        "==" | "===" => ord == Equal,
        "!=" if c.wildcard => !prefix_eq(),
        "!=" => ord != Equal,
        ">=" => ord != Less,
        "<=" => ord != Greater,
        ">" => ord == Greater,
        "<" => ord == Less,
        "~=" => {
            let mut upper = c.release.clone();
            upper.pop();
            ord != Less && upper.iter().zip(rel.iter()).all(|(a, b)| a == b)
        }
        _ => false,
    }
}

/// The Django version a specifier pins: the exact version for `==X.Y.Z`, else the newest known
/// release that satisfies every clause.
pub fn version_for_spec(spec: &str) -> Option<DjangoVersion> {
    let clauses = parse_clauses(spec)?;
    if clauses.is_empty() {
        return None;
    }
    if let [c] = clauses.as_slice()
        && matches!(c.op.as_str(), "==" | "===")
        && !c.wildcard
    {
        let r = &c.release;
        return match r.len() {
            1 if r[0] >= 2028 => Some(DjangoVersion::new(r[0], 0, 0)),
            2 => Some(DjangoVersion::new(r[0], r[1], 0)),
            n if n >= 3 => Some(DjangoVersion::new(r[0], r[1], r[2])),
            _ => None,
        };
    }
    KNOWN_RELEASES
        .iter()
        .rev()
        .find(|v| clauses.iter().all(|c| satisfies(**v, c)))
        .copied()
}

/// A found pin: the version and where it was read.
#[derive(Debug, Clone, PartialEq)]
pub struct Pin {
    pub version: DjangoVersion,
    pub source: String,
}

/// Find the project's Django pin in the given (relative path, text) files. Lock files win over
/// requirement files, which win over pyproject.toml ranges.
pub fn find_pin(files: &[(String, String)]) -> Option<Pin> {
    let mut best: Option<(u8, Pin)> = None;
    let mut consider = |rank: u8, version: Option<DjangoVersion>, source: &str| {
        if let Some(version) = version
            && best.as_ref().is_none_or(|(r, _)| rank > *r)
        {
            best = Some((
                rank,
                Pin {
                    version,
                    source: source.to_string(),
                },
            ));
        }
    };
    for (rel, text) in files {
        let name = rel.rsplit('/').next().unwrap_or(rel);
        if matches!(name, "uv.lock" | "poetry.lock" | "pdm.lock" | "pylock.toml") {
            consider(3, lock_version(text), rel);
        } else if name == "Pipfile.lock" {
            consider(3, pipfile_lock_version(text), rel);
        } else if name.ends_with(".txt")
            && (name.starts_with("requirements") || rel.contains("requirements/"))
        {
            for line in text.lines() {
                if let Some(spec) = django_spec(line) {
                    consider(2, version_for_spec(&spec), rel);
                }
            }
        } else if name == "pyproject.toml" || name == "Pipfile" {
            for line in text.lines() {
                let line = line
                    .trim()
                    .trim_end_matches(',')
                    .trim_matches(|c| c == '"' || c == '\'');
                if let Some(spec) = django_spec(line) {
                    consider(1, version_for_spec(&spec), rel);
                } else if let Some(rest) = line
                    .strip_prefix("django")
                    .or_else(|| line.strip_prefix("Django"))
                    && let Some(v) = rest.trim_start().strip_prefix('=')
                {
                    // Poetry / Pipfile table style: `django = "^5.2"` or `Django = "==5.2.1"`.
                    let v = v.trim().trim_matches('"');
                    let spec = match v.strip_prefix('^') {
                        Some(c) => caret_spec(c),
                        None => v.to_string(),
                    };
                    consider(1, version_for_spec(&spec), rel);
                }
            }
        }
    }
    best.map(|(_, p)| p)
}

/// Poetry's `^X.Y`: at least X.Y, below the next major release.
fn caret_spec(v: &str) -> String {
    let major: u32 = v
        .split('.')
        .next()
        .and_then(|m| m.parse().ok())
        .unwrap_or(0);
    format!(">={v},<{}", major + 1)
}

/// The specifier of a `django` requirement line (`Django[argon2]>=5.2,<6 ; python_version...`).
fn django_spec(line: &str) -> Option<String> {
    let line = line.split('#').next()?.split(';').next()?.trim();
    let lower = line.to_ascii_lowercase();
    let rest = lower.strip_prefix("django")?;
    let rest = rest.trim_start();
    let rest = if let Some(r) = rest.strip_prefix('[') {
        r.split_once(']')?.1.trim_start()
    } else {
        rest
    };
    // `django = "^5.2"` (a TOML table entry) is not a PEP 508 requirement.
    if !rest.starts_with(['=', '<', '>', '~', '!'])
        || (rest.starts_with('=') && !rest.starts_with("=="))
    {
        return None;
    }
    Some(rest.split_whitespace().collect::<Vec<_>>().join(""))
}

fn lock_version(text: &str) -> Option<DjangoVersion> {
    let mut in_django = false;
    for line in text.lines() {
        let t = line.trim();
        if t.starts_with("[[") {
            in_django = false;
        }
        if let Some(name) = t.strip_prefix("name = ") {
            in_django = name.trim_matches('"').eq_ignore_ascii_case("django");
        }
        if in_django && let Some(v) = t.strip_prefix("version = ") {
            return v.trim_matches('"').parse().ok();
        }
    }
    None
}

fn pipfile_lock_version(text: &str) -> Option<DjangoVersion> {
    let json: serde_json::Value = serde_json::from_str(text).ok()?;
    for section in ["default", "develop"] {
        if let Some(obj) = json.get(section).and_then(|s| s.as_object()) {
            for (k, v) in obj {
                if k.eq_ignore_ascii_case("django") {
                    let spec = v.get("version")?.as_str()?;
                    return version_for_spec(spec);
                }
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> DjangoVersion {
        s.parse().unwrap()
    }

    #[test]
    fn parses_versions() {
        assert_eq!(v("5.2"), DjangoVersion::new(5, 2, 19));
        assert_eq!(v("4.2.3"), DjangoVersion::new(4, 2, 3));
        assert_eq!(v("2028.1"), DjangoVersion::new(2028, 0, 1));
        assert!("five".parse::<DjangoVersion>().is_err());
        assert!("5.2.1.1".parse::<DjangoVersion>().is_err());
    }

    #[test]
    fn resolves_specifiers() {
        assert_eq!(version_for_spec("==5.2.3"), Some(v("5.2.3")));
        assert_eq!(version_for_spec(">=4.2,<5.0"), Some(v("4.2.30")));
        assert_eq!(version_for_spec("~=5.1"), Some(v("5.2.19")));
        assert_eq!(version_for_spec("~=5.1.0"), Some(v("5.1.15")));
        assert_eq!(version_for_spec("==6.0.*"), Some(v("6.0.10")));
        assert_eq!(version_for_spec("<4"), Some(v("3.2.25")));
    }

    #[test]
    fn finds_pins_by_priority() {
        let files = vec![
            (
                "pyproject.toml".to_string(),
                "dependencies = [\n  \"Django>=4.2,<5\",\n]".to_string(),
            ),
            (
                "requirements.txt".to_string(),
                "requests==2\nDjango[argon2]==5.2.1 ; python_version >= '3.10'\n".to_string(),
            ),
        ];
        assert_eq!(find_pin(&files).unwrap().version, v("5.2.1"));
        let lock = vec![(
            "uv.lock".to_string(),
            "[[package]]\nname = \"django\"\nversion = \"6.0.2\"\n".to_string(),
        )];
        assert_eq!(find_pin(&lock).unwrap().version, v("6.0.2"));
        let poetry = vec![(
            "pyproject.toml".to_string(),
            "[tool.poetry.dependencies]\ndjango = \"^5.2\"\n".to_string(),
        )];
        assert_eq!(find_pin(&poetry).unwrap().version, v("5.2.19"));
        assert_eq!(
            find_pin(&[("requirements.txt".into(), "django-environ==1\n".into())]),
            None
        );
    }
}
