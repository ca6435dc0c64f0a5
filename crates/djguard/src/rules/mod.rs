//! The rule registry. Every rule is one module with its documentation in the module's `//!`
//! comment; `build.rs` collects those comments so `djguard rule ID` prints them and the
//! README's rule table is generated from the same text.

pub mod code;
pub mod deps;
pub mod django;
pub mod live;
pub mod project;
pub mod templates;

use crate::finding::Severity;

/// Static facts about a rule, shared by every kind of rule.
#[derive(Debug)]
pub struct RuleMeta {
    pub id: &'static str,
    pub title: &'static str,
    pub severity: Severity,
    pub cwe: Option<u32>,
    /// Selector groups this rule belongs to besides its id (`django`, `settings`, ...).
    pub groups: &'static [&'static str],
}

mod docs {
    include!(concat!(env!("OUT_DIR"), "/rule_docs.rs"));
}

/// Every rule, in id order.
pub fn all() -> Vec<&'static RuleMeta> {
    let mut v: Vec<&'static RuleMeta> = django::ALL.iter().map(|r| &r.meta).collect();
    v.extend(project::ALL.iter().copied());
    v.extend(project::SETTINGS_RULES.iter().map(|r| &r.meta));
    v.extend(code::TAINT_RULES.iter().map(|r| &r.meta));
    v.extend(code::PATTERN_RULES.iter().map(|r| &r.meta));
    v.extend(templates::TEMPLATE_RULES.iter().map(|r| &r.meta));
    v.extend(deps::ALL.iter().copied());
    v.extend(live::ALL.iter().copied());
    v.sort_by(|a, b| a.id.cmp(b.id));
    v
}

pub fn find(id: &str) -> Option<&'static RuleMeta> {
    all().into_iter().find(|r| r.id.eq_ignore_ascii_case(id))
}

/// The documentation written at the top of the rule's module.
pub fn doc(id: &str) -> Option<&'static str> {
    docs::RULE_DOCS
        .iter()
        .find(|(i, _)| i.eq_ignore_ascii_case(id))
        .map(|(_, d)| *d)
}

/// Every documented rule id (for the consistency test).
pub fn documented_ids() -> Vec<&'static str> {
    docs::RULE_DOCS.iter().map(|(i, _)| *i).collect()
}

/// Whether a selector (`security.W004`, `security`, `django`, `DJG0`, `ALL`) names this rule.
pub fn selector_matches(selector: &str, rule: &RuleMeta) -> bool {
    let sel = selector.trim();
    if sel.eq_ignore_ascii_case("all") {
        return true;
    }
    if rule.groups.iter().any(|g| g.eq_ignore_ascii_case(sel)) {
        return true;
    }
    // Prefix selection, as in Ruff: `security` selects every `security.*` id, `DJG0` the
    // settings rules.
    rule.id
        .to_ascii_lowercase()
        .starts_with(&sel.to_ascii_lowercase())
}

/// Whether a selector names at least one known rule (unknown ones are a usage error).
pub fn selector_is_known(selector: &str) -> bool {
    all().iter().any(|r| selector_matches(selector, r))
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_documented_rule_is_registered_and_every_rule_documented() {
        let registered: Vec<&str> = super::all().iter().map(|r| r.id).collect();
        for id in super::documented_ids() {
            assert!(
                registered.contains(&id),
                "{id} has docs but is not registered"
            );
        }
        for id in &registered {
            assert!(
                super::doc(id).is_some(),
                "{id} is registered but has no docs"
            );
        }
    }
}
