//! Stage 6, clear boundaries: the couple's shared agreement.
//!
//! An agreement is a short list of boundaries, each a sentence and perhaps a
//! few words on why. It changes only by proposal and consent: one partner
//! proposes a new boundary, new wording for one, or its removal, and it
//! takes effect when the other consents. Every accepted proposal makes the
//! next version; version 0 is the empty agreement both start from.
//!
//! Nothing is rewritten. A version is a whole snapshot, kept for good; a
//! proposal is kept as it was made, and how it ended (accepted, declined,
//! countered, withdrawn, or gone stale) is recorded beside it. So either
//! partner can look at any version, and at what changed between any two.
//!
//! A boundary keeps its identity across versions through its `key`, the id
//! of the proposal that first added it, and remembers the version its
//! present wording took effect in (`since`). A proposal to change or remove
//! it records the `since` it was made against: if another accepted proposal
//! changed or removed the boundary meanwhile, the proposal is stale and
//! needs a fresh look rather than quietly overwriting what was agreed.

use serde::Serialize;
use similar::{ChangeTag, TextDiff};

use crate::{text, Invalid, UserId};

pub const TEXT_MAX_CHARS: usize = 300;
pub const WHY_MAX_CHARS: usize = 600;
pub const NOTE_MAX_CHARS: usize = 1000;
pub const REASON_MAX_CHARS: usize = 1000;
/// An agreement is a handful of clear lines, not a rulebook.
pub const MAX_BOUNDARIES: usize = 60;
/// How much of a boundary's wording a one-line summary quotes.
const SUMMARY_QUOTE_CHARS: usize = 70;

/// One boundary, as it stands in one version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Boundary {
    /// Stays the same across versions: the id of the proposal that added it.
    pub key: i64,
    pub text: String,
    pub why: Option<String>,
    /// The version in which this wording took effect.
    pub since: i64,
}

/// The agreement at one version.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Agreement {
    pub version: i64,
    /// In the order they were first agreed.
    pub boundaries: Vec<Boundary>,
}

impl Agreement {
    pub fn boundary(&self, key: i64) -> Option<&Boundary> {
        self.boundaries.iter().find(|b| b.key == key)
    }

    /// Whether `proposal` was made against a boundary that has changed or
    /// gone since.
    pub fn is_stale(&self, proposal: &Proposal) -> bool {
        match proposal.target() {
            Some((key, seen)) => self.boundary(key).is_none_or(|b| b.since != seen),
            None => false,
        }
    }

    /// The next version, with `proposal` applied. `key` names a boundary
    /// the proposal adds (the proposal's own id).
    pub fn apply(&self, proposal: &Proposal, key: i64) -> Result<Agreement, Refusal> {
        if self.is_stale(proposal) {
            return Err(Refusal::Stale);
        }
        let version = self.version + 1;
        let mut boundaries = self.boundaries.clone();
        match proposal {
            Proposal::Add { text, why } => {
                if boundaries.len() >= MAX_BOUNDARIES {
                    return Err(Refusal::Full);
                }
                boundaries.push(Boundary {
                    key,
                    text: text.clone(),
                    why: why.clone(),
                    since: version,
                });
            }
            Proposal::Change {
                boundary,
                text,
                why,
                ..
            } => {
                for b in boundaries.iter_mut().filter(|b| b.key == *boundary) {
                    b.text = text.clone();
                    b.why = why.clone();
                    b.since = version;
                }
            }
            Proposal::Remove { boundary, .. } => boundaries.retain(|b| b.key != *boundary),
        }
        Ok(Agreement {
            version,
            boundaries,
        })
    }
}

/// What a proposal asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Add,
    Change,
    Remove,
}

impl Kind {
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "add" => Some(Self::Add),
            "change" => Some(Self::Change),
            "remove" => Some(Self::Remove),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Add => "add",
            Self::Change => "change",
            Self::Remove => "remove",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Add => "A new boundary",
            Self::Change => "New wording for a boundary",
            Self::Remove => "Letting a boundary go",
        }
    }
}

/// A proposed change to the agreement, as it was made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Proposal {
    Add {
        text: String,
        why: Option<String>,
    },
    Change {
        boundary: i64,
        /// The `since` of the wording the proposer saw.
        seen: i64,
        text: String,
        why: Option<String>,
    },
    Remove {
        boundary: i64,
        seen: i64,
    },
}

impl Proposal {
    pub fn kind(&self) -> Kind {
        match self {
            Self::Add { .. } => Kind::Add,
            Self::Change { .. } => Kind::Change,
            Self::Remove { .. } => Kind::Remove,
        }
    }

    /// The boundary a change or removal is about, and the wording it saw.
    pub fn target(&self) -> Option<(i64, i64)> {
        match self {
            Self::Add { .. } => None,
            Self::Change { boundary, seen, .. } | Self::Remove { boundary, seen } => {
                Some((*boundary, *seen))
            }
        }
    }

    /// The proposed wording, for an addition or a change.
    pub fn text(&self) -> Option<&str> {
        match self {
            Self::Add { text, .. } | Self::Change { text, .. } => Some(text),
            Self::Remove { .. } => None,
        }
    }

    pub fn why(&self) -> Option<&str> {
        match self {
            Self::Add { why, .. } | Self::Change { why, .. } => why.as_deref(),
            Self::Remove { .. } => None,
        }
    }

    /// A one-line summary of what accepting this did to `before`, for the
    /// history and the couple's timeline.
    pub fn summary(&self, before: &Agreement) -> String {
        match self {
            Self::Add { text, .. } => format!("Added \u{201c}{}\u{201d}", quote(text)),
            Self::Change { boundary, text, .. } => match before.boundary(*boundary) {
                Some(old) => format!(
                    "Reworded \u{201c}{}\u{201d} as \u{201c}{}\u{201d}",
                    quote(&old.text),
                    quote(text)
                ),
                None => format!("Reworded a boundary as \u{201c}{}\u{201d}", quote(text)),
            },
            Self::Remove { boundary, .. } => match before.boundary(*boundary) {
                Some(old) => format!("Let go of \u{201c}{}\u{201d}", quote(&old.text)),
                None => "Let go of a boundary".to_owned(),
            },
        }
    }
}

/// The first words of `text` on one line, cut at a word where it is long.
fn quote(text: &str) -> String {
    let line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if line.chars().count() <= SUMMARY_QUOTE_CHARS {
        return line;
    }
    let cut: String = line.chars().take(SUMMARY_QUOTE_CHARS).collect();
    let cut = match cut.rfind(' ') {
        Some(i) if i > SUMMARY_QUOTE_CHARS / 2 => &cut[..i],
        _ => cut.as_str(),
    };
    format!("{}\u{2026}", cut.trim_end_matches([',', '.', ';', ':']))
}

/// Where a proposal stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Waiting for the other partner.
    Pending,
    /// Consented to: it made a version.
    Accepted,
    Declined,
    /// Answered with other wording, which is a proposal of its own.
    Countered,
    /// Taken back by the partner who made it.
    Withdrawn,
    /// The boundary it was about changed or went before it was answered.
    Stale,
}

impl Status {
    pub const CLOSED: [Status; 5] = [
        Status::Accepted,
        Status::Declined,
        Status::Countered,
        Status::Withdrawn,
        Status::Stale,
    ];

    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "pending" => Some(Self::Pending),
            "accepted" => Some(Self::Accepted),
            "declined" => Some(Self::Declined),
            "countered" => Some(Self::Countered),
            "withdrawn" => Some(Self::Withdrawn),
            "stale" => Some(Self::Stale),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Accepted => "accepted",
            Self::Declined => "declined",
            Self::Countered => "countered",
            Self::Withdrawn => "withdrawn",
            Self::Stale => "stale",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Pending => "waiting for an answer",
            Self::Accepted => "agreed",
            Self::Declined => "declined",
            Self::Countered => "answered with other wording",
            Self::Withdrawn => "withdrawn",
            Self::Stale => "overtaken by a later change",
        }
    }
}

/// What a partner can do with a proposal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    Consent,
    Decline,
    Counter,
    Withdraw,
}

impl Answer {
    /// The status a proposal closes with when this answer is allowed.
    pub fn closes_as(self) -> Status {
        match self {
            Self::Consent => Status::Accepted,
            Self::Decline => Status::Declined,
            Self::Counter => Status::Countered,
            Self::Withdraw => Status::Withdrawn,
        }
    }
}

pub const OWN_PROPOSAL: &str = "Only your partner can consent to, decline or answer what you proposed: a boundary holds because both of you chose it.";
pub const NOT_YOURS: &str = "Only the partner who made a proposal can withdraw it.";

/// Why an answer is not possible, in words for the person who tried.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("{}", OWN_PROPOSAL)]
    OwnProposal,
    #[error("{}", NOT_YOURS)]
    NotYours,
    #[error("This proposal is no longer open: it was {}.", .0.label())]
    Closed(Status),
    #[error("The boundary this proposal is about was changed or let go by another agreed proposal since it was made, so it needs a fresh look. Read the agreement as it is now, and propose again if it still matters.")]
    Stale,
    #[error("Your agreement already holds {MAX_BOUNDARIES} boundaries. Let one go, or fold two together, before adding another.")]
    Full,
}

impl Refusal {
    /// Whether the refusal is about who is asking (rather than when).
    pub fn is_forbidden(self) -> bool {
        matches!(self, Self::OwnProposal | Self::NotYours)
    }
}

/// Whether `who` may give `answer` to a proposal `proposer` made, which now
/// stands at `status`. Who may act is checked first: a person never learns
/// more about a proposal by trying what is not theirs to do.
pub fn may_answer(
    proposer: UserId,
    status: Status,
    who: UserId,
    answer: Answer,
) -> Result<Status, Refusal> {
    match answer {
        Answer::Withdraw if who != proposer => return Err(Refusal::NotYours),
        Answer::Consent | Answer::Decline | Answer::Counter if who == proposer => {
            return Err(Refusal::OwnProposal)
        }
        _ => {}
    }
    if status != Status::Pending {
        return Err(Refusal::Closed(status));
    }
    Ok(answer.closes_as())
}

/// A proposal's fields as they arrive from a form or the API, before parsing.
#[derive(Debug, Clone, Copy, Default)]
pub struct Draft<'a> {
    pub kind: &'a str,
    pub boundary: &'a str,
    pub text: &'a str,
    pub why: &'a str,
    pub note: &'a str,
}

/// Parses a new proposal against the agreement as it stands now. Returns
/// the proposal and its optional note, or every problem at once.
pub fn parse_proposal(
    draft: Draft<'_>,
    current: &Agreement,
) -> Result<(Proposal, Option<String>), Vec<Invalid>> {
    let mut errors = Vec::new();
    let note = text::optional("note", draft.note, NOTE_MAX_CHARS)
        .map_err(|e| errors.push(e))
        .ok()
        .flatten();
    let Some(kind) = Kind::parse(draft.kind.trim()) else {
        errors.push(Invalid::new(
            "kind",
            "Choose what you are proposing: a new boundary, new wording, or letting one go.",
        ));
        return Err(errors);
    };
    let target = match kind {
        Kind::Add => None,
        Kind::Change | Kind::Remove => {
            let found = draft
                .boundary
                .trim()
                .parse::<i64>()
                .ok()
                .and_then(|key| current.boundary(key));
            match found {
                Some(b) => Some(b),
                None => {
                    errors.push(Invalid::new(
                        "boundary",
                        "That boundary is not in your agreement as it stands now. Reload the page to see the agreement as it is.",
                    ));
                    return Err(errors);
                }
            }
        }
    };
    let proposal = match (kind, target) {
        (Kind::Remove, Some(b)) => Some(Proposal::Remove {
            boundary: b.key,
            seen: b.since,
        }),
        (_, target) => wording(draft.text, draft.why, &mut errors).and_then(|(text, why)| {
            match target {
                None if current.boundaries.len() >= MAX_BOUNDARIES => {
                    errors.push(Invalid::new("text", Refusal::Full.to_string()));
                    None
                }
                None if current.boundaries.iter().any(|b| same(&b.text, &text)) => {
                    errors.push(Invalid::new(
                        "text",
                        "Your agreement already holds this boundary, in these words.",
                    ));
                    None
                }
                None => Some(Proposal::Add { text, why }),
                Some(b) if same(&b.text, &text) && b.why == why => {
                    errors.push(Invalid::new(
                        "text",
                        "This is the wording the boundary already has. Change the words you would like to change.",
                    ));
                    None
                }
                Some(b) => Some(Proposal::Change {
                    boundary: b.key,
                    seen: b.since,
                    text,
                    why,
                }),
            }
        }),
    };
    match proposal {
        Some(p) if errors.is_empty() => Ok((p, note)),
        _ => Err(errors),
    }
}

/// Parses the other partner's counter-proposal to `original`: the same
/// boundary, in their words. A counter to letting a boundary go offers new
/// wording for it instead.
pub fn parse_counter(
    original: &Proposal,
    raw_text: &str,
    raw_why: &str,
    raw_note: &str,
) -> Result<(Proposal, Option<String>), Vec<Invalid>> {
    let mut errors = Vec::new();
    let note = text::optional("note", raw_note, NOTE_MAX_CHARS)
        .map_err(|e| errors.push(e))
        .ok()
        .flatten();
    let Some((text, why)) = wording(raw_text, raw_why, &mut errors) else {
        return Err(errors);
    };
    if original.text().is_some_and(|t| same(t, &text)) && original.why() == why.as_deref() {
        errors.push(Invalid::new(
            "text",
            "This is the wording already proposed. To agree to it as it is, consent instead.",
        ));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let counter = match original {
        Proposal::Add { .. } => Proposal::Add { text, why },
        Proposal::Change { boundary, seen, .. } | Proposal::Remove { boundary, seen } => {
            Proposal::Change {
                boundary: *boundary,
                seen: *seen,
                text,
                why,
            }
        }
    };
    Ok((counter, note))
}

/// A reason for declining: required, so the one who proposed is not left guessing.
pub fn parse_reason(raw: &str) -> Result<String, Invalid> {
    text::optional("reason", raw, REASON_MAX_CHARS)?.ok_or_else(|| {
        Invalid::new(
            "reason",
            "Say in a few words why not, so your partner is not left guessing.",
        )
    })
}

fn wording(
    raw_text: &str,
    raw_why: &str,
    errors: &mut Vec<Invalid>,
) -> Option<(String, Option<String>)> {
    let text = text::optional("text", raw_text, TEXT_MAX_CHARS)
        .map_err(|e| errors.push(e))
        .ok();
    let why = text::optional("why", raw_why, WHY_MAX_CHARS)
        .map_err(|e| errors.push(e))
        .ok();
    match (text, why) {
        (Some(Some(text)), Some(why)) => Some((text, why)),
        (Some(None), _) => {
            errors.push(Invalid::new(
                "text",
                "Write the boundary in a sentence, for example \u{201c}We tell each other when plans change.\u{201d}",
            ));
            None
        }
        _ => None,
    }
}

/// Two wordings are the same when only spacing or letter case differ.
fn same(a: &str, b: &str) -> bool {
    let norm = |s: &str| {
        s.split_whitespace()
            .map(str::to_lowercase)
            .collect::<Vec<_>>()
    };
    norm(a) == norm(b)
}

// ---- Differences between versions ----

/// How one boundary differs between two versions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum Difference {
    Added {
        boundary: Boundary,
    },
    Removed {
        boundary: Boundary,
    },
    Changed {
        before: Boundary,
        after: Boundary,
        /// The wording, word by word: what stayed, what went, what came.
        words: Vec<Piece>,
    },
}

impl Difference {
    pub fn key(&self) -> i64 {
        match self {
            Self::Added { boundary } | Self::Removed { boundary } => boundary.key,
            Self::Changed { after, .. } => after.key,
        }
    }
}

/// A run of words that stayed, went or came.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Piece {
    pub change: PieceChange,
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PieceChange {
    Same,
    Removed,
    Added,
}

/// What changed from one version's boundaries to another's, in the order
/// the boundaries were first agreed. Either version may be the older.
pub fn diff(from: &[Boundary], to: &[Boundary]) -> Vec<Difference> {
    let mut keys: Vec<i64> = from.iter().chain(to).map(|b| b.key).collect();
    keys.sort_unstable();
    keys.dedup();
    keys.into_iter()
        .filter_map(|key| {
            let before = from.iter().find(|b| b.key == key);
            let after = to.iter().find(|b| b.key == key);
            match (before, after) {
                (None, Some(b)) => Some(Difference::Added {
                    boundary: b.clone(),
                }),
                (Some(b), None) => Some(Difference::Removed {
                    boundary: b.clone(),
                }),
                (Some(a), Some(b)) if a.text != b.text || a.why != b.why => {
                    Some(Difference::Changed {
                        before: a.clone(),
                        after: b.clone(),
                        words: word_diff(&a.text, &b.text),
                    })
                }
                _ => None,
            }
        })
        .collect()
}

/// The change from `before` to `after` word by word, neighbouring words of
/// the same kind joined into one piece.
pub fn word_diff(before: &str, after: &str) -> Vec<Piece> {
    let mut pieces: Vec<Piece> = Vec::new();
    for change in TextDiff::from_words(before, after).iter_all_changes() {
        let kind = match change.tag() {
            ChangeTag::Equal => PieceChange::Same,
            ChangeTag::Delete => PieceChange::Removed,
            ChangeTag::Insert => PieceChange::Added,
        };
        let text = change.value();
        match pieces.last_mut() {
            Some(last) if last.change == kind => last.text.push_str(text),
            _ => pieces.push(Piece {
                change: kind,
                text: text.to_owned(),
            }),
        }
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    const ANA: UserId = UserId(1);
    const BEN: UserId = UserId(2);

    fn draft<'a>(kind: &'a str, boundary: &'a str, text: &'a str) -> Draft<'a> {
        Draft {
            kind,
            boundary,
            text,
            ..Default::default()
        }
    }

    fn agreed(texts: &[&str]) -> Agreement {
        let mut a = Agreement::default();
        for (i, t) in texts.iter().enumerate() {
            let (p, _) = parse_proposal(draft("add", "", t), &a).unwrap();
            a = a.apply(&p, 100 + i as i64).unwrap();
        }
        a
    }

    #[test]
    fn only_the_other_partner_answers_and_only_the_proposer_withdraws() {
        use Answer::*;
        assert_eq!(
            may_answer(ANA, Status::Pending, ANA, Consent),
            Err(Refusal::OwnProposal)
        );
        assert_eq!(
            may_answer(ANA, Status::Pending, ANA, Decline),
            Err(Refusal::OwnProposal)
        );
        assert_eq!(
            may_answer(ANA, Status::Pending, ANA, Counter),
            Err(Refusal::OwnProposal)
        );
        assert_eq!(
            may_answer(ANA, Status::Pending, BEN, Withdraw),
            Err(Refusal::NotYours)
        );
        assert_eq!(
            may_answer(ANA, Status::Pending, BEN, Consent),
            Ok(Status::Accepted)
        );
        assert_eq!(
            may_answer(ANA, Status::Pending, BEN, Decline),
            Ok(Status::Declined)
        );
        assert_eq!(
            may_answer(ANA, Status::Pending, BEN, Counter),
            Ok(Status::Countered)
        );
        assert_eq!(
            may_answer(ANA, Status::Pending, ANA, Withdraw),
            Ok(Status::Withdrawn)
        );
        assert!(Refusal::OwnProposal.is_forbidden() && Refusal::NotYours.is_forbidden());
        assert!(!Refusal::Stale.is_forbidden());
    }

    #[test]
    fn a_closed_proposal_takes_no_further_answer() {
        for closed in Status::CLOSED {
            for answer in [Answer::Consent, Answer::Decline, Answer::Counter] {
                assert_eq!(
                    may_answer(ANA, closed, BEN, answer),
                    Err(Refusal::Closed(closed))
                );
            }
            assert_eq!(
                may_answer(ANA, closed, ANA, Answer::Withdraw),
                Err(Refusal::Closed(closed))
            );
            assert_eq!(Status::parse(closed.as_str()), Some(closed));
        }
        // Who may act is said first, whatever the state.
        assert_eq!(
            may_answer(ANA, Status::Accepted, ANA, Answer::Consent),
            Err(Refusal::OwnProposal)
        );
        assert!(Refusal::Closed(Status::Accepted)
            .to_string()
            .contains("agreed"));
    }

    #[test]
    fn each_accepted_proposal_makes_the_next_version() {
        let v0 = Agreement::default();
        let (add, note) = parse_proposal(
            Draft {
                kind: "add",
                text: "  No contact with Sam outside work. ",
                why: "I need to feel safe",
                note: "",
                boundary: "",
            },
            &v0,
        )
        .unwrap();
        assert_eq!(note, None);
        let v1 = v0.apply(&add, 7).unwrap();
        assert_eq!(v1.version, 1);
        assert_eq!(v1.boundaries[0].key, 7);
        assert_eq!(v1.boundaries[0].text, "No contact with Sam outside work.");
        assert_eq!(v1.boundaries[0].since, 1);
        assert_eq!(v0.boundaries.len(), 0, "the old version is untouched");

        let (change, _) = parse_proposal(
            draft(
                "change",
                "7",
                "No contact with Sam outside work, and no private messages.",
            ),
            &v1,
        )
        .unwrap();
        let v2 = v1.apply(&change, 8).unwrap();
        assert_eq!(v2.boundaries.len(), 1);
        assert_eq!(v2.boundaries[0].key, 7, "the same boundary, new words");
        assert_eq!(v2.boundaries[0].since, 2);
        assert_eq!(v2.boundaries[0].why, None);

        let (remove, _) = parse_proposal(draft("remove", "7", ""), &v2).unwrap();
        let v3 = v2.apply(&remove, 9).unwrap();
        assert_eq!((v3.version, v3.boundaries.len()), (3, 0));
    }

    #[test]
    fn a_change_to_a_boundary_changed_since_is_stale() {
        let v1 = agreed(&["We are home by ten."]);
        let key = v1.boundaries[0].key;
        let (first, _) = parse_proposal(
            draft("change", &key.to_string(), "We are home by eleven."),
            &v1,
        )
        .unwrap();
        let (second, _) = parse_proposal(draft("remove", &key.to_string(), ""), &v1).unwrap();
        let v2 = v1.apply(&first, 1).unwrap();
        assert!(v2.is_stale(&second));
        assert_eq!(v2.apply(&second, 2), Err(Refusal::Stale));
        let v3 = v2
            .apply(
                &parse_proposal(draft("remove", &key.to_string(), ""), &v2)
                    .unwrap()
                    .0,
                3,
            )
            .unwrap();
        assert!(v3.is_stale(&first), "a removed boundary cannot be changed");
        // Additions never go stale.
        let (add, _) = parse_proposal(draft("add", "", "We say goodnight."), &v1).unwrap();
        assert!(!v3.is_stale(&add));
    }

    #[test]
    fn proposals_are_checked_against_the_agreement_as_it_stands() {
        let v1 = agreed(&["We are home by ten."]);
        let e = parse_proposal(draft("change", "999", "Something"), &v1).unwrap_err();
        assert_eq!(e[0].field, "boundary");
        let e = parse_proposal(draft("remove", "nope", ""), &v1).unwrap_err();
        assert_eq!(e[0].field, "boundary");
        let e = parse_proposal(draft("add", "", "  we are HOME by ten. "), &v1).unwrap_err();
        assert!(e[0].message.contains("already holds"));
        let e = parse_proposal(draft("change", "100", "We are home by ten."), &v1).unwrap_err();
        assert!(e[0].message.contains("already has"));
        let e = parse_proposal(draft("maybe", "", "x"), &v1).unwrap_err();
        assert_eq!(e[0].field, "kind");
        let e = parse_proposal(
            Draft {
                kind: "add",
                text: " ",
                note: &"n".repeat(NOTE_MAX_CHARS + 1),
                ..Default::default()
            },
            &v1,
        )
        .unwrap_err();
        let fields: Vec<_> = e.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["note", "text"], "every problem at once");
        assert!(parse_proposal(draft("add", "", &"x".repeat(TEXT_MAX_CHARS + 1)), &v1).is_err());
        assert!(parse_proposal(draft("add", "", "a\u{0}b"), &v1).is_err());
    }

    #[test]
    fn an_agreement_stays_a_handful_of_lines() {
        let texts: Vec<String> = (0..MAX_BOUNDARIES).map(|i| format!("Line {i}")).collect();
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let full = agreed(&refs);
        assert!(parse_proposal(draft("add", "", "One more"), &full).is_err());
        let add = Proposal::Add {
            text: "One more".into(),
            why: None,
        };
        assert_eq!(full.apply(&add, 1), Err(Refusal::Full));
    }

    #[test]
    fn a_counter_keeps_the_boundary_and_takes_new_words() {
        let v1 = agreed(&["We are home by ten."]);
        let (remove, _) = parse_proposal(draft("remove", "100", ""), &v1).unwrap();
        let (counter, note) = parse_counter(
            &remove,
            "We are home by eleven on Fridays.",
            "",
            "Meet me halfway?",
        )
        .unwrap();
        assert_eq!(
            counter,
            Proposal::Change {
                boundary: 100,
                seen: 1,
                text: "We are home by eleven on Fridays.".into(),
                why: None
            }
        );
        assert_eq!(note.as_deref(), Some("Meet me halfway?"));
        let add = Proposal::Add {
            text: "We call at lunch.".into(),
            why: None,
        };
        assert!(parse_counter(&add, "we call at  lunch.", "", "").is_err());
        assert!(parse_counter(&add, "", "", "").is_err());
        assert_eq!(
            parse_counter(&add, "We text at lunch.", "", "")
                .unwrap()
                .0
                .kind(),
            Kind::Add
        );
    }

    #[test]
    fn declining_needs_a_reason() {
        assert_eq!(parse_reason("  ").unwrap_err().field, "reason");
        assert_eq!(parse_reason(" Not yet. ").unwrap(), "Not yet.");
        assert!(parse_reason(&"x".repeat(REASON_MAX_CHARS + 1)).is_err());
    }

    #[test]
    fn the_difference_between_any_two_versions() {
        let v1 = agreed(&[
            "We are home by ten.",
            "No contact with Sam.",
            "We eat together.",
        ]);
        let (change, _) = parse_proposal(
            draft("change", "100", "We are home by eleven on weekdays."),
            &v1,
        )
        .unwrap();
        let v2 = v1.apply(&change, 1).unwrap();
        let (remove, _) = parse_proposal(draft("remove", "101", ""), &v2).unwrap();
        let v3 = v2.apply(&remove, 2).unwrap();
        let (add, _) = parse_proposal(draft("add", "", "We share our calendars."), &v3).unwrap();
        let v4 = v3.apply(&add, 300).unwrap();

        let d = diff(&v1.boundaries, &v4.boundaries);
        assert_eq!(d.len(), 3);
        assert!(matches!(&d[0], Difference::Changed { before, after, .. }
            if before.text == "We are home by ten." && after.text == "We are home by eleven on weekdays."));
        assert!(matches!(&d[1], Difference::Removed { boundary } if boundary.key == 101));
        assert!(matches!(&d[2], Difference::Added { boundary } if boundary.key == 300));
        // The other way round, the same boundaries with the roles swapped.
        let back = diff(&v4.boundaries, &v1.boundaries);
        assert!(matches!(&back[1], Difference::Added { boundary } if boundary.key == 101));
        assert!(matches!(&back[2], Difference::Removed { boundary } if boundary.key == 300));
        assert!(diff(&v2.boundaries, &v2.boundaries).is_empty());
        assert_eq!(
            diff(&[], &v1.boundaries).len(),
            3,
            "from version 0 everything is new"
        );
    }

    #[test]
    fn changed_wording_is_shown_word_by_word() {
        let pieces = word_diff("We are home by ten.", "We are home by eleven on weekdays.");
        let joined = |kind: PieceChange| {
            pieces
                .iter()
                .filter(|p| p.change == kind)
                .map(|p| p.text.as_str())
                .collect::<String>()
        };
        assert_eq!(pieces[0].change, PieceChange::Same);
        assert_eq!(pieces[0].text, "We are home by ");
        assert!(joined(PieceChange::Removed).contains("ten."));
        assert!(joined(PieceChange::Added).contains("eleven on weekdays."));
        // Putting the kept and the new pieces together gives the new wording.
        let after: String = pieces
            .iter()
            .filter(|p| p.change != PieceChange::Removed)
            .map(|p| p.text.as_str())
            .collect();
        assert_eq!(after, "We are home by eleven on weekdays.");
        let before: String = pieces
            .iter()
            .filter(|p| p.change != PieceChange::Added)
            .map(|p| p.text.as_str())
            .collect();
        assert_eq!(before, "We are home by ten.");
        // Only the reason changed: still a change, with no word changed.
        let a = Boundary {
            key: 1,
            text: "Same".into(),
            why: None,
            since: 1,
        };
        let b = Boundary {
            why: Some("Because".into()),
            since: 2,
            ..a.clone()
        };
        assert!(
            matches!(&diff(&[a], &[b])[0], Difference::Changed { words, .. }
            if words.iter().all(|p| p.change == PieceChange::Same))
        );
    }

    #[test]
    fn summaries_are_one_short_line() {
        let v1 = agreed(&["We are home by ten."]);
        let add = Proposal::Add {
            text: "We tell each other\nwhen plans change, always, even when it feels awkward or unimportant to say so.".into(),
            why: None,
        };
        let s = add.summary(&v1);
        assert!(s.starts_with("Added \u{201c}We tell each other when plans change"));
        assert!(!s.contains('\n') && s.chars().count() < 90 && s.contains('\u{2026}'));
        let (remove, _) = parse_proposal(draft("remove", "100", ""), &v1).unwrap();
        assert_eq!(
            remove.summary(&v1),
            "Let go of \u{201c}We are home by ten.\u{201d}"
        );
        let (change, _) = parse_proposal(draft("change", "100", "Home by 11."), &v1).unwrap();
        assert_eq!(
            change.summary(&v1),
            "Reworded \u{201c}We are home by ten.\u{201d} as \u{201c}Home by 11.\u{201d}"
        );
    }
}
