//! Stage 3, a safe space to talk: structured conversations between the two
//! partners, turn by turn over days or live on two devices.
//!
//! The rules of the floor are `kintsugi_core::conversation`'s; this module
//! loads a conversation of the viewer's own couple, asks the core whether
//! the action is allowed, stores the result with a compare-and-swap, and
//! tells the other device through the `changes` channel. Pages work as
//! plain forms; with JavaScript, `talk.js` listens on the server-sent events
//! route and refreshes the conversation in place.

use std::convert::Infallible;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Form, Json};
use kintsugi_core::conversation::{
    self, waiting_for, Conversation, Phase, Refusal, Step, TurnKind, DEFAULT_GROUND_RULES,
    MIN_PAUSE_MINUTES,
};
use kintsugi_core::{Invalid, UserId};
use kintsugi_store::{ConversationChange, ConversationRecord, Membership, Turn};
use maud::{html, Markup};
use serde::{Deserialize, Serialize};
use tokio_stream::wrappers::{BroadcastStream, WatchStream};
use tokio_stream::{Stream, StreamExt};
use utoipa::ToSchema;

use crate::api::ApiJson;
use crate::couple::{resting_notice, Space};
use crate::layout::{field_error, form_errors, local_time, paragraphs, Shell};
use crate::routing::Routes;
use crate::security::session::Viewer;
use crate::state::{now, AppState, Changed};
use crate::Error;

pub fn routes() -> Routes {
    Routes::new()
        .get("/talk", list_page)
        .post("/talk", propose_form)
        .get("/talk/{id}", conversation_page)
        .get("/talk/{id}/events", events)
        .post("/talk/{id}/accept", accept_form)
        .post("/talk/{id}/decline", decline_form)
        .post("/talk/{id}/turns", turn_form)
        .post("/talk/{id}/pause", pause_form)
        .post("/talk/{id}/end", end_form)
}

pub fn api_routes() -> Routes {
    Routes::new()
        .get("/conversations", list_api)
        .post("/conversations", propose_api)
        .get("/conversations/{id}", one_api)
        .post("/conversations/{id}/accept", accept_api)
        .post("/conversations/{id}/decline", decline_api)
        .post("/conversations/{id}/turns", turn_api)
        .post("/conversations/{id}/pause", pause_api)
        .post("/conversations/{id}/end", end_api)
}

/// The viewer's couple, with both partners linked and the space open: a
/// conversation needs two people who are both safe to have it.
struct Pair {
    space: Space,
    me: UserId,
    partner: UserId,
    partner_name: String,
}

async fn pair(state: &AppState, viewer: &Viewer) -> Result<Pair, Error> {
    let space = Space::load(state, viewer.user.id).await?;
    space.require_safety_check_api()?;
    let Membership { partner, .. } = space.require_couple()?;
    let partner = partner.clone().ok_or(Error::Forbidden(
        "A conversation needs both of you: invite your partner first.",
    ))?;
    Ok(Pair {
        me: space.me,
        partner: partner.id,
        partner_name: partner.username,
        space,
    })
}

impl Pair {
    fn couple(&self) -> kintsugi_core::CoupleId {
        self.space.couple().expect("a pair has a couple")
    }

    fn require_open(&self) -> Result<(), Error> {
        if self.space.open {
            Ok(())
        } else {
            Err(Error::Forbidden(
                "Your shared space is resting for now, so conversations wait too.",
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
}

async fn load(state: &AppState, pair: &Pair, id: i64) -> Result<ConversationRecord, Error> {
    // Another couple's conversation is simply not found.
    state
        .store
        .conversation(pair.couple(), id)
        .await?
        .ok_or(Error::NotFound)
}

/// A change to a conversation, decided by the core's rules.
type Action =
    Box<dyn FnOnce(&Conversation) -> Result<(Conversation, ConversationChange), Refusal> + Send>;

fn refused(r: Refusal) -> Error {
    Error::Conflict(r.to_string())
}

/// Applies one action to a conversation and tells the other device.
async fn act(
    state: &AppState,
    pair: &Pair,
    id: i64,
    action: Action,
) -> Result<ConversationRecord, Error> {
    pair.require_open()?;
    let record = load(state, pair, id).await?;
    let (next, change) = action(&record.state).map_err(refused)?;
    let now = now();
    if !state
        .store
        .change_conversation(pair.couple(), id, &record.state, &next, &change, now)
        .await?
    {
        return Err(refused(Refusal::Stale));
    }
    notify(state, pair, id);
    load(state, pair, id).await
}

fn notify(state: &AppState, pair: &Pair, id: i64) {
    // Nobody listening is fine: the pages also work by reloading.
    let _ = state.changes.send(Changed {
        couple: pair.couple(),
        conversation: id,
    });
}

/// The raw fields of a turn.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct NewTurn {
    /// `speak`, `reflect`, `confirm` or `correct`.
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub text: String,
    /// How many turns the author had seen; a turn that does not follow
    /// exactly these is refused as stale (a replay, or the other device was
    /// quicker).
    #[serde(default)]
    #[schema(value_type = i64)]
    pub after: serde_json::Value,
}

async fn take_turn(
    state: &AppState,
    pair: &Pair,
    id: i64,
    raw: &NewTurn,
) -> Result<ConversationRecord, Error> {
    pair.require_open()?;
    let record = load(state, pair, id).await?;
    let kind = TurnKind::parse(raw.kind.trim()).ok_or_else(|| {
        Error::Invalid(vec![Invalid::new(
            "kind",
            "Choose speak, reflect, confirm or correct.",
        )])
    })?;
    let after = match &raw.after {
        serde_json::Value::Number(n) => n.as_i64(),
        serde_json::Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
    .ok_or_else(|| {
        Error::Invalid(vec![Invalid::new(
            "after",
            "Say how many turns you had seen, as a number.",
        )])
    })?;
    let text =
        conversation::parse_turn_text(kind, &raw.text).map_err(|e| Error::Invalid(vec![e]))?;
    let now = now();
    let next = record
        .state
        .take_turn(pair.me, kind, after, now)
        .map_err(refused)?;
    let turn = Turn {
        seq: after + 1,
        author: pair.me,
        kind,
        text,
        created_at: now,
    };
    if !state
        .store
        .add_turn(pair.couple(), id, &record.state, &next, &turn)
        .await?
    {
        return Err(refused(Refusal::Stale));
    }
    notify(state, pair, id);
    load(state, pair, id).await
}

fn pause_change(pair: &Pair, minutes: i64) -> Action {
    let me = pair.me;
    Box::new(move |c| {
        Ok((
            c.pause(minutes, now())?,
            ConversationChange {
                paused_by: Some(me),
                ..Default::default()
            },
        ))
    })
}

fn end_change(pair: &Pair, note: Option<String>) -> Action {
    let me = pair.me;
    Box::new(move |c| {
        Ok((
            c.end()?,
            ConversationChange {
                ended_by: Some(me),
                closing_note: note,
                ..Default::default()
            },
        ))
    })
}

// ---- Pages ----

#[derive(Debug, Default, Deserialize)]
struct Proposal {
    #[serde(default)]
    topic: String,
    #[serde(default)]
    ground_rules: String,
}

async fn list_page(
    State(state): State<AppState>,
    shell: Shell,
    viewer: Viewer,
) -> Result<Response, Error> {
    let space = Space::load(&state, viewer.user.id).await?;
    if let Err(redirect) = space.require_safety_check("/talk") {
        return Ok(redirect.into_response());
    }
    list(&state, &shell, &viewer, &Proposal::default(), &[])
        .await
        .map(IntoResponse::into_response)
}

async fn list(
    state: &AppState,
    shell: &Shell,
    viewer: &Viewer,
    typed: &Proposal,
    errors: &[Invalid],
) -> Result<Markup, Error> {
    let pair = match pair(state, viewer).await {
        Ok(p) => p,
        Err(Error::Forbidden(why)) => {
            return Ok(shell.render(
                "A safe space to talk",
                html! {
                    h1 { "A safe space to talk" }
                    p { (why) " " a href="/couple" { "Go to your couple's space" } "." }
                },
            ))
        }
        Err(e) => return Err(e),
    };
    let all = state.store.conversations(pair.couple()).await?;
    let rules = if typed.ground_rules.is_empty() {
        DEFAULT_GROUND_RULES
    } else {
        typed.ground_rules.as_str()
    };
    Ok(shell.render("A safe space to talk", html! {
        h1 { "A safe space to talk" }
        p.lead { "A hard conversation goes better with a shape. One of you holds the floor and speaks briefly; the other reflects back what they heard before answering; the speaker says whether they were heard rightly, and then the floor passes. Either of you can pause at any moment, for at least twenty minutes, and come back at the time you set." }
        @if !pair.space.open { (resting_notice()) }
        @else {
            form.card method="post" action="/talk" {
                (shell.csrf_field())
                h2 { "Propose a conversation" }
                (form_errors(errors))
                label for="topic" { "What would you like to talk about?" }
                input type="text" id="topic" name="topic" maxlength=(conversation::TOPIC_MAX_CHARS) required value=(typed.topic);
                (field_error(errors, "topic"))
                label for="ground_rules" { "Ground rules" }
                textarea id="ground_rules" name="ground_rules" rows="5" maxlength=(conversation::RULES_MAX_CHARS) { (rules) }
                (field_error(errors, "ground_rules"))
                p.help { "It starts when " (pair.partner_name) " accepts. You will speak first." }
                button type="submit" { "Propose it" }
            }
        }
        section {
            h2 { "Your conversations" }
            @if all.is_empty() { p { "None yet." } }
            ul.conversations {
                @for c in &all {
                    li { a href={ "/talk/" (c.id) } { (c.topic) } " · " (phase_label(&c.state, now())) }
                }
            }
        }
    }))
}

fn phase_label(c: &Conversation, now: i64) -> &'static str {
    match c.phase {
        Phase::Proposed => "waiting to be accepted",
        Phase::Declined => "declined",
        Phase::Ended => "ended",
        Phase::Active if c.is_paused(now) => "resting",
        Phase::Active => "under way",
    }
}

async fn propose_form(
    State(state): State<AppState>,
    shell: Shell,
    viewer: Viewer,
    Form(p): Form<Proposal>,
) -> Result<Response, Error> {
    match propose(&state, &viewer, &p.topic, &p.ground_rules).await {
        Ok(record) => Ok(Redirect::to(&format!("/talk/{}", record.id)).into_response()),
        Err(Error::Invalid(errors)) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            list(&state, &shell, &viewer, &p, &errors).await?,
        )
            .into_response()),
        Err(e) => Err(e),
    }
}

async fn propose(
    state: &AppState,
    viewer: &Viewer,
    topic: &str,
    rules: &str,
) -> Result<ConversationRecord, Error> {
    let pair = pair(state, viewer).await?;
    pair.require_open()?;
    let mut errors = Vec::new();
    let topic = conversation::parse_topic(topic)
        .map_err(|e| errors.push(e))
        .ok();
    let rules = conversation::parse_rules(rules)
        .map_err(|e| errors.push(e))
        .ok();
    let (Some(topic), Some(rules)) = (topic, rules) else {
        return Err(Error::Invalid(errors));
    };
    let proposal = Conversation {
        proposer: pair.me,
        partner: pair.partner,
        phase: Phase::Proposed,
        speaker: pair.me,
        step: Step::Speak,
        turns: 0,
        paused_until: None,
    };
    let record = state
        .store
        .propose_conversation(pair.couple(), &proposal, &topic, &rules, now())
        .await?;
    notify(state, &pair, record.id);
    Ok(record)
}

/// What the person was writing when an action was refused, kept for them.
#[derive(Default)]
struct Kept<'a> {
    text: &'a str,
    problem: Option<String>,
    errors: Vec<Invalid>,
    /// The coach's reading of a turn held back for its author to look at.
    analysis: Option<kintsugi_coach::Analysis>,
}

async fn conversation_page(
    State(state): State<AppState>,
    shell: Shell,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> Result<Response, Error> {
    let space = Space::load(&state, viewer.user.id).await?;
    if let Err(redirect) = space.require_safety_check(&format!("/talk/{id}")) {
        return Ok(redirect.into_response());
    }
    let pair = pair(&state, &viewer).await?;
    let record = load(&state, &pair, id).await?;
    let turns = state.store.turns(pair.couple(), id).await?;
    Ok(page(&shell, &pair, &record, &turns, &Kept::default()).into_response())
}

fn page(
    shell: &Shell,
    pair: &Pair,
    record: &ConversationRecord,
    turns: &[Turn],
    kept: &Kept,
) -> Markup {
    shell.render(
        &record.topic,
        html! {
            p { a href="/talk" { "All conversations" } }
            div id="conversation" data-conversation=(record.id) data-turns=(record.state.turns) {
                (body(shell, pair, record, turns, kept))
            }
            script src="/assets/talk.js" defer {}
        },
    )
}

fn body(
    shell: &Shell,
    pair: &Pair,
    record: &ConversationRecord,
    turns: &[Turn],
    kept: &Kept,
) -> Markup {
    let c = &record.state;
    let now = now();
    let me = pair.me;
    html! {
        h1 { (record.topic) }
        details.card {
            summary { "Ground rules" }
            (paragraphs(&record.ground_rules))
        }
        @if let Some(problem) = &kept.problem {
            div.errors role="alert" { p { (problem) } }
        }
        @if !pair.space.open { (resting_notice()) }
        ol.turns {
            @for t in turns {
                li class={ "turn " (t.kind.as_str()) @if t.author == me { " mine" } } {
                    p.meta { strong { (pair.name(t.author)) } " " (turn_verb(t.kind)) }
                    (paragraphs(&t.text))
                }
            }
        }
        @match c.phase {
            Phase::Proposed if c.proposer == me => {
                p.notice role="status" { "Waiting for " (pair.partner_name) " to accept." }
            }
            Phase::Proposed => {
                div.card {
                    p { (pair.partner_name) " would like to talk about this, with these ground rules. It starts when you accept; they speak first." }
                    form.inline method="post" action={ "/talk/" (record.id) "/accept" } {
                        (shell.csrf_field())
                        button type="submit" { "Accept" }
                    }
                    " "
                    form.inline method="post" action={ "/talk/" (record.id) "/decline" } {
                        (shell.csrf_field())
                        button.secondary type="submit" { "Not now" }
                    }
                }
            }
            Phase::Declined => { p.notice { "This proposal was declined. Either of you can propose another time." } }
            Phase::Ended => {
                div.card {
                    p { strong { "This conversation has ended." } }
                    @if let Some(note) = &record.closing_note {
                        p.meta { "Closing note from " (record.ended_by.map(|u| pair.name(u)).unwrap_or("one of you")) ":" }
                        (paragraphs(note))
                    }
                }
            }
            Phase::Active => {
                @if let Some(until) = c.paused_until.filter(|u| now < *u) {
                    div.notice.pause role="status" {
                        p { strong { "Resting." } " "
                            (record.paused_by.map(|u| pair.name(u)).unwrap_or("One of you")) " asked for a pause. You both come back at "
                            (local_time(until)) "." }
                        p { "Breathe, walk, drink some water. Nothing here goes away while you rest." }
                    }
                } @else {
                    p.floor role="status" { (capitalise(waiting_for(c, me))) "." }
                    (turn_box(shell, record, me, kept))
                }
                div.card.controls {
                    form method="post" action={ "/talk/" (record.id) "/pause" } {
                        (shell.csrf_field())
                        label for="minutes" { "Feeling flooded? Take a break" }
                        select id="minutes" name="minutes" {
                            @for (m, label) in [(20, "20 minutes"), (45, "45 minutes"), (120, "2 hours"), (1440, "until tomorrow")] {
                                option value=(m) { (label) }
                            }
                        }
                        button.secondary type="submit" { "Pause" }
                    }
                    form method="post" action={ "/talk/" (record.id) "/end" } {
                        (shell.csrf_field())
                        label for="closing_note" { "Or end the conversation, with a few closing words (optional)" }
                        textarea id="closing_note" name="closing_note" rows="2" maxlength=(conversation::CLOSING_MAX_CHARS) {}
                        (field_error(&kept.errors, "closing_note"))
                        button.secondary type="submit" { "End the conversation" }
                    }
                }
            }
        }
    }
}

fn turn_box(shell: &Shell, record: &ConversationRecord, me: UserId, kept: &Kept) -> Markup {
    let c = &record.state;
    let action = format!("/talk/{}/turns", record.id);
    let mine = match c.step {
        Step::Speak | Step::Confirm => c.speaker == me,
        Step::Reflect => c.speaker != me,
    };
    html! {
        @if mine {
            form.card method="post" action=(action) data-turn data-coach="/coach" {
                (shell.csrf_field())
                input type="hidden" name="after" value=(c.turns);
                @match c.step {
                    Step::Speak => {
                        input type="hidden" name="kind" value="speak";
                        label for="text" { "Say it briefly, about yourself: what you feel and what you need" }
                        textarea id="text" name="text" rows="4" maxlength=(conversation::TURN_MAX_CHARS) required { (kept.text) }
                        (field_error(&kept.errors, "text"))
                        button type="submit" { "Say it" }
                    }
                    Step::Reflect => {
                        input type="hidden" name="kind" value="reflect";
                        label for="text" { "What did you hear? Start with \u{201c}What I heard is\u{2026}\u{201d}" }
                        textarea id="text" name="text" rows="4" maxlength=(conversation::TURN_MAX_CHARS) required { (kept.text) }
                        (field_error(&kept.errors, "text"))
                        button type="submit" { "Reflect it back" }
                    }
                    Step::Confirm => {
                        label for="text" { "If something was missed, say what (optional when they heard you rightly)" }
                        textarea id="text" name="text" rows="3" maxlength=(conversation::TURN_MAX_CHARS) { (kept.text) }
                        (field_error(&kept.errors, "text"))
                        button type="submit" name="kind" value="confirm" { "Yes, you heard me" }
                        " "
                        button.secondary type="submit" name="kind" value="correct" { "Not quite" }
                    }
                }
                @if kept.analysis.as_ref().is_some_and(|a| a.concern) {
                    div.notice role="alert" {
                        p { "The coach has a concern about these words, shown below. You can change them, or say them as they are." }
                        @if c.step == Step::Confirm {
                            input type="hidden" name="kind" value="correct";
                        }
                        button.secondary type="submit" name="send_anyway" value="yes" { "Say it as it is" }
                    }
                }
            }
            section.coach-result id="coach-result" aria-live="polite" {
                @if let Some(a) = &kept.analysis { (crate::coach::result(kept.text, a)) }
            }
            script src="/assets/coach.js" defer {}
        }
    }
}

fn turn_verb(kind: TurnKind) -> &'static str {
    match kind {
        TurnKind::Speak => "said",
        TurnKind::Reflect => "reflected back",
        TurnKind::Confirm => "felt heard",
        TurnKind::Correct => "corrected",
    }
}

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// Renders the page again after a refused or invalid action, keeping what
/// the person had typed.
async fn again(
    state: &AppState,
    shell: &Shell,
    pair: &Pair,
    id: i64,
    error: Error,
    text: &str,
) -> Result<Response, Error> {
    let status = error.status();
    let kept = match error {
        Error::Invalid(errors) => Kept {
            text,
            problem: None,
            errors,
            analysis: None,
        },
        Error::Conflict(problem) => Kept {
            text,
            problem: Some(problem),
            errors: Vec::new(),
            analysis: None,
        },
        other => return Err(other),
    };
    let record = load(state, pair, id).await?;
    let turns = state.store.turns(pair.couple(), id).await?;
    Ok((status, page(shell, pair, &record, &turns, &kept)).into_response())
}

async fn turn_form_post(
    state: &AppState,
    shell: &Shell,
    viewer: &Viewer,
    id: i64,
    turn: &NewTurn,
    send_anyway: bool,
) -> Result<Response, Error> {
    let pair = pair(state, viewer).await?;
    // Every turn is read by the coach first. With a concern, the page
    // comes back with the coach's reading and the words kept; the author
    // may change them or say them as they are.
    if !send_anyway && !turn.text.trim().is_empty() {
        let analysis = crate::coach::coached(state, pair.couple(), &turn.text, "message").await?;
        if analysis.concern {
            let record = load(state, &pair, id).await?;
            let turns = state.store.turns(pair.couple(), id).await?;
            let kept = Kept {
                text: &turn.text,
                problem: None,
                errors: Vec::new(),
                analysis: Some(analysis),
            };
            return Ok(page(shell, &pair, &record, &turns, &kept).into_response());
        }
    }
    match take_turn(state, &pair, id, turn).await {
        Ok(_) => Ok(Redirect::to(&format!("/talk/{id}#conversation")).into_response()),
        Err(e) => again(state, shell, &pair, id, e, &turn.text).await,
    }
}

#[derive(Debug, Default, Deserialize)]
struct TurnFields {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    text: String,
    #[serde(default)]
    after: String,
    #[serde(default)]
    send_anyway: String,
}

async fn turn_form(
    State(state): State<AppState>,
    shell: Shell,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(f): Form<TurnFields>,
) -> Result<Response, Error> {
    let turn = NewTurn {
        kind: f.kind,
        text: f.text,
        after: serde_json::Value::String(f.after),
    };
    turn_form_post(&state, &shell, &viewer, id, &turn, f.send_anyway == "yes").await
}

async fn simple_action(
    state: &AppState,
    shell: &Shell,
    viewer: &Viewer,
    id: i64,
    action: impl FnOnce(&Pair) -> Action,
) -> Result<Response, Error> {
    let pair = pair(state, viewer).await?;
    let f = action(&pair);
    match act(state, &pair, id, f).await {
        Ok(_) => Ok(Redirect::to(&format!("/talk/{id}")).into_response()),
        Err(e) => again(state, shell, &pair, id, e, "").await,
    }
}

fn accept_action(pair: &Pair) -> Action {
    let me = pair.me;
    Box::new(move |c| Ok((c.accept(me)?, ConversationChange::default())))
}

fn decline_action(pair: &Pair) -> Action {
    let me = pair.me;
    Box::new(move |c| Ok((c.decline(me)?, ConversationChange::default())))
}

async fn accept_form(
    State(state): State<AppState>,
    shell: Shell,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> Result<Response, Error> {
    simple_action(&state, &shell, &viewer, id, accept_action).await
}

async fn decline_form(
    State(state): State<AppState>,
    shell: Shell,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> Result<Response, Error> {
    simple_action(&state, &shell, &viewer, id, decline_action).await
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct PauseRequest {
    /// How long to rest, in minutes; at least 20.
    #[serde(default)]
    #[schema(value_type = i64)]
    pub minutes: serde_json::Value,
}

impl PauseRequest {
    fn minutes(&self) -> i64 {
        match &self.minutes {
            serde_json::Value::Number(n) => n.as_i64(),
            serde_json::Value::String(s) => s.trim().parse().ok(),
            _ => None,
        }
        .unwrap_or(MIN_PAUSE_MINUTES)
    }
}

#[derive(Debug, Default, Deserialize)]
struct PauseFields {
    #[serde(default)]
    minutes: String,
}

async fn pause_form(
    State(state): State<AppState>,
    shell: Shell,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(f): Form<PauseFields>,
) -> Result<Response, Error> {
    let minutes = PauseRequest {
        minutes: serde_json::Value::String(f.minutes),
    }
    .minutes();
    simple_action(&state, &shell, &viewer, id, move |p| {
        pause_change(p, minutes)
    })
    .await
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct EndRequest {
    #[serde(default)]
    pub closing_note: String,
}

async fn end_form(
    State(state): State<AppState>,
    shell: Shell,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(f): Form<EndRequest>,
) -> Result<Response, Error> {
    let pair = pair(&state, &viewer).await?;
    let note = match conversation::parse_closing(&f.closing_note) {
        Ok(note) => note,
        Err(e) => return again(&state, &shell, &pair, id, Error::Invalid(vec![e]), "").await,
    };
    match act(&state, &pair, id, end_change(&pair, note)).await {
        Ok(_) => Ok(Redirect::to(&format!("/talk/{id}")).into_response()),
        Err(e) => again(&state, &shell, &pair, id, e, "").await,
    }
}

/// Server-sent events: a `changed` event whenever this conversation moves,
/// carrying no content — the page fetches what changed through the usual
/// route, so every privacy check still applies.
async fn events(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, Error> {
    let pair = pair(&state, &viewer).await?;
    let record = load(&state, &pair, id).await?;
    let couple = pair.couple();
    let changed = || {
        Some(Some(Ok::<_, Infallible>(
            Event::default().event("changed").data("changed"),
        )))
    };
    let changes = BroadcastStream::new(state.changes.subscribe()).filter_map(move |c| match c {
        // Browsers drop events whose data is empty, so each carries a
        // word — never any of the conversation's content.
        Ok(c) if c.couple == couple && c.conversation == record.id => changed(),
        // A slow reader that missed some changes just refreshes once.
        Err(_) => changed(),
        Ok(_) => None,
    });
    // The stream ends when the server stops (the browser reconnects to the
    // next one), instead of holding the shutdown open.
    let stopping = WatchStream::new(state.stopping.subscribe()).filter_map(|s| s.then_some(None));
    let stream = changes
        .merge(stopping)
        .take_while(Option::is_some)
        .filter_map(|event| event);
    Ok(Sse::new(stream).keep_alive(KeepAlive::default()))
}

// ---- API ----

/// A conversation as the API returns it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ConversationView {
    pub id: i64,
    pub topic: String,
    pub ground_rules: String,
    /// `proposed`, `declined`, `active` or `ended`.
    pub phase: &'static str,
    /// Whether the caller proposed it.
    pub proposed_by_me: bool,
    /// `me` or `partner`: who holds the floor.
    pub speaker: &'static str,
    /// `speak`, `reflect` or `confirm`: what the floor waits for.
    pub step: &'static str,
    /// Turns so far: send this as `after` with the next turn.
    pub turns_taken: i64,
    /// Unix seconds until which the conversation rests, while it does.
    pub paused_until: Option<i64>,
    pub closing_note: Option<String>,
    /// In plain words, what the floor waits for, said to the caller.
    pub waiting_for: &'static str,
    /// Present on a single conversation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub turns: Option<Vec<TurnView>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TurnView {
    pub seq: i64,
    /// `me` or `partner`.
    pub author: &'static str,
    pub kind: &'static str,
    pub text: String,
    pub created_at: i64,
}

fn view(pair: &Pair, r: &ConversationRecord, turns: Option<&[Turn]>) -> ConversationView {
    let who = |u: UserId| if u == pair.me { "me" } else { "partner" };
    let now = now();
    ConversationView {
        id: r.id,
        topic: r.topic.clone(),
        ground_rules: r.ground_rules.clone(),
        phase: r.state.phase.as_str(),
        proposed_by_me: r.state.proposer == pair.me,
        speaker: who(r.state.speaker),
        step: r.state.step.as_str(),
        turns_taken: r.state.turns,
        paused_until: r.state.paused_until.filter(|u| now < *u),
        closing_note: r.closing_note.clone(),
        waiting_for: waiting_for(&r.state, pair.me),
        turns: turns.map(|ts| {
            ts.iter()
                .map(|t| TurnView {
                    seq: t.seq,
                    author: who(t.author),
                    kind: t.kind.as_str(),
                    text: t.text.clone(),
                    created_at: t.created_at,
                })
                .collect()
        }),
    }
}

/// The couple's conversations, the most recently active first.
#[utoipa::path(get, path = "/api/v1/conversations", tag = "conversations", security(("bearer" = [])),
    responses((status = 200, body = Vec<ConversationView>), (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)))]
pub async fn list_api(
    State(state): State<AppState>,
    viewer: Viewer,
) -> Result<Json<Vec<ConversationView>>, Error> {
    let pair = pair(&state, &viewer).await?;
    let all = state.store.conversations(pair.couple()).await?;
    Ok(Json(all.iter().map(|r| view(&pair, r, None)).collect()))
}

/// A proposed conversation.
#[derive(Debug, Deserialize, ToSchema)]
pub struct NewConversation {
    pub topic: String,
    /// Empty for the suggested ground rules.
    #[serde(default)]
    pub ground_rules: String,
}

/// Propose a conversation; it starts when the partner accepts.
#[utoipa::path(post, path = "/api/v1/conversations", tag = "conversations", request_body = NewConversation, security(("bearer" = [])),
    responses((status = 201, body = ConversationView), (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn propose_api(
    State(state): State<AppState>,
    viewer: Viewer,
    ApiJson(body): ApiJson<NewConversation>,
) -> Result<(StatusCode, Json<ConversationView>), Error> {
    let record = propose(&state, &viewer, &body.topic, &body.ground_rules).await?;
    let pair = pair(&state, &viewer).await?;
    Ok((StatusCode::CREATED, Json(view(&pair, &record, Some(&[])))))
}

async fn full_view(
    state: &AppState,
    pair: &Pair,
    record: &ConversationRecord,
) -> Result<Json<ConversationView>, Error> {
    let turns = state.store.turns(pair.couple(), record.id).await?;
    Ok(Json(view(pair, record, Some(&turns))))
}

/// One conversation with all its turns.
#[utoipa::path(get, path = "/api/v1/conversations/{id}", tag = "conversations", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = ConversationView), (status = 401, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn one_api(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> Result<Json<ConversationView>, Error> {
    let pair = pair(&state, &viewer).await?;
    let record = load(&state, &pair, id).await?;
    full_view(&state, &pair, &record).await
}

/// Accept a conversation the partner proposed.
#[utoipa::path(post, path = "/api/v1/conversations/{id}/accept", tag = "conversations", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = ConversationView), (status = 401, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn accept_api(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> Result<Json<ConversationView>, Error> {
    let pair = pair(&state, &viewer).await?;
    let record = act(&state, &pair, id, accept_action(&pair)).await?;
    full_view(&state, &pair, &record).await
}

/// Decline a conversation the partner proposed.
#[utoipa::path(post, path = "/api/v1/conversations/{id}/decline", tag = "conversations", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = ConversationView), (status = 401, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn decline_api(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> Result<Json<ConversationView>, Error> {
    let pair = pair(&state, &viewer).await?;
    let record = act(&state, &pair, id, decline_action(&pair)).await?;
    full_view(&state, &pair, &record).await
}

/// Take a turn. Refused (409) when it is not the caller's turn, the kind
/// does not fit, the conversation rests or has ended, or `after` is stale.
#[utoipa::path(post, path = "/api/v1/conversations/{id}/turns", tag = "conversations", params(("id" = i64, Path)), request_body = NewTurn, security(("bearer" = [])),
    responses((status = 201, body = ConversationView), (status = 401, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn turn_api(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    ApiJson(turn): ApiJson<NewTurn>,
) -> Result<(StatusCode, Json<ConversationView>), Error> {
    let pair = pair(&state, &viewer).await?;
    let record = take_turn(&state, &pair, id, &turn).await?;
    Ok((
        StatusCode::CREATED,
        full_view(&state, &pair, &record).await?,
    ))
}

/// Pause for at least twenty minutes; either partner, at any moment.
#[utoipa::path(post, path = "/api/v1/conversations/{id}/pause", tag = "conversations", params(("id" = i64, Path)), request_body = PauseRequest, security(("bearer" = [])),
    responses((status = 200, body = ConversationView), (status = 401, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn pause_api(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<PauseRequest>,
) -> Result<Json<ConversationView>, Error> {
    let pair = pair(&state, &viewer).await?;
    let record = act(&state, &pair, id, pause_change(&pair, body.minutes())).await?;
    full_view(&state, &pair, &record).await
}

/// End the conversation, with an optional closing note.
#[utoipa::path(post, path = "/api/v1/conversations/{id}/end", tag = "conversations", params(("id" = i64, Path)), request_body = EndRequest, security(("bearer" = [])),
    responses((status = 200, body = ConversationView), (status = 401, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn end_api(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<EndRequest>,
) -> Result<Json<ConversationView>, Error> {
    let pair = pair(&state, &viewer).await?;
    let note =
        conversation::parse_closing(&body.closing_note).map_err(|e| Error::Invalid(vec![e]))?;
    let record = act(&state, &pair, id, end_change(&pair, note)).await?;
    full_view(&state, &pair, &record).await
}
