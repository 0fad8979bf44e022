//! What the reporter is told: run-level and workspace-level events, and the
//! one-line-per-workspace result they end with. Plain data, serialisable as
//! the `--format ndjson` event stream and the `--format json` document.

use serde::Serialize;

/// The verdict for one workspace. The snake_case names are part of the JSON
/// contract (docs/json-output.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    // Failures first: the order is the summary table's order.
    Failed,
    /// The workspace's state forbade the command (drift, unknown versions,
    /// a failed migration awaiting repair, a plan that cannot run).
    Refused,
    Unreachable,
    Invalid,
    Locked,
    Interrupted,
    NotReached,
    // Check problems (exit 3 for checking commands).
    Drift,
    UnknownVersions,
    FailedMigration,
    Pending,
    // Success.
    Applied,
    Provisioned,
    RolledBack,
    Baselined,
    Repaired,
    Planned,
    UpToDate,
}

impl Status {
    /// The workspace failed or was not done: exit code 1.
    pub fn is_failure(self) -> bool {
        matches!(
            self,
            Status::Failed
                | Status::Refused
                | Status::Unreachable
                | Status::Invalid
                | Status::Locked
                | Status::Interrupted
                | Status::NotReached
        )
    }

    /// A problem a checking command reports with exit code 3.
    pub fn is_check_problem(self) -> bool {
        matches!(
            self,
            Status::Drift | Status::UnknownVersions | Status::FailedMigration | Status::Pending
        )
    }

    /// wsdb never read this workspace's history, so its version and its
    /// pending migrations are unknown (not "none"): it was not reached, its
    /// connection failed or was invalid, another run held its lock, or the
    /// work was aborted.
    pub fn version_unknown(self) -> bool {
        matches!(
            self,
            Status::Unreachable
                | Status::Invalid
                | Status::Locked
                | Status::Interrupted
                | Status::NotReached
        )
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Failed => "failed",
            Status::Refused => "refused",
            Status::Unreachable => "unreachable",
            Status::Invalid => "invalid",
            Status::Locked => "locked",
            Status::Interrupted => "interrupted",
            Status::NotReached => "not reached",
            Status::Drift => "drift",
            Status::UnknownVersions => "unknown versions",
            Status::FailedMigration => "failed migration",
            Status::Pending => "pending",
            Status::Applied => "applied",
            Status::Provisioned => "provisioned",
            Status::RolledBack => "rolled back",
            Status::Baselined => "baselined",
            Status::Repaired => "repaired",
            Status::Planned => "planned",
            Status::UpToDate => "up to date",
        }
    }
}

/// One migration applied or rolled back in a workspace.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StepLine {
    pub version: u64,
    pub name: String,
    pub duration_ms: u64,
}

/// The result for one workspace.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WorkspaceLine {
    pub workspace: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    pub status: Status,
    /// Version before the command ran (for read-only commands: the current one).
    pub version_before: Option<u64>,
    pub version_after: Option<u64>,
    /// The migration set's latest version.
    pub latest: Option<u64>,
    /// Versions not yet applied after the command.
    pub pending: Vec<u64>,
    /// Migrations applied (migrate) or rolled back (rollback), in order.
    pub steps: Vec<StepLine>,
    /// One line saying why, for every status but success.
    pub cause: Option<String>,
    /// Who holds the workspace's lock, when it is busy.
    pub lock_holder: Option<String>,
    pub duration_ms: u64,
}

impl WorkspaceLine {
    /// A line with only a workspace and a status (the rest empty).
    pub fn new(workspace: impl Into<String>, status: Status) -> WorkspaceLine {
        WorkspaceLine {
            workspace: workspace.into(),
            group: None,
            status,
            version_before: None,
            version_after: None,
            latest: None,
            pending: Vec::new(),
            steps: Vec::new(),
            cause: None,
            lock_holder: None,
            duration_ms: 0,
        }
    }

    pub fn with_cause(mut self, cause: impl Into<String>) -> WorkspaceLine {
        self.cause = Some(cause.into());
        self
    }
}

/// Events in the order a run produces them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Event {
    RunStarted {
        command: String,
        total: usize,
        run_id: Option<i64>,
    },
    WorkspaceStarted {
        workspace: String,
    },
    MigrationStarted {
        workspace: String,
        version: u64,
        name: String,
    },
    MigrationFinished {
        workspace: String,
        version: u64,
        name: String,
        duration_ms: u64,
    },
    WorkspaceFinished(WorkspaceLine),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_sort_before_problems_before_success() {
        let mut all = vec![
            Status::UpToDate,
            Status::Pending,
            Status::Failed,
            Status::Applied,
            Status::Locked,
        ];
        all.sort();
        assert_eq!(
            all,
            vec![
                Status::Failed,
                Status::Locked,
                Status::Pending,
                Status::Applied,
                Status::UpToDate
            ]
        );
        assert!(Status::Locked.is_failure() && !Status::Pending.is_failure());
        assert!(Status::Drift.is_check_problem() && !Status::Applied.is_check_problem());
        assert!(Status::Locked.version_unknown() && !Status::Failed.version_unknown());
    }

    #[test]
    fn events_serialise_with_a_tag() {
        let event = Event::WorkspaceStarted {
            workspace: "acme".into(),
        };
        assert_eq!(
            serde_json::to_string(&event).unwrap(),
            r#"{"event":"workspace_started","workspace":"acme"}"#
        );
    }
}
