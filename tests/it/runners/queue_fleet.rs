//! Three `--queue` runners share one run over 300 workspaces: each
//! workspace is migrated by exactly one of them (their reports, the ledger,
//! the claims, the histories and the server's login counts agree) and the
//! run ends `succeeded`. Quick migrations: the point is the coordination.

use std::collections::BTreeSet;

use super::{
    QUICK, assert_at_latest, assert_one_login_each, claims, ids_of, is_runner, merged, outcome,
    quick_fleet, recorded, run_id,
};
use crate::support::project::Running;

const WORKSPACES: usize = 300;

#[tokio::test]
async fn three_queue_runners_migrate_every_workspace_exactly_once() {
    let (project, ids) = quick_fleet(WORKSPACES).await;
    let args = [
        "migrate",
        "--all",
        "--queue",
        "--run-id",
        "release-300",
        "--lease",
        "30s",
        "--format",
        "json",
    ];
    let runners: Vec<Running> = (0..3).map(|_| project.wsdb(&args).start()).collect();
    let pids: Vec<u32> = runners.iter().map(Running::pid).collect();
    let mut runs = Vec::new();
    for runner in runners {
        runs.push(runner.finish().await);
    }
    for run in &runs {
        run.expect_code(0);
    }
    // The server's counters first: reading histories below logs in too.
    assert_one_login_each(&project, &ids);

    // Every runner joined the same run, and their reports partition the fleet.
    let run = run_id(&runs[0]);
    assert!(
        runs.iter().all(|r| run_id(r) == run),
        "runners in different runs"
    );
    let reports = merged(&runs);
    assert_eq!(
        ids_of(&reports),
        ids.iter().cloned().collect::<BTreeSet<_>>()
    );
    assert!(reports.values().all(|s| s == "applied"), "{reports:?}");

    // The ledger agrees: one record per workspace, by one of the three.
    let ledger = recorded(&project, run).await;
    assert_eq!(ledger.len(), WORKSPACES);
    for (id, record) in &ledger {
        assert_eq!(record.status, "applied", "{id}: {record:?}");
        assert_eq!(record.applied, "{1,2}", "{id}: {record:?}");
        assert!(
            pids.iter().any(|&pid| is_runner(&record.runner, pid)),
            "{id} recorded by an unknown runner: {record:?}"
        );
    }
    // Each runner's own report lists exactly what the ledger credits it with.
    for (run, &pid) in runs.iter().zip(&pids) {
        let credited: BTreeSet<String> = ledger
            .iter()
            .filter(|(_, r)| is_runner(&r.runner, pid))
            .map(|(id, _)| id.clone())
            .collect();
        assert_eq!(credited, ids_of(&super::reported(run)), "runner {pid}");
    }
    // Every claim was taken once and closed; the run is complete.
    let claims = claims(&project, run).await;
    assert_eq!(claims.len(), WORKSPACES);
    assert!(
        claims
            .values()
            .all(|c| c.state == "done" && c.attempts == 1),
        "{claims:?}"
    );
    assert_eq!(outcome(&project, run).await, "succeeded");
    let show = project
        .wsdb(&["runs", "show", &run.to_string(), "--format", "json"])
        .run()
        .await;
    let detail = show.expect_code(0).json();
    assert_eq!(detail["run"]["outcome"], "succeeded", "{show}");
    assert_eq!(detail["run"]["counts"]["applied"], WORKSPACES, "{show}");
    let latest = i64::try_from(QUICK.len()).unwrap_or(0);
    assert_at_latest(&project, &ids, latest).await;
}
