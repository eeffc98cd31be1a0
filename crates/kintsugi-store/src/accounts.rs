//! People and their sessions.

use kintsugi_core::UserId;

use crate::{Result, Store, StoreError};

#[derive(Debug, Clone)]
pub struct User {
    pub id: UserId,
    pub username: String,
}

impl Store {
    /// Creates an account; `Conflict` when the name is taken.
    pub async fn create_user(
        &self,
        username: &str,
        password_hash: &str,
        now: i64,
    ) -> Result<UserId> {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO users (username, password_hash, created_at) VALUES ($1, $2, $3) RETURNING id",
        )
        .bind(username)
        .bind(password_hash)
        .bind(now)
        .fetch_all(&self.writer)
        .await
        .map(crate::returned)??;
        Ok(UserId(id))
    }

    /// The account and its password hash, for logging in.
    pub async fn credentials(&self, username: &str) -> Result<Option<(UserId, String)>> {
        let row: Option<(i64, String)> =
            sqlx::query_as("SELECT id, password_hash FROM users WHERE username = $1")
                .bind(username)
                .fetch_optional(&self.pool)
                .await?;
        Ok(row.map(|(id, hash)| (UserId(id), hash)))
    }

    pub async fn create_session(
        &self,
        token_hash: &str,
        user: UserId,
        now: i64,
        expires_at: i64,
    ) -> Result<()> {
        sqlx::query("INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)")
            .bind(token_hash)
            .bind(user.0)
            .bind(now)
            .bind(expires_at)
            .execute(&self.writer)
            .await?;
        Ok(())
    }

    /// The person a live session belongs to, if the session exists and has not expired.
    pub async fn session_user(&self, token_hash: &str, now: i64) -> Result<Option<User>> {
        let row: Option<(i64, String)> = sqlx::query_as(
            "SELECT u.id, u.username FROM sessions s JOIN users u ON u.id = s.user_id \
             WHERE s.token_hash = $1 AND s.expires_at > $2",
        )
        .bind(token_hash)
        .bind(now)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|(id, username)| User {
            id: UserId(id),
            username,
        }))
    }

    pub async fn delete_session(&self, token_hash: &str) -> Result<()> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(&self.writer)
            .await?;
        Ok(())
    }

    /// Removes sessions that have expired; run from time to time.
    pub async fn purge_sessions(&self, now: i64) -> Result<u64> {
        let done = sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
            .bind(now)
            .execute(&self.writer)
            .await?;
        Ok(done.rows_affected())
    }

    pub async fn user(&self, id: UserId) -> Result<User> {
        let row: Option<(i64, String)> =
            sqlx::query_as("SELECT id, username FROM users WHERE id = $1")
                .bind(id.0)
                .fetch_optional(&self.pool)
                .await?;
        row.map(|(id, username)| User {
            id: UserId(id),
            username,
        })
        .ok_or_else(|| StoreError::Corrupt(format!("user {id} is missing")))
    }
}
