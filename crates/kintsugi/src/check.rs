//! `kintsugi check`: the coach on the command line.
//!
//! Exit status: 0 when nothing is of concern, 1 when something is, 2 on bad
//! usage. With `--jsonl`, each input line gets one line of output, in
//! order, as soon as it is read; a line that cannot be read as input gets
//! `{"line": N, "error": "…"}` in its place, and the exit status is then 2.

use std::io::{self, BufRead, IsTerminal, Read, Write};
use std::process::ExitCode;

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use kintsugi_coach::{analyse, Analysis, Context, Options, Severity};
use serde::Deserialize;

#[derive(clap::Args)]
pub struct CheckArgs {
    /// The text to check; read from standard input when absent.
    pub text: Option<String>,
    /// Where the text is going: message, responsibility or apology.
    #[arg(long, default_value = "message", value_parser = parse_context)]
    pub context: Context,
    /// How to print the analysis.
    #[arg(long, value_enum, default_value = "human")]
    pub format: Format,
    /// Read one input a line from standard input (plain text, or a JSON
    /// object with `text` and optional `context`) and print one JSON
    /// analysis a line.
    #[arg(long, conflicts_with_all = ["text", "format"])]
    pub jsonl: bool,
    /// The name or words of an incident laid to rest; a text that goes back
    /// to it gets a gentle note. May be given more than once.
    #[arg(long = "laid-to-rest", value_name = "NAME")]
    pub laid_to_rest: Vec<String>,
}

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum Format {
    Human,
    Json,
}

fn parse_context(s: &str) -> Result<Context, String> {
    s.parse()
}

pub fn run(args: CheckArgs) -> ExitCode {
    let options = Options {
        context: args.context,
        laid_to_rest: args.laid_to_rest.clone(),
    };
    if args.jsonl {
        return jsonl(&options);
    }
    let text = match args.text {
        Some(t) => t,
        None => {
            let mut t = String::new();
            if let Err(e) = io::stdin().read_to_string(&mut t) {
                eprintln!("kintsugi check: could not read standard input: {e}");
                return ExitCode::from(2);
            }
            t
        }
    };
    let analysis = analyse(&text, &options);
    let printed = match args.format {
        Format::Json => serde_json::to_string_pretty(&analysis)
            .map(|j| println!("{j}"))
            .map_err(io::Error::other),
        Format::Human => human(&text, &analysis, &mut io::stdout().lock()),
    };
    if let Err(e) = printed {
        eprintln!("kintsugi check: {e}");
        return ExitCode::from(2);
    }
    ExitCode::from(analysis.concern as u8)
}

/// A compiler-style report: the text, each finding's words underlined,
/// its reason beside them and a gentler way to say it beneath.
fn human(text: &str, analysis: &Analysis, out: &mut impl Write) -> io::Result<()> {
    if !analysis.language.is_english() {
        writeln!(out, "The coach reads English only, and this does not look like English: nothing was checked.")?;
        return Ok(());
    }
    let renderer = if io::stdout().is_terminal() {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    for f in &analysis.findings {
        let level = match f.severity {
            Severity::Concern => Level::WARNING,
            Severity::Note => Level::NOTE,
            Severity::Affirm => Level::INFO.with_name("good"),
        };
        let mut group: Group = level.primary_title(f.kind.label()).id(f.kind.id()).element(
            Snippet::source(text).annotation(
                AnnotationKind::Primary
                    .span(f.start..f.end)
                    .label(f.reason.as_ref()),
            ),
        );
        if let Some(s) = f.suggestion {
            group = group.element(Level::HELP.message(s));
        }
        writeln!(out, "{}\n", renderer.render(&[group]))?;
    }
    if !analysis.parts.present.is_empty() || !analysis.parts.missing.is_empty() {
        let names = |ks: &[kintsugi_coach::Kind]| {
            ks.iter().map(|k| k.label()).collect::<Vec<_>>().join(", ")
        };
        writeln!(
            out,
            "Parts of {} present: {}",
            analysis.context,
            or_none(names(&analysis.parts.present))
        )?;
        writeln!(
            out,
            "Parts missing, most important first: {}",
            or_none(names(&analysis.parts.missing))
        )?;
    }
    let concerns = analysis.concerns().count();
    match concerns {
        0 => writeln!(out, "Nothing here is likely to hurt."),
        1 => writeln!(
            out,
            "1 concern. The words are yours: change them or send them as they are."
        ),
        n => writeln!(
            out,
            "{n} concerns. The words are yours: change them or send them as they are."
        ),
    }
}

fn or_none(s: String) -> String {
    if s.is_empty() {
        "none".into()
    } else {
        s
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Input {
    text: String,
    #[serde(default)]
    context: Option<Context>,
    #[serde(default)]
    laid_to_rest: Option<Vec<String>>,
}

fn jsonl(defaults: &Options) -> ExitCode {
    let stdin = io::stdin();
    let mut out = io::BufWriter::new(io::stdout().lock());
    let mut bad = false;
    for (i, line) in stdin.lock().lines().enumerate() {
        let line = match line {
            Ok(l) => l,
            Err(e) => {
                eprintln!("kintsugi check: could not read line {}: {e}", i + 1);
                return ExitCode::from(2);
            }
        };
        let result = if line.trim_start().starts_with('{') {
            serde_json::from_str::<Input>(&line).map(|input| {
                let options = Options {
                    context: input.context.unwrap_or(defaults.context),
                    laid_to_rest: input
                        .laid_to_rest
                        .unwrap_or_else(|| defaults.laid_to_rest.clone()),
                };
                analyse(&input.text, &options)
            })
        } else {
            Ok(analyse(&line, defaults))
        };
        let json = match result {
            Ok(a) => serde_json::to_string(&a),
            Err(e) => {
                bad = true;
                serde_json::to_string(&serde_json::json!({ "line": i + 1, "error": e.to_string() }))
            }
        };
        // Flushed per line: a caller streaming texts in gets answers out.
        let written = json
            .map_err(io::Error::other)
            .and_then(|j| writeln!(out, "{j}"))
            .and_then(|_| out.flush());
        if written.is_err() {
            return ExitCode::from(2); // the reader went away
        }
    }
    ExitCode::from(if bad { 2 } else { 0 })
}
