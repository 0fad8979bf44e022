//! What can stop an operation on one workspace: an [`ExecuteError`] (a
//! script or the session failed while working) or a [`Refusal`] (the
//! workspace's state forbids the operation; nothing was changed).
//!
//! Both are data inside a `WorkspaceReport`, never a `?` that ends a fleet.
//! Script errors carry SQL Server's error number and message, the file, the
//! batch number and the line in the file.

use std::fmt;
use std::path::PathBuf;

use serde::{Serialize, Serializer};

use crate::engine::EngineError;
use crate::migrate::Version;
use crate::migrate::plan::{Direction, PlanError};
use crate::migrate::validate::ValidationProblem;

/// wsdb's own bookkeeping steps, named in errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    AcquireLock,
    /// `status`: the lock state and the history, read together.
    ReadStatus,
    CreateHistoryTable,
    ReadHistory,
    Begin,
    Commit,
    InsertHistory,
    DeleteHistory,
    UpdateHistory,
    Connect,
    CreateDatabase,
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Action::AcquireLock => "taking the `wsdb` lock",
            Action::ReadStatus => "reading the `wsdb` lock state and `dbo.wsdb_history`",
            Action::CreateHistoryTable => "creating `dbo.wsdb_history`",
            Action::ReadHistory => "reading `dbo.wsdb_history`",
            Action::Begin => "beginning a transaction",
            Action::Commit => "committing",
            Action::InsertHistory => "writing a history row",
            Action::DeleteHistory => "deleting a history row",
            Action::UpdateHistory => "updating a history row",
            Action::Connect => "connecting",
            Action::CreateDatabase => "creating the database",
        })
    }
}

/// An operation that started changing (or reading) a workspace and failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ExecuteError {
    /// A batch returned a SQL Server error.
    #[error(
        "`{}` line {line}: SQL Server error {number}: {message} (batch {batch}, which starts at line {batch_line})\nhint: {}",
        file.display(),
        script_hint(*transactional, *version)
    )]
    ScriptFailed {
        version: Version,
        direction: Direction,
        file: PathBuf,
        /// 1-based batch number in the file.
        batch: usize,
        /// Line in the file where the batch starts.
        batch_line: usize,
        /// Line in the file of the failing statement, as far as the server told.
        line: usize,
        number: u32,
        message: String,
        /// False for a `no-transaction` script: earlier batches stay applied.
        transactional: bool,
    },
    /// A batch did not finish: it timed out or the connection broke.
    #[error(
        "`{}` batch {batch} (line {batch_line}) did not finish: {source}{}",
        file.display(),
        interrupted_hint(source)
    )]
    BatchInterrupted {
        version: Version,
        direction: Direction,
        file: PathBuf,
        batch: usize,
        batch_line: usize,
        transactional: bool,
        #[serde(serialize_with = "display")]
        source: EngineError,
    },
    /// One of wsdb's own statements failed.
    #[error("{action}{}: {source}", for_version(*version))]
    Bookkeeping {
        action: Action,
        version: Option<Version>,
        #[serde(serialize_with = "display")]
        source: EngineError,
    },
    /// A `no-transaction` script failed and its failed row could not be
    /// written either: the history does not show the half-applied state.
    #[error(
        "migration {version} failed outside a transaction and could not be marked failed: {source}\nhint: the workspace is half-migrated and its history does not say so; fix it by hand before the next `wsdb migrate` (the script error was: {})",
        first_line(failure)
    )]
    FailedRowUnwritten {
        version: Version,
        failure: Box<ExecuteError>,
        #[serde(serialize_with = "display")]
        source: EngineError,
    },
    /// A `no-transaction` script ran to its end but its history row could
    /// not be written (or deleted, for a down script), for example because
    /// the script left a transaction of its own open. The migration is
    /// then marked failed like a script error.
    #[error(
        "the {direction} script of migration {version} ran outside a transaction but `dbo.wsdb_history` could not be updated: {source}\nhint: what the script committed stays and migration {version} is marked failed; check the database by hand, then run `wsdb repair`"
    )]
    Unrecorded {
        version: Version,
        direction: Direction,
        #[serde(serialize_with = "display")]
        source: EngineError,
    },
}

impl ExecuteError {
    /// The engine error underneath, if any (scripts errors carry their
    /// number and message as fields instead).
    pub fn engine_error(&self) -> Option<&EngineError> {
        match self {
            ExecuteError::ScriptFailed { .. } => None,
            ExecuteError::BatchInterrupted { source, .. }
            | ExecuteError::Bookkeeping { source, .. }
            | ExecuteError::FailedRowUnwritten { source, .. }
            | ExecuteError::Unrecorded { source, .. } => Some(source),
        }
    }

    pub(super) fn bookkeeping(
        action: Action,
        version: Option<Version>,
    ) -> impl FnOnce(EngineError) -> ExecuteError {
        move |source| ExecuteError::Bookkeeping {
            action,
            version,
            source,
        }
    }
}

/// Why an operation was not attempted: nothing was changed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Refusal {
    /// Drift, unknown applied versions or failed rows.
    #[error("{problem}")]
    Validation { problem: ValidationProblem },
    #[error("{error}")]
    Plan { error: PlanError },
    #[error(
        "cannot baseline: `dbo.wsdb_history` already has {rows} row(s)\nhint: baseline only marks a database wsdb never migrated; see `wsdb history`"
    )]
    HistoryNotEmpty { rows: usize },
}

fn script_hint(transactional: bool, version: Version) -> String {
    if transactional {
        format!(
            "fix the script and run the command again; migration {version} was rolled back whole and later ones were not attempted"
        )
    } else {
        format!(
            "the script ran outside a transaction, so earlier batches stay applied and migration {version} is marked failed; fix the database by hand, then run `wsdb repair`"
        )
    }
}

fn interrupted_hint(source: &EngineError) -> &'static str {
    match source {
        EngineError::Timeout { .. } => {
            "\nhint: raise the limit with `-- wsdb:timeout=` in the file or `statement_timeout` in wsdb.toml"
        }
        _ => "",
    }
}

fn for_version(version: Option<Version>) -> String {
    version
        .map(|v| format!(" for migration {v}"))
        .unwrap_or_default()
}

fn first_line(error: &ExecuteError) -> String {
    error
        .to_string()
        .lines()
        .next()
        .unwrap_or_default()
        .to_owned()
}

pub(super) fn display<T: fmt::Display, S: Serializer>(
    value: &T,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.collect_str(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::migrate::test_data::v;

    #[test]
    fn script_errors_name_file_line_batch_and_number() {
        let error = ExecuteError::ScriptFailed {
            version: v(3),
            direction: Direction::Up,
            file: PathBuf::from("migrations/0003_m3.up.sql"),
            batch: 3,
            batch_line: 10,
            line: 12,
            number: 208,
            message: "Invalid object name 'x'.".to_owned(),
            transactional: true,
        };
        let text = error.to_string();
        assert!(
            text.starts_with("`migrations/0003_m3.up.sql` line 12: SQL Server error 208: Invalid object name 'x'. (batch 3, which starts at line 10)\nhint: "),
            "{text}"
        );
        assert_eq!(text.lines().count(), 2);
    }

    #[test]
    fn serialized_errors_are_tagged_and_flat() {
        let error = ExecuteError::Bookkeeping {
            action: Action::Commit,
            version: Some(v(2)),
            source: EngineError::ConnectionLost {
                message: "reset by peer".to_owned(),
            },
        };
        assert_eq!(
            error.to_string(),
            "committing for migration 2: connection lost: reset by peer"
        );
        let json = serde_json::to_value(&error).expect("serializable");
        assert_eq!(
            json,
            serde_json::json!({
                "kind": "bookkeeping",
                "action": "commit",
                "version": 2,
                "source": "connection lost: reset by peer",
            })
        );
    }
}
