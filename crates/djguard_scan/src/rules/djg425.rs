//! # DJG425: Admin at the default URL
//!
//! ## What it does
//! Requests `/admin/`, follows the redirect to `/admin/login/?next=/admin/`, and fires when the
//! final page is Django's admin login: the title "Log in | Django site admin" (or the project's
//! own `site_title`) with the `id_username` and `id_password` inputs and a
//! `csrfmiddlewaretoken`. Any other 200 (a single-page app answering every path) does not count.
//! The severity rises to medium when the login form is served over plain HTTP, where the
//! password travels in clear text.
//!
//! ## Why is this bad?
//! The admin login guards every model of the site, and `/admin/` is the first path every scanner
//! and every credential-stuffing bot tries. The page also confirms that the site runs Django.
//! Moving it does not replace strong passwords, two-factor authentication and rate limiting, but
//! it takes the admin out of the drive-by traffic.
//!
//! ## Example
//! ```text
//! GET /admin/ HTTP/1.1
//! Host: example.com
//!
//! HTTP/1.1 302 Found
//! Location: /admin/login/?next=/admin/
//!
//! GET /admin/login/?next=/admin/ HTTP/1.1
//! Host: example.com
//!
//! HTTP/1.1 200 OK
//! Content-Type: text/html; charset=utf-8
//!
//! <title>Log in | Django site admin</title>
//! ```
//!
//! ## Fix
//! Mount the admin at a path that is not guessable, ideally from configuration, in `urls.py`:
//! ```python
//! urlpatterns = [path(os.environ.get("DJANGO_ADMIN_PATH", "staff-4f9c/"), admin.site.urls)]
//! ```
//! Restrict it by network where possible (VPN, or `allow`/`deny` in an nginx `location` for that
//! path), add two-factor authentication (django-otp's `OTPAdminSite`, django-two-factor-auth)
//! and lock out repeated failures (django-axes). The source side is DJG019.
//!
//! ## References
//! - Django documentation: The Django admin site
//! - Django deployment checklist
//! - django-axes documentation
//! - OWASP Authentication Cheat Sheet; Credential Stuffing Prevention Cheat Sheet
//! - CWE-200: Exposure of Sensitive Information to an Unauthorized Actor

use super::{LiveRule, Penalty};
use crate::finding::Severity;
use crate::rules::RuleMeta;

pub static RULE: LiveRule = LiveRule {
    meta: RuleMeta {
        id: "DJG425",
        title: "Admin at the default URL",
        severity: Severity::Low,
        cwe: Some(200),
        groups: &["live", "scan"],
    },
    penalty: Penalty::None,
};
