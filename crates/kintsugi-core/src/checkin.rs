//! The daily check-in (stage 13): trust as a choice made again each day.
//!
//! Each partner rates, from 0 to 10, how much they trust, how safe they feel
//! and how connected, and names one small act of kindness, honesty or effort.
//! One check-in a person a day: checking in again the same day amends it,
//! and the earlier version is kept.

use serde::{Deserialize, Serialize};
use time::{Date, Duration};

use crate::couple::Visibility;
use crate::{text, Invalid};

/// A rating from 0 to 10. The only way to get one is to parse it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct Rating(u8);

impl Rating {
    pub const MAX: u8 = 10;

    pub fn new(value: i64) -> Option<Self> {
        u8::try_from(value)
            .ok()
            .filter(|v| *v <= Self::MAX)
            .map(Self)
    }

    pub fn parse(field: &'static str, raw: &str) -> Result<Self, Invalid> {
        raw.trim()
            .parse::<i64>()
            .ok()
            .and_then(Self::new)
            .ok_or_else(|| Invalid::new(field, "Choose a whole number from 0 to 10."))
    }

    pub fn get(self) -> u8 {
        self.0
    }
}

/// The small act a partner names each day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActKind {
    Kindness,
    Honesty,
    Effort,
}

impl ActKind {
    pub const ALL: [ActKind; 3] = [Self::Kindness, Self::Honesty, Self::Effort];

    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        match raw {
            "kindness" => Ok(Self::Kindness),
            "honesty" => Ok(Self::Honesty),
            "effort" => Ok(Self::Effort),
            _ => Err(Invalid::new(
                "act_kind",
                "Choose kindness, honesty or effort.",
            )),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Kindness => "kindness",
            Self::Honesty => "honesty",
            Self::Effort => "effort",
        }
    }
}

pub const ACT_MAX_CHARS: usize = 280;
pub const NOTE_MAX_CHARS: usize = 2000;

/// A check-in as typed, before it is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckInDraft {
    pub day: Date,
    pub trust: Rating,
    pub safety: Rating,
    pub connection: Rating,
    pub act_kind: ActKind,
    pub act: String,
    pub note: Option<String>,
    pub visibility: Visibility,
}

/// The raw fields of a check-in, as a form or JSON body carries them.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct CheckInFields {
    #[serde(default)]
    pub day: String,
    #[serde(default)]
    pub trust: String,
    #[serde(default)]
    pub safety: String,
    #[serde(default)]
    pub connection: String,
    #[serde(default)]
    pub act_kind: String,
    #[serde(default)]
    pub act: String,
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub visibility: String,
}

impl CheckInDraft {
    /// Parses the fields, reporting every problem at once so a form can mark
    /// them all. `today` is the server's date; a person's own "today" may be
    /// a day either side of it, wherever in the world they are.
    pub fn parse(fields: &CheckInFields, today: Date) -> Result<Self, Vec<Invalid>> {
        let mut errors = Vec::new();
        let day = keep(&mut errors, parse_day(&fields.day, today));
        let trust = keep(&mut errors, Rating::parse("trust", &fields.trust));
        let safety = keep(&mut errors, Rating::parse("safety", &fields.safety));
        let connection = keep(&mut errors, Rating::parse("connection", &fields.connection));
        let act_kind = keep(&mut errors, ActKind::parse(&fields.act_kind));
        let act = keep(
            &mut errors,
            text::required("act", &fields.act, ACT_MAX_CHARS),
        );
        let note = keep(
            &mut errors,
            text::optional("note", &fields.note, NOTE_MAX_CHARS),
        );
        let visibility = keep(&mut errors, Visibility::parse(&fields.visibility));

        match (
            day, trust, safety, connection, act_kind, act, note, visibility,
        ) {
            (
                Some(day),
                Some(trust),
                Some(safety),
                Some(connection),
                Some(act_kind),
                Some(act),
                Some(note),
                Some(visibility),
            ) => Ok(Self {
                day,
                trust,
                safety,
                connection,
                act_kind,
                act,
                note,
                visibility,
            }),
            _ => Err(errors),
        }
    }
}

/// Keeps a parsed value, or the reason it was not accepted.
pub fn keep<T>(errors: &mut Vec<Invalid>, r: Result<T, Invalid>) -> Option<T> {
    r.map_err(|e| errors.push(e)).ok()
}

fn parse_day(raw: &str, today: Date) -> Result<Date, Invalid> {
    if raw.trim().is_empty() {
        return Ok(today);
    }
    let format = time::macros::format_description!("[year]-[month]-[day]");
    let day = Date::parse(raw.trim(), format)
        .map_err(|_| Invalid::new("day", "Give the date as YYYY-MM-DD."))?;
    if (day - today).abs() > Duration::days(1) {
        return Err(Invalid::new(
            "day",
            "A check-in is for today; it cannot be back-dated or made ahead.",
        ));
    }
    Ok(day)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn fields() -> CheckInFields {
        CheckInFields {
            day: String::new(),
            trust: "4".into(),
            safety: "7".into(),
            connection: "10".into(),
            act_kind: "honesty".into(),
            act: "Told you about the message from work".into(),
            note: String::new(),
            visibility: "shared".into(),
        }
    }

    #[test]
    fn ratings_are_zero_to_ten() {
        assert!(Rating::new(0).is_some());
        assert!(Rating::new(10).is_some());
        assert!(Rating::new(11).is_none());
        assert!(Rating::new(-1).is_none());
        assert!(Rating::parse("trust", "7.5").is_err());
        assert!(Rating::parse("trust", "").is_err());
    }

    #[test]
    fn a_full_draft_parses_with_today_as_default() {
        let today = date!(2026 - 11 - 25);
        let d = CheckInDraft::parse(&fields(), today).unwrap();
        assert_eq!(d.day, today);
        assert_eq!(d.connection.get(), 10);
        assert_eq!(d.visibility, Visibility::Shared);
        assert_eq!(d.note, None);
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let mut f = fields();
        f.trust = "11".into();
        f.safety = "-1".into();
        f.act = "   ".into();
        f.act_kind = "bribery".into();
        let errors = CheckInDraft::parse(&f, date!(2026 - 11 - 25)).unwrap_err();
        let named: Vec<_> = errors.iter().map(|e| e.field).collect();
        assert_eq!(named, ["trust", "safety", "act_kind", "act"]);
    }

    #[test]
    fn the_day_stays_near_today() {
        let today = date!(2026 - 11 - 25);
        let mut f = fields();
        f.day = "2026-11-24".into();
        assert!(CheckInDraft::parse(&f, today).is_ok());
        f.day = "2026-11-20".into();
        assert_eq!(CheckInDraft::parse(&f, today).unwrap_err()[0].field, "day");
        f.day = "25/11/2026".into();
        assert!(CheckInDraft::parse(&f, today).is_err());
    }
}
