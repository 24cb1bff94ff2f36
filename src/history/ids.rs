//! Object ids as the walk's map keys: compared as bytes and hashed by their
//! first bytes (an id is already a hash), and parsed from text. A leaf of
//! the history stage: the walk and the tree comparison both use it.

use git2::Oid;

use super::git_error;
use crate::error::Result;

/// Hashes an object id by its first eight bytes: an id is already a
/// cryptographic hash, so hashing it again (SipHash) only costs time.
#[derive(Default, Clone, Copy)]
pub(super) struct OidHash;

/// A commit id as a map key, compared as bytes here: git2's `Oid` compares
/// through libgit2, a call per probe on the walk's hottest maps.
#[derive(Clone, Copy)]
pub(super) struct Key(pub(super) Oid);

impl PartialEq for Key {
    fn eq(&self, other: &Key) -> bool {
        self.0.as_bytes() == other.0.as_bytes()
    }
}

impl Eq for Key {}

impl std::hash::Hash for Key {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        state.write(self.0.as_bytes());
    }
}

impl std::hash::BuildHasher for OidHash {
    type Hasher = OidHasher;
    fn build_hasher(&self) -> OidHasher {
        OidHasher(0)
    }
}

pub(super) struct OidHasher(u64);

impl std::hash::Hasher for OidHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for (i, b) in bytes.iter().take(8).enumerate() {
            self.0 ^= u64::from(*b) << (8 * i);
        }
    }
}

/// Parses a full commit id.
pub(super) fn oid(id: &str) -> Result<Oid> {
    Oid::from_str(id).map_err(|e| git_error("bad commit id", &e))
}
