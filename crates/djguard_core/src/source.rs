//! Reading files from disk into text: size cap, binary detection, PEP 263 coding cookies.
//! Never panics on what it reads; every problem becomes a `SourceError` for the `errors` list.

use std::path::Path;

/// Files larger than this are reported and skipped: no real settings module or view is this
/// big, and a hostile file must not stall the scan.
pub const MAX_FILE_BYTES: u64 = 10 * 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    #[error("cannot read file: {0}")]
    Io(#[from] std::io::Error),
    #[error("file is {size} bytes, over the {limit}-byte limit; skipped")]
    TooLarge { size: u64, limit: u64 },
    #[error("file contains NUL bytes (binary or corrupt), which Python refuses to compile")]
    NulBytes,
    #[error("file is not valid UTF-8 and declares no coding (byte offset {0})")]
    InvalidUtf8(usize),
    #[error("unknown coding `{0}` in the coding declaration")]
    UnknownEncoding(String),
}

/// Read a Python source file the way CPython decodes it: BOM, else a PEP 263 cookie on the
/// first two lines, else UTF-8.
pub fn read_python(path: &Path) -> Result<String, SourceError> {
    let bytes = read_capped(path)?;
    decode_python(&bytes)
}

pub fn read_capped(path: &Path) -> Result<Vec<u8>, SourceError> {
    let size = std::fs::metadata(path)?.len();
    if size > MAX_FILE_BYTES {
        return Err(SourceError::TooLarge {
            size,
            limit: MAX_FILE_BYTES,
        });
    }
    Ok(std::fs::read(path)?)
}

pub fn decode_python(bytes: &[u8]) -> Result<String, SourceError> {
    if memchr_nul(bytes) {
        return Err(SourceError::NulBytes);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xef\xbb\xbf") {
        return String::from_utf8(rest.to_vec())
            .map_err(|e| SourceError::InvalidUtf8(e.utf8_error().valid_up_to() + 3));
    }
    if let Some(label) = coding_cookie(bytes) {
        let lower = label.to_ascii_lowercase().replace('_', "-");
        if !matches!(lower.as_str(), "utf-8" | "utf8") {
            let encoding = encoding_rs::Encoding::for_label(lower.as_bytes())
                .or_else(|| python_alias(&lower))
                .ok_or_else(|| SourceError::UnknownEncoding(label.clone()))?;
            let (text, _, _) = encoding.decode(bytes);
            return Ok(text.into_owned());
        }
    }
    String::from_utf8(bytes.to_vec())
        .map_err(|e| SourceError::InvalidUtf8(e.utf8_error().valid_up_to()))
}

fn python_alias(label: &str) -> Option<&'static encoding_rs::Encoding> {
    match label {
        "latin-1" | "latin1" | "iso-8859-1" | "l1" => Some(encoding_rs::WINDOWS_1252),
        "cp1252" => Some(encoding_rs::WINDOWS_1252),
        _ => None,
    }
}

fn memchr_nul(bytes: &[u8]) -> bool {
    bytes.contains(&0)
}

/// The PEP 263 declaration (`# -*- coding: latin-1 -*-`) on line 1 or 2, if any.
fn coding_cookie(bytes: &[u8]) -> Option<String> {
    for (i, line) in bytes.split(|&b| b == b'\n').take(2).enumerate() {
        let line = String::from_utf8_lossy(line);
        let trimmed = line.trim_start();
        if !trimmed.starts_with('#') {
            // A cookie on line 2 counts only when line 1 is blank or a comment (PEP 263).
            if i == 0 && !trimmed.is_empty() {
                return None;
            }
            continue;
        }
        if let Some(pos) = trimmed.find("coding") {
            let after = &trimmed[pos + 6..];
            let after = after.strip_prefix([':', '=']);
            if let Some(after) = after {
                let name: String = after
                    .trim_start()
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
                    .collect();
                if !name.is_empty() {
                    return Some(name);
                }
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_latin1_with_cookie() {
        let src = b"# -*- coding: latin-1 -*-\nNAME = '\xe9'\n";
        assert_eq!(
            decode_python(src).unwrap(),
            "# -*- coding: latin-1 -*-\nNAME = '\u{e9}'\n"
        );
    }

    #[test]
    fn rejects_nul_and_bad_utf8() {
        assert!(matches!(
            decode_python(b"A = 1\0"),
            Err(SourceError::NulBytes)
        ));
        assert!(matches!(
            decode_python(b"A = '\xff'"),
            Err(SourceError::InvalidUtf8(5))
        ));
    }

    #[test]
    fn strips_bom() {
        assert_eq!(decode_python(b"\xef\xbb\xbfA = 1").unwrap(), "A = 1");
    }
}
