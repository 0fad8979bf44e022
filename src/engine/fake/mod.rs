//! An in-memory stand-in for SQL Server, for tests of everything above the
//! [`Session`](super::Session) trait: a [`FakeServer`] holding databases
//! (objects, a history table, the `wsdb` app lock), a [`FakeEngine`] that
//! connects to it and a [`FakeSession`] that implements `Session`.
//!
//! It models what the executor's guarantees rest on, and nothing else:
//! transactions really buffer and are discarded on rollback (and, like
//! `SET XACT_ABORT ON`, on the first run-time error inside them; a syntax
//! error fails its batch but leaves the transaction open, as on SQL
//! Server), the app lock is
//! shared between sessions and dies with its connection, a statement that
//! outlives its timeout breaks the connection, and every call is logged so
//! tests can assert order and cleanup. Scripts are the tiny language of
//! [`script`], not T-SQL; protocol and SQL fidelity are the TDS test
//! server's job.
//!
//! Compiled for unit tests, and for integration tests or applications with
//! the `test-support` cargo feature.

mod script;
mod session;
#[cfg(test)]
mod tests;

pub use session::FakeSession;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use super::{Engine, EngineError, LockHolder};
use crate::migrate::{AppliedMigration, Version};
use crate::workspace::{Location, Workspace};

/// One call a [`FakeSession`] received, with the arguments tests check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Call {
    Ping,
    Reset,
    ServerInfo,
    Permissions,
    ReadHistory,
    CreateHistoryTable,
    AcquireLock { timeout: Duration },
    ReleaseLock,
    LockState,
    Begin,
    Commit,
    Rollback,
    RunBatch { sql: String, timeout: Duration },
    InsertHistory { version: Version, success: bool },
    DeleteHistory { version: Version },
    UpdateHistory { version: Version },
}

/// The method a [`Call`] went to, for fault injection and filtering.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallKind {
    Ping,
    Reset,
    ServerInfo,
    Permissions,
    ReadHistory,
    CreateHistoryTable,
    AcquireLock,
    ReleaseLock,
    LockState,
    Begin,
    Commit,
    Rollback,
    RunBatch,
    InsertHistory,
    DeleteHistory,
    UpdateHistory,
}

impl Call {
    pub fn kind(&self) -> CallKind {
        match self {
            Call::Ping => CallKind::Ping,
            Call::Reset => CallKind::Reset,
            Call::ServerInfo => CallKind::ServerInfo,
            Call::Permissions => CallKind::Permissions,
            Call::ReadHistory => CallKind::ReadHistory,
            Call::CreateHistoryTable => CallKind::CreateHistoryTable,
            Call::AcquireLock { .. } => CallKind::AcquireLock,
            Call::ReleaseLock => CallKind::ReleaseLock,
            Call::LockState => CallKind::LockState,
            Call::Begin => CallKind::Begin,
            Call::Commit => CallKind::Commit,
            Call::Rollback => CallKind::Rollback,
            Call::RunBatch { .. } => CallKind::RunBatch,
            Call::InsertHistory { .. } => CallKind::InsertHistory,
            Call::DeleteHistory { .. } => CallKind::DeleteHistory,
            Call::UpdateHistory { .. } => CallKind::UpdateHistory,
        }
    }
}

/// What a database holds that a transaction can change.
#[derive(Debug, Clone, Default)]
struct Data {
    /// Object name → (kind, row count).
    objects: BTreeMap<String, (String, u64)>,
    /// `None` until the history table is created.
    history: Option<BTreeMap<Version, AppliedMigration>>,
}

#[derive(Debug, Default)]
struct Database {
    data: Data,
    /// Session id and identity of the `wsdb` app lock's holder.
    lock: Option<(i32, LockHolder)>,
}

#[derive(Debug, Default)]
struct ServerState {
    databases: BTreeMap<String, Database>,
    last_session_id: i32,
    /// While true, the engine cannot reach the server (connect and create fail).
    down: bool,
}

/// An in-memory server shared by every fake session connected to it.
/// Cloning shares the same server.
#[derive(Debug, Clone, Default)]
pub struct FakeServer {
    state: Arc<Mutex<ServerState>>,
}

impl FakeServer {
    pub fn new() -> FakeServer {
        FakeServer::default()
    }

    /// A server holding one empty database.
    pub fn with_database(name: &str) -> FakeServer {
        let server = FakeServer::new();
        server.create_database(name);
        server
    }

    /// Creates an empty database; `false` when it already existed.
    pub fn create_database(&self, name: &str) -> bool {
        let mut state = self.state();
        if state.databases.contains_key(name) {
            return false;
        }
        state.databases.insert(name.to_owned(), Database::default());
        true
    }

    /// Makes the server unreachable (or reachable again) for [`FakeEngine`]:
    /// its `connect` and `create_database` fail with `Unreachable`.
    pub fn set_down(&self, down: bool) {
        self.state().down = down;
    }

    fn reachable(&self) -> Result<(), EngineError> {
        if self.state().down {
            return Err(EngineError::Unreachable {
                server: "fake:1433".to_owned(),
                message: "connection refused".to_owned(),
            });
        }
        Ok(())
    }

    pub fn has_database(&self, name: &str) -> bool {
        self.state().databases.contains_key(name)
    }

    /// Opens a session as login `wsdb` from host `fake-host`.
    pub fn connect(&self, database: &str) -> Result<FakeSession, EngineError> {
        self.connect_as(database, "wsdb", "fake-host")
    }

    /// Opens a session with a given login and host, as the lock holder
    /// reported to other sessions will show them.
    pub fn connect_as(
        &self,
        database: &str,
        login: &str,
        host: &str,
    ) -> Result<FakeSession, EngineError> {
        let session_id = {
            let mut state = self.state();
            if !state.databases.contains_key(database) {
                return Err(EngineError::UnknownDatabase {
                    database: database.to_owned(),
                });
            }
            state.last_session_id += 1;
            state.last_session_id
        };
        let identity = LockHolder {
            session_id: Some(session_id),
            login: Some(login.to_owned()),
            host: Some(host.to_owned()),
            program: Some("wsdb".to_owned()),
        };
        Ok(FakeSession::new(
            self.clone(),
            database.to_owned(),
            session_id,
            identity,
        ))
    }

    /// Committed object names of a database, sorted.
    pub fn objects(&self, database: &str) -> Vec<String> {
        self.read(database, |db| db.data.objects.keys().cloned().collect())
            .unwrap_or_default()
    }

    /// Committed row count of an object.
    pub fn rows(&self, database: &str, object: &str) -> Option<u64> {
        self.read(database, |db| {
            db.data.objects.get(object).map(|(_, rows)| *rows)
        })
        .flatten()
    }

    /// Committed history rows in version order; `None` without a history table.
    pub fn history(&self, database: &str) -> Option<Vec<AppliedMigration>> {
        self.read(database, |db| {
            db.data
                .history
                .as_ref()
                .map(|rows| rows.values().cloned().collect())
        })
        .flatten()
    }

    /// Test setup: creates the history table if needed and writes these
    /// rows as they are (to build drift, unknown versions, failed rows).
    pub fn put_history(&self, database: &str, rows: impl IntoIterator<Item = AppliedMigration>) {
        let mut state = self.state();
        let db = state.databases.entry(database.to_owned()).or_default();
        let history = db.data.history.get_or_insert_with(BTreeMap::new);
        for row in rows {
            history.insert(row.version, row);
        }
    }

    /// Test setup: an object that exists before any migration ran.
    pub fn put_object(&self, database: &str, name: &str) {
        let mut state = self.state();
        let db = state.databases.entry(database.to_owned()).or_default();
        db.data
            .objects
            .insert(name.to_owned(), ("table".to_owned(), 0));
    }

    /// Who holds the database's `wsdb` app lock.
    pub fn lock_holder(&self, database: &str) -> Option<LockHolder> {
        self.read(database, |db| {
            db.lock.as_ref().map(|(_, holder)| holder.clone())
        })
        .flatten()
    }

    fn read<R>(&self, database: &str, f: impl FnOnce(&Database) -> R) -> Option<R> {
        self.state().databases.get(database).map(f)
    }

    fn state(&self) -> MutexGuard<'_, ServerState> {
        // A test that panicked while holding the lock already failed; the
        // state itself is still consistent enough to inspect.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Where a fake workspace lives: just its database name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FakeTarget {
    pub database: String,
}

/// An [`Engine`] over a [`FakeServer`]: every workspace is a database on it.
#[derive(Debug, Clone, Default)]
pub struct FakeEngine {
    pub server: FakeServer,
}

impl FakeEngine {
    pub fn new(server: FakeServer) -> FakeEngine {
        FakeEngine { server }
    }
}

impl Engine for FakeEngine {
    type Target = FakeTarget;
    type Session = FakeSession;

    fn resolve(&self, workspace: &Workspace) -> Result<FakeTarget, EngineError> {
        match &workspace.location {
            Location::Parts { database, .. } if !database.is_empty() => Ok(FakeTarget {
                database: database.clone(),
            }),
            Location::Parts { .. } => Err(EngineError::InvalidTarget {
                key: "database",
                reason: "expected a database name, found an empty string".to_owned(),
            }),
            Location::ConnectionString(_) => Err(EngineError::InvalidTarget {
                key: "connection_string",
                reason: "the fake engine only takes host, port and database columns".to_owned(),
            }),
        }
    }

    fn server_key(&self, _target: &FakeTarget) -> String {
        "fake:1433".to_owned()
    }

    async fn connect(&self, target: &FakeTarget) -> Result<FakeSession, EngineError> {
        self.server.reachable()?;
        self.server.connect(&target.database)
    }

    async fn create_database(&self, target: &FakeTarget) -> Result<bool, EngineError> {
        self.server.reachable()?;
        Ok(self.server.create_database(&target.database))
    }
}
