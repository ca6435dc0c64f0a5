//! `Strict-Transport-Security` as browsers read it (RFC 6797 §6.1): `;`-separated
//! directives, names case-insensitive, `max-age` required (digits, optionally quoted), a
//! directive given twice makes the whole header invalid; and the header rules of the HSTS
//! preload list (max-age of at least a year, `includeSubDomains`, `preload`).

/// What a browser takes from the header, and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Hsts {
    /// `None` when the header is invalid (browsers ignore it entirely).
    pub max_age: Option<u64>,
    pub include_subdomains: bool,
    pub preload: bool,
    /// Why browsers ignore the header (empty when they accept it).
    pub invalid: Vec<String>,
}

/// One year, the preload list's minimum.
pub const PRELOAD_MIN_AGE: u64 = 31_536_000;

pub fn parse(value: &str) -> Hsts {
    let mut h = Hsts::default();
    let mut seen: Vec<String> = Vec::new();
    let mut max_age = None;
    for part in value.split(';') {
        let part = part.trim();
        if part.is_empty() {
            continue;
        }
        let (name, arg) = match part.split_once('=') {
            Some((n, a)) => (n.trim().to_ascii_lowercase(), Some(a.trim())),
            None => (part.to_ascii_lowercase(), None),
        };
        if seen.contains(&name) {
            h.invalid
                .push(format!("the `{name}` directive appears twice"));
            continue;
        }
        seen.push(name.clone());
        match name.as_str() {
            "max-age" => {
                let raw = arg.unwrap_or("").trim_matches('"');
                match raw.parse::<u64>() {
                    Ok(n) if !raw.is_empty() && raw.bytes().all(|b| b.is_ascii_digit()) => {
                        max_age = Some(n)
                    }
                    _ => h.invalid.push(format!(
                        "max-age `{}` is not a number of seconds",
                        arg.unwrap_or("")
                    )),
                }
            }
            "includesubdomains" => h.include_subdomains = true,
            "preload" => h.preload = true,
            _ => {} // unknown directives are ignored by browsers
        }
    }
    if max_age.is_none() && !h.invalid.iter().any(|r| r.starts_with("max-age")) {
        h.invalid.push("there is no max-age directive".into());
    }
    if h.invalid.is_empty() {
        h.max_age = max_age;
    }
    h
}

impl Hsts {
    /// The header rules of the preload list that this header breaks (empty: eligible, as
    /// far as the header goes; the list also requires the HTTPS redirect and every
    /// subdomain on HTTPS).
    pub fn preload_problems(&self) -> Vec<String> {
        let mut out = self.invalid.clone();
        match self.max_age {
            Some(n) if n < PRELOAD_MIN_AGE => {
                out.push(format!("max-age is {n} seconds, below the {PRELOAD_MIN_AGE} (one year) the preload list needs"))
            }
            _ => {}
        }
        if !self.include_subdomains {
            out.push("includeSubDomains is missing".into());
        }
        if !self.preload {
            out.push("the preload directive is missing".into());
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directives() {
        let h = parse("max-age=31536000; includeSubDomains; preload");
        assert_eq!(h.max_age, Some(31_536_000));
        assert!(h.include_subdomains && h.preload && h.invalid.is_empty());
        assert!(h.preload_problems().is_empty());
        let h = parse("MAX-AGE=\"3600\" ; PRELOAD");
        assert_eq!(h.max_age, Some(3600));
        assert_eq!(h.preload_problems().len(), 2);
        assert_eq!(parse("max-age=0").max_age, Some(0));
    }

    #[test]
    fn invalid_headers_are_ignored_by_browsers() {
        for v in [
            "includeSubDomains",
            "max-age=1; max-age=2",
            "max-age=-5",
            "max-age=1e9",
            "max-age=",
            "",
        ] {
            let h = parse(v);
            assert_eq!(h.max_age, None, "{v}");
            assert!(!h.invalid.is_empty(), "{v}");
        }
    }
}
