//! Stage 9: a transparency log that cannot be rewritten in secret.
//!
//! The repairing partner's disclosures are leaves of a Merkle tree, one tree
//! per couple, hashed as RFC 6962 / RFC 9162 say. The server signs each tree
//! head as a C2SP `tlog-checkpoint` signed note. A partner who remembers one
//! checkpoint can check that any later one extends it: an entry edited,
//! removed, reordered or slipped in, a log rolled back, or two partners shown
//! different logs, all break that check.
//!
//! Everything here is pure and shared by every verifier: the server checks
//! its own records with it, and `kintsugi verify-log` checks a downloaded
//! log on the partner's own machine with the same code.
//!
//! The tree and the note format come from Cloudflare's `tlog_tiles` and
//! `signed_note` crates (ports of the Go reference in `golang.org/x/mod`),
//! chosen over an in-memory tree because their stored-hash layout lets the
//! database keep the tree itself, append-only, and answer proofs by reading
//! `log n` hashes.

mod bundle;
mod checkpoint;
mod entry;
mod proof;

pub use bundle::{verify_bundle, Bundle, BundleEntry, Verified, BUNDLE_FORMAT};
pub use checkpoint::{Checkpoint, LogKey, NoteProblem};
pub use entry::{Category, Disclosure, DisclosureDraft, TEXT_MAX_CHARS};
pub use proof::{
    decode_proof, encode_hash, leaf_hash, parse_hash, root_of, verify_consistency,
    verify_inclusion, with_stored, Hashes, ProofError, Tree,
};
/// The tree's arithmetic, for the store that keeps its hashes.
pub use tlog_tiles::tlog;
pub use tlog_tiles::tlog::{Hash, HashReader};
