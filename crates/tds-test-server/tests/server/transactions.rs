//! Transactions: ENVCHANGE descriptors that tiberius echoes, and a rollback
//! that really undoes both DDL and DML.

use crate::support::*;

#[tokio::test]
async fn rollback_undoes_ddl_and_dml() {
    let server = start(&["acme"]).await;
    let mut client = connect(&server, "acme").await;
    batch(&mut client, "CREATE TABLE dbo.kept (id INT)")
        .await
        .unwrap();
    batch(
        &mut client,
        "BEGIN TRANSACTION;
         CREATE TABLE dbo.gone (id INT);
         INSERT INTO dbo.gone (id) VALUES (1);
         INSERT INTO dbo.kept (id) VALUES (1);",
    )
    .await
    .unwrap();
    assert_eq!(
        scalar_i32(&mut client, "SELECT @@TRANCOUNT").await.unwrap(),
        Some(1)
    );
    batch(&mut client, "ROLLBACK TRANSACTION").await.unwrap();
    assert_eq!(
        scalar_i32(&mut client, "SELECT @@TRANCOUNT").await.unwrap(),
        Some(0)
    );
    let err = batch(&mut client, "SELECT * FROM dbo.gone")
        .await
        .unwrap_err();
    assert_eq!(server_code(&err), Some(208), "{err}");
    assert_eq!(
        scalar_i32(&mut client, "SELECT COUNT(*) FROM dbo.kept")
            .await
            .unwrap(),
        Some(0)
    );
}

#[tokio::test]
async fn commit_keeps_work_and_other_sessions_see_it() {
    let server = start(&["acme"]).await;
    let mut writer = connect(&server, "acme").await;
    batch(&mut writer, "CREATE TABLE dbo.t (id INT)")
        .await
        .unwrap();
    writer.begin_transaction().await.unwrap();
    writer
        .execute("INSERT INTO dbo.t (id) VALUES (@P1)", &[&5i32])
        .await
        .unwrap();
    writer.commit_transaction().await.unwrap();
    let mut reader = connect(&server, "acme").await;
    assert_eq!(
        scalar_i32(&mut reader, "SELECT MAX(id) FROM dbo.t")
            .await
            .unwrap(),
        Some(5)
    );
}

#[tokio::test]
async fn a_dropped_connection_rolls_back_its_transaction() {
    let server = start(&["acme"]).await;
    let mut client = connect(&server, "acme").await;
    batch(&mut client, "CREATE TABLE dbo.t (id INT)")
        .await
        .unwrap();
    batch(
        &mut client,
        "BEGIN TRANSACTION; INSERT INTO dbo.t (id) VALUES (1)",
    )
    .await
    .unwrap();
    drop(client);
    server.wait_for_stats(|s| s.live_connections == 0).await;
    let mut other = connect(&server, "acme").await;
    assert_eq!(
        scalar_i32(&mut other, "SELECT COUNT(*) FROM dbo.t")
            .await
            .unwrap(),
        Some(0)
    );
}
