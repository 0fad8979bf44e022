//! The ledger: what wsdb did, recorded in the control database — runs
//! ([`runs`]), per-workspace results ([`results`]) and the per-workspace
//! version cache ([`cache`]).
//!
//! The records are plain structs defined here, with no dependency on the
//! fleet runner or the reporters: the CLI converts its outcomes into them.
//! Every write happens after the workspace committed and returns its error
//! to the caller, who decides; nothing here retries behind the caller's back
//! or pretends a distributed transaction.

mod cache;
mod results;
mod runs;

pub use cache::{VersionRecord, VersionState};
pub use results::{RunChange, WorkspaceRecord, WorkspaceResult, WorkspaceStatus};
pub use runs::{NewRun, RunDetail, RunOutcome, RunSummary, local_identity};

pub(crate) use results::upsert as upsert_record;
pub(crate) use runs::insert_run;

use std::fmt;
use std::str::FromStr;

use serde::Serialize;

use super::ControlError;
use crate::migrate::Version;

/// A run's id, as `wsdb runs` shows it and `--resume ID` takes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct RunId(i64);

impl RunId {
    /// A run id if `value` is positive (identity columns start at 1).
    pub fn new(value: i64) -> Option<RunId> {
        (value > 0).then_some(RunId(value))
    }

    pub fn get(self) -> i64 {
        self.0
    }
}

impl fmt::Display for RunId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl FromStr for RunId {
    type Err = ControlError;

    fn from_str(text: &str) -> Result<RunId, ControlError> {
        text.trim()
            .parse::<i64>()
            .ok()
            .and_then(RunId::new)
            .ok_or_else(|| ControlError::InvalidRunId {
                found: text.to_owned(),
            })
    }
}

/// Versions as the BIGINT values the ledger stores.
fn versions_to_db(versions: &[Version]) -> Vec<i64> {
    versions.iter().map(|v| v.as_i64()).collect()
}

/// A stored BIGINT back to a [`Version`]; the schema's CHECKs keep them
/// positive, so a failure means someone wrote the table by hand.
fn version_from_db(
    value: Option<i64>,
    table: &'static str,
    column: &'static str,
) -> Result<Option<Version>, ControlError> {
    value
        .map(|raw| {
            Version::from_i64(raw).ok_or_else(|| ControlError::CorruptValue {
                table,
                column,
                found: raw.to_string(),
            })
        })
        .transpose()
}

fn versions_from_db(
    values: Vec<i64>,
    table: &'static str,
    column: &'static str,
) -> Result<Vec<Version>, ControlError> {
    values
        .into_iter()
        .map(|raw| version_from_db(Some(raw), table, column).map(|v| v.into_iter()))
        .collect::<Result<Vec<_>, _>>()
        .map(|nested| nested.into_iter().flatten().collect())
}

/// Implements `as_str` / `parse` for a string-valued ledger enum, the one
/// place its spelling in the database is written down.
macro_rules! ledger_enum {
    ($name:ident, $table:literal, $column:literal, { $($variant:ident => $text:literal),+ $(,)? }) => {
        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The value stored in the ledger (and shown to users).
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }

            pub(crate) fn parse(text: &str) -> Result<$name, crate::control::ControlError> {
                match text {
                    $($text => Ok($name::$variant),)+
                    other => Err(crate::control::ControlError::CorruptValue {
                        table: $table,
                        column: $column,
                        found: other.to_owned(),
                    }),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
pub(crate) use ledger_enum;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn run_id_parsing_table() {
        let cases = [
            ("1", Some(1)),
            (" 42 ", Some(42)),
            ("9223372036854775807", Some(i64::MAX)),
            ("0", None),
            ("-3", None),
            ("abc", None),
            ("", None),
            ("9223372036854775808", None),
        ];
        for (text, expected) in cases {
            let parsed = text.parse::<RunId>().ok().map(RunId::get);
            assert_eq!(parsed, expected, "{text:?}");
        }
        let error = "x1".parse::<RunId>().err().map(|e| e.to_string());
        assert!(error.is_some_and(|e| e.starts_with("`x1` is not a run id")));
    }

    #[test]
    fn versions_round_trip_and_refuse_corrupt_values() {
        let versions: Vec<Version> = [1, 42, 20_261_129_120_000]
            .into_iter()
            .filter_map(Version::new)
            .collect();
        let back = versions_from_db(versions_to_db(&versions), "t", "c").ok();
        assert_eq!(back, Some(versions));
        let corrupt = versions_from_db(vec![3, 0], "t", "c");
        assert!(matches!(
            corrupt,
            Err(ControlError::CorruptValue { found, .. }) if found == "0"
        ));
        assert!(version_from_db(None, "t", "c").is_ok_and(|v| v.is_none()));
    }
}
