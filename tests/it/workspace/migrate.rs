//! `wsdb migrate` on one workspace: a fresh database up to date with the
//! files' checksums recorded; a migration failing in its third batch
//! leaving no trace; `--to`; `--dry-run`; `history`.

use wsdb::migrate::Checksum;

use super::{cause, entry};
use crate::support::project::Project;

/// `(version, checksum)` of every history row, read behind wsdb's back.
async fn recorded_checksums(project: &Project, id: &str) -> Vec<(i64, String)> {
    let mut client = project.server.client(project.database(id)).await;
    let rows = client
        .simple_query("SELECT version, checksum FROM dbo.wsdb_history ORDER BY version")
        .await
        .expect("query history")
        .into_first_result()
        .await
        .expect("history rows");
    rows.iter()
        .map(|row| {
            (
                row.get::<i64, _>(0).expect("version"),
                row.get::<&str, _>(1).expect("checksum").trim().to_owned(),
            )
        })
        .collect()
}

#[tokio::test]
async fn a_fresh_database_migrates_to_up_to_date_with_the_files_checksums() {
    let mut project = Project::start().await;
    project.add_workspace("acme").await;
    // A BOM and CRLF line ends: the recorded checksum is the normalised one.
    project
        .migration(
            1,
            "base",
            "\u{feff}CREATE TABLE dbo.customers (id INT NOT NULL PRIMARY KEY);\r\nGO\r\nINSERT INTO dbo.customers (id) VALUES (1);\r\n",
            Some("DROP TABLE dbo.customers;\n"),
        )
        .await;
    project.table_migration(2, "orders").await;

    let status = project
        .wsdb(&["status", "-w", "acme", "--format", "json"])
        .run()
        .await;
    status.expect_code(0);
    assert_eq!(entry(&status, "acme")["pending"], serde_json::json!([1, 2]));

    let run = project
        .wsdb(&["migrate", "-w", "acme", "--format", "json"])
        .run()
        .await;
    run.expect_code(0);
    let line = entry(&run, "acme");
    assert_eq!(line["status"], "applied", "{run}");
    assert_eq!(line["version_after"], 2);
    let steps: Vec<u64> = line["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .filter_map(|s| s["version"].as_u64())
        .collect();
    assert_eq!(steps, [1, 2]);
    assert_eq!(project.history("acme").await, vec![(1, true), (2, true)]);
    assert!(project.table_exists("acme", "dbo.orders").await);
    assert_eq!(
        project
            .scalar_i64("acme", "SELECT COUNT(*) FROM dbo.customers")
            .await,
        Some(1)
    );

    let mut expected = Vec::new();
    for (version, file) in [(1, "0001_base.up.sql"), (2, "0002_orders.up.sql")] {
        let bytes = std::fs::read(project.migrations_dir().join(file)).expect("read migration");
        expected.push((version, Checksum::of_file_bytes(&bytes).to_hex()));
    }
    let normalised = "CREATE TABLE dbo.customers (id INT NOT NULL PRIMARY KEY);\nGO\nINSERT INTO dbo.customers (id) VALUES (1);\n";
    assert_eq!(
        expected[0].1,
        Checksum::of_file_bytes(normalised.as_bytes()).to_hex(),
        "BOM and CRLF do not count"
    );
    assert_eq!(recorded_checksums(&project, "acme").await, expected);

    let status = project
        .wsdb(&["status", "-w", "acme", "--format", "json", "--check"])
        .run()
        .await;
    status.expect_code(0);
    assert_eq!(entry(&status, "acme")["status"], "up_to_date");
    let again = project
        .wsdb(&["migrate", "-w", "acme", "--format", "json"])
        .run()
        .await;
    again.expect_code(0);
    assert_eq!(entry(&again, "acme")["status"], "up_to_date");
}

#[tokio::test]
async fn a_migration_failing_in_its_third_batch_leaves_no_trace() {
    let mut project = Project::start().await;
    project.add_workspace("acme").await;
    project.table_migration(1, "base").await;
    let failing = "CREATE TABLE dbo.first_batch (id INT NOT NULL);\n\
                   GO\n\
                   CREATE TABLE dbo.second_batch (id INT NOT NULL);\n\
                   INSERT INTO dbo.second_batch (id) VALUES (1);\n\
                   GO\n\
                   INSERT INTO dbo.base (id) VALUES (1);\n\
                   INSERT INTO dbo.no_such_table (id) VALUES (1);\n";
    project.migration(2, "broken", failing, None).await;
    project.table_migration(3, "later").await;

    let run = project
        .wsdb(&["migrate", "-w", "acme", "--format", "json"])
        .run()
        .await;
    run.expect_code(1);
    let line = entry(&run, "acme");
    assert_eq!(line["status"], "failed", "{run}");
    assert_eq!(line["version_after"], 1);
    let cause = cause(&run, "acme");
    assert!(
        cause.contains("0002_broken.up.sql` line 7: SQL Server error 208")
            && cause.contains("(batch 3, which starts at line 6)"),
        "the error names the file, line, batch and number: {cause}"
    );

    assert_eq!(project.history("acme").await, vec![(1, true)]);
    for table in ["dbo.first_batch", "dbo.second_batch", "dbo.later"] {
        assert!(!project.table_exists("acme", table).await, "{table} exists");
    }
    assert_eq!(
        project
            .scalar_i64("acme", "SELECT COUNT(*) FROM dbo.base")
            .await,
        Some(0),
        "the third batch's first statement was rolled back too"
    );

    // People read the whole error, with its hint, on a terminal-less run.
    let table = project.wsdb(&["migrate", "-w", "acme"]).run().await;
    table
        .expect_code(1)
        .expect_output("0002_broken.up.sql")
        .expect_output("line 7");
    assert_eq!(project.history("acme").await, vec![(1, true)]);
}

#[tokio::test]
async fn to_stops_at_the_version_and_dry_run_changes_nothing() {
    let mut project = Project::start().await;
    project.add_workspace("acme").await;
    project.table_migration(1, "one").await;
    project
        .migration(
            2,
            "two",
            "INSERT INTO dbo.one (id) VALUES (2);\nGO 2\nCREATE TABLE dbo.two (id INT NOT NULL);\n",
            None,
        )
        .await;
    project
        .migration(
            3,
            "three",
            "-- wsdb:timeout=90s\nCREATE TABLE dbo.three (id INT NOT NULL);\n",
            None,
        )
        .await;

    let dry = project
        .wsdb(&["migrate", "-w", "acme", "--dry-run"])
        .run()
        .await;
    dry.expect_code(0)
        .expect_output("0001_one.up.sql (one transaction)")
        .expect_output("-- batch 1 at line 1, runs 2 times\nINSERT INTO dbo.one (id) VALUES (2);")
        .expect_output("-- batch 2 at line 3\nCREATE TABLE dbo.two (id INT NOT NULL);")
        .expect_output("0003_three.up.sql");
    assert!(
        !project.table_exists("acme", "dbo.wsdb_history").await,
        "a dry run does not even create the history table"
    );
    assert!(!project.table_exists("acme", "dbo.one").await);

    let run = project
        .wsdb(&["migrate", "-w", "acme", "--to", "2", "--format", "json"])
        .run()
        .await;
    run.expect_code(0);
    assert_eq!(entry(&run, "acme")["version_after"], 2);
    assert_eq!(entry(&run, "acme")["pending"], serde_json::json!([3]));
    assert_eq!(project.history("acme").await, vec![(1, true), (2, true)]);
    assert!(!project.table_exists("acme", "dbo.three").await);
    assert_eq!(
        project
            .scalar_i64("acme", "SELECT COUNT(*) FROM dbo.one")
            .await,
        Some(2),
        "`GO 2` ran its batch twice"
    );

    let dry = project
        .wsdb(&["migrate", "-w", "acme", "--dry-run", "--format", "json"])
        .run()
        .await;
    dry.expect_code(0);
    assert_eq!(entry(&dry, "acme")["status"], "planned");
    assert!(!project.table_exists("acme", "dbo.three").await);
    assert_eq!(project.history("acme").await, vec![(1, true), (2, true)]);

    let status = project
        .wsdb(&["status", "-w", "acme", "--check", "--format", "json"])
        .run()
        .await;
    status.expect_code(3);
    assert_eq!(entry(&status, "acme")["status"], "pending");
}

#[tokio::test]
async fn history_lists_what_was_applied() {
    let mut project = Project::start().await;
    project.add_workspace("acme").await;
    let never = project
        .wsdb(&["history", "-w", "acme", "--format", "json"])
        .run()
        .await;
    never.expect_code(0);
    assert_eq!(never.json()["history_table"], false);
    assert!(!project.table_exists("acme", "dbo.wsdb_history").await);

    project.table_migration(1, "base").await;
    project.table_migration(2, "more").await;
    project
        .wsdb(&["migrate", "-w", "acme"])
        .run()
        .await
        .expect_code(0);

    let history = project
        .wsdb(&["history", "-w", "acme", "--format", "json"])
        .run()
        .await;
    history.expect_code(0);
    let document = history.json();
    assert_eq!(document["history_table"], true);
    let rows = document["rows"].as_array().expect("rows");
    let summary: Vec<(u64, &str, bool)> = rows
        .iter()
        .map(|r| {
            (
                r["version"].as_u64().unwrap_or(0),
                r["name"].as_str().unwrap_or_default(),
                r["success"].as_bool().unwrap_or(false),
            )
        })
        .collect();
    assert_eq!(summary, [(1, "base", true), (2, "more", true)]);
    let bytes = std::fs::read(project.migrations_dir().join("0002_more.up.sql")).expect("read");
    assert_eq!(
        rows[1]["checksum"],
        Checksum::of_file_bytes(&bytes).to_hex()
    );

    let table = project.wsdb(&["history", "-w", "acme"]).run().await;
    table
        .expect_code(0)
        .expect_output("base")
        .expect_output("more");
}
