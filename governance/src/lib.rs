//! eventbind's governance, what CI runs on a catalog: [`lint`] rules, [`compat`]ibility between
//! two versions of a schema under a policy, [`check`] (lint + compatibility + version bumps
//! against a git base), their [`findings`] and [`report`]s in CI formats, and [`git`] access;
//! [`publish`] to a schema registry, with the `registry:` section of `eventbind.yaml`
//! ([`registry_config`]), subject naming ([`subjects`]) and schema [`references`].

// Diagnostics are large, and only made on the cold path of bad input.
#![allow(clippy::result_large_err)]

pub mod check;
pub mod compat;
pub mod findings;
pub mod git;
pub mod lint;
pub mod publish;
pub mod references;
pub mod registry_config;
pub mod report;
pub mod subjects;
