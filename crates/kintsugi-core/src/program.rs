//! The program: thirteen stages, a path and not a gate.
//!
//! A couple can visit any stage at any time and nothing unlocks by the clock.
//! The app only suggests what might help next, from what the couple has done.

use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct Stage {
    pub number: u8,
    pub slug: &'static str,
    pub title: &'static str,
    /// A short guide in our own words: what this stage is for.
    pub guide: &'static str,
    /// What the app offers for it.
    pub tool: &'static str,
    /// Where the tool lives, once it is built; `None` says honestly that it is not yet.
    pub path: Option<&'static str>,
}

pub const STAGES: [Stage; 13] = [
    Stage {
        number: 1,
        slug: "understand",
        title: "Understand what broke",
        guide: "Trust rarely breaks in one moment. It wears thin through choices, silences and secrets that put distance between two people. Looking honestly at how the distance grew is what makes the mending real rather than cosmetic.",
        tool: "A guided reflection for each of you. Every answer stays private until its author chooses to share it.",
        path: Some("/reflection"),
    },
    Stage {
        number: 2,
        slug: "feel",
        title: "Feel the hurt",
        guide: "Pain that is hurried past does not leave; it waits. Giving sadness, anger and disappointment a name and a place is not weakness, it is how the heart takes in what happened.",
        tool: "A private feelings journal with words for what you feel and how strongly. Your partner never sees it.",
        path: Some("/journal"),
    },
    Stage {
        number: 3,
        slug: "talk",
        title: "A safe space to talk",
        guide: "Hard conversations go better with a shape: one topic, agreed ground rules, one person speaking while the other listens and reflects back. Either of you can call a pause when it gets too much.",
        tool: "Structured conversations with speaker and listener turns and a pause of at least twenty minutes when either of you is flooded.",
        path: Some("/talk"),
    },
    Stage {
        number: 4,
        slug: "responsibility",
        title: "Responsibility without excuses",
        guide: "Owning what you did means naming it plainly, without the \"but\", without pointing elsewhere, and without making it smaller than it was. Explanations can come later, if they are wanted.",
        tool: "A statement composer for the repairing partner; the coach points out excuses, blame and minimising.",
        path: Some("/statements/responsibility"),
    },
    Stage {
        number: 5,
        slug: "apology",
        title: "A genuine apology",
        guide: "An apology lands when it names what was done, shows you understand how it hurt, says what will change and offers to make it right. \"Sorry if you felt…\" is not one.",
        tool: "An apology composer that shows which parts of a working apology are there and which are missing.",
        path: Some("/statements/apology"),
    },
    Stage {
        number: 6,
        slug: "boundaries",
        title: "Clear boundaries",
        guide: "Boundaries are the shape of safety: what is okay from now on, what is not, and what each of you needs. They hold because both of you chose them.",
        tool: "A shared agreement: a boundary takes effect only when both of you consent, and every change is kept as a new version.",
        path: Some("/agreement"),
    },
    Stage {
        number: 7,
        slug: "time",
        title: "Time to heal",
        guide: "Trust comes back at its own pace, and the partner who was hurt sets it. There is no deadline here and no countdown, only a record of the road you have walked.",
        tool: "A timeline of your journey, week by week: conversations held, agreements made, commitments kept, disclosures, and how your check-ins have moved.",
        path: Some("/timeline"),
    },
    Stage {
        number: 8,
        slug: "actions",
        title: "Consistent actions",
        guide: "Promises start the repair; kept promises do the work. Small commitments, kept again and again, are what let a hurt partner believe the words.",
        tool: "Commitments with a schedule, marked kept or missed, that your partner can confirm; a view of how consistent they have been.",
        path: Some("/commitments"),
    },
    Stage {
        number: 9,
        slug: "transparency",
        title: "Transparency",
        guide: "Openness offered freely is different from being watched. The repairing partner chooses to share where they are, who they talk to and what has changed, so doubt has less room to grow.",
        tool: "A transparency log that can only be added to, and that either of you can verify has not been altered.",
        path: Some("/transparency"),
    },
    Stage {
        number: 10,
        slug: "gentle",
        title: "Gentle communication",
        guide: "After a break, words land on bruised ground. Speaking about your own feelings and needs, instead of your partner's failings, keeps the door open.",
        tool: "Messages with a coach that explains what in a draft may hurt and offers a gentler way to say it. You always decide what to send.",
        path: Some("/messages"),
    },
    Stage {
        number: 11,
        slug: "grow",
        title: "Growing together",
        guide: "Repair is not only about the old wound. It is also new habits, new rituals and new good memories that belong to the two of you now.",
        tool: "Shared goals, rituals, appreciations and a book of good moments.",
        path: Some("/together"),
    },
    Stage {
        number: 12,
        slug: "let-go",
        title: "Letting the past go",
        guide: "Letting go is not forgetting; it is choosing to stop reliving. It happens when both of you are ready, and not before.",
        tool: "Lay an incident to rest together, when both of you say you are ready.",
        path: Some("/past"),
    },
    Stage {
        number: 13,
        slug: "daily",
        title: "Trust is a daily choice",
        guide: "Trust is rebuilt in ordinary days: one honest answer, one kind act, one effort noticed. A short check-in each day shows you both how it is really going.",
        tool: "A daily check-in: how much you trust, feel safe and feel connected, and one small act of the day, with trends over time.",
        path: Some("/checkin"),
    },
];

/// What the couple has done so far, as far as the suggestion needs to know.
#[derive(Debug, Default, Clone, Copy)]
pub struct Progress {
    pub has_partner: bool,
    pub safety_current: bool,
    pub checked_in_today: bool,
    pub check_ins: i64,
    /// The viewer is repairing (alone or both).
    pub repairing: bool,
    /// The couple's commitments still running.
    pub commitments: i64,
    /// Occasions of the viewer's own commitments, today or in the past
    /// week, not yet marked.
    pub unmarked: i64,
}

/// The next helpful step, as a sentence and a place to go.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Suggestion {
    pub text: &'static str,
    pub path: &'static str,
}

/// Suggests one next step. Safety first, then bringing the partner in, then
/// the daily practice; never a reproach for a day missed.
pub fn suggest(p: Progress) -> Suggestion {
    if !p.safety_current {
        Suggestion { text: "Start with the private safety check. It takes a minute, and only you see your answers.", path: "/safety" }
    } else if !p.has_partner {
        Suggestion {
            text: "Invite your partner when you are ready. The link works once and for seven days.",
            path: "/couple",
        }
    } else if p.unmarked > 0 {
        Suggestion {
            text: "An occasion of one of your commitments is waiting for your word: kept or missed, both are honest answers.",
            path: "/commitments",
        }
    } else if !p.checked_in_today {
        Suggestion {
            text: "Take a moment for today's check-in.",
            path: "/checkin",
        }
    } else if p.repairing && p.commitments == 0 {
        Suggestion {
            text: "You have checked in today. When you are ready, choose one small thing to do again and again, and make it a commitment.",
            path: "/commitments",
        }
    } else {
        Suggestion {
            text: "You have checked in today. Try the coach on something you want to say.",
            path: "/coach",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stages_are_numbered_in_order_with_unique_slugs() {
        for (i, s) in STAGES.iter().enumerate() {
            assert_eq!(s.number as usize, i + 1);
            assert!(STAGES.iter().filter(|o| o.slug == s.slug).count() == 1);
            assert!(!s.guide.is_empty() && !s.tool.is_empty());
        }
    }

    #[test]
    fn safety_comes_before_everything() {
        let p = Progress {
            has_partner: true,
            safety_current: false,
            checked_in_today: true,
            check_ins: 9,
            ..Default::default()
        };
        assert_eq!(suggest(p).path, "/safety");
        let p = Progress {
            safety_current: true,
            ..Default::default()
        };
        assert_eq!(suggest(p).path, "/couple");
        let p = Progress {
            safety_current: true,
            has_partner: true,
            ..Default::default()
        };
        assert_eq!(suggest(p).path, "/checkin");
        let p = Progress {
            safety_current: true,
            has_partner: true,
            checked_in_today: true,
            check_ins: 1,
            ..Default::default()
        };
        assert_eq!(suggest(p).path, "/coach");
        let repairing = Progress {
            repairing: true,
            ..p
        };
        assert_eq!(suggest(repairing).path, "/commitments");
        let going = Progress {
            commitments: 1,
            ..repairing
        };
        assert_eq!(suggest(going).path, "/coach");
        let waiting = Progress {
            unmarked: 1,
            checked_in_today: false,
            ..going
        };
        assert_eq!(
            suggest(waiting).path,
            "/commitments",
            "a waiting occasion comes before the check-in"
        );
    }
}
