//! Running one per-workspace job over the selected workspaces: the ledger
//! run, the reporter, the fleet scheduler, and the conversion of every
//! outcome into a report line and a ledger record. Commands call [`run`]
//! with what to do; this module is the loop DESIGN.md promises ("the fleet
//! is a loop over the engine").
//!
//! Ledger writes happen after each workspace's work is committed; a ledger
//! failure becomes a warning and never undoes workspace work.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use chrono::Utc;

use super::job::JobContext;
use super::lines;
use super::online::Online;
use super::queue::{self, Item, QueueSpec};
use super::select::Selected;
use super::version_cache;
use crate::control::{ControlDb, NewRun, RunId, RunOutcome, local_identity};
use crate::engine::Engine as _;
use crate::fleet::{FleetEnd, FleetOptions, Interrupt, Source, StopReason, schedule};
use crate::migrate::execute::{ExecOptions, Operation};
use crate::migrate::{DownTarget, MigrationSet};
use crate::report::{Event, Reporter, RunReport, Status, WorkspaceLine, summary};

/// What every selected workspace gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Work {
    /// An executor operation on an existing database.
    Operation(Operation),
    /// Create the database when missing, then migrate (`provision`).
    Provision,
    /// Reach the workspace and check permissions and schema (`--preflight`).
    Preflight,
}

/// One fleet run as a command asks for it.
pub struct RunSpec {
    pub command: &'static str,
    pub work: Work,
    pub fleet: FleetOptions,
    /// Record the run and every workspace in the ledger.
    pub ledger: bool,
    /// Write each workspace's version to the ledger's version cache.
    pub cache_versions: bool,
    /// Rollback targets per workspace id, replacing the operation's own
    /// (`rollback --run ID`).
    pub per_workspace: Option<HashMap<String, DownTarget>>,
    /// Cooperative runners sharing one run through the control database.
    pub queue: Option<QueueSpec>,
}

impl RunSpec {
    /// A spec with no ledger, no cache writes, no per-workspace targets and
    /// no queue; commands switch on what they need.
    pub fn new(command: &'static str, work: Work, fleet: FleetOptions) -> RunSpec {
        RunSpec {
            command,
            work,
            fleet,
            ledger: false,
            cache_versions: false,
            per_workspace: None,
            queue: None,
        }
    }
}

/// Runs `spec` over `selected`, reporting through `reporter`.
pub async fn run(
    online: &Online,
    set: Arc<MigrationSet>,
    selected: Selected,
    spec: RunSpec,
    exec: ExecOptions,
    reporter: &Reporter,
    interrupt: &Interrupt,
) -> anyhow::Result<RunReport> {
    let started_at = Utc::now();
    let clock = Instant::now();
    let total = selected.workspaces.len();
    let warnings = Arc::new(Mutex::new(Vec::new()));
    let runner = queue::runner_id();
    // Selected workspaces a joined queue run does not queue (issue #7).
    let mut not_queued = Vec::new();
    let (run_id, source) = match &spec.queue {
        Some(queue) => {
            let run = new_run(spec.command, &online.env.name, &selected);
            let joined = online.control.start_queue_run(&run, &queue.key).await?;
            let alignment = queue::align(&online.control, joined, selected.workspaces).await?;
            if !alignment.foreign.is_empty() {
                push_warning(
                    &warnings,
                    format!(
                        "queue: run {} also queues {} workspace(s) outside this runner's selection; they are left to the runners that selected them",
                        joined.id,
                        alignment.foreign.len()
                    ),
                );
            }
            not_queued = alignment.not_queued;
            let sink = warnings.clone();
            let puller = queue::puller(
                online.control.clone(),
                joined.id,
                runner.clone(),
                queue.lease,
                alignment.queued,
                alignment.foreign,
                interrupt.clone(),
                move |warning| push_warning(&sink, warning),
            );
            (Some(joined.id), Source::Pull(puller))
        }
        None => {
            let run_id = if spec.ledger {
                Some(
                    start_ledger_run(&online.control, spec.command, &online.env.name, &selected)
                        .await?,
                )
            } else {
                None
            };
            let items = selected
                .workspaces
                .into_iter()
                .map(|workspace| Item {
                    workspace,
                    claim: None,
                })
                .collect();
            (run_id, Source::List(items))
        }
    };
    tracing::info!(command = spec.command, workspaces = total, run_id = ?run_id.map(RunId::get), "run started");
    reporter.send(Event::RunStarted {
        command: spec.command.to_owned(),
        total,
        run_id: run_id.map(RunId::get),
    });

    // The cache is written whenever the ledger is, and by `status --refresh`.
    let (version_cache, cache_writer) = (spec.cache_versions || run_id.is_some())
        .then(|| version_cache::start(online.control.clone(), warnings.clone()))
        .unzip();
    let job = JobContext {
        pools: online.pools.clone(),
        set: set.clone(),
        work: spec.work,
        exec: Arc::new(exec),
        reporter: reporter.clone(),
        ledger: run_id.map(|id| (online.control.clone(), id)),
        version_cache,
        runner_id: Arc::new(runner),
        warnings: warnings.clone(),
        per_workspace: Arc::new(spec.per_workspace.clone().unwrap_or_default()),
        lease: spec.queue.as_ref().map(|q| q.lease),
    };
    let engine = online.pools.engine();
    let server_of = |item: &Item| {
        engine
            .resolve(&item.workspace)
            .map(|t| engine.server_key(&t))
            .unwrap_or_default()
    };
    let mut finished = Vec::with_capacity(total);
    let end = schedule::run(
        source,
        total,
        &spec.fleet,
        interrupt,
        server_of,
        |item| job.clone().run(item),
        |line: &WorkspaceLine| line.status.is_failure(),
        |line| finished.push(line),
    )
    .await;
    drop(job);
    if let Some(writer) = cache_writer {
        writer.finish().await;
    }
    finished.extend(unfinished_lines(&end, reporter));
    if let Some(run_id) = run_id {
        for line in queue::not_queued_lines(run_id, &not_queued) {
            reporter.send(Event::WorkspaceFinished(line.clone()));
            finished.push(line);
        }
    }

    if let Some(run_id) = run_id {
        let elsewhere =
            finish_ledger_run(&online.control, run_id, &spec, &end, &finished, &warnings).await;
        finished.extend(elsewhere);
    }
    summary::sort_lines(&mut finished);
    let totals = summary::Totals::of(&finished);
    let versions = summary::version_histogram(&finished);
    let warnings = warnings.lock().map(|w| w.clone()).unwrap_or_default();
    Ok(RunReport {
        schema_version: summary::SCHEMA_VERSION,
        command: spec.command.to_owned(),
        env: Some(online.env.name.clone()),
        run_id: run_id.map(RunId::get),
        started_at,
        duration_ms: lines::millis(clock.elapsed()),
        exit_code: 0,
        stopped: end.stopped.map(stop_reason),
        totals,
        versions,
        workspaces: finished,
        rejected_rows: selected.rejected,
        pool: serde_json::to_value(online.pools.stats()).ok(),
        warnings,
    })
}

fn new_run(command: &str, env: &str, selected: &Selected) -> NewRun {
    NewRun {
        command: command.to_owned(),
        args: recorded_args(),
        env: env.to_owned(),
        started_by: local_identity(),
        wsdb_version: env!("CARGO_PKG_VERSION").to_owned(),
        selection: selected.workspaces.iter().map(|w| w.id.clone()).collect(),
    }
}

async fn start_ledger_run(
    control: &ControlDb,
    command: &str,
    env: &str,
    selected: &Selected,
) -> anyhow::Result<RunId> {
    let run = new_run(command, env, selected);
    control.start_run(&run).await.map_err(|err| {
        anyhow::Error::new(err).context("cannot record the run in the control database's ledger (pass `--no-ledger` to run without it)")
    })
}

/// The command line as the ledger keeps it: URLs lose their passwords.
fn recorded_args() -> Vec<String> {
    std::env::args()
        .skip(1)
        .map(|arg| crate::config::redact_url(&arg))
        .collect()
}

/// At most this many ledger warnings are kept for the summary; every one
/// is logged.
const MAX_WARNINGS: usize = 5;

pub(super) fn push_warning(warnings: &Mutex<Vec<String>>, warning: String) {
    tracing::warn!("{warning}");
    if let Ok(mut warnings) = warnings.lock()
        && warnings.len() < MAX_WARNINGS
    {
        warnings.push(warning);
    }
}

/// Lines for the workspaces the scheduler never finished.
fn unfinished_lines(end: &FleetEnd<Item>, reporter: &Reporter) -> Vec<WorkspaceLine> {
    let reason = match end.stopped {
        Some(StopReason::CanaryFailed) => "not started: a canary failed",
        Some(StopReason::BudgetSpent) => "not started: the error budget (--max-failures) was spent",
        Some(StopReason::Interrupted) | Some(StopReason::Aborted) => "not started: interrupted",
        None => "not started",
    };
    let not_reached = end.not_reached.iter().map(|item| &item.workspace).map(|w| {
        let mut line = WorkspaceLine::new(w.id.as_str(), Status::NotReached).with_cause(reason);
        line.group = w.group.clone();
        line
    });
    let interrupted = end
        .interrupted
        .iter()
        .map(|(item, cause)| (&item.workspace, cause))
        .map(|(w, cause)| {
            let mut line =
                WorkspaceLine::new(w.id.as_str(), Status::Interrupted).with_cause(cause.clone());
            line.group = w.group.clone();
            line
        });
    let lines: Vec<WorkspaceLine> = not_reached.chain(interrupted).collect();
    for line in &lines {
        reporter.send(Event::WorkspaceFinished(line.clone()));
    }
    lines
}

/// Marks the run finished in the ledger. In queue mode only the runner that
/// sees every claim done does it; an interrupted runner leaves the run to
/// the others.
async fn finish_ledger_run(
    control: &ControlDb,
    run_id: RunId,
    spec: &RunSpec,
    end: &FleetEnd<Item>,
    finished: &[WorkspaceLine],
    warnings: &Mutex<Vec<String>>,
) -> Vec<WorkspaceLine> {
    let (outcome, elsewhere) = if spec.queue.is_some() {
        match queue_outcome(control, run_id, end, finished).await {
            Some(found) => found,
            None => return Vec::new(),
        }
    } else {
        (run_outcome(end, finished), Vec::new())
    };
    if let Err(err) = control.finish_run(run_id, outcome).await {
        push_warning(
            warnings,
            format!("ledger: cannot finish run {run_id}: {err}"),
        );
    }
    elsewhere
}

/// In queue mode, once every claim is done: the run's outcome across all
/// runners, and lines for the workspaces that failed in other runners. A
/// runner's exit code then reflects the whole run, so a restarted pod does
/// not report success for a run whose other workspaces failed.
async fn queue_outcome(
    control: &ControlDb,
    run_id: RunId,
    end: &FleetEnd<Item>,
    finished: &[WorkspaceLine],
) -> Option<(RunOutcome, Vec<WorkspaceLine>)> {
    if end.stopped.is_some() {
        return None;
    }
    if !control.run_progress(run_id).await.ok()?.is_complete() {
        return None;
    }
    let detail = control.show_run(run_id).await.ok()??;
    let mine: std::collections::HashSet<&str> =
        finished.iter().map(|l| l.workspace.as_str()).collect();
    let elsewhere: Vec<WorkspaceLine> = detail
        .workspaces
        .iter()
        .filter(|w| !w.status.is_success() && !mine.contains(w.workspace_id.as_str()))
        .map(|w| {
            let runner = w.runner_id.as_deref().unwrap_or("another runner");
            let cause = format!(
                "in {runner}: {}",
                w.error.as_deref().unwrap_or(w.status.as_str())
            );
            let mut line =
                WorkspaceLine::new(w.workspace_id.as_str(), lines::report_status(w.status))
                    .with_cause(cause);
            line.version_before = w.version_before.map(crate::migrate::Version::get);
            line.version_after = w.version_after.map(crate::migrate::Version::get);
            line
        })
        .collect();
    let outcome = if detail.workspaces.iter().all(|w| w.status.is_success()) {
        RunOutcome::Succeeded
    } else {
        RunOutcome::Failed
    };
    Some((outcome, elsewhere))
}

fn run_outcome(end: &FleetEnd<Item>, lines: &[WorkspaceLine]) -> RunOutcome {
    if matches!(
        end.stopped,
        Some(StopReason::Interrupted | StopReason::Aborted)
    ) {
        RunOutcome::Interrupted
    } else if lines.iter().any(|l| l.status.is_failure()) {
        RunOutcome::Failed
    } else {
        RunOutcome::Succeeded
    }
}

fn stop_reason(reason: StopReason) -> String {
    match reason {
        StopReason::CanaryFailed => "canary_failed",
        StopReason::BudgetSpent => "budget_spent",
        StopReason::Interrupted => "interrupted",
        StopReason::Aborted => "aborted",
    }
    .to_owned()
}
