//! The transparency log's rows: disclosures, the tree's stored hashes and
//! the signed checkpoints, all append-only, one log per couple.

use base64::prelude::{Engine as _, BASE64_STANDARD};
use kintsugi_core::transparency::{
    encode_hash, leaf_hash, parse_hash, tlog, with_stored, Category, Disclosure, Hash, Hashes,
};
use kintsugi_core::{CoupleId, UserId};
use sqlx::AnyConnection;

use crate::{decode, Result, Store, StoreError};

/// A disclosure in its place in the log.
#[derive(Debug, Clone)]
pub struct LoggedDisclosure {
    pub position: u64,
    pub author: Option<UserId>,
    pub disclosure: Disclosure,
    pub created_at: i64,
}

/// A signed tree head as kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredCheckpoint {
    pub size: u64,
    pub note: String,
    pub created_at: i64,
}

type Row = (
    i64,
    Option<i64>,
    String,
    String,
    String,
    Option<i64>,
    String,
    i64,
);

impl Store {
    /// Appends a disclosure, extends the tree and keeps the new tree head,
    /// signed by `sign(size, root)`, all in one transaction: an entry is
    /// never acknowledged without its hashes and its checkpoint.
    pub async fn append_disclosure(
        &self,
        couple: CoupleId,
        author: UserId,
        disclosure: &Disclosure,
        now: i64,
        sign: impl Fn(u64, Hash) -> String,
    ) -> Result<StoredCheckpoint> {
        // Two writers on PostgreSQL can pick the same position; the loser
        // hits the unique key and tries again on the longer log.
        let mut attempts = 0;
        loop {
            match self
                .try_append(couple, author, disclosure, now, &sign)
                .await
            {
                Err(StoreError::Conflict) if attempts < 5 => attempts += 1,
                other => return other,
            }
        }
    }

    async fn try_append(
        &self,
        couple: CoupleId,
        author: UserId,
        d: &Disclosure,
        now: i64,
        sign: &impl Fn(u64, Hash) -> String,
    ) -> Result<StoredCheckpoint> {
        let mut tx = self.writer.begin().await?;
        // A write first, so SQLite takes its write lock before anything is
        // read and no other writer can slip in between.
        let (position,): (i64,) = sqlx::query_as(
            "INSERT INTO disclosures \
             (couple_id, position, author_id, category, occurred_at, text, corrects, salt, created_at) \
             VALUES ($1, (SELECT COALESCE(MAX(position) + 1, 0) FROM disclosures WHERE couple_id = $2), \
                     $3, $4, $5, $6, $7, $8, $9) \
             RETURNING position",
        )
        .bind(couple.0)
        .bind(couple.0)
        .bind(author.0)
        .bind(d.category.as_str())
        .bind(&d.occurred_at)
        .bind(&d.text)
        .bind(d.corrects.map(|c| c as i64))
        .bind(BASE64_STANDARD.encode(d.salt))
        .bind(now)
        .fetch_all(&mut *tx)
        .await
        .map(crate::returned)??;
        let n = position as u64;

        let leaf = leaf_hash(&d.commitment());
        let mut hashes = Hashes::new();
        let new = computed(&mut tx, couple, &mut hashes, |h| {
            tlog::stored_hashes_for_record_hash(n, leaf, h)
        })
        .await?;
        let first = tlog::stored_hash_index(0, n);
        for (i, hash) in new.iter().enumerate() {
            sqlx::query("INSERT INTO log_hashes (couple_id, position, hash) VALUES ($1, $2, $3)")
                .bind(couple.0)
                .bind((first + i as u64) as i64)
                .bind(encode_hash(hash))
                .execute(&mut *tx)
                .await?;
            hashes.insert(first + i as u64, *hash);
        }
        let root = computed(&mut tx, couple, &mut hashes, |h| tlog::tree_hash(n + 1, h)).await?;
        let note = sign(n + 1, root);
        sqlx::query(
            "INSERT INTO log_checkpoints (couple_id, size, note, created_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(couple.0)
        .bind((n + 1) as i64)
        .bind(&note)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(StoredCheckpoint {
            size: n + 1,
            note,
            created_at: now,
        })
    }

    /// Every disclosure of the couple's log, in order. Both partners may
    /// read the log: the caller checks membership.
    pub async fn disclosures(&self, couple: CoupleId) -> Result<Vec<LoggedDisclosure>> {
        let rows: Vec<Row> = sqlx::query_as(
            "SELECT position, author_id, category, occurred_at, text, corrects, salt, created_at \
             FROM disclosures WHERE couple_id = $1 ORDER BY position",
        )
        .bind(couple.0)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(logged).collect()
    }

    /// How many entries the couple's log holds.
    pub async fn log_size(&self, couple: CoupleId) -> Result<u64> {
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM disclosures WHERE couple_id = $1")
            .bind(couple.0)
            .fetch_one(&self.pool)
            .await?;
        Ok(n as u64)
    }

    /// The latest signed tree head, if the log has one.
    pub async fn latest_checkpoint(&self, couple: CoupleId) -> Result<Option<StoredCheckpoint>> {
        let row: Option<(i64, String, i64)> = sqlx::query_as(
            "SELECT size, note, created_at FROM log_checkpoints WHERE couple_id = $1 \
             ORDER BY size DESC LIMIT 1",
        )
        .bind(couple.0)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(checkpoint))
    }

    /// Every signed tree head, oldest first.
    pub async fn checkpoints(&self, couple: CoupleId) -> Result<Vec<StoredCheckpoint>> {
        let rows: Vec<(i64, String, i64)> = sqlx::query_as(
            "SELECT size, note, created_at FROM log_checkpoints WHERE couple_id = $1 ORDER BY size",
        )
        .bind(couple.0)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(checkpoint).collect())
    }

    /// The audit path for entry `index` in the tree of `size` entries.
    pub async fn inclusion_proof(
        &self,
        couple: CoupleId,
        index: u64,
        size: u64,
    ) -> Result<Vec<Hash>> {
        let mut conn = self.pool.acquire().await?;
        computed(&mut conn, couple, &mut Hashes::new(), |h| {
            tlog::prove_record(size, index, h)
        })
        .await
    }

    /// The proof that the tree of `old` entries is a prefix of the tree of
    /// `new` entries.
    pub async fn consistency_proof(
        &self,
        couple: CoupleId,
        old: u64,
        new: u64,
    ) -> Result<Vec<Hash>> {
        let mut conn = self.pool.acquire().await?;
        computed(&mut conn, couple, &mut Hashes::new(), |h| {
            tlog::prove_tree(new, old, h)
        })
        .await
    }

    /// The root of the first `size` entries, from the stored hashes.
    pub async fn log_root(&self, couple: CoupleId, size: u64) -> Result<Hash> {
        let mut conn = self.pool.acquire().await?;
        computed(&mut conn, couple, &mut Hashes::new(), |h| {
            tlog::tree_hash(size, h)
        })
        .await
    }
}

fn logged(
    (position, author, category, occurred_at, text, corrects, salt, created_at): Row,
) -> Result<LoggedDisclosure> {
    let salt = BASE64_STANDARD
        .decode(&salt)
        .ok()
        .and_then(|s| <[u8; 32]>::try_from(s).ok())
        .ok_or_else(|| StoreError::Corrupt(format!("salt of disclosure {position}")))?;
    Ok(LoggedDisclosure {
        position: position as u64,
        author: author.map(UserId),
        disclosure: Disclosure {
            category: decode("category", &category, Category::parse)?,
            occurred_at,
            text,
            corrects: corrects.map(|c| c as u64),
            salt,
        },
        created_at,
    })
}

fn checkpoint((size, note, created_at): (i64, String, i64)) -> StoredCheckpoint {
    StoredCheckpoint {
        size: size as u64,
        note,
        created_at,
    }
}

/// Runs a tree computation over the couple's stored hashes, reading from the
/// database only those it asks for (see `Hashes`).
async fn computed<T>(
    conn: &mut AnyConnection,
    couple: CoupleId,
    hashes: &mut Hashes,
    f: impl Fn(&Hashes) -> Result<T, tlog::Error>,
) -> Result<T> {
    for _ in 0..3 {
        let missing = match with_stored(hashes, &f) {
            Ok(v) => return Ok(v),
            Err(missing) if missing.is_empty() => break,
            Err(missing) => missing,
        };
        let placeholders: Vec<String> = (0..missing.len()).map(|i| format!("${}", i + 2)).collect();
        let sql = format!(
            "SELECT position, hash FROM log_hashes WHERE couple_id = $1 AND position IN ({})",
            placeholders.join(", ")
        );
        let mut query = sqlx::query_as::<_, (i64, String)>(&sql).bind(couple.0);
        for p in &missing {
            query = query.bind(*p as i64);
        }
        let rows = query.fetch_all(&mut *conn).await?;
        if rows.len() != missing.len() {
            return Err(StoreError::Corrupt(
                "the transparency log is missing some of its hashes".into(),
            ));
        }
        for (position, hash) in rows {
            let hash = parse_hash(&hash).map_err(|_| {
                StoreError::Corrupt(format!(
                    "the transparency log's hash {position} is malformed"
                ))
            })?;
            hashes.insert(position as u64, hash);
        }
    }
    Err(StoreError::Corrupt(
        "the transparency log's hashes do not fit together".into(),
    ))
}
