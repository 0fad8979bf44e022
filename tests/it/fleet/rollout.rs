//! Careful rollouts: `--canary N` stops at the first failing canary (the
//! rest are `not_reached`), and `--max-failures N|N%` stops scheduling once
//! the budget is spent. With `--concurrency 1` the workspaces run in
//! selection order, so every count below is exact.

use super::{break_migration, pick, table_migrations, with_status};
use crate::support::json_schema;
use crate::support::project::{Project, Run};

async fn fleet(n: usize) -> (Project, Vec<String>) {
    let mut project = Project::start().await;
    let ids = project.add_workspaces("ws", n).await;
    table_migrations(&project, 1).await;
    (project, ids)
}

#[track_caller]
fn assert_statuses(run: &Run, status: &str, expected: Vec<String>) {
    assert_eq!(
        with_status(&run.statuses(), status),
        expected,
        "`{status}`:\n{run}"
    );
}

#[tokio::test]
async fn a_failing_canary_stops_the_rollout() {
    let (project, ids) = fleet(10).await;
    break_migration(&project, &ids[1], 1).await;

    let run = project
        .wsdb(&["migrate", "--all", "--canary", "3", "--format", "json"])
        .run()
        .await;
    run.expect_code(1);
    json_schema::assert_document(&run.stdout, "migrate --canary");
    assert_eq!(run.json()["stopped"], "canary_failed", "{run}");
    assert_statuses(&run, "applied", pick(&ids, [0, 2]));
    assert_statuses(&run, "failed", pick(&ids, [1]));
    assert_statuses(&run, "not_reached", pick(&ids, 3..10));
    for id in &ids[3..] {
        assert!(project.history(id).await.is_empty(), "`{id}` was touched");
    }

    // A healthy canary lets the rest run; a later failure does not stop it.
    let table = project
        .wsdb(&["migrate", "--all", "--canary", "1"])
        .run()
        .await;
    table.expect_code(1);
    assert!(!table.stdout.contains("stopped early"), "{table}");
    for id in ids.iter().filter(|id| *id != &ids[1]) {
        assert_eq!(project.history(id).await, vec![(1, true)], "`{id}`");
    }

    // In the table: that the run stopped early, and why each workspace
    // was not started.
    break_migration(&project, &ids[0], 2).await;
    project
        .migration(2, "second", "CREATE TABLE dbo.t2 (id INT);\n", None)
        .await;
    let stopped = project
        .wsdb(&["migrate", "--all", "--canary", "1"])
        .run()
        .await;
    stopped.expect_code(1);
    stopped.expect_output("stopped early: canary failed");
    stopped.expect_output("not started: a canary failed");
}

#[tokio::test]
async fn the_error_budget_stops_scheduling_by_count_and_by_percentage() {
    let (project, ids) = fleet(12).await;
    for i in [1, 3, 5, 7] {
        break_migration(&project, &ids[i], 1).await;
    }

    // One at a time: 0 ok, 1 fails, 2 ok, 3 fails: two failures spend it.
    let count = project
        .wsdb(&[
            "migrate",
            "--all",
            "--concurrency",
            "1",
            "--max-failures",
            "2",
            "--format",
            "json",
        ])
        .run()
        .await;
    count.expect_code(1);
    json_schema::assert_document(&count.stdout, "migrate --max-failures 2");
    assert_eq!(count.json()["stopped"], "budget_spent", "{count}");
    assert_statuses(&count, "applied", pick(&ids, [0, 2]));
    assert_statuses(&count, "failed", pick(&ids, [1, 3]));
    assert_statuses(&count, "not_reached", pick(&ids, 4..12));
    assert!(project.history(&ids[4]).await.is_empty());

    // 25% of 12 is 3 failures: 1 and 3 fail again, 4 is applied, 5 spends it.
    let percent = project
        .wsdb(&[
            "migrate",
            "--all",
            "--concurrency",
            "1",
            "--max-failures",
            "25%",
            "--format",
            "json",
        ])
        .run()
        .await;
    percent.expect_code(1);
    assert_eq!(percent.json()["stopped"], "budget_spent", "{percent}");
    assert_statuses(&percent, "up_to_date", pick(&ids, [0, 2]));
    assert_statuses(&percent, "applied", pick(&ids, [4]));
    assert_statuses(&percent, "failed", pick(&ids, [1, 3, 5]));
    assert_statuses(&percent, "not_reached", pick(&ids, 6..12));
    assert!(project.history(&ids[6]).await.is_empty());

    let table = project
        .wsdb(&[
            "migrate",
            "--all",
            "--concurrency",
            "1",
            "--max-failures",
            "1",
        ])
        .run()
        .await;
    table.expect_code(1);
    table.expect_output("stopped early: budget spent");
    table.expect_output("not started: the error budget (--max-failures) was spent");
}
