//! Stage 3, a safe space to talk: the rules of a structured conversation.
//!
//! One partner proposes a topic and ground rules; it starts when the other
//! accepts. The speaker holds the floor and speaks in short turns; the
//! listener reflects back what they heard; the speaker confirms it, or
//! corrects it and the listener tries again; once confirmed, the floor
//! passes. Either partner may pause at any moment for at least twenty
//! minutes, and either may end it with a closing note.
//!
//! Everything here is a pure function of the conversation's state, the
//! person acting and the time, so the rules can be tested without a server
//! and cannot be bypassed by a crafted request: the web layer only ever
//! stores what [`Conversation::take_turn`] and friends allow.

use serde::Serialize;

use crate::{text, Invalid, UserId};

pub const TOPIC_MAX_CHARS: usize = 200;
pub const RULES_MAX_CHARS: usize = 2000;
pub const TURN_MAX_CHARS: usize = 1200;
pub const CLOSING_MAX_CHARS: usize = 1000;
/// A pause lasts at least this long: the time a flooded body needs to calm.
pub const MIN_PAUSE_MINUTES: i64 = 20;
pub const MAX_PAUSE_MINUTES: i64 = 7 * 24 * 60;

/// Ground rules offered when a conversation is proposed; the couple may
/// change them.
pub const DEFAULT_GROUND_RULES: &str = "We speak about ourselves, not about each other's character.\nThe listener reflects back before answering.\nEither of us can pause, and we come back at the time we set.\nNo name-calling, no bringing in old fights, no threats.";

/// What happens next on the floor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    /// The speaker says something.
    Speak,
    /// The listener reflects back what they heard.
    Reflect,
    /// The speaker confirms the reflection, or corrects it.
    Confirm,
}

impl Step {
    pub fn as_str(self) -> &'static str {
        match self {
            Step::Speak => "speak",
            Step::Reflect => "reflect",
            Step::Confirm => "confirm",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "speak" => Some(Step::Speak),
            "reflect" => Some(Step::Reflect),
            "confirm" => Some(Step::Confirm),
            _ => None,
        }
    }
}

/// The kinds of turn a person can take.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TurnKind {
    Speak,
    Reflect,
    /// "Yes, that is what I meant": the floor passes.
    Confirm,
    /// "Not quite": the listener reflects again.
    Correct,
}

impl TurnKind {
    pub fn as_str(self) -> &'static str {
        match self {
            TurnKind::Speak => "speak",
            TurnKind::Reflect => "reflect",
            TurnKind::Confirm => "confirm",
            TurnKind::Correct => "correct",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "speak" => Some(TurnKind::Speak),
            "reflect" => Some(TurnKind::Reflect),
            "confirm" => Some(TurnKind::Confirm),
            "correct" => Some(TurnKind::Correct),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    Proposed,
    Declined,
    Active,
    Ended,
}

impl Phase {
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Proposed => "proposed",
            Phase::Declined => "declined",
            Phase::Active => "active",
            Phase::Ended => "ended",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "proposed" => Some(Phase::Proposed),
            "declined" => Some(Phase::Declined),
            "active" => Some(Phase::Active),
            "ended" => Some(Phase::Ended),
            _ => None,
        }
    }
}

/// The state of one conversation, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conversation {
    pub proposer: UserId,
    pub partner: UserId,
    pub phase: Phase,
    pub speaker: UserId,
    pub step: Step,
    /// Turns taken so far; a new turn must say it follows exactly this many,
    /// so a replayed or stale request cannot land twice.
    pub turns: i64,
    /// Unix seconds until which the conversation rests.
    pub paused_until: Option<i64>,
}

/// Why an action is not allowed now, in words for the person who tried.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("This conversation has not started: it waits for your partner to accept.")]
    NotStarted,
    #[error("This conversation has ended.")]
    Ended,
    #[error("The conversation is resting until the time you set. It will be there when you both come back.")]
    Paused,
    #[error("It is not your turn yet: {0}.")]
    NotYourTurn(&'static str),
    #[error("That kind of turn does not fit here: {0}.")]
    WrongKind(&'static str),
    #[error("Someone took a turn while you were writing. Your words are kept below; read what changed first.")]
    Stale,
    #[error("Only your partner can accept or decline what you proposed.")]
    OwnProposal,
    #[error("This proposal has already been answered.")]
    AlreadyAnswered,
}

/// What the floor is waiting for, said to the person looking.
pub fn waiting_for(c: &Conversation, me: UserId) -> &'static str {
    let mine = match c.step {
        Step::Speak | Step::Confirm => c.speaker == me,
        Step::Reflect => c.speaker != me,
    };
    match (c.step, mine) {
        (Step::Speak, true) => "you have the floor: say what you need to say, in a few sentences",
        (Step::Speak, false) => "your partner has the floor; listen for what they feel and need",
        (Step::Reflect, true) => "reflect back what you heard, in your own words, before answering",
        (Step::Reflect, false) => "your partner is reflecting back what they heard",
        (Step::Confirm, true) => "say whether your partner heard you rightly",
        (Step::Confirm, false) => "your partner is checking whether you heard them rightly",
    }
}

impl Conversation {
    pub fn listener(&self) -> UserId {
        if self.speaker == self.proposer {
            self.partner
        } else {
            self.proposer
        }
    }

    pub fn is_member(&self, who: UserId) -> bool {
        who == self.proposer || who == self.partner
    }

    pub fn is_paused(&self, now: i64) -> bool {
        self.paused_until.is_some_and(|until| now < until)
    }

    /// The partner who did not propose accepts: the proposer speaks first.
    pub fn accept(&self, who: UserId) -> Result<Conversation, Refusal> {
        self.answer(who)?;
        Ok(Conversation {
            phase: Phase::Active,
            speaker: self.proposer,
            step: Step::Speak,
            ..self.clone()
        })
    }

    pub fn decline(&self, who: UserId) -> Result<Conversation, Refusal> {
        self.answer(who)?;
        Ok(Conversation {
            phase: Phase::Declined,
            ..self.clone()
        })
    }

    fn answer(&self, who: UserId) -> Result<(), Refusal> {
        if self.phase != Phase::Proposed {
            return Err(Refusal::AlreadyAnswered);
        }
        if who == self.proposer {
            return Err(Refusal::OwnProposal);
        }
        Ok(())
    }

    fn require_active(&self, now: i64) -> Result<(), Refusal> {
        match self.phase {
            Phase::Proposed | Phase::Declined => Err(Refusal::NotStarted),
            Phase::Ended => Err(Refusal::Ended),
            Phase::Active if self.is_paused(now) => Err(Refusal::Paused),
            Phase::Active => Ok(()),
        }
    }

    /// Takes a turn: `after` is how many turns the author saw. Returns the
    /// state after the turn.
    pub fn take_turn(
        &self,
        who: UserId,
        kind: TurnKind,
        after: i64,
        now: i64,
    ) -> Result<Conversation, Refusal> {
        self.require_active(now)?;
        if after != self.turns {
            return Err(Refusal::Stale);
        }
        let speaker = self.speaker;
        let listener = self.listener();
        let (expected_author, allowed): (UserId, &[TurnKind]) = match self.step {
            Step::Speak => (speaker, &[TurnKind::Speak]),
            Step::Reflect => (listener, &[TurnKind::Reflect]),
            Step::Confirm => (speaker, &[TurnKind::Confirm, TurnKind::Correct]),
        };
        if who != expected_author {
            return Err(Refusal::NotYourTurn(waiting_for(self, who)));
        }
        if !allowed.contains(&kind) {
            return Err(Refusal::WrongKind(waiting_for(self, who)));
        }
        let (speaker, step) = match kind {
            TurnKind::Speak => (speaker, Step::Reflect),
            TurnKind::Reflect => (speaker, Step::Confirm),
            TurnKind::Correct => (speaker, Step::Reflect),
            // Heard rightly: the floor passes to the one who listened.
            TurnKind::Confirm => (listener, Step::Speak),
        };
        Ok(Conversation {
            speaker,
            step,
            turns: self.turns + 1,
            ..self.clone()
        })
    }

    /// Either partner may pause at any moment, for at least twenty minutes.
    pub fn pause(&self, minutes: i64, now: i64) -> Result<Conversation, Refusal> {
        match self.phase {
            Phase::Proposed | Phase::Declined => return Err(Refusal::NotStarted),
            Phase::Ended => return Err(Refusal::Ended),
            Phase::Active => {}
        }
        let minutes = minutes.clamp(MIN_PAUSE_MINUTES, MAX_PAUSE_MINUTES);
        // A second pause can lengthen a rest but never shorten it.
        let until = (now + minutes * 60).max(self.paused_until.unwrap_or(0));
        Ok(Conversation {
            paused_until: Some(until),
            ..self.clone()
        })
    }

    /// Either partner may end it, even while it rests: leaving a hard
    /// conversation must always be possible.
    pub fn end(&self) -> Result<Conversation, Refusal> {
        match self.phase {
            Phase::Ended => Err(Refusal::Ended),
            _ => Ok(Conversation {
                phase: Phase::Ended,
                ..self.clone()
            }),
        }
    }
}

pub fn parse_topic(raw: &str) -> Result<String, Invalid> {
    text::required("topic", raw, TOPIC_MAX_CHARS)
}

pub fn parse_rules(raw: &str) -> Result<String, Invalid> {
    Ok(text::optional("ground_rules", raw, RULES_MAX_CHARS)?
        .unwrap_or_else(|| DEFAULT_GROUND_RULES.to_owned()))
}

pub fn parse_turn_text(kind: TurnKind, raw: &str) -> Result<String, Invalid> {
    match kind {
        // Confirming needs no words; any given are kept.
        TurnKind::Confirm => Ok(text::optional("text", raw, TURN_MAX_CHARS)?
            .unwrap_or_else(|| "Yes, that is what I meant.".to_owned())),
        _ => text::required("text", raw, TURN_MAX_CHARS),
    }
}

pub fn parse_closing(raw: &str) -> Result<Option<String>, Invalid> {
    text::optional("closing_note", raw, CLOSING_MAX_CHARS)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ANA: UserId = UserId(1);
    const BEN: UserId = UserId(2);

    fn proposed() -> Conversation {
        Conversation {
            proposer: ANA,
            partner: BEN,
            phase: Phase::Proposed,
            speaker: ANA,
            step: Step::Speak,
            turns: 0,
            paused_until: None,
        }
    }

    #[test]
    fn only_the_other_partner_can_accept() {
        let c = proposed();
        assert_eq!(c.accept(ANA), Err(Refusal::OwnProposal));
        assert_eq!(
            c.take_turn(ANA, TurnKind::Speak, 0, 0),
            Err(Refusal::NotStarted)
        );
        let c = c.accept(BEN).unwrap();
        assert_eq!(c.phase, Phase::Active);
        assert_eq!(c.accept(BEN), Err(Refusal::AlreadyAnswered));
    }

    #[test]
    fn the_floor_passes_only_after_the_speaker_is_heard_rightly() {
        let c = proposed().accept(BEN).unwrap();
        assert!(matches!(
            c.take_turn(BEN, TurnKind::Speak, 0, 0),
            Err(Refusal::NotYourTurn(_))
        ));
        let c = c.take_turn(ANA, TurnKind::Speak, 0, 0).unwrap();
        // The speaker cannot reflect themselves; the listener cannot speak over.
        assert!(c.take_turn(ANA, TurnKind::Reflect, 1, 0).is_err());
        assert!(matches!(
            c.take_turn(BEN, TurnKind::Speak, 1, 0),
            Err(Refusal::WrongKind(_))
        ));
        let c = c.take_turn(BEN, TurnKind::Reflect, 1, 0).unwrap();
        let c = c.take_turn(ANA, TurnKind::Correct, 2, 0).unwrap();
        assert_eq!((c.speaker, c.step), (ANA, Step::Reflect));
        let c = c.take_turn(BEN, TurnKind::Reflect, 3, 0).unwrap();
        let c = c.take_turn(ANA, TurnKind::Confirm, 4, 0).unwrap();
        assert_eq!((c.speaker, c.step, c.turns), (BEN, Step::Speak, 5));
        assert_eq!(c.listener(), ANA);
    }

    #[test]
    fn a_replayed_or_stale_turn_is_refused() {
        let c = proposed().accept(BEN).unwrap();
        let c = c.take_turn(ANA, TurnKind::Speak, 0, 0).unwrap();
        assert_eq!(c.take_turn(ANA, TurnKind::Speak, 0, 0), Err(Refusal::Stale));
        assert_eq!(
            c.take_turn(BEN, TurnKind::Reflect, 0, 0),
            Err(Refusal::Stale)
        );
    }

    #[test]
    fn a_pause_lasts_at_least_twenty_minutes_and_blocks_turns() {
        let c = proposed().accept(BEN).unwrap();
        let c = c.pause(5, 1000).unwrap();
        assert_eq!(c.paused_until, Some(1000 + 20 * 60));
        assert_eq!(
            c.take_turn(ANA, TurnKind::Speak, 0, 1001),
            Err(Refusal::Paused)
        );
        assert!(c.take_turn(ANA, TurnKind::Speak, 0, 1000 + 20 * 60).is_ok());
        let shorter = c.pause(20, 1100).unwrap();
        assert!(shorter.paused_until.unwrap() >= c.paused_until.unwrap());
        let ended = c.end().unwrap();
        assert_eq!(
            ended.take_turn(ANA, TurnKind::Speak, 0, 99_999),
            Err(Refusal::Ended)
        );
        assert_eq!(ended.end(), Err(Refusal::Ended));
    }

    #[test]
    fn confirming_needs_no_words_but_speaking_does() {
        assert!(parse_turn_text(TurnKind::Confirm, "").is_ok());
        assert!(parse_turn_text(TurnKind::Speak, " ").is_err());
        assert!(parse_turn_text(TurnKind::Reflect, &"x".repeat(TURN_MAX_CHARS + 1)).is_err());
        assert_eq!(parse_rules("").unwrap(), DEFAULT_GROUND_RULES);
    }
}
