//! Any bytes as a commit object, as the walk reads one without libgit2's
//! parse: no panic, and what it reads is what the bytes say (the tree and
//! every parent named in the header, in either case of hex digits).
#![no_main]

use bumpwise::history::ObjectId;
use bumpwise::history::read::from_bytes;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let id: ObjectId = "0123456789abcdef0123456789abcdef01234567".parse().unwrap();
    // A well-formed header first, then the fuzzer's bytes as its signatures and message.
    let tree = "4b825dc642cb6eb9a060e54bf8d69288fbee4904";
    let mut framed = format!("tree {tree}\nparent {id}\n").into_bytes();
    framed.extend_from_slice(data);
    for bytes in [data, &framed[..]] {
        let Some((tree_read, parents, _, commit)) = from_bytes(id, bytes) else {
            continue;
        };
        // Hex digits in either case name the same object.
        let text = String::from_utf8_lossy(bytes).to_ascii_lowercase();
        assert!(text.starts_with(&format!("tree {tree_read}\n")));
        assert_eq!(commit.parents, parents.len());
        assert_eq!(commit.id, id.to_string());
        for parent in parents {
            assert!(text.contains(&format!("parent {parent}\n")));
        }
    }
});
