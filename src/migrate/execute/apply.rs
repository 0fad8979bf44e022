//! Running one planned script on the session, with its bookkeeping.
//!
//! Transactional scripts: `begin` (`SET XACT_ABORT ON; BEGIN TRANSACTION`),
//! every batch `repeat` times with the script's timeout, the history row
//! written (up) or deleted (down) in the same transaction, `commit`; any
//! error rolls the whole migration back, history row included.
//!
//! `no-transaction` scripts: batches run one by one and stay applied; on
//! success the row is written (up) or deleted (down) in a small transaction
//! whose guarded commit also catches a transaction the script left open; on
//! failure (or when that record fails) whatever the script left open is
//! rolled back and the row is left with `success = 0`, so the workspace
//! refuses further migrations until `wsdb repair`. A failed down rewrites
//! the up's row as failed (delete and insert in one small transaction),
//! since the schema is then somewhere between the two versions.

use std::time::Duration;

use tokio::time::Instant;

use super::ExecEvent;
use super::error::{Action, ExecuteError};
use super::report::StepResult;
use super::runner::Runner;
use crate::engine::{EngineError, NewHistoryRow, Session};
use crate::migrate::Batch;
use crate::migrate::plan::{Direction, Step};

impl<S: Session, F: FnMut(ExecEvent) + Send> Runner<'_, S, F> {
    /// Runs one step and records it; events bracket it either way.
    pub(super) async fn apply(
        &mut self,
        step: &Step<'_>,
        direction: Direction,
    ) -> Result<(), ExecuteError> {
        self.emit(ExecEvent::MigrationStarted {
            version: step.version,
            name: step.name.to_owned(),
            direction,
            batches: step.script.batches.len(),
        });
        let started = Instant::now();
        let result = if step.transactional {
            self.apply_in_transaction(step, direction, started).await
        } else {
            self.apply_outside_transaction(step, direction, started)
                .await
        };
        let duration = started.elapsed();
        self.emit(ExecEvent::MigrationFinished {
            version: step.version,
            name: step.name.to_owned(),
            direction,
            duration,
            success: result.is_ok(),
        });
        if result.is_ok() {
            self.mark_applied(step.version, direction == Direction::Up);
            self.steps.push(StepResult {
                version: step.version,
                name: step.name.to_owned(),
                direction,
                duration,
            });
        }
        result
    }

    async fn apply_in_transaction(
        &mut self,
        step: &Step<'_>,
        direction: Direction,
        started: Instant,
    ) -> Result<(), ExecuteError> {
        let version = Some(step.version);
        self.begin(version).await?;
        if let Err(error) = self.run_batches(step, direction).await {
            // XACT_ABORT rolls back on run-time errors only; a compile error
            // (e.g. a syntax error in batch 3) leaves the transaction open
            // with batches 1-2 in it. Roll back explicitly, always.
            self.abort().await;
            return Err(error);
        }
        let recorded = match direction {
            Direction::Up => self.insert_row(step, true, started.elapsed()).await,
            Direction::Down => self.session.delete_history(step.version).await,
        };
        if let Err(source) = recorded {
            self.abort().await;
            return Err(ExecuteError::bookkeeping(Action::from(direction), version)(
                source,
            ));
        }
        self.commit(version).await
    }

    async fn apply_outside_transaction(
        &mut self,
        step: &Step<'_>,
        direction: Direction,
        started: Instant,
    ) -> Result<(), ExecuteError> {
        let failure = match self.run_batches(step, direction).await {
            Ok(()) => match self
                .record_outside(step, direction, started.elapsed())
                .await
            {
                Ok(()) => return Ok(()),
                Err(source) => ExecuteError::Unrecorded {
                    version: step.version,
                    direction,
                    source,
                },
            },
            Err(failure) => failure,
        };
        match self.mark_failed(step, direction, started.elapsed()).await {
            Ok(()) => {
                // The row says "failed": the migration is no longer
                // applied as far as `after` is concerned.
                self.mark_applied(step.version, false);
                Err(failure)
            }
            Err(source) => Err(ExecuteError::FailedRowUnwritten {
                version: step.version,
                failure: Box::new(failure),
                source,
            }),
        }
    }

    /// Records a finished `no-transaction` script in a small transaction
    /// of wsdb's own. Its guarded commit refuses (and rolls back) a
    /// transaction the script left open, which would otherwise take the
    /// row with it when the connection closes: wsdb would say "applied"
    /// and the history would not.
    async fn record_outside(
        &mut self,
        step: &Step<'_>,
        direction: Direction,
        elapsed: Duration,
    ) -> Result<(), EngineError> {
        self.begin_raw().await?;
        let recorded = match direction {
            Direction::Up => self.insert_row(step, true, elapsed).await,
            Direction::Down => self.session.delete_history(step.version).await,
        };
        if let Err(error) = recorded {
            self.abort().await;
            return Err(error);
        }
        self.commit_raw().await
    }

    /// Leaves a `success = 0` row for a failed `no-transaction` script.
    /// A transaction the script opened and did not finish is rolled back
    /// first: its work is not applied either way, and a row written inside
    /// it would vanish with it.
    async fn mark_failed(
        &mut self,
        step: &Step<'_>,
        direction: Direction,
        elapsed: Duration,
    ) -> Result<(), EngineError> {
        self.session.rollback().await?;
        match direction {
            Direction::Up => self.insert_row(step, false, elapsed).await,
            Direction::Down => {
                self.begin_raw().await?;
                let rewritten = match self.session.delete_history(step.version).await {
                    Ok(()) => self.insert_row(step, false, elapsed).await,
                    Err(error) => Err(error),
                };
                if let Err(error) = rewritten {
                    self.abort().await;
                    return Err(error);
                }
                self.commit_raw().await
            }
        }
    }

    async fn insert_row(
        &mut self,
        step: &Step<'_>,
        success: bool,
        elapsed: Duration,
    ) -> Result<(), EngineError> {
        let row = NewHistoryRow {
            version: step.version,
            name: step.name.to_owned(),
            checksum: step.checksum,
            duration_ms: u64::try_from(elapsed.as_millis()).unwrap_or(u64::MAX),
            applied_by: self.options.applied_by.clone(),
            wsdb_version: env!("CARGO_PKG_VERSION").to_owned(),
            success,
        };
        self.session.insert_history(&row).await
    }

    /// Every batch of the script, each `repeat` times, with the script's
    /// timeout (its directive, else the configured default).
    async fn run_batches(
        &mut self,
        step: &Step<'_>,
        direction: Direction,
    ) -> Result<(), ExecuteError> {
        let timeout = step.timeout.unwrap_or(self.options.statement_timeout);
        for (index, batch) in step.script.batches.iter().enumerate() {
            for _ in 0..batch.repeat {
                if let Err(source) = self.session.run_batch(&batch.sql, timeout).await {
                    return Err(batch_error(step, direction, index + 1, batch, source));
                }
            }
        }
        Ok(())
    }
}

/// Places an error from the server in the file: SQL Server numbers lines
/// from the start of the batch, so the file line is the batch's start line
/// plus that offset (line 0, sent for some errors, means the batch start).
fn batch_error(
    step: &Step<'_>,
    direction: Direction,
    number_in_file: usize,
    batch: &Batch,
    source: EngineError,
) -> ExecuteError {
    let file = step.script.path.clone();
    match source {
        EngineError::Server {
            number,
            line,
            message,
            ..
        } => {
            let offset = usize::try_from(line.saturating_sub(1)).unwrap_or(0);
            ExecuteError::ScriptFailed {
                version: step.version,
                direction,
                file,
                batch: number_in_file,
                batch_line: batch.start_line,
                line: batch.start_line.saturating_add(offset),
                number,
                message,
                transactional: step.transactional,
            }
        }
        source => ExecuteError::BatchInterrupted {
            version: step.version,
            direction,
            file,
            batch: number_in_file,
            batch_line: batch.start_line,
            transactional: step.transactional,
            source,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::migrate::plan::{UpTarget, plan_up};
    use crate::migrate::test_data::{migration, set_of};

    #[test]
    fn server_lines_are_mapped_into_the_file() {
        let set = set_of(vec![migration(
            1,
            "CREATE TABLE a\nGO\n\nCREATE TABLE b\nFAIL 1",
            None,
        )]);
        let plan = plan_up(&set, &[], UpTarget::Latest).expect("plan");
        let step = &plan.steps[0];
        let batch = &step.script.batches[1];
        // (server line, file line): the second batch starts at line 3.
        for (server_line, file_line) in [(0, 3), (1, 3), (3, 5)] {
            let source = EngineError::Server {
                number: 1,
                state: 1,
                class: 16,
                line: server_line,
                message: "m".to_owned(),
            };
            match batch_error(step, Direction::Up, 2, batch, source) {
                ExecuteError::ScriptFailed {
                    line,
                    batch_line,
                    batch,
                    ..
                } => {
                    assert_eq!(
                        (line, batch_line, batch),
                        (file_line, 3, 2),
                        "server line {server_line}"
                    );
                }
                other => panic!("expected a script error, found {other:?}"),
            }
        }
    }
}
