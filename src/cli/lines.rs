//! Translations at the CLI's seams: an executor report or a pool error
//! becomes a report line (what people and JSON see), and a report line
//! becomes a ledger record and a version-cache entry. The one place that
//! knows both `migrate::execute` and `report`/`control` vocabularies.

use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::control::{VersionRecord, VersionState, WorkspaceRecord, WorkspaceStatus};
use crate::migrate::execute::{Outcome, StatusReport, WorkspaceReport};
use crate::migrate::{MigrationSet, Validation, Version};
use crate::pool::PoolError;
use crate::report::{Status, StepLine, WorkspaceLine};
use crate::workspace::{Workspace, WorkspaceId};

/// The line for a workspace an executor operation ran on.
pub fn from_report(
    workspace: &Workspace,
    report: &WorkspaceReport,
    set: &MigrationSet,
) -> WorkspaceLine {
    let mut line = WorkspaceLine::new(workspace.id.as_str(), Status::UpToDate);
    line.group = workspace.group.clone();
    line.version_before = report.before.map(Version::get);
    line.version_after = report.after.map(Version::get);
    line.latest = set.latest().map(Version::get);
    line.pending = pending_after(set, report.after);
    line.steps = report
        .steps
        .iter()
        .map(|step| StepLine {
            version: step.version.get(),
            name: step.name.clone(),
            duration_ms: millis(step.duration),
        })
        .collect();
    match &report.outcome {
        Outcome::UpToDate => {}
        Outcome::Applied => line.status = Status::Applied,
        Outcome::RolledBack => line.status = Status::RolledBack,
        Outcome::NothingToRollBack => line.cause = Some("already at the target version".to_owned()),
        Outcome::Baselined { version, rows } => {
            line.status = Status::Baselined;
            line.cause = Some(format!("{rows} history row(s) written up to {version}"));
        }
        Outcome::Repaired(summary) => {
            line.status = Status::Repaired;
            let mut parts = Vec::new();
            if !summary.deleted_failed.is_empty() {
                parts.push(format!(
                    "deleted failed row(s) {}",
                    join(&summary.deleted_failed)
                ));
            }
            if !summary.realigned.is_empty() {
                parts.push(format!("realigned {}", join(&summary.realigned)));
            }
            if !summary.unknown.is_empty() {
                parts.push(format!(
                    "left unknown version(s) {}",
                    join(&summary.unknown)
                ));
            }
            line.cause = Some(if parts.is_empty() {
                "nothing to repair".to_owned()
            } else {
                parts.join("; ")
            });
        }
        Outcome::DryRun(dry_run) => {
            line.status = Status::Planned;
            line.cause = Some(format!("{} migration(s) would run", dry_run.steps.len()));
        }
        Outcome::Status(status) | Outcome::Verified(status) | Outcome::CheckFailed(status) => {
            apply_status(&mut line, status);
        }
        Outcome::History { rows, .. } => {
            line.cause = Some(format!("{} history row(s)", rows.len()))
        }
        Outcome::Locked { holder } => {
            line.status = Status::Locked;
            // Locked before its history was read: what is pending is unknown.
            line.pending.clear();
            line.cause = Some("another run holds the workspace's lock".to_owned());
            line.lock_holder = Some(
                holder
                    .as_ref()
                    .map_or_else(|| "an unknown session".to_owned(), ToString::to_string),
            );
        }
        Outcome::Refused { reason } => {
            line.status = Status::Refused;
            line.cause = Some(first_line(&reason.to_string()));
        }
        Outcome::Failed { error } => {
            line.status = Status::Failed;
            line.cause = Some(first_line(&error.to_string()));
        }
    }
    if let Some(error) = &report.cleanup_error {
        let note = format!(
            "connection discarded after a failed cleanup: {}",
            first_line(&error.to_string())
        );
        line.cause = Some(match line.cause.take() {
            Some(cause) => format!("{cause}; {note}"),
            None => note,
        });
    }
    line
}

fn apply_status(line: &mut WorkspaceLine, status: &StatusReport) {
    let validation = &status.validation;
    line.version_after = validation.current.map(Version::get);
    line.version_before = line.version_after;
    line.pending = validation.pending.iter().map(|v| v.get()).collect();
    line.status = state_status(validation);
    line.cause = validation
        .problem()
        .map(|problem| first_line(&problem.to_string()));
    if !status.history_table && line.cause.is_none() {
        line.cause = Some("never migrated (no history table)".to_owned());
    }
    if let Some(crate::migrate::execute::LockStatus::Held { holder }) = &status.lock {
        line.lock_holder = Some(
            holder
                .as_ref()
                .map_or_else(|| "an unknown session".to_owned(), ToString::to_string),
        );
    }
}

/// The status a validation stands for: problems first, then pending.
pub fn state_status(validation: &Validation) -> Status {
    if !validation.drifted.is_empty() {
        Status::Drift
    } else if !validation.unknown.is_empty() {
        Status::UnknownVersions
    } else if !validation.failed.is_empty() {
        Status::FailedMigration
    } else if !validation.pending.is_empty() {
        Status::Pending
    } else {
        Status::UpToDate
    }
}

/// The line for a workspace the pool could not connect to.
pub fn from_pool_error(workspace: &Workspace, error: &PoolError) -> WorkspaceLine {
    let status = match error {
        PoolError::InvalidTarget { .. } => Status::Invalid,
        PoolError::Connect { .. } => Status::Unreachable,
        PoolError::ShutDown { .. } => Status::Interrupted,
    };
    let mut line = WorkspaceLine::new(workspace.id.as_str(), status);
    line.group = workspace.group.clone();
    // The message names the workspace already in the line's first column.
    let message = error.to_string();
    let prefix = format!("workspace `{}`: ", workspace.id);
    line.cause = Some(first_line(
        message.strip_prefix(&prefix).unwrap_or(&message),
    ));
    line
}

/// Set versions above `after`, in order: what is still to apply.
fn pending_after(set: &MigrationSet, after: Option<Version>) -> Vec<u64> {
    set.migrations
        .iter()
        .map(|m| m.version)
        .filter(|v| Some(*v) > after)
        .map(Version::get)
        .collect()
}

/// The ledger's record of a finished workspace.
pub fn ledger_record(
    line: &WorkspaceLine,
    runner_id: &str,
    started_at: DateTime<Utc>,
    duration: Duration,
) -> WorkspaceRecord {
    WorkspaceRecord {
        workspace_id: WorkspaceId(line.workspace.clone()),
        runner_id: runner_id.to_owned(),
        status: ledger_status(line.status),
        version_before: line.version_before.and_then(Version::new),
        version_after: line.version_after.and_then(Version::new),
        applied_versions: line
            .steps
            .iter()
            .filter_map(|s| Version::new(s.version))
            .collect(),
        error: line.cause.clone().filter(|_| line.status.is_failure()),
        started_at,
        finished_at: started_at + chrono::Duration::from_std(duration).unwrap_or_default(),
        duration,
    }
}

pub fn ledger_status(status: Status) -> WorkspaceStatus {
    match status {
        Status::Applied => WorkspaceStatus::Applied,
        Status::RolledBack => WorkspaceStatus::RolledBack,
        Status::Baselined => WorkspaceStatus::Baselined,
        Status::Repaired => WorkspaceStatus::Repaired,
        Status::Provisioned => WorkspaceStatus::Provisioned,
        Status::Locked => WorkspaceStatus::Locked,
        Status::Unreachable => WorkspaceStatus::Unreachable,
        Status::NotReached | Status::Interrupted => WorkspaceStatus::NotReached,
        Status::Failed | Status::Invalid | Status::Refused => WorkspaceStatus::Failed,
        Status::Planned => WorkspaceStatus::Skipped,
        Status::UpToDate
        | Status::Pending
        | Status::Drift
        | Status::UnknownVersions
        | Status::FailedMigration => WorkspaceStatus::UpToDate,
    }
}

/// The report status of a ledger status (for runs read back from the ledger).
pub fn report_status(status: WorkspaceStatus) -> Status {
    match status {
        WorkspaceStatus::Applied => Status::Applied,
        WorkspaceStatus::UpToDate | WorkspaceStatus::Skipped => Status::UpToDate,
        WorkspaceStatus::RolledBack => Status::RolledBack,
        WorkspaceStatus::Baselined => Status::Baselined,
        WorkspaceStatus::Repaired => Status::Repaired,
        WorkspaceStatus::Provisioned => Status::Provisioned,
        WorkspaceStatus::Failed => Status::Failed,
        WorkspaceStatus::Locked => Status::Locked,
        WorkspaceStatus::Unreachable => Status::Unreachable,
        WorkspaceStatus::NotReached => Status::NotReached,
    }
}

/// The version-cache entry a line tells, when it tells one (a workspace
/// that was not reached tells nothing about its version).
pub fn version_record(
    line: &WorkspaceLine,
    run_id: Option<crate::control::RunId>,
) -> Option<VersionRecord> {
    let state = match line.status {
        Status::Drift => VersionState::Drift,
        Status::UnknownVersions => VersionState::Ahead,
        Status::FailedMigration => VersionState::Failed,
        _ if line.status.is_failure() && line.status != Status::Failed => return None,
        Status::Failed if line.version_after.is_none() && line.version_before.is_none() => {
            return None;
        }
        _ if line.pending.is_empty() => VersionState::UpToDate,
        _ => VersionState::Pending,
    };
    Some(VersionRecord {
        workspace_id: WorkspaceId(line.workspace.clone()),
        version: line.version_after.and_then(Version::new),
        state,
        checked_at: Utc::now(),
        run_id,
    })
}

pub fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

fn join(versions: &[Version]) -> String {
    versions
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

fn first_line(text: &str) -> String {
    text.lines().next().unwrap_or_default().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::migrate::UpTarget;
    use crate::migrate::execute::Operation;

    fn set() -> MigrationSet {
        MigrationSet::from_files((1..=3).map(|v| {
            (
                format!("000{v}_t{v}.up.sql"),
                format!("CREATE TABLE t{v} (id INT);\n").into_bytes(),
            )
        }))
        .expect("a valid set")
    }

    fn workspace() -> Workspace {
        Workspace::at("acme", "h", 1433, "acme")
    }

    fn report(outcome: Outcome, before: Option<u64>) -> WorkspaceReport {
        WorkspaceReport {
            operation: Operation::Migrate {
                target: UpTarget::Latest,
                dry_run: false,
            },
            before: before.and_then(Version::new),
            after: before.and_then(Version::new),
            steps: Vec::new(),
            outcome,
            session_reusable: true,
            cleanup_error: None,
        }
    }

    #[test]
    fn a_locked_workspace_has_nothing_known_pending() {
        let locked = from_report(
            &workspace(),
            &report(Outcome::Locked { holder: None }, None),
            &set(),
        );
        assert_eq!(locked.status, Status::Locked);
        assert!(locked.pending.is_empty(), "{:?}", locked.pending);
        assert_eq!(locked.latest, Some(3));
        assert_eq!(locked.lock_holder.as_deref(), Some("an unknown session"));

        let up_to_date = from_report(&workspace(), &report(Outcome::UpToDate, Some(1)), &set());
        assert_eq!(up_to_date.pending, vec![2, 3]);
    }
}
