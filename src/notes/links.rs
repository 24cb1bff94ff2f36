//! Links from changelog entries to commits and to issues or pull requests.
//!
//! Owns turning a remote URL (GitHub, GitLab, or any https/ssh form) into
//! link templates, with templates from `bumpwise.toml` taking precedence.
//! Pure string work: the remote URL is read by the git module.

use serde::Serialize;

use crate::config::LinkTemplates;

/// Resolved link templates (`{id}`, `{number}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Links {
    /// A commit's page, with `{id}`.
    pub commit: Option<String>,
    /// An issue's or pull request's page, with `{number}`.
    pub issue: Option<String>,
}

impl Links {
    /// Templates from the configuration, completed from the remote URL.
    pub fn resolve(configured: &LinkTemplates, remote: Option<&str>) -> Links {
        let derived = remote.and_then(web_base).map(|base| {
            if base.contains("gitlab") {
                (
                    format!("{base}/-/commit/{{id}}"),
                    format!("{base}/-/issues/{{number}}"),
                )
            } else {
                (
                    format!("{base}/commit/{{id}}"),
                    format!("{base}/issues/{{number}}"),
                )
            }
        });
        let (commit, issue) = derived.map_or((None, None), |(c, i)| (Some(c), Some(i)));
        Links {
            commit: configured.commit.clone().or(commit),
            issue: configured.issue.clone().or(issue),
        }
    }

    /// The page of commit `id`.
    pub fn commit(&self, id: &str) -> Option<String> {
        self.commit.as_ref().map(|t| t.replace("{id}", id))
    }

    /// The page of issue or pull request `number`.
    pub fn issue(&self, number: u64) -> Option<String> {
        self.issue
            .as_ref()
            .map(|t| t.replace("{number}", &number.to_string()))
    }
}

/// `https://host/owner/repo` for the usual remote URL forms, or `None`.
///
/// `git@host:owner/repo.git`, `ssh://git@host:22/owner/repo.git`,
/// `https://user@host/owner/repo.git` and `http://…` are understood; local
/// paths and `file://` URLs have no web page.
pub fn web_base(url: &str) -> Option<String> {
    let url = url.trim();
    let (host, path) = if let Some(rest) = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
    {
        rest.split_once('/')?
    } else if let Some(rest) = url.strip_prefix("ssh://") {
        rest.split_once('/')?
    } else if !url.contains("://") && url.contains(':') && !url.starts_with('/') {
        url.split_once(':')?
    } else {
        return None;
    };
    let host = host.rsplit('@').next()?; // drop user (and password)
    let host = if url.starts_with("ssh://") {
        host.split(':').next()?
    } else {
        host
    };
    let path = path
        .trim_end_matches('/')
        .trim_end_matches(".git")
        .trim_matches('/');
    if host.is_empty() || path.is_empty() || !path.contains('/') {
        return None;
    }
    Some(format!("https://{host}/{path}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remote_forms() {
        let gh = Some("https://github.com/ContainerSSH/ContainerSSH".to_string());
        assert_eq!(web_base("git@github.com:ContainerSSH/ContainerSSH.git"), gh);
        assert_eq!(
            web_base("https://github.com/ContainerSSH/ContainerSSH.git"),
            gh
        );
        assert_eq!(
            web_base("https://github.com/ContainerSSH/ContainerSSH/"),
            gh
        );
        assert_eq!(
            web_base("ssh://git@github.com:22/ContainerSSH/ContainerSSH.git"),
            gh
        );
        assert_eq!(
            web_base("https://user:token@github.com/ContainerSSH/ContainerSSH"),
            gh
        );
        assert_eq!(
            web_base("git@gitlab.com:group/sub/project.git").as_deref(),
            Some("https://gitlab.com/group/sub/project")
        );
        assert_eq!(web_base("/srv/git/project.git"), None);
        assert_eq!(web_base("file:///srv/git/project.git"), None);
    }

    #[test]
    fn gitlab_and_github_link_shapes_and_config_wins() {
        let gl = Links::resolve(&LinkTemplates::default(), Some("git@gitlab.com:g/p.git"));
        assert_eq!(
            gl.commit("abc").as_deref(),
            Some("https://gitlab.com/g/p/-/commit/abc")
        );
        assert_eq!(
            gl.issue(7).as_deref(),
            Some("https://gitlab.com/g/p/-/issues/7")
        );
        let configured = LinkTemplates {
            commit: None,
            issue: Some("https://tracker.example/{number}".into()),
        };
        let mixed = Links::resolve(&configured, Some("git@github.com:o/r.git"));
        assert_eq!(
            mixed.commit("abc").as_deref(),
            Some("https://github.com/o/r/commit/abc")
        );
        assert_eq!(mixed.issue(7).as_deref(), Some("https://tracker.example/7"));
        assert_eq!(
            Links::resolve(&LinkTemplates::default(), None).commit("abc"),
            None
        );
    }
}
