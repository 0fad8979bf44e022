//! Which workspaces a command works on: `-w ID` (repeatable), `--group G`,
//! `--all`, narrowed by `--shard I/N` (or `--shard-count N` with the index
//! from `JOB_COMPLETION_INDEX`, as Kubernetes Indexed Jobs set it).
//!
//! Selecting is pure: rows in, workspaces out. A `-w` naming a workspace the
//! control query does not return is a usage error (exit 2), found before any
//! workspace is touched.

use std::collections::HashSet;

use clap::Args;

use super::UsageError;
use crate::control::WorkspaceRows;
use crate::fleet::shard::Shard;
use crate::report::RejectedLine;
use crate::workspace::Workspace;

#[derive(Debug, Clone, Default, Args)]
#[command(next_help_heading = "Selecting workspaces")]
pub struct SelectionArgs {
    /// A workspace id (repeatable)
    #[arg(short = 'w', long = "workspace", value_name = "ID")]
    pub workspaces: Vec<String>,

    /// Every workspace the control query returns
    #[arg(long, conflicts_with = "workspaces")]
    pub all: bool,

    /// The workspaces whose `group` column is G (repeatable)
    #[arg(long = "group", value_name = "G", conflicts_with = "workspaces")]
    pub groups: Vec<String>,

    /// Only the I-th of N deterministic slices of the selection (0-based), for parallel runners
    #[arg(long, value_name = "I/N", conflicts_with = "shard_count")]
    pub shard: Option<Shard>,

    /// Split into N slices and take the one JOB_COMPLETION_INDEX names (Kubernetes Indexed Jobs)
    #[arg(long, value_name = "N")]
    pub shard_count: Option<u32>,
}

/// The workspaces to work on, and the rows of the control query that could
/// not be used (reported only for `--all`/`--group`, where they belong).
#[derive(Debug, Default)]
pub struct Selected {
    pub workspaces: Vec<Workspace>,
    pub rejected: Vec<RejectedLine>,
}

impl SelectionArgs {
    pub fn is_empty(&self) -> bool {
        self.workspaces.is_empty() && !self.all && self.groups.is_empty()
    }

    /// The shard to keep, from `--shard` or `--shard-count` + `JOB_COMPLETION_INDEX`.
    pub fn shard(&self, job_index: Option<&str>) -> Result<Option<Shard>, UsageError> {
        if let Some(shard) = self.shard {
            return Ok(Some(shard));
        }
        let Some(count) = self.shard_count else {
            return Ok(None);
        };
        let index = job_index.ok_or_else(|| {
            UsageError(
                "`--shard-count` needs JOB_COMPLETION_INDEX (set by Kubernetes Indexed Jobs)\nhint: or pass `--shard I/N`"
                    .to_owned(),
            )
        })?;
        let index: u32 = index.trim().parse().map_err(|_| {
            UsageError(format!(
                "JOB_COMPLETION_INDEX is `{index}`, expected a non-negative integer"
            ))
        })?;
        Shard::new(index, count).map(Some).map_err(|_| {
            UsageError(format!(
                "JOB_COMPLETION_INDEX {index} is not below --shard-count {count}"
            ))
        })
    }

    /// Applies the selection to the control query's rows.
    pub fn select(
        &self,
        rows: WorkspaceRows,
        shard: Option<Shard>,
    ) -> Result<Selected, UsageError> {
        if self.is_empty() {
            return Err(UsageError(
                "say which workspaces: `-w ID`, `--group G` or `--all`".to_owned(),
            ));
        }
        let in_shard = |id: &str| shard.is_none_or(|shard| shard.owns(id));
        let mut selected = Selected::default();
        if self.workspaces.is_empty() {
            let groups: HashSet<&str> = self.groups.iter().map(String::as_str).collect();
            let wanted =
                |w: &Workspace| self.all || w.group.as_deref().is_some_and(|g| groups.contains(g));
            selected.workspaces = rows
                .workspaces
                .into_iter()
                .filter(|w| wanted(w) && in_shard(w.id.as_str()))
                .collect();
            selected.rejected = rows
                .rejected
                .into_iter()
                .filter(|r| r.id.as_deref().is_none_or(in_shard))
                .map(|r| RejectedLine {
                    row: r.index,
                    workspace: r.id,
                    problem: r.problem.to_string(),
                })
                .collect();
            return Ok(selected);
        }
        let mut by_id: std::collections::HashMap<String, Workspace> = rows
            .workspaces
            .into_iter()
            .map(|w| (w.id.0.clone(), w))
            .collect();
        let mut seen = HashSet::new();
        for id in &self.workspaces {
            if !seen.insert(id.as_str()) || !in_shard(id) {
                continue;
            }
            if let Some(workspace) = by_id.remove(id) {
                selected.workspaces.push(workspace);
            } else if let Some(row) = rows.rejected.iter().find(|r| r.id.as_deref() == Some(id)) {
                selected.rejected.push(RejectedLine {
                    row: row.index,
                    workspace: row.id.clone(),
                    problem: row.problem.to_string(),
                });
            } else {
                return Err(UsageError(format!(
                    "workspace `{id}` is not in the control database's workspaces query\nhint: `wsdb workspaces` lists them"
                )));
            }
        }
        Ok(selected)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::control::{RejectedRow, RowProblem};

    fn ws(id: &str, group: Option<&str>) -> Workspace {
        Workspace {
            group: group.map(str::to_owned),
            ..Workspace::at(id, "h", 1433, id)
        }
    }

    fn rows() -> WorkspaceRows {
        WorkspaceRows {
            workspaces: vec![
                ws("a", Some("eu")),
                ws("b", Some("us")),
                ws("c", Some("eu")),
            ],
            rejected: vec![RejectedRow {
                index: 4,
                id: Some("d".into()),
                problem: RowProblem::NullValue { column: "host" },
            }],
        }
    }

    fn ids(selected: &Selected) -> Vec<&str> {
        selected.workspaces.iter().map(|w| w.id.as_str()).collect()
    }

    #[test]
    fn selections() {
        let all = SelectionArgs {
            all: true,
            ..Default::default()
        };
        let selected = all.select(rows(), None).unwrap();
        assert_eq!(ids(&selected), ["a", "b", "c"]);
        assert_eq!(selected.rejected.len(), 1);

        let group = SelectionArgs {
            groups: vec!["eu".into()],
            ..Default::default()
        };
        assert_eq!(ids(&group.select(rows(), None).unwrap()), ["a", "c"]);

        let some = SelectionArgs {
            workspaces: vec!["c".into(), "a".into(), "c".into()],
            ..Default::default()
        };
        let selected = some.select(rows(), None).unwrap();
        assert_eq!(ids(&selected), ["c", "a"]);
        assert!(selected.rejected.is_empty());

        let bad_row = SelectionArgs {
            workspaces: vec!["d".into()],
            ..Default::default()
        };
        assert_eq!(bad_row.select(rows(), None).unwrap().rejected.len(), 1);

        let unknown = SelectionArgs {
            workspaces: vec!["zz".into()],
            ..Default::default()
        };
        assert!(unknown.select(rows(), None).unwrap_err().0.contains("`zz`"));
        assert!(SelectionArgs::default().select(rows(), None).is_err());
    }

    #[test]
    fn shards_partition_the_selection() {
        let all = SelectionArgs {
            all: true,
            ..Default::default()
        };
        let mut seen = Vec::new();
        for index in 0..3 {
            let shard = Shard::new(index, 3).unwrap();
            seen.extend(
                all.select(rows(), Some(shard))
                    .unwrap()
                    .workspaces
                    .into_iter()
                    .map(|w| w.id.0),
            );
        }
        seen.sort();
        assert_eq!(seen, ["a", "b", "c"]);
    }

    #[test]
    fn shard_count_reads_the_job_index() {
        let args = SelectionArgs {
            all: true,
            shard_count: Some(4),
            ..Default::default()
        };
        assert_eq!(
            args.shard(Some("2")).unwrap(),
            Some(Shard { index: 2, count: 4 })
        );
        assert!(args.shard(None).is_err());
        assert!(args.shard(Some("4")).is_err());
        assert!(args.shard(Some("x")).is_err());
    }
}
