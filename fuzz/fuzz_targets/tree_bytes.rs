//! Any bytes as a tree object, as the comparison reads one without
//! libgit2's parse: no panic, and what it reads is what the bytes say (each
//! entry's name and id in place, the entries covering the bytes whole).
#![no_main]

use bumpwise::history::rawtree::entries;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some(entries) = entries(data) else {
        return;
    };
    let mut written = Vec::new();
    for (name, mode, id) in &entries {
        assert!(!name.is_empty() && !name.contains(&0));
        assert!([0o040000, 0o100644, 0o100755, 0o120000, 0o160000].contains(mode));
        let hex = id.to_string();
        let raw: Vec<u8> = (0..20)
            .map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).unwrap())
            .collect();
        written.push((name.clone(), raw));
    }
    // Each entry is `<mode> <name>\0<id>`, one after another, to the end.
    let mut at = 0;
    for (name, raw) in written {
        let space = data[at..].iter().position(|&b| b == b' ').unwrap();
        at += space + 1;
        assert_eq!(&data[at..at + name.len()], &name[..]);
        at += name.len();
        assert_eq!(data[at], 0);
        assert_eq!(&data[at + 1..at + 21], &raw[..]);
        at += 21;
    }
    assert_eq!(at, data.len());
});
