//! The rule registry. Every rule is one module with its documentation in the module's `//!`
//! comment; each rule crate's `build.rs` collects those comments (`djguard_ruledocs`) into its
//! `rules::DOCS`, and this registry joins the crates' lists, so `djguard rule ID` prints them
//! and the README's rule table is generated from the same text.

pub use djguard_deps::rules as deps;
#[cfg(feature = "scan")]
pub use djguard_scan::rules as live;
pub use djguard_static::rules::{code, django, project, templates};

pub use djguard_core::rule::{Registry, RuleMeta, selector_matches};

/// Every rule crate's documentation, sorted by id, joined once.
fn docs() -> &'static [(&'static str, &'static str)] {
    static DOCS: std::sync::OnceLock<Vec<(&'static str, &'static str)>> =
        std::sync::OnceLock::new();
    DOCS.get_or_init(|| {
        let mut v: Vec<(&'static str, &'static str)> = djguard_static::rules::DOCS.to_vec();
        v.extend_from_slice(deps::DOCS);
        #[cfg(feature = "scan")]
        v.extend_from_slice(live::DOCS);
        v.sort();
        v
    })
}

/// Every rule of this build, assembled once from the crates that define them.
pub fn registry() -> &'static Registry {
    static REGISTRY: std::sync::OnceLock<Registry> = std::sync::OnceLock::new();
    REGISTRY.get_or_init(|| {
        let mut v: Vec<&'static RuleMeta> = django::ALL.iter().map(|r| &r.meta).collect();
        v.extend(project::ALL.iter().copied());
        v.extend(project::SETTINGS_RULES.iter().map(|r| &r.meta));
        v.extend(code::TAINT_RULES.iter().map(|r| &r.meta));
        v.extend(code::PATTERN_RULES.iter().map(|r| &r.meta));
        v.extend(templates::TEMPLATE_RULES.iter().map(|r| &r.meta));
        v.extend(deps::ALL.iter().copied());
        #[cfg(feature = "scan")]
        v.extend(live::ALL.iter().copied());
        Registry::new(v)
    })
}

/// Every rule, in id order.
pub fn all() -> Vec<&'static RuleMeta> {
    registry().all().to_vec()
}

pub fn find(id: &str) -> Option<&'static RuleMeta> {
    registry().find(id)
}

/// The documentation written at the top of the rule's module.
pub fn doc(id: &str) -> Option<&'static str> {
    docs()
        .iter()
        .find(|(i, _)| i.eq_ignore_ascii_case(id))
        .map(|(_, d)| *d)
}

/// Every documented rule id (for the consistency test).
pub fn documented_ids() -> Vec<&'static str> {
    docs().iter().map(|(i, _)| *i).collect()
}

/// Whether a selector names at least one known rule (unknown ones are a usage error).
pub fn selector_is_known(selector: &str) -> bool {
    registry().selector_is_known(selector)
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
