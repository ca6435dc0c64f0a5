//! Calendar arithmetic on UTC dates, shared by the dependency audit (support windows, the
//! advisory cache's age) and the live scan (certificate validity). Written by hand (Howard
//! Hinnant's civil-from-days algorithms): these three functions are all djguard needs, and no
//! date crate is worth a dependency for them.

/// Days since 1970-01-01 of a `YYYY-MM-DD` date (anything after the tenth character is ignored).
pub fn day_number(d: &str) -> Option<i64> {
    let mut parts = d.get(..10)?.split('-');
    let y: i64 = parts.next()?.parse().ok()?;
    let m: i64 = parts.next()?.parse().ok()?;
    let day: i64 = parts.next()?.parse().ok()?;
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

/// Seconds since the epoch as `YYYY-MM-DDTHH:MM:SSZ`.
pub fn rfc3339(secs: i64) -> String {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// Now (UTC) as RFC 3339.
pub fn now_rfc3339() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    rfc3339(secs)
}

#[cfg(test)]
mod tests {
    use super::{day_number, rfc3339};

    #[test]
    fn days_and_timestamps_agree_across_leap_years_and_eras() {
        for (date, days) in [
            ("1970-01-01", 0),
            ("2000-02-29", 11_016),
            ("2026-12-07", 20_794),
            ("1969-12-31", -1),
            ("2400-03-01", 157_114),
        ] {
            assert_eq!(day_number(date), Some(days), "{date}");
            assert_eq!(rfc3339(days * 86_400 + 3_661), format!("{date}T01:01:01Z"));
        }
        assert_eq!(day_number("2026-13"), None);
        assert_eq!(day_number("not a date"), None);
    }
}
