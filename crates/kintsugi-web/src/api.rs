//! The versioned JSON API under `/api/v1`, and its OpenAPI document.
//!
//! Every feature module exposes its own `api_routes()`; this module joins
//! them and lists every operation in the OpenAPI document, which a test
//! compares with the router's table so neither can drift from the other.

use axum::extract::{FromRequest, Request};
use axum::Json;
use serde::de::DeserializeOwned;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::routing::Routes;
use crate::{
    account, agreement, checkin, coach, commitments, conversation, couple, home, journal, messages,
    ownership, past, reflection, safety, statements, timeline, together, transparency, Error,
};

pub fn routes() -> Routes {
    Routes::new()
        .merge(account::api_routes())
        .merge(couple::api_routes())
        .merge(safety::api_routes())
        .merge(checkin::api_routes())
        .merge(journal::api_routes())
        .merge(reflection::api_routes())
        .merge(conversation::api_routes())
        .merge(statements::api_routes())
        .merge(messages::api_routes())
        .merge(agreement::api_routes())
        .merge(transparency::api_routes())
        .merge(timeline::api_routes())
        .merge(commitments::api_routes())
        .merge(together::api_routes())
        .merge(past::api_routes())
        .merge(coach::api_routes())
        .merge(home::api_routes())
        .merge(ownership::api_routes())
        .get("/openapi.json", || async { Json(ApiDoc::openapi()) })
}

#[derive(OpenApi)]
#[openapi(
    info(title = "Kintsugi API", version = "1", description = "Everything the Kintsugi pages can do, as JSON. Authenticate with `Authorization: Bearer <token>` from /api/v1/login or /api/v1/signup. Errors are `ErrorBody` objects."),
    paths(
        account::signup_api, account::login_api, account::logout_api, account::me_api,
        couple::couple_api, couple::create_api, couple::invite_api, couple::accept_api,
        safety::status_api, safety::answer_api,
        checkin::list_api, checkin::create_api, checkin::one_api,
        journal::list_api, journal::create_api, journal::one_api, journal::update_api, journal::delete_api, journal::feelings_api,
        reflection::reflection_api, reflection::save_api, reflection::share_api,
        conversation::list_api, conversation::propose_api, conversation::one_api, conversation::accept_api,
        conversation::decline_api, conversation::turn_api, conversation::pause_api, conversation::end_api,
        statements::list_api, statements::save_api, statements::send_api, statements::answer_api,
        messages::list_api, messages::send_api,
        agreement::agreement_api, agreement::versions_api, agreement::version_api, agreement::diff_api,
        agreement::proposals_api, agreement::propose_api, agreement::consent_api, agreement::decline_api,
        agreement::counter_api, agreement::withdraw_api,
        transparency::log_api, transparency::record_api, transparency::checkpoint_api, transparency::checkpoint_at_api,
        transparency::inclusion_api, transparency::consistency_api, transparency::bundle_api,
        timeline::timeline_api,
        commitments::list_api, commitments::make_api, commitments::one_api, commitments::change_api,
        commitments::end_api, commitments::mark_api, commitments::witness_api, commitments::consistency_api,
        commitments::calendar_api, commitments::revoke_api,
        together::together_api, together::goal_api, together::step_api, together::tick_api,
        together::ritual_api, together::appreciation_api, together::moment_api,
        past::list_api, past::record_api, past::share_api, past::ready_api, past::not_ready_api, past::carry_api,
        coach::check_api,
        home::program_api,
        ownership::export_api, ownership::delete_api, ownership::leave_api,
    ),
    modifiers(&BearerAuth),
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// `Json`, with its rejections turned into our error type so a malformed
/// body gets the same clear JSON error as every other failure.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = Error;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match Json::<T>::from_request(req, state).await {
            Ok(Json(v)) => Ok(Self(v)),
            Err(rejection) if rejection.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE => {
                Err(Error::TooLarge)
            }
            Err(rejection) => Err(Error::BadRequest(format!(
                "The request body could not be read as the expected JSON: {}",
                rejection.body_text()
            ))),
        }
    }
}
