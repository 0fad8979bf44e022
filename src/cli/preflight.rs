//! `--preflight`: before changing any workspace, reach every selected one
//! and check its login's permissions, its schema state and its lock. If any
//! would fail, print them and change nothing.

use super::GlobalArgs;
use super::fleet_run::{self, RunSpec, Work};
use super::output::{self, Checks};
use super::prepare::Prepared;
use crate::exit::ExitCode;
use crate::fleet::{FleetOptions, Interrupt};
use crate::report::{Status, reporter, table::Layout};

/// `Some(exit code)` when preflight found problems (they were printed) and
/// the command must stop; `None` to go ahead.
pub async fn run(
    global: &GlobalArgs,
    prepared: &Prepared,
    interrupt: &Interrupt,
) -> anyhow::Result<Option<ExitCode>> {
    let (reporter, task) = reporter::start(output::output_mode(global), global.format);
    // Every workspace is checked: no canary, no budget.
    let fleet = FleetOptions {
        canary: 0,
        budget: None,
        ..prepared.fleet.clone()
    };
    let spec = RunSpec::new("preflight", Work::Preflight, fleet);
    let selected = super::select::Selected {
        workspaces: prepared.selected.workspaces.clone(),
        rejected: prepared.selected.rejected.clone(),
    };
    let mut report = fleet_run::run(
        &prepared.online,
        prepared.set.clone(),
        selected,
        spec,
        prepared.exec.clone(),
        &reporter,
        interrupt,
    )
    .await?;
    let blocked = |status: Status| {
        status.is_failure() || (status.is_check_problem() && status != Status::Pending)
    };
    if !report.workspaces.iter().any(|l| blocked(l.status)) && report.rejected_rows.is_empty() {
        let _ = task.finish().await;
        return Ok(None);
    }
    for line in report
        .workspaces
        .iter_mut()
        .filter(|l| blocked(l.status) && !l.status.is_failure())
    {
        line.status = Status::Refused;
    }
    report
        .warnings
        .push("preflight found problems: no workspace was changed".to_owned());
    prepared.online.close().await;
    Ok(Some(
        output::finish(global, task, report, Layout::State, Checks::None).await,
    ))
}
