//! `kintsugi verify-log` on the partner's own machine: an honest log passes,
//! a tampered one fails with its reason, and bad usage exits 2.

use std::path::Path;
use std::process::{Command, Output};

use kintsugi_core::transparency::{
    leaf_hash, Bundle, BundleEntry, DisclosureDraft, LogKey, Tree, BUNDLE_FORMAT,
};

const ORIGIN: &str = "kintsugi.test/couple/7";

/// A log of `n` entries and the checkpoint signed at each size.
fn log(key: &LogKey, texts: &[&str]) -> (Bundle, Vec<String>) {
    let mut tree = Tree::new();
    let mut entries = Vec::new();
    let mut checkpoints = Vec::new();
    for (i, text) in texts.iter().enumerate() {
        let d = DisclosureDraft::parse("whereabouts", "2026-11-20T19:05", text, "", i as u64)
            .unwrap()
            .seal([i as u8 + 1; 32]);
        tree.push(leaf_hash(&d.commitment()));
        entries.push(BundleEntry::from_disclosure(i as u64, &d));
        checkpoints.push(key.sign(ORIGIN, tree.size(), tree.root()));
    }
    let bundle = Bundle {
        format: BUNDLE_FORMAT.into(),
        origin: ORIGIN.into(),
        key: key.verifier().into(),
        entries,
        checkpoints: checkpoints.clone(),
    };
    (bundle, checkpoints)
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

fn verify(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kintsugi"))
        .arg("verify-log")
        .args(args)
        .output()
        .expect("kintsugi runs")
}

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned() + &String::from_utf8_lossy(&o.stderr)
}

#[test]
fn an_honest_log_verifies_against_the_pinned_key_and_an_earlier_checkpoint() {
    let dir = tempfile::tempdir().unwrap();
    let key = LogKey::generate(&mut rand_core::OsRng, "kintsugi.test").0;
    let (bundle, seen) = log(
        &key,
        &[
            "At the gym until 8.",
            "Lunch with my sister.",
            "Home late: traffic.",
        ],
    );
    let file = write(
        dir.path(),
        "log.json",
        &serde_json::to_string(&bundle).unwrap(),
    );
    let earlier = write(dir.path(), "seen.txt", &seen[1]);
    let o = verify(&[&file, "--since", &earlier, "--key", key.verifier()]);
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    let text = out(&o);
    assert!(text.contains("holds 3 entries"), "{text}");
    assert!(
        text.contains("extends your checkpoint of 2 entries"),
        "{text}"
    );
}

#[test]
fn an_edited_entry_fails() {
    let dir = tempfile::tempdir().unwrap();
    let key = LogKey::generate(&mut rand_core::OsRng, "kintsugi.test").0;
    let (mut bundle, _) = log(&key, &["Texted A. about work.", "Met A. for coffee."]);
    bundle.entries[1].text = "Met a colleague for coffee.".into();
    let file = write(
        dir.path(),
        "log.json",
        &serde_json::to_string(&bundle).unwrap(),
    );
    let o = verify(&[&file]);
    assert_eq!(o.status.code(), Some(1), "{}", out(&o));
    assert!(out(&o).contains("NOT VERIFIED"), "{}", out(&o));
}

#[test]
fn a_log_rewritten_and_signed_anew_fails_against_what_was_seen() {
    let dir = tempfile::tempdir().unwrap();
    let key = LogKey::generate(&mut rand_core::OsRng, "kintsugi.test").0;
    let (_, seen) = log(&key, &["Out with M.", "Called M. twice."]);
    let (rewritten, _) = log(&key, &["Out with friends.", "Called M. twice."]);
    let file = write(
        dir.path(),
        "log.json",
        &serde_json::to_string(&rewritten).unwrap(),
    );
    let earlier = write(dir.path(), "seen.txt", &seen[1]);
    // On its own the rewritten log is self-consistent…
    assert_eq!(verify(&[&file]).status.code(), Some(0));
    // …but not with the checkpoint the partner kept.
    let o = verify(&[&file, "--since", &earlier]);
    assert_eq!(o.status.code(), Some(1), "{}", out(&o));
    assert!(out(&o).contains("rewritten"), "{}", out(&o));
}

#[test]
fn another_key_fails_and_bad_usage_exits_two() {
    let dir = tempfile::tempdir().unwrap();
    let key = LogKey::generate(&mut rand_core::OsRng, "kintsugi.test").0;
    let other = LogKey::generate(&mut rand_core::OsRng, "kintsugi.test").0;
    let (bundle, _) = log(&key, &["Stayed late at the office."]);
    let file = write(
        dir.path(),
        "log.json",
        &serde_json::to_string(&bundle).unwrap(),
    );
    assert_eq!(
        verify(&[&file, "--key", other.verifier()]).status.code(),
        Some(1)
    );

    assert_eq!(verify(&[]).status.code(), Some(2));
    let missing = dir.path().join("nope.json").display().to_string();
    assert_eq!(verify(&[&missing]).status.code(), Some(2));
    let junk = write(dir.path(), "junk.json", "{\"not\": \"a log\"}");
    let o = verify(&[&junk]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        out(&o).contains("not a Kintsugi transparency log"),
        "{}",
        out(&o)
    );
}
