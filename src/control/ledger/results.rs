//! Per-workspace results of a run: recording one (an upsert over the
//! `not_reached` row the run started with), reading them back, the resume
//! set and what a run changed.
//!
//! "Resume" is defined here, once: every workspace of the run's selection
//! whose record is not a success ([`WorkspaceStatus::is_success`]) — failed,
//! locked, unreachable, skipped, or never reached. Not here: deciding what a
//! status means for the exit code (the CLI), or the queue's claims.

use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::{PgConnection, Row};

use super::{RunId, ledger_enum, version_from_db, versions_from_db, versions_to_db};
use crate::control::{ControlDb, ControlError};
use crate::migrate::Version;
use crate::workspace::WorkspaceId;

/// What a run did to one workspace.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WorkspaceStatus {
    /// Migrations were applied.
    Applied,
    /// Nothing to do: already at the target.
    UpToDate,
    RolledBack,
    Baselined,
    Repaired,
    Provisioned,
    Failed,
    /// The workspace's applock stayed busy past `lock_timeout`.
    Locked,
    Unreachable,
    /// A runner looked at the workspace and deliberately left it alone.
    Skipped,
    /// Selected, but no runner got to it (crash, Ctrl-C, error budget).
    NotReached,
}

ledger_enum!(WorkspaceStatus, "wsdb.run_workspaces", "status", {
    Applied => "applied",
    UpToDate => "up_to_date",
    RolledBack => "rolled_back",
    Baselined => "baselined",
    Repaired => "repaired",
    Provisioned => "provisioned",
    Failed => "failed",
    Locked => "locked",
    Unreachable => "unreachable",
    Skipped => "skipped",
    NotReached => "not_reached",
});

impl WorkspaceStatus {
    /// Whether the workspace got what the run asked for; everything else is
    /// in the run's resume set.
    pub fn is_success(self) -> bool {
        matches!(
            self,
            WorkspaceStatus::Applied
                | WorkspaceStatus::UpToDate
                | WorkspaceStatus::RolledBack
                | WorkspaceStatus::Baselined
                | WorkspaceStatus::Repaired
                | WorkspaceStatus::Provisioned
        )
    }

    fn success_names() -> Vec<&'static str> {
        Self::ALL
            .iter()
            .filter(|s| s.is_success())
            .map(|s| s.as_str())
            .collect()
    }
}

pub(crate) fn parse_status(text: &str) -> Result<WorkspaceStatus, ControlError> {
    WorkspaceStatus::parse(text)
}

/// What a runner reports for one workspace, written after the workspace
/// committed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkspaceRecord {
    pub workspace_id: WorkspaceId,
    /// Who did the work (see [`super::local_identity`]).
    pub runner_id: String,
    pub status: WorkspaceStatus,
    pub version_before: Option<Version>,
    pub version_after: Option<Version>,
    /// Scripts this run executed on the workspace, in execution order: up
    /// scripts for `migrate`, down scripts for `rollback`. Also filled for a
    /// failed workspace whose earlier migrations committed.
    pub applied_versions: Vec<Version>,
    /// The CLI's one-line message; never a secret. Newlines are folded and
    /// very long messages cut when stored.
    pub error: Option<String>,
    pub started_at: DateTime<Utc>,
    pub finished_at: DateTime<Utc>,
    pub duration: Duration,
}

/// A stored record, as read back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WorkspaceResult {
    pub workspace_id: WorkspaceId,
    pub runner_id: Option<String>,
    pub status: WorkspaceStatus,
    pub version_before: Option<Version>,
    pub version_after: Option<Version>,
    pub applied_versions: Vec<Version>,
    pub error: Option<String>,
    pub started_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
    pub duration_ms: Option<u64>,
}

/// What one run changed on one workspace, for `rollback --run`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RunChange {
    pub workspace_id: WorkspaceId,
    pub status: WorkspaceStatus,
    pub version_before: Option<Version>,
    pub version_after: Option<Version>,
    /// In the order the run executed them; undo in reverse.
    pub versions: Vec<Version>,
}

/// Longest error message kept, in characters: enough for any wsdb message,
/// small enough that 10,000 failures stay a small table.
const ERROR_LIMIT: usize = 2_000;

/// `error` as one line: lines trimmed and joined with ` | `, cut at
/// [`ERROR_LIMIT`] characters.
pub(crate) fn one_line(error: &str) -> String {
    let joined = error
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .join(" | ");
    match joined.char_indices().nth(ERROR_LIMIT) {
        Some((cut, _)) => format!("{}…", &joined[..cut]),
        None => joined,
    }
}

/// Upserts `record` for `run_id` on `connection` (the pool, or the queue's
/// transaction that also closes the claim).
pub(crate) async fn upsert(
    connection: &mut PgConnection,
    run_id: RunId,
    record: &WorkspaceRecord,
) -> Result<(), sqlx::Error> {
    let duration_ms = i64::try_from(record.duration.as_millis()).unwrap_or(i64::MAX);
    sqlx::query(
        "INSERT INTO wsdb.run_workspaces
             (run_id, workspace_id, runner_id, status, version_before, version_after,
              applied_versions, error, started_at, finished_at, duration_ms)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
         ON CONFLICT (run_id, workspace_id) DO UPDATE SET
             runner_id = EXCLUDED.runner_id,
             status = EXCLUDED.status,
             version_before = EXCLUDED.version_before,
             version_after = EXCLUDED.version_after,
             applied_versions = EXCLUDED.applied_versions,
             error = EXCLUDED.error,
             started_at = EXCLUDED.started_at,
             finished_at = EXCLUDED.finished_at,
             duration_ms = EXCLUDED.duration_ms,
             recorded_at = now()",
    )
    .bind(run_id.get())
    .bind(record.workspace_id.as_str())
    .bind(&record.runner_id)
    .bind(record.status.as_str())
    .bind(record.version_before.map(Version::as_i64))
    .bind(record.version_after.map(Version::as_i64))
    .bind(versions_to_db(&record.applied_versions))
    .bind(record.error.as_deref().map(one_line))
    .bind(record.started_at)
    .bind(record.finished_at)
    .bind(duration_ms)
    .execute(connection)
    .await
    .map(|_| ())
}

impl ControlDb {
    /// Records (or overwrites) what a run did to one workspace.
    pub async fn record_workspace(
        &self,
        run_id: RunId,
        record: &WorkspaceRecord,
    ) -> Result<(), ControlError> {
        self.ensure_schema().await?;
        let mut connection = self
            .pool()
            .acquire()
            .await
            .map_err(|e| self.fail("record workspace", e))?;
        upsert(&mut connection, run_id, record)
            .await
            .map_err(|e| self.run_write_error(run_id, "record workspace", e))
    }

    /// The workspaces of `run_id` to run again with `--resume`: its
    /// selection minus those with a successful record, ordered by id.
    pub async fn workspaces_to_resume(
        &self,
        run_id: RunId,
    ) -> Result<Vec<WorkspaceId>, ControlError> {
        self.require_schema().await?;
        self.require_run(run_id).await?;
        let ids: Vec<String> = sqlx::query_scalar(
            "SELECT workspace_id FROM wsdb.run_workspaces
             WHERE run_id = $1 AND status <> ALL($2::text[])
             ORDER BY workspace_id COLLATE \"C\"",
        )
        .bind(run_id.get())
        .bind(WorkspaceStatus::success_names())
        .fetch_all(self.pool())
        .await
        .map_err(|e| self.fail("workspaces to resume", e))?;
        Ok(ids.into_iter().map(WorkspaceId).collect())
    }

    /// What `run_id` executed on each workspace (any status: a failed
    /// workspace may have committed earlier migrations), most recently
    /// finished first, which is the order to undo them in.
    pub async fn changed_by_run(&self, run_id: RunId) -> Result<Vec<RunChange>, ControlError> {
        self.require_schema().await?;
        self.require_run(run_id).await?;
        let rows = sqlx::query(
            "SELECT workspace_id, runner_id, status, version_before, version_after,
                    applied_versions, error, started_at, finished_at, duration_ms
             FROM wsdb.run_workspaces
             WHERE run_id = $1 AND cardinality(applied_versions) > 0
             ORDER BY finished_at DESC NULLS LAST, workspace_id COLLATE \"C\"",
        )
        .bind(run_id.get())
        .fetch_all(self.pool())
        .await
        .map_err(|e| self.fail("changed by run", e))?;
        rows.iter()
            .map(|row| {
                let result = result_from_row(row)?;
                Ok(RunChange {
                    workspace_id: result.workspace_id,
                    status: result.status,
                    version_before: result.version_before,
                    version_after: result.version_after,
                    versions: result.applied_versions,
                })
            })
            .collect()
    }

    /// Every record of `run_id`, ordered by workspace id.
    pub(crate) async fn run_results(
        &self,
        run_id: RunId,
    ) -> Result<Vec<WorkspaceResult>, ControlError> {
        let rows = sqlx::query(
            "SELECT workspace_id, runner_id, status, version_before, version_after,
                    applied_versions, error, started_at, finished_at, duration_ms
             FROM wsdb.run_workspaces WHERE run_id = $1 ORDER BY workspace_id COLLATE \"C\"",
        )
        .bind(run_id.get())
        .fetch_all(self.pool())
        .await
        .map_err(|e| self.fail("show run", e))?;
        rows.iter().map(result_from_row).collect()
    }

    /// A write naming a run that does not exist is [`ControlError::UnknownRun`].
    pub(crate) fn run_write_error(
        &self,
        run_id: RunId,
        operation: &'static str,
        error: sqlx::Error,
    ) -> ControlError {
        if crate::control::error::is_foreign_key_violation(&error) {
            ControlError::UnknownRun {
                run_id: run_id.get(),
            }
        } else {
            self.fail(operation, error)
        }
    }
}

/// Reads a `run_workspaces` row (every column but `run_id`, `recorded_at`).
fn result_from_row(row: &sqlx::postgres::PgRow) -> Result<WorkspaceResult, ControlError> {
    const TABLE: &str = "wsdb.run_workspaces";
    let get = |e: sqlx::Error| ControlError::CorruptValue {
        table: TABLE,
        column: "*",
        found: e.to_string(),
    };
    let status: String = row.try_get("status").map_err(get)?;
    let duration_ms: Option<i64> = row.try_get("duration_ms").map_err(get)?;
    Ok(WorkspaceResult {
        workspace_id: WorkspaceId(row.try_get("workspace_id").map_err(get)?),
        runner_id: row.try_get("runner_id").map_err(get)?,
        status: WorkspaceStatus::parse(&status)?,
        version_before: version_from_db(
            row.try_get("version_before").map_err(get)?,
            TABLE,
            "version_before",
        )?,
        version_after: version_from_db(
            row.try_get("version_after").map_err(get)?,
            TABLE,
            "version_after",
        )?,
        applied_versions: versions_from_db(
            row.try_get("applied_versions").map_err(get)?,
            TABLE,
            "applied_versions",
        )?,
        error: row.try_get("error").map_err(get)?,
        started_at: row.try_get("started_at").map_err(get)?,
        finished_at: row.try_get("finished_at").map_err(get)?,
        duration_ms: duration_ms.and_then(|ms| u64::try_from(ms).ok()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_round_trip_and_success_is_what_resume_skips() {
        for status in WorkspaceStatus::ALL {
            assert_eq!(WorkspaceStatus::parse(status.as_str()).ok(), Some(*status));
        }
        let resumed: Vec<_> = WorkspaceStatus::ALL
            .iter()
            .filter(|s| !s.is_success())
            .map(|s| s.as_str())
            .collect();
        assert_eq!(
            resumed,
            ["failed", "locked", "unreachable", "skipped", "not_reached"]
        );
        assert!(WorkspaceStatus::parse("exploded").is_err());
    }

    #[test]
    fn one_line_table() {
        let long = "é".repeat(ERROR_LIMIT + 10);
        let cases = [
            ("plain", "plain".to_owned()),
            ("first\nhint: do x", "first | hint: do x".to_owned()),
            ("a\r\n\r\n  b  \n", "a | b".to_owned()),
            (long.as_str(), format!("{}…", "é".repeat(ERROR_LIMIT))),
        ];
        for (input, expected) in cases {
            assert_eq!(one_line(input), expected);
        }
    }
}
