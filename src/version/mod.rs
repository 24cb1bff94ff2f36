//! The version stage: tags as SemVer versions and the choice of the base
//! release ([`tag`]), and the versioning rule that turns classified commits
//! into the next version ([`decide`]), which commit can still change it
//! ([`deciding`]), the habits a project's past releases show ([`habits`]), and
//! how sure a proposal is ([`confidence`]). Pure: no git, no I/O.

pub mod confidence;
pub mod decide;
pub mod deciding;
pub mod habits;
pub mod tag;
