//! Dates in front matter: parsed once, compared as instants, shown NHS style.

use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;
use jiff::{Timestamp, Zoned};

/// A date or date-time from front matter or the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dated {
    /// The instant, for embargo and ordering. A plain date means the start
    /// of that day in the site's time zone.
    pub instant: Timestamp,
    /// ISO form for templates: `2026-08-06` or `2026-08-06T10:00:00+01:00`.
    pub iso: String,
    pub date_only: bool,
}

impl Dated {
    pub fn civil_date(&self, tz: &TimeZone) -> Date {
        self.instant.to_zoned(tz.clone()).date()
    }
}

/// Accepts `2026-08-06`, `2026-08-06 10:30`, `2026-08-06T10:30:00`, and
/// the same with `Z` or an offset (`+01:00`). Naive times are in `tz`.
pub fn parse(text: &str, tz: &TimeZone) -> Result<Dated, String> {
    let t = text.trim();
    if t.len() == 10
        && let Ok(d) = t.parse::<Date>()
    {
        let zoned = d
            .to_zoned(tz.clone())
            .map_err(|e| format!("`{t}` is not a usable date: {e}"))?;
        return Ok(Dated {
            instant: zoned.timestamp(),
            iso: d.to_string(),
            date_only: true,
        });
    }
    if let Ok(ts) = t.parse::<Timestamp>() {
        let zoned = ts.to_zoned(tz.clone());
        return Ok(Dated {
            instant: ts,
            iso: iso_zoned(&zoned),
            date_only: false,
        });
    }
    let normalised = t.replacen(' ', "T", 1);
    if let Ok(dt) = normalised.parse::<DateTime>() {
        let zoned = dt
            .to_zoned(tz.clone())
            .map_err(|e| format!("`{t}` is not a usable time: {e}"))?;
        return Ok(Dated {
            instant: zoned.timestamp(),
            iso: iso_zoned(&zoned),
            date_only: false,
        });
    }
    Err(format!("`{t}` is not a date"))
}

fn iso_zoned(z: &Zoned) -> String {
    z.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string()
}

pub const DATE_HINT: &str =
    "write dates as year-month-day, e.g. 2026-08-06, or with a time, e.g. 2026-08-06 14:30";

/// A plain `2026-11-22` read by hand (`None` for anything else, or a day
/// that does not exist): listings read a date for every page they list,
/// and jiff's general parser was most of the `date` filter's cost.
pub fn plain_date(s: &str) -> Option<Date> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<i16> {
        b[r].iter().try_fold(0i16, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + i16::from(c - b'0'))
        })
    };
    let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    Date::new(y, i8::try_from(m).ok()?, i8::try_from(d).ok()?).ok()
}

/// "6 August 2026": the NHS style (no leading zero, full month name).
pub fn nhs_date(d: Date) -> String {
    // Written by hand: listing pages format two dates for every page they
    // list, and `format!` was over a thousand instructions a date.
    let month = MONTHS[d.month() as usize - 1];
    let mut out = String::with_capacity(month.len() + 9);
    digits(&mut out, i32::from(d.day()));
    out.push(' ');
    out.push_str(month);
    out.push(' ');
    let year = i32::from(d.year());
    if year < 0 {
        out.push('-');
    }
    digits(&mut out, year.abs());
    out
}

/// `n` (not negative) in decimal, without leading zeros.
fn digits(out: &mut String, n: i32) {
    if n >= 10 {
        digits(out, n / 10);
    }
    out.push(char::from(b'0' + (n % 10) as u8));
}

/// `date` formatted with a strftime `format` made only of `%Y`, `%m`,
/// `%d`, `%-d`, `%B`, `%b`, `%%` and plain text, exactly as jiff's strftime
/// writes it; `None` for any other format (the caller uses strftime). A
/// listing formats a date for every page it lists, and strftime through a
/// time zone was most of the cost.
pub fn format_date(date: Date, format: &str) -> Option<String> {
    let year = date.year();
    if !(1000..=9999).contains(&year) {
        return None;
    }
    let two = |out: &mut String, n: i8| {
        out.push(char::from(b'0' + (n / 10) as u8));
        out.push(char::from(b'0' + (n % 10) as u8));
    };
    let mut out = String::with_capacity(format.len() + 12);
    let mut rest = format;
    while let Some(i) = memchr::memchr(b'%', rest.as_bytes()) {
        out.push_str(&rest[..i]);
        rest = &rest[i + 1..];
        let (spec, len) = if rest.starts_with("-d") {
            ("-d", 2)
        } else {
            let c = rest.chars().next()?;
            (&rest[..c.len_utf8()], c.len_utf8())
        };
        match spec {
            "Y" => {
                two(&mut out, (year / 100) as i8);
                two(&mut out, (year % 100) as i8);
            }
            "m" => two(&mut out, date.month()),
            "d" => two(&mut out, date.day()),
            "-d" => digits(&mut out, i32::from(date.day())),
            "B" => out.push_str(MONTHS[date.month() as usize - 1]),
            "b" => out.push_str(&MONTHS[date.month() as usize - 1][..3]),
            "%" => out.push('%'),
            _ => return None,
        }
        rest = &rest[len..];
    }
    out.push_str(rest);
    Some(out)
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// "The current time" of a build: `--now`, else SOURCE_DATE_EPOCH, else
/// the clock. Fixed once so every page agrees.
pub fn build_now(now_arg: Option<&str>, tz: &TimeZone) -> Result<Timestamp, String> {
    if let Some(s) = now_arg {
        return parse(s, tz).map(|d| d.instant);
    }
    if let Ok(epoch) = std::env::var("SOURCE_DATE_EPOCH")
        && !epoch.trim().is_empty()
    {
        let secs: i64 = epoch
            .trim()
            .parse()
            .map_err(|_| format!("SOURCE_DATE_EPOCH `{epoch}` is not a number of seconds"))?;
        return Timestamp::from_second(secs).map_err(|e| e.to_string());
    }
    Ok(Timestamp::now())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_dates_read_like_jiff() {
        for s in [
            "2026-11-22",
            "2024-02-29",
            "2023-02-29",
            "0000-01-01",
            "9999-12-31",
            "2026-13-01",
            "2026-00-10",
            "2026-1-022",
            "2026/11/22",
            "2026-11-2x",
            "+202-11-22",
            "2026-11-22T",
        ] {
            assert_eq!(plain_date(s), s.parse::<Date>().ok(), "{s}");
        }
    }

    fn london() -> TimeZone {
        TimeZone::get("Europe/London").unwrap()
    }

    #[test]
    fn parses_the_forms_people_write() {
        let tz = london();
        let d = parse("2026-08-06", &tz).unwrap();
        assert!(d.date_only);
        assert_eq!(d.iso, "2026-08-06");
        assert_eq!(d.instant.to_string(), "2026-08-05T23:00:00Z");
        let d = parse("2026-08-06 14:30", &tz).unwrap();
        assert_eq!(d.iso, "2026-08-06T14:30:00+01:00");
        let d = parse("2026-01-06T14:30:00Z", &tz).unwrap();
        assert_eq!(d.iso, "2026-01-06T14:30:00+00:00");
        assert!(parse("next tuesday", &tz).is_err());
        assert!(parse("2026-02-30", &tz).is_err());
    }

    #[test]
    fn nhs_style() {
        assert_eq!(nhs_date(Date::constant(2026, 8, 6)), "6 August 2026");
        for date in [
            Date::constant(2026, 8, 6),
            Date::constant(2025, 12, 31),
            Date::constant(1999, 1, 10),
            Date::constant(2024, 2, 29),
        ] {
            for format in [
                "%Y-%m-%d",
                "%-d %B %Y",
                "%d %b %Y",
                "%B %Y",
                "on %d/%m/%Y, 100%%",
                "",
                "plain",
                "£%Y",
            ] {
                let want = date
                    .to_zoned(TimeZone::UTC)
                    .unwrap()
                    .strftime(format)
                    .to_string();
                assert_eq!(format_date(date, format), Some(want), "{format}");
            }
            for other in ["%A", "%H:%M", "%e", "%", "%Y-%"] {
                assert_eq!(format_date(date, other), None, "{other}");
            }
        }
        assert_eq!(nhs_date(Date::constant(2025, 12, 31)), "31 December 2025");
        assert_eq!(nhs_date(Date::constant(900, 1, 10)), "10 January 900");
        assert_eq!(nhs_date(Date::constant(-44, 3, 15)), "15 March -44");
    }
}
