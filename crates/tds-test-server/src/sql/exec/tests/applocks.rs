//! Application locks between sessions: blocking, timeouts, release on
//! session end and transaction end, deadlocks, and cancellation.

use std::time::Duration;

use crate::sql::testkit::{Replies, info, ok, session, text};
use crate::sql::{Catalog, EnvChange, Param, Reply, Session, Value};

const GET: &str = "DECLARE @r INT; EXEC @r = sp_getapplock @Resource = @P1, @LockMode = 'Exclusive', @LockOwner = 'Session', @LockTimeout = @P2; SELECT @r";

fn params(resource: &str, timeout: i32) -> Vec<Param> {
    vec![
        Param {
            name: "@P1".into(),
            value: text(resource),
        },
        Param {
            name: "@P2".into(),
            value: Value::Int(timeout),
        },
    ]
}

async fn get(s: &mut Session, resource: &str, timeout: i32) -> Value {
    s.execute(GET, &params(resource, timeout)).await.scalar()
}

fn second(catalog: &Catalog, spid: u16) -> Session {
    catalog.open_session(info(spid, "app")).unwrap()
}

async fn wait_rows(s: &mut Session) -> Vec<Vec<Value>> {
    ok(
        s,
        "SELECT request_session_id, request_status FROM sys.dm_tran_locks ORDER BY request_status",
    )
    .await
    .rows()
}

#[tokio::test]
async fn a_waiter_is_granted_when_the_holder_releases() {
    let (catalog, mut holder) = session();
    assert_eq!(get(&mut holder, "wsdb", 0).await, Value::Int(0));
    let mut waiter = second(&catalog, 52);
    let task = tokio::spawn(async move {
        let code = get(&mut waiter, "wsdb", -1).await;
        (waiter, code)
    });
    let mut observer = second(&catalog, 53);
    while wait_rows(&mut observer).await.len() < 2 {
        tokio::task::yield_now().await;
    }
    assert_eq!(
        wait_rows(&mut observer).await,
        vec![
            vec![Value::Int(51), text("GRANT")],
            vec![Value::Int(52), text("WAIT")]
        ]
    );
    ok(&mut holder, "EXEC sp_releaseapplock 'wsdb', 'Session'").await;
    let (_waiter, code) = task.await.unwrap();
    assert_eq!(code, Value::Int(1), "granted after waiting");
}

#[tokio::test]
async fn the_lock_dies_with_its_session() {
    let (catalog, mut holder) = session();
    assert_eq!(get(&mut holder, "wsdb", 0).await, Value::Int(0));
    let mut other = second(&catalog, 52);
    assert_eq!(get(&mut other, "wsdb", 0).await, Value::Int(-1));
    let task = tokio::spawn(async move {
        let code = get(&mut other, "wsdb", -1).await;
        (other, code)
    });
    tokio::task::yield_now().await;
    drop(holder);
    let (_other, code) = task.await.unwrap();
    assert_eq!(code, Value::Int(1));
}

#[tokio::test(start_paused = true)]
async fn a_timed_out_request_returns_minus_one() {
    let (catalog, mut holder) = session();
    get(&mut holder, "r", 0).await;
    let mut other = second(&catalog, 52);
    let start = tokio::time::Instant::now();
    assert_eq!(get(&mut other, "r", 1500).await, Value::Int(-1));
    assert_eq!(start.elapsed(), Duration::from_millis(1500));
    assert_eq!(
        wait_rows(&mut other).await.len(),
        1,
        "the waiter left the queue"
    );
}

#[tokio::test]
async fn locks_are_reentrant_and_per_database() {
    let (catalog, mut s) = session();
    assert_eq!(get(&mut s, "r", 0).await, Value::Int(0));
    assert_eq!(get(&mut s, "r", 0).await, Value::Int(0));
    let r = ok(
        &mut s,
        "SELECT APPLOCK_MODE('public', 'r', 'Session'), APPLOCK_MODE('public', 'r', 'Transaction')",
    )
    .await;
    assert_eq!(r.rows(), vec![vec![text("Exclusive"), text("NoLock")]]);
    ok(
        &mut s,
        "EXEC sp_releaseapplock @Resource = 'r', @LockOwner = 'Session'",
    )
    .await;
    let mut other = second(&catalog, 52);
    assert_eq!(
        get(&mut other, "r", 0).await,
        Value::Int(-1),
        "released once of twice"
    );
    catalog.create_database("other").unwrap();
    let mut elsewhere = catalog.open_session(info(53, "other")).unwrap();
    assert_eq!(
        get(&mut elsewhere, "r", 0).await,
        Value::Int(0),
        "another database, another lock"
    );
}

#[tokio::test]
async fn transaction_owned_locks_end_with_the_transaction() {
    let (catalog, mut s) = session();
    let r = ok(
        &mut s,
        "DECLARE @r INT; EXEC @r = sp_getapplock 'job', 'Exclusive'; SELECT @r",
    )
    .await;
    assert_eq!(
        r.scalar(),
        Value::Int(-999),
        "the default owner needs a transaction"
    );
    let r = ok(&mut s, "BEGIN TRAN; DECLARE @r INT; EXEC @r = sp_getapplock @Resource = 'job', @LockMode = 'Exclusive'; SELECT @r").await;
    assert_eq!(r.scalar(), Value::Int(0));
    let mut other = second(&catalog, 52);
    assert_eq!(get(&mut other, "job", 0).await, Value::Int(-1));
    ok(&mut s, "COMMIT").await;
    assert_eq!(get(&mut other, "job", 0).await, Value::Int(0));
}

#[tokio::test]
async fn bad_arguments_return_minus_999() {
    let (_catalog, mut s) = session();
    let cases = [
        (
            "EXEC @r = sp_getapplock @Resource = 'x', @LockMode = 'Sideways', @LockOwner = 'Session'",
            -999,
        ),
        (
            "EXEC @r = sp_getapplock @Resource = 'x', @LockMode = 'Exclusive', @LockOwner = 'Nobody'",
            -999,
        ),
        (
            "EXEC @r = sp_getapplock @LockMode = 'Exclusive', @LockOwner = 'Session'",
            -999,
        ),
        (
            "EXEC @r = sp_getapplock 'x', 'Exclusive', 'Session', -5",
            -999,
        ),
    ];
    for (call, code) in cases {
        let r = ok(&mut s, &format!("DECLARE @r INT; {call}; SELECT @r")).await;
        assert_eq!(r.scalar(), Value::Int(code), "{call}");
    }
}

#[tokio::test]
async fn a_cycle_of_waits_picks_a_deadlock_victim() {
    let (catalog, mut a) = session();
    let mut b = second(&catalog, 52);
    get(&mut a, "one", 0).await;
    get(&mut b, "two", 0).await;
    let task = tokio::spawn(async move {
        let code = get(&mut a, "two", -1).await;
        (a, code)
    });
    let mut observer = second(&catalog, 53);
    while wait_rows(&mut observer).await.len() < 3 {
        tokio::task::yield_now().await;
    }
    assert_eq!(get(&mut b, "one", -1).await, Value::Int(-3));
    drop(b);
    let (_a, code) = task.await.unwrap();
    assert_eq!(code, Value::Int(1));
}

#[tokio::test(start_paused = true)]
async fn cancelling_a_wait_leaves_the_queue_and_transaction_sane() {
    let (catalog, mut holder) = session();
    ok(&mut holder, "CREATE TABLE t (id INT)").await;
    get(&mut holder, "wsdb", 0).await;
    let mut waiter = second(&catalog, 52);
    ok(
        &mut waiter,
        "SET XACT_ABORT ON; BEGIN TRAN; INSERT INTO t VALUES (1)",
    )
    .await;
    let forever = params("wsdb", -1);
    let wait = waiter.execute(GET, &forever);
    assert!(
        tokio::time::timeout(Duration::from_secs(5), wait)
            .await
            .is_err(),
        "still waiting when cancelled"
    );
    assert_eq!(
        waiter.attention(),
        vec![Reply::EnvChange(EnvChange::RollbackTransaction)]
    );
    assert!(!waiter.in_transaction());
    assert_eq!(
        wait_rows(&mut waiter).await,
        vec![vec![Value::Int(51), text("GRANT")]],
        "the request is gone"
    );
    ok(&mut holder, "EXEC sp_releaseapplock 'wsdb', 'Session'").await;
    assert!(
        wait_rows(&mut waiter).await.is_empty(),
        "nobody was handed the lock"
    );
    assert_eq!(get(&mut waiter, "wsdb", 0).await, Value::Int(0));
    let r = ok(
        &mut waiter,
        "INSERT INTO t VALUES (2); SELECT COUNT(*) FROM t",
    )
    .await;
    assert_eq!(
        r.scalar(),
        Value::Int(1),
        "the rolled-back insert is gone, the write permit free"
    );
}
