//! How the project's templates call its own filters and simple tags: a filter's or tag's
//! argument is data from a template only when some template passes something other than a
//! literal there (`{% avatar user 48 %}` passes a variable for the first argument, a constant
//! for the second).
//!
//! Read only when the taint engine has a flow that starts at such an argument; templates
//! are scanned once, by a light tokenizer (tags `{% name args %}`, filters `|name:arg` and
//! Jinja's `|name(args)`), not parsed.

use rustc_hash::FxHashMap as HashMap;

use crate::project::Project;

/// One use of a tag or filter: what it passes for each argument position (after the
/// implicit ones) and by keyword; `true` when the value is a literal.
#[derive(Debug, Default, Clone)]
pub struct Use {
    pub positional: Vec<bool>,
    pub keywords: Vec<(String, bool)>,
    /// For each positional argument that is a plain variable (`size`, not `a.b` or a
    /// filtered value), its name.
    pub vars: Vec<Option<String>>,
    /// The template (relative path) the use is in.
    pub template: String,
}

/// Every use in the project's templates of the given names, as a filter or as a tag.
#[derive(Debug, Default)]
pub struct Uses {
    pub filters: HashMap<String, Vec<Use>>,
    pub tags: HashMap<String, Vec<Use>>,
    /// When set, only uses of these names are recorded.
    only: Option<Vec<String>>,
    /// The template being added.
    current: String,
}

/// A template token that is a constant: a quoted string, a number, `True`/`False`/`None`.
fn literal(tok: &str) -> bool {
    let t = tok.trim();
    let t = t.strip_prefix('-').unwrap_or(t);
    (t.len() >= 2
        && ((t.starts_with('"') && t.ends_with('"')) || (t.starts_with('\'') && t.ends_with('\''))))
        || (!t.is_empty() && t.chars().all(|c| c.is_ascii_digit() || c == '.'))
        || matches!(t, "True" | "False" | "None" | "true" | "false" | "none")
}

/// Split on whitespace outside quotes.
fn words(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = None;
    let mut quote: Option<char> = None;
    for (i, c) in s.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => {
                quote = Some(c);
                start.get_or_insert(i);
            }
            None if c.is_whitespace() => {
                if let Some(st) = start.take() {
                    out.push(&s[st..i]);
                }
            }
            None => {
                start.get_or_insert(i);
            }
        }
    }
    if let Some(st) = start {
        out.push(&s[st..]);
    }
    out
}

/// The filters applied in an expression: `x|name:arg|other` gives `(name, Some(arg))`,
/// `(other, None)`; Jinja `x|name(a, b)` gives its arguments.
fn filters_in(expr: &str, out: &mut Vec<(String, Use)>) {
    let b = expr.as_bytes();
    let mut quote: Option<u8> = None;
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == b'"' || c == b'\'' => quote = Some(c),
            None if c == b'|' => {
                let start = i + 1;
                let mut j = start;
                while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'_') {
                    j += 1;
                }
                let name = &expr[start..j];
                let mut u = Use::default();
                if j < b.len() && b[j] == b':' {
                    // The argument runs to the next `|` or space outside quotes.
                    let mut k = j + 1;
                    let mut q: Option<u8> = None;
                    while k < b.len() {
                        match q {
                            Some(x) if b[k] == x => q = None,
                            Some(_) => {}
                            None if b[k] == b'"' || b[k] == b'\'' => q = Some(b[k]),
                            None if b[k] == b'|' || b[k].is_ascii_whitespace() => break,
                            None => {}
                        }
                        k += 1;
                    }
                    u.positional.push(literal(&expr[j + 1..k]));
                    j = k;
                } else if j < b.len()
                    && b[j] == b'('
                    && let Some(end) = expr[j..].find(')')
                {
                    for a in expr[j + 1..j + end].split(',') {
                        if a.trim().is_empty() {
                            continue;
                        }
                        match a.split_once('=') {
                            Some((k, v)) if !k.contains(['"', '\'']) => {
                                u.keywords.push((k.trim().to_string(), literal(v)));
                            }
                            _ => u.positional.push(literal(a)),
                        }
                    }
                    j += end;
                }
                if !name.is_empty() {
                    out.push((name.to_string(), u));
                }
                i = j;
                continue;
            }
            None => {}
        }
        i += 1;
    }
}

impl Uses {
    /// Scan the project's templates for uses of the filters and tags registered under
    /// `names` (a template that names none of them is skipped whole).
    pub fn scan(project: &Project, names: &[String]) -> Uses {
        let mut uses = Uses {
            only: Some(names.to_vec()),
            ..Uses::default()
        };
        for (i, (rel, _)) in project.others.iter().enumerate() {
            if !crate::templates::audit::is_template(rel) {
                continue;
            }
            let Ok(text) = project.other_text(i) else {
                continue;
            };
            if names.iter().any(|n| text.contains(n.as_str())) {
                uses.current = rel.clone();
                uses.add(&text);
            }
        }
        uses
    }

    /// Whether uses of this name are recorded.
    fn wanted(&self, name: &str) -> bool {
        self.only
            .as_ref()
            .is_none_or(|o| o.iter().any(|n| n == name))
    }

    /// Add the uses in one template's text.
    pub fn add(&mut self, text: &str) {
        let mut rest = text;
        while let Some(start) = rest.find(['{']) {
            let after = &rest[start..];
            let (open, close) = if after.starts_with("{%") {
                ("{%", "%}")
            } else if after.starts_with("{{") {
                ("{{", "}}")
            } else {
                rest = &after[1..];
                continue;
            };
            let Some(end) = after.find(close) else {
                break;
            };
            let inner = after[open.len()..end].trim_matches(['-', '+', ' ', '\t', '\n', '\r']);
            let mut found = Vec::new();
            if open == "{%" {
                let w = words(inner);
                if let Some((name, args)) = w.split_first() {
                    let wanted = self.wanted(name);
                    let mut u = Use::default();
                    for a in args {
                        if *a == "as" {
                            break;
                        }
                        // Filters inside any tag's arguments (`{% if x|f:y %}`) count.
                        if a.contains('|') {
                            filters_in(a, &mut found);
                        }
                        if !wanted {
                            continue;
                        }
                        match a.split_once('=') {
                            Some((k, v))
                                if !k.contains(['"', '\'', '|'])
                                    && k.chars().all(|c| c.is_alphanumeric() || c == '_') =>
                            {
                                u.keywords.push((k.to_string(), literal(v)));
                            }
                            _ => {
                                u.positional.push(literal(a.split('|').next().unwrap_or(a)));
                                let plain = !a.is_empty()
                                    && a.chars().all(|c| c.is_alphanumeric() || c == '_')
                                    && !literal(a);
                                u.vars.push(plain.then(|| a.to_string()));
                            }
                        }
                    }
                    if wanted {
                        u.template = self.current.clone();
                        self.tags.entry(name.to_string()).or_default().push(u);
                    }
                }
            } else {
                filters_in(inner, &mut found);
            }
            for (name, u) in found {
                if self.wanted(&name) {
                    self.filters.entry(name).or_default().push(u);
                }
            }
            rest = &after[end + close.len()..];
        }
    }

    /// Whether any template uses the filter or tag.
    pub fn used(&self, name: &str, filter: bool) -> bool {
        if filter {
            self.filters.contains_key(name)
        } else {
            self.tags.contains_key(name)
        }
    }

    /// The uses of a tag that pass a non-literal at this position (or by this keyword): the
    /// template each is in and, when it is a plain variable, its name.
    pub fn tag_feeds(&self, name: &str, position: usize, param: &str) -> Vec<(&str, Option<&str>)> {
        let Some(list) = self.tags.get(name) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for u in list {
            if u.positional.get(position).is_some_and(|lit| !lit) {
                out.push((
                    u.template.as_str(),
                    u.vars.get(position).and_then(|v| v.as_deref()),
                ));
            } else if u.keywords.iter().any(|(k, lit)| k == param && !lit) {
                out.push((u.template.as_str(), None));
            }
        }
        out
    }

    /// Whether some template passes a non-literal for an argument of the filter or tag
    /// registered as `name`. `position` counts the template's arguments (for a filter, 0 is
    /// the piped value and 1 its argument); `param` is the Python parameter's name.
    pub fn fed(&self, name: &str, filter: bool, position: usize, param: &str) -> bool {
        let list = if filter {
            self.filters.get(name)
        } else {
            self.tags.get(name)
        };
        let Some(list) = list else {
            return false;
        };
        if filter && position == 0 {
            // The piped value: a variable, unless every use filters a literal.
            return !list.is_empty();
        }
        let index = if filter { position - 1 } else { position };
        list.iter().any(|u| {
            u.positional.get(index).is_some_and(|lit| !lit)
                || u.keywords.iter().any(|(k, lit)| k == param && !lit)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::Uses;

    #[test]
    fn tags_and_filters_with_literal_and_variable_arguments() {
        let mut u = Uses::default();
        u.add(r#"{% load x %}{% avatar user 48 %}{% avatar user size=n as a %}"#);
        u.add(r#"{{ value|hl:"term" }} {{ v|hl:q|safe }} {{ item|thumb }}"#);
        assert!(u.fed("avatar", false, 0, "user"));
        assert!(u.fed("avatar", false, 1, "size"));
        assert!(!u.fed("avatar", false, 2, "other"));
        assert!(u.fed("hl", true, 1, "term"));
        assert!(u.fed("thumb", true, 0, "value"));
        assert!(!u.fed("missing", true, 0, "value"));
        let mut lit = Uses::default();
        lit.add(r#"{% anchor 'number' "Number" %}{{ x|hl:"a" }}"#);
        assert!(!lit.fed("anchor", false, 0, "field"));
        assert!(!lit.fed("hl", true, 1, "term"));
    }
}
