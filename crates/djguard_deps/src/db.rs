//! The local advisory cache that `djguard db update` fills: the OSV export of every PyPI
//! advisory (one zip, as published), an index of which zip entries concern which package
//! (so an audit reads only the records of the packages it has), the download's validators
//! (ETag, Last-Modified) for cheap refreshes, and Django's release list from the package
//! index. Every file is written beside its final name and renamed into place, so a failed
//! or partial download never replaces a working database.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::django_data::Calendar;
use super::osv;

pub const DEFAULT_OSV_URL: &str = "https://osv-vulnerabilities.storage.googleapis.com/PyPI/all.zip";
pub const DEFAULT_PYPI_DJANGO_URL: &str = "https://pypi.org/pypi/django/json";
pub const DEFAULT_OSV_API: &str = "https://api.osv.dev";
/// Where the advisory database is downloaded from instead of [`DEFAULT_OSV_URL`] (a mirror, or
/// a loopback server in tests); `djguard check` and `djguard db update` both read it.
pub const URL_ENV: &str = "DJGUARD_ADVISORY_URL";
/// `check` refreshes a database (conditionally: one request, 304 when unchanged) once it was
/// last checked this many days ago.
pub const REFRESH_AFTER_DAYS: i64 = 1;
/// How long `check` waits for each step of reaching the advisory server (name lookup,
/// connection, request, response headers) before going on without it.
const AUTO_STEP_TIMEOUT: Duration = Duration::from_secs(2);

const ZIP: &str = "osv-pypi.zip";
const META: &str = "osv-pypi.meta.json";
const CALENDAR: &str = "django-releases.json";
/// When `check`'s last automatic download failed (RFC 3339): it is not tried again that day.
const FAILED: &str = "osv-pypi.failed";
/// Part files older than this are left over from an interrupted download and removed.
const STALE_PART: Duration = Duration::from_secs(3600);
/// A database older than this is called old in reports.
pub const OLD_AFTER_DAYS: i64 = 7;
/// The largest download accepted (the PyPI export is tens of MiB).
const MAX_DOWNLOAD: u64 = 1024 * 1024 * 1024;

/// Why one half of `djguard db update` failed; [`update`] turns it into a report line.
#[derive(Debug, thiserror::Error)]
enum DbError {
    /// The request failed or its body could not be read (connection, TLS, timeout, size).
    #[error(transparent)]
    Request(#[from] ureq::Error),
    /// A file of the cache could not be written, synced or renamed into place.
    #[error(transparent)]
    Io(#[from] std::io::Error),
    /// What we write could not be serialised.
    #[error(transparent)]
    Json(#[from] serde_json::Error),
    /// A status other than 200 (or 304 to a conditional request).
    #[error("HTTP {0}")]
    Status(u16),
    #[error("the server answered 304 Not Modified to a first download")]
    NotModifiedFirstDownload,
    #[error("cannot write {}: {source}", .path.display())]
    CreatePart {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("the download broke off ({0})")]
    BrokeOff(#[source] std::io::Error),
    #[error("the download is truncated ({received} of {expected} bytes)")]
    Truncated { received: u64, expected: u64 },
    #[error("the download is not a usable advisory zip ({0})")]
    NotAdvisoryZip(#[source] IndexError),
    #[error("the download holds no OSV record")]
    NoRecords,
    #[error("not the package index's JSON ({0})")]
    NotPackageIndex(#[source] serde_json::Error),
}

/// Why a downloaded zip could not be indexed (see [`index_zip`]).
#[derive(Debug, thiserror::Error)]
enum IndexError {
    #[error(transparent)]
    Io(#[from] std::io::Error),
    #[error(transparent)]
    Zip(#[from] zip::result::ZipError),
    /// One entry's bytes could not be read.
    #[error("{name}: {source}")]
    Entry {
        name: String,
        #[source]
        source: std::io::Error,
    },
}

/// Where the cache lives: `--cache-dir`, `$DJGUARD_CACHE_DIR`, `$XDG_CACHE_HOME/djguard`,
/// `~/.cache/djguard`.
pub fn cache_dir(explicit: Option<&Path>) -> Option<PathBuf> {
    if let Some(p) = explicit {
        return Some(p.to_path_buf());
    }
    if let Some(p) = std::env::var_os("DJGUARD_CACHE_DIR").filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(p));
    }
    if let Some(p) = std::env::var_os("XDG_CACHE_HOME").filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(p).join("djguard"));
    }
    std::env::var_os("HOME")
        .filter(|p| !p.is_empty())
        .map(|h| PathBuf::from(h).join(".cache").join("djguard"))
}

#[derive(Serialize, Deserialize, Debug, Default, Clone)]
pub struct Meta {
    pub url: String,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    /// When the zip was downloaded (RFC 3339, UTC).
    pub downloaded: String,
    /// When the server was last asked (a 304 refreshes this only).
    pub checked: String,
    pub size: u64,
    pub records: usize,
    /// Package (normalised) → zip entries that mention it.
    pub index: BTreeMap<String, Vec<String>>,
}

/// What a cache holds, for reports.
#[derive(Debug, Clone, Serialize)]
pub struct CacheStatus {
    pub path: String,
    pub downloaded: String,
    pub checked: String,
    pub records: usize,
    pub age_days: i64,
}

pub struct Cache {
    pub dir: PathBuf,
}

impl Cache {
    pub fn new(dir: PathBuf) -> Cache {
        Cache { dir }
    }

    fn meta(&self) -> Option<Meta> {
        let text = std::fs::read_to_string(self.dir.join(META)).ok()?;
        serde_json::from_str(&text).ok()
    }

    /// The downloaded database, its index read once; `None` when there is none or the zip
    /// and its index disagree (an interrupted update).
    pub fn open(&self) -> Option<Stored> {
        let meta = self.meta()?;
        let zip = self.dir.join(ZIP);
        let size = std::fs::metadata(&zip).ok()?.len();
        (size == meta.size).then_some(Stored { meta, zip })
    }

    /// Django's release list as last refreshed, if any.
    pub fn calendar(&self) -> Option<Calendar> {
        let text = std::fs::read_to_string(self.dir.join(CALENDAR)).ok()?;
        serde_json::from_str(&text).ok()
    }
}

/// An opened database: the zip and its package index.
pub struct Stored {
    meta: Meta,
    zip: PathBuf,
}

impl Stored {
    /// The database's state, for reports.
    pub fn status(&self, today: &str) -> CacheStatus {
        let m = &self.meta;
        CacheStatus {
            path: self.zip.display().to_string(),
            age_days: days_between(m.checked.get(..10).unwrap_or(""), today).unwrap_or(0),
            downloaded: m.downloaded.clone(),
            checked: m.checked.clone(),
            records: m.records,
        }
    }

    /// Load the records of these packages into `db`.
    pub fn load(
        &self,
        db: &mut osv::Database,
        packages: &[String],
    ) -> Result<(), osv::AdvisoryLoadError> {
        let mut entries: Vec<String> = packages
            .iter()
            .filter_map(|p| self.meta.index.get(p))
            .flatten()
            .cloned()
            .collect();
        entries.sort();
        entries.dedup();
        db.load_zip(&self.zip, Some(&entries))
    }
}

pub struct UpdateOptions {
    pub dir: PathBuf,
    pub osv_url: String,
    pub pypi_url: String,
    pub timeout: Duration,
    /// Draw a progress bar on standard error (a terminal).
    pub progress: bool,
}

#[derive(Debug)]
pub struct UpdateReport {
    pub lines: Vec<String>,
    /// The advisory download failed (the old database, if any, is kept).
    pub failed: bool,
}

pub fn agent(timeout: Duration) -> ureq::Agent {
    ureq::Agent::config_builder()
        .timeout_global(Some(timeout))
        .http_status_as_error(false)
        .user_agent(concat!("djguard/", env!("CARGO_PKG_VERSION")))
        .build()
        .into()
}

/// `djguard check`'s automatic download: where from, and whether to draw a progress bar.
#[derive(Debug, Clone)]
pub struct AutoUpdate {
    pub url: String,
    /// Draw a progress bar on standard error (a terminal).
    pub progress: bool,
}

/// What `check`'s automatic download did.
#[derive(Debug, PartialEq, Eq)]
pub enum AutoOutcome {
    /// The database was checked less than [`REFRESH_AFTER_DAYS`] ago: no request.
    Fresh,
    /// Downloaded (first run or changed on the server): the report line.
    Downloaded(String),
    /// The server said 304: the database is current.
    NotModified,
    /// The server could not be reached or sent no usable database: why, in one line. The old
    /// database, if any, is kept.
    Failed(String),
    /// An attempt failed earlier the same day (at this time): not tried again until tomorrow
    /// (or `djguard db update`), so a machine without network loses its seconds once a day.
    FailedToday(String),
}

/// The agent of `check`'s download: each step before the body gives up after
/// [`AUTO_STEP_TIMEOUT`], so a machine without network loses about two seconds; a body that
/// stalls for 20 s ends the download.
fn auto_agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .timeout_resolve(Some(AUTO_STEP_TIMEOUT))
        .timeout_connect(Some(AUTO_STEP_TIMEOUT))
        .timeout_send_request(Some(AUTO_STEP_TIMEOUT))
        .timeout_recv_response(Some(AUTO_STEP_TIMEOUT))
        .timeout_per_read(Some(Duration::from_secs(20)))
        .timeout_global(Some(Duration::from_secs(600)))
        .http_status_as_error(false)
        .user_agent(concat!("djguard/", env!("CARGO_PKG_VERSION")))
        .build()
        .into()
}

/// `djguard check` on a project with packages other than Django: download the advisory
/// database when there is none, refresh it (conditionally) when it was last checked a day or
/// more before `today`, else nothing.
pub fn auto_update(cache: &Cache, opts: &AutoUpdate, now: &str, today: &str) -> AutoOutcome {
    // By age only: a database `db update` fetched from a mirror is as good as ours.
    if let Some(stored) = cache.open()
        && stored.status(today).age_days < REFRESH_AFTER_DAYS
    {
        return AutoOutcome::Fresh;
    }
    let failed = cache.dir.join(FAILED);
    if let Ok(when) = std::fs::read_to_string(&failed)
        && days_between(when.get(..10).unwrap_or(""), today).is_some_and(|d| d < REFRESH_AFTER_DAYS)
    {
        return AutoOutcome::FailedToday(when.trim().to_string());
    }
    if let Err(e) = std::fs::create_dir_all(&cache.dir) {
        return AutoOutcome::Failed(format!(
            "cannot create the cache folder {}: {e}",
            cache.dir.display()
        ));
    }
    let outcome = match update_osv(cache, &auto_agent(), &opts.url, now, opts.progress) {
        Ok(Fetched::NotModified(_)) => AutoOutcome::NotModified,
        Ok(Fetched::Downloaded(line)) => AutoOutcome::Downloaded(line),
        Err(e) => AutoOutcome::Failed(e.to_string()),
    };
    if matches!(outcome, AutoOutcome::Failed(_)) {
        // Best effort: without the mark the next run only tries again.
        let _ = std::fs::write(&failed, now);
    } else {
        let _ = std::fs::remove_file(&failed);
    }
    outcome
}

/// Remove part files an interrupted download left (each process writes its own, so none is
/// ever overwritten); recent ones may belong to a download still running.
fn remove_stale_parts(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let ours = name.starts_with("osv-pypi.") && name.ends_with(".part");
        let old = e
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age > STALE_PART);
        if ours && old {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

/// `djguard db update`.
pub fn update(opts: &UpdateOptions, now: &str) -> UpdateReport {
    let mut lines = Vec::new();
    let mut failed = false;
    if let Err(e) = std::fs::create_dir_all(&opts.dir) {
        return UpdateReport {
            lines: vec![format!(
                "error: cannot create the cache folder {}: {e}",
                opts.dir.display()
            )],
            failed: true,
        };
    }
    let cache = Cache::new(opts.dir.clone());
    let agent = agent(opts.timeout);
    let progress = opts.progress;
    match update_osv(&cache, &agent, &opts.osv_url, now, progress) {
        Ok(Fetched::Downloaded(line) | Fetched::NotModified(line)) => lines.push(line),
        Err(e) => {
            failed = true;
            let kept = match cache.meta() {
                Some(m) => format!("kept the database downloaded {}", m.downloaded),
                None => "there is no database yet".to_string(),
            };
            lines.push(format!(
                "error: advisory download from {} failed: {e}; {kept}",
                opts.osv_url
            ));
        }
    }
    match update_calendar(&cache, &agent, &opts.pypi_url) {
        Ok(line) => lines.push(line),
        Err(e) => lines.push(format!(
            "warning: Django release list not refreshed from {}: {e}; the built-in list is used",
            opts.pypi_url
        )),
    }
    UpdateReport { lines, failed }
}

/// What a successful request for the advisory zip did, with its report line.
enum Fetched {
    Downloaded(String),
    NotModified(String),
}

fn update_osv(
    cache: &Cache,
    agent: &ureq::Agent,
    url: &str,
    now: &str,
    progress: bool,
) -> Result<Fetched, DbError> {
    let old = cache.meta().filter(|m| {
        m.url == url && std::fs::metadata(cache.dir.join(ZIP)).is_ok_and(|md| md.len() == m.size)
    });
    let mut req = agent.get(url);
    if let Some(m) = &old {
        if let Some(etag) = &m.etag {
            req = req.header("If-None-Match", etag);
        }
        if let Some(lm) = &m.last_modified {
            req = req.header("If-Modified-Since", lm);
        }
    }
    let resp = req.call()?;
    let status = resp.status().as_u16();
    if status == 304 {
        let Some(mut m) = old else {
            return Err(DbError::NotModifiedFirstDownload);
        };
        m.checked = now.to_string();
        write_atomic(&cache.dir.join(META), &serde_json::to_vec(&m)?)?;
        return Ok(Fetched::NotModified(format!(
            "advisories: not modified since {} ({} records)",
            m.downloaded, m.records
        )));
    }
    if status != 200 {
        return Err(DbError::Status(status));
    }
    let header = |name: &str| {
        resp.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let etag = header("etag");
    let last_modified = header("last-modified");
    let expected: Option<u64> = header("content-length").and_then(|v| v.parse().ok());
    remove_stale_parts(&cache.dir);
    // One part file per process: two audits starting at once each download their own.
    let part = cache.dir.join(format!("{ZIP}.{}.part", std::process::id()));
    let received = download_part(resp, &part, expected, progress)?;
    let (index, records) = match index_with_spinner(&part, progress) {
        Ok((_, 0)) => {
            let _ = std::fs::remove_file(&part);
            return Err(DbError::NoRecords);
        }
        Ok(x) => x,
        Err(e) => {
            let _ = std::fs::remove_file(&part);
            return Err(DbError::NotAdvisoryZip(e));
        }
    };
    let meta = Meta {
        url: url.to_string(),
        etag,
        last_modified,
        downloaded: now.to_string(),
        checked: now.to_string(),
        size: received,
        records,
        index,
    };
    let meta_part = cache
        .dir
        .join(format!("{META}.{}.part", std::process::id()));
    std::fs::write(&meta_part, serde_json::to_vec(&meta)?)?;
    std::fs::rename(&part, cache.dir.join(ZIP))?;
    std::fs::rename(&meta_part, cache.dir.join(META))?;
    Ok(Fetched::Downloaded(format!(
        "advisories: downloaded {received} bytes, {records} records for {} packages",
        meta.index.len()
    )))
}

/// The response's body into `part`, checked against the announced length; on any failure the
/// part file is removed.
fn download_part(
    resp: ureq::http::Response<ureq::Body>,
    part: &Path,
    expected: Option<u64>,
    progress: bool,
) -> Result<u64, DbError> {
    let mut file = std::fs::File::create(part).map_err(|source| DbError::CreatePart {
        path: part.to_path_buf(),
        source,
    })?;
    let mut reader = resp
        .into_body()
        .into_with_config()
        .limit(MAX_DOWNLOAD)
        .reader();
    let bar = progress.then(|| download_bar(expected));
    let copied = copy(&mut reader, &mut file, bar.as_ref());
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    let received = match copied.and_then(|n| file.sync_all().map(|()| n)) {
        Ok(n) => n,
        Err(e) => {
            let _ = std::fs::remove_file(part);
            return Err(DbError::BrokeOff(e));
        }
    };
    if let Some(n) = expected
        && n != received
    {
        let _ = std::fs::remove_file(part);
        return Err(DbError::Truncated {
            received,
            expected: n,
        });
    }
    Ok(received)
}

/// [`index_zip`] with a spinner on standard error while it reads the records.
fn index_with_spinner(
    part: &Path,
    progress: bool,
) -> Result<(BTreeMap<String, Vec<String>>, usize), IndexError> {
    let spinner = progress.then(|| {
        let s = indicatif::ProgressBar::new_spinner();
        s.set_draw_target(indicatif::ProgressDrawTarget::stderr());
        s.set_message("indexing the advisories");
        s.enable_steady_tick(Duration::from_millis(120));
        s
    });
    let indexed = index_zip(part);
    if let Some(s) = spinner {
        s.finish_and_clear();
    }
    indexed
}

/// A progress bar on standard error for the download (a spinner when the size is unknown).
fn download_bar(len: Option<u64>) -> indicatif::ProgressBar {
    let bar = match len {
        Some(n) => indicatif::ProgressBar::new(n).with_style(
            indicatif::ProgressStyle::with_template("{msg} [{wide_bar}] {bytes}/{total_bytes}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
                .progress_chars("=> "),
        ),
        None => indicatif::ProgressBar::new_spinner(),
    };
    bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
    bar.set_message("downloading advisories");
    bar
}

fn copy(
    reader: &mut impl Read,
    out: &mut impl Write,
    bar: Option<&indicatif::ProgressBar>,
) -> std::io::Result<u64> {
    let mut buf = vec![0u8; 64 * 1024];
    let mut total = 0u64;
    loop {
        let n = reader.read(&mut buf)?;
        if n == 0 {
            return Ok(total);
        }
        out.write_all(&buf[..n])?;
        total += n as u64;
        if let Some(bar) = bar {
            bar.inc(n as u64);
        }
    }
}

/// Read every record of a downloaded zip: which entries name which PyPI package. Fails when
/// the zip is unreadable; records that are not OSV are counted out, not fatal.
fn index_zip(path: &Path) -> Result<(BTreeMap<String, Vec<String>>, usize), IndexError> {
    let file = std::fs::File::open(path)?;
    let mut zip = zip::ZipArchive::new(std::io::BufReader::new(file))?;
    let mut index: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut records = 0;
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i)?;
        let name = entry.name()?.into_owned();
        if entry.is_dir()
            || !(name.ends_with(".json") || name.ends_with(".yaml") || name.ends_with(".yml"))
        {
            continue;
        }
        let mut bytes = Vec::new();
        (&mut entry)
            .take(8 * 1024 * 1024)
            .read_to_end(&mut bytes)
            .map_err(|source| IndexError::Entry {
                name: name.clone(),
                source,
            })?;
        let Ok(recs) = osv::parse_document(&name, &bytes) else {
            continue;
        };
        for r in recs {
            records += 1;
            for a in &r.affected {
                if let Some(p) = &a.package
                    && p.ecosystem.eq_ignore_ascii_case("pypi")
                {
                    let list = index
                        .entry(super::pep::normalize_name(&p.name))
                        .or_default();
                    if list.last() != Some(&name) {
                        list.push(name.clone());
                    }
                }
            }
        }
    }
    Ok((index, records))
}

/// Write beside `path` (`*.part`), then rename into place.
fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let part = path.with_extension("part");
    std::fs::write(&part, bytes)?;
    std::fs::rename(&part, path)
}

#[derive(Deserialize)]
struct PypiProject {
    releases: BTreeMap<String, Vec<PypiFile>>,
}

#[derive(Deserialize)]
struct PypiFile {
    #[serde(default)]
    yanked: bool,
}

/// Refresh Django's release list from the package index's JSON; the dates stay the
/// built-in ones (the index does not know them).
fn update_calendar(cache: &Cache, agent: &ureq::Agent, url: &str) -> Result<String, DbError> {
    let resp = agent.get(url).call()?;
    if resp.status().as_u16() != 200 {
        return Err(DbError::Status(resp.status().as_u16()));
    }
    let body = resp
        .into_body()
        .into_with_config()
        .limit(64 * 1024 * 1024)
        .read_to_vec()?;
    let project: PypiProject = serde_json::from_slice(&body).map_err(DbError::NotPackageIndex)?;
    let mut calendar = Calendar::embedded();
    let mut by_series: BTreeMap<(u64, u64), Vec<super::pep::Version>> = BTreeMap::new();
    let mut yanked = Vec::new();
    for (raw, files) in &project.releases {
        let Some(v) = super::pep::parse_version(raw) else {
            continue;
        };
        if v.any_prerelease() || v.is_local() {
            continue;
        }
        if !files.is_empty() && files.iter().all(|f| f.yanked) {
            yanked.push(raw.clone());
            continue;
        }
        if files.is_empty() {
            continue;
        }
        by_series.entry(super::pep::series(&v)).or_default().push(v);
    }
    let mut newest = String::new();
    for (key, mut versions) in by_series {
        versions.sort();
        let list: Vec<String> = versions.iter().map(ToString::to_string).collect();
        if let Some(last) = list.last() {
            newest = newest.max(last.clone());
        }
        match calendar.series.iter_mut().find(|s| s.key() == Some(key)) {
            Some(s) => s.releases = list,
            None => calendar.series.push(super::django_data::Series {
                series: format!("{}.{}", key.0, key.1),
                first_release: None,
                end_mainstream: None,
                end_extended: None,
                lts: false,
                planned: false,
                releases: list,
            }),
        }
    }
    calendar.series.sort_by_key(|s| std::cmp::Reverse(s.key()));
    calendar.yanked = yanked;
    calendar.source = format!("{url} (releases) and the built-in support calendar (dates)");
    let n = calendar.series.len();
    write_atomic(
        &cache.dir.join(CALENDAR),
        &serde_json::to_vec_pretty(&calendar)?,
    )?;
    Ok(format!("Django releases: {n} series refreshed"))
}

/// Whole days from `a` to `b` (both `YYYY-MM-DD`).
pub fn days_between(a: &str, b: &str) -> Option<i64> {
    Some(day_number(b)? - day_number(a)?)
}

/// Today's date (UTC) as `YYYY-MM-DD`; `DJGUARD_TODAY` overrides it for reproducible reports.
pub fn today() -> String {
    if let Ok(t) = std::env::var("DJGUARD_TODAY")
        && day_number(&t).is_some()
    {
        return t[..10].to_string();
    }
    now_rfc3339()[..10].to_string()
}

use crate::dates::day_number;
pub use crate::dates::now_rfc3339;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(days_between("2026-04-30", "2026-11-21"), Some(205));
        assert_eq!(days_between("2024-02-28", "2024-03-01"), Some(2));
        assert_eq!(day_number("1970-01-01"), Some(0));
        assert!(now_rfc3339().starts_with("20"));
    }

    #[test]
    fn error_messages() {
        let io = || std::io::Error::other("boom");
        for (e, text) in [
            (DbError::Status(503), "HTTP 503"),
            (
                DbError::NotModifiedFirstDownload,
                "the server answered 304 Not Modified to a first download",
            ),
            (
                DbError::CreatePart {
                    path: PathBuf::from("c/osv-pypi.zip.part"),
                    source: io(),
                },
                "cannot write c/osv-pypi.zip.part: boom",
            ),
            (DbError::BrokeOff(io()), "the download broke off (boom)"),
            (
                DbError::Truncated {
                    received: 5,
                    expected: 9,
                },
                "the download is truncated (5 of 9 bytes)",
            ),
            (
                DbError::NotAdvisoryZip(IndexError::Entry {
                    name: "PYSEC-1.json".into(),
                    source: io(),
                }),
                "the download is not a usable advisory zip (PYSEC-1.json: boom)",
            ),
            (DbError::Io(io()), "boom"),
        ] {
            assert_eq!(e.to_string(), text);
        }
        let json = serde_json::from_slice::<serde_json::Value>(b"{").unwrap_err();
        assert_eq!(
            DbError::NotPackageIndex(json).to_string(),
            format!(
                "not the package index's JSON ({})",
                serde_json::from_slice::<serde_json::Value>(b"{").unwrap_err()
            )
        );
    }
}
