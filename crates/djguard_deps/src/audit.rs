//! From dependencies and advisories to findings: Django's support calendar (DJG301-303),
//! advisories affecting an exact version (DJG304) with the smallest upgrade that clears them
//! all, and ranges that allow affected versions (DJG305).

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use super::django_data::{self, Calendar};
use super::osv::{self, Advisory, Database};
use super::pep::{self, Range, Version};
use super::{DepError, Dependency, FileKind, Inventory, Want};
use crate::finding::{Confidence, Finding, Severity};
use crate::rules as r;
use crate::rules::RuleMeta;
pub use djguard_core::package::{AdvisoryInfo, DepsSummary, InventoryEntry, PackageInfo};

#[derive(Debug)]
pub struct DepsOptions {
    /// `--advisories PATH` (folders, zips, files).
    pub advisories: Vec<PathBuf>,
    /// `--online`: ask the OSV API too.
    pub online: bool,
    pub osv_api: String,
    pub cache_dir: Option<PathBuf>,
    /// Use the advisories built into djguard (Django's).
    pub builtin: bool,
    pub timeout: Duration,
    /// `YYYY-MM-DD`.
    pub today: String,
    /// Advisory ids (or aliases) not to report.
    pub ignore_advisories: Vec<String>,
    /// Download the advisory database when there is none, refresh it when a day old (not
    /// with `--offline` or `DJGUARD_OFFLINE=1`).
    pub auto_update: Option<super::db::AutoUpdate>,
}

impl DepsOptions {
    pub fn new() -> DepsOptions {
        DepsOptions {
            advisories: Vec::new(),
            online: false,
            osv_api: super::db::DEFAULT_OSV_API.into(),
            cache_dir: None,
            builtin: true,
            timeout: Duration::from_secs(30),
            today: super::db::today(),
            ignore_advisories: Vec::new(),
            auto_update: None,
        }
    }
}

impl Default for DepsOptions {
    fn default() -> Self {
        Self::new()
    }
}

pub struct DepsOutcome {
    pub findings: Vec<Finding>,
    pub errors: Vec<DepError>,
    pub summary: DepsSummary,
}

/// A vulnerability: the records (merged by alias) that describe it.
struct Group {
    members: Vec<Arc<Advisory>>,
}

impl Group {
    fn affects(&self, package: &str, v: &Version) -> bool {
        self.members.iter().any(|a| a.affects(package, v))
    }

    fn affected(&self, package: &str) -> Range {
        let mut r = Range::empty();
        for a in &self.members {
            if let Some(e) = a.effect(package) {
                r = r.union(&e.affected);
            }
        }
        r
    }

    fn fixed(&self, package: &str) -> Vec<Version> {
        let mut f: Vec<Version> = self
            .members
            .iter()
            .filter_map(|a| a.effect(package))
            .flat_map(|e| e.fixed.iter().cloned())
            .collect();
        f.sort();
        f.dedup();
        f
    }

    fn ids(&self) -> Vec<String> {
        let mut ids: Vec<String> = Vec::new();
        for a in &self.members {
            for id in a.ids() {
                if !ids.iter().any(|x| x == id) {
                    ids.push(id.to_string());
                }
            }
        }
        ids
    }

    /// The id people know: the CVE, else GHSA, else PYSEC, else the first.
    fn display_id(&self) -> String {
        let ids = self.ids();
        for prefix in ["CVE-", "GHSA-", "PYSEC-"] {
            if let Some(id) = ids.iter().filter(|i| i.starts_with(prefix)).min() {
                return id.clone();
            }
        }
        ids.first().cloned().unwrap_or_default()
    }

    fn severity(&self) -> Option<Severity> {
        self.members.iter().filter_map(|a| a.severity).max()
    }

    fn summary(&self) -> String {
        // Prefer a record's own one-line summary (Django's, GHSA's) over a sentence of details.
        self.members
            .iter()
            .filter(|a| !a.summary.trim().is_empty())
            .min_by_key(|a| (a.summary_from_details, a.summary.len()))
            .map(|a| a.summary.trim().to_string())
            .unwrap_or_default()
    }

    fn info(&self, package: &str) -> AdvisoryInfo {
        let mut sources: Vec<String> = self.members.iter().map(|a| a.source.clone()).collect();
        sources.sort();
        sources.dedup();
        AdvisoryInfo {
            id: self.display_id(),
            ids: self.ids(),
            summary: self.summary(),
            url: self.members.iter().find_map(|a| a.url.clone()),
            fixed_in: self
                .fixed(package)
                .iter()
                .map(ToString::to_string)
                .collect(),
            cvss: self.members.iter().find_map(|a| a.cvss.clone()),
            published: self
                .members
                .iter()
                .filter_map(|a| a.published.clone())
                .min(),
            sources,
        }
    }
}

/// Audit an inventory. Reads advisories from the sources the options name.
pub fn run(inv: Inventory, opts: &DepsOptions, enabled: &dyn Fn(&RuleMeta) -> bool) -> DepsOutcome {
    let mut summary = DepsSummary {
        files: inv.files.clone(),
        ..DepsSummary::default()
    };
    let mut errors = inv.errors;
    let deps = inv.dependencies;
    summarise_inventory(&deps, &mut summary);

    // ---- advisories
    let mut names: Vec<String> = deps.iter().map(|d| d.name.clone()).collect();
    names.sort();
    names.dedup();
    let mut db = Database::default();
    let cache = super::db::cache_dir(opts.cache_dir.as_deref()).map(super::db::Cache::new);
    // The sources are loaded, and so said in the summary, in this order.
    let calendar = load_calendar(cache.as_ref(), &mut summary);
    if opts.builtin {
        load_builtin(&mut db, opts, &mut summary);
    }
    // Django's advisories are built in: only other packages need the database.
    let needs_database = names.iter().any(|n| n != "django");
    let mut download_failed = false;
    // Not when the user named the sources (`--advisories`, `--online`).
    let named_sources = !opts.advisories.is_empty() || opts.online;
    if let (Some(auto), Some(cache), true, false) =
        (&opts.auto_update, &cache, needs_database, named_sources)
    {
        download_failed = !refresh(cache, auto, &mut summary);
    }
    load_cached(cache.as_ref(), &mut db, &names, opts, &mut summary);
    if download_failed {
        // The failure's note said what is used instead; "run db update" would repeat it.
        summary.notes.retain(|n| !n.starts_with(NO_DATABASE));
    }
    load_paths(&mut db, opts, &mut summary, &mut errors);
    if opts.online {
        load_online(&deps, &mut db, opts, &mut summary, &mut errors);
    }
    let findings = audit(&deps, &db, &calendar, opts, enabled, &mut summary);
    errors.append(&mut db.errors);
    if !db.notes.is_empty() {
        let n = db.notes.len();
        let first = db.notes.first().cloned().unwrap_or_default();
        summary.notes.push(format!(
            "{n} advisory value(s) could not be read and were skipped (first: {first})"
        ));
    }

    DepsOutcome {
        findings,
        errors,
        summary,
    }
}

/// The inventory part of the summary: counts by kind of requirement, and every dependency.
fn summarise_inventory(deps: &[Dependency], summary: &mut DepsSummary) {
    for d in deps {
        match &d.want {
            Want::Exact(_) => summary.pinned += 1,
            Want::Range(_) => summary.ranges += 1,
            Want::Url(_) => summary.direct += 1,
        }
    }
    summary.packages = deps.len();
    summary.dependencies = deps
        .iter()
        .map(|d| InventoryEntry {
            name: d.name.clone(),
            version: d.exact().map(ToString::to_string),
            spec: d.spec.clone(),
            status: match d.want {
                Want::Exact(_) => "pinned",
                Want::Range(_) => "range",
                Want::Url(_) => "direct",
            },
            path: d.path.clone(),
            line: d.line,
            kind: d.kind,
            group: d.group.clone(),
        })
        .collect();
}

/// The Django advisories built into djguard, with a note when they are getting old.
fn load_builtin(db: &mut Database, opts: &DepsOptions, summary: &mut DepsSummary) {
    let (generated, list) = django_data::advisories();
    let n = list.len();
    for a in list {
        db.add((*a).clone());
    }
    summary.sources.push(format!(
        "built-in Django security archive ({n} advisories, made {generated})"
    ));
    if let Some(age) = super::db::days_between(&generated, &opts.today)
        && age > 120
    {
        summary.notes.push(format!("the built-in Django advisories are {age} days old; `djguard db update` or a newer djguard adds newer ones"));
    }
}

/// `check`'s automatic download or refresh of the advisory database, said in the summary:
/// false when it failed (one note says why and what is used instead).
fn refresh(
    cache: &super::db::Cache,
    auto: &super::db::AutoUpdate,
    summary: &mut DepsSummary,
) -> bool {
    use super::db::AutoOutcome;
    // The clock, not `opts.today` (which DJGUARD_TODAY may pin for reproducible reports):
    // the database's age is about real time.
    let now = super::db::now_rfc3339();
    match super::db::auto_update(cache, auto, &now, now.get(..10).unwrap_or("")) {
        AutoOutcome::Fresh | AutoOutcome::NotModified => true,
        AutoOutcome::Downloaded(line) => {
            summary.notes.push(format!(
                "{line} from {} into {} (refreshed when a day old; --offline skips it)",
                auto.url,
                cache.dir.display()
            ));
            true
        }
        AutoOutcome::FailedToday(when) => {
            if cache.open().is_none() {
                summary.notes.push(format!(
                    "no advisory database: downloading it from {} failed at {when}; djguard tries again tomorrow, `djguard db update` now (only the built-in Django advisories are used)",
                    auto.url
                ));
                return false;
            }
            true
        }
        AutoOutcome::Failed(why) => {
            let kept = if cache.open().is_some() {
                "the advisory database already in the cache is used"
            } else {
                "only the built-in Django advisories are used"
            };
            summary.notes.push(format!(
                "could not download the advisory database from {}: {why}; {kept} (--offline or DJGUARD_OFFLINE=1 skips the download)",
                auto.url
            ));
            false
        }
    }
}

/// How the note on a missing database starts.
const NO_DATABASE: &str = "no advisory database for packages other than Django";

/// The OSV database in the cache folder (for `names` only), or a note on why it is not used.
fn load_cached(
    cache: Option<&super::db::Cache>,
    db: &mut Database,
    names: &[String],
    opts: &DepsOptions,
    summary: &mut DepsSummary,
) {
    let Some(cache) = cache else {
        summary.notes.push(
            "no cache folder (HOME is not set); only built-in and --advisories data are used"
                .into(),
        );
        return;
    };
    match cache.open() {
        Some(stored) => match stored.load(db, names) {
            Ok(()) => {
                let st = stored.status(&opts.today);
                summary.sources.push(format!("OSV PyPI database in {} ({} records, downloaded {})", st.path, st.records, st.downloaded));
                if st.age_days > super::db::OLD_AFTER_DAYS {
                    summary.notes.push(format!("the advisory database was last refreshed {} days ago; run `djguard db update`", st.age_days));
                }
            }
            Err(e) => summary.notes.push(format!("the advisory database in the cache could not be read ({e}); run `djguard db update`")),
        },
        // Django's advisories are built in: only other packages need the database.
        None if opts.advisories.is_empty()
            && !opts.online
            && names.iter().any(|n| n != "django") =>
        {
            summary.notes.push(format!(
                "{NO_DATABASE}: run `djguard db update` (or pass --advisories PATH or --online)"
            ))
        }
        None => {}
    }
}

/// The `--advisories` paths, each said as a source or an error.
fn load_paths(
    db: &mut Database,
    opts: &DepsOptions,
    summary: &mut DepsSummary,
    errors: &mut Vec<DepError>,
) {
    for path in &opts.advisories {
        let before = db.records;
        match db.load_path(path) {
            Ok(()) => summary.sources.push(format!(
                "{} ({} records)",
                path.display(),
                db.records - before
            )),
            Err(e) => errors.push(DepError {
                path: path.display().to_string(),
                line: None,
                message: format!("--advisories: {e}"),
            }),
        }
    }
}

/// `--online`: the OSV API's records for the pinned packages.
fn load_online(
    deps: &[Dependency],
    db: &mut Database,
    opts: &DepsOptions,
    summary: &mut DepsSummary,
    errors: &mut Vec<DepError>,
) {
    let mut pairs: Vec<(String, String)> = deps
        .iter()
        .filter_map(|d| d.exact().map(|v| (d.name.clone(), v.to_string())))
        .collect();
    pairs.sort();
    pairs.dedup();
    match super::online::query(&opts.osv_api, opts.timeout, &pairs, db) {
        Ok(n) => summary.sources.push(format!(
            "OSV API {} ({n} records for {} pinned packages)",
            opts.osv_api,
            pairs.len()
        )),
        Err(e) => errors.push(DepError {
            path: opts.osv_api.clone(),
            line: None,
            message: format!("--online: {e}; results use the other sources only"),
        }),
    }
}

/// Findings for `deps` given the advisories in `db` and Django's calendar.
pub fn audit(
    deps: &[Dependency],
    db: &Database,
    calendar: &Calendar,
    opts: &DepsOptions,
    enabled: &dyn Fn(&RuleMeta) -> bool,
    summary: &mut DepsSummary,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    // The same package and version in several files is reported once, at the first file
    // (locks first), naming the others.
    let mut order: Vec<&Dependency> = deps.iter().collect();
    order.sort_by(|a, b| (a.kind, &a.path, a.line).cmp(&(b.kind, &b.path, b.line)));
    let pinned_names: std::collections::HashSet<&str> = deps
        .iter()
        .filter(|d| d.exact().is_some())
        .map(|d| d.name.as_str())
        .collect();
    let mut done: std::collections::BTreeSet<(String, Version)> = Default::default();
    // Vulnerability groups per package, built once.
    let mut groups_cache: std::collections::HashMap<String, Vec<Group>> = Default::default();
    let mut cx = Cx {
        opts,
        calendar,
        enabled,
        findings: &mut findings,
        suppressed: 0,
        notes: Vec::new(),
    };
    for d in order {
        match &d.want {
            Want::Exact(v) => {
                let key = (d.name.clone(), v.clone());
                if !done.insert(key) {
                    continue;
                }
                let groups = groups_cache
                    .entry(d.name.clone())
                    .or_insert_with(|| groups_for(db, &d.name, opts));
                if d.name == "django" {
                    cx.django_calendar(d, v, groups);
                }
                cx.exact(d, v, groups, calendar);
            }
            // A package pinned anywhere is judged by its pin.
            Want::Range(range) if !pinned_names.contains(d.name.as_str()) => {
                let groups = groups_cache
                    .entry(d.name.clone())
                    .or_insert_with(|| groups_for(db, &d.name, opts));
                cx.range(d, range, groups);
            }
            _ => {}
        }
    }
    summary.suppressed = cx.suppressed;
    summary.notes.append(&mut cx.notes);
    // Name the other files that pin the same version.
    let mut places: std::collections::HashMap<(&str, String), Vec<(&str, u32)>> =
        Default::default();
    for d in deps {
        if let Some(v) = d.exact() {
            places
                .entry((d.name.as_str(), v.to_string()))
                .or_default()
                .push((d.path.as_str(), d.line));
        }
    }
    for f in findings.iter_mut() {
        let Some(info) = &f.package else { continue };
        let Some(version) = &info.version else {
            continue;
        };
        let Some(all) = places.get(&(info.name.as_str(), version.clone())) else {
            continue;
        };
        let others: Vec<String> = all
            .iter()
            .filter(|(p, l)| !(*p == f.path() && *l == f.line()))
            .map(|(p, l)| format!("{p}:{l}"))
            .collect();
        if !others.is_empty() {
            f.message
                .push_str(&format!(" (also pinned in {})", others.join(", ")));
        }
    }
    findings
}

fn load_calendar(cache: Option<&super::db::Cache>, summary: &mut DepsSummary) -> Calendar {
    let embedded = Calendar::embedded();
    let cached = cache.and_then(|c| c.calendar());
    let cal = match cached {
        Some(c) if c.series.len() >= embedded.series.len() => c,
        _ => embedded,
    };
    summary.sources.push(format!(
        "Django release calendar ({})",
        if cal.source.contains("built-in") {
            "refreshed by db update"
        } else {
            "built in"
        }
    ));
    cal
}

fn groups_for(db: &Database, name: &str, opts: &DepsOptions) -> Vec<Group> {
    let list = db.for_package(name);
    let mut groups: Vec<Group> = osv::merge_by_alias(list)
        .into_iter()
        .map(|members| Group { members })
        .collect();
    if !opts.ignore_advisories.is_empty() {
        groups.retain(|g| {
            !g.ids().iter().any(|id| {
                opts.ignore_advisories
                    .iter()
                    .any(|x| x.eq_ignore_ascii_case(id))
            })
        });
    }
    groups
}

struct Cx<'a> {
    opts: &'a DepsOptions,
    calendar: &'a Calendar,
    enabled: &'a dyn Fn(&RuleMeta) -> bool,
    findings: &'a mut Vec<Finding>,
    suppressed: usize,
    notes: Vec<String>,
}

impl Cx<'_> {
    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        meta: &'static RuleMeta,
        d: &Dependency,
        key: &str,
        confidence: Confidence,
        severity: Option<Severity>,
        message: String,
        fix: String,
        info: PackageInfo,
        ids: &[String],
    ) {
        if !(self.enabled)(meta) {
            return;
        }
        if crate::suppress::suppressed(&d.source_line, meta.id)
            || ids
                .iter()
                .any(|id| crate::suppress::suppressed(&d.source_line, id))
        {
            self.suppressed += 1;
            return;
        }
        let end_column = u32::try_from(d.source_line.chars().count() + 1).unwrap_or(u32::MAX);
        let mut f = Finding {
            message,
            fix,
            source_line: d.source_line.clone(),
            ..Finding::new(meta, &d.path, &format!("{}:{key}", d.name), confidence)
        };
        if let Some(at) = f.span_mut() {
            (at.line, at.end_line, at.end_column) = (d.line, d.line, end_column);
        }
        if let Some(s) = severity {
            f.severity = s;
        }
        f.package = Some(Box::new(info));
        self.findings.push(f);
    }

    /// DJG301-303 for an exact Django version.
    fn django_calendar(&mut self, d: &Dependency, v: &Version, groups: &[Group]) {
        let today = self.opts.today.as_str();
        let newest_known = self.calendar.all_releases().last();
        if newest_known.is_some_and(|n| v > n)
            || self
                .calendar
                .series_of(v)
                .is_some_and(|s| s.versions().last().is_some_and(|n| v > n))
        {
            self.notes.push(format!(
                "Django {v} is newer than the release list djguard knows (made {}); run `djguard db update` to refresh it",
                self.calendar.generated
            ));
        }
        let Some(series) = self.calendar.series_of(v) else {
            return;
        };
        let info = PackageInfo {
            name: d.name.clone(),
            version: Some(v.to_string()),
            spec: String::new(),
            advisories: Vec::new(),
            fix: None,
        };
        let lts = self.calendar.newest_supported_lts(today);
        let upgrade = lts
            .and_then(|s| s.releases.last().map(|r| (s.series.clone(), r.clone())))
            .map_or_else(String::new, |(s, r)| {
                format!(
                    "Upgrade to Django {s} LTS (currently {r}), or to a newer supported series."
                )
            });
        let eol = series.end_extended.as_deref();
        if eol.is_some_and(|e| e < today) {
            let e = eol.unwrap_or_default();
            let later = groups
                .iter()
                .filter(|g| {
                    g.members
                        .iter()
                        .any(|a| a.published.as_deref().is_some_and(|p| p > e))
                })
                .count();
            let extra = if later > 0 {
                format!(
                    " {later} Django advisories have been published since; fixes for them were not released for {}.",
                    series.series
                )
            } else {
                String::new()
            };
            self.push(&r::djg301::META, d, "eol", Confidence::High, None,
                format!("Django {v}: the {} series reached the end of its support on {e} and gets no security fixes.{extra}", series.series),
                upgrade.clone(), PackageInfo { fix: lts.and_then(|s| s.releases.last().cloned()), ..info.clone() }, &[]);
        } else if series.end_mainstream.as_deref().is_some_and(|m| m < today) {
            self.push(&r::djg302::META, d, "extended", Confidence::High, None,
                format!("Django {v}: the {} series gets only security and data-loss fixes (extended support) until {}.", series.series, eol.unwrap_or("its end of life")),
                format!("Plan the upgrade before {}. {upgrade}", eol.unwrap_or("then")), info.clone(), &[]);
        }
        let newer: Vec<Version> = series.versions().into_iter().filter(|r| r > v).collect();
        // One root cause, one finding: when advisories apply to this version, DJG304 lists
        // them with the upgrade, and "behind the newest patch" would say the same again.
        let vulnerable =
            (self.enabled)(&r::djg304::META) && groups.iter().any(|g| g.affects("django", v));
        if let Some(newest) = newer.last().filter(|_| !vulnerable) {
            let fixed_since: Vec<String> = groups
                .iter()
                .filter(|g| g.affects("django", v) && !g.affects("django", newest))
                .map(Group::display_id)
                .collect();
            let cves = match fixed_since.len() {
                0 => String::new(),
                n if n > 10 => format!(
                    "; they fix {n} of Django's advisories, among them {}",
                    fixed_since[..10].join(", ")
                ),
                _ => format!("; they fix {}", fixed_since.join(", ")),
            };
            self.push(&r::djg303::META, d, "behind", Confidence::High, None,
                format!("Django {v} is {} patch release(s) behind {newest}, the newest {} release{cves}.", newer.len(), series.series),
                format!("Upgrade to Django {newest}: patch releases of a series are safe to take."),
                PackageInfo { fix: Some(newest.to_string()), ..info }, &[]);
        }
    }

    /// DJG304: one finding per vulnerable package version, listing every advisory that
    /// applies and the one smallest upgrade that clears them all (one root cause, one finding).
    /// An advisory named in an inline suppression on the line is left out of the list.
    fn exact(&mut self, d: &Dependency, v: &Version, groups: &[Group], calendar: &Calendar) {
        let hits = self.unsuppressed_hits(d, v, groups);
        if hits.is_empty() {
            return;
        }
        let fix = smallest_fix(&d.name, v, groups, calendar);
        let fix_text = exact_fix_text(d, v, fix.as_ref(), hits.len()) + &self.eol_note(d, v);
        let mut infos: Vec<AdvisoryInfo> = Vec::new();
        let mut severity: Option<Severity> = None;
        let mut lines: Vec<String> = Vec::new();
        for g in &hits {
            let ai = g.info(&d.name);
            lines.push(advisory_line(d, v, g, &ai));
            let sev = g.severity().unwrap_or(Severity::Medium);
            severity = Some(severity.map_or(sev, |s: Severity| s.max(sev)));
            infos.push(ai);
        }
        let message = exact_message(d, v, &lines);
        let info = PackageInfo {
            name: d.name.clone(),
            version: Some(v.to_string()),
            spec: String::new(),
            advisories: infos,
            fix: fix.as_ref().map(|(f, _)| f.to_string()),
        };
        self.push(
            &r::djg304::META,
            d,
            &format!("{v}:vulnerable"),
            Confidence::High,
            severity,
            message,
            fix_text,
            info,
            &[],
        );
    }

    /// The groups that affect `v`, less those suppressed on the line (which are counted).
    fn unsuppressed_hits<'g>(
        &mut self,
        d: &Dependency,
        v: &Version,
        groups: &'g [Group],
    ) -> Vec<&'g Group> {
        let mut hits: Vec<&Group> = groups.iter().filter(|g| g.affects(&d.name, v)).collect();
        let before = hits.len();
        hits.retain(|g| {
            !g.info(&d.name)
                .ids
                .iter()
                .any(|id| crate::suppress::suppressed(&d.source_line, id))
        });
        self.suppressed += before - hits.len();
        hits
    }

    /// A fix inside a Django series that is itself past its end of support is a stopgap:
    /// the sentence that says so, or nothing.
    fn eol_note(&self, d: &Dependency, v: &Version) -> String {
        if d.name != "django" {
            return String::new();
        }
        let today = self.opts.today.as_str();
        match (
            self.calendar.series_of(v),
            self.calendar.newest_supported_lts(today),
        ) {
            (Some(s), Some(lts)) if s.end_extended.as_deref().is_some_and(|e| e < today) => {
                format!(
                    " {} itself is past its end of support (DJG301): plan the move to {} LTS.",
                    s.series, lts.series
                )
            }
            _ => String::new(),
        }
    }

    /// DJG305 (and DJG301 for Django ranges that allow only unsupported series).
    fn range(&mut self, d: &Dependency, range: &Range, groups: &[Group]) {
        let shown = if d.spec.is_empty() {
            "any version".to_string()
        } else {
            format!("`{}`", d.spec)
        };
        if d.name == "django" {
            let releases: Vec<&Version> = self
                .calendar
                .all_releases()
                .iter()
                .filter(|r| range.contains(r))
                .collect();
            let today = self.opts.today.as_str();
            if !releases.is_empty()
                && releases.iter().all(|r| {
                    self.calendar
                        .series_of(r)
                        .is_some_and(|s| s.end_extended.as_deref().is_some_and(|e| e < today))
                })
            {
                let newest = releases.last().map(ToString::to_string).unwrap_or_default();
                self.push(&r::djg301::META, d, "eol-range", Confidence::High, None,
                    format!("django {shown} allows only series past their end of support (newest allowed: {newest})."),
                    "Allow a supported series, e.g. `Django>=5.2,<6.0` for the current LTS.".into(),
                    PackageInfo { name: d.name.clone(), version: None, spec: d.spec.clone(), advisories: Vec::new(), fix: None }, &[]);
            }
        }
        let allowed: Vec<&Version> = if d.name == "django" {
            self.calendar
                .all_releases()
                .iter()
                .filter(|r| range.contains(r))
                .collect()
        } else {
            Vec::new()
        };
        let hits: Vec<&Group> = groups
            .iter()
            .filter(|g| {
                if d.name == "django" {
                    // Only real releases count: a range over gaps is not a risk.
                    allowed.iter().any(|r| g.affects("django", r))
                } else {
                    !g.affected(&d.name).intersection(range).is_empty()
                }
            })
            .collect();
        if hits.is_empty() {
            return;
        }
        // The lowest bound that excludes every affected version the range allows.
        let mut candidates: Vec<Version> = hits.iter().flat_map(|g| g.fixed(&d.name)).collect();
        candidates.sort();
        candidates.dedup();
        let mut union = Range::empty();
        for g in groups {
            union = union.union(&g.affected(&d.name));
        }
        let bound = candidates.into_iter().find(|c| {
            let rest = range.intersection(&Range::higher_than(c.clone()));
            !rest.is_empty() && rest.intersection(&union).is_empty()
        });
        let mut ids: Vec<String> = hits.iter().map(|g| g.display_id()).collect();
        // Newest first (ids carry their year).
        ids.sort_by(|a, b| b.cmp(a));
        let listed = if ids.len() > 8 {
            format!("{} and {} more", ids[..8].join(", "), ids.len() - 8)
        } else {
            ids.join(", ")
        };
        let fix = match &bound {
            Some(b) => format!("Pin an exact version in a lock or requirements file, and raise the lower bound to >={b} (the smallest release clear of every known advisory the range allows)."),
            None => "Pin an exact version in a lock or requirements file; no release is known to clear every advisory this range allows, so check them one by one.".into(),
        };
        let all_ids: Vec<String> = hits.iter().flat_map(|g| g.ids()).collect();
        // A range in a reusable package's manifest is deliberate; in a site's requirements
        // or beside its manage.py it decides what gets deployed.
        let confidence = if d.kind == FileKind::Manifest && !d.site {
            Confidence::Low
        } else {
            Confidence::Medium
        };
        self.push(&r::djg305::META, d, &format!("range:{}", d.spec), confidence, None,
            format!("{} {shown} is not pinned, and versions it allows have {} known advisories: {listed}.", d.name, hits.len()),
            fix,
            PackageInfo { name: d.name.clone(), version: None, spec: d.spec.clone(), advisories: hits.iter().map(|g| g.info(&d.name)).collect(), fix: bound.map(|b| format!(">={b}")) },
            &all_ids);
    }
}

/// DJG304's fix: the smallest upgrade that clears all `hits` advisories of `v` (`true`: within
/// `v`'s series), or that none is known.
fn exact_fix_text(
    d: &Dependency,
    v: &Version,
    fix: Option<&(Version, bool)>,
    hits: usize,
) -> String {
    match fix {
        Some((f, true)) if hits == 1 => format!(
            "Upgrade {} to {f}, the smallest {}.{} release that fixes it.",
            d.name,
            pep::series(v).0,
            pep::series(v).1,
        ),
        Some((f, true)) => format!(
            "Upgrade {} to {f}, the smallest {}.{} release that fixes all {} known advisories of {v}.",
            d.name,
            pep::series(v).0,
            pep::series(v).1,
            hits
        ),
        Some((f, false)) => format!(
            "No {}.{} release fixes every advisory; upgrade {} to {f}, the smallest release that does.",
            pep::series(v).0,
            pep::series(v).1,
            d.name
        ),
        None => format!(
            "No final release of {} is known to fix every advisory; check the advisories for workarounds or replace the package.",
            d.name
        ),
    }
}

/// One advisory in DJG304's message: its id, other ids, summary and the release that fixes it
/// (in `v`'s series when one does).
fn advisory_line(d: &Dependency, v: &Version, g: &Group, ai: &AdvisoryInfo) -> String {
    let fixed = g.fixed(&d.name);
    let fixed_here = fixed
        .iter()
        .find(|f| *f > v && pep::series(f) == pep::series(v))
        .or_else(|| fixed.iter().find(|f| *f > v));
    let fixed_text = match fixed_here {
        Some(f) => format!("fixed in {f}"),
        None => "no fixed release known".into(),
    };
    let others: Vec<&str> = ai
        .ids
        .iter()
        .filter(|i| **i != ai.id)
        .map(String::as_str)
        .collect();
    let aka = if others.is_empty() {
        String::new()
    } else {
        format!(" ({})", others.join(", "))
    };
    let summary = if ai.summary.is_empty() {
        String::new()
    } else {
        format!(": {}", ai.summary.trim_end_matches('.'))
    };
    format!("{}{aka}{summary} ({fixed_text})", ai.id)
}

/// DJG304's message. It names every advisory; past a handful, the rest are counted (the
/// JSON's `package.advisories` lists them all).
fn exact_message(d: &Dependency, v: &Version, lines: &[String]) -> String {
    const SHOWN: usize = 5;
    if let [only] = lines {
        return format!("{} {v} is affected by {only}.", d.name);
    }
    let more = lines.len().saturating_sub(SHOWN);
    format!(
        "{} {v} is affected by {} known advisories: {}{}.",
        d.name,
        lines.len(),
        lines[..lines.len().min(SHOWN)].join("; "),
        if more > 0 {
            format!("; and {more} more")
        } else {
            String::new()
        }
    )
}

/// The smallest version above `v` that no advisory affects: within `v`'s series when one
/// exists (`true`), else any (`false`). Candidates are Django's real releases for Django, the
/// advisories' fixed versions otherwise.
fn smallest_fix(
    name: &str,
    v: &Version,
    groups: &[Group],
    calendar: &Calendar,
) -> Option<(Version, bool)> {
    let mut candidates: Vec<Version> = if name == "django" {
        calendar.all_releases().to_vec()
    } else {
        groups.iter().flat_map(|g| g.fixed(name)).collect()
    };
    candidates.retain(|c| c > v && !c.any_prerelease());
    candidates.sort();
    candidates.dedup();
    let clean = |c: &Version| !groups.iter().any(|g| g.affects(name, c));
    if let Some(c) = candidates
        .iter()
        .find(|c| pep::series(c) == pep::series(v) && clean(c))
    {
        return Some((c.clone(), true));
    }
    candidates
        .into_iter()
        .find(|c| clean(c))
        .map(|c| (c, false))
}
