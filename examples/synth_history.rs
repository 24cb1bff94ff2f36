//! Writes a synthetic git history through `git fast-import`, for the benchmark.
//!
//! Deterministic from a seed: the same arguments always give the same
//! repository. Messages mix Conventional Commits with the non-conventional
//! shapes real histories have (`Fixed …`, `Bump x from a to b (#n)`,
//! `Fixes #n: …`), with bodies, squash-merge bullets and trailers; every
//! `--merge-every` commits a pull request is merged; releases are tagged
//! evenly, with pre-release, duplicate-style and non-SemVer tags around them.
//!
//! With `--layout go`, every commit is non-conventional and changes the files
//! its message is about in a Go project: sources under `pkg/`, their tests,
//! `docs/` and the README, a CI workflow, `go.mod`/`go.sum`. Each source file
//! exports a function and one of a few option functions, which a change to
//! the file may swap (an API removal and an addition); `--go-files N` makes
//! every source change touch N files.
//!
//! ```text
//! cargo run --release --example synth_history -- DIR --commits 200000 --releases 200 \
//!     --since-last 1000 --extra-tags 0 --merge-every 20 --seed 1 [--layout go]
//! ```

use std::io::{BufWriter, Write};
use std::process::{Command, Stdio};

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
}

const SCOPES: [&str; 8] = [
    "auth",
    "kubernetes",
    "docker",
    "sftp",
    "audit",
    "config",
    "metrics",
    "agent",
];
const THINGS: [&str; 10] = [
    "session handler",
    "webhook client",
    "audit log writer",
    "config loader",
    "pod lifecycle",
    "exec requests",
    "port forwarding",
    "metrics endpoint",
    "agent download",
    "keyboard-interactive auth",
];
const MODULES: [&str; 6] = [
    "golang.org/x/crypto",
    "github.com/docker/docker",
    "k8s.io/client-go",
    "github.com/gorilla/mux",
    "github.com/prometheus/client_golang",
    "gopkg.in/yaml.v3",
];

fn subject(rng: &mut Rng, n: u64) -> String {
    let thing = rng.pick(&THINGS);
    let scope = rng.pick(&SCOPES);
    match rng.below(20) {
        0 => format!("feat({scope}): support {thing}"),
        1 => format!("fix({scope}): race in the {thing}"),
        2 => format!("docs: describe the {thing}"),
        3 => format!(
            "chore(deps): bump {} from 1.{}.0 to 1.{}.1",
            rng.pick(&MODULES),
            n % 30,
            n % 30
        ),
        4 | 5 => format!("Fixed crash in the {thing}"),
        6 | 7 => format!("Added option for the {thing}"),
        8 | 9 => format!(
            "Bump {} from 0.{}.0 to 0.{}.1 (#{})",
            rng.pick(&MODULES),
            n % 40,
            n % 40,
            n % 900 + 1
        ),
        10 => format!("Fixes #{}: Add {thing} timeout", n % 700 + 1),
        11 => format!("Issue #{}: Handle EOF in the {thing}", n % 700 + 1),
        12 => "Updated README".to_string(),
        13 => format!("Added tests for the {thing}"),
        14 => format!("Refactored the {thing}"),
        15 => format!("Implement retries for the {thing}"),
        16 => format!("Improve error messages of the {thing}"),
        17 => format!("Removed unused code in the {thing}"),
        18 => format!("refactor({scope}): split the {thing}"),
        _ => format!("Update CI workflow for the {thing}"),
    }
}

fn message(rng: &mut Rng, n: u64) -> String {
    let mut text = subject(rng, n);
    match rng.below(10) {
        0..=2 => text.push_str(&format!(
            "\n\nThe {} did not handle the case where the client disconnects before\nthe handshake completes. This change makes it wait for the handshake\nand log a warning instead.",
            rng.pick(&THINGS)
        )),
        3 => text.push_str(&format!(
            "\n\n* fix: {}\n* feat: {}\n* docs: {}",
            rng.pick(&THINGS),
            rng.pick(&THINGS),
            rng.pick(&THINGS)
        )),
        _ => {}
    }
    if rng.below(500) == 0 {
        text.push_str("\n\nBREAKING CHANGE: the configuration format changed");
    }
    if rng.below(10) < 4 {
        text.push_str("\n\nSigned-off-by: Jane Doe <jane@example.com>");
        if rng.below(4) == 0 {
            text.push_str("\nCo-authored-by: Sam Roe <sam@example.com>");
        }
    }
    text.push('\n');
    text
}

/// A non-conventional commit of a Go project: its message and the files it changes.
fn go_commit(rng: &mut Rng, n: u64, width: u64) -> (String, Vec<(String, String)>) {
    let thing = rng.pick(&THINGS);
    let scope = rng.pick(&SCOPES);
    let file = thing.replace([' ', '-'], "_");
    let source = format!("pkg/{scope}/{file}.go");
    let test = format!("pkg/{scope}/{file}_test.go");
    let option = rng.below(4);
    let body = |path: &str, what: &str| {
        let name: String = path
            .rsplit('/')
            .next()
            .unwrap_or(path)
            .trim_end_matches(".go")
            .split('_')
            .map(|w| {
                let mut c = w.chars();
                c.next()
                    .map_or(String::new(), |f| f.to_uppercase().chain(c).collect())
            })
            .collect();
        let package = path.split('/').nth(1).unwrap_or("main");
        if path.ends_with("_test.go") {
            return format!("package {package}\n\n// {what} {n}\n");
        }
        format!(
            "package {package}\n\n// {name} is {what} {n}.\nfunc {name}(name string, retries int) error {{\n\treturn nil\n}}\n\n// {name}Option{option} configures it.\nfunc {name}Option{option}() {{}}\n"
        )
    };
    let (subject, files) = match rng.below(12) {
        0 | 1 => (format!("Fixed crash in the {thing}"), vec![source.clone()]),
        2 => (
            format!("Added option for the {thing}"),
            vec![source.clone(), test],
        ),
        3 => (
            format!("Implement retries for the {thing}"),
            vec![source.clone()],
        ),
        4 => (format!("Added tests for the {thing}"), vec![test]),
        5 => ("Updated README".to_string(), vec!["README.md".to_string()]),
        6 => (
            format!("Documented the {thing}"),
            vec![format!("docs/{file}.md")],
        ),
        7 => (
            format!("Update CI workflow for the {thing}"),
            vec![".github/workflows/ci.yml".to_string()],
        ),
        8 | 9 => (
            format!(
                "Bump {} from 0.{}.0 to 0.{}.1 (#{})",
                rng.pick(&MODULES),
                n % 40,
                n % 40,
                n % 900 + 1
            ),
            vec!["go.mod".to_string(), "go.sum".to_string()],
        ),
        10 => (format!("Refactored the {thing}"), vec![source.clone()]),
        _ => (
            format!("Improve error messages of the {thing}"),
            vec![source.clone()],
        ),
    };
    let mut files = files;
    if files.contains(&source) {
        for k in 1..width {
            let other = SCOPES[((n + k) % SCOPES.len() as u64) as usize];
            files.push(format!("pkg/{other}/{file}{k}.go"));
        }
    }
    let files = files
        .into_iter()
        .map(|path| {
            let content = if path.ends_with(".go") {
                body(&path, &subject)
            } else {
                format!("{subject} {n}\n")
            };
            (path, content)
        })
        .collect();
    (format!("{subject}\n"), files)
}

fn data(out: &mut impl Write, text: &str) -> std::io::Result<()> {
    writeln!(out, "data {}", text.len())?;
    out.write_all(text.as_bytes())?;
    writeln!(out)
}

fn arg(args: &[String], name: &str, default: u64) -> u64 {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .map_or(default, |v| {
            v.parse()
                .unwrap_or_else(|_| panic!("{name} takes a number"))
        })
}

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dir = args
        .first()
        .filter(|a| !a.starts_with("--"))
        .expect("usage: synth_history DIR [--commits N] …");
    let commits = arg(&args, "--commits", 10_000);
    let releases = arg(&args, "--releases", 100);
    let since_last = arg(&args, "--since-last", 100).min(commits - 1);
    let extra_tags = arg(&args, "--extra-tags", 0);
    let merge_every = arg(&args, "--merge-every", 20);
    let go = args
        .iter()
        .position(|a| a == "--layout")
        .and_then(|i| args.get(i + 1))
        .is_some_and(|l| l == "go");
    let go_files = arg(&args, "--go-files", 1).max(1);
    let mut rng = Rng(arg(&args, "--seed", 1).wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);

    let status = Command::new("git")
        .args(["init", "-q", "-b", "main", dir])
        .status()?;
    assert!(status.success(), "git init failed");
    let mut child = Command::new("git")
        .args(["fast-import", "--quiet", "--done"])
        .current_dir(dir)
        .stdin(Stdio::piped())
        .spawn()?;
    let mut out = BufWriter::with_capacity(1 << 20, child.stdin.take().expect("stdin"));

    // Releases sit evenly on the commits before the last `since_last`.
    let tagged = commits - since_last;
    let release_at =
        |i: u64| releases > 0 && i < tagged && (i + 1).is_multiple_of((tagged / releases).max(1));
    let (mut major, mut minor, mut patch) = (0u64, 1u64, 0u64);
    let mut extra_left = extra_tags;
    let mut pr = 1u64;
    let mut time = 1_600_000_000u64;
    let mut mark = 0u64;
    let mut last_main = 0u64;
    for i in 0..commits {
        time += 60;
        let merge = merge_every > 0 && i > 0 && i % merge_every == 0;
        if merge {
            // A pull request: one commit on a side branch, merged with a merge commit.
            mark += 1;
            let side = mark;
            writeln!(out, "commit refs/heads/pr\nmark :{side}")?;
            writeln!(
                out,
                "author Dev <dev@example.com> {time} +0000\ncommitter Dev <dev@example.com> {time} +0000"
            )?;
            data(&mut out, &message(&mut rng, i))?;
            writeln!(out, "from :{last_main}")?;
            writeln!(out, "M 644 inline src/pr{}.go", i % 50)?;
            data(&mut out, &format!("// {i}\n"))?;
            mark += 1;
            writeln!(out, "commit refs/heads/main\nmark :{mark}")?;
            writeln!(
                out,
                "author Dev <dev@example.com> {time} +0000\ncommitter Dev <dev@example.com> {time} +0000"
            )?;
            data(
                &mut out,
                &format!(
                    "Merge pull request #{pr} from dev/topic-{i}\n\n{}",
                    subject(&mut rng, i)
                ),
            )?;
            writeln!(out, "from :{last_main}\nmerge :{side}")?;
            pr += 1;
        } else {
            mark += 1;
            writeln!(out, "commit refs/heads/main\nmark :{mark}")?;
            let (name, email) = if rng.below(10) == 0 {
                (
                    "dependabot[bot]",
                    "49699333+dependabot[bot]@users.noreply.github.com",
                )
            } else {
                ("Dev", "dev@example.com")
            };
            writeln!(
                out,
                "author {name} <{email}> {time} +0000\ncommitter Dev <dev@example.com> {time} +0000"
            )?;
            let (text, files) = if go {
                go_commit(&mut rng, i, go_files)
            } else {
                let files = vec![(format!("src/file{}.go", i % 200), format!("// {i}\n"))];
                (message(&mut rng, i), files)
            };
            data(&mut out, &text)?;
            if last_main > 0 {
                writeln!(out, "from :{last_main}")?;
            }
            for (path, content) in files {
                writeln!(out, "M 644 inline {path}")?;
                data(&mut out, &content)?;
            }
        }
        last_main = mark;
        if release_at(i) {
            patch += 1;
            if patch % 5 == 0 {
                (minor, patch) = (minor + 1, 0);
            }
            if minor == 30 {
                (major, minor) = (major + 1, 0);
            }
            let version = format!("{major}.{minor}.{patch}");
            writeln!(
                out,
                "tag v{version}\nfrom :{mark}\ntagger Dev <dev@example.com> {time} +0000"
            )?;
            data(&mut out, &format!("Release {version}\n"))?;
            // Pre-releases, other styles and noise on and around the release commit.
            let mut k = 0;
            while extra_left > 0 && k < extra_tags.div_ceil(releases.max(1)) {
                let name = match k % 4 {
                    0 => format!("v{version}-rc.{k}"),
                    1 => version.clone(),
                    2 => format!("v{version}-test{k}"),
                    _ => format!("build-{i}-{k}"),
                };
                writeln!(out, "reset refs/tags/{name}\nfrom :{mark}\n")?;
                extra_left -= 1;
                k += 1;
            }
        }
    }
    writeln!(out, "done")?;
    drop(out);
    let status = child.wait()?;
    assert!(status.success(), "git fast-import failed");
    Ok(())
}
