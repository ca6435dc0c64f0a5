//! From what the requests showed (`probe::Observations`) to findings and the grade. Pure:
//! no networking, so every rule can be tested on recorded or made-up responses.

use super::cookies::{self, SetCookie};
use super::fetch::{CertProblem, ErrorKind, Response, TlsInfo};
use super::grade::{self, DjangoModifier, Grade, TestResult};
use super::hsts;
use super::probe::Observations;
use crate::finding::{Confidence, Severity};
use crate::rules::{self as live, LiveRule};

pub use super::report::{DjangoSigns, Evidence, Hop, LiveFinding, SiteReport};

struct Ctx {
    url: String,
    findings: Vec<LiveFinding>,
    tests: Vec<TestResult>,
    /// The made-up Host name of the probe, new in every scan: left out of fingerprints, which
    /// must stay stable for baselines.
    probe_host: String,
}

impl Ctx {
    fn add(
        &mut self,
        rule: &'static LiveRule,
        severity: Option<Severity>,
        message: String,
        fix: &str,
        evidence: Option<Evidence>,
    ) {
        let meta = &rule.meta;
        let severity = severity.unwrap_or(meta.severity);
        let stable = if self.probe_host.is_empty() {
            message.clone()
        } else {
            message.replace(self.probe_host.as_str(), "")
        };
        let key = format!("{}|{}|{}", meta.id, self.url, stable);
        let url = evidence
            .as_ref()
            .map(|e| {
                e.request
                    .split_once(' ')
                    .map_or(e.request.clone(), |x| x.1.to_string())
            })
            .unwrap_or_else(|| self.url.clone());
        let finding = crate::finding::Finding {
            severity,
            message,
            fix: fix.to_string(),
            evidence: evidence.map(Box::new),
            ..crate::finding::Finding::at_url(meta, url, fingerprint(&key), Confidence::High)
        };
        self.findings.push(LiveFinding { rule, finding });
    }

    fn test(&mut self, test: &'static str, result: &str, modifier: i32) {
        self.tests.push(TestResult {
            test,
            result: result.to_string(),
            modifier,
            counted: true,
        });
    }
}

fn fingerprint(key: &str) -> String {
    crate::finding::short_digest([key.as_bytes()])
}

fn evidence(r: &Response, names: &[&str]) -> Evidence {
    Evidence {
        request: format!("{} {}", r.method, r.url),
        status: Some(r.status),
        headers: r
            .headers
            .iter()
            .filter(|(n, _)| names.is_empty() || names.contains(&n.as_str()))
            .cloned()
            .collect(),
        detail: None,
    }
}

fn with_detail(mut e: Evidence, d: impl Into<String>) -> Evidence {
    e.detail = Some(d.into());
    e
}

fn contains(hay: &[u8], needle: &str) -> bool {
    let n = needle.as_bytes();
    !n.is_empty() && hay.windows(n.len()).any(|w| w == n)
}

fn contains_ci(hay: &[u8], needle: &str) -> bool {
    let n = needle.as_bytes();
    !n.is_empty() && hay.windows(n.len()).any(|w| w.eq_ignore_ascii_case(n))
}

fn host_of(url: &str) -> String {
    url::Url::parse(url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_ascii_lowercase))
        .unwrap_or_default()
}

/// DEBUG's technical pages: the 404 and 500 footers (curly apostrophe since Django 3.0,
/// straight before) and the URL-pattern list.
pub fn is_debug_page(body: &[u8]) -> bool {
    let footer = contains(body, "because you have <code>DEBUG = True</code>")
        || contains(body, "seeing this error because you have")
        || contains(body, "DEBUG = True");
    let technical = contains(body, "Django tried these URL patterns")
        || contains(body, "Using the URLconf defined in")
        || contains(body, "Request Method:")
        || contains(body, "<th scope=\"row\">Django Version:</th>")
        || contains(body, "<th>Django Version:</th>");
    footer && technical
}

/// The Django version a technical page shows.
pub fn django_version(body: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(body);
    let at = text.find("Django Version:</th>")?;
    let rest = &text[at + "Django Version:</th>".len()..];
    let rest = rest.trim_start();
    let rest = rest.strip_prefix("<td>")?;
    let end = rest.find('<')?;
    let v = rest[..end].trim();
    (!v.is_empty() && v.len() < 40 && v.chars().all(|c| c.is_ascii_alphanumeric() || c == '.'))
        .then(|| v.to_string())
}

fn is_admin_login(body: &[u8]) -> bool {
    (contains(body, "Django site admin") || contains(body, "Django administration"))
        && contains(body, "id_username")
        && contains(body, "id_password")
}

fn looks_html(body: &[u8]) -> bool {
    let head = &body[..body.len().min(1024)];
    contains_ci(head, "<html") || contains_ci(head, "<!doctype") || contains_ci(head, "<head")
}

/// `.env` content: mostly `KEY=value` lines, not an HTML page.
fn looks_dotenv(body: &[u8]) -> bool {
    if body.is_empty() || looks_html(body) {
        return false;
    }
    let text = String::from_utf8_lossy(&body[..body.len().min(64 * 1024)]);
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();
    let kv = lines
        .iter()
        .filter(|l| {
            let l = l.strip_prefix("export ").unwrap_or(l);
            l.split_once('=').is_some_and(|(k, _)| {
                !k.is_empty()
                    && k.chars()
                        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
            })
        })
        .count();
    kv > 0 && kv * 2 >= lines.len()
}

fn looks_git_head(body: &[u8]) -> bool {
    let t = String::from_utf8_lossy(&body[..body.len().min(256)]);
    let t = t.trim();
    t.starts_with("ref: refs/") || (t.len() == 40 && t.chars().all(|c| c.is_ascii_hexdigit()))
}

/// Cookie roles: Django's session key is 32 lower-case letters and digits, its CSRF secret 32
/// mixed-case; names are Django's defaults or contain `sess` / `csrf`.
fn is_session_cookie(c: &SetCookie) -> bool {
    let n = c.name.to_ascii_lowercase();
    n == "sessionid"
        || n.contains("sess")
        || n.contains("login")
        || (c.value.len() == 32
            && c.value
                .chars()
                .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit())
            && c.http_only)
}

fn is_csrf_cookie(c: &SetCookie) -> bool {
    let n = c.name.to_ascii_lowercase();
    n == "csrftoken" || n.contains("csrf") || n.contains("xsrf")
}

struct SeenCookie {
    cookie: SetCookie,
    over_https: bool,
    response: Response,
}

pub struct AnalyseOptions {
    /// Days before expiry from which DJG404 fires.
    pub expiry_warn_days: i64,
}

/// Judge a site.
pub fn analyse(obs: &Observations, o: &AnalyseOptions, elapsed_ms: u64) -> SiteReport {
    let mut ctx = Ctx {
        url: obs.input.clone(),
        findings: Vec::new(),
        tests: Vec::new(),
        probe_host: obs.bogus_host_name.clone(),
    };
    let mut report = empty_report(obs, elapsed_ms);
    record_hops(obs, &mut report);
    let auto = graded_response(obs);
    let https_ok = auto.is_some_and(|r| r.url.starts_with("https:"));
    // TLS: from the first https response.
    let tls = [&obs.https, &obs.http]
        .into_iter()
        .flatten()
        .flat_map(|c| c.hops.iter())
        .find_map(|h| h.tls.clone());
    report.tls = tls.clone();
    let cert_bad = tls.as_ref().is_some_and(|t| t.verify_error.is_some());

    transport(obs, &mut ctx, auto, https_ok, tls.as_ref(), o, &mut report);

    let Some(auto) = auto else {
        note_unreachable(obs, &mut report);
        report.findings = ctx.findings;
        return report;
    };
    report.graded = Some(evidence(auto, &[]));
    note_ungradable_status(auto, &mut report);
    note_probe_and_chain_errors(obs, &mut report);
    note_partial_bodies(obs, &mut report);

    let hsts_ok = hsts_test(&mut ctx, obs, auto, https_ok, cert_bad);
    headers(&mut ctx, auto, https_ok);
    cookie_checks(&mut ctx, obs, https_ok, hsts_ok, &mut report.django);
    cors(&mut ctx, obs, auto);
    django_probes(&mut ctx, obs, auto, &mut report.django);

    grade_site(ctx, &mut report);
    report
}

/// The report before any check has run: only what the observations say directly.
fn empty_report(obs: &Observations, elapsed_ms: u64) -> SiteReport {
    SiteReport {
        url: obs.input.clone(),
        graded: None,
        grade: None,
        score: None,
        observatory_grade: None,
        observatory_score: None,
        capped_by: None,
        partial: false,
        django: DjangoSigns::default(),
        tests: Vec::new(),
        django_modifiers: Vec::new(),
        findings: Vec::new(),
        tls: None,
        hops: Vec::new(),
        requests: obs.requests,
        elapsed_ms,
        notes: Vec::new(),
        errors: Vec::new(),
    }
}

/// The hops of the http:// and https:// chains, each URL once.
fn record_hops(obs: &Observations, report: &mut SiteReport) {
    for chain in [&obs.http, &obs.https].into_iter().flatten() {
        for h in &chain.hops {
            if report.hops.iter().any(|x| x.request.ends_with(&h.url)) {
                continue;
            }
            report.hops.push(Hop {
                request: format!("{} {}", h.method, h.url),
                status: h.status,
                headers: h.headers.clone(),
                body_truncated: h.body_truncated,
                body_error: h.body_error.clone(),
            });
        }
    }
}

/// The response the site is graded on: the end of the https:// chain when it stayed on HTTPS,
/// else the end of the http:// one.
fn graded_response(obs: &Observations) -> Option<&Response> {
    let http_last = obs.http.as_ref().and_then(|c| c.last());
    let https_last = obs.https.as_ref().and_then(|c| c.last());
    // A chain cut short (a redirect loop, too many redirects) is graded on the last answer
    // it got, as the Observatory does, and the loop is a finding of its own.
    https_last
        .filter(|r| r.url.starts_with("https:"))
        .or(http_last)
        .or(https_last)
        .or_else(|| obs.https.as_ref().and_then(|c| c.last_received()))
        .or_else(|| obs.http.as_ref().and_then(|c| c.last_received()))
}

/// The error of a site that gave no answer at all.
fn note_unreachable(obs: &Observations, report: &mut SiteReport) {
    if let Some(e) = obs
        .https
        .as_ref()
        .and_then(|c| c.error.as_ref())
        .or(obs.http.as_ref().and_then(|c| c.error.as_ref()))
    {
        report.errors.push(format!("site not reachable: {e}"));
    } else {
        report.errors.push("site not reachable".into());
    }
}

/// A graded answer the Observatory would refuse (an error status) makes the report partial.
fn note_ungradable_status(auto: &Response, report: &mut SiteReport) {
    if !matches!(auto.status, 200..=399 | 401 | 403) {
        report.partial = true;
        report.notes.push(format!(
            "{} answered {}: the header results describe that answer (the Observatory would refuse to grade it)",
            auto.url, auto.status
        ));
    }
}

/// Failed probes, and chains cut after a first answer: said, even though the site is graded.
fn note_probe_and_chain_errors(obs: &Observations, report: &mut SiteReport) {
    for (name, e) in &obs.probe_errors {
        report.errors.push(format!("{name} probe: {e}"));
    }
    for (name, chain, start) in [
        ("http://", &obs.http, &obs.http_start),
        ("https://", &obs.https, &obs.https_start),
    ] {
        if let Some(c) = chain
            && !c.hops.is_empty()
            && let Some(e) = &c.error
        {
            report.errors.push(format!(
                "the {name} chain from {} was cut after {} response(s): {e}",
                start.as_deref().unwrap_or("?"),
                c.hops.len()
            ));
        }
    }
}

/// Bodies read only in part: the checks that read them saw what arrived.
fn note_partial_bodies(obs: &Observations, report: &mut SiteReport) {
    let mut bodies: Vec<&Response> = Vec::new();
    for c in [&obs.http, &obs.https, &obs.admin, &obs.login]
        .into_iter()
        .flatten()
    {
        bodies.extend(c.hops.iter());
    }
    bodies.extend(
        [
            &obs.not_found,
            &obs.bogus_host,
            &obs.dotenv,
            &obs.git_head,
            &obs.api,
            &obs.trace,
            &obs.cors,
        ]
        .into_iter()
        .flatten(),
    );
    let mut said_bodies = std::collections::BTreeSet::new();
    for r in bodies {
        let what = if r.body_truncated {
            format!(
                "the body of {} {} was truncated: cut at {} bytes (--max-body); checks that read it saw only that part",
                r.method,
                r.url,
                r.body.len()
            )
        } else if let Some(e) = &r.body_error {
            format!("the body of {} {} was read in part: {e}", r.method, r.url)
        } else {
            continue;
        };
        if said_bodies.insert(what.clone()) {
            report.notes.push(what);
        }
    }
}

/// The grade from the tests and the findings' penalties; moves the tests and the findings,
/// sorted, into the report.
fn grade_site(mut ctx: Ctx, report: &mut SiteReport) {
    let mut django_mods = Vec::new();
    let mut critical = None;
    let mut seen = std::collections::BTreeSet::new();
    for f in &ctx.findings {
        let m = f.rule.penalty.points(f.severity);
        let rule = f.rule.meta.id;
        if m != 0 && seen.insert(rule) {
            django_mods.push(DjangoModifier { rule, modifier: m });
        }
        if f.severity == Severity::Critical && critical.is_none() {
            critical = Some(rule);
        }
    }
    let g: Grade = grade::grade(&mut ctx.tests, &django_mods, critical);
    report.grade = Some(g.grade.to_string());
    report.score = Some(g.score);
    report.observatory_grade = Some(g.observatory_grade.to_string());
    report.observatory_score = Some(g.observatory_score);
    report.capped_by = g.capped_by;
    report.django_modifiers = django_mods;
    report.tests = ctx.tests;
    let mut findings = ctx.findings;
    findings.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then_with(|| a.rule.meta.id.cmp(b.rule.meta.id))
            .then_with(|| a.message.cmp(&b.message))
    });
    report.findings = findings;
}

fn transport(
    obs: &Observations,
    ctx: &mut Ctx,
    auto: Option<&Response>,
    https_ok: bool,
    tls: Option<&TlsInfo>,
    o: &AnalyseOptions,
    report: &mut SiteReport,
) {
    https_reachable(obs, ctx, auto, https_ok, report);
    if let Some(t) = tls {
        certificate(obs, ctx, t, o);
    }
    legacy_protocols(obs, ctx);
    redirect_loop(obs, ctx);
    redirection(obs, ctx, tls);
}

/// DJG401: the https:// chain got no answer at all (or the note that HTTPS was not tried).
fn https_reachable(
    obs: &Observations,
    ctx: &mut Ctx,
    auto: Option<&Response>,
    https_ok: bool,
    report: &mut SiteReport,
) {
    if let Some(chain) = &obs.https {
        let start = obs.https_start.clone().unwrap_or_default();
        if chain.hops.is_empty()
            && let Some(e) = &chain.error
        {
            ctx.add(
                &live::djg401::RULE,
                None,
                format!("{start} cannot be reached over HTTPS: {e}."),
                "Serve the site over HTTPS (at the proxy or load balancer) and redirect HTTP to it: SECURE_SSL_REDIRECT = True, with SECURE_PROXY_SSL_HEADER set when a proxy terminates TLS.",
                Some(Evidence {
                    request: format!("GET {start}"),
                    status: None,
                    headers: Vec::new(),
                    detail: Some(e.message.clone()),
                }),
            );
        }
    } else if auto.is_some() && !https_ok {
        report.notes.push(
            "HTTPS was not tried: the URL is http:// on a port other than 80 (give --https-port to say where HTTPS is)".into(),
        );
    }
}

/// DJG403 (a certificate that does not verify) or else DJG404 (one that expires soon).
fn certificate(obs: &Observations, ctx: &mut Ctx, t: &TlsInfo, o: &AnalyseOptions) {
    let first_https = [&obs.https, &obs.http]
        .into_iter()
        .flatten()
        .flat_map(|c| c.hops.iter())
        .find(|h| h.tls.is_some());
    let ev = first_https.map(|r| evidence(r, &[]));
    let cert = t.certificate.as_ref();
    let describe = cert.map_or(String::new(), |c| {
        format!(
            " (subject {}, issuer {}, valid until {})",
            c.subject, c.issuer, c.not_after
        )
    });
    if let Some(err) = &t.verify_error {
        let url = first_https.map_or(obs.input.clone(), |r| r.url.clone());
        ctx.add(
            &live::djg403::RULE,
            None,
            format!("The TLS certificate of {url} is not valid: {err}{describe}; the scan went on without verification."),
            certificate_fix(t.verify_kind),
            ev.clone().map(|e| with_detail(e, err.clone())),
        );
    } else if let Some(c) = cert
        && c.days_left <= o.expiry_warn_days
    {
        let sev = if c.days_left <= 7 {
            Severity::High
        } else {
            Severity::Medium
        };
        ctx.add(
            &live::djg404::RULE,
            Some(sev),
            format!(
                "The TLS certificate expires in {} day(s), on {}{describe}.",
                c.days_left, c.not_after
            ),
            "Renew the certificate now and automate renewal (ACME) with alerting on failures.",
            ev,
        );
    }
}

/// The fix for a certificate that does not verify, by what is wrong with it.
fn certificate_fix(kind: Option<CertProblem>) -> &'static str {
    match kind {
        Some(CertProblem::Expired) | Some(CertProblem::NotYetValid) => {
            "Renew the certificate and automate renewal (an ACME client such as certbot, or the platform's managed certificates)."
        }
        Some(CertProblem::WrongHost) => {
            "Install a certificate whose subjectAltName lists this host name (or the name users type), or serve this name from a site that has one."
        }
        _ => {
            "Serve the full chain (leaf and intermediates, e.g. nginx ssl_certificate with fullchain.pem) from a publicly trusted CA; for a private CA, scan with --ca-file."
        }
    }
}

/// DJG405: the server still completes TLS 1.0 or 1.1 handshakes.
fn legacy_protocols(obs: &Observations, ctx: &mut Ctx) {
    let accepted: Vec<&str> = obs
        .legacy_tls
        .iter()
        .filter(|l| l.accepted)
        .map(|l| l.version)
        .collect();
    if accepted.is_empty() {
        return;
    }
    ctx.add(
        &live::djg405::RULE,
        None,
        format!(
            "The server still completes {} handshakes; these protocol versions are deprecated (RFC 8996).",
            accepted.join(" and ")
        ),
        "Allow only TLS 1.2 and 1.3 at the TLS terminator, e.g. nginx `ssl_protocols TLSv1.2 TLSv1.3;` (Mozilla's intermediate profile).",
        Some(Evidence {
            request: format!(
                "TLS ClientHello to {}",
                obs.https_start.as_deref().unwrap_or(&obs.input)
            ),
            status: None,
            headers: Vec::new(),
            detail: Some(
                obs.legacy_tls
                    .iter()
                    .map(|l| format!("{}: {}", l.version, l.detail))
                    .collect::<Vec<_>>()
                    .join("; "),
            ),
        }),
    );
}

/// DJG402: the first chain (http:// before https://) that ends in a redirect loop or too
/// many redirects after some answers.
fn redirect_loop(obs: &Observations, ctx: &mut Ctx) {
    for chain in [&obs.http, &obs.https].into_iter().flatten() {
        let Some(e) = &chain.error else { continue };
        if !matches!(
            e.kind,
            ErrorKind::RedirectLoop | ErrorKind::TooManyRedirects
        ) || chain.hops.is_empty()
        {
            continue;
        }
        let Some(first) = chain.hops.first() else {
            continue;
        };
        let path = chain
            .hops
            .iter()
            .map(|h| format!("{} {}", h.status, h.url))
            .collect::<Vec<_>>()
            .join(" -> ");
        let to_https_self = chain.hops.iter().any(|h| {
            h.url.starts_with("https:")
                && h.header("location")
                    .is_some_and(|l| l.starts_with("https:") || l.starts_with('/'))
        });
        let msg = if to_https_self {
            format!(
                "{} never settles: {e} (an HTTPS request is redirected to HTTPS again, the classic sign of SECURE_SSL_REDIRECT behind a TLS-terminating proxy without SECURE_PROXY_SSL_HEADER). Browsers show an error instead of the site.",
                first.url
            )
        } else {
            format!(
                "{} never settles: {e}. Browsers show an error instead of the site.",
                first.url
            )
        };
        ctx.add(
            &live::djg402::RULE,
            Some(Severity::High),
            msg,
            "Behind a proxy that terminates TLS, set SECURE_PROXY_SSL_HEADER = (\"HTTP_X_FORWARDED_PROTO\", \"https\") and have the proxy send `proxy_set_header X-Forwarded-Proto $scheme;` (and only then SECURE_SSL_REDIRECT = True); otherwise remove the redirect that points back at itself.",
            Some(with_detail(evidence(first, &["location"]), path)),
        );
        break;
    }
}

const REDIRECT_FIX: &str = "Redirect every http:// request to https:// on the same host in one step: SECURE_SSL_REDIRECT = True in Django (with SECURE_PROXY_SSL_HEADER = (\"HTTP_X_FORWARDED_PROTO\", \"https\") behind a proxy that sets it), or `return 301 https://$host$request_uri;` in the proxy's port-80 server.";

fn redirection(obs: &Observations, ctx: &mut Ctx, tls: Option<&TlsInfo>) {
    let Some(chain) = &obs.http else {
        ctx.test("redirection", "redirection-not-tested", 0);
        return;
    };
    let start = obs.http_start.clone().unwrap_or_default();
    let Some(first) = chain.hops.first() else {
        let refused = chain.error.as_ref().is_some_and(|e| {
            matches!(
                e.kind,
                ErrorKind::Connect | ErrorKind::Dns | ErrorKind::Timeout
            )
        });
        if refused {
            ctx.test("redirection", "redirection-not-needed-no-http", 0);
        } else {
            ctx.test("redirection", "redirection-not-tested", 0);
        }
        return;
    };
    let chain_text = chain
        .hops
        .iter()
        .map(|h| format!("{} {}", h.status, h.url))
        .collect::<Vec<_>>()
        .join(" -> ");
    let ev = |d: String| with_detail(evidence(first, &["location", "server"]), d);
    if !first.is_redirect() {
        ctx.test("redirection", "redirection-missing", -20);
        ctx.add(
            &live::djg402::RULE,
            None,
            format!(
                "{start} serves the page over plain HTTP ({}) instead of redirecting to HTTPS.",
                first.status
            ),
            REDIRECT_FIX,
            Some(ev(chain_text)),
        );
        return;
    }
    // Where the chain went: the last hop's own URL, or where its redirect pointed when the
    // chain was cut there.
    let last_url_owned = match chain.hops.last() {
        Some(h) if h.is_redirect() => h
            .header("location")
            .and_then(|l| url::Url::parse(&h.url).ok()?.join(l).ok())
            .map_or_else(|| h.url.clone(), |u| u.to_string()),
        Some(h) => h.url.clone(),
        None => String::new(),
    };
    let last_url = last_url_owned.as_str();
    let next = chain
        .hops
        .get(1)
        .map(|h| h.url.as_str())
        .unwrap_or_else(|| first.header("location").unwrap_or(""));
    let downgrade = chain
        .hops
        .windows(2)
        .find(|w| w[0].url.starts_with("https:") && w[1].url.starts_with("http:"));
    if !last_url.starts_with("https:") || downgrade.is_some() {
        ctx.test("redirection", "redirection-not-to-https", -20);
        let msg = match downgrade {
            Some(w) => format!(
                "The redirect chain from {start} goes back from HTTPS to plain HTTP ({} -> {}).",
                w[0].url, w[1].url
            ),
            None => {
                format!("The redirect chain from {start} never reaches HTTPS (ends at {last_url}).")
            }
        };
        ctx.add(
            &live::djg402::RULE,
            None,
            msg,
            REDIRECT_FIX,
            Some(ev(chain_text)),
        );
        return;
    }
    if !next.starts_with("https:") {
        ctx.test(
            "redirection",
            "redirection-not-to-https-on-initial-redirection",
            -10,
        );
        ctx.add(
            &live::djg402::RULE,
            Some(Severity::Medium),
            format!(
                "{start} first redirects to {next}, still plain HTTP, before reaching HTTPS: the first hop stays readable and HSTS preloading requires a direct redirect."
            ),
            REDIRECT_FIX,
            Some(ev(chain_text)),
        );
        return;
    }
    if host_of(next) != host_of(&start) {
        ctx.test("redirection", "redirection-off-host-from-http", -5);
        ctx.add(
            &live::djg402::RULE,
            Some(Severity::Low),
            format!(
                "{start} redirects straight to another host ({next}), so browsers never see this host's HSTS header."
            ),
            "Redirect http://host/ to https://host/ (the same name) first, then to the canonical host from HTTPS.",
            Some(ev(chain_text)),
        );
        return;
    }
    if tls.is_some_and(|t| t.verify_error.is_some()) {
        ctx.test("redirection", "redirection-invalid-cert", -20);
        return;
    }
    ctx.test("redirection", "redirection-to-https", 0);
}

const HSTS_FIX: &str = "SECURE_HSTS_SECONDS = 31536000 (start with 3600 and raise it once HTTPS works everywhere), SECURE_HSTS_INCLUDE_SUBDOMAINS = True; or add `Strict-Transport-Security: max-age=31536000; includeSubDomains` at the proxy.";

/// The HSTS test; true when it passed (cookies are then "protected by HSTS").
fn hsts_test(
    ctx: &mut Ctx,
    obs: &Observations,
    auto: &Response,
    https_ok: bool,
    cert_bad: bool,
) -> bool {
    if !https_ok {
        ctx.test(
            "strict-transport-security",
            "hsts-not-implemented-no-https",
            -20,
        );
        return false;
    }
    let values: Vec<&str> = auto.headers_named("strict-transport-security").collect();
    let ev = evidence(auto, &["strict-transport-security"]);
    if cert_bad {
        ctx.test("strict-transport-security", "hsts-invalid-cert", -20);
        return false;
    }
    let Some(first) = values.first() else {
        ctx.test("strict-transport-security", "hsts-not-implemented", -20);
        ctx.add(
            &live::djg406::RULE,
            None,
            format!("{} sends no Strict-Transport-Security header.", auto.url),
            HSTS_FIX,
            Some(ev),
        );
        return false;
    };
    let h = hsts::parse(first);
    let twice = values.len() > 1 || first.contains(',');
    if h.max_age.is_none() || twice {
        ctx.test("strict-transport-security", "hsts-header-invalid", -20);
        let why = if twice {
            "the header is sent more than once (browsers use the first; the preload list refuses it)".to_string()
        } else {
            h.invalid.join("; ")
        };
        ctx.add(
            &live::djg407::RULE,
            Some(Severity::Medium),
            format!("The Strict-Transport-Security header of {} is invalid: {why}.", auto.url),
            "Send one header with one max-age: set it in Django (SECURE_HSTS_SECONDS) or at the proxy, not both.",
            Some(ev),
        );
        return false;
    }
    let max_age = h.max_age.unwrap_or(0);
    let mut ok = true;
    if max_age < 15_552_000 {
        ctx.test(
            "strict-transport-security",
            "hsts-implemented-max-age-less-than-six-months",
            -10,
        );
        ctx.add(
            &live::djg406::RULE,
            None,
            format!(
                "Strict-Transport-Security max-age is {max_age} s, under six months (15552000 s){}.",
                if max_age == 0 { ": max-age=0 tells browsers to forget HSTS" } else { "" }
            ),
            HSTS_FIX,
            Some(ev.clone()),
        );
        ok = false;
    } else {
        ctx.test(
            "strict-transport-security",
            "hsts-implemented-max-age-at-least-six-months",
            0,
        );
    }
    if h.preload {
        let problems = h.preload_problems();
        if !problems.is_empty() {
            ctx.add(
                &live::djg407::RULE,
                None,
                format!(
                    "Strict-Transport-Security asks for preloading but the preload list would refuse it: {}.",
                    problems.join("; ")
                ),
                "SECURE_HSTS_SECONDS = 31536000, SECURE_HSTS_INCLUDE_SUBDOMAINS = True and SECURE_HSTS_PRELOAD = True together, then submit at hstspreload.org.",
                Some(ev.clone()),
            );
        }
    } else if !h.include_subdomains && ok {
        ctx.add(
            &live::djg407::RULE,
            Some(Severity::Info),
            "Strict-Transport-Security lacks includeSubDomains: subdomains (and cookies scoped to them) can still be reached over HTTP.".to_string(),
            "SECURE_HSTS_INCLUDE_SUBDOMAINS = True once every subdomain serves HTTPS.",
            Some(ev),
        );
    }
    let _ = obs;
    ok
}

/// The response-header checks of the page, each its own function: CSP, framing, MIME
/// sniffing, referrer policy, cross-origin and permissions policies, server versions, SRI.
fn headers(ctx: &mut Ctx, auto: &Response, https_ok: bool) {
    let page = super::html::extract(&auto.body);
    let html = super::html::is_html(auto.header("content-type"), &auto.body);
    let verdict = csp_check(ctx, auto, &page, html, https_ok);
    framing(ctx, auto, &verdict);
    content_type_options(ctx, auto);
    referrer_policy(ctx, auto, &page, html);
    cross_origin(ctx, auto);
    permissions_policy(ctx, auto);
    server_versions(ctx, auto);
    sri(ctx, auto, &page, html);
}

/// Content-Security-Policy (headers, report-only and `<meta>`): the Observatory test and the
/// DJG408-DJG410 findings. Returns the verdict, whose `frame-ancestors` framing reads.
fn csp_check(
    ctx: &mut Ctx,
    auto: &Response,
    page: &super::html::HtmlFacts,
    html: bool,
    https_ok: bool,
) -> super::csp::CspVerdict {
    let csp_headers: Vec<&str> = auto.headers_named("content-security-policy").collect();
    let csp_ro: Vec<&str> = auto
        .headers_named("content-security-policy-report-only")
        .collect();
    let meta: Vec<&str> = if html {
        page.meta_csp.iter().map(String::as_str).collect()
    } else {
        Vec::new()
    };
    let verdict = super::csp::judge(&super::csp::CspInput {
        headers: &csp_headers,
        report_only: &csp_ro,
        meta: &meta,
        https: https_ok,
    });
    ctx.test(
        "content-security-policy",
        verdict.observatory,
        verdict.modifier,
    );
    let csp_ev = evidence(
        auto,
        &[
            "content-security-policy",
            "content-security-policy-report-only",
        ],
    );
    for issue in &verdict.issues {
        let fix = match issue.rule.meta.id {
            "DJG408" => {
                "Send a Content-Security-Policy: Django 6.0+ SECURE_CSP = {\"default-src\": [CSP.SELF], \"object-src\": [CSP.NONE], \"base-uri\": [CSP.NONE], \"frame-ancestors\": [CSP.SELF]} with ContentSecurityPolicyMiddleware (or django-csp before 6.0); keep SECURE_CSP_REPORT_ONLY only while testing."
            }
            "DJG409" => {
                "Remove 'unsafe-inline' and broad sources from script-src; use nonces: SECURE_CSP = {\"script-src\": [CSP.SELF, CSP.NONCE], ...} and `<script nonce=\"{{ csp_nonce }}\">` (or django-csp's nonce)."
            }
            _ => {
                "Tighten the policy: add object-src 'none' and base-uri 'none' (or 'self'), drop 'unsafe-eval', and remove duplicate or unknown directives."
            }
        };
        ctx.add(
            issue.rule,
            Some(issue.severity),
            format!("{}: {}", auto.url, issue.message),
            fix,
            Some(csp_ev.clone()),
        );
    }
    verdict
}

/// X-Frame-Options and CSP `frame-ancestors`: may other sites frame the page (DJG411)?
fn framing(ctx: &mut Ctx, auto: &Response, verdict: &super::csp::CspVerdict) {
    let xfo = auto
        .header("x-frame-options")
        .map(|v| v.trim().to_ascii_uppercase());
    let xfo_ev = evidence(auto, &["x-frame-options", "content-security-policy"]);
    const XFO_FIX: &str = "Keep django.middleware.clickjacking.XFrameOptionsMiddleware with X_FRAME_OPTIONS = \"DENY\" (Django's default), or send CSP frame-ancestors 'self'.";
    match verdict.frame_ancestors_restricts {
        Some(restricts) => {
            ctx.test("x-frame-options", "x-frame-options-implemented-via-csp", 5);
            if !restricts && !matches!(xfo.as_deref(), Some("DENY" | "SAMEORIGIN")) {
                ctx.add(
                    &live::djg411::RULE,
                    None,
                    format!(
                        "{}: CSP frame-ancestors allows any site to frame the page.",
                        auto.url
                    ),
                    XFO_FIX,
                    Some(xfo_ev),
                );
            }
        }
        None => match xfo.as_deref() {
            Some("DENY" | "SAMEORIGIN") => {
                ctx.test("x-frame-options", "x-frame-options-sameorigin-or-deny", 5)
            }
            Some(v) if v.starts_with("ALLOW-FROM") => {
                ctx.test("x-frame-options", "x-frame-options-allow-from-origin", 0);
                ctx.add(
                    &live::djg411::RULE,
                    Some(Severity::Low),
                    format!("{}: X-Frame-Options ALLOW-FROM is ignored by current browsers, so the page can be framed.", auto.url),
                    XFO_FIX,
                    Some(xfo_ev),
                );
            }
            Some(v) => {
                ctx.test("x-frame-options", "x-frame-options-header-invalid", -20);
                ctx.add(
                    &live::djg411::RULE,
                    None,
                    format!("{}: X-Frame-Options `{v}` is not a value browsers know, so the page can be framed.", auto.url),
                    XFO_FIX,
                    Some(xfo_ev),
                );
            }
            None => {
                ctx.test("x-frame-options", "x-frame-options-not-implemented", -20);
                ctx.add(
                    &live::djg411::RULE,
                    None,
                    format!("{} sends neither X-Frame-Options nor CSP frame-ancestors: any site can frame it (clickjacking).", auto.url),
                    XFO_FIX,
                    Some(xfo_ev),
                );
            }
        },
    }
}

/// X-Content-Type-Options: nosniff.
fn content_type_options(ctx: &mut Ctx, auto: &Response) {
    match auto.header("x-content-type-options").map(str::trim) {
        Some(v) if v.eq_ignore_ascii_case("nosniff") => ctx.test(
            "x-content-type-options",
            "x-content-type-options-nosniff",
            0,
        ),
        other => {
            ctx.test(
                "x-content-type-options",
                if other.is_some() {
                    "x-content-type-options-header-invalid"
                } else {
                    "x-content-type-options-not-implemented"
                },
                -5,
            );
            ctx.add(
                &live::djg412::RULE,
                None,
                match other {
                    Some(v) => format!("{}: X-Content-Type-Options is `{v}`, not `nosniff`.", auto.url),
                    None => format!("{} sends no X-Content-Type-Options: nosniff.", auto.url),
                },
                "SECURE_CONTENT_TYPE_NOSNIFF = True (Django's default, set by SecurityMiddleware), or add the header at the proxy.",
                Some(evidence(auto, &["x-content-type-options"])),
            );
        }
    }
}

/// Referrer-Policy from the header and `<meta name=referrer>`; the last valid token wins.
fn referrer_policy(ctx: &mut Ctx, auto: &Response, page: &super::html::HtmlFacts, html: bool) {
    let mut tokens: Vec<String> = auto
        .headers_named("referrer-policy")
        .flat_map(|v| v.split(','))
        .map(|t| t.trim().to_ascii_lowercase())
        .filter(|t| !t.is_empty())
        .collect();
    if html {
        tokens.extend(
            page.meta_referrer
                .iter()
                .map(|t| t.trim().to_ascii_lowercase()),
        );
    }
    const PRIVATE: [&str; 4] = [
        "no-referrer",
        "same-origin",
        "strict-origin",
        "strict-origin-when-cross-origin",
    ];
    const UNSAFE: [&str; 4] = [
        "origin",
        "origin-when-cross-origin",
        "unsafe-url",
        "no-referrer-when-downgrade",
    ];
    let valid = tokens
        .iter()
        .rev()
        .find(|t| PRIVATE.contains(&t.as_str()) || UNSAFE.contains(&t.as_str()));
    const REF_FIX: &str = "SECURE_REFERRER_POLICY = \"same-origin\" (Django's default) or \"strict-origin-when-cross-origin\".";
    let ref_ev = evidence(auto, &["referrer-policy"]);
    match (tokens.is_empty(), valid) {
        (true, _) => {
            ctx.test("referrer-policy", "referrer-policy-not-implemented", 0);
            ctx.add(
                &live::djg413::RULE,
                Some(Severity::Info),
                format!("{} sends no Referrer-Policy, so each browser's default decides what other sites learn of its URLs.", auto.url),
                REF_FIX,
                Some(ref_ev.clone()),
            );
        }
        (false, Some(t)) if PRIVATE.contains(&t.as_str()) => {
            ctx.test("referrer-policy", "referrer-policy-private", 5)
        }
        (false, Some(t)) => {
            ctx.test("referrer-policy", "referrer-policy-unsafe", -5);
            ctx.add(
                &live::djg413::RULE,
                None,
                format!("{}: Referrer-Policy `{t}` sends the page's address (or origin) to other sites.", auto.url),
                REF_FIX,
                Some(ref_ev),
            );
        }
        (false, None) => {
            ctx.test("referrer-policy", "referrer-policy-header-invalid", -5);
            ctx.add(
                &live::djg413::RULE,
                None,
                format!("{}: Referrer-Policy `{}` has no value browsers know, so their default applies.", auto.url, tokens.join(", ")),
                REF_FIX,
                Some(ref_ev),
            );
        }
    }
}

/// Permissions-Policy present (DJG415).
fn permissions_policy(ctx: &mut Ctx, auto: &Response) {
    if auto.header("permissions-policy").is_none() {
        ctx.add(
            &live::djg415::RULE,
            None,
            format!("{} sends no Permissions-Policy header.", auto.url),
            "Send a Permissions-Policy that turns off the browser features the site does not use (camera=(), microphone=(), geolocation=() ...), with the django-permissions-policy package or at the proxy.",
            Some(evidence(auto, &["permissions-policy"])),
        );
    }
}

/// Software versions in Server, X-Powered-By and similar headers (DJG418).
fn server_versions(ctx: &mut Ctx, auto: &Response) {
    for name in [
        "server",
        "x-powered-by",
        "x-aspnet-version",
        "x-runtime-version",
    ] {
        for v in auto.headers_named(name) {
            if v.starts_with("WSGIServer/") {
                continue; // DJG424 reports the development server.
            }
            if v.chars().any(|c| c.is_ascii_digit()) {
                ctx.add(
                    &live::djg418::RULE,
                    None,
                    format!("{}: the {name} header discloses software versions: `{v}`.", auto.url),
                    "Hide versions at the web server: nginx `server_tokens off;`, `proxy_hide_header X-Powered-By;`, Apache `ServerTokens Prod`.",
                    Some(evidence(auto, &[name])),
                );
            }
        }
    }
}

fn cross_origin(ctx: &mut Ctx, auto: &Response) {
    let ev = evidence(
        auto,
        &[
            "cross-origin-opener-policy",
            "cross-origin-resource-policy",
            "cross-origin-embedder-policy",
        ],
    );
    let token = |name: &str| -> (usize, Option<String>) {
        let vals: Vec<&str> = auto.headers_named(name).collect();
        let first = vals.first().map(|v| {
            v.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .trim_matches('"')
                .to_ascii_lowercase()
        });
        (vals.len(), first)
    };
    let mut problems = Vec::new();
    // COOP.
    match token("cross-origin-opener-policy") {
        (0, _) => {
            ctx.test(
                "cross-origin-opener-policy",
                "cross-origin-opener-policy-not-implemented",
                0,
            );
            problems.push("no Cross-Origin-Opener-Policy".to_string());
        }
        (1, Some(v))
            if [
                "same-origin",
                "same-origin-allow-popups",
                "noopener-allow-popups",
            ]
            .contains(&v.as_str()) =>
        {
            ctx.test(
                "cross-origin-opener-policy",
                "cross-origin-opener-policy-implemented",
                10,
            )
        }
        (1, Some(v)) if v == "unsafe-none" => {
            ctx.test(
                "cross-origin-opener-policy",
                "cross-origin-opener-policy-implemented-unsafe-none",
                0,
            );
            problems.push("Cross-Origin-Opener-Policy is unsafe-none".to_string());
        }
        _ => {
            ctx.test(
                "cross-origin-opener-policy",
                "cross-origin-opener-policy-header-invalid",
                -5,
            );
            problems.push("Cross-Origin-Opener-Policy is invalid or sent twice".to_string());
        }
    }
    match token("cross-origin-resource-policy") {
        (0, _) => ctx.test("cross-origin-resource-policy", "corp-not-implemented", 0),
        (_, Some(v)) if v == "same-origin" || v == "same-site" => ctx.test(
            "cross-origin-resource-policy",
            "corp-implemented-with-same-origin",
            10,
        ),
        (_, Some(v)) if v == "cross-origin" => ctx.test(
            "cross-origin-resource-policy",
            "corp-implemented-with-cross-origin",
            0,
        ),
        _ => {
            ctx.test("cross-origin-resource-policy", "corp-header-invalid", -5);
            problems.push("Cross-Origin-Resource-Policy is invalid".to_string());
        }
    }
    match token("cross-origin-embedder-policy") {
        (0, _) => ctx.test("cross-origin-embedder-policy", "coep-not-implemented", 0),
        (_, Some(v)) if v == "require-corp" || v == "credentialless" => {
            ctx.test("cross-origin-embedder-policy", "coep-implemented", 10)
        }
        (_, Some(v)) if v == "unsafe-none" => ctx.test(
            "cross-origin-embedder-policy",
            "coep-implemented-unsafe-none",
            0,
        ),
        _ => {
            ctx.test("cross-origin-embedder-policy", "coep-header-invalid", -5);
            problems.push("Cross-Origin-Embedder-Policy is invalid".to_string());
        }
    }
    if !problems.is_empty() {
        ctx.add(
            &live::djg414::RULE,
            None,
            format!("{}: {}.", auto.url, problems.join("; ")),
            "SECURE_CROSS_ORIGIN_OPENER_POLICY = \"same-origin\" (Django's default); Cross-Origin-Resource-Policy and Cross-Origin-Embedder-Policy at the proxy where the site allows them.",
            Some(ev),
        );
    }
}

fn same_site(a: &str, b: &str) -> bool {
    // Without a public-suffix list: the last two labels decide (exact for .com/.org sites,
    // too lenient for hosts under shared suffixes such as github.io).
    let tail = |h: &str| {
        let parts: Vec<&str> = h.rsplitn(3, '.').collect();
        if parts.len() >= 2 {
            format!("{}.{}", parts[1], parts[0])
        } else {
            h.to_string()
        }
    };
    a == b || tail(a) == tail(b)
}

fn sri(ctx: &mut Ctx, auto: &Response, page: &super::html::HtmlFacts, html: bool) {
    if !html {
        ctx.test(
            "subresource-integrity",
            "sri-not-implemented-response-not-html",
            0,
        );
        return;
    }
    if page.scripts.is_empty() {
        ctx.test(
            "subresource-integrity",
            "sri-not-implemented-but-no-scripts-loaded",
            0,
        );
        return;
    }
    let base = url::Url::parse(&auto.url).ok();
    let host = host_of(&auto.url);
    let mut foreign_total = 0;
    let mut foreign_without = Vec::new();
    let mut insecure = Vec::new();
    let mut with_integrity = 0;
    for s in &page.scripts {
        let src = s.src.trim();
        let resolved = base.as_ref().and_then(|b| b.join(src).ok());
        let Some(u) = resolved else { continue };
        let h = u.host_str().unwrap_or("").to_ascii_lowercase();
        let protocol_relative = src.starts_with("//");
        let foreign = !same_site(&h, &host) || protocol_relative;
        if s.integrity.is_some() {
            with_integrity += 1;
        }
        if !foreign {
            continue;
        }
        foreign_total += 1;
        if u.scheme() == "http" || protocol_relative {
            insecure.push(src.to_string());
        }
        if s.integrity.is_none() {
            foreign_without.push(src.to_string());
        }
    }
    let (result, m) = match (
        foreign_total,
        foreign_without.is_empty(),
        insecure.is_empty(),
    ) {
        (0, _, _) if with_integrity > 0 => ("sri-implemented-and-all-scripts-loaded-securely", 5),
        (0, _, _) => (
            "sri-not-implemented-but-all-scripts-loaded-from-secure-origin",
            0,
        ),
        (_, true, true) => ("sri-implemented-and-external-scripts-loaded-securely", 5),
        (_, true, false) => (
            "sri-implemented-but-external-scripts-not-loaded-securely",
            -20,
        ),
        (_, false, true) => (
            "sri-not-implemented-but-external-scripts-loaded-securely",
            -5,
        ),
        (_, false, false) => (
            "sri-not-implemented-and-external-scripts-not-loaded-securely",
            -50,
        ),
    };
    ctx.test("subresource-integrity", result, m);
    for src in &foreign_without {
        let sev = if insecure.contains(src) {
            Severity::High
        } else {
            Severity::Low
        };
        ctx.add(
            &live::djg417::RULE,
            Some(sev),
            format!(
                "{} loads the script {src} from another site without an integrity= hash{}.",
                auto.url,
                if insecure.contains(src) { ", and not over HTTPS" } else { "" }
            ),
            "Add integrity=\"sha384-...\" and crossorigin=\"anonymous\" to the <script> tag (the CDN publishes the hash), or serve the file from STATIC_URL.",
            Some(with_detail(evidence(auto, &[]), format!("<script src=\"{src}\">"))),
        );
    }
}

fn cookie_checks(
    ctx: &mut Ctx,
    obs: &Observations,
    https_ok: bool,
    hsts_ok: bool,
    signs: &mut DjangoSigns,
) {
    let seen = seen_cookies(obs);
    if seen.is_empty() {
        ctx.test("cookies", "cookies-not-found", 0);
        return;
    }
    let mut worst = WorstCookie {
        modifier: 0,
        result: "",
    };
    let mut all_samesite = true;
    for s in &seen {
        if s.cookie.same_site.is_none() {
            all_samesite = false;
        }
        judge_cookie(ctx, s, https_ok, hsts_ok, signs, &mut worst);
    }
    if worst.modifier < 0 {
        ctx.test("cookies", worst.result, worst.modifier);
    } else if all_samesite {
        ctx.test(
            "cookies",
            "cookies-secure-with-httponly-sessions-and-samesite",
            5,
        );
    } else {
        ctx.test("cookies", "cookies-secure-with-httponly-sessions", 0);
    }
}

/// Every cookie the responses set, the first setting of each name, in the order met.
fn seen_cookies(obs: &Observations) -> Vec<SeenCookie> {
    let mut seen: Vec<SeenCookie> = Vec::new();
    let responses = [&obs.http, &obs.https, &obs.admin, &obs.login]
        .into_iter()
        .flatten()
        .flat_map(|c| c.hops.iter())
        .chain([&obs.not_found, &obs.api].into_iter().flatten());
    for r in responses {
        for v in r.headers_named("set-cookie") {
            let Some(c) = cookies::parse(v) else { continue };
            if seen.iter().any(|s| s.cookie.name == c.name) {
                continue;
            }
            seen.push(SeenCookie {
                cookie: c,
                over_https: r.url.starts_with("https:"),
                response: r.clone(),
            });
        }
    }
    seen
}

/// The Observatory's cookie result: the worst that applies (the first of equals).
struct WorstCookie {
    modifier: i32,
    result: &'static str,
}

impl WorstCookie {
    fn bump(&mut self, modifier: i32, result: &'static str) {
        if modifier < self.modifier {
            self.modifier = modifier;
            self.result = result;
        }
    }
}

/// One cookie being judged: the cookie, its role, and the evidence its findings cite.
struct CookieCase<'a> {
    seen: &'a SeenCookie,
    session: bool,
    csrf: bool,
    ev: Evidence,
}

/// All the checks on one cookie, in the order their findings and deductions come.
fn judge_cookie(
    ctx: &mut Ctx,
    s: &SeenCookie,
    https_ok: bool,
    hsts_ok: bool,
    signs: &mut DjangoSigns,
    worst: &mut WorstCookie,
) {
    let c = &s.cookie;
    let session = is_session_cookie(c);
    let csrf = is_csrf_cookie(c);
    if session && signs.session_cookie.is_none() {
        signs.session_cookie = Some(c.name.clone());
    }
    if csrf && signs.csrf_cookie.is_none() {
        signs.csrf_cookie = Some(c.name.clone());
    }
    let ev = evidence(&s.response, &["set-cookie"]);
    let case = CookieCase {
        seen: s,
        session,
        csrf,
        ev: with_detail(ev, format!("cookie {}", c.name)),
    };
    if !c.secure {
        without_secure_deduction(&case, hsts_ok, worst);
        if https_ok {
            without_secure(ctx, &case);
        }
    }
    if session && !c.http_only {
        worst.bump(-30, "cookies-session-without-httponly-flag");
        session_without_httponly(ctx, &case);
    }
    if csrf && c.same_site.is_none() {
        worst.bump(-20, "cookies-anticsrf-without-samesite-flag");
    }
    samesite_and_domain(ctx, &case, worst);
}

/// The Observatory's deduction for a cookie without Secure (less when HSTS protects it).
fn without_secure_deduction(case: &CookieCase, hsts_ok: bool, worst: &mut WorstCookie) {
    if case.session {
        if hsts_ok {
            worst.bump(
                -10,
                "cookies-session-without-secure-flag-but-protected-by-hsts",
            );
        } else {
            worst.bump(-40, "cookies-session-without-secure-flag");
        }
    } else if hsts_ok {
        worst.bump(-5, "cookies-without-secure-flag-but-protected-by-hsts");
    } else {
        worst.bump(-20, "cookies-without-secure-flag");
    }
}

/// DJG419: a cookie without Secure on a site that has HTTPS.
fn without_secure(ctx: &mut Ctx, case: &CookieCase) {
    let c = &case.seen.cookie;
    let (sev, setting) = if case.session {
        (Severity::High, "SESSION_COOKIE_SECURE = True")
    } else if case.csrf {
        (Severity::High, "CSRF_COOKIE_SECURE = True")
    } else if c.name == "django_language" {
        (Severity::Medium, "LANGUAGE_COOKIE_SECURE = True")
    } else {
        (Severity::Medium, "set secure=True in response.set_cookie()")
    };
    let role = if case.session {
        "session cookie "
    } else if case.csrf {
        "CSRF cookie "
    } else {
        "cookie "
    };
    ctx.add(
        &live::djg419::RULE,
        Some(sev),
        format!(
            "The {role}`{}` is set without the Secure flag{}, so browsers also send it over plain HTTP.",
            c.name,
            if case.seen.over_https { "" } else { " (on a plain-HTTP response)" }
        ),
        &format!("{setting}."),
        Some(case.ev.clone()),
    );
}

/// DJG420: a session cookie that scripts can read.
fn session_without_httponly(ctx: &mut Ctx, case: &CookieCase) {
    ctx.add(
        &live::djg420::RULE,
        None,
        format!(
            "The session cookie `{}` lacks HttpOnly: any script injected into the site can read and steal the session.",
            case.seen.cookie.name
        ),
        "SESSION_COOKIE_HTTPONLY = True (Django's default).",
        Some(case.ev.clone()),
    );
}

/// DJG421: an invalid SameSite, a session or CSRF cookie without SameSite, or a Domain
/// that hands the cookie to every subdomain; all in one finding per cookie.
fn samesite_and_domain(ctx: &mut Ctx, case: &CookieCase, worst: &mut WorstCookie) {
    let c = &case.seen.cookie;
    let mut problems = Vec::new();
    if let Some(why) = c.rejected_because() {
        worst.bump(-20, "cookies-samesite-flag-invalid");
        problems.push(why);
    }
    if c.same_site.is_none() && (case.session || case.csrf) {
        problems.push(format!("`{}` has no SameSite attribute", c.name));
    }
    if let Some(d) = &c.domain {
        problems.push(format!(
            "`{}` is scoped to Domain={d}, so every subdomain receives it",
            c.name
        ));
    }
    if problems.is_empty() {
        return;
    }
    let setting = if case.session {
        "SESSION_COOKIE_SAMESITE = \"Lax\" and SESSION_COOKIE_DOMAIN = None"
    } else if case.csrf {
        "CSRF_COOKIE_SAMESITE = \"Lax\" and CSRF_COOKIE_DOMAIN = None"
    } else {
        "samesite=\"Lax\" and no domain= in set_cookie()"
    };
    ctx.add(
        &live::djg421::RULE,
        None,
        format!("Cookie problem: {}.", problems.join("; ")),
        &format!("{setting}; a __Host- name needs Secure, Path=/ and no Domain."),
        Some(case.ev.clone()),
    );
}

fn cors(ctx: &mut Ctx, obs: &Observations, auto: &Response) {
    let mut result = ("cross-origin-resource-sharing-not-implemented", 0);
    for r in [obs.cors.as_ref(), Some(auto)].into_iter().flatten() {
        let acao = r.header("access-control-allow-origin").map(str::trim);
        let creds = r
            .header("access-control-allow-credentials")
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"));
        match acao {
            Some(o) if o == obs.cors_origin && creds => {
                result = (
                    "cross-origin-resource-sharing-implemented-with-universal-access",
                    -50,
                );
                ctx.add(
                    &live::djg416::RULE,
                    Some(Severity::High),
                    format!(
                        "{} reflects any Origin in Access-Control-Allow-Origin with Access-Control-Allow-Credentials: true: any site can read logged-in users' responses.",
                        r.url
                    ),
                    "With django-cors-headers list the trusted origins in CORS_ALLOWED_ORIGINS; never combine CORS_ALLOW_ALL_ORIGINS (or a catch-all regex) with CORS_ALLOW_CREDENTIALS = True.",
                    Some(with_detail(
                        evidence(r, &["access-control-allow-origin", "access-control-allow-credentials"]),
                        format!("request Origin: {}", obs.cors_origin),
                    )),
                );
                break;
            }
            Some("*") => {
                result = (
                    "cross-origin-resource-sharing-implemented-with-public-access",
                    0,
                );
            }
            Some(o) if o == obs.cors_origin => {
                result = (
                    "cross-origin-resource-sharing-implemented-with-public-access",
                    0,
                );
                ctx.add(
                    &live::djg416::RULE,
                    Some(Severity::Low),
                    format!(
                        "{} reflects any Origin in Access-Control-Allow-Origin (without credentials): every site can read its public responses.",
                        r.url
                    ),
                    "List the trusted origins in CORS_ALLOWED_ORIGINS (django-cors-headers) instead of allowing all.",
                    Some(with_detail(
                        evidence(r, &["access-control-allow-origin"]),
                        format!("request Origin: {}", obs.cors_origin),
                    )),
                );
                break;
            }
            Some(_) if result.0.ends_with("not-implemented") => {
                result = (
                    "cross-origin-resource-sharing-implemented-with-restricted-access",
                    0,
                );
            }
            Some(_) => {}
            None => {}
        }
    }
    ctx.test("cross-origin-resource-sharing", result.0, result.1);
}

fn django_probes(ctx: &mut Ctx, obs: &Observations, auto: &Response, signs: &mut DjangoSigns) {
    let all = probe_responses(obs);
    if signs.csrf_cookie.as_deref() == Some("csrftoken") {
        signs.signs.push("csrftoken cookie".into());
    }
    // The order below is the order of the findings and of the Django signs in the report.
    debug_page(ctx, &all, signs);
    default_not_found_page(obs, signs);
    version_disclosure(ctx, &all, signs);
    host_header(ctx, obs, signs);
    development_server(ctx, &all, signs);
    admin_login(ctx, obs, signs);
    guessable_login(ctx, obs);
    secret_files(ctx, obs);
    browsable_api(ctx, obs, auto, signs);
    trace_echo(ctx, obs);
    cookie_signs(signs);
    signs.detected = !signs.signs.is_empty();
}

/// Every response the Django checks look through, in the order they look.
fn probe_responses(obs: &Observations) -> Vec<&Response> {
    let mut all: Vec<&Response> = Vec::new();
    // The missing-page and Host probes first: they are the ones meant to show DEBUG pages.
    all.extend([&obs.not_found, &obs.bogus_host].into_iter().flatten());
    for c in [&obs.http, &obs.https, &obs.admin, &obs.login]
        .into_iter()
        .flatten()
    {
        all.extend(c.hops.iter());
    }
    all.extend(
        [&obs.dotenv, &obs.git_head, &obs.api, &obs.trace]
            .into_iter()
            .flatten(),
    );
    all
}

/// DJG422: a DEBUG technical page among the responses.
fn debug_page(ctx: &mut Ctx, all: &[&Response], signs: &mut DjangoSigns) {
    let Some(r) = all.iter().find(|r| is_debug_page(&r.body)) else {
        return;
    };
    signs.signs.push("DEBUG technical page".into());
    let what = if r.status == 404 {
        "the technical 404 page, listing the URL patterns"
    } else if r.status == 400 {
        "the technical DisallowedHost page, with settings and request details"
    } else {
        "Django's technical error page"
    };
    ctx.add(
        &live::djg422::RULE,
        None,
        format!("DEBUG is on: {} answers {} with {what}.", r.url, r.status),
        "DEBUG = False in production settings (read it from the environment, defaulting to False).",
        Some(with_detail(
            evidence(r, &["content-type"]),
            "body contains Django's \"DEBUG = True\" technical page",
        )),
    );
}

/// A Django sign only: the missing-page probe got Django's production 404 page.
fn default_not_found_page(obs: &Observations, signs: &mut DjangoSigns) {
    if let Some(nf) = &obs.not_found
        && nf.status == 404
        && contains(&nf.body, "<title>Not Found</title>")
        && contains(
            &nf.body,
            "The requested resource was not found on this server.",
        )
    {
        signs.signs.push("Django's default 404 page".into());
    }
}

/// DJG430: a page that shows the Django version.
fn version_disclosure(ctx: &mut Ctx, all: &[&Response], signs: &mut DjangoSigns) {
    let Some((r, v)) = all
        .iter()
        .find_map(|r| django_version(&r.body).map(|v| (*r, v)))
    else {
        return;
    };
    signs.version = Some(v.clone());
    ctx.add(
        &live::djg430::RULE,
        None,
        format!("{} discloses the Django version: {v}.", r.url),
        "DEBUG = False; the version then appears on no page. Keep Django on a supported, patched release.",
        Some(with_detail(evidence(r, &[]), format!("Django Version: {v}"))),
    );
}

/// DJG423: the made-up Host probe was accepted or reflected in a redirect.
fn host_header(ctx: &mut Ctx, obs: &Observations, signs: &mut DjangoSigns) {
    let Some(b) = &obs.bogus_host else { return };
    let reflected = b
        .header("location")
        .is_some_and(|l| l.contains(&obs.bogus_host_name));
    if b.status == 400 && contains(&b.body, "Bad Request (400)") {
        signs.signs.push("Django's 400 page for a bad Host".into());
    }
    if (200..300).contains(&b.status) || reflected {
        ctx.add(
            &live::djg423::RULE,
            None,
            format!(
                "{} answered {} to a request with the made-up Host `{}`: ALLOWED_HOSTS accepts any host (or a front server forwards any Host).",
                b.url, b.status, obs.bogus_host_name
            ),
            "ALLOWED_HOSTS = [\"www.example.com\"] (the real names, never \"*\"); at the proxy, add a default server that rejects unknown hosts (nginx `return 444;`).",
            Some(with_detail(
                evidence(b, &["location", "content-type"]),
                format!("request Host: {}", obs.bogus_host_name),
            )),
        );
    }
}

/// DJG424: Django's development server answered.
fn development_server(ctx: &mut Ctx, all: &[&Response], signs: &mut DjangoSigns) {
    let Some(r) = all.iter().find(|r| {
        r.header("server")
            .is_some_and(|s| s.starts_with("WSGIServer/"))
    }) else {
        return;
    };
    signs.signs.push("WSGIServer banner".into());
    ctx.add(
        &live::djg424::RULE,
        None,
        format!(
            "{} is served by Django's development server (`Server: {}`), which is not built for security or load.",
            r.url,
            r.header("server").unwrap_or("")
        ),
        "Run the site under gunicorn, uWSGI, Daphne or uvicorn behind a reverse proxy; `manage.py runserver` is for development only.",
        Some(evidence(r, &["server"])),
    );
}

/// DJG425: Django's admin login at the default /admin/ URL.
fn admin_login(ctx: &mut Ctx, obs: &Observations, signs: &mut DjangoSigns) {
    if let Some(chain) = &obs.admin
        && let Some(last) = chain.last()
        && last.status == 200
        && is_admin_login(&last.body)
    {
        signs.signs.push("admin login page at /admin/".into());
        let plain = last.url.starts_with("http:");
        ctx.add(
            &live::djg425::RULE,
            Some(if plain { Severity::Medium } else { Severity::Low }),
            format!(
                "Django's admin login is at the default URL {}{}.",
                last.url,
                if plain { ", over plain HTTP" } else { "" }
            ),
            "Mount the admin at a path that is not guessable (path(\"<something-private>/\", admin.site.urls)), restrict it by IP or VPN at the proxy, and add rate limiting (django-axes) and 2FA.",
            Some(evidence(last, &["content-type"])),
        );
    }
}

/// DJG426: a (non-admin) login form at the guessable login URL.
fn guessable_login(ctx: &mut Ctx, obs: &Observations) {
    if let Some(chain) = &obs.login
        && let Some(last) = chain.last()
        && last.status == 200
        && contains_ci(&last.body, "type=\"password\"")
        && !is_admin_login(&last.body)
    {
        ctx.add(
            &live::djg426::RULE,
            None,
            format!("A login form is served at the guessable URL {}.", last.url),
            "Make sure the login view is rate limited (django-axes or the proxy) and served only over HTTPS.",
            Some(evidence(last, &["content-type"])),
        );
    }
}

/// DJG427: a downloadable .env file or Git repository.
fn secret_files(ctx: &mut Ctx, obs: &Observations) {
    for (r, what, ok) in [
        (&obs.dotenv, ".env file", looks_dotenv as fn(&[u8]) -> bool),
        (&obs.git_head, "Git repository (.git/HEAD)", looks_git_head),
    ] {
        if let Some(r) = r
            && r.status == 200
            && ok(&r.body)
        {
            ctx.add(
                &live::djg427::RULE,
                None,
                format!("{} serves the {what}: secrets and source code are downloadable.", r.url),
                "Deny dotfiles at the web server (nginx `location ~ /\\. { deny all; }`), keep the project out of the document root, STATIC_ROOT and MEDIA_ROOT, and rotate SECRET_KEY and every credential the file held.",
                Some(evidence(r, &["content-type"])),
            );
        }
    }
}

/// DJG428: Django REST framework's browsable API on the API probe or the graded page.
fn browsable_api(ctx: &mut Ctx, obs: &Observations, auto: &Response, signs: &mut DjangoSigns) {
    let Some(r) = [obs.api.as_ref(), Some(auto)]
        .into_iter()
        .flatten()
        .find(|r| {
            r.status < 500
                && (contains(&r.body, "Django REST framework")
                    || contains(&r.body, "rest_framework/css/"))
        })
    else {
        return;
    };
    signs.signs.push("Django REST framework".into());
    ctx.add(
        &live::djg428::RULE,
        None,
        format!("{} serves Django REST framework's browsable HTML API.", r.url),
        "REST_FRAMEWORK = {\"DEFAULT_RENDERER_CLASSES\": [\"rest_framework.renderers.JSONRenderer\"]} in production settings.",
        Some(evidence(r, &["content-type"])),
    );
}

/// DJG429: the server echoes a TRACE request.
fn trace_echo(ctx: &mut Ctx, obs: &Observations) {
    if let Some(r) = &obs.trace
        && r.status == 200
        && r.header("content-type")
            .is_some_and(|c| c.to_ascii_lowercase().starts_with("message/http"))
    {
        ctx.add(
            &live::djg429::RULE,
            None,
            format!("{} answers TRACE by echoing the request.", r.url),
            "Refuse TRACE at the web server (nginx does by default; Apache `TraceEnable off`).",
            Some(evidence(r, &["content-type"])),
        );
    }
}

/// The cookie-based Django signs, said last so the stronger signs come first.
fn cookie_signs(signs: &mut DjangoSigns) {
    if signs.session_cookie.is_some() && !signs.signs.iter().any(|s| s.contains("cookie")) {
        signs.signs.push("session cookie".into());
    }
    if let Some(n) = &signs.csrf_cookie
        && n != "csrftoken"
    {
        signs.signs.push(format!("CSRF cookie `{n}`"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_pages_old_and_new_wording() {
        // Django 3.0+ (curly apostrophe) and 2.2 (straight) footers of the technical 404.
        let new = "<title>Page not found at /x/</title><p>Using the URLconf defined in <code>site.urls</code>, Django tried these URL patterns, in this order:</p><p>You\u{2019}re seeing this error because you have <code>DEBUG = True</code> in your Django settings file.</p>";
        let old = new.replace('\u{2019}', "'");
        assert!(is_debug_page(new.as_bytes()));
        assert!(is_debug_page(old.as_bytes()));
        // Django's production 404 and a page that merely talks about DEBUG.
        assert!(!is_debug_page(
            b"<title>Not Found</title><p>The requested resource was not found on this server.</p>"
        ));
        assert!(!is_debug_page(
            b"<p>Never run with DEBUG = True in production.</p>"
        ));
    }

    #[test]
    fn version_from_technical_pages() {
        let new = b"<tr><th scope=\"row\">Django Version:</th>\n      <td>5.2.19</td></tr>";
        let old = b"<tr><th>Django Version:</th><td>1.11.29</td></tr>";
        assert_eq!(django_version(new).as_deref(), Some("5.2.19"));
        assert_eq!(django_version(old).as_deref(), Some("1.11.29"));
        assert_eq!(
            django_version(b"<th>Django Version:</th><td><script>"),
            None
        );
        assert_eq!(django_version(b"Django Version:</th>"), None);
    }

    #[test]
    fn secret_file_contents() {
        assert!(looks_dotenv(
            b"# prod\nSECRET_KEY=abc\nDATABASE_URL=postgres://x\n"
        ));
        assert!(looks_dotenv(b"export DEBUG=0\n"));
        assert!(!looks_dotenv(
            b"<!doctype html><html><body>SECRET_KEY=x</body></html>"
        ));
        assert!(!looks_dotenv(b"User-agent: *\nDisallow: /admin/\n"));
        assert!(!looks_dotenv(b""));
        assert!(looks_git_head(b"ref: refs/heads/main\n"));
        assert!(looks_git_head(b"4b825dc642cb6eb9a060e54bf8d69288fbee4904"));
        assert!(!looks_git_head(b"<html>ref: refs/heads/main"));
    }

    #[test]
    fn script_sites() {
        assert!(same_site("static.example.com", "www.example.com"));
        assert!(!same_site("cdn.jsdelivr.net", "www.example.com"));
        assert!(same_site("localhost", "localhost"));
    }
}
