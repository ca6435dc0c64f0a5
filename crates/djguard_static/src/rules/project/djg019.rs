//! # DJG019: Admin mounted at the default admin/ path
//!
//! ## What it does
//! Fires when the ROOT_URLCONF module routes `"admin/"` (or `^admin/` with `re_path`/`url`) to
//! `admin.site.urls`, the path every Django tutorial and every scanner uses.
//!
//! ## Why is this bad?
//! The admin login is the most valuable form on a Django site: it guards every model. At the
//! default path it is found by the first automated scan, which then starts credential stuffing
//! and password guessing against it; it also tells attackers the site runs Django. Moving it
//! does not replace strong passwords, two-factor authentication or rate limiting, but it takes
//! the site out of the drive-by traffic.
//!
//! ## Example
//! ```python
//! urlpatterns = [path("admin/", admin.site.urls)]
//! ```
//!
//! ## Fix
//! Mount it at a path that is not guessable, ideally from configuration:
//! `path(os.environ.get("DJANGO_ADMIN_PATH", "manage-4f9c/"), admin.site.urls)`, or serve it on a
//! separate host reachable only through a VPN. Pair it with DJG007's login rate limiting.
//!
//! ## References
//! - Django deployment checklist (admin site)
//! - OWASP Authentication Cheat Sheet: Protect Against Automated Attacks
//! - CWE-1188: Initialization of a Resource with an Insecure Default

use crate::finding::Severity;
use crate::rules::RuleMeta;
use crate::rules::django::{DjangoCx, DjangoRule, Hit, Outcome};
use crate::settings::eval::Origin;

pub static RULE: DjangoRule = DjangoRule {
    meta: RuleMeta {
        id: "DJG019",
        title: "Admin mounted at the default admin/ path",
        severity: Severity::Low,
        cwe: Some(1188),
        groups: &["settings"],
    },
    deploy_only: true,
    since: (3, 0),
    until: None,
    check,
};

fn default_route(route: &str) -> bool {
    matches!(
        route.trim_start_matches('^').trim_end_matches('$'),
        "admin/" | "admin"
    )
}

fn check(cx: &DjangoCx) -> Outcome {
    let Some(file) = super::urlconf::root_urlconf(cx)? else {
        return Ok(Vec::new());
    };
    let hit = super::urlconf::uses(cx.project, file)
        .into_iter()
        .find(|u| u.name.ends_with("site.urls") && u.route.as_deref().is_some_and(default_route));
    Ok(hit
        .map(|u| {
            let mut h = Hit::new(
                "ROOT_URLCONF",
                format!("The admin is mounted at {:?}, the first path scanners try, so its login draws automated password guessing.", u.route.unwrap_or_default()),
                "Mount admin.site.urls at a non-default path (from configuration), and rate-limit its login.",
            );
            h.at.origin = Some(Origin { file: u.file, range: u.range });
            h
        })
        .into_iter()
        .collect())
}
