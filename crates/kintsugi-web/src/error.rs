//! One error type for the web layer.
//!
//! Handlers return `Result<_, Error>` and use `?`. An error becomes a
//! response in one place, [`render`], which knows whether the request came
//! from a page or from the API: a page gets a calm HTML page, the API gets
//! JSON. Messages never name another person's records, so an error cannot
//! leak what a viewer may not see; the details go to the log only.

use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Json;
use kintsugi_core::Invalid;
use kintsugi_store::StoreError;
use serde::Serialize;

use crate::state::AppState;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("Please log in first.")]
    Unauthenticated,
    #[error("This page does not exist, or it is not yours to see.")]
    NotFound,
    #[error("{0}")]
    Forbidden(&'static str),
    #[error("This form has expired or did not come from Kintsugi. Nothing was saved: please go back, reload the page and try again.")]
    Csrf,
    #[error("{0}")]
    BadRequest(String),
    #[error("That is more text than Kintsugi accepts at once, so nothing was saved. Please shorten it and try again.")]
    TooLarge,
    #[error("Some of what you entered needs another look.")]
    Invalid(Vec<Invalid>),
    #[error("{0}")]
    Conflict(String),
    #[error("Too many attempts. Please wait a minute and try again.")]
    RateLimited,
    #[error("Kintsugi cannot reach its database right now, so nothing was saved. Please try again in a moment.")]
    Unavailable,
    #[error("Something went wrong on our side, and nothing was saved. Please try again.")]
    Internal(#[source] anyhow::Error),
}

impl From<StoreError> for Error {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Unavailable(source) => {
                tracing::error!(error = %source, "database unavailable");
                Self::Unavailable
            }
            StoreError::Conflict => Self::Conflict("That already exists.".into()),
            other => Self::Internal(other.into()),
        }
    }
}

impl From<Invalid> for Error {
    fn from(e: Invalid) -> Self {
        Self::Invalid(vec![e])
    }
}

impl Error {
    pub fn status(&self) -> StatusCode {
        match self {
            Self::Unauthenticated => StatusCode::UNAUTHORIZED,
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::Forbidden(_) | Self::Csrf => StatusCode::FORBIDDEN,
            Self::BadRequest(_) => StatusCode::BAD_REQUEST,
            Self::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Self::Conflict(_) => StatusCode::CONFLICT,
            Self::RateLimited => StatusCode::TOO_MANY_REQUESTS,
            Self::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

/// The body of every API error, and what an error page shows.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// A stable, machine-readable code such as `not_found` or `invalid`.
    pub error: &'static str,
    /// A sentence a person can act on.
    pub message: String,
    /// For `invalid`: what is wrong with which field.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldError>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct FieldError {
    pub field: &'static str,
    pub message: String,
}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        if let Self::Internal(e) = &self {
            tracing::error!(error = ?e, "request failed");
        }
        let code = match &self {
            Self::Unauthenticated => "unauthenticated",
            Self::NotFound => "not_found",
            Self::Forbidden(_) => "forbidden",
            Self::Csrf => "csrf",
            Self::BadRequest(_) => "bad_request",
            Self::TooLarge => "too_large",
            Self::Invalid(_) => "invalid",
            Self::Conflict(_) => "conflict",
            Self::RateLimited => "rate_limited",
            Self::Unavailable => "unavailable",
            Self::Internal(_) => "internal",
        };
        let fields = match &self {
            Self::Invalid(errors) => errors
                .iter()
                .map(|e| FieldError {
                    field: e.field,
                    message: e.message.clone(),
                })
                .collect(),
            _ => Vec::new(),
        };
        let body = ErrorBody {
            error: code,
            message: self.to_string(),
            fields,
        };
        let mut response = self.status().into_response();
        response.extensions_mut().insert(body);
        response
    }
}

/// Turns every error response into the form its caller reads: JSON under
/// `/api/`, a page elsewhere. It also dresses the bare errors that come from
/// the framework and its layers (an oversized body, an unknown method).
pub async fn render(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let is_api = request.uri().path().starts_with("/api/");
    let path_and_query = request
        .uri()
        .path_and_query()
        .map(|p| p.to_string())
        .unwrap_or_default();
    let response = next.run(request).await;
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let body = match response.extensions().get::<ErrorBody>() {
        Some(body) => body.clone(),
        // A response that already has a body of its own (none today) is left alone.
        None if response.headers().contains_key(header::CONTENT_TYPE)
            && !is_framework_text(&response) =>
        {
            return response
        }
        None => framework_error(status),
    };
    if is_api {
        let mut out = (status, Json(&body)).into_response();
        if status == StatusCode::UNAUTHORIZED {
            out.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                header::HeaderValue::from_static("Bearer"),
            );
        }
        return out;
    }
    if status == StatusCode::UNAUTHORIZED {
        let next = urlencode(&path_and_query);
        return Redirect::to(&format!("/login?next={next}")).into_response();
    }
    (
        status,
        crate::layout::error_page(status, &body, &state.config.exit_url),
    )
        .into_response()
}

/// Axum's own rejections come as plain text; we replace them with our words.
fn is_framework_text(response: &Response) -> bool {
    response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/plain"))
}

fn framework_error(status: StatusCode) -> ErrorBody {
    let (error, message) = match status {
        StatusCode::PAYLOAD_TOO_LARGE => ("too_large", "That is more text than Kintsugi accepts at once, so nothing was saved. Please shorten it and try again."),
        StatusCode::METHOD_NOT_ALLOWED => ("method_not_allowed", "That action is not possible here."),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => ("unsupported_media_type", "Send this as a form or as JSON with the matching Content-Type."),
        StatusCode::NOT_FOUND => ("not_found", "This page does not exist, or it is not yours to see."),
        StatusCode::REQUEST_TIMEOUT => ("timeout", "That took too long and was stopped; nothing was saved."),
        s if s.is_client_error() => ("bad_request", "Kintsugi could not read that request. Nothing was saved."),
        _ => ("internal", "Something went wrong on our side, and nothing was saved. Please try again."),
    };
    ErrorBody {
        error,
        message: message.to_owned(),
        fields: Vec::new(),
    }
}

/// Percent-encodes a path for a `next=` parameter.
pub fn urlencode(s: &str) -> String {
    serde_urlencoded::to_string([("", s)])
        .map(|q| q[1..].to_owned())
        .unwrap_or_default()
}
