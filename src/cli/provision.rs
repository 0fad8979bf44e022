//! `wsdb provision`: creates each selected workspace's database when it is
//! missing (through the server's `master`), then migrates it to the latest
//! version under its lock.

use clap::Args;

use super::GlobalArgs;
use super::fleet_args::FleetArgs;
use super::fleet_run::{RunSpec, Work};
use super::output::{self, Checks};
use super::select::SelectionArgs;
use crate::exit::ExitCode;
use crate::report::table::Layout;

#[derive(Debug, Args)]
#[command(after_help = "Examples:
  wsdb provision -w new-tenant          create the database if missing, then migrate it
  wsdb provision --group onboarding

The login needs CREATE DATABASE on the server for workspaces whose database is missing.")]
pub struct ProvisionArgs {
    #[command(flatten)]
    pub selection: SelectionArgs,

    #[command(flatten)]
    pub fleet: FleetArgs,
}

pub async fn run(global: &GlobalArgs, args: ProvisionArgs) -> anyhow::Result<ExitCode> {
    let queue = args.fleet.queue("provision", true)?;
    let mut prepared = super::prepare::prepare(global, &args.selection, &args.fleet).await?;
    let spec = RunSpec {
        ledger: !args.fleet.no_ledger,
        queue,
        ..RunSpec::new("provision", Work::Provision, prepared.fleet.clone())
    };
    let (report, task) = prepared
        .run(global, spec, &super::prepare::interrupt())
        .await?;
    Ok(output::finish(global, task, report, Layout::Change, Checks::None).await)
}
