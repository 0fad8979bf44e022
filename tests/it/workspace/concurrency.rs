//! Two `wsdb migrate -w acme` processes at once: every migration runs
//! exactly once. The second waits for the `wsdb` lock up to `lock_timeout`
//! and then finds nothing to do, or, with a short `lock_timeout`, reports
//! `locked` (exit 1) with the holder; `status` shows the holder meanwhile.
//!
//! The first process is stopped inside migration 2 by a gate (an app lock
//! the test holds, see `support::applock`), so the overlap is certain and
//! nothing depends on timing.

use super::{cause, entry};
use crate::support::applock::{LockProbe, wait_at_gate_sql};
use crate::support::project::Project;

const GATE: &str = "gate";
const WSDB_LOCK: &str = "wsdb";

/// Two migrations that log each run of theirs; the second waits at the
/// gate before it writes anything.
async fn gated_project(lock_timeout: &str) -> (Project, LockProbe) {
    let mut project = Project::start().await;
    project.add_workspace("acme").await;
    project.set("run", "lock_timeout", &format!("\"{lock_timeout}\""));
    project
        .migration(
            1,
            "log",
            "CREATE TABLE dbo.applied_log (id INT IDENTITY(1,1) NOT NULL PRIMARY KEY, version INT NOT NULL);\nGO\nINSERT INTO dbo.applied_log (version) VALUES (1);\n",
            None,
        )
        .await;
    let second = format!(
        "{}GO\nINSERT INTO dbo.applied_log (version) VALUES (2);\nCREATE TABLE dbo.t2 (id INT NOT NULL);\n",
        wait_at_gate_sql(GATE)
    );
    project.migration(2, "gated", &second, None).await;
    let mut probe = LockProbe::connect(&project.server, project.database("acme")).await;
    probe.hold(GATE).await;
    (project, probe)
}

async fn applied_log(project: &Project) -> Vec<i64> {
    project
        .column_i64("acme", "SELECT version FROM dbo.applied_log ORDER BY id")
        .await
}

#[tokio::test]
async fn a_second_run_waits_for_the_lock_then_finds_nothing_to_do() {
    let (project, mut probe) = gated_project("60s").await;
    let first = project
        .wsdb(&["migrate", "-w", "acme", "--format", "json"])
        .start();
    probe.wait_for_waiter(GATE).await;

    let second = project
        .wsdb(&["migrate", "-w", "acme", "--format", "json"])
        .start();
    // The second process is now queued behind the first one's lock.
    probe.wait_for_waiter(WSDB_LOCK).await;
    probe.release(GATE).await;

    let first = first.finish().await;
    first.expect_code(0);
    assert_eq!(entry(&first, "acme")["status"], "applied", "{first}");
    let second = second.finish().await;
    second.expect_code(0);
    assert_eq!(entry(&second, "acme")["status"], "up_to_date", "{second}");

    assert_eq!(
        applied_log(&project).await,
        [1, 2],
        "each migration ran once"
    );
    assert_eq!(project.history("acme").await, vec![(1, true), (2, true)]);
}

#[tokio::test]
async fn a_second_run_past_lock_timeout_is_locked_and_names_the_holder() {
    let (mut project, mut probe) = gated_project("60s").await;
    let first = project
        .wsdb(&["migrate", "-w", "acme", "--format", "json"])
        .start();
    probe.wait_for_waiter(GATE).await;
    // The first process read its configuration long ago.
    project.set("run", "lock_timeout", "\"300ms\"");

    let status = project
        .wsdb(&["status", "-w", "acme", "--format", "json"])
        .run()
        .await;
    status.expect_code(0);
    let holder = entry(&status, "acme")["lock_holder"].clone();
    assert!(
        holder
            .as_str()
            .is_some_and(|h| h.contains("program `wsdb-it`")),
        "status shows who holds the lock: {status}"
    );
    let table = project.wsdb(&["status", "-w", "acme"]).run().await;
    table.expect_code(0).expect_output("wsdb-it");

    let second = project
        .wsdb(&["migrate", "-w", "acme", "--format", "json"])
        .run()
        .await;
    second.expect_code(1);
    let line = entry(&second, "acme");
    assert_eq!(line["status"], "locked", "{second}");
    assert!(
        line["lock_holder"]
            .as_str()
            .is_some_and(|h| h.contains("program `wsdb-it`")),
        "{second}"
    );
    assert!(cause(&second, "acme").contains("lock"), "{second}");
    let table = project.wsdb(&["migrate", "-w", "acme"]).run().await;
    table
        .expect_code(1)
        .expect_output("locked")
        .expect_output("wsdb-it");

    probe.release(GATE).await;
    let first = first.finish().await;
    first.expect_code(0);
    assert_eq!(
        applied_log(&project).await,
        [1, 2],
        "the locked runs ran nothing"
    );
    assert_eq!(project.history("acme").await, vec![(1, true), (2, true)]);
}
