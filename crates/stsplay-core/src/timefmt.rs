//! Durations as kubectl prints them in the AGE column
//! (`k8s.io/apimachinery/pkg/util/duration.HumanDuration`), and the duration
//! syntax the `sleep` command accepts (Go's `time.ParseDuration` subset).

/// kubectl's AGE format: `45s`, `2m`, `5m30s`, `3h`, `2d4h`, ...
pub fn human_duration(ms: u64) -> String {
    let seconds = ms / 1000;
    if seconds < 60 * 2 {
        return format!("{seconds}s");
    }
    let minutes = seconds / 60;
    if minutes < 10 {
        let s = seconds % 60;
        return if s == 0 { format!("{minutes}m") } else { format!("{minutes}m{s}s") };
    }
    if minutes < 60 * 3 {
        return format!("{minutes}m");
    }
    let hours = minutes / 60;
    if hours < 8 {
        let m = minutes % 60;
        return if m == 0 { format!("{hours}h") } else { format!("{hours}h{m}m") };
    }
    if hours < 48 {
        return format!("{hours}h");
    }
    if hours < 24 * 8 {
        let h = hours % 24;
        return if h == 0 { format!("{}d", hours / 24) } else { format!("{}d{}h", hours / 24, h) };
    }
    if hours < 24 * 365 * 2 {
        return format!("{}d", hours / 24);
    }
    if hours < 24 * 365 * 8 {
        let dy = (hours / 24) % 365;
        return if dy == 0 { format!("{}y", hours / 24 / 365) } else { format!("{}y{}d", hours / 24 / 365, dy) };
    }
    format!("{}y", hours / 24 / 365)
}

/// Parses `90s`, `1m30s`, `500ms`, `2h`, or a bare number of seconds.
pub fn parse_duration_ms(text: &str) -> Result<u64, String> {
    let bad = || format!("invalid duration \"{text}\"");
    if text.is_empty() {
        return Err(bad());
    }
    if text.bytes().all(|b| b.is_ascii_digit()) {
        return text.parse::<u64>().ok().and_then(|s| s.checked_mul(1000)).ok_or_else(bad);
    }
    let mut total: u64 = 0;
    let mut rest = text;
    while !rest.is_empty() {
        let digits = rest.find(|c: char| !(c.is_ascii_digit() || c == '.')).ok_or_else(bad)?;
        if digits == 0 {
            return Err(bad());
        }
        let value: f64 = rest[..digits].parse().map_err(|_| bad())?;
        rest = &rest[digits..];
        let unit_len = rest.find(|c: char| c.is_ascii_digit() || c == '.').unwrap_or(rest.len());
        let unit_ms: f64 = match &rest[..unit_len] {
            "ms" => 1.0,
            "s" => 1000.0,
            "m" => 60_000.0,
            "h" => 3_600_000.0,
            _ => return Err(bad()),
        };
        rest = &rest[unit_len..];
        let add = value * unit_ms;
        if !add.is_finite() || add > 1e15 {
            return Err(bad());
        }
        total = total.checked_add(add.round() as u64).ok_or_else(bad)?;
    }
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn human_duration_matches_kubectl() {
        assert_eq!(human_duration(0), "0s");
        assert_eq!(human_duration(119_999), "119s");
        assert_eq!(human_duration(120_000), "2m");
        assert_eq!(human_duration(330_000), "5m30s");
        assert_eq!(human_duration(11 * 60_000), "11m");
        assert_eq!(human_duration(4 * 3_600_000 + 60_000), "4h1m");
        assert_eq!(human_duration(20 * 3_600_000), "20h");
        assert_eq!(human_duration(50 * 3_600_000), "2d2h");
    }

    #[test]
    fn parses_durations() {
        assert_eq!(parse_duration_ms("30s"), Ok(30_000));
        assert_eq!(parse_duration_ms("1m30s"), Ok(90_000));
        assert_eq!(parse_duration_ms("250ms"), Ok(250));
        assert_eq!(parse_duration_ms("2"), Ok(2000));
        assert_eq!(parse_duration_ms("1.5s"), Ok(1500));
        assert!(parse_duration_ms("soon").is_err());
        assert!(parse_duration_ms("").is_err());
        assert!(parse_duration_ms("5x").is_err());
    }
}

/// The virtual clock's zero: 2024-01-01T00:00:00Z (a Monday). Absolute times
/// (`kubectl describe`) are this plus virtual time, so they are deterministic.
pub const EPOCH_DAYS_SINCE_1970: i64 = 19_723;

/// `Mon, 01 Jan 2024 00:00:15 +0000` (Go's time.RFC1123Z), for virtual `ms`.
pub fn rfc1123z(ms: u64) -> String {
    let secs = ms / 1000;
    let days = EPOCH_DAYS_SINCE_1970 + (secs / 86_400) as i64;
    let rem = secs % 86_400;
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    const WEEKDAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    let weekday = WEEKDAYS.get(days.rem_euclid(7) as usize).copied().unwrap_or("Mon");
    let month_name = MONTHS.get((month - 1).clamp(0, 11) as usize).copied().unwrap_or("Jan");
    format!("{weekday}, {day:02} {month_name} {year} {:02}:{:02}:{:02} +0000", rem / 3600, (rem / 60) % 60, rem % 60)
}

#[cfg(test)]
mod epoch_tests {
    #[test]
    fn formats_like_go_rfc1123z() {
        assert_eq!(super::rfc1123z(0), "Mon, 01 Jan 2024 00:00:00 +0000");
        assert_eq!(super::rfc1123z(15_000), "Mon, 01 Jan 2024 00:00:15 +0000");
        assert_eq!(super::rfc1123z(86_400_000 * 60 + 3_723_000), "Fri, 01 Mar 2024 01:02:03 +0000");
    }
}

/// A step's virtual time as the playground shows it: `12.4s` (seconds with
/// one decimal, truncated), the form of `step` output and the timeline.
pub fn step_time(ms: u64) -> String {
    format!("{}s", seconds(ms))
}

/// `12400` → `"12.4"`: seconds with one decimal, truncated (the playground's
/// clock and step times).
pub fn seconds(ms: u64) -> String {
    format!("{}.{}", ms / 1000, (ms % 1000) / 100)
}

#[cfg(test)]
mod step_time_tests {
    #[test]
    fn one_decimal_truncated() {
        assert_eq!(super::step_time(0), "0.0s");
        assert_eq!(super::step_time(12_499), "12.4s");
        assert_eq!(super::step_time(60_000), "60.0s");
    }
}
