//! How the executor runs scripts: batch repeats, timeouts, the
//! no-transaction rules, cleanup on every failure path, and the events that
//! bracket each migration.

use super::*;
use crate::engine::fake::CallKind;
use crate::engine::{EngineError, Phase};
use crate::migrate::execute::{ExecuteError, Outcome, Refusal};
use crate::migrate::plan::Direction;
use crate::migrate::test_data::{
    migration, migration_with, no_transaction, set_of, set_with, timeout, v,
};

#[tokio::test]
async fn go_count_repeats_a_batch() {
    let set = set_of(vec![migration(
        1,
        "CREATE TABLE c\nGO\nINSERT INTO c\nGO 3\n",
        None,
    )]);
    let (server, mut session) = workspace();
    let report = exec(&mut session, &set, migrate()).await;
    assert_eq!(report.outcome, Outcome::Applied);
    assert_eq!(server.rows(DB, "c"), Some(3));
    assert_eq!(
        batches_run(&session)
            .iter()
            .map(|sql| sql.trim_end())
            .collect::<Vec<_>>(),
        vec![
            "CREATE TABLE c",
            "INSERT INTO c",
            "INSERT INTO c",
            "INSERT INTO c"
        ]
    );
}

#[tokio::test]
async fn the_timeout_directive_reaches_run_batch() {
    let set = set_of(vec![
        migration(1, "CREATE TABLE a", None),
        migration_with(
            2,
            "CREATE TABLE b",
            timeout(Duration::from_secs(5400)),
            None,
        ),
    ]);
    let (_server, mut session) = workspace();
    exec(&mut session, &set, migrate()).await;
    let timeouts: Vec<Duration> = session
        .calls()
        .iter()
        .filter_map(|c| match c {
            Call::RunBatch { timeout, .. } => Some(*timeout),
            _ => None,
        })
        .collect();
    assert_eq!(
        timeouts,
        vec![options().statement_timeout, Duration::from_secs(5400)]
    );
}

#[tokio::test(start_paused = true)]
async fn a_batch_past_its_timeout_fails_the_migration_and_the_session() {
    let set = set_of(vec![migration_with(
        1,
        "CREATE TABLE a\nGO\nSLEEP 10s",
        timeout(Duration::from_secs(2)),
        None,
    )]);
    let (server, mut session) = workspace();
    let report = exec(&mut session, &set, migrate()).await;
    let Outcome::Failed { error } = &report.outcome else {
        panic!("expected a failure, found {:?}", report.outcome);
    };
    assert!(
        matches!(
            error,
            ExecuteError::BatchInterrupted {
                batch: 2,
                batch_line: 3,
                source: EngineError::Timeout {
                    phase: Phase::Statement,
                    ..
                },
                ..
            }
        ),
        "{error:?}"
    );
    assert!(
        error
            .to_string()
            .contains("\nhint: raise the limit with `-- wsdb:timeout=`")
    );
    assert!(!report.session_reusable, "a timed-out session is broken");
    assert!(server.objects(DB).is_empty());
    assert_eq!(
        server.lock_holder(DB),
        None,
        "the lock died with the connection"
    );
}

#[tokio::test]
async fn a_failed_no_transaction_migration_leaves_a_failed_row_and_blocks_until_repair() {
    let set = set_of(vec![
        migration(1, "CREATE TABLE t1", None),
        migration_with(
            2,
            "CREATE TABLE a\nGO\nFAIL 50000 boom",
            no_transaction(),
            None,
        ),
        migration(3, "CREATE TABLE t3", None),
    ]);
    let (server, mut session) = workspace();

    let report = exec(&mut session, &set, migrate()).await;
    let Outcome::Failed { error } = &report.outcome else {
        panic!("expected a failure, found {:?}", report.outcome);
    };
    assert!(
        matches!(
            error,
            ExecuteError::ScriptFailed {
                number: 50000,
                line: 3,
                transactional: false,
                ..
            }
        ),
        "{error:?}"
    );
    assert!(error.to_string().contains("`wsdb repair`"));
    assert_eq!(
        server.objects(DB),
        vec!["a", "t1"],
        "batch 1 stays: no transaction"
    );
    let rows = server.history(DB).expect("history");
    assert_eq!(
        rows.iter()
            .map(|r| (r.version.get(), r.success))
            .collect::<Vec<_>>(),
        vec![(1, true), (2, false)]
    );
    assert_eq!(rows[1].checksum, set.migrations[1].up.checksum);
    assert_eq!(report.after, Some(v(1)));
    assert_released_last(&server, &session);

    let refused = exec(&mut session, &set, migrate()).await;
    let Outcome::Refused {
        reason: Refusal::Validation { problem },
    } = &refused.outcome
    else {
        panic!("expected a refusal, found {:?}", refused.outcome);
    };
    assert_eq!(problem.failed, vec![v(2)]);

    let repaired = exec(&mut session, &set, Operation::Repair).await;
    let Outcome::Repaired(summary) = &repaired.outcome else {
        panic!("expected a repair, found {:?}", repaired.outcome);
    };
    assert_eq!(summary.deleted_failed, vec![v(2)]);
    assert_eq!(server.history(DB).map(|rows| rows.len()), Some(1));
}

#[tokio::test]
async fn a_successful_no_transaction_migration_runs_outside_a_transaction() {
    let set = set_of(vec![migration_with(
        1,
        "CREATE TABLE a",
        no_transaction(),
        None,
    )]);
    let (server, mut session) = workspace();
    let report = exec(&mut session, &set, migrate()).await;
    assert_eq!(report.outcome, Outcome::Applied);
    // The batch runs outside any transaction; only its history row is
    // written in one, whose guarded commit catches a transaction the
    // script left open.
    let kinds: Vec<CallKind> = session
        .calls()
        .iter()
        .map(|c| c.kind())
        .filter(|k| {
            matches!(
                k,
                CallKind::RunBatch | CallKind::Begin | CallKind::InsertHistory | CallKind::Commit
            )
        })
        .collect();
    assert_eq!(
        kinds,
        [
            CallKind::RunBatch,
            CallKind::Begin,
            CallKind::InsertHistory,
            CallKind::Commit
        ]
    );
    assert_eq!(server.history(DB).map(|rows| rows[0].success), Some(true));
}

#[tokio::test]
async fn a_no_transaction_migration_whose_record_fails_is_marked_failed() {
    let set = set_of(vec![
        migration_with(1, "CREATE TABLE a", no_transaction(), None),
        migration(2, "CREATE TABLE b", None),
    ]);
    let (server, mut session) = workspace();
    // What a guarded commit says when the script left a transaction open.
    session.fail_on(
        CallKind::Commit,
        EngineError::Server {
            number: 50000,
            state: 1,
            class: 16,
            line: 1,
            message: "wsdb: the migration left a transaction open".to_owned(),
        },
    );
    let report = exec(&mut session, &set, migrate()).await;
    let Outcome::Failed { error } = &report.outcome else {
        panic!("expected a failure, found {:?}", report.outcome);
    };
    assert!(
        matches!(error, ExecuteError::Unrecorded { .. }),
        "{error:?}"
    );
    assert!(error.to_string().contains("`wsdb repair`"), "{error}");
    let rows = server.history(DB).expect("history");
    assert_eq!(
        rows.iter()
            .map(|r| (r.version.get(), r.success))
            .collect::<Vec<_>>(),
        vec![(1, false)],
        "marked failed, so the workspace waits for repair"
    );
    assert_eq!(
        server.objects(DB),
        vec!["a"],
        "migration 2 was not attempted"
    );
    assert_eq!(report.after, None);
    assert_released_last(&server, &session);
}

#[tokio::test]
async fn a_failed_no_transaction_down_marks_the_row_failed() {
    let set = set_of(vec![
        migration(1, "CREATE TABLE t1", Some("DROP TABLE t1")),
        migration(2, "CREATE TABLE a", None),
    ]);
    let mut set = set;
    set.migrations[1].down = Some(crate::migrate::test_data::script_with(
        "migrations/0002_m2.down.sql",
        "DROP TABLE a\nGO\nFAIL 3701 gone",
        no_transaction(),
    ));
    let (server, mut session) = workspace();
    exec(&mut session, &set, migrate()).await;
    let report = exec(&mut session, &set, rollback(DownTarget::Steps(2))).await;
    assert!(
        matches!(
            &report.outcome,
            Outcome::Failed {
                error: ExecuteError::ScriptFailed {
                    direction: Direction::Down,
                    ..
                }
            }
        ),
        "{:?}",
        report.outcome
    );
    let rows = server.history(DB).expect("history");
    assert_eq!(
        rows.iter()
            .map(|r| (r.version.get(), r.success))
            .collect::<Vec<_>>(),
        vec![(1, true), (2, false)]
    );
    assert_eq!(server.objects(DB), vec!["t1"], "the first down batch stays");
    assert_released_last(&server, &session);
}

#[tokio::test]
async fn the_lock_is_released_on_every_failure_path() {
    let set = set_with(&[1], &[]);
    let fault = || EngineError::Protocol {
        message: "injected".to_owned(),
    };
    for kind in [
        CallKind::CreateHistoryTable,
        CallKind::ReadHistory,
        CallKind::Begin,
        CallKind::InsertHistory,
        CallKind::Commit,
    ] {
        let (server, mut session) = workspace();
        session.fail_on(kind, fault());
        let report = exec(&mut session, &set, migrate()).await;
        assert!(
            matches!(
                report.outcome,
                Outcome::Failed {
                    error: ExecuteError::Bookkeeping { .. }
                }
            ),
            "{kind:?}: {:?}",
            report.outcome
        );
        assert_released_last(&server, &session);
        assert!(server.objects(DB).is_empty(), "{kind:?}");
        assert!(report.session_reusable, "{kind:?}");
    }
}

#[tokio::test]
async fn a_failed_cleanup_marks_the_session_for_discarding() {
    let set = set_with(&[1], &[]);
    let (server, mut session) = workspace();
    session.fail_on(
        CallKind::ReleaseLock,
        EngineError::ConnectionLost {
            message: "gone".to_owned(),
        },
    );
    let report = exec(&mut session, &set, migrate()).await;
    assert_eq!(report.outcome, Outcome::Applied, "committed work stands");
    assert!(!report.session_reusable);
    assert!(matches!(
        report.cleanup_error,
        Some(EngineError::ConnectionLost { .. })
    ));
    assert_eq!(
        server.lock_holder(DB),
        None,
        "the lock died with the connection"
    );

    let set = set_of(vec![migration(1, "FAIL 1205 deadlock", None)]);
    let (_server, mut session) = workspace();
    session.fail_on(
        CallKind::Rollback,
        EngineError::Protocol {
            message: "injected".to_owned(),
        },
    );
    let report = exec(&mut session, &set, migrate()).await;
    assert!(matches!(
        report.outcome,
        Outcome::Failed {
            error: ExecuteError::ScriptFailed { number: 1205, .. }
        }
    ));
    assert!(!report.session_reusable);
    assert_eq!(
        session.calls_of(CallKind::Rollback).len(),
        2,
        "cleanup retries the rollback"
    );
}

#[tokio::test(start_paused = true)]
async fn events_bracket_each_migration_with_its_duration() {
    let set = set_of(vec![
        migration(1, "SLEEP 3s\nCREATE TABLE a", None),
        migration(2, "FAIL 2714 exists", None),
    ]);
    let (server, mut session) = workspace();
    let (report, events) = exec_with_events(&mut session, &set, migrate()).await;
    assert_eq!(
        events,
        vec![
            ExecEvent::WaitingForLock {
                timeout: options().lock_timeout
            },
            ExecEvent::MigrationStarted {
                version: v(1),
                name: "m1".into(),
                direction: Direction::Up,
                batches: 1
            },
            ExecEvent::MigrationFinished {
                version: v(1),
                name: "m1".into(),
                direction: Direction::Up,
                duration: Duration::from_secs(3),
                success: true
            },
            ExecEvent::MigrationStarted {
                version: v(2),
                name: "m2".into(),
                direction: Direction::Up,
                batches: 1
            },
            ExecEvent::MigrationFinished {
                version: v(2),
                name: "m2".into(),
                direction: Direction::Up,
                duration: Duration::ZERO,
                success: false
            },
        ]
    );
    assert_eq!(report.steps[0].duration, Duration::from_secs(3));
    assert_eq!(
        server.history(DB).map(|rows| rows[0].duration_ms),
        Some(3000)
    );
}

/// SQL Server's XACT_ABORT does not roll back on compile errors: the
/// executor's own rollback is what keeps earlier batches out.
#[tokio::test]
async fn a_syntax_error_still_leaves_no_trace() {
    let set = set_of(vec![migration(
        1,
        "CREATE TABLE a\nGO\nCREATE TABLE b\nCREAT TABLE c",
        None,
    )]);
    let (server, mut session) = workspace();
    let report = exec(&mut session, &set, migrate()).await;
    assert!(
        matches!(
            &report.outcome,
            Outcome::Failed {
                error: ExecuteError::ScriptFailed {
                    number: 102,
                    batch: 2,
                    line: 4,
                    ..
                }
            }
        ),
        "{:?}",
        report.outcome
    );
    assert!(server.objects(DB).is_empty());
    assert_eq!(server.history(DB).map(|rows| rows.len()), Some(0));
    assert_released_last(&server, &session);
}
