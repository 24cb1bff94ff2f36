//! The paths stage of `next` in text and of backtest: the changed paths read
//! only where they can change the version, each commit's once per session.

use std::collections::HashMap;
use std::rc::Rc;

use crate::classify::{self, Classified};
use crate::error::Result;
use crate::evidence;
use crate::history::Objects;

use super::Session;

impl Session {
    /// Reads the changed paths of the commits (classified by their messages
    /// alone) only where they can change the next version: the commits of the
    /// highest kind, until one keeps it; when nothing warrants a patch, the
    /// commits the paths could raise to one. Each commit is read at most once.
    pub(super) fn paths_where_they_decide(
        &self,
        commits: &mut [Classified],
        rules: &classify::Rules,
    ) -> Result<()> {
        for (i, c) in self.paths_deciding(&self.repo.objects(), commits, rules)? {
            commits[i] = c;
        }
        Ok(())
    }

    /// What [`Self::paths_where_they_decide`] makes of `commits`, leaving them
    /// as they are: the commits whose paths it read, by index, as they read.
    pub(super) fn paths_deciding(
        &self,
        objects: &dyn Objects,
        commits: &[Classified],
        rules: &classify::Rules,
    ) -> Result<Vec<(usize, Classified)>> {
        self.paths_deciding_over(objects, commits, &HashMap::new(), rules)
    }

    /// [`Self::paths_deciding`] on `commits` as `under` has them where it has
    /// them (some commits before the API changed them).
    pub(super) fn paths_deciding_over(
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
        let mut changed: HashMap<usize, Classified> = HashMap::new();
        let mut read = vec![false; commits.len()];
        // Paths never lower a breaking change or a deprecation.
        let settled =
            |c: &Classified, read: bool| read || c.breaking.is_some() || c.deprecation.is_some();
        loop {
            let view = |i: usize| match read[i] {
                true => (&changed[&i], true),
                false => (commits[i], false),
            };
            let live = || (0..commits.len()).map(view).filter(|(c, _)| !c.cancelled());
            let top = live()
                .map(|(c, _)| c.kind)
                .max()
                .unwrap_or(classify::Kind::Unclassified);
            let next = if top >= classify::Kind::Fix {
                if live().any(|(c, r)| c.kind == top && settled(c, r)) {
                    break;
                }
                (0..commits.len()).find(|&i| {
                    let (c, r) = view(i);
                    !c.cancelled() && c.kind == top && !r
                })
            } else {
                (0..commits.len()).find(|&i| {
                    let (c, r) = view(i);
                    !c.cancelled() && !r
                })
            };
            let Some(i) = next else {
                break;
            };
            let mut c = commits[i].clone();
            let paths = self.paths_of(objects, c.id())?;
            classify::with_paths(&mut c, &paths, rules);
            changed.insert(i, c);
            read[i] = true;
        }
        Ok(changed.into_iter().collect())
    }

    /// The paths commit `id` changes, read once per session.
    fn paths_of(&self, objects: &dyn Objects, id: &str) -> Result<Rc<evidence::paths::Paths>> {
        if let Some(paths) = self.paths_read.borrow().get(id) {
            return Ok(Rc::clone(paths));
        }
        let (tree, parent) = self.repo.trees_of(id)?;
        let paths = evidence::paths::read(objects, &self.config.path_classes, tree, parent)?;
        let paths = Rc::new(paths);
        self.paths_read
            .borrow_mut()
            .insert(id.to_string(), Rc::clone(&paths));
        Ok(paths)
    }

    /// Whether a feature the API cannot lower stays one whatever else is read:
    /// not cancelled, excluded or overridden, and kept by its paths (read for
    /// each such feature until one is kept, on a copy: the paths stage reads
    /// them again in its turn). Lowering keyword features cannot change the
    /// version then.
    pub(super) fn feature_stands(
        &self,
        objects: &dyn Objects,
        commits: &[Classified],
    ) -> Result<bool> {
        for c in commits {
            if c.cancelled()
                || c.excluded
                || c.kind < classify::Kind::Feature
                || classify::api::lowerable(c)
                || self.overridden(c.id())?
            {
                continue;
            }
            if !self.config.evidence.paths {
                return Ok(true);
            }
            let paths = self.paths_of(objects, c.id())?;
            let mut read = c.clone();
            classify::with_paths(&mut read, &paths, &self.config.rules);
            if read.kind >= classify::Kind::Feature {
                return Ok(true);
            }
        }
        Ok(false)
    }
}
