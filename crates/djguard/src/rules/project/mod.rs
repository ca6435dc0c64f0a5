//! djguard's own settings and project rules (`DJG0xx`).

use crate::rules::RuleMeta;

pub mod djg001;

pub static ALL: &[&RuleMeta] = &[&djg001::META];
