//! History records: what a workspace database says was applied
//! (`dbo.wsdb_history`), engine-neutral.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::{Checksum, Version};

/// One row of a workspace's history table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AppliedMigration {
    pub version: Version,
    pub name: String,
    pub checksum: Checksum,
    pub applied_at: DateTime<Utc>,
    pub duration_ms: u64,
    pub applied_by: String,
    pub wsdb_version: String,
    /// False for a `no-transaction` migration that failed part-way: the
    /// workspace refuses further migrations until `wsdb repair`.
    pub success: bool,
}
