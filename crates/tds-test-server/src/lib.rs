//! A TDS test double that stands in for SQL Server in wsdb's tests and demo.
//!
//! `server` speaks enough TDS 7.3/7.4 for tiberius; `sql` executes the T-SQL
//! subset documented in README.md on one SQLite database per SQL Server
//! database. It is a test double, not a database to run anything on.

mod server;
pub mod sql;
mod wire;
