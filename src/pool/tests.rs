//! Behaviour of [`WorkspacePools`] against the in-memory [`FakeEngine`]:
//! reuse, health checks, LRU eviction, the reaper and the backoff schedule
//! on tokio's paused clock, the per-server cap, dirty returns, and a load
//! test. The same scenarios run over TDS in tests/it/pool.

use std::time::Duration;

use tokio::time::Instant;

use super::fake::FakeEngine;
use super::{PoolError, WorkspacePools, backoff};
use crate::config::{PoolSettings, RetrySettings};
use crate::engine::{EngineError, Session};
use crate::workspace::{Location, Workspace};

fn workspace_on(server: &str, id: &str) -> Workspace {
    Workspace::at(id, server, 1433, format!("db_{id}"))
}

fn workspace(id: &str) -> Workspace {
    workspace_on("s1", id)
}

fn settings() -> PoolSettings {
    PoolSettings {
        max_per_workspace: 2,
        max_cached_workspaces: 16,
        max_per_server: 8,
        idle_timeout: Duration::from_secs(300),
        health_check_after: Duration::from_secs(30),
    }
}

fn retry() -> RetrySettings {
    RetrySettings {
        initial_backoff: Duration::from_millis(200),
        max_backoff: Duration::from_secs(1),
        max_attempts: 5,
        evict_after_failures: 2,
    }
}

fn pools(engine: &FakeEngine, settings: PoolSettings) -> WorkspacePools<FakeEngine> {
    WorkspacePools::new(engine.clone(), settings, retry())
}

/// Lets spawned background closes run (current-thread runtime).
async fn settle(engine: &FakeEngine, expected_live: usize) {
    for _ in 0..100 {
        if engine.live_total() == expected_live {
            return;
        }
        tokio::task::yield_now().await;
    }
    assert_eq!(
        engine.live_total(),
        expected_live,
        "background closes did not finish"
    );
}

#[tokio::test(start_paused = true)]
async fn sequential_acquisitions_cost_one_login() {
    let engine = FakeEngine::default();
    let pools = pools(&engine, settings());
    let mut first_id = None;
    for _ in 0..10 {
        let session = pools.acquire(&workspace("a")).await.unwrap();
        assert_eq!(*first_id.get_or_insert(session.id()), session.id());
        session.release().await;
    }
    let stats = pools.stats();
    assert_eq!((stats.connects, stats.misses, stats.hits), (1, 1, 9));
    assert_eq!((stats.live_connections, engine.live("db_a")), (1, 1));
}

#[tokio::test(start_paused = true)]
async fn a_cut_connection_is_found_by_the_health_check_and_replaced() {
    let engine = FakeEngine::default();
    let pools = pools(&engine, settings());
    let session = pools.acquire(&workspace("a")).await.unwrap();
    let old = session.id();
    session.release().await;

    // Idle for less than health_check_after: reused without a ping.
    tokio::time::advance(Duration::from_secs(10)).await;
    let session = pools.acquire(&workspace("a")).await.unwrap();
    assert_eq!((session.id(), engine.pings()), (old, 0));
    session.release().await;

    engine.cut("db_a");
    tokio::time::advance(Duration::from_secs(31)).await;
    let mut session = pools.acquire(&workspace("a")).await.unwrap();
    assert_ne!(session.id(), old);
    session.ping(Duration::from_secs(1)).await.unwrap();
    session.release().await;
    let stats = pools.stats();
    assert_eq!(stats.health_check_failures, 1);
    assert_eq!(
        (stats.connects, stats.reconnects, stats.live_connections),
        (2, 1, 1)
    );
    assert_eq!(engine.live("db_a"), 1);
}

#[tokio::test(start_paused = true)]
async fn the_least_recently_used_pool_is_evicted_and_closed() {
    let engine = FakeEngine::default();
    let pools = pools(
        &engine,
        PoolSettings {
            max_cached_workspaces: 2,
            ..settings()
        },
    );
    for id in ["a", "b", "a", "c"] {
        pools.acquire(&workspace(id)).await.unwrap().release().await;
    }
    assert_eq!(
        (
            engine.live("db_a"),
            engine.live("db_b"),
            engine.live("db_c")
        ),
        (1, 0, 1)
    );
    assert!(pools.health(&"b".into()).await.is_none());
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

#[tokio::test(start_paused = true)]
async fn the_reaper_closes_idle_pools_but_not_busy_ones() {
    let engine = FakeEngine::default();
    let idle_timeout = Duration::from_secs(60);
    let pools = pools(
        &engine,
        PoolSettings {
            idle_timeout,
            ..settings()
        },
    );
    pools
        .acquire(&workspace("a"))
        .await
        .unwrap()
        .release()
        .await;
    let busy = pools.acquire(&workspace("b")).await.unwrap();

    let period = super::reaper::period(idle_timeout);
    tokio::time::sleep(idle_timeout + 2 * period).await;
    assert_eq!((engine.live("db_a"), engine.live("db_b")), (0, 1));
    assert!(pools.health(&"a".into()).await.is_none());
    assert!(pools.health(&"b".into()).await.is_some());

    busy.release().await;
    tokio::time::sleep(idle_timeout + 2 * period).await;
    let stats = pools.stats();
    assert_eq!(
        (
            stats.live_connections,
            stats.cached_workspaces,
            stats.evictions
        ),
        (0, 0, 2)
    );
    assert_eq!(engine.live_total(), 0);
}

#[tokio::test(start_paused = true)]
async fn refused_connects_follow_the_backoff_schedule_then_evict_and_recover() {
    let engine = FakeEngine::default();
    let pools = pools(&engine, settings());
    let retry = retry();
    engine.refuse("db_a", true);

    let error = pools.acquire(&workspace("a")).await.err().unwrap();
    match &error {
        PoolError::Connect {
            workspace,
            attempts: 5,
            cause: EngineError::Unreachable { .. },
        } => assert_eq!(workspace.as_str(), "a"),
        other => panic!("{other:?}"),
    }
    assert!(error.to_string().contains("workspace `a`"));
    let times = engine.connect_times("db_a");
    assert_eq!(times.len(), 5);
    for (n, pair) in (1..).zip(times.windows(2)) {
        let gap = pair[1] - pair[0];
        let base = backoff::base_delay(&retry, n);
        let upper = (base * 2).min(retry.max_backoff);
        // tokio's timer rounds sleeps up to the next millisecond.
        assert!(
            gap + Duration::from_millis(1) >= base,
            "retry {n}: {gap:?} < {base:?}"
        );
        assert!(
            gap <= upper + Duration::from_millis(2),
            "retry {n}: {gap:?} > {upper:?}"
        );
    }
    let health = pools.health(&"a".into()).await.unwrap();
    assert_eq!(health.consecutive_failures, 1);
    assert!(health.last_error.unwrap().contains("connection refused"));

    // The second failure in a row (evict_after_failures = 2) evicts.
    pools.acquire(&workspace("a")).await.err().unwrap();
    assert!(pools.health(&"a".into()).await.is_none());
    assert_eq!(pools.stats().evictions, 1);
    assert_eq!(pools.stats().connect_failures, 10);

    engine.refuse("db_a", false);
    let session = pools.acquire(&workspace("a")).await.unwrap();
    session.release().await;
    assert!(pools.health(&"a".into()).await.unwrap().is_healthy());
}

#[tokio::test(start_paused = true)]
async fn errors_that_cannot_heal_fail_at_once() {
    let engine = FakeEngine::default();
    let pools = pools(&engine, settings());
    engine.reject_password("db_a");
    engine.drop_database("db_b");
    let started = Instant::now();
    for (id, database) in [("a", "db_a"), ("b", "db_b")] {
        match pools.acquire(&workspace(id)).await {
            Err(PoolError::Connect {
                attempts: 1, cause, ..
            }) => assert!(!cause.is_transient()),
            other => panic!("{id}: {:?}", other.err()),
        }
        assert_eq!(engine.connect_times(database).len(), 1);
    }
    assert_eq!(Instant::now(), started, "no backoff was slept");

    let mut bad = workspace("c");
    bad.location = Location::ConnectionString(crate::config::Secret::new("x".into()));
    assert!(matches!(
        pools.acquire(&bad).await,
        Err(PoolError::InvalidTarget { .. })
    ));
    assert_eq!(engine.connect_times("db_c").len(), 0);
}

#[tokio::test(start_paused = true)]
async fn an_open_transaction_is_rolled_back_before_reuse() {
    let engine = FakeEngine::default();
    let pools = pools(&engine, settings());
    let mut session = pools.acquire(&workspace("a")).await.unwrap();
    session.begin().await.unwrap();
    let id = session.id();
    session.release().await;
    assert_eq!(engine.open_transactions(), 0);
    let session = pools.acquire(&workspace("a")).await.unwrap();
    assert_eq!(session.id(), id);
    assert!(!session.in_transaction());
    session.release().await;
}

#[tokio::test(start_paused = true)]
async fn a_held_app_lock_is_released_before_reuse() {
    let engine = FakeEngine::default();
    let pools = pools(&engine, settings());
    let mut session = pools.acquire(&workspace("a")).await.unwrap();
    session.acquire_lock(Duration::from_secs(1)).await.unwrap();
    let id = session.id();
    session.release().await;
    assert_eq!(engine.lock_holder("db_a"), None);
    let session = pools.acquire(&workspace("a")).await.unwrap();
    assert_eq!(session.id(), id);
    session.release().await;
}

#[tokio::test(start_paused = true)]
async fn tainted_broken_or_dropped_sessions_are_closed_not_pooled() {
    let engine = FakeEngine::default();
    let pools = pools(&engine, settings());

    let mut session = pools.acquire(&workspace("a")).await.unwrap();
    session
        .run_batch("SET LANGUAGE French", Duration::from_secs(1))
        .await
        .unwrap();
    session.release().await;
    assert_eq!(engine.live("db_a"), 0);

    let session = pools.acquire(&workspace("a")).await.unwrap();
    engine.cut("db_a");
    session.release().await; // reset fails: closed
    assert_eq!(engine.live("db_a"), 0);

    let mut session = pools.acquire(&workspace("a")).await.unwrap();
    session.acquire_lock(Duration::from_secs(1)).await.unwrap();
    drop(session);
    settle(&engine, 0).await;
    assert_eq!(engine.lock_holder("db_a"), None);

    let stats = pools.stats();
    assert_eq!(
        (stats.connects, stats.hits, stats.live_connections),
        (3, 0, 0)
    );
}

#[tokio::test(start_paused = true)]
async fn a_full_server_closes_idle_connections_of_other_workspaces() {
    let engine = FakeEngine::default();
    let pools = pools(
        &engine,
        PoolSettings {
            max_per_server: 2,
            ..settings()
        },
    );
    for id in ["a", "b", "c"] {
        pools.acquire(&workspace(id)).await.unwrap().release().await;
    }
    // `a` was idle longest: its connection made room for `c`.
    assert_eq!(
        (
            engine.live("db_a"),
            engine.live("db_b"),
            engine.live("db_c")
        ),
        (0, 1, 1)
    );
    assert_eq!(engine.peak_on_server("s1"), 2);

    // A waiter is served when a busy connection comes back.
    let held_b = pools.acquire(&workspace("b")).await.unwrap();
    let held_c = pools.acquire(&workspace("c")).await.unwrap();
    let waiter = tokio::spawn({
        let pools = pools.clone();
        async move { pools.acquire(&workspace("d")).await.map(|s| s.id()) }
    });
    tokio::task::yield_now().await;
    assert!(!waiter.is_finished());
    held_b.release().await;
    assert!(waiter.await.unwrap().is_ok());
    held_c.release().await;
    assert_eq!(engine.peak_on_server("s1"), 2);
}

#[tokio::test(start_paused = true)]
async fn coordinates_that_change_get_a_new_pool_and_shutdown_closes_all() {
    let engine = FakeEngine::default();
    let pools = pools(&engine, settings());
    pools
        .acquire(&workspace("a"))
        .await
        .unwrap()
        .release()
        .await;
    let mut moved = workspace("a");
    moved.location = Location::Parts {
        host: "s1".into(),
        port: 1433,
        database: "db_a_moved".into(),
    };
    let session = pools.acquire(&moved).await.unwrap();
    assert_eq!(session.database(), "db_a_moved");
    session.release().await;
    assert_eq!((engine.live("db_a"), engine.live("db_a_moved")), (0, 1));

    let busy = pools.acquire(&workspace("b")).await.unwrap();
    pools.shutdown().await;
    assert_eq!(engine.live_total(), 1);
    busy.release().await;
    assert_eq!(engine.live_total(), 0);
    assert!(matches!(
        pools.acquire(&workspace("a")).await,
        Err(PoolError::ShutDown { .. })
    ));
}

/// 64 tasks x 200 acquisitions over 100 workspaces on two servers, a cache
/// of 20: no deadlock (the whole run is bounded), no leak (what stays open
/// fits the cache and the per-server caps, and shutdown closes the rest).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn many_tasks_over_many_workspaces_neither_deadlock_nor_leak() {
    let engine = FakeEngine::default();
    let settings = PoolSettings {
        max_per_workspace: 2,
        max_cached_workspaces: 20,
        max_per_server: 16,
        ..settings()
    };
    let pools = pools(&engine, settings.clone());
    let workspaces: Vec<Workspace> = (0..100)
        .map(|i| workspace_on(if i % 2 == 0 { "s1" } else { "s2" }, &format!("w{i}")))
        .collect();
    let workspaces = std::sync::Arc::new(workspaces);
    let run = async {
        let mut tasks = Vec::new();
        for task in 0..64u64 {
            let pools = pools.clone();
            let workspaces = std::sync::Arc::clone(&workspaces);
            tasks.push(tokio::spawn(async move {
                let mut state = task
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                for round in 0..200u64 {
                    state = state
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    // Mostly a hot set of 15 workspaces, sometimes anyone.
                    let pick = if round % 4 == 0 {
                        (state >> 33) % 100
                    } else {
                        (state >> 33) % 15
                    };
                    let ws = &workspaces[usize::try_from(pick).unwrap()];
                    let mut session = pools.acquire(ws).await.unwrap();
                    if round % 3 == 0 {
                        session.begin().await.unwrap();
                    }
                    tokio::task::yield_now().await;
                    session.release().await;
                }
            }));
        }
        for task in tasks {
            task.await.unwrap();
        }
    };
    tokio::time::timeout(Duration::from_secs(120), run)
        .await
        .expect("64 x 200 acquisitions deadlocked");

    pools.reap().await;
    let stats = pools.stats();
    assert_eq!(stats.hits + stats.misses, 64 * 200);
    let bound = settings.max_cached_workspaces * u64::from(settings.max_per_workspace);
    assert!(stats.live_connections <= bound, "{stats:?}");
    assert_eq!(
        stats.live_connections,
        u64::try_from(engine.live_total()).unwrap()
    );
    for server in ["s1", "s2"] {
        assert!(
            engine.peak_on_server(server) <= 16,
            "{server}: {}",
            engine.peak_on_server(server)
        );
    }
    pools.shutdown().await;
    assert_eq!(
        (engine.live_total(), pools.stats().live_connections),
        (0, 0)
    );
    assert_eq!(engine.live_on_server("s1") + engine.live_on_server("s2"), 0);
}
