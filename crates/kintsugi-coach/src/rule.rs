//! What a rule is: a pattern, the constraints around it, and what it says.
//!
//! Rules are data (see [`crate::rules`]): each carries examples that must
//! and must not fire, and the test suite runs every one of them.

use crate::kind::{Context, Kind, Severity};

/// Whether a rule reads questions, statements or both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mood {
    Any,
    /// Only in a sentence ending with a question mark ("so now it's my fault?").
    Asked,
    /// Never in a question.
    Stated,
}

/// How far [`Rule::unless`] looks for words that take the rule back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Clause,
    Sentence,
    Text,
}

#[derive(Debug, Clone, Copy)]
pub struct Rule {
    /// Stable, dotted: `kind.what`.
    pub id: &'static str,
    pub kind: Kind,
    pub pattern: &'static str,
    /// `None`: the kind's usual severity.
    pub severity: Option<Severity>,
    /// Empty: every context.
    pub contexts: &'static [Context],
    /// A negation just before the match ("I don't think you're…") or a
    /// negated verb of saying or thinking takes it back.
    pub negatable: bool,
    /// Words that take the match back when they appear within `scope`:
    /// "you always make me *laugh*".
    pub unless: &'static str,
    pub scope: Scope,
    pub mood: Mood,
    /// One plain sentence: why this may land hard, or why it helps.
    pub reason: &'static str,
    /// A gentler way to say it, where one can be offered.
    pub suggestion: Option<&'static str>,
    /// Texts this rule must find (in its first context).
    pub fires: &'static [&'static str],
    /// Texts in which no finding of this rule's kind may appear.
    pub quiet: &'static [&'static str],
}

/// Start a rule; the builder methods below fill in the rest.
pub const fn rule(kind: Kind, id: &'static str, pattern: &'static str) -> Rule {
    Rule {
        id,
        kind,
        pattern,
        severity: None,
        contexts: &[],
        negatable: true,
        unless: "",
        scope: Scope::Clause,
        mood: Mood::Any,
        reason: "",
        suggestion: None,
        fires: &[],
        quiet: &[],
    }
}

impl Rule {
    pub const fn why(mut self, reason: &'static str) -> Self {
        self.reason = reason;
        self
    }
    pub const fn instead(mut self, suggestion: &'static str) -> Self {
        self.suggestion = Some(suggestion);
        self
    }
    pub const fn fires(mut self, examples: &'static [&'static str]) -> Self {
        self.fires = examples;
        self
    }
    pub const fn quiet(mut self, examples: &'static [&'static str]) -> Self {
        self.quiet = examples;
        self
    }
    pub const fn unless(mut self, words: &'static str, scope: Scope) -> Self {
        self.unless = words;
        self.scope = scope;
        self
    }
    pub const fn only(mut self, contexts: &'static [Context]) -> Self {
        self.contexts = contexts;
        self
    }
    /// The match itself holds its negation ("it's not my fault"), so a
    /// negation nearby does not take it back.
    pub const fn literal(mut self) -> Self {
        self.negatable = false;
        self
    }
    /// Only in questions.
    pub const fn asked(mut self) -> Self {
        self.mood = Mood::Asked;
        self
    }
    /// Never in questions.
    pub const fn stated(mut self) -> Self {
        self.mood = Mood::Stated;
        self
    }
    /// Worth a second look rather than a concern.
    pub const fn note(mut self) -> Self {
        self.severity = Some(Severity::Note);
        self
    }

    pub fn severity(&self) -> Severity {
        self.severity.unwrap_or(if self.kind.is_concern() {
            Severity::Concern
        } else {
            Severity::Affirm
        })
    }

    pub fn applies_in(&self, context: Context) -> bool {
        self.contexts.is_empty() || self.contexts.contains(&context)
    }
}
