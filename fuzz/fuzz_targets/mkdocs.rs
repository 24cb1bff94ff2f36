//! Any text as `mkdocs.yml`, a page's path and the page: reading the nav and a
//! title never panics (aliases bounded), and `plan --fix`'s edit, when it is
//! made, reads back as YAML listing the new page.
#![no_main]

use bumpwise::release::mkdocs::{self, Page};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut parts = text.splitn(3, '\0');
    let yaml = parts.next().unwrap_or_default();
    let path = parts.next().unwrap_or("reference/upcoming/a.md");
    let page = parts.next().unwrap_or_default();
    let _ = mkdocs::nav_pages(yaml);
    let new = Page {
        path: path.to_string(),
        title: mkdocs::title(page, path),
    };
    if let Ok(Some(fixed)) = mkdocs::add_pages(yaml, &[new]) {
        let listed = mkdocs::nav_pages(&fixed)
            .expect("the edit reads back as YAML")
            .unwrap_or_default();
        assert!(listed.iter().any(|p| p == path), "{fixed}");
    }
});
