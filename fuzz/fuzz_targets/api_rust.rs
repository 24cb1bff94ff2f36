//! Any bytes as a Rust file: the extractor answers (often with nothing),
//! never panics, and a surface compared with itself has no changes.
#![no_main]

use bumpwise::evidence::api::{Language, compare, rust};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Some(file) = rust::parse(data) {
        assert!(compare(&file.items, &file.items, Language::Rust).is_empty());
    }
});
