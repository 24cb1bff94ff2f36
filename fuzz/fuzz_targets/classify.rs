//! Any bytes as a commit message (and its trailers and author): parsing and
//! classification never panic, and a range of them pairs reverts without panicking.
#![no_main]

use bumpwise::classify::{self, Rules};
use bumpwise::evidence::message;
use bumpwise::history::RawCommit;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut parts = text.splitn(3, '\u{1f}');
    let message = parts.next().unwrap_or_default().to_string();
    let author = parts.next().unwrap_or_default().to_string();
    let trailer = parts.next().unwrap_or_default();
    let raw = |id: &str, message: String| {
        RawCommit::new(id.repeat(20), message)
            .with_trailers(vec![(trailer.to_string(), trailer.to_string())])
            .with_author(author.clone())
    };
    let commits = vec![
        message::parse(raw("ab", message.clone())),
        message::parse(raw("cd", format!("Revert \"{message}\""))),
        message::parse(raw("ef", message)),
    ];
    let classified = classify::classify_all(commits, &Rules::default());
    assert_eq!(classified.len(), 3);
});
