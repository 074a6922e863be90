//! Times as postmortems write them, at the start of a timeline line or in a table cell:
//! `2025-06-06T05:02:00Z`, `2025-06-06 14:02 KST`, `2015/10/21 14:51`, `Oct 21, 2015 2:51 PM PDT`,
//! `2025년 6월 6일 14:02`, `6월 6일 오후 2시 2분`, or a bare `14:02` / `2:02 PM` on the day of the
//! lines before it. A time without a zone is in the display zone.

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

/// A time read off the start of a text, and the byte length it took.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Found {
    pub date: Option<NaiveDate>,
    /// Midnight when only a date was written (see `timed`).
    pub time: NaiveTime,
    /// A time of day was written, not only a date.
    pub timed: bool,
    /// The zone the text names, if it does.
    pub zone: Option<Zone>,
    pub len: usize,
}

/// Zone abbreviations postmortems use, as minutes east of UTC.
const ZONES: [(&str, i32); 22] = [
    ("UTC", 0),
    ("GMT", 0),
    ("Z", 0),
    ("KST", 540),
    ("JST", 540),
    ("PST", -480),
    ("PDT", -420),
    ("MST", -420),
    ("MDT", -360),
    ("CST", -360),
    ("CDT", -300),
    ("EST", -300),
    ("EDT", -240),
    ("CET", 60),
    ("CEST", 120),
    ("BST", 60),
    ("IST", 330),
    ("SGT", 480),
    ("HKT", 480),
    ("AEST", 600),
    ("AEDT", 660),
    ("NZST", 720),
];

/// A zone as written: a fixed offset (`KST`, `+09:00`, `PDT`) or a region's time with its
/// daylight saving (`PT`, `ET`: "all times PT" means PDT in summer and PST in winter).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Zone {
    /// Minutes east of UTC.
    Fixed(i32),
    Named(Tz),
}

/// Region times US postmortems write without saying which half of the year.
const NAMED: [(&str, Tz); 4] = [
    ("PT", chrono_tz::America::Los_Angeles),
    ("MT", chrono_tz::America::Denver),
    ("CT", chrono_tz::America::Chicago),
    ("ET", chrono_tz::America::New_York),
];

impl Zone {
    fn instant(self, local: NaiveDateTime) -> Option<DateTime<Utc>> {
        match self {
            Zone::Fixed(minutes) => chrono::FixedOffset::east_opt(minutes * 60)?
                .from_local_datetime(&local)
                .single()
                .map(|t| t.to_utc()),
            Zone::Named(tz) => tz
                .from_local_datetime(&local)
                .earliest()
                .map(|t| t.to_utc()),
        }
    }

    /// The day `at` falls on in this zone.
    pub fn day_of(self, at: DateTime<Utc>) -> NaiveDate {
        match self {
            Zone::Fixed(minutes) => chrono::FixedOffset::east_opt(minutes * 60)
                .map_or(at.date_naive(), |z| at.with_timezone(&z).date_naive()),
            Zone::Named(tz) => at.with_timezone(&tz).date_naive(),
        }
    }
}

/// A zone abbreviation at the start of `r` (not followed by a letter).
fn zone_word(r: &str) -> Option<(usize, Zone)> {
    let whole = |name: &str| {
        r.starts_with(name) && !r[name.len()..].starts_with(|ch: char| ch.is_ascii_alphabetic())
    };
    ZONES
        .iter()
        .find(|(name, _)| whole(name))
        .map(|(name, m)| (name.len(), Zone::Fixed(*m)))
        .or_else(|| {
            NAMED
                .iter()
                .find(|(name, _)| whole(name))
                .map(|(name, tz)| (name.len(), Zone::Named(*tz)))
        })
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

/// A small cursor over the text.
struct Cur<'a> {
    s: &'a str,
    at: usize,
}

impl<'a> Cur<'a> {
    fn rest(&self) -> &'a str {
        &self.s[self.at..]
    }
    fn spaces(&mut self) {
        let r = self.rest();
        self.at += r.len() - r.trim_start_matches([' ', '\t']).len();
    }
    fn number(&mut self, max_digits: usize) -> Option<u32> {
        let r = self.rest();
        let n = r.bytes().take_while(u8::is_ascii_digit).count();
        if n == 0 || n > max_digits {
            return None;
        }
        self.at += n;
        r[..n].parse().ok()
    }
    fn eat(&mut self, prefix: &str) -> bool {
        if self.rest().starts_with(prefix) {
            self.at += prefix.len();
            true
        } else {
            false
        }
    }
    fn eat_any(&mut self, prefixes: &[&str]) -> bool {
        prefixes.iter().any(|p| self.eat(p))
    }
}

/// `2025-06-06`, `2025/06/06`, `2025.06.06`, `2025년 6월 6일`, `6월 6일`, `Oct 21, 2015`,
/// `21 Oct 2015`, `10/21/2015`.
fn date(c: &mut Cur<'_>, year_hint: Option<i32>) -> Option<NaiveDate> {
    let start = c.at;
    // Year first.
    if let Some(y) = c.number(4).filter(|_| c.at - start == 4) {
        if c.eat_any(&["-", "/", "."]) {
            let m = c.number(2)?;
            if !c.eat_any(&["-", "/", "."]) {
                return None;
            }
            let d = c.number(2)?;
            return NaiveDate::from_ymd_opt(y as i32, m, d);
        }
        c.spaces();
        if c.eat("년") {
            c.spaces();
            let m = c.number(2)?;
            c.eat("월").then_some(())?;
            c.spaces();
            let d = c.number(2)?;
            c.eat("일");
            return NaiveDate::from_ymd_opt(y as i32, m, d);
        }
        c.at = start;
        return None;
    }
    c.at = start;
    // Korean month and day, the year from context.
    if let Some(m) = c.number(2) {
        c.spaces();
        if c.eat("월") {
            c.spaces();
            let d = c.number(2)?;
            c.eat("일");
            return NaiveDate::from_ymd_opt(year_hint?, m, d);
        }
        // US month/day/year.
        if c.eat("/") {
            let d = c.number(2)?;
            if c.eat("/") {
                let y = c.number(4)?;
                return NaiveDate::from_ymd_opt(y as i32, m, d);
            }
        }
        c.at = start;
        // `21 Oct 2015`
        if let Some(d) = c.number(2) {
            c.spaces();
            if let Some(m) = month(c) {
                c.spaces();
                let y = c.number(4)?;
                return NaiveDate::from_ymd_opt(y as i32, m, d);
            }
        }
        c.at = start;
        return None;
    }
    // `Oct 21, 2015` / `October 21 2015`
    let m = month(c)?;
    c.spaces();
    let d = c.number(2)?;
    c.eat_any(&["st", "nd", "rd", "th"]);
    c.eat(",");
    c.spaces();
    let y = c.number(4).map(|y| y as i32).or(year_hint)?;
    NaiveDate::from_ymd_opt(y, m, d)
}

fn month(c: &mut Cur<'_>) -> Option<u32> {
    let r = c.rest();
    let word: String = r
        .chars()
        .take_while(|ch| ch.is_ascii_alphabetic())
        .collect();
    let lower = word.to_ascii_lowercase();
    if lower.len() < 3 {
        return None;
    }
    let m = MONTHS.iter().position(|p| lower.starts_with(p))?;
    c.at += word.len();
    c.eat(".");
    Some(m as u32 + 1)
}

/// `14:02`, `14:02:30`, `2:02 PM`, `2:02pm`, `오후 2:02`, `14시 2분`, `14h02`.
fn time(c: &mut Cur<'_>) -> Option<NaiveTime> {
    let start = c.at;
    let mut pm: Option<bool> = None;
    if c.eat("오전") {
        pm = Some(false);
        c.spaces();
    } else if c.eat("오후") {
        pm = Some(true);
        c.spaces();
    }
    let mut h = c.number(2)?;
    let (m, s) = if c.eat(":") {
        let m = c.number(2)?;
        let s = if c.eat(":") { c.number(2)? } else { 0 };
        // Fractions of a second are dropped.
        if c.eat(".") {
            c.number(9);
        }
        (m, s)
    } else if c.eat("시") {
        c.spaces();
        let m = c.number(2).unwrap_or(0);
        c.eat("분");
        (m, 0)
    } else {
        c.at = start;
        return None;
    };
    let before_ampm = c.at;
    c.spaces();
    let r = c.rest().to_ascii_lowercase();
    if pm.is_none() {
        for (word, is_pm) in [("a.m.", false), ("p.m.", true), ("am", false), ("pm", true)] {
            if r.starts_with(word)
                && !r[word.len()..].starts_with(|ch: char| ch.is_ascii_alphabetic())
            {
                pm = Some(is_pm);
                c.at += word.len();
                break;
            }
        }
        if pm.is_none() {
            c.at = before_ampm;
        }
    }
    match pm {
        Some(true) if h < 12 => h += 12,
        Some(false) if h == 12 => h = 0,
        _ => {}
    }
    NaiveTime::from_hms_opt(h, m, s)
}

/// `Z`, `+09:00`, `+0900`, `UTC`, `(KST)`, `UTC+9`, `PT`.
fn zone(c: &mut Cur<'_>) -> Option<Zone> {
    let start = c.at;
    c.spaces();
    let paren = c.eat("(");
    let mut found = zone_word(c.rest()).map(|(len, z)| {
        c.at += len;
        z
    });
    // A numeric offset, alone or after UTC/GMT.
    let r = c.rest();
    if matches!(found, None | Some(Zone::Fixed(0)))
        && let Some(sign) = r.chars().next().filter(|ch| *ch == '+' || *ch == '-')
    {
        let save = c.at;
        c.at += 1;
        let digits = c.rest().bytes().take_while(u8::is_ascii_digit).count();
        let (h, m) = match digits {
            1 | 2 => {
                let h = c.number(2).unwrap_or(99);
                let m = if c.eat(":") {
                    c.number(2).unwrap_or(0)
                } else {
                    0
                };
                (h, m)
            }
            4 => {
                let hm = c.number(4).unwrap_or(9_999);
                (hm / 100, hm % 100)
            }
            _ => (99, 0),
        };
        if h <= 14 && m < 60 {
            let offset = (h * 60 + m) as i32;
            found = Some(Zone::Fixed(if sign == '-' { -offset } else { offset }));
        } else {
            c.at = save;
        }
    }
    if found.is_some() {
        if paren {
            c.eat(")");
        }
        found
    } else {
        c.at = start;
        None
    }
}

/// The time at the start of `text` (after list or bold marks the outline already removed),
/// with `year` for dates written without one.
pub fn leading(text: &str, year: Option<i32>) -> Option<Found> {
    let mut c = Cur { s: text, at: 0 };
    c.spaces();
    let date = date(&mut c, year);
    if date.is_some() {
        // `2025-06-06T05:02`, `2025-06-06 14:02`, `Oct 21, 2015 at 2:51 PM`, `6월 6일 14:02`.
        if !c.eat("T") {
            c.spaces();
            c.eat(",");
            c.spaces();
            c.eat_any(&["at ", "@ "]);
        }
    }
    let before = c.at;
    let (time, timed) = match time(&mut c) {
        Some(t) => (t, true),
        // A date alone is midnight of that day.
        None if date.is_some() => {
            c.at = before;
            (NaiveTime::MIN, false)
        }
        None => return None,
    };
    let zone = if timed { zone(&mut c) } else { None };
    Some(Found {
        date,
        time,
        timed,
        zone,
        len: c.at,
    })
}

impl Found {
    /// The instant, on `day` when the text named none; zones as written, else `tz`.
    pub fn at(&self, day: NaiveDate, tz: Tz) -> Option<DateTime<Utc>> {
        let local = NaiveDateTime::new(self.date.unwrap_or(day), self.time);
        self.zone.unwrap_or(Zone::Named(tz)).instant(local)
    }
}

/// The zone a line declares for the times around it: `(all times UTC)`, `Time (UTC)`,
/// `시각은 모두 한국 시간(KST) 기준입니다`, `Times are in PDT`.
pub fn declared_zone(text: &str) -> Option<Zone> {
    let upper = text.to_uppercase();
    let lower = text.to_lowercase();
    let declares = ["time", "시각", "시간", "기준", "zone"]
        .iter()
        .any(|w| lower.contains(w));
    if !declares {
        return None;
    }
    upper
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|word| *word != "Z")
        .find_map(|word| {
            zone_word(word)
                .filter(|(len, _)| *len == word.len())
                .map(|(_, z)| z)
        })
}

/// The first date in `text` (a title, a front-matter value, a `Date:` line).
pub fn first_date(text: &str) -> Option<NaiveDate> {
    let year = text
        .split(|ch: char| !ch.is_ascii_digit())
        .find(|w| w.len() == 4)
        .and_then(|y| y.parse().ok())
        .filter(|y| (1990..=2100).contains(y));
    text.char_indices()
        .filter(|(i, _)| *i == 0 || !text[..*i].ends_with(|ch: char| ch.is_ascii_alphanumeric()))
        .find_map(|(i, _)| {
            let mut c = Cur { s: text, at: i };
            date(&mut c, year)
        })
}

/// The year a date is in, for dates written without one.
pub fn year_of(d: NaiveDate) -> i32 {
    d.year()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(text: &str, day: &str) -> (String, usize) {
        let day = NaiveDate::parse_from_str(day, "%Y-%m-%d").unwrap();
        let f = leading(text, Some(day.year())).unwrap_or_else(|| panic!("no time in {text:?}"));
        (
            f.at(day, chrono_tz::Asia::Seoul)
                .unwrap()
                .format("%Y-%m-%dT%H:%M:%SZ")
                .to_string(),
            f.len,
        )
    }

    #[test]
    fn times_in_the_forms_postmortems_use() {
        let day = "2025-06-06";
        for (text, expected) in [
            ("2025-06-06T05:02:00Z — alert", "2025-06-06T05:02:00Z"),
            ("2025-06-06 14:02 KST — alert", "2025-06-06T05:02:00Z"),
            ("2025-06-06 14:02 — alert", "2025-06-06T05:02:00Z"),
            ("14:02 alert", "2025-06-06T05:02:00Z"),
            ("14:02:30 alert", "2025-06-06T05:02:30Z"),
            ("2:02 PM alert", "2025-06-06T05:02:00Z"),
            ("오후 2:02 알림", "2025-06-06T05:02:00Z"),
            ("14시 2분 알림", "2025-06-06T05:02:00Z"),
            ("6월 7일 09:00 복구", "2025-06-07T00:00:00Z"),
            ("2025년 6월 6일 14:02 감지", "2025-06-06T05:02:00Z"),
            ("Oct 21, 2015 2:51 PM PDT: outage", "2015-10-21T21:51:00Z"),
            ("21 Oct 2015 14:51 UTC outage", "2015-10-21T14:51:00Z"),
            ("10/21/2015 14:51 UTC outage", "2015-10-21T14:51:00Z"),
            ("2015/10/21 14:51 +09:00 x", "2015-10-21T05:51:00Z"),
            ("14:51 (UTC) x", "2025-06-06T14:51:00Z"),
            ("14:51 UTC+9 x", "2025-06-06T05:51:00Z"),
            ("9:05am PT pager", "2025-06-06T16:05:00Z"),
        ] {
            assert_eq!(utc(text, day).0, expected, "{text}");
        }
        assert_eq!(utc("14:02 — alert", day).1, 5);
        assert!(leading("Redis 풀 고갈", Some(2025)).is_none());
        assert!(leading("5 whys", Some(2025)).is_none());
        assert!(leading("3배 트래픽", Some(2025)).is_none());
    }

    #[test]
    fn zones_declared_beside_a_timeline() {
        let fixed = |m| Some(Zone::Fixed(m));
        assert_eq!(declared_zone("2025-03-14 (all times UTC)"), fixed(0));
        assert_eq!(declared_zone("Time (UTC)"), fixed(0));
        assert_eq!(
            declared_zone("시각은 모두 한국 시간(KST) 기준입니다."),
            fixed(540)
        );
        assert_eq!(declared_zone("Times are in PDT"), fixed(-420));
        assert_eq!(
            declared_zone("Timeline (PT)"),
            Some(Zone::Named(chrono_tz::America::Los_Angeles))
        );
        assert_eq!(declared_zone("UTC"), None, "a zone alone declares nothing");
        assert_eq!(declared_zone("Event"), None);
    }

    #[test]
    fn the_first_date_of_a_title() {
        assert_eq!(
            first_date("Postmortem: coupon outage 2025-06-06"),
            NaiveDate::from_ymd_opt(2025, 6, 6)
        );
        assert_eq!(
            first_date("Incident on October 21, 2015"),
            NaiveDate::from_ymd_opt(2015, 10, 21)
        );
        assert_eq!(first_date("no date here"), None);
    }
}
