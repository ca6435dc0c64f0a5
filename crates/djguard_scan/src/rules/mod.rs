//! Live-site rules (`DJG4xx`), emitted by the live checkup (`djguard scan`):
//! what the deployed site answers over the network, its TLS, headers, cookies and exposed
//! pages.

use crate::finding::Severity;
pub use djguard_core::rule::{RuleMeta, selector_matches};

/// The documentation at the top of each rule module of this crate, by id (collected by
/// `build.rs`), for `djguard rule ID`.
pub static DOCS: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/rule_docs.rs"));

/// A live-site rule: its metadata, and the points a finding of it takes from the site's score
/// (djguard's Django-specific modifiers on top of the Observatory-compatible tests).
#[derive(Debug)]
pub struct LiveRule {
    pub meta: RuleMeta,
    pub penalty: Penalty,
}

/// Rules are the same when their ids are.
impl PartialEq for LiveRule {
    fn eq(&self, other: &Self) -> bool {
        self.meta.id == other.meta.id
    }
}

impl Eq for LiveRule {}

/// Points a live finding takes from the score.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Penalty {
    None,
    Points(i32),
    /// More for a finding of high severity or above.
    BySeverity {
        high: i32,
        lower: i32,
    },
}

impl Penalty {
    /// The modifier for a finding of this severity (0 for none).
    pub fn points(self, severity: Severity) -> i32 {
        match self {
            Penalty::None => 0,
            Penalty::Points(p) => p,
            Penalty::BySeverity { high, lower } => {
                if severity >= Severity::High {
                    high
                } else {
                    lower
                }
            }
        }
    }
}

pub mod djg401;
pub mod djg402;
pub mod djg403;
pub mod djg404;
pub mod djg405;
pub mod djg406;
pub mod djg407;
pub mod djg408;
pub mod djg409;
pub mod djg410;
pub mod djg411;
pub mod djg412;
pub mod djg413;
pub mod djg414;
pub mod djg415;
pub mod djg416;
pub mod djg417;
pub mod djg418;
pub mod djg419;
pub mod djg420;
pub mod djg421;
pub mod djg422;
pub mod djg423;
pub mod djg424;
pub mod djg425;
pub mod djg426;
pub mod djg427;
pub mod djg428;
pub mod djg429;
pub mod djg430;

pub static ALL: &[&RuleMeta] = &[
    &djg401::RULE.meta,
    &djg402::RULE.meta,
    &djg403::RULE.meta,
    &djg404::RULE.meta,
    &djg405::RULE.meta,
    &djg406::RULE.meta,
    &djg407::RULE.meta,
    &djg408::RULE.meta,
    &djg409::RULE.meta,
    &djg410::RULE.meta,
    &djg411::RULE.meta,
    &djg412::RULE.meta,
    &djg413::RULE.meta,
    &djg414::RULE.meta,
    &djg415::RULE.meta,
    &djg416::RULE.meta,
    &djg417::RULE.meta,
    &djg418::RULE.meta,
    &djg419::RULE.meta,
    &djg420::RULE.meta,
    &djg421::RULE.meta,
    &djg422::RULE.meta,
    &djg423::RULE.meta,
    &djg424::RULE.meta,
    &djg425::RULE.meta,
    &djg426::RULE.meta,
    &djg427::RULE.meta,
    &djg428::RULE.meta,
    &djg429::RULE.meta,
    &djg430::RULE.meta,
];

/// The live rule with this id (any case).
pub fn find(id: &str) -> Option<&'static RuleMeta> {
    ALL.iter().copied().find(|r| r.id.eq_ignore_ascii_case(id))
}
