//! `--dry-run` output for people: the batches that would run, once per
//! group of workspaces starting from the same version (a fleet at two
//! versions prints two plans, not a thousand).
//!
//! The plan of a group is derived from the migration set and the group's
//! version, which is what the executor planned from for every workspace
//! of the group (their history validated clean, or they would not be
//! `planned`).

use std::collections::BTreeMap;

use crate::migrate::{DownTarget, Migration, MigrationSet, Script, Version};
use crate::report::{RunReport, Status};

/// Which way the dry run went.
#[derive(Debug, Clone, Copy)]
pub enum Direction {
    Up { to: Option<Version> },
    Down(DownTarget),
}

/// The plans of every `planned` workspace of the report.
pub fn render(report: &RunReport, set: &MigrationSet, direction: Direction) -> String {
    let mut groups: BTreeMap<Option<u64>, Vec<&str>> = BTreeMap::new();
    for line in report
        .workspaces
        .iter()
        .filter(|l| l.status == Status::Planned)
    {
        groups
            .entry(line.version_before)
            .or_default()
            .push(&line.workspace);
    }
    let mut out = String::new();
    for (from, workspaces) in groups {
        out.push_str(&format!(
            "-- plan for {} workspace(s) at version {}: {}\n",
            workspaces.len(),
            from.map_or_else(|| "none".to_owned(), |v| v.to_string()),
            preview(&workspaces)
        ));
        for (migration, script) in steps(set, from, direction) {
            let mode = if script.directives.no_transaction {
                "no transaction"
            } else {
                "one transaction"
            };
            out.push_str(&format!(
                "-- {} ({mode}), version {}\n",
                script.path.display(),
                migration.version
            ));
            for (index, batch) in script.batches.iter().enumerate() {
                let repeat = if batch.repeat > 1 {
                    format!(", runs {} times", batch.repeat)
                } else {
                    String::new()
                };
                out.push_str(&format!(
                    "-- batch {} at line {}{repeat}\n",
                    index + 1,
                    batch.start_line
                ));
                out.push_str(batch.sql.trim_end());
                out.push_str("\nGO\n");
            }
        }
        out.push('\n');
    }
    out
}

/// The scripts that would run from `from`, in order.
fn steps(
    set: &MigrationSet,
    from: Option<u64>,
    direction: Direction,
) -> Vec<(&Migration, &Script)> {
    match direction {
        Direction::Up { to } => set
            .migrations
            .iter()
            .filter(|m| Some(m.version.get()) > from && to.is_none_or(|to| m.version <= to))
            .map(|m| (m, &m.up))
            .collect(),
        Direction::Down(target) => {
            let applied = set
                .migrations
                .iter()
                .rev()
                .filter(|m| Some(m.version.get()) <= from);
            let undone: Vec<&Migration> = match target {
                DownTarget::To(to) => applied.filter(|m| m.version > to).collect(),
                DownTarget::Undo { to, .. } => applied
                    .filter(|m| to.is_none_or(|to| m.version > to))
                    .collect(),
                DownTarget::Steps(n) => applied.take(n).collect(),
            };
            undone
                .into_iter()
                .filter_map(|m| m.down.as_ref().map(|down| (m, down)))
                .collect()
        }
    }
}

fn preview(workspaces: &[&str]) -> String {
    const SHOWN: usize = 5;
    let mut text = workspaces
        .iter()
        .take(SHOWN)
        .copied()
        .collect::<Vec<_>>()
        .join(", ");
    if workspaces.len() > SHOWN {
        text.push_str(&format!(" and {} more", workspaces.len() - SHOWN));
    }
    text
}
