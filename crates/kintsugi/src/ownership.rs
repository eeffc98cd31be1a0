//! The host's side of owning one's data: `kintsugi export`, the same copy a
//! person downloads from their own "Your data" page, and `kintsugi backup`,
//! a consistent copy of the whole server taken while it runs.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use clap::Args;
use kintsugi_core::export::Format;
use kintsugi_store::{Engine, Store};

use crate::StoreArgs;

#[derive(Args)]
pub struct ExportArgs {
    /// The username whose export to make: exactly what they can see, as
    /// their own download gives it.
    #[arg(long, value_name = "NAME")]
    user: String,
    /// `json`, `html` or `markdown`.
    #[arg(long, default_value = "json")]
    format: String,
    /// Where to write it; standard output when absent.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    #[command(flatten)]
    store: StoreArgs,
}

pub async fn export(args: ExportArgs) -> anyhow::Result<()> {
    let format = Format::parse(&args.format).map_err(|e| anyhow::anyhow!("{e}"))?;
    let url = args.store.database_url_existing()?;
    let store = Store::open(&url).await?;
    let Some(user) = store.user_named(&args.user.trim().to_lowercase()).await? else {
        bail!("no account is named {:?}", args.user.trim());
    };
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)?
        .as_secs() as i64;
    let export = store.export(user, now).await?;
    store.close().await;
    let text = match format {
        Format::Json => export.to_json(),
        Format::Html => export.to_html(),
        Format::Markdown => export.to_markdown(),
    };
    match args.out {
        Some(path) => {
            write_private(&path, text.as_bytes())
                .with_context(|| format!("cannot write {}", path.display()))?;
            eprintln!(
                "Wrote {}'s export to {}. It holds private words: keep it safe, and hand it only to them.",
                args.user.trim(),
                path.display()
            );
        }
        None => print!("{text}"),
    }
    Ok(())
}

#[derive(Args)]
pub struct BackupArgs {
    /// A directory for the copy; made if missing, and it must not already
    /// hold a backup.
    #[arg(long, value_name = "DIR")]
    to: PathBuf,
    #[command(flatten)]
    store: StoreArgs,
}

/// The files of the data directory a restore needs besides the database.
pub const KEY_FILES: [&str; 2] = ["secret.key", "transparency.key"];

pub async fn backup(args: BackupArgs) -> anyhow::Result<()> {
    let url = args.store.database_url();
    let engine = Engine::of_url(&url)?;
    std::fs::create_dir_all(&args.to)
        .with_context(|| format!("cannot create {}", args.to.display()))?;
    let target = args.to.join("kintsugi.db");
    if engine == Engine::Sqlite && target.exists() {
        bail!(
            "{} already exists: choose an empty directory, so no earlier backup is overwritten",
            target.display()
        );
    }
    for name in KEY_FILES {
        let from = args.store.data_dir.join(name);
        let to = args.to.join(name);
        let bytes = std::fs::read(&from).with_context(|| {
            format!(
                "cannot read {} (is {} the server's data directory?)",
                from.display(),
                args.store.data_dir.display()
            )
        })?;
        if to.exists() {
            bail!("{} already exists: choose an empty directory", to.display());
        }
        write_private(&to, &bytes).with_context(|| format!("cannot write {}", to.display()))?;
    }
    match engine {
        Engine::Sqlite => {
            let url = args.store.database_url_existing()?;
            let store = Store::open(&url).await?;
            // A snapshot: VACUUM INTO reads one consistent state of the
            // database while the server keeps writing, and writes a compact copy.
            store.copy_into(&target).await?;
            store.close().await;
            let copy = Store::open(&format!("sqlite://{}?mode=rw", target.display())).await?;
            copy.integrity_check().await?;
            copy.close().await;
            println!(
                "Backed up to {}: the database (kintsugi.db, checked) and the keys ({}).",
                args.to.display(),
                KEY_FILES.join(", ")
            );
            println!("Keep it where only you can reach it: it holds every couple's private words and the server's keys.");
        }
        Engine::Postgres => {
            println!(
                "The keys ({}) are copied to {}.",
                KEY_FILES.join(", "),
                args.to.display()
            );
            println!("On PostgreSQL the database is backed up with PostgreSQL's own tool, pg_dump, which also takes a consistent copy while the server runs:");
            println!();
            println!(
                "  pg_dump --format=custom --file={} '{}'",
                args.to.join("kintsugi.pgdump").display(),
                url
            );
            println!();
            println!("Restore it into an empty database with pg_restore --no-owner --dbname=… and start Kintsugi on it with the keys beside it (see the README, \"Back up and restore\").");
        }
    }
    Ok(())
}

/// Writes a file only its owner can read.
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}
