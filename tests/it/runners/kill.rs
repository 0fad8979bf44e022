//! A queue runner killed with SIGKILL in the middle of a migration: the
//! server rolls its open transaction back (the connection died), its lease
//! runs out, and the surviving runners take its workspaces over, apply what
//! the history says is missing exactly once, and complete the run.
//!
//! The slow migration marks itself "in flight" with a transaction-owned app
//! lock right after its first change, then waits; the test kills the runner
//! only once it sees that lock held in a workspace the runner has claimed,
//! so the kill provably lands inside an open migration transaction.

use super::{assert_at_latest, claims, is_runner, merged, outcome, recorded, run_id, wait_for};
use crate::support::project::{Project, Running};

const WORKSPACES: usize = 6;

/// Version 2 inserts a marker row, takes the in-flight lock (released by
/// the transaction's end, commit or rollback) and holds it for 3 seconds:
/// the kill lands well inside that window.
const SLOW: &str = "INSERT INTO dbo.marker (note) VALUES (N'v2');
EXEC sp_getapplock @Resource = N'it_in_flight', @LockMode = N'Exclusive', @LockOwner = N'Transaction';
WAITFOR DELAY '00:00:03';
";

/// 0 when another session holds the in-flight lock (SQL Server's
/// APPLOCK_TEST answers for the calling session).
const IN_FLIGHT_PROBE: &str =
    "SELECT APPLOCK_TEST(N'public', N'it_in_flight', N'Exclusive', N'Session')";

#[tokio::test]
async fn survivors_take_over_a_killed_runners_workspaces_after_its_lease() {
    let mut project = Project::start().await;
    let ids = project.add_many_workspaces("ws", WORKSPACES).await;
    project.write_migration(
        1,
        "marker",
        "CREATE TABLE dbo.marker (note NVARCHAR(20) NOT NULL);\n",
        None,
    );
    project.write_migration(2, "slow", SLOW, None);
    project.wsdb(&["hash"]).run().await.expect_code(0);
    // The probe below reads wsdb.claims before the runners get going.
    project
        .wsdb(&["control", "init"])
        .run()
        .await
        .expect_code(0);

    let args = [
        "migrate",
        "--all",
        "--queue",
        "--run-id",
        "release-kill",
        "--lease",
        "2s",
        "--concurrency",
        "2",
        "--format",
        "json",
    ];
    // The victim starts first, so it certainly gets work; the survivors
    // join once it is inside a migration, and it dies right after.
    let mut victim = project.wsdb(&args).start();
    let victim_pid = victim.pid();
    let killed_in = wait_for("the victim inside a migration transaction", || {
        in_flight_claim(&project, victim_pid)
    })
    .await;
    let survivors: Vec<Running> = (0..2).map(|_| project.wsdb(&args).start()).collect();
    victim.kill().await;
    let killed = victim.finish().await;
    assert_ne!(killed.code, 0, "the victim was not killed:\n{killed}");

    let mut runs = Vec::new();
    for survivor in survivors {
        let run = survivor.finish().await;
        run.expect_code(0);
        runs.push(run);
    }
    let run = run_id(&runs[0]);
    let reports = merged(&runs);
    assert_eq!(reports.len(), WORKSPACES, "{reports:?}");
    assert!(reports.values().all(|s| s == "applied"), "{reports:?}");

    // The killed runner's claims were taken over once each, by a survivor.
    let claims = claims(&project, run).await;
    let taken_over: Vec<&String> = claims
        .iter()
        .filter(|(_, c)| c.attempts == 2)
        .map(|(id, _)| id)
        .collect();
    assert!(taken_over.contains(&&killed_in), "{claims:?}");
    for (id, claim) in &claims {
        assert_eq!(claim.state, "done", "{id}: {claim:?}");
        assert!(!is_runner(&claim.runner, victim_pid), "{id}: {claim:?}");
        assert!((1..=2).contains(&claim.attempts), "{id}: {claim:?}");
    }
    // The survivor found version 1 committed and applied only version 2.
    let ledger = recorded(&project, run).await;
    let record = &ledger[&killed_in];
    assert_eq!(
        (
            record.status.as_str(),
            record.version_before.as_str(),
            record.applied.as_str()
        ),
        ("applied", "1", "{2}"),
        "{record:?}"
    );
    assert!(ledger.values().all(|r| r.status == "applied"), "{ledger:?}");
    assert_eq!(outcome(&project, run).await, "succeeded");

    // Nothing applied twice: one marker row each (the killed transaction's
    // row was rolled back by the server), and every history complete.
    assert_at_latest(&project, &ids, 2).await;
    for id in &ids {
        let markers = project
            .scalar_i64(id, "SELECT COUNT(*) FROM dbo.marker")
            .await;
        assert_eq!(markers, Some(1), "{id}");
    }
}

/// A workspace the runner `pid` has claimed whose slow migration holds the
/// in-flight lock right now.
async fn in_flight_claim(project: &Project, pid: u32) -> Option<String> {
    let rows = project
        .control_rows(
            "SELECT workspace_id, runner_id FROM wsdb.claims \
             WHERE state = 'claimed' AND runner_id IS NOT NULL",
        )
        .await;
    for row in rows {
        let (Some(id), Some(runner)) = (&row[0], &row[1]) else {
            continue;
        };
        if !is_runner(runner, pid) {
            continue;
        }
        if project.scalar_i64(id, IN_FLIGHT_PROBE).await == Some(0) {
            return Some(id.clone());
        }
    }
    None
}
