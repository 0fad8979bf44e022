//! The baselines run as a process of their own, like wsdb: the bench binary
//! starts itself again in baseline mode, and the parent times it from spawn
//! to exit. So both sides pay a process start, a runtime of their own and
//! the hop between processes to the test server, and the ratios compare
//! wsdb's logic with no logic rather than a process with a function call.
//!
//! The parent passes what the child needs in the environment (the job, the
//! server, the concurrency, how many migrations to generate) and the
//! database names on stdin, one per line.

use std::process::Stdio;
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::process::Command;

use crate::baseline::{self, Target};
use crate::migrations;

/// Set in a child: which baseline to run (`migrate` or `status`).
const JOB: &str = "WSDB_BENCH_BASELINE_JOB";
const HOST: &str = "WSDB_BENCH_BASELINE_HOST";
const PORT: &str = "WSDB_BENCH_BASELINE_PORT";
const USER: &str = "WSDB_BENCH_BASELINE_USER";
const PASSWORD: &str = "WSDB_BENCH_BASELINE_PASSWORD";
const CONCURRENCY: &str = "WSDB_BENCH_BASELINE_CONCURRENCY";
const MIGRATIONS: &str = "WSDB_BENCH_BASELINE_MIGRATIONS";

/// Which baseline a child runs.
#[derive(Debug, Clone, Copy)]
pub enum Job {
    /// Every migration on every database (`migrations` of them, generated
    /// as the fixture generates them).
    Migrate { migrations: usize },
    /// One connection and one history read per database.
    Status,
}

/// Whether this process is a baseline child.
pub fn is_child() -> bool {
    std::env::var_os(JOB).is_some()
}

/// Runs `job` over `databases` in a child process; its wall time.
pub async fn run(
    job: Job,
    target: &Target,
    databases: &[String],
    concurrency: usize,
) -> Result<Duration, String> {
    let exe = std::env::current_exe().map_err(|e| format!("the bench binary: {e}"))?;
    let (name, migrations) = match job {
        Job::Migrate { migrations } => ("migrate", migrations),
        Job::Status => ("status", 0),
    };
    let mut command = Command::new(exe);
    command
        .env(JOB, name)
        .env(HOST, &target.host)
        .env(PORT, target.port.to_string())
        .env(USER, &target.user)
        .env(PASSWORD, &target.password)
        .env(CONCURRENCY, concurrency.to_string())
        .env(MIGRATIONS, migrations.to_string())
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    let started = Instant::now();
    let mut child = command
        .spawn()
        .map_err(|e| format!("start the {name} baseline: {e}"))?;
    let mut stdin = child.stdin.take().ok_or("the baseline's stdin")?;
    stdin
        .write_all(databases.join("\n").as_bytes())
        .await
        .map_err(|e| format!("write to the {name} baseline: {e}"))?;
    drop(stdin);
    let mut stderr = String::new();
    if let Some(mut pipe) = child.stderr.take() {
        let _ = pipe.read_to_string(&mut stderr).await;
    }
    let status = child
        .wait()
        .await
        .map_err(|e| format!("wait for the {name} baseline: {e}"))?;
    let wall = started.elapsed();
    if status.success() {
        Ok(wall)
    } else {
        Err(format!(
            "the {name} baseline failed ({status}): {}",
            stderr.trim()
        ))
    }
}

/// The child's side: runs the job the environment names.
pub async fn child_main() -> Result<(), String> {
    let var = |name: &str| std::env::var(name).map_err(|_| format!("{name} is not set"));
    let number = |name: &str| -> Result<usize, String> {
        var(name)?.parse().map_err(|e| format!("{name}: {e}"))
    };
    let target = Target {
        host: var(HOST)?,
        port: var(PORT)?.parse().map_err(|e| format!("{PORT}: {e}"))?,
        user: var(USER)?,
        password: var(PASSWORD)?,
    };
    let concurrency = number(CONCURRENCY)?;
    let mut names = String::new();
    tokio::io::stdin()
        .read_to_string(&mut names)
        .await
        .map_err(|e| format!("read the database names: {e}"))?;
    let databases: Vec<String> = names.lines().map(str::to_owned).collect();
    match var(JOB)?.as_str() {
        "migrate" => {
            let migrations = migrations::generate(number(MIGRATIONS)?);
            baseline::migrate(&target, &databases, &migrations, concurrency).await?;
        }
        "status" => {
            baseline::status(&target, &databases, concurrency).await?;
        }
        other => return Err(format!("unknown baseline job `{other}`")),
    }
    Ok(())
}
