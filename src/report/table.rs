//! Tables for people: the end-of-run summary (failures first, one-line cause
//! each), the version histogram and the totals line. Colour only when the
//! output mode allows it; the layout is stable so it can be snapshot-tested
//! with `NO_COLOR`.

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{Cell, Color, ContentArrangement, Table};

use super::event::{Status, WorkspaceLine};
use super::printable::printable;
use super::summary::RunReport;

/// Which columns a command's summary shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// migrate, rollback, baseline, repair, provision: what changed.
    Change,
    /// status, verify: where each workspace stands.
    State,
}

/// The whole human summary: table, histogram (state layout), totals line.
pub fn render(report: &RunReport, layout: Layout, color: bool) -> String {
    let mut out = String::new();
    if !report.workspaces.is_empty() {
        out.push_str(&summary_table(&report.workspaces, layout, color).to_string());
        out.push('\n');
    }
    for rejected in &report.rejected_rows {
        let id = rejected.workspace.as_deref().unwrap_or("(no id)");
        out.push_str(&format!(
            "rejected row {} ({}): {}\n",
            rejected.row,
            printable(id),
            printable(&rejected.problem)
        ));
    }
    if layout == Layout::State && !report.versions.is_empty() {
        out.push_str(&histogram(report));
    }
    out.push_str(&totals_line(report));
    if let Some(stopped) = &report.stopped {
        out.push_str(&format!("stopped early: {}\n", stopped.replace('_', " ")));
    }
    for warning in &report.warnings {
        out.push_str(&format!("warning: {warning}\n"));
    }
    out
}

fn summary_table(lines: &[WorkspaceLine], layout: Layout, color: bool) -> Table {
    let mut table = Table::new();
    table
        .load_style(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic);
    if !color {
        table.force_no_tty();
    }
    match layout {
        Layout::Change => {
            table.set_header(["workspace", "status", "version", "applied", "time", "cause"])
        }
        Layout::State => table.set_header([
            "workspace",
            "status",
            "version",
            "latest",
            "pending",
            "note",
        ]),
    };
    for line in lines {
        let status = status_cell(line.status, color);
        let row = match layout {
            Layout::Change => vec![
                Cell::new(printable(&line.workspace)),
                status,
                Cell::new(version_change(line)),
                Cell::new(steps(line)),
                Cell::new(duration(line.duration_ms)),
                Cell::new(printable(&note(line))),
            ],
            Layout::State => vec![
                Cell::new(printable(&line.workspace)),
                status,
                Cell::new(version(line.version_after)),
                Cell::new(version(line.latest)),
                Cell::new(pending_count(line)),
                Cell::new(printable(&note(line))),
            ],
        };
        table.add_row(row);
    }
    table
}

fn status_cell(status: Status, color: bool) -> Cell {
    let cell = Cell::new(status.as_str());
    if !color {
        return cell;
    }
    if status.is_failure() {
        cell.fg(Color::Red)
    } else if status.is_check_problem() {
        cell.fg(Color::Yellow)
    } else {
        cell.fg(Color::Green)
    }
}

fn version(v: Option<u64>) -> String {
    v.map_or_else(|| "-".to_owned(), |v| v.to_string())
}

/// `-` when the workspace's history was not read: `0` would claim it has
/// nothing pending.
fn pending_count(line: &WorkspaceLine) -> String {
    if line.status.version_unknown() {
        "-".to_owned()
    } else {
        line.pending.len().to_string()
    }
}

fn version_change(line: &WorkspaceLine) -> String {
    match (line.version_before, line.version_after) {
        (before, after) if before == after => version(after),
        (before, after) => format!("{} → {}", version(before), version(after)),
    }
}

fn steps(line: &WorkspaceLine) -> String {
    match line.steps.as_slice() {
        [] => "-".to_owned(),
        [one] => one.version.to_string(),
        [first, .., last] => format!("{}..{} ({})", first.version, last.version, line.steps.len()),
    }
}

fn note(line: &WorkspaceLine) -> String {
    let mut note = line.cause.clone().unwrap_or_default();
    if let Some(holder) = &line.lock_holder {
        if !note.is_empty() {
            note.push_str("; ");
        }
        note.push_str(&format!("lock held by {holder}"));
    }
    note
}

/// `340ms`, `1.2s`, `3m04s`.
pub fn duration(ms: u64) -> String {
    match ms {
        0..=999 => format!("{ms}ms"),
        1_000..=59_999 => format!("{}.{}s", ms / 1000, (ms % 1000) / 100),
        _ => format!("{}m{:02}s", ms / 60_000, (ms % 60_000) / 1000),
    }
}

fn histogram(report: &RunReport) -> String {
    let total: usize = report.versions.values().sum();
    let widest = report.versions.values().copied().max().unwrap_or(1).max(1);
    let mut out = String::from("versions:\n");
    let mut versions: Vec<(&String, &usize)> = report.versions.iter().collect();
    // Numeric order, `none` first.
    versions.sort_by_key(|(v, _)| v.parse::<u64>().ok());
    for (version, count) in versions {
        let bar = "█".repeat((count * 30).div_ceil(widest));
        out.push_str(&format!("  {version:>14}  {count:>6}  {bar}\n"));
    }
    out.push_str(&format!("  {:>14}  {total:>6}\n", "total"));
    out
}

fn totals_line(report: &RunReport) -> String {
    let parts: Vec<String> = report
        .totals
        .by_status
        .iter()
        .map(|(status, count)| format!("{count} {}", status.as_str()))
        .collect();
    let noun = if report.totals.workspaces == 1 {
        "workspace"
    } else {
        "workspaces"
    };
    let mut line = format!("{} {noun}", report.totals.workspaces);
    if !parts.is_empty() {
        line.push_str(": ");
        line.push_str(&parts.join(", "));
    }
    line.push_str(&format!(" in {}", duration(report.duration_ms)));
    if let Some(run_id) = report.run_id {
        line.push_str(&format!(" (run {run_id})"));
    }
    line.push('\n');
    line
}

/// The connection-pool counters on one line (`-v`).
pub fn pool_line(pool: &serde_json::Value) -> String {
    let Some(counters) = pool.as_object() else {
        return String::new();
    };
    let parts: Vec<String> = counters
        .iter()
        .map(|(name, value)| format!("{} {value}", name.replace('_', " ")))
        .collect();
    format!("connections: {}\n", parts.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pending_is_unknown_where_the_history_was_not_read() {
        let mut read = WorkspaceLine::new("a", Status::UpToDate);
        assert_eq!(pending_count(&read), "0");
        read.pending = vec![3, 4];
        assert_eq!(pending_count(&read), "2");
        assert_eq!(
            pending_count(&WorkspaceLine::new("b", Status::Unreachable)),
            "-"
        );
    }

    #[test]
    fn durations() {
        assert_eq!(duration(340), "340ms");
        assert_eq!(duration(1_234), "1.2s");
        assert_eq!(duration(184_000), "3m04s");
    }
}
