//! Any bytes as a downloaded log or a signed checkpoint: `verify-log`'s
//! reading and checking must answer, never panic.
#![no_main]

use std::sync::OnceLock;

use kintsugi_core::transparency::{verify_bundle, Bundle, Checkpoint, LogKey};
use libfuzzer_sys::fuzz_target;

fn key() -> &'static str {
    static KEY: OnceLock<LogKey> = OnceLock::new();
    KEY.get_or_init(|| LogKey::generate(&mut rand_core::OsRng, "kintsugi.test").0)
        .verifier()
}

fuzz_target!(|data: &[u8]| {
    let key = key();
    if let Ok(bundle) = serde_json::from_slice::<Bundle>(data) {
        let earlier: Vec<String> = bundle.checkpoints.iter().rev().take(2).cloned().collect();
        let _ = verify_bundle(&bundle, None, &earlier);
        let _ = verify_bundle(&bundle, Some(key), &[]);
    }
    let text = String::from_utf8_lossy(data);
    let _ = Checkpoint::open(&text, key, "kintsugi.test/couple/1");
    if let Some((note, key)) = text.split_once('\u{0}') {
        let _ = Checkpoint::open(note, key, "kintsugi.test/couple/1");
    }
});
