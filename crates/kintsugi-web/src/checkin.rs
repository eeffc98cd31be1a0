//! Stage 13, the daily check-in: the form, the trends, the API.
//!
//! What a viewer may see is decided in the store's queries (their own
//! check-ins, and the partner's current shared ones); this module adds one
//! rule on top: while the shared space rests, nothing is shared either way.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Form, Json};
use kintsugi_core::checkin::{ActKind, CheckInDraft, CheckInFields};
use kintsugi_core::couple::Visibility;
use kintsugi_core::trend::{self, DayRatings, Measure};
use kintsugi_core::{CheckInId, Invalid};
use kintsugi_store::CheckIn;
use maud::{html, Markup};
use serde::{Deserialize, Serialize};
use time::Date;
use utoipa::{IntoParams, ToSchema};

use crate::api::ApiJson;
use crate::chart::{line_chart, Series};
use crate::couple::{resting_notice, Space};
use crate::layout::{field_error, form_errors, iso, Shell};
use crate::routing::Routes;
use crate::security::session::Viewer;
use crate::state::{now, today, AppState};
use crate::Error;

pub fn routes() -> Routes {
    Routes::new()
        .get("/checkin", checkin_page)
        .post("/checkin", checkin_form)
        .get("/checkin/history/{day}", history_page)
}

pub fn api_routes() -> Routes {
    Routes::new()
        .get("/checkins", list_api)
        .post("/checkins", create_api)
        .get("/checkins/{id}", one_api)
}

/// Saves a check-in for the viewer, applying the space's rules.
async fn save(state: &AppState, space: &Space, fields: &CheckInFields) -> Result<CheckIn, Error> {
    let membership = space.require_couple()?;
    let draft = CheckInDraft::parse(fields, today()).map_err(Error::Invalid)?;
    if draft.visibility == Visibility::Shared && !space.open {
        return Err(Error::Invalid(vec![Invalid::new(
            "visibility",
            "Sharing is resting for now, so this can only be saved as private.",
        )]));
    }
    Ok(state
        .store
        .save_check_in(membership.couple, space.me, &draft, now())
        .await?)
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct Window {
    /// How many days back: 30 (the default) or 90.
    pub days: Option<i64>,
    /// Pages only: set after saving, to say so.
    #[serde(default)]
    #[param(ignore)]
    pub saved: Option<String>,
}

impl Window {
    fn days(&self) -> i64 {
        match self.days {
            Some(90) => 90,
            _ => 30,
        }
    }
}

/// The check-ins a viewer may see in the window, split into theirs and the partner's.
async fn visible(
    state: &AppState,
    space: &Space,
    days: i64,
) -> Result<(Vec<CheckIn>, Vec<CheckIn>), Error> {
    let Some(couple) = space.couple() else {
        return Ok((Vec::new(), Vec::new()));
    };
    let since = today() - time::Duration::days(days + 1);
    let all = state
        .store
        .visible_check_ins(couple, space.me, since)
        .await?;
    let (mine, partner): (Vec<_>, Vec<_>) = all.into_iter().partition(|c| c.author == space.me);
    // While the space rests, the partner's shared entries rest too.
    Ok((mine, if space.open { partner } else { Vec::new() }))
}

fn ratings(entries: &[CheckIn]) -> Vec<DayRatings> {
    entries
        .iter()
        .map(|c| DayRatings {
            day: c.day,
            trust: c.trust.get(),
            safety: c.safety.get(),
            connection: c.connection.get(),
        })
        .collect()
}

async fn checkin_page(
    State(state): State<AppState>,
    shell: Shell,
    viewer: Viewer,
    Query(w): Query<Window>,
) -> Result<Response, Error> {
    let space = Space::load(&state, viewer.user.id).await?;
    if let Err(redirect) = space.require_safety_check("/checkin") {
        return Ok(redirect.into_response());
    }
    page(
        &state,
        &shell,
        &space,
        w.days(),
        w.saved.is_some(),
        None,
        &[],
    )
    .await
    .map(IntoResponse::into_response)
}

async fn checkin_form(
    State(state): State<AppState>,
    shell: Shell,
    viewer: Viewer,
    Form(fields): Form<CheckInFields>,
) -> Result<Response, Error> {
    let space = Space::load(&state, viewer.user.id).await?;
    if let Err(redirect) = space.require_safety_check("/checkin") {
        return Ok(redirect.into_response());
    }
    match save(&state, &space, &fields).await {
        Ok(_) => Ok(Redirect::to("/checkin?saved=1").into_response()),
        Err(Error::Invalid(errors)) => {
            let page = page(&state, &shell, &space, 30, false, Some(&fields), &errors).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e),
    }
}

async fn page(
    state: &AppState,
    shell: &Shell,
    space: &Space,
    days: i64,
    saved: bool,
    typed: Option<&CheckInFields>,
    errors: &[Invalid],
) -> Result<Markup, Error> {
    let Some(membership) = &space.membership else {
        return Ok(shell.render("Daily check-in", html! {
            h1 { "Daily check-in" }
            p { "The check-in belongs to a couple's space. " a href="/couple" { "Create yours, or join your partner's" } " first." }
        }));
    };
    let (mine, partner) = visible(state, space, days).await?;
    let today = today();
    let todays = mine.iter().find(|c| c.day == today);
    let fields = typed.cloned().unwrap_or_else(|| prefill(todays));
    let partner_name = membership
        .partner
        .as_ref()
        .map(|p| p.username.as_str())
        .unwrap_or("Your partner");

    Ok(shell.render("Daily check-in", html! {
        h1 { "Trust is a daily choice" }
        p.lead { "A minute a day: how it feels today, and one small thing you did. There is no streak to keep and no day to make up." }
        @if membership.partner.is_some() && !space.open { (resting_notice()) }
        @if saved && errors.is_empty() {
            p.notice.saved role="status" { "Your check-in is saved. Thank you for taking the minute." }
        }
        (form_errors(errors))
        form.card.checkin method="post" action="/checkin" {
            (shell.csrf_field())
            input type="hidden" name="day" value=(fields.day) data-local-date;
            @if todays.is_some() {
                p.notice { "You have checked in today. Saving again updates today's check-in; the earlier version is kept in "
                    a href={ "/checkin/history/" (iso(today)) } { "its history" } "." }
            }
            @for (name, label, hint) in [
                ("trust", "How much do you trust your partner today?", "0 is not at all, 10 is completely."),
                ("safety", "How safe do you feel with your partner today?", "Emotionally and in every other way."),
                ("connection", "How connected do you feel?", "Close, distant, or somewhere between."),
            ] {
                div.field id=(name) {
                    label for={ (name) "-input" } { (label) }
                    p.hint { (hint) }
                    (field_error(errors, name))
                    div.scale {
                        input id={ (name) "-input" } type="range" name=(name) min="0" max="10" step="1" value=(value_or(&fields, name)) required data-show-value;
                        output for={ (name) "-input" } { (value_or(&fields, name)) }
                    }
                }
            }
            fieldset id="act_kind" {
                legend { "One small act today" }
                (field_error(errors, "act_kind"))
                @for kind in ActKind::ALL {
                    label.choice { input type="radio" name="act_kind" value=(kind.as_str()) required checked[fields.act_kind == kind.as_str()]; " " (kind_label(kind)) }
                }
            }
            div.field {
                label for="act" { "What was it?" }
                p.hint { "One sentence is enough: something kind, honest, or a real effort." }
                (field_error(errors, "act"))
                input #act name="act" value=(fields.act) required maxlength="280";
            }
            div.field {
                label for="note" { "Anything else (optional)" }
                (field_error(errors, "note"))
                textarea #note name="note" rows="3" maxlength="2000" { (fields.note) }
            }
            fieldset id="visibility" {
                legend { "Who sees this check-in?" }
                (field_error(errors, "visibility"))
                label.choice { input type="radio" name="visibility" value="private" checked[fields.visibility != "shared"]; " Only me" }
                label.choice {
                    input type="radio" name="visibility" value="shared" checked[fields.visibility == "shared"] disabled[!space.open];
                    " Me and my partner"
                    @if !space.open { span.hint { "Available when your partner has joined and the shared space is open." } }
                }
            }
            button type="submit" { "Save today's check-in" }
        }

        section.trends aria-labelledby="trends" {
            h2 #trends { "How it has been going" }
            p.window {
                @if days == 30 { strong { "Last 30 days" } } @else { a href="/checkin?days=30" { "Last 30 days" } }
                " · "
                @if days == 90 { strong { "Last 90 days" } } @else { a href="/checkin?days=90" { "Last 90 days" } }
            }
            @if mine.is_empty() && partner.is_empty() {
                p { "Your trends will appear here after your first check-in." }
            } @else {
                (charts(&mine, &partner, partner_name, today, days))
                (recent(&mine, &partner, partner_name, today))
            }
        }
    }))
}

/// The last week's check-ins in words: one's own, and the partner's shared ones.
fn recent(mine: &[CheckIn], partner: &[CheckIn], partner_name: &str, today: Date) -> Markup {
    let since = today - time::Duration::days(6);
    let mut week: Vec<(&str, &CheckIn)> = mine
        .iter()
        .map(|c| ("You", c))
        .chain(partner.iter().map(|c| (partner_name, c)))
        .filter(|(_, c)| c.day >= since)
        .collect();
    week.sort_by(|a, b| b.1.day.cmp(&a.1.day).then(a.0.cmp(b.0)));
    html! {
        h3 { "This week" }
        ul.recent {
            @for (who, c) in week {
                li.card {
                    p { strong { (who) } " · " (iso(c.day)) @if who == "You" { " · " (c.visibility.as_str()) } }
                    p { (kind_label(c.act_kind)) ": " (c.act) }
                    @if let Some(note) = &c.note { (crate::layout::paragraphs(note)) }
                }
            }
        }
    }
}

fn charts(
    mine: &[CheckIn],
    partner: &[CheckIn],
    partner_name: &str,
    today: Date,
    days: i64,
) -> Markup {
    let (mine, partner) = (ratings(mine), ratings(partner));
    let today = chart_end(today, mine.iter().chain(&partner).map(|r| r.day));
    let partner_label = format!("{partner_name} (shared)");
    html! {
        @for m in Measure::ALL {
            @let me = trend::points(&mine, m, today, days);
            @let them = trend::points(&partner, m, today, days);
            @let summary = summary(m, &me, &them, &partner_label);
            (line_chart(&format!("chart-{}", m.label().to_lowercase().replace(' ', "-")), m.label(), &summary, days, &[
                Series { label: "You", class: "me", points: me },
                Series { label: &partner_label, class: "partner", points: them },
            ]))
        }
        details.data {
            summary { "The numbers behind the charts" }
            table {
                thead { tr { th scope="col" { "Day" } th scope="col" { "Who" } th scope="col" { "Trust" } th scope="col" { "Safe" } th scope="col" { "Connected" } } }
                tbody {
                    @for (who, r) in mine.iter().map(|r| ("You", r)).chain(partner.iter().map(|r| (partner_name, r))) {
                        tr { td { (iso(r.day)) } td { (who) } td { (r.trust) } td { (r.safety) } td { (r.connection) } }
                    }
                }
            }
        }
    }
}

/// The last day on the charts: the server's today, or a day later when a
/// check-in is dated so. A person east of the server's time zone checks in
/// for their own today, which can be the server's tomorrow; the charts must
/// not leave it out.
fn chart_end(today: Date, days: impl Iterator<Item = Date>) -> Date {
    let limit = today + time::Duration::days(1);
    days.filter(|d| *d <= limit).fold(today, Date::max)
}

fn summary(m: Measure, me: &[(i64, u8)], them: &[(i64, u8)], partner_label: &str) -> String {
    let avg = |p: &[(i64, u8)]| {
        trend::mean(p)
            .map(|v| format!("{v:.1} over {} check-ins", p.len()))
            .unwrap_or_else(|| "no check-ins yet".into())
    };
    format!(
        "{}: you, {}; {}, {}.",
        m.label(),
        avg(me),
        partner_label,
        avg(them)
    )
}

fn kind_label(kind: ActKind) -> &'static str {
    match kind {
        ActKind::Kindness => "Kindness",
        ActKind::Honesty => "Honesty",
        ActKind::Effort => "Effort",
    }
}

fn prefill(todays: Option<&CheckIn>) -> CheckInFields {
    match todays {
        Some(c) => CheckInFields {
            day: iso(c.day),
            trust: c.trust.get().to_string(),
            safety: c.safety.get().to_string(),
            connection: c.connection.get().to_string(),
            act_kind: c.act_kind.as_str().into(),
            act: c.act.clone(),
            note: c.note.clone().unwrap_or_default(),
            visibility: c.visibility.as_str().into(),
        },
        None => CheckInFields {
            day: iso(today()),
            ..Default::default()
        },
    }
}

fn value_or(fields: &CheckInFields, name: &str) -> String {
    let v = match name {
        "trust" => &fields.trust,
        "safety" => &fields.safety,
        _ => &fields.connection,
    };
    if v.trim().parse::<u8>().is_ok_and(|n| n <= 10) {
        v.trim().to_owned()
    } else {
        "5".into()
    }
}

async fn history_page(
    State(state): State<AppState>,
    shell: Shell,
    viewer: Viewer,
    Path(day): Path<String>,
) -> Result<Markup, Error> {
    let f = time::macros::format_description!("[year]-[month]-[day]");
    let day = Date::parse(&day, f).map_err(|_| Error::NotFound)?;
    let versions = state.store.check_in_versions(viewer.user.id, day).await?;
    if versions.is_empty() {
        return Err(Error::NotFound);
    }
    Ok(shell.render("Check-in history", html! {
        h1 { "Your check-in for " (iso(day)) }
        p.lead { "Every version is kept. Only you see this history." }
        ol.versions reversed {
            @for c in &versions {
                li.card {
                    p { strong { "Version " (c.version) } " · " (if c.visibility == Visibility::Shared { "shared" } else { "private" }) }
                    p { "Trust " (c.trust.get()) " · safe " (c.safety.get()) " · connected " (c.connection.get()) }
                    p { (kind_label(c.act_kind)) ": " (c.act) }
                    @if let Some(note) = &c.note { (crate::layout::paragraphs(note)) }
                }
            }
        }
        p { a href="/checkin" { "Back to the check-in" } }
    }))
}

/// A check-in as the API returns it.
#[derive(Debug, Serialize, ToSchema)]
pub struct CheckInView {
    pub id: i64,
    /// `me` or `partner`.
    pub author: &'static str,
    /// YYYY-MM-DD.
    pub day: String,
    pub version: i64,
    pub trust: u8,
    pub safety: u8,
    pub connection: u8,
    /// `kindness`, `honesty` or `effort`.
    pub act_kind: &'static str,
    pub act: String,
    pub note: Option<String>,
    /// `private` or `shared`.
    pub visibility: &'static str,
    /// Unix seconds.
    pub created_at: i64,
}

impl CheckInView {
    fn of(c: &CheckIn, viewer: kintsugi_core::UserId) -> Self {
        Self {
            id: c.id.0,
            author: if c.author == viewer { "me" } else { "partner" },
            day: iso(c.day),
            version: c.version,
            trust: c.trust.get(),
            safety: c.safety.get(),
            connection: c.connection.get(),
            act_kind: c.act_kind.as_str(),
            act: c.act.clone(),
            note: c.note.clone(),
            visibility: c.visibility.as_str(),
            created_at: c.created_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CheckInList {
    pub days: i64,
    /// The caller's own check-ins, current version of each day.
    pub mine: Vec<CheckInView>,
    /// The partner's shared check-ins, current version of each day.
    pub partner: Vec<CheckInView>,
}

/// The raw fields of a new check-in.
#[derive(Debug, Deserialize, ToSchema)]
pub struct NewCheckIn {
    /// YYYY-MM-DD; today when absent. At most a day either side of the server's date.
    pub day: Option<String>,
    pub trust: i64,
    pub safety: i64,
    pub connection: i64,
    /// `kindness`, `honesty` or `effort`.
    pub act_kind: String,
    pub act: String,
    pub note: Option<String>,
    /// `private` (the default) or `shared`.
    pub visibility: Option<String>,
}

/// The caller's check-ins and the partner's shared ones for the last 30 or 90 days.
#[utoipa::path(get, path = "/api/v1/checkins", tag = "checkins", params(Window), security(("bearer" = [])),
    responses((status = 200, body = CheckInList), (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)))]
pub async fn list_api(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(w): Query<Window>,
) -> Result<Json<CheckInList>, Error> {
    let space = Space::load(&state, viewer.user.id).await?;
    space.require_safety_check_api()?;
    space.require_couple()?;
    let (mine, partner) = visible(&state, &space, w.days()).await?;
    let me = viewer.user.id;
    Ok(Json(CheckInList {
        days: w.days(),
        mine: mine.iter().map(|c| CheckInView::of(c, me)).collect(),
        partner: partner.iter().map(|c| CheckInView::of(c, me)).collect(),
    }))
}

/// Check in for today; a second check-in the same day is a new version.
#[utoipa::path(post, path = "/api/v1/checkins", tag = "checkins", request_body = NewCheckIn, security(("bearer" = [])),
    responses((status = 201, body = CheckInView), (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn create_api(
    State(state): State<AppState>,
    viewer: Viewer,
    ApiJson(body): ApiJson<NewCheckIn>,
) -> Result<(StatusCode, Json<CheckInView>), Error> {
    let space = Space::load(&state, viewer.user.id).await?;
    space.require_safety_check_api()?;
    let fields = CheckInFields {
        day: body.day.unwrap_or_default(),
        trust: body.trust.to_string(),
        safety: body.safety.to_string(),
        connection: body.connection.to_string(),
        act_kind: body.act_kind,
        act: body.act,
        note: body.note.unwrap_or_default(),
        visibility: body.visibility.unwrap_or_default(),
    };
    let saved = save(&state, &space, &fields).await?;
    Ok((
        StatusCode::CREATED,
        Json(CheckInView::of(&saved, viewer.user.id)),
    ))
}

/// One check-in version: any of the caller's own, or the partner's current shared one.
#[utoipa::path(get, path = "/api/v1/checkins/{id}", tag = "checkins", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = CheckInView), (status = 401, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn one_api(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> Result<Json<CheckInView>, Error> {
    let space = Space::load(&state, viewer.user.id).await?;
    let couple = space.couple().ok_or(Error::NotFound)?;
    let found = state
        .store
        .check_in(couple, viewer.user.id, CheckInId(id))
        .await?
        .ok_or(Error::NotFound)?;
    if found.author != viewer.user.id && !space.open {
        return Err(Error::NotFound);
    }
    Ok(Json(CheckInView::of(&found, viewer.user.id)))
}
