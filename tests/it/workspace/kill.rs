//! A `wsdb migrate` killed with SIGKILL in the middle of a migration: the
//! server rolls the open transaction back and frees the session-owned
//! lock when the connection drops, so the workspace holds no partial
//! tables and no history row for the killed migration, and the next run is
//! not blocked by a stale lock and completes the work.

use super::entry;
use crate::support::applock::{LockProbe, wait_at_gate_sql};
use crate::support::project::Project;

const GATE: &str = "gate";

#[tokio::test]
async fn a_killed_run_leaves_no_partial_migration_and_the_next_run_completes_it() {
    let mut project = Project::start().await;
    project.add_workspace("acme").await;
    project.table_migration(1, "base").await;
    let second = format!(
        "CREATE TABLE dbo.partial (id INT NOT NULL);\nINSERT INTO dbo.base (id) VALUES (2);\nGO\n{}GO\nCREATE TABLE dbo.after_gate (id INT NOT NULL);\n",
        wait_at_gate_sql(GATE)
    );
    project.migration(2, "slow", &second, None).await;
    let mut probe = LockProbe::connect(&project.server, project.database("acme")).await;
    probe.hold(GATE).await;

    let mut victim = project.wsdb(&["migrate", "-w", "acme"]).start();
    // Migration 2's first batch ran; its second waits at the gate.
    probe.wait_for_waiter(GATE).await;
    assert!(
        !probe.is_free("wsdb").await,
        "the run holds the workspace lock"
    );
    victim.kill().await;
    let killed = victim.finish().await;
    assert_ne!(killed.code, 0, "{killed}");

    // The server notices the dead connection, rolls back, frees the lock.
    probe.wait_until_free("wsdb").await;
    assert_eq!(project.history("acme").await, vec![(1, true)]);
    assert!(!project.table_exists("acme", "dbo.partial").await);
    assert_eq!(
        project
            .scalar_i64("acme", "SELECT COUNT(*) FROM dbo.base")
            .await,
        Some(0)
    );

    probe.release(GATE).await;
    let next = project
        .wsdb(&["migrate", "-w", "acme", "--format", "json"])
        .run()
        .await;
    next.expect_code(0);
    assert_eq!(entry(&next, "acme")["status"], "applied", "{next}");
    assert_eq!(project.history("acme").await, vec![(1, true), (2, true)]);
    assert!(project.table_exists("acme", "dbo.partial").await);
    assert!(project.table_exists("acme", "dbo.after_gate").await);
    assert_eq!(
        project
            .scalar_i64("acme", "SELECT COUNT(*) FROM dbo.base")
            .await,
        Some(1)
    );
}
