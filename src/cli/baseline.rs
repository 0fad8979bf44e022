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
  wsdb baseline -w legacy-42 --version 12      history rows for 1..=12, nothing run
  wsdb baseline --group imported --version 12 --yes")]
// `--version V` is this command's own argument, so the `--version` flag
// propagated from the top-level command must not exist here (clap refuses
// two arguments with one name: `wsdb baseline` panicked).
#[command(disable_version_flag = true)]
pub struct BaselineArgs {
    #[command(flatten)]
    pub selection: SelectionArgs,

    #[command(flatten)]
    pub fleet: FleetArgs,

    #[command(flatten)]
    pub confirm: ConfirmArgs,

    /// The version the databases' schema already has
    #[arg(long, value_name = "VERSION", value_parser = parse_version)]
    pub version: Version,
}

pub async fn run(global: &GlobalArgs, args: BaselineArgs) -> anyhow::Result<ExitCode> {
    args.fleet.queue("baseline", false)?;
    let mut prepared = super::prepare::prepare(global, &args.selection, &args.fleet).await?;
    let env = &prepared.online.env;
    let what = format!(
        "mark {} workspace(s) in env `{}` as being at version {}",
        prepared.selected.workspaces.len(),
        env.name,
        args.version
    );
    if !super::confirm::confirm(&what, &args.confirm, &env.name, env.run.protected)? {
        prepared.online.close().await;
        return Err(anyhow::anyhow!("aborted: nothing was changed"));
    }
    let spec = RunSpec {
        command: "baseline",
        work: Work::Operation(Operation::Baseline {
            version: args.version,
        }),
        fleet: prepared.fleet.clone(),
        ledger: !args.fleet.no_ledger,
        cache_versions: false,
        per_workspace: None,
        queue: None,
    };
    let (report, task) = prepared
        .run(global, spec, &super::prepare::interrupt())
        .await?;
    Ok(output::finish(global, task, report, Layout::Change, Checks::None).await)
}
