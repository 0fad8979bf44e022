//! [`FakeSession`]: one connection to a [`FakeServer`] database, implementing
//! [`Session`] with the semantics the executor relies on (see the module
//! docs of `fake`). Fault injection ([`FakeSession::fail_on`]) makes any
//! call fail once, so error paths and cleanup can be tested.

use std::collections::BTreeMap;
use std::time::Duration;

use chrono::Utc;

use super::script::{self, Action};
use super::{Call, CallKind, Data, FakeServer};
use crate::engine::{
    EngineError, LockHolder, LockOutcome, LockState, NewHistoryRow, Permissions, Phase, ServerInfo,
    Session,
};
use crate::migrate::{AppliedMigration, Checksum, Version};

/// A session on a [`FakeServer`] database.
#[derive(Debug)]
pub struct FakeSession {
    server: FakeServer,
    database: String,
    session_id: i32,
    identity: LockHolder,
    /// The open transaction's private copy of the data: written back on
    /// commit, dropped on rollback.
    transaction: Option<Data>,
    holds_lock: bool,
    broken: bool,
    calls: Vec<Call>,
    faults: Vec<(CallKind, EngineError)>,
}

type Result<T> = std::result::Result<T, EngineError>;

impl FakeSession {
    pub(super) fn new(
        server: FakeServer,
        database: String,
        session_id: i32,
        identity: LockHolder,
    ) -> FakeSession {
        FakeSession {
            server,
            database,
            session_id,
            identity,
            transaction: None,
            holds_lock: false,
            broken: false,
            calls: Vec::new(),
            faults: Vec::new(),
        }
    }

    /// Every call this session received, in order.
    pub fn calls(&self) -> &[Call] {
        &self.calls
    }

    /// The calls of one kind.
    pub fn calls_of(&self, kind: CallKind) -> Vec<&Call> {
        self.calls.iter().filter(|c| c.kind() == kind).collect()
    }

    /// The next call of `kind` fails with `error` (once). A
    /// `ConnectionLost` error also breaks the session, as on a real server.
    pub fn fail_on(&mut self, kind: CallKind, error: EngineError) {
        self.faults.push((kind, error));
    }

    pub fn in_transaction(&self) -> bool {
        self.transaction.is_some()
    }

    pub fn holds_lock(&self) -> bool {
        self.holds_lock
    }

    /// The identity other sessions see when this one holds the lock.
    pub fn identity(&self) -> &LockHolder {
        &self.identity
    }

    /// Logs the call, then fails it if the session is broken or a fault
    /// was injected for it.
    fn enter(&mut self, call: Call) -> Result<()> {
        let kind = call.kind();
        self.calls.push(call);
        if self.broken {
            return Err(EngineError::ConnectionLost {
                message: "the fake connection is broken".to_owned(),
            });
        }
        if let Some(index) = self.faults.iter().position(|(k, _)| *k == kind) {
            let (_, error) = self.faults.remove(index);
            if matches!(error, EngineError::ConnectionLost { .. }) {
                self.break_connection();
            }
            return Err(error);
        }
        Ok(())
    }

    /// What a dropped connection does on a real server: the transaction
    /// rolls back and the session's app lock is freed.
    fn break_connection(&mut self) {
        self.broken = true;
        self.transaction = None;
        self.free_lock();
    }

    fn free_lock(&mut self) {
        if self.holds_lock {
            let mut state = self.server.state();
            if let Some(db) = state.databases.get_mut(&self.database)
                && db
                    .lock
                    .as_ref()
                    .is_some_and(|(id, _)| *id == self.session_id)
            {
                db.lock = None;
            }
            self.holds_lock = false;
        }
    }

    /// Runs `f` on the data this session sees: its transaction's copy, or
    /// the committed data (autocommit) outside a transaction.
    fn with_data<R>(&mut self, f: impl FnOnce(&mut Data) -> R) -> R {
        if let Some(data) = self.transaction.as_mut() {
            return f(data);
        }
        let mut state = self.server.state();
        let db = state.databases.entry(self.database.clone()).or_default();
        f(&mut db.data)
    }

    /// Runs one batch statement by statement; the first error stops it.
    async fn execute(&mut self, sql: &str) -> Result<()> {
        let statements = script::parse(sql);
        // A compile error fails the whole batch before any statement runs,
        // and SET XACT_ABORT does not apply to it: the transaction stays
        // open, so only an explicit rollback undoes earlier batches.
        if let Some((line, near)) = statements.iter().find_map(|s| match &s.action {
            Action::Syntax { near } => Some((s.line, near.clone())),
            _ => None,
        }) {
            return Err(server_error(
                102,
                line,
                format!("Incorrect syntax near '{near}'."),
            ));
        }
        for statement in statements {
            let line = statement.line;
            let outcome = match statement.action {
                Action::Sleep(after) => {
                    tokio::time::sleep(after).await;
                    Ok(())
                }
                action => self.with_data(|data| apply(data, action)),
            };
            if let Err((number, message)) = outcome {
                // SET XACT_ABORT ON: a run-time error rolls back the whole
                // transaction, not just the statement.
                self.transaction = None;
                return Err(server_error(number, line, message));
            }
        }
        Ok(())
    }
}

fn apply(data: &mut Data, action: Action) -> std::result::Result<(), (u32, String)> {
    match action {
        Action::Create { kind, name } => {
            if data.objects.contains_key(&name) {
                return Err((
                    2714,
                    format!("There is already an object named '{name}' in the database."),
                ));
            }
            data.objects.insert(name, (kind, 0));
        }
        Action::Drop { kind, name } => {
            if data.objects.remove(&name).is_none() {
                return Err((
                    3701,
                    format!(
                        "Cannot drop the {kind} '{name}', because it does not exist or you do not have permission."
                    ),
                ));
            }
        }
        Action::Insert { name } => match data.objects.get_mut(&name) {
            Some((_, rows)) => *rows += 1,
            None => return Err((208, format!("Invalid object name '{name}'."))),
        },
        Action::Fail { number, message } => return Err((number, message)),
        // Compile errors were raised before the batch ran.
        Action::Syntax { .. } | Action::Sleep(_) | Action::Nothing => {}
    }
    Ok(())
}

fn server_error(number: u32, line: u32, message: String) -> EngineError {
    EngineError::Server {
        number,
        state: 1,
        class: 16,
        line,
        message,
    }
}

fn history_table(data: &mut Data) -> Result<&mut BTreeMap<Version, AppliedMigration>> {
    data.history
        .as_mut()
        .ok_or_else(|| server_error(208, 1, "Invalid object name 'dbo.wsdb_history'.".to_owned()))
}

impl Session for FakeSession {
    fn database(&self) -> &str {
        &self.database
    }

    fn is_broken(&self) -> bool {
        self.broken
    }

    async fn ping(&mut self, _timeout: Duration) -> Result<()> {
        self.enter(Call::Ping)
    }

    async fn reset(&mut self) -> Result<()> {
        self.enter(Call::Reset)?;
        self.transaction = None;
        self.free_lock();
        Ok(())
    }

    async fn server_info(&mut self) -> Result<ServerInfo> {
        self.enter(Call::ServerInfo)?;
        Ok(ServerInfo {
            product_version: "16.0.0.0".to_owned(),
            banner: "wsdb fake server".to_owned(),
            database: self.database.clone(),
            tls: false,
        })
    }

    async fn permissions(&mut self) -> Result<Permissions> {
        self.enter(Call::Permissions)?;
        Ok(Permissions {
            create_table: true,
            alter: true,
        })
    }

    async fn read_history(&mut self) -> Result<Option<Vec<AppliedMigration>>> {
        self.enter(Call::ReadHistory)?;
        Ok(self.with_data(|data| {
            data.history
                .as_ref()
                .map(|rows| rows.values().cloned().collect())
        }))
    }

    async fn create_history_table(&mut self) -> Result<()> {
        self.enter(Call::CreateHistoryTable)?;
        self.with_data(|data| {
            data.history.get_or_insert_with(BTreeMap::new);
        });
        Ok(())
    }

    async fn acquire_lock(&mut self, timeout: Duration) -> Result<LockOutcome> {
        self.enter(Call::AcquireLock { timeout })?;
        // The fake does not wait for `timeout`: a lock held by another
        // session is reported busy at once, which is what a test needs.
        let mut state = self.server.state();
        let db = state.databases.entry(self.database.clone()).or_default();
        match &db.lock {
            Some((id, holder)) if *id != self.session_id => Ok(LockOutcome::Busy {
                holder: Some(holder.clone()),
            }),
            _ => {
                db.lock = Some((self.session_id, self.identity.clone()));
                self.holds_lock = true;
                Ok(LockOutcome::Acquired)
            }
        }
    }

    async fn release_lock(&mut self) -> Result<()> {
        self.enter(Call::ReleaseLock)?;
        if !self.holds_lock {
            return Err(server_error(
                1223,
                1,
                "Cannot release the application lock (Database Principal: 'public', Resource: 'wsdb') because it is not currently held.".to_owned(),
            ));
        }
        self.free_lock();
        Ok(())
    }

    async fn lock_state(&mut self) -> Result<LockState> {
        self.enter(Call::LockState)?;
        let state = self.server.state();
        let holder = state
            .databases
            .get(&self.database)
            .and_then(|db| db.lock.as_ref())
            .filter(|(id, _)| *id != self.session_id);
        Ok(match holder {
            Some((_, holder)) => LockState::Held {
                holder: Some(holder.clone()),
            },
            None => LockState::Free,
        })
    }

    async fn begin(&mut self) -> Result<()> {
        self.enter(Call::Begin)?;
        if self.transaction.is_some() {
            // wsdb never nests transactions; a real server would silently
            // nest, so the fake makes the bug loud instead.
            return Err(EngineError::Protocol {
                message: "fake: BEGIN TRANSACTION inside an open transaction".to_owned(),
            });
        }
        let snapshot = self.with_data(|data| data.clone());
        self.transaction = Some(snapshot);
        Ok(())
    }

    async fn commit(&mut self) -> Result<()> {
        self.enter(Call::Commit)?;
        let Some(data) = self.transaction.take() else {
            return Err(server_error(
                3902,
                1,
                "The COMMIT TRANSACTION request has no corresponding BEGIN TRANSACTION.".to_owned(),
            ));
        };
        let mut state = self.server.state();
        state
            .databases
            .entry(self.database.clone())
            .or_default()
            .data = data;
        Ok(())
    }

    async fn rollback(&mut self) -> Result<()> {
        self.enter(Call::Rollback)?;
        self.transaction = None;
        Ok(())
    }

    async fn run_batch(&mut self, sql: &str, timeout: Duration) -> Result<()> {
        self.enter(Call::RunBatch {
            sql: sql.to_owned(),
            timeout,
        })?;
        match tokio::time::timeout(timeout, self.execute(sql)).await {
            Ok(result) => result,
            Err(_elapsed) => {
                // Like the real session: a statement cut by its timeout
                // leaves the connection out of sync, so it is closed.
                self.break_connection();
                Err(EngineError::Timeout {
                    phase: Phase::Statement,
                    after: timeout,
                })
            }
        }
    }

    async fn insert_history(&mut self, row: &NewHistoryRow) -> Result<()> {
        self.enter(Call::InsertHistory {
            version: row.version,
            success: row.success,
        })?;
        let applied = AppliedMigration {
            version: row.version,
            name: row.name.clone(),
            checksum: row.checksum,
            applied_at: Utc::now(),
            duration_ms: row.duration_ms,
            applied_by: row.applied_by.clone(),
            wsdb_version: row.wsdb_version.clone(),
            success: row.success,
        };
        self.with_data(|data| {
            let table = history_table(data)?;
            if table.contains_key(&applied.version) {
                return Err(server_error(
                    2627,
                    1,
                    format!(
                        "Violation of PRIMARY KEY constraint 'PK_wsdb_history'. Cannot insert duplicate key in object 'dbo.wsdb_history'. The duplicate key value is ({}).",
                        applied.version
                    ),
                ));
            }
            table.insert(applied.version, applied);
            Ok(())
        })
    }

    async fn delete_history(&mut self, version: Version) -> Result<()> {
        self.enter(Call::DeleteHistory { version })?;
        self.with_data(|data| {
            history_table(data)?.remove(&version);
            Ok(())
        })
    }

    async fn update_history(
        &mut self,
        version: Version,
        name: &str,
        checksum: Checksum,
    ) -> Result<()> {
        self.enter(Call::UpdateHistory { version })?;
        self.with_data(|data| {
            if let Some(row) = history_table(data)?.get_mut(&version) {
                row.name = name.to_owned();
                row.checksum = checksum;
                row.success = true;
            }
            Ok(())
        })
    }

    async fn close(mut self) {
        self.transaction = None;
        self.free_lock();
    }
}

impl Drop for FakeSession {
    /// The lock dies with the connection, as `sp_getapplock` with a
    /// session owner does on a real server.
    fn drop(&mut self) {
        self.free_lock();
    }
}
