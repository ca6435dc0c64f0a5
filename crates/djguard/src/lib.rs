//! djguard: a static security auditor for Django projects. The library holds the pipeline
//! (discover → parse → project model → rules → findings → render); `main.rs` is the CLI edge.

pub use djguard_core::{dates, finding, source, suppress};
pub use djguard_deps as deps;
pub use djguard_python as python;
pub use djguard_render as render;
#[cfg(feature = "scan")]
pub use djguard_scan as scan;
pub use djguard_static::{code, discover, django, project, settings, templates};

pub mod check;
pub mod cli;
pub mod config;
pub mod options;
pub mod rules;
