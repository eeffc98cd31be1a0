//! Any bytes as a JSON API body. The web layer reads each body into plain
//! strings (numbers and `null` taken as text, as `ApiJson` and the handlers
//! do) and hands them to these parsers: whatever arrives, each must answer
//! with a value or a list of problems, never a panic, and keep its limits.
#![no_main]

use kintsugi_core::checkin::{CheckInDraft, CheckInFields};
use kintsugi_core::conversation::{
    parse_closing, parse_rules, parse_topic, parse_turn_text, TurnKind,
};
use kintsugi_core::couple::{Role, Visibility};
use kintsugi_core::journal::{JournalDraft, JournalFields};
use kintsugi_core::safety::Answers;
use kintsugi_core::{agreement, reflection, statement};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

/// A field as the web layer reads it: text as it is, anything else as its JSON text.
fn text(body: &Value, key: &str) -> String {
    match body.get(key) {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

fuzz_target!(|data: &[u8]| {
    let today = time::macros::date!(2026 - 11 - 25);
    if let Ok(fields) = serde_json::from_slice::<CheckInFields>(data) {
        let _ = CheckInDraft::parse(&fields, today);
    }
    if let Ok(fields) = serde_json::from_slice::<JournalFields>(data) {
        if let Ok(d) = JournalDraft::parse(&fields, today) {
            assert!(d.day <= today.next_day().unwrap());
        }
    }
    let Ok(body) = serde_json::from_slice::<Value>(data) else {
        return;
    };
    let (words, note, why) = (text(&body, "text"), text(&body, "note"), text(&body, "why"));
    let _ = parse_topic(&text(&body, "topic"));
    let _ = parse_rules(&text(&body, "ground_rules"));
    for kind in [
        TurnKind::Speak,
        TurnKind::Reflect,
        TurnKind::Confirm,
        TurnKind::Correct,
    ] {
        let _ = parse_turn_text(kind, &words);
    }
    let _ = parse_closing(&note);
    let _ = reflection::parse_draft(&words);
    let _ = reflection::parse_share(&words);
    let _ = statement::parse_text(&words);
    let _ = statement::parse_response(&text(&body, "verdict"), &words);
    let _ = agreement::parse_reason(&why);
    let _ = Role::parse(&text(&body, "role"));
    let _ = Visibility::parse(&text(&body, "visibility"));
    if let Some(Value::Object(answers)) = body.get("answers") {
        let _ = Answers::parse(|id| answers.get(id).and_then(Value::as_str));
    }
});
