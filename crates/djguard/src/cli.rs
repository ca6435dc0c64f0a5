//! Command-line interface. Every flag is documented here; `--help` is the manual.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

/// Security auditor for Django projects: settings (exact parity with `manage.py check
/// --deploy`, without importing the project), code, templates and dependencies.
#[derive(Parser, Debug)]
#[command(name = "djguard", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Statically audit a Django project (never imports or runs it).
    Check(Box<CheckArgs>),
    /// Print the settings djguard evaluated (JSON): each value the selected settings modules
    /// define, where it was written, and the environment variables it depends on.
    Settings(Box<CheckArgs>),
    /// Audit only the dependencies: requirements files, constraints, poetry.lock, uv.lock,
    /// Pipfile.lock, pdm.lock, pylock.toml, Pipfile and pyproject.toml (no Python parsing).
    /// Takes the same options as `check`.
    Deps(Box<CheckArgs>),
    /// Manage the local advisory database.
    Db {
        #[command(subcommand)]
        command: DbCommand,
    },
    /// List every rule with its id, severity and title.
    Rules {
        /// Output format.
        #[arg(long, value_enum, default_value_t = ListFormat::Text)]
        format: ListFormat,
    },
    /// Print one rule's documentation: what it checks, why, an example, the fix, references.
    Rule {
        /// The rule id, e.g. security.W004 or DJG001.
        id: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum DbCommand {
    /// Download the OSV export of every PyPI advisory into the cache (only when it changed:
    /// ETag/Last-Modified), and refresh Django's release list from the package index. A
    /// failed or partial download keeps the previous database.
    Update(DbArgs),
    /// Say what the cache holds and how old it is.
    Status(DbArgs),
}

#[derive(Parser, Debug)]
pub struct DbArgs {
    /// The cache folder (default: $DJGUARD_CACHE_DIR, else $XDG_CACHE_HOME/djguard, else
    /// ~/.cache/djguard).
    #[arg(long, value_name = "DIR")]
    pub cache_dir: Option<PathBuf>,
    /// Where to download the OSV PyPI export from (a mirror).
    #[arg(long, value_name = "URL", default_value = djguard::deps::db::DEFAULT_OSV_URL)]
    pub url: String,
    /// The package index's JSON for Django (a mirror).
    #[arg(long, value_name = "URL", default_value = djguard::deps::db::DEFAULT_PYPI_DJANGO_URL)]
    pub pypi_url: String,
    /// Give up on a download after this many seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 300)]
    pub timeout: u64,
}

#[derive(Parser, Debug)]
pub struct CheckArgs {
    /// Files or directories to audit (default: the current directory).
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,

    /// Settings module to evaluate: a path to a .py file or a dotted module name resolved
    /// against the project root. Repeatable. Overrides discovery from manage.py/wsgi.py/asgi.py.
    #[arg(long, value_name = "FILE_OR_MODULE")]
    pub settings: Vec<String>,

    /// Judge against this Django release's checks and defaults (X.Y or X.Y.Z). Default: the
    /// version the project pins, else the newest stable release.
    #[arg(long, value_name = "X.Y[.Z]")]
    pub django_version: Option<String>,

    /// Output format (default: text on a terminal, text otherwise as well).
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,

    /// A deployment environment variable (repeatable): settings read from the environment are
    /// evaluated with this value instead of the reader's default.
    #[arg(long = "env", value_name = "KEY=VALUE")]
    pub env: Vec<String>,

    /// Read deployment environment variables from a dotenv file (repeatable; later files and
    /// --env win).
    #[arg(long, value_name = "FILE")]
    pub env_file: Vec<PathBuf>,

    /// Only run rules matching these ids or prefixes (`security`, `security.W004`, `DJG0`,
    /// group `django`). Comma-separated or repeated.
    #[arg(long, value_delimiter = ',')]
    pub select: Vec<String>,

    /// Add rules to the selection (keeps the configuration's `select`).
    #[arg(long, value_delimiter = ',')]
    pub extend_select: Vec<String>,

    /// Skip rules matching these ids or prefixes.
    #[arg(long, value_delimiter = ',')]
    pub ignore: Vec<String>,

    /// Skip paths matching these globs (in addition to .gitignore and the configuration).
    #[arg(long, value_delimiter = ',')]
    pub exclude: Vec<String>,

    /// Exit 1 only for findings at or above this severity (default: low, i.e. any finding).
    #[arg(long, value_name = "SEVERITY")]
    pub fail_on: Option<String>,

    /// Report only findings at or above this confidence: high (a proven flow from the
    /// request), medium (the default), or low (also dangerous calls with no proven source).
    #[arg(long, value_name = "CONFIDENCE")]
    pub min_confidence: Option<String>,

    /// Read the configuration from this file instead of djguard.toml / pyproject.toml.
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    pub config: Option<PathBuf>,

    /// Ignore configuration files.
    #[arg(long)]
    pub no_config: bool,

    /// Report only findings whose fingerprint is not in this baseline file.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,

    /// Write the fingerprints of the current findings to this baseline file.
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,

    /// Also read OSV advisories (JSON or YAML) from this folder (recursively), zip or file.
    /// Repeatable.
    #[arg(long, value_name = "PATH")]
    pub advisories: Vec<PathBuf>,

    /// Also ask the OSV API about every pinned package (sends package names and versions).
    #[arg(long, conflicts_with = "offline")]
    pub online: bool,

    /// Never touch the network, even if the configuration says `online = true`.
    #[arg(long)]
    pub offline: bool,

    /// The OSV API to ask with --online (a mirror).
    #[arg(long, value_name = "URL", default_value = djguard::deps::db::DEFAULT_OSV_API)]
    pub osv_api: String,

    /// The advisory cache folder `djguard db update` fills (default: $DJGUARD_CACHE_DIR, else
    /// $XDG_CACHE_HOME/djguard, else ~/.cache/djguard).
    #[arg(long, value_name = "DIR")]
    pub cache_dir: Option<PathBuf>,

    /// Do not use the Django advisories built into djguard.
    #[arg(long)]
    pub no_builtin_advisories: bool,

    /// Do not report this advisory (any of its ids: CVE, GHSA, PYSEC). Repeatable.
    #[arg(long, value_name = "ID", value_delimiter = ',')]
    pub ignore_advisory: Vec<String>,

    /// Seconds to wait for the OSV API with --online.
    #[arg(long, value_name = "SECONDS", default_value_t = 30)]
    pub timeout: u64,

    /// When to colour text output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq)]
pub enum Format {
    Text,
    Json,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq)]
pub enum ListFormat {
    Text,
    Json,
    /// The Markdown table used in the README.
    Markdown,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}
