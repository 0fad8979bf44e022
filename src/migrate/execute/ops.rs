//! What each operation does, in order. Read-only operations (`status`,
//! `verify`, `history`, dry runs) never create the history table, take the
//! lock or write. Changing ones run inside `Runner::locked` (lock held,
//! cleanup guaranteed) and start the same way: create the history table if
//! missing, read it, validate it against the set.
//!
//! Rules each one enforces: `migrate` and `rollback` refuse on drift,
//! unknown applied versions or failed rows; `baseline` refuses once history
//! has rows; `repair` fixes failed and drifted rows and leaves unknown
//! versions alone (they are reported).

use super::ExecEvent;
use super::error::{Action, ExecuteError, Refusal};
use super::report::{DryRun, LockStatus, Outcome, RepairSummary, StatusReport};
use super::runner::{Body, Runner};
use crate::engine::{NewHistoryRow, Session};
use crate::migrate::plan::{Direction, DownTarget, Plan, PlanError, UpTarget, plan_down, plan_up};
use crate::migrate::validate::{Validation, validate};
use crate::migrate::{AppliedMigration, MigrationSet, Version};

impl<S: Session, F: FnMut(ExecEvent) + Send> Runner<'_, S, F> {
    pub(super) async fn status(&mut self, set: &MigrationSet) -> Outcome {
        // Lock state and history in one call: one round trip on SQL Server.
        let (lock, rows) = match self.session.status_snapshot().await {
            Ok(snapshot) => snapshot,
            Err(source) => {
                return ExecuteError::bookkeeping(Action::ReadStatus, None)(source).into();
            }
        };
        self.remember(rows.as_deref());
        Outcome::Status(StatusReport {
            history_table: rows.is_some(),
            validation: validate(set, rows.as_deref().unwrap_or_default()),
            lock: Some(LockStatus::from(lock)),
        })
    }

    pub(super) async fn verify(&mut self, set: &MigrationSet) -> Outcome {
        match self.read_status(set).await {
            Ok(report) if report.validation.is_clean() => Outcome::Verified(report),
            Ok(report) => Outcome::CheckFailed(report),
            Err(error) => error.into(),
        }
    }

    pub(super) async fn history(&mut self) -> Outcome {
        match self.read_history().await {
            Ok(rows) => Outcome::History {
                table_exists: rows.is_some(),
                rows: rows.unwrap_or_default(),
            },
            Err(error) => error.into(),
        }
    }

    async fn read_status(&mut self, set: &MigrationSet) -> Result<StatusReport, ExecuteError> {
        let rows = self.read_history().await?;
        Ok(StatusReport {
            history_table: rows.is_some(),
            validation: validate(set, rows.as_deref().unwrap_or_default()),
            lock: None,
        })
    }

    pub(super) async fn dry_run_up(&mut self, set: &MigrationSet, target: UpTarget) -> Outcome {
        self.dry_run(set, |set, rows| plan_up(set, rows, target))
            .await
            .unwrap_or_else(|stop| stop)
    }

    pub(super) async fn dry_run_down(&mut self, set: &MigrationSet, target: DownTarget) -> Outcome {
        self.dry_run(set, |set, rows| plan_down(set, rows, target))
            .await
            .unwrap_or_else(|stop| stop)
    }

    /// Reads (never creates) the history, validates and plans exactly as
    /// the real run would, so a dry run refuses what the run would refuse.
    async fn dry_run<'s>(
        &mut self,
        set: &'s MigrationSet,
        plan: impl FnOnce(&'s MigrationSet, &[AppliedMigration]) -> Result<Plan<'s>, PlanError>,
    ) -> Body {
        let rows = self.read_history().await?.unwrap_or_default();
        refuse_problems(&validate(set, &rows))?;
        let plan = plan(set, &rows).map_err(|error| Refusal::Plan { error })?;
        Ok(Outcome::DryRun(DryRun::of(
            &plan,
            self.options.statement_timeout,
        )))
    }

    /// Creates the history table if missing, reads it, and refuses drift,
    /// unknown versions and failed rows.
    async fn prepare(&mut self, set: &MigrationSet) -> Result<Vec<AppliedMigration>, Outcome> {
        self.session
            .create_history_table()
            .await
            .map_err(ExecuteError::bookkeeping(Action::CreateHistoryTable, None))?;
        let rows = self.read_history().await?.unwrap_or_default();
        refuse_problems(&validate(set, &rows))?;
        Ok(rows)
    }

    pub(super) async fn migrate(&mut self, set: &MigrationSet, target: UpTarget) -> Body {
        let rows = self.prepare(set).await?;
        let plan = plan_up(set, &rows, target).map_err(|error| Refusal::Plan { error })?;
        if plan.is_empty() {
            return Ok(Outcome::UpToDate);
        }
        self.apply_plan(&plan).await?;
        Ok(Outcome::Applied)
    }

    pub(super) async fn rollback(&mut self, set: &MigrationSet, target: DownTarget) -> Body {
        let rows = self.prepare(set).await?;
        let plan = plan_down(set, &rows, target).map_err(|error| Refusal::Plan { error })?;
        if plan.is_empty() {
            return Ok(Outcome::NothingToRollBack);
        }
        self.apply_plan(&plan).await?;
        Ok(Outcome::RolledBack)
    }

    /// Runs the steps in order and stops at the first failure: later
    /// migrations are not attempted.
    async fn apply_plan(&mut self, plan: &Plan<'_>) -> Result<(), ExecuteError> {
        for step in &plan.steps {
            self.apply(step, plan.direction).await?;
        }
        Ok(())
    }

    /// Writes one successful row per migration up to `version` (checksum
    /// and name from the files, duration 0, `applied_by` prefixed with
    /// `baseline:`), all in one transaction. Refused once history has rows.
    pub(super) async fn baseline(&mut self, set: &MigrationSet, version: Version) -> Body {
        self.session
            .create_history_table()
            .await
            .map_err(ExecuteError::bookkeeping(Action::CreateHistoryTable, None))?;
        let rows = self.read_history().await?.unwrap_or_default();
        if !rows.is_empty() {
            return Err(Refusal::HistoryNotEmpty { rows: rows.len() }.into());
        }
        if set.get(version).is_none() {
            let error = PlanError::TargetNotInSet {
                target: version,
                latest: set.latest(),
            };
            return Err(Refusal::Plan { error }.into());
        }
        let marked: Vec<_> = set
            .migrations
            .iter()
            .filter(|m| m.version <= version)
            .collect();
        self.begin(None).await?;
        for migration in &marked {
            let row = NewHistoryRow {
                version: migration.version,
                name: migration.name.clone(),
                checksum: migration.up.checksum,
                duration_ms: 0,
                applied_by: format!("baseline:{}", self.options.applied_by),
                wsdb_version: env!("CARGO_PKG_VERSION").to_owned(),
                success: true,
            };
            if let Err(source) = self.session.insert_history(&row).await {
                self.abort().await;
                return Err(
                    ExecuteError::bookkeeping(Action::InsertHistory, Some(row.version))(source)
                        .into(),
                );
            }
        }
        self.commit(None).await?;
        for migration in &marked {
            self.mark_applied(migration.version, true);
        }
        Ok(Outcome::Baselined {
            version,
            rows: marked.len(),
        })
    }

    /// Deletes failed rows (those migrations count as not applied, after a
    /// human cleaned up) and sets drifted rows' checksum and name to the
    /// files', in one transaction. Unknown versions are reported, not touched.
    pub(super) async fn repair(&mut self, set: &MigrationSet) -> Body {
        self.session
            .create_history_table()
            .await
            .map_err(ExecuteError::bookkeeping(Action::CreateHistoryTable, None))?;
        let rows = self.read_history().await?.unwrap_or_default();
        let validation = validate(set, &rows);
        let summary = RepairSummary {
            deleted_failed: validation.failed.clone(),
            realigned: validation.drifted.iter().map(|d| d.version).collect(),
            unknown: validation.unknown.clone(),
        };
        if summary.deleted_failed.is_empty() && summary.realigned.is_empty() {
            return Ok(Outcome::Repaired(summary));
        }
        self.begin(None).await?;
        if let Err(error) = self.rewrite_rows(&validation).await {
            self.abort().await;
            return Err(error.into());
        }
        self.commit(None).await?;
        Ok(Outcome::Repaired(summary))
    }

    async fn rewrite_rows(&mut self, validation: &Validation) -> Result<(), ExecuteError> {
        for &version in &validation.failed {
            self.session
                .delete_history(version)
                .await
                .map_err(ExecuteError::bookkeeping(
                    Action::DeleteHistory,
                    Some(version),
                ))?;
        }
        for drift in &validation.drifted {
            self.session
                .update_history(drift.version, &drift.file_name, drift.file_checksum)
                .await
                .map_err(ExecuteError::bookkeeping(
                    Action::UpdateHistory,
                    Some(drift.version),
                ))?;
        }
        Ok(())
    }
}

fn refuse_problems(validation: &Validation) -> Result<(), Refusal> {
    match validation.problem() {
        Some(problem) => Err(Refusal::Validation { problem }),
        None => Ok(()),
    }
}

impl From<Direction> for Action {
    /// The bookkeeping step that records a script of this direction.
    fn from(direction: Direction) -> Action {
        match direction {
            Direction::Up => Action::InsertHistory,
            Direction::Down => Action::DeleteHistory,
        }
    }
}
