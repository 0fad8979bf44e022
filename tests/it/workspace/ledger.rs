//! The ledger in the control database: a `wsdb.runs` row for every
//! changing run and a `wsdb.run_workspaces` row for every workspace it
//! selected, failures included; `--no-ledger` writes nothing there (the
//! `wsdb` schema stays absent, or unchanged once it exists).

use super::entry;
use crate::support::project::Project;

/// The ledger's tables as text, for before/after comparisons.
async fn ledger_snapshot(project: &Project) -> Vec<Vec<Option<String>>> {
    let mut rows = project
        .control_rows("SELECT id::text, command, outcome FROM wsdb.runs ORDER BY id")
        .await;
    rows.extend(
        project
            .control_rows(
                "SELECT run_id::text, workspace_id, status FROM wsdb.run_workspaces ORDER BY run_id, workspace_id",
            )
            .await,
    );
    rows.extend(
        project
            .control_rows(
                "SELECT workspace_id, version::text, state FROM wsdb.workspace_versions ORDER BY workspace_id",
            )
            .await,
    );
    rows
}

async fn wsdb_schema_exists(project: &Project) -> bool {
    let rows = project
        .control_rows("SELECT to_regnamespace('wsdb')::text")
        .await;
    rows[0][0].is_some()
}

fn run_id(run: &crate::support::project::Run) -> String {
    run.json()["run_id"]
        .as_i64()
        .unwrap_or_else(|| panic!("no run_id in:\n{run}"))
        .to_string()
}

#[tokio::test]
async fn every_run_and_workspace_is_recorded_failures_included() {
    let mut project = Project::start().await;
    project.add_workspace("acme").await;
    project.add_workspace("beta").await;
    project.table_migration(1, "base").await;
    project.table_migration(2, "two").await;
    // beta already has a table of that name: its migration 2 fails (2714).
    project
        .execute("beta", "CREATE TABLE dbo.two (id INT NOT NULL);")
        .await;

    let run = project
        .wsdb(&["migrate", "--all", "--format", "json"])
        .run()
        .await;
    run.expect_code(1);
    assert_eq!(entry(&run, "beta")["status"], "failed", "{run}");
    let id = run_id(&run);

    let runs = project
        .control_rows(&format!(
            "SELECT command, outcome, (finished_at IS NOT NULL)::text FROM wsdb.runs WHERE id = {id}"
        ))
        .await;
    assert_eq!(
        runs,
        [[
            Some("migrate".to_owned()),
            Some("failed".to_owned()),
            Some("true".to_owned())
        ]]
    );

    let workspaces = project
        .control_rows(&format!(
            "SELECT workspace_id, status, version_before::text, version_after::text, \
             applied_versions::text, error FROM wsdb.run_workspaces WHERE run_id = {id} \
             ORDER BY workspace_id"
        ))
        .await;
    assert_eq!(workspaces.len(), 2, "{workspaces:?}");
    assert_eq!(
        workspaces[0][..5],
        [
            Some("acme".to_owned()),
            Some("applied".to_owned()),
            None,
            Some("2".to_owned()),
            Some("{1,2}".to_owned()),
        ]
    );
    assert_eq!(
        workspaces[1][..5],
        [
            Some("beta".to_owned()),
            Some("failed".to_owned()),
            None,
            Some("1".to_owned()),
            Some("{1}".to_owned()),
        ]
    );
    let error = workspaces[1][5].clone().unwrap_or_default();
    assert!(
        error.contains("0002_two.up.sql") && error.contains("2714"),
        "{error}"
    );
    assert!(workspaces[0][5].is_none());

    // A second, successful run gets its own rows.
    project.execute("beta", "DROP TABLE dbo.two;").await;
    let retry = project
        .wsdb(&["migrate", "-w", "beta", "--format", "json"])
        .run()
        .await;
    retry.expect_code(0);
    let retry_id = run_id(&retry);
    assert_ne!(retry_id, id);
    let rows = project
        .control_rows(&format!(
            "SELECT r.command, r.outcome, w.workspace_id, w.status FROM wsdb.runs r \
             JOIN wsdb.run_workspaces w ON w.run_id = r.id WHERE r.id = {retry_id}"
        ))
        .await;
    assert_eq!(
        rows,
        [[
            Some("migrate".to_owned()),
            Some("succeeded".to_owned()),
            Some("beta".to_owned()),
            Some("applied".to_owned()),
        ]]
    );

    // Read-only commands record no run.
    let status = project
        .wsdb(&["status", "--all", "--format", "json"])
        .run()
        .await;
    status.expect_code(0);
    assert!(status.json()["run_id"].is_null(), "{status}");
    project
        .wsdb(&["verify", "--all"])
        .run()
        .await
        .expect_code(0);
    let runs_after = project
        .control_rows("SELECT count(*)::text FROM wsdb.runs")
        .await;
    assert_eq!(runs_after, [[Some("2".to_owned())]]);
}

#[tokio::test]
async fn no_ledger_writes_nothing_to_the_control_database() {
    let mut project = Project::start().await;
    project.add_workspace("acme").await;
    project.table_migration(1, "base").await;

    let run = project
        .wsdb(&["migrate", "-w", "acme", "--no-ledger", "--format", "json"])
        .run()
        .await;
    run.expect_code(0);
    assert_eq!(entry(&run, "acme")["status"], "applied", "{run}");
    assert!(run.json()["run_id"].is_null(), "{run}");
    assert!(
        !wsdb_schema_exists(&project).await,
        "`--no-ledger` must not even create the `wsdb` schema"
    );

    // Once the ledger exists, `--no-ledger` leaves it exactly as it was.
    project
        .migration(
            2,
            "two",
            "CREATE TABLE dbo.two (id INT NOT NULL);\n",
            Some("DROP TABLE dbo.two;\n"),
        )
        .await;
    project
        .wsdb(&["migrate", "-w", "acme", "--to", "1"])
        .run()
        .await
        .expect_code(0);
    assert!(wsdb_schema_exists(&project).await);
    let before = ledger_snapshot(&project).await;
    project
        .wsdb(&["migrate", "-w", "acme", "--no-ledger"])
        .run()
        .await
        .expect_code(0);
    project
        .wsdb(&[
            "rollback",
            "-w",
            "acme",
            "--to",
            "1",
            "--yes",
            "--no-ledger",
        ])
        .run()
        .await
        .expect_code(0);
    project
        .wsdb(&["repair", "-w", "acme", "--yes", "--no-ledger"])
        .run()
        .await
        .expect_code(0);
    assert_eq!(ledger_snapshot(&project).await, before);
    assert_eq!(project.history("acme").await, vec![(1, true)]);
}
