//! `kintsugi seed`: many couples at once, for load tests (hidden from help).
//!
//! Every account gets the same password, hashed once with the server's own
//! Argon2id parameters, so any seeded person can also log in through the
//! pages. Each person of the first `--sessions` couples also gets a live
//! session, and its token is written to `--tokens` as `token role` lines:
//! the load tool acts as those people without a thousand rate-limited
//! log-ins. Seed into a fresh database: usernames are `load-N-a`/`load-N-b`.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use argon2::password_hash::rand_core::{OsRng, RngCore};
use argon2::password_hash::{PasswordHasher, SaltString};
use argon2::Argon2;
use base64::Engine as _;
use clap::Args;
use kintsugi_store::{SeedCouple, SeedPlan, Store, SEED_BATCH, SEED_MAX_CHECK_INS_EACH};
use sha2::{Digest, Sha256};

use crate::StoreArgs;

/// The password of every seeded account.
pub const PASSWORD: &str = "a calm long phrase";

#[derive(Args)]
pub struct SeedArgs {
    #[command(flatten)]
    store: StoreArgs,
    /// How many couples to create.
    #[arg(long, default_value_t = 1000)]
    couples: usize,
    /// How many of them, spread evenly, get a live session for each partner.
    #[arg(long, default_value_t = 1024)]
    sessions: usize,
    /// Where to write the session tokens, one `token role` line per person.
    #[arg(long, default_value = "tokens.txt")]
    tokens: PathBuf,
    /// Past check-ins per person (one a day).
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u32).range(0..=SEED_MAX_CHECK_INS_EACH as i64))]
    check_ins_each: u32,
    /// Past messages per couple.
    #[arg(long, default_value_t = 6, value_parser = clap::value_parser!(u32).range(0..=50))]
    messages_each: u32,
}

pub fn run(args: SeedArgs) -> ExitCode {
    let result = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(anyhow::Error::from)
        .and_then(|rt| rt.block_on(seed(args)));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("kintsugi seed: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn seed(args: SeedArgs) -> anyhow::Result<()> {
    std::fs::create_dir_all(&args.store.data_dir)?;
    let store = Store::open(&args.store.database_url()).await?;
    let started = Instant::now();
    let salt = SaltString::generate(&mut OsRng);
    let password_hash = Argon2::default()
        .hash_password(PASSWORD.as_bytes(), &salt)
        .map_err(|e| anyhow::anyhow!("hashing failed: {e}"))?
        .to_string();
    let safety_answers = kintsugi_core::safety::Answers::parse(|id| {
        kintsugi_core::safety::QUESTIONS
            .iter()
            .find(|q| q.id == id)
            .map(|q| q.safe_answer.as_str())
    })
    .map_err(|e| anyhow::anyhow!("safe answers: {}", e.message))?
    .encode();
    let now = time::OffsetDateTime::now_utc();
    let plan = SeedPlan {
        password_hash,
        safety_answers,
        now: now.unix_timestamp(),
        session_expires_at: now.unix_timestamp() + 7 * 86_400,
        check_ins_each: args.check_ins_each,
        messages_each: args.messages_each,
        today: now.date(),
    };

    let mut tokens = std::io::BufWriter::new(std::fs::File::create(&args.tokens)?);
    let mut people = 0;
    let mut batch = Vec::with_capacity(SEED_BATCH);
    // Sessions are spread evenly over the couples, so the load reaches rows
    // throughout the tables rather than only the first ones written.
    let stride = (args.couples / args.sessions.max(1)).max(1);
    let mut with_session = 0;
    for i in 0..args.couples {
        let mut sessions = [None, None];
        if i % stride == 0 && with_session < args.sessions {
            with_session += 1;
            for (seat, role) in ["hurt", "repairing"].into_iter().enumerate() {
                let token = new_token();
                writeln!(tokens, "{token} {role}")?;
                sessions[seat] = Some(hex::encode(Sha256::digest(token.as_bytes())));
            }
        }
        batch.push(SeedCouple {
            usernames: [format!("load-{i}-a"), format!("load-{i}-b")],
            sessions,
        });
        if batch.len() == SEED_BATCH || i + 1 == args.couples {
            people += store.seed_couples(&plan, &batch).await?;
            batch.clear();
        }
    }
    tokens.flush()?;
    store.close().await;
    println!(
        "Seeded {} couples ({people} people, {} sessions) in {:.1} s; tokens in {}",
        args.couples,
        2 * with_session,
        started.elapsed().as_secs_f64(),
        args.tokens.display()
    );
    Ok(())
}

/// A session token like the server's own: 256 random bits, URL-safe.
fn new_token() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}
