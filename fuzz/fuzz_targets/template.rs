//! Any text as a notes template, rendering notes whose commit text is any
//! text too: parsing and rendering answer (often with an error), never panic
//! or hang.
#![no_main]

use bumpwise::notes::changelog::{Changelog, Entry, Heading, Release, Section, SectionKind};
use bumpwise::notes::links::Links;
use bumpwise::notes::template::Template;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (template, commit) = text.split_once('\0').unwrap_or((&text, "{{ 7*7 }}"));
    let Ok(template) = Template::parse("fuzz.tera", template) else {
        return;
    };
    let entry = Entry {
        scope: None,
        text: commit.to_string(),
        detail: None,
        commit: "ab".repeat(20),
        commit_url: None,
        references: Vec::new(),
        conventional: false,
        author: commit.to_string(),
    };
    let notes = Changelog {
        schema_version: 1,
        releases: vec![Release {
            heading: Heading::default(),
            sections: vec![Section {
                kind: SectionKind::Fixes,
                title: "Fixes".into(),
                entries: vec![entry],
            }],
            warnings: Vec::new(),
            previous: None,
        }],
        warnings: Vec::new(),
    };
    let links = Links {
        commit: None,
        issue: None,
    };
    let _ = template.render("fuzz.tera", &notes, &links);
});
