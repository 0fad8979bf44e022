//! `wsdb runs` lists past runs from the ledger; `wsdb runs show ID` reports
//! one run across all its runners, workspace by workspace. Read-only.

use clap::{Args, Subcommand};
use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{ContentArrangement, Table};

use super::context::Project;
use super::online::Online;
use super::{Format, GlobalArgs, UsageError};
use crate::config::RunOverrides;
use crate::control::{RunDetail, RunId, RunSummary};
use crate::exit::ExitCode;
use crate::report::printable::printable;

#[derive(Debug, Args)]
#[command(after_help = "Examples:
  wsdb runs                       the 20 most recent runs
  wsdb runs --limit 100
  wsdb runs show 1042             one run, every workspace, across all its runners")]
pub struct RunsArgs {
    #[command(subcommand)]
    pub command: Option<RunsCommand>,

    /// How many runs to list
    #[arg(long, default_value_t = 20, value_name = "N")]
    pub limit: u32,
}

#[derive(Debug, Subcommand)]
pub enum RunsCommand {
    /// One run across all its runners
    Show {
        /// The run's id, as `wsdb runs` lists it
        id: RunId,
    },
}

pub async fn run(global: &GlobalArgs, args: RunsArgs) -> anyhow::Result<ExitCode> {
    let project = Project::open(global)?;
    let online = Online::open(global, &project, &RunOverrides::default()).await?;
    let result = match args.command {
        None => list(global, &online, args.limit).await,
        Some(RunsCommand::Show { id }) => show(global, &online, id).await,
    };
    online.close().await;
    result
}

async fn list(global: &GlobalArgs, online: &Online, limit: u32) -> anyhow::Result<ExitCode> {
    let runs = online.control.list_runs(limit).await?;
    match global.format {
        Format::Json | Format::Ndjson => print_json(&serde_json::json!({ "runs": runs })),
        Format::Table => {
            let mut table = new_table([
                "run",
                "command",
                "env",
                "started (UTC)",
                "by",
                "outcome",
                "workspaces",
                "failed",
            ]);
            for run in &runs {
                table.add_row(vec![
                    run.id.to_string(),
                    run.command.clone(),
                    printable(&run.env).into_owned(),
                    run.started_at.format("%Y-%m-%d %H:%M:%S").to_string(),
                    printable(&run.started_by).into_owned(),
                    outcome(run),
                    run.total().to_string(),
                    failed(run).to_string(),
                ]);
            }
            crate::report::write_stdout(&format!("{table}\n"));
        }
    }
    Ok(ExitCode::Success)
}

async fn show(global: &GlobalArgs, online: &Online, id: RunId) -> anyhow::Result<ExitCode> {
    let Some(detail) = online.control.show_run(id).await? else {
        return Err(UsageError(format!(
            "there is no run {id} in the ledger\nhint: `wsdb runs` lists them"
        ))
        .into());
    };
    match global.format {
        Format::Json | Format::Ndjson => print_json(&serde_json::to_value(&detail)?),
        Format::Table => crate::report::write_stdout(&render_detail(&detail)),
    }
    Ok(ExitCode::Success)
}

fn render_detail(detail: &RunDetail) -> String {
    let run = &detail.run;
    let mut out = format!(
        "run {} · wsdb {} · env {} · by {} · started {} · {}\n",
        run.id,
        printable(&run.args.join(" ")),
        printable(&run.env),
        printable(&run.started_by),
        run.started_at.format("%Y-%m-%d %H:%M:%S UTC"),
        outcome(run)
    );
    let mut table = new_table([
        "workspace",
        "status",
        "version",
        "applied",
        "runner",
        "time",
        "error",
    ]);
    for w in &detail.workspaces {
        let version = match (w.version_before, w.version_after) {
            (before, after) if before == after => opt(after),
            (before, after) => format!("{} → {}", opt(before), opt(after)),
        };
        table.add_row(vec![
            printable(&w.workspace_id.to_string()).into_owned(),
            w.status.as_str().replace('_', " "),
            version,
            w.applied_versions
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(","),
            printable(w.runner_id.as_deref().unwrap_or_default()).into_owned(),
            w.duration_ms
                .map(crate::report::table::duration)
                .unwrap_or_default(),
            printable(w.error.as_deref().unwrap_or_default()).into_owned(),
        ]);
    }
    out.push_str(&format!("{table}\n"));
    out
}

fn outcome(run: &RunSummary) -> String {
    run.outcome
        .map_or_else(|| "running".to_owned(), |o| o.as_str().to_owned())
}

fn failed(run: &RunSummary) -> u64 {
    run.counts
        .iter()
        .filter(|(status, _)| !status.is_success())
        .map(|(_, n)| n)
        .sum()
}

fn opt(version: Option<crate::migrate::Version>) -> String {
    version.map_or_else(|| "-".to_owned(), |v| v.to_string())
}

fn new_table<const N: usize>(header: [&str; N]) -> Table {
    let mut table = Table::new();
    table
        .load_style(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic);
    table.set_header(header);
    table
}

fn print_json(value: &serde_json::Value) {
    let value = crate::report::json::with_schema_version(value);
    crate::report::write_stdout(&format!("{value:#}\n"));
}
