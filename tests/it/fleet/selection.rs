//! Which workspaces a fleet command works on, and what it may know without
//! touching them: `--group`, `--shard I/N` (and `--shard-count N` with
//! `JOB_COMPLETION_INDEX`), `--preflight` stopping before any change, and
//! `status --all --cached` / `--refresh` over the ledger's version cache.

use std::collections::BTreeSet;

use super::{drift, table_migrations, with_status};
use crate::support::json_schema;
use crate::support::project::Project;

fn ids_of(run: &crate::support::project::Run) -> BTreeSet<String> {
    run.statuses().into_keys().collect()
}

#[tokio::test]
async fn groups_and_shards_select_from_the_command_line() {
    let mut project = Project::start().await;
    let ids = project.add_workspaces("ws", 12).await;
    for id in &ids[..5] {
        project.set_group(id, "eu").await;
    }
    for id in &ids[5..8] {
        project.set_group(id, "us").await;
    }
    table_migrations(&project, 1).await;

    let eu = project
        .wsdb(&["status", "--group", "eu", "--format", "json"])
        .run()
        .await;
    eu.expect_code(0);
    assert_eq!(ids_of(&eu), ids[..5].iter().cloned().collect(), "{eu}");
    let groups = project
        .wsdb(&[
            "status", "--group", "eu", "--group", "us", "--format", "json",
        ])
        .run()
        .await;
    assert_eq!(
        ids_of(&groups),
        ids[..8].iter().cloned().collect(),
        "{groups}"
    );
    let document = groups.json();
    for line in document["workspaces"].as_array().expect("workspaces") {
        assert!(
            matches!(line["group"].as_str(), Some("eu" | "us")),
            "{line}"
        );
    }

    // An id the control query does not return is a usage error, found
    // before anything runs.
    let unknown = project
        .wsdb(&["migrate", "-w", &ids[0], "-w", "nope"])
        .run()
        .await;
    unknown.expect_code(2);
    unknown.expect_output("workspace `nope` is not in the control database's workspaces query");
    assert!(project.history(&ids[0]).await.is_empty());

    // Three shards cover the fleet exactly once; `--shard-count` with the
    // Kubernetes job index picks the same slice.
    let mut seen = BTreeSet::new();
    let mut total = 0;
    for index in 0..3 {
        let shard = format!("{index}/3");
        let run = project
            .wsdb(&["status", "--all", "--shard", &shard, "--format", "json"])
            .run()
            .await;
        run.expect_code(0);
        let slice = ids_of(&run);
        total += slice.len();
        seen.extend(slice.iter().cloned());
        let indexed = project
            .wsdb(&["status", "--all", "--shard-count", "3", "--format", "json"])
            .env("JOB_COMPLETION_INDEX", &index.to_string())
            .run()
            .await;
        assert_eq!(ids_of(&indexed), slice, "--shard-count 3, index {index}");
    }
    assert_eq!(total, 12, "no workspace in two shards");
    assert_eq!(seen, ids.iter().cloned().collect());

    // A shard of a group migrates only its own workspaces.
    let migrate = project
        .wsdb(&[
            "migrate", "--group", "eu", "--shard", "1/2", "--format", "json",
        ])
        .run()
        .await;
    migrate.expect_code(0);
    let touched = ids_of(&migrate);
    for id in &ids {
        let migrated = !project.history(id).await.is_empty();
        assert_eq!(migrated, touched.contains(id), "`{id}`");
        if migrated {
            assert!(ids[..5].contains(id), "`{id}` is not in group eu");
        }
    }
}

#[tokio::test]
async fn preflight_changes_nothing_when_one_workspace_is_bad() {
    let mut project = Project::start().await;
    let ids = project.add_workspaces("ws", 6).await;
    table_migrations(&project, 2).await;
    project
        .wsdb(&["migrate", "-w", &ids[2], "--to", "1"])
        .run()
        .await
        .expect_code(0);
    drift(&project, &ids[2], 1).await;
    let runs_before = project.control_rows("SELECT id FROM wsdb.runs").await.len();

    let run = project
        .wsdb(&["migrate", "--all", "--preflight", "--format", "json"])
        .run()
        .await;
    run.expect_code(1);
    json_schema::assert_document(&run.stdout, "migrate --preflight");
    let document = run.json();
    assert_eq!(document["command"], "preflight", "{run}");
    assert_eq!(
        with_status(&run.statuses(), "refused"),
        vec![ids[2].clone()],
        "{run}"
    );
    assert!(
        document["warnings"]
            .to_string()
            .contains("no workspace was changed"),
        "{run}"
    );
    for id in ids.iter().filter(|id| *id != &ids[2]) {
        assert!(project.history(id).await.is_empty(), "`{id}` was changed");
    }
    assert_eq!(project.history(&ids[2]).await, vec![(1, true)]);
    assert_eq!(
        project.control_rows("SELECT id FROM wsdb.runs").await.len(),
        runs_before,
        "no run was recorded"
    );

    // A clean fleet passes preflight and migrates.
    project
        .execute(&ids[2], "DROP TABLE dbo.t1; DELETE FROM dbo.wsdb_history;")
        .await;
    let clean = project
        .wsdb(&["migrate", "--all", "--preflight", "--format", "json"])
        .run()
        .await;
    clean.expect_code(0);
    assert_eq!(clean.json()["command"], "migrate", "{clean}");
    assert_eq!(
        with_status(&clean.statuses(), "applied").len(),
        6,
        "{clean}"
    );
}

#[tokio::test]
async fn status_cached_reads_the_ledger_and_refresh_updates_it() {
    let mut project = Project::start().await;
    let ids = project.add_workspaces("ws", 4).await;
    table_migrations(&project, 1).await;
    project
        .wsdb(&["migrate", "-w", &ids[0], "-w", &ids[1]])
        .run()
        .await
        .expect_code(0);

    // A migrate wrote its workspaces to the cache; the others are unknown.
    let logins = || project.server.test_server().map(|s| s.stats().logins);
    let before = logins();
    let cached = project
        .wsdb(&["status", "--all", "--cached", "--format", "json"])
        .run()
        .await;
    json_schema::assert_document(&cached.stdout, "status --cached");
    assert_eq!(logins(), before, "--cached touches no workspace");
    let statuses = cached.statuses();
    assert_eq!(
        with_status(&statuses, "up_to_date"),
        ids[..2].to_vec(),
        "{cached}"
    );
    assert_eq!(
        with_status(&statuses, "not_reached"),
        ids[2..].to_vec(),
        "{cached}"
    );
    cached.expect_code(1);

    project
        .wsdb(&["status", "--all", "--refresh"])
        .run()
        .await
        .expect_code(0);
    // A release adds a migration: the cache shows it pending everywhere,
    // still without touching any workspace.
    project
        .migration(2, "table_2", "CREATE TABLE dbo.t2 (id INT);\n", None)
        .await;
    let before = logins();
    let cached = project
        .wsdb(&["status", "--all", "--cached", "--check", "--format", "json"])
        .run()
        .await;
    cached.expect_code(3);
    assert_eq!(logins(), before, "--cached touches no workspace");
    let document = cached.json();
    let pending: Vec<(String, Vec<u64>)> = document["workspaces"]
        .as_array()
        .expect("workspaces")
        .iter()
        .map(|l| {
            let pending = l["pending"]
                .as_array()
                .expect("pending")
                .iter()
                .filter_map(serde_json::Value::as_u64)
                .collect();
            (
                l["workspace"].as_str().unwrap_or_default().to_owned(),
                pending,
            )
        })
        .collect();
    assert_eq!(
        pending,
        vec![
            (ids[0].clone(), vec![2]),
            (ids[1].clone(), vec![2]),
            (ids[2].clone(), vec![1, 2]),
            (ids[3].clone(), vec![1, 2]),
        ]
    );
    assert_eq!(
        serde_json::to_string(&document["versions"]).unwrap_or_default(),
        r#"{"1":2,"none":2}"#
    );
}
