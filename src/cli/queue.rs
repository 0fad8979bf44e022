//! `--queue --run-id KEY`: cooperative runners. Every runner started with
//! the same key joins one run in the control database; each claims the next
//! workspace (`FOR UPDATE SKIP LOCKED`), renews its lease while working, and
//! completes the claim with the outcome. A runner that dies stops renewing;
//! once its lease expires another runner takes the workspace over, which the
//! workspace's app lock and history make safe (the newcomer waits for the
//! lock, then finds the migrations applied or applies what is missing).
//!
//! A runner keeps polling until every claim of the run is done, so the last
//! runner standing also finishes what dead runners left.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use futures_util::future::BoxFuture;

use crate::control::{Claim, ControlDb, RunId};
use crate::workspace::Workspace;

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

/// The pull source: claims the next workspace, or waits while other runners
/// hold the remaining claims (they may die and their leases expire), or
/// ends when the run is complete. Claims for workspaces this runner's own
/// selection does not know (runners started with different selections) are
/// left to the others until their lease expires.
pub fn puller(
    control: ControlDb,
    run_id: RunId,
    runner: String,
    lease: Duration,
    workspaces: Vec<Workspace>,
    warnings: impl Fn(String) + Send + Sync + 'static,
) -> Box<dyn FnMut() -> BoxFuture<'static, Option<Item>> + Send> {
    let known: Arc<HashMap<String, Workspace>> = Arc::new(
        workspaces
            .into_iter()
            .map(|w| (w.id.0.clone(), w))
            .collect(),
    );
    let warnings = Arc::new(warnings);
    Box::new(move || {
        let (control, runner, known, warnings) = (
            control.clone(),
            runner.clone(),
            known.clone(),
            warnings.clone(),
        );
        Box::pin(async move {
            loop {
                match control.claim(run_id, &runner, lease).await {
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
                    Ok(None) => match control.run_progress(run_id).await {
                        Ok(progress) if progress.is_complete() => return None,
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
                tokio::time::sleep(poll_interval(lease)).await;
            }
        })
    })
}

/// How often a waiting runner looks for expired leases.
fn poll_interval(lease: Duration) -> Duration {
    (lease / 4).clamp(Duration::from_millis(200), Duration::from_secs(5))
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
    fn runner_ids_name_the_process() {
        assert!(runner_id().ends_with(&format!("/{}", std::process::id())));
    }
}
