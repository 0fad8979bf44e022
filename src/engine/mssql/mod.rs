//! SQL Server over TDS (tiberius): [`MssqlEngine`] implements
//! [`Engine`](crate::engine::Engine) and [`MssqlSession`] implements
//! [`Session`](crate::engine::Session).
//!
//! - `target.rs`: a workspace row + `[mssql]` defaults → validated [`MssqlTarget`]
//!   (`ado.rs` parses ADO.NET connection strings);
//! - `connect.rs`: TCP, TLS, login, Azure redirects, timeouts;
//! - `session/`: the statements of `sql.rs` on one connection, statement
//!   timeouts, broken/tainted bookkeeping; `session/lock.rs` the app lock;
//! - `error.rs`: tiberius errors → [`EngineError`] kinds; `rows.rs`: typed reads.
//!
//! Connection pooling, retries and backoff are not here: see [`crate::pool`].
//! docs/connections.md describes the settings and failures for users.

mod ado;
#[cfg(test)]
mod commit_tests;
mod connect;
mod error;
mod rows;
mod session;
mod sql;
mod target;

pub use session::MssqlSession;
pub use sql::quote_identifier;
pub use target::{MssqlTarget, Trust};

use crate::config::MssqlSettings;
use crate::engine::{Engine, EngineError, Session};
use crate::workspace::Workspace;

/// "Database already exists": a concurrent `provision` won the race.
const DATABASE_EXISTS: u32 = 1801;

/// The SQL Server engine. Holds only the env's `[mssql]` defaults; every
/// connection is opened from a [`MssqlTarget`].
///
/// ```no_run
/// # async fn demo(workspace: wsdb::workspace::Workspace) -> Result<(), wsdb::engine::EngineError> {
/// use wsdb::config::MssqlSettings;
/// use wsdb::engine::{Engine, Session};
/// use wsdb::engine::mssql::MssqlEngine;
///
/// let engine = MssqlEngine::new(MssqlSettings::default());
/// let target = engine.resolve(&workspace)?; // validated, no network yet
/// let mut session = engine.connect(&target).await?;
/// let history = session.read_history().await?;
/// session.close().await;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct MssqlEngine {
    settings: MssqlSettings,
}

impl MssqlEngine {
    pub fn new(settings: MssqlSettings) -> MssqlEngine {
        MssqlEngine { settings }
    }

    pub fn settings(&self) -> &MssqlSettings {
        &self.settings
    }
}

impl Engine for MssqlEngine {
    type Target = MssqlTarget;
    type Session = MssqlSession;

    fn resolve(&self, workspace: &Workspace) -> Result<MssqlTarget, EngineError> {
        target::resolve(&self.settings, workspace)
    }

    fn server_key(&self, target: &MssqlTarget) -> String {
        target.server()
    }

    async fn connect(&self, target: &MssqlTarget) -> Result<MssqlSession, EngineError> {
        session::open(target).await
    }

    async fn create_database(&self, target: &MssqlTarget) -> Result<bool, EngineError> {
        let mut master = session::open(&target.on_database("master")).await?;
        let created = master.create_database(&target.database).await;
        master.close().await;
        match created {
            Err(EngineError::Server { number, .. }) if number == DATABASE_EXISTS => Ok(false),
            other => other,
        }
    }
}
