//! Display time: everything is stored in UTC and shown in one display time zone (`HOEGO_TZ`).

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;

use crate::domain::{Invalid, Problem};

/// `2025-06-06 14:03 KST`: minutes are what responders compare; the zone is always named.
pub fn format(at: DateTime<Utc>, tz: Tz) -> String {
    at.with_timezone(&tz)
        .format("%Y-%m-%d %H:%M %Z")
        .to_string()
}

/// `14:03:05`, for timeline rows under a date heading.
pub fn format_clock(at: DateTime<Utc>, tz: Tz) -> String {
    at.with_timezone(&tz).format("%H:%M:%S").to_string()
}

/// The value of an `<input type="datetime-local">` showing `at` in `tz`.
pub fn to_input(at: DateTime<Utc>, tz: Tz) -> String {
    at.with_timezone(&tz).format("%Y-%m-%dT%H:%M").to_string()
}

/// Reads a `datetime-local` value (or a full RFC 3339 time) as a time in `tz`. Empty means
/// "not set". In the hour a clock goes back, the earlier reading is taken.
pub fn parse_local(field: &str, value: &str, tz: Tz) -> Result<Option<DateTime<Utc>>, Invalid> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(None);
    }
    if let Ok(at) = DateTime::parse_from_rfc3339(value) {
        return Ok(Some(at.with_timezone(&Utc)));
    }
    let local = [
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%d %H:%M:%S",
    ]
    .iter()
    .find_map(|f| NaiveDateTime::parse_from_str(value, f).ok())
    .ok_or_else(|| Invalid::new(field, Problem::NotADateTime))?;
    let at = tz
        .from_local_datetime(&local)
        .earliest()
        .ok_or_else(|| Invalid::new(field, Problem::NotADateTime))?;
    Ok(Some(at.with_timezone(&Utc)))
}

/// Reads an `<input type="date">` value; empty means "no date".
pub fn parse_date(field: &str, value: &str) -> Result<Option<NaiveDate>, Invalid> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(None);
    }
    NaiveDate::parse_from_str(value, "%Y-%m-%d")
        .map(Some)
        .map_err(|_| Invalid::new(field, Problem::NotADate))
}

/// When `day` begins in `tz` (the earlier instant on a day that begins twice).
pub fn day_start(day: NaiveDate, tz: Tz) -> DateTime<Utc> {
    use chrono::TimeZone;
    let midnight = day.and_hms_opt(0, 0, 0).expect("midnight exists");
    tz.from_local_datetime(&midnight)
        .earliest()
        .map_or_else(|| midnight.and_utc(), |t| t.with_timezone(&Utc))
}

/// Today's date in the display time zone (what "overdue" is judged against).
pub fn today(tz: Tz) -> NaiveDate {
    Utc::now().with_timezone(&tz).date_naive()
}

#[cfg(test)]
mod tests {
    use super::*;

    const SEOUL: Tz = chrono_tz::Asia::Seoul;

    #[test]
    fn seoul_is_shown_with_its_zone() {
        let at = Utc.with_ymd_and_hms(2025, 6, 6, 5, 3, 0).unwrap();
        assert_eq!(format(at, SEOUL), "2025-06-06 14:03 KST");
        assert_eq!(to_input(at, SEOUL), "2025-06-06T14:03");
    }

    #[test]
    fn local_input_is_read_in_the_display_zone() {
        let at = parse_local("started_at", "2025-06-06T14:03", SEOUL)
            .unwrap()
            .unwrap();
        assert_eq!(at, Utc.with_ymd_and_hms(2025, 6, 6, 5, 3, 0).unwrap());
        let rfc = parse_local("started_at", "2025-06-06T05:03:00Z", SEOUL)
            .unwrap()
            .unwrap();
        assert_eq!(rfc, at);
        assert_eq!(parse_local("started_at", "  ", SEOUL).unwrap(), None);
    }

    #[test]
    fn garbage_is_an_error_on_its_field() {
        assert_eq!(
            parse_local("detected_at", "yesterday", SEOUL).unwrap_err(),
            Invalid::new("detected_at", Problem::NotADateTime)
        );
        assert_eq!(
            parse_date("due", "2025-02-30").unwrap_err(),
            Invalid::new("due", Problem::NotADate)
        );
    }
}
