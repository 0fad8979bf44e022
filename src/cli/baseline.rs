//! `wsdb baseline`: marks databases that wsdb never migrated (their schema
//! was created another way) as being at version V, so that `migrate`
//! applies only what comes after. Confirmed first.

use clap::Args;

use super::GlobalArgs;
use super::fleet_args::{ConfirmArgs, FleetArgs};
use super::fleet_run::{RunSpec, Work};
use super::migrate::parse_version;
use super::output::{self, Checks};
use super::select::SelectionArgs;
use crate::exit::ExitCode;
use crate::migrate::Version;
use crate::migrate::execute::Operation;
use crate::report::table::Layout;

#[derive(Debug, Args)]
#[command(after_help = "Examples:
  wsdb baseline -w legacy-42 --version 12     history rows for 1..=12, nothing run
  wsdb baseline --group imported --version 12 --yes")]
pub struct BaselineArgs {
    /// The version the databases' schema already has
    #[arg(long, value_name = "VERSION", value_parser = parse_version)]
    pub version: Version,

    #[command(flatten)]
    pub selection: SelectionArgs,

    #[command(flatten)]
    pub fleet: FleetArgs,

    #[command(flatten)]
    pub confirm: ConfirmArgs,
}

pub async fn run(global: &GlobalArgs, args: BaselineArgs) -> anyhow::Result<ExitCode> {
    args.fleet.queue("baseline", false)?;
    let mut prepared = super::prepare::prepare(global, &args.selection, &args.fleet).await?;
    prepared.require_version(Some(args.version))?;
    let what = format!(
        "mark {} workspace(s) as being at version {}",
        prepared.selected.workspaces.len(),
        args.version
    );
    prepared.confirm(&what, &args.confirm).await?;
    let spec = RunSpec {
        ledger: !args.fleet.no_ledger,
        ..RunSpec::new(
            "baseline",
            Work::Operation(Operation::Baseline {
                version: args.version,
            }),
            prepared.fleet.clone(),
        )
    };
    let (report, task) = prepared
        .run(global, spec, &super::prepare::interrupt())
        .await?;
    Ok(output::finish(global, task, report, Layout::Change, Checks::None).await)
}
