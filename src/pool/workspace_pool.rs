//! One workspace's pool: its validated target, at most `max_per_workspace`
//! connections (a semaphore; a permit is held by each checked-out or
//! connecting caller), its idle connections (a LIFO stack, so the warmest
//! connection is reused and the coldest ages out), and its health (failures
//! in a row, last error).
//!
//! Only synchronous bookkeeping lives here, under a mutex that is never held
//! across an await; connecting, health checks and closing are done by the
//! callers in `mod.rs`, `server.rs` and `reaper.rs`.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::time::Instant;

use crate::engine::{Engine, EngineError};
use crate::workspace::{Location, Workspace, WorkspaceId};

use super::conn::Conn;
use super::server::{Server, SlotsClosed};
use super::stats::WorkspaceHealth;

pub(crate) struct WorkspacePool<E: Engine> {
    workspace: Workspace,
    target: E::Target,
    server: Arc<Server<E>>,
    max_connections: usize,
    permits: Arc<Semaphore>,
    state: Mutex<State<E>>,
    failures: AtomicU32,
    last_error: Mutex<Option<String>>,
    /// Connections discarded as broken whose replacement is still to come:
    /// the next connects count as reconnects.
    replacements: AtomicU32,
}

struct State<E: Engine> {
    idle: Vec<Conn<E>>,
    closed: bool,
    last_used: Instant,
}

impl<E: Engine> WorkspacePool<E> {
    pub fn new(
        workspace: Workspace,
        target: E::Target,
        server: Arc<Server<E>>,
        max_per_workspace: u32,
    ) -> WorkspacePool<E> {
        let max_connections = usize::try_from(max_per_workspace.max(1)).unwrap_or(usize::MAX);
        WorkspacePool {
            workspace,
            target,
            server,
            max_connections,
            permits: Arc::new(Semaphore::new(max_connections)),
            state: Mutex::new(State {
                idle: Vec::new(),
                closed: false,
                last_used: Instant::now(),
            }),
            failures: AtomicU32::new(0),
            last_error: Mutex::new(None),
            replacements: AtomicU32::new(0),
        }
    }

    fn state(&self) -> MutexGuard<'_, State<E>> {
        // The state holds no invariant a panic could break half-way.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub fn id(&self) -> &WorkspaceId {
        &self.workspace.id
    }

    pub fn target(&self) -> &E::Target {
        &self.target
    }

    pub fn server(&self) -> &Arc<Server<E>> {
        &self.server
    }

    /// Whether `workspace` still has the coordinates this pool was built
    /// from; a moved workspace gets a new pool instead of the old database.
    pub fn same_coordinates(&self, workspace: &Workspace) -> bool {
        let ours = &self.workspace;
        let same_location = match (&ours.location, &workspace.location) {
            (
                Location::Parts {
                    host: h1,
                    port: p1,
                    database: d1,
                },
                Location::Parts {
                    host: h2,
                    port: p2,
                    database: d2,
                },
            ) => h1 == h2 && p1 == p2 && d1 == d2,
            (Location::ConnectionString(a), Location::ConnectionString(b)) => a == b,
            _ => false,
        };
        same_location
            && ours.user == workspace.user
            && ours.password_env == workspace.password_env
            && ours.encrypt == workspace.encrypt
    }

    /// One of the workspace's `max_per_workspace` places.
    pub async fn permit(&self) -> Result<OwnedSemaphorePermit, SlotsClosed> {
        Arc::clone(&self.permits)
            .acquire_owned()
            .await
            .map_err(|_| SlotsClosed)
    }

    /// The most recently returned idle connection.
    pub fn pop_idle(&self) -> Option<Conn<E>> {
        let mut state = self.state();
        state.last_used = Instant::now();
        state.idle.pop()
    }

    /// Keeps a clean connection for reuse; hands it back when the pool was
    /// closed meanwhile (the caller closes it).
    pub fn push_idle(&self, mut conn: Conn<E>) -> Option<Conn<E>> {
        let mut state = self.state();
        if state.closed {
            return Some(conn);
        }
        let now = Instant::now();
        conn.idle_since = now;
        state.last_used = now;
        state.idle.push(conn);
        None
    }

    pub fn oldest_idle_since(&self) -> Option<Instant> {
        self.state().idle.first().map(|conn| conn.idle_since)
    }

    pub fn take_oldest_idle(&self) -> Option<Conn<E>> {
        let mut state = self.state();
        (!state.idle.is_empty()).then(|| state.idle.remove(0))
    }

    /// Idle connections unused for `max_idle` or longer, for the reaper.
    pub fn take_idle_older_than(&self, max_idle: Duration, now: Instant) -> Vec<Conn<E>> {
        let mut state = self.state();
        let (old, fresh): (Vec<_>, Vec<_>) = std::mem::take(&mut state.idle)
            .into_iter()
            .partition(|conn| now.saturating_duration_since(conn.idle_since) >= max_idle);
        state.idle = fresh;
        old
    }

    /// Nobody holds or awaits a connection and nothing happened for `max_idle`.
    pub fn is_idle(&self, max_idle: Duration, now: Instant) -> bool {
        let state = self.state();
        self.permits.available_permits() == self.max_connections
            && now.saturating_duration_since(state.last_used) >= max_idle
    }

    /// Marks the pool closed (connections returned later are closed, not
    /// kept) and hands out its idle connections for closing.
    pub fn close(&self) -> Vec<Conn<E>> {
        let mut state = self.state();
        state.closed = true;
        std::mem::take(&mut state.idle)
    }

    pub fn is_closed(&self) -> bool {
        self.state().closed
    }

    pub fn record_success(&self) {
        self.failures.store(0, Ordering::Relaxed);
        *self
            .last_error
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = None;
    }

    /// Counts a failed acquisition; returns the failures in a row.
    pub fn record_failure(&self, cause: &EngineError) -> u32 {
        *self
            .last_error
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = Some(cause.to_string());
        self.failures
            .fetch_add(1, Ordering::Relaxed)
            .saturating_add(1)
    }

    pub fn note_replacement(&self) {
        self.replacements.fetch_add(1, Ordering::Relaxed);
    }

    /// True (once per noted replacement) when the next connect replaces a
    /// broken connection.
    pub fn take_replacement(&self) -> bool {
        self.replacements
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| n.checked_sub(1))
            .is_ok()
    }

    pub fn health(&self) -> WorkspaceHealth {
        let idle = self.state().idle.len();
        WorkspaceHealth {
            consecutive_failures: self.failures.load(Ordering::Relaxed),
            last_error: self
                .last_error
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .clone(),
            idle_connections: idle,
            busy_connections: self
                .max_connections
                .saturating_sub(self.permits.available_permits()),
        }
    }
}
