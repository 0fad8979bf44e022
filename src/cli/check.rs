//! `wsdb check`: validates the configuration and the migration set, then
//! (unless `--offline`) reaches the control database and a sample of
//! workspaces and reports their server versions and TLS.

use clap::Args;
use serde::Serialize;

use super::context::Project;
use super::online::Online;
use super::{Format, GlobalArgs};
use crate::config::RunOverrides;
use crate::config::redact_url;
use crate::control::SchemaState;
use crate::engine::Session as _;
use crate::exit::ExitCode;
use crate::migrate::lint::{self, Severity};

#[derive(Debug, Args)]
#[command(after_help = "Examples:
  wsdb check --offline              config + migrations, no network (CI lint step)
  wsdb check                        also reach the control database and 3 workspaces
  wsdb check --sample 10 --env prod")]
pub struct CheckArgs {
    /// Check only what needs no network: wsdb.toml, the migration files, wsdb.sum
    #[arg(long)]
    pub offline: bool,

    /// How many workspaces to reach
    #[arg(long, default_value_t = 3, value_name = "N")]
    pub sample: usize,
}

/// What the offline part found.
#[derive(Debug, Serialize)]
struct OfflineReport {
    config: String,
    env: String,
    control_url: String,
    migrations_dir: String,
    migrations: usize,
    latest: Option<u64>,
    lint_errors: usize,
    lint_warnings: usize,
}

pub async fn run(global: &GlobalArgs, args: CheckArgs) -> anyhow::Result<ExitCode> {
    let project = Project::open(global)?;
    let env = project.env(global)?;
    let set = project.migrations()?;
    let findings = lint::lint(&set);
    let lint_errors = findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    let offline = OfflineReport {
        config: project.config()?.path.display().to_string(),
        env: env.name.clone(),
        control_url: redact_url(env.control_url.expose()),
        migrations_dir: project.migrations_dir.display().to_string(),
        migrations: set.migrations.len(),
        latest: set.latest().map(|v| v.get()),
        lint_errors,
        lint_warnings: findings.len() - lint_errors,
    };
    if args.offline {
        print_offline(global, &offline, None);
        return Ok(if lint_errors > 0 {
            ExitCode::CheckFailed
        } else {
            ExitCode::Success
        });
    }
    let online = check_online(global, &project, args.sample).await?;
    print_offline(global, &offline, Some(&online));
    let failed = !online.control_ok || online.workspaces.iter().any(|w| w.error.is_some());
    Ok(if failed {
        ExitCode::Failure
    } else if lint_errors > 0 {
        ExitCode::CheckFailed
    } else {
        ExitCode::Success
    })
}

/// What the online part found.
#[derive(Debug, Serialize)]
struct OnlineReport {
    control_ok: bool,
    control_schema: String,
    workspace_rows: usize,
    rejected_rows: usize,
    workspaces: Vec<WorkspaceCheck>,
}

#[derive(Debug, Serialize)]
struct WorkspaceCheck {
    workspace: String,
    #[serde(flatten)]
    server: Option<crate::engine::ServerInfo>,
    error: Option<String>,
}

async fn check_online(
    global: &GlobalArgs,
    project: &Project,
    sample: usize,
) -> anyhow::Result<OnlineReport> {
    let online = Online::open(global, project, &RunOverrides::default()).await?;
    let schema = match online.control.schema_state().await {
        Ok(SchemaState::Missing) => {
            "not created yet (the first ledger write or `wsdb control init` creates it)".to_owned()
        }
        Ok(SchemaState::Current { version }) => format!("version {version}"),
        Ok(SchemaState::Behind { found, latest }) => {
            format!("version {found}, upgraded to {latest} on the next write")
        }
        Ok(SchemaState::Ahead { found, latest }) => {
            format!("version {found}, newer than this wsdb knows ({latest}): upgrade wsdb")
        }
        Err(err) => format!("unknown ({err})"),
    };
    let rows = online.workspaces().await?;
    let mut workspaces = Vec::new();
    for workspace in rows.workspaces.iter().take(sample) {
        let (server, error) = match online.pools.acquire(workspace).await {
            Ok(mut session) => {
                let info = session.server_info().await;
                session.release().await;
                match info {
                    Ok(info) => (Some(info), None),
                    Err(err) => (None, Some(err.to_string())),
                }
            }
            Err(err) => (None, Some(err.to_string())),
        };
        workspaces.push(WorkspaceCheck {
            workspace: workspace.id.to_string(),
            server,
            error,
        });
    }
    online.close().await;
    Ok(OnlineReport {
        control_ok: true,
        control_schema: schema,
        workspace_rows: rows.workspaces.len(),
        rejected_rows: rows.rejected.len(),
        workspaces,
    })
}

fn print_offline(global: &GlobalArgs, report: &OfflineReport, online: Option<&OnlineReport>) {
    match global.format {
        Format::Json | Format::Ndjson => {
            let value = crate::report::json::with_schema_version(&serde_json::json!({
                "offline": report,
                "online": online,
            }));
            crate::report::write_stdout(&format!("{value:#}\n"));
        }
        Format::Table => {
            let latest = report
                .latest
                .map_or_else(|| "-".to_owned(), |v| v.to_string());
            crate::report::write_stdout(&format!(
                "ok  config      {} (env `{}`)\nok  control     {}\nok  migrations  {}: {} migrations, latest {latest}, wsdb.sum matches\n{}  lint        {} error(s), {} warning(s){}\n",
                report.config,
                report.env,
                report.control_url,
                report.migrations_dir,
                report.migrations,
                if report.lint_errors > 0 { "!!" } else { "ok" },
                report.lint_errors,
                report.lint_warnings,
                if report.lint_errors > 0 {
                    " (run `wsdb lint`)"
                } else {
                    ""
                },
            ));
            if let Some(online) = online {
                crate::report::write_stdout(&render_online(online));
            }
        }
    }
}

fn render_online(online: &OnlineReport) -> String {
    let mut out = format!(
        "ok  control db  reachable, wsdb schema {}\n{}  workspaces  {} row(s), {} rejected (see `wsdb workspaces`)\n",
        online.control_schema,
        if online.rejected_rows > 0 { "!!" } else { "ok" },
        online.workspace_rows,
        online.rejected_rows
    );
    for w in &online.workspaces {
        match (&w.server, &w.error) {
            (Some(server), _) => out.push_str(&format!(
                "ok  workspace   {}: SQL Server {} · database {} · TLS {}\n",
                w.workspace,
                server.product_version,
                server.database,
                if server.tls { "on" } else { "off" }
            )),
            (None, Some(error)) => {
                out.push_str(&format!("!!  workspace   {}: {error}\n", w.workspace))
            }
            (None, None) => {}
        }
    }
    out
}
