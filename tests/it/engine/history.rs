//! The history table, transactions and raw batches on one session.

use std::time::Duration;

use wsdb::engine::{EngineError, NewHistoryRow, Session};
use wsdb::migrate::{Checksum, Version};

use super::Fixture;

fn row(version: u64, name: &str, success: bool) -> NewHistoryRow {
    NewHistoryRow {
        version: Version::new(version).expect("a positive version"),
        name: name.to_owned(),
        checksum: Checksum::of_file_bytes(name.as_bytes()),
        duration_ms: 1234,
        applied_by: "ci@runner".to_owned(),
        wsdb_version: "0.1.0".to_owned(),
        success,
    }
}

const BATCH_TIMEOUT: Duration = Duration::from_secs(30);

#[tokio::test]
async fn the_history_table_is_created_once_and_read_back_in_order() {
    let fx = Fixture::new("hist").await;
    let mut session = fx.session().await;
    assert_eq!(
        session.read_history().await.unwrap(),
        None,
        "read-only commands see no table"
    );
    session.create_history_table().await.unwrap();
    session.create_history_table().await.unwrap();
    assert_eq!(session.read_history().await.unwrap(), Some(vec![]));

    let before = chrono::Utc::now() - chrono::Duration::minutes(5);
    session
        .insert_history(&row(20260101000000, "invoices", false))
        .await
        .unwrap();
    session.insert_history(&row(1, "base", true)).await.unwrap();
    let applied = session.read_history().await.unwrap().unwrap();
    let versions: Vec<u64> = applied.iter().map(|a| a.version.get()).collect();
    assert_eq!(versions, [1, 20260101000000]);
    let base = &applied[0];
    assert_eq!(base.name, "base");
    assert_eq!(base.checksum, Checksum::of_file_bytes(b"base"));
    assert_eq!(
        (base.duration_ms, base.applied_by.as_str()),
        (1234, "ci@runner")
    );
    assert!(base.success && !applied[1].success);
    assert!(
        base.applied_at > before,
        "applied_at is the server's UTC clock"
    );

    let big = Version::new(20260101000000).unwrap();
    let checksum = Checksum::of_file_bytes(b"fixed");
    session
        .update_history(big, "invoices_fixed", checksum)
        .await
        .unwrap();
    session
        .delete_history(Version::new(1).unwrap())
        .await
        .unwrap();
    let applied = session.read_history().await.unwrap().unwrap();
    assert_eq!(applied.len(), 1);
    assert_eq!(
        (
            applied[0].name.as_str(),
            applied[0].checksum,
            applied[0].success
        ),
        ("invoices_fixed", checksum, true)
    );
    session.close().await;
}

#[tokio::test]
async fn a_transaction_keeps_or_drops_a_batch_and_its_history_row_together() {
    let fx = Fixture::new("tx").await;
    let mut session = fx.session().await;
    session.create_history_table().await.unwrap();

    session.begin().await.unwrap();
    session
        .run_batch(
            "CREATE TABLE dbo.accounts (id INT NOT NULL PRIMARY KEY)",
            BATCH_TIMEOUT,
        )
        .await
        .unwrap();
    session
        .insert_history(&row(1, "accounts", true))
        .await
        .unwrap();
    session.rollback().await.unwrap();
    session.rollback().await.unwrap(); // safe in any state
    assert_eq!(session.read_history().await.unwrap(), Some(vec![]));
    match session
        .run_batch("SELECT id FROM dbo.accounts", BATCH_TIMEOUT)
        .await
    {
        Err(EngineError::Server { number: 208, .. }) => {}
        other => panic!("the rolled back table should be gone: {other:?}"),
    }

    session.begin().await.unwrap();
    session
        .run_batch(
            "CREATE TABLE dbo.accounts (id INT NOT NULL PRIMARY KEY)",
            BATCH_TIMEOUT,
        )
        .await
        .unwrap();
    session
        .insert_history(&row(1, "accounts", true))
        .await
        .unwrap();
    session.commit().await.unwrap();
    assert_eq!(session.read_history().await.unwrap().unwrap().len(), 1);
    session
        .run_batch("INSERT INTO dbo.accounts (id) VALUES (1)", BATCH_TIMEOUT)
        .await
        .unwrap();
    assert!(!session.is_broken());
    assert!(
        !session.is_reusable(),
        "a session that ran user batches is not pooled"
    );
    session.close().await;
}

#[tokio::test]
async fn a_failing_batch_reports_sql_servers_number_and_line_and_the_session_survives() {
    let fx = Fixture::new("batch").await;
    let mut session = fx.session().await;
    let batch = "CREATE TABLE dbo.t (id INT NOT NULL);\nINSERT INTO dbo.t (id) VALUES (1);\nSELECT id FROM dbo.no_such_table;\n";
    match session.run_batch(batch, BATCH_TIMEOUT).await {
        Err(EngineError::Server {
            number,
            line,
            message,
            ..
        }) => {
            assert_eq!((number, line), (208, 3), "{message}");
            assert!(message.contains("no_such_table"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    assert!(!session.is_broken());
    session.ping(Duration::from_secs(5)).await.unwrap();

    // Under XACT_ABORT an error dooms the transaction; reset cleans up.
    session.begin().await.unwrap();
    let failed = session
        .run_batch("INSERT INTO dbo.t (id) VALUES (NULL)", BATCH_TIMEOUT)
        .await;
    assert!(
        matches!(failed, Err(EngineError::Server { number: 515, .. })),
        "{failed:?}"
    );
    session.reset().await.unwrap();
    session.close().await;
}

#[tokio::test]
async fn server_info_and_permissions_describe_the_session() {
    let fx = Fixture::new("info").await;
    let mut session = fx.session().await;
    let info = session.server_info().await.unwrap();
    assert_eq!(info.database.to_lowercase(), fx.database.to_lowercase());
    assert!(
        !info.product_version.is_empty() && !info.banner.is_empty(),
        "{info:?}"
    );
    assert!(!info.banner.contains('\n'));
    let permissions = session.permissions().await.unwrap();
    assert!(permissions.create_table && permissions.alter);
    assert_eq!(session.database(), fx.database);
    session.close().await;
}
