//! # DJG105: Redirect to a URL taken from the request (open redirect)
//!
//! ## What it does
//! Follows request data (typically a `next` parameter) into `redirect()`,
//! `HttpResponseRedirect()` and `HttpResponsePermanentRedirect()`. Only proven flows are
//! reported. A value passed to `url_has_allowed_host_and_scheme()` (or the older
//! `is_safe_url()`) in the same function counts as checked, also when the function returns it
//! to its caller, and so is a form field with its own `clean_<field>()` method (the view's
//! `form_class`, found by name when a loader binds it). A project function that returns
//! `url_has_allowed_host_and_scheme()`'s verdict validates its argument on the branch where
//! it returned true, and one that raises unless the URL passes validates it after the call.
//! A middleware hook's `response`, and parameters of a routed view that its URL pattern does
//! not capture (patterns built from translated literals, `_("register/")`, are read too),
//! are not request data. A URL that
//! starts with a constant path (`"/orders/?" + query`, but not a bare `"/"`), a fixed
//! `scheme://host/`, or is the request's own path (`request.get_full_path()`,
//! `request.path`) stays on a known site and is not reported; so does
//! `"?".join([reverse(...), query])`, and a helper's `f"{base}{query}"` when the caller's
//! `base` is such a URL. (`request.path` can start with
//! `//` only under a catch-all pattern at the site root; djguard does not model that case.)
//!
//! ## Why is this bad?
//! A link to your login page with `?next=https://evil.example/` sends users, after they log
//! in on your real site, to a look-alike page that asks for their password again or serves
//! malware. The trusted domain in the link is what makes the phishing work.
//!
//! ## Example
//! ```python
//! def after_login(request):
//!     return redirect(request.GET.get("next", "/"))
//! ```
//!
//! ## Fix
//! Check the target first:
//! `if not url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}, require_https=request.is_secure()): url = "/"`,
//! or redirect to named URLs only (`redirect("home")`).
//!
//! ## References
//! - Django documentation: django.utils.http.url_has_allowed_host_and_scheme
//! - OWASP Unvalidated Redirects and Forwards Cheat Sheet
//! - CWE-601: URL Redirection to Untrusted Site

use super::{ArgRef, CallSite, Checked, Low, Sink, TaintRule};
use crate::finding::Severity;
use crate::rules::RuleMeta;

pub static RULE: TaintRule = TaintRule {
    meta: RuleMeta {
        id: "DJG105",
        title: "Redirect to a URL taken from the request (open redirect)",
        severity: Severity::Medium,
        cwe: Some(601),
        groups: &["code"],
    },
    names: &[
        "redirect",
        "HttpResponseRedirect",
        "HttpResponsePermanentRedirect",
    ],
    sinks,
    fix: "Check the target with url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}, require_https=request.is_secure()) and fall back to a fixed URL, or redirect to named URLs only.",
};

fn sinks(site: &CallSite, out: &mut Vec<Sink>) {
    let name = match site.qualname {
        Some("django.shortcuts.redirect") => "redirect()",
        Some("django.http.HttpResponseRedirect" | "django.http.response.HttpResponseRedirect") => {
            "HttpResponseRedirect()"
        }
        Some(
            "django.http.HttpResponsePermanentRedirect"
            | "django.http.response.HttpResponsePermanentRedirect",
        ) => "HttpResponsePermanentRedirect()",
        _ => return,
    };
    out.push(Sink {
        rule: &RULE.meta,
        name: name.to_string(),
        args: vec![ArgRef::PosOrKw(0, "redirect_to")],
        low: Low::Never,
        checked: Checked::Redirect,
        origin_only: true,
    });
}
