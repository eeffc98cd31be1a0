//! What the coach can find, how much it matters, and where a text is going.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// The kinds of finding. Their snake_case ids are a contract: the command
/// line, the JSON API and the labelled corpus all speak them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    // What will hurt.
    Criticism,
    Contempt,
    Defensiveness,
    Stonewalling,
    BlameShift,
    Excuse,
    Minimizing,
    NonApology,
    Threat,
    Reopening,
    // What helps.
    IStatement,
    Appreciation,
    Responsibility,
    Regret,
    Acknowledgment,
    Impact,
    Change,
    Repair,
    ForgivenessRequest,
}

impl Kind {
    pub const ALL: [Kind; 19] = [
        Kind::Criticism,
        Kind::Contempt,
        Kind::Defensiveness,
        Kind::Stonewalling,
        Kind::BlameShift,
        Kind::Excuse,
        Kind::Minimizing,
        Kind::NonApology,
        Kind::Threat,
        Kind::Reopening,
        Kind::IStatement,
        Kind::Appreciation,
        Kind::Responsibility,
        Kind::Regret,
        Kind::Acknowledgment,
        Kind::Impact,
        Kind::Change,
        Kind::Repair,
        Kind::ForgivenessRequest,
    ];

    /// The stable id, as in JSON.
    pub fn id(self) -> &'static str {
        match self {
            Kind::Criticism => "criticism",
            Kind::Contempt => "contempt",
            Kind::Defensiveness => "defensiveness",
            Kind::Stonewalling => "stonewalling",
            Kind::BlameShift => "blame_shift",
            Kind::Excuse => "excuse",
            Kind::Minimizing => "minimizing",
            Kind::NonApology => "non_apology",
            Kind::Threat => "threat",
            Kind::Reopening => "reopening",
            Kind::IStatement => "i_statement",
            Kind::Appreciation => "appreciation",
            Kind::Responsibility => "responsibility",
            Kind::Regret => "regret",
            Kind::Acknowledgment => "acknowledgment",
            Kind::Impact => "impact",
            Kind::Change => "change",
            Kind::Repair => "repair",
            Kind::ForgivenessRequest => "forgiveness_request",
        }
    }

    /// A short name for people.
    pub fn label(self) -> &'static str {
        match self {
            Kind::Criticism => "Criticism",
            Kind::Contempt => "Contempt",
            Kind::Defensiveness => "Defensiveness",
            Kind::Stonewalling => "Shutting down",
            Kind::BlameShift => "Shifting the blame",
            Kind::Excuse => "Excuse",
            Kind::Minimizing => "Making it small",
            Kind::NonApology => "An apology that isn't one",
            Kind::Threat => "Threat or ultimatum",
            Kind::Reopening => "Something laid to rest",
            Kind::IStatement => "Speaking for yourself",
            Kind::Appreciation => "Appreciation",
            Kind::Responsibility => "Owning it",
            Kind::Regret => "Regret",
            Kind::Acknowledgment => "Naming what you did",
            Kind::Impact => "Seeing how it hurt",
            Kind::Change => "What will change",
            Kind::Repair => "Offering to repair",
            Kind::ForgivenessRequest => "Asking for forgiveness",
        }
    }

    /// Whether this kind is one of the harmful patterns.
    pub fn is_concern(self) -> bool {
        self < Kind::IStatement
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

impl FromStr for Kind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Kind::ALL
            .into_iter()
            .find(|k| k.id() == s)
            .ok_or_else(|| format!("unknown kind `{s}`"))
    }
}

/// How much a finding matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Likely to hurt: worth changing before sending.
    Concern,
    /// Might land hard, depending on tone: worth a second look.
    Note,
    /// Something that helps, said well.
    Affirm,
}

impl Severity {
    pub fn id(self) -> &'static str {
        match self {
            Severity::Concern => "concern",
            Severity::Note => "note",
            Severity::Affirm => "affirm",
        }
    }
}

/// Where the text is going, which changes what the coach looks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Context {
    /// A message to one's partner.
    #[default]
    Message,
    /// A statement of what one did.
    Responsibility,
    /// An apology.
    Apology,
}

impl Context {
    pub const ALL: [Context; 3] = [Context::Message, Context::Responsibility, Context::Apology];

    pub fn id(self) -> &'static str {
        match self {
            Context::Message => "message",
            Context::Responsibility => "responsibility",
            Context::Apology => "apology",
        }
    }
}

impl fmt::Display for Context {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

impl FromStr for Context {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Context::ALL
            .into_iter()
            .find(|c| c.id() == s)
            .ok_or_else(|| {
                format!("unknown context `{s}`: expected message, responsibility or apology")
            })
    }
}
