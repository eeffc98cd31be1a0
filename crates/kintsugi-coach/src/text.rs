//! From raw text to tokens the rules can read.
//!
//! Each word is normalised on its own — compatibility forms folded (NFKC),
//! curly quotes made straight, lower case, common contractions spelled out
//! ("don’t" → "do not", "youre" → "you are") — while keeping the byte
//! range it came from, so that every finding points at the author's own
//! characters. Sentences and clauses are numbered, and words between
//! double quotes are marked as quoted.

use std::ops::Range;
use unicode_normalization::UnicodeNormalization;

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    Word,
    /// A mark that ends a clause: `,` `;` `:` or a dash.
    Pause,
    /// A mark that ends a sentence: `.` `!` `?` or a line break.
    Stop,
    /// An emoji or another symbol.
    Symbol,
}

/// One token: its normalised form, and the bytes of the original text it
/// stands for. A contraction gives two tokens with the same span.
#[derive(Debug, Clone)]
pub struct Token {
    pub norm: Range<u32>,
    pub span: Range<usize>,
    pub class: Class,
    pub sentence: u32,
    pub clause: u32,
    pub quoted: bool,
    /// The sentence this token is in ends with a question mark.
    pub question: bool,
}

/// A text cut into tokens.
#[derive(Debug, Default)]
pub struct Tokens {
    buf: String,
    pub list: Vec<Token>,
}

impl Tokens {
    pub fn word(&self, i: usize) -> &str {
        let r = &self.list[i].norm;
        &self.buf[r.start as usize..r.end as usize]
    }

    pub fn len(&self) -> usize {
        self.list.len()
    }

    pub fn is_word(&self, i: usize) -> bool {
        self.list[i].class == Class::Word
    }
}

/// Words the common contractions stand for, after the apostrophe has been
/// normalised. Spelling them out lets one rule say "you are" and match
/// "you're", "youre" and "you are" alike.
fn expand(word: &str) -> Option<&'static [&'static str]> {
    Some(match word {
        "i'm" | "im" => &["i", "am"],
        "i've" | "ive" => &["i", "have"],
        "i'll" => &["i", "will"],
        "i'd" => &["i", "would"],
        "you're" | "youre" | "ur" | "yr" => &["you", "are"],
        "you've" | "youve" => &["you", "have"],
        "you'll" | "youll" => &["you", "will"],
        "you'd" | "youd" => &["you", "would"],
        "u" | "ya" => &["you"],
        "r" => &["are"],
        "we're" => &["we", "are"],
        "we've" => &["we", "have"],
        "we'll" => &["we", "will"],
        "they're" | "theyre" => &["they", "are"],
        "it's" | "itz" => &["it", "is"],
        "that's" | "thats" => &["that", "is"],
        "what's" | "whats" => &["what", "is"],
        "there's" | "theres" => &["there", "is"],
        "here's" => &["here", "is"],
        "he's" => &["he", "is"],
        "she's" => &["she", "is"],
        "who's" => &["who", "is"],
        "how's" => &["how", "is"],
        "let's" | "lets" => &["let", "us"],
        "can't" | "cant" | "cannot" => &["can", "not"],
        "won't" => &["will", "not"],
        "shan't" => &["shall", "not"],
        "ain't" | "aint" => &["is", "not"],
        "dont" => &["do", "not"],
        "doesnt" => &["does", "not"],
        "didnt" => &["did", "not"],
        "isnt" => &["is", "not"],
        "wasnt" => &["was", "not"],
        "arent" => &["are", "not"],
        "werent" => &["were", "not"],
        "havent" => &["have", "not"],
        "hasnt" => &["has", "not"],
        "hadnt" => &["had", "not"],
        "wouldnt" => &["would", "not"],
        "shouldnt" => &["should", "not"],
        "couldnt" => &["could", "not"],
        "gonna" => &["going", "to"],
        "wanna" => &["want", "to"],
        "gotta" => &["got", "to"],
        "thx" | "thanx" | "ty" => &["thanks"],
        "pls" | "plz" => &["please"],
        "sry" | "soz" => &["sorry"],
        "k" | "kk" => &["ok"],
        "okay" => &["ok"],
        _ => return None,
    })
}

/// Fold one character to the form the rules are written in.
fn fold(c: char, out: &mut String) {
    match c {
        '\u{2018}' | '\u{2019}' | '\u{201B}' | '\u{02BC}' | '\u{2032}' | '`' | '\u{00B4}' => {
            out.push('\'')
        }
        c if c.is_ascii() => out.push(c.to_ascii_lowercase()),
        c => {
            for d in std::iter::once(c).nfkc() {
                out.extend(d.to_lowercase());
            }
        }
    }
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '\u{2018}' | '\u{02BC}' | '`')
}

fn is_double_quote(c: char) -> bool {
    matches!(
        c,
        '"' | '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{00AB}' | '\u{00BB}'
    )
}

/// Cut `text` into tokens. Runs once over the text; allocation is one
/// buffer and one vector, both proportional to the text.
pub fn tokenize(text: &str) -> Tokens {
    let mut t = Tokens {
        buf: String::with_capacity(text.len() + 16),
        list: Vec::with_capacity(text.len() / 4 + 4),
    };
    let (mut sentence, mut clause, mut quoted) = (0u32, 0u32, false);
    let mut sentence_start = 0usize; // index into t.list
    let mut chars = text.char_indices().peekable();
    let mut word = String::new();

    let close_sentence = |t: &mut Tokens, start: usize, question: bool| {
        if question {
            for tok in &mut t.list[start..] {
                tok.question = true;
            }
        }
    };

    while let Some((i, c)) = chars.next() {
        if is_word_char(c) {
            // A word: letters and digits, with apostrophes inside it
            // ("don't") and hyphens joining letters ("self-centred").
            word.clear();
            fold(c, &mut word);
            let mut end = i + c.len_utf8();
            while let Some(&(j, d)) = chars.peek() {
                if is_word_char(d) {
                    fold(d, &mut word);
                } else if is_apostrophe(d) || d == '-' {
                    let mut ahead = text[j + d.len_utf8()..].chars();
                    if !ahead.next().is_some_and(is_word_char) {
                        break;
                    }
                    word.push(if d == '-' { '-' } else { '\'' });
                } else if d == '\u{0301}' || d == '\u{200D}' {
                    // combining marks and joiners stay with their word
                } else {
                    break;
                }
                end = j + d.len_utf8();
                chars.next();
            }
            let span = i..end;
            let mut push = |w: &str| {
                let start = t.buf.len() as u32;
                t.buf.push_str(w);
                t.list.push(Token {
                    norm: start..t.buf.len() as u32,
                    span: span.clone(),
                    class: Class::Word,
                    sentence,
                    clause,
                    quoted,
                    question: false,
                });
            };
            if let Some(parts) = expand(&word) {
                parts.iter().for_each(|p| push(p));
            } else if let Some(stem) = word.strip_suffix("n't") {
                push(stem);
                push("not");
            } else if let Some(stem) = word.strip_suffix("'s") {
                push(stem); // a possessive: "john's" reads as "john"
            } else {
                push(&word);
            }
            continue;
        }
        if c.is_whitespace() {
            if c == '\n' {
                // A line break ends a sentence in chat-style writing.
                close_sentence(&mut t, sentence_start, false);
                if t.list.last().is_some_and(|l| l.class != Class::Stop) {
                    sentence += 1;
                    clause += 1;
                    sentence_start = t.list.len();
                }
            }
            continue;
        }
        let span = i..i + c.len_utf8();
        let mark = |t: &mut Tokens, class: Class, norm: char| {
            let start = t.buf.len() as u32;
            t.buf.push(norm);
            t.list.push(Token {
                norm: start..t.buf.len() as u32,
                span: span.clone(),
                class,
                sentence,
                clause,
                quoted,
                question: false,
            });
        };
        match c {
            '.' | '!' | '?' | '\u{2026}' | '\u{203D}' => {
                mark(&mut t, Class::Stop, if c == '\u{2026}' { '.' } else { c });
                // A run of stops ("?!", "...") ends one sentence.
                let next_is_stop = chars
                    .peek()
                    .is_some_and(|&(_, d)| matches!(d, '.' | '!' | '?' | '\u{2026}'));
                if !next_is_stop {
                    let question = t.list[sentence_start..]
                        .iter()
                        .rev()
                        .take_while(|k| k.class == Class::Stop)
                        .any(|k| t.buf.as_bytes()[k.norm.start as usize] == b'?');
                    close_sentence(&mut t, sentence_start, question);
                    sentence += 1;
                    clause += 1;
                    sentence_start = t.list.len();
                }
            }
            ',' | ';' | ':' | '\u{2013}' | '\u{2014}' | '(' | ')' | '-' => {
                mark(&mut t, Class::Pause, if c.is_ascii() { c } else { '-' });
                clause += 1;
            }
            c if is_double_quote(c) => {
                quoted = !quoted;
                clause += 1;
            }
            c if is_apostrophe(c) => {
                // A single quote outside a word opens or closes a quotation
                // only when it looks like one ('like this').
                let opens = !quoted && chars.peek().is_some_and(|&(_, d)| is_word_char(d));
                if opens || quoted {
                    quoted = !quoted;
                    clause += 1;
                }
            }
            c if c.is_ascii_punctuation() => {}
            '\u{FE0F}' | '\u{200D}' | '\u{200B}' | '\u{FEFF}' => {}
            c if ('\u{1F3FB}'..='\u{1F3FF}').contains(&c) => {} // skin tones
            c => mark(&mut t, Class::Symbol, c),
        }
    }
    let question = t.list[sentence_start..]
        .iter()
        .rev()
        .take_while(|k| k.class == Class::Stop)
        .any(|k| t.buf.as_bytes()[k.norm.start as usize] == b'?');
    close_sentence(&mut t, sentence_start, question);
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        let t = tokenize(text);
        (0..t.len()).map(|i| t.word(i).to_owned()).collect()
    }

    #[test]
    fn contractions_are_spelled_out_with_either_apostrophe() {
        assert_eq!(words("You’re late"), ["you", "are", "late"]);
        assert_eq!(words("you're late"), ["you", "are", "late"]);
        assert_eq!(words("youre late"), ["you", "are", "late"]);
        assert_eq!(words("I don’t know"), ["i", "do", "not", "know"]);
        assert_eq!(words("We couldn't"), ["we", "could", "not"]);
    }

    #[test]
    fn spans_point_at_the_original_text() {
        let text = "Well… you’re ＬＡＴＥ 🙄";
        let t = tokenize(text);
        let spans: Vec<&str> = t.list.iter().map(|k| &text[k.span.clone()]).collect();
        assert_eq!(spans, ["Well", "…", "you’re", "you’re", "ＬＡＴＥ", "🙄"]);
        assert_eq!(t.word(4), "late");
        assert_eq!(t.list[5].class, Class::Symbol);
    }

    #[test]
    fn sentences_clauses_questions_and_quotes() {
        let t = tokenize("Why? I said \"fine\", ok. Bye");
        let why = &t.list[0];
        assert!(why.question);
        let fine = t.list.iter().position(|k| t.word_of(k) == "fine").unwrap();
        assert!(t.list[fine].quoted);
        assert!(!t.list[fine].question);
        let bye = t.list.last().unwrap();
        assert_eq!(bye.sentence, 2);
        assert!(!bye.quoted);
    }

    impl Tokens {
        fn word_of(&self, k: &Token) -> &str {
            &self.buf[k.norm.start as usize..k.norm.end as usize]
        }
    }
}
