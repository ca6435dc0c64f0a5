//! # DJG424: Development server in production
//!
//! ## What it does
//! Fires when a response carries `Server: WSGIServer/<version> CPython/<version>`, the header of
//! Python's `wsgiref` server on which `manage.py runserver` is built.
//!
//! ## Why is this bad?
//! Django's documentation is explicit that `runserver` is for development only: it has not been
//! through security audits or performance tests, and it lacks what a production server provides
//! (worker processes and supervision, limits and timeouts against slow or abusive clients,
//! graceful restarts). It is usually started by hand, often with `DEBUG = True`, and reloads
//! itself when code changes. The header also discloses the Python version.
//!
//! ## Example
//! ```text
//! GET / HTTP/1.1
//! Host: example.com
//!
//! HTTP/1.1 200 OK
//! Server: WSGIServer/0.2 CPython/3.12.3
//! Content-Type: text/html; charset=utf-8
//! ```
//!
//! ## Fix
//! Run the project under a production application server, bound to a local address or socket
//! behind nginx, Apache or your platform's router:
//! - WSGI: `gunicorn mysite.wsgi:application` or uWSGI;
//! - ASGI: `uvicorn mysite.asgi:application`, Daphne, or Gunicorn with Uvicorn workers;
//!
//! managed by systemd or your platform, with `DEBUG = False` and static files served by the web
//! server or WhiteNoise.
//!
//! ## References
//! - Django documentation: django-admin and manage.py, runserver
//! - Django documentation: How to deploy with WSGI (Gunicorn, uWSGI); How to deploy with ASGI
//! - Python documentation: wsgiref.simple_server
//! - CWE-489: Active Debug Code

use super::{LiveRule, Penalty};
use crate::finding::Severity;
use crate::rules::RuleMeta;

pub static RULE: LiveRule = LiveRule {
    meta: RuleMeta {
        id: "DJG424",
        title: "Development server in production",
        severity: Severity::High,
        cwe: Some(489),
        groups: &["live", "scan"],
    },
    penalty: Penalty::Points(-20),
};
