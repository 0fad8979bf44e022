//! Issue #7's acceptance: several `wsdb` processes over one fleet, split
//! with `--shard I/N` (or `--shard-count N` + `JOB_COMPLETION_INDEX`) or
//! cooperating through claims and leases in the control database
//! (`--queue --run-id ID --lease D`), and what `wsdb runs` / `runs show`
//! report about them. The runners are real processes, a killed runner a real
//! SIGKILL, so every test here also runs unchanged against a real SQL Server
//! (`WSDB_TEST_MSSQL_URL`); only the test server's connection counters are
//! skipped there.
//!
//! Not here: the claim/lease SQL on its own (`tests/it/control/queue.rs`)
//! and the scheduler inside one runner (`src/fleet`).

mod claims;
mod edges;
mod kill;
mod queue_fleet;
mod runs_output;
mod shards;
mod signals;
mod timing;

use std::collections::{BTreeMap, BTreeSet};
use std::future::Future;
use std::time::Duration;

use futures_util::StreamExt as _;

use crate::support::project::{Project, Run};

/// Two quick migrations: what every fleet test applies.
pub const QUICK: [(u64, &str, &str); 2] = [
    (
        1,
        "accounts",
        "CREATE TABLE dbo.accounts (id INT NOT NULL PRIMARY KEY);\n",
    ),
    (
        2,
        "first_account",
        "INSERT INTO dbo.accounts (id) VALUES (1);\n",
    ),
];

/// Longest a test waits for a condition (a watchdog, not a timing claim).
const DEADLINE: Duration = Duration::from_secs(60);

/// A project with `n` workspaces (`ws-000` ..) and the [`QUICK`] migrations.
pub async fn quick_fleet(n: usize) -> (Project, Vec<String>) {
    let mut project = Project::start().await;
    let ids = project.add_many_workspaces("ws", n).await;
    for (version, name, up) in QUICK {
        project.write_migration(version, name, up, None);
    }
    project.wsdb(&["hash"]).run().await.expect_code(0);
    (project, ids)
}

/// The workspaces a runner's JSON document reports, with their status.
/// Panics (showing the run) when a workspace appears twice.
pub fn reported(run: &Run) -> BTreeMap<String, String> {
    let document = run.json();
    let lines = document["workspaces"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let mut seen = BTreeMap::new();
    for line in &lines {
        let id = line["workspace"].as_str().unwrap_or_default().to_owned();
        let status = line["status"].as_str().unwrap_or_default().to_owned();
        assert!(
            seen.insert(id.clone(), status).is_none(),
            "`{id}` reported twice:\n{run}"
        );
    }
    seen
}

/// Merges the reports of several runners, asserting that no workspace was
/// reported by two of them.
pub fn merged(runs: &[Run]) -> BTreeMap<String, String> {
    let mut all = BTreeMap::new();
    for run in runs {
        for (id, status) in reported(run) {
            assert!(
                all.insert(id.clone(), status).is_none(),
                "`{id}` was reported by two runners; the last one:\n{run}"
            );
        }
    }
    all
}

/// The ledger's run id of a run document.
pub fn run_id(run: &Run) -> i64 {
    run.json()["run_id"]
        .as_i64()
        .unwrap_or_else(|| panic!("no run id in the output:\n{run}"))
}

/// Whether a runner id (`user@host/pid`) names process `pid`.
pub fn is_runner(runner_id: &str, pid: u32) -> bool {
    runner_id.rsplit_once('/').map(|(_, p)| p) == Some(pid.to_string().as_str())
}

/// One workspace of a run as the ledger recorded it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    pub status: String,
    pub runner: String,
    pub version_before: String,
    pub applied: String,
}

/// `wsdb.run_workspaces` of `run_id`, by workspace id.
pub async fn recorded(project: &Project, run_id: i64) -> BTreeMap<String, Recorded> {
    let sql = format!(
        "SELECT workspace_id, status, coalesce(runner_id, ''), \
                coalesce(version_before::text, '-'), applied_versions::text \
         FROM wsdb.run_workspaces WHERE run_id = {run_id}"
    );
    project
        .control_rows(&sql)
        .await
        .into_iter()
        .map(|row| {
            let text = |i: usize| row[i].clone().unwrap_or_default();
            (
                text(0),
                Recorded {
                    status: text(1),
                    runner: text(2),
                    version_before: text(3),
                    applied: text(4),
                },
            )
        })
        .collect()
}

/// One claim of a queued run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimRow {
    pub state: String,
    pub runner: String,
    pub attempts: i64,
}

/// `wsdb.claims` of `run_id`, by workspace id.
pub async fn claims(project: &Project, run_id: i64) -> BTreeMap<String, ClaimRow> {
    let sql = format!(
        "SELECT workspace_id, state, coalesce(runner_id, ''), attempts::text \
         FROM wsdb.claims WHERE run_id = {run_id}"
    );
    project
        .control_rows(&sql)
        .await
        .into_iter()
        .map(|row| {
            let text = |i: usize| row[i].clone().unwrap_or_default();
            (
                text(0),
                ClaimRow {
                    state: text(1),
                    runner: text(2),
                    attempts: text(3).parse().unwrap_or(-1),
                },
            )
        })
        .collect()
}

/// `outcome` of run `run_id` in `wsdb.runs`.
pub async fn outcome(project: &Project, run_id: i64) -> String {
    let rows = project
        .control_rows(&format!(
            "SELECT outcome FROM wsdb.runs WHERE id = {run_id}"
        ))
        .await;
    rows.first()
        .and_then(|row| row[0].clone())
        .unwrap_or_else(|| format!("no run {run_id}"))
}

/// Every workspace's history, read behind wsdb's back (a few at a time).
pub async fn histories(project: &Project, ids: &[String]) -> BTreeMap<String, Vec<(i64, bool)>> {
    futures_util::stream::iter(ids)
        .map(|id| async move { (id.clone(), project.history(id).await) })
        .buffer_unordered(8)
        .collect()
        .await
}

/// Asserts that every workspace's history holds exactly versions
/// `1..=latest`, each applied successfully.
pub async fn assert_at_latest(project: &Project, ids: &[String], latest: i64) {
    let expected: Vec<(i64, bool)> = (1..=latest).map(|v| (v, true)).collect();
    let wrong: Vec<_> = histories(project, ids)
        .await
        .into_iter()
        .filter(|(_, history)| *history != expected)
        .collect();
    assert!(
        wrong.is_empty(),
        "workspaces not at version {latest}: {wrong:?}"
    );
}

/// Asserts that the test server saw exactly one login in each workspace's
/// database: one runner, one connection, no second visit. Call it before
/// reading the databases behind wsdb's back. Skipped on a real server.
pub fn assert_one_login_each(project: &Project, ids: &[String]) {
    let Some(server) = project.server.test_server() else {
        return;
    };
    let stats = server.stats();
    let logins: BTreeMap<&str, u64> = ids
        .iter()
        .map(|id| (id.as_str(), stats.database(project.database(id)).logins))
        .filter(|(_, logins)| *logins != 1)
        .collect();
    assert!(
        logins.is_empty(),
        "workspaces whose database did not see exactly one login: {logins:?}"
    );
}

/// Polls `probe` until it returns a value, failing the test after
/// [`DEADLINE`]. For conditions in the control database or a workspace
/// that a separate process brings about; the pause between polls only
/// spares the servers.
pub async fn wait_for<T, F, Fut>(what: &str, mut probe: F) -> T
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    let deadline = tokio::time::Instant::now() + DEADLINE;
    loop {
        if let Some(value) = probe().await {
            return value;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "gave up waiting for {what}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The set of ids of a report map.
pub fn ids_of(map: &BTreeMap<String, String>) -> BTreeSet<String> {
    map.keys().cloned().collect()
}
