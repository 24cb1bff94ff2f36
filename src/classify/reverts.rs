//! Revert pairs: a commit reverted inside the range and its revert cancel out.

use super::Classified;
use crate::evidence::message::RevertTarget;

/// Cancels each commit of a range (newest first, as walked) that is reverted
/// inside the range, together with its revert. A revert of a revert restores
/// the original: the newest effective revert wins.
pub fn pair_reverts(out: &mut [Classified]) {
    for i in 0..out.len() {
        if out[i].reverted_by().is_some() {
            continue; // itself cancelled by a newer revert: it cancels nothing
        }
        let Some(target) = out[i].commit.reverts.clone() else {
            continue;
        };
        let found = (i + 1..out.len()).find(|&j| {
            out[j].reverted_by().is_none()
                && match target.as_ref() {
                    RevertTarget::Id(id) => out[j].id().starts_with(id.as_str()),
                    RevertTarget::Subject(subject) => *out[j].commit.subject == **subject,
                }
        });
        if let Some(j) = found {
            let (reverting, reverted): (Box<str>, Box<str>) =
                (Box::from(&*out[i].id()), Box::from(&*out[j].id()));
            out[i].revert_pair.get_or_insert_default().reverts = Some(reverted);
            out[j].revert_pair.get_or_insert_default().reverted_by = Some(reverting);
        }
    }
}
