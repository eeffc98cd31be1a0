//! Consistent actions (stage 8): commitments with a schedule, each occasion
//! marked kept or missed by the one who made it and witnessed by the other,
//! and the trust model's "what happened" view.
//!
//! The rules of who may do what live here, as plain functions of the facts
//! (who made it, who asks, which day, what today is), so the web edge and
//! its tests cannot disagree about them:
//! - the repairing partner makes commitments (when both are repairing,
//!   either does); a commitment is never edited: new wording or a new
//!   schedule ends it and starts a new one that refers back to it;
//! - only its maker marks an occasion, only a day its schedule produces, and
//!   only once it has come (today or before); a mark is final, and a
//!   correction is a new mark that leaves the earlier one in view;
//! - only the other partner witnesses, and only an occasion already marked.
//!
//! # The reputation
//! "What happened" is a Beta reputation (Jøsang & Ismail, 2002): with r the
//! kept occasions and s the missed, the expected reliability is
//! (r + 1) / (r + s + 2), the mean of Beta(r + 1, s + 1). Recent behaviour
//! counts more: an occasion's weight halves every [`HALF_LIFE_DAYS`] days, so
//! r and s are sums of weights, not counts. The uncertainty is the Beta's
//! standard deviation, drawn as a band around the mean: with nothing marked
//! the band spans 0.21–0.79, and three kept occasions still leave it wide
//! (0.64–0.96), so a good start never looks like certainty.
//!
//! An occasion marked kept that the partner says they saw otherwise is
//! *disputed*: it is counted neither as kept nor as missed, and it is shown
//! on its own, beside the numbers. Counting it as kept would overrule the
//! partner; counting it as missed would overrule the maker. Neither view is
//! silently dropped: both are on the page, and the maker can correct their
//! mark, or the partner their word, and the reputation follows. An occasion
//! not yet marked counts for nothing: absence is not evidence.

use serde::{Deserialize, Serialize};
use time::{Date, Duration};

use crate::couple::Role;
use crate::schedule::Schedule;
use crate::{text, Invalid, UserId};

pub const TEXT_MAX_CHARS: usize = 280;
pub const NOTE_MAX_CHARS: usize = 1000;

/// How many days it takes an occasion's weight to halve.
pub const HALF_LIFE_DAYS: f64 = 30.0;

/// What a commitment says, in one sentence.
pub fn parse_text(raw: &str) -> Result<String, Invalid> {
    text::required("text", raw, TEXT_MAX_CHARS)
}

/// An optional note: on a missed occasion, a witness's word, an ending.
pub fn parse_note(raw: &str) -> Result<Option<String>, Invalid> {
    text::optional("note", raw, NOTE_MAX_CHARS)
}

/// The maker's word on one occasion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mark {
    Kept,
    Missed,
}

impl Mark {
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        match raw.trim() {
            "kept" => Ok(Self::Kept),
            "missed" => Ok(Self::Missed),
            _ => Err(Invalid::new("mark", "Choose kept or missed.")),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Kept => "kept",
            Self::Missed => "missed",
        }
    }
}

/// The other partner's word on a marked occasion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Seen {
    /// "I saw it."
    Witnessed,
    /// "I saw it differently."
    SawOtherwise,
}

impl Seen {
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        match raw.trim() {
            "witnessed" => Ok(Self::Witnessed),
            "saw_otherwise" => Ok(Self::SawOtherwise),
            _ => Err(Invalid::new(
                "seen",
                "Choose that you saw it, or that you saw it differently.",
            )),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Witnessed => "witnessed",
            Self::SawOtherwise => "saw_otherwise",
        }
    }
}

/// Why an action on a commitment was refused. Each reads as a sentence a
/// person (or a forged request's sender) can understand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    NotRepairing,
    NotYours,
    OwnOccasion,
    NotYourCommitment,
    NoOccasion,
    NotYet,
    AlreadyMarked,
    NothingToCorrect,
    NotMarked,
    AlreadyWitnessed,
    Ended,
}

impl Refusal {
    pub fn message(self) -> &'static str {
        match self {
            Self::NotRepairing => "Commitments are made by the partner who is repairing the trust. You can witness your partner's instead.",
            Self::NotYours => "Only the partner who made a commitment marks its occasions. You can say whether you witnessed it.",
            Self::OwnOccasion => "You made this commitment, so its occasions are yours to mark; witnessing is for your partner.",
            Self::NotYourCommitment => "Only the partner who made a commitment can change or end it.",
            Self::NoOccasion => "This commitment's schedule has no occasion on that day.",
            Self::NotYet => "That occasion has not come yet. It can be marked on the day, or after.",
            Self::AlreadyMarked => "This occasion is already marked. To change it, send a correction: the first mark stays in view beside it.",
            Self::NothingToCorrect => "There is no mark to correct yet.",
            Self::NotMarked => "Your partner has not marked this occasion yet, so there is nothing to witness.",
            Self::AlreadyWitnessed => "You have already said what you saw. To change it, send a correction: your first word stays in view beside it.",
            Self::Ended => "This commitment has already ended, so it cannot be changed or ended again.",
        }
    }
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.message())
    }
}

impl std::error::Error for Refusal {}

/// Who may make a commitment.
pub fn may_make(role: Role) -> Result<(), Refusal> {
    if role.is_repairing() {
        Ok(())
    } else {
        Err(Refusal::NotRepairing)
    }
}

/// Whether `day` is an occasion that can be marked or witnessed today:
/// produced by the schedule (which stops on the day a commitment ended)
/// and not in the future.
pub fn check_occasion(schedule: &Schedule, day: Date, today: Date) -> Result<(), Refusal> {
    if !schedule.produces(day) {
        return Err(Refusal::NoOccasion);
    }
    if day > today {
        return Err(Refusal::NotYet);
    }
    Ok(())
}

/// Whether `me` may mark `day`; `marked` says if it has a mark already and
/// `correction` whether this is meant as one.
pub fn may_mark(
    maker: UserId,
    me: UserId,
    schedule: &Schedule,
    day: Date,
    today: Date,
    marked: bool,
    correction: bool,
) -> Result<(), Refusal> {
    if maker != me {
        return Err(Refusal::NotYours);
    }
    check_occasion(schedule, day, today)?;
    match (marked, correction) {
        (true, false) => Err(Refusal::AlreadyMarked),
        (false, true) => Err(Refusal::NothingToCorrect),
        _ => Ok(()),
    }
}

/// Whether `me` may witness `day`: the other partner, on a marked occasion.
/// (The facts are many and each is one plain value; a struct to carry them
/// would only rename them.)
#[allow(clippy::too_many_arguments)]
pub fn may_witness(
    maker: UserId,
    me: UserId,
    schedule: &Schedule,
    day: Date,
    today: Date,
    marked: bool,
    witnessed: bool,
    correction: bool,
) -> Result<(), Refusal> {
    if maker == me {
        return Err(Refusal::OwnOccasion);
    }
    check_occasion(schedule, day, today)?;
    if !marked {
        return Err(Refusal::NotMarked);
    }
    match (witnessed, correction) {
        (true, false) => Err(Refusal::AlreadyWitnessed),
        (false, true) => Err(Refusal::NothingToCorrect),
        _ => Ok(()),
    }
}

/// A person's own today, from what their browser says (`YYYY-MM-DD`) and
/// the server's: as the daily check-in does, it may be a day either side,
/// wherever in the world they are; empty means the server's.
pub fn local_today(raw: &str, server_today: Date) -> Result<Date, Invalid> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(server_today);
    }
    let f = time::macros::format_description!("[year]-[month]-[day]");
    let day = Date::parse(raw, f)
        .map_err(|_| Invalid::new("today", "Give today's date as YYYY-MM-DD."))?;
    if (day - server_today).abs() > Duration::days(1) {
        return Err(Invalid::new(
            "today",
            "That is not today's date anywhere in the world; please check your device's clock.",
        ));
    }
    Ok(day)
}

/// How one occasion counts in the reputation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Kept,
    Missed,
    /// Marked kept, and the partner saw it otherwise: counted as neither.
    Disputed,
}

/// How an occasion counts, from the maker's latest mark and the partner's
/// latest word. Unmarked occasions count for nothing.
pub fn outcome(mark: Option<Mark>, seen: Option<Seen>) -> Option<Outcome> {
    match (mark?, seen) {
        (Mark::Missed, _) => Some(Outcome::Missed),
        (Mark::Kept, Some(Seen::SawOtherwise)) => Some(Outcome::Disputed),
        (Mark::Kept, _) => Some(Outcome::Kept),
    }
}

/// The Beta reputation of a set of occasions, as of one day.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Reputation {
    /// r: kept occasions, weighted by how recent they are.
    pub kept_weight: f64,
    /// s: missed occasions, weighted the same way.
    pub missed_weight: f64,
    /// (r + 1) / (r + s + 2).
    pub expected: f64,
    /// The standard deviation of Beta(r + 1, s + 1).
    pub spread: f64,
    /// Occasions as counted, unweighted.
    pub kept: u32,
    pub missed: u32,
    pub disputed: u32,
}

impl Reputation {
    /// The band's lower edge: the mean less one standard deviation, at least 0.
    pub fn low(&self) -> f64 {
        (self.expected - self.spread).max(0.0)
    }

    /// The band's upper edge, at most 1.
    pub fn high(&self) -> f64 {
        (self.expected + self.spread).min(1.0)
    }
}

/// The weight of an occasion `age_days` old: 1 today, ½ after a half-life.
pub fn weight(age_days: i64) -> f64 {
    0.5f64.powf(age_days.max(0) as f64 / HALF_LIFE_DAYS)
}

/// The reputation of `occasions` as of `as_of`; occasions after it are not
/// yet part of the story and are left out.
pub fn reputation(occasions: &[(Date, Outcome)], as_of: Date) -> Reputation {
    let (mut r, mut s) = (0.0, 0.0);
    let (mut kept, mut missed, mut disputed) = (0, 0, 0);
    for &(day, o) in occasions.iter().filter(|(d, _)| *d <= as_of) {
        let w = weight((as_of - day).whole_days());
        match o {
            Outcome::Kept => {
                r += w;
                kept += 1;
            }
            Outcome::Missed => {
                s += w;
                missed += 1;
            }
            Outcome::Disputed => disputed += 1,
        }
    }
    let (a, b) = (r + 1.0, s + 1.0);
    let variance = a * b / ((a + b).powi(2) * (a + b + 1.0));
    Reputation {
        kept_weight: r,
        missed_weight: s,
        expected: a / (a + b),
        spread: variance.sqrt(),
        kept,
        missed,
        disputed,
    }
}

/// The reputation as it stood at the end of each day from `from` to `to`.
pub fn over_time(occasions: &[(Date, Outcome)], from: Date, to: Date) -> Vec<(Date, Reputation)> {
    let mut out = Vec::new();
    let mut day = from;
    while day <= to {
        out.push((day, reputation(occasions, day)));
        match day.next_day() {
            Some(next) => day = next,
            None => break,
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schedule::{Schedule, ScheduleFields};
    use time::macros::date;

    const TODAY: Date = date!(2026 - 11 - 30);

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-6
    }

    #[test]
    fn nothing_marked_is_an_even_guess_with_a_wide_band() {
        let r = reputation(&[], TODAY);
        assert!(close(r.expected, 0.5));
        // Beta(1, 1), the uniform: variance 1/12.
        assert!(close(r.spread, (1.0f64 / 12.0).sqrt()));
        assert!(close(r.low(), 0.5 - 0.288675) && close(r.high(), 0.5 + 0.288675));
    }

    #[test]
    fn three_kept_occasions_do_not_look_like_certainty() {
        let kept = [(TODAY, Outcome::Kept); 3];
        let r = reputation(&kept, TODAY);
        // Beta(4, 1): mean 4/5, variance 4 / (25 · 6).
        assert!(close(r.expected, 0.8));
        assert!(close(r.spread, (4.0f64 / 150.0).sqrt()));
        assert!(r.high() - r.low() > 0.3, "a wide band: {r:?}");
        let many = [(TODAY, Outcome::Kept); 30];
        let m = reputation(&many, TODAY);
        assert!(m.high() - m.low() < r.high() - r.low());
        assert!(close(m.expected, 31.0 / 32.0));
    }

    #[test]
    fn recent_occasions_count_more() {
        assert!(close(weight(0), 1.0));
        assert!(close(weight(30), 0.5));
        assert!(close(weight(60), 0.25));
        // One kept occasion a half-life ago: r = 0.5, so (1.5) / (2.5).
        let r = reputation(&[(TODAY - Duration::days(30), Outcome::Kept)], TODAY);
        assert!(close(r.kept_weight, 0.5));
        assert!(close(r.expected, 0.6));
        // Beta(1.5, 1): variance 1.5 / (6.25 · 3.5).
        assert!(close(r.spread, (1.5f64 / 21.875).sqrt()));
        // An old miss weighs less than a fresh keep.
        let mixed = [
            (TODAY - Duration::days(60), Outcome::Missed),
            (TODAY, Outcome::Kept),
        ];
        let m = reputation(&mixed, TODAY);
        assert!(close(m.expected, 2.0 / 3.25));
        assert_eq!((m.kept, m.missed), (1, 1));
    }

    #[test]
    fn a_disputed_occasion_is_shown_not_counted() {
        assert_eq!(
            outcome(Some(Mark::Kept), Some(Seen::SawOtherwise)),
            Some(Outcome::Disputed)
        );
        assert_eq!(
            outcome(Some(Mark::Kept), Some(Seen::Witnessed)),
            Some(Outcome::Kept)
        );
        assert_eq!(outcome(Some(Mark::Kept), None), Some(Outcome::Kept));
        assert_eq!(
            outcome(Some(Mark::Missed), Some(Seen::SawOtherwise)),
            Some(Outcome::Missed)
        );
        assert_eq!(outcome(None, Some(Seen::Witnessed)), None);
        let r = reputation(&[(TODAY, Outcome::Disputed)], TODAY);
        assert!(close(r.expected, 0.5));
        assert_eq!(r.disputed, 1);
    }

    #[test]
    fn the_story_over_time_leaves_out_what_had_not_happened() {
        let occ = [
            (TODAY - Duration::days(1), Outcome::Kept),
            (TODAY, Outcome::Missed),
        ];
        let series = over_time(&occ, TODAY - Duration::days(2), TODAY);
        assert_eq!(series.len(), 3);
        assert!(close(series[0].1.expected, 0.5));
        assert!(close(series[1].1.expected, 2.0 / 3.0));
        assert_eq!(series[2].1.missed, 1);
    }

    fn daily() -> Schedule {
        let f = ScheduleFields {
            repeat: "daily".into(),
            starts: "2026-11-28".into(),
            ..Default::default()
        };
        Schedule::parse(&f, date!(2026 - 11 - 28)).unwrap()
    }

    #[test]
    fn only_the_maker_marks_and_only_what_has_come() {
        let (ben, ana) = (UserId(2), UserId(1));
        let s = daily();
        assert_eq!(may_mark(ben, ben, &s, TODAY, TODAY, false, false), Ok(()));
        assert_eq!(
            may_mark(ben, ana, &s, TODAY, TODAY, false, false),
            Err(Refusal::NotYours)
        );
        assert_eq!(
            may_mark(ben, ben, &s, TODAY + Duration::days(1), TODAY, false, false),
            Err(Refusal::NotYet)
        );
        assert_eq!(
            may_mark(ben, ben, &s, date!(2026 - 11 - 27), TODAY, false, false),
            Err(Refusal::NoOccasion)
        );
        assert_eq!(
            may_mark(ben, ben, &s, TODAY, TODAY, true, false),
            Err(Refusal::AlreadyMarked)
        );
        assert_eq!(may_mark(ben, ben, &s, TODAY, TODAY, true, true), Ok(()));
        assert_eq!(
            may_mark(ben, ben, &s, TODAY, TODAY, false, true),
            Err(Refusal::NothingToCorrect)
        );
        // An ended commitment's later days are no occasions.
        let ended = s.ending(date!(2026 - 11 - 29));
        assert_eq!(
            may_mark(ben, ben, &ended, TODAY, TODAY, false, false),
            Err(Refusal::NoOccasion)
        );
    }

    #[test]
    fn only_the_other_partner_witnesses_a_marked_occasion() {
        let (ben, ana) = (UserId(2), UserId(1));
        let s = daily();
        assert_eq!(
            may_witness(ben, ana, &s, TODAY, TODAY, true, false, false),
            Ok(())
        );
        assert_eq!(
            may_witness(ben, ben, &s, TODAY, TODAY, true, false, false),
            Err(Refusal::OwnOccasion)
        );
        assert_eq!(
            may_witness(ben, ana, &s, TODAY, TODAY, false, false, false),
            Err(Refusal::NotMarked)
        );
        assert_eq!(
            may_witness(ben, ana, &s, TODAY, TODAY, true, true, false),
            Err(Refusal::AlreadyWitnessed)
        );
        assert_eq!(
            may_witness(ben, ana, &s, TODAY, TODAY, true, true, true),
            Ok(())
        );
    }

    #[test]
    fn the_repairing_partner_makes_commitments() {
        assert!(may_make(Role::Repairing).is_ok());
        assert!(may_make(Role::Both).is_ok());
        assert_eq!(may_make(Role::Hurt), Err(Refusal::NotRepairing));
    }

    #[test]
    fn today_is_the_persons_own_within_a_day() {
        assert_eq!(local_today("", TODAY).unwrap(), TODAY);
        assert_eq!(
            local_today("2026-12-01", TODAY).unwrap(),
            date!(2026 - 12 - 01)
        );
        assert_eq!(local_today("2026-12-02", TODAY).unwrap_err().field, "today");
        assert!(local_today("tomorrow", TODAY).is_err());
    }

    #[test]
    fn words_are_bounded() {
        assert!(parse_text("  ").is_err());
        assert!(parse_text(&"x".repeat(281)).is_err());
        assert_eq!(parse_text(" Home by seven ").unwrap(), "Home by seven");
        assert_eq!(parse_note("").unwrap(), None);
        assert!(Mark::parse("kept-ish").is_err());
        assert!(Seen::parse("saw_otherwise").is_ok());
    }
}
