//! Stage 12, letting the past go: incidents the couple may lay to rest.
//!
//! An incident is something that happened, as one partner names and
//! describes it. It is its author's alone until they share it; once shared,
//! both see it. Either partner may then say they are ready to lay it to
//! rest, and take that back, until both have said yes: then it is laid to
//! rest, for good. Letting go needs both, and the partner who was hurt sets
//! the pace, so saying "ready" is quiet — the other partner is not told,
//! and nothing counts the days or asks again. When it is laid to rest each
//! writes, once, what they choose to carry forward; the two are shown
//! together when both have written, like letters opened at the same
//! moment, so neither shapes the other's words.
//!
//! What was laid to rest is handed to the coach, which then notes gently
//! when a draft goes back to it ([`coach_words`]).

use std::fmt;

use crate::{text, Invalid, UserId};

pub const NAME_MAX_CHARS: usize = 120;
pub const DESCRIPTION_MAX_CHARS: usize = 4000;
pub const CARRY_MAX_CHARS: usize = 1000;

/// Where an incident stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Its author's alone.
    Private,
    /// Both see it; either may say they are ready.
    Shared,
    /// Both said they were ready.
    LaidToRest,
}

impl Stage {
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Private => "private",
            Stage::Shared => "shared",
            Stage::LaidToRest => "laid_to_rest",
        }
    }
}

/// Why an action on an incident cannot happen now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Only its author shares an incident.
    NotAuthor,
    AlreadyShared,
    /// Readiness is about a shared incident.
    NotShared,
    /// It was laid to rest: readiness is settled.
    AtRest,
    /// There is no readiness to take back.
    NotReady,
    /// Carrying forward comes after both said they were ready.
    NotYetAtRest,
    /// Each writes what they carry forward once.
    AlreadyCarried,
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Refusal::NotAuthor => "Only the person who wrote this can share it.",
            Refusal::AlreadyShared => "This is already shared with your partner.",
            Refusal::NotShared => "Only a shared incident can be laid to rest together: share it with your partner first, if and when you want to.",
            Refusal::AtRest => "This was laid to rest when you both said you were ready, so that answer is settled.",
            Refusal::NotReady => "You have not said you are ready for this one, so there is nothing to take back.",
            Refusal::NotYetAtRest => "What you carry forward is written once you have both said you are ready to lay this to rest.",
            Refusal::AlreadyCarried => "You have already written what you carry forward from this; it is kept as you wrote it.",
        })
    }
}

/// An incident as it was recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IncidentText {
    pub name: String,
    pub description: Option<String>,
}

pub fn parse_incident(name: &str, description: &str) -> Result<IncidentText, Vec<Invalid>> {
    let mut errors = Vec::new();
    let name = match text::required("name", name, NAME_MAX_CHARS) {
        Ok(n) if n.contains('\n') => {
            errors.push(Invalid::new("name", "Please keep the name to one line."));
            None
        }
        Ok(n) => Some(n),
        Err(e) => {
            errors.push(e);
            None
        }
    };
    let description = text::optional("description", description, DESCRIPTION_MAX_CHARS)
        .map_err(|e| errors.push(e))
        .ok()
        .flatten();
    match name {
        Some(name) if errors.is_empty() => Ok(IncidentText { name, description }),
        _ => Err(errors),
    }
}

pub fn parse_carry_forward(raw: &str) -> Result<String, Invalid> {
    text::required("text", raw, CARRY_MAX_CHARS)
}

pub fn may_share(author: UserId, stage: Stage, who: UserId) -> Result<(), Refusal> {
    if author != who {
        return Err(Refusal::NotAuthor);
    }
    match stage {
        Stage::Private => Ok(()),
        _ => Err(Refusal::AlreadyShared),
    }
}

/// Saying one is ready, again or for the first time: allowed while the
/// incident is shared and not yet at rest.
pub fn may_say_ready(stage: Stage) -> Result<(), Refusal> {
    match stage {
        Stage::Private => Err(Refusal::NotShared),
        Stage::Shared => Ok(()),
        Stage::LaidToRest => Err(Refusal::AtRest),
    }
}

/// Taking readiness back: allowed until both have said yes.
pub fn may_withdraw(stage: Stage, ready_now: bool) -> Result<(), Refusal> {
    may_say_ready(stage)?;
    if ready_now {
        Ok(())
    } else {
        Err(Refusal::NotReady)
    }
}

pub fn may_carry_forward(stage: Stage, already_wrote: bool) -> Result<(), Refusal> {
    match stage {
        Stage::LaidToRest if already_wrote => Err(Refusal::AlreadyCarried),
        Stage::LaidToRest => Ok(()),
        _ => Err(Refusal::NotYetAtRest),
    }
}

/// Whether an incident is laid to rest, given each partner's latest word:
/// both must be ready at once.
pub fn both_ready(first: Option<bool>, second: Option<bool>) -> bool {
    first == Some(true) && second == Some(true)
}

/// What each partner carries forward, as a viewer may see it: their own as
/// soon as they wrote it, the other's once both have written.
pub fn carried_as_seen<'a>(
    mine: Option<&'a str>,
    partners: Option<&'a str>,
) -> (Option<&'a str>, Option<&'a str>) {
    match (mine, partners) {
        (Some(m), Some(p)) => (Some(m), Some(p)),
        (m, _) => (m, None),
    }
}

/// The words the coach watches for once an incident is laid to rest: its
/// name as a phrase, and its description, which the coach reads for its
/// distinctive words.
pub fn coach_words(name: &str, description: Option<&str>) -> Vec<String> {
    let mut words = vec![name.to_owned()];
    words.extend(
        description
            .map(str::trim)
            .filter(|d| !d.is_empty())
            .map(str::to_owned),
    );
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    const ANA: UserId = UserId(1);
    const BEN: UserId = UserId(2);

    #[test]
    fn only_the_author_shares_and_only_once() {
        assert_eq!(may_share(ANA, Stage::Private, ANA), Ok(()));
        assert_eq!(may_share(ANA, Stage::Private, BEN), Err(Refusal::NotAuthor));
        assert_eq!(
            may_share(ANA, Stage::Shared, ANA),
            Err(Refusal::AlreadyShared)
        );
        assert_eq!(
            may_share(ANA, Stage::LaidToRest, ANA),
            Err(Refusal::AlreadyShared)
        );
    }

    #[test]
    fn readiness_is_for_shared_incidents_until_both_said_yes() {
        assert_eq!(may_say_ready(Stage::Private), Err(Refusal::NotShared));
        assert_eq!(may_say_ready(Stage::Shared), Ok(()));
        assert_eq!(may_say_ready(Stage::LaidToRest), Err(Refusal::AtRest));
        assert_eq!(may_withdraw(Stage::Shared, true), Ok(()));
        assert_eq!(may_withdraw(Stage::Shared, false), Err(Refusal::NotReady));
        assert_eq!(may_withdraw(Stage::LaidToRest, true), Err(Refusal::AtRest));
        assert_eq!(may_withdraw(Stage::Private, true), Err(Refusal::NotShared));
    }

    #[test]
    fn it_rests_only_when_both_are_ready_at_once() {
        assert!(!both_ready(None, None));
        assert!(!both_ready(Some(true), None));
        assert!(
            !both_ready(Some(true), Some(false)),
            "a withdrawn yes is not a yes"
        );
        assert!(both_ready(Some(true), Some(true)));
    }

    #[test]
    fn carrying_forward_comes_after_rest_and_once() {
        assert_eq!(
            may_carry_forward(Stage::Shared, false),
            Err(Refusal::NotYetAtRest)
        );
        assert_eq!(
            may_carry_forward(Stage::Private, false),
            Err(Refusal::NotYetAtRest)
        );
        assert_eq!(may_carry_forward(Stage::LaidToRest, false), Ok(()));
        assert_eq!(
            may_carry_forward(Stage::LaidToRest, true),
            Err(Refusal::AlreadyCarried)
        );
    }

    #[test]
    fn the_partners_words_wait_until_both_wrote() {
        assert_eq!(carried_as_seen(None, Some("theirs")), (None, None));
        assert_eq!(carried_as_seen(Some("mine"), None), (Some("mine"), None));
        assert_eq!(
            carried_as_seen(Some("mine"), Some("theirs")),
            (Some("mine"), Some("theirs"))
        );
    }

    #[test]
    fn an_incident_needs_a_one_line_name() {
        let ok = parse_incident("  The Lisbon trip ", "").unwrap();
        assert_eq!(ok.name, "The Lisbon trip");
        assert_eq!(ok.description, None);
        let fields = |n: &str, d: &str| -> Vec<&'static str> {
            parse_incident(n, d)
                .unwrap_err()
                .iter()
                .map(|e| e.field)
                .collect()
        };
        assert_eq!(fields("", ""), ["name"]);
        assert_eq!(fields("two\nlines", ""), ["name"]);
        assert_eq!(
            fields("ok", &"x".repeat(DESCRIPTION_MAX_CHARS + 1)),
            ["description"]
        );
        assert_eq!(fields("a\u{0}", "b\u{1b}"), ["name", "description"]);
        assert!(parse_carry_forward(" ").is_err());
    }

    #[test]
    fn the_coach_gets_the_name_and_the_description() {
        assert_eq!(coach_words("The Lisbon trip", None), ["The Lisbon trip"]);
        assert_eq!(
            coach_words("Lisbon", Some("  the weekend away  ")),
            ["Lisbon", "the weekend away"]
        );
        assert_eq!(coach_words("Lisbon", Some("   ")), ["Lisbon"]);
    }
}
