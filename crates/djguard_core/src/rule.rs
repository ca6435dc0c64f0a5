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
