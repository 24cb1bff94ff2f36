//! What a worker does with one commit: decode it, read its paths where a rule
//! needs them (and, from the same comparison, what its change did to the
//! public API), and classify it.

use crate::classify::{self, Classified};
use crate::error::Result;
use crate::evidence::api::units::{ApiRules, Cache, unit_of};
use crate::evidence::paths::PathRules;
use crate::evidence::{self, Evidence, message};
use crate::history::{Objects, ReadCommit, Reader};

use super::api;

/// Parsed sources a worker keeps for the next commits (whose parents'
/// sources they are) before it starts over.
const API_CACHE_KEPT: usize = 4096;

/// What the workers read each commit with.
pub(super) struct OneCommit<'a> {
    pub(super) rules: &'a classify::Rules,
    /// The path classes, when the paths are read.
    pub(super) paths: Option<&'a PathRules>,
    /// Which APIs are read, when any is.
    pub(super) api: Option<&'a ApiRules>,
    pub(super) first_parent: bool,
}

impl OneCommit<'_> {
    /// Reads and classifies `read`, with the worker's `reader`, `objects` and `cache`.
    pub(super) fn read(
        &self,
        read: ReadCommit,
        reader: &Reader,
        objects: &dyn Objects,
        cache: &Cache,
    ) -> Result<Classified> {
        let (id, tree, parent) = (read.id(), read.tree(), read.parent_tree());
        let message = message::parse(read.decode(reader)?);
        // A merge is handed on outside first-parent mode only when it brings a
        // foreign history: judged by what it changed itself, never by the
        // files either side brought.
        let foreign_merge = message.merge && !self.first_parent;
        // The files that could hold an API, kept from the comparison that reads the paths.
        let keep = |path: &str| self.api.is_some_and(|r| unit_of(r, path).is_some());
        let keep = self.api.map(|_| &keep as &dyn Fn(&str) -> bool);
        let mut kept = None;
        let paths = match self.paths {
            Some(classes) if classify::rules::needs_paths(&message) && !foreign_merge => {
                let (paths, files) =
                    evidence::paths::read_keeping(objects, classes, (tree, parent), keep)?;
                kept = keep.is_some().then_some(files);
                Some(paths)
            }
            Some(classes) if classify::rules::needs_paths(&message) => {
                let second = objects.parent_tree(id, 1)?;
                evidence::paths::read_merge(objects, classes, tree, (parent, second))?
            }
            _ => None,
        };
        let mut c = classify::classify(Evidence { message, paths }, self.rules);
        if let (Some(api), Some(classes), Some(kept)) = (self.api, self.paths, kept)
            && !kept.files.cut
        {
            let rules = (api, classes, self.rules);
            let own = api::read_own(&mut c, (objects, cache), rules, (tree, parent), kept)?;
            c.api_own = Some(Box::new(own));
            cache.bound(API_CACHE_KEPT);
        }
        Ok(c.compact())
    }
}
