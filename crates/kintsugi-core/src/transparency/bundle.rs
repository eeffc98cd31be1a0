//! The whole log as a partner downloads it, and its verification: what
//! `kintsugi verify-log` runs on the partner's own machine, independent of
//! the server that produced the file.

use base64::prelude::{Engine as _, BASE64_STANDARD};
use serde::{Deserialize, Serialize};
use tlog_tiles::tlog::Hash;

use super::checkpoint::Checkpoint;
use super::entry::{Category, Disclosure};
use super::proof::{encode_hash, leaf_hash, Tree};

pub const BUNDLE_FORMAT: &str = "kintsugi-transparency-log/1";

/// A downloaded log: every entry with its salt, the log's public key, and
/// the signed checkpoints the server has made, oldest first.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Bundle {
    pub format: String,
    pub origin: String,
    /// The verifier key (`name+id+base64`) the checkpoints are signed with.
    pub key: String,
    pub entries: Vec<BundleEntry>,
    pub checkpoints: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct BundleEntry {
    pub index: u64,
    pub category: String,
    pub occurred_at: String,
    pub text: String,
    pub corrects: Option<u64>,
    /// Base64 of the 32-byte salt.
    pub salt: String,
}

impl BundleEntry {
    pub fn from_disclosure(index: u64, d: &Disclosure) -> Self {
        Self {
            index,
            category: d.category.as_str().to_owned(),
            occurred_at: d.occurred_at.clone(),
            text: d.text.clone(),
            corrects: d.corrects,
            salt: BASE64_STANDARD.encode(d.salt),
        }
    }

    fn disclosure(&self) -> Option<Disclosure> {
        Some(Disclosure {
            category: Category::parse(&self.category)?,
            occurred_at: self.occurred_at.clone(),
            text: self.text.clone(),
            corrects: self.corrects,
            salt: BASE64_STANDARD.decode(&self.salt).ok()?.try_into().ok()?,
        })
    }
}

/// What a successful verification established.
#[derive(Debug, Clone, PartialEq)]
pub struct Verified {
    pub size: u64,
    pub root: Hash,
    /// The server's checkpoints that were found consistent with the entries.
    pub checkpoints: usize,
    /// The caller's own earlier checkpoints the log was found to extend.
    pub earlier: Vec<Checkpoint>,
}

/// Verifies a downloaded log. `pinned_key`, when given, is the key the
/// partner trusts (the bundle names its own key, which an operator could
/// swap). `earlier` are signed checkpoints the partner saw before, for
/// instance the one their browser remembers: the log must extend each.
///
/// Every problem found is reported, in plain sentences.
pub fn verify_bundle(
    bundle: &Bundle,
    pinned_key: Option<&str>,
    earlier: &[String],
) -> Result<Verified, Vec<String>> {
    let mut problems = Vec::new();
    if bundle.format != BUNDLE_FORMAT {
        return Err(vec![format!(
            "This file is not a Kintsugi transparency log (format {:?}, expected {BUNDLE_FORMAT:?}).",
            bundle.format
        )]);
    }
    if let Some(pinned) = pinned_key {
        if pinned.trim() != bundle.key {
            problems.push(format!(
                "The log is signed with the key {}, not with the key you trust ({}).",
                bundle.key,
                pinned.trim()
            ));
        }
    }
    let key = pinned_key.map(str::trim).unwrap_or(&bundle.key);

    let mut tree = Tree::new();
    for (position, entry) in bundle.entries.iter().enumerate() {
        if entry.index != position as u64 {
            problems.push(format!(
                "Entry {} is where entry {position} should be: entries are missing or out of order.",
                entry.index
            ));
        }
        if entry.corrects.is_some_and(|c| c >= entry.index) {
            problems.push(format!(
                "Entry {} claims to correct a later entry.",
                entry.index
            ));
        }
        match entry.disclosure() {
            Some(d) => tree.push(leaf_hash(&d.commitment())),
            None => {
                problems.push(format!(
                    "Entry {} has an unknown category or a malformed salt.",
                    entry.index
                ));
                tree.push(leaf_hash(b""));
            }
        }
    }
    let size = tree.size();

    let mut last_size = 0;
    let mut checked = 0;
    let mut latest = None;
    for note in &bundle.checkpoints {
        match Checkpoint::open(note, key, &bundle.origin) {
            Err(e) => problems.push(format!(
                "A checkpoint of the server's could not be trusted: {e}."
            )),
            Ok(c) => {
                if c.size < last_size {
                    problems.push(format!(
                        "The server's checkpoints shrink from {last_size} entries to {}.",
                        c.size
                    ));
                }
                last_size = last_size.max(c.size);
                match tree.root_at(c.size) {
                    Some(root) if root == c.root => checked += 1,
                    Some(root) => problems.push(format!(
                        "The entries do not match the signed checkpoint of {} entries (root {}): they give {}. An entry was changed, removed, reordered or added.",
                        c.size,
                        c.root_b64(),
                        encode_hash(&root)
                    )),
                    None => problems.push(format!(
                        "A signed checkpoint covers {} entries but the file holds only {size}: entries were removed.",
                        c.size
                    )),
                }
                latest = Some(c);
            }
        }
    }
    match &latest {
        None if size > 0 => problems.push("The log has entries but no signed checkpoint.".into()),
        Some(c) if c.size != size => problems.push(format!(
            "The latest signed checkpoint covers {} entries, the file holds {size}.",
            c.size
        )),
        _ => {}
    }

    let mut extended = Vec::new();
    for note in earlier {
        match Checkpoint::open(note, key, &bundle.origin) {
            Err(e) => problems.push(format!("Your earlier checkpoint could not be read: {e}.")),
            Ok(c) => match tree.root_at(c.size) {
                Some(root) if root == c.root => extended.push(c),
                Some(_) => problems.push(format!(
                    "The log does not extend the checkpoint you saw before ({} entries, root {}): what was there then has been rewritten.",
                    c.size,
                    c.root_b64()
                )),
                None => problems.push(format!(
                    "You saw a log of {} entries before; this one holds only {size}: it was rolled back.",
                    c.size
                )),
            },
        }
    }

    if problems.is_empty() {
        Ok(Verified {
            size,
            root: tree.root(),
            checkpoints: checked,
            earlier: extended,
        })
    } else {
        Err(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transparency::checkpoint::LogKey;
    use crate::transparency::entry::DisclosureDraft;

    const ORIGIN: &str = "kintsugi.test/couple/1";

    fn log(n: u64) -> (LogKey, Bundle, Vec<String>) {
        let (key, _) = LogKey::generate(&mut rand_core::OsRng, "kintsugi.test");
        let mut tree = Tree::new();
        let mut entries = Vec::new();
        let mut checkpoints = Vec::new();
        for i in 0..n {
            let d =
                DisclosureDraft::parse("routine", "2026-03-14T18:30", &format!("entry {i}"), "", i)
                    .unwrap()
                    .seal([i as u8; 32]);
            tree.push(leaf_hash(&d.commitment()));
            entries.push(BundleEntry::from_disclosure(i, &d));
            checkpoints.push(key.sign(ORIGIN, tree.size(), tree.root()));
        }
        let bundle = Bundle {
            format: BUNDLE_FORMAT.into(),
            origin: ORIGIN.into(),
            key: key.verifier().into(),
            entries,
            checkpoints: checkpoints.clone(),
        };
        (key, bundle, checkpoints)
    }

    #[test]
    fn an_honest_log_verifies_against_every_earlier_checkpoint() {
        let (key, bundle, seen) = log(5);
        let ok = verify_bundle(&bundle, Some(key.verifier()), &seen).unwrap();
        assert_eq!((ok.size, ok.checkpoints, ok.earlier.len()), (5, 5, 5));
    }

    #[test]
    fn an_edited_entry_is_found() {
        let (key, mut bundle, _) = log(4);
        bundle.entries[1].text.push_str(" (and nothing else)");
        let problems = verify_bundle(&bundle, Some(key.verifier()), &[]).unwrap_err();
        assert!(
            problems.iter().any(|p| p.contains("do not match")),
            "{problems:?}"
        );
    }

    #[test]
    fn removed_reordered_and_inserted_entries_are_found() {
        let (key, bundle, _) = log(4);
        let mut removed = bundle.clone();
        removed.entries.remove(2);
        assert!(verify_bundle(&removed, Some(key.verifier()), &[]).is_err());

        let mut swapped = bundle.clone();
        swapped.entries.swap(1, 2);
        swapped.entries[1].index = 1;
        swapped.entries[2].index = 2;
        assert!(verify_bundle(&swapped, Some(key.verifier()), &[]).is_err());

        let mut inserted = bundle;
        let mut extra = inserted.entries[0].clone();
        extra.text = "slipped in".into();
        inserted.entries.insert(1, extra);
        for (i, e) in inserted.entries.iter_mut().enumerate() {
            e.index = i as u64;
        }
        assert!(verify_bundle(&inserted, Some(key.verifier()), &[]).is_err());
    }

    #[test]
    fn a_rewritten_log_signed_anew_fails_against_what_was_seen() {
        let (key, bundle, seen) = log(4);
        // The operator rewrites entry 2 and signs fresh checkpoints: the file
        // is consistent with itself, but not with what the partner saw.
        let mut tree = Tree::new();
        let mut rewritten = bundle.clone();
        rewritten.entries[2].text = "a gentler story".into();
        rewritten.checkpoints.clear();
        for e in &rewritten.entries {
            tree.push(leaf_hash(&e.disclosure().unwrap().commitment()));
            rewritten
                .checkpoints
                .push(key.sign(ORIGIN, tree.size(), tree.root()));
        }
        assert!(verify_bundle(&rewritten, Some(key.verifier()), &[]).is_ok());
        let problems = verify_bundle(&rewritten, Some(key.verifier()), &seen[3..]).unwrap_err();
        assert!(problems[0].contains("rewritten"), "{problems:?}");
        // What was seen before the rewritten entry is still extended.
        assert!(verify_bundle(&rewritten, Some(key.verifier()), &seen[..2]).is_ok());
    }

    #[test]
    fn a_rolled_back_log_and_a_swapped_key_are_found() {
        let (key, bundle, seen) = log(4);
        let mut rolled = bundle.clone();
        rolled.entries.truncate(3);
        rolled.checkpoints.truncate(3);
        let problems = verify_bundle(&rolled, Some(key.verifier()), &seen[3..]).unwrap_err();
        assert!(problems[0].contains("rolled back"), "{problems:?}");

        let (other, _) = LogKey::generate(&mut rand_core::OsRng, "kintsugi.test");
        let problems = verify_bundle(&bundle, Some(other.verifier()), &[]).unwrap_err();
        assert!(
            problems[0].contains("not with the key you trust"),
            "{problems:?}"
        );
    }
}
