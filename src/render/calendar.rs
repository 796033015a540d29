//! iCalendar files (RFC 5545): `campaigns.ics` with every event of every
//! campaign in the output, and one `.ics` per campaign beside its page.
//!
//! Events are built with the icalendar crate. Times carry the site's time
//! zone (TZID), defined by a VTIMEZONE block made from the time zone
//! database's own transitions, so calendar apps place a 10am event at 10am
//! London time on either side of a clock change.

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use icalendar::{Calendar, CalendarDateTime, Component, DatePerhapsTime, Event, EventLike};
use jiff::tz::TimeZone;
use jiff::{Timestamp, civil};

use crate::content::campaign::{Campaign, CampaignEvent};
use crate::content::dates::Dated;
use crate::content::{Document, Kind};
use crate::site::library::Library;

/// (output-relative path, ICS text) for every calendar of the output.
pub fn calendars(lib: &Library<'_>) -> Vec<(String, String)> {
    let campaigns: Vec<(&Document, &Campaign)> = lib
        .docs()
        .filter(|d| d.kind == Kind::Campaign)
        .filter_map(|d| d.campaign.as_ref().map(|c| (d, c)))
        .collect();
    if campaigns.is_empty() {
        return vec![];
    }
    let mut out = vec![];
    let all: Vec<(&Document, &CampaignEvent)> = campaigns
        .iter()
        .flat_map(|(d, c)| c.events.iter().map(move |e| (*d, e)))
        .collect();
    out.push((
        "campaigns.ics".to_string(),
        calendar(lib, &lib.site.config.title, &all),
    ));
    for (d, c) in &campaigns {
        let events: Vec<(&Document, &CampaignEvent)> = c.events.iter().map(|e| (*d, e)).collect();
        out.push((
            format!("{}{}.ics", d.path, d.slug),
            calendar(lib, &d.fm.title, &events),
        ));
    }
    out
}

fn host(lib: &Library<'_>) -> String {
    let url = &lib.output.base_url;
    let after = url.split_once("://").map_or(url.as_str(), |x| x.1);
    after.split('/').next().unwrap_or("guidepost").to_string()
}

fn calendar(lib: &Library<'_>, name: &str, events: &[(&Document, &CampaignEvent)]) -> String {
    let tz = &lib.site.config.timezone;
    let tzid = lib.site.config.timezone_name.clone();
    let stamp = utc(lib.site.now);
    let mut cal = Calendar::new();
    cal.name(name).timezone(tzid.as_str());
    cal.append_property(icalendar::Property::new(
        "PRODID",
        "-//Guidepost//Guidepost campaign calendar//EN",
    ));
    for (d, e) in events {
        let mut ev = Event::new();
        // Stable across builds: the page, the event's title and start.
        let uid = format!(
            "{}-{}-{}@{}",
            d.slug,
            slug::slugify(&e.title),
            e.starts.instant.strftime("%Y%m%dT%H%M%SZ"),
            host(lib)
        );
        ev.uid(&uid)
            .timestamp(stamp)
            .summary(&e.title)
            .url(&lib.permalink(&d.path));
        ev.starts(when(&e.starts, tz, &tzid));
        match &e.ends {
            Some(end) => {
                ev.ends(when(end, tz, &tzid));
            }
            None if e.starts.date_only => {
                // A whole-day event with no end lasts that day.
                let next = e
                    .starts
                    .civil_date(tz)
                    .tomorrow()
                    .unwrap_or(e.starts.civil_date(tz));
                ev.ends(DatePerhapsTime::Date(naive_date(next)));
            }
            None => {}
        }
        let mut description = e.description.clone().unwrap_or_default();
        if let Some(online) = &e.online {
            if !description.is_empty() {
                description.push_str("\n\n");
            }
            description.push_str("Online: ");
            description.push_str(online);
            ev.location(online);
        }
        if let Some(place) = &e.location {
            ev.location(place);
        }
        if !description.is_empty() {
            ev.description(&description);
        }
        cal.push(ev.done());
    }
    // Calendar::new() comes with the crate's own PRODID; ours replaces it.
    let text = cal
        .done()
        .to_string()
        .replace("PRODID:ICALENDAR-RS\r\n", "");
    // The crate writes no VTIMEZONE; it goes before the first event.
    let vtimezone = vtimezone(tz, &tzid, events);
    match text.find("BEGIN:VEVENT") {
        Some(i) => format!("{}{}{}", &text[..i], vtimezone, &text[i..]),
        None => text,
    }
}

fn when(d: &Dated, tz: &TimeZone, tzid: &str) -> DatePerhapsTime {
    if d.date_only {
        DatePerhapsTime::Date(naive_date(d.civil_date(tz)))
    } else {
        let local = d.instant.to_zoned(tz.clone()).datetime();
        DatePerhapsTime::DateTime(CalendarDateTime::WithTimezone {
            date_time: naive(local),
            tzid: tzid.to_string(),
        })
    }
}

fn naive_date(d: civil::Date) -> NaiveDate {
    NaiveDate::from_ymd_opt(d.year() as i32, d.month() as u32, d.day() as u32).unwrap_or_default()
}

fn naive(dt: civil::DateTime) -> NaiveDateTime {
    NaiveDateTime::new(
        naive_date(dt.date()),
        NaiveTime::from_hms_opt(dt.hour() as u32, dt.minute() as u32, dt.second() as u32)
            .unwrap_or_default(),
    )
}

fn utc(ts: Timestamp) -> DateTime<Utc> {
    DateTime::from_timestamp(ts.as_second(), 0).unwrap_or_default()
}

fn offset_text(seconds: i32) -> String {
    let sign = if seconds < 0 { '-' } else { '+' };
    let s = seconds.abs();
    format!("{sign}{:02}{:02}", s / 3600, (s % 3600) / 60)
}

/// A VTIMEZONE with one observance per transition in the years the
/// events span (plus a year either side), from the time zone database.
fn vtimezone(tz: &TimeZone, tzid: &str, events: &[(&Document, &CampaignEvent)]) -> String {
    let years = events
        .iter()
        .map(|(_, e)| e.starts.instant.to_zoned(tz.clone()).year());
    let (min, max) = years.fold((i16::MAX, i16::MIN), |(lo, hi), y| (lo.min(y), hi.max(y)));
    let (min, max) = if min > max {
        (2000, 2000)
    } else {
        (min - 1, max + 1)
    };
    let start = civil::date(min, 1, 1)
        .to_zoned(tz.clone())
        .map(|z| z.timestamp())
        .unwrap_or(Timestamp::UNIX_EPOCH);
    let end = civil::date(max, 12, 31)
        .to_zoned(tz.clone())
        .map(|z| z.timestamp())
        .unwrap_or(Timestamp::UNIX_EPOCH);

    let mut lines = vec!["BEGIN:VTIMEZONE".to_string(), format!("TZID:{tzid}")];
    let mut previous = tz.to_offset(start).seconds();
    let mut any = false;
    for t in tz.following(start) {
        if t.timestamp() > end {
            break;
        }
        let to = t.offset().seconds();
        let kind = if t.dst().is_dst() {
            "DAYLIGHT"
        } else {
            "STANDARD"
        };
        // DTSTART is the local time just before the change, in the old offset.
        let local = t
            .timestamp()
            .to_zoned(TimeZone::fixed(
                jiff::tz::Offset::from_seconds(previous).unwrap_or(jiff::tz::Offset::UTC),
            ))
            .datetime();
        lines.push(format!("BEGIN:{kind}"));
        lines.push(format!("DTSTART:{}", local.strftime("%Y%m%dT%H%M%S")));
        lines.push(format!("TZOFFSETFROM:{}", offset_text(previous)));
        lines.push(format!("TZOFFSETTO:{}", offset_text(to)));
        lines.push(format!("TZNAME:{}", t.abbreviation()));
        lines.push(format!("END:{kind}"));
        previous = to;
        any = true;
    }
    if !any {
        // A zone without changes (UTC, say): one observance for all time.
        lines.push("BEGIN:STANDARD".into());
        lines.push("DTSTART:19700101T000000".into());
        lines.push(format!("TZOFFSETFROM:{}", offset_text(previous)));
        lines.push(format!("TZOFFSETTO:{}", offset_text(previous)));
        lines.push("END:STANDARD".into());
    }
    lines.push("END:VTIMEZONE".into());
    let mut out = lines.join("\r\n");
    out.push_str("\r\n");
    out
}
