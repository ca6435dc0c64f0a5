//! Arbitrary bytes as a page for `djguard scan`: the HTML scanner (meta policies, referrer,
//! title, scripts), the HTML sniffer, and the CSP judge fed with the page as header values
//! (whole and line by line) and with every policy the scanner extracted, must finish
//! without panicking and keep their promises.
#![no_main]

use djguard::scan::csp::{CspInput, enforced_policies, judge, observatory_modifier};
use djguard::scan::html::{MAX_ITEMS, MAX_TITLE, extract, is_html};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let facts = extract(data);
    assert!(facts.scripts.len() <= MAX_ITEMS);
    assert!(facts.meta_csp.len() <= MAX_ITEMS && facts.meta_referrer.len() <= MAX_ITEMS);
    assert!(facts.title.as_ref().is_none_or(|t| t.len() <= MAX_TITLE));
    let _ = is_html(None, data);
    let _ = is_html(Some("text/html; charset=utf-8"), data);

    let text = String::from_utf8_lossy(data);
    let lines: Vec<&str> = text.lines().collect();
    let meta: Vec<&str> = facts.meta_csp.iter().map(String::as_str).collect();
    let extracted: Vec<&str> = facts
        .meta_csp
        .iter()
        .chain(&facts.meta_referrer)
        .chain(facts.title.iter())
        .chain(facts.base_href.iter())
        .map(String::as_str)
        .chain(facts.scripts.iter().map(|s| s.src.as_str()))
        .collect();
    let whole = [text.as_ref()];
    let inputs: [(&[&str], &[&str], &[&str]); 5] = [
        (&whole, &meta, &[]),
        (&lines, &[], &lines),
        (&[], &lines, &whole),
        (&extracted, &extracted, &[]),
        (&[], &meta, &extracted),
    ];
    for (headers, meta, report_only) in inputs {
        for https in [false, true] {
            let input = CspInput {
                headers,
                report_only,
                meta,
                https,
            };
            let v = judge(&input);
            assert_eq!(v.modifier, observatory_modifier(v.observatory));
            assert!(v.observatory.starts_with("csp-"));
            // DJG408, then DJG409, then DJG410; DJG408 stands alone among the first two.
            assert!(v.issues.windows(2).all(|w| w[0].rule.meta.id <= w[1].rule.meta.id));
            assert!(
                v.issues
                    .iter()
                    .all(|i| matches!(i.rule.meta.id, "DJG408" | "DJG409" | "DJG410"))
            );
            assert!(v.issues.iter().all(|i| !i.message.is_empty()));
            let no_policy = v.issues.iter().any(|i| i.rule.meta.id == "DJG408");
            assert!(!(no_policy && v.issues.iter().any(|i| i.rule.meta.id == "DJG409")));
            assert_eq!(no_policy, enforced_policies(&input).0.is_empty());
            if v.report_only {
                assert!(no_policy);
            }
        }
    }
});
