//! The workspace app lock (`sp_getapplock`, session owner) between sessions.

use std::time::Duration;

use wsdb::engine::{LockOutcome, LockState, NewHistoryRow, Session};
use wsdb::migrate::{Checksum, Version};

use super::Fixture;
use crate::support::workspace_server::APPLICATION_NAME;

#[tokio::test]
async fn the_lock_excludes_other_sessions_and_names_its_holder() {
    let fx = Fixture::new("lock").await;
    let mut holder = fx.session().await;
    let mut other = fx.session().await;
    assert_eq!(other.lock_state().await.unwrap(), LockState::Free);
    assert_eq!(
        holder.acquire_lock(Duration::from_secs(5)).await.unwrap(),
        LockOutcome::Acquired
    );
    assert_eq!(
        holder.acquire_lock(Duration::from_secs(5)).await.unwrap(),
        LockOutcome::Acquired,
        "idempotent"
    );

    let busy = other
        .acquire_lock(Duration::from_millis(200))
        .await
        .unwrap();
    let LockOutcome::Busy { holder: seen } = busy else {
        panic!("expected the lock to be busy, got {busy:?}");
    };
    let state = other.lock_state().await.unwrap();
    assert!(matches!(state, LockState::Held { .. }), "{state:?}");
    // A real server shows the holder only with VIEW SERVER STATE.
    if fx.server.is_test_server() || seen.is_some() {
        let seen = seen.expect("the test server tells who holds the lock");
        assert_eq!(seen.program.as_deref(), Some(APPLICATION_NAME));
        assert!(seen.session_id.is_some_and(|id| id > 0), "{seen:?}");
        assert!(seen.to_string().contains(APPLICATION_NAME));
    }

    holder.release_lock().await.unwrap();
    holder.release_lock().await.unwrap(); // not held any more: nothing to do
    assert_eq!(other.lock_state().await.unwrap(), LockState::Free);
    assert_eq!(
        other.acquire_lock(Duration::from_secs(5)).await.unwrap(),
        LockOutcome::Acquired
    );
    other.close().await;
    holder.close().await;
}

#[tokio::test]
async fn the_lock_dies_with_its_connection() {
    let fx = Fixture::new("lockdrop").await;
    let mut holder = fx.session().await;
    assert_eq!(
        holder.acquire_lock(Duration::from_secs(5)).await.unwrap(),
        LockOutcome::Acquired
    );
    let mut waiter = fx.session().await;
    let waiting = waiter.acquire_lock(Duration::from_secs(20));
    let release = async {
        tokio::task::yield_now().await;
        holder.close().await;
    };
    let (outcome, ()) = tokio::join!(waiting, release);
    assert_eq!(outcome.unwrap(), LockOutcome::Acquired);
    waiter.close().await;
}

#[tokio::test]
async fn reset_rolls_back_and_releases_the_lock() {
    let fx = Fixture::new("reset").await;
    let mut session = fx.session().await;
    session.create_history_table().await.unwrap();
    assert_eq!(
        session.acquire_lock(Duration::from_secs(5)).await.unwrap(),
        LockOutcome::Acquired
    );
    session.begin().await.unwrap();
    session
        .insert_history(&NewHistoryRow {
            version: Version::new(7).unwrap(),
            name: "uncommitted".into(),
            checksum: Checksum::of_file_bytes(b"x"),
            duration_ms: 1,
            applied_by: "t".into(),
            wsdb_version: "0".into(),
            success: true,
        })
        .await
        .unwrap();
    session.reset().await.unwrap();

    let mut other = fx.session().await;
    assert_eq!(other.lock_state().await.unwrap(), LockState::Free);
    assert_eq!(other.read_history().await.unwrap(), Some(vec![]));
    assert!(session.is_reusable());
    other.close().await;
    session.close().await;
}

#[tokio::test]
async fn a_statement_past_its_timeout_breaks_the_session_and_frees_the_lock() {
    let fx = Fixture::new("timeout").await;
    let mut session = fx.session().await;
    assert_eq!(
        session.acquire_lock(Duration::from_secs(5)).await.unwrap(),
        LockOutcome::Acquired
    );
    let slow = session
        .run_batch("WAITFOR DELAY '00:00:10'", Duration::from_millis(300))
        .await;
    assert!(
        matches!(
            slow,
            Err(wsdb::engine::EngineError::Timeout {
                phase: wsdb::engine::Phase::Statement,
                ..
            })
        ),
        "{slow:?}"
    );
    assert!(session.is_broken());
    assert!(
        session.ping(Duration::from_secs(1)).await.is_err(),
        "a broken session is never used again"
    );
    session.close().await;

    let mut other = fx.session().await;
    assert_eq!(
        other.acquire_lock(Duration::from_secs(15)).await.unwrap(),
        LockOutcome::Acquired
    );
    other.close().await;
}
