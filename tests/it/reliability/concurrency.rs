//! Concurrent runners: several `wsdb migrate --all` processes started
//! together over the same fleet. Each workspace's `wsdb` lock serialises
//! them, so every migration is applied exactly once: once in each
//! workspace's history, once in its `applied_log` (an insert the migration
//! itself makes), and once among the steps all processes report together.
//!
//! Counts: `WSDB_CHAOS_RUNNERS` (default 4), `WSDB_CHAOS_CONCURRENCY_FLEET`
//! (default 20 workspaces; `just chaos`: 100).

use std::collections::BTreeMap;
use std::time::Duration;

use super::count;
use super::fleet;
use crate::support::applock::Deadline;
use crate::support::project::Project;

const VERSIONS: u64 = 4;
/// Keeps each workspace busy long enough for the runners to collide.
const PAUSE: Duration = Duration::from_millis(20);

#[tokio::test]
async fn simultaneous_runners_apply_every_migration_exactly_once() {
    let runners = count("WSDB_CHAOS_RUNNERS", 4);
    let size = count("WSDB_CHAOS_CONCURRENCY_FLEET", 20);
    let (project, ids) = fleet_for_runners(size).await;

    // Runners of different widths (2, 4, 6, ... workspaces at once) move
    // through the fleet at different speeds, so they can overtake each
    // other instead of only trailing the first one.
    let commands: Vec<Vec<String>> = (1..=runners)
        .map(|i| {
            ["migrate", "--all", "--format", "json", "--concurrency"]
                .iter()
                .map(ToString::to_string)
                .chain([(2 * i).to_string()])
                .collect()
        })
        .collect();
    let per_runner = run_together_exactly_once(&project, &ids, &commands).await;
    eprintln!(
        "concurrency: {runners} runners (--all) over {size} workspaces x {VERSIONS} migrations: \
         steps applied per runner {per_runner:?} (total {}), applied twice 0, missing 0",
        per_runner.iter().sum::<usize>()
    );
}

/// The same with each runner starting at a different place in the fleet
/// (`-w` lists rotated by a quarter each): they run into each other's
/// finished and in-flight workspaces all along the way, not only at the
/// front.
#[tokio::test]
async fn runners_starting_at_different_workspaces_apply_each_migration_once() {
    let runners = count("WSDB_CHAOS_RUNNERS", 4);
    let size = count("WSDB_CHAOS_CONCURRENCY_FLEET", 20);
    let (project, ids) = fleet_for_runners(size).await;
    let commands: Vec<Vec<String>> = (0..runners)
        .map(|i| {
            let mut command: Vec<String> = ["migrate", "--format", "json"]
                .iter()
                .map(ToString::to_string)
                .collect();
            let start = i * size / runners;
            for id in ids[start..].iter().chain(&ids[..start]) {
                command.extend(["-w".to_owned(), id.clone()]);
            }
            command
        })
        .collect();
    let per_runner = run_together_exactly_once(&project, &ids, &commands).await;
    eprintln!(
        "concurrency: {runners} runners (rotated -w lists) over {size} workspaces x {VERSIONS} \
         migrations: steps applied per runner {per_runner:?} (total {}), applied twice 0, missing 0",
        per_runner.iter().sum::<usize>()
    );
}

/// Starts every command at once, waits for all, and checks that each
/// exited 0, that every `(workspace, version)` was reported applied by
/// exactly one of them, and that every workspace is consistent at the
/// latest version. Returns the steps each runner applied.
async fn run_together_exactly_once(
    project: &Project,
    ids: &[String],
    commands: &[Vec<String>],
) -> Vec<usize> {
    let started: Vec<_> = commands
        .iter()
        .map(|command| {
            let args: Vec<&str> = command.iter().map(String::as_str).collect();
            project.wsdb(&args).start()
        })
        .collect();
    let mut runs = Vec::with_capacity(started.len());
    for run in started {
        runs.push(run.finish().await);
    }

    // Steps reported by all runners together: (workspace, version) -> times.
    let mut steps: BTreeMap<(String, i64), usize> = BTreeMap::new();
    let mut per_runner = Vec::with_capacity(runs.len());
    for run in &runs {
        run.expect_code(0);
        let document = run.json();
        let mut applied = 0;
        for entry in document["workspaces"].as_array().expect("workspaces") {
            let id = entry["workspace"].as_str().expect("an id").to_owned();
            for step in entry["steps"].as_array().expect("steps") {
                let version = step["version"].as_i64().expect("a version");
                *steps.entry((id.clone(), version)).or_insert(0) += 1;
                applied += 1;
            }
        }
        per_runner.push(applied);
    }
    let repeated: Vec<_> = steps.iter().filter(|(_, n)| **n != 1).collect();
    assert!(
        repeated.is_empty(),
        "steps reported more than once: {repeated:?}"
    );
    let expected = ids.len() * usize::try_from(VERSIONS).expect("a small count");
    assert_eq!(
        steps.len(),
        expected,
        "every migration of every workspace is reported applied by one runner"
    );

    let states = fleet::read_all(project, ids).await;
    fleet::assert_consistent(&states, VERSIONS, "after the concurrent runners");
    let latest = i64::try_from(VERSIONS).expect("a small version");
    assert!(states.iter().all(|(_, s)| s.version() == latest));
    per_runner
}

/// A fleet of `size` workspaces where waiting for another runner's lock is
/// the normal case, never a reason to give up on a workspace.
async fn fleet_for_runners(size: usize) -> (Project, Vec<String>) {
    let mut project = Project::start().await;
    project.set("run", "lock_timeout", "\"120s\"");
    project.set("run", "concurrency", "4");
    let ids = project.add_many_workspaces("conc", size).await;
    fleet::write_migrations(&project, VERSIONS, PAUSE).await;
    (project, ids)
}

/// One of the runners dies (SIGKILL) at a random moment: its open
/// migration rolls back and its locks go with its connections, so the
/// others still bring every workspace to the latest version with every
/// migration applied exactly once.
#[tokio::test]
async fn a_runner_killed_among_them_loses_and_repeats_nothing() {
    let runners = count("WSDB_CHAOS_RUNNERS", 4);
    let size = count("WSDB_CHAOS_CONCURRENCY_FLEET", 20);
    let (project, ids) = fleet_for_runners(size).await;
    // The ledger exists before the runners start, so progress can be read.
    project
        .wsdb(&["control", "init"])
        .run()
        .await
        .expect_code(0);

    let mut started: Vec<_> = (0..runners)
        .map(|_| {
            project
                .wsdb(&["migrate", "--all", "--format", "json"])
                .start()
        })
        .collect();
    let mut victim = started.remove(0);
    // The kill comes once the runners have finished a random number of
    // workspaces between one and half the fleet (they record each in the
    // ledger): by progress, not by the clock.
    let done = 1 + rand::random::<u64>() % u64::try_from(size / 2).unwrap_or(1).max(1);
    let deadline = Deadline::start(format!("{done} workspaces recorded as applied"));
    while applied_in_ledger(&project).await < done {
        deadline.pause().await;
    }
    victim.kill().await;
    let killed = victim.finish().await;
    for run in started {
        run.finish().await.expect_code(0);
    }

    let states = fleet::read_all(&project, &ids).await;
    fleet::assert_consistent(&states, VERSIONS, "after a runner was killed");
    let latest = i64::try_from(VERSIONS).expect("a small version");
    assert!(states.iter().all(|(_, s)| s.version() == latest));
    eprintln!(
        "concurrency with a kill: {runners} runners over {size} workspaces, one killed after {done} \
         workspaces were done ({}), applied twice 0, missing 0",
        if killed.code == -1 {
            "mid-run"
        } else {
            "after it had ended"
        }
    );
}

/// Workspace results recorded as `applied` in the ledger, by any run.
async fn applied_in_ledger(project: &Project) -> u64 {
    let rows = project
        .control_rows("SELECT count(*)::text FROM wsdb.run_workspaces WHERE status = 'applied'")
        .await;
    rows[0][0]
        .as_deref()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}
