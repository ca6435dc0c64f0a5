#![cfg(feature = "scan")]
//! `djguard scan` against hostile servers: in-process servers on 127.0.0.1 that answer every
//! connection with one misbehaviour (endless or trickling bodies, headers that never end, a
//! gzip bomb, redirect loops and long chains, malformed heads, silence, closes and resets,
//! header floods, garbage instead of TLS), each scanned by the real binary with small limits.
//!
//! Every test asserts that the process ended (it is killed past a generous deadline, and
//! that is a failure), exited 0 or 1 (never 2, a panic's 101 or a signal), printed no panic,
//! wrote a JSON document with one report per site, and that the report names the problem.

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::process::{Command, Stdio};
use std::sync::{Arc, OnceLock};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::Value;

/// Past this the scan is considered hung and killed.
const DEADLINE: Duration = Duration::from_secs(60);
/// A hostile connection thread gives up after this long (the threads are leaked, not joined).
const SERVER_LIFETIME: Duration = Duration::from_secs(90);
/// `--max-body`.
const MAX_BODY: usize = 65_536;

// ---------------------------------------------------------------------------------------
// Servers

/// A server on 127.0.0.1:0 running `handler` on every connection, in its own thread.
fn serve(handler: impl Fn(TcpStream) + Send + Sync + 'static) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    let port = listener.local_addr().expect("local addr").port();
    let handler = Arc::new(handler);
    thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            let _ = stream.set_write_timeout(Some(Duration::from_secs(20)));
            let handler = handler.clone();
            thread::spawn(move || handler(stream));
        }
    });
    port
}

fn url(port: u16) -> String {
    format!("http://127.0.0.1:{port}/")
}

/// Reads the request head (bounded); returns it as text.
fn read_head(s: &mut TcpStream) -> String {
    let _ = s.set_read_timeout(Some(Duration::from_secs(10)));
    let mut buf = Vec::new();
    let mut chunk = [0u8; 2048];
    while !buf.windows(4).any(|w| w == b"\r\n\r\n") && buf.len() < 64 * 1024 {
        match s.read(&mut chunk) {
            Ok(0) | Err(_) => break,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    }
    String::from_utf8_lossy(&buf).into_owned()
}

/// The request target of a request head.
fn path_of(head: &str) -> String {
    head.split_whitespace().nth(1).unwrap_or("/").to_string()
}

/// Reads the request, then sends `bytes` and closes.
fn answer(mut s: TcpStream, bytes: &[u8]) {
    read_head(&mut s);
    let _ = s.write_all(bytes);
    let _ = s.flush();
    let _ = s.shutdown(Shutdown::Write);
    // Drain what the client may still send so that the close is a FIN, not a reset.
    let _ = s.set_read_timeout(Some(Duration::from_secs(2)));
    let mut sink = [0u8; 1024];
    while let Ok(n) = s.read(&mut sink) {
        if n == 0 {
            break;
        }
    }
}

/// Closes the connection with a TCP reset (SO_LINGER 0).
fn reset(s: TcpStream) {
    let _ = s.set_nonblocking(true);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .build()
        .expect("tokio runtime");
    rt.block_on(async move {
        if let Ok(t) = tokio::net::TcpStream::from_std(s) {
            let _ = t.set_zero_linger();
            drop(t);
        }
    });
}

/// Writes `chunk` again and again until the client goes away (or the lifetime ends),
/// sleeping `pause` between writes.
fn write_forever(s: &mut TcpStream, chunk: &[u8], pause: Duration) {
    let start = Instant::now();
    while start.elapsed() < SERVER_LIFETIME {
        if s.write_all(chunk).is_err() {
            return;
        }
        if !pause.is_zero() {
            thread::sleep(pause);
        }
    }
}

/// Headers a reasonable site would send, so that the graded part has something to grade.
const GOOD_HEADERS: &str = "Content-Type: text/html; charset=utf-8\r\nX-Frame-Options: DENY\r\nX-Content-Type-Options: nosniff\r\nReferrer-Policy: same-origin\r\n";

/// (1a) 200, chunked, 16 KB chunks forever as fast as the client reads.
fn endless_chunked() -> u16 {
    serve(|mut s| {
        read_head(&mut s);
        let head = format!("HTTP/1.1 200 OK\r\n{GOOD_HEADERS}Transfer-Encoding: chunked\r\n\r\n");
        if s.write_all(head.as_bytes()).is_err() {
            return;
        }
        let mut chunk = b"4000\r\n".to_vec();
        chunk.extend(std::iter::repeat_n(b'a', 0x4000));
        chunk.extend_from_slice(b"\r\n");
        write_forever(&mut s, &chunk, Duration::ZERO);
    })
}

/// (1b) 200 with neither Content-Length nor chunking (a body delimited by the close), never
/// closed.
fn endless_unframed() -> u16 {
    serve(|mut s| {
        read_head(&mut s);
        let head = format!("HTTP/1.1 200 OK\r\n{GOOD_HEADERS}Connection: close\r\n\r\n");
        if s.write_all(head.as_bytes()).is_err() {
            return;
        }
        write_forever(&mut s, &[b'<'; 8192], Duration::ZERO);
    })
}

/// (1c) 200, chunked, one byte every 200 ms forever (never reaches the cap).
fn trickle_body() -> u16 {
    serve(|mut s| {
        read_head(&mut s);
        let head = format!("HTTP/1.1 200 OK\r\n{GOOD_HEADERS}Transfer-Encoding: chunked\r\n\r\n");
        if s.write_all(head.as_bytes()).is_err() {
            return;
        }
        write_forever(&mut s, b"1\r\na\r\n", Duration::from_millis(200));
    })
}

/// (2) A status line, then one header line a second, forever; the head never ends.
fn slowloris() -> u16 {
    serve(|mut s| {
        read_head(&mut s);
        if s.write_all(b"HTTP/1.1 200 OK\r\n").is_err() {
            return;
        }
        let start = Instant::now();
        let mut n = 0u64;
        while start.elapsed() < SERVER_LIFETIME {
            thread::sleep(Duration::from_secs(1));
            n += 1;
            if s.write_all(format!("X-Slow-{n}: x\r\n").as_bytes())
                .is_err()
            {
                return;
            }
        }
    })
}

/// 10 MB of zeros, gzip-compressed (about 10 KB).
fn gzip_bomb_bytes() -> &'static [u8] {
    static BOMB: OnceLock<Vec<u8>> = OnceLock::new();
    BOMB.get_or_init(|| {
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        let zeros = vec![0u8; 1 << 20];
        for _ in 0..10 {
            enc.write_all(&zeros).expect("gzip");
        }
        enc.finish().expect("gzip")
    })
}

/// (3) A gzip bomb: Content-Encoding: gzip, ~10 KB on the wire, 10 MB decoded.
fn gzip_bomb() -> u16 {
    let body = gzip_bomb_bytes();
    assert!(body.len() < MAX_BODY, "the bomb must fit the raw cap");
    let mut resp = format!(
        "HTTP/1.1 200 OK\r\n{GOOD_HEADERS}Content-Encoding: gzip\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .into_bytes();
    resp.extend_from_slice(body);
    let resp: Arc<[u8]> = resp.into();
    serve(move |s| answer(s, &resp))
}

fn redirect(to: &str) -> Vec<u8> {
    format!(
        "HTTP/1.1 302 Found\r\nLocation: {to}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    )
    .into_bytes()
}

fn ok_page() -> Vec<u8> {
    format!("HTTP/1.1 200 OK\r\n{GOOD_HEADERS}Content-Length: 2\r\nConnection: close\r\n\r\nok")
        .into_bytes()
}

/// (4a) 302 to itself.
fn redirect_self() -> u16 {
    serve(|s| answer(s, &redirect("/")))
}

/// (4b) / -> /b -> / (absolute Location on the way back).
fn redirect_ab() -> u16 {
    let port = Arc::new(OnceLock::<u16>::new());
    let p = port.clone();
    let bound = serve(move |mut s| {
        let path = path_of(&read_head(&mut s));
        let to = if path == "/b" {
            format!("http://127.0.0.1:{}/", p.get().copied().unwrap_or(0))
        } else {
            "/b".to_string()
        };
        let _ = s.write_all(&redirect(&to));
        let _ = s.shutdown(Shutdown::Write);
    });
    port.set(bound).expect("port set once");
    bound
}

/// (4c) / -> /r1 -> /r2 -> ... -> /r50 -> 200: fifty distinct redirects, then a page.
fn redirect_chain() -> u16 {
    serve(|mut s| {
        let path = path_of(&read_head(&mut s));
        let n: u32 = path
            .strip_prefix("/r")
            .and_then(|n| n.parse().ok())
            .unwrap_or(0);
        let resp = if path == "/" || (1..50).contains(&n) {
            redirect(&format!("/r{}", n + 1))
        } else {
            ok_page()
        };
        let _ = s.write_all(&resp);
        let _ = s.shutdown(Shutdown::Write);
    })
}

/// (4d) A redirect whose Location cannot be parsed as a URL.
fn redirect_unparseable() -> u16 {
    serve(|s| answer(s, &redirect("http://[not-an-ip")))
}

/// (4e) A redirect to a non-HTTP URL.
fn redirect_non_http() -> u16 {
    serve(|s| answer(s, &redirect("file:///etc/passwd")))
}

/// (4f) A redirect to a port where nothing listens: the second hop cannot connect.
fn redirect_to_closed_port() -> (u16, u16) {
    let closed = {
        let l = TcpListener::bind("127.0.0.1:0").expect("bind");
        l.local_addr().expect("addr").port()
    };
    let port = serve(move |s| answer(s, &redirect(&format!("http://127.0.0.1:{closed}/"))));
    (port, closed)
}

/// (5) Answers every request with these exact bytes.
fn raw(bytes: Vec<u8>) -> u16 {
    let bytes: Arc<[u8]> = bytes.into();
    serve(move |s| answer(s, &bytes))
}

fn garbage_status_line() -> u16 {
    raw(b"GARBAGE NONSENSE \x01\x02\r\nX-Frame-Options: DENY\r\n\r\nhello".to_vec())
}

fn header_without_colon() -> u16 {
    raw(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nThisHeaderHasNoColon\r\n\r\nok".to_vec())
}

fn nul_in_header() -> u16 {
    raw(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nX-Frame-Options: DE\0NY\r\n\r\nok".to_vec())
}

fn megabyte_header() -> u16 {
    let mut r = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nX-Huge: ".to_vec();
    r.extend(std::iter::repeat_n(b'a', 1 << 20));
    r.extend_from_slice(b"\r\n\r\nok");
    raw(r)
}

/// Bytes that are not UTF-8 in header values (obs-text, which HTTP allows).
fn invalid_utf8_values() -> u16 {
    raw(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 2\r\nX-Frame-Options: DENY\xff\xfe\r\nContent-Security-Policy: default-src 'self' \xc3\x28\r\nSet-Cookie: s\xe9ssion=\xff; Path=/\r\nServer: caf\xe9\r\n\r\nok".to_vec())
}

fn truncated_head() -> u16 {
    raw(b"HTTP/1.1 200 OK\r\nX-Frame-Options: DE".to_vec())
}

fn bad_content_length() -> u16 {
    raw(b"HTTP/1.1 200 OK\r\nContent-Length: banana\r\n\r\nok".to_vec())
}

/// Promises 100000 bytes, sends 1000, closes.
fn short_body() -> u16 {
    let mut r =
        format!("HTTP/1.1 200 OK\r\n{GOOD_HEADERS}Content-Length: 100000\r\n\r\n").into_bytes();
    r.extend(std::iter::repeat_n(b'x', 1000));
    raw(r)
}

/// (6a) Accepts, reads the request, never answers.
fn silent() -> u16 {
    serve(|mut s| {
        read_head(&mut s);
        thread::sleep(SERVER_LIFETIME);
    })
}

/// (6b) Closes at once (FIN before the request is even read).
fn closes_immediately() -> u16 {
    serve(|mut s| {
        let _ = s.shutdown(Shutdown::Write);
        read_head(&mut s);
    })
}

/// (6c) Reads the request, then resets the connection.
fn resets() -> u16 {
    serve(|mut s| {
        read_head(&mut s);
        reset(s);
    })
}

/// (6d) Sends headers and part of the body, then resets.
fn resets_mid_body() -> u16 {
    serve(|mut s| {
        read_head(&mut s);
        let mut r =
            format!("HTTP/1.1 200 OK\r\n{GOOD_HEADERS}Content-Length: 100000\r\n\r\n").into_bytes();
        r.extend(std::iter::repeat_n(b'x', 1000));
        let _ = s.write_all(&r);
        thread::sleep(Duration::from_millis(100));
        reset(s);
    })
}

/// (5b) `100 Continue` interim responses, forever, as fast as the client reads.
fn endless_interim() -> u16 {
    serve(|mut s| {
        read_head(&mut s);
        write_forever(&mut s, b"HTTP/1.1 100 Continue\r\n\r\n", Duration::ZERO);
    })
}

/// (6e) 5,000 Set-Cookie headers.
fn cookie_flood() -> u16 {
    let mut r = format!("HTTP/1.1 200 OK\r\n{GOOD_HEADERS}").into_bytes();
    for i in 0..5000 {
        r.extend(format!("Set-Cookie: c{i}=v{i}; Path=/\r\n").bytes());
    }
    r.extend_from_slice(b"Content-Length: 2\r\nConnection: close\r\n\r\nok");
    raw(r)
}

/// (6g) 150 small headers (about 3 KB of head).
fn many_headers() -> u16 {
    let mut r = format!("HTTP/1.1 200 OK\r\n{GOOD_HEADERS}").into_bytes();
    for i in 0..150 {
        r.extend(format!("X-H{i}: v\r\n").bytes());
    }
    r.extend_from_slice(b"Content-Length: 2\r\nConnection: close\r\n\r\nok");
    raw(r)
}

/// (6f) A 100 KB Content-Security-Policy header.
fn huge_csp() -> u16 {
    let mut csp = String::from("default-src 'self'; script-src 'self'");
    let mut i = 0;
    while csp.len() < 100 * 1024 {
        csp.push_str(&format!(" https://cdn{i}.example.com"));
        i += 1;
    }
    csp.push_str("; object-src 'none'; base-uri 'none'; frame-ancestors 'none'");
    raw(format!(
        "HTTP/1.1 200 OK\r\n{GOOD_HEADERS}Content-Security-Policy: {csp}\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"
    )
    .into_bytes())
}

/// (7) Plain TCP that answers a ClientHello with an HTTP error page (an http server on an
/// https port).
fn garbage_tls() -> u16 {
    serve(|mut s| {
        let _ = s.set_read_timeout(Some(Duration::from_secs(10)));
        let mut buf = [0u8; 4096];
        let _ = s.read(&mut buf);
        let _ = s.write_all(
            b"HTTP/1.1 400 Bad Request\r\nContent-Length: 11\r\n\r\nbad request\x00\xff\x16\x03",
        );
        let _ = s.shutdown(Shutdown::Write);
        thread::sleep(Duration::from_secs(1));
    })
}

/// (7b) Accepts, reads the ClientHello, never answers.
fn silent_tls() -> u16 {
    serve(|mut s| {
        let _ = s.set_read_timeout(Some(Duration::from_secs(10)));
        let mut buf = [0u8; 4096];
        let _ = s.read(&mut buf);
        thread::sleep(SERVER_LIFETIME);
    })
}

fn https_url(port: u16) -> String {
    format!("https://127.0.0.1:{port}/")
}

// ---------------------------------------------------------------------------------------
// Running the scanner

struct Outcome {
    code: Option<i32>,
    stdout: String,
    stderr: String,
    elapsed: Duration,
    /// The child's peak resident set (VmHWM) as last seen in /proc, in KB.
    peak_kb: Option<u64>,
}

const BASE: &[(&str, &str)] = &[
    ("--format", "json"),
    ("--timeout", "2"),
    ("--connect-timeout", "2"),
    ("--site-timeout", "20"),
    ("--retries", "0"),
    ("--max-body", "65536"),
];

fn vm_hwm_kb(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Runs `djguard scan URLS` with the base options, `overrides` replacing or adding options
/// (an empty value is a flag), and waits at most `deadline`.
fn scan_with(urls: &[String], overrides: &[(&str, &str)], deadline: Duration) -> Outcome {
    let mut args: Vec<String> = vec!["scan".into()];
    args.extend(urls.iter().cloned());
    let mut opts: Vec<(&str, &str)> = BASE
        .iter()
        .filter(|(k, _)| !overrides.iter().any(|(o, _)| o == k))
        .copied()
        .collect();
    opts.extend_from_slice(overrides);
    opts.push(("--no-progress", ""));
    for (k, v) in opts {
        args.push(k.to_string());
        if !v.is_empty() {
            args.push(v.to_string());
        }
    }
    let start = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_djguard"))
        .args(&args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn djguard");
    let pid = child.id();
    let mut out_pipe = child.stdout.take().expect("stdout");
    let mut err_pipe = child.stderr.take().expect("stderr");
    let out_reader = thread::spawn(move || {
        let mut s = Vec::new();
        let _ = out_pipe.read_to_end(&mut s);
        String::from_utf8_lossy(&s).into_owned()
    });
    let err_reader = thread::spawn(move || {
        let mut s = Vec::new();
        let _ = err_pipe.read_to_end(&mut s);
        String::from_utf8_lossy(&s).into_owned()
    });
    let mut peak_kb = None;
    let status = loop {
        if let Some(kb) = vm_hwm_kb(pid) {
            peak_kb = Some(peak_kb.map_or(kb, |p: u64| p.max(kb)));
        }
        match child.try_wait().expect("try_wait") {
            Some(status) => break Some(status),
            None if start.elapsed() > deadline => {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            None => thread::sleep(Duration::from_millis(20)),
        }
    };
    let elapsed = start.elapsed();
    let stdout = out_reader.join().unwrap_or_default();
    let stderr = err_reader.join().unwrap_or_default();
    let Some(status) = status else {
        panic!(
            "djguard {} did not end within {} s and was killed\nstderr:\n{stderr}\nstdout:\n{}",
            args.join(" "),
            deadline.as_secs(),
            head(&stdout, 4000)
        );
    };
    Outcome {
        code: status.code(),
        stdout,
        stderr,
        elapsed,
        peak_kb,
    }
}

fn head(s: &str, n: usize) -> &str {
    match s.char_indices().nth(n) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

/// The checks every run must pass; returns the JSON document.
fn checked(name: &str, urls: &[String], o: &Outcome) -> Value {
    assert!(
        !o.stderr.contains("panicked"),
        "{name}: djguard panicked:\n{}",
        o.stderr
    );
    assert!(
        matches!(o.code, Some(0 | 1)),
        "{name}: exit status {:?} (expected 0 or 1; None is a signal)\nstderr:\n{}",
        o.code,
        o.stderr
    );
    let doc: Value = serde_json::from_str(&o.stdout).unwrap_or_else(|e| {
        panic!(
            "{name}: stdout is not JSON ({e}):\n{}\nstderr:\n{}",
            head(&o.stdout, 4000),
            o.stderr
        )
    });
    let sites = doc["sites"].as_array().expect("sites array");
    assert_eq!(sites.len(), urls.len(), "{name}: one report per site");
    for (site, url) in sites.iter().zip(urls) {
        assert_eq!(
            site["url"].as_str(),
            Some(url.as_str()),
            "{name}: input order"
        );
    }
    doc
}

fn errors(site: &Value) -> String {
    site["errors"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .collect::<Vec<_>>()
                .join(" | ")
        })
        .unwrap_or_default()
}

fn rules(site: &Value) -> Vec<String> {
    site["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|f| f["rule"].as_str().map(str::to_string))
        .collect()
}

fn grade(site: &Value) -> Option<&str> {
    site["grade"].as_str()
}

/// What the report says about the site, lower-cased: its errors and notes, the findings'
/// messages and evidence details, and every field of a hop or of the graded response other
/// than the request, the status and the headers (`body_truncated`, `body_error`, ... when
/// the report carries them). Header values are left out: the servers chose those.
fn said(site: &Value) -> String {
    let mut out = String::new();
    let mut push = |s: &str| {
        out.push_str(&s.to_lowercase());
        out.push('\n');
    };
    for key in ["errors", "notes"] {
        for v in site[key].as_array().into_iter().flatten() {
            push(v.as_str().unwrap_or_default());
        }
    }
    for f in site["findings"].as_array().into_iter().flatten() {
        push(f["message"].as_str().unwrap_or_default());
        push(f["evidence"]["detail"].as_str().unwrap_or_default());
    }
    let hops = site["hops"].as_array().into_iter().flatten();
    for h in hops.chain(std::iter::once(&site["graded"])) {
        for (k, v) in h.as_object().into_iter().flatten() {
            if !matches!(k.as_str(), "request" | "status" | "headers") {
                push(&format!("{k}={v}"));
            }
        }
    }
    out
}

fn says_any(site: &Value, needles: &[&str]) -> bool {
    let t = said(site);
    needles.iter().any(|n| t.contains(&n.to_lowercase()))
}

fn summary_line(name: &str, o: &Outcome, site: &Value) -> String {
    let mut findings = rules(site);
    findings.dedup();
    format!(
        "[{name}] {:.1} s, exit {:?}, peak {} MB, grade {}, findings [{}], errors: {}",
        o.elapsed.as_secs_f64(),
        o.code,
        o.peak_kb.map_or("?".into(), |k| (k / 1024).to_string()),
        grade(site).unwrap_or("none"),
        findings.join(","),
        head(&errors(site), 600)
    )
}

/// Scans one site and returns its report after the common checks.
fn scan_one(name: &str, url: String, overrides: &[(&str, &str)]) -> (Value, Outcome) {
    let urls = [url];
    let o = scan_with(&urls, overrides, DEADLINE);
    let doc = checked(name, &urls, &o);
    let site = doc["sites"][0].clone();
    eprintln!("{}", summary_line(name, &o, &site));
    if std::env::var_os("DJGUARD_HOSTILE_DUMP").is_some() {
        eprintln!(
            "{}",
            serde_json::to_string_pretty(&site).unwrap_or_default()
        );
    }
    (site, o)
}

/// The site was graded, on a response whose headers include `x-frame-options`.
fn assert_graded_on_headers(name: &str, site: &Value) {
    assert!(
        grade(site).is_some(),
        "{name}: expected a grade; errors: {}",
        errors(site)
    );
    let hop_has_xfo = site["hops"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|h| h["headers"].as_array().into_iter().flatten())
        .any(|kv| kv[0] == "x-frame-options");
    assert!(hop_has_xfo, "{name}: the graded headers are in the hops");
}

/// The report says every one of `needles` (case-insensitive; see `said`).
fn assert_says(name: &str, site: &Value, needles: &[&str]) {
    let t = said(site);
    for n in needles {
        assert!(
            t.contains(&n.to_lowercase()),
            "{name}: the report does not say {n:?}; it says:\n{t}"
        );
    }
}

/// No HTTP response was received: the site must not be graded, and the report must say why.
fn assert_not_reachable_because(name: &str, site: &Value, needles: &[&str]) {
    assert!(
        grade(site).is_none(),
        "{name}: graded {:?} though no response was received; errors: {}",
        grade(site),
        errors(site)
    );
    assert_says(name, site, needles);
}

fn mentions_truncation(site: &Value) -> bool {
    says_any(
        site,
        &["body_truncated=true", "truncated", "--max-body", "cut at"],
    )
}

// ---------------------------------------------------------------------------------------
// 1. Endless bodies

#[test]
fn endless_chunked_body_is_capped_and_the_headers_graded() {
    let (site, _) = scan_one("endless-chunked", url(endless_chunked()), &[]);
    assert_graded_on_headers("endless-chunked", &site);
    assert!(
        mentions_truncation(&site),
        "endless-chunked: the report does not say the body was cut at --max-body ({} bytes); it says:\n{}",
        MAX_BODY,
        said(&site)
    );
}

#[test]
fn endless_unframed_body_is_capped_and_the_headers_graded() {
    let (site, _) = scan_one("endless-unframed", url(endless_unframed()), &[]);
    assert_graded_on_headers("endless-unframed", &site);
    assert!(
        mentions_truncation(&site),
        "endless-unframed: the report does not say the body was cut at --max-body; it says:\n{}",
        said(&site)
    );
}

#[test]
fn trickling_body_hits_the_body_time_limit_and_the_headers_are_graded() {
    // Without the probes: each of them would also wait out the 2 s body limit.
    let (site, _) = scan_one("trickle-body", url(trickle_body()), &[("--no-probes", "")]);
    assert_graded_on_headers("trickle-body", &site);
    assert!(
        says_any(
            &site,
            &["body_error", "not finished", "read stopped", "time limit"]
        ),
        "trickle-body: the report does not say the body read was stopped by the time limit; it says:\n{}",
        said(&site)
    );
}

// ---------------------------------------------------------------------------------------
// 2. Headers that never end

#[test]
fn slowloris_headers_time_out() {
    let (site, _) = scan_one("slowloris", url(slowloris()), &[]);
    assert_not_reachable_because(
        "slowloris",
        &site,
        &["no complete response headers within 2"],
    );
}

// ---------------------------------------------------------------------------------------
// 3. Gzip bomb

#[test]
fn gzip_bomb_is_cut_at_the_cap_after_decoding() {
    let (site, o) = scan_one("gzip-bomb", url(gzip_bomb()), &[]);
    assert_graded_on_headers("gzip-bomb", &site);
    if let Some(kb) = o.peak_kb {
        assert!(
            kb < 200 * 1024,
            "gzip-bomb: peak resident set {} MB",
            kb / 1024
        );
    }
    assert!(
        mentions_truncation(&site),
        "gzip-bomb: the report does not say the decoded body was cut at --max-body; it says:\n{}",
        said(&site)
    );
}

// ---------------------------------------------------------------------------------------
// 4. Redirects

#[test]
fn redirect_to_itself_is_a_loop() {
    let (site, _) = scan_one("redirect-self", url(redirect_self()), &[]);
    assert_says("redirect-self", &site, &["redirect loop"]);
}

#[test]
fn redirect_a_b_a_is_a_loop() {
    let (site, _) = scan_one("redirect-a-b-a", url(redirect_ab()), &[]);
    assert_says("redirect-a-b-a", &site, &["redirect loop"]);
    assert!(site["hops"].as_array().is_some_and(|h| h.len() == 2));
}

#[test]
fn fifty_redirects_exceed_the_cap() {
    let port = redirect_chain();
    let (site, _) = scan_one("redirect-chain-50", url(port), &[]);
    assert_says("redirect-chain-50", &site, &["more than 10 redirects"]);
    // With a cap above the chain's length the scan follows all fifty and grades the page.
    let (site, _) = scan_one(
        "redirect-chain-50 (--max-redirects 60)",
        url(port),
        &[("--max-redirects", "60"), ("--no-probes", "")],
    );
    assert_graded_on_headers("redirect-chain-50 (--max-redirects 60)", &site);
    assert_eq!(site["hops"].as_array().map(Vec::len), Some(51));
}

#[test]
fn unparseable_location_is_reported() {
    let (site, _) = scan_one("redirect-unparseable", url(redirect_unparseable()), &[]);
    // The site answered, with a redirect nobody can follow: the report must quote it (a bare
    // "site not reachable", or a grade with no word on it, hides what is wrong).
    assert_says("redirect-unparseable", &site, &["http://[not-an-ip"]);
}

#[test]
fn redirect_to_a_non_http_url_is_reported() {
    let (site, _) = scan_one("redirect-non-http", url(redirect_non_http()), &[]);
    assert_says(
        "redirect-non-http",
        &site,
        &["non-http", "file:///etc/passwd"],
    );
}

#[test]
fn failing_second_hop_is_reported() {
    let (port, closed) = redirect_to_closed_port();
    let (site, _) = scan_one("redirect-to-closed-port", url(port), &[]);
    // Graded on the 302 or not graded: either way the report must say the chain broke there.
    assert_says(
        "redirect-to-closed-port",
        &site,
        &[&format!("127.0.0.1:{closed}")],
    );
    assert!(
        says_any(&site, &["cannot connect", "refused"]),
        "redirect-to-closed-port: the report does not say the redirect target refused the connection; it says:\n{}",
        said(&site)
    );
}

// ---------------------------------------------------------------------------------------
// 5. Malformed responses

#[test]
fn garbage_status_line_is_a_protocol_error() {
    let (site, _) = scan_one("garbage-status-line", url(garbage_status_line()), &[]);
    assert_not_reachable_because("garbage-status-line", &site, &["invalid", "http"]);
}

#[test]
fn header_without_colon_is_a_protocol_error() {
    let (site, _) = scan_one("header-without-colon", url(header_without_colon()), &[]);
    assert_not_reachable_because("header-without-colon", &site, &["invalid", "header"]);
}

#[test]
fn nul_in_a_header_is_a_protocol_error() {
    let (site, _) = scan_one("nul-in-header", url(nul_in_header()), &[]);
    assert_not_reachable_because("nul-in-header", &site, &["invalid", "header"]);
}

#[test]
fn megabyte_header_line_is_refused_as_too_large() {
    let (site, _) = scan_one("1mb-header-line", url(megabyte_header()), &[]);
    assert_not_reachable_because("1mb-header-line", &site, &["too large"]);
}

#[test]
fn invalid_utf8_header_values_are_graded() {
    let (site, _) = scan_one("invalid-utf8-values", url(invalid_utf8_values()), &[]);
    assert_graded_on_headers("invalid-utf8-values", &site);
    // The bytes survive as replacement characters, never as a crash or a dropped header.
    let server = site["hops"][0]["headers"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|kv| kv[0] == "server")
        .and_then(|kv| kv[1].as_str().map(str::to_string));
    assert_eq!(server.as_deref(), Some("caf\u{fffd}"));
}

#[test]
fn truncated_head_is_a_protocol_error() {
    let (site, _) = scan_one("truncated-head", url(truncated_head()), &[]);
    assert_not_reachable_because("truncated-head", &site, &["closed"]);
}

#[test]
fn bad_content_length_is_a_protocol_error() {
    let (site, _) = scan_one("bad-content-length", url(bad_content_length()), &[]);
    assert_not_reachable_because("bad-content-length", &site, &["content-length"]);
}

#[test]
fn short_body_is_reported_and_the_headers_graded() {
    let (site, _) = scan_one("short-body", url(short_body()), &[]);
    assert_graded_on_headers("short-body", &site);
    assert!(
        says_any(
            &site,
            &["body_error", "cut short", "ended early", "incomplete"]
        ),
        "short-body: the report does not say the body ended early; it says:\n{}",
        said(&site)
    );
}

#[test]
fn endless_interim_responses_time_out() {
    let (site, _) = scan_one("endless-100-continue", url(endless_interim()), &[]);
    assert_not_reachable_because(
        "endless-100-continue",
        &site,
        &["no complete response headers within 2"],
    );
}

// ---------------------------------------------------------------------------------------
// 6. Silence, closes, resets, floods

#[test]
fn silent_server_times_out() {
    let (site, _) = scan_one("silent", url(silent()), &[]);
    assert_not_reachable_because("silent", &site, &["no complete response headers within 2"]);
}

#[test]
fn immediate_close_is_reported() {
    let (site, _) = scan_one("closes-immediately", url(closes_immediately()), &[]);
    assert_not_reachable_because("closes-immediately", &site, &["closed"]);
}

#[test]
fn reset_is_reported_as_a_reset() {
    let (site, _) = scan_one("resets", url(resets()), &[]);
    assert_not_reachable_because("resets", &site, &["reset"]);
}

#[test]
fn reset_mid_body_is_reported_and_the_headers_graded() {
    let (site, _) = scan_one("resets-mid-body", url(resets_mid_body()), &[]);
    assert_graded_on_headers("resets-mid-body", &site);
    assert!(
        says_any(&site, &["body_error", "reset", "cut short"]),
        "resets-mid-body: the report does not say the body was cut by a reset; it says:\n{}",
        said(&site)
    );
}

#[test]
fn five_thousand_set_cookie_headers_are_handled() {
    let (site, _) = scan_one("cookie-flood", url(cookie_flood()), &[]);
    // About 150 KB of head, under the client's 256 KB buffer: a browser takes it, so the
    // scanner should grade it (or at the very least say that there were too many headers).
    let e = errors(&site).to_lowercase();
    assert!(
        grade(&site).is_some() || e.contains("too many headers"),
        "cookie-flood: neither graded nor a clear error: {e}"
    );
    if grade(&site).is_some() {
        assert_graded_on_headers("cookie-flood", &site);
    }
}

#[test]
fn hundred_and_fifty_headers_are_handled() {
    let (site, _) = scan_one("150-headers", url(many_headers()), &[]);
    // A 3 KB head: a browser takes it; "message head is too large" would be wrong.
    let e = errors(&site).to_lowercase();
    assert!(
        grade(&site).is_some() || e.contains("too many headers"),
        "150-headers: neither graded nor a clear error: {e}"
    );
}

#[test]
fn hundred_kilobyte_csp_is_handled() {
    let (site, _) = scan_one("csp-100kb", url(huge_csp()), &[]);
    assert_graded_on_headers("csp-100kb", &site);
    let csp_test = site["tests"].as_array().into_iter().flatten().find(|t| {
        t.to_string()
            .to_lowercase()
            .contains("content-security-policy")
    });
    assert!(
        csp_test.is_some(),
        "csp-100kb: no CSP test result: {}",
        head(&site["tests"].to_string(), 2000)
    );
}

// ---------------------------------------------------------------------------------------
// 7. TLS

#[test]
fn garbage_instead_of_tls_is_a_handshake_failure() {
    let (site, _) = scan_one("garbage-tls", https_url(garbage_tls()), &[]);
    assert_not_reachable_because("garbage-tls", &site, &["tls"]);
    assert!(
        rules(&site).iter().any(|r| r == "DJG401"),
        "garbage-tls: no DJG401 (HTTPS unreachable): {:?}",
        rules(&site)
    );
}

#[test]
fn silent_tls_server_times_out_in_the_handshake() {
    let (site, _) = scan_one("silent-tls", https_url(silent_tls()), &[]);
    assert_not_reachable_because("silent-tls", &site, &["tls handshake", "timed out"]);
    assert!(rules(&site).iter().any(|r| r == "DJG401"));
}

// ---------------------------------------------------------------------------------------
// Fleet

#[test]
fn fleet_of_hostile_sites_ends_with_one_report_each_in_order() {
    let urls: Vec<String> = vec![
        url(endless_chunked()),
        url(endless_unframed()),
        url(trickle_body()),
        url(slowloris()),
        url(gzip_bomb()),
        url(redirect_self()),
        url(redirect_ab()),
        url(redirect_chain()),
        url(redirect_unparseable()),
        url(redirect_non_http()),
        url(redirect_to_closed_port().0),
        url(garbage_status_line()),
        url(header_without_colon()),
        url(nul_in_header()),
        url(megabyte_header()),
        url(invalid_utf8_values()),
        url(truncated_head()),
        url(bad_content_length()),
        url(short_body()),
        url(endless_interim()),
        url(silent()),
        url(closes_immediately()),
        url(resets()),
        url(resets_mid_body()),
        url(cookie_flood()),
        url(many_headers()),
        url(huge_csp()),
        https_url(garbage_tls()),
        https_url(silent_tls()),
    ];
    // A shorter site limit than the single-site tests: the trickling site (every probe waits
    // out the 2 s body limit) runs into it, which is part of what this test exercises.
    let o = scan_with(
        &urls,
        &[("--concurrency", "8"), ("--site-timeout", "10")],
        DEADLINE,
    );
    let doc = checked("fleet", &urls, &o);
    let sites = doc["sites"].as_array().expect("sites");
    for site in sites {
        // Every report either has a grade or says why not.
        assert!(
            grade(site).is_some() || !errors(site).is_empty(),
            "fleet: {} has neither a grade nor an error",
            site["url"]
        );
    }
    assert_eq!(doc["summary"]["sites"].as_u64(), Some(urls.len() as u64));
    eprintln!(
        "[fleet] {} sites in {:.1} s, exit {:?}, graded {}, not reachable {}",
        urls.len(),
        o.elapsed.as_secs_f64(),
        o.code,
        doc["summary"]["graded"],
        doc["summary"]["not_reachable"]
    );
    for site in sites {
        eprintln!(
            "  {} -> {} {}",
            site["url"].as_str().unwrap_or("?"),
            grade(site).unwrap_or("not graded"),
            head(&errors(site), 200)
        );
    }
}
