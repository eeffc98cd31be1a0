//! Properties that hold for any input: no panic, spans inside the text and
//! on character boundaries, the same answer every time, and `concern`
//! agreeing with the findings.

use kintsugi_coach::{analyse, Context, Options, Severity};
use proptest::prelude::*;

fn options() -> impl Strategy<Value = Options> {
    (
        prop::sample::select(Context::ALL.to_vec()),
        prop::collection::vec(".{0,30}", 0..3),
    )
        .prop_map(|(context, laid_to_rest)| Options {
            context,
            laid_to_rest,
        })
}

/// Text built from words the rules care about, so the properties are
/// exercised where findings actually happen, mixed with arbitrary Unicode.
fn texty() -> impl Strategy<Value = String> {
    let word = prop::sample::select(vec![
        "you", "You’re", "always", "never", "not", "don't", "sorry", "if", "but", "I", "lied",
        "whatever", ".", ",", "?", "\"", "'", "🙄", "ﬁne", "é", "\u{301}", "\n", "so", "selfish",
        "made", "me", "because", "forgive", "will", "-",
    ]);
    prop::collection::vec(prop_oneof![word.prop_map(String::from), ".{0,6}"], 0..60)
        .prop_map(|w| w.join(" "))
}

fn check(text: &str, options: &Options) {
    let a = analyse(text, options);
    for f in &a.findings {
        assert!(
            f.start < f.end && f.end <= text.len(),
            "span {}..{} outside {} bytes",
            f.start,
            f.end,
            text.len()
        );
        assert!(text.is_char_boundary(f.start) && text.is_char_boundary(f.end));
        assert!(!f.reason.is_empty());
    }
    assert_eq!(
        a.concern,
        a.findings.iter().any(|f| f.severity == Severity::Concern)
    );
    assert_eq!(a, analyse(text, options), "the analysis is deterministic");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn any_unicode(text in "\\PC{0,200}", options in options()) {
        check(&text, &options);
    }

    #[test]
    fn sentences_of_loaded_words(text in texty(), options in options()) {
        check(&text, &options);
    }
}

#[test]
fn long_adversarial_text_is_fine() {
    for unit in [
        "you always ",
        "sorry if ",
        "\"",
        "if you ",
        "i ",
        "😀",
        "a\u{301}",
        "never never ",
    ] {
        let text = unit.repeat(20_000);
        check(&text, &Options::default());
    }
}
