//! Live-site rules (`DJG4xx`), emitted by the live checkup (`djguard scan`, `crate::scan`):
//! what the deployed site answers over the network, its TLS, headers, cookies and exposed
//! pages.

use crate::rules::RuleMeta;

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
    &djg401::META,
    &djg402::META,
    &djg403::META,
    &djg404::META,
    &djg405::META,
    &djg406::META,
    &djg407::META,
    &djg408::META,
    &djg409::META,
    &djg410::META,
    &djg411::META,
    &djg412::META,
    &djg413::META,
    &djg414::META,
    &djg415::META,
    &djg416::META,
    &djg417::META,
    &djg418::META,
    &djg419::META,
    &djg420::META,
    &djg421::META,
    &djg422::META,
    &djg423::META,
    &djg424::META,
    &djg425::META,
    &djg426::META,
    &djg427::META,
    &djg428::META,
    &djg429::META,
    &djg430::META,
];
