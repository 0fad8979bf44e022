//! Fleet benchmark (not a test), issue #6: what wsdb costs over a fleet,
//! against bare tiberius doing the same work, on the in-process TDS test
//! server with the control database in the local PostgreSQL.
//!
//! 1. `wsdb migrate --all` (the release binary, a real process): wall time
//!    and peak RSS, N workspaces x M migrations; the same batches by a bare
//!    tiberius baseline at the same concurrency; ratio (target <= 1.3).
//! 2. `wsdb status --all` over the N migrated workspaces against one connect
//!    + one query per workspace; medians of a few rounds; ratio (<= 1.5).
//! 3. `wsdb status -w X` end to end as a process; median (<= 50 ms).
//! 4. Peak RSS of `wsdb status --all` over 10,000 workspaces (<= 100 MiB).
//!
//! `scripts/bench` (or `just bench`) runs it with the PostgreSQL URL from
//! `scripts/ensure-postgres` in `WSDB_BENCH_PG_URL`; sizes come from
//! `WSDB_BENCH_*` (see `knobs.rs` and docs/performance.md). A missed
//! target prints `MISS`; only errors make the exit code non-zero.

mod baseline;
mod baseline_process;
mod child;
mod control;
mod fixture;
mod knobs;
mod migrations;
mod report;

use std::process::ExitCode;
use std::time::Duration;

use baseline_process::Job;
use child::{Measured, median, summarize};
use fixture::Fixture;
use knobs::Knobs;
use report::{Table, duration, mebibytes, ratio};

const MIGRATE_RATIO: f64 = 1.3;
const STATUS_RATIO: f64 = 1.5;
const STATUS_MEMORY_MIB: f64 = 100.0;
const SINGLE_STATUS: Duration = Duration::from_millis(50);

#[tokio::main(flavor = "multi_thread")]
async fn main() -> ExitCode {
    if baseline_process::is_child() {
        return match baseline_process::child_main().await {
            Ok(()) => ExitCode::SUCCESS,
            Err(error) => {
                eprintln!("{error}");
                ExitCode::FAILURE
            }
        };
    }
    match run().await {
        Ok(table) => {
            println!("\n{}", table.render());
            match table.misses() {
                0 => println!("all targets met"),
                n => println!("{n} target(s) MISSED"),
            }
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("fleet bench failed: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<Table, String> {
    let knobs = Knobs::from_env()?;
    child::check_proc()?;
    let pg_url = std::env::var("WSDB_BENCH_PG_URL")
        .or_else(|_| std::env::var("WSDB_TEST_PG_URL"))
        .map_err(|_| "set WSDB_BENCH_PG_URL (scripts/bench does, from scripts/ensure-postgres)")?;
    println!("fleet benchmark: {knobs}");
    let fixture = Fixture::build(&knobs, &pg_url).await?;
    println!("control database `{}`", fixture.control.name);
    let measured = measure(&fixture, &knobs).await;
    fixture.tear_down().await?;
    measured
}

async fn measure(fixture: &Fixture, knobs: &Knobs) -> Result<Table, String> {
    let mut table = Table::default();
    migrate(fixture, knobs, &mut table).await?;
    status(fixture, knobs, &mut table).await?;
    single_status(fixture, knobs, &mut table).await?;
    status_memory(fixture, knobs, &mut table).await?;
    Ok(table)
}

/// 1: the fleet migration, baseline first (each on its own fresh databases).
async fn migrate(fixture: &Fixture, knobs: &Knobs, table: &mut Table) -> Result<(), String> {
    let size = format!("{} x {}", knobs.workspaces, knobs.migrations);
    let base = baseline_process::run(
        Job::Migrate {
            migrations: knobs.migrations,
        },
        &fixture.target(),
        &fixture.baseline_fleet,
        knobs.concurrency,
    )
    .await?;
    progress(&format!("baseline migrate ({size})"), base);
    let concurrency = knobs.concurrency.to_string();
    let wsdb = fixture
        .wsdb
        .run(&["migrate", "--all", "--concurrency", &concurrency])
        .await?;
    progress(&format!("wsdb migrate --all ({size})"), wsdb.wall);
    table.info(format!("migrate --all wall ({size})"), duration(wsdb.wall));
    table.info("migrate --all peak RSS", mib(wsdb));
    table.info(format!("baseline migrate wall ({size})"), duration(base));
    table.ratio(
        "migrate ratio wsdb / baseline",
        ratio(wsdb.wall, base),
        MIGRATE_RATIO,
    );
    Ok(())
}

/// 2: `status --all` over the migrated fleet, rounds alternating with the
/// baseline so both see the same machine load; medians.
async fn status(fixture: &Fixture, knobs: &Knobs, table: &mut Table) -> Result<(), String> {
    let concurrency = knobs.concurrency.to_string();
    let args = ["status", "--all", "--concurrency", concurrency.as_str()];
    let plain = fixture.control_without_tls();
    let mut wsdb_runs = Vec::new();
    let mut plain_runs = Vec::new();
    let mut base_runs = Vec::new();
    for _ in 0..knobs.status_rounds {
        let run = fixture.wsdb.run(&args).await?;
        progress("wsdb status --all", run.wall);
        wsdb_runs.push(run);
        let run = fixture.wsdb.run_with(&args, &plain).await?;
        progress("wsdb status --all, control without TLS", run.wall);
        plain_runs.push(run);
        let base = baseline_process::run(
            Job::Status,
            &fixture.target(),
            &fixture.fleet,
            knobs.concurrency,
        )
        .await?;
        progress("baseline status", base);
        base_runs.push(base);
    }
    let wsdb = summarize(&wsdb_runs);
    let plain = summarize(&plain_runs);
    let base = median(&mut base_runs);
    let rounds = format!("{}, median of {}", knobs.workspaces, knobs.status_rounds);
    table.info(format!("status --all wall ({rounds})"), duration(wsdb.wall));
    table.info(format!("baseline status wall ({rounds})"), duration(base));
    table.ratio(
        "status ratio wsdb / baseline",
        ratio(wsdb.wall, base),
        STATUS_RATIO,
    );
    table.info(
        "  same, control database without TLS",
        format!("{:.2}", ratio(plain.wall, base)),
    );
    Ok(())
}

/// 3: one workspace, end to end as a process (config, control query,
/// connect, history read, output); one unmeasured warm-up run first. Also
/// without TLS to the control database, whose handshake dominates (see
/// docs/performance.md), as context.
async fn single_status(fixture: &Fixture, knobs: &Knobs, table: &mut Table) -> Result<(), String> {
    let workspace = "ws_00001";
    let args = ["status", "-w", workspace];
    let runs = knobs.single_runs;
    fixture.wsdb.run(&args).await?;
    let measured = summarize(&fixture.wsdb.repeat(&args, &[], runs).await?);
    progress("wsdb status -w (median)", measured.wall);
    let plain = fixture.control_without_tls();
    let without_tls = summarize(&fixture.wsdb.repeat(&args, &plain, runs).await?);
    progress(
        "wsdb status -w, control without TLS (median)",
        without_tls.wall,
    );
    table.time(
        format!("status -w {workspace} (median of {runs})"),
        measured.wall,
        SINGLE_STATUS,
    );
    table.info(
        "  same, control database without TLS",
        duration(without_tls.wall),
    );
    Ok(())
}

/// 4: memory of `status --all` over the whole registered fleet.
async fn status_memory(fixture: &Fixture, knobs: &Knobs, table: &mut Table) -> Result<(), String> {
    fixture.control.activate_all().await?;
    let concurrency = knobs.concurrency.to_string();
    let run = fixture
        .wsdb
        .run(&["status", "--all", "--concurrency", &concurrency])
        .await?;
    progress(
        &format!("wsdb status --all ({})", knobs.status_workspaces),
        run.wall,
    );
    let size = knobs.status_workspaces;
    table.info(format!("status --all wall ({size})"), duration(run.wall));
    table.memory(
        format!("status --all peak RSS ({size})"),
        run.peak_rss,
        STATUS_MEMORY_MIB,
    );
    Ok(())
}

fn mib(measured: Measured) -> String {
    format!("{:.1} MiB", mebibytes(measured.peak_rss))
}

/// A line as each measurement finishes, so a long run shows it is alive.
fn progress(what: &str, took: Duration) {
    println!("  {what}: {}", duration(took));
}
