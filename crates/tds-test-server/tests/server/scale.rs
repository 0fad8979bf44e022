//! Many databases and many concurrent connections in one server process.
//! The full figures (1,000 databases, 200 connections) are measured by the
//! `roundtrip` bench; this keeps the same shape at a size CI runs quickly.

use crate::support::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_connections_over_many_databases() {
    const DATABASES: usize = 100;
    const CONNECTIONS: usize = 50;
    let server = start(&[]).await;
    for i in 0..DATABASES {
        server.create_database(&format!("ws_{i:04}")).unwrap();
    }
    let mut clients = Vec::new();
    for i in 0..CONNECTIONS {
        let db = format!("ws_{:04}", i * DATABASES / CONNECTIONS);
        clients.push((db.clone(), connect(&server, &db).await));
    }
    assert_eq!(server.stats().live_connections, CONNECTIONS);
    let tasks: Vec<_> = clients
        .into_iter()
        .map(|(db, mut client)| {
            tokio::spawn(async move {
                let name = scalar_string(&mut client, "SELECT DB_NAME()")
                    .await
                    .unwrap();
                assert_eq!(name.as_deref(), Some(db.as_str()));
                client
            })
        })
        .collect();
    let mut clients = Vec::new();
    for task in tasks {
        clients.push(task.await.unwrap());
    }
    let stats = server.stats();
    assert_eq!(stats.peak_connections, CONNECTIONS);
    assert_eq!(stats.logins, CONNECTIONS as u64);
    drop(clients);
    server.wait_for_stats(|s| s.live_connections == 0).await;
    server.reset_peaks();
    let _one = connect(&server, "ws_0000").await;
    let stats = server.stats();
    assert_eq!(stats.peak_connections, 1);
    assert_eq!(stats.database("ws_0000").peak_connections, 1);
}
