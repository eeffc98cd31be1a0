//! The private safety check, and where to find help.
//!
//! Answers belong to the person who gave them: no page, API response, export
//! or error ever shows them to anyone else, and nothing tells the partner a
//! check was concerning. See `kintsugi_core::safety` for the rules.

use std::collections::HashMap;

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Json;
use kintsugi_core::safety::{Answers, Outcome, Standing, QUESTIONS};
use kintsugi_core::Invalid;
use maud::{html, Markup};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::ApiJson;
use crate::couple::Space;
use crate::layout::{field_error, form_errors, Shell};
use crate::routing::Routes;
use crate::security::csrf::decode_form;
use crate::security::session::Viewer;
use crate::state::{now, AppState};
use crate::Error;

pub fn routes() -> Routes {
    Routes::new()
        .get("/safety", safety_page)
        .post("/safety", safety_form)
        .get("/safety/help", help_page)
}

pub fn api_routes() -> Routes {
    Routes::new()
        .get("/safety-check", status_api)
        .post("/safety-check", answer_api)
}

#[derive(Deserialize)]
struct NextQuery {
    #[serde(default)]
    next: String,
    #[serde(default)]
    retake: Option<String>,
}

async fn safety_page(
    State(state): State<AppState>,
    shell: Shell,
    viewer: Viewer,
    Query(q): Query<NextQuery>,
) -> Result<Markup, Error> {
    let space = Space::load(&state, viewer.user.id).await?;
    Ok(match space.standing {
        Standing::Concerning if q.retake.is_none() => concern_view(&shell, &state, true),
        _ => form_view(&shell, &q.next, space.standing, &HashMap::new(), &[]),
    })
}

fn form_view(
    shell: &Shell,
    next: &str,
    standing: Standing,
    given: &HashMap<String, String>,
    errors: &[Invalid],
) -> Markup {
    shell.render("Safety check", html! {
        h1 { "A private safety check" }
        p.lead { "Before anything else, we want to know you are safe. These questions are for you alone: your partner will never see your answers, or be told what they were." }
        @if standing == Standing::Clear {
            p.notice { "Your last check is current. You can take it again at any time; things change, and that is okay." }
        }
        (form_errors(errors))
        form.card method="post" action="/safety" {
            (shell.csrf_field())
            input type="hidden" name="next" value=(next);
            @for q in QUESTIONS {
                fieldset id=(q.id) {
                    legend { (q.text) }
                    (field_error(errors, q.id))
                    @for (value, label) in [("yes", "Yes"), ("no", "No"), ("not_sure", "Not sure")] {
                        label.choice {
                            input type="radio" name=(q.id) value=(value) required checked[given.get(q.id).is_some_and(|g| g == value)];
                            " " (label)
                        }
                    }
                }
            }
            button type="submit" { "Continue" }
        }
        p.hint { "If you ever need to leave this page quickly, use Quick exit at the top, or press Shift three times." }
    })
}

/// The calm page shown after a concerning answer.
fn concern_view(shell: &Shell, state: &AppState, can_retake: bool) -> Markup {
    shell.render("Your safety comes first", html! {
        section.card.calm {
            h1 { "Your safety comes first" }
            p { "Thank you for answering honestly. Some of what you shared suggests that working on the relationship together may not be safe for you right now." }
            p { "When someone is afraid of their partner, or is being hurt, threatened or controlled, couples work can make things more dangerous: what is said in a shared space can be used against the person who is afraid. This is why the shared parts of Kintsugi are resting for now." }
            p { "None of this is your fault, and you deserve to feel safe. Your answers stay with you: your partner will not see them and will not be told. They will only see that the shared space is resting, which happens for many reasons." }
            (resources(state))
            p { "If your partner may check this device, consider clearing your browsing history, and use the Quick exit button whenever you need it." }
            @if can_retake {
                p { a href="/safety?retake=1" data-retake { "Take the check again" } " — if something was misread, or things have changed." }
            }
        }
    })
}

fn resources(state: &AppState) -> Markup {
    html! {
        h2 { "Where to find help" }
        ul.resources {
            @for (name, contact) in &state.config.crisis_resources {
                li { strong { (name) } @if !contact.is_empty() { br; (contact) } }
            }
        }
    }
}

async fn help_page(State(state): State<AppState>, shell: Shell) -> Markup {
    shell.render("Where to find help", html! {
        section.card.calm {
            h1 { "Where to find help" }
            p { "If you are afraid of your partner, or are being hurt, threatened or controlled, you deserve support from people trained for it. These services are confidential." }
            (resources(&state))
            p { "Kintsugi is not therapy. A couples counsellor can help in ways an app cannot." }
        }
    })
}

async fn safety_form(
    State(state): State<AppState>,
    shell: Shell,
    viewer: Viewer,
    body: axum::body::Bytes,
) -> Result<Response, Error> {
    let fields: HashMap<String, String> = decode_form(&body)?.into_iter().collect();
    let next = fields.get("next").cloned().unwrap_or_default();
    let answers = match Answers::parse(|id| fields.get(id).map(String::as_str)) {
        Ok(a) => a,
        Err(e) => {
            let standing = Space::load(&state, viewer.user.id).await?.standing;
            return Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                form_view(&shell, &next, standing, &fields, &[e]),
            )
                .into_response());
        }
    };
    match state
        .store
        .record_safety_check(viewer.user.id, &answers, now())
        .await?
    {
        Outcome::Clear => {
            let space = Space::load(&state, viewer.user.id).await?;
            let fallback = if space.membership.is_some() {
                "/"
            } else {
                "/couple"
            };
            let next = if next.starts_with('/') && !next.starts_with("//") {
                next.as_str()
            } else {
                fallback
            };
            Ok(Redirect::to(next).into_response())
        }
        // Shown by the page itself, so that reloading it or going back
        // never offers to send the answers again.
        Outcome::Concerning => Ok(Redirect::to("/safety").into_response()),
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SafetyStatus {
    /// `due`, `clear` or `concerning`: the caller's own standing.
    #[schema(value_type = String, example = "clear")]
    pub standing: Standing,
    pub questions: Vec<QuestionView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct QuestionView {
    pub id: &'static str,
    pub text: &'static str,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct SafetyAnswers {
    /// One answer per question id: `yes`, `no` or `not_sure`.
    pub answers: HashMap<String, String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SafetyResult {
    /// `clear` or `concerning`.
    #[schema(value_type = String, example = "clear")]
    pub outcome: Outcome,
    /// Where to find help, when the outcome is concerning.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub help: Vec<HelpLine>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct HelpLine {
    pub name: String,
    pub contact: String,
}

/// The caller's own standing and the questions.
#[utoipa::path(get, path = "/api/v1/safety-check", tag = "safety", security(("bearer" = [])),
    responses((status = 200, body = SafetyStatus), (status = 401, body = crate::error::ErrorBody)))]
pub async fn status_api(
    State(state): State<AppState>,
    viewer: Viewer,
) -> Result<Json<SafetyStatus>, Error> {
    let space = Space::load(&state, viewer.user.id).await?;
    Ok(Json(SafetyStatus {
        standing: space.standing,
        questions: QUESTIONS
            .iter()
            .map(|q| QuestionView {
                id: q.id,
                text: q.text,
            })
            .collect(),
    }))
}

/// Answer the safety check. The answers are never shown to anyone else.
#[utoipa::path(post, path = "/api/v1/safety-check", tag = "safety", request_body = SafetyAnswers, security(("bearer" = [])),
    responses((status = 201, body = SafetyResult), (status = 401, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn answer_api(
    State(state): State<AppState>,
    viewer: Viewer,
    ApiJson(body): ApiJson<SafetyAnswers>,
) -> Result<(StatusCode, Json<SafetyResult>), Error> {
    let answers = Answers::parse(|id| body.answers.get(id).map(String::as_str))?;
    let outcome = state
        .store
        .record_safety_check(viewer.user.id, &answers, now())
        .await?;
    let help = match outcome {
        Outcome::Concerning => state
            .config
            .crisis_resources
            .iter()
            .map(|(n, c)| HelpLine {
                name: n.clone(),
                contact: c.clone(),
            })
            .collect(),
        Outcome::Clear => Vec::new(),
    };
    Ok((StatusCode::CREATED, Json(SafetyResult { outcome, help })))
}
