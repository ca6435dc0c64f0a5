//! Renderers: turn a finished `Report` into text for people or JSON for machines. They know
//! no rule (a finding carries its rule's metadata), read no file and run no
//! check: what they print is what the report holds. No network or async crate here.

pub mod json;
pub mod text;
