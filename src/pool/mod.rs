//! The library-grade cache of workspace connection pools, for the fleet
//! runner and for application services alike.
//!
//! [`WorkspacePools`] keeps one pool per workspace (`max_per_workspace`
//! connections) in a bounded cache (`max_cached_workspaces`, least recently
//! used evicted and its connections closed); a reaper closes pools idle for
//! `idle_timeout`; a connection idle for `health_check_after` is
//! health-checked before reuse and replaced if broken; `max_per_server` caps
//! open connections per SQL Server; failed connects are retried with
//! exponential backoff and jitter (transient errors only) and evict the
//! workspace's pool after `evict_after_failures` failures in a row. A
//! connection goes back clean ([`Session::reset`](crate::engine::Session::reset))
//! or is closed.
//!
//! This module knows the [`Engine`] and [`Session`](crate::engine::Session)
//! traits only, never SQL.
//! docs/connections.md explains the settings and failures for users.
//!
//! ```no_run
//! # async fn demo(workspace: wsdb::workspace::Workspace) -> Result<(), Box<dyn std::error::Error>> {
//! use wsdb::config::{MssqlSettings, PoolSettings, RetrySettings};
//! use wsdb::engine::Session;
//! use wsdb::engine::mssql::MssqlEngine;
//! use wsdb::pool::WorkspacePools;
//!
//! // Once, at service start (inside the tokio runtime); clones share it.
//! let pools = WorkspacePools::new(
//!     MssqlEngine::new(MssqlSettings::default()),
//!     PoolSettings::default(),
//!     RetrySettings::default(),
//! );
//!
//! // Per request: one pinned connection for as long as it is held.
//! let mut session = pools.acquire(&workspace).await?;
//! let history = session.read_history().await?;
//! session.release().await; // reset and back into the pool
//!
//! println!("{}", serde_json::to_string(&pools.stats())?);
//! pools.shutdown().await;
//! # Ok(()) }
//! ```

mod acquire;
mod backoff;
mod conn;
mod error;
mod reaper;
mod server;
mod session;
mod stats;
mod workspace_pool;

#[cfg(test)]
mod fake;
#[cfg(test)]
mod tests;

pub use error::PoolError;
pub use session::PooledSession;
pub use stats::{PoolStats, WorkspaceHealth};

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use moka::future::Cache;
use moka::notification::RemovalCause;
use moka::policy::EvictionPolicy;

use crate::config::{PoolSettings, RetrySettings};
use crate::engine::Engine;
use crate::workspace::{Workspace, WorkspaceId};

use server::Servers;
use stats::Counters;
use workspace_pool::WorkspacePool;

/// Connection pools for every workspace of one environment. Cheap to clone;
/// all clones share the same pools. The reaper task starts with the first
/// [`acquire`](WorkspacePools::acquire) and ends when the last clone is
/// dropped or [`shutdown`](WorkspacePools::shutdown) runs.
pub struct WorkspacePools<E: Engine> {
    shared: Arc<Shared<E>>,
}

impl<E: Engine> Clone for WorkspacePools<E> {
    fn clone(&self) -> Self {
        WorkspacePools {
            shared: Arc::clone(&self.shared),
        }
    }
}

pub(crate) struct Shared<E: Engine> {
    engine: E,
    settings: PoolSettings,
    retry: RetrySettings,
    cache: Cache<WorkspaceId, Arc<WorkspacePool<E>>>,
    servers: Servers<E>,
    counters: Arc<Counters>,
    reaper_started: AtomicBool,
    shut_down: AtomicBool,
}

impl<E: Engine> Shared<E> {
    pub(crate) fn is_shut_down(&self) -> bool {
        self.shut_down.load(Ordering::SeqCst)
    }
}

impl<E: Engine> WorkspacePools<E> {
    pub fn new(engine: E, settings: PoolSettings, retry: RetrySettings) -> WorkspacePools<E> {
        let counters = Arc::new(Counters::default());
        let cache = Cache::builder()
            .max_capacity(settings.max_cached_workspaces.max(1))
            .eviction_policy(EvictionPolicy::lru())
            .async_eviction_listener({
                let counters = Arc::clone(&counters);
                move |_id, pool: Arc<WorkspacePool<E>>, cause| {
                    if cause != RemovalCause::Replaced {
                        Counters::bump(&counters.evictions);
                    }
                    Box::pin(async move {
                        for conn in pool.close() {
                            conn.close().await;
                        }
                    })
                }
            })
            .build();
        let servers = Servers::new(settings.max_per_server);
        WorkspacePools {
            shared: Arc::new(Shared {
                engine,
                settings,
                retry,
                cache,
                servers,
                counters,
                reaper_started: AtomicBool::new(false),
                shut_down: AtomicBool::new(false),
            }),
        }
    }

    /// A session bound to `workspace`'s database: an idle pooled one when
    /// there is one (health-checked if it sat idle for `health_check_after`),
    /// else a new connection, retried on transient failures. Waits while
    /// the workspace already has `max_per_workspace` sessions out, or its
    /// server `max_per_server` connections open.
    pub async fn acquire(&self, workspace: &Workspace) -> Result<PooledSession<E>, PoolError> {
        self.start_reaper();
        self.shared.acquire(workspace).await
    }

    /// The engine the pools connect with.
    pub fn engine(&self) -> &E {
        &self.shared.engine
    }

    pub fn stats(&self) -> PoolStats {
        // `entry_count` lags until the cache's next maintenance; counting
        // the live entries is exact and cheap at these sizes.
        let cached = self.shared.cache.iter().count();
        self.shared
            .counters
            .snapshot(u64::try_from(cached).unwrap_or(u64::MAX))
    }

    /// Health of a cached workspace; `None` when it has no pool (never
    /// used, evicted, or idle-closed).
    pub async fn health(&self, workspace: &WorkspaceId) -> Option<WorkspaceHealth> {
        self.shared
            .cache
            .get(workspace)
            .await
            .map(|pool| pool.health())
    }

    /// Closes a workspace's pool, e.g. after its database moved. Sessions
    /// checked out from it are closed when released.
    pub async fn invalidate(&self, workspace: &WorkspaceId) {
        self.shared.cache.invalidate(workspace).await;
        self.shared.cache.run_pending_tasks().await;
    }

    /// Runs one reaper pass now (the reaper also runs on its own).
    pub async fn reap(&self) {
        self.shared.reap().await;
    }

    /// Closes every idle connection and refuses further acquisitions;
    /// sessions still checked out are closed when released.
    pub async fn shutdown(&self) {
        self.shared.shut_down.store(true, Ordering::SeqCst);
        self.shared.cache.invalidate_all();
        self.shared.cache.run_pending_tasks().await;
    }

    fn start_reaper(&self) {
        if !self.shared.reaper_started.swap(true, Ordering::SeqCst) {
            reaper::spawn(
                Arc::downgrade(&self.shared),
                reaper::period(self.shared.settings.idle_timeout),
            );
        }
    }
}
