//! `wsdb status`: where each selected workspace stands (applied, latest,
//! pending, drift, lock holder), ending with a version histogram. Read-only
//! on every workspace; `--cached` reads the ledger's version cache instead
//! of touching any workspace.

use clap::Args;

use super::GlobalArgs;
use super::fleet_args::FleetArgs;
use super::fleet_run::{RunSpec, Work};
use super::output::{self, Checks};
use super::select::SelectionArgs;
use crate::exit::ExitCode;
use crate::migrate::execute::Operation;
use crate::report::table::Layout;

#[derive(Debug, Args)]
#[command(after_help = "Examples:
  wsdb status -w acme                  one workspace
  wsdb status --all                    the whole fleet, with a version histogram
  wsdb status --all --cached           from the ledger's version cache, touching no workspace
  wsdb status --all --check            exit 3 when anything is pending, drifted or unknown (CI gate)
  wsdb status --all --format json")]
pub struct StatusArgs {
    /// Exit 3 when any workspace has pending migrations, drift or unknown versions
    #[arg(long)]
    pub check: bool,

    /// Read the ledger's version cache instead of the workspaces
    #[arg(long, conflicts_with = "refresh")]
    pub cached: bool,

    /// Also write what was found to the ledger's version cache
    #[arg(long)]
    pub refresh: bool,

    #[command(flatten)]
    pub selection: SelectionArgs,

    #[command(flatten)]
    pub fleet: FleetArgs,
}

pub async fn run(global: &GlobalArgs, args: StatusArgs) -> anyhow::Result<ExitCode> {
    args.fleet.queue("status", false)?;
    let checks = if args.check {
        Checks::Everything
    } else {
        Checks::None
    };
    if args.cached {
        return super::status_cached::run(global, &args.selection, &args.fleet, checks).await;
    }
    let mut prepared = super::prepare::prepare(global, &args.selection, &args.fleet).await?;
    let spec = RunSpec {
        cache_versions: args.refresh && !args.fleet.no_ledger,
        ..RunSpec::new(
            "status",
            Work::Operation(Operation::Status),
            prepared.fleet.clone(),
        )
    };
    let (report, task) = prepared
        .run(global, spec, &super::prepare::interrupt())
        .await?;
    Ok(output::finish(global, task, report, Layout::State, checks).await)
}
