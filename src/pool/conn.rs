//! One live pooled connection: the engine's session plus the per-server
//! slot it occupies and the live-connection count it contributes to.
//!
//! Both are released when the [`Conn`] is dropped, whichever path drops it
//! (polite close, a cancelled future, a panic), so the per-server cap and the
//! counters cannot leak. Deciding when to close is the pool's business.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use tokio::sync::OwnedSemaphorePermit;
use tokio::time::Instant;

use crate::engine::{Engine, Session};

use super::stats::Counters;

/// How long a polite close may take; after that the socket is dropped.
const CLOSE_TIMEOUT: Duration = Duration::from_secs(5);

/// Holds one of the server's connection slots and one unit of the live
/// count while the connection exists.
pub(crate) struct LiveToken {
    _slot: OwnedSemaphorePermit,
    counters: Arc<Counters>,
}

impl LiveToken {
    pub fn new(slot: OwnedSemaphorePermit, counters: Arc<Counters>) -> LiveToken {
        counters.live.fetch_add(1, Ordering::Relaxed);
        LiveToken {
            _slot: slot,
            counters,
        }
    }
}

impl Drop for LiveToken {
    fn drop(&mut self) {
        self.counters.live.fetch_sub(1, Ordering::Relaxed);
    }
}

pub(crate) struct Conn<E: Engine> {
    pub session: E::Session,
    /// When it was last returned to its pool (or opened).
    pub idle_since: Instant,
    live: LiveToken,
}

impl<E: Engine> Conn<E> {
    pub fn new(session: E::Session, live: LiveToken) -> Conn<E> {
        Conn {
            session,
            idle_since: Instant::now(),
            live,
        }
    }

    /// Closes the session politely (bounded), then frees its slot.
    pub async fn close(self) {
        let Conn { session, live, .. } = self;
        if tokio::time::timeout(CLOSE_TIMEOUT, session.close())
            .await
            .is_err()
        {
            tracing::debug!("closing a pooled connection timed out; dropped it");
        }
        drop(live);
    }
}
