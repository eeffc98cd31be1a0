//! A small pattern language over tokens, in which the rules are written.
//!
//! A pattern is a space-separated list of elements, each matching one word
//! unless it says otherwise:
//!
//! | element        | matches                                              |
//! |----------------|------------------------------------------------------|
//! | `always`       | the word "always"                                    |
//! | `always\|never` | either word                                          |
//! | `as_well`      | the words "as well", one after the other             |
//! | `@trait`       | any word of a named class (see [`crate::lexicon`])   |
//! | `hurt*`        | any word starting with "hurt"                        |
//! | `so?`          | the element, or nothing                              |
//! | `~3`           | up to three words of anything, within the sentence   |
//! | `^` / `$`      | the start / end of a clause (no word)                |
//! | `!but\|if`     | the next word is none of these (no word)             |
//!
//! A match never leaves its sentence; commas are stepped over. Gaps and
//! options are bounded, so matching costs a constant per starting word and
//! the whole analysis stays linear in the length of the text — the reason
//! for a language of our own rather than regular expressions with gaps.

use crate::lexicon;
use crate::text::{Class, Tokens};
use rustc_hash::FxHashSet;

/// One alternative of an alternation: one word, or several joined by `_`
/// ("as_well"); a trailing `*` makes its last word a prefix.
#[derive(Debug, Clone)]
struct Alt {
    words: Vec<Box<str>>,
    prefix: bool,
}

impl Alt {
    fn accepts(&self, i: usize, word: &str) -> bool {
        let w = &*self.words[i];
        if self.prefix && i + 1 == self.words.len() {
            word.starts_with(w)
        } else {
            word == w
        }
    }
}

/// An alternation. Single words sit in a hash set, so a class of a hundred
/// words costs one lookup; prefixes and multi-word alternatives are tried
/// one by one (there are few).
#[derive(Debug, Clone, Default)]
pub struct Words {
    exact: FxHashSet<Box<str>>,
    alts: Vec<Alt>,
}

impl Words {
    fn parse(alternatives: &str) -> Result<Words, String> {
        let mut w = Words::default();
        for alt in alternatives.split('|') {
            if let Some(class) = alt.strip_prefix('@') {
                let members =
                    lexicon::class(class).ok_or_else(|| format!("unknown class @{class}"))?;
                let inner = Words::parse(members)?;
                w.exact.extend(inner.exact);
                w.alts.extend(inner.alts);
                continue;
            }
            let (body, prefix) = match alt.strip_suffix('*') {
                Some(b) => (b, true),
                None => (alt, false),
            };
            if body.is_empty() || body.split('_').any(str::is_empty) {
                return Err(format!("empty alternative in `{alternatives}`"));
            }
            if !prefix && !body.contains('_') {
                w.exact.insert(body.into());
                continue;
            }
            w.alts.push(Alt {
                words: body.split('_').map(Into::into).collect(),
                prefix,
            });
        }
        Ok(w)
    }

    pub fn parse_list(alternatives: &str) -> Result<Words, String> {
        Words::parse(&alternatives.replace(' ', "_"))
    }

    /// Call `then` with the last token of each alternative that matches
    /// from `start`, until one returns a hit.
    fn each_end(
        &self,
        t: &Tokens,
        start: usize,
        mut then: impl FnMut(usize) -> Option<Hit>,
    ) -> Option<Hit> {
        if self.exact.contains(t.word(start)) {
            if let Some(h) = then(start) {
                return Some(h);
            }
        }
        let sentence = Some(t.list[start].sentence);
        'alts: for alt in &self.alts {
            let mut p = start;
            for i in 0..alt.words.len() {
                if i > 0 {
                    match next_word(t, p + 1, sentence) {
                        Some(n) => p = n,
                        None => continue 'alts,
                    }
                }
                if !alt.accepts(i, t.word(p)) {
                    continue 'alts;
                }
            }
            if let Some(h) = then(p) {
                return Some(h);
            }
        }
        None
    }

    /// Whether one of the alternatives starts at token `at`.
    pub fn starts_at(&self, t: &Tokens, at: usize) -> bool {
        let any = Hit {
            first: at,
            last: at,
        };
        self.each_end(t, at, |_| Some(any)).is_some()
    }

    /// Whether one word is, on its own, one of the alternatives.
    pub fn contains(&self, word: &str) -> bool {
        self.exact.contains(word)
            || self
                .alts
                .iter()
                .any(|a| a.words.len() == 1 && a.accepts(0, word))
    }

    /// The first word of every alternative; `None` if one is a prefix.
    fn first_words(&self) -> Option<Vec<Box<str>>> {
        let mut out: Vec<Box<str>> = self.exact.iter().cloned().collect();
        for a in &self.alts {
            if a.prefix && a.words.len() == 1 {
                return None;
            }
            out.push(a.words[0].clone());
        }
        Some(out)
    }
}

#[derive(Debug, Clone)]
enum Elem {
    Words(Words),
    Gap(u8),
    ClauseStart,
    ClauseEnd,
    NotNext(Words),
}

#[derive(Debug, Clone)]
struct Item {
    elem: Elem,
    optional: bool,
}

/// A parsed pattern.
#[derive(Debug, Clone)]
pub struct Pattern {
    items: Vec<Item>,
}

/// Where a pattern matched: token indices, inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    pub first: usize,
    pub last: usize,
}

impl Pattern {
    pub fn parse(source: &str) -> Result<Pattern, String> {
        let mut items = Vec::new();
        for raw in source.split_whitespace() {
            let (raw, optional) = match raw.strip_suffix('?') {
                Some(r) if !r.is_empty() => (r, true),
                _ => (raw, false),
            };
            let elem = match raw {
                "^" => Elem::ClauseStart,
                "$" => Elem::ClauseEnd,
                _ if raw.starts_with('~') => {
                    let n: u8 = raw[1..].parse().map_err(|_| format!("bad gap `{raw}`"))?;
                    if n == 0 || n > 8 {
                        return Err(format!("gap `{raw}` must be 1 to 8"));
                    }
                    Elem::Gap(n)
                }
                _ if raw.starts_with('!') => Elem::NotNext(Words::parse(&raw[1..])?),
                _ => Elem::Words(Words::parse(raw)?),
            };
            items.push(Item { elem, optional });
        }
        if !items
            .iter()
            .any(|i| matches!(i.elem, Elem::Words(_)) && !i.optional)
        {
            return Err(format!("pattern `{source}` matches no word"));
        }
        Ok(Pattern { items })
    }

    /// The words a match can start with, for dispatch; `None` when it can
    /// start with any word (a prefix or a gap comes first).
    pub fn first_words(&self) -> Option<Vec<Box<str>>> {
        let mut out = Vec::new();
        for item in &self.items {
            match &item.elem {
                Elem::ClauseStart | Elem::NotNext(_) => continue,
                Elem::Words(w) => {
                    out.extend(w.first_words()?);
                    if !item.optional {
                        return Some(out);
                    }
                }
                _ => return None,
            }
        }
        None
    }

    /// Words of which at least one must appear somewhere in a text for the
    /// pattern to match in it: the smallest required alternation after the
    /// first. `None` when there is no such element to check.
    pub fn anchor_words(&self) -> Option<Vec<Box<str>>> {
        let required = self.items.iter().filter_map(|i| match &i.elem {
            Elem::Words(w) if !i.optional => Some(w),
            _ => None,
        });
        required
            .skip(1)
            .filter_map(Words::first_words)
            .min_by_key(Vec::len)
    }

    /// Match starting exactly at token `at`.
    pub fn match_at(&self, t: &Tokens, at: usize) -> Option<Hit> {
        self.step(t, 0, at, None, None)
    }

    /// `pos`: the next token to consume; `first`/`last`: words consumed.
    fn step(
        &self,
        t: &Tokens,
        item: usize,
        pos: usize,
        first: Option<usize>,
        last: Option<usize>,
    ) -> Option<Hit> {
        let Some(it) = self.items.get(item) else {
            return Some(Hit {
                first: first?,
                last: last?,
            });
        };
        if it.optional {
            if let Some(h) = self.one(t, it, item, pos, first, last) {
                return Some(h);
            }
            return self.step(t, item + 1, pos, first, last);
        }
        self.one(t, it, item, pos, first, last)
    }

    fn one(
        &self,
        t: &Tokens,
        it: &Item,
        item: usize,
        pos: usize,
        first: Option<usize>,
        last: Option<usize>,
    ) -> Option<Hit> {
        let sentence = first.map(|f| t.list[f].sentence);
        match &it.elem {
            Elem::Words(w) => {
                let start = next_word(t, pos, sentence)?;
                if first.is_none() && start != pos {
                    return None; // a match starts on its own first word
                }
                let first = Some(first.unwrap_or(start));
                w.each_end(t, start, |end| {
                    self.step(t, item + 1, end + 1, first, Some(end))
                })
            }
            Elem::Gap(n) => {
                // Shortest gap first: the nearest continuation wins.
                let mut p = pos;
                for skipped in 0..=*n {
                    if let Some(h) = self.step(t, item + 1, p, first, last) {
                        return Some(h);
                    }
                    if skipped == *n {
                        break;
                    }
                    let w = next_word(t, p, sentence)?;
                    p = w + 1;
                }
                None
            }
            Elem::ClauseStart => {
                let starts = match last {
                    None => {
                        pos == 0
                            || t.list[pos - 1].clause != t.list[pos].clause
                            || t.list[pos - 1].class != Class::Word
                    }
                    Some(l) => next_word(t, pos, None)
                        .is_some_and(|n| t.list[n].clause != t.list[l].clause),
                };
                starts
                    .then(|| self.step(t, item + 1, pos, first, last))
                    .flatten()
            }
            Elem::ClauseEnd => {
                let l = last?;
                let ends = match t.list.get(l + 1) {
                    None => true,
                    Some(n) => {
                        n.class != Class::Word && n.class != Class::Symbol
                            || n.clause != t.list[l].clause
                    }
                };
                ends.then(|| self.step(t, item + 1, pos, first, last))
                    .flatten()
            }
            Elem::NotNext(w) => {
                let blocked = next_word(t, pos, sentence).is_some_and(|p| w.contains(t.word(p)));
                (!blocked)
                    .then(|| self.step(t, item + 1, pos, first, last))
                    .flatten()
            }
        }
    }
}

/// The next word or symbol at or after `pos`, stepping over commas, within
/// `sentence` when given.
fn next_word(t: &Tokens, mut pos: usize, sentence: Option<u32>) -> Option<usize> {
    while let Some(tok) = t.list.get(pos) {
        if sentence.is_some_and(|s| tok.sentence != s) {
            return None;
        }
        match tok.class {
            Class::Word | Class::Symbol => return Some(pos),
            Class::Pause => pos += 1,
            Class::Stop => return None,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::tokenize;

    fn hit(pattern: &str, text: &str) -> Option<String> {
        let p = Pattern::parse(pattern).unwrap();
        let t = tokenize(text);
        (0..t.len())
            .find_map(|i| p.match_at(&t, i))
            .map(|h| text[t.list[h.first].span.start..t.list[h.last].span.end].to_owned())
    }

    #[test]
    fn literals_options_gaps_and_anchors() {
        assert_eq!(
            hit("you always|never", "and you never call").as_deref(),
            Some("you never")
        );
        assert_eq!(
            hit("you ~2 never", "you really just never call").as_deref(),
            Some("you really just never")
        );
        assert_eq!(hit("you ~1 never", "you really just never call"), None);
        assert_eq!(
            hit("so? sorry !if|but", "I'm so sorry."),
            Some("so sorry".into())
        );
        assert_eq!(hit("sorry !if|but", "sorry if you felt"), None);
        assert_eq!(
            hit("sorry but", "I'm sorry, but"),
            Some("sorry, but".into())
        );
        assert_eq!(hit("^ whatever $", "Whatever."), Some("Whatever".into()));
        assert_eq!(hit("^ whatever $", "whatever you need"), None);
        assert_eq!(
            hit("overreact*", "you're overreacting"),
            Some("overreacting".into())
        );
        assert_eq!(
            hit(
                "you are not perfect|a_mind_reader",
                "you're not a mind reader!"
            ),
            Some("you're not a mind reader".into())
        );
        assert_eq!(
            hit("going_to_counsel*", "I'm going to counselling"),
            Some("going to counselling".into())
        );
    }

    #[test]
    fn a_match_stays_in_its_sentence() {
        assert_eq!(hit("you ~3 always", "You are here. Always."), None);
    }

    #[test]
    fn bad_patterns_are_refused() {
        assert!(Pattern::parse("~3").is_err());
        assert!(Pattern::parse("a ~9 b").is_err());
        assert!(Pattern::parse("@nosuchclass").is_err());
        assert!(Pattern::parse("a||b").is_err());
    }
}
