//! Static files, compiled into the binary so one file is the whole app.

use crate::routing::Routes;
use axum::http::header;
use axum::response::IntoResponse;

pub fn routes() -> Routes {
    Routes::new()
        .get("/assets/kintsugi.css", || async {
            (
                [(header::CONTENT_TYPE, "text/css; charset=utf-8")],
                include_str!("../assets/kintsugi.css"),
            )
                .into_response()
        })
        .get("/assets/kintsugi.js", || async {
            (
                [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
                include_str!("../assets/kintsugi.js"),
            )
                .into_response()
        })
        .get("/assets/coach.js", || async {
            (
                [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
                include_str!("../assets/coach.js"),
            )
                .into_response()
        })
        .get("/assets/talk.js", || async {
            (
                [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
                include_str!("../assets/talk.js"),
            )
                .into_response()
        })
        .get("/assets/transparency.js", || async {
            (
                [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
                include_str!("../assets/transparency.js"),
            )
                .into_response()
        })
        .get("/assets/favicon.svg", || async {
            (
                [(header::CONTENT_TYPE, "image/svg+xml")],
                include_str!("../assets/favicon.svg"),
            )
                .into_response()
        })
}
