//! Stage 1, the reflection: each partner answers a few questions alone;
//! drafts are private and saved as they go; sharing adds a version that the
//! partner sees beside their own answer, with every earlier version kept.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Form, Json};
use kintsugi_core::reflection::{self, Prompt, PROMPTS};
use kintsugi_core::Invalid;
use kintsugi_store::{Draft, SharedText};
use maud::{html, Markup};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;

use crate::api::ApiJson;
use crate::couple::{resting_notice, Space};
use crate::layout::{field_error, paragraphs, Shell};
use crate::routing::Routes;
use crate::security::session::Viewer;
use crate::state::{now, AppState};
use crate::Error;

/// Sent by `kintsugi.js` when it saves a draft in the background.
const AUTOSAVE_HEADER: &str = "x-kintsugi-autosave";

pub fn routes() -> Routes {
    Routes::new()
        .get("/reflection", reflection_page)
        .post("/reflection/{prompt}", save_form)
        .post("/reflection/{prompt}/share", share_form)
}

pub fn api_routes() -> Routes {
    Routes::new()
        .get("/reflection", reflection_api)
        .put("/reflection/{prompt}", save_api)
        .post("/reflection/{prompt}/share", share_api)
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct AnswerText {
    #[serde(default)]
    pub text: String,
}

fn known_prompt(id: &str) -> Result<&'static Prompt, Error> {
    reflection::prompt(id).ok_or(Error::NotFound)
}

/// Reflection answers are stored as shared texts under this prefix.
const SUBJECT: &str = "reflection:";

fn subject(prompt: &Prompt) -> String {
    format!("{SUBJECT}{}", prompt.id)
}

fn is_about(subject: &str, prompt: &Prompt) -> bool {
    subject.strip_prefix(SUBJECT) == Some(prompt.id)
}

/// What the viewer may see of the reflection: their own drafts and shares,
/// and the partner's shares while the space is open — never their drafts.
struct Seen {
    drafts: Vec<Draft>,
    mine: Vec<SharedText>,
    partner: Vec<SharedText>,
}

async fn seen(state: &AppState, space: &Space) -> Result<Seen, Error> {
    let couple = space.require_couple()?.couple;
    let drafts = state.store.drafts(space.me, SUBJECT).await?;
    let (mine, partner): (Vec<_>, Vec<_>) = state
        .store
        .shared_texts(couple, SUBJECT)
        .await?
        .into_iter()
        .partition(|a| a.author == space.me);
    Ok(Seen {
        drafts,
        mine,
        partner: if space.open { partner } else { Vec::new() },
    })
}

async fn reflection_page(
    State(state): State<AppState>,
    shell: Shell,
    viewer: Viewer,
) -> Result<Response, Error> {
    let space = Space::load(&state, viewer.user.id).await?;
    if let Err(redirect) = space.require_safety_check("/reflection") {
        return Ok(redirect.into_response());
    }
    page(&state, &shell, &space, None)
        .await
        .map(IntoResponse::into_response)
}

/// A problem with one answer, shown beside it with the words kept.
struct Typed<'a> {
    prompt: &'a str,
    text: &'a str,
    error: Invalid,
}

async fn page(
    state: &AppState,
    shell: &Shell,
    space: &Space,
    typed: Option<Typed<'_>>,
) -> Result<Markup, Error> {
    let Some(membership) = &space.membership else {
        return Ok(shell.render("Understand what broke", html! {
            h1 { "Understand what broke" }
            p { "The reflection belongs to a couple's space. " a href="/couple" { "Create yours, or join your partner's" } " first." }
        }));
    };
    let partner_name = membership
        .partner
        .as_ref()
        .map(|p| p.username.as_str())
        .unwrap_or("your partner");
    let seen = seen(state, space).await?;
    Ok(shell.render("Understand what broke", html! {
        h1 { "Understand what broke" }
        p.lead { "Answer these alone, in your own time. What you write is a private draft, saved as you go; your partner sees an answer only when you choose to share it. Sharing again adds a new version, and both of you can see every version." }
        @if !space.open && space.has_partner() { (resting_notice()) }
        @for prompt in &PROMPTS {
            @let draft = seen.drafts.iter().find(|d| is_about(&d.subject, prompt)).map(|d| d.text.as_str()).unwrap_or("");
            @let problem = typed.as_ref().filter(|t| t.prompt == prompt.id);
            @let text = problem.map(|t| t.text).unwrap_or(draft);
            @let errors: Vec<Invalid> = problem.map(|t| vec![t.error.clone()]).unwrap_or_default();
            @let mine: Vec<&SharedText> = seen.mine.iter().filter(|a| is_about(&a.subject, prompt)).collect();
            @let theirs: Vec<&SharedText> = seen.partner.iter().filter(|a| is_about(&a.subject, prompt)).collect();
            section.card.reflection id={ "prompt-" (prompt.id) } {
                h2 { (prompt.question) }
                p.help { (prompt.hint) }
                form method="post" action={ "/reflection/" (prompt.id) } data-autosave {
                    (shell.csrf_field())
                    label.visually-hidden for={ "text-" (prompt.id) } { "Your answer" }
                    textarea id={ "text-" (prompt.id) } name="text" rows="5" maxlength=(reflection::ANSWER_MAX_CHARS) { (text) }
                    (field_error(&errors, "text"))
                    p.actions {
                        button type="submit" { "Save my draft" }
                        " "
                        @if space.open {
                            button.secondary type="submit" formaction={ "/reflection/" (prompt.id) "/share" } { "Share with " (partner_name) }
                        }
                        " " span.autosave-status data-autosave-status aria-live="polite" {}
                    }
                }
                @if !mine.is_empty() || !theirs.is_empty() {
                    div.side-by-side {
                        (answers("What you shared", &mine))
                        (answers(&format!("What {partner_name} shared"), &theirs))
                    }
                }
            }
        }
    }))
}

/// The latest shared version, with the earlier ones folded beneath it.
fn answers(heading: &str, versions: &[&SharedText]) -> Markup {
    html! {
        div.answers {
            h3 { (heading) }
            @match versions.last() {
                None => p.muted { "Nothing shared yet." },
                Some(latest) => {
                    (paragraphs(&latest.text))
                    p.meta { "Version " (latest.version) ", shared " (when(latest.shared_at)) }
                    @if versions.len() > 1 {
                        details {
                            summary { "Earlier versions" }
                            @for a in versions.iter().rev().skip(1) {
                                div.version {
                                    p.meta { "Version " (a.version) ", shared " (when(a.shared_at)) }
                                    (paragraphs(&a.text))
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn when(unix: i64) -> String {
    let f = time::macros::format_description!("[year]-[month]-[day]");
    OffsetDateTime::from_unix_timestamp(unix)
        .ok()
        .and_then(|t| t.format(f).ok())
        .unwrap_or_default()
}

async fn save_form(
    State(state): State<AppState>,
    shell: Shell,
    viewer: Viewer,
    headers: HeaderMap,
    Path(prompt): Path<String>,
    Form(answer): Form<AnswerText>,
) -> Result<Response, Error> {
    let prompt = known_prompt(&prompt)?;
    let space = Space::load(&state, viewer.user.id).await?;
    space.require_safety_check_api()?;
    let couple = space.require_couple()?.couple;
    let background = headers.contains_key(AUTOSAVE_HEADER);
    match reflection::parse_draft(&answer.text) {
        Ok(text) => {
            state
                .store
                .save_draft(couple, space.me, &subject(prompt), &text, now())
                .await?;
            if background {
                return Ok((StatusCode::OK, "Draft saved").into_response());
            }
            Ok(Redirect::to(&format!("/reflection#prompt-{}", prompt.id)).into_response())
        }
        Err(error) if background => {
            Ok((StatusCode::UNPROCESSABLE_ENTITY, error.message).into_response())
        }
        Err(error) => {
            let typed = Typed {
                prompt: prompt.id,
                text: &answer.text,
                error,
            };
            let page = page(&state, &shell, &space, Some(typed)).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

async fn share_form(
    State(state): State<AppState>,
    shell: Shell,
    viewer: Viewer,
    Path(prompt): Path<String>,
    Form(answer): Form<AnswerText>,
) -> Result<Response, Error> {
    let prompt = known_prompt(&prompt)?;
    let space = Space::load(&state, viewer.user.id).await?;
    match share(&state, &space, prompt, &answer.text).await {
        Ok(_) => Ok(Redirect::to(&format!("/reflection#prompt-{}", prompt.id)).into_response()),
        Err(Error::Invalid(mut errors)) => {
            let typed = Typed {
                prompt: prompt.id,
                text: &answer.text,
                error: errors.remove(0),
            };
            let page = page(&state, &shell, &space, Some(typed)).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e),
    }
}

async fn share(
    state: &AppState,
    space: &Space,
    prompt: &Prompt,
    raw: &str,
) -> Result<SharedText, Error> {
    space.require_safety_check_api()?;
    let couple = space.require_couple()?.couple;
    let text = reflection::parse_share(raw).map_err(|e| Error::Invalid(vec![e]))?;
    if !space.open {
        state
            .store
            .save_draft(couple, space.me, &subject(prompt), &text, now())
            .await?;
        return Err(Error::Invalid(vec![Invalid::new(
            "text",
            "Sharing is resting for now; your answer is kept as a private draft.",
        )]));
    }
    Ok(state
        .store
        .share_text(couple, space.me, &subject(prompt), &text, now())
        .await?)
}

/// One shared version of an answer, as the API returns it.
#[derive(Debug, Serialize, ToSchema)]
pub struct SharedTextView {
    pub version: i64,
    pub text: String,
    /// Unix seconds.
    pub shared_at: i64,
}

impl From<&SharedText> for SharedTextView {
    fn from(a: &SharedText) -> Self {
        Self {
            version: a.version,
            text: a.text.clone(),
            shared_at: a.shared_at,
        }
    }
}

/// One question with the caller's draft and what each partner shared.
#[derive(Debug, Serialize, ToSchema)]
pub struct PromptView {
    pub id: &'static str,
    pub question: &'static str,
    pub hint: &'static str,
    /// The caller's private draft; empty when none.
    pub draft: String,
    /// Every version the caller shared, oldest first.
    pub mine: Vec<SharedTextView>,
    /// Every version the partner shared, oldest first (none while the space rests).
    pub partner: Vec<SharedTextView>,
}

fn versions(all: &[SharedText], prompt: &Prompt) -> Vec<SharedTextView> {
    all.iter()
        .filter(|a| is_about(&a.subject, prompt))
        .map(SharedTextView::from)
        .collect()
}

/// The reflection: every question, the caller's drafts, and both partners' shared answers.
#[utoipa::path(get, path = "/api/v1/reflection", tag = "reflection", security(("bearer" = [])),
    responses((status = 200, body = Vec<PromptView>), (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)))]
pub async fn reflection_api(
    State(state): State<AppState>,
    viewer: Viewer,
) -> Result<Json<Vec<PromptView>>, Error> {
    let space = Space::load(&state, viewer.user.id).await?;
    space.require_safety_check_api()?;
    let seen = seen(&state, &space).await?;
    Ok(Json(
        PROMPTS
            .iter()
            .map(|p| PromptView {
                id: p.id,
                question: p.question,
                hint: p.hint,
                draft: seen
                    .drafts
                    .iter()
                    .find(|d| is_about(&d.subject, p))
                    .map(|d| d.text.clone())
                    .unwrap_or_default(),
                mine: versions(&seen.mine, p),
                partner: versions(&seen.partner, p),
            })
            .collect(),
    ))
}

/// Save the caller's private draft of one answer.
#[utoipa::path(put, path = "/api/v1/reflection/{prompt}", tag = "reflection", params(("prompt" = String, Path)), request_body = AnswerText, security(("bearer" = [])),
    responses((status = 204), (status = 401, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn save_api(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(prompt): Path<String>,
    ApiJson(answer): ApiJson<AnswerText>,
) -> Result<StatusCode, Error> {
    let prompt = known_prompt(&prompt)?;
    let space = Space::load(&state, viewer.user.id).await?;
    space.require_safety_check_api()?;
    let couple = space.require_couple()?.couple;
    let text = reflection::parse_draft(&answer.text).map_err(|e| Error::Invalid(vec![e]))?;
    state
        .store
        .save_draft(couple, space.me, &subject(prompt), &text, now())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Share an answer with the partner, as its next version.
#[utoipa::path(post, path = "/api/v1/reflection/{prompt}/share", tag = "reflection", params(("prompt" = String, Path)), request_body = AnswerText, security(("bearer" = [])),
    responses((status = 201, body = SharedTextView), (status = 401, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn share_api(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(prompt): Path<String>,
    ApiJson(answer): ApiJson<AnswerText>,
) -> Result<(StatusCode, Json<SharedTextView>), Error> {
    let prompt = known_prompt(&prompt)?;
    let space = Space::load(&state, viewer.user.id).await?;
    let shared = share(&state, &space, prompt, &answer.text).await?;
    Ok((StatusCode::CREATED, Json(SharedTextView::from(&shared))))
}
