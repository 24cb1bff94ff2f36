//! Any text as a change file (`.changeset/*.md`) and its path: parsing
//! answers or says why not, never panics, and what it reads names packages.
#![no_main]

use bumpwise::evidence::changesets;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (file, body) = text.split_once('\0').unwrap_or((".changeset/a.md", &text));
    let _ = changesets::is_change_file(file);
    if let Ok(set) = changesets::parse(file, body) {
        assert!(!set.bumps.is_empty() && set.bumps.iter().all(|(name, _)| !name.is_empty()));
    }
});
