//! The one place that talks to the PEP 440 / PEP 508 crates (uv's, pinned to the last release
//! that builds with our toolchain), so an upgrade touches one file. Everything else uses
//! [`Version`], [`Range`] and [`parse_requirement`].

use std::str::FromStr;

pub use uv_pep440::Version;
use uv_pep440::VersionSpecifiers;
use uv_pep508::{Pep508Error, Requirement, VerbatimUrl, VersionOrUrl};
pub use version_ranges::Ranges;

/// A set of versions (what a requirement allows, what an advisory affects).
pub type Range = Ranges<Version>;

pub fn parse_version(s: &str) -> Option<Version> {
    Version::from_str(s.trim()).ok()
}

/// The versions a PEP 440 specifier set allows (`>=4.2,<5`, `==5.2.*`, `~=3.1`).
pub fn parse_specifiers(s: &str) -> Option<Range> {
    let specs = VersionSpecifiers::from_str(s.trim()).ok()?;
    Some(Range::from(specs))
}

/// PEP 503 normalisation: lowercase, runs of `-`, `_`, `.` become one `-`.
pub fn normalize_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut sep = false;
    for c in name.trim().chars() {
        if matches!(c, '-' | '_' | '.') {
            sep = true;
        } else {
            if sep && !out.is_empty() {
                out.push('-');
            }
            sep = false;
            out.extend(c.to_lowercase());
        }
    }
    out
}

/// What a requirement line says about versions.
#[derive(Clone, Debug, PartialEq)]
pub enum Want {
    /// `==X` / `===X` with no wildcard: exactly this version.
    Exact(Version),
    /// Any other specifier set (or none: every version).
    Range(Range),
    /// A direct reference (`name @ url`, a VCS or path URL): no version to judge.
    Url(String),
}

#[derive(Clone, Debug, PartialEq)]
pub struct ParsedRequirement {
    pub name: String,
    pub want: Want,
    /// The specifier text as written (`>=4.2,<5`), empty for none.
    pub spec: String,
    pub marker: Option<String>,
}

/// A string that is not a PEP 508 requirement. It shows the parser's message alone (the
/// first line of its error, without the copy of the input and the caret line under it).
#[derive(Debug, thiserror::Error)]
#[error("{}", first_line(&.0.to_string()))]
pub struct RequirementError(#[source] Box<Pep508Error<VerbatimUrl>>);

/// Parse a PEP 508 requirement (`Django[argon2]>=4.2,<5 ; python_version >= "3.10"`).
/// Relative paths in direct references are resolved against `dir`.
pub fn parse_requirement(
    text: &str,
    dir: &std::path::Path,
) -> Result<ParsedRequirement, RequirementError> {
    let req =
        Requirement::<VerbatimUrl>::parse(text, dir).map_err(|e| RequirementError(Box::new(e)))?;
    let marker = req.marker.try_to_string();
    let (want, spec) = match &req.version_or_url {
        None => (Want::Range(Range::full()), String::new()),
        Some(VersionOrUrl::Url(u)) => (Want::Url(u.to_string()), String::new()),
        Some(VersionOrUrl::VersionSpecifier(specs)) => {
            let spec = specs.to_string();
            (want_of(specs), spec)
        }
    };
    Ok(ParsedRequirement {
        name: req.name.to_string(),
        want,
        spec,
        marker,
    })
}

fn want_of(specs: &VersionSpecifiers) -> Want {
    if let [one] = specs.iter().collect::<Vec<_>>().as_slice() {
        use uv_pep440::Operator;
        if matches!(one.operator(), Operator::Equal | Operator::ExactEqual) {
            return Want::Exact(one.version().clone());
        }
    }
    Want::Range(Range::from(specs.clone()))
}

/// A specifier set as a [`Want`] (`==4.2.7` is exact, the rest a range).
pub fn want_of_specifiers(s: &str) -> Option<Want> {
    let specs = VersionSpecifiers::from_str(s.trim()).ok()?;
    Some(want_of(&specs))
}

fn first_line(s: &str) -> String {
    s.lines().next().unwrap_or(s).trim().to_string()
}

/// `major.minor` of a version (`4.2` for `4.2.7`, `4.0` for `4`).
pub fn series(v: &Version) -> (u64, u64) {
    let r = v.release();
    (
        r.first().copied().unwrap_or(0),
        r.get(1).copied().unwrap_or(0),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_normalise_like_pep_503() {
        assert_eq!(
            normalize_name("Django_REST.framework"),
            "django-rest-framework"
        );
        assert_eq!(normalize_name("zope..interface"), "zope-interface");
        assert_eq!(normalize_name(" Pillow "), "pillow");
    }

    #[test]
    fn exact_pins_and_ranges() {
        let dir = std::path::Path::new(".");
        let r = parse_requirement("Django==4.2.7", dir).unwrap();
        assert_eq!(r.want, Want::Exact(parse_version("4.2.7").unwrap()));
        let r = parse_requirement("django==4.2.*", dir).unwrap();
        assert!(matches!(r.want, Want::Range(_)));
        let r =
            parse_requirement("psycopg[binary]>=3.1 ; python_version >= \"3.10\"", dir).unwrap();
        assert_eq!(r.name, "psycopg");
        assert!(r.marker.is_some_and(|m| m.contains("python")));
        let r = parse_requirement("pkg @ https://example.invalid/pkg-1.0.tar.gz", dir).unwrap();
        assert!(matches!(r.want, Want::Url(_)));
        assert!(parse_requirement("e-]", dir).is_err());
    }

    #[test]
    fn errors_show_the_parsers_first_line() {
        let e = parse_requirement("e-]", std::path::Path::new(".")).unwrap_err();
        let full = std::error::Error::source(&e).map(ToString::to_string);
        let full = full.unwrap_or_default();
        assert!(full.contains('\n'), "{full}");
        assert_eq!(e.to_string(), full.lines().next().unwrap_or("").trim());
    }

    #[test]
    fn ranges_contain_what_pep_440_says() {
        let r = parse_specifiers(">=4.2,<5").unwrap();
        assert!(r.contains(&parse_version("4.2.7").unwrap()));
        assert!(!r.contains(&parse_version("5.0").unwrap()));
        let r = parse_specifiers("~=3.1").unwrap();
        assert!(r.contains(&parse_version("3.9").unwrap()));
        assert!(!r.contains(&parse_version("4.0").unwrap()));
    }
}
