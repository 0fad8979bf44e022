//! Claims and leases against PostgreSQL: concurrent claimers, expired
//! leases taken over, fencing of a runner that lost its lease, and the
//! rendezvous of runners on one queued run. Leases expire on the database's
//! clock, moved explicitly (a zero lease, or a test-only UPDATE), never by
//! sleeping.

use std::collections::HashSet;
use std::time::Duration;

use chrono::Utc;
use sqlx::Executor;
use wsdb::control::{ControlDb, NewRun, RunId, WorkspaceRecord, WorkspaceStatus};
use wsdb::workspace::WorkspaceId;

use crate::support::postgres::TestDb;

const LONG: Duration = Duration::from_secs(600);

fn new_run(selection: Vec<WorkspaceId>) -> NewRun {
    NewRun {
        command: "migrate".into(),
        args: vec!["--all".into(), "--queue".into()],
        env: "prod".into(),
        started_by: "job@pod-0".into(),
        wsdb_version: "0.1.0".into(),
        selection,
    }
}

fn done(id: &WorkspaceId) -> WorkspaceRecord {
    let now = Utc::now();
    WorkspaceRecord {
        workspace_id: id.clone(),
        runner_id: "ignored: the claim's runner is stored".into(),
        status: WorkspaceStatus::UpToDate,
        version_before: None,
        version_after: None,
        applied_versions: Vec::new(),
        error: None,
        started_at: now,
        finished_at: now,
        duration: Duration::ZERO,
    }
}

async fn queued_run(control: &ControlDb, count: usize) -> RunId {
    control.init().await.expect("init");
    let ids: Vec<WorkspaceId> = (0..count)
        .map(|n| WorkspaceId(format!("ws-{n:04}")))
        .collect();
    let run = control
        .start_run(&new_run(ids.clone()))
        .await
        .expect("start");
    assert_eq!(
        control.enqueue(run, &ids).await.expect("enqueue"),
        count as u64
    );
    run
}

#[tokio::test]
async fn three_concurrent_claimers_take_each_of_300_claims_exactly_once() {
    let db = TestDb::create().await;
    let control = db.control().await;
    let run = queued_run(&control, 300).await;
    let mut tasks = Vec::new();
    for runner in ["runner-a", "runner-b", "runner-c"] {
        let control = control.clone();
        tasks.push(tokio::spawn(async move {
            let mut taken = Vec::new();
            while let Some(claim) = control.claim(run, runner, LONG).await.expect("claim") {
                assert_eq!(claim.attempt, 1);
                assert!(
                    control
                        .complete(&claim, &done(&claim.workspace_id))
                        .await
                        .expect("complete")
                );
                taken.push(claim.workspace_id);
            }
            taken
        }));
    }
    let mut all = Vec::new();
    for task in tasks {
        all.extend(task.await.expect("claimer task"));
    }
    let unique: HashSet<&WorkspaceId> = all.iter().collect();
    assert_eq!(all.len(), 300);
    assert_eq!(unique.len(), 300);
    let progress = control.run_progress(run).await.expect("progress");
    assert_eq!(
        (progress.pending, progress.claimed, progress.done),
        (0, 0, 300)
    );
    assert!(control.is_complete(run).await.expect("complete"));
    let resume = control.workspaces_to_resume(run).await.expect("resume");
    assert!(resume.is_empty(), "{resume:?}");
}

#[tokio::test]
async fn claims_follow_the_enqueue_order_and_enqueue_is_idempotent() {
    let db = TestDb::create().await;
    let control = db.control().await;
    let run = queued_run(&control, 3).await;
    let again = [WorkspaceId::from("ws-0000"), WorkspaceId::from("ws-0099")];
    assert_eq!(control.enqueue(run, &again).await.expect("enqueue"), 1);
    let mut order = Vec::new();
    while let Some(claim) = control.claim(run, "r", LONG).await.expect("claim") {
        order.push(claim.workspace_id.0);
    }
    assert_eq!(order, ["ws-0000", "ws-0001", "ws-0002", "ws-0099"]);
}

#[tokio::test]
async fn a_live_lease_is_not_taken_but_an_expired_one_is() {
    let db = TestDb::create().await;
    let control = db.control().await;
    let run = queued_run(&control, 1).await;
    let first = control
        .claim(run, "runner-a", LONG)
        .await
        .expect("claim")
        .expect("one claim");
    assert!(
        control
            .claim(run, "runner-b", LONG)
            .await
            .expect("claim")
            .is_none()
    );
    assert!(!control.is_complete(run).await.expect("progress"));

    // Test-only: move the lease into the past on the database's clock, as if
    // runner-a had died ten minutes ago.
    let mut connection = db.connection().await;
    connection
        .execute("UPDATE wsdb.claims SET lease_expires_at = now() - interval '1 second'")
        .await
        .expect("expire lease");
    assert_eq!(
        control.run_progress(run).await.expect("progress").expired,
        1
    );

    let second = control
        .claim(run, "runner-b", LONG)
        .await
        .expect("claim")
        .expect("taken over");
    assert_eq!(second.workspace_id, first.workspace_id);
    assert_eq!(second.attempt, 2);
    assert!(!control.renew(&first, LONG).await.expect("renew"));
    assert!(
        !control
            .complete(&first, &done(&first.workspace_id))
            .await
            .expect("complete")
    );
    assert!(control.renew(&second, LONG).await.expect("renew"));
    assert!(
        control
            .complete(&second, &done(&second.workspace_id))
            .await
            .expect("complete")
    );

    let detail = control.show_run(run).await.expect("show").expect("exists");
    assert_eq!(detail.workspaces[0].runner_id.as_deref(), Some("runner-b"));
    assert_eq!(detail.workspaces[0].status, WorkspaceStatus::UpToDate);
}

#[tokio::test]
async fn a_zero_lease_expires_at_once_and_fences_a_reused_runner_id() {
    let db = TestDb::create().await;
    let control = db.control().await;
    let run = queued_run(&control, 1).await;
    let lost = control
        .claim(run, "pod-0", Duration::ZERO)
        .await
        .expect("claim")
        .expect("claim");
    // A restarted pod with the same runner id takes the claim over; the old
    // claim is fenced by its attempt number.
    let current = control
        .claim(run, "pod-0", LONG)
        .await
        .expect("claim")
        .expect("taken over");
    assert_eq!((lost.attempt, current.attempt), (1, 2));
    assert!(
        !control
            .complete(&lost, &done(&lost.workspace_id))
            .await
            .expect("complete")
    );
    assert!(
        control
            .complete(&current, &done(&current.workspace_id))
            .await
            .expect("complete")
    );
    // Done claims are never handed out again, nor completed twice.
    assert!(
        control
            .claim(run, "pod-1", LONG)
            .await
            .expect("claim")
            .is_none()
    );
    assert!(
        !control
            .complete(&current, &done(&current.workspace_id))
            .await
            .expect("again")
    );
}

#[tokio::test]
async fn runners_with_one_key_share_one_run() {
    let db = TestDb::create().await;
    let control = db.control().await;
    control.init().await.expect("init");
    let ids: Vec<WorkspaceId> = (0..50).map(|n| WorkspaceId(format!("ws-{n}"))).collect();
    let run = new_run(ids);
    let handles = [db.control().await, db.control().await, db.control().await];
    let joined = futures_util::future::join_all(
        handles
            .iter()
            .map(|c| c.start_queue_run(&run, "release-42")),
    )
    .await;
    let joined: Vec<_> = joined
        .into_iter()
        .map(|r| r.expect("start or join"))
        .collect();
    assert_eq!(joined.iter().filter(|q| q.created).count(), 1);
    assert!(joined.iter().all(|q| q.id == joined[0].id));
    let progress = control.run_progress(joined[0].id).await.expect("progress");
    assert_eq!(progress.pending, 50);

    // Once that run is finished, the key starts a new one.
    control
        .finish_run(joined[0].id, wsdb::control::RunOutcome::Succeeded)
        .await
        .expect("finish");
    let next = control
        .start_queue_run(&run, "release-42")
        .await
        .expect("start");
    assert!(next.created);
    assert_ne!(next.id, joined[0].id);
}
