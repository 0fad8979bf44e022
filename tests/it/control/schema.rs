//! wsdb's own schema in the control database: init, first use, reads that
//! never create, and a schema written by a newer wsdb.

use std::time::Duration;

use sqlx::{AssertSqlSafe, Executor};
use wsdb::config::Secret;
use wsdb::control::{
    ControlDb, ControlError, ControlOptions, NewRun, RunOutcome, SchemaState, VersionRecord,
    VersionState, WorkspaceRecord, WorkspaceStatus,
};
use wsdb::workspace::WorkspaceId;

use crate::support::postgres::TestDb;

async fn schema_exists(db: &TestDb) -> bool {
    let mut connection = db.connection().await;
    sqlx::query_scalar("SELECT to_regnamespace('wsdb') IS NOT NULL")
        .fetch_one(&mut connection)
        .await
        .expect("query catalog")
}

#[tokio::test]
async fn init_twice_is_idempotent() {
    let db = TestDb::create().await;
    let control = db.control().await;
    assert_eq!(
        control.schema_state().await.ok(),
        Some(SchemaState::Missing)
    );
    let first = control.init().await.expect("first init");
    assert_eq!(first.applied, [1]);
    let second = db.control().await.init().await.expect("second init");
    assert!(second.applied.is_empty());
    assert_eq!(second.version, first.version);
    assert_eq!(
        control.schema_state().await.ok(),
        Some(SchemaState::Current {
            version: first.version
        })
    );
    // Bookkeeping stays inside the `wsdb` schema, away from the product's
    // own sqlx migrations.
    let mut connection = db.connection().await;
    let public: bool =
        sqlx::query_scalar("SELECT to_regclass('public._sqlx_migrations') IS NOT NULL")
            .fetch_one(&mut connection)
            .await
            .expect("query catalog");
    assert!(!public);
}

#[tokio::test]
async fn concurrent_inits_all_succeed() {
    let db = TestDb::create().await;
    let handles = [db.control().await, db.control().await, db.control().await];
    let results = futures_util::future::join_all(handles.iter().map(|c| c.init())).await;
    for result in results {
        assert!(result.is_ok(), "{result:?}");
    }
}

#[tokio::test]
async fn reads_never_create_the_schema() {
    let db = TestDb::create().await;
    let control = db.control().await;
    let error = control.list_runs(10).await.err();
    assert!(
        matches!(error, Some(ControlError::SchemaMissing)),
        "{error:?}"
    );
    let error = control.version_cache().await.err();
    assert!(
        matches!(error, Some(ControlError::SchemaMissing)),
        "{error:?}"
    );
    assert!(!schema_exists(&db).await);
}

#[tokio::test]
async fn the_first_write_applies_the_schema() {
    let db = TestDb::create().await;
    let control = db.control().await;
    control.ensure_schema().await.expect("ensure schema");
    assert!(schema_exists(&db).await);
    assert!(control.list_runs(10).await.expect("list").is_empty());
}

#[tokio::test]
async fn a_schema_from_a_newer_wsdb_is_refused() {
    let db = TestDb::create().await;
    db.control().await.init().await.expect("init");
    let mut connection = db.connection().await;
    connection
        .execute(
            "INSERT INTO wsdb.schema_migrations
                 (version, description, success, checksum, execution_time)
             VALUES (99, 'from the future', true, '\\x00', 0)",
        )
        .await
        .expect("fake a newer migration");
    let control = db.control().await;
    assert_eq!(
        control.schema_state().await.ok(),
        Some(SchemaState::Ahead {
            found: 99,
            latest: 1
        })
    );
    for error in [
        control.ensure_schema().await.err(),
        control.init().await.err(),
        db.control().await.list_runs(1).await.err(),
    ] {
        assert!(
            matches!(
                error,
                Some(ControlError::SchemaTooNew {
                    found: 99,
                    latest: 1
                })
            ),
            "{error:?}"
        );
    }
}

/// The split docs/control-database.md recommends: a privileged user runs
/// `init`, runners get only data rights, and can still do all their work.
#[tokio::test]
async fn a_runner_with_data_rights_only_can_use_the_ledger() {
    let db = TestDb::create().await;
    db.control().await.init().await.expect("init as the owner");
    let role = format!("wsdb_runner_{:08x}", rand::random::<u32>());
    let mut admin = db.connection().await;
    admin
        .execute(AssertSqlSafe(format!(
            "CREATE ROLE {role} LOGIN;
             GRANT USAGE ON SCHEMA wsdb TO {role};
             GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA wsdb TO {role};"
        )))
        .await
        .expect("create the runner role");
    let mut url = url::Url::parse(db.url().expose()).expect("test URL");
    url.set_username(&role).expect("URL takes a user");
    let runner = ControlDb::connect(&Secret::new(url.to_string()), &ControlOptions::default())
        .await
        .expect("connect as the runner");

    let ids = vec![WorkspaceId::from("acme")];
    let new_run = NewRun {
        command: "migrate".into(),
        args: vec![],
        env: "prod".into(),
        started_by: "runner@pod".into(),
        wsdb_version: "0.1.0".into(),
        selection: ids.clone(),
    };
    let queued = runner
        .start_queue_run(&new_run, "k")
        .await
        .expect("start as runner");
    let claim = runner
        .claim(queued.id, "pod", Duration::from_secs(60))
        .await
        .expect("claim as runner")
        .expect("a claim");
    let now = chrono::Utc::now();
    let record = WorkspaceRecord {
        workspace_id: claim.workspace_id.clone(),
        runner_id: "pod".into(),
        status: WorkspaceStatus::UpToDate,
        version_before: None,
        version_after: None,
        applied_versions: vec![],
        error: None,
        started_at: now,
        finished_at: now,
        duration: Duration::ZERO,
    };
    assert!(
        runner
            .complete(&claim, &record)
            .await
            .expect("complete as runner")
    );
    let cache = [VersionRecord {
        workspace_id: claim.workspace_id.clone(),
        version: None,
        state: VersionState::Pending,
        checked_at: now,
        run_id: Some(queued.id),
    }];
    assert_eq!(
        runner
            .update_version_cache(&cache)
            .await
            .expect("cache as runner"),
        1
    );
    let finished = runner.finish_run(queued.id, RunOutcome::Succeeded);
    assert!(finished.await.expect("finish as runner"));
    assert_eq!(runner.list_runs(5).await.expect("list as runner").len(), 1);
    runner.close().await;

    admin
        .execute(AssertSqlSafe(format!(
            "DROP OWNED BY {role}; DROP ROLE {role};"
        )))
        .await
        .expect("drop the runner role");
}
