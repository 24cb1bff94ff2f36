//! Any text as an output value (a tag, a version, the notes): the GitHub
//! outputs file read back as the runner reads it holds exactly the keys
//! written, and a dotenv line is one `BUMPWISE_KEY=value` line whose value a
//! shell reads as the one word written.
#![no_main]

use bumpwise::render::github::{dotenv, github};
use libfuzzer_sys::fuzz_target;

/// The keys of `$GITHUB_OUTPUT` as the runner reads them: `key=value` lines
/// and `key<<DELIMITER` blocks.
fn keys(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut lines = text.split('\n');
    while let Some(line) = lines.next() {
        if let Some((key, delimiter)) = line.split_once("<<").filter(|(k, _)| !k.contains('=')) {
            out.push(key.to_string());
            for inner in lines.by_ref() {
                if inner == delimiter {
                    break;
                }
            }
        } else if let Some((key, _)) = line.split_once('=') {
            out.push(key.to_string());
        }
    }
    out
}

/// A shell word as `sh` reads it: plain, or single-quoted with `'\''` for a quote.
fn unquote(word: &str) -> String {
    match word.strip_prefix('\'').and_then(|w| w.strip_suffix('\'')) {
        Some(inner) => inner.replace("'\\''", "'"),
        None => word.to_string(),
    }
}

fuzz_target!(|data: &[u8]| {
    let value = String::from_utf8_lossy(data).into_owned();
    let pairs = [("tag", value.clone()), ("version", "1.0.0".to_string())];
    let mut out = Vec::new();
    github(&pairs, &mut out).unwrap();
    assert_eq!(keys(&String::from_utf8(out).unwrap()), ["tag", "version"]);
    let mut env = Vec::new();
    dotenv(&pairs, &mut env).unwrap();
    let env = String::from_utf8(env).unwrap();
    let lines: Vec<&str> = env.lines().collect();
    if value.contains(['\n', '\r']) {
        assert_eq!(lines, ["BUMPWISE_VERSION=1.0.0"]);
    } else {
        assert_eq!(lines.len(), 2, "{env}");
        let written = lines[0]
            .strip_prefix("BUMPWISE_TAG=")
            .expect("the tag's line");
        assert_eq!(unquote(written), value);
    }
});
