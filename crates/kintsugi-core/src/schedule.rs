//! When something recurs: every day, on chosen weekdays, every week, or
//! once, optionally at a time of day.
//!
//! A schedule is a rule, not a list: the dates it produces are derived on
//! demand ([`Schedule::occasions`] between two dates, [`Schedule::produces`]
//! for one), so nothing is generated ahead and a schedule that runs for
//! years costs nothing to store. Commitments (stage 8) use it, and so can
//! anything else that recurs, such as a couple's rituals.
//!
//! Dates and times are *local*: "home by 7 on weekdays" means seven in the
//! evening wherever the person is, so a schedule carries no time zone. Each
//! person's own "today" is decided at the edge, as the daily check-in does;
//! the calendar feed writes floating times (RFC 5545 §3.3.5), which a
//! calendar app shows in its own zone.

use serde::{Deserialize, Serialize};
use time::{Date, Duration, Time, Weekday};

use crate::Invalid;

/// How often a schedule recurs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Repeat {
    /// Every day from the start.
    Daily,
    /// On the chosen weekdays.
    Weekdays,
    /// Every week, on the weekday of the start date.
    Weekly,
    /// On the start date only.
    Once,
}

impl Repeat {
    pub const ALL: [Repeat; 4] = [Self::Daily, Self::Weekdays, Self::Weekly, Self::Once];

    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        match raw.trim() {
            "daily" => Ok(Self::Daily),
            "weekdays" => Ok(Self::Weekdays),
            "weekly" => Ok(Self::Weekly),
            "once" => Ok(Self::Once),
            _ => Err(Invalid::new(
                "repeat",
                "Choose every day, on chosen days of the week, every week, or once.",
            )),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Daily => "daily",
            Self::Weekdays => "weekdays",
            Self::Weekly => "weekly",
            Self::Once => "once",
        }
    }
}

/// A set of weekdays, Monday first. Stored as seven bits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Days(u8);

/// The weekdays in order, with the short names forms, storage and RRULEs use.
pub const WEEK: [(Weekday, &str, &str); 7] = [
    (Weekday::Monday, "mon", "MO"),
    (Weekday::Tuesday, "tue", "TU"),
    (Weekday::Wednesday, "wed", "WE"),
    (Weekday::Thursday, "thu", "TH"),
    (Weekday::Friday, "fri", "FR"),
    (Weekday::Saturday, "sat", "SA"),
    (Weekday::Sunday, "sun", "SU"),
];

impl Days {
    pub fn of(days: impl IntoIterator<Item = Weekday>) -> Self {
        Self(
            days.into_iter()
                .fold(0, |bits, d| bits | 1 << d.number_days_from_monday()),
        )
    }

    pub fn contains(self, day: Weekday) -> bool {
        self.0 & (1 << day.number_days_from_monday()) != 0
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    pub fn iter(self) -> impl Iterator<Item = Weekday> {
        WEEK.into_iter()
            .map(|(d, _, _)| d)
            .filter(move |d| self.contains(*d))
    }

    /// Short names separated by commas, `mon,wed,fri`: the stored form.
    pub fn to_text(self) -> String {
        WEEK.iter()
            .filter(|(d, _, _)| self.contains(*d))
            .map(|(_, s, _)| *s)
            .collect::<Vec<_>>()
            .join(",")
    }

    /// Reads short names (`mon`…`sun`, any case), separated by commas or
    /// given one by one; an unknown name is refused.
    pub fn parse<'a>(names: impl IntoIterator<Item = &'a str>) -> Result<Self, Invalid> {
        let mut days = Vec::new();
        for name in names
            .into_iter()
            .flat_map(|n| n.split(','))
            .map(str::trim)
            .filter(|n| !n.is_empty())
        {
            let lower = name.to_ascii_lowercase();
            let found = WEEK
                .iter()
                .find(|(d, short, _)| {
                    lower == *short || lower == weekday_name(*d).to_ascii_lowercase()
                })
                .ok_or_else(|| {
                    Invalid::new("days", "Choose days of the week from Monday to Sunday.")
                })?;
            days.push(found.0);
        }
        Ok(Self::of(days))
    }
}

/// When something happens: how often, from when, until when, at what time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Schedule {
    pub repeat: Repeat,
    /// Only for [`Repeat::Weekdays`]; never empty there.
    pub days: Days,
    /// The first day it can happen on.
    pub starts: Date,
    /// The last day it can happen on, if it stops.
    pub until: Option<Date>,
    /// The local time of day, if it has one.
    pub at: Option<Time>,
}

/// A schedule as a form or JSON body carries it.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ScheduleFields {
    #[serde(default)]
    pub repeat: String,
    /// Weekday names for `weekdays`: `mon,wed` or one name per field.
    #[serde(default)]
    pub days: Vec<String>,
    /// `YYYY-MM-DD`; empty means today.
    #[serde(default)]
    pub starts: String,
    /// `HH:MM`, 24-hour; empty means no particular time.
    #[serde(default)]
    pub at: String,
}

/// How far ahead a schedule may start: far enough to plan, near enough to mean it.
pub const MAX_DAYS_AHEAD: i64 = 366;

impl Schedule {
    /// Parses the fields, reporting every problem at once. A schedule may
    /// not start in the past (it would make occasions nobody planned for)
    /// nor more than a year ahead. `today` is the person's own today.
    pub fn parse(f: &ScheduleFields, today: Date) -> Result<Self, Vec<Invalid>> {
        let mut errors = Vec::new();
        let repeat = Repeat::parse(&f.repeat).map_err(|e| errors.push(e)).ok();
        let days = Days::parse(f.days.iter().map(String::as_str))
            .map_err(|e| errors.push(e))
            .ok();
        if repeat == Some(Repeat::Weekdays) && days.is_some_and(Days::is_empty) {
            errors.push(Invalid::new("days", "Choose at least one day of the week."));
        }
        let starts = parse_date(&f.starts, today)
            .map_err(|e| errors.push(e))
            .ok();
        let at = parse_time(&f.at).map_err(|e| errors.push(e)).ok();
        match (repeat, days, starts, at) {
            (Some(repeat), Some(days), Some(starts), Some(at)) if errors.is_empty() => Ok(Self {
                repeat,
                days: if repeat == Repeat::Weekdays {
                    days
                } else {
                    Days::default()
                },
                starts,
                until: None,
                at,
            }),
            _ => Err(errors),
        }
    }

    /// Whether this schedule makes an occasion on `day`.
    pub fn produces(&self, day: Date) -> bool {
        if day < self.starts || self.until.is_some_and(|u| day > u) {
            return false;
        }
        match self.repeat {
            Repeat::Daily => true,
            Repeat::Weekdays => self.days.contains(day.weekday()),
            Repeat::Weekly => day.weekday() == self.starts.weekday(),
            Repeat::Once => day == self.starts,
        }
    }

    /// The days it happens on from `from` to `to`, both included, oldest first.
    pub fn occasions(&self, from: Date, to: Date) -> Vec<Date> {
        let from = from.max(self.starts);
        let to = match self.until {
            Some(u) => to.min(u),
            None => to,
        };
        let mut out = Vec::new();
        let mut day = from;
        while day <= to {
            if self.produces(day) {
                out.push(day);
            }
            match day.next_day() {
                Some(next) => day = next,
                None => break,
            }
        }
        out
    }

    /// The same schedule, ending on `last` (never later than it already ends).
    pub fn ending(mut self, last: Date) -> Self {
        self.until = Some(self.until.map_or(last, |u| u.min(last)));
        self
    }

    /// The schedule in plain words: "Every Monday, Wednesday and Friday at 19:00".
    pub fn describe(&self) -> String {
        let mut s = match self.repeat {
            Repeat::Daily => "Every day".to_owned(),
            Repeat::Weekdays if self.days == Days::of(WEEK[..5].iter().map(|d| d.0)) => {
                "Every weekday, Monday to Friday".to_owned()
            }
            Repeat::Weekdays if self.days == Days::of([Weekday::Saturday, Weekday::Sunday]) => {
                "Every Saturday and Sunday".to_owned()
            }
            Repeat::Weekdays => format!(
                "Every {}",
                list(self.days.iter().map(weekday_name).collect())
            ),
            Repeat::Weekly => format!("Every week, on {}", weekday_name(self.starts.weekday())),
            Repeat::Once => format!("Once, on {}", long_date(self.starts)),
        };
        if let Some(at) = self.at {
            s.push_str(&format!(" at {}", clock(at)));
        }
        if self.repeat != Repeat::Once {
            s.push_str(&format!(", from {}", long_date(self.starts)));
            if let Some(u) = self.until {
                s.push_str(&format!(" until {}", long_date(u)));
            }
        }
        s
    }

    /// The recurrence as an RFC 5545 RRULE value (without `RRULE:`), or
    /// `None` when it happens once and DTSTART says it all. UNTIL is a
    /// date, or a floating date-time when there is a time of day, matching
    /// DTSTART's form as §3.3.10 requires.
    pub fn rrule(&self) -> Option<String> {
        let mut rule = match self.repeat {
            Repeat::Once => return None,
            Repeat::Daily => "FREQ=DAILY".to_owned(),
            Repeat::Weekly => format!("FREQ=WEEKLY;BYDAY={}", ical_day(self.starts.weekday())),
            Repeat::Weekdays => format!(
                "FREQ=WEEKLY;BYDAY={}",
                self.days.iter().map(ical_day).collect::<Vec<_>>().join(",")
            ),
        };
        if let Some(u) = self.until {
            rule.push_str(";UNTIL=");
            rule.push_str(&ical_date(u));
            if self.at.is_some() {
                rule.push_str("T235959");
            }
        }
        Some(rule)
    }
}

/// `20261201`: a DATE value in iCalendar.
pub fn ical_date(d: Date) -> String {
    format!("{:04}{:02}{:02}", d.year(), u8::from(d.month()), d.day())
}

/// `HH:MM`, 24-hour.
pub fn clock(t: Time) -> String {
    format!("{:02}:{:02}", t.hour(), t.minute())
}

fn ical_day(d: Weekday) -> &'static str {
    WEEK.iter().find(|w| w.0 == d).map(|w| w.2).unwrap_or("MO")
}

pub fn weekday_name(d: Weekday) -> &'static str {
    match d {
        Weekday::Monday => "Monday",
        Weekday::Tuesday => "Tuesday",
        Weekday::Wednesday => "Wednesday",
        Weekday::Thursday => "Thursday",
        Weekday::Friday => "Friday",
        Weekday::Saturday => "Saturday",
        Weekday::Sunday => "Sunday",
    }
}

/// "Monday 1 December 2026".
pub fn long_date(d: Date) -> String {
    format!(
        "{} {} {} {}",
        weekday_name(d.weekday()),
        d.day(),
        d.month(),
        d.year()
    )
}

fn list(items: Vec<&str>) -> String {
    match items.as_slice() {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

fn parse_date(raw: &str, today: Date) -> Result<Date, Invalid> {
    if raw.trim().is_empty() {
        return Ok(today);
    }
    let f = time::macros::format_description!("[year]-[month]-[day]");
    let day = Date::parse(raw.trim(), f)
        .map_err(|_| Invalid::new("starts", "Give the first day as YYYY-MM-DD."))?;
    if day < today {
        return Err(Invalid::new(
            "starts",
            "A schedule starts today or later; what has passed is not part of it.",
        ));
    }
    if day - today > Duration::days(MAX_DAYS_AHEAD) {
        return Err(Invalid::new(
            "starts",
            "Please choose a first day within the coming year.",
        ));
    }
    Ok(day)
}

fn parse_time(raw: &str) -> Result<Option<Time>, Invalid> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    let f = time::macros::format_description!("[hour]:[minute]");
    // Browsers send `HH:MM`, some with seconds; seconds are not kept.
    let hm = raw.get(..5).filter(|_| raw.len() == 5 || raw.len() == 8);
    hm.and_then(|hm| Time::parse(hm, f).ok())
        .map(Some)
        .ok_or_else(|| Invalid::new("at", "Give the time as HH:MM, for example 19:00."))
}

/// Reads a stored or typed `HH:MM`.
pub fn time_from_text(raw: &str) -> Option<Time> {
    parse_time(raw).ok().flatten()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, time};

    fn fields(repeat: &str, days: &[&str], starts: &str, at: &str) -> ScheduleFields {
        ScheduleFields {
            repeat: repeat.into(),
            days: days.iter().map(|s| s.to_string()).collect(),
            starts: starts.into(),
            at: at.into(),
        }
    }

    // 2026-11-30 is a Monday.
    const TODAY: Date = date!(2026 - 11 - 30);

    #[test]
    fn daily_produces_every_day_from_its_start() {
        let s = Schedule::parse(&fields("daily", &[], "", "19:00"), TODAY).unwrap();
        assert_eq!(s.starts, TODAY);
        assert_eq!(
            s.occasions(date!(2026 - 11 - 01), date!(2026 - 12 - 02))
                .len(),
            3
        );
        assert!(!s.produces(date!(2026 - 11 - 29)));
        assert_eq!(
            s.describe(),
            "Every day at 19:00, from Monday 30 November 2026"
        );
        assert_eq!(s.rrule().as_deref(), Some("FREQ=DAILY"));
    }

    #[test]
    fn weekdays_produce_only_the_chosen_days() {
        let s =
            Schedule::parse(&fields("weekdays", &["mon,wed", "Friday"], "", ""), TODAY).unwrap();
        let two_weeks = s.occasions(TODAY, TODAY + Duration::days(13));
        assert_eq!(two_weeks.len(), 6);
        assert!(two_weeks.iter().all(|d| matches!(
            d.weekday(),
            Weekday::Monday | Weekday::Wednesday | Weekday::Friday
        )));
        assert!(!s.produces(date!(2026 - 12 - 01)), "a Tuesday");
        assert_eq!(
            s.describe(),
            "Every Monday, Wednesday and Friday, from Monday 30 November 2026"
        );
        assert_eq!(s.rrule().as_deref(), Some("FREQ=WEEKLY;BYDAY=MO,WE,FR"));
        let work = Schedule::parse(
            &fields(
                "weekdays",
                &["mon", "tue", "wed", "thu", "fri"],
                "",
                "07:30",
            ),
            TODAY,
        )
        .unwrap();
        assert!(work
            .describe()
            .starts_with("Every weekday, Monday to Friday at 07:30"));
    }

    #[test]
    fn weekly_follows_the_start_weekday_and_once_is_one_day() {
        let s = Schedule::parse(&fields("weekly", &["tue"], "2026-12-06", ""), TODAY).unwrap();
        assert_eq!(
            s.days,
            Days::default(),
            "days only matter for chosen weekdays"
        );
        assert_eq!(
            s.occasions(TODAY, date!(2026 - 12 - 31)),
            [
                date!(2026 - 12 - 06),
                date!(2026 - 12 - 13),
                date!(2026 - 12 - 20),
                date!(2026 - 12 - 27)
            ]
        );
        assert_eq!(s.rrule().as_deref(), Some("FREQ=WEEKLY;BYDAY=SU"));
        assert_eq!(
            s.describe(),
            "Every week, on Sunday, from Sunday 6 December 2026"
        );
        let once = Schedule::parse(&fields("once", &[], "2026-12-24", "18:30"), TODAY).unwrap();
        assert_eq!(
            once.occasions(TODAY, date!(2027 - 12 - 31)),
            [date!(2026 - 12 - 24)]
        );
        assert_eq!(once.rrule(), None);
        assert_eq!(
            once.describe(),
            "Once, on Thursday 24 December 2026 at 18:30"
        );
    }

    #[test]
    fn an_ended_schedule_stops_and_says_so() {
        let s = Schedule::parse(&fields("daily", &[], "", "19:00"), TODAY)
            .unwrap()
            .ending(date!(2026 - 12 - 02));
        assert_eq!(s.occasions(TODAY, date!(2027 - 01 - 31)).len(), 3);
        assert!(!s.produces(date!(2026 - 12 - 03)));
        assert_eq!(
            s.rrule().as_deref(),
            Some("FREQ=DAILY;UNTIL=20261202T235959")
        );
        assert!(s.describe().ends_with("until Wednesday 2 December 2026"));
        // Ending later never lengthens it.
        assert_eq!(
            s.ending(date!(2027 - 01 - 01)).until,
            Some(date!(2026 - 12 - 02))
        );
        let all_day = Schedule::parse(&fields("weekly", &[], "", ""), TODAY)
            .unwrap()
            .ending(TODAY);
        assert_eq!(
            all_day.rrule().as_deref(),
            Some("FREQ=WEEKLY;BYDAY=MO;UNTIL=20261130")
        );
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let e = Schedule::parse(
            &fields("fortnightly", &["someday"], "30/11/2026", "7pm"),
            TODAY,
        )
        .unwrap_err();
        let named: Vec<_> = e.iter().map(|e| e.field).collect();
        assert_eq!(named, ["repeat", "days", "starts", "at"]);
        let e = Schedule::parse(&fields("weekdays", &[], "", ""), TODAY).unwrap_err();
        assert_eq!(e[0].field, "days");
        assert!(
            Schedule::parse(&fields("daily", &[], "2026-11-29", ""), TODAY).is_err(),
            "not in the past"
        );
        assert!(
            Schedule::parse(&fields("daily", &[], "2028-01-01", ""), TODAY).is_err(),
            "not years ahead"
        );
        assert!(Schedule::parse(&fields("daily", &[], "", "25:00"), TODAY).is_err());
        assert_eq!(
            Schedule::parse(&fields("daily", &[], "", "07:05:00"), TODAY)
                .unwrap()
                .at,
            Some(time!(07:05))
        );
    }

    #[test]
    fn days_round_trip_through_text() {
        let d = Days::parse(["sun", "MON", "wed"]).unwrap();
        assert_eq!(d.to_text(), "mon,wed,sun");
        assert_eq!(Days::parse([d.to_text().as_str()]).unwrap(), d);
        assert!(Days::parse(["mondayish"]).is_err());
        assert!(Days::parse(["monday", "Tuesday"]).is_ok());
    }

    #[test]
    fn occasions_over_a_long_range_stay_exact() {
        let s = Schedule::parse(&fields("weekdays", &["sat"], "", ""), TODAY).unwrap();
        // 2027 has 52 Saturdays; the schedule produces each once.
        assert_eq!(
            s.occasions(date!(2027 - 01 - 01), date!(2027 - 12 - 31))
                .len(),
            52
        );
        assert!(s
            .occasions(date!(2027 - 01 - 01), date!(2026 - 01 - 01))
            .is_empty());
    }
}
