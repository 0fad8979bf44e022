//! `wsdb repair`: after a human looked, deletes the history rows of failed
//! `no-transaction` migrations and realigns drifted checksums to the files.
//! Confirmed first; unknown applied versions are left and reported.

use clap::Args;

use super::GlobalArgs;
use super::fleet_args::{ConfirmArgs, FleetArgs};
use super::fleet_run::{RunSpec, Work};
use super::output::{self, Checks};
use super::select::SelectionArgs;
use crate::exit::ExitCode;
use crate::migrate::execute::Operation;
use crate::report::table::Layout;

#[derive(Debug, Args)]
#[command(after_help = "Examples:
  wsdb repair -w acme               after fixing acme by hand
  wsdb repair -w acme --yes         without a prompt (CI)

repair changes only wsdb's history table: it never runs a migration. Decide first
what the database really holds: `wsdb verify -w ID` and `wsdb history -w ID` show it.")]
pub struct RepairArgs {
    #[command(flatten)]
    pub selection: SelectionArgs,

    #[command(flatten)]
    pub fleet: FleetArgs,

    #[command(flatten)]
    pub confirm: ConfirmArgs,
}

pub async fn run(global: &GlobalArgs, args: RepairArgs) -> anyhow::Result<ExitCode> {
    args.fleet.queue("repair", false)?;
    let mut prepared = super::prepare::prepare(global, &args.selection, &args.fleet).await?;
    let what = format!(
        "repair the history of {} workspace(s)",
        prepared.selected.workspaces.len()
    );
    prepared.confirm(&what, &args.confirm).await?;
    let spec = RunSpec {
        ledger: !args.fleet.no_ledger,
        ..RunSpec::new(
            "repair",
            Work::Operation(Operation::Repair),
            prepared.fleet.clone(),
        )
    };
    let (report, task) = prepared
        .run(global, spec, &super::prepare::interrupt())
        .await?;
    Ok(output::finish(global, task, report, Layout::Change, Checks::None).await)
}
