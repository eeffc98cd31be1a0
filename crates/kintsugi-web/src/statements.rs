//! Stages 4 and 5: composers for a statement of responsibility and for an
//! apology, with the coach reading along; versions sent when the author
//! chooses; the partner's answers kept beside each version.
//!
//! Drafts and sent versions are the store's shared texts under the
//! `statement:` subjects, so they follow the same rule as the reflection:
//! the draft is private, every sent version stays, nothing is rewritten.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Form, Json};
use kintsugi_coach::Analysis;
use kintsugi_core::statement::{self, StatementKind, Verdict};
use kintsugi_core::{CoupleId, Invalid};
use kintsugi_store::{Membership, Response as Answer, SharedText};
use maud::{html, Markup};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::ApiJson;
use crate::coach::{self, coached};
use crate::couple::{resting_notice, Space};
use crate::layout::{field_error, form_errors, paragraphs, Shell};
use crate::routing::Routes;
use crate::security::session::Viewer;
use crate::state::{now, AppState};
use crate::Error;

const SUBJECT: &str = "statement:";

pub fn routes() -> Routes {
    Routes::new()
        .get("/statements/{kind}", statement_page)
        .post("/statements/{kind}", save_form)
        .post("/statements/{kind}/send", send_form)
        .post("/statements/answers/{id}", answer_form)
}

pub fn api_routes() -> Routes {
    Routes::new()
        .get("/statements", list_api)
        .put("/statements/{kind}", save_api)
        .post("/statements/{kind}/send", send_api)
        .post("/statements/answers/{id}", answer_api)
}

fn kind_of(raw: &str) -> Result<StatementKind, Error> {
    StatementKind::parse(raw).ok_or(Error::NotFound)
}

/// Everything about one kind of statement the viewer may see.
struct Seen {
    draft: String,
    mine: Vec<SharedText>,
    partner: Vec<SharedText>,
    answers: Vec<Answer>,
}

async fn seen(state: &AppState, space: &Space, kind: StatementKind) -> Result<Seen, Error> {
    let couple = space.require_couple()?.couple;
    let draft = state
        .store
        .drafts(space.me, kind.subject())
        .await?
        .into_iter()
        .find(|d| d.subject == kind.subject())
        .map(|d| d.text)
        .unwrap_or_default();
    let (mine, partner): (Vec<_>, Vec<_>) = state
        .store
        .shared_texts(couple, kind.subject())
        .await?
        .into_iter()
        .filter(|t| t.subject == kind.subject())
        .partition(|t| t.author == space.me);
    let answers = state.store.responses(couple, SUBJECT).await?;
    let (partner, answers) = if space.open {
        (partner, answers)
    } else {
        // While the space rests, the partner's words rest too.
        (
            Vec::new(),
            answers
                .into_iter()
                .filter(|a| a.author == space.me)
                .collect(),
        )
    };
    Ok(Seen {
        draft,
        mine,
        partner,
        answers,
    })
}

fn writer(space: &Space) -> Result<&Membership, Error> {
    let m = space.require_couple()?;
    if statement::may_write(m.role) {
        Ok(m)
    } else {
        Err(Error::Forbidden(
            "Statements are written by the partner who is repairing; yours is to answer them.",
        ))
    }
}

/// What the person typed when something stopped the send, and why.
#[derive(Default)]
struct Kept<'a> {
    text: Option<&'a str>,
    analysis: Option<Analysis>,
    errors: Vec<Invalid>,
    answer: Option<KeptAnswer<'a>>,
}

/// An answer that needs another look, shown again under its version.
struct KeptAnswer<'a> {
    id: i64,
    verdict: &'a str,
    text: &'a str,
    errors: Vec<Invalid>,
}

async fn statement_page(
    State(state): State<AppState>,
    shell: Shell,
    viewer: Viewer,
    Path(kind): Path<String>,
) -> Result<Response, Error> {
    let kind = kind_of(&kind)?;
    let space = Space::load(&state, viewer.user.id).await?;
    if let Err(redirect) = space.require_safety_check(&format!("/statements/{}", kind.as_str())) {
        return Ok(redirect.into_response());
    }
    page(&state, &shell, &space, kind, Kept::default())
        .await
        .map(IntoResponse::into_response)
}

async fn page(
    state: &AppState,
    shell: &Shell,
    space: &Space,
    kind: StatementKind,
    kept: Kept<'_>,
) -> Result<Markup, Error> {
    let Some(membership) = &space.membership else {
        return Ok(shell.render(kind.title(), html! {
            h1 { (kind.title()) }
            p { "This belongs to a couple's space. " a href="/couple" { "Create yours, or join your partner's" } " first." }
        }));
    };
    let partner_name = membership
        .partner
        .as_ref()
        .map(|p| p.username.clone())
        .unwrap_or_else(|| "your partner".into());
    let seen = seen(state, space, kind).await?;
    let writes = statement::may_write(membership.role);
    let text = kept.text.unwrap_or(&seen.draft);
    let action = format!("/statements/{}", kind.as_str());
    Ok(shell.render(kind.title(), html! {
        h1 { (kind.title()) }
        p.lead { (kind.guide()) }
        @if !space.open && space.has_partner() { (resting_notice()) }
        @if writes {
            (form_errors(&kept.errors))
            form.card method="post" action=(action) data-autosave data-coach="/coach" {
                (shell.csrf_field())
                input type="hidden" name="context" value=(kind.as_str());
                label for="text" { "Your words" }
                textarea id="text" name="text" rows="9" maxlength=(statement::TEXT_MAX_CHARS) { (text) }
                (field_error(&kept.errors, "text"))
                p.actions {
                    button type="submit" { "Save my draft" }
                    " "
                    @if space.open {
                        button.secondary type="submit" formaction={ (action) "/send" } { "Send to " (partner_name) }
                    }
                    " " span.autosave-status data-autosave-status aria-live="polite" {}
                }
                @if kept.analysis.as_ref().is_some_and(|a| a.concern) {
                    div.notice role="alert" {
                        p { "The coach has a concern about these words, shown below. You can change them, or send them as they are." }
                        button.secondary type="submit" formaction={ (action) "/send" } name="send_anyway" value="yes" { "Send as it is" }
                    }
                }
            }
            section.coach-result id="coach-result" aria-live="polite" {
                @if let Some(a) = &kept.analysis { (coach::result(text, a)) }
            }
            (versions("What you sent", &seen.mine, &seen.answers, None, shell, None))
        }
        (versions(&format!("What {partner_name} sent"), &seen.partner, &seen.answers, Some(space.open), shell, kept.answer.as_ref()))
        script src="/assets/coach.js" defer {}
    }))
}

/// Sent versions, newest first, each with its answers; `answerable` shows
/// the answer form (for the partner's statements, while the space is open).
fn versions(
    heading: &str,
    sent: &[SharedText],
    answers: &[Answer],
    answerable: Option<bool>,
    shell: &Shell,
    kept: Option<&KeptAnswer>,
) -> Markup {
    html! {
        @if !sent.is_empty() {
            section {
                h2 { (heading) }
                @for t in sent.iter().rev() {
                    article.card.statement id={ "version-" (t.id) } {
                        p.meta { "Version " (t.version) }
                        (paragraphs(&t.text))
                        @for a in answers.iter().filter(|a| a.shared_text_id == t.id) {
                            div.answer {
                                p.meta { strong { (Verdict::parse(&a.verdict).map(Verdict::label).unwrap_or("An answer")) } }
                                @if let Some(words) = &a.text { (paragraphs(words)) }
                            }
                        }
                        @if answerable == Some(true) {
                            @let k = kept.filter(|k| k.id == t.id);
                            form method="post" action={ "/statements/answers/" (t.id) } {
                                (shell.csrf_field())
                                @if let Some(k) = k { (form_errors(&k.errors)) }
                                fieldset {
                                    legend { "How does this land with you?" }
                                    @for v in Verdict::ALL {
                                        label.choice { input type="radio" name="verdict" value=(v.as_str()) required checked[k.is_some_and(|k| k.verdict == v.as_str())]; " " (v.label()) }
                                    }
                                }
                                label for={ "answer-" (t.id) } { "In your words (needed when you say what you still need to hear)" }
                                textarea id={ "answer-" (t.id) } name="text" rows="3" maxlength=(statement::RESPONSE_MAX_CHARS) { (k.map(|k| k.text).unwrap_or_default()) }
                                button type="submit" { "Answer" }
                            }
                        }
                    }
                }
            }
        }
    }
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct StatementText {
    #[serde(default)]
    pub text: String,
    /// Send even though the coach has a concern.
    #[serde(default)]
    #[schema(value_type = Option<bool>)]
    pub send_anyway: serde_json::Value,
}

impl StatementText {
    fn anyway(&self) -> bool {
        matches!(&self.send_anyway, serde_json::Value::Bool(true))
            || self
                .send_anyway
                .as_str()
                .is_some_and(|s| s == "yes" || s == "true")
    }
}

async fn save_draft(
    state: &AppState,
    space: &Space,
    kind: StatementKind,
    raw: &str,
) -> Result<(), Error> {
    space.require_safety_check_api()?;
    let couple = writer(space)?.couple;
    let text = kintsugi_core::text::optional("text", raw, statement::TEXT_MAX_CHARS)
        .map_err(|e| Error::Invalid(vec![e]))?
        .unwrap_or_default();
    state
        .store
        .save_draft(couple, space.me, kind.subject(), &text, now())
        .await?;
    Ok(())
}

async fn save_form(
    State(state): State<AppState>,
    shell: Shell,
    viewer: Viewer,
    headers: axum::http::HeaderMap,
    Path(kind): Path<String>,
    Form(body): Form<StatementText>,
) -> Result<Response, Error> {
    let kind = kind_of(&kind)?;
    let space = Space::load(&state, viewer.user.id).await?;
    let background = headers.contains_key("x-kintsugi-autosave");
    match save_draft(&state, &space, kind, &body.text).await {
        Ok(()) if background => Ok((StatusCode::OK, "Draft saved").into_response()),
        Ok(()) => Ok(Redirect::to(&format!("/statements/{}", kind.as_str())).into_response()),
        Err(Error::Invalid(errors)) if background => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            errors
                .first()
                .map(|e| e.message.clone())
                .unwrap_or_default(),
        )
            .into_response()),
        Err(Error::Invalid(errors)) => {
            let kept = Kept {
                text: Some(&body.text),
                errors,
                ..Default::default()
            };
            let page = page(&state, &shell, &space, kind, kept).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e),
    }
}

/// The outcome of sending: sent, or held back for the author to look again.
enum Sent {
    Yes(SharedText, Analysis),
    HeldBack(Analysis),
}

async fn send(
    state: &AppState,
    space: &Space,
    kind: StatementKind,
    body: &StatementText,
) -> Result<Sent, Error> {
    space.require_safety_check_api()?;
    let couple = writer(space)?.couple;
    let text = statement::parse_text(&body.text).map_err(|e| Error::Invalid(vec![e]))?;
    if !space.open {
        state
            .store
            .save_draft(couple, space.me, kind.subject(), &text, now())
            .await?;
        return Err(Error::Invalid(vec![Invalid::new(
            "text",
            "Sharing is resting for now; your words are kept as a private draft.",
        )]));
    }
    let analysis = coached(state, couple, &text, kind.as_str()).await?;
    if analysis.concern && !body.anyway() {
        state
            .store
            .save_draft(couple, space.me, kind.subject(), &text, now())
            .await?;
        return Ok(Sent::HeldBack(analysis));
    }
    let shared = state
        .store
        .share_text(couple, space.me, kind.subject(), &text, now())
        .await?;
    Ok(Sent::Yes(shared, analysis))
}

async fn send_form(
    State(state): State<AppState>,
    shell: Shell,
    viewer: Viewer,
    Path(kind): Path<String>,
    Form(body): Form<StatementText>,
) -> Result<Response, Error> {
    let kind = kind_of(&kind)?;
    let space = Space::load(&state, viewer.user.id).await?;
    let kept = match send(&state, &space, kind, &body).await {
        Ok(Sent::Yes(shared, _)) => {
            return Ok(Redirect::to(&format!(
                "/statements/{}#version-{}",
                kind.as_str(),
                shared.id
            ))
            .into_response())
        }
        Ok(Sent::HeldBack(analysis)) => Kept {
            text: Some(&body.text),
            analysis: Some(analysis),
            errors: Vec::new(),
            answer: None,
        },
        Err(Error::Invalid(errors)) => Kept {
            text: Some(&body.text),
            analysis: None,
            errors,
            answer: None,
        },
        Err(e) => return Err(e),
    };
    let status = if kept.errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok((status, page(&state, &shell, &space, kind, kept).await?).into_response())
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct AnswerFields {
    /// `helped`, `not_yet` or `need_to_hear`.
    #[serde(default)]
    pub verdict: String,
    /// Required with `need_to_hear`.
    #[serde(default)]
    pub text: String,
}

/// Answers a version the partner sent; returns the answer and the kind of
/// statement it belongs to.
async fn answer(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    body: &AnswerFields,
) -> Result<(Answer, StatementKind), Error> {
    let space = Space::load(state, viewer.user.id).await?;
    let (couple, kind) = answerable(state, &space, id).await?;
    let (verdict, words) =
        statement::parse_response(&body.verdict, &body.text).map_err(Error::Invalid)?;
    let answer = state
        .store
        .respond(
            couple,
            space.me,
            id,
            verdict.as_str(),
            words.as_deref(),
            now(),
        )
        .await?
        .ok_or(Error::NotFound)?;
    Ok((answer, kind))
}

/// The statement `id`, if it is the partner's and may be answered now.
async fn answerable(
    state: &AppState,
    space: &Space,
    id: i64,
) -> Result<(CoupleId, StatementKind), Error> {
    space.require_safety_check_api()?;
    let couple = space.require_couple()?.couple;
    // Another couple's statement, one's own, or not a statement at all:
    // there is nothing here for this person to answer.
    let kind = state
        .store
        .shared_text(couple, id)
        .await?
        .filter(|t| t.author != space.me)
        .and_then(|t| {
            StatementKind::ALL
                .into_iter()
                .find(|k| k.subject() == t.subject)
        })
        .ok_or(Error::NotFound)?;
    if !space.open {
        return Err(Error::Forbidden(
            "Your shared space is resting for now, so answers wait too.",
        ));
    }
    Ok((couple, kind))
}

async fn answer_form(
    State(state): State<AppState>,
    shell: Shell,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(body): Form<AnswerFields>,
) -> Result<Response, Error> {
    match answer(&state, &viewer, id, &body).await {
        Ok((_, kind)) => Ok(
            Redirect::to(&format!("/statements/{}#version-{id}", kind.as_str())).into_response(),
        ),
        // What was typed comes back under the version it answers.
        Err(Error::Invalid(errors)) => {
            let space = Space::load(&state, viewer.user.id).await?;
            let (_, kind) = answerable(&state, &space, id).await?;
            let answer = KeptAnswer {
                id,
                verdict: &body.verdict,
                text: &body.text,
                errors,
            };
            let kept = Kept {
                answer: Some(answer),
                ..Default::default()
            };
            let page = page(&state, &shell, &space, kind, kept).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e),
    }
}

// ---- API ----

#[derive(Debug, Serialize, ToSchema)]
pub struct AnswerView {
    pub verdict: &'static str,
    pub text: Option<String>,
    pub created_at: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct VersionView {
    pub id: i64,
    pub version: i64,
    pub text: String,
    pub sent_at: i64,
    pub answers: Vec<AnswerView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StatementsView {
    /// `responsibility` or `apology`.
    pub kind: &'static str,
    /// The caller's private draft.
    pub draft: String,
    pub mine: Vec<VersionView>,
    /// The partner's versions (none while the space rests).
    pub partner: Vec<VersionView>,
}

fn version_views(sent: &[SharedText], answers: &[Answer]) -> Vec<VersionView> {
    sent.iter()
        .map(|t| VersionView {
            id: t.id,
            version: t.version,
            text: t.text.clone(),
            sent_at: t.shared_at,
            answers: answers
                .iter()
                .filter(|a| a.shared_text_id == t.id)
                .map(|a| AnswerView {
                    verdict: Verdict::parse(&a.verdict)
                        .map(Verdict::as_str)
                        .unwrap_or("helped"),
                    text: a.text.clone(),
                    created_at: a.created_at,
                })
                .collect(),
        })
        .collect()
}

/// Both kinds of statement: the caller's draft and versions, the partner's versions, and the answers.
#[utoipa::path(get, path = "/api/v1/statements", tag = "statements", security(("bearer" = [])),
    responses((status = 200, body = Vec<StatementsView>), (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)))]
pub async fn list_api(
    State(state): State<AppState>,
    viewer: Viewer,
) -> Result<Json<Vec<StatementsView>>, Error> {
    let space = Space::load(&state, viewer.user.id).await?;
    space.require_safety_check_api()?;
    let mut all = Vec::new();
    for kind in StatementKind::ALL {
        let seen = seen(&state, &space, kind).await?;
        all.push(StatementsView {
            kind: kind.as_str(),
            draft: seen.draft,
            mine: version_views(&seen.mine, &seen.answers),
            partner: version_views(&seen.partner, &seen.answers),
        });
    }
    Ok(Json(all))
}

/// Save the caller's private draft.
#[utoipa::path(put, path = "/api/v1/statements/{kind}", tag = "statements", params(("kind" = String, Path)), request_body = StatementText, security(("bearer" = [])),
    responses((status = 204), (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn save_api(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(kind): Path<String>,
    ApiJson(body): ApiJson<StatementText>,
) -> Result<StatusCode, Error> {
    let kind = kind_of(&kind)?;
    let space = Space::load(&state, viewer.user.id).await?;
    save_draft(&state, &space, kind, &body.text).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SendResult {
    /// False when the coach had a concern and `send_anyway` was not set:
    /// the words are kept as the draft, and nothing reached the partner.
    pub sent: bool,
    pub version: Option<VersionView>,
    /// The coach's analysis of the words, as `POST /api/v1/coach` gives it.
    #[schema(value_type = Object)]
    pub analysis: Analysis,
}

/// Send a new version to the partner. The coach reads it first: with a
/// concern, nothing is sent unless `send_anyway` is true.
#[utoipa::path(post, path = "/api/v1/statements/{kind}/send", tag = "statements", params(("kind" = String, Path)), request_body = StatementText, security(("bearer" = [])),
    responses((status = 201, body = SendResult), (status = 200, body = SendResult), (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn send_api(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(kind): Path<String>,
    ApiJson(body): ApiJson<StatementText>,
) -> Result<(StatusCode, Json<SendResult>), Error> {
    let kind = kind_of(&kind)?;
    let space = Space::load(&state, viewer.user.id).await?;
    Ok(match send(&state, &space, kind, &body).await? {
        Sent::Yes(shared, analysis) => (
            StatusCode::CREATED,
            Json(SendResult {
                sent: true,
                version: version_views(&[shared], &[]).pop(),
                analysis,
            }),
        ),
        Sent::HeldBack(analysis) => (
            StatusCode::OK,
            Json(SendResult {
                sent: false,
                version: None,
                analysis,
            }),
        ),
    })
}

/// Answer a version the partner sent.
#[utoipa::path(post, path = "/api/v1/statements/answers/{id}", tag = "statements", params(("id" = i64, Path)), request_body = AnswerFields, security(("bearer" = [])),
    responses((status = 201, body = AnswerView), (status = 401, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn answer_api(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<AnswerFields>,
) -> Result<(StatusCode, Json<AnswerView>), Error> {
    let (a, _) = answer(&state, &viewer, id, &body).await?;
    Ok((
        StatusCode::CREATED,
        Json(AnswerView {
            verdict: Verdict::parse(&a.verdict)
                .map(Verdict::as_str)
                .unwrap_or("helped"),
            text: a.text,
            created_at: a.created_at,
        }),
    ))
}
