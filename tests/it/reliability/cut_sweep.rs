//! A connection cut at every point of a workspace's run: workspace `i` of
//! the fleet has its connection cut just before the statement after its
//! first `i` (wsdb's own bookkeeping and the scripts' statements alike),
//! so one `migrate --all` (or `rollback --all`) tries a cut at every
//! statement boundary of a whole run, deterministically, where the SIGKILL
//! trials of `crash` land at random. Whatever wsdb reports for a
//! workspace, the workspace is consistent (a migration whole or not at
//! all), a workspace reported done is at the target version, every other
//! one has a cause saying the connection was lost, the ledger claims
//! nothing the workspace lacks, and the next run finishes the work. Test
//! server only (faults).
//!
//! Count: `WSDB_CHAOS_CUT_POINTS` (default 60, more than the statements of
//! one workspace's run, which the test checks by the last one finishing
//! untouched).

use std::collections::BTreeMap;
use std::time::Duration;

use tds_test_server::Scope;

use super::count;
use super::fleet;
use crate::support::project::{Project, Run};

const VERSIONS: u64 = 2;

/// One command under the sweep.
struct Sweep {
    name: &'static str,
    /// Run before the cuts are armed (none: the fleet starts empty).
    setup: Option<&'static [&'static str]>,
    command: &'static [&'static str],
    /// The status and the version of a workspace the command finished.
    done: &'static str,
    target: i64,
    /// The version a `done` ledger row records is a ceiling of the
    /// workspace's (a rollback went at least that far back), else a floor
    /// (a migrate got at least that far).
    ledger_is_ceiling: bool,
}

const MIGRATE: Sweep = Sweep {
    name: "migrate",
    setup: None,
    command: &["migrate", "--all", "--format", "json"],
    done: "applied",
    target: 2,
    ledger_is_ceiling: false,
};

const ROLLBACK: Sweep = Sweep {
    name: "rollback",
    setup: Some(&["migrate", "--all"]),
    command: &[
        "rollback", "--all", "--to", "1", "--yes", "--format", "json",
    ],
    done: "rolled_back",
    target: 1,
    ledger_is_ceiling: true,
};

#[tokio::test]
async fn a_cut_before_any_statement_never_half_applies() {
    sweep(&MIGRATE, "a_cut_before_any_statement_never_half_applies").await;
}

#[tokio::test]
async fn a_cut_before_any_statement_of_a_rollback_never_half_reverts() {
    sweep(
        &ROLLBACK,
        "a_cut_before_any_statement_of_a_rollback_never_half_reverts",
    )
    .await;
}

async fn sweep(sweep: &Sweep, test: &str) {
    let points = count("WSDB_CHAOS_CUT_POINTS", 60);
    let mut project = Project::start().await;
    let Some(server) = project.server.fault_handle_or_skip(test) else {
        return;
    };
    let ids = project.add_many_workspaces("cut", points).await;
    fleet::write_migrations(&project, VERSIONS, Duration::ZERO).await;
    if let Some(setup) = sweep.setup {
        project.wsdb(setup).run().await.expect_code(0);
    }
    for (n, id) in ids.iter().enumerate() {
        let n = u32::try_from(n).expect("a small count");
        server
            .faults()
            .cut_after_statements(Scope::database(project.database(id)), n);
    }

    let run = project.wsdb(sweep.command).run().await;
    assert!(run.code == 0 || run.code == 1, "{run}");
    server.faults().clear();
    let statuses = run.statuses();
    let states = fleet::read_all(&project, &ids).await;
    fleet::assert_consistent(&states, VERSIONS, "after a cut at every statement");
    for (id, state) in &states {
        if statuses.get(id).map(String::as_str) == Some(sweep.done) {
            assert_eq!(
                state.version(),
                sweep.target,
                "`{id}` reported done:\n{run}"
            );
        }
    }
    assert_causes_name_the_cut(&run, sweep.done);
    let last = ids.last().expect("a fleet");
    assert_eq!(
        statuses.get(last).map(String::as_str),
        Some(sweep.done),
        "the sweep must reach past a whole run: raise WSDB_CHAOS_CUT_POINTS"
    );
    assert_ledger_truthful(&project, sweep, &states).await;

    let mut by_status: BTreeMap<&str, usize> = BTreeMap::new();
    for status in statuses.values() {
        *by_status.entry(status.as_str()).or_insert(0) += 1;
    }
    let versions_after_cuts = fleet::versions(&states);
    project.wsdb(sweep.command).run().await.expect_code(0);
    let states = fleet::read_all(&project, &ids).await;
    fleet::assert_consistent(&states, VERSIONS, "after the re-run");
    assert!(states.iter().all(|(_, s)| s.version() == sweep.target));
    eprintln!(
        "cut sweep {}: a cut before statement 1..={points} of one workspace each, statuses \
         {by_status:?}, versions after the cuts {versions_after_cuts:?}, inconsistent 0, \
         finished {points}/{points}",
        sweep.name
    );
}

/// Every workspace that did not finish says the connection was lost (and,
/// before that, which step it was at).
fn assert_causes_name_the_cut(run: &Run, done: &str) {
    let document = run.json();
    for entry in document["workspaces"].as_array().expect("workspaces") {
        if entry["status"] != done {
            let cause = entry["cause"].as_str().unwrap_or_default();
            assert!(
                cause.contains("connection lost"),
                "`{}` is {} without saying the connection was lost: {cause}",
                entry["workspace"],
                entry["status"]
            );
        }
    }
}

/// The ledger's `done` rows claim no version the workspaces do not have.
async fn assert_ledger_truthful(
    project: &Project,
    sweep: &Sweep,
    states: &[(String, fleet::Workspace)],
) {
    let claimed = project
        .control_rows(&format!(
            "SELECT workspace_id, version_after::text FROM wsdb.run_workspaces \
             WHERE status = '{}' AND run_id = (SELECT max(id) FROM wsdb.runs)",
            sweep.done
        ))
        .await;
    for row in &claimed {
        let (Some(id), Some(version)) = (&row[0], &row[1]) else {
            continue;
        };
        let version: i64 = version.parse().expect("a version");
        let actual = states
            .iter()
            .find(|(w, _)| w == id)
            .map_or(0, |(_, s)| s.version());
        let truthful = if sweep.ledger_is_ceiling {
            actual <= version
        } else {
            actual >= version
        };
        assert!(
            truthful,
            "the ledger says `{id}` is at {version}, it is at {actual}"
        );
    }
}
