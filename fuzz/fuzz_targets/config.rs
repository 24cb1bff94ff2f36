//! Any bytes as bumpwise.toml or as a git note: loading never panics; it gives a
//! configuration or a one-line error.
#![no_main]

use bumpwise::config::{self, Config, Layer};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    match Layer::parse(&text, "bumpwise.toml").and_then(Config::resolve) {
        Ok(config) => {
            let _ = config::to_toml(&config);
        }
        Err(error) => assert!(!error.to_string().contains('\n')),
    }
    let _ = config::parse_note(&text, "0123456789abcdef0123456789abcdef01234567");
});
