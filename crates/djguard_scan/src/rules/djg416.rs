//! # DJG416: CORS open to any origin
//!
//! ## What it does
//! Sends a CORS preflight (`OPTIONS` with `Access-Control-Request-Method`) and a `GET`, both with
//! an `Origin` header naming a made-up foreign site. Fires with high severity when the response
//! echoes that origin in `Access-Control-Allow-Origin` together with
//! `Access-Control-Allow-Credentials: true`, and with low severity when it answers
//! `Access-Control-Allow-Origin: *`.
//!
//! ## Why is this bad?
//! With the origin reflected and credentials allowed, any web page the user visits can send
//! requests to your site with the user's cookies and read the answers: profile data, API keys,
//! CSRF tokens, anything the logged-in user can see. Browsers do not let a page read a
//! credentialed response answered with `*`, so the wildcard exposes only what can be read
//! without logging in; that is correct for a public API, but not for data protected by network
//! position (an intranet, an IP allowlist).
//!
//! ## Example
//! ```text
//! OPTIONS /api/me/ HTTP/1.1
//! Host: example.com
//! Origin: https://djguard-probe.invalid
//! Access-Control-Request-Method: GET
//!
//! HTTP/1.1 200 OK
//! Access-Control-Allow-Origin: https://djguard-probe.invalid
//! Access-Control-Allow-Credentials: true
//! Vary: Origin
//! ```
//!
//! ## Fix
//! With django-cors-headers, list the origins that need access:
//! ```python
//! CORS_ALLOWED_ORIGINS = ["https://app.example.com"]
//! CORS_ALLOW_CREDENTIALS = True        # only if those origins must send cookies
//! CORS_URLS_REGEX = r"^/api/.*$"       # limit CORS to the API
//! ```
//! Never combine `CORS_ALLOW_ALL_ORIGINS = True` with `CORS_ALLOW_CREDENTIALS = True`:
//! django-cors-headers then echoes whatever origin asks. Anchor every entry of
//! `CORS_ALLOWED_ORIGIN_REGEXES` (`r"^https://\w+\.example\.com$"`), and remove any proxy rule
//! that copies the request's origin (`add_header Access-Control-Allow-Origin $http_origin`). The
//! settings side is DJG008.
//!
//! ## References
//! - django-cors-headers documentation: CORS_ALLOWED_ORIGINS, CORS_ALLOW_ALL_ORIGINS,
//!   CORS_ALLOW_CREDENTIALS, CORS_URLS_REGEX
//! - WHATWG Fetch Standard: CORS protocol
//! - MDN: Cross-Origin Resource Sharing (CORS); Access-Control-Allow-Credentials
//! - OWASP Web Security Testing Guide: Testing Cross Origin Resource Sharing
//! - CWE-942: Permissive Cross-domain Policy with Untrusted Domains

use super::{LiveRule, Penalty};
use crate::finding::Severity;
use crate::rules::RuleMeta;

pub static RULE: LiveRule = LiveRule {
    meta: RuleMeta {
        id: "DJG416",
        title: "CORS open to any origin",
        severity: Severity::High,
        cwe: Some(942),
        groups: &["live", "scan"],
    },
    penalty: Penalty::None,
};
