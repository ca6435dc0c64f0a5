//! One self-contained HTML file for people: the summary first, then the findings (grouped by
//! file for `check`, one card per site for `scan`) with filters by severity, rule and path,
//! source excerpts, flows, fixes, and the documentation of every rule at the end.
//!
//! The page asks nothing of any host: CSS and JS are inline and a `Content-Security-Policy`
//! meta tag allows exactly those two blocks (by their SHA-256), nothing else. The findings are
//! static HTML built here; the script only hides and shows them. Every value that came from
//! the audited project or the scanned site (a path, a message, a source line, a header) goes
//! through [`esc`], so a file named `<script>.py` is text.

use std::fmt::Write;

use base64::Engine;
use djguard_core::finding::{Finding, Location, Severity};
use sha2::Digest;

use crate::machine::Run;

const STYLE: &str = include_str!("html/style.css");
const SCRIPT: &str = include_str!("html/script.js");

/// Severities from the most to the least severe, as the page lists them.
const SEVERITIES: [Severity; 5] = [
    Severity::Critical,
    Severity::High,
    Severity::Medium,
    Severity::Low,
    Severity::Info,
];

/// A page to render: the run, what the summary says about it, and where excerpts come from.
pub struct Page<'a> {
    pub run: &'a Run<'a>,
    /// The heading: `djguard check: mysite`.
    pub title: String,
    /// Facts for the summary, in order (Django version, settings modules, files, ...).
    pub facts: Vec<(String, String)>,
    /// Source lines around a file finding. The caller reads the files; the renderer reads
    /// none.
    pub excerpt: &'a dyn Fn(&Finding) -> Vec<ExcerptLine>,
    /// For `scan`: one card per site, holding the site's findings. Empty for `check`, whose
    /// findings are grouped by file.
    pub sites: Vec<SiteCard<'a>>,
}

/// One line of a source excerpt.
pub struct ExcerptLine {
    /// 1-based; 0 for a note line without a number ("… 8 more lines").
    pub number: u32,
    pub text: String,
    /// One of the finding's own lines (marked), not context.
    pub hit: bool,
}

/// What a `scan` card shows about one site.
pub struct SiteCard<'a> {
    pub url: String,
    pub grade: Option<String>,
    pub score: Option<i32>,
    /// Short facts (the Observatory-compatible grade, what capped the grade, Django signs, ...).
    pub facts: Vec<(String, String)>,
    /// The headers of the graded response (its cookies are shown apart, from `Set-Cookie`).
    pub headers: Vec<(String, String)>,
    /// The TLS connection and certificate.
    pub certificate: Vec<(String, String)>,
    /// Why the site could not be graded, or a probe failed.
    pub problems: Vec<String>,
    pub findings: Vec<&'a Finding>,
}

/// Text as HTML: `&`, `<`, `>`, `"` and `'` escaped, so it is safe in element content and in
/// quoted attribute values. Control characters other than tab and newline are shown as
/// U+FFFD (HTML forbids them).
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' => out.push(c),
            c if c.is_control() => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// The CSP source for an inline block: `'sha256-…'` of its exact text.
fn csp_hash(text: &str) -> String {
    let digest = sha2::Sha256::digest(text.as_bytes());
    format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

/// The policy: nothing may load or run but the page's own style and script.
pub fn content_security_policy() -> String {
    format!(
        "default-src 'none'; style-src {}; script-src {}; img-src data:; base-uri 'none'; \
         form-action 'none'",
        csp_hash(STYLE),
        csp_hash(SCRIPT)
    )
}

/// The whole page.
pub fn render(page: &Page) -> String {
    let mut out = String::with_capacity(64 * 1024);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"{}\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"referrer\" content=\"no-referrer\">\n\
         <link rel=\"icon\" href=\"data:,\">\n<title>{}</title>\n<style>{STYLE}</style>\n\
         </head>\n<body>\n",
        esc(&content_security_policy()),
        esc(&page.title)
    );
    summary(&mut out, page);
    out.push_str("<main>\n");
    filters(&mut out, page.run);
    if page.sites.is_empty() {
        file_groups(&mut out, page);
    } else {
        for site in &page.sites {
            site_card(&mut out, page, site);
        }
    }
    rule_docs(&mut out, page.run);
    out.push_str("</main>\n");
    let _ = write!(
        out,
        "<footer>djguard {} · this page loads nothing from any host</footer>\n\
         <script>{SCRIPT}</script>\n</body>\n</html>\n",
        esc(env!("CARGO_PKG_VERSION"))
    );
    out
}

/// The heading, the facts, the count per severity and the unreadable files.
fn summary(out: &mut String, page: &Page) {
    let run = page.run;
    let n = run.findings.len();
    let _ = writeln!(
        out,
        "<header>\n<h1>{}</h1>\n<p class=\"muted\">{n} finding{}</p>",
        esc(&page.title),
        if n == 1 { "" } else { "s" }
    );
    if !page.facts.is_empty() {
        out.push_str("<dl class=\"facts\">\n");
        for (k, v) in &page.facts {
            let _ = writeln!(out, "<dt>{}</dt><dd>{}</dd>", esc(k), esc(v));
        }
        out.push_str("</dl>\n");
    }
    out.push_str("<div class=\"tiles\" id=\"counts\">\n");
    for s in SEVERITIES {
        let count = run.findings.iter().filter(|f| f.severity == s).count();
        let _ = writeln!(
            out,
            "<div class=\"tile\" data-severity=\"{0}\"><b>{count}</b><span class=\"sev sev-{0}\">{0}</span></div>",
            s.as_str()
        );
    }
    out.push_str("</div>\n");
    if !run.errors.is_empty() {
        let _ = writeln!(
            out,
            "<details open><summary>{} file(s) could not be read</summary><ul>",
            run.errors.len()
        );
        for e in run.errors {
            let at = match e.line {
                Some(l) => format!("{}:{l}", e.path),
                None => e.path.clone(),
            };
            let _ = writeln!(
                out,
                "<li><code>{}</code>: {}</li>",
                esc(&at),
                esc(&e.message)
            );
        }
        out.push_str("</ul></details>\n");
    }
    out.push_str("</header>\n");
}

/// The filter bar: one box per severity, the rules that have findings, a path search.
fn filters(out: &mut String, run: &Run) {
    out.push_str("<form id=\"filters\" autocomplete=\"off\">\n<fieldset><legend class=\"muted\">Severity</legend>\n");
    for s in SEVERITIES {
        let _ = writeln!(
            out,
            "<label><input type=\"checkbox\" name=\"severity\" value=\"{0}\" checked> {0}</label>",
            s.as_str()
        );
    }
    out.push_str(
        "</fieldset>\n<label>Rule <select name=\"rule\"><option value=\"\">all rules</option>\n",
    );
    for rule in run.rules() {
        let _ = writeln!(
            out,
            "<option value=\"{0}\">{0} {1}</option>",
            esc(rule.id),
            esc(rule.title)
        );
    }
    let place = if run.command == "scan" { "URL" } else { "Path" };
    let _ = writeln!(
        out,
        "</select></label>\n<label>{place} <input type=\"search\" name=\"path\" placeholder=\"part of the {}\"></label>\n\
         <button type=\"reset\">Show all</button>\n\
         <span class=\"muted\"><b id=\"shown\">{}</b> of {} shown</span>\n</form>",
        place.to_lowercase(),
        run.findings.len(),
        run.findings.len()
    );
    out.push_str(
        "<p id=\"none-shown\" class=\"muted\" hidden>No finding matches these filters.</p>\n",
    );
    if run.findings.is_empty() {
        out.push_str("<p class=\"muted\">No findings.</p>\n");
    }
}

/// `check`: the findings grouped by file, in the contract's order.
fn file_groups(out: &mut String, page: &Page) {
    let mut i = 0;
    let findings = &page.run.findings;
    while i < findings.len() {
        let path = findings[i].path();
        let end = findings[i..]
            .iter()
            .position(|f| f.path() != path)
            .map_or(findings.len(), |n| i + n);
        let _ = writeln!(
            out,
            "<section class=\"group\">\n<h3><code>{}</code> <span class=\"muted\">{} finding{}</span></h3>",
            esc(path),
            end - i,
            if end - i == 1 { "" } else { "s" }
        );
        for f in &findings[i..end] {
            finding(out, page, f);
        }
        out.push_str("</section>\n");
        i = end;
    }
}

/// One finding: severity, rule, place, message, excerpt, flow, details, fix.
fn finding(out: &mut String, page: &Page, f: &Finding) {
    let place = match &f.location {
        Location::File(s) => format!("{}:{}:{}", s.path, s.line, s.column),
        Location::Url { url } => url.clone(),
    };
    let _ = writeln!(
        out,
        "<article class=\"finding\" data-severity=\"{sev}\" data-rule=\"{id}\" data-path=\"{path}\">\n\
         <div class=\"head\"><span class=\"sev sev-{sev}\">{sev}</span> <a href=\"#rule-{id}\"><code>{id}</code></a> \
         <b>{title}</b> <span class=\"muted\">{conf} confidence · <code>{place}</code></span></div>\n\
         <p class=\"msg\">{msg}</p>",
        sev = f.severity.as_str(),
        id = esc(f.rule.id),
        path = esc(f.path()),
        title = esc(f.rule.title),
        conf = f.confidence.as_str(),
        place = esc(&place),
        msg = esc(&f.message),
    );
    let lines = (page.excerpt)(f);
    if !lines.is_empty() {
        out.push_str("<pre class=\"excerpt\">");
        for l in lines {
            let number = if l.number == 0 {
                String::new()
            } else {
                l.number.to_string()
            };
            let _ = write!(
                out,
                "<span{}><i>{number}</i>{}</span>",
                if l.hit { " class=\"hit\"" } else { "" },
                esc(&l.text)
            );
        }
        out.push_str("</pre>\n");
    }
    if !f.flow.is_empty() {
        out.push_str("<details open><summary>Flow</summary><ol class=\"flow\">\n");
        for step in &f.flow {
            let _ = writeln!(
                out,
                "<li><code>{}:{}:{}</code> {}</li>",
                esc(&step.path),
                step.line,
                step.column,
                esc(&step.description)
            );
        }
        out.push_str("</ol></details>\n");
    }
    details(out, f);
    let _ = writeln!(out, "<p class=\"fix\">{}</p>\n</article>", esc(&f.fix));
}

/// The finding's own facts: settings module, environment, package and advisories, live evidence.
fn details(out: &mut String, f: &Finding) {
    let mut rows: Vec<(String, String)> = Vec::new();
    if let Some(m) = &f.settings_module {
        rows.push(("Settings module".into(), m.clone()));
    }
    if !f.environment.is_empty() {
        let env: Vec<String> = f.environment.iter().map(|e| e.to_string()).collect();
        rows.push(("Environment".into(), env.join("; ")));
    }
    if let Some(p) = &f.package {
        let version = p.version.clone().unwrap_or_else(|| p.spec.clone());
        rows.push(("Package".into(), format!("{} {version}", p.name)));
        for a in &p.advisories {
            rows.push((a.id.clone(), a.summary.clone()));
        }
        if let Some(fix) = &p.fix {
            rows.push(("Fixed in".into(), fix.clone()));
        }
    }
    if let Some(cwe) = f.cwe {
        rows.push(("CWE".into(), format!("CWE-{cwe}")));
    }
    if let Some(e) = &f.evidence {
        let status = e.status.map(|s| format!(" → {s}")).unwrap_or_default();
        rows.push(("Request".into(), format!("{}{status}", e.request)));
        if let Some(d) = &e.detail {
            rows.push(("Detail".into(), d.clone()));
        }
        for (k, v) in &e.headers {
            rows.push((k.clone(), v.clone()));
        }
    }
    if rows.is_empty() {
        return;
    }
    out.push_str("<details><summary>Details</summary>\n");
    table(out, &rows);
    out.push_str("</details>\n");
}

/// A two-column table of escaped text.
fn table(out: &mut String, rows: &[(String, String)]) {
    out.push_str("<table>\n");
    for (k, v) in rows {
        let _ = writeln!(
            out,
            "<tr><th>{}</th><td class=\"mono\">{}</td></tr>",
            esc(k),
            esc(v)
        );
    }
    out.push_str("</table>\n");
}

/// `scan`: one site's card with its grade, evidence and findings.
fn site_card(out: &mut String, page: &Page, site: &SiteCard) {
    let grade = site.grade.as_deref().unwrap_or("–");
    let score = site
        .score
        .map(|s| format!("score {s}"))
        .unwrap_or_else(|| "not graded".into());
    let _ = writeln!(
        out,
        "<section class=\"site\" data-path=\"{}\">\n<div class=\"top\"><div class=\"grade\">{}</div>\
         <div><h3><code>{}</code></h3><span class=\"muted\">{} · {} finding{}</span></div></div>",
        esc(&site.url),
        esc(grade),
        esc(&site.url),
        esc(&score),
        site.findings.len(),
        if site.findings.len() == 1 { "" } else { "s" }
    );
    for p in &site.problems {
        let _ = writeln!(out, "<p class=\"problem\">{}</p>", esc(p));
    }
    if !site.facts.is_empty() {
        table(out, &site.facts);
    }
    let cookies: Vec<(String, String)> = site
        .headers
        .iter()
        .filter(|(k, _)| k.eq_ignore_ascii_case("set-cookie"))
        .cloned()
        .collect();
    let sections: [(&str, &[(String, String)]); 3] = [
        ("Response headers", &site.headers),
        ("Cookies", &cookies),
        ("TLS and certificate", &site.certificate),
    ];
    for (name, rows) in sections {
        if rows.is_empty() {
            continue;
        }
        let _ = writeln!(out, "<details><summary>{name} ({})</summary>", rows.len());
        table(out, rows);
        out.push_str("</details>\n");
    }
    for f in &site.findings {
        finding(out, page, f);
    }
    out.push_str("</section>\n");
}

/// The documentation of every rule that has findings, each one anchor away from its findings.
fn rule_docs(out: &mut String, run: &Run) {
    let rules = run.rules();
    if rules.is_empty() {
        return;
    }
    out.push_str("<h2>Rules</h2>\n");
    for rule in rules {
        let doc = (run.docs)(rule.id).unwrap_or(rule.title);
        let _ = writeln!(
            out,
            "<section class=\"rule\" id=\"rule-{id}\"><details open><summary><code>{id}</code> {title}</summary>\
             <pre class=\"doc\">{doc}</pre></details></section>",
            id = esc(rule.id),
            title = esc(rule.title),
            doc = esc(doc)
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_controls() {
        assert_eq!(
            esc("<script>alert('x' & \"y\")</script>\u{7}"),
            "&lt;script&gt;alert(&#39;x&#39; &amp; &quot;y&quot;)&lt;/script&gt;\u{FFFD}"
        );
    }

    #[test]
    fn policy_names_the_exact_blocks() {
        let csp = content_security_policy();
        assert!(csp.starts_with("default-src 'none'; style-src 'sha256-"));
        assert!(csp.contains(&csp_hash(SCRIPT)));
        assert!(!csp.contains("unsafe"));
        // Different text, different hash: the policy follows the blocks it allows.
        assert_ne!(csp_hash(STYLE), csp_hash(SCRIPT));
    }
}
