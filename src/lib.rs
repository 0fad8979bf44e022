//! wsdb: migrate and administer a fleet of per-workspace SQL Server databases
//! whose registry lives in a PostgreSQL control database.
//!
//! The crate is a library first: the `wsdb` binary is a thin shell over
//! [`cli`], and an application service can embed the connection layer
//! ([`pool`]) or validate a workspace's schema version at startup
//! ([`migrate::validate`]).
//!
//! Dependencies point one way: [`migrate`] knows no database; [`engine`]
//! knows `migrate`'s types; [`pool`] knows the engine traits; [`fleet`] uses
//! `pool` and `migrate::execute`; [`report`] knows only events and outcomes;
//! [`cli`] is the only module that knows them all. See `docs/architecture.md`.

pub mod cli;
pub mod config;
pub mod control;
pub mod engine;
pub mod exit;
pub mod fleet;
pub mod migrate;
pub mod pool;
pub mod report;
pub mod workspace;
