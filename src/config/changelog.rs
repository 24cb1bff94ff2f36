//! `changelog` in `bumpwise.toml`: the file `check` looks in (a string), or a
//! table with that `file` and `[changelog.sections]`, which rename, reorder
//! and hide the sections of the notes.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{Combine, combine};

/// The section names `[changelog.sections]` takes, each with its plural.
pub const SECTION_NAMES: &[(&str, &str)] = &[
    ("breaking", "breaking"),
    ("deprecation", "deprecations"),
    ("feature", "features"),
    ("fix", "fixes"),
    ("change", "changes"),
    ("security", "security"),
    ("dependency", "dependencies"),
    ("other", "other"),
    ("unclassified", "unclassified"),
];

/// One section's settings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SectionSetting {
    /// Its heading instead of the default (`Bug fixes` for `Fixes`).
    pub title: Option<String>,
    /// Left out of the notes.
    pub hidden: Option<bool>,
    /// Its place: sections are written by this number (default: their
    /// default place, 1 to 9, `breaking` first), ties in the default order.
    pub order: Option<i64>,
}

/// The sections' settings, by the singular name of [`SECTION_NAMES`].
pub type Sections = BTreeMap<String, SectionSetting>;

/// `changelog = "FILE"`, or `[changelog]` with `file` and `sections`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ChangelogLayer {
    /// The changelog `check` looks in.
    pub file: Option<String>,
    /// The sections' settings.
    pub sections: Option<Sections>,
    /// The template the notes are rendered with (a path in the repository).
    pub template: Option<String>,
}

impl<'de> Deserialize<'de> for ChangelogLayer {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Table {
            file: Option<String>,
            sections: Option<Sections>,
            template: Option<String>,
        }
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Either {
            File(String),
            Table(Table),
        }
        match Either::deserialize(d).map_err(|_| {
            serde::de::Error::custom(
                "`changelog` is a file name (`changelog = \"CHANGELOG.md\"`) or a table with `file` and `sections` (`[changelog.sections] fix = { title = \"Bug fixes\" }`)",
            )
        })? {
            Either::File(file) => Ok(ChangelogLayer {
                file: Some(file),
                ..ChangelogLayer::default()
            }),
            Either::Table(t) => Ok(ChangelogLayer {
                file: t.file,
                sections: t.sections,
                template: t.template,
            }),
        }
    }
}

layered!(ChangelogLayer; replace: file, template; combine: sections);

/// The changelog settings in force.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChangelogConfig {
    /// The changelog `check` looks in, if set.
    pub file: Option<String>,
    /// Every section's settings, by singular name, defaults filled in.
    pub sections: Sections,
    /// The template the notes are rendered with, if set.
    pub template: Option<String>,
}

impl Serialize for ChangelogConfig {
    /// As `bumpwise config` shows it: the file when set, and every section
    /// with its title, place and whether it is hidden, defaults filled in.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(None)?;
        if let Some(file) = &self.file {
            map.serialize_entry("file", file)?;
        }
        if let Some(template) = &self.template {
            map.serialize_entry("template", template)?;
        }
        map.serialize_entry("sections", &self.sections)?;
        map.end()
    }
}

/// The default headings, in the order of [`SECTION_NAMES`].
pub const DEFAULT_TITLES: [&str; 9] = [
    "Breaking changes",
    "Deprecations",
    "Features",
    "Fixes",
    "Changes",
    "Security",
    "Dependencies",
    "Other",
    "Unclassified",
];

/// The sections of `layer`, by their singular names, every one with its
/// title, place and whether it is hidden (defaults filled in); an unknown
/// name is an error naming the ones there are.
pub fn sections(layer: Option<&ChangelogLayer>) -> Result<Sections, String> {
    let mut out: Sections = SECTION_NAMES
        .iter()
        .zip(DEFAULT_TITLES)
        .enumerate()
        .map(|(i, ((one, _), title))| {
            let setting = SectionSetting {
                title: Some(title.to_string()),
                hidden: Some(false),
                order: Some(i as i64 + 1),
            };
            (one.to_string(), setting)
        })
        .collect();
    for (name, setting) in layer
        .and_then(|l| l.sections.as_ref())
        .into_iter()
        .flatten()
    {
        let Some((one, _)) = SECTION_NAMES
            .iter()
            .find(|(one, many)| name == one || name == many)
        else {
            let names: Vec<&str> = SECTION_NAMES.iter().map(|(one, _)| *one).collect();
            return Err(format!(
                "[changelog.sections] has no section `{name}`; the sections are {}",
                names.join(", ")
            ));
        };
        let shown = out.entry((*one).to_string()).or_default();
        shown.title = setting.title.clone().or(shown.title.take());
        shown.hidden = setting.hidden.or(shown.hidden);
        shown.order = setting.order.or(shown.order);
    }
    Ok(out)
}
