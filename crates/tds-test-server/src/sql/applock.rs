//! Application locks (`sp_getapplock`): exclusive, owned by a session (or its
//! transaction), keyed by database + principal + resource name (compared
//! binary, as SQL Server does), re-entrant with a count, granted FIFO.
//!
//! A waiter holds a oneshot receiver; releasing hands the lock to the first
//! waiter under the table's mutex. Waiting is cancel-safe: the wait future's
//! guard, on drop, removes its request, or gives back a grant that arrived
//! after the caller stopped listening, so no lock is ever left to a session
//! that does not know it holds it. A request that would close a cycle of
//! waiters is refused as a deadlock victim (-3), which SQL Server also
//! reports as a return code rather than error 1205. Only Exclusive mode
//! exists here; the procedures refuse other modes.

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use tokio::sync::oneshot;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct LockKey {
    pub database_id: i32,
    pub principal: String,
    pub resource: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LockOwner {
    Session,
    Transaction,
}

/// sp_getapplock's outcomes, as its return codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Acquired {
    Granted,
    GrantedAfterWait,
    TimedOut,
    DeadlockVictim,
}

impl Acquired {
    pub fn return_code(self) -> i32 {
        match self {
            Acquired::Granted => 0,
            Acquired::GrantedAfterWait => 1,
            Acquired::TimedOut => -1,
            Acquired::DeadlockVictim => -3,
        }
    }
}

/// One row of `sys.dm_tran_locks`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LockRow {
    pub key: LockKey,
    pub spid: u16,
    pub owner: LockOwner,
    pub granted: bool,
}

#[derive(Debug)]
struct Hold {
    spid: u16,
    owner: LockOwner,
    count: u32,
}

#[derive(Debug)]
struct Waiter {
    id: u64,
    spid: u16,
    owner: LockOwner,
    wake: oneshot::Sender<()>,
}

#[derive(Debug, Default)]
struct Entry {
    holds: Vec<Hold>,
    waiters: VecDeque<Waiter>,
}

impl Entry {
    /// Exclusive: free, or held only by this session (re-entrant).
    fn grantable(&self, spid: u16) -> bool {
        self.holds.iter().all(|h| h.spid == spid)
    }

    fn add_hold(&mut self, spid: u16, owner: LockOwner) {
        match self
            .holds
            .iter_mut()
            .find(|h| h.spid == spid && h.owner == owner)
        {
            Some(hold) => hold.count += 1,
            None => self.holds.push(Hold {
                spid,
                owner,
                count: 1,
            }),
        }
    }

    /// Hands the lock to waiters at the head of the queue while possible.
    fn grant_waiters(&mut self) {
        while let Some(first) = self.waiters.front() {
            if !self.grantable(first.spid) {
                return;
            }
            if let Some(waiter) = self.waiters.pop_front() {
                self.add_hold(waiter.spid, waiter.owner);
                // A dropped receiver means the waiter's guard is about to
                // run; it finds itself granted and gives the lock back.
                let _ = waiter.wake.send(());
            }
        }
    }

    fn is_empty(&self) -> bool {
        self.holds.is_empty() && self.waiters.is_empty()
    }
}

#[derive(Debug, Default)]
struct Table {
    entries: HashMap<LockKey, Entry>,
    next_waiter: u64,
}

impl Table {
    /// True if `spid` waiting for `key` would wait, through the holders,
    /// for itself.
    fn would_deadlock(&self, key: &LockKey, spid: u16) -> bool {
        let mut seen = HashSet::new();
        let mut pending: Vec<u16> = self.holders(key).collect();
        while let Some(holder) = pending.pop() {
            if holder == spid {
                return true;
            }
            if !seen.insert(holder) {
                continue;
            }
            for (other_key, entry) in &self.entries {
                if entry.waiters.iter().any(|w| w.spid == holder) {
                    pending.extend(self.holders(other_key));
                }
            }
        }
        false
    }

    fn holders<'a>(&'a self, key: &LockKey) -> impl Iterator<Item = u16> + 'a {
        self.entries
            .get(key)
            .into_iter()
            .flat_map(|e| e.holds.iter().map(|h| h.spid))
    }

    fn release_one(&mut self, key: &LockKey, spid: u16, owner: LockOwner) -> bool {
        let Some(entry) = self.entries.get_mut(key) else {
            return false;
        };
        let Some(index) = entry
            .holds
            .iter()
            .position(|h| h.spid == spid && h.owner == owner)
        else {
            return false;
        };
        entry.holds[index].count -= 1;
        if entry.holds[index].count == 0 {
            entry.holds.remove(index);
            entry.grant_waiters();
        }
        if entry.is_empty() {
            self.entries.remove(key);
        }
        true
    }
}

#[derive(Debug, Default)]
pub(crate) struct AppLocks {
    table: Mutex<Table>,
}

impl AppLocks {
    fn table(&self) -> MutexGuard<'_, Table> {
        // A panic while holding this mutex cannot leave the table half
        // updated in a way later callers could not live with.
        self.table
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Acquires `key` for `spid`; `timeout` `None` waits forever.
    pub async fn acquire(
        &self,
        key: &LockKey,
        spid: u16,
        owner: LockOwner,
        timeout: Option<Duration>,
    ) -> Acquired {
        let (id, wake) = {
            let mut table = self.table();
            let entry = table.entries.entry(key.clone()).or_default();
            if entry.grantable(spid) {
                entry.add_hold(spid, owner);
                return Acquired::Granted;
            }
            if timeout == Some(Duration::ZERO) {
                return Acquired::TimedOut;
            }
            if table.would_deadlock(key, spid) {
                return Acquired::DeadlockVictim;
            }
            let id = table.next_waiter;
            table.next_waiter += 1;
            let (sender, receiver) = oneshot::channel();
            let waiter = Waiter {
                id,
                spid,
                owner,
                wake: sender,
            };
            table
                .entries
                .entry(key.clone())
                .or_default()
                .waiters
                .push_back(waiter);
            (id, receiver)
        };
        let mut guard = WaitGuard {
            locks: self,
            key,
            id,
            spid,
            owner,
            armed: true,
        };
        match timeout {
            None => {
                let _ = wake.await;
            }
            Some(limit) => {
                let _ = tokio::time::timeout(limit, wake).await;
            }
        }
        guard.armed = false;
        if self.withdraw(key, id) {
            Acquired::TimedOut
        } else {
            Acquired::GrantedAfterWait
        }
    }

    /// Removes a still-queued request; false when it was granted meanwhile.
    fn withdraw(&self, key: &LockKey, id: u64) -> bool {
        let mut table = self.table();
        let Some(entry) = table.entries.get_mut(key) else {
            return false;
        };
        let Some(index) = entry.waiters.iter().position(|w| w.id == id) else {
            return false;
        };
        entry.waiters.remove(index);
        // Leaving the head of the queue may unblock the next waiter (one
        // held by the current holder's own session, for instance).
        entry.grant_waiters();
        if entry.is_empty() {
            table.entries.remove(key);
        }
        true
    }

    /// Releases one acquisition; false when `spid` does not hold it.
    pub fn release(&self, key: &LockKey, spid: u16, owner: LockOwner) -> bool {
        self.table().release_one(key, spid, owner)
    }

    /// Releases every lock of `spid` (of one owner kind, or all).
    pub fn release_all(&self, spid: u16, owner: Option<LockOwner>) {
        let mut table = self.table();
        table.entries.retain(|_, entry| {
            let before = entry.holds.len();
            entry
                .holds
                .retain(|h| h.spid != spid || owner.is_some_and(|o| o != h.owner));
            if entry.holds.len() != before {
                entry.grant_waiters();
            }
            !entry.is_empty()
        });
    }

    /// `APPLOCK_MODE`: what this session holds under `owner`.
    pub fn mode(&self, key: &LockKey, spid: u16, owner: LockOwner) -> &'static str {
        let table = self.table();
        let held = table
            .entries
            .get(key)
            .is_some_and(|e| e.holds.iter().any(|h| h.spid == spid && h.owner == owner));
        if held { "Exclusive" } else { "NoLock" }
    }

    /// `APPLOCK_TEST`: could this session get the lock now?
    pub fn test(&self, key: &LockKey, spid: u16) -> bool {
        self.table()
            .entries
            .get(key)
            .is_none_or(|e| e.grantable(spid))
    }

    /// Every hold and wait, for `sys.dm_tran_locks`.
    pub fn rows(&self) -> Vec<LockRow> {
        let table = self.table();
        let mut rows = Vec::new();
        for (key, entry) in &table.entries {
            for hold in &entry.holds {
                rows.push(LockRow {
                    key: key.clone(),
                    spid: hold.spid,
                    owner: hold.owner,
                    granted: true,
                });
            }
            for waiter in &entry.waiters {
                rows.push(LockRow {
                    key: key.clone(),
                    spid: waiter.spid,
                    owner: waiter.owner,
                    granted: false,
                });
            }
        }
        rows.sort_by(|a, b| {
            (a.key.database_id, &a.key.resource, !a.granted).cmp(&(
                b.key.database_id,
                &b.key.resource,
                !b.granted,
            ))
        });
        rows
    }
}

/// Cleans up a wait whose future was dropped before it finished.
struct WaitGuard<'a> {
    locks: &'a AppLocks,
    key: &'a LockKey,
    id: u64,
    spid: u16,
    owner: LockOwner,
    armed: bool,
}

impl Drop for WaitGuard<'_> {
    fn drop(&mut self) {
        if self.armed && !self.locks.withdraw(self.key, self.id) {
            // Granted after the caller stopped listening: give it back.
            self.locks.release(self.key, self.spid, self.owner);
        }
    }
}

/// The hash SQL Server shows in an APPLICATION lock's resource description;
/// only its shape (8 hex digits) matters, so FNV-1a over the name does.
pub(crate) fn resource_hash(resource: &str) -> u32 {
    resource.bytes().fold(0x811c_9dc5_u32, |hash, byte| {
        (hash ^ u32::from(byte)).wrapping_mul(0x0100_0193)
    })
}

/// `sys.dm_tran_locks.resource_description` for an application lock:
/// `<principal id>:[<first 32 characters>]:(<hash>)`.
pub(crate) fn resource_description(key: &LockKey) -> String {
    let principal_id = if key.principal.eq_ignore_ascii_case("public") {
        0
    } else {
        1
    };
    let shown: String = key.resource.chars().take(32).collect();
    format!(
        "{principal_id}:[{shown}]:({:08x})",
        resource_hash(&key.resource)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn key(resource: &str) -> LockKey {
        LockKey {
            database_id: 5,
            principal: "public".into(),
            resource: resource.into(),
        }
    }

    #[tokio::test]
    async fn exclusive_and_reentrant() {
        let locks = AppLocks::default();
        let k = key("wsdb");
        assert_eq!(
            locks.acquire(&k, 51, LockOwner::Session, None).await,
            Acquired::Granted
        );
        assert_eq!(
            locks.acquire(&k, 51, LockOwner::Session, None).await,
            Acquired::Granted
        );
        assert_eq!(
            locks
                .acquire(&k, 52, LockOwner::Session, Some(Duration::ZERO))
                .await,
            Acquired::TimedOut
        );
        assert!(locks.release(&k, 51, LockOwner::Session));
        assert!(!locks.test(&k, 52), "still held once");
        assert!(locks.release(&k, 51, LockOwner::Session));
        assert!(
            !locks.release(&k, 51, LockOwner::Session),
            "not held any more"
        );
        assert!(locks.test(&k, 52));
    }

    #[tokio::test]
    async fn resource_names_are_case_sensitive() {
        let locks = AppLocks::default();
        assert_eq!(
            locks.acquire(&key("A"), 51, LockOwner::Session, None).await,
            Acquired::Granted
        );
        assert_eq!(
            locks
                .acquire(&key("a"), 52, LockOwner::Session, Some(Duration::ZERO))
                .await,
            Acquired::Granted
        );
    }

    #[tokio::test(start_paused = true)]
    async fn a_waiter_times_out_and_leaves_the_queue() {
        let locks = AppLocks::default();
        let k = key("r");
        locks.acquire(&k, 51, LockOwner::Session, None).await;
        let outcome = locks
            .acquire(&k, 52, LockOwner::Session, Some(Duration::from_millis(50)))
            .await;
        assert_eq!(outcome, Acquired::TimedOut);
        assert_eq!(locks.rows().len(), 1, "only the holder remains");
    }

    #[tokio::test]
    async fn release_hands_the_lock_to_the_first_waiter() {
        let locks = Arc::new(AppLocks::default());
        let k = key("r");
        locks.acquire(&k, 51, LockOwner::Session, None).await;
        let waiter = {
            let (locks, k) = (locks.clone(), k.clone());
            tokio::spawn(async move { locks.acquire(&k, 52, LockOwner::Session, None).await })
        };
        while locks.rows().len() < 2 {
            tokio::task::yield_now().await;
        }
        locks.release_all(51, None);
        assert_eq!(waiter.await.unwrap(), Acquired::GrantedAfterWait);
        assert_eq!(locks.mode(&k, 52, LockOwner::Session), "Exclusive");
        assert_eq!(locks.mode(&k, 52, LockOwner::Transaction), "NoLock");
    }

    #[tokio::test]
    async fn a_dropped_wait_leaves_nothing_behind() {
        let locks = Arc::new(AppLocks::default());
        let k = key("r");
        locks.acquire(&k, 51, LockOwner::Session, None).await;
        let waiter = {
            let (locks, k) = (locks.clone(), k.clone());
            tokio::spawn(async move { locks.acquire(&k, 52, LockOwner::Session, None).await })
        };
        while locks.rows().len() < 2 {
            tokio::task::yield_now().await;
        }
        waiter.abort();
        assert!(waiter.await.unwrap_err().is_cancelled());
        assert_eq!(locks.rows().len(), 1);
        locks.release_all(51, None);
        assert!(
            locks.rows().is_empty(),
            "no grant went to the vanished waiter"
        );
    }

    #[tokio::test]
    async fn a_grant_nobody_receives_is_given_back() {
        let locks = AppLocks::default();
        let k = key("r");
        locks.acquire(&k, 51, LockOwner::Session, None).await;
        let mut wait = Box::pin(locks.acquire(&k, 52, LockOwner::Session, None));
        assert!(futures_poll_once(wait.as_mut()).await.is_none());
        locks.release_all(51, None);
        drop(wait);
        assert!(locks.rows().is_empty());
    }

    #[tokio::test]
    async fn a_cycle_of_waiters_makes_a_deadlock_victim() {
        let locks = Arc::new(AppLocks::default());
        let (a, b) = (key("a"), key("b"));
        locks.acquire(&a, 51, LockOwner::Session, None).await;
        locks.acquire(&b, 52, LockOwner::Session, None).await;
        let first = {
            let (locks, b) = (locks.clone(), b.clone());
            tokio::spawn(async move { locks.acquire(&b, 51, LockOwner::Session, None).await })
        };
        while locks.rows().len() < 3 {
            tokio::task::yield_now().await;
        }
        assert_eq!(
            locks.acquire(&a, 52, LockOwner::Session, None).await,
            Acquired::DeadlockVictim
        );
        locks.release_all(52, None);
        assert_eq!(first.await.unwrap(), Acquired::GrantedAfterWait);
    }

    #[test]
    fn resource_description_has_sql_servers_shape() {
        let description = resource_description(&key("wsdb"));
        assert!(description.starts_with("0:[wsdb]:("), "{description}");
        assert_eq!(description.len(), "0:[wsdb]:(".len() + 9);
    }

    /// Polls a future once; `None` if it is still pending.
    async fn futures_poll_once<F: std::future::Future + Unpin>(future: F) -> Option<F::Output> {
        let mut future = future;
        std::future::poll_fn(|cx| {
            std::task::Poll::Ready(match std::pin::Pin::new(&mut future).poll(cx) {
                std::task::Poll::Ready(v) => Some(v),
                std::task::Poll::Pending => None,
            })
        })
        .await
    }
}
