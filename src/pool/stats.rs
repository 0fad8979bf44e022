//! The pool's counters: atomics bumped on the hot path, read as one
//! [`PoolStats`] snapshot (shown with `-v` and in JSON output), and the
//! per-workspace [`WorkspaceHealth`].
//!
//! Counting only; no decisions are taken from these numbers.

use std::sync::atomic::{AtomicU64, Ordering};

use serde::Serialize;

/// A snapshot of the pool's counters since it was created.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct PoolStats {
    /// Acquisitions served by an idle connection.
    pub hits: u64,
    /// Acquisitions that had to open a connection.
    pub misses: u64,
    /// Successful logins.
    pub connects: u64,
    /// Connection attempts made because an earlier one failed or a pooled
    /// connection was found broken.
    pub reconnects: u64,
    /// Failed connection attempts (each retry counts).
    pub connect_failures: u64,
    /// Idle connections that failed their health check and were replaced.
    pub health_check_failures: u64,
    /// Workspace pools removed from the cache: size bound, idle reaper,
    /// repeated failures, changed coordinates, shutdown.
    pub evictions: u64,
    /// Open connections right now, idle or in use.
    pub live_connections: u64,
    /// Workspace pools in the cache right now.
    pub cached_workspaces: u64,
}

/// What the pool knows about one cached workspace.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WorkspaceHealth {
    /// Failed acquisitions in a row; 0 means healthy.
    pub consecutive_failures: u32,
    /// The cause of the last failed acquisition, if the last one failed.
    pub last_error: Option<String>,
    pub idle_connections: usize,
    /// Connections checked out or being opened.
    pub busy_connections: usize,
}

impl WorkspaceHealth {
    pub fn is_healthy(&self) -> bool {
        self.consecutive_failures == 0
    }
}

#[derive(Debug, Default)]
pub(crate) struct Counters {
    pub hits: AtomicU64,
    pub misses: AtomicU64,
    pub connects: AtomicU64,
    pub reconnects: AtomicU64,
    pub connect_failures: AtomicU64,
    pub health_check_failures: AtomicU64,
    pub evictions: AtomicU64,
    pub live: AtomicU64,
}

impl Counters {
    pub fn bump(counter: &AtomicU64) {
        counter.fetch_add(1, Ordering::Relaxed);
    }

    pub fn snapshot(&self, cached_workspaces: u64) -> PoolStats {
        let get = |c: &AtomicU64| c.load(Ordering::Relaxed);
        PoolStats {
            hits: get(&self.hits),
            misses: get(&self.misses),
            connects: get(&self.connects),
            reconnects: get(&self.reconnects),
            connect_failures: get(&self.connect_failures),
            health_check_failures: get(&self.health_check_failures),
            evictions: get(&self.evictions),
            live_connections: get(&self.live),
            cached_workspaces,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snapshot_reads_every_counter_and_serializes_flat() {
        let counters = Counters::default();
        Counters::bump(&counters.hits);
        Counters::bump(&counters.hits);
        Counters::bump(&counters.evictions);
        counters.live.fetch_add(3, Ordering::Relaxed);
        let stats = counters.snapshot(4);
        assert_eq!(
            (stats.hits, stats.evictions, stats.live_connections),
            (2, 1, 3)
        );
        let json = serde_json::to_value(stats).unwrap();
        assert_eq!(json["hits"], 2);
        assert_eq!(json["cached_workspaces"], 4);
        assert_eq!(json["health_check_failures"], 0);
    }
}
