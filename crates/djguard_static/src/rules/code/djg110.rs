//! # DJG110: File path taken from the request (path traversal)
//!
//! ## What it does
//! Follows request data into file system calls: `open()`, `io.open()`, `pathlib.Path`
//! reads and writes, `os.remove/unlink/rmdir`, `shutil.rmtree/copy/copyfile/move`,
//! `FileResponse()` and the storage API (`default_storage.open/delete/path`), also through
//! `os.path.join(BASE, name)`. Only proven flows are reported. `os.path.basename()`,
//! `get_valid_filename()` and `safe_join()` clean a value; so does a containment check on the
//! same variable in the function (`full.startswith(BASE)`, `is_relative_to`,
//! `os.path.commonpath`, also of its `os.path.realpath()`), and a guard that refuses
//! separators before the use (`if os.path.sep in name: raise ...`). `default_storage.save()`
//! is not a sink: Storage.save() refuses absolute names and `..` parts and never overwrites
//! a file. A path built from the request's own path (`request.path`, `path_info`) is medium
//! confidence: it matched one of the project's URL patterns, and whether that pattern admits a
//! `..` part is not read. A template filter's or tag's argument counts as template data only when some
//! template passes a variable for it.
//!
//! ## Why is this bad?
//! `../../etc/passwd` or an absolute path in a file name parameter reads or overwrites files
//! outside the folder you meant: settings with credentials, other users' uploads, source code.
//!
//! ## Example
//! ```python
//! def download(request):
//!     path = os.path.join(settings.MEDIA_ROOT, request.GET["name"])
//!     return FileResponse(open(path, "rb"))
//! ```
//!
//! ## Fix
//! Reduce the name to a file name (`os.path.basename`, `get_valid_filename`) or join with
//! `django.utils._os.safe_join(BASE, name)`, which refuses paths outside BASE; better, look
//! files up by a database id and never by a client-supplied path.
//!
//! ## References
//! - Django documentation: File storage API
//! - OWASP Path Traversal
//! - CWE-22: Improper Limitation of a Pathname to a Restricted Directory

use super::{ArgRef, CallSite, Checked, Low, Sink, TaintRule};
use crate::finding::Severity;
use crate::rules::RuleMeta;

pub static RULE: TaintRule = TaintRule {
    meta: RuleMeta {
        id: "DJG110",
        title: "File path taken from the request (path traversal)",
        severity: Severity::High,
        cwe: Some(22),
        groups: &["code"],
    },
    names: &[
        "open",
        "remove",
        "unlink",
        "rmdir",
        "removedirs",
        "listdir",
        "rmtree",
        "copy",
        "copyfile",
        "copy2",
        "move",
        "FileResponse",
        "delete",
        "path",
        "read_text",
        "read_bytes",
        "write_text",
        "write_bytes",
    ],
    sinks,
    fix: "Reduce the name with os.path.basename()/get_valid_filename(), join with django.utils._os.safe_join(BASE, name), or look files up by id instead of by path.",
};

const PATH_METHODS: &[&str] = &[
    "open",
    "read_text",
    "read_bytes",
    "write_text",
    "write_bytes",
    "unlink",
    "rmdir",
];

fn sinks(site: &CallSite, out: &mut Vec<Sink>) {
    let mut push = |name: String, arg: ArgRef| {
        out.push(Sink {
            rule: &RULE.meta,
            name,
            args: vec![arg],
            low: Low::Never,
            checked: Checked::Path,
            origin_only: false,
        });
    };
    if let Some(q) = site.qualname {
        match q {
            "builtins.open"
            | "io.open"
            | "codecs.open"
            | "os.open"
            | "os.remove"
            | "os.unlink"
            | "os.rmdir"
            | "os.removedirs"
            | "os.listdir"
            | "shutil.rmtree"
            | "shutil.copy"
            | "shutil.copyfile"
            | "shutil.copy2"
            | "shutil.move"
            | "django.http.FileResponse"
            | "django.http.response.FileResponse" => {
                push(
                    format!("{}()", q.trim_start_matches("builtins.")),
                    ArgRef::Pos(0),
                );
                return;
            }
            _ => {}
        }
        // Not `save()`: Storage.save() refuses absolute names and `..` parts, and never
        // overwrites (it picks a free name).
        if let Some(m) = q.strip_prefix("django.core.files.storage.default_storage.")
            && matches!(m, "open" | "delete" | "path")
        {
            push(format!("default_storage.{m}()"), ArgRef::PosOrKw(0, "name"));
            return;
        }
    }
    // `Path(name).read_text()`: the path is the receiver, an argument of the inner call.
    if let (Some(m), Some(crate::python::ast::Expr::Call(inner))) = (site.method, site.receiver)
        && PATH_METHODS.contains(&m)
        && site
            .ix
            .qualname(site.file, &inner.func)
            .is_some_and(|q| q == "pathlib.Path" || q == "pathlib.PurePath")
    {
        push(format!("pathlib.Path().{m}()"), ArgRef::Receiver);
    }
}
