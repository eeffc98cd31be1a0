//! Any sizes, roots and proof hashes: the verifier must never panic, and
//! for a tree built from the input, every honest proof must verify and the
//! same proof must fail for any other leaf.
#![no_main]

use kintsugi_core::transparency::{leaf_hash, verify_consistency, verify_inclusion, Hash, Tree};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if data.len() < 18 {
        return;
    }
    let a = u64::from_le_bytes(data[0..8].try_into().unwrap());
    let b = u64::from_le_bytes(data[8..16].try_into().unwrap());
    let rest = &data[16..];
    let hashes: Vec<Hash> = rest
        .chunks_exact(32)
        .map(|c| Hash(c.try_into().unwrap()))
        .collect();
    let root = rest.get(..32).unwrap_or(rest);
    let _ = verify_inclusion(&hashes, a, root, b, root);
    let _ = verify_consistency(&hashes, a, root, b, root);

    // A real tree over the input's bytes, one leaf each (at most 64).
    let leaves: Vec<Hash> = rest.iter().take(64).map(|x| leaf_hash(&[*x])).collect();
    let mut tree = Tree::new();
    leaves.iter().for_each(|l| tree.push(*l));
    let n = tree.size();
    let size = 1 + a % n;
    let index = b % size;
    let root = tree.root_at(size).unwrap();
    let proof = tree.inclusion(index, size).unwrap();
    verify_inclusion(&proof, size, &root.0, index, &leaves[index as usize].0).unwrap();
    let other = leaf_hash(b"not in the tree");
    assert!(verify_inclusion(&proof, size, &root.0, index, &other.0).is_err());
    let old = 1 + b % size;
    let proof = tree.consistency(old, size).unwrap();
    let old_root = tree.root_at(old).unwrap();
    verify_consistency(&proof, old, &old_root.0, size, &root.0).unwrap();
    assert!(verify_consistency(&proof, old, &other.0, size, &root.0).is_err());
});
