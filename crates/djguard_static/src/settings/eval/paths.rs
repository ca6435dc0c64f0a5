//! Path arithmetic on strings the way `os.path` and `pathlib` do it on POSIX: join, normalise
//! (`..`, `.`, repeated separators) and parent.

pub(super) fn join_path(base: &str, part: &str) -> String {
    if part.starts_with('/') {
        return part.to_string();
    }
    if base.is_empty() || base == "." {
        return part.to_string();
    }
    format!("{}/{}", base.trim_end_matches('/'), part)
}

/// Lexical normalisation (what `Path.resolve()` does for paths without symlinks).
pub(super) fn normalize_path(p: &str) -> String {
    let absolute = p.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for c in p.split('/') {
        match c {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|l| *l != "..") {
                    parts.pop();
                } else if !absolute {
                    parts.push("..");
                }
            }
            other => parts.push(other),
        }
    }
    let joined = parts.join("/");
    if absolute {
        format!("/{joined}")
    } else if joined.is_empty() {
        ".".into()
    } else {
        joined
    }
}

pub(super) fn parent_path(p: &str) -> String {
    let n = normalize_path(p);
    match n.rfind('/') {
        Some(0) => "/".into(),
        Some(i) => n[..i].to_string(),
        None => ".".into(),
    }
}
