//! [`Runner`]: the state of one operation on one session — whether a
//! transaction is open, whether the lock is held, what ran — and the
//! lock-work-cleanup frame every changing operation runs in.
//!
//! The frame is the one place that guarantees cleanup: whatever the body
//! returned, an open transaction is rolled back and the lock released, and
//! a failure there marks the session for discarding. The bodies themselves
//! live in `ops` (what each operation does) and `apply` (running scripts).

use std::collections::BTreeSet;

use super::error::{Action, ExecuteError};
use super::report::{Outcome, StepResult, WorkspaceReport};
use super::{ExecEvent, ExecOptions, Operation};
use crate::engine::{EngineError, LockOutcome, Session};
use crate::migrate::{AppliedMigration, MigrationSet, Version};

/// An operation's body ends with an outcome either way; `Err` just lets
/// `?` stop it early.
pub(super) type Body = Result<Outcome, Outcome>;

pub(super) struct Runner<'a, S, F> {
    pub(super) session: &'a mut S,
    pub(super) options: &'a ExecOptions,
    on_event: F,
    in_transaction: bool,
    holds_lock: bool,
    /// Successfully applied versions as far as this run knows (`None`
    /// until the history was read).
    applied: Option<BTreeSet<Version>>,
    before: Option<Version>,
    pub(super) steps: Vec<StepResult>,
    cleanup_error: Option<EngineError>,
}

impl<'a, S: Session, F: FnMut(ExecEvent) + Send> Runner<'a, S, F> {
    pub(super) fn new(session: &'a mut S, options: &'a ExecOptions, on_event: F) -> Self {
        Runner {
            session,
            options,
            on_event,
            in_transaction: false,
            holds_lock: false,
            applied: None,
            before: None,
            steps: Vec::new(),
            cleanup_error: None,
        }
    }

    pub(super) fn emit(&mut self, event: ExecEvent) {
        (self.on_event)(event);
    }

    /// Takes the lock, runs the changing operation, and always cleans up.
    pub(super) async fn locked(&mut self, set: &MigrationSet, operation: Operation) -> Outcome {
        let timeout = self.options.lock_timeout;
        self.emit(ExecEvent::WaitingForLock { timeout });
        match self.session.acquire_lock(timeout).await {
            Ok(LockOutcome::Acquired) => self.holds_lock = true,
            Ok(LockOutcome::Busy { holder }) => return Outcome::Locked { holder },
            Err(source) => {
                return ExecuteError::bookkeeping(Action::AcquireLock, None)(source).into();
            }
        }
        let outcome = self
            .changing(set, operation)
            .await
            .unwrap_or_else(|stop| stop);
        self.clean_up().await;
        outcome
    }

    async fn changing(&mut self, set: &MigrationSet, operation: Operation) -> Body {
        match operation {
            Operation::Migrate { target, .. } => self.migrate(set, target).await,
            Operation::Rollback { target, .. } => self.rollback(set, target).await,
            Operation::Baseline { version } => self.baseline(set, version).await,
            Operation::Repair => self.repair(set).await,
            // `run` sends read-only operations and dry runs elsewhere; if
            // one arrives here anyway it still runs read-only.
            Operation::Status => Ok(self.status(set).await),
            Operation::Verify => Ok(self.verify(set).await),
            Operation::History => Ok(self.history().await),
        }
    }

    /// Rolls back what is open and releases the lock. Every step runs even
    /// if an earlier one failed; the first failure is kept.
    async fn clean_up(&mut self) {
        if self.in_transaction {
            self.abort().await;
        }
        if self.holds_lock {
            match self.session.release_lock().await {
                Ok(()) => self.holds_lock = false,
                Err(error) => self.note_cleanup_failure(error),
            }
        }
    }

    /// Rolls back an open transaction after an error; a failure to do so
    /// is kept for the report (the session will be discarded, and closing
    /// the connection rolls back on the server).
    pub(super) async fn abort(&mut self) {
        match self.session.rollback().await {
            Ok(()) => self.in_transaction = false,
            Err(error) => self.note_cleanup_failure(error),
        }
    }

    fn note_cleanup_failure(&mut self, error: EngineError) {
        self.cleanup_error.get_or_insert(error);
    }

    /// `SET XACT_ABORT ON; BEGIN TRANSACTION`. The transaction counts as
    /// open from before the call: if `begin` fails half-way, cleanup still
    /// rolls back (`IF @@TRANCOUNT > 0 ROLLBACK` is safe in any state).
    pub(super) async fn begin_raw(&mut self) -> Result<(), EngineError> {
        self.in_transaction = true;
        self.session.begin().await
    }

    /// Commits; on failure rolls back and returns the commit error.
    pub(super) async fn commit_raw(&mut self) -> Result<(), EngineError> {
        match self.session.commit().await {
            Ok(()) => {
                self.in_transaction = false;
                Ok(())
            }
            Err(source) => {
                self.abort().await;
                Err(source)
            }
        }
    }

    pub(super) async fn begin(&mut self, version: Option<Version>) -> Result<(), ExecuteError> {
        self.begin_raw()
            .await
            .map_err(ExecuteError::bookkeeping(Action::Begin, version))
    }

    pub(super) async fn commit(&mut self, version: Option<Version>) -> Result<(), ExecuteError> {
        self.commit_raw()
            .await
            .map_err(ExecuteError::bookkeeping(Action::Commit, version))
    }

    /// Reads the history (`None`: no table) and remembers what is applied.
    pub(super) async fn read_history(
        &mut self,
    ) -> Result<Option<Vec<AppliedMigration>>, ExecuteError> {
        let rows = self
            .session
            .read_history()
            .await
            .map_err(ExecuteError::bookkeeping(Action::ReadHistory, None))?;
        self.remember(rows.as_deref());
        Ok(rows)
    }

    /// Remembers what `rows` (a history just read) say is applied.
    pub(super) fn remember(&mut self, rows: Option<&[AppliedMigration]>) {
        let applied: BTreeSet<Version> = rows
            .unwrap_or_default()
            .iter()
            .filter(|row| row.success)
            .map(|row| row.version)
            .collect();
        if self.applied.is_none() {
            self.before = applied.last().copied();
        }
        self.applied = Some(applied);
    }

    /// Keeps `after` in step with history rows this run wrote or deleted.
    pub(super) fn mark_applied(&mut self, version: Version, applied: bool) {
        let set = self.applied.get_or_insert_with(BTreeSet::new);
        if applied {
            set.insert(version);
        } else {
            set.remove(&version);
        }
    }

    pub(super) fn into_report(self, operation: Operation, outcome: Outcome) -> WorkspaceReport {
        let session_reusable = self.cleanup_error.is_none()
            && !self.in_transaction
            && !self.holds_lock
            && !self.session.is_broken();
        WorkspaceReport {
            operation,
            before: self.before,
            after: self.applied.as_ref().and_then(|set| set.last().copied()),
            steps: self.steps,
            outcome,
            session_reusable,
            cleanup_error: self.cleanup_error,
        }
    }
}
