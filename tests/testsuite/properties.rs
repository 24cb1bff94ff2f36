//! Properties of the rules, on the pure stages.

use bumpwise::classify::{self, Kind, Rules};
use bumpwise::evidence::message;
use bumpwise::history::RawCommit;
use bumpwise::version::decide::{self, Level, Policy, Request};
use bumpwise::version::tag::{self, Reach};
use proptest::prelude::*;
use semver::Version;

fn kind() -> impl Strategy<Value = Kind> {
    prop_oneof![
        Just(Kind::Unclassified),
        Just(Kind::None),
        Just(Kind::Fix),
        Just(Kind::Feature),
        Just(Kind::Breaking),
    ]
}

fn policy() -> impl Strategy<Value = Policy> {
    prop_oneof![Just(Policy::Guide), Just(Policy::Cargo)]
}

fn version() -> impl Strategy<Value = Version> {
    (0u64..3, 0u64..12, 0u64..12).prop_map(|(a, b, c)| Version::new(a, b, c))
}

fn decide(base: &Version, policy: Policy, kinds: &[Kind]) -> decide::Decision {
    decide::decide(
        Some(base),
        &Version::new(0, 1, 0),
        policy,
        kinds.iter().copied(),
        &Request::Commits,
    )
    .expect("commits alone never fail")
}

proptest! {
    #[test]
    fn commit_order_never_changes_the_decision(
        base in version(), policy in policy(), kinds in prop::collection::vec(kind(), 0..20), seed in any::<u64>()
    ) {
        let mut shuffled = kinds.clone();
        // A deterministic shuffle driven by the seed.
        let mut state = seed | 1;
        for i in (1..shuffled.len()).rev() {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17;
            shuffled.swap(i, (state % (i as u64 + 1)) as usize);
        }
        prop_assert_eq!(decide(&base, policy, &kinds), decide(&base, policy, &shuffled));
    }

    #[test]
    fn next_is_greater_exactly_when_something_bumps(
        base in version(), policy in policy(), kinds in prop::collection::vec(kind(), 0..20)
    ) {
        let decision = decide(&base, policy, &kinds);
        let bumps = kinds.iter().any(|k| *k >= Kind::Fix);
        prop_assert_eq!(decision.next.is_some(), bumps);
        if let Some(next) = decision.next {
            prop_assert!(next > base);
        }
    }

    #[test]
    fn before_1_0_commit_text_never_yields_1_0_0(
        minor in 0u64..50, patch in 0u64..50, policy in policy(), kinds in prop::collection::vec(kind(), 0..20)
    ) {
        let base = Version::new(0, minor, patch);
        if let Some(next) = decide(&base, policy, &kinds).next {
            prop_assert_eq!(next.major, 0);
        }
    }

    #[test]
    fn a_bump_zeroes_the_lower_parts(base in version(), pre in "[a-z]{1,5}") {
        let mut with_pre = base.clone();
        with_pre.pre = semver::Prerelease::new(&pre).unwrap();
        for level in [Level::Patch, Level::Minor, Level::Major] {
            let next = decide::bump(&with_pre, level);
            prop_assert!(next.pre.is_empty() && next.build.is_empty());
            match level {
                Level::Major => prop_assert_eq!((next.minor, next.patch), (0, 0)),
                Level::Minor => prop_assert_eq!(next.patch, 0),
                _ => {}
            }
            prop_assert_eq!(decide::distance(&base, &next), level);
        }
    }

    #[test]
    fn parsing_and_classifying_any_message_never_panics(
        message in any::<String>(), trailer in any::<(String, String)>(), author in any::<String>()
    ) {
        let raw = RawCommit::new("ab".repeat(20), message).with_trailers(vec![trailer]).with_author(author);
        let classified = classify::classify_all(vec![message::parse(raw)], &Rules::default());
        prop_assert_eq!(classified.len(), 1);
    }

    #[test]
    fn tag_parsing_never_panics(name in any::<String>(), prefix in "[a-z-]{0,4}") {
        let _ = tag::parse_tag(&name, &prefix);
    }

    #[test]
    fn the_base_is_the_highest_reachable_stable_version(
        tags in prop::collection::vec((version(), any::<bool>(), any::<bool>(), any::<bool>()), 0..30)
    ) {
        // (version, v style, is a pre-release, reachable)
        let names: Vec<(String, bool, bool)> = tags
            .iter()
            .map(|(v, style, pre, reachable)| {
                let name = format!("{}{v}{}", if *style { "v" } else { "" }, if *pre { "-rc.1" } else { "" });
                (name, *pre, *reachable)
            })
            .collect();
        let selection = tag::select_base(names.iter().map(|(n, _, _)| n.clone()), "", |name| {
            let reachable = names.iter().any(|(n, _, r)| n == name && *r);
            Ok::<_, ()>(if reachable { Reach::Reachable(name.to_string()) } else { Reach::Unreachable })
        }).unwrap();
        let expected = tags.iter().filter(|(_, _, pre, r)| !pre && *r).map(|(v, ..)| v.clone()).max();
        prop_assert_eq!(selection.base.map(|b| b.tag.version), expected);
    }
}

proptest! {
    #[test]
    fn prepend_keeps_any_existing_content_byte_for_byte(existing in any::<String>()) {
        let section = "## [99.0.0-property] - 2026-01-01\n\n- entry\n";
        let result = bumpwise::notes::markdown::prepend(&existing, section, false).expect("no such version in the file");
        prop_assert!(result.len() > existing.len());
        let kept = (0..=existing.len())
            .filter(|k| existing.is_char_boundary(*k))
            .any(|k| result.starts_with(&existing[..k]) && result.ends_with(&existing[k..]));
        prop_assert!(kept, "the old content is not intact around the insertion");
    }

    #[test]
    fn escaped_commit_text_is_inert(text in any::<String>()) {
        let escaped = bumpwise::notes::markdown::escape(&text);
        let live = escaped.contains(['{', '}', '\n', '\r']) || escaped.chars().any(char::is_control);
        prop_assert!(!live, "a brace, line break or control character survived in {:?}", escaped);
        let bytes = escaped.as_bytes();
        let mut outside = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            // Escaped by an odd run of backslashes before it.
            let run = bytes[..i].iter().rev().take_while(|c| **c == b'\\').count();
            if b == b'`' && run % 2 == 0 {
                // A code span the author wrote: closed, and nothing in it a pipe or backslash.
                let close = bytes[i + 1..].iter().position(|c| *c == b'`');
                prop_assert!(close.is_some(), "an unclosed backtick at {} in {:?}", i, escaped);
                let span = &bytes[i + 1..i + 1 + close.unwrap()];
                prop_assert!(!span.is_empty() && !span.contains(&b'|') && !span.contains(&b'\\'), "{:?}", escaped);
                i += close.unwrap() + 2;
                continue;
            }
            if matches!(b, b'[' | b']' | b'|') {
                prop_assert!(run % 2 == 1, "unescaped {} at {} in {:?}", b as char, i, escaped);
            }
            outside.push(b);
            i += 1;
        }
        // Outside code spans, no angle bracket (inside one, `<` is shown as it is).
        prop_assert!(!outside.contains(&b'<') && !outside.contains(&b'>'), "{:?}", escaped);
    }
}

proptest! {
    #[test]
    fn release_notes_never_carry_live_template_or_html_from_commit_text(
        subject in "(feat|fix|deprecate|docs)(\\([a-z{}<>]{0,5}\\))?!?: .{0,60}",
        body in ".{0,80}",
        footer in "[{}%#<>\\[\\]!()a-z ]{0,40}",
    ) {
        let message = format!("{subject}\n\n{body}\n\nBREAKING CHANGE: {footer}\nDeprecated: {footer}\nReplacement: {footer}");
        let raw = RawCommit::new("ab".repeat(20), message);
        let classified = classify::classify_all(vec![message::parse(raw)], &Rules::default());
        let commits: Vec<_> = classified.into_iter().map(|c| bumpwise::report::for_display(c, 1000)).collect();
        let links = bumpwise::notes::links::Links { commit: None, issue: None };
        let release = bumpwise::notes::changelog::release(&commits, Default::default(), true, (&links, &Default::default()));
        let notes = bumpwise::notes::markdown::release(&release);
        // Code spans show what they hold as text: only what lies outside them could be live.
        // A backslash escapes the character after it (`\\` is a backslash, and
        // the backtick after it opens a span).
        let mut unescaped = String::new();
        let mut chars = notes.chars();
        while let Some(c) = chars.next() {
            match c {
                '\\' => {
                    chars.next();
                }
                c => unescaped.push(c),
            }
        }
        let outside: String = unescaped.split('`').step_by(2).collect::<Vec<_>>().join(" ");
        for live in ["{{", "{%", "{#"] {
            prop_assert!(!notes.contains(live), "{:?} in {:?}", live, notes);
        }
        for live in ["<", "!["] {
            prop_assert!(!outside.contains(live), "{:?} in {:?}", live, notes);
        }
        // `](` makes a link only when its bracket is not escaped (an odd run of backslashes before it).
        for (at, _) in notes.match_indices("](") {
            let run = notes[..at].chars().rev().take_while(|c| *c == '\\').count();
            prop_assert!(run % 2 == 1, "a live link at {} in {:?}", at, notes);
        }
    }
}

/// Go declarations to build files from: each exports something.
const GO_DECLS: [&str; 8] = [
    "func Load(path string, retries int) (*Config, error) { return nil, nil }",
    "type Config struct {\n\tPath string\n\tRetries int\n\tcache map[string][]byte\n}",
    "func (c *Config) Validate(strict bool) error { return nil }",
    "type Handler interface {\n\tOnReady() error\n\tOnStop(ctx context.Context)\n}",
    "const (\n\tDefault = 3\n\tMax int = 10\n)",
    "var ErrClosed = errors.New(\"closed\")",
    "type Mode int",
    "func Each[T any](items []T, f func(T) bool) {}",
];

/// Rust items to build files from: each is `pub`.
const RUST_ITEMS: [&str; 8] = [
    "pub fn parse(input: &str, strict: bool) -> Result<u32, String> { Ok(0) }",
    "pub struct Options {\n    pub depth: u32,\n    secret: bool,\n}",
    "impl Options {\n    pub fn new() -> Self { todo!() }\n}",
    "pub enum Format { Toml, Yaml(u8), Json { pretty: bool } }",
    "pub trait Source {\n    fn read(&mut self) -> Vec<u8>;\n    fn name(&self) -> &str { \"x\" }\n}",
    "pub const LIMIT: usize = 10;",
    "pub type Map<V> = std::collections::BTreeMap<String, V>;",
    "pub use crate::inner::{Thing, other as renamed};",
];

/// Reformats code the way a formatter or a hurried human might: more or
/// fewer spaces and line breaks between tokens, never inside them.
fn reformat(code: &str, wide: bool) -> String {
    let mut out = String::new();
    for ch in code.chars() {
        match ch {
            ' ' if wide => out.push_str("   "),
            ',' if wide => out.push_str(" ,\n\t"),
            '(' | '{' if wide => {
                out.push(ch);
                out.push(' ');
            }
            _ => out.push(ch),
        }
    }
    out
}

proptest! {
    #[test]
    fn a_go_surface_ignores_order_and_formatting(
        order in Just((0..GO_DECLS.len()).collect::<Vec<_>>()).prop_shuffle(),
        wide in any::<bool>(),
    ) {
        use bumpwise::evidence::api::{Language, compare, go};
        let file = |decls: &mut dyn Iterator<Item = String>| {
            let body: Vec<String> = decls.collect();
            format!("package cfg\n\n{}\n", body.join("\n\n"))
        };
        let plain = go::parse(file(&mut GO_DECLS.iter().map(|d| d.to_string())).as_bytes()).unwrap();
        let moved = file(&mut order.iter().map(|&i| reformat(GO_DECLS[i], wide)));
        let moved = go::parse(moved.as_bytes()).unwrap();
        prop_assert!(!plain.items.is_empty());
        prop_assert_eq!(compare(&plain.items, &plain.items, Language::Go), vec![]);
        prop_assert_eq!(compare(&plain.items, &moved.items, Language::Go), vec![]);
    }

    #[test]
    fn a_rust_surface_ignores_order_and_formatting(
        order in Just((0..RUST_ITEMS.len()).collect::<Vec<_>>()).prop_shuffle(),
        wide in any::<bool>(),
    ) {
        use bumpwise::evidence::api::{Language, compare, rust};
        let plain = rust::parse(RUST_ITEMS.join("\n\n").as_bytes()).unwrap();
        let moved: Vec<String> = order.iter().map(|&i| reformat(RUST_ITEMS[i], wide)).collect();
        let moved = rust::parse(moved.join("\n").as_bytes()).unwrap();
        prop_assert!(!plain.items.is_empty());
        prop_assert_eq!(compare(&plain.items, &plain.items, Language::Rust), vec![]);
        prop_assert_eq!(compare(&plain.items, &moved.items, Language::Rust), vec![]);
        let mut impls = moved.impls.clone();
        impls.sort();
        let mut expected = plain.impls.clone();
        expected.sort();
        prop_assert_eq!(impls, expected);
    }

    /// Whatever bytes a file holds, the extractors answer (often with nothing), never panic.
    #[test]
    fn the_extractors_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let _ = bumpwise::evidence::api::go::parse(&bytes);
        let _ = bumpwise::evidence::api::rust::parse(&bytes);
    }
}

/// A commit for [`bumpwise::version::deciding`]: its kind by its message,
/// whether it counts, whether its paths cannot change it, and what they make of it.
fn standing() -> impl Strategy<Value = (Kind, bool, bool, Kind)> {
    (kind(), any::<bool>(), any::<bool>(), kind()).prop_map(|(kind, live, firm, by_paths)| {
        // Paths lower a commit, or raise what said nothing (or no impact) to a
        // patch; they never touch an explicit break or deprecation.
        let read = if firm {
            kind
        } else {
            by_paths.min(kind.max(Kind::Fix))
        };
        (kind, live, firm, read)
    })
}

proptest! {
    #[test]
    fn reading_paths_only_where_they_decide_gives_the_top_kind_of_reading_all(
        commits in prop::collection::vec(standing(), 0..16)
    ) {
        use bumpwise::version::deciding::{next_to_read, Standing};
        let mut now: Vec<Standing> = commits
            .iter()
            .map(|&(kind, live, firm, _)| Standing { kind, live, read: false, firm })
            .collect();
        let mut reads = 0;
        while let Some(i) = next_to_read(&now) {
            prop_assert!(now[i].live && !now[i].read, "only a live, unread commit is read");
            now[i] = Standing { kind: commits[i].3, read: true, firm: true, ..now[i] };
            reads += 1;
            prop_assert!(reads <= commits.len(), "each commit is read at most once");
        }
        let top = |kinds: &mut dyn Iterator<Item = Kind>| kinds.max().unwrap_or(Kind::Unclassified);
        let early = top(&mut now.iter().filter(|c| c.live).map(|c| c.kind));
        let all = top(&mut commits.iter().filter(|c| c.1).map(|c| c.3));
        // What no rule reads counts as nothing, as no impact does.
        let counts = |k: Kind| k.max(Kind::None);
        prop_assert_eq!(counts(early), counts(all));
    }
}
