//! Batches and parameterized queries: result sets, row counts, typed
//! parameters as tiberius sends them through `sp_executesql`.

use crate::support::*;

#[tokio::test]
async fn multi_statement_batch_returns_each_result_and_count() {
    let server = start(&["acme"]).await;
    let mut client = connect(&server, "acme").await;
    let results = batch(
        &mut client,
        "CREATE TABLE dbo.t (id INT PRIMARY KEY, name NVARCHAR(50) NULL);
         INSERT INTO dbo.t (id, name) VALUES (1, N'one'), (2, N'two');
         SELECT id, name FROM dbo.t ORDER BY id;
         SELECT COUNT(*) FROM dbo.t;",
    )
    .await
    .unwrap();
    assert_eq!(results.len(), 2);
    let names: Vec<&str> = results[0]
        .iter()
        .map(|r| r.get::<&str, _>(1).unwrap())
        .collect();
    assert_eq!(names, ["one", "two"]);
    assert_eq!(results[1][0].get::<i32, _>(0), Some(2));
    let counts = client
        .execute(
            "INSERT INTO dbo.t (id) VALUES (3); DELETE FROM dbo.t WHERE id < 3",
            &[],
        )
        .await
        .unwrap();
    assert_eq!(counts.rows_affected(), &[1, 2]);
}

#[tokio::test]
async fn parameterized_queries_bind_typed_values() {
    let server = start(&["acme"]).await;
    let mut client = connect(&server, "acme").await;
    batch(
        &mut client,
        "CREATE TABLE dbo.h (version BIGINT PRIMARY KEY, name NVARCHAR(200) NOT NULL,
                             checksum CHAR(64) NULL, applied_at DATETIME2 NOT NULL, success BIT NOT NULL)",
    )
    .await
    .unwrap();
    let at = chrono::NaiveDate::from_ymd_opt(2026, 11, 29)
        .unwrap()
        .and_hms_opt(12, 0, 0)
        .unwrap();
    let inserted = client
        .execute(
            "INSERT INTO dbo.h (version, name, checksum, applied_at, success) VALUES (@P1, @P2, @P3, @P4, @P5)",
            &[&20261129120000i64, &"add invoices", &"ab".repeat(32), &at, &true],
        )
        .await
        .unwrap();
    assert_eq!(inserted.total(), 1);
    let row = client
        .query(
            "SELECT name, applied_at, success FROM dbo.h WHERE version = @P1",
            &[&20261129120000i64],
        )
        .await
        .unwrap()
        .into_row()
        .await
        .unwrap()
        .expect("the row");
    assert_eq!(row.get::<&str, _>(0), Some("add invoices"));
    assert_eq!(row.get::<chrono::NaiveDateTime, _>(1), Some(at));
    assert_eq!(row.get::<bool, _>(2), Some(true));
    let none = client
        .query("SELECT name FROM dbo.h WHERE version = @P1", &[&1i64])
        .await
        .unwrap()
        .into_row()
        .await
        .unwrap();
    assert!(none.is_none());
}

#[tokio::test]
async fn server_errors_keep_their_number_and_the_session() {
    let server = start(&["acme"]).await;
    let mut client = connect(&server, "acme").await;
    let err = batch(&mut client, "SELECT * FROM dbo.missing")
        .await
        .unwrap_err();
    assert_eq!(server_code(&err), Some(208), "{err}");
    assert_eq!(scalar_i32(&mut client, "SELECT 1").await.unwrap(), Some(1));
    assert_eq!(server.stats().database("acme").batches, 2);
}
