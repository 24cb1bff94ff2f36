//! Any bytes as a Rust file: the extractor answers (often with nothing),
//! never panics, and a surface compared with itself has no changes. Split at
//! its first NUL, the bytes are two versions of a file: comparing them (the
//! signature normalisation: qualifiers, lifetimes, bounds) never panics, and
//! what one direction removes the other adds.
#![no_main]

use bumpwise::evidence::api::{ChangeKind, Language, compare, rust};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Some(file) = rust::parse(data) {
        assert!(compare(&file.items, &file.items, Language::Rust).is_empty());
    }
    let Some(at) = data.iter().position(|&b| b == 0) else {
        return;
    };
    let (Some(old), Some(new)) = (rust::parse(&data[..at]), rust::parse(&data[at + 1..])) else {
        return;
    };
    let forward = compare(&old.items, &new.items, Language::Rust);
    let back = compare(&new.items, &old.items, Language::Rust);
    let count = |changes: &[bumpwise::evidence::api::Change], kind| {
        changes.iter().filter(|c| c.change == kind).count()
    };
    assert_eq!(count(&forward, ChangeKind::Removed), count(&back, ChangeKind::Added));
    assert_eq!(count(&forward, ChangeKind::Changed), count(&back, ChangeKind::Changed));
});
