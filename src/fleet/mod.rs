//! Fleet runs: many workspaces, bounded concurrency, rollout controls.
//!
//! [`schedule::run`] drives any per-workspace job over a list (or a queue) of
//! workspaces: global concurrency, a cap per SQL Server host, canaries first,
//! an error budget, and Ctrl-C handling. It knows nothing of SQL or output:
//! jobs report through their own outcome values, and the caller turns them
//! into events. [`shard`] splits a fleet deterministically between runners.

pub mod budget;
pub mod interrupt;
pub mod schedule;
pub mod shard;

pub use budget::FailureBudget;
pub use interrupt::Interrupt;
pub use schedule::{FleetEnd, FleetOptions, Source, StopReason};
