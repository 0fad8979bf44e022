//! The connected context of a command: the resolved environment, the
//! control database, and the workspace connection pools. Opened once per
//! command, after every offline check passed.

use crate::config::{EnvConfig, RunOverrides};
use crate::control::{ControlDb, ControlOptions, WorkspaceRows};
use crate::engine::mssql::MssqlEngine;
use crate::pool::WorkspacePools;

use super::GlobalArgs;
use super::context::Project;

pub struct Online {
    pub env: EnvConfig,
    pub control: ControlDb,
    pub pools: WorkspacePools<MssqlEngine>,
}

impl Online {
    /// Resolves the env (applying flag overrides) and connects to the
    /// control database. Workspace connections open lazily, per workspace.
    pub async fn open(
        global: &GlobalArgs,
        project: &Project,
        overrides: &RunOverrides,
    ) -> anyhow::Result<Online> {
        let mut env = project.env(global)?;
        env.apply_overrides(overrides);
        // Ledger writes come from every in-flight workspace; a few more
        // connections than the default keep them from queueing, while the
        // control database (shared with the product) stays lightly used.
        let options = ControlOptions {
            max_connections: u32::try_from(env.run.concurrency.clamp(4, 16)).unwrap_or(16),
            ..ControlOptions::default()
        };
        let control = ControlDb::connect(&env.control_url, &options).await?;
        let pools = WorkspacePools::new(
            MssqlEngine::new(env.mssql.clone()),
            env.pool.clone(),
            env.retry.clone(),
        );
        Ok(Online {
            env,
            control,
            pools,
        })
    }

    /// Runs the env's `workspaces` query.
    pub async fn workspaces(&self) -> anyhow::Result<WorkspaceRows> {
        Ok(self.control.fetch_workspaces(&self.env.workspaces).await?)
    }

    /// Closes every workspace connection and the control pool.
    pub async fn close(&self) {
        self.pools.shutdown().await;
        self.control.close().await;
    }
}
