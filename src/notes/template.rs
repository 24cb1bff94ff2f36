//! Release notes through a template: Tera, the engine git-cliff uses, so
//! templates people already have keep working.
//!
//! The context per release is a superset of git-cliff's: `version` (the tag,
//! or the version), `previous.version`, `timestamp`, `commits` (each with
//! `id`, `message`, `group`, `scope`, `breaking`, `breaking_description`,
//! `conventional`, `author.name`, and bumpwise's `kind`, `section`, `short_id`,
//! `links.commit`, `commit_link`, `detail`), and bumpwise's own `heading`, `date`,
//! `sections`, `last` (the oldest release rendered). git-cliff's `upper_first` filter and a `date` filter are
//! provided. A `cliff.toml` gives its `[changelog]` `header`, `body`, `footer`
//! and `trim`. Commit text reaches the template escaped ([`super::markdown::escape`]),
//! so it stays inert data; templates cannot read files or the environment
//! (no loader, and `get_env` refuses), and `range` gives at most 100,000 items.

use std::collections::HashMap;

use serde::Serialize;
use tera::{Context, Tera, Value};

use super::changelog::{Changelog, Entry, Release, Section, SectionKind, civil_date, unix_time};
use super::links::Links;
use super::markdown::{commit_link, escape, heading, linked_text};

/// The notes `bumpwise changelog` writes when no template is given, as a
/// template (`changelog --print-template`): rendering it gives the same bytes.
pub const DEFAULT: &str = include_str!("default.tera");

/// A parsed template: git-cliff's header, body (per release) and footer.
pub struct Template {
    tera: Tera,
    /// Each part's source (`body`, and `header`, `footer` when given), to
    /// say on which line a rendering error lies.
    sources: Vec<(&'static str, String)>,
}

/// Why a template cannot be used: one line naming the file, where, and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateError(pub String);

impl Template {
    /// Parses `text`, read from `name`: a `cliff.toml` (a `.toml` name, or
    /// TOML with a `[changelog]` table), else the body itself.
    ///
    /// # Errors
    ///
    /// A [`TemplateError`] naming `name`, the line and the problem.
    pub fn parse(name: &str, text: &str) -> Result<Template, TemplateError> {
        let doc = toml::from_str::<toml::Table>(text);
        let cliff =
            name.ends_with(".toml") || doc.as_ref().is_ok_and(|d| d.contains_key("changelog"));
        let (body, header, footer, trim) = if cliff {
            let doc = doc.map_err(|e| {
                TemplateError(format!(
                    "{name}: not a cliff.toml: {}",
                    one_line(&e.to_string())
                ))
            })?;
            let section = doc
                .get("changelog")
                .and_then(|c| c.as_table())
                .ok_or_else(|| {
                    TemplateError(format!("{name}: no [changelog] table with a `body`"))
                })?;
            let get = |key: &str| {
                section
                    .get(key)
                    .and_then(|v| v.as_str())
                    .map(str::to_string)
            };
            let body = get("body").ok_or_else(|| {
                TemplateError(format!("{name}: [changelog] has no `body` template"))
            })?;
            let trim = section
                .get("trim")
                .and_then(|v| v.as_bool())
                .unwrap_or(false);
            (body, get("header"), get("footer"), trim)
        } else {
            (text.to_string(), None, None, false)
        };
        // As git-cliff reads them: with `trim`, every line of the templates trimmed.
        let trimmed = |t: String| match trim {
            true => t.lines().map(str::trim).collect::<Vec<_>>().join("\n"),
            false => t,
        };
        let (body, header, footer) = (trimmed(body), header.map(trimmed), footer.map(trimmed));
        let mut tera = Tera::default();
        tera.autoescape_on(Vec::new());
        tera.register_filter("upper_first", upper_first);
        tera.register_filter("date", date);
        tera.register_function("get_env", |_: &HashMap<String, Value>| {
            Err(tera::Error::msg("templates cannot read the environment"))
        });
        tera.register_function("range", range);
        let sources: Vec<(&'static str, String)> =
            [("body", Some(body)), ("header", header), ("footer", footer)]
                .into_iter()
                .filter_map(|(part, source)| Some((part, source?)))
                .collect();
        for (part, source) in &sources {
            tera.add_raw_template(part, source)
                .map_err(|e| TemplateError(format!("{name}: {part}: {}", describe(&e, source))))?;
        }
        Ok(Template { tera, sources })
    }

    /// Whether the template has `part` (`header`, `footer`).
    fn has(&self, part: &str) -> bool {
        self.sources.iter().any(|(p, _)| *p == part)
    }

    /// The notes of every release of `notes` (newest first): the header,
    /// each release's body, the footer.
    ///
    /// # Errors
    ///
    /// A [`TemplateError`] when rendering fails (an unknown variable or filter).
    pub fn render(
        &self,
        name: &str,
        notes: &Changelog,
        links: &Links,
    ) -> Result<String, TemplateError> {
        let count = notes.releases.len();
        let needs = Needs::of(&self.sources);
        let make = |i: usize| {
            let older = notes.releases.get(i + 1);
            context(&notes.releases[i], older, i + 1 == count, needs)
        };
        let fail = |part: &str, e: tera::Error| {
            let source = self
                .sources
                .iter()
                .find(|(p, _)| *p == part)
                .map_or("", |(_, s)| s);
            TemplateError(format!("{name}: {part}: {}", describe(&e, source)))
        };
        let remote = remote(links);
        // Each body sees its own release and the remote; the bodies are
        // built and rendered on every core, and come back in order.
        let body = |i: usize| -> Result<String, TemplateError> {
            let mut ctx = Context::from_value(make(i)).map_err(|e| fail("context", e))?;
            ctx.insert("remote", &remote);
            self.tera.render("body", &ctx).map_err(|e| fail("body", e))
        };
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(4));
        let chunk = count.div_ceil(threads).max(1);
        let bodies = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..count)
                .step_by(chunk)
                .map(|start| {
                    let body = &body;
                    scope.spawn(move || {
                        (start..(start + chunk).min(count))
                            .map(body)
                            .collect::<Result<Vec<String>, TemplateError>>()
                    })
                })
                .collect();
            let mut all = Vec::with_capacity(count);
            for handle in handles {
                let part = handle
                    .join()
                    .map_err(|_| TemplateError(format!("{name}: rendering failed unexpectedly")))?;
                all.extend(part?);
            }
            Ok::<_, TemplateError>(all)
        })?;
        // The header and footer see the newest release and every release, as
        // git-cliff's do: one context, built only when one of them is there.
        let mut whole = None;
        if self.has("header") || self.has("footer") {
            let releases: Vec<Value> = (0..count).map(make).collect();
            let mut ctx = match releases.first() {
                Some(r) => Context::from_value(r.clone()).map_err(|e| fail("context", e))?,
                None => Context::new(),
            };
            ctx.insert("remote", &remote);
            ctx.insert("releases", &releases);
            whole = Some(ctx);
        }
        let around = |part: &str| -> Result<String, TemplateError> {
            match (&whole, self.has(part)) {
                (Some(ctx), true) => self.tera.render(part, ctx).map_err(|e| fail(part, e)),
                _ => Ok(String::new()),
            }
        };
        let mut out = around("header")?;
        out.extend(bodies);
        out.push_str(&around("footer")?);
        Ok(out)
    }
}

/// Which of a commit's fields the template names (the context holds only
/// those: building every field of every commit costs more than the rest of a
/// long `--all`). A name counts wherever it appears as a word, in a string
/// literal too (`entry["scope"]`), so what a template can reach is there; one
/// that prints whole objects (`json_encode`, `__tera_context`) gets every field.
#[derive(Debug, Clone, Copy)]
struct Needs {
    sections: bool,
    commits: bool,
    id: bool,
    message: bool,
    group: bool,
    section: bool,
    kind: bool,
    author: bool,
    line: bool,
    short_id: bool,
    commit_link: bool,
    scope: bool,
    breaking: bool,
    breaking_description: bool,
    conventional: bool,
    detail: bool,
    links: bool,
}

impl Needs {
    fn of(sources: &[(&'static str, String)]) -> Needs {
        // A name as an identifier: not inside a longer one (`short_id` is not `id`).
        let named = |word: &str| {
            sources.iter().any(|(_, s)| {
                s.match_indices(word).any(|(at, _)| {
                    let ident = |c: char| c.is_alphanumeric() || c == '_';
                    !s[..at].chars().next_back().is_some_and(ident)
                        && !s[at + word.len()..].chars().next().is_some_and(ident)
                })
            })
        };
        // A template that prints whole objects needs every field of them.
        let whole = named("json_encode") || named("__tera_context");
        let named = |word: &str| whole || named(word);
        Needs {
            sections: named("sections"),
            commits: named("commits"),
            id: named("id"),
            message: named("message"),
            group: named("group"),
            section: named("section"),
            kind: named("kind"),
            author: named("author"),
            line: named("line"),
            short_id: named("short_id"),
            commit_link: named("commit_link"),
            scope: named("scope"),
            breaking: named("breaking"),
            breaking_description: named("breaking_description"),
            conventional: named("conventional"),
            detail: named("detail"),
            links: named("links"),
        }
    }
}

#[derive(Serialize)]
struct Remote {
    github: Option<Repository>,
}

#[derive(Serialize)]
struct Repository {
    owner: String,
    repo: String,
}

/// The GitHub repository the commit links point at, for git-cliff's `remote.github`.
fn remote(links: &Links) -> Remote {
    let github = links.commit("x").and_then(|url| {
        let rest = url.strip_prefix("https://github.com/")?;
        let mut parts = rest.split('/');
        Some(Repository {
            owner: parts.next()?.to_string(),
            repo: parts.next()?.to_string(),
        })
    });
    Remote { github }
}

/// A JSON object of `fields` (what the template sees as a map).
fn object<const N: usize>(fields: [(&str, Value); N]) -> Value {
    Value::Object(
        fields
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect(),
    )
}

/// A text, or null.
fn text_or_null(text: Option<String>) -> Value {
    text.map_or(Value::Null, Value::String)
}

/// A release's context; `older` is the release before it in the list. Only
/// the lists and fields the template names are filled ([`Needs`]). Built as
/// the template's values directly: each commit's text is copied once.
fn context(release: &Release, older: Option<&Release>, last: bool, needs: Needs) -> Value {
    let name = |r: &Release| {
        r.heading
            .tag
            .clone()
            .or_else(|| r.heading.version.as_ref().map(ToString::to_string))
    };
    let sections: Vec<Value> = release
        .sections
        .iter()
        .filter(|_| needs.sections)
        .map(|s| {
            object([
                ("title", Value::String(escape(&s.title))),
                ("key", Value::from(s.kind.key())),
                (
                    "entries",
                    Value::Array(s.entries.iter().map(|e| commit(s, e, needs)).collect()),
                ),
            ])
        })
        .collect();
    let commits: Vec<Value> = release
        .sections
        .iter()
        .filter(|_| needs.commits)
        .flat_map(|s| s.entries.iter().map(move |e| commit(s, e, needs)))
        .collect();
    let previous = release.previous.clone().or_else(|| older.and_then(name));
    object([
        ("version", text_or_null(name(release))),
        ("previous", object([("version", text_or_null(previous))])),
        (
            "timestamp",
            release
                .heading
                .date
                .as_deref()
                .and_then(unix_time)
                .map_or(Value::Null, Value::from),
        ),
        ("date", text_or_null(release.heading.date.clone())),
        ("heading", Value::String(heading(release))),
        ("commits", Value::Array(commits)),
        ("sections", Value::Array(sections)),
        ("last", Value::Bool(last)),
    ])
}

/// One commit's context: git-cliff's fields and bumpwise's, each only when
/// the template names it (200k commits' unused fields cost more than the rest
/// of the rendering).
fn commit(s: &Section, e: &Entry, needs: Needs) -> Value {
    let breaking = s.kind == SectionKind::Breaking;
    let mut fields = tera::Map::new();
    let mut put = |key: &str, value: Value| {
        fields.insert(key.to_string(), value);
    };
    if needs.id {
        put("id", Value::String(e.commit.clone()));
    }
    if needs.short_id {
        put(
            "short_id",
            Value::from(crate::evidence::message::short_id(&e.commit)),
        );
    }
    if needs.commit_link {
        put("commit_link", Value::String(commit_link(e)));
    }
    if needs.message {
        put("message", Value::String(escape(&e.text)));
    }
    if needs.group {
        put("group", Value::String(escape(&s.title)));
    }
    if needs.section {
        put("section", Value::from(s.kind.key()));
    }
    if needs.kind {
        put("kind", Value::from(kind_of(s.kind)));
    }
    if needs.scope {
        put("scope", text_or_null(e.scope.as_deref().map(escape)));
    }
    if needs.breaking {
        put("breaking", Value::Bool(breaking));
    }
    if needs.breaking_description {
        let description = breaking.then(|| escape(e.detail.as_deref().unwrap_or(&e.text)));
        put("breaking_description", text_or_null(description));
    }
    if needs.conventional {
        put("conventional", Value::Bool(e.conventional));
    }
    if needs.detail {
        put("detail", text_or_null(e.detail.as_deref().map(escape)));
    }
    if needs.author {
        put(
            "author",
            object([("name", Value::String(escape(&e.author)))]),
        );
    }
    if needs.links {
        let url = text_or_null(e.commit_url.clone());
        put("links", object([("commit", url)]));
    }
    if needs.line {
        put("line", Value::String(linked_text(e)));
    }
    Value::Object(fields)
}

/// The kind a section holds, as `explain` names kinds.
fn kind_of(section: SectionKind) -> &'static str {
    match section {
        SectionKind::Breaking => "breaking",
        SectionKind::Deprecations | SectionKind::Features => "feature",
        SectionKind::Other => "none",
        SectionKind::Unclassified => "unclassified",
        _ => "fix",
    }
}

/// The most items `range` gives: a template cannot loop without end.
const RANGE_LIMIT: i64 = 100_000;

/// Tera's `range(start=0, end, step_by=1)`, of at most [`RANGE_LIMIT`] items.
fn range(args: &HashMap<String, Value>) -> tera::Result<Value> {
    let number = |key: &str, default: Option<i64>| match args.get(key) {
        Some(v) => v
            .as_i64()
            .ok_or_else(|| tera::Error::msg(format!("range: `{key}` is a whole number"))),
        None => default.ok_or_else(|| tera::Error::msg("range needs `end`")),
    };
    let (start, end, step) = (
        number("start", Some(0))?,
        number("end", None)?,
        number("step_by", Some(1))?,
    );
    if step <= 0 {
        return Err(tera::Error::msg("range: `step_by` is above 0"));
    }
    let count = (end.saturating_sub(start)).max(0) / step;
    if count > RANGE_LIMIT {
        return Err(tera::Error::msg(format!(
            "range: at most {RANGE_LIMIT} items"
        )));
    }
    Ok(Value::Array(
        (start..end)
            .step_by(step as usize)
            .map(Value::from)
            .collect(),
    ))
}

/// git-cliff's `upper_first`: the first letter upper-cased.
fn upper_first(value: &Value, _: &HashMap<String, Value>) -> tera::Result<Value> {
    let text = tera::try_get_value!("upper_first", "value", String, value);
    let mut chars = text.chars();
    Ok(Value::String(match chars.next() {
        Some(first) => first.to_uppercase().collect::<String>() + chars.as_str(),
        None => String::new(),
    }))
}

/// `date(format="%Y-%m-%d")` of a timestamp (seconds) or a `YYYY-MM-DD`
/// string: `%Y`, `%m`, `%d`, `%F`, `%H`, `%M`, `%S` and `%%`.
fn date(value: &Value, args: &HashMap<String, Value>) -> tera::Result<Value> {
    let seconds = match value {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => unix_time(s),
        _ => None,
    }
    .ok_or_else(|| tera::Error::msg("the date filter takes a timestamp or a YYYY-MM-DD date"))?;
    let format = match args.get("format") {
        Some(Value::String(f)) => f.clone(),
        _ => "%Y-%m-%d".to_string(),
    };
    let (days, secs) = (seconds.div_euclid(86_400), seconds.rem_euclid(86_400));
    let civil = civil_date(days * 86_400);
    let (y, rest) = civil.split_once('-').unwrap_or(("", ""));
    let (m, d) = rest.split_once('-').unwrap_or(("", ""));
    let mut out = String::new();
    let mut chars = format.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('Y') => out.push_str(y),
            Some('m') => out.push_str(m),
            Some('d') => out.push_str(d),
            Some('F') => out.push_str(&civil),
            Some('H') => out.push_str(&format!("{:02}", secs / 3600)),
            Some('M') => out.push_str(&format!("{:02}", secs / 60 % 60)),
            Some('S') => out.push_str(&format!("{:02}", secs % 60)),
            Some('%') => out.push('%'),
            Some(other) => {
                return Err(tera::Error::msg(format!(
                    "the date filter knows %Y %m %d %F %H %M %S and %%, not %{other}"
                )));
            }
            None => out.push('%'),
        }
    }
    Ok(Value::String(out))
}

/// A Tera error on one line, with the line of `source` it is on: Tera's
/// position for a parse error (`--> 3:5`), else the first line naming what
/// was not found (an unknown filter, variable or function).
fn describe(error: &tera::Error, source: &str) -> String {
    let mut parts = vec![error.to_string()];
    let mut cause = std::error::Error::source(error);
    while let Some(c) = cause {
        parts.push(c.to_string());
        cause = c.source();
    }
    let text = parts.join(": ");
    if let Some(at) = text.find("--> ") {
        let position: String = text[at + 4..]
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == ':')
            .collect();
        let problem = text.rsplit("= ").next().unwrap_or("");
        if let Some((line, column)) = position.split_once(':') {
            return format!("line {line}, column {column}: {}", one_line(problem));
        }
    }
    let named = text
        .split(['\'', '`'])
        .skip(1)
        .step_by(2)
        .find(|n| !n.is_empty() && !matches!(*n, "body" | "header" | "footer"));
    let line = named.and_then(|n| source.lines().position(|l| l.contains(n)));
    let last = parts.last().map_or("", String::as_str);
    match line {
        Some(i) => format!("line {}: {}", i + 1, one_line(last)),
        None => one_line(last),
    }
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
