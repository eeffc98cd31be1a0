//! The feelings journal. Every query is scoped to the author: there is no
//! way to ask this module for someone else's entries.

use kintsugi_core::journal::{Feeling, Intensity, JournalDraft};
use kintsugi_core::UserId;
use time::Date;

use crate::{day_from_text, day_to_text, decode, Result, Store, StoreError};

#[derive(Debug, Clone)]
pub struct JournalEntry {
    pub id: i64,
    pub day: Date,
    pub feelings: Vec<Feeling>,
    pub intensity: Intensity,
    pub text: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

type Row = (i64, String, String, i64, Option<String>, i64, i64);

const COLUMNS: &str = "id, day, feelings, intensity, text, created_at, updated_at";

fn from_row(r: Row) -> Result<JournalEntry> {
    let feelings =
        r.2.split_whitespace()
            .map(|w| decode("journal_entries.feelings", w, Feeling::parse))
            .collect::<Result<Vec<_>>>()?;
    Ok(JournalEntry {
        id: r.0,
        day: day_from_text(&r.1)?,
        feelings,
        intensity: Intensity::new(r.3)
            .ok_or_else(|| StoreError::Corrupt(format!("journal_entries.intensity = {}", r.3)))?,
        text: r.4,
        created_at: r.5,
        updated_at: r.6,
    })
}

fn feelings_text(draft: &JournalDraft) -> String {
    draft
        .feelings
        .iter()
        .map(|f| f.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

impl Store {
    pub async fn add_journal_entry(
        &self,
        author: UserId,
        draft: &JournalDraft,
        now: i64,
    ) -> Result<JournalEntry> {
        let row: Row = sqlx::query_as(&format!(
            "INSERT INTO journal_entries (user_id, day, feelings, intensity, text, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING {COLUMNS}"
        ))
        .bind(author.0)
        .bind(day_to_text(draft.day))
        .bind(feelings_text(draft))
        .bind(i64::from(draft.intensity.get()))
        .bind(draft.text.clone())
        .bind(now)
        .fetch_all(&self.writer)
        .await
        .map(crate::returned)??;
        from_row(row)
    }

    /// Rewrites an entry in place: the journal is its author's own notebook,
    /// not a shared record. `None` when it is not theirs or does not exist.
    pub async fn update_journal_entry(
        &self,
        author: UserId,
        id: i64,
        draft: &JournalDraft,
        now: i64,
    ) -> Result<Option<JournalEntry>> {
        let row: Option<Row> = sqlx::query_as(&format!(
            "UPDATE journal_entries SET day = $1, feelings = $2, intensity = $3, text = $4, updated_at = $5 \
             WHERE id = $6 AND user_id = $7 RETURNING {COLUMNS}"
        ))
        .bind(day_to_text(draft.day))
        .bind(feelings_text(draft))
        .bind(i64::from(draft.intensity.get()))
        .bind(draft.text.clone())
        .bind(now)
        .bind(id)
        .bind(author.0)
        .fetch_all(&self.writer)
        .await?
        .into_iter()
        .next();
        row.map(from_row).transpose()
    }

    /// Deletes an entry for good. `false` when it is not theirs or is gone.
    pub async fn delete_journal_entry(&self, author: UserId, id: i64) -> Result<bool> {
        let done = sqlx::query("DELETE FROM journal_entries WHERE id = $1 AND user_id = $2")
            .bind(id)
            .bind(author.0)
            .execute(&self.writer)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    pub async fn journal_entry(&self, author: UserId, id: i64) -> Result<Option<JournalEntry>> {
        let row: Option<Row> = sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM journal_entries WHERE id = $1 AND user_id = $2"
        ))
        .bind(id)
        .bind(author.0)
        .fetch_optional(&self.pool)
        .await?;
        row.map(from_row).transpose()
    }

    /// The author's entries from `since` on, newest first.
    pub async fn journal_entries(&self, author: UserId, since: Date) -> Result<Vec<JournalEntry>> {
        let rows: Vec<Row> = sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM journal_entries WHERE user_id = $1 AND day >= $2 \
             ORDER BY day DESC, id DESC"
        ))
        .bind(author.0)
        .bind(day_to_text(since))
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(from_row).collect()
    }

    pub async fn journal_count(&self, author: UserId) -> Result<i64> {
        let (n,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM journal_entries WHERE user_id = $1")
                .bind(author.0)
                .fetch_one(&self.pool)
                .await?;
        Ok(n)
    }
}
