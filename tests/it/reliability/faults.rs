//! Faults: each fault kind of the TDS test server injected into 10% of a
//! fleet (`WSDB_CHAOS_FAULT_FLEET` workspaces, default 30; `just chaos`:
//! 100), one `migrate --all` per kind. The faulted workspaces are reported
//! `unreachable` or `failed` (as fits the fault) with a cause that names
//! it, nothing of them is half-applied, the others are applied, the
//! exit code is 1, and no workspace waits past a bound derived from the
//! configured timeouts and retries (a watchdog against hangs, not a speed
//! target). Only the test server injects faults: on a real SQL Server these
//! tests skip themselves.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use tds_test_server::{Scope, Server};

use super::count;
use super::fleet;
use crate::support::project::{Project, Run};

const VERSIONS: u64 = 2;
// Wide margins: the healthy 90% must never hit a timeout on a loaded CI
// machine, and the injected latency (twice the statement timeout, added
// to the login too) must stay well inside the connect timeout.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
const STATEMENT_TIMEOUT: Duration = Duration::from_secs(2);
const MAX_ATTEMPTS: u32 = 2;
const MAX_BACKOFF: Duration = Duration::from_millis(200);
const CONCURRENCY: usize = 8;

#[derive(Clone, Copy, Debug)]
enum Fault {
    RefusedConnect,
    FailedLogin,
    Latency,
    CutMidBatch,
    FailingStatement,
}

impl Fault {
    /// Arms the fault for `database`: the cut fires once, the others hold
    /// for the whole run.
    fn inject(self, server: &Server, database: &str) {
        let faults = server.faults();
        let scope = Scope::database(database);
        match self {
            Fault::RefusedConnect => faults.refuse_connections(scope, 1_000),
            Fault::FailedLogin => faults.fail_logins(scope, 1_000),
            // Past the statement timeout, well within the connect timeout.
            Fault::Latency => faults.latency(scope, STATEMENT_TIMEOUT * 2),
            // Migration 2's second batch: migration 1 is applied by then.
            Fault::CutMidBatch => faults
                .cut_mid_batch(scope, "CREATE TABLE dbo.m2_b")
                .expect("a valid pattern"),
            Fault::FailingStatement => faults
                .fail_statements(scope, "CREATE TABLE dbo.m2_c", 8134)
                .expect("a valid pattern"),
        }
    }

    /// The statuses wsdb may give a faulted workspace.
    fn statuses(self) -> &'static [&'static str] {
        match self {
            Fault::RefusedConnect | Fault::FailedLogin => &["unreachable"],
            // The first statement of a session times out: the one that
            // checks the connection's database, before any migration.
            Fault::Latency => &["unreachable", "failed"],
            Fault::CutMidBatch | Fault::FailingStatement => &["failed"],
        }
    }

    /// Text the cause must contain (case-insensitive): what an operator
    /// needs to tell this fault from the others.
    fn cause_mentions(self) -> &'static str {
        match self {
            Fault::RefusedConnect => "closed",
            Fault::FailedLogin => "login failed",
            Fault::Latency => "timed out",
            Fault::CutMidBatch => "connection",
            Fault::FailingStatement => "8134",
        }
    }
}

/// The longest a faulted workspace may take: every attempt timing out at
/// login and at a statement, plus the backoffs, plus generous slack for a
/// loaded machine.
fn workspace_bound() -> Duration {
    (CONNECT_TIMEOUT + STATEMENT_TIMEOUT * 2 + MAX_BACKOFF) * MAX_ATTEMPTS + Duration::from_secs(10)
}

async fn faults_in_a_tenth_of_the_fleet(fault: Fault, test: &str) {
    let size = count("WSDB_CHAOS_FAULT_FLEET", 30);
    let mut project = Project::start().await;
    let Some(server) = project.server.fault_handle_or_skip(test) else {
        return;
    };
    project.set(
        "mssql",
        "connect_timeout",
        &format!("\"{}s\"", CONNECT_TIMEOUT.as_secs()),
    );
    project.set(
        "mssql",
        "statement_timeout",
        &format!("\"{}s\"", STATEMENT_TIMEOUT.as_secs()),
    );
    project.set("retry", "max_attempts", &MAX_ATTEMPTS.to_string());
    project.set(
        "retry",
        "max_backoff",
        &format!("\"{}ms\"", MAX_BACKOFF.as_millis()),
    );
    project.set("run", "concurrency", &CONCURRENCY.to_string());
    let ids = project.add_many_workspaces("fault", size).await;
    fleet::write_migrations(&project, VERSIONS, Duration::ZERO).await;

    // Every tenth workspace, spread over the fleet.
    let faulted: Vec<String> = ids.iter().step_by(10).cloned().collect();
    for id in &faulted {
        fault.inject(&server, project.database(id));
    }

    let started = Instant::now();
    let run = project
        .wsdb(&["migrate", "--all", "--format", "json"])
        .run()
        .await;
    let elapsed = started.elapsed();
    run.expect_code(1);
    let document = run.json();
    let entries: BTreeMap<String, &serde_json::Value> = document["workspaces"]
        .as_array()
        .expect("workspaces")
        .iter()
        .map(|e| (e["workspace"].as_str().expect("an id").to_owned(), e))
        .collect();
    assert_eq!(entries.len(), size, "{run}");

    let bound = workspace_bound();
    let mut slowest = Duration::ZERO;
    for (id, entry) in &entries {
        let status = entry["status"].as_str().unwrap_or_default();
        let duration = Duration::from_millis(entry["duration_ms"].as_u64().unwrap_or(0));
        slowest = slowest.max(duration);
        assert!(
            duration <= bound,
            "{fault:?}: `{id}` took {duration:?}, past {bound:?}:\n{run}"
        );
        if faulted.contains(id) {
            let cause = entry["cause"].as_str().unwrap_or_default();
            assert!(
                fault.statuses().contains(&status),
                "{fault:?}: `{id}` is {status}, expected one of {:?}:\n{run}",
                fault.statuses()
            );
            assert!(
                cause.to_lowercase().contains(fault.cause_mentions()),
                "{fault:?}: the cause of `{id}` does not say {:?}: {cause}",
                fault.cause_mentions()
            );
        } else {
            assert_eq!(status, "applied", "{fault:?}: `{id}`:\n{run}");
        }
    }
    // The whole run: the faulted workspaces share the run's slots.
    let rounds = u32::try_from(faulted.len().div_ceil(CONCURRENCY)).expect("a small count");
    let run_bound = bound * rounds + Duration::from_secs(60);
    assert!(
        elapsed <= run_bound,
        "{fault:?}: the run took {elapsed:?}, past {run_bound:?}"
    );

    // The faulted workspaces are consistent too: nothing half-applied.
    server.faults().clear();
    let states = fleet::read_all(&project, &ids).await;
    fleet::assert_consistent(&states, VERSIONS, &format!("after {fault:?}"));
    print_figures(fault, size, &faulted, &run, elapsed, slowest);
}

fn print_figures(
    fault: Fault,
    size: usize,
    faulted: &[String],
    run: &Run,
    elapsed: Duration,
    slowest: Duration,
) {
    let statuses = run.statuses();
    let document = run.json();
    let cause = document["workspaces"]
        .as_array()
        .and_then(|entries| {
            entries
                .iter()
                .find(|e| e["workspace"] == faulted[0].as_str())
        })
        .and_then(|entry| entry["cause"].as_str())
        .unwrap_or_default()
        .to_owned();
    let mut by_status: BTreeMap<&str, usize> = BTreeMap::new();
    for status in statuses.values() {
        *by_status.entry(status.as_str()).or_insert(0) += 1;
    }
    eprintln!(
        "faults {fault:?}: injected into {} of {size} workspaces, statuses {by_status:?}, \
         run {} ms, slowest workspace {} ms (bound {} ms), lost 0; cause: {cause}",
        faulted.len(),
        elapsed.as_millis(),
        slowest.as_millis(),
        workspace_bound().as_millis()
    );
}

#[tokio::test]
async fn refused_connections_fail_only_their_workspaces() {
    faults_in_a_tenth_of_the_fleet(
        Fault::RefusedConnect,
        "refused_connections_fail_only_their_workspaces",
    )
    .await;
}

#[tokio::test]
async fn failed_logins_fail_only_their_workspaces() {
    faults_in_a_tenth_of_the_fleet(
        Fault::FailedLogin,
        "failed_logins_fail_only_their_workspaces",
    )
    .await;
}

#[tokio::test]
async fn latency_past_the_statement_timeout_fails_only_its_workspaces() {
    faults_in_a_tenth_of_the_fleet(
        Fault::Latency,
        "latency_past_the_statement_timeout_fails_only_its_workspaces",
    )
    .await;
}

#[tokio::test]
async fn connections_cut_mid_batch_fail_only_their_workspaces() {
    faults_in_a_tenth_of_the_fleet(
        Fault::CutMidBatch,
        "connections_cut_mid_batch_fail_only_their_workspaces",
    )
    .await;
}

#[tokio::test]
async fn failing_statements_fail_only_their_workspaces() {
    faults_in_a_tenth_of_the_fleet(
        Fault::FailingStatement,
        "failing_statements_fail_only_their_workspaces",
    )
    .await;
}
