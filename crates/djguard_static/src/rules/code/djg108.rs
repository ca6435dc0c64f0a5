//! # DJG108: Unsafe deserialisation (pickle, marshal, shelve, yaml.load, jsonpickle)
//!
//! ## What it does
//! Reports deserialisers that can construct arbitrary objects: `pickle.load(s)`,
//! `marshal.load(s)`, `shelve.open`, `dill.load(s)`, `jsonpickle.decode`,
//! `yaml.unsafe_load`, and `yaml.load` without a safe loader (a project subclass of
//! `yaml.SafeLoader`/`BaseLoader` counts as safe). With request data flowing in,
//! the finding is high confidence; `yaml.load` without `Loader=yaml.SafeLoader` is medium
//! confidence whatever its input (it is the unsafe API); the others on data djguard cannot
//! trace to a request are low confidence (a cache or a file you wrote yourself is usually
//! fine).
//!
//! ## Why is this bad?
//! Unpickling runs code chosen by whoever wrote the bytes (`__reduce__`). A pickled cookie,
//! upload or API body is remote code execution; so is YAML with `!!python/object` tags.
//!
//! ## Example
//! ```python
//! def restore(request):
//!     cart = pickle.loads(base64.b64decode(request.COOKIES["cart"]))
//! ```
//!
//! ## Fix
//! Exchange data as JSON (`json.loads`), use `yaml.safe_load()` or
//! `yaml.load(data, Loader=yaml.SafeLoader)`, and sign anything you must round-trip through
//! the client with `django.core.signing` (which serialises to JSON).
//!
//! ## References
//! - Python documentation: pickle → the warning at the top
//! - PyYAML documentation: yaml.load(input) deprecation
//! - CWE-502: Deserialization of Untrusted Data

use super::{ArgRef, CallSite, Checked, Low, Sink, TaintRule};
use crate::finding::{Confidence, Severity};
use crate::rules::RuleMeta;

pub static RULE: TaintRule = TaintRule {
    meta: RuleMeta {
        id: "DJG108",
        title: "Unsafe deserialisation (pickle, marshal, shelve, yaml.load, jsonpickle)",
        severity: Severity::High,
        cwe: Some(502),
        groups: &["code"],
    },
    names: &[
        "loads",
        "load",
        "Unpickler",
        "open",
        "decode",
        "unsafe_load",
        "unsafe_load_all",
        "load_all",
    ],
    sinks,
    fix: "Exchange data as JSON, load YAML with yaml.safe_load(), and sign round-tripped data with django.core.signing.",
};

const SAFE_LOADERS: &[&str] = &[
    "yaml.SafeLoader",
    "yaml.CSafeLoader",
    "yaml.BaseLoader",
    "yaml.CBaseLoader",
    "SafeLoader",
    "CSafeLoader",
    "BaseLoader",
];

fn sinks(site: &CallSite, out: &mut Vec<Sink>) {
    let Some(q) = site.qualname else { return };
    let pickle_like = matches!(
        q,
        "pickle.loads"
            | "pickle.load"
            | "pickle.Unpickler"
            | "cPickle.loads"
            | "cPickle.load"
            | "_pickle.loads"
            | "_pickle.load"
            | "dill.loads"
            | "dill.load"
            | "marshal.loads"
            | "marshal.load"
            | "shelve.open"
            | "jsonpickle.decode"
            | "jsonpickle.loads"
    );
    let low = if pickle_like {
        Low::Always(
            Confidence::Low,
            "data djguard could not trace to the request; make sure it never comes from a client",
        )
    } else if q == "yaml.unsafe_load" || q == "yaml.unsafe_load_all" {
        Low::Always(
            Confidence::Medium,
            "any YAML: this loader builds arbitrary Python objects",
        )
    } else if q == "yaml.load" || q == "yaml.load_all" {
        let loader = site.keyword_name("Loader").or_else(|| {
            site.call.arguments.args.get(1).map(|e| {
                site.ix.qualname(site.file, e).unwrap_or_else(|| {
                    site.ix
                        .text(site.file, crate::python::Ranged::range(e))
                        .to_string()
                })
            })
        });
        if loader.as_deref().is_some_and(|l| SAFE_LOADERS.contains(&l)) {
            return;
        }
        // A project subclass of a safe loader (`class Loader(yaml.SafeLoader)`) is safe too.
        let loader_expr = site
            .keyword("Loader")
            .or_else(|| site.call.arguments.args.get(1));
        if let Some(e) = loader_expr
            && let Some(crate::code::index::Def::Class(c)) = site.ix.resolve_def(site.file, e)
            && site.ix.inherits(c, &|b| SAFE_LOADERS.contains(&b))
        {
            return;
        }
        Low::Always(
            Confidence::Medium,
            "any YAML: without Loader=yaml.SafeLoader it can build arbitrary Python objects",
        )
    } else {
        return;
    };
    out.push(Sink {
        rule: &RULE.meta,
        name: format!("{q}()"),
        args: vec![ArgRef::Pos(0)],
        low,
        checked: Checked::Nothing,
        origin_only: false,
    });
}
