//! Tree objects read from their bytes: the comparison's hottest read.
//!
//! libgit2 parses a tree into an array of entries (a number parsed, a name
//! measured and an allocation per entry) and then answers a call across the
//! FFI for each field of each entry; a comparison of two trees that share
//! most entries needs only to walk both side by side. `RawTree` keeps the
//! object's bytes, checked once as libgit2 checks them, and reads each entry
//! in place. What this reader does not take as git writes it (a mode with a
//! sign, leading blanks, another object type) is handed to libgit2 whole, so
//! every tree reads as libgit2 reads it, and every error is libgit2's.

use git2::{ObjectType, Odb, Oid, Repository};

use super::pack::{SharedReader, object_bytes};
use super::{ObjectId, git_error};
use crate::error::Result;

/// Bytes of a raw object id.
const ID: usize = 20;

/// A tree object's bytes, laid out as git writes trees, with where each
/// entry lies (found once, as the bytes are checked).
pub(super) struct RawTree {
    data: Box<[u8]>,
    slots: Box<[Slot]>,
}

/// One entry of a [`RawTree`], read in place.
#[derive(Clone, Copy)]
pub(super) struct Entry<'t> {
    /// Its name, as stored (not necessarily UTF-8).
    pub name: &'t [u8],
    /// Its mode as libgit2 reports it (`git_tree_entry_filemode`: normalised).
    pub mode: i32,
    /// Its object's id.
    pub id: &'t [u8],
}

impl Entry<'_> {
    /// Whether the entry is a directory.
    pub fn is_tree(&self) -> bool {
        self.mode == 0o040000
    }

    /// Its object's id.
    ///
    /// # Errors
    ///
    /// None in practice: an id is always [`ID`] bytes.
    pub fn oid(&self) -> Result<Oid> {
        Oid::from_bytes(self.id).map_err(|e| git_error("cannot read a tree entry's id", &e))
    }
}

/// libgit2's `normalize_filemode`: what `git_tree_entry_filemode` reports for a stored mode.
fn normalize(mode: u32) -> i32 {
    const TYPE: u32 = 0o170000;
    if mode & TYPE == 0o040000 {
        0o040000
    } else if mode & 0o100 != 0 {
        0o100755
    } else if mode & TYPE == 0o160000 {
        0o160000
    } else if mode & TYPE == 0o120000 {
        0o120000
    } else {
        0o100644
    }
}

/// Where an entry lies in its tree's bytes (it starts where the last ended).
#[derive(Clone, Copy)]
struct Slot {
    /// Its name's first byte; the name ends at the NUL before the id.
    name: u32,
    /// Past its last byte (its id's).
    end: u32,
    /// As [`Entry::mode`].
    mode: i32,
}

/// The entry at `at` in `data`; `None` where it is not laid out as git
/// writes an entry (or libgit2 would refuse it: an empty name, a mode past
/// 16 bits), or past 4 GiB.
fn slot(data: &[u8], at: usize) -> Option<Slot> {
    let rest = &data[at..];
    let space = rest.iter().take(8).position(|&b| b == b' ')?;
    let digits = &rest[..space];
    if digits.is_empty() || !digits.iter().all(|b| (b'0'..=b'7').contains(b)) {
        return None;
    }
    let mode = digits
        .iter()
        .fold(0u32, |m, d| (m << 3) | u32::from(d - b'0'));
    if mode > u32::from(u16::MAX) {
        return None;
    }
    let name = at + space + 1;
    let nul = memchr::memchr(0, &data[name..])?;
    if nul == 0 || nul > usize::from(u16::MAX) {
        return None;
    }
    let end = name + nul + 1 + ID;
    (end <= data.len()).then_some(Slot {
        name: u32::try_from(name).ok()?,
        end: u32::try_from(end).ok()?,
        mode: normalize(mode),
    })
}

impl RawTree {
    /// `data` as a tree, when every entry is laid out as git writes them.
    fn parse(data: &[u8]) -> Option<Self> {
        // Most entries take 30 to 60 bytes.
        let mut slots = Vec::with_capacity(data.len() / 32);
        let mut at = 0;
        while at < data.len() {
            let slot = slot(data, at)?;
            at = slot.end as usize;
            slots.push(slot);
        }
        Some(Self {
            data: data.into(),
            slots: slots.into_boxed_slice(),
        })
    }

    /// The tree `id`, read from the packs (through `pack`) or `odb` (when there
    /// is one) and, where its bytes are unusual, by libgit2.
    ///
    /// # Errors
    ///
    /// libgit2's, when the tree cannot be read.
    pub fn read(
        repo: &Repository,
        pack: Option<&SharedReader>,
        odb: Option<&Odb<'_>>,
        id: Oid,
    ) -> Result<Self> {
        if let Some(data) = object_bytes(pack, odb, id, ObjectType::Tree)
            && let Some(tree) = Self::parse(&data)
        {
            return Ok(tree);
        }
        let tree = repo
            .find_tree(id)
            .map_err(|e| git_error(&format!("cannot read tree {id}"), &e))?;
        // As git would write what libgit2 read: the loop above then reads it alike.
        let mut data = Vec::new();
        for e in &tree {
            data.extend_from_slice(format!("{:o} ", e.filemode_raw()).as_bytes());
            data.extend_from_slice(e.name_bytes());
            data.push(0);
            data.extend_from_slice(e.id().as_bytes());
        }
        Self::parse(&data).ok_or_else(|| {
            crate::error::Error::repository(format!(
                "cannot read tree {id}: an entry git cannot write"
            ))
        })
    }

    /// How many entries it has.
    pub fn len(&self) -> usize {
        self.slots.len()
    }

    /// Its entry at `i`.
    pub fn at(&self, i: usize) -> Option<Entry<'_>> {
        let slot = self.slots.get(i)?;
        let (name, end) = (slot.name as usize, slot.end as usize);
        Some(Entry {
            name: &self.data[name..end - ID - 1],
            mode: slot.mode,
            id: &self.data[end - ID..end],
        })
    }

    /// The bytes of its entry at `i`, as stored: two entries with the same
    /// bytes name the same object the same way.
    pub fn bytes(&self, i: usize) -> &[u8] {
        let start = i
            .checked_sub(1)
            .and_then(|before| self.slots.get(before))
            .map_or(0, |s| s.end as usize);
        self.slots
            .get(i)
            .map_or(&[], |slot| &self.data[start..slot.end as usize])
    }

    /// The entry named `name`.
    pub fn get(&self, name: &[u8]) -> Option<Entry<'_>> {
        (0..self.len())
            .filter_map(|i| self.at(i))
            .find(|e| e.name == name)
    }
}

/// The entries of a tree object's bytes `data` as the comparison reads them
/// (name, mode as libgit2 reports it, id), or `None` where they are not laid
/// out as git writes trees and libgit2 is left to read them. Any bytes are
/// read without a panic (the `tree_bytes` fuzz target).
pub fn entries(data: &[u8]) -> Option<Vec<(Vec<u8>, i32, ObjectId)>> {
    let tree = RawTree::parse(data)?;
    (0..tree.len())
        .map(|i| {
            let entry = tree.at(i)?;
            Some((entry.name.to_vec(), entry.mode, ObjectId(entry.oid().ok()?)))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tree_read_from_its_bytes_has_the_entries_libgit2_reads() {
        let dir = tempfile::tempdir().unwrap();
        let repo = Repository::init(dir.path()).unwrap();
        let blob = repo.blob(b"x").unwrap();
        let mut inner = repo.treebuilder(None).unwrap();
        inner.insert("f", blob, 0o100644).unwrap();
        let inner = inner.write().unwrap();
        let mut root = repo.treebuilder(None).unwrap();
        for (name, id, mode) in [
            ("a.go", blob, 0o100644),
            ("run.sh", blob, 0o100755),
            ("link", blob, 0o120000),
            ("sub", blob, 0o160000),
            ("dir", inner, 0o040000),
            ("dir.x", blob, 0o100644),
        ] {
            root.insert(name, id, mode).unwrap();
        }
        let root = root.write().unwrap();
        let odb = repo.odb().unwrap();
        let ours = RawTree::read(&repo, None, Some(&odb), root).unwrap();
        let theirs = repo.find_tree(root).unwrap();
        let read = |t: &RawTree| {
            (0..t.len())
                .filter_map(|i| t.at(i))
                .map(|e| (e.name.to_vec(), e.mode, e.oid().unwrap()))
                .collect::<Vec<_>>()
        };
        let expected: Vec<_> = theirs
            .iter()
            .map(|e| (e.name_bytes().to_vec(), e.filemode(), e.id()))
            .collect();
        assert_eq!(read(&ours), expected);
        // Without the object database: libgit2's read, written again as git writes it.
        let again = RawTree::read(&repo, None, None, root).unwrap();
        assert_eq!(read(&again), expected);
        assert_eq!(ours.get(b"dir").map(|e| e.is_tree()), Some(true));
        assert!(ours.get(b"missing").is_none());
        // Not a tree: libgit2's error.
        let err = RawTree::read(&repo, None, Some(&odb), blob).err().unwrap();
        assert!(
            err.to_string()
                .contains(&format!("cannot read tree {blob}"))
        );
    }

    #[test]
    fn modes_read_as_libgit2_normalises_them() {
        for (stored, reported) in [
            (0o100644, 0o100644),
            (0o100664, 0o100644),
            (0o100755, 0o100755),
            (0o100700, 0o100755),
            (0o040000, 0o040000),
            (0o160000, 0o160000),
            (0o120000, 0o120000),
            (0o000000, 0o100644),
        ] {
            assert_eq!(normalize(stored), reported, "{stored:o}");
        }
    }

    #[test]
    fn bytes_git_does_not_write_are_not_read_as_a_tree() {
        let id = [7u8; ID];
        let good = [b"100644 a\0".as_slice(), &id].concat();
        assert!(RawTree::parse(&good).is_some());
        for bad in [
            [b"+100644 a\0".as_slice(), &id].concat(),
            [b" 100644 a\0".as_slice(), &id].concat(),
            [b"100648 a\0".as_slice(), &id].concat(),
            [b"1000000 a\0".as_slice(), &id].concat(),
            [b"100644 \0".as_slice(), &id].concat(),
            [b"100644 a\0".as_slice(), &id[..19]].concat(),
            b"100644 a".to_vec(),
            b"100644".to_vec(),
        ] {
            assert!(RawTree::parse(&bad).is_none(), "{bad:?}");
        }
    }

    proptest::proptest! {
        /// Any bytes are read without a panic, and what reads as a tree reads whole.
        #[test]
        fn any_bytes_read_without_a_panic(data in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..200)) {
            if let Some(tree) = RawTree::parse(&data) {
                let whole: usize = (0..tree.len()).map(|i| tree.bytes(i).len()).sum();
                proptest::prop_assert_eq!(whole, data.len());
            }
        }

        /// Trees git writes read as libgit2 reads them, whatever their names and modes.
        #[test]
        fn written_trees_read_as_libgit2_reads_them(
            entries in proptest::collection::btree_map("[a-zA-Z0-9_-][a-z.A-Z0-9_-]{0,11}", 0..5usize, 0..24)
        ) {
            let dir = tempfile::tempdir().unwrap();
            let repo = Repository::init(dir.path()).unwrap();
            let blob = repo.blob(b"x").unwrap();
            let inner = repo.treebuilder(None).unwrap().write().unwrap();
            let mut builder = repo.treebuilder(None).unwrap();
            for (name, kind) in &entries {
                let (id, mode) = [(blob, 0o100644), (blob, 0o100755), (blob, 0o120000), (blob, 0o160000), (inner, 0o040000)][*kind];
                builder.insert(name, id, mode).unwrap();
            }
            let id = builder.write().unwrap();
            let odb = repo.odb().unwrap();
            let ours = RawTree::read(&repo, None, Some(&odb), id).unwrap();
            let theirs = repo.find_tree(id).unwrap();
            proptest::prop_assert_eq!(ours.len(), theirs.len());
            for (i, e) in theirs.iter().enumerate() {
                let mine = ours.at(i).unwrap();
                proptest::prop_assert_eq!(mine.name, e.name_bytes());
                proptest::prop_assert_eq!(mine.mode, e.filemode());
                proptest::prop_assert_eq!(mine.oid().unwrap(), e.id());
                proptest::prop_assert_eq!(ours.get(e.name_bytes()).map(|x| x.id), Some(mine.id));
            }
        }
    }
}
