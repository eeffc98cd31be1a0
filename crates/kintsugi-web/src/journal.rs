//! Stage 2, the feelings journal: pages and API.
//!
//! Every handler reads and writes the viewer's own entries only, through
//! store calls that take the author's id; there is no route that names
//! another person, so the partner has nothing to ask for. Nothing about the
//! journal — not even how often someone writes — appears anywhere else.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Json;
use axum_extra::extract::Form;
use kintsugi_core::journal::{self, JournalDraft, JournalFields, FAMILIES};
use kintsugi_core::Invalid;
use kintsugi_store::JournalEntry;
use maud::{html, Markup};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::api::ApiJson;
use crate::chart::{line_chart, Series};
use crate::layout::{field_error, form_errors, iso, paragraphs, Shell};
use crate::routing::Routes;
use crate::security::session::Viewer;
use crate::state::{now, today, AppState};
use crate::Error;

pub fn routes() -> Routes {
    Routes::new()
        .get("/journal", journal_page)
        .post("/journal", create_form)
        .get("/journal/{id}", entry_page)
        .post("/journal/{id}", update_form)
        .post("/journal/{id}/delete", delete_form)
}

pub fn api_routes() -> Routes {
    Routes::new()
        .get("/journal", list_api)
        .post("/journal", create_api)
        .get("/journal/feelings", feelings_api)
        .get("/journal/{id}", one_api)
        .put("/journal/{id}", update_api)
        .delete("/journal/{id}", delete_api)
}

/// The chart looks back this far; the list shows a year.
const CHART_DAYS: i64 = 90;
const LIST_DAYS: i64 = 365;

async fn entries(state: &AppState, viewer: &Viewer, days: i64) -> Result<Vec<JournalEntry>, Error> {
    let since = today() - time::Duration::days(days);
    Ok(state.store.journal_entries(viewer.user.id, since).await?)
}

async fn journal_page(
    State(state): State<AppState>,
    shell: Shell,
    viewer: Viewer,
    Query(q): Query<Saved>,
) -> Result<Markup, Error> {
    let list = entries(&state, &viewer, LIST_DAYS).await?;
    Ok(page(
        &shell,
        &list,
        &JournalFields::default(),
        &[],
        q.saved.is_some(),
    ))
}

#[derive(Deserialize)]
struct Saved {
    saved: Option<String>,
}

async fn create_form(
    State(state): State<AppState>,
    shell: Shell,
    viewer: Viewer,
    Form(fields): Form<JournalFields>,
) -> Result<Response, Error> {
    match JournalDraft::parse(&fields, today()) {
        Ok(draft) => {
            let entry = state
                .store
                .add_journal_entry(viewer.user.id, &draft, now())
                .await?;
            Ok(Redirect::to(&format!("/journal?saved=1#entry-{}", entry.id)).into_response())
        }
        Err(errors) => {
            let list = entries(&state, &viewer, LIST_DAYS).await?;
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                page(&shell, &list, &fields, &errors, false),
            )
                .into_response())
        }
    }
}

async fn entry_page(
    State(state): State<AppState>,
    shell: Shell,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> Result<Markup, Error> {
    let entry = state
        .store
        .journal_entry(viewer.user.id, id)
        .await?
        .ok_or(Error::NotFound)?;
    Ok(edit_page(&shell, entry.id, &fields_of(&entry), &[]))
}

async fn update_form(
    State(state): State<AppState>,
    shell: Shell,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(fields): Form<JournalFields>,
) -> Result<Response, Error> {
    // An unknown id is "not found" whether or not the form is valid, so a
    // bad form never confirms that someone else's entry exists.
    state
        .store
        .journal_entry(viewer.user.id, id)
        .await?
        .ok_or(Error::NotFound)?;
    match JournalDraft::parse(&fields, today()) {
        Ok(draft) => {
            state
                .store
                .update_journal_entry(viewer.user.id, id, &draft, now())
                .await?
                .ok_or(Error::NotFound)?;
            Ok(Redirect::to(&format!("/journal?saved=1#entry-{id}")).into_response())
        }
        Err(errors) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            edit_page(&shell, id, &fields, &errors),
        )
            .into_response()),
    }
}

#[derive(Deserialize)]
struct Confirm {
    #[serde(default)]
    confirm: String,
}

async fn delete_form(
    State(state): State<AppState>,
    shell: Shell,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(confirm): Form<Confirm>,
) -> Result<Response, Error> {
    let entry = state
        .store
        .journal_entry(viewer.user.id, id)
        .await?
        .ok_or(Error::NotFound)?;
    if confirm.confirm != "yes" {
        let errors = [Invalid::new(
            "confirm",
            "Tick the box to say you want this entry gone for good.",
        )];
        return Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            edit_page(&shell, id, &fields_of(&entry), &errors),
        )
            .into_response());
    }
    state.store.delete_journal_entry(viewer.user.id, id).await?;
    Ok(Redirect::to("/journal?saved=deleted").into_response())
}

fn fields_of(e: &JournalEntry) -> JournalFields {
    JournalFields {
        day: iso(e.day),
        feelings: e.feelings.iter().map(|f| f.as_str().to_owned()).collect(),
        intensity: e.intensity.get().to_string(),
        text: e.text.clone().unwrap_or_default(),
    }
}

fn page(
    shell: &Shell,
    list: &[JournalEntry],
    typed: &JournalFields,
    errors: &[Invalid],
    saved: bool,
) -> Markup {
    shell.render("Your journal", html! {
        h1 { "Your journal" }
        p.lead { "A place to name what you feel, as often as you need. Only you can ever read it: not your partner, not their export, not the API. No one is told when or how often you write." }
        @if saved { p.notice role="status" { "Saved. Only you can see it." } }
        (form_errors(errors))
        form.card method="post" action="/journal" {
            (shell.csrf_field())
            h2 { "A new entry" }
            (entry_fields(typed, errors))
            button type="submit" { "Keep this entry" }
        }
        (trends(list))
        section {
            h2 { "Your entries" }
            @if list.is_empty() {
                p { "Nothing yet. When you are ready, a few words are enough." }
            }
            @for e in list {
                article.card.entry id={ "entry-" (e.id) } {
                    p.meta { strong { (iso(e.day)) } " · strength " (e.intensity.get()) " of 10" }
                    p.feelings { @for f in &e.feelings { span.tag { (f.as_str()) } " " } }
                    @if let Some(text) = &e.text { (paragraphs(text)) }
                    p { a href={ "/journal/" (e.id) } { "Edit or delete" } }
                }
            }
        }
    })
}

fn edit_page(shell: &Shell, id: i64, typed: &JournalFields, errors: &[Invalid]) -> Markup {
    shell.render("Edit a journal entry", html! {
        h1 { "Edit this entry" }
        p.lead { "Your journal is yours to change: an edit replaces the entry." }
        (form_errors(errors))
        form.card method="post" action={ "/journal/" (id) } {
            (shell.csrf_field())
            (entry_fields(typed, errors))
            button type="submit" { "Save the changes" }
        }
        form.card.danger method="post" action={ "/journal/" (id) "/delete" } {
            (shell.csrf_field())
            h2 { "Delete it" }
            p { "Deleting removes the entry from Kintsugi for good; it cannot be brought back." }
            label.choice {
                input type="checkbox" id="confirm" name="confirm" value="yes";
                " I want this entry gone for good"
            }
            (field_error(errors, "confirm"))
            button.danger type="submit" { "Delete for good" }
        }
        p { a href="/journal" { "Back to the journal" } }
    })
}

fn entry_fields(typed: &JournalFields, errors: &[Invalid]) -> Markup {
    let intensity = if typed.intensity.is_empty() {
        "5"
    } else {
        typed.intensity.as_str()
    };
    html! {
        label for="day" { "The day it is about" }
        input type="date" id="day" name="day" value=(typed.day) data-local-date=(typed.day);
        (field_error(errors, "day"))
        fieldset.feelings id="feelings" {
            legend { "What do you feel? Choose as many as fit." }
            @for family in &FAMILIES {
                div.family {
                    p.family-name { (family.label) }
                    @for word in family.feelings {
                        label.choice {
                            input type="checkbox" name="feelings" value=(word)
                                checked[typed.feelings.iter().any(|f| f.trim().eq_ignore_ascii_case(word))];
                            " " (word)
                        }
                    }
                }
            }
        }
        (field_error(errors, "feelings"))
        label for="intensity" { "How strong is it? " output { (intensity) } " of 10" }
        input type="range" id="intensity" name="intensity" min="1" max="10" value=(intensity) data-show-value;
        (field_error(errors, "intensity"))
        label for="text" { "In your own words (optional)" }
        textarea id="text" name="text" rows="6" maxlength=(journal::TEXT_MAX_CHARS) { (typed.text) }
        (field_error(errors, "text"))
    }
}

/// Strength over time and which families of feeling came most: for the
/// author to see their own weather, never a score.
fn trends(list: &[JournalEntry]) -> Markup {
    let first = today() - time::Duration::days(CHART_DAYS - 1);
    let mut strongest: Vec<(i64, u8)> = Vec::new();
    let recent: Vec<&JournalEntry> = list.iter().filter(|e| e.day >= first).collect();
    for e in recent.iter().rev() {
        let day = (e.day - first).whole_days();
        match strongest.last_mut() {
            Some((d, v)) if *d == day => *v = (*v).max(e.intensity.get()),
            _ => strongest.push((day, e.intensity.get())),
        }
    }
    let families = journal::families_felt(recent.iter().map(|e| e.feelings.as_slice()));
    html! {
        @if !recent.is_empty() {
            section.card {
                h2 { "The last " (CHART_DAYS) " days" }
                (line_chart("journal-chart", "How strong your feelings were", "The strongest feeling you wrote down each day, from 1 to 10.", CHART_DAYS, &[Series { label: "Strongest feeling of the day", class: "mine trust", points: strongest }]))
                @if !families.is_empty() {
                    p { "What came most often: "
                        @for (i, (family, n)) in families.iter().enumerate() {
                            @if i > 0 { ", " } (family.label) " (" (n) ")"
                        }
                        "."
                    }
                }
            }
        }
    }
}

/// A journal entry as the API returns it.
#[derive(Debug, Serialize, ToSchema)]
pub struct JournalEntryView {
    pub id: i64,
    /// YYYY-MM-DD.
    pub day: String,
    pub feelings: Vec<&'static str>,
    /// 1 to 10.
    pub intensity: u8,
    pub text: Option<String>,
    /// Unix seconds.
    pub created_at: i64,
    pub updated_at: i64,
}

impl From<&JournalEntry> for JournalEntryView {
    fn from(e: &JournalEntry) -> Self {
        Self {
            id: e.id,
            day: iso(e.day),
            feelings: e.feelings.iter().map(|f| f.as_str()).collect(),
            intensity: e.intensity.get(),
            text: e.text.clone(),
            created_at: e.created_at,
            updated_at: e.updated_at,
        }
    }
}

/// A new or changed journal entry.
#[derive(Debug, Deserialize, ToSchema)]
pub struct NewJournalEntry {
    /// YYYY-MM-DD; today when absent. Not in the future.
    pub day: Option<String>,
    /// Words from `GET /api/v1/journal/feelings`.
    pub feelings: Vec<String>,
    /// 1 to 10.
    pub intensity: i64,
    pub text: Option<String>,
}

impl NewJournalEntry {
    fn draft(self) -> Result<JournalDraft, Error> {
        let fields = JournalFields {
            day: self.day.unwrap_or_default(),
            feelings: self.feelings,
            intensity: self.intensity.to_string(),
            text: self.text.unwrap_or_default(),
        };
        JournalDraft::parse(&fields, today()).map_err(Error::Invalid)
    }
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct JournalWindow {
    /// How many days back (1 to 3650); a year when absent.
    pub days: Option<i64>,
}

/// The caller's own journal entries, newest first.
#[utoipa::path(get, path = "/api/v1/journal", tag = "journal", params(JournalWindow), security(("bearer" = [])),
    responses((status = 200, body = Vec<JournalEntryView>), (status = 401, body = crate::error::ErrorBody)))]
pub async fn list_api(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(w): Query<JournalWindow>,
) -> Result<Json<Vec<JournalEntryView>>, Error> {
    let days = w.days.unwrap_or(LIST_DAYS).clamp(1, 3650);
    let list = entries(&state, &viewer, days).await?;
    Ok(Json(list.iter().map(JournalEntryView::from).collect()))
}

/// Write a journal entry. It is the author's alone.
#[utoipa::path(post, path = "/api/v1/journal", tag = "journal", request_body = NewJournalEntry, security(("bearer" = [])),
    responses((status = 201, body = JournalEntryView), (status = 401, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn create_api(
    State(state): State<AppState>,
    viewer: Viewer,
    ApiJson(body): ApiJson<NewJournalEntry>,
) -> Result<(StatusCode, Json<JournalEntryView>), Error> {
    let draft = body.draft()?;
    let entry = state
        .store
        .add_journal_entry(viewer.user.id, &draft, now())
        .await?;
    Ok((StatusCode::CREATED, Json(JournalEntryView::from(&entry))))
}

/// One of the caller's own entries; any other id is not found.
#[utoipa::path(get, path = "/api/v1/journal/{id}", tag = "journal", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = JournalEntryView), (status = 401, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn one_api(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> Result<Json<JournalEntryView>, Error> {
    let entry = state
        .store
        .journal_entry(viewer.user.id, id)
        .await?
        .ok_or(Error::NotFound)?;
    Ok(Json(JournalEntryView::from(&entry)))
}

/// Replace one of the caller's own entries.
#[utoipa::path(put, path = "/api/v1/journal/{id}", tag = "journal", params(("id" = i64, Path)), request_body = NewJournalEntry, security(("bearer" = [])),
    responses((status = 200, body = JournalEntryView), (status = 401, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn update_api(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<NewJournalEntry>,
) -> Result<Json<JournalEntryView>, Error> {
    state
        .store
        .journal_entry(viewer.user.id, id)
        .await?
        .ok_or(Error::NotFound)?;
    let draft = body.draft()?;
    let entry = state
        .store
        .update_journal_entry(viewer.user.id, id, &draft, now())
        .await?
        .ok_or(Error::NotFound)?;
    Ok(Json(JournalEntryView::from(&entry)))
}

/// Delete one of the caller's own entries for good.
#[utoipa::path(delete, path = "/api/v1/journal/{id}", tag = "journal", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 204), (status = 401, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn delete_api(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> Result<StatusCode, Error> {
    if state.store.delete_journal_entry(viewer.user.id, id).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(Error::NotFound)
    }
}

/// A family of feelings and its words.
#[derive(Debug, Serialize, ToSchema)]
pub struct FamilyView {
    pub id: &'static str,
    pub label: &'static str,
    pub feelings: Vec<&'static str>,
}

/// The vocabulary of feelings, grouped by family.
#[utoipa::path(get, path = "/api/v1/journal/feelings", tag = "journal", security(("bearer" = [])),
    responses((status = 200, body = Vec<FamilyView>), (status = 401, body = crate::error::ErrorBody)))]
pub async fn feelings_api(_viewer: Viewer) -> Json<Vec<FamilyView>> {
    Json(
        FAMILIES
            .iter()
            .map(|f| FamilyView {
                id: f.id,
                label: f.label,
                feelings: f.feelings.to_vec(),
            })
            .collect(),
    )
}
