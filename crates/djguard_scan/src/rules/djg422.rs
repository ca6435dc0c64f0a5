//! # DJG422: DEBUG pages exposed
//!
//! ## What it does
//! Requests a random path that cannot exist, and looks at the error pages met during the scan.
//! Fires when a response is Django's technical error page: the 404 page that lists the URL
//! patterns, or the 500 page with the traceback. Both end with the note "You're seeing this
//! error because you have DEBUG = True in your Django settings file"; Django 3.0 and later write
//! it with a typographic apostrophe (U+2019), older releases with a straight one, and both are
//! recognised.
//!
//! ## Why is this bad?
//! The debug pages give any visitor a map and a toolbox: every URL pattern of the project,
//! hidden and internal ones included; full tracebacks with the local variables of each frame;
//! the request's headers and environment; the settings, where Django masks only the names
//! containing `API`, `AUTH`, `TOKEN`, `KEY`, `SECRET`, `PASS` or `SIGNATURE` and shows the rest
//! (database hosts, storage bucket names, credentials kept under other names); file paths; and
//! the exact Django and Python versions. A single error page can reveal enough to take over the
//! site.
//!
//! ## Example
//! ```text
//! GET /djguard-5f2c9a/ HTTP/1.1
//! Host: example.com
//!
//! HTTP/1.1 404 Not Found
//! Content-Type: text/html; charset=utf-8
//!
//! <title>Page not found at /djguard-5f2c9a/</title>
//! ... Using the URLconf defined in <code>mysite.urls</code>, Django tried these URL patterns ...
//! You’re seeing this error because you have <code>DEBUG = True</code> in
//! your Django settings file.
//! ```
//!
//! ## Fix
//! Turn debugging off in production and make off the default:
//! ```python
//! DEBUG = os.environ.get("DJANGO_DEBUG") == "1"
//! ```
//! (Django's check `security.W018`). With `DEBUG = False`, `ALLOWED_HOSTS` must list the site's
//! names and static files must be served by the web server or WhiteNoise; restart the
//! application server afterwards. Treat what the pages showed as public: rotate `SECRET_KEY` and
//! any credential that appeared in settings or tracebacks.
//!
//! ## References
//! - Django deployment checklist: DEBUG
//! - Django documentation: Settings, DEBUG
//! - Django documentation: How to manage error reporting, "Filtering sensitive information"
//! - OWASP Web Security Testing Guide: Testing for Improper Error Handling
//! - CWE-489: Active Debug Code

use super::{LiveRule, Penalty};
use crate::finding::Severity;
use crate::rules::RuleMeta;

pub static RULE: LiveRule = LiveRule {
    meta: RuleMeta {
        id: "DJG422",
        title: "DEBUG pages exposed",
        severity: Severity::Critical,
        cwe: Some(489),
        groups: &["live", "scan"],
    },
    penalty: Penalty::Points(-50),
};
