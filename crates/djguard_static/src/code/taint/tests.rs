//! Unit tests of the call evaluator's named steps, each on a parsed snippet: the module's
//! statements run in a module context where `request` is a view's request, and the last line's
//! call is split into its parts and handed to the step under test.

use std::path::Path;

use super::{AVal, CallParts, Engine, FnCx, Key, Kind};
use crate::code::index::Index;
use crate::project::Project;
use crate::python::ast::{Expr, Stmt};

/// Runs `src` in a module of a one-file project and calls `step` with the parts of the call on
/// its last line.
fn last_call(
    src: &str,
    step: impl for<'e, 'x, 'a> Fn(&mut FnCx<'e, 'x, 'a>, &CallParts<'a>) -> Option<AVal>,
) -> Option<AVal> {
    let project = Project::from_sources(Path::new("/p"), &[("app/views.py", src.as_bytes())]);
    let ix = Index::new(&project);
    let engine = Engine::new(&ix);
    let file = ix.files.ids().next().expect("one file");
    let parsed = ix.files[file].parsed.expect("parsed");
    let body = &parsed.module.body;
    let (last, before) = body.split_last().expect("statements");
    let mut cx = FnCx::new(&engine, file, None);
    cx.env.insert(
        Key::Name("request"),
        AVal {
            kind: Kind::Request,
            ..AVal::default()
        },
    );
    cx.walk_body(before);
    let Stmt::Expr(e) = last else {
        panic!("the last line is not an expression")
    };
    let Expr::Call(call) = &*e.value else {
        panic!("the last line is not a call")
    };
    let parts = cx.call_parts(call);
    step(&mut cx, &parts)
}

fn tainted(v: &AVal) -> bool {
    v.taint.source.is_some()
}

#[test]
fn receiver_call_reads_the_request_and_keeps_its_own_path_anchored() {
    let v = last_call("request.get_full_path()\n", |cx, c| cx.receiver_call(c)).expect("decided");
    assert!(tainted(&v) && v.is_anchored());
    // The host of build_absolute_uri() with a constant path is validated and ours.
    let v = last_call("request.build_absolute_uri('/done/')\n", |cx, c| {
        cx.receiver_call(c)
    })
    .expect("decided");
    assert!(!tainted(&v) && v.is_anchored() && v.is_safe());
    // A method of a plain value is not the receiver's to decide.
    assert!(last_call("x = 'a'\nx.upper()\n", |cx, c| cx.receiver_call(c)).is_none());
}

#[test]
fn encoder_call_recognises_a_replacement_of_every_angle_bracket() {
    let v = last_call(
        "q = request.GET['q']\nq.replace('<', '\\\\u003c')\n",
        |cx, c| cx.encoder_call(c),
    )
    .expect("decided");
    assert!(v.is_safe() && !tainted(&v));
    assert!(
        last_call("q = request.GET['q']\nq.replace('a', 'b')\n", |cx, c| cx
            .encoder_call(c))
        .is_none()
    );
}

#[test]
fn escaping_call_treats_rendering_as_escaped_output() {
    let v = last_call(
        "from django.template import loader\nloader.render_to_string('t.html', {'q': request.GET['q']})\n",
        |cx, c| cx.escaping_call(c),
    )
    .expect("decided");
    assert!(v.is_safe());
    assert!(last_call("print(request.GET['q'])\n", |cx, c| cx.escaping_call(c)).is_none());
}

#[test]
fn known_or_project_call_applies_sanitisers_and_project_summaries() {
    let v = last_call(
        "from django.utils.html import escape\nescape(request.GET['q'])\n",
        |cx, c| cx.known_or_project_call(c),
    )
    .expect("decided");
    assert!(v.is_safe() && !tainted(&v));
    // A project function passes its parameter through: the request data comes back out.
    let v = last_call(
        "def same(v):\n    return v\nsame(request.GET['q'])\n",
        |cx, c| cx.known_or_project_call(c),
    )
    .expect("decided");
    assert!(tainted(&v));
}

#[test]
fn string_method_formats_constant_templates_and_propagates_request_data() {
    let v = last_call("'/a/{}'.format(request.GET['q'])\n", |cx, c| {
        cx.string_method(c)
    })
    .expect("decided");
    assert!(tainted(&v) && v.is_formatted() && v.is_anchored());
    let v = last_call("'abc'.upper()\n", |cx, c| cx.string_method(c)).expect("decided");
    assert!(v.is_const());
    let v = last_call("q = request.GET['q']\nq.strip()\n", |cx, c| {
        cx.string_method(c)
    })
    .expect("decided");
    assert!(tainted(&v));
}
