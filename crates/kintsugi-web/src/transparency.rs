//! Stage 9, transparency: the repairing partner's disclosures, kept in a
//! log no one can rewrite in secret — not even the server's operator.
//!
//! The page shows the log and a form; `assets/transparency.js` checks in the
//! partner's browser that the log only ever grows. The API serves what any
//! verifier needs: the signed checkpoints, inclusion and consistency proofs,
//! and the whole log for `kintsugi verify-log`.

use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Form, Json};
use kintsugi_core::transparency::{
    encode_hash, tlog, verify_bundle, Bundle, BundleEntry, Category, DisclosureDraft,
    BUNDLE_FORMAT, TEXT_MAX_CHARS,
};
use kintsugi_core::{CoupleId, Invalid};
use kintsugi_store::{LoggedDisclosure, StoredCheckpoint};
use maud::{html, Markup};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::api::ApiJson;
use crate::couple::{resting_notice, Space};
use crate::layout::{field_error, form_errors, paragraphs, Shell};
use crate::routing::Routes;
use crate::security::session::Viewer;
use crate::state::{now, AppState};
use crate::Error;

pub fn routes() -> Routes {
    Routes::new()
        .get("/transparency", log_page)
        .post("/transparency", record_form)
}

pub fn api_routes() -> Routes {
    Routes::new()
        .get("/transparency", log_api)
        .post("/transparency", record_api)
        .get("/transparency/checkpoint", checkpoint_api)
        .get("/transparency/checkpoints/{size}", checkpoint_at_api)
        .get("/transparency/proofs/inclusion", inclusion_api)
        .get("/transparency/proofs/consistency", consistency_api)
        .get("/transparency/bundle", bundle_api)
}

/// The log's name in its checkpoints: the server's key name and the couple.
fn origin(state: &AppState, couple: CoupleId) -> String {
    format!("{}/couple/{}", state.log_key.name(), couple.0)
}

/// Who may read the log: both partners, once their shared space is open.
fn readable(space: &Space) -> Result<CoupleId, Error> {
    space.require_safety_check_api()?;
    let couple = space.require_couple()?.couple;
    if !space.open {
        return Err(Error::Forbidden(
            "Your shared space is resting for now, so the log waits too.",
        ));
    }
    Ok(couple)
}

/// Who may write to it: the partner who is repairing (either, when both are).
fn writable(space: &Space) -> Result<CoupleId, Error> {
    let couple = readable(space)?;
    if !space.require_couple()?.role.is_repairing() {
        return Err(Error::Forbidden(
            "Disclosures are recorded by the partner who is repairing trust.",
        ));
    }
    Ok(couple)
}

/// The latest signed checkpoint. An empty log has none stored: its
/// checkpoint is signed on request (it is always the same tree).
async fn latest(state: &AppState, couple: CoupleId) -> Result<StoredCheckpoint, Error> {
    Ok(match state.store.latest_checkpoint(couple).await? {
        Some(c) => c,
        None => StoredCheckpoint {
            size: 0,
            note: state
                .log_key
                .sign(&origin(state, couple), 0, tlog::EMPTY_HASH),
            created_at: 0,
        },
    })
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct NewDisclosure {
    /// `whereabouts`, `contact`, `routine` or `other`.
    #[serde(default)]
    pub category: String,
    /// When it happened: `YYYY-MM-DDTHH:MM`.
    #[serde(default)]
    pub occurred_at: String,
    #[serde(default)]
    pub text: String,
    /// The position of an earlier entry this one corrects (a number, or empty).
    #[serde(default, deserialize_with = "number_or_text")]
    #[schema(value_type = Option<u64>)]
    pub corrects: String,
}

/// Forms send the correction as text, JSON as a number: take either.
fn number_or_text<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(match serde_json::Value::deserialize(d)? {
        serde_json::Value::Null => String::new(),
        serde_json::Value::String(s) => s,
        other => other.to_string(),
    })
}

async fn record(
    state: &AppState,
    space: &Space,
    form: &NewDisclosure,
) -> Result<StoredCheckpoint, Error> {
    let couple = writable(space)?;
    let size = state.store.log_size(couple).await?;
    let draft = DisclosureDraft::parse(
        &form.category,
        &form.occurred_at,
        &form.text,
        &form.corrects,
        size,
    )
    .map_err(Error::Invalid)?;
    let mut salt = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut salt);
    let disclosure = draft.seal(salt);
    let origin = origin(state, couple);
    let key = state.log_key.clone();
    Ok(state
        .store
        .append_disclosure(couple, space.me, &disclosure, now(), |size, root| {
            key.sign(&origin, size, root)
        })
        .await?)
}

async fn log_page(
    State(state): State<AppState>,
    shell: Shell,
    viewer: Viewer,
) -> Result<Response, Error> {
    let space = Space::load(&state, viewer.user.id).await?;
    if let Err(redirect) = space.require_safety_check("/transparency") {
        return Ok(redirect.into_response());
    }
    page(&state, &shell, &space, &NewDisclosure::default(), &[])
        .await
        .map(IntoResponse::into_response)
}

async fn record_form(
    State(state): State<AppState>,
    shell: Shell,
    viewer: Viewer,
    Form(form): Form<NewDisclosure>,
) -> Result<Response, Error> {
    let space = Space::load(&state, viewer.user.id).await?;
    match record(&state, &space, &form).await {
        Ok(c) => Ok(Redirect::to(&format!("/transparency#entry-{}", c.size - 1)).into_response()),
        Err(Error::Invalid(errors)) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            page(&state, &shell, &space, &form, &errors).await?,
        )
            .into_response()),
        Err(e) => Err(e),
    }
}

async fn page(
    state: &AppState,
    shell: &Shell,
    space: &Space,
    form: &NewDisclosure,
    errors: &[Invalid],
) -> Result<Markup, Error> {
    const TITLE: &str = "Transparency";
    let Some(membership) = &space.membership else {
        return Ok(shell.render(TITLE, html! {
            h1 { (TITLE) }
            p { "The transparency log belongs to a couple's space. " a href="/couple" { "Create yours, or join your partner's" } " first." }
        }));
    };
    if !space.open {
        return Ok(shell.render(
            TITLE,
            html! {
                h1 { (TITLE) }
                @if space.has_partner() { (resting_notice()) }
                @else { p { "The log opens once your partner has joined." } }
            },
        ));
    }
    let couple = membership.couple;
    let entries = state.store.disclosures(couple).await?;
    let checkpoint = latest(state, couple).await?;
    let intact = self_check(state, couple, &entries, &checkpoint).await?;
    let repairing = membership.role.is_repairing();
    let partner_name = membership
        .partner
        .as_ref()
        .map(|p| p.username.as_str())
        .unwrap_or("your partner");
    let origin = origin(state, couple);
    Ok(shell.render(TITLE, html! {
        h1 { (TITLE) }
        p.lead {
            @if repairing {
                "Here you can make known what " (partner_name) " would want to know — where you were, who you were in touch with, what changed in your routine — before they have to ask. Nothing written here can be taken back or quietly changed: a correction is a new entry that points to the old one."
            } @else {
                "Here " (partner_name) " makes known what you would want to know, before you have to ask. Nothing written here can be taken back or quietly changed, and your browser checks that for you on every visit."
            }
        }
        @if let Err(problems) = &intact {
            section.notice.danger role="alert" {
                h2 { "These records no longer match their signed checkpoints" }
                p { "Something changed the log's stored records outside Kintsugi. What follows may not be what was written:" }
                ul { @for p in problems { li { (p) } } }
            }
        }
        section.card.log-check id="log-check" data-origin=(origin) data-status="pending" aria-live="polite" {
            h2 { "Checked by your browser" }
            p data-message { "Your browser checks that this log only ever grows. This needs JavaScript; without it, download the log and check it with " code { "kintsugi verify-log" } "." }
            div data-details {}
            p.actions {
                a.button.secondary href="/api/v1/transparency/bundle" download { "Download the whole log" }
                " "
                button.secondary type="button" data-download-checkpoint hidden { "Download the checkpoint this browser remembers" }
            }
        }
        @if repairing {
            (form_errors(errors))
            form.card method="post" action="/transparency" {
                (shell.csrf_field())
                h2 { "Make something known" }
                label for="category" { "What is it about?" }
                select id="category" name="category" required {
                    @for c in Category::ALL {
                        option value=(c.as_str()) selected[form.category == c.as_str()] { (c.label()) }
                    }
                }
                (field_error(errors, "category"))
                label for="occurred_at" { "When" }
                input id="occurred_at" name="occurred_at" type="datetime-local" required value=(form.occurred_at);
                (field_error(errors, "occurred_at"))
                label for="text" { "What happened" }
                textarea id="text" name="text" rows="4" maxlength=(TEXT_MAX_CHARS) required { (form.text) }
                (field_error(errors, "text"))
                @if !entries.is_empty() {
                    label for="corrects" { "Does this correct an earlier entry? (optional)" }
                    select id="corrects" name="corrects" {
                        option value="" { "No" }
                        @for e in entries.iter().rev() {
                            option value=(e.position) selected[form.corrects == e.position.to_string()] {
                                "Entry " (e.position + 1) " — " (e.disclosure.occurred_at)
                            }
                        }
                    }
                    (field_error(errors, "corrects"))
                }
                p.meta { "Once recorded, an entry stays. Take a moment to read it through." }
                p.actions { button type="submit" { "Record it" } }
            }
        }
        h2 { "The log" }
        @if entries.is_empty() {
            p { "Nothing has been recorded yet." }
        }
        ol.log reversed {
            @for e in entries.iter().rev() {
                li id={ "entry-" (e.position) } data-entry=(e.position) {
                    p.meta {
                        strong { (e.disclosure.category.label()) }
                        " · " time { (e.disclosure.occurred_at.replace('T', " ")) }
                        @if let Some(c) = e.disclosure.corrects {
                            " · corrects " a href={ "#entry-" (c) } { "entry " (c + 1) }
                        }
                        " · " span data-verified { "entry " (e.position + 1) }
                    }
                    (paragraphs(&e.disclosure.text))
                }
            }
        }
        p.meta { "Checkpoint: " (checkpoint.size) " " (if checkpoint.size == 1 { "entry" } else { "entries" }) ", signed by " code { (state.log_key.verifier()) } }
        script src="/assets/transparency.js" defer {}
    }))
}

/// The server's own check of its records against the latest checkpoint it
/// signed: what a tampered database looks like from the inside.
async fn self_check(
    state: &AppState,
    couple: CoupleId,
    entries: &[LoggedDisclosure],
    checkpoint: &StoredCheckpoint,
) -> Result<Result<(), Vec<String>>, Error> {
    let bundle = bundle(state, couple, entries, vec![checkpoint.note.clone()]);
    Ok(verify_bundle(&bundle, Some(state.log_key.verifier()), &[]).map(|_| ()))
}

fn bundle(
    state: &AppState,
    couple: CoupleId,
    entries: &[LoggedDisclosure],
    checkpoints: Vec<String>,
) -> Bundle {
    Bundle {
        format: BUNDLE_FORMAT.into(),
        origin: origin(state, couple),
        key: state.log_key.verifier().into(),
        entries: entries
            .iter()
            .map(|e| BundleEntry::from_disclosure(e.position, &e.disclosure))
            .collect(),
        checkpoints,
    }
}

// ---- API ----

#[derive(Debug, Serialize, ToSchema)]
pub struct EntryView {
    /// Zero-based position in the log.
    pub index: u64,
    /// `whereabouts`, `contact`, `routine` or `other`.
    #[schema(value_type = String)]
    pub category: Category,
    pub occurred_at: String,
    pub text: String,
    pub corrects: Option<u64>,
    /// Base64 of the 32-byte salt: with the fields, it gives the leaf.
    pub salt: String,
    /// `me`, `partner`, or `former_partner`.
    pub author: &'static str,
    pub recorded_at: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CheckpointView {
    pub origin: String,
    pub size: u64,
    /// Base64 of the root hash.
    pub root: String,
    /// The signed note (C2SP tlog-checkpoint).
    pub note: String,
    /// The verifier key (`name+id+base64`) that signs the log.
    pub key: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LogView {
    pub checkpoint: CheckpointView,
    pub entries: Vec<EntryView>,
}

fn entry_view(e: &LoggedDisclosure, space: &Space) -> EntryView {
    let b = BundleEntry::from_disclosure(e.position, &e.disclosure);
    EntryView {
        index: e.position,
        category: e.disclosure.category,
        occurred_at: b.occurred_at,
        text: b.text,
        corrects: b.corrects,
        salt: b.salt,
        author: match e.author {
            Some(a) if a == space.me => "me",
            Some(_) => "partner",
            None => "former_partner",
        },
        recorded_at: e.created_at,
    }
}

async fn checkpoint_view(
    state: &AppState,
    couple: CoupleId,
    c: &StoredCheckpoint,
) -> Result<CheckpointView, Error> {
    let root = if c.size == 0 {
        tlog::EMPTY_HASH
    } else {
        state.store.log_root(couple, c.size).await?
    };
    Ok(CheckpointView {
        origin: origin(state, couple),
        size: c.size,
        root: encode_hash(&root),
        note: c.note.clone(),
        key: state.log_key.verifier().into(),
    })
}

/// The couple's whole log and its latest signed checkpoint.
#[utoipa::path(get, path = "/api/v1/transparency", tag = "transparency", security(("bearer" = [])),
    responses((status = 200, body = LogView), (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)))]
pub async fn log_api(
    State(state): State<AppState>,
    viewer: Viewer,
) -> Result<Json<LogView>, Error> {
    let space = Space::load(&state, viewer.user.id).await?;
    let couple = readable(&space)?;
    let entries = state.store.disclosures(couple).await?;
    let c = latest(&state, couple).await?;
    Ok(Json(LogView {
        checkpoint: checkpoint_view(&state, couple, &c).await?,
        entries: entries.iter().map(|e| entry_view(e, &space)).collect(),
    }))
}

/// Record a disclosure (the repairing partner only). Returns the new
/// signed checkpoint, which covers it.
#[utoipa::path(post, path = "/api/v1/transparency", tag = "transparency", request_body = NewDisclosure, security(("bearer" = [])),
    responses((status = 201, body = CheckpointView), (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn record_api(
    State(state): State<AppState>,
    viewer: Viewer,
    ApiJson(form): ApiJson<NewDisclosure>,
) -> Result<(StatusCode, Json<CheckpointView>), Error> {
    let space = Space::load(&state, viewer.user.id).await?;
    let c = record(&state, &space, &form).await?;
    let couple = readable(&space)?;
    Ok((
        StatusCode::CREATED,
        Json(checkpoint_view(&state, couple, &c).await?),
    ))
}

/// The latest signed checkpoint.
#[utoipa::path(get, path = "/api/v1/transparency/checkpoint", tag = "transparency", security(("bearer" = [])),
    responses((status = 200, body = CheckpointView), (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)))]
pub async fn checkpoint_api(
    State(state): State<AppState>,
    viewer: Viewer,
) -> Result<Json<CheckpointView>, Error> {
    let space = Space::load(&state, viewer.user.id).await?;
    let couple = readable(&space)?;
    let c = latest(&state, couple).await?;
    Ok(Json(checkpoint_view(&state, couple, &c).await?))
}

/// The checkpoint the server signed when the log held `size` entries.
#[utoipa::path(get, path = "/api/v1/transparency/checkpoints/{size}", tag = "transparency", security(("bearer" = [])),
    params(("size" = u64, Path, description = "The log's size at that checkpoint")),
    responses((status = 200, body = CheckpointView), (status = 401, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn checkpoint_at_api(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(size): Path<String>,
) -> Result<Json<CheckpointView>, Error> {
    let space = Space::load(&state, viewer.user.id).await?;
    let couple = readable(&space)?;
    let size: u64 = size.parse().map_err(|_| Error::NotFound)?;
    let c = if size == 0 {
        latest(&state, couple).await.map(|mut c| {
            c.size = 0;
            c.note = state
                .log_key
                .sign(&origin(&state, couple), 0, tlog::EMPTY_HASH);
            c
        })?
    } else {
        state
            .store
            .checkpoints(couple)
            .await?
            .into_iter()
            .find(|c| c.size == size)
            .ok_or(Error::NotFound)?
    };
    Ok(Json(checkpoint_view(&state, couple, &c).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct InclusionQuery {
    /// The entry's position.
    pub index: u64,
    /// The size of the tree to prove it in (a checkpoint's size).
    pub size: u64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProofView {
    /// Base64 hashes, from the leaf's side up (RFC 9162).
    pub proof: Vec<String>,
}

fn sizes_within(size: u64, latest: u64) -> Result<(), Error> {
    if size > latest {
        return Err(Error::BadRequest(format!(
            "The log holds {latest} entries; there is no tree of {size}."
        )));
    }
    Ok(())
}

/// The inclusion proof of entry `index` in the tree of `size` entries.
#[utoipa::path(get, path = "/api/v1/transparency/proofs/inclusion", tag = "transparency", security(("bearer" = [])),
    params(InclusionQuery),
    responses((status = 200, body = ProofView), (status = 400, body = crate::error::ErrorBody), (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)))]
pub async fn inclusion_api(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<InclusionQuery>,
) -> Result<Json<ProofView>, Error> {
    let space = Space::load(&state, viewer.user.id).await?;
    let couple = readable(&space)?;
    sizes_within(q.size, state.store.log_size(couple).await?)?;
    if q.index >= q.size {
        return Err(Error::BadRequest(
            "The entry must be inside the tree: index < size.".into(),
        ));
    }
    let proof = state.store.inclusion_proof(couple, q.index, q.size).await?;
    Ok(Json(ProofView {
        proof: proof.iter().map(encode_hash).collect(),
    }))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct ConsistencyQuery {
    /// The older tree's size.
    pub from: u64,
    /// The newer tree's size.
    pub to: u64,
}

/// The proof that the tree of `from` entries is a prefix of the tree of
/// `to` entries.
#[utoipa::path(get, path = "/api/v1/transparency/proofs/consistency", tag = "transparency", security(("bearer" = [])),
    params(ConsistencyQuery),
    responses((status = 200, body = ProofView), (status = 400, body = crate::error::ErrorBody), (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)))]
pub async fn consistency_api(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<ConsistencyQuery>,
) -> Result<Json<ProofView>, Error> {
    let space = Space::load(&state, viewer.user.id).await?;
    let couple = readable(&space)?;
    sizes_within(q.to, state.store.log_size(couple).await?)?;
    if q.from == 0 || q.from > q.to {
        return Err(Error::BadRequest(
            "A consistency proof needs 0 < from ≤ to.".into(),
        ));
    }
    let proof = state.store.consistency_proof(couple, q.from, q.to).await?;
    Ok(Json(ProofView {
        proof: proof.iter().map(encode_hash).collect(),
    }))
}

/// The whole log with every signed checkpoint, as a file for
/// `kintsugi verify-log`.
#[utoipa::path(get, path = "/api/v1/transparency/bundle", tag = "transparency", security(("bearer" = [])),
    responses((status = 200, description = "The log, in the `kintsugi-transparency-log/1` format"), (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)))]
pub async fn bundle_api(State(state): State<AppState>, viewer: Viewer) -> Result<Response, Error> {
    let space = Space::load(&state, viewer.user.id).await?;
    let couple = readable(&space)?;
    let entries = state.store.disclosures(couple).await?;
    let notes = state
        .store
        .checkpoints(couple)
        .await?
        .into_iter()
        .map(|c| c.note)
        .collect();
    let body = serde_json::to_string_pretty(&bundle(&state, couple, &entries, notes))
        .map_err(|e| Error::Internal(e.into()))?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/json"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"kintsugi-log.json\"",
            ),
        ],
        body,
    )
        .into_response())
}
