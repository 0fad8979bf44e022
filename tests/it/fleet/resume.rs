//! After a run: `migrate --resume RUN_ID` works only on what that run did
//! not finish (failed or not reached), and `rollback --run RUN_ID` undoes
//! only what that run changed, most recent first, refusing a workspace that
//! moved on since. "Not touched" is checked with the test server's
//! per-database login and batch counters (skipped on a real server, where
//! the ledger and the histories still say it).

use super::{break_migration, fix_migration, pick, run_id, table_migrations, with_status};
use crate::support::json_schema;
use crate::support::project::Project;

/// Logins and batches each workspace's database has seen, or `None` on a
/// real server.
fn touches(project: &Project, ids: &[String]) -> Option<Vec<(u64, u64)>> {
    let stats = project.server.test_server()?.stats();
    Some(
        ids.iter()
            .map(|id| {
                let db = stats.database(project.database(id));
                (db.logins, db.batches)
            })
            .collect(),
    )
}

/// Asserts the databases of `ids` saw no login and no batch between two
/// [`touches`] snapshots.
#[track_caller]
fn assert_untouched(
    before: &Option<Vec<(u64, u64)>>,
    after: &Option<Vec<(u64, u64)>>,
    ids: &[String],
) {
    if let (Some(before), Some(after)) = (before, after) {
        for ((id, b), a) in ids.iter().zip(before).zip(after) {
            assert_eq!(b, a, "`{id}` was touched (logins, batches)");
        }
    }
}

async fn run_workspaces(project: &Project, run: i64) -> Vec<String> {
    project
        .control_rows(&format!(
            "SELECT workspace_id FROM wsdb.run_workspaces WHERE run_id = {run} ORDER BY workspace_id"
        ))
        .await
        .into_iter()
        .filter_map(|row| row.into_iter().next().flatten())
        .collect()
}

#[tokio::test]
async fn resume_touches_only_the_failed_and_unreached_workspaces() {
    let mut project = Project::start().await;
    let ids = project.add_workspaces("ws", 10).await;
    table_migrations(&project, 2).await;
    for i in [3, 7] {
        break_migration(&project, &ids[i], 2).await;
    }

    let first = project
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
    first.expect_code(1);
    let statuses = first.statuses();
    assert_eq!(
        with_status(&statuses, "failed"),
        pick(&ids, [3, 7]),
        "{first}"
    );
    assert_eq!(
        with_status(&statuses, "not_reached"),
        pick(&ids, [8, 9]),
        "{first}"
    );
    let first_id = run_id(&first);
    // Each migration commits alone: the failed ones kept version 1.
    assert_eq!(project.history(&ids[3]).await, vec![(1, true)]);

    for i in [3, 7] {
        fix_migration(&project, &ids[i], 2).await;
    }
    let done = pick(&ids, [0, 1, 2, 4, 5, 6]);
    let before = touches(&project, &done);
    let resume = project
        .wsdb(&[
            "migrate",
            "--resume",
            &first_id.to_string(),
            "--format",
            "json",
        ])
        .run()
        .await;
    resume.expect_code(0);
    json_schema::assert_document(&resume.stdout, "migrate --resume");
    let resumed = pick(&ids, [3, 7, 8, 9]);
    assert_eq!(
        with_status(&resume.statuses(), "applied"),
        resumed,
        "{resume}"
    );
    assert_eq!(resume.statuses().len(), 4, "{resume}");
    assert_untouched(&before, &touches(&project, &done), &done);
    assert_eq!(run_workspaces(&project, run_id(&resume)).await, resumed);
    for id in &ids {
        assert_eq!(
            project.history(id).await,
            vec![(1, true), (2, true)],
            "`{id}`"
        );
    }

    // A run with nothing left to do resumes to nothing.
    let again = project
        .wsdb(&[
            "migrate",
            "--resume",
            &run_id(&resume).to_string(),
            "--format",
            "json",
        ])
        .run()
        .await;
    again.expect_code(0);
    assert!(again.statuses().is_empty(), "{again}");
}

#[tokio::test]
async fn rollback_of_a_run_undoes_only_that_run_and_refuses_what_moved_on() {
    let mut project = Project::start().await;
    let ids = project.add_workspaces("ws", 8).await;
    table_migrations(&project, 2).await;
    project
        .wsdb(&["migrate", "--all", "--to", "1"])
        .run()
        .await
        .expect_code(0);

    // Run A takes 0..=4 to version 2, one at a time; another run takes 5
    // and 6; 7 stays at 1; then 4 moves on to version 3.
    let mut args = vec!["migrate", "--concurrency", "1", "--format", "json"];
    for id in &ids[..5] {
        args.extend(["-w", id.as_str()]);
    }
    let run_a = project.wsdb(&args).run().await;
    run_a.expect_code(0);
    let run_a = run_id(&run_a).to_string();
    project
        .wsdb(&["migrate", "-w", &ids[5], "-w", &ids[6]])
        .run()
        .await
        .expect_code(0);
    project
        .migration(
            3,
            "table_3",
            "CREATE TABLE dbo.t3 (id INT);\n",
            Some("DROP TABLE dbo.t3;\n"),
        )
        .await;
    project
        .wsdb(&["migrate", "-w", &ids[4]])
        .run()
        .await
        .expect_code(0);

    let others = pick(&ids, [5, 6, 7]);
    let before = touches(&project, &others);
    let rollback = project
        .wsdb(&[
            "rollback",
            "--run",
            &run_a,
            "--yes",
            "--concurrency",
            "1",
            "--format",
            "ndjson",
        ])
        .run()
        .await;
    rollback.expect_code(1);
    let events = json_schema::assert_ndjson(&rollback.stdout, "rollback --run");
    let started: Vec<&str> = events
        .iter()
        .filter(|e| e["event"] == "workspace_started")
        .filter_map(|e| e["workspace"].as_str())
        .collect();
    let newest_first: Vec<&str> = ids[..5].iter().rev().map(String::as_str).collect();
    assert_eq!(started, newest_first, "most recently changed first");
    let finished: Vec<(&str, &str)> = events
        .iter()
        .filter(|e| e["event"] == "workspace_finished")
        .filter_map(|e| Some((e["workspace"].as_str()?, e["status"].as_str()?)))
        .collect();
    for (id, status) in &finished {
        let want = if *id == ids[4] {
            "refused"
        } else {
            "rolled_back"
        };
        assert_eq!(status, &want, "`{id}`:\n{rollback}");
    }
    assert_untouched(&before, &touches(&project, &others), &others);

    for id in &ids[..4] {
        assert_eq!(project.history(id).await, vec![(1, true)], "`{id}`");
        assert!(!project.table_exists(id, "dbo.t2").await);
    }
    assert_eq!(
        project.history(&ids[4]).await,
        vec![(1, true), (2, true), (3, true)],
        "moved on since: refused, untouched"
    );
    for id in &ids[5..7] {
        assert_eq!(
            project.history(id).await,
            vec![(1, true), (2, true)],
            "`{id}`"
        );
    }
    assert_eq!(project.history(&ids[7]).await, vec![(1, true)]);
}
