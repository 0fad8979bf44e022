//! A connection cut at every point of a workspace's run: workspace `i` of
//! the fleet has its connection cut just before the statement after its
//! first `i` (wsdb's own bookkeeping and the migrations' statements alike),
//! so one `migrate --all` tries a cut at every statement boundary of a
//! whole run, deterministically, where the SIGKILL trials of `crash` land
//! at random. Whatever wsdb reports for a workspace, the workspace is
//! consistent (a migration whole or not at all), a workspace reported
//! `applied` has every migration, the ledger claims nothing the workspace
//! lacks, and the next run converges. Test server only (faults).
//!
//! Count: `WSDB_CHAOS_CUT_POINTS` (default 60, more than the statements of
//! one workspace's run, which the test checks by the last one applying
//! untouched).

use std::collections::BTreeMap;
use std::time::Duration;

use tds_test_server::Scope;

use super::count;
use super::fleet;
use crate::support::project::Project;

const VERSIONS: u64 = 2;

#[tokio::test]
async fn a_cut_before_any_statement_never_half_applies() {
    let points = count("WSDB_CHAOS_CUT_POINTS", 60);
    let mut project = Project::start().await;
    if project
        .server
        .faults_or_skip("a_cut_before_any_statement_never_half_applies")
        .is_none()
    {
        return;
    }
    let server = project
        .server
        .test_server_handle()
        .expect("the test server");
    let ids = project.add_many_workspaces("cut", points).await;
    fleet::write_migrations(&project, VERSIONS, Duration::ZERO).await;
    for (n, id) in ids.iter().enumerate() {
        let n = u32::try_from(n).expect("a small count");
        server
            .faults()
            .cut_after_statements(Scope::database(project.database(id)), n);
    }

    let run = project
        .wsdb(&["migrate", "--all", "--format", "json"])
        .run()
        .await;
    assert!(run.code == 0 || run.code == 1, "{run}");
    server.faults().clear();
    let statuses = run.statuses();
    let states = fleet::read_all(&project, &ids).await;
    fleet::assert_consistent(&states, VERSIONS, "after a cut at every statement");
    let latest = i64::try_from(VERSIONS).expect("a small version");
    for (id, state) in &states {
        if statuses.get(id).map(String::as_str) == Some("applied") {
            assert_eq!(state.version(), latest, "`{id}` reported applied:\n{run}");
        }
    }
    // Every workspace that did not finish says which step lost the
    // connection.
    let document = run.json();
    for entry in document["workspaces"].as_array().expect("workspaces") {
        if entry["status"] != "applied" {
            let cause = entry["cause"].as_str().unwrap_or_default();
            assert!(
                cause.contains("connection lost"),
                "`{}` is {} without saying the connection was lost: {cause}",
                entry["workspace"],
                entry["status"]
            );
        }
    }
    let last = ids.last().expect("a fleet");
    assert_eq!(
        statuses.get(last).map(String::as_str),
        Some("applied"),
        "the sweep must reach past a whole run: raise WSDB_CHAOS_CUT_POINTS"
    );
    let claimed = project
        .control_rows(
            "SELECT workspace_id, version_after::text FROM wsdb.run_workspaces \
             WHERE status = 'applied'",
        )
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
        assert!(
            actual >= version,
            "the ledger says `{id}` reached {version}, it has {actual}"
        );
    }

    let mut by_status: BTreeMap<&str, usize> = BTreeMap::new();
    for status in statuses.values() {
        *by_status.entry(status.as_str()).or_insert(0) += 1;
    }
    let versions_after_cuts = fleet::versions(&states);
    let rerun = project
        .wsdb(&["migrate", "--all", "--format", "json"])
        .run()
        .await;
    rerun.expect_code(0);
    let states = fleet::read_all(&project, &ids).await;
    fleet::assert_consistent(&states, VERSIONS, "after the re-run");
    assert!(states.iter().all(|(_, s)| s.version() == latest));
    eprintln!(
        "cut sweep: a cut before statement 1..={points} of one workspace each, statuses {by_status:?}, \
         versions after the cuts {versions_after_cuts:?}, inconsistent 0, converged {points}/{points}"
    );
}
