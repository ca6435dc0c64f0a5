//! What every rule is, whichever engine runs it: its id, title, severity, CWE and selector
//! groups, and how a selector (`security`, `DJG1`, `ALL`) names rules. The rules themselves
//! live with the engine that runs them; the list of all of them is assembled by the binary.

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

/// Every rule of a build, in id order. The binary assembles it from the crates that define
/// rules; renderers and selectors look rules up here instead of knowing any rule.
#[derive(Debug, Default)]
pub struct Registry {
    rules: Vec<&'static RuleMeta>,
}

impl Registry {
    pub fn new(mut rules: Vec<&'static RuleMeta>) -> Registry {
        rules.sort_by(|a, b| a.id.cmp(b.id));
        Registry { rules }
    }

    /// Every rule, in id order.
    pub fn all(&self) -> &[&'static RuleMeta] {
        &self.rules
    }

    /// The rule with this id (any case).
    pub fn find(&self, id: &str) -> Option<&'static RuleMeta> {
        self.rules
            .iter()
            .copied()
            .find(|r| r.id.eq_ignore_ascii_case(id))
    }

    /// Whether a selector names at least one rule (unknown ones are a usage error).
    pub fn selector_is_known(&self, selector: &str) -> bool {
        self.rules.iter().any(|r| selector_matches(selector, r))
    }
}
