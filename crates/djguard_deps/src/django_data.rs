//! Django's own security advisories and release calendar, embedded in the binary so the
//! Django checks need no download. Both files are made by `scripts/gen_django_data.py` from
//! the security archive and release notes in Django's source distribution and from the
//! package index's release list; `djguard db update` refreshes the release list.

use std::sync::Arc;

use serde::Deserialize;

use super::osv::{Advisory, PackageEffect};
use super::pep::{self, Range, Version};

const ADVISORIES_JSON: &str = include_str!("../data/django_advisories.json");
const RELEASES_JSON: &str = include_str!("../data/django_releases.json");

#[derive(Deserialize)]
struct AdvisoriesFile {
    generated: String,
    advisories: Vec<DjangoAdvisory>,
}

#[derive(Deserialize)]
struct DjangoAdvisory {
    id: String,
    date: String,
    summary: String,
    affected: Vec<SeriesFix>,
}

#[derive(Deserialize)]
struct SeriesFix {
    series: String,
    fixed: Option<String>,
}

#[derive(Deserialize, Clone, Debug, serde::Serialize)]
pub struct Calendar {
    pub generated: String,
    #[serde(default)]
    pub source: String,
    pub series: Vec<Series>,
    #[serde(default)]
    pub yanked: Vec<String>,
    /// Every release, parsed once.
    #[serde(skip)]
    parsed: std::sync::OnceLock<Vec<Version>>,
}

#[derive(Deserialize, Clone, Debug, serde::Serialize)]
pub struct Series {
    pub series: String,
    pub first_release: Option<String>,
    pub end_mainstream: Option<String>,
    pub end_extended: Option<String>,
    #[serde(default)]
    pub lts: bool,
    #[serde(default)]
    pub planned: bool,
    #[serde(default)]
    pub releases: Vec<String>,
}

impl Series {
    pub fn key(&self) -> Option<(u64, u64)> {
        let (a, b) = self.series.split_once('.')?;
        Some((a.parse().ok()?, b.parse().ok()?))
    }

    pub fn versions(&self) -> Vec<Version> {
        let mut v: Vec<Version> = self
            .releases
            .iter()
            .filter_map(|r| pep::parse_version(r))
            .collect();
        v.sort();
        v
    }
}

impl Calendar {
    pub fn embedded() -> Calendar {
        // The file is ours and tested; an unreadable one is a build defect, but never panic.
        serde_json::from_str(RELEASES_JSON).unwrap_or(Calendar {
            generated: String::new(),
            source: String::new(),
            series: Vec::new(),
            yanked: Vec::new(),
            parsed: Default::default(),
        })
    }

    pub fn series_of(&self, v: &Version) -> Option<&Series> {
        let key = pep::series(v);
        self.series.iter().find(|s| s.key() == Some(key))
    }

    /// Every known final release, ascending.
    pub fn all_releases(&self) -> &[Version] {
        self.parsed.get_or_init(|| {
            let mut all: Vec<Version> = self.series.iter().flat_map(Series::versions).collect();
            all.sort();
            all
        })
    }

    /// The newest LTS series still supported on `today` (for "upgrade to" advice).
    pub fn newest_supported_lts(&self, today: &str) -> Option<&Series> {
        self.series
            .iter()
            .filter(|s| {
                s.lts
                    && !s.releases.is_empty()
                    && s.end_extended.as_deref().is_some_and(|d| d >= today)
            })
            .max_by_key(|s| s.key())
    }
}

/// Django's advisories as OSV-like advisories for the `django` package.
pub fn advisories() -> (String, Vec<Arc<Advisory>>) {
    let Ok(file) = serde_json::from_str::<AdvisoriesFile>(ADVISORIES_JSON) else {
        return (String::new(), Vec::new());
    };
    let mut out = Vec::new();
    for a in file.advisories {
        let mut affected = Range::empty();
        let mut fixed = Vec::new();
        for s in &a.affected {
            let Some(start) = pep::parse_version(&s.series) else {
                continue;
            };
            let end = match s.fixed.as_deref().and_then(pep::parse_version) {
                Some(f) => {
                    fixed.push(f.clone());
                    f
                }
                // No fixed release found for this series: the whole series.
                None => next_series_start(&start),
            };
            // `between` would build an invalid set when end <= start (a fix in the series'
            // first release); the intersection is empty then.
            affected = affected
                .union(&Range::higher_than(start).intersection(&Range::strictly_lower_than(end)));
        }
        fixed.sort();
        let url = format!(
            "https://docs.djangoproject.com/en/dev/releases/security/#{}",
            a.id.to_ascii_lowercase()
        );
        out.push(Arc::new(Advisory {
            id: a.id,
            aliases: Vec::new(),
            summary: a.summary,
            summary_from_details: false,
            published: Some(a.date),
            cvss: None,
            severity: None,
            url: Some(url),
            source: "Django security archive (built in)".into(),
            packages: vec![PackageEffect {
                name: "django".into(),
                affected,
                fixed,
            }],
        }));
    }
    (file.generated, out)
}

fn next_series_start(start: &Version) -> Version {
    let (major, minor) = pep::series(start);
    pep::parse_version(&format!("{major}.{}", minor + 1)).unwrap_or_else(|| start.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_data_is_readable_and_consistent() {
        let cal = Calendar::embedded();
        assert!(cal.series.len() > 20, "{} series", cal.series.len());
        let (generated, advisories) = advisories();
        assert!(!generated.is_empty());
        assert!(advisories.len() > 100);
        // Every fixed release is a real release of its series, except the three CVE-2019-6975
        // releases whose files were replaced on the index by the next patch release.
        let all = cal.all_releases();
        for a in &advisories {
            for f in &a.packages[0].fixed {
                let known_gap = ["2.1.6", "2.0.11", "1.11.19"].contains(&f.to_string().as_str());
                assert!(
                    all.contains(f) || known_gap,
                    "{}: fixed {f} is not a known release",
                    a.id
                );
            }
        }
        // CVE-2023-43665 (Truncator) was fixed in 4.2.6, 4.1.12 and 3.2.22.
        let a = advisories
            .iter()
            .find(|a| a.id == "CVE-2023-43665")
            .unwrap();
        let v = |s: &str| pep::parse_version(s).unwrap();
        assert!(a.affects("django", &v("4.2.5")));
        assert!(!a.affects("django", &v("4.2.6")));
        assert!(a.affects("django", &v("3.2.21")));
        assert!(!a.affects("django", &v("5.0")));
    }
}
