//! Any text as a deprecations `index.md` and any deprecated thing: the page
//! and the row are written without a panic, and a row is added only once.
#![no_main]

use bumpwise::notes::deprecations::{self, Item};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (index, what) = text.split_once('\0').unwrap_or((&text, "the old flag"));
    let item = Item {
        what: what.to_string(),
        since: Some("1.2".into()),
        replacement: Some(what.chars().rev().collect()),
        migration: None,
        commit: "0123456789abcdef".into(),
        slug: deprecations::slug(what, "0123456789abcdef"),
    };
    let _ = deprecations::page(&item);
    let _ = deprecations::draft(std::slice::from_ref(&item));
    if let Some(updated) = deprecations::add_row(index, &item) {
        assert!(
            deprecations::add_row(&updated, &item).is_none(),
            "{updated}"
        );
    }
});
