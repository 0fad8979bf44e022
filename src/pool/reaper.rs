//! The reaper: a background task that, every tick, closes connections idle
//! for `idle_timeout`, evicts workspace pools nobody used for
//! `idle_timeout`, and runs the cache's pending maintenance (so pools
//! evicted by the size bound are closed on time, not at the next insert).
//!
//! Idleness is measured on tokio's clock (tests drive it with a paused
//! clock) rather than with the cache's time-to-idle, which runs on its own
//! clock and cannot see that a pool has a connection checked out for a
//! two-hour migration. The task holds only a weak reference: it ends when
//! the pools are dropped or shut down.

use std::sync::Weak;
use std::time::Duration;

use tokio::time::{Instant, MissedTickBehavior};

use crate::engine::Engine;

use super::Shared;

/// Ticks often enough that a pool is closed within a quarter of
/// `idle_timeout` after it expires, and never busy-loops.
pub(crate) fn period(idle_timeout: Duration) -> Duration {
    (idle_timeout / 4).clamp(Duration::from_millis(10), Duration::from_secs(30))
}

pub(crate) fn spawn<E: Engine>(shared: Weak<Shared<E>>, period: Duration) {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval_at(Instant::now() + period, period);
        ticks.set_missed_tick_behavior(MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            let Some(shared) = shared.upgrade() else {
                break;
            };
            if shared.is_shut_down() {
                break;
            }
            shared.reap().await;
        }
    });
}

impl<E: Engine> Shared<E> {
    /// One reaper pass.
    pub(crate) async fn reap(&self) {
        let idle_timeout = self.settings.idle_timeout;
        let now = Instant::now();
        let pools: Vec<_> = self.cache.iter().map(|(_, pool)| pool).collect();
        for pool in pools {
            // Evict first, so that by the time the server sees a connection
            // of an idle pool close, the pool is already gone from the cache.
            if pool.is_idle(idle_timeout, now) {
                tracing::debug!(workspace = %pool.id(), "closing an idle workspace pool");
                self.evict_if_current(&pool).await;
            }
            for conn in pool.take_idle_older_than(idle_timeout, now) {
                conn.close().await;
            }
        }
        self.cache.run_pending_tasks().await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn period_is_a_quarter_of_idle_timeout_within_bounds() {
        let cases = [
            (Duration::from_secs(300), Duration::from_secs(30)),
            (Duration::from_secs(60), Duration::from_secs(15)),
            (Duration::from_millis(8), Duration::from_millis(10)),
            (Duration::from_secs(3600), Duration::from_secs(30)),
        ];
        for (idle, expected) in cases {
            assert_eq!(period(idle), expected, "{idle:?}");
        }
    }
}
