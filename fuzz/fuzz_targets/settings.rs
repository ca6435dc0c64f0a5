//! Arbitrary bytes as a settings module (and as the `base.py` it star-imports): decoding,
//! parsing, evaluation and every Django check must finish without panicking.
#![no_main]

use std::path::Path;

use djguard::django::version::{DjangoVersion, KNOWN_RELEASES};
use djguard::project::Project;
use djguard::rules::django::{ALL, DjangoCx};
use djguard::settings::EffectiveSettings;
use djguard::settings::env::Environment;
use djguard::settings::eval::Evaluator;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // Split the input: the first part is `pkg/base.py`, the rest `pkg/prod.py`.
    let cut = data.iter().position(|&b| b == 0xff).unwrap_or(data.len());
    let (base, prod) = data.split_at(cut);
    let prod = prod.get(1..).unwrap_or(&[]);
    let prod_src = [b"from .base import *\n".as_slice(), prod].concat();
    let project = Project::from_sources(
        Path::new("/fuzz"),
        &[("pkg/__init__.py", b""), ("pkg/base.py", base), ("pkg/prod.py", &prod_src)],
    );
    let Some(file) = project.module("pkg.prod") else { return };
    // Half the inputs see a deployment environment, half only the readers' defaults.
    let mut environment = Environment::new();
    if data.len() % 2 == 1 {
        for var in ["DEBUG", "DJANGO_DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "X"] {
            environment.set(var, String::from_utf8_lossy(&data[..data.len().min(16)]).into_owned());
        }
    }
    let evaluator = Evaluator::new(&project, &environment);
    let scope = evaluator.module(file);
    let version: DjangoVersion = KNOWN_RELEASES[data.len() % KNOWN_RELEASES.len()];
    let settings = EffectiveSettings::new("pkg.prod".into(), file, version, scope);
    let _ = settings.load_error();
    let cx = DjangoCx::new(&settings, &project);
    for rule in ALL {
        let _ = (rule.check)(&cx);
        let _ = cx.silenced(rule.meta.id);
    }
});
