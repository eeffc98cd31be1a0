//! Texts a person drafts privately and may share: a rewritable draft per
//! subject, and shared versions that are only ever added to. A subject names
//! what the text is (`reflection:needs`, `statement:apology`); reads take a
//! prefix so each feature asks only for its own.

use kintsugi_core::{CoupleId, UserId};

use crate::{Result, Store, StoreError};

/// One text a person shared, at one version.
#[derive(Debug, Clone)]
pub struct SharedText {
    pub id: i64,
    pub author: UserId,
    pub subject: String,
    pub version: i64,
    pub text: String,
    pub shared_at: i64,
}

/// A person's private draft on one subject.
#[derive(Debug, Clone)]
pub struct Draft {
    pub subject: String,
    pub text: String,
    pub updated_at: i64,
}

impl Store {
    /// Saves the author's private draft on a subject, replacing the last one.
    pub async fn save_draft(
        &self,
        couple: CoupleId,
        author: UserId,
        subject: &str,
        text: &str,
        now: i64,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO drafts (user_id, couple_id, subject, text, updated_at) \
             VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (user_id, subject) DO UPDATE SET text = excluded.text, \
             couple_id = excluded.couple_id, updated_at = excluded.updated_at",
        )
        .bind(author.0)
        .bind(couple.0)
        .bind(subject)
        .bind(text)
        .bind(now)
        .execute(&self.writer)
        .await?;
        Ok(())
    }

    /// The author's drafts whose subject starts with `prefix`.
    pub async fn drafts(&self, author: UserId, prefix: &str) -> Result<Vec<Draft>> {
        let rows: Vec<(String, String, i64)> = sqlx::query_as(
            "SELECT subject, text, updated_at FROM drafts WHERE user_id = $1 AND subject LIKE $2",
        )
        .bind(author.0)
        .bind(format!("{prefix}%"))
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(subject, text, updated_at)| Draft {
                subject,
                text,
                updated_at,
            })
            .collect())
    }

    /// Shares `text` as the next version of the author's text on `subject`,
    /// and keeps it as their draft too.
    pub async fn share_text(
        &self,
        couple: CoupleId,
        author: UserId,
        subject: &str,
        text: &str,
        now: i64,
    ) -> Result<SharedText> {
        self.save_draft(couple, author, subject, text, now).await?;
        // The version is computed in the insert itself; two shares racing
        // for the same version meet the unique key, and the loser retries.
        for _ in 0..3 {
            let row: std::result::Result<(i64, i64), _> = sqlx::query_as(
                "INSERT INTO shared_texts (couple_id, user_id, subject, version, text, shared_at) \
                 SELECT $1, $2, $3, COALESCE(MAX(version), 0) + 1, $4, $5 \
                 FROM shared_texts WHERE user_id = $2 AND subject = $3 \
                 RETURNING id, version",
            )
            .bind(couple.0)
            .bind(author.0)
            .bind(subject)
            .bind(text)
            .bind(now)
            .fetch_all(&self.writer)
            .await
            .map_err(StoreError::from)
            .and_then(crate::returned);
            match row {
                Ok((id, version)) => {
                    return Ok(SharedText {
                        id,
                        author,
                        subject: subject.to_owned(),
                        version,
                        text: text.to_owned(),
                        shared_at: now,
                    })
                }
                Err(StoreError::Conflict) => continue,
                Err(e) => return Err(e),
            }
        }
        Err(StoreError::Conflict)
    }

    /// Every version either partner shared in this couple on subjects
    /// starting with `prefix`, oldest first.
    pub async fn shared_texts(&self, couple: CoupleId, prefix: &str) -> Result<Vec<SharedText>> {
        let rows: Vec<(i64, i64, String, i64, String, i64)> = sqlx::query_as(
            "SELECT id, user_id, subject, version, text, shared_at FROM shared_texts \
             WHERE couple_id = $1 AND subject LIKE $2 ORDER BY subject, user_id, version",
        )
        .bind(couple.0)
        .bind(format!("{prefix}%"))
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(
                |(id, author, subject, version, text, shared_at)| SharedText {
                    id,
                    author: UserId(author),
                    subject,
                    version,
                    text,
                    shared_at,
                },
            )
            .collect())
    }
}

impl Store {
    /// One shared text of this couple.
    pub async fn shared_text(&self, couple: CoupleId, id: i64) -> Result<Option<SharedText>> {
        let row: Option<(i64, i64, String, i64, String, i64)> = sqlx::query_as(
            "SELECT id, user_id, subject, version, text, shared_at FROM shared_texts \
             WHERE id = $1 AND couple_id = $2",
        )
        .bind(id)
        .bind(couple.0)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(
            |(id, author, subject, version, text, shared_at)| SharedText {
                id,
                author: UserId(author),
                subject,
                version,
                text,
                shared_at,
            },
        ))
    }
}

/// The partner's answer to a shared statement.
#[derive(Debug, Clone)]
pub struct Response {
    pub id: i64,
    pub shared_text_id: i64,
    pub author: UserId,
    pub verdict: String,
    pub text: Option<String>,
    pub created_at: i64,
}

impl Store {
    /// Records an answer to a shared text of this couple. `None` when the
    /// text is not this couple's or the responder wrote it themself.
    pub async fn respond(
        &self,
        couple: CoupleId,
        responder: UserId,
        shared_text_id: i64,
        verdict: &str,
        text: Option<&str>,
        now: i64,
    ) -> Result<Option<Response>> {
        let row: Option<(i64,)> = sqlx::query_as(
            "INSERT INTO responses (couple_id, shared_text_id, user_id, verdict, text, created_at) \
             SELECT $1, s.id, $2, $3, $4, $5 FROM shared_texts s \
             WHERE s.id = $6 AND s.couple_id = $1 AND s.user_id <> $2 \
             RETURNING id",
        )
        .bind(couple.0)
        .bind(responder.0)
        .bind(verdict)
        .bind(text)
        .bind(now)
        .bind(shared_text_id)
        .fetch_all(&self.writer)
        .await?
        .into_iter()
        .next();
        Ok(row.map(|(id,)| Response {
            id,
            shared_text_id,
            author: responder,
            verdict: verdict.to_owned(),
            text: text.map(str::to_owned),
            created_at: now,
        }))
    }

    /// Every answer to the couple's shared texts on subjects starting with
    /// `prefix`, oldest first.
    pub async fn responses(&self, couple: CoupleId, prefix: &str) -> Result<Vec<Response>> {
        let rows: Vec<(i64, i64, i64, String, Option<String>, i64)> = sqlx::query_as(
            "SELECT r.id, r.shared_text_id, r.user_id, r.verdict, r.text, r.created_at \
             FROM responses r JOIN shared_texts s ON s.id = r.shared_text_id \
             WHERE r.couple_id = $1 AND s.subject LIKE $2 ORDER BY r.id",
        )
        .bind(couple.0)
        .bind(format!("{prefix}%"))
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(
                |(id, shared_text_id, author, verdict, text, created_at)| Response {
                    id,
                    shared_text_id,
                    author: UserId(author),
                    verdict,
                    text,
                    created_at,
                },
            )
            .collect())
    }
}
