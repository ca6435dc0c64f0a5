#![allow(clippy::type_complexity)]
//! The CSP judge and the HTML scanner of `djguard scan`.
//!
//! The Observatory tables were checked against MDN HTTP Observatory 1.4.8 run locally (its
//! `contentSecurityPolicyTest` on the same headers). DJG409 is also checked against the
//! CSP engine of the `content_security_policy` crate: when that engine lets an injected
//! script run, djguard must say so.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use content_security_policy::{
    CheckResult, Destination, Element, Initiator, InlineCheckType, ParserMetadata, Request, Url,
};
use djguard_core::finding::Severity;
use djguard_scan::csp::{CspInput, CspVerdict, enforced_policies, judge, observatory_modifier};
use djguard_scan::html::{HtmlFacts, MAX_ITEMS, extract, is_html};

const NONCE: &str = "Zm9vYmFyYmF6cXV4MTIzNA"; // 22 characters, as Django's token_urlsafe(16)

fn run(headers: &[&str], meta: &[&str], report_only: &[&str], https: bool) -> CspVerdict {
    judge(&CspInput {
        headers,
        report_only,
        meta,
        https,
    })
}

fn header(policy: &str) -> CspVerdict {
    run(&[policy], &[], &[], true)
}

fn rules(v: &CspVerdict) -> Vec<&'static str> {
    v.issues.iter().map(|i| i.rule.meta.id).collect()
}

/// Some issue of `rule` on `directive` whose message contains `needle`.
fn has(v: &CspVerdict, rule: &str, directive: &str, needle: &str) -> bool {
    v.issues
        .iter()
        .any(|i| i.rule.meta.id == rule && i.directive == directive && i.message.contains(needle))
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

// ---------------------------------------------------------------------------------------
// The Observatory's result, case by case (each expectation is what Observatory 1.4.8 said).

#[test]
fn observatory_results() {
    let n = NONCE;
    let django_nonce = format!(
        "default-src 'self'; script-src 'self' 'nonce-{n}'; object-src 'none'; base-uri 'none'; frame-ancestors 'self'; img-src 'self' data:; upgrade-insecure-requests"
    );
    let django_strict =
        format!("script-src 'nonce-{n}' 'strict-dynamic'; object-src 'none'; base-uri 'none'");
    let django_docs =
        format!("default-src 'self'; script-src 'self' 'nonce-{n}'; img-src 'self' https:");
    let google_nonce = format!(
        "script-src 'nonce-{n}' 'strict-dynamic' https: 'unsafe-inline'; object-src 'none'; base-uri 'none'; require-trusted-types-for 'script'"
    );
    let nonce_cancels = format!(
        "default-src 'self'; script-src 'self' 'unsafe-inline' 'nonce-{n}'; object-src 'none'"
    );
    let csp_on = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";
    // (name, headers, meta, report-only, https, result)
    #[rustfmt::skip]
    let table: Vec<(&str, Vec<&str>, Vec<&str>, Vec<&str>, bool, &str)> = vec![
        ("observatory recommended", vec!["default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'self'; frame-ancestors 'none'"], vec![], vec![], true, "csp-implemented-with-no-unsafe-default-src-none"),
        ("test site csp_on", vec![csp_on], vec![], vec![], true, "csp-implemented-with-no-unsafe"),
        ("test site csp_unsafe_inline", vec!["default-src 'self' https:; script-src 'self' 'unsafe-inline' 'unsafe-eval' https:; style-src 'self' 'unsafe-inline'"], vec![], vec![], false, "csp-implemented-with-unsafe-inline"),
        ("test site csp_report_only", vec![], vec![], vec![csp_on], false, "csp-not-implemented-but-reporting-enabled"),
        ("django SECURE_CSP with CSP.NONCE", vec![&django_nonce], vec![], vec![], true, "csp-implemented-with-no-unsafe"),
        ("django nonce not rendered", vec!["default-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'self'; img-src 'self' data:; upgrade-insecure-requests"], vec![], vec![], true, "csp-implemented-with-no-unsafe"),
        ("django strict-dynamic", vec![&django_strict], vec![], vec![], true, "csp-implemented-with-unsafe-inline-in-style-src-only"),
        ("django strict-dynamic, nonce not rendered", vec!["script-src 'strict-dynamic'; object-src 'none'; base-uri 'none'"], vec![], vec![], true, "csp-header-invalid"),
        ("django docs example", vec![&django_docs], vec![], vec![], true, "csp-implemented-with-no-unsafe"),
        ("django default-src none", vec!["default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'self'; frame-ancestors 'none'"], vec![], vec![], true, "csp-implemented-with-no-unsafe-default-src-none"),
        ("google strict csp, nonce", vec![&google_nonce], vec![], vec![], true, "csp-implemented-with-unsafe-inline-in-style-src-only"),
        ("google strict csp, hash", vec!["script-src 'sha256-Yk0Wd3dt1R2kRrW2dwqB2OaXb0FzO9WJ2n3u+ZvuFGo=' 'strict-dynamic' https: 'unsafe-inline'; object-src 'none'; base-uri 'none'"], vec![], vec![], true, "csp-implemented-with-unsafe-inline-in-style-src-only"),
        ("github-like", vec!["default-src 'none'; base-uri 'self'; connect-src 'self' uploads.github.com; font-src github.githubassets.com; form-action 'self' github.com; frame-ancestors 'none'; img-src 'self' data: github.githubassets.com; script-src github.githubassets.com; style-src 'unsafe-inline' github.githubassets.com; worker-src github.com/assets-cdn/worker/"], vec![], vec![], true, "csp-implemented-with-unsafe-inline-in-style-src-only"),
        ("http: images", vec!["default-src 'self'; img-src 'self' http:; object-src 'none'"], vec![], vec![], true, "csp-implemented-with-insecure-scheme-in-passive-content-only"),
        ("http media host", vec!["default-src 'self'; media-src http://media.example.com; object-src 'none'"], vec![], vec![], true, "csp-implemented-with-insecure-scheme-in-passive-content-only"),
        ("unsafe-eval", vec!["default-src 'self'; script-src 'self' 'unsafe-eval'; object-src 'none'"], vec![], vec![], true, "csp-implemented-with-unsafe-eval"),
        ("unsafe-eval in style-src", vec!["default-src 'self'; style-src 'self' 'unsafe-eval'"], vec![], vec![], true, "csp-implemented-with-unsafe-eval"),
        ("https: in script-src", vec!["default-src 'self'; script-src 'self' https:"], vec![], vec![], true, "csp-implemented-with-unsafe-inline"),
        ("data: in script-src", vec!["default-src 'self'; script-src 'self' data:"], vec![], vec![], true, "csp-implemented-with-unsafe-inline"),
        ("object-src *", vec!["default-src 'self'; object-src *"], vec![], vec![], true, "csp-implemented-with-unsafe-inline"),
        ("no default/script/object", vec!["img-src 'self'; style-src 'self'"], vec![], vec![], true, "csp-implemented-with-unsafe-inline"),
        ("http cdn on https", vec!["default-src 'self'; script-src 'self' http://cdn.example.com"], vec![], vec![], true, "csp-implemented-with-insecure-scheme"),
        ("http cdn on http", vec!["default-src 'self'; script-src 'self' http://cdn.example.com"], vec![], vec![], false, "csp-implemented-with-no-unsafe"),
        ("http report-uri on https", vec!["default-src 'self'; report-uri http://reports.example.com/csp"], vec![], vec![], true, "csp-implemented-with-insecure-scheme"),
        ("repeated script-src", vec!["default-src 'self'; script-src 'self'; script-src 'unsafe-inline'"], vec![], vec![], true, "csp-header-invalid"),
        ("repeated report-uri", vec!["default-src 'none'; report-uri /csp-a; report-uri /csp-b"], vec![], vec![], true, "csp-implemented-but-duplicate-directives"),
        ("repeated report-to, unsafe", vec!["default-src 'self' 'unsafe-inline'; report-to a; report-to b"], vec![], vec![], true, "csp-implemented-with-unsafe-inline"),
        ("shorter than 6 characters", vec!["none"], vec![], vec![], true, "csp-header-invalid"),
        ("empty header", vec![""], vec![], vec![], true, "csp-header-invalid"),
        ("empty header beside report-only", vec![""], vec![], vec!["default-src 'self'"], true, "csp-header-invalid"),
        ("only semicolons", vec![";;;;;;;;"], vec![], vec![], true, "csp-not-implemented"),
        ("nothing", vec![], vec![], vec![], true, "csp-not-implemented"),
        ("upper case", vec!["DEFAULT-SRC 'NONE'; SCRIPT-SRC 'SELF'"], vec![], vec![], true, "csp-implemented-with-no-unsafe-default-src-none"),
        ("empty -src is 'none'", vec!["default-src 'self'; script-src; object-src"], vec![], vec![], true, "csp-implemented-with-no-unsafe"),
        ("nonce cancels unsafe-inline", vec![&nonce_cancels], vec![], vec![], true, "csp-implemented-with-no-unsafe"),
        ("script-src-elem is not read", vec!["default-src 'self'; script-src-elem 'self' 'unsafe-inline'; object-src 'none'"], vec![], vec![], true, "csp-implemented-with-no-unsafe"),
        ("meta only", vec![], vec!["default-src 'self'; object-src 'none'"], vec![], true, "csp-implemented-with-no-unsafe"),
        ("meta with only frame-ancestors", vec![], vec!["frame-ancestors 'none'"], vec![], true, "csp-not-implemented"),
        ("meta with a repeated report-uri", vec![], vec!["report-uri /a; report-uri /b"], vec![], true, "csp-implemented-with-unsafe-inline"),
        ("header plus stricter meta", vec!["default-src 'self' https:"], vec!["script-src 'self'"], vec![], true, "csp-implemented-with-unsafe-inline"),
        ("two headers intersect to 'none'", vec!["default-src 'self'", "default-src 'none'"], vec![], vec![], true, "csp-implemented-with-no-unsafe-default-src-none"),
        ("directive only in a later policy", vec!["default-src 'none'", "script-src 'unsafe-inline'"], vec![], vec![], true, "csp-implemented-with-no-unsafe-default-src-none"),
        ("both headers unsafe", vec!["script-src 'unsafe-inline' 'self'; object-src 'none'", "script-src 'unsafe-inline'; object-src 'none'"], vec![], vec![], true, "csp-implemented-with-unsafe-inline"),
        ("path intersection", vec!["default-src 'none'; script-src https://cdn.example.com/; object-src 'none'", "script-src https://cdn.example.com/js/; object-src 'none'"], vec![], vec![], true, "csp-implemented-with-no-unsafe-default-src-none"),
        ("report-only beside an enforced policy", vec!["default-src 'none'"], vec![], vec!["default-src *"], true, "csp-implemented-with-no-unsafe-default-src-none"),
    ];
    let mut seen = std::collections::BTreeSet::new();
    for (name, headers, meta, ro, https, want) in &table {
        let v = run(headers, meta, ro, *https);
        assert_eq!(v.observatory, *want, "{name}");
        assert_eq!(v.modifier, observatory_modifier(want), "{name}");
        seen.insert(*want);
    }
    // Every result the Observatory has, with its modifier.
    let all = [
        ("csp-implemented-with-no-unsafe-default-src-none", 10),
        ("csp-implemented-with-no-unsafe", 5),
        ("csp-implemented-with-unsafe-inline-in-style-src-only", 0),
        ("csp-implemented-but-duplicate-directives", 0),
        (
            "csp-implemented-with-insecure-scheme-in-passive-content-only",
            -10,
        ),
        ("csp-implemented-with-unsafe-eval", -10),
        ("csp-implemented-with-unsafe-inline", -20),
        ("csp-implemented-with-insecure-scheme", -20),
        ("csp-header-invalid", -25),
        ("csp-not-implemented", -25),
        ("csp-not-implemented-but-reporting-enabled", -25),
    ];
    for (result, modifier) in all {
        assert!(seen.contains(result), "no case for {result}");
        assert_eq!(observatory_modifier(result), modifier, "{result}");
    }
}

/// Header values hold comma-separated policies (browsers, and the Observatory since 1.6.2).
#[test]
fn comma_separated_policies() {
    let one = header("default-src 'none', script-src 'unsafe-inline'");
    let two = run(
        &["default-src 'none'", "script-src 'unsafe-inline'"],
        &[],
        &[],
        true,
    );
    assert_eq!(one.observatory, two.observatory);
    assert_eq!(
        one.observatory,
        "csp-implemented-with-no-unsafe-default-src-none"
    );
    // A trailing comma is no empty policy; a short part is.
    assert_eq!(
        header("default-src 'none',").observatory,
        "csp-implemented-with-no-unsafe-default-src-none"
    );
    assert_eq!(
        header("default-src 'none', a").observatory,
        "csp-header-invalid"
    );
}

/// What the real Observatory said about the test sites (tests/scan/peers), recomputed from
/// the headers it recorded.
#[test]
fn matches_recorded_observatory_runs() {
    let dir = repo().join("tests/scan/peers");
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if !(name.starts_with("observatory-") && name.ends_with(".out")) {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let json: serde_json::Value =
            serde_json::from_str(&text[text.find('{').unwrap()..]).unwrap();
        let headers = &json["scan"]["responseHeaders"];
        let get = |h: &str| {
            headers
                .get(h)
                .and_then(|v| v.as_str())
                .map(|s| vec![s])
                .unwrap_or_default()
        };
        let csp = get("content-security-policy");
        let ro = get("content-security-policy-report-only");
        let test = &json["tests"]["content-security-policy"];
        let v = run(&csp, &[], &ro, !name.ends_with("-http.out"));
        assert_eq!(v.observatory, test["result"].as_str().unwrap(), "{name}");
        assert_eq!(
            i64::from(v.modifier),
            test["scoreModifier"].as_i64().unwrap(),
            "{name}"
        );
        let xfo = json["tests"]["x-frame-options"]["result"].as_str().unwrap();
        assert_eq!(
            v.frame_ancestors_restricts.is_some(),
            xfo == "x-frame-options-implemented-via-csp",
            "{name}"
        );
        checked += 1;
    }
    assert!(checked >= 6, "{checked} Observatory runs");
}

/// Every page of every test-site configuration, with the headers it really sent.
#[test]
fn test_site_configurations() {
    let text = std::fs::read_to_string(repo().join("tests/scan/observed.jsonl")).unwrap();
    let mut pages = 0;
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let config: serde_json::Value = serde_json::from_str(line).unwrap();
        let name = config["name"].as_str().unwrap();
        let https = config.get("tls").is_some();
        for (probe, p) in config["probes"].as_object().unwrap() {
            let h = &p["headers"];
            let get = |k: &str| {
                h.get(k)
                    .and_then(|v| v.as_str())
                    .map(|s| vec![s])
                    .unwrap_or_default()
            };
            let (csp, ro) = (
                get("content-security-policy"),
                get("content-security-policy-report-only"),
            );
            let https = https && !probe.starts_with("http_");
            let v = run(&csp, &[], &ro, https);
            let at = format!("{name} {probe}");
            pages += 1;
            if name.starts_with("csp_unsafe_inline") {
                assert_eq!(
                    (v.observatory, v.modifier),
                    ("csp-implemented-with-unsafe-inline", -20),
                    "{at}"
                );
                assert!(
                    has(
                        &v,
                        "DJG409",
                        "script-src",
                        "'unsafe-inline' without a nonce or hash"
                    ),
                    "{at}"
                );
                assert!(has(&v, "DJG409", "script-src", "allows https:"), "{at}");
                assert!(has(&v, "DJG409", "default-src", "<object>"), "{at}");
                assert!(has(&v, "DJG410", "script-src", "'unsafe-eval'"), "{at}");
                assert!(has(&v, "DJG410", "base-uri", "missing"), "{at}");
                assert_eq!(v.frame_ancestors_restricts, None, "{at}");
            } else if name.starts_with("csp_report_only") {
                assert_eq!(
                    v.observatory, "csp-not-implemented-but-reporting-enabled",
                    "{at}"
                );
                assert!(v.report_only, "{at}");
                assert_eq!(rules(&v), ["DJG408"], "{at}");
                assert!(v.issues[0].message.contains("Report-Only"), "{at}");
            } else if !csp.is_empty() {
                // csp_on and the nginx configurations: the recommended policy.
                assert_eq!(
                    (v.observatory, v.modifier),
                    ("csp-implemented-with-no-unsafe", 5),
                    "{at}"
                );
                assert!(v.issues.is_empty(), "{at}: {:?}", v.issues);
                assert_eq!(v.frame_ancestors_restricts, Some(true), "{at}");
            } else {
                assert_eq!(v.observatory, "csp-not-implemented", "{at}");
                assert_eq!(rules(&v), ["DJG408"], "{at}");
                assert!(!v.report_only, "{at}");
            }
        }
    }
    assert!(pages > 100, "{pages} pages");
}

// ---------------------------------------------------------------------------------------
// Django 6's SECURE_CSP (django.utils.csp.build_policy output, Django 6.0.10).

#[test]
fn django_secure_csp() {
    let with_nonce = format!(
        "default-src 'self'; script-src 'self' 'nonce-{NONCE}'; object-src 'none'; base-uri 'none'; frame-ancestors 'self'; img-src 'self' data:; upgrade-insecure-requests"
    );
    let v = header(&with_nonce);
    assert_eq!(v.observatory, "csp-implemented-with-no-unsafe");
    assert!(v.issues.is_empty(), "{:?}", v.issues);
    assert_eq!(v.frame_ancestors_restricts, Some(true));

    // SECURE_CSP = {"script-src": [CSP.NONCE, CSP.STRICT_DYNAMIC], ...}: on a page that never
    // renders csp_nonce, Django drops the sentinel and 'strict-dynamic' stands alone.
    let v = header("script-src 'strict-dynamic'; object-src 'none'; base-uri 'none'");
    assert_eq!(v.observatory, "csp-header-invalid");
    assert!(has(
        &v,
        "DJG409",
        "script-src",
        "'strict-dynamic' without a nonce or hash"
    ));
    assert!(has(&v, "DJG409", "script-src", "csp_nonce"));
    let v = header(&format!(
        "script-src 'nonce-{NONCE}' 'strict-dynamic'; object-src 'none'; base-uri 'none'"
    ));
    assert!(!rules(&v).contains(&"DJG409"), "{:?}", v.issues);

    // The docs' example: img-src https: is broad for images only (not reported), no object-src.
    let v = header(&format!(
        "default-src 'self'; script-src 'self' 'nonce-{NONCE}'; img-src 'self' https:"
    ));
    assert_eq!(rules(&v), ["DJG410", "DJG410"], "{:?}", v.issues);
    assert!(has(&v, "DJG410", "object-src", "missing"));
    assert!(has(&v, "DJG410", "base-uri", "missing"));
}

#[test]
fn strict_dynamic_with_nonces_and_hashes() {
    // Browsers ignore 'self', 'unsafe-inline' and every host or scheme source beside
    // 'strict-dynamic' and a nonce or hash, so none of these lets an injected script run.
    // The Observatory drops the same sources except data:, which it still scores.
    for (policy, observatory) in [
        (
            format!("script-src 'nonce-{NONCE}' 'strict-dynamic' https: http: 'unsafe-inline'; object-src 'none'; base-uri 'none'"),
            "csp-implemented-with-unsafe-inline-in-style-src-only",
        ),
        (
            "script-src 'sha256-Yk0Wd3dt1R2kRrW2dwqB2OaXb0FzO9WJ2n3u+ZvuFGo=' 'strict-dynamic' * 'unsafe-inline'; object-src 'none'; base-uri 'self'".to_string(),
            "csp-implemented-with-unsafe-inline-in-style-src-only",
        ),
        (
            format!("default-src 'self'; script-src 'nonce-{NONCE}' 'strict-dynamic' 'self' data:; object-src 'none'; base-uri 'none'"),
            "csp-implemented-with-unsafe-inline",
        ),
    ] {
        let v = header(&policy);
        assert!(v.issues.is_empty(), "{policy}: {:?}", v.issues);
        assert_eq!(v.observatory, observatory, "{policy}");
    }
}

// ---------------------------------------------------------------------------------------
// djguard's findings.

#[test]
fn djg408_no_enforced_policy() {
    let v = run(&[], &[], &[], true);
    assert_eq!(rules(&v), ["DJG408"]);
    assert_eq!(v.issues[0].severity, Severity::Medium);
    assert!(!v.report_only);
    let v = run(&[], &[], &["default-src 'self'"], true);
    assert!(v.report_only && v.issues[0].message.contains("Report-Only"));
    // A header browsers can't use (non-ASCII directive only), or a meta with only
    // header-only directives.
    let v = header("default-src 'sélf'");
    assert!(rules(&v).contains(&"DJG408"));
    let v = run(&[], &["frame-ancestors 'none'"], &[], true);
    assert_eq!(rules(&v), ["DJG408", "DJG410"]);
    assert!(has(&v, "DJG410", "frame-ancestors", "<meta>"));
    assert_eq!(v.frame_ancestors_restricts, None);
}

#[test]
fn djg409_script_injection() {
    // (policy, https, directive, message fragment)
    #[rustfmt::skip]
    let cases: &[(&str, bool, &str, &str)] = &[
        ("default-src 'self' 'unsafe-inline'; object-src 'none'", true, "default-src", "'unsafe-inline' without a nonce or hash, so injected inline scripts and event handlers run"),
        ("default-src 'self'; script-src 'self' 'UNSAFE-INLINE'; object-src 'none'", true, "script-src", "'UNSAFE-INLINE'"),
        ("default-src 'self'; script-src-elem 'self' 'unsafe-inline'; object-src 'none'", true, "script-src-elem", "so injected inline scripts run"),
        ("default-src 'self'; script-src-attr 'unsafe-inline'; object-src 'none'", true, "script-src-attr", "event handlers"),
        ("default-src 'self'; script-src-elem 'self'; script-src 'self' 'unsafe-inline'; object-src 'none'", true, "script-src", "event handlers"),
        ("script-src-elem 'self'; object-src 'none'", true, "script-src-attr", "event handlers"),
        ("default-src 'self'; script-src 'self' data:; object-src 'none'", true, "script-src", "data:"),
        ("default-src 'self'; script-src *; object-src 'none'", true, "script-src", "allows *, so an injected <script src> can load code from any site"),
        ("default-src 'self'; script-src https:; object-src 'none'", true, "script-src", "allows https:"),
        ("default-src 'self'; script-src http:; object-src 'none'", false, "script-src", "allows http:"),
        ("default-src 'self'; script-src https://*; object-src 'none'", true, "script-src", "https://*"),
        ("default-src 'self'; script-src http://*.*; object-src 'none'", true, "script-src", "http://*.*"),
        ("default-src 'self'; script-src *:*; object-src 'none'", true, "script-src", "*:*"),
        ("img-src 'self'", true, "script-src", "injected inline scripts, event handlers and remote scripts all run"),
        ("script-src-attr 'none'", true, "script-src", "restricts <script> elements, so injected inline and remote scripts run"),
        ("default-src 'self'; script-src wss:; object-src 'none'", true, "script-src", "allows wss:"),
        ("img-src 'self'", true, "object-src", "no object-src or default-src"),
        ("script-src 'self'", true, "object-src", "no object-src or default-src"),
        ("default-src 'self'; object-src https:", true, "object-src", "allows https:"),
        ("default-src 'self' *", true, "default-src", "<object>"),
        ("default-src 'self'; script-src 'strict-dynamic' 'self'; object-src 'none'", true, "script-src", "'strict-dynamic' without a nonce or hash"),
        ("default-src 'self'; script-src 'self' 'strict-dynamic' 'nonce-'; object-src 'none'", true, "script-src", "'strict-dynamic' without a nonce or hash"),
        ("default-src 'self'; script-src 'self' http://cdn.example.com; object-src 'none'", true, "script-src", "http://cdn.example.com on an HTTPS site"),
        ("default-src 'self'; connect-src 'self' ws://sock.example.com; object-src 'none'", true, "connect-src", "ws://sock.example.com"),
        ("default-src 'self'; form-action http://login.example.com; object-src 'none'", true, "form-action", "on an HTTPS site"),
        ("default-src 'self'; style-src ftp:; object-src 'none'", true, "style-src", "ftp:"),
        ("upgrade-insecure-requests; default-src 'self'; form-action http://x.example; object-src 'none'", true, "form-action", "on an HTTPS site"),
        // A nonce that isn't base64 doesn't cancel 'unsafe-inline' in browsers.
        ("default-src 'self'; script-src 'unsafe-inline' 'nonce-{{csp_nonce}}'; object-src 'none'", true, "script-src", "'unsafe-inline' without"),
    ];
    for (policy, https, directive, needle) in cases {
        let v = run(&[policy], &[], &[], *https);
        assert!(
            has(&v, "DJG409", directive, needle),
            "{policy}: {:#?}",
            v.issues
        );
        for i in v.issues.iter().filter(|i| i.rule.meta.id == "DJG409") {
            assert_eq!(i.severity, Severity::Medium);
            assert!(
                i.message.contains(&i.directive) || i.message.contains("script"),
                "{i:?}"
            );
        }
    }
}

#[test]
fn djg409_not_raised() {
    #[rustfmt::skip]
    let cases: &[(&str, bool)] = &[
        ("default-src 'self'; object-src 'none'; base-uri 'none'", true),
        ("default-src 'self'; script-src 'self' https://*.cdn.example.com *.googleapis.com; object-src 'none'", true),
        ("default-src 'self'; script-src 'self' 'unsafe-inline' 'nonce-Zm9vYmFyYmF6cXV4MTIzNA'; object-src 'none'", true),
        ("default-src 'self'; script-src 'self' 'unsafe-inline' 'sha384-oqVuAfXRKap7fdgcCY5uykM6+R9GqQ8K/uxy9rx7HNQlGYl1kPzQho1wx4JwY8wC'; object-src 'none'", true),
        ("default-src 'self'; script-src 'self' http://cdn.example.com; object-src 'none'", false),
        ("default-src 'self'; script-src 'self' ftp:; object-src 'none'", false),
        ("default-src 'self'; script-src 'self' blob:; object-src data:", true),
        ("upgrade-insecure-requests; default-src 'self'; connect-src 'self' http://api.example.com ws://sock.example; object-src 'none'", true),
        ("default-src 'none'", true),
        ("default-src 'self'; style-src 'self' 'unsafe-inline' https:; object-src 'none'", true),
        // Each policy must allow it: the second blocks inline scripts and other hosts.
        ("default-src 'self' 'unsafe-inline' https:, script-src 'self'; object-src 'none'", true),
    ];
    for (policy, https) in cases {
        let v = run(&[policy], &[], &[], *https);
        assert!(!rules(&v).contains(&"DJG409"), "{policy}: {:#?}", v.issues);
    }
    // Two headers, and a header with a stricter meta.
    let v = run(
        &[
            "default-src 'self' 'unsafe-inline'; object-src 'none'",
            "script-src 'nonce-Zm9vYmFyYmF6cXV4MTIzNA'",
        ],
        &[],
        &[],
        true,
    );
    assert!(!rules(&v).contains(&"DJG409"), "{:#?}", v.issues);
    let v = run(
        &["default-src * 'unsafe-inline'"],
        &["default-src 'self'"],
        &[],
        true,
    );
    assert!(!rules(&v).contains(&"DJG409"), "{:#?}", v.issues);
}

#[test]
fn djg410_hardening() {
    #[rustfmt::skip]
    let cases: &[(&str, bool, &str, &str)] = &[
        ("default-src 'self'; script-src 'self' 'unsafe-eval'; object-src 'none'; base-uri 'none'", true, "script-src", "'unsafe-eval'"),
        ("default-src 'self'; base-uri 'none'", true, "object-src", "object-src is missing"),
        ("default-src 'self'; object-src 'none'", true, "base-uri", "base-uri is missing"),
        ("default-src 'self'; object-src 'none'; base-uri *", true, "base-uri", "base-uri allows *"),
        ("default-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; script-src 'unsafe-inline'", true, "script-src", "appears twice"),
        ("default-src 'self'; object-src 'none'; base-uri 'none'; scirpt-src 'self'", true, "scirpt-src", "unknown directive scirpt-src"),
        ("default-src 'self'; object-src 'none'; base-uri 'none'; block-all-mixed-content", true, "block-all-mixed-content", "obsolete"),
        ("default-src 'self'; img-src 'self' http:; object-src 'none'; base-uri 'none'", true, "img-src", "http: on an HTTPS site"),
        ("default-src 'self'; media-src http://media.example.com; object-src 'none'; base-uri 'none'", true, "media-src", "swapped in transit"),
        ("default-src 'self'; object-src 'none'; base-uri 'none'; report-uri http://r.example.com/csp", true, "report-uri", "unencrypted"),
        ("default-src 'self'; script-src 'self' 'nonce-abc123'; object-src 'none'; base-uri 'none'", true, "script-src", "has 6 characters"),
        ("default-src 'self'; script-src 'self' 'nonce-{{ csp_nonce }}'; object-src 'none'; base-uri 'none'", true, "script-src", "nonce 'nonce-{{ is not base64"),
        ("default-src 'self'; script-src 'self' 'nonce-{{csp_nonce}}'; object-src 'none'; base-uri 'none'", true, "script-src", "not base64"),
        ("default-src self; object-src 'none'; base-uri 'none'", true, "default-src", "without quotes"),
        ("default-src \"self\"; object-src 'none'; base-uri 'none'", true, "default-src", "double quotes"),
        ("default-src 'self' 'unsafe_inline'; object-src 'none'; base-uri 'none'", true, "default-src", "unknown keyword 'unsafe_inline'"),
    ];
    for (policy, https, directive, needle) in cases {
        let v = run(&[policy], &[], &[], *https);
        assert!(
            has(&v, "DJG410", directive, needle),
            "{policy}: {:#?}",
            v.issues
        );
        assert!(!rules(&v).contains(&"DJG409"), "{policy}: {:#?}", v.issues);
        assert!(
            v.issues
                .iter()
                .all(|i| i.rule.meta.id != "DJG410" || i.severity <= Severity::Low)
        );
    }
    // What is fine: default-src 'none' covers object-src; 'none' objects; Django's nonce.
    for policy in [
        "default-src 'none'; base-uri 'none'",
        "default-src 'self'; object-src 'none'; base-uri 'self'",
        "default-src 'self'; script-src 'self' 'nonce-Zm9vYmFyYmF6cXV4MTIzNA'; object-src 'none'; base-uri 'none'; upgrade-insecure-requests; report-to csp",
        "default-src 'self'; img-src 'self' http:; object-src 'none'; base-uri 'none'; upgrade-insecure-requests",
    ] {
        let v = header(policy);
        assert!(v.issues.is_empty(), "{policy}: {:#?}", v.issues);
    }
    // A policy of many unknown directives gives one aggregated issue.
    let many: Vec<String> = (0..50).map(|i| format!("x-{i} a")).collect();
    let v = header(&format!(
        "default-src 'none'; base-uri 'none'; {}",
        many.join("; ")
    ));
    assert_eq!(rules(&v), ["DJG410"], "{:#?}", v.issues);
    assert!(
        v.issues[0].message.contains("50 unknown directives")
            && v.issues[0].message.contains("and 45 more")
    );
}

#[test]
fn frame_ancestors() {
    for (policy, want) in [
        ("default-src 'self'", None),
        ("frame-ancestors 'none'", Some(true)),
        ("frame-ancestors", Some(true)),
        (
            "frame-ancestors 'self' https://partner.example.com",
            Some(true),
        ),
        ("frame-ancestors *.example.com", Some(true)),
        ("frame-ancestors *", Some(false)),
        ("frame-ancestors https:", Some(false)),
        ("frame-ancestors 'self' https://*", Some(false)),
        ("frame-ancestors *, frame-ancestors 'self'", Some(true)),
        ("frame-ancestors *, default-src 'self'", Some(false)),
    ] {
        assert_eq!(header(policy).frame_ancestors_restricts, want, "{policy}");
    }
    // Only headers count: a meta's frame-ancestors is ignored.
    let v = run(
        &["default-src 'self'"],
        &["frame-ancestors 'none'"],
        &[],
        true,
    );
    assert_eq!(v.frame_ancestors_restricts, None);
    let v = run(&[], &[], &["frame-ancestors 'none'"], true);
    assert_eq!(v.frame_ancestors_restricts, None);
}

#[test]
fn meta_policies_follow_the_spec() {
    let list = enforced_policies(&CspInput {
        headers: &["default-src 'self'; script-src 'self'; script-src 'unsafe-inline'"],
        meta: &["frame-ancestors 'none'; report-uri /x; sandbox; default-src 'none'"],
        ..Default::default()
    });
    assert_eq!(list.0.len(), 2);
    let header = &list.0[0];
    assert_eq!(header.directive_set.len(), 2); // the repeat is dropped, the first kept
    assert_eq!(header.directive_set[1].value, ["'self'"]);
    let names: Vec<&str> = list.0[1]
        .directive_set
        .iter()
        .map(|d| d.name.as_str())
        .collect();
    assert_eq!(names, ["default-src"]);
}

// ---------------------------------------------------------------------------------------
// DJG409 against the `content_security_policy` crate's engine.

fn request(url: &str, destination: Destination) -> Request {
    let url = Url::parse(url).unwrap();
    Request {
        current_url: url.clone(),
        url,
        origin: Url::parse("https://example.com/").unwrap().origin(),
        redirect_count: 0,
        destination,
        initiator: Initiator::None,
        nonce: String::new(),
        integrity_metadata: String::new(),
        parser_metadata: ParserMetadata::ParserInserted,
    }
}

/// (injected inline <script> runs, event handler runs, https://attacker script loads,
/// data: script loads), according to the crate's engine.
fn engine(headers: &[&str], meta: &[&str]) -> [bool; 4] {
    let list = enforced_policies(&CspInput {
        headers,
        meta,
        ..Default::default()
    });
    let inline = |t| {
        list.should_elements_inline_type_behavior_be_blocked(
            &Element { nonce: None },
            t,
            "alert(1)",
        )
        .0 == CheckResult::Allowed
    };
    let fetch = |u| {
        list.should_request_be_blocked(&request(u, Destination::Script))
            .0
            == CheckResult::Allowed
    };
    [
        inline(InlineCheckType::Script),
        inline(InlineCheckType::ScriptAttribute),
        fetch("https://attacker.invalid/x.js"),
        fetch("data:text/javascript,alert(1)"),
    ]
}

/// The same four, according to djguard's DJG409 messages.
fn djguard(headers: &[&str], meta: &[&str]) -> [bool; 4] {
    let v = run(headers, meta, &[], false);
    let said = |needle: &str| {
        v.issues
            .iter()
            .any(|i| i.rule.meta.id == "DJG409" && i.message.contains(needle))
    };
    let open = said("no script-src or default-src restricts");
    [
        said("injected inline"),
        said("event handlers"),
        open || said("load code from any site"),
        open || said("\"data:"),
    ]
}

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

fn random_policy(rng: &mut Rng) -> String {
    const DIRECTIVES: &[&str] = &[
        "default-src",
        "script-src",
        "script-src-elem",
        "script-src-attr",
        "object-src",
        "style-src",
        "img-src",
        "Script-Src",
        "base-uri",
    ];
    const TOKENS: &[&str] = &[
        "'self'",
        "'none'",
        "'unsafe-inline'",
        "'Unsafe-Inline'",
        "'unsafe-eval'",
        "'strict-dynamic'",
        "'nonce-Zm9vYmFyYmF6cXV4MTIzNA'",
        "'nonce-'",
        "'nonce-{{x}}'",
        "'sha256-abc='",
        "'SHA384-xyz'",
        "'unsafe-hashes'",
        "data:",
        "DATA:",
        "blob:",
        "https:",
        "http:",
        "HTTPS:",
        "ftp:",
        "*",
        "https://*",
        "http://*",
        "*:*",
        "*.cdn.com",
        "https://cdn.com",
        "http://cdn.com",
        "https://example.com",
        "self",
        "'report-sample'",
        "wss:",
    ];
    let mut directives = Vec::new();
    for _ in 0..rng.below(5) {
        let mut d = vec![rng.pick(DIRECTIVES)];
        for _ in 0..rng.below(4) {
            d.push(rng.pick(TOKENS));
        }
        directives.push(d.join(" "));
    }
    directives.join("; ")
}

#[test]
fn djg409_agrees_with_the_crate_engine() {
    let mut rng = Rng(0x5EED_C5B0_0000_0001);
    let mut disagreements = Vec::new();
    for round in 0..6000 {
        let mut headers: Vec<String> = (0..rng.below(3)).map(|_| random_policy(&mut rng)).collect();
        if rng.below(4) == 0 && headers.len() == 2 {
            let joined = headers.join(", ");
            headers = vec![joined];
        }
        let meta: Vec<String> = (0..usize::from(rng.below(4) == 0))
            .map(|_| random_policy(&mut rng))
            .collect();
        let h: Vec<&str> = headers.iter().map(String::as_str).collect();
        let m: Vec<&str> = meta.iter().map(String::as_str).collect();
        if enforced_policies(&CspInput {
            headers: &h,
            meta: &m,
            ..Default::default()
        })
        .0
        .is_empty()
        {
            continue; // DJG408, no policy
        }
        let (want, got) = (engine(&h, &m), djguard(&h, &m));
        for (what, (w, g)) in [
            "inline script",
            "event handler",
            "remote script",
            "data: script",
        ]
        .iter()
        .zip(want.iter().zip(got))
        {
            // Sound: whatever the engine lets run, djguard reports. Precise: djguard reports
            // nothing the engine blocks, except `*:*`, which djguard treats as broad.
            let conservative = h.iter().chain(&m).any(|p| p.contains("*:*"));
            if *w && !g || (!*w && g && !conservative) {
                disagreements.push(format!(
                    "#{round} {what}: engine {w}, djguard {g}: {h:?} meta {m:?}"
                ));
            }
        }
    }
    assert!(
        disagreements.is_empty(),
        "{}",
        disagreements[..disagreements.len().min(10)].join("\n")
    );
}

// ---------------------------------------------------------------------------------------
// The HTML scanner.

#[test]
fn html_extraction() {
    let page = br#"<!DOCTYPE html>
<html lang="en"><head>
<meta charset="utf-8">
<META Http-Equiv="Content-Security-Policy" content="default-src 'self'; script-src 'self' 'nonce-Zm9v'">
<meta http-equiv=content-security-policy content=default-src&#x20;&apos;none&apos;>
<meta name="referrer" content="no-referrer">
<meta name=REFERRER content='strict-origin-when-cross-origin'>
<meta http-equiv="refresh" content="5">
<title>Guest book | djguard&nbsp;scan &lt;test&gt; site</title>
<!-- <meta http-equiv="Content-Security-Policy" content="commented out"> <script src="/no.js"></script> -->
<script src="/static/app.js" integrity="sha384-abc" crossorigin="anonymous"></script>
<script src='https://cdn.example.com/lib.js?v=1&amp;x=2' INTEGRITY='sha256-def' CrossOrigin=use-credentials></script>
<script src=//cdn.example.net/proto.js></script>
<script nonce="Zm9v">var s = '<script src="/in-script.js"></script>'; if (a < b) {}</script>
<style>/* <script src="/in-style.js"></script> */</style>
<textarea><script src="/in-textarea.js"></script></textarea>
<noscript><script src="/in-noscript.js"></script></noscript>
<script type="module" src="/static/module.js" integrity="" crossorigin></script>
</head><body><p>Hello</p><script src="/static/late.js" async defer></script></body></html>"#;
    let f = extract(page);
    assert_eq!(
        f.meta_csp,
        [
            "default-src 'self'; script-src 'self' 'nonce-Zm9v'",
            "default-src 'none'"
        ]
    );
    assert_eq!(
        f.meta_referrer,
        ["no-referrer", "strict-origin-when-cross-origin"]
    );
    assert_eq!(
        f.title.as_deref(),
        Some("Guest book | djguard\u{a0}scan <test> site")
    );
    let srcs: Vec<&str> = f.scripts.iter().map(|s| s.src.as_str()).collect();
    assert_eq!(
        srcs,
        [
            "/static/app.js",
            "https://cdn.example.com/lib.js?v=1&x=2",
            "//cdn.example.net/proto.js",
            "/static/module.js",
            "/static/late.js",
        ]
    );
    assert_eq!(f.scripts[0].integrity.as_deref(), Some("sha384-abc"));
    assert_eq!(f.scripts[0].crossorigin.as_deref(), Some("anonymous"));
    assert_eq!(f.scripts[1].integrity.as_deref(), Some("sha256-def"));
    assert_eq!(f.scripts[1].crossorigin.as_deref(), Some("use-credentials"));
    assert_eq!(f.scripts[2].integrity, None);
    assert_eq!(f.scripts[3].integrity.as_deref(), Some(""));
    assert_eq!(f.scripts[3].crossorigin.as_deref(), Some(""));
    assert_eq!(f.scripts[4].integrity, None);

    // The meta policies go straight into the judge.
    let meta: Vec<&str> = f.meta_csp.iter().map(String::as_str).collect();
    let v = run(&[], &meta, &[], true);
    assert_eq!(
        v.observatory,
        "csp-implemented-with-no-unsafe-default-src-none"
    );
}

#[test]
fn html_tokenizer_corners() {
    let cases: &[(&[u8], &[&str])] = &[
        // Comment forms.
        (b"<!--><script src=/a.js></script>", &["/a.js"]),
        (b"<!---><script src=/a.js></script>", &["/a.js"]),
        (b"<!-- x --!><script src=/a.js></script>", &["/a.js"]),
        (
            b"<!-- <script src=/no.js> -- > --><script src=/a.js></script>",
            &["/a.js"],
        ),
        (b"<!-- never closed <script src=/no.js></script>", &[]),
        // Doctype, processing instruction, CDATA, bogus end tags.
        (
            b"<!DOCTYPE html><?xml x?><![CDATA[ x ]]></ bogus><script src=/a.js></script>",
            &["/a.js"],
        ),
        // Attribute forms: a `>` inside quotes, unquoted values, slashes, odd names.
        (b"<script data-x=\"a>b\" src=/a.js></script>", &["/a.js"]),
        (b"<script/src=/a.js></script>", &["/a.js"]),
        (b"<script src = \"/a.js\" / ></script>", &["/a.js"]),
        (b"<script =src=/no.js src=/a.js></script>", &["/a.js"]),
        (b"<script src=/a.js src=/b.js></script>", &["/a.js"]),
        (b"<script srcset=/no.js></script>", &[]),
        (b"<scripts src=/no.js></scripts>", &[]),
        (b"<script src></script>", &[""]),
        (b"<script src=>", &[""]),
        // End tags: case, attributes, `</script` as a prefix of another name.
        (
            b"<script>x</SCRIPT ><script src=/a.js></script>",
            &["/a.js"],
        ),
        (b"<script>x</scripty><script src=/no.js></script>", &[]),
        (
            b"<script>x</script foo='>'><script src=/a.js></script>",
            &["/a.js"],
        ),
        // Cut off by the end of the input: the tag is dropped.
        (b"<script src=/no.js", &[]),
        (b"<script src=\"/no.js>", &[]),
        (b"<script src='/no.js'", &[]),
        (b"<script src=/a.js>", &["/a.js"]),
        // Stray `<`.
        (b"a < b <3 <> <\xff <script src=/a.js></script>", &["/a.js"]),
        (b"<plaintext><script src=/no.js></script>", &[]),
    ];
    for (html, want) in cases {
        let got: Vec<String> = extract(html).scripts.into_iter().map(|s| s.src).collect();
        assert_eq!(got, *want, "{}", String::from_utf8_lossy(html));
    }
    // The first <title> wins; an unterminated one runs to the end.
    assert_eq!(
        extract(b"<title>A</title><title>B</title>")
            .title
            .as_deref(),
        Some("A")
    );
    assert_eq!(extract(b"<title>  A\n\t B ").title.as_deref(), Some("A B"));
    assert_eq!(
        extract(b"<title><b>x</b></title>").title.as_deref(),
        Some("<b>x</b>")
    );
    assert_eq!(extract(b"<title></title>").title.as_deref(), Some(""));
    assert_eq!(extract(b"<p>no title").title, None);
    // A meta needs its content attribute, and http-equiv wins over name.
    let f = extract(
        b"<meta http-equiv=Content-Security-Policy><meta name=referrer http-equiv=x content=a>",
    );
    assert!(f.meta_csp.is_empty() && f.meta_referrer.is_empty());
    // Base href, first only.
    let f = extract(b"<base target=_top><base href='https://static.example.com/'><base href=/x/>");
    assert_eq!(f.base_href.as_deref(), Some("https://static.example.com/"));
    // Invalid UTF-8 in values is replaced, not fatal.
    let f = extract(b"<title>caf\xe9</title><script src=/\xff.js></script>");
    assert_eq!(f.title.as_deref(), Some("caf\u{FFFD}"));
    assert_eq!(f.scripts[0].src, "/\u{FFFD}.js");
}

#[test]
fn html_detection() {
    assert!(is_html(Some("text/html; charset=utf-8"), b""));
    assert!(is_html(Some("application/xhtml+xml"), b""));
    assert!(is_html(Some("Text/HTML ;charset=UTF-8"), b"{}"));
    assert!(!is_html(Some("application/json"), b"<!doctype html>"));
    assert!(!is_html(Some("text/plain"), b"<html>"));
    assert!(is_html(None, b"  \r\n<!doctype HTML>"));
    assert!(is_html(None, b"<HTML lang=en>"));
    assert!(is_html(Some(""), b"<!-- c --><html>"));
    assert!(is_html(Some("application/unknown"), b"<script>x</script>"));
    assert!(!is_html(None, b"<?xml version='1.0'?>"));
    assert!(!is_html(None, b"<html"));
    assert!(!is_html(None, b"\x89PNG\r\n"));
    assert!(!is_html(None, b""));
}

// ---------------------------------------------------------------------------------------
// Hostile input: never panic, stay linear.

fn within(limit: Duration, what: &str, f: impl FnOnce()) {
    let start = Instant::now();
    f();
    let took = start.elapsed();
    assert!(took < limit, "{what} took {took:?}");
}

#[test]
fn adversarial_policies() {
    let limit = Duration::from_secs(20);
    let ten_k: String = (0..10_000)
        .map(|i| format!("d{i}-src 'self' https: x{i}.example; "))
        .collect();
    let repeated = "script-src 'unsafe-inline'; ".repeat(10_000);
    let huge_token = format!("default-src {}", "a".repeat(1_000_000));
    let many_tokens = format!(
        "default-src {}",
        "'self' https://a.example/p/ ".repeat(50_000)
    );
    let commas = ",".repeat(100_000);
    let nul = "default-src 'self'\0; script-src \u{0}\u{7f} 'unsafe-inline'";
    for (what, policy) in [
        ("10k distinct directives", ten_k.as_str()),
        ("10k repeated directives", repeated.as_str()),
        ("a 1 MB token", huge_token.as_str()),
        ("100k tokens", many_tokens.as_str()),
        ("100k commas", commas.as_str()),
        ("control characters", nul),
        (
            "unicode",
            "défault-src 'sélf' ☃; script-src 'self' \u{2028}\u{a0}; img-src 𝒽ttps:",
        ),
        ("quotes", "'''''''''; \"\"\"; script-src '"),
        ("empty", ""),
        ("whitespace", " \t\r\n\u{b}\u{c}"),
    ] {
        within(limit, what, || {
            let v = run(&[policy, policy], &[policy], &[policy], true);
            assert!(!v.observatory.is_empty());
            let _ = enforced_policies(&CspInput {
                headers: &[policy],
                ..Default::default()
            });
        });
    }
    // Two huge policies intersected.
    within(limit, "huge intersection", || {
        let _ = run(&[&many_tokens, &many_tokens], &[], &[], true);
    });
    // 10k repeated directives: invalid for the Observatory, one DJG410 for djguard.
    let v = header(&repeated);
    assert_eq!(v.observatory, "csp-header-invalid");
    assert_eq!(
        v.issues
            .iter()
            .filter(|i| i.message.contains("twice"))
            .count(),
        1
    );
    // 10k distinct unknown directives: one aggregated DJG410.
    let v = header(&ten_k);
    assert_eq!(
        v.issues
            .iter()
            .filter(|i| i.message.contains("unknown directives"))
            .count(),
        1
    );
}

#[test]
fn adversarial_html() {
    let limit = Duration::from_secs(20);
    let big = 4 << 20;
    let inputs: Vec<(&str, Vec<u8>)> = vec![
        ("empty", Vec::new()),
        ("all <", vec![b'<'; big]),
        ("open comments", b"<!--".repeat(big / 4)),
        ("open tags", b"<a ".repeat(big / 3)),
        ("open quotes", b"<a b=\"".repeat(big / 6)),
        ("script starts", b"<script>".repeat(big / 8)),
        ("almost end tags", b"<script></scrip".repeat(big / 15)),
        (
            "many scripts",
            b"<script src=/a.js></script>".repeat(big / 27),
        ),
        (
            "many metas",
            b"<meta http-equiv=content-security-policy content=\"default-src 'none'\">"
                .repeat(big / 70),
        ),
        (
            "entities",
            b"<title>"
                .iter()
                .chain(b"&#x1F600;&amp;&#99999999999;&".repeat(big / 30).iter())
                .copied()
                .collect(),
        ),
        (
            "binary",
            (0..big)
                .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
                .collect(),
        ),
        (
            "unterminated title",
            [b"<title>".as_slice(), &vec![b'x'; big]].concat(),
        ),
    ];
    for (what, body) in &inputs {
        within(limit, what, || {
            let f: HtmlFacts = extract(body);
            assert!(f.scripts.len() <= MAX_ITEMS && f.meta_csp.len() <= MAX_ITEMS);
            assert!(f.title.as_ref().is_none_or(|t| t.len() <= 1024));
            let _ = is_html(None, body);
            let meta: Vec<&str> = f.meta_csp.iter().take(50).map(String::as_str).collect();
            let _ = run(&[], &meta, &[], true);
        });
    }
    let f = extract(&inputs[7].1);
    assert_eq!(f.scripts.len(), MAX_ITEMS);
}

/// Random bytes, biased towards markup and policy syntax, through both scanners.
#[test]
fn random_bytes_never_panic() {
    const ALPHABET: &[u8] =
        b"<>/!-='\" \t\n;,:*&#x\xff\xe9\x00abcdefghijklmnopqrstuvwxyz-ABCSRIPTMEThttps";
    const WORDS: &[&str] = &[
        "<script",
        "</script>",
        "<meta http-equiv=content-security-policy content=",
        "<title>",
        "</title>",
        "<!--",
        "-->",
        "src=",
        "integrity=",
        "crossorigin",
        "default-src",
        "script-src",
        "'unsafe-inline'",
        "'nonce-",
        "'strict-dynamic'",
        "&amp;",
        "&#",
        "<style>",
        "<plaintext>",
        "<base href=",
    ];
    let mut rng = Rng(0xF00D_CAFE_1234_5678);
    for _ in 0..3000 {
        let len = rng.below(600);
        let mut bytes = Vec::with_capacity(len);
        while bytes.len() < len {
            if rng.below(4) == 0 {
                bytes.extend_from_slice(rng.pick(WORDS).as_bytes());
            } else {
                bytes.push(ALPHABET[rng.below(ALPHABET.len())]);
            }
        }
        let f = extract(&bytes);
        let _ = is_html(Some("text/html"), &bytes);
        let _ = is_html(None, &bytes);
        let text = String::from_utf8_lossy(&bytes);
        let meta: Vec<&str> = f.meta_csp.iter().map(String::as_str).collect();
        for https in [true, false] {
            let v = run(&[&text], &meta, &[&text], https);
            assert_eq!(v.modifier, observatory_modifier(v.observatory));
            let _ = run(&[], &[&text], &[], https);
        }
        let _ = enforced_policies(&CspInput {
            headers: &[&text],
            meta: &meta,
            ..Default::default()
        });
    }
}
