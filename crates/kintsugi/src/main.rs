//! The `kintsugi` binary: one entry point for the server, its database and the coach.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use kintsugi_web::Config;

mod check;
mod ownership;
mod seed;
mod verify_log;

#[derive(Parser)]
#[command(
    name = "kintsugi",
    version,
    about = "Rebuilding trust, together: a private web app for two partners."
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the web app (the default when no command is given).
    Serve(ServeArgs),
    /// Apply pending database migrations, then exit.
    Migrate(StoreArgs),
    /// Check a draft with the gentle-communication coach.
    Check(check::CheckArgs),
    /// Verify a downloaded transparency log, independently of the server.
    VerifyLog(verify_log::VerifyLogArgs),
    /// Write one person's export: what they can see, as their own download gives it.
    Export(ownership::ExportArgs),
    /// Copy the database and the server's keys while it runs (SQLite), or explain pg_dump (PostgreSQL).
    Backup(ownership::BackupArgs),
    /// Create many couples directly in the database, for load tests.
    #[command(hide = true)]
    Seed(seed::SeedArgs),
}

#[derive(Args, Clone)]
struct StoreArgs {
    /// Where the SQLite database and the server's keys live.
    #[arg(long, env = "KINTSUGI_DATA_DIR", default_value = "data")]
    data_dir: PathBuf,
    /// `postgres://user@host/db` to run on PostgreSQL; an SQLite file in the data directory when absent.
    #[arg(long, env = "KINTSUGI_DATABASE_URL")]
    database_url: Option<String>,
}

#[derive(Args, Clone)]
struct ServeArgs {
    /// Address and port to listen on.
    #[arg(long, env = "KINTSUGI_LISTEN", default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    #[command(flatten)]
    store: StoreArgs,
    /// The address people use to reach Kintsugi (for invitation links); an https:// address makes cookies Secure.
    #[arg(long, env = "KINTSUGI_PUBLIC_URL")]
    public_url: Option<String>,
    /// Days an invitation link stays valid.
    #[arg(long, env = "KINTSUGI_INVITATION_DAYS", default_value_t = 7, value_parser = clap::value_parser!(i64).range(1..=90))]
    invitation_days: i64,
    /// Hours a login lasts.
    #[arg(long, env = "KINTSUGI_SESSION_HOURS", default_value_t = 12, value_parser = clap::value_parser!(i64).range(1..=720))]
    session_hours: i64,
    /// Where the quick-exit button leads.
    #[arg(long, env = "KINTSUGI_EXIT_URL", default_value = kintsugi_web::config::DEFAULT_EXIT_URL)]
    exit_url: String,
    /// A file of crisis resources for the safety page, one per line as `name | contact`.
    #[arg(long, env = "KINTSUGI_CRISIS_RESOURCES")]
    crisis_resources: Option<PathBuf>,
}

impl StoreArgs {
    /// The database URL, refusing to create an SQLite database that is not
    /// there: the host commands read an existing server's data.
    fn database_url_existing(&self) -> anyhow::Result<String> {
        if self.database_url.is_some() {
            return Ok(self.database_url());
        }
        let path = self.data_dir.join("kintsugi.db");
        if !path.exists() {
            anyhow::bail!(
                "there is no database at {}: pass the server's --data-dir or --database-url",
                path.display()
            );
        }
        Ok(format!("sqlite://{}?mode=rw", path.display()))
    }

    fn database_url(&self) -> String {
        self.database_url.clone().unwrap_or_else(|| {
            format!(
                "sqlite://{}?mode=rwc",
                self.data_dir.join("kintsugi.db").display()
            )
        })
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Some(Command::Check(args)) => check::run(args),
        Some(Command::VerifyLog(args)) => verify_log::run(args),
        Some(Command::Seed(args)) => seed::run(args),
        Some(Command::Export(args)) => {
            report(runtime().and_then(|rt| rt.block_on(ownership::export(args))))
        }
        Some(Command::Backup(args)) => {
            report(runtime().and_then(|rt| rt.block_on(ownership::backup(args))))
        }
        Some(Command::Migrate(args)) => report(runtime().and_then(|rt| rt.block_on(migrate(args)))),
        Some(Command::Serve(args)) => report(runtime().and_then(|rt| rt.block_on(serve(args)))),
        None => {
            let args = Cli::parse_from(["kintsugi", "serve"]);
            match args.command {
                Some(Command::Serve(args)) => {
                    report(runtime().and_then(|rt| rt.block_on(serve(args))))
                }
                _ => unreachable!("parsing `serve` yields the serve command"),
            }
        }
    }
}

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?)
}

fn report(result: anyhow::Result<()>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("kintsugi: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn init_tracing() {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_env("KINTSUGI_LOG")
        .unwrap_or_else(|_| EnvFilter::new("info,tower_http=warn,sqlx=warn"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false)
        .init();
}

async fn serve(args: ServeArgs) -> anyhow::Result<()> {
    init_tracing();
    let mut config = Config::new(args.store.data_dir.clone(), args.listen);
    config.database_url = args.store.database_url();
    if let Some(url) = args.public_url {
        config.public_url = url.trim_end_matches('/').to_owned();
    }
    config.invitation_days = args.invitation_days;
    config.session_hours = args.session_hours;
    config.exit_url = args.exit_url;
    if let Some(path) = args.crisis_resources {
        let text = std::fs::read_to_string(&path)
            .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", path.display()))?;
        config.crisis_resources = kintsugi_web::config::parse_resources(&text);
    }
    kintsugi_web::serve(config).await
}

async fn migrate(args: StoreArgs) -> anyhow::Result<()> {
    init_tracing();
    std::fs::create_dir_all(&args.data_dir)?;
    kintsugi_store::Store::open(&args.database_url()).await?;
    println!("The database is up to date.");
    Ok(())
}
