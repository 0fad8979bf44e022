//! The migration domain, engine-neutral: migration files, checksums, the
//! `wsdb.sum` integrity file, `GO` batches, lint rules, history records, the
//! planner and the executor.
//!
//! Nothing here knows a database driver. The executor talks to a database
//! only through the [`crate::engine::Session`] trait.

pub mod batch;
pub mod checksum;
pub mod directives;
pub mod execute;
pub mod history;
pub mod lexer;
pub mod lint;
pub mod naming;
pub mod plan;
pub mod scaffold;
pub mod source;
pub mod sum;
#[cfg(test)]
mod test_data;
pub mod validate;

pub use batch::split_batches;
pub use checksum::Checksum;
pub use execute::{ExecEvent, ExecOptions, Operation, Outcome, WorkspaceReport};
pub use history::AppliedMigration;
pub use lint::{Finding, Rule, Severity};
pub use plan::{DownTarget, Plan, PlanError, UpTarget};
pub use source::SourceError;
pub use sum::{SumError, SumFile};
pub use validate::{SchemaError, SchemaVersion, Validation, validate, verify_schema};

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use serde::Serialize;

/// A migration version: a positive integer (`0001` or a timestamp such as
/// `20261129120000`). Bounded by `i64::MAX` because history stores it as
/// BIGINT.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct Version(u64);

impl Version {
    pub const MAX: u64 = i64::MAX as u64;

    /// A version if `value` is in `1..=i64::MAX`.
    pub fn new(value: u64) -> Option<Version> {
        (1..=Self::MAX).contains(&value).then_some(Version(value))
    }

    pub fn get(self) -> u64 {
        self.0
    }

    /// The BIGINT form stored in history tables. Lossless by construction.
    pub fn as_i64(self) -> i64 {
        i64::try_from(self.0).unwrap_or(i64::MAX)
    }

    /// From a BIGINT read back from a history table.
    pub fn from_i64(value: i64) -> Option<Version> {
        u64::try_from(value).ok().and_then(Version::new)
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// Per-file directives read from leading `-- wsdb:` comments.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Directives {
    /// `-- wsdb:no-transaction`: run the batches outside a transaction.
    pub no_transaction: bool,
    /// `-- wsdb:timeout=30m`: per-statement timeout for this file.
    pub timeout: Option<Duration>,
}

/// One batch of a script, as split on `GO` lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Batch {
    /// The batch text, without the `GO` line.
    pub sql: String,
    /// 1-based line in the file where the batch starts.
    pub start_line: usize,
    /// `GO <count>` runs the batch this many times (1 for a bare `GO`).
    pub repeat: u32,
}

/// One `.up.sql` or `.down.sql` file, read and checked.
#[derive(Debug, Clone)]
pub struct Script {
    pub path: PathBuf,
    /// File contents after BOM removal and CRLF→LF normalisation.
    pub text: String,
    pub checksum: Checksum,
    pub directives: Directives,
    pub batches: Vec<Batch>,
}

/// A migration: one version with its up script and optional down script.
#[derive(Debug, Clone)]
pub struct Migration {
    pub version: Version,
    /// The `<name>` part of `<version>_<name>.up.sql`.
    pub name: String,
    pub up: Script,
    pub down: Option<Script>,
}

/// Every migration of a directory (or an embedded set), in version order.
#[derive(Debug, Clone, Default)]
pub struct MigrationSet {
    /// Where the set was read from; `None` for an embedded set.
    pub dir: Option<PathBuf>,
    pub migrations: Vec<Migration>,
}

impl MigrationSet {
    pub fn latest(&self) -> Option<Version> {
        self.migrations.last().map(|m| m.version)
    }

    pub fn get(&self, version: Version) -> Option<&Migration> {
        self.migrations
            .binary_search_by_key(&version, |m| m.version)
            .ok()
            .map(|i| &self.migrations[i])
    }
}
