//! Running the rules over a text.
//!
//! Every word is looked up once in a table of the rules that can start
//! with it; each candidate is matched from there with bounded gaps, so the
//! cost is a constant per word and the analysis is linear in the text.

use rustc_hash::{FxHashMap as HashMap, FxHashSet};
use std::borrow::Cow;
use std::collections::HashSet;
use std::sync::OnceLock;

use crate::kind::{Context, Kind, Severity};
use crate::lexicon::{ENGLISH, HEDGES, NEGATORS};
use crate::parts::parts;
use crate::pattern::{Hit, Pattern, Words};
use crate::rule::{Mood, Rule, Scope};
use crate::rules::RULES;
use crate::text::{tokenize, Class, Tokens};
use crate::{Analysis, Finding, Language, Options};

struct Compiled {
    rule: &'static Rule,
    patterns: Vec<Pattern>,
    unless: Option<Words>,
}

struct Engine {
    rules: Vec<Compiled>,
    /// Every (rule, pattern) pair; the lists below index into it.
    flat: Vec<(u16, u8)>,
    /// First word → patterns that can start with it.
    by_word: HashMap<Box<str>, Vec<u32>>,
    /// Patterns that can start with any word.
    anywhere: Vec<u32>,
    /// A word a pattern needs somewhere in the text → those patterns. A
    /// pattern none of whose needed words is in the text is not tried.
    by_anchor: HashMap<Box<str>, Vec<u32>>,
    /// Which patterns are possible before looking at the text: those
    /// without anchor words.
    unanchored: Vec<bool>,
}

fn compile() -> Result<Engine, String> {
    let mut engine = Engine {
        rules: Vec::new(),
        flat: Vec::new(),
        by_word: HashMap::default(),
        anywhere: Vec::new(),
        by_anchor: HashMap::default(),
        unanchored: Vec::new(),
    };
    for (ri, rule) in RULES.iter().enumerate() {
        let patterns = rule
            .pattern
            .split(" ; ")
            .map(Pattern::parse)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| format!("{}: {e}", rule.id))?;
        for (pi, p) in patterns.iter().enumerate() {
            let key = engine.flat.len() as u32;
            engine.flat.push((ri as u16, pi as u8));
            match p.anchor_words() {
                Some(words) => {
                    engine.unanchored.push(false);
                    for w in words {
                        engine.by_anchor.entry(w).or_default().push(key);
                    }
                }
                None => engine.unanchored.push(true),
            }
            match p.first_words() {
                Some(words) => {
                    for w in words {
                        let list = engine.by_word.entry(w).or_default();
                        if !list.contains(&key) {
                            list.push(key);
                        }
                    }
                }
                None => engine.anywhere.push(key),
            }
        }
        let unless = if rule.unless.is_empty() {
            None
        } else {
            Some(Words::parse_list(rule.unless).map_err(|e| format!("{}: {e}", rule.id))?)
        };
        engine.rules.push(Compiled {
            rule,
            patterns,
            unless,
        });
    }
    Ok(engine)
}

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    // The rules are compiled into the binary and checked by the test
    // suite; a broken rule is a bug in this crate, not bad input.
    ENGINE.get_or_init(|| compile().expect("the coach's rules compile"))
}

pub fn analyse(text: &str, options: &Options) -> Analysis {
    analyse_with(text, options, true)
}

/// `settled: false` keeps every rule's own finding, for checking rules.
fn analyse_with(text: &str, options: &Options, settled: bool) -> Analysis {
    let t = tokenize(text);
    let context = options.context;
    let language = language(&t);
    let mut findings: Vec<Located> = Vec::new();
    if language.is_english() {
        let e = engine();
        let mut text_scope: Vec<Option<bool>> = vec![None; e.rules.len()];
        // A match never leaves its sentence, so the words a pattern needs
        // are looked for sentence by sentence: on long text this keeps the
        // pruning as sharp as on a short message.
        let mut possible = e.unanchored.clone();
        let mut start = 0;
        while start < t.len() {
            let sentence = t.list[start].sentence;
            let end = (start..t.len())
                .find(|&k| t.list[k].sentence != sentence)
                .unwrap_or(t.len());
            possible.copy_from_slice(&e.unanchored);
            for k in start..end {
                if let Some(list) = e.by_anchor.get(t.word(k)) {
                    list.iter().for_each(|&p| possible[p as usize] = true);
                }
            }
            for i in start..end {
                if t.list[i].class == Class::Stop || t.list[i].class == Class::Pause {
                    continue;
                }
                let candidates = e.by_word.get(t.word(i)).map(Vec::as_slice).unwrap_or(&[]);
                for &p in candidates.iter().chain(&e.anywhere) {
                    if !possible[p as usize] {
                        continue;
                    }
                    let (ri, pi) = e.flat[p as usize];
                    let c = &e.rules[ri as usize];
                    if !c.rule.applies_in(context) {
                        continue;
                    }
                    let Some(hit) = c.patterns[pi as usize].match_at(&t, i) else {
                        continue;
                    };
                    if holds(c, &t, hit, &mut text_scope[ri as usize]) {
                        findings.push((
                            finding(c.rule, &t, hit),
                            t.list[hit.first].clause,
                            t.list[hit.last].clause,
                        ));
                    }
                }
            }
            start = end;
        }
        findings.extend(reopenings(&t, &options.laid_to_rest));
        if settled {
            findings = settle(findings);
        }
    }
    let findings: Vec<Finding> = findings.into_iter().map(|(f, _, _)| f).collect();
    let concern = findings.iter().any(|f| f.severity == Severity::Concern);
    let parts = parts(context, &findings);
    Analysis {
        context,
        language,
        concern,
        findings,
        parts,
    }
}

/// A finding with the first and last clause it covers.
type Located = (Finding, u32, u32);

/// How many words either side of a match `unless` looks at, at most:
/// keeps the check a constant per match on text without punctuation.
const UNLESS_REACH: usize = 40;

fn finding(rule: &'static Rule, t: &Tokens, hit: Hit) -> Finding {
    Finding {
        kind: rule.kind,
        severity: rule.severity(),
        start: t.list[hit.first].span.start,
        end: t.list[hit.last].span.end,
        rule: rule.id,
        reason: Cow::Borrowed(rule.reason),
        suggestion: rule.suggestion,
    }
}

/// The constraints around a match: quotation, negation, and words that
/// take it back. `text_scope` caches, per rule, whether a taking-back word
/// appears anywhere in the text.
fn holds(c: &Compiled, t: &Tokens, hit: Hit, text_scope: &mut Option<bool>) -> bool {
    let first = &t.list[hit.first];
    if first.quoted {
        return false; // someone else's words, reported
    }
    match c.rule.mood {
        Mood::Asked if !first.question => return false,
        Mood::Stated if first.question => return false,
        _ => {}
    }
    if c.rule.negatable && negated(t, hit.first) {
        return false;
    }
    let Some(unless) = &c.unless else { return true };
    let taken_back = match c.rule.scope {
        Scope::Text => *text_scope
            .get_or_insert_with(|| (0..t.len()).any(|k| t.is_word(k) && unless.starts_at(t, k))),
        scope => {
            let same = |k: usize| match scope {
                Scope::Clause => {
                    t.list[k].clause == first.clause || (hit.first..=hit.last).contains(&k)
                }
                _ => t.list[k].sentence == first.sentence,
            };
            let lo = hit.first.saturating_sub(UNLESS_REACH);
            let hi = (hit.last + UNLESS_REACH).min(t.len() - 1);
            (lo..=hi).any(|k| t.is_word(k) && same(k) && unless.starts_at(t, k))
        }
    };
    !taken_back
}

/// A negation just before `at` in its clause ("not stupid", "never said
/// you're…"), or a negated verb of thinking or saying earlier in the
/// clause ("I don't think you're…"). "Can't believe" is disbelief, not
/// negation.
fn negated(t: &Tokens, at: usize) -> bool {
    let clause = t.list[at].clause;
    let mut before = [0usize; 5];
    let mut n = 0;
    for k in (0..at).rev().take_while(|&k| t.list[k].clause == clause) {
        if t.is_word(k) {
            before[n] = k;
            n += 1;
            if n == before.len() {
                break;
            }
        }
    }
    let before = &before[..n];
    for (distance, &k) in before.iter().enumerate() {
        if !NEGATORS.contains(&t.word(k)) {
            continue;
        }
        if distance < 2 {
            return true;
        }
        // Words between the negation and the match.
        let between = &before[..distance];
        let disbelief = between
            .iter()
            .any(|&b| matches!(t.word(b), "believe" | "stand" | "wait"));
        if !disbelief && between.iter().any(|&b| HEDGES.contains(&t.word(b))) {
            return true;
        }
    }
    false
}

/// Merge what the rules found: one finding per kind and place, and no
/// praise for words that sit in the same clause as a concern ("I need you
/// to stop being so selfish" is not an I-statement).
fn settle(mut found: Vec<Located>) -> Vec<Located> {
    found.sort_by(|a, b| a.0.start.cmp(&b.0.start).then(b.0.end.cmp(&a.0.end)));
    // Sorted by start, a finding overlaps an earlier one of its kind
    // exactly when it starts before the furthest end of that kind so far.
    let mut reach: HashMap<Kind, usize> = HashMap::default();
    found.retain(|(f, _, _)| {
        let end = reach.entry(f.kind).or_insert(0);
        let overlaps = f.start < *end;
        *end = (*end).max(f.end);
        !overlaps
    });
    let harmful: FxHashSet<u32> = found
        .iter()
        .filter(|(f, _, _)| f.severity != Severity::Affirm && f.kind != Kind::Reopening)
        .flat_map(|&(_, lo, hi)| lo..=hi)
        .collect();
    found.retain(|(f, lo, hi)| {
        f.severity != Severity::Affirm || !(*lo..=*hi).any(|c| harmful.contains(&c))
    });
    found
}

/// Where the text goes back to an incident laid to rest. A short name
/// ("the Lisbon trip") is found as a phrase; a longer description by its
/// distinctive words, three of them in one sentence.
fn reopenings(t: &Tokens, laid_to_rest: &[String]) -> Vec<Located> {
    let mut out = Vec::new();
    for incident in laid_to_rest {
        let it = tokenize(incident);
        let words: Vec<&str> = (0..it.len())
            .filter(|&k| it.is_word(k))
            .map(|k| it.word(k))
            .collect();
        if words.is_empty() {
            continue;
        }
        let span = if words.len() <= 4 {
            phrase(t, &words)
        } else {
            let distinctive: Vec<&str> = words
                .iter()
                .copied()
                .filter(|w| w.chars().count() >= 4 && !ENGLISH.contains(w))
                .collect();
            shared_words(t, &distinctive, 3)
        };
        if let Some((first, last)) = span {
            let name: String = incident.chars().take(60).collect();
            let ellipsis = if incident.chars().count() > 60 {
                "…"
            } else {
                ""
            };
            let clauses = (t.list[first].clause, t.list[last].clause);
            out.push((Finding {
                kind: Kind::Reopening,
                severity: Severity::Note,
                start: t.list[first].span.start,
                end: t.list[last].span.end,
                rule: "reopening.laid_to_rest",
                reason: Cow::Owned(format!(
                    "This goes back to \u{201c}{name}{ellipsis}\u{201d}, which you both chose to lay to rest."
                )),
                suggestion: Some("If it still weighs on you, say so gently, as something you feel today, or ask whether you can talk about it together."),
            }, clauses.0, clauses.1));
        }
    }
    out
}

fn phrase(t: &Tokens, words: &[&str]) -> Option<(usize, usize)> {
    let list: Vec<usize> = (0..t.len()).filter(|&k| t.is_word(k)).collect();
    list.windows(words.len())
        .find(|w| w.iter().zip(words).all(|(&k, &x)| t.word(k) == x))
        .map(|w| (w[0], w[w.len() - 1]))
}

fn shared_words(t: &Tokens, distinctive: &[&str], needed: usize) -> Option<(usize, usize)> {
    let needed = needed.min(distinctive.len()).max(1);
    if distinctive.is_empty() {
        return None;
    }
    let mut by_sentence: HashMap<u32, (Vec<&str>, usize, usize)> = HashMap::default();
    for k in (0..t.len()).filter(|&k| t.is_word(k)) {
        let w = t.word(k);
        if let Some(&d) = distinctive.iter().find(|&&d| d == w) {
            let e = by_sentence
                .entry(t.list[k].sentence)
                .or_insert((Vec::new(), k, k));
            if !e.0.contains(&d) {
                e.0.push(d);
            }
            e.2 = k;
        }
    }
    by_sentence
        .into_values()
        .filter(|(found, _, _)| found.len() >= needed)
        .map(|(_, a, b)| (a, b))
        .min()
}

/// English, unless the text has several words and hardly any of the
/// commonest English ones.
fn language(t: &Tokens) -> Language {
    let words: Vec<&str> = (0..t.len())
        .filter(|&k| t.is_word(k))
        .map(|k| t.word(k))
        .collect();
    let alphabetic = words
        .iter()
        .filter(|w| w.chars().any(char::is_alphabetic))
        .count();
    let latin = words
        .iter()
        .flat_map(|w| w.chars())
        .filter(char::is_ascii_alphabetic)
        .count();
    let letters = words
        .iter()
        .flat_map(|w| w.chars())
        .filter(|c| c.is_alphabetic())
        .count();
    if letters >= 8 && latin * 2 < letters {
        return Language::Unknown; // mostly another script
    }
    if alphabetic < 6 {
        return Language::English; // too short to tell; read it as English
    }
    static SET: OnceLock<FxHashSet<&'static str>> = OnceLock::new();
    let set = SET.get_or_init(|| ENGLISH.iter().copied().collect());
    let english = words.iter().filter(|w| set.contains(*w)).count();
    if english * 8 < alphabetic {
        Language::Unknown
    } else {
        Language::English
    }
}

pub fn check_rules() -> Vec<String> {
    let mut failures = Vec::new();
    let e = match compile() {
        Ok(e) => e,
        Err(err) => return vec![err],
    };
    let mut ids = HashSet::new();
    for c in &e.rules {
        let r = c.rule;
        if !ids.insert(r.id) {
            failures.push(format!("{}: duplicate id", r.id));
        }
        if !r
            .id
            .starts_with(r.kind.id().split('_').next().unwrap_or_default())
        {
            failures.push(format!(
                "{}: id does not start with its kind `{}`",
                r.id,
                r.kind.id()
            ));
        }
        if r.reason.is_empty() {
            failures.push(format!("{}: no reason", r.id));
        }
        if r.kind.is_concern() && r.suggestion.is_none() {
            failures.push(format!("{}: a concern needs a gentler alternative", r.id));
        }
        if r.fires.is_empty() {
            failures.push(format!("{}: no example that fires", r.id));
        }
        let context = r.contexts.first().copied().unwrap_or(Context::Message);
        let options = Options::for_context(context);
        for ex in r.fires {
            let a = analyse_with(ex, &options, false);
            if !a.findings.iter().any(|f| f.rule == r.id) {
                let got: Vec<&str> = a.findings.iter().map(|f| f.rule).collect();
                failures.push(format!(
                    "{}: should fire on {ex:?} ({context}); found {got:?}",
                    r.id
                ));
            }
        }
        for ex in r.quiet {
            let a = analyse(ex, &options);
            if let Some(f) = a.findings.iter().find(|f| f.kind == r.kind) {
                failures.push(format!(
                    "{}: should stay quiet on {ex:?}; {} fired on {:?}",
                    r.id,
                    f.rule,
                    &ex[f.start..f.end]
                ));
            }
        }
    }
    failures
}
