//! # DJG427: Secret files exposed
//!
//! ## What it does
//! Requests `/.env`, `/.git/HEAD` and `/.git/config`, and fires when one is served with content
//! that looks like the real file rather than an error or catch-all page: `KEY=value` lines for
//! `.env`, `ref: refs/...` or a commit hash for `HEAD`, a `[core]` section for `config`.
//!
//! ## Why is this bad?
//! A `.env` file usually holds the `SECRET_KEY`, the database URL with its password, and keys for
//! e-mail, storage and payment services; one download gives them all away. With the `SECRET_KEY`,
//! an attacker can forge any value Django signs with the key alone: signed cookies, tokens from
//! `django.core.signing`, and whole sessions when `SESSION_ENGINE` keeps them in signed cookies. An
//! exposed `.git` folder lets tools rebuild the whole repository: the source code, and every secret
//! ever committed in its history.
//!
//! ## Example
//! ```text
//! GET /.env HTTP/1.1
//! Host: example.com
//!
//! HTTP/1.1 200 OK
//! Content-Type: application/octet-stream
//!
//! DJANGO_SECRET_KEY=...
//! DATABASE_URL=postgres://app:...@db:5432/app
//! ```
//!
//! ## Fix
//! Serve only what is meant to be public: point the web server at `STATIC_ROOT` and
//! `MEDIA_ROOT`, never at the project folder, and keep `.env` and `.git` out of those folders,
//! out of `STATICFILES_DIRS`, and out of the deployed image (`.dockerignore`). Deny dotfiles at
//! the web server, keeping the ACME path open:
//! ```nginx
//! location ~ /\.(?!well-known/) {
//!     deny all;
//! }
//! ```
//! Then treat the contents as leaked: set a new `SECRET_KEY` and do not list the old one in
//! `SECRET_KEY_FALLBACKS` (everyone is logged out, as they should be), change every password
//! and key the file held, and search the repository history for other secrets.
//!
//! ## References
//! - Django documentation: Settings, SECRET_KEY and SECRET_KEY_FALLBACKS
//! - Django documentation: How to deploy static files
//! - nginx documentation: location
//! - OWASP Web Security Testing Guide: Review Old Backup and Unreferenced Files for Sensitive
//!   Information
//! - OWASP Secrets Management Cheat Sheet
//! - CWE-538: Insertion of Sensitive Information into Externally-Accessible File or Directory

use super::{LiveRule, Penalty};
use crate::finding::Severity;
use crate::rules::RuleMeta;

pub static RULE: LiveRule = LiveRule {
    meta: RuleMeta {
        id: "DJG427",
        title: "Secret files exposed",
        severity: Severity::Critical,
        cwe: Some(538),
        groups: &["live", "scan"],
    },
    penalty: Penalty::Points(-50),
};
