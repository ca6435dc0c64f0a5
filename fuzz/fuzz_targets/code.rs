//! Arbitrary bytes as two project modules (a view module importing a helper module): the
//! project index, the taint engine and every code rule must finish without panicking.
#![no_main]

use std::path::Path;

use djguard::project::Project;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // Split the input: the first part is `app/helpers.py`, the rest `app/views.py`, which
    // imports the helpers so cross-module summaries are exercised.
    let cut = data.iter().position(|&b| b == 0xff).unwrap_or(data.len());
    let (helpers, views) = data.split_at(cut);
    let views = views.get(1..).unwrap_or(&[]);
    let views_src = [
        b"from .helpers import *\nfrom . import helpers\n".as_slice(),
        views,
    ]
    .concat();
    let project = Project::from_sources(
        Path::new("/fuzz"),
        &[
            ("app/__init__.py", b""),
            ("app/helpers.py", helpers),
            ("app/views.py", &views_src),
            ("app/urls.py", b"from django.urls import path\nfrom . import views\nurlpatterns = [path('<int:pk>/', views.detail)]\n"),
        ],
    );
    let _ = djguard::code::run(&project, &|_| true, true);
});
