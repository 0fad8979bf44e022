//! The data an operation returns: [`WorkspaceReport`] with its
//! [`Outcome`], shaped for the reporter's table and for the stable JSON
//! output (every type here is `Serialize`; durations are milliseconds).
//!
//! No formatting for humans beyond `Display` of errors: tables, colours and
//! wording belong to `report`.

use std::path::PathBuf;
use std::time::Duration;

use serde::{Serialize, Serializer};

use super::Operation;
use super::error::{ExecuteError, Refusal, display};
use crate::engine::{EngineError, LockHolder, LockState};
use crate::exit::ExitCode;
use crate::migrate::plan::{Direction, Plan};
use crate::migrate::validate::Validation;
use crate::migrate::{AppliedMigration, Version};

/// What one operation did to one workspace.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WorkspaceReport {
    pub operation: Operation,
    /// The highest applied version when the operation started (`None`:
    /// nothing applied, or the history could not be read).
    pub before: Option<Version>,
    /// The highest applied version when it ended.
    pub after: Option<Version>,
    /// Migrations applied or rolled back, in the order they ran.
    pub steps: Vec<StepResult>,
    pub outcome: Outcome,
    /// False when the session must be closed rather than pooled: it broke,
    /// or cleanup (rollback, lock release) failed.
    pub session_reusable: bool,
    /// Why cleanup failed, when it did. The outcome stands: work that
    /// committed stays committed, and the lock dies with the connection.
    #[serde(serialize_with = "optional_display")]
    pub cleanup_error: Option<EngineError>,
}

/// One migration that ran to completion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StepResult {
    pub version: Version,
    pub name: String,
    pub direction: Direction,
    #[serde(rename = "duration_ms", serialize_with = "millis")]
    pub duration: Duration,
}

/// How an operation ended on a workspace.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Outcome {
    /// `migrate`: nothing was pending.
    UpToDate,
    /// `migrate`: every planned migration was applied.
    Applied,
    /// `rollback`: every planned down script ran.
    RolledBack,
    /// `rollback`: the workspace already was at the target.
    NothingToRollBack,
    Baselined {
        version: Version,
        /// History rows written (one per migration up to `version`).
        rows: usize,
    },
    Repaired(RepairSummary),
    /// `--dry-run`: what would run; nothing was locked or written.
    DryRun(DryRun),
    Status(StatusReport),
    /// `verify`: no drift, unknown versions or failed rows.
    Verified(StatusReport),
    /// `verify`: drift, unknown versions or failed rows.
    CheckFailed(StatusReport),
    History {
        /// False when wsdb never touched the database.
        table_exists: bool,
        rows: Vec<AppliedMigration>,
    },
    /// Another run holds the workspace's lock: nothing was touched.
    Locked {
        holder: Option<LockHolder>,
    },
    /// The workspace's state forbids the operation: nothing was changed.
    Refused {
        #[serde(serialize_with = "with_message")]
        reason: Refusal,
    },
    Failed {
        #[serde(serialize_with = "with_message")]
        error: ExecuteError,
    },
}

/// How an outcome counts towards the exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Ok,
    /// A check found problems (exit code 3).
    CheckFailed,
    /// The workspace failed, was refused or was locked (exit code 1).
    Failed,
}

impl Outcome {
    pub fn severity(&self) -> Severity {
        match self {
            Outcome::CheckFailed(_) => Severity::CheckFailed,
            Outcome::Locked { .. } | Outcome::Refused { .. } | Outcome::Failed { .. } => {
                Severity::Failed
            }
            _ => Severity::Ok,
        }
    }
}

impl From<Severity> for ExitCode {
    /// The exit code a command whose worst outcome has this severity ends with.
    fn from(severity: Severity) -> ExitCode {
        match severity {
            Severity::Ok => ExitCode::Success,
            Severity::CheckFailed => ExitCode::CheckFailed,
            Severity::Failed => ExitCode::Failure,
        }
    }
}

impl From<ExecuteError> for Outcome {
    fn from(error: ExecuteError) -> Self {
        Outcome::Failed { error }
    }
}

impl From<Refusal> for Outcome {
    fn from(reason: Refusal) -> Self {
        Outcome::Refused { reason }
    }
}

/// `status` and `verify`: how the history compares with the set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatusReport {
    /// False when wsdb never touched the database (everything pending).
    pub history_table: bool,
    #[serde(flatten)]
    pub validation: Validation,
    /// Who holds the lock (`status` only; `None` when not asked).
    pub lock: Option<LockStatus>,
}

/// The `wsdb` lock as a read-only command saw it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum LockStatus {
    Free,
    /// Busy: another run is working on the workspace.
    Held {
        holder: Option<LockHolder>,
    },
}

impl From<LockState> for LockStatus {
    fn from(state: LockState) -> Self {
        match state {
            LockState::Free => LockStatus::Free,
            LockState::Held { holder } => LockStatus::Held { holder },
        }
    }
}

/// What `repair` changed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RepairSummary {
    /// Failed rows deleted: those migrations count as not applied.
    pub deleted_failed: Vec<Version>,
    /// Rows whose checksum and name were set to the files'.
    pub realigned: Vec<Version>,
    /// Applied versions unknown to the set: left alone, reported.
    pub unknown: Vec<Version>,
}

/// The scripts a `--dry-run` would run, batch by batch, for printing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DryRun {
    pub direction: Direction,
    pub from: Option<Version>,
    pub to: Option<Version>,
    pub steps: Vec<PlannedStep>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlannedStep {
    pub version: Version,
    pub name: String,
    pub file: PathBuf,
    pub transactional: bool,
    /// The timeout each batch would get (directive or default).
    #[serde(rename = "timeout_ms", serialize_with = "millis")]
    pub timeout: Duration,
    pub batches: Vec<PlannedBatch>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlannedBatch {
    /// 1-based batch number in the file.
    pub number: usize,
    /// Line in the file where the batch starts.
    pub line: usize,
    /// `GO <count>`: how many times it runs.
    pub repeat: u32,
    pub sql: String,
}

impl DryRun {
    pub(super) fn of(plan: &Plan<'_>, default_timeout: Duration) -> DryRun {
        let steps = plan
            .steps
            .iter()
            .map(|step| PlannedStep {
                version: step.version,
                name: step.name.to_owned(),
                file: step.script.path.clone(),
                transactional: step.transactional,
                timeout: step.timeout.unwrap_or(default_timeout),
                batches: step
                    .script
                    .batches
                    .iter()
                    .enumerate()
                    .map(|(index, batch)| PlannedBatch {
                        number: index + 1,
                        line: batch.start_line,
                        repeat: batch.repeat,
                        sql: batch.sql.clone(),
                    })
                    .collect(),
            })
            .collect();
        DryRun {
            direction: plan.direction,
            from: plan.from,
            to: plan.to,
            steps,
        }
    }
}

pub(super) fn millis<S: Serializer>(duration: &Duration, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_u64(u64::try_from(duration.as_millis()).unwrap_or(u64::MAX))
}

fn optional_display<S: Serializer>(
    error: &Option<EngineError>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match error {
        Some(error) => display(error, serializer),
        None => serializer.serialize_none(),
    }
}

/// Serializes an error as its fields plus a `message` (its `Display`), so
/// JSON consumers get both the structure and the sentence a human reads.
fn with_message<T, S>(value: &T, serializer: S) -> Result<S::Ok, S::Error>
where
    T: std::fmt::Display + Serialize,
    S: Serializer,
{
    #[derive(Serialize)]
    struct Described<'a, T> {
        message: String,
        #[serde(flatten)]
        detail: &'a T,
    }
    Described {
        message: value.to_string(),
        detail: value,
    }
    .serialize(serializer)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::migrate::plan::PlanError;

    #[test]
    fn severity_table() {
        let cases = [
            (Outcome::UpToDate, Severity::Ok),
            (Outcome::Applied, Severity::Ok),
            (Outcome::CheckFailed(status()), Severity::CheckFailed),
            (Outcome::Verified(status()), Severity::Ok),
            (Outcome::Locked { holder: None }, Severity::Failed),
            (
                Outcome::Refused {
                    reason: Refusal::HistoryNotEmpty { rows: 1 },
                },
                Severity::Failed,
            ),
        ];
        for (outcome, severity) in cases {
            assert_eq!(outcome.severity(), severity, "{outcome:?}");
        }
    }

    #[test]
    fn the_worst_severity_decides_the_exit_code() {
        let worst = [Severity::Ok, Severity::Failed, Severity::CheckFailed]
            .into_iter()
            .max()
            .unwrap_or(Severity::Ok);
        assert_eq!(ExitCode::from(worst), ExitCode::Failure);
        assert_eq!(ExitCode::from(Severity::CheckFailed), ExitCode::CheckFailed);
        assert_eq!(ExitCode::from(Severity::Ok), ExitCode::Success);
    }

    fn status() -> StatusReport {
        StatusReport {
            history_table: true,
            validation: Validation::default(),
            lock: None,
        }
    }

    #[test]
    fn refusals_serialize_with_their_message() {
        let outcome = Outcome::Refused {
            reason: Refusal::Plan {
                error: PlanError::ZeroSteps,
            },
        };
        let json = serde_json::to_value(&outcome).expect("serializable");
        assert_eq!(
            json,
            serde_json::json!({
                "outcome": "refused",
                "reason": {
                    "message": "`--steps` must be at least 1, found 0",
                    "kind": "plan",
                    "error": { "kind": "zero_steps" },
                },
            })
        );
    }
}
