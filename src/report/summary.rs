//! The end of a run as one value: what the table and the JSON document are
//! rendered from, plus the derived numbers (counts per status, the version
//! histogram).

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::event::{Status, WorkspaceLine};

/// A workspace row the control query returned but wsdb could not use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RejectedLine {
    /// 1-based row number in the query's result.
    pub row: usize,
    pub workspace: Option<String>,
    pub problem: String,
}

/// Everything a command's final output shows.
#[derive(Debug, Clone, Serialize)]
pub struct RunReport {
    pub schema_version: u32,
    pub command: String,
    pub env: Option<String>,
    pub run_id: Option<i64>,
    pub started_at: DateTime<Utc>,
    pub duration_ms: u64,
    pub exit_code: i32,
    /// Why scheduling stopped early: `canary_failed`, `budget_spent`,
    /// `interrupted`, `aborted`.
    pub stopped: Option<String>,
    pub totals: Totals,
    /// How many workspaces are at each version (after the command).
    pub versions: BTreeMap<String, usize>,
    pub workspaces: Vec<WorkspaceLine>,
    pub rejected_rows: Vec<RejectedLine>,
    /// Connection-pool counters (hits, misses, connects, ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pool: Option<serde_json::Value>,
    /// Ledger problems: reported, never undoing workspace work.
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Totals {
    pub workspaces: usize,
    pub succeeded: usize,
    pub failed: usize,
    pub check_problems: usize,
    pub by_status: BTreeMap<Status, usize>,
}

/// The version of JSON documents and ndjson events (docs/json-output.md).
pub const SCHEMA_VERSION: u32 = 1;

impl Totals {
    pub fn of(lines: &[WorkspaceLine]) -> Totals {
        let mut totals = Totals {
            workspaces: lines.len(),
            ..Totals::default()
        };
        for line in lines {
            *totals.by_status.entry(line.status).or_default() += 1;
            if line.status.is_failure() {
                totals.failed += 1;
            } else if line.status.is_check_problem() {
                totals.check_problems += 1;
            } else {
                totals.succeeded += 1;
            }
        }
        totals
    }
}

/// Workspaces per version after the command (`none` for no history).
/// Workspaces whose version is unknown are not counted: a locked one was
/// counted as `none` although it had migrations applied.
pub fn version_histogram(lines: &[WorkspaceLine]) -> BTreeMap<String, usize> {
    let mut histogram = BTreeMap::new();
    for line in lines.iter().filter(|l| !l.status.version_unknown()) {
        let key = line
            .version_after
            .map_or_else(|| "none".to_owned(), |v| v.to_string());
        *histogram.entry(key).or_default() += 1;
    }
    histogram
}

/// Failures first, then problems, then successes; by workspace id within.
pub fn sort_lines(lines: &mut [WorkspaceLine]) {
    lines.sort_by(|a, b| {
        a.status
            .cmp(&b.status)
            .then_with(|| a.workspace.cmp(&b.workspace))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(id: &str, status: Status, after: Option<u64>) -> WorkspaceLine {
        WorkspaceLine {
            version_after: after,
            ..WorkspaceLine::new(id, status)
        }
    }

    #[test]
    fn totals_and_histogram() {
        let mut lines = vec![
            line("b", Status::Applied, Some(5)),
            line("a", Status::UpToDate, Some(5)),
            line("c", Status::Failed, Some(3)),
            line("d", Status::Unreachable, None),
            line("e", Status::Pending, None),
            line("f", Status::Locked, None),
        ];
        let totals = Totals::of(&lines);
        assert_eq!(
            (totals.succeeded, totals.failed, totals.check_problems),
            (2, 3, 1)
        );
        let histogram = version_histogram(&lines);
        assert_eq!(histogram.get("5"), Some(&2));
        assert_eq!(histogram.get("3"), Some(&1));
        assert_eq!(histogram.get("none"), Some(&1));
        sort_lines(&mut lines);
        let order: Vec<&str> = lines.iter().map(|l| l.workspace.as_str()).collect();
        assert_eq!(order, ["c", "d", "f", "e", "b", "a"]);
    }
}
