//! Calls: the named steps of the call evaluator, project functions applied with their
//! summaries, forms, template contexts, and the sinks the rules declare.

use super::*;

impl<'e, 'x, 'a> FnCx<'e, 'x, 'a> {
    /// The project function a call runs, with how many leading parameters the call fills
    /// implicitly (`self`).
    pub(in crate::code::taint) fn project_callee(
        &self,
        c: &'a ast::ExprCall,
    ) -> Option<(FuncId, usize)> {
        if let Expr::Attribute(a) = &*c.func
            && matches!(&*a.value, Expr::Name(n) if n.id.as_str() == "self")
        {
            let class = self.func.and_then(|f| self.ix.funcs[f].class)?;
            let fid = self.ix.method(class, a.attr.id.as_str())?;
            let offset = usize::from(!has_decorator(self.ix.funcs[fid].def, "staticmethod"));
            return Some((fid, offset));
        }
        if !self.ix.may_be_project(self.file, &c.func) {
            return None;
        }
        let q = self.callee_name(&c.func)?;
        match self
            .ix
            .lookup(&q)
            .or_else(|| self.ix.resolve_def(self.file, &c.func))?
        {
            Def::Func(fid) => Some((
                fid,
                usize::from(has_decorator(self.ix.funcs[fid].def, "classmethod")),
            )),
            Def::Class(_) => None,
        }
    }

    pub(in crate::code::taint) fn eval_call(&mut self, call: &'a ast::ExprCall) -> AVal {
        let c = self.call_parts(call);
        if let Some(v) = self.dict_building(c.method, c.receiver, call, &c.args, &c.kws) {
            return v;
        }
        self.encoder_call(&c)
            .or_else(|| self.receiver_call(&c))
            .or_else(|| self.escaping_call(&c))
            .or_else(|| self.known_or_project_call(&c))
            .or_else(|| self.string_method(&c))
            .unwrap_or_default()
    }

    /// Evaluates a call's receiver and arguments, resolves the callee when it can matter,
    /// checks the rules' sinks and records a template's context.
    pub(in crate::code::taint) fn call_parts(&mut self, call: &'a ast::ExprCall) -> CallParts<'a> {
        let (method, receiver) = match &*call.func {
            Expr::Attribute(a) => (Some(a.attr.id.as_str()), Some(&*a.value)),
            _ => (None, None),
        };
        let recv = receiver.map(|r| self.eval(r));
        let args: Vec<AVal> = call.arguments.args.iter().map(|a| self.eval(a)).collect();
        let kws: Vec<(Option<&'a str>, AVal)> = call
            .arguments
            .keywords
            .iter()
            .map(|k| (k.arg.as_ref().map(|a| a.id.as_str()), self.eval(&k.value)))
            .collect();
        let spelled = method.or(match &*call.func {
            Expr::Name(n) => Some(n.id.as_str()),
            _ => None,
        });
        // Resolving a callee through the imports allocates; only calls that can matter are
        // resolved: spelled like a sink, sanitiser or propagator, or defined in the project.
        // An imported name called directly may be an alias (`RawSQL as R`): resolve it too.
        let imported_name = matches!(&*call.func, Expr::Name(n)
            if self.ix.files[self.file].imports.binding(n.id.as_str()).is_some());
        let interesting = imported_name
            || spelled.is_some_and(interesting_name)
            || self.ix.may_be_project(self.file, &call.func);
        let qualname = if interesting {
            self.callee_name(&call.func)
        } else {
            None
        };

        let site = CallSite {
            ix: self.ix,
            file: self.file,
            call,
            qualname: qualname.as_deref(),
            method,
            receiver,
        };
        for sink in crate::rules::code::sinks(&site) {
            self.check_sink(&sink, call, (receiver, recv.as_ref()), &args, &kws);
        }
        self.record_context(qualname.as_deref(), call);
        CallParts {
            call,
            method,
            receiver,
            recv,
            args,
            kws,
            qualname,
        }
    }

    /// Encoders: percent-encoding, and replacing every `<` (no tag can open).
    pub(in crate::code::taint) fn encoder_call(&mut self, c: &CallParts<'a>) -> Option<AVal> {
        // Encoders: percent-encoding, and replacing every `<` (no tag can open).
        if let Some(m) = c.method
            && self.encodes(m, c.call)
        {
            return Some(AVal::safe());
        }
        None
    }

    /// A method of a value whose kind decides (the request, uploads, `self`, URL arguments, `cleaned_data`).
    pub(in crate::code::taint) fn receiver_call(&mut self, c: &CallParts<'a>) -> Option<AVal> {
        // The c.receiver decides first.
        if let (Some(m), Some(r)) = (c.method, &c.recv) {
            match r.kind {
                Kind::Request
                    if m == "build_absolute_uri"
                        && c.args.first().is_some_and(|a| a.taint.is_empty()) =>
                {
                    // The host is validated against ALLOWED_HOSTS, the path is ours.
                    return Some(AVal::with(Facts::SAFE | Facts::ANCHORED));
                }
                Kind::Request if REQUEST_SOURCE_METHODS.contains(&m) => {
                    return Some(AVal {
                        taint: self.source(c.call.range()),
                        facts: Facts::ANCHORED.only_if(matches!(
                            m,
                            "get_full_path" | "get_full_path_info" | "build_absolute_uri"
                        )),
                        ..AVal::default()
                    });
                }
                Kind::Request => return Some(AVal::default()),
                Kind::Files if m == "get" => {
                    let inner = c.receiver.map_or(c.call.range(), Ranged::range);
                    return Some(AVal {
                        taint: self.refine(&r.taint, inner, c.call.range()),
                        kind: Kind::Upload,
                        ..AVal::default()
                    });
                }
                Kind::SelfOf { class, .. } => {
                    if let Some(fid) = self.ix.method(class, m) {
                        let offset =
                            usize::from(!has_decorator(self.ix.funcs[fid].def, "staticmethod"));
                        return Some(self.apply(fid, offset, c.call, &c.args, &c.kws));
                    }
                    return Some(AVal::default());
                }
                Kind::UrlKwargs(class)
                    if m == "get"
                        && c.call
                            .arguments
                            .args
                            .first()
                            .and_then(string_literal)
                            .is_some_and(|k| self.ix.url_kwarg_safe(Def::Class(class), k)) =>
                {
                    return Some(AVal::safe());
                }
                Kind::CleanedData(form) if m == "get" => {
                    if let Some(key) = c.call.arguments.args.first().and_then(string_literal)
                        && self.typed_field(form, key)
                    {
                        return Some(AVal::safe());
                    }
                    return Some(AVal {
                        taint: r.taint.clone(),
                        ..AVal::default()
                    });
                }
                _ => {}
            }
        }
        None
    }

    /// A local bound to a sanitiser, or rendering a template or form: escaped output.
    pub(in crate::code::taint) fn escaping_call(&mut self, c: &CallParts<'a>) -> Option<AVal> {
        // A local bound to a sanitiser (`esc(value)` after `esc = conditional_escape ...`).
        if let Expr::Name(n) = &*c.call.func
            && self
                .env
                .get(&Key::Name(n.id.as_str()))
                .is_some_and(|v| v.kind == Kind::Sanitiser)
        {
            return Some(AVal::safe());
        }
        // Rendering a template or a form escapes what goes into it.
        if matches!(
            c.method,
            Some("render" | "render_to_string" | "as_p" | "as_table" | "as_ul" | "as_div")
        ) {
            return Some(AVal::safe());
        }
        None
    }

    /// A call djguard knows by its qualified name (escapers, sanitisers, propagators, forms) or a project function or class, applied with its summary.
    pub(in crate::code::taint) fn known_or_project_call(
        &mut self,
        c: &CallParts<'a>,
    ) -> Option<AVal> {
        if let Some(q) = c.qualname.as_deref() {
            if matches!(
                q,
                "django.template.defaultfilters.urlize"
                    | "django.template.defaultfilters.urlizetrunc"
            ) || (q == "django.utils.html.urlize" && !c.kws.is_empty())
            {
                // Escapes unless told `autoescape=False`.
                let off = c.call.arguments.keywords.iter().any(|k| {
                    k.arg
                        .as_ref()
                        .is_some_and(|a| a.id.as_str() == "autoescape")
                        && matches!(&k.value, Expr::BooleanLiteral(b) if !b.value)
                });
                if !off {
                    return Some(AVal::safe());
                }
            }
            if q == "json.dumps" && self.escaping_encoder(c.call) {
                return Some(AVal::safe());
            }
            if known(q) == Some(Known::Sanitiser) {
                return Some(AVal::safe());
            }
            if known(q) == Some(Known::Propagator) {
                let mut out = AVal::built();
                for v in c.args.iter().chain(c.kws.iter().map(|(_, v)| v)) {
                    out.absorb(v);
                }
                return Some(out);
            }
            match self
                .ix
                .lookup(q)
                .or_else(|| self.ix.resolve_def(self.file, &c.call.func))
            {
                Some(Def::Func(fid)) => {
                    // Through the class: a classmethod gets `cls` implicitly; a plain c.method
                    // gets its instance as the first argument, a staticmethod nothing.
                    let offset = usize::from(has_decorator(self.ix.funcs[fid].def, "classmethod"));
                    return Some(self.apply(fid, offset, c.call, &c.args, &c.kws));
                }
                Some(Def::Class(cid)) => {
                    if self.ix.is_form_class(cid) {
                        return Some(self.form(Some(cid), &c.args, &c.kws));
                    }
                    if let Some(init) = self.ix.method(cid, "__init__") {
                        // Parameters flowing into the instance are not tracked; the
                        // constructor's own sinks are.
                        self.apply(init, 1, c.call, &c.args, &c.kws);
                    }
                    return Some(AVal::default());
                }
                None => {}
            }
            if q.starts_with("django.forms.") {
                return Some(self.form(None, &c.args, &c.kws));
            }
        }
        None
    }

    /// A method of a string: formatting or joining a constant template, propagating methods, and safe methods of an escaped value.
    pub(in crate::code::taint) fn string_method(&mut self, c: &CallParts<'a>) -> Option<AVal> {
        if let (Some(m), Some(r)) = (c.method, &c.recv) {
            if r.is_const() && is_str(c.receiver.unwrap_or(&c.call.func)) {
                match m {
                    "format" | "format_map" => {
                        let mut out = AVal::built();
                        let fmt = c.receiver.and_then(string_literal).unwrap_or("");
                        let prefix = fmt.split('{').next().unwrap_or("");
                        out.facts.set(
                            Facts::ANCHORED,
                            anchored_start(
                                prefix,
                                c.args
                                    .first()
                                    .or(c.kws.first().map(|(_, v)| v))
                                    .map(origin_safe),
                            ),
                        );
                        for v in c.args.iter().chain(c.kws.iter().map(|(_, v)| v)) {
                            out.absorb(v);
                        }
                        return Some(self.formatted(out, c.call.range(), "str.format()"));
                    }
                    "join" => {
                        let mut out = AVal::built();
                        for v in &c.args {
                            out.absorb(v);
                        }
                        // `"?".join([reverse(...), query])`: the first part fixes the origin.
                        if let Some(
                            Expr::List(ast::ExprList { elts, .. })
                            | Expr::Tuple(ast::ExprTuple { elts, .. }),
                        ) = c.call.arguments.args.first()
                            && let Some(first) = elts.first()
                        {
                            let v = self.eval(first);
                            out.facts.set(Facts::ANCHORED, starts_fixed(&v));
                        }
                        return Some(self.formatted(out, c.call.range(), "str.join()"));
                    }
                    _ => return Some(AVal::konst()),
                }
            }
            if !r.taint.is_empty() && PROPAGATING_METHODS.contains(&m) {
                let inner = c.receiver.map_or(c.call.range(), Ranged::range);
                return Some(AVal {
                    taint: self.refine(&r.taint, inner, c.call.range()),
                    facts: Facts::ANCHORED
                        .only_if(r.is_anchored() && matches!(m, "replace" | "rstrip" | "format")),
                    ..AVal::default()
                });
            }
            if !matches!(r.kind, Kind::Plain | Kind::Checked) {
                return Some(AVal::default());
            }
            if r.is_safe()
                && matches!(
                    m,
                    "strip"
                        | "lstrip"
                        | "rstrip"
                        | "lower"
                        | "upper"
                        | "replace"
                        | "encode"
                        | "decode"
                        | "split"
                        | "splitlines"
                )
            {
                return Some(AVal::safe());
            }
        }
        None
    }

    /// Whether a method call encodes its receiver so no markup survives: `QueryDict.urlencode()`
    /// (percent-encoding), `s.replace("<", "&lt;")`, `s.translate(table)` with a table that
    /// maps `<`.
    pub(in crate::code::taint) fn encodes(&self, m: &str, call: &'a ast::ExprCall) -> bool {
        match m {
            "urlencode" => true,
            "replace" => {
                let (Some(from), Some(to)) = (
                    call.arguments.args.first().and_then(string_literal),
                    call.arguments.args.get(1).and_then(string_literal),
                ) else {
                    return false;
                };
                from == "<" && !to.contains('<')
            }
            "translate" => {
                let Some(table) = call.arguments.args.first() else {
                    return false;
                };
                let text = match table {
                    Expr::Name(n) => self.module_value(n.id.as_str()),
                    other => Some(self.ix.text(self.file, other.range())),
                };
                text.is_some_and(|t| {
                    t.contains("'<'")
                        || t.contains("\"<\"")
                        || t.to_ascii_lowercase().contains("0x3c")
                })
            }
            _ => false,
        }
    }

    /// The source text of a module-level assignment `name = ...` in the current file.
    pub(in crate::code::taint) fn module_value(&self, name: &str) -> Option<&'a str> {
        let parsed = self.ix.files[self.file].parsed?;
        parsed.module.body.iter().rev().find_map(|s| match s {
            Stmt::Assign(a)
                if a.targets
                    .iter()
                    .any(|t| matches!(t, Expr::Name(n) if n.id.as_str() == name)) =>
            {
                Some(self.ix.text(self.file, a.value.range()))
            }
            _ => None,
        })
    }

    /// `json.dumps(value, cls=Encoder)` where `Encoder` is a project class that escapes what it
    /// encodes (a method of it, or of a project base, calls an HTML escaper or replaces `<`).
    pub(in crate::code::taint) fn escaping_encoder(&self, call: &'a ast::ExprCall) -> bool {
        let Some(cls) = call
            .arguments
            .keywords
            .iter()
            .find(|k| k.arg.as_ref().is_some_and(|a| a.id.as_str() == "cls"))
        else {
            return false;
        };
        let Some(Def::Class(c)) = self.ix.resolve_def(self.file, &cls.value) else {
            return false;
        };
        self.ix.mro(c).into_iter().any(|c| {
            let class = &self.ix.classes[c];
            let text = self.ix.text(class.file, class.def.range());
            [
                "conditional_escape",
                "escapejs",
                "html.escape(",
                "replace('<'",
                "replace(\"<\"",
            ]
            .iter()
            .any(|e| text.contains(e))
        })
    }

    /// Calls that build a dict with known keys: `dict(k=v)`, `ctx.update(...)`,
    /// `ctx.setdefault("k", v)`, and `super().get_context_data(**kwargs)` (Django returns
    /// `kwargs` plus its own keys; a project base class adds the keys it sets).
    pub(in crate::code::taint) fn dict_building(
        &mut self,
        method: Option<&'a str>,
        receiver: Option<&'a Expr>,
        call: &'a ast::ExprCall,
        args: &[AVal],
        kws: &[(Option<&'a str>, AVal)],
    ) -> Option<AVal> {
        let from_kwargs = |out: &mut AVal| {
            for (k, v) in kws {
                match k {
                    Some(name) => set_key(out, name, v),
                    None => add_keys(out, v),
                }
            }
        };
        match (method, receiver) {
            (None, _) => {
                let Expr::Name(n) = &*call.func else {
                    return None;
                };
                if n.id.as_str() != "dict"
                    || self.ix.files[self.file].imports.binding("dict").is_some()
                {
                    return None;
                }
                let mut out = AVal::konst();
                out.keys = Some(Arc::default());
                if let Some(first) = args.first() {
                    out.taint.union(&first.taint);
                    out.facts.keep_if(Facts::CONST, first.facts);
                    add_keys(&mut out, first);
                }
                from_kwargs(&mut out);
                Some(out)
            }
            (Some("update" | "setdefault"), Some(Expr::Name(n))) => {
                let key = Key::Name(n.id.as_str());
                let mut obj = self.env.get(&key).cloned()?;
                obj.keys.as_ref()?;
                if method == Some("update") {
                    if let Some(first) = args.first() {
                        obj.taint.union(&first.taint);
                        obj.facts.keep_if(Facts::CONST, first.facts);
                        add_keys(&mut obj, first);
                    }
                    from_kwargs(&mut obj);
                } else if let (Some(k), Some(v)) = (
                    call.arguments.args.first().and_then(string_literal),
                    args.get(1),
                ) {
                    set_key(&mut obj, k, v);
                }
                self.set(key, obj);
                Some(AVal::default())
            }
            (Some("get_context_data"), Some(Expr::Call(sup))) if matches!(&*sup.func, Expr::Name(s) if s.id.as_str() == "super") =>
            {
                let mut out = AVal {
                    keys: Some(Arc::default()),
                    ..AVal::default()
                };
                from_kwargs(&mut out);
                // The parent class's own `get_context_data` in the project.
                let class = self.func.and_then(|f| self.ix.funcs[f].class)?;
                let parent = self
                    .ix
                    .mro(class)
                    .into_iter()
                    .skip(1)
                    .find_map(|c| self.ix.classes[c].methods.get("get_context_data").copied());
                if let Some(fid) = parent {
                    // Called like any project method: its keys, with what they derive from
                    // its parameters mapped through this call's arguments.
                    let from_parent = self.apply(fid, 1, call, args, kws);
                    add_keys(&mut out, &from_parent);
                }
                Some(out)
            }
            _ => None,
        }
    }

    /// `render(request, "t.html", ctx)` and its kin: remember what each known key of the
    /// context carries, for the template rules.
    pub(in crate::code::taint) fn record_context(
        &mut self,
        qualname: Option<&str>,
        call: &'a ast::ExprCall,
    ) {
        let (name_at, ctx_at) = match qualname {
            Some("django.shortcuts.render" | "django.template.response.TemplateResponse") => (1, 2),
            Some(
                "django.template.loader.render_to_string" | "django.shortcuts.render_to_response",
            ) => (0, 1),
            _ => return,
        };
        let arg = |i: usize, kw: &str| {
            call.arguments.args.get(i).or_else(|| {
                call.arguments
                    .keywords
                    .iter()
                    .find(|k| k.arg.as_ref().is_some_and(|a| a.id.as_str() == kw))
                    .map(|k| &k.value)
            })
        };
        let Some(template) = arg(name_at, "template_name").and_then(|e| self.template_name(e))
        else {
            return;
        };
        let Some(ctx) = arg(ctx_at, "context") else {
            return;
        };
        let v = self.eval(ctx);
        if let Some(keys) = &v.keys {
            self.engine.record(template, keys);
        }
    }

    /// A template name: a literal, or `self.template_name` of a class-based view.
    pub(in crate::code::taint) fn template_name(&self, e: &'a Expr) -> Option<&'a str> {
        if let Some(s) = string_literal(e) {
            return Some(s);
        }
        let Expr::Attribute(a) = e else {
            return None;
        };
        let class = self.func.and_then(|f| self.ix.funcs[f].class)?;
        if !matches!(&*a.value, Expr::Name(n) if n.id.as_str() == "self") {
            return None;
        }
        let (_, value) = self.ix.class_attr(class, a.attr.id.as_str())?;
        string_literal(value)
    }

    pub(in crate::code::taint) fn form(
        &self,
        class: Option<ClassId>,
        args: &[AVal],
        kws: &[(Option<&str>, AVal)],
    ) -> AVal {
        let mut taint = Taint::default();
        if let Some(first) = args.first() {
            taint.union(&first.taint);
        }
        for (k, v) in kws {
            if matches!(k, Some("data") | Some("files")) {
                taint.union(&v.taint);
            }
        }
        AVal {
            taint,
            kind: Kind::Form(class),
            ..AVal::default()
        }
    }

    /// Apply a project function's summary at a call: its return value, and sinks its
    /// parameters reach.
    pub(in crate::code::taint) fn apply(
        &mut self,
        callee: FuncId,
        offset: usize,
        call: &'a ast::ExprCall,
        args: &[AVal],
        kws: &[(Option<&'a str>, AVal)],
    ) -> AVal {
        let guessed = Self::guess_whole_forms(args, kws);
        let (args, kws) = match &guessed {
            Some((args_g, kws_g)) => (&args_g[..], &kws_g[..]),
            None => (args, kws),
        };
        let summary = self.engine.summary(callee);
        let f = &self.ix.funcs[callee];
        let params = param_list(f.def);
        let fname = f.def.name.as_str();
        let arg_for = |p: u16| -> Option<&AVal> {
            let p = usize::from(p);
            let name = params.get(p)?.name.as_str();
            if let Some((_, v)) = kws.iter().find(|(k, _)| *k == Some(name)) {
                return Some(v);
            }
            let positional = f.def.parameters.posonlyargs.len() + f.def.parameters.args.len();
            if p < positional && p >= offset {
                return args.get(p - offset);
            }
            None
        };
        let call_step = self.step(call.range(), format!("{fname}()"));
        let mut out = AVal {
            facts: Facts::ANCHORED.only_if(
                summary.returns_anchored
                    && summary
                        .anchored_needs
                        .iter()
                        .all(|p| arg_for(*p).is_some_and(origin_safe)),
            ) | Facts::SAFE.only_if(summary.returns_safe),
            ..AVal::default()
        };
        // A template filter's argument is a source inside the filter only: a direct caller
        // passes its own values, followed as parameters.
        if let Some(src) = &summary.returns.source
            && !src.weak
        {
            out.taint.source = Some(src.clone());
        }
        for (p, flow) in &summary.returns.params {
            if let Some(arg) = arg_for(*p)
                && !arg.taint.is_empty()
            {
                let t = arg.taint.with_step(&call_step).then(flow);
                out.taint.union(&t);
            }
        }
        if let Some(ks) = &summary.returns_keys {
            out.keys = Some(Arc::new(Self::bound_keys(ks, &arg_for, &call_step)));
        }
        // A validator that raises unless its argument passes: after the call, the argument
        // is checked.
        for p in &summary.checks {
            if let Some(key) = arg_expr(f.def, offset, call, *p).and_then(key_of) {
                self.set(key, Self::checked());
            }
        }
        self.apply_param_sinks(&summary.param_sinks, &arg_for, &call_step);
        out
    }

    /// A whole bound form or its `cleaned_data` handed to a project function: inside, the
    /// form's field types are not known, so which field reaches a sink (a typed one, or free
    /// text) is not proven. Returns the arguments with such values' sources marked guessed,
    /// or None when no argument is one.
    fn guess_whole_forms(
        args: &[AVal],
        kws: &[(Option<&'a str>, AVal)],
    ) -> Option<(Vec<AVal>, Keywords<'a>)> {
        let whole_form = |v: &AVal| matches!(v.kind, Kind::Form(_) | Kind::CleanedData(_));
        let guess = |v: &AVal| {
            let mut v = v.clone();
            v.taint.source = v.taint.source.map(|f| Arc::new(f.guessed()));
            v
        };
        if !(args.iter().any(whole_form) || kws.iter().any(|(_, v)| whole_form(v))) {
            return None;
        }
        let args_g = args
            .iter()
            .map(|v| if whole_form(v) { guess(v) } else { v.clone() })
            .collect();
        let kws_g = kws
            .iter()
            .map(|(k, v)| (*k, if whole_form(v) { guess(v) } else { v.clone() }))
            .collect();
        Some((args_g, kws_g))
    }

    /// A helper building a context: each key's value, its parameters replaced by the
    /// arguments of this call.
    fn bound_keys<'v>(
        ks: &[(String, AVal)],
        arg_for: &impl Fn(u16) -> Option<&'v AVal>,
        call_step: &Step,
    ) -> Vec<(String, AVal)> {
        let mut keys = Vec::with_capacity(ks.len());
        for (k, v) in ks.iter() {
            let mut kv = AVal {
                taint: Taint {
                    source: v.taint.source.clone(),
                    params: Vec::new(),
                },
                facts: v.facts & (Facts::CONST | Facts::SAFE | Facts::ANCHORED),
                ..AVal::default()
            };
            // The parameter itself, passed through untouched: constant or escaped as
            // the argument is.
            let bare = v.taint.source.is_none()
                && v.taint.params.len() == 1
                && v.taint.params[0].1.steps.len() == 1;
            if bare {
                kv.facts.set(Facts::CONST, true);
                kv.facts.set(Facts::SAFE, true);
            }
            for (p, flow) in &v.taint.params {
                match arg_for(*p) {
                    Some(arg) => {
                        kv.facts.absorb(arg.facts);
                        if !arg.taint.is_empty() {
                            let t = arg.taint.with_step(call_step).then(flow);
                            kv.taint.union(&t);
                        }
                    }
                    None => {
                        kv.facts.set(Facts::CONST, false);
                        kv.facts.set(Facts::SAFE, false);
                    }
                }
            }
            keys.push((k.clone(), kv));
        }
        keys
    }

    /// The sinks the callee's parameters reach, fed by this call's arguments: a proven
    /// source is reported now, and this function's own parameters become its sinks (up to
    /// 256).
    fn apply_param_sinks<'v>(
        &mut self,
        param_sinks: &[ParamSink],
        arg_for: &impl Fn(u16) -> Option<&'v AVal>,
        call_step: &Step,
    ) {
        for ps in param_sinks {
            let Some(arg) = arg_for(ps.param) else {
                continue;
            };
            if arg.taint.is_empty() {
                continue;
            }
            let t = arg.taint.with_step(call_step).then(&ps.flow);
            if let Some(src) = &t.source {
                self.engine.emit(Event {
                    sink: ps.sink.clone(),
                    confidence: strength(src),
                    flow: Some(src.clone()),
                    what: "",
                    always: false,
                    tag: None,
                });
            }
            for (p, flow) in t.params {
                if self.param_sinks.len() < 256 {
                    self.param_sinks.push(ParamSink {
                        param: p,
                        flow,
                        sink: ps.sink.clone(),
                    });
                }
            }
        }
    }

    /// A call to a sink a rule declares: a proven source is reported (which ends the check
    /// unless the source is weak), this function's parameters that reach the sink become its
    /// sinks, then the sink's low-confidence report, if any.
    pub(in crate::code::taint) fn check_sink(
        &mut self,
        sink: &Sink,
        call: &'a ast::ExprCall,
        recv: (Option<&'a Expr>, Option<&AVal>),
        args: &[AVal],
        kws: &[(Option<&'a str>, AVal)],
    ) {
        let Some(combined) = self.sink_value(sink, call, recv, args, kws) else {
            return;
        };
        let site = Arc::new(SinkSite {
            rule: sink.rule,
            file: self.file,
            range: call.range(),
            name: sink.name.clone(),
            func: self.func,
            path: matches!(sink.checked, Checked::Path),
        });
        let sink_step = self.step(call.range(), sink.name.clone());
        let weak_tag = combined
            .taint
            .source
            .as_ref()
            .filter(|s| s.weak)
            .and_then(|s| s.tag);
        if let Some(src) = &combined.taint.source {
            self.engine.emit(Event {
                sink: site.clone(),
                confidence: strength(src),
                flow: Some(Arc::new(src.with(sink_step.clone()))),
                what: "",
                always: false,
                tag: None,
            });
            if !src.weak {
                return;
            }
        }
        for (p, flow) in &combined.taint.params {
            if self.param_sinks.len() < 256 {
                self.param_sinks.push(ParamSink {
                    param: *p,
                    flow: Arc::new(flow.with(sink_step.clone())),
                    sink: site.clone(),
                });
            }
        }
        if let Some((confidence, what, always)) = low_report(sink.low, &combined) {
            self.engine.emit(Event {
                sink: site,
                confidence,
                flow: None,
                what,
                always,
                tag: weak_tag,
            });
        }
    }

    /// The values a sink's arguments hold, joined; None when no argument matters (missing,
    /// checked in this function, or anchored where only the origin matters).
    fn sink_value(
        &mut self,
        sink: &Sink,
        call: &'a ast::ExprCall,
        recv: (Option<&'a Expr>, Option<&AVal>),
        args: &[AVal],
        kws: &[(Option<&'a str>, AVal)],
    ) -> Option<AVal> {
        let mut combined = AVal::konst();
        combined.facts.set(Facts::SAFE, true);
        let mut any = false;
        for r in &sink.args {
            let (expr, val) = match *r {
                ArgRef::Receiver => recv,
                ArgRef::Pos(i) => (call.arguments.args.get(i), args.get(i)),
                ArgRef::Kw(name) => keyword_arg(call, kws, name),
                ArgRef::PosOrKw(i, name) => match call.arguments.args.get(i) {
                    Some(e) => (Some(e), args.get(i)),
                    None => keyword_arg(call, kws, name),
                },
            };
            let (Some(expr), Some(val)) = (expr, val) else {
                continue;
            };
            if let Expr::Name(n) = expr
                && !val.taint.is_empty()
                && self.checked_for(sink.checked, n.id.as_str())
            {
                continue;
            }
            if sink.origin_only && val.is_anchored() {
                continue;
            }
            any = true;
            // `f"{location}?next={q}"` with `location` a parameter: where the URL points is the
            // caller's argument's business (reported at a call passing request data for it),
            // not the request data after it.
            if sink.origin_only
                && let Some(p) = val.anchored_if
                && let Some(flow) = val.taint.params.iter().find(|(q, _)| *q == p)
            {
                combined.taint.params.push(flow.clone());
                combined.facts.set(Facts::CONST, false);
                combined.facts.set(Facts::SAFE, false);
                continue;
            }
            combined.taint.union(&val.taint);
            combined.facts.absorb(val.facts);
            combined.facts.set(
                Facts::FORMATTED,
                combined.is_formatted() || val.is_formatted(),
            );
        }
        any.then_some(combined)
    }

    /// Whether a name is checked in this function the way the sink needs
    /// (`url_has_allowed_host_and_scheme` for redirects, containment for paths).
    fn checked_for(&mut self, checked: Checked, name: &str) -> bool {
        match checked {
            Checked::Redirect => self.checks().0.contains(name),
            Checked::Path => self.checks().1.contains(name),
            Checked::Nothing => false,
        }
    }
}

/// A sink's keyword argument by name: its expression and its value.
fn keyword_arg<'a, 'v>(
    call: &'a ast::ExprCall,
    kws: &'v [(Option<&'a str>, AVal)],
    name: &str,
) -> (Option<&'a Expr>, Option<&'v AVal>) {
    let k = call
        .arguments
        .keywords
        .iter()
        .position(|k| k.arg.as_ref().is_some_and(|a| a.id.as_str() == name));
    (
        k.map(|i| &call.arguments.keywords[i].value),
        k.and_then(|i| kws.get(i)).map(|(_, v)| v),
    )
}

/// The report a sink gets without a proven source: its confidence, what kind of argument
/// made the call suspicious, and whether it is reported whatever the argument.
fn low_report(low: Low, combined: &AVal) -> Option<(Confidence, &'static str, bool)> {
    match low {
        Low::Never => None,
        Low::Formatted if combined.is_formatted() && !combined.is_safe() => Some((
            Confidence::Low,
            "a string built by formatting non-constant values",
            false,
        )),
        Low::NonConstant if !combined.is_const() && !combined.is_safe() => {
            Some((Confidence::Low, "a value that is not a constant", false))
        }
        Low::Always(c, what) => Some((c, what, true)),
        _ => None,
    }
}

/// A call's keyword arguments with their values (None for `**kwargs`).
type Keywords<'a> = Vec<(Option<&'a str>, AVal)>;
