//! [`WorkspacePools`] over TDS against the test server (or a real SQL
//! Server): reuse costs no login, broken connections are replaced, the
//! cache bound and the reaper close connections (the server's own count
//! proves it), failed connects follow the backoff schedule, connections
//! come back clean, and the caps hold under load.

mod cache;
mod failure;
mod load;
mod reuse;

use std::time::Duration;

use wsdb::config::{PoolSettings, RetrySettings};
use wsdb::engine::mssql::MssqlEngine;
use wsdb::pool::WorkspacePools;

use crate::support::workspace_server::WorkspaceServer;

pub fn pool_settings() -> PoolSettings {
    PoolSettings {
        max_per_workspace: 2,
        max_cached_workspaces: 16,
        max_per_server: 32,
        idle_timeout: Duration::from_secs(300),
        health_check_after: Duration::from_secs(30),
    }
}

pub fn retry_settings() -> RetrySettings {
    RetrySettings {
        initial_backoff: Duration::from_millis(200),
        max_backoff: Duration::from_secs(2),
        max_attempts: 4,
        evict_after_failures: 2,
    }
}

pub fn pools(server: &WorkspaceServer, settings: PoolSettings) -> WorkspacePools<MssqlEngine> {
    WorkspacePools::new(
        MssqlEngine::new(server.mssql_settings()),
        settings,
        retry_settings(),
    )
}
