//! `wsdb rollback`: runs down migrations, newest first, to `--to V` or by
//! `--steps N`, or undoes exactly what one past run applied (`--run ID`).
//! Every needed down file must exist before anything runs. Confirmed first.

use std::collections::HashMap;

use clap::Args;

use super::GlobalArgs;
use super::UsageError;
use super::dry_run;
use super::fleet_args::{ConfirmArgs, FleetArgs};
use super::fleet_run::{RunSpec, Work};
use super::migrate::parse_version;
use super::output::{self, Checks};
use super::prepare::{Prepared, prepare};
use super::select::SelectionArgs;
use crate::control::RunId;
use crate::exit::ExitCode;
use crate::migrate::execute::Operation;
use crate::migrate::{DownTarget, Version};

use crate::report::table::Layout;

#[derive(Debug, Args)]
#[command(after_help = "Examples:
  wsdb rollback -w acme --to 41              run the downs of every version above 41
  wsdb rollback -w acme --steps 1            undo the latest migration
  wsdb rollback --run 1042 --yes             undo exactly what run 1042 applied, last workspace first
  wsdb rollback --all --to 41 --dry-run      print what would run")]
#[command(group(clap::ArgGroup::new("how").required(true).args(["to", "steps", "run"])))]
pub struct RollbackArgs {
    /// Roll back to this version (it stays applied)
    #[arg(long, value_name = "VERSION", value_parser = parse_version)]
    pub to: Option<Version>,

    /// Roll back this many migrations
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub steps: Option<u32>,

    /// Undo what this run applied, in reverse order
    #[arg(long, value_name = "RUN_ID", conflicts_with_all = ["to", "steps"])]
    pub run: Option<RunId>,

    /// Print the down batches that would run; change nothing
    #[arg(long)]
    pub dry_run: bool,

    #[command(flatten)]
    pub selection: SelectionArgs,

    #[command(flatten)]
    pub fleet: FleetArgs,

    #[command(flatten)]
    pub confirm: ConfirmArgs,
}

pub async fn run(global: &GlobalArgs, mut args: RollbackArgs) -> anyhow::Result<ExitCode> {
    args.fleet.queue("rollback", false)?;
    if args.run.is_some() && args.selection.is_empty() {
        args.selection.all = true;
    }
    let mut prepared = prepare(global, &args.selection, &args.fleet).await?;
    prepared.require_version(args.to)?;
    let undo = match args.run {
        Some(run_id) => run_targets(&mut prepared, run_id).await?,
        None => HashMap::new(),
    };
    if !args.dry_run {
        let what = format!(
            "roll back {} workspace(s)",
            prepared.selected.workspaces.len()
        );
        prepared.confirm(&what, &args.confirm).await?;
    }
    let interrupt = super::prepare::interrupt();
    if undo.is_empty() {
        let target = match (args.to, args.steps) {
            (Some(version), _) => DownTarget::To(version),
            (None, Some(steps)) => DownTarget::Steps(usize::try_from(steps).unwrap_or(usize::MAX)),
            (None, None) => {
                return Err(UsageError(
                    "say how far: `--to V`, `--steps N` or `--run ID`".to_owned(),
                )
                .into());
            }
        };
        let spec = spec(
            &prepared,
            Operation::Rollback {
                target,
                dry_run: args.dry_run,
            },
            &args,
        );
        let (report, task) = prepared.run(global, spec, &interrupt).await?;
        if args.dry_run && global.format == super::Format::Table {
            let plans = dry_run::render(&report, &prepared.set, dry_run::Direction::Down(target));
            crate::report::write_stdout(&plans);
        }
        return Ok(output::finish(global, task, report, Layout::Change, Checks::None).await);
    }
    // `--run`: each workspace goes back to where that run found it, and
    // only if it is still where the run left it.
    let spec = RunSpec {
        per_workspace: Some(undo),
        ..spec(
            &prepared,
            Operation::Rollback {
                target: DownTarget::Steps(1),
                dry_run: args.dry_run,
            },
            &args,
        )
    };
    let (report, task) = prepared.run(global, spec, &interrupt).await?;
    Ok(output::finish(global, task, report, Layout::Change, Checks::None).await)
}

fn spec(prepared: &Prepared, operation: Operation, args: &RollbackArgs) -> RunSpec {
    RunSpec {
        ledger: !args.fleet.no_ledger && !args.dry_run,
        ..RunSpec::new(
            "rollback",
            Work::Operation(operation),
            prepared.fleet.clone(),
        )
    }
}

/// For `--run ID`: the workspaces that run changed, most recently changed
/// first (the order to undo them in), each with its own undo target.
/// Workspaces the run did not change are dropped from the selection.
async fn run_targets(
    prepared: &mut Prepared,
    run_id: RunId,
) -> anyhow::Result<HashMap<String, DownTarget>> {
    let changes = prepared.online.control.changed_by_run(run_id).await?;
    let undo: Vec<(String, DownTarget)> = changes
        .into_iter()
        .filter_map(|c| {
            let from = c.version_after.filter(|_| !c.versions.is_empty())?;
            Some((
                c.workspace_id.0,
                DownTarget::Undo {
                    from,
                    to: c.version_before,
                },
            ))
        })
        .collect();
    if undo.is_empty() {
        return Err(UsageError(format!(
            "run {run_id} applied no migration: nothing to roll back"
        ))
        .into());
    }
    let order: HashMap<&str, usize> = undo
        .iter()
        .enumerate()
        .map(|(i, (id, _))| (id.as_str(), i))
        .collect();
    prepared
        .selected
        .workspaces
        .retain(|w| order.contains_key(w.id.as_str()));
    prepared
        .selected
        .workspaces
        .sort_by_key(|w| order.get(w.id.as_str()).copied());
    prepared.selected.rejected.clear();
    Ok(undo.into_iter().collect())
}
