//! Stage 1, the reflection: a few questions each partner answers alone.
//!
//! An answer is a private draft until its author shares it. Sharing never
//! rewrites what was shared before: each share is a new version, and the
//! partner sees every one.

use serde::Serialize;

use crate::{text, Invalid};

/// One question of the reflection.
#[derive(Debug, Serialize)]
pub struct Prompt {
    pub id: &'static str,
    pub question: &'static str,
    /// A gentle hint at what an answer might hold.
    pub hint: &'static str,
}

pub const PROMPTS: [Prompt; 5] = [
    Prompt {
        id: "distance",
        question: "Which actions, secrets or choices put distance between you?",
        hint: "Yours first, if you can. Name what happened plainly, without softening it and without punishing yourself.",
    },
    Prompt {
        id: "before",
        question: "What was happening between you before things broke?",
        hint: "When did you first feel further apart? What went unsaid, and what stopped either of you from saying it?",
    },
    Prompt {
        id: "needs",
        question: "What did you need that you were not getting?",
        hint: "Attention, time, tenderness, being listened to, feeling chosen. Did you ask for it, and how?",
    },
    Prompt {
        id: "understand",
        question: "What do you most want your partner to understand?",
        hint: "Not to win an argument: the one or two things that, if they truly understood them, would change how the two of you go on.",
    },
    Prompt {
        id: "ahead",
        question: "What would you like the two of you to build from here?",
        hint: "A small picture is enough: an ordinary evening a year from now that you would be glad of.",
    },
];

pub const ANSWER_MAX_CHARS: usize = 10_000;

pub fn prompt(id: &str) -> Option<&'static Prompt> {
    PROMPTS.iter().find(|p| p.id == id)
}

/// A draft may be empty (a cleared answer); a shared answer may not.
pub fn parse_draft(raw: &str) -> Result<String, Invalid> {
    Ok(text::optional("text", raw, ANSWER_MAX_CHARS)?.unwrap_or_default())
}

pub fn parse_share(raw: &str) -> Result<String, Invalid> {
    text::required("text", raw, ANSWER_MAX_CHARS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prompts_are_found_by_id_and_unique() {
        for p in &PROMPTS {
            assert_eq!(prompt(p.id).unwrap().question, p.question);
        }
        assert!(prompt("nope").is_none());
    }

    #[test]
    fn a_draft_may_be_empty_but_a_share_may_not() {
        assert_eq!(parse_draft("  ").unwrap(), "");
        assert!(parse_share("  ").is_err());
        assert_eq!(
            parse_share(" I kept it from you. ").unwrap(),
            "I kept it from you."
        );
        assert!(parse_draft(&"x".repeat(ANSWER_MAX_CHARS + 1)).is_err());
    }
}
