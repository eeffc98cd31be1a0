//! Any bytes, read as text in any context with any incidents laid to rest:
//! the coach must not panic, and every span must be inside the text and on
//! character boundaries.
#![no_main]

use kintsugi_coach::{analyse, Context, Options};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else { return };
    let text = String::from_utf8_lossy(rest);
    let (text, incident) = match text.split_once('\u{1}') {
        Some((t, i)) => (t, vec![i.to_owned()]),
        None => (&*text, Vec::new()),
    };
    let context = Context::ALL[selector as usize % Context::ALL.len()];
    let a = analyse(text, &Options { context, laid_to_rest: incident });
    for f in &a.findings {
        assert!(f.start < f.end && f.end <= text.len());
        assert!(text.is_char_boundary(f.start) && text.is_char_boundary(f.end));
    }
});
