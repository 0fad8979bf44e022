//! `wsdb verify`: compares every selected workspace's history with the
//! migration files. Read-only; exit 3 on drift, unknown applied versions or
//! failed migrations (pending migrations are fine: see `status --check`).

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
  wsdb verify -w acme
  wsdb verify --all                 exit 3 when any workspace drifted or is ahead of the code")]
pub struct VerifyArgs {
    #[command(flatten)]
    pub selection: SelectionArgs,

    #[command(flatten)]
    pub fleet: FleetArgs,
}

pub async fn run(global: &GlobalArgs, args: VerifyArgs) -> anyhow::Result<ExitCode> {
    args.fleet.queue("verify", false)?;
    let mut prepared = super::prepare::prepare(global, &args.selection, &args.fleet).await?;
    let spec = RunSpec::new(
        "verify",
        Work::Operation(Operation::Verify),
        prepared.fleet.clone(),
    );
    let (report, task) = prepared
        .run(global, spec, &super::prepare::interrupt())
        .await?;
    Ok(output::finish(global, task, report, Layout::State, Checks::Integrity).await)
}
