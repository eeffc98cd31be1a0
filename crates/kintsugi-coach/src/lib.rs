//! The gentle-communication coach: text and a context in, an analysis out.
//!
//! The coach reads a draft the way a couples counsellor might: it points at
//! the words likely to hurt — criticism, contempt, defensiveness,
//! stonewalling, blame, excuses, minimising, apologies that aren't, threats
//! — says why in one plain sentence, and offers a gentler way to say it. It
//! also notices what helps: speaking for oneself, appreciation, owning what
//! one did and the parts of a working apology. It advises; it never blocks.
//!
//! No I/O, no async, no `unsafe`; linear in the length of the text.
//!
//! ```
//! use kintsugi_coach::{analyse, Context, Kind, Options};
//! let a = analyse("You never listen to me.", &Options::default());
//! assert!(a.concern);
//! assert_eq!(a.findings[0].kind, Kind::Criticism);
//! assert_eq!(&"You never listen to me."[a.findings[0].start..a.findings[0].end], "You never");
//! let a = analyse("I'm sorry I lied. How can I make it right?", &Options::for_context(Context::Apology));
//! assert!(a.parts.present.contains(&Kind::Repair));
//! ```
#![forbid(unsafe_code)]

mod engine;
mod kind;
mod lexicon;
mod parts;
mod pattern;
mod rule;
mod rules;
mod text;

use serde::Serialize;
use std::borrow::Cow;

pub use kind::{Context, Kind, Severity};
pub use rule::{Mood, Rule, Scope};
pub use rules::RULES;

/// What to analyse the text for.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub context: Context,
    /// Names and words of incidents the couple has laid to rest; a draft
    /// that goes back to one gets a gentle `reopening` note.
    pub laid_to_rest: Vec<String>,
}

impl Options {
    pub fn for_context(context: Context) -> Options {
        Options {
            context,
            ..Options::default()
        }
    }
}

/// One thing the coach noticed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub kind: Kind,
    pub severity: Severity,
    /// Byte offsets into the analysed text, on character boundaries.
    pub start: usize,
    pub end: usize,
    /// The rule that found it, e.g. `criticism.always_never`.
    pub rule: &'static str,
    /// Why it matters, in one plain sentence.
    pub reason: Cow<'static, str>,
    /// A gentler way to say it, where there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suggestion: Option<&'static str>,
}

/// Which parts of an apology or a statement of responsibility are there,
/// in order of importance.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Parts {
    pub present: Vec<Kind>,
    pub missing: Vec<Kind>,
}

/// Whether the coach could read the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Language {
    English,
    /// Not English, as far as the coach can tell: it says so rather than
    /// guessing, and finds nothing.
    Unknown,
}

impl Language {
    pub fn is_english(self) -> bool {
        self == Language::English
    }
}

/// Everything the coach has to say about one text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Analysis {
    pub context: Context,
    pub language: Language,
    /// True when at least one finding is a concern.
    pub concern: bool,
    /// In order of position in the text.
    pub findings: Vec<Finding>,
    /// For the `apology` and `responsibility` contexts; empty otherwise.
    pub parts: Parts,
}

impl Analysis {
    /// The findings that are concerns.
    pub fn concerns(&self) -> impl Iterator<Item = &Finding> {
        self.findings
            .iter()
            .filter(|f| f.severity == Severity::Concern)
    }
}

/// Analyse `text`.
pub fn analyse(text: &str, options: &Options) -> Analysis {
    engine::analyse(text, options)
}

/// Check every rule's pattern and examples; returns what failed. The test
/// suite runs this, and so can anyone changing the rules.
pub fn check_rules() -> Vec<String> {
    engine::check_rules()
}
