//! The guarded commit of `sql::COMMIT` on a real TDS session (the in-process
//! TDS test server): a migration that leaves a transaction of its own open
//! fails whole, and one that ends wsdb's transaction is reported instead of
//! looking committed. Real SQL Server runs the same cases in the
//! integration tests (`tests/it/workspace/transactions.rs`).

use std::time::Duration;

use tds_test_server::Server;

use super::MssqlEngine;
use crate::config::{Encrypt, MssqlSettings, Secret};
use crate::engine::{Engine, EngineError, NewHistoryRow, Session};
use crate::migrate::{Checksum, Version};
use crate::workspace::Workspace;

const PASSWORD: &str = "commit-tests-Pw1";
const TIMEOUT: Duration = Duration::from_secs(30);

async fn session_on_fresh_database() -> (Server, super::MssqlSession) {
    let server = Server::builder()
        .login("wsdb", PASSWORD)
        .start()
        .await
        .expect("start the test server");
    server.create_database("app").expect("create database");
    let engine = MssqlEngine::new(MssqlSettings {
        user: Some("wsdb".to_owned()),
        password: Some(Secret::new(PASSWORD.to_owned())),
        encrypt: Encrypt::Off,
        ..MssqlSettings::default()
    });
    let workspace = Workspace::at("acme", server.addr().ip().to_string(), server.port(), "app");
    let target = engine.resolve(&workspace).expect("valid target");
    let session = engine.connect(&target).await.expect("connect");
    (server, session)
}

fn row(version: u64) -> NewHistoryRow {
    NewHistoryRow {
        version: Version::new(version).expect("positive"),
        name: format!("m{version}"),
        checksum: Checksum::of_file_bytes(b"x"),
        duration_ms: 1,
        applied_by: "tests".to_owned(),
        wsdb_version: "0".to_owned(),
        success: true,
    }
}

async fn applied(session: &mut super::MssqlSession) -> Vec<u64> {
    let rows = session.read_history().await.expect("read history");
    rows.unwrap_or_default()
        .iter()
        .map(|r| r.version.get())
        .collect()
}

/// Runs `script` as a migration would (begin, batch, history row) and
/// returns what the commit said.
async fn migrate(
    session: &mut super::MssqlSession,
    version: u64,
    script: &str,
) -> Result<(), EngineError> {
    session.begin().await.expect("begin");
    session.run_batch(script, TIMEOUT).await.expect("batch");
    session.insert_history(&row(version)).await.expect("row");
    session.commit().await
}

#[tokio::test]
async fn commit_refuses_a_transaction_the_script_left_open() {
    let (_server, mut session) = session_on_fresh_database().await;
    session.create_history_table().await.expect("history table");
    migrate(&mut session, 1, "CREATE TABLE dbo.kept (id INT);")
        .await
        .expect("a plain migration commits");
    // A balanced inner transaction is harmless: its COMMIT only decrements.
    migrate(
        &mut session,
        2,
        "BEGIN TRAN; CREATE TABLE dbo.b (id INT); COMMIT;",
    )
    .await
    .expect("a balanced inner transaction commits with wsdb's");

    let error = migrate(
        &mut session,
        3,
        "BEGIN TRANSACTION; CREATE TABLE dbo.t (id INT);",
    )
    .await
    .expect_err("an open inner transaction must fail the commit");
    match &error {
        EngineError::Server {
            number: 50000,
            state: 1,
            message,
            ..
        } => assert!(message.contains("left a transaction open"), "{message}"),
        other => panic!("expected wsdb's THROW, found {other:?}"),
    }
    assert!(
        !session.is_broken(),
        "a refused commit keeps the connection"
    );
    session.rollback().await.expect("rollback is safe at 0");
    assert_eq!(
        applied(&mut session).await,
        [1, 2],
        "version 3 rolled back whole"
    );
    session.reset().await.expect("no transaction left");
}

#[tokio::test]
async fn commit_reports_a_script_that_ended_wsdbs_transaction() {
    let (_server, mut session) = session_on_fresh_database().await;
    session.create_history_table().await.expect("history table");
    let error = migrate(&mut session, 1, "CREATE TABLE dbo.t (id INT); COMMIT;")
        .await
        .expect_err("a commit with nothing open must fail");
    match &error {
        EngineError::Server {
            number: 50000,
            state: 2,
            message,
            ..
        } => assert!(message.contains("not applied atomically"), "{message}"),
        other => panic!("expected wsdb's THROW, found {other:?}"),
    }
    // What the message warns about: the row went in outside any transaction.
    assert_eq!(applied(&mut session).await, [1]);
    session.reset().await.expect("no transaction left");
}
