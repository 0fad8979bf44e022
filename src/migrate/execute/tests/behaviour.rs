//! Executor behaviour beyond the acceptance list: batch repeats, timeouts,
//! the no-transaction rules, cleanup on every path, dry runs, read-only
//! operations, baseline, repair, provision, events and the JSON shape.

use super::*;
use crate::engine::fake::{CallKind, FakeEngine, FakeTarget};
use crate::engine::{EngineError, Phase};
use crate::migrate::execute::{ExecuteError, Outcome, Refusal, provision};
use crate::migrate::plan::{Direction, PlanError};
use crate::migrate::test_data::{
    applied, migration, migration_with, no_transaction, set_of, set_with, timeout, v,
};
use crate::migrate::validate::{SchemaProblem, verify_schema};

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
        batches_run(&session),
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
    assert!(session.calls_of(CallKind::Begin).is_empty());
    assert_eq!(server.history(DB).map(|rows| rows[0].success), Some(true));
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

#[tokio::test]
async fn a_dry_run_takes_no_lock_and_writes_nothing() {
    let set = set_of(vec![
        migration(1, "CREATE TABLE a\nGO\n\nCREATE TABLE b\nGO 2", None),
        migration_with(2, "CREATE TABLE c", timeout(Duration::from_secs(90)), None),
    ]);
    let (server, mut session) = workspace();
    let report = exec(
        &mut session,
        &set,
        Operation::Migrate {
            target: UpTarget::Latest,
            dry_run: true,
        },
    )
    .await;
    let Outcome::DryRun(dry) = &report.outcome else {
        panic!("expected a dry run, found {:?}", report.outcome);
    };
    assert_eq!(session.calls(), &[Call::ReadHistory]);
    assert_eq!(server.history(DB), None);
    assert_eq!((dry.from, dry.to), (None, Some(v(2))));
    let first = &dry.steps[0];
    assert_eq!(
        first.file,
        std::path::PathBuf::from("migrations/0001_m1.up.sql")
    );
    let batches: Vec<_> = first
        .batches
        .iter()
        .map(|b| (b.number, b.line, b.repeat))
        .collect();
    assert_eq!(batches, vec![(1, 1, 1), (2, 3, 2)]);
    assert_eq!(first.timeout, options().statement_timeout);
    assert_eq!(dry.steps[1].timeout, Duration::from_secs(90));
    assert!(report.session_reusable);
}

#[tokio::test]
async fn a_rollback_dry_run_lists_the_down_scripts_and_refuses_like_the_real_one() {
    let set = set_with(&[1, 2], &[1, 2]);
    let (server, mut session) = workspace();
    exec(&mut session, &set, migrate()).await;
    let dry = Operation::Rollback {
        target: DownTarget::Steps(2),
        dry_run: true,
    };
    let report = exec(&mut session, &set, dry).await;
    let Outcome::DryRun(plan) = &report.outcome else {
        panic!("expected a dry run, found {:?}", report.outcome);
    };
    let files: Vec<String> = plan
        .steps
        .iter()
        .map(|s| s.file.display().to_string())
        .collect();
    assert_eq!(
        files,
        vec!["migrations/0002_m2.down.sql", "migrations/0001_m1.down.sql"]
    );
    assert_eq!(server.objects(DB), vec!["t1", "t2"]);

    let too_far = Operation::Rollback {
        target: DownTarget::Steps(3),
        dry_run: true,
    };
    let report = exec(&mut session, &set, too_far).await;
    assert!(matches!(
        report.outcome,
        Outcome::Refused {
            reason: Refusal::Plan {
                error: PlanError::TooManySteps { .. }
            }
        }
    ));
}

#[tokio::test]
async fn read_only_operations_never_create_the_history_table() {
    let set = set_with(&[1, 2], &[]);
    for operation in [Operation::Status, Operation::Verify, Operation::History] {
        let (server, mut session) = workspace();
        let report = exec(&mut session, &set, operation).await;
        assert_eq!(wrote_or_locked(&session), vec![], "{operation:?}");
        assert_eq!(server.history(DB), None, "{operation:?}");
        assert_eq!(
            report.outcome.severity(),
            crate::migrate::execute::Severity::Ok,
            "{operation:?}"
        );
        match report.outcome {
            Outcome::Status(status) | Outcome::Verified(status) => {
                assert!(!status.history_table);
                assert_eq!(status.validation.pending, vec![v(1), v(2)]);
            }
            Outcome::History { table_exists, rows } => assert!(!table_exists && rows.is_empty()),
            other => panic!("{operation:?}: unexpected {other:?}"),
        }
    }
}

#[tokio::test]
async fn baseline_marks_an_existing_database_then_migrate_continues_from_there() {
    let set = set_with(&[1, 2, 3], &[]);
    let (server, mut session) = workspace();
    server.put_object(DB, "t1");
    server.put_object(DB, "t2");
    let report = exec(&mut session, &set, Operation::Baseline { version: v(2) }).await;
    assert_eq!(
        report.outcome,
        Outcome::Baselined {
            version: v(2),
            rows: 2
        }
    );
    assert_eq!(report.after, Some(v(2)));
    let rows = server.history(DB).expect("history");
    assert_eq!(
        rows.iter()
            .map(|r| (r.version.get(), r.applied_by.as_str(), r.duration_ms))
            .collect::<Vec<_>>(),
        vec![(1, "baseline:tester", 0), (2, "baseline:tester", 0)]
    );
    assert_eq!(rows[1].checksum, set.migrations[1].up.checksum);
    assert_released_last(&server, &session);

    let report = exec(&mut session, &set, migrate()).await;
    assert_eq!(
        report
            .steps
            .iter()
            .map(|s| s.version.get())
            .collect::<Vec<_>>(),
        vec![3]
    );

    let again = exec(&mut session, &set, Operation::Baseline { version: v(3) }).await;
    assert_eq!(
        again.outcome,
        Outcome::Refused {
            reason: Refusal::HistoryNotEmpty { rows: 3 }
        }
    );
}

#[tokio::test]
async fn baseline_refuses_a_version_outside_the_set() {
    let set = set_with(&[1, 2], &[]);
    let (server, mut session) = workspace();
    let report = exec(&mut session, &set, Operation::Baseline { version: v(5) }).await;
    assert!(matches!(
        report.outcome,
        Outcome::Refused {
            reason: Refusal::Plan {
                error: PlanError::TargetNotInSet { .. }
            }
        }
    ));
    assert_eq!(server.history(DB).map(|rows| rows.len()), Some(0));
}

#[tokio::test]
async fn repair_leaves_unknown_versions_and_reports_them() {
    let set = set_with(&[1], &[]);
    let (server, mut session) = workspace();
    server.put_history(DB, applied(&set_with(&[1, 7], &[]), &[1, 7]));
    let report = exec(&mut session, &set, Operation::Repair).await;
    let Outcome::Repaired(summary) = &report.outcome else {
        panic!("expected a repair, found {:?}", report.outcome);
    };
    assert_eq!(summary.unknown, vec![v(7)]);
    assert!(summary.deleted_failed.is_empty() && summary.realigned.is_empty());
    assert!(
        session.calls_of(CallKind::Begin).is_empty(),
        "nothing to write"
    );
    assert_eq!(server.history(DB).map(|rows| rows.len()), Some(2));
}

#[tokio::test]
async fn migrate_to_a_version_stops_there() {
    let set = set_with(&[1, 2, 3], &[]);
    let (_server, mut session) = workspace();
    let report = exec(
        &mut session,
        &set,
        Operation::Migrate {
            target: UpTarget::Version(v(2)),
            dry_run: false,
        },
    )
    .await;
    assert_eq!(report.after, Some(v(2)));
    let report = exec(
        &mut session,
        &set,
        Operation::Migrate {
            target: UpTarget::Version(v(1)),
            dry_run: false,
        },
    )
    .await;
    assert!(matches!(
        report.outcome,
        Outcome::Refused {
            reason: Refusal::Plan {
                error: PlanError::TargetBelowCurrent { .. }
            }
        }
    ));
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

#[tokio::test]
async fn provision_creates_the_database_once_then_migrates_it() {
    let set = set_with(&[1, 2], &[]);
    let engine = FakeEngine::default();
    let target = FakeTarget {
        database: "ws_new".to_owned(),
    };
    let first = provision(&engine, &target, &set, &options(), |_| {}).await;
    assert!(first.created);
    assert_eq!(first.report.outcome, Outcome::Applied);
    assert_eq!(engine.server.objects("ws_new"), vec!["t1", "t2"]);
    let second = provision(&engine, &target, &set, &options(), |_| {}).await;
    assert!(!second.created);
    assert_eq!(second.report.outcome, Outcome::UpToDate);
    assert_eq!(engine.server.lock_holder("ws_new"), None);
}

#[tokio::test]
async fn verify_schema_confirms_only_the_exact_version() {
    let set = set_with(&[1, 2], &[]);
    let (server, mut session) = workspace();
    let err = verify_schema(&mut session, &set)
        .await
        .expect_err("never migrated");
    assert!(
        err.to_string().contains("hint: run `wsdb migrate`"),
        "{err}"
    );

    exec(
        &mut session,
        &set,
        Operation::Migrate {
            target: UpTarget::Version(v(1)),
            dry_run: false,
        },
    )
    .await;
    let err = verify_schema(&mut session, &set).await.expect_err("behind");
    assert!(
        matches!(&err, crate::migrate::SchemaError::Mismatch { problems, current: Some(_), .. }
        if problems == &vec![SchemaProblem::Pending(vec![v(2)])]),
        "{err:?}"
    );

    exec(&mut session, &set, migrate()).await;
    let calls = session.calls().len();
    let version = verify_schema(&mut session, &set).await.expect("up to date");
    assert_eq!((version.version, version.migrations), (Some(v(2)), 2));
    assert_eq!(&session.calls()[calls..], &[Call::ReadHistory], "read-only");

    let mut rows = server.history(DB).expect("history");
    rows[0].checksum = crate::migrate::Checksum::of_normalized(b"edited");
    server.put_history(DB, rows);
    let err = verify_schema(&mut session, &set).await.expect_err("drift");
    assert!(
        err.to_string().contains("checksum drift in 1 `m1`"),
        "{err}"
    );
    assert!(err.to_string().contains("hint: run `wsdb verify`"), "{err}");
}

#[tokio::test]
async fn reports_serialize_to_stable_json() {
    let set = set_with(&[1], &[]);
    let (_server, mut session) = workspace();
    session.fail_on(
        CallKind::Commit,
        EngineError::ConnectionLost {
            message: "reset".to_owned(),
        },
    );
    let report = exec(&mut session, &set, migrate()).await;
    let json = serde_json::to_value(&report).expect("serializable");
    assert_eq!(
        json["operation"],
        serde_json::json!({ "command": "migrate", "target": "latest", "dry_run": false })
    );
    assert_eq!(json["outcome"]["outcome"], "failed");
    assert_eq!(json["outcome"]["error"]["kind"], "bookkeeping");
    assert_eq!(json["outcome"]["error"]["action"], "commit");
    assert_eq!(
        json["outcome"]["error"]["message"],
        "committing for migration 1: connection lost: reset"
    );
    assert_eq!(json["session_reusable"], false);
    assert_eq!(json["steps"], serde_json::json!([]));
}
