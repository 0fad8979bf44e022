//! `--dry-run` output for people: the batches that would run, once per
//! group of workspaces starting from the same version (a fleet at two
//! versions prints two plans, not a thousand).

use std::collections::BTreeMap;

use crate::migrate::{MigrationSet, Version};
use crate::report::{RunReport, Status};

/// The plans of every `planned` workspace of an up migration to `to`.
pub fn render(report: &RunReport, set: &MigrationSet, to: Option<Version>) -> String {
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
        let steps: Vec<_> = set
            .migrations
            .iter()
            .filter(|m| Some(m.version.get()) > from && to.is_none_or(|to| m.version <= to))
            .collect();
        out.push_str(&format!(
            "-- plan for {} workspace(s) at version {}: {}\n",
            workspaces.len(),
            from.map_or_else(|| "none".to_owned(), |v| v.to_string()),
            preview(&workspaces)
        ));
        for migration in steps {
            let script = &migration.up;
            let mode = if script.directives.no_transaction {
                "no transaction"
            } else {
                "one transaction"
            };
            out.push_str(&format!("-- {} ({mode})\n", script.path.display()));
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
