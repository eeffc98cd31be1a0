//! The gentle-communication coach in the app: the "try the coach" page, the
//! live feedback fragment every composer uses as the person types, and
//! `POST /api/v1/coach`, which answers with the same JSON as
//! `kintsugi check --format json`.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Form, Json};
use kintsugi_coach::{analyse, Analysis, Context, Kind, Options, Severity};
use kintsugi_core::letting_go::coach_words;
use kintsugi_core::{CoupleId, Invalid};
use maud::{html, Markup};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::api::ApiJson;
use crate::layout::{field_error, form_errors, Shell};
use crate::routing::Routes;
use crate::security::session::Viewer;
use crate::state::AppState;
use crate::Error;

/// The longest text the coach reads at once: far beyond any message, and
/// still well under a millisecond.
pub const MAX_CHARS: usize = 10_000;

pub fn routes() -> Routes {
    Routes::new().get("/coach", page).post("/coach", check_form)
}

pub fn api_routes() -> Routes {
    Routes::new().post("/coach", check_api)
}

/// What the coach reads, from a form or as JSON.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct Draft {
    #[serde(default)]
    pub text: String,
    /// `message` (the default), `responsibility` or `apology`.
    #[serde(default)]
    pub context: Option<String>,
    /// Names or words of incidents laid to rest (API only), besides those
    /// the caller's couple has laid to rest, which the coach always knows.
    #[serde(default)]
    #[schema(ignore)]
    pub laid_to_rest: Option<Vec<String>>,
}

/// What the coach reads a couple's text against: the context it goes in,
/// and the incidents the couple has laid to rest, so a draft that goes back
/// to one gets a gentle `reopening` note. This is the one place that builds
/// it: every path by which words reach the partner comes through here.
///
/// Only incidents laid to rest are given, and an incident is laid to rest
/// only once shared and both partners said they were ready, so a private
/// incident's words can never come back to the partner in a finding.
pub async fn options_for(
    state: &AppState,
    couple: Option<CoupleId>,
    context: Context,
) -> Result<Options, Error> {
    let mut laid_to_rest = Vec::new();
    if let Some(couple) = couple {
        for i in state.store.laid_to_rest(couple).await? {
            laid_to_rest.extend(coach_words(&i.name, i.description.as_deref()));
        }
    }
    Ok(Options {
        context,
        laid_to_rest,
    })
}

/// The coach's analysis of words going to the partner of `couple`, in a
/// context named by a form or the API; an unknown or missing context reads
/// as a message.
pub async fn coached(
    state: &AppState,
    couple: CoupleId,
    text: &str,
    context: &str,
) -> Result<Analysis, Error> {
    let options = options_for(state, Some(couple), context.parse().unwrap_or_default()).await?;
    Ok(analyse(text, &options))
}

/// The outcome of sending words to the partner.
pub enum Sent<T> {
    Done(T),
    /// The coach has a concern: nothing was sent. The text it read is kept.
    HeldBack(String, Analysis),
}

/// What the coach makes of the words the partner of `couple` would read,
/// when it has a concern and the author has not chosen to send them as
/// they are: the words joined as the partner would see them, and the
/// analysis. `None` means they may go.
pub async fn held_back(
    state: &AppState,
    couple: CoupleId,
    parts: &[Option<&str>],
    anyway: bool,
) -> Result<Option<(String, Analysis)>, Error> {
    if anyway {
        return Ok(None);
    }
    let text = parts
        .iter()
        .flatten()
        .copied()
        .collect::<Vec<_>>()
        .join("\n\n");
    if text.trim().is_empty() {
        return Ok(None);
    }
    let analysis = coached(state, couple, &text, "message").await?;
    Ok(analysis.concern.then_some((text, analysis)))
}

/// A yes from a form (`yes`) or JSON (`true`): "send as it is", "this is a
/// correction".
pub fn yes(v: &serde_json::Value) -> bool {
    matches!(v, serde_json::Value::Bool(true))
        || v.as_str().is_some_and(|s| s == "yes" || s == "true")
}

/// Whether the coach noticed the words going back to something laid to rest.
pub fn reopens(analysis: &Analysis) -> bool {
    analysis.findings.iter().any(|f| f.kind == Kind::Reopening)
}

/// How many findings are concerns.
pub fn concerns(analysis: &Analysis) -> i64 {
    analysis.concerns().count() as i64
}

fn read(draft: &Draft) -> Result<(String, Options), Vec<Invalid>> {
    let mut errors = Vec::new();
    let context = match draft.context.as_deref().map(str::trim) {
        None | Some("") => Context::Message,
        Some(c) => c.parse().unwrap_or_else(|_| {
            errors.push(Invalid::new(
                "context",
                "Choose a message, a statement of responsibility or an apology.",
            ));
            Context::Message
        }),
    };
    let chars = draft.text.chars().count();
    if chars > MAX_CHARS {
        errors.push(Invalid::new(
            "text",
            format!("The coach reads up to {MAX_CHARS} characters at once; this has {chars}."),
        ));
    }
    let laid_to_rest = draft.laid_to_rest.clone().unwrap_or_default();
    if laid_to_rest.len() > 50 || laid_to_rest.iter().any(|s| s.chars().count() > 2000) {
        errors.push(Invalid::new(
            "laid_to_rest",
            "Up to 50 incidents, of up to 2000 characters each.",
        ));
    }
    if errors.is_empty() {
        Ok((
            draft.text.clone(),
            Options {
                context,
                laid_to_rest,
            },
        ))
    } else {
        Err(errors)
    }
}

#[utoipa::path(post, path = "/api/v1/coach", tag = "coach", request_body = Draft, security(("bearer" = [])),
    responses(
        (status = 200, description = "The analysis, exactly as `kintsugi check --format json` prints it: context, language, concern, findings (kind, severity, start, end, rule, reason, suggestion), parts (present, missing)."),
        (status = 401, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody), (status = 429, body = crate::error::ErrorBody)))]
pub async fn check_api(
    State(state): State<AppState>,
    viewer: Viewer,
    ApiJson(draft): ApiJson<Draft>,
) -> Result<Json<Analysis>, Error> {
    state.limiters.coach(&viewer.user.id.0.to_string())?;
    let (text, mut options) = read(&draft).map_err(Error::Invalid)?;
    let couple = state
        .store
        .membership(viewer.user.id)
        .await?
        .map(|m| m.couple);
    let ours = options_for(&state, couple, options.context).await?;
    options.laid_to_rest.extend(ours.laid_to_rest);
    Ok(Json(analyse(&text, &options)))
}

async fn page(shell: Shell, _viewer: Viewer) -> Markup {
    render(&shell, &Draft::default(), None, &[])
}

/// The page's form, and the live fragment: with `X-Kintsugi-Fragment`, only
/// the result is sent back, for `coach.js` to put in place.
async fn check_form(
    State(state): State<AppState>,
    shell: Shell,
    viewer: Viewer,
    headers: HeaderMap,
    Form(draft): Form<Draft>,
) -> Result<Response, Error> {
    state.limiters.coach(&viewer.user.id.0.to_string())?;
    let fragment = headers.contains_key("x-kintsugi-fragment");
    // Incidents laid to rest come from the couple's record, never a form.
    let draft = Draft {
        laid_to_rest: None,
        ..draft
    };
    match read(&draft) {
        Ok((text, options)) => {
            let couple = state
                .store
                .membership(viewer.user.id)
                .await?
                .map(|m| m.couple);
            let options = options_for(&state, couple, options.context).await?;
            let analysis = analyse(&text, &options);
            if fragment {
                return Ok(result(&text, &analysis).into_response());
            }
            let kept = Draft {
                text,
                context: Some(options.context.id().into()),
                laid_to_rest: None,
            };
            Ok(render(&shell, &kept, Some(&analysis), &[]).into_response())
        }
        Err(errors) => {
            if fragment {
                let body = html! { p.notice { @for e in &errors { (e.message) " " } } };
                return Ok((StatusCode::UNPROCESSABLE_ENTITY, body).into_response());
            }
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                render(&shell, &draft, None, &errors),
            )
                .into_response())
        }
    }
}

fn render(shell: &Shell, draft: &Draft, analysis: Option<&Analysis>, errors: &[Invalid]) -> Markup {
    let context = draft.context.as_deref().unwrap_or("message");
    shell.render("Try the coach", html! {
        h1 { "Try the coach" }
        p.lead { "Write something you want to say to your partner, or paste a draft. The coach points at the words most likely to hurt, says why, and offers a gentler way to say the same thing. It also notices what helps. It only advises: nothing is sent from here, and nothing you write on this page is kept." }
        (form_errors(errors))
        form.card method="post" action="/coach" data-coach="/coach" {
            (shell.csrf_field())
            label for="context" { "What are you writing?" }
            select id="context" name="context" {
                @for (id, label) in [("message", "A message to my partner"), ("responsibility", "A statement of what I did"), ("apology", "An apology")] {
                    option value=(id) selected[context == id] { (label) }
                }
            }
            (field_error(errors, "context"))
            label for="text" { "Your words" }
            textarea id="text" name="text" rows="7" maxlength=(MAX_CHARS) aria-describedby="coach-result" { (draft.text) }
            (field_error(errors, "text"))
            p.actions { button type="submit" { "Ask the coach" } }
        }
        section.coach-result id="coach-result" aria-live="polite" {
            @if let Some(a) = analysis { (result(&draft.text, a)) }
        }
        script src="/assets/coach.js" defer {}
    })
}

/// The coach's answer as markup: the text with each finding marked in
/// place, then the findings with reasons and gentler alternatives, then the
/// parts of an apology present and missing.
pub fn result(text: &str, analysis: &Analysis) -> Markup {
    let concerns = concerns(analysis);
    html! {
        div.coach data-concerns=(concerns) {
            @if !analysis.language.is_english() {
                p.notice { "The coach reads English only, and this does not look like English, so it has nothing to say about it." }
            } @else if text.trim().is_empty() {
                p.muted { "The coach will read your words as you write them." }
            } @else {
                h2 { "What the coach noticed" }
                blockquote.marked { (marked(text, analysis)) }
                @if concerns == 0 {
                    p { "Nothing here is likely to hurt." }
                }
                @if !analysis.findings.is_empty() {
                    ol.findings {
                        @for f in &analysis.findings {
                            li class={ "finding " (f.severity.id()) } {
                                strong { (f.kind.label()) }
                                " — \u{201c}" (&text[f.start..f.end]) "\u{201d}. "
                                (f.reason)
                                @if let Some(s) = f.suggestion { p.suggestion { "Perhaps: " (s) } }
                            }
                        }
                    }
                }
                @if !analysis.parts.present.is_empty() || !analysis.parts.missing.is_empty() {
                    div.parts {
                        h3 { "The parts of " (if analysis.context == Context::Apology { "an apology" } else { "owning it" }) }
                        @if !analysis.parts.present.is_empty() {
                            p { "Present: " (analysis.parts.present.iter().map(|k| k.label()).collect::<Vec<_>>().join(", ")) "." }
                        }
                        @if !analysis.parts.missing.is_empty() {
                            p { "Not yet there, most important first: " (analysis.parts.missing.iter().map(|k| k.label()).collect::<Vec<_>>().join(", ")) "." }
                        }
                    }
                }
                @match concerns {
                    0 if reopens(analysis) => p.muted { "The words are yours: change them, or keep them as they are." },
                    0 => {},
                    1 => p.muted { "One concern. The words are yours: change them, or keep them as they are." },
                    n => p.muted { (n) " concerns. The words are yours: change them, or keep them as they are." },
                }
            }
        }
    }
}

/// The text cut at every finding's edges; each piece is marked with the
/// most serious finding that covers it.
fn marked(text: &str, analysis: &Analysis) -> Markup {
    let mut cuts: Vec<usize> = vec![0, text.len()];
    for f in &analysis.findings {
        cuts.push(f.start);
        cuts.push(f.end);
    }
    cuts.sort_unstable();
    cuts.dedup();
    let rank = |s: Severity| match s {
        Severity::Concern => 3,
        Severity::Note => 2,
        Severity::Affirm => 1,
    };
    html! {
        @for w in cuts.windows(2) {
            @let (a, b) = (w[0], w[1]);
            @let cover = analysis.findings.iter().filter(|f| f.start <= a && b <= f.end).max_by_key(|f| rank(f.severity));
            @match cover {
                Some(f) => mark class=(f.severity.id()) title=(f.kind.label()) { (&text[a..b]) },
                None => (&text[a..b]),
            }
        }
    }
}
