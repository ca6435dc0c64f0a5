//! Which settings modules a project uses, and which of them production runs.
//! Sources: `DJANGO_SETTINGS_MODULE` in manage.py / wsgi.py / asgi.py (`os.environ.setdefault`
//! or item assignment), the config file, `--settings`. Deployment rules apply to the module
//! production uses; clearly-development modules are not held to them unless named explicitly.

use crate::python::ast::visitor::{self, Visitor};

use crate::project::Project;
use crate::python::ast::{self, Expr};

#[derive(Clone, Debug, PartialEq)]
pub enum Selection {
    /// Named on the command line or in the config file.
    Explicit,
    /// `DJANGO_SETTINGS_MODULE` in a WSGI/ASGI entry point.
    EntryPoint(String),
    /// Named like a production module (`production`, `prod`, `deploy`).
    ProductionName,
    /// `DJANGO_SETTINGS_MODULE` in manage.py.
    Manage(String),
    /// The only settings-like module found.
    Fallback,
}

#[derive(Clone, Debug)]
pub struct SettingsTarget {
    pub file: usize,
    pub module: String,
    pub selection: Selection,
    /// Whether deployment-only checks apply.
    pub deploy: bool,
}

impl SettingsTarget {
    pub fn how(&self, project: &Project) -> String {
        match &self.selection {
            Selection::Explicit => "named with --settings or in the configuration".into(),
            Selection::EntryPoint(f) => format!("selected by {f}"),
            Selection::ProductionName => "named like production settings".into(),
            Selection::Manage(f) => format!("selected by {f}"),
            Selection::Fallback => format!(
                "the only settings module found ({})",
                project.python[self.file].rel
            ),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    #[error(
        "settings module `{0}` was not found under the project root (looked for it as a file and as a dotted module)"
    )]
    NotFound(String),
}

/// Resolve `--settings` (a `.py` path, relative to the current directory or the root, or a
/// dotted module name) to a Python file of the project.
pub fn resolve_explicit(project: &Project, spec: &str) -> Result<usize, SettingsError> {
    let as_path = std::path::Path::new(spec);
    let candidates = [as_path.to_path_buf(), project.root.join(as_path)];
    for c in &candidates {
        if let Ok(canon) = c.canonicalize()
            && let Some(i) = project
                .python
                .iter()
                .position(|f| f.abs.canonicalize().is_ok_and(|a| a == canon))
        {
            return Ok(i);
        }
    }
    if let Some(i) = project.module(spec.trim_end_matches(".py")) {
        return Ok(i);
    }
    Err(SettingsError::NotFound(spec.to_string()))
}

/// Development and test settings are recognised by name.
pub fn looks_like_dev(module: &str) -> bool {
    let last = module
        .rsplit('.')
        .next()
        .unwrap_or(module)
        .to_ascii_lowercase();
    let words: Vec<&str> = last.split('_').collect();
    words.iter().any(|w| {
        matches!(
            *w,
            "dev" | "develop" | "development" | "local" | "test" | "tests" | "testing" | "ci"
        )
    })
}

/// Words of a path component that mark a tree as not a deployment: test suites, CI, docs,
/// examples, demos and sandboxes.
fn non_deployment_word(w: &str) -> bool {
    matches!(
        w,
        "test"
            | "tests"
            | "testing"
            | "testproject"
            | "testproj"
            | "testapp"
            | "testsite"
            | "ci"
            | "docs"
            | "doc"
            | "example"
            | "examples"
            | "demo"
            | "demos"
            | "sandbox"
            | "sample"
            | "samples"
            | "tutorial"
            | "scaffold"
            | "skeleton"
            | "fixtures"
    )
}

/// Why a settings file, by its place in the tree, is not a deployment's settings: a folder of
/// tests, CI, documentation, examples, demos or sandboxes, a hidden folder (`.github/`), or a
/// project scaffold (`project_template/`); every path component counts, not only the module's
/// own name.
pub fn non_deployment_path(rel: &str) -> Option<String> {
    if let Some(why) = non_deployment_dir(rel) {
        return Some(why);
    }
    let file = rel.rsplit('/').next().unwrap_or(rel);
    let stem = file
        .strip_suffix(".py")
        .unwrap_or(file)
        .to_ascii_lowercase();
    if stem
        .split(['_', '-'])
        .any(|w| non_deployment_word(w) && !matches!(w, "docs" | "doc"))
    {
        return Some(format!("its name {file} marks tests or an example"));
    }
    None
}

/// Why a file, by the folders it lives in, is not part of a deployment: a folder of tests, CI,
/// documentation, examples, demos or sandboxes, a hidden folder, or a project scaffold.
pub fn non_deployment_dir(rel: &str) -> Option<String> {
    let parts: Vec<&str> = rel.split('/').collect();
    let (_, dirs) = parts.split_last()?;
    for d in dirs {
        let lower = d.to_ascii_lowercase();
        if lower.starts_with('.') && lower.len() > 1 {
            return Some(format!(
                "it lives in the hidden folder {d}/ (CI or tooling)"
            ));
        }
        if lower.contains("{{") || lower.split(['_', '-']).any(|w| w == "template") {
            return Some(format!("it lives in {d}/, a project scaffold"));
        }
        if lower.split(['_', '-', '.']).any(non_deployment_word) {
            return Some(format!(
                "it lives in {d}/ (tests, CI, documentation or an example project)"
            ));
        }
    }
    None
}

/// Template placeholders of `django-admin startproject`-style scaffolds.
pub fn is_scaffold_text(text: &str) -> bool {
    [
        "project_name",
        "docs_version",
        "django_version",
        "secret_key",
        "project_directory",
    ]
    .iter()
    .any(|v| text.contains(&format!("{{{{ {v} }}}}")) || text.contains(&format!("{{{{{v}}}}}")))
}

/// Why the file at `file` is not a deployment's settings, if it is not: its place in the tree,
/// or scaffold placeholders in it or in a project module it star-imports.
pub fn not_deployment(project: &Project, file: usize) -> Option<String> {
    let py = &project.python[file];
    if let Some(why) = non_deployment_path(&py.rel) {
        return Some(why);
    }
    let mut seen = vec![file];
    let mut queue = vec![file];
    while let Some(i) = queue.pop() {
        let Some(parsed) = &project.python[i].parsed else {
            continue;
        };
        if is_scaffold_text(&parsed.text) {
            return Some(format!(
                "{} holds project-template placeholders (a scaffold)",
                project.python[i].rel
            ));
        }
        for m in star_imports(project, i) {
            if seen.len() < 16 && !seen.contains(&m) {
                seen.push(m);
                queue.push(m);
            }
        }
    }
    None
}

/// Project modules `from X import *` brings into a file (top level, also under `if`/`try`).
fn star_imports(project: &Project, file: usize) -> Vec<usize> {
    let py = &project.python[file];
    let Some(parsed) = &py.parsed else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let package = py.package();
    for stmt in top_level(&parsed.module.body) {
        if let ast::Stmt::ImportFrom(s) = stmt
            && s.names.iter().any(|a| a.name.id.as_str() == "*")
        {
            let module = s.module.as_ref().map(|m| m.id.as_str());
            if let Some(target) =
                crate::python::semantic::resolve_relative(&package, s.level, module)
                && let Some(i) = project.module_from(&target, file)
                && i != file
            {
                out.push(i);
            }
        }
    }
    out
}

/// The statements a module runs at its top level, also those under `if`/`elif`/`else` and in
/// every part of a `try` (Python runs one branch; which is not known here).
fn top_level(body: &[ast::Stmt]) -> Vec<&ast::Stmt> {
    let mut out = Vec::new();
    let mut stack: Vec<&ast::Stmt> = body.iter().rev().collect();
    while let Some(stmt) = stack.pop() {
        out.push(stmt);
        match stmt {
            ast::Stmt::If(s) => {
                stack.extend(s.body.iter());
                for c in &s.elif_else_clauses {
                    stack.extend(c.body.iter());
                }
            }
            ast::Stmt::Try(s) => {
                stack.extend(s.body.iter());
                for h in &s.handlers {
                    let ast::ExceptHandler::ExceptHandler(h) = h;
                    stack.extend(h.body.iter());
                }
                stack.extend(s.orelse.iter());
                stack.extend(s.finalbody.iter());
            }
            _ => {}
        }
    }
    out
}

/// Names a settings module of a project sets; a module that assigns few of them is a fragment
/// for others to import, not a project's settings.
const CORE_SETTINGS: &[&str] = &[
    "INSTALLED_APPS",
    "MIDDLEWARE",
    "MIDDLEWARE_CLASSES",
    "DATABASES",
    "ROOT_URLCONF",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "TEMPLATES",
    "WSGI_APPLICATION",
    "DEBUG",
    "STATIC_URL",
    "AUTH_PASSWORD_VALIDATORS",
];

/// Whether a module binds no upper-case name and imports nothing: a docstring-only package
/// `__init__`, say.
fn sets_nothing(project: &Project, file: usize) -> bool {
    let Some(parsed) = project.python[file].parsed.as_ref() else {
        return false;
    };
    parsed.module.body.iter().all(|stmt| match stmt {
        ast::Stmt::Expr(e) => matches!(&*e.value, Expr::StringLiteral(_)),
        ast::Stmt::Pass(_) => true,
        _ => false,
    })
}

/// Whether a module looks like a project's settings: it (or the project modules it
/// star-imports) assigns at least three of the core settings.
pub fn looks_like_settings(project: &Project, file: usize) -> bool {
    let mut found: Vec<&str> = Vec::new();
    let mut seen = vec![file];
    let mut queue = vec![file];
    while let Some(i) = queue.pop() {
        if let Some(parsed) = &project.python[i].parsed {
            for stmt in top_level(&parsed.module.body) {
                let targets: Vec<&Expr> = match stmt {
                    ast::Stmt::Assign(a) => a.targets.iter().collect(),
                    ast::Stmt::AnnAssign(a) => vec![&*a.target],
                    _ => continue,
                };
                for t in targets {
                    if let Expr::Name(n) = t
                        && let Some(c) = CORE_SETTINGS.iter().find(|c| **c == n.id.as_str())
                        && !found.contains(c)
                    {
                        found.push(c);
                    }
                }
            }
        }
        for m in star_imports(project, i) {
            if seen.len() < 16 && !seen.contains(&m) {
                seen.push(m);
                queue.push(m);
            }
        }
    }
    found.len() >= 3
}

fn looks_like_prod(module: &str) -> bool {
    let last = module
        .rsplit('.')
        .next()
        .unwrap_or(module)
        .to_ascii_lowercase();
    last.split('_')
        .any(|w| matches!(w, "prod" | "production" | "deploy" | "deployment" | "live"))
}

/// The `DJANGO_SETTINGS_MODULE` values a file sets.
pub fn settings_module_names(module: &ast::ModModule) -> Vec<String> {
    struct Finder(Vec<String>);
    impl<'a> Visitor<'a> for Finder {
        fn visit_stmt(&mut self, stmt: &'a ast::Stmt) {
            if let ast::Stmt::Assign(a) = stmt
                && let [Expr::Subscript(sub)] = a.targets.as_slice()
                && str_lit(&sub.slice) == Some("DJANGO_SETTINGS_MODULE")
                && let Some(v) = str_lit(&a.value)
            {
                self.0.push(v.to_string());
            }
            visitor::walk_stmt(self, stmt);
        }
        fn visit_expr(&mut self, expr: &'a Expr) {
            if let Expr::Call(call) = expr
                && let Expr::Attribute(attr) = &*call.func
                && attr.attr.id.as_str() == "setdefault"
                && let [key, value, ..] = &*call.arguments.args
                && str_lit(key) == Some("DJANGO_SETTINGS_MODULE")
                && let Some(v) = str_lit(value)
            {
                self.0.push(v.to_string());
            }
            visitor::walk_expr(self, expr);
        }
    }
    let mut finder = Finder(Vec::new());
    finder.visit_body(&module.body);
    finder.0
}

fn str_lit(e: &Expr) -> Option<&str> {
    match e {
        Expr::StringLiteral(s) => Some(s.value.to_str()),
        _ => None,
    }
}

/// Pick the settings modules to check. `explicit` are the files named by `--settings` or the
/// configuration (always checked, with deployment rules).
pub fn select(project: &Project, explicit: &[usize]) -> Vec<SettingsTarget> {
    if !explicit.is_empty() {
        return explicit
            .iter()
            .map(|&file| SettingsTarget {
                file,
                module: project.python[file].module_name.clone().unwrap_or_default(),
                selection: Selection::Explicit,
                deploy: true,
            })
            .collect();
    }
    let mut entry: Vec<(usize, String)> = Vec::new();
    let mut manage: Vec<(usize, String)> = Vec::new();
    for f in &project.python {
        let name = f.rel.rsplit('/').next().unwrap_or(&f.rel);
        let Some(parsed) = &f.parsed else { continue };
        let bucket = match name {
            "wsgi.py" | "asgi.py" => &mut entry,
            "manage.py" => &mut manage,
            _ => continue,
        };
        for m in settings_module_names(&parsed.module) {
            if let Some(i) = project
                .module_from(&m, project.file_by_rel(&f.rel).unwrap_or(0))
                .or_else(|| project.module(&m))
            {
                bucket.push((i, f.rel.clone()));
            }
        }
    }
    let mut out: Vec<SettingsTarget> = Vec::new();
    let push = |out: &mut Vec<SettingsTarget>, file: usize, selection: Selection| {
        if out.iter().any(|t| t.file == file) {
            return;
        }
        let module = project.python[file].module_name.clone().unwrap_or_default();
        // A guessed module counts only when it looks like a project's settings. A named one
        // is used as long as it sets anything at all: an empty package `__init__` named by an
        // entry point (the real module then comes from manage.py or the environment) is not
        // judged as if it held Django's defaults.
        if matches!(selection, Selection::ProductionName | Selection::Fallback)
            && !looks_like_settings(project, file)
        {
            return;
        }
        if matches!(selection, Selection::EntryPoint(_) | Selection::Manage(_))
            && sets_nothing(project, file)
        {
            return;
        }
        let deploy = !looks_like_dev(&module) && not_deployment(project, file).is_none();
        out.push(SettingsTarget {
            file,
            module,
            selection,
            deploy,
        });
    };
    for (i, by) in &entry {
        push(&mut out, *i, Selection::EntryPoint(by.clone()));
    }
    if out.iter().any(|t| t.deploy) {
        return out;
    }
    // No entry point names production settings: look for a module named like them next to
    // the settings the project names, or anywhere in a `settings` package.
    let named: Vec<String> = entry
        .iter()
        .chain(&manage)
        .filter_map(|(i, _)| project.python[*i].module_name.clone())
        .collect();
    let mut prod: Vec<usize> = project
        .python
        .iter()
        .enumerate()
        .filter(|(_, f)| {
            let Some(m) = &f.module_name else {
                return false;
            };
            let parent = m.rsplit_once('.').map_or("", |(p, _)| p);
            looks_like_prod(m)
                && (parent.ends_with("settings")
                    || named
                        .iter()
                        .any(|n| n.rsplit_once('.').map_or("", |(p, _)| p) == parent)
                    || m.contains("settings"))
        })
        .map(|(i, _)| i)
        .collect();
    prod.sort_by(|a, b| project.python[*a].rel.cmp(&project.python[*b].rel));
    for i in prod {
        push(&mut out, i, Selection::ProductionName);
    }
    if out.iter().any(|t| t.deploy) {
        return out;
    }
    for (i, by) in &manage {
        push(&mut out, *i, Selection::Manage(by.clone()));
    }
    if out.is_empty() {
        let settings_like: Vec<usize> = project
            .python
            .iter()
            .enumerate()
            .filter(|(_, f)| {
                f.module_name
                    .as_deref()
                    .is_some_and(|m| m == "settings" || m.ends_with(".settings"))
                    && !f.is_package
            })
            .map(|(i, _)| i)
            .collect();
        if let [only] = settings_like.as_slice() {
            push(&mut out, *only, Selection::Fallback);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::python::ParsedModule;

    #[test]
    fn finds_settings_module_in_manage_py() {
        let src = "import os, sys\ndef main():\n    os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings.dev')\n";
        let p = ParsedModule::parse(src.into());
        assert_eq!(
            settings_module_names(&p.module),
            vec!["mysite.settings.dev"]
        );
        let p =
            ParsedModule::parse("import os\nos.environ['DJANGO_SETTINGS_MODULE'] = 'a.b'\n".into());
        assert_eq!(settings_module_names(&p.module), vec!["a.b"]);
    }

    #[test]
    fn classifies_names() {
        assert!(looks_like_dev("mysite.settings.dev"));
        assert!(looks_like_dev("settings_local"));
        assert!(!looks_like_dev("mysite.settings.production"));
        assert!(!looks_like_dev("mysite.settings"));
        assert!(looks_like_prod("conf.settings.prod"));
        assert!(!looks_like_prod("product"));
    }
}
