//! `sp_getapplock` between connections: the second waits for the first, and
//! gets the lock when the holder's connection goes away.

use crate::support::*;

const TRY_LOCK: &str = "DECLARE @r INT;
    EXEC @r = sp_getapplock @Resource = N'wsdb', @LockMode = 'Exclusive', @LockOwner = 'Session', @LockTimeout = 0;
    SELECT @r;";

const WAIT_FOR_LOCK: &str = "DECLARE @r INT;
    EXEC @r = sp_getapplock @Resource = N'wsdb', @LockMode = 'Exclusive', @LockOwner = 'Session', @LockTimeout = 600000;
    SELECT @r;";

#[tokio::test]
async fn applock_blocks_until_the_holder_disconnects() {
    let server = start(&["acme"]).await;
    let mut holder = connect(&server, "acme").await;
    let mut waiter = connect(&server, "acme").await;
    assert_eq!(scalar_i32(&mut holder, TRY_LOCK).await.unwrap(), Some(0));
    // Busy: a zero timeout gives up at once with -1.
    assert_eq!(scalar_i32(&mut waiter, TRY_LOCK).await.unwrap(), Some(-1));

    let batches = server.stats().batches;
    let waiting = tokio::spawn(async move { scalar_i32(&mut waiter, WAIT_FOR_LOCK).await });
    // The waiter's batch is running (and blocked) on the server...
    server.wait_for_stats(|s| s.batches > batches).await;
    assert!(!waiting.is_finished());
    // ...until the holder's connection, and with it its session, is gone.
    drop(holder);
    // 1: granted after waiting for the other session's lock.
    assert_eq!(waiting.await.unwrap().unwrap(), Some(1));
}

#[tokio::test]
async fn applock_release_lets_the_next_session_in() {
    let server = start(&["acme"]).await;
    let mut first = connect(&server, "acme").await;
    let mut second = connect(&server, "acme").await;
    assert_eq!(scalar_i32(&mut first, TRY_LOCK).await.unwrap(), Some(0));
    let released = "DECLARE @r INT;
        EXEC @r = sp_releaseapplock @Resource = N'wsdb', @LockOwner = 'Session';
        SELECT @r;";
    assert_eq!(scalar_i32(&mut first, released).await.unwrap(), Some(0));
    assert_eq!(scalar_i32(&mut second, TRY_LOCK).await.unwrap(), Some(0));
}

#[tokio::test]
async fn a_cancelled_wait_gives_up_the_queue_and_keeps_the_session() {
    let server = start(&["acme"]).await;
    let mut holder = connect(&server, "acme").await;
    let mut waiter = connect(&server, "acme").await;
    assert_eq!(scalar_i32(&mut holder, TRY_LOCK).await.unwrap(), Some(0));
    let batches = server.stats().batches;
    {
        let wait = waiter.simple_query(WAIT_FOR_LOCK);
        tokio::pin!(wait);
        tokio::select! {
            result = &mut wait => panic!("the wait finished: {:?}", result.err()),
            () = server.wait_for_stats(|s| s.batches > batches) => {}
        }
    }
    waiter.cancel_query().await.unwrap();
    assert_eq!(scalar_i32(&mut waiter, "SELECT 5").await.unwrap(), Some(5));
    // The holder still has it; once it lets go, the former waiter gets it.
    assert_eq!(scalar_i32(&mut waiter, TRY_LOCK).await.unwrap(), Some(-1));
    drop(holder);
    server.wait_for_stats(|s| s.live_connections == 1).await;
    assert_eq!(scalar_i32(&mut waiter, TRY_LOCK).await.unwrap(), Some(0));
}
