//! Wall time of a 300-workspace queued run with one runner and with three,
//! for issue #7's report. A measurement, not a check: ignored by the normal
//! suite, asserts only that the runs succeeded, and prints its figures:
//!
//! ```text
//! cargo test --test it runners::timing -- --ignored --nocapture
//! ```
//!
//! Two workloads: the quick migrations (CPU-bound on this machine, where
//! the runners, the test server and PostgreSQL share the cores) and
//! migrations that wait 100 ms on the server (I/O-bound, like real ones).

use std::time::{Duration, Instant};

use super::{QUICK, merged};
use crate::support::project::{Project, Running};

const WORKSPACES: usize = 300;

const IO_BOUND: [(u64, &str, &str); 2] = [
    (
        1,
        "accounts",
        "CREATE TABLE dbo.accounts (id INT NOT NULL PRIMARY KEY);\nWAITFOR DELAY '00:00:00.100';\n",
    ),
    (
        2,
        "first_account",
        "INSERT INTO dbo.accounts (id) VALUES (1);\nWAITFOR DELAY '00:00:00.100';\n",
    ),
];

#[tokio::test]
#[ignore = "a measurement for the report: run with --ignored --nocapture"]
async fn queue_wall_time_with_one_and_three_runners() {
    let mut lines = Vec::new();
    for (workload, migrations) in [("quick", QUICK), ("100 ms per migration", IO_BOUND)] {
        for runners in [0, 1, 3] {
            let elapsed = measure(&migrations, runners).await;
            let how = match runners {
                0 => "1 process without --queue".to_owned(),
                n => format!("{n} --queue runner(s)"),
            };
            lines.push(format!(
                "{WORKSPACES} workspaces, {workload}, {how}, concurrency 8 each: {:.2}s",
                elapsed.as_secs_f64()
            ));
        }
    }
    println!("{}", lines.join("\n"));
}

/// Wall time from starting `runners` processes to the last one's exit;
/// 0 runners: one `migrate --all` without `--queue`, the baseline.
async fn measure(migrations: &[(u64, &str, &str)], runners: usize) -> Duration {
    let mut project = Project::start().await;
    project.add_many_workspaces("ws", WORKSPACES).await;
    for (version, name, up) in migrations {
        project.write_migration(*version, name, up, None);
    }
    project.wsdb(&["hash"]).run().await.expect_code(0);
    project
        .wsdb(&["control", "init"])
        .run()
        .await
        .expect_code(0);
    let queue = [
        "migrate", "--all", "--queue", "--run-id", "timing", "--lease", "30s", "--format", "json",
    ];
    let args: &[&str] = if runners == 0 {
        &["migrate", "--all", "--format", "json"]
    } else {
        &queue
    };
    let clock = Instant::now();
    let started: Vec<Running> = (0..runners.max(1))
        .map(|_| project.wsdb(args).start())
        .collect();
    let mut runs = Vec::new();
    for runner in started {
        runs.push(runner.finish().await);
    }
    let elapsed = clock.elapsed();
    for run in &runs {
        run.expect_code(0);
    }
    assert_eq!(merged(&runs).len(), WORKSPACES);
    elapsed
}
