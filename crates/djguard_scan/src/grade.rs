//! The site's score and letter.
//!
//! Two numbers are kept apart:
//! - `observatory_score`: MDN HTTP Observatory's algorithm (version 6) over the same tests,
//!   so a user can predict the Observatory's grade: start at 100, add every penalty; add the
//!   bonuses only when the penalties alone leave 90 or more; floor at 0.
//! - `score`: the same plus djguard's Django modifiers (each live rule's `Penalty`, next to
//!   its metadata in `rules/live/`; summarised below), which count as
//!   penalties before the bonus rule. A critical finding (DEBUG pages, exposed secrets) caps
//!   the letter at F whatever the number says.
//!
//! | finding | modifier |
//! | --- | --- |
//! | DJG422 DEBUG pages exposed | -50 |
//! | DJG427 secret files exposed | -50 |
//! | DJG424 development server | -20 |
//! | DJG403 certificate not valid | -20 |
//! | DJG423 any Host header accepted | -10 |
//! | DJG405 TLS 1.0/1.1 accepted | -10 |
//! | DJG404 certificate expires within 30 days | -5 (-10 within 7) |
//! | DJG430 Django version disclosed | -5 |
//! | DJG429 TRACE enabled | -5 |
//! | DJG428 browsable API exposed | -5 |
//!
//! Letters follow the Observatory's table: the score rounded down to a multiple of 5 and
//! capped at 100; 100 A+, 90 A, 85 A-, 80 B+, 70 B, 65 B-, 60 C+, 50 C, 45 C-, 40 D+,
//! 30 D, 25 D-, below F.

use serde::Serialize;

/// One graded test: the Observatory's test and result names, and its modifier.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct TestResult {
    pub test: &'static str,
    pub result: String,
    pub modifier: i32,
    /// False for a bonus dropped because the penalties left less than 90.
    pub counted: bool,
}

/// A djguard modifier that came from a finding.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct DjangoModifier {
    pub rule: &'static str,
    pub modifier: i32,
}

#[derive(Debug, Clone, Serialize)]
pub struct Grade {
    pub grade: &'static str,
    pub score: i32,
    pub observatory_grade: &'static str,
    pub observatory_score: i32,
    /// Why the letter is lower than the number says (a critical finding).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub capped_by: Option<String>,
}

/// The letter for a score.
pub fn letter(score: i32) -> &'static str {
    let s = (score.clamp(0, 100) / 5) * 5;
    match s {
        100 => "A+",
        90..=99 => "A",
        85..=89 => "A-",
        80..=84 => "B+",
        70..=79 => "B",
        65..=69 => "B-",
        60..=64 => "C+",
        50..=59 => "C",
        45..=49 => "C-",
        40..=44 => "D+",
        30..=39 => "D",
        25..=29 => "D-",
        _ => "F",
    }
}

/// The position of a letter from best (0) to worst, for `--min-grade`; `None` for an
/// unknown letter.
pub fn rank(letter: &str) -> Option<usize> {
    const ORDER: [&str; 13] = [
        "A+", "A", "A-", "B+", "B", "B-", "C+", "C", "C-", "D+", "D", "D-", "F",
    ];
    let l = letter.trim().to_ascii_uppercase();
    ORDER.iter().position(|o| *o == l)
}

fn total(tests: &mut [TestResult], extra: i32) -> i32 {
    let penalties: i32 = tests.iter().map(|t| t.modifier.min(0)).sum::<i32>() + extra;
    let uncurved = 100 + penalties;
    let bonus_counts = uncurved >= 90;
    let bonuses: i32 = tests.iter().map(|t| t.modifier.max(0)).sum();
    for t in tests.iter_mut() {
        t.counted = t.modifier <= 0 || bonus_counts;
    }
    let score = if bonus_counts {
        uncurved + bonuses
    } else {
        uncurved
    };
    score.max(0)
}

/// Grade a site from its tests and Django modifiers; `critical` names a critical finding
/// that caps the letter.
pub fn grade(tests: &mut [TestResult], django: &[DjangoModifier], critical: Option<&str>) -> Grade {
    let observatory_score = total(tests, 0);
    let extra: i32 = django.iter().map(|d| d.modifier.min(0)).sum();
    let score = total(tests, extra);
    let mut g = Grade {
        grade: letter(score),
        score,
        observatory_grade: letter(observatory_score),
        observatory_score,
        capped_by: None,
    };
    if let Some(rule) = critical {
        g.grade = "F";
        g.capped_by = Some(format!(
            "{rule} is critical: the grade is F whatever the score"
        ));
    }
    g
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(test: &'static str, m: i32) -> TestResult {
        TestResult {
            test,
            result: String::new(),
            modifier: m,
            counted: true,
        }
    }

    #[test]
    fn letters() {
        assert_eq!(letter(165), "A+");
        assert_eq!(letter(100), "A+");
        assert_eq!(letter(99), "A");
        assert_eq!(letter(89), "A-");
        assert_eq!(letter(64), "C+");
        assert_eq!(letter(24), "F");
        assert_eq!(letter(-3), "F");
        assert!(rank("b+") < rank("C"));
        assert_eq!(rank("Z"), None);
    }

    #[test]
    fn bonuses_only_count_from_ninety() {
        // Default Django over plain HTTP, as the research measured on the Observatory:
        // CSP -25, cookies -40, redirection -20, HSTS -20, referrer +5 (dropped): 0, F.
        let mut tests = vec![
            t("content-security-policy", -25),
            t("cookies", -40),
            t("redirection", -20),
            t("strict-transport-security", -20),
            t("referrer-policy", 5),
        ];
        let g = grade(&mut tests, &[], None);
        assert_eq!((g.observatory_score, g.observatory_grade), (0, "F"));
        assert!(!tests[4].counted);
        let mut tests = vec![t("x-content-type-options", -5), t("referrer-policy", 5)];
        let g = grade(&mut tests, &[], None);
        assert_eq!(g.observatory_score, 100);
        let g = grade(
            &mut tests,
            &[DjangoModifier {
                rule: "DJG423",
                modifier: -10,
            }],
            None,
        );
        assert_eq!((g.observatory_score, g.score, g.grade), (100, 85, "A-"));
        let g = grade(&mut tests, &[], Some("DJG422"));
        assert_eq!(g.grade, "F");
    }
}
