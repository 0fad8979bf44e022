//! wsdb's own schema in the control database: init, first use, reads that
//! never create, and a schema written by a newer wsdb.

use sqlx::Executor;
use wsdb::control::{ControlError, SchemaState};

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
