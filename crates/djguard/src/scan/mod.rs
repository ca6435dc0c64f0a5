//! The live checkup (`djguard scan`, issue 7), being built: so far the header analysers that
//! judge what a site sent, without any networking. They are pure functions over header
//! values so that the transport (redirect hops, TLS) and the grading can be tested apart.

pub mod cookies;
pub mod hsts;
