//! `wsdb history -w ID`: the applied migrations of one workspace, as its
//! `dbo.wsdb_history` table records them. Read-only.

use clap::Args;
use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{ContentArrangement, Table};
use serde::Serialize;

use super::context::Project;
use super::online::Online;
use super::select::SelectionArgs;
use super::{Format, GlobalArgs};
use crate::config::RunOverrides;
use crate::control::local_identity;
use crate::exit::ExitCode;
use crate::migrate::AppliedMigration;
use crate::migrate::execute::{self, ExecOptions, Operation, Outcome};
use crate::report::printable::printable;

#[derive(Debug, Args)]
#[command(after_help = "Examples:
  wsdb history -w acme
  wsdb history -w acme --format json")]
pub struct HistoryArgs {
    /// The workspace
    #[arg(short = 'w', long = "workspace", value_name = "ID")]
    pub workspace: String,
}

#[derive(Serialize)]
struct HistoryDocument<'a> {
    workspace: &'a str,
    history_table: bool,
    rows: &'a [AppliedMigration],
}

pub async fn run(global: &GlobalArgs, args: HistoryArgs) -> anyhow::Result<ExitCode> {
    let project = Project::open(global)?;
    let set = project.migrations()?;
    let online = Online::open(global, &project, &RunOverrides::default()).await?;
    let selection = SelectionArgs {
        workspaces: vec![args.workspace.clone()],
        ..Default::default()
    };
    let selected = selection.select(online.workspaces().await?, None)?;
    let Some(workspace) = selected.workspaces.first() else {
        let problem = selected
            .rejected
            .first()
            .map_or_else(String::new, |r| r.problem.clone());
        online.close().await;
        anyhow::bail!(
            "workspace `{}`'s row in the control database is unusable: {problem}",
            args.workspace
        );
    };
    let exec = ExecOptions::from_settings(&online.env.run, &online.env.mssql, local_identity());
    let outcome = match online.pools.acquire(workspace).await {
        Ok(mut session) => {
            let report =
                execute::run(&mut *session, &set, &Operation::History, &exec, |_| {}).await;
            session.release().await;
            report.outcome
        }
        Err(err) => {
            online.close().await;
            return Err(err.into());
        }
    };
    online.close().await;
    let (table_exists, rows) = match outcome {
        Outcome::History { table_exists, rows } => (table_exists, rows),
        Outcome::Failed { error } => return Err(error.into()),
        other => anyhow::bail!("unexpected outcome of `history`: {other:?}"),
    };
    match global.format {
        Format::Json | Format::Ndjson => {
            let document = HistoryDocument {
                workspace: &args.workspace,
                history_table: table_exists,
                rows: &rows,
            };
            let value = crate::report::json::with_schema_version(&document);
            crate::report::write_stdout(&format!("{value:#}\n"));
        }
        Format::Table if !table_exists => crate::report::write_stdout(&format!(
            "workspace `{}` was never migrated by wsdb (no dbo.wsdb_history table)\n",
            args.workspace
        )),
        Format::Table => crate::report::write_stdout(&format!("{}\n", history_table(&rows))),
    }
    Ok(ExitCode::Success)
}

fn history_table(rows: &[AppliedMigration]) -> Table {
    let mut table = Table::new();
    table
        .load_style(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic);
    table.set_header([
        "version",
        "name",
        "applied at (UTC)",
        "time",
        "by",
        "wsdb",
        "ok",
        "checksum",
    ]);
    for row in rows {
        table.add_row(vec![
            row.version.to_string(),
            printable(&row.name).into_owned(),
            row.applied_at.format("%Y-%m-%d %H:%M:%S").to_string(),
            crate::report::table::duration(row.duration_ms),
            printable(&row.applied_by).into_owned(),
            printable(&row.wsdb_version).into_owned(),
            if row.success {
                "yes".to_owned()
            } else {
                "FAILED".to_owned()
            },
            row.checksum.to_hex()[..12].to_owned(),
        ]);
    }
    table
}
