//! Connection pool benchmark (not a test): acquisition latency on a cache
//! hit (p50, p99, max) and acquire+release throughput, over the in-process
//! TDS test server. Target: p99 under 1 ms on a hit.
//!
//! `cargo bench --bench pool` (or `just bench`). A hit is an acquisition
//! served by an idle pooled connection; release is timed separately because
//! it resets the session (one round trip to the server).

use std::sync::Arc;
use std::time::{Duration, Instant};

use tds_test_server::Server;
use wsdb::config::{Encrypt, MssqlSettings, PoolSettings, RetrySettings, Secret};
use wsdb::engine::Session as _;
use wsdb::engine::mssql::MssqlEngine;
use wsdb::pool::WorkspacePools;
use wsdb::workspace::Workspace;

const WORKSPACES: usize = 50;
const HIT_SAMPLES: usize = 20_000;
const TASKS: usize = 16;
const CYCLES_PER_TASK: usize = 2_000;

/// The `pct`-th percentile (nearest rank) of sorted samples.
fn percentile(sorted: &[Duration], pct: usize) -> Duration {
    let last = sorted.len().saturating_sub(1);
    let rank = (last * pct + 50) / 100;
    sorted[rank.min(last)]
}

fn micros(d: Duration) -> String {
    format!("{:.1} µs", d.as_secs_f64() * 1e6)
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let names: Vec<String> = (0..WORKSPACES).map(|i| format!("bench_{i}")).collect();
    let server = Server::builder()
        .login("wsdb", "bench")
        .databases(names.iter().cloned())
        .start()
        .await
        .expect("start the TDS test server");
    let workspaces: Arc<Vec<Workspace>> = Arc::new(
        names
            .iter()
            .map(|db| {
                Workspace::at(
                    db.as_str(),
                    server.addr().ip().to_string(),
                    server.port(),
                    db.clone(),
                )
            })
            .collect(),
    );
    let engine = MssqlEngine::new(MssqlSettings {
        user: Some("wsdb".into()),
        password: Some(Secret::new("bench".into())),
        encrypt: Encrypt::Off,
        ..MssqlSettings::default()
    });
    let pools = WorkspacePools::new(
        engine,
        PoolSettings {
            max_per_workspace: 2,
            max_cached_workspaces: 256,
            max_per_server: 128,
            idle_timeout: Duration::from_secs(300),
            health_check_after: Duration::from_secs(300),
        },
        RetrySettings::default(),
    );
    for workspace in workspaces.iter() {
        pools
            .acquire(workspace)
            .await
            .expect("warm up")
            .release()
            .await;
    }

    // Latency of a hit: one caller, round-robin over warm workspaces.
    let mut hits = Vec::with_capacity(HIT_SAMPLES);
    let mut releases = Vec::with_capacity(HIT_SAMPLES);
    for i in 0..HIT_SAMPLES {
        let workspace = &workspaces[i % WORKSPACES];
        let started = Instant::now();
        let mut session = pools.acquire(workspace).await.expect("acquire");
        hits.push(started.elapsed());
        // A session that changed state (an open transaction) is reset on
        // release; one that only read goes back without a round trip.
        session.begin().await.expect("begin");
        let started = Instant::now();
        session.release().await;
        releases.push(started.elapsed());
    }
    hits.sort();
    releases.sort();

    // Throughput: concurrent callers doing acquire + one query + release.
    let started = Instant::now();
    let mut tasks = Vec::new();
    for task in 0..TASKS {
        let pools = pools.clone();
        let workspaces = Arc::clone(&workspaces);
        tasks.push(tokio::spawn(async move {
            for i in 0..CYCLES_PER_TASK {
                let workspace = &workspaces[(task * 7 + i) % WORKSPACES];
                let mut session = pools.acquire(workspace).await.expect("acquire");
                session
                    .ping(Duration::from_secs(5))
                    .await
                    .expect("SELECT 1");
                session.release().await;
            }
        }));
    }
    for task in tasks {
        task.await.expect("bench task");
    }
    let elapsed = started.elapsed();
    let cycles = TASKS * CYCLES_PER_TASK;
    let stats = pools.stats();

    println!("pool benchmark over the TDS test server, {WORKSPACES} warm workspaces");
    println!(
        "acquire on a hit ({HIT_SAMPLES} samples): p50 {}  p99 {}  max {}  (target p99 < 1 ms: {})",
        micros(percentile(&hits, 50)),
        micros(percentile(&hits, 99)),
        micros(percentile(&hits, 100)),
        if percentile(&hits, 99) < Duration::from_millis(1) {
            "met"
        } else {
            "MISSED"
        },
    );
    println!(
        "release after a write (reset round trip): p50 {}  p99 {}",
        micros(percentile(&releases, 50)),
        micros(percentile(&releases, 99)),
    );
    println!(
        "throughput: {cycles} acquire + SELECT 1 + release cycles by {TASKS} tasks in {:.2} s = {:.0} cycles/s",
        elapsed.as_secs_f64(),
        cycles as f64 / elapsed.as_secs_f64()
    );
    println!(
        "counters: hits {} misses {} connects {} live {}",
        stats.hits, stats.misses, stats.connects, stats.live_connections
    );
    pools.shutdown().await;
    server.stop().await;
}
