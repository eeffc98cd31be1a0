//! Kintsugi's storage, on SQLite or PostgreSQL.
//!
//! One set of queries serves both engines through sqlx's `Any` driver: the
//! SQL is kept to the portable core both understand (`$n` parameters,
//! `RETURNING`, 64-bit integers and text), so a feature is written once and
//! the shared test suite runs it on both. Only the schema differs, as one
//! migration folder per engine.
//!
//! Privacy rules that decide *which rows* a person may read live here, in the
//! `WHERE` clauses, so no caller can forget them: every read that can return
//! another person's record takes the viewer's id.

mod accounts;
mod agreement;
mod checkins;
mod commitments;
mod conversations;
mod couples;
mod incidents;
mod journal;
mod messages;
pub mod ownership;
mod safety;
mod seed;
mod shared_texts;
mod together;
mod transparency;

use std::str::FromStr;
use std::sync::Once;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::migrate::Migrator;
use sqlx::{AnyPool, Executor};

pub use accounts::User;
pub use agreement::{AgreementVersion, Consented, Outcome, ProposalRecord};
pub use checkins::CheckIn;
pub use commitments::{CommitmentRecord, EndReason, Ending, OccasionMark, OccasionWitness};
pub use conversations::{Change as ConversationChange, ConversationRecord, Turn};
pub use couples::{InvitationProblem, Membership, Partner};
pub use incidents::{Incident, RestedIncident};
pub use journal::JournalEntry;
pub use messages::{Message, Tally};
pub use seed::{
    SeedCouple, SeedPlan, BATCH as SEED_BATCH, MAX_CHECK_INS_EACH as SEED_MAX_CHECK_INS_EACH,
};
pub use shared_texts::{Draft, Response, SharedText};
pub use together::{Appreciation, Goal, GoodMoment, RitualRecord, Step, StepDone, Tick};
pub use transparency::{LoggedDisclosure, StoredCheckpoint};

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/postgres");

/// Which database engine a store runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

impl Engine {
    pub fn of_url(url: &str) -> Result<Self, StoreError> {
        if url.starts_with("sqlite:") {
            Ok(Self::Sqlite)
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Ok(Self::Postgres)
        } else {
            Err(StoreError::Config(format!(
                "unsupported database URL {url:?}: use sqlite://PATH or postgres://…"
            )))
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database cannot be reached or cannot write right now. Nothing was saved.
    #[error("the database is unavailable: {0}")]
    Unavailable(#[source] sqlx::Error),
    /// A uniqueness rule was hit: the thing already exists.
    #[error("that already exists")]
    Conflict,
    #[error("{0}")]
    Config(String),
    #[error("database error: {0}")]
    Other(#[source] sqlx::Error),
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// A row held something the domain does not accept: the database was
    /// changed outside Kintsugi.
    #[error("stored data is not valid: {0}")]
    Corrupt(String),
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        use sqlx::Error as E;
        match &e {
            E::Database(db) if db.is_unique_violation() => Self::Conflict,
            // SQLite: busy (5), locked (6), read-only (8), I/O (10), full (13), can't open (14).
            E::Database(db)
                if matches!(
                    db.code().as_deref(),
                    Some("5" | "6" | "8" | "10" | "13" | "14")
                ) =>
            {
                Self::Unavailable(e)
            }
            // PostgreSQL: class 08 (connection), 53 (resources), 57P (shutdown).
            E::Database(db)
                if db.code().is_some_and(|c| {
                    c.starts_with("08") || c.starts_with("53") || c.starts_with("57P")
                }) =>
            {
                Self::Unavailable(e)
            }
            E::PoolTimedOut
            | E::PoolClosed
            | E::Io(_)
            | E::Tls(_)
            | E::Protocol(_)
            | E::WorkerCrashed => Self::Unavailable(e),
            _ => Self::Other(e),
        }
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// The database, shared by every request.
///
/// Reads and writes go through two pools. On PostgreSQL they are the same
/// pool. On SQLite, which lets one writer in at a time, writes have a pool
/// of their own with a single connection: writers then wait their turn in
/// the pool's fair queue, in order, instead of all trying at once and
/// polling SQLite's lock (its busy handler sleeps up to 100 ms between
/// tries, which under load made a slow tail of a few unlucky writes). Reads
/// keep the other connections and, in WAL mode, never wait for a writer.
#[derive(Clone)]
pub struct Store {
    pool: AnyPool,
    writer: AnyPool,
    engine: Engine,
}

impl Store {
    /// Connects and applies any pending migrations.
    pub async fn open(url: &str) -> Result<Self> {
        static DRIVERS: Once = Once::new();
        DRIVERS.call_once(sqlx::any::install_default_drivers);

        let engine = Engine::of_url(url)?;
        let options =
            AnyConnectOptions::from_str(url).map_err(|e| StoreError::Config(e.to_string()))?;
        let (pool, writer) = match engine {
            // WAL lets pages read while a write is in flight; FULL sync makes an
            // acknowledged write survive a crash of the process or the machine.
            // One writer at a time is SQLite's nature: the writer pool's
            // single connection queues our own writers, and a generous busy
            // timeout covers anyone else's (a backup, an operator's shell).
            Engine::Sqlite => {
                let sqlite = |connections| {
                    AnyPoolOptions::new()
                        .max_connections(connections)
                        .acquire_timeout(Duration::from_secs(10))
                        .after_connect(|conn, _| {
                            Box::pin(async move {
                                conn.execute(
                                    "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; \
                                     PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000;",
                                )
                                .await?;
                                Ok(())
                            })
                        })
                };
                // The writer first: it creates the file and switches it to WAL.
                let writer = sqlite(1)
                    .connect_with(options.clone())
                    .await
                    .map_err(StoreError::from)?;
                let readers = sqlite(8)
                    .connect_with(options)
                    .await
                    .map_err(StoreError::from)?;
                (readers, writer)
            }
            Engine::Postgres => {
                let pool = AnyPoolOptions::new()
                    .max_connections(16)
                    .acquire_timeout(Duration::from_secs(10))
                    .connect_with(options)
                    .await
                    .map_err(StoreError::from)?;
                (pool.clone(), pool)
            }
        };
        let store = Self {
            pool,
            writer,
            engine,
        };
        store.migrate().await?;
        Ok(store)
    }

    pub async fn migrate(&self) -> Result<()> {
        let migrator = match self.engine {
            Engine::Sqlite => &SQLITE_MIGRATIONS,
            Engine::Postgres => &POSTGRES_MIGRATIONS,
        };
        migrator.run(&self.writer).await?;
        Ok(())
    }

    pub fn engine(&self) -> Engine {
        self.engine
    }

    /// Answers whether the database is reachable, for the health endpoint.
    pub async fn ping(&self) -> Result<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    /// Writes a consistent copy of an SQLite database to `path` while others
    /// keep reading and writing: `VACUUM INTO` reads one snapshot of it.
    pub async fn copy_into(&self, path: &std::path::Path) -> Result<()> {
        if self.engine != Engine::Sqlite {
            return Err(StoreError::Config(
                "only an SQLite database can be copied this way; on PostgreSQL use pg_dump".into(),
            ));
        }
        let path = path
            .to_str()
            .ok_or_else(|| StoreError::Config("the backup path is not valid UTF-8".into()))?;
        sqlx::query("VACUUM INTO $1")
            .bind(path)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Checks an SQLite database's pages and indexes, as after a copy.
    pub async fn integrity_check(&self) -> Result<()> {
        if self.engine != Engine::Sqlite {
            return Ok(());
        }
        let verdict: String = sqlx::query_scalar("PRAGMA integrity_check")
            .fetch_one(&self.pool)
            .await?;
        if verdict == "ok" {
            Ok(())
        } else {
            Err(StoreError::Corrupt(format!("integrity check: {verdict}")))
        }
    }

    /// Closes every connection; later calls fail as `Unavailable`.
    pub async fn close(&self) {
        self.pool.close().await;
        self.writer.close().await;
    }
}

/// The one row an `INSERT … RETURNING` gave back.
///
/// Every statement with `RETURNING` outside a transaction is read with
/// `fetch_all`, never `fetch_one`: SQLite commits such a statement only when
/// it is stepped to its end, and `fetch_one` stops at the first row, so a commit
/// that then fails (a full disk, an I/O error) went unreported and the
/// server acknowledged a write that was never saved. The full-disk test in
/// `crates/kintsugi/tests/faults.rs` caught it.
fn returned<T>(rows: Vec<T>) -> Result<T> {
    rows.into_iter()
        .next()
        .ok_or(StoreError::Other(sqlx::Error::RowNotFound))
}

/// Reads a stored enum-like text column back into its domain type.
fn decode<T>(column: &str, raw: &str, parse: impl FnOnce(&str) -> Option<T>) -> Result<T> {
    parse(raw).ok_or_else(|| StoreError::Corrupt(format!("{column} = {raw:?}")))
}

/// Days are stored as ISO dates, which sort and compare correctly as text.
fn day_to_text(day: time::Date) -> String {
    let f = time::macros::format_description!("[year]-[month]-[day]");
    day.format(f).expect("a calendar date always formats")
}

fn day_from_text(raw: &str) -> Result<time::Date> {
    let f = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(raw, f).map_err(|_| StoreError::Corrupt(format!("day = {raw:?}")))
}
