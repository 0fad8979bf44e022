//! `provision`: create a workspace's database when it does not exist, then
//! migrate it to the latest version.
//!
//! It opens its own session with [`Engine::connect`] instead of borrowing
//! one from the pool: the database may not exist until this runs, and a
//! pool would have cached the failed connects; provisioning is a one-off
//! per workspace, so one extra login costs nothing. The session is closed
//! at the end whatever happened.

use serde::Serialize;

use super::error::{Action, ExecuteError};
use super::report::WorkspaceReport;
use super::{ExecEvent, ExecOptions, Operation};
use crate::engine::{Engine, EngineError, Session};
use crate::migrate::MigrationSet;
use crate::migrate::plan::UpTarget;

/// What `provision` did to one workspace.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProvisionReport {
    /// True when the database was created by this run.
    pub created: bool,
    #[serde(flatten)]
    pub report: WorkspaceReport,
}

/// Creates the target's database if missing, then migrates it to the
/// set's latest version under the lock, like `migrate`.
pub async fn provision<E: Engine>(
    engine: &E,
    target: &E::Target,
    set: &MigrationSet,
    options: &ExecOptions,
    on_event: impl FnMut(ExecEvent) + Send,
) -> ProvisionReport {
    let operation = Operation::Migrate {
        target: UpTarget::Latest,
        dry_run: false,
    };
    let created = match engine.create_database(target).await {
        Ok(created) => created,
        Err(source) => {
            return failed_before_session(operation, Action::CreateDatabase, source);
        }
    };
    let mut session = match engine.connect(target).await {
        Ok(session) => session,
        Err(source) => {
            let mut report = failed_before_session(operation, Action::Connect, source);
            report.created = created;
            return report;
        }
    };
    let report = super::run(&mut session, set, &operation, options, on_event).await;
    session.close().await;
    ProvisionReport { created, report }
}

fn failed_before_session(
    operation: Operation,
    action: Action,
    source: EngineError,
) -> ProvisionReport {
    let error = ExecuteError::bookkeeping(action, None)(source);
    ProvisionReport {
        created: false,
        report: WorkspaceReport {
            operation,
            before: None,
            after: None,
            steps: Vec::new(),
            outcome: error.into(),
            session_reusable: false,
            cleanup_error: None,
        },
    }
}
