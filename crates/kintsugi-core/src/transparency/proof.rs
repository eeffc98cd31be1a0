//! Merkle-tree hashes, proofs and their verification (RFC 6962 / RFC 9162),
//! on top of `tlog_tiles`.

use std::cell::RefCell;
use std::collections::HashMap;

use base64::prelude::{Engine as _, BASE64_STANDARD};
use tlog_tiles::tlog::{self, Hash, HashReader};

/// Longer than any proof in a tree of up to 2^64 leaves: anything beyond is
/// refused before any hashing is done.
const MAX_PROOF_HASHES: usize = 130;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProofError {
    #[error("a hash is not base64 for exactly 32 bytes")]
    MalformedHash,
    #[error("the proof is longer than any real proof can be")]
    TooLong,
    #[error("the entry's position is outside the tree")]
    OutOfRange,
    #[error("the older tree is empty or larger than the newer one")]
    BadSizes,
    #[error("the proof does not lead to the expected root")]
    Mismatch,
}

/// Decodes one base64 hash, which must be exactly 32 bytes.
pub fn parse_hash(b64: &str) -> Result<Hash, ProofError> {
    let bytes = BASE64_STANDARD
        .decode(b64)
        .map_err(|_| ProofError::MalformedHash)?;
    Ok(Hash(
        bytes.try_into().map_err(|_| ProofError::MalformedHash)?,
    ))
}

pub fn encode_hash(hash: &Hash) -> String {
    BASE64_STANDARD.encode(hash.0)
}

/// Decodes a proof element by element. Each must be 32 bytes on its own: a
/// proof joined into one byte string first would let an empty or a
/// 64-byte element pass for well-formed.
pub fn decode_proof<S: AsRef<str>>(items: &[S]) -> Result<Vec<Hash>, ProofError> {
    if items.len() > MAX_PROOF_HASHES {
        return Err(ProofError::TooLong);
    }
    items.iter().map(|s| parse_hash(s.as_ref())).collect()
}

/// The hash of a leaf holding `data`: SHA-256(0x00 || data).
pub fn leaf_hash(data: &[u8]) -> Hash {
    tlog::record_hash(data)
}

/// Checks that the leaf with hash `leaf` sits at `index` in the tree of
/// `size` leaves whose root is `root`.
pub fn verify_inclusion(
    proof: &[Hash],
    size: u64,
    root: &[u8],
    index: u64,
    leaf: &[u8],
) -> Result<(), ProofError> {
    let (root, leaf) = (as_hash(root)?, as_hash(leaf)?);
    if index >= size {
        return Err(ProofError::OutOfRange);
    }
    if proof.len() > MAX_PROOF_HASHES {
        return Err(ProofError::TooLong);
    }
    tlog::check_record(&proof.to_vec(), size, root, index, leaf).map_err(|_| ProofError::Mismatch)
}

/// Checks that the tree of `old_size` leaves with root `old_root` is a
/// prefix of the tree of `new_size` leaves with root `new_root`. An empty
/// older tree proves nothing and is refused, as RFC 9162 verifiers do; two
/// trees of one size are the same tree exactly when their roots are equal.
pub fn verify_consistency(
    proof: &[Hash],
    old_size: u64,
    old_root: &[u8],
    new_size: u64,
    new_root: &[u8],
) -> Result<(), ProofError> {
    if old_size == 0 || old_size > new_size {
        return Err(ProofError::BadSizes);
    }
    if proof.len() > MAX_PROOF_HASHES {
        return Err(ProofError::TooLong);
    }
    if old_size == new_size {
        return if proof.is_empty() && old_root == new_root {
            Ok(())
        } else {
            Err(ProofError::Mismatch)
        };
    }
    let (old_root, new_root) = (as_hash(old_root)?, as_hash(new_root)?);
    tlog::check_tree(&proof.to_vec(), new_size, new_root, old_size, old_root)
        .map_err(|_| ProofError::Mismatch)
}

fn as_hash(bytes: &[u8]) -> Result<Hash, ProofError> {
    Ok(Hash(
        bytes.try_into().map_err(|_| ProofError::MalformedHash)?,
    ))
}

/// A whole tree in memory, as a verifier rebuilds it from the leaves it was
/// given, kept in the same stored-hash layout the database uses.
#[derive(Debug, Default, Clone)]
pub struct Tree {
    stored: Vec<Hash>,
    size: u64,
}

impl HashReader for Tree {
    fn read_hashes(&self, indexes: &[u64]) -> Result<Vec<Hash>, tlog::Error> {
        indexes
            .iter()
            .map(|&i| {
                self.stored
                    .get(i as usize)
                    .copied()
                    .ok_or(tlog::Error::IndexesNotInTree)
            })
            .collect()
    }
}

impl Tree {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn size(&self) -> u64 {
        self.size
    }

    pub fn push(&mut self, leaf: Hash) {
        let hashes = tlog::stored_hashes_for_record_hash(self.size, leaf, self)
            .expect("earlier hashes of an in-memory tree are all present");
        self.stored.extend(hashes);
        self.size += 1;
    }

    /// The root of the first `size` leaves (the whole tree when `size` is
    /// its size).
    pub fn root_at(&self, size: u64) -> Option<Hash> {
        (size <= self.size).then(|| tlog::tree_hash(size, self).expect("hashes present"))
    }

    pub fn root(&self) -> Hash {
        tlog::tree_hash(self.size, self).expect("hashes present")
    }

    pub fn inclusion(&self, index: u64, size: u64) -> Option<Vec<Hash>> {
        (size <= self.size)
            .then(|| tlog::prove_record(size, index, self).ok())
            .flatten()
    }

    pub fn consistency(&self, old_size: u64, new_size: u64) -> Option<Vec<Hash>> {
        (new_size <= self.size)
            .then(|| tlog::prove_tree(new_size, old_size, self).ok())
            .flatten()
    }
}

/// The root of a tree over `leaves`, in order.
pub fn root_of(leaves: impl IntoIterator<Item = Hash>) -> Hash {
    let mut tree = Tree::new();
    leaves.into_iter().for_each(|l| tree.push(l));
    tree.root()
}

/// A reader over the part of a stored tree fetched so far. `tlog_tiles`
/// reads hashes synchronously, and the database is asynchronous, so a
/// caller runs a computation, fetches the hashes it asked for and was
/// missing ([`Hashes::missing`]), and runs it again — each `tlog_tiles`
/// call asks once, so two rounds suffice.
#[derive(Debug, Default)]
pub struct Hashes {
    known: HashMap<u64, Hash>,
    missing: RefCell<Vec<u64>>,
}

impl HashReader for Hashes {
    fn read_hashes(&self, indexes: &[u64]) -> Result<Vec<Hash>, tlog::Error> {
        let found: Vec<Hash> = indexes
            .iter()
            .filter_map(|i| self.known.get(i).copied())
            .collect();
        if found.len() == indexes.len() {
            return Ok(found);
        }
        let mut missing = self.missing.borrow_mut();
        missing.extend(indexes.iter().filter(|i| !self.known.contains_key(i)));
        Err(tlog::Error::IndexesNotInTree)
    }
}

impl Hashes {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn insert(&mut self, index: u64, hash: Hash) {
        self.known.insert(index, hash);
    }

    /// The positions asked for and not known, emptied by the call.
    pub fn missing(&self) -> Vec<u64> {
        let mut m = std::mem::take(&mut *self.missing.borrow_mut());
        m.sort_unstable();
        m.dedup();
        m
    }
}

/// Runs a `tlog_tiles` computation over stored hashes fetched on demand:
/// see [`Hashes`].
pub fn with_stored<T>(
    hashes: &Hashes,
    f: impl Fn(&Hashes) -> Result<T, tlog::Error>,
) -> Result<T, Vec<u64>> {
    f(hashes).map_err(|_| hashes.missing())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leaves(n: u64) -> Vec<Hash> {
        (0..n).map(|i| leaf_hash(&i.to_be_bytes())).collect()
    }

    #[test]
    fn every_inclusion_and_consistency_proof_verifies() {
        let mut tree = Tree::new();
        for l in leaves(33) {
            tree.push(l);
        }
        let all = leaves(33);
        for size in 1..=33 {
            let root = tree.root_at(size).unwrap();
            for index in 0..size {
                let proof = tree.inclusion(index, size).unwrap();
                verify_inclusion(&proof, size, &root.0, index, &all[index as usize].0).unwrap();
                let other = all[((index + 1) % 33) as usize];
                assert!(verify_inclusion(&proof, size, &root.0, index, &other.0).is_err());
            }
            for old in 1..=size {
                let proof = tree.consistency(old, size).unwrap();
                let old_root = tree.root_at(old).unwrap();
                verify_consistency(&proof, old, &old_root.0, size, &root.0).unwrap();
                if old < size {
                    let wrong = tree.root_at(old - 1).unwrap();
                    assert!(verify_consistency(&proof, old, &wrong.0, size, &root.0).is_err());
                }
            }
        }
    }

    #[test]
    fn the_empty_tree_and_a_single_leaf() {
        assert_eq!(
            encode_hash(&root_of([])),
            "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="
        );
        let l = leaf_hash(b"");
        assert_eq!(root_of([l]), l);
    }

    #[test]
    fn malformed_elements_are_refused_one_by_one() {
        let good = encode_hash(&leaf_hash(b"x"));
        assert!(decode_proof(std::slice::from_ref(&good)).is_ok());
        assert_eq!(
            decode_proof(&[good.clone(), String::new()]),
            Err(ProofError::MalformedHash)
        );
        let double = BASE64_STANDARD.encode([0u8; 64]);
        assert_eq!(decode_proof(&[double]), Err(ProofError::MalformedHash));
        assert_eq!(
            decode_proof(&vec![good; MAX_PROOF_HASHES + 1]),
            Err(ProofError::TooLong)
        );
    }

    #[test]
    fn stored_hashes_are_fetched_in_two_rounds() {
        let mut tree = Tree::new();
        for l in leaves(11) {
            tree.push(l);
        }
        let mut partial = Hashes::new();
        let want = tree.root();
        let missing = with_stored(&partial, |h| tlog::tree_hash(11, h)).unwrap_err();
        assert!(!missing.is_empty());
        for i in missing {
            partial.insert(i, tree.stored[i as usize]);
        }
        assert_eq!(with_stored(&partial, |h| tlog::tree_hash(11, h)), Ok(want));
    }
}
