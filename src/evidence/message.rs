//! Parsing commit messages: the one module that uses git-conventional.
//!
//! Owns turning a raw message into owned parts: the subject, the Conventional
//! Commits header when there is one, the footers, and what a revert points at.
//! Parsing never fails: a message that is not conventional is still a message.
//! Only the message's own header and footers are read; bullet lines in a
//! squash-merge body (`* feat: …`) are body text, never commits of their own.

use crate::history::RawCommit;

/// The Conventional Commits header of a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conventional {
    /// The type, lower-cased (types are case-insensitive).
    pub kind: Box<str>,
    /// The scope, lower-cased, if any.
    pub scope: Option<Box<str>>,
    /// Whether the header carries `!`.
    pub bang: bool,
    /// The description after `: `.
    pub description: Box<str>,
    /// The value of a `BREAKING CHANGE:` / `BREAKING-CHANGE:` footer.
    pub breaking_footer: Option<Box<str>>,
    /// The body between the header and the footers, if any.
    pub body: Option<Box<str>>,
}

/// What a revert commit says it reverts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RevertTarget {
    /// `This reverts commit <id>.` (or a `Refs:` footer on a `revert:` commit).
    Id(String),
    /// `Revert "<subject>"`.
    Subject(String),
}

/// What classification reads besides the subject and the header, and nothing
/// needs after it: held apart, so that letting it go leaves a small commit.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Text {
    /// The whole message.
    pub message: String,
    /// Footers: the conventional footers when conventional, else git trailers.
    pub footers: Vec<(String, String)>,
    /// The author, as `Name <email>`.
    pub author: String,
}

/// A parsed commit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedCommit {
    /// The full id.
    pub id: CommitId,
    /// The first line of the message, trimmed.
    pub subject: Box<str>,
    /// Whether the commit is a merge.
    pub merge: bool,
    /// The Conventional Commits header, when the message follows the spec.
    pub conventional: Option<Box<Conventional>>,
    /// What this commit reverts, when it is a revert (boxed: rare).
    pub reverts: Option<Box<RevertTarget>>,
    /// The whole message, its footers and its author; `None` once let go
    /// (a long range keeps one of these per commit, and needs only the summary).
    pub text: Option<Box<Text>>,
}

/// The first seven characters of a commit id, as git abbreviates it.
pub fn short_id(id: &str) -> &str {
    &id[..id.len().min(7)]
}

/// A commit's id as a range holds it, one per commit: git's SHA-1 as its 20
/// bytes (its 40 hex characters on the heap cost three times that), any
/// other text (a caller's own ids) as given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CommitId {
    /// A SHA-1 written as 40 lowercase hex characters.
    Sha1([u8; 20]),
    /// Any other id, as given.
    Text(Box<str>),
}

impl CommitId {
    /// The id `text`: its bytes when it is a SHA-1 as git writes it.
    pub fn new(text: String) -> CommitId {
        let digit = |c: u8| match c {
            b'0'..=b'9' => Some(c - b'0'),
            b'a'..=b'f' => Some(c - b'a' + 10),
            _ => None,
        };
        let mut bytes = [0u8; 20];
        let hex = text.as_bytes();
        let all = hex.len() == 40
            && bytes.iter_mut().enumerate().all(|(i, b)| {
                match (digit(hex[2 * i]), digit(hex[2 * i + 1])) {
                    (Some(high), Some(low)) => {
                        *b = high << 4 | low;
                        true
                    }
                    _ => false,
                }
            });
        match all {
            true => CommitId::Sha1(bytes),
            false => CommitId::Text(text.into_boxed_str()),
        }
    }

    /// The id as text: what it was given as.
    pub fn hex(&self) -> Hex<'_> {
        match self {
            CommitId::Sha1(bytes) => {
                const DIGITS: &[u8; 16] = b"0123456789abcdef";
                let mut out = [0u8; 40];
                for (i, b) in bytes.iter().enumerate() {
                    out[2 * i] = DIGITS[usize::from(b >> 4)];
                    out[2 * i + 1] = DIGITS[usize::from(b & 15)];
                }
                Hex::Sha1(out, 40)
            }
            CommitId::Text(text) => Hex::Text(text),
        }
    }
}

/// A [`CommitId`] as text (or its first characters), read as a `&str`.
#[derive(Debug, Clone, Copy)]
pub enum Hex<'a> {
    /// A SHA-1's hex digits, the first `len` of them.
    Sha1([u8; 40], u8),
    /// An id given as text.
    Text(&'a str),
}

impl Hex<'_> {
    /// The first seven characters, as git abbreviates an id.
    pub fn short(self) -> Self {
        match self {
            Hex::Sha1(digits, len) => Hex::Sha1(digits, len.min(7)),
            Hex::Text(text) => Hex::Text(short_id(text)),
        }
    }
}

impl std::ops::Deref for Hex<'_> {
    type Target = str;

    fn deref(&self) -> &str {
        match self {
            // Hex digits are ASCII: never the empty fallback.
            Hex::Sha1(digits, len) => {
                std::str::from_utf8(&digits[..usize::from(*len)]).unwrap_or("")
            }
            Hex::Text(text) => text,
        }
    }
}

impl AsRef<str> for Hex<'_> {
    fn as_ref(&self) -> &str {
        self
    }
}

impl std::fmt::Display for Hex<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self)
    }
}

impl serde::Serialize for Hex<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self)
    }
}

impl ParsedCommit {
    /// The first seven characters of the id.
    pub fn short_id(&self) -> Hex<'_> {
        self.id.hex().short()
    }

    /// The whole message (empty once let go).
    pub fn message(&self) -> &str {
        self.text.as_ref().map_or("", |t| &t.message)
    }

    /// The author, as `Name <email>` (empty once let go).
    pub fn author(&self) -> &str {
        self.text.as_ref().map_or("", |t| &t.author)
    }

    /// The footers (none once let go).
    pub fn footers(&self) -> &[(String, String)] {
        self.text.as_ref().map_or(&[], |t| &t.footers)
    }

    /// The message after the subject line, trimmed (for a pull request merge: the title, then the description).
    pub fn body(&self) -> &str {
        let text = self.message().trim_start();
        text.split_once('\n').map_or("", |(_, rest)| rest.trim())
    }

    /// The value of the first footer whose token matches `token`, ignoring case.
    pub fn footer(&self, token: &str) -> Option<&str> {
        self.footers()
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(token))
            .map(|(_, v)| v.as_str())
    }
}

/// Parses a raw commit.
pub fn parse(raw: RawCommit) -> ParsedCommit {
    parse_message(
        raw.id,
        raw.message,
        raw.parents > 1,
        raw.trailers,
        raw.author,
    )
}

/// For the merge commit of a pull request (`Merge pull request #N from …`
/// with a body), its title and description parsed as a message of their own:
/// what the pull request says it does. `None` for any other commit.
pub fn pull_request(commit: &ParsedCommit) -> Option<ParsedCommit> {
    let body = commit.body();
    if !commit.merge || !commit.subject.starts_with("Merge pull request #") || body.is_empty() {
        return None;
    }
    Some(parse_message(
        commit.id.hex().to_string(),
        body.to_string(),
        false,
        Vec::new(),
        commit.author().to_string(),
    ))
}

fn parse_message(
    id: String,
    message: String,
    merge: bool,
    trailers: Vec<(String, String)>,
    author: String,
) -> ParsedCommit {
    // Leading white space (` feat: …`) and trailing blank lines are not part of the header.
    let text = message.trim_start().trim_end();
    let subject = text.lines().next().unwrap_or("").trim().to_string();
    // `type(scope):` with nothing after it is still a conventional header, footers and all:
    // git-conventional wants a description, so it is given a placeholder that is dropped below.
    let bare_header = bare_header(&subject);
    let padded;
    let parsed_text = if bare_header {
        padded = format!(
            "{subject} -{}",
            &text[text.find('\n').unwrap_or(text.len())..]
        );
        padded.as_str()
    } else {
        text
    };
    let conventional = git_conventional::Commit::parse(parsed_text).ok();
    let footers = match &conventional {
        Some(c) => c
            .footers()
            .iter()
            .map(|f| (f.token().as_str().to_string(), f.value().trim().to_string()))
            .collect(),
        None => trailers,
    };
    let header = conventional.as_ref().map(|c| Conventional {
        kind: c.type_().as_str().to_lowercase().into(),
        scope: c.scope().map(|s| s.as_str().to_lowercase().into()),
        bang: subject
            .split_once(':')
            .is_some_and(|(head, _)| head.ends_with('!')),
        description: if bare_header {
            "".into()
        } else {
            c.description().trim().into()
        },
        breaking_footer: c
            .footers()
            .iter()
            .find(|f| f.breaking())
            .map(|f| f.value().trim().into()),
        body: c
            .body()
            .map(str::trim)
            .filter(|b| !b.is_empty())
            .map(Box::from),
    });
    let reverts = revert_target(&subject, text, header.as_ref(), &footers).map(Box::new);
    let header = header.map(Box::new);
    ParsedCommit {
        id: CommitId::new(id),
        subject: subject.into_boxed_str(),
        merge,
        conventional: header,
        reverts,
        text: Some(Box::new(Text {
            message,
            footers,
            author,
        })),
    }
}

/// Whether `subject` is a conventional header with no description: `type:`, `type(scope)!:`.
fn bare_header(subject: &str) -> bool {
    let Some(head) = subject.strip_suffix(':') else {
        return false;
    };
    let head = head.strip_suffix('!').unwrap_or(head);
    let (kind, scope) = match head.split_once('(') {
        Some((kind, rest)) => match rest.strip_suffix(')') {
            Some(scope) if !scope.contains(['(', ')']) => (kind, Some(scope)),
            _ => return false,
        },
        None => (head, None),
    };
    let word = |w: &str| {
        !w.is_empty()
            && w.chars()
                .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
    };
    word(kind)
        && kind.starts_with(|c: char| c.is_alphabetic())
        && scope.is_none_or(|s| !s.is_empty())
}

fn revert_target(
    subject: &str,
    text: &str,
    header: Option<&Conventional>,
    footers: &[(String, String)],
) -> Option<RevertTarget> {
    for line in text.lines() {
        if let Some(rest) = line.trim().strip_prefix("This reverts commit ") {
            let id: String = rest.chars().take_while(char::is_ascii_hexdigit).collect();
            if id.len() >= 4 {
                return Some(RevertTarget::Id(id.to_ascii_lowercase()));
            }
        }
    }
    if header.is_some_and(|h| &*h.kind == "revert")
        && let Some((_, refs)) = footers.iter().find(|(k, _)| k.eq_ignore_ascii_case("refs"))
    {
        let id: String = refs
            .trim()
            .chars()
            .take_while(char::is_ascii_hexdigit)
            .collect();
        if id.len() >= 4 {
            return Some(RevertTarget::Id(id.to_ascii_lowercase()));
        }
    }
    let quoted = subject.strip_prefix("Revert \"")?.strip_suffix('"')?;
    Some(RevertTarget::Subject(quoted.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(message: &str) -> RawCommit {
        RawCommit::new("0123456789abcdef0123456789abcdef01234567", message)
    }

    #[test]
    fn a_sha1_is_kept_as_its_bytes_and_any_other_id_as_given() {
        let sha1 = "0123456789abcdef0123456789abcdef01234567";
        let id = CommitId::new(sha1.to_string());
        assert!(matches!(id, CommitId::Sha1(_)), "{id:?}");
        assert_eq!(&*id.hex(), sha1);
        assert_eq!(&*id.hex().short(), "0123456");
        assert_eq!(id.hex().to_string(), sha1);
        // Not as git writes a SHA-1 (upper case, short, not hex): kept as given.
        for other in [
            "0123456789ABCDEF0123456789abcdef01234567",
            "abc",
            "g123456789abcdef0123456789abcdef01234567",
        ] {
            let id = CommitId::new(other.to_string());
            assert!(matches!(id, CommitId::Text(_)), "{id:?}");
            assert_eq!(&*id.hex(), other);
        }
        assert_eq!(&*CommitId::new("abc".into()).hex().short(), "abc");
        assert_eq!(
            serde_json::to_string(&id.hex()).unwrap(),
            format!("\"{sha1}\"")
        );
    }

    #[test]
    fn bang_and_footer_are_told_apart() {
        let bang = parse(raw("feat!: drop the old flag")).conventional.unwrap();
        assert!(bang.bang);
        assert_eq!(bang.breaking_footer, None);
        let footer = parse(raw(
            "feat: new flag\n\nBREAKING CHANGE: the old one is gone",
        ))
        .conventional
        .unwrap();
        assert!(!footer.bang);
        assert_eq!(
            footer.breaking_footer.as_deref(),
            Some("the old one is gone")
        );
        let both = parse(raw("feat!: x\n\nBREAKING CHANGE: y"))
            .conventional
            .unwrap();
        assert!(both.bang);
        assert_eq!(both.breaking_footer.as_deref(), Some("y"));
    }

    #[test]
    fn a_header_without_a_description_keeps_its_footers() {
        let c = parse(raw(
            "feat(api):\n\nBREAKING CHANGE: the v1 endpoint is gone",
        ));
        let header = c.conventional.expect("conventional");
        assert_eq!(
            (&*header.kind, header.scope.as_deref()),
            ("feat", Some("api"))
        );
        assert_eq!(&*header.description, "");
        assert_eq!(
            header.breaking_footer.as_deref(),
            Some("the v1 endpoint is gone")
        );
        assert!(parse(raw("Note:")).conventional.is_some());
        assert!(parse(raw("see http://x:")).conventional.is_none());
    }

    #[test]
    fn leading_space_and_case_are_ignored() {
        let c = parse(raw(" Feat(API): add")).conventional.unwrap();
        assert_eq!(&*c.kind, "feat");
        assert_eq!(c.scope.as_deref(), Some("api"));
    }

    #[test]
    fn reverts_are_found_by_id_and_by_subject() {
        let by_id = parse(raw(
            "Revert \"feat: x\"\n\nThis reverts commit ABCDEF1234.\n",
        ));
        assert_eq!(
            by_id.reverts.as_deref(),
            Some(&RevertTarget::Id("abcdef1234".into()))
        );
        let by_subject = parse(raw("Revert \"feat: x\""));
        assert_eq!(
            by_subject.reverts.as_deref(),
            Some(&RevertTarget::Subject("feat: x".into()))
        );
        let refs = parse(raw("revert: x\n\nRefs: 676104e"));
        assert_eq!(
            refs.reverts.as_deref(),
            Some(&RevertTarget::Id("676104e".into()))
        );
    }
}
