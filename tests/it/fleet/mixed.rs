//! Fifty workspaces in mixed states, one command each over all of them:
//! every workspace gets its own correct outcome, and the exit code is the
//! documented one for the command (migrate 1, status 0 or 1, `status
//! --check` 3, verify 3). The JSON documents are checked against the
//! schema on the way.

use std::collections::BTreeMap;

use tiberius::Client;
use tokio::net::TcpStream;
use tokio_util::compat::Compat;

use super::{drift, table_migrations, with_status};
use crate::support::json_schema;
use crate::support::project::{Project, Run};
use crate::support::workspace_server::closed_port;

/// The fleet: ids are `<group>-NNN`, and the group says the state.
const FRESH: usize = 15;
const PARTLY: usize = 15;
const CURRENT: usize = 8;
const DRIFTED: usize = 4;
const LOCKED: usize = 3;
const CLOSED_PORT: usize = 3;
const MISSING_DATABASE: usize = 2;

struct MixedFleet {
    project: Project,
    /// Connections holding the `locked` workspaces' locks.
    _locks: Vec<Client<Compat<TcpStream>>>,
}

/// Builds the fleet: 50 rows, 45 databases, three migrations.
async fn mixed_fleet() -> MixedFleet {
    let mut project = Project::start().await;
    // A busy lock is reported after this long; short keeps the test fast.
    project.set("run", "lock_timeout", "\"1s\"");
    project.set("run", "concurrency", "16");
    for (group, n) in [
        ("fresh", FRESH),
        ("partly", PARTLY),
        ("current", CURRENT),
        ("drifted", DRIFTED),
        ("locked", LOCKED),
    ] {
        project.add_workspaces(group, n).await;
    }
    let host = project.server.host();
    for i in 0..CLOSED_PORT {
        let id = format!("unreachable-{i:03}");
        let port = i64::from(closed_port());
        project
            .insert_row(
                Some(&id),
                Some("127.0.0.1"),
                Some(port),
                Some("ws_nowhere"),
                None,
            )
            .await;
    }
    for i in CLOSED_PORT..CLOSED_PORT + MISSING_DATABASE {
        let id = format!("unreachable-{i:03}");
        let missing = project.server.unused_database_name("missing");
        let port = i64::from(project.server.port());
        project
            .insert_row(Some(&id), Some(&host), Some(port), Some(&missing), None)
            .await;
    }
    project
        .control_rows("UPDATE workspaces SET grp = split_part(id, '-', 1)")
        .await;
    table_migrations(&project, 3).await;

    project
        .wsdb(&[
            "migrate", "--group", "partly", "--group", "locked", "--to", "1",
        ])
        .run()
        .await
        .expect_code(0);
    project
        .wsdb(&["migrate", "--group", "current", "--group", "drifted"])
        .run()
        .await
        .expect_code(0);
    for i in 0..DRIFTED {
        drift(&project, &format!("drifted-{i:03}"), 2).await;
    }
    let mut locks = Vec::new();
    for i in 0..LOCKED {
        locks.push(project.hold_lock(&format!("locked-{i:03}")).await);
    }
    MixedFleet {
        project,
        _locks: locks,
    }
}

/// The group part of an id (`fresh-003` → `fresh`).
fn group(id: &str) -> &str {
    id.split('-').next().unwrap_or_default()
}

/// Statuses by group: every workspace of a group must share one status.
#[track_caller]
fn by_group(run: &Run) -> BTreeMap<String, String> {
    let mut groups: BTreeMap<String, String> = BTreeMap::new();
    let statuses = run.statuses();
    assert_eq!(statuses.len(), 50, "one line per workspace:\n{run}");
    for (id, status) in &statuses {
        let seen = groups
            .entry(group(id).to_owned())
            .or_insert_with(|| status.clone());
        assert_eq!(seen, status, "`{id}` differs from its group:\n{run}");
    }
    groups
}

fn expected(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(g, s)| ((*g).to_owned(), (*s).to_owned()))
        .collect()
}

fn versions(run: &Run) -> BTreeMap<String, u64> {
    serde_json::from_value(run.json()["versions"].clone()).expect("versions")
}

#[tokio::test]
async fn every_workspace_gets_its_own_outcome_and_the_exit_code_follows() {
    let fleet = mixed_fleet().await;
    status_over_the_whole_fleet(&fleet.project).await;
    read_only_exit_codes(&fleet.project).await;
    migrate_over_the_whole_fleet(&fleet.project).await;
}

/// status: read-only; the unreachable ones fail it (1), and the locked
/// ones show who holds their lock.
async fn status_over_the_whole_fleet(project: &Project) {
    let status = project
        .wsdb(&["status", "--all", "--format", "json"])
        .run()
        .await;
    status.expect_code(1);
    json_schema::assert_document(&status.stdout, "status --all");
    assert_eq!(
        by_group(&status),
        expected(&[
            ("current", "up_to_date"),
            ("drifted", "drift"),
            ("fresh", "pending"),
            ("locked", "pending"),
            ("partly", "pending"),
            ("unreachable", "unreachable"),
        ])
    );
    let document = status.json();
    for line in document["workspaces"].as_array().expect("workspaces") {
        let id = line["workspace"].as_str().unwrap_or_default();
        assert_eq!(
            line["lock_holder"].is_string(),
            group(id) == "locked",
            "lock holder of `{id}`: {line}"
        );
    }
    assert_eq!(
        versions(&status),
        BTreeMap::from([
            ("none".to_owned(), 15),
            ("1".to_owned(), 18),
            ("3".to_owned(), 12)
        ]),
        "unreachable workspaces are not counted"
    );
}

/// Without the unreachable rows: status 0, status --check 3, verify 3
/// (drift), verify of pending-only workspaces 0.
async fn read_only_exit_codes(project: &Project) {
    let reachable = [
        "--group", "fresh", "--group", "partly", "--group", "current", "--group", "drifted",
        "--group", "locked",
    ];
    let run = |args: &[&str]| {
        let mut all: Vec<&str> = args.to_vec();
        all.extend(reachable);
        project.wsdb(&all)
    };
    run(&["status"]).run().await.expect_code(0);
    run(&["status", "--check"]).run().await.expect_code(3);
    let verify = run(&["verify", "--format", "json"]).run().await;
    verify.expect_code(3);
    json_schema::assert_document(&verify.stdout, "verify");
    assert_eq!(
        with_status(&verify.statuses(), "drift").len(),
        DRIFTED,
        "{verify}"
    );
    project
        .wsdb(&[
            "verify", "--group", "fresh", "--group", "partly", "--group", "current",
        ])
        .run()
        .await
        .expect_code(0);
}

/// migrate: each workspace its own outcome, exit 1; then the databases and
/// a new status agree.
async fn migrate_over_the_whole_fleet(project: &Project) {
    let migrate = project
        .wsdb(&["migrate", "--all", "--format", "json"])
        .run()
        .await;
    migrate.expect_code(1);
    json_schema::assert_document(&migrate.stdout, "migrate --all");
    assert_eq!(
        by_group(&migrate),
        expected(&[
            ("current", "up_to_date"),
            ("drifted", "refused"),
            ("fresh", "applied"),
            ("locked", "locked"),
            ("partly", "applied"),
            ("unreachable", "unreachable"),
        ])
    );
    // Locked workspaces' versions are unknown: not counted, nothing pending.
    assert_eq!(versions(&migrate), BTreeMap::from([("3".to_owned(), 42)]));
    let document = migrate.json();
    let totals = &document["totals"];
    assert_eq!(
        (
            totals["workspaces"].as_u64(),
            totals["succeeded"].as_u64(),
            totals["failed"].as_u64()
        ),
        (Some(50), Some(38), Some(12)),
        "{migrate}"
    );
    for line in document["workspaces"].as_array().expect("workspaces") {
        let id = line["workspace"].as_str().unwrap_or_default();
        let applied: Vec<u64> = line["steps"]
            .as_array()
            .expect("steps")
            .iter()
            .filter_map(|s| s["version"].as_u64())
            .collect();
        if group(id) == "locked" {
            assert_eq!(line["pending"], serde_json::json!([]), "{line}");
            assert!(line["lock_holder"].is_string(), "{line}");
        }
        let want: &[u64] = match group(id) {
            "fresh" => &[1, 2, 3],
            "partly" => &[2, 3],
            _ => &[],
        };
        assert_eq!(applied, want, "steps of `{id}`: {line}");
    }

    // The databases agree: the locked and drifted ones were not touched.
    assert_eq!(
        project.history("fresh-000").await,
        vec![(1, true), (2, true), (3, true)]
    );
    assert_eq!(project.history("locked-002").await, vec![(1, true)]);
    assert!(!project.table_exists("locked-002", "dbo.t2").await);
    let zeros = "0".repeat(64);
    let drifted = project
        .scalar_i64(
            "drifted-001",
            &format!("SELECT COUNT(*) FROM dbo.wsdb_history WHERE checksum = '{zeros}'"),
        )
        .await;
    assert_eq!(drifted, Some(1), "the drifted row is left for a human");

    // And status now shows the new histogram.
    let after = project
        .wsdb(&["status", "--all", "--format", "json"])
        .run()
        .await;
    after.expect_code(1);
    assert_eq!(
        versions(&after),
        BTreeMap::from([("1".to_owned(), 3), ("3".to_owned(), 42)])
    );
}
