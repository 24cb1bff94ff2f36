//! What a worker does with one commit: decode it, read its paths where a rule
//! needs them (and, from the same comparison, what its change did to the
//! public API), and classify it.

use crate::classify::{self, Classified};
use crate::error::Result;
use crate::evidence::api::units::{ApiRules, Cache, unit_of};
use crate::evidence::paths::PathRules;
use crate::evidence::{self, Evidence, message};
use crate::history::{Objects, ReadCommit, Reader};

use super::ahead::Ahead;
use super::api;
use super::parallel;
use super::settle::Settler;

/// Parsed sources a worker keeps for the next commits (whose parents'
/// sources they are) before it starts over.
const API_CACHE_KEPT: usize = 4096;

/// What the workers read each commit with.
struct OneCommit<'a> {
    rules: &'a classify::Rules,
    /// The path classes, when the paths are read.
    paths: Option<&'a PathRules>,
    /// Which APIs are read, when any is.
    api: Option<&'a ApiRules>,
    first_parent: bool,
    /// What the workers read ahead for the attribution walk, when they do.
    ahead: Option<&'a Ahead>,
}

impl OneCommit<'_> {
    /// Reads and classifies `read`, the commit at walk index `index`, with the
    /// worker's `reader`, `objects` and `cache`.
    fn read(
        &self,
        index: usize,
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
            let kept = (kept, self.ahead, index);
            let own = api::read_own(&mut c, (objects, cache), rules, (tree, parent), kept)?;
            c.api_own = Some(Box::new(own));
            cache.bound(API_CACHE_KEPT);
        }
        Ok(c.compact())
    }
}

impl Settler<'_> {
    /// Runs `walk`, reading and classifying the commits it hands on, on the
    /// worker threads; with `ahead`, reading ahead for the attribution walk.
    pub(super) fn classify_walk<W>(
        &self,
        ahead: Option<&Ahead>,
        walk: impl FnOnce(&mut dyn FnMut(ReadCommit) -> usize) -> Result<(W, Vec<usize>)>,
    ) -> Result<(W, Vec<Classified>)> {
        let config = &self.config;
        let paths = config.evidence.paths && !self.version_only;
        let one = OneCommit {
            rules: &config.rules,
            paths: paths.then_some(&config.path_classes),
            // Every commit is read here: a keyword feature the API could lower is judged on its own change.
            api: config.api.reads().then_some(&config.api.rules),
            first_parent: config.first_parent,
            ahead: ahead.filter(|_| paths),
        };
        parallel::map_while_walking(
            self.repo,
            |at, read, reader, objects, cache| one.read(at, read, reader, objects, cache),
            walk,
        )
    }
}
