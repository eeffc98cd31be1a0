//! A couple's shared space: creating it, inviting the partner, joining.
//!
//! [`Space`] is how every other feature learns where a person stands: their
//! couple, their role, and whether the shared features are open. Whether they
//! are open depends on both partners' safety checks, but the reason is never
//! carried out of here: a partner only ever learns "resting", never why.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Form, Json};
use kintsugi_core::couple::Role;
use kintsugi_core::safety::{self, Standing};
use kintsugi_core::{CoupleId, UserId};
use kintsugi_store::{InvitationProblem, Membership};
use maud::{html, Markup};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::ApiJson;
use crate::layout::{form_errors, Shell};
use crate::routing::Routes;
use crate::security::session::{token_hash, MaybeViewer, Viewer};
use crate::state::{now, AppState};
use crate::Error;

pub fn routes() -> Routes {
    Routes::new()
        .get("/couple", couple_page)
        .post("/couple", create_form)
        .post("/couple/invitations", invite_form)
        .get("/join/{token}", join_page)
        .post("/join/{token}", join_form)
}

pub fn api_routes() -> Routes {
    Routes::new()
        .get("/couple", couple_api)
        .post("/couple", create_api)
        .post("/couple/invitations", invite_api)
        .post("/invitations/{token}/accept", accept_api)
}

/// Where a person stands: their safety check, their couple, and whether the
/// couple's shared features are open.
pub struct Space {
    pub me: UserId,
    pub standing: Standing,
    pub membership: Option<Membership>,
    /// Both partners are linked and both safety checks are current and clear.
    pub open: bool,
}

impl Space {
    pub async fn load(state: &AppState, me: UserId) -> Result<Self, Error> {
        let standing = standing_of(state, me).await?;
        let membership = state.store.membership(me).await?;
        let open = match membership.as_ref().and_then(|m| m.partner.as_ref()) {
            // A former partner is no one to protect from or to wait for: the
            // remaining partner keeps reading what the two of them shared.
            Some(partner) if partner.former => safety::shared_space_open(standing, standing),
            Some(partner) => {
                safety::shared_space_open(standing, standing_of(state, partner.id).await?)
            }
            None => false,
        };
        Ok(Self {
            me,
            standing,
            membership,
            open,
        })
    }

    pub fn couple(&self) -> Option<CoupleId> {
        self.membership.as_ref().map(|m| m.couple)
    }

    pub fn has_partner(&self) -> bool {
        self.membership
            .as_ref()
            .is_some_and(|m| m.partner.is_some())
    }

    /// For pages: send a person whose safety check is due to take it first.
    pub fn require_safety_check(&self, return_to: &str) -> Result<(), Redirect> {
        if self.standing == Standing::Due {
            return Err(Redirect::to(&format!(
                "/safety?next={}",
                crate::error::urlencode(return_to)
            )));
        }
        Ok(())
    }

    /// For the API: the same rule, as an error.
    pub fn require_safety_check_api(&self) -> Result<(), Error> {
        if self.standing == Standing::Due {
            return Err(Error::Forbidden(
                "Please take the safety check first (POST /api/v1/safety-check).",
            ));
        }
        Ok(())
    }

    pub fn require_couple(&self) -> Result<&Membership, Error> {
        self.membership.as_ref().ok_or(Error::Forbidden(
            "Create your couple's space, or join your partner's, first.",
        ))
    }
}

async fn standing_of(state: &AppState, user: UserId) -> Result<Standing, Error> {
    let latest = state.store.latest_safety_check(user).await?;
    let now = now();
    Ok(safety::standing(
        latest.map(|(outcome, at)| (outcome, (now - at) / 86_400)),
    ))
}

/// The neutral words a partner sees while the shared space rests.
pub fn resting_notice() -> Markup {
    html! {
        div.notice role="status" {
            p { strong { "Your shared space is resting for now." } }
            p { "This happens from time to time, for example while a safety check is due. Your private tools are here as always, and nothing you keep private is shared." }
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct NewCouple {
    /// `hurt`, `repairing` or `both`: the role of the person creating the space.
    #[serde(default)]
    pub role: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CoupleView {
    pub id: i64,
    /// `hurt`, `repairing` or `both`.
    #[schema(value_type = String, example = "hurt")]
    pub role: Role,
    pub partner: Option<PartnerView>,
    /// Whether the shared features are open. When they are not, no reason is given.
    pub shared_space_open: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PartnerView {
    /// "former partner" once they have left or deleted their account.
    pub username: String,
    /// They left the couple or deleted their account; what they shared stays.
    pub former: bool,
    #[schema(value_type = String, example = "repairing")]
    pub role: Role,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Invitation {
    /// The link to send to the partner; it works once.
    pub url: String,
    pub token: String,
    /// Unix seconds.
    pub expires_at: i64,
}

async fn create(state: &AppState, space: &Space, raw_role: &str) -> Result<CoupleId, Error> {
    if space.membership.is_some() {
        return Err(Error::Conflict("You already have a couple's space.".into()));
    }
    let role = Role::parse(raw_role)?;
    Ok(state.store.create_couple(space.me, role, now()).await?)
}

async fn invite(state: &AppState, space: &Space) -> Result<Invitation, Error> {
    let membership = space.require_couple()?;
    if membership.partner.as_ref().is_some_and(|p| p.former) {
        return Err(Error::Conflict(
            "This space keeps the history you shared with your former partner, so no one new can join it. To begin again with someone, leave this space and start a new one.".into(),
        ));
    }
    if membership.partner.is_some() {
        return Err(Error::Conflict(
            "Your partner has already joined; a couple's space is for two.".into(),
        ));
    }
    let token = crate::security::session::new_token();
    let now = now();
    let expires_at = now + state.config.invitation_days * 86_400;
    state
        .store
        .create_invitation(
            membership.couple,
            space.me,
            &token_hash(&token),
            now,
            expires_at,
        )
        .await?;
    let url = format!(
        "{}/join/{}",
        state.config.public_url.trim_end_matches('/'),
        token
    );
    Ok(Invitation {
        url,
        token,
        expires_at,
    })
}

fn view(space: &Space) -> Option<CoupleView> {
    space.membership.as_ref().map(|m| CoupleView {
        id: m.couple.0,
        role: m.role,
        partner: m.partner.as_ref().map(|p| PartnerView {
            username: p.username.clone(),
            former: p.former,
            role: p.role,
        }),
        shared_space_open: space.open,
    })
}

async fn couple_page(
    State(state): State<AppState>,
    shell: Shell,
    viewer: Viewer,
) -> Result<Response, Error> {
    let space = Space::load(&state, viewer.user.id).await?;
    if let Err(redirect) = space.require_safety_check("/couple") {
        return Ok(redirect.into_response());
    }
    Ok(couple_view(&shell, &space, None, &[]).into_response())
}

fn couple_view(
    shell: &Shell,
    space: &Space,
    invitation: Option<&Invitation>,
    errors: &[kintsugi_core::Invalid],
) -> Markup {
    shell.render("Your couple", html! {
        h1 { "Your couple" }
        @match &space.membership {
            None => {
                p.lead { "Kintsugi is a space for two. Create yours, then invite your partner with a private link." }
                (form_errors(errors))
                form.card method="post" action="/couple" {
                    (shell.csrf_field())
                    fieldset #role {
                        legend { "Which describes you best?" }
                        p.hint { "This only shapes which tools the app offers each of you. You can both be both." }
                        label.choice { input type="radio" name="role" value="hurt" required; " I was hurt, and my partner is repairing the trust" }
                        label.choice { input type="radio" name="role" value="repairing"; " I broke the trust, and I am here to repair it" }
                        label.choice { input type="radio" name="role" value="both"; " We have both hurt each other" }
                    }
                    button type="submit" { "Create our space" }
                }
            }
            Some(m) => {
                p { "You are " strong { (m.role.describe()) } "." }
                @match &m.partner {
                    Some(p) if p.former => {
                        p { "Your " strong { "former partner" } " has left this space. What the two of you shared stays here for you to read, under that name; what they kept private is gone." }
                        p { "If you would rather start again, you can " a href="/couple/leave" { "leave this space too" } "; once you have both gone, everything in it is erased." }
                    }
                    Some(p) => {
                        p { "Your partner, " strong { (p.username) } ", is " (p.role.describe()) "." }
                        @if !space.open { (resting_notice()) }
                    }
                    None => {
                        @if let Some(inv) = invitation {
                            div.card.invitation {
                                h2 { "Your invitation link" }
                                p { "Send this link to your partner in a way that feels private to you. It works once, and expires in " (shell_days(inv.expires_at)) " days." }
                                p { input.copy readonly value=(inv.url) aria-label="Invitation link"; }
                                p.hint { "For your privacy, Kintsugi shows the link only now. If it is lost, make a new one; older links stay valid until used or expired." }
                            }
                        } @else {
                            p { "Your partner has not joined yet." }
                        }
                        form method="post" action="/couple/invitations" {
                            (shell.csrf_field())
                            button type="submit" { @if invitation.is_some() { "Make another link" } @else { "Make an invitation link" } }
                        }
                    }
                }
            }
        }
        @if space.membership.is_some() {
            p.hint { "You can " a href="/couple/leave" { "leave this space" } " at any time, quietly; " a href="/account/export" { "your data" } " shows how." }
        }
    })
}

fn shell_days(expires_at: i64) -> i64 {
    ((expires_at - now()) + 86_399) / 86_400
}

async fn create_form(
    State(state): State<AppState>,
    shell: Shell,
    viewer: Viewer,
    Form(body): Form<NewCouple>,
) -> Result<Response, Error> {
    let space = Space::load(&state, viewer.user.id).await?;
    if let Err(redirect) = space.require_safety_check("/couple") {
        return Ok(redirect.into_response());
    }
    match create(&state, &space, &body.role).await {
        Ok(_) => Ok(Redirect::to("/couple").into_response()),
        Err(Error::Invalid(errors)) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            couple_view(&shell, &space, None, &errors),
        )
            .into_response()),
        Err(e) => Err(e),
    }
}

async fn invite_form(
    State(state): State<AppState>,
    shell: Shell,
    viewer: Viewer,
) -> Result<Response, Error> {
    let space = Space::load(&state, viewer.user.id).await?;
    let invitation = invite(&state, &space).await?;
    Ok(couple_view(&shell, &space, Some(&invitation), &[]).into_response())
}

async fn join_page(
    State(state): State<AppState>,
    shell: Shell,
    MaybeViewer(viewer): MaybeViewer,
    Path(token): Path<String>,
) -> Result<Response, Error> {
    let here = format!("/join/{token}");
    let hash = token_hash(&token);
    let Some(viewer) = viewer else {
        let status = state.store.check_invitation(&hash, None, now()).await?;
        let next = crate::error::urlencode(&here);
        return Ok(shell.render("An invitation", html! {
            h1 { "You have been invited to Kintsugi" }
            @match status {
                Err(problem) => { div.errors role="alert" { p { (problem.explain()) } } }
                Ok(_) => {
                    p.lead { "Your partner would like to rebuild trust with you here. Kintsugi is a private space for the two of you: a daily check-in, a coach for gentle words, and tools for the harder conversations." }
                    p { "You decide what you share. Anything you mark private stays yours alone." }
                    p.actions {
                        a.button href={ "/signup?next=" (next) } { "Create my account" }
                        " " a href={ "/login?next=" (next) } { "I already have an account" }
                    }
                }
            }
        }).into_response());
    };
    let space = Space::load(&state, viewer.user.id).await?;
    // Screened before the couple is linked. Whatever the answer, joining stays
    // possible: refusing it would itself tell the partner something.
    if let Err(redirect) = space.require_safety_check(&here) {
        return Ok(redirect.into_response());
    }
    let status = state
        .store
        .check_invitation(&hash, Some(viewer.user.id), now())
        .await?;
    Ok(join_view(&shell, &token, status.err()).into_response())
}

fn join_view(shell: &Shell, token: &str, problem: Option<InvitationProblem>) -> Markup {
    shell.render("Join your partner", html! {
        h1 { "Join your partner's space" }
        @match problem {
            Some(problem) => { div.errors role="alert" { p { (problem.explain()) } } p { a href="/" { "Go to your home page" } } }
            None => {
                p.lead { "When you join, you will share a space with your partner. What you write stays private unless you choose to share it." }
                form method="post" action={ "/join/" (token) } {
                    (shell.csrf_field())
                    button type="submit" { "Join" }
                }
            }
        }
    })
}

async fn join_form(
    State(state): State<AppState>,
    shell: Shell,
    viewer: Viewer,
    Path(token): Path<String>,
) -> Result<Response, Error> {
    let space = Space::load(&state, viewer.user.id).await?;
    if let Err(redirect) = space.require_safety_check(&format!("/join/{token}")) {
        return Ok(redirect.into_response());
    }
    match state
        .store
        .accept_invitation(&token_hash(&token), viewer.user.id, now())
        .await?
    {
        Ok(_) => Ok(Redirect::to("/").into_response()),
        Err(problem) => Ok((
            StatusCode::CONFLICT,
            join_view(&shell, &token, Some(problem)),
        )
            .into_response()),
    }
}

/// The couple the caller belongs to, if any.
#[utoipa::path(get, path = "/api/v1/couple", tag = "couple", security(("bearer" = [])),
    responses((status = 200, body = Option<CoupleView>), (status = 401, body = crate::error::ErrorBody)))]
pub async fn couple_api(
    State(state): State<AppState>,
    viewer: Viewer,
) -> Result<Json<Option<CoupleView>>, Error> {
    let space = Space::load(&state, viewer.user.id).await?;
    Ok(Json(view(&space)))
}

/// Create the couple's space, with the caller's role.
#[utoipa::path(post, path = "/api/v1/couple", tag = "couple", request_body = NewCouple, security(("bearer" = [])),
    responses((status = 201, body = CoupleView), (status = 403, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn create_api(
    State(state): State<AppState>,
    viewer: Viewer,
    ApiJson(body): ApiJson<NewCouple>,
) -> Result<(StatusCode, Json<Option<CoupleView>>), Error> {
    let space = Space::load(&state, viewer.user.id).await?;
    space.require_safety_check_api()?;
    create(&state, &space, &body.role).await?;
    let space = Space::load(&state, viewer.user.id).await?;
    Ok((StatusCode::CREATED, Json(view(&space))))
}

/// Make a single-use invitation link for the partner.
#[utoipa::path(post, path = "/api/v1/couple/invitations", tag = "couple", security(("bearer" = [])),
    responses((status = 201, body = Invitation), (status = 403, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn invite_api(
    State(state): State<AppState>,
    viewer: Viewer,
) -> Result<(StatusCode, Json<Invitation>), Error> {
    let space = Space::load(&state, viewer.user.id).await?;
    Ok((StatusCode::CREATED, Json(invite(&state, &space).await?)))
}

/// Join the couple an invitation is for.
#[utoipa::path(post, path = "/api/v1/invitations/{token}/accept", tag = "couple", security(("bearer" = [])),
    params(("token" = String, Path, description = "The token from the invitation link")),
    responses((status = 200, body = CoupleView), (status = 403, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn accept_api(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(token): Path<String>,
) -> Result<Json<Option<CoupleView>>, Error> {
    let space = Space::load(&state, viewer.user.id).await?;
    space.require_safety_check_api()?;
    match state
        .store
        .accept_invitation(&token_hash(&token), viewer.user.id, now())
        .await?
    {
        Ok(_) => Ok(Json(view(&Space::load(&state, viewer.user.id).await?))),
        Err(InvitationProblem::Unknown) => Err(Error::NotFound),
        Err(problem) => Err(Error::Conflict(problem.explain().into())),
    }
}
