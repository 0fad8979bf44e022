//! `wsdb migrate`: applies pending migrations to the selected workspaces,
//! each migration in its own transaction under the workspace's lock.
//! `--preflight` checks every workspace first; `--resume RUN_ID` retries
//! only what a past run did not finish; `--dry-run` prints the batches.

use clap::Args;

use super::GlobalArgs;
use super::dry_run;
use super::fleet_args::FleetArgs;
use super::fleet_run::{RunSpec, Work};
use super::output::{self, Checks};
use super::prepare::{Prepared, prepare};
use super::select::SelectionArgs;
use crate::control::RunId;
use crate::exit::ExitCode;
use crate::migrate::execute::Operation;
use crate::migrate::{UpTarget, Version};
use crate::report::table::Layout;

#[derive(Debug, Args)]
#[command(after_help = "Examples:
  wsdb migrate -w acme                              one workspace, to the latest version
  wsdb migrate -w acme --to 41                      up to version 41
  wsdb migrate --all --dry-run                      print what would run
  wsdb migrate --all --canary 3 --max-failures 2 --concurrency 32
  wsdb migrate --all --preflight                    reach and check every workspace first
  wsdb migrate --all --resume 1042                  only what run 1042 did not finish
  wsdb migrate --all --shard 0/4                    this runner's quarter of the fleet")]
pub struct MigrateArgs {
    /// Stop at this version instead of the latest
    #[arg(long, value_name = "VERSION", value_parser = parse_version)]
    pub to: Option<Version>,

    /// Print the batches that would run; lock nothing, change nothing
    // Not with `--queue`: a dry runner would claim workspaces from the
    // real runners of the run and record them as skipped (issue #7).
    #[arg(long, conflicts_with = "queue")]
    pub dry_run: bool,

    /// Only the workspaces that failed or were not reached in this run
    #[arg(long, value_name = "RUN_ID")]
    pub resume: Option<RunId>,

    #[command(flatten)]
    pub selection: SelectionArgs,

    #[command(flatten)]
    pub fleet: FleetArgs,
}

pub fn parse_version(text: &str) -> Result<Version, String> {
    text.trim()
        .parse::<u64>()
        .ok()
        .and_then(Version::new)
        .ok_or_else(|| format!("`{text}` is not a migration version (a positive integer)"))
}

pub async fn run(global: &GlobalArgs, mut args: MigrateArgs) -> anyhow::Result<ExitCode> {
    let queue = args.fleet.queue("migrate", true)?;
    if args.resume.is_some() && args.selection.is_empty() {
        args.selection.all = true;
    }
    let mut prepared = prepare(global, &args.selection, &args.fleet).await?;
    prepared.require_version(args.to)?;
    if let Some(run_id) = args.resume {
        restrict_to_resume_set(&mut prepared, run_id).await?;
    }
    let interrupt = super::prepare::interrupt();
    let target = args.to.map_or(UpTarget::Latest, UpTarget::Version);
    let operation = Operation::Migrate {
        target,
        dry_run: args.dry_run,
    };
    if args.fleet.preflight
        && !args.dry_run
        && let Some(code) = super::preflight::run(global, &prepared, &interrupt).await?
    {
        return Ok(code);
    }
    let spec = RunSpec {
        ledger: !args.fleet.no_ledger && !args.dry_run,
        queue,
        ..RunSpec::new(
            "migrate",
            Work::Operation(operation),
            prepared.fleet.clone(),
        )
    };
    let (report, task) = prepared.run(global, spec, &interrupt).await?;
    if args.dry_run && global.format == super::Format::Table {
        crate::report::write_stdout(&dry_run::render(
            &report,
            &prepared.set,
            dry_run::Direction::Up { to: args.to },
        ));
    }
    Ok(output::finish(global, task, report, Layout::Change, Checks::None).await)
}

/// Keeps only the workspaces `run_id` did not finish successfully.
async fn restrict_to_resume_set(prepared: &mut Prepared, run_id: RunId) -> anyhow::Result<()> {
    let resume: std::collections::HashSet<String> = prepared
        .online
        .control
        .workspaces_to_resume(run_id)
        .await?
        .into_iter()
        .map(|id| id.0)
        .collect();
    prepared
        .selected
        .workspaces
        .retain(|w| resume.contains(w.id.as_str()));
    prepared.selected.rejected.clear();
    Ok(())
}
