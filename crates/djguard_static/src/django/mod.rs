//! Facts about Django itself: releases, version pins, and the global defaults of the settings
//! the checks read.

pub mod defaults;
pub use djguard_core::django_version as version;
