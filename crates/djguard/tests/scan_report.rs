#![cfg(feature = "scan")]
//! `djguard scan` as a command: the report's shape against `schema/scan.schema.json`, exit
//! codes (`--fail-on`, `--min-grade`, unreachable sites), `--from` files, NDJSON, and
//! authentication headers that stay off plain HTTP. The site is a small loopback server that
//! answers like a default Django deployment and records every request it gets.

use std::collections::BTreeSet;
use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::Path;
use std::process::Command;
use std::sync::{Arc, Mutex};

use serde_json::Value;

struct Site {
    url: String,
    requests: Arc<Mutex<Vec<String>>>,
}

/// A server answering `/` like Django with DEBUG off over plain HTTP (cookies without
/// Secure, no HSTS), 404 elsewhere, 400 to a Host that is not its own (ALLOWED_HOSTS).
fn site() -> Site {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!(
        "http://127.0.0.1:{}/",
        listener.local_addr().expect("addr").port()
    );
    let requests = Arc::new(Mutex::new(Vec::new()));
    let log = requests.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut s) = stream else { continue };
            let log = log.clone();
            std::thread::spawn(move || {
                let mut buf = Vec::new();
                let mut chunk = [0u8; 4096];
                while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
                    match s.read(&mut chunk) {
                        Ok(0) | Err(_) => return,
                        Ok(n) => buf.extend_from_slice(&chunk[..n]),
                    }
                }
                let head = String::from_utf8_lossy(&buf).to_string();
                let line = head.lines().next().unwrap_or("").to_string();
                log.lock().unwrap().push(head.clone());
                let known_host = head.to_ascii_lowercase().contains("\r\nhost: 127.0.0.1:");
                let (status, extra, body) = if !known_host {
                    (
                        "400 Bad Request",
                        "",
                        "<!doctype html><html lang=\"en\"><head><title>Bad Request (400)</title></head><body><h1>Bad Request (400)</h1></body></html>",
                    )
                } else if line.starts_with("GET / ") {
                    (
                        "200 OK",
                        "Set-Cookie: csrftoken=Mn0Oz0ddVFBI6USNCZrGyzcxlLQcfmXO; Path=/; SameSite=Lax\r\nSet-Cookie: sessionid=y4g53wo9niwr03xqp0hntwiasv1i1zji; HttpOnly; Path=/; SameSite=Lax\r\n",
                        "<!doctype html><html><head><title>Home</title></head><body>hi</body></html>",
                    )
                } else {
                    (
                        "404 Not Found",
                        "",
                        "<!doctype html><html lang=\"en\"><head><title>Not Found</title></head><body><h1>Not Found</h1><p>The requested resource was not found on this server.</p></body></html>",
                    )
                };
                let resp = format!(
                    "HTTP/1.1 {status}\r\nServer: gunicorn\r\nContent-Type: text/html; charset=utf-8\r\nX-Frame-Options: DENY\r\nX-Content-Type-Options: nosniff\r\nReferrer-Policy: same-origin\r\nCross-Origin-Opener-Policy: same-origin\r\n{extra}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = s.write_all(resp.as_bytes());
            });
        }
    });
    Site { url, requests }
}

fn djguard(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_djguard"))
        .arg("scan")
        .args(args)
        .output()
        .expect("run djguard");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn schema() -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../schema/scan.schema.json");
    serde_json::from_str(&std::fs::read_to_string(path).expect("schema")).expect("schema JSON")
}

/// Every object key in `v` must be declared by the schema node that describes it.
fn check_keys(v: &Value, s: &Value, root: &Value, at: &str) {
    let s = match s.get("$ref").and_then(Value::as_str) {
        Some(r) => {
            let name = r.trim_start_matches("#/$defs/");
            &root["$defs"][name]
        }
        None => s,
    };
    match v {
        Value::Object(map) => {
            let props = s.get("properties").and_then(Value::as_object);
            for (k, child) in map {
                let sub = props.and_then(|p| p.get(k));
                assert!(
                    sub.is_some() || s.get("additionalProperties").is_some_and(Value::is_object),
                    "{at}.{k} is not in schema/scan.schema.json"
                );
                let sub = sub
                    .or(s.get("additionalProperties"))
                    .unwrap_or(&Value::Null);
                check_keys(child, sub, root, &format!("{at}.{k}"));
            }
            if let Some(req) = s.get("required").and_then(Value::as_array) {
                for r in req {
                    let r = r.as_str().unwrap_or("");
                    assert!(map.contains_key(r), "{at} lacks required key {r}");
                }
            }
        }
        Value::Array(items) => {
            if let Some(item) = s.get("items") {
                for (i, x) in items.iter().enumerate() {
                    check_keys(x, item, root, &format!("{at}[{i}]"));
                }
            }
        }
        _ => {}
    }
}

#[test]
fn report_follows_the_schema_and_findings_are_right() {
    let s = site();
    let (code, out, err) = djguard(&[&s.url, "--format", "json", "--no-legacy-tls"]);
    assert_eq!(code, 1, "{err}");
    let doc: Value = serde_json::from_str(&out).expect("JSON");
    let root = schema();
    check_keys(&doc, &root, &root, "$");
    let site = &doc["sites"][0];
    let rules: BTreeSet<&str> = site["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    // Plain HTTP on a custom port: HTTPS is not tried (a note says so), the page is not
    // redirected, there is no CSP and no Permissions-Policy. Nothing else.
    assert_eq!(
        rules,
        BTreeSet::from(["DJG402", "DJG408", "DJG415"]),
        "{site:#}"
    );
    assert!(
        site["notes"][0]
            .as_str()
            .unwrap()
            .contains("HTTPS was not tried")
    );
    assert_eq!(site["django"]["session_cookie"], "sessionid");
    assert_eq!(site["django"]["csrf_cookie"], "csrftoken");
    assert!(site["django"]["detected"].as_bool().unwrap());
    // Observatory: CSP -25, cookies -40 (session cookie without Secure, no HSTS), redirection
    // -20, HSTS -20 (no https), XFO +5 / referrer +5 / COOP +10 dropped (under 90): 0.
    assert_eq!(site["observatory_score"], 0);
    assert_eq!(site["grade"], "F");
    // At most fifteen requests, one each.
    let n = site["requests"].as_u64().unwrap();
    assert!((8..=15).contains(&n), "{n}");
    assert_eq!(s.requests.lock().unwrap().len() as u64, n);
}

#[test]
fn exit_codes_follow_fail_on_and_min_grade() {
    let s = site();
    let base = ["--no-legacy-tls", "--no-probes", "--format", "json"];
    let run = |extra: &[&str]| {
        let mut a: Vec<&str> = vec![&s.url];
        a.extend(base);
        a.extend(extra);
        djguard(&a).0
    };
    assert_eq!(run(&[]), 1);
    assert_eq!(run(&["--fail-on", "critical"]), 0);
    assert_eq!(run(&["--fail-on", "critical", "--min-grade", "F"]), 0);
    assert_eq!(run(&["--fail-on", "critical", "--min-grade", "D-"]), 1);
    assert_eq!(run(&["--ignore", "DJG4"]), 0);
    assert_eq!(run(&["--min-grade", "Q"]), 2);
    assert_eq!(run(&["--fail-on", "severe"]), 2);
    assert_eq!(run(&["--ignore", "DJG999"]), 2);
    // Nothing listens on the port a closed listener had: not graded, exit 1.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let dead = format!("http://127.0.0.1:{port}/");
    let (code, out, _) = djguard(&[&dead, "--format", "json", "--fail-on", "critical"]);
    assert_eq!(code, 1);
    let doc: Value = serde_json::from_str(&out).unwrap();
    assert!(doc["sites"][0]["grade"].is_null());
    assert!(
        doc["sites"][0]["errors"][0]
            .as_str()
            .unwrap()
            .contains("not reachable"),
        "{doc:#}"
    );
    assert_eq!(doc["summary"]["not_reachable"], 1);
}

#[test]
fn from_file_and_ndjson() {
    let a = site();
    let b = site();
    let dir = tempfile::tempdir().unwrap();
    let list = dir.path().join("sites.txt");
    std::fs::write(
        &list,
        format!("# fleet\n{}\n\n{}  # second\n", a.url, b.url),
    )
    .unwrap();
    let (code, out, err) = djguard(&[
        "--from",
        list.to_str().unwrap(),
        "--format",
        "ndjson",
        "--no-legacy-tls",
        "--no-probes",
    ]);
    assert_eq!(code, 1, "{err}");
    let lines: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON value per line"))
        .collect();
    assert_eq!(lines.len(), 3, "{out}");
    let urls: BTreeSet<&str> = lines[..2]
        .iter()
        .map(|l| l["url"].as_str().unwrap())
        .collect();
    assert_eq!(urls, BTreeSet::from([a.url.as_str(), b.url.as_str()]));
    assert_eq!(lines[2]["summary"]["sites"], 2);
    let (code, _, err) = djguard(&["--from", "/nonexistent/list.txt"]);
    assert_eq!(code, 2);
    assert!(err.contains("--from"), "{err}");
}

#[test]
fn auth_headers_stay_off_plain_http_unless_allowed() {
    let s = site();
    let args = [
        s.url.as_str(),
        "--no-legacy-tls",
        "--no-probes",
        "--header",
        "Authorization: Bearer s3cret",
        "--cookie",
        "sessionid=abc",
    ];
    djguard(&args);
    let seen = s.requests.lock().unwrap().join("\n").to_ascii_lowercase();
    assert!(!seen.is_empty());
    assert!(
        !seen.contains("s3cret") && !seen.contains("sessionid=abc"),
        "{seen}"
    );
    s.requests.lock().unwrap().clear();
    let mut with = args.to_vec();
    with.push("--send-auth-over-http");
    djguard(&with);
    let seen = s.requests.lock().unwrap().join("\n").to_ascii_lowercase();
    assert!(seen.contains("authorization: bearer s3cret"), "{seen}");
    assert!(seen.contains("cookie: sessionid=abc"), "{seen}");
    let (code, _, err) = djguard(&[&s.url, "--header", "no colon here"]);
    assert_eq!(code, 2, "{err}");
}
