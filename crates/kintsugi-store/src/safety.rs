//! The private safety check. Only its author can ever read it.

use kintsugi_core::safety::{Answers, Outcome};
use kintsugi_core::UserId;

use crate::{decode, Result, Store};

impl Store {
    pub async fn record_safety_check(
        &self,
        user: UserId,
        answers: &Answers,
        now: i64,
    ) -> Result<Outcome> {
        let outcome = answers.outcome();
        sqlx::query("INSERT INTO safety_checks (user_id, answers, outcome, taken_at) VALUES ($1, $2, $3, $4)")
            .bind(user.0)
            .bind(answers.encode())
            .bind(outcome.as_str())
            .bind(now)
            .execute(&self.writer)
            .await?;
        Ok(outcome)
    }

    /// The outcome and time of a person's latest check, if any.
    pub async fn latest_safety_check(&self, user: UserId) -> Result<Option<(Outcome, i64)>> {
        let row: Option<(String, i64)> = sqlx::query_as(
            "SELECT outcome, taken_at FROM safety_checks WHERE user_id = $1 ORDER BY taken_at DESC, id DESC LIMIT 1",
        )
        .bind(user.0)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|(o, at)| Ok((decode("safety_checks.outcome", &o, Outcome::parse)?, at)))
            .transpose()
    }
}
