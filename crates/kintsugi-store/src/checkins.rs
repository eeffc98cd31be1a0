//! Daily check-ins, every version kept.

use kintsugi_core::checkin::{ActKind, CheckInDraft, Rating};
use kintsugi_core::couple::Visibility;
use kintsugi_core::{CheckInId, CoupleId, UserId};
use time::Date;

use crate::{day_from_text, day_to_text, decode, Result, Store, StoreError};

/// One stored version of a check-in.
#[derive(Debug, Clone)]
pub struct CheckIn {
    pub id: CheckInId,
    pub author: UserId,
    pub day: Date,
    pub version: i64,
    pub trust: Rating,
    pub safety: Rating,
    pub connection: Rating,
    pub act_kind: ActKind,
    pub act: String,
    pub note: Option<String>,
    pub visibility: Visibility,
    pub created_at: i64,
}

type Row = (
    i64,
    i64,
    String,
    i64,
    i64,
    i64,
    i64,
    String,
    String,
    Option<String>,
    String,
    i64,
);

const COLUMNS: &str = "c.id, c.user_id, c.day, c.version, c.trust, c.safety, c.connection, \
                       c.act_kind, c.act, c.note, c.visibility, c.created_at";

/// The row is its author's latest version for that day.
const IS_CURRENT: &str =
    "c.version = (SELECT MAX(v.version) FROM check_ins v WHERE v.user_id = c.user_id AND v.day = c.day)";

fn from_row(r: Row) -> Result<CheckIn> {
    let rating = |name: &str, v: i64| {
        Rating::new(v).ok_or_else(|| StoreError::Corrupt(format!("{name} = {v}")))
    };
    Ok(CheckIn {
        id: CheckInId(r.0),
        author: UserId(r.1),
        day: day_from_text(&r.2)?,
        version: r.3,
        trust: rating("check_ins.trust", r.4)?,
        safety: rating("check_ins.safety", r.5)?,
        connection: rating("check_ins.connection", r.6)?,
        act_kind: decode("check_ins.act_kind", &r.7, |s| ActKind::parse(s).ok())?,
        act: r.8,
        note: r.9,
        visibility: decode("check_ins.visibility", &r.10, |s| Visibility::parse(s).ok())?,
        created_at: r.11,
    })
}

impl Store {
    /// Saves a check-in as the next version of the author's check-in for that
    /// day, in one statement, so two saves at once cannot share a version: the
    /// loser hits the unique key and tries once more.
    pub async fn save_check_in(
        &self,
        couple: CoupleId,
        author: UserId,
        d: &CheckInDraft,
        now: i64,
    ) -> Result<CheckIn> {
        for _ in 0..3 {
            let row: std::result::Result<Row, _> = sqlx::query_as(&format!(
                "INSERT INTO check_ins (couple_id, user_id, day, version, trust, safety, connection, \
                 act_kind, act, note, visibility, created_at) \
                 SELECT $1, $2, $3, COALESCE(MAX(version), 0) + 1, $4, $5, $6, $7, $8, $9, $10, $11 \
                 FROM check_ins WHERE user_id = $2 AND day = $3 \
                 RETURNING {}",
                COLUMNS.replace("c.", "")
            ))
            .bind(couple.0)
            .bind(author.0)
            .bind(day_to_text(d.day))
            .bind(i64::from(d.trust.get()))
            .bind(i64::from(d.safety.get()))
            .bind(i64::from(d.connection.get()))
            .bind(d.act_kind.as_str())
            .bind(&d.act)
            .bind(d.note.as_deref())
            .bind(d.visibility.as_str())
            .bind(now)
            .fetch_all(&self.writer)
            .await
            .map_err(StoreError::from)
            .and_then(crate::returned);
            match row {
                Ok(row) => return from_row(row),
                Err(StoreError::Conflict) => continue,
                Err(e) => return Err(e),
            }
        }
        Err(StoreError::Conflict)
    }

    /// The check-ins `viewer` may see in their couple from `since` on: their
    /// own, and their partner's shared ones. Only the current version of each
    /// day counts, so a check-in amended to private disappears for the partner.
    pub async fn visible_check_ins(
        &self,
        couple: CoupleId,
        viewer: UserId,
        since: Date,
    ) -> Result<Vec<CheckIn>> {
        let rows: Vec<Row> = sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM check_ins c \
             WHERE c.couple_id = $1 AND c.day >= $2 AND {IS_CURRENT} \
             AND (c.user_id = $3 OR c.visibility = 'shared') \
             ORDER BY c.day, c.user_id"
        ))
        .bind(couple.0)
        .bind(day_to_text(since))
        .bind(viewer.0)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(from_row).collect()
    }

    /// One check-in version, if `viewer` may see it: every version of their
    /// own, or the current version of the partner's when it is shared.
    pub async fn check_in(
        &self,
        couple: CoupleId,
        viewer: UserId,
        id: CheckInId,
    ) -> Result<Option<CheckIn>> {
        let row: Option<Row> = sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM check_ins c WHERE c.id = $1 AND c.couple_id = $2 \
             AND (c.user_id = $3 OR (c.visibility = 'shared' AND {IS_CURRENT}))"
        ))
        .bind(id.0)
        .bind(couple.0)
        .bind(viewer.0)
        .fetch_optional(&self.pool)
        .await?;
        row.map(from_row).transpose()
    }

    /// Every version of the author's own check-in for one day, newest first.
    pub async fn check_in_versions(&self, author: UserId, day: Date) -> Result<Vec<CheckIn>> {
        let rows: Vec<Row> = sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM check_ins c WHERE c.user_id = $1 AND c.day = $2 ORDER BY c.version DESC"
        ))
        .bind(author.0)
        .bind(day_to_text(day))
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(from_row).collect()
    }

    /// How many days a person has checked in on.
    pub async fn check_in_days(&self, author: UserId) -> Result<i64> {
        Ok(
            sqlx::query_scalar("SELECT COUNT(DISTINCT day) FROM check_ins WHERE user_id = $1")
                .bind(author.0)
                .fetch_one(&self.pool)
                .await?,
        )
    }
}
