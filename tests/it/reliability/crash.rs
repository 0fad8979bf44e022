//! Crash safety: `wsdb migrate --all` over a fleet, killed with SIGKILL at a
//! random moment, trial after trial. After each kill (once the server has
//! noticed the dead connections and freed the `wsdb` locks) every
//! workspace is consistent: a migration's tables and log row exist iff its
//! history row says applied, never half of them; the ledger claims no
//! version a workspace does not have; and `--resume` of the killed run (or
//! a new run, when it was killed before recording itself) converges every
//! workspace to the latest version with each migration applied once.
//!
//! Counts: `WSDB_CHAOS_CRASH_TRIALS` (default 2; `just chaos`: 20),
//! `WSDB_CHAOS_CRASH_FLEET` (default 30 workspaces). The kill moment is
//! drawn between 5% and 95% of an uninterrupted run measured first, so
//! kills land before, between and inside migrations.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use super::count;
use super::fleet;
use crate::support::applock::LockProbe;
use crate::support::project::Project;

/// Migrations in the set; the even ones pause in their second batch.
const VERSIONS: u64 = 6;
/// The pause of the slow migrations.
const PAUSE: Duration = Duration::from_millis(40);

#[tokio::test]
async fn sigkill_at_random_moments_never_half_applies_and_a_rerun_converges() {
    let trials = count("WSDB_CHAOS_CRASH_TRIALS", 2);
    let size = count("WSDB_CHAOS_CRASH_FLEET", 30);
    let mut project = Project::start().await;
    project.set("run", "concurrency", "4");
    let ids = project.add_many_workspaces("crash", size).await;
    fleet::write_migrations(&project, VERSIONS, PAUSE).await;

    // An uninterrupted run (the second: the first also creates the
    // ledger): the span the kill moments are drawn from.
    converge(&project, &ids).await;
    reset(&project, &ids).await;
    let started = Instant::now();
    converge(&project, &ids).await;
    let full_run = started.elapsed();
    eprintln!(
        "crash: fleet of {size}, {VERSIONS} migrations, uninterrupted run {} ms",
        full_run.as_millis()
    );

    let mut killed_mid_run = 0;
    for trial in 1..=trials {
        let figures = kill_check_and_converge(&project, &ids, full_run, trial).await;
        killed_mid_run += usize::from(figures.was_running);
        eprintln!(
            "crash trial {trial}/{trials}: kill at {} ms ({}), versions after kill {:?}, \
             {} workspace(s) part-way, ledger rows of the killed run {}, \
             inconsistent 0, converged {size}/{size} by {}",
            figures.delay.as_millis(),
            if figures.was_running {
                "mid-run"
            } else {
                "run had already ended"
            },
            figures.versions,
            figures.part_way,
            figures.ledger_rows,
            if figures.resumed {
                "--resume"
            } else {
                "a new run"
            },
        );
    }
    eprintln!(
        "crash: {trials} trial(s), {killed_mid_run} killed mid-run, 0 workspaces inconsistent, 0 lost"
    );
}

/// What one trial saw.
struct Trial {
    delay: Duration,
    /// The process was still running when the kill came.
    was_running: bool,
    /// Workspaces per version right after the kill.
    versions: BTreeMap<i64, usize>,
    /// Workspaces between no migration and the latest after the kill.
    part_way: usize,
    /// Results the killed run recorded in the ledger.
    ledger_rows: usize,
    /// Converged by `--resume` of the killed run (else by a new run).
    resumed: bool,
}

/// One trial: reset the fleet, start `migrate --all`, SIGKILL it at a
/// random moment, check every workspace and the ledger, converge.
async fn kill_check_and_converge(
    project: &Project,
    ids: &[String],
    full_run: Duration,
    trial: usize,
) -> Trial {
    reset(project, ids).await;
    let last_run = last_run_id(project).await;
    let delay = random_moment(full_run);
    let mut run = project.wsdb(&["migrate", "--all"]).start();
    tokio::time::sleep(delay).await;
    run.kill().await;
    let killed = run.finish().await;

    wait_for_locks(project, ids).await;
    let states = fleet::read_all(project, ids).await;
    fleet::assert_consistent(&states, VERSIONS, &format!("trial {trial} after SIGKILL"));
    let claimed = ledger_claims(project, last_run, "applied").await;
    let overclaimed: Vec<String> = claimed
        .iter()
        .filter(|(id, version)| {
            states
                .iter()
                .any(|(w, state)| w == id && state.version() < *version)
        })
        .map(|(id, version)| format!("{id}: ledger says {version}"))
        .collect();
    assert!(
        overclaimed.is_empty(),
        "trial {trial}: the ledger of the killed run claims versions the workspaces lack: {overclaimed:?}"
    );

    // The killed run's ledger is enough to finish its work: resume it
    // (if it got as far as recording itself), else start over.
    let resumed = killed_run_id(project, last_run).await;
    match resumed {
        Some(id) => converge_with(project, ids, &["--resume", &id.to_string()]).await,
        None => converge(project, ids).await,
    }
    Trial {
        delay,
        was_running: killed.code == -1,
        versions: fleet::versions(&states),
        part_way: states
            .iter()
            .filter(|(_, s)| s.version() > 0 && s.version() < latest())
            .count(),
        ledger_rows: claimed.len(),
        resumed: resumed.is_some(),
    }
}

fn latest() -> i64 {
    i64::try_from(VERSIONS).expect("a small version")
}

/// A moment between 5% and 95% of `span`.
pub(super) fn random_moment(span: Duration) -> Duration {
    let span_ms = u64::try_from(span.as_millis()).unwrap_or(u64::MAX).max(20);
    let low = span_ms / 20;
    let width = span_ms * 9 / 10;
    Duration::from_millis(low + rand::random::<u64>() % width.max(1))
}

/// `migrate --all` to the end: exit 0, every workspace consistent at the
/// latest version.
pub(super) async fn converge(project: &Project, ids: &[String]) {
    converge_with(project, ids, &["--all"]).await;
}

/// `migrate <selection>` to the end: exit 0, every workspace of `ids`
/// consistent at the latest version.
async fn converge_with(project: &Project, ids: &[String], selection: &[&str]) {
    let mut args = vec!["migrate", "--format", "json"];
    args.extend_from_slice(selection);
    project.wsdb(&args).run().await.expect_code(0);
    let states = fleet::read_all(project, ids).await;
    fleet::assert_consistent(&states, VERSIONS, "after the converging run");
    let behind: Vec<&String> = states
        .iter()
        .filter(|(_, s)| s.version() != latest())
        .map(|(id, _)| id)
        .collect();
    assert!(behind.is_empty(), "not at the latest version: {behind:?}");
}

/// Drops everything the migrations and wsdb created, behind wsdb's back.
async fn reset(project: &Project, ids: &[String]) {
    let mut sql = String::from(
        "DROP TABLE IF EXISTS dbo.wsdb_history;\nDROP TABLE IF EXISTS dbo.applied_log;\n",
    );
    for version in 1..=VERSIONS {
        for part in ["a", "b", "c"] {
            sql.push_str(&format!("DROP TABLE IF EXISTS dbo.m{version}_{part};\n"));
        }
    }
    for id in ids {
        project.execute(id, &sql).await;
    }
}

/// Waits until no session holds any workspace's `wsdb` lock: the server
/// has dropped the killed run's sessions and rolled their work back.
pub(super) async fn wait_for_locks(project: &Project, ids: &[String]) {
    for id in ids {
        let mut probe = LockProbe::connect(project.server_of(id), project.database(id)).await;
        probe.wait_until_free("wsdb").await;
    }
}

/// The highest run id in the ledger (0: none yet).
pub(super) async fn last_run_id(project: &Project) -> i64 {
    let rows = project
        .control_rows("SELECT COALESCE(max(id), 0)::text FROM wsdb.runs")
        .await;
    rows[0][0]
        .as_deref()
        .and_then(|text| text.parse().ok())
        .unwrap_or(0)
}

/// The run recorded after `after`: the killed one, if it got that far.
async fn killed_run_id(project: &Project, after: i64) -> Option<i64> {
    let id = last_run_id(project).await;
    (id > after).then_some(id)
}

/// `(workspace, version_after)` the ledger records with `status` (e.g.
/// `applied`) by runs after `after`.
pub(super) async fn ledger_claims(
    project: &Project,
    after: i64,
    status: &str,
) -> Vec<(String, i64)> {
    let rows = project
        .control_rows(&format!(
            "SELECT workspace_id, version_after::text FROM wsdb.run_workspaces \
             WHERE run_id > {after} AND status = '{status}' AND version_after IS NOT NULL"
        ))
        .await;
    rows.into_iter()
        .filter_map(|row| {
            let id = row[0].clone()?;
            let version = row[1].as_deref()?.parse().ok()?;
            Some((id, version))
        })
        .collect()
}

#[test]
fn kill_moments_stay_inside_the_run() {
    for _ in 0..1000 {
        let moment = random_moment(Duration::from_millis(1000));
        assert!(moment >= Duration::from_millis(50) && moment < Duration::from_millis(950));
    }
}
