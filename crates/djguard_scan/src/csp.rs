//! A page's Content-Security-Policy, judged twice: the MDN HTTP Observatory's result and
//! score modifier, and djguard's own findings (DJG408 no policy, DJG409 script injection
//! still possible, DJG410 hardening gaps).
//!
//! Input: every `Content-Security-Policy` and `Content-Security-Policy-Report-Only` header
//! value, the `<meta http-equiv="Content-Security-Policy">` contents (see
//! [`super::html`]), and whether the page came over HTTPS. The page's origin isn't needed:
//! no judgement here depends on more than its scheme. `'self'` is never widened into
//! something dangerous, and `http:` sources only matter on an HTTPS page.
//!
//! ## Two readings of the same headers
//!
//! **As browsers read it** (CSP Level 3 §2.2, "parse a serialized CSP"). A header value is
//! a comma-separated list of policies, and a `<meta>` holds one. A policy is `;`-separated
//! directives; a directive is a name (ASCII case-insensitive) followed by tokens separated
//! by ASCII whitespace. A directive with non-ASCII characters is skipped, and a repeated
//! directive keeps its first occurrence. In `<meta>`, `frame-ancestors`, `report-uri` and
//! `sandbox` are dropped. Each enforced policy applies on its own, so with several
//! policies an attack works only if every one of them allows it. djguard's findings use this
//! reading. The policies are built as `content_security_policy` (Servo's CSP crate)
//! `Policy`/`Directive` values, so [`enforced_policies`] can hand them to that crate's
//! engine, and each directive's syntax is checked with its `Directive::is_valid`. The
//! splitting is done here, not with `Policy::parse`, for three reasons. That function drops
//! a repeated directive without saying so, while djguard reports it and the Observatory
//! scores it as invalid. It looks up every directive among those already kept, which is
//! quadratic: a hostile 3 MB `<meta>` with 500 000 directive names would stall the scan.
//! And the crate doesn't expose its source-expression grammar, so tokens are classified
//! here anyway.
//!
//! **As the Observatory reads it** (its `cspParser.js` and CSP test, as summarized in
//! `research/live-peers.md` §2.5). Carriage returns and line feeds are removed. A header
//! value, or a comma-separated part of one, shorter than 6 characters makes the CSP
//! invalid, and so does a repeated directive other than `report-uri`/`report-to`. A
//! `*-src` directive with no value is `'none'`. Names and sources are lower-cased. Several
//! policies are merged per directive name: a directive in the first policy is intersected
//! with the same directive in later ones, with path-prefix matching, and a directive found
//! only in a later policy becomes `'none'`. `script-src`, `object-src` and `style-src` fall
//! back to `default-src` and then `*`. Then, in order:
//! 1. a nonce or hash removes `'unsafe-inline'` from script-src and style-src;
//! 2. `'strict-dynamic'` with a nonce or hash removes `'self'`, `'unsafe-inline'` and
//!    scheme or wildcard sources from script-src; `'strict-dynamic'` without one is
//!    invalid (−25);
//! 3. `'unsafe-inline'`, `data:` or a broad source (`*`, `http:`, `https:`, `ftp:`,
//!    `http(s)://*`, `http(s)://*.*`) in script-src, or a broad source in object-src, is
//!    unsafe-inline (−20);
//! 4. on HTTPS, `http:`/`ftp:` in any directive but img-src/media-src is insecure-scheme
//!    (−20);
//! 5. `'unsafe-eval'` in script-src or style-src is −10;
//! 6. on HTTPS, `http:`/`ftp:` in img-src/media-src only is −10;
//! 7. an unsafe or broad style-src is style-src-only (0);
//! 8. `default-src 'none'` and nothing else is +10; anything else is +5.
//!
//! A passing policy with a repeated `report-uri`/`report-to` is
//! `csp-implemented-but-duplicate-directives` (0), an eleventh result the Observatory has.
//! The quirks above are kept on purpose, so that the result names and modifiers match what
//! the Observatory says about the same headers. This was checked against Observatory 1.4.8
//! run locally, on about 150 000 generated header sets (1 to 4 policies, odd whitespace,
//! case and junk tokens): the results agree except where 1.4.8 predates HEAD. 1.4.8 doesn't
//! split header values on commas (the research note dates that to 1.6.2), so the split and
//! the 6-character rule for each comma-separated part follow HEAD as described. Sources are
//! sorted in byte order where the Observatory uses `Intl.Collator`, which only matters for
//! odd tokens.
//!
//! ## Where djguard is stricter (or simply more exact) than the Observatory
//! - `script-src-elem` and `script-src-attr` count: they are what browsers use for
//!   `<script>` elements and event handlers, before `script-src`.
//! - A nonce or hash cancels `'unsafe-inline'` only when it is well-formed (base64), and
//!   `'strict-dynamic'` cancels it too, as in browsers. A nonce shorter than 16 characters
//!   is a finding.
//! - Several policies are combined as browsers combine them (each must allow), not by the
//!   merge above.
//! - Host wildcards (`*.cdn.example`) are not treated as broad. `*:*` is, and so are `ws:`
//!   and `wss:`: CSP3's scheme matching lets them match `https:` URLs, so `script-src wss:`
//!   admits any HTTPS script.
//! - Missing `base-uri` or `object-src`, repeated or unknown directives, unquoted keywords
//!   (`self`), double-quoted keywords, `frame-ancestors` in `<meta>`, and `ws:` on HTTPS
//!   are reported. The Observatory scores none of them.
//! - Plain-HTTP sources aren't reported where browsers never use them: in a script directive
//!   with `'strict-dynamic'`, and for subresources when a policy has
//!   `upgrade-insecure-requests`.
//! - `ftp:` in script-src isn't a DJG409 broad source: browsers no longer fetch scripts
//!   over FTP. The Observatory's modifier still counts it.
//!
//! The DJG409 judgements were also checked against the crate's engine, on 200 000 generated
//! policy sets (`tests/scan_csp.rs`). Whenever the engine let an injected inline script,
//! event handler, remote script or `data:` script run, djguard reported it, and vice versa.

use crate::rules::{self as live, LiveRule};
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use content_security_policy::{CspList, Directive, Policy, PolicyDisposition, PolicySource};

use crate::finding::Severity;

/// What the page sent. The slices may be empty. `https`: the page was served over HTTPS.
#[derive(Debug, Clone, Copy, Default)]
pub struct CspInput<'a> {
    /// Each `Content-Security-Policy` header value (each may hold comma-separated policies).
    pub headers: &'a [&'a str],
    /// Each `Content-Security-Policy-Report-Only` header value.
    pub report_only: &'a [&'a str],
    /// Each `<meta http-equiv="Content-Security-Policy">` `content` (one policy each).
    pub meta: &'a [&'a str],
    pub https: bool,
}

/// One djguard finding about the policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CspIssue {
    /// DJG408, DJG409 or DJG410.
    pub rule: &'static LiveRule,
    pub severity: Severity,
    /// The directive at fault (`script-src`, `object-src`, …; `content-security-policy` for
    /// DJG408).
    pub directive: String,
    /// One sentence that names the directive and the offending source.
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CspVerdict {
    /// The MDN Observatory's result name, e.g. `csp-implemented-with-unsafe-inline`.
    pub observatory: &'static str,
    /// Its score modifier (+10 … −25).
    pub modifier: i32,
    /// `None` when no header policy has `frame-ancestors`. Otherwise, whether it keeps
    /// other sites from framing the page (`'none'`, `'self'`, named hosts) rather than
    /// allowing any origin (`*`, `https:`, `https://*`).
    pub frame_ancestors_restricts: Option<bool>,
    /// True when the only policies are `Content-Security-Policy-Report-Only`.
    pub report_only: bool,
    /// djguard's findings: DJG408, then DJG409, then DJG410.
    pub issues: Vec<CspIssue>,
}

/// Judge a page's Content-Security-Policy. Linear in the size of the input. Never panics.
pub fn judge(input: &CspInput) -> CspVerdict {
    let (observatory, modifier) = observatory(input);
    let mut notes = Notes::default();
    let header = header_policies(input.headers, PolicyDisposition::Enforce, &mut notes);
    let meta = meta_policies(input.meta, &mut notes);
    let report_only = header_policies(
        input.report_only,
        PolicyDisposition::Report,
        &mut Notes::default(),
    );
    let frame_ancestors_restricts = frame_ancestors(&header);
    let enforced: Vec<Policy> = header.into_iter().chain(meta).collect();

    let mut issues = Vec::new();
    let only_report = enforced.is_empty() && !report_only.is_empty();
    if enforced.is_empty() {
        let message = if only_report {
            "only Content-Security-Policy-Report-Only is sent, so violations are reported but nothing is blocked"
        } else if !input.headers.is_empty() || !input.meta.is_empty() {
            "the Content-Security-Policy has no directive browsers can use, so nothing is blocked"
        } else {
            "no Content-Security-Policy header or <meta> policy, so injected scripts run unhindered"
        };
        issues.push(issue(
            &live::djg408::RULE,
            Severity::Medium,
            "content-security-policy",
            message.to_string(),
        ));
    } else {
        injection(&enforced, input.https, &mut issues);
        hardening(&enforced, input.https, &mut issues);
    }
    notes.into_issues(&mut issues);
    CspVerdict {
        observatory,
        modifier,
        frame_ancestors_restricts,
        report_only: only_report,
        issues,
    }
}

/// The policies a browser enforces for this page (headers, then `<meta>`), as
/// `content_security_policy` values: its engine can then answer "would this request or
/// inline script be blocked?". Beware that engine's inline check (0.9): when a directive
/// has `'report-sample'`, it cuts the script's source at byte 40 and panics if that falls
/// inside a character. Pass an ASCII source.
pub fn enforced_policies(input: &CspInput) -> CspList {
    let mut notes = Notes::default();
    let mut list = header_policies(input.headers, PolicyDisposition::Enforce, &mut notes);
    list.extend(meta_policies(input.meta, &mut notes));
    CspList(list)
}

/// The Observatory's score modifier for one of its CSP result names (0 when unknown).
pub fn observatory_modifier(result: &str) -> i32 {
    match result {
        "csp-implemented-with-no-unsafe-default-src-none" => 10,
        "csp-implemented-with-no-unsafe" => 5,
        "csp-implemented-with-insecure-scheme-in-passive-content-only"
        | "csp-implemented-with-unsafe-eval" => -10,
        "csp-implemented-with-unsafe-inline" | "csp-implemented-with-insecure-scheme" => -20,
        "csp-header-invalid"
        | "csp-not-implemented"
        | "csp-not-implemented-but-reporting-enabled" => -25,
        _ => 0, // style-src only, duplicate directives
    }
}

fn issue(
    rule: &'static LiveRule,
    severity: Severity,
    directive: &str,
    message: String,
) -> CspIssue {
    CspIssue {
        rule,
        severity,
        directive: directive.to_string(),
        message,
    }
}

// ---------------------------------------------------------------------------------------
// Browser reading.

/// What the parse saw that browsers act on silently, for DJG410.
#[derive(Default)]
struct Notes {
    /// Directive names repeated within one policy.
    duplicates: Vec<String>,
    /// Directives skipped for holding non-ASCII characters.
    non_ascii: usize,
    /// Header-only directives found in a `<meta>` policy.
    meta_ignored: Vec<String>,
}

impl Notes {
    fn into_issues(mut self, issues: &mut Vec<CspIssue>) {
        dedup(&mut self.duplicates);
        if let Some(first) = self.duplicates.first() {
            let message = if self.duplicates.len() == 1 {
                format!("{first} appears twice in one policy, and browsers apply only the first")
            } else {
                format!(
                    "{} each appear twice in one policy, and browsers apply only the first",
                    name_list(&self.duplicates)
                )
            };
            issues.push(issue(&live::djg410::RULE, Severity::Low, first, message));
        }
        if self.non_ascii > 0 {
            let message = format!(
                "{} with non-ASCII characters {} skipped by browsers",
                plural(self.non_ascii, "directive"),
                if self.non_ascii == 1 { "is" } else { "are" }
            );
            issues.push(issue(
                &live::djg410::RULE,
                Severity::Low,
                "content-security-policy",
                message,
            ));
        }
        dedup(&mut self.meta_ignored);
        for name in &self.meta_ignored {
            let message = format!(
                "{name} in a <meta> policy is ignored by browsers; send it in the Content-Security-Policy header"
            );
            issues.push(issue(&live::djg410::RULE, Severity::Low, name, message));
        }
    }
}

fn dedup(v: &mut Vec<String>) {
    let mut seen = HashSet::default();
    v.retain(|n| seen.insert(n.clone()));
}

fn is_ascii_ws(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\x0C' | '\r' | ' ')
}

/// CSP3 "parse a serialized CSP", keeping note of what browsers drop.
fn parse_policy(
    serialized: &str,
    source: PolicySource,
    disposition: PolicyDisposition,
    notes: &mut Notes,
) -> Policy {
    let mut seen: HashSet<String> = HashSet::default();
    let mut directive_set = Vec::new();
    for token in serialized.split(';') {
        let token = token.trim_matches(is_ascii_ws);
        if token.is_empty() {
            continue;
        }
        if !token.is_ascii() {
            notes.non_ascii += 1;
            continue;
        }
        let mut parts = token.split(is_ascii_ws).filter(|t| !t.is_empty());
        let Some(name) = parts.next() else { continue };
        let name = name.to_ascii_lowercase();
        if seen.contains(&name) {
            notes.duplicates.push(name);
            continue;
        }
        seen.insert(name.clone());
        directive_set.push(Directive {
            name,
            value: parts.map(str::to_string).collect(),
        });
    }
    Policy {
        directive_set,
        disposition,
        source,
    }
}

fn header_policies(
    values: &[&str],
    disposition: PolicyDisposition,
    notes: &mut Notes,
) -> Vec<Policy> {
    values
        .iter()
        .flat_map(|v| v.split(','))
        .map(|p| parse_policy(p, PolicySource::Header, disposition, notes))
        .filter(|p| !p.directive_set.is_empty())
        .collect()
}

fn meta_policies(values: &[&str], notes: &mut Notes) -> Vec<Policy> {
    values
        .iter()
        .map(|v| {
            let mut p = parse_policy(v, PolicySource::Meta, PolicyDisposition::Enforce, notes);
            p.directive_set.retain(|d| {
                let header_only = matches!(
                    d.name.as_str(),
                    "frame-ancestors" | "report-uri" | "sandbox"
                );
                if header_only {
                    notes.meta_ignored.push(d.name.clone());
                }
                !header_only
            });
            p
        })
        .filter(|p| !p.directive_set.is_empty())
        .collect()
}

/// `Some(restricts)` when some header policy has frame-ancestors: framing needs every
/// policy's consent, so one restrictive frame-ancestors is enough.
fn frame_ancestors(header: &[Policy]) -> Option<bool> {
    let mut found = None;
    for p in header {
        if let Some(d) = p.directive_set.iter().find(|d| d.name == "frame-ancestors") {
            let restricts = !d.value.iter().any(|t| any_origin(t));
            found = Some(found.unwrap_or(false) || restricts);
        }
    }
    found
}

// Source expressions (ASCII case-insensitive, as browsers compare them).

fn is_kw(t: &str, kw: &str) -> bool {
    t.eq_ignore_ascii_case(kw)
}

fn strip_prefix_ci<'t>(t: &'t str, prefix: &str) -> Option<&'t str> {
    let head = t.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| t.get(prefix.len()..))
        .flatten()
}

/// `[A-Za-z0-9+/_-]+=*`, the base64 (or base64url) value of a nonce or hash source.
fn is_base64_value(v: &str) -> bool {
    let body = v.trim_end_matches('=');
    !body.is_empty()
        && body
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'_' | b'-'))
}

/// The value of a `'nonce-…'` source, well-formed or not (`None` for an unclosed one).
fn nonce_value(t: &str) -> Option<&str> {
    strip_prefix_ci(t, "'nonce-")?.strip_suffix('\'')
}

fn is_hash(t: &str) -> bool {
    ["'sha256-", "'sha384-", "'sha512-"].iter().any(|p| {
        strip_prefix_ci(t, p)
            .and_then(|rest| rest.strip_suffix('\''))
            .is_some_and(is_base64_value)
    })
}

/// A well-formed nonce or hash: browsers then ignore `'unsafe-inline'`.
fn has_nonce_or_hash(list: &[String]) -> bool {
    list.iter()
        .any(|t| is_hash(t) || nonce_value(t).is_some_and(is_base64_value))
}

fn has_kw(list: &[String], kw: &str) -> bool {
    list.iter().any(|t| is_kw(t, kw))
}

/// `https:` → `https` (a scheme-source).
fn scheme_only(t: &str) -> Option<&str> {
    let scheme = t.strip_suffix(':')?;
    let mut bytes = scheme.bytes();
    let first_ok = bytes.next().is_some_and(|b| b.is_ascii_alphabetic());
    (first_ok && bytes.all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.')))
        .then_some(scheme)
}

/// The host part of a host-source (`https://*.cdn.example:443/x` → `*.cdn.example`).
fn host_part(t: &str) -> &str {
    let rest = t.split_once("://").map_or(t, |(_, r)| r);
    let end = rest.find([':', '/']).unwrap_or(rest.len());
    rest.get(..end).unwrap_or(rest)
}

/// A source that matches any web origin: `*`; a scheme that matches `https:` URLs
/// (CSP3's scheme-part match lets `http:`, `ws:` and `wss:` match HTTPS too, so
/// `script-src wss:` allows any HTTPS script); or a host-source whose host is `*`
/// (`https://*`, `*:*`) or `*.*` under such a scheme (or none).
fn any_origin(t: &str) -> bool {
    let web = |s: &str| {
        ["http", "https", "ws", "wss"]
            .iter()
            .any(|w| s.eq_ignore_ascii_case(w))
    };
    if t == "*" {
        return true;
    }
    if let Some(s) = scheme_only(t) {
        return web(s);
    }
    if t.starts_with('\'') {
        return false;
    }
    let scheme_ok = t.split_once("://").is_none_or(|(s, _)| web(s));
    scheme_ok && matches!(host_part(t), "*" | "*.*")
}

/// `http:`, `ftp:` or `ws:` sources, or hosts under those schemes.
fn insecure_scheme(t: &str) -> bool {
    ["http:", "ftp:", "ws:"]
        .iter()
        .any(|p| strip_prefix_ci(t, p).is_some())
}

const SCRIPT_ELEM: &[&str] = &["script-src-elem", "script-src", "default-src"];
const SCRIPT_ATTR: &[&str] = &["script-src-attr", "script-src", "default-src"];
const SCRIPT_EVAL: &[&str] = &["script-src", "default-src"];
const OBJECT: &[&str] = &["object-src", "default-src"];

/// The directive a browser consults for `chain` (its first name that the policy has).
fn effective<'p>(p: &'p Policy, chain: &[&str]) -> Option<&'p Directive> {
    chain
        .iter()
        .find_map(|name| p.directive_set.iter().find(|d| d.name == *name))
}

/// How a set of policies treats one kind of attack.
enum Allows<'p> {
    /// Some policy blocks it.
    Blocked,
    /// No policy has any directive for it.
    Unrestricted,
    /// Every policy allows it; the first that does through a directive, with the tokens.
    By(&'p Directive, Vec<&'p str>),
}

/// An attack works only if every enforced policy allows it. `allowing` returns the tokens of
/// a directive's value that let it through (empty: blocked).
fn across<'p>(
    policies: &'p [Policy],
    chain: &[&str],
    allowing: impl Fn(&'p [String]) -> Vec<&'p str>,
) -> Allows<'p> {
    let mut first: Option<(&'p Directive, Vec<&'p str>)> = None;
    for p in policies {
        if let Some(d) = effective(p, chain) {
            let tokens = allowing(&d.value);
            if tokens.is_empty() {
                return Allows::Blocked;
            }
            first.get_or_insert((d, tokens));
        }
    }
    match first {
        Some((d, tokens)) => Allows::By(d, tokens),
        None => Allows::Unrestricted,
    }
}

fn inline_allowed(list: &[String]) -> Vec<&str> {
    if has_nonce_or_hash(list) || has_kw(list, "'strict-dynamic'") {
        return Vec::new();
    }
    list.iter()
        .filter(|t| is_kw(t, "'unsafe-inline'"))
        .map(String::as_str)
        .take(1)
        .collect()
}

fn remote_allowed(list: &[String]) -> Vec<&str> {
    if has_kw(list, "'strict-dynamic'") {
        return Vec::new(); // host and scheme sources are ignored
    }
    list.iter()
        .filter(|t| any_origin(t))
        .map(String::as_str)
        .collect()
}

fn data_allowed(list: &[String]) -> Vec<&str> {
    if has_kw(list, "'strict-dynamic'") {
        return Vec::new();
    }
    list.iter()
        .filter(|t| scheme_only(t).is_some_and(|s| s.eq_ignore_ascii_case("data")))
        .map(String::as_str)
        .take(1)
        .collect()
}

fn joined(tokens: &[&str]) -> String {
    let mut uniq: Vec<&str> = Vec::new();
    for t in tokens {
        if !uniq.contains(t) {
            uniq.push(t);
        }
    }
    name_list(&uniq)
}

/// "a", "a and b", "a, b and c", "a, b, c, d, e and 7 more".
fn name_list<S: AsRef<str>>(names: &[S]) -> String {
    const SHOWN: usize = 5;
    let shown: Vec<&str> = names.iter().take(SHOWN).map(AsRef::as_ref).collect();
    let more = names.len().saturating_sub(SHOWN);
    match (shown.split_last(), more) {
        (None, _) => String::new(),
        (Some((last, [])), 0) => (*last).to_string(),
        (Some((last, rest)), 0) => format!("{} and {last}", rest.join(", ")),
        (Some(_), n) => format!("{} and {n} more", shown.join(", ")),
    }
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// DJG409: ways an injected script still runs.
fn injection(policies: &[Policy], https: bool, issues: &mut Vec<CspIssue>) {
    let mut add = |directive: &str, message: String| {
        issues.push(issue(
            &live::djg409::RULE,
            Severity::Medium,
            directive,
            message,
        ));
    };
    let elem = across(policies, SCRIPT_ELEM, inline_allowed);
    let attr = across(policies, SCRIPT_ATTR, inline_allowed);
    // The order of the checks is the order of the issues in the report.
    inline_scripts(&elem, &attr, &mut add);
    // (directive, token) already reported, so the insecure-scheme check does not repeat them.
    let mut named: Vec<(String, String)> = Vec::new();
    if !matches!(elem, Allows::Unrestricted) {
        named = remote_scripts(policies, &mut add);
        data_scripts(policies, &mut add);
        strict_dynamic_without_nonce(policies, &mut add);
    }
    object_embeds(policies, &mut add);
    if https {
        active_insecure_sources(policies, &named, &mut add);
    }
}

/// Injected inline scripts and event handlers, said once when one directive allows both.
fn inline_scripts(elem: &Allows, attr: &Allows, add: &mut impl FnMut(&str, String)) {
    let same = match (elem, attr) {
        (Allows::By(e, _), Allows::By(a, _)) => e.name == a.name,
        (Allows::Unrestricted, Allows::Unrestricted) => true,
        _ => false,
    };
    match elem {
        Allows::Unrestricted if same => add(
            "script-src",
            "no script-src or default-src restricts scripts, so injected inline scripts, event handlers and remote scripts all run".into(),
        ),
        Allows::Unrestricted => add(
            "script-src",
            "no script-src or default-src restricts <script> elements, so injected inline and remote scripts run".into(),
        ),
        Allows::By(d, tokens) => add(
            &d.name,
            format!(
                "{} allows {} without a nonce or hash, so injected inline scripts{} run",
                d.name,
                joined(tokens),
                if same { " and event handlers" } else { "" }
            ),
        ),
        Allows::Blocked => {}
    }
    if same {
        return;
    }
    match attr {
        Allows::By(d, tokens) => add(
            &d.name,
            format!(
                "{} allows {}, so injected event handlers such as onerror= run",
                d.name,
                joined(tokens)
            ),
        ),
        Allows::Unrestricted => add(
            "script-src-attr",
            "event handlers fall back to no script-src or default-src, so injected ones such as onerror= run".into(),
        ),
        Allows::Blocked => {}
    }
}

/// An injected <script src> from any site; returns the (directive, token) pairs it named.
fn remote_scripts(
    policies: &[Policy],
    add: &mut impl FnMut(&str, String),
) -> Vec<(String, String)> {
    let Allows::By(d, tokens) = across(policies, SCRIPT_ELEM, remote_allowed) else {
        return Vec::new();
    };
    let named = tokens
        .iter()
        .map(|t| (d.name.clone(), t.to_ascii_lowercase()))
        .collect();
    add(
        &d.name,
        format!(
            "{} allows {}, so an injected <script src> can load code from any site",
            d.name,
            joined(&tokens)
        ),
    );
    named
}

/// An injected <script src="data:…">.
fn data_scripts(policies: &[Policy], add: &mut impl FnMut(&str, String)) {
    if let Allows::By(d, tokens) = across(policies, SCRIPT_ELEM, data_allowed) {
        add(
            &d.name,
            format!(
                "{} allows {}, so an injected <script src=\"data:…\"> runs",
                d.name,
                joined(&tokens)
            ),
        );
    }
}

/// 'strict-dynamic' without a nonce or hash, in any policy (said once).
fn strict_dynamic_without_nonce(policies: &[Policy], add: &mut impl FnMut(&str, String)) {
    for p in policies {
        if let Some(d) = effective(p, SCRIPT_ELEM)
            && has_kw(&d.value, "'strict-dynamic'")
            && !has_nonce_or_hash(&d.value)
        {
            add(
                &d.name,
                format!(
                    "{} has 'strict-dynamic' without a nonce or hash, so browsers block the page's own scripts (Django omits CSP.NONCE on pages that never render csp_nonce)",
                    d.name
                ),
            );
            break;
        }
    }
}

/// Injected <object> and <embed> elements that load content from any site.
fn object_embeds(policies: &[Policy], add: &mut impl FnMut(&str, String)) {
    match across(policies, OBJECT, |list| {
        list.iter().filter(|t| any_origin(t)).map(String::as_str).collect()
    }) {
        Allows::By(d, tokens) => add(
            &d.name,
            format!(
                "{} allows {}, so injected <object> and <embed> elements can load content from any site",
                d.name,
                joined(&tokens)
            ),
        ),
        Allows::Unrestricted => add(
            "object-src",
            "no object-src or default-src, so injected <object> and <embed> elements load content from any site".into(),
        ),
        Allows::Blocked => {}
    }
}

/// Plain-HTTP sources of active content on an HTTPS site, less those already `named`.
fn active_insecure_sources(
    policies: &[Policy],
    named: &[(String, String)],
    add: &mut impl FnMut(&str, String),
) {
    for (d, tokens) in insecure_sources(policies, true) {
        let tokens: Vec<&str> = tokens
            .into_iter()
            .filter(|t| !named.contains(&(d.to_string(), t.to_ascii_lowercase())))
            .collect();
        if !tokens.is_empty() {
            add(
                d,
                format!(
                    "{d} allows {} on an HTTPS site, so that content can be altered in transit",
                    joined(&tokens)
                ),
            );
        }
    }
}

/// Directives whose plain-HTTP sources fetch content that acts on the page (DJG409). The
/// rest (img-src, media-src, base-uri, frame-ancestors, report-uri, …) are DJG410.
fn active_directive(name: &str) -> bool {
    !matches!(
        name,
        "img-src" | "media-src" | "base-uri" | "frame-ancestors" | "report-uri"
    )
}

/// `(directive, insecure tokens)` across the policies, for the active or the other
/// directives, in the order met. Unknown directives don't count (browsers ignore them),
/// which also keeps the list as short as [`KNOWN`].
///
/// With `upgrade-insecure-requests` in any policy, browsers fetch `http://` (and `ws://`)
/// subresources over HTTPS, so only navigations, `<base>`, framing and reports are left.
fn insecure_sources(policies: &[Policy], active: bool) -> Vec<(&str, Vec<&str>)> {
    let upgraded = policies
        .iter()
        .any(|p| p.contains_a_directive_whose_name_is("upgrade-insecure-requests"));
    let mut out: Vec<(&str, Vec<&str>)> = Vec::new();
    for p in policies {
        for d in &p.directive_set {
            if active_directive(&d.name) != active || !KNOWN.contains(&d.name.as_str()) {
                continue;
            }
            let navigation = matches!(
                d.name.as_str(),
                "form-action"
                    | "frame-src"
                    | "child-src"
                    | "fenced-frame-src"
                    | "base-uri"
                    | "frame-ancestors"
                    | "report-uri"
            );
            if upgraded && !navigation {
                continue;
            }
            let script = matches!(
                d.name.as_str(),
                "script-src" | "script-src-elem" | "script-src-attr"
            );
            if script && has_kw(&d.value, "'strict-dynamic'") {
                continue; // browsers ignore its host and scheme sources
            }
            let tokens: Vec<&str> = d
                .value
                .iter()
                .filter(|t| insecure_scheme(t))
                .map(String::as_str)
                .collect();
            if tokens.is_empty() {
                continue;
            }
            match out.iter_mut().find(|(n, _)| *n == d.name) {
                Some((_, existing)) => existing.extend(tokens),
                None => out.push((&d.name, tokens)),
            }
        }
    }
    out
}

/// Directives browsers know and use.
const KNOWN: &[&str] = &[
    "default-src",
    "script-src",
    "script-src-elem",
    "script-src-attr",
    "style-src",
    "style-src-elem",
    "style-src-attr",
    "img-src",
    "font-src",
    "connect-src",
    "media-src",
    "object-src",
    "frame-src",
    "child-src",
    "worker-src",
    "manifest-src",
    "fenced-frame-src",
    "base-uri",
    "form-action",
    "frame-ancestors",
    "sandbox",
    "report-uri",
    "report-to",
    "upgrade-insecure-requests",
    "require-trusted-types-for",
    "trusted-types",
    "webrtc",
];

/// Directives from older drafts that current browsers ignore.
const OBSOLETE: &[&str] = &[
    "block-all-mixed-content",
    "plugin-types",
    "prefetch-src",
    "navigate-to",
    "referrer",
    "reflected-xss",
    "require-sri-for",
    "disown-opener",
];

/// Keyword sources (quoted).
const KEYWORDS: &[&str] = &[
    "'self'",
    "'none'",
    "'unsafe-inline'",
    "'unsafe-eval'",
    "'strict-dynamic'",
    "'unsafe-hashes'",
    "'report-sample'",
    "'wasm-unsafe-eval'",
    "'unsafe-allow-redirects'",
    "'inline-speculation-rules'",
    "'trusted-types-eval'",
    "'report-sha256'",
    "'report-sha384'",
    "'report-sha512'",
    "'unsafe-webtransport-hashes'",
];

fn source_list_directive(name: &str) -> bool {
    name.ends_with("-src")
        || matches!(
            name,
            "base-uri" | "form-action" | "frame-ancestors" | "navigate-to"
        )
}

/// DJG410: weaknesses that don't by themselves let an injected script run.
fn hardening(policies: &[Policy], https: bool, issues: &mut Vec<CspIssue>) {
    let mut add = |severity: Severity, directive: &str, message: String| {
        issues.push(issue(&live::djg410::RULE, severity, directive, message));
    };
    // The order of the checks is the order of the issues in the report.
    unsafe_eval(policies, &mut add);
    object_src_fallback(policies, &mut add);
    base_uri(policies, &mut add);
    if https {
        passive_insecure_sources(policies, &mut add);
    }
    directive_syntax(policies, &mut add);
}

/// 'unsafe-eval' in the effective script policy.
fn unsafe_eval(policies: &[Policy], add: &mut impl FnMut(Severity, &str, String)) {
    if let Allows::By(d, tokens) = across(policies, SCRIPT_EVAL, |list| {
        list.iter()
            .filter(|t| is_kw(t, "'unsafe-eval'"))
            .map(String::as_str)
            .take(1)
            .collect()
    }) {
        add(
            Severity::Low,
            &d.name,
            format!(
                "{} allows {}, so injected strings can run as code through eval() and new Function()",
                d.name,
                joined(&tokens)
            ),
        );
    }
}

/// object-src: DJG409 covers broad or missing-with-no-default-src; here, relying on a
/// default-src other than 'none'.
fn object_src_fallback(policies: &[Policy], add: &mut impl FnMut(Severity, &str, String)) {
    let has_object = policies
        .iter()
        .any(|p| p.contains_a_directive_whose_name_is("object-src"));
    let objects_locked = policies
        .iter()
        .any(|p| effective(p, OBJECT).is_some_and(|d| d.value.iter().all(|t| is_kw(t, "'none'"))));
    let objects_in_409 = !matches!(
        across(policies, OBJECT, |l| l
            .iter()
            .filter(|t| any_origin(t))
            .map(String::as_str)
            .collect()),
        Allows::Blocked
    );
    if !has_object && !objects_locked && !objects_in_409 {
        add(
            Severity::Low,
            "object-src",
            "object-src is missing, so <object> and <embed> fall back to default-src; set object-src 'none'".into(),
        );
    }
}

/// base-uri missing or allowing any origin; it never falls back to default-src.
fn base_uri(policies: &[Policy], add: &mut impl FnMut(Severity, &str, String)) {
    let base: Vec<&Directive> = policies
        .iter()
        .filter_map(|p| effective(p, &["base-uri"]))
        .collect();
    if base.is_empty() {
        add(
            Severity::Low,
            "base-uri",
            "base-uri is missing, so an injected <base href> can point the page's relative script URLs at another host".into(),
        );
    } else if let Allows::By(d, tokens) = across(policies, &["base-uri"], |list| {
        list.iter()
            .filter(|t| any_origin(t))
            .map(String::as_str)
            .collect()
    }) {
        add(
            Severity::Low,
            &d.name,
            format!(
                "base-uri allows {}, so an injected <base href> can point relative script URLs at any host",
                joined(&tokens)
            ),
        );
    }
}

/// Plain-HTTP sources in the directives DJG409 leaves out (images, media, navigation,
/// reports) on an HTTPS site.
fn passive_insecure_sources(policies: &[Policy], add: &mut impl FnMut(Severity, &str, String)) {
    for (d, tokens) in insecure_sources(policies, false) {
        let what = match d {
            "img-src" | "media-src" => "so those files can be swapped in transit",
            "report-uri" => "so violation reports travel unencrypted",
            _ => "plain HTTP on an HTTPS site",
        };
        add(
            Severity::Low,
            d,
            format!("{d} allows {} on an HTTPS site, {what}", joined(&tokens)),
        );
    }
}

/// Directive names, source syntax, nonces: malformed and misspelt sources one by one (at
/// most [`MAX_TOKEN_ISSUES`]), then the unknown and the obsolete directive names in one
/// issue each.
fn directive_syntax(policies: &[Policy], add: &mut impl FnMut(Severity, &str, String)) {
    let mut unknown: Vec<&str> = Vec::new();
    let mut obsolete: Vec<&str> = Vec::new();
    let mut nonces_seen: HashSet<&str> = HashSet::default();
    let mut token_issues = 0usize;
    for p in policies {
        for d in &p.directive_set {
            let name = d.name.as_str();
            if OBSOLETE.contains(&name) {
                obsolete.push(name);
                continue;
            }
            if !KNOWN.contains(&name) {
                unknown.push(name);
                continue;
            }
            if !d.is_valid() {
                let bad = d
                    .value
                    .iter()
                    .find(|t| t.bytes().any(|b| b.is_ascii_control() || b == b','))
                    .map_or("", String::as_str);
                if token_issues < MAX_TOKEN_ISSUES {
                    token_issues += 1;
                    add(
                        Severity::Low,
                        name,
                        format!("{name} has a malformed source {bad:?}, which browsers skip"),
                    );
                }
                continue;
            }
            if !source_list_directive(name) {
                continue;
            }
            for t in &d.value {
                if token_issues >= MAX_TOKEN_ISSUES {
                    break;
                }
                let Some(message) = token_problem(name, t, &mut nonces_seen) else {
                    continue;
                };
                token_issues += 1;
                add(Severity::Low, name, message);
            }
        }
    }
    ignored_directives(&unknown, &obsolete, add);
}

/// How many malformed or misspelt sources are reported at most, across the policies: past
/// that, the policy needs rewriting rather than a list.
const MAX_TOKEN_ISSUES: usize = 10;

/// One issue for the unknown directive names and one for the obsolete ones.
fn ignored_directives(
    unknown: &[&str],
    obsolete: &[&str],
    add: &mut impl FnMut(Severity, &str, String),
) {
    if let Some(first) = unknown.first() {
        let message = if unknown.len() == 1 {
            format!("browsers ignore the unknown directive {first}")
        } else {
            format!(
                "browsers ignore {} unknown directives: {}",
                unknown.len(),
                name_list(unknown)
            )
        };
        add(Severity::Low, first, message);
    }
    if let Some(first) = obsolete.first() {
        let message = format!(
            "{} {} obsolete and ignored by current browsers",
            name_list(obsolete),
            if obsolete.len() == 1 { "is" } else { "are" }
        );
        add(Severity::Info, first, message);
    }
}

/// A source token that doesn't do what its author meant.
fn token_problem<'t>(
    directive: &str,
    t: &'t str,
    nonces_seen: &mut HashSet<&'t str>,
) -> Option<String> {
    const BARE: &[&str] = &[
        "self",
        "none",
        "unsafe-inline",
        "unsafe-eval",
        "strict-dynamic",
        "unsafe-hashes",
        "report-sample",
        "wasm-unsafe-eval",
    ];
    if let Some(kw) = BARE.iter().find(|k| t.eq_ignore_ascii_case(k)) {
        return Some(format!(
            "{directive} lists {t} without quotes, which browsers read as a host name; write '{kw}'"
        ));
    }
    if t.starts_with('"') {
        return Some(format!(
            "{directive} lists {t} in double quotes; CSP keywords take single quotes"
        ));
    }
    if strip_prefix_ci(t, "'nonce-").is_some() {
        if !nonces_seen.insert(t) {
            return None;
        }
        let Some(v) = nonce_value(t).filter(|v| is_base64_value(v)) else {
            return Some(format!(
                "{directive} nonce {t} is not base64, so browsers ignore it"
            ));
        };
        let len = v.trim_end_matches('=').len();
        if len < 16 {
            return Some(format!(
                "{directive} nonce {t} has {len} characters; use at least 16 random base64 characters per response"
            ));
        }
        return None;
    }
    if t.starts_with('\'') && !is_hash(t) && !KEYWORDS.iter().any(|k| is_kw(t, k)) {
        return Some(format!(
            "{directive} has the unknown keyword {t}, which browsers ignore"
        ));
    }
    None
}

// ---------------------------------------------------------------------------------------
// The Observatory's reading.

/// JavaScript's `\s` (and what `String.prototype.trim` strips).
fn js_space(c: char) -> bool {
    matches!(
        c,
        '\t' | '\n' | '\u{B}' | '\u{C}' | '\r' | ' ' | '\u{A0}' | '\u{1680}' | '\u{2000}'
            ..='\u{200A}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{202F}'
                | '\u{205F}'
                | '\u{3000}'
                | '\u{FEFF}'
    )
}

/// CR and LF removed (not replaced), then trimmed.
fn obs_clean(s: &str) -> String {
    let s: String = s.chars().filter(|c| !matches!(c, '\r' | '\n')).collect();
    s.trim_matches(js_space).to_string()
}

/// Shorter than `img-src` minus one, in UTF-16 units, is invalid.
fn obs_too_short(s: &str) -> bool {
    s.encode_utf16().take(6).count() < 6
}

type ObsPolicy = Vec<(String, Vec<String>)>;

/// One cleaned policy, or `None` when a directive other than report-uri/report-to repeats.
fn obs_parse(policy: &str, duplicate_warning: &mut bool) -> Option<ObsPolicy> {
    let mut out: ObsPolicy = Vec::new();
    let mut seen: HashSet<String> = HashSet::default();
    for entry in policy.split(';') {
        let mut words = entry.split(js_space).filter(|w| !w.is_empty());
        let Some(first) = words.next() else { continue };
        let name = first.to_lowercase();
        let mut values: Vec<String> = words.map(str::to_lowercase).collect();
        if values.is_empty() && name.ends_with("-src") {
            values.push("'none'".into());
        }
        if seen.contains(&name) {
            if name != "report-uri" && name != "report-to" {
                return None;
            }
            // Kept as a second occurrence: in the first policy it replaces the first, in a
            // later one it is merged in turn (see `obs_merge`).
            *duplicate_warning = true;
        } else {
            seen.insert(name.clone());
        }
        out.push((name, values));
    }
    Some(out)
}

/// Within one directive, once sorted, a source that starts with the source just before it
/// is dropped as superfluous (an exact repeat too). Only the neighbour counts, as in the
/// Observatory (which sorts with `Intl.Collator`; byte order differs only for odd tokens).
fn drop_prefixed(mut values: Vec<String>) -> Vec<String> {
    values.sort_unstable();
    let mut keep = vec![true; values.len()];
    for (i, pair) in values.windows(2).enumerate() {
        if let ([prev, v], Some(k)) = (pair, keep.get_mut(i + 1)) {
            *k = !v.starts_with(prev.as_str());
        }
    }
    values
        .into_iter()
        .zip(keep)
        .filter_map(|(v, k)| k.then_some(v))
        .collect()
}

/// `a` covers `b`: equal, or `a` ends with `/` and its path segments start `b`'s.
fn path_part_match(a: &str, b: &str) -> bool {
    if a.is_empty() || (a == "/" && b.is_empty()) {
        return true;
    }
    let exact = !a.ends_with('/');
    let mut pa: Vec<&str> = a.split('/').collect();
    let pb: Vec<&str> = b.split('/').collect();
    if pa.len() > pb.len() || (exact && pa.len() != pb.len()) {
        return false;
    }
    if !exact {
        pa.pop();
    }
    pa.iter().zip(&pb).all(|(x, y)| x == y)
}

/// Sources of `b` that a source of `a` covers, and sources of `a` that one of `b` covers.
/// Falls back to plain equality when the lists are huge.
fn intersect(a: &[String], b: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    if a.len().saturating_mul(b.len()) > 100_000 {
        let set: HashSet<&String> = a.iter().collect();
        out.extend(b.iter().filter(|t| set.contains(t)).cloned());
    } else {
        for s in a {
            for t in b {
                if s == t || path_part_match(s, t) {
                    out.push(t.clone());
                } else if path_part_match(t, s) {
                    out.push(s.clone());
                }
            }
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

struct Merged {
    values: Vec<String>,
    /// Already intersected with a later policy: further policies only add what they match.
    intersected: bool,
}

fn obs_merge(policies: Vec<ObsPolicy>) -> HashMap<String, Vec<String>> {
    let mut map: HashMap<String, Merged> = HashMap::default();
    for (k, policy) in policies.into_iter().enumerate() {
        for (name, values) in policy {
            if k == 0 {
                // Only the first policy's sources are pruned: a later policy's are kept when
                // they match one of the first's, superfluous or not.
                let values = drop_prefixed(values);
                map.insert(
                    name,
                    Merged {
                        values,
                        intersected: false,
                    },
                );
                continue;
            }
            match map.get_mut(&name) {
                None => {
                    map.insert(
                        name,
                        Merged {
                            values: Vec::new(),
                            intersected: true,
                        },
                    );
                }
                Some(m) if !m.intersected => {
                    m.values = intersect(&m.values, &values);
                    m.intersected = true;
                }
                Some(m) => {
                    let extra = intersect(&m.values, &values);
                    m.values.extend(extra);
                    m.values.sort_unstable();
                    m.values.dedup();
                }
            }
        }
    }
    map.into_iter()
        .map(|(name, m)| {
            let values = if m.values.is_empty() {
                vec!["'none'".to_string()]
            } else {
                m.values
            };
            (name, values)
        })
        .collect()
}

const OBS_BROAD: &[&str] = &[
    "ftp:",
    "http:",
    "https:",
    "*",
    "http://*",
    "http://*.*",
    "https://*",
    "https://*.*",
];

fn obs_broad(t: &str) -> bool {
    OBS_BROAD.contains(&t)
}

fn obs_broad_or_inline(t: &str) -> bool {
    obs_broad(t) || t == "'unsafe-inline'" || t == "data:"
}

fn obs_nonce_or_hash(list: &[String]) -> bool {
    list.iter().any(|t| {
        ["'sha256-", "'sha384-", "'sha512-", "'nonce-"]
            .iter()
            .any(|p| t.starts_with(p))
    })
}

/// The list a directive falls back to, by the map key it lives under (`None`: the implicit
/// `*`). Knowing the key matters: script-src and style-src may both be default-src's list,
/// and the Observatory edits that one list in place.
fn obs_key(map: &HashMap<String, Vec<String>>, own: &'static str) -> Option<&'static str> {
    if map.contains_key(own) {
        Some(own)
    } else if map.contains_key("default-src") {
        Some("default-src")
    } else {
        None
    }
}

fn obs_list<'m>(
    map: &'m mut HashMap<String, Vec<String>>,
    key: Option<&str>,
    star: &'m mut Vec<String>,
) -> &'m mut Vec<String> {
    match key.and_then(|k| map.get_mut(k)) {
        Some(v) => v,
        None => star,
    }
}

/// The Observatory's result name and modifier.
fn observatory(input: &CspInput) -> (&'static str, i32) {
    let result = observatory_result(input);
    (result, observatory_modifier(result))
}

fn observatory_result(input: &CspInput) -> &'static str {
    let Some((header, meta)) = obs_split(input) else {
        return OBS_INVALID;
    };
    let Some(parsed) = obs_parse_all(&header, &meta) else {
        return OBS_INVALID;
    };
    if let Some(result) = obs_not_implemented(input, &parsed, header.len()) {
        return result;
    }
    let duplicate_warning = parsed.duplicate_warning;
    let mut map = obs_merge(parsed.policies);
    let lists = obs_lists(&mut map);
    let result = obs_first_weakness(&map, &lists, input.https);
    let passing = matches!(
        result,
        "csp-implemented-with-no-unsafe"
            | "csp-implemented-with-no-unsafe-default-src-none"
            | "csp-implemented-with-unsafe-inline-in-style-src-only"
            | "csp-implemented-with-insecure-scheme-in-passive-content-only"
    );
    if passing && duplicate_warning {
        "csp-implemented-but-duplicate-directives"
    } else {
        result
    }
}

/// The Observatory's result for a policy it cannot read.
const OBS_INVALID: &str = "csp-header-invalid";

/// Header values split into cleaned policies, and the cleaned meta policies; `None` when one
/// is too short to be a policy (the Observatory calls the whole header invalid).
fn obs_split(input: &CspInput) -> Option<(Vec<String>, Vec<String>)> {
    let mut header: Vec<String> = Vec::new();
    for v in input.headers {
        let whole = obs_clean(v);
        if obs_too_short(&whole) {
            return None;
        }
        for part in whole.split(',') {
            let part = obs_clean(part);
            if part.is_empty() {
                continue;
            }
            if obs_too_short(&part) {
                return None;
            }
            header.push(part);
        }
    }
    let mut meta: Vec<String> = Vec::new();
    for v in input.meta {
        let m = obs_clean(v);
        if obs_too_short(&m) {
            return None;
        }
        meta.push(m);
    }
    Some((header, meta))
}

/// The parsed header policies then meta policies, with the duplicate-directive warnings.
struct ObsParsed {
    policies: Vec<ObsPolicy>,
    /// Some policy repeats report-uri or report-to.
    duplicate_warning: bool,
    /// A meta policy does.
    meta_duplicate: bool,
}

/// Every policy parsed, header ones first; `None` when one of them cannot be.
fn obs_parse_all(header: &[String], meta: &[String]) -> Option<ObsParsed> {
    let mut out = ObsParsed {
        policies: Vec::new(),
        duplicate_warning: false,
        meta_duplicate: false,
    };
    for (i, p) in header.iter().chain(meta).enumerate() {
        let mut warned = false;
        out.policies.push(obs_parse(p, &mut warned)?);
        out.duplicate_warning |= warned;
        out.meta_duplicate |= warned && i >= header.len();
    }
    Some(out)
}

/// The not-implemented results, when no policy names a directive the Observatory counts.
fn obs_not_implemented(
    input: &CspInput,
    parsed: &ObsParsed,
    header_count: usize,
) -> Option<&'static str> {
    let (header_parsed, meta_parsed) = parsed
        .policies
        .split_at(header_count.min(parsed.policies.len()));
    let header_names = header_parsed.iter().any(|p| !p.is_empty());
    // The Observatory counts the keys of its parsed maps, and its note of repeated
    // report-uri/report-to is one of them: a <meta> with only a repeated report-uri counts.
    let meta_names = parsed.meta_duplicate
        || meta_parsed.iter().any(|p| {
            p.iter()
                .any(|(n, _)| !matches!(n.as_str(), "frame-ancestors" | "report-uri" | "sandbox"))
        });
    if header_names || meta_names {
        return None;
    }
    Some(if input.report_only.iter().any(|v| !v.is_empty()) {
        "csp-not-implemented-but-reporting-enabled"
    } else {
        "csp-not-implemented"
    })
}

/// The script, style and object lists the Observatory grades, after its edits.
struct ObsLists {
    script: Vec<String>,
    style: Vec<String>,
    object: Vec<String>,
    /// 'strict-dynamic' without a nonce or hash: the Observatory calls the policy invalid.
    invalid: bool,
}

/// Steps 1 and 2 of the Observatory, which edit the merged lists in place, then the lists.
fn obs_lists(map: &mut HashMap<String, Vec<String>>) -> ObsLists {
    let script_key = obs_key(map, "script-src");
    let style_key = obs_key(map, "style-src");
    let object_key = obs_key(map, "object-src");
    let (mut script_star, mut style_star) = (vec!["*".to_string()], vec!["*".to_string()]);

    // 1. A nonce or hash cancels 'unsafe-inline'.
    for (key, star) in [(script_key, &mut script_star), (style_key, &mut style_star)] {
        let list = obs_list(map, key, star);
        if obs_nonce_or_hash(list) {
            list.retain(|t| t != "'unsafe-inline'");
        }
    }
    // 2. 'strict-dynamic'.
    let mut invalid = false;
    {
        let script = obs_list(map, script_key, &mut script_star);
        if script.iter().any(|t| t == "'strict-dynamic'") {
            if obs_nonce_or_hash(script) {
                script.retain(|t| {
                    !(OBS_BROAD.iter().any(|b| t.starts_with(b))
                        || t == "'self'"
                        || t == "'unsafe-inline'")
                });
            } else {
                invalid = true;
            }
        }
    }
    let script = obs_list(map, script_key, &mut script_star).clone();
    let style = obs_list(map, style_key, &mut style_star).clone();
    let object = match object_key.and_then(|k| map.get(k)) {
        Some(v) => v.clone(),
        None => vec!["*".to_string()],
    };
    ObsLists {
        script,
        style,
        object,
        invalid,
    }
}

/// Steps 3 to 8: the first weakness that applies, else the no-unsafe results.
fn obs_first_weakness(
    map: &HashMap<String, Vec<String>>,
    lists: &ObsLists,
    https: bool,
) -> &'static str {
    let ObsLists {
        script,
        style,
        object,
        invalid,
    } = lists;
    let mut result: Option<&'static str> = invalid.then_some(OBS_INVALID);
    let insecure = |t: &String| t.starts_with("http:") || t.starts_with("ftp:");
    let active = map
        .iter()
        .filter(|(k, _)| !matches!(k.as_str(), "img-src" | "media-src" | "script-src"))
        .flat_map(|(_, v)| v)
        .chain(script)
        .any(insecure);
    let passive = ["img-src", "media-src"]
        .iter()
        .filter_map(|d| map.get(*d).or_else(|| map.get("default-src")))
        .flatten()
        .any(insecure);

    // 3–8, the first that applies wins.
    if script.iter().any(|t| obs_broad_or_inline(t)) || object.iter().any(|t| obs_broad(t)) {
        result.get_or_insert("csp-implemented-with-unsafe-inline");
    }
    if https && active {
        result.get_or_insert("csp-implemented-with-insecure-scheme");
    }
    if script.iter().chain(style).any(|t| t == "'unsafe-eval'") {
        result.get_or_insert("csp-implemented-with-unsafe-eval");
    }
    if https && passive {
        result.get_or_insert("csp-implemented-with-insecure-scheme-in-passive-content-only");
    }
    if style.iter().any(|t| obs_broad_or_inline(t)) {
        result.get_or_insert("csp-implemented-with-unsafe-inline-in-style-src-only");
    }
    let default_none = map
        .get("default-src")
        .is_some_and(|d| d.len() == 1 && d.iter().all(|t| t == "'none'"));
    result.unwrap_or(if default_none {
        "csp-implemented-with-no-unsafe-default-src-none"
    } else {
        "csp-implemented-with-no-unsafe"
    })
}
