//! Reuse, health checks and clean returns.

use std::time::Duration;

use tds_test_server::Scope;
use wsdb::config::PoolSettings;
use wsdb::engine::mssql::MssqlEngine;
use wsdb::engine::{Engine, LockOutcome, NewHistoryRow, Session};
use wsdb::migrate::{Checksum, Version};

use super::{pool_settings, pools};
use crate::support::workspace_server::WorkspaceServer;

#[tokio::test]
async fn sequential_acquisitions_of_one_workspace_cost_one_login() {
    let server = WorkspaceServer::start().await;
    let database = server.create_database("seq").await;
    let workspace = server.workspace("acme", &database);
    let pools = pools(&server, pool_settings());
    for _ in 0..25 {
        let mut session = pools.acquire(&workspace).await.unwrap();
        session.read_history().await.unwrap();
        session.release().await;
    }
    let stats = pools.stats();
    assert_eq!(
        (stats.connects, stats.misses, stats.hits),
        (1, 1, 24),
        "{stats:?}"
    );
    assert_eq!(server.settle(&database, 1).await, 1);
    if let Some(test_server) = server.test_server() {
        assert_eq!(test_server.stats().database(&database).logins, 1);
    }
}

#[tokio::test]
async fn a_connection_the_server_cut_is_replaced_before_the_caller_sees_it() {
    let server = WorkspaceServer::start().await;
    let Some(test_server) = server.faults_or_skip("a_connection_the_server_cut_is_replaced") else {
        return;
    };
    let database = server.create_database("cut").await;
    let workspace = server.workspace("acme", &database);
    let pools = pools(
        &server,
        PoolSettings {
            health_check_after: Duration::ZERO,
            ..pool_settings()
        },
    );
    pools.acquire(&workspace).await.unwrap().release().await;

    // The next statement on this database (the health check) is cut.
    test_server
        .faults()
        .cut_after_statements(Scope::database(&database), 0);
    let mut session = pools.acquire(&workspace).await.unwrap();
    assert_eq!(session.read_history().await.unwrap(), None);
    assert!(!session.is_broken());
    session.release().await;

    let stats = pools.stats();
    assert_eq!(stats.health_check_failures, 1, "{stats:?}");
    assert_eq!((stats.connects, stats.reconnects), (2, 1), "{stats:?}");
    assert_eq!(server.settle(&database, 1).await, 1);
    assert_eq!(test_server.stats().database(&database).logins, 2);
}

fn history_row() -> NewHistoryRow {
    NewHistoryRow {
        version: Version::new(1).expect("a positive version"),
        name: "base".into(),
        checksum: Checksum::of_file_bytes(b"base"),
        duration_ms: 5,
        applied_by: "test".into(),
        wsdb_version: "0".into(),
        success: true,
    }
}

#[tokio::test]
async fn a_connection_returned_inside_a_transaction_comes_back_rolled_back() {
    let server = WorkspaceServer::start().await;
    let database = server.create_database("dirtytx").await;
    let workspace = server.workspace("acme", &database);
    let pools = pools(&server, pool_settings());

    let mut session = pools.acquire(&workspace).await.unwrap();
    session.create_history_table().await.unwrap();
    session.begin().await.unwrap();
    session.insert_history(&history_row()).await.unwrap();
    session.release().await; // no commit

    let mut session = pools.acquire(&workspace).await.unwrap();
    assert_eq!(pools.stats().connects, 1, "the same connection, reused");
    assert_eq!(session.read_history().await.unwrap(), Some(vec![]));
    // A fresh transaction starts at @@TRANCOUNT = 0 and commits for real.
    session.begin().await.unwrap();
    session.insert_history(&history_row()).await.unwrap();
    session.commit().await.unwrap();
    session.release().await;

    let engine = MssqlEngine::new(server.mssql_settings());
    let mut other = engine
        .connect(&engine.resolve(&workspace).unwrap())
        .await
        .unwrap();
    assert_eq!(other.read_history().await.unwrap().unwrap().len(), 1);
    other.close().await;
}

#[tokio::test]
async fn a_connection_returned_holding_the_lock_comes_back_without_it() {
    let server = WorkspaceServer::start().await;
    let database = server.create_database("dirtylock").await;
    let workspace = server.workspace("acme", &database);
    let pools = pools(&server, pool_settings());
    let engine = MssqlEngine::new(server.mssql_settings());
    let target = engine.resolve(&workspace).unwrap();

    let mut session = pools.acquire(&workspace).await.unwrap();
    assert_eq!(
        session.acquire_lock(Duration::from_secs(5)).await.unwrap(),
        LockOutcome::Acquired
    );
    session.release().await;
    assert_eq!(server.settle(&database, 1).await, 1, "kept in the pool");

    let mut other = engine.connect(&target).await.unwrap();
    assert_eq!(
        other.acquire_lock(Duration::from_secs(1)).await.unwrap(),
        LockOutcome::Acquired
    );
    other.close().await;

    // Dropped without release: closed in the background, lock freed.
    let mut session = pools.acquire(&workspace).await.unwrap();
    assert_eq!(
        session.acquire_lock(Duration::from_secs(5)).await.unwrap(),
        LockOutcome::Acquired
    );
    drop(session);
    assert_eq!(server.settle(&database, 0).await, 0);
    let mut other = engine.connect(&target).await.unwrap();
    assert_eq!(
        other.acquire_lock(Duration::from_secs(5)).await.unwrap(),
        LockOutcome::Acquired
    );
    other.close().await;
}

#[tokio::test]
async fn a_connection_that_ran_migration_batches_is_closed_not_pooled() {
    let server = WorkspaceServer::start().await;
    let database = server.create_database("tainted").await;
    let workspace = server.workspace("acme", &database);
    let pools = pools(&server, pool_settings());

    let mut session = pools.acquire(&workspace).await.unwrap();
    session
        .run_batch(
            "SET ANSI_NULLS OFF; CREATE TABLE dbo.t (id INT NULL);",
            Duration::from_secs(30),
        )
        .await
        .unwrap();
    session.release().await;
    assert_eq!(server.settle(&database, 0).await, 0);
    assert_eq!(pools.stats().live_connections, 0);

    pools.acquire(&workspace).await.unwrap().release().await;
    assert_eq!(pools.stats().misses, 2);
}

#[tokio::test]
async fn a_connection_that_only_answered_reads_goes_back_without_a_reset() {
    let server = WorkspaceServer::start().await;
    let database = server.create_database("reads").await;
    let workspace = server.workspace("acme", &database);
    let pools = pools(&server, pool_settings());
    let batches = || {
        server
            .test_server()
            .map(|test_server| test_server.stats().database(&database).batches)
    };

    // Connect (one state check), a status read, a return: two batches.
    let mut session = pools.acquire(&workspace).await.unwrap();
    session.status_snapshot().await.unwrap();
    session.release().await;
    let after_reads = batches();

    // A transaction makes the next return reset the session.
    let mut session = pools.acquire(&workspace).await.unwrap();
    session.begin().await.unwrap();
    session.release().await;
    let after_write = batches();

    let mut session = pools.acquire(&workspace).await.unwrap();
    assert_eq!(pools.stats().connects, 1, "one connection throughout");
    assert_eq!(session.read_history().await.unwrap(), None);
    session.release().await;

    if let (Some(reads), Some(write)) = (after_reads, after_write) {
        assert_eq!(reads, 2, "no reset after read-only work");
        assert_eq!(write, reads + 2, "BEGIN, then the reset");
    }
}
