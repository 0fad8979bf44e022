//! Measures what issue #3 asks the test server to be: quick to start, cheap
//! per round trip, and able to hold 200 concurrent connections over 1,000
//! databases. Prints the figures; run with
//! `cargo bench -p tds-test-server --bench roundtrip`.
//!
//! A plain binary (no harness): these are end-to-end timings of a server and
//! a real client, not micro-benchmarks.

// A bench that cannot run has nothing to report: it panics.
#![allow(
    clippy::unwrap_used,
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss
)]

use std::time::{Duration, Instant};

use tds_test_server::{Server, TlsMode};
use tiberius::{AuthMethod, Client, Config, EncryptionLevel};
use tokio::net::TcpStream;
use tokio_util::compat::{Compat, TokioAsyncWriteCompatExt};

type TestClient = Client<Compat<TcpStream>>;

const STARTS: usize = 20;
const CONNECTS: usize = 300;
const ROUND_TRIPS: usize = 2000;
const DATABASES: usize = 1000;
const CONNECTIONS: usize = 200;

fn config(server: &Server, database: &str) -> Config {
    let mut config = Config::new();
    config.host("127.0.0.1");
    config.port(server.port());
    config.authentication(AuthMethod::sql_server("bench", "bench"));
    config.encryption(EncryptionLevel::NotSupported);
    config.database(database);
    config
}

async fn connect(server: &Server, database: &str) -> tiberius::Result<TestClient> {
    let config = config(server, database);
    let tcp = TcpStream::connect(config.get_addr()).await?;
    tcp.set_nodelay(true)?;
    Client::connect(config, tcp.compat_write()).await
}

async fn select_1(client: &mut TestClient) -> tiberius::Result<()> {
    let row = client.simple_query("SELECT 1").await?.into_row().await?;
    assert_eq!(row.and_then(|r| r.get::<i32, _>(0)), Some(1));
    Ok(())
}

fn report(label: &str, mut samples: Vec<Duration>) {
    samples.sort();
    let at = |q: f64| samples[((samples.len() - 1) as f64 * q) as usize];
    println!(
        "{label:<44} n={:<5} median {:>9.3?}  p90 {:>9.3?}  max {:>9.3?}",
        samples.len(),
        at(0.5),
        at(0.9),
        at(1.0)
    );
}

async fn start() -> Server {
    start_with(&["bench"], TlsMode::Off).await
}

async fn start_with(databases: &[&str], tls: TlsMode) -> Server {
    Server::builder()
        .login("bench", "bench")
        .databases(databases.iter().copied())
        .tls(tls)
        .start()
        .await
        .expect("server starts")
}

/// Startup as a test sees it: from nothing to accepting connections. The
/// first start of a process also pays for one-time setup (the engine's
/// template database, lazy statics), so it is reported on its own.
async fn startup() {
    let began = Instant::now();
    let server = start_with(&[], TlsMode::Off).await;
    println!(
        "{:<44} {:>9.3?}",
        "first start in the process",
        began.elapsed()
    );
    server.stop().await;
    for (label, databases, tls) in [
        ("start (master only)", &[][..], TlsMode::Off),
        (
            "start (master and one database)",
            &["bench"][..],
            TlsMode::Off,
        ),
        (
            "start (master only, TLS certificates)",
            &[][..],
            TlsMode::Supported,
        ),
    ] {
        let mut samples = Vec::new();
        for _ in 0..STARTS {
            let began = Instant::now();
            let server = start_with(databases, tls).await;
            samples.push(began.elapsed());
            server.stop().await;
        }
        report(label, samples);
    }
}

async fn round_trips(server: &Server) {
    let mut samples = Vec::new();
    for _ in 0..CONNECTS {
        let began = Instant::now();
        let mut client = connect(server, "bench").await.expect("connect");
        select_1(&mut client).await.expect("select 1");
        samples.push(began.elapsed());
    }
    report("connect + login + SELECT 1", samples);
    let mut client = connect(server, "bench").await.expect("connect");
    let mut samples = Vec::new();
    for _ in 0..ROUND_TRIPS {
        let began = Instant::now();
        select_1(&mut client).await.expect("select 1");
        samples.push(began.elapsed());
    }
    report("SELECT 1 on an open connection", samples);
}

/// 1,000 databases, 200 connections open at once, every database used.
async fn scale(server: &Server) {
    let began = Instant::now();
    for i in 0..DATABASES {
        server
            .create_database(&format!("ws_{i:04}"))
            .expect("database");
    }
    println!(
        "{:<44} {:>9.3?}",
        format!("create {DATABASES} databases"),
        began.elapsed()
    );

    let began = Instant::now();
    let mut clients = Vec::new();
    for i in 0..CONNECTIONS {
        clients.push(
            connect(server, &format!("ws_{i:04}"))
                .await
                .expect("connect"),
        );
    }
    println!(
        "{:<44} {:>9.3?}",
        format!("open {CONNECTIONS} connections"),
        began.elapsed()
    );

    let began = Instant::now();
    let per_connection = DATABASES / CONNECTIONS;
    let tasks: Vec<_> = clients
        .into_iter()
        .enumerate()
        .map(|(c, mut client)| {
            tokio::spawn(async move {
                let mut errors = 0usize;
                for k in 0..per_connection {
                    let db = format!("ws_{:04}", c + k * CONNECTIONS);
                    let sql = format!(
                        "USE [{db}]; CREATE TABLE dbo.t (id INT); INSERT INTO dbo.t (id) VALUES ({c}); SELECT COUNT(*) FROM dbo.t;"
                    );
                    match client.simple_query(sql).await {
                        Ok(stream) => errors += usize::from(stream.into_results().await.is_err()),
                        Err(_) => errors += 1,
                    }
                }
                (client, errors)
            })
        })
        .collect();
    let mut errors = 0;
    let mut clients = Vec::new();
    for task in tasks {
        let (client, e) = task.await.expect("task");
        errors += e;
        clients.push(client);
    }
    let stats = server.stats();
    let touched = stats
        .databases
        .keys()
        .filter(|k| k.starts_with("ws_"))
        .count();
    println!(
        "{:<44} {:>9.3?}  errors {errors}, peak connections {}, databases used {touched}",
        "one batch per database over those",
        began.elapsed(),
        stats.peak_connections,
    );
    drop(clients);
}

#[tokio::main]
async fn main() {
    startup().await;
    let server = start().await;
    round_trips(&server).await;
    scale(&server).await;
    server.stop().await;
}
