//! Any bytes as the entries of a pack file, read as the workers read objects
//! without libgit2: no panic, whatever the entries, deltas and offsets say.
//! The first byte says how many objects (one to eight), the next four per
//! object where each starts; the index names object `n` by twenty bytes `n`.
#![no_main]

use std::sync::Arc;

use bumpwise::history::pack::{PackReader, Packs};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    let count = usize::from(first % 8) + 1;
    if rest.len() < count * 4 + 1 {
        return;
    }
    let (starts, body) = rest.split_at(count * 4);
    let mut pack = b"PACK\0\0\0\x02".to_vec();
    pack.extend_from_slice(&u32::try_from(count).unwrap().to_be_bytes());
    pack.extend_from_slice(body);
    pack.extend_from_slice(&[0; 20]);
    let mut index = b"\xfftOc\0\0\0\x02".to_vec();
    for byte in 0..256u32 {
        let below = (1..=count as u32).filter(|&n| n <= byte).count() as u32;
        index.extend_from_slice(&below.to_be_bytes());
    }
    for n in 1..=count {
        index.extend_from_slice(&[u8::try_from(n).unwrap(); 20]);
    }
    index.extend_from_slice(&vec![0; count * 4]);
    for start in starts.chunks(4) {
        let at = u32::from_be_bytes(start.try_into().unwrap()) % u32::try_from(body.len()).unwrap();
        index.extend_from_slice(&(12 + at).to_be_bytes());
    }
    index.extend_from_slice(&[0; 40]);
    let packs = Arc::new(Packs::from_bytes(index, pack).expect("an index made to match"));
    let ids = packs.ids();
    assert_eq!(ids.len(), count);
    let mut reader = PackReader::new(packs);
    for id in ids.iter().chain(&ids) {
        if let Some((_, Some(bytes))) = reader.read(*id, 1 << 20) {
            assert!(bytes.len() <= 1 << 20);
        }
    }
});
