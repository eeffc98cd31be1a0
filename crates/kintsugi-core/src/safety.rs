//! The private safety check.
//!
//! Couples work is not advised where there is violence, threat or coercive
//! control: it can give a controlling partner one more lever. So before a
//! couple is linked, and again every [`RENEW_AFTER_DAYS`] days, each partner
//! answers a few plain questions, alone. A concerning answer is stored for
//! that person only; the couple's shared features rest, and the partner sees
//! a neutral message that does not say why.
//!
//! "Not sure" counts as concerning on purpose: when someone is unsure whether
//! they are afraid, the kind thing is to show them where help is, not to
//! press on with repair.

use serde::{Deserialize, Serialize};

use crate::Invalid;

/// How long one check stays current before it is asked again.
pub const RENEW_AFTER_DAYS: i64 = 30;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Answer {
    Yes,
    No,
    NotSure,
}

impl Answer {
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "yes" => Some(Self::Yes),
            "no" => Some(Self::No),
            "not_sure" => Some(Self::NotSure),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Yes => "yes",
            Self::No => "no",
            Self::NotSure => "not_sure",
        }
    }
}

pub struct Question {
    pub id: &'static str,
    pub text: &'static str,
    /// The answer that means all is well; the others are concerning.
    pub safe_answer: Answer,
}

/// The questions, in the order they are asked. Ids are stable: they are
/// stored with the answers and used by the API.
pub const QUESTIONS: &[Question] = &[
    Question {
        id: "afraid",
        text: "Are you ever afraid of your partner, or of what they might do?",
        safe_answer: Answer::No,
    },
    Question {
        id: "harmed",
        text: "Has your partner ever pushed, hit, choked or otherwise hurt you, or threatened to?",
        safe_answer: Answer::No,
    },
    Question {
        id: "threats",
        text: "Has your partner threatened to hurt themselves, children, pets or anyone else if you do not do what they want?",
        safe_answer: Answer::No,
    },
    Question {
        id: "control",
        text: "Does your partner control your money, your phone, where you go or who you see, or check up on you in ways that scare you?",
        safe_answer: Answer::No,
    },
    Question {
        id: "forced",
        text: "Have you been pressured or forced into anything sexual you did not want?",
        safe_answer: Answer::No,
    },
    Question {
        id: "free_to_disagree",
        text: "Can you say no to your partner, or disagree with them, without being afraid of what happens next?",
        safe_answer: Answer::Yes,
    },
];

/// A complete set of answers, one per question, in question order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answers(Vec<Answer>);

/// What the answers mean for this person and their couple.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Clear,
    Concerning,
}

impl Answers {
    /// Parses one answer per question; `lookup` returns the raw answer for a
    /// question id, as a form or JSON body carries it.
    pub fn parse<'a>(mut lookup: impl FnMut(&str) -> Option<&'a str>) -> Result<Self, Invalid> {
        QUESTIONS
            .iter()
            .map(|q| {
                lookup(q.id).and_then(Answer::parse).ok_or_else(|| {
                    Invalid::new(
                        q.id,
                        "Please answer this question; \"not sure\" is a fine answer.",
                    )
                })
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Self)
    }

    pub fn outcome(&self) -> Outcome {
        let concerning = QUESTIONS
            .iter()
            .zip(&self.0)
            .any(|(q, a)| *a != q.safe_answer);
        if concerning {
            Outcome::Concerning
        } else {
            Outcome::Clear
        }
    }

    /// Answers as `id=answer` pairs, the form they are stored in.
    pub fn encode(&self) -> String {
        QUESTIONS
            .iter()
            .zip(&self.0)
            .map(|(q, a)| format!("{}={}", q.id, a.as_str()))
            .collect::<Vec<_>>()
            .join(",")
    }
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Clear => "clear",
            Self::Concerning => "concerning",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "clear" => Some(Self::Clear),
            "concerning" => Some(Self::Concerning),
            _ => None,
        }
    }
}

/// Where a person stands with the check, given their latest one (its outcome
/// and age in days) if any.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Standing {
    /// Never taken, or older than [`RENEW_AFTER_DAYS`].
    Due,
    Clear,
    Concerning,
}

pub fn standing(latest: Option<(Outcome, i64)>) -> Standing {
    match latest {
        None => Standing::Due,
        Some((_, age_days)) if age_days >= RENEW_AFTER_DAYS => Standing::Due,
        Some((Outcome::Clear, _)) => Standing::Clear,
        Some((Outcome::Concerning, _)) => Standing::Concerning,
    }
}

/// Whether the couple's shared features are open: only when both partners'
/// checks are current and clear. The reason is deliberately not part of the
/// answer, so no caller can leak it to the partner.
pub fn shared_space_open(mine: Standing, partner: Standing) -> bool {
    mine == Standing::Clear && partner == Standing::Clear
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answers(pairs: &[(&str, &str)]) -> Result<Answers, Invalid> {
        Answers::parse(|id| pairs.iter().find(|(k, _)| *k == id).map(|(_, v)| *v))
    }

    fn all_safe() -> Vec<(&'static str, &'static str)> {
        QUESTIONS
            .iter()
            .map(|q| (q.id, q.safe_answer.as_str()))
            .collect()
    }

    #[test]
    fn safe_answers_are_clear() {
        assert_eq!(answers(&all_safe()).unwrap().outcome(), Outcome::Clear);
    }

    #[test]
    fn any_other_answer_is_concerning_including_not_sure() {
        for (i, q) in QUESTIONS.iter().enumerate() {
            for other in [Answer::Yes, Answer::No, Answer::NotSure] {
                if other == q.safe_answer {
                    continue;
                }
                let mut pairs = all_safe();
                pairs[i].1 = other.as_str();
                assert_eq!(
                    answers(&pairs).unwrap().outcome(),
                    Outcome::Concerning,
                    "{} = {:?}",
                    q.id,
                    other
                );
            }
        }
    }

    #[test]
    fn every_question_must_be_answered() {
        let mut pairs = all_safe();
        pairs.pop();
        assert_eq!(answers(&pairs).unwrap_err().field, "free_to_disagree");
        let mut pairs = all_safe();
        pairs[0].1 = "maybe";
        assert!(answers(&pairs).is_err());
    }

    #[test]
    fn checks_expire_and_the_space_opens_only_when_both_are_clear() {
        assert_eq!(standing(None), Standing::Due);
        assert_eq!(standing(Some((Outcome::Clear, 3))), Standing::Clear);
        assert_eq!(
            standing(Some((Outcome::Clear, RENEW_AFTER_DAYS))),
            Standing::Due
        );
        assert_eq!(
            standing(Some((Outcome::Concerning, 1))),
            Standing::Concerning
        );
        assert!(shared_space_open(Standing::Clear, Standing::Clear));
        assert!(!shared_space_open(Standing::Clear, Standing::Concerning));
        assert!(!shared_space_open(Standing::Due, Standing::Clear));
    }

    #[test]
    fn encoding_names_every_answer() {
        assert_eq!(
            answers(&all_safe()).unwrap().encode().split(',').count(),
            QUESTIONS.len()
        );
    }
}
