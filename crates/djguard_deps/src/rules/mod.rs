//! Dependency and Django-version rules (`DJG3xx`), emitted by the dependency audit
//! (`crate::audit`).

pub use djguard_core::rule::RuleMeta;

/// The documentation at the top of each rule module of this crate, by id (collected by
/// `build.rs`), for `djguard rule ID`.
pub static DOCS: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/rule_docs.rs"));

pub mod djg301;
pub mod djg302;
pub mod djg303;
pub mod djg304;
pub mod djg305;

pub static ALL: &[&RuleMeta] = &[
    &djg301::META,
    &djg302::META,
    &djg303::META,
    &djg304::META,
    &djg305::META,
];
