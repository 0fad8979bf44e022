//! Executor tests on the in-memory fake session: `acceptance` proves the
//! acceptance points of issue #5 one by one; `scripts` and `operations` cover the rest
//! (GO repeat counts, timeouts, no-transaction rules, cleanup failures,
//! baseline, repair, provision, events, JSON shape).

mod acceptance;
mod operations;
mod scripts;

use std::time::Duration;

use super::{ExecEvent, ExecOptions, Operation, WorkspaceReport, run};
use crate::engine::fake::{Call, CallKind, FakeServer, FakeSession};
use crate::migrate::MigrationSet;
use crate::migrate::plan::{DownTarget, UpTarget};

const DB: &str = "ws_acme";

fn options() -> ExecOptions {
    ExecOptions {
        lock_timeout: Duration::from_secs(5),
        statement_timeout: Duration::from_secs(60),
        applied_by: "tester".to_owned(),
    }
}

fn migrate() -> Operation {
    Operation::Migrate {
        target: UpTarget::Latest,
        dry_run: false,
    }
}

fn rollback(target: DownTarget) -> Operation {
    Operation::Rollback {
        target,
        dry_run: false,
    }
}

/// A server with one empty workspace database and a session on it.
fn workspace() -> (FakeServer, FakeSession) {
    let server = FakeServer::with_database(DB);
    let session = server.connect(DB).expect("the database exists");
    (server, session)
}

async fn exec(
    session: &mut FakeSession,
    set: &MigrationSet,
    operation: Operation,
) -> WorkspaceReport {
    exec_with_events(session, set, operation).await.0
}

async fn exec_with_events(
    session: &mut FakeSession,
    set: &MigrationSet,
    operation: Operation,
) -> (WorkspaceReport, Vec<ExecEvent>) {
    let mut events = Vec::new();
    let report = run(session, set, &operation, &options(), |event| {
        events.push(event)
    })
    .await;
    (report, events)
}

/// The SQL of every batch the session ran, in order.
fn batches_run(session: &FakeSession) -> Vec<String> {
    session
        .calls()
        .iter()
        .filter_map(|call| match call {
            Call::RunBatch { sql, .. } => Some(sql.clone()),
            _ => None,
        })
        .collect()
}

/// Whether the session wrote anything or took the lock.
fn wrote_or_locked(session: &FakeSession) -> Vec<CallKind> {
    session
        .calls()
        .iter()
        .map(Call::kind)
        .filter(|kind| {
            matches!(
                kind,
                CallKind::CreateHistoryTable
                    | CallKind::AcquireLock
                    | CallKind::Begin
                    | CallKind::RunBatch
                    | CallKind::InsertHistory
                    | CallKind::DeleteHistory
                    | CallKind::UpdateHistory
            )
        })
        .collect()
}

/// The last call of a changing operation must release the lock.
fn assert_released_last(server: &FakeServer, session: &FakeSession) {
    assert_eq!(
        session.calls().last(),
        Some(&Call::ReleaseLock),
        "{:?}",
        session.calls()
    );
    assert_eq!(server.lock_holder(DB), None);
    assert!(!session.in_transaction());
}

/// The fleet runner spawns these futures on tokio's multi-threaded runtime,
/// so they must be `Send`: this test fails to compile otherwise.
#[test]
fn operation_futures_are_send() {
    fn assert_send<T: Send>(_: &T) {}
    let (_server, mut session) = workspace();
    let set = crate::migrate::test_data::set_with(&[1], &[]);
    let options = options();
    let operation = migrate();
    assert_send(&run(&mut session, &set, &operation, &options, |_| {}));
    assert_send(&crate::migrate::verify_schema(&mut session, &set));
    let engine = crate::engine::fake::FakeEngine::default();
    let target = crate::engine::fake::FakeTarget {
        database: DB.to_owned(),
    };
    assert_send(&super::provision(&engine, &target, &set, &options, |_| {}));
}

#[test]
fn only_changing_operations_take_the_lock() {
    let version = crate::migrate::test_data::v(1);
    let cases = [
        (Operation::Status, false),
        (Operation::Verify, false),
        (Operation::History, false),
        (migrate(), true),
        (
            Operation::Migrate {
                target: UpTarget::Latest,
                dry_run: true,
            },
            false,
        ),
        (rollback(DownTarget::Steps(1)), true),
        (
            Operation::Rollback {
                target: DownTarget::Steps(1),
                dry_run: true,
            },
            false,
        ),
        (Operation::Baseline { version }, true),
        (Operation::Repair, true),
    ];
    for (operation, changes) in cases {
        assert_eq!(operation.changes_workspace(), changes, "{operation:?}");
    }
}
