//! Conditions and what they prove: the names a test narrows on each branch, and the
//! arguments a call validates.

use super::*;

impl<'e, 'x, 'a> FnCx<'e, 'x, 'a> {
    /// Evaluate a condition and say what it proves.
    pub(in crate::code::taint) fn test(&mut self, e: &'a Expr) -> (AVal, Guards<'a>) {
        match e {
            Expr::UnaryOp(u) if u.op == ast::UnaryOp::Not => {
                let (_, g) = self.test(&u.operand);
                (AVal::safe(), g.negate())
            }
            Expr::BoolOp(b) => {
                let and = b.op == ast::BoolOp::And;
                let mut out = AVal::built();
                let mut acc: Option<Guards<'a>> = None;
                for v in &b.values {
                    let (x, g) = self.test(v);
                    out.absorb(&x);
                    acc = Some(match acc {
                        None => g,
                        Some(a) => {
                            // and: every part holds (union of `yes`), one fails (common `no`).
                            let (union, common) = if and {
                                (combine(a.yes, g.yes, true), combine(a.no, g.no, false))
                            } else {
                                (combine(a.no, g.no, true), combine(a.yes, g.yes, false))
                            };
                            if and {
                                Guards {
                                    yes: union,
                                    no: common,
                                    known: None,
                                }
                            } else {
                                Guards {
                                    yes: common,
                                    no: union,
                                    known: None,
                                }
                            }
                        }
                    });
                }
                (out, acc.unwrap_or_default())
            }
            Expr::Compare(c) if c.ops.len() == 1 && c.comparators.len() == 1 => {
                let l = self.eval(&c.left);
                let right = &c.comparators[0];
                let r = self.eval(right);
                let mut g = Guards::default();
                let keys: Vec<Key<'a>> = match c.ops[0] {
                    // Membership in a collection the client does not control.
                    ast::CmpOp::In | ast::CmpOp::NotIn => key_of(&c.left)
                        .filter(|_| r.taint.is_empty() && matches!(r.kind, Kind::Plain))
                        .into_iter()
                        .collect(),
                    // Equality with a constant.
                    ast::CmpOp::Eq | ast::CmpOp::NotEq | ast::CmpOp::Is | ast::CmpOp::IsNot => {
                        let mut k = Vec::new();
                        if r.is_const()
                            && let Some(key) = key_of(&c.left)
                        {
                            k.push(key);
                        }
                        if l.is_const()
                            && let Some(key) = key_of(right)
                        {
                            k.push(key);
                        }
                        k
                    }
                    _ => Vec::new(),
                };
                if matches!(c.ops[0], ast::CmpOp::In | ast::CmpOp::Eq | ast::CmpOp::Is) {
                    g.yes = keys;
                } else {
                    g.no = keys;
                }
                // `if os.path.sep in name: raise`: without a separator it names no other folder.
                if path_separator(&c.left)
                    && let Some(key) = key_of(right)
                {
                    match c.ops[0] {
                        ast::CmpOp::In => g.no.push(key),
                        ast::CmpOp::NotIn => g.yes.push(key),
                        _ => {}
                    }
                }
                (AVal::safe(), g)
            }
            Expr::Call(c) => {
                let v = self.eval(e);
                let yes = self.validated_args(c);
                (
                    v,
                    Guards {
                        yes,
                        ..Guards::default()
                    },
                )
            }
            Expr::Name(n) => {
                let v = self.eval(e);
                if v.kind == Kind::AutoEscape {
                    return (
                        v,
                        Guards {
                            known: Some(true),
                            ..Guards::default()
                        },
                    );
                }
                let g = self.flags.get(n.id.as_str()).cloned().unwrap_or_default();
                (v, g)
            }
            _ => (self.eval(e), Guards::default()),
        }
    }

    /// The arguments a call validates when it returns a true value: a known validator
    /// (`url_has_allowed_host_and_scheme`, `str.isdigit`, `isinstance(x, int)`) or a project
    /// function whose summary says so.
    pub(in crate::code::taint) fn validated_args(&mut self, c: &'a ast::ExprCall) -> Vec<Key<'a>> {
        let first = || {
            c.arguments.args.first().or_else(|| {
                c.arguments
                    .keywords
                    .iter()
                    .find(|k| k.arg.as_ref().is_some_and(|a| a.id.as_str() == "url"))
                    .map(|k| &k.value)
            })
        };
        match &*c.func {
            Expr::Attribute(a) => {
                let m = a.attr.id.as_str();
                if matches!(
                    m,
                    "isdigit" | "isdecimal" | "isnumeric" | "isalnum" | "isalpha" | "isidentifier"
                ) {
                    return key_of(&a.value).into_iter().collect();
                }
                if matches!(m, "url_has_allowed_host_and_scheme" | "is_safe_url") {
                    return first().and_then(key_of).into_iter().collect();
                }
            }
            Expr::Name(n) => match n.id.as_str() {
                "url_has_allowed_host_and_scheme" | "is_safe_url" => {
                    return first().and_then(key_of).into_iter().collect();
                }
                "isinstance" if !self.env.contains_key(&Key::Name("isinstance")) => {
                    let (Some(x), Some(t)) = (c.arguments.args.first(), c.arguments.args.get(1))
                    else {
                        return Vec::new();
                    };
                    let types: Vec<&Expr> = match t {
                        Expr::Tuple(t) => t.elts.iter().collect(),
                        other => vec![other],
                    };
                    let all_safe = types
                        .iter()
                        .all(|t| safe_type(self.ix.text(self.file, t.range())));
                    return if all_safe {
                        key_of(x).into_iter().collect()
                    } else {
                        Vec::new()
                    };
                }
                _ => {}
            },
            _ => {}
        }
        let Some((fid, offset)) = self.project_callee(c) else {
            return Vec::new();
        };
        let summary = self.engine.summary(fid);
        summary
            .validates
            .iter()
            .filter_map(|p| arg_expr(self.ix.funcs[fid].def, offset, c, *p))
            .flat_map(joined_keys)
            .collect()
    }
}
