//! Stage 7, time to heal: the road the couple has walked, week by week.
//!
//! The timeline keeps nothing of its own. The edges gather what one partner
//! may see — shared records, and their own check-ins beside the partner's
//! shared ones — and this module puts it in order. It counts what happened
//! and never measures it against a target: no deadline, no score, no streak.

use serde::Serialize;
use time::{Date, Duration, OffsetDateTime};

use crate::trend::{DayRatings, Measure};
use crate::UserId;

/// Something that happened between the two of them, as the timeline tells it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Happening {
    /// A reflection answer shared with the partner (stage 1).
    ReflectionShared,
    /// A conversation proposed (stage 3).
    ConversationBegun { topic: String },
    /// A conversation closed, with or without a closing note.
    ConversationClosed { topic: String },
    /// A statement of responsibility or an apology shared (stages 4–5).
    StatementShared {
        statement: StatementKind,
        version: i64,
    },
    /// A new version of the agreement, both having consented (stage 6).
    AgreementVersion { version: i64, summary: String },
    /// An occasion of a commitment marked kept or missed (stage 8).
    CommitmentMarked { commitment: String, kept: bool },
    /// A disclosure added to the transparency log (stage 9).
    Disclosure { category: String, correction: bool },
    /// A step towards a shared goal ticked off (stage 11).
    StepTaken { goal: String, step: String },
    /// A good moment added to the memory book (stage 11).
    GoodMoment { text: String },
    /// An appreciation sent (stage 11).
    Appreciation,
    /// An incident laid to rest, both being ready (stage 12).
    LaidToRest { incident: String },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StatementKind {
    Responsibility,
    Apology,
}

impl Happening {
    /// The stage of the program it belongs to.
    pub fn stage(&self) -> u8 {
        match self {
            Self::ReflectionShared => 1,
            Self::ConversationBegun { .. } | Self::ConversationClosed { .. } => 3,
            Self::StatementShared {
                statement: StatementKind::Responsibility,
                ..
            } => 4,
            Self::StatementShared { .. } => 5,
            Self::AgreementVersion { .. } => 6,
            Self::CommitmentMarked { .. } => 8,
            Self::Disclosure { .. } => 9,
            Self::StepTaken { .. } | Self::GoodMoment { .. } | Self::Appreciation => 11,
            Self::LaidToRest { .. } => 12,
        }
    }
}

/// One happening, when (Unix seconds) and by whom (`None`: by both of them,
/// or by someone who has since left).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub at: i64,
    pub by: Option<UserId>,
    pub what: Happening,
}

/// A week's check-ins of one person: how many days, and the mean of each
/// rating over those days.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct WeekRatings {
    pub days: u32,
    pub trust: f64,
    pub safety: f64,
    pub connection: f64,
}

impl WeekRatings {
    pub fn get(&self, m: Measure) -> f64 {
        match m {
            Measure::Trust => self.trust,
            Measure::Safety => self.safety,
            Measure::Connection => self.connection,
        }
    }

    fn of(days: &[DayRatings]) -> Option<Self> {
        if days.is_empty() {
            return None;
        }
        let n = days.len() as f64;
        let mean = |m: Measure| days.iter().map(|d| f64::from(d.get(m))).sum::<f64>() / n;
        Some(Self {
            days: days.len() as u32,
            trust: mean(Measure::Trust),
            safety: mean(Measure::Safety),
            connection: mean(Measure::Connection),
        })
    }
}

/// One week of the road, Monday to Sunday (UTC).
#[derive(Debug, Clone, PartialEq)]
pub struct Week {
    pub monday: Date,
    /// Oldest first.
    pub events: Vec<Event>,
    /// The viewer's own check-ins that week.
    pub mine: Option<WeekRatings>,
    /// The partner's shared check-ins that week.
    pub partner: Option<WeekRatings>,
}

/// The Monday on or before `day`.
pub fn monday_of(day: Date) -> Date {
    day - Duration::days(i64::from(day.weekday().number_days_from_monday()))
}

fn day_of(unix: i64) -> Date {
    OffsetDateTime::from_unix_timestamp(unix)
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
        .date()
}

/// Puts events and check-ins into weeks, newest week first. Only weeks in
/// which something happened appear: a quiet week is not a gap to explain.
pub fn by_week(mut events: Vec<Event>, mine: &[DayRatings], partner: &[DayRatings]) -> Vec<Week> {
    events.sort_by_key(|e| e.at);
    let mut mondays: Vec<Date> = events
        .iter()
        .map(|e| monday_of(day_of(e.at)))
        .chain(mine.iter().chain(partner).map(|d| monday_of(d.day)))
        .collect();
    mondays.sort_unstable();
    mondays.dedup();

    let ratings = |days: &[DayRatings], monday: Date| {
        let week: Vec<DayRatings> = days
            .iter()
            .filter(|d| monday_of(d.day) == monday)
            .copied()
            .collect();
        WeekRatings::of(&week)
    };
    let mut weeks: Vec<Week> = mondays
        .into_iter()
        .map(|monday| Week {
            monday,
            events: Vec::new(),
            mine: ratings(mine, monday),
            partner: ratings(partner, monday),
        })
        .collect();
    for event in events {
        let monday = monday_of(day_of(event.at));
        if let Ok(i) = weeks.binary_search_by_key(&monday, |w| w.monday) {
            weeks[i].events.push(event);
        }
    }
    weeks.reverse();
    weeks
}

/// How much has happened so far, stage by stage: what a couple can look back
/// on. Counts only; there is nothing to reach.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Totals {
    pub conversations_closed: usize,
    pub agreement_versions: usize,
    pub occasions_kept: usize,
    pub disclosures: usize,
    pub good_moments: usize,
    pub laid_to_rest: usize,
    /// The day of the first shared happening, if there has been one.
    pub since: Option<Date>,
}

pub fn totals(weeks: &[Week]) -> Totals {
    let mut t = Totals::default();
    for e in weeks.iter().flat_map(|w| &w.events) {
        match &e.what {
            Happening::ConversationClosed { .. } => t.conversations_closed += 1,
            Happening::AgreementVersion { .. } => t.agreement_versions += 1,
            Happening::CommitmentMarked { kept: true, .. } => t.occasions_kept += 1,
            Happening::Disclosure { .. } => t.disclosures += 1,
            Happening::GoodMoment { .. } => t.good_moments += 1,
            Happening::LaidToRest { .. } => t.laid_to_rest += 1,
            _ => {}
        }
    }
    t.since = weeks
        .iter()
        .flat_map(|w| &w.events)
        .map(|e| day_of(e.at))
        .min();
    t
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    fn at(dt: OffsetDateTime) -> i64 {
        dt.unix_timestamp()
    }

    fn rated(day: Date, v: u8) -> DayRatings {
        DayRatings {
            day,
            trust: v,
            safety: v,
            connection: v,
        }
    }

    #[test]
    fn mondays_start_the_week() {
        assert_eq!(monday_of(date!(2026 - 11 - 30)), date!(2026 - 11 - 30));
        assert_eq!(monday_of(date!(2026 - 12 - 06)), date!(2026 - 11 - 30));
        assert_eq!(monday_of(date!(2026 - 11 - 29)), date!(2026 - 11 - 23));
        // Across a year's end.
        assert_eq!(monday_of(date!(2027 - 01 - 01)), date!(2026 - 12 - 28));
    }

    #[test]
    fn events_and_check_ins_fall_into_their_weeks_newest_first() {
        let events = vec![
            Event {
                at: at(datetime!(2026-11-25 09:00 UTC)),
                by: Some(UserId(1)),
                what: Happening::Disclosure {
                    category: "whereabouts".into(),
                    correction: false,
                },
            },
            Event {
                at: at(datetime!(2026-11-10 20:00 UTC)),
                by: None,
                what: Happening::AgreementVersion {
                    version: 1,
                    summary: "Two boundaries".into(),
                },
            },
            Event {
                at: at(datetime!(2026-11-23 00:00 UTC)),
                by: Some(UserId(2)),
                what: Happening::ConversationClosed {
                    topic: "the trip".into(),
                },
            },
        ];
        let mine = [
            rated(date!(2026 - 11 - 24), 4),
            rated(date!(2026 - 11 - 26), 6),
        ];
        let partner = [rated(date!(2026 - 11 - 17), 3)];
        let weeks = by_week(events, &mine, &partner);
        let mondays: Vec<Date> = weeks.iter().map(|w| w.monday).collect();
        assert_eq!(
            mondays,
            [
                date!(2026 - 11 - 23),
                date!(2026 - 11 - 16),
                date!(2026 - 11 - 09)
            ]
        );
        // Within a week, oldest first.
        assert_eq!(weeks[0].events.len(), 2);
        assert!(matches!(
            weeks[0].events[0].what,
            Happening::ConversationClosed { .. }
        ));
        assert_eq!(weeks[0].mine.unwrap().days, 2);
        assert_eq!(weeks[0].mine.unwrap().trust, 5.0);
        assert!(weeks[0].partner.is_none());
        // A week with only the partner's check-in is still a week of the road.
        assert!(weeks[1].events.is_empty());
        assert_eq!(weeks[1].partner.unwrap().connection, 3.0);
        assert!(weeks[1].mine.is_none());
        assert_eq!(weeks[2].events.len(), 1);
    }

    #[test]
    fn nothing_yet_is_an_empty_road() {
        assert!(by_week(Vec::new(), &[], &[]).is_empty());
        assert_eq!(totals(&[]), Totals::default());
    }

    #[test]
    fn totals_count_what_happened_and_since_when() {
        let e = |day: OffsetDateTime, what| Event {
            at: at(day),
            by: None,
            what,
        };
        let weeks = by_week(
            vec![
                e(
                    datetime!(2026-10-02 12:00 UTC),
                    Happening::CommitmentMarked {
                        commitment: "call at noon".into(),
                        kept: true,
                    },
                ),
                e(
                    datetime!(2026-10-03 12:00 UTC),
                    Happening::CommitmentMarked {
                        commitment: "call at noon".into(),
                        kept: false,
                    },
                ),
                e(
                    datetime!(2026-11-03 12:00 UTC),
                    Happening::LaidToRest {
                        incident: "the summer".into(),
                    },
                ),
            ],
            &[rated(date!(2026 - 09 - 30), 5)],
            &[],
        );
        let t = totals(&weeks);
        assert_eq!(t.occasions_kept, 1);
        assert_eq!(t.laid_to_rest, 1);
        assert_eq!(t.conversations_closed, 0);
        assert_eq!(t.since, Some(date!(2026 - 10 - 02)));
    }

    #[test]
    fn each_happening_belongs_to_its_stage() {
        let apology = Happening::StatementShared {
            statement: StatementKind::Apology,
            version: 2,
        };
        assert_eq!(apology.stage(), 5);
        assert_eq!(Happening::ReflectionShared.stage(), 1);
        assert_eq!(
            Happening::LaidToRest {
                incident: String::new()
            }
            .stage(),
            12
        );
    }
}
