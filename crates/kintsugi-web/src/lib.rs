//! Kintsugi's web edge: server-rendered pages, the JSON API, and the
//! security around both.
//!
//! Each feature is one module holding its pages, its API handlers and the
//! request and response types they share (`checkin`, `couple`, `safety`…).
//! Handlers read the request, ask the domain (`kintsugi_core`) to parse it,
//! call the store, and render; there is no SQL here and no HTTP in the core.

mod account;
mod agreement;
mod api;
mod assets;
mod chart;
mod checkin;
mod coach;
mod commitments;
pub mod config;
mod conversation;
mod couple;
mod error;
mod home;
mod journal;
mod layout;
mod messages;
mod ownership;
mod past;
mod reflection;
mod routing;
mod safety;
mod security;
mod state;
mod statements;
mod timeline;
mod together;
mod transparency;

use std::net::SocketAddr;

use axum::Router;

pub use config::Config;
pub use error::Error;
pub use routing::Endpoint;
use routing::Routes;
pub use state::AppState;

/// Builds the whole application: every page, the API, and the layers that
/// protect them. `main` and the tests both start the server through here.
pub fn app(state: AppState) -> Router {
    let (router, _) = routes().into_parts();
    let app = router
        .fallback(|| async { Error::NotFound })
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            security::csrf::issue_cookie,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            error::render,
        ));
    security::headers::wrap(app, state.config.body_limit).with_state(state)
}

/// Every method and path the application serves, for the checks that must
/// cover all of them (the OpenAPI document, the privacy matrix).
pub fn endpoints() -> Vec<Endpoint> {
    routes().into_parts().1
}

fn routes() -> Routes {
    Routes::new()
        .merge(home::routes())
        .merge(account::routes())
        .merge(couple::routes())
        .merge(safety::routes())
        .merge(checkin::routes())
        .merge(journal::routes())
        .merge(reflection::routes())
        .merge(conversation::routes())
        .merge(statements::routes())
        .merge(messages::routes())
        .merge(agreement::routes())
        .merge(transparency::routes())
        .merge(timeline::routes())
        .merge(commitments::routes())
        .merge(together::routes())
        .merge(past::routes())
        .merge(coach::routes())
        .merge(ownership::routes())
        .nest("/api/v1", api::routes())
        .merge(assets::routes())
}

/// Serves until the process is asked to stop, finishing requests in flight.
pub async fn serve(config: Config) -> anyhow::Result<()> {
    let state = AppState::open(config).await?;
    let listener = tokio::net::TcpListener::bind(state.config.listen).await?;
    tracing::info!(address = %listener.local_addr()?, public_url = %state.config.public_url, "Kintsugi is serving");
    println!("Kintsugi is ready at {}", state.config.public_url);
    state.spawn_housekeeping();
    let stopping = state.stopping.clone();
    axum::serve(
        listener,
        app(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(async move {
        shutdown_signal().await;
        stopping.send_replace(true);
    })
    .await?;
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    tracing::info!("shutting down; finishing requests in flight");
}
