//! `kintsugi verify-log`: checks a downloaded transparency log on the
//! partner's own machine. The server also serves the page whose script
//! checks the log in the browser, so an operator could change that check;
//! this command needs nothing from the server but the file.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use kintsugi_core::transparency::{encode_hash, verify_bundle, Bundle};

#[derive(Args)]
pub struct VerifyLogArgs {
    /// The log as downloaded from the transparency page (kintsugi-log.json).
    log: PathBuf,
    /// A checkpoint seen before: a file holding its signed note, such as the
    /// one the browser remembers. The log must extend it. Repeatable.
    #[arg(long = "since", value_name = "CHECKPOINT")]
    since: Vec<PathBuf>,
    /// The log's public key you trust (`name+id+base64`, shown on the
    /// transparency page), so a log signed with another key is refused.
    #[arg(long, value_name = "KEY")]
    key: Option<String>,
}

pub fn run(args: VerifyLogArgs) -> ExitCode {
    let read = |path: &PathBuf| {
        std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
    };
    let inputs = read(&args.log).and_then(|text| {
        let bundle: Bundle = serde_json::from_str(&text).map_err(|e| {
            format!(
                "{} is not a Kintsugi transparency log: {e}",
                args.log.display()
            )
        })?;
        let since = args.since.iter().map(read).collect::<Result<Vec<_>, _>>()?;
        Ok((bundle, since))
    });
    let (bundle, since) = match inputs {
        Ok(i) => i,
        Err(e) => {
            eprintln!("kintsugi verify-log: {e}");
            return ExitCode::from(2);
        }
    };
    match verify_bundle(&bundle, args.key.as_deref(), &since) {
        Ok(v) => {
            println!(
                "Verified: the log {} holds {} {}, root {}.",
                bundle.origin,
                v.size,
                if v.size == 1 { "entry" } else { "entries" },
                encode_hash(&v.root)
            );
            println!(
                "Every one of the server's {} signed checkpoints matches the entries.",
                v.checkpoints
            );
            for c in &v.earlier {
                println!(
                    "It extends your checkpoint of {} entries (root {}): nothing you saw then has changed.",
                    c.size,
                    c.root_b64()
                );
            }
            if args.key.is_none() {
                println!(
                    "The checkpoints are signed by {}, the key named in the file; pass --key to insist on the key you trust.",
                    bundle.key
                );
            }
            ExitCode::SUCCESS
        }
        Err(problems) => {
            println!("NOT VERIFIED: {}", bundle.origin);
            for p in problems {
                println!("  - {p}");
            }
            ExitCode::from(1)
        }
    }
}
