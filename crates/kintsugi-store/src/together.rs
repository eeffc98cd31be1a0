//! Growing together (stage 11): the couple's goals and their steps, their
//! rituals, appreciations and good moments. All of it is the couple's, so
//! every read and write names the couple and nothing else is in reach.
//!
//! A step is never edited: ticking it off or un-ticking it adds a row, so
//! who did it and when stays on record. The `…_between` functions list what
//! the couple did in a span of time, for the timeline of their journey.

use kintsugi_core::growing::{Moment, Recurrence, Ritual};
use kintsugi_core::{CoupleId, UserId};
use time::Date;

use crate::{day_from_text, day_to_text, Result, Store, StoreError};

#[derive(Debug, Clone)]
pub struct Goal {
    pub id: i64,
    pub author: UserId,
    pub title: String,
    pub created_at: i64,
    /// Oldest first.
    pub steps: Vec<Step>,
}

#[derive(Debug, Clone)]
pub struct Step {
    pub id: i64,
    pub author: UserId,
    pub text: String,
    pub created_at: i64,
    /// Every tick and un-tick, oldest first.
    pub ticks: Vec<Tick>,
}

impl Step {
    /// The latest tick, when it says done.
    pub fn done(&self) -> Option<&Tick> {
        self.ticks.last().filter(|t| t.done)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tick {
    pub by: UserId,
    pub done: bool,
    pub at: i64,
}

/// A step ticked off, with its goal, for the timeline.
#[derive(Debug, Clone)]
pub struct StepDone {
    pub goal_id: i64,
    pub goal: String,
    pub step_id: i64,
    pub step: String,
    pub by: UserId,
    pub at: i64,
}

#[derive(Debug, Clone)]
pub struct RitualRecord {
    pub id: i64,
    pub author: UserId,
    pub ritual: Ritual,
    pub created_at: i64,
}

#[derive(Debug, Clone)]
pub struct Appreciation {
    pub id: i64,
    pub author: UserId,
    pub text: String,
    pub created_at: i64,
}

#[derive(Debug, Clone)]
pub struct GoodMoment {
    pub id: i64,
    pub author: UserId,
    pub day: Date,
    pub text: String,
    pub created_at: i64,
}

type RitualRow = (i64, i64, String, String, String, Option<String>, i64);

fn ritual_from_row(r: RitualRow) -> Result<RitualRecord> {
    let recurrence = Recurrence::from_codes(&r.3, &r.4)
        .ok_or_else(|| StoreError::Corrupt(format!("rituals {}: {:?} at {:?}", r.0, r.3, r.4)))?;
    Ok(RitualRecord {
        id: r.0,
        author: UserId(r.1),
        ritual: Ritual {
            name: r.2,
            recurrence,
            note: r.5,
        },
        created_at: r.6,
    })
}

fn moment_from_row(r: (i64, i64, String, String, i64)) -> Result<GoodMoment> {
    Ok(GoodMoment {
        id: r.0,
        author: UserId(r.1),
        day: day_from_text(&r.2)?,
        text: r.3,
        created_at: r.4,
    })
}

impl Store {
    pub async fn add_goal(
        &self,
        couple: CoupleId,
        author: UserId,
        title: &str,
        now: i64,
    ) -> Result<i64> {
        sqlx::query_scalar(
            "INSERT INTO goals (couple_id, author, title, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(couple.0)
        .bind(author.0)
        .bind(title)
        .bind(now)
        .fetch_all(&self.writer)
        .await
        .map(crate::returned)?
    }

    /// Adds a step to the couple's goal `goal`; `None` when the couple has
    /// no such goal.
    pub async fn add_step(
        &self,
        couple: CoupleId,
        goal: i64,
        author: UserId,
        text: &str,
        now: i64,
    ) -> Result<Option<i64>> {
        Ok(sqlx::query_scalar(
            "INSERT INTO goal_steps (couple_id, goal_id, author, text, created_at) \
             SELECT $1, g.id, $3, $4, $5 FROM goals g WHERE g.id = $2 AND g.couple_id = $1 \
             RETURNING id",
        )
        .bind(couple.0)
        .bind(goal)
        .bind(author.0)
        .bind(text)
        .bind(now)
        .fetch_all(&self.writer)
        .await?
        .into_iter()
        .next())
    }

    /// Ticks the couple's step off (`done`) or un-ticks it; `false` when the
    /// couple has no such step.
    pub async fn tick_step(
        &self,
        couple: CoupleId,
        step: i64,
        by: UserId,
        done: bool,
        now: i64,
    ) -> Result<bool> {
        let r = sqlx::query(
            "INSERT INTO step_ticks (couple_id, step_id, by_user, done, created_at) \
             SELECT $1, s.id, $3, $4, $5 FROM goal_steps s WHERE s.id = $2 AND s.couple_id = $1",
        )
        .bind(couple.0)
        .bind(step)
        .bind(by.0)
        .bind(i64::from(done))
        .bind(now)
        .execute(&self.writer)
        .await?;
        Ok(r.rows_affected() == 1)
    }

    /// The couple's goals, newest first, each with its steps and their history.
    pub async fn goals(&self, couple: CoupleId) -> Result<Vec<Goal>> {
        let goals: Vec<(i64, i64, String, i64)> = sqlx::query_as(
            "SELECT id, author, title, created_at FROM goals WHERE couple_id = $1 ORDER BY id DESC",
        )
        .bind(couple.0)
        .fetch_all(&self.pool)
        .await?;
        let steps: Vec<(i64, i64, i64, String, i64)> = sqlx::query_as(
            "SELECT id, goal_id, author, text, created_at FROM goal_steps WHERE couple_id = $1 ORDER BY id",
        )
        .bind(couple.0)
        .fetch_all(&self.pool)
        .await?;
        let ticks: Vec<(i64, i64, i64, i64)> = sqlx::query_as(
            "SELECT step_id, by_user, done, created_at FROM step_ticks WHERE couple_id = $1 ORDER BY id",
        )
        .bind(couple.0)
        .fetch_all(&self.pool)
        .await?;
        Ok(goals
            .into_iter()
            .map(|(id, author, title, created_at)| Goal {
                id,
                author: UserId(author),
                title,
                created_at,
                steps: steps
                    .iter()
                    .filter(|s| s.1 == id)
                    .map(|s| Step {
                        id: s.0,
                        author: UserId(s.2),
                        text: s.3.clone(),
                        created_at: s.4,
                        ticks: ticks
                            .iter()
                            .filter(|t| t.0 == s.0)
                            .map(|t| Tick {
                                by: UserId(t.1),
                                done: t.2 == 1,
                                at: t.3,
                            })
                            .collect(),
                    })
                    .collect(),
            })
            .collect())
    }

    /// Steps ticked off in `[from, to)` (Unix seconds) and not un-ticked
    /// since, oldest first.
    pub async fn steps_done_between(
        &self,
        couple: CoupleId,
        from: i64,
        to: i64,
    ) -> Result<Vec<StepDone>> {
        let rows: Vec<(i64, String, i64, String, i64, i64)> = sqlx::query_as(
            "SELECT g.id, g.title, s.id, s.text, t.by_user, t.created_at \
             FROM step_ticks t JOIN goal_steps s ON s.id = t.step_id JOIN goals g ON g.id = s.goal_id \
             WHERE t.couple_id = $1 AND t.done = 1 AND t.created_at >= $2 AND t.created_at < $3 \
             AND t.id = (SELECT MAX(l.id) FROM step_ticks l WHERE l.step_id = t.step_id) \
             ORDER BY t.created_at, t.id",
        )
        .bind(couple.0)
        .bind(from)
        .bind(to)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|r| StepDone {
                goal_id: r.0,
                goal: r.1,
                step_id: r.2,
                step: r.3,
                by: UserId(r.4),
                at: r.5,
            })
            .collect())
    }

    pub async fn add_ritual(
        &self,
        couple: CoupleId,
        author: UserId,
        ritual: &Ritual,
        now: i64,
    ) -> Result<RitualRecord> {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO rituals (couple_id, author, name, days, at_time, note, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(couple.0)
        .bind(author.0)
        .bind(&ritual.name)
        .bind(ritual.recurrence.days_code())
        .bind(ritual.recurrence.at.to_string())
        .bind(ritual.note.as_deref())
        .bind(now)
        .fetch_all(&self.writer)
        .await
        .map(crate::returned)??;
        Ok(RitualRecord {
            id,
            author,
            ritual: ritual.clone(),
            created_at: now,
        })
    }

    /// The couple's rituals, in the order they chose them. Each carries its
    /// `Recurrence`, whose `rrule()` a calendar feed can publish.
    pub async fn rituals(&self, couple: CoupleId) -> Result<Vec<RitualRecord>> {
        let rows: Vec<RitualRow> = sqlx::query_as(
            "SELECT id, author, name, days, at_time, note, created_at FROM rituals \
             WHERE couple_id = $1 ORDER BY id",
        )
        .bind(couple.0)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(ritual_from_row).collect()
    }

    pub async fn send_appreciation(
        &self,
        couple: CoupleId,
        author: UserId,
        text: &str,
        now: i64,
    ) -> Result<Appreciation> {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO appreciations (couple_id, author, text, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(couple.0)
        .bind(author.0)
        .bind(text)
        .bind(now)
        .fetch_all(&self.writer)
        .await
        .map(crate::returned)??;
        Ok(Appreciation {
            id,
            author,
            text: text.to_owned(),
            created_at: now,
        })
    }

    /// The couple's appreciations, newest first.
    pub async fn appreciations(&self, couple: CoupleId) -> Result<Vec<Appreciation>> {
        self.appreciations_between(couple, i64::MIN, i64::MAX).await
    }

    /// Appreciations sent in `[from, to)` (Unix seconds), newest first.
    pub async fn appreciations_between(
        &self,
        couple: CoupleId,
        from: i64,
        to: i64,
    ) -> Result<Vec<Appreciation>> {
        let rows: Vec<(i64, i64, String, i64)> = sqlx::query_as(
            "SELECT id, author, text, created_at FROM appreciations \
             WHERE couple_id = $1 AND created_at >= $2 AND created_at < $3 ORDER BY id DESC",
        )
        .bind(couple.0)
        .bind(from)
        .bind(to)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(id, author, text, created_at)| Appreciation {
                id,
                author: UserId(author),
                text,
                created_at,
            })
            .collect())
    }

    pub async fn add_good_moment(
        &self,
        couple: CoupleId,
        author: UserId,
        moment: &Moment,
        now: i64,
    ) -> Result<GoodMoment> {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO good_moments (couple_id, author, day, text, created_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(couple.0)
        .bind(author.0)
        .bind(day_to_text(moment.day))
        .bind(&moment.text)
        .bind(now)
        .fetch_all(&self.writer)
        .await
        .map(crate::returned)??;
        Ok(GoodMoment {
            id,
            author,
            day: moment.day,
            text: moment.text.clone(),
            created_at: now,
        })
    }

    /// The couple's book of good moments, newest day first.
    pub async fn good_moments(&self, couple: CoupleId) -> Result<Vec<GoodMoment>> {
        let rows: Vec<(i64, i64, String, String, i64)> = sqlx::query_as(
            "SELECT id, author, day, text, created_at FROM good_moments \
             WHERE couple_id = $1 ORDER BY day DESC, id DESC",
        )
        .bind(couple.0)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(moment_from_row).collect()
    }

    /// Good moments dated from `from` to `to`, both included, newest first.
    pub async fn good_moments_between(
        &self,
        couple: CoupleId,
        from: Date,
        to: Date,
    ) -> Result<Vec<GoodMoment>> {
        let rows: Vec<(i64, i64, String, String, i64)> = sqlx::query_as(
            "SELECT id, author, day, text, created_at FROM good_moments \
             WHERE couple_id = $1 AND day >= $2 AND day <= $3 ORDER BY day DESC, id DESC",
        )
        .bind(couple.0)
        .bind(day_to_text(from))
        .bind(day_to_text(to))
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(moment_from_row).collect()
    }
}
