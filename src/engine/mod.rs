//! Every byte of SQL dialect lives under this module. The rest of wsdb talks
//! to workspace databases through two traits: [`Engine`] (validates targets,
//! opens sessions, creates databases) and [`Session`] (one open connection:
//! history table, app lock, transactions, raw batches).
//!
//! `mssql/` implements them for SQL Server over TDS (tiberius). Tests of the
//! executor use an in-memory fake session instead.

#[cfg(any(test, feature = "test-support"))]
pub mod fake;
pub mod mssql;

use std::fmt;
use std::future::Future;
use std::time::Duration;

use serde::Serialize;

use crate::migrate::{AppliedMigration, Checksum, Version};
use crate::workspace::Workspace;

/// What a server says about itself and this connection (`wsdb check`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ServerInfo {
    /// `SERVERPROPERTY('ProductVersion')`, e.g. `16.0.4135.4`.
    pub product_version: String,
    /// The first line of `@@VERSION`.
    pub banner: String,
    /// `DB_NAME()` of this session.
    pub database: String,
    /// Whether the connection is encrypted with TLS.
    pub tls: bool,
}

/// Who holds a workspace's lock, as far as the server tells.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LockHolder {
    pub session_id: Option<i32>,
    pub login: Option<String>,
    pub host: Option<String>,
    pub program: Option<String>,
}

impl fmt::Display for LockHolder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts = Vec::new();
        if let Some(id) = self.session_id {
            parts.push(format!("session {id}"));
        }
        if let Some(program) = &self.program {
            parts.push(format!("program `{program}`"));
        }
        if let Some(host) = &self.host {
            parts.push(format!("host `{host}`"));
        }
        if let Some(login) = &self.login {
            parts.push(format!("login `{login}`"));
        }
        if parts.is_empty() {
            f.write_str("unknown holder")
        } else {
            f.write_str(&parts.join(", "))
        }
    }
}

/// Result of asking for the workspace's exclusive app lock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LockOutcome {
    Acquired,
    /// Still busy after the timeout; `holder` when the server tells.
    Busy {
        holder: Option<LockHolder>,
    },
}

/// The lock as seen by a read-only command, without taking it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LockState {
    Free,
    Held { holder: Option<LockHolder> },
}

/// What the login may do in its database (`--preflight`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Permissions {
    pub create_table: bool,
    pub alter: bool,
}

/// A history row to write; `applied_at` is the server's clock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewHistoryRow {
    pub version: Version,
    pub name: String,
    pub checksum: Checksum,
    pub duration_ms: u64,
    pub applied_by: String,
    pub wsdb_version: String,
    pub success: bool,
}

/// Which phase of talking to a server ran out of time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    Connect,
    Login,
    Statement,
    HealthCheck,
}

impl fmt::Display for Phase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Phase::Connect => "connecting",
            Phase::Login => "logging in",
            Phase::Statement => "running a statement",
            Phase::HealthCheck => "checking connection health",
        })
    }
}

/// Everything that can go wrong talking to one workspace database.
/// Structured, so callers decide on retries and exit codes by kind, not text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EngineError {
    #[error("invalid connection setting `{key}`: {reason}")]
    InvalidTarget { key: &'static str, reason: String },
    #[error("cannot reach `{server}`: {message}")]
    Unreachable { server: String, message: String },
    #[error("timed out after {after:?} while {phase}")]
    Timeout { phase: Phase, after: Duration },
    #[error("login failed for user `{user}` (error {number}): {message}")]
    LoginFailed {
        user: String,
        number: u32,
        message: String,
    },
    #[error("database `{database}` does not exist or the login cannot open it (error 4060)")]
    UnknownDatabase { database: String },
    #[error("TLS: {message}")]
    Tls { message: String },
    #[error("connected to database `{found}` but expected `{expected}`")]
    WrongDatabase { expected: String, found: String },
    #[error("SQL Server error {number} (state {state}, class {class}, line {line}): {message}")]
    Server {
        number: u32,
        state: u8,
        class: u8,
        line: u32,
        message: String,
    },
    #[error("connection lost: {message}")]
    ConnectionLost { message: String },
    #[error("protocol error: {message}")]
    Protocol { message: String },
}

impl EngineError {
    /// Whether retrying can help: connect-phase I/O, timeouts while
    /// connecting, deadlock victims (1205). Wrong passwords, unknown
    /// databases, TLS refusals and script errors are permanent.
    pub fn is_transient(&self) -> bool {
        match self {
            EngineError::Unreachable { .. } | EngineError::ConnectionLost { .. } => true,
            EngineError::Timeout { phase, .. } => matches!(phase, Phase::Connect | Phase::Login),
            EngineError::Server { number, .. } => *number == 1205,
            _ => false,
        }
    }
}

type EngineResult<T> = Result<T, EngineError>;

/// Connects to workspace databases of one dialect.
pub trait Engine: Send + Sync + 'static {
    /// Validated connection parameters of one workspace.
    type Target: Clone + fmt::Debug + Send + Sync + 'static;
    type Session: Session;

    /// Builds and validates the target of a workspace (no network).
    fn resolve(&self, workspace: &Workspace) -> EngineResult<Self::Target>;

    /// The server a target lives on (`host:port`), for per-server caps.
    fn server_key(&self, target: &Self::Target) -> String;

    /// Opens one session bound to the target's database.
    fn connect(
        &self,
        target: &Self::Target,
    ) -> impl Future<Output = EngineResult<Self::Session>> + Send;

    /// Creates the target's database when it does not exist (via the
    /// server's `master`); `Ok(true)` when it was created.
    fn create_database(
        &self,
        target: &Self::Target,
    ) -> impl Future<Output = EngineResult<bool>> + Send;
}

/// One open connection to a workspace database.
pub trait Session: Send + 'static {
    /// The database this session is bound to (checked with `DB_NAME()` at connect).
    fn database(&self) -> &str;

    /// True once an I/O error or timeout left the connection unusable; a
    /// broken session is closed, never pooled.
    fn is_broken(&self) -> bool;

    /// Whether the session may go back to a pool after a successful
    /// [`reset`](Session::reset). False when broken, and for sessions whose
    /// state a reset cannot vouch for (SQL Server: one that ran user batches,
    /// which may have changed any SET option).
    fn is_reusable(&self) -> bool {
        !self.is_broken()
    }

    /// `SELECT 1` within `timeout`.
    fn ping(&mut self, timeout: Duration) -> impl Future<Output = EngineResult<()>> + Send;

    /// Undoes what wsdb changed in this session (open transaction, app lock,
    /// SET options) and confirms it is clean; an error means "close it".
    /// A session that only answered wsdb's read-only queries since its last
    /// check may skip the round trip: nothing can have changed.
    fn reset(&mut self) -> impl Future<Output = EngineResult<()>> + Send;

    fn server_info(&mut self) -> impl Future<Output = EngineResult<ServerInfo>> + Send;

    fn permissions(&mut self) -> impl Future<Output = EngineResult<Permissions>> + Send;

    /// The history rows in version order; `None` when the table does not
    /// exist yet (read-only commands never create it).
    fn read_history(
        &mut self,
    ) -> impl Future<Output = EngineResult<Option<Vec<AppliedMigration>>>> + Send;

    fn create_history_table(&mut self) -> impl Future<Output = EngineResult<()>> + Send;

    /// `sp_getapplock` (session owner, exclusive) on resource `wsdb`.
    fn acquire_lock(
        &mut self,
        timeout: Duration,
    ) -> impl Future<Output = EngineResult<LockOutcome>> + Send;

    fn release_lock(&mut self) -> impl Future<Output = EngineResult<()>> + Send;

    /// Whether another session holds the lock, without taking it.
    fn lock_state(&mut self) -> impl Future<Output = EngineResult<LockState>> + Send;

    /// What `status` reads: [`lock_state`](Session::lock_state) and
    /// [`read_history`](Session::read_history). An engine may answer both in
    /// one round trip (SQL Server does): a fleet status is mostly round trips.
    fn status_snapshot(
        &mut self,
    ) -> impl Future<Output = EngineResult<(LockState, Option<Vec<AppliedMigration>>)>> + Send {
        async move {
            let lock = self.lock_state().await?;
            Ok((lock, self.read_history().await?))
        }
    }

    /// `SET XACT_ABORT ON; BEGIN TRANSACTION`.
    fn begin(&mut self) -> impl Future<Output = EngineResult<()>> + Send;

    fn commit(&mut self) -> impl Future<Output = EngineResult<()>> + Send;

    /// `IF @@TRANCOUNT > 0 ROLLBACK`: safe to call in any state.
    fn rollback(&mut self) -> impl Future<Output = EngineResult<()>> + Send;

    /// Sends one migration batch as a raw batch (never `sp_executesql`).
    fn run_batch(
        &mut self,
        sql: &str,
        timeout: Duration,
    ) -> impl Future<Output = EngineResult<()>> + Send;

    fn insert_history(
        &mut self,
        row: &NewHistoryRow,
    ) -> impl Future<Output = EngineResult<()>> + Send;

    fn delete_history(&mut self, version: Version)
    -> impl Future<Output = EngineResult<()>> + Send;

    /// Realigns a row after `wsdb repair`: new checksum and name, success = 1.
    fn update_history(
        &mut self,
        version: Version,
        name: &str,
        checksum: Checksum,
    ) -> impl Future<Output = EngineResult<()>> + Send;

    /// Closes the connection politely.
    fn close(self) -> impl Future<Output = ()> + Send
    where
        Self: Sized;
}
