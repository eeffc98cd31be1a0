//! A disclosure: what the repairing partner chose to make known, and the
//! salted commitment to it that becomes a leaf of the log.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::{text, Invalid};

pub const TEXT_MAX_CHARS: usize = 2000;

/// Domain separation for the commitment, so a leaf can never be confused
/// with a hash of anything else this program computes.
const COMMITMENT_TAG: &[u8] = b"kintsugi-disclosure-v1\n";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    Whereabouts,
    Contact,
    Routine,
    Other,
}

impl Category {
    pub const ALL: [Category; 4] = [
        Category::Whereabouts,
        Category::Contact,
        Category::Routine,
        Category::Other,
    ];

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == raw)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Whereabouts => "whereabouts",
            Self::Contact => "contact",
            Self::Routine => "routine",
            Self::Other => "other",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Whereabouts => "Where I was",
            Self::Contact => "Contact with someone",
            Self::Routine => "A change in my routine",
            Self::Other => "Something else",
        }
    }
}

/// A disclosure as typed, checked but not yet placed in the log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisclosureDraft {
    pub category: Category,
    /// When it happened, as the author gives it: `YYYY-MM-DDTHH:MM`.
    pub occurred_at: String,
    pub text: String,
    /// The index of an earlier entry this one corrects.
    pub corrects: Option<u64>,
}

impl DisclosureDraft {
    /// Checks a disclosure against a log that holds `log_size` entries, so a
    /// correction can only point back at an entry that exists.
    pub fn parse(
        category: &str,
        occurred_at: &str,
        raw_text: &str,
        corrects: &str,
        log_size: u64,
    ) -> Result<Self, Vec<Invalid>> {
        let mut problems = Vec::new();
        let category = Category::parse(category.trim());
        if category.is_none() {
            problems.push(Invalid::new(
                "category",
                "Please choose what this is about: where you were, contact, routine, or something else.",
            ));
        }
        let occurred_at = parse_time(occurred_at.trim());
        if occurred_at.is_none() {
            problems.push(Invalid::new(
                "occurred_at",
                "Please give the date and time it happened, like 2026-03-14T18:30.",
            ));
        }
        let text = text::required("text", raw_text, TEXT_MAX_CHARS)
            .map_err(|e| problems.push(e))
            .ok();
        let corrects = match corrects.trim() {
            "" => None,
            raw => match raw.parse::<u64>() {
                Ok(i) if i < log_size => Some(i),
                _ => {
                    problems.push(Invalid::new(
                        "corrects",
                        "A correction must point at an entry already in the log.",
                    ));
                    None
                }
            },
        };
        match (category, occurred_at, text) {
            (Some(category), Some(occurred_at), Some(text)) if problems.is_empty() => Ok(Self {
                category,
                occurred_at,
                text,
                corrects,
            }),
            _ => Err(problems),
        }
    }

    /// Seals the draft with a fresh random salt (chosen at the edge).
    pub fn seal(self, salt: [u8; 32]) -> Disclosure {
        Disclosure {
            category: self.category,
            occurred_at: self.occurred_at,
            text: self.text,
            corrects: self.corrects,
            salt,
        }
    }
}

/// `YYYY-MM-DDTHH:MM` (what a `datetime-local` field sends), seconds allowed.
fn parse_time(raw: &str) -> Option<String> {
    let short = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]");
    let long = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]");
    let at = time::PrimitiveDateTime::parse(raw, short)
        .or_else(|_| time::PrimitiveDateTime::parse(raw, long))
        .ok()?;
    at.format(short).ok()
}

/// A disclosure as the log holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Disclosure {
    pub category: Category,
    pub occurred_at: String,
    pub text: String,
    pub corrects: Option<u64>,
    pub salt: [u8; 32],
}

impl Disclosure {
    /// The leaf's data: SHA-256 over a tag, the salt and every field, each
    /// field length-prefixed so no two disclosures encode alike. The salt
    /// keeps the tree's hashes from revealing anything about the words: a
    /// checkpoint or a proof can be shown to anyone.
    pub fn commitment(&self) -> [u8; 32] {
        let mut h = Sha256::new();
        h.update(COMMITMENT_TAG);
        h.update(self.salt);
        let corrects = self.corrects.map(|i| i.to_string()).unwrap_or_default();
        for field in [
            self.category.as_str(),
            &self.occurred_at,
            &corrects,
            &self.text,
        ] {
            h.update((field.len() as u64).to_be_bytes());
            h.update(field.as_bytes());
        }
        h.finalize().into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft() -> DisclosureDraft {
        DisclosureDraft::parse(
            "contact",
            "2026-03-14T18:30",
            "  Texted J. about the handover. ",
            "",
            0,
        )
        .unwrap()
    }

    #[test]
    fn parses_a_disclosure() {
        let d = draft();
        assert_eq!(d.category, Category::Contact);
        assert_eq!(d.occurred_at, "2026-03-14T18:30");
        assert_eq!(d.text, "Texted J. about the handover.");
        assert_eq!(d.corrects, None);
    }

    #[test]
    fn seconds_are_dropped_and_nonsense_refused() {
        let d = DisclosureDraft::parse("routine", "2026-03-14T18:30:59", "x", "", 0).unwrap();
        assert_eq!(d.occurred_at, "2026-03-14T18:30");
        let problems = DisclosureDraft::parse("gossip", "14/03/2026", " ", "7", 3).unwrap_err();
        let fields: Vec<_> = problems.iter().map(|p| p.field).collect();
        assert_eq!(fields, ["category", "occurred_at", "text", "corrects"]);
    }

    #[test]
    fn a_correction_points_back() {
        assert_eq!(
            DisclosureDraft::parse("other", "2026-03-14T18:30", "x", "2", 3)
                .unwrap()
                .corrects,
            Some(2)
        );
        assert!(DisclosureDraft::parse("other", "2026-03-14T18:30", "x", "3", 3).is_err());
        assert!(DisclosureDraft::parse("other", "2026-03-14T18:30", "x", "-1", 3).is_err());
    }

    #[test]
    fn every_field_and_the_salt_change_the_commitment() {
        let base = draft().seal([7; 32]);
        let c = base.commitment();
        assert_eq!(c, base.clone().commitment(), "deterministic");
        let mut other = base.clone();
        other.salt = [8; 32];
        assert_ne!(other.commitment(), c);
        let mut other = base.clone();
        other.text.push('!');
        assert_ne!(other.commitment(), c);
        let mut other = base.clone();
        other.category = Category::Routine;
        assert_ne!(other.commitment(), c);
        let mut other = base.clone();
        other.occurred_at = "2026-03-14T18:31".into();
        assert_ne!(other.commitment(), c);
        let mut other = base;
        other.corrects = Some(0);
        assert_ne!(other.commitment(), c);
    }

    #[test]
    fn fields_cannot_run_into_each_other() {
        let mut a = draft().seal([1; 32]);
        let mut b = a.clone();
        a.occurred_at = "2026-03-14T18:30".into();
        a.text = "1x".into();
        b.occurred_at = "2026-03-14T18:301".into();
        b.text = "x".into();
        assert_ne!(a.commitment(), b.commitment());
    }
}
