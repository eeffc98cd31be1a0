//! Stages 4 and 5: a statement of responsibility and a genuine apology.
//!
//! Both are written privately with the coach beside the author, sent when
//! the author chooses, and answered by the partner. Each send is a new
//! version; nothing sent is rewritten.

use serde::Serialize;

use crate::couple::Role;
use crate::{text, Invalid};

pub const TEXT_MAX_CHARS: usize = 6000;
pub const RESPONSE_MAX_CHARS: usize = 2000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StatementKind {
    Responsibility,
    Apology,
}

impl StatementKind {
    pub const ALL: [StatementKind; 2] = [StatementKind::Responsibility, StatementKind::Apology];

    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "responsibility" => Some(Self::Responsibility),
            "apology" => Some(Self::Apology),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Responsibility => "responsibility",
            Self::Apology => "apology",
        }
    }

    /// Where its versions are kept among the couple's shared texts.
    pub fn subject(self) -> &'static str {
        match self {
            Self::Responsibility => "statement:responsibility",
            Self::Apology => "statement:apology",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Self::Responsibility => "Responsibility without excuses",
            Self::Apology => "A genuine apology",
        }
    }

    pub fn guide(self) -> &'static str {
        match self {
            Self::Responsibility => "Say plainly what you did and that it was your choice. Leave out the reasons, the context and the comparisons for now: they can come later, when your partner asks. Owning it without a \u{201c}but\u{201d} is what lets them stop having to prove it happened.",
            Self::Apology => "An apology that heals names what you did, shows you understand how it hurt, says what will be different, and offers to make it right. Asking to be forgiven matters least; it is theirs to give, in their time.",
        }
    }
}

/// Who writes statements: the partner repairing, or either when both are.
pub fn may_write(role: Role) -> bool {
    matches!(role, Role::Repairing | Role::Both)
}

/// The partner's answer to a statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Helped,
    NotYet,
    NeedToHear,
}

impl Verdict {
    pub const ALL: [Verdict; 3] = [Verdict::Helped, Verdict::NotYet, Verdict::NeedToHear];

    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "helped" => Some(Self::Helped),
            "not_yet" => Some(Self::NotYet),
            "need_to_hear" => Some(Self::NeedToHear),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Helped => "helped",
            Self::NotYet => "not_yet",
            Self::NeedToHear => "need_to_hear",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Helped => "It helped",
            Self::NotYet => "Not yet",
            Self::NeedToHear => "What I still need to hear",
        }
    }
}

pub fn parse_text(raw: &str) -> Result<String, Invalid> {
    text::required("text", raw, TEXT_MAX_CHARS)
}

/// An answer: a verdict, and words that are required when the partner says
/// what they still need to hear.
pub fn parse_response(verdict: &str, raw: &str) -> Result<(Verdict, Option<String>), Vec<Invalid>> {
    let verdict = Verdict::parse(verdict.trim()).ok_or_else(|| {
        vec![Invalid::new(
            "verdict",
            "Choose: it helped, not yet, or what you still need to hear.",
        )]
    });
    let words = text::optional("text", raw, RESPONSE_MAX_CHARS).map_err(|e| vec![e]);
    match (verdict, words) {
        (Ok(Verdict::NeedToHear), Ok(None)) => Err(vec![Invalid::new(
            "text",
            "Say what you still need to hear, in a few words.",
        )]),
        (Ok(v), Ok(words)) => Ok((v, words)),
        (Err(mut a), Err(b)) => {
            a.extend(b);
            Err(a)
        }
        (Err(e), _) | (_, Err(e)) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_and_verdicts_round_trip() {
        for k in StatementKind::ALL {
            assert_eq!(StatementKind::parse(k.as_str()), Some(k));
        }
        for v in Verdict::ALL {
            assert_eq!(Verdict::parse(v.as_str()), Some(v));
        }
    }

    #[test]
    fn saying_what_is_still_needed_takes_words() {
        assert!(parse_response("need_to_hear", " ").is_err());
        assert_eq!(
            parse_response("helped", "").unwrap(),
            (Verdict::Helped, None)
        );
        let errors = parse_response("maybe", &"x".repeat(RESPONSE_MAX_CHARS + 1)).unwrap_err();
        assert_eq!(errors.len(), 2);
    }

    #[test]
    fn the_repairing_partner_writes() {
        assert!(may_write(Role::Repairing) && may_write(Role::Both));
        assert!(!may_write(Role::Hurt));
    }
}
