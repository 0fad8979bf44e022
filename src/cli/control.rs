//! `wsdb control init`: creates or upgrades wsdb's own schema (`wsdb`) in
//! the control database. Idempotent; ledger-writing commands do the same on
//! first use, so this is for operators who prefer an explicit step.

use clap::{Args, Subcommand};

use super::context::Project;
use super::online::Online;
use super::{Format, GlobalArgs};
use crate::config::RunOverrides;
use crate::exit::ExitCode;

#[derive(Debug, Args)]
pub struct ControlArgs {
    #[command(subcommand)]
    pub command: ControlCommand,
}

#[derive(Debug, Subcommand)]
pub enum ControlCommand {
    /// Create or upgrade wsdb's schema in the control database
    #[command(after_help = "Examples:
  wsdb control init
  wsdb control init --env prod

The control user needs CREATE on the database the first time (docs/control-database.md).")]
    Init,
}

pub async fn run(global: &GlobalArgs, args: ControlArgs) -> anyhow::Result<ExitCode> {
    match args.command {
        ControlCommand::Init => init(global).await,
    }
}

async fn init(global: &GlobalArgs) -> anyhow::Result<ExitCode> {
    let project = Project::open(global)?;
    let online = Online::open(global, &project, &RunOverrides::default()).await?;
    let report = online.control.init().await;
    online.close().await;
    let report = report?;
    match global.format {
        Format::Json | Format::Ndjson => {
            let value = serde_json::json!({
                "schema_version": crate::report::summary::SCHEMA_VERSION,
                "applied": report.applied,
                "version": report.version,
            });
            crate::report::write_stdout(&format!("{value:#}\n"));
        }
        Format::Table if report.applied.is_empty() => crate::report::write_stdout(&format!(
            "wsdb schema is current (version {})\n",
            report.version
        )),
        Format::Table => crate::report::write_stdout(&format!(
            "wsdb schema upgraded to version {} (applied {})\n",
            report.version,
            report
                .applied
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
    Ok(ExitCode::Success)
}
