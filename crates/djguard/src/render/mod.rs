//! Renderers: turn a finished `Report` into text for people or JSON for machines. They know
//! nothing about rules.

pub mod json;
pub mod text;
