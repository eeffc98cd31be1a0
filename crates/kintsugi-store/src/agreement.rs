//! The couple's agreement of boundaries (stage 6): proposals, how each one
//! ended, and the versions consent made. Every read and write names the
//! couple, so another couple's agreement is never within reach.
//!
//! Nothing here updates or deletes. Closing a proposal inserts its one
//! outcome row, and the unique `proposal_id` decides every race: of two
//! answers to one proposal (a replayed consent, two devices) exactly one
//! lands. Consenting writes the outcome, the version and the version's
//! boundaries in one transaction; two consents to different proposals
//! that would both make version n+1 meet the unique (couple, version), and
//! the later one is applied again on top of the earlier.

use kintsugi_core::agreement::{Agreement, Boundary, Proposal, Refusal, Status};
use kintsugi_core::{CoupleId, UserId};
use sqlx::AnyConnection;

use crate::{decode, Result, Store, StoreError};

/// A proposal as it was made, and how it ended if it has.
#[derive(Debug, Clone)]
pub struct ProposalRecord {
    pub id: i64,
    pub proposer: UserId,
    pub proposal: Proposal,
    pub note: Option<String>,
    /// The proposal this one answers with other wording.
    pub counters: Option<i64>,
    pub created_at: i64,
    pub outcome: Option<Outcome>,
}

impl ProposalRecord {
    pub fn status(&self) -> Status {
        self.outcome.as_ref().map_or(Status::Pending, |o| o.status)
    }
}

/// How a proposal ended: who closed it, when, and (for a decline) why.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub status: Status,
    pub by: UserId,
    pub reason: Option<String>,
    pub at: i64,
}

/// One agreed version: who proposed it, who consented, when, and a line
/// saying what it changed.
#[derive(Debug, Clone)]
pub struct AgreementVersion {
    pub version: i64,
    pub proposal_id: i64,
    pub proposed_by: UserId,
    pub consented_by: UserId,
    pub summary: String,
    pub accepted_at: i64,
}

/// What became of a consent.
#[derive(Debug, Clone)]
pub enum Consented {
    /// It made this version.
    Made(AgreementVersion),
    /// Someone answered the proposal first; it stands as this.
    AlreadyClosed(Status),
    /// It could not take effect, and was not closed (the agreement is full).
    Refused(Refusal),
    /// The boundary it was about changed meanwhile; it is now closed as stale.
    Stale,
}

type ProposalRow = (
    i64,
    i64,
    String,
    Option<i64>,
    Option<i64>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<i64>,
    i64,
    Option<String>,
    Option<i64>,
    Option<String>,
    Option<i64>,
);

const PROPOSAL_COLUMNS: &str =
    "p.id, p.proposer, p.kind, p.boundary_key, p.seen_since, p.text, p.why, \
     p.note, p.counters, p.created_at, o.outcome, o.by_user, o.reason, o.created_at";

fn proposal_from_row(r: ProposalRow) -> Result<ProposalRecord> {
    let corrupt =
        |what: &str| StoreError::Corrupt(format!("agreement_proposals.{what} of {}", r.0));
    let proposal = match r.2.as_str() {
        "add" => Proposal::Add {
            text: r.5.clone().ok_or_else(|| corrupt("text"))?,
            why: r.6.clone(),
        },
        "change" => Proposal::Change {
            boundary: r.3.ok_or_else(|| corrupt("boundary_key"))?,
            seen: r.4.ok_or_else(|| corrupt("seen_since"))?,
            text: r.5.clone().ok_or_else(|| corrupt("text"))?,
            why: r.6.clone(),
        },
        "remove" => Proposal::Remove {
            boundary: r.3.ok_or_else(|| corrupt("boundary_key"))?,
            seen: r.4.ok_or_else(|| corrupt("seen_since"))?,
        },
        other => {
            return Err(StoreError::Corrupt(format!(
                "agreement_proposals.kind = {other:?}"
            )))
        }
    };
    let outcome = match (r.10, r.11, r.13) {
        (Some(status), Some(by), Some(at)) => Some(Outcome {
            status: decode("agreement_outcomes.outcome", &status, Status::parse)?,
            by: UserId(by),
            reason: r.12,
            at,
        }),
        _ => None,
    };
    Ok(ProposalRecord {
        id: r.0,
        proposer: UserId(r.1),
        proposal,
        note: r.7,
        counters: r.8,
        created_at: r.9,
        outcome,
    })
}

type VersionRow = (i64, i64, i64, i64, String, i64);

const VERSION_COLUMNS: &str =
    "version, proposal_id, proposed_by, consented_by, summary, accepted_at";

fn version_from_row(r: VersionRow) -> AgreementVersion {
    AgreementVersion {
        version: r.0,
        proposal_id: r.1,
        proposed_by: UserId(r.2),
        consented_by: UserId(r.3),
        summary: r.4,
        accepted_at: r.5,
    }
}

/// The agreement at `version`, or the latest when `None`; `None` when the
/// couple has no such version. Version 0, the empty agreement, always exists.
async fn load_agreement(
    conn: &mut AnyConnection,
    couple: CoupleId,
    version: Option<i64>,
) -> Result<Option<Agreement>> {
    let latest: i64 = sqlx::query_scalar(
        "SELECT COALESCE(MAX(version), 0) FROM agreement_versions WHERE couple_id = $1",
    )
    .bind(couple.0)
    .fetch_one(&mut *conn)
    .await?;
    let version = version.unwrap_or(latest);
    if !(0..=latest).contains(&version) {
        return Ok(None);
    }
    let rows: Vec<(i64, String, Option<String>, i64)> = sqlx::query_as(
        "SELECT boundary_key, text, why, since FROM agreement_boundaries \
         WHERE couple_id = $1 AND version = $2 ORDER BY boundary_key",
    )
    .bind(couple.0)
    .bind(version)
    .fetch_all(&mut *conn)
    .await?;
    Ok(Some(Agreement {
        version,
        boundaries: rows
            .into_iter()
            .map(|(key, text, why, since)| Boundary {
                key,
                text,
                why,
                since,
            })
            .collect(),
    }))
}

async fn load_proposal(
    conn: &mut AnyConnection,
    couple: CoupleId,
    id: i64,
) -> Result<Option<ProposalRecord>> {
    let row: Option<ProposalRow> = sqlx::query_as(&format!(
        "SELECT {PROPOSAL_COLUMNS} FROM agreement_proposals p \
         LEFT JOIN agreement_outcomes o ON o.proposal_id = p.id \
         WHERE p.id = $1 AND p.couple_id = $2"
    ))
    .bind(id)
    .bind(couple.0)
    .fetch_optional(&mut *conn)
    .await?;
    row.map(proposal_from_row).transpose()
}

async fn insert_proposal(
    conn: &mut AnyConnection,
    couple: CoupleId,
    proposer: UserId,
    proposal: &Proposal,
    note: Option<&str>,
    counters: Option<i64>,
    now: i64,
) -> Result<i64> {
    let (key, seen) = proposal.target().unzip();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO agreement_proposals \
         (couple_id, proposer, kind, boundary_key, seen_since, text, why, note, counters, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
    )
    .bind(couple.0)
    .bind(proposer.0)
    .bind(proposal.kind().as_str())
    .bind(key)
    .bind(seen)
    .bind(proposal.text())
    .bind(proposal.why())
    .bind(note)
    .bind(counters)
    .bind(now)
    .fetch_all(&mut *conn)
    .await
    .map(crate::returned)??;
    Ok(id)
}

/// Records how a proposal ended; `false` when it had already ended.
async fn insert_outcome(
    conn: &mut AnyConnection,
    couple: CoupleId,
    id: i64,
    status: Status,
    by: UserId,
    reason: Option<&str>,
    now: i64,
) -> Result<bool> {
    // The proposal must be this couple's: the outcome row is written only
    // through a select that names both.
    let done = sqlx::query(
        "INSERT INTO agreement_outcomes (couple_id, proposal_id, outcome, by_user, reason, created_at) \
         SELECT $1, p.id, $3, $4, $5, $6 FROM agreement_proposals p WHERE p.id = $2 AND p.couple_id = $1",
    )
    .bind(couple.0)
    .bind(id)
    .bind(status.as_str())
    .bind(by.0)
    .bind(reason)
    .bind(now)
    .execute(&mut *conn)
    .await;
    match done.map_err(StoreError::from) {
        Ok(r) => Ok(r.rows_affected() == 1),
        Err(StoreError::Conflict) => Ok(false),
        Err(e) => Err(e),
    }
}

impl Store {
    /// The couple's agreement at `version`, or as it stands now with `None`.
    pub async fn agreement(
        &self,
        couple: CoupleId,
        version: Option<i64>,
    ) -> Result<Option<Agreement>> {
        let mut conn = self.writer.acquire().await?;
        load_agreement(&mut conn, couple, version).await
    }

    /// Every agreed version, oldest first: when it was accepted, who
    /// proposed and who consented, and a one-line summary of the change.
    /// This is what the couple's timeline shows of the agreement.
    pub async fn agreement_versions(&self, couple: CoupleId) -> Result<Vec<AgreementVersion>> {
        let rows: Vec<VersionRow> = sqlx::query_as(&format!(
            "SELECT {VERSION_COLUMNS} FROM agreement_versions WHERE couple_id = $1 ORDER BY version"
        ))
        .bind(couple.0)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(version_from_row).collect())
    }

    /// One agreed version of this couple (from 1).
    pub async fn agreement_version(
        &self,
        couple: CoupleId,
        version: i64,
    ) -> Result<Option<AgreementVersion>> {
        let row: Option<VersionRow> = sqlx::query_as(&format!(
            "SELECT {VERSION_COLUMNS} FROM agreement_versions WHERE couple_id = $1 AND version = $2"
        ))
        .bind(couple.0)
        .bind(version)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(version_from_row))
    }

    /// Every proposal the couple has made, oldest first, with how each ended.
    pub async fn agreement_proposals(&self, couple: CoupleId) -> Result<Vec<ProposalRecord>> {
        let rows: Vec<ProposalRow> = sqlx::query_as(&format!(
            "SELECT {PROPOSAL_COLUMNS} FROM agreement_proposals p \
             LEFT JOIN agreement_outcomes o ON o.proposal_id = p.id \
             WHERE p.couple_id = $1 ORDER BY p.id"
        ))
        .bind(couple.0)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(proposal_from_row).collect()
    }

    /// One proposal of this couple; another couple's is `None`.
    pub async fn agreement_proposal(
        &self,
        couple: CoupleId,
        id: i64,
    ) -> Result<Option<ProposalRecord>> {
        let mut conn = self.pool.acquire().await?;
        load_proposal(&mut conn, couple, id).await
    }

    pub async fn propose_to_agreement(
        &self,
        couple: CoupleId,
        proposer: UserId,
        proposal: &Proposal,
        note: Option<&str>,
        now: i64,
    ) -> Result<ProposalRecord> {
        let mut conn = self.pool.acquire().await?;
        let id = insert_proposal(&mut conn, couple, proposer, proposal, note, None, now).await?;
        load_proposal(&mut conn, couple, id)
            .await?
            .ok_or_else(|| StoreError::Corrupt(format!("proposal {id} vanished")))
    }

    /// Closes a pending proposal as declined, withdrawn or stale. `false`
    /// when it was closed already (or is not this couple's).
    pub async fn close_proposal(
        &self,
        couple: CoupleId,
        id: i64,
        status: Status,
        by: UserId,
        reason: Option<&str>,
        now: i64,
    ) -> Result<bool> {
        let mut conn = self.writer.acquire().await?;
        insert_outcome(&mut conn, couple, id, status, by, reason, now).await
    }

    /// Closes `original` as countered and makes `counter` the new proposal,
    /// together. `None` when the original was closed first.
    pub async fn counter_proposal(
        &self,
        couple: CoupleId,
        original: i64,
        by: UserId,
        counter: &Proposal,
        note: Option<&str>,
        now: i64,
    ) -> Result<Option<ProposalRecord>> {
        let mut tx = self.writer.begin().await?;
        if !insert_outcome(&mut tx, couple, original, Status::Countered, by, None, now).await? {
            tx.rollback().await?;
            return Ok(None);
        }
        let id = insert_proposal(&mut tx, couple, by, counter, note, Some(original), now).await?;
        tx.commit().await?;
        self.agreement_proposal(couple, id).await
    }

    /// `by` consents to proposal `id`: it closes as accepted and the next
    /// version is made from the agreement as it stands at that moment.
    pub async fn consent_to_proposal(
        &self,
        couple: CoupleId,
        id: i64,
        by: UserId,
        now: i64,
    ) -> Result<Consented> {
        // Another consent may make the same version number first; then this
        // one is simply applied on top of it.
        for _ in 0..5 {
            let mut tx = self.writer.begin().await?;
            // Written first, so the transaction holds the write lock (SQLite)
            // or the proposal's unique key (PostgreSQL) before it reads.
            if !insert_outcome(&mut tx, couple, id, Status::Accepted, by, None, now).await? {
                tx.rollback().await?;
                let status = self
                    .agreement_proposal(couple, id)
                    .await?
                    .map_or(Status::Accepted, |p| p.status());
                return Ok(Consented::AlreadyClosed(status));
            }
            let record = load_proposal(&mut tx, couple, id)
                .await?
                .ok_or_else(|| StoreError::Corrupt(format!("proposal {id} vanished")))?;
            let current = load_agreement(&mut tx, couple, None)
                .await?
                .unwrap_or_default();
            let next = match current.apply(&record.proposal, id) {
                Ok(next) => next,
                Err(Refusal::Stale) => {
                    tx.rollback().await?;
                    self.close_proposal(couple, id, Status::Stale, by, None, now)
                        .await?;
                    return Ok(Consented::Stale);
                }
                Err(refusal) => {
                    tx.rollback().await?;
                    return Ok(Consented::Refused(refusal));
                }
            };
            let summary = record.proposal.summary(&current);
            let made = sqlx::query(
                "INSERT INTO agreement_versions \
                 (couple_id, version, proposal_id, proposed_by, consented_by, summary, accepted_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(couple.0)
            .bind(next.version)
            .bind(id)
            .bind(record.proposer.0)
            .bind(by.0)
            .bind(&summary)
            .bind(now)
            .execute(&mut *tx)
            .await;
            match made.map_err(StoreError::from) {
                Ok(_) => {}
                Err(StoreError::Conflict) => {
                    tx.rollback().await?;
                    continue;
                }
                Err(e) => return Err(e),
            }
            for b in &next.boundaries {
                sqlx::query(
                    "INSERT INTO agreement_boundaries (couple_id, version, boundary_key, text, why, since) \
                     VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(couple.0)
                .bind(next.version)
                .bind(b.key)
                .bind(&b.text)
                .bind(b.why.as_deref())
                .bind(b.since)
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
            return Ok(Consented::Made(AgreementVersion {
                version: next.version,
                proposal_id: id,
                proposed_by: record.proposer,
                consented_by: by,
                summary,
                accepted_at: now,
            }));
        }
        Err(StoreError::Conflict)
    }
}
