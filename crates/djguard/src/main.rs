//! The `djguard` binary: parses flags, merges the configuration, runs the pipeline, prints,
//! and maps the outcome to the contract's exit codes (0 clean, 1 findings, 2 usage error).

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::Parser;

use djguard::check;
use djguard::cli::{self, CheckArgs, Cli, ColorChoice, Command, DbCommand, Format, ListFormat};
use djguard::finding::Severity;
use djguard::{options, render, rules};

/// Parsing and evaluating deeply nested code recurses; give every thread room.
const STACK_BYTES: usize = 256 * 1024 * 1024;

/// mimalloc: the syntax trees are millions of small allocations; it cuts allocation and
/// page-fault time by a fifth compared with the system allocator on large trees.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let _ = rayon::ThreadPoolBuilder::new()
        .stack_size(STACK_BYTES)
        .build_global();
    let worker = std::thread::Builder::new()
        .stack_size(STACK_BYTES)
        .spawn(real_main);
    let code = match worker.map(|h| h.join()) {
        Ok(Ok(code)) => code,
        _ => {
            eprintln!("djguard: internal error (please report it)");
            2
        }
    };
    let _ = std::io::stdout().flush();
    // Exit without dropping the project model: large trees take longer to free than to print.
    std::process::exit(code);
}

fn real_main() -> i32 {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("djguard: error: {e:#}");
            2
        }
    }
}

fn run(cli: Cli) -> Result<i32> {
    match cli.command {
        Command::Check(args) => run_check(*args, false),
        Command::Deps(args) => run_check(*args, true),
        Command::Init(args) => run_init(&args),
        Command::Db { command } => run_db(command),
        #[cfg(feature = "scan")]
        Command::Scan(args) => run_scan(*args),
        Command::Settings(args) => {
            let opts = options::resolve(&args)?.check;
            let doc = check::dump_settings(&opts)?;
            out(&(serde_json::to_string_pretty(&doc)? + "\n"));
            Ok(0)
        }
        Command::Rules { format } => {
            print_rules(format);
            Ok(0)
        }
        Command::Rule { id } => match (rules::find(&id), rules::doc(&id)) {
            (Some(meta), Some(doc)) => {
                // Through `out`: a reader that closes the pipe early (`| head`) is not an error.
                out(&format!(
                    "{doc}\nSeverity: {}{}\n",
                    meta.severity.as_str(),
                    meta.cwe.map(|c| format!(" · CWE-{c}")).unwrap_or_default()
                ));
                Ok(0)
            }
            _ => bail!("unknown rule `{id}` (see `djguard rules`)"),
        },
    }
}

fn print_rules(format: ListFormat) {
    let all = rules::all();
    match format {
        ListFormat::Text => {
            let mut text = String::new();
            for r in all {
                text.push_str(&format!(
                    "{:<16} {:<9} {}\n",
                    r.id,
                    r.severity.as_str(),
                    r.title
                ));
            }
            out(&text);
        }
        ListFormat::Json => {
            let v: Vec<serde_json::Value> = all
                .iter()
                .map(|r| serde_json::json!({"id": r.id, "title": r.title, "severity": r.severity.as_str(), "cwe": r.cwe}))
                .collect();
            out(&(serde_json::to_string_pretty(&v).unwrap_or_default() + "\n"));
        }
        ListFormat::Markdown => out(&rules_markdown()),
    }
}

/// The rule table of the README (a test keeps the two identical).
pub fn rules_markdown() -> String {
    let mut out = String::from("| id | severity | title |\n| --- | --- | --- |\n");
    for r in rules::all() {
        out.push_str(&format!(
            "| `{}` | {} | {} |\n",
            r.id,
            r.severity.as_str(),
            r.title
        ));
    }
    out
}

fn run_check(args: CheckArgs, deps_only: bool) -> Result<i32> {
    let options::Resolved {
        check: opts,
        fail_on,
        baseline,
        ..
    } = options::resolve(&args)?;
    let mut report = if deps_only {
        check::run_deps(&opts)?
    } else {
        check::run(&opts)?
    };

    if let Some(path) = &baseline
        && args.write_baseline.as_ref() != Some(path)
    {
        let known = read_baseline(path)?;
        report.findings.retain(|f| !known.contains(&f.fingerprint));
    }
    if let Some(path) = &args.write_baseline {
        write_baseline(path, &report)?;
    }

    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
        }
    };
    // Report files first: a file that cannot be written is a usage error, reported before
    // anything is printed.
    for spec in &args.output {
        let text = render_check(spec.format, &report, false, &opts.root);
        write_report(&spec.path, &text)?;
    }
    out(&render_check(args.format, &report, color, &opts.root));
    // Text mode tells people about unreadable files on stderr; JSON carries them in `errors`.
    if args.format == Format::Text {
        eprint!("{}", render::text::error_lines(&report));
    }
    Ok(if report.findings.iter().any(|f| f.severity >= fail_on) {
        1
    } else {
        0
    })
}

/// The `check` report in one format, as written to a terminal or a file.
fn render_check(format: Format, report: &check::Report, color: bool, root: &Path) -> String {
    let docs = |id: &str| rules::doc(id);
    let machine = || {
        let mut run = render::Run::new("check", &report.findings, &report.errors, &docs);
        (run.root_uri, run.path_prefix) = paths_base(root);
        run
    };
    match format {
        Format::Text => render::text::render(report, color) + "\n",
        Format::Json => render::json::render(report) + "\n",
        Format::Sarif => render::sarif::render(&machine()),
        Format::Junit => render::junit::render(&machine()),
        Format::Github => render::github::render(&machine()),
        Format::Gitlab => render::gitlab::render(&machine()),
        Format::Markdown => render::markdown::render(&machine()),
        Format::Html => djguard::html_report::check_page(report, root, &docs),
    }
}

/// Where the machine formats' paths start: the current folder when the scanned root is inside
/// it (CI runs at the repository's top, and GitHub and GitLab want repository paths), with the
/// root's place in it as the prefix; else the root itself.
fn paths_base(root: &Path) -> (Option<String>, String) {
    let Ok(abs) = root.canonicalize() else {
        return (None, String::new());
    };
    let cwd = std::env::current_dir().and_then(|d| d.canonicalize());
    if let Ok(cwd) = cwd
        && let Ok(rel) = abs.strip_prefix(&cwd)
    {
        let mut prefix: String = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/");
        if !prefix.is_empty() {
            prefix.push('/');
        }
        return (Some(render::dir_uri(&cwd)), prefix);
    }
    (Some(render::dir_uri(&abs)), String::new())
}

/// `djguard init`: audit the project as it is (no configuration), then write the configuration
/// and, with `--baseline`, the baseline of what was found.
fn run_init(args: &cli::InitArgs) -> Result<i32> {
    use djguard::init;
    if !args.path.is_dir() {
        bail!("{} is not a folder", args.path.display());
    }
    // Refuse before auditing: an existing configuration is the user's to edit.
    let (path, pyproject) = init::target(&args.path, args.djguard_toml);
    let existing = init::prepare(&path, pyproject)?;
    let check_args = CheckArgs::try_parse_from([
        std::ffi::OsString::from("djguard-init"),
        args.path.clone().into_os_string(),
        "--no-config".into(),
    ])?;
    let opts = options::resolve(&check_args)?.check;
    let report = check::run(&opts)?;
    let text = init::section(&report.settings, args.baseline, pyproject);
    init::write(&path, existing, &text)?;
    println!(
        "wrote {} in {}",
        if pyproject {
            "[tool.djguard]"
        } else {
            "djguard.toml"
        },
        path.display()
    );
    if args.baseline {
        let b = args.path.join(init::BASELINE);
        write_baseline(&b, &report)?;
        println!(
            "wrote {} ({} finding(s) recorded; `djguard check` reports only new ones)",
            b.display(),
            report.findings.len()
        );
    }
    Ok(0)
}

fn run_db(command: DbCommand) -> Result<i32> {
    use djguard::deps::db;
    let (args, update) = match command {
        DbCommand::Update(a) => (a, true),
        DbCommand::Status(a) => (a, false),
    };
    let dir = db::cache_dir(args.cache_dir.as_deref())
        .context("no cache folder: set --cache-dir or DJGUARD_CACHE_DIR (HOME is not set)")?;
    if update {
        let report = db::update(
            &db::UpdateOptions {
                dir: dir.clone(),
                osv_url: args
                    .url
                    .clone()
                    .or_else(|| {
                        std::env::var(db::URL_ENV)
                            .ok()
                            .filter(|u| !u.trim().is_empty())
                    })
                    .unwrap_or_else(|| db::DEFAULT_OSV_URL.to_string()),
                pypi_url: args.pypi_url.clone(),
                timeout: std::time::Duration::from_secs(args.timeout.max(1)),
                progress: std::io::stderr().is_terminal(),
            },
            &db::now_rfc3339(),
        );
        for line in &report.lines {
            if line.starts_with("error") || line.starts_with("warning") {
                eprintln!("djguard: {line}");
            } else {
                println!("{line}");
            }
        }
        return Ok(if report.failed { 2 } else { 0 });
    }
    let cache = db::Cache::new(dir.clone());
    match cache.open().map(|s| s.status(&db::today())) {
        Some(st) => println!(
            "advisory database: {} ({} records, downloaded {}, last checked {}, {} day(s) ago)",
            st.path, st.records, st.downloaded, st.checked, st.age_days
        ),
        None => println!(
            "advisory database: none in {} (run `djguard db update`)",
            dir.display()
        ),
    }
    let calendar = cache
        .calendar()
        .unwrap_or_else(djguard::deps::django_data::Calendar::embedded);
    println!(
        "Django release calendar: made {}, {} series",
        calendar.generated,
        calendar.series.len()
    );
    Ok(0)
}

/// Print to stdout; a closed pipe (`djguard rules | head`) is not an error.
/// An `--output` file, its folder created when missing (`--output sarif=reports/x.sarif`).
fn write_report(path: &Path, text: &str) -> Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot write --output {}", path.display()))?;
    }
    std::fs::write(path, text).with_context(|| format!("cannot write --output {}", path.display()))
}

fn out(text: &str) {
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
}

fn read_baseline(path: &Path) -> Result<std::collections::HashSet<String>> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read baseline {}", path.display()))?;
    let v: serde_json::Value = serde_json::from_str(&text)
        .with_context(|| format!("baseline {} is not JSON", path.display()))?;
    let list = v
        .get("fingerprints")
        .and_then(|f| f.as_array())
        .with_context(|| format!("baseline {} has no `fingerprints` list", path.display()))?;
    Ok(list
        .iter()
        .filter_map(|x| x.as_str().map(str::to_string))
        .collect())
}

fn write_baseline(path: &Path, report: &check::Report) -> Result<()> {
    let mut fps: Vec<&str> = report
        .findings
        .iter()
        .map(|f| f.fingerprint.as_str())
        .collect();
    fps.sort_unstable();
    fps.dedup();
    let doc = serde_json::json!({"tool": "djguard", "version": env!("CARGO_PKG_VERSION"), "fingerprints": fps});
    std::fs::write(path, serde_json::to_string_pretty(&doc)? + "\n")
        .with_context(|| format!("cannot write baseline {}", path.display()))
}

#[cfg(feature = "scan")]
fn run_scan(a: cli::ScanArgs) -> Result<i32> {
    use djguard::scan::{fetch, probe, render, run};
    use std::io::IsTerminal;
    use std::time::Duration;
    let sites = scan_sites(&a)?;
    let secs = |v: f64, name: &str| -> Result<Duration> {
        if v.is_finite() && v > 0.0 && v < 86_400.0 {
            Ok(Duration::from_secs_f64(v))
        } else {
            bail!("{name} must be a positive number of seconds")
        }
    };
    let fail_on = a.fail_on.unwrap_or(Severity::Low);
    let min_grade = match &a.min_grade {
        Some(g) => Some(djguard::scan::grade::rank(g).ok_or_else(|| {
            anyhow::anyhow!(
                "--min-grade: `{g}` is not a grade (A+, A, A-, B+, B, B-, C+, C, C-, D+, D, D-, F)"
            )
        })?),
        None => None,
    };
    for sel in &a.ignore {
        if !rules::selector_is_known(sel) {
            bail!("--ignore: unknown rule `{sel}` (see `djguard rules`)");
        }
    }
    let auth = scan_auth(&a)?;
    let resolve = scan_resolve(&a)?;
    let client = fetch::Client::new(fetch::ClientOptions {
        connect_timeout: secs(a.connect_timeout, "--connect-timeout")?,
        read_timeout: secs(a.timeout, "--timeout")?,
        max_body: a.max_body.max(1024),
        user_agent: a.user_agent.clone(),
        auth_headers: auth,
        auth_over_http: a.send_auth_over_http,
        resolve,
        ca_files: a.ca_file.clone(),
    })
    // Flattened: the message already ends with its cause, which `{:#}` would print again.
    .map_err(|e| anyhow::anyhow!(e.to_string()))?;
    let ndjson = a.format == cli::ScanFormat::Ndjson;
    let site_timeout = secs(a.site_timeout, "--site-timeout")?;
    let (reports, summary) = run::run(
        client,
        sites,
        run::RunOptions {
            concurrency: a.concurrency.max(1),
            site_timeout,
            probe: probe::ProbeOptions {
                max_redirects: a.max_redirects,
                http_port: a.http_port,
                https_port: a.https_port,
                django_probes: !a.no_probes,
                legacy_tls: !a.no_legacy_tls,
                retries: a.retries.min(10),
                delay: Duration::from_millis(a.delay_ms),
                budget: site_timeout,
            },
            expiry_warn_days: a.expiry_warn_days,
            ignore: a.ignore.clone(),
            progress: !a.no_progress && std::io::stderr().is_terminal(),
            ndjson,
        },
    );
    for spec in &a.output {
        let text = render_scan(spec.format, &reports, &summary, false);
        write_report(&spec.path, &text)?;
    }
    match a.format.report_format() {
        None => out(&render::ndjson_summary(&summary)),
        Some(f) => out(&render_scan(
            f,
            &reports,
            &summary,
            std::io::stdout().is_terminal(),
        )),
    }
    Ok(run::exit_code(&reports, fail_on, min_grade))
}

/// The `scan` report in one format.
#[cfg(feature = "scan")]
fn render_scan(
    format: Format,
    reports: &[djguard::scan::analyse::SiteReport],
    summary: &djguard::scan::run::Summary,
    color: bool,
) -> String {
    use djguard::scan::render as scan_render;
    let docs = |id: &str| rules::doc(id);
    let findings = reports
        .iter()
        .flat_map(|r| r.findings.iter().map(|f| &f.finding));
    let machine = || djguard::render::Run::new("scan", findings.clone(), &[], &docs);
    match format {
        Format::Text => scan_render::text(reports, summary, color),
        Format::Json => scan_render::json(reports, summary),
        Format::Sarif => djguard::render::sarif::render(&machine()),
        Format::Junit => djguard::render::junit::render(&machine()),
        Format::Github => djguard::render::github::render(&machine()),
        Format::Gitlab => djguard::render::gitlab::render(&machine()),
        Format::Markdown => djguard::render::markdown::render(&machine()),
        Format::Html => djguard::html_report::scan_page(reports, summary, &docs),
    }
}

/// The sites to scan: the URLs given, then each `--from` file's lines (`-` is standard
/// input; `#` starts a comment).
#[cfg(feature = "scan")]
fn scan_sites(a: &cli::ScanArgs) -> Result<Vec<String>> {
    use std::io::Read;
    let mut sites: Vec<String> = a.urls.clone();
    for f in &a.from {
        let text = if f.as_os_str() == "-" {
            let mut s = String::new();
            std::io::stdin()
                .read_to_string(&mut s)
                .map_err(|e| anyhow::anyhow!("cannot read sites from standard input: {e}"))?;
            s
        } else {
            std::fs::read_to_string(f)
                .map_err(|e| anyhow::anyhow!("cannot read --from {}: {e}", f.display()))?
        };
        for line in text.lines() {
            let l = line.split('#').next().unwrap_or("").trim();
            if !l.is_empty() {
                sites.push(l.to_string());
            }
        }
    }
    if sites.is_empty() {
        bail!("no site to scan: give URLs or --from FILE");
    }
    Ok(sites)
}

/// `--header` and `--cookie` as the headers every request of the scan sends.
#[cfg(feature = "scan")]
fn scan_auth(a: &cli::ScanArgs) -> Result<Vec<(String, String)>> {
    let mut auth = Vec::new();
    for h in &a.header {
        let Some((k, v)) = h.split_once(':') else {
            bail!("--header `{h}`: expected `Name: value`");
        };
        let k = k.trim();
        if k.is_empty()
            || !k
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-_".contains(&b))
        {
            bail!("--header `{h}`: `{k}` is not a header name");
        }
        if v.bytes().any(|b| b == b'\r' || b == b'\n') {
            bail!("--header `{h}`: line breaks are not allowed");
        }
        auth.push((k.to_ascii_lowercase(), v.trim().to_string()));
    }
    if !a.cookie.is_empty() {
        for c in &a.cookie {
            if !c.contains('=') || c.bytes().any(|b| b == b'\r' || b == b'\n' || b == b';') {
                bail!("--cookie `{c}`: expected `name=value`");
            }
        }
        auth.push(("cookie".into(), a.cookie.join("; ")));
    }
    Ok(auth)
}

/// `--resolve HOST:PORT:ADDRESS` entries.
#[cfg(feature = "scan")]
fn scan_resolve(a: &cli::ScanArgs) -> Result<Vec<(String, u16, std::net::IpAddr)>> {
    let mut resolve = Vec::new();
    for r in &a.resolve {
        let mut parts = r.splitn(3, ':');
        let (Some(h), Some(p), Some(addr)) = (parts.next(), parts.next(), parts.next()) else {
            bail!("--resolve `{r}`: expected HOST:PORT:ADDRESS");
        };
        let port: u16 = p
            .parse()
            .map_err(|_| anyhow::anyhow!("--resolve `{r}`: `{p}` is not a port"))?;
        let ip: std::net::IpAddr = addr
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse()
            .map_err(|_| anyhow::anyhow!("--resolve `{r}`: `{addr}` is not an IP address"))?;
        resolve.push((h.to_string(), port, ip));
    }
    Ok(resolve)
}
