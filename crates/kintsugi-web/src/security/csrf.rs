//! Cross-site request forgery protection, for every state-changing request.
//!
//! Each browser gets a random `kintsugi_csrf` cookie; the token a form must
//! carry is an HMAC of it under the server's secret (OWASP's "signed double
//! submit cookie"). The check is a middleware over the whole router rather
//! than a per-handler extractor, so a new route cannot forget it.
//!
//! Exempt are requests that carry no ambient credentials: those with
//! `Authorization: Bearer`, and API calls (under `/api/`) without a session
//! cookie — the API never sets cookies, so there is no session to forge or
//! to plant. Everything else — forms (logging in included), and API calls
//! sent with the session cookie by the page's own scripts — must carry the
//! token, as a `csrf` form field or an `X-CSRF-Token` header.
//!
//! Form bodies are read here anyway, so this is also where text that is not
//! valid UTF-8 is turned away with a clear message, instead of being quietly
//! replaced by the form decoder.

use axum::body::{to_bytes, Body};
use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{header, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;

use crate::state::AppState;
use crate::Error;

const COOKIE: &str = "kintsugi_csrf";
pub const FIELD: &str = "csrf";
pub const HEADER: &str = "x-csrf-token";

/// The token this request's forms must carry.
#[derive(Debug, Clone)]
pub struct CsrfToken(pub String);

impl<S: Send + Sync> FromRequestParts<S> for CsrfToken {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<CsrfToken>()
            .cloned()
            .ok_or_else(|| Error::Internal(anyhow::anyhow!("CSRF layer missing")))
    }
}

fn sign(secret: &[u8; 32], cookie: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes any key length");
    mac.update(b"kintsugi csrf v1:");
    mac.update(cookie.as_bytes());
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
}

pub async fn issue_cookie(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let jar = CookieJar::from_headers(request.headers());
    let (seed, fresh) = match jar
        .get(COOKIE)
        .map(|c| c.value().to_owned())
        .filter(|v| (20..=64).contains(&v.len()))
    {
        Some(v) => (v, false),
        None => (crate::security::session::new_token(), true),
    };
    let token = sign(&state.secret, &seed);

    let request = match check(request, &token, state.config.body_limit).await {
        Ok(r) => r,
        Err(e) => return e.into_response(),
    };
    let mut request = request;
    request.extensions_mut().insert(CsrfToken(token));
    let mut response = next.run(request).await;
    if fresh {
        let cookie = Cookie::build((COOKIE, seed))
            .path("/")
            .http_only(true)
            .same_site(SameSite::Lax)
            .secure(state.config.secure_cookies())
            .build();
        if let Ok(v) = cookie.to_string().parse() {
            response.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    response
}

async fn check(request: Request, expected: &str, limit: usize) -> Result<Request, Error> {
    if matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    ) {
        return Ok(request);
    }
    let headers = request.headers();
    if headers.contains_key(header::AUTHORIZATION) {
        return Ok(request);
    }
    if request.uri().path().starts_with("/api/") && !has_session_cookie(headers) {
        return Ok(request);
    }
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    if let Some(sent) = headers.get(HEADER).and_then(|v| v.to_str().ok()) {
        return if equal(sent, expected) {
            Ok(request)
        } else {
            Err(Error::Csrf)
        };
    }
    if !content_type.starts_with("application/x-www-form-urlencoded") {
        return Err(Error::Csrf);
    }
    let (parts, body) = request.into_parts();
    let bytes = to_bytes(body, limit).await.map_err(|_| Error::TooLarge)?;
    let mut sent = None;
    for (key, value) in decode_form(&bytes)? {
        if key == FIELD {
            sent = Some(value);
        }
    }
    match sent {
        Some(sent) if equal(&sent, expected) => Ok(Request::from_parts(parts, Body::from(bytes))),
        _ => Err(Error::Csrf),
    }
}

/// Decodes a form body, refusing text that is not valid UTF-8.
pub fn decode_form(bytes: &[u8]) -> Result<Vec<(String, String)>, Error> {
    let invalid = || {
        Error::BadRequest("The form held text that is not valid UTF-8, so nothing was saved. Please retype it and send it again.".into())
    };
    bytes
        .split(|b| *b == b'&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (k, v) = match pair.iter().position(|b| *b == b'=') {
                Some(i) => (&pair[..i], &pair[i + 1..]),
                None => (pair, &pair[..0]),
            };
            let decode = |raw: &[u8]| -> Result<String, Error> {
                let plus_as_space: Vec<u8> = raw
                    .iter()
                    .map(|b| if *b == b'+' { b' ' } else { *b })
                    .collect();
                percent_encoding::percent_decode(&plus_as_space)
                    .decode_utf8()
                    .map(|s| s.into_owned())
                    .map_err(|_| invalid())
            };
            Ok((decode(k)?, decode(v)?))
        })
        .collect()
}

fn has_session_cookie(headers: &axum::http::HeaderMap) -> bool {
    CookieJar::from_headers(headers)
        .get(crate::security::session::COOKIE)
        .is_some_and(|c| !c.value().is_empty())
}

fn equal(a: &str, b: &str) -> bool {
    a.as_bytes().ct_eq(b.as_bytes()).into()
}
