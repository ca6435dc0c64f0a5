//! The project-wide semantic index the code rules and the taint engine share: every function
//! and class of every module (with its qualified name), imports resolved to qualified names,
//! class hierarchies across modules, the URL conf (which callables `path()`/`re_path()`/`url()`
//! route to, and what wraps them), and the set of names that appear in call position (a
//! request-first function nobody calls is a view the URL resolver calls).

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use crate::project::Project;
use crate::python::ast::{self, Expr, Stmt};
use crate::python::semantic::ImportMap;
use crate::python::{ParsedModule, Ranged, TextRange};

pub use super::ids::{ClassId, FileId, FuncId, Id, Table};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Def {
    Func(FuncId),
    Class(ClassId),
}

pub struct Func<'a> {
    pub file: FileId,
    pub def: &'a ast::StmtFunctionDef,
    /// The class the function is a method of (directly in the class body).
    pub class: Option<ClassId>,
    pub qualname: String,
    /// Whether the function is nested in another function.
    pub nested: bool,
}

pub struct Class<'a> {
    pub file: FileId,
    pub def: &'a ast::StmtClassDef,
    pub qualname: String,
    pub methods: HashMap<&'a str, FuncId>,
    /// Class-level `name = value` assignments.
    pub attrs: HashMap<&'a str, &'a Expr>,
    /// The nested `class Meta:` body, when there is one.
    pub meta: Option<&'a ast::StmtClassDef>,
}

pub struct FileInfo<'a> {
    pub imports: ImportMap,
    pub module: String,
    pub parsed: Option<&'a ParsedModule>,
    /// Top-level functions and classes (also inside top-level `if`/`try`).
    pub defs: HashMap<&'a str, Def>,
    /// Top-level names bound only to literal constants.
    pub constants: HashSet<&'a str>,
}

/// A `path()`/`re_path()`/`url()` entry of a URL conf.
pub struct Route<'a> {
    pub file: FileId,
    pub range: TextRange,
    /// The view expression with wrapping calls such as `csrf_exempt(...)` removed.
    pub view: &'a Expr,
    /// Qualified names of the calls wrapped around the view (`django...csrf_exempt`).
    pub wrappers: Vec<String>,
    /// The URL arguments the pattern captures, and whether their converter or regex only
    /// admits harmless characters (`<int:pk>`, `<slug:s>`, `(?P<id>[0-9]+)`).
    pub kwargs: Option<Vec<(String, bool)>>,
}

pub struct Index<'a> {
    pub project: &'a Project,
    pub files: Table<FileId, FileInfo<'a>>,
    pub funcs: Table<FuncId, Func<'a>>,
    pub classes: Table<ClassId, Class<'a>>,
    by_qualname: HashMap<String, Def>,
    /// Every simple name that is called somewhere (`f(...)`, `obj.f(...)`).
    pub called_names: HashSet<&'a str>,
    pub routes: Vec<Route<'a>>,
    routed: HashSet<Def>,
    /// URL arguments per routed view: safe only if every route that captures it says so.
    /// `None` when some route to the view has a pattern that is not a literal.
    url_kwargs: HashMap<Def, Option<HashMap<String, bool>>>,
    /// Some `include()` captures URL arguments (or has a pattern that is not a literal): the
    /// views below it get arguments their own pattern does not name.
    include_captures: bool,
    class_bases: Table<ClassId, Vec<String>>,
    view_classes: Table<ClassId, bool>,
    /// Files that call `url_has_allowed_host_and_scheme` / `is_safe_url`.
    redirect_checks: HashSet<FileId>,
    /// Top-level package and module names of the project (`shop` for `shop.views`).
    top_levels: HashSet<&'a str>,
    /// Per file, the expressions pattern rules look at (calls, comparisons, string literals,
    /// dicts) and the statements (assignments, loops, function definitions), collected in
    /// the one walk the index makes, so each rule does not walk every tree again.
    exprs: Table<FileId, Vec<&'a Expr>>,
    stmts: Table<FileId, Vec<&'a Stmt>>,
}

impl<'a> Index<'a> {
    pub fn new(project: &'a Project) -> Index<'a> {
        let mut ix = Index {
            project,
            files: Table::default(),
            funcs: Table::default(),
            classes: Table::default(),
            by_qualname: HashMap::default(),
            called_names: HashSet::default(),
            routes: Vec::new(),
            routed: HashSet::default(),
            url_kwargs: HashMap::default(),
            include_captures: false,
            class_bases: Table::default(),
            view_classes: Table::default(),
            redirect_checks: HashSet::default(),
            top_levels: project
                .python
                .iter()
                .filter_map(|f| f.module_name.as_deref())
                .map(|m| m.split('.').next().unwrap_or(m))
                .collect(),
            exprs: Table::default(),
            stmts: Table::default(),
        };
        for (i, file) in project.python.iter().enumerate() {
            let i = FileId::new(i);
            let module = file.module_name.clone().unwrap_or_default();
            let parsed = file.parsed.as_ref();
            let imports = parsed
                .map(|p| ImportMap::from_module(&p.module, &file.package()))
                .unwrap_or_default();
            ix.files.push(FileInfo {
                imports,
                module: module.clone(),
                parsed,
                defs: HashMap::default(),
                constants: HashSet::default(),
            });
            if let Some(p) = parsed {
                ix.collect_top(i, &module, &p.module.body);
            }
        }
        ix.collect_calls_and_routes();
        ix.class_bases = ix.classes.ids().map(|c| ix.compute_bases(c)).collect();
        ix.view_classes = ix
            .classes
            .ids()
            .map(|c| ix.inherits(c, &|b| is_view_base(b)))
            .collect();
        ix
    }

    fn collect_top(&mut self, file: FileId, module: &str, body: &'a [Stmt]) {
        for stmt in body {
            match stmt {
                Stmt::FunctionDef(f) => {
                    let qualname = join(module, f.name.as_str());
                    let id = self.add_func(file, f, None, qualname.clone(), false);
                    self.files[file].defs.insert(f.name.as_str(), Def::Func(id));
                    self.by_qualname.insert(qualname, Def::Func(id));
                }
                Stmt::ClassDef(c) => {
                    let id = self.add_class(file, module, c);
                    self.files[file]
                        .defs
                        .insert(c.name.as_str(), Def::Class(id));
                }
                Stmt::Assign(a) => {
                    if let [Expr::Name(n)] = a.targets.as_slice() {
                        if is_literal(&a.value) {
                            self.files[file].constants.insert(n.id.as_str());
                        } else {
                            self.files[file].constants.remove(n.id.as_str());
                        }
                    }
                }
                Stmt::If(s) => {
                    self.collect_top(file, module, &s.body);
                    for clause in &s.elif_else_clauses {
                        self.collect_top(file, module, &clause.body);
                    }
                }
                Stmt::Try(s) => {
                    self.collect_top(file, module, &s.body);
                    for h in &s.handlers {
                        let ast::ExceptHandler::ExceptHandler(h) = h;
                        self.collect_top(file, module, &h.body);
                    }
                    self.collect_top(file, module, &s.orelse);
                    self.collect_top(file, module, &s.finalbody);
                }
                _ => {}
            }
        }
    }

    fn add_func(
        &mut self,
        file: FileId,
        def: &'a ast::StmtFunctionDef,
        class: Option<ClassId>,
        qualname: String,
        nested: bool,
    ) -> FuncId {
        let id = FuncId::new(self.funcs.len());
        self.funcs.push(Func {
            file,
            def,
            class,
            qualname: qualname.clone(),
            nested,
        });
        self.collect_nested(file, &qualname, &def.body);
        id
    }

    /// Functions and classes defined inside a function body are analysed too.
    fn collect_nested(&mut self, file: FileId, outer: &str, body: &'a [Stmt]) {
        for stmt in body {
            match stmt {
                Stmt::FunctionDef(f) => {
                    let q = format!("{outer}.<locals>.{}", f.name.as_str());
                    self.add_func(file, f, None, q, true);
                }
                Stmt::ClassDef(c) => {
                    let q = format!("{outer}.<locals>");
                    self.add_class(file, &q, c);
                }
                Stmt::If(s) => {
                    self.collect_nested(file, outer, &s.body);
                    for clause in &s.elif_else_clauses {
                        self.collect_nested(file, outer, &clause.body);
                    }
                }
                Stmt::Try(s) => {
                    self.collect_nested(file, outer, &s.body);
                    for h in &s.handlers {
                        let ast::ExceptHandler::ExceptHandler(h) = h;
                        self.collect_nested(file, outer, &h.body);
                    }
                    self.collect_nested(file, outer, &s.orelse);
                    self.collect_nested(file, outer, &s.finalbody);
                }
                Stmt::With(s) => self.collect_nested(file, outer, &s.body),
                Stmt::For(s) => self.collect_nested(file, outer, &s.body),
                Stmt::While(s) => self.collect_nested(file, outer, &s.body),
                _ => {}
            }
        }
    }

    fn add_class(&mut self, file: FileId, module: &str, def: &'a ast::StmtClassDef) -> ClassId {
        let id = ClassId::new(self.classes.len());
        let qualname = join(module, def.name.as_str());
        self.classes.push(Class {
            file,
            def,
            qualname: qualname.clone(),
            methods: HashMap::default(),
            attrs: HashMap::default(),
            meta: None,
        });
        self.by_qualname.insert(qualname.clone(), Def::Class(id));
        for stmt in &def.body {
            match stmt {
                Stmt::FunctionDef(f) => {
                    let q = format!("{qualname}.{}", f.name.as_str());
                    let fid = self.add_func(file, f, Some(id), q.clone(), false);
                    // `Helper.run(x)` resolves to the method by qualified name.
                    self.by_qualname.insert(q, Def::Func(fid));
                    self.classes[id].methods.insert(f.name.as_str(), fid);
                }
                Stmt::Assign(a) => {
                    for t in &a.targets {
                        if let Expr::Name(n) = t {
                            self.classes[id].attrs.insert(n.id.as_str(), &a.value);
                        }
                    }
                }
                Stmt::AnnAssign(a) => {
                    if let (Expr::Name(n), Some(v)) = (&*a.target, &a.value) {
                        self.classes[id].attrs.insert(n.id.as_str(), v);
                    }
                }
                Stmt::ClassDef(c) if c.name.as_str() == "Meta" => {
                    self.classes[id].meta = Some(c);
                }
                Stmt::ClassDef(c) => {
                    self.add_class(file, &qualname, c);
                }
                _ => {}
            }
        }
        id
    }

    fn collect_calls_and_routes(&mut self) {
        let mut routes = Vec::new();
        let mut called = HashSet::default();
        let mut redirect_checks = HashSet::default();
        let mut all_exprs = Table::default();
        let mut all_stmts = Table::default();
        for (i, info) in self.files.iter_enumerated() {
            let mut exprs = Vec::new();
            let mut stmts = Vec::new();
            if let Some(p) = info.parsed {
                let mut v = CallFinder {
                    ix: self,
                    file: i,
                    routes: &mut routes,
                    called: &mut called,
                    exprs: &mut exprs,
                    stmts: &mut stmts,
                };
                for stmt in &p.module.body {
                    ast::visitor::Visitor::visit_stmt(&mut v, stmt);
                }
            }
            if exprs.iter().any(|e| {
                matches!(e, Expr::Call(c) if matches!(&*c.func,
                    Expr::Name(n) if matches!(n.id.as_str(), "url_has_allowed_host_and_scheme" | "is_safe_url"))
                    || matches!(&*c.func, Expr::Attribute(a) if matches!(a.attr.id.as_str(), "url_has_allowed_host_and_scheme" | "is_safe_url")))
            }) {
                redirect_checks.insert(i);
            }
            all_exprs.push(exprs);
            all_stmts.push(stmts);
        }
        self.exprs = all_exprs;
        self.stmts = all_stmts;
        self.called_names = called;
        self.redirect_checks = redirect_checks;
        // URL arguments an `include()` prefix captures reach every view of the included
        // URL conf: known per included module when the include names one; an include of
        // something else (a router's list, a variable) with captures leaves every view's
        // arguments open.
        let mut prefixes: IncludePrefixes = HashMap::default();
        for r in &routes {
            if !r.wrappers.iter().any(|w| w.ends_with(".include"))
                || r.kwargs.as_ref().is_some_and(|k| k.is_empty())
            {
                continue;
            }
            match self.included_module(r.file, r.view) {
                Some(target) => prefixes
                    .entry(target)
                    .or_default()
                    .push((r.file, r.kwargs.clone())),
                None => self.include_captures = true,
            }
        }
        let inherited = inherited_captures(&prefixes);
        for r in &mut routes {
            match inherited.get(&r.file) {
                None => {}
                Some(None) => r.kwargs = None,
                Some(Some(extra)) => {
                    if let Some(k) = r.kwargs.as_mut() {
                        k.extend(extra.iter().cloned());
                    }
                }
            }
        }
        for r in &routes {
            if let Some(def) = self.resolve_def(r.file, strip_as_view(r.view)) {
                self.routed.insert(def);
                let entry = self
                    .url_kwargs
                    .entry(def)
                    .or_insert_with(|| Some(HashMap::default()));
                match (&r.kwargs, entry.as_mut()) {
                    (Some(kwargs), Some(map)) => {
                        for (name, safe) in kwargs {
                            let e = map.entry(name.clone()).or_insert(true);
                            *e &= *safe;
                        }
                    }
                    _ => *entry = None,
                }
            }
        }
        self.routes = routes;
    }

    /// The project URL conf an `include()` names: `include("shop.urls")`, or a module object
    /// imported into the file (`include(shop_urls)`).
    fn included_module(&self, file: FileId, view: &Expr) -> Option<FileId> {
        match view {
            Expr::StringLiteral(s) => self.module_file(s.value.to_str()),
            Expr::Name(_) | Expr::Attribute(_) => self.module_file(&self.qualname(file, view)?),
            _ => None,
        }
    }

    /// Every file that parsed, with its id and facts: the loop most code rules open with.
    pub fn parsed_files(
        &self,
    ) -> impl Iterator<Item = (FileId, &FileInfo<'a>, &'a ParsedModule)> + '_ {
        self.files
            .iter_enumerated()
            .filter_map(|(id, info)| Some((id, info, info.parsed?)))
    }

    /// The project file of a dotted module name.
    pub fn module_file(&self, module: &str) -> Option<FileId> {
        self.project.module(module).map(FileId::new)
    }

    /// The qualified name an expression names in `file`: imports, then the module's own
    /// top-level definitions.
    pub fn qualname(&self, file: FileId, expr: &Expr) -> Option<String> {
        let info = &self.files[file];
        crate::python::semantic::qualify(expr, |name| {
            if let Some(b) = info.imports.binding(name) {
                return Some(b.to_string());
            }
            info.defs
                .contains_key(name)
                .then(|| join(&info.module, name))
        })
    }

    /// Whether the callee may be a project definition: its leftmost name is defined in the
    /// file or imported from a module of the project. (Calls into libraries can then skip
    /// building their qualified name unless their spelling is interesting.)
    pub fn may_be_project(&self, file: FileId, func: &Expr) -> bool {
        let mut root = func;
        while let Expr::Attribute(a) = root {
            root = &a.value;
        }
        let Expr::Name(n) = root else { return false };
        let info = &self.files[file];
        if info.defs.contains_key(n.id.as_str()) {
            return true;
        }
        match info.imports.binding(n.id.as_str()) {
            Some(b) => self.top_levels.contains(b.split('.').next().unwrap_or(b)),
            None => false,
        }
    }

    /// A project function or class by qualified name, following re-exports
    /// (`pkg/__init__.py` doing `from .views import detail`).
    pub fn lookup(&self, qualname: &str) -> Option<Def> {
        let mut name = qualname.to_string();
        for _ in 0..6 {
            if let Some(d) = self.by_qualname.get(&name) {
                return Some(*d);
            }
            let (module, last) = name.rsplit_once('.')?;
            let file = self.module_file(module)?;
            let target = self.files[file].imports.binding(last)?.to_string();
            if target == name {
                return None;
            }
            name = target;
        }
        None
    }

    pub fn resolve_def(&self, file: FileId, expr: &Expr) -> Option<Def> {
        if let Expr::Name(n) = expr
            && let Some(d) = self.files[file].defs.get(n.id.as_str())
        {
            return Some(*d);
        }
        self.lookup(&self.qualname(file, expr)?)
    }

    /// Every call, comparison, string literal and dict of a file, in source order.
    pub fn each_expr(&self, file: FileId, f: &mut dyn FnMut(&'a Expr)) {
        for e in self.exprs.get(file).into_iter().flatten() {
            f(e);
        }
    }

    /// Every assignment, `for` loop and function definition of a file, in source order.
    pub fn each_stmt(&self, file: FileId, f: &mut dyn FnMut(&'a Stmt)) {
        for s in self.stmts.get(file).into_iter().flatten() {
            f(s);
        }
    }

    pub fn checks_redirects(&self, file: FileId) -> bool {
        self.redirect_checks.contains(&file)
    }

    /// Whether the URL conf only lets harmless characters into this URL argument of the view.
    pub fn url_kwarg_safe(&self, def: Def, name: &str) -> bool {
        self.url_kwargs
            .get(&def)
            .and_then(|m| m.as_ref())
            .and_then(|m| m.get(name))
            .copied()
            .unwrap_or(false)
    }

    /// Whether the URL conf routes to this view with a pattern that does not capture `name`
    /// (the parameter is then filled by a decorator or a framework hook, not from the URL).
    pub fn url_kwarg_absent(&self, def: Def, name: &str) -> bool {
        !self.include_captures
            && self
                .url_kwargs
                .get(&def)
                .and_then(|m| m.as_ref())
                .is_some_and(|m| !m.contains_key(name) && !m.contains_key(ANY_CAPTURE))
    }

    pub fn is_routed(&self, def: Def) -> bool {
        self.routed.contains(&def)
    }

    /// The qualified names of a class's bases, resolved through imports; project classes by
    /// their own qualified name. Unresolvable bases give their source text.
    pub fn bases(&self, class: ClassId) -> &[String] {
        self.class_bases
            .get(class)
            .map_or(&[][..], |b| b.as_slice())
    }

    fn compute_bases(&self, class: ClassId) -> Vec<String> {
        let c = &self.classes[class];
        let Some(args) = &c.def.arguments else {
            return Vec::new();
        };
        args.args
            .iter()
            .map(|b| {
                self.qualname(c.file, b)
                    .unwrap_or_else(|| self.text(c.file, b.range()).to_string())
            })
            .collect()
    }

    /// Whether the class or any ancestor (through project classes) has a base for which
    /// `pred` holds.
    pub fn inherits(&self, class: ClassId, pred: &dyn Fn(&str) -> bool) -> bool {
        let mut seen = HashSet::default();
        let mut stack = vec![class];
        while let Some(c) = stack.pop() {
            if !seen.insert(c) {
                continue;
            }
            for base in self.bases(c) {
                if pred(base) {
                    return true;
                }
                if let Some(Def::Class(b)) = self.lookup(base) {
                    stack.push(b);
                }
            }
        }
        false
    }

    /// The class and its project ancestors, nearest first.
    pub fn mro(&self, class: ClassId) -> Vec<ClassId> {
        let mut out = Vec::new();
        let mut stack = vec![class];
        while let Some(c) = stack.pop() {
            if out.contains(&c) {
                continue;
            }
            out.push(c);
            for base in self.bases(c).iter().rev() {
                if let Some(Def::Class(b)) = self.lookup(base) {
                    stack.push(b);
                }
            }
        }
        out
    }

    /// A method by name on the class or its project ancestors.
    pub fn method(&self, class: ClassId, name: &str) -> Option<FuncId> {
        self.mro(class)
            .into_iter()
            .find_map(|c| self.classes[c].methods.get(name).copied())
    }

    /// A class attribute by name on the class or its project ancestors.
    pub fn class_attr(&self, class: ClassId, name: &str) -> Option<(ClassId, &'a Expr)> {
        self.mro(class)
            .into_iter()
            .find_map(|c| self.classes[c].attrs.get(name).map(|e| (c, *e)))
    }

    /// Django or DRF class-based view (or a project class deriving from one).
    pub fn is_view_class(&self, class: ClassId) -> bool {
        self.view_classes.get(class).copied().unwrap_or(false)
    }

    pub fn is_form_class(&self, class: ClassId) -> bool {
        self.inherits(class, &|b| {
            b.starts_with("django.forms.") || b == "forms.Form" || b == "forms.ModelForm"
        })
    }

    pub fn text(&self, file: FileId, range: TextRange) -> &'a str {
        self.files[file].parsed.map_or("", |p| p.slice(range))
    }

    pub fn rel(&self, file: FileId) -> &'a str {
        &self.project.python[file.index()].rel
    }

    pub fn line(&self, file: FileId, range: TextRange) -> u32 {
        self.files[file]
            .parsed
            .map_or(1, |p| p.position(range.start()).line)
    }
}

/// Bases that make a class a class-based view.
pub fn is_view_base(base: &str) -> bool {
    base.starts_with("django.views.")
        || base.starts_with("django.contrib.auth.views.")
        || base.starts_with("rest_framework.views.")
        || base.starts_with("rest_framework.generics.")
        || base.starts_with("rest_framework.viewsets.")
        || base.starts_with("rest_framework.mixins.")
        || base.starts_with("django.contrib.admin.views.")
}

/// `views.Detail.as_view(...)` → `views.Detail`.
pub fn strip_as_view(expr: &Expr) -> &Expr {
    if let Expr::Call(c) = expr
        && let Expr::Attribute(a) = &*c.func
        && a.attr.id.as_str() == "as_view"
    {
        return &a.value;
    }
    expr
}

fn join(module: &str, name: &str) -> String {
    if module.is_empty() {
        name.to_string()
    } else {
        format!("{module}.{name}")
    }
}

/// A literal constant: strings, numbers, booleans, None, and tuples/lists of those.
pub fn is_literal(expr: &Expr) -> bool {
    match expr {
        Expr::StringLiteral(_)
        | Expr::BytesLiteral(_)
        | Expr::NumberLiteral(_)
        | Expr::BooleanLiteral(_)
        | Expr::NoneLiteral(_) => true,
        Expr::Tuple(t) => t.elts.iter().all(is_literal),
        Expr::List(l) => l.elts.iter().all(is_literal),
        Expr::UnaryOp(u) => is_literal(&u.operand),
        _ => false,
    }
}

/// Records every called name and every URL conf entry.
struct CallFinder<'s, 'a> {
    ix: &'s Index<'a>,
    file: FileId,
    routes: &'s mut Vec<Route<'a>>,
    called: &'s mut HashSet<&'a str>,
    exprs: &'s mut Vec<&'a Expr>,
    stmts: &'s mut Vec<&'a Stmt>,
}

impl<'a> ast::visitor::Visitor<'a> for CallFinder<'_, 'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        if matches!(
            stmt,
            Stmt::Assign(_) | Stmt::AnnAssign(_) | Stmt::For(_) | Stmt::FunctionDef(_)
        ) {
            self.stmts.push(stmt);
        }
        stacker::maybe_grow(64 * 1024, 4 * 1024 * 1024, || {
            ast::visitor::walk_stmt(self, stmt);
        });
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        if matches!(
            expr,
            Expr::Call(_) | Expr::Compare(_) | Expr::StringLiteral(_) | Expr::Dict(_)
        ) {
            self.exprs.push(expr);
        }
        if let Expr::Call(c) = expr {
            let name = match &*c.func {
                Expr::Name(n) => Some(n.id.as_str()),
                Expr::Attribute(a) => Some(a.attr.id.as_str()),
                _ => None,
            };
            if let Some(name) = name {
                self.called.insert(name);
            }
            // Only calls spelled like a route function are resolved (cheap filter first).
            let maybe_route = matches!(name, Some("path" | "re_path" | "url"));
            let is_route = maybe_route
                && self.ix.qualname(self.file, &c.func).is_some_and(|q| {
                    matches!(
                        q.as_str(),
                        "django.urls.path"
                            | "django.urls.re_path"
                            | "django.conf.urls.url"
                            | "django.urls.conf.path"
                            | "django.urls.conf.re_path"
                    )
                });
            if is_route && let Some(view) = c.arguments.args.get(1) {
                let mut view = view;
                let mut wrappers = Vec::new();
                // Unwrap decorator calls applied in the URL conf: `csrf_exempt(views.x)`.
                while let Expr::Call(inner) = view {
                    if let Expr::Attribute(a) = &*inner.func
                        && a.attr.id.as_str() == "as_view"
                    {
                        break;
                    }
                    let Some(first) = inner.arguments.args.first() else {
                        break;
                    };
                    if let Some(w) = self.ix.qualname(self.file, &inner.func) {
                        wrappers.push(w);
                    }
                    view = first;
                }
                let kwargs = match c.arguments.args.first().and_then(pattern_text) {
                    Some(pattern) => {
                        if self
                            .ix
                            .qualname(self.file, &c.func)
                            .is_some_and(|q| q.ends_with(".path"))
                        {
                            Some(path_kwargs(&pattern))
                        } else if unnamed_group(&pattern) && !pattern.contains("(?P<") {
                            // Unnamed groups (without named ones) pass positional arguments:
                            // which parameters they fill is not known here.
                            None
                        } else {
                            Some(regex_kwargs(&pattern))
                        }
                    }
                    // `r"^%s/(?P<id>\d+)/$" % prefix` with a prefix djguard cannot read: the
                    // literal's own groups are known (a group name is unique in a regex, so the
                    // prefix cannot capture them again); any other name may come from the
                    // prefix (`*`: not absent, not known safe).
                    None => c.arguments.args.first().and_then(partial_regex_kwargs),
                };
                // The extra-arguments dict (`path("x/", view, {"template_name": ...})`) fills
                // view parameters with the project's own values.
                let kwargs = match (kwargs, extra_kwargs(c)) {
                    (Some(mut k), Some(extra)) => {
                        k.extend(extra);
                        Some(k)
                    }
                    (k, _) => k,
                };
                self.routes.push(Route {
                    file: self.file,
                    range: c.range(),
                    view,
                    wrappers,
                    kwargs,
                });
            }
        }
        stacker::maybe_grow(64 * 1024, 4 * 1024 * 1024, || {
            ast::visitor::walk_expr(self, expr);
        });
    }
}

/// The names an extra-arguments dict of a route passes to the view, all server values
/// (safe); a dict djguard cannot read may pass any name (`*`, not known safe).
fn extra_kwargs(c: &ast::ExprCall) -> Option<Vec<(String, bool)>> {
    let dict = c
        .arguments
        .args
        .get(2)
        .or_else(|| c.arguments.find_keyword("kwargs").map(|k| &k.value))?;
    let Expr::Dict(d) = dict else {
        return Some(vec![(ANY_CAPTURE.to_string(), false)]);
    };
    Some(
        d.items
            .iter()
            .map(|item| match &item.key {
                Some(Expr::StringLiteral(k)) => (k.value.to_str().to_string(), true),
                _ => (ANY_CAPTURE.to_string(), false),
            })
            .collect(),
    )
}

/// The URL arguments a route captures, each with whether only harmless characters pass;
/// `None` when its pattern is not known.
type Captures = Option<Vec<(String, bool)>>;

/// Per included URL conf file, each including file and what its `include()` prefix captures.
type IncludePrefixes = HashMap<FileId, Vec<(FileId, Captures)>>;

/// Per URL conf file, the URL arguments that the prefixes of the `include()`s leading to it
/// capture (through nested includes); `None` when some prefix is not a literal. Files no
/// capturing include reaches are absent.
fn inherited_captures(prefixes: &IncludePrefixes) -> HashMap<FileId, Option<Vec<(String, bool)>>> {
    let mut out: HashMap<FileId, Option<Vec<(String, bool)>>> = HashMap::default();
    // Nested includes are few levels deep; a bounded number of rounds also ends cycles.
    for _ in 0..8 {
        let mut changed = false;
        for (&target, incs) in prefixes {
            let mut acc: Option<Vec<(String, bool)>> = Some(Vec::new());
            for (includer, own) in incs {
                let above = out.get(includer).cloned().unwrap_or(Some(Vec::new()));
                match (acc.as_mut(), own, above) {
                    (Some(a), Some(own), Some(above)) => {
                        a.extend(own.iter().cloned());
                        a.extend(above);
                    }
                    _ => acc = None,
                }
            }
            if let Some(a) = acc.as_mut() {
                a.sort();
                a.dedup();
            }
            if out.get(&target) != Some(&acc) {
                out.insert(target, acc);
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    out
}

/// The text of a URL pattern: a literal, a translated literal (`_("register/")`,
/// `pgettext("urls", "register/")`), or a literal `%`-formatted or concatenated with those.
fn pattern_text(e: &Expr) -> Option<String> {
    match e {
        Expr::StringLiteral(s) => Some(s.value.to_str().to_string()),
        Expr::Call(c) => {
            let name = match &*c.func {
                Expr::Name(n) => n.id.as_str(),
                Expr::Attribute(a) => a.attr.id.as_str(),
                _ => return None,
            };
            let translated = matches!(
                name,
                "_" | "gettext"
                    | "gettext_lazy"
                    | "ugettext"
                    | "ugettext_lazy"
                    | "pgettext"
                    | "pgettext_lazy"
            );
            if !translated || !c.arguments.keywords.is_empty() {
                return None;
            }
            match c.arguments.args.last()? {
                Expr::StringLiteral(s) => Some(s.value.to_str().to_string()),
                _ => None,
            }
        }
        Expr::BinOp(b) if b.op == ast::Operator::Add => {
            Some(pattern_text(&b.left)? + &pattern_text(&b.right)?)
        }
        Expr::BinOp(b) if b.op == ast::Operator::Mod => {
            let Expr::StringLiteral(fmt) = &*b.left else {
                return None;
            };
            let fmt = fmt.value.to_str();
            let parts: Vec<String> = match &*b.right {
                Expr::Tuple(t) => t.elts.iter().map(pattern_text).collect::<Option<_>>()?,
                other => vec![pattern_text(other)?],
            };
            let pieces: Vec<&str> = fmt.split("%s").collect();
            if pieces.len() != parts.len() + 1 || pieces.iter().any(|p| p.contains('%')) {
                return None;
            }
            let mut out = String::new();
            for (i, piece) in pieces.iter().enumerate() {
                out.push_str(piece);
                if let Some(p) = parts.get(i) {
                    out.push_str(p);
                }
            }
            Some(out)
        }
        _ => None,
    }
}

/// Whether a regex has a capturing group without a name (`(\d+)`): its match is passed
/// positionally.
fn unnamed_group(pattern: &str) -> bool {
    let b = pattern.as_bytes();
    let mut escaped = false;
    let mut in_class = false;
    for (i, &c) in b.iter().enumerate() {
        if escaped {
            escaped = false;
            continue;
        }
        match c {
            b'\\' => escaped = true,
            b'[' => in_class = true,
            b']' => in_class = false,
            b'(' if !in_class && b.get(i + 1) != Some(&b'?') => return true,
            _ => {}
        }
    }
    false
}

/// `path()` captures: `<int:pk>` and friends; `int`, `slug` and `uuid` admit no markup, quote,
/// dot or slash.
fn path_kwargs(pattern: &str) -> Vec<(String, bool)> {
    let mut out = Vec::new();
    let mut rest = pattern;
    while let Some(start) = rest.find('<') {
        let Some(len) = rest[start..].find('>') else {
            break;
        };
        let inner = &rest[start + 1..start + len];
        let (conv, name) = inner.split_once(':').unwrap_or(("str", inner));
        out.push((name.to_string(), matches!(conv, "int" | "slug" | "uuid")));
        rest = &rest[start + len + 1..];
    }
    out
}

/// The name standing for "some capture djguard cannot read" in a route's arguments.
const ANY_CAPTURE: &str = "*";

/// The captures of a `%`-formatted regex whose arguments are not known: those of the literal
/// format, plus [`ANY_CAPTURE`].
fn partial_regex_kwargs(e: &Expr) -> Option<Vec<(String, bool)>> {
    let Expr::BinOp(b) = e else { return None };
    if b.op != ast::Operator::Mod {
        return None;
    }
    let Expr::StringLiteral(fmt) = &*b.left else {
        return None;
    };
    let literal = fmt.value.to_str().replace("%s", "");
    if literal.contains('%') || !literal.contains("(?P<") {
        return None;
    }
    let mut out = regex_kwargs(&literal);
    out.push((ANY_CAPTURE.to_string(), false));
    Some(out)
}

/// `re_path()`/`url()` captures: `(?P<name>regex)`, harmless when the regex only matches
/// letters, digits, `_` and `-` (`\d+`, `[0-9]+`, `[\w-]+`, `json|xml`).
fn regex_kwargs(pattern: &str) -> Vec<(String, bool)> {
    let mut out = Vec::new();
    let mut rest = pattern;
    while let Some(start) = rest.find("(?P<") {
        let after = &rest[start + 4..];
        let Some(end_name) = after.find('>') else {
            break;
        };
        let name = &after[..end_name];
        let body = &after[end_name + 1..];
        // The group body up to its matching parenthesis.
        let mut depth = 1usize;
        let mut end = body.len();
        let mut escaped = false;
        for (i, ch) in body.char_indices() {
            if escaped {
                escaped = false;
                continue;
            }
            match ch {
                '\\' => escaped = true,
                '(' => depth += 1,
                ')' => {
                    depth -= 1;
                    if depth == 0 {
                        end = i;
                        break;
                    }
                }
                _ => {}
            }
        }
        out.push((name.to_string(), harmless_regex(&body[..end])));
        rest = &body[end..];
    }
    out
}

fn harmless_regex(re: &str) -> bool {
    let mut chars = re.chars().peekable();
    let mut in_class = false;
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('d' | 'w' | '-' | '_') => {}
                _ => return false,
            },
            '[' if !in_class => {
                if chars.peek() == Some(&'^') {
                    return false;
                }
                in_class = true;
            }
            ']' if in_class => in_class = false,
            '+' | '*' | '?' | '{' | '}' | ',' | '|' | '(' | ')' if !in_class => {}
            c if c.is_ascii_alphanumeric() || c == '_' || c == '-' => {}
            _ => return false,
        }
    }
    !in_class
}

#[cfg(test)]
mod tests {
    use super::{path_kwargs, regex_kwargs};

    #[test]
    fn url_arguments_are_typed_by_converter_and_regex() {
        assert_eq!(
            path_kwargs("shop/<int:pk>/<slug:s>/<name>/<path:rest>"),
            vec![
                ("pk".to_string(), true),
                ("s".to_string(), true),
                ("name".to_string(), false),
                ("rest".to_string(), false)
            ]
        );
        let got = regex_kwargs(
            r"^(?P<org>[^\/]+)/(?P<id>[0-9]+)/(?P<p>[\w-]+)/(?P<f>json|xml)/(?P<x>.+)$",
        );
        let safe: Vec<bool> = got.iter().map(|(_, s)| *s).collect();
        assert_eq!(safe, vec![false, true, true, true, false]);
    }
}
