//! The paths pass ([`super::settle::Pass::Paths`]): the changed paths read
//! only where they can change the version ([`crate::version::deciding`]),
//! each commit's once per session.

use std::collections::HashMap;
use std::rc::Rc;

use crate::classify::{self, Classified};
use crate::error::Result;
use crate::evidence;
use crate::history::Objects;
use crate::version::deciding::{self, Standing};

use super::parallel;
use super::settle::Settler;

/// How many commits' paths are worth a second thread and reader.
const PARALLEL_FROM: usize = 16;

impl Settler<'_> {
    /// The commits of `commits` (as `under` has them where it has them: some
    /// commits before the API changed them) whose paths were read, by index,
    /// as they read; the paths are read only where they can change the version.
    pub(crate) fn paths_deciding_over(
        &self,
        objects: &dyn Objects,
        commits: &[Classified],
        under: &HashMap<usize, Classified>,
        rules: &classify::Rules,
    ) -> Result<Vec<(usize, Classified)>> {
        let commits: Vec<&Classified> = match under.is_empty() {
            true => commits.iter().collect(),
            false => (0..commits.len())
                .map(|i| under.get(&i).unwrap_or(&commits[i]))
                .collect(),
        };
        let mut changed: Vec<(usize, Classified)> = Vec::new();
        // Paths never lower a breaking change or a deprecation.
        let mut standing: Vec<Standing> = commits
            .iter()
            .map(|c| Standing {
                kind: c.kind,
                live: !c.cancelled(),
                read: false,
                firm: c.breaking.is_some() || c.deprecation.is_some(),
            })
            .collect();
        while let Some(i) = deciding::next_to_read(&standing) {
            let mut c = commits[i].clone();
            let paths = self.paths_of(objects, &c.id())?;
            classify::with_paths(&mut c, &paths, rules);
            standing[i] = Standing {
                kind: c.kind,
                live: !c.cancelled(),
                read: true,
                firm: true,
            };
            changed.push((i, c));
        }
        // Every command reports the same counts: the few commits no rule has
        // read yet are read too (their paths can no longer change the
        // version, only what `next` says of them); past the bound, `next`
        // says they were not read.
        let unread: Vec<usize> = (0..commits.len())
            .filter(|&i| {
                let s = standing[i];
                s.live && !s.read && s.kind == classify::Kind::Unclassified
            })
            .collect();
        if self.facts && unread.len() <= deciding::UNREAD_READ {
            let ids: Vec<String> = unread
                .iter()
                .map(|&i| commits[i].id().to_string())
                .collect();
            let read = self.paths_of_all(objects, &ids)?;
            for (i, paths) in unread.into_iter().zip(read) {
                let mut c = commits[i].clone();
                classify::with_paths(&mut c, &paths, rules);
                changed.push((i, c));
            }
        }
        Ok(changed)
    }

    /// The paths each of `ids` changes, read once per session; where many
    /// are to be read, on two threads (the older half by a reader of its own).
    fn paths_of_all(
        &self,
        objects: &dyn Objects,
        ids: &[String],
    ) -> Result<Vec<Rc<evidence::paths::Paths>>> {
        let missing: Vec<&String> = {
            let cache = self.caches.paths.borrow();
            ids.iter().filter(|id| !cache.contains_key(*id)).collect()
        };
        if missing.len() >= PARALLEL_FROM {
            let mut trees = Vec::with_capacity(missing.len());
            for id in &missing {
                trees.push(self.repo.trees_of(id)?);
            }
            let classes = &self.config.path_classes;
            let reader = self.repo.reader();
            let read_all = |objects: &dyn Objects, trees: Vec<_>| {
                trees
                    .into_iter()
                    .map(|(tree, parent)| evidence::paths::read(objects, classes, tree, parent))
                    .collect::<Result<Vec<_>>>()
            };
            let read = parallel::in_halves(
                trees,
                move |older| read_all(&reader.objects()?, older),
                |newer| read_all(objects, newer),
            )?;
            let mut cache = self.caches.paths.borrow_mut();
            for (id, paths) in missing.into_iter().zip(read) {
                cache.insert(id.clone(), Rc::new(paths));
            }
        }
        ids.iter().map(|id| self.paths_of(objects, id)).collect()
    }

    /// The paths commit `id` changes, read once per session.
    fn paths_of(&self, objects: &dyn Objects, id: &str) -> Result<Rc<evidence::paths::Paths>> {
        if let Some(paths) = self.caches.paths.borrow().get(id) {
            return Ok(Rc::clone(paths));
        }
        let (tree, parent) = self.repo.trees_of(id)?;
        let paths = evidence::paths::read(objects, &self.config.path_classes, tree, parent)?;
        let paths = Rc::new(paths);
        self.caches
            .paths
            .borrow_mut()
            .insert(id.to_string(), Rc::clone(&paths));
        Ok(paths)
    }

    /// Whether a feature the API cannot lower stays one whatever else is read:
    /// not cancelled, excluded or overridden, and kept by its paths (read for
    /// each such feature until one is kept, on a copy: the paths stage reads
    /// them again in its turn). Lowering keyword features cannot change the
    /// version then.
    pub(crate) fn feature_stands(
        &self,
        objects: &dyn Objects,
        commits: &[Classified],
    ) -> Result<bool> {
        for c in commits {
            if c.cancelled()
                || c.excluded
                || c.kind < classify::Kind::Feature
                || classify::api::lowerable(c)
                || self.overridden(&c.id())?
            {
                continue;
            }
            if !self.config.evidence.paths {
                return Ok(true);
            }
            let paths = self.paths_of(objects, &c.id())?;
            let mut read = c.clone();
            classify::with_paths(&mut read, &paths, &self.config.rules);
            if read.kind >= classify::Kind::Feature {
                return Ok(true);
            }
        }
        Ok(false)
    }
}
