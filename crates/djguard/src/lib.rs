//! djguard, the binary's crate: the command line (`cli`), the configuration file (`config`),
//! flags and file merged into typed options (`options`), the `check` pipeline that runs the
//! static and dependency audits, and the registry of every crate's rules (`rules`). The
//! engines live in the crates below (see the README's Architecture); this crate holds no rule
//! and no engine. The old module paths (`djguard::settings`, `djguard::scan`, ...) are
//! re-exported so the tests and fuzz targets reach every stage through one name.

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
pub mod html_report;
pub mod init;
pub mod options;
pub mod rules;
