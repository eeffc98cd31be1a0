//! Stage 12, letting the past go: incidents, readiness, and laying to rest.
//!
//! An incident is private to the partner who records it until they share
//! it. Either partner may say they are ready to lay a shared incident to
//! rest, and take it back, until both have said yes; then it is laid to
//! rest. Saying "ready" is quiet: the partner is not told, so no one is
//! hurried — the partner who was hurt sets the pace, and nothing here
//! counts days or asks again. Once at rest each writes what they choose to
//! carry forward, and the two are shown together when both have written.
//! The rules are `kintsugi_core::letting_go`'s; who may read what is the
//! store's. From then on the coach knows the incident (`coach::options_for`)
//! and notes gently when a draft goes back to it.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Form, Json};
use kintsugi_core::letting_go::{self, Refusal, Stage};
use kintsugi_core::Invalid;
use kintsugi_store::Incident;
use maud::{html, Markup};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::ApiJson;
use crate::layout::{field_error, form_errors, paragraphs, Shell};
use crate::routing::Routes;
use crate::security::session::Viewer;
use crate::state::{now, AppState};
use crate::together::{date, page_pair, pair, Pair};
use crate::Error;

const TITLE: &str = "Letting the past go";

pub fn routes() -> Routes {
    Routes::new()
        .get("/past", past_page)
        .post("/past/incidents", record_form)
        .post("/past/incidents/{id}/share", share_form)
        .post("/past/incidents/{id}/ready", ready_form)
        .post("/past/incidents/{id}/not-ready", not_ready_form)
        .post("/past/incidents/{id}/carry", carry_form)
}

pub fn api_routes() -> Routes {
    Routes::new()
        .get("/incidents", list_api)
        .post("/incidents", record_api)
        .post("/incidents/{id}/share", share_api)
        .post("/incidents/{id}/ready", ready_api)
        .post("/incidents/{id}/not-ready", not_ready_api)
        .post("/incidents/{id}/carry", carry_api)
}

fn guide() -> &'static str {
    "Letting go is not forgetting, and it is not owed. Name something that happened; it stays yours alone until you choose to share it. When you have shared it, either of you can say you are ready to lay it to rest, and take that back, until you have both said yes. Your partner is not told you are ready, so no one is hurried: it rests only when you both are."
}

fn refused(r: Refusal) -> Error {
    match r {
        Refusal::NotAuthor => Error::Forbidden("Only the person who wrote this can share it."),
        other => Error::Conflict(other.to_string()),
    }
}

/// An incident the viewer may see; any other is not found, whether it is
/// the partner's private one or another couple's.
async fn load(state: &AppState, pair: &Pair, id: i64) -> Result<Incident, Error> {
    state
        .store
        .incident(pair.couple(), pair.me, id)
        .await?
        .ok_or(Error::NotFound)
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct IncidentFields {
    /// The name the couple gives it: "The Lisbon trip".
    #[serde(default)]
    pub name: String,
    /// What happened, optionally.
    #[serde(default)]
    pub description: String,
    /// Share it with the partner at once (`yes` from a form, true in JSON);
    /// otherwise it stays private to its author.
    #[serde(default)]
    #[schema(value_type = Option<bool>)]
    pub share: serde_json::Value,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct CarryFields {
    /// What you choose to carry forward.
    #[serde(default)]
    pub text: String,
}

fn yes(v: &serde_json::Value) -> bool {
    matches!(v, serde_json::Value::Bool(true))
        || v.as_str().is_some_and(|s| s == "yes" || s == "true")
}

async fn record(state: &AppState, pair: &Pair, f: &IncidentFields) -> Result<i64, Error> {
    let incident = letting_go::parse_incident(&f.name, &f.description).map_err(Error::Invalid)?;
    Ok(state
        .store
        .record_incident(pair.couple(), pair.me, &incident, yes(&f.share), now())
        .await?)
}

async fn share(state: &AppState, pair: &Pair, id: i64) -> Result<Incident, Error> {
    let incident = load(state, pair, id).await?;
    letting_go::may_share(incident.author, incident.stage(), pair.me).map_err(refused)?;
    if !state
        .store
        .share_incident(pair.couple(), id, pair.me, now())
        .await?
    {
        return Err(refused(Refusal::AlreadyShared));
    }
    load(state, pair, id).await
}

async fn set_ready(state: &AppState, pair: &Pair, id: i64, ready: bool) -> Result<Incident, Error> {
    let incident = load(state, pair, id).await?;
    if ready {
        letting_go::may_say_ready(incident.stage()).map_err(refused)?;
    } else {
        letting_go::may_withdraw(incident.stage(), incident.ready).map_err(refused)?;
    }
    if state
        .store
        .set_ready(pair.couple(), id, pair.me, ready, now())
        .await?
        .is_none()
    {
        // Laid to rest a moment ago, by the partner's yes.
        return Err(refused(Refusal::AtRest));
    }
    load(state, pair, id).await
}

async fn carry(state: &AppState, pair: &Pair, id: i64, f: &CarryFields) -> Result<Incident, Error> {
    let incident = load(state, pair, id).await?;
    letting_go::may_carry_forward(incident.stage(), incident.carried_mine.is_some())
        .map_err(refused)?;
    let text = letting_go::parse_carry_forward(&f.text)?;
    if !state
        .store
        .carry_forward(pair.couple(), id, pair.me, &text, now())
        .await?
    {
        return Err(refused(Refusal::AlreadyCarried));
    }
    load(state, pair, id).await
}

// ---- Pages ----

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
enum Place {
    #[default]
    Top,
    New,
    Carry(i64),
}

#[derive(Default)]
struct Kept {
    place: Place,
    name: String,
    description: String,
    share: bool,
    text: String,
    errors: Vec<Invalid>,
    problem: Option<String>,
}

impl Kept {
    fn at(&self, place: Place) -> Option<&Kept> {
        (self.place == place).then_some(self)
    }
}

async fn past_page(
    State(state): State<AppState>,
    shell: Shell,
    viewer: Viewer,
) -> Result<Response, Error> {
    let pair = match page_pair(&state, &shell, &viewer, "/past", TITLE, guide()).await? {
        Ok(p) => p,
        Err(response) => return Ok(response),
    };
    Ok(page(&state, &shell, &pair, &Kept::default())
        .await?
        .into_response())
}

/// The page again after an action that was invalid (422) or refused (409).
async fn again(
    state: &AppState,
    shell: &Shell,
    pair: &Pair,
    mut kept: Kept,
    error: Error,
) -> Result<Response, Error> {
    let status = match error {
        Error::Invalid(errors) => {
            kept.errors = errors;
            StatusCode::UNPROCESSABLE_ENTITY
        }
        Error::Conflict(problem) => {
            kept.problem = Some(problem);
            StatusCode::CONFLICT
        }
        e => return Err(e),
    };
    Ok((status, page(state, shell, pair, &kept).await?).into_response())
}

async fn page(state: &AppState, shell: &Shell, pair: &Pair, kept: &Kept) -> Result<Markup, Error> {
    let incidents = state.store.incidents(pair.couple(), pair.me).await?;
    let at_rest: Vec<&Incident> = incidents
        .iter()
        .filter(|i| i.stage() == Stage::LaidToRest)
        .collect();
    let shared: Vec<&Incident> = incidents
        .iter()
        .filter(|i| i.stage() == Stage::Shared)
        .collect();
    let private: Vec<&Incident> = incidents
        .iter()
        .filter(|i| i.stage() == Stage::Private)
        .collect();
    let new = kept.at(Place::New);
    let new_errors = new.map_or(&[][..], |k| k.errors.as_slice());
    Ok(shell.render(TITLE, html! {
        h1 { (TITLE) }
        p.lead { (guide()) }
        @if let Some(problem) = &kept.problem {
            div.errors role="alert" tabindex="-1" { p { (problem) } }
        }
        @if !shared.is_empty() {
            section id="shared" {
                h2 { "Shared between you" }
                @for i in &shared { (shared_card(shell, pair, i)) }
            }
        }
        @if !at_rest.is_empty() {
            section id="at-rest" {
                h2 { "Laid to rest" }
                p { "You both chose to let these rest. If one of them comes up in something you write to " (pair.partner_name) ", the coach will say so gently; what to do then is yours to decide." }
                @for i in &at_rest { (rest_card(shell, pair, i, kept.at(Place::Carry(i.id)))) }
            }
        }
        @if !private.is_empty() {
            section id="private" {
                h2 { "Only yours" }
                p { (pair.partner_name) " does not see these. Share one when, and only if, you want to." }
                @for i in &private {
                    article.card.incident id={ "incident-" (i.id) } {
                        h3 { (i.name) }
                        @if let Some(d) = &i.description { (paragraphs(d)) }
                        p.meta { "Written on " (date(i.created_at)) " \u{b7} private" }
                        form.inline method="post" action={ "/past/incidents/" (i.id) "/share" } {
                            (shell.csrf_field())
                            button.secondary type="submit" { "Share it with " (pair.partner_name) }
                        }
                    }
                }
            }
        }
        section id="record" {
            h2 { "Name something that happened" }
            form.card method="post" action="/past/incidents" {
                (shell.csrf_field())
                (form_errors(new_errors))
                label for="incident-name" { "A name for it" }
                p.hint { "A few words you both would recognise, such as \u{201c}the Lisbon trip\u{201d}." }
                input type="text" id="incident-name" name="name" maxlength=(letting_go::NAME_MAX_CHARS) required value=(new.map_or("", |k| k.name.as_str()));
                (field_error(new_errors, "name"))
                label for="incident-description" { "What happened (optional)" }
                textarea id="incident-description" name="description" rows="4" maxlength=(letting_go::DESCRIPTION_MAX_CHARS) { (new.map_or("", |k| k.description.as_str())) }
                (field_error(new_errors, "description"))
                label.choice {
                    input type="checkbox" name="share" value="yes" checked[new.is_some_and(|k| k.share)];
                    " Share it with " (pair.partner_name) " now (otherwise it stays only yours)"
                }
                p.actions { button type="submit" { "Keep it" } }
            }
        }
    }))
}

fn shared_card(shell: &Shell, pair: &Pair, i: &Incident) -> Markup {
    html! {
        article.card.incident id={ "incident-" (i.id) } {
            h3 { (i.name) }
            @if let Some(d) = &i.description { (paragraphs(d)) }
            p.meta { "Written by " (lower(pair.name(i.author))) " \u{b7} shared on " (date(i.shared_at.unwrap_or(i.created_at))) }
            @if i.ready {
                p.ready { "You have said you are ready to lay this to rest. " (pair.partner_name) " is not told; it rests when you have both said so." }
                form.inline method="post" action={ "/past/incidents/" (i.id) "/not-ready" } {
                    (shell.csrf_field())
                    button.secondary type="submit" { "I am not ready after all" }
                }
            } @else {
                p { "When, and only when, you feel ready to let this rest, you can say so here." }
                form.inline method="post" action={ "/past/incidents/" (i.id) "/ready" } {
                    (shell.csrf_field())
                    button type="submit" { "I am ready to lay this to rest" }
                }
            }
        }
    }
}

fn rest_card(shell: &Shell, pair: &Pair, i: &Incident, kept: Option<&Kept>) -> Markup {
    let errors = kept.map_or(&[][..], |k| k.errors.as_slice());
    html! {
        article.card.incident.at-rest id={ "incident-" (i.id) } {
            h3 { (i.name) }
            @if let Some(d) = &i.description { (paragraphs(d)) }
            p.meta { "Laid to rest together on " (date(i.rested_at.unwrap_or(i.created_at))) "." }
            div.carried {
                h4 { "What you carry forward" }
                @match (&i.carried_mine, &i.carried_partner) {
                    (Some(mine), Some(theirs)) => {
                        div.carry-words { p.meta { "You" } (paragraphs(mine)) }
                        div.carry-words { p.meta { (pair.partner_name) } (paragraphs(theirs)) }
                    }
                    (Some(mine), None) => {
                        div.carry-words { p.meta { "You" } (paragraphs(mine)) }
                        p.muted { "Your words and " (pair.partner_name) "'s are shown side by side once you have both written." }
                    }
                    (None, _) => {
                        p { "To close, you can each write what you choose to carry forward from this: something learned, a promise, a hope. Your words and " (pair.partner_name) "'s are shown side by side once you have both written." }
                        form method="post" action={ "/past/incidents/" (i.id) "/carry" } {
                            (shell.csrf_field())
                            (form_errors(errors))
                            label for={ "carry-" (i.id) } { "What I carry forward" }
                            textarea id={ "carry-" (i.id) } name="text" rows="3" maxlength=(letting_go::CARRY_MAX_CHARS) required { (kept.map_or("", |k| k.text.as_str())) }
                            (field_error(errors, "text"))
                            p.actions { button type="submit" { "Keep my words" } }
                        }
                    }
                }
            }
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

async fn record_form(
    State(state): State<AppState>,
    shell: Shell,
    viewer: Viewer,
    Form(f): Form<IncidentFields>,
) -> Result<Response, Error> {
    let pair = pair(&state, &viewer).await?;
    match record(&state, &pair, &f).await {
        Ok(id) => Ok(Redirect::to(&format!("/past#incident-{id}")).into_response()),
        Err(e) => {
            let kept = Kept {
                place: Place::New,
                share: yes(&f.share),
                name: f.name,
                description: f.description,
                ..Default::default()
            };
            again(&state, &shell, &pair, kept, e).await
        }
    }
}

async fn after(
    state: &AppState,
    shell: &Shell,
    pair: &Pair,
    id: i64,
    outcome: Result<Incident, Error>,
) -> Result<Response, Error> {
    match outcome {
        Ok(_) => Ok(Redirect::to(&format!("/past#incident-{id}")).into_response()),
        Err(e) => again(state, shell, pair, Kept::default(), e).await,
    }
}

async fn share_form(
    State(state): State<AppState>,
    shell: Shell,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> Result<Response, Error> {
    let pair = pair(&state, &viewer).await?;
    let outcome = share(&state, &pair, id).await;
    after(&state, &shell, &pair, id, outcome).await
}

async fn ready_form(
    State(state): State<AppState>,
    shell: Shell,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> Result<Response, Error> {
    let pair = pair(&state, &viewer).await?;
    let outcome = set_ready(&state, &pair, id, true).await;
    after(&state, &shell, &pair, id, outcome).await
}

async fn not_ready_form(
    State(state): State<AppState>,
    shell: Shell,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> Result<Response, Error> {
    let pair = pair(&state, &viewer).await?;
    let outcome = set_ready(&state, &pair, id, false).await;
    after(&state, &shell, &pair, id, outcome).await
}

async fn carry_form(
    State(state): State<AppState>,
    shell: Shell,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(f): Form<CarryFields>,
) -> Result<Response, Error> {
    let pair = pair(&state, &viewer).await?;
    match carry(&state, &pair, id, &f).await {
        Ok(_) => Ok(Redirect::to(&format!("/past#incident-{id}")).into_response()),
        Err(e) => {
            let kept = Kept {
                place: Place::Carry(id),
                text: f.text,
                ..Default::default()
            };
            again(&state, &shell, &pair, kept, e).await
        }
    }
}

// ---- API ----

#[derive(Debug, Serialize, ToSchema)]
pub struct CarriedView {
    /// What the caller carries forward, once written.
    pub mine: Option<String>,
    /// What the partner carries forward, once both have written.
    pub partner: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct IncidentView {
    pub id: i64,
    pub name: String,
    pub description: Option<String>,
    /// `me` or `partner`.
    pub recorded_by: &'static str,
    pub created_at: i64,
    /// `private`, `shared` or `laid_to_rest`.
    pub status: &'static str,
    pub shared_at: Option<i64>,
    pub laid_to_rest_at: Option<i64>,
    /// Whether the caller has said they are ready. The partner's readiness
    /// is never shown: it only shows, together with the caller's, when the
    /// incident is laid to rest.
    pub ready: bool,
    pub carried_forward: CarriedView,
}

fn view(pair: &Pair, i: &Incident) -> IncidentView {
    IncidentView {
        id: i.id,
        name: i.name.clone(),
        description: i.description.clone(),
        recorded_by: pair.who(i.author),
        created_at: i.created_at,
        status: i.stage().as_str(),
        shared_at: i.shared_at,
        laid_to_rest_at: i.rested_at,
        ready: i.ready,
        carried_forward: CarriedView {
            mine: i.carried_mine.clone(),
            partner: i.carried_partner.clone(),
        },
    }
}

/// The incidents the caller may see, newest first: their own private ones
/// and every shared one.
#[utoipa::path(get, path = "/api/v1/incidents", tag = "letting go", security(("bearer" = [])),
    responses((status = 200, body = Vec<IncidentView>), (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)))]
pub async fn list_api(
    State(state): State<AppState>,
    viewer: Viewer,
) -> Result<Json<Vec<IncidentView>>, Error> {
    let pair = pair(&state, &viewer).await?;
    let all = state.store.incidents(pair.couple(), pair.me).await?;
    Ok(Json(all.iter().map(|i| view(&pair, i)).collect()))
}

/// Record an incident: private to the caller unless `share` is true.
#[utoipa::path(post, path = "/api/v1/incidents", tag = "letting go", request_body = IncidentFields, security(("bearer" = [])),
    responses((status = 201, body = IncidentView), (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn record_api(
    State(state): State<AppState>,
    viewer: Viewer,
    ApiJson(f): ApiJson<IncidentFields>,
) -> Result<(StatusCode, Json<IncidentView>), Error> {
    let pair = pair(&state, &viewer).await?;
    let id = record(&state, &pair, &f).await?;
    let i = load(&state, &pair, id).await?;
    Ok((StatusCode::CREATED, Json(view(&pair, &i))))
}

/// Share one's own private incident with the partner.
#[utoipa::path(post, path = "/api/v1/incidents/{id}/share", tag = "letting go", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = IncidentView), (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn share_api(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> Result<Json<IncidentView>, Error> {
    let pair = pair(&state, &viewer).await?;
    let i = share(&state, &pair, id).await?;
    Ok(Json(view(&pair, &i)))
}

/// Say one is ready to lay a shared incident to rest. It is laid to rest
/// when both partners are; the partner is not told before then.
#[utoipa::path(post, path = "/api/v1/incidents/{id}/ready", tag = "letting go", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = IncidentView), (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn ready_api(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> Result<Json<IncidentView>, Error> {
    let pair = pair(&state, &viewer).await?;
    let i = set_ready(&state, &pair, id, true).await?;
    Ok(Json(view(&pair, &i)))
}

/// Take back one's readiness, until both have said yes.
#[utoipa::path(post, path = "/api/v1/incidents/{id}/not-ready", tag = "letting go", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = IncidentView), (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn not_ready_api(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> Result<Json<IncidentView>, Error> {
    let pair = pair(&state, &viewer).await?;
    let i = set_ready(&state, &pair, id, false).await?;
    Ok(Json(view(&pair, &i)))
}

/// Write, once, what one carries forward from an incident laid to rest.
#[utoipa::path(post, path = "/api/v1/incidents/{id}/carry", tag = "letting go", params(("id" = i64, Path)), request_body = CarryFields, security(("bearer" = [])),
    responses((status = 200, body = IncidentView), (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn carry_api(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    ApiJson(f): ApiJson<CarryFields>,
) -> Result<Json<IncidentView>, Error> {
    let pair = pair(&state, &viewer).await?;
    let i = carry(&state, &pair, id, &f).await?;
    Ok(Json(view(&pair, &i)))
}

/// What the program page says the couple has laid to rest.
pub(crate) async fn progress_line(
    state: &AppState,
    couple: kintsugi_core::CoupleId,
) -> Result<Option<String>, Error> {
    let n = state.store.laid_to_rest(couple).await?.len();
    Ok(match n {
        0 => None,
        1 => Some("You have laid one thing to rest together.".to_owned()),
        n => Some(format!("You have laid {n} things to rest together.")),
    })
}
