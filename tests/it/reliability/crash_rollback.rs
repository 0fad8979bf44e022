//! Crash safety of `rollback`: `wsdb rollback --all --to 1` over a fleet
//! at the latest version, killed with SIGKILL at a random moment, trial
//! after trial. A down script runs in one transaction with the deletion of
//! its history row, so after each kill every workspace is consistent (a
//! migration's tables and log row exist iff its history row says applied),
//! the ledger claims no rollback a workspace has not had, and running the
//! rollback again brings every workspace to version 1.
//!
//! Counts: `WSDB_CHAOS_CRASH_TRIALS` (default 2; `just chaos`: 20),
//! `WSDB_CHAOS_CRASH_FLEET` (default 30 workspaces), shared with `crash`.

use std::time::{Duration, Instant};

use super::count;
use super::crash::{converge, last_run_id, ledger_claims, random_moment, wait_for_locks};
use super::fleet;
use crate::support::project::Project;

const VERSIONS: u64 = 6;
const PAUSE: Duration = Duration::from_millis(40);
/// The version the rollbacks go back to.
const TARGET: i64 = 1;

#[tokio::test]
async fn sigkill_during_rollback_never_half_reverts_and_a_rerun_finishes() {
    let trials = count("WSDB_CHAOS_CRASH_TRIALS", 2);
    let size = count("WSDB_CHAOS_CRASH_FLEET", 30);
    let mut project = Project::start().await;
    project.set("run", "concurrency", "4");
    let ids = project.add_many_workspaces("undo", size).await;
    fleet::write_migrations(&project, VERSIONS, PAUSE).await;

    // An uninterrupted rollback: the span the kill moments are drawn from.
    converge(&project, &ids).await;
    let started = Instant::now();
    roll_back_to_the_end(&project, &ids).await;
    let full_run = started.elapsed();
    eprintln!(
        "crash rollback: fleet of {size}, {VERSIONS} migrations back to {TARGET}, \
         uninterrupted rollback {} ms",
        full_run.as_millis()
    );

    let mut killed_mid_run = 0;
    for trial in 1..=trials {
        converge(&project, &ids).await;
        let last_run = last_run_id(&project).await;
        let delay = random_moment(full_run);
        let mut run = project
            .wsdb(&["rollback", "--all", "--to", "1", "--yes"])
            .start();
        tokio::time::sleep(delay).await;
        run.kill().await;
        let killed = run.finish().await;
        killed_mid_run += usize::from(killed.code == -1);

        wait_for_locks(&project, &ids).await;
        let states = fleet::read_all(&project, &ids).await;
        fleet::assert_consistent(
            &states,
            VERSIONS,
            &format!("rollback trial {trial} after SIGKILL"),
        );
        let claimed = ledger_claims(&project, last_run, "rolled_back").await;
        for (id, version) in &claimed {
            let actual = states
                .iter()
                .find(|(w, _)| w == id)
                .map_or(0, |(_, s)| s.version());
            assert!(
                actual <= *version,
                "trial {trial}: the ledger says `{id}` was rolled back to {version}, it is at {actual}"
            );
        }
        let versions = fleet::versions(&states);
        roll_back_to_the_end(&project, &ids).await;
        eprintln!(
            "crash rollback trial {trial}/{trials}: kill at {} ms ({}), versions after kill \
             {versions:?}, ledger rows of the killed run {}, inconsistent 0, rolled back {size}/{size}",
            delay.as_millis(),
            if killed.code == -1 {
                "mid-run"
            } else {
                "run had already ended"
            },
            claimed.len()
        );
    }
    eprintln!(
        "crash rollback: {trials} trial(s), {killed_mid_run} killed mid-run, 0 workspaces inconsistent, 0 lost"
    );
}

/// `rollback --all --to 1` to the end: exit 0, every workspace consistent
/// at version 1.
async fn roll_back_to_the_end(project: &Project, ids: &[String]) {
    project
        .wsdb(&[
            "rollback", "--all", "--to", "1", "--yes", "--format", "json",
        ])
        .run()
        .await
        .expect_code(0);
    let states = fleet::read_all(project, ids).await;
    fleet::assert_consistent(&states, VERSIONS, "after the rollback");
    let off: Vec<&String> = states
        .iter()
        .filter(|(_, s)| s.version() != TARGET)
        .map(|(id, _)| id)
        .collect();
    assert!(off.is_empty(), "not at version {TARGET}: {off:?}");
}
