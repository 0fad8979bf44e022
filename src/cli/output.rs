//! The end of a workspace command: decide the exit code from the outcomes
//! and print the summary in the chosen format.

use super::{Format, GlobalArgs};
use crate::exit::ExitCode;
use crate::report::mode::{self, OutputMode, Surroundings};
use crate::report::table::{self, Layout};
use crate::report::{ReporterTask, RunReport, Status, json};

/// Which findings make a command exit 3.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Checks {
    /// No check: only failures matter (migrate, status).
    None,
    /// `verify`: drift, unknown versions, failed migrations.
    Integrity,
    /// `status --check`: those and pending migrations.
    Everything,
}

/// 1 if any workspace failed (or a row was unusable), else 3 if a check
/// found something, else 0.
pub fn exit_code(report: &RunReport, checks: Checks) -> ExitCode {
    let failed =
        report.workspaces.iter().any(|l| l.status.is_failure()) || !report.rejected_rows.is_empty();
    let flagged = |status: Status| match checks {
        Checks::None => false,
        Checks::Integrity => status.is_check_problem() && status != Status::Pending,
        Checks::Everything => status.is_check_problem(),
    };
    if failed {
        ExitCode::Failure
    } else if report.workspaces.iter().any(|l| flagged(l.status)) {
        ExitCode::CheckFailed
    } else {
        ExitCode::Success
    }
}

/// The output mode of this process.
pub fn output_mode(global: &GlobalArgs) -> OutputMode {
    // Log lines (-v) and progress bars would fight over stderr: -v wins.
    let quiet_bars = global.quiet || global.verbose > 0;
    let mut mode = mode::decide(Surroundings::detect(global.format, quiet_bars));
    mode.chatty = !global.quiet;
    mode
}

/// Stops the reporter, prints the summary and returns the exit code.
pub async fn finish(
    global: &GlobalArgs,
    reporter: ReporterTask,
    mut report: RunReport,
    layout: Layout,
    checks: Checks,
) -> ExitCode {
    // Every line is already in `report`; the reporter only drew progress.
    let _ = reporter.finish().await;
    let code = exit_code(&report, checks);
    report.exit_code = code.code();
    match global.format {
        Format::Json => crate::report::write_stdout(&json::render_document(&report)),
        Format::Ndjson => json::write_run_finished(&report),
        Format::Table => {
            let mode = output_mode(global);
            if global.quiet {
                report.workspaces.retain(|l| l.status.is_failure());
            }
            crate::report::write_stdout(&table::render(&report, layout, mode.color));
            if global.verbose > 0
                && let Some(pool) = &report.pool
            {
                crate::report::write_stdout(&table::pool_line(pool));
            }
        }
    }
    code
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{RejectedLine, WorkspaceLine, summary};

    fn report(statuses: &[Status]) -> RunReport {
        let workspaces: Vec<WorkspaceLine> = statuses
            .iter()
            .enumerate()
            .map(|(i, s)| WorkspaceLine::new(format!("w{i}"), *s))
            .collect();
        RunReport {
            schema_version: summary::SCHEMA_VERSION,
            command: "status".into(),
            env: None,
            run_id: None,
            started_at: chrono::Utc::now(),
            duration_ms: 0,
            exit_code: 0,
            stopped: None,
            totals: summary::Totals::of(&workspaces),
            versions: summary::version_histogram(&workspaces),
            workspaces,
            rejected_rows: Vec::new(),
            pool: None,
            warnings: Vec::new(),
        }
    }

    #[test]
    fn exit_codes_follow_the_documented_priority() {
        use Status::*;
        let cases = [
            (vec![UpToDate, Applied], Checks::None, ExitCode::Success),
            (vec![UpToDate, Failed], Checks::None, ExitCode::Failure),
            (vec![Locked], Checks::None, ExitCode::Failure),
            (vec![Drift, Pending], Checks::None, ExitCode::Success),
            (vec![Pending], Checks::Integrity, ExitCode::Success),
            (vec![Drift], Checks::Integrity, ExitCode::CheckFailed),
            (vec![Pending], Checks::Everything, ExitCode::CheckFailed),
            (
                vec![Drift, Unreachable],
                Checks::Everything,
                ExitCode::Failure,
            ),
        ];
        for (statuses, checks, expected) in cases {
            assert_eq!(
                exit_code(&report(&statuses), checks),
                expected,
                "{statuses:?} {checks:?}"
            );
        }
        let mut with_rejected = report(&[UpToDate]);
        with_rejected.rejected_rows.push(RejectedLine {
            row: 1,
            workspace: None,
            problem: "x".into(),
        });
        assert_eq!(exit_code(&with_rejected, Checks::None), ExitCode::Failure);
    }
}
