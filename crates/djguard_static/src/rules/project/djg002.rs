//! # DJG002: SECRET_KEY is hard-coded in the source
//!
//! ## What it does
//! Fires when SECRET_KEY (or an entry of SECRET_KEY_FALLBACKS) is a string literal written in a
//! settings file that the scan includes (files ignored by `.gitignore` are not scanned), rather
//! than read from the environment or a secrets store. It fires even when the key is long and
//! random.
//!
//! ## Why is this bad?
//! Anyone who can read the repository, a backup, a CI log or a container image can forge session
//! cookies, password-reset links and every other value Django signs with the key, and with
//! `PickleSerializer`-style sessions or signed cookies that can mean code execution. A key that was
//! ever committed must be considered public: rotating it is the only fix.
//!
//! ## Example
//! ```python
//! SECRET_KEY = "k7#v!m2k@x9w$e4r^t8y&u1i*o5p(a3s)d6f_g0h+j-kl=zb9x!2"  # committed
//! ```
//!
//! ## Fix
//! Generate a new key, read it from the environment (`SECRET_KEY =
//! os.environ["DJANGO_SECRET_KEY"]`) or a secrets manager, and keep the old one in
//! SECRET_KEY_FALLBACKS only until sessions signed with it have expired. Development settings that
//! are never deployed can use a literal; name the module `dev`/`local`/`test` so djguard does not
//! hold it to deployment rules.
//!
//! ## References
//! - Django documentation: Settings → SECRET_KEY, SECRET_KEY_FALLBACKS
//! - Django deployment checklist: SECRET_KEY
//! - CWE-798: Use of Hard-coded Credentials

use crate::finding::Severity;
use crate::rules::RuleMeta;
use crate::rules::django::{DjangoCx, DjangoRule, Hit, Outcome};
#[allow(unused_imports)]
use crate::settings::value::{Known, Unknown, Value, all_of, any_of};

pub static RULE: DjangoRule = DjangoRule {
    meta: RuleMeta {
        id: "DJG002",
        title: "SECRET_KEY is hard-coded in the source",
        severity: Severity::High,
        cwe: Some(798),
        groups: &["settings"],
    },
    deploy_only: true,
    since: (3, 0),
    until: None,
    check,
};

fn check(cx: &DjangoCx) -> Outcome {
    let mut hits = Vec::new();
    let key = cx.get("SECRET_KEY");
    if key.origin.is_some()
        && key.env.is_empty()
        && matches!(&key.value, Value::Str(s) if !s.is_empty())
    {
        hits.push(Hit::new(
            "SECRET_KEY",
            "SECRET_KEY is a literal in the source, so everyone who can read the repository can forge sessions, password-reset tokens and signed data.".into(),
            "Rotate the key and read it from the environment: SECRET_KEY = os.environ[\"DJANGO_SECRET_KEY\"].",
        ));
    }
    let fallbacks = cx.get("SECRET_KEY_FALLBACKS");
    if fallbacks.origin.is_some()
        && fallbacks.env.is_empty()
        && let Ok(items) = fallbacks.value.iter_elements()
        && items
            .iter()
            .any(|v| matches!(v, Value::Str(s) if !s.is_empty()))
    {
        let mut hit = Hit::new(
            "SECRET_KEY_FALLBACKS",
            "SECRET_KEY_FALLBACKS holds literal keys, and Django still accepts anything signed with them.".into(),
            "Read old keys from the environment too, and drop them once sessions signed with them have expired.",
        );
        hit.key = "SECRET_KEY_FALLBACKS".into();
        hits.push(hit);
    }
    Ok(hits)
}
