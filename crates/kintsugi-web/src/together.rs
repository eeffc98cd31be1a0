//! Stage 11, growing together: shared goals with small steps either partner
//! can add and tick off, rituals the couple chooses, appreciations for the
//! partner, and a book of good moments.
//!
//! Everything here belongs to the couple, so both partners see all of it;
//! what the rules protect is the record: a step ticked off says who did it
//! and when, and un-ticking it adds to its history instead of erasing it.
//! Rituals are gentle reminders — today's are shown here and on the home
//! page — with nothing that counts days kept or missed. An appreciation is
//! read by the coach before it goes, as a message is: it affirms what is
//! warm, and a draft with a concern is shown its findings first; the author
//! may always send it as it is.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Json;
use axum_extra::extract::Form;
use kintsugi_coach::Analysis;
use kintsugi_core::growing::{self, RitualDraft, WEEKDAYS};
use kintsugi_core::{CoupleId, Invalid, UserId};
use kintsugi_store::{Appreciation, Goal, GoodMoment, RitualRecord, Step};
use maud::{html, Markup};
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use utoipa::ToSchema;

use crate::api::ApiJson;
use crate::coach::{self, coached};
use crate::couple::{resting_notice, Space};
use crate::layout::{field_error, form_errors, iso, paragraphs, Shell};
use crate::routing::Routes;
use crate::security::session::Viewer;
use crate::state::{now, today, AppState};
use crate::Error;

const TITLE: &str = "Growing together";

pub fn routes() -> Routes {
    Routes::new()
        .get("/together", together_page)
        .post("/together/goals", goal_form)
        .post("/together/goals/{id}/steps", step_form)
        .post("/together/steps/{id}/tick", tick_form)
        .post("/together/rituals", ritual_form)
        .post("/together/appreciations", appreciation_form)
        .post("/together/moments", moment_form)
}

pub fn api_routes() -> Routes {
    Routes::new()
        .get("/together", together_api)
        .post("/goals", goal_api)
        .post("/goals/{id}/steps", step_api)
        .post("/steps/{id}/tick", tick_api)
        .post("/rituals", ritual_api)
        .post("/appreciations", appreciation_api)
        .post("/moments", moment_api)
}

/// The viewer and their partner: these tools are for the two of them.
pub(crate) struct Pair {
    pub space: Space,
    pub me: UserId,
    pub partner_name: String,
}

pub(crate) async fn pair(state: &AppState, viewer: &Viewer) -> Result<Pair, Error> {
    let space = Space::load(state, viewer.user.id).await?;
    space.require_safety_check_api()?;
    let partner = space
        .require_couple()?
        .partner
        .clone()
        .ok_or(Error::Forbidden(
            "This is for the two of you: invite your partner first.",
        ))?;
    if !space.open {
        return Err(Error::Forbidden(
            "Your shared space is resting for now, so this rests too.",
        ));
    }
    Ok(Pair {
        me: space.me,
        partner_name: partner.username,
        space,
    })
}

impl Pair {
    pub fn couple(&self) -> CoupleId {
        self.space.couple().expect("a pair has a couple")
    }

    /// "You" or the partner's name, for pages.
    pub fn name(&self, who: UserId) -> &str {
        if who == self.me {
            "You"
        } else {
            &self.partner_name
        }
    }

    /// `me` or `partner`, for the API.
    pub fn who(&self, user: UserId) -> &'static str {
        if user == self.me {
            "me"
        } else {
            "partner"
        }
    }
}

/// For pages: the safety check first when it is due, and a calm page for a
/// person without a partner or whose shared space rests.
pub(crate) async fn page_pair(
    state: &AppState,
    shell: &Shell,
    viewer: &Viewer,
    here: &str,
    title: &str,
    guide: &str,
) -> Result<Result<Pair, Response>, Error> {
    let space = Space::load(state, viewer.user.id).await?;
    if let Err(redirect) = space.require_safety_check(here) {
        return Ok(Err(redirect.into_response()));
    }
    if space.has_partner() && !space.open {
        return Ok(Err(shell
            .render(title, html! { h1 { (title) } (resting_notice()) })
            .into_response()));
    }
    match pair(state, viewer).await {
        Ok(p) => Ok(Ok(p)),
        Err(Error::Forbidden(why)) => Ok(Err(shell
            .render(
                title,
                html! {
                    h1 { (title) }
                    p.lead { (guide) }
                    p { (why) " " a href="/couple" { "Go to your couple's space" } "." }
                },
            )
            .into_response())),
        Err(e) => Err(e),
    }
}

/// A date both partners read the same (UTC): `9 May 2026`.
pub(crate) fn date(unix: i64) -> String {
    OffsetDateTime::from_unix_timestamp(unix)
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
        .format(time::macros::format_description!(
            "[day padding:none] [month repr:long] [year]"
        ))
        .unwrap_or_default()
}

fn day_words(day: Date) -> String {
    day.format(time::macros::format_description!(
        "[weekday repr:long] [day padding:none] [month repr:long] [year]"
    ))
    .unwrap_or_default()
}

/// "Send as it is", from a form (`yes`) or JSON (`true`).
fn anyway(v: &serde_json::Value) -> bool {
    matches!(v, serde_json::Value::Bool(true))
        || v.as_str().is_some_and(|s| s == "yes" || s == "true")
}

fn lower(name: &str) -> String {
    if name == "You" {
        "you".to_owned()
    } else {
        name.to_owned()
    }
}

// ---- What each action does, for pages and the API alike ----

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct GoalFields {
    /// The goal, in one line.
    #[serde(default)]
    pub title: String,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct StepFields {
    /// A small next step, in one line.
    #[serde(default)]
    pub text: String,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct TickFields {
    /// True (or `yes`) to tick the step off, false (or `no`) to un-tick it.
    #[serde(default)]
    #[schema(value_type = bool)]
    pub done: serde_json::Value,
}

impl TickFields {
    fn done(&self) -> Result<bool, Error> {
        match &self.done {
            serde_json::Value::Bool(b) => Ok(*b),
            serde_json::Value::String(s) if s == "yes" || s == "true" => Ok(true),
            serde_json::Value::String(s) if s == "no" || s == "false" => Ok(false),
            _ => Err(Error::Invalid(vec![Invalid::new(
                "done",
                "Say whether the step is done (true) or not done after all (false).",
            )])),
        }
    }
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct RitualFields {
    #[serde(default)]
    pub name: String,
    /// `daily`, `days` (on the chosen `days`) or `weekly` (on `weekday`).
    #[serde(default)]
    pub repeats: String,
    /// For `days`: `mo`, `tu`, `we`, `th`, `fr`, `sa`, `su`.
    #[serde(default)]
    pub days: Vec<String>,
    /// For `weekly`: one of the same.
    #[serde(default)]
    pub weekday: String,
    /// The time of day, `19:30`.
    #[serde(default)]
    pub time: String,
    #[serde(default)]
    pub note: String,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct AppreciationFields {
    #[serde(default)]
    pub text: String,
    /// Send even though the coach has a concern.
    #[serde(default)]
    #[schema(value_type = Option<bool>)]
    pub send_anyway: serde_json::Value,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct MomentFields {
    /// The day it happened, `2026-05-09`; today when empty.
    #[serde(default)]
    pub day: String,
    #[serde(default)]
    pub text: String,
}

async fn add_goal(state: &AppState, pair: &Pair, f: &GoalFields) -> Result<i64, Error> {
    let title = growing::parse_goal(&f.title)?;
    Ok(state
        .store
        .add_goal(pair.couple(), pair.me, &title, now())
        .await?)
}

async fn add_step(state: &AppState, pair: &Pair, goal: i64, f: &StepFields) -> Result<i64, Error> {
    let text = growing::parse_step(&f.text)?;
    state
        .store
        .add_step(pair.couple(), goal, pair.me, &text, now())
        .await?
        .ok_or(Error::NotFound)
}

/// Ticks a step of the couple's off, or un-ticks it. Saying what is already
/// so (a replayed form) adds nothing to its history.
async fn tick(state: &AppState, pair: &Pair, step: i64, done: bool) -> Result<(i64, Step), Error> {
    let find = |goals: Vec<Goal>| {
        goals.into_iter().find_map(|g| {
            let id = g.id;
            g.steps.into_iter().find(|s| s.id == step).map(|s| (id, s))
        })
    };
    let (goal, current) = find(state.store.goals(pair.couple()).await?).ok_or(Error::NotFound)?;
    if current.done().is_some() == done {
        return Ok((goal, current));
    }
    if !state
        .store
        .tick_step(pair.couple(), step, pair.me, done, now())
        .await?
    {
        return Err(Error::NotFound);
    }
    find(state.store.goals(pair.couple()).await?).ok_or(Error::NotFound)
}

async fn add_ritual(
    state: &AppState,
    pair: &Pair,
    f: &RitualFields,
) -> Result<RitualRecord, Error> {
    let ritual = growing::parse_ritual(&RitualDraft {
        name: &f.name,
        repeats: &f.repeats,
        days: &f.days,
        weekday: &f.weekday,
        time: &f.time,
        note: &f.note,
    })
    .map_err(Error::Invalid)?;
    Ok(state
        .store
        .add_ritual(pair.couple(), pair.me, &ritual, now())
        .await?)
}

enum Sent {
    Done(Appreciation, Analysis),
    /// The coach had a concern, or the words go back to something laid to
    /// rest: nothing was sent.
    HeldBack(Analysis),
}

async fn appreciate(state: &AppState, pair: &Pair, f: &AppreciationFields) -> Result<Sent, Error> {
    let text = growing::parse_appreciation(&f.text)?;
    let analysis = coached(state, pair.couple(), &text, "message").await?;
    if (analysis.concern || coach::reopens(&analysis)) && !anyway(&f.send_anyway) {
        return Ok(Sent::HeldBack(analysis));
    }
    let sent = state
        .store
        .send_appreciation(pair.couple(), pair.me, &text, now())
        .await?;
    Ok(Sent::Done(sent, analysis))
}

async fn add_moment(state: &AppState, pair: &Pair, f: &MomentFields) -> Result<GoodMoment, Error> {
    let moment = growing::parse_moment(&f.day, &f.text, today()).map_err(Error::Invalid)?;
    Ok(state
        .store
        .add_good_moment(pair.couple(), pair.me, &moment, now())
        .await?)
}

// ---- Pages ----

fn guide() -> &'static str {
    "Repair is also what you build next. Here you can choose goals for the two of you and the small steps towards them, keep rituals that bring you back to each other, say thank you, and write down the good moments so they stay."
}

/// Which form something typed belongs to, when it comes back.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
enum Place {
    #[default]
    Nowhere,
    Goal,
    Step(i64),
    Ritual,
    Appreciation,
    Moment,
}

/// What the person typed, kept when an action needs another look.
#[derive(Default)]
struct Kept {
    place: Place,
    text: String,
    ritual: RitualFields,
    day: String,
    errors: Vec<Invalid>,
    coached: Option<Analysis>,
    problem: Option<String>,
}

impl Kept {
    fn at(&self, place: Place) -> Option<&Kept> {
        (self.place == place).then_some(self)
    }

    fn errors_at(&self, place: Place) -> &[Invalid] {
        self.at(place).map_or(&[][..], |k| k.errors.as_slice())
    }

    fn text_at(&self, place: Place) -> &str {
        self.at(place).map_or("", |k| k.text.as_str())
    }
}

async fn together_page(
    State(state): State<AppState>,
    shell: Shell,
    viewer: Viewer,
) -> Result<Response, Error> {
    let pair = match page_pair(&state, &shell, &viewer, "/together", TITLE, guide()).await? {
        Ok(p) => p,
        Err(response) => return Ok(response),
    };
    Ok(page(&state, &shell, &pair, &Kept::default())
        .await?
        .into_response())
}

/// The page again after an action that was held back (200), invalid (422)
/// or refused (404 and others go to the error page).
async fn again(
    state: &AppState,
    shell: &Shell,
    pair: &Pair,
    mut kept: Kept,
    error: Option<Error>,
) -> Result<Response, Error> {
    let status = match error {
        None => StatusCode::OK,
        Some(Error::Invalid(errors)) => {
            kept.errors = errors;
            StatusCode::UNPROCESSABLE_ENTITY
        }
        Some(e) => return Err(e),
    };
    Ok((status, page(state, shell, pair, &kept).await?).into_response())
}

/// Today's rituals, as a gentle reminder: for this page and the home page.
pub(crate) fn todays_rituals(rituals: &[RitualRecord], day: Date) -> Markup {
    let mut todays: Vec<&RitualRecord> = rituals
        .iter()
        .filter(|r| r.ritual.recurrence.occurs_on(day))
        .collect();
    todays.sort_by_key(|r| r.ritual.recurrence.at);
    html! {
        @if !todays.is_empty() {
            section.card.today-rituals aria-labelledby="today-rituals" {
                h2 id="today-rituals" { "Today, if you both feel like it" }
                ul.rituals-today {
                    @for r in &todays {
                        li { strong { (r.ritual.recurrence.at) } " \u{b7} " (r.ritual.name) }
                    }
                }
            }
        }
    }
}

async fn page(state: &AppState, shell: &Shell, pair: &Pair, kept: &Kept) -> Result<Markup, Error> {
    let couple = pair.couple();
    let goals = state.store.goals(couple).await?;
    let rituals = state.store.rituals(couple).await?;
    let appreciations = state.store.appreciations(couple).await?;
    let moments = state.store.good_moments(couple).await?;
    let today = today();
    let (received, sent): (Vec<&Appreciation>, Vec<&Appreciation>) =
        appreciations.iter().partition(|a| a.author != pair.me);
    Ok(shell.render(TITLE, html! {
        h1 { (TITLE) }
        p.lead { (guide()) }
        @if let Some(problem) = &kept.problem {
            div.errors role="alert" tabindex="-1" { p { (problem) } }
        }
        (todays_rituals(&rituals, today))
        section id="goals" {
            h2 { "Goals for the two of you" }
            @if goals.is_empty() {
                p.muted { "No goals yet. A goal can be small: \u{201c}More evenings just for us\u{201d}, \u{201c}Cook together again\u{201d}." }
            }
            @for g in &goals { (goal_card(shell, pair, g, kept)) }
            form.card method="post" action="/together/goals" {
                (shell.csrf_field())
                (form_errors(kept.errors_at(Place::Goal)))
                label for="goal-title" { "A new goal" }
                input type="text" id="goal-title" name="title" maxlength=(growing::GOAL_MAX_CHARS) required value=(kept.text_at(Place::Goal));
                (field_error(kept.errors_at(Place::Goal), "title"))
                p.actions { button type="submit" { "Add this goal" } }
            }
        }
        section id="rituals" {
            h2 { "Your rituals" }
            p { "Small moments that come back: a walk, a six-second kiss, a Sunday talk. They are here to remind you gently, never to keep score." }
            @if rituals.is_empty() {
                p.muted { "No rituals yet." }
            } @else {
                ul.rituals {
                    @for r in &rituals {
                        li.ritual id={ "ritual-" (r.id) } {
                            strong { (r.ritual.name) }
                            " \u{b7} " (r.ritual.recurrence.describe())
                            @if let Some(note) = &r.ritual.note { p.why { (note) } }
                            p.meta { "Chosen by " (lower(pair.name(r.author))) " on " (date(r.created_at)) "." }
                        }
                    }
                }
            }
            (ritual_form_markup(shell, kept))
        }
        section id="appreciations" {
            h2 { "Appreciations" }
            p { "A few words of thanks or admiration for " (pair.partner_name) ": something they did, or who they are." }
            @let k = kept.at(Place::Appreciation);
            form.card method="post" action="/together/appreciations" data-coach="/coach" {
                (shell.csrf_field())
                input type="hidden" name="context" value="message";
                @if let Some(k) = k { (form_errors(&k.errors)) }
                label for="appreciation-text" { "Your appreciation" }
                textarea id="appreciation-text" name="text" rows="3" maxlength=(growing::APPRECIATION_MAX_CHARS) required { (kept.text_at(Place::Appreciation)) }
                (field_error(kept.errors_at(Place::Appreciation), "text"))
                p.actions {
                    button type="submit" { "Send it" }
                    @if k.is_some_and(|k| k.coached.is_some()) {
                        " "
                        button.secondary type="submit" name="send_anyway" value="yes" { "Send it as it is" }
                    }
                }
                @if let Some(a) = k.and_then(|k| k.coached.as_ref()) {
                    @if a.concern {
                        p.notice role="alert" { "The coach has a concern about these words, shown below. Change them if you like, or send them as they are." }
                    } @else {
                        p.notice role="alert" { "These words go back to something you both laid to rest; the coach's note is below. Change them if you like, or send them as they are." }
                    }
                }
            }
            section.coach-result id="coach-result" aria-live="polite" {
                @if let Some(a) = k.and_then(|k| k.coached.as_ref()) { (coach::result(k.map_or("", |k| k.text.as_str()), a)) }
            }
            div.appreciation-lists {
                section id="received" {
                    h3 { "From " (pair.partner_name) }
                    @if received.is_empty() { p.muted { "Nothing yet." } }
                    ul.appreciations {
                        @for a in &received {
                            li.appreciation id={ "appreciation-" (a.id) } { (paragraphs(&a.text)) p.meta { (date(a.created_at)) } }
                        }
                    }
                }
                section id="sent" {
                    h3 { "From you" }
                    @if sent.is_empty() { p.muted { "Nothing yet." } }
                    ul.appreciations {
                        @for a in &sent {
                            li.appreciation.mine id={ "appreciation-" (a.id) } { (paragraphs(&a.text)) p.meta { (date(a.created_at)) } }
                        }
                    }
                }
            }
        }
        section id="moments" {
            h2 { "Good moments" }
            p { "A book of new memories, the two of you, newest first. Either of you can add one." }
            @let errors = kept.errors_at(Place::Moment);
            form.card method="post" action="/together/moments" {
                (shell.csrf_field())
                (form_errors(errors))
                // Empty, the browser fills in its own date, and without
                // JavaScript the server takes today.
                @let day = kept.at(Place::Moment).map_or("", |k| k.day.as_str());
                label for="moment-day" { "When" }
                p.hint { "Left empty, it is today." }
                input type="date" id="moment-day" name="day" value=(day) data-local-date=(day);
                (field_error(errors, "day"))
                label for="moment-text" { "What happened" }
                textarea id="moment-text" name="text" rows="3" maxlength=(growing::MOMENT_MAX_CHARS) required { (kept.text_at(Place::Moment)) }
                (field_error(errors, "text"))
                p.actions { button type="submit" { "Keep this moment" } }
            }
            @if moments.is_empty() {
                p.muted { "The first page is still blank." }
            }
            ol.moments {
                @for m in &moments {
                    li.moment id={ "moment-" (m.id) } {
                        p.meta { strong { (day_words(m.day)) } " \u{b7} written by " (lower(pair.name(m.author))) }
                        (paragraphs(&m.text))
                    }
                }
            }
        }
        script src="/assets/coach.js" defer {}
    }))
}

fn goal_card(shell: &Shell, pair: &Pair, g: &Goal, kept: &Kept) -> Markup {
    let place = Place::Step(g.id);
    let errors = kept.errors_at(place);
    let done = g.steps.iter().filter(|s| s.done().is_some()).count();
    html! {
        article.card.goal id={ "goal-" (g.id) } {
            h3 { (g.title) }
            p.meta {
                "Added by " (lower(pair.name(g.author))) " on " (date(g.created_at)) "."
                @if !g.steps.is_empty() { " " (done) " of " (g.steps.len()) " steps done." }
            }
            @if !g.steps.is_empty() {
                ul.steps {
                    @for s in &g.steps {
                        li.step.done[s.done().is_some()] id={ "step-" (s.id) } {
                            form.inline method="post" action={ "/together/steps/" (s.id) "/tick" } {
                                (shell.csrf_field())
                                @if s.done().is_some() {
                                    input type="hidden" name="done" value="no";
                                    span.tick aria-hidden="true" { "\u{2713} " }
                                    span.step-text { (s.text) }
                                    " "
                                    button.link type="submit" aria-label={ "Mark \u{201c}" (s.text) "\u{201d} as not done after all" } { "Not done after all" }
                                } @else {
                                    input type="hidden" name="done" value="yes";
                                    span.step-text { (s.text) }
                                    " "
                                    button.link type="submit" aria-label={ "Tick off \u{201c}" (s.text) "\u{201d}" } { "Tick it off" }
                                }
                            }
                            @if let Some(t) = s.done() {
                                p.meta { "Done \u{b7} ticked off by " (lower(pair.name(t.by))) " on " (date(t.at)) "." }
                            }
                            @if s.ticks.len() > 1 {
                                details.history {
                                    summary { "Its history" }
                                    ul {
                                        @for t in &s.ticks {
                                            li { (if t.done { "Ticked off" } else { "Marked not done" }) " by " (lower(pair.name(t.by))) " on " (date(t.at)) "." }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            form method="post" action={ "/together/goals/" (g.id) "/steps" } {
                (shell.csrf_field())
                (form_errors(errors))
                label for={ "step-" (g.id) "-text" } { "A small next step" }
                input type="text" id={ "step-" (g.id) "-text" } name="text" maxlength=(growing::STEP_MAX_CHARS) required value=(kept.text_at(place));
                (field_error(errors, "text"))
                p.actions { button.secondary type="submit" { "Add the step" } }
            }
        }
    }
}

fn ritual_form_markup(shell: &Shell, kept: &Kept) -> Markup {
    let k = kept.at(Place::Ritual);
    let errors = kept.errors_at(Place::Ritual);
    let f = k.map(|k| &k.ritual);
    let repeats = f.map_or("daily", |f| f.repeats.as_str());
    let chosen = |code: &str| f.is_some_and(|f| f.days.iter().any(|d| d == code));
    let weekday = f.map_or("su", |f| f.weekday.as_str());
    html! {
        form.card.ritual-form method="post" action="/together/rituals" {
            (shell.csrf_field())
            (form_errors(errors))
            label for="ritual-name" { "A ritual" }
            p.hint { "\u{201c}An evening walk\u{201d}, \u{201c}A six-second kiss\u{201d}, \u{201c}Our Sunday check-in talk\u{201d}." }
            input type="text" id="ritual-name" name="name" maxlength=(growing::RITUAL_NAME_MAX_CHARS) required value=(f.map_or("", |f| f.name.as_str()));
            (field_error(errors, "name"))
            fieldset id="repeats" {
                legend { "How often" }
                label.choice { input type="radio" name="repeats" value="daily" checked[repeats == "daily" || repeats.is_empty()]; " Every day" }
                label.choice { input type="radio" name="repeats" value="days" checked[repeats == "days"]; " On the days chosen below" }
                label.choice { input type="radio" name="repeats" value="weekly" checked[repeats == "weekly"]; " Once a week, on" }
                (field_error(errors, "repeats"))
            }
            fieldset id="days" {
                legend { "Chosen days" }
                div.weekdays {
                    @for (_, code, name) in WEEKDAYS {
                        label.choice { input type="checkbox" name="days" value=(code) checked[chosen(code)]; " " (name) }
                    }
                }
                (field_error(errors, "days"))
            }
            label for="weekday" { "The day, for once a week" }
            select id="weekday" name="weekday" {
                @for (_, code, name) in WEEKDAYS {
                    option value=(code) selected[weekday == code] { (name) }
                }
            }
            (field_error(errors, "weekday"))
            label for="time" { "At what time" }
            input type="time" id="time" name="time" required value=(f.map_or("19:00", |f| f.time.as_str()));
            (field_error(errors, "time"))
            label for="ritual-note" { "A note (optional)" }
            textarea id="ritual-note" name="note" rows="2" maxlength=(growing::RITUAL_NOTE_MAX_CHARS) { (f.map_or("", |f| f.note.as_str())) }
            (field_error(errors, "note"))
            p.actions { button type="submit" { "Add this ritual" } }
        }
    }
}

async fn goal_form(
    State(state): State<AppState>,
    shell: Shell,
    viewer: Viewer,
    Form(f): Form<GoalFields>,
) -> Result<Response, Error> {
    let pair = pair(&state, &viewer).await?;
    match add_goal(&state, &pair, &f).await {
        Ok(id) => Ok(Redirect::to(&format!("/together#goal-{id}")).into_response()),
        Err(e) => {
            let kept = Kept {
                place: Place::Goal,
                text: f.title,
                ..Default::default()
            };
            again(&state, &shell, &pair, kept, Some(e)).await
        }
    }
}

async fn step_form(
    State(state): State<AppState>,
    shell: Shell,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(f): Form<StepFields>,
) -> Result<Response, Error> {
    let pair = pair(&state, &viewer).await?;
    match add_step(&state, &pair, id, &f).await {
        Ok(step) => Ok(Redirect::to(&format!("/together#step-{step}")).into_response()),
        Err(e) => {
            let kept = Kept {
                place: Place::Step(id),
                text: f.text,
                ..Default::default()
            };
            again(&state, &shell, &pair, kept, Some(e)).await
        }
    }
}

async fn tick_form(
    State(state): State<AppState>,
    shell: Shell,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(f): Form<TickFields>,
) -> Result<Response, Error> {
    let pair = pair(&state, &viewer).await?;
    let outcome = match f.done() {
        Ok(done) => tick(&state, &pair, id, done).await,
        Err(e) => Err(e),
    };
    match outcome {
        Ok(_) => Ok(Redirect::to(&format!("/together#step-{id}")).into_response()),
        Err(e) => again(&state, &shell, &pair, Kept::default(), Some(e)).await,
    }
}

async fn ritual_form(
    State(state): State<AppState>,
    shell: Shell,
    viewer: Viewer,
    Form(f): Form<RitualFields>,
) -> Result<Response, Error> {
    let pair = pair(&state, &viewer).await?;
    match add_ritual(&state, &pair, &f).await {
        Ok(r) => Ok(Redirect::to(&format!("/together#ritual-{}", r.id)).into_response()),
        Err(e) => {
            let kept = Kept {
                place: Place::Ritual,
                ritual: f,
                ..Default::default()
            };
            again(&state, &shell, &pair, kept, Some(e)).await
        }
    }
}

async fn appreciation_form(
    State(state): State<AppState>,
    shell: Shell,
    viewer: Viewer,
    Form(f): Form<AppreciationFields>,
) -> Result<Response, Error> {
    let pair = pair(&state, &viewer).await?;
    let outcome = appreciate(&state, &pair, &f).await;
    let mut kept = Kept {
        place: Place::Appreciation,
        text: f.text,
        ..Default::default()
    };
    match outcome {
        Ok(Sent::Done(a, _)) => {
            Ok(Redirect::to(&format!("/together#appreciation-{}", a.id)).into_response())
        }
        Ok(Sent::HeldBack(analysis)) => {
            kept.coached = Some(analysis);
            again(&state, &shell, &pair, kept, None).await
        }
        Err(e) => again(&state, &shell, &pair, kept, Some(e)).await,
    }
}

async fn moment_form(
    State(state): State<AppState>,
    shell: Shell,
    viewer: Viewer,
    Form(f): Form<MomentFields>,
) -> Result<Response, Error> {
    let pair = pair(&state, &viewer).await?;
    match add_moment(&state, &pair, &f).await {
        Ok(m) => Ok(Redirect::to(&format!("/together#moment-{}", m.id)).into_response()),
        Err(e) => {
            let kept = Kept {
                place: Place::Moment,
                text: f.text,
                day: f.day,
                ..Default::default()
            };
            again(&state, &shell, &pair, kept, Some(e)).await
        }
    }
}

// ---- API ----

#[derive(Debug, Serialize, ToSchema)]
pub struct TickView {
    /// `me` or `partner`.
    pub by: &'static str,
    pub done: bool,
    pub at: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StepView {
    pub id: i64,
    pub text: String,
    /// `me` or `partner`.
    pub added_by: &'static str,
    pub created_at: i64,
    pub done: bool,
    /// Who ticked it off, while it is done.
    pub done_by: Option<&'static str>,
    pub done_at: Option<i64>,
    /// Every tick and un-tick, oldest first.
    pub history: Vec<TickView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct GoalView {
    pub id: i64,
    pub title: String,
    /// `me` or `partner`.
    pub added_by: &'static str,
    pub created_at: i64,
    pub steps: Vec<StepView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RitualView {
    pub id: i64,
    pub name: String,
    /// In plain words: "Every Sunday at 18:00".
    pub description: String,
    /// The RFC 5545 recurrence rule, for a calendar.
    pub rrule: String,
    /// `daily`, `weekly:su` or `days:mo,th`.
    pub days: String,
    /// `19:30`.
    pub time: String,
    pub note: Option<String>,
    /// Whether it falls on today (the server's date).
    pub today: bool,
    /// `me` or `partner`.
    pub added_by: &'static str,
    pub created_at: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AppreciationView {
    pub id: i64,
    /// `me` or `partner`.
    pub from: &'static str,
    pub text: String,
    pub sent_at: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MomentView {
    pub id: i64,
    /// `2026-05-09`.
    pub day: String,
    pub text: String,
    /// `me` or `partner`.
    pub added_by: &'static str,
    pub created_at: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TogetherView {
    /// The server's date, which `today` on each ritual refers to.
    pub today: String,
    /// Newest first.
    pub goals: Vec<GoalView>,
    pub rituals: Vec<RitualView>,
    /// From the partner, newest first.
    pub received: Vec<AppreciationView>,
    /// From the caller, newest first.
    pub sent: Vec<AppreciationView>,
    /// Newest day first.
    pub moments: Vec<MomentView>,
}

fn step_view(pair: &Pair, s: &Step) -> StepView {
    let done = s.done();
    StepView {
        id: s.id,
        text: s.text.clone(),
        added_by: pair.who(s.author),
        created_at: s.created_at,
        done: done.is_some(),
        done_by: done.map(|t| pair.who(t.by)),
        done_at: done.map(|t| t.at),
        history: s
            .ticks
            .iter()
            .map(|t| TickView {
                by: pair.who(t.by),
                done: t.done,
                at: t.at,
            })
            .collect(),
    }
}

fn goal_view(pair: &Pair, g: &Goal) -> GoalView {
    GoalView {
        id: g.id,
        title: g.title.clone(),
        added_by: pair.who(g.author),
        created_at: g.created_at,
        steps: g.steps.iter().map(|s| step_view(pair, s)).collect(),
    }
}

fn ritual_view(pair: &Pair, r: &RitualRecord, day: Date) -> RitualView {
    let rec = &r.ritual.recurrence;
    RitualView {
        id: r.id,
        name: r.ritual.name.clone(),
        description: rec.describe(),
        rrule: rec.rrule(),
        days: rec.days_code(),
        time: rec.at.to_string(),
        note: r.ritual.note.clone(),
        today: rec.occurs_on(day),
        added_by: pair.who(r.author),
        created_at: r.created_at,
    }
}

fn appreciation_view(pair: &Pair, a: &Appreciation) -> AppreciationView {
    AppreciationView {
        id: a.id,
        from: pair.who(a.author),
        text: a.text.clone(),
        sent_at: a.created_at,
    }
}

fn moment_view(pair: &Pair, m: &GoodMoment) -> MomentView {
    MomentView {
        id: m.id,
        day: iso(m.day),
        text: m.text.clone(),
        added_by: pair.who(m.author),
        created_at: m.created_at,
    }
}

async fn goal_by_id(state: &AppState, pair: &Pair, id: i64) -> Result<GoalView, Error> {
    let goals = state.store.goals(pair.couple()).await?;
    goals
        .iter()
        .find(|g| g.id == id)
        .map(|g| goal_view(pair, g))
        .ok_or(Error::NotFound)
}

/// Everything the couple is growing: goals and their steps, rituals,
/// appreciations received and sent, and good moments.
#[utoipa::path(get, path = "/api/v1/together", tag = "together", security(("bearer" = [])),
    responses((status = 200, body = TogetherView), (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)))]
pub async fn together_api(
    State(state): State<AppState>,
    viewer: Viewer,
) -> Result<Json<TogetherView>, Error> {
    let pair = pair(&state, &viewer).await?;
    let couple = pair.couple();
    let day = today();
    let goals = state.store.goals(couple).await?;
    let rituals = state.store.rituals(couple).await?;
    let appreciations = state.store.appreciations(couple).await?;
    let moments = state.store.good_moments(couple).await?;
    Ok(Json(TogetherView {
        today: iso(day),
        goals: goals.iter().map(|g| goal_view(&pair, g)).collect(),
        rituals: rituals.iter().map(|r| ritual_view(&pair, r, day)).collect(),
        received: appreciations
            .iter()
            .filter(|a| a.author != pair.me)
            .map(|a| appreciation_view(&pair, a))
            .collect(),
        sent: appreciations
            .iter()
            .filter(|a| a.author == pair.me)
            .map(|a| appreciation_view(&pair, a))
            .collect(),
        moments: moments.iter().map(|m| moment_view(&pair, m)).collect(),
    }))
}

/// Add a shared goal.
#[utoipa::path(post, path = "/api/v1/goals", tag = "together", request_body = GoalFields, security(("bearer" = [])),
    responses((status = 201, body = GoalView), (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn goal_api(
    State(state): State<AppState>,
    viewer: Viewer,
    ApiJson(f): ApiJson<GoalFields>,
) -> Result<(StatusCode, Json<GoalView>), Error> {
    let pair = pair(&state, &viewer).await?;
    let id = add_goal(&state, &pair, &f).await?;
    Ok((
        StatusCode::CREATED,
        Json(goal_by_id(&state, &pair, id).await?),
    ))
}

/// Add a small next step to one of the couple's goals.
#[utoipa::path(post, path = "/api/v1/goals/{id}/steps", tag = "together", params(("id" = i64, Path)), request_body = StepFields, security(("bearer" = [])),
    responses((status = 201, body = GoalView), (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn step_api(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    ApiJson(f): ApiJson<StepFields>,
) -> Result<(StatusCode, Json<GoalView>), Error> {
    let pair = pair(&state, &viewer).await?;
    add_step(&state, &pair, id, &f).await?;
    Ok((
        StatusCode::CREATED,
        Json(goal_by_id(&state, &pair, id).await?),
    ))
}

/// Tick a step off (`done: true`) or un-tick it (`done: false`); either
/// partner may, and every change is kept in the step's history.
#[utoipa::path(post, path = "/api/v1/steps/{id}/tick", tag = "together", params(("id" = i64, Path)), request_body = TickFields, security(("bearer" = [])),
    responses((status = 200, body = StepView), (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn tick_api(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    ApiJson(f): ApiJson<TickFields>,
) -> Result<Json<StepView>, Error> {
    let pair = pair(&state, &viewer).await?;
    let (_, step) = tick(&state, &pair, id, f.done()?).await?;
    Ok(Json(step_view(&pair, &step)))
}

/// Add a ritual: a name, how often it comes back and at what time.
#[utoipa::path(post, path = "/api/v1/rituals", tag = "together", request_body = RitualFields, security(("bearer" = [])),
    responses((status = 201, body = RitualView), (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn ritual_api(
    State(state): State<AppState>,
    viewer: Viewer,
    ApiJson(f): ApiJson<RitualFields>,
) -> Result<(StatusCode, Json<RitualView>), Error> {
    let pair = pair(&state, &viewer).await?;
    let r = add_ritual(&state, &pair, &f).await?;
    Ok((StatusCode::CREATED, Json(ritual_view(&pair, &r, today()))))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AppreciationOutcome {
    /// False when the coach had a concern, or the words go back to an
    /// incident laid to rest, and `send_anyway` was not set.
    pub sent: bool,
    pub appreciation: Option<AppreciationView>,
    #[schema(value_type = Object)]
    pub analysis: Analysis,
}

/// Send an appreciation to the partner. The coach reads it first: with a
/// concern, nothing is sent unless `send_anyway` is true.
#[utoipa::path(post, path = "/api/v1/appreciations", tag = "together", request_body = AppreciationFields, security(("bearer" = [])),
    responses((status = 201, body = AppreciationOutcome), (status = 200, body = AppreciationOutcome), (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn appreciation_api(
    State(state): State<AppState>,
    viewer: Viewer,
    ApiJson(f): ApiJson<AppreciationFields>,
) -> Result<(StatusCode, Json<AppreciationOutcome>), Error> {
    let pair = pair(&state, &viewer).await?;
    Ok(match appreciate(&state, &pair, &f).await? {
        Sent::Done(a, analysis) => (
            StatusCode::CREATED,
            Json(AppreciationOutcome {
                sent: true,
                appreciation: Some(appreciation_view(&pair, &a)),
                analysis,
            }),
        ),
        Sent::HeldBack(analysis) => (
            StatusCode::OK,
            Json(AppreciationOutcome {
                sent: false,
                appreciation: None,
                analysis,
            }),
        ),
    })
}

/// Add a good moment to the couple's book.
#[utoipa::path(post, path = "/api/v1/moments", tag = "together", request_body = MomentFields, security(("bearer" = [])),
    responses((status = 201, body = MomentView), (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn moment_api(
    State(state): State<AppState>,
    viewer: Viewer,
    ApiJson(f): ApiJson<MomentFields>,
) -> Result<(StatusCode, Json<MomentView>), Error> {
    let pair = pair(&state, &viewer).await?;
    let m = add_moment(&state, &pair, &f).await?;
    Ok((StatusCode::CREATED, Json(moment_view(&pair, &m))))
}

/// What the program page says the couple has done in this stage.
pub(crate) async fn progress_line(
    state: &AppState,
    couple: CoupleId,
) -> Result<Option<String>, Error> {
    let goals = state.store.goals(couple).await?;
    let steps = goals
        .iter()
        .flat_map(|g| &g.steps)
        .filter(|s| s.done().is_some())
        .count();
    let rituals = state.store.rituals(couple).await?.len();
    let appreciations = state.store.appreciations(couple).await?.len();
    let moments = state.store.good_moments(couple).await?.len();
    let count =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let parts: Vec<String> = [
        (goals.len(), count(goals.len(), "goal", "goals")),
        (steps, count(steps, "step done", "steps done")),
        (rituals, count(rituals, "ritual", "rituals")),
        (
            appreciations,
            count(appreciations, "appreciation", "appreciations"),
        ),
        (moments, count(moments, "good moment", "good moments")),
    ]
    .into_iter()
    .filter(|(n, _)| *n > 0)
    .map(|(_, s)| s)
    .collect();
    Ok((!parts.is_empty()).then(|| format!("So far, together: {}.", parts.join(", "))))
}
