//! SIGTERM (Kubernetes stopping a pod) or Ctrl-C reaches a queue runner
//! that has nothing to claim and waits for another runner's claim (which
//! might die and its lease expire): it stops waiting and exits with its
//! summary, instead of only once the whole run is complete.

use super::{claims, is_runner, reported, wait_for};
use crate::support::project::Project;

/// 30 s: the other runner's claim is certainly still open when the
/// interrupted runner exits; the test kills that runner at the end.
const SLOW: &str =
    "WAITFOR DELAY '00:00:30';\nCREATE TABLE dbo.accounts (id INT NOT NULL PRIMARY KEY);\n";

/// The `application_name` the waiting runner's control connections carry,
/// so that the test can see what that process is doing.
const WAITING_APP: &str = "wsdb-it-waiting";

#[tokio::test]
async fn a_queue_runner_waiting_for_others_stops_on_sigterm() {
    let mut project = Project::start().await;
    let ids = project.add_many_workspaces("ws", 1).await;
    project.migration(1, "accounts", SLOW, None).await;
    project
        .wsdb(&["control", "init"])
        .run()
        .await
        .expect_code(0);
    let args = [
        "migrate", "--all", "--queue", "--run-id", "sigterm", "--lease", "30s", "--format", "json",
    ];

    // The busy runner claims the only workspace and holds it.
    let mut busy = project.wsdb(&args).start();
    let busy_pid = busy.pid();
    let run = wait_for("the busy runner's claim", || async {
        let rows = project
            .control_rows("SELECT run_id::text, runner_id FROM wsdb.claims WHERE state = 'claimed'")
            .await;
        rows.into_iter()
            .find(|row| row[1].as_deref().is_some_and(|r| is_runner(r, busy_pid)))
            .and_then(|row| row[0].as_deref().and_then(|id| id.parse::<i64>().ok()))
    })
    .await;

    // The second runner finds nothing to claim and polls the run's progress.
    let url = format!(
        "{}?application_name={WAITING_APP}",
        project.control.url().expose()
    );
    let waiting = project
        .wsdb(&args)
        .env("WSDB_TEST_CONTROL_URL", &url)
        .start();
    let polling = format!(
        "SELECT pid FROM pg_stat_activity WHERE application_name = '{WAITING_APP}' \
         AND query LIKE '%count(*)%FROM wsdb.claims%'"
    );
    wait_for("the waiting runner's progress poll", || async {
        project.control_rows(&polling).await.first().map(|_| ())
    })
    .await;

    waiting.terminate().await;
    let stopped = waiting.finish().await;
    // It ended while the busy runner still works: it did not wait for the run.
    let open = claims(&project, run).await;
    assert_eq!(open[&ids[0]].state, "claimed", "{stopped}\n{open:?}");
    stopped.expect_code(0);
    assert!(reported(&stopped).is_empty(), "{stopped}");
    assert_eq!(stopped.json()["stopped"], "interrupted", "{stopped}");
    busy.kill().await;
}
