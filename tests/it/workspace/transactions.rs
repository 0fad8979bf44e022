//! Migration scripts that misuse transactions inside wsdb's own. A
//! `BEGIN TRANSACTION` left open used to make wsdb's COMMIT only count
//! `@@TRANCOUNT` down, report the migration applied, and lose it when the
//! connection closed; now the commit checks `@@TRANCOUNT = 1` and the
//! migration fails whole. A balanced inner transaction is harmless; a
//! script `COMMIT` that ends wsdb's transaction is reported. `wsdb lint`
//! warns about all of them.

use super::{cause, entry};
use crate::support::project::Project;

const BASE: &str = "CREATE TABLE dbo.base (id INT NOT NULL);\n";

const LEFT_OPEN: &str = "CREATE TABLE dbo.kept_open (id INT NOT NULL);\n\
                         GO\n\
                         BEGIN TRANSACTION;\n\
                         INSERT INTO dbo.kept_open (id) VALUES (1);\n";

const BALANCED: &str = "CREATE TABLE dbo.kept_open (id INT NOT NULL);\n\
                        GO\n\
                        BEGIN TRANSACTION;\n\
                        INSERT INTO dbo.kept_open (id) VALUES (1);\n\
                        COMMIT TRANSACTION;\n";

#[tokio::test]
async fn a_transaction_left_open_fails_the_migration_whole() {
    let mut project = Project::start().await;
    project.add_workspace("acme").await;
    project.migration(1, "base", BASE, None).await;
    project.migration(2, "left_open", LEFT_OPEN, None).await;
    project.table_migration(3, "later").await;

    let lint = project.wsdb(&["lint"]).run().await;
    lint.expect_code(0)
        .expect_output("0002_left_open.up.sql:3: warning[transaction-statement]");

    let run = project
        .wsdb(&["migrate", "-w", "acme", "--format", "json"])
        .run()
        .await;
    run.expect_code(1);
    assert_eq!(entry(&run, "acme")["status"], "failed", "{run}");
    assert_eq!(entry(&run, "acme")["version_after"], 1);
    let why = cause(&run, "acme");
    assert!(
        why.contains("migration 2") && why.contains("left a transaction open"),
        "{why}"
    );
    assert_eq!(project.history("acme").await, vec![(1, true)]);
    assert!(!project.table_exists("acme", "dbo.kept_open").await);
    assert!(!project.table_exists("acme", "dbo.later").await);

    // The same work in a balanced inner transaction commits with wsdb's.
    project.migration(2, "left_open", BALANCED, None).await;
    let run = project
        .wsdb(&["migrate", "-w", "acme", "--format", "json"])
        .run()
        .await;
    run.expect_code(0);
    assert_eq!(
        project.history("acme").await,
        vec![(1, true), (2, true), (3, true)]
    );
    assert_eq!(
        project
            .scalar_i64("acme", "SELECT COUNT(*) FROM dbo.kept_open")
            .await,
        Some(1)
    );
}

#[tokio::test]
async fn a_script_that_commits_wsdbs_transaction_is_reported() {
    let mut project = Project::start().await;
    project.add_workspace("acme").await;
    project.migration(1, "base", BASE, None).await;
    project
        .migration(
            2,
            "commits",
            "CREATE TABLE dbo.committed_early (id INT NOT NULL);\nCOMMIT;\n",
            None,
        )
        .await;
    project
        .wsdb(&["lint"])
        .run()
        .await
        .expect_code(0)
        .expect_output("0002_commits.up.sql:2: warning[transaction-statement]");

    let run = project
        .wsdb(&["migrate", "-w", "acme", "--format", "json"])
        .run()
        .await;
    run.expect_code(1);
    assert_eq!(entry(&run, "acme")["status"], "failed", "{run}");
    let why = cause(&run, "acme");
    assert!(why.contains("not applied atomically"), "{why}");
    // What the error warns about: the script's COMMIT made the table
    // permanent, and the history row went in outside any transaction.
    assert!(project.table_exists("acme", "dbo.committed_early").await);
}
