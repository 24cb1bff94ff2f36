//! The version stage: tags as SemVer versions and the choice of the base
//! release ([`tag`]), and the versioning rule that turns classified commits
//! into the next version ([`decide`]), and which commit can still change it
//! ([`deciding`]). Pure: no git, no I/O.

pub mod decide;
pub mod deciding;
pub mod tag;
