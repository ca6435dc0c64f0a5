//! What the engine knows of libraries by name: the request's sources, sanitisers and
//! escapers, propagating functions and methods, and form fields that only admit typed values.

use super::*;

/// Attributes of the request that hold client-controlled data.
pub(super) const REQUEST_SOURCES: &[&str] = &[
    "GET",
    "POST",
    "FILES",
    "COOKIES",
    "META",
    "headers",
    "body",
    "data",
    "query_params",
    "path",
    "path_info",
    "content_params",
    "stream",
];

/// Methods of the request that return client-controlled data.
pub(super) const REQUEST_SOURCE_METHODS: &[&str] = &[
    "get_full_path",
    "get_full_path_info",
    "build_absolute_uri",
    "read",
    "readline",
    "readlines",
    "get_signed_cookie",
];

/// Calls whose result carries no request data whatever their input: casts, escapers,
/// validators and quoting.
pub(super) const SANITISERS: &[&str] = &[
    "builtins.int",
    "builtins.float",
    "builtins.bool",
    "builtins.len",
    "builtins.abs",
    "builtins.round",
    "builtins.hash",
    "builtins.isinstance",
    "uuid.UUID",
    "decimal.Decimal",
    "django.utils.html.escape",
    "django.utils.html.conditional_escape",
    "django.utils.html.format_html",
    "django.utils.html.format_html_join",
    "django.utils.html.strip_tags",
    "django.utils.html.json_script",
    "django.utils.html.escapejs",
    "django.utils.html.urlize",
    "django.template.loader.render_to_string",
    "django.shortcuts.render",
    "django.template.defaultfilters.escape",
    "django.template.defaultfilters.force_escape",
    "django.utils.text.slugify",
    "django.utils.text.get_valid_filename",
    "django.utils._os.safe_join",
    "django.urls.reverse",
    "django.urls.reverse_lazy",
    "django.shortcuts.resolve_url",
    "shlex.quote",
    "pipes.quote",
    "os.path.basename",
    "posixpath.basename",
    "html.escape",
    "markupsafe.escape",
    "bleach.clean",
    "nh3.clean",
    "urllib.parse.quote",
    "urllib.parse.quote_plus",
    "urllib.parse.urlencode",
    "django.utils.http.urlencode",
    "django.utils.http.url_has_allowed_host_and_scheme",
    "django.utils.http.is_safe_url",
    "django.db.models.Value",
    "django.shortcuts.get_object_or_404",
    "django.shortcuts.get_list_or_404",
];

/// Calls whose result carries the request data of their arguments.
pub(super) const PROPAGATORS: &[&str] = &[
    "builtins.str",
    "builtins.repr",
    "builtins.bytes",
    "builtins.list",
    "builtins.tuple",
    "builtins.set",
    "builtins.frozenset",
    "builtins.dict",
    "builtins.sorted",
    "builtins.reversed",
    "builtins.format",
    "builtins.next",
    "builtins.iter",
    "builtins.min",
    "builtins.max",
    "os.path.join",
    "os.path.normpath",
    "os.path.abspath",
    "os.path.realpath",
    "os.path.expanduser",
    "os.fspath",
    "posixpath.join",
    "pathlib.Path",
    "pathlib.PurePath",
    "urllib.parse.unquote",
    "urllib.parse.unquote_plus",
    "urllib.parse.urljoin",
    "urllib.parse.urlparse",
    "urllib.parse.urlsplit",
    "urllib.parse.parse_qs",
    "urllib.parse.parse_qsl",
    "json.loads",
    "json.dumps",
    "base64.b64decode",
    "base64.urlsafe_b64decode",
    "base64.b64encode",
    "codecs.decode",
    "copy.copy",
    "copy.deepcopy",
    "textwrap.dedent",
    "django.utils.encoding.force_str",
    "django.utils.encoding.smart_str",
    "django.utils.encoding.force_bytes",
    "django.utils.encoding.smart_bytes",
    "django.utils.http.urlsafe_base64_decode",
    "django.utils.functional.lazy",
    "io.BytesIO",
    "io.StringIO",
];

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Known {
    Sanitiser,
    Propagator,
}

/// Whether a callee spelled `name` can be a sink, sanitiser or propagator.
pub(super) fn interesting_name(name: &str) -> bool {
    static NAMES: std::sync::OnceLock<rustc_hash::FxHashSet<&'static str>> =
        std::sync::OnceLock::new();
    NAMES
        .get_or_init(|| {
            let mut set: rustc_hash::FxHashSet<&'static str> = SANITISERS
                .iter()
                .chain(PROPAGATORS)
                .map(|q| q.rsplit('.').next().unwrap_or(q))
                .collect();
            for rule in crate::rules::code::TAINT_RULES {
                set.extend(rule.names.iter().copied());
            }
            set
        })
        .contains(name)
}

/// Whether a qualified name is a sanitiser or a propagator (one hash lookup per call).
pub(super) fn known(q: &str) -> Option<Known> {
    static TABLE: std::sync::OnceLock<FxHashMap<&'static str, Known>> = std::sync::OnceLock::new();
    TABLE
        .get_or_init(|| {
            let mut m = FxHashMap::default();
            for s in SANITISERS {
                m.insert(*s, Known::Sanitiser);
            }
            for p in PROPAGATORS {
                m.insert(*p, Known::Propagator);
            }
            m
        })
        .get(q)
        .copied()
}

/// Methods whose result carries the data of a tainted receiver: string, bytes, mapping
/// (`QueryDict`), list and file methods. Other methods on a tainted object (a model looked
/// up by a URL argument, a backend chosen by name) return the object's own data.
pub(super) const PROPAGATING_METHODS: &[&str] = &[
    "get",
    "getlist",
    "items",
    "values",
    "keys",
    "lists",
    "dict",
    "copy",
    "pop",
    "setdefault",
    "popitem",
    "capitalize",
    "casefold",
    "center",
    "encode",
    "decode",
    "expandtabs",
    "format",
    "format_map",
    "join",
    "ljust",
    "lower",
    "lstrip",
    "partition",
    "removeprefix",
    "removesuffix",
    "replace",
    "rjust",
    "rpartition",
    "rsplit",
    "rstrip",
    "split",
    "splitlines",
    "strip",
    "swapcase",
    "title",
    "translate",
    "upper",
    "zfill",
    "hex",
    "read",
    "readline",
    "readlines",
    "chunks",
    "__getitem__",
    "getvalue",
    "as_posix",
    "resolve",
    "absolute",
    "joinpath",
    "with_name",
    "with_suffix",
    "expanduser",
];

/// Form fields whose cleaned value cannot carry markup, SQL or a path.
pub(super) const TYPED_FIELDS: &[&str] = &[
    "IntegerField",
    "FloatField",
    "DecimalField",
    "BooleanField",
    "NullBooleanField",
    "DateField",
    "DateTimeField",
    "TimeField",
    "DurationField",
    "UUIDField",
    "ChoiceField",
    "TypedChoiceField",
    "MultipleChoiceField",
    "TypedMultipleChoiceField",
    "ModelChoiceField",
    "ModelMultipleChoiceField",
    "SlugField",
    "GenericIPAddressField",
];
