//! The executor: every per-workspace operation (`status`, `verify`,
//! `history`, `migrate`, `rollback`, `baseline`, `repair`, `provision`)
//! against one pinned [`Session`]. This is the only code that uses a session
//! for migration work.
//!
//! [`run`] never fails: whatever happens to the workspace (locked, refused,
//! a script error, a lost connection) comes back as data in a
//! [`WorkspaceReport`], so the fleet runner is a plain loop and the exit
//! code is decided at the end from the outcomes. Changing operations hold
//! the `wsdb` app lock for their whole run and always clean up (roll back an
//! open transaction, release the lock); if that cleanup fails, the report
//! says the session must be discarded. Cancelling the future is the
//! caller's business: a dropped session closes its connection, which makes
//! the server roll back and free the lock.
//!
//! Not here: choosing workspaces, connecting and pooling (`pool`),
//! printing (`report`), and deciding exit codes (`cli`).

mod apply;
mod error;
mod ops;
mod provision;
mod report;
mod runner;
#[cfg(test)]
mod tests;

pub use error::{Action, ExecuteError, Refusal};
pub use provision::{ProvisionReport, provision};
pub use report::{
    DryRun, LockStatus, Outcome, PlannedBatch, PlannedStep, RepairSummary, Severity, StatusReport,
    StepResult, WorkspaceReport,
};

use std::time::Duration;

use serde::Serialize;

use super::plan::{Direction, DownTarget, UpTarget};
use super::{MigrationSet, Version};
use crate::config::{MssqlSettings, RunSettings};
use crate::engine::Session;
use runner::Runner;

/// One per-workspace operation, as a command asks for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "command", rename_all = "snake_case")]
pub enum Operation {
    /// Read-only: applied, latest, pending, drift, unknown, failed, and who
    /// holds the lock when it is busy.
    Status,
    /// Read-only: like status; drift, unknown versions or failed rows make
    /// the verdict [`Outcome::CheckFailed`].
    Verify,
    /// Read-only: the history rows.
    History,
    /// Applies pending migrations up to `target`; `dry_run` takes no lock,
    /// writes nothing and returns the batches that would run.
    Migrate { target: UpTarget, dry_run: bool },
    /// Runs down scripts newest first to `target`; `dry_run` as for migrate.
    Rollback { target: DownTarget, dry_run: bool },
    /// Marks a database wsdb never migrated as being at `version`.
    Baseline { version: Version },
    /// Deletes failed rows and realigns drifted rows to the files.
    Repair,
}

impl Operation {
    /// Whether the operation takes the lock and may write.
    pub fn changes_workspace(&self) -> bool {
        match self {
            Operation::Status | Operation::Verify | Operation::History => false,
            Operation::Migrate { dry_run, .. } | Operation::Rollback { dry_run, .. } => !dry_run,
            Operation::Baseline { .. } | Operation::Repair => true,
        }
    }
}

/// How operations run; the same for every workspace of a command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExecOptions {
    /// How long to wait for another run's lock before reporting `locked`.
    pub lock_timeout: Duration,
    /// Per-batch timeout unless a file sets `-- wsdb:timeout=`.
    pub statement_timeout: Duration,
    /// Who runs the command, written to history rows (e.g. `alice@ci-7`).
    pub applied_by: String,
}

impl ExecOptions {
    pub fn from_settings(
        run: &RunSettings,
        mssql: &MssqlSettings,
        applied_by: impl Into<String>,
    ) -> ExecOptions {
        ExecOptions {
            lock_timeout: run.lock_timeout,
            statement_timeout: mssql.statement_timeout,
            applied_by: applied_by.into(),
        }
    }
}

impl Default for ExecOptions {
    fn default() -> Self {
        ExecOptions::from_settings(&RunSettings::default(), &MssqlSettings::default(), "wsdb")
    }
}

/// Progress of one workspace, for the reporter's per-workspace line.
/// Workers never print; they send these.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum ExecEvent {
    WaitingForLock {
        #[serde(rename = "timeout_ms", serialize_with = "report::millis")]
        timeout: Duration,
    },
    MigrationStarted {
        version: Version,
        name: String,
        direction: Direction,
        batches: usize,
    },
    MigrationFinished {
        version: Version,
        name: String,
        direction: Direction,
        #[serde(rename = "duration_ms", serialize_with = "report::millis")]
        duration: Duration,
        success: bool,
    },
}

/// Runs one operation on one workspace and reports what happened. Never
/// panics on data and never returns early without cleaning up.
pub async fn run<S: Session>(
    session: &mut S,
    set: &MigrationSet,
    operation: &Operation,
    options: &ExecOptions,
    on_event: impl FnMut(ExecEvent) + Send,
) -> WorkspaceReport {
    let mut runner = Runner::new(session, options, on_event);
    let outcome = match *operation {
        Operation::Status => runner.status(set).await,
        Operation::Verify => runner.verify(set).await,
        Operation::History => runner.history().await,
        Operation::Migrate {
            target,
            dry_run: true,
        } => runner.dry_run_up(set, target).await,
        Operation::Rollback {
            target,
            dry_run: true,
        } => runner.dry_run_down(set, target).await,
        changing => runner.locked(set, changing).await,
    };
    runner.into_report(*operation, outcome)
}
