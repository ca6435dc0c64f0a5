//! djguard's static audit of a Django project's own source: the project model (which files,
//! which apps, which settings modules), the settings evaluator with Django's defaults, the code
//! audit (routes, taint engine, pattern rules), the template audit, and the rules each of them
//! runs (`rules`: `DJG0xx` settings and project rules, `security.*` parity checks, `DJG1xx`
//! code, `DJG2xx` templates).
//!
//! It never imports or runs the project, never reads the machine's environment for settings,
//! and never touches the network: no async, HTTP or TLS crate may enter here. Rules do no I/O;
//! they judge the model the engines built.

pub mod code;
pub mod discover;
pub mod django;
pub mod project;
pub mod rules;
pub mod settings;
pub mod templates;

use djguard_core::{finding, source, suppress};
use djguard_python as python;
