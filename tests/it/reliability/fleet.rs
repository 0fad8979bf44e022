//! The migration set the reliability tests run, and what a workspace looks
//! like afterwards, read behind wsdb's back on one connection.
//!
//! Migration `v` has three batches; each creates one table (`dbo.m<v>_a`,
//! `_b`, `_c`), the first also appends `v` to `dbo.applied_log` (created by
//! migration 1). So "applied exactly once" and "applied whole or not at
//! all" are visible in every workspace: the tables of `v` exist iff its
//! history row says applied, and `applied_log` holds `v` exactly once then.
//! Its down script undoes it in three batches too, so a rollback cut short
//! shows the same way.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::time::Duration;

use crate::support::project::Project;

/// Writes migrations `1..=versions` with their down scripts. Every other
/// one waits `pause` in its second batch, up and down (kept short: the
/// whole set must stay cheap), so that a SIGKILL often lands inside an open
/// migration transaction.
pub async fn write_migrations(project: &Project, versions: u64, pause: Duration) {
    for version in 1..=versions {
        let mut up = String::new();
        if version == 1 {
            up.push_str("CREATE TABLE dbo.applied_log (version BIGINT NOT NULL);\n");
        }
        let _ = write!(
            up,
            "CREATE TABLE dbo.m{version}_a (id INT NOT NULL);\n\
             INSERT INTO dbo.applied_log (version) VALUES ({version});\nGO\n"
        );
        if version.is_multiple_of(2) && !pause.is_zero() {
            let _ = writeln!(up, "WAITFOR DELAY '{}';", waitfor_delay(pause));
        }
        let _ = write!(
            up,
            "CREATE TABLE dbo.m{version}_b (id INT NOT NULL);\nGO\n\
             CREATE TABLE dbo.m{version}_c (id INT NOT NULL);\n\
             INSERT INTO dbo.m{version}_c (id) VALUES ({version});\n"
        );
        let down = down_script(version, pause);
        project.write_migration(version, &format!("step_{version}"), &up, Some(&down));
    }
    project.wsdb(&["hash"]).run().await.expect_code(0);
}

/// Undoes migration `version` in three batches, the reverse of its up.
fn down_script(version: u64, pause: Duration) -> String {
    let mut down = format!("DROP TABLE dbo.m{version}_c;\nGO\n");
    if version.is_multiple_of(2) && !pause.is_zero() {
        let _ = writeln!(down, "WAITFOR DELAY '{}';", waitfor_delay(pause));
    }
    let _ = write!(
        down,
        "DROP TABLE dbo.m{version}_b;\nGO\n\
         DELETE FROM dbo.applied_log WHERE version = {version};\n\
         DROP TABLE dbo.m{version}_a;\n"
    );
    if version == 1 {
        down.push_str("DROP TABLE dbo.applied_log;\n");
    }
    down
}

/// `hh:mm:ss.mmm` for `WAITFOR DELAY` (under a minute).
fn waitfor_delay(pause: Duration) -> String {
    format!("00:00:{:02}.{:03}", pause.as_secs(), pause.subsec_millis())
}

/// One workspace as the server holds it.
#[derive(Debug, Default)]
pub struct Workspace {
    /// `version -> success` from `dbo.wsdb_history`.
    pub history: BTreeMap<i64, bool>,
    /// Names of the tables in `dbo`, lower-case.
    pub tables: BTreeSet<String>,
    /// `version -> rows` of `dbo.applied_log`.
    pub log: BTreeMap<i64, i64>,
}

impl Workspace {
    /// Reads workspace `id` of `project` on one connection.
    pub async fn read(project: &Project, id: &str) -> Workspace {
        let mut client = project.server_of(id).client(project.database(id)).await;
        let mut workspace = Workspace::default();
        let tables = client
            .simple_query("SELECT name FROM sys.tables WHERE schema_id = SCHEMA_ID('dbo')")
            .await
            .expect("list tables")
            .into_first_result()
            .await
            .expect("table rows");
        for row in &tables {
            let name: &str = row.get(0).expect("a table name");
            workspace.tables.insert(name.to_lowercase());
        }
        if workspace.tables.contains("wsdb_history") {
            let rows = client
                .simple_query("SELECT CAST(version AS BIGINT), success FROM dbo.wsdb_history")
                .await
                .expect("read history")
                .into_first_result()
                .await
                .expect("history rows");
            for row in &rows {
                let version: i64 = row.get(0).expect("a version");
                let success: bool = row.get(1).expect("a success flag");
                workspace.history.insert(version, success);
            }
        }
        if workspace.tables.contains("applied_log") {
            let rows = client
                .simple_query(
                    "SELECT version, CAST(COUNT(*) AS BIGINT) FROM dbo.applied_log GROUP BY version",
                )
                .await
                .expect("read applied_log")
                .into_first_result()
                .await
                .expect("applied_log rows");
            for row in &rows {
                let version: i64 = row.get(0).expect("a version");
                let n: i64 = row.get(1).expect("a count");
                workspace.log.insert(version, n);
            }
        }
        workspace
    }

    /// The highest version applied (0: none).
    pub fn version(&self) -> i64 {
        self.history.keys().next_back().copied().unwrap_or(0)
    }

    /// Every way this workspace contradicts "a migration's tables and log
    /// row exist iff its history row says applied, and the applied versions
    /// are `1..=k`" over migrations `1..=versions`.
    pub fn problems(&self, versions: u64) -> Vec<String> {
        let mut problems = Vec::new();
        for (version, success) in &self.history {
            if !success {
                problems.push(format!("history row {version} says failed"));
            }
        }
        let applied: Vec<i64> = self.history.keys().copied().collect();
        let prefix: Vec<i64> = (1..=self.version()).collect();
        if applied != prefix {
            problems.push(format!("applied versions {applied:?} are not 1..=k"));
        }
        for version in 1..=i64::try_from(versions).expect("a small version") {
            let applied = self.history.get(&version) == Some(&true);
            for part in ["a", "b", "c"] {
                let table = format!("m{version}_{part}");
                if self.tables.contains(&table) != applied {
                    problems.push(format!(
                        "table dbo.{table} {} but migration {version} is {}",
                        if applied { "is missing" } else { "exists" },
                        if applied { "applied" } else { "not applied" }
                    ));
                }
            }
            let logged = self.log.get(&version).copied().unwrap_or(0);
            if logged != i64::from(applied) {
                problems.push(format!(
                    "applied_log holds {version} {logged} times, migration {version} is {}",
                    if applied { "applied" } else { "not applied" }
                ));
            }
        }
        problems
    }
}

/// Every workspace of `ids`, read one after the other.
pub async fn read_all(project: &Project, ids: &[String]) -> Vec<(String, Workspace)> {
    let mut states = Vec::with_capacity(ids.len());
    for id in ids {
        states.push((id.clone(), Workspace::read(project, id).await));
    }
    states
}

/// Panics listing every inconsistent workspace of `states`.
#[track_caller]
pub fn assert_consistent(states: &[(String, Workspace)], versions: u64, when: &str) {
    let broken: Vec<String> = states
        .iter()
        .filter_map(|(id, state)| {
            let problems = state.problems(versions);
            (!problems.is_empty()).then(|| format!("{id}: {}", problems.join("; ")))
        })
        .collect();
    assert!(
        broken.is_empty(),
        "{when}: {} workspace(s) half-applied or applied twice:\n{}",
        broken.len(),
        broken.join("\n")
    );
}

/// Workspaces per version (`version -> count`), for the figures.
pub fn versions(states: &[(String, Workspace)]) -> BTreeMap<i64, usize> {
    let mut counts = BTreeMap::new();
    for (_, state) in states {
        *counts.entry(state.version()).or_insert(0) += 1;
    }
    counts
}
