//! Stage 2, the feelings journal: words for what one feels, how strongly,
//! and on which day.
//!
//! A journal entry has no visibility: it is its author's alone, always, so
//! there is no field that could ever be set to "shared" by mistake.

use serde::{Deserialize, Serialize};
use time::{Date, Duration};

use crate::checkin::keep;
use crate::{text, Invalid};

/// A family of feelings, with the words a person can choose within it.
#[derive(Debug, Serialize)]
pub struct Family {
    pub id: &'static str,
    pub label: &'static str,
    pub feelings: &'static [&'static str],
}

/// The emotion vocabulary, grouped by family. Plain words people use of
/// themselves, wide enough that a day after a betrayal can be named without
/// reaching for "fine".
pub const FAMILIES: [Family; 7] = [
    Family {
        id: "sadness",
        label: "Sadness",
        feelings: &[
            "sad",
            "lonely",
            "grieving",
            "disappointed",
            "heartbroken",
            "hopeless",
        ],
    },
    Family {
        id: "anger",
        label: "Anger",
        feelings: &[
            "angry",
            "betrayed",
            "resentful",
            "frustrated",
            "bitter",
            "indignant",
        ],
    },
    Family {
        id: "fear",
        label: "Fear",
        feelings: &[
            "afraid",
            "anxious",
            "insecure",
            "suspicious",
            "overwhelmed",
            "vulnerable",
        ],
    },
    Family {
        id: "shame",
        label: "Shame",
        feelings: &[
            "ashamed",
            "guilty",
            "embarrassed",
            "humiliated",
            "unworthy",
            "exposed",
        ],
    },
    Family {
        id: "confusion",
        label: "Confusion",
        feelings: &[
            "confused",
            "numb",
            "torn",
            "restless",
            "unsure",
            "exhausted",
        ],
    },
    Family {
        id: "tenderness",
        label: "Tenderness",
        feelings: &["loving", "longing", "tender", "close", "moved", "forgiving"],
    },
    Family {
        id: "hope",
        label: "Hope",
        feelings: &["hopeful", "relieved", "calm", "grateful", "proud", "safe"],
    },
];

/// One word of the vocabulary. The only way to get one is to parse it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Feeling(&'static str);

impl Feeling {
    pub fn parse(raw: &str) -> Option<Self> {
        let raw = raw.trim().to_lowercase();
        FAMILIES
            .iter()
            .flat_map(|f| f.feelings.iter())
            .find(|w| **w == raw)
            .map(|w| Self(w))
    }

    pub fn as_str(self) -> &'static str {
        self.0
    }

    pub fn family(self) -> &'static Family {
        FAMILIES
            .iter()
            .find(|f| f.feelings.contains(&self.0))
            .expect("a parsed feeling belongs to a family")
    }
}

/// How strongly, from 1 (a trace) to 10 (all-consuming).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct Intensity(u8);

impl Intensity {
    pub fn new(value: i64) -> Option<Self> {
        (1..=10).contains(&value).then_some(Self(value as u8))
    }

    pub fn get(self) -> u8 {
        self.0
    }
}

pub const TEXT_MAX_CHARS: usize = 10_000;
pub const MAX_FEELINGS: usize = 8;

/// The raw fields of an entry, as a form or JSON body carries them.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct JournalFields {
    #[serde(default)]
    pub day: String,
    #[serde(default)]
    pub feelings: Vec<String>,
    #[serde(default)]
    pub intensity: String,
    #[serde(default)]
    pub text: String,
}

/// A journal entry as written, before it is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JournalDraft {
    pub day: Date,
    pub feelings: Vec<Feeling>,
    pub intensity: Intensity,
    pub text: Option<String>,
}

impl JournalDraft {
    /// Parses the fields, reporting every problem at once. An entry may be
    /// about any earlier day (writing often comes later), but not the future.
    pub fn parse(fields: &JournalFields, today: Date) -> Result<Self, Vec<Invalid>> {
        let mut errors = Vec::new();
        let day = keep(&mut errors, parse_day(&fields.day, today));
        let feelings = keep(&mut errors, parse_feelings(&fields.feelings));
        let intensity = keep(&mut errors, parse_intensity(&fields.intensity));
        let text = keep(
            &mut errors,
            text::optional("text", &fields.text, TEXT_MAX_CHARS),
        );
        match (day, feelings, intensity, text) {
            (Some(day), Some(feelings), Some(intensity), Some(text)) => Ok(Self {
                day,
                feelings,
                intensity,
                text,
            }),
            _ => Err(errors),
        }
    }
}

fn parse_day(raw: &str, today: Date) -> Result<Date, Invalid> {
    if raw.trim().is_empty() {
        return Ok(today);
    }
    let format = time::macros::format_description!("[year]-[month]-[day]");
    let day = Date::parse(raw.trim(), format)
        .map_err(|_| Invalid::new("day", "Give the date as YYYY-MM-DD."))?;
    // A day ahead is still today somewhere in the world.
    if day > today + Duration::days(1) {
        return Err(Invalid::new(
            "day",
            "An entry cannot be about a day still to come.",
        ));
    }
    if day.year() < 1900 {
        return Err(Invalid::new(
            "day",
            "That date is too long ago to be right.",
        ));
    }
    Ok(day)
}

fn parse_feelings(raw: &[String]) -> Result<Vec<Feeling>, Invalid> {
    let mut feelings = Vec::new();
    for word in raw.iter().filter(|w| !w.trim().is_empty()) {
        let feeling = Feeling::parse(word).ok_or_else(|| {
            Invalid::new(
                "feelings",
                format!(
                    "“{}” is not one of the feelings listed; please choose from the list.",
                    word.trim()
                ),
            )
        })?;
        if !feelings.contains(&feeling) {
            feelings.push(feeling);
        }
    }
    if feelings.is_empty() {
        return Err(Invalid::new("feelings", "Choose at least one feeling."));
    }
    if feelings.len() > MAX_FEELINGS {
        return Err(Invalid::new(
            "feelings",
            format!("Choose up to {MAX_FEELINGS} feelings, the ones that are strongest."),
        ));
    }
    Ok(feelings)
}

fn parse_intensity(raw: &str) -> Result<Intensity, Invalid> {
    raw.trim()
        .parse::<i64>()
        .ok()
        .and_then(Intensity::new)
        .ok_or_else(|| Invalid::new("intensity", "Choose how strong it is, from 1 to 10."))
}

/// How often each family was felt in a set of entries, most felt first.
pub fn families_felt<'a>(
    entries: impl IntoIterator<Item = &'a [Feeling]>,
) -> Vec<(&'static Family, usize)> {
    let mut counts: Vec<(&'static Family, usize)> = FAMILIES.iter().map(|f| (f, 0)).collect();
    for feelings in entries {
        for feeling in feelings {
            let family = feeling.family();
            if let Some(c) = counts.iter_mut().find(|(f, _)| f.id == family.id) {
                c.1 += 1;
            }
        }
    }
    counts.retain(|(_, n)| *n > 0);
    counts.sort_by_key(|c| std::cmp::Reverse(c.1));
    counts
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const TODAY: Date = date!(2026 - 11 - 25);

    fn fields(feelings: &[&str], intensity: &str) -> JournalFields {
        JournalFields {
            feelings: feelings.iter().map(|s| s.to_string()).collect(),
            intensity: intensity.into(),
            ..Default::default()
        }
    }

    #[test]
    fn an_entry_needs_a_known_feeling_and_an_intensity() {
        let ok =
            JournalDraft::parse(&fields(&["Betrayed", " lonely", "betrayed"], "7"), TODAY).unwrap();
        assert_eq!(ok.feelings.len(), 2, "case and repeats do not matter");
        assert_eq!(ok.day, TODAY);
        assert_eq!(ok.text, None);

        let errors = JournalDraft::parse(&fields(&["meh"], "0"), TODAY).unwrap_err();
        let named: Vec<_> = errors.iter().map(|e| e.field).collect();
        assert_eq!(named, ["feelings", "intensity"]);
        assert!(errors[0].message.contains("meh"));
        assert!(JournalDraft::parse(&fields(&[], "5"), TODAY).is_err());
    }

    #[test]
    fn entries_may_look_back_but_not_ahead() {
        let mut f = fields(&["calm"], "3");
        f.day = "2025-01-02".into();
        assert!(JournalDraft::parse(&f, TODAY).is_ok());
        f.day = "2026-11-27".into();
        assert!(JournalDraft::parse(&f, TODAY).is_err());
        f.day = "yesterday".into();
        assert!(JournalDraft::parse(&f, TODAY).is_err());
    }

    #[test]
    fn every_feeling_is_in_exactly_one_family() {
        let all: Vec<&str> = FAMILIES
            .iter()
            .flat_map(|f| f.feelings.iter().copied())
            .collect();
        for word in &all {
            assert_eq!(all.iter().filter(|w| *w == word).count(), 1, "{word}");
            assert_eq!(Feeling::parse(word).unwrap().as_str(), *word);
        }
    }

    #[test]
    fn families_are_counted_most_felt_first() {
        let a = [
            Feeling::parse("sad").unwrap(),
            Feeling::parse("angry").unwrap(),
        ];
        let b = [Feeling::parse("lonely").unwrap()];
        let counts = families_felt([&a[..], &b[..]]);
        assert_eq!(counts[0].0.id, "sadness");
        assert_eq!(counts[0].1, 2);
        assert_eq!(counts.len(), 2);
    }
}
