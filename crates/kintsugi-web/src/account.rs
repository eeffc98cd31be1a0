//! Signing up, logging in and out — as pages and as the API.

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Form, Json};
use axum_extra::extract::CookieJar;
use kintsugi_core::account::{NewPassword, Username};
use kintsugi_core::Invalid;
use kintsugi_store::StoreError;
use maud::{html, Markup};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::ApiJson;
use crate::layout::{field_error, form_errors, Shell};
use crate::routing::Routes;
use crate::security::password;
use crate::security::session::{self, ClientAddress, MaybeViewer, Viewer};
use crate::state::AppState;
use crate::Error;

pub fn routes() -> Routes {
    Routes::new()
        .get("/signup", signup_page)
        .post("/signup", signup_form)
        .get("/login", login_page)
        .post("/login", login_form)
        .post("/logout", logout_form)
}

pub fn api_routes() -> Routes {
    Routes::new()
        .post("/signup", signup_api)
        .post("/login", login_api)
        .post("/logout", logout_api)
        .get("/me", me_api)
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct Credentials {
    #[serde(default)]
    pub username: String,
    #[serde(default)]
    pub password: String,
    /// Pages only: where to go afterwards (a local path).
    #[serde(default)]
    #[schema(ignore)]
    pub next: String,
}

/// A session token, for `Authorization: Bearer`.
#[derive(Debug, Serialize, ToSchema)]
pub struct SessionToken {
    pub token: String,
    /// Unix seconds.
    pub expires_at: i64,
    pub username: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Me {
    pub id: i64,
    pub username: String,
}

/// Creates an account and starts its first session.
async fn register(
    state: &AppState,
    address: &str,
    c: &Credentials,
) -> Result<(String, i64, String), Error> {
    state.limiters.signup(address)?;
    let mut errors = Vec::new();
    let username = kintsugi_core::checkin::keep(&mut errors, Username::parse(&c.username));
    let password = kintsugi_core::checkin::keep(&mut errors, NewPassword::parse(&c.password));
    let (Some(username), Some(password)) = (username, password) else {
        return Err(Error::Invalid(errors));
    };
    let hash = password::hash(password.expose().to_owned()).await?;
    let id = match state
        .store
        .create_user(username.as_str(), &hash, crate::state::now())
        .await
    {
        Ok(id) => id,
        Err(StoreError::Conflict) => {
            return Err(Error::Invalid(vec![Invalid::new(
                "username",
                "That username is taken; please choose another.",
            )]))
        }
        Err(e) => return Err(e.into()),
    };
    let (token, expires_at) = session::start(state, id).await?;
    Ok((token, expires_at, username.to_string()))
}

/// Checks credentials. Unknown user and wrong password get the same answer,
/// after the same amount of work.
async fn authenticate(
    state: &AppState,
    address: &str,
    c: &Credentials,
) -> Result<(String, i64, String), Error> {
    let username = c.username.trim().to_lowercase();
    state.limiters.login(&username, address)?;
    let stored = if c.password.len() <= 1024 && username.len() <= 256 {
        state.store.credentials(&username).await?
    } else {
        None
    };
    let (user, hash) = match stored {
        Some((id, hash)) => (Some(id), Some(hash)),
        None => (None, None),
    };
    let ok = password::verify(c.password.clone(), hash).await?;
    match (ok, user) {
        (true, Some(id)) => {
            let (token, expires_at) = session::start(state, id).await?;
            Ok((token, expires_at, username))
        }
        _ => Err(Error::Forbidden(
            "That username and password do not match an account.",
        )),
    }
}

/// Only local paths are followed after logging in, never another site.
fn safe_next(next: &str) -> &str {
    if next.starts_with('/') && !next.starts_with("//") && !next.starts_with("/\\") {
        next
    } else {
        "/"
    }
}

#[derive(Deserialize)]
struct NextQuery {
    #[serde(default)]
    next: String,
}

fn credentials_form(
    shell: &Shell,
    action: &str,
    c: &Credentials,
    errors: &[Invalid],
    new_account: bool,
) -> Markup {
    html! {
        (form_errors(errors))
        form.card method="post" action=(action) {
            (shell.csrf_field())
            input type="hidden" name="next" value=(c.next);
            label for="username" { "Username or e-mail" }
            (field_error(errors, "username"))
            input #username name="username" value=(c.username) required autocomplete="username" autocapitalize="none" maxlength="64";
            label for="password" { "Password" }
            @if new_account { p.hint { "At least 10 characters. A short phrase you will remember works well." } }
            (field_error(errors, "password"))
            input #password type="password" name="password" required
                autocomplete=(if new_account { "new-password" } else { "current-password" }) maxlength="1024";
            button type="submit" { @if new_account { "Create my account" } @else { "Log in" } }
        }
    }
}

async fn signup_page(shell: Shell, Query(q): Query<NextQuery>) -> Markup {
    let c = Credentials {
        next: q.next,
        ..Default::default()
    };
    signup_view(&shell, &c, &[])
}

fn signup_view(shell: &Shell, c: &Credentials, errors: &[Invalid]) -> Markup {
    shell.render(
        "Create an account",
        html! {
            h1 { "Create your account" }
            p.lead { "Your account is yours alone. Your partner will have their own, and you will link them with an invitation." }
            (credentials_form(shell, "/signup", c, errors, true))
            p { "Already have an account? " a href={ "/login?next=" (crate::error::urlencode(&c.next)) } { "Log in" } }
        },
    )
}

async fn signup_form(
    State(state): State<AppState>,
    shell: Shell,
    jar: CookieJar,
    ClientAddress(addr): ClientAddress,
    Form(c): Form<Credentials>,
) -> Result<Response, Error> {
    match register(&state, &addr, &c).await {
        Ok((token, _, _)) => {
            let next = if c.next.is_empty() {
                "/safety"
            } else {
                safe_next(&c.next)
            };
            Ok((
                session::replace(&state, jar, token).await?,
                Redirect::to(next),
            )
                .into_response())
        }
        Err(Error::Invalid(errors)) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            signup_view(
                &shell,
                &Credentials {
                    password: String::new(),
                    ..c
                },
                &errors,
            ),
        )
            .into_response()),
        Err(e) => Err(e),
    }
}

async fn login_page(
    shell: Shell,
    MaybeViewer(viewer): MaybeViewer,
    Query(q): Query<NextQuery>,
) -> Response {
    if viewer.is_some() {
        return Redirect::to(safe_next(&q.next)).into_response();
    }
    login_view(
        &shell,
        &Credentials {
            next: q.next,
            ..Default::default()
        },
        None,
    )
    .into_response()
}

fn login_view(shell: &Shell, c: &Credentials, problem: Option<&str>) -> Markup {
    shell.render(
        "Log in",
        html! {
            h1 { "Welcome back" }
            @if let Some(problem) = problem { div.errors role="alert" { p { (problem) } } }
            (credentials_form(shell, "/login", c, &[], false))
            p { "New here? " a href={ "/signup?next=" (crate::error::urlencode(&c.next)) } { "Create an account" } }
        },
    )
}

async fn login_form(
    State(state): State<AppState>,
    shell: Shell,
    jar: CookieJar,
    ClientAddress(addr): ClientAddress,
    Form(c): Form<Credentials>,
) -> Result<Response, Error> {
    match authenticate(&state, &addr, &c).await {
        Ok((token, _, _)) => Ok((
            session::replace(&state, jar, token).await?,
            Redirect::to(safe_next(&c.next)),
        )
            .into_response()),
        Err(e @ (Error::Forbidden(_) | Error::RateLimited)) => {
            let status = e.status();
            Ok((
                status,
                login_view(
                    &shell,
                    &Credentials {
                        password: String::new(),
                        ..c
                    },
                    Some(&e.to_string()),
                ),
            )
                .into_response())
        }
        Err(e) => Err(e),
    }
}

async fn logout_form(
    State(state): State<AppState>,
    jar: CookieJar,
    MaybeViewer(viewer): MaybeViewer,
) -> Result<Response, Error> {
    if let Some(v) = viewer {
        state.store.delete_session(&v.token_hash).await?;
    }
    Ok((jar.add(session::removal_cookie()), Redirect::to("/")).into_response())
}

/// Create an account and a session.
#[utoipa::path(post, path = "/api/v1/signup", tag = "account", request_body = Credentials,
    responses((status = 201, body = SessionToken), (status = 422, body = crate::error::ErrorBody), (status = 429, body = crate::error::ErrorBody)))]
pub async fn signup_api(
    State(state): State<AppState>,
    ClientAddress(addr): ClientAddress,
    ApiJson(c): ApiJson<Credentials>,
) -> Result<(StatusCode, Json<SessionToken>), Error> {
    let (token, expires_at, username) = register(&state, &addr, &c).await?;
    Ok((
        StatusCode::CREATED,
        Json(SessionToken {
            token,
            expires_at,
            username,
        }),
    ))
}

/// Log in: exchange a username and password for a session token.
#[utoipa::path(post, path = "/api/v1/login", tag = "account", request_body = Credentials,
    responses((status = 200, body = SessionToken), (status = 403, body = crate::error::ErrorBody), (status = 429, body = crate::error::ErrorBody)))]
pub async fn login_api(
    State(state): State<AppState>,
    ClientAddress(addr): ClientAddress,
    ApiJson(c): ApiJson<Credentials>,
) -> Result<Json<SessionToken>, Error> {
    let (token, expires_at, username) = authenticate(&state, &addr, &c).await?;
    Ok(Json(SessionToken {
        token,
        expires_at,
        username,
    }))
}

/// End the session used for this request.
#[utoipa::path(post, path = "/api/v1/logout", tag = "account", security(("bearer" = [])),
    responses((status = 204), (status = 401, body = crate::error::ErrorBody)))]
pub async fn logout_api(
    State(state): State<AppState>,
    viewer: Viewer,
) -> Result<StatusCode, Error> {
    state.store.delete_session(&viewer.token_hash).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Who is logged in.
#[utoipa::path(get, path = "/api/v1/me", tag = "account", security(("bearer" = [])),
    responses((status = 200, body = Me), (status = 401, body = crate::error::ErrorBody)))]
pub async fn me_api(viewer: Viewer) -> Json<Me> {
    Json(Me {
        id: viewer.user.id.0,
        username: viewer.user.username,
    })
}
