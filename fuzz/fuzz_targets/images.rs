//! Any text as the images repository's `build.yaml` and any version: proposing
//! the release never panics, and a proposal has the release, so a second one
//! is not made.
#![no_main]

use bumpwise::release::images;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (yaml, version) = text.rsplit_once('\0').unwrap_or((&text, "1.2.3"));
    let Ok(version) = semver::Version::parse(version) else {
        return;
    };
    let tag = format!("v{version}");
    if let Some(proposal) = images::propose(yaml, &tag, &version, "20260101") {
        assert!(images::has_release(&proposal.content, &tag));
        assert!(images::propose(&proposal.content, &tag, &version, "20260101").is_none());
    }
});
