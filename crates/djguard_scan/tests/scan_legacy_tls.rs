//! The TLS 1.0/1.1 prober (`djguard_scan::legacy_tls`) against a real nginx (the test site
//! harness `tests/scan/sites.py`, whose `legacy_tls_https_url` port still allows TLS 1.0/1.1
//! and whose `https_url` port allows only TLS 1.2/1.3), and against hostile in-process servers
//! that answer with silence, garbage, cut records, alerts or the wrong version.
//!
//! The nginx test needs nginx (the harness installs Debian's `nginx-light` through apt when it
//! is missing). When it cannot, the test fails unless `DJGUARD_SKIP_NGINX=1` is set.

use std::io::{BufRead, BufReader, Read};
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use djguard_scan::legacy_tls::{
    LegacyOutcome, LegacyVersion, OFFERED_CIPHERS, cipher_name, probe, probe_all,
};
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const TIMEOUT: Duration = Duration::from_secs(5);

// ---------------------------------------------------------------------------------------
// The real nginx

/// `sites.py up --foreground --stdin`: the sites live until our end of its stdin closes.
struct Harness {
    child: Child,
    stdin: Option<ChildStdin>,
    stderr: Option<JoinHandle<String>>,
}

impl Harness {
    /// Closes stdin (the harness then stops its servers) and waits for the harness to exit;
    /// returns what it wrote on stderr.
    fn stop(&mut self) -> String {
        drop(self.stdin.take());
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
        self.stderr
            .take()
            .and_then(|h| h.join().ok())
            .unwrap_or_default()
    }
}

impl Drop for Harness {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Starts `hardened@nginx` and returns the harness with its site line, or None (after
/// printing why) when nginx is unavailable and `DJGUARD_SKIP_NGINX=1` allows skipping.
fn start_nginx_site() -> Option<(Harness, Value)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut child = Command::new("python3")
        .args([
            "tests/scan/sites.py",
            "up",
            "--foreground",
            "--stdin",
            "hardened@nginx",
        ])
        .current_dir(&root)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python3 tests/scan/sites.py");
    let stdin = child.stdin.take();
    let stdout = child.stdout.take().expect("stdout");
    let mut stderr_pipe = child.stderr.take().expect("stderr");
    let stderr = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr_pipe.read_to_string(&mut text);
        text
    });
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let mut harness = Harness {
        child,
        stdin,
        stderr: Some(stderr),
    };

    // A first run may build the harness's venv with pip and install nginx with apt.
    let deadline = Instant::now() + Duration::from_secs(600);
    let mut site = None;
    let mut ready = false;
    while let Some(left) = deadline.checked_duration_since(Instant::now()) {
        let Ok(line) = rx.recv_timeout(left) else {
            break;
        };
        let value: Value = serde_json::from_str(&line)
            .unwrap_or_else(|e| panic!("harness printed a non-JSON line {line:?}: {e}"));
        if value["ready"] == true {
            ready = true;
            break;
        }
        if value["name"] == "hardened@nginx" {
            site = Some(value);
        }
    }
    if let Some(site) = site.filter(|_| ready) {
        return Some((harness, site));
    }
    let stderr = harness.stop();
    // The harness logs `[scan-sites] SKIP <spec>: <reason>`.
    let skipped = stderr.lines().any(|l| l.contains("SKIP hardened@nginx"));
    if skipped && std::env::var("DJGUARD_SKIP_NGINX").as_deref() == Ok("1") {
        eprintln!("nginx unavailable, skipped (DJGUARD_SKIP_NGINX=1):\n{stderr}");
        return None;
    }
    panic!(
        "the nginx test site did not come up (ready: {ready}); set DJGUARD_SKIP_NGINX=1 to skip \
         when nginx cannot be installed. Harness stderr:\n{stderr}"
    );
}

/// `https://localhost:PORT/` → 127.0.0.1:PORT (the harness listens on 127.0.0.1 only).
fn loopback(url: &Value) -> SocketAddr {
    let url = url.as_str().expect("url string");
    let port = url
        .strip_prefix("https://localhost:")
        .and_then(|rest| rest.trim_end_matches('/').parse::<u16>().ok())
        .unwrap_or_else(|| panic!("unexpected url {url}"));
    SocketAddr::from(([127, 0, 0, 1], port))
}

#[tokio::test(flavor = "multi_thread")]
async fn real_nginx_legacy_port_accepts_and_modern_port_refuses() {
    let Some((harness, site)) = tokio::task::spawn_blocking(start_nginx_site)
        .await
        .unwrap_or_else(|e| std::panic::resume_unwind(e.into_panic()))
    else {
        return;
    };
    let legacy = loopback(&site["legacy_tls_https_url"]);
    let modern = loopback(&site["https_url"]);

    let (l10, l11) = probe_all(legacy, "localhost", TIMEOUT).await;
    let (m10, m11) = probe_all(modern, "localhost", TIMEOUT).await;
    // An IP literal: no SNI is sent, the default server answers the same.
    let by_ip = probe(legacy, "127.0.0.1", LegacyVersion::Tls10, TIMEOUT).await;
    for (what, outcome) in [
        ("legacy TLS 1.0", &l10),
        ("legacy TLS 1.1", &l11),
        ("modern TLS 1.0", &m10),
        ("modern TLS 1.1", &m11),
        ("legacy TLS 1.0 by IP", &by_ip),
    ] {
        let name = match outcome {
            LegacyOutcome::Accepted { cipher } => cipher_name(*cipher).unwrap_or("?"),
            _ => "",
        };
        eprintln!("{what}: {outcome:?} {name}");
    }
    tokio::task::spawn_blocking(move || drop(harness))
        .await
        .expect("harness stop");

    for outcome in [&l10, &l11, &by_ip] {
        let LegacyOutcome::Accepted { cipher } = outcome else {
            panic!("the legacy port should accept: {outcome:?}");
        };
        assert!(cipher_name(*cipher).is_some(), "{cipher:#06x}");
    }
    for outcome in [&m10, &m11] {
        let LegacyOutcome::Refused { reason } = outcome else {
            panic!("the modern port should refuse: {outcome:?}");
        };
        assert!(reason.contains("protocol_version"), "{reason}");
    }
}

// ---------------------------------------------------------------------------------------
// Hostile and scripted servers

/// Serves every connection on a fresh loopback port with `serve`.
async fn server<F, Fut>(serve: F) -> SocketAddr
where
    F: Fn(TcpStream) -> Fut + Send + 'static,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            tokio::spawn(serve(stream));
        }
    });
    addr
}

/// Reads one whole TLS record (the ClientHello) from the client.
async fn read_record(stream: &mut TcpStream) -> Vec<u8> {
    let mut head = [0u8; 5];
    stream.read_exact(&mut head).await.expect("record header");
    let len = usize::from(u16::from_be_bytes([head[3], head[4]]));
    let mut record = head.to_vec();
    record.resize(5 + len, 0);
    stream
        .read_exact(&mut record[5..])
        .await
        .expect("record body");
    record
}

/// What a ClientHello record says, parsed the strict way (test data: malformed = failure).
#[derive(Debug)]
struct Hello {
    record_version: u16,
    client_version: u16,
    ciphers: Vec<u16>,
    extensions: Vec<(u16, Vec<u8>)>,
}

fn parse_hello(record: &[u8]) -> Hello {
    let u16_at = |b: &[u8], i: usize| u16::from_be_bytes([b[i], b[i + 1]]);
    assert_eq!(record[0], 22, "handshake record");
    assert_eq!(usize::from(u16_at(record, 3)), record.len() - 5);
    let hs = &record[5..];
    assert_eq!(hs[0], 1, "ClientHello");
    let len = (usize::from(hs[1]) << 16) | (usize::from(hs[2]) << 8) | usize::from(hs[3]);
    assert_eq!(len, hs.len() - 4);
    let body = &hs[4..];
    let client_version = u16_at(body, 0);
    assert_eq!(body[34], 0, "empty session id");
    let n = usize::from(u16_at(body, 35));
    let ciphers = body[37..37 + n]
        .chunks(2)
        .map(|c| u16::from_be_bytes([c[0], c[1]]))
        .collect();
    let mut at = 37 + n;
    assert_eq!(&body[at..at + 2], &[1, 0], "null compression only");
    at += 2;
    let ext_len = usize::from(u16_at(body, at));
    at += 2;
    assert_eq!(at + ext_len, body.len());
    let mut extensions = Vec::new();
    while at < body.len() {
        let kind = u16_at(body, at);
        let len = usize::from(u16_at(body, at + 2));
        extensions.push((kind, body[at + 4..at + 4 + len].to_vec()));
        at += 4 + len;
    }
    Hello {
        record_version: u16_at(record, 1),
        client_version,
        ciphers,
        extensions,
    }
}

fn record(kind: u8, version: u16, payload: &[u8]) -> Vec<u8> {
    let mut out = vec![kind];
    out.extend_from_slice(&version.to_be_bytes());
    out.extend_from_slice(&(payload.len() as u16).to_be_bytes());
    out.extend_from_slice(payload);
    out
}

/// A ServerHello record (record version 0x0301) choosing `version` and `cipher`.
fn server_hello(version: u16, cipher: u16) -> Vec<u8> {
    let mut body = version.to_be_bytes().to_vec();
    body.extend_from_slice(&[0x5a; 32]);
    body.push(32);
    body.extend_from_slice(&[0x11; 32]);
    body.extend_from_slice(&cipher.to_be_bytes());
    body.push(0);
    let mut msg = vec![2, 0, 0, body.len() as u8];
    msg.extend_from_slice(&body);
    record(22, 0x0301, &msg)
}

/// A server that reads the ClientHello, then writes `reply` and closes.
async fn replying(reply: Vec<u8>) -> SocketAddr {
    server(move |mut stream| {
        let reply = reply.clone();
        async move {
            let _ = read_record(&mut stream).await;
            let _ = stream.write_all(&reply).await;
            let _ = stream.shutdown().await;
        }
    })
    .await
}

async fn probe10(addr: SocketAddr) -> LegacyOutcome {
    probe(addr, "localhost", LegacyVersion::Tls10, TIMEOUT).await
}

fn assert_error(outcome: &LegacyOutcome) {
    assert!(matches!(outcome, LegacyOutcome::Error(_)), "{outcome:?}");
}

fn assert_refused(outcome: &LegacyOutcome, needle: &str) {
    match outcome {
        LegacyOutcome::Refused { reason } => assert!(reason.contains(needle), "{reason}"),
        other => panic!("expected Refused ({needle}), got {other:?}"),
    }
}

#[tokio::test]
async fn silent_server_times_out_as_error() {
    let addr = server(|mut stream| async move {
        let _ = read_record(&mut stream).await;
        tokio::time::sleep(Duration::from_secs(30)).await;
    })
    .await;
    let timeout = Duration::from_millis(300);
    let start = Instant::now();
    let outcome = probe(addr, "localhost", LegacyVersion::Tls11, timeout).await;
    let took = start.elapsed();
    assert!(
        matches!(&outcome, LegacyOutcome::Error(e) if e.contains("timed out")),
        "{outcome:?}"
    );
    assert!(
        took >= timeout && took < timeout + Duration::from_secs(1),
        "{took:?}"
    );
}

#[tokio::test]
async fn garbage_is_error() {
    let addr = replying(vec![0xA7; 64 * 1024]).await;
    assert_error(&probe10(addr).await);
}

#[tokio::test]
async fn plain_http_answer_is_error() {
    let addr = replying(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n".to_vec()).await;
    let outcome = probe10(addr).await;
    assert!(
        matches!(&outcome, LegacyOutcome::Error(e) if e.contains("plain HTTP")),
        "{outcome:?}"
    );
}

#[tokio::test]
async fn truncated_server_hello_is_error() {
    let full = server_hello(0x0301, 0xC014);
    // The header promises the whole ServerHello; only 20 bytes of it follow.
    let addr = replying(full[..25].to_vec()).await;
    assert_error(&probe10(addr).await);
    // The same cut short without closing: the deadline ends it.
    let addr = server(move |mut stream| {
        let part = full[..25].to_vec();
        async move {
            let _ = read_record(&mut stream).await;
            let _ = stream.write_all(&part).await;
            tokio::time::sleep(Duration::from_secs(30)).await;
        }
    })
    .await;
    let outcome = probe(
        addr,
        "localhost",
        LegacyVersion::Tls10,
        Duration::from_millis(300),
    )
    .await;
    assert_error(&outcome);
}

#[tokio::test]
async fn immediate_close_is_refused() {
    let addr = server(|stream| async move { drop(stream) }).await;
    assert_refused(&probe10(addr).await, "without answering");
}

#[tokio::test]
async fn close_after_hello_is_refused() {
    let addr = replying(Vec::new()).await;
    assert_refused(&probe10(addr).await, "without answering");
}

#[tokio::test]
async fn fatal_alert_is_refused() {
    let addr = replying(record(21, 0x0301, &[2, 70])).await;
    assert_refused(&probe10(addr).await, "protocol_version (70)");
    let addr = replying(record(21, 0x0303, &[2, 40])).await;
    assert_refused(&probe10(addr).await, "handshake_failure (40)");
}

#[tokio::test]
async fn tls12_server_hello_is_refused() {
    let addr = replying(server_hello(0x0303, 0xC014)).await;
    assert_refused(&probe10(addr).await, "TLS 1.2");
}

#[tokio::test]
async fn nothing_listening_is_error() {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    drop(listener);
    assert_error(&probe10(addr).await);
}

/// A server that accepts exactly TLS 1.0 (and checks what the client sent), as an old
/// OpenSSL with TLS 1.1 disabled would: probe_all gives (Accepted, Refused).
#[tokio::test]
async fn scripted_tls10_only_server_and_the_client_hello() {
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let addr = server(move |mut stream| {
        let tx = tx.clone();
        async move {
            let hello = parse_hello(&read_record(&mut stream).await);
            let reply = if hello.client_version == 0x0301 {
                server_hello(0x0301, 0xC013)
            } else {
                record(21, 0x0301, &[2, 70])
            };
            let _ = tx.send(hello);
            let _ = stream.write_all(&reply).await;
            let _ = stream.shutdown().await;
        }
    })
    .await;

    let (tls10, tls11) = probe_all(addr, "Shop.Example.COM", TIMEOUT).await;
    assert_eq!(tls10, LegacyOutcome::Accepted { cipher: 0xC013 });
    assert_eq!(
        cipher_name(0xC013),
        Some("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA")
    );
    assert_refused(&tls11, "protocol_version");

    let mut hellos = vec![rx.recv().await.unwrap(), rx.recv().await.unwrap()];
    hellos.sort_by_key(|h| h.client_version);
    assert_eq!(hellos[0].client_version, 0x0301);
    assert_eq!(hellos[1].client_version, 0x0302);
    let offered: Vec<u16> = OFFERED_CIPHERS.iter().map(|(id, _)| *id).collect();
    for hello in &hellos {
        assert_eq!(hello.record_version, 0x0301);
        assert_eq!(hello.ciphers, offered);
        assert!(hello.ciphers.contains(&0x00FF), "renegotiation SCSV");
        let kinds: Vec<u16> = hello.extensions.iter().map(|(k, _)| *k).collect();
        assert_eq!(kinds, [0x0000, 0x000A, 0x000B, 0xFF01]);
        assert!(!kinds.contains(&0x002B), "no supported_versions");
        let (_, sni) = &hello.extensions[0];
        let mut want = vec![0, 19, 0, 0, 16];
        want.extend_from_slice(b"shop.example.com");
        assert_eq!(sni, &want);
        assert_eq!(
            hello.extensions[1].1,
            [0, 6, 0x00, 0x1D, 0x00, 0x17, 0x00, 0x18]
        );
        assert_eq!(hello.extensions[2].1, [1, 0]);
        assert_eq!(hello.extensions[3].1, [0]);
    }

    // An IP literal is never sent as SNI.
    let outcome = probe(addr, "127.0.0.1", LegacyVersion::Tls10, TIMEOUT).await;
    assert_eq!(outcome, LegacyOutcome::Accepted { cipher: 0xC013 });
    let hello = rx.recv().await.unwrap();
    assert!(hello.extensions.iter().all(|(k, _)| *k != 0x0000));
}
