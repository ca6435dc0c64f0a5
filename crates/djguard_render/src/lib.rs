//! Renderers: turn a finished `Report` (or a scan's findings) into text for people, or JSON,
//! SARIF, JUnit, GitHub workflow commands, GitLab Code Quality and Markdown for machines and
//! CI, or one self-contained HTML page. They know no rule beyond the metadata a finding carries and the documentation the
//! caller hands them, read no file and run no check: what they print is what the report
//! holds. No network or async crate here.

pub mod github;
pub mod gitlab;
pub mod html;
pub mod json;
pub mod junit;
pub mod machine;
pub mod markdown;
pub mod sarif;
pub mod text;

pub use machine::Run;

/// Where djguard is described (SARIF's `informationUri`).
pub const HOMEPAGE: &str = "https://pypi.org/project/djguard/";

/// A `/`-separated relative path as a URI reference: every byte outside RFC 3986's unreserved
/// characters and `/` percent-encoded (a file named `a b#c.py` is `a%20b%23c.py`).
pub fn uri_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// An absolute folder as a `file://` URI ending in `/` (SARIF's `%SRCROOT%`).
pub fn dir_uri(abs: &std::path::Path) -> String {
    let s = abs.to_string_lossy().replace('\\', "/");
    let mut uri = String::from("file://");
    if !s.starts_with('/') {
        uri.push('/');
    }
    uri.push_str(&uri_path(&s));
    if !uri.ends_with('/') {
        uri.push('/');
    }
    uri
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_uri_references() {
        assert_eq!(uri_path("app/views.py"), "app/views.py");
        assert_eq!(uri_path("a b#c?.py"), "a%20b%23c%3F.py");
        assert_eq!(uri_path("t/<x>.html"), "t/%3Cx%3E.html");
        assert_eq!(uri_path("é.py"), "%C3%A9.py");
        assert_eq!(
            dir_uri(std::path::Path::new("/srv/my site")),
            "file:///srv/my%20site/"
        );
    }
}
