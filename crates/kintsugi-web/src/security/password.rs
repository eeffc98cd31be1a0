//! Password hashing with Argon2id (the `argon2` crate's defaults follow
//! OWASP's recommended parameters). Hashing is deliberately slow, so it runs
//! on the blocking pool and never stalls other requests.
//!
//! Each run also takes 19 MiB of memory. A burst of log-ins would otherwise
//! start one run per request on the blocking pool (up to 512 threads, so
//! gigabytes), so no more run at once than there are cores: the rest wait
//! their turn, which costs them nothing they would not lose to a busy CPU.

use std::sync::LazyLock;

use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;
use tokio::sync::Semaphore;

use crate::Error;

/// One Argon2 run per core at a time.
static RUNS: LazyLock<Semaphore> =
    LazyLock::new(|| Semaphore::new(std::thread::available_parallelism().map_or(2, |n| n.get())));

async fn one_at_a_time<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, Error> + Send + 'static,
) -> Result<T, Error> {
    let _permit = RUNS
        .acquire()
        .await
        .map_err(|e| Error::Internal(e.into()))?;
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| Error::Internal(e.into()))?
}

pub async fn hash(password: String) -> Result<String, Error> {
    one_at_a_time(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| Error::Internal(anyhow::anyhow!("hashing failed: {e}")))
    })
    .await
}

/// Checks a password against a stored hash. With no stored hash (an unknown
/// username) it checks against a decoy, so both cases take the same time and
/// nobody can learn which usernames exist by timing the answer.
pub async fn verify(password: String, stored: Option<String>) -> Result<bool, Error> {
    static DECOY: LazyLock<String> = LazyLock::new(|| {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(b"decoy password for timing", &salt)
            .expect("hashing a constant works")
            .to_string()
    });
    one_at_a_time(move || {
        let known = stored.is_some();
        let hash = stored.unwrap_or_else(|| DECOY.clone());
        let parsed = PasswordHash::new(&hash)
            .map_err(|e| Error::Internal(anyhow::anyhow!("stored hash is malformed: {e}")))?;
        let matches = Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok();
        Ok(known && matches)
    })
    .await
}
