//! Command-line interface. Every flag is documented here; `--help` is the manual.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

use crate::django::version::DjangoVersion;
use crate::finding::{Confidence, Severity};

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
    /// Live checkup of deployed sites over HTTP(S): transport and TLS, security headers,
    /// cookies and Django probes (DEBUG pages, ALLOWED_HOSTS, development server, admin,
    /// exposed files), graded A+ to F. Many sites at once with `--from` and `--concurrency`.
    #[cfg(feature = "scan")]
    Scan(Box<ScanArgs>),
    /// Write a commented configuration for the project (`[tool.djguard]` appended to
    /// pyproject.toml, or a djguard.toml) naming the settings modules found; with --baseline,
    /// also record today's findings so only new ones are reported.
    Init(InitArgs),
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
    /// Where to download the OSV PyPI export from (a mirror; default: $DJGUARD_ADVISORY_URL,
    /// else the OSV export on Google Cloud Storage).
    #[arg(long, value_name = "URL")]
    pub url: Option<String>,
    /// The package index's JSON for Django (a mirror).
    #[arg(long, value_name = "URL", default_value = crate::deps::db::DEFAULT_PYPI_DJANGO_URL)]
    pub pypi_url: String,
    /// Give up on a download after this many seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 300)]
    pub timeout: u64,
}

#[derive(Parser, Debug)]
pub struct InitArgs {
    /// The project's root folder.
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// Also write djguard-baseline.json with today's findings, and point the configuration at
    /// it: `djguard check` then reports only findings that are new.
    #[arg(long)]
    pub baseline: bool,
    /// Write djguard.toml even when the project has a pyproject.toml.
    #[arg(long)]
    pub djguard_toml: bool,
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
    pub django_version: Option<DjangoVersion>,

    /// Output format on standard output: text (people), json, sarif (GitHub code scanning),
    /// junit, github (workflow annotations), gitlab (Code Quality), markdown (a PR comment),
    /// html (one self-contained page with filters).
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,

    /// Also write the report in FORMAT to FILE, in the same run (repeatable):
    /// `--output sarif=djguard.sarif --output html=djguard.html`.
    #[arg(long, value_name = "FORMAT=FILE")]
    pub output: Vec<OutputSpec>,

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
    pub fail_on: Option<Severity>,

    /// Report only findings at or above this confidence: high (a proven flow from the
    /// request), medium (the default), or low (also dangerous calls with no proven source).
    #[arg(long, value_name = "CONFIDENCE")]
    pub min_confidence: Option<Confidence>,

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

    /// Never touch the network: no first-run download or daily refresh of the advisory
    /// database, and no `online = true` from the configuration. `DJGUARD_OFFLINE=1` does the
    /// same for everything but an explicit `--online`.
    #[arg(long)]
    pub offline: bool,

    /// The OSV API to ask with --online (a mirror).
    #[arg(long, value_name = "URL", default_value = crate::deps::db::DEFAULT_OSV_API)]
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
    Sarif,
    Junit,
    Github,
    Gitlab,
    Markdown,
    Html,
}

/// `--output FORMAT=FILE`.
#[derive(Clone, Debug, PartialEq)]
pub struct OutputSpec {
    pub format: Format,
    pub path: PathBuf,
}

impl std::str::FromStr for OutputSpec {
    type Err = String;

    fn from_str(s: &str) -> Result<OutputSpec, String> {
        let names = || {
            Format::value_variants()
                .iter()
                .filter_map(|v| v.to_possible_value())
                .map(|v| v.get_name().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        };
        let Some((format, path)) = s.split_once('=') else {
            return Err(format!(
                "`{s}`: expected FORMAT=FILE, FORMAT one of {}",
                names()
            ));
        };
        let format = Format::from_str(format.trim(), true).map_err(|_| {
            format!(
                "`{format}` is not an output format: expected one of {}",
                names()
            )
        })?;
        if path.is_empty() {
            return Err(format!("`{s}`: no file after `=`"));
        }
        Ok(OutputSpec {
            format,
            path: PathBuf::from(path),
        })
    }
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

#[cfg(feature = "scan")]
#[derive(Parser, Debug)]
pub struct ScanArgs {
    /// Sites to scan: URLs (`https://example.com/`, `http://localhost:8000/path`) or bare
    /// host names (scanned as https://HOST/ and http://HOST/).
    #[arg(value_name = "URL")]
    pub urls: Vec<String>,
    /// Read more sites from FILE, one per line (`#` starts a comment; `-` is standard input).
    #[arg(long = "from", value_name = "FILE")]
    pub from: Vec<PathBuf>,
    /// Output format: text, json (one document), ndjson (one line per site as it finishes,
    /// then a summary line), or a CI format as for `check` (sarif, junit, github, gitlab,
    /// markdown), where a live finding is located by its URL, or html (one card per site).
    #[arg(long, value_enum, default_value_t = ScanFormat::Text)]
    pub format: ScanFormat,
    /// Also write the report in FORMAT to FILE, in the same run (repeatable; any format but
    /// ndjson): `--output sarif=scan.sarif`.
    #[arg(long, value_name = "FORMAT=FILE")]
    pub output: Vec<OutputSpec>,
    /// Sites scanned at the same time. A site's own requests are always one at a time, and
    /// two sites on the same host:port never run together.
    #[arg(long, value_name = "N", default_value_t = 16)]
    pub concurrency: usize,
    /// Seconds allowed for DNS, TCP connect and the TLS handshake, each.
    #[arg(long, value_name = "SECONDS", default_value_t = 10.0)]
    pub connect_timeout: f64,
    /// Seconds allowed for a response's headers, and again for its body.
    #[arg(long, value_name = "SECONDS", default_value_t = 15.0)]
    pub timeout: f64,
    /// Seconds allowed for a whole site (every request and probe); past it the site is
    /// reported as not graded.
    #[arg(long, value_name = "SECONDS", default_value_t = 120.0)]
    pub site_timeout: f64,
    /// Read at most this many bytes of a body (after gzip decoding).
    #[arg(long, value_name = "BYTES", default_value_t = 2 * 1024 * 1024)]
    pub max_body: usize,
    /// Follow at most this many redirects per chain.
    #[arg(long, value_name = "N", default_value_t = 10)]
    pub max_redirects: usize,
    /// Retries of the home page after a timeout or a dropped connection (backing off 0.5 s,
    /// 1 s, 2 s, ...).
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub retries: u32,
    /// Milliseconds to wait between two requests to the same site.
    #[arg(long, value_name = "MS", default_value_t = 0)]
    pub delay_ms: u64,
    /// Also trust the CA certificates in this PEM file (a private or test CA). Repeatable.
    #[arg(long, value_name = "PEM")]
    pub ca_file: Vec<PathBuf>,
    /// A request header for sites behind a login, `Name: value`. Repeatable. Sent over
    /// HTTPS only, unless --send-auth-over-http.
    #[arg(long, value_name = "HEADER")]
    pub header: Vec<String>,
    /// A cookie to send, `name=value`. Repeatable. HTTPS only, like --header.
    #[arg(long, value_name = "COOKIE")]
    pub cookie: Vec<String>,
    /// Also send --header and --cookie over plain HTTP (they can be read on the way).
    #[arg(long)]
    pub send_auth_over_http: bool,
    /// Connect to ADDRESS for HOST:PORT instead of resolving it, like curl's --resolve
    /// (`www.example.com:443:10.0.0.5`). Repeatable.
    #[arg(long, value_name = "HOST:PORT:ADDRESS")]
    pub resolve: Vec<String>,
    /// Where plain HTTP is served when the URL is https on a port other than 443 (to test
    /// the HTTP->HTTPS redirect).
    #[arg(long, value_name = "PORT")]
    pub http_port: Option<u16>,
    /// Where HTTPS is served when the URL is http on a port other than 80.
    #[arg(long, value_name = "PORT")]
    pub https_port: Option<u16>,
    /// Skip the Django probes (missing page, made-up Host, /admin/, /accounts/login/,
    /// /.env, /.git/HEAD, /api/, TRACE, CORS): only the home page chains are fetched.
    #[arg(long)]
    pub no_probes: bool,
    /// Skip the TLS 1.0/1.1 handshake probes.
    #[arg(long)]
    pub no_legacy_tls: bool,
    /// Warn when the certificate expires within this many days (high within 7).
    #[arg(long, value_name = "DAYS", default_value_t = 30)]
    pub expiry_warn_days: i64,
    /// Exit 1 when a site grades below this letter (A+, A, A-, B+ ... F).
    #[arg(long, value_name = "GRADE")]
    pub min_grade: Option<String>,
    /// Exit 1 when a finding is at or above this severity (critical, high, medium, low,
    /// info). Default: low.
    #[arg(long, value_name = "SEVERITY")]
    pub fail_on: Option<Severity>,
    /// Drop findings of these rules (ids or prefixes: DJG415, DJG41). Repeatable.
    #[arg(long, value_name = "RULE")]
    pub ignore: Vec<String>,
    /// The User-Agent header.
    #[arg(long, value_name = "TEXT", default_value = concat!("djguard/", env!("CARGO_PKG_VERSION"), " (+https://pypi.org/project/djguard/)"))]
    pub user_agent: String,
    /// No progress bar (it is drawn only on a terminal, for more than one site).
    #[arg(long)]
    pub no_progress: bool,
}

#[cfg(feature = "scan")]
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScanFormat {
    Text,
    Json,
    Ndjson,
    Sarif,
    Junit,
    Github,
    Gitlab,
    Markdown,
    Html,
}

#[cfg(feature = "scan")]
impl ScanFormat {
    /// The report format this is, for all but the streaming ndjson.
    pub fn report_format(self) -> Option<Format> {
        Some(match self {
            ScanFormat::Text => Format::Text,
            ScanFormat::Json => Format::Json,
            ScanFormat::Ndjson => return None,
            ScanFormat::Sarif => Format::Sarif,
            ScanFormat::Junit => Format::Junit,
            ScanFormat::Github => Format::Github,
            ScanFormat::Gitlab => Format::Gitlab,
            ScanFormat::Markdown => Format::Markdown,
            ScanFormat::Html => Format::Html,
        })
    }
}
