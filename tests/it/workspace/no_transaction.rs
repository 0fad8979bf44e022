//! A `-- wsdb:no-transaction` migration that fails part-way: its earlier
//! batches stay, a `success = 0` row records it, and the workspace refuses
//! further migrations until a human fixed things and ran `wsdb repair`.

use super::{cause, entry};
use crate::support::project::Project;

const BROKEN: &str = "-- wsdb:no-transaction\n\
                      CREATE TABLE dbo.nt_first (id INT NOT NULL);\n\
                      GO\n\
                      INSERT INTO dbo.no_such_table (id) VALUES (1);\n";

const FIXED: &str = "-- wsdb:no-transaction\n\
                     CREATE TABLE dbo.nt_first (id INT NOT NULL);\n\
                     GO\n\
                     INSERT INTO dbo.nt_first (id) VALUES (1);\n";

#[tokio::test]
async fn a_failed_no_transaction_migration_blocks_migrate_until_repair() {
    let mut project = Project::start().await;
    project.add_workspace("acme").await;
    project.table_migration(1, "base").await;
    project.migration(2, "outside", BROKEN, None).await;
    project.table_migration(3, "later").await;

    let run = project
        .wsdb(&["migrate", "-w", "acme", "--format", "json"])
        .run()
        .await;
    run.expect_code(1);
    assert_eq!(entry(&run, "acme")["status"], "failed", "{run}");
    let why = cause(&run, "acme");
    assert!(
        why.contains("0002_outside.up.sql` line 4: SQL Server error 208"),
        "{why}"
    );
    assert_eq!(project.history("acme").await, vec![(1, true), (2, false)]);
    assert!(
        project.table_exists("acme", "dbo.nt_first").await,
        "outside a transaction, the first batch stays"
    );
    assert!(!project.table_exists("acme", "dbo.later").await);

    let status = project
        .wsdb(&["status", "-w", "acme", "--format", "json"])
        .run()
        .await;
    assert_eq!(
        entry(&status, "acme")["status"],
        "failed_migration",
        "{status}"
    );
    project
        .wsdb(&["verify", "-w", "acme"])
        .run()
        .await
        .expect_code(3);
    let blocked = project
        .wsdb(&["migrate", "-w", "acme", "--format", "json"])
        .run()
        .await;
    blocked.expect_code(1);
    assert_eq!(entry(&blocked, "acme")["status"], "refused", "{blocked}");
    assert!(cause(&blocked, "acme").contains("2"), "{blocked}");
    assert!(!project.table_exists("acme", "dbo.later").await);

    // A human undoes the half-applied migration and fixes the file.
    project.execute("acme", "DROP TABLE dbo.nt_first;").await;
    project.migration(2, "outside", FIXED, None).await;
    project
        .wsdb(&["repair", "-w", "acme"])
        .run()
        .await
        .expect_code(2);
    assert_eq!(project.history("acme").await, vec![(1, true), (2, false)]);
    let repair = project
        .wsdb(&["repair", "-w", "acme", "--yes", "--format", "json"])
        .run()
        .await;
    repair.expect_code(0);
    assert_eq!(entry(&repair, "acme")["status"], "repaired", "{repair}");
    assert_eq!(project.history("acme").await, vec![(1, true)]);

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
            .scalar_i64("acme", "SELECT COUNT(*) FROM dbo.nt_first")
            .await,
        Some(1)
    );
}

/// A `no-transaction` script may use transactions of its own. One that
/// fails inside its own open transaction (with XACT_ABORT OFF, a missing
/// table ends the batch but leaves the transaction open) must still leave
/// the failed row: written inside that transaction, the row would vanish
/// with it when the connection closes, and the workspace would not wait
/// for `repair`.
#[tokio::test]
async fn a_failure_inside_the_scripts_own_transaction_still_leaves_the_failed_row() {
    let mut project = Project::start().await;
    project.add_workspace("acme").await;
    project.table_migration(1, "base").await;
    let script = "-- wsdb:no-transaction\n\
                  CREATE TABLE dbo.nt_first (id INT NOT NULL);\n\
                  GO\n\
                  SET XACT_ABORT OFF;\n\
                  BEGIN TRANSACTION;\n\
                  INSERT INTO dbo.base (id) VALUES (1);\n\
                  INSERT INTO dbo.no_such_table (id) VALUES (1);\n";
    project.migration(2, "own_transaction", script, None).await;

    let run = project
        .wsdb(&["migrate", "-w", "acme", "--format", "json"])
        .run()
        .await;
    run.expect_code(1);
    assert!(
        cause(&run, "acme").contains("0002_own_transaction.up.sql` line 7"),
        "{run}"
    );
    assert_eq!(project.history("acme").await, vec![(1, true), (2, false)]);
    assert!(project.table_exists("acme", "dbo.nt_first").await);
    assert_eq!(
        project
            .scalar_i64("acme", "SELECT COUNT(*) FROM dbo.base")
            .await,
        Some(0),
        "the script's own unfinished transaction is rolled back"
    );
    let blocked = project
        .wsdb(&["migrate", "-w", "acme", "--format", "json"])
        .run()
        .await;
    blocked.expect_code(1);
    assert_eq!(entry(&blocked, "acme")["status"], "refused", "{blocked}");
}

/// A `no-transaction` script that ends with a transaction of its own still
/// open used to be reported applied, and then lost that transaction and
/// its history row when the connection closed. Its row is now written in a
/// transaction of wsdb's whose guarded commit catches this: the open part
/// is rolled back and the migration is marked failed.
#[tokio::test]
async fn a_transaction_left_open_by_a_no_transaction_script_marks_it_failed() {
    let mut project = Project::start().await;
    project.add_workspace("acme").await;
    let script = "-- wsdb:no-transaction\n\
                  CREATE TABLE dbo.nt_kept (id INT NOT NULL);\n\
                  GO\n\
                  BEGIN TRANSACTION;\n\
                  CREATE TABLE dbo.nt_open (id INT NOT NULL);\n";
    project.migration(1, "left_open", script, None).await;

    let run = project
        .wsdb(&["migrate", "-w", "acme", "--format", "json"])
        .run()
        .await;
    run.expect_code(1);
    assert_eq!(entry(&run, "acme")["status"], "failed", "{run}");
    let why = cause(&run, "acme");
    assert!(why.contains("left a transaction open"), "{why}");
    assert_eq!(project.history("acme").await, vec![(1, false)]);
    assert!(project.table_exists("acme", "dbo.nt_kept").await);
    assert!(!project.table_exists("acme", "dbo.nt_open").await);
    project
        .wsdb(&["verify", "-w", "acme"])
        .run()
        .await
        .expect_code(3);
}
