//! The errors the server's public API reports: starting it, creating
//! databases, configuring faults.
//!
//! Problems with one client connection are not errors of the API: they end
//! that connection and are logged with `tracing`.

use std::net::SocketAddr;

use crate::sql::SqlError;

#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    #[error(
        "cannot listen on `{addr}`: {source}\nhint: use port 0 to let the system pick a free port"
    )]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("cannot generate the TLS certificate: {detail}")]
    Certificate { detail: String },
    #[error("cannot set up the SQL engine: {source}")]
    Engine { source: SqlError },
    #[error("cannot create database `{name}`: {source}")]
    Database { name: String, source: SqlError },
    #[error(
        "invalid fault pattern `{pattern}`: {source}\nhint: patterns are regular expressions in the `regex` crate's syntax"
    )]
    Pattern {
        pattern: String,
        source: Box<regex::Error>,
    },
}
