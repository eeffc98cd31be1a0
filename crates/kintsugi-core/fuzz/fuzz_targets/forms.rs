//! Any bytes as a submitted form: every parser that reads what people type
//! must answer with a value or a list of problems, never a panic, and what
//! it accepts must respect its own limits.
#![no_main]

use kintsugi_core::account::{NewPassword, Username};
use kintsugi_core::checkin::{CheckInDraft, CheckInFields};
use kintsugi_core::journal::{JournalDraft, JournalFields};
use kintsugi_core::transparency::{DisclosureDraft, TEXT_MAX_CHARS};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let today = time::macros::date!(2026 - 11 - 25);
    if let Ok(fields) = serde_urlencoded::from_bytes::<CheckInFields>(data) {
        let _ = CheckInDraft::parse(&fields, today);
    }
    if let Ok(fields) = serde_urlencoded::from_bytes::<JournalFields>(data) {
        if let Ok(d) = JournalDraft::parse(&fields, today) {
            assert!(d.day <= today.next_day().unwrap());
        }
    }
    let text = String::from_utf8_lossy(data);
    let _ = Username::parse(&text);
    let _ = NewPassword::parse(&text);
    let mut parts = text.splitn(4, '\u{0}');
    let (c, at, words, corrects) = (
        parts.next().unwrap_or_default(),
        parts.next().unwrap_or_default(),
        parts.next().unwrap_or_default(),
        parts.next().unwrap_or_default(),
    );
    if let Ok(d) = DisclosureDraft::parse(c, at, words, corrects, 5) {
        assert!(d.text.chars().count() <= TEXT_MAX_CHARS);
        assert!(d.corrects.is_none_or(|i| i < 5));
        let _ = d.seal([0; 32]).commitment();
    }
});
