//! The ledger against PostgreSQL: a run's lifecycle, the resume set, what a
//! run changed, and the version cache.

use std::collections::BTreeMap;
use std::time::Duration;

use chrono::{TimeZone, Utc};
use wsdb::control::{
    ControlDb, ControlError, NewRun, RunId, RunOutcome, VersionRecord, VersionState,
    WorkspaceRecord, WorkspaceStatus,
};
use wsdb::migrate::Version;
use wsdb::workspace::WorkspaceId;

use crate::support::postgres::TestDb;

fn new_run(selection: &[&str]) -> NewRun {
    NewRun {
        command: "migrate".into(),
        args: vec!["--all".into(), "--concurrency".into(), "8".into()],
        env: "dev".into(),
        started_by: "alice@laptop".into(),
        wsdb_version: "0.1.0".into(),
        selection: selection.iter().map(|id| WorkspaceId::from(*id)).collect(),
    }
}

fn versions(values: &[u64]) -> Vec<Version> {
    values.iter().filter_map(|v| Version::new(*v)).collect()
}

fn record(id: &str, status: WorkspaceStatus, applied: &[u64]) -> WorkspaceRecord {
    let started_at = Utc
        .with_ymd_and_hms(2026, 3, 1, 12, 0, 0)
        .single()
        .unwrap_or_default();
    WorkspaceRecord {
        workspace_id: WorkspaceId::from(id),
        runner_id: "alice@laptop".into(),
        status,
        version_before: Version::new(1),
        version_after: applied
            .last()
            .copied()
            .and_then(Version::new)
            .or(Version::new(1)),
        applied_versions: versions(applied),
        error: None,
        started_at,
        finished_at: started_at + chrono::Duration::milliseconds(1500),
        duration: Duration::from_millis(1500),
    }
}

async fn ready(db: &TestDb) -> ControlDb {
    let control = db.control().await;
    control.init().await.expect("init");
    control
}

#[tokio::test]
async fn run_lifecycle() {
    let db = TestDb::create().await;
    let control = ready(&db).await;
    let run = control
        .start_run(&new_run(&["a", "b", "c"]))
        .await
        .expect("start");

    control
        .record_workspace(run, &record("a", WorkspaceStatus::Applied, &[2, 3]))
        .await
        .expect("record a");
    let mut failed = record("b", WorkspaceStatus::Failed, &[2]);
    failed.error =
        Some("0003_x.up.sql batch 2 line 7: invalid object name `t`\nhint: fix it".into());
    control
        .record_workspace(run, &failed)
        .await
        .expect("record b");

    let listed = control.list_runs(10).await.expect("list");
    assert_eq!(listed.len(), 1);
    let summary = &listed[0];
    assert_eq!(summary.id, run);
    assert_eq!(summary.outcome, None);
    assert_eq!(summary.finished_at, None);
    assert_eq!(summary.args, ["--all", "--concurrency", "8"]);
    assert_eq!(
        summary.counts,
        BTreeMap::from([
            (WorkspaceStatus::Applied, 1),
            (WorkspaceStatus::Failed, 1),
            (WorkspaceStatus::NotReached, 1),
        ])
    );

    assert!(
        control
            .finish_run(run, RunOutcome::Failed)
            .await
            .expect("finish")
    );
    // A second runner finishing the same run does not overwrite the outcome.
    assert!(
        !control
            .finish_run(run, RunOutcome::Succeeded)
            .await
            .expect("finish again")
    );

    let detail = control
        .show_run(run)
        .await
        .expect("show")
        .expect("run exists");
    assert_eq!(detail.run.outcome, Some(RunOutcome::Failed));
    assert!(detail.run.finished_at.is_some());
    let by_id: Vec<(&str, WorkspaceStatus)> = detail
        .workspaces
        .iter()
        .map(|w| (w.workspace_id.as_str(), w.status))
        .collect();
    assert_eq!(
        by_id,
        [
            ("a", WorkspaceStatus::Applied),
            ("b", WorkspaceStatus::Failed),
            ("c", WorkspaceStatus::NotReached),
        ]
    );
    let a = &detail.workspaces[0];
    assert_eq!(a.applied_versions, versions(&[2, 3]));
    assert_eq!(a.version_after, Version::new(3));
    assert_eq!(a.duration_ms, Some(1500));
    assert_eq!(a.runner_id.as_deref(), Some("alice@laptop"));
    assert_eq!(
        detail.workspaces[1].error.as_deref(),
        Some("0003_x.up.sql batch 2 line 7: invalid object name `t` | hint: fix it")
    );
    let c = &detail.workspaces[2];
    assert_eq!((c.runner_id.as_deref(), c.started_at), (None, None));
}

#[tokio::test]
async fn runs_are_listed_newest_first_within_the_limit() {
    let db = TestDb::create().await;
    let control = ready(&db).await;
    let mut started = Vec::new();
    for _ in 0..3 {
        started.push(control.start_run(&new_run(&[])).await.expect("start"));
    }
    let listed: Vec<RunId> = control
        .list_runs(2)
        .await
        .expect("list")
        .iter()
        .map(|r| r.id)
        .collect();
    assert_eq!(listed, [started[2], started[1]]);
}

#[tokio::test]
async fn unknown_runs_are_named() {
    let db = TestDb::create().await;
    let control = ready(&db).await;
    let missing = RunId::new(4242).expect("positive");
    assert!(control.show_run(missing).await.expect("show").is_none());
    let errors = [
        control
            .finish_run(missing, RunOutcome::Succeeded)
            .await
            .err(),
        control
            .record_workspace(missing, &record("a", WorkspaceStatus::Applied, &[2]))
            .await
            .err(),
        control.workspaces_to_resume(missing).await.err(),
        control.changed_by_run(missing).await.err(),
    ];
    for error in errors {
        assert!(
            matches!(error, Some(ControlError::UnknownRun { run_id: 4242 })),
            "{error:?}"
        );
    }
}

#[tokio::test]
async fn the_resume_set_is_every_selected_workspace_without_a_success() {
    let db = TestDb::create().await;
    let control = ready(&db).await;
    let run = control
        .start_run(&new_run(&[
            "ok", "same", "bad", "busy", "gone", "skip", "never",
        ]))
        .await
        .expect("start");
    let outcomes = [
        ("ok", WorkspaceStatus::Applied),
        ("same", WorkspaceStatus::UpToDate),
        ("bad", WorkspaceStatus::Failed),
        ("busy", WorkspaceStatus::Locked),
        ("gone", WorkspaceStatus::Unreachable),
        ("skip", WorkspaceStatus::Skipped),
    ];
    for (id, status) in outcomes {
        control
            .record_workspace(run, &record(id, status, &[]))
            .await
            .expect("record");
    }
    let resume = control.workspaces_to_resume(run).await.expect("resume");
    let resume: Vec<&str> = resume.iter().map(WorkspaceId::as_str).collect();
    assert_eq!(resume, ["bad", "busy", "gone", "never", "skip"]);

    // A later success for one of them (e.g. a retry recorded on the same
    // run) takes it out of the set.
    control
        .record_workspace(run, &record("bad", WorkspaceStatus::Applied, &[2]))
        .await
        .expect("record retry");
    let resume = control.workspaces_to_resume(run).await.expect("resume");
    assert_eq!(resume.len(), 4);
}

#[tokio::test]
async fn a_ten_thousand_workspace_selection_is_stored_and_resumed() {
    let db = TestDb::create().await;
    let control = ready(&db).await;
    let ids: Vec<String> = (1..=10_000).map(|n| format!("ws-{n:05}")).collect();
    let selection: Vec<&str> = ids.iter().map(String::as_str).collect();
    let run = control
        .start_run(&new_run(&selection))
        .await
        .expect("start");
    control
        .record_workspace(run, &record("ws-00001", WorkspaceStatus::Applied, &[2]))
        .await
        .expect("record");
    let resume = control.workspaces_to_resume(run).await.expect("resume");
    assert_eq!(resume.len(), 9_999);
    assert_eq!(resume[0].as_str(), "ws-00002");
    let summary = control
        .show_run(run)
        .await
        .expect("show")
        .expect("exists")
        .run;
    assert_eq!(summary.total(), 10_000);
}

#[tokio::test]
async fn changed_by_run_lists_what_was_executed_newest_first() {
    let db = TestDb::create().await;
    let control = ready(&db).await;
    let run = control
        .start_run(&new_run(&["a", "b", "c"]))
        .await
        .expect("start");
    let mut a = record("a", WorkspaceStatus::Applied, &[2, 3]);
    let mut b = record("b", WorkspaceStatus::Failed, &[2]);
    b.finished_at = a.finished_at + chrono::Duration::seconds(5);
    a.error = None;
    let c = record("c", WorkspaceStatus::UpToDate, &[]);
    for r in [&a, &b, &c] {
        control.record_workspace(run, r).await.expect("record");
    }
    let changes = control.changed_by_run(run).await.expect("changes");
    let seen: Vec<(&str, Vec<Version>)> = changes
        .iter()
        .map(|c| (c.workspace_id.as_str(), c.versions.clone()))
        .collect();
    assert_eq!(seen, [("b", versions(&[2])), ("a", versions(&[2, 3]))]);
}

#[tokio::test]
async fn the_version_cache_is_batched_and_never_moves_backwards() {
    let db = TestDb::create().await;
    let control = ready(&db).await;
    let run = control.start_run(&new_run(&[])).await.expect("start");
    let at = |second: u32| {
        Utc.with_ymd_and_hms(2026, 3, 1, 12, 0, second)
            .single()
            .unwrap_or_default()
    };
    let records: Vec<VersionRecord> = (1..=10_000)
        .map(|n| VersionRecord {
            workspace_id: WorkspaceId(format!("ws-{n:05}")),
            version: Version::new(41),
            state: VersionState::Pending,
            checked_at: at(10),
            run_id: Some(run),
        })
        .collect();
    assert_eq!(
        control.update_version_cache(&records).await.expect("write"),
        10_000
    );

    let newer = VersionRecord {
        version: Version::new(42),
        state: VersionState::UpToDate,
        checked_at: at(20),
        run_id: None,
        ..records[0].clone()
    };
    let older = VersionRecord {
        version: None,
        state: VersionState::Drift,
        checked_at: at(5),
        ..records[1].clone()
    };
    let written = control
        .update_version_cache(&[newer.clone(), older])
        .await
        .expect("write");
    assert_eq!(written, 1);

    let cache = control.version_cache().await.expect("read");
    assert_eq!(cache.len(), 10_000);
    assert_eq!(cache[0], newer);
    assert_eq!(cache[1], records[1]);
    assert_eq!(control.update_version_cache(&[]).await.expect("empty"), 0);
}
