//! Transactions: nesting, rollback of DDL and DML, isolation between
//! sessions through the write permit, LOCK_TIMEOUT, session drop, and
//! ATTENTION.

use crate::sql::testkit::{Replies, info, ok, session};
use crate::sql::{EnvChange, Value};

#[tokio::test]
async fn rollback_undoes_ddl_and_dml() {
    let (_catalog, mut s) = session();
    ok(&mut s, "CREATE TABLE kept (id INT)").await;
    ok(&mut s, "BEGIN TRANSACTION; CREATE TABLE gone (id INT); INSERT INTO gone VALUES (1); INSERT INTO kept VALUES (1); ALTER TABLE kept ADD extra INT NULL; CREATE INDEX ix ON kept (id)").await;
    assert_eq!(
        ok(&mut s, "SELECT COUNT(*) FROM gone").await.scalar(),
        Value::Int(1)
    );
    ok(&mut s, "ROLLBACK").await;
    let r = ok(
        &mut s,
        "SELECT OBJECT_ID('gone'), (SELECT COUNT(*) FROM kept), COL_LENGTH('kept', 'extra')",
    )
    .await;
    assert_eq!(
        r.rows(),
        vec![vec![Value::Null, Value::Int(0), Value::Null]]
    );
    ok(&mut s, "CREATE INDEX ix ON kept (id)").await;
}

#[tokio::test]
async fn nested_transactions_commit_at_the_outermost_level() {
    let (_catalog, mut s) = session();
    let r = ok(&mut s, "BEGIN TRAN; BEGIN TRAN; SELECT @@TRANCOUNT").await;
    assert_eq!(r.env_changes(), [&EnvChange::BeginTransaction]);
    assert_eq!(r.scalar(), Value::Int(2));
    let r = ok(&mut s, "COMMIT; SELECT @@TRANCOUNT").await;
    assert!(r.env_changes().is_empty());
    assert_eq!(r.scalar(), Value::Int(1));
    let r = ok(&mut s, "BEGIN TRAN; ROLLBACK; SELECT @@TRANCOUNT").await;
    assert_eq!(r.env_changes(), [&EnvChange::RollbackTransaction]);
    assert_eq!(r.scalar(), Value::Int(0));
}

#[tokio::test]
async fn a_writer_waits_for_another_sessions_transaction() {
    let (catalog, mut first) = session();
    ok(&mut first, "CREATE TABLE t (id INT)").await;
    ok(&mut first, "BEGIN TRAN; INSERT INTO t VALUES (1)").await;
    let mut second = catalog.open_session(info(52, "app")).unwrap();
    let r = ok(&mut second, "SELECT COUNT(*) FROM t").await;
    assert_eq!(r.scalar(), Value::Int(0), "readers see committed data only");
    let writer = tokio::spawn(async move {
        let r = second
            .execute("INSERT INTO t VALUES (2); SELECT COUNT(*) FROM t", &[])
            .await;
        (second, r)
    });
    for _ in 0..10 {
        tokio::task::yield_now().await;
    }
    assert!(
        !writer.is_finished(),
        "the insert waits for the open transaction"
    );
    ok(&mut first, "COMMIT").await;
    let (_second, r) = writer.await.unwrap();
    assert_eq!(r.scalar(), Value::Int(2));
}

#[tokio::test]
async fn lock_timeout_bounds_the_wait_for_a_writer() {
    let (catalog, mut first) = session();
    ok(
        &mut first,
        "CREATE TABLE t (id INT); BEGIN TRAN; INSERT INTO t VALUES (1)",
    )
    .await;
    let mut second = catalog.open_session(info(52, "app")).unwrap();
    let r = second
        .execute(
            "SET LOCK_TIMEOUT 0; INSERT INTO t VALUES (2); SELECT @@LOCK_TIMEOUT",
            &[],
        )
        .await;
    assert_eq!(r.error_numbers(), [1222]);
    assert_eq!(r.scalar(), Value::Int(0));
}

#[tokio::test]
async fn dropping_a_session_rolls_back_its_transaction() {
    let (catalog, mut first) = session();
    ok(
        &mut first,
        "CREATE TABLE t (id INT); BEGIN TRAN; INSERT INTO t VALUES (1)",
    )
    .await;
    drop(first);
    let mut second = catalog.open_session(info(52, "app")).unwrap();
    let r = ok(
        &mut second,
        "INSERT INTO t VALUES (2); SELECT COUNT(*) FROM t",
    )
    .await;
    assert_eq!(r.scalar(), Value::Int(1));
}

#[tokio::test(start_paused = true)]
async fn attention_rolls_back_only_with_xact_abort_on() {
    let (_catalog, mut s) = session();
    ok(&mut s, "CREATE TABLE t (id INT)").await;
    ok(&mut s, "BEGIN TRAN; INSERT INTO t VALUES (1)").await;
    let cancelled = tokio::time::timeout(
        std::time::Duration::from_millis(10),
        s.execute("WAITFOR DELAY '00:10:00'", &[]),
    )
    .await;
    assert!(cancelled.is_err());
    assert!(
        s.attention().is_empty(),
        "XACT_ABORT OFF keeps the transaction"
    );
    assert!(s.in_transaction());
    ok(&mut s, "SET XACT_ABORT ON").await;
    let cancelled = tokio::time::timeout(
        std::time::Duration::from_millis(10),
        s.execute("WAITFOR DELAY '00:10:00'", &[]),
    )
    .await;
    assert!(cancelled.is_err());
    assert_eq!(
        s.attention(),
        vec![crate::sql::Reply::EnvChange(EnvChange::RollbackTransaction)]
    );
    assert!(!s.in_transaction());
    assert_eq!(
        ok(&mut s, "SELECT COUNT(*) FROM t").await.scalar(),
        Value::Int(0)
    );
}

#[tokio::test(start_paused = true)]
async fn waitfor_delay_waits_on_the_clock() {
    let (_catalog, mut s) = session();
    let start = tokio::time::Instant::now();
    ok(&mut s, "WAITFOR DELAY '00:00:02.500'").await;
    assert_eq!(start.elapsed(), std::time::Duration::from_millis(2500));
    let r = s.execute("WAITFOR DELAY 'soon'", &[]).await;
    assert_eq!(r.error_numbers(), [148]);
}

#[tokio::test]
async fn create_database_is_refused_inside_a_transaction() {
    let (_catalog, mut s) = session();
    let r = s.execute("BEGIN TRAN; CREATE DATABASE x", &[]).await;
    assert_eq!(r.error_numbers(), [226]);
}
