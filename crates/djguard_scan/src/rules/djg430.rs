//! # DJG430: Django version disclosed
//!
//! ## What it does
//! Fires when a response states the exact Django version: the "Django Version:" row of the
//! technical error pages shown under `DEBUG = True` (the 500 traceback page, and the 400 page for
//! a disallowed `Host`), or a header or page text that names the version (a custom header, a
//! footer rendering `django.get_version()`).
//!
//! ## Why is this bad?
//! The exact release tells an attacker which of Django's published security advisories still
//! apply, without probing. Django's security releases regularly fix issues such as SQL
//! injection through particular ORM calls and denial of service, so a version that is behind is
//! a list of ready-made attacks.
//!
//! ## Example
//! ```text
//! GET / HTTP/1.1
//! Host: djguard-7c1e.invalid
//!
//! HTTP/1.1 400 Bad Request
//! Content-Type: text/html; charset=utf-8
//!
//! <title>DisallowedHost at /</title>
//! <th scope="row">Django Version:</th>
//! <td>5.2.19</td>
//! ```
//!
//! ## Fix
//! Set `DEBUG = False` in production (check `security.W018`), which removes the technical pages;
//! do not put the version in templates or headers; and stay on the newest patch release of your
//! series (DJG303 tells you when you are behind).
//!
//! ## References
//! - Django deployment checklist: DEBUG
//! - Django documentation: Security issues archive; Django's security policies
//! - OWASP Web Security Testing Guide: Fingerprint Web Application Framework
//! - CWE-200: Exposure of Sensitive Information to an Unauthorized Actor

use super::{LiveRule, Penalty};
use crate::finding::Severity;
use crate::rules::RuleMeta;

pub static RULE: LiveRule = LiveRule {
    meta: RuleMeta {
        id: "DJG430",
        title: "Django version disclosed",
        severity: Severity::Medium,
        cwe: Some(200),
        groups: &["live", "scan"],
    },
    penalty: Penalty::Points(-5),
};
