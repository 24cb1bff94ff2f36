//! One function per command: which stages run, which renderer writes, and
//! the exit code of each outcome (the ripgrep shape: one small function per mode).

use std::io::{self, Write};
use std::path::PathBuf;

use clap::CommandFactory;

use super::args::*;
use super::options;
use crate::classify::{Kind, Override};
use crate::error::{Error, Result, exit};
use crate::evidence::message::short_id;
use crate::history::NOTES_REF;
use crate::notes::changelog::{self, Heading};
use crate::notes::deprecations::{self, Change};
use crate::notes::markdown;
use crate::pipeline::{self, Options, PlanActions, PlanLocations, Session, Span};
use crate::report::{Report, json};
use crate::{fsio, render};

/// `next`: the tag to create, the reason on stderr; exit 3 when there is nothing to release.
pub fn next(cli: &Cli, args: &DecideArgs, out: &mut dyn Write, err: &mut dyn Write) -> Result<u8> {
    if args.all_packages {
        return all_packages(cli, args, true, out, err);
    }
    let mut options = options(cli, &args.version)?;
    // Text prints the version alone: paths are read only where they can change it.
    options.version_only = args.format == Format::Text;
    // The process ends after this command: leave the session (the repository and
    // what it read) and the report to the operating system rather than free a long
    // range's records one by one (a few percent of a big run).
    let session = std::mem::ManuallyDrop::new(Session::open(&options)?);
    let report = std::mem::ManuallyDrop::new(session.report()?);
    session.ensure_new_tag(&report)?;
    for warning in &report.warnings {
        emit(writeln!(err, "warning: {warning}"))?;
    }
    if let Some(hint) = session.policy_hint(&report)? {
        emit(writeln!(err, "hint: {hint}"))?;
    }
    match args.format {
        Format::Text => emit(render::next_text(&report, out))?,
        _ => decision_out(&session, &report, args.format, out)?,
    }
    if report.decision.release {
        if args.format == Format::Text {
            emit(render::next_reason(&report, err))?;
        }
        if let Some(basis) = &report.decision.confidence_basis {
            emit(writeln!(
                err,
                "confidence {:.2}: {}",
                basis.confidence, basis.words
            ))?;
        }
        // The gate closes only where a minimum was asked for (`confident` measures 0.9 otherwise).
        let gated = session.config().min_confidence.is_some();
        if let Some(gate) = render::low_confidence(&report).filter(|_| gated) {
            emit(writeln!(err, "{gate}"))?;
            return Ok(exit::LOW_CONFIDENCE);
        }
        Ok(exit::SUCCESS)
    } else {
        emit(writeln!(err, "{}", nothing_to_release(&report)))?;
        Ok(exit::NOTHING_TO_RELEASE)
    }
}

/// `explain`: the whole report, as a table, JSON or GitHub outputs; always exit 0.
pub fn explain(cli: &Cli, args: &ExplainArgs, out: &mut dyn Write) -> Result<u8> {
    let (api, args) = (args.api, &args.decide);
    if args.all_packages {
        return all_packages(cli, args, false, out, &mut io::sink());
    }
    // As `next`: the session and the report are left to the operating system.
    let session = std::mem::ManuallyDrop::new(Session::open(&options(cli, &args.version)?)?);
    let report = std::mem::ManuallyDrop::new(session.report()?);
    match args.format {
        Format::Text => emit(render::explain_text(&report, api, out))?,
        _ => decision_out(&session, &report, args.format, out)?,
    }
    Ok(exit::SUCCESS)
}

/// The report as JSON, or as GitHub outputs with the release notes.
fn decision_out(
    session: &Session,
    report: &Report,
    format: Format,
    out: &mut dyn Write,
) -> Result<()> {
    if format == Format::Json {
        return emit(render::json(report, out));
    }
    if format == Format::Dotenv {
        return emit(render::dotenv(&render::github_outputs(report, None), out));
    }
    let decision = &report.decision;
    let today = if decision.release {
        today()?
    } else {
        String::new()
    };
    let heading = Heading::proposed(
        decision.next_version.clone(),
        decision.next_tag.clone(),
        &today,
    );
    let notes = markdown::release(&changelog::release(
        &report.commits,
        heading,
        false,
        (&session.links(), &session.config().changelog.sections),
    ));
    let pairs = render::github_outputs(report, Some(&notes));
    github_out(&pairs, render::next_summary(report, &notes), out)?;
    // The runner shows these as annotations (outputs went to $GITHUB_OUTPUT when it is set).
    for warning in &report.warnings {
        emit(out.write_all(render::annotation("warning", warning).as_bytes()))?;
    }
    Ok(())
}

/// `check`: every check of the tag; exit 4 when one fails.
pub fn check(cli: &Cli, args: &CheckArgs, out: &mut dyn Write, err: &mut dyn Write) -> Result<u8> {
    let session = Session::open(&options(cli, &args.version)?)?;
    let Some(result) = session.check(tag_arg(args.tag.as_deref())?, args.strict)? else {
        emit(writeln!(
            err,
            "nothing to release: no tag to check; give one, e.g. `bumpwise check v1.2.3`"
        ))?;
        return Ok(exit::NOTHING_TO_RELEASE);
    };
    match args.format {
        Format::Text => emit(render::check_text(&result, out))?,
        Format::Json => emit(render::json::pretty(&result, out))?,
        Format::Dotenv => emit(render::dotenv(&render::check_outputs(&result), out))?,
        Format::Github => {
            github_out(
                &render::check_outputs(&result),
                render::check_summary(&result),
                out,
            )?;
            for f in &result.findings {
                let level = match f.status {
                    crate::release::check::Status::Pass => continue,
                    crate::release::check::Status::Warn => "warning",
                    crate::release::check::Status::Fail => "error",
                };
                let text = format!("{} {}: {}", result.tag, f.check, f.detail);
                emit(out.write_all(render::annotation(level, &text).as_bytes()))?;
            }
        }
    }
    Ok(if result.passed {
        exit::SUCCESS
    } else {
        exit::CHECK_FAILED
    })
}

/// The template the notes are rendered with: `--template`, else
/// `[changelog] template` (a path in the repository); read whole, parsed.
fn notes_template(
    session: &Session,
    args: &ChangelogArgs,
) -> Result<Option<(String, crate::notes::template::Template)>> {
    let path = match (&args.template, &session.config().changelog.template) {
        (Some(path), _) => path.clone(),
        (None, Some(path)) => {
            let root = pipeline::workdir(session);
            let path = root.map_or_else(|| PathBuf::from(path), |root| root.join(path));
            // A path the repository names is read only inside it.
            if let Some(root) = root.filter(|root| path.exists() && !fsio::within(&path, root)) {
                return Err(Error::usage(format!(
                    "[changelog] template {}: leaves the repository {}; bumpwise reads templates the configuration names only inside it (give --template PATH to read another file)",
                    path.display(),
                    root.display()
                )));
            }
            path
        }
        (None, None) => return Ok(None),
    };
    if args.format == NotesFormat::Json {
        return Err(Error::usage(
            "a template renders Markdown; drop --format json or the template",
        ));
    }
    let name = path.display().to_string();
    let Some(text) = fsio::read_if_exists(&path)? else {
        return Err(Error::usage(format!(
            "template {name}: no such file; give the path of a Tera template or a cliff.toml"
        )));
    };
    let template =
        crate::notes::template::Template::parse(&name, &text).map_err(|e| Error::usage(e.0))?;
    Ok(Some((name, template)))
}

/// `bumpwise backtest`: every past release replayed.
pub fn backtest(cli: &Cli, args: &BacktestArgs, out: &mut dyn Write) -> Result<u8> {
    let options = crate::pipeline::Options {
        repo: cli.repo.clone(),
        config_file: cli.config.clone(),
        overrides: super::layer(&args.settings),
        package: args.settings.package.clone(),
        // Each range is judged as `next` in text judges one.
        version_only: true,
        ..Default::default()
    };
    let session = Session::open(&options)?;
    let span = crate::pipeline::backtest::BacktestSpan {
        last: args.last,
        since: args.since.clone(),
    };
    let report = session.backtest(&span)?;
    match args.format {
        ReportFormat::Text => emit(render::backtest_text(&report, out))?,
        ReportFormat::Json => emit(render::json::pretty(&report, out))?,
    }
    Ok(exit::SUCCESS)
}

/// `config`: the effective configuration as TOML.
pub fn config(cli: &Cli, args: &ConfigArgs, out: &mut dyn Write) -> Result<u8> {
    let session = Session::open(&options(cli, &args.version)?)?;
    emit(out.write_all(crate::config::to_toml(session.config()).as_bytes()))?;
    Ok(exit::SUCCESS)
}

/// `init`: a commented `bumpwise.toml`, never over an existing one.
pub fn init(cli: &Cli, args: &InitArgs, err: &mut dyn Write) -> Result<u8> {
    let path = pipeline::init(&cli.repo, cli.config.as_deref(), args.from_history)?;
    emit(writeln!(err, "wrote {}", path.display()))?;
    Ok(exit::SUCCESS)
}

/// `completions`: the completion script for `shell`.
pub fn completions(shell: clap_complete::Shell, out: &mut dyn Write) -> Result<u8> {
    // clap_complete panics on a failed write: generate into memory, then write as everything else does.
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "bumpwise", &mut script);
    emit(out.write_all(&script))?;
    Ok(exit::SUCCESS)
}

/// `man`: the man page.
pub fn man(out: &mut dyn Write) -> Result<u8> {
    emit(clap_mangen::Man::new(Cli::command()).render(out))?;
    Ok(exit::SUCCESS)
}

/// `plan`: the release guide as a checklist.
pub fn plan(cli: &Cli, args: &PlanArgs, out: &mut dyn Write, err: &mut dyn Write) -> Result<u8> {
    let session = Session::open(&options(cli, &args.version)?)?;
    let locations = PlanLocations {
        docs_dir: args.docs_dir.clone(),
        mkdocs: args.mkdocs.clone(),
        images: args.images.clone(),
    };
    let actions = PlanActions {
        write_images: args.write,
        fix_nav: args.fix,
        run_tests: args.run_tests,
    };
    let tag = tag_arg(args.tag.as_deref())?;
    let Some(plan) = session.plan(tag, &locations, actions, &today()?)? else {
        emit(writeln!(
            err,
            "nothing to release: no tag to plan; give one, e.g. `bumpwise plan v1.2.3`"
        ))?;
        return Ok(exit::NOTHING_TO_RELEASE);
    };
    emit(match args.format {
        PlanFormat::Text => render::plan_text(&plan, out),
        PlanFormat::Markdown => render::plan_markdown(&plan, out),
        PlanFormat::Json => render::json::pretty(&plan, out),
    })?;
    if plan.tests_failed {
        emit(writeln!(
            err,
            "the tests failed (see the Tests step): fix them before tagging"
        ))?;
        return Ok(exit::CHECK_FAILED);
    }
    Ok(exit::SUCCESS)
}

/// `mark`: a correction in the commit's git note.
pub fn mark(cli: &Cli, args: &MarkArgs, out: &mut dyn Write, err: &mut dyn Write) -> Result<u8> {
    let change = Override {
        kind: args.kind.map(|k| match k {
            KindArg::Breaking => Kind::Breaking,
            KindArg::Feature => Kind::Feature,
            KindArg::Fix => Kind::Fix,
            KindArg::None => Kind::None,
        }),
        breaking: args.breaking.clone(),
        deprecated: args.deprecated.clone(),
        replacement: args.replacement.clone(),
        migration: args.migration.clone(),
        exclude: (args.exclude || args.include).then_some(args.exclude),
    };
    let (commit, note) = pipeline::mark(&cli.repo, &args.commit, change, args.clear.as_deref())?;
    if note.is_empty() {
        emit(writeln!(
            err,
            "removed the note on {} from {NOTES_REF}; share it with `git push origin {NOTES_REF}`",
            short_id(&commit),
        ))?;
        return Ok(exit::SUCCESS);
    }
    emit(write!(out, "{}", crate::config::note_text(&note)))?;
    emit(writeln!(
        err,
        "marked {} in {NOTES_REF}; share it with `git push origin {NOTES_REF}`",
        short_id(&commit),
    ))?;
    Ok(exit::SUCCESS)
}

/// A tag given to `check` or `plan`: only the characters a release tag has
/// (those of a tag prefix and a version), so no output that repeats it (a
/// dotenv line, a suggested command) can be split or run.
fn tag_arg(tag: Option<&str>) -> Result<Option<&str>> {
    match tag {
        Some(t) if t.is_empty() || !crate::version::tag::is_safe_prefix(t) => {
            Err(Error::usage(format!(
                "{t:?} cannot be a release tag: use letters, digits and . _ / @ + - (e.g. v1.2.3)"
            )))
        }
        _ => Ok(tag),
    }
}

/// `deprecations`: the draft, or docs pages with `--docs-dir`.
pub fn deprecations(
    cli: &Cli,
    args: &DeprecationsArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<u8> {
    let session = Session::open(&options(cli, &args.version)?)?;
    let report = session.report()?;
    for warning in &report.warnings {
        emit(writeln!(err, "warning: {warning}"))?;
    }
    let items = deprecations::items(&report);
    if let Some(dir) = &args.docs_dir {
        let root = pipeline::workdir(&session);
        for change in deprecations::write_docs(dir, &items, root)? {
            let line = match change {
                Change::PageWritten { path } => format!("wrote {}", path.display()),
                Change::PageKept { path } => format!(
                    "kept {} (it exists; bumpwise never overwrites a page)",
                    path.display()
                ),
                Change::RowAdded { slug } => {
                    format!("added {slug} to {}", dir.join("index.md").display())
                }
                Change::RowKept { slug } => {
                    format!("{} already lists {slug}", dir.join("index.md").display())
                }
            };
            emit(writeln!(err, "{line}"))?;
        }
        return Ok(exit::SUCCESS);
    }
    emit(match args.format {
        NotesFormat::Markdown => out.write_all(deprecations::draft(&items).as_bytes()),
        NotesFormat::Json => {
            let doc = serde_json::json!({ "schema_version": json::DEPRECATIONS_SCHEMA, "deprecations": items });
            render::json::pretty(&doc, out)
        }
    })?;
    Ok(exit::SUCCESS)
}

/// `changelog`: release notes, to stdout or a file (whole or not at all).
pub fn changelog(
    cli: &Cli,
    args: &ChangelogArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<u8> {
    if args.print_template {
        emit(out.write_all(crate::notes::template::DEFAULT.as_bytes()))?;
        return Ok(exit::SUCCESS);
    }
    if args.prepend && args.format == NotesFormat::Json {
        return Err(Error::usage(
            "--prepend inserts Markdown; drop --format json or --prepend",
        ));
    }
    let today = match &args.date {
        Some(date) if is_date(date) => date.clone(),
        Some(date) => {
            return Err(Error::usage(format!(
                "--date `{date}` is not a date; give a real day as YYYY-MM-DD"
            )));
        }
        None => today()?,
    };
    let span = if args.all {
        Span::All
    } else if args.latest {
        Span::Latest
    } else if args.from.is_some() || args.to.is_some() {
        Span::Between {
            from: args.from.clone(),
            to: args.to.clone(),
        }
    } else {
        Span::Unreleased
    };
    let session = Session::open(&options(cli, &args.version)?)?;
    let notes = session.changelog(&span, args.include_other, &today)?;
    for warning in &notes.warnings {
        emit(writeln!(err, "warning: {warning}"))?;
    }
    let template = notes_template(&session, args)?;
    let text = match args.format {
        NotesFormat::Markdown if template.is_some() => {
            let (name, template) = template.unwrap_or_else(|| unreachable!("matched"));
            template
                .render(&name, &notes, &session.links())
                .map_err(|e| Error::usage(e.0))?
        }
        NotesFormat::Markdown if args.no_heading => notes
            .releases
            .iter()
            .map(markdown::body)
            .collect::<Vec<_>>()
            .join("\n"),
        NotesFormat::Markdown => markdown::changelog(&notes),
        NotesFormat::Json => serde_json::to_string_pretty(&notes)
            .map(|j| j + "\n")
            .map_err(|e| Error::io(e.to_string()))?,
    };
    let Some(path) = &args.output else {
        emit(out.write_all(text.as_bytes()))?;
        let sections = notes.releases.iter().flat_map(|r| &r.sections);
        let records = sections.map(|s| s.entries.len()).sum();
        crate::pipeline::parallel::drop_elsewhere((notes, text), records);
        return Ok(exit::SUCCESS);
    };
    if args.prepend {
        // Read, insert and write under a lock: two runs at once must not lose a section.
        return fsio::with_lock(&fsio::lock_for(path), || {
            prepend_to(path, &notes, text, args)?;
            emit(writeln!(err, "wrote {}", path.display()))?;
            Ok(exit::SUCCESS)
        });
    }
    let content = if path.exists() && !args.force {
        return Err(Error::usage(format!(
            "{} exists; pass --prepend to add to it, or --force to overwrite it",
            path.display()
        )));
    } else {
        text
    };
    fsio::write_atomic(path, content.as_bytes())?;
    emit(writeln!(err, "wrote {}", path.display()))?;
    Ok(exit::SUCCESS)
}

/// `--prepend`: the new section inserted into `path` (created when missing), written whole.
fn prepend_to(
    path: &std::path::Path,
    notes: &crate::notes::changelog::Changelog,
    text: String,
    args: &ChangelogArgs,
) -> Result<()> {
    let content = {
        let existing = fsio::read_if_exists(path)?.unwrap_or_else(|| NEW_CHANGELOG.to_string());
        // The new section's heading in the style the file's releases already have.
        let text = match args.format {
            NotesFormat::Markdown if !args.no_heading => {
                markdown::changelog_in(notes, markdown::HeadingStyle::of(&existing))
            }
            _ => text,
        };
        markdown::prepend(&existing, &text, args.replace).map_err(
            |markdown::PrependError::Exists(version)| {
                Error::usage(format!(
                    "{} already has a section for {version}; pass --replace to regenerate it",
                    path.display()
                ))
            },
        )?
    };
    fsio::write_atomic(path, content.as_bytes())
}

/// What a changelog created by `--prepend` starts with.
const NEW_CHANGELOG: &str =
    "# Changelog\n\nAll notable changes to this project are documented in this file.\n";

/// Whether `text` is a real day written `YYYY-MM-DD` (`2026-02-30` is not).
fn is_date(text: &str) -> bool {
    let b = text.as_bytes();
    let shaped = b.len() == 10
        && b.iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        });
    if !shaped {
        return false;
    }
    let number = |range: std::ops::Range<usize>| text[range].parse::<u32>().unwrap_or(0);
    let (year, month, day) = (number(0..4), number(5..7), number(8..10));
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => 0,
    };
    (1..=days).contains(&day)
}

/// Today's date (UTC), or the date of `$SOURCE_DATE_EPOCH` when it is set, for reproducible output.
///
/// # Errors
///
/// A usage error when `SOURCE_DATE_EPOCH` is set but is not a number of seconds.
fn today() -> Result<String> {
    let pinned = match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(text) if !text.trim().is_empty() => Some(text.trim().parse::<i64>().map_err(|_| {
            Error::usage(format!(
                "SOURCE_DATE_EPOCH `{text}` is not a number of seconds since 1970; unset it or give e.g. 1767312000"
            ))
        })?),
        _ => None,
    };
    // A date a changelog heading can carry: 1970-01-01 to 9999-12-31.
    const LAST: i64 = 253_402_300_799;
    if let Some(seconds) = pinned.filter(|s| !(0..=LAST).contains(s)) {
        return Err(Error::usage(format!(
            "SOURCE_DATE_EPOCH `{seconds}` is not a date between 1970 and 9999; unset it or give e.g. 1767312000"
        )));
    }
    let now = pinned.unwrap_or_else(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
    });
    Ok(changelog::civil_date(now))
}

/// `next` or `explain` for every package of a monorepo.
fn all_packages(
    cli: &Cli,
    args: &DecideArgs,
    is_next: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<u8> {
    let base = options(cli, &args.version)?;
    let names: Vec<String> = Session::open(&base)?
        .config()
        .packages
        .iter()
        .map(|p| p.name.clone())
        .collect();
    if names.is_empty() {
        return Err(Error::config(
            "--all-packages: bumpwise.toml declares no [[packages]]",
        ));
    }
    if matches!(args.format, Format::Github | Format::Dotenv) {
        return Err(Error::usage(
            "--format github and --format dotenv name one release: use --package NAME",
        ));
    }
    let mut reports = Vec::new();
    for name in names {
        let session = Session::open(&Options {
            package: Some(name),
            ..base.clone()
        })?;
        let report = session.report()?;
        if is_next {
            session.ensure_new_tag(&report)?;
        }
        reports.push(report);
    }
    match args.format {
        Format::Json => {
            let doc =
                serde_json::json!({ "schema_version": json::REPORT_SCHEMA, "packages": reports });
            emit(render::json::pretty(&doc, out))?;
        }
        Format::Text if is_next => {
            for report in &reports {
                let name = report.package.as_deref().unwrap_or_default();
                let tag = report
                    .decision
                    .next_tag
                    .as_deref()
                    .unwrap_or("(nothing to release)");
                emit(writeln!(out, "{name} {tag}"))?;
            }
        }
        _ => {
            for report in &reports {
                emit(writeln!(
                    out,
                    "Package {}",
                    report.package.as_deref().unwrap_or_default()
                ))?;
                emit(render::explain_text(report, false, out))?;
            }
        }
    }
    if is_next && reports.iter().all(|r| !r.decision.release) {
        emit(writeln!(err, "nothing to release in any package"))?;
        return Ok(exit::NOTHING_TO_RELEASE);
    }
    Ok(exit::SUCCESS)
}

/// Writes GitHub outputs to the file `$GITHUB_OUTPUT` names when it is set
/// (stdout otherwise), and `summary` to `$GITHUB_STEP_SUMMARY` when that is set.
fn github_out(pairs: &[(&str, String)], summary: String, out: &mut dyn Write) -> Result<()> {
    let mut lines = Vec::new();
    render::github(pairs, &mut lines).map_err(|e| Error::io(e.to_string()))?;
    let target = |name| {
        std::env::var_os(name)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    match target("GITHUB_OUTPUT") {
        Some(path) => fsio::append(&path, &lines)?,
        None => emit(out.write_all(&lines))?,
    }
    if let Some(path) = target("GITHUB_STEP_SUMMARY") {
        fsio::append(&path, summary.as_bytes())?;
    }
    Ok(())
}

fn nothing_to_release(report: &Report) -> String {
    let since = report.base.as_ref().map_or("the start", |b| b.tag.as_str());
    let n = report.summary.total;
    let anyway = report
        .decision
        .anyway_tag
        .as_deref()
        .map(|tag| format!("; a release made anyway would be {tag}"))
        .unwrap_or_default();
    format!(
        "nothing to release: {n} commit{} since {since}, none with release impact{anyway}",
        if n == 1 { "" } else { "s" }
    )
}

/// A closed pipe (`bumpwise next | head -0`) is not a failure; anything else is.
fn emit(result: io::Result<()>) -> Result<()> {
    match result {
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => {
            Err(Error::io(format!("cannot write output: {e}")))
        }
        _ => Ok(()),
    }
}
