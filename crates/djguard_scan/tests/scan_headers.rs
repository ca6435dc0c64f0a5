//! The live checkup's header analysers against what real sites sent: the recorded answers of
//! the Django test site in its configurations (`tests/scan/observed.jsonl`, written by
//! `tests/scan/observe.py` against runserver, gunicorn and nginx).

use std::path::Path;

use djguard_scan::{cookies, hsts};
use serde_json::Value;

fn sites() -> Vec<Value> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/scan/observed.jsonl");
    std::fs::read_to_string(path)
        .expect("observed.jsonl")
        .lines()
        .map(|l| serde_json::from_str(l).expect("json line"))
        .collect()
}

fn site(name: &str) -> Value {
    sites()
        .into_iter()
        .find(|s| s["name"] == name)
        .unwrap_or_else(|| panic!("{name} not recorded"))
}

fn cookies_of(probe: &Value) -> Vec<cookies::SetCookie> {
    probe["set_cookie"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|c| cookies::parse(c.as_str().unwrap()).expect("cookie"))
        .collect()
}

#[test]
fn hsts_as_the_sites_sent_it() {
    let hardened = site("hardened@nginx");
    let h = hsts::parse(
        hardened["probes"]["home"]["headers"]["strict-transport-security"]
            .as_str()
            .unwrap(),
    );
    assert_eq!(h.max_age, Some(31_536_000));
    assert!(h.preload_problems().is_empty());

    let weak = site("hsts_weak@nginx");
    let h = hsts::parse(
        weak["probes"]["home"]["headers"]["strict-transport-security"]
            .as_str()
            .unwrap(),
    );
    assert_eq!(h.max_age, Some(3600));
    let problems = h.preload_problems().join("; ");
    assert!(
        problems.contains("below the 31536000") && problems.contains("includeSubDomains"),
        "{problems}"
    );

    assert!(
        site("hsts_off@nginx")["probes"]["home"]["headers"]["strict-transport-security"].is_null()
    );
}

#[test]
fn cookies_as_the_sites_set_them() {
    for c in cookies_of(&site("hardened@nginx")["probes"]["home"]) {
        assert!(c.secure && c.http_only, "{c:?}");
        assert_eq!(c.rejected_because(), None);
    }
    let insecure = cookies_of(&site("cookies_insecure@nginx")["probes"]["home"]);
    let session = insecure.iter().find(|c| c.name == "sessionid").unwrap();
    assert!(!session.secure && !session.http_only);
    let names: Vec<String> = cookies_of(&site("renamed_cookies@gunicorn")["probes"]["home"])
        .into_iter()
        .map(|c| c.name)
        .collect();
    assert_eq!(names, ["shop_csrf", "shop_session"]);
    // Every cookie any recorded site set parses, and none is one a browser would drop.
    let mut n = 0;
    for s in sites() {
        for (_, probe) in s["probes"].as_object().unwrap() {
            for c in cookies_of(probe) {
                assert_eq!(c.rejected_because(), None, "{}: {c:?}", s["name"]);
                n += 1;
            }
        }
    }
    assert!(n > 30, "{n} cookies");
}
