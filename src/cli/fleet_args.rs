//! Options shared by the commands that work on workspaces: how many at once
//! and rollout controls (`FleetArgs`), the ledger switch, and confirmation
//! of destructive commands (`ConfirmArgs`).

use std::time::Duration;

use clap::Args;

use super::UsageError;
use super::queue::QueueSpec;
use crate::config::{RunOverrides, limits, parse_duration};
use crate::fleet::{FailureBudget, FleetOptions};

#[derive(Debug, Clone, Default, Args)]
#[command(next_help_heading = "Running a fleet")]
pub struct FleetArgs {
    /// Workspaces in flight at once [default: `[run] concurrency`]
    #[arg(long, env = "WSDB_CONCURRENCY", value_name = "N", value_parser = parse_concurrency)]
    pub concurrency: Option<usize>,

    /// At most N workspaces in flight on one SQL Server host
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub per_server: Option<u32>,

    /// Run N workspaces first; stop if any of them fails
    #[arg(long, value_name = "N")]
    pub canary: Option<usize>,

    /// Error budget: schedule nothing new after N failures (or N% of the selection)
    #[arg(long, value_name = "N|N%")]
    pub max_failures: Option<FailureBudget>,

    /// Reach and check every selected workspace before changing any
    #[arg(long)]
    pub preflight: bool,

    /// How long to wait for another run's lock [default: `[run] lock_timeout`]
    #[arg(long, env = "WSDB_LOCK_TIMEOUT", value_name = "DURATION", value_parser = parse_lock_timeout)]
    pub lock_timeout: Option<Duration>,

    /// Do not write the run to the control database's ledger
    #[arg(long)]
    pub no_ledger: bool,

    /// Cooperate with other runners through claims and leases in the control database
    // Not with a shard: runners of one queued run must select the same
    // workspaces, which N different shards never do (issue #7).
    #[arg(long, requires = "run_id", conflicts_with_all = ["no_ledger", "canary", "shard", "shard_count"])]
    pub queue: bool,

    /// With --queue: runners given the same id join the same run
    #[arg(long, env = "WSDB_RUN_ID", value_name = "ID")]
    pub run_id: Option<String>,

    /// With --queue: how long a claimed workspace stays this runner's without a renewal
    #[arg(long, value_name = "DURATION", default_value = "60s", value_parser = parse_lease)]
    pub lease: Duration,
}

impl FleetArgs {
    /// The queue this runner joins, for commands that support `--queue`.
    pub fn queue(&self, command: &str, supported: bool) -> Result<Option<QueueSpec>, UsageError> {
        match (self.queue, &self.run_id) {
            (false, _) => Ok(None),
            (true, _) if !supported => Err(UsageError(format!(
                "`--queue` does not apply to `{command}`"
            ))),
            (true, Some(key)) => Ok(Some(QueueSpec {
                key: key.clone(),
                lease: self.lease,
            })),
            (true, None) => Err(UsageError(
                "`--queue` needs `--run-id ID` (or WSDB_RUN_ID)".to_owned(),
            )),
        }
    }

    pub fn overrides(&self) -> RunOverrides {
        RunOverrides {
            concurrency: self.concurrency,
            lock_timeout: self.lock_timeout,
        }
    }

    pub fn options(&self, concurrency: usize) -> FleetOptions {
        FleetOptions {
            concurrency,
            per_server: self.per_server.and_then(|n| usize::try_from(n).ok()),
            canary: self.canary.unwrap_or(0),
            budget: self.max_failures,
        }
    }
}

/// Confirmation of destructive commands (rollback, repair, baseline).
#[derive(Debug, Clone, Default, Args)]
#[command(next_help_heading = "Confirmation")]
pub struct ConfirmArgs {
    /// Do not ask for confirmation (required when not on a terminal)
    #[arg(short = 'y', long)]
    pub yes: bool,

    /// The env's name, to confirm a destructive command on a `protected` env without a terminal
    #[arg(long, value_name = "ENV")]
    pub confirm_env: Option<String>,
}

fn parse_concurrency(text: &str) -> Result<usize, String> {
    let value: i64 = text
        .trim()
        .parse()
        .map_err(|_| format!("`{text}` is not a number"))?;
    match usize::try_from(value) {
        Ok(concurrency) if limits::CONCURRENCY.contains(&value) => Ok(concurrency),
        _ => Err(format!(
            "{value} is out of range: expected {} to {}",
            limits::CONCURRENCY.start(),
            limits::CONCURRENCY.end()
        )),
    }
}

fn parse_lock_timeout(text: &str) -> Result<Duration, String> {
    let duration = parse_duration(text).map_err(|err| err.to_string())?;
    if duration > limits::LOCK_TIMEOUT_MAX {
        return Err(format!(
            "`{text}` is longer than sp_getapplock allows (about 596 hours)"
        ));
    }
    Ok(duration)
}

fn parse_lease(text: &str) -> Result<Duration, String> {
    let lease = parse_duration(text).map_err(|err| err.to_string())?;
    if lease < Duration::from_secs(1) {
        return Err(format!("`{text}` is too short for a lease: at least 1s"));
    }
    Ok(lease)
}

#[cfg(test)]
mod tests {
    use clap::Parser as _;
    use clap::error::ErrorKind;

    use crate::cli::Cli;

    #[test]
    fn queue_refuses_what_would_split_its_runners_selections() {
        let base = ["wsdb", "migrate", "--all", "--queue", "--run-id", "k"];
        let cases: [(&[&str], Option<ErrorKind>); 6] = [
            (&[], None),
            (&["--dry-run"], Some(ErrorKind::ArgumentConflict)),
            (&["--shard", "0/2"], Some(ErrorKind::ArgumentConflict)),
            (&["--shard-count", "2"], Some(ErrorKind::ArgumentConflict)),
            (&["--canary", "1"], Some(ErrorKind::ArgumentConflict)),
            (&["--no-ledger"], Some(ErrorKind::ArgumentConflict)),
        ];
        for (extra, expected) in cases {
            let args = base.iter().chain(extra.iter());
            let parsed = Cli::try_parse_from(args);
            assert_eq!(parsed.err().map(|e| e.kind()), expected, "{extra:?}");
        }
    }
}
