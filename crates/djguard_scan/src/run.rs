//! A fleet run: many sites with bounded concurrency, one site's requests one at a time,
//! two sites on the same host never at once (politeness), a time limit per site, and the
//! reports in the order the sites were given.

use std::collections::HashMap;
use std::io::Write;
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde::Serialize;

use super::analyse::{self, AnalyseOptions, SiteReport};
use super::fetch::Client;
use super::probe::{self, ProbeOptions};
use crate::finding::Severity;

pub struct RunOptions {
    pub concurrency: usize,
    pub site_timeout: Duration,
    pub probe: ProbeOptions,
    pub expiry_warn_days: i64,
    /// Rule selectors to drop (`DJG415`, `DJG41`).
    pub ignore: Vec<String>,
    pub progress: bool,
    /// Print each report as a JSON line as soon as its site is done.
    pub ndjson: bool,
}

#[derive(Debug, Serialize)]
pub struct Summary {
    pub sites: usize,
    pub graded: usize,
    pub not_reachable: usize,
    pub findings: usize,
    pub by_severity: std::collections::BTreeMap<String, usize>,
    pub grades: std::collections::BTreeMap<String, usize>,
    pub requests: u64,
    pub elapsed_ms: u64,
}

/// The host:port key sites are serialised on.
fn host_key(input: &str, o: &ProbeOptions) -> String {
    match probe::starts(input, o) {
        Ok((http, https)) => https
            .or(http)
            .and_then(|u| {
                u.host_str().map(|h| {
                    format!(
                        "{}:{}",
                        h.to_ascii_lowercase(),
                        u.port_or_known_default().unwrap_or(0)
                    )
                })
            })
            .unwrap_or_else(|| input.to_string()),
        Err(_) => input.to_string(),
    }
}

/// Scan every site; the reports come back in input order.
pub fn run(client: Client, sites: Vec<String>, o: RunOptions) -> (Vec<SiteReport>, Summary) {
    let started = Instant::now();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            let reports = sites
                .iter()
                .map(|s| failed(s, format!("cannot start the network runtime: {e}")))
                .collect::<Vec<_>>();
            let summary = summarise(&reports, started);
            return (reports, summary);
        }
    };
    let bar = if o.progress && sites.len() > 1 {
        let b = indicatif::ProgressBar::new(sites.len() as u64);
        b.set_style(
            indicatif::ProgressStyle::with_template(
                "{spinner} {pos}/{len} sites [{elapsed_precise}] {wide_msg}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        Some(b)
    } else {
        None
    };
    let o = Arc::new(o);
    let reports = runtime.block_on(async {
        let sem = Arc::new(tokio::sync::Semaphore::new(o.concurrency.max(1)));
        let mut locks: HashMap<String, Arc<tokio::sync::Mutex<()>>> = HashMap::new();
        let mut tasks = Vec::with_capacity(sites.len());
        for site in sites {
            let lock = locks
                .entry(host_key(&site, &o.probe))
                .or_insert_with(|| Arc::new(tokio::sync::Mutex::new(())))
                .clone();
            let sem = sem.clone();
            let client = client.clone();
            let o = o.clone();
            let bar = bar.clone();
            tasks.push(tokio::spawn(async move {
                let _host = lock.lock().await;
                let _permit = sem.acquire().await;
                let report = scan_one(&client, &site, &o).await;
                if let Some(b) = &bar {
                    b.set_message(format!(
                        "{} {}",
                        site,
                        report.grade.as_deref().unwrap_or("not graded")
                    ));
                    b.inc(1);
                }
                if o.ndjson {
                    let line = serde_json::to_string(&report).unwrap_or_default();
                    let out = std::io::stdout();
                    let mut out = out.lock();
                    let _ = writeln!(out, "{line}");
                    let _ = out.flush();
                }
                report
            }));
        }
        let mut reports = Vec::with_capacity(tasks.len());
        for t in tasks {
            match t.await {
                Ok(r) => reports.push(r),
                Err(e) => reports.push(failed("?", format!("internal error: {e}"))),
            }
        }
        reports
    });
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    // Do not wait for stray connection tasks (hostile servers that never close).
    runtime.shutdown_background();
    let summary = summarise(&reports, started);
    (reports, summary)
}

fn failed(site: &str, why: String) -> SiteReport {
    let mut r = analyse::analyse(
        &probe::Observations {
            input: site.to_string(),
            ..Default::default()
        },
        &AnalyseOptions {
            expiry_warn_days: 30,
        },
        0,
    );
    r.errors = vec![why];
    r
}

async fn scan_one(client: &Client, site: &str, o: &RunOptions) -> SiteReport {
    let start = Instant::now();
    // The probes keep to the budget themselves (what was gathered is graded); this outer
    // limit is only a backstop.
    let backstop = o.site_timeout + Duration::from_secs(5);
    let obs = tokio::time::timeout(backstop, probe::observe(client, site, &o.probe)).await;
    let mut report = match obs {
        Err(_) => failed(
            site,
            format!(
                "the site did not finish within {} s (--site-timeout); no grade",
                o.site_timeout.as_secs()
            ),
        ),
        Ok(Err(e)) => failed(site, e.to_string()),
        Ok(Ok(obs)) => analyse::analyse(
            &obs,
            &AnalyseOptions {
                expiry_warn_days: o.expiry_warn_days,
            },
            start.elapsed().as_millis() as u64,
        ),
    };
    if !o.ignore.is_empty() {
        report.findings.retain(|f| {
            !o.ignore
                .iter()
                .any(|sel| crate::rules::selector_matches(sel, &f.rule.meta))
        });
    }
    report.elapsed_ms = start.elapsed().as_millis() as u64;
    report
}

fn summarise(reports: &[SiteReport], started: Instant) -> Summary {
    let mut s = Summary {
        sites: reports.len(),
        graded: 0,
        not_reachable: 0,
        findings: 0,
        by_severity: Default::default(),
        grades: Default::default(),
        requests: 0,
        elapsed_ms: started.elapsed().as_millis() as u64,
    };
    for r in reports {
        s.requests += u64::from(r.requests);
        match &r.grade {
            Some(g) => {
                s.graded += 1;
                *s.grades.entry(g.clone()).or_default() += 1;
            }
            None => s.not_reachable += 1,
        }
        for f in &r.findings {
            s.findings += 1;
            *s.by_severity
                .entry(f.severity.as_str().to_string())
                .or_default() += 1;
        }
    }
    s
}

/// The exit code: 1 when a site was not graded, graded below `min_grade`, or has a finding
/// at or above `fail_on`.
pub fn exit_code(reports: &[SiteReport], fail_on: Severity, min_grade: Option<usize>) -> i32 {
    for r in reports {
        let Some(g) = &r.grade else { return 1 };
        if let (Some(min), Some(rank)) = (min_grade, super::grade::rank(g))
            && rank > min
        {
            return 1;
        }
        if r.findings.iter().any(|f| f.severity >= fail_on) {
            return 1;
        }
    }
    0
}
