//! Runs: starting one (with its selection), finishing it, listing them and
//! showing one with every workspace record, across all its runners.
//!
//! A run's selection is stored when it starts, as one `not_reached` row per
//! selected workspace inserted by one statement (an array bind, so 10,000
//! ids are one round trip), so that `--resume` knows what a crashed run never
//! reached. Not here: writing the per-workspace results (`results.rs`).

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::{PgConnection, Row};

use super::{RunId, WorkspaceResult, WorkspaceStatus, ledger_enum, results};
use crate::control::{ControlDb, ControlError};
use crate::workspace::WorkspaceId;

/// A run about to start. `args` is the command line after the command name;
/// callers never put a secret in it (passwords come from env and config).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRun {
    pub command: String,
    pub args: Vec<String>,
    pub env: String,
    /// `user@host`, e.g. from [`local_identity`].
    pub started_by: String,
    pub wsdb_version: String,
    /// Every workspace the run selected, stored as `not_reached`.
    pub selection: Vec<WorkspaceId>,
}

/// How a finished run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RunOutcome {
    Succeeded,
    Failed,
    /// Stopped by Ctrl-C or a signal before all of its work was done.
    Interrupted,
}

ledger_enum!(RunOutcome, "wsdb.runs", "outcome", {
    Succeeded => "succeeded",
    Failed => "failed",
    Interrupted => "interrupted",
});

/// One run as `wsdb runs` lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RunSummary {
    pub id: RunId,
    pub command: String,
    pub args: Vec<String>,
    pub env: String,
    pub started_by: String,
    pub wsdb_version: String,
    pub started_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
    /// `None` while the run is running (or its runners died without
    /// finishing it).
    pub outcome: Option<RunOutcome>,
    /// Workspaces of the run by status, counted when read.
    pub counts: BTreeMap<WorkspaceStatus, u64>,
}

impl RunSummary {
    /// How many workspaces the run selected (or recorded).
    pub fn total(&self) -> u64 {
        self.counts.values().sum()
    }
}

/// One run with every workspace record, across all runners.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RunDetail {
    pub run: RunSummary,
    /// Ordered by workspace id.
    pub workspaces: Vec<WorkspaceResult>,
}

/// `user@host` of this process, for [`NewRun::started_by`] and runner ids.
/// In a Kubernetes pod `HOSTNAME` is the pod name, which is what an operator
/// wants to see.
pub fn local_identity() -> String {
    let user = ["USER", "USERNAME", "LOGNAME"]
        .iter()
        .find_map(|key| std::env::var(key).ok().filter(|v| !v.is_empty()))
        .or_else(user_of_this_process)
        .unwrap_or_else(|| "unknown".to_owned());
    let host = ["HOSTNAME", "COMPUTERNAME"]
        .iter()
        .find_map(|key| std::env::var(key).ok().filter(|v| !v.is_empty()))
        .or_else(|| {
            std::fs::read_to_string("/proc/sys/kernel/hostname")
                .ok()
                .map(|h| h.trim().to_owned())
                .filter(|h| !h.is_empty())
        })
        .unwrap_or_else(|| "unknown".to_owned());
    format!("{user}@{host}")
}

/// The login name of this process's user from `/proc` and `/etc/passwd`
/// (containers and Kubernetes pods often run without `USER`).
fn user_of_this_process() -> Option<String> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let uid = status
        .lines()
        .find_map(|line| line.strip_prefix("Uid:"))?
        .split_whitespace()
        .next()?
        .to_owned();
    let passwd = std::fs::read_to_string("/etc/passwd").ok()?;
    passwd
        .lines()
        .map(|line| line.split(':').collect::<Vec<_>>())
        .find(|fields| fields.get(2) == Some(&uid.as_str()))
        .and_then(|fields| fields.first().map(|name| (*name).to_owned()))
        .or(Some(format!("uid{uid}")))
}

/// The summary columns of runs with their per-status counts; a macro so that
/// `concat!` can append a literal WHERE or ORDER BY.
macro_rules! summary_select {
    () => {
        "
SELECT r.id, r.command, r.args, r.env, r.started_by, r.wsdb_version,
       r.started_at, r.finished_at, r.outcome, c.statuses, c.counts
FROM wsdb.runs r
LEFT JOIN LATERAL (
    SELECT array_agg(s.status) AS statuses, array_agg(s.n) AS counts
    FROM (SELECT w.status, count(*) AS n
          FROM wsdb.run_workspaces w
          WHERE w.run_id = r.id
          GROUP BY w.status) s
) c ON true"
    };
}

impl ControlDb {
    /// Records the start of a run and its selection, in one transaction.
    pub async fn start_run(&self, run: &NewRun) -> Result<RunId, ControlError> {
        self.ensure_schema().await?;
        let mut tx = self
            .pool()
            .begin()
            .await
            .map_err(|e| self.fail("start run", e))?;
        let id = insert_run(&mut tx, run, None)
            .await
            .map_err(|e| self.fail("start run", e))?;
        tx.commit().await.map_err(|e| self.fail("start run", e))?;
        Ok(id)
    }

    /// Marks the run finished. Returns false when it was already finished
    /// (by another runner of the same run): the first outcome stands.
    pub async fn finish_run(
        &self,
        run_id: RunId,
        outcome: RunOutcome,
    ) -> Result<bool, ControlError> {
        self.ensure_schema().await?;
        let updated = sqlx::query(
            "UPDATE wsdb.runs SET outcome = $2, finished_at = now()
             WHERE id = $1 AND outcome = 'running'",
        )
        .bind(run_id.get())
        .bind(outcome.as_str())
        .execute(self.pool())
        .await
        .map_err(|e| self.fail("finish run", e))?;
        if updated.rows_affected() == 1 {
            return Ok(true);
        }
        self.require_run(run_id).await.map(|()| false)
    }

    /// The newest `limit` runs, newest first.
    pub async fn list_runs(&self, limit: u32) -> Result<Vec<RunSummary>, ControlError> {
        self.require_schema().await?;
        let sql = concat!(summary_select!(), " ORDER BY r.id DESC LIMIT $1");
        let rows = sqlx::query(sql)
            .bind(i64::from(limit))
            .fetch_all(self.pool())
            .await
            .map_err(|e| self.fail("list runs", e))?;
        rows.iter().map(summary_from_row).collect()
    }

    /// One run with every workspace record; `None` when there is no such run.
    pub async fn show_run(&self, run_id: RunId) -> Result<Option<RunDetail>, ControlError> {
        self.require_schema().await?;
        let row = sqlx::query(concat!(summary_select!(), " WHERE r.id = $1"))
            .bind(run_id.get())
            .fetch_optional(self.pool())
            .await
            .map_err(|e| self.fail("show run", e))?;
        let Some(row) = row else {
            return Ok(None);
        };
        let run = summary_from_row(&row)?;
        let workspaces = self.run_results(run_id).await?;
        Ok(Some(RunDetail { run, workspaces }))
    }

    /// `Ok` when the run exists, [`ControlError::UnknownRun`] otherwise.
    pub(crate) async fn require_run(&self, run_id: RunId) -> Result<(), ControlError> {
        let exists: bool =
            sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM wsdb.runs WHERE id = $1)")
                .bind(run_id.get())
                .fetch_one(self.pool())
                .await
                .map_err(|e| self.fail("find run", e))?;
        if exists {
            Ok(())
        } else {
            Err(ControlError::UnknownRun {
                run_id: run_id.get(),
            })
        }
    }
}

/// Inserts the run and its selection on `connection` (inside the caller's
/// transaction, so a run never exists without its selection).
pub(crate) async fn insert_run(
    connection: &mut PgConnection,
    run: &NewRun,
    queue_key: Option<&str>,
) -> Result<RunId, sqlx::Error> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO wsdb.runs (command, args, env, started_by, wsdb_version, queue_key)
         VALUES ($1, $2, $3, $4, $5, $6)
         RETURNING id",
    )
    .bind(&run.command)
    .bind(&run.args)
    .bind(&run.env)
    .bind(&run.started_by)
    .bind(&run.wsdb_version)
    .bind(queue_key)
    .fetch_one(&mut *connection)
    .await?;
    let ids: Vec<&str> = run.selection.iter().map(WorkspaceId::as_str).collect();
    sqlx::query(
        "INSERT INTO wsdb.run_workspaces (run_id, workspace_id, status)
         SELECT $1, s.id, 'not_reached' FROM unnest($2::text[]) AS s(id)
         ON CONFLICT (run_id, workspace_id) DO NOTHING",
    )
    .bind(id)
    .bind(&ids)
    .execute(&mut *connection)
    .await?;
    // Identity values start at 1, so this is always a valid run id.
    Ok(RunId(id))
}

fn summary_from_row(row: &sqlx::postgres::PgRow) -> Result<RunSummary, ControlError> {
    let get = |e: sqlx::Error| ControlError::CorruptValue {
        table: "wsdb.runs",
        column: "*",
        found: e.to_string(),
    };
    let outcome: String = row.try_get("outcome").map_err(get)?;
    let outcome = match outcome.as_str() {
        "running" => None,
        other => Some(RunOutcome::parse(other)?),
    };
    let statuses: Option<Vec<String>> = row.try_get("statuses").map_err(get)?;
    let counts: Option<Vec<i64>> = row.try_get("counts").map_err(get)?;
    let mut by_status = BTreeMap::new();
    for (status, count) in statuses
        .unwrap_or_default()
        .iter()
        .zip(counts.unwrap_or_default())
    {
        let count = u64::try_from(count).unwrap_or(0);
        by_status.insert(results::parse_status(status)?, count);
    }
    Ok(RunSummary {
        id: RunId(row.try_get("id").map_err(get)?),
        command: row.try_get("command").map_err(get)?,
        args: row.try_get("args").map_err(get)?,
        env: row.try_get("env").map_err(get)?,
        started_by: row.try_get("started_by").map_err(get)?,
        wsdb_version: row.try_get("wsdb_version").map_err(get)?,
        started_at: row.try_get("started_at").map_err(get)?,
        finished_at: row.try_get("finished_at").map_err(get)?,
        outcome,
        counts: by_status,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcomes_round_trip() {
        for outcome in RunOutcome::ALL {
            assert_eq!(RunOutcome::parse(outcome.as_str()).ok(), Some(*outcome));
        }
        assert!(RunOutcome::parse("running").is_err());
    }

    #[test]
    fn local_identity_is_user_at_host() {
        let identity = local_identity();
        let (user, host) = identity.split_once('@').unwrap_or_default();
        assert!(!user.is_empty() && !host.is_empty(), "{identity}");
    }

    #[test]
    fn summary_total_sums_counts() {
        let summary = RunSummary {
            id: RunId(1),
            command: "migrate".into(),
            args: vec![],
            env: "dev".into(),
            started_by: "a@b".into(),
            wsdb_version: "0.1.0".into(),
            started_at: Utc::now(),
            finished_at: None,
            outcome: None,
            counts: BTreeMap::from([(WorkspaceStatus::Applied, 3), (WorkspaceStatus::Failed, 2)]),
        };
        assert_eq!(summary.total(), 5);
    }
}
