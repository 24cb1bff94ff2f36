//! Hostile and broken inputs: each gives a clear one-line error with its exit
//! code, or correct output; never a panic, never a hang.

#[cfg(unix)]
use crate::action::run_next_step;
use crate::fixture::{Repo, git, plain_dir};
use crate::json::explain;

/// Runs bumpwise and checks the outcome is one of the documented ones, with no panic.
fn outcome(repo: &Repo, args: &[&str]) -> (i32, String, String) {
    let output = repo.bumpwise().args(args).output().unwrap();
    let code = output.status.code().expect("exited, not killed");
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "{args:?} panicked: {stderr}");
    assert!(
        [0, 1, 2, 3, 4, 5, 6].contains(&code),
        "{args:?} exited {code}: {stderr}"
    );
    if code != 0 && code != 3 && code != 4 {
        assert_eq!(
            stderr.lines().filter(|l| l.starts_with("error: ")).count(),
            1,
            "one error line: {stderr}"
        );
    }
    (
        code,
        String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr,
    )
}

#[test]
fn a_tag_pointing_at_another_tag_counts() {
    let mut repo = Repo::new();
    repo.commit("a").annotated("v1.0.0", "release");
    {
        let inner = repo.git.revparse_single("v1.0.0").unwrap();
        let sig = git2::Signature::now("t", "t@example.com").unwrap();
        repo.git
            .tag("v1.1.0", &inner, &sig, "a tag of a tag", false)
            .unwrap();
    }
    repo.commit("fix: x");
    assert_eq!(explain(&repo, &[]).base.unwrap().tag, "v1.1.0");
}

#[test]
fn ten_thousand_tags_on_one_commit() {
    let mut repo = Repo::new();
    repo.commit("a");
    {
        let head = repo.git.find_object(repo.head(), None).unwrap();
        for i in 0..10_000 {
            repo.git
                .tag_lightweight(&format!("v1.{}.{}", i / 100, i % 100), &head, false)
                .unwrap();
        }
    }
    repo.commit("feat: x");
    let report = explain(&repo, &[]);
    assert_eq!(report.base.unwrap().tag, "v1.99.99");
    assert_eq!(report.tags_read, 10_000);
    assert_eq!(report.decision.next_version.as_deref(), Some("1.100.0"));
}

#[test]
fn almost_semver_tag_names_are_skipped_with_a_reason() {
    let mut repo = Repo::new();
    repo.commit("a").tag("v1.0.0");
    for name in [
        "v1.2",
        "1.2.3.4",
        "v01.2.3",
        "v1.2.3-",
        "V1.2.3",
        "v99999999999999999999.0.0",
        "v1.2.3+",
        "vv2.0.0",
    ] {
        repo.tag(name);
    }
    repo.commit("fix: x");
    let report = explain(&repo, &[]);
    assert_eq!(report.base.as_ref().unwrap().tag, "v1.0.0");
    assert_eq!(report.skipped_tags.len(), 8, "{:?}", report.skipped_tags);
}

#[test]
fn odd_messages_are_classified_not_fatal() {
    let mut repo = Repo::new();
    repo.commit("a").tag("v1.0.0");
    repo.commit("")
        .commit("   \n\t\n")
        .commit("fix: crlf\r\n\r\nBREAKING CHANGE: windows line ends\r\n");
    let long = format!("feat: long\n\n{}", "x".repeat(10 * 1024 * 1024));
    repo.commit(&long);
    let report = explain(&repo, &[]);
    assert_eq!(report.commits.len(), 4);
    assert!(report.commits.iter().any(|c| c.subject.is_empty()));
    let crlf = report.commit("fix: crlf");
    assert_eq!(crlf.kind, "breaking");
    assert_eq!(report.commit("feat: long").kind, "feature");
    let (code, _, _) = outcome(&repo, &["changelog", "--all"]);
    assert_eq!(code, 0);
}

/// Writes a commit object by hand on top of HEAD (git2's API refuses some of these messages).
fn raw_commit(repo: &Repo, headers: &str, message: &[u8]) {
    let tree = repo.git.find_commit(repo.head()).unwrap().tree_id();
    let mut bytes = format!(
        "tree {tree}\nparent {}\nauthor A <a@example.com> 1700000000 +0000\ncommitter A <a@example.com> 1700000000 +0000\n{headers}\n",
        repo.head()
    )
    .into_bytes();
    bytes.extend_from_slice(message);
    let oid = repo
        .git
        .odb()
        .unwrap()
        .write(git2::ObjectType::Commit, &bytes)
        .unwrap();
    repo.git
        .reference("refs/heads/main", oid, true, "hand-written commit")
        .unwrap();
}

#[test]
fn a_message_with_a_nul_byte_or_in_latin_1_is_decoded_not_mangled() {
    let mut repo = Repo::new();
    repo.commit("a").tag("v1.0.0");
    raw_commit(&repo, "", b"fix: nul \0 inside\n");
    // `encoding ISO-8859-1` and a Latin-1 byte: 0xE9 is an e with an acute accent.
    raw_commit(&repo, "encoding ISO-8859-1\n", b"fix: caf\xE9\n");
    let report = explain(&repo, &[]);
    assert_eq!(report.commits.len(), 2, "{:?}", report.commits);
    assert!(
        report.commits.iter().any(|c| c.subject == "fix: caf\u{e9}"),
        "{:?}",
        report.commits
    );
    assert!(
        report.commits.iter().all(|c| c.kind == "fix"),
        "{:?}",
        report.commits
    );
}

#[test]
fn a_missing_object_on_the_walk_is_a_repository_error() {
    let mut repo = Repo::new();
    repo.commit("a")
        .tag("v1.0.0")
        .commit("fix: b")
        .commit("fix: c");
    // Delete the loose object of the middle commit.
    let middle = repo.git.revparse_single("HEAD~1").unwrap().id().to_string();
    std::fs::remove_file(
        repo.path()
            .join(".git/objects")
            .join(&middle[..2])
            .join(&middle[2..]),
    )
    .unwrap();
    let (code, _, stderr) = outcome(&repo, &["next"]);
    assert_eq!(code, 5, "{stderr}");
    assert!(
        stderr.contains(&middle[..7]) || stderr.contains("cannot read commit"),
        "{stderr}"
    );
}

#[test]
fn a_corrupt_pack_is_a_repository_error() {
    let mut repo = Repo::new();
    repo.commit("a")
        .tag("v1.0.0")
        .commits(&["fix: b", "fix: c"]);
    git(repo.path(), &["repack", "-a", "-d", "-q"]);
    git(repo.path(), &["prune-packed"]);
    let pack = std::fs::read_dir(repo.path().join(".git/objects/pack"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "pack"))
        .unwrap();
    let mut bytes = std::fs::read(&pack).unwrap();
    let len = bytes.len();
    for b in &mut bytes[len / 2..len - 20] {
        *b = 0;
    }
    std::fs::write(&pack, bytes).unwrap();
    let (code, _, _) = outcome(&repo, &["next"]);
    assert_eq!(code, 5);
}

#[test]
fn an_output_path_under_a_file_is_a_clear_error() {
    let mut repo = Repo::new();
    repo.commit("a").tag("v1.0.0").commit("fix: b");
    repo.write("notes", "a file, not a directory\n");
    let (code, _, stderr) = outcome(&repo, &["changelog", "--output", "notes/out.md"]);
    assert_eq!(code, 1, "{stderr}");
}

#[test]
fn a_config_with_a_wrong_type_names_the_key() {
    let mut repo = Repo::new();
    repo.commit("a").tag("v1.0.0").commit("fix: b");
    repo.write("bumpwise.toml", "first_parent = \"yes\"\n");
    let (code, _, stderr) = outcome(&repo, &["next"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("line 1") && stderr.contains("invalid type"),
        "{stderr}"
    );
}

#[test]
fn a_linked_worktree_and_a_bare_clone_read_the_same() {
    let mut repo = Repo::new();
    repo.commit("a").tag("v1.0.0").commit("feat: b");
    let dir = plain_dir();
    let bare = dir.path().join("bare.git");
    git(
        dir.path(),
        &[
            "clone",
            "-q",
            "--bare",
            repo.path().to_str().unwrap(),
            bare.to_str().unwrap(),
        ],
    );
    let output = crate::fixture::bumpwise()
        .args(["--repo", bare.to_str().unwrap(), "next"])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&output.stdout), "v1.1.0\n");
}

#[test]
#[cfg(unix)]
fn writes_refuse_a_symbolic_link() {
    let mut repo = Repo::new();
    repo.commit("a").tag("v1.0.0").commit("fix: b");
    let outside = plain_dir();
    let target = outside.path().join("elsewhere.md");
    std::fs::write(&target, "# Somebody else's file\n").unwrap();
    std::os::unix::fs::symlink(&target, repo.path().join("CHANGELOG.md")).unwrap();
    let (code, _, stderr) = outcome(
        &repo,
        &["changelog", "--output", "CHANGELOG.md", "--prepend"],
    );
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("is a symbolic link"), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(&target).unwrap(),
        "# Somebody else's file\n"
    );
    assert!(
        std::fs::symlink_metadata(repo.path().join("CHANGELOG.md"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
}

#[test]
fn concurrent_marks_lose_no_note() {
    let mut repo = Repo::new();
    repo.commit("a").tag("v1.0.0");
    let mut ids = Vec::new();
    for i in 0..8 {
        repo.commit(&format!("change {i}"));
        ids.push(repo.head().to_string());
    }
    let bin = snapbox::cmd::cargo_bin!("bumpwise");
    let children: Vec<_> = ids
        .iter()
        .map(|id| {
            std::process::Command::new(bin)
                .current_dir(repo.path())
                .args(["mark", id, "--kind", "fix"])
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in children {
        let output = child.wait_with_output().unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let report = explain(&repo, &[]);
    let overridden = report
        .commits
        .iter()
        .filter(|c| c.rule_text == "override (git note)")
        .count();
    assert_eq!(overridden, 8, "every concurrent mark kept its note");
}

#[test]
fn a_very_long_subject_is_cut_for_display_with_a_note() {
    let mut repo = Repo::new();
    repo.commit("a").tag("v1.0.0");
    let subject = format!("feat: {}", "y".repeat(2_000_000));
    repo.commit(&subject);
    let report = explain(&repo, &[]);
    let commit = &report.commits[0];
    assert_eq!(
        commit.kind, "feature",
        "classification read the whole message"
    );
    assert!(commit.subject.len() < 1_100, "{}", commit.subject.len());
    assert!(
        commit
            .subject
            .ends_with(" … [1999006 more characters not shown]"),
        "{}",
        &commit.subject[990..]
    );
    repo.write("bumpwise.toml", "max_subject_chars = 40\n");
    let short = explain(&repo, &[]);
    assert_eq!(
        short.commits[0].subject,
        format!(
            "feat: {} … [1999966 more characters not shown]",
            "y".repeat(34)
        )
    );
    let notes = repo.bumpwise().arg("changelog").output().unwrap();
    assert!(String::from_utf8_lossy(&notes.stdout).len() < 300);
}

#[test]
#[cfg(unix)]
fn files_bumpwise_creates_get_the_mode_the_umask_gives() {
    use std::os::unix::fs::PermissionsExt;
    let mut repo = Repo::new();
    repo.commit("feat: first").tag("v0.1.0").commit("fix: mend");
    let bin = snapbox::cmd::cargo_bin!("bumpwise");
    for (umask, mode) in [("022", 0o644), ("077", 0o600)] {
        let name = format!("notes-{umask}.md");
        let status = std::process::Command::new("sh")
            .arg("-c")
            .arg(format!(
                "umask {umask}; exec \"$0\" changelog --output {name}"
            ))
            .arg(bin)
            .current_dir(repo.path())
            .status()
            .unwrap();
        assert!(status.success());
        let meta = std::fs::metadata(repo.path().join(&name)).unwrap();
        assert_eq!(meta.permissions().mode() & 0o777, mode, "umask {umask}");
    }
}

#[test]
fn a_tag_prefix_a_shell_would_run_is_never_a_release_prefix() {
    // Release tags behind a prefix that holds shell syntax: the prefix is not
    // adopted, and nothing bumpwise writes for a shell or a runner holds it.
    let mut repo = Repo::new();
    repo.commit("feat: first")
        .tag("$(touch${IFS}/tmp/x)`id`-v1.0.0")
        .commit("fix: mend");
    let (code, stdout, _) = outcome(&repo, &["next", "--format", "dotenv"]);
    assert_eq!(code, 0);
    assert!(!stdout.contains("$(") && !stdout.contains('`'), "{stdout}");
    // Given on purpose, such a prefix is refused, newlines included.
    for prefix in ["$(id)-", "a\nb", "-v"] {
        let flag = format!("--tag-prefix={prefix}");
        let (code, _, stderr) = outcome(&repo, &["next", &flag]);
        assert_eq!(code, 2, "{prefix:?}: {stderr}");
        assert!(stderr.contains("tag prefix"), "{stderr}");
    }
    repo.write("bumpwise.toml", "tag_prefix = \"$(id)\"\n");
    assert_eq!(outcome(&repo, &["next"]).0, 2);
}

#[test]
fn dotenv_values_are_quoted_where_a_shell_would_read_them() {
    let mut repo = Repo::new();
    repo.commit("feat: first").tag("v1.0.0").commit("fix: mend");
    let stdout = repo.stdout_of(&["next", "--format", "dotenv"]);
    assert!(stdout.contains("BUMPWISE_TAG=v1.0.1\n"), "{stdout}");
    for line in stdout.lines() {
        let (_, value) = line.split_once('=').unwrap();
        let plain = value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._/@+:,=-".contains(c));
        let quoted = value.starts_with('\'') && value.ends_with('\'');
        assert!(plain || quoted, "{line}");
    }
}

#[test]
fn a_source_date_epoch_no_heading_can_carry_is_refused() {
    let mut repo = Repo::new();
    repo.commit("feat: first").tag("v1.0.0").commit("fix: mend");
    for epoch in ["-99999999999", "253402300800"] {
        let output = repo
            .bumpwise()
            .arg("changelog")
            .env("SOURCE_DATE_EPOCH", epoch)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{epoch}");
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert!(stderr.contains("between 1970 and 9999"), "{stderr}");
    }
    let output = repo
        .bumpwise()
        .arg("changelog")
        .env("SOURCE_DATE_EPOCH", "253402300799")
        .output()
        .unwrap();
    assert!(
        String::from_utf8(output.stdout)
            .unwrap()
            .contains("9999-12-31")
    );
}

#[test]
fn types_and_keywords_that_would_match_nothing_or_everything_are_refused() {
    let mut repo = Repo::new();
    repo.commit("feat: first").tag("v1.0.0").commit("fix: mend");
    for (config, says) in [
        ("[types]\n\"\" = \"fix\"\n", "is not a conventional type"),
        (
            "[types]\n\"fix!\" = \"breaking\"\n",
            "is not a conventional type",
        ),
        (
            "[keywords]\nfix = [\"repair\", \"\"]\n",
            "keywords.fix: an empty keyword",
        ),
    ] {
        repo.write("bumpwise.toml", config);
        let (code, _, stderr) = outcome(&repo, &["next"]);
        assert_eq!(code, 2, "{config}");
        assert!(stderr.contains(says), "{stderr}");
    }
}

#[test]
fn terminal_and_runner_control_text_from_commits_is_made_inert() {
    let mut repo = Repo::new();
    repo.commit("feat: first")
        .tag("v1.0.0")
        .commit("Tinker \u{1b}]8;;https://evil.example\u{7}click\u{1b}[31m\n\n::add-mask::secret");
    repo.commit("##[add-mask]token and ::error::nope");
    for args in [
        &["next"][..],
        &["explain"],
        &["changelog"],
        &["check", "v1.0.1"],
    ] {
        let output = repo.bumpwise().args(args).output().unwrap();
        for stream in [&output.stdout, &output.stderr] {
            let text = String::from_utf8_lossy(stream);
            assert!(
                !text.contains('\u{1b}') && !text.contains('\u{7}'),
                "{args:?}: {text}"
            );
            assert!(!text.contains("##["), "{args:?}: {text}");
            assert!(
                !text
                    .lines()
                    .any(|l| l.trim_start().starts_with("::") && !l.starts_with(' ')),
                "{args:?}: {text}"
            );
        }
    }
}

#[test]
fn two_prepends_at_once_keep_both_sections() {
    let mut repo = Repo::new();
    repo.commit("feat: first")
        .tag("v1.0.0")
        .commit("feat: second")
        .tag("v1.1.0")
        .commit("fix: third")
        .tag("v1.1.1");
    let bin = snapbox::cmd::cargo_bin!("bumpwise");
    for round in 0..5 {
        let file = repo.path().join(format!("CHANGELOG-{round}.md"));
        std::fs::write(&file, "# Changelog\n").unwrap();
        let spawn = |from: &str, to: &str| {
            std::process::Command::new(bin)
                .current_dir(repo.path())
                .args([
                    "changelog",
                    "--from",
                    from,
                    "--to",
                    to,
                    "--prepend",
                    "--output",
                ])
                .arg(&file)
                .stderr(std::process::Stdio::null())
                .spawn()
                .unwrap()
        };
        let (mut a, mut b) = (spawn("v1.0.0", "v1.1.0"), spawn("v1.1.0", "v1.1.1"));
        assert!(a.wait().unwrap().success() && b.wait().unwrap().success());
        let text = std::fs::read_to_string(&file).unwrap();
        assert!(
            text.contains("1.1.0") && text.contains("1.1.1"),
            "round {round}: {text}"
        );
        assert!(
            !repo
                .path()
                .join(format!(".CHANGELOG-{round}.md.bumpwise-lock"))
                .exists()
        );
    }
}

#[test]
#[cfg(unix)]
fn work_tree_files_that_are_links_out_devices_or_fifos_are_refused_at_once() {
    let mut repo = Repo::new();
    repo.commit("feat: first").tag("v1.0.0").commit("fix: mend");
    // A committed bumpwise.toml pointing at /dev/zero: refused, never read.
    std::os::unix::fs::symlink("/dev/zero", repo.path().join("bumpwise.toml")).unwrap();
    let output = repo
        .bumpwise()
        .arg("next")
        .timeout(std::time::Duration::from_secs(20))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("leaves the repository"), "{stderr}");
    std::fs::remove_file(repo.path().join("bumpwise.toml")).unwrap();
    // A FIFO where the changelog is: refused at once, not waited on.
    let fifo = repo.path().join("CHANGELOG.md");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let output = repo
        .bumpwise()
        .args(["changelog", "--prepend", "--output", "CHANGELOG.md"])
        .timeout(std::time::Duration::from_secs(20))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("not a regular file"), "{stderr}");
}

#[test]
fn ten_thousand_nested_modules_are_skipped_as_too_deep_without_a_crash() {
    let levels = 10_000;
    let nested = "pub mod a { ".repeat(levels) + "pub fn f() {}" + &" }".repeat(levels) + "\n";
    let mut repo = Repo::new();
    repo.commit_files(
        "Initial import",
        &[
            (
                "Cargo.toml",
                Some("[package]\nname = \"deep\"\nversion = \"1.0.0\"\n"),
            ),
            ("src/lib.rs", Some("pub fn f() {}\n")),
        ],
    )
    .tag("v1.0.0")
    .commit_files("Nest the helpers", &[("src/lib.rs", Some(&nested))]);
    for args in [
        &["next"][..],
        &["explain", "--format", "json"],
        &["changelog"],
    ] {
        let (code, _, _) = outcome(&repo, args);
        assert_eq!(code, 0, "{args:?}");
    }
    // Nesting past the bound is not read: the crate is skipped, said so, and its
    // half-read surface is no evidence (no removal of `f`, no major).
    let report = explain(&repo, &[]);
    assert_eq!(report.decision.next_version.as_deref(), Some("1.0.1"));
    let notes = explain_within_a_minute(&repo)["api"]["notes"].to_string();
    assert!(
        notes.contains("src/lib.rs nests modules or `use` lists more than 32 deep, skipped"),
        "{notes}"
    );
}

#[test]
fn a_first_release_at_or_below_a_tagged_one_is_refused_with_the_reason() {
    let mut repo = Repo::new();
    repo.commit("feat: a").tag("v1.0.0").commit("fix: b");
    repo.write("bumpwise.toml", "exclude_reachable = [\"HEAD\"]\n");
    let (code, stdout, stderr) = outcome(&repo, &["next"]);
    assert_eq!((code, stdout.as_str()), (2, ""), "{stderr}");
    assert!(
        stderr.contains("would be a first release, but v1.0.0 is tagged")
            && stderr.contains("exclude_reachable"),
        "{stderr}"
    );
    // A person's version above it goes ahead.
    let (code, stdout, _) = outcome(&repo, &["next", "--release-as", "2.0.0"]);
    assert_eq!((code, stdout.as_str()), (0, "v2.0.0\n"));
}

#[test]
fn terminal_control_text_in_a_subject_never_reaches_the_notes_raw() {
    let mut repo = Repo::new();
    repo.commit("feat: a").tag("v1.0.0");
    repo.commit("fix: \u{1b}]0;pwned\u{7} title \u{9b}31m red");
    for args in [
        &["next", "--format", "github"][..],
        &["changelog"],
        &["changelog", "--format", "json"],
    ] {
        let (code, stdout, _) = outcome(&repo, args);
        assert_eq!(code, 0, "{args:?}");
        if args.contains(&"json") {
            continue; // JSON escapes them itself (`\u001b`), as data.
        }
        assert!(
            !stdout.chars().any(|c| c.is_control() && c != '\n'),
            "{args:?}: {stdout:?}"
        );
        assert!(
            stdout.contains("\u{FFFD}\\]0;pwned\u{FFFD} title"),
            "{stdout:?}"
        );
    }
}

#[test]
#[cfg(unix)]
fn a_write_past_the_file_size_limit_is_an_error_line_and_leaves_no_temporary_file() {
    let mut repo = Repo::new();
    repo.commit("feat: first").tag("v0.1.0");
    // Notes of a few kilobytes against a limit of one 512-byte block.
    for n in 0..60 {
        repo.commit(&format!(
            "fix: mend the retry loop of connection number {n} for good"
        ));
    }
    repo.write("CHANGELOG.md", "# Changelog\n");
    let bin = snapbox::cmd::cargo_bin!("bumpwise");
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg("ulimit -f 1; exec \"$0\" changelog --output CHANGELOG.md --prepend")
        .arg(bin)
        .current_dir(repo.path())
        .env("HOME", repo.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    // Killed by SIGXFSZ, there would be no exit code and no word.
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.starts_with("error: cannot write ") && stderr.contains("the old file is unchanged"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read_to_string(repo.path().join("CHANGELOG.md")).unwrap(),
        "# Changelog\n"
    );
    let left = temporaries(repo.path());
    assert!(left.is_empty(), "left behind: {left:?}");
}

/// bumpwise's temporary and lock files in `dir`.
#[cfg(unix)]
fn temporaries(dir: &std::path::Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".bumpwise-") || n.ends_with(".bumpwise-lock"))
        .collect()
}

/// SIGINT, SIGTERM or SIGHUP while a file is half made (the temporary file
/// written, not yet renamed, the `--prepend` lock held) removes both, keeps
/// the old file, and ends bumpwise as the signal would. Debug builds hold the
/// write open on `BUMPWISE_TEST_HOLD_WRITE`, so the signal lands there every time.
#[test]
#[cfg(unix)]
fn a_termination_signal_mid_write_leaves_no_temporary_or_lock_file() {
    use std::os::unix::process::ExitStatusExt;
    let mut repo = Repo::new();
    repo.commit("feat: first")
        .tag("v0.1.0")
        .commit("fix: mend the loop");
    repo.write("CHANGELOG.md", "# Changelog\n");
    for (signal, name) in [(15, "TERM"), (2, "INT"), (1, "HUP")] {
        let mut child = std::process::Command::new(snapbox::cmd::cargo_bin!("bumpwise"))
            .current_dir(repo.path())
            .env("HOME", repo.path())
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .args(["changelog", "--output", "CHANGELOG.md", "--prepend"])
            .env("BUMPWISE_TEST_HOLD_WRITE", "60")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        // The write is held for a minute once its temporary file is there.
        let start = std::time::Instant::now();
        while temporaries(repo.path()).len() < 2 {
            assert!(
                start.elapsed().as_secs() < 30,
                "no temporary file and lock appeared"
            );
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        let kill = std::process::Command::new("kill")
            .args([format!("-{name}"), child.id().to_string()])
            .status()
            .unwrap();
        assert!(kill.success());
        let status = child.wait().unwrap();
        assert!(
            start.elapsed().as_secs() < 30,
            "SIG{name} did not end the held write"
        );
        assert_eq!(status.signal(), Some(signal), "SIG{name}: {status:?}");
        assert_eq!(temporaries(repo.path()), Vec::<String>::new(), "SIG{name}");
        assert_eq!(
            std::fs::read_to_string(repo.path().join("CHANGELOG.md")).unwrap(),
            "# Changelog\n"
        );
    }
}

/// `explain --format json`, which must succeed within a minute.
fn explain_within_a_minute(repo: &Repo) -> serde_json::Value {
    let out = repo
        .bumpwise()
        .args(["explain", "--format", "json"])
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Every file under `dir`, as a sorted list of names relative to it.
#[cfg(unix)]
fn listing(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|d| {
            d.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

#[test]
#[cfg(unix)]
fn docs_dirs_with_a_link_out_of_the_repository_are_refused_before_anything_is_written() {
    let mut repo = Repo::new();
    repo.commit("a").tag("v1.0.0");
    repo.commit_files(
        "feat: new flag\n\nDeprecated: the old flag\nReplacement: the new flag",
        &[("docs/index.md", Some("# Docs\n"))],
    );
    let outside = plain_dir();
    std::fs::create_dir_all(repo.path().join("docs")).unwrap();
    // A committed link along the path (not its last component).
    std::os::unix::fs::symlink(outside.path(), repo.path().join("docs/deprecations")).unwrap();
    std::fs::create_dir(outside.path().join("sub")).unwrap();
    for args in [
        &["deprecations", "--docs-dir", "docs/deprecations"][..],
        &["deprecations", "--docs-dir", "docs/deprecations/sub"][..],
        &["deprecations", "--docs-dir", "docs/deprecations/not-yet"][..],
        &[
            "deprecations",
            "--docs-dir",
            "docs/./deprecations/../deprecations/sub/",
        ][..],
    ] {
        let (code, _, stderr) = outcome(&repo, args);
        assert_eq!(code, 2, "{stderr}");
        assert!(stderr.contains("a link along it leads to"), "{stderr}");
    }
    assert_eq!(listing(outside.path()), ["sub"]);
    assert!(listing(&outside.path().join("sub")).is_empty());
    // plan reads the pages and writes mkdocs.yml under its docs dir: the same rule.
    let (code, _, stderr) = outcome(&repo, &["plan", "--docs-dir", "docs/deprecations"]);
    assert_eq!(code, 2, "{stderr}");
    // The index a link elsewhere: refused before the page is written.
    std::fs::remove_file(repo.path().join("docs/deprecations")).unwrap();
    std::fs::create_dir(repo.path().join("docs/deprecations")).unwrap();
    let elsewhere = outside.path().join("sub/index.md");
    std::fs::write(&elsewhere, "# Deprecations\n").unwrap();
    std::os::unix::fs::symlink(&elsewhere, repo.path().join("docs/deprecations/index.md")).unwrap();
    let (code, _, stderr) = outcome(&repo, &["deprecations", "--docs-dir", "docs/deprecations"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("is a symbolic link"), "{stderr}");
    assert_eq!(
        listing(&repo.path().join("docs/deprecations")),
        ["index.md"]
    );
    assert_eq!(
        std::fs::read_to_string(&elsewhere).unwrap(),
        "# Deprecations\n"
    );
    // A docs directory the user names outside the repository (another checkout) is written.
    let other = plain_dir();
    let dir = other.path().to_str().unwrap();
    let (code, _, stderr) = outcome(&repo, &["deprecations", "--docs-dir", dir]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(listing(other.path()), ["index.md", "the-old-flag.md"]);
}

#[test]
#[cfg(unix)]
fn page_names_and_titles_that_look_like_yaml_never_become_nav_syntax() {
    let mut repo = Repo::new();
    repo.commit("a").tag("v1.0.0").commit("fix: mend");
    let mkdocs = "site_name: Docs\nnav:\n  - Home: index.md\n  - Upcoming:\n      - Overview: reference/upcoming/index.md\n";
    repo.write("mkdocs.yml", mkdocs);
    let upcoming = repo.path().join("docs/reference/upcoming");
    std::fs::create_dir_all(&upcoming).unwrap();
    for (name, text) in [
        ("index.md", "# Overview\n"),
        ("x: y.md", "# X\n"),
        ("b.md\n      - Evil: javascript:alert(1)\n#.md", "# B\n"),
        ("c.md", "<h1>Title\nsite_name: pwned</h1>\n"),
    ] {
        std::fs::write(upcoming.join(name), text).unwrap();
    }
    let (code, _, stderr) = outcome(&repo, &["plan", "--fix"]);
    assert_ne!(code, 2, "{stderr}");
    let fixed = std::fs::read_to_string(repo.path().join("mkdocs.yml")).unwrap();
    assert!(fixed.starts_with(mkdocs), "{fixed}");
    assert!(
        !fixed.lines().any(|l| l.trim_start().starts_with("- Evil")),
        "{fixed}"
    );
    assert!(
        !fixed.lines().any(|l| l.starts_with("site_name: pwned")),
        "{fixed}"
    );
    // Read back by bumpwise: YAML, and every page listed.
    let (code, stdout, stderr) = outcome(&repo, &["plan", "--format", "json"]);
    assert_ne!(code, 2, "{stderr}");
    assert!(!stdout.contains("pages without a nav entry"), "{stdout}");
}

#[test]
fn a_tag_to_check_or_plan_with_characters_no_release_tag_has_is_refused() {
    let mut repo = Repo::new();
    repo.commit("a").tag("v1.0.0").commit("fix: b");
    for tag in ["v1.0.1\nBUMPWISE_PASSED=true", "v1.0.1;id", "$(id)", ""] {
        for command in ["check", "plan"] {
            let (code, stdout, stderr) = outcome(&repo, &[command, tag, "--format", "json"]);
            assert_eq!(code, 2, "{command} {tag:?}: {stderr}");
            assert!(
                stdout.is_empty() && stderr.contains("cannot be a release tag"),
                "{stderr}"
            );
            assert_eq!(stderr.lines().count(), 1, "{stderr}");
        }
    }
    // A tag name a release has runs the check (pass or fail).
    let (code, stdout, stderr) = outcome(&repo, &["check", "v1.0.1", "--format", "json"]);
    assert!(
        matches!(code, 0 | 4) && stdout.contains("\"tag\": \"v1.0.1\""),
        "{stderr}"
    );
}

#[test]
fn a_deprecation_named_index_gets_a_page_of_its_own() {
    let mut repo = Repo::new();
    repo.commit("a").tag("v1.0.0");
    repo.commit("feat: new listing\n\nDeprecated: Index");
    let docs = plain_dir();
    let dir = docs.path().to_str().unwrap();
    let (code, _, stderr) = outcome(&repo, &["deprecations", "--docs-dir", dir]);
    assert_eq!(code, 0, "{stderr}");
    let index = std::fs::read_to_string(docs.path().join("index.md")).unwrap();
    assert!(
        docs.path().join("deprecated-index.md").is_file(),
        "{stderr}"
    );
    assert!(
        index.contains("deprecated-index.md") && !index.contains("(index.md)"),
        "{index}"
    );
}

#[test]
fn a_nav_that_is_not_a_list_is_an_error_not_an_empty_nav() {
    let mut repo = Repo::new();
    repo.commit("a").tag("v1.0.0").commit("fix: b");
    repo.write("mkdocs.yml", "site_name: X\nnav: 7\n");
    std::fs::create_dir_all(repo.path().join("docs/reference/upcoming")).unwrap();
    repo.write("docs/reference/upcoming/a.md", "# A\n");
    for args in [&["plan"][..], &["plan", "--fix"]] {
        let (code, _, stderr) = outcome(&repo, args);
        assert_eq!(code, 2, "{stderr}");
        assert!(
            stderr.contains("mkdocs.yml has a `nav:` that is not a list of pages"),
            "{stderr}"
        );
    }
    assert_eq!(
        std::fs::read_to_string(repo.path().join("mkdocs.yml")).unwrap(),
        "site_name: X\nnav: 7\n"
    );
}

/// A 700-byte `mkdocs.yml` whose aliases expand to a billion nodes: `plan`
/// refuses it before expanding it, quickly and in little memory.
#[test]
fn a_yaml_alias_bomb_in_mkdocs_is_refused_before_it_is_expanded() {
    let mut repo = Repo::new();
    repo.commit("a").tag("v1.0.0").commit("fix: b");
    let mut bomb = String::from("site_name: X\na: &a [x, x, x, x, x, x, x, x, x]\n");
    let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"];
    for pair in names.windows(2) {
        let list = vec![format!("*{}", pair[0]); 9].join(", ");
        bomb.push_str(&format!("{}: &{} [{list}]\n", pair[1], pair[1]));
    }
    bomb.push_str("nav:\n  - Home: index.md\n");
    repo.write("mkdocs.yml", &bomb);
    std::fs::create_dir_all(repo.path().join("docs/reference/upcoming")).unwrap();
    repo.write("docs/reference/upcoming/a.md", "# A\n");
    for args in [&["plan"][..], &["plan", "--fix"]] {
        let out = repo
            .bumpwise()
            .args(args)
            .timeout(std::time::Duration::from_secs(30))
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains("aliases expand to more than"), "{stderr}");
    }
    assert_eq!(
        std::fs::read_to_string(repo.path().join("mkdocs.yml")).unwrap(),
        bomb
    );
}

#[test]
fn a_tree_that_holds_itself_twice_at_each_level_is_read_to_a_bound() {
    let mut repo = Repo::new();
    repo.commit("a").tag("v1.0.0");
    // 22 levels of `a/` and `b/` over one Go file: 4 million paths in a few kilobytes of objects.
    let blob = repo.git.blob(b"package x\n\nfunc F() {}\n").unwrap();
    let mut builder = repo.git.treebuilder(None).unwrap();
    builder.insert("x.go", blob, 0o100644).unwrap();
    let mut tree = builder.write().unwrap();
    for _ in 0..22 {
        let mut level = repo.git.treebuilder(None).unwrap();
        level.insert("a", tree, 0o040000).unwrap();
        level.insert("b", tree, 0o040000).unwrap();
        tree = level.write().unwrap();
    }
    let tree = repo.git.find_tree(tree).unwrap();
    let parent = repo.git.find_commit(repo.head()).unwrap();
    let who = git2::Signature::now("A", "a@example.com").unwrap();
    repo.git
        .commit(
            Some("HEAD"),
            &who,
            &who,
            "Generated code",
            &tree,
            &[&parent],
        )
        .unwrap();
    let report = explain_within_a_minute(&repo);
    let notes = report["api"]["notes"].to_string();
    assert!(notes.contains("more than 100000 files changed"), "{notes}");
    // The paths read so far ship: the commit is taken as changing shipped code.
    assert_eq!(
        report["commits"][0]["kind"], "fix",
        "{}",
        report["commits"][0]
    );
}

/// A crate whose `src/` shares one directory under two names at each of 22
/// levels reaches 8 million module files from a few kilobytes; the commit
/// changes only `lib.rs`, so only the module walk is at stake. It stops at its
/// bound and says the crate was skipped.
#[test]
fn a_crate_that_reaches_millions_of_module_files_is_skipped_at_a_bound() {
    let repo = Repo::new();
    let both = repo
        .git
        .blob(b"pub mod a;\npub mod b;\npub fn f() {}\n")
        .unwrap();
    let mut dir = repo.git.treebuilder(None).unwrap().write().unwrap();
    for _ in 0..22 {
        let mut level = repo.git.treebuilder(None).unwrap();
        for name in ["a", "b"] {
            level.insert(name, dir, 0o040000).unwrap();
            level.insert(format!("{name}.rs"), both, 0o100644).unwrap();
        }
        dir = level.write().unwrap();
    }
    let manifest = repo
        .git
        .blob(b"[package]\nname = \"bomb\"\nversion = \"1.0.0\"\n")
        .unwrap();
    let who = git2::Signature::now("A", "a@example.com").unwrap();
    let mut parents = Vec::new();
    for (lib, message) in [
        (&b"pub fn g() {}\n"[..], "feat: first"),
        (
            &b"pub mod a;\npub mod b;\npub fn g() {}\n"[..],
            "Rework the modules",
        ),
    ] {
        let lib = repo.git.blob(lib).unwrap();
        let mut src = repo
            .git
            .treebuilder(Some(&repo.git.find_tree(dir).unwrap()))
            .unwrap();
        src.insert("lib.rs", lib, 0o100644).unwrap();
        let src = src.write().unwrap();
        let mut root = repo.git.treebuilder(None).unwrap();
        root.insert("src", src, 0o040000).unwrap();
        root.insert("Cargo.toml", manifest, 0o100644).unwrap();
        let root = repo.git.find_tree(root.write().unwrap()).unwrap();
        let parent: Vec<git2::Commit> = parents
            .iter()
            .map(|p| repo.git.find_commit(*p).unwrap())
            .collect();
        let refs: Vec<&git2::Commit> = parent.iter().collect();
        let id = repo
            .git
            .commit(Some("HEAD"), &who, &who, message, &root, &refs)
            .unwrap();
        if parents.is_empty() {
            repo.git
                .tag_lightweight("v1.0.0", &repo.git.find_object(id, None).unwrap(), false)
                .unwrap();
        }
        parents = vec![id];
    }
    let report = explain_within_a_minute(&repo);
    let notes = report["api"]["notes"].to_string();
    assert!(
        notes.contains("reaches more than 10000 module files") && notes.contains("skipped"),
        "{notes}"
    );
}

/// The action's `args` (item 13): run through the action's own step under
/// bash, never pathname-expanded, one argument per line when one holds a space.
#[test]
#[cfg(unix)]
fn args_are_never_pathname_expanded_and_one_per_line_may_hold_a_space() {
    let mut repo = Repo::new();
    repo.commit("feat: first")
        .tag("v0.1.0")
        .commit("feat: second");
    repo.write("my config.toml", "policy = \"cargo\"\n");
    // One argument per line: the space stays in the file name.
    let (code, outputs) = run_next_step(repo.path(), "--config\nmy config.toml\n");
    assert_eq!(code, 0);
    assert_eq!(outputs["policy"], "cargo");
    // Split on white space, `*.toml` reaches bumpwise as written (no such file), not as `my config.toml`.
    let (code, _) = run_next_step(repo.path(), "--config *.toml");
    assert_eq!(code, 2);
    let (code, outputs) = run_next_step(repo.path(), "--policy cargo");
    assert_eq!((code, outputs["policy"].as_str()), (0, "cargo"));
    // The case: with a file `v-file` there, `--tag-prefix v-*` is not `--tag-prefix v-file`;
    // the prefix as written has a character no tag prefix has, and is refused.
    repo.write("v-file", "");
    let (code, _) = run_next_step(repo.path(), "--tag-prefix v-*");
    assert_eq!(code, 2);
}

/// Item 11: a commit-graph file whose parents lie (HEAD's parent edited to
/// none, so the tagged release looks unreachable) must not yield a first
/// release below the tagged one: exit 2 with the reason.
#[test]
fn a_commit_graph_whose_parents_lie_never_yields_a_release_below_a_tagged_one() {
    let mut repo = Repo::new();
    repo.commit("feat: a").tag("v1.0.0").commit("fix: b");
    git(repo.path(), &["commit-graph", "write", "--reachable"]);
    let path = repo.path().join(".git/objects/info/commit-graph");
    let mut graph = std::fs::read(&path).unwrap();
    // The chunk table after the 8-byte header: 12-byte entries (id, offset).
    let chunk = |id: &[u8]| -> usize {
        let chunks = usize::from(graph[6]);
        (0..chunks)
            .map(|i| 8 + 12 * i)
            .find(|&at| &graph[at..at + 4] == id)
            .map(|at| {
                usize::try_from(u64::from_be_bytes(
                    graph[at + 4..at + 12].try_into().unwrap(),
                ))
                .unwrap()
            })
            .unwrap_or_else(|| panic!("no {id:?} chunk"))
    };
    let (fanout, lookup, data) = (chunk(b"OIDF"), chunk(b"OIDL"), chunk(b"CDAT"));
    let head = repo.git.head().unwrap().target().unwrap();
    // The fanout's last entry counts every commit in the file.
    let count = u32::from_be_bytes(
        graph[fanout + 4 * 255..fanout + 4 * 256]
            .try_into()
            .unwrap(),
    );
    let count = usize::try_from(count).unwrap();
    assert_eq!(count, 2);
    let index = (0..count)
        .find(|i| graph[lookup + 20 * i..lookup + 20 * (i + 1)] == *head.as_bytes())
        .expect("HEAD in the graph");
    // Each commit's data: its tree (20 bytes), then its first parent's position; 0x70000000 is none.
    let parent = data + 36 * index + 20;
    graph[parent..parent + 4].copy_from_slice(&0x7000_0000u32.to_be_bytes());
    let mut perms = std::fs::metadata(&path).unwrap().permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    perms.set_readonly(false);
    std::fs::set_permissions(&path, perms).unwrap();
    std::fs::write(&path, &graph).unwrap();
    let (code, stdout, stderr) = outcome(&repo, &["next"]);
    assert_eq!((code, stdout.as_str()), (2, ""), "{stderr}");
    assert!(
        stderr.contains("would be a first release, but v1.0.0 is tagged"),
        "{stderr}"
    );
}
