//! Tests of the fake itself: the semantics the executor's tests rely on
//! (buffered transactions, XACT_ABORT-like doom, the shared lock that dies
//! with its connection, statement timeouts, fault injection).

mod session {
    use std::time::Duration;

    use crate::engine::fake::{Call, CallKind, FakeServer};
    use crate::engine::{EngineError, LockOutcome, LockState, NewHistoryRow, Phase, Session};
    use crate::migrate::{Checksum, Version};

    const DB: &str = "ws";

    #[tokio::test]
    async fn a_rolled_back_transaction_leaves_no_trace() {
        let server = FakeServer::with_database(DB);
        let mut session = server.connect(DB).expect("connect");
        session.begin().await.expect("begin");
        session
            .run_batch("CREATE TABLE a", Duration::from_secs(1))
            .await
            .expect("batch");
        session.rollback().await.expect("rollback");
        assert!(server.objects(DB).is_empty());
        session.begin().await.expect("begin");
        session
            .run_batch("CREATE TABLE a", Duration::from_secs(1))
            .await
            .expect("batch");
        assert!(
            server.objects(DB).is_empty(),
            "uncommitted work is invisible"
        );
        session.commit().await.expect("commit");
        assert_eq!(server.objects(DB), vec!["a".to_owned()]);
    }

    #[tokio::test]
    async fn an_error_inside_a_transaction_dooms_it() {
        let server = FakeServer::with_database(DB);
        let mut session = server.connect(DB).expect("connect");
        session.begin().await.expect("begin");
        let err = session
            .run_batch(
                "CREATE TABLE a\nINSERT INTO missing",
                Duration::from_secs(1),
            )
            .await
            .expect_err("missing table");
        assert_eq!(
            err,
            EngineError::Server {
                number: 208,
                state: 1,
                class: 16,
                line: 2,
                message: "Invalid object name 'missing'.".to_owned(),
            }
        );
        assert!(!session.in_transaction());
        assert!(matches!(
            session.commit().await,
            Err(EngineError::Server { number: 3902, .. })
        ));
        assert!(server.objects(DB).is_empty());
    }

    #[tokio::test]
    async fn a_syntax_error_runs_nothing_and_leaves_the_transaction_open() {
        let server = FakeServer::with_database(DB);
        let mut session = server.connect(DB).expect("connect");
        session.begin().await.expect("begin");
        let second = Duration::from_secs(1);
        session
            .run_batch("CREATE TABLE a", second)
            .await
            .expect("batch");
        let err = session
            .run_batch("CREATE TABLE b\nCREAT TABLE c", second)
            .await
            .expect_err("syntax error");
        assert!(
            matches!(
                err,
                EngineError::Server {
                    number: 102,
                    line: 2,
                    ..
                }
            ),
            "{err:?}"
        );
        assert!(session.in_transaction(), "compile errors do not doom it");
        session.commit().await.expect("still open");
        assert_eq!(
            server.objects(DB),
            vec!["a".to_owned()],
            "nothing of the failed batch ran"
        );
    }

    #[tokio::test]
    async fn without_a_transaction_statements_before_an_error_stay() {
        let server = FakeServer::with_database(DB);
        let mut session = server.connect(DB).expect("connect");
        let err = session
            .run_batch("CREATE TABLE a\nFAIL 50000 boom", Duration::from_secs(1))
            .await
            .expect_err("fails");
        assert!(matches!(
            err,
            EngineError::Server {
                number: 50000,
                line: 2,
                ..
            }
        ));
        assert_eq!(server.objects(DB), vec!["a".to_owned()]);
    }

    #[tokio::test]
    async fn the_lock_is_shared_and_dies_with_the_connection() {
        let server = FakeServer::with_database(DB);
        let mut first = server.connect_as(DB, "alice", "box-1").expect("connect");
        let mut second = server.connect(DB).expect("connect");
        let wait = Duration::from_secs(1);
        assert_eq!(first.acquire_lock(wait).await, Ok(LockOutcome::Acquired));
        let holder = first.identity().clone();
        assert_eq!(
            second.acquire_lock(wait).await,
            Ok(LockOutcome::Busy {
                holder: Some(holder.clone())
            })
        );
        assert_eq!(
            second.lock_state().await,
            Ok(LockState::Held {
                holder: Some(holder)
            })
        );
        drop(first);
        assert_eq!(second.lock_state().await, Ok(LockState::Free));
        assert_eq!(second.acquire_lock(wait).await, Ok(LockOutcome::Acquired));
        second.release_lock().await.expect("held");
        assert!(matches!(
            second.release_lock().await,
            Err(EngineError::Server { number: 1223, .. })
        ));
    }

    #[tokio::test(start_paused = true)]
    async fn a_statement_past_its_timeout_breaks_the_session() {
        let server = FakeServer::with_database(DB);
        let mut session = server.connect(DB).expect("connect");
        session.acquire_lock(Duration::ZERO).await.expect("lock");
        session.begin().await.expect("begin");
        let err = session
            .run_batch("CREATE TABLE a\nSLEEP 10s", Duration::from_secs(2))
            .await
            .expect_err("times out");
        assert_eq!(
            err,
            EngineError::Timeout {
                phase: Phase::Statement,
                after: Duration::from_secs(2)
            }
        );
        assert!(session.is_broken() && !session.holds_lock());
        assert_eq!(server.lock_holder(DB), None);
        assert!(server.objects(DB).is_empty());
        assert!(matches!(
            session.ping(Duration::ZERO).await,
            Err(EngineError::ConnectionLost { .. })
        ));
    }

    #[tokio::test]
    async fn injected_faults_fire_once() {
        let server = FakeServer::with_database(DB);
        let mut session = server.connect(DB).expect("connect");
        let fault = EngineError::Protocol {
            message: "injected".to_owned(),
        };
        session.fail_on(CallKind::Ping, fault.clone());
        assert_eq!(session.ping(Duration::ZERO).await, Err(fault));
        assert_eq!(session.ping(Duration::ZERO).await, Ok(()));
        assert_eq!(session.calls(), &[Call::Ping, Call::Ping]);
    }

    #[tokio::test]
    async fn history_rows_need_the_table() {
        let server = FakeServer::with_database(DB);
        let mut session = server.connect(DB).expect("connect");
        assert_eq!(session.read_history().await, Ok(None));
        let row = NewHistoryRow {
            version: Version::new(1).expect("positive"),
            name: "base".to_owned(),
            checksum: Checksum::of_normalized(b"x"),
            duration_ms: 3,
            applied_by: "me".to_owned(),
            wsdb_version: "0.1.0".to_owned(),
            success: true,
        };
        assert!(matches!(
            session.insert_history(&row).await,
            Err(EngineError::Server { number: 208, .. })
        ));
        session.create_history_table().await.expect("create");
        session.insert_history(&row).await.expect("insert");
        assert!(matches!(
            session.insert_history(&row).await,
            Err(EngineError::Server { number: 2627, .. })
        ));
        let rows = server.history(DB).expect("table exists");
        assert_eq!(
            (rows.len(), rows[0].name.as_str(), rows[0].success),
            (1, "base", true)
        );
    }
}

mod engine {
    use crate::engine::fake::FakeEngine;
    use crate::engine::{Engine, EngineError};
    use crate::workspace::Workspace;

    fn workspace(database: &str) -> Workspace {
        Workspace::at("acme", "fake", 1433, database)
    }

    #[tokio::test]
    async fn engine_creates_databases_once_and_connects_to_them() {
        let engine = FakeEngine::default();
        let target = engine.resolve(&workspace("ws_acme")).expect("valid target");
        assert!(matches!(
            engine.connect(&target).await,
            Err(EngineError::UnknownDatabase { .. })
        ));
        assert_eq!(engine.create_database(&target).await, Ok(true));
        assert_eq!(engine.create_database(&target).await, Ok(false));
        let session = engine.connect(&target).await.expect("database exists");
        assert_eq!(crate::engine::Session::database(&session), "ws_acme");
    }

    #[test]
    fn empty_database_names_are_refused() {
        let engine = FakeEngine::default();
        assert!(matches!(
            engine.resolve(&workspace("")),
            Err(EngineError::InvalidTarget {
                key: "database",
                ..
            })
        ));
    }
}
