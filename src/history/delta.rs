//! The entries of a pack file and the deltas between them, as git writes
//! them (see `gitformat-pack`): any bytes are read without a panic, and what
//! is not laid out as git writes it reads as `None`.

use git2::ObjectType;

/// An entry's header: its type number, its size, and where its data starts.
pub(super) fn entry_header(data: &[u8], at: usize) -> Option<(u8, usize, usize)> {
    let mut at = at;
    let mut byte = *data.get(at)?;
    at += 1;
    let kind = (byte >> 4) & 7;
    let mut size = usize::from(byte & 0x0f);
    let mut shift = 4;
    while byte & 0x80 != 0 {
        byte = *data.get(at)?;
        at += 1;
        if shift > 56 {
            return None;
        }
        size |= usize::from(byte & 0x7f) << shift;
        shift += 7;
    }
    Some((kind, size, at))
}

/// A delta's base, as an offset back from the delta's own.
pub(super) fn base_distance(data: &[u8], at: usize) -> Option<(usize, usize)> {
    let mut at = at;
    let mut byte = *data.get(at)?;
    at += 1;
    let mut distance = usize::from(byte & 0x7f);
    while byte & 0x80 != 0 {
        byte = *data.get(at)?;
        at += 1;
        distance = distance.checked_add(1)?.checked_mul(128)? | usize::from(byte & 0x7f);
    }
    Some((distance, at))
}

pub(super) fn object_type(kind: u8) -> Option<ObjectType> {
    match kind {
        1 => Some(ObjectType::Commit),
        2 => Some(ObjectType::Tree),
        3 => Some(ObjectType::Blob),
        4 => Some(ObjectType::Tag),
        _ => None,
    }
}

/// A size in a delta's header.
fn delta_size(delta: &[u8], at: &mut usize) -> Option<usize> {
    let mut size = 0usize;
    let mut shift = 0;
    loop {
        let byte = *delta.get(*at)?;
        *at += 1;
        if shift > 56 {
            return None;
        }
        size |= usize::from(byte & 0x7f) << shift;
        shift += 7;
        if byte & 0x80 == 0 {
            return Some(size);
        }
    }
}

/// `delta` applied to `base`, when it is a well-formed delta against it whose
/// result is at most `limit` bytes (`Some(None)` when it is larger).
pub(super) fn apply(base: &[u8], delta: &[u8], limit: usize) -> Option<Option<Vec<u8>>> {
    let mut at = 0;
    if delta_size(delta, &mut at)? != base.len() {
        return None;
    }
    let size = delta_size(delta, &mut at)?;
    if size > limit {
        return Some(None);
    }
    // What the delta claims is only reserved up to what it can plausibly hold;
    // the copies grow it beyond that when they are really there.
    let mut out = Vec::new();
    out.try_reserve_exact(size.min(base.len().saturating_add(delta.len())))
        .ok()?;
    while at < delta.len() {
        let op = delta[at];
        at += 1;
        if op & 0x80 != 0 {
            let mut offset = 0usize;
            let mut len = 0usize;
            for bit in 0..4 {
                if op & (1 << bit) != 0 {
                    offset |= usize::from(*delta.get(at)?) << (8 * bit);
                    at += 1;
                }
            }
            for bit in 0..3 {
                if op & (0x10 << bit) != 0 {
                    len |= usize::from(*delta.get(at)?) << (8 * bit);
                    at += 1;
                }
            }
            if len == 0 {
                len = 0x10000;
            }
            out.extend_from_slice(base.get(offset..offset.checked_add(len)?)?);
        } else if op != 0 {
            let len = usize::from(op);
            out.extend_from_slice(delta.get(at..at + len)?);
            at += len;
        } else {
            return None;
        }
        if out.len() > size {
            return None;
        }
    }
    (out.len() == size).then_some(Some(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_delta_copies_and_inserts_within_its_base() {
        let base = b"hello, world";
        // Sizes 12 and 9; copy 5 bytes from 0 ("hello"), insert "!!!!".
        let delta = [12, 9, 0x90, 5, 4, b'!', b'!', b'!', b'!'];
        assert_eq!(
            apply(base, &delta, usize::MAX),
            Some(Some(b"hello!!!!".to_vec()))
        );
        assert_eq!(apply(base, &delta, 8), Some(None));
        // A copy past the base's end, a wrong base size, a zero opcode: not read.
        assert_eq!(apply(base, &[12, 20, 0x91, 8, 20], usize::MAX), None);
        assert_eq!(apply(base, &[11, 9, 0x90, 5], usize::MAX), None);
        assert_eq!(apply(base, &[12, 1, 0], usize::MAX), None);
    }
}
