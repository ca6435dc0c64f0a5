//! End-to-end tests of the `djguard` binary: commands, exit codes, JSON shape, configuration,
//! suppressions, hostile input, and the bundled example project.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

fn djguard() -> Command {
    let mut c = Command::cargo_bin("djguard").expect("binary built");
    c.env_remove("NO_COLOR");
    // No test reaches an outside host: no first-run advisory download.
    c.env("DJGUARD_OFFLINE", "1");
    c
}

fn write(root: &Path, rel: &str, text: impl AsRef<[u8]>) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
    std::fs::write(p, text).expect("write");
}

/// Run `check` with JSON output and return (exit code, document). Unless the caller selects
/// rules, only Django's checks and DJG001 run (the fixtures keep a literal SECRET_KEY, which
/// djguard's own DJG002 would report).
fn check_json(root: &Path, extra: &[&str]) -> (i32, Value) {
    let select: &[&str] = if extra.contains(&"--select") {
        &[]
    } else {
        &["--select", "security,DJG001"]
    };
    let out = djguard()
        .arg("check")
        .arg(root)
        .args(["--format", "json", "--no-config"])
        .args(select)
        .args(extra)
        .output()
        .expect("run");
    let doc: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)));
    (out.status.code().expect("exit code"), doc)
}

fn rules_of(doc: &Value) -> Vec<String> {
    let mut v: Vec<String> = doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| f["rule"].as_str().expect("rule").to_string())
        .collect();
    v.sort();
    v.dedup();
    v
}

const SECURE: &str = r#"
SECRET_KEY = "x7!k2#9fq-Lm4@Zp8&Rt1^Wc6*Vb3(Yn5)Hs0_Jd+Gu=Ka%Ee$Oi"
DEBUG = False
ALLOWED_HOSTS = ["example.com"]
INSTALLED_APPS = ["django.contrib.sessions"]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_SSL_REDIRECT = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
"#;

#[test]
fn version_and_help() {
    djguard()
        .arg("--version")
        .assert()
        .success()
        .stdout(predicates::str::contains(env!("CARGO_PKG_VERSION")));
    let help = djguard().arg("check").arg("--help").output().expect("run");
    let text = String::from_utf8_lossy(&help.stdout);
    for flag in [
        "--settings",
        "--django-version",
        "--format",
        "--select",
        "--fail-on",
        "--baseline",
    ] {
        assert!(text.contains(flag), "--help lacks {flag}");
    }
}

#[test]
fn rule_docs_and_unknown_rule() {
    let out = djguard()
        .args(["rule", "security.W004"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    for heading in [
        "## What it does",
        "## Why is this bad?",
        "## Example",
        "## Fix",
        "## References",
    ] {
        assert!(text.contains(heading), "missing {heading}");
    }
    djguard().args(["rule", "security.W999"]).assert().code(2);
}

#[test]
fn every_rule_is_documented_and_the_readme_table_is_current() {
    let out = djguard()
        .args(["rules", "--format", "json"])
        .output()
        .expect("run");
    let rules: Value = serde_json::from_slice(&out.stdout).expect("json");
    for r in rules.as_array().expect("list") {
        let id = r["id"].as_str().expect("id");
        let doc = djguard().args(["rule", id]).output().expect("run");
        let text = String::from_utf8_lossy(&doc.stdout);
        assert!(
            doc.status.success() && text.contains("## Fix") && !text.contains("TODO"),
            "{id} lacks complete docs"
        );
    }
    let table = djguard()
        .args(["rules", "--format", "markdown"])
        .output()
        .expect("run");
    let table = String::from_utf8_lossy(&table.stdout).to_string();
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../README.md"))
            .expect("README.md");
    assert!(
        readme.contains(&table),
        "README rule table is stale: regenerate it with `djguard rules --format markdown`"
    );
}

#[test]
fn secure_settings_exit_zero_and_insecure_exit_one() {
    let dir = tempfile::tempdir().expect("tmp");
    write(dir.path(), "settings.py", SECURE);
    let (code, doc) = check_json(
        dir.path(),
        &["--settings", "settings.py", "--django-version", "6.1"],
    );
    assert_eq!(code, 0, "{doc}");
    assert_eq!(rules_of(&doc), Vec::<String>::new());
    assert_eq!(doc["tool"]["name"], "djguard");

    write(
        dir.path(),
        "settings.py",
        format!("{SECURE}\nDEBUG = 'False'\n"),
    );
    let (code, doc) = check_json(
        dir.path(),
        &["--settings", "settings.py", "--django-version", "6.1"],
    );
    assert_eq!(code, 1);
    assert_eq!(rules_of(&doc), vec!["security.W018"]);
    let f = &doc["findings"][0];
    for key in [
        "rule",
        "severity",
        "confidence",
        "message",
        "path",
        "line",
        "column",
        "end_line",
        "end_column",
        "fix",
        "fingerprint",
    ] {
        assert!(!f[key].is_null(), "finding lacks {key}: {f}");
    }
    assert_eq!(f["path"], "settings.py");
    assert_eq!(f["line"], 19);
    assert_eq!(f["severity"], "high");
}

#[test]
fn fail_on_threshold() {
    let dir = tempfile::tempdir().expect("tmp");
    // Only a low-severity finding (W019).
    write(
        dir.path(),
        "settings.py",
        format!("{SECURE}\nX_FRAME_OPTIONS = 'SAMEORIGIN'\n"),
    );
    let (code, doc) = check_json(
        dir.path(),
        &["--settings", "settings.py", "--fail-on", "medium"],
    );
    assert_eq!(rules_of(&doc), vec!["security.W019"]);
    assert_eq!(code, 0);
    let (code, _) = check_json(
        dir.path(),
        &["--settings", "settings.py", "--fail-on", "low"],
    );
    assert_eq!(code, 1);
    djguard()
        .arg("check")
        .arg(dir.path())
        .args(["--fail-on", "severe"])
        .assert()
        .code(2);
}

#[test]
fn version_differences_are_honoured() {
    let dir = tempfile::tempdir().expect("tmp");
    write(
        dir.path(),
        "settings.py",
        format!("{SECURE}\nSESSION_COOKIE_SECURE = 1\nSECURE_CSP = 'default-src'\n"),
    );
    let (_, doc) = check_json(
        dir.path(),
        &["--settings", "settings.py", "--django-version", "4.0"],
    );
    assert_eq!(
        rules_of(&doc),
        Vec::<String>::new(),
        "4.0 tests truthiness and has no E026"
    );
    let (_, doc) = check_json(
        dir.path(),
        &["--settings", "settings.py", "--django-version", "5.2"],
    );
    assert_eq!(rules_of(&doc), vec!["security.W012"]);
    let (_, doc) = check_json(
        dir.path(),
        &["--settings", "settings.py", "--django-version", "6.0"],
    );
    assert_eq!(rules_of(&doc), vec!["security.E026", "security.W012"]);
}

#[test]
fn silenced_checks_and_inline_suppression() {
    let dir = tempfile::tempdir().expect("tmp");
    write(
        dir.path(),
        "settings.py",
        format!(
            "{SECURE}\nDEBUG = True\nALLOWED_HOSTS = []  # djguard: ignore[security.W020]\nSILENCED_SYSTEM_CHECKS = ['security.W018']\n"
        ),
    );
    let (code, doc) = check_json(dir.path(), &["--settings", "settings.py"]);
    assert_eq!(code, 0, "{doc}");
    assert_eq!(doc["summary"]["silenced"], 1);
    assert_eq!(doc["summary"]["suppressed"], 1);
}

#[test]
fn unknown_values_are_undecided_not_guessed() {
    let dir = tempfile::tempdir().expect("tmp");
    write(
        dir.path(),
        "settings.py",
        format!("{SECURE}\nimport os\nDEBUG = os.environ['DJANGO_DEBUG']\n"),
    );
    let (code, doc) = check_json(dir.path(), &["--settings", "settings.py"]);
    assert_eq!(code, 0);
    let undecided = doc["undecided"].as_array().expect("undecided");
    assert_eq!(undecided.len(), 1, "{doc}");
    assert_eq!(undecided[0]["rule"], "security.W018");
    assert!(
        undecided[0]["reason"]
            .as_str()
            .expect("reason")
            .contains("DJANGO_DEBUG")
    );

    // Given the deployment's value, the check is decided and says what it assumed.
    let (code, doc) = check_json(
        dir.path(),
        &["--settings", "settings.py", "--env", "DJANGO_DEBUG=1"],
    );
    assert_eq!(code, 1);
    assert_eq!(rules_of(&doc), vec!["security.W018"]);
    assert_eq!(doc["findings"][0]["environment"][0]["var"], "DJANGO_DEBUG");
    assert_eq!(doc["findings"][0]["environment"][0]["provided"], true);
    write(dir.path(), "prod.env", "# production\nDJANGO_DEBUG=\n");
    let (code, doc) = check_json(
        dir.path(),
        &[
            "--settings",
            "settings.py",
            "--env-file",
            dir.path().join("prod.env").to_str().expect("utf8"),
        ],
    );
    assert_eq!(
        (code, rules_of(&doc)),
        (0, vec![]),
        "an empty string is false"
    );
    djguard()
        .arg("check")
        .arg(dir.path())
        .args(["--env", "NOEQUALS"])
        .assert()
        .code(2);
    djguard()
        .arg("check")
        .arg(dir.path())
        .args(["--env-file", "/nonexistent.env"])
        .assert()
        .code(2);
}

#[test]
fn configuration_file_and_unknown_keys() {
    let dir = tempfile::tempdir().expect("tmp");
    write(
        dir.path(),
        "conf/settings.py",
        format!("{SECURE}\nDEBUG = True\nX_FRAME_OPTIONS = 'SAMEORIGIN'\n"),
    );
    write(
        dir.path(),
        "pyproject.toml",
        "[project]\nname = 'x'\n[tool.djguard]\nsettings = 'conf/settings.py'\nignore = ['security.W019']\nselect = ['security']\n",
    );
    let out = djguard()
        .arg("check")
        .arg(dir.path())
        .args(["--format", "json"])
        .output()
        .expect("run");
    let doc: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(rules_of(&doc), vec!["security.W018"]);

    write(
        dir.path(),
        "pyproject.toml",
        "[tool.djguard]\nsettngs = 'conf/settings.py'\n",
    );
    let out = djguard()
        .arg("check")
        .arg(dir.path())
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("settngs"));

    djguard()
        .arg("check")
        .arg(dir.path())
        .args(["--no-config", "--select", "security.W999"])
        .assert()
        .code(2);
    djguard()
        .arg("check")
        .arg(dir.path().join("missing"))
        .assert()
        .code(2);
}

#[test]
fn bad_files_are_errors_and_the_scan_goes_on() {
    let dir = tempfile::tempdir().expect("tmp");
    write(
        dir.path(),
        "settings.py",
        format!("{SECURE}\nDEBUG = True\n"),
    );
    write(dir.path(), "broken_syntax.py", "def f(:\n    pass\n");
    write(dir.path(), "latin.py", b"NAME = '\xe9t\xe9'\n");
    write(dir.path(), "nul.py", b"A = 1\0\0\n");
    let mut huge = Vec::with_capacity(21 * 1024 * 1024);
    while huge.len() < 20 * 1024 * 1024 {
        huge.extend_from_slice(b"VALUE_0123456789 = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]\n");
    }
    write(dir.path(), "huge.py", &huge);
    write(
        dir.path(),
        "deep.py",
        format!("X = {}1{}\n", "(".repeat(100_000), ")".repeat(100_000)),
    );
    let (code, doc) = check_json(dir.path(), &["--settings", "settings.py"]);
    assert_eq!(code, 1);
    assert_eq!(rules_of(&doc), vec!["security.W018"]);
    let errors: Vec<(String, String)> = doc["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| {
            (
                e["path"].as_str().unwrap_or("").to_string(),
                e["message"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    let paths: Vec<&str> = errors.iter().map(|(p, _)| p.as_str()).collect();
    for bad in ["broken_syntax.py", "huge.py", "latin.py", "nul.py"] {
        assert!(paths.contains(&bad), "{bad} not reported: {errors:?}");
    }
    assert!(
        errors
            .iter()
            .any(|(p, m)| p == "broken_syntax.py" && m.contains("syntax error"))
    );
    assert!(
        errors
            .iter()
            .any(|(p, m)| p == "nul.py" && m.contains("NUL"))
    );
}

#[test]
fn discovers_production_settings_and_points_into_base() {
    let dir = tempfile::tempdir().expect("tmp");
    let root = dir.path();
    write(
        root,
        "manage.py",
        "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'proj.settings.dev')\n",
    );
    write(root, "proj/__init__.py", "");
    write(
        root,
        "proj/wsgi.py",
        "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'proj.settings.production')\n",
    );
    write(root, "proj/settings/__init__.py", "");
    write(
        root,
        "proj/settings/base.py",
        SECURE.replace("DEBUG = False", "DEBUG = True"),
    );
    write(root, "proj/settings/dev.py", "from .base import *\n");
    write(
        root,
        "proj/settings/production.py",
        "from .base import *\nSECURE_HSTS_PRELOAD = False\n",
    );
    let (_, doc) = check_json(root, &[]);
    assert_eq!(rules_of(&doc), vec!["security.W018", "security.W021"]);
    let debug = doc["findings"]
        .as_array()
        .expect("list")
        .iter()
        .find(|f| f["rule"] == "security.W018")
        .expect("W018");
    assert_eq!(debug["path"], "proj/settings/base.py");
    assert_eq!(debug["settings_module"], "proj.settings.production");
    let settings = doc["summary"]["settings"].as_array().expect("settings");
    assert_eq!(settings.len(), 1);
    assert_eq!(settings[0]["module"], "proj.settings.production");
}

#[test]
fn baseline_round_trip() {
    let dir = tempfile::tempdir().expect("tmp");
    write(
        dir.path(),
        "settings.py",
        format!("{SECURE}\nDEBUG = True\n"),
    );
    let baseline = dir.path().join("baseline.json");
    let (code, _) = check_json(
        dir.path(),
        &[
            "--settings",
            "settings.py",
            "--write-baseline",
            baseline.to_str().expect("utf8"),
        ],
    );
    assert_eq!(code, 1);
    // Unrelated edits that move the line keep the fingerprint.
    write(
        dir.path(),
        "settings.py",
        format!("# a comment\n\n{SECURE}\nDEBUG = True\n"),
    );
    let (code, doc) = check_json(
        dir.path(),
        &[
            "--settings",
            "settings.py",
            "--baseline",
            baseline.to_str().expect("utf8"),
        ],
    );
    assert_eq!(code, 0, "{doc}");
}

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The example project's expected IDs were produced by the real Django with DJANGO_DEBUG
/// unset (see examples/mysite/README.md): djguard must report exactly them, and say that the
/// DEBUG finding holds when DJANGO_DEBUG is unset.
#[test]
fn example_project_matches_django() {
    let expected: Vec<String> =
        std::fs::read_to_string(repo_root().join("examples/mysite/EXPECTED_DEPLOY_CHECK.txt"))
            .expect("expected file")
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .map(|l| l.trim().to_string())
            .collect();
    let (code, doc) = check_json(
        &repo_root().join("examples/mysite"),
        &["--select", "django"],
    );
    assert_eq!(code, 1);
    assert_eq!(rules_of(&doc), expected);
    assert_eq!(doc["undecided"], serde_json::json!([]));
    let debug = doc["findings"]
        .as_array()
        .expect("list")
        .iter()
        .find(|f| f["rule"] == "security.W018")
        .expect("W018");
    assert!(
        debug["message"]
            .as_str()
            .expect("msg")
            .starts_with("When DJANGO_DEBUG is unset")
    );
    assert_eq!(debug["path"], "mysite/settings/production.py");
}

#[test]
fn discovery_skips_ignored_vendored_and_excluded_files() {
    let dir = tempfile::tempdir().expect("tmp");
    let root = dir.path();
    write(root, "proj/__init__.py", "");
    write(
        root,
        "proj/settings.py",
        format!("{SECURE}\nDEBUG = True\n"),
    );
    let broken = "def broken(:\n";
    write(root, ".gitignore", "generated/\n");
    write(root, "generated/out.py", broken);
    write(root, "env/pyvenv.cfg", "home = /usr/bin\n");
    write(root, "env/lib/python3.12/site-packages/pkg/mod.py", broken);
    write(root, "node_modules/x/y.py", broken);
    write(root, "build/lib/z.py", broken);
    write(root, "legacy/old.py", broken);
    write(root, "kept.py", broken);
    let (_, doc) = check_json(
        root,
        &["--settings", "proj.settings", "--exclude", "legacy"],
    );
    assert_eq!(
        rules_of(&doc),
        vec!["security.W018"],
        "--settings accepts a dotted module"
    );
    let paths: Vec<&str> = doc["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .filter_map(|e| e["path"].as_str())
        .collect();
    assert_eq!(
        paths,
        vec!["kept.py"],
        "only the file nothing excludes is parsed"
    );
}

#[test]
fn settings_django_refuses_to_load_are_reported_instead_of_checks() {
    let dir = tempfile::tempdir().expect("tmp");
    write(
        dir.path(),
        "settings.py",
        format!("{SECURE}\nDEBUG = True\nALLOWED_HOSTS = 'example.com,www.example.com'\n"),
    );
    let (code, doc) = check_json(dir.path(), &["--settings", "settings.py"]);
    assert_eq!(code, 1);
    assert_eq!(
        rules_of(&doc),
        vec!["DJG001"],
        "Django would stop before any security check"
    );
    assert_eq!(
        doc["findings"][0]["line"], 20,
        "points at the ALLOWED_HOSTS assignment"
    );
    assert!(
        doc["findings"][0]["message"]
            .as_str()
            .expect("message")
            .contains("must be a list or a tuple")
    );
}

#[test]
fn text_mode_reports_unreadable_files_on_stderr() {
    let dir = tempfile::tempdir().expect("tmp");
    write(
        dir.path(),
        "settings.py",
        format!("{SECURE}\nDEBUG = True\n"),
    );
    write(dir.path(), "nul.py", b"A = 1\0\n");
    let out = djguard()
        .arg("check")
        .arg(dir.path())
        .args([
            "--settings",
            "settings.py",
            "--no-config",
            "--color",
            "never",
        ])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stdout.contains("security.W018") && stdout.contains("--> settings.py:19:1"),
        "{stdout}"
    );
    assert!(stdout.contains("fix: "), "text output shows the fix");
    assert!(
        stderr.contains("nul.py") && stderr.contains("NUL"),
        "{stderr}"
    );
    assert!(!stdout.contains("NUL bytes"));
}

/// One project per environment library, with split settings and a condition on the
/// environment: findings with and without `--env`. A `local.py` star import that is not in the
/// project (made at deployment, or a developer's file) may set any setting: the checks are then
/// undecided, naming the import.
#[test]
fn environment_libraries_in_split_settings() {
    let readers = [
        (
            "os",
            "import os\nDEBUG = os.environ.get('DJANGO_DEBUG', 'true') == 'true'\n",
        ),
        (
            "django-environ",
            "import environ\nenv = environ.Env(DJANGO_DEBUG=(bool, True))\nDEBUG = env('DJANGO_DEBUG')\n",
        ),
        (
            "decouple",
            "from decouple import config\nDEBUG = config('DJANGO_DEBUG', default=True, cast=bool)\n",
        ),
        (
            "environs",
            "from environs import Env\nenv = Env()\nDEBUG = env.bool('DJANGO_DEBUG', default=True)\n",
        ),
    ];
    for (library, reader) in readers {
        let dir = tempfile::tempdir().expect("tmp");
        let root = dir.path();
        write(root, "proj/__init__.py", "");
        write(root, "proj/settings/__init__.py", "");
        write(
            root,
            "proj/settings/base.py",
            format!("{SECURE}\n{reader}\nif DEBUG:\n    ALLOWED_HOSTS = ['*']\n"),
        );
        write(root, "proj/settings/production.py", "from .base import *\n");
        write(
            root,
            "proj/wsgi.py",
            "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'proj.settings.production')\n",
        );
        // Variable unset: the library default (True) applies, and the `if DEBUG:` branch runs.
        let (_, doc) = check_json(root, &["--select", "security,DJG003,DJG004"]);
        assert_eq!(
            rules_of(&doc),
            vec!["DJG003", "DJG004", "security.W018"],
            "{library}: {doc}"
        );
        let w018 = doc["findings"]
            .as_array()
            .expect("list")
            .iter()
            .find(|f| f["rule"] == "security.W018")
            .expect("W018");
        assert!(
            w018["message"]
                .as_str()
                .expect("msg")
                .starts_with("When DJANGO_DEBUG is unset"),
            "{library}"
        );
        assert_eq!(w018["path"], "proj/settings/base.py", "{library}");
        let hosts = doc["findings"]
            .as_array()
            .expect("list")
            .iter()
            .find(|f| f["rule"] == "DJG004")
            .expect("DJG004");
        assert!(
            hosts["message"]
                .as_str()
                .expect("msg")
                .starts_with("When DJANGO_DEBUG is unset"),
            "{library}: the branch depends on the variable"
        );
        // The deployment's view: DEBUG off, the branch does not run.
        let (code, doc) = check_json(
            root,
            &[
                "--select",
                "security,DJG003,DJG004",
                "--env",
                "DJANGO_DEBUG=false",
            ],
        );
        assert_eq!((code, rules_of(&doc)), (0, vec![]), "{library}: {doc}");
        // An optional local module that is not in the project: undecided, with the reason.
        write(
            root,
            "proj/settings/production.py",
            "from .base import *\ntry:\n    from .local import *\nexcept ImportError:\n    pass\n",
        );
        let (_, doc) = check_json(root, &["--select", "security,DJG003,DJG004"]);
        assert_eq!(rules_of(&doc), Vec::<String>::new(), "{library}: {doc}");
        let hosts = doc["undecided"]
            .as_array()
            .expect("list")
            .iter()
            .find(|u| u["rule"] == "DJG004")
            .expect("DJG004 undecided");
        assert!(
            hosts["reason"]
                .as_str()
                .expect("reason")
                .contains("`from .local import *` (proj/settings/production.py:3)"),
            "{library}: {hosts}"
        );
    }
}

#[test]
fn low_confidence_findings_are_counted_but_listed_only_on_request() {
    let dir = tempfile::tempdir().expect("tmp");
    // A formatted query with no request source (low) next to a proven flow (high).
    write(
        dir.path(),
        "shop/reports.py",
        "from django.db import connection\n\ndef count(table):\n    with connection.cursor() as c:\n        c.execute(\"SELECT COUNT(*) FROM %s\" % table)\n",
    );
    write(
        dir.path(),
        "shop/views.py",
        "from django.db import connection\n\ndef search(request):\n    q = request.GET['q']\n    with connection.cursor() as c:\n        c.execute(f\"SELECT * FROM p WHERE name = '{q}'\")\n",
    );
    let (code, doc) = check_json(dir.path(), &["--select", "DJG101"]);
    assert_eq!(code, 1);
    let findings = doc["findings"].as_array().expect("findings");
    assert_eq!(findings.len(), 1, "{doc}");
    assert_eq!(findings[0]["confidence"], "high");
    assert_eq!(findings[0]["path"], "shop/views.py");
    let flow = findings[0]["flow"].as_array().expect("flow");
    assert_eq!(
        flow.first().expect("source")["description"],
        "request.GET['q']"
    );
    assert_eq!(flow.last().expect("sink")["line"], 6);
    assert_eq!(doc["summary"]["below_confidence"], 1);

    let (_, all) = check_json(
        dir.path(),
        &["--select", "DJG101", "--min-confidence", "low"],
    );
    let low: Vec<&Value> = all["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["confidence"] == "low")
        .collect();
    assert_eq!(low.len(), 1, "{all}");
    // Unproven reports are one severity step below the rule's.
    assert_eq!(low[0]["severity"], "medium");
    assert_eq!(all["summary"]["below_confidence"], 0);

    let text = djguard()
        .arg("check")
        .arg(dir.path())
        .args(["--select", "DJG101", "--no-config", "--color", "never"])
        .output()
        .expect("run");
    let out = String::from_utf8_lossy(&text.stdout);
    assert!(
        out.contains("1 low-confidence finding(s) not shown"),
        "{out}"
    );
}

#[test]
fn hostile_code_does_not_stop_or_stall_the_code_audit() {
    let dir = tempfile::tempdir().expect("tmp");
    // A planted flaw that must still be found next to the hostile files.
    write(
        dir.path(),
        "app/views.py",
        "from django.utils.safestring import mark_safe\n\ndef greet(request):\n    return mark_safe(request.GET['name'])\n",
    );
    // 40 nested loops (an analysis that re-walks each loop body would never finish).
    let mut nested = String::from("def view(request):\n    q = request.GET['q']\n");
    for depth in 0..40 {
        nested.push_str(&format!("{}for i{depth} in q:\n", "    ".repeat(depth + 1)));
    }
    nested.push_str(&format!("{}q = q + i0\n", "    ".repeat(41)));
    write(dir.path(), "app/loops.py", nested);
    // 3,000 nested ifs and a 600 KB dict literal.
    let mut ifs = String::from("def view(request):\n    x = request.GET['x']\n");
    for depth in 0..3000 {
        ifs.push_str(&format!("{}if x:\n", " ".repeat(depth + 4)));
    }
    ifs.push_str(&format!("{}eval(x)\n", " ".repeat(3004)));
    write(dir.path(), "app/ifs.py", ifs);
    let mut dict = String::from("DATA = {\n");
    for i in 0..20_000 {
        dict.push_str(&format!("    'key{i}': ['value', {i}, {{'n': {i}}}],\n"));
    }
    dict.push_str("}\n");
    write(dir.path(), "app/data.py", dict);
    // 20,000 names then 20,000 `if`s in one function (copying the scope at each branch would
    // be quadratic), and `%`-formatting nested 40 deep (evaluating twice would be exponential).
    let mut wide = String::from("def view(request):\n");
    for i in 0..20_000 {
        wide.push_str(&format!("    v{i} = request.GET.get('k{i}')\n"));
    }
    for i in 0..20_000 {
        wide.push_str(&format!("    if v{i}:\n        v{i} = ''\n"));
    }
    write(dir.path(), "app/wide.py", wide);
    // A context dict with 20,000 keys, each set in a branch and merged into itself, rendered
    // by a template that includes and extends itself.
    let mut ctx =
        String::from("from django.shortcuts import render\n\ndef page(request):\n    ctx = {}\n");
    for i in 0..20_000 {
        ctx.push_str(&format!(
            "    if request.GET.get('k{i}'):\n        ctx['k{i}'] = request.GET['k{i}']\n        ctx.update(ctx)\n"
        ));
    }
    ctx.push_str("    return render(request, 'app/loop.html', {**ctx, **ctx})\n");
    write(dir.path(), "app/context.py", ctx);
    write(
        dir.path(),
        "app/templates/app/loop.html",
        "{% extends 'app/loop.html' %}{% include 'app/loop.html' %}<form method=post>{% block b %}{% include 'app/loop.html' %}{% endblock %}</form>",
    );
    write(
        dir.path(),
        "app/percent.py",
        format!(
            "def f(request):\n    x = {}request.GET['q']{}\n",
            "'%s' % (".repeat(40),
            ",)".repeat(40)
        ),
    );
    write(dir.path(), "app/binary.py", b"\x00\x01\x02\xff\xfe");
    write(
        dir.path(),
        "app/deep.py",
        format!("X = {}1{}\n", "(".repeat(100_000), ")".repeat(100_000)),
    );
    let (code, doc) = check_json(dir.path(), &["--select", "DJG1", "--min-confidence", "low"]);
    assert_eq!(code, 1, "{doc}");
    let found: Vec<(String, String)> = doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap_or("").to_string(),
                f["path"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    assert!(
        found.contains(&("DJG102".to_string(), "app/views.py".to_string())),
        "{found:?}"
    );
    let errors: Vec<&str> = doc["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .filter_map(|e| e["path"].as_str())
        .collect();
    assert!(errors.contains(&"app/binary.py"), "{errors:?}");
}

#[test]
fn output_files_are_written_beside_the_terminal_report() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().join("p");
    write(&root, "settings.py", format!("{SECURE}\nDEBUG = 'False'\n"));
    let sarif = dir.path().join("out.sarif");
    let junit = dir.path().join("out.xml");
    let out = djguard()
        .arg("check")
        .arg(&root)
        .args(["--no-config", "--select", "security", "--format", "json"])
        .args(["--settings", "settings.py", "--django-version", "6.1"])
        .arg("--output")
        .arg(format!("sarif={}", sarif.display()))
        .arg("--output")
        .arg(format!("junit={}", junit.display()))
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    let doc: Value = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
    let n = doc["findings"].as_array().expect("findings").len();
    assert!(n > 0);
    let s: Value = serde_json::from_str(&std::fs::read_to_string(&sarif).expect("sarif written"))
        .expect("SARIF is JSON");
    assert_eq!(s["version"], "2.1.0");
    assert_eq!(
        s["runs"][0]["results"].as_array().expect("results").len(),
        n
    );
    let x = std::fs::read_to_string(&junit).expect("junit written");
    assert_eq!(x.matches("<failure ").count(), n);
}

#[test]
fn a_bad_output_spec_is_a_usage_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    for (spec, says) in [
        ("sarif", "expected FORMAT=FILE"),
        ("xml=a.xml", "`xml` is not an output format"),
        ("sarif=", "no file after `=`"),
    ] {
        let out = djguard()
            .arg("check")
            .arg(dir.path())
            .args(["--no-config", "--output", spec])
            .output()
            .expect("run");
        assert_eq!(out.status.code(), Some(2), "{spec}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(says), "{spec}: {err}");
    }
    // A missing folder is created; a path through a file cannot be written (usage error).
    let nested = dir.path().join("reports/ci/a.sarif");
    let out = djguard()
        .arg("check")
        .arg(dir.path())
        .args(["--no-config", "--output"])
        .arg(format!("sarif={}", nested.display()))
        .output()
        .expect("run");
    assert!(out.status.code().is_some_and(|c| c <= 1), "{out:?}");
    assert!(std::fs::read_to_string(&nested).is_ok_and(|t| t.contains("\"2.1.0\"")));
    std::fs::write(dir.path().join("plain.txt"), "x").expect("write");
    let out = djguard()
        .arg("check")
        .arg(dir.path())
        .args(["--no-config", "--output"])
        .arg(format!(
            "sarif={}",
            dir.path().join("plain.txt/a.sarif").display()
        ))
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot write --output"));
}

#[test]
fn init_writes_a_configuration_and_a_baseline_that_quiets_known_findings() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().join("p");
    write(
        &root,
        "manage.py",
        "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site1.settings')\n",
    );
    write(&root, "site1/__init__.py", "");
    write(
        &root,
        "site1/settings.py",
        "DEBUG = True\nSECRET_KEY = 'abc'\n",
    );
    let original = "[project]\nname = \"p\"  # kept as written\n";
    write(&root, "pyproject.toml", original);

    let out = djguard()
        .arg("init")
        .arg(&root)
        .arg("--baseline")
        .output()
        .expect("run");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(root.join("pyproject.toml")).expect("pyproject");
    assert!(text.starts_with(original), "{text}");
    assert!(text.contains("[tool.djguard]\n"));
    assert!(text.contains("settings = [\"site1.settings\"]"), "{text}");
    assert!(root.join("djguard-baseline.json").is_file());

    // From another folder: the configuration and its baseline are found, nothing is new.
    let out = djguard()
        .current_dir(dir.path())
        .arg("check")
        .arg(&root)
        .output()
        .expect("run");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    // A new problem is reported.
    write(
        &root,
        "site1/settings.py",
        "DEBUG = True\nSECRET_KEY = 'abc'\nALLOWED_HOSTS = ['*']\nSESSION_COOKIE_SECURE = 'no'\n",
    );
    let out = djguard()
        .arg("check")
        .arg(&root)
        .args(["--format", "json"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));

    // A second init refuses, and leaves the file alone.
    let out = djguard().arg("init").arg(&root).output().expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("already has a [tool.djguard] section"));
    assert_eq!(
        std::fs::read_to_string(root.join("pyproject.toml")).expect("read"),
        text
    );
}

#[test]
fn init_without_pyproject_writes_djguard_toml_and_rejects_broken_toml() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = djguard().arg("init").arg(dir.path()).output().expect("run");
    assert_eq!(out.status.code(), Some(0));
    let text = std::fs::read_to_string(dir.path().join("djguard.toml")).expect("djguard.toml");
    assert!(!text.contains("[tool.djguard]"));
    assert!(
        text.contains("# settings = "),
        "no module found, so an example: {text}"
    );
    let out = djguard().arg("init").arg(dir.path()).output().expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("djguard.toml already exists"));

    let other = tempfile::tempdir().expect("tempdir");
    write(other.path(), "pyproject.toml", "[project\nname=");
    let out = djguard()
        .arg("init")
        .arg(other.path())
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is not valid TOML"));
}

/// Run from a repository's top on a project in a subfolder, the machine formats give paths
/// from the repository's top (what GitHub and GitLab resolve); run from the project, as is.
#[test]
fn machine_formats_give_paths_from_the_folder_djguard_runs_in() {
    let repo = tempfile::tempdir().expect("tempdir");
    let site = repo.path().join("backend");
    std::fs::create_dir_all(site.join("app")).expect("mkdir");
    std::fs::write(
        site.join("app/views.py"),
        "from django.db import connection\n\ndef v(request):\n    connection.cursor().execute(f\"SELECT {request.GET['q']}\")\n",
    )
    .expect("write");
    let run = |cwd: &std::path::Path, target: &str, format: &str| {
        let out = djguard()
            .current_dir(cwd)
            .args(["check", target, "--no-config", "--format", format])
            .output()
            .expect("run");
        assert_eq!(out.status.code(), Some(1), "{out:?}");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let sarif: serde_json::Value =
        serde_json::from_str(&run(repo.path(), "backend", "sarif")).expect("sarif");
    let run0 = &sarif["runs"][0];
    assert_eq!(
        run0["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "backend/app/views.py"
    );
    let base = run0["originalUriBaseIds"]["%SRCROOT%"]["uri"]
        .as_str()
        .expect("base");
    assert!(
        base.starts_with("file://") && !base.contains("backend"),
        "{base}"
    );
    assert!(run(repo.path(), "backend", "github").contains("file=backend/app/views.py,"));
    assert!(run(repo.path(), "backend", "gitlab").contains("\"path\": \"backend/app/views.py\""));
    // From the project's own folder: no prefix.
    let sarif: serde_json::Value = serde_json::from_str(&run(&site, ".", "sarif")).expect("sarif");
    assert_eq!(
        sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "app/views.py"
    );
}
