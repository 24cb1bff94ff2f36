//! Objects read straight from the repository's pack files.
//!
//! libgit2 shares one structure per pack file between every repository of a
//! process, behind a lock taken for each object's index lookup and again to
//! unpack it: the workers' threads spent about a sixth of their time waiting
//! on it, and two threads read a range's objects more slowly than one. Here
//! each pack and its index are mapped once and shared; every thread keeps
//! its own inflater and its own cache of delta bases, behind a lock no other
//! thread takes.
//!
//! Only what git writes is read here: version 2 indexes of SHA-1 ids beside
//! packs of version 2 or 3 whose checksums match, whole objects and deltas
//! against an earlier offset or another id in the packs. An object that is
//! not in these packs (a loose one, one in an alternate or in a pack written
//! since), or whose bytes are not as git writes them, reads as `None`, and
//! the caller asks libgit2, so every object reads as libgit2 reads it, and
//! every error is libgit2's.

use std::collections::{HashMap, VecDeque};
use std::path::Path;
use std::sync::{Arc, Mutex};

use git2::{ObjectType, Oid};

use super::delta::{apply, base_distance, entry_header, object_type};

/// Bytes of a SHA-1 object id.
const ID: usize = 20;
/// The index's header: its magic, its version, and the fan-out table.
const FANOUT_AT: usize = 8;
const NAMES_AT: usize = FANOUT_AT + 256 * 4;
/// Bytes of delta bases a reader keeps (libgit2 keeps up to sixteen megabytes).
const BASES_KEPT: usize = 4 << 20;
/// Compressed bytes read from the packs after which their mapped pages are
/// let go: the pages stay in the system's cache, but no longer count in the
/// process's resident memory (git keeps every page it read mapped).
const RESIDENT: usize = 1 << 20;
/// A longer chain of deltas than git ever writes (its `--depth` is at most 4095).
const MAX_CHAIN: usize = 10_000;

/// A file's bytes: mapped from disk, or given (the fuzz target's door).
enum Bytes {
    Mapped(memmap2::Mmap),
    Owned(Vec<u8>),
}

impl std::ops::Deref for Bytes {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        match self {
            Self::Mapped(map) => map,
            Self::Owned(bytes) => bytes,
        }
    }
}

/// One pack file and its index, checked against each other.
struct Pack {
    index: Bytes,
    data: Bytes,
    count: usize,
}

/// The pack files of one repository, shared by every thread that reads it.
#[derive(Default)]
pub struct Packs {
    packs: Vec<Pack>,
    /// Compressed bytes read since the mapped pages were last let go.
    read: std::sync::atomic::AtomicUsize,
}

impl Bytes {
    /// Lets the mapped pages go (see [`RESIDENT`]); they are read again from
    /// the system's cache when next touched.
    #[allow(unsafe_code)]
    fn release(&self) {
        #[cfg(unix)]
        if let Self::Mapped(map) = self {
            // SAFETY: the mapping is shared and read-only, so dropping its pages
            // loses nothing: the next read faults in the file's same bytes.
            let _ = unsafe { map.unchecked_advise(memmap2::UncheckedAdvice::DontNeed) };
        }
    }
}

/// Reads `path` whole into a read-only mapping, when it is a regular file
/// (not a link, which libgit2 is left to follow, nor a pipe, which would block).
#[allow(unsafe_code)]
fn map(path: &Path) -> Option<Bytes> {
    if !std::fs::symlink_metadata(path).ok()?.is_file() {
        return None;
    }
    let file = std::fs::File::open(path).ok()?;
    let meta = file.metadata().ok()?;
    if !meta.is_file() || meta.len() == 0 {
        return None;
    }
    // SAFETY: git never rewrites a pack or an index in place (it writes new
    // files and renames them over, and a mapping keeps the old file's pages),
    // as git itself and gitoxide rely on when they map them.
    let map = unsafe { memmap2::Mmap::map(&file) }.ok()?;
    Some(Bytes::Mapped(map))
}

/// An id as numbers that sort as its bytes do: compared without a call to
/// `memcmp` (the index's binary search makes twenty comparisons an object).
fn sort_key(id: &[u8]) -> Option<(u64, u64, u32)> {
    let high = u64::from_be_bytes(id.get(..8)?.try_into().ok()?);
    let middle = u64::from_be_bytes(id.get(8..16)?.try_into().ok()?);
    Some((high, middle, be32(id, 16)?))
}

fn be32(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
}

impl Pack {
    /// `index` and `data` as an index and its pack, when they are laid out as
    /// git writes them and belong together.
    fn new(index: Bytes, data: Bytes) -> Option<Self> {
        if index.get(..8)? != b"\xfftOc\0\0\0\x02" {
            return None;
        }
        let mut last = 0;
        for i in 0..256 {
            let n = be32(&index, FANOUT_AT + i * 4)?;
            if n < last {
                return None;
            }
            last = n;
        }
        let count = last as usize;
        // Names, checksums and offsets, then the large offsets (eight bytes
        // each), then the pack's checksum and the index's own.
        let fixed = NAMES_AT + count.checked_mul(ID + 8)? + 2 * ID;
        let large = index.len().checked_sub(fixed)?;
        let header = data.get(..12)?;
        if large % 8 != 0
            || &header[..4] != b"PACK"
            || !matches!(be32(header, 4)?, 2 | 3)
            || be32(header, 8)? as usize != count
            || data.len() < 12 + ID
            || index[index.len() - 2 * ID..index.len() - ID] != data[data.len() - ID..]
        {
            return None;
        }
        Some(Self { index, data, count })
    }

    fn fanout(&self, byte: usize) -> usize {
        be32(&self.index, FANOUT_AT + byte * 4).map_or(0, |n| n as usize)
    }

    /// Where object `id` starts in the pack, when this pack holds it.
    fn offset(&self, id: &[u8]) -> Option<usize> {
        let first = usize::from(*id.first()?);
        let mut lo = if first == 0 {
            0
        } else {
            self.fanout(first - 1)
        };
        let mut hi = self.fanout(first);
        let wanted = sort_key(id)?;
        // Ids are spread evenly: the first probes go where the id would lie
        // between the ids known to be below and above it (two or three probes
        // find most ids), then halving, whatever the ids are.
        let (mut below, mut above) = (
            (first as u64) << 56,
            ((first as u64) << 56) | (u64::MAX >> 8),
        );
        let mut probes = 0;
        while lo < hi {
            let mid = if probes < 4 && below < above && (below..=above).contains(&wanted.0) {
                let span = u128::from(above - below);
                let ahead = u128::from(wanted.0 - below) * (hi - lo - 1) as u128 / span;
                lo + usize::try_from(ahead).unwrap_or(0).min(hi - lo - 1)
            } else {
                lo + (hi - lo) / 2
            };
            probes += 1;
            let at = NAMES_AT + mid * ID;
            let key = sort_key(self.index.get(at..at + ID)?)?;
            match key.cmp(&wanted) {
                std::cmp::Ordering::Less => (lo, below) = (mid + 1, key.0),
                std::cmp::Ordering::Greater => (hi, above) = (mid, key.0),
                std::cmp::Ordering::Equal => return self.offset_at(mid),
            }
        }
        None
    }

    /// The offset of the index's `n`th object.
    fn offset_at(&self, n: usize) -> Option<usize> {
        let offsets = NAMES_AT + self.count * (ID + 4);
        let small = be32(&self.index, offsets + n * 4)?;
        let offset = if small & 0x8000_0000 == 0 {
            u64::from(small)
        } else {
            let at = offsets + self.count * 4 + (small & 0x7fff_ffff) as usize * 8;
            u64::from_be_bytes(self.index.get(at..at + 8)?.try_into().ok()?)
        };
        let offset = usize::try_from(offset).ok()?;
        (offset >= 12 && offset < self.data.len() - ID).then_some(offset)
    }
}

impl Packs {
    /// The packs under `objects/pack` of the objects directory `objects`;
    /// any that cannot be mapped or does not check out is left to libgit2.
    pub fn open(objects: &Path) -> Self {
        let Ok(entries) = std::fs::read_dir(objects.join("pack")) else {
            return Self::default();
        };
        let mut packs = Vec::new();
        for entry in entries.flatten() {
            let path = entry.path();
            if path.extension().is_none_or(|e| e != "idx") {
                continue;
            }
            if let (Some(index), Some(data)) = (map(&path), map(&path.with_extension("pack")))
                && let Some(pack) = Pack::new(index, data)
            {
                packs.push(pack);
            }
        }
        Self {
            packs,
            read: std::sync::atomic::AtomicUsize::new(0),
        }
    }

    /// Counts `bytes` read from the packs, and lets the packs' and indexes'
    /// mapped pages go each time [`RESIDENT`] bytes have been read (an index
    /// of a million objects is 28 MB, and lookups touch it all).
    fn count(&self, bytes: usize) {
        use std::sync::atomic::Ordering::Relaxed;
        let before = self.read.fetch_add(bytes, Relaxed);
        if before < RESIDENT && before + bytes >= RESIDENT {
            self.read.store(0, Relaxed);
            for pack in &self.packs {
                pack.index.release();
                pack.data.release();
            }
        }
    }

    /// An index's and its pack's bytes as given, when they belong together
    /// (the `pack_bytes` fuzz target's door).
    pub fn from_bytes(index: Vec<u8>, data: Vec<u8>) -> Option<Self> {
        let pack = Pack::new(Bytes::Owned(index), Bytes::Owned(data))?;
        Some(Self {
            packs: vec![pack],
            read: std::sync::atomic::AtomicUsize::new(0),
        })
    }

    /// Every object id the packs' indexes list.
    pub fn ids(&self) -> Vec<Oid> {
        let mut ids = Vec::new();
        for pack in &self.packs {
            for n in 0..pack.count {
                let at = NAMES_AT + n * ID;
                if let Some(id) = pack.index.get(at..at + ID)
                    && let Ok(id) = Oid::from_bytes(id)
                {
                    ids.push(id);
                }
            }
        }
        ids
    }

    fn find(&self, id: &[u8]) -> Option<(usize, usize)> {
        self.packs
            .iter()
            .enumerate()
            .find_map(|(n, pack)| Some((n, pack.offset(id)?)))
    }
}

/// The bytes of object `id` when it is a `kind`: from the packs through
/// `pack`, else from libgit2's object database `odb`; `None` when neither
/// reads it as a `kind`, and the caller asks libgit2's reader of that kind,
/// whose error it reports.
pub(super) fn object_bytes(
    pack: Option<&SharedReader>,
    odb: Option<&git2::Odb<'_>>,
    id: Oid,
    kind: ObjectType,
) -> Option<Vec<u8>> {
    match pack.and_then(|pack| pack.read(id, usize::MAX)) {
        Some((found, data)) => data.filter(|_| found == kind),
        None => {
            let object = odb?.read(id).ok()?;
            (object.kind() == kind).then(|| object.data().to_vec())
        }
    }
}

/// One object: its type and its bytes.
type Object = (ObjectType, Arc<[u8]>);

/// Delta bases read last, up to [`BASES_KEPT`] bytes, the oldest let go first.
#[derive(Default)]
struct Bases {
    kept: HashMap<(usize, usize), Object, PlaceHash>,
    order: VecDeque<(usize, usize)>,
    bytes: usize,
}

impl Bases {
    fn get(&self, at: (usize, usize)) -> Option<Object> {
        self.kept.get(&at).cloned()
    }

    fn keep(&mut self, at: (usize, usize), object: &Object) {
        if object.1.len() > BASES_KEPT / 4 || self.kept.contains_key(&at) {
            return;
        }
        self.bytes += object.1.len();
        self.kept.insert(at, object.clone());
        self.order.push_back(at);
        while self.bytes > BASES_KEPT
            && let Some(old) = self.order.pop_front()
        {
            if let Some((_, data)) = self.kept.remove(&old) {
                self.bytes -= data.len();
            }
        }
    }
}

/// Hashes a place in the packs (pack, offset) by one multiplication: the
/// delta bases are looked up for every object read, and SipHash was a tenth
/// of that. A pack crafted to make places collide could only make lookups
/// slower, never wrong, and the map holds at most [`BASES_KEPT`] bytes.
#[derive(Default, Clone, Copy)]
struct PlaceHash;

impl std::hash::BuildHasher for PlaceHash {
    type Hasher = PlaceHasher;
    fn build_hasher(&self) -> PlaceHasher {
        PlaceHasher(0)
    }
}

/// See [`PlaceHash`].
struct PlaceHasher(u64);

impl std::hash::Hasher for PlaceHasher {
    fn finish(&self) -> u64 {
        // The high bits of the product, where every bit of the key has reached.
        self.0.wrapping_mul(0x9E37_79B9_7F4A_7C15).rotate_left(32)
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(*b);
        }
    }
    fn write_usize(&mut self, n: usize) {
        self.0 = self.0.rotate_left(29) ^ n as u64;
    }
}

/// A reader of one thread: the shared packs, its inflater and its delta bases.
pub struct PackReader {
    packs: Arc<Packs>,
    bases: Bases,
    inflater: flate2::Decompress,
}

/// A pack reader shared by the readers of one thread (the lock is never
/// contended: it makes the reader movable to the thread that uses it).
#[derive(Clone)]
pub struct SharedReader(Arc<Mutex<PackReader>>);

impl SharedReader {
    /// A reader of `packs`, to share between the readers of one thread.
    pub fn new(packs: Arc<Packs>) -> Self {
        Self(Arc::new(Mutex::new(PackReader::new(packs))))
    }

    /// See [`PackReader::read`].
    pub fn read(&self, id: Oid, limit: usize) -> Option<(ObjectType, Option<Vec<u8>>)> {
        self.0.lock().ok()?.read(id, limit)
    }
}

/// What a chain of deltas ends on: a whole object, read or kept.
enum Bottom {
    Kept(Object),
    Whole(ObjectType, usize, usize),
}

impl PackReader {
    /// A reader of `packs` for one thread.
    pub fn new(packs: Arc<Packs>) -> Self {
        Self {
            packs,
            bases: Bases::default(),
            inflater: flate2::Decompress::new(true),
        }
    }

    /// Object `id`, when the packs hold it and it reads as git writes it:
    /// its type and its bytes, which are `None` when it is larger than
    /// `limit` bytes.
    pub fn read(&mut self, id: Oid, limit: usize) -> Option<(ObjectType, Option<Vec<u8>>)> {
        let packs = Arc::clone(&self.packs);
        let (pack, at) = packs.find(id.as_bytes())?;
        self.read_at(&packs, pack, at, limit)
    }

    fn inflate(&mut self, data: &[u8], at: usize, size: usize) -> Option<Vec<u8>> {
        // zlib cannot expand a byte to more than 1032: a larger size is not
        // what git wrote, and is never allocated.
        let input = data.get(at..)?;
        if size / 1032 > input.len() {
            return None;
        }
        let mut out = Vec::new();
        out.try_reserve_exact(size).ok()?;
        self.inflater.reset(true);
        let status = self
            .inflater
            .decompress_vec(input, &mut out, flate2::FlushDecompress::Finish)
            .ok();
        self.packs
            .count(usize::try_from(self.inflater.total_in()).unwrap_or(usize::MAX));
        let status = status?;
        (status == flate2::Status::StreamEnd && out.len() == size).then_some(out)
    }

    fn read_at(
        &mut self,
        packs: &Packs,
        pack: usize,
        at: usize,
        limit: usize,
    ) -> Option<(ObjectType, Option<Vec<u8>>)> {
        // The deltas down to a whole object (or one kept), then applied upwards.
        let mut deltas: Vec<(usize, usize, usize, usize)> = Vec::new();
        let (mut pack_now, mut at_now) = (pack, at);
        let bottom = loop {
            if deltas.len() > MAX_CHAIN {
                return None;
            }
            if let Some(kept) = self.bases.get((pack_now, at_now)) {
                break Bottom::Kept(kept);
            }
            let data = &packs.packs.get(pack_now)?.data;
            let (kind, size, start) = entry_header(data, at_now)?;
            match kind {
                6 => {
                    let (distance, start) = base_distance(data, start)?;
                    deltas.push((pack_now, at_now, start, size));
                    at_now = at_now.checked_sub(distance).filter(|&b| b >= 12)?;
                }
                7 => {
                    let base = data.get(start..start + ID)?;
                    deltas.push((pack_now, at_now, start + ID, size));
                    (pack_now, at_now) = packs.find(base)?;
                }
                _ => break Bottom::Whole(object_type(kind)?, size, start),
            }
        };
        let mut object: Object = match bottom {
            Bottom::Kept(kept) if deltas.is_empty() => {
                let fits = kept.1.len() <= limit;
                return Some((kept.0, fits.then(|| kept.1.to_vec())));
            }
            Bottom::Kept(kept) => kept,
            Bottom::Whole(kind, size, start) => {
                if deltas.is_empty() {
                    if size > limit {
                        return Some((kind, None));
                    }
                    let data = &packs.packs[pack_now].data;
                    let out = self.inflate(data, start, size)?;
                    // Commits are seldom the base of a delta; trees and blobs most often are.
                    if kind != ObjectType::Commit {
                        self.bases
                            .keep((pack_now, at_now), &(kind, out.as_slice().into()));
                    }
                    return Some((kind, Some(out)));
                }
                let data = &packs.packs[pack_now].data;
                let object: Object = (kind, self.inflate(data, start, size)?.into());
                self.bases.keep((pack_now, at_now), &object);
                object
            }
        };
        while let Some((pack_at, delta_at, start, size)) = deltas.pop() {
            let delta = self.inflate(&packs.packs[pack_at].data, start, size)?;
            let last = deltas.is_empty();
            let Some(out) = apply(&object.1, &delta, if last { limit } else { usize::MAX })? else {
                return Some((object.0, None));
            };
            if last {
                // Kept too: walking history, the next version read is most
                // often a delta against this one.
                self.bases
                    .keep((pack_at, delta_at), &(object.0, out.as_slice().into()));
                return Some((object.0, Some(out)));
            }
            object = (object.0, out.into());
            self.bases.keep((pack_at, delta_at), &object);
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use git2::{Repository, Signature};

    impl Packs {
        /// How many entries of each type number the packs hold.
        fn kinds(&self) -> HashMap<u8, usize> {
            let mut kinds = HashMap::new();
            for pack in &self.packs {
                for n in 0..pack.count {
                    let at = pack.offset_at(n).unwrap();
                    *kinds
                        .entry(entry_header(&pack.data, at).unwrap().0)
                        .or_default() += 1;
                }
            }
            kinds
        }
    }

    /// Commits `count` versions of three files in nested directories, each
    /// version a few lines longer (so packs store them as deltas).
    fn history(repo: &Repository, from: usize, count: usize) {
        let sig = Signature::new("A", "a@example.com", &git2::Time::new(1_700_000_000, 0)).unwrap();
        for n in from..from + count {
            let mut builder = repo.treebuilder(None).unwrap();
            let mut inner = repo.treebuilder(None).unwrap();
            for (name, lines) in [("a.go", n), ("b.md", n / 2), ("c.txt", n / 3)] {
                let text: String = (0..=lines)
                    .map(|l| format!("line {l} of {name}\n"))
                    .collect();
                let blob = repo.blob(text.as_bytes()).unwrap();
                inner.insert(name, blob, 0o100644).unwrap();
            }
            let inner = inner.write().unwrap();
            builder.insert("pkg", inner, 0o040000).unwrap();
            builder
                .insert(
                    "top.txt",
                    repo.blob(format!("{n}\n").as_bytes()).unwrap(),
                    0o100644,
                )
                .unwrap();
            let tree = repo.find_tree(builder.write().unwrap()).unwrap();
            let parent = repo.head().ok().and_then(|h| h.peel_to_commit().ok());
            let parents: Vec<&git2::Commit<'_>> = parent.iter().collect();
            repo.commit(
                Some("HEAD"),
                &sig,
                &sig,
                &format!("change {n}"),
                &tree,
                &parents,
            )
            .unwrap();
        }
    }

    fn git(dir: &Path, args: &[&str]) {
        let status = std::process::Command::new("git")
            .args(args)
            .current_dir(dir)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("HOME", dir)
            .status()
            .unwrap();
        assert!(status.success(), "git {args:?}");
    }

    #[cfg(unix)]
    #[test]
    fn a_linked_pack_is_left_to_libgit2() {
        let dir = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        let repo = Repository::init(dir.path()).unwrap();
        history(&repo, 0, 3);
        git(dir.path(), &["repack", "-adq"]);
        let packs = dir.path().join(".git/objects/pack");
        assert_eq!(Packs::open(&dir.path().join(".git/objects")).packs.len(), 1);
        for entry in std::fs::read_dir(&packs).unwrap() {
            let path = entry.unwrap().path();
            let moved = outside.path().join(path.file_name().unwrap());
            std::fs::rename(&path, &moved).unwrap();
            std::os::unix::fs::symlink(&moved, &path).unwrap();
        }
        assert_eq!(Packs::open(&dir.path().join(".git/objects")).packs.len(), 0);
        let head = repo.head().unwrap().target().unwrap();
        assert!(
            repo.odb().unwrap().read(head).is_ok(),
            "libgit2 follows the link"
        );
    }

    #[test]
    fn every_object_of_packs_git_and_libgit2_write_reads_as_libgit2_reads_it() {
        let dir = tempfile::tempdir().unwrap();
        let repo = Repository::init(dir.path()).unwrap();
        // A pack git writes (deltas against an offset, chains up to 50), a
        // second one over loose objects, and one libgit2 writes (deltas
        // against an id), with loose objects left on top.
        history(&repo, 0, 60);
        git(dir.path(), &["repack", "-adq", "--depth=50", "--window=50"]);
        history(&repo, 60, 20);
        git(dir.path(), &["repack", "-dq"]);
        history(&repo, 80, 20);
        let mut builder = repo.packbuilder().unwrap();
        let mut walk = repo.revwalk().unwrap();
        walk.push_head().unwrap();
        builder.insert_walk(&mut walk).unwrap();
        let mut buf = git2::Buf::new();
        builder.write_buf(&mut buf).unwrap();
        let odb = repo.odb().unwrap();
        let mut writer = odb.packwriter().unwrap();
        std::io::Write::write_all(&mut writer, &buf).unwrap();
        writer.commit().unwrap();
        history(&repo, 100, 5);

        let packs = Arc::new(Packs::open(&dir.path().join(".git/objects")));
        assert_eq!(packs.packs.len(), 3);
        let kinds = packs.kinds();
        assert!(kinds.get(&6).is_some_and(|&n| n > 50), "{kinds:?}");
        assert!(kinds.get(&7).is_some_and(|&n| n > 50), "{kinds:?}");
        let ids = packs.ids();
        assert!(ids.len() > 400, "{}", ids.len());
        let mut reader = PackReader::new(Arc::clone(&packs));
        // Twice: the second time through the kept bases.
        for id in ids.iter().chain(&ids) {
            let theirs = odb.read(*id).unwrap();
            let ours = reader.read(*id, usize::MAX);
            assert_eq!(
                ours,
                Some((theirs.kind(), Some(theirs.data().to_vec()))),
                "{id}"
            );
            let small = reader.read(*id, theirs.len() - 1);
            assert_eq!(small, Some((theirs.kind(), None)), "{id}");
        }
        // What the packs do not hold is left to libgit2.
        let loose = repo.head().unwrap().target().unwrap();
        assert!(odb.read(loose).is_ok());
        assert_eq!(reader.read(loose, usize::MAX), None);
    }
}
