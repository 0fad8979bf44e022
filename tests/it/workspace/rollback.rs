//! `wsdb rollback --to V`: the down scripts run newest first and take
//! their history rows with them; a missing down file is refused before
//! anything runs.

use super::{cause, entry};
use crate::support::project::Project;

/// Version 1 creates a log that every later down script appends its
/// version to, so the order the downs ran in is on record.
const LOG: &str =
    "CREATE TABLE dbo.undo_log (id INT IDENTITY(1,1) NOT NULL PRIMARY KEY, step INT NOT NULL);\n";

async fn project_with_three_undoable_migrations() -> Project {
    let mut project = Project::start().await;
    project.add_workspace("acme").await;
    project.migration(1, "log", LOG, None).await;
    for version in 2..=4 {
        let up = format!("CREATE TABLE dbo.t{version} (id INT NOT NULL);\n");
        let down = format!(
            "INSERT INTO dbo.undo_log (step) VALUES ({version});\nGO\nDROP TABLE dbo.t{version};\n"
        );
        project
            .migration(version, &format!("t{version}"), &up, Some(&down))
            .await;
    }
    project
        .wsdb(&["migrate", "-w", "acme"])
        .run()
        .await
        .expect_code(0);
    project
}

#[tokio::test]
async fn rollback_runs_the_downs_newest_first_and_removes_their_rows() {
    let project = project_with_three_undoable_migrations().await;

    let run = project
        .wsdb(&[
            "rollback", "-w", "acme", "--to", "1", "--yes", "--format", "json",
        ])
        .run()
        .await;
    run.expect_code(0);
    let line = entry(&run, "acme");
    assert_eq!(line["status"], "rolled_back", "{run}");
    assert_eq!(
        (
            line["version_before"].clone(),
            line["version_after"].clone()
        ),
        (4.into(), 1.into())
    );
    assert_eq!(
        project
            .column_i64("acme", "SELECT step FROM dbo.undo_log ORDER BY id")
            .await,
        [4, 3, 2]
    );
    assert_eq!(project.history("acme").await, vec![(1, true)]);
    for version in 2..=4 {
        assert!(
            !project
                .table_exists("acme", &format!("dbo.t{version}"))
                .await
        );
    }

    // And forward again: the rolled-back versions are pending, not gone.
    project
        .wsdb(&["migrate", "-w", "acme"])
        .run()
        .await
        .expect_code(0);
    assert_eq!(project.history("acme").await.len(), 4);
}

#[tokio::test]
async fn a_missing_down_file_is_refused_before_anything_runs() {
    let project = project_with_three_undoable_migrations().await;
    std::fs::remove_file(project.migrations_dir().join("0003_t3.down.sql")).expect("remove");
    project.wsdb(&["hash"]).run().await.expect_code(0);

    // Without confirmation, not on a terminal: a usage error first.
    project
        .wsdb(&["rollback", "-w", "acme", "--to", "1"])
        .run()
        .await
        .expect_code(2)
        .expect_output("--yes");

    let run = project
        .wsdb(&[
            "rollback", "-w", "acme", "--to", "1", "--yes", "--format", "json",
        ])
        .run()
        .await;
    run.expect_code(1);
    assert_eq!(entry(&run, "acme")["status"], "refused", "{run}");
    let why = cause(&run, "acme");
    assert!(
        why.contains("no down file for 3") && why.contains("0003_t3.down.sql"),
        "{why}"
    );
    assert!(
        project
            .column_i64("acme", "SELECT step FROM dbo.undo_log ORDER BY id")
            .await
            .is_empty(),
        "not even version 4's down ran"
    );
    assert_eq!(
        project.history("acme").await,
        vec![(1, true), (2, true), (3, true), (4, true)]
    );
    assert!(project.table_exists("acme", "dbo.t4").await);

    // Above the gap still works.
    let run = project
        .wsdb(&["rollback", "-w", "acme", "--to", "3", "--yes"])
        .run()
        .await;
    run.expect_code(0);
    assert_eq!(project.history("acme").await.len(), 3);
}
