//! The log's proof verifier against the published RFC 6962 / RFC 9162 test
//! vectors of transparency-dev/merkle, read in place from
//! `../shared/testvectors/merkle/testdata` beside the project (never copied
//! into it). Every case marked `wantErr` must be rejected, every other case
//! accepted.

use std::path::{Path, PathBuf};

use base64::prelude::{Engine as _, BASE64_STANDARD};
use kintsugi_core::transparency::{decode_proof, verify_consistency, verify_inclusion, ProofError};
use serde_json::Value;

fn testdata() -> Option<PathBuf> {
    let dir =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/testvectors/merkle/testdata");
    if dir.is_dir() {
        return Some(dir);
    }
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!(
            "the Merkle test vectors must be at {} under CI",
            dir.display()
        );
    }
    eprintln!(
        "skipped: the Merkle test vectors are not at {}",
        dir.display()
    );
    None
}

fn cases(dir: &Path) -> Vec<(PathBuf, Value)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "json") {
                let v = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
                out.push((path, v));
            }
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

fn proof(v: &Value) -> Result<Vec<kintsugi_core::transparency::Hash>, ProofError> {
    let items: Vec<String> = match &v["proof"] {
        Value::Null => Vec::new(),
        Value::Array(a) => a.iter().map(|s| s.as_str().unwrap().to_owned()).collect(),
        other => panic!("a proof is a list: {other}"),
    };
    decode_proof(&items)
}

/// Roots and leaf hashes as the bytes the vector gives; the verifier
/// decides what length it accepts.
fn bytes(v: &Value) -> Vec<u8> {
    BASE64_STANDARD
        .decode(v.as_str().unwrap_or_default())
        .unwrap()
}

fn check(kind: &str, run: impl Fn(&Value) -> Result<(), ProofError>) {
    let Some(dir) = testdata() else { return };
    let all = cases(&dir.join(kind));
    assert!(
        all.len() > 50,
        "expected the {kind} vectors, found {}",
        all.len()
    );
    let mut wrong = Vec::new();
    for (path, case) in &all {
        let want_err = case["wantErr"].as_bool().unwrap();
        let got = run(case);
        if got.is_err() != want_err {
            wrong.push(format!(
                "{} ({}): wantErr {want_err}, got {got:?}",
                path.strip_prefix(&dir).unwrap().display(),
                case["desc"]
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "{} of {} {kind} vectors:\n{}",
        wrong.len(),
        all.len(),
        wrong.join("\n")
    );
    eprintln!("{kind}: all {} vectors as published", all.len());
}

#[test]
fn inclusion_vectors() {
    check("inclusion", |c| {
        verify_inclusion(
            &proof(c)?,
            c["treeSize"].as_u64().unwrap(),
            &bytes(&c["root"]),
            c["leafIdx"].as_u64().unwrap(),
            &bytes(&c["leafHash"]),
        )
    });
}

#[test]
fn consistency_vectors() {
    check("consistency", |c| {
        verify_consistency(
            &proof(c)?,
            c["size1"].as_u64().unwrap(),
            &bytes(&c["root1"]),
            c["size2"].as_u64().unwrap(),
            &bytes(&c["root2"]),
        )
    });
}
