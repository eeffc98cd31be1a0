//! Messages between the partners (stage 10), and the author's private tally
//! of how the coach's advice changed their drafts.

use kintsugi_core::{CoupleId, UserId};

use crate::{Result, Store};

#[derive(Debug, Clone)]
pub struct Message {
    pub id: i64,
    pub author: UserId,
    pub text: String,
    pub created_at: i64,
}

/// How one author's drafts changed after coaching. Counts only: no content,
/// and only ever read for the author themself.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub sent: i64,
    /// Messages whose first draft raised a concern.
    pub coached: i64,
    /// Of those, how many were sent with fewer concerns than the first draft.
    pub softened: i64,
}

impl Store {
    pub async fn send_message(
        &self,
        couple: CoupleId,
        author: UserId,
        text: &str,
        concerns_first: i64,
        concerns_sent: i64,
        now: i64,
    ) -> Result<Message> {
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO messages (couple_id, user_id, text, concerns_first, concerns_sent, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(couple.0)
        .bind(author.0)
        .bind(text)
        .bind(concerns_first)
        .bind(concerns_sent)
        .bind(now)
        .fetch_all(&self.writer)
        .await
        .map(crate::returned)??;
        Ok(Message {
            id,
            author,
            text: text.to_owned(),
            created_at: now,
        })
    }

    /// The couple's latest messages, oldest first.
    pub async fn messages(&self, couple: CoupleId, limit: i64) -> Result<Vec<Message>> {
        let rows: Vec<(i64, i64, String, i64)> = sqlx::query_as(
            "SELECT id, user_id, text, created_at FROM messages WHERE couple_id = $1 \
             ORDER BY id DESC LIMIT $2",
        )
        .bind(couple.0)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .rev()
            .map(|(id, author, text, created_at)| Message {
                id,
                author: UserId(author),
                text,
                created_at,
            })
            .collect())
    }

    pub async fn coaching_tally(&self, author: UserId) -> Result<Tally> {
        let (sent, coached, softened): (i64, i64, i64) = sqlx::query_as(
            "SELECT COUNT(*), \
             COALESCE(SUM(CASE WHEN concerns_first > 0 THEN 1 ELSE 0 END), 0), \
             COALESCE(SUM(CASE WHEN concerns_first > 0 AND concerns_sent < concerns_first THEN 1 ELSE 0 END), 0) \
             FROM messages WHERE user_id = $1",
        )
        .bind(author.0)
        .fetch_one(&self.pool)
        .await?;
        Ok(Tally {
            sent,
            coached,
            softened,
        })
    }
}
