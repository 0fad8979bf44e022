//! A scriptable in-memory [`Engine`] for the pool's tests: a "world" of
//! servers and databases that counts live sessions (the server-side count),
//! records connect times on tokio's clock, refuses or fails logins on
//! demand, cuts sessions, and tracks open transactions and app locks.
//!
//! Test-only; it runs no SQL. The executor's fake session is elsewhere.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use tokio::time::Instant;

use crate::engine::{
    Engine, EngineError, LockOutcome, LockState, NewHistoryRow, Permissions, ServerInfo, Session,
};
use crate::migrate::{AppliedMigration, Checksum, Version};
use crate::workspace::{Location, Workspace};

#[derive(Default)]
struct World {
    next_id: u64,
    live: HashMap<String, usize>,
    live_per_server: HashMap<String, usize>,
    peak_per_server: HashMap<String, usize>,
    connects: Vec<(String, Instant)>,
    refused: HashSet<String>,
    wrong_password: HashSet<String>,
    missing: HashSet<String>,
    dead: HashSet<u64>,
    sessions: HashMap<u64, String>,
    locks: HashMap<String, u64>,
    open_transactions: HashSet<u64>,
    pings: usize,
}

#[derive(Clone, Default)]
pub struct FakeEngine {
    world: Arc<Mutex<World>>,
}

#[derive(Debug, Clone)]
pub struct FakeTarget {
    server: String,
    database: String,
}

impl FakeEngine {
    fn world(&self) -> MutexGuard<'_, World> {
        self.world.lock().unwrap()
    }

    /// Sessions open on `database`, as the server would count them.
    pub fn live(&self, database: &str) -> usize {
        self.world().live.get(database).copied().unwrap_or(0)
    }

    pub fn live_total(&self) -> usize {
        self.world().live.values().sum()
    }

    pub fn peak_on_server(&self, server: &str) -> usize {
        self.world()
            .peak_per_server
            .get(server)
            .copied()
            .unwrap_or(0)
    }

    pub fn live_on_server(&self, server: &str) -> usize {
        self.world()
            .live_per_server
            .get(server)
            .copied()
            .unwrap_or(0)
    }

    /// When each connect attempt to `database` started.
    pub fn connect_times(&self, database: &str) -> Vec<Instant> {
        let world = self.world();
        world
            .connects
            .iter()
            .filter(|(db, _)| db == database)
            .map(|(_, t)| *t)
            .collect()
    }

    pub fn pings(&self) -> usize {
        self.world().pings
    }

    pub fn refuse(&self, database: &str, refuse: bool) {
        let mut world = self.world();
        if refuse {
            world.refused.insert(database.to_owned());
        } else {
            world.refused.remove(database);
        }
    }

    pub fn reject_password(&self, database: &str) {
        self.world().wrong_password.insert(database.to_owned());
    }

    pub fn drop_database(&self, database: &str) {
        self.world().missing.insert(database.to_owned());
    }

    /// The server kills every session on `database` (they find out on use).
    pub fn cut(&self, database: &str) {
        let mut world = self.world();
        let victims: Vec<u64> = world
            .sessions
            .iter()
            .filter(|(_, db)| *db == database)
            .map(|(id, _)| *id)
            .collect();
        for id in victims {
            world.dead.insert(id);
            world.open_transactions.remove(&id);
            world.locks.retain(|_, holder| *holder != id);
        }
    }

    pub fn lock_holder(&self, database: &str) -> Option<u64> {
        self.world().locks.get(database).copied()
    }

    pub fn open_transactions(&self) -> usize {
        self.world().open_transactions.len()
    }
}

impl Engine for FakeEngine {
    type Target = FakeTarget;
    type Session = FakeSession;

    fn resolve(&self, workspace: &Workspace) -> Result<FakeTarget, EngineError> {
        match &workspace.location {
            Location::Parts { host, database, .. } => Ok(FakeTarget {
                server: host.clone(),
                database: database.clone(),
            }),
            Location::ConnectionString(_) => Err(EngineError::InvalidTarget {
                key: "connection_string",
                reason: "the fake engine takes host/port/database only".into(),
            }),
        }
    }

    fn server_key(&self, target: &FakeTarget) -> String {
        target.server.clone()
    }

    async fn connect(&self, target: &FakeTarget) -> Result<FakeSession, EngineError> {
        let mut world = self.world();
        world
            .connects
            .push((target.database.clone(), Instant::now()));
        if world.refused.contains(&target.database) {
            return Err(EngineError::Unreachable {
                server: target.server.clone(),
                message: "connection refused".into(),
            });
        }
        if world.wrong_password.contains(&target.database) {
            return Err(EngineError::LoginFailed {
                user: "wsdb".into(),
                number: 18456,
                message: "Login failed for user 'wsdb'.".into(),
            });
        }
        if world.missing.contains(&target.database) {
            return Err(EngineError::UnknownDatabase {
                database: target.database.clone(),
            });
        }
        world.next_id += 1;
        let id = world.next_id;
        world.sessions.insert(id, target.database.clone());
        *world.live.entry(target.database.clone()).or_default() += 1;
        let on_server = world
            .live_per_server
            .entry(target.server.clone())
            .or_default();
        *on_server += 1;
        let now = *on_server;
        let peak = world
            .peak_per_server
            .entry(target.server.clone())
            .or_default();
        *peak = (*peak).max(now);
        Ok(FakeSession {
            id,
            database: target.database.clone(),
            server: target.server.clone(),
            world: Arc::clone(&self.world),
            broken: false,
            tainted: false,
        })
    }

    async fn create_database(&self, target: &FakeTarget) -> Result<bool, EngineError> {
        Ok(self.world().missing.remove(&target.database))
    }
}

pub struct FakeSession {
    id: u64,
    database: String,
    server: String,
    world: Arc<Mutex<World>>,
    broken: bool,
    tainted: bool,
}

impl FakeSession {
    pub fn id(&self) -> u64 {
        self.id
    }

    pub fn in_transaction(&self) -> bool {
        self.world
            .lock()
            .unwrap()
            .open_transactions
            .contains(&self.id)
    }

    /// Fails like a cut connection when the server killed this session.
    fn alive(&mut self) -> Result<MutexGuard<'_, World>, EngineError> {
        let world = self.world.lock().unwrap();
        if self.broken || world.dead.contains(&self.id) {
            self.broken = true;
            return Err(EngineError::ConnectionLost {
                message: "connection reset by peer".into(),
            });
        }
        Ok(world)
    }
}

impl Drop for FakeSession {
    fn drop(&mut self) {
        let mut world = self.world.lock().unwrap();
        world.sessions.remove(&self.id);
        world.open_transactions.remove(&self.id);
        world.locks.retain(|_, holder| *holder != self.id);
        if let Some(live) = world.live.get_mut(&self.database) {
            *live -= 1;
        }
        if let Some(live) = world.live_per_server.get_mut(&self.server) {
            *live -= 1;
        }
    }
}

impl Session for FakeSession {
    fn database(&self) -> &str {
        &self.database
    }

    fn is_broken(&self) -> bool {
        self.broken
    }

    fn is_reusable(&self) -> bool {
        !self.broken && !self.tainted
    }

    async fn ping(&mut self, _timeout: Duration) -> Result<(), EngineError> {
        self.world.lock().unwrap().pings += 1;
        self.alive().map(drop)
    }

    async fn reset(&mut self) -> Result<(), EngineError> {
        let id = self.id;
        let mut world = self.alive()?;
        world.open_transactions.remove(&id);
        world.locks.retain(|_, holder| *holder != id);
        Ok(())
    }

    async fn server_info(&mut self) -> Result<ServerInfo, EngineError> {
        let database = self.database.clone();
        self.alive().map(drop)?;
        Ok(ServerInfo {
            product_version: "16.0".into(),
            banner: "fake".into(),
            database,
            tls: false,
        })
    }

    async fn permissions(&mut self) -> Result<Permissions, EngineError> {
        self.alive().map(drop)?;
        Ok(Permissions {
            create_table: true,
            alter: true,
        })
    }

    async fn read_history(&mut self) -> Result<Option<Vec<AppliedMigration>>, EngineError> {
        self.alive().map(|_| None)
    }

    async fn create_history_table(&mut self) -> Result<(), EngineError> {
        self.alive().map(drop)
    }

    async fn acquire_lock(&mut self, _timeout: Duration) -> Result<LockOutcome, EngineError> {
        let (id, database) = (self.id, self.database.clone());
        let mut world = self.alive()?;
        match world.locks.get(&database) {
            Some(holder) if *holder != id => Ok(LockOutcome::Busy { holder: None }),
            _ => {
                world.locks.insert(database, id);
                Ok(LockOutcome::Acquired)
            }
        }
    }

    async fn release_lock(&mut self) -> Result<(), EngineError> {
        let id = self.id;
        let mut world = self.alive()?;
        world.locks.retain(|_, holder| *holder != id);
        Ok(())
    }

    async fn lock_state(&mut self) -> Result<LockState, EngineError> {
        let database = self.database.clone();
        let world = self.alive()?;
        Ok(match world.locks.get(&database) {
            Some(_) => LockState::Held { holder: None },
            None => LockState::Free,
        })
    }

    async fn begin(&mut self) -> Result<(), EngineError> {
        let id = self.id;
        self.alive()?.open_transactions.insert(id);
        Ok(())
    }

    async fn commit(&mut self) -> Result<(), EngineError> {
        let id = self.id;
        self.alive()?.open_transactions.remove(&id);
        Ok(())
    }

    async fn rollback(&mut self) -> Result<(), EngineError> {
        self.commit().await
    }

    async fn run_batch(&mut self, _sql: &str, _timeout: Duration) -> Result<(), EngineError> {
        self.tainted = true;
        self.alive().map(drop)
    }

    async fn insert_history(&mut self, _row: &NewHistoryRow) -> Result<(), EngineError> {
        self.alive().map(drop)
    }

    async fn delete_history(&mut self, _version: Version) -> Result<(), EngineError> {
        self.alive().map(drop)
    }

    async fn update_history(
        &mut self,
        _version: Version,
        _name: &str,
        _checksum: Checksum,
    ) -> Result<(), EngineError> {
        self.alive().map(drop)
    }

    async fn close(self) {}
}
