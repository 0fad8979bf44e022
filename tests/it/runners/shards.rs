//! `--shard I/N`: N independent runners cover the selection exactly once,
//! each recording its own run; `--shard-count N` with the index from
//! `JOB_COMPLETION_INDEX` (Kubernetes Indexed Jobs) makes the same split.

use std::collections::{BTreeMap, BTreeSet};

use super::{
    assert_at_latest, assert_one_login_each, ids_of, merged, quick_fleet, recorded, reported,
    run_id,
};
use crate::support::project::Running;

const WORKSPACES: usize = 30;
const SHARDS: usize = 3;

#[tokio::test]
async fn shard_runners_cover_every_workspace_exactly_once() {
    let (project, ids) = quick_fleet(WORKSPACES).await;
    let shards: Vec<String> = (0..SHARDS).map(|i| format!("{i}/{SHARDS}")).collect();
    let runners: Vec<Running> = shards
        .iter()
        .map(|shard| {
            project
                .wsdb(&["migrate", "--all", "--shard", shard, "--format", "json"])
                .start()
        })
        .collect();
    let mut runs = Vec::new();
    for runner in runners {
        let run = runner.finish().await;
        run.expect_code(0);
        runs.push(run);
    }
    assert_one_login_each(&project, &ids);
    let reports = merged(&runs);
    assert_eq!(
        ids_of(&reports),
        ids.iter().cloned().collect::<BTreeSet<_>>()
    );
    assert!(reports.values().all(|s| s == "applied"), "{reports:?}");
    // A fleet of 30 leaves no shard empty (the split is a hash of the id).
    assert!(runs.iter().all(|r| !reported(r).is_empty()));

    // Each shard is a run of its own in the ledger, holding just its slice.
    let run_ids: BTreeSet<i64> = runs.iter().map(run_id).collect();
    assert_eq!(run_ids.len(), SHARDS);
    for run in &runs {
        let ledger = recorded(&project, run_id(run)).await;
        let slice: BTreeSet<String> = ledger.keys().cloned().collect();
        assert_eq!(slice, ids_of(&reported(run)));
        assert!(ledger.values().all(|r| r.status == "applied"), "{ledger:?}");
    }
    assert_at_latest(&project, &ids, 2).await;

    // The Indexed Job form makes the same split: a third migration, applied
    // by JOB_COMPLETION_INDEX runners, lands on the same slices.
    project
        .migration(
            3,
            "second_account",
            "INSERT INTO dbo.accounts (id) VALUES (2);\n",
            None,
        )
        .await;
    let count = SHARDS.to_string();
    let indexed: Vec<Running> = (0..SHARDS)
        .map(|index| {
            project
                .wsdb(&[
                    "migrate",
                    "--all",
                    "--shard-count",
                    &count,
                    "--format",
                    "json",
                ])
                .env("JOB_COMPLETION_INDEX", &index.to_string())
                .start()
        })
        .collect();
    let mut indexed_runs = Vec::new();
    for runner in indexed {
        let run = runner.finish().await;
        run.expect_code(0);
        indexed_runs.push(run);
    }
    let slices = |runs: &[crate::support::project::Run]| -> Vec<BTreeSet<String>> {
        runs.iter().map(|r| ids_of(&reported(r))).collect()
    };
    assert_eq!(slices(&indexed_runs), slices(&runs));
    let reports: BTreeMap<String, String> = merged(&indexed_runs);
    assert_eq!(reports.len(), WORKSPACES);
    assert!(reports.values().all(|s| s == "applied"), "{reports:?}");
    assert_at_latest(&project, &ids, 3).await;
}

#[tokio::test]
async fn shard_count_without_a_valid_job_index_is_a_usage_error() {
    let (project, _) = quick_fleet(1).await;
    let missing = project
        .wsdb(&["migrate", "--all", "--shard-count", "3"])
        .run()
        .await;
    missing.expect_code(2).expect_output("JOB_COMPLETION_INDEX");
    for bad in ["3", "-1", "one"] {
        project
            .wsdb(&["migrate", "--all", "--shard-count", "3"])
            .env("JOB_COMPLETION_INDEX", bad)
            .run()
            .await
            .expect_code(2)
            .expect_output("JOB_COMPLETION_INDEX");
    }
    // Nothing was touched: no run was recorded.
    let runs = project
        .control_rows("SELECT count(*)::text FROM information_schema.tables WHERE table_schema = 'wsdb' AND table_name = 'runs'")
        .await;
    if runs[0][0].as_deref() == Some("1") {
        let recorded = project.control_rows("SELECT id FROM wsdb.runs").await;
        assert!(recorded.is_empty(), "{recorded:?}");
    }
}
