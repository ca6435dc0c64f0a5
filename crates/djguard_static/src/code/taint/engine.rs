//! The engine: summaries of project functions (computed once, on demand), the events the
//! rules receive, the template contexts views and tags render with, and which template
//! filter and tag arguments templates really feed.

use super::*;

impl<'x, 'a> Engine<'x, 'a> {
    pub fn new(ix: &'x Index<'a>) -> Self {
        Engine {
            ix,
            summaries: RefCell::new(HashMap::default()),
            in_progress: RefCell::new(HashSet::default()),
            events: RefCell::new(Vec::new()),
            contexts: RefCell::new(Vec::new()),
            inclusion_tags: std::cell::OnceCell::new(),
        }
    }

    /// The project's inclusion tags (one pass over the functions, on first use).
    fn inclusion_tags(&self) -> &[InclusionTag<'a>] {
        self.inclusion_tags.get_or_init(|| {
            let mut out = Vec::new();
            for (func, f) in self.ix.funcs.iter_enumerated() {
                for d in &f.def.decorator_list {
                    let Expr::Call(c) = &d.expression else {
                        continue;
                    };
                    if !self
                        .ix
                        .text(f.file, c.func.range())
                        .ends_with(".inclusion_tag")
                    {
                        continue;
                    }
                    out.push(InclusionTag {
                        func,
                        template: c
                            .arguments
                            .args
                            .first()
                            .or_else(|| c.arguments.find_keyword("filename").map(|k| &k.value))
                            .and_then(string_literal),
                        name: c
                            .arguments
                            .find_keyword("name")
                            .and_then(|k| string_literal(&k.value)),
                    });
                }
            }
            out
        })
    }

    /// Analyse every function and module body; the events, deduplicated per sink (the
    /// strongest wins).
    pub fn run(self) -> (Vec<Event>, Vec<TemplateContext>) {
        for fid in self.ix.funcs.ids() {
            self.summary(fid);
        }
        self.record_declared_contexts();
        for file in self.ix.files.ids() {
            if let Some(p) = self.ix.files[file].parsed {
                let mut cx = FnCx::new(&self, file, None);
                cx.walk_body(&p.module.body);
            }
        }
        let mut events = std::mem::take(&mut *self.events.borrow_mut());
        // A filter's or tag's argument is template data only where some template passes a
        // variable for it: flows from arguments every template fixes are dropped.
        if events
            .iter()
            .any(|e| e.tag.is_some() || e.flow.as_ref().is_some_and(|f| f.tag.is_some()))
        {
            // Only the names these filters and tags are registered under are looked for.
            let mut names: Vec<String> = Vec::new();
            for e in &events {
                for (fid, _) in [e.flow.as_ref().and_then(|f| f.tag), e.tag]
                    .into_iter()
                    .flatten()
                {
                    let f = &self.ix.funcs[fid];
                    names.push(f.def.name.to_string());
                    for d in &f.def.decorator_list {
                        if let Expr::Call(c) = &d.expression {
                            let args = c.arguments.args.iter();
                            let kws = c.arguments.keywords.iter().map(|k| &k.value);
                            names.extend(
                                args.chain(kws).filter_map(string_literal).map(String::from),
                            );
                        }
                    }
                }
            }
            // Inclusion tags too: a variable their templates pass on is fed where they are.
            for tag in self.inclusion_tags() {
                names.push(self.ix.funcs[tag.func].def.name.to_string());
                names.extend(tag.name.map(String::from));
            }
            names.sort();
            names.dedup();
            let uses = crate::code::tags::Uses::scan(self.ix.project, &names);
            events.retain(|e| {
                if let Some((fid, param)) = e.flow.as_ref().and_then(|f| f.tag) {
                    return self.template_use(&uses, fid, param) == TemplateUse::Fed;
                }
                // A non-constant value that is a template argument: unknown unless every
                // template passes a literal there.
                if let Some((fid, param)) = e.tag {
                    return self.template_use(&uses, fid, param) != TemplateUse::Literal;
                }
                true
            });
        }
        // The strongest event per (rule, sink) survives.
        events.sort_by(|a, b| {
            (a.sink.rule.id, a.sink.file, a.sink.range.start())
                .cmp(&(b.sink.rule.id, b.sink.file, b.sink.range.start()))
                .then(b.confidence.cmp(&a.confidence))
        });
        events.dedup_by(|b, a| {
            a.sink.rule.id == b.sink.rule.id
                && a.sink.file == b.sink.file
                && a.sink.range == b.sink.range
        });
        (events, self.contexts.into_inner())
    }

    pub(super) fn summary(&self, fid: FuncId) -> Arc<Summary> {
        if let Some(s) = self.summaries.borrow().get(&fid) {
            return s.clone();
        }
        if !self.in_progress.borrow_mut().insert(fid) {
            return Arc::new(Summary::default());
        }
        let s = Arc::new(self.analyse(fid));
        self.in_progress.borrow_mut().remove(&fid);
        self.summaries.borrow_mut().insert(fid, s.clone());
        s
    }

    pub(super) fn analyse(&self, fid: FuncId) -> Summary {
        let f = &self.ix.funcs[fid];
        let mut cx = FnCx::new(self, f.file, Some(fid));
        let params = param_list(f.def);
        let shape = self.shape(fid, f, &params);
        let mut tracked: Vec<(u16, &str)> = Vec::new();
        for (i, p) in params.iter().enumerate() {
            let name = p.name.as_str();
            let idx = u16::try_from(i).unwrap_or(u16::MAX);
            let (val, tracks) = self.parameter_value(&shape, i, p);
            if tracks {
                tracked.push((idx, name));
            }
            cx.env.insert(Key::Name(name), val);
        }
        cx.body = &f.def.body;
        if self.ix.checks_redirects(f.file) {
            // Values validated with url_has_allowed_host_and_scheme are clean wherever they
            // are read in this function, also when returned to a caller.
            cx.checks();
        }
        cx.tracked = tracked;
        cx.walk_body(&f.def.body);
        if !terminates(&f.def.body) {
            let now = cx.validated_now();
            cx.exit_valid(&now);
        }
        Summary {
            returns_anchored: cx.returns_anchored,
            returns: cx.returns,
            param_sinks: cx.param_sinks,
            returns_keys: cx.returns_keys,
            returns_safe: cx.any_return && cx.returns_safe,
            anchored_needs: cx.anchored_needs,
            validates: cx.valid_ret.unwrap_or_default(),
            checks: cx.valid_exit.unwrap_or_default(),
        }
    }

    /// What kind of function this is, as far as its parameters are concerned: a method, a
    /// view, a template filter or tag, a handler the URL resolver calls with URL arguments.
    fn shape<'f>(
        &self,
        fid: FuncId,
        f: &'f crate::code::index::Func<'a>,
        params: &[&ast::Parameter],
    ) -> FnShape<'f, 'a> {
        let has_self = f.class.is_some() && !decorated(f.def, "staticmethod");
        let view_class = f.class.is_some_and(|c| self.ix.is_view_class(c));
        let first = usize::from(has_self);
        let request_first = params
            .get(first)
            .is_some_and(|p| p.name.as_str() == "request");
        let is_view = request_first || view_class;
        // `@register.filter` / `@register.simple_tag`: templates call it with whatever the
        // context holds, possibly user data.
        let template_function = f.def.decorator_list.iter().any(|d| {
            let text = self.ix.text(f.file, d.expression.range());
            text.starts_with("register.filter")
                || text.starts_with("register.simple_tag")
                || text.starts_with("register.inclusion_tag")
                || text.ends_with("stringfilter")
        });
        // Extra parameters of a view are URL arguments when the URL resolver calls it: it is
        // routed, a class-based view's method, or no project code calls it.
        let handler = matches!(
            f.def.name.as_str(),
            "get" | "post" | "put" | "patch" | "delete" | "head" | "options"
        );
        let fname = f.def.name.as_str();
        // Hooks Django calls itself (middleware, a class's own protocol) take no URL arguments.
        let hook = fname.starts_with("process_") || fname.starts_with("__");
        let url_args = is_view
            && ((view_class && handler)
                || self.ix.is_routed(Def::Func(fid))
                || (!hook && !self.ix.called_names.contains(f.def.name.as_str())));
        FnShape {
            fid,
            f,
            has_self,
            view_class,
            first,
            request_first,
            template_function,
            url_args,
        }
    }

    /// The value a parameter holds on entry to the function, and whether it is tracked as
    /// the function's own parameter (its flows summarised for callers).
    fn parameter_value(&self, shape: &FnShape, i: usize, p: &ast::Parameter) -> (AVal, bool) {
        let FnShape { fid, f, .. } = *shape;
        let fname = f.def.name.as_str();
        let name = p.name.as_str();
        let idx = u16::try_from(i).unwrap_or(u16::MAX);
        let parameter = |idx: u16, name: &str| {
            Taint::parameter(
                idx,
                Step {
                    file: f.file,
                    range: p.range(),
                    text: format!("parameter `{name}` of {fname}()"),
                },
            )
        };
        let (view_class, first, url_args) = (shape.view_class, shape.first, shape.url_args);
        if shape.has_self && i == 0 {
            let val = match (f.class, decorated(f.def, "classmethod")) {
                (Some(class), false) => AVal {
                    kind: Kind::SelfOf {
                        class,
                        view: view_class,
                    },
                    ..AVal::default()
                },
                _ => AVal::default(),
            };
            (val, false)
        } else if view_class
            && ((matches!(fname, "form_valid" | "form_invalid") && name == "form")
                || (matches!(fname, "perform_create" | "perform_update") && name == "serializer"))
        {
            // Django's FormView and DRF's generic views pass the bound form or serializer,
            // filled from the request.
            let val = AVal {
                taint: Taint::source(Step {
                    file: f.file,
                    range: p.range(),
                    text: format!("`{name}` of {fname}() (request data)"),
                }),
                kind: Kind::Form(f.class.and_then(|c| self.form_class_of(c))),
                ..AVal::default()
            };
            (val, false)
        } else if shape.template_function && name == "autoescape" {
            let val = AVal {
                kind: Kind::AutoEscape,
                ..AVal::default()
            };
            (val, false)
        } else if shape.template_function && name != "context" {
            // What a template passes in (maybe a user's data), and for direct Python
            // callers an ordinary parameter: the weak source stays inside the function.
            let mut taint = parameter(idx, name);
            taint.source = Some(Arc::new(Flow {
                weak: true,
                tag: Some((fid, idx)),
                ..Flow::start(Step {
                    file: f.file,
                    range: p.range(),
                    text: format!("argument `{name}` of template filter {fname}()"),
                })
            }));
            let val = AVal {
                taint,
                ..AVal::default()
            };
            (val, true)
        } else if (i == first && shape.request_first) || (view_class && name == "request") {
            let val = AVal {
                kind: Kind::Request,
                ..AVal::default()
            };
            (val, false)
        } else if url_args && i > first && self.url_kwarg_absent(fid, name) {
            (AVal::default(), false)
        } else if url_args && i > first && self.url_kwarg_safe(fid, name) {
            // The URL conf only admits digits, letters, `_` and `-` here.
            (AVal::safe(), false)
        } else if url_args && i > first {
            let val = AVal {
                taint: Taint::source(Step {
                    file: f.file,
                    range: p.range(),
                    text: format!("URL argument `{name}` of {fname}()"),
                }),
                ..AVal::default()
            };
            (val, false)
        } else {
            let val = AVal {
                taint: parameter(idx, name),
                ..AVal::default()
            };
            (val, true)
        }
    }

    /// What the project's templates pass for this parameter of a template filter or tag.
    pub(super) fn template_use(
        &self,
        uses: &crate::code::tags::Uses,
        fid: FuncId,
        param: u16,
    ) -> TemplateUse {
        self.template_use_at(uses, fid, param, 0)
    }

    /// Whether a variable an inclusion tag's template passes on is fed from templates: the
    /// tag puts its own parameter `q` under that name (`return {"size": size}`), so the
    /// variable is fed where the tag's `q` is. `None` when the template is no project
    /// inclusion tag's or the variable is something else.
    pub(super) fn passed_through(
        &self,
        uses: &crate::code::tags::Uses,
        template: &str,
        var: &str,
        depth: u8,
    ) -> Option<bool> {
        let mut answer: Option<bool> = None;
        for tag in self.inclusion_tags() {
            let (g, Some(name)) = (tag.func, tag.template) else {
                continue;
            };
            if !(template == name || template.ends_with(&format!("/{name}"))) {
                continue;
            }
            let summary = self.summary(g);
            let v = summary
                .returns_keys
                .as_ref()?
                .iter()
                .find(|(k, _)| k == var)?
                .1
                .clone();
            // The tag's own parameter: as a parameter, or as the weak source a template
            // function's argument is.
            let param = match (&v.taint.source, v.taint.params.as_slice()) {
                (None, []) => None,
                (None, [(q, _)]) => Some(*q),
                (Some(src), _) if src.weak && src.tag.is_some_and(|(t, _)| t == g) => {
                    src.tag.map(|(_, q)| q)
                }
                _ => return None,
            };
            let fed = param
                .is_some_and(|q| self.template_use_at(uses, g, q, depth + 1) == TemplateUse::Fed);
            answer = Some(answer.unwrap_or(false) || fed);
        }
        answer
    }

    pub(super) fn template_use_at(
        &self,
        uses: &crate::code::tags::Uses,
        fid: FuncId,
        param: u16,
        depth: u8,
    ) -> TemplateUse {
        if depth > 4 {
            return TemplateUse::Fed;
        }
        let f = &self.ix.funcs[fid];
        let params = param_list(f.def);
        let Some(p) = params.get(usize::from(param)) else {
            return TemplateUse::Fed;
        };
        let mut fed = false;
        let mut used = false;
        let mut registered = false;
        for d in &f.def.decorator_list {
            let (callee, call) = match &d.expression {
                Expr::Call(c) => (&*c.func, Some(c)),
                other => (other, None),
            };
            let text = self.ix.text(f.file, callee.range());
            let filter = text.ends_with(".filter") || text.ends_with("stringfilter");
            let tag = text.ends_with(".simple_tag") || text.ends_with(".inclusion_tag");
            if !filter && !tag {
                continue;
            }
            registered = true;
            // The name templates use: `@register.filter("json")`, `name="..."`, else the
            // function's.
            let name = call
                .and_then(|c| {
                    c.arguments
                        .keywords
                        .iter()
                        .find(|k| k.arg.as_ref().is_some_and(|a| a.id.as_str() == "name"))
                        .map(|k| &k.value)
                        .or_else(|| c.arguments.args.first().filter(|_| filter))
                })
                .and_then(string_literal)
                .unwrap_or(f.def.name.as_str());
            let takes_context = call.is_some_and(|c| {
                c.arguments.keywords.iter().any(|k| {
                    k.arg
                        .as_ref()
                        .is_some_and(|a| a.id.as_str() == "takes_context")
                        && matches!(&k.value, Expr::BooleanLiteral(b) if b.value)
                })
            });
            let offset = usize::from(takes_context);
            let Some(position) = usize::from(param).checked_sub(offset) else {
                return TemplateUse::Fed;
            };
            if filter {
                fed |= uses.fed(name, filter, position, p.name.as_str());
            } else {
                // A variable an inclusion tag's template passes on is fed only where the
                // inclusion tag's own argument is (`{% avatar user 36 %}` → avatar.html's
                // `{% letter_avatar name size %}`).
                fed |= uses
                    .tag_feeds(name, position, p.name.as_str())
                    .into_iter()
                    .any(|(template, var)| {
                        var.and_then(|v| self.passed_through(uses, template, v, depth))
                            .unwrap_or(true)
                    });
            }
            used |= uses.used(name, filter);
            // `*args`/`**kwargs` collect whatever the template passes.
            if f.def
                .parameters
                .vararg
                .as_ref()
                .is_some_and(|v| v.name == p.name)
                || f.def
                    .parameters
                    .kwarg
                    .as_ref()
                    .is_some_and(|v| v.name == p.name)
            {
                return TemplateUse::Fed;
            }
        }
        if fed || !registered {
            TemplateUse::Fed
        } else if used {
            TemplateUse::Literal
        } else {
            TemplateUse::Unused
        }
    }

    /// The project form class a view names in `form_class = ...`.
    pub(super) fn form_class_of(&self, view: ClassId) -> Option<ClassId> {
        let (owner, e) = self.ix.class_attr(view, "form_class")?;
        match self.ix.resolve_def(self.ix.classes[owner].file, e) {
            Some(Def::Class(c)) => Some(c),
            Some(Def::Func(_)) => None,
            // Bound by a loader the index does not follow (`Form = get_class("app.forms",
            // "Form")`): the project's only class of that name.
            None => {
                let Expr::Name(n) = e else {
                    return None;
                };
                let mut found = self
                    .ix
                    .classes
                    .iter_enumerated()
                    .filter(|(_, c)| c.def.name.as_str() == n.id.as_str())
                    .map(|(i, _)| i);
                let first = found.next()?;
                found.next().is_none().then_some(first)
            }
        }
    }

    pub(super) fn url_kwarg_absent(&self, fid: FuncId, name: &str) -> bool {
        let f = &self.ix.funcs[fid];
        // `*args`/`**kwargs` hold whatever the URL captured.
        let variadic = f
            .def
            .parameters
            .vararg
            .as_ref()
            .is_some_and(|v| v.name.as_str() == name)
            || f.def
                .parameters
                .kwarg
                .as_ref()
                .is_some_and(|v| v.name.as_str() == name);
        !variadic
            && (self.ix.url_kwarg_absent(Def::Func(fid), name)
                || f.class
                    .is_some_and(|c| self.ix.url_kwarg_absent(Def::Class(c), name)))
    }

    pub(super) fn url_kwarg_safe(&self, fid: FuncId, name: &str) -> bool {
        let f = &self.ix.funcs[fid];
        self.ix.url_kwarg_safe(Def::Func(fid), name)
            || f.class
                .is_some_and(|c| self.ix.url_kwarg_safe(Def::Class(c), name))
    }

    pub(super) fn emit(&self, mut e: Event) {
        if e.sink.path
            && e.confidence == Confidence::High
            && e.flow.as_deref().is_some_and(route_bound)
        {
            e.confidence = Confidence::Medium;
        }
        self.events.borrow_mut().push(e);
    }

    /// Remember what a template is rendered with.
    pub(super) fn record(&self, template: &str, keys: &[(String, AVal)]) {
        let mut out = self.contexts.borrow_mut();
        for (k, v) in keys {
            let source = v.taint.source.as_ref();
            out.push(TemplateContext {
                template: template.to_string(),
                key: k.clone(),
                source: source.and_then(|f| {
                    f.steps.first().map(|s| {
                        format!("{} ({})", s.text, crate::code::at(self.ix, s.file, s.range))
                    })
                }),
                weak: source.is_some_and(|f| f.weak),
                konst: v.is_const(),
                escaped: v.is_safe(),
                anchored: v.is_anchored(),
            });
        }
    }

    /// Contexts that no call site shows: a class-based view's `template_name` with what its
    /// `get_context_data()` returns and its `extra_context`; an inclusion tag's template with
    /// the dict the tag returns.
    pub(super) fn record_declared_contexts(&self) {
        for c in self.ix.classes.ids() {
            if !self.ix.is_view_class(c) {
                continue;
            }
            let Some(template) = self
                .ix
                .class_attr(c, "template_name")
                .and_then(|(_, e)| string_literal(e))
            else {
                continue;
            };
            if let Some(fid) = self.ix.method(c, "get_context_data")
                && let Some(keys) = &self.summary(fid).returns_keys
            {
                self.record(template, keys);
            }
            if let Some((owner, e)) = self.ix.class_attr(c, "extra_context") {
                let mut cx = FnCx::new(self, self.ix.classes[owner].file, None);
                if let Some(keys) = &cx.eval(e).keys {
                    self.record(template, keys);
                }
            }
        }
        for (fid, f) in self.ix.funcs.iter_enumerated() {
            let Some(template) = f.def.decorator_list.iter().find_map(|d| {
                let Expr::Call(c) = &d.expression else {
                    return None;
                };
                let callee = self.ix.text(f.file, c.func.range());
                if !callee.ends_with("inclusion_tag") {
                    return None;
                }
                c.arguments
                    .args
                    .first()
                    .and_then(string_literal)
                    .or_else(|| {
                        c.arguments
                            .keywords
                            .iter()
                            .find(|k| k.arg.as_ref().is_some_and(|a| a.id.as_str() == "filename"))
                            .and_then(|k| string_literal(&k.value))
                    })
            }) else {
                continue;
            };
            if let Some(keys) = &self.summary(fid).returns_keys {
                self.record(template, keys);
            }
        }
    }
}

pub(super) fn has_decorator(def: &ast::StmtFunctionDef, name: &str) -> bool {
    def.decorator_list
        .iter()
        .any(|d| matches!(&d.expression, Expr::Name(n) if n.id.as_str() == name))
}

/// Whether a flow starts at the request's own path (`request.path`, `path_info`,
/// `get_full_path()`): it matched one of the project's URL patterns, which usually admit no
/// `..` part; whether this one does is not read, so a file path built from it is medium.
pub(super) fn route_bound(flow: &Flow) -> bool {
    flow.steps.first().is_some_and(|s| {
        let t = s.text.trim_end_matches("()");
        t.ends_with(".path")
            || t.ends_with(".path_info")
            || t.ends_with(".get_full_path")
            || t.ends_with(".get_full_path_info")
    })
}

/// How sure a flow is: proven request data is high, a template filter's argument medium.
pub(super) fn strength(flow: &Flow) -> Confidence {
    if flow.weak || flow.guessed {
        Confidence::Medium
    } else {
        Confidence::High
    }
}

/// Every named parameter in positional order, then keyword-only, then `*args`/`**kwargs`.
pub(super) fn param_list(def: &ast::StmtFunctionDef) -> Vec<&ast::Parameter> {
    let p = &def.parameters;
    let mut out: Vec<&ast::Parameter> = p
        .posonlyargs
        .iter()
        .chain(p.args.iter())
        .map(|a| &a.parameter)
        .collect();
    out.extend(p.kwonlyargs.iter().map(|a| &a.parameter));
    if let Some(v) = &p.vararg {
        out.push(v);
    }
    if let Some(k) = &p.kwarg {
        out.push(k);
    }
    out
}

/// What kind of function [`Engine::analyse`] reads, as far as its parameters are concerned.
#[derive(Clone, Copy)]
struct FnShape<'f, 'a> {
    fid: FuncId,
    f: &'f crate::code::index::Func<'a>,
    /// A method whose first parameter is `self` or `cls` (not a static method).
    has_self: bool,
    /// A method of a class-based view.
    view_class: bool,
    /// The index of the first parameter after `self`.
    first: usize,
    /// That parameter is named `request`.
    request_first: bool,
    /// A template filter or tag (`@register.filter`, `@stringfilter`, ...).
    template_function: bool,
    /// Extra parameters are URL arguments (the URL resolver calls the function).
    url_args: bool,
}

/// Whether a function has the bare decorator `@name`.
fn decorated(def: &ast::StmtFunctionDef, name: &str) -> bool {
    def.decorator_list
        .iter()
        .any(|d| matches!(&d.expression, Expr::Name(n) if n.id.as_str() == name))
}
