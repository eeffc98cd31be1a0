//! The `kintsugi` binary: one entry point for the server, its database and the coach.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod check;

#[derive(Parser)]
#[command(name = "kintsugi", version, about = "Rebuilding trust, together.")]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Check a draft with the gentle-communication coach.
    Check(check::CheckArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Some(Command::Check(args)) => check::run(args),
        None => ExitCode::SUCCESS,
    }
}
