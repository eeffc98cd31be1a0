//! Commitments (stage 8): what was promised and on what schedule, how each
//! one ended, the marks on its occasions and the partner's word on them,
//! and each person's private calendar feed.
//!
//! Every read and write names the couple, so another couple's commitment
//! is never within reach. Nothing is updated: ending is an insert whose
//! unique `commitment_id` lets one ending land, and each mark or witness is
//! numbered per occasion, so a replayed first mark meets the unique key
//! instead of quietly becoming a second one.

use kintsugi_core::commitment::{Mark, Seen};
use kintsugi_core::schedule::{time_from_text, Days, Repeat, Schedule};
use kintsugi_core::{CoupleId, UserId};
use time::Date;

use crate::{day_from_text, day_to_text, decode, Result, Store, StoreError};

/// How a commitment ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EndReason {
    /// Its maker let it go.
    Ended,
    /// Its maker changed its words or schedule: a successor replaces it.
    Changed,
}

impl EndReason {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Ended => "ended",
            Self::Changed => "changed",
        }
    }

    fn parse(raw: &str) -> Option<Self> {
        match raw {
            "ended" => Some(Self::Ended),
            "changed" => Some(Self::Changed),
            _ => None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Ending {
    /// The last day that can have an occasion.
    pub last_day: Date,
    pub reason: EndReason,
    pub note: Option<String>,
    pub at: i64,
}

/// A commitment as it was made, and how it ended if it has.
#[derive(Debug, Clone)]
pub struct CommitmentRecord {
    pub id: i64,
    pub author: UserId,
    pub text: String,
    /// The schedule as made, stopped at the ending's last day if it ended.
    pub schedule: Schedule,
    /// The commitment this one changed.
    pub replaces: Option<i64>,
    /// The commitment that changed this one.
    pub replaced_by: Option<i64>,
    pub ending: Option<Ending>,
    pub created_at: i64,
}

/// The maker's word on one occasion. `seq` 1 is the first mark; higher
/// numbers are corrections, each leaving the earlier in view.
#[derive(Debug, Clone)]
pub struct OccasionMark {
    pub id: i64,
    pub commitment: i64,
    pub occasion: Date,
    pub seq: i64,
    pub mark: Mark,
    pub note: Option<String>,
    pub by: UserId,
    pub at: i64,
}

/// The other partner's word on one occasion, numbered like marks.
#[derive(Debug, Clone)]
pub struct OccasionWitness {
    pub id: i64,
    pub commitment: i64,
    pub occasion: Date,
    pub seq: i64,
    pub seen: Seen,
    pub note: Option<String>,
    pub by: UserId,
    pub at: i64,
}

type CommitmentRow = (
    i64,
    i64,
    String,
    String,
    String,
    String,
    Option<String>,
    Option<i64>,
    i64,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<i64>,
    Option<i64>,
);

const COMMITMENT: &str =
    "SELECT c.id, c.author, c.text, c.repeat, c.days, c.starts, c.at, c.replaces, \
     c.created_at, e.last_day, e.reason, e.note, e.created_at, \
     (SELECT n.id FROM commitments n WHERE n.replaces = c.id) \
     FROM commitments c LEFT JOIN commitment_endings e ON e.commitment_id = c.id";

fn commitment_from(r: CommitmentRow) -> Result<CommitmentRecord> {
    let repeat = decode("commitments.repeat", &r.3, |s| Repeat::parse(s).ok())?;
    let days = decode("commitments.days", &r.4, |s| Days::parse([s]).ok())?;
    let at = match r.6.as_deref() {
        None => None,
        Some(t) => Some(decode("commitments.at", t, time_from_text)?),
    };
    let mut schedule = Schedule {
        repeat,
        days,
        starts: day_from_text(&r.5)?,
        until: None,
        at,
    };
    let ending = match (r.9, r.10, r.12) {
        (Some(last), Some(reason), Some(at)) => {
            let last_day = day_from_text(&last)?;
            schedule = schedule.ending(last_day);
            Some(Ending {
                last_day,
                reason: decode("commitment_endings.reason", &reason, EndReason::parse)?,
                note: r.11,
                at,
            })
        }
        _ => None,
    };
    Ok(CommitmentRecord {
        id: r.0,
        author: UserId(r.1),
        text: r.2,
        schedule,
        replaces: r.7,
        replaced_by: r.13,
        ending,
        created_at: r.8,
    })
}

type MarkRow = (i64, i64, String, i64, String, Option<String>, i64, i64);

const MARK: &str = "SELECT id, commitment_id, occasion, seq, mark, note, by_user, created_at FROM commitment_marks";
const WITNESS: &str = "SELECT id, commitment_id, occasion, seq, seen, note, by_user, created_at FROM commitment_witnesses";

fn mark_from(r: MarkRow) -> Result<OccasionMark> {
    Ok(OccasionMark {
        id: r.0,
        commitment: r.1,
        occasion: day_from_text(&r.2)?,
        seq: r.3,
        mark: decode("commitment_marks.mark", &r.4, |s| Mark::parse(s).ok())?,
        note: r.5,
        by: UserId(r.6),
        at: r.7,
    })
}

fn witness_from(r: MarkRow) -> Result<OccasionWitness> {
    Ok(OccasionWitness {
        id: r.0,
        commitment: r.1,
        occasion: day_from_text(&r.2)?,
        seq: r.3,
        seen: decode("commitment_witnesses.seen", &r.4, |s| Seen::parse(s).ok())?,
        note: r.5,
        by: UserId(r.6),
        at: r.7,
    })
}

/// Whether an insert landed, or met the unique key of one that already had.
fn landed(r: std::result::Result<sqlx::any::AnyQueryResult, sqlx::Error>) -> Result<bool> {
    match r.map_err(StoreError::from) {
        Ok(_) => Ok(true),
        Err(StoreError::Conflict) => Ok(false),
        Err(e) => Err(e),
    }
}

impl Store {
    /// Makes a commitment. With `replaces`, it is a change: the old one ends
    /// on `last_day` as changed, in the same transaction; `None` comes back
    /// when the old one had already ended (a replayed or racing change).
    pub async fn make_commitment(
        &self,
        couple: CoupleId,
        author: UserId,
        text: &str,
        schedule: &Schedule,
        replaces: Option<(i64, Date)>,
        now: i64,
    ) -> Result<Option<i64>> {
        let mut tx = self.writer.begin().await?;
        if let Some((old, last_day)) = replaces {
            let ended = sqlx::query(
                "INSERT INTO commitment_endings (couple_id, commitment_id, last_day, reason, note, created_at) \
                 SELECT $1, id, $3, 'changed', NULL, $4 FROM commitments WHERE couple_id = $1 AND id = $2",
            )
            .bind(couple.0)
            .bind(old)
            .bind(day_to_text(last_day))
            .bind(now)
            .execute(&mut *tx)
            .await;
            match ended.map_err(StoreError::from) {
                Ok(r) if r.rows_affected() == 1 => {}
                Ok(_) | Err(StoreError::Conflict) => return Ok(None),
                Err(e) => return Err(e),
            }
        }
        let id: std::result::Result<i64, _> = sqlx::query_scalar(
            "INSERT INTO commitments (couple_id, author, text, repeat, days, starts, at, replaces, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind(couple.0)
        .bind(author.0)
        .bind(text)
        .bind(schedule.repeat.as_str())
        .bind(schedule.days.to_text())
        .bind(day_to_text(schedule.starts))
        .bind(schedule.at.map(kintsugi_core::schedule::clock))
        .bind(replaces.map(|r| r.0))
        .bind(now)
        .fetch_one(&mut *tx)
        .await;
        let id = match id.map_err(StoreError::from) {
            Ok(id) => id,
            Err(StoreError::Conflict) => return Ok(None),
            Err(e) => return Err(e),
        };
        tx.commit().await?;
        Ok(Some(id))
    }

    /// Ends a commitment on `last_day`; false if it had already ended.
    pub async fn end_commitment(
        &self,
        couple: CoupleId,
        id: i64,
        last_day: Date,
        note: Option<&str>,
        now: i64,
    ) -> Result<bool> {
        landed(
            sqlx::query(
                "INSERT INTO commitment_endings (couple_id, commitment_id, last_day, reason, note, created_at) \
                 SELECT $1, id, $3, 'ended', $4, $5 FROM commitments WHERE couple_id = $1 AND id = $2",
            )
            .bind(couple.0)
            .bind(id)
            .bind(day_to_text(last_day))
            .bind(note)
            .bind(now)
            .execute(&self.writer)
            .await,
        )
    }

    /// Every commitment of the couple, both partners', oldest first.
    pub async fn commitments(&self, couple: CoupleId) -> Result<Vec<CommitmentRecord>> {
        let rows: Vec<CommitmentRow> = sqlx::query_as(&format!(
            "{COMMITMENT} WHERE c.couple_id = $1 ORDER BY c.id"
        ))
        .bind(couple.0)
        .fetch_all(&self.writer)
        .await?;
        rows.into_iter().map(commitment_from).collect()
    }

    /// One commitment of the couple; another couple's is not found.
    pub async fn commitment(&self, couple: CoupleId, id: i64) -> Result<Option<CommitmentRecord>> {
        let row: Option<CommitmentRow> = sqlx::query_as(&format!(
            "{COMMITMENT} WHERE c.couple_id = $1 AND c.id = $2"
        ))
        .bind(couple.0)
        .bind(id)
        .fetch_optional(&self.writer)
        .await?;
        row.map(commitment_from).transpose()
    }

    /// The commitments that were running at some point from `from` to
    /// `to` (both included): begun by `to`, and not ended before `from`.
    /// For the couple's timeline.
    pub async fn commitments_between(
        &self,
        couple: CoupleId,
        from: Date,
        to: Date,
    ) -> Result<Vec<CommitmentRecord>> {
        let rows: Vec<CommitmentRow> = sqlx::query_as(&format!(
            "{COMMITMENT} WHERE c.couple_id = $1 AND c.starts <= $3 \
             AND (e.last_day IS NULL OR e.last_day >= $2) ORDER BY c.starts, c.id"
        ))
        .bind(couple.0)
        .bind(day_to_text(from))
        .bind(day_to_text(to))
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(commitment_from).collect()
    }

    /// Records a mark as number `seq` for the occasion; false if that
    /// number was taken (the occasion was marked, or corrected, meanwhile).
    #[allow(clippy::too_many_arguments)]
    pub async fn mark_occasion(
        &self,
        couple: CoupleId,
        commitment: i64,
        occasion: Date,
        seq: i64,
        mark: Mark,
        note: Option<&str>,
        by: UserId,
        now: i64,
    ) -> Result<bool> {
        landed(
            sqlx::query(
                "INSERT INTO commitment_marks (couple_id, commitment_id, occasion, seq, mark, note, by_user, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(couple.0)
            .bind(commitment)
            .bind(day_to_text(occasion))
            .bind(seq)
            .bind(mark.as_str())
            .bind(note)
            .bind(by.0)
            .bind(now)
            .execute(&self.writer)
            .await,
        )
    }

    /// Records a witness's word as number `seq`; false if it was taken.
    #[allow(clippy::too_many_arguments)]
    pub async fn witness_occasion(
        &self,
        couple: CoupleId,
        commitment: i64,
        occasion: Date,
        seq: i64,
        seen: Seen,
        note: Option<&str>,
        by: UserId,
        now: i64,
    ) -> Result<bool> {
        landed(
            sqlx::query(
                "INSERT INTO commitment_witnesses (couple_id, commitment_id, occasion, seq, seen, note, by_user, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(couple.0)
            .bind(commitment)
            .bind(day_to_text(occasion))
            .bind(seq)
            .bind(seen.as_str())
            .bind(note)
            .bind(by.0)
            .bind(now)
            .execute(&self.writer)
            .await,
        )
    }

    /// Every mark on the couple's occasions, or on one commitment's, by
    /// occasion and then in the order made.
    pub async fn occasion_marks(
        &self,
        couple: CoupleId,
        commitment: Option<i64>,
    ) -> Result<Vec<OccasionMark>> {
        let rows: Vec<MarkRow> = sqlx::query_as(&format!(
            "{MARK} WHERE couple_id = $1 AND ($2 = 0 OR commitment_id = $2) ORDER BY commitment_id, occasion, seq"
        ))
        .bind(couple.0)
        .bind(commitment.unwrap_or(0))
        .fetch_all(&self.writer)
        .await?;
        rows.into_iter().map(mark_from).collect()
    }

    /// The marks on occasions from `from` to `to`, both included, for the
    /// couple's timeline.
    pub async fn occasion_marks_between(
        &self,
        couple: CoupleId,
        from: Date,
        to: Date,
    ) -> Result<Vec<OccasionMark>> {
        let rows: Vec<MarkRow> = sqlx::query_as(&format!(
            "{MARK} WHERE couple_id = $1 AND occasion >= $2 AND occasion <= $3 ORDER BY occasion, commitment_id, seq"
        ))
        .bind(couple.0)
        .bind(day_to_text(from))
        .bind(day_to_text(to))
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(mark_from).collect()
    }

    /// Every witness's word, like [`Store::occasion_marks`].
    pub async fn occasion_witnesses(
        &self,
        couple: CoupleId,
        commitment: Option<i64>,
    ) -> Result<Vec<OccasionWitness>> {
        let rows: Vec<MarkRow> = sqlx::query_as(&format!(
            "{WITNESS} WHERE couple_id = $1 AND ($2 = 0 OR commitment_id = $2) ORDER BY commitment_id, occasion, seq"
        ))
        .bind(couple.0)
        .bind(commitment.unwrap_or(0))
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(witness_from).collect()
    }

    /// Gives a person a new calendar feed token (stored as its hash),
    /// replacing any earlier one, which stops working at once.
    pub async fn set_calendar_feed(
        &self,
        couple: CoupleId,
        user: UserId,
        token_hash: &str,
        now: i64,
    ) -> Result<()> {
        let mut tx = self.writer.begin().await?;
        sqlx::query("DELETE FROM calendar_feeds WHERE user_id = $1")
            .bind(user.0)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO calendar_feeds (couple_id, user_id, token_hash, created_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(couple.0)
        .bind(user.0)
        .bind(token_hash)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Revokes a person's feed; false if they had none.
    pub async fn revoke_calendar_feed(&self, user: UserId) -> Result<bool> {
        let r = sqlx::query("DELETE FROM calendar_feeds WHERE user_id = $1")
            .bind(user.0)
            .execute(&self.writer)
            .await?;
        Ok(r.rows_affected() > 0)
    }

    /// When a person's current feed was made, if they have one.
    pub async fn calendar_feed_since(&self, user: UserId) -> Result<Option<i64>> {
        Ok(
            sqlx::query_scalar("SELECT created_at FROM calendar_feeds WHERE user_id = $1")
                .bind(user.0)
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    /// Whose feed a token hash opens, if any: the person and their couple.
    pub async fn calendar_feed_owner(
        &self,
        token_hash: &str,
    ) -> Result<Option<(CoupleId, UserId)>> {
        let row: Option<(i64, i64)> =
            sqlx::query_as("SELECT couple_id, user_id FROM calendar_feeds WHERE token_hash = $1")
                .bind(token_hash)
                .fetch_optional(&self.pool)
                .await?;
        Ok(row.map(|(c, u)| (CoupleId(c), UserId(u))))
    }
}
