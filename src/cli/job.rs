//! One workspace's task in a fleet run: acquire a pinned session, run the
//! executor (or provision, or preflight), release or discard the session,
//! turn the report into a line, and write the ledger record after the
//! workspace's own work is done. Renews the queue lease while it works.
//!
//! The scheduling around it is `fleet_run.rs`'s.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::Utc;

use super::fleet_run::{Work, push_warning};
use super::lines;
use super::queue::{self, Item};
use super::version_cache::VersionCache;
use crate::control::{Claim, ControlDb, RunId};
use crate::engine::Engine as _;
use crate::engine::Session as _;
use crate::engine::mssql::MssqlEngine;
use crate::migrate::execute::{self, ExecEvent, ExecOptions, Operation};
use crate::migrate::{DownTarget, MigrationSet};
use crate::pool::WorkspacePools;
use crate::report::{Event, Reporter, Status, WorkspaceLine};
use crate::workspace::Workspace;

/// Everything one workspace's task needs; cheap to clone (all shared).
#[derive(Clone)]
pub(super) struct JobContext {
    pub(super) pools: WorkspacePools<MssqlEngine>,
    pub(super) set: Arc<MigrationSet>,
    pub(super) work: Work,
    pub(super) exec: Arc<ExecOptions>,
    pub(super) reporter: Reporter,
    pub(super) ledger: Option<(ControlDb, RunId)>,
    pub(super) version_cache: Option<VersionCache>,
    pub(super) runner_id: Arc<String>,
    pub(super) warnings: Arc<Mutex<Vec<String>>>,
    pub(super) per_workspace: Arc<HashMap<String, DownTarget>>,
    /// The claim lease in queue mode.
    pub(super) lease: Option<Duration>,
}

impl JobContext {
    pub(super) async fn run(self, item: Item) -> WorkspaceLine {
        let started_at = Utc::now();
        let clock = Instant::now();
        let workspace = &item.workspace;
        self.reporter.send(Event::WorkspaceStarted {
            workspace: workspace.id.to_string(),
        });
        let work = async {
            match self.work {
                Work::Provision => self.provision(workspace).await,
                Work::Operation(operation) => self.operate(workspace, operation).await,
                Work::Preflight => self.preflight(workspace).await,
            }
        };
        tracing::debug!(workspace = %workspace.id, "workspace started");
        let mut line = match (&item.claim, self.ledger.as_ref(), self.lease) {
            (Some(claim), Some((control, _)), Some(lease)) => {
                let warnings = self.warnings.clone();
                let renewing =
                    queue::keep_renewing(control.clone(), claim.clone(), lease, move |w| {
                        push_warning(&warnings, w)
                    });
                tokio::select! {
                    line = work => line,
                    () = renewing => unreachable_renewal().await,
                }
            }
            _ => work.await,
        };
        let elapsed = clock.elapsed();
        line.duration_ms = lines::millis(elapsed);
        self.record(&line, item.claim.as_ref(), started_at, elapsed)
            .await;
        self.reporter.send(Event::WorkspaceFinished(line.clone()));
        line
    }

    async fn operate(&self, workspace: &Workspace, mut operation: Operation) -> WorkspaceLine {
        if let (Operation::Rollback { target, .. }, Some(own)) = (
            &mut operation,
            self.per_workspace.get(workspace.id.as_str()),
        ) {
            *target = *own;
        }
        let mut session = match self.pools.acquire(workspace).await {
            Ok(session) => session,
            Err(err) => return lines::from_pool_error(workspace, &err),
        };
        let report = execute::run(
            &mut *session,
            &self.set,
            &operation,
            &self.exec,
            self.forward(workspace),
        )
        .await;
        if report.session_reusable {
            session.release().await;
        } else {
            session.discard().await;
        }
        lines::from_report(workspace, &report, &self.set)
    }

    async fn provision(&self, workspace: &Workspace) -> WorkspaceLine {
        let engine = self.pools.engine();
        let target = match engine.resolve(workspace) {
            Ok(target) => target,
            Err(cause) => {
                let err = crate::pool::PoolError::InvalidTarget {
                    workspace: workspace.id.clone(),
                    cause,
                };
                return lines::from_pool_error(workspace, &err);
            }
        };
        let report = execute::provision(
            engine,
            &target,
            &self.set,
            &self.exec,
            self.forward(workspace),
        )
        .await;
        let mut line = lines::from_report(workspace, &report.report, &self.set);
        if report.created && !line.status.is_failure() {
            line.status = Status::Provisioned;
            line.cause = Some("database created".to_owned());
        }
        line
    }

    /// Connects, checks the login may create and alter objects, and reads
    /// the schema state: anything that would make the real run fail early.
    async fn preflight(&self, workspace: &Workspace) -> WorkspaceLine {
        let mut session = match self.pools.acquire(workspace).await {
            Ok(session) => session,
            Err(err) => return lines::from_pool_error(workspace, &err),
        };
        let permissions = session.permissions().await;
        let report = execute::run(
            &mut *session,
            &self.set,
            &Operation::Status,
            &self.exec,
            |_| {},
        )
        .await;
        if report.session_reusable {
            session.release().await;
        } else {
            session.discard().await;
        }
        let mut line = lines::from_report(workspace, &report, &self.set);
        match permissions {
            Ok(p) if p.create_table && p.alter => {}
            Ok(_) => {
                line.status = Status::Refused;
                line.cause = Some(
                    "the login lacks CREATE TABLE or ALTER permission in the database".to_owned(),
                );
            }
            Err(err) => {
                line.status = Status::Failed;
                line.cause = Some(format!("cannot check permissions: {err}"));
            }
        }
        if line.lock_holder.is_some() && !line.status.is_failure() {
            line.status = Status::Locked;
            line.cause = Some("another run holds the workspace's lock".to_owned());
        }
        line
    }

    /// Turns executor events into reporter events for this workspace.
    fn forward(&self, workspace: &Workspace) -> impl FnMut(ExecEvent) + Send + use<> {
        let reporter = self.reporter.clone();
        let id = workspace.id.to_string();
        move |event| match event {
            ExecEvent::MigrationStarted { version, name, .. } => {
                reporter.send(Event::MigrationStarted {
                    workspace: id.clone(),
                    version: version.get(),
                    name,
                })
            }
            ExecEvent::MigrationFinished {
                version,
                name,
                duration,
                ..
            } => reporter.send(Event::MigrationFinished {
                workspace: id.clone(),
                version: version.get(),
                name,
                duration_ms: lines::millis(duration),
            }),
            ExecEvent::WaitingForLock { .. } => {}
        }
    }

    /// Writes the ledger record and the version cache after the workspace's
    /// own work is done. Failures are warnings.
    async fn record(
        &self,
        line: &WorkspaceLine,
        claim: Option<&Claim>,
        started_at: chrono::DateTime<Utc>,
        elapsed: Duration,
    ) {
        if let Some((control, run_id)) = &self.ledger {
            let record = lines::ledger_record(line, &self.runner_id, started_at, elapsed);
            let written = match claim {
                Some(claim) => control.complete(claim, &record).await.map(|held| {
                    if !held {
                        push_warning(&self.warnings, format!(
                            "queue: workspace `{}` was taken over by another runner before this one finished",
                            line.workspace
                        ));
                    }
                }),
                None => control.record_workspace(*run_id, &record).await,
            };
            if let Err(err) = written {
                push_warning(
                    &self.warnings,
                    format!(
                        "ledger: cannot record workspace `{}`: {err}",
                        line.workspace
                    ),
                );
            }
        }
        let run_id = self.ledger.as_ref().map(|(_, id)| *id);
        if let Some((cache, record)) = self
            .version_cache
            .as_ref()
            .zip(lines::version_record(line, run_id))
        {
            cache.record(record).await;
        }
    }
}

/// `keep_renewing` returns only when the lease is lost; the work goes on
/// (the app lock protects the workspace), so this branch waits forever and
/// the `select!` always ends with the work.
async fn unreachable_renewal() -> WorkspaceLine {
    std::future::pending().await
}
