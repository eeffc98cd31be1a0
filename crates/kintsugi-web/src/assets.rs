//! Static files, compiled into the binary so one file is the whole app.

use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;

use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/assets/kintsugi.css",
            get(|| async {
                (
                    [(header::CONTENT_TYPE, "text/css; charset=utf-8")],
                    include_str!("../assets/kintsugi.css"),
                )
                    .into_response()
            }),
        )
        .route(
            "/assets/kintsugi.js",
            get(|| async {
                (
                    [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
                    include_str!("../assets/kintsugi.js"),
                )
                    .into_response()
            }),
        )
        .route(
            "/assets/favicon.svg",
            get(|| async {
                (
                    [(header::CONTENT_TYPE, "image/svg+xml")],
                    include_str!("../assets/favicon.svg"),
                )
                    .into_response()
            }),
        )
}
