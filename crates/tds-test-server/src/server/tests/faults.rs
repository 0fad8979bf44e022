//! Each fault kind, seen from tiberius.

use std::time::Duration;

use super::*;

#[tokio::test]
async fn refused_connections_then_recovery() {
    let core = start(TlsMode::Off).await;
    core.shared.faults.refuse_connections(Scope::Server, 2);
    for _ in 0..2 {
        let err = connect(config(&core, Some("acme")))
            .await
            .expect_err("refused");
        assert!(server_code(&err).is_none(), "{err}");
    }
    connect(config(&core, Some("acme"))).await.unwrap();
}

#[tokio::test]
async fn refusals_for_one_database_close_before_the_login_answer() {
    let core = start(TlsMode::Off).await;
    core.shared
        .faults
        .refuse_connections(Scope::database("acme"), 1);
    connect(config(&core, Some("other"))).await.unwrap();
    let err = connect(config(&core, Some("acme")))
        .await
        .expect_err("refused");
    assert!(server_code(&err).is_none(), "{err}");
    connect(config(&core, Some("acme"))).await.unwrap();
}

#[tokio::test]
async fn failed_logins_then_recovery() {
    let core = start(TlsMode::Off).await;
    core.shared.faults.fail_logins(Scope::database("acme"), 1);
    let err = connect(config(&core, Some("acme")))
        .await
        .expect_err("failed");
    assert_eq!(server_code(&err), Some(18456));
    connect(config(&core, Some("acme"))).await.unwrap();
}

#[tokio::test]
async fn statements_fail_with_the_chosen_error() {
    let core = start(TlsMode::Off).await;
    core.shared
        .faults
        .fail_statements(Scope::database("acme"), "^select 2$", 1205)
        .unwrap();
    let mut client = connect(config(&core, Some("acme"))).await.unwrap();
    let err = batch(&mut client, "SELECT 1; SELECT 2").await.unwrap_err();
    assert_eq!(server_code(&err), Some(1205));
    assert_eq!(select_int(&mut client, "SELECT 1").await.unwrap(), 1);
}

#[tokio::test]
async fn connections_are_cut_after_n_statements() {
    let core = start(TlsMode::Off).await;
    core.shared.faults.cut_after_statements(Scope::Server, 2);
    let mut client = connect(config(&core, Some("acme"))).await.unwrap();
    assert_eq!(select_int(&mut client, "SELECT 1").await.unwrap(), 1);
    assert_eq!(select_int(&mut client, "SELECT 2").await.unwrap(), 2);
    let err = select_int(&mut client, "SELECT 3").await.unwrap_err();
    assert!(server_code(&err).is_none(), "{err}");
    let mut again = connect(config(&core, Some("acme"))).await.unwrap();
    assert_eq!(select_int(&mut again, "SELECT 4").await.unwrap(), 4);
}

#[tokio::test]
async fn connections_are_cut_in_the_middle_of_a_batch() {
    let core = start(TlsMode::Off).await;
    core.shared
        .faults
        .cut_mid_batch(Scope::Server, "select 2")
        .unwrap();
    let mut client = connect(config(&core, Some("acme"))).await.unwrap();
    let err = batch(&mut client, "SELECT 1; SELECT 2; SELECT 3")
        .await
        .unwrap_err();
    assert!(server_code(&err).is_none(), "{err}");
    core.shared
        .counters
        .wait_until(|s| s.live_connections == 0)
        .await;
}

#[tokio::test(start_paused = true)]
async fn latency_delays_every_response() {
    let core = start(TlsMode::Off).await;
    core.shared
        .faults
        .latency(Scope::database("acme"), Duration::from_secs(2));
    let started = tokio::time::Instant::now();
    let mut client = connect(config(&core, Some("acme"))).await.unwrap();
    select_int(&mut client, "SELECT 1").await.unwrap();
    // Virtual time: the login answer and the batch answer each waited.
    assert!(started.elapsed() >= Duration::from_secs(4));
}
