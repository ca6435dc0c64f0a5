//! Name resolution: which qualified name a local name or attribute chain stands for, through
//! `import x as y`, `from a.b import c as d` and relative imports. Rules ask "is this
//! `django.utils.safestring.mark_safe`?", never "is the text `mark_safe`?".

use rustc_hash::FxHashMap as HashMap;

use super::ast::{self, Expr, Stmt};

/// The import bindings of one module's top level (including imports nested in `if`/`try`).
#[derive(Debug, Default, Clone)]
pub struct ImportMap {
    bindings: HashMap<String, String>,
}

impl ImportMap {
    /// `package` is the dotted package the module lives in (for relative imports).
    pub fn from_module(module: &ast::ModModule, package: &str) -> ImportMap {
        let mut map = ImportMap::default();
        map.collect(&module.body, package);
        map
    }

    fn collect(&mut self, body: &[Stmt], package: &str) {
        for stmt in body {
            match stmt {
                Stmt::Import(import) => {
                    for alias in &import.names {
                        let full = alias.name.id.as_str();
                        match &alias.asname {
                            Some(asname) => {
                                self.bindings
                                    .insert(asname.id.to_string(), full.to_string());
                            }
                            None => {
                                // `import a.b.c` binds `a`.
                                let head = full.split('.').next().unwrap_or(full);
                                self.bindings.insert(head.to_string(), head.to_string());
                            }
                        }
                    }
                }
                Stmt::ImportFrom(import) => {
                    let module = import.module.as_ref().map(|m| m.id.as_str());
                    let Some(base) = resolve_relative(package, import.level, module) else {
                        continue;
                    };
                    for alias in &import.names {
                        let name = alias.name.id.as_str();
                        if name == "*" {
                            continue;
                        }
                        let local = alias.asname.as_ref().map_or(name, |a| a.id.as_str());
                        self.bindings
                            .insert(local.to_string(), format!("{base}.{name}"));
                    }
                }
                Stmt::If(s) => {
                    self.collect(&s.body, package);
                    for clause in &s.elif_else_clauses {
                        self.collect(&clause.body, package);
                    }
                }
                Stmt::Try(s) => {
                    self.collect(&s.body, package);
                    for handler in &s.handlers {
                        let ast::ExceptHandler::ExceptHandler(h) = handler;
                        self.collect(&h.body, package);
                    }
                    self.collect(&s.orelse, package);
                    self.collect(&s.finalbody, package);
                }
                _ => {}
            }
        }
    }

    pub fn binding(&self, local: &str) -> Option<&str> {
        self.bindings.get(local).map(String::as_str)
    }

    /// The qualified name an expression refers to: `s` → `django.conf.settings`,
    /// `models.expressions.RawSQL` → `django.db.models.expressions.RawSQL`.
    pub fn qualified_name(&self, expr: &Expr) -> Option<String> {
        qualify(expr, |name| self.binding(name).map(str::to_string))
    }
}

/// The dotted name of `a.b.c` given what its leftmost name stands for (`root`), built
/// iteratively: attribute chains in hostile input can be millions long.
pub fn qualify(expr: &Expr, root: impl FnOnce(&str) -> Option<String>) -> Option<String> {
    let mut parts = Vec::new();
    let mut cur = expr;
    while let Expr::Attribute(a) = cur {
        parts.push(a.attr.id.as_str());
        cur = &a.value;
    }
    let Expr::Name(n) = cur else {
        return None;
    };
    let mut out = root(n.id.as_str())?;
    for p in parts.iter().rev() {
        out.push('.');
        out.push_str(p);
    }
    Some(out)
}

/// The absolute module named by `from <dots><module> import ...` inside `package`.
pub fn resolve_relative(package: &str, level: u32, module: Option<&str>) -> Option<String> {
    if level == 0 {
        return module.map(str::to_string);
    }
    let mut parts: Vec<&str> = if package.is_empty() {
        Vec::new()
    } else {
        package.split('.').collect()
    };
    for _ in 1..level {
        parts.pop()?;
    }
    if parts.is_empty() && module.is_none() {
        return None;
    }
    let mut base = parts.join(".");
    if let Some(m) = module {
        if !base.is_empty() {
            base.push('.');
        }
        base.push_str(m);
    }
    Some(base)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ParsedModule;

    fn first_expr(parsed: &ParsedModule) -> &Expr {
        let Some(Stmt::Expr(e)) = parsed.module.body.last() else {
            panic!("test source must end with an expression");
        };
        &e.value
    }

    #[test]
    fn resolves_aliases_and_attribute_chains() {
        let cases = [
            (
                "from django.conf import settings as s\ns.DEBUG",
                "django.conf.settings.DEBUG",
            ),
            (
                "import django.db.models as m\nm.expressions.RawSQL",
                "django.db.models.expressions.RawSQL",
            ),
            ("import os.path\nos.path.join", "os.path.join"),
            (
                "from django.utils.safestring import mark_safe as ms\nms",
                "django.utils.safestring.mark_safe",
            ),
            (
                "try:\n    from a import b\nexcept ImportError:\n    pass\nb.c",
                "a.b.c",
            ),
        ];
        for (src, want) in cases {
            let parsed = ParsedModule::parse(src.to_string());
            let map = ImportMap::from_module(&parsed.module, "pkg");
            assert_eq!(
                map.qualified_name(first_expr(&parsed)).as_deref(),
                Some(want),
                "{src}"
            );
        }
    }

    #[test]
    fn relative_imports() {
        assert_eq!(
            resolve_relative("proj.settings", 1, Some("base")).as_deref(),
            Some("proj.settings.base")
        );
        assert_eq!(
            resolve_relative("proj.settings", 2, Some("views")).as_deref(),
            Some("proj.views")
        );
        assert_eq!(resolve_relative("proj", 1, None).as_deref(), Some("proj"));
        assert_eq!(resolve_relative("", 1, Some("x")).as_deref(), Some("x"));
        assert_eq!(resolve_relative("a", 3, Some("x")), None);
    }
}
