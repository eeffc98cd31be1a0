//! Letting the past go (stage 12): incidents, their sharing, each partner's
//! readiness, laying to rest, and what each carries forward.
//!
//! Who may read what is decided here. An incident reaches a viewer only when
//! they wrote it or it is shared; a viewer learns their own readiness, never
//! the partner's; the partner's words carried forward come only once both
//! have written (`letting_go::carried_as_seen`).
//!
//! Nothing is updated. Sharing, laying to rest and each person's words
//! carried forward are one row each, guarded by unique keys, so a replayed
//! request adds nothing. Readiness is a history whose latest row per person
//! counts; once an incident rests, no further readiness is written.

use kintsugi_core::letting_go::{carried_as_seen, IncidentText, Stage};
use kintsugi_core::{CoupleId, UserId};

use crate::{Result, Store, StoreError};

/// An incident as one viewer may see it.
#[derive(Debug, Clone)]
pub struct Incident {
    pub id: i64,
    pub author: UserId,
    pub name: String,
    pub description: Option<String>,
    pub created_at: i64,
    pub shared_at: Option<i64>,
    pub rested_at: Option<i64>,
    /// The viewer's own latest word: ready or not.
    pub ready: bool,
    /// What the viewer carries forward, once written.
    pub carried_mine: Option<String>,
    /// What the partner carries forward, once both have written.
    pub carried_partner: Option<String>,
}

impl Incident {
    pub fn stage(&self) -> Stage {
        match (self.shared_at, self.rested_at) {
            (_, Some(_)) => Stage::LaidToRest,
            (Some(_), None) => Stage::Shared,
            (None, None) => Stage::Private,
        }
    }
}

/// An incident laid to rest, as the timeline and the coach read it.
#[derive(Debug, Clone)]
pub struct RestedIncident {
    pub id: i64,
    pub name: String,
    pub description: Option<String>,
    pub rested_at: i64,
}

type IncidentRow = (
    i64,
    i64,
    String,
    Option<String>,
    i64,
    Option<i64>,
    Option<i64>,
);

impl Store {
    /// Records an incident, private to its author unless `share`.
    pub async fn record_incident(
        &self,
        couple: CoupleId,
        author: UserId,
        incident: &IncidentText,
        share: bool,
        now: i64,
    ) -> Result<i64> {
        let mut tx = self.writer.begin().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO incidents (couple_id, author, name, description, created_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(couple.0)
        .bind(author.0)
        .bind(&incident.name)
        .bind(incident.description.as_deref())
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        if share {
            sqlx::query(
                "INSERT INTO incident_shares (couple_id, incident_id, created_at) VALUES ($1, $2, $3)",
            )
            .bind(couple.0)
            .bind(id)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(id)
    }

    /// The incidents `viewer` may see: their own, and every shared one.
    pub async fn incidents(&self, couple: CoupleId, viewer: UserId) -> Result<Vec<Incident>> {
        self.load_incidents(couple, viewer, None).await
    }

    /// One incident, when `viewer` may see it.
    pub async fn incident(
        &self,
        couple: CoupleId,
        viewer: UserId,
        id: i64,
    ) -> Result<Option<Incident>> {
        Ok(self
            .load_incidents(couple, viewer, Some(id))
            .await?
            .into_iter()
            .next())
    }

    async fn load_incidents(
        &self,
        couple: CoupleId,
        viewer: UserId,
        only: Option<i64>,
    ) -> Result<Vec<Incident>> {
        let rows: Vec<IncidentRow> = sqlx::query_as(
            "SELECT i.id, i.author, i.name, i.description, i.created_at, s.created_at, r.created_at \
             FROM incidents i \
             LEFT JOIN incident_shares s ON s.incident_id = i.id \
             LEFT JOIN incidents_at_rest r ON r.incident_id = i.id \
             WHERE i.couple_id = $1 AND (i.author = $2 OR s.id IS NOT NULL) \
             AND ($3 = 0 OR i.id = $4) \
             ORDER BY i.id DESC",
        )
        .bind(couple.0)
        .bind(viewer.0)
        .bind(i64::from(only.is_some()))
        .bind(only.unwrap_or(0))
        .fetch_all(&self.pool)
        .await?;
        if rows.is_empty() {
            return Ok(Vec::new());
        }
        // The viewer's own readiness only: the partner's is never read out.
        let ready: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT incident_id, ready FROM incident_readiness \
             WHERE couple_id = $1 AND user_id = $2 ORDER BY id",
        )
        .bind(couple.0)
        .bind(viewer.0)
        .fetch_all(&self.pool)
        .await?;
        let carried: Vec<(i64, i64, String)> = sqlx::query_as(
            "SELECT incident_id, user_id, text FROM carried_forward WHERE couple_id = $1",
        )
        .bind(couple.0)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|r| {
                let mine = carried
                    .iter()
                    .find(|c| c.0 == r.0 && c.1 == viewer.0)
                    .map(|c| c.2.as_str());
                let theirs = carried
                    .iter()
                    .find(|c| c.0 == r.0 && c.1 != viewer.0)
                    .map(|c| c.2.as_str());
                let (mine, theirs) = carried_as_seen(mine, theirs);
                Incident {
                    id: r.0,
                    author: UserId(r.1),
                    name: r.2,
                    description: r.3,
                    created_at: r.4,
                    shared_at: r.5,
                    rested_at: r.6,
                    ready: ready
                        .iter()
                        .rev()
                        .find(|(id, _)| *id == r.0)
                        .is_some_and(|(_, ready)| *ready == 1),
                    carried_mine: mine.map(str::to_owned),
                    carried_partner: theirs.map(str::to_owned),
                }
            })
            .collect())
    }

    /// Shares the author's own private incident; `false` when it is not
    /// theirs or was already shared.
    pub async fn share_incident(
        &self,
        couple: CoupleId,
        id: i64,
        author: UserId,
        now: i64,
    ) -> Result<bool> {
        let done = sqlx::query(
            "INSERT INTO incident_shares (couple_id, incident_id, created_at) \
             SELECT $1, i.id, $3 FROM incidents i WHERE i.id = $2 AND i.couple_id = $1 AND i.author = $4",
        )
        .bind(couple.0)
        .bind(id)
        .bind(now)
        .bind(author.0)
        .execute(&self.writer)
        .await;
        match done.map_err(StoreError::from) {
            Ok(r) => Ok(r.rows_affected() == 1),
            Err(StoreError::Conflict) => Ok(false),
            Err(e) => Err(e),
        }
    }

    /// Records `user`'s readiness for a shared incident not yet at rest, and
    /// lays it to rest when both members of the couple are now ready.
    /// Returns whether it is at rest afterwards; `None` when nothing was
    /// written (not shared, or already at rest).
    pub async fn set_ready(
        &self,
        couple: CoupleId,
        id: i64,
        user: UserId,
        ready: bool,
        now: i64,
    ) -> Result<Option<bool>> {
        let written = sqlx::query(
            "INSERT INTO incident_readiness (couple_id, incident_id, user_id, ready, created_at) \
             SELECT $1, s.incident_id, $3, $4, $5 FROM incident_shares s \
             WHERE s.incident_id = $2 AND s.couple_id = $1 \
             AND NOT EXISTS (SELECT 1 FROM incidents_at_rest r WHERE r.incident_id = $2)",
        )
        .bind(couple.0)
        .bind(id)
        .bind(user.0)
        .bind(i64::from(ready))
        .bind(now)
        .execute(&self.writer)
        .await?;
        if written.rows_affected() != 1 {
            return Ok(None);
        }
        // Checked after the write is committed, by every writer: of two
        // partners saying yes at the same moment, the later one sees both.
        Ok(Some(self.rest_if_both_ready(couple, id, now).await?))
    }

    async fn rest_if_both_ready(&self, couple: CoupleId, id: i64, now: i64) -> Result<bool> {
        let latest: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT r.user_id, r.ready FROM incident_readiness r \
             WHERE r.incident_id = $1 AND r.couple_id = $2 \
             AND r.user_id IN (SELECT m.user_id FROM members m WHERE m.couple_id = $2) \
             AND r.id = (SELECT MAX(l.id) FROM incident_readiness l \
                         WHERE l.incident_id = r.incident_id AND l.user_id = r.user_id)",
        )
        .bind(id)
        .bind(couple.0)
        .fetch_all(&self.pool)
        .await?;
        let ready: Vec<bool> = latest.iter().map(|(_, r)| *r == 1).collect();
        let both =
            kintsugi_core::letting_go::both_ready(ready.first().copied(), ready.get(1).copied());
        if both {
            let done = sqlx::query(
                "INSERT INTO incidents_at_rest (couple_id, incident_id, created_at) VALUES ($1, $2, $3)",
            )
            .bind(couple.0)
            .bind(id)
            .bind(now)
            .execute(&self.writer)
            .await;
            match done.map_err(StoreError::from) {
                Ok(_) | Err(StoreError::Conflict) => {}
                Err(e) => return Err(e),
            }
        }
        let rested: Option<i64> = sqlx::query_scalar(
            "SELECT created_at FROM incidents_at_rest WHERE incident_id = $1 AND couple_id = $2",
        )
        .bind(id)
        .bind(couple.0)
        .fetch_optional(&self.pool)
        .await?;
        Ok(rested.is_some())
    }

    /// Writes what `user` carries forward from an incident at rest; `false`
    /// when it is not at rest or they already wrote.
    pub async fn carry_forward(
        &self,
        couple: CoupleId,
        id: i64,
        user: UserId,
        text: &str,
        now: i64,
    ) -> Result<bool> {
        let done = sqlx::query(
            "INSERT INTO carried_forward (couple_id, incident_id, user_id, text, created_at) \
             SELECT $1, r.incident_id, $3, $4, $5 FROM incidents_at_rest r \
             WHERE r.incident_id = $2 AND r.couple_id = $1",
        )
        .bind(couple.0)
        .bind(id)
        .bind(user.0)
        .bind(text)
        .bind(now)
        .execute(&self.writer)
        .await;
        match done.map_err(StoreError::from) {
            Ok(r) => Ok(r.rows_affected() == 1),
            Err(StoreError::Conflict) => Ok(false),
            Err(e) => Err(e),
        }
    }

    /// Every incident the couple laid to rest, oldest first: for the coach,
    /// which notes gently when a draft goes back to one.
    pub async fn laid_to_rest(&self, couple: CoupleId) -> Result<Vec<RestedIncident>> {
        self.laid_to_rest_between(couple, i64::MIN, i64::MAX).await
    }

    /// Incidents laid to rest in `[from, to)` (Unix seconds), oldest first.
    pub async fn laid_to_rest_between(
        &self,
        couple: CoupleId,
        from: i64,
        to: i64,
    ) -> Result<Vec<RestedIncident>> {
        let rows: Vec<(i64, String, Option<String>, i64)> = sqlx::query_as(
            "SELECT i.id, i.name, i.description, r.created_at FROM incidents_at_rest r \
             JOIN incidents i ON i.id = r.incident_id \
             WHERE r.couple_id = $1 AND i.couple_id = $1 AND r.created_at >= $2 AND r.created_at < $3 \
             ORDER BY r.created_at, r.id",
        )
        .bind(couple.0)
        .bind(from)
        .bind(to)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(id, name, description, rested_at)| RestedIncident {
                id,
                name,
                description,
                rested_at,
            })
            .collect())
    }
}
