//! The live checkup (`djguard scan`, issue 7), being built: so far the header analysers that
//! judge what a site sent, without any networking. They are pure functions over header
//! values so that the transport (redirect hops, TLS) and the grading can be tested apart.

pub mod analyse;
pub mod cookies;
pub mod csp;
pub mod fetch;
pub mod grade;
pub mod hsts;
pub mod html;
pub mod legacy_tls;
pub mod probe;
pub mod render;
pub mod run;
