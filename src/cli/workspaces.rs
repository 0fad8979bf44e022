//! `wsdb workspaces`: the workspaces the env's control query returns, and
//! the rows it returned that wsdb cannot use. Touches no workspace.

use clap::Args;
use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{ContentArrangement, Table};
use serde::Serialize;

use super::context::Project;
use super::online::Online;
use super::{Format, GlobalArgs};
use crate::config::RunOverrides;
use crate::exit::ExitCode;
use crate::report::RejectedLine;
use crate::report::printable::printable;
use crate::workspace::{Location, Workspace};

#[derive(Debug, Args)]
#[command(after_help = "Examples:
  wsdb workspaces
  wsdb workspaces --env prod --format json")]
pub struct WorkspacesArgs {}

#[derive(Serialize)]
struct Listed {
    id: String,
    group: Option<String>,
    /// `host:port/database`, or `(connection string)`: never its text,
    /// which may hold a password.
    location: String,
    user: Option<String>,
    encrypt: Option<&'static str>,
}

#[derive(Serialize)]
struct Document {
    workspaces: Vec<Listed>,
    rejected_rows: Vec<RejectedLine>,
}

pub async fn run(global: &GlobalArgs, _args: WorkspacesArgs) -> anyhow::Result<ExitCode> {
    let project = Project::open(global)?;
    let online = Online::open(global, &project, &RunOverrides::default()).await?;
    let rows = online.workspaces().await;
    online.close().await;
    let rows = rows?;
    let document = Document {
        workspaces: rows.workspaces.iter().map(listed).collect(),
        rejected_rows: rows
            .rejected
            .iter()
            .map(|r| RejectedLine {
                row: r.index,
                workspace: r.id.clone(),
                problem: r.problem.to_string(),
            })
            .collect(),
    };
    match global.format {
        Format::Json | Format::Ndjson => {
            let value = crate::report::json::with_schema_version(&document);
            crate::report::write_stdout(&format!("{value:#}\n"));
        }
        Format::Table => crate::report::write_stdout(&render(&document)),
    }
    Ok(if document.rejected_rows.is_empty() {
        ExitCode::Success
    } else {
        ExitCode::Failure
    })
}

fn listed(workspace: &Workspace) -> Listed {
    Listed {
        id: workspace.id.to_string(),
        group: workspace.group.clone(),
        location: match &workspace.location {
            Location::Parts {
                host,
                port,
                database,
            } => format!("{host}:{port}/{database}"),
            Location::ConnectionString(_) => "(connection string)".to_owned(),
        },
        user: workspace.user.clone(),
        encrypt: workspace.encrypt.map(|e| e.as_str()),
    }
}

fn render(document: &Document) -> String {
    let mut table = Table::new();
    table
        .load_style(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic);
    table.set_header(["workspace", "group", "database", "user", "encrypt"]);
    for w in &document.workspaces {
        table.add_row(vec![
            printable(&w.id),
            printable(w.group.as_deref().unwrap_or_default()),
            printable(&w.location),
            printable(w.user.as_deref().unwrap_or_default()),
            w.encrypt.unwrap_or_default().into(),
        ]);
    }
    let mut out = format!("{table}\n");
    for r in &document.rejected_rows {
        out.push_str(&format!(
            "rejected row {} ({}): {}\n",
            r.row,
            printable(r.workspace.as_deref().unwrap_or("no id")),
            printable(&r.problem)
        ));
    }
    out.push_str(&format!(
        "{} workspace(s), {} rejected row(s)\n",
        document.workspaces.len(),
        document.rejected_rows.len()
    ));
    out
}
