//! Stage 11, growing together: shared goals with small next steps, rituals
//! the couple chooses, appreciations, and a book of good moments.
//!
//! Repair is also what two people build next. Everything here is shared by
//! nature — it is the couple's, written by either partner — so the rules
//! are about shape, not about who may see what: a goal is a short line, a
//! step a small thing either can tick off, a ritual a moment that comes
//! back on chosen days at a chosen time.
//!
//! A ritual's [`Recurrence`] is its own small type with two faces: a plain
//! sentence for people ([`Recurrence::describe`]) and an RFC 5545 `RRULE`
//! for calendars ([`Recurrence::rrule`]), so the same ritual can be shown on
//! a page and added to an iCalendar feed. Rituals are gentle reminders, not
//! obligations: nothing here counts days kept or missed.

use std::fmt;

use time::{Date, Weekday};

use crate::{text, Invalid};

pub const GOAL_MAX_CHARS: usize = 200;
pub const STEP_MAX_CHARS: usize = 200;
pub const RITUAL_NAME_MAX_CHARS: usize = 120;
pub const RITUAL_NOTE_MAX_CHARS: usize = 500;
pub const APPRECIATION_MAX_CHARS: usize = 1000;
pub const MOMENT_MAX_CHARS: usize = 2000;

/// A shared goal's title: "More evenings just for us".
pub fn parse_goal(raw: &str) -> Result<String, Invalid> {
    one_line("title", raw, GOAL_MAX_CHARS)
}

/// A small next step towards a goal: "Book the Thursday babysitter".
pub fn parse_step(raw: &str) -> Result<String, Invalid> {
    one_line("text", raw, STEP_MAX_CHARS)
}

/// A note of thanks or admiration for the partner.
pub fn parse_appreciation(raw: &str) -> Result<String, Invalid> {
    text::required("text", raw, APPRECIATION_MAX_CHARS)
}

/// Required text on one line: titles and steps are read at a glance.
fn one_line(field: &'static str, raw: &str, max: usize) -> Result<String, Invalid> {
    let t = text::required(field, raw, max)?;
    if t.contains('\n') {
        return Err(Invalid::new(field, "Please keep this to one line."));
    }
    Ok(t)
}

/// A good moment worth remembering: the day it happened and a few words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Moment {
    pub day: Date,
    pub text: String,
}

/// Reads a moment from a form or JSON. The day may be any day up to
/// `today` — or the day after, since a person east of the server's clock
/// lives a day ahead — and defaults to `today` when left empty.
pub fn parse_moment(day: &str, raw_text: &str, today: Date) -> Result<Moment, Vec<Invalid>> {
    let mut errors = Vec::new();
    let day = match day.trim() {
        "" => Some(today),
        d => match Date::parse(d, time::macros::format_description!("[year]-[month]-[day]")) {
            Ok(d) if d > today.next_day().unwrap_or(today) => {
                errors.push(Invalid::new(
                    "day",
                    "A good moment is one that has already happened: choose today or an earlier day.",
                ));
                None
            }
            Ok(d) if d.year() < 1900 => {
                errors.push(Invalid::new("day", "Please choose a day after 1900."));
                None
            }
            Ok(d) => Some(d),
            Err(_) => {
                errors.push(Invalid::new(
                    "day",
                    "Please give the day as year-month-day, for example 2026-05-09.",
                ));
                None
            }
        },
    };
    let text = text::required("text", raw_text, MOMENT_MAX_CHARS)
        .map_err(|e| errors.push(e))
        .ok();
    match (day, text) {
        (Some(day), Some(text)) if errors.is_empty() => Ok(Moment { day, text }),
        _ => Err(errors),
    }
}

/// A time of day, to the minute, in the couple's own clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct TimeOfDay {
    hour: u8,
    minute: u8,
}

impl TimeOfDay {
    pub fn new(hour: u8, minute: u8) -> Option<Self> {
        (hour < 24 && minute < 60).then_some(Self { hour, minute })
    }

    pub fn hour(self) -> u8 {
        self.hour
    }

    pub fn minute(self) -> u8 {
        self.minute
    }

    /// Reads `19:30` (or `7:05`, as some phones send it).
    pub fn parse(raw: &str) -> Option<Self> {
        let (h, m) = raw.trim().split_once(':')?;
        // Seconds, when a browser adds them, must be zero: a ritual is to the minute.
        let (m, s) = m.split_once(':').unwrap_or((m, "00"));
        if s != "00" || h.is_empty() || h.len() > 2 || m.len() != 2 {
            return None;
        }
        let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if !digits(h) || !digits(m) {
            return None;
        }
        Self::new(h.parse().ok()?, m.parse().ok()?)
    }
}

impl fmt::Display for TimeOfDay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}", self.hour, self.minute)
    }
}

/// The days of the week in calendar order, Monday first, with the two
/// letters RFC 5545 uses and a name for people.
pub const WEEKDAYS: [(Weekday, &str, &str); 7] = [
    (Weekday::Monday, "mo", "Monday"),
    (Weekday::Tuesday, "tu", "Tuesday"),
    (Weekday::Wednesday, "we", "Wednesday"),
    (Weekday::Thursday, "th", "Thursday"),
    (Weekday::Friday, "fr", "Friday"),
    (Weekday::Saturday, "sa", "Saturday"),
    (Weekday::Sunday, "su", "Sunday"),
];

fn code(day: Weekday) -> &'static str {
    WEEKDAYS.iter().find(|w| w.0 == day).map_or("mo", |w| w.1)
}

fn name(day: Weekday) -> &'static str {
    WEEKDAYS
        .iter()
        .find(|w| w.0 == day)
        .map_or("Monday", |w| w.2)
}

fn weekday_of(code: &str) -> Option<Weekday> {
    let code = code.trim().to_ascii_lowercase();
    WEEKDAYS
        .iter()
        .find(|w| w.1 == code || w.2.eq_ignore_ascii_case(&code))
        .map(|w| w.0)
}

/// Which days a ritual comes back on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Days {
    Daily,
    /// Chosen days of the week, in calendar order, at least one, no repeats.
    Chosen(Vec<Weekday>),
    /// Once a week, on this day.
    Weekly(Weekday),
}

/// When a ritual comes back: which days, and at what time of day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recurrence {
    pub days: Days,
    pub at: TimeOfDay,
}

impl Recurrence {
    /// Whether the ritual falls on `day`.
    pub fn occurs_on(&self, day: Date) -> bool {
        match &self.days {
            Days::Daily => true,
            Days::Chosen(days) => days.contains(&day.weekday()),
            Days::Weekly(d) => *d == day.weekday(),
        }
    }

    /// In plain words: "Every day at 07:30", "On Mondays and Thursdays at
    /// 19:00", "Every Sunday at 18:00".
    pub fn describe(&self) -> String {
        let days = match &self.days {
            Days::Daily => "Every day".to_owned(),
            Days::Weekly(d) => format!("Every {}", name(*d)),
            Days::Chosen(days) if days.len() == 7 => "Every day".to_owned(),
            Days::Chosen(days)
                if *days
                    == [
                        Weekday::Monday,
                        Weekday::Tuesday,
                        Weekday::Wednesday,
                        Weekday::Thursday,
                        Weekday::Friday,
                    ] =>
            {
                "On weekdays".to_owned()
            }
            Days::Chosen(days) if *days == [Weekday::Saturday, Weekday::Sunday] => {
                "At weekends".to_owned()
            }
            Days::Chosen(days) => {
                let names: Vec<String> = days.iter().map(|d| format!("{}s", name(*d))).collect();
                match names.split_last() {
                    Some((last, [])) => format!("On {last}"),
                    Some((last, rest)) => format!("On {} and {last}", rest.join(", ")),
                    None => "On no day".to_owned(),
                }
            }
        };
        format!("{days} at {}", self.at)
    }

    /// The RFC 5545 recurrence rule, for a calendar: `FREQ=DAILY;BYHOUR=7;
    /// BYMINUTE=30` or `FREQ=WEEKLY;BYDAY=MO,TH;BYHOUR=19;BYMINUTE=0`. A
    /// feed pairs it with a `DTSTART` on the first day the ritual falls on.
    pub fn rrule(&self) -> String {
        let time = format!("BYHOUR={};BYMINUTE={}", self.at.hour, self.at.minute);
        match &self.days {
            Days::Daily => format!("FREQ=DAILY;{time}"),
            Days::Weekly(d) => format!("FREQ=WEEKLY;BYDAY={};{time}", code(*d).to_uppercase()),
            Days::Chosen(days) => {
                let by: Vec<String> = days.iter().map(|d| code(*d).to_uppercase()).collect();
                format!("FREQ=WEEKLY;BYDAY={};{time}", by.join(","))
            }
        }
    }

    /// How the days are stored: `daily`, `weekly:su`, `days:mo,th`.
    pub fn days_code(&self) -> String {
        match &self.days {
            Days::Daily => "daily".to_owned(),
            Days::Weekly(d) => format!("weekly:{}", code(*d)),
            Days::Chosen(days) => format!(
                "days:{}",
                days.iter().map(|d| code(*d)).collect::<Vec<_>>().join(",")
            ),
        }
    }

    /// The inverse of [`Recurrence::days_code`] and the time's `Display`.
    pub fn from_codes(days: &str, at: &str) -> Option<Self> {
        let at = TimeOfDay::parse(at)?;
        let days = match days.split_once(':') {
            None if days == "daily" => Days::Daily,
            Some(("weekly", d)) => Days::Weekly(weekday_of(d)?),
            Some(("days", list)) => Days::Chosen(chosen(list.split(','))?),
            _ => return None,
        };
        Some(Self { days, at })
    }
}

/// Chosen weekdays in calendar order without repeats; `None` when one is
/// not a weekday or none is chosen.
fn chosen<'a>(codes: impl Iterator<Item = &'a str>) -> Option<Vec<Weekday>> {
    let mut days = Vec::new();
    for c in codes.filter(|c| !c.trim().is_empty()) {
        let d = weekday_of(c)?;
        if !days.contains(&d) {
            days.push(d);
        }
    }
    days.sort_by_key(|d| d.number_days_from_monday());
    (!days.is_empty()).then_some(days)
}

/// A ritual as the couple chose it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ritual {
    pub name: String,
    pub recurrence: Recurrence,
    pub note: Option<String>,
}

/// What a ritual form or JSON body holds, as typed.
#[derive(Debug, Default)]
pub struct RitualDraft<'a> {
    pub name: &'a str,
    /// `daily`, `days` or `weekly`.
    pub repeats: &'a str,
    /// For `days`: the chosen days (`mo`, `tu`… or their names).
    pub days: &'a [String],
    /// For `weekly`: the day.
    pub weekday: &'a str,
    /// `19:30`.
    pub time: &'a str,
    pub note: &'a str,
}

pub fn parse_ritual(d: &RitualDraft<'_>) -> Result<Ritual, Vec<Invalid>> {
    let mut errors = Vec::new();
    let name = one_line("name", d.name, RITUAL_NAME_MAX_CHARS)
        .map_err(|e| errors.push(e))
        .ok();
    let note = text::optional("note", d.note, RITUAL_NOTE_MAX_CHARS)
        .map_err(|e| errors.push(e))
        .ok()
        .flatten();
    let at = match TimeOfDay::parse(d.time) {
        Some(t) => Some(t),
        None if d.time.trim().is_empty() => {
            errors.push(Invalid::new(
                "time",
                "Please choose a time of day, such as 19:30.",
            ));
            None
        }
        None => {
            errors.push(Invalid::new(
                "time",
                "Please give the time as hours and minutes, such as 07:30 or 19:00.",
            ));
            None
        }
    };
    let days = match d.repeats.trim() {
        "daily" | "" => Some(Days::Daily),
        "days" => match chosen(d.days.iter().map(String::as_str)) {
            Some(days) => Some(Days::Chosen(days)),
            None if d.days.iter().all(|s| s.trim().is_empty()) => {
                errors.push(Invalid::new(
                    "days",
                    "Please choose at least one day of the week.",
                ));
                None
            }
            None => {
                errors.push(Invalid::new(
                    "days",
                    "Please choose days of the week from Monday to Sunday.",
                ));
                None
            }
        },
        "weekly" => match weekday_of(d.weekday) {
            Some(day) => Some(Days::Weekly(day)),
            None => {
                errors.push(Invalid::new(
                    "weekday",
                    "Please choose the day of the week.",
                ));
                None
            }
        },
        _ => {
            errors.push(Invalid::new(
                "repeats",
                "Please choose every day, chosen days, or once a week.",
            ));
            None
        }
    };
    match (name, days, at) {
        (Some(name), Some(days), Some(at)) if errors.is_empty() => Ok(Ritual {
            name,
            recurrence: Recurrence { days, at },
            note,
        }),
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn ritual(
        repeats: &str,
        days: &[&str],
        weekday: &str,
        time: &str,
    ) -> Result<Ritual, Vec<Invalid>> {
        let days: Vec<String> = days.iter().map(|s| s.to_string()).collect();
        parse_ritual(&RitualDraft {
            name: "A walk together",
            repeats,
            days: &days,
            weekday,
            time,
            note: "",
        })
    }

    #[test]
    fn a_daily_ritual_in_words_and_as_a_rule() {
        let r = ritual("daily", &[], "", "07:30").unwrap().recurrence;
        assert_eq!(r.describe(), "Every day at 07:30");
        assert_eq!(r.rrule(), "FREQ=DAILY;BYHOUR=7;BYMINUTE=30");
        assert!(r.occurs_on(date!(2026 - 11 - 30)));
    }

    #[test]
    fn chosen_days_are_kept_in_calendar_order_without_repeats() {
        let r = ritual("days", &["th", "mo", "Thursday", ""], "", "19:00")
            .unwrap()
            .recurrence;
        assert_eq!(
            r.days,
            Days::Chosen(vec![Weekday::Monday, Weekday::Thursday])
        );
        assert_eq!(r.describe(), "On Mondays and Thursdays at 19:00");
        assert_eq!(r.rrule(), "FREQ=WEEKLY;BYDAY=MO,TH;BYHOUR=19;BYMINUTE=0");
        // 30 November 2026 is a Monday.
        assert!(r.occurs_on(date!(2026 - 11 - 30)));
        assert!(!r.occurs_on(date!(2026 - 12 - 01)));
        assert!(r.occurs_on(date!(2026 - 12 - 03)));
        let three = ritual("days", &["mo", "we", "fr"], "", "08:00")
            .unwrap()
            .recurrence;
        assert_eq!(
            three.describe(),
            "On Mondays, Wednesdays and Fridays at 08:00"
        );
        let weekdays = ritual("days", &["mo", "tu", "we", "th", "fr"], "", "08:00").unwrap();
        assert_eq!(weekdays.recurrence.describe(), "On weekdays at 08:00");
        let weekend = ritual("days", &["su", "sa"], "", "10:00").unwrap();
        assert_eq!(weekend.recurrence.describe(), "At weekends at 10:00");
    }

    #[test]
    fn a_weekly_ritual_falls_on_its_day_only() {
        let r = ritual("weekly", &[], "su", "18:00").unwrap().recurrence;
        assert_eq!(r.describe(), "Every Sunday at 18:00");
        assert_eq!(r.rrule(), "FREQ=WEEKLY;BYDAY=SU;BYHOUR=18;BYMINUTE=0");
        assert!(r.occurs_on(date!(2026 - 11 - 29)));
        assert!(!r.occurs_on(date!(2026 - 11 - 30)));
    }

    #[test]
    fn stored_codes_round_trip() {
        for r in [
            ritual("daily", &[], "", "00:00").unwrap().recurrence,
            ritual("days", &["sa", "tu"], "", "23:59")
                .unwrap()
                .recurrence,
            ritual("weekly", &[], "friday", "12:05").unwrap().recurrence,
        ] {
            assert_eq!(
                Recurrence::from_codes(&r.days_code(), &r.at.to_string()),
                Some(r)
            );
        }
        assert_eq!(Recurrence::from_codes("days:", "10:00"), None);
        assert_eq!(Recurrence::from_codes("hourly", "10:00"), None);
        assert_eq!(Recurrence::from_codes("daily", "25:00"), None);
    }

    #[test]
    fn times_are_read_to_the_minute() {
        assert_eq!(TimeOfDay::parse("7:05"), TimeOfDay::new(7, 5));
        assert_eq!(TimeOfDay::parse("19:30:00"), TimeOfDay::new(19, 30));
        for bad in [
            "",
            "24:00",
            "12:60",
            "12",
            "1:2",
            "-1:00",
            "12:30:15",
            "١٢:٣٠",
            "12 :30",
        ] {
            assert_eq!(TimeOfDay::parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn a_ritual_says_what_is_missing() {
        let fields = |r: Result<Ritual, Vec<Invalid>>| -> Vec<&'static str> {
            r.unwrap_err().iter().map(|e| e.field).collect()
        };
        assert_eq!(fields(ritual("days", &[], "", "10:00")), ["days"]);
        assert_eq!(fields(ritual("days", &["xx"], "", "10:00")), ["days"]);
        assert_eq!(
            fields(ritual("weekly", &[], "someday", "10:00")),
            ["weekday"]
        );
        assert_eq!(fields(ritual("hourly", &[], "", "")), ["time", "repeats"]);
        let long = "x".repeat(RITUAL_NAME_MAX_CHARS + 1);
        let r = parse_ritual(&RitualDraft {
            name: &long,
            time: "10:00",
            ..Default::default()
        });
        assert_eq!(fields(r), ["name"]);
        let r = parse_ritual(&RitualDraft {
            name: "Two\nlines",
            time: "10:00",
            ..Default::default()
        });
        assert_eq!(fields(r), ["name"]);
    }

    #[test]
    fn a_good_moment_has_happened_already() {
        let today = date!(2026 - 11 - 30);
        assert_eq!(
            parse_moment("", "Dancing in the kitchen", today)
                .unwrap()
                .day,
            today
        );
        assert_eq!(
            parse_moment("2026-12-01", "Late, east of here", today)
                .unwrap()
                .day,
            date!(2026 - 12 - 01)
        );
        assert_eq!(
            parse_moment("2026-12-02", "x", today).unwrap_err()[0].field,
            "day"
        );
        assert_eq!(
            parse_moment("30/11/2026", "x", today).unwrap_err()[0].field,
            "day"
        );
        assert_eq!(
            parse_moment("1850-01-01", "x", today).unwrap_err()[0].field,
            "day"
        );
        let both = parse_moment("nope", "  ", today).unwrap_err();
        assert_eq!(
            both.iter().map(|e| e.field).collect::<Vec<_>>(),
            ["day", "text"]
        );
    }

    #[test]
    fn goals_and_steps_are_one_short_line() {
        assert_eq!(
            parse_goal("  More evenings for us ").unwrap(),
            "More evenings for us"
        );
        assert!(parse_goal("").is_err());
        assert!(parse_step("one\ntwo").is_err());
        assert!(parse_step(&"é".repeat(STEP_MAX_CHARS)).is_ok());
        assert!(parse_step(&"é".repeat(STEP_MAX_CHARS + 1)).is_err());
        assert!(parse_appreciation("Thank you\nfor the tea.").is_ok());
        assert_eq!(parse_appreciation("a\u{7}b").unwrap_err().field, "text");
    }
}
