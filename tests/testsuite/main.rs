//! The one integration test binary: real git repositories, the real `bumpwise` binary.

#[cfg(unix)]
mod action;
mod apart;
mod api;
mod backtest;
mod base;
mod bench_generator;
mod changelog;
mod check;
mod ci;
mod classify;
mod confidence;
mod corpus;
mod decide;
mod deprecations;
#[cfg(target_os = "linux")]
mod distribution;
mod docs;
mod errors;
mod evidence;
mod fixture;
mod gomodule;
mod habits;
mod hints;
mod hostile;
#[cfg(target_os = "linux")]
mod image;
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
