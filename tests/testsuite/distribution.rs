//! Distribution: the release workflow's archive and checksum steps, run as
//! GitHub runs them; the action's install and build steps against those very
//! archives, from a local directory (no network); and the targets and archive
//! names the workflow, the action and `cargo binstall` each use, checked to agree.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use yaml_rust2::{Yaml, YamlLoader};

use crate::fixture::plain_dir;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");
const VERSION: &str = "9.8.7";
const LINUX: &str = "x86_64-unknown-linux-musl";

fn yaml(name: &str) -> Yaml {
    let text = std::fs::read_to_string(Path::new(ROOT).join(name)).unwrap();
    YamlLoader::load_from_str(&text)
        .unwrap_or_else(|e| panic!("{name} is not YAML: {e}"))
        .remove(0)
}

/// The `run` script of the step with `id` among `steps`.
fn script(steps: &Yaml, id: &str) -> String {
    steps
        .as_vec()
        .expect("steps")
        .iter()
        .find(|s| s["id"].as_str() == Some(id))
        .and_then(|s| s["run"].as_str())
        .unwrap_or_else(|| panic!("no step {id} with a script"))
        .to_string()
}

fn action_step(id: &str) -> String {
    script(&yaml("action.yml")["runs"]["steps"], id)
}

fn workflow_step(job: &str, id: &str) -> String {
    script(
        &yaml(".github/workflows/release.yml")["jobs"][job]["steps"],
        id,
    )
}

/// What a step left: its exit code, its stdout, and the lines it appended to
/// `$GITHUB_OUTPUT` and `$GITHUB_PATH`.
struct Ran {
    code: i32,
    stdout: String,
    outputs: String,
    path: Vec<String>,
}

/// Runs `script` in `cwd` exactly as GitHub runs a `shell: bash` step.
fn run(script: &str, cwd: &Path, env: &[(&str, &str)]) -> Ran {
    let dir = plain_dir();
    let file = dir.path().join("step.sh");
    std::fs::write(&file, script).unwrap();
    let (outputs, path) = (dir.path().join("output"), dir.path().join("path"));
    // bash from this PATH: a step may be given another.
    let bash = std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
        .map(|d| d.join("bash"))
        .find(|b| b.is_file())
        .expect("bash on the PATH");
    let mut command = Command::new(bash);
    command
        .args(["--noprofile", "--norc", "-eo", "pipefail"])
        .arg(&file)
        .current_dir(cwd)
        .env("GITHUB_OUTPUT", &outputs)
        .env("GITHUB_PATH", &path);
    for (key, value) in env {
        command.env(key, value);
    }
    let out = command.output().unwrap();
    let read = |p: &Path| std::fs::read_to_string(p).unwrap_or_default();
    Ran {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned()
            + &String::from_utf8_lossy(&out.stderr),
        outputs: read(&outputs),
        path: read(&path).lines().map(str::to_string).collect(),
    }
}

/// A release directory as the release job leaves it: `<dir>/v<VERSION>/` with
/// the Linux archive the build job's archive step makes of this build's binary,
/// and the checksums step's SHA256SUMS.
fn release_dir() -> (tempfile::TempDir, PathBuf) {
    let checkout = plain_dir();
    for file in ["README.md", "LICENSE-APACHE", "LICENSE-MIT"] {
        std::fs::copy(Path::new(ROOT).join(file), checkout.path().join(file)).unwrap();
    }
    let bin = checkout.path().join(format!("target/{LINUX}/release"));
    std::fs::create_dir_all(&bin).unwrap();
    std::fs::copy(snapbox::cmd::cargo_bin!("bumpwise"), bin.join("bumpwise")).unwrap();
    let tag = format!("v{VERSION}");
    let archived = run(
        &workflow_step("build", "archive"),
        checkout.path(),
        &[("TARGET", LINUX), ("GITHUB_REF_NAME", &tag)],
    );
    assert_eq!(archived.code, 0, "{}", archived.stdout);
    let name = format!("bumpwise-{VERSION}-{LINUX}.tar.gz");
    let dir = plain_dir();
    let release = dir.path().join(&tag);
    std::fs::create_dir_all(&release).unwrap();
    std::fs::rename(checkout.path().join(&name), release.join(&name)).unwrap();
    let summed = run(&workflow_step("release", "checksums"), &release, &[]);
    assert_eq!(summed.code, 0, "{}", summed.stdout);
    (dir, release)
}

/// The action's own directory (`$GITHUB_ACTION_PATH`) as a pin of any kind
/// checks it out: this repository's `Cargo.toml` with its version set to
/// `version`, or no `Cargo.toml` at all.
fn action_dir(version: Option<&str>) -> tempfile::TempDir {
    let dir = plain_dir();
    if let Some(version) = version {
        let manifest = std::fs::read_to_string(Path::new(ROOT).join("Cargo.toml")).unwrap();
        let own = format!("version = \"{}\"", env!("CARGO_PKG_VERSION"));
        assert!(manifest.contains(&own), "{own}");
        let manifest = manifest.replacen(&own, &format!("version = \"{version}\""), 1);
        std::fs::write(dir.path().join("Cargo.toml"), manifest).unwrap();
    }
    dir
}

/// The install step's environment on a runner of `os` and `arch`, the action
/// checked out at `action` (see [`action_dir`]), no version input.
fn runner<'a>(
    (os, arch): (&'a str, &'a str),
    cache: &'a str,
    temp: &'a str,
    download: &'a str,
    action: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("RUNNER_OS", os),
        ("RUNNER_ARCH", arch),
        ("RUNNER_TOOL_CACHE", cache),
        ("RUNNER_TEMP", temp),
        ("BUMPWISE_DOWNLOAD", download),
        ("BUMPWISE_VERSION", ""),
        ("GITHUB_ACTION_PATH", action),
    ]
}

#[test]
fn the_release_archive_installs_through_the_action_checked_and_cached() {
    let (dir, release) = release_dir();
    let listing = Command::new("tar")
        .arg("-tzf")
        .arg(release.join(format!("bumpwise-{VERSION}-{LINUX}.tar.gz")))
        .output()
        .unwrap();
    let listing = String::from_utf8(listing.stdout).unwrap();
    assert!(
        listing.contains(&format!("bumpwise-{VERSION}-{LINUX}/bumpwise\n")),
        "{listing}"
    );
    let sums = std::fs::read_to_string(release.join("SHA256SUMS")).unwrap();
    assert!(
        sums.ends_with(&format!("  bumpwise-{VERSION}-{LINUX}.tar.gz\n")),
        "{sums}"
    );
    let (cache, temp) = (plain_dir(), plain_dir());
    let (cache_dir, temp_dir) = (
        cache.path().to_str().unwrap(),
        temp.path().to_str().unwrap(),
    );
    let download = format!("file://{}", dir.path().display());
    // Pinned by tag, SHA or branch, the action downloads the release its Cargo.toml names.
    let action = action_dir(Some(VERSION));
    let action_path = action.path().to_str().unwrap();
    let env = runner(
        ("Linux", "X64"),
        cache_dir,
        temp_dir,
        &download,
        action_path,
    );
    let installed = run(&action_step("install"), temp.path(), &env);
    assert_eq!(installed.code, 0, "{}", installed.stdout);
    assert!(
        installed.outputs.contains("build=false"),
        "{}",
        installed.outputs
    );
    assert!(
        installed.stdout.contains("checked against SHA256SUMS"),
        "{}",
        installed.stdout
    );
    let bin = Path::new(&installed.path[0]).join("bumpwise");
    let version = Command::new(&bin).arg("--version").output().unwrap();
    assert!(
        String::from_utf8(version.stdout)
            .unwrap()
            .starts_with("bumpwise ")
    );
    // The next run takes it from the tool cache, with nothing to download.
    std::fs::remove_dir_all(&release).unwrap();
    let cached = run(&action_step("install"), temp.path(), &env);
    assert_eq!(cached.code, 0, "{}", cached.stdout);
    assert!(
        cached.stdout.contains("from the tool cache"),
        "{}",
        cached.stdout
    );
    assert_eq!(cached.path, installed.path);
}

#[test]
fn an_archive_that_does_not_match_its_checksum_is_refused() {
    let (dir, release) = release_dir();
    let sums = std::fs::read_to_string(release.join("SHA256SUMS")).unwrap();
    let wrong = format!("{}{}", "0".repeat(64), &sums[64..]);
    std::fs::write(release.join("SHA256SUMS"), wrong).unwrap();
    let (cache, temp) = (plain_dir(), plain_dir());
    let download = format!("file://{}", dir.path().display());
    let action = action_dir(Some(VERSION));
    let env = runner(
        ("Linux", "X64"),
        cache.path().to_str().unwrap(),
        temp.path().to_str().unwrap(),
        &download,
        action.path().to_str().unwrap(),
    );
    let refused = run(&action_step("install"), temp.path(), &env);
    assert_eq!(refused.code, 1, "{}", refused.stdout);
    assert!(
        refused.stdout.contains("::error::")
            && refused.stdout.contains("does not match its checksum"),
        "{}",
        refused.stdout
    );
    assert!(refused.path.is_empty() && !refused.outputs.contains("build=true"));
    assert!(
        !cache
            .path()
            .join("bumpwise")
            .join(VERSION)
            .join(LINUX)
            .join("bumpwise")
            .exists()
    );
}

#[test]
fn without_a_release_that_fits_the_action_builds_and_says_what_it_needs() {
    let (dir, _release) = release_dir();
    let (cache, temp) = (plain_dir(), plain_dir());
    let (cache_dir, temp_dir) = (
        cache.path().to_str().unwrap(),
        temp.path().to_str().unwrap(),
    );
    let download = format!("file://{}", dir.path().display());
    let cases: [(&str, Option<&str>, &str, &str); 3] = [
        // No binary for this architecture.
        (
            "PPC64",
            Some(VERSION),
            "",
            "no bumpwise release binary for Linux PPC64",
        ),
        // No version input, and no Cargo.toml where the action was checked out.
        ("X64", None, "", "no bumpwise release named"),
        // A version with no archive where they are downloaded from (a branch whose
        // Cargo.toml already names the next release, or an input).
        (
            "X64",
            Some("9.9.9"),
            "",
            "no bumpwise-9.9.9-x86_64-unknown-linux-musl.tar.gz",
        ),
    ];
    for (arch, own, input, why) in cases {
        let action = action_dir(own);
        let action_path = action.path().to_str().unwrap();
        let mut env = runner(("Linux", arch), cache_dir, temp_dir, &download, action_path);
        env.retain(|(k, _)| *k != "BUMPWISE_VERSION");
        env.push(("BUMPWISE_VERSION", input));
        let ran = run(&action_step("install"), temp.path(), &env);
        assert_eq!(ran.code, 0, "{}", ran.stdout);
        assert!(ran.outputs.contains("build=true"), "{}", ran.outputs);
        assert!(
            ran.stdout.contains("::notice::") && ran.stdout.contains(why),
            "{}",
            ran.stdout
        );
        assert!(ran.path.is_empty());
    }
    // The build step, without a Rust toolchain, says so and fails.
    let ran = run(
        &action_step("build"),
        temp.path(),
        &[
            ("PATH", "/nonexistent"),
            ("RUNNER_TEMP", temp_dir),
            ("GITHUB_ACTION_PATH", ROOT),
        ],
    );
    assert_eq!(ran.code, 1, "{}", ran.stdout);
    assert!(
        ran.stdout.contains("::error::") && ran.stdout.contains("needs a Rust toolchain"),
        "{}",
        ran.stdout
    );
    assert!(
        action_step("build")
            .contains("cargo install --quiet --locked --path \"$GITHUB_ACTION_PATH\"")
    );
}

#[test]
fn the_workflow_the_action_and_binstall_name_the_same_archives() {
    let workflow = yaml(".github/workflows/release.yml");
    assert_eq!(workflow["on"]["push"]["tags"][0].as_str(), Some("v*"));
    let built: BTreeSet<String> = workflow["jobs"]["build"]["strategy"]["matrix"]["include"]
        .as_vec()
        .unwrap()
        .iter()
        .map(|m| m["target"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        built,
        [
            "aarch64-apple-darwin",
            "aarch64-unknown-linux-musl",
            "x86_64-apple-darwin",
            "x86_64-pc-windows-msvc",
            LINUX
        ]
        .map(String::from)
        .into()
    );
    // The action's runner → (target, archive suffix), from its install script.
    let install = action_step("install");
    let downloads: BTreeSet<(String, String)> = install
        .lines()
        .filter_map(|l| {
            let target = l.split("target=").nth(1)?.split(';').next()?.to_string();
            let ext = l
                .split("ext=")
                .nth(1)?
                .split([';', ' '])
                .next()?
                .to_string();
            (!target.starts_with('"')).then_some((target, ext))
        })
        .collect();
    let targets: BTreeSet<String> = downloads.iter().map(|(t, _)| t.clone()).collect();
    assert_eq!(
        targets, built,
        "the action downloads what the workflow builds"
    );
    // binstall's URL and layout, rendered, against the workflow's archive and the action's URL.
    let manifest: toml::Table = std::fs::read_to_string(Path::new(ROOT).join("Cargo.toml"))
        .unwrap()
        .parse()
        .unwrap();
    let package = &manifest["package"];
    let repo = package["repository"].as_str().unwrap();
    let binstall = &package["metadata"]["binstall"];
    let default_url = yaml("action.yml")["inputs"]["download-url"]["default"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(default_url, format!("{repo}/releases/download"));
    let archive_step = workflow_step("build", "archive");
    for (target, ext) in &downloads {
        let format = binstall["overrides"]
            .get(target.as_str())
            .and_then(|o| o["pkg-fmt"].as_str())
            .unwrap_or_else(|| binstall["pkg-fmt"].as_str().unwrap());
        let suffix = match format {
            "tgz" => ".tar.gz",
            "zip" => ".zip",
            other => panic!("pkg-fmt {other}"),
        };
        assert_eq!(suffix, ext, "{target}");
        let windows = target.contains("-windows-");
        assert_eq!(
            windows,
            suffix == ".zip",
            "the workflow zips only for Windows"
        );
        let render = |template: &str| {
            template
                .replace("{ repo }", repo)
                .replace("{ name }", "bumpwise")
                .replace("{ version }", VERSION)
                .replace("{ target }", target)
                .replace("{ archive-suffix }", suffix)
                .replace("{ bin }", "bumpwise")
                .replace("{ binary-ext }", if windows { ".exe" } else { "" })
        };
        let name = format!("bumpwise-{VERSION}-{target}");
        assert_eq!(
            render(binstall["pkg-url"].as_str().unwrap()),
            format!("{default_url}/v{VERSION}/{name}{ext}")
        );
        let exe = if windows { "bumpwise.exe" } else { "bumpwise" };
        assert_eq!(
            render(binstall["bin-dir"].as_str().unwrap()),
            format!("{name}/{exe}")
        );
    }
    assert!(archive_step.contains("name=\"bumpwise-${version}-${TARGET}\""));
    assert!(
        archive_step.contains("7z a -tzip \"$name.zip\"")
            && archive_step.contains("tar -czf \"$name.tar.gz\"")
    );
}

#[test]
fn the_crate_ships_its_sources_and_licences_only() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let out = Command::new(cargo)
        .args(["package", "--locked", "--list", "--allow-dirty"])
        .current_dir(ROOT)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let listed = String::from_utf8(out.stdout).unwrap();
    let outside: Vec<&str> = listed
        .lines()
        .filter(|f| !f.starts_with("src/"))
        .filter(|f| {
            ![
                ".cargo_vcs_info.json",
                "Cargo.lock",
                "Cargo.toml",
                "Cargo.toml.orig",
                "README.md",
                "LICENSE-APACHE",
                "LICENSE-MIT",
            ]
            .contains(f)
        })
        .collect();
    assert!(outside.is_empty(), "the package holds {outside:?}");
    assert!(listed.lines().any(|f| f == "src/main.rs") && listed.contains("LICENSE-MIT"));
}

#[test]
fn a_version_input_beats_the_actions_own_and_must_be_semver() {
    let (dir, _release) = release_dir();
    let (cache, temp) = (plain_dir(), plain_dir());
    let download = format!("file://{}", dir.path().display());
    let action = action_dir(Some("1.0.0"));
    let mut env = runner(
        ("Linux", "X64"),
        cache.path().to_str().unwrap(),
        temp.path().to_str().unwrap(),
        &download,
        action.path().to_str().unwrap(),
    );
    env.retain(|(k, _)| *k != "BUMPWISE_VERSION");
    env.push(("BUMPWISE_VERSION", "v9.8.7"));
    let installed = run(&action_step("install"), temp.path(), &env);
    assert_eq!(installed.code, 0, "{}", installed.stdout);
    assert!(
        installed.outputs.contains("version=9.8.7\n"),
        "{}",
        installed.outputs
    );
    assert!(installed.path[0].ends_with(&format!("bumpwise/{VERSION}/{LINUX}")));
    // Whatever is put on the PATH is made of a SemVer version and a known target.
    for bad in ["1.0.0/../../bin", "1.0", "latest", "1.0.0\nx"] {
        env.retain(|(k, _)| *k != "BUMPWISE_VERSION");
        env.push(("BUMPWISE_VERSION", bad));
        let refused = run(&action_step("install"), temp.path(), &env);
        assert_eq!(refused.code, 1, "{bad}: {}", refused.stdout);
        assert!(
            refused.stdout.contains("not a SemVer version"),
            "{}",
            refused.stdout
        );
        assert!(refused.path.is_empty() && !refused.outputs.contains("build="));
    }
}

#[test]
fn the_release_gate_takes_only_the_tag_of_cargo_tomls_version() {
    for (own, tag, pre) in [
        ("1.2.0", "v1.2.0", "false"),
        ("1.2.0-rc.1", "v1.2.0-rc.1", "true"),
    ] {
        let checkout = action_dir(Some(own));
        let ran = run(
            &workflow_step("gate", "version"),
            checkout.path(),
            &[("GITHUB_REF_NAME", tag)],
        );
        assert_eq!(ran.code, 0, "{}", ran.stdout);
        assert_eq!(ran.outputs, format!("version={own}\nprerelease={pre}\n"));
    }
    let checkout = action_dir(Some("1.2.0"));
    let ran = run(
        &workflow_step("gate", "version"),
        checkout.path(),
        &[("GITHUB_REF_NAME", "v1.2.1")],
    );
    assert_eq!(ran.code, 1);
    assert!(
        ran.stdout
            .contains("::error::the tag v1.2.1 is not Cargo.toml's version 1.2.0"),
        "{}",
        ran.stdout
    );
    // The gate builds bumpwise and checks the tag with it before anything is built for release.
    let check = workflow_step("gate", "check");
    assert!(check.contains("./target/release/bumpwise check \"$GITHUB_REF_NAME\""));
    let workflow = yaml(".github/workflows/release.yml");
    let gate_steps = workflow["jobs"]["gate"]["steps"].as_vec().unwrap();
    assert!(gate_steps.iter().any(|s| {
        s["run"]
            .as_str()
            .is_some_and(|r| r.contains("bash .ci/run"))
    }));
    for job in ["build", "release", "image"] {
        let needs = &workflow["jobs"][job]["needs"];
        let needs: Vec<&str> = match needs.as_vec() {
            Some(list) => list.iter().filter_map(Yaml::as_str).collect(),
            None => needs.as_str().into_iter().collect(),
        };
        assert!(
            needs.contains(&"gate") || job == "release" && needs.contains(&"build"),
            "{job} does not wait for the gate"
        );
    }
}

#[test]
fn a_pre_release_is_published_as_one_and_never_moves_latest() {
    let image = "ghcr.io/owner/bumpwise";
    for (pre, tags) in [
        ("false", format!("{image}:1.2.0,{image}:latest")),
        ("true", format!("{image}:1.2.0")),
    ] {
        let dir = plain_dir();
        let ran = run(
            &workflow_step("image", "tags"),
            dir.path(),
            &[
                ("GITHUB_REPOSITORY", "Owner/bumpwise"),
                ("VERSION", "1.2.0"),
                ("PRERELEASE", pre),
            ],
        );
        assert_eq!(ran.code, 0, "{}", ran.stdout);
        assert_eq!(ran.outputs, format!("tags={tags}\n"));
        // The GitHub release, with `gh` replaced by one that prints its arguments.
        let bin = dir.path().join("bin");
        std::fs::create_dir_all(&bin).unwrap();
        std::fs::write(bin.join("gh"), "#!/bin/sh\nprintf '%s\\n' \"$@\"\n").unwrap();
        let chmod = Command::new("chmod").arg("+x").arg(bin.join("gh")).status();
        assert!(chmod.unwrap().success());
        let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap());
        let temp = dir.path().to_str().unwrap();
        let published = run(
            &workflow_step("release", "publish"),
            dir.path(),
            &[
                ("PATH", &path),
                ("PRERELEASE", pre),
                ("GITHUB_REF_NAME", "v1.2.0"),
                ("RUNNER_TEMP", temp),
            ],
        );
        assert_eq!(published.code, 0, "{}", published.stdout);
        let args: Vec<&str> = published.stdout.lines().collect();
        assert_eq!(args[..2], ["release", "create"]);
        assert_eq!(args.contains(&"--prerelease"), pre == "true", "{args:?}");
        assert!(args.contains(&"--notes-file"));
    }
}

#[test]
fn every_action_is_pinned_by_commit_and_no_checkout_keeps_its_credentials() {
    let hex = |s: &str| s.len() == 40 && s.bytes().all(|b| b.is_ascii_hexdigit());
    let mut seen = 0;
    for file in [
        ".github/workflows/release.yml",
        ".github/workflows/ci.yml",
        "action.yml",
    ] {
        let text = std::fs::read_to_string(Path::new(ROOT).join(file)).unwrap();
        for line in text.lines().filter(|l| {
            l.trim_start().starts_with("- uses:") || l.trim_start().starts_with("uses:")
        }) {
            let reference = line.split("uses:").nth(1).unwrap().trim();
            let (action, rest) = reference.split_once('@').expect("a ref");
            let (sha, comment) = rest.split_once(" # ").unwrap_or((rest, ""));
            assert!(
                hex(sha.trim()),
                "{file}: {action} is not pinned by commit: {line}"
            );
            assert!(
                !comment.trim().is_empty(),
                "{file}: {action} has no version comment"
            );
            seen += 1;
        }
        for runner in ["macos-13", "macos-12", "ubuntu-20.04"] {
            assert!(
                !text.contains(runner),
                "{file} names the retired runner {runner}"
            );
        }
    }
    assert!(seen >= 10, "{seen}");
    for workflow in [".github/workflows/release.yml", ".github/workflows/ci.yml"] {
        let workflow = yaml(workflow);
        for (_, job) in workflow["jobs"].as_hash().unwrap() {
            for step in job["steps"].as_vec().unwrap() {
                if step["uses"]
                    .as_str()
                    .is_some_and(|u| u.starts_with("actions/checkout@"))
                {
                    assert_eq!(step["with"]["persist-credentials"].as_bool(), Some(false));
                }
            }
        }
    }
}

#[test]
fn ci_runs_on_pull_requests_with_ci_run_and_on_macos_and_windows() {
    let ci = yaml(".github/workflows/ci.yml");
    assert!(!ci["on"]["pull_request"].is_badvalue());
    assert_eq!(ci["on"]["push"]["branches"][0].as_str(), Some("main"));
    let runs: Vec<String> = ci["jobs"]
        .as_hash()
        .unwrap()
        .values()
        .flat_map(|j| j["steps"].as_vec().unwrap().clone())
        .filter_map(|s| s["run"].as_str().map(str::to_string))
        .collect();
    assert!(runs.iter().any(|r| r.contains("bash .ci/run")));
    assert!(runs.iter().any(|r| r.contains("cargo test --locked")));
    let oses: Vec<&str> = ci["jobs"]["other"]["strategy"]["matrix"]["os"]
        .as_vec()
        .unwrap()
        .iter()
        .filter_map(Yaml::as_str)
        .collect();
    assert!(
        oses.iter().any(|o| o.starts_with("macos-"))
            && oses.iter().any(|o| o.starts_with("windows-"))
    );
}
