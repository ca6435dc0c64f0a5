//! The rules of the static audit, each one module with its documentation in the module's `//!`
//! comment (the binary's build script collects them for `djguard rule ID`): settings rules
//! (`django`), project-wide rules (`project`), code rules (`code`), template rules
//! (`templates`).

pub mod code;
pub mod django;
pub mod project;
pub mod templates;

pub use djguard_core::rule::RuleMeta;
