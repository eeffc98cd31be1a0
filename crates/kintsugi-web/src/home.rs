//! The front door and the program: thirteen stages, what the couple has
//! done, and one gentle suggestion of what might help next.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use kintsugi_core::program::{self, Progress, STAGES};
use maud::{html, Markup};
use serde::Serialize;
use utoipa::ToSchema;

use crate::couple::{resting_notice, Space};
use crate::layout::Shell;
use crate::routing::Routes;
use crate::security::session::{MaybeViewer, Viewer};
use crate::state::{today, AppState};
use crate::Error;

pub fn routes() -> Routes {
    Routes::new().get("/", home).get("/health", health)
}

pub fn api_routes() -> Routes {
    Routes::new().get("/program", program_api)
}

async fn progress(state: &AppState, space: &Space) -> Result<Progress, Error> {
    let check_ins = state.store.check_in_days(space.me).await?;
    let checked_in_today = !state
        .store
        .check_in_versions(space.me, today())
        .await?
        .is_empty();
    let (commitments, unmarked) = match space.couple().filter(|_| space.open) {
        Some(couple) => {
            let all = state.store.commitments(couple).await?;
            let marks = state.store.occasion_marks(couple, None).await?;
            let day = today();
            let unmarked = all
                .iter()
                .filter(|c| c.author == space.me)
                .flat_map(|c| {
                    c.schedule
                        .occasions(day - time::Duration::days(6), day)
                        .into_iter()
                        .map(move |d| (c.id, d))
                })
                .filter(|(id, d)| {
                    !marks
                        .iter()
                        .any(|m| m.commitment == *id && m.occasion == *d)
                })
                .count() as i64;
            (
                all.iter().filter(|c| c.ending.is_none()).count() as i64,
                unmarked,
            )
        }
        None => (0, 0),
    };
    Ok(Progress {
        has_partner: space.has_partner(),
        safety_current: space.standing != kintsugi_core::safety::Standing::Due,
        checked_in_today,
        check_ins,
        repairing: space
            .membership
            .as_ref()
            .is_some_and(|m| m.role.is_repairing()),
        commitments,
        unmarked,
    })
}

async fn home(
    State(state): State<AppState>,
    shell: Shell,
    MaybeViewer(viewer): MaybeViewer,
) -> Result<Response, Error> {
    let Some(viewer) = viewer else {
        return Ok(welcome(&shell).into_response());
    };
    let space = Space::load(&state, viewer.user.id).await?;
    if let Err(redirect) = space.require_safety_check("/") {
        return Ok(redirect.into_response());
    }
    let progress = progress(&state, &space).await?;
    let next = program::suggest(progress);
    // Stages 11 and 12: today's rituals as a gentle reminder, and what the
    // couple has done, while their shared space is open.
    let (rituals, together, past) = match space.couple().filter(|_| space.open) {
        Some(couple) => (
            crate::together::todays_rituals(&state.store.rituals(couple).await?, today()),
            crate::together::progress_line(&state, couple).await?,
            crate::past::progress_line(&state, couple).await?,
        ),
        None => (html! {}, None, None),
    };
    Ok(shell
        .render("Your program", html! {
            h1 { "Your path" }
            p.lead { "Thirteen stages, in the order many couples find helpful. Visit any of them at any time: nothing is locked, and nothing runs on a clock." }
            @if space.has_partner() && !space.open { (resting_notice()) }
            aside.card.next aria-label="Suggested next step" {
                p { strong { "A next step, if it helps: " } (next.text) }
                p { a.button href=(next.path) { "Go" } }
            }
            (rituals)
            ol.stages {
                @for stage in &STAGES {
                    li.stage.card id=(stage.slug) {
                        h2 { span.number { (stage.number) } " " (stage.title) }
                        p { (stage.guide) }
                        p.tool { (stage.tool) }
                        @if stage.slug == "actions" && progress.commitments > 0 {
                            p.done { (progress.commitments) " " (if progress.commitments == 1 { "commitment is" } else { "commitments are" }) " running." }
                        }
                        @if let (Some(line), "grow") = (&together, stage.slug) { p.done { (line) } }
                        @if let (Some(line), "let-go") = (&past, stage.slug) { p.done { (line) } }
                        @if stage.slug == "daily" && progress.check_ins > 0 {
                            p.done { "You have checked in on " (progress.check_ins) " " (if progress.check_ins == 1 { "day" } else { "days" }) "." }
                        }
                        @match stage.path {
                            Some(path) => { p { a href=(path) { "Open " (stage.title.to_lowercase()) } } }
                            None => { p.soon { "Not built yet: this part of Kintsugi is still being made." } }
                        }
                    }
                }
            }
        })
        .into_response())
}

fn welcome(shell: &Shell) -> Markup {
    shell.render("Rebuilding trust, together", html! {
        section.hero {
            h1 { "Rebuilding trust, together" }
            p.lead { "In kintsugi, a broken bowl is mended with gold, and the repair becomes part of its beauty. This is a quiet, private place for two partners to do that work after trust has been broken." }
            p.actions { a.button href="/signup" { "Begin" } " " a href="/login" { "Log in" } }
        }
        section.card {
            h2 { "What it offers" }
            ul {
                li { "A path of thirteen stages, from understanding what broke to choosing trust day by day." }
                li { "A daily check-in for each of you, with trends you can see side by side." }
                li { "A coach for gentle words that explains what may hurt and suggests another way to say it." }
                li { "Privacy by default: what you write is yours until you choose to share it." }
            }
        }
        section.card {
            h2 { "What it is not" }
            p { "Kintsugi is not therapy, and it is not for relationships where there is violence, threats or control. If you are afraid of your partner, please "
                a href="/safety/help" { "look here for help" } " first." }
        }
    })
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    pub status: &'static str,
    pub database: &'static str,
}

/// Whether the server and its database are up; for monitors and load balancers.
async fn health(State(state): State<AppState>) -> (StatusCode, Json<Health>) {
    match state.store.ping().await {
        Ok(()) => (
            StatusCode::OK,
            Json(Health {
                status: "ok",
                database: "ok",
            }),
        ),
        Err(e) => {
            tracing::warn!(error = %e, "health check: database unavailable");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(Health {
                    status: "degraded",
                    database: "unavailable",
                }),
            )
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProgramView {
    pub stages: Vec<StageView>,
    pub suggestion: SuggestionView,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StageView {
    pub number: u8,
    pub slug: &'static str,
    pub title: &'static str,
    pub guide: &'static str,
    pub tool: &'static str,
    /// Whether this stage's tool is built yet.
    pub available: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SuggestionView {
    pub text: &'static str,
    pub path: &'static str,
}

/// The thirteen stages and a suggested next step for the caller.
#[utoipa::path(get, path = "/api/v1/program", tag = "program", security(("bearer" = [])),
    responses((status = 200, body = ProgramView), (status = 401, body = crate::error::ErrorBody)))]
pub async fn program_api(
    State(state): State<AppState>,
    viewer: Viewer,
) -> Result<Json<ProgramView>, Error> {
    let space = Space::load(&state, viewer.user.id).await?;
    let next = program::suggest(progress(&state, &space).await?);
    Ok(Json(ProgramView {
        stages: STAGES
            .iter()
            .map(|s| StageView {
                number: s.number,
                slug: s.slug,
                title: s.title,
                guide: s.guide,
                tool: s.tool,
                available: s.path.is_some(),
            })
            .collect(),
        suggestion: SuggestionView {
            text: next.text,
            path: next.path,
        },
    }))
}
