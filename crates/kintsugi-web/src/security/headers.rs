//! Response headers that keep pages private and scripts our own, plus the
//! outer layers every request passes through.

use std::time::Duration;

use axum::extract::{DefaultBodyLimit, Request};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use axum::Router;
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

/// No inline script or style anywhere: a strict policy is possible because
/// every script and stylesheet is a file of ours.
pub const CONTENT_SECURITY_POLICY: &str =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
     connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// Wraps the application in the layers every request passes through,
/// outermost first: tracing, panic recovery, a time limit, a body limit for
/// every extractor, and
/// the security headers.
pub fn wrap<S: Clone + Send + Sync + 'static>(app: Router<S>, body_limit: usize) -> Router<S> {
    app.layer(
        ServiceBuilder::new()
            .layer(TraceLayer::new_for_http())
            .layer(CatchPanicLayer::new())
            .layer(TimeoutLayer::with_status_code(
                StatusCode::REQUEST_TIMEOUT,
                Duration::from_secs(30),
            ))
            .layer(DefaultBodyLimit::max(body_limit))
            .layer(axum::middleware::from_fn(apply)),
    )
}

async fn apply(request: Request, next: Next) -> Response {
    {
        let is_asset = request.uri().path().starts_with("/assets/");
        let mut response = next.run(request).await;
        let h = response.headers_mut();
        let mut set = |name: header::HeaderName, value: &'static str| {
            h.entry(name).or_insert(HeaderValue::from_static(value));
        };
        set(header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY);
        set(header::X_CONTENT_TYPE_OPTIONS, "nosniff");
        set(header::X_FRAME_OPTIONS, "DENY");
        // Invitation tokens travel in URLs, and the quick exit must not tell
        // the neutral site where the person came from.
        set(header::REFERRER_POLICY, "no-referrer");
        set(
            header::HeaderName::from_static("cross-origin-opener-policy"),
            "same-origin",
        );
        set(
            header::HeaderName::from_static("permissions-policy"),
            "geolocation=(), camera=(), microphone=(), interest-cohort=()",
        );
        // A shared or monitored device should not keep copies of private pages.
        set(
            header::CACHE_CONTROL,
            if is_asset {
                "public, max-age=3600"
            } else {
                "no-store"
            },
        );
        response
    }
}
