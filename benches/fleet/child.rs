//! Runs the release `wsdb` binary as a real process and measures it: wall
//! time from spawn to exit, and peak resident memory, read from the child's
//! `/proc/<pid>/status` (`VmHWM`, the kernel's own high-water mark) every
//! few milliseconds until it exits. The mark only grows, so the last reading
//! misses at most the final few milliseconds of growth.
//!
//! stdout goes to /dev/null (the summary table is still rendered and
//! written); stderr is kept in a file and shown when the command fails.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use tokio::process::Command;

const POLL: Duration = Duration::from_millis(2);

/// How to start wsdb for the bench project.
pub struct Wsdb {
    pub binary: PathBuf,
    pub project: PathBuf,
    /// Variables the project's wsdb.toml expands.
    pub env: Vec<(String, String)>,
}

/// What one process run cost.
#[derive(Debug, Clone, Copy)]
pub struct Measured {
    pub wall: Duration,
    /// Bytes; 0 when `/proc` could not be read at all.
    pub peak_rss: u64,
}

impl Wsdb {
    /// Runs `wsdb args...` in the project and fails unless it exits 0.
    pub async fn run(&self, args: &[&str]) -> Result<Measured, String> {
        self.run_with(args, &[]).await
    }

    /// [`Wsdb::run`] with some of the project's variables overridden.
    pub async fn run_with(
        &self,
        args: &[&str],
        overrides: &[(String, String)],
    ) -> Result<Measured, String> {
        let stderr_path = self.project.join("wsdb-stderr.log");
        let stderr = std::fs::File::create(&stderr_path).map_err(|e| e.to_string())?;
        let mut command = Command::new(&self.binary);
        command
            .args(args)
            .current_dir(&self.project)
            .env_remove("RUST_LOG")
            .env("NO_COLOR", "1")
            .envs(self.env.iter().chain(overrides).map(|(k, v)| (k, v)))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(stderr);
        let started = Instant::now();
        let mut child = command
            .spawn()
            .map_err(|e| format!("start {}: {e}", self.binary.display()))?;
        let pid = child.id().ok_or("wsdb exited before it could be watched")?;
        let mut peak_rss = 0;
        let mut tick = tokio::time::interval(POLL);
        let wait = child.wait();
        tokio::pin!(wait);
        let status = loop {
            tokio::select! {
                status = &mut wait => break status.map_err(|e| e.to_string())?,
                _ = tick.tick() => {
                    if let Some(rss) = high_water_mark(pid) {
                        peak_rss = peak_rss.max(rss);
                    }
                }
            }
        };
        let wall = started.elapsed();
        if !status.success() {
            return Err(format!(
                "`wsdb {}` failed ({status}):\n{}",
                args.join(" "),
                std::fs::read_to_string(&stderr_path).unwrap_or_default()
            ));
        }
        Ok(Measured { wall, peak_rss })
    }

    /// `runs` runs of the same command, in order.
    pub async fn repeat(
        &self,
        args: &[&str],
        overrides: &[(String, String)],
        runs: usize,
    ) -> Result<Vec<Measured>, String> {
        let mut measured = Vec::with_capacity(runs);
        for _ in 0..runs {
            measured.push(self.run_with(args, overrides).await?);
        }
        Ok(measured)
    }
}

/// `VmHWM` of a live process in bytes; `None` once it has exited (a zombie
/// has no memory to report) or when `/proc` is unavailable.
fn high_water_mark(pid: u32) -> Option<u64> {
    let status =
        std::fs::read_to_string(Path::new("/proc").join(pid.to_string()).join("status")).ok()?;
    parse_high_water_mark(&status)
}

fn parse_high_water_mark(status: &str) -> Option<u64> {
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line
        .trim_start_matches("VmHWM:")
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    Some(kib * 1024)
}

/// The median wall time and the highest peak of several runs.
pub fn summarize(runs: &[Measured]) -> Measured {
    let mut walls: Vec<Duration> = runs.iter().map(|m| m.wall).collect();
    Measured {
        wall: median(&mut walls),
        peak_rss: runs.iter().map(|m| m.peak_rss).max().unwrap_or(0),
    }
}

pub fn median(samples: &mut [Duration]) -> Duration {
    samples.sort();
    samples.get(samples.len() / 2).copied().unwrap_or_default()
}

/// Checked once at start-up, so a bench without `/proc` fails loudly
/// instead of reporting zero memory.
pub fn check_proc() -> Result<(), String> {
    high_water_mark(std::process::id())
        .map(|_| ())
        .ok_or_else(|| "peak RSS needs /proc/<pid>/status with VmHWM (Linux)".to_owned())
}
