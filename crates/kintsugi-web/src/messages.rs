//! Stage 10, gentle communication: messages between the partners, each
//! draft read by the coach before it is sent. The coach advises; the author
//! may always send anyway. How drafts changed after coaching is counted for
//! the author alone.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Form, Json};
use kintsugi_coach::Analysis;
use kintsugi_core::{text, Invalid};
use kintsugi_store::{Message, Tally};
use maud::{html, Markup};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::ApiJson;
use crate::coach::{self, coached, concerns};
use crate::couple::{resting_notice, Space};
use crate::layout::{field_error, form_errors, paragraphs, Shell};
use crate::routing::Routes;
use crate::security::session::Viewer;
use crate::state::{now, AppState};
use crate::Error;

pub const MESSAGE_MAX_CHARS: usize = 4000;
const SHOWN: i64 = 200;

pub fn routes() -> Routes {
    Routes::new()
        .get("/messages", messages_page)
        .post("/messages", send_form)
}

pub fn api_routes() -> Routes {
    Routes::new()
        .get("/messages", list_api)
        .post("/messages", send_api)
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct Draft {
    #[serde(default)]
    pub text: String,
    /// Send even though the coach has a concern.
    #[serde(default)]
    #[schema(value_type = Option<bool>)]
    pub send_anyway: serde_json::Value,
    /// Pages only: how many concerns the coach found in the first draft it
    /// saw, carried by the form so the author's tally can count the change.
    #[serde(default)]
    #[schema(ignore)]
    pub first_concerns: String,
}

impl Draft {
    fn anyway(&self) -> bool {
        matches!(&self.send_anyway, serde_json::Value::Bool(true))
            || self
                .send_anyway
                .as_str()
                .is_some_and(|s| s == "yes" || s == "true")
    }
}

enum Outcome {
    Sent(Message, Analysis),
    HeldBack { analysis: Analysis, first: i64 },
}

async fn send(state: &AppState, space: &Space, draft: &Draft) -> Result<Outcome, Error> {
    space.require_safety_check_api()?;
    let couple = space.require_couple()?.couple;
    if !space.has_partner() {
        return Err(Error::Forbidden(
            "Messages need both of you: invite your partner first.",
        ));
    }
    if !space.open {
        return Err(Error::Forbidden(
            "Your shared space is resting for now, so messages wait too.",
        ));
    }
    let words = text::required("text", &draft.text, MESSAGE_MAX_CHARS)
        .map_err(|e| Error::Invalid(vec![e]))?;
    let analysis = coached(state, couple, &words, "message").await?;
    let now_concerns = concerns(&analysis);
    // The tally counts from the first draft the coach saw, at most 99 so a
    // crafted form cannot skew it much; it is the author's own tally anyway.
    let first = draft
        .first_concerns
        .trim()
        .parse::<i64>()
        .map(|n| n.clamp(0, 99))
        .unwrap_or(now_concerns);
    // A draft that goes back to something laid to rest is held once too,
    // so its gentle note is seen before it goes, with or without JavaScript.
    if (now_concerns > 0 || coach::reopens(&analysis)) && !draft.anyway() {
        return Ok(Outcome::HeldBack {
            analysis,
            first: first.max(now_concerns),
        });
    }
    let message = state
        .store
        .send_message(couple, space.me, &words, first, now_concerns, now())
        .await?;
    Ok(Outcome::Sent(message, analysis))
}

async fn messages_page(
    State(state): State<AppState>,
    shell: Shell,
    viewer: Viewer,
) -> Result<Response, Error> {
    let space = Space::load(&state, viewer.user.id).await?;
    if let Err(redirect) = space.require_safety_check("/messages") {
        return Ok(redirect.into_response());
    }
    page(&state, &shell, &space, &Draft::default(), None, &[])
        .await
        .map(IntoResponse::into_response)
}

async fn send_form(
    State(state): State<AppState>,
    shell: Shell,
    viewer: Viewer,
    Form(draft): Form<Draft>,
) -> Result<Response, Error> {
    let space = Space::load(&state, viewer.user.id).await?;
    match send(&state, &space, &draft).await {
        Ok(Outcome::Sent(m, _)) => {
            Ok(Redirect::to(&format!("/messages#message-{}", m.id)).into_response())
        }
        Ok(Outcome::HeldBack { analysis, first }) => {
            let held = Draft {
                first_concerns: first.to_string(),
                ..draft
            };
            Ok(page(&state, &shell, &space, &held, Some(&analysis), &[])
                .await?
                .into_response())
        }
        Err(Error::Invalid(errors)) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            page(&state, &shell, &space, &draft, None, &errors).await?,
        )
            .into_response()),
        Err(e) => Err(e),
    }
}

async fn page(
    state: &AppState,
    shell: &Shell,
    space: &Space,
    draft: &Draft,
    held: Option<&Analysis>,
    errors: &[Invalid],
) -> Result<Markup, Error> {
    let Some(membership) = &space.membership else {
        return Ok(shell.render("Gentle words", html! {
            h1 { "Gentle words" }
            p { "Messages belong to a couple's space. " a href="/couple" { "Create yours, or join your partner's" } " first." }
        }));
    };
    let partner = membership.partner.as_ref();
    let partner_name = partner
        .map(|p| p.username.as_str())
        .unwrap_or("your partner");
    let list = if space.open {
        state.store.messages(membership.couple, SHOWN).await?
    } else {
        Vec::new()
    };
    let tally = state.store.coaching_tally(space.me).await?;
    Ok(shell.render("Gentle words", html! {
        h1 { "Gentle words" }
        p.lead { "Write to " (partner_name) " here. The coach reads each draft before it goes and says what might land hard, and how else it could be said. It never stops you: the words are yours." }
        @if !space.open && space.has_partner() { (resting_notice()) }
        ol.messages {
            @for m in &list {
                li class={ "message" @if m.author == space.me { " mine" } } id={ "message-" (m.id) } {
                    p.meta { strong { @if m.author == space.me { "You" } @else { (partner_name) } } }
                    (paragraphs(&m.text))
                }
            }
        }
        @if space.open {
            (form_errors(errors))
            form.card method="post" action="/messages" data-coach="/coach" {
                (shell.csrf_field())
                input type="hidden" name="context" value="message";
                input type="hidden" name="first_concerns" value=(draft.first_concerns) data-first-concerns;
                label for="text" { "Your message" }
                textarea id="text" name="text" rows="4" maxlength=(MESSAGE_MAX_CHARS) required { (draft.text) }
                (field_error(errors, "text"))
                p.actions {
                    button type="submit" { "Send" }
                    @if held.is_some() {
                        " "
                        button.secondary type="submit" name="send_anyway" value="yes" { "Send as it is" }
                    }
                }
                @if let Some(a) = held {
                    @if a.concern {
                        p.notice role="alert" { "The coach has a concern about these words, shown below. Change them if you like, or send them as they are." }
                    } @else {
                        p.notice role="alert" { "These words go back to something you both laid to rest; the coach's note is below. Change them if you like, or send them as they are." }
                    }
                }
            }
            section.coach-result id="coach-result" aria-live="polite" {
                @if let Some(a) = held { (coach::result(&draft.text, a)) }
            }
        }
        (tally_card(&tally))
        script src="/assets/coach.js" defer {}
    }))
}

/// The author's own tally; the partner never sees it.
fn tally_card(t: &Tally) -> Markup {
    html! {
        @if t.sent > 0 {
            section.card.tally {
                h2 { "Just for you" }
                p { "You have sent " (t.sent) " " (if t.sent == 1 { "message" } else { "messages" }) ". "
                    @if t.coached > 0 {
                        "The coach had a concern about the first draft of " (t.coached) "; you softened " (t.softened) " of them before sending."
                    } @else {
                        "The coach has not had a concern about any of them."
                    }
                }
                p.meta { "Only you see this." }
            }
        }
    }
}

// ---- API ----

#[derive(Debug, Serialize, ToSchema)]
pub struct MessageView {
    pub id: i64,
    /// `me` or `partner`.
    pub author: &'static str,
    pub text: String,
    pub sent_at: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TallyView {
    pub sent: i64,
    pub coached: i64,
    pub softened: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Thread {
    pub messages: Vec<MessageView>,
    /// The caller's own coaching tally; never the partner's.
    pub tally: TallyView,
}

fn view(m: &Message, space: &Space) -> MessageView {
    MessageView {
        id: m.id,
        author: if m.author == space.me {
            "me"
        } else {
            "partner"
        },
        text: m.text.clone(),
        sent_at: m.created_at,
    }
}

/// The couple's latest messages, and the caller's own tally.
#[utoipa::path(get, path = "/api/v1/messages", tag = "messages", security(("bearer" = [])),
    responses((status = 200, body = Thread), (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)))]
pub async fn list_api(
    State(state): State<AppState>,
    viewer: Viewer,
) -> Result<Json<Thread>, Error> {
    let space = Space::load(&state, viewer.user.id).await?;
    space.require_safety_check_api()?;
    let couple = space.require_couple()?.couple;
    let list = if space.open {
        state.store.messages(couple, SHOWN).await?
    } else {
        Vec::new()
    };
    let t = state.store.coaching_tally(space.me).await?;
    Ok(Json(Thread {
        messages: list.iter().map(|m| view(m, &space)).collect(),
        tally: TallyView {
            sent: t.sent,
            coached: t.coached,
            softened: t.softened,
        },
    }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SendOutcome {
    /// False when the coach had a concern, or the words go back to an
    /// incident laid to rest, and `send_anyway` was not set.
    pub sent: bool,
    pub message: Option<MessageView>,
    #[schema(value_type = Object)]
    pub analysis: Analysis,
}

/// Send a message. The coach reads it first: with a concern, nothing is
/// sent unless `send_anyway` is true.
#[utoipa::path(post, path = "/api/v1/messages", tag = "messages", request_body = Draft, security(("bearer" = [])),
    responses((status = 201, body = SendOutcome), (status = 200, body = SendOutcome), (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn send_api(
    State(state): State<AppState>,
    viewer: Viewer,
    ApiJson(draft): ApiJson<Draft>,
) -> Result<(StatusCode, Json<SendOutcome>), Error> {
    let space = Space::load(&state, viewer.user.id).await?;
    Ok(match send(&state, &space, &draft).await? {
        Outcome::Sent(m, analysis) => (
            StatusCode::CREATED,
            Json(SendOutcome {
                sent: true,
                message: Some(view(&m, &space)),
                analysis,
            }),
        ),
        Outcome::HeldBack { analysis, .. } => (
            StatusCode::OK,
            Json(SendOutcome {
                sent: false,
                message: None,
                analysis,
            }),
        ),
    })
}
