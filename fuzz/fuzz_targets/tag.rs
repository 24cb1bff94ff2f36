//! Any bytes as tag names and a prefix: parsing never panics, and the chosen base
//! is the highest stable version among those said to be reachable.
#![no_main]

use bumpwise::version::tag::{self, Reach, TagName};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut lines = text.lines();
    let prefix = lines.next().unwrap_or_default();
    let names: Vec<String> = lines.map(str::to_string).collect();
    for name in &names {
        let _ = tag::parse_tag(name, prefix);
    }
    let selection = tag::select_base(names.clone(), prefix, |name| {
        Ok::<_, ()>(if name.len() % 2 == 0 {
            Reach::Reachable(name.to_string())
        } else {
            Reach::Unreachable
        })
    })
    .unwrap();
    if let Some(base) = selection.base {
        assert!(base.tag.version.pre.is_empty());
        for name in &names {
            if let TagName::Version(other) = tag::parse_tag(name, prefix)
                && other.version.pre.is_empty()
                && name.len() % 2 == 0
            {
                assert!(other.version <= base.tag.version);
            }
        }
    }
});
