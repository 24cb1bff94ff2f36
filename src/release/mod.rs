//! The release guide's steps beyond the version: the check before tagging
//! ([`check`]), the plan ([`plan`]) and the work-tree facts both read
//! ([`facts`]), the images repository's `build.yaml`
//! ([`images`]) and the mkdocs nav ([`mkdocs`]).

pub mod check;
pub mod facts;
pub mod images;
pub mod mkdocs;
pub mod plan;
