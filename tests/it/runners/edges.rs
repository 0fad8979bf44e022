//! Queue runners that do not match the run they join: a runner with a
//! narrower or wider selection than the run's, a runner started after the
//! run finished, and flag combinations that cannot mean anything sane.

use std::collections::BTreeSet;

use super::{
    QUICK, claims, ids_of, merged, outcome, quick_fleet, recorded, reported, run_id, wait_for,
};
use crate::support::project::Project;

/// One second per workspace: slow enough that a second runner started
/// once the first one has created the run still finds work in it.
const SLOW: &str =
    "CREATE TABLE dbo.accounts (id INT NOT NULL PRIMARY KEY);\nWAITFOR DELAY '00:00:01';\n";

/// Six workspaces, `ws-000` .. `ws-002` in group `eu`, the rest in `us`,
/// with one slow migration.
async fn slow_split_fleet() -> (Project, Vec<String>, BTreeSet<String>) {
    let mut project = Project::start().await;
    let ids = project.add_many_workspaces("ws", 6).await;
    for id in &ids {
        let group = if id.as_str() < "ws-003" { "eu" } else { "us" };
        project.set_group(id, group).await;
    }
    project.migration(1, "accounts", SLOW, None).await;
    project
        .wsdb(&["control", "init"])
        .run()
        .await
        .expect_code(0);
    let eu = ids
        .iter()
        .filter(|id| id.as_str() < "ws-003")
        .cloned()
        .collect();
    (project, ids, eu)
}

/// Waits until the queued run under `key` exists.
async fn wait_for_run(project: &Project, key: &str) {
    let sql = format!("SELECT id::text FROM wsdb.runs WHERE queue_key = '{key}'");
    wait_for("the queued run", || async {
        project.control_rows(&sql).await.first().map(|_| ())
    })
    .await;
}

fn queue_args<'a>(selection: &[&'a str], key: &'a str) -> Vec<&'a str> {
    let mut args = vec!["migrate"];
    args.extend_from_slice(selection);
    args.extend([
        "--queue",
        "--run-id",
        key,
        "--lease",
        "2s",
        "--concurrency",
        "1",
        "--format",
        "json",
    ]);
    args
}

#[tokio::test]
async fn a_joiner_with_a_narrower_selection_takes_only_its_own_workspaces() {
    let (project, ids, eu) = slow_split_fleet().await;
    let everything = project.wsdb(&queue_args(&["--all"], "narrow")).start();
    wait_for_run(&project, "narrow").await;
    let eu_only = project
        .wsdb(&queue_args(&["--group", "eu"], "narrow"))
        .start();
    let eu_run = eu_only.finish().await;
    let all_run = everything.finish().await;
    eu_run.expect_code(0);
    all_run.expect_code(0);

    let runs = [all_run, eu_run];
    let reports = merged(&runs);
    assert_eq!(
        ids_of(&reports),
        ids.iter().cloned().collect::<BTreeSet<_>>()
    );
    assert!(reports.values().all(|s| s == "applied"), "{reports:?}");
    assert!(ids_of(&reported(&runs[1])).is_subset(&eu), "{}", runs[1]);
    // Nobody held a claim it could not work on: every claim taken once.
    let run = run_id(&runs[0]);
    let claims = claims(&project, run).await;
    assert!(
        claims
            .values()
            .all(|c| c.state == "done" && c.attempts == 1),
        "{claims:?}"
    );
    assert_eq!(outcome(&project, run).await, "succeeded");
}

#[tokio::test]
async fn a_joiner_with_a_wider_selection_reports_what_the_run_does_not_queue() {
    let (project, _, eu) = slow_split_fleet().await;
    let eu_only = project
        .wsdb(&queue_args(&["--group", "eu"], "wide"))
        .start();
    wait_for_run(&project, "wide").await;
    let everything = project.wsdb(&queue_args(&["--all"], "wide")).start();
    let all_run = everything.finish().await;
    let eu_run = eu_only.finish().await;
    eu_run.expect_code(0);
    // The `us` workspaces are not in the run: not done, and said so.
    all_run.expect_code(1);
    let all_report = reported(&all_run);
    for (id, status) in &all_report {
        if eu.contains(id) {
            assert_eq!(status, "applied", "{all_run}");
        } else {
            assert_eq!(status, "not_reached", "{all_run}");
        }
    }
    all_run.expect_output("not in queued run");
    let run = run_id(&eu_run);
    let ledger = recorded(&project, run).await;
    assert_eq!(ledger.keys().cloned().collect::<BTreeSet<_>>(), eu);
    assert!(ledger.values().all(|r| r.status == "applied"), "{ledger:?}");
    assert_eq!(outcome(&project, run).await, "succeeded");
}

#[tokio::test]
async fn a_runner_started_after_the_run_finished_starts_a_new_run_and_changes_nothing() {
    let (project, ids) = quick_fleet(4).await;
    let args = [
        "migrate", "--all", "--queue", "--run-id", "done", "--format", "json",
    ];
    let first = project.wsdb(&args).run().await;
    first.expect_code(0);
    let first_id = run_id(&first);
    assert_eq!(outcome(&project, first_id).await, "succeeded");

    let late = project.wsdb(&args).run().await;
    late.expect_code(0);
    let late_id = run_id(&late);
    assert_ne!(late_id, first_id, "a finished run was reopened:\n{late}");
    let report = reported(&late);
    assert_eq!(
        ids_of(&report),
        ids.iter().cloned().collect::<BTreeSet<_>>()
    );
    assert!(report.values().all(|s| s == "up_to_date"), "{late}");
    assert_eq!(outcome(&project, late_id).await, "succeeded");
    // The first run's record is untouched.
    let ledger = recorded(&project, first_id).await;
    assert!(ledger.values().all(|r| r.status == "applied"), "{ledger:?}");
    let latest = i64::try_from(QUICK.len()).unwrap_or(0);
    super::assert_at_latest(&project, &ids, latest).await;
}

#[tokio::test]
async fn queue_flags_that_cannot_work_together_are_usage_errors() {
    let (project, _) = quick_fleet(1).await;
    let cases: [&[&str]; 5] = [
        &["--queue", "--run-id", "k", "--dry-run"],
        &["--queue", "--run-id", "k", "--shard", "0/2"],
        &["--queue", "--run-id", "k", "--shard-count", "2"],
        &["--queue", "--run-id", "k", "--no-ledger"],
        &["--queue"],
    ];
    for case in cases {
        let mut args = vec!["migrate", "--all"];
        args.extend_from_slice(case);
        project
            .wsdb(&args)
            .env("JOB_COMPLETION_INDEX", "0")
            .run()
            .await
            .expect_code(2);
    }
    project
        .wsdb(&["status", "--all", "--queue", "--run-id", "k"])
        .run()
        .await
        .expect_code(2);
}
