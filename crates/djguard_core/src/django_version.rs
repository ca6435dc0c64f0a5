//! Django release numbers, the releases we know, and which one a project pins.
//! Which release a project pins is read by the dependency audit (`crate::deps::django_pin`).

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
}
