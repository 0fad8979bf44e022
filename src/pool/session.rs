//! [`PooledSession`]: a checked-out connection. It derefs to the engine's
//! session; [`release`](PooledSession::release) resets it and puts it back
//! (or closes it), and dropping it without release closes it in the
//! background. So a connection goes back clean or not at all.
//!
//! Choosing and opening connections is `acquire.rs`'s.

use std::ops::{Deref, DerefMut};
use std::sync::Arc;

use tokio::sync::OwnedSemaphorePermit;

use crate::engine::{Engine, Session};
use crate::workspace::WorkspaceId;

use super::conn::Conn;
use super::workspace_pool::WorkspacePool;

/// One session checked out of a workspace's pool. Hold it for a whole
/// lock → migrate → unlock sequence: it is the same connection throughout.
#[must_use = "call `release().await` to return the connection to its pool"]
pub struct PooledSession<E: Engine> {
    /// `Some` until `release`, `discard` or drop takes it.
    conn: Option<Conn<E>>,
    /// The workspace place this session occupies; freed after the
    /// connection is back in the pool or closed.
    permit: Option<OwnedSemaphorePermit>,
    pool: Arc<WorkspacePool<E>>,
}

const PRESENT: &str = "a PooledSession holds its connection until release, discard or drop";

impl<E: Engine> PooledSession<E> {
    pub(crate) fn new(
        conn: Conn<E>,
        permit: OwnedSemaphorePermit,
        pool: Arc<WorkspacePool<E>>,
    ) -> PooledSession<E> {
        PooledSession {
            conn: Some(conn),
            permit: Some(permit),
            pool,
        }
    }

    pub fn workspace(&self) -> &WorkspaceId {
        self.pool.id()
    }

    /// Returns the connection to its pool after [`Session::reset`] (open
    /// transaction rolled back, app lock released, session state checked).
    /// A broken or tainted session, a failed reset or a closed pool close
    /// the connection instead.
    pub async fn release(mut self) {
        let (Some(mut conn), permit) = (self.conn.take(), self.permit.take()) else {
            return;
        };
        if self.pool.is_closed() || !conn.session.is_reusable() {
            if conn.session.is_broken() {
                self.pool.note_replacement();
            }
            conn.close().await;
            drop(permit);
            return;
        }
        if let Err(error) = conn.session.reset().await {
            tracing::debug!(workspace = %self.pool.id(), %error, "reset failed; closing the connection");
            if conn.session.is_broken() {
                self.pool.note_replacement();
            }
            conn.close().await;
            drop(permit);
            return;
        }
        match self.pool.push_idle(conn) {
            Some(conn) => conn.close().await,
            None => self.pool.server().after_return().await,
        }
        drop(permit);
    }

    /// Closes the connection instead of returning it.
    pub async fn discard(mut self) {
        if let Some(conn) = self.conn.take() {
            conn.close().await;
        }
        self.permit.take();
    }
}

impl<E: Engine> Deref for PooledSession<E> {
    type Target = E::Session;

    fn deref(&self) -> &E::Session {
        &self.conn.as_ref().expect(PRESENT).session
    }
}

impl<E: Engine> DerefMut for PooledSession<E> {
    fn deref_mut(&mut self) -> &mut E::Session {
        &mut self.conn.as_mut().expect(PRESENT).session
    }
}

impl<E: Engine> Drop for PooledSession<E> {
    /// Without `release` nobody reset the session: it may hold a
    /// transaction or the app lock, so it is closed, never pooled.
    fn drop(&mut self) {
        let Some(conn) = self.conn.take() else {
            return;
        };
        let permit = self.permit.take();
        match tokio::runtime::Handle::try_current() {
            Ok(runtime) => {
                runtime.spawn(async move {
                    conn.close().await;
                    drop(permit);
                });
            }
            // No runtime left (process exit): dropping the socket is the
            // close; the server rolls back and frees the lock.
            Err(_) => drop(conn),
        }
    }
}
