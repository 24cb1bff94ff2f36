//! The container image, without a container engine: the `Dockerfile`'s
//! instructions after its (digest-pinned) base are carried out by hand into an
//! empty directory (the image's root file system, less the base's files) with the static binary `cargo build --release --target
//! x86_64-unknown-linux-musl` makes, as the release workflow builds it, and
//! that root is entered with `chroot` as the image's user, to read a mounted
//! repository that belongs to someone else. Needs root (chroot), the musl
//! target and musl's gcc wrapper; `.ci/run` provides them.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::fixture::{Repo, plain_dir};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");
const MUSL: &str = "x86_64-unknown-linux-musl";

/// The release binary for musl, built in a target directory of its own (the
/// test run holds the default one).
fn musl_binary() -> PathBuf {
    let target_dir = Path::new(ROOT).join("target/image");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let built = Command::new(cargo)
        .args([
            "build",
            "--locked",
            "--release",
            "--quiet",
            "--target",
            MUSL,
        ])
        .env("CARGO_TARGET_DIR", &target_dir)
        .env("CC_x86_64_unknown_linux_musl", "musl-gcc")
        .current_dir(ROOT)
        .status()
        .expect("cargo");
    assert!(
        built.success(),
        "the musl build failed: `rustup target add {MUSL}` and musl-gcc (Debian: musl-tools) are needed"
    );
    target_dir.join(MUSL).join("release/bumpwise")
}

/// What the Dockerfile makes: its root file system, and the user, working
/// directory, entry point, command and labels it sets.
struct Image {
    root: tempfile::TempDir,
    user: String,
    workdir: String,
    entrypoint: Vec<String>,
    cmd: Vec<String>,
    labels: BTreeMap<String, String>,
}

/// The instructions of the `Dockerfile` (continuation lines joined, comments left out).
fn instructions() -> Vec<(String, String)> {
    let text = std::fs::read_to_string(Path::new(ROOT).join("Dockerfile")).unwrap();
    let mut out = Vec::new();
    let mut line = String::new();
    for raw in text.lines().filter(|l| !l.trim_start().starts_with('#')) {
        if let Some(part) = raw.strip_suffix('\\') {
            line.push_str(part);
            continue;
        }
        line.push_str(raw);
        if let Some((word, rest)) = line.trim().split_once(' ') {
            out.push((word.to_string(), rest.trim().to_string()));
        }
        line.clear();
    }
    out
}

/// `KEY="value" KEY2=value2` pairs, as ARG and LABEL write them.
fn pairs(text: &str, args: &BTreeMap<String, String>) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = text.trim();
    while let Some((key, after)) = rest.split_once('=') {
        let (value, next) = match after.strip_prefix('"') {
            Some(quoted) => quoted.split_once('"').unwrap(),
            None => after.split_once(' ').unwrap_or((after, "")),
        };
        out.push((key.trim().to_string(), substitute(value, args)));
        rest = next.trim();
    }
    out
}

fn substitute(text: &str, args: &BTreeMap<String, String>) -> String {
    args.iter().fold(text.to_string(), |t, (k, v)| {
        t.replace(&format!("${{{k}}}"), v)
            .replace(&format!("${k}"), v)
    })
}

fn json_list(text: &str) -> Vec<String> {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{text}: {e}"))
}

/// Carries out the Dockerfile with `context` as the build context. Any
/// instruction that would run a program is refused: the image is built for
/// every platform without emulation.
fn build(context: &Path) -> Image {
    let root = plain_dir();
    let mut image = Image {
        root,
        user: "0:0".into(),
        workdir: "/".into(),
        entrypoint: Vec::new(),
        cmd: Vec::new(),
        labels: BTreeMap::new(),
    };
    let mut args = BTreeMap::new();
    for (word, rest) in instructions() {
        match word.as_str() {
            // The base's own files are not laid down here: the static binary needs none of them.
            "FROM" => {
                let digest = rest
                    .split_once("@sha256:")
                    .map(|(_, d)| d.split(' ').next().unwrap());
                assert!(
                    digest
                        .is_some_and(|d| d.len() == 64 && d.bytes().all(|b| b.is_ascii_hexdigit())),
                    "the base image is not pinned by digest: {rest}"
                );
            }
            "ARG" => args.extend(pairs(&rest, &BTreeMap::new())),
            "LABEL" => image.labels.extend(pairs(&rest, &args)),
            "COPY" => {
                let mut words: Vec<String> = rest
                    .split_whitespace()
                    .map(|w| substitute(w, &args))
                    .collect();
                let mode = words
                    .first()
                    .and_then(|w| w.strip_prefix("--chmod="))
                    .map(|m| u32::from_str_radix(m, 8).unwrap());
                if mode.is_some() {
                    words.remove(0);
                }
                let dest = words.pop().unwrap();
                let to = image.root.path().join(dest.trim_start_matches('/'));
                for source in &words {
                    let from = context.join(source);
                    let file = if dest.ends_with('/') {
                        std::fs::create_dir_all(&to).unwrap();
                        to.join(from.file_name().unwrap())
                    } else {
                        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
                        to.clone()
                    };
                    std::fs::copy(&from, &file).unwrap_or_else(|e| panic!("{source}: {e}"));
                    if let Some(mode) = mode {
                        use std::os::unix::fs::PermissionsExt;
                        let permissions = std::fs::Permissions::from_mode(mode);
                        std::fs::set_permissions(&file, permissions).unwrap();
                    }
                }
            }
            "USER" => image.user = rest,
            "WORKDIR" => {
                image.workdir = rest;
                let dir = image
                    .root
                    .path()
                    .join(image.workdir.trim_start_matches('/'));
                std::fs::create_dir_all(dir).unwrap();
            }
            "ENTRYPOINT" => image.entrypoint = json_list(&rest),
            "CMD" => image.cmd = json_list(&rest),
            other => panic!("the Dockerfile's {other} is not carried out here: {rest}"),
        }
    }
    image
}

/// `docker run` of `image` with `repo` mounted at its working directory, as
/// its user; the working directory is given as `--repo` (chroot starts at /).
fn run(image: &Image, args: &[&str]) -> (i32, String, String) {
    let (program, leading) = image.entrypoint.split_first().expect("an entry point");
    let args: Vec<String> = if args.is_empty() {
        image.cmd.clone()
    } else {
        args.iter().map(|a| a.to_string()).collect()
    };
    // Found on this PATH: the image's environment is empty.
    let chroot = std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
        .map(|d| d.join("chroot"))
        .find(|c| c.is_file())
        .expect("chroot on the PATH");
    let out = Command::new(chroot)
        .arg(format!("--userspec={}", image.user))
        .arg(image.root.path())
        .arg(program)
        .args(leading)
        .args(["--repo", &image.workdir])
        .args(&args)
        .env_clear()
        .output()
        .expect("chroot");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
#[ignore = "builds the musl release binary and enters the image with chroot: needs root, the musl target and musl-gcc; cargo test -- --include-ignored"]
fn the_release_binary_runs_in_the_image_as_its_user_on_a_repository_of_another() {
    // The build context the release workflow makes: dist/linux-<arch>/bumpwise.
    let context = plain_dir();
    for dir in ["docker", "dist/linux-amd64"] {
        std::fs::create_dir_all(context.path().join(dir)).unwrap();
    }
    let gitconfig = "docker/gitconfig";
    std::fs::copy(
        Path::new(ROOT).join(gitconfig),
        context.path().join(gitconfig),
    )
    .unwrap();
    std::fs::copy(
        musl_binary(),
        context.path().join("dist/linux-amd64/bumpwise"),
    )
    .unwrap();
    let image = build(context.path());
    for key in ["source", "version", "revision"] {
        assert!(
            image
                .labels
                .contains_key(&format!("org.opencontainers.image.{key}")),
            "no OCI label {key}: {:?}",
            image.labels
        );
    }
    assert!(
        !image.user.starts_with("0") && !image.user.starts_with("root"),
        "the image runs as root"
    );
    // The repository mounted at the working directory belongs to root, not to the image's user.
    let mut repo = Repo::new();
    repo.commit("feat: first")
        .tag("v0.1.0")
        .commit("fix: retry");
    let mount = image
        .root
        .path()
        .join(image.workdir.trim_start_matches('/'));
    let copied = Command::new("cp")
        .arg("-a")
        .arg(format!("{}/.", repo.path().display()))
        .arg(&mount)
        .status()
        .unwrap();
    assert!(copied.success());
    let (code, stdout, stderr) = run(&image, &[]);
    assert_eq!((code, stdout.as_str()), (0, "v0.1.1\n"), "{stderr}");
    let (code, stdout, _) = run(&image, &["--version"]);
    assert!(code == 0 && stdout.starts_with("bumpwise "), "{stdout}");
    // Without the image's /etc/gitconfig, git's ownership check refuses the repository:
    // the user is not its owner, and the gitconfig is what lets it read.
    std::fs::remove_file(image.root.path().join("etc/gitconfig")).unwrap();
    let (code, _, stderr) = run(&image, &[]);
    assert_eq!(code, 5, "{stderr}");
    assert!(stderr.contains("safe.directory"), "{stderr}");
}
