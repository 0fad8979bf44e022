//! Every fault kind, for the whole server and for one database.

use std::time::Duration;

use crate::support::*;
use tds_test_server::Scope;

#[tokio::test]
async fn refused_connections() {
    let server = start(&["a", "b"]).await;
    server.faults().refuse_connections(Scope::Server, 1);
    let err = connect_with(config(&server, Some("a")))
        .await
        .expect_err("refused");
    assert_eq!(server_code(&err), None, "{err}");
    connect(&server, "a").await;

    // Per database: closed after LOGIN7, other databases unaffected.
    server.faults().refuse_connections(Scope::database("b"), 2);
    connect(&server, "a").await;
    for _ in 0..2 {
        assert!(connect_with(config(&server, Some("b"))).await.is_err());
    }
    connect(&server, "b").await;
}

#[tokio::test]
async fn failed_logins() {
    let server = start(&["a", "b"]).await;
    server.faults().fail_logins(Scope::database("a"), 2);
    for _ in 0..2 {
        let err = connect_with(config(&server, Some("a")))
            .await
            .expect_err("fails");
        assert_eq!(server_code(&err), Some(18456), "{err}");
    }
    connect(&server, "b").await;
    connect(&server, "a").await;
    assert_eq!(server.stats().failed_logins, 2);
}

#[tokio::test(start_paused = true)]
async fn latency_on_every_response() {
    let server = start(&["a", "b"]).await;
    server
        .faults()
        .latency(Scope::database("a"), Duration::from_secs(3));
    // Paused clock: elapsed time is exactly the injected sleeps, not wall time.
    let started = tokio::time::Instant::now();
    let mut slow = connect(&server, "a").await;
    assert_eq!(scalar_i32(&mut slow, "SELECT 1").await.unwrap(), Some(1));
    assert!(
        started.elapsed() >= Duration::from_secs(6),
        "{:?}",
        started.elapsed()
    );
    let started = tokio::time::Instant::now();
    let mut fast = connect(&server, "b").await;
    assert_eq!(scalar_i32(&mut fast, "SELECT 1").await.unwrap(), Some(1));
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn cut_after_n_statements() {
    let server = start(&["a"]).await;
    let mut client = connect(&server, "a").await;
    batch(&mut client, "CREATE TABLE dbo.t (id INT)")
        .await
        .unwrap();
    server
        .faults()
        .cut_after_statements(Scope::database("a"), 2);
    let err = batch(
        &mut client,
        "INSERT INTO dbo.t (id) VALUES (1); INSERT INTO dbo.t (id) VALUES (2); INSERT INTO dbo.t (id) VALUES (3);",
    )
    .await
    .unwrap_err();
    assert_eq!(server_code(&err), None, "{err}");
    server.wait_for_stats(|s| s.live_connections == 0).await;
    // Statements before the cut ran (autocommit); the third never did.
    let mut again = connect(&server, "a").await;
    assert_eq!(
        scalar_i32(&mut again, "SELECT COUNT(*) FROM dbo.t")
            .await
            .unwrap(),
        Some(2)
    );
}

#[tokio::test]
async fn cut_in_the_middle_of_a_batch_rolls_back_its_transaction() {
    let server = start(&["a"]).await;
    let mut client = connect(&server, "a").await;
    batch(&mut client, "CREATE TABLE dbo.t (id INT)")
        .await
        .unwrap();
    server
        .faults()
        .cut_mid_batch(Scope::Server, r"values \(2\)")
        .unwrap();
    let err = batch(
        &mut client,
        "BEGIN TRANSACTION; INSERT INTO dbo.t (id) VALUES (1); INSERT INTO dbo.t (id) VALUES (2); COMMIT;",
    )
    .await
    .unwrap_err();
    assert_eq!(server_code(&err), None, "{err}");
    server.wait_for_stats(|s| s.live_connections == 0).await;
    let mut again = connect(&server, "a").await;
    assert_eq!(
        scalar_i32(&mut again, "SELECT COUNT(*) FROM dbo.t")
            .await
            .unwrap(),
        Some(0)
    );
}

#[tokio::test]
async fn statements_matching_a_pattern_fail_with_the_chosen_error() {
    let server = start(&["a", "b"]).await;
    server
        .faults()
        .fail_statements(Scope::database("a"), r"^select 2", 1205)
        .unwrap();
    let mut a = connect(&server, "a").await;
    let err = batch(&mut a, "SELECT 2").await.unwrap_err();
    match &err {
        tiberius::error::Error::Server(token) => {
            assert_eq!((token.code(), token.class()), (1205, 13));
            assert!(
                token.message().contains("deadlock victim"),
                "{}",
                token.message()
            );
        }
        other => panic!("expected error 1205, got {other}"),
    }
    assert_eq!(scalar_i32(&mut a, "SELECT 3").await.unwrap(), Some(3));
    let mut b = connect(&server, "b").await;
    assert_eq!(scalar_i32(&mut b, "SELECT 2").await.unwrap(), Some(2));
    server.faults().clear();
    assert_eq!(scalar_i32(&mut a, "SELECT 2").await.unwrap(), Some(2));
}
