//! The version cache behind `status --all --cached`: the last schema version
//! and state wsdb saw in each workspace.
//!
//! Written in batches (one statement for any number of workspaces, array
//! binds), read in one query. An older observation never overwrites a newer
//! one, so concurrent runners cannot move the cache backwards. The cache is
//! a convenience: the workspace database stays the truth, and
//! `status --refresh` rewrites it.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::Row;

use super::{RunId, ledger_enum, version_from_db};
use crate::control::{ControlDb, ControlError};
use crate::migrate::Version;
use crate::workspace::WorkspaceId;

/// A workspace's schema state, as last seen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum VersionState {
    UpToDate,
    /// Migrations of the set are not applied yet.
    Pending,
    /// An applied migration's checksum differs from its file.
    Drift,
    /// The database has versions the migration set does not know.
    Ahead,
    /// A failed `no-transaction` migration awaits `wsdb repair`.
    Failed,
}

ledger_enum!(VersionState, "wsdb.workspace_versions", "state", {
    UpToDate => "up_to_date",
    Pending => "pending",
    Drift => "drift",
    Ahead => "ahead",
    Failed => "failed",
});

/// One workspace's cached version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VersionRecord {
    pub workspace_id: WorkspaceId,
    /// `None`: no migration applied yet.
    pub version: Option<Version>,
    pub state: VersionState,
    /// When wsdb read the workspace's history.
    pub checked_at: DateTime<Utc>,
    /// The run that saw it, if any (`status` runs are not recorded).
    pub run_id: Option<RunId>,
}

impl ControlDb {
    /// Stores `records` in one statement; returns how many rows changed.
    /// For a workspace listed twice the latest observation counts.
    pub async fn update_version_cache(
        &self,
        records: &[VersionRecord],
    ) -> Result<u64, ControlError> {
        self.ensure_schema().await?;
        let records = latest_per_workspace(records);
        if records.is_empty() {
            return Ok(0);
        }
        let ids: Vec<&str> = records.iter().map(|r| r.workspace_id.as_str()).collect();
        let versions: Vec<Option<i64>> = records
            .iter()
            .map(|r| r.version.map(Version::as_i64))
            .collect();
        let states: Vec<&str> = records.iter().map(|r| r.state.as_str()).collect();
        let checked: Vec<DateTime<Utc>> = records.iter().map(|r| r.checked_at).collect();
        let runs: Vec<Option<i64>> = records.iter().map(|r| r.run_id.map(RunId::get)).collect();
        let done = sqlx::query(
            "INSERT INTO wsdb.workspace_versions (workspace_id, version, state, checked_at, run_id)
             SELECT * FROM unnest($1::text[], $2::int8[], $3::text[], $4::timestamptz[], $5::int8[])
             ON CONFLICT (workspace_id) DO UPDATE SET
                 version = EXCLUDED.version,
                 state = EXCLUDED.state,
                 checked_at = EXCLUDED.checked_at,
                 run_id = EXCLUDED.run_id
             WHERE EXCLUDED.checked_at >= wsdb.workspace_versions.checked_at",
        )
        .bind(&ids)
        .bind(&versions)
        .bind(&states)
        .bind(&checked)
        .bind(&runs)
        .execute(self.pool())
        .await
        .map_err(|e| self.fail("update version cache", e))?;
        Ok(done.rows_affected())
    }

    /// The whole cache in one query, ordered by workspace id.
    pub async fn version_cache(&self) -> Result<Vec<VersionRecord>, ControlError> {
        self.require_schema().await?;
        let rows = sqlx::query(
            "SELECT workspace_id, version, state, checked_at, run_id
             FROM wsdb.workspace_versions ORDER BY workspace_id COLLATE \"C\"",
        )
        .fetch_all(self.pool())
        .await
        .map_err(|e| self.fail("read version cache", e))?;
        rows.iter().map(record_from_row).collect()
    }
}

/// One record per workspace, the latest `checked_at` winning: PostgreSQL
/// refuses an upsert that touches the same row twice in one statement.
fn latest_per_workspace(records: &[VersionRecord]) -> Vec<&VersionRecord> {
    let mut latest: HashMap<&str, &VersionRecord> = HashMap::with_capacity(records.len());
    for record in records {
        let slot = latest.entry(record.workspace_id.as_str()).or_insert(record);
        if record.checked_at > slot.checked_at {
            *slot = record;
        }
    }
    let mut unique: Vec<&VersionRecord> = latest.into_values().collect();
    unique.sort_by(|a, b| a.workspace_id.cmp(&b.workspace_id));
    unique
}

fn record_from_row(row: &sqlx::postgres::PgRow) -> Result<VersionRecord, ControlError> {
    const TABLE: &str = "wsdb.workspace_versions";
    let get = |e: sqlx::Error| ControlError::CorruptValue {
        table: TABLE,
        column: "*",
        found: e.to_string(),
    };
    let state: String = row.try_get("state").map_err(get)?;
    let run_id: Option<i64> = row.try_get("run_id").map_err(get)?;
    Ok(VersionRecord {
        workspace_id: WorkspaceId(row.try_get("workspace_id").map_err(get)?),
        version: version_from_db(row.try_get("version").map_err(get)?, TABLE, "version")?,
        state: VersionState::parse(&state)?,
        checked_at: row.try_get("checked_at").map_err(get)?,
        run_id: run_id.and_then(RunId::new),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn record(id: &str, second: u32, state: VersionState) -> VersionRecord {
        VersionRecord {
            workspace_id: WorkspaceId::from(id),
            version: Version::new(1),
            state,
            checked_at: Utc
                .with_ymd_and_hms(2026, 1, 1, 0, 0, second)
                .single()
                .unwrap_or_default(),
            run_id: None,
        }
    }

    #[test]
    fn latest_observation_per_workspace_wins() {
        let records = [
            record("b", 5, VersionState::Pending),
            record("a", 1, VersionState::Pending),
            record("b", 9, VersionState::UpToDate),
            record("b", 7, VersionState::Drift),
        ];
        let unique = latest_per_workspace(&records);
        let seen: Vec<(&str, VersionState)> = unique
            .iter()
            .map(|r| (r.workspace_id.as_str(), r.state))
            .collect();
        assert_eq!(
            seen,
            [("a", VersionState::Pending), ("b", VersionState::UpToDate)]
        );
    }

    #[test]
    fn states_round_trip() {
        for state in VersionState::ALL {
            assert_eq!(VersionState::parse(state.as_str()).ok(), Some(*state));
        }
    }
}
