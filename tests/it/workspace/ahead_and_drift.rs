//! Schema-version validation end to end: an applied migration edited
//! afterwards (drift: `verify` exits 3, `migrate` refuses, `repair`
//! realigns only when confirmed), and a database ahead of the code (an
//! applied version the files do not know: reported, nothing changed).

use wsdb::migrate::Checksum;

use super::{cause, entry};
use crate::support::project::Project;

const BASE: &str = "CREATE TABLE dbo.base (id INT NOT NULL);\n";

#[tokio::test]
async fn an_edited_applied_migration_is_drift_until_repaired() {
    let mut project = Project::start().await;
    project.add_workspace("acme").await;
    project.migration(1, "base", BASE, None).await;
    project.table_migration(2, "two").await;
    project
        .wsdb(&["migrate", "-w", "acme"])
        .run()
        .await
        .expect_code(0);

    // Someone edits an applied file (and rehashes), and adds a new one.
    let edited = "CREATE TABLE dbo.base (id INT NOT NULL, note NVARCHAR(10) NULL);\n";
    project.migration(1, "base", edited, None).await;
    project.table_migration(3, "three").await;

    let verify = project
        .wsdb(&["verify", "-w", "acme", "--format", "json"])
        .run()
        .await;
    verify.expect_code(3);
    assert_eq!(entry(&verify, "acme")["status"], "drift");
    let why = cause(&verify, "acme");
    assert!(why.contains("checksum drift in 1 `base`"), "{why}");
    let text = project.wsdb(&["verify", "-w", "acme"]).run().await;
    text.expect_code(3).expect_output("drift");

    let migrate = project
        .wsdb(&["migrate", "-w", "acme", "--format", "json"])
        .run()
        .await;
    migrate.expect_code(1);
    assert_eq!(entry(&migrate, "acme")["status"], "refused");
    assert!(
        cause(&migrate, "acme").contains("checksum drift in 1"),
        "{migrate}"
    );
    assert!(
        !project.table_exists("acme", "dbo.three").await,
        "nothing ran"
    );
    assert_eq!(project.history("acme").await, vec![(1, true), (2, true)]);

    // Not on a terminal and no --yes: refused as a usage error, nothing done.
    let refused = project.wsdb(&["repair", "-w", "acme"]).run().await;
    refused.expect_code(2).expect_output("--yes");
    project
        .wsdb(&["verify", "-w", "acme"])
        .run()
        .await
        .expect_code(3);

    let repair = project
        .wsdb(&["repair", "-w", "acme", "--yes", "--format", "json"])
        .run()
        .await;
    repair.expect_code(0);
    assert_eq!(entry(&repair, "acme")["status"], "repaired", "{repair}");
    project
        .wsdb(&["verify", "-w", "acme"])
        .run()
        .await
        .expect_code(0);
    let history = project
        .wsdb(&["history", "-w", "acme", "--format", "json"])
        .run()
        .await;
    assert_eq!(
        history.json()["rows"][0]["checksum"],
        Checksum::of_file_bytes(edited.as_bytes()).to_hex(),
        "the row now carries the edited file's checksum"
    );
    assert!(
        !project.table_exists("acme", "dbo.three").await,
        "repair never runs a migration"
    );

    project
        .wsdb(&["migrate", "-w", "acme"])
        .run()
        .await
        .expect_code(0);
    assert_eq!(
        project.history("acme").await,
        vec![(1, true), (2, true), (3, true)]
    );
}

#[tokio::test]
async fn a_database_ahead_of_the_code_is_reported_and_left_alone() {
    let mut project = Project::start().await;
    project.add_workspace("acme").await;
    project.migration(1, "base", BASE, None).await;
    project
        .migration(
            2,
            "newer",
            "CREATE TABLE dbo.newer (id INT NOT NULL);\n",
            Some("DROP TABLE dbo.newer;\n"),
        )
        .await;
    project
        .wsdb(&["migrate", "-w", "acme"])
        .run()
        .await
        .expect_code(0);

    // An older release: the files of version 2 are not there.
    for file in ["0002_newer.up.sql", "0002_newer.down.sql"] {
        std::fs::remove_file(project.migrations_dir().join(file)).expect("remove file");
    }
    project.wsdb(&["hash"]).run().await.expect_code(0);

    let status = project
        .wsdb(&["status", "-w", "acme", "--format", "json"])
        .run()
        .await;
    status.expect_code(0);
    assert_eq!(entry(&status, "acme")["status"], "unknown_versions");
    let verify = project
        .wsdb(&["verify", "-w", "acme", "--format", "json"])
        .run()
        .await;
    verify.expect_code(3);
    let why = cause(&verify, "acme");
    assert!(
        why.contains("applied version(s) 2 unknown to the migration set"),
        "{why}"
    );

    for command in [
        vec!["migrate", "-w", "acme", "--format", "json"],
        vec![
            "rollback", "-w", "acme", "--to", "1", "--yes", "--format", "json",
        ],
    ] {
        let run = project.wsdb(&command).run().await;
        run.expect_code(1);
        assert_eq!(entry(&run, "acme")["status"], "refused", "{run}");
    }
    assert_eq!(project.history("acme").await, vec![(1, true), (2, true)]);
    assert!(project.table_exists("acme", "dbo.newer").await);

    // repair leaves unknown versions alone: they belong to a newer release.
    let repair = project
        .wsdb(&["repair", "-w", "acme", "--yes", "--format", "json"])
        .run()
        .await;
    repair.expect_code(0);
    assert!(
        cause(&repair, "acme").contains("left unknown version(s) 2"),
        "{repair}"
    );
    assert_eq!(project.history("acme").await, vec![(1, true), (2, true)]);
}
