//! ATTENTION (tiberius' `cancel_query`): a running batch stops, the client
//! gets its acknowledgement and the session stays usable.

use crate::support::*;

/// Starts `sql` on `client`, waits until the server runs it, then cancels.
async fn cancel_while_running(
    server: &tds_test_server::Server,
    client: &mut TestClient,
    sql: &str,
) {
    let batches = server.stats().batches;
    {
        let query = client.simple_query(sql);
        tokio::pin!(query);
        tokio::select! {
            result = &mut query => panic!("the batch finished: {:?}", result.err()),
            () = server.wait_for_stats(|s| s.batches > batches) => {}
        }
    }
    client.cancel_query().await.expect("attention acknowledged");
}

#[tokio::test]
async fn attention_stops_a_waitfor() {
    let server = start(&["acme"]).await;
    let mut client = connect(&server, "acme").await;
    cancel_while_running(&server, &mut client, "WAITFOR DELAY '01:00:00'").await;
    assert_eq!(scalar_i32(&mut client, "SELECT 7").await.unwrap(), Some(7));
}

#[tokio::test]
async fn attention_with_xact_abort_rolls_the_transaction_back() {
    let server = start(&["acme"]).await;
    let mut client = connect(&server, "acme").await;
    batch(&mut client, "CREATE TABLE dbo.t (id INT)")
        .await
        .unwrap();
    batch(
        &mut client,
        "SET XACT_ABORT ON; BEGIN TRANSACTION; INSERT INTO dbo.t (id) VALUES (1);",
    )
    .await
    .unwrap();
    cancel_while_running(&server, &mut client, "WAITFOR DELAY '01:00:00'").await;
    assert_eq!(
        scalar_i32(&mut client, "SELECT @@TRANCOUNT").await.unwrap(),
        Some(0)
    );
    assert_eq!(
        scalar_i32(&mut client, "SELECT COUNT(*) FROM dbo.t")
            .await
            .unwrap(),
        Some(0)
    );
}
