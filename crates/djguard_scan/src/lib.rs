//! The live checkup, `djguard scan URL...`: deployed sites judged from the outside, and the
//! live-site rules (`DJG4xx`, in `rules`) it reports. This is the crate that talks to the
//! network: tokio, hyper and rustls live here and nowhere in the static audit. It never reads
//! the project's files: what it judges is what the site answered.
//!
//! `fetch` is the transport (hop by hop, TLS verdict recorded, everything bounded),
//! `legacy_tls` the TLS 1.0/1.1 prober, `probe` the requests made per site, `analyse` turns
//! what they showed into `DJG4xx` findings and Observatory-compatible tests (with the pure
//! header analysers `hsts`, `csp`, `cookies`, `html`), `report` the types of what is reported,
//! `grade` the score and letter, `run` a fleet with bounded concurrency, `render` the output.

pub mod analyse;
pub mod cookies;
pub mod csp;
pub mod fetch;
pub mod grade;
pub mod hsts;
pub mod html;
pub mod legacy_tls;
pub mod probe;
pub mod render;
pub mod report;
pub mod rules;
pub mod run;

use djguard_core::{dates, finding};
