//! The bench's sizes, from the environment so that a quick run is possible
//! (`WSDB_BENCH_WORKSPACES=50 just bench`). The defaults are the sizes
//! issue #6 asks for; nothing here measures anything.

use std::fmt;

/// How big each measurement is.
#[derive(Debug, Clone, Copy)]
pub struct Knobs {
    /// Workspaces migrated (and read by `status --all`): `WSDB_BENCH_WORKSPACES`.
    pub workspaces: usize,
    /// Migrations per workspace: `WSDB_BENCH_MIGRATIONS`.
    pub migrations: usize,
    /// Workspaces in the memory run of `status --all`: `WSDB_BENCH_STATUS_WORKSPACES`.
    pub status_workspaces: usize,
    /// Workspaces in flight at once, for wsdb and the baselines alike:
    /// `WSDB_BENCH_CONCURRENCY`.
    pub concurrency: usize,
    /// Runs of each `status --all` comparison; medians are reported:
    /// `WSDB_BENCH_STATUS_ROUNDS`.
    pub status_rounds: usize,
    /// Runs of `wsdb status -w X`; the median is reported:
    /// `WSDB_BENCH_SINGLE_RUNS`.
    pub single_runs: usize,
}

impl Knobs {
    pub fn from_env() -> Result<Knobs, String> {
        let knobs = Knobs {
            workspaces: read("WSDB_BENCH_WORKSPACES", 1_000)?,
            migrations: read("WSDB_BENCH_MIGRATIONS", 20)?,
            status_workspaces: read("WSDB_BENCH_STATUS_WORKSPACES", 10_000)?,
            concurrency: read("WSDB_BENCH_CONCURRENCY", 16)?,
            status_rounds: read("WSDB_BENCH_STATUS_ROUNDS", 3)?,
            single_runs: read("WSDB_BENCH_SINGLE_RUNS", 11)?,
        };
        // Workspace ids and database names have five digits.
        if knobs.status_workspaces > 99_999 {
            return Err("WSDB_BENCH_STATUS_WORKSPACES is at most 99999".to_owned());
        }
        if knobs.status_workspaces < knobs.workspaces {
            return Err(format!(
                "WSDB_BENCH_STATUS_WORKSPACES ({}) must be at least WSDB_BENCH_WORKSPACES ({})",
                knobs.status_workspaces, knobs.workspaces
            ));
        }
        Ok(knobs)
    }
}

impl fmt::Display for Knobs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} workspaces x {} migrations, status memory run over {} workspaces, \
             concurrency {}, {} status rounds, {} single-workspace runs",
            self.workspaces,
            self.migrations,
            self.status_workspaces,
            self.concurrency,
            self.status_rounds,
            self.single_runs
        )
    }
}

/// A positive integer from `name`, or `default` when it is unset.
fn read(name: &str, default: usize) -> Result<usize, String> {
    match std::env::var(name) {
        Err(std::env::VarError::NotPresent) => Ok(default),
        Err(error) => Err(format!("{name}: {error}")),
        Ok(text) => match text.trim().replace('_', "").parse::<usize>() {
            Ok(value) if value > 0 => Ok(value),
            _ => Err(format!("{name} must be a positive integer, found `{text}`")),
        },
    }
}
