//! A TDS test double that stands in for SQL Server in wsdb's tests and demo.
//!
//! `server` speaks enough TDS 7.3/7.4 for tiberius (TLS, logins, batches,
//! `sp_executesql`, transactions, ATTENTION, routing, fault injection,
//! counters); `sql` executes the T-SQL subset documented in that module on one
//! SQLite database per SQL Server database; `wire` is the byte layout of the
//! protocol. It is a test double, not a database to run anything on.

mod server;
pub mod sql;
mod wire;

pub use server::{
    DatabaseStats, Faults, Scope, Server, ServerBuilder, ServerError, Stats, TlsMode,
};
