//! `kintsugi check`: the coach on the command line.

use std::process::ExitCode;

#[derive(clap::Args)]
pub struct CheckArgs {
    /// The text to check; read from standard input when absent.
    pub text: Option<String>,
}

pub fn run(_args: CheckArgs) -> ExitCode {
    eprintln!("kintsugi check: the coach is not built into this binary yet");
    ExitCode::from(2)
}
