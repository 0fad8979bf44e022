//! Handing out a connection: find or create the workspace's pool, reuse an
//! idle connection (health-checked when it sat idle long enough), or open a
//! new one with retries, backoff and failure accounting.
//!
//! The rules: only [`EngineError::is_transient`] errors are retried; a
//! failed acquisition marks the workspace unhealthy, and
//! `evict_after_failures` of them in a row evict its pool; a broken
//! connection is replaced without the caller ever seeing it.

use std::sync::Arc;
use std::time::Duration;

use crate::engine::{Engine, EngineError, Session};
use crate::workspace::Workspace;

use super::Shared;
use super::backoff;
use super::conn::{Conn, LiveToken};
use super::error::PoolError;
use super::session::PooledSession;
use super::stats::Counters;
use super::workspace_pool::WorkspacePool;

/// A health check is one `SELECT 1`; a server that cannot answer it this
/// fast is not one to hand a connection from.
pub(crate) const HEALTH_CHECK_TIMEOUT: Duration = Duration::from_secs(5);

impl<E: Engine> Shared<E> {
    pub(crate) async fn acquire(
        &self,
        workspace: &Workspace,
    ) -> Result<PooledSession<E>, PoolError> {
        let shut_down = || PoolError::ShutDown {
            workspace: workspace.id.clone(),
        };
        if self.is_shut_down() {
            return Err(shut_down());
        }
        let pool = self.pool_for(workspace).await?;
        let permit = pool.permit().await.map_err(|_| shut_down())?;
        if let Some(conn) = self.reuse_idle(&pool).await {
            Counters::bump(&self.counters.hits);
            return Ok(PooledSession::new(conn, permit, pool));
        }
        Counters::bump(&self.counters.misses);
        let conn = self.connect(&pool).await?;
        Ok(PooledSession::new(conn, permit, pool))
    }

    /// The cached pool of `workspace`, or a new one (validating its target:
    /// an invalid one fails here, before any connect).
    async fn pool_for(&self, workspace: &Workspace) -> Result<Arc<WorkspacePool<E>>, PoolError> {
        if let Some(pool) = self.cache.get(&workspace.id).await {
            if pool.same_coordinates(workspace) {
                return Ok(pool);
            }
            tracing::debug!(workspace = %workspace.id, "coordinates changed; replacing its pool");
            self.cache.invalidate(&workspace.id).await;
        }
        let target = self
            .engine
            .resolve(workspace)
            .map_err(|cause| PoolError::InvalidTarget {
                workspace: workspace.id.clone(),
                cause,
            })?;
        let server = self.servers.get(self.engine.server_key(&target));
        let fresh = Arc::new(WorkspacePool::new(
            workspace.clone(),
            target,
            Arc::clone(&server),
            self.settings.max_per_workspace,
        ));
        let pool = self
            .cache
            .get_with(workspace.id.clone(), async { Arc::clone(&fresh) })
            .await;
        if Arc::ptr_eq(&pool, &fresh) {
            server.register(&pool);
            // Apply the size bound now, so the least recently used pool is
            // closed when this one arrives rather than at the next tick.
            self.cache.run_pending_tasks().await;
        }
        Ok(pool)
    }

    /// The newest idle connection that is still alive, if any.
    async fn reuse_idle(&self, pool: &WorkspacePool<E>) -> Option<Conn<E>> {
        while let Some(mut conn) = pool.pop_idle() {
            if conn.idle_since.elapsed() < self.settings.health_check_after {
                return Some(conn);
            }
            match conn.session.ping(HEALTH_CHECK_TIMEOUT).await {
                Ok(()) => return Some(conn),
                Err(error) => {
                    tracing::debug!(workspace = %pool.id(), %error, "health check failed; replacing the connection");
                    Counters::bump(&self.counters.health_check_failures);
                    pool.note_replacement();
                    conn.close().await;
                }
            }
        }
        None
    }

    /// Opens a connection, retrying transient failures on the backoff
    /// schedule; records the outcome on the pool.
    async fn connect(&self, pool: &Arc<WorkspacePool<E>>) -> Result<Conn<E>, PoolError> {
        let max_attempts = self.retry.max_attempts.max(1);
        let mut delays = backoff::delays(&self.retry);
        let mut attempt = 0;
        loop {
            attempt += 1;
            if attempt > 1 || pool.take_replacement() {
                Counters::bump(&self.counters.reconnects);
            }
            let slot = pool
                .server()
                .slot()
                .await
                .map_err(|_| PoolError::ShutDown {
                    workspace: pool.id().clone(),
                })?;
            let cause = match self.engine.connect(pool.target()).await {
                Ok(session) => {
                    Counters::bump(&self.counters.connects);
                    pool.record_success();
                    let live = LiveToken::new(slot, Arc::clone(&self.counters));
                    return Ok(Conn::new(session, live));
                }
                Err(cause) => cause,
            };
            drop(slot);
            Counters::bump(&self.counters.connect_failures);
            let delay = (cause.is_transient() && attempt < max_attempts)
                .then(|| delays.next())
                .flatten();
            match delay {
                Some(delay) => {
                    tracing::debug!(workspace = %pool.id(), attempt, ?delay, error = %cause, "connect failed; retrying");
                    tokio::time::sleep(delay).await;
                }
                None => return Err(self.give_up(pool, attempt, cause).await),
            }
        }
    }

    async fn give_up(
        &self,
        pool: &Arc<WorkspacePool<E>>,
        attempts: u32,
        cause: EngineError,
    ) -> PoolError {
        let failures = pool.record_failure(&cause);
        if failures >= self.retry.evict_after_failures.max(1) {
            tracing::debug!(workspace = %pool.id(), failures, "evicting the workspace's pool");
            self.evict_if_current(pool).await;
        }
        PoolError::Connect {
            workspace: pool.id().clone(),
            attempts,
            cause,
        }
    }

    /// Removes `pool` from the cache unless another pool replaced it.
    pub(crate) async fn evict_if_current(&self, pool: &Arc<WorkspacePool<E>>) {
        if let Some(cached) = self.cache.get(pool.id()).await
            && Arc::ptr_eq(&cached, pool)
        {
            self.cache.invalidate(pool.id()).await;
        }
    }
}
