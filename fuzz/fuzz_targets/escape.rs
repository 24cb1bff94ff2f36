//! Any text as a commit subject reaching the notes: the escaped text holds no
//! template brace, no line break, no control character and starts no block.
#![no_main]

use bumpwise::notes::markdown;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let out = markdown::escape(&text);
    assert!(!out.contains(['{', '}', '\n', '\r']), "{out:?}");
    assert!(!out.chars().any(char::is_control), "{out:?}");
    assert!(!out.starts_with(['#', '+', '-', '*', '=']), "{out:?}");
});
