//! Any bytes as a Go file: the extractor answers (often with nothing), never
//! panics, and a surface compared with itself has no changes.
#![no_main]

use bumpwise::evidence::api::{Language, compare, go};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Some(file) = go::parse(data) {
        assert!(compare(&file.items, &file.items, Language::Go).is_empty());
        assert!(file.items.keys().all(|name| go::exported(name)));
    }
});
