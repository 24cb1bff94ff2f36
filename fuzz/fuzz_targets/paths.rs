//! Any bytes as two versions of a dependency manifest and as a changed path:
//! comparing and classing never panics, and a manifest that does not parse
//! counts as a change to what ships. The rules are built once, as a run builds them.
#![no_main]

use std::sync::LazyLock;

use bumpwise::evidence::PathRules;
use bumpwise::evidence::manifests::{self, Kind, What};
use libfuzzer_sys::fuzz_target;

static RULES: LazyLock<PathRules> = LazyLock::new(PathRules::default);

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let kind = match selector % 3 {
        0 => Kind::Cargo,
        1 => Kind::Npm,
        _ => Kind::Pyproject,
    };
    let (old, new) = rest.split_at(rest.len() / 2);
    let what = manifests::compare(kind, old, new);
    if std::str::from_utf8(new).is_err() {
        assert_eq!(what, What::SHIPPED);
    }
    let path = String::from_utf8_lossy(rest);
    let _ = RULES.class_of(&path);
    let _ = manifests::is_lock_file(&path) || manifests::is_dev_requirements(&path);
});
