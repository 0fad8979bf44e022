//! The common start of every command that works on workspaces: offline
//! checks (config, migration set, sum), then the control database, then the
//! selection. Everything that can be the user's mistake is found before the
//! first workspace connection.

use std::sync::Arc;

use super::GlobalArgs;
use super::context::Project;
use super::fleet_args::FleetArgs;
use super::fleet_run::{self, RunSpec};
use super::online::Online;
use super::select::{Selected, SelectionArgs};
use crate::control::local_identity;
use crate::fleet::{FleetOptions, Interrupt};
use crate::migrate::MigrationSet;
use crate::migrate::execute::ExecOptions;
use crate::report::{ReporterTask, RunReport, reporter};

/// A command ready to run on its workspaces.
pub struct Prepared {
    pub online: Online,
    pub set: Arc<MigrationSet>,
    pub selected: Selected,
    pub exec: ExecOptions,
    pub fleet: FleetOptions,
}

pub async fn prepare(
    global: &GlobalArgs,
    selection: &SelectionArgs,
    fleet: &FleetArgs,
) -> anyhow::Result<Prepared> {
    let project = Project::open(global)?;
    let set = Arc::new(project.migrations()?);
    let shard = selection.shard(std::env::var("JOB_COMPLETION_INDEX").ok().as_deref())?;
    if selection.is_empty() {
        // Refuse before connecting anywhere.
        selection.select(Default::default(), None)?;
    }
    let online = Online::open(global, &project, &fleet.overrides()).await?;
    let rows = online.workspaces().await?;
    let selected = selection.select(rows, shard)?;
    let exec = ExecOptions::from_settings(&online.env.run, &online.env.mssql, local_identity());
    let fleet = fleet.options(online.env.run.concurrency);
    Ok(Prepared {
        online,
        set,
        selected,
        exec,
        fleet,
    })
}

impl Prepared {
    /// Confirms a destructive command (see `confirm.rs`). When the user
    /// declines, the connections are closed and the command ends: nothing
    /// was changed.
    pub async fn confirm(
        &self,
        what: &str,
        args: &super::fleet_args::ConfirmArgs,
    ) -> anyhow::Result<()> {
        let env = &self.online.env;
        let what = format!("{what} in env `{}`", env.name);
        if super::confirm::confirm(&what, args, &env.name, env.run.protected)? {
            return Ok(());
        }
        self.online.close().await;
        Err(anyhow::anyhow!("aborted: nothing was changed"))
    }

    /// Refuses a `--to V` that is not a version of the migration set, before
    /// any workspace is touched (a usage error, not a per-workspace one).
    pub fn require_version(&self, version: Option<crate::migrate::Version>) -> anyhow::Result<()> {
        match version {
            Some(v) if self.set.get(v).is_none() => Err(super::UsageError(format!(
                "version {v} is not in the migration set (latest is {})\nhint: `wsdb lint` lists the migrations",
                self.set.latest().map_or_else(|| "none".to_owned(), |l| l.to_string())
            ))
            .into()),
            _ => Ok(()),
        }
    }

    /// Runs `spec` over the selection (taken out of `self`), closes the
    /// connections, and returns the report with the reporter still open for
    /// [`super::output::finish`].
    pub async fn run(
        &mut self,
        global: &GlobalArgs,
        spec: RunSpec,
        interrupt: &Interrupt,
    ) -> anyhow::Result<(RunReport, ReporterTask)> {
        let (reporter, task) = reporter::start(super::output::output_mode(global), global.format);
        let report = fleet_run::run(
            &self.online,
            self.set.clone(),
            std::mem::take(&mut self.selected),
            spec,
            self.exec.clone(),
            &reporter,
            interrupt,
        )
        .await;
        self.online.close().await;
        Ok((report?, task))
    }
}

/// An interrupt listening for Ctrl-C and SIGTERM.
pub fn interrupt() -> Interrupt {
    let interrupt = Interrupt::new();
    interrupt.listen_for_signals();
    interrupt
}
