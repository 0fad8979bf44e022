//! The acceptance points of issue #5, one test each, on the fake session.

use std::path::PathBuf;

use super::*;
use crate::engine::LockHolder;
use crate::engine::fake::CallKind;
use crate::migrate::execute::{ExecuteError, LockStatus, Outcome, Refusal};
use crate::migrate::plan::{Direction, PlanError};
use crate::migrate::test_data::{applied, migration, set_of, set_with, v};
use crate::migrate::{Checksum, Version};

fn versions(list: &[Version]) -> Vec<u64> {
    list.iter().map(|v| v.get()).collect()
}

#[tokio::test]
async fn fresh_then_migrate_then_status_is_up_to_date() {
    let set = set_with(&[1, 2, 3], &[]);
    let (server, mut session) = workspace();

    let report = exec(&mut session, &set, migrate()).await;
    assert_eq!(report.outcome, Outcome::Applied);
    assert_eq!((report.before, report.after), (None, Some(v(3))));
    let steps: Vec<_> = report
        .steps
        .iter()
        .map(|s| (s.version.get(), s.direction))
        .collect();
    assert_eq!(
        steps,
        vec![(1, Direction::Up), (2, Direction::Up), (3, Direction::Up)]
    );
    assert!(report.session_reusable);
    assert_released_last(&server, &session);

    let rows = server
        .history(DB)
        .expect("history table created on first use");
    for (row, migration) in rows.iter().zip(&set.migrations) {
        assert_eq!(row.version, migration.version);
        assert_eq!(row.checksum, migration.up.checksum, "the file's checksum");
        assert_eq!(row.name, migration.name);
        assert!(row.success);
        assert_eq!(row.applied_by, "tester");
        assert_eq!(row.wsdb_version, env!("CARGO_PKG_VERSION"));
    }
    assert_eq!(rows.len(), 3);
    assert_eq!(server.objects(DB), vec!["t1", "t2", "t3"]);

    let status = exec(&mut session, &set, Operation::Status).await;
    let Outcome::Status(status) = status.outcome else {
        panic!("expected a status, found {:?}", status.outcome);
    };
    assert!(status.validation.is_up_to_date());
    assert_eq!(status.validation.current, Some(v(3)));
    assert_eq!(status.lock, Some(LockStatus::Free));

    let again = exec(&mut session, &set, migrate()).await;
    assert_eq!(again.outcome, Outcome::UpToDate);
    assert_eq!((again.before, again.after), (Some(v(3)), Some(v(3))));
}

#[tokio::test]
async fn a_failure_in_the_third_batch_leaves_no_trace() {
    let failing = "CREATE TABLE a\nGO\nCREATE TABLE b\nGO\n-- third batch\nINSERT INTO b\nINSERT INTO missing\n";
    let set = set_of(vec![
        migration(1, "CREATE TABLE t1", None),
        migration(2, failing, None),
        migration(3, "CREATE TABLE t3", None),
    ]);
    let (server, mut session) = workspace();

    let report = exec(&mut session, &set, migrate()).await;
    let Outcome::Failed { error } = &report.outcome else {
        panic!("expected a failure, found {:?}", report.outcome);
    };
    assert_eq!(
        error,
        &ExecuteError::ScriptFailed {
            version: v(2),
            direction: Direction::Up,
            file: PathBuf::from("migrations/0002_m2.up.sql"),
            batch: 3,
            batch_line: 5,
            line: 7,
            number: 208,
            message: "Invalid object name 'missing'.".to_owned(),
            transactional: true,
        }
    );
    let message = error.to_string();
    assert!(
        message.starts_with("`migrations/0002_m2.up.sql` line 7: SQL Server error 208"),
        "{message}"
    );

    // No objects from batches 1-2, no history row, migration 3 not attempted.
    assert_eq!(server.objects(DB), vec!["t1"]);
    let rows = server.history(DB).expect("history table");
    assert_eq!(
        rows.iter().map(|r| r.version.get()).collect::<Vec<_>>(),
        vec![1]
    );
    assert!(!batches_run(&session).iter().any(|sql| sql.contains("t3")));
    assert_eq!(report.steps.len(), 1);
    assert_eq!(report.after, Some(v(1)));
    assert!(session.calls().contains(&Call::Rollback));
    assert_released_last(&server, &session);
    assert!(report.session_reusable);
}

#[tokio::test]
async fn an_edited_applied_migration_is_drift_until_repaired() {
    let set = set_with(&[1, 2], &[]);
    let (server, mut session) = workspace();
    let mut rows = applied(&set, &[1, 2]);
    let as_applied = Checksum::of_normalized(b"CREATE TABLE t2 -- before the edit");
    rows[1].checksum = as_applied;
    server.put_history(DB, rows);

    let verify = exec(&mut session, &set, Operation::Verify).await;
    let Outcome::CheckFailed(status) = &verify.outcome else {
        panic!("expected a failed check, found {:?}", verify.outcome);
    };
    assert_eq!(status.validation.drifted.len(), 1);
    assert_eq!(status.validation.drifted[0].version, v(2));

    let refused = exec(&mut session, &set, migrate()).await;
    let Outcome::Refused {
        reason: Refusal::Validation { problem },
    } = &refused.outcome
    else {
        panic!("expected a refusal, found {:?}", refused.outcome);
    };
    assert!(
        problem.to_string().contains("checksum drift in 2 `m2`"),
        "{problem}"
    );
    assert!(batches_run(&session).is_empty());

    let repaired = exec(&mut session, &set, Operation::Repair).await;
    let Outcome::Repaired(summary) = &repaired.outcome else {
        panic!("expected a repair, found {:?}", repaired.outcome);
    };
    assert_eq!(versions(&summary.realigned), vec![2]);
    let history = server.history(DB).expect("history");
    assert_eq!(history[1].checksum, set.migrations[1].up.checksum);
    assert_released_last(&server, &session);

    let verified = exec(&mut session, &set, Operation::Verify).await;
    assert!(
        matches!(verified.outcome, Outcome::Verified(_)),
        "{:?}",
        verified.outcome
    );
}

#[tokio::test]
async fn a_database_ahead_of_the_code_is_reported_and_left_alone() {
    let set = set_with(&[1, 2], &[]);
    let newer = set_with(&[1, 2, 3], &[]);
    let (server, mut session) = workspace();
    server.put_history(DB, applied(&newer, &[1, 2, 3]));
    let before = server.history(DB);

    let status = exec(&mut session, &set, Operation::Status).await;
    let Outcome::Status(report) = &status.outcome else {
        panic!("expected a status, found {:?}", status.outcome);
    };
    assert_eq!(versions(&report.validation.unknown), vec![3]);

    let refused = exec(&mut session, &set, migrate()).await;
    let Outcome::Refused {
        reason: Refusal::Validation { problem },
    } = &refused.outcome
    else {
        panic!("expected a refusal, found {:?}", refused.outcome);
    };
    assert_eq!(versions(&problem.unknown), vec![3]);
    assert!(
        problem
            .to_string()
            .contains("the database is ahead of the code")
    );
    assert!(!session.calls().iter().any(|c| matches!(
        c.kind(),
        CallKind::RunBatch | CallKind::Begin | CallKind::InsertHistory | CallKind::DeleteHistory
    )));
    assert_eq!(server.history(DB), before);
    assert_released_last(&server, &session);
}

#[tokio::test]
async fn rollback_runs_downs_in_reverse_order_and_removes_their_rows() {
    let set = set_with(&[1, 2, 3, 4], &[1, 2, 3, 4]);
    let (server, mut session) = workspace();
    exec(&mut session, &set, migrate()).await;

    let report = exec(&mut session, &set, rollback(DownTarget::To(v(2)))).await;
    assert_eq!(report.outcome, Outcome::RolledBack);
    assert_eq!((report.before, report.after), (Some(v(4)), Some(v(2))));
    let steps: Vec<_> = report
        .steps
        .iter()
        .map(|s| (s.version.get(), s.direction))
        .collect();
    assert_eq!(steps, vec![(4, Direction::Down), (3, Direction::Down)]);
    let downs: Vec<String> = batches_run(&session)
        .into_iter()
        .filter(|s| s.starts_with("DROP"))
        .collect();
    assert_eq!(downs, vec!["DROP TABLE t4", "DROP TABLE t3"]);
    let rows = server.history(DB).expect("history");
    assert_eq!(
        rows.iter().map(|r| r.version.get()).collect::<Vec<_>>(),
        vec![1, 2]
    );
    assert_eq!(server.objects(DB), vec!["t1", "t2"]);
    assert_released_last(&server, &session);
}

#[tokio::test]
async fn a_missing_down_file_is_refused_before_anything_runs() {
    let set = set_with(&[1, 2, 3, 4], &[2, 4]);
    let (server, mut session) = workspace();
    exec(&mut session, &set, migrate()).await;
    let calls_before = session.calls().len();

    let report = exec(&mut session, &set, rollback(DownTarget::To(v(1)))).await;
    let Outcome::Refused {
        reason: Refusal::Plan {
            error: PlanError::MissingDown { missing },
        },
    } = &report.outcome
    else {
        panic!("expected a refusal, found {:?}", report.outcome);
    };
    assert_eq!(missing.len(), 1);
    assert_eq!(missing[0].version, v(3));
    assert_eq!(
        missing[0].expected,
        PathBuf::from("migrations/0003_m3.down.sql")
    );
    let later = &session.calls()[calls_before..];
    assert!(
        !later
            .iter()
            .any(|c| matches!(c.kind(), CallKind::RunBatch | CallKind::Begin)),
        "{later:?}"
    );
    assert_eq!(server.objects(DB), vec!["t1", "t2", "t3", "t4"]);
    assert_eq!(server.history(DB).map(|rows| rows.len()), Some(4));
    assert!(report.steps.is_empty());
    assert_released_last(&server, &session);
}

#[tokio::test]
async fn a_locked_workspace_is_reported_with_its_holder_and_never_touched() {
    let set = set_with(&[1], &[1]);
    let (server, mut session) = workspace();
    let mut other = server
        .connect_as(DB, "alice", "deploy-box")
        .expect("connect");
    crate::engine::Session::acquire_lock(&mut other, Duration::ZERO)
        .await
        .expect("lock");
    let holder: LockHolder = other.identity().clone();

    for operation in [
        migrate(),
        rollback(DownTarget::Steps(1)),
        Operation::Baseline { version: v(1) },
        Operation::Repair,
    ] {
        let report = exec(&mut session, &set, operation).await;
        assert_eq!(
            report.outcome,
            Outcome::Locked {
                holder: Some(holder.clone())
            },
            "{operation:?}"
        );
        assert!(report.session_reusable);
    }
    assert_eq!(
        wrote_or_locked(&session)
            .iter()
            .filter(|k| **k != CallKind::AcquireLock)
            .count(),
        0
    );
    assert!(
        !session
            .calls()
            .iter()
            .any(|c| c.kind() == CallKind::ReadHistory)
    );
    assert_eq!(server.history(DB), None);

    let status = exec(&mut session, &set, Operation::Status).await;
    let Outcome::Status(report) = status.outcome else {
        panic!("expected a status, found {:?}", status.outcome);
    };
    assert_eq!(
        report.lock,
        Some(LockStatus::Held {
            holder: Some(holder)
        })
    );
    assert_eq!(
        server.lock_holder(DB).and_then(|h| h.login),
        Some("alice".to_owned())
    );
}
