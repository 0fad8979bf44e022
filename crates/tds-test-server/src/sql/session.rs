//! [`Session`]: one connection's state — current database, lazily opened
//! SQLite connections, transaction depth and SQLite write transaction, SET
//! options — and its public API for the protocol layer.
//!
//! A user transaction (`BEGIN TRAN`) is logical until its first write, which
//! takes the database's write permit and opens a SQLite `BEGIN IMMEDIATE`
//! that lives until COMMIT/ROLLBACK; a write outside a transaction holds the
//! permit for that statement only. Reads never take the permit (WAL readers
//! see the last committed data). Dropping a session rolls back, releases its
//! app locks and leaves `sys.dm_exec_sessions`. Running statements is
//! `exec`'s job.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use rusqlite::Connection;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use super::applock::LockOwner;
use super::catalog::{CatalogInner, Database};
use super::functions::{self, FunctionEnv};
use super::{EnvChange, Param, Reply, SessionInfo, SqlError, StatementHook, errors, exec, storage};

/// The SQLite write transaction of a user transaction.
pub(crate) struct OpenWrite {
    pub database_id: i32,
    _permit: OwnedSemaphorePermit,
}

#[derive(Default)]
pub(crate) struct Transaction {
    /// `@@TRANCOUNT`.
    pub depth: u32,
    pub write: Option<OpenWrite>,
}

pub(crate) struct SessionOptions {
    pub xact_abort: bool,
    pub nocount: bool,
    /// `SET LOCK_TIMEOUT` in milliseconds; -1 waits forever.
    pub lock_timeout: i64,
    /// `SET IDENTITY_INSERT t ON`: (database id, table object id).
    pub identity_insert: Option<(i32, i64)>,
}

impl Default for SessionOptions {
    fn default() -> SessionOptions {
        SessionOptions {
            xact_abort: false,
            nocount: false,
            lock_timeout: -1,
            identity_insert: None,
        }
    }
}

/// What a write statement holds while it runs.
pub(crate) enum WriteAccess {
    /// Inside the session's open SQLite transaction.
    InTransaction,
    /// A single autocommit statement; the permit goes when it ends.
    Statement { _permit: OwnedSemaphorePermit },
}

/// One connection's view: its current database, transaction and locks.
/// Dropping it rolls back an open transaction and releases its app locks.
pub struct Session {
    catalog: Arc<CatalogInner>,
    pub(crate) info: SessionInfo,
    database: Arc<Database>,
    connections: HashMap<i32, Connection>,
    pub(crate) tran: Transaction,
    pub(crate) options: SessionOptions,
    pub(crate) hook: Option<StatementHook>,
    /// The last identity value an INSERT generated (SCOPE_IDENTITY()).
    pub(crate) last_identity: Option<i64>,
}

impl Session {
    pub(crate) fn new(
        catalog: Arc<CatalogInner>,
        info: SessionInfo,
        database: Arc<Database>,
    ) -> Session {
        let mut info = info;
        info.database = database.name.clone();
        catalog.register_session(info.clone(), database.id);
        Session {
            catalog,
            info,
            database,
            connections: HashMap::new(),
            tran: Transaction::default(),
            options: SessionOptions::default(),
            hook: None,
            last_identity: None,
        }
    }

    /// The current database's name, as it was created.
    pub fn database(&self) -> &str {
        &self.database.name
    }

    /// Installs the fault-injection hook, called with (database, statement
    /// text) before each statement runs.
    pub fn set_statement_hook(&mut self, hook: StatementHook) {
        self.hook = Some(hook);
    }

    /// Runs a batch. `params` are `sp_executesql`'s (`@P1`, ...). Cancel-safe
    /// at its await points (app lock waits, write-permit waits, WAITFOR):
    /// dropping the future there leaves no half-done statement; call
    /// [`Session::attention`] afterwards.
    pub async fn execute(&mut self, sql: &str, params: &[Param]) -> Vec<Reply> {
        exec::run_batch(self, sql, params).await
    }

    /// After the protocol layer dropped an `execute` future (ATTENTION): the
    /// batch is gone, and with XACT_ABORT ON the open transaction is rolled
    /// back, as SQL Server does on a client cancel.
    pub fn attention(&mut self) -> Vec<Reply> {
        if self.options.xact_abort && self.rollback_transaction() {
            return vec![Reply::EnvChange(EnvChange::RollbackTransaction)];
        }
        Vec::new()
    }

    pub fn in_transaction(&self) -> bool {
        self.tran.depth > 0
    }

    pub(crate) fn spid(&self) -> u16 {
        self.info.spid
    }

    pub(crate) fn database_id(&self) -> i32 {
        self.database.id
    }

    pub(crate) fn catalog(&self) -> &Arc<CatalogInner> {
        &self.catalog
    }

    /// Switches the current database (USE).
    pub(crate) fn switch_database(&mut self, database: Arc<Database>) {
        self.catalog.set_session_database(self.info.spid, &database);
        self.info.database = database.name.clone();
        self.database = database;
    }

    /// Opens the current database's SQLite connection if not yet open.
    pub(crate) fn ensure_connection(&mut self) -> Result<(), SqlError> {
        if self.connections.contains_key(&self.database.id) {
            return Ok(());
        }
        let conn = storage::open_connection(&self.database.path)?;
        let env = FunctionEnv {
            catalog: self.catalog.clone(),
            spid: self.info.spid,
            database_id: self.database.id,
        };
        functions::register(&conn, &env).map_err(|e| storage::sqlite_error(&e))?;
        self.connections.insert(self.database.id, conn);
        Ok(())
    }

    /// The current database's connection; [`Session::ensure_connection`]
    /// must have run.
    pub(crate) fn connection(&self) -> Result<&Connection, SqlError> {
        self.connections
            .get(&self.database.id)
            .ok_or_else(|| errors::internal("no connection is open"))
    }

    /// Gets the right to write for one statement: the open transaction's,
    /// or the database's write permit (waiting, cancel-safely, up to
    /// LOCK_TIMEOUT). Opens the SQLite transaction at a transaction's first
    /// write.
    pub(crate) async fn write_access(&mut self) -> Result<WriteAccess, SqlError> {
        if self.tran.write.is_some() {
            return Ok(WriteAccess::InTransaction);
        }
        let permit = write_permit(self.database.writer.clone(), self.options.lock_timeout).await?;
        if self.tran.depth == 0 {
            return Ok(WriteAccess::Statement { _permit: permit });
        }
        self.ensure_connection()?;
        self.connection()?
            .execute_batch("BEGIN IMMEDIATE")
            .map_err(|e| storage::sqlite_error(&e))?;
        self.tran.write = Some(OpenWrite {
            database_id: self.database.id,
            _permit: permit,
        });
        Ok(WriteAccess::InTransaction)
    }

    /// BEGIN TRAN: one level deeper; true when it started a transaction.
    pub(crate) fn begin_transaction(&mut self) -> bool {
        self.tran.depth += 1;
        self.tran.depth == 1
    }

    /// COMMIT: one level up; at the outermost level commits the SQLite
    /// transaction. `Ok(true)` when the transaction ended.
    pub(crate) fn commit_transaction(&mut self) -> Result<bool, SqlError> {
        if self.tran.depth == 0 {
            return Err(errors::commit_without_begin());
        }
        self.tran.depth -= 1;
        if self.tran.depth > 0 {
            return Ok(false);
        }
        if let Some(write) = self.tran.write.take() {
            let committed = match self.connections.get(&write.database_id) {
                Some(conn) => conn
                    .execute_batch("COMMIT")
                    .map_err(|e| storage::sqlite_error(&e)),
                None => Err(errors::internal("the transaction's connection is gone")),
            };
            if let Err(error) = committed {
                // Closing the connection rolls the SQLite transaction back.
                self.connections.remove(&write.database_id);
                self.catalog
                    .locks
                    .release_all(self.info.spid, Some(LockOwner::Transaction));
                return Err(error);
            }
        }
        self.catalog
            .locks
            .release_all(self.info.spid, Some(LockOwner::Transaction));
        Ok(true)
    }

    /// ROLLBACK: undoes the whole transaction; false when none was open.
    pub(crate) fn rollback_transaction(&mut self) -> bool {
        if self.tran.depth == 0 {
            return false;
        }
        self.tran.depth = 0;
        if let Some(write) = self.tran.write.take() {
            let rolled_back = self
                .connections
                .get(&write.database_id)
                .is_some_and(|c| c.execute_batch("ROLLBACK").is_ok());
            if !rolled_back {
                self.connections.remove(&write.database_id);
            }
        }
        self.catalog
            .locks
            .release_all(self.info.spid, Some(LockOwner::Transaction));
        true
    }
}

/// Waits for a database's write permit, up to `lock_timeout` ms (-1: for
/// ever); error 1222 when the wait times out.
async fn write_permit(
    semaphore: Arc<Semaphore>,
    lock_timeout: i64,
) -> Result<OwnedSemaphorePermit, SqlError> {
    let closed = |_| errors::internal("the database's write permit is gone");
    match u64::try_from(lock_timeout) {
        Err(_) => semaphore.acquire_owned().await.map_err(closed),
        Ok(ms) => {
            match tokio::time::timeout(Duration::from_millis(ms), semaphore.acquire_owned()).await {
                Ok(permit) => permit.map_err(closed),
                Err(_) => Err(errors::lock_timeout()),
            }
        }
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        self.rollback_transaction();
        // Closing the connections (after the rollback above) frees SQLite
        // before the permit goes with `tran`.
        self.connections.clear();
        self.catalog.locks.release_all(self.info.spid, None);
        self.catalog.unregister_session(self.info.spid);
    }
}
