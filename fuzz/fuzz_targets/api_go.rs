//! Any bytes as a Go file: the extractor answers (often with nothing), never
//! panics, and a surface compared with itself has no changes. A clean parse
//! stands for the same source with one more space where it has one, when
//! their fingerprints say they are the same tokens (`golex`).
#![no_main]

use bumpwise::evidence::api::{Language, compare, go, golex};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let print = golex::fingerprint(data);
    if let Some((file, clean)) = go::parse_clean(data) {
        assert!(compare(&file.items, &file.items, Language::Go).is_empty());
        assert!(file.items.keys().all(|name| go::exported(name)));
        if let (true, Some(_), Some(at)) = (clean, print, data.iter().position(|&b| b == b' ')) {
            let mut wider = data.to_vec();
            wider.insert(at, b' ');
            if golex::fingerprint(&wider) == print {
                assert_eq!(go::parse(&wider), Some(file));
            }
        }
    }
});
