//! pip's requirements-file format, read the way pip reads it (no crate does this): lines
//! joined on a trailing `\`, comments cut at a `#` that starts the line or follows
//! whitespace, `${VAR}` expanded from the environment, `-r`/`-c` files followed relative to
//! the including file, `-e` editables, per-line `--hash` and other options, then PEP 508.
//! Every requirement keeps the file and the line it starts on.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use super::pep::{self, Want};
use super::{DepError, Dependency, FileKind, Inventory};

/// How deep `-r` / `-c` chains are followed (pip has no limit; cycles are cut separately).
const MAX_DEPTH: usize = 16;

/// Read `abs` (and what it includes) into `inv`. `seen` holds canonical paths already read,
/// so a file included from two places, or including itself, is read once.
pub fn read_file(
    root: &Path,
    abs: &Path,
    kind: FileKind,
    seen: &mut HashSet<PathBuf>,
    inv: &mut Inventory,
) {
    read_inner(root, abs, kind, seen, inv, 0, None);
}

fn rel_name(root: &Path, abs: &Path) -> String {
    let canon_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let canon = abs.canonicalize().unwrap_or_else(|_| abs.to_path_buf());
    match canon.strip_prefix(&canon_root) {
        Ok(r) => r.to_string_lossy().replace('\\', "/"),
        Err(_) => abs.to_string_lossy().into_owned(),
    }
}

fn read_inner(
    root: &Path,
    abs: &Path,
    kind: FileKind,
    seen: &mut HashSet<PathBuf>,
    inv: &mut Inventory,
    depth: usize,
    included_from: Option<(&str, u32)>,
) {
    let rel = rel_name(root, abs);
    let key = abs.canonicalize().unwrap_or_else(|_| abs.to_path_buf());
    if !seen.insert(key) {
        return;
    }
    let text = match crate::source::read_capped(abs) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(t) => t,
            Err(_) => {
                inv.errors.push(DepError {
                    path: rel,
                    line: None,
                    message: "not UTF-8 text; requirements file skipped".into(),
                });
                return;
            }
        },
        Err(e) => {
            let (path, line) = match included_from {
                Some((p, l)) => (p.to_string(), Some(l)),
                None => (rel.clone(), None),
            };
            inv.errors.push(DepError {
                path,
                line,
                message: format!("cannot read {}: {e}", abs.display()),
            });
            return;
        }
    };
    inv.files.push(rel.clone());
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let dir = abs.parent().unwrap_or(Path::new(".")).to_path_buf();
    let mut include = |file: &str, kind: FileKind, inv: &mut Inventory, line_no: u32| {
        read_inner(
            root,
            &dir.join(file),
            kind,
            seen,
            inv,
            depth + 1,
            Some((&rel, line_no)),
        );
    };
    read_text(&rel, text, &dir, kind, depth, inv, &mut include);
}

/// The requirements of one file's text; `include` reads a `-r`/`-c` file (relative name, the
/// kind its lines get, the line of the include).
pub fn read_text(
    rel: &str,
    text: &str,
    dir: &Path,
    kind: FileKind,
    depth: usize,
    inv: &mut Inventory,
    include: &mut dyn FnMut(&str, FileKind, &mut Inventory, u32),
) {
    let rel = rel.to_string();
    let raw_lines: Vec<&str> = text.lines().collect();
    for (line_no, line) in logical_lines(text) {
        let source_line = raw_lines
            .get(line_no as usize - 1)
            .copied()
            .unwrap_or("")
            .trim_end_matches('\r')
            .to_string();
        match classify(&line) {
            Line::Include { file, constraint } => {
                if depth >= MAX_DEPTH {
                    inv.errors.push(DepError {
                        path: rel.clone(),
                        line: Some(line_no),
                        message: format!(
                            "`-r`/`-c` nested deeper than {MAX_DEPTH} files; {file} not read"
                        ),
                    });
                    continue;
                }
                if file.contains("://") {
                    inv.errors.push(DepError {
                        path: rel.clone(),
                        line: Some(line_no),
                        message: format!("{file} is a remote requirements file; not fetched"),
                    });
                    continue;
                }
                let kind = if constraint {
                    FileKind::Constraints
                } else {
                    kind
                };
                include(&file, kind, inv, line_no);
            }
            Line::Option => {}
            Line::Requirement {
                text: req,
                editable,
            } => {
                let dep =
                    |name: String, want: Want, spec: String, marker: Option<String>| Dependency {
                        name: pep::normalize_name(&name),
                        want,
                        spec,
                        marker,
                        editable,
                        group: None,
                        path: rel.clone(),
                        line: line_no,
                        source_line: source_line.clone(),
                        kind,
                        site: false,
                    };
                if let Some((name, url)) = direct_reference(&req) {
                    match name {
                        Some(n) => inv.dependencies.push(dep(n, Want::Url(url), String::new(), None)),
                        None if editable => {} // a local project folder: not a package from an index
                        None => inv.errors.push(DepError {
                            path: rel.clone(),
                            line: Some(line_no),
                            message: format!("cannot tell which package `{url}` is (add `#egg=name` or use `name @ url`); not audited"),
                        }),
                    }
                    continue;
                }
                if let Some((name, version)) = arbitrary_equality(&req) {
                    // `===` compares strings, so it may name a version PEP 440 cannot
                    // parse; such a pin cannot be matched against advisory ranges.
                    let want = match pep::parse_version(&version) {
                        Some(v) => Want::Exact(v),
                        None => Want::Url(format!("==={version}")),
                    };
                    inv.dependencies
                        .push(dep(name, want, format!("==={version}"), None));
                    continue;
                }
                match pep::parse_requirement(&req, dir) {
                    Ok(p) => inv.dependencies.push(dep(p.name, p.want, p.spec, p.marker)),
                    Err(e) => inv.errors.push(DepError {
                        path: rel.clone(),
                        line: Some(line_no),
                        message: format!("not a requirement pip accepts ({e}); line skipped"),
                    }),
                }
            }
        }
    }
}

/// pip's preprocessing: (first line number, logical line) with continuations joined,
/// comments removed, `${VAR}` expanded, empty lines dropped.
pub fn logical_lines(text: &str) -> Vec<(u32, String)> {
    let mut out = Vec::new();
    let mut pending: Option<(u32, String)> = None;
    for (i, raw) in text.lines().enumerate() {
        let n = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let raw = raw.trim_end_matches('\r');
        let is_comment = comment_start(raw) == Some(0) || raw.trim_start().starts_with('#');
        if raw.ends_with('\\') && !is_comment {
            let part = raw.trim_end_matches('\\');
            match &mut pending {
                Some((_, acc)) => acc.push_str(part),
                None => pending = Some((n, part.to_string())),
            }
            continue;
        }
        let (start, mut line) = match pending.take() {
            Some((s, mut acc)) => {
                // pip puts a space before a comment line that ends a continuation so the
                // comment is still recognised.
                if is_comment {
                    acc.push(' ');
                }
                acc.push_str(raw);
                (s, acc)
            }
            None => (n, raw.to_string()),
        };
        if let Some(c) = comment_start(&line) {
            line.truncate(c);
        }
        let line = expand_env(line.trim());
        if !line.is_empty() {
            out.push((start, line));
        }
    }
    if let Some((s, acc)) = pending {
        let mut line = acc;
        if let Some(c) = comment_start(&line) {
            line.truncate(c);
        }
        let line = expand_env(line.trim());
        if !line.is_empty() {
            out.push((s, line));
        }
    }
    out
}

/// Where a comment starts: a `#` at the start of the line or after whitespace (pip's
/// `(^|\s+)#.*$`), so `url#egg=x` keeps its fragment.
fn comment_start(line: &str) -> Option<usize> {
    let bytes = line.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'#' && (i == 0 || bytes[i - 1].is_ascii_whitespace()) {
            // Cut the whitespace before it too.
            let mut s = i;
            while s > 0 && bytes[s - 1].is_ascii_whitespace() {
                s -= 1;
            }
            return Some(s);
        }
    }
    None
}

/// `${NAME}` (uppercase, digits, `_`) from the environment, as pip does; unknown ones stay.
fn expand_env(line: &str) -> String {
    if !line.contains("${") {
        return line.to_string();
    }
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(i) = rest.find("${") {
        out.push_str(&rest[..i]);
        let after = &rest[i + 2..];
        match after.find('}') {
            Some(end)
                if end > 0
                    && after[..end]
                        .bytes()
                        .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_') =>
            {
                match std::env::var(&after[..end]) {
                    Ok(v) => out.push_str(&v),
                    Err(_) => out.push_str(&rest[i..i + 3 + end]),
                }
                rest = &after[end + 1..];
            }
            _ => {
                out.push_str("${");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

enum Line {
    Include { file: String, constraint: bool },
    Option,
    Requirement { text: String, editable: bool },
}

fn classify(line: &str) -> Line {
    let mut words = line.split_whitespace();
    let first = words.next().unwrap_or("");
    let value_of = |flag_len: usize, words: &mut std::str::SplitWhitespace| -> String {
        let attached = first[flag_len..].trim_start_matches('=');
        if attached.is_empty() {
            words.next().unwrap_or("").to_string()
        } else {
            attached.to_string()
        }
    };
    for (flag, constraint) in [
        ("--requirement", false),
        ("--constraint", true),
        ("-r", false),
        ("-c", true),
    ] {
        if first.starts_with(flag) {
            let file = value_of(flag.len(), &mut words);
            return Line::Include { file, constraint };
        }
    }
    for flag in ["--editable", "-e"] {
        if let Some(rest) = first.strip_prefix(flag)
            && (rest.is_empty() || rest.starts_with('=') || flag == "-e")
        {
            let target = value_of(flag.len(), &mut words);
            return Line::Requirement {
                text: target,
                editable: true,
            };
        }
    }
    if first.starts_with('-') {
        return Line::Option;
    }
    // The requirement is everything before the first per-requirement option.
    let mut req = String::new();
    for (i, w) in line.split_whitespace().enumerate() {
        // pip splits the line at the first word that starts with `-` after the requirement.
        if i > 0 && w.starts_with("--") {
            break;
        }
        if !req.is_empty() {
            req.push(' ');
        }
        req.push_str(w);
    }
    Line::Requirement {
        text: req,
        editable: false,
    }
}

/// `name===string` (PEP 440 arbitrary equality), with the name's extras dropped.
fn arbitrary_equality(req: &str) -> Option<(String, String)> {
    let head = req.split(';').next().unwrap_or(req);
    let (name, version) = head.split_once("===")?;
    let name = name.split('[').next().unwrap_or(name).trim();
    let version = version.trim();
    if name.is_empty()
        || version.is_empty()
        || !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    {
        return None;
    }
    Some((name.to_string(), version.to_string()))
}

/// A requirement that is a bare URL or path (not `name @ url`): the package name when the URL
/// says it (`#egg=name`, a wheel or sdist file name), and the URL.
fn direct_reference(req: &str) -> Option<(Option<String>, String)> {
    let head = req.split(';').next().unwrap_or(req).trim();
    let looks_like_url = head.contains("://")
        || head.starts_with('.')
        || head.starts_with('/')
        || head.starts_with("file:")
        || head.starts_with("git+")
        || head.ends_with(".whl")
        || head.ends_with(".tar.gz")
        || head.ends_with(".zip");
    // `name @ url` (or `name@url`) is PEP 508, for the requirement parser.
    let pep508_at = head
        .split_once('@')
        .is_some_and(|(n, _)| !n.contains('/') && !n.contains(':'));
    if !looks_like_url || pep508_at {
        return None;
    }
    let url = head.to_string();
    if let Some(frag) = url.split_once('#').map(|(_, f)| f) {
        for part in frag.split('&') {
            if let Some(egg) = part.strip_prefix("egg=") {
                let name = egg.split(['[', '=', '<', '>']).next().unwrap_or(egg);
                if !name.is_empty() {
                    return Some((Some(name.to_string()), url));
                }
            }
        }
    }
    let file = url.split(['#', '?']).next().unwrap_or(&url);
    let file = file.rsplit('/').next().unwrap_or(file);
    if let Some(stem) = file.strip_suffix(".whl")
        && let Some((name, _)) = stem.split_once('-')
    {
        return Some((Some(name.to_string()), url));
    }
    Some((None, url))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn continuations_comments_and_env() {
        let text = "Django==4.2.7 \\\n    --hash=sha256:abc \\\n    --hash=sha256:def\n# full comment\nrequests==2.31.0  # trailing\npkg @ git+https://h.invalid/x.git@v1#egg=pkg\n\n  \nfoo==${DJGUARD_TEST_UNSET_VAR}\n";
        let lines = logical_lines(text);
        assert_eq!(lines[0].0, 1);
        assert!(lines[0].1.starts_with("Django==4.2.7"));
        assert!(lines[0].1.contains("--hash=sha256:def"));
        assert_eq!(lines[1], (5, "requests==2.31.0".to_string()));
        assert_eq!(lines[2].1, "pkg @ git+https://h.invalid/x.git@v1#egg=pkg");
        assert_eq!(lines[3], (9, "foo==${DJGUARD_TEST_UNSET_VAR}".to_string()));
        assert_eq!(lines.len(), 4);
    }

    #[test]
    fn comment_line_ending_in_backslash_is_not_a_continuation() {
        let lines = logical_lines("# a comment \\\nDjango==5.2\n");
        assert_eq!(lines, vec![(2, "Django==5.2".to_string())]);
    }

    #[test]
    fn classify_options_and_requirements() {
        assert!(
            matches!(classify("-r base.txt"), Line::Include { ref file, constraint: false } if file == "base.txt")
        );
        assert!(
            matches!(classify("--constraint=c.txt"), Line::Include { ref file, constraint: true } if file == "c.txt")
        );
        assert!(
            matches!(classify("-rbase.txt"), Line::Include { ref file, .. } if file == "base.txt")
        );
        assert!(matches!(
            classify("--index-url https://x.invalid/simple"),
            Line::Option
        ));
        assert!(
            matches!(classify("-e ./libs/app"), Line::Requirement { ref text, editable: true } if text == "./libs/app")
        );
        assert!(
            matches!(classify("Django==4.2 --hash=sha256:aa"), Line::Requirement { ref text, editable: false } if text == "Django==4.2")
        );
    }

    #[test]
    fn direct_references() {
        assert_eq!(
            direct_reference("git+https://h.invalid/x.git@v1#egg=x-pkg"),
            Some((
                Some("x-pkg".into()),
                "git+https://h.invalid/x.git@v1#egg=x-pkg".into()
            ))
        );
        assert_eq!(
            direct_reference("https://h.invalid/Django-4.2.7-py3-none-any.whl").map(|x| x.0),
            Some(Some("Django".into()))
        );
        assert_eq!(direct_reference("./libs/app").map(|x| x.0), Some(None));
        assert_eq!(direct_reference("Django==4.2"), None);
        assert_eq!(direct_reference("pkg @ https://h.invalid/pkg.tar.gz"), None);
    }
}
