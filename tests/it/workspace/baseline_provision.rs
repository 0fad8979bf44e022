//! `wsdb baseline` (a database whose schema was made another way is marked
//! at version V; only later migrations run) and `wsdb provision` (a missing
//! database is created, then migrated; a second run changes nothing).

use super::{cause, entry};
use crate::support::project::Project;

/// Whether database `name` exists on the project's server.
async fn database_exists(project: &Project, name: &str) -> bool {
    let mut master = project.server.client("master").await;
    let row = master
        .query("SELECT DB_ID(@P1) AS id", &[&name])
        .await
        .expect("query master")
        .into_row()
        .await
        .expect("a row")
        .expect("a row");
    row.try_get::<i32, _>(0).ok().flatten().is_some()
        || row.try_get::<i16, _>(0).ok().flatten().is_some()
}

#[tokio::test]
async fn baseline_marks_an_existing_schema_and_migrate_continues_from_there() {
    let mut project = Project::start().await;
    project.add_workspace("legacy").await;
    project.table_migration(1, "customers").await;
    project.table_migration(2, "orders").await;
    project.table_migration(3, "invoices").await;
    // The schema of versions 1 and 2, made before wsdb.
    project
        .execute(
            "legacy",
            "CREATE TABLE dbo.customers (id INT NOT NULL); CREATE TABLE dbo.orders (id INT NOT NULL);",
        )
        .await;

    project
        .wsdb(&["baseline", "-w", "legacy", "--version", "2"])
        .run()
        .await
        .expect_code(2)
        .expect_output("--yes");
    assert!(!project.table_exists("legacy", "dbo.wsdb_history").await);

    let run = project
        .wsdb(&[
            "baseline",
            "-w",
            "legacy",
            "--version",
            "2",
            "--yes",
            "--format",
            "json",
        ])
        .run()
        .await;
    run.expect_code(0);
    assert_eq!(entry(&run, "legacy")["status"], "baselined", "{run}");
    assert_eq!(project.history("legacy").await, vec![(1, true), (2, true)]);
    let history = project
        .wsdb(&["history", "-w", "legacy", "--format", "json"])
        .run()
        .await;
    let rows = history.json()["rows"].clone();
    assert!(
        rows[0]["applied_by"]
            .as_str()
            .is_some_and(|by| by.starts_with("baseline:")),
        "{history}"
    );

    let migrate = project
        .wsdb(&["migrate", "-w", "legacy", "--format", "json"])
        .run()
        .await;
    migrate.expect_code(0);
    assert_eq!(
        entry(&migrate, "legacy")["steps"][0]["version"],
        3,
        "{migrate}"
    );
    assert!(project.table_exists("legacy", "dbo.invoices").await);

    let again = project
        .wsdb(&[
            "baseline",
            "-w",
            "legacy",
            "--version",
            "1",
            "--yes",
            "--format",
            "json",
        ])
        .run()
        .await;
    again.expect_code(1);
    assert_eq!(entry(&again, "legacy")["status"], "refused");
    assert!(
        cause(&again, "legacy").contains("already has 3 row(s)"),
        "{again}"
    );
}

#[tokio::test]
async fn provision_creates_a_missing_database_then_migrates_it() {
    let mut project = Project::start().await;
    let database = project.add_missing_workspace("newco").await;
    project.table_migration(1, "base").await;
    project.table_migration(2, "more").await;
    assert!(!database_exists(&project, &database).await);

    // Nothing else can reach it yet.
    let status = project
        .wsdb(&["status", "-w", "newco", "--format", "json"])
        .run()
        .await;
    status.expect_code(1);

    let run = project
        .wsdb(&["provision", "-w", "newco", "--format", "json"])
        .run()
        .await;
    run.expect_code(0);
    let line = entry(&run, "newco");
    assert_eq!(line["status"], "provisioned", "{run}");
    assert_eq!(line["version_after"], 2);
    assert!(database_exists(&project, &database).await);
    assert_eq!(project.history("newco").await, vec![(1, true), (2, true)]);
    assert!(project.table_exists("newco", "dbo.more").await);

    let again = project
        .wsdb(&["provision", "-w", "newco", "--format", "json"])
        .run()
        .await;
    again.expect_code(0);
    assert_eq!(entry(&again, "newco")["status"], "up_to_date", "{again}");
    assert_eq!(project.history("newco").await, vec![(1, true), (2, true)]);
}
