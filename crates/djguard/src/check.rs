//! The `check` pipeline: discover → read and parse once → project model → settings →
//! rules → findings → filter (selection, silencing, suppressions, baseline) → report.
//! Parallelism is only in discovery and parsing; everything after is deterministic.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use globset::{Glob, GlobSetBuilder};

use crate::discover;
use crate::django::version::{self, DjangoVersion};
use crate::finding::{Confidence, Finding, Severity, Undecided};
use crate::project::{FileError, Project};
use crate::python::TextRange;
use crate::rules::django::{DjangoCx, DjangoRule, SettingAt};
use crate::rules::{self, RuleMeta};
use crate::settings::EffectiveSettings;
use crate::settings::discover::{self as settings_discover, SettingsTarget};
use crate::settings::env::Environment;
use crate::settings::eval::Evaluator;

#[derive(Debug)]
pub struct CheckOptions {
    pub root: PathBuf,
    pub paths: Vec<PathBuf>,
    pub settings: Vec<String>,
    pub django_version: Option<DjangoVersion>,
    pub select: Vec<String>,
    pub extend_select: Vec<String>,
    pub ignore: Vec<String>,
    pub per_file_ignores: BTreeMap<String, Vec<String>>,
    pub severity: BTreeMap<String, Severity>,
    pub exclude: Vec<String>,
    /// The deployment's environment variables (`--env`, `--env-file`).
    pub environment: Environment,
    /// Findings below this confidence are not reported.
    pub min_confidence: Confidence,
    /// The process exits right after the report: skip freeing the syntax trees (a tenth of
    /// the run time on large trees).
    pub fast_exit: bool,
    /// Where advisories come from, and what to ignore.
    pub deps: crate::deps::audit::DepsOptions,
}

#[derive(Debug, thiserror::Error)]
pub enum CheckError {
    #[error("invalid exclude pattern: {0}")]
    Exclude(#[from] globset::Error),
    #[error(transparent)]
    Settings(#[from] settings_discover::SettingsError),
}

pub use djguard_core::report::{Report, SettingsReport, TemplateCounts};

/// `djguard settings`: the value of every setting each selected module defines, where it was
/// written and which environment variables it depends on.
pub fn dump_settings(opts: &CheckOptions) -> Result<serde_json::Value, CheckError> {
    let Loaded {
        project,
        version,
        targets,
        ..
    } = load(opts)?;
    let evaluator = Evaluator::new(&project, &opts.environment);
    let mut modules = Vec::new();
    for target in targets {
        let settings = EffectiveSettings::new(
            target.module.clone(),
            target.file,
            version,
            evaluator.module(target.file),
        );
        let mut values = serde_json::Map::new();
        for name in settings.explicit_names() {
            let s = settings.get(name);
            let (path, line) = match s.origin {
                Some(o) => {
                    let f = &project.python[o.file];
                    (
                        f.rel.clone(),
                        f.parsed
                            .as_ref()
                            .map_or(0, |p| p.position(o.range.start()).line),
                    )
                }
                None => (String::new(), 0),
            };
            values.insert(name.to_string(), serde_json::json!({"value": s.value.to_json(), "path": path, "line": line, "environment": s.env}));
        }
        modules.push(serde_json::json!({
            "module": target.module,
            "path": project.python[target.file].rel,
            "selected": target.how(&project),
            "opaque": settings.opaque().map(|u| u.reason.clone()),
            "settings": values,
        }));
    }
    Ok(
        serde_json::json!({"tool": {"name": "djguard", "version": env!("CARGO_PKG_VERSION")}, "modules": modules}),
    )
}

/// Which rules run: `select` (default: all) plus `extend_select`, minus `ignore`.
pub struct Selection {
    select: Vec<String>,
    ignore: Vec<String>,
}

impl Selection {
    pub fn new(select: &[String], extend: &[String], ignore: &[String]) -> Self {
        let mut s: Vec<String> = if select.is_empty() {
            vec!["ALL".into()]
        } else {
            select.to_vec()
        };
        s.extend(extend.iter().cloned());
        Selection {
            select: s,
            ignore: ignore.to_vec(),
        }
    }

    pub fn enabled(&self, rule: &RuleMeta) -> bool {
        self.select.iter().any(|s| rules::selector_matches(s, rule))
            && !self.ignore.iter().any(|s| rules::selector_matches(s, rule))
    }
}

/// What `check` and `settings` share: the parsed project, the Django release it is judged
/// against (and why), and the settings modules to evaluate.
struct Loaded {
    project: Project,
    files: usize,
    version: DjangoVersion,
    version_source: String,
    targets: Vec<SettingsTarget>,
    inventory: crate::deps::Inventory,
}

fn load(opts: &CheckOptions) -> Result<Loaded, CheckError> {
    let excludes = discover::build_excludes(&opts.exclude)?;
    let files = discover::discover(&opts.root, &opts.paths, &excludes);
    let n_files = files.len();
    let timings = std::env::var_os("DJGUARD_TIMINGS").is_some();
    let started = std::time::Instant::now();
    let project = Project::load(&opts.root, files);
    if timings {
        eprintln!(
            "timing: discover+parse {:.1} ms",
            started.elapsed().as_secs_f64() * 1e3
        );
    }

    let inventory = crate::deps::collect(&opts.root, &project.others);
    let (version, version_source) = match opts.django_version {
        Some(v) => (v, "--django-version or configuration".to_string()),
        None => match crate::deps::django_pin(&inventory) {
            Some((v, at)) => (v, at),
            None => (
                version::NEWEST,
                "newest stable release (no pin found)".to_string(),
            ),
        },
    };

    let explicit: Vec<usize> = opts
        .settings
        .iter()
        .map(|s| settings_discover::resolve_explicit(&project, s))
        .collect::<Result<_, _>>()?;
    let targets = settings_discover::select(&project, &explicit);
    Ok(Loaded {
        project,
        files: n_files,
        version,
        version_source,
        targets,
        inventory,
    })
}

/// Whether any dependency rule is selected.
fn deps_enabled(selection: &Selection) -> bool {
    crate::rules::deps::ALL.iter().any(|m| selection.enabled(m))
}

/// `djguard deps`: the dependency audit alone (no Python parsing).
pub fn run_deps(opts: &CheckOptions) -> Result<Report, CheckError> {
    let excludes = discover::build_excludes(&opts.exclude)?;
    let files = discover::discover(&opts.root, &opts.paths, &excludes);
    let n_files = files.len();
    let list: Vec<(String, PathBuf)> = files
        .into_iter()
        .filter(|f| crate::deps::file_kind(&f.rel).is_some())
        .map(|f| (f.rel, f.abs))
        .collect();
    let inventory = crate::deps::collect(&opts.root, &list);
    let (version, version_source) = match crate::deps::django_pin(&inventory) {
        Some((v, at)) => (v.to_string(), at),
        None => (String::new(), "no pin found".to_string()),
    };
    let selection = Selection::new(&opts.select, &opts.extend_select, &opts.ignore);
    let mut results = Results::default();
    let summary = deps_stage(inventory, opts, &selection, &mut results);
    let Results {
        mut findings,
        mut errors,
        ..
    } = results;
    let below = findings.len();
    findings.retain(|f| f.confidence >= opts.min_confidence);
    let below_confidence = below - findings.len();
    apply_severity_overrides(opts, &mut findings);
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    findings.dedup_by(|a, b| a.fingerprint == b.fingerprint);
    errors.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(Report {
        findings,
        undecided: Vec::new(),
        errors,
        settings: Vec::new(),
        django_version: version,
        django_version_source: version_source,
        files: n_files,
        silenced: 0,
        suppressed: summary.suppressed,
        below_confidence,
        templates: TemplateCounts::default(),
        dependencies: Some(summary),
        deps_only: true,
    })
}

/// Everything the stages produce, gathered in one place and turned into the report at the
/// end.
#[derive(Default)]
struct Results {
    findings: Vec<Finding>,
    /// Settings checks that could not decide, and why.
    undecided: Vec<Undecided>,
    /// Files that could not be read or parsed.
    errors: Vec<FileError>,
    /// Findings `SILENCED_SYSTEM_CHECKS` silenced.
    silenced: usize,
    /// Findings an inline comment suppressed.
    suppressed: usize,
}

/// Audit the dependencies; findings and unreadable-file errors go to the results.
fn deps_stage(
    inventory: crate::deps::Inventory,
    opts: &CheckOptions,
    selection: &Selection,
    results: &mut Results,
) -> crate::deps::audit::DepsSummary {
    let started = std::time::Instant::now();
    let outcome = crate::deps::audit::run(inventory, &opts.deps, &|m| selection.enabled(m));
    if std::env::var_os("DJGUARD_TIMINGS").is_some() {
        eprintln!(
            "timing: dependencies {:.1} ms ({} packages)",
            started.elapsed().as_secs_f64() * 1e3,
            outcome.summary.packages
        );
    }
    results.findings.extend(outcome.findings);
    results
        .errors
        .extend(outcome.errors.into_iter().map(|e| FileError {
            path: e.path,
            line: e.line,
            column: None,
            message: e.message,
        }));
    outcome.summary
}

fn apply_severity_overrides(opts: &CheckOptions, findings: &mut [Finding]) {
    for f in findings {
        for (sel, sev) in &opts.severity {
            if rules::selector_matches(sel, f.rule) {
                f.severity = *sev;
            }
        }
    }
}

pub fn run(opts: &CheckOptions) -> Result<Report, CheckError> {
    let Loaded {
        project,
        files: n_files,
        version,
        version_source,
        targets,
        inventory,
    } = load(opts)?;
    let selection = Selection::new(&opts.select, &opts.extend_select, &opts.ignore);

    let evaluator = Evaluator::new(&project, &opts.environment);
    let mut results = Results {
        errors: project.errors.clone(),
        ..Results::default()
    };
    let mut template_dirs = crate::templates::audit::TemplateDirs::default();
    for target in &targets {
        let scope = evaluator.module(target.file);
        let settings = EffectiveSettings::new(target.module.clone(), target.file, version, scope);
        template_dirs_of(&project, &settings, &mut template_dirs);
        run_settings_rules(&project, target, &settings, &selection, &mut results);
    }

    run_project_rules(&project, &evaluator, &selection, &mut results.findings);
    // The template rules judge variables by what views put in them.
    let link = crate::rules::templates::TEMPLATE_RULES
        .iter()
        .any(|r| selection.enabled(&r.meta));
    let code = crate::code::run(&project, &|m| selection.enabled(m), link);
    results.findings.extend(code.findings);
    let started = std::time::Instant::now();
    let templates = crate::templates::audit::run(
        &project,
        &|m| selection.enabled(m),
        &code.contexts,
        &template_dirs,
    );
    if std::env::var_os("DJGUARD_TIMINGS").is_some() {
        eprintln!(
            "timing: templates {:.1} ms ({} read, {} with lexing diagnostics, {} linked)",
            started.elapsed().as_secs_f64() * 1e3,
            templates.templates,
            templates.with_diagnostics,
            templates.linked
        );
    }
    let template_counts = TemplateCounts {
        read: templates.templates,
        with_diagnostics: templates.with_diagnostics,
        linked: templates.linked,
    };
    results.findings.extend(templates.findings);
    results.errors.extend(templates.errors);
    results.suppressed += templates.suppressed;
    not_deployed_is_low(&mut results.findings);
    let dependencies =
        deps_enabled(&selection).then(|| deps_stage(inventory, opts, &selection, &mut results));
    if let Some(d) = &dependencies {
        results.suppressed += d.suppressed;
    }

    let below_confidence = filter(opts, &project, &mut results);
    let Results {
        findings,
        mut undecided,
        mut errors,
        silenced,
        suppressed,
    } = results;
    undecided.sort_by(|a, b| (&a.settings_module, &a.rule).cmp(&(&b.settings_module, &b.rule)));
    errors.sort_by(|a, b| a.path.cmp(&b.path));
    let settings = targets
        .iter()
        .map(|t| SettingsReport {
            module: t.module.clone(),
            path: project.python[t.file].rel.clone(),
            selected: t.how(&project),
            deploy: t.deploy,
        })
        .collect();
    if opts.fast_exit {
        std::mem::forget(project);
    }
    Ok(Report {
        findings,
        undecided,
        errors,
        settings,
        django_version: version.to_string(),
        django_version_source: version_source,
        files: n_files,
        silenced,
        below_confidence,
        templates: template_counts,
        suppressed,
        dependencies,
        deps_only: false,
    })
}

/// The filters, in order: per-file ignores, inline suppressions, severity overrides, one
/// finding per fingerprint, the confidence floor. Returns how many fell below the floor.
fn filter(opts: &CheckOptions, project: &Project, results: &mut Results) -> usize {
    let per_file: Vec<(globset::GlobSet, Vec<String>)> = opts
        .per_file_ignores
        .iter()
        .filter_map(|(glob, ids)| {
            let mut b = GlobSetBuilder::new();
            b.add(Glob::new(glob).ok()?);
            b.add(Glob::new(&format!("**/{glob}")).ok()?);
            Some((b.build().ok()?, ids.clone()))
        })
        .collect();
    let findings = &mut results.findings;
    let suppressed = &mut results.suppressed;
    findings.retain(|f: &Finding| {
        let ignored_here = per_file.iter().any(|(set, ids)| {
            set.is_match(f.path()) && ids.iter().any(|i| rules::selector_matches(i, f.rule))
        });
        if ignored_here {
            return false;
        }
        let line = project
            .file_by_rel(f.path())
            .and_then(|i| project.python[i].parsed.as_ref())
            .map(|p| p.line_text(f.line()));
        if line.is_some_and(|l| crate::suppress::suppressed(l, f.rule.id)) {
            *suppressed += 1;
            return false;
        }
        true
    });
    apply_severity_overrides(opts, findings);
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    findings.dedup_by(|a, b| a.fingerprint == b.fingerprint);
    // Counted last, so the number equals what `--min-confidence low` adds to the list.
    let before = findings.len();
    findings.retain(|f| f.confidence >= opts.min_confidence);
    before - findings.len()
}

/// Code and template findings in files no deployment runs (documentation builds, examples,
/// demos, sandboxes, CI, scaffolds) are kept at low confidence, saying why: the pattern is
/// there, but not in the site.
fn not_deployed_is_low(findings: &mut [Finding]) {
    for f in findings.iter_mut() {
        let code_or_template = f
            .rule
            .groups
            .iter()
            .any(|g| matches!(*g, "code" | "templates"));
        if !code_or_template || f.confidence == Confidence::Low {
            continue;
        }
        if let Some(why) = settings_discover::non_deployment_dir(f.path()) {
            f.confidence = Confidence::Low;
            f.message = format!("{} (Low confidence: {why}, not a deployment.)", f.message);
        }
    }
}

/// The folders `TEMPLATES[...]["DIRS"]` names, as paths relative to the project root (folders
/// outside it are not scanned anyway), with whether the backend is Jinja2.
fn template_dirs_of(
    project: &Project,
    settings: &EffectiveSettings,
    out: &mut crate::templates::audit::TemplateDirs,
) {
    use crate::settings::value::Value;
    let Ok(backends) = settings.get("TEMPLATES").value.iter_elements() else {
        return;
    };
    let root_abs = project.root.canonicalize().ok();
    for b in &backends {
        let jinja = matches!(
            b.dict_get(&Value::Str("BACKEND".into())),
            Ok(Some(Value::Str(s))) if s.to_ascii_lowercase().contains("jinja2")
        );
        let Ok(Some(dirs)) = b.dict_get(&Value::Str("DIRS".into())) else {
            continue;
        };
        let Ok(dirs) = dirs.iter_elements() else {
            continue;
        };
        for d in dirs {
            let (Value::Str(p) | Value::Path(p)) = d else {
                continue;
            };
            let path = std::path::Path::new(&p);
            let rel = path
                .strip_prefix(&project.root)
                .ok()
                .or_else(|| root_abs.as_ref().and_then(|r| path.strip_prefix(r).ok()));
            let Some(rel) = rel else { continue };
            let rel = rel
                .components()
                .filter_map(|c| match c {
                    std::path::Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
                    _ => None,
                })
                .collect::<Vec<_>>()
                .join("/");
            if !out.0.iter().any(|(r, _)| *r == rel) {
                out.0.push((rel, jinja));
            }
        }
    }
}

/// Rules over the project's files rather than one settings module.
fn run_project_rules(
    project: &Project,
    evaluator: &Evaluator,
    selection: &Selection,
    findings: &mut Vec<Finding>,
) {
    let meta = &rules::project::djg018::META;
    if !selection.enabled(meta) {
        return;
    }
    for (idx, file) in project.python.iter().enumerate().filter(|(_, f)| {
        rules::project::djg018::is_local_settings(&f.rel)
            && settings_discover::non_deployment_path(&f.rel).is_none()
    }) {
        let scope = evaluator.module(idx);
        let mut names: Vec<(&String, &crate::settings::eval::Binding)> = scope
            .names
            .iter()
            .filter(|(name, b)| {
                crate::settings::value::is_setting_name(name)
                    && rules::project::djg018::secret_name(name)
                    && b.origin.file == idx
                    && b.env.is_empty()
                    && matches!(&b.value, crate::settings::value::Value::Str(v) if v.chars().count() >= 6 && !rules::project::support::placeholder(v))
            })
            .collect();
        names.sort_by_key(|(n, _)| n.as_str());
        for (name, binding) in names {
            let module = file.module_name.as_deref().unwrap_or("");
            let f = Finding {
                message: format!(
                    "{name} in the local settings module {} is a literal secret, and .gitignore does not exclude the file, so it is or will be committed.",
                    file.rel
                ),
                fix: format!(
                    "Add {} to .gitignore, `git rm --cached {}`, rotate {name}, and read it from the environment instead.",
                    file.rel, file.rel
                ),
                ..Finding::new(
                    meta,
                    &file.rel,
                    &format!("{module}:{name}"),
                    Confidence::High,
                )
            };
            findings.push(djguard_static::rules::place_in_python(
                f,
                file.parsed.as_ref(),
                binding.origin.range,
            ));
        }
    }
    for (rel, abs) in project
        .others
        .iter()
        .filter(|(rel, _)| rules::project::djg018::is_dotenv(rel))
    {
        let Ok(bytes) = crate::source::read_capped(abs) else {
            continue;
        };
        let text = String::from_utf8_lossy(&bytes);
        let lines = crate::python::Lines::lf(&text);
        for (line, key) in rules::project::djg018::secret_lines(&text) {
            // The whole line.
            let source_line = lines.line_text(&text, line);
            let start = crate::python::Position { line, column: 1 };
            let end = crate::python::Position {
                line,
                column: u32::try_from(source_line.chars().count() + 1).unwrap_or(u32::MAX),
            };
            let f = Finding {
                message: format!(
                    "{key} in {rel} looks like a real secret, and .gitignore does not exclude the file, so it is or will be committed."
                ),
                fix: format!(
                    "Add {rel} to .gitignore, `git rm --cached {rel}`, rotate {key}, and commit a .env.example with placeholders instead."
                ),
                ..Finding::new(meta, rel, &key, Confidence::Medium)
            };
            let span = crate::python::Span { start, end };
            findings.push(djguard_static::rules::place(f, Some((span, source_line))));
        }
    }
}

fn run_settings_rules(
    project: &Project,
    target: &SettingsTarget,
    settings: &EffectiveSettings,
    selection: &Selection,
    results: &mut Results,
) {
    if let Some((culprit, problem)) = settings.load_error() {
        let meta = &rules::project::djg001::META;
        if selection.enabled(meta) {
            let at = SettingAt {
                origin: settings.get(&culprit).origin,
                setting: culprit.clone(),
            };
            let f = settings_finding(project, target, meta, at, &culprit);
            results.findings.push(Finding {
                message: format!("Django refuses to load {}: {problem}", target.module),
                fix: "Make the setting a list or tuple (e.g. split a comma-separated variable with .split(\",\")).".into(),
                ..f
            });
        }
        return;
    }
    let cx = DjangoCx::new(settings, project);
    let all = crate::rules::django::ALL
        .iter()
        .chain(crate::rules::project::SETTINGS_RULES.iter());
    for rule in all.copied() {
        if !rule.exists_in(settings.version)
            || !selection.enabled(&rule.meta)
            || (rule.deploy_only && !target.deploy)
        {
            continue;
        }
        run_one(project, target, &cx, rule, results);
    }
}

fn run_one(
    project: &Project,
    target: &SettingsTarget,
    cx: &DjangoCx,
    rule: &'static DjangoRule,
    results: &mut Results,
) {
    let undecide = |undecided: &mut Vec<Undecided>, reason: String| {
        undecided.push(Undecided {
            rule: rule.meta.id.to_string(),
            settings_module: target.module.clone(),
            reason,
        });
    };
    cx.deps.borrow_mut().clear();
    let outcome = (rule.check)(cx);
    let deps = cx.deps.borrow().clone();
    let hits = match outcome {
        Ok(hits) => hits,
        Err(u) => return undecide(&mut results.undecided, u.reason),
    };
    for mut hit in hits {
        // SILENCED_SYSTEM_CHECKS is Django's: it silences Django's own ids only.
        let silence = if rule.meta.id.starts_with("security.") {
            cx.silenced(rule.meta.id)
        } else {
            Ok(false)
        };
        if !deps.is_empty() {
            hit.message = format!(
                "{}: {}",
                capitalize(&crate::settings::env::describe(&deps)),
                hit.message
            );
        }
        match silence {
            Ok(true) => {
                results.silenced += 1;
                continue;
            }
            Ok(false) => {}
            Err(u) => {
                undecide(
                    &mut results.undecided,
                    format!("fires unless silenced, and {}", u.reason),
                );
                continue;
            }
        }
        let mut at = hit.at;
        at.origin = at.origin.or(cx.settings.get(&at.setting).origin);
        let f = settings_finding(project, target, &rule.meta, at, &hit.key);
        results.findings.push(Finding {
            message: hit.message,
            fix: hit.fix,
            environment: deps.clone(),
            confidence: hit.confidence,
            ..f
        });
    }
}

/// A finding of a settings check, placed where the setting (or the code it names) was written,
/// or at the top of the settings module when the value is Django's default.
fn settings_finding(
    project: &Project,
    target: &SettingsTarget,
    meta: &'static RuleMeta,
    at: SettingAt,
    key: &str,
) -> Finding {
    let (file, range) = match at.origin {
        Some(o) => (o.file, o.range),
        None => (target.file, TextRange::default()),
    };
    let py = &project.python[file];
    let module = &target.module;
    let f = Finding {
        settings_module: Some(module.clone()),
        ..Finding::new(meta, &py.rel, &format!("{module}:{key}"), Confidence::High)
    };
    djguard_static::rules::place_in_python(f, py.parsed.as_ref(), range)
}

fn capitalize(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The scan root for the given paths: the directory itself, a file's folder, or the current
/// directory when several paths are given.
pub fn root_for(paths: &[PathBuf]) -> PathBuf {
    match paths {
        [one] if one.is_dir() => one.clone(),
        [one] => one
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf),
        _ => PathBuf::from("."),
    }
}
