//! The dependency audit end to end: requirements files against pip's own parser, every lock
//! format against the files the real tools wrote, `db update` against a loopback HTTP server
//! (first download, 304, truncated download, a server that hangs), `--online` against a
//! loopback OSV API, and hostile input.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use assert_cmd::Command;
use serde_json::Value;

const TODAY: &str = "2026-11-21";

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/deps")
}

fn djguard(cache: &Path) -> Command {
    let mut c = Command::cargo_bin("djguard").expect("binary");
    // DJGUARD_OFFLINE: no first-run download from the real OSV host; the tests of that
    // download remove it and name a loopback server.
    c.env("DJGUARD_TODAY", TODAY)
        .env("DJGUARD_CACHE_DIR", cache)
        .env("DJGUARD_OFFLINE", "1")
        .env_remove("DJGUARD_ADVISORY_URL")
        .env_remove("XDG_CACHE_HOME");
    c
}

fn deps_json(cache: &Path, args: &[&str]) -> Value {
    let out = djguard(cache)
        .arg("deps")
        .args(args)
        .args(["--format", "json"])
        .output()
        .expect("run");
    assert!(
        out.status.code().is_some_and(|c| c <= 1),
        "exit {:?}: {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("json")
}

fn inventory(doc: &Value) -> Vec<Value> {
    doc["dependencies"]["dependencies"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

fn normalize(name: &str) -> String {
    let mut out = String::new();
    let mut sep = false;
    for c in name.chars() {
        if matches!(c, '-' | '_' | '.') {
            sep = true;
        } else {
            if sep && !out.is_empty() {
                out.push('-');
            }
            sep = false;
            out.extend(c.to_lowercase());
        }
    }
    out
}

#[test]
fn requirements_files_read_as_pip_reads_them() {
    let cache = tempfile::tempdir().unwrap();
    let dir = fixtures().join("requirements");
    let expected: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("expected_pip_parse.json")).unwrap(),
    )
    .unwrap();
    let out = djguard(cache.path())
        .env(
            "ARTIFACT_HOST",
            expected["env"]["ARTIFACT_HOST"].as_str().unwrap(),
        )
        .env_remove("PRIVATE_INDEX_TOKEN")
        .args(["deps", dir.to_str().unwrap(), "--format", "json"])
        .output()
        .unwrap();
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        doc["errors"].as_array().unwrap().len(),
        0,
        "{}",
        doc["errors"]
    );
    let inv = inventory(&doc);
    let mut matched = 0;
    for req in expected["requirements"].as_array().unwrap() {
        let file = req["file"].as_str().unwrap();
        let line = req["line"].as_u64().unwrap();
        let Some(name) = req["name"].as_str() else {
            // A local editable folder is not a package from an index: not listed.
            assert!(req["editable"].as_bool().unwrap());
            assert!(
                !inv.iter().any(|d| d["path"] == file && d["line"] == line),
                "{file}:{line}"
            );
            continue;
        };
        let entry = inv
            .iter()
            .find(|d| d["path"] == file && d["line"] == line)
            .unwrap_or_else(|| panic!("pip reads {name} at {file}:{line}; djguard does not"));
        assert_eq!(entry["name"], normalize(name), "{file}:{line}");
        let spec = req["specifier"].as_str().unwrap_or("");
        let want_status = if req["url"].is_string() || spec.starts_with("===") && spec.contains('-')
        {
            "direct"
        } else if spec.starts_with("==") && !spec.contains('*') && !spec.contains(',') {
            "pinned"
        } else {
            "range"
        };
        assert_eq!(entry["status"], want_status, "{file}:{line} {spec}");
        if want_status == "pinned" {
            assert_eq!(
                entry["version"].as_str().unwrap(),
                spec.trim_start_matches('='),
                "{file}:{line}"
            );
        }
        let kind = if req["constraint"].as_bool().unwrap() {
            "constraints"
        } else {
            "requirements"
        };
        assert_eq!(entry["kind"], kind, "{file}:{line}");
        matched += 1;
    }
    assert_eq!(matched, 20);
    // Nothing djguard lists that pip does not.
    assert_eq!(inv.len(), matched);
}

/// The packages every tool locked for the example project.
const DIRECT: &[(&str, &str)] = &[
    ("django", "4.2.7"),
    ("djangorestframework", "3.14.0"),
    ("requests", "2.31.0"),
    ("pyyaml", "6.0"),
    ("celery", "5.3.1"),
    ("pillow", "10.0.0"),
];

#[test]
fn every_lock_format_written_by_the_real_tools() {
    let cache = tempfile::tempdir().unwrap();
    let locks = fixtures().join("locks");
    let cases = [
        ("poetry", "poetry.lock"),
        ("poetry-tables", "poetry.lock"),
        ("uv", "uv.lock"),
        ("pdm", "pdm.lock"),
        ("pipenv", "Pipfile.lock"),
        ("pip", "pylock.toml"),
        ("pip-tools", "requirements.txt"),
    ];
    for (tool, lock) in cases {
        let dir = locks.join(tool);
        let doc = deps_json(cache.path(), &[dir.to_str().unwrap()]);
        assert_eq!(
            doc["errors"].as_array().unwrap().len(),
            0,
            "{tool}: {}",
            doc["errors"]
        );
        let text = std::fs::read_to_string(dir.join(lock)).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        let from_lock: Vec<Value> = inventory(&doc)
            .into_iter()
            .filter(|d| d["path"] == lock)
            .collect();
        for (name, version) in DIRECT {
            assert!(
                from_lock.iter().any(|d| d["name"] == *name
                    && d["version"] == *version
                    && d["status"] == "pinned"),
                "{tool}: {name}=={version} not read from {lock}"
            );
        }
        // Every entry points at the line that names it.
        for d in &from_lock {
            let name = d["name"].as_str().unwrap();
            let line = lines[d["line"].as_u64().unwrap() as usize - 1].to_ascii_lowercase();
            assert!(
                line.contains(&format!("\"{name}\"")) || normalize(&line).contains(name),
                "{tool}: {name} at line {}: {line}",
                d["line"]
            );
        }
        // As many entries as the file has packages (counted independently).
        let expected = match lock {
            "Pipfile.lock" => {
                let v: Value = serde_json::from_str(&text).unwrap();
                v["default"].as_object().unwrap().len() + v["develop"].as_object().unwrap().len()
            }
            "pylock.toml" => text.matches("[[packages]]").count(),
            "requirements.txt" => lines
                .iter()
                .filter(|l| l.contains("==") && !l.trim_start().starts_with('#'))
                .count(),
            // The project itself (`virtual`/`editable` source) is not a dependency.
            "uv.lock" => {
                text.matches("[[package]]").count()
                    - text.matches("source = { virtual = \".\" }").count()
                    - text.matches("source = { editable = \".\" }").count()
            }
            _ => text.matches("[[package]]").count(),
        };
        assert_eq!(from_lock.len(), expected, "{tool}");
        // The findings come from the lock, not from the manifest beside it.
        let findings = doc["findings"].as_array().unwrap();
        assert!(!findings.is_empty());
        let locks = [lock, "pylock.dev.toml"];
        assert!(
            findings
                .iter()
                .all(|f| locks.contains(&f["path"].as_str().unwrap())),
            "{tool}"
        );
    }
    // uv's lock and uv's own export name the same pins.
    let doc = deps_json(cache.path(), &[locks.join("uv").to_str().unwrap()]);
    let set = |path: &str| {
        let mut v: Vec<(String, String)> = inventory(&doc)
            .iter()
            .filter(|d| d["path"] == path && d["status"] == "pinned")
            .map(|d| {
                (
                    d["name"].as_str().unwrap().to_string(),
                    d["version"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        v.sort();
        v.dedup();
        v
    };
    let lock = set("uv.lock");
    let export = set("requirements.txt");
    assert!(export.len() >= 30);
    for p in &export {
        assert!(lock.contains(p), "{p:?} exported but not in uv.lock");
    }
}

#[test]
fn django_4_2_7_gets_the_calendar_and_its_advisories() {
    let cache = tempfile::tempdir().unwrap();
    let proj = tempfile::tempdir().unwrap();
    std::fs::write(proj.path().join("requirements.txt"), "Django==4.2.7\n").unwrap();
    let doc = deps_json(cache.path(), &[proj.path().to_str().unwrap()]);
    let findings = doc["findings"].as_array().unwrap();
    let rules: Vec<&str> = findings
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    // 4.2 reached its end of support on 2026-04-30; 4.2.8 to 4.2.30 without the yanked
    // 4.2.12 are 22 releases.
    assert_eq!(rules.iter().filter(|r| **r == "DJG301").count(), 1);
    // Advisories apply to 4.2.7, so DJG304 names the upgrade and DJG303 does not repeat it;
    // with DJG304 switched off, DJG303 says how far behind the version is.
    assert!(!rules.contains(&"DJG303"));
    let without = deps_json(
        cache.path(),
        &[proj.path().to_str().unwrap(), "--ignore", "DJG304"],
    );
    let behind = without["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "DJG303")
        .expect("DJG303 without DJG304");
    assert!(
        behind["message"]
            .as_str()
            .unwrap()
            .contains("22 patch release(s) behind 4.2.30"),
        "{}",
        behind["message"]
    );
    // One root cause, one finding: the pinned version, every advisory that applies, the one
    // upgrade that clears them all.
    let vulnerable: Vec<&Value> = findings.iter().filter(|f| f["rule"] == "DJG304").collect();
    assert_eq!(vulnerable.len(), 1);
    let f = vulnerable[0];
    assert_eq!(f["package"]["fix"], "4.2.30");
    assert_eq!(f["line"], 1);
    let advisories = f["package"]["advisories"].as_array().unwrap();
    assert!(advisories.len() >= 30);
    let message = f["message"].as_str().unwrap();
    assert!(
        message.contains(&format!("{} known advisories", advisories.len()))
            && message.contains("more"),
        "{message}"
    );
    // CVE-2023-46695 was fixed in 4.2.7 itself; CVE-2023-43665 in 4.2.6.
    let ids: Vec<&str> = advisories
        .iter()
        .map(|a| a["id"].as_str().unwrap())
        .collect();
    assert!(!ids.contains(&"CVE-2023-46695") && !ids.contains(&"CVE-2023-43665"));
    assert!(ids.contains(&"CVE-2024-42005"));

    // Every key the report uses is one the schema describes.
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../schema/report.schema.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let keys = |v: &Value| v.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
    let allowed = |s: &Value| keys(&s["properties"]);
    for k in keys(&doc) {
        assert!(allowed(&schema).contains(&k), "{k}");
    }
    let fs = &schema["properties"]["findings"]["items"];
    let ps = &fs["properties"]["package"];
    let adv = &ps["properties"]["advisories"]["items"];
    for f in findings {
        for k in keys(f) {
            assert!(allowed(fs).contains(&k), "finding key {k}");
        }
        for k in keys(&f["package"]) {
            assert!(allowed(ps).contains(&k), "package key {k}");
        }
        for a in f["package"]["advisories"].as_array().into_iter().flatten() {
            for k in keys(a) {
                assert!(allowed(adv).contains(&k), "advisory key {k}");
            }
        }
    }
    let ds = &schema["properties"]["dependencies"];
    for k in keys(&doc["dependencies"]) {
        assert!(allowed(ds).contains(&k), "dependencies key {k}");
    }
    for e in doc["dependencies"]["dependencies"].as_array().unwrap() {
        for k in keys(e) {
            assert!(
                allowed(&ds["properties"]["dependencies"]["items"]).contains(&k),
                "entry key {k}"
            );
        }
    }

    // Suppressing one advisory by id on the line, and some by configuration: they leave the
    // one finding's list, which stays while others apply.
    let n = advisories.len();
    let listed = |doc: &Value| -> Vec<String> {
        let f = doc["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["rule"] == "DJG304")
            .expect("DJG304 stays");
        f["package"]["advisories"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["id"].as_str().unwrap().to_string())
            .collect()
    };
    std::fs::write(
        proj.path().join("requirements.txt"),
        "Django==4.2.7  # djguard: ignore[CVE-2024-42005]\n",
    )
    .unwrap();
    let doc = deps_json(cache.path(), &[proj.path().to_str().unwrap()]);
    assert_eq!(doc["findings"].as_array().unwrap().len(), findings.len());
    let ids = listed(&doc);
    assert_eq!(ids.len(), n - 1);
    assert!(!ids.iter().any(|i| i == "CVE-2024-42005"));
    let doc = deps_json(
        cache.path(),
        &[
            proj.path().to_str().unwrap(),
            "--ignore-advisory",
            "CVE-2024-45230,CVE-2024-42005",
        ],
    );
    assert_eq!(listed(&doc).len(), n - 2);
}

#[test]
fn supported_newest_releases_are_clean_and_ranges_are_not_guessed() {
    let cache = tempfile::tempdir().unwrap();
    let proj = tempfile::tempdir().unwrap();
    // The newest LTS release: only the reminder that 5.2 is in extended support.
    std::fs::write(proj.path().join("requirements.txt"), "Django==5.2.19\n").unwrap();
    let doc = deps_json(cache.path(), &[proj.path().to_str().unwrap()]);
    let rules: Vec<&str> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert_eq!(rules, vec!["DJG302"]);
    assert_eq!(doc["findings"][0]["severity"], "info");
    std::fs::write(proj.path().join("requirements.txt"), "Django==6.1.3\n").unwrap();
    let doc = deps_json(cache.path(), &[proj.path().to_str().unwrap()]);
    assert_eq!(
        doc["findings"].as_array().unwrap().len(),
        0,
        "{}",
        doc["findings"]
    );

    std::fs::write(proj.path().join("requirements.txt"), "Django>=3.2,<4\n").unwrap();
    let doc = deps_json(cache.path(), &[proj.path().to_str().unwrap()]);
    let rules: Vec<&str> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert_eq!(rules, vec!["DJG301", "DJG305"]);
    let f = &doc["findings"][1];
    assert!(f["message"].as_str().unwrap().contains("is not pinned"));
    assert!(f["package"]["version"].is_null());

    // A release newer than the built-in list is not judged, and the report says so.
    std::fs::write(proj.path().join("requirements.txt"), "Django==6.1.9\n").unwrap();
    let doc = deps_json(cache.path(), &[proj.path().to_str().unwrap()]);
    assert_eq!(doc["findings"].as_array().unwrap().len(), 0);
    assert!(
        doc["dependencies"]["notes"]
            .to_string()
            .contains("newer than the release list")
    );

    // A range that starts past every advisory is not reported.
    std::fs::write(proj.path().join("requirements.txt"), "Django>=5.2.19,<6\n").unwrap();
    let doc = deps_json(cache.path(), &[proj.path().to_str().unwrap()]);
    assert_eq!(
        doc["findings"].as_array().unwrap().len(),
        0,
        "{}",
        doc["findings"]
    );
}

#[test]
fn advisories_folder_and_zip_with_alias_merging() {
    let cache = tempfile::tempdir().unwrap();
    let proj = tempfile::tempdir().unwrap();
    // requests 2.30.0: CVE-2023-32681 (PYSEC-2023-74) fixed in 2.31.0.
    std::fs::write(
        proj.path().join("requirements.txt"),
        "requests==2.30.0\nredis==4.5.3\n",
    )
    .unwrap();
    let vulns = fixtures().join("pypa-subset/vulns");
    let doc = deps_json(
        cache.path(),
        &[
            proj.path().to_str().unwrap(),
            "--advisories",
            vulns.to_str().unwrap(),
        ],
    );
    let findings = doc["findings"].as_array().unwrap();
    let requests: Vec<&Value> = findings
        .iter()
        .filter(|f| f["package"]["name"] == "requests")
        .collect();
    assert!(!requests.is_empty());
    assert!(
        requests
            .iter()
            .all(|f| f["package"]["fix"].as_str().unwrap() >= "2.31.0")
    );
    // The withdrawn redis record (PYSEC-2023-73) is never reported.
    assert!(!doc.to_string().contains("PYSEC-2023-73"));

    // The same records from a zip, plus a GHSA twin of one of them: one finding, both ids.
    let dir = tempfile::tempdir().unwrap();
    let zip_path = dir.path().join("osv.zip");
    let ghsa = r#"{"id":"GHSA-j8r2-6x86-q33q","aliases":["CVE-2023-32681"],"summary":"Unintended leak of Proxy-Authorization header in requests","severity":[{"type":"CVSS_V3","score":"CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:H/I:N/A:N"}],"affected":[{"package":{"ecosystem":"PyPI","name":"requests"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"2.3.0"},{"fixed":"2.31.0"}]}]}]}"#;
    write_zip(
        &zip_path,
        &[("GHSA-j8r2-6x86-q33q.json", ghsa.as_bytes())],
        Some(&vulns.join("requests")),
    );
    let doc = deps_json(
        cache.path(),
        &[
            proj.path().to_str().unwrap(),
            "--advisories",
            zip_path.to_str().unwrap(),
        ],
    );
    let requests: Vec<&Value> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["package"]["name"] == "requests")
        .collect();
    let leak: Vec<&&Value> = requests
        .iter()
        .filter(|f| {
            f["package"]["advisories"][0]["ids"]
                .as_array()
                .unwrap()
                .iter()
                .any(|i| i == "CVE-2023-32681")
        })
        .collect();
    assert_eq!(leak.len(), 1, "{requests:?}");
    let ids = leak[0]["package"]["advisories"][0]["ids"].to_string();
    assert!(
        ids.contains("PYSEC-2023-74") && ids.contains("GHSA-j8r2-6x86-q33q"),
        "{ids}"
    );
    assert_eq!(leak[0]["package"]["advisories"][0]["id"], "CVE-2023-32681");
    // Severity from the CVSS vector (5.6: medium).
    assert_eq!(leak[0]["severity"], "medium");
}

/// Write a zip of `extra` entries plus every file of `dir` (stored, not compressed).
fn write_zip(path: &Path, extra: &[(&str, &[u8])], dir: Option<&Path>) {
    let file = std::fs::File::create(path).unwrap();
    let mut zip = zip::ZipWriter::new(file);
    let opts =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, bytes) in extra {
        zip.start_file(*name, opts).unwrap();
        zip.write_all(bytes).unwrap();
    }
    if let Some(dir) = dir {
        let mut entries: Vec<PathBuf> = walk(dir);
        entries.sort();
        for p in entries {
            let name = p
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            zip.start_file(name, opts).unwrap();
            zip.write_all(&std::fs::read(&p).unwrap()).unwrap();
        }
    }
    zip.finish().unwrap();
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

// ------------------------------------------------------------------ loopback HTTP server

/// What the server does with one request.
#[derive(Clone)]
enum Reply {
    /// Status, headers, body.
    Full(u16, Vec<(String, String)>, Vec<u8>),
    /// Announce the whole body, send only the first `n` bytes, close.
    Truncated(Vec<u8>, usize),
    /// Read the request and never answer (until the test ends).
    Hang,
}

struct Request {
    method: String,
    path: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

/// Method, path and headers of every request a test server saw.
type Log = Mutex<Vec<(String, String, Vec<(String, String)>)>>;

/// A real HTTP/1.1 server on 127.0.0.1 answering with `route`; requests are logged.
struct Server {
    url: String,
    log: Arc<Log>,
}

fn serve(route: impl Fn(&Request) -> Reply + Send + Sync + 'static) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let log = Arc::new(Mutex::new(Vec::new()));
    let log2 = log.clone();
    let route = Arc::new(route);
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let route = route.clone();
            let log = log2.clone();
            std::thread::spawn(move || handle(stream, &*route, &log));
        }
    });
    Server { url, log }
}

fn handle(mut stream: TcpStream, route: &(dyn Fn(&Request) -> Reply + Send + Sync), log: &Log) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut first = String::new();
    if reader.read_line(&mut first).is_err() {
        return;
    }
    let mut parts = first.split_whitespace();
    let method = parts.next().unwrap_or("").to_string();
    let path = parts.next().unwrap_or("").to_string();
    let mut headers = Vec::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
            break;
        }
        if let Some((k, v)) = line.trim_end().split_once(':') {
            headers.push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
        }
    }
    let len: usize = headers
        .iter()
        .find(|(k, _)| k == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0; len];
    let _ = reader.read_exact(&mut body);
    log.lock()
        .unwrap()
        .push((method.clone(), path.clone(), headers.clone()));
    let req = Request {
        method,
        path,
        headers,
        body,
    };
    let head = |status: u16, headers: &[(String, String)], len: usize| {
        let mut h =
            format!("HTTP/1.1 {status} X\r\nContent-Length: {len}\r\nConnection: close\r\n");
        for (k, v) in headers {
            h.push_str(&format!("{k}: {v}\r\n"));
        }
        h.push_str("\r\n");
        h
    };
    match route(&req) {
        Reply::Full(status, headers, body) => {
            let _ = stream.write_all(head(status, &headers, body.len()).as_bytes());
            let _ = stream.write_all(&body);
        }
        Reply::Truncated(body, n) => {
            let _ = stream
                .write_all(head(200, &[("ETag".into(), "\"t\"".into())], body.len()).as_bytes());
            let _ = stream.write_all(&body[..n]);
        }
        Reply::Hang => std::thread::sleep(Duration::from_secs(30)),
    }
    let _ = stream.flush();
}

fn header<'a>(req: &'a Request, name: &str) -> Option<&'a str> {
    req.headers
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

fn db_update(cache: &Path, server: &Server, path: &str, timeout: &str) -> std::process::Output {
    djguard(cache)
        .args([
            "db",
            "update",
            "--cache-dir",
            cache.to_str().unwrap(),
            "--url",
            &format!("{}{path}", server.url),
            "--pypi-url",
            &format!("{}/pypi/django/json", server.url),
            "--timeout",
            timeout,
        ])
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap()
}

#[test]
fn db_update_first_download_304_truncated_and_hang() {
    let zipdir = tempfile::tempdir().unwrap();
    let zip_path = zipdir.path().join("all.zip");
    write_zip(&zip_path, &[], Some(&fixtures().join("pypa-subset/vulns")));
    let zip_bytes = std::fs::read(&zip_path).unwrap();
    let pypi = serde_json::json!({"info": {"version": "6.1.4"}, "releases": {
        "6.1.3": [{"yanked": false}], "6.1.4": [{"yanked": false}], "6.1.5": [{"yanked": true}], "6.2a1": [{"yanked": false}]
    }})
    .to_string();
    let zb = zip_bytes.clone();
    let server = serve(move |req| match req.path.as_str() {
        "/all.zip" if header(req, "if-none-match") == Some("\"v1\"") => {
            Reply::Full(304, vec![], vec![])
        }
        "/all.zip" => Reply::Full(
            200,
            vec![
                ("ETag".into(), "\"v1\"".into()),
                (
                    "Last-Modified".into(),
                    "Fri, 20 Nov 2026 10:00:00 GMT".into(),
                ),
            ],
            zb.clone(),
        ),
        "/truncated.zip" => Reply::Truncated(zb.clone(), zb.len() / 2),
        "/garbage.zip" => Reply::Full(200, vec![], b"<html>captive portal</html>".to_vec()),
        "/hang.zip" => Reply::Hang,
        "/pypi/django/json" => Reply::Full(200, vec![], pypi.clone().into_bytes()),
        _ => Reply::Full(404, vec![], vec![]),
    });
    let cache = tempfile::tempdir().unwrap();
    let proj = tempfile::tempdir().unwrap();
    std::fs::write(
        proj.path().join("requirements.txt"),
        "requests==2.30.0\nDjango==6.1.3\n",
    )
    .unwrap();

    // Before any download, `deps` says the database is missing.
    let doc = deps_json(cache.path(), &[proj.path().to_str().unwrap()]);
    assert!(
        doc["dependencies"]["notes"]
            .to_string()
            .contains("djguard db update")
    );

    // 1. First download.
    let out = db_update(cache.path(), &server, "/all.zip", "10");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("323 records"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert_eq!(
        std::fs::read(cache.path().join("osv-pypi.zip")).unwrap(),
        zip_bytes
    );
    let doc = deps_json(cache.path(), &[proj.path().to_str().unwrap()]);
    assert!(
        doc["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["package"]["name"] == "requests"),
        "{}",
        doc["findings"]
    );
    // The refreshed release list knows 6.1.4 (not the yanked 6.1.5 or the pre-release).
    let behind = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "DJG303")
        .expect("DJG303");
    assert!(
        behind["message"]
            .as_str()
            .unwrap()
            .contains("1 patch release(s) behind 6.1.4"),
        "{}",
        behind["message"]
    );

    // 2. Not modified: the validator is sent, the zip stays.
    let out = db_update(cache.path(), &server, "/all.zip", "10");
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("not modified"));
    let sent: Vec<_> = server
        .log
        .lock()
        .unwrap()
        .iter()
        .filter(|(_, p, _)| p == "/all.zip")
        .map(|(_, _, h)| h.clone())
        .collect();
    assert!(
        sent[1]
            .iter()
            .any(|(k, v)| k == "if-none-match" && v == "\"v1\"")
    );

    // 3. Truncated and 4. garbage downloads keep the old database and say so.
    for path in ["/truncated.zip", "/garbage.zip"] {
        let out = db_update(cache.path(), &server, path, "10");
        assert_eq!(out.status.code(), Some(2), "{path}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("kept the database downloaded"),
            "{path}: {err}"
        );
        assert!(
            err.contains(if path == "/truncated.zip" {
                "truncated"
            } else {
                "not a usable advisory zip"
            }) || err.contains("broke off"),
            "{path}: {err}"
        );
        assert_eq!(
            std::fs::read(cache.path().join("osv-pypi.zip")).unwrap(),
            zip_bytes,
            "{path}"
        );
        let parts: Vec<_> = std::fs::read_dir(cache.path())
            .unwrap()
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().ends_with(".part"))
            .collect();
        assert!(parts.is_empty(), "{path}: {parts:?}");
    }

    // 5. A server that never answers: the timeout ends it, the old database stays.
    let started = std::time::Instant::now();
    let out = db_update(cache.path(), &server, "/hang.zip", "1");
    assert_eq!(out.status.code(), Some(2));
    assert!(started.elapsed() < Duration::from_secs(20));
    let err = String::from_utf8_lossy(&out.stderr).to_ascii_lowercase();
    assert!(
        err.contains("timeout") || err.contains("timed out"),
        "{err}"
    );
    assert_eq!(
        std::fs::read(cache.path().join("osv-pypi.zip")).unwrap(),
        zip_bytes
    );
    let doc = deps_json(cache.path(), &[proj.path().to_str().unwrap()]);
    assert!(
        doc["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["package"]["name"] == "requests")
    );
}

/// `check` (and `deps`) with no database: the first run downloads it, the next run the same
/// day asks nothing, a day later one conditional request; `DJGUARD_OFFLINE`, a project with
/// only Django, and a server that is down or hangs.
#[test]
fn first_run_downloads_the_database_then_refreshes_daily() {
    let zipdir = tempfile::tempdir().unwrap();
    let zip_path = zipdir.path().join("all.zip");
    write_zip(&zip_path, &[], Some(&fixtures().join("pypa-subset/vulns")));
    let zip_bytes = std::fs::read(&zip_path).unwrap();
    let zb = zip_bytes.clone();
    let server = serve(move |req| match req.path.as_str() {
        "/all.zip" if header(req, "if-none-match") == Some("\"v1\"") => {
            Reply::Full(304, vec![], vec![])
        }
        "/all.zip" => Reply::Full(200, vec![("ETag".into(), "\"v1\"".into())], zb.clone()),
        "/hang.zip" => Reply::Hang,
        _ => Reply::Full(404, vec![], vec![]),
    });
    let zip_requests = |path: &str| {
        server
            .log
            .lock()
            .unwrap()
            .iter()
            .filter(|(_, p, _)| p == path)
            .map(|(_, _, h)| h.clone())
            .collect::<Vec<_>>()
    };
    let proj = tempfile::tempdir().unwrap();
    std::fs::write(
        proj.path().join("requirements.txt"),
        "requests==2.30.0\nDjango==6.1.3\n",
    )
    .unwrap();
    let cache = tempfile::tempdir().unwrap();
    let auto = |url: &str| {
        let mut c = djguard(cache.path());
        c.env_remove("DJGUARD_OFFLINE")
            .env("DJGUARD_ADVISORY_URL", url)
            .timeout(Duration::from_secs(60));
        c
    };
    let run = |mut c: Command, project: &Path| -> Value {
        let out = c
            .args(["deps", project.to_str().unwrap(), "--format", "json"])
            .output()
            .unwrap();
        assert!(out.status.code().is_some_and(|c| c <= 1), "{out:?}");
        serde_json::from_slice(&out.stdout).expect("json")
    };
    let has_requests = |doc: &Value| {
        doc["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["package"]["name"] == "requests")
    };
    let notes = |doc: &Value| doc["dependencies"]["notes"].to_string();
    let url = format!("{}/all.zip", server.url);

    // DJGUARD_OFFLINE=1 (the helper's default): nothing is asked, the note says what to do.
    let doc = run(djguard(cache.path()), proj.path());
    assert!(zip_requests("/all.zip").is_empty());
    assert!(notes(&doc).contains("djguard db update"), "{}", notes(&doc));
    // A project with only Django needs no database: nothing is asked either.
    let django_only = tempfile::tempdir().unwrap();
    std::fs::write(
        django_only.path().join("requirements.txt"),
        "Django==6.1.3\n",
    )
    .unwrap();
    run(auto(&url), django_only.path());
    assert!(zip_requests("/all.zip").is_empty());

    // 1. First run: downloaded, used in the same run, said once.
    let doc = run(auto(&url), proj.path());
    assert_eq!(zip_requests("/all.zip").len(), 1);
    assert!(has_requests(&doc), "{}", doc["findings"]);
    assert!(notes(&doc).contains("downloaded"), "{}", notes(&doc));
    assert_eq!(
        std::fs::read(cache.path().join("osv-pypi.zip")).unwrap(),
        zip_bytes
    );
    // 2. Again the same day: no request, same findings, no note about downloading.
    let again = run(auto(&url), proj.path());
    assert_eq!(zip_requests("/all.zip").len(), 1);
    assert_eq!(again["findings"], doc["findings"]);
    assert!(!notes(&again).contains("download"), "{}", notes(&again));
    // 3. Last checked two days ago: one conditional request, 304, the zip stays.
    let meta_path = cache.path().join("osv-pypi.meta.json");
    let mut meta: Value = serde_json::from_slice(&std::fs::read(&meta_path).unwrap()).unwrap();
    meta["checked"] = "2020-01-01T00:00:00Z".into();
    std::fs::write(&meta_path, meta.to_string()).unwrap();
    let refreshed = run(auto(&url), proj.path());
    let sent = zip_requests("/all.zip");
    assert_eq!(sent.len(), 2);
    assert!(
        sent[1]
            .iter()
            .any(|(k, v)| k == "if-none-match" && v == "\"v1\"")
    );
    assert_eq!(refreshed["findings"], doc["findings"]);
    let meta: Value = serde_json::from_slice(&std::fs::read(&meta_path).unwrap()).unwrap();
    assert_ne!(meta["checked"], "2020-01-01T00:00:00Z");

    // 4. The server is down (a closed port) or hangs, on a machine with no database: one
    //    note says so and what is used; the audit goes on with the built-in Django data.
    let closed = TcpListener::bind("127.0.0.1:0").unwrap();
    let down = format!("http://{}/all.zip", closed.local_addr().unwrap());
    drop(closed);
    for (url, why) in [
        (down.as_str(), "connect"),
        (&*format!("{}/hang.zip", server.url), "time"),
    ] {
        let empty = tempfile::tempdir().unwrap();
        let mut c = auto(url);
        c.env("DJGUARD_CACHE_DIR", empty.path());
        let doc = run(c, proj.path());
        let n = notes(&doc);
        assert!(
            n.contains("could not download the advisory database"),
            "{n}"
        );
        assert!(n.to_lowercase().contains(why), "{why}: {n}");
        assert!(n.contains("only the built-in Django advisories"), "{n}");
        assert!(!n.contains("run `djguard db update`"), "said twice: {n}");
        assert!(!empty.path().join("osv-pypi.zip").exists());
        assert!(
            doc["dependencies"]["sources"]
                .to_string()
                .contains("built-in Django"),
            "{}",
            doc["dependencies"]["sources"]
        );
        // The same day, the next run does not try again (a machine without network pays
        // once a day), and says so.
        let hangs_before = zip_requests("/hang.zip").len();
        let mut c = auto(url);
        c.env("DJGUARD_CACHE_DIR", empty.path());
        let n = notes(&run(c, proj.path()));
        assert!(n.contains("tries again tomorrow"), "{n}");
        assert_eq!(zip_requests("/hang.zip").len(), hangs_before);
    }
    // `--advisories` names the source: no download.
    let named = tempfile::tempdir().unwrap();
    let mut c = auto(&url);
    let before = zip_requests("/all.zip").len();
    let out = c
        .env("DJGUARD_CACHE_DIR", named.path())
        .args(["deps", proj.path().to_str().unwrap(), "--advisories"])
        .arg(fixtures().join("pypa-subset/vulns"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert_eq!(zip_requests("/all.zip").len(), before);

    // 5. The configuration key names the mirror when the variable does not.
    let configured = tempfile::tempdir().unwrap();
    std::fs::write(
        configured.path().join("requirements.txt"),
        "requests==2.30.0\n",
    )
    .unwrap();
    std::fs::write(
        configured.path().join("pyproject.toml"),
        format!(
            "[tool.djguard]\nadvisory-url = \"{}/all.zip?from=config\"\n",
            server.url
        ),
    )
    .unwrap();
    let empty = tempfile::tempdir().unwrap();
    let mut c = djguard(empty.path());
    c.env_remove("DJGUARD_OFFLINE")
        .timeout(Duration::from_secs(60));
    let out = c
        .current_dir(configured.path())
        .args(["check", ".", "--format", "json"])
        .output()
        .unwrap();
    assert!(out.status.code().is_some_and(|c| c <= 1), "{out:?}");
    assert_eq!(zip_requests("/all.zip?from=config").len(), 1);
}

#[test]
fn online_queries_the_osv_api_in_one_batch() {
    let requests_record =
        std::fs::read_to_string(fixtures().join("pypa-subset/vulns/requests/PYSEC-2023-74.yaml"))
            .unwrap();
    let as_json: Value = serde_yaml_ng::from_str(&requests_record).unwrap();
    let body = as_json.to_string();
    let server = serve(move |req| match (req.method.as_str(), req.path.as_str()) {
        ("POST", "/v1/querybatch") => {
            let q: Value = serde_json::from_slice(&req.body).unwrap();
            let results: Vec<Value> = q["queries"]
                .as_array()
                .unwrap()
                .iter()
                .map(|q| {
                    if q["package"]["name"] == "requests" && q["version"] == "2.30.0" {
                        serde_json::json!({"vulns": [{"id": "PYSEC-2023-74", "modified": "2023-06-01T00:00:00Z"}]})
                    } else {
                        serde_json::json!({})
                    }
                })
                .collect();
            Reply::Full(
                200,
                vec![],
                serde_json::json!({ "results": results })
                    .to_string()
                    .into_bytes(),
            )
        }
        ("GET", "/v1/vulns/PYSEC-2023-74") => Reply::Full(200, vec![], body.clone().into_bytes()),
        _ => Reply::Full(404, vec![], vec![]),
    });
    let cache = tempfile::tempdir().unwrap();
    let proj = tempfile::tempdir().unwrap();
    std::fs::write(
        proj.path().join("requirements.txt"),
        "requests==2.30.0\nidna==3.7\ncelery>=5\n",
    )
    .unwrap();
    let doc = deps_json(
        cache.path(),
        &[
            proj.path().to_str().unwrap(),
            "--online",
            "--osv-api",
            &server.url,
        ],
    );
    let f = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["package"]["name"] == "requests")
        .expect("requests finding");
    assert_eq!(f["package"]["advisories"][0]["id"], "CVE-2023-32681");
    let log = server.log.lock().unwrap();
    assert_eq!(log.iter().filter(|(m, _, _)| m == "POST").count(), 1);
    // Only exact pins are sent.
    assert!(!log.iter().any(|(_, p, _)| p.contains("celery")));

    // --offline wins over configuration and sends nothing.
    drop(log);
    let before = server.log.lock().unwrap().len();
    std::fs::write(proj.path().join("djguard.toml"), "online = true\n").unwrap();
    let _ = deps_json(
        cache.path(),
        &[
            proj.path().to_str().unwrap(),
            "--offline",
            "--osv-api",
            &server.url,
        ],
    );
    assert_eq!(server.log.lock().unwrap().len(), before);
}

#[test]
fn hostile_dependency_files_never_stop_the_audit() {
    let cache = tempfile::tempdir().unwrap();
    let proj = tempfile::tempdir().unwrap();
    let p = proj.path();
    std::fs::write(p.join("uv.lock"), b"\x00\x01\xff binary").unwrap();
    std::fs::write(p.join("poetry.lock"), "[[package]\nname = ").unwrap();
    std::fs::write(
        p.join("pdm.lock"),
        "[[package]]\nname = \"x\"\nversion = \"not a version\"\n",
    )
    .unwrap();
    std::fs::write(
        p.join("Pipfile.lock"),
        "{\"default\": {\"django\": {\"version\": \"==banana\"}}}",
    )
    .unwrap();
    std::fs::write(
        p.join("pylock.toml"),
        "lock-version = \"2.0\"\n[[packages]]\nname = \"django\"\nversion = \"4.2.7\"\n",
    )
    .unwrap();
    // A requirements file that includes itself, a missing file, and broken lines.
    std::fs::write(
        p.join("requirements.txt"),
        "-r requirements.txt\n-r missing.txt\n-c https://example.invalid/c.txt\ne-]\nDjango==4.2.7 \\\n",
    )
    .unwrap();
    // 12 MiB: over the size limit.
    std::fs::write(
        p.join("requirements-big.txt"),
        "a==1\n".repeat(3 * 1024 * 1024),
    )
    .unwrap();
    // Deep -r chain.
    let deep = p.join("requirements");
    std::fs::create_dir_all(&deep).unwrap();
    for i in 0..40 {
        std::fs::write(
            deep.join(format!("r{i}.txt")),
            format!("-r r{}.txt\npkg{i}==1.0\n", i + 1),
        )
        .unwrap();
    }
    let out = djguard(cache.path())
        .args(["deps", p.to_str().unwrap(), "--format", "json"])
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let errors = doc["errors"].to_string();
    for needle in [
        "uv.lock",
        "poetry.lock",
        "not a PEP 440 version",
        "banana",
        "missing.txt",
        "remote requirements",
        "limit",
        "nested deeper",
        "not a requirement pip accepts",
        "lock-version 2.0",
    ] {
        assert!(errors.contains(needle), "{needle} not in {errors}");
    }
    // The audit went on: Django from pylock.toml and requirements.txt is reported.
    assert!(
        doc["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["rule"] == "DJG304")
    );
    // Malformed advisories are diagnostics too.
    let adv = tempfile::tempdir().unwrap();
    std::fs::write(adv.path().join("a.json"), "{not json").unwrap();
    std::fs::write(adv.path().join("b.yaml"), "id: X\naffected:\n- package: {ecosystem: PyPI, name: django}\n  ranges:\n  - type: ECOSYSTEM\n    events:\n    - introduced: 0.2.0-n653\n    - fixed: 2019-09-12\n    - {}\n").unwrap();
    std::fs::write(adv.path().join("c.zip"), "PK\x03\x04 not really").unwrap();
    let out = djguard(cache.path())
        .args([
            "deps",
            p.to_str().unwrap(),
            "--format",
            "json",
            "--advisories",
            adv.path().to_str().unwrap(),
            "--advisories",
            adv.path().join("c.zip").to_str().unwrap(),
        ])
        .output()
        .unwrap();
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(doc["errors"].to_string().contains("not valid JSON"));
    assert!(doc["errors"].to_string().contains("not a readable zip"));
}
