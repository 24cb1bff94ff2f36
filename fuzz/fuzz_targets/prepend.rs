//! Any text as an existing changelog and any version: `--prepend` inserts the
//! section or says why not, never panics, and keeps the new section whole.
#![no_main]

use bumpwise::notes::markdown::{self, HeadingStyle};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (existing, version) = text.split_once('\0').unwrap_or((&text, "1.0.0"));
    let _ = HeadingStyle::of(existing);
    let _ = markdown::has_section(existing, version);
    let section = format!("## [{version}] - 2026-01-01\n\n### Fixes\n\n- a fuzzed change\n");
    for replace in [false, true] {
        if let Ok(out) = markdown::prepend(existing, &section, replace) {
            // The file's own line endings (CRLF) are kept, so the line is matched without its end.
            assert!(out.contains("- a fuzzed change"), "{out}");
        }
    }
});
