//! The couple owns its data: a copy of everything one can see, leaving the
//! couple, and deleting one's account — as pages and as the API.
//!
//! What each table gives an export, and what becomes of it when a partner
//! goes, is decided in one place, `kintsugi_store::ownership`. Here are the
//! doors to it: the downloads, and the two confirmations, each of which says
//! exactly what will happen before it happens and asks for the password, so
//! a borrowed, unlocked phone cannot do it.

use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Form, Json};
use axum_extra::extract::CookieJar;
use kintsugi_core::export::{Departure, Export, Format, Place};
use kintsugi_core::Invalid;
use maud::{html, Markup};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::api::ApiJson;
use crate::layout::{field_error, form_errors, Shell};
use crate::routing::Routes;
use crate::security::password;
use crate::security::session::{self, ClientAddress, Viewer};
use crate::state::{now, AppState};
use crate::Error;

pub fn routes() -> Routes {
    Routes::new()
        .get("/account/export", export_page)
        .get("/account/export/download", download)
        .get("/account/delete", delete_page)
        .post("/account/delete", delete_form)
        .get("/couple/leave", leave_page)
        .post("/couple/leave", leave_form)
}

pub fn api_routes() -> Routes {
    Routes::new()
        .get("/export", export_api)
        .post("/account/delete", delete_api)
        .post("/couple/leave", leave_api)
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct FormatQuery {
    /// `json` (the default), `html` or `markdown`.
    #[serde(default)]
    pub format: String,
}

/// The confirmation a departure needs: the person's password, and for the
/// pages a tick that they have read what will happen.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct Confirmation {
    #[serde(default)]
    pub password: String,
    /// Pages only: the "I have read this" box.
    #[serde(default)]
    #[schema(ignore)]
    pub understood: String,
}

/// What a departure did.
#[derive(Debug, Serialize, ToSchema)]
pub struct DepartureView {
    /// `left` or `deleted`.
    pub done: &'static str,
    /// No partner was left, so the couple's space was erased with everything in it.
    pub couple_erased: bool,
}

/// Builds the export as a file to download.
async fn export_file(state: &AppState, viewer: &Viewer, format: Format) -> Result<Response, Error> {
    let export = state.store.export(viewer.user.id, now()).await?;
    Ok(file(&export, format))
}

/// An export as an attachment, in the chosen format.
pub fn file(export: &Export, format: Format) -> Response {
    let body = match format {
        Format::Json => export.to_json(),
        Format::Html => export.to_html(),
        Format::Markdown => export.to_markdown(),
    };
    (
        [
            (header::CONTENT_TYPE, format.content_type().to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{}\"", export.file_name(format)),
            ),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        body,
    )
        .into_response()
}

async fn export_page(
    State(state): State<AppState>,
    shell: Shell,
    viewer: Viewer,
) -> Result<Markup, Error> {
    let membership = state.store.membership(viewer.user.id).await?;
    Ok(shell.render(
        "Your data",
        html! {
            h1 { "Your data" }
            p.lead { "Everything you wrote here is yours, and so is a copy of what you and your partner share. You can take it with you, step out of your couple's space, or close your account." }
            section.card.ownership {
                h2 { "Download a copy" }
                p { "The copy holds everything you can see in Kintsugi: all you wrote, private or shared, and what your partner chose to share with you. What your partner keeps private is not in it, just as it is on no page." }
                ul.downloads {
                    li { a href="/account/export/download?format=html" download { "A page to read or print (HTML)" } }
                    li { a href="/account/export/download?format=markdown" download { "Plain text (Markdown)" } }
                    li { a href="/account/export/download?format=json" download { "For programs (JSON)" } }
                }
                p.hint { "The file holds private words. Keep it somewhere only you can reach." }
            }
            section.card.ownership {
                h2 { "Leave your couple's space" }
                @if membership.is_some() {
                    p { "You can step out of the space you share, and keep your account." }
                    p { a href="/couple/leave" { "Read what leaving does" } }
                } @else {
                    p { "You are not in a couple's space right now." }
                }
            }
            section.card.ownership {
                h2 { "Delete your account" }
                p { "You can close your account and erase what is yours alone." }
                p { a href="/account/delete" { "Read what deleting does" } }
            }
        },
    ))
}

async fn download(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<FormatQuery>,
) -> Result<Response, Error> {
    let format = Format::parse(&q.format)?;
    export_file(&state, &viewer, format).await
}

fn confirm_view(shell: &Shell, how: Departure, place: Place, errors: &[Invalid]) -> Markup {
    let (title, action, button) = match how {
        Departure::Leave => (
            "Leave your couple's space",
            "/couple/leave",
            "Leave our space",
        ),
        Departure::DeleteAccount => (
            "Delete your account",
            "/account/delete",
            "Delete my account",
        ),
    };
    shell.render(
        title,
        html! {
            h1 { (title) }
            @if how == Departure::Leave && place == Place::NoCouple {
                p.lead { "You are not in a couple's space right now, so there is nothing to leave." }
                p { a href="/couple" { "Your couple" } }
            } @else {
                p.lead { "Take your time with this. Here is exactly what happens, before anything does." }
                section.card.ownership {
                    h2 { "What happens" }
                    ul.consequences {
                        @for line in how.consequences(place) { li { (line) } }
                    }
                }
                section.card.ownership {
                    h2 { "First, a copy if you want one" }
                    p { "Once this is done it cannot be undone, and Kintsugi keeps no copy for you. You can download yours now: "
                        a href="/account/export/download?format=html" download { "a page to read or print" } ", "
                        a href="/account/export/download?format=json" download { "or JSON" } "." }
                }
                (form_errors(errors))
                form.card.ownership.confirm method="post" action=(action) {
                    (shell.csrf_field())
                    label.choice for="understood" {
                        input #understood type="checkbox" name="understood" value="yes" required;
                        " I have read what happens"
                    }
                    (field_error(errors, "understood"))
                    label for="password" { "Your password, to confirm it is you" }
                    (field_error(errors, "password"))
                    input #password type="password" name="password" required autocomplete="current-password" maxlength="1024";
                    button.danger type="submit" { (button) }
                }
                p { a href="/account/export" { "Not now — back to your data" } }
            }
        },
    )
}

async fn load_place(state: &AppState, viewer: &Viewer) -> Result<Place, Error> {
    let membership = state.store.membership(viewer.user.id).await?;
    Ok(match membership {
        None => Place::NoCouple,
        Some(m) if m.partner.as_ref().is_some_and(|p| !p.former) => Place::WithPartner,
        Some(_) => Place::Alone,
    })
}

async fn delete_page(
    State(state): State<AppState>,
    shell: Shell,
    viewer: Viewer,
) -> Result<Markup, Error> {
    let place = load_place(&state, &viewer).await?;
    Ok(confirm_view(&shell, Departure::DeleteAccount, place, &[]))
}

async fn leave_page(
    State(state): State<AppState>,
    shell: Shell,
    viewer: Viewer,
) -> Result<Markup, Error> {
    let place = load_place(&state, &viewer).await?;
    Ok(confirm_view(&shell, Departure::Leave, place, &[]))
}

/// Checks the confirmation: the password is the account's, tried no more
/// often than a log-in may be.
async fn confirmed(
    state: &AppState,
    viewer: &Viewer,
    address: &str,
    c: &Confirmation,
    page: bool,
) -> Result<(), Error> {
    state.limiters.login(&viewer.user.username, address)?;
    let mut errors = Vec::new();
    if page && c.understood != "yes" {
        errors.push(Invalid::new(
            "understood",
            "Please tick the box to say you have read what happens.",
        ));
    }
    if c.password.is_empty() {
        errors.push(Invalid::new(
            "password",
            "Please enter your password to confirm it is you.",
        ));
    } else {
        let stored = if c.password.len() <= 1024 {
            state
                .store
                .credentials(&viewer.user.username)
                .await?
                .filter(|(id, _)| *id == viewer.user.id)
                .map(|(_, hash)| hash)
        } else {
            None
        };
        if !password::verify(c.password.clone(), stored).await? {
            errors.push(Invalid::new(
                "password",
                "That is not your password, so nothing was changed. Please try again.",
            ));
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Error::Invalid(errors))
    }
}

async fn delete_form(
    State(state): State<AppState>,
    shell: Shell,
    jar: CookieJar,
    viewer: Viewer,
    ClientAddress(addr): ClientAddress,
    Form(c): Form<Confirmation>,
) -> Result<Response, Error> {
    if let Err(e) = confirmed(&state, &viewer, &addr, &c, true).await {
        return confirm_again(&state, &shell, &viewer, Departure::DeleteAccount, e).await;
    }
    state.store.delete_account(viewer.user.id, now()).await?;
    tracing::info!("an account was deleted");
    let page = crate::layout::farewell_page(
        &state.config.exit_url,
        html! {
            h1 { "Your account is deleted" }
            p.lead { "What was yours alone is erased, and you are logged out everywhere." }
            p { "Thank you for the care you brought here. Whatever comes next, we hope it is gentle with you." }
            p { a href="/" { "Kintsugi's home page" } }
        },
    );
    Ok((jar.add(session::removal_cookie()), page).into_response())
}

async fn leave_form(
    State(state): State<AppState>,
    shell: Shell,
    viewer: Viewer,
    ClientAddress(addr): ClientAddress,
    Form(c): Form<Confirmation>,
) -> Result<Response, Error> {
    if let Err(e) = confirmed(&state, &viewer, &addr, &c, true).await {
        return confirm_again(&state, &shell, &viewer, Departure::Leave, e).await;
    }
    match state.store.leave_couple(viewer.user.id, now()).await? {
        Some(_) => Ok(Redirect::to("/couple").into_response()),
        None => Err(Error::Forbidden(
            "You are not in a couple's space right now, so there is nothing to leave.",
        )),
    }
}

/// The confirmation page again, with what needs another look.
async fn confirm_again(
    state: &AppState,
    shell: &Shell,
    viewer: &Viewer,
    how: Departure,
    e: Error,
) -> Result<Response, Error> {
    match e {
        Error::Invalid(errors) => {
            let place = load_place(state, viewer).await?;
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                confirm_view(shell, how, place, &errors),
            )
                .into_response())
        }
        other => Err(other),
    }
}

/// A copy of everything the caller can see, in the `kintsugi-export`
/// format (docs/export-format.md), as a file.
#[utoipa::path(get, path = "/api/v1/export", tag = "ownership", params(FormatQuery), security(("bearer" = [])),
    responses((status = 200, description = "The export: JSON in the `kintsugi-export` format version 1, or HTML or Markdown when asked"),
        (status = 401, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn export_api(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<FormatQuery>,
) -> Result<Response, Error> {
    let format = Format::parse(&q.format)?;
    export_file(&state, &viewer, format).await
}

/// Delete the caller's account (see the account deletion page for what
/// happens). Every session ends.
#[utoipa::path(post, path = "/api/v1/account/delete", tag = "ownership", request_body = Confirmation, security(("bearer" = [])),
    responses((status = 200, body = DepartureView), (status = 401, body = crate::error::ErrorBody),
        (status = 422, body = crate::error::ErrorBody), (status = 429, body = crate::error::ErrorBody)))]
pub async fn delete_api(
    State(state): State<AppState>,
    viewer: Viewer,
    ClientAddress(addr): ClientAddress,
    ApiJson(c): ApiJson<Confirmation>,
) -> Result<Json<DepartureView>, Error> {
    confirmed(&state, &viewer, &addr, &c, false).await?;
    let departed = state.store.delete_account(viewer.user.id, now()).await?;
    Ok(Json(DepartureView {
        done: "deleted",
        couple_erased: departed.is_some_and(|d| d.couple_erased),
    }))
}

/// Leave the caller's couple, keeping the account.
#[utoipa::path(post, path = "/api/v1/couple/leave", tag = "ownership", request_body = Confirmation, security(("bearer" = [])),
    responses((status = 200, body = DepartureView), (status = 401, body = crate::error::ErrorBody),
        (status = 403, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn leave_api(
    State(state): State<AppState>,
    viewer: Viewer,
    ClientAddress(addr): ClientAddress,
    ApiJson(c): ApiJson<Confirmation>,
) -> Result<Json<DepartureView>, Error> {
    confirmed(&state, &viewer, &addr, &c, false).await?;
    match state.store.leave_couple(viewer.user.id, now()).await? {
        Some(d) => Ok(Json(DepartureView {
            done: "left",
            couple_erased: d.couple_erased,
        })),
        None => Err(Error::Forbidden(
            "You are not in a couple's space right now, so there is nothing to leave.",
        )),
    }
}
