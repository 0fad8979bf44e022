//! Workspaces spread over several SQL Server hosts: neither `[pool]
//! max_per_server` (open connections to one host) nor `--per-server N`
//! (workspaces in flight on one host) is ever exceeded, counted by each
//! server itself. Needs several servers, so only on the TDS test server.

use std::sync::Arc;

use tds_test_server::TlsMode;

use crate::support::project::Project;
use crate::support::workspace_server::WorkspaceServer;

const SERVERS: usize = 3;
const PER_SERVER: usize = 6;

/// A project whose workspaces live on three test servers (six each, ids
/// interleaved so the selection order alternates between servers), or
/// `None` on a real server.
async fn spread_fleet(test: &str) -> Option<(Project, Vec<Arc<WorkspaceServer>>)> {
    let first = Arc::new(WorkspaceServer::start().await);
    first.faults_or_skip(test)?;
    let mut servers = vec![first.clone()];
    for _ in 1..SERVERS {
        servers.push(Arc::new(
            WorkspaceServer::start_test_server(TlsMode::Off).await,
        ));
    }
    let mut project = Project::new(first).await;
    for i in 0..PER_SERVER {
        for (s, server) in servers.iter().enumerate() {
            project
                .add_workspace_on(server, &format!("ws-{i}-{s}"))
                .await;
        }
    }
    // Each migration holds its connection a moment, so the workspaces of a
    // server really overlap when the caps allow it.
    project.write_migration(
        1,
        "slow",
        "WAITFOR DELAY '00:00:00.200';\nCREATE TABLE dbo.t1 (id INT);\n",
        Some("DROP TABLE dbo.t1;\n"),
    );
    project
        .migration(
            2,
            "slow_too",
            "WAITFOR DELAY '00:00:00.200';\nCREATE TABLE dbo.t2 (id INT);\n",
            Some("DROP TABLE dbo.t2;\n"),
        )
        .await;
    Some((project, servers))
}

/// Each server's peak of open connections since its last reset.
fn peaks(servers: &[Arc<WorkspaceServer>]) -> Vec<usize> {
    servers
        .iter()
        .filter_map(|s| s.test_server())
        .map(|s| s.stats().peak_connections)
        .collect()
}

fn reset_peaks(servers: &[Arc<WorkspaceServer>]) {
    for server in servers.iter().filter_map(|s| s.test_server()) {
        server.reset_peaks();
    }
}

#[tokio::test]
async fn max_per_server_caps_the_connections_each_server_sees() {
    let Some((mut project, servers)) =
        spread_fleet("max_per_server_caps_the_connections_each_server_sees").await
    else {
        return;
    };
    project.set("pool", "max_per_workspace", "1");
    project.set("pool", "max_per_server", "2");
    reset_peaks(&servers);
    let run = project
        .wsdb(&[
            "migrate",
            "--all",
            "--concurrency",
            "12",
            "--format",
            "json",
        ])
        .run()
        .await;
    run.expect_code(0);
    assert_eq!(
        run.statuses().values().filter(|s| *s == "applied").count(),
        SERVERS * PER_SERVER,
        "{run}"
    );
    for (i, peak) in peaks(&servers).into_iter().enumerate() {
        assert!(
            (1..=2).contains(&peak),
            "server {i} saw {peak} connections at once, cap 2"
        );
    }
}

#[tokio::test]
async fn per_server_caps_the_workspaces_in_flight_on_each_server() {
    let Some((project, servers)) =
        spread_fleet("per_server_caps_the_workspaces_in_flight_on_each_server").await
    else {
        return;
    };
    reset_peaks(&servers);
    let run = project
        .wsdb(&[
            "migrate",
            "--all",
            "--concurrency",
            "12",
            "--per-server",
            "2",
            "--format",
            "json",
        ])
        .run()
        .await;
    run.expect_code(0);
    assert_eq!(
        run.statuses().values().filter(|s| *s == "applied").count(),
        SERVERS * PER_SERVER,
        "{run}"
    );
    for (i, peak) in peaks(&servers).into_iter().enumerate() {
        assert!(
            (1..=2).contains(&peak),
            "server {i} saw {peak} connections at once, --per-server 2"
        );
    }
}
