//! Sessions: who is asking.
//!
//! A session is a random 256-bit token. The browser holds it in an
//! HttpOnly, SameSite=Lax cookie (Secure over HTTPS); an API client sends it
//! as `Authorization: Bearer`. The database keeps only its SHA-256, so a
//! copy of the database does not hold live sessions. Logging in always makes
//! a new token, which rules out session fixation.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use base64::Engine as _;
use kintsugi_store::User;
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::state::{now, AppState};
use crate::Error;

pub const COOKIE: &str = "kintsugi_session";

/// A new random token, URL-safe.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// What is stored in place of a token.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Starts a session for `user`; returns the token to hand to the client.
pub async fn start(state: &AppState, user: kintsugi_core::UserId) -> Result<(String, i64), Error> {
    let token = new_token();
    let now = now();
    let expires_at = now + state.config.session_hours * 3600;
    state
        .store
        .create_session(&token_hash(&token), user, now, expires_at)
        .await?;
    Ok((token, expires_at))
}

pub fn cookie(state: &AppState, token: String) -> Cookie<'static> {
    Cookie::build((COOKIE, token))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(state.config.secure_cookies())
        .max_age(time::Duration::hours(state.config.session_hours))
        .build()
}

/// The cookie jar after logging in: the new session's cookie, and any
/// session this browser held before ended in the database. A token from
/// before a log-in is never valid after it, whoever planted or kept it.
pub async fn replace(state: &AppState, jar: CookieJar, token: String) -> Result<CookieJar, Error> {
    if let Some(old) = jar.get(COOKIE).map(|c| c.value().to_owned()) {
        if !old.is_empty() && old.len() <= 128 {
            state.store.delete_session(&token_hash(&old)).await?;
        }
    }
    Ok(jar.add(cookie(state, token)))
}

pub fn removal_cookie() -> Cookie<'static> {
    Cookie::build((COOKIE, ""))
        .path("/")
        .max_age(time::Duration::ZERO)
        .build()
}

/// The person making the request, with the session they used.
#[derive(Debug, Clone)]
pub struct Viewer {
    pub user: User,
    pub token_hash: String,
}

/// The token a request carries: the bearer header wins, so an API client
/// never rides on a browser's cookie.
fn presented_token(headers: &HeaderMap) -> Option<String> {
    if let Some(auth) = headers.get(header::AUTHORIZATION) {
        return auth
            .to_str()
            .ok()?
            .strip_prefix("Bearer ")
            .map(|t| t.trim().to_owned());
    }
    CookieJar::from_headers(headers)
        .get(COOKIE)
        .map(|c| c.value().to_owned())
}

async fn lookup(parts: &Parts, state: &AppState) -> Result<Option<Viewer>, Error> {
    let Some(token) = presented_token(&parts.headers) else {
        return Ok(None);
    };
    // Tokens are 43 characters; anything far longer is not worth hashing.
    if token.is_empty() || token.len() > 128 {
        return Ok(None);
    }
    let hash = token_hash(&token);
    Ok(state
        .store
        .session_user(&hash, now())
        .await?
        .map(|user| Viewer {
            user,
            token_hash: hash,
        }))
}

impl FromRequestParts<AppState> for Viewer {
    type Rejection = Error;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        if let Some(v) = parts.extensions.get::<Viewer>() {
            return Ok(v.clone());
        }
        let viewer = lookup(parts, state).await?.ok_or(Error::Unauthenticated)?;
        parts.extensions.insert(viewer.clone());
        Ok(viewer)
    }
}

/// A viewer who may or may not be logged in.
pub struct MaybeViewer(pub Option<Viewer>);

impl FromRequestParts<AppState> for MaybeViewer {
    type Rejection = Error;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        match Viewer::from_request_parts(parts, state).await {
            Ok(v) => Ok(Self(Some(v))),
            Err(Error::Unauthenticated) => Ok(Self(None)),
            Err(e) => Err(e),
        }
    }
}

/// The client's address, for rate limits. Behind a reverse proxy every
/// request comes from the proxy; limits per account still apply.
pub struct ClientAddress(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let addr = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip().to_string());
        Ok(Self(addr.unwrap_or_else(|| "unknown".into())))
    }
}
