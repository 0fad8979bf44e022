//! The per-server connection cap (`[pool] max_per_server`): many workspaces
//! share one SQL Server, and each open connection, idle or busy, holds one
//! of its server's slots.
//!
//! When a server is at its cap, idle connections of any workspace on it are
//! closed to make room before anyone waits, and while someone waits, a
//! connection returned to a pool on that server is closed instead of kept.
//! So idle pools can never hold every slot while a caller waits forever.
//! Which pools exist, and their idle stacks, are `workspace_pool.rs`'s.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError, Weak};

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::engine::Engine;

use super::conn::Conn;
use super::workspace_pool::WorkspacePool;

pub(crate) struct Server<E: Engine> {
    key: String,
    slots: Arc<Semaphore>,
    /// Callers waiting for a slot; read by [`Server::after_return`].
    waiting: AtomicUsize,
    pools: Mutex<Vec<Weak<WorkspacePool<E>>>>,
}

/// The slot semaphore is never closed, so this only happens if that
/// invariant is broken; callers report the pool as shut down.
pub(crate) struct SlotsClosed;

/// Decrements the waiting count however the wait ends (cancelled too).
struct Waiting<'a>(&'a AtomicUsize);

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

impl<E: Engine> Server<E> {
    fn new(key: String, max_connections: u32) -> Server<E> {
        let permits = usize::try_from(max_connections.max(1)).unwrap_or(usize::MAX);
        Server {
            key,
            slots: Arc::new(Semaphore::new(permits)),
            waiting: AtomicUsize::new(0),
            pools: Mutex::new(Vec::new()),
        }
    }

    /// Remembers a pool so its idle connections can be reclaimed.
    pub fn register(&self, pool: &Arc<WorkspacePool<E>>) {
        let mut pools = self.pools.lock().unwrap_or_else(PoisonError::into_inner);
        pools.retain(|p| p.strong_count() > 0);
        pools.push(Arc::downgrade(pool));
    }

    /// A slot for one new connection: free, or made free by closing the
    /// oldest idle connection on this server, or waited for.
    pub async fn slot(&self) -> Result<OwnedSemaphorePermit, SlotsClosed> {
        if let Ok(permit) = Arc::clone(&self.slots).try_acquire_owned() {
            return Ok(permit);
        }
        // Announce the wait before looking for idle connections: a
        // connection returned after this point sees it and is closed
        // (after_return), one returned before it is found below.
        self.waiting.fetch_add(1, Ordering::SeqCst);
        let _waiting = Waiting(&self.waiting);
        loop {
            if let Ok(permit) = Arc::clone(&self.slots).try_acquire_owned() {
                return Ok(permit);
            }
            match self.take_oldest_idle() {
                Some(conn) => conn.close().await,
                None => {
                    tracing::debug!(server = %self.key, "at `max_per_server` connections; waiting for one");
                    return Arc::clone(&self.slots)
                        .acquire_owned()
                        .await
                        .map_err(|_| SlotsClosed);
                }
            }
        }
    }

    /// Called after a connection went idle on this server: if someone is
    /// waiting for a slot, close an idle connection to free one.
    pub async fn after_return(&self) {
        if self.waiting.load(Ordering::SeqCst) > 0
            && let Some(conn) = self.take_oldest_idle()
        {
            conn.close().await;
        }
    }

    fn take_oldest_idle(&self) -> Option<Conn<E>> {
        let pools: Vec<Arc<WorkspacePool<E>>> = {
            let mut pools = self.pools.lock().unwrap_or_else(PoisonError::into_inner);
            pools.retain(|p| p.strong_count() > 0);
            pools.iter().filter_map(Weak::upgrade).collect()
        };
        let mut candidates: Vec<_> = pools
            .iter()
            .filter_map(|pool| pool.oldest_idle_since().map(|since| (since, pool)))
            .collect();
        candidates.sort_by_key(|(since, _)| *since);
        // Another caller may empty a pool between the look and the take.
        candidates
            .into_iter()
            .find_map(|(_, pool)| pool.take_oldest_idle())
    }
}

/// Every server seen so far, by `server_key`.
pub(crate) struct Servers<E: Engine> {
    max_per_server: u32,
    by_key: Mutex<HashMap<String, Arc<Server<E>>>>,
}

impl<E: Engine> Servers<E> {
    pub fn new(max_per_server: u32) -> Servers<E> {
        Servers {
            max_per_server,
            by_key: Mutex::new(HashMap::new()),
        }
    }

    pub fn get(&self, key: String) -> Arc<Server<E>> {
        let mut by_key = self.by_key.lock().unwrap_or_else(PoisonError::into_inner);
        Arc::clone(
            by_key
                .entry(key.clone())
                .or_insert_with(|| Arc::new(Server::new(key, self.max_per_server))),
        )
    }
}
