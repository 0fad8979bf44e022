//! `wsdb status --cached`: the fleet's state from the ledger's version
//! cache, touching no workspace database. Workspaces the cache has never
//! seen are shown as such.

use std::collections::HashMap;
use std::time::Instant;

use chrono::Utc;

use super::GlobalArgs;
use super::context::Project;
use super::fleet_args::FleetArgs;
use super::online::Online;
use super::output::{self, Checks};
use super::select::SelectionArgs;
use crate::control::{VersionRecord, VersionState};
use crate::exit::ExitCode;
use crate::migrate::{MigrationSet, Version};
use crate::report::{Event, RunReport, Status, WorkspaceLine, reporter, summary, table::Layout};

pub async fn run(
    global: &GlobalArgs,
    selection: &SelectionArgs,
    fleet: &FleetArgs,
    checks: Checks,
) -> anyhow::Result<ExitCode> {
    let clock = Instant::now();
    let started_at = Utc::now();
    let project = Project::open(global)?;
    let set = project.migrations()?;
    let shard = selection.shard(std::env::var("JOB_COMPLETION_INDEX").ok().as_deref())?;
    let online = Online::open(global, &project, &fleet.overrides()).await?;
    let selected = selection.select(online.workspaces().await?, shard)?;
    let cache: HashMap<String, VersionRecord> = online
        .control
        .version_cache()
        .await?
        .into_iter()
        .map(|record| (record.workspace_id.0.clone(), record))
        .collect();
    online.control.close().await;

    let mut lines: Vec<WorkspaceLine> = selected
        .workspaces
        .iter()
        .map(|w| {
            let mut line = cached_line(w.id.as_str(), cache.get(w.id.as_str()), &set);
            line.group = w.group.clone();
            line
        })
        .collect();
    summary::sort_lines(&mut lines);
    let report = RunReport {
        schema_version: summary::SCHEMA_VERSION,
        command: "status".to_owned(),
        env: Some(online.env.name.clone()),
        run_id: None,
        started_at,
        duration_ms: super::lines::millis(clock.elapsed()),
        exit_code: 0,
        stopped: None,
        totals: summary::Totals::of(&lines),
        versions: summary::version_histogram(&lines),
        workspaces: lines,
        rejected_rows: selected.rejected,
        pool: None,
        warnings: Vec::new(),
    };
    // The same events as a live run, so `--format ndjson` carries every
    // workspace (it printed only `run_finished`).
    let (reporter, task) = reporter::start(output::output_mode(global), global.format);
    reporter.send(Event::RunStarted {
        command: report.command.clone(),
        total: report.workspaces.len(),
        run_id: None,
    });
    for line in &report.workspaces {
        reporter.send(Event::WorkspaceFinished(line.clone()));
    }
    Ok(output::finish(global, task, report, Layout::State, checks).await)
}

/// A line from a cache entry. The cache says what the workspace was at;
/// pending versions are recomputed against the current migration set, so a
/// release with new migrations shows them pending without touching anything.
fn cached_line(id: &str, record: Option<&VersionRecord>, set: &MigrationSet) -> WorkspaceLine {
    let Some(record) = record else {
        return WorkspaceLine::new(id, Status::NotReached)
            .with_cause("not in the version cache: run `wsdb status --refresh`");
    };
    let version = record.version.map(Version::get);
    let mut line = WorkspaceLine::new(id, Status::UpToDate);
    line.version_before = version;
    line.version_after = version;
    line.latest = set.latest().map(Version::get);
    line.pending = set
        .migrations
        .iter()
        .map(|m| m.version.get())
        .filter(|v| Some(*v) > version)
        .collect();
    line.status = match record.state {
        VersionState::Drift => Status::Drift,
        VersionState::Ahead => Status::UnknownVersions,
        VersionState::Failed => Status::FailedMigration,
        VersionState::UpToDate | VersionState::Pending if !line.pending.is_empty() => {
            Status::Pending
        }
        VersionState::UpToDate | VersionState::Pending => Status::UpToDate,
    };
    line.cause = Some(format!(
        "cached {}",
        record.checked_at.format("%Y-%m-%d %H:%M:%S UTC")
    ));
    line
}
