//! Text that anyone can commit or tag, made inert for the terminal and the CI
//! runner that read bumpwise's output for people.
//!
//! [`Inert`] wraps a writer: control characters (ESC, BEL, the C1 range: what
//! starts a terminal escape or an OSC sequence) become U+FFFD, a line that
//! would open with `::` (a GitHub Actions workflow command) opens with a space,
//! and `##[` (the runner's older command form) is broken by a zero-width
//! non-joiner. Newlines and tabs pass. Machine formats (JSON, GitHub outputs,
//! dotenv) are escaped by their own writers and do not go through it.

use std::io::{self, Write};

/// A writer whose text cannot drive a terminal or a CI runner (see the module).
pub struct Inert<W: Write> {
    inner: W,
    /// The next byte starts a line (leading spaces and tabs included).
    at_line_start: bool,
    /// How many `#` the line's current text ends with.
    hashes: usize,
    /// A `:` that opened a line is held back (is it `::`?).
    colon: bool,
    /// A 0xC2 is held back (the first byte of a C1 control's encoding, or of é).
    c2: bool,
}

impl<W: Write> Inert<W> {
    /// Wraps `inner`.
    pub fn new(inner: W) -> Self {
        Self {
            inner,
            at_line_start: true,
            hashes: 0,
            colon: false,
            c2: false,
        }
    }
}

/// `word` as one word for a POSIX shell: as it is when it holds only plain
/// characters, else single-quoted (a `'` inside as `'\\''`). The one quoting
/// for every command bumpwise suggests and every dotenv value it writes.
pub fn shell_word(word: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "_./:=@+,-".contains(c);
    if !word.is_empty() && word.chars().all(plain) {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
}

const REPLACEMENT: &[u8] = "\u{FFFD}".as_bytes();
const ZWNJ: &[u8] = "\u{200C}".as_bytes();

impl<W: Write> Write for Inert<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        // Runs of plain bytes go straight through; only what must change is
        // rewritten. A `:` opening a line and a 0xC2 are held back until the
        // next byte says what they start.
        let mut start = 0;
        for (i, &b) in buf.iter().enumerate() {
            if self.colon {
                self.colon = false;
                start = i;
                if b == b':' {
                    self.inner.write_all(b" ::")?;
                    start = i + 1;
                    self.at_line_start = false;
                    continue;
                }
                self.inner.write_all(b":")?;
            }
            if self.c2 {
                self.c2 = false;
                start = i;
                if (0x80..=0x9F).contains(&b) {
                    self.inner.write_all(REPLACEMENT)?;
                    start = i + 1;
                    continue;
                }
                self.inner.write_all(&[0xC2])?;
            }
            let held = b == 0xC2 || (b == b':' && self.at_line_start);
            let rewrite: Option<&[u8]> = match b {
                _ if held => Some(b""),
                b'\n' | b'\t' => None,
                0x00..=0x1F | 0x7F => Some(REPLACEMENT),
                b'[' if self.hashes >= 2 => Some(ZWNJ),
                _ => None,
            };
            if let Some(text) = rewrite {
                self.inner.write_all(&buf[start..i])?;
                self.inner.write_all(text)?;
                // A `[` is kept after the joiner; the rest is replaced or held.
                start = if b == b'[' { i } else { i + 1 };
            }
            self.c2 = b == 0xC2;
            self.colon = b == b':' && held;
            self.hashes = if b == b'#' { self.hashes + 1 } else { 0 };
            self.at_line_start = b == b'\n' || (self.at_line_start && (b == b' ' || b == b'\t'));
        }
        self.inner.write_all(&buf[start..])?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if std::mem::take(&mut self.c2) {
            self.inner.write_all(&[0xC2])?;
        }
        if std::mem::take(&mut self.colon) {
            self.inner.write_all(b":")?;
        }
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inert(text: &str) -> String {
        // Whatever the writes' sizes: a sequence split across them is still caught.
        let mut outs = (1..=8).chain([text.len().max(1)]).map(|size| {
            let mut w = Inert::new(Vec::new());
            for chunk in text.as_bytes().chunks(size) {
                w.write_all(chunk).unwrap();
            }
            w.flush().unwrap();
            String::from_utf8(w.inner).unwrap()
        });
        let first = outs.next().unwrap();
        for other in outs {
            assert_eq!(other, first);
        }
        first
    }

    #[test]
    fn controls_commands_and_markers_are_made_inert() {
        assert_eq!(inert("a\x1b]8;;x\x07b\n"), "a\u{FFFD}]8;;x\u{FFFD}b\n");
        assert_eq!(inert("ok\u{9b}31m"), "ok\u{FFFD}31m");
        assert_eq!(
            inert("::add-mask::x\n  ::error::y\n"),
            " ::add-mask::x\n   ::error::y\n"
        );
        assert_eq!(
            inert("warning: ##[add-mask]x"),
            "warning: ##\u{200C}[add-mask]x"
        );
        assert_eq!(inert("a::b, é, tab\there\n"), "a::b, é, tab\there\n");
    }
}
