//! The cache bound and the idle reaper, checked with the server's count.

use std::time::Duration;

use wsdb::config::PoolSettings;

use super::{pool_settings, pools};
use crate::support::workspace_server::WorkspaceServer;

#[tokio::test]
async fn the_least_recently_used_pool_is_evicted_and_its_connections_closed() {
    let server = WorkspaceServer::start().await;
    let mut databases = Vec::new();
    for prefix in ["lru_a", "lru_b", "lru_c"] {
        databases.push(server.create_database(prefix).await);
    }
    let [a, b, c] = [0, 1, 2].map(|i| server.workspace(&format!("w{i}"), &databases[i]));
    let pools = pools(
        &server,
        PoolSettings {
            max_cached_workspaces: 2,
            ..pool_settings()
        },
    );
    for workspace in [&a, &b, &a, &c] {
        pools.acquire(workspace).await.unwrap().release().await;
    }
    assert_eq!(
        server.settle(&databases[1], 0).await,
        0,
        "b was least recently used"
    );
    assert_eq!(server.settle(&databases[0], 1).await, 1);
    assert_eq!(server.settle(&databases[2], 1).await, 1);
    let stats = pools.stats();
    assert_eq!(
        (
            stats.evictions,
            stats.cached_workspaces,
            stats.live_connections
        ),
        (1, 2, 2)
    );
}

/// On tokio's paused clock: the pools are set up in real time (network
/// I/O), then the clock is paused and moved past `idle_timeout`.
#[tokio::test]
async fn the_reaper_closes_pools_idle_past_idle_timeout_but_not_busy_ones() {
    let server = WorkspaceServer::start().await;
    let idle = server.create_database("idle").await;
    let busy = server.create_database("busy").await;
    let idle_timeout = Duration::from_secs(60);
    let pools = pools(
        &server,
        PoolSettings {
            idle_timeout,
            ..pool_settings()
        },
    );
    pools
        .acquire(&server.workspace("idle", &idle))
        .await
        .unwrap()
        .release()
        .await;
    let held = pools
        .acquire(&server.workspace("busy", &busy))
        .await
        .unwrap();
    assert_eq!(server.settle(&idle, 1).await, 1);

    tokio::time::pause();
    tokio::time::advance(idle_timeout + Duration::from_secs(30)).await;
    assert_eq!(
        server.settle(&idle, 0).await,
        0,
        "the reaper closed the idle pool"
    );
    assert!(pools.health(&"idle".into()).await.is_none());
    assert!(
        pools.health(&"busy".into()).await.is_some(),
        "a pool with a session out stays"
    );
    assert_eq!(server.live_connections(&busy).await, 1);

    held.release().await;
    tokio::time::advance(idle_timeout + Duration::from_secs(30)).await;
    assert_eq!(server.settle(&busy, 0).await, 0);
    // The reaper evicts a pool before closing its connections, so once the
    // server saw the close, the cache no longer holds the pool.
    let stats = pools.stats();
    assert_eq!(
        (stats.cached_workspaces, stats.evictions),
        (0, 2),
        "{stats:?}"
    );
}
