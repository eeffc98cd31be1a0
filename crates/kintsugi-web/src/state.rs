//! What every request shares: the store, the configuration, the server's
//! secret and the rate limiters.

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use kintsugi_core::transparency::LogKey;
use kintsugi_store::Store;
use rand::RngCore;

use crate::config::Config;
use crate::security::rate_limit::Limiters;

#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub config: Arc<Config>,
    /// Signs CSRF tokens. Kept in the data directory so tokens survive a restart.
    pub secret: Arc<[u8; 32]>,
    pub limiters: Arc<Limiters>,
    /// Signs the transparency logs' checkpoints. Kept in the data directory:
    /// partners pin its public half, so it must outlive restarts.
    pub log_key: Arc<LogKey>,
    /// Tells open pages that something in a couple's space changed.
    pub changes: tokio::sync::broadcast::Sender<Changed>,
    /// Turns true when the server is asked to stop. Streams that would
    /// otherwise stay open for good (live updates) end on it, so a graceful
    /// shutdown does not wait for a browser tab to close.
    pub stopping: tokio::sync::watch::Sender<bool>,
}

/// A change in one couple's space, for live pages. It names what changed,
/// never what it says: a listener reloads through the usual, checked routes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Changed {
    pub couple: kintsugi_core::CoupleId,
    pub conversation: i64,
}

impl AppState {
    pub async fn open(config: Config) -> anyhow::Result<Self> {
        std::fs::create_dir_all(&config.data_dir).with_context(|| {
            format!(
                "cannot create the data directory {}",
                config.data_dir.display()
            )
        })?;
        let secret = load_or_create_secret(&config.data_dir.join("secret.key"))?;
        let log_key = load_or_create_log_key(
            &config.data_dir.join("transparency.key"),
            &config.public_url,
        )?;
        let store = Store::open(&config.database_url).await.with_context(|| {
            format!(
                "cannot open the database at {}",
                redact(&config.database_url)
            )
        })?;
        Ok(Self {
            store,
            limiters: Arc::new(Limiters::new(config.limits)),
            config: Arc::new(config),
            secret: Arc::new(secret),
            log_key: Arc::new(log_key),
            changes: tokio::sync::broadcast::channel(256).0,
            stopping: tokio::sync::watch::Sender::new(false),
        })
    }

    /// Clears expired sessions and stale rate-limit entries every hour.
    pub fn spawn_housekeeping(&self) {
        let state = self.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_secs(3600));
            loop {
                tick.tick().await;
                if let Err(e) = state.store.purge_sessions(now()).await {
                    tracing::warn!(error = %e, "could not purge expired sessions");
                }
                state.limiters.forget_idle();
            }
        });
    }
}

/// The current time in Unix seconds: read here, at the edge, and passed in.
pub fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

pub fn today() -> time::Date {
    time::OffsetDateTime::now_utc().date()
}

fn load_or_create_secret(path: &std::path::Path) -> anyhow::Result<[u8; 32]> {
    if let Ok(bytes) = std::fs::read(path) {
        return bytes.try_into().map_err(|_| {
            anyhow::anyhow!(
                "{} is not a 32-byte key; move it away to make a new one",
                path.display()
            )
        });
    }
    let mut key = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut key);
    write_private(path, &key).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(key)
}

/// The log key, named after the address the server first served on (a
/// name only: the key keeps it if the address changes later).
fn load_or_create_log_key(path: &std::path::Path, public_url: &str) -> anyhow::Result<LogKey> {
    if let Ok(text) = std::fs::read_to_string(path) {
        return LogKey::from_file(&text).map_err(|e| {
            anyhow::anyhow!("{} is not a transparency-log key ({e}); partners have pinned it, so restore it from a backup rather than replacing it", path.display())
        });
    }
    let host = public_url
        .split("://")
        .nth(1)
        .unwrap_or(public_url)
        .trim_end_matches('/');
    let name: String = format!("{host}/kintsugi")
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '+')
        .collect();
    let (key, file) = LogKey::generate(&mut rand::rngs::OsRng, &name);
    write_private(path, file.as_bytes())
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(key)
}

/// Writes a file only its owner can read.
fn write_private(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

/// A database URL fit for a log line: no password.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            format!("{}://…@{}", &url[..scheme], &url[at + 1..])
        }
        _ => url.to_owned(),
    }
}
