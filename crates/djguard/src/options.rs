//! Options for `check`, `deps` and `settings` resolved in one typed step: the command line over
//! the configuration file over the defaults. Flags and file keys arrive already parsed (clap
//! and the configuration reader share each value's `FromStr`); what is checked here is what
//! needs both sources or the disk: selectors against the registry, paths that must exist,
//! the deployment environment.
//!
//! Precedence, one rule per kind of option (as uv merges its settings):
//! - single values (`--settings`, `--django-version`, `--fail-on`, `--min-confidence`,
//!   `--select`): the flag replaces the file's value;
//! - lists that add up (`--ignore`, `--extend-select`, `--exclude`, `--advisories`,
//!   `--ignore-advisory`): the file's entries, then the flag's;
//! - switches: `--offline` wins over `--online` and over `online = true`;
//! - the environment: `DJGUARD_OFFLINE=1` is `--offline` for everything automatic (the
//!   first-run download, `online = true` from the file) but not for an explicit `--online`;
//!   `DJGUARD_ADVISORY_URL` replaces the file's `advisory-url`.

use std::path::{Path, PathBuf};

use crate::check::{self, CheckOptions};
use crate::cli::CheckArgs;
use crate::config::{self, Config, ConfigError};
use crate::deps::audit::DepsOptions;
use crate::django::version::{DjangoVersion, OLDEST_SUPPORTED};
use crate::finding::{Confidence, Severity};
use crate::rules;
use crate::settings::env::{self, Environment};

/// What a `check` run needs: the pipeline's options, the configuration it came from (for the
/// baseline) and the exit threshold.
#[derive(Debug)]
pub struct Resolved {
    pub check: CheckOptions,
    pub config: Config,
    pub fail_on: Severity,
    /// `--baseline` as given, else the configuration's `baseline` relative to the folder of
    /// the configuration file (so `djguard check` finds it from any folder).
    pub baseline: Option<PathBuf>,
}

#[derive(Debug, thiserror::Error)]
pub enum OptionsError {
    #[error("path `{0}` does not exist")]
    MissingPath(String),
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error("Django {0} is older than the oldest release djguard models (3.0)")]
    TooOld(DjangoVersion),
    #[error("unknown rule or selector `{0}` (see `djguard rules`)")]
    UnknownSelector(String),
    #[error("unknown rule or selector `{0}` in `severity`")]
    UnknownSeverityKey(String),
    #[error("cannot read --env-file {path}: {source}")]
    EnvFileRead {
        path: String,
        source: std::io::Error,
    },
    #[error("--env-file {path}: {message}")]
    EnvFileSyntax { path: String, message: String },
    #[error("--env `{0}`: expected KEY=VALUE")]
    EnvPair(String),
    #[error("--env `{0}`: empty variable name")]
    EnvName(String),
    #[error("advisories `{0}` does not exist")]
    MissingAdvisories(String),
}

/// Read the configuration the arguments point at (none with `--no-config`) and resolve.
pub fn resolve(args: &CheckArgs) -> Result<Resolved, OptionsError> {
    if let Some(p) = args.paths.iter().find(|p| !p.exists()) {
        return Err(OptionsError::MissingPath(p.display().to_string()));
    }
    let root = check::root_for(&args.paths);
    let loaded = if args.no_config {
        config::Loaded {
            config: Config::default(),
            path: None,
        }
    } else {
        config::load(
            &root.canonicalize().unwrap_or(root.clone()),
            args.config.as_deref(),
        )?
    };
    let config_dir = loaded
        .path
        .as_ref()
        .and_then(|p| p.parent())
        .map(Path::to_path_buf)
        .unwrap_or_else(|| root.clone());
    merge(args, loaded.config, root, &config_dir, &|k| {
        std::env::var(k).ok()
    })
}

/// The merge itself, given the configuration and the folder its relative paths start from.
/// `env` reads the environment (`DJGUARD_OFFLINE`, `DJGUARD_ADVISORY_URL`); tests pass
/// their own.
pub fn merge(
    args: &CheckArgs,
    cfg: Config,
    root: PathBuf,
    config_dir: &Path,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Resolved, OptionsError> {
    let django_version = args.django_version.or(cfg.django_version);
    if let Some(v) = django_version
        && v < OLDEST_SUPPORTED
    {
        return Err(OptionsError::TooOld(v));
    }
    let fail_on = args.fail_on.or(cfg.fail_on).unwrap_or(Severity::Low);
    let min_confidence = args
        .min_confidence
        .or(cfg.min_confidence)
        .unwrap_or(Confidence::Medium);
    let select = if args.select.is_empty() {
        cfg.select.clone().unwrap_or_default()
    } else {
        args.select.clone()
    };
    let extend_select = added(&cfg.extend_select, &args.extend_select);
    let ignore = added(&cfg.ignore, &args.ignore);
    if let Some(unknown) = select
        .iter()
        .chain(&extend_select)
        .chain(&ignore)
        .chain(cfg.per_file_ignores.values().flatten())
        .find(|sel| !rules::selector_is_known(sel))
    {
        return Err(OptionsError::UnknownSelector(unknown.clone()));
    }
    if let Some(unknown) = cfg.severity.keys().find(|s| !rules::selector_is_known(s)) {
        return Err(OptionsError::UnknownSeverityKey(unknown.clone()));
    }
    let settings = if args.settings.is_empty() {
        cfg.settings
            .as_ref()
            .map(|s| s.to_vec())
            .unwrap_or_default()
    } else {
        args.settings.clone()
    };
    let check = CheckOptions {
        deps: deps_options(args, &cfg, config_dir, env)?,
        environment: environment(&args.env_file, &args.env)?,
        root,
        paths: args.paths.clone(),
        settings,
        django_version,
        select,
        extend_select,
        ignore,
        per_file_ignores: cfg.per_file_ignores.clone(),
        severity: cfg.severity.clone(),
        exclude: added(&cfg.exclude, &args.exclude),
        min_confidence,
        fast_exit: true,
    };
    Ok(Resolved {
        check,
        baseline: args
            .baseline
            .clone()
            .or_else(|| cfg.baseline.as_ref().map(|b| config_dir.join(b))),
        config: cfg,
        fail_on,
    })
}

/// A list the flags add to: the file's entries, then the flag's.
fn added(from_file: &[String], from_flags: &[String]) -> Vec<String> {
    from_file.iter().chain(from_flags).cloned().collect()
}

/// The deployment environment: the dotenv files in order, then `--env` pairs (later wins).
fn environment(files: &[PathBuf], pairs: &[String]) -> Result<Environment, OptionsError> {
    let mut environment = Environment::new();
    for file in files {
        let path = file.display().to_string();
        let text = std::fs::read_to_string(file).map_err(|source| OptionsError::EnvFileRead {
            path: path.clone(),
            source,
        })?;
        let vars = env::parse_dotenv(&text).map_err(|e| OptionsError::EnvFileSyntax {
            path,
            message: e.to_string(),
        })?;
        for (k, v) in vars {
            environment.set(k, v);
        }
    }
    for pair in pairs {
        let Some((k, v)) = pair.split_once('=') else {
            return Err(OptionsError::EnvPair(pair.clone()));
        };
        if k.is_empty() {
            return Err(OptionsError::EnvName(pair.clone()));
        }
        environment.set(k, v);
    }
    Ok(environment)
}

/// Where advisories come from: the file's folders (relative to the file) then the flag's, the
/// network switches, the cache and what to ignore.
fn deps_options(
    args: &CheckArgs,
    cfg: &Config,
    config_dir: &Path,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<DepsOptions, OptionsError> {
    let mut deps = DepsOptions::new();
    deps.advisories = cfg
        .advisories
        .iter()
        .map(|p| config_dir.join(p))
        .chain(args.advisories.iter().cloned())
        .collect();
    if let Some(p) = deps.advisories.iter().find(|p| !p.exists()) {
        return Err(OptionsError::MissingAdvisories(p.display().to_string()));
    }
    let env_offline = env("DJGUARD_OFFLINE").is_some_and(|v| is_true(&v));
    deps.online = (args.online || (cfg.online && !env_offline)) && !args.offline;
    deps.auto_update = (!args.offline && !env_offline).then(|| crate::deps::db::AutoUpdate {
        url: env(crate::deps::db::URL_ENV)
            .filter(|u| !u.trim().is_empty())
            .or_else(|| cfg.advisory_url.clone())
            .unwrap_or_else(|| crate::deps::db::DEFAULT_OSV_URL.to_string()),
        progress: std::io::IsTerminal::is_terminal(&std::io::stderr()),
    });
    deps.osv_api = args.osv_api.clone();
    deps.cache_dir = args.cache_dir.clone();
    deps.builtin = !args.no_builtin_advisories;
    deps.timeout = std::time::Duration::from_secs(args.timeout.max(1));
    deps.ignore_advisories = added(&cfg.ignore_advisories, &args.ignore_advisory);
    Ok(deps)
}

/// An environment switch that is on: `1`, `true`, `yes`, `on` (any case).
fn is_true(v: &str) -> bool {
    matches!(
        v.trim().to_ascii_lowercase().as_str(),
        "1" | "true" | "yes" | "on"
    )
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;
    use crate::cli::{Cli, Command};

    fn args(flags: &[&str]) -> CheckArgs {
        let mut argv = vec!["djguard", "check"];
        argv.extend_from_slice(flags);
        match Cli::try_parse_from(argv).expect("flags parse").command {
            Command::Check(a) => *a,
            _ => unreachable!("check was asked for"),
        }
    }

    fn config(toml_text: &str) -> Config {
        toml::from_str(toml_text).expect("config parses")
    }

    fn resolved(flags: &[&str], toml_text: &str) -> Result<Resolved, OptionsError> {
        // An empty environment: the tests do not depend on the caller's DJGUARD_OFFLINE.
        merge(
            &args(flags),
            config(toml_text),
            PathBuf::from("."),
            Path::new("/cfg"),
            &|_| None,
        )
    }

    #[test]
    fn defaults_when_neither_says() {
        let r = resolved(&[], "").unwrap();
        assert_eq!(r.fail_on, Severity::Low);
        assert_eq!(r.check.min_confidence, Confidence::Medium);
        assert_eq!(r.check.django_version, None);
        assert!(r.check.select.is_empty() && r.check.ignore.is_empty());
        assert!(r.check.deps.builtin && !r.check.deps.online);
    }

    #[test]
    fn single_values_flag_over_file() {
        let file = "fail-on = 'high'\nmin-confidence = 'high'\ndjango-version = '4.2'\nselect = ['DJG1']\nsettings = 'a.settings'\n";
        let r = resolved(&[], file).unwrap();
        assert_eq!(r.fail_on, Severity::High);
        assert_eq!(r.check.min_confidence, Confidence::High);
        assert_eq!(r.check.django_version.map(|v| v.series()), Some((4, 2)));
        assert_eq!(r.check.select, vec!["DJG1"]);
        assert_eq!(r.check.settings, vec!["a.settings"]);
        let r = resolved(
            &[
                "--fail-on",
                "critical",
                "--min-confidence",
                "low",
                "--django-version",
                "5.2.1",
                "--select",
                "security",
                "--settings",
                "b.settings",
            ],
            file,
        )
        .unwrap();
        assert_eq!(r.fail_on, Severity::Critical);
        assert_eq!(r.check.min_confidence, Confidence::Low);
        assert_eq!(r.check.django_version, Some(DjangoVersion::new(5, 2, 1)));
        assert_eq!(r.check.select, vec!["security"]);
        assert_eq!(r.check.settings, vec!["b.settings"]);
    }

    #[test]
    fn lists_add_file_then_flags() {
        let r = resolved(
            &[
                "--ignore",
                "DJG101",
                "--exclude",
                "b/*",
                "--extend-select",
                "DJG2",
            ],
            "ignore = ['security.W004']\nexclude = ['a/*']\nextend-select = ['DJG1']\n",
        )
        .unwrap();
        assert_eq!(r.check.ignore, vec!["security.W004", "DJG101"]);
        assert_eq!(r.check.exclude, vec!["a/*", "b/*"]);
        assert_eq!(r.check.extend_select, vec!["DJG1", "DJG2"]);
    }

    #[test]
    fn first_run_download_follows_offline_switches_and_the_url_settings() {
        let deps = |flags: &[&str], toml_text: &str, vars: &[(&str, &str)]| {
            let vars: Vec<(String, String)> = vars
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
            let env = move |k: &str| vars.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
            deps_options(&args(flags), &config(toml_text), Path::new("/cfg"), &env).unwrap()
        };
        let url = |d: &DepsOptions| d.auto_update.as_ref().map(|a| a.url.clone());
        assert_eq!(
            url(&deps(&[], "", &[])).as_deref(),
            Some(crate::deps::db::DEFAULT_OSV_URL)
        );
        assert_eq!(url(&deps(&["--offline"], "", &[])), None);
        for on in ["1", "true", "YES", "on"] {
            assert_eq!(
                url(&deps(&[], "", &[("DJGUARD_OFFLINE", on)])),
                None,
                "{on}"
            );
        }
        for off in ["0", "", "false", "no"] {
            assert!(
                url(&deps(&[], "", &[("DJGUARD_OFFLINE", off)])).is_some(),
                "{off}"
            );
        }
        // The variable turns off `online = true` from the file, not an explicit --online.
        assert!(!deps(&[], "online = true", &[("DJGUARD_OFFLINE", "1")]).online);
        assert!(deps(&["--online"], "", &[("DJGUARD_OFFLINE", "1")]).online);
        // The variable over the file's key over the default; an empty variable is unset.
        let mirror = "advisory-url = 'https://mirror.example/all.zip'";
        assert_eq!(
            url(&deps(&[], mirror, &[])).as_deref(),
            Some("https://mirror.example/all.zip")
        );
        assert_eq!(
            url(&deps(
                &[],
                mirror,
                &[("DJGUARD_ADVISORY_URL", "http://127.0.0.1:9/a.zip")]
            ))
            .as_deref(),
            Some("http://127.0.0.1:9/a.zip")
        );
        assert_eq!(
            url(&deps(&[], mirror, &[("DJGUARD_ADVISORY_URL", " ")])).as_deref(),
            Some("https://mirror.example/all.zip")
        );
    }

    #[test]
    fn offline_beats_online_from_either_source() {
        assert!(resolved(&["--online"], "").unwrap().check.deps.online);
        assert!(resolved(&[], "online = true").unwrap().check.deps.online);
        assert!(
            !resolved(&["--offline"], "online = true")
                .unwrap()
                .check
                .deps
                .online
        );
    }

    #[test]
    fn unknown_selectors_and_old_versions_are_refused() {
        let e = resolved(&["--ignore", "DJG999x"], "").unwrap_err();
        assert_eq!(
            e.to_string(),
            "unknown rule or selector `DJG999x` (see `djguard rules`)"
        );
        let e = resolved(&[], "[per-file-ignores]\n'a.py' = ['nope']\n").unwrap_err();
        assert!(matches!(e, OptionsError::UnknownSelector(s) if s == "nope"));
        let e = resolved(&[], "[severity]\nnope = 'high'\n").unwrap_err();
        assert_eq!(
            e.to_string(),
            "unknown rule or selector `nope` in `severity`"
        );
        let e = resolved(&["--django-version", "2.2"], "").unwrap_err();
        assert!(matches!(e, OptionsError::TooOld(_)), "{e}");
    }

    #[test]
    fn environment_pairs_are_checked_and_later_wins() {
        let e = resolved(&["--env", "NOEQUALS"], "").unwrap_err();
        assert_eq!(e.to_string(), "--env `NOEQUALS`: expected KEY=VALUE");
        let e = resolved(&["--env", "=x"], "").unwrap_err();
        assert_eq!(e.to_string(), "--env `=x`: empty variable name");
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join(".env");
        std::fs::write(&file, "DEBUG=1\nKEY=a\n").unwrap();
        let f = file.to_str().unwrap();
        let r = resolved(&["--env-file", f, "--env", "KEY=b"], "").unwrap();
        assert_eq!(r.check.environment.get("KEY"), Some("b"));
        assert_eq!(r.check.environment.get("DEBUG"), Some("1"));
    }

    #[test]
    fn the_same_words_and_message_on_the_command_line() {
        let e = Cli::try_parse_from(["djguard", "check", "--fail-on", "severe"]).unwrap_err();
        assert!(
            e.to_string().contains(
                "`severe` is not a severity: expected critical, high, medium, low or info"
            ),
            "{e}"
        );
        let e = Cli::try_parse_from(["djguard", "check", "--min-confidence", "sure"]).unwrap_err();
        assert!(e.to_string().contains("`sure` is not a confidence"), "{e}");
    }

    #[test]
    fn advisories_from_the_file_are_relative_to_it_and_must_exist() {
        let e = resolved(&[], "advisories = ['osv']\n").unwrap_err();
        assert_eq!(e.to_string(), "advisories `/cfg/osv` does not exist");
    }
}
