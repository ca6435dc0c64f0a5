//! djguard's own settings and project rules (`DJG0xx`): hardening Django does not check.
//! They share the shape of Django's checks (a function of the evaluated settings, anchored on
//! a setting) and run on deployment settings only.

use crate::rules::RuleMeta;
use crate::rules::django::DjangoRule;

pub mod djg001;
pub mod djg002;
pub mod djg003;
pub mod djg004;
pub mod djg005;
pub mod djg006;
pub mod djg007;
pub mod djg008;
pub mod djg009;
pub mod djg010;
pub mod djg011;
pub mod djg012;
pub mod djg013;
pub mod djg014;
pub mod djg015;
pub mod djg016;
pub mod djg017;
pub mod djg018;
pub mod djg019;
pub mod djg020;
pub mod djg021;
pub mod djg022;
pub mod support;
pub mod urlconf;

/// Rules with no check function of their own (emitted by the pipeline).
pub static ALL: &[&RuleMeta] = &[&djg001::META, &djg018::META];

/// Settings rules, run like Django's checks.
pub static SETTINGS_RULES: &[&DjangoRule] = &[
    &djg002::RULE,
    &djg003::RULE,
    &djg004::RULE,
    &djg005::RULE,
    &djg006::RULE,
    &djg007::RULE,
    &djg008::RULE,
    &djg009::RULE,
    &djg010::RULE,
    &djg011::RULE,
    &djg012::RULE,
    &djg013::RULE,
    &djg014::RULE,
    &djg015::RULE,
    &djg016::RULE,
    &djg017::RULE,
    &djg019::RULE,
    &djg020::RULE,
    &djg021::RULE,
    &djg022::RULE,
];
