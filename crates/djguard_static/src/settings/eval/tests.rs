//! Evaluator tests: each builds a small project on disk and checks the values Django would see.

use std::path::Path;

use crate::discover::{build_excludes, discover};
use crate::django::version::NEWEST;
use crate::project::Project;
use crate::settings::EffectiveSettings;
use crate::settings::eval::Evaluator;
use crate::settings::value::Value;

fn project(files: &[(&str, &str)]) -> (tempfile::TempDir, Project) {
    let dir = tempfile::tempdir().expect("tempdir");
    for (rel, text) in files {
        let path = dir.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap_or(Path::new("."))).expect("mkdir");
        std::fs::write(&path, text).expect("write");
    }
    let excludes = build_excludes(&[]).expect("globs");
    let found = discover(dir.path(), &[dir.path().to_path_buf()], &excludes);
    let p = Project::load(dir.path(), found);
    (dir, p)
}

fn eval(files: &[(&str, &str)], module: &str, names: &[&str]) -> Vec<Value> {
    let (_dir, p) = project(files);
    let idx = p.module(module).expect("module present");
    let env = crate::settings::env::Environment::new();
    let ev = Evaluator::new(&p, &env);
    let s = EffectiveSettings::new(module.into(), idx, NEWEST, ev.module(idx));
    names.iter().map(|n| s.get(n).value).collect()
}

fn s(x: &str) -> Value {
    Value::Str(x.into())
}

#[test]
fn literals_names_and_string_building() {
    let v = eval(
        &[(
            "settings.py",
            "_H = 3600\nhsts = _H * 2\nSECURE_HSTS_SECONDS = hsts\nPREFIX = 'django.middleware.'\nX = PREFIX + 'csrf' + f'.{\"Csrf\"}ViewMiddleware'\nY = '%s-%d' % ('a', 3)\nZ = '{}/{}'.format('a', 'b')\nDEBUG = 'False'\n",
        )],
        "settings",
        &["SECURE_HSTS_SECONDS", "X", "Y", "Z", "DEBUG"],
    );
    assert_eq!(
        v,
        vec![
            Value::Int(7200),
            s("django.middleware.csrf.CsrfViewMiddleware"),
            s("a-3"),
            s("a/b"),
            s("False")
        ]
    );
}

#[test]
fn container_mutations() {
    let v = eval(
        &[(
            "settings.py",
            "MIDDLEWARE = ['a']\nMIDDLEWARE += ('b',)\nMIDDLEWARE.append('c')\nMIDDLEWARE.insert(0, 'z')\nMIDDLEWARE.extend(['d'])\nMIDDLEWARE.remove('a')\nD = {'x': 1}\nD['y'] = 2\nD.update({'x': 3})\nT = [{'OPTIONS': {'context_processors': []}}]\nT[0]['OPTIONS']['context_processors'] += ['p']\n",
        )],
        "settings",
        &["MIDDLEWARE", "D", "T"],
    );
    assert_eq!(v[0], Value::List(vec![s("z"), s("b"), s("c"), s("d")]));
    assert_eq!(
        v[1],
        Value::Dict(vec![(s("x"), Value::Int(3)), (s("y"), Value::Int(2))])
    );
    let processors = Value::Dict(vec![(s("context_processors"), Value::List(vec![s("p")]))]);
    assert_eq!(
        v[2],
        Value::List(vec![Value::Dict(vec![(s("OPTIONS"), processors)])])
    );
}

#[test]
fn split_settings_follow_star_and_named_imports() {
    let files = [
        ("proj/__init__.py", ""),
        ("proj/settings/__init__.py", ""),
        (
            "proj/settings/base.py",
            "DEBUG = True\nMIDDLEWARE = ['a']\n_private = 1\nSECRET_KEY = 'k'\n",
        ),
        (
            "proj/settings/prod.py",
            "from .base import *\nfrom .base import SECRET_KEY as OLD\nDEBUG = False\nMIDDLEWARE += ['b']\nSECRET_KEY_FALLBACKS = [OLD]\nP = _private\n",
        ),
    ];
    let v = eval(
        &files,
        "proj.settings.prod",
        &["DEBUG", "MIDDLEWARE", "SECRET_KEY_FALLBACKS"],
    );
    assert_eq!(
        v,
        vec![
            Value::Bool(false),
            Value::List(vec![s("a"), s("b")]),
            Value::List(vec![s("k")])
        ]
    );
    // Star imports skip underscore names, as Python does.
    let p = eval(&files, "proj.settings.prod", &["P"]);
    assert!(p[0].as_unknown().is_some());
}

#[test]
fn paths_from_file() {
    let (dir, p) = project(&[
        ("proj/__init__.py", ""),
        (
            "proj/settings.py",
            "from pathlib import Path\nimport os\nBASE_DIR = Path(__file__).resolve().parent.parent\nSTATIC_ROOT = BASE_DIR / 'static'\nMEDIA_ROOT = os.path.join(BASE_DIR, 'media')\n",
        ),
    ]);
    let idx = p.module("proj.settings").expect("module");
    let env = crate::settings::env::Environment::new();
    let ev = Evaluator::new(&p, &env);
    let st = EffectiveSettings::new("proj.settings".into(), idx, NEWEST, ev.module(idx));
    let root = dir.path().to_string_lossy().to_string();
    assert_eq!(st.get("BASE_DIR").value, Value::Path(root.clone()));
    assert_eq!(
        st.get("STATIC_ROOT").value,
        Value::Path(format!("{root}/static"))
    );
    assert_eq!(st.get("MEDIA_ROOT").value, s(&format!("{root}/media")));
}

fn eval_env(
    files: &[(&str, &str)],
    module: &str,
    env: &[(&str, &str)],
    names: &[&str],
) -> Vec<(Value, Vec<String>)> {
    let (_dir, p) = project(files);
    let idx = p.module(module).expect("module present");
    let mut environment = crate::settings::env::Environment::new();
    for (k, v) in env {
        environment.set(*k, *v);
    }
    let ev = Evaluator::new(&p, &environment);
    let s = EffectiveSettings::new(module.into(), idx, NEWEST, ev.module(idx));
    names
        .iter()
        .map(|n| {
            let st = s.get(n);
            (st.value, st.env.iter().map(ToString::to_string).collect())
        })
        .collect()
}

#[test]
fn environment_defaults_given_values_and_requirements() {
    let src = "import os\nDEBUG = os.environ.get('DJANGO_DEBUG', 'False')\nSECRET_KEY = os.environ['SK']\nif os.environ.get('X'):\n    ALLOWED_HOSTS = ['a']\nHOSTS = ALLOWED_HOSTS if 'Y' in os.environ else []\nfor h in ['a']:\n    CSRF_COOKIE_SECURE = True\n";
    let names = [
        "DEBUG",
        "SECRET_KEY",
        "ALLOWED_HOSTS",
        "CSRF_COOKIE_SECURE",
        "X_FRAME_OPTIONS",
    ];
    let v = eval_env(&[("settings.py", src)], "settings", &[], &names);
    assert_eq!(
        v[0],
        (s("False"), vec!["when DJANGO_DEBUG is unset".to_string()])
    );
    assert!(
        v[1].0
            .as_unknown()
            .is_some_and(|u| u.reason.contains("requires the environment variable SK"))
    );
    assert_eq!(
        v[2].0,
        Value::List(vec![]),
        "X unset: the branch is not taken, Django's default stays"
    );
    assert!(v[3].0.as_unknown().is_some(), "assigned in a loop");
    assert_eq!(
        v[4],
        (s("DENY"), vec![]),
        "untouched settings keep Django's default"
    );

    let v = eval_env(
        &[("settings.py", src)],
        "settings",
        &[("DJANGO_DEBUG", "0"), ("SK", "k"), ("X", "1")],
        &names,
    );
    assert_eq!(
        v[0],
        (s("0"), vec!["with DJANGO_DEBUG as given".to_string()])
    );
    assert_eq!(v[1].0, s("k"));
    assert_eq!(
        v[2],
        (
            Value::List(vec![s("a")]),
            vec!["with X as given".to_string()]
        ),
        "assignments under an `if` inherit its variables"
    );
}

#[test]
fn library_readers() {
    let src = "import environ\nfrom decouple import config, Csv\nfrom environs import Env\nenv = environ.Env(DEBUG=(bool, False))\nenviron.Env.read_env()\nDEBUG = env('DEBUG')\nHSTS = env.int('HSTS', default=0)\nHOSTS = config('HOSTS', default='a, b', cast=Csv())\nSSL = config('SSL', default=True, cast=bool)\ne2 = Env()\nCOOKIE = e2.bool('COOKIE', default=False)\n";
    let names = ["DEBUG", "HSTS", "HOSTS", "SSL", "COOKIE"];
    let v = eval_env(&[("settings.py", src)], "settings", &[], &names);
    let values: Vec<Value> = v.iter().map(|(x, _)| x.clone()).collect();
    assert_eq!(
        values,
        vec![
            Value::Bool(false),
            Value::Int(0),
            Value::List(vec![s("a"), s("b")]),
            Value::Bool(true),
            Value::Bool(false)
        ]
    );
    let v = eval_env(
        &[("settings.py", src)],
        "settings",
        &[
            ("DEBUG", "yes"),
            ("HSTS", " 3600 "),
            ("HOSTS", "x.example"),
            ("SSL", "off"),
            ("COOKIE", "TRUE"),
        ],
        &names,
    );
    let values: Vec<Value> = v.iter().map(|(x, _)| x.clone()).collect();
    assert_eq!(
        values,
        vec![
            Value::Bool(true),
            Value::Int(3600),
            Value::List(vec![s("x.example")]),
            Value::Bool(false),
            Value::Bool(true)
        ]
    );
}

#[test]
fn known_conditions_take_one_branch_and_try_import_falls_back() {
    let v = eval(
        &[(
            "settings.py",
            "DEBUG = False\nif DEBUG:\n    A = 1\nelse:\n    A = 2\ntry:\n    from .missing_local import *\nexcept ImportError:\n    B = 'fallback'\n",
        )],
        "settings",
        &["A", "B"],
    );
    // The missing local module (made at deployment) may rebind A: unknown, naming the import.
    assert!(
        matches!(&v[0], Value::Unknown(u) if u.reason.contains("missing_local") && u.reason.contains("settings.py:7"))
    );
    assert_eq!(v[1], s("fallback"));
}

#[test]
fn small_project_functions_are_evaluated() {
    let v = eval(
        &[(
            "settings.py",
            "import os\ndef flag(name, default='0'):\n    v = os.getenv(name, default)\n    return v.lower() in ('1', 'true')\ndef loop(n):\n    for x in n:\n        return x\nDEBUG = flag('APP_DEBUG', 'True')\nX = loop([1])\n",
        )],
        "settings",
        &["DEBUG", "X"],
    );
    assert_eq!(v[0], Value::Bool(true));
    assert!(
        matches!(&v[1], Value::Unknown(u) if u.reason.contains("`loop`") && u.reason.contains("settings.py:9"))
    );
}

#[test]
fn undecided_if_keeps_root_cause_and_raise_names_line() {
    let v = eval(
        &[(
            "settings.py",
            "import os, somelib\nA = somelib.value()\nif os.environ.get('MODE') == somelib.mode():\n    B = 1\nelse:\n    B = 2\nif B == 1:\n    C = 1\nelse:\n    C = 2\n",
        )],
        "settings",
        &["A", "C"],
    );
    assert!(matches!(&v[0], Value::Unknown(u) if !u.reason.contains("differs")));
    assert!(matches!(&v[1], Value::Unknown(u) if u.reason.matches("differs").count() == 1));
}

#[test]
fn namespace_handed_out_makes_everything_unknown() {
    let v = eval(
        &[(
            "settings.py",
            "import django_heroku\nDEBUG = False\ndjango_heroku.settings(locals())\n",
        )],
        "settings",
        &["ALLOWED_HOSTS"],
    );
    assert!(v[0].as_unknown().is_some());
}

#[test]
fn csp_constants_resolve() {
    let v = eval(
        &[(
            "settings.py",
            "from django.utils.csp import CSP\nSECURE_CSP = {'script-src': [CSP.SELF, CSP.NONCE]}\n",
        )],
        "settings",
        &["SECURE_CSP"],
    );
    assert_eq!(
        v[0].repr(),
        "{\"script-src\": [\"'self'\", \"<CSP_NONCE_SENTINEL>\"]}"
    );
}

#[test]
fn hostile_input_does_not_blow_up() {
    let deep = format!("X = {}1{}\n", "(".repeat(5000), ")".repeat(5000));
    let big = "Y = 'a' * (10 ** 12)\nZ = [0] * (10 ** 12)\n";
    let v = eval(
        &[("settings.py", &format!("{deep}{big}"))],
        "settings",
        &["X", "Y", "Z"],
    );
    assert_eq!(v[0], Value::Int(1));
    assert!(v[1].as_unknown().is_some());
    assert!(v[2].as_unknown().is_some());
}

#[test]
fn module_attributes_of_project_modules() {
    let files = [
        ("proj/__init__.py", ""),
        ("proj/common.py", "HOSTS = ['a.example']\n"),
        (
            "proj/settings.py",
            "import proj.common\nimport proj.common as c\nALLOWED_HOSTS = c.HOSTS + proj.common.HOSTS\n",
        ),
    ];
    let v = eval(&files, "proj.settings", &["ALLOWED_HOSTS"]);
    assert_eq!(v[0], Value::List(vec![s("a.example"), s("a.example")]));
}

#[test]
fn undecidable_conditions_keep_what_every_branch_shares() {
    let src = "import mylib\nMIDDLEWARE = ['sec', 'csrf']\nDEBUG = False\nHOSTS = ['a']\nif mylib.flag():\n    MIDDLEWARE.append('toolbar')\n    DEBUG = False\n    HOSTS = ['b']\nelif mylib.other():\n    MIDDLEWARE.insert(0, 'gzip')\nelse:\n    ONLY_HERE = 1\n";
    let v = eval(
        &[("settings.py", src)],
        "settings",
        &["MIDDLEWARE", "DEBUG", "HOSTS", "ONLY_HERE"],
    );
    let mw = &v[0];
    assert_eq!(
        mw.py_contains(&s("sec")),
        Ok(true),
        "in every branch: decided"
    );
    assert_eq!(mw.py_contains(&s("csrf")), Ok(true));
    assert!(
        mw.py_contains(&s("toolbar")).is_err(),
        "only in one branch: unknown"
    );
    assert_eq!(
        mw.py_contains(&s("never-added")),
        Ok(false),
        "in no branch: decided absent"
    );
    assert_eq!(v[1], Value::Bool(false), "equal in every branch: known");
    assert!(v[2].py_contains(&s("a")).is_err() && v[2].py_contains(&s("b")).is_err());
    assert!(
        v[3].as_unknown()
            .is_some_and(|u| u.reason.contains("only some branches"))
    );
}

#[test]
fn repeated_undecidable_branches_do_not_compound() {
    // Each `if` merges two branches that share the `Maybe` elements of the ones before; they
    // must stay single elements (they once doubled at every merge).
    let mut src = String::from("import lib\nAPPS = ['base']\n");
    for i in 0..60 {
        src.push_str(&format!("if lib.flag({i}):\n    APPS.append('app{i}')\n"));
    }
    let v = eval(&[("settings.py", &src)], "settings", &["APPS"]);
    let Value::List(items) = &v[0] else {
        panic!("APPS is a list: {:?}", v[0])
    };
    assert_eq!(
        items.len(),
        61,
        "one known element and one Maybe per branch"
    );
    assert_eq!(v[0].py_contains(&s("base")), Ok(true));
    assert!(v[0].py_contains(&s("app7")).is_err());
    assert_eq!(v[0].py_contains(&s("other")), Ok(false));
}

#[test]
fn str_format_fills_automatic_numbered_and_named_fields() {
    use super::builtins::str_format;
    let args = [Value::Str("a".into()), Value::Int(2)];
    let kwargs = [("name".to_string(), Value::Str("db".into()))];
    assert_eq!(
        str_format("{}-{}/{{x}}/{name}/{0}", &args, &kwargs),
        Value::Str("a-2/{x}/db/a".into())
    );
    // A format spec is not modelled: unknown, never a guess.
    assert!(matches!(
        str_format("{0:>4}", &args, &kwargs),
        Value::Unknown(_)
    ));
    assert!(matches!(
        str_format("{3}", &args, &kwargs),
        Value::Unknown(_)
    ));
}
