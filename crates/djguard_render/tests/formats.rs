//! The machine formats on hand-made findings: hostile text is escaped for each consumer, live
//! findings (located by URL) render, the Markdown comment stays under its limit, and the
//! order is the contract's. The real-run checks (SARIF schema, Microsoft's multitool, every
//! kind of finding) are in `tests/formats/run.py`.

use djguard_core::finding::{Confidence, Evidence, Finding, FlowStep, Severity};
use djguard_core::report::FileError;
use djguard_core::rule::RuleMeta;
use djguard_render::{Run, github, gitlab, junit, markdown, sarif};

static SQL: RuleMeta = RuleMeta {
    id: "DJG101",
    title: "SQL injection",
    severity: Severity::Critical,
    cwe: Some(89),
    groups: &["code"],
};
static HSTS: RuleMeta = RuleMeta {
    id: "DJG404",
    title: "No HSTS",
    severity: Severity::Medium,
    cwe: Some(319),
    groups: &["live"],
};

const HOSTILE: &str = "<script>alert(1)</script> 100%, a:b\r\nnext & \"q\" 'a' \u{1}";

fn findings() -> Vec<Finding> {
    let mut code = Finding::new(&SQL, "app/<x>,a:b%.py", "k", Confidence::High);
    code.message = HOSTILE.to_string();
    code.fix = "Use params.".into();
    code.source_line = "c.execute(f\"...{q}\")".into();
    if let Some(s) = code.span_mut() {
        (s.line, s.column, s.end_line, s.end_column) = (7, 5, 7, 30);
    }
    code.flow = vec![FlowStep {
        path: "app/<x>,a:b%.py".into(),
        line: 5,
        column: 9,
        description: "request.GET['q']".into(),
    }];
    let mut live = Finding::at_url(
        &HSTS,
        "https://example.test/<p>".into(),
        "fp-live".into(),
        Confidence::High,
    );
    live.message = "No Strict-Transport-Security.".into();
    live.evidence = Some(Box::new(Evidence {
        request: "GET https://example.test/".into(),
        status: Some(200),
        headers: vec![("server".into(), "<b>".into())],
        detail: None,
    }));
    vec![live, code]
}

fn docs(id: &str) -> Option<&'static str> {
    (id == "DJG101").then_some(
        "# DJG101: SQL injection\n\n## What it does\n\nFinds SQL built from request data.\n",
    )
}

fn run<'a>(f: &'a [Finding], errors: &'a [FileError]) -> Run<'a> {
    Run::new("check", f, errors, &docs)
}

#[test]
fn github_commands_escape_data_and_properties() {
    let f = findings();
    let errors = [FileError {
        path: "bad\n.py".into(),
        line: Some(3),
        column: None,
        message: "not UTF-8: 100%".into(),
    }];
    let out = github::render(&run(&f, &errors));
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3, "{out}");
    // Sorted by path: the code finding's path sorts before the URL.
    assert!(
        lines[0].starts_with("::error file=app/<x>%2Ca%3Ab%25.py,line=7,col=5,endLine=7,endColumn=30,title=DJG101 SQL injection::"),
        "{}",
        lines[0]
    );
    assert!(lines[0].contains("100%25, a:b%0D%0Anext"), "{}", lines[0]);
    assert!(lines[1].starts_with("::warning title=DJG404 No HSTS::https://example.test/<p>: "));
    assert_eq!(
        lines[2],
        "::warning file=bad%0A.py,line=3,title=djguard could not read this file::not UTF-8: 100%25"
    );
}

#[test]
fn junit_is_escaped_xml_with_one_failure_per_finding() {
    let f = findings();
    let out = junit::render(&run(&f, &[]));
    assert!(out.contains("name=\"app/&lt;x&gt;,a:b%.py\""), "{out}");
    assert!(out.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(out.contains("&amp; &quot;q&quot; &apos;a&apos; \u{FFFD}"));
    assert!(!out.contains('\u{1}'));
    assert_eq!(out.matches("<failure ").count(), 2);
    assert!(out.contains("failures=\"2\""));
}

#[test]
fn gitlab_locates_live_findings_by_url() {
    let f = findings();
    let v: serde_json::Value = serde_json::from_str(&gitlab::render(&run(&f, &[]))).expect("JSON");
    let issues = v.as_array().expect("an array");
    assert_eq!(issues.len(), 2);
    assert_eq!(issues[0]["severity"], "blocker");
    assert_eq!(issues[0]["location"]["lines"]["begin"], 7);
    assert_eq!(issues[1]["location"]["path"], "https://example.test/<p>");
    assert_eq!(issues[1]["fingerprint"], "fp-live");
}

#[test]
fn sarif_has_flows_fingerprints_cwe_and_logical_locations() {
    let f = findings();
    let v: serde_json::Value = serde_json::from_str(&sarif::render(&run(&f, &[]))).expect("JSON");
    let run = &v["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    assert_eq!(rules.len(), 2);
    assert_eq!(rules[0]["id"], "DJG101");
    assert_eq!(rules[0]["name"], "SQLInjection");
    assert_eq!(
        rules[0]["fullDescription"]["text"],
        "Finds SQL built from request data."
    );
    assert_eq!(rules[0]["properties"]["security-severity"], "9.5");
    assert!(
        rules[0]["properties"]["tags"]
            .as_array()
            .expect("tags")
            .iter()
            .any(|t| t == "external/cwe/cwe-089")
    );
    assert_eq!(rules[0]["relationships"][0]["target"]["id"], "89");
    assert!(rules[1].get("help").is_none(), "no documentation, no help");
    let results = run["results"].as_array().expect("results");
    let code = &results[0];
    assert_eq!(code["ruleIndex"], 0);
    assert_eq!(
        code["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "app/%3Cx%3E%2Ca%3Ab%25.py"
    );
    assert_eq!(
        code["codeFlows"][0]["threadFlows"][0]["locations"][0]["location"]["message"]["text"],
        "request.GET['q']"
    );
    assert_eq!(
        code["partialFingerprints"]["djguardFingerprint/v1"],
        f[1].fingerprint.as_str()
    );
    let live = &results[1];
    assert_eq!(
        live["locations"][0]["logicalLocations"][0]["fullyQualifiedName"],
        "https://example.test/<p>"
    );
    assert_eq!(live["properties"]["evidence"]["headers"][0][1], "<b>");
    assert_eq!(
        run["taxonomies"][0]["taxa"].as_array().expect("taxa").len(),
        2
    );
}

#[test]
fn markdown_escapes_and_stays_under_its_limit() {
    let f = findings();
    let out = markdown::render(&run(&f, &[]));
    assert!(out.contains("&lt;script&gt;"), "{out}");
    assert!(!out.contains("<script"));
    assert!(out.contains("| critical | 1 |"));
    let many: Vec<Finding> = (0..2000)
        .map(|i| {
            let mut x = Finding::new(&SQL, &format!("app/f{i}.py"), "k", Confidence::High);
            x.message = "m".repeat(100);
            x
        })
        .collect();
    let out = markdown::render_limited(&run(&many, &[]), 10_000);
    assert!(out.chars().count() <= 10_000, "{}", out.chars().count());
    let listed = out.lines().filter(|l| l.starts_with("- **")).count();
    let more: usize = out
        .split("and ")
        .nth(1)
        .and_then(|s| s.split(' ').next())
        .and_then(|n| n.parse().ok())
        .expect("an `N more` line");
    assert_eq!(listed + more, 2000);
    assert!(markdown::render(&run(&many, &[])).chars().count() <= markdown::LIMIT);
}

#[test]
fn html_escapes_every_value_and_allows_only_its_own_blocks() {
    use djguard_render::html;
    let f = findings();
    let errors = vec![FileError {
        path: "bad<script>.py".into(),
        line: Some(2),
        column: None,
        message: HOSTILE.into(),
    }];
    let run = run(&f, &errors);
    let excerpt = |f: &Finding| {
        if f.span().is_none() {
            return Vec::new();
        }
        vec![
            html::ExcerptLine {
                number: 6,
                text: "x = 1".into(),
                hit: false,
            },
            html::ExcerptLine {
                number: 7,
                text: HOSTILE.into(),
                hit: true,
            },
        ]
    };
    let page = html::Page {
        run: &run,
        title: "djguard check: <u1>".into(),
        facts: vec![("Project".into(), "/srv/<u2>".into())],
        excerpt: &excerpt,
        sites: vec![html::SiteCard {
            url: "https://example.test/<u3>".into(),
            grade: Some("<u4>".into()),
            score: Some(0),
            facts: Vec::new(),
            headers: vec![
                ("server".into(), "<script>x()</script>".into()),
                ("set-cookie".into(), "s=<img src=x onerror=y()>".into()),
            ],
            certificate: Vec::new(),
            problems: vec!["<svg onload=z()>".into()],
            findings: f.iter().filter(|f| f.span().is_none()).collect(),
        }],
    };
    let out = html::render(&page);
    // The page's own script is the only one, and nothing hostile became markup.
    assert_eq!(out.matches("<script").count(), 1, "{out}");
    for bad in ["<img", "<svg", "<u1>", "<u2>", "<u3>", "<u4>", "<p>", "<x>"] {
        assert!(!out.contains(bad), "{bad} unescaped");
    }
    assert!(out.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(out.contains("&lt;img src=x onerror=y()&gt;"));
    // The policy allows exactly the page's own blocks, nothing from any host.
    assert!(out.contains(&html::esc(&html::content_security_policy())));
    assert!(!out.contains("http-equiv=\"Content-Security-Policy\" content=\"\""));
    for external in ["src=\"http", "href=\"http", "url(", "@import"] {
        assert!(!out.contains(external), "{external}");
    }
    // With sites, findings are shown in their cards (the live one here), each once.
    assert_eq!(out.matches("<article class=\"finding\"").count(), 1);
    // The excerpt marks the finding's line (7) and not its context (6).
    let page = html::Page {
        sites: Vec::new(),
        ..page
    };
    let out = html::render(&page);
    assert_eq!(out.matches("<article class=\"finding\"").count(), 2);
    assert!(out.contains("<span><i>6</i>x = 1</span>"));
    assert!(out.contains("<span class=\"hit\"><i>7</i>&lt;script&gt;"));
    assert!(out.contains("id=\"rule-DJG101\""));
    assert!(out.contains("href=\"#rule-DJG101\""));
}
