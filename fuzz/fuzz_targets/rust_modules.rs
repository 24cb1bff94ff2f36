//! Any bytes as the files of a Rust crate (chunks split at 0xFF, each a path
//! line then its source), or, with an odd first byte, as a crate where every
//! path holds one of those sources (so a few bytes reach a module tree as deep
//! and wide as the walk allows): the module walk never panics, stays within
//! its bounds, and files only items of files it reached under `crate::`.
#![no_main]

use std::collections::HashMap;
use std::convert::Infallible;
use std::rc::Rc;

use bumpwise::evidence::api::modules::{self, Blob, MODULE_DEPTH, MODULE_FILES};
use bumpwise::evidence::api::rust;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let mut files: Vec<(String, Rc<Blob<rust::File>>)> = Vec::new();
    for chunk in rest.split(|&b| b == 0xFF) {
        let (path, src) = match chunk.iter().position(|&b| b == b'\n') {
            Some(at) => (&chunk[..at], &chunk[at + 1..]),
            None => (chunk, &[][..]),
        };
        let blob = rust::parse(src).map_or(Blob::Unparsed, Blob::Parsed);
        files.push((String::from_utf8_lossy(path).into_owned(), Rc::new(blob)));
    }
    let everywhere = selector % 2 == 1;
    let by_path: HashMap<&str, &Rc<Blob<rust::File>>> =
        files.iter().map(|(p, b)| (p.as_str(), b)).collect();
    let find = |path: &str| -> Option<Rc<Blob<rust::File>>> {
        if everywhere {
            files
                .get(path.len() % files.len())
                .map(|(_, b)| Rc::clone(b))
        } else {
            by_path.get(path).map(|b| Rc::clone(b))
        }
    };
    let mut opened = 0usize;
    let out = modules::walk::<Infallible>(
        "",
        |path| {
            opened += 1;
            Ok(find(path))
        },
        |path| Ok(find(path).is_some()),
    )
    .unwrap_or_else(|never| match never {});
    assert!(out.files.len() <= MODULE_FILES, "{} files", out.files.len());
    assert!(opened <= MODULE_FILES + 1, "{opened} opened");
    for file in &out.files {
        assert!(file.matches('/').count() <= MODULE_DEPTH + 1, "{file}");
    }
    if let Some(surface) = &out.surface {
        for (file, items) in surface {
            assert!(file.is_empty() || out.files.contains(file), "{file}");
            for name in items.keys() {
                assert!(name.starts_with("crate::"), "{name}");
            }
        }
    } else {
        assert!(out.note.is_some());
    }
});
