//! # DJG101: SQL built from request data (SQL injection)
//!
//! ## What it does
//! Follows request data (`request.GET`, `request.POST`, URL arguments, `self.kwargs`, form
//! data...) through assignments, string formatting and project functions into raw-SQL APIs:
//! `Manager.raw()`, `QuerySet.extra()`, `RawSQL()`, `cursor.execute()` /
//! `cursor.executemany()` and `migrations.RunSQL()`. A proven flow is reported with high
//! confidence and the whole path. SQL built by formatting non-constant values that djguard
//! cannot trace to a request is reported with low confidence.
//!
//! ## Why is this bad?
//! The ORM and the query parameters of these APIs quote values for the database. Formatting a
//! value into the SQL text instead lets a crafted value change the query: read other users'
//! rows, bypass a login, or drop tables.
//!
//! ## Example
//! ```python
//! def search(request):
//!     q = request.GET["q"]
//!     with connection.cursor() as cursor:
//!         cursor.execute(f"SELECT * FROM shop_product WHERE name LIKE '%{q}%'")
//! ```
//!
//! ## Fix
//! Pass values as query parameters and keep the SQL constant:
//! `cursor.execute("SELECT * FROM shop_product WHERE name LIKE %s", [f"%{q}%"])`,
//! `Product.objects.raw("... WHERE id = %s", [pk])`, `RawSQL("... %s", (value,))`; better,
//! use the ORM (`Product.objects.filter(name__icontains=q)`).
//!
//! ## References
//! - Django documentation: Performing raw SQL queries → Passing parameters into raw()
//! - OWASP SQL Injection Prevention Cheat Sheet
//! - CWE-89: Improper Neutralization of Special Elements used in an SQL Command

use super::{ArgRef, CallSite, Checked, Low, Sink, TaintRule};
use crate::finding::Severity;
use crate::rules::RuleMeta;

pub static RULE: TaintRule = TaintRule {
    meta: RuleMeta {
        id: "DJG101",
        title: "SQL built from request data (SQL injection)",
        severity: Severity::High,
        cwe: Some(89),
        groups: &["code"],
    },
    names: &[
        "RawSQL",
        "RunSQL",
        "raw",
        "extra",
        "execute",
        "executemany",
        "executescript",
        "mogrify",
    ],
    sinks,
    fix: "Keep the SQL text constant and pass values as parameters (cursor.execute(sql, [value]), Model.objects.raw(sql, [value])), or use the ORM.",
};

fn sinks(site: &CallSite, out: &mut Vec<Sink>) {
    let sink = |name: String, args: Vec<ArgRef>| Sink {
        rule: &RULE.meta,
        name,
        args,
        low: Low::Formatted,
        checked: Checked::Nothing,
        origin_only: false,
    };
    if site.qualname_is(&[
        "django.db.models.expressions.RawSQL",
        "django.db.models.RawSQL",
    ]) {
        out.push(sink("RawSQL()".into(), vec![ArgRef::PosOrKw(0, "sql")]));
        return;
    }
    if site
        .qualname
        .is_some_and(|q| q.ends_with("migrations.RunSQL"))
    {
        out.push(sink(
            "migrations.RunSQL()".into(),
            vec![ArgRef::PosOrKw(0, "sql")],
        ));
        return;
    }
    let Some(method) = site.method else { return };
    let recv = site.receiver_text();
    match method {
        "raw"
            if recv.ends_with("objects")
                || recv.contains("objects.")
                || recv.contains("_set")
                || recv.ends_with("manager")
                || recv.ends_with("qs")
                || recv.ends_with("queryset") =>
        {
            out.push(sink(
                format!("{}.raw()", short(recv)),
                vec![ArgRef::PosOrKw(0, "raw_query")],
            ));
        }
        "extra"
            if recv.contains("objects")
                || recv.contains("filter(")
                || recv.ends_with("qs")
                || recv.ends_with("queryset")
                || recv.contains("all()") =>
        {
            out.push(sink(
                format!("{}.extra()", short(recv)),
                vec![
                    ArgRef::PosOrKw(0, "select"),
                    ArgRef::PosOrKw(1, "where"),
                    ArgRef::PosOrKw(3, "tables"),
                    ArgRef::PosOrKw(4, "order_by"),
                    ArgRef::Kw("select_params"),
                ]
                .into_iter()
                .filter(|a| !matches!(a, ArgRef::Kw("select_params")))
                .collect(),
            ));
        }
        "execute" | "executemany" | "executescript" | "mogrify"
            if recv.contains("cursor")
                || recv == "c"
                || recv == "cur"
                || recv.ends_with("connection") =>
        {
            out.push(sink(
                format!("cursor.{method}()"),
                vec![ArgRef::PosOrKw(0, "sql")],
            ));
        }
        _ => {}
    }
}

fn short(recv: &str) -> String {
    let r = recv.split_whitespace().collect::<String>();
    if r.chars().count() > 40 {
        "queryset".to_string()
    } else {
        r
    }
}
