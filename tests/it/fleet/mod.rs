//! Issue #6's acceptance: fleet runs end to end, with the real `wsdb`
//! binary over many workspaces in mixed states (fresh, partly migrated,
//! drifted, unreachable, locked), rollout controls (canary, error budget,
//! preflight), per-server caps over several servers, resume and rollback of
//! a run from the ledger, selection (`--group`, `--shard`), the version
//! cache, confirmation of destructive commands, the JSON output against its
//! documented schema, and the summary table as snapshots.
//!
//! Workspace-level tests run unchanged against a real SQL Server
//! (`WSDB_TEST_MSSQL_URL`); tests that need several servers or the test
//! server's counters skip themselves there. The helpers below build the
//! migration sets and states those tests share; the assertions live in the
//! topic files.

mod confirm;
mod mixed;
mod resume;
mod rollout;
mod schema;
mod selection;
mod servers;
mod snapshots;

use std::collections::BTreeMap;

use crate::support::project::{Project, Run};

/// Writes migrations `1..=n`, each creating table `dbo.t<v>` (with a down
/// that drops it), and hashes once.
async fn table_migrations(project: &Project, n: u64) {
    for version in 1..=n {
        let up = format!("CREATE TABLE dbo.t{version} (id INT NOT NULL PRIMARY KEY);\n");
        let down = format!("DROP TABLE dbo.t{version};\n");
        let name = format!("table_{version}");
        if version == n {
            project.migration(version, &name, &up, Some(&down)).await;
        } else {
            project.write_migration(version, &name, &up, Some(&down));
        }
    }
}

/// Makes migration `version` of [`table_migrations`] fail in workspace `id`
/// (SQL Server error 2714: the table it creates already exists), the way a
/// hand-made table breaks a real rollout.
async fn break_migration(project: &Project, id: &str, version: u64) {
    project
        .execute(id, &format!("CREATE TABLE dbo.t{version} (x INT);"))
        .await;
}

/// Undoes [`break_migration`]: the fix an operator makes before resuming.
async fn fix_migration(project: &Project, id: &str, version: u64) {
    project
        .execute(id, &format!("DROP TABLE dbo.t{version};"))
        .await;
}

/// Rewrites the recorded checksum of `version` in workspace `id`: the
/// database now disagrees with the file (drift).
async fn drift(project: &Project, id: &str, version: u64) {
    let other = "0".repeat(64);
    project
        .execute(
            id,
            &format!("UPDATE dbo.wsdb_history SET checksum = '{other}' WHERE version = {version};"),
        )
        .await;
}

/// The ids whose status is `status`.
fn with_status(statuses: &BTreeMap<String, String>, status: &str) -> Vec<String> {
    statuses
        .iter()
        .filter(|(_, s)| s.as_str() == status)
        .map(|(id, _)| id.clone())
        .collect()
}

/// `ids[i]` for each index, as owned strings (expected sets in assertions).
fn pick(ids: &[String], indices: impl IntoIterator<Item = usize>) -> Vec<String> {
    indices.into_iter().map(|i| ids[i].clone()).collect()
}

/// The run id of a JSON run document.
fn run_id(run: &Run) -> i64 {
    run.json()["run_id"]
        .as_i64()
        .unwrap_or_else(|| panic!("no run_id in the document:\n{run}"))
}
