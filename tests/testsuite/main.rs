//! The one integration test binary: real git repositories, the real `bumpwise` binary.

mod action;
mod base;
mod bench_generator;
mod changelog;
mod check;
mod ci;
mod classify;
mod corpus;
mod decide;
mod deprecations;
mod errors;
mod evidence;
mod fixture;
mod hints;
mod hostile;
mod json;
mod layout;
mod monorepo;
mod output;
mod overrides;
mod plan;
mod prerelease;
mod properties;
mod subjects;
mod tooling;
mod walk;
