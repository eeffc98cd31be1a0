//! Stage 8, consistent actions: commitments with a schedule, their
//! occasions marked and witnessed, the consistency view, and a private
//! calendar feed.
//!
//! The rules (who makes, who marks, who witnesses, which days are
//! occasions, how the reputation is counted) are `kintsugi_core::commitment`
//! and `kintsugi_core::schedule`; the store numbers every mark, so a
//! replayed one is refused rather than counted twice. Commitments are the
//! couple's: both partners see every one, every mark and every witness's
//! word, with corrections beside what they correct. Every word that goes
//! to the partner (a commitment, a note) is read by the coach first, as
//! messages are; the author may always send it as it is.
//!
//! "Today" is each person's own: forms carry the browser's date, which may
//! be a day either side of the server's, as the daily check-in allows.
//!
//! The calendar feed needs no session, because calendar apps cannot log
//! in: its address holds a random token, of which only a hash is stored.
//! It lists only its owner's own commitments, and a new address or turning
//! it off makes the old one answer 404 at once.

use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Json;
use axum_extra::extract::Form;
use kintsugi_coach::Analysis;
use kintsugi_core::commitment::{
    self, local_today, may_make, may_mark, may_witness, outcome, Mark, Outcome, Refusal,
    Reputation, Seen, HALF_LIFE_DAYS,
};
use kintsugi_core::couple::Role;
use kintsugi_core::schedule::{self, Repeat, Schedule, ScheduleFields, WEEK};
use kintsugi_core::{CoupleId, Invalid, UserId};
use kintsugi_store::{CommitmentRecord, EndReason, OccasionMark, OccasionWitness, RitualRecord};
use maud::{html, Markup};
use serde::{Deserialize, Serialize};
use time::{Date, Duration, OffsetDateTime};
use utoipa::{IntoParams, ToSchema};

use crate::api::ApiJson;
use crate::chart::{banded_chart, Band, Series};
use crate::coach::{self, held_back, yes, Sent};
use crate::couple::{resting_notice, Space};
use crate::layout::{field_error, form_errors, iso, paragraphs, Shell};
use crate::routing::Routes;
use crate::security::session::{new_token, token_hash, Viewer};
use crate::state::{now, today, AppState};
use crate::Error;

const TITLE: &str = "Consistent actions";

pub fn routes() -> Routes {
    Routes::new()
        .get("/commitments", commitments_page)
        .post("/commitments", make_form)
        .get("/commitments/{id}", commitment_page)
        .post("/commitments/{id}/change", change_form)
        .post("/commitments/{id}/end", end_form)
        .post("/commitments/{id}/occasions/{day}/mark", mark_form)
        .post("/commitments/{id}/occasions/{day}/witness", witness_form)
        .post("/commitments/calendar", calendar_form)
        .post("/commitments/calendar/revoke", revoke_form)
        .get("/calendar/{token}", calendar_feed)
}

pub fn api_routes() -> Routes {
    Routes::new()
        .get("/commitments", list_api)
        .post("/commitments", make_api)
        .get("/commitments/consistency", consistency_api)
        .post("/commitments/calendar", calendar_api)
        .delete("/commitments/calendar", revoke_api)
        .get("/commitments/{id}", one_api)
        .post("/commitments/{id}/change", change_api)
        .post("/commitments/{id}/end", end_api)
        .post("/commitments/{id}/occasions/{day}/mark", mark_api)
        .post("/commitments/{id}/occasions/{day}/witness", witness_api)
}

// ---- Who is asking ----

/// The viewer and their partner: commitments are made to someone.
struct Pair {
    space: Space,
    me: UserId,
    my_role: Role,
    partner: UserId,
    partner_role: Role,
    partner_name: String,
}

async fn pair(state: &AppState, viewer: &Viewer) -> Result<Pair, Error> {
    let space = Space::load(state, viewer.user.id).await?;
    space.require_safety_check_api()?;
    let membership = space.require_couple()?;
    let my_role = membership.role;
    let partner = membership.partner.clone().ok_or(Error::Forbidden(
        "Commitments are made to your partner: invite them first.",
    ))?;
    Ok(Pair {
        me: space.me,
        my_role,
        partner: partner.id,
        partner_role: partner.role,
        partner_name: partner.username,
        space,
    })
}

impl Pair {
    fn couple(&self) -> CoupleId {
        self.space.couple().expect("a pair has a couple")
    }

    fn require_open(&self) -> Result<(), Error> {
        if self.space.open {
            Ok(())
        } else {
            Err(Error::Forbidden(
                "Your shared space is resting for now, so commitments rest too.",
            ))
        }
    }

    fn name(&self, who: UserId) -> &str {
        if who == self.me {
            "You"
        } else {
            &self.partner_name
        }
    }

    fn who(&self, user: UserId) -> &'static str {
        if user == self.me {
            "me"
        } else {
            "partner"
        }
    }

    fn role_of(&self, user: UserId) -> Role {
        if user == self.me {
            self.my_role
        } else {
            self.partner_role
        }
    }

    /// The people who make commitments here: the repairing partner, or both.
    fn makers(&self) -> Vec<UserId> {
        [self.partner, self.me]
            .into_iter()
            .filter(|u| self.role_of(*u).is_repairing())
            .collect()
    }
}

fn refused(r: Refusal) -> Error {
    match r {
        Refusal::NotRepairing
        | Refusal::NotYours
        | Refusal::OwnOccasion
        | Refusal::NotYourCommitment => Error::Forbidden(r.message()),
        Refusal::NoOccasion => Error::BadRequest(r.message().into()),
        _ => Error::Conflict(r.message().into()),
    }
}

/// A commitment of the viewer's own couple; another couple's is not found.
async fn load(state: &AppState, pair: &Pair, id: i64) -> Result<CommitmentRecord, Error> {
    state
        .store
        .commitment(pair.couple(), id)
        .await?
        .ok_or(Error::NotFound)
}

/// An occasion's day from a path; anything else is a clear 400.
fn occasion_day(raw: &str) -> Result<Date, Error> {
    let f = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(raw.trim(), f).map_err(|_| {
        Error::BadRequest(format!(
            "\u{201c}{}\u{201d} is not a day. Occasions are named by their date, YYYY-MM-DD.",
            raw.chars().take(20).collect::<String>()
        ))
    })
}

/// Everything the couple has recorded about its commitments.
struct Book {
    commitments: Vec<CommitmentRecord>,
    marks: Vec<OccasionMark>,
    witnesses: Vec<OccasionWitness>,
}

impl Book {
    async fn load(state: &AppState, couple: CoupleId, one: Option<i64>) -> Result<Self, Error> {
        Ok(Self {
            commitments: match one {
                Some(id) => state
                    .store
                    .commitment(couple, id)
                    .await?
                    .into_iter()
                    .collect(),
                None => state.store.commitments(couple).await?,
            },
            marks: state.store.occasion_marks(couple, one).await?,
            witnesses: state.store.occasion_witnesses(couple, one).await?,
        })
    }

    fn marks(&self, id: i64, day: Date) -> Vec<&OccasionMark> {
        self.marks
            .iter()
            .filter(|m| m.commitment == id && m.occasion == day)
            .collect()
    }

    fn witnesses(&self, id: i64, day: Date) -> Vec<&OccasionWitness> {
        self.witnesses
            .iter()
            .filter(|w| w.commitment == id && w.occasion == day)
            .collect()
    }

    fn outcome(&self, id: i64, day: Date) -> Option<Outcome> {
        outcome(
            self.marks(id, day).last().map(|m| m.mark),
            self.witnesses(id, day).last().map(|w| w.seen),
        )
    }

    /// The counted occasions of the commitments `which` picks out.
    fn outcomes(&self, which: impl Fn(&CommitmentRecord) -> bool) -> Vec<(Date, Outcome)> {
        let mut seen = std::collections::BTreeSet::new();
        let mut out = Vec::new();
        for m in &self.marks {
            let Some(c) = self.commitments.iter().find(|c| c.id == m.commitment) else {
                continue;
            };
            // Only occasions the schedule produces count: the rule is the
            // schedule's (which stops where the commitment ended), not the row's.
            if !which(c) || !c.schedule.produces(m.occasion) || !seen.insert((c.id, m.occasion)) {
                continue;
            }
            if let Some(o) = self.outcome(c.id, m.occasion) {
                out.push((m.occasion, o));
            }
        }
        out.sort_by_key(|(d, _)| *d);
        out
    }
}

// ---- Making, changing, ending ----

/// A commitment's fields, from the page's forms or as JSON.
#[derive(Debug, Default, Clone, Deserialize, ToSchema)]
pub struct CommitmentFields {
    /// What you commit to, in one sentence.
    #[serde(default)]
    pub text: String,
    /// `daily`, `weekdays` (with `days`), `weekly` (on the first day's weekday) or `once`.
    #[serde(default)]
    pub repeat: String,
    /// For `weekdays`: `mon`…`sun`.
    #[serde(default)]
    pub days: Vec<String>,
    /// The first day, `YYYY-MM-DD`; today when empty.
    #[serde(default)]
    pub starts: String,
    /// A time of day, `HH:MM`, if it has one.
    #[serde(default)]
    pub at: String,
    /// Your own today, `YYYY-MM-DD`, if it differs from the server's.
    #[serde(default)]
    pub today: String,
    /// Send even though the coach has a concern.
    #[serde(default)]
    #[schema(value_type = Option<bool>)]
    pub send_anyway: serde_json::Value,
}

fn parse_commitment(f: &CommitmentFields) -> Result<(String, Schedule), Error> {
    let mut errors = Vec::new();
    let today = local_today(&f.today, today())
        .map_err(|e| errors.push(e))
        .ok();
    let text = commitment::parse_text(&f.text)
        .map_err(|e| errors.push(e))
        .ok();
    let fields = ScheduleFields {
        repeat: f.repeat.clone(),
        days: f.days.clone(),
        starts: f.starts.clone(),
        at: f.at.clone(),
    };
    let schedule = match today {
        Some(t) => Schedule::parse(&fields, t)
            .map_err(|e| errors.extend(e))
            .ok(),
        None => None,
    };
    match (text, schedule) {
        (Some(text), Some(schedule)) if errors.is_empty() => Ok((text, schedule)),
        _ => Err(Error::Invalid(errors)),
    }
}

async fn make(state: &AppState, pair: &Pair, f: &CommitmentFields) -> Result<Sent<i64>, Error> {
    pair.require_open()?;
    may_make(pair.my_role).map_err(refused)?;
    let (text, schedule) = parse_commitment(f)?;
    if let Some(held) = held_back(state, pair.couple(), &[Some(&text)], yes(&f.send_anyway)).await?
    {
        return Ok(Sent::HeldBack(held.0, held.1));
    }
    let id = state
        .store
        .make_commitment(pair.couple(), pair.me, &text, &schedule, None, now())
        .await?
        .ok_or_else(|| {
            Error::Conflict("That commitment could not be saved; please try again.".into())
        })?;
    Ok(Sent::Done(id))
}

/// Changes a commitment: the old one ends (yesterday, so today belongs to
/// the new one) and a new one starts that refers back to it.
async fn change(
    state: &AppState,
    pair: &Pair,
    id: i64,
    f: &CommitmentFields,
) -> Result<Sent<i64>, Error> {
    pair.require_open()?;
    let old = load(state, pair, id).await?;
    if old.author != pair.me {
        return Err(refused(Refusal::NotYourCommitment));
    }
    if old.ending.is_some() {
        return Err(refused(Refusal::Ended));
    }
    let (text, schedule) = parse_commitment(f)?;
    if let Some(held) = held_back(state, pair.couple(), &[Some(&text)], yes(&f.send_anyway)).await?
    {
        return Ok(Sent::HeldBack(held.0, held.1));
    }
    let last_day = schedule.starts - Duration::days(1);
    state
        .store
        .make_commitment(
            pair.couple(),
            pair.me,
            &text,
            &schedule,
            Some((old.id, last_day)),
            now(),
        )
        .await?
        .map(Sent::Done)
        .ok_or_else(|| refused(Refusal::Ended))
}

#[derive(Debug, Default, Clone, Deserialize, ToSchema)]
pub struct EndFields {
    /// Optionally, a note for your partner.
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub today: String,
    /// Send even though the coach has a concern.
    #[serde(default)]
    #[schema(value_type = Option<bool>)]
    pub send_anyway: serde_json::Value,
}

/// Ends a commitment: today is its last possible occasion.
async fn end(state: &AppState, pair: &Pair, id: i64, f: &EndFields) -> Result<Sent<i64>, Error> {
    pair.require_open()?;
    let c = load(state, pair, id).await?;
    if c.author != pair.me {
        return Err(refused(Refusal::NotYourCommitment));
    }
    if c.ending.is_some() {
        return Err(refused(Refusal::Ended));
    }
    let today = local_today(&f.today, today())?;
    let note = commitment::parse_note(&f.note)?;
    if let Some(held) = held_back(
        state,
        pair.couple(),
        &[note.as_deref()],
        yes(&f.send_anyway),
    )
    .await?
    {
        return Ok(Sent::HeldBack(held.0, held.1));
    }
    if !state
        .store
        .end_commitment(pair.couple(), id, today, note.as_deref(), now())
        .await?
    {
        return Err(refused(Refusal::Ended));
    }
    Ok(Sent::Done(id))
}

// ---- Marking and witnessing ----

#[derive(Debug, Default, Clone, Deserialize, ToSchema)]
pub struct MarkFields {
    /// `kept` or `missed`.
    #[serde(default)]
    pub mark: String,
    /// Optionally, an honest word for your partner, for a missed occasion above all.
    #[serde(default)]
    pub note: String,
    /// `true` to correct an earlier mark; the earlier one stays in view.
    #[serde(default)]
    #[schema(value_type = Option<bool>)]
    pub correction: serde_json::Value,
    #[serde(default)]
    pub today: String,
    /// Send even though the coach has a concern.
    #[serde(default)]
    #[schema(value_type = Option<bool>)]
    pub send_anyway: serde_json::Value,
}

async fn mark(
    state: &AppState,
    pair: &Pair,
    id: i64,
    day: &str,
    f: &MarkFields,
) -> Result<Sent<i64>, Error> {
    pair.require_open()?;
    let c = load(state, pair, id).await?;
    let day = occasion_day(day)?;
    let today = local_today(&f.today, today())?;
    let earlier = state
        .store
        .occasion_marks(pair.couple(), Some(id))
        .await?
        .into_iter()
        .filter(|m| m.occasion == day)
        .count() as i64;
    let correction = yes(&f.correction);
    may_mark(
        c.author,
        pair.me,
        &c.schedule,
        day,
        today,
        earlier > 0,
        correction,
    )
    .map_err(refused)?;
    let mut errors = Vec::new();
    let chosen = Mark::parse(&f.mark).map_err(|e| errors.push(e)).ok();
    let note = commitment::parse_note(&f.note)
        .map_err(|e| errors.push(e))
        .ok();
    let (Some(chosen), Some(note)) = (chosen, note) else {
        return Err(Error::Invalid(errors));
    };
    if let Some(held) = held_back(
        state,
        pair.couple(),
        &[note.as_deref()],
        yes(&f.send_anyway),
    )
    .await?
    {
        return Ok(Sent::HeldBack(held.0, held.1));
    }
    let landed = state
        .store
        .mark_occasion(
            pair.couple(),
            id,
            day,
            earlier + 1,
            chosen,
            note.as_deref(),
            pair.me,
            now(),
        )
        .await?;
    if !landed {
        return Err(Error::Conflict(
            "This occasion was marked from somewhere else a moment ago. Nothing was lost: the page shows it now, and a correction is always possible.".into(),
        ));
    }
    Ok(Sent::Done(id))
}

#[derive(Debug, Default, Clone, Deserialize, ToSchema)]
pub struct WitnessFields {
    /// `witnessed` (I saw it) or `saw_otherwise` (I saw it differently).
    #[serde(default)]
    pub seen: String,
    /// Optionally, a word on what you saw.
    #[serde(default)]
    pub note: String,
    /// `true` to correct your earlier word; it stays in view.
    #[serde(default)]
    #[schema(value_type = Option<bool>)]
    pub correction: serde_json::Value,
    #[serde(default)]
    pub today: String,
    /// Send even though the coach has a concern.
    #[serde(default)]
    #[schema(value_type = Option<bool>)]
    pub send_anyway: serde_json::Value,
}

async fn witness(
    state: &AppState,
    pair: &Pair,
    id: i64,
    day: &str,
    f: &WitnessFields,
) -> Result<Sent<i64>, Error> {
    pair.require_open()?;
    let c = load(state, pair, id).await?;
    let day = occasion_day(day)?;
    let today = local_today(&f.today, today())?;
    let book = Book::load(state, pair.couple(), Some(id)).await?;
    let marked = !book.marks(id, day).is_empty();
    let earlier = book.witnesses(id, day).len() as i64;
    may_witness(
        c.author,
        pair.me,
        &c.schedule,
        day,
        today,
        marked,
        earlier > 0,
        yes(&f.correction),
    )
    .map_err(refused)?;
    let mut errors = Vec::new();
    let seen = Seen::parse(&f.seen).map_err(|e| errors.push(e)).ok();
    let note = commitment::parse_note(&f.note)
        .map_err(|e| errors.push(e))
        .ok();
    let (Some(seen), Some(note)) = (seen, note) else {
        return Err(Error::Invalid(errors));
    };
    if let Some(held) = held_back(
        state,
        pair.couple(),
        &[note.as_deref()],
        yes(&f.send_anyway),
    )
    .await?
    {
        return Ok(Sent::HeldBack(held.0, held.1));
    }
    let landed = state
        .store
        .witness_occasion(
            pair.couple(),
            id,
            day,
            earlier + 1,
            seen,
            note.as_deref(),
            pair.me,
            now(),
        )
        .await?;
    if !landed {
        return Err(Error::Conflict(
            "You said what you saw about this occasion from somewhere else a moment ago. Nothing was lost: the page shows it now.".into(),
        ));
    }
    Ok(Sent::Done(id))
}

// ---- The calendar feed ----

/// Makes a new private address for the viewer's feed; the old one stops working.
async fn new_calendar(state: &AppState, pair: &Pair) -> Result<String, Error> {
    let token = new_token();
    state
        .store
        .set_calendar_feed(pair.couple(), pair.me, &token_hash(&token), now())
        .await?;
    Ok(format!(
        "{}/calendar/{token}.ics",
        state.config.public_url.trim_end_matches('/')
    ))
}

/// The feed itself. The token is the only key, so anything unknown,
/// replaced or revoked is simply not found, and so is a feed whose owner
/// has since left the couple it was made in.
async fn calendar_feed(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> Result<Response, Error> {
    let token = token.strip_suffix(".ics").unwrap_or(&token);
    if token.is_empty() || token.len() > 128 {
        return Err(Error::NotFound);
    }
    let (couple, owner) = state
        .store
        .calendar_feed_owner(&token_hash(token))
        .await?
        .ok_or(Error::NotFound)?;
    if state.store.membership(owner).await?.map(|m| m.couple) != Some(couple) {
        return Err(Error::NotFound);
    }
    let mine: Vec<CommitmentRecord> = state
        .store
        .commitments(couple)
        .await?
        .into_iter()
        .filter(|c| c.author == owner)
        .collect();
    let host = state
        .config
        .public_url
        .split("://")
        .nth(1)
        .unwrap_or("kintsugi")
        .trim_end_matches('/')
        .to_owned();
    Ok((
        [
            (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
            (header::CACHE_CONTROL, "private, no-store"),
        ],
        ical(&mine, &state.store.rituals(couple).await?, &host),
    )
        .into_response())
}

/// The feed as RFC 5545 text. It is written here rather than with a
/// crate: the whole of it is a handful of properties, escaping and line
/// folding, and the `icalendar` crate would bring `chrono` beside the
/// `time` the rest of Kintsugi uses, for no gain.
fn ical(commitments: &[CommitmentRecord], rituals: &[RitualRecord], host: &str) -> String {
    let mut lines = vec![
        "BEGIN:VCALENDAR".to_owned(),
        "VERSION:2.0".to_owned(),
        "PRODID:-//Kintsugi//Commitments//EN".to_owned(),
        "CALSCALE:GREGORIAN".to_owned(),
        "X-WR-CALNAME:My commitments (Kintsugi)".to_owned(),
    ];
    for c in commitments {
        // A commitment that ended before its first occasion has none to show.
        if c.ending
            .as_ref()
            .is_some_and(|e| e.last_day < c.schedule.starts)
        {
            continue;
        }
        let s = &c.schedule;
        lines.push("BEGIN:VEVENT".into());
        lines.push(format!("UID:commitment-{}@{}", c.id, ical_text(host)));
        lines.push(format!("DTSTAMP:{}", ical_stamp(c.created_at)));
        match s.at {
            // Floating local time (RFC 5545 §3.3.5): the calendar shows it in its own zone.
            Some(at) => lines.push(format!(
                "DTSTART:{}T{:02}{:02}00",
                schedule::ical_date(s.starts),
                at.hour(),
                at.minute()
            )),
            None => {
                lines.push(format!(
                    "DTSTART;VALUE=DATE:{}",
                    schedule::ical_date(s.starts)
                ));
                if let Some(next) = s.starts.next_day() {
                    lines.push(format!("DTEND;VALUE=DATE:{}", schedule::ical_date(next)));
                }
            }
        }
        if let Some(rule) = s.rrule() {
            lines.push(format!("RRULE:{rule}"));
        }
        lines.push(format!("SUMMARY:{}", ical_text(&c.text)));
        lines.push(format!(
            "DESCRIPTION:{}",
            ical_text(&format!(
                "{}. A commitment you made in Kintsugi.",
                s.describe()
            ))
        ));
        lines.push("END:VEVENT".into());
    }
    // The couple's rituals are both partners': each one's feed has them all.
    for r in rituals {
        let created = OffsetDateTime::from_unix_timestamp(r.created_at)
            .unwrap_or(OffsetDateTime::UNIX_EPOCH)
            .date();
        let Some(first) = (0..7)
            .map(|d| created + time::Duration::days(d))
            .find(|d| r.ritual.recurrence.occurs_on(*d))
        else {
            continue;
        };
        let at = r.ritual.recurrence.at;
        lines.push("BEGIN:VEVENT".into());
        lines.push(format!("UID:ritual-{}@{}", r.id, ical_text(host)));
        lines.push(format!("DTSTAMP:{}", ical_stamp(r.created_at)));
        lines.push(format!(
            "DTSTART:{}T{:02}{:02}00",
            schedule::ical_date(first),
            at.hour(),
            at.minute()
        ));
        lines.push(format!("RRULE:{}", r.ritual.recurrence.rrule()));
        lines.push(format!("SUMMARY:{}", ical_text(&r.ritual.name)));
        lines.push(format!(
            "DESCRIPTION:{}",
            ical_text(&format!(
                "{}. A ritual you chose together in Kintsugi.",
                r.ritual.recurrence.describe()
            ))
        ));
        lines.push("END:VEVENT".into());
    }
    lines.push("END:VCALENDAR".into());
    let mut out = String::new();
    for line in lines {
        out.push_str(&fold(&line));
    }
    out
}

/// TEXT escaping (§3.3.11).
fn ical_text(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace(';', "\\;")
        .replace(',', "\\,")
        .replace("\r\n", "\\n")
        .replace('\n', "\\n")
}

fn ical_stamp(unix: i64) -> String {
    let t = OffsetDateTime::from_unix_timestamp(unix).unwrap_or(OffsetDateTime::UNIX_EPOCH);
    format!(
        "{}T{:02}{:02}{:02}Z",
        schedule::ical_date(t.date()),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// Folds a content line at 75 octets without splitting a character (§3.1).
fn fold(line: &str) -> String {
    let mut out = String::new();
    let mut width = 0;
    for ch in line.chars() {
        let len = ch.len_utf8();
        if width + len > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(ch);
        width += len;
    }
    out.push_str("\r\n");
    out
}

// ---- The consistency view ----

/// How far back the consistency view looks.
#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct Window {
    /// 30 (the default) or 90 days.
    pub days: Option<i64>,
}

impl Window {
    fn days(&self) -> i64 {
        match self.days {
            Some(90) => 90,
            _ => 30,
        }
    }
}

/// One maker's consistency over the window, beside how the other partner
/// has felt about trust in their check-ins (as far as the viewer may see).
struct Consistency {
    maker: UserId,
    series: Vec<(Date, Reputation)>,
    now: Reputation,
    /// (day, trust 0..=10) of the other partner's check-ins the viewer may see.
    trust: Vec<(Date, u8)>,
}

async fn consistency(
    state: &AppState,
    pair: &Pair,
    book: &Book,
    days: i64,
) -> Result<Vec<Consistency>, Error> {
    let end = today();
    let start = end - Duration::days(days - 1);
    let check_ins = state
        .store
        .visible_check_ins(pair.couple(), pair.me, start)
        .await?;
    Ok(pair
        .makers()
        .into_iter()
        .map(|maker| {
            let outcomes = book.outcomes(|c| c.author == maker);
            let other = if maker == pair.me {
                pair.partner
            } else {
                pair.me
            };
            Consistency {
                maker,
                series: commitment::over_time(&outcomes, start, end),
                now: commitment::reputation(&outcomes, end),
                trust: check_ins
                    .iter()
                    .filter(|c| c.author == other && c.day >= start && c.day <= end)
                    .map(|c| (c.day, c.trust.get()))
                    .collect(),
            }
        })
        .collect())
}

fn percent(v: f64) -> String {
    format!("{:.0}%", v * 100.0)
}

/// The reputation in words, never as a verdict.
fn in_words(r: &Reputation) -> String {
    let counted = r.kept + r.missed;
    let mut s = if counted == 0 {
        "Nothing marked yet, so nothing can be said yet: the estimate starts at an even 50%, with a wide range.".to_owned()
    } else {
        format!(
            "About {} of occasions kept, likely between {} and {}; from {} kept and {} missed, recent ones counting more.",
            percent(r.expected),
            percent(r.low()),
            percent(r.high()),
            r.kept,
            r.missed
        )
    };
    if r.disputed > 0 {
        s.push_str(&format!(
            " {} marked kept and seen otherwise: not counted either way.",
            if r.disputed == 1 {
                "One occasion was".to_owned()
            } else {
                format!("{} occasions were", r.disputed)
            }
        ));
    }
    s
}

fn consistency_chart(pair: &Pair, c: &Consistency, days: i64) -> Markup {
    let start = today() - Duration::days(days - 1);
    let index = |d: Date| (d - start).whole_days();
    let maker_name = if c.maker == pair.me {
        "Your".to_owned()
    } else {
        format!("{}'s", pair.partner_name)
    };
    let other_name = if c.maker == pair.me {
        format!("{} (shared)", pair.partner_name)
    } else {
        "You".to_owned()
    };
    let feel_label = format!(
        "How much {} trusts, 0–10",
        if c.maker == pair.me {
            pair.partner_name.as_str()
        } else {
            "you"
        }
    );
    let band = Band {
        label: "Likely range",
        class: "range",
        points: c
            .series
            .iter()
            .map(|(d, r)| (index(*d), r.low() * 10.0, r.high() * 10.0))
            .collect(),
    };
    let line = Series {
        label: "What happened: commitments kept",
        class: "me",
        points: c
            .series
            .iter()
            .map(|(d, r)| (index(*d), (r.expected * 10.0).round() as u8))
            .collect(),
    };
    let feel = Series {
        label: &feel_label,
        class: "partner",
        points: c.trust.iter().map(|(d, v)| (index(*d), *v)).collect(),
    };
    let trust_avg = if c.trust.is_empty() {
        "no check-ins to show".to_owned()
    } else {
        format!(
            "{:.1} on average over {} check-ins",
            c.trust.iter().map(|(_, v)| f64::from(*v)).sum::<f64>() / c.trust.len() as f64,
            c.trust.len()
        )
    };
    let summary = format!(
        "What happened: {} How it feels, {}: {}.",
        in_words(&c.now),
        other_name,
        trust_avg
    );
    let title = format!("{maker_name} commitments, and how trust feels");
    // The days worth a row: today, and days with a check-in or a counted occasion.
    let rows: Vec<&(Date, Reputation)> = c
        .series
        .iter()
        .rev()
        .filter(|(d, r)| {
            c.trust.iter().any(|t| t.0 == *d) || *d == today() || r.kept + r.missed > 0
        })
        .take(30)
        .collect();
    html! {
        (banded_chart(&format!("consistency-{}", pair.who(c.maker)), &title, &summary, days, Some(&band), &[line, feel]))
        p.hint { "Two views side by side, never one number: the solid line is how often commitments were kept (scaled to 10), the shaded band how sure that estimate can be; the dashed line is trust as it is felt. Feelings often take longer to follow than actions, and that is all right." }
        details.data {
            summary { "The numbers behind the chart" }
            table {
                thead { tr { th scope="col" { "Day" } th scope="col" { "Kept (estimate)" } th scope="col" { "Likely range" } th scope="col" { "Trust felt" } } }
                tbody {
                    @for (d, r) in &rows {
                        tr {
                            td { (iso(*d)) }
                            td { (percent(r.expected)) }
                            td { (percent(r.low())) "–" (percent(r.high())) }
                            td { @match c.trust.iter().find(|t| t.0 == *d) { Some((_, v)) => (v), None => "—" } }
                        }
                    }
                }
            }
        }
    }
}

// ---- Pages ----

/// Where on the page something typed is shown again.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
enum Place {
    #[default]
    Top,
    New,
    Change(i64),
}

/// A form to send again: where it goes, its button, and its fixed fields.
struct Resend(String, String, Vec<(&'static str, String)>);

/// What the person typed when an action was held back or refused, and why.
#[derive(Default)]
struct Kept {
    place: Place,
    fields: CommitmentFields,
    /// For a mark, witness or ending held back: where it goes and its fields.
    action: Option<Resend>,
    note: String,
    errors: Vec<Invalid>,
    coached: Option<(String, Analysis)>,
    problem: Option<String>,
}

impl Kept {
    fn at(&self, place: &Place) -> Option<&Kept> {
        (&self.place == place).then_some(self)
    }
}

fn guide() -> &'static str {
    "Promises start the repair; kept promises do the work. Choose something small enough to do again and again, like being home when you said you would be, or a weekly talk. Mark each time honestly, kept or missed. Your partner can say they saw it, or saw it differently, and both words stay."
}

async fn page_pair(
    state: &AppState,
    shell: &Shell,
    viewer: &Viewer,
    here: &str,
) -> Result<Result<Pair, Response>, Error> {
    let space = Space::load(state, viewer.user.id).await?;
    if let Err(redirect) = space.require_safety_check(here) {
        return Ok(Err(redirect.into_response()));
    }
    let pair = match pair(state, viewer).await {
        Ok(p) => p,
        Err(Error::Forbidden(why)) => {
            return Ok(Err(shell
                .render(
                    TITLE,
                    html! {
                        h1 { (TITLE) }
                        p.lead { (guide()) }
                        p { (why) " " a href="/couple" { "Go to your couple's space" } "." }
                    },
                )
                .into_response()))
        }
        Err(e) => return Err(e),
    };
    if !pair.space.open {
        return Ok(Err(shell
            .render(TITLE, html! { h1 { (TITLE) } (resting_notice()) })
            .into_response()));
    }
    Ok(Ok(pair))
}

async fn commitments_page(
    State(state): State<AppState>,
    shell: Shell,
    viewer: Viewer,
    Query(w): Query<Window>,
) -> Result<Response, Error> {
    let pair = match page_pair(&state, &shell, &viewer, "/commitments").await? {
        Ok(p) => p,
        Err(r) => return Ok(r),
    };
    Ok(
        main_page(&state, &shell, &pair, w.days(), &Kept::default(), None)
            .await?
            .into_response(),
    )
}

/// The page again after an action was held back (200), invalid (422) or
/// refused (409, 403, 400); other errors go to the error page.
async fn again(
    state: &AppState,
    shell: &Shell,
    pair: &Pair,
    mut kept: Kept,
    outcome: Result<(String, Analysis), Error>,
) -> Result<Response, Error> {
    let status = match outcome {
        Ok(c) => {
            kept.coached = Some(c);
            StatusCode::OK
        }
        Err(Error::Invalid(errors)) => {
            kept.errors = errors;
            StatusCode::UNPROCESSABLE_ENTITY
        }
        Err(e @ (Error::Conflict(_) | Error::Forbidden(_) | Error::BadRequest(_))) => {
            kept.problem = Some(e.to_string());
            kept.place = Place::Top;
            kept.action = None;
            e.status()
        }
        Err(e) => return Err(e),
    };
    Ok((
        status,
        main_page(state, shell, pair, 30, &kept, None).await?,
    )
        .into_response())
}

async fn main_page(
    state: &AppState,
    shell: &Shell,
    pair: &Pair,
    days: i64,
    kept: &Kept,
    calendar_url: Option<&str>,
) -> Result<Markup, Error> {
    let book = Book::load(state, pair.couple(), None).await?;
    let views = consistency(state, pair, &book, days).await?;
    let today = today();
    let running: Vec<&CommitmentRecord> = book
        .commitments
        .iter()
        .filter(|c| c.ending.is_none())
        .collect();
    let ended: Vec<&CommitmentRecord> = book
        .commitments
        .iter()
        .rev()
        .filter(|c| c.ending.is_some())
        .collect();
    let can_make = pair.my_role.is_repairing();
    // Occasions of the last week that wait for their maker's word.
    let to_mark: Vec<(&CommitmentRecord, Date)> = book
        .commitments
        .iter()
        .filter(|c| c.author == pair.me)
        .flat_map(|c| {
            c.schedule
                .occasions(today - Duration::days(6), today)
                .into_iter()
                .map(move |d| (c, d))
        })
        .filter(|(c, d)| book.marks(c.id, *d).is_empty())
        .collect();
    // The partner's marked occasions of the last two weeks that wait for the viewer's word.
    let to_witness: Vec<(&CommitmentRecord, Date)> = book
        .commitments
        .iter()
        .filter(|c| c.author != pair.me)
        .flat_map(|c| {
            c.schedule
                .occasions(today - Duration::days(13), today)
                .into_iter()
                .map(move |d| (c, d))
        })
        .filter(|(c, d)| !book.marks(c.id, *d).is_empty() && book.witnesses(c.id, *d).is_empty())
        .collect();
    let calendar_since = state.store.calendar_feed_since(pair.me).await?;

    Ok(shell.render(TITLE, html! {
        h1 { (TITLE) }
        p.lead { (guide()) }
        (kept_panel(shell, kept))
        @if can_make || !to_mark.is_empty() {
            section.card id="today" aria-labelledby="today-h" {
                h2 #today-h { "Waiting for your word" }
                @if to_mark.is_empty() {
                    p { "Nothing is waiting for you to mark right now." }
                } @else {
                    p.hint { "Each occasion from the past week that you have not marked yet. Mark it as it was; a missed one can carry a note, and honesty here is what builds trust." }
                    ul.occasions {
                        @for (c, d) in &to_mark {
                            li.occasion {
                                p { strong { (c.text) } br; span.meta { (when(c, *d, today)) } }
                                (mark_buttons(shell, c.id, *d, false))
                            }
                        }
                    }
                }
            }
        }
        @if !to_witness.is_empty() {
            section.card id="witness" aria-labelledby="witness-h" {
                h2 #witness-h { "What " (pair.partner_name) " marked" }
                p.hint { "If you saw it, you can say so. If you saw it differently, you can say that too, kindly; both words are kept and shown, and neither erases the other." }
                ul.occasions {
                    @for (c, d) in &to_witness {
                        @let m = book.marks(c.id, *d);
                        li.occasion {
                            p { strong { (c.text) } br; span.meta { (when(c, *d, today)) " · " (pair.partner_name) " marked it " strong { (mark_word(m.last().map(|m| m.mark))) } } }
                            @if let Some(note) = m.last().and_then(|m| m.note.as_ref()) { blockquote { (paragraphs(note)) } }
                            (witness_buttons(shell, c.id, *d, false))
                        }
                    }
                }
            }
        }
        section id="consistency" aria-labelledby="consistency-h" {
            h2 #consistency-h { "Consistency over time" }
            p.window {
                @if days == 30 { strong { "Last 30 days" } } @else { a href="/commitments?days=30#consistency" { "Last 30 days" } }
                " · "
                @if days == 90 { strong { "Last 90 days" } } @else { a href="/commitments?days=90#consistency" { "Last 90 days" } }
            }
            @if views.is_empty() {
                p { "When one of you makes commitments, how consistently they are kept will show here." }
            }
            @for v in &views {
                h3 { (if v.maker == pair.me { "Your commitments" } else { "Commitments " }) @if v.maker != pair.me { (pair.partner_name) " made" } }
                p.reputation { (in_words(&v.now)) }
                (consistency_chart(pair, v, days))
            }
            p.hint { "How it is counted: each occasion marked kept or missed counts, recent ones more (an occasion's weight halves every " (HALF_LIFE_DAYS as i64) " days). The estimate is (kept + 1) ÷ (kept + missed + 2), and the shaded range shows how uncertain it still is: a few occasions say little, many say more. Occasions not yet marked count for nothing." }
        }
        section id="commitments" aria-labelledby="list-h" {
            h2 #list-h { "Commitments" }
            @if running.is_empty() {
                p { "No commitment is running right now." }
            }
            @for c in &running {
                (commitment_card(shell, pair, &book, c, kept.at(&Place::Change(c.id))))
            }
            @if !ended.is_empty() {
                details.ended {
                    summary { "Ended or changed (" (ended.len()) ")" }
                    @for c in &ended { (commitment_card(shell, pair, &book, c, None)) }
                }
            }
        }
        @if can_make {
            section.card id="new" aria-labelledby="new-h" {
                h2 #new-h { "Make a commitment" }
                p.hint { "Small and specific is kind to both of you. Your partner sees it and every mark on it. It cannot be edited later: new words or a new schedule make a new commitment, and the old one stays in the history." }
                (commitment_form(shell, "/commitments", kept.at(&Place::New), "Make this commitment", true))
            }
        } @else {
            p.notice { "Commitments are made by " (pair.partner_name) ", the partner who is repairing. You can see each one here, and say whether you witnessed it." }
        }
        @if book.commitments.iter().any(|c| c.author == pair.me) || calendar_since.is_some() {
            section.card id="calendar" aria-labelledby="calendar-h" {
                h2 #calendar-h { "In your own calendar" }
                p { "A private address your calendar app can subscribe to, with your own commitments and their schedules. It holds no one else's words." }
                p.hint { "Anyone who has the address can read it, and calendar apps may keep a copy on their own servers. Make a new address at any time, and the old one stops working; or turn it off." }
                @if let Some(url) = calendar_url {
                    div.notice role="status" {
                        p { strong { "Your calendar address:" } }
                        p { input.copy readonly value=(url) aria-label="Calendar address"; }
                        p.hint { "Kintsugi shows it only now, and keeps only a fingerprint of it. Paste it into your calendar app's \u{201c}subscribe\u{201d} or \u{201c}add by URL\u{201d}." }
                    }
                } @else if let Some(since) = calendar_since {
                    p { "Your address is active, made on " (date(since)) "." }
                }
                div.actions {
                    form method="post" action="/commitments/calendar" {
                        (shell.csrf_field())
                        button type="submit" { @if calendar_since.is_some() { "Make a new address" } @else { "Make a calendar address" } }
                    }
                    @if calendar_since.is_some() {
                        form method="post" action="/commitments/calendar/revoke" {
                            (shell.csrf_field())
                            button.secondary type="submit" { "Turn it off" }
                        }
                    }
                }
            }
        }
        script src="/assets/coach.js" defer {}
    }))
}

/// The words held back or refused, kept at the top so nothing is lost, with
/// the way to send them again.
fn kept_panel(shell: &Shell, kept: &Kept) -> Markup {
    html! {
        @if let Some(problem) = &kept.problem {
            div.errors role="alert" tabindex="-1" { p { (problem) } }
        }
        @if kept.place == Place::Top {
            @if let Some(Resend(action, label, hidden)) = &kept.action {
                div.notice.kept id="kept" {
                    (form_errors(&kept.errors))
                    @if kept.coached.is_some() { p role="alert" { "The coach has a concern about these words, shown below. Change them if you like, or send them as they are." } }
                    form method="post" action=(action) {
                        (shell.csrf_field())
                        @for (k, v) in hidden { input type="hidden" name=(k) value=(v); }
                        input type="hidden" name="today" value="" data-local-date;
                        label for="kept-note" { "Your note" }
                        (field_error(&kept.errors, "note"))
                        textarea #kept-note name="note" rows="3" maxlength=(commitment::NOTE_MAX_CHARS) { (kept.note) }
                        p.actions {
                            button type="submit" { (label) }
                            @if kept.coached.is_some() { button.secondary type="submit" name="send_anyway" value="yes" { "Send it as it is" } }
                        }
                    }
                    @if let Some((text, a)) = &kept.coached { div.coach-result { (coach::result(text, a)) } }
                }
            } @else if !kept.fields.text.trim().is_empty() {
                div.notice.kept {
                    p { "What you wrote is kept here, so nothing is lost:" }
                    blockquote { (paragraphs(&kept.fields.text)) }
                }
            }
        }
    }
}

/// The form that makes (or changes) a commitment. The one that makes it is
/// `live`: the coach reads it as it is typed (`coach.js` serves one form a
/// page); every form's words are read by the coach on sending, live or not.
fn commitment_form(
    shell: &Shell,
    action: &str,
    kept: Option<&Kept>,
    label: &str,
    live: bool,
) -> Markup {
    let f = kept
        .map(|k| k.fields.clone())
        .unwrap_or_else(|| CommitmentFields {
            repeat: "daily".into(),
            ..Default::default()
        });
    let errors = kept.map(|k| k.errors.clone()).unwrap_or_default();
    let coached = kept.and_then(|k| k.coached.as_ref());
    let id = |name: &str| {
        format!(
            "{}-{name}",
            action.trim_start_matches('/').replace('/', "-")
        )
    };
    html! {
        form.commitment method="post" action=(action) data-coach=[live.then_some("/coach")] {
            (shell.csrf_field())
            (form_errors(&errors))
            input type="hidden" name="today" value=(f.today) data-local-date;
            label for=(id("text")) { "What you commit to, in one sentence" }
            p.hint { "For example: \u{201c}I will be home by seven, or call before six if I cannot.\u{201d}" }
            (field_error(&errors, "text"))
            textarea id=(id("text")) name="text" rows="2" maxlength=(commitment::TEXT_MAX_CHARS) required { (f.text) }
            fieldset id="repeat" {
                legend { "How often" }
                (field_error(&errors, "repeat"))
                @for r in Repeat::ALL {
                    label.choice { input type="radio" name="repeat" value=(r.as_str()) checked[f.repeat == r.as_str()] required; " " (repeat_label(r)) }
                }
            }
            fieldset id="days" {
                legend { "On which days (for \u{201c}on chosen days\u{201d})" }
                (field_error(&errors, "days"))
                div.weekdays {
                    @for (_, short, _) in WEEK {
                        label.choice { input type="checkbox" name="days" value=(short) checked[f.days.iter().any(|d| d.as_str() == short)]; " " (day_label(short)) }
                    }
                }
            }
            label for=(id("starts")) { "From" }
            p.hint { "The first day; today if left empty. \u{201c}Every week\u{201d} repeats on this day's weekday." }
            (field_error(&errors, "starts"))
            input id=(id("starts")) type="date" name="starts" value=(f.starts);
            label for=(id("at")) { "At what time (optional)" }
            (field_error(&errors, "at"))
            input id=(id("at")) type="time" name="at" value=(f.at);
            p.actions {
                button type="submit" { (label) }
                @if coached.is_some() { button.secondary type="submit" name="send_anyway" value="yes" { "Send it as it is" } }
            }
            @if coached.is_some() { p.notice role="alert" { "The coach has a concern about these words, shown below. Change them if you like, or send them as they are." } }
            section.coach-result id=[live.then_some("coach-result")] aria-live="polite" {
                @if let Some((text, a)) = coached { (coach::result(text, a)) }
            }
        }
    }
}

fn repeat_label(r: Repeat) -> &'static str {
    match r {
        Repeat::Daily => "Every day",
        Repeat::Weekdays => "On chosen days of the week",
        Repeat::Weekly => "Every week",
        Repeat::Once => "Once",
    }
}

fn day_label(short: &str) -> &'static str {
    WEEK.iter()
        .find(|w| w.1 == short)
        .map(|w| schedule::weekday_name(w.0))
        .unwrap_or("")
}

fn mark_word(m: Option<Mark>) -> &'static str {
    match m {
        Some(Mark::Kept) => "kept",
        Some(Mark::Missed) => "missed",
        None => "not marked yet",
    }
}

fn seen_word(s: Seen) -> &'static str {
    match s {
        Seen::Witnessed => "saw it",
        Seen::SawOtherwise => "saw it differently",
    }
}

/// "Today", "Yesterday" or the date, with the time if it has one.
fn when(c: &CommitmentRecord, d: Date, today: Date) -> String {
    let day = if d == today {
        "Today".to_owned()
    } else if Some(d) == today.previous_day() {
        "Yesterday".to_owned()
    } else {
        schedule::long_date(d)
    };
    match c.schedule.at {
        Some(at) => format!("{day} at {}", schedule::clock(at)),
        None => day,
    }
}

fn occasion_path(id: i64, d: Date, what: &str) -> String {
    format!("/commitments/{id}/occasions/{}/{what}", iso(d))
}

fn mark_buttons(shell: &Shell, id: i64, d: Date, correction: bool) -> Markup {
    let note_id = format!("note-{id}-{}{}", iso(d), if correction { "-c" } else { "" });
    html! {
        form.mark method="post" action=(occasion_path(id, d, "mark")) {
            (shell.csrf_field())
            input type="hidden" name="today" value="" data-local-date;
            @if correction { input type="hidden" name="correction" value="yes"; }
            label for=(note_id) { @if correction { "What needs correcting (optional)" } @else { "A note for your partner (optional)" } }
            textarea id=(note_id) name="note" rows="2" maxlength=(commitment::NOTE_MAX_CHARS) {}
            p.actions {
                button type="submit" name="mark" value="kept" { @if correction { "Correct to: kept" } @else { "I kept it" } }
                button.secondary type="submit" name="mark" value="missed" { @if correction { "Correct to: missed" } @else { "I missed it" } }
            }
        }
    }
}

fn witness_buttons(shell: &Shell, id: i64, d: Date, correction: bool) -> Markup {
    let note_id = format!(
        "wnote-{id}-{}{}",
        iso(d),
        if correction { "-c" } else { "" }
    );
    html! {
        form.witness method="post" action=(occasion_path(id, d, "witness")) {
            (shell.csrf_field())
            input type="hidden" name="today" value="" data-local-date;
            @if correction { input type="hidden" name="correction" value="yes"; }
            label for=(note_id) { "A word on what you saw (optional)" }
            textarea id=(note_id) name="note" rows="2" maxlength=(commitment::NOTE_MAX_CHARS) {}
            p.actions {
                button type="submit" name="seen" value="witnessed" { "I saw it" }
                button.secondary type="submit" name="seen" value="saw_otherwise" { "I saw it differently" }
            }
        }
    }
}

fn commitment_card(
    shell: &Shell,
    pair: &Pair,
    book: &Book,
    c: &CommitmentRecord,
    kept: Option<&Kept>,
) -> Markup {
    let rep = commitment::reputation(&book.outcomes(|o| o.id == c.id), today());
    html! {
        article.card.commitment id={ "commitment-" (c.id) } {
            h3 { a href={ "/commitments/" (c.id) } { (c.text) } }
            p.meta { (c.schedule.describe()) ". " (if c.author == pair.me { "You made it".to_owned() } else { format!("{} made it", pair.partner_name) }) " on " (date(c.created_at)) "." }
            @if let Some(old) = c.replaces { p.meta { "It changed " a href={ "/commitments/" (old) } { "an earlier commitment" } "." } }
            @if let Some(e) = &c.ending {
                p.meta {
                    @match e.reason {
                        EndReason::Ended => { "Ended on " (date(e.at)) "." }
                        EndReason::Changed => { "Changed on " (date(e.at)) @if let Some(n) = c.replaced_by { ": " a href={ "/commitments/" (n) } { "see the new wording" } } "." }
                    }
                }
                @if let Some(note) = &e.note { blockquote { (paragraphs(note)) } }
            }
            p.reputation { (in_words(&rep)) }
            p { a href={ "/commitments/" (c.id) } { "Every occasion, with marks and what was seen" } }
            @if c.author == pair.me && c.ending.is_none() {
                details.change open[kept.is_some()] {
                    summary { "Change the words or the schedule" }
                    p.hint { "This ends the commitment as it is and starts a new one that refers back to it; your partner sees both." }
                    (commitment_form(shell, &format!("/commitments/{}/change", c.id), kept, "Change it", false))
                }
                details.end {
                    summary { "End this commitment" }
                    form method="post" action={ "/commitments/" (c.id) "/end" } {
                        (shell.csrf_field())
                        input type="hidden" name="today" value="" data-local-date;
                        label for={ "end-note-" (c.id) } { "A note for your partner (optional)" }
                        textarea id={ "end-note-" (c.id) } name="note" rows="2" maxlength=(commitment::NOTE_MAX_CHARS) {}
                        p.actions { button.secondary type="submit" { "End it" } }
                    }
                }
            }
        }
    }
}

fn date(unix: i64) -> String {
    OffsetDateTime::from_unix_timestamp(unix)
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
        .format(time::macros::format_description!(
            "[day padding:none] [month repr:long] [year]"
        ))
        .unwrap_or_default()
}

/// The occasions a commitment has had so far, newest first, at most a year's.
fn past_occasions(c: &CommitmentRecord, today: Date) -> Vec<Date> {
    let mut days = c.schedule.occasions(today - Duration::days(366), today);
    days.reverse();
    days
}

async fn commitment_page(
    State(state): State<AppState>,
    shell: Shell,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> Result<Response, Error> {
    let pair = match page_pair(&state, &shell, &viewer, &format!("/commitments/{id}")).await? {
        Ok(p) => p,
        Err(r) => return Ok(r),
    };
    let c = load(&state, &pair, id).await?;
    let book = Book::load(&state, pair.couple(), Some(id)).await?;
    let today = today();
    let rep = commitment::reputation(&book.outcomes(|_| true), today);
    let occasions = past_occasions(&c, today);
    let mine = c.author == pair.me;
    Ok(shell.render(&c.text, html! {
        p { a href="/commitments" { "All commitments" } }
        h1 { (c.text) }
        p.meta { (c.schedule.describe()) ". " (if mine { "You made it".to_owned() } else { format!("{} made it", pair.partner_name) }) " on " (date(c.created_at)) "." }
        @if let Some(old) = c.replaces { p.meta { "It changed " a href={ "/commitments/" (old) } { "an earlier commitment" } "." } }
        @if let Some(e) = &c.ending {
            p.meta { (if e.reason == EndReason::Ended { "Ended" } else { "Changed" }) " on " (date(e.at)) "." @if let Some(n) = c.replaced_by { " " a href={ "/commitments/" (n) } { "See the new wording" } "." } }
            @if let Some(note) = &e.note { blockquote { (paragraphs(note)) } }
        }
        p.reputation { (in_words(&rep)) }
        h2 { "Occasions" }
        @if occasions.is_empty() {
            p { "Its first occasion has not come yet." }
        }
        ol.history reversed {
            @for d in &occasions {
                @let marks = book.marks(c.id, *d);
                @let seen = book.witnesses(c.id, *d);
                li.card.occasion id={ "occasion-" (iso(*d)) } {
                    h3 { (when(&c, *d, today)) }
                    @if marks.is_empty() { p.meta { "Not marked yet." } }
                    @for (i, m) in marks.iter().enumerate() {
                        div.mark {
                            p {
                                strong { (pair.name(m.by)) } " marked it " strong { (mark_word(Some(m.mark))) }
                                @if i > 0 { " (a correction)" }
                                " on " (date(m.at)) "."
                                @if i + 1 < marks.len() { " " span.meta { "Corrected later." } }
                            }
                            @if let Some(n) = &m.note { blockquote { (paragraphs(n)) } }
                        }
                    }
                    @for (i, w) in seen.iter().enumerate() {
                        div.seen {
                            p { strong { (pair.name(w.by)) } " " (seen_word(w.seen)) @if i > 0 { " (a correction)" } " on " (date(w.at)) "." }
                            @if let Some(n) = &w.note { blockquote { (paragraphs(n)) } }
                        }
                    }
                    @if book.outcome(c.id, *d) == Some(Outcome::Disputed) {
                        p.notice { "Marked kept and seen differently: both words stand, and this occasion is not counted either way." }
                    }
                    @if mine {
                        details {
                            summary { @if marks.is_empty() { "Mark it" } @else { "Correct the mark" } }
                            (mark_buttons(&shell, c.id, *d, !marks.is_empty()))
                        }
                    } @else if !marks.is_empty() {
                        details {
                            summary { @if seen.is_empty() { "Say what you saw" } @else { "Correct what you said" } }
                            (witness_buttons(&shell, c.id, *d, !seen.is_empty()))
                        }
                    }
                }
            }
        }
    }).into_response())
}

/// What a form action becomes: the page it should lead to, or the page again.
async fn answered(
    state: &AppState,
    shell: &Shell,
    pair: &Pair,
    kept: Kept,
    result: Result<Sent<i64>, Error>,
    done: impl FnOnce(i64) -> String,
) -> Result<Response, Error> {
    match result {
        Ok(Sent::Done(id)) => Ok(Redirect::to(&done(id)).into_response()),
        Ok(Sent::HeldBack(text, analysis)) => {
            again(state, shell, pair, kept, Ok((text, analysis))).await
        }
        Err(e) => again(state, shell, pair, kept, Err(e)).await,
    }
}

async fn form_pair(
    state: &AppState,
    shell: &Shell,
    viewer: &Viewer,
) -> Result<Result<Pair, Response>, Error> {
    page_pair(state, shell, viewer, "/commitments").await
}

async fn make_form(
    State(state): State<AppState>,
    shell: Shell,
    viewer: Viewer,
    Form(f): Form<CommitmentFields>,
) -> Result<Response, Error> {
    let pair = match form_pair(&state, &shell, &viewer).await? {
        Ok(p) => p,
        Err(r) => return Ok(r),
    };
    let result = make(&state, &pair, &f).await;
    let kept = Kept {
        place: Place::New,
        fields: f,
        ..Default::default()
    };
    answered(&state, &shell, &pair, kept, result, |id| {
        format!("/commitments#commitment-{id}")
    })
    .await
}

async fn change_form(
    State(state): State<AppState>,
    shell: Shell,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(f): Form<CommitmentFields>,
) -> Result<Response, Error> {
    let pair = match form_pair(&state, &shell, &viewer).await? {
        Ok(p) => p,
        Err(r) => return Ok(r),
    };
    let result = change(&state, &pair, id, &f).await;
    let kept = Kept {
        place: Place::Change(id),
        fields: f,
        ..Default::default()
    };
    answered(&state, &shell, &pair, kept, result, |n| {
        format!("/commitments#commitment-{n}")
    })
    .await
}

async fn end_form(
    State(state): State<AppState>,
    shell: Shell,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(f): Form<EndFields>,
) -> Result<Response, Error> {
    let pair = match form_pair(&state, &shell, &viewer).await? {
        Ok(p) => p,
        Err(r) => return Ok(r),
    };
    let result = end(&state, &pair, id, &f).await;
    let kept = Kept {
        action: Some(Resend(
            format!("/commitments/{id}/end"),
            "End it".into(),
            vec![],
        )),
        note: f.note.clone(),
        ..Default::default()
    };
    answered(&state, &shell, &pair, kept, result, |n| {
        format!("/commitments/{n}")
    })
    .await
}

async fn mark_form(
    State(state): State<AppState>,
    shell: Shell,
    viewer: Viewer,
    Path((id, day)): Path<(i64, String)>,
    Form(f): Form<MarkFields>,
) -> Result<Response, Error> {
    let pair = match form_pair(&state, &shell, &viewer).await? {
        Ok(p) => p,
        Err(r) => return Ok(r),
    };
    let result = mark(&state, &pair, id, &day, &f).await;
    let mut hidden = vec![("mark", f.mark.clone())];
    if yes(&f.correction) {
        hidden.push(("correction", "yes".into()));
    }
    let kept = Kept {
        action: Some(Resend(
            format!("/commitments/{id}/occasions/{}/mark", day.trim()),
            format!(
                "Mark it {}",
                if f.mark == "missed" { "missed" } else { "kept" }
            ),
            hidden,
        )),
        note: f.note.clone(),
        ..Default::default()
    };
    answered(&state, &shell, &pair, kept, result, |n| {
        format!("/commitments/{n}#occasion-{}", day.trim())
    })
    .await
}

async fn witness_form(
    State(state): State<AppState>,
    shell: Shell,
    viewer: Viewer,
    Path((id, day)): Path<(i64, String)>,
    Form(f): Form<WitnessFields>,
) -> Result<Response, Error> {
    let pair = match form_pair(&state, &shell, &viewer).await? {
        Ok(p) => p,
        Err(r) => return Ok(r),
    };
    let result = witness(&state, &pair, id, &day, &f).await;
    let mut hidden = vec![("seen", f.seen.clone())];
    if yes(&f.correction) {
        hidden.push(("correction", "yes".into()));
    }
    let kept = Kept {
        action: Some(Resend(
            format!("/commitments/{id}/occasions/{}/witness", day.trim()),
            "Send".into(),
            hidden,
        )),
        note: f.note.clone(),
        ..Default::default()
    };
    answered(&state, &shell, &pair, kept, result, |n| {
        format!("/commitments/{n}#occasion-{}", day.trim())
    })
    .await
}

async fn calendar_form(
    State(state): State<AppState>,
    shell: Shell,
    viewer: Viewer,
) -> Result<Response, Error> {
    let pair = match form_pair(&state, &shell, &viewer).await? {
        Ok(p) => p,
        Err(r) => return Ok(r),
    };
    let url = new_calendar(&state, &pair).await?;
    Ok(
        main_page(&state, &shell, &pair, 30, &Kept::default(), Some(&url))
            .await?
            .into_response(),
    )
}

async fn revoke_form(
    State(state): State<AppState>,
    shell: Shell,
    viewer: Viewer,
) -> Result<Response, Error> {
    let pair = match form_pair(&state, &shell, &viewer).await? {
        Ok(p) => p,
        Err(r) => return Ok(r),
    };
    state.store.revoke_calendar_feed(pair.me).await?;
    Ok(Redirect::to("/commitments#calendar").into_response())
}

// ---- The API ----

#[derive(Debug, Serialize, ToSchema)]
pub struct ScheduleView {
    /// `daily`, `weekdays`, `weekly` or `once`.
    pub repeat: &'static str,
    /// For `weekdays`: `mon`…`sun`.
    pub days: Vec<&'static str>,
    pub starts: String,
    /// The last day it can have an occasion, once it has ended.
    pub until: Option<String>,
    /// `HH:MM`, local.
    pub at: Option<String>,
    /// In plain words.
    pub description: String,
    /// The RFC 5545 recurrence rule, when it repeats.
    pub rrule: Option<String>,
}

fn schedule_view(s: &Schedule) -> ScheduleView {
    ScheduleView {
        repeat: s.repeat.as_str(),
        days: WEEK
            .iter()
            .filter(|w| s.days.contains(w.0))
            .map(|w| w.1)
            .collect(),
        starts: iso(s.starts),
        until: s.until.map(iso),
        at: s.at.map(schedule::clock),
        description: s.describe(),
        rrule: s.rrule(),
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReputationView {
    /// (r + 1) / (r + s + 2), from 0 to 1.
    pub expected: f64,
    /// The Beta distribution's standard deviation.
    pub spread: f64,
    /// The band drawn: expected ± spread, within 0..1.
    pub low: f64,
    pub high: f64,
    pub kept: u32,
    pub missed: u32,
    /// Marked kept and seen otherwise: shown, counted neither way.
    pub disputed: u32,
    /// r and s, the weighted counts.
    pub kept_weight: f64,
    pub missed_weight: f64,
    pub half_life_days: f64,
}

fn reputation_view(r: &Reputation) -> ReputationView {
    ReputationView {
        expected: r.expected,
        spread: r.spread,
        low: r.low(),
        high: r.high(),
        kept: r.kept,
        missed: r.missed,
        disputed: r.disputed,
        kept_weight: r.kept_weight,
        missed_weight: r.missed_weight,
        half_life_days: HALF_LIFE_DAYS,
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EndingView {
    pub last_day: String,
    /// `ended` or `changed`.
    pub reason: &'static str,
    pub note: Option<String>,
    pub at: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CommitmentView {
    pub id: i64,
    /// `me` or `partner`.
    pub maker: &'static str,
    pub text: String,
    pub schedule: ScheduleView,
    pub replaces: Option<i64>,
    pub replaced_by: Option<i64>,
    pub ending: Option<EndingView>,
    pub created_at: i64,
    pub reputation: ReputationView,
}

fn commitment_view(pair: &Pair, book: &Book, c: &CommitmentRecord) -> CommitmentView {
    CommitmentView {
        id: c.id,
        maker: pair.who(c.author),
        text: c.text.clone(),
        schedule: schedule_view(&c.schedule),
        replaces: c.replaces,
        replaced_by: c.replaced_by,
        ending: c.ending.as_ref().map(|e| EndingView {
            last_day: iso(e.last_day),
            reason: e.reason.as_str(),
            note: e.note.clone(),
            at: e.at,
        }),
        created_at: c.created_at,
        reputation: reputation_view(&commitment::reputation(
            &book.outcomes(|o| o.id == c.id),
            today(),
        )),
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MarkView {
    /// `kept` or `missed`.
    pub mark: &'static str,
    pub note: Option<String>,
    /// 1 for the first mark; higher for corrections.
    pub seq: i64,
    pub at: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct WitnessView {
    /// `witnessed` or `saw_otherwise`.
    pub seen: &'static str,
    pub note: Option<String>,
    pub seq: i64,
    pub at: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OccasionView {
    pub day: String,
    /// Every mark, the first and its corrections, in order.
    pub marks: Vec<MarkView>,
    /// Every word the other partner gave, in order.
    pub witnesses: Vec<WitnessView>,
    /// How it counts: `kept`, `missed`, `disputed`, or null while unmarked.
    #[schema(value_type = Option<String>)]
    pub outcome: Option<Outcome>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CommitmentDetail {
    pub commitment: CommitmentView,
    /// Every occasion so far (at most a year's), newest first.
    pub occasions: Vec<OccasionView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MakerView {
    /// `me` or `partner`.
    pub maker: &'static str,
    pub reputation: ReputationView,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CommitmentList {
    pub commitments: Vec<CommitmentView>,
    /// Overall, for each partner who makes commitments.
    pub overall: Vec<MakerView>,
}

fn detail(pair: &Pair, book: &Book, c: &CommitmentRecord) -> CommitmentDetail {
    CommitmentDetail {
        commitment: commitment_view(pair, book, c),
        occasions: past_occasions(c, today())
            .into_iter()
            .map(|d| OccasionView {
                day: iso(d),
                marks: book
                    .marks(c.id, d)
                    .iter()
                    .map(|m| MarkView {
                        mark: m.mark.as_str(),
                        note: m.note.clone(),
                        seq: m.seq,
                        at: m.at,
                    })
                    .collect(),
                witnesses: book
                    .witnesses(c.id, d)
                    .iter()
                    .map(|w| WitnessView {
                        seen: w.seen.as_str(),
                        note: w.note.clone(),
                        seq: w.seq,
                        at: w.at,
                    })
                    .collect(),
                outcome: book.outcome(c.id, d),
            })
            .collect(),
    }
}

async fn api_pair(state: &AppState, viewer: &Viewer) -> Result<Pair, Error> {
    let pair = pair(state, viewer).await?;
    pair.require_open()?;
    Ok(pair)
}

/// Every commitment of the couple, both partners', with each one's
/// reputation and each maker's overall.
#[utoipa::path(get, path = "/api/v1/commitments", tag = "commitments", security(("bearer" = [])),
    responses((status = 200, body = CommitmentList), (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)))]
pub async fn list_api(
    State(state): State<AppState>,
    viewer: Viewer,
) -> Result<Json<CommitmentList>, Error> {
    let pair = api_pair(&state, &viewer).await?;
    let book = Book::load(&state, pair.couple(), None).await?;
    Ok(Json(CommitmentList {
        commitments: book
            .commitments
            .iter()
            .map(|c| commitment_view(&pair, &book, c))
            .collect(),
        overall: pair
            .makers()
            .into_iter()
            .map(|m| MakerView {
                maker: pair.who(m),
                reputation: reputation_view(&commitment::reputation(
                    &book.outcomes(|c| c.author == m),
                    today(),
                )),
            })
            .collect(),
    }))
}

/// One commitment with every occasion so far, its marks and what was seen.
#[utoipa::path(get, path = "/api/v1/commitments/{id}", tag = "commitments", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = CommitmentDetail), (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn one_api(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> Result<Json<CommitmentDetail>, Error> {
    let pair = api_pair(&state, &viewer).await?;
    let c = load(&state, &pair, id).await?;
    let book = Book::load(&state, pair.couple(), Some(id)).await?;
    Ok(Json(detail(&pair, &book, &c)))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SendOutcome {
    /// False when the coach had a concern and `send_anyway` was not set:
    /// nothing reached the partner.
    pub sent: bool,
    pub commitment: Option<CommitmentDetail>,
    /// The coach's reading of the words, when it held them back.
    #[schema(value_type = Option<Object>)]
    pub analysis: Option<Analysis>,
}

async fn outcome_of(
    state: &AppState,
    pair: &Pair,
    sent: Sent<i64>,
    done: StatusCode,
) -> Result<(StatusCode, Json<SendOutcome>), Error> {
    Ok(match sent {
        Sent::Done(id) => {
            let c = load(state, pair, id).await?;
            let book = Book::load(state, pair.couple(), Some(id)).await?;
            (
                done,
                Json(SendOutcome {
                    sent: true,
                    commitment: Some(detail(pair, &book, &c)),
                    analysis: None,
                }),
            )
        }
        Sent::HeldBack(_, analysis) => (
            StatusCode::OK,
            Json(SendOutcome {
                sent: false,
                commitment: None,
                analysis: Some(analysis),
            }),
        ),
    })
}

/// Make a commitment (the repairing partner, or either when both are).
/// The coach reads the words first: with a concern, nothing is sent unless
/// `send_anyway` is true.
#[utoipa::path(post, path = "/api/v1/commitments", tag = "commitments", request_body = CommitmentFields, security(("bearer" = [])),
    responses((status = 201, body = SendOutcome), (status = 200, body = SendOutcome), (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn make_api(
    State(state): State<AppState>,
    viewer: Viewer,
    ApiJson(f): ApiJson<CommitmentFields>,
) -> Result<(StatusCode, Json<SendOutcome>), Error> {
    let pair = api_pair(&state, &viewer).await?;
    let sent = make(&state, &pair, &f).await?;
    outcome_of(&state, &pair, sent, StatusCode::CREATED).await
}

/// Change a commitment's words or schedule: it ends the day before the new
/// one starts, and the new one (returned) refers back to it.
#[utoipa::path(post, path = "/api/v1/commitments/{id}/change", tag = "commitments", params(("id" = i64, Path)), request_body = CommitmentFields, security(("bearer" = [])),
    responses((status = 201, body = SendOutcome), (status = 200, body = SendOutcome), (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn change_api(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    ApiJson(f): ApiJson<CommitmentFields>,
) -> Result<(StatusCode, Json<SendOutcome>), Error> {
    let pair = api_pair(&state, &viewer).await?;
    let sent = change(&state, &pair, id, &f).await?;
    outcome_of(&state, &pair, sent, StatusCode::CREATED).await
}

/// End a commitment, with an optional note; today is its last occasion.
#[utoipa::path(post, path = "/api/v1/commitments/{id}/end", tag = "commitments", params(("id" = i64, Path)), request_body = EndFields, security(("bearer" = [])),
    responses((status = 200, body = SendOutcome), (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn end_api(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    ApiJson(f): ApiJson<EndFields>,
) -> Result<(StatusCode, Json<SendOutcome>), Error> {
    let pair = api_pair(&state, &viewer).await?;
    let sent = end(&state, &pair, id, &f).await?;
    outcome_of(&state, &pair, sent, StatusCode::OK).await
}

/// Mark an occasion of one's own commitment kept or missed. Refused: 403
/// for the partner's commitment, 400 for a day the schedule does not
/// produce, 409 for a day still to come or one already marked (send
/// `correction: true` to correct it; the first mark stays).
#[utoipa::path(post, path = "/api/v1/commitments/{id}/occasions/{day}/mark", tag = "commitments", params(("id" = i64, Path), ("day" = String, Path, description = "YYYY-MM-DD")), request_body = MarkFields, security(("bearer" = [])),
    responses((status = 201, body = SendOutcome), (status = 200, body = SendOutcome), (status = 400, body = crate::error::ErrorBody), (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn mark_api(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, day)): Path<(i64, String)>,
    ApiJson(f): ApiJson<MarkFields>,
) -> Result<(StatusCode, Json<SendOutcome>), Error> {
    let pair = api_pair(&state, &viewer).await?;
    let sent = mark(&state, &pair, id, &day, &f).await?;
    outcome_of(&state, &pair, sent, StatusCode::CREATED).await
}

/// Say whether one saw the partner's marked occasion (`witnessed`) or saw
/// it differently (`saw_otherwise`). Refused: 403 for one's own
/// commitment, 409 before it is marked or when already answered (send
/// `correction: true`; the first word stays).
#[utoipa::path(post, path = "/api/v1/commitments/{id}/occasions/{day}/witness", tag = "commitments", params(("id" = i64, Path), ("day" = String, Path, description = "YYYY-MM-DD")), request_body = WitnessFields, security(("bearer" = [])),
    responses((status = 201, body = SendOutcome), (status = 200, body = SendOutcome), (status = 400, body = crate::error::ErrorBody), (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn witness_api(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, day)): Path<(i64, String)>,
    ApiJson(f): ApiJson<WitnessFields>,
) -> Result<(StatusCode, Json<SendOutcome>), Error> {
    let pair = api_pair(&state, &viewer).await?;
    let sent = witness(&state, &pair, id, &day, &f).await?;
    outcome_of(&state, &pair, sent, StatusCode::CREATED).await
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ConsistencyPoint {
    pub day: String,
    pub expected: f64,
    pub low: f64,
    pub high: f64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TrustPoint {
    pub day: String,
    /// The other partner's trust rating that day, 0–10, as far as you may see it.
    pub trust: u8,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MakerConsistency {
    /// `me` or `partner`: whose commitments.
    pub maker: &'static str,
    /// What happened, day by day.
    pub reliability: Vec<ConsistencyPoint>,
    /// How it feels: the other partner's check-ins, never merged with the above.
    pub trust: Vec<TrustPoint>,
    pub now: ReputationView,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ConsistencyView {
    pub days: i64,
    pub makers: Vec<MakerConsistency>,
}

/// What happened beside how it feels, day by day over 30 or 90 days.
#[utoipa::path(get, path = "/api/v1/commitments/consistency", tag = "commitments", params(Window), security(("bearer" = [])),
    responses((status = 200, body = ConsistencyView), (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)))]
pub async fn consistency_api(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(w): Query<Window>,
) -> Result<Json<ConsistencyView>, Error> {
    let pair = api_pair(&state, &viewer).await?;
    let book = Book::load(&state, pair.couple(), None).await?;
    let views = consistency(&state, &pair, &book, w.days()).await?;
    Ok(Json(ConsistencyView {
        days: w.days(),
        makers: views
            .iter()
            .map(|v| MakerConsistency {
                maker: pair.who(v.maker),
                reliability: v
                    .series
                    .iter()
                    .map(|(d, r)| ConsistencyPoint {
                        day: iso(*d),
                        expected: r.expected,
                        low: r.low(),
                        high: r.high(),
                    })
                    .collect(),
                trust: v
                    .trust
                    .iter()
                    .map(|(d, t)| TrustPoint {
                        day: iso(*d),
                        trust: *t,
                    })
                    .collect(),
                now: reputation_view(&v.now),
            })
            .collect(),
    }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CalendarAddress {
    /// The private address; shown only now. Anyone with it can read your
    /// own commitments, so keep it as you would a key.
    pub url: String,
}

/// Make a new private calendar address for one's own commitments; any
/// earlier address stops working.
#[utoipa::path(post, path = "/api/v1/commitments/calendar", tag = "commitments", security(("bearer" = [])),
    responses((status = 201, body = CalendarAddress), (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)))]
pub async fn calendar_api(
    State(state): State<AppState>,
    viewer: Viewer,
) -> Result<(StatusCode, Json<CalendarAddress>), Error> {
    let pair = api_pair(&state, &viewer).await?;
    let url = new_calendar(&state, &pair).await?;
    Ok((StatusCode::CREATED, Json(CalendarAddress { url })))
}

/// Turn the calendar address off; it answers 404 from now on.
#[utoipa::path(delete, path = "/api/v1/commitments/calendar", tag = "commitments", security(("bearer" = [])),
    responses((status = 204), (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn revoke_api(
    State(state): State<AppState>,
    viewer: Viewer,
) -> Result<StatusCode, Error> {
    let pair = pair(&state, &viewer).await?;
    if state.store.revoke_calendar_feed(pair.me).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(Error::NotFound)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_fold_without_splitting_a_character() {
        let line = format!("SUMMARY:{}", "é".repeat(60));
        let folded = fold(&line);
        for l in folded.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(l.len() <= 75, "{l:?} is {} octets", l.len());
        }
        assert_eq!(folded.replace("\r\n ", ""), format!("{line}\r\n"));
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(ical_text("a, b; c\\d\ne"), "a\\, b\\; c\\\\d\\ne");
    }
}
