//! # DJG020: Files served by django.views.static.serve in production
//!
//! ## What it does
//! Fires when the ROOT_URLCONF module routes requests to `django.views.static.serve` outside an
//! `if settings.DEBUG:` block. (The `static()` helper from `django.conf.urls.static` is fine: it
//! adds nothing when DEBUG is off.)
//!
//! ## Why is this bad?
//! `serve` is a development convenience: it is slow, holds a worker for the whole download, and
//! serves whatever lies under the document root, including user uploads, with the site's origin.
//! Uploaded HTML or SVG served that way runs scripts as your site. Django's documentation says it
//! is insecure for production use.
//!
//! ## Example
//! ```python
//! from django.views.static import serve
//! urlpatterns += [re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT})]
//! ```
//!
//! ## Fix
//! Serve static files with WhiteNoise or the web server, and media from object storage or the
//! web server with `Content-Disposition: attachment` for user uploads. Keep `serve` under
//! `if settings.DEBUG:` for development.
//!
//! ## References
//! - Django documentation: How to deploy static files; django.views.static.serve
//! - CWE-552: Files or Directories Accessible to External Parties

use crate::finding::Severity;
use crate::rules::RuleMeta;
use crate::rules::django::{DjangoCx, DjangoRule, Hit, Outcome};
use crate::settings::eval::Origin;

pub static RULE: DjangoRule = DjangoRule {
    meta: RuleMeta {
        id: "DJG020",
        title: "Files served by django.views.static.serve in production",
        severity: Severity::Medium,
        cwe: Some(552),
        groups: &["settings"],
    },
    deploy_only: true,
    since: (3, 0),
    until: None,
    check,
};

fn check(cx: &DjangoCx) -> Outcome {
    let Some(file) = super::urlconf::root_urlconf(cx)? else {
        return Ok(Vec::new());
    };
    Ok(super::urlconf::uses(cx.project, file)
        .into_iter()
        .filter(|u| u.name == "django.views.static.serve" && !u.debug_guarded)
        .take(1)
        .map(|u| {
            let mut h = Hit::new(
                "ROOT_URLCONF",
                "The URL conf routes requests to django.views.static.serve outside an `if settings.DEBUG:` block, so production serves files through Django's development view.".into(),
                "Serve static and media files with the web server, WhiteNoise or object storage; keep `serve` under `if settings.DEBUG:`.",
            );
            h.at.origin = Some(Origin { file: u.file, range: u.range });
            h
        })
        .collect())
}
