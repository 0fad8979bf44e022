//! Operation semantics beyond the acceptance list: dry runs, read-only
//! operations, baseline, repair, `--to`, provision, `verify_schema`, and
//! the JSON shape of a report.

use super::*;
use crate::engine::EngineError;
use crate::engine::fake::{CallKind, FakeEngine, FakeTarget};
use crate::migrate::execute::{Outcome, Refusal, provision};
use crate::migrate::plan::PlanError;
use crate::migrate::test_data::{applied, migration, migration_with, set_of, set_with, timeout, v};
use crate::migrate::validate::{SchemaProblem, verify_schema};

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
async fn provision_reports_an_unreachable_server_as_data() {
    let set = set_with(&[1], &[]);
    let engine = FakeEngine::default();
    engine.server.set_down(true);
    let target = FakeTarget {
        database: "ws_new".to_owned(),
    };
    let report = provision(&engine, &target, &set, &options(), |_| {}).await;
    assert!(!report.created);
    assert!(!report.report.session_reusable);
    assert!(
        matches!(
            &report.report.outcome,
            Outcome::Failed {
                error: crate::migrate::execute::ExecuteError::Bookkeeping {
                    action: crate::migrate::execute::Action::CreateDatabase,
                    source: EngineError::Unreachable { .. },
                    ..
                }
            }
        ),
        "{:?}",
        report.report.outcome
    );
    assert!(!engine.server.has_database("ws_new"));
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
