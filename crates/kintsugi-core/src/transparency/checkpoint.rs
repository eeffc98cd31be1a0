//! Tree heads as C2SP `tlog-checkpoint` notes, signed with the server's
//! Ed25519 key in the C2SP `signed-note` format.

use signed_note::{Note, StandardSigner, StandardVerifier, VerifierList};
use tlog_tiles::checkpoint::Checkpoint as Head;
use tlog_tiles::tlog::Hash;

use super::proof::encode_hash;

/// The server's log key: the private signer and its public verifier key
/// (`name+id+base64`), which partners pin and `kintsugi verify-log` takes.
#[derive(Clone)]
pub struct LogKey {
    signer: StandardSigner,
    verifier: String,
}

impl std::fmt::Debug for LogKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LogKey")
            .field("verifier", &self.verifier)
            .finish_non_exhaustive()
    }
}

impl LogKey {
    /// A new key named `name` (no spaces, no `+`). Returns the key and its
    /// two-line file form: the private key, then the verifier key.
    pub fn generate(rng: &mut impl rand_core::CryptoRngCore, name: &str) -> (Self, String) {
        let (skey, vkey) = signed_note::generate_key(rng, name);
        let file = format!("{skey}\n{vkey}\n");
        (
            Self::from_file(&file).expect("a fresh key reads back"),
            file,
        )
    }

    /// Reads the two-line form written by [`LogKey::generate`], checking that
    /// the verifier key belongs to the private key.
    pub fn from_file(text: &str) -> Result<Self, NoteProblem> {
        let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
        let (Some(skey), Some(vkey)) = (lines.next(), lines.next()) else {
            return Err(NoteProblem::BadKey);
        };
        let signer = StandardSigner::new(skey).map_err(|_| NoteProblem::BadKey)?;
        let key = Self {
            signer,
            verifier: vkey.to_owned(),
        };
        let probe = key.sign("probe", 0, tlog_tiles::tlog::EMPTY_HASH);
        Checkpoint::open(&probe, vkey, "probe").map_err(|_| NoteProblem::BadKey)?;
        Ok(key)
    }

    pub fn verifier(&self) -> &str {
        &self.verifier
    }

    pub fn name(&self) -> &str {
        self.verifier.split('+').next().unwrap_or_default()
    }

    /// A signed checkpoint for the tree of `size` leaves with root `root`.
    pub fn sign(&self, origin: &str, size: u64, root: Hash) -> String {
        let head = Head::new(origin, size, root, "").expect("an origin without line breaks");
        let mut note =
            Note::new(&head.to_bytes(), &[]).expect("a checkpoint is a well-formed note");
        note.add_sigs(&[&self.signer])
            .expect("an Ed25519 key signs any message");
        String::from_utf8(note.to_bytes()).expect("a note is UTF-8")
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NoteProblem {
    #[error("the log key is not a valid pair of signed-note keys")]
    BadKey,
    #[error("this is not a signed note")]
    Malformed,
    #[error("the note is not signed by the log's key")]
    BadSignature,
    #[error("the note is not a checkpoint")]
    NotACheckpoint,
    #[error("the checkpoint is for another log ({0})")]
    WrongOrigin(String),
}

/// A checkpoint whose signature has been checked.
#[derive(Debug, Clone, PartialEq)]
pub struct Checkpoint {
    pub origin: String,
    pub size: u64,
    pub root: Hash,
    /// The signed note, as served.
    pub note: String,
}

impl Checkpoint {
    /// Opens a signed checkpoint: its signature must verify with `vkey` and
    /// its origin must be `origin`.
    pub fn open(note: &str, vkey: &str, origin: &str) -> Result<Self, NoteProblem> {
        let parsed = Note::from_bytes(note.as_bytes()).map_err(|_| NoteProblem::Malformed)?;
        let verifier = StandardVerifier::new(vkey).map_err(|_| NoteProblem::BadKey)?;
        parsed
            .verify(&VerifierList::new(vec![Box::new(verifier)]))
            .map_err(|_| NoteProblem::BadSignature)?;
        let head = Head::from_bytes(parsed.text()).map_err(|_| NoteProblem::NotACheckpoint)?;
        if head.origin() != origin {
            return Err(NoteProblem::WrongOrigin(head.origin().to_owned()));
        }
        Ok(Self {
            origin: head.origin().to_owned(),
            size: head.size(),
            root: *head.hash(),
            note: note.to_owned(),
        })
    }

    pub fn root_b64(&self) -> String {
        encode_hash(&self.root)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transparency::proof::leaf_hash;

    fn key() -> LogKey {
        LogKey::generate(&mut rand_core::OsRng, "kintsugi.test").0
    }

    #[test]
    fn a_signed_checkpoint_opens_with_its_key_only() {
        let k = key();
        let root = leaf_hash(b"a");
        let note = k.sign("kintsugi.test/couple/1", 1, root);
        assert!(note.starts_with("kintsugi.test/couple/1\n1\n"));
        assert!(note.contains("\n\n\u{2014} kintsugi.test "));
        let c = Checkpoint::open(&note, k.verifier(), "kintsugi.test/couple/1").unwrap();
        assert_eq!((c.size, c.root), (1, root));

        assert_eq!(
            Checkpoint::open(&note, k.verifier(), "kintsugi.test/couple/2"),
            Err(NoteProblem::WrongOrigin("kintsugi.test/couple/1".into()))
        );
        let stranger = key();
        assert_eq!(
            Checkpoint::open(&note, stranger.verifier(), "kintsugi.test/couple/1"),
            Err(NoteProblem::BadSignature)
        );
        let forged = note.replacen("\n1\n", "\n2\n", 1);
        assert_eq!(
            Checkpoint::open(&forged, k.verifier(), "kintsugi.test/couple/1"),
            Err(NoteProblem::BadSignature)
        );
    }

    #[test]
    fn the_key_file_reads_back_and_refuses_a_mismatched_pair() {
        let (k, file) = LogKey::generate(&mut rand_core::OsRng, "kintsugi.test");
        let again = LogKey::from_file(&file).unwrap();
        assert_eq!(again.verifier(), k.verifier());
        assert_eq!(again.name(), "kintsugi.test");
        let (_, other) = LogKey::generate(&mut rand_core::OsRng, "kintsugi.test");
        let mixed = format!(
            "{}\n{}\n",
            file.lines().next().unwrap(),
            other.lines().nth(1).unwrap()
        );
        assert_eq!(LogKey::from_file(&mixed).unwrap_err(), NoteProblem::BadKey);
        assert_eq!(LogKey::from_file("").unwrap_err(), NoteProblem::BadKey);
    }
}
