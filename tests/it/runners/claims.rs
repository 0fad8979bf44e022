//! The control database's side of runners with different selections:
//! `claim_except` never hands out an excluded workspace, not even once its
//! lease expired, and `open_claims_except` tells a runner when nothing it
//! could take is left. Leases expire by a zero lease, never by sleeping.

use std::time::Duration;

use wsdb::control::{NewRun, QueueRun};
use wsdb::workspace::WorkspaceId;

use crate::support::postgres::TestDb;

const LONG: Duration = Duration::from_secs(600);

fn ids(names: &[&str]) -> Vec<WorkspaceId> {
    names.iter().map(|n| WorkspaceId::from(*n)).collect()
}

#[tokio::test]
async fn excluded_workspaces_are_never_claimed_and_not_waited_for() {
    let db = TestDb::create().await;
    let control = db.control().await;
    let run = NewRun {
        command: "migrate".into(),
        args: vec!["--all".into(), "--queue".into()],
        env: "test".into(),
        started_by: "job@pod-0".into(),
        wsdb_version: "0.1.0".into(),
        selection: ids(&["a", "b", "c"]),
    };
    let QueueRun { id, created } = control.start_queue_run(&run, "k").await.expect("start");
    assert!(created);
    assert_eq!(
        control.queued_workspaces(id).await.expect("queued"),
        ids(&["a", "b", "c"])
    );

    // A runner without `a` and `c` takes `b` only; a zero lease leaves it
    // expired at once, and it is still the only one this runner can take.
    let except = ids(&["a", "c"]);
    for attempt in 1..=2 {
        let claim = control
            .claim_except(id, "narrow", Duration::ZERO, &except)
            .await
            .expect("claim")
            .expect("`b` is claimable");
        assert_eq!((claim.workspace_id.as_str(), claim.attempt), ("b", attempt));
    }
    assert_eq!(
        control.open_claims_except(id, &except).await.expect("open"),
        1
    );
    let b = control
        .claim_except(id, "narrow", LONG, &except)
        .await
        .expect("claim")
        .expect("the expired `b`");
    assert!(
        control
            .claim_except(id, "narrow", LONG, &except)
            .await
            .expect("claim")
            .is_none()
    );
    let record = wsdb::control::WorkspaceRecord {
        workspace_id: b.workspace_id.clone(),
        runner_id: "narrow".into(),
        status: wsdb::control::WorkspaceStatus::Applied,
        version_before: None,
        version_after: None,
        applied_versions: Vec::new(),
        error: None,
        started_at: chrono::Utc::now(),
        finished_at: chrono::Utc::now(),
        duration: Duration::ZERO,
    };
    assert!(control.complete(&b, &record).await.expect("complete"));
    // Nothing left for the narrow runner, two claims left for the others.
    assert_eq!(
        control.open_claims_except(id, &except).await.expect("open"),
        0
    );
    assert_eq!(control.open_claims_except(id, &[]).await.expect("open"), 2);
    let rest: Vec<String> = [
        control.claim(id, "wide", LONG).await.expect("claim"),
        control.claim(id, "wide", LONG).await.expect("claim"),
    ]
    .into_iter()
    .flatten()
    .map(|c| c.workspace_id.0)
    .collect();
    assert_eq!(rest, ["a", "c"]);
}
