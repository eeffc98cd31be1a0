//! Structured conversations and their turns. Every read and write names the
//! couple, so one couple's conversation can never be reached from another.
//! The rules of the floor live in `kintsugi_core::conversation`; here, state
//! changes are compare-and-swap updates, so two requests racing from two
//! devices cannot both win.

use kintsugi_core::conversation::{Conversation, Phase, Step, TurnKind};
use kintsugi_core::{CoupleId, UserId};

use crate::{decode, Result, Store, StoreError};

#[derive(Debug, Clone)]
pub struct ConversationRecord {
    pub id: i64,
    pub topic: String,
    pub ground_rules: String,
    pub state: Conversation,
    pub paused_by: Option<UserId>,
    pub closing_note: Option<String>,
    pub ended_by: Option<UserId>,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Debug, Clone)]
pub struct Turn {
    pub seq: i64,
    pub author: UserId,
    pub kind: TurnKind,
    pub text: String,
    pub created_at: i64,
}

/// What else changes with a new state: who paused, who ended and how.
#[derive(Debug, Clone, Default)]
pub struct Change {
    pub paused_by: Option<UserId>,
    pub closing_note: Option<String>,
    pub ended_by: Option<UserId>,
}

type Row = (
    i64,
    String,
    String,
    i64,
    i64,
    String,
    i64,
    String,
    i64,
    Option<i64>,
    Option<i64>,
    Option<String>,
    Option<i64>,
    i64,
    i64,
);

const COLUMNS: &str = "id, topic, ground_rules, proposer, partner, phase, speaker, step, turns, \
                       paused_until, paused_by, closing_note, ended_by, created_at, updated_at";

fn from_row(r: Row) -> Result<ConversationRecord> {
    Ok(ConversationRecord {
        id: r.0,
        topic: r.1,
        ground_rules: r.2,
        state: Conversation {
            proposer: UserId(r.3),
            partner: UserId(r.4),
            phase: decode("conversations.phase", &r.5, Phase::parse)?,
            speaker: UserId(r.6),
            step: decode("conversations.step", &r.7, Step::parse)?,
            turns: r.8,
            paused_until: r.9,
        },
        paused_by: r.10.map(UserId),
        closing_note: r.11,
        ended_by: r.12.map(UserId),
        created_at: r.13,
        updated_at: r.14,
    })
}

impl Store {
    pub async fn propose_conversation(
        &self,
        couple: CoupleId,
        state: &Conversation,
        topic: &str,
        ground_rules: &str,
        now: i64,
    ) -> Result<ConversationRecord> {
        let row: Row = sqlx::query_as(&format!(
            "INSERT INTO conversations (couple_id, proposer, partner, topic, ground_rules, phase, speaker, \
             step, turns, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING {COLUMNS}"
        ))
        .bind(couple.0)
        .bind(state.proposer.0)
        .bind(state.partner.0)
        .bind(topic)
        .bind(ground_rules)
        .bind(state.phase.as_str())
        .bind(state.speaker.0)
        .bind(state.step.as_str())
        .bind(state.turns)
        .bind(now)
        .fetch_all(&self.writer)
        .await
        .map(crate::returned)??;
        from_row(row)
    }

    pub async fn conversation(
        &self,
        couple: CoupleId,
        id: i64,
    ) -> Result<Option<ConversationRecord>> {
        let row: Option<Row> = sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM conversations WHERE id = $1 AND couple_id = $2"
        ))
        .bind(id)
        .bind(couple.0)
        .fetch_optional(&self.pool)
        .await?;
        row.map(from_row).transpose()
    }

    /// The couple's conversations, the most recently active first.
    pub async fn conversations(&self, couple: CoupleId) -> Result<Vec<ConversationRecord>> {
        let rows: Vec<Row> = sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM conversations WHERE couple_id = $1 ORDER BY updated_at DESC, id DESC"
        ))
        .bind(couple.0)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(from_row).collect()
    }

    pub async fn turns(&self, couple: CoupleId, conversation: i64) -> Result<Vec<Turn>> {
        let rows: Vec<(i64, i64, String, String, i64)> = sqlx::query_as(
            "SELECT seq, author, kind, text, created_at FROM turns \
             WHERE conversation_id = $1 AND couple_id = $2 ORDER BY seq",
        )
        .bind(conversation)
        .bind(couple.0)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|(seq, author, kind, text, created_at)| {
                Ok(Turn {
                    seq,
                    author: UserId(author),
                    kind: decode("turns.kind", &kind, TurnKind::parse)?,
                    text,
                    created_at,
                })
            })
            .collect()
    }

    /// Moves a conversation from `from` to `to`, if nobody else moved it
    /// first; `false` when they did.
    pub async fn change_conversation(
        &self,
        couple: CoupleId,
        id: i64,
        from: &Conversation,
        to: &Conversation,
        change: &Change,
        now: i64,
    ) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE conversations SET phase = $1, speaker = $2, step = $3, turns = $4, paused_until = $5, \
             paused_by = COALESCE($6, paused_by), closing_note = COALESCE($7, closing_note), \
             ended_by = COALESCE($8, ended_by), updated_at = $9 \
             WHERE id = $10 AND couple_id = $11 AND phase = $12 AND turns = $13",
        )
        .bind(to.phase.as_str())
        .bind(to.speaker.0)
        .bind(to.step.as_str())
        .bind(to.turns)
        .bind(to.paused_until)
        .bind(change.paused_by.map(|u| u.0))
        .bind(change.closing_note.clone())
        .bind(change.ended_by.map(|u| u.0))
        .bind(now)
        .bind(id)
        .bind(couple.0)
        .bind(from.phase.as_str())
        .bind(from.turns)
        .execute(&self.writer)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Records a turn and the floor's new state together. `false` when the
    /// conversation moved on first (a replay, or the other device was quicker).
    pub async fn add_turn(
        &self,
        couple: CoupleId,
        id: i64,
        from: &Conversation,
        to: &Conversation,
        turn: &Turn,
    ) -> Result<bool> {
        let mut tx = self.writer.begin().await?;
        let inserted = sqlx::query(
            "INSERT INTO turns (couple_id, conversation_id, seq, author, kind, text, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(couple.0)
        .bind(id)
        .bind(turn.seq)
        .bind(turn.author.0)
        .bind(turn.kind.as_str())
        .bind(&turn.text)
        .bind(turn.created_at)
        .execute(&mut *tx)
        .await;
        match inserted.map_err(StoreError::from) {
            Ok(_) => {}
            Err(StoreError::Conflict) => return Ok(false),
            Err(e) => return Err(e),
        }
        let moved = sqlx::query(
            "UPDATE conversations SET speaker = $1, step = $2, turns = $3, updated_at = $4 \
             WHERE id = $5 AND couple_id = $6 AND phase = 'active' AND turns = $7",
        )
        .bind(to.speaker.0)
        .bind(to.step.as_str())
        .bind(to.turns)
        .bind(turn.created_at)
        .bind(id)
        .bind(couple.0)
        .bind(from.turns)
        .execute(&mut *tx)
        .await?;
        if moved.rows_affected() != 1 {
            tx.rollback().await?;
            return Ok(false);
        }
        tx.commit().await?;
        Ok(true)
    }
}
