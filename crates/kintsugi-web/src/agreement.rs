//! Stage 6, clear boundaries: the couple's shared agreement.
//!
//! Either partner proposes a new boundary, new wording for one, or letting
//! one go; it takes effect only when the other consents, and then it is the
//! next version. The other may also decline, with a reason, or answer with
//! other wording, which becomes a proposal of its own for the first partner
//! to consent to. Both see every version, who proposed and who consented,
//! the difference between any two versions, and a printable copy.
//!
//! The rules (who may answer, when a proposal is stale, what a version
//! holds) are `kintsugi_core::agreement`'s; the store records each answer
//! once, so a replayed consent makes no second version. Every word that goes
//! to the partner is read by the coach first, as messages are: with a
//! concern the page comes back with the coach's reading and the words kept,
//! and the author may always send them as they are.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Form, Json};
use kintsugi_coach::Analysis;
use kintsugi_core::agreement::{
    self, diff, may_answer, Agreement, Answer, Boundary, Difference, Kind, PieceChange, Proposal,
    Refusal, Status,
};
use kintsugi_core::{CoupleId, Invalid, UserId};
use kintsugi_store::{AgreementVersion, Consented, ProposalRecord};
use maud::{html, Markup};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;

use crate::api::ApiJson;
use crate::coach::{self, held_back, yes, Sent};
use crate::couple::{resting_notice, Space};
use crate::layout::{field_error, form_errors, paragraphs, Shell};
use crate::routing::Routes;
use crate::security::session::Viewer;
use crate::state::{now, AppState};
use crate::Error;

const TITLE: &str = "Clear boundaries";

pub fn routes() -> Routes {
    Routes::new()
        .get("/agreement", agreement_page)
        .get("/agreement/versions/{n}", version_page)
        .get("/agreement/diff", diff_page)
        .get("/agreement/print", print_page)
        .post("/agreement/proposals", propose_form)
        .post("/agreement/proposals/{id}/consent", consent_form)
        .post("/agreement/proposals/{id}/decline", decline_form)
        .post("/agreement/proposals/{id}/counter", counter_form)
        .post("/agreement/proposals/{id}/withdraw", withdraw_form)
}

pub fn api_routes() -> Routes {
    Routes::new()
        .get("/agreement", agreement_api)
        .get("/agreement/versions", versions_api)
        .get("/agreement/versions/{n}", version_api)
        .get("/agreement/diff", diff_api)
        .get("/agreement/proposals", proposals_api)
        .post("/agreement/proposals", propose_api)
        .post("/agreement/proposals/{id}/consent", consent_api)
        .post("/agreement/proposals/{id}/decline", decline_api)
        .post("/agreement/proposals/{id}/counter", counter_api)
        .post("/agreement/proposals/{id}/withdraw", withdraw_api)
}

/// The viewer and their partner: an agreement needs both.
struct Pair {
    space: Space,
    me: UserId,
    my_name: String,
    partner_name: String,
}

async fn pair(state: &AppState, viewer: &Viewer) -> Result<Pair, Error> {
    let space = Space::load(state, viewer.user.id).await?;
    space.require_safety_check_api()?;
    let partner = space
        .require_couple()?
        .partner
        .clone()
        .ok_or(Error::Forbidden(
            "An agreement needs both of you: invite your partner first.",
        ))?;
    Ok(Pair {
        me: space.me,
        my_name: viewer.user.username.clone(),
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
                "Your shared space is resting for now, so the agreement rests too.",
            ))
        }
    }

    /// "You" or the partner's name, for pages.
    fn name(&self, who: UserId) -> &str {
        if who == self.me {
            "You"
        } else {
            &self.partner_name
        }
    }

    /// Both names as they are, for the printed copy.
    fn full_name(&self, who: UserId) -> &str {
        if who == self.me {
            &self.my_name
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
}

fn refused(r: Refusal) -> Error {
    match r {
        Refusal::OwnProposal => Error::Forbidden(agreement::OWN_PROPOSAL),
        Refusal::NotYours => Error::Forbidden(agreement::NOT_YOURS),
        other => Error::Conflict(other.to_string()),
    }
}

async fn current(state: &AppState, pair: &Pair) -> Result<Agreement, Error> {
    Ok(state
        .store
        .agreement(pair.couple(), None)
        .await?
        .unwrap_or_default())
}

/// A proposal of the viewer's own couple; another couple's is not found.
async fn load(state: &AppState, pair: &Pair, id: i64) -> Result<ProposalRecord, Error> {
    state
        .store
        .agreement_proposal(pair.couple(), id)
        .await?
        .ok_or(Error::NotFound)
}

/// A number that may arrive as JSON number or as text.
fn text_of(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Number(n) => n.to_string(),
        serde_json::Value::String(s) => s.clone(),
        _ => String::new(),
    }
}

/// A proposal's fields, from the page's forms or as JSON.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct ProposalFields {
    /// `add`, `change` or `remove`.
    #[serde(default)]
    pub kind: String,
    /// For `change` and `remove`: the boundary's `key`.
    #[serde(default)]
    #[schema(value_type = Option<i64>)]
    pub boundary: serde_json::Value,
    /// The boundary in one sentence (for `add` and `change`).
    #[serde(default)]
    pub text: String,
    /// Optionally, a few words on why it matters.
    #[serde(default)]
    pub why: String,
    /// Optionally, a note for the partner.
    #[serde(default)]
    pub note: String,
    /// Send even though the coach has a concern.
    #[serde(default)]
    #[schema(value_type = Option<bool>)]
    pub send_anyway: serde_json::Value,
}

async fn propose(
    state: &AppState,
    pair: &Pair,
    f: &ProposalFields,
) -> Result<Sent<ProposalRecord>, Error> {
    pair.require_open()?;
    let current = current(state, pair).await?;
    let boundary = text_of(&f.boundary);
    let draft = agreement::Draft {
        kind: &f.kind,
        boundary: &boundary,
        text: &f.text,
        why: &f.why,
        note: &f.note,
    };
    let (proposal, note) = agreement::parse_proposal(draft, &current).map_err(Error::Invalid)?;
    if let Some((text, analysis)) = held_back(
        state,
        pair.couple(),
        &[proposal.text(), proposal.why(), note.as_deref()],
        yes(&f.send_anyway),
    )
    .await?
    {
        return Ok(Sent::HeldBack(text, analysis));
    }
    let record = state
        .store
        .propose_to_agreement(pair.couple(), pair.me, &proposal, note.as_deref(), now())
        .await?;
    Ok(Sent::Done(record))
}

async fn consent(state: &AppState, pair: &Pair, id: i64) -> Result<AgreementVersion, Error> {
    pair.require_open()?;
    let record = load(state, pair, id).await?;
    may_answer(record.proposer, record.status(), pair.me, Answer::Consent).map_err(refused)?;
    match state
        .store
        .consent_to_proposal(pair.couple(), id, pair.me, now())
        .await?
    {
        Consented::Made(version) => Ok(version),
        Consented::AlreadyClosed(status) => Err(refused(Refusal::Closed(status))),
        Consented::Refused(r) => Err(refused(r)),
        Consented::Stale => Err(refused(Refusal::Stale)),
    }
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct DeclineFields {
    /// Why not, in a few words; required.
    #[serde(default)]
    pub reason: String,
    /// Send even though the coach has a concern.
    #[serde(default)]
    #[schema(value_type = Option<bool>)]
    pub send_anyway: serde_json::Value,
}

async fn decline(
    state: &AppState,
    pair: &Pair,
    id: i64,
    f: &DeclineFields,
) -> Result<Sent<ProposalRecord>, Error> {
    pair.require_open()?;
    let record = load(state, pair, id).await?;
    may_answer(record.proposer, record.status(), pair.me, Answer::Decline).map_err(refused)?;
    let reason = agreement::parse_reason(&f.reason)?;
    if let Some((text, analysis)) =
        held_back(state, pair.couple(), &[Some(&reason)], yes(&f.send_anyway)).await?
    {
        return Ok(Sent::HeldBack(text, analysis));
    }
    close(state, pair, &record, Status::Declined, Some(&reason)).await?;
    Ok(Sent::Done(load(state, pair, id).await?))
}

/// Closes a pending proposal, or says how it had already closed.
async fn close(
    state: &AppState,
    pair: &Pair,
    record: &ProposalRecord,
    status: Status,
    reason: Option<&str>,
) -> Result<(), Error> {
    if state
        .store
        .close_proposal(pair.couple(), record.id, status, pair.me, reason, now())
        .await?
    {
        return Ok(());
    }
    let now_status = load(state, pair, record.id).await?.status();
    Err(refused(Refusal::Closed(now_status)))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct CounterFields {
    /// The wording you would agree to, in one sentence.
    #[serde(default)]
    pub text: String,
    #[serde(default)]
    pub why: String,
    #[serde(default)]
    pub note: String,
    /// Send even though the coach has a concern.
    #[serde(default)]
    #[schema(value_type = Option<bool>)]
    pub send_anyway: serde_json::Value,
}

async fn counter(
    state: &AppState,
    pair: &Pair,
    id: i64,
    f: &CounterFields,
) -> Result<Sent<ProposalRecord>, Error> {
    pair.require_open()?;
    let record = load(state, pair, id).await?;
    may_answer(record.proposer, record.status(), pair.me, Answer::Counter).map_err(refused)?;
    let current = current(state, pair).await?;
    if current.is_stale(&record.proposal) {
        close(state, pair, &record, Status::Stale, None).await?;
        return Err(refused(Refusal::Stale));
    }
    let (proposal, note) = agreement::parse_counter(&record.proposal, &f.text, &f.why, &f.note)
        .map_err(Error::Invalid)?;
    if let Some((text, analysis)) = held_back(
        state,
        pair.couple(),
        &[proposal.text(), proposal.why(), note.as_deref()],
        yes(&f.send_anyway),
    )
    .await?
    {
        return Ok(Sent::HeldBack(text, analysis));
    }
    match state
        .store
        .counter_proposal(
            pair.couple(),
            id,
            pair.me,
            &proposal,
            note.as_deref(),
            now(),
        )
        .await?
    {
        Some(made) => Ok(Sent::Done(made)),
        None => {
            let status = load(state, pair, id).await?.status();
            Err(refused(Refusal::Closed(status)))
        }
    }
}

async fn withdraw(state: &AppState, pair: &Pair, id: i64) -> Result<ProposalRecord, Error> {
    pair.require_open()?;
    let record = load(state, pair, id).await?;
    may_answer(record.proposer, record.status(), pair.me, Answer::Withdraw).map_err(refused)?;
    close(state, pair, &record, Status::Withdrawn, None).await?;
    load(state, pair, id).await
}

/// A version number from a path or a query; anything else is not a version.
fn version_number(raw: &str) -> Result<i64, Error> {
    raw.trim().parse::<i64>().map_err(|_| {
        Error::BadRequest(format!(
            "\u{201c}{}\u{201d} is not a version number. Versions are counted 0, 1, 2\u{2026}",
            raw.chars().take(20).collect::<String>()
        ))
    })
}

async fn version_of(state: &AppState, pair: &Pair, n: i64) -> Result<Agreement, Error> {
    state
        .store
        .agreement(pair.couple(), Some(n))
        .await?
        .ok_or(Error::NotFound)
}

/// Two versions to compare: by default the latest and the one before it.
#[derive(Debug, Default, Deserialize)]
pub struct Between {
    #[serde(default)]
    from: Option<String>,
    #[serde(default)]
    to: Option<String>,
}

async fn between(
    state: &AppState,
    pair: &Pair,
    q: &Between,
) -> Result<(Agreement, Agreement), Error> {
    let latest = current(state, pair).await?;
    let to = match q.to.as_deref().filter(|s| !s.trim().is_empty()) {
        Some(raw) => version_of(state, pair, version_number(raw)?).await?,
        None => latest,
    };
    let from = match q.from.as_deref().filter(|s| !s.trim().is_empty()) {
        Some(raw) => version_of(state, pair, version_number(raw)?).await?,
        None => version_of(state, pair, (to.version - 1).max(0)).await?,
    };
    Ok((from, to))
}

// ---- Pages ----

/// Where on the page something the person typed is shown again.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
enum Place {
    /// Nowhere in particular: a notice at the top, with the words kept.
    #[default]
    Top,
    New,
    Boundary(i64),
    Decline(i64),
    Counter(i64),
}

/// What the person typed when an action was held back or refused, and why.
#[derive(Default)]
struct Kept {
    place: Place,
    kind: String,
    text: String,
    why: String,
    note: String,
    reason: String,
    errors: Vec<Invalid>,
    coached: Option<(String, Analysis)>,
    problem: Option<String>,
}

impl Kept {
    fn at(&self, place: Place) -> Option<&Kept> {
        (self.place == place).then_some(self)
    }

    fn from_proposal(f: &ProposalFields, current: &Agreement) -> Kept {
        let key = text_of(&f.boundary).trim().parse::<i64>().ok();
        let place = match (Kind::parse(f.kind.trim()), key) {
            (Some(Kind::Add), _) => Place::New,
            (Some(_), Some(key)) if current.boundary(key).is_some() => Place::Boundary(key),
            _ => Place::Top,
        };
        Kept {
            place,
            kind: f.kind.trim().to_owned(),
            text: f.text.clone(),
            why: f.why.clone(),
            note: f.note.clone(),
            ..Default::default()
        }
    }
}

/// The page again, after an action was held back (200), invalid (422) or
/// refused (409); other errors go to the error page.
async fn again(
    state: &AppState,
    shell: &Shell,
    pair: &Pair,
    mut kept: Kept,
    outcome: Result<(String, Analysis), Error>,
) -> Result<Response, Error> {
    let status = match outcome {
        Ok(coached) => {
            kept.coached = Some(coached);
            StatusCode::OK
        }
        Err(Error::Invalid(errors)) => {
            kept.errors = errors;
            StatusCode::UNPROCESSABLE_ENTITY
        }
        Err(Error::Conflict(problem)) => {
            kept.problem = Some(problem);
            kept.place = Place::Top;
            StatusCode::CONFLICT
        }
        Err(e) => return Err(e),
    };
    Ok((status, main_page(state, shell, pair, &kept).await?).into_response())
}

/// For pages: sends a person whose safety check is due to take it first,
/// and a person without a partner (or whose space rests) to a calm page.
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
                        p.lead { (agreement_guide()) }
                        p { (why) " " a href="/couple" { "Go to your couple's space" } "." }
                    },
                )
                .into_response()))
        }
        Err(e) => return Err(e),
    };
    if !pair.space.open {
        return Ok(Err(shell
            .render(
                TITLE,
                html! {
                    h1 { (TITLE) }
                    (resting_notice())
                },
            )
            .into_response()));
    }
    Ok(Ok(pair))
}

fn agreement_guide() -> &'static str {
    "A boundary is a line you both choose: what is okay from now on, what is not, what each of you needs to feel safe. Either of you can propose one, new wording for one, or letting one go. Nothing changes until the other says yes, and every change is kept, so you can always look back at what you agreed and when."
}

async fn agreement_page(
    State(state): State<AppState>,
    shell: Shell,
    viewer: Viewer,
) -> Result<Response, Error> {
    let pair = match page_pair(&state, &shell, &viewer, "/agreement").await? {
        Ok(p) => p,
        Err(response) => return Ok(response),
    };
    Ok(main_page(&state, &shell, &pair, &Kept::default())
        .await?
        .into_response())
}

async fn main_page(
    state: &AppState,
    shell: &Shell,
    pair: &Pair,
    kept: &Kept,
) -> Result<Markup, Error> {
    let couple = pair.couple();
    let current = current(state, pair).await?;
    let versions = state.store.agreement_versions(couple).await?;
    let proposals = state.store.agreement_proposals(couple).await?;
    let latest = versions.last();
    let pending: Vec<&ProposalRecord> = proposals
        .iter()
        .filter(|p| p.status() == Status::Pending)
        .collect();
    let closed: Vec<&ProposalRecord> = proposals
        .iter()
        .rev()
        .filter(|p| !matches!(p.status(), Status::Pending | Status::Accepted))
        .collect();
    Ok(shell.render(TITLE, html! {
        h1 { (TITLE) }
        p.lead { (agreement_guide()) }
        @if let Some(problem) = &kept.problem {
            div.errors role="alert" tabindex="-1" { p { (problem) } }
        }
        @if let Some(k) = kept.at(Place::Top) {
            (form_errors(&k.errors))
            @let words = [k.text.trim(), k.why.trim(), k.note.trim(), k.reason.trim()].into_iter().filter(|s| !s.is_empty()).collect::<Vec<_>>();
            @if !words.is_empty() {
                div.notice.kept {
                    p { "What you wrote is kept here, so nothing is lost:" }
                    @for w in words { blockquote { (paragraphs(w)) } }
                }
            }
        }
        section.card.agreement id="current" {
            h2 { "Your agreement" }
            @match latest {
                None => p { "Nothing is agreed yet. Either of you can propose the first boundary below; it takes effect when the other says yes." },
                Some(v) => p.meta { "Version " (v.version) ", agreed on " (date(v.accepted_at)) ". " (pair.name(v.proposed_by)) " proposed the latest change and " (lower(pair.name(v.consented_by))) " consented." },
            }
            @if !current.boundaries.is_empty() {
                ol.boundaries {
                    @for b in &current.boundaries {
                        li.boundary id={ "boundary-" (b.key) } {
                            (boundary_body(b))
                            (change_forms(shell, pair, b, kept.at(Place::Boundary(b.key))))
                        }
                    }
                }
            }
            p.actions {
                a href="/agreement/print" { "A copy to print" }
                @if current.version > 0 {
                    a href="/agreement/diff" { "What changed last" }
                }
            }
        }
        section id="proposals" {
            h2 { "Waiting for an answer" }
            @if pending.is_empty() {
                p.muted { "Nothing is waiting." }
            }
            @for p in &pending {
                (proposal_card(shell, pair, &current, p, kept))
            }
        }
        section id="propose" {
            h2 { "Propose a new boundary" }
            @let k = kept.at(Place::New);
            form.card method="post" action="/agreement/proposals" data-coach="/coach" {
                (shell.csrf_field())
                input type="hidden" name="kind" value="add";
                input type="hidden" name="context" value="message";
                @if let Some(k) = k { (form_errors(&k.errors)) }
                label for="text" { "The boundary, in one sentence" }
                p.hint { "Say what you both will or will not do, plainly: \u{201c}We tell each other when plans change.\u{201d}" }
                textarea id="text" name="text" rows="2" maxlength=(agreement::TEXT_MAX_CHARS) required { (k.map(|k| k.text.as_str()).unwrap_or("")) }
                (field_error(k.map_or(&[][..], |k| k.errors.as_slice()), "text"))
                label for="why" { "Why it matters to you (optional)" }
                textarea id="why" name="why" rows="2" maxlength=(agreement::WHY_MAX_CHARS) { (k.map(|k| k.why.as_str()).unwrap_or("")) }
                (field_error(k.map_or(&[][..], |k| k.errors.as_slice()), "why"))
                label for="note" { "A note for " (pair.partner_name) " (optional)" }
                textarea id="note" name="note" rows="2" maxlength=(agreement::NOTE_MAX_CHARS) { (k.map(|k| k.note.as_str()).unwrap_or("")) }
                (field_error(k.map_or(&[][..], |k| k.errors.as_slice()), "note"))
                p.help { "It takes effect when " (pair.partner_name) " consents." }
                p.actions {
                    button type="submit" { "Propose it" }
                    @if k.is_some_and(|k| k.coached.is_some()) {
                        button.secondary type="submit" name="send_anyway" value="yes" { "Propose it as it is" }
                    }
                }
                @if k.is_some_and(|k| k.coached.is_some()) { (held_notice()) }
            }
            section.coach-result id="coach-result" aria-live="polite" {
                @if let Some((text, a)) = k.and_then(|k| k.coached.as_ref()) { (coach::result(text, a)) }
            }
        }
        section id="history" {
            h2 { "History" }
            ul.versions {
                @for v in versions.iter().rev() {
                    li {
                        a href={ "/agreement/versions/" (v.version) } { "Version " (v.version) }
                        " \u{b7} " (date(v.accepted_at)) " \u{b7} " (v.summary) " "
                        span.meta { "Proposed by " (lower(pair.name(v.proposed_by))) ", consented to by " (lower(pair.name(v.consented_by))) ". " }
                        a href={ "/agreement/diff?from=" (v.version - 1) "&to=" (v.version) } { "See the change" }
                    }
                }
                li { a href="/agreement/versions/0" { "Version 0" } " \u{b7} where you both began: an empty agreement." }
            }
            @if versions.len() >= 2 { (compare_form(versions.len() as i64, None)) }
            @if !closed.is_empty() {
                h3 { "Proposals that did not go ahead" }
                ul.closed-proposals {
                    @for p in &closed { li id={ "proposal-" (p.id) } { (closed_line(pair, &proposals, p)) } }
                }
            }
        }
        script src="/assets/coach.js" defer {}
    }))
}

fn held_notice() -> Markup {
    html! {
        p.notice role="alert" { "The coach has a concern about these words, shown below. Change them if you like, or send them as they are." }
    }
}

fn boundary_body(b: &Boundary) -> Markup {
    html! {
        p.boundary-text { (b.text) }
        @if let Some(why) = &b.why { p.why { "Why: " (why) } }
    }
}

/// The forms under a boundary: new wording, or letting it go.
fn change_forms(shell: &Shell, pair: &Pair, b: &Boundary, kept: Option<&Kept>) -> Markup {
    let changing = kept.filter(|k| k.kind != "remove");
    let removing = kept.filter(|k| k.kind == "remove");
    let errors = |k: Option<&Kept>| k.map_or(Vec::new(), |k| k.errors.clone());
    let (ce, re) = (errors(changing), errors(removing));
    html! {
        details.propose-change open[changing.is_some()] {
            summary { "Propose new wording" }
            form method="post" action="/agreement/proposals" {
                (shell.csrf_field())
                input type="hidden" name="kind" value="change";
                input type="hidden" name="boundary" value=(b.key);
                (form_errors(&ce))
                label for={ "change-text-" (b.key) } { "New wording" }
                textarea id={ "change-text-" (b.key) } name="text" rows="2" maxlength=(agreement::TEXT_MAX_CHARS) required { (changing.map_or(b.text.as_str(), |k| k.text.as_str())) }
                (field_error(&ce, "text"))
                label for={ "change-why-" (b.key) } { "Why (optional)" }
                textarea id={ "change-why-" (b.key) } name="why" rows="2" maxlength=(agreement::WHY_MAX_CHARS) { (changing.map_or(b.why.as_deref().unwrap_or(""), |k| k.why.as_str())) }
                (field_error(&ce, "why"))
                label for={ "change-note-" (b.key) } { "A note for " (pair.partner_name) " (optional)" }
                textarea id={ "change-note-" (b.key) } name="note" rows="2" maxlength=(agreement::NOTE_MAX_CHARS) { (changing.map_or("", |k| k.note.as_str())) }
                (field_error(&ce, "note"))
                (send_buttons("Propose this wording", changing))
            }
        }
        details.propose-removal open[removing.is_some()] {
            summary { "Propose letting it go" }
            form method="post" action="/agreement/proposals" {
                (shell.csrf_field())
                input type="hidden" name="kind" value="remove";
                input type="hidden" name="boundary" value=(b.key);
                (form_errors(&re))
                label for={ "remove-note-" (b.key) } { "A note for " (pair.partner_name) " (optional)" }
                textarea id={ "remove-note-" (b.key) } name="note" rows="2" maxlength=(agreement::NOTE_MAX_CHARS) { (removing.map_or("", |k| k.note.as_str())) }
                (field_error(&re, "note"))
                (send_buttons("Propose letting it go", removing))
            }
        }
    }
}

/// The submit button, and after the coach held the words back, the choice
/// to send them as they are, with what the coach saw.
fn send_buttons(label: &str, kept: Option<&Kept>) -> Markup {
    let coached = kept.and_then(|k| k.coached.as_ref());
    html! {
        p.actions {
            button type="submit" { (label) }
            @if coached.is_some() {
                button.secondary type="submit" name="send_anyway" value="yes" { "Send it as it is" }
            }
        }
        @if let Some((text, a)) = coached {
            (held_notice())
            div.coach-result { (coach::result(text, a)) }
        }
    }
}

/// What a proposal asks, shown the same way to both.
fn proposal_body(current: &Agreement, p: &ProposalRecord) -> Markup {
    html! {
        @match &p.proposal {
            Proposal::Add { text, why } => {
                p.boundary-text { (text) }
                @if let Some(why) = why { p.why { "Why: " (why) } }
            }
            Proposal::Change { boundary, text, why, .. } => {
                @if let Some(now) = current.boundary(*boundary) {
                    p.words { (words(&agreement::word_diff(&now.text, text))) }
                } @else {
                    p.boundary-text { (text) }
                }
                @if let Some(why) = why { p.why { "Why: " (why) } }
            }
            Proposal::Remove { boundary, .. } => {
                @if let Some(now) = current.boundary(*boundary) {
                    p.boundary-text { del { (now.text) } }
                } @else {
                    p.muted { "A boundary that is no longer in the agreement." }
                }
            }
        }
    }
}

fn proposal_card(
    shell: &Shell,
    pair: &Pair,
    current: &Agreement,
    p: &ProposalRecord,
    kept: &Kept,
) -> Markup {
    let mine = p.proposer == pair.me;
    let stale = current.is_stale(&p.proposal);
    let action = format!("/agreement/proposals/{}", p.id);
    let declining = kept.at(Place::Decline(p.id));
    let countering = kept.at(Place::Counter(p.id));
    let de = declining.map_or(Vec::new(), |k| k.errors.clone());
    let ce = countering.map_or(Vec::new(), |k| k.errors.clone());
    html! {
        article.card.proposal id={ "proposal-" (p.id) } {
            p.meta {
                strong { (p.proposal.kind().label()) }
                " \u{b7} from " (lower(pair.name(p.proposer))) " \u{b7} " (date(p.created_at))
                @if p.counters.is_some() { " \u{b7} in answer to an earlier proposal" }
            }
            (proposal_body(current, p))
            @if let Some(note) = &p.note {
                div.note { p.meta { "Note:" } (paragraphs(note)) }
            }
            @if stale {
                p.notice { "The boundary this is about has changed since it was proposed, so it needs a fresh look before anyone agrees to it." }
            }
            @if mine {
                p { "Waiting for " (pair.partner_name) " to answer." }
                form.inline method="post" action={ (action) "/withdraw" } {
                    (shell.csrf_field())
                    button.secondary type="submit" { "Withdraw it" }
                }
            } @else {
                form.inline method="post" action={ (action) "/consent" } {
                    (shell.csrf_field())
                    button type="submit" { "I consent" }
                }
                details.decline open[declining.is_some()] {
                    summary { "Not this" }
                    form method="post" action={ (action) "/decline" } {
                        (shell.csrf_field())
                        (form_errors(&de))
                        label for={ "reason-" (p.id) } { "Why not, in a few words (" (pair.partner_name) " will read it)" }
                        textarea id={ "reason-" (p.id) } name="reason" rows="2" maxlength=(agreement::REASON_MAX_CHARS) required { (declining.map_or("", |k| k.reason.as_str())) }
                        (field_error(&de, "reason"))
                        (send_buttons("Decline", declining))
                    }
                }
                @if !stale {
                    details.counter open[countering.is_some()] {
                        summary { "Suggest other wording" }
                        form method="post" action={ (action) "/counter" } {
                            (shell.csrf_field())
                            (form_errors(&ce))
                            label for={ "counter-text-" (p.id) } { "The wording you would agree to" }
                            textarea id={ "counter-text-" (p.id) } name="text" rows="2" maxlength=(agreement::TEXT_MAX_CHARS) required {
                                (countering.map_or_else(|| suggested_wording(current, p), |k| k.text.clone()))
                            }
                            (field_error(&ce, "text"))
                            label for={ "counter-why-" (p.id) } { "Why (optional)" }
                            textarea id={ "counter-why-" (p.id) } name="why" rows="2" maxlength=(agreement::WHY_MAX_CHARS) { (countering.map_or("", |k| k.why.as_str())) }
                            (field_error(&ce, "why"))
                            label for={ "counter-note-" (p.id) } { "A note for " (pair.partner_name) " (optional)" }
                            textarea id={ "counter-note-" (p.id) } name="note" rows="2" maxlength=(agreement::NOTE_MAX_CHARS) { (countering.map_or("", |k| k.note.as_str())) }
                            (field_error(&ce, "note"))
                            (send_buttons("Suggest this wording", countering))
                        }
                    }
                }
            }
        }
    }
}

/// Where a counter starts from: the proposed words, or the boundary's own.
fn suggested_wording(current: &Agreement, p: &ProposalRecord) -> String {
    p.proposal
        .text()
        .map(str::to_owned)
        .or_else(|| {
            p.proposal
                .target()
                .and_then(|(key, _)| current.boundary(key))
                .map(|b| b.text.clone())
        })
        .unwrap_or_default()
}

fn closed_line(pair: &Pair, all: &[ProposalRecord], p: &ProposalRecord) -> Markup {
    let outcome = p.outcome.as_ref();
    let answered_by = all.iter().find(|c| c.counters == Some(p.id));
    html! {
        strong { (p.proposal.kind().label()) }
        @if let Some(text) = p.proposal.text() { " \u{201c}" (text) "\u{201d}" }
        " \u{b7} from " (lower(pair.name(p.proposer))) " \u{b7} " (p.status().label())
        @if let Some(o) = outcome {
            " by " (lower(pair.name(o.by))) " on " (date(o.at)) "."
            @if let Some(reason) = &o.reason { " " span.reason { "\u{201c}" (reason) "\u{201d}" } }
        }
        @if let Some(c) = answered_by {
            " " a href={ "#proposal-" (c.id) } { "See the other wording" }
        }
    }
}

fn lower(name: &str) -> String {
    if name == "You" {
        "you".to_owned()
    } else {
        name.to_owned()
    }
}

/// The words of a changed boundary, with what went struck through and what
/// came underlined.
fn words(pieces: &[agreement::Piece]) -> Markup {
    html! {
        @for p in pieces {
            @match p.change {
                PieceChange::Same => (p.text),
                PieceChange::Removed => del { (p.text) },
                PieceChange::Added => ins { (p.text) },
            }
        }
    }
}

/// A date both partners read the same (UTC): `9 May 2026`.
fn date(unix: i64) -> String {
    OffsetDateTime::from_unix_timestamp(unix)
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
        .format(time::macros::format_description!(
            "[day padding:none] [month repr:long] [year]"
        ))
        .unwrap_or_default()
}

fn compare_form(versions: i64, chosen: Option<(i64, i64)>) -> Markup {
    let (from, to) = chosen.unwrap_or(((versions - 1).max(0), versions));
    html! {
        form.card.compare method="get" action="/agreement/diff" {
            h3 { "Compare two versions" }
            label for="from" { "From version" }
            select id="from" name="from" {
                @for n in 0..=versions { option value=(n) selected[n == from] { (n) } }
            }
            label for="to" { "to version" }
            select id="to" name="to" {
                @for n in 0..=versions { option value=(n) selected[n == to] { (n) } }
            }
            button type="submit" { "Compare" }
        }
    }
}

async fn propose_form(
    State(state): State<AppState>,
    shell: Shell,
    viewer: Viewer,
    Form(f): Form<ProposalFields>,
) -> Result<Response, Error> {
    let pair = pair(&state, &viewer).await?;
    let outcome = propose(&state, &pair, &f).await;
    if let Ok(Sent::Done(p)) = &outcome {
        return Ok(Redirect::to(&format!("/agreement#proposal-{}", p.id)).into_response());
    }
    let kept = Kept::from_proposal(&f, &current(&state, &pair).await?);
    again(&state, &shell, &pair, kept, held(outcome)).await
}

/// The result of an action that was not done, for [`again`].
fn held<T>(outcome: Result<Sent<T>, Error>) -> Result<(String, Analysis), Error> {
    match outcome {
        Ok(Sent::HeldBack(text, analysis)) => Ok((text, analysis)),
        Ok(Sent::Done(_)) => unreachable!("a done action redirects"),
        Err(e) => Err(e),
    }
}

async fn consent_form(
    State(state): State<AppState>,
    shell: Shell,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> Result<Response, Error> {
    let pair = pair(&state, &viewer).await?;
    match consent(&state, &pair, id).await {
        Ok(_) => Ok(Redirect::to("/agreement#current").into_response()),
        Err(e) => again(&state, &shell, &pair, Kept::default(), Err(e)).await,
    }
}

async fn decline_form(
    State(state): State<AppState>,
    shell: Shell,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(f): Form<DeclineFields>,
) -> Result<Response, Error> {
    let pair = pair(&state, &viewer).await?;
    let outcome = decline(&state, &pair, id, &f).await;
    if let Ok(Sent::Done(_)) = &outcome {
        return Ok(Redirect::to(&format!("/agreement#proposal-{id}")).into_response());
    }
    let kept = Kept {
        place: Place::Decline(id),
        reason: f.reason.clone(),
        ..Default::default()
    };
    again(&state, &shell, &pair, kept, held(outcome)).await
}

async fn counter_form(
    State(state): State<AppState>,
    shell: Shell,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(f): Form<CounterFields>,
) -> Result<Response, Error> {
    let pair = pair(&state, &viewer).await?;
    let outcome = counter(&state, &pair, id, &f).await;
    if let Ok(Sent::Done(made)) = &outcome {
        return Ok(Redirect::to(&format!("/agreement#proposal-{}", made.id)).into_response());
    }
    let kept = Kept {
        place: Place::Counter(id),
        text: f.text.clone(),
        why: f.why.clone(),
        note: f.note.clone(),
        ..Default::default()
    };
    again(&state, &shell, &pair, kept, held(outcome)).await
}

async fn withdraw_form(
    State(state): State<AppState>,
    shell: Shell,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> Result<Response, Error> {
    let pair = pair(&state, &viewer).await?;
    match withdraw(&state, &pair, id).await {
        Ok(_) => Ok(Redirect::to(&format!("/agreement#proposal-{id}")).into_response()),
        Err(e) => again(&state, &shell, &pair, Kept::default(), Err(e)).await,
    }
}

async fn version_page(
    State(state): State<AppState>,
    shell: Shell,
    viewer: Viewer,
    Path(n): Path<String>,
) -> Result<Response, Error> {
    let pair = match page_pair(&state, &shell, &viewer, &format!("/agreement/versions/{n}")).await?
    {
        Ok(p) => p,
        Err(response) => return Ok(response),
    };
    let n = version_number(&n)?;
    let agreement = version_of(&state, &pair, n).await?;
    let made = state.store.agreement_version(pair.couple(), n).await?;
    let latest = current(&state, &pair).await?.version;
    let title = format!("Version {n} of your agreement");
    Ok(shell
        .render(&title, html! {
            p { a href="/agreement" { "Your agreement as it is now" } }
            h1 { (title) }
            @match &made {
                Some(v) => p.meta { "Agreed on " (date(v.accepted_at)) ": " (v.summary) " \u{b7} proposed by " (lower(pair.name(v.proposed_by))) ", consented to by " (lower(pair.name(v.consented_by))) "." },
                None => p.meta { "Where you both began: an empty agreement." },
            }
            @if n < latest { p.notice { "This is an earlier version. The agreement is now at version " (latest) "." } }
            @if agreement.boundaries.is_empty() {
                p { "No boundaries in this version." }
            } @else {
                ol.boundaries { @for b in &agreement.boundaries { li.boundary { (boundary_body(b)) p.meta { "In these words since version " (b.since) "." } } } }
            }
            p.actions {
                @if n > 0 { a href={ "/agreement/diff?from=" (n - 1) "&to=" (n) } { "What changed in this version" } }
                a href={ "/agreement/print?version=" (n) } { "A copy to print" }
            }
        })
        .into_response())
}

async fn diff_page(
    State(state): State<AppState>,
    shell: Shell,
    viewer: Viewer,
    Query(q): Query<Between>,
) -> Result<Response, Error> {
    let pair = match page_pair(&state, &shell, &viewer, "/agreement/diff").await? {
        Ok(p) => p,
        Err(response) => return Ok(response),
    };
    let (from, to) = between(&state, &pair, &q).await?;
    let latest = current(&state, &pair).await?.version;
    let differences = diff(&from.boundaries, &to.boundaries);
    let title = format!("From version {} to version {}", from.version, to.version);
    Ok(shell
        .render(&title, html! {
            p { a href="/agreement" { "Your agreement as it is now" } }
            h1 { (title) }
            @if differences.is_empty() {
                p { "These two versions hold the same boundaries, in the same words." }
            }
            ul.differences {
                @for d in &differences { li class={ "difference " (difference_class(d)) } { (difference(d)) } }
            }
            (compare_form(latest, Some((from.version, to.version))))
        })
        .into_response())
}

fn difference_class(d: &Difference) -> &'static str {
    match d {
        Difference::Added { .. } => "added",
        Difference::Removed { .. } => "removed",
        Difference::Changed { .. } => "changed",
    }
}

fn difference(d: &Difference) -> Markup {
    html! {
        @match d {
            Difference::Added { boundary } => {
                p.meta { strong { "Added" } }
                p.boundary-text { ins { (boundary.text) } }
                @if let Some(why) = &boundary.why { p.why { "Why: " (why) } }
            }
            Difference::Removed { boundary } => {
                p.meta { strong { "Let go" } }
                p.boundary-text { del { (boundary.text) } }
            }
            Difference::Changed { before, after, words: pieces } => {
                p.meta { strong { "Reworded" } }
                p.words { (words(pieces)) }
                @if before.why != after.why {
                    p.why {
                        "Why: "
                        @if let Some(w) = &before.why { del { (w) } " " }
                        @if let Some(w) = &after.why { ins { (w) } }
                    }
                }
            }
        }
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct Which {
    #[serde(default)]
    version: Option<String>,
}

async fn print_page(
    State(state): State<AppState>,
    shell: Shell,
    viewer: Viewer,
    Query(q): Query<Which>,
) -> Result<Response, Error> {
    let pair = match page_pair(&state, &shell, &viewer, "/agreement/print").await? {
        Ok(p) => p,
        Err(response) => return Ok(response),
    };
    let agreement = match q.version.as_deref().filter(|s| !s.trim().is_empty()) {
        Some(raw) => version_of(&state, &pair, version_number(raw)?).await?,
        None => current(&state, &pair).await?,
    };
    let versions = state.store.agreement_versions(pair.couple()).await?;
    let made = versions.iter().find(|v| v.version == agreement.version);
    let consent_line = |v: &AgreementVersion| {
        format!(
            "proposed by {} and consented to by {} on {}",
            pair.full_name(v.proposed_by),
            pair.full_name(v.consented_by),
            date(v.accepted_at)
        )
    };
    Ok(shell
        .render("Our agreement", html! {
            p.no-print { a href="/agreement" { "Back to your agreement" } " \u{b7} Use your browser's Print command to print this page or save it as a PDF." }
            article.print-sheet {
                h1 { "Our agreement" }
                p.meta {
                    (pair.full_name(pair.me)) " and " (pair.partner_name) " \u{b7} version " (agreement.version)
                    @if let Some(v) = made { " \u{b7} " (date(v.accepted_at)) }
                }
                @if agreement.boundaries.is_empty() {
                    p { (if agreement.version == 0 { "Nothing agreed yet." } else { "No boundaries in this version." }) }
                } @else {
                    ol.boundaries {
                        @for b in &agreement.boundaries {
                            li.boundary {
                                (boundary_body(b))
                                @if let Some(v) = versions.iter().find(|v| v.version == b.since) {
                                    p.meta { "Agreed in version " (b.since) ", " (consent_line(v)) "." }
                                }
                            }
                        }
                    }
                }
                @if let Some(v) = made {
                    p.consents { "This version was " (consent_line(v)) ". Each boundary above holds because you both chose it." }
                }
            }
        })
        .into_response())
}

// ---- API ----

#[derive(Debug, Serialize, ToSchema)]
pub struct BoundaryView {
    /// Stays the same across versions.
    pub key: i64,
    pub text: String,
    pub why: Option<String>,
    /// The version in which this wording took effect.
    pub since: i64,
}

fn boundary_view(b: &Boundary) -> BoundaryView {
    BoundaryView {
        key: b.key,
        text: b.text.clone(),
        why: b.why.clone(),
        since: b.since,
    }
}

/// One version of the agreement. Version 0, the empty agreement, has no
/// date, proposer or consent.
#[derive(Debug, Serialize, ToSchema)]
pub struct VersionView {
    pub version: i64,
    pub accepted_at: Option<i64>,
    /// `me` or `partner`.
    pub proposed_by: Option<&'static str>,
    /// `me` or `partner`.
    pub consented_by: Option<&'static str>,
    /// What this version changed, in one line.
    pub summary: Option<String>,
    pub boundaries: Vec<BoundaryView>,
}

/// One agreed version without its boundaries, as a history or a timeline lists it.
#[derive(Debug, Serialize, ToSchema)]
pub struct VersionSummaryView {
    pub version: i64,
    pub accepted_at: i64,
    /// `me` or `partner`.
    pub proposed_by: &'static str,
    /// `me` or `partner`.
    pub consented_by: &'static str,
    pub summary: String,
}

fn summary_view(pair: &Pair, v: &AgreementVersion) -> VersionSummaryView {
    VersionSummaryView {
        version: v.version,
        accepted_at: v.accepted_at,
        proposed_by: pair.who(v.proposed_by),
        consented_by: pair.who(v.consented_by),
        summary: v.summary.clone(),
    }
}

fn version_view(pair: &Pair, a: &Agreement, made: Option<&AgreementVersion>) -> VersionView {
    VersionView {
        version: a.version,
        accepted_at: made.map(|v| v.accepted_at),
        proposed_by: made.map(|v| pair.who(v.proposed_by)),
        consented_by: made.map(|v| pair.who(v.consented_by)),
        summary: made.map(|v| v.summary.clone()),
        boundaries: a.boundaries.iter().map(boundary_view).collect(),
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProposalView {
    pub id: i64,
    /// `add`, `change` or `remove`.
    pub kind: &'static str,
    /// `pending`, `accepted`, `declined`, `countered`, `withdrawn` or `stale`.
    pub status: &'static str,
    /// `me` or `partner`.
    pub proposed_by: &'static str,
    /// For `change` and `remove`: the boundary's key.
    pub boundary: Option<i64>,
    pub text: Option<String>,
    pub why: Option<String>,
    pub note: Option<String>,
    /// The proposal this one answers with other wording.
    pub counters: Option<i64>,
    pub created_at: i64,
    /// A pending change or removal whose boundary changed since: consenting
    /// to it will be refused, and it will be closed as stale.
    pub needs_fresh_look: bool,
    /// `me` or `partner`: who closed it.
    pub closed_by: Option<&'static str>,
    pub closed_at: Option<i64>,
    /// Why it was declined.
    pub reason: Option<String>,
}

fn proposal_view(pair: &Pair, current: &Agreement, p: &ProposalRecord) -> ProposalView {
    ProposalView {
        id: p.id,
        kind: p.proposal.kind().as_str(),
        status: p.status().as_str(),
        proposed_by: pair.who(p.proposer),
        boundary: p.proposal.target().map(|(key, _)| key),
        text: p.proposal.text().map(str::to_owned),
        why: p.proposal.why().map(str::to_owned),
        note: p.note.clone(),
        counters: p.counters,
        created_at: p.created_at,
        needs_fresh_look: p.status() == Status::Pending && current.is_stale(&p.proposal),
        closed_by: p.outcome.as_ref().map(|o| pair.who(o.by)),
        closed_at: p.outcome.as_ref().map(|o| o.at),
        reason: p.outcome.as_ref().and_then(|o| o.reason.clone()),
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AgreementView {
    /// The agreement as it stands now.
    pub current: VersionView,
    /// Proposals waiting for an answer.
    pub pending: Vec<ProposalView>,
    /// Every agreed version, oldest first.
    pub history: Vec<VersionSummaryView>,
}

/// The agreement as it stands, what waits for an answer, and its history.
#[utoipa::path(get, path = "/api/v1/agreement", tag = "agreement", security(("bearer" = [])),
    responses((status = 200, body = AgreementView), (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)))]
pub async fn agreement_api(
    State(state): State<AppState>,
    viewer: Viewer,
) -> Result<Json<AgreementView>, Error> {
    let pair = pair(&state, &viewer).await?;
    pair.require_open()?;
    let current = current(&state, &pair).await?;
    let versions = state.store.agreement_versions(pair.couple()).await?;
    let proposals = state.store.agreement_proposals(pair.couple()).await?;
    Ok(Json(AgreementView {
        current: version_view(&pair, &current, versions.last()),
        pending: proposals
            .iter()
            .filter(|p| p.status() == Status::Pending)
            .map(|p| proposal_view(&pair, &current, p))
            .collect(),
        history: versions.iter().map(|v| summary_view(&pair, v)).collect(),
    }))
}

/// Every agreed version, oldest first, each with when, who and a one-line summary.
#[utoipa::path(get, path = "/api/v1/agreement/versions", tag = "agreement", security(("bearer" = [])),
    responses((status = 200, body = Vec<VersionSummaryView>), (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)))]
pub async fn versions_api(
    State(state): State<AppState>,
    viewer: Viewer,
) -> Result<Json<Vec<VersionSummaryView>>, Error> {
    let pair = pair(&state, &viewer).await?;
    pair.require_open()?;
    let versions = state.store.agreement_versions(pair.couple()).await?;
    Ok(Json(
        versions.iter().map(|v| summary_view(&pair, v)).collect(),
    ))
}

/// One version of the agreement, with its boundaries (version 0 is empty).
#[utoipa::path(get, path = "/api/v1/agreement/versions/{n}", tag = "agreement", params(("n" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = VersionView), (status = 400, body = crate::error::ErrorBody), (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn version_api(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(n): Path<String>,
) -> Result<Json<VersionView>, Error> {
    let pair = pair(&state, &viewer).await?;
    pair.require_open()?;
    let n = version_number(&n)?;
    let agreement = version_of(&state, &pair, n).await?;
    let made = state.store.agreement_version(pair.couple(), n).await?;
    Ok(Json(version_view(&pair, &agreement, made.as_ref())))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DiffView {
    pub from: i64,
    pub to: i64,
    /// Each boundary that differs: `{"change": "added" | "removed", "boundary": …}`
    /// or `{"change": "changed", "before": …, "after": …, "words": [{"change":
    /// "same" | "removed" | "added", "text": …}]}`.
    #[schema(value_type = Vec<Object>)]
    pub differences: Vec<Difference>,
}

/// What changed between any two versions (by default, the latest change).
#[utoipa::path(get, path = "/api/v1/agreement/diff", tag = "agreement", params(("from" = Option<i64>, Query), ("to" = Option<i64>, Query)), security(("bearer" = [])),
    responses((status = 200, body = DiffView), (status = 400, body = crate::error::ErrorBody), (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn diff_api(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<Between>,
) -> Result<Json<DiffView>, Error> {
    let pair = pair(&state, &viewer).await?;
    pair.require_open()?;
    let (from, to) = between(&state, &pair, &q).await?;
    Ok(Json(DiffView {
        from: from.version,
        to: to.version,
        differences: diff(&from.boundaries, &to.boundaries),
    }))
}

/// Every proposal either partner made, oldest first, with how each ended.
#[utoipa::path(get, path = "/api/v1/agreement/proposals", tag = "agreement", security(("bearer" = [])),
    responses((status = 200, body = Vec<ProposalView>), (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)))]
pub async fn proposals_api(
    State(state): State<AppState>,
    viewer: Viewer,
) -> Result<Json<Vec<ProposalView>>, Error> {
    let pair = pair(&state, &viewer).await?;
    pair.require_open()?;
    let current = current(&state, &pair).await?;
    let all = state.store.agreement_proposals(pair.couple()).await?;
    Ok(Json(
        all.iter()
            .map(|p| proposal_view(&pair, &current, p))
            .collect(),
    ))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SendOutcome {
    /// False when the coach had a concern and `send_anyway` was not set:
    /// nothing reached the partner.
    pub sent: bool,
    pub proposal: Option<ProposalView>,
    /// The coach's reading of the words, when it held them back.
    #[schema(value_type = Option<Object>)]
    pub analysis: Option<Analysis>,
}

async fn outcome(
    state: &AppState,
    pair: &Pair,
    sent: Sent<ProposalRecord>,
    done: StatusCode,
) -> Result<(StatusCode, Json<SendOutcome>), Error> {
    Ok(match sent {
        Sent::Done(p) => {
            let current = current(state, pair).await?;
            (
                done,
                Json(SendOutcome {
                    sent: true,
                    proposal: Some(proposal_view(pair, &current, &p)),
                    analysis: None,
                }),
            )
        }
        Sent::HeldBack(_, analysis) => (
            StatusCode::OK,
            Json(SendOutcome {
                sent: false,
                proposal: None,
                analysis: Some(analysis),
            }),
        ),
    })
}

/// Propose a new boundary, new wording for one, or letting one go. The
/// coach reads the words first: with a concern, nothing is sent unless
/// `send_anyway` is true.
#[utoipa::path(post, path = "/api/v1/agreement/proposals", tag = "agreement", request_body = ProposalFields, security(("bearer" = [])),
    responses((status = 201, body = SendOutcome), (status = 200, body = SendOutcome), (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn propose_api(
    State(state): State<AppState>,
    viewer: Viewer,
    ApiJson(f): ApiJson<ProposalFields>,
) -> Result<(StatusCode, Json<SendOutcome>), Error> {
    let pair = pair(&state, &viewer).await?;
    let sent = propose(&state, &pair, &f).await?;
    outcome(&state, &pair, sent, StatusCode::CREATED).await
}

/// Consent to the partner's proposal: it takes effect as the next version.
/// Refused with 403 for one's own proposal, 409 when it is no longer
/// pending or its boundary changed since (then it is closed as stale).
#[utoipa::path(post, path = "/api/v1/agreement/proposals/{id}/consent", tag = "agreement", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 201, body = VersionView), (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn consent_api(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> Result<(StatusCode, Json<VersionView>), Error> {
    let pair = pair(&state, &viewer).await?;
    let made = consent(&state, &pair, id).await?;
    let agreement = version_of(&state, &pair, made.version).await?;
    Ok((
        StatusCode::CREATED,
        Json(version_view(&pair, &agreement, Some(&made))),
    ))
}

/// Decline the partner's proposal, saying why.
#[utoipa::path(post, path = "/api/v1/agreement/proposals/{id}/decline", tag = "agreement", params(("id" = i64, Path)), request_body = DeclineFields, security(("bearer" = [])),
    responses((status = 200, body = SendOutcome), (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn decline_api(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    ApiJson(f): ApiJson<DeclineFields>,
) -> Result<(StatusCode, Json<SendOutcome>), Error> {
    let pair = pair(&state, &viewer).await?;
    let sent = decline(&state, &pair, id, &f).await?;
    outcome(&state, &pair, sent, StatusCode::OK).await
}

/// Answer the partner's proposal with other wording: it is closed as
/// countered, and the new wording is a proposal for the partner to answer.
#[utoipa::path(post, path = "/api/v1/agreement/proposals/{id}/counter", tag = "agreement", params(("id" = i64, Path)), request_body = CounterFields, security(("bearer" = [])),
    responses((status = 201, body = SendOutcome), (status = 200, body = SendOutcome), (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn counter_api(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    ApiJson(f): ApiJson<CounterFields>,
) -> Result<(StatusCode, Json<SendOutcome>), Error> {
    let pair = pair(&state, &viewer).await?;
    let sent = counter(&state, &pair, id, &f).await?;
    outcome(&state, &pair, sent, StatusCode::CREATED).await
}

/// Withdraw one's own pending proposal.
#[utoipa::path(post, path = "/api/v1/agreement/proposals/{id}/withdraw", tag = "agreement", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = ProposalView), (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn withdraw_api(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> Result<Json<ProposalView>, Error> {
    let pair = pair(&state, &viewer).await?;
    let p = withdraw(&state, &pair, id).await?;
    let current = current(&state, &pair).await?;
    Ok(Json(proposal_view(&pair, &current, &p)))
}
