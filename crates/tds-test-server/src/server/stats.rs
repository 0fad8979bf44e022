//! Counters tests can read and wait on: live and peak connections (in total
//! and per database), logins, batches.
//!
//! Connections count from accept to close; a database's connections are the
//! logged-in sessions whose current database it is (a `USE` moves one). The
//! counters are updated by RAII guards held by each connection task, so a
//! connection that dies for any reason is uncounted. Waiting is done on a
//! watch channel, never by sleeping.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard};

use tokio::sync::watch;

/// A snapshot of the server's counters.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stats {
    /// Open TCP connections, logged in or not.
    pub live_connections: usize,
    /// The most `live_connections` there ever were at once.
    pub peak_connections: usize,
    /// Successful logins.
    pub logins: u64,
    /// Refused and failed logins.
    pub failed_logins: u64,
    /// SQL batches, RPC calls and transaction requests run.
    pub batches: u64,
    /// Per database, keyed by the name the session reports.
    pub databases: BTreeMap<String, DatabaseStats>,
}

impl Stats {
    /// One database's counters (zero if it was never used); the name is
    /// compared case-insensitively, like SQL Server compares database names.
    pub fn database(&self, name: &str) -> DatabaseStats {
        self.databases
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, stats)| stats.clone())
            .unwrap_or_default()
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DatabaseStats {
    /// Sessions currently in this database.
    pub live_connections: usize,
    pub peak_connections: usize,
    /// Logins that named this database (or landed in it by default).
    pub logins: u64,
    pub batches: u64,
}

/// The shared counters behind [`Stats`].
pub(crate) struct Counters {
    stats: Mutex<Stats>,
    changed: watch::Sender<u64>,
}

impl Counters {
    pub(crate) fn new() -> Arc<Counters> {
        Arc::new(Counters {
            stats: Mutex::new(Stats::default()),
            changed: watch::Sender::new(0),
        })
    }

    pub(crate) fn snapshot(&self) -> Stats {
        self.lock().clone()
    }

    fn lock(&self) -> MutexGuard<'_, Stats> {
        // A panic while counting leaves consistent integers behind.
        self.stats
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn update(&self, f: impl FnOnce(&mut Stats)) {
        f(&mut self.lock());
        self.changed.send_modify(|v| *v = v.wrapping_add(1));
    }

    /// Counts an accepted connection until the guard is dropped.
    pub(crate) fn connection_opened(self: &Arc<Self>) -> ConnectionGuard {
        self.update(|s| {
            s.live_connections += 1;
            s.peak_connections = s.peak_connections.max(s.live_connections);
        });
        ConnectionGuard {
            counters: Arc::clone(self),
        }
    }

    /// Starts the peaks over from the current live counts, so a test can
    /// measure the concurrency of one phase.
    pub(crate) fn reset_peaks(&self) {
        self.update(|s| {
            s.peak_connections = s.live_connections;
            for db in s.databases.values_mut() {
                db.peak_connections = db.live_connections;
            }
        });
    }

    pub(crate) fn login_failed(&self) {
        self.update(|s| s.failed_logins += 1);
    }

    /// Counts a logged-in session in `database` until the guard is dropped.
    pub(crate) fn session_opened(self: &Arc<Self>, database: &str) -> SessionGuard {
        self.update(|s| {
            s.logins += 1;
            let db = s.databases.entry(database.to_owned()).or_default();
            db.logins += 1;
            enter(db);
        });
        SessionGuard {
            counters: Arc::clone(self),
            database: database.to_owned(),
        }
    }

    pub(crate) fn batch(&self, database: &str) {
        self.update(|s| {
            s.batches += 1;
            s.databases.entry(database.to_owned()).or_default().batches += 1;
        });
    }

    /// Resolves once `predicate` holds for the counters.
    pub(crate) async fn wait_until(&self, predicate: impl Fn(&Stats) -> bool) {
        let mut rx = self.changed.subscribe();
        loop {
            if predicate(&self.lock()) {
                return;
            }
            // The sender lives as long as `self`, so this cannot fail.
            if rx.changed().await.is_err() {
                return;
            }
        }
    }
}

fn enter(db: &mut DatabaseStats) {
    db.live_connections += 1;
    db.peak_connections = db.peak_connections.max(db.live_connections);
}

pub(crate) struct ConnectionGuard {
    counters: Arc<Counters>,
}

impl Drop for ConnectionGuard {
    fn drop(&mut self) {
        self.counters.update(|s| s.live_connections -= 1);
    }
}

pub(crate) struct SessionGuard {
    counters: Arc<Counters>,
    database: String,
}

impl SessionGuard {
    /// The session's current database changed (`USE`).
    pub(crate) fn moved_to(&mut self, database: &str) {
        if self.database == database {
            return;
        }
        let from = std::mem::replace(&mut self.database, database.to_owned());
        self.counters.update(|s| {
            if let Some(db) = s.databases.get_mut(&from) {
                db.live_connections -= 1;
            }
            enter(s.databases.entry(database.to_owned()).or_default());
        });
    }

    pub(crate) fn database(&self) -> &str {
        &self.database
    }
}

impl Drop for SessionGuard {
    fn drop(&mut self) {
        let database = std::mem::take(&mut self.database);
        self.counters.update(|s| {
            if let Some(db) = s.databases.get_mut(&database) {
                db.live_connections -= 1;
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guards_count_live_and_peak() {
        let counters = Counters::new();
        let c1 = counters.connection_opened();
        let c2 = counters.connection_opened();
        let mut s1 = counters.session_opened("a");
        let s2 = counters.session_opened("a");
        s1.moved_to("b");
        counters.batch("b");
        let snap = counters.snapshot();
        assert_eq!((snap.live_connections, snap.peak_connections), (2, 2));
        assert_eq!(snap.logins, 2);
        assert_eq!(snap.database("A").live_connections, 1);
        assert_eq!(snap.database("a").peak_connections, 2);
        assert_eq!(snap.database("b").batches, 1);
        drop((c1, s1, s2));
        let snap = counters.snapshot();
        assert_eq!((snap.live_connections, snap.peak_connections), (1, 2));
        assert_eq!(snap.database("a").live_connections, 0);
        assert_eq!(snap.database("b").live_connections, 0);
        counters.reset_peaks();
        let snap = counters.snapshot();
        assert_eq!((snap.live_connections, snap.peak_connections), (1, 1));
        assert_eq!(snap.database("a").peak_connections, 0);
        drop(c2);
        assert_eq!(counters.snapshot().live_connections, 0);
    }

    #[tokio::test]
    async fn wait_until_wakes_on_change() {
        let counters = Counters::new();
        let guard = counters.connection_opened();
        let waiter = {
            let counters = Arc::clone(&counters);
            tokio::spawn(async move { counters.wait_until(|s| s.live_connections == 0).await })
        };
        tokio::task::yield_now().await;
        drop(guard);
        waiter.await.unwrap();
    }
}
