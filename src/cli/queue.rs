//! `--queue --run-id KEY`: cooperative runners. Every runner started with
//! the same key joins one run in the control database; each claims the next
//! workspace (`FOR UPDATE SKIP LOCKED`), renews its lease while working, and
//! completes the claim with the outcome. A runner that dies stops renewing;
//! once its lease expires another runner takes the workspace over, which the
//! workspace's app lock and history make safe (the newcomer waits for the
//! lock, then finds the migrations applied or applies what is missing).
//!
//! A runner keeps polling until every claim of the run it could take is
//! done, so the last runner standing also finishes what dead runners left.
//! Runners of one run may have been started with different selections (a
//! workspace added between two pods' starts, or different flags): each one
//! claims only the queued workspaces it selected, leaves the others to the
//! runners that have them, and reports the ones it selected that the run
//! does not queue as not reached.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use futures_util::future::BoxFuture;

use crate::control::{Claim, ControlDb, ControlError, QueueRun, RunId};
use crate::fleet::Interrupt;
use crate::report::{Status, WorkspaceLine};
use crate::workspace::{Workspace, WorkspaceId};

/// How a runner takes part in a queued run.
#[derive(Debug, Clone)]
pub struct QueueSpec {
    /// Runners with the same key join the same run.
    pub key: String,
    /// How long a claim stays this runner's without a renewal.
    pub lease: Duration,
}

/// One workspace of a run, with its claim in queue mode.
#[derive(Debug, Clone)]
pub struct Item {
    pub workspace: Workspace,
    pub claim: Option<Claim>,
}

/// A unique id for this runner process: `user@host/pid`.
pub fn runner_id() -> String {
    format!(
        "{}/{}",
        crate::control::local_identity(),
        std::process::id()
    )
}

/// How a runner's selection compares with the run it joined.
#[derive(Debug, Default)]
pub struct Alignment {
    /// Selected and queued: what this runner may claim.
    pub queued: Vec<Workspace>,
    /// Selected but not queued by the run: this runner cannot do them.
    pub not_queued: Vec<Workspace>,
    /// Queued but not selected: left to the runners that selected them.
    pub foreign: Vec<WorkspaceId>,
}

/// Compares `selection` with what `run` queues. The runner that created the
/// run queued exactly its selection, so only joiners read the claims.
pub async fn align(
    control: &ControlDb,
    run: QueueRun,
    selection: Vec<Workspace>,
) -> Result<Alignment, ControlError> {
    if run.created {
        return Ok(Alignment {
            queued: selection,
            ..Alignment::default()
        });
    }
    Ok(split(selection, control.queued_workspaces(run.id).await?))
}

fn split(selection: Vec<Workspace>, queued: Vec<WorkspaceId>) -> Alignment {
    let mut queued: std::collections::HashSet<WorkspaceId> = queued.into_iter().collect();
    let mut alignment = Alignment::default();
    for workspace in selection {
        if queued.remove(&workspace.id) {
            alignment.queued.push(workspace);
        } else {
            alignment.not_queued.push(workspace);
        }
    }
    alignment.foreign = queued.into_iter().collect();
    alignment.foreign.sort();
    alignment
}

/// Report lines for the selected workspaces `run_id` does not queue.
pub fn not_queued_lines(run_id: RunId, workspaces: &[Workspace]) -> Vec<WorkspaceLine> {
    workspaces
        .iter()
        .map(|w| {
            let mut line = WorkspaceLine::new(w.id.as_str(), Status::NotReached).with_cause(format!(
                "not in queued run {run_id}, which was started with a different selection; run the command again with `-w {}`, or start a new run",
                w.id
            ));
            line.group = w.group.clone();
            line
        })
        .collect()
}

/// The pull source: claims the next workspace, or waits while other runners
/// hold the remaining claims (they may die and their leases expire), or
/// ends when nothing this runner could take is left, or on Ctrl-C/SIGTERM
/// (the wait can last as long as another runner's migration). It never
/// claims the `foreign` workspaces (queued by the run, not in this runner's
/// selection).
#[allow(clippy::too_many_arguments)]
pub fn puller(
    control: ControlDb,
    run_id: RunId,
    runner: String,
    lease: Duration,
    workspaces: Vec<Workspace>,
    foreign: Vec<WorkspaceId>,
    interrupt: Interrupt,
    warnings: impl Fn(String) + Send + Sync + 'static,
) -> Box<dyn FnMut() -> BoxFuture<'static, Option<Item>> + Send> {
    let foreign = Arc::new(foreign);
    let known: Arc<HashMap<String, Workspace>> = Arc::new(
        workspaces
            .into_iter()
            .map(|w| (w.id.0.clone(), w))
            .collect(),
    );
    let warnings = Arc::new(warnings);
    Box::new(move || {
        let (control, runner, known, foreign, interrupt, warnings) = (
            control.clone(),
            runner.clone(),
            known.clone(),
            foreign.clone(),
            interrupt.clone(),
            warnings.clone(),
        );
        Box::pin(async move {
            let mut waits = poll_waits(lease);
            loop {
                if interrupt.stop_requested() {
                    return None;
                }
                match control.claim_except(run_id, &runner, lease, &foreign).await {
                    Ok(Some(claim)) => match known.get(claim.workspace_id.as_str()) {
                        Some(workspace) => {
                            return Some(Item {
                                workspace: workspace.clone(),
                                claim: Some(claim),
                            });
                        }
                        None => warnings(format!(
                            "queue: workspace `{}` of run {run_id} is not in this runner's selection; leaving it to others",
                            claim.workspace_id
                        )),
                    },
                    Ok(None) => match control.open_claims_except(run_id, &foreign).await {
                        Ok(0) => return None,
                        Ok(_) => {}
                        Err(err) => {
                            warnings(format!(
                                "queue: cannot read the progress of run {run_id}: {err}"
                            ));
                            return None;
                        }
                    },
                    Err(err) => {
                        warnings(format!("queue: cannot claim work in run {run_id}: {err}"));
                        return None;
                    }
                }
                // Others hold what is left; their leases may still expire.
                // A press during the queries above is seen here; one in the
                // instant before `pressed()` listens, after one poll.
                if interrupt.stop_requested() {
                    return None;
                }
                tokio::select! {
                    () = tokio::time::sleep(waits.next().unwrap_or(MAX_POLL)) => {}
                    () = interrupt.pressed() => {}
                }
            }
        })
    })
}

/// The longest a waiting runner goes without looking at the queue.
const MAX_POLL: Duration = Duration::from_secs(5);

/// How often a waiting runner looks for expired leases, at most.
fn poll_interval(lease: Duration) -> Duration {
    (lease / 4).clamp(Duration::from_millis(200), MAX_POLL)
}

/// The waits between looks at a queue with nothing to claim: short at
/// first, since what is left is often this runner's own last workspaces,
/// done in moments (a fixed wait made every run's end wait it out), then
/// doubling up to [`poll_interval`] for claims other runners hold.
fn poll_waits(lease: Duration) -> impl Iterator<Item = Duration> {
    let longest = poll_interval(lease);
    std::iter::successors(Some(Duration::from_millis(25)), move |wait| {
        Some((*wait * 2).min(longest))
    })
}

/// Renews `claim` every third of its lease until the returned future is
/// dropped (the work finished). A lost lease is reported once; the work goes
/// on, protected by the workspace's app lock.
pub async fn keep_renewing(
    control: ControlDb,
    claim: Claim,
    lease: Duration,
    lost: impl Fn(String),
) {
    let period = (lease / 3).max(Duration::from_millis(100));
    loop {
        tokio::time::sleep(period).await;
        match control.renew(&claim, lease).await {
            Ok(true) => {}
            Ok(false) => {
                lost(format!(
                    "queue: lost the lease on workspace `{}`; another runner may take it over",
                    claim.workspace_id
                ));
                return;
            }
            Err(err) => lost(format!(
                "queue: cannot renew the lease on `{}`: {err}",
                claim.workspace_id
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn polling_is_bounded() {
        assert_eq!(
            poll_interval(Duration::from_secs(60)),
            Duration::from_secs(5)
        );
        assert_eq!(
            poll_interval(Duration::from_secs(2)),
            Duration::from_millis(500)
        );
        assert_eq!(
            poll_interval(Duration::from_millis(100)),
            Duration::from_millis(200)
        );
    }

    #[test]
    fn waits_start_short_and_double_up_to_the_interval() {
        let waits: Vec<u64> = poll_waits(Duration::from_secs(60))
            .take(10)
            .map(|w| u64::try_from(w.as_millis()).unwrap_or(u64::MAX))
            .collect();
        assert_eq!(waits, [25, 50, 100, 200, 400, 800, 1600, 3200, 5000, 5000]);
        assert_eq!(
            poll_waits(Duration::from_secs(1)).nth(5),
            Some(Duration::from_millis(250))
        );
    }

    fn ws(id: &str) -> Workspace {
        Workspace::at(id, "h", 1433, id)
    }

    #[test]
    fn a_selection_splits_against_the_queued_workspaces() {
        let ids = |ws: &[Workspace]| ws.iter().map(|w| w.id.0.clone()).collect::<Vec<_>>();
        type Ids = &'static [&'static str];
        let cases: [(Ids, Ids, Ids, Ids, Ids); 4] = [
            // selection, queued => queued, not queued, foreign
            (&["a", "b"], &["b", "a"], &["a", "b"], &[], &[]),
            (&["a"], &["a", "c", "b"], &["a"], &[], &["b", "c"]),
            (&["a", "d"], &["a"], &["a"], &["d"], &[]),
            (&[], &["a"], &[], &[], &["a"]),
        ];
        for (selection, queued, mine, not_queued, foreign) in cases {
            let alignment = split(
                selection.iter().map(|id| ws(id)).collect(),
                queued.iter().map(|id| WorkspaceId::from(*id)).collect(),
            );
            assert_eq!(ids(&alignment.queued), mine, "{selection:?} {queued:?}");
            assert_eq!(ids(&alignment.not_queued), not_queued);
            let foreign_ids: Vec<&str> =
                alignment.foreign.iter().map(WorkspaceId::as_str).collect();
            assert_eq!(foreign_ids, foreign);
        }
    }

    #[test]
    fn not_queued_workspaces_are_not_reached_with_a_cause() {
        let lines = not_queued_lines(RunId::new(7).unwrap(), &[ws("acme")]);
        assert_eq!(lines.len(), 1);
        assert_eq!(lines[0].status, Status::NotReached);
        let cause = lines[0].cause.as_deref().unwrap_or_default();
        assert!(cause.contains("not in queued run 7"), "{cause}");
        assert!(cause.contains("`-w acme`"), "{cause}");
    }

    #[test]
    fn runner_ids_name_the_process() {
        assert!(runner_id().ends_with(&format!("/{}", std::process::id())));
    }
}
