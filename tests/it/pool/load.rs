//! The caps under concurrent load: per server, per cache, no deadlock.

use std::sync::Arc;
use std::time::Duration;

use tds_test_server::Server;
use wsdb::config::PoolSettings;
use wsdb::engine::mssql::{MssqlEngine, MssqlSession, MssqlTarget};
use wsdb::engine::{
    Engine, EngineError, LockOutcome, LockState, NewHistoryRow, Permissions, ServerInfo, Session,
};
use wsdb::migrate::{AppliedMigration, Checksum, Version};
use wsdb::pool::WorkspacePools;
use wsdb::workspace::Workspace;

use super::{pool_settings, pools, retry_settings};
use crate::support::workspace_server::WorkspaceServer;

/// The SQL Server engine whose session closes also wait until the test
/// server has torn the session down. TDS has no logout acknowledgement and
/// a server uncounts a connection only after closing its socket and ending
/// the session, so without this a slot handed from one workspace to another
/// shows up twice in the server's peak for an instant. Connects and closes
/// take turns (`gate`), so during a close the server's count only falls.
struct AcknowledgedClose {
    inner: MssqlEngine,
    server: Arc<Server>,
    gate: Arc<tokio::sync::Mutex<()>>,
}

struct AcknowledgedSession {
    inner: MssqlSession,
    server: Arc<Server>,
    gate: Arc<tokio::sync::Mutex<()>>,
}

impl Engine for AcknowledgedClose {
    type Target = MssqlTarget;
    type Session = AcknowledgedSession;

    fn resolve(&self, workspace: &Workspace) -> Result<MssqlTarget, EngineError> {
        self.inner.resolve(workspace)
    }

    fn server_key(&self, target: &MssqlTarget) -> String {
        self.inner.server_key(target)
    }

    async fn connect(&self, target: &MssqlTarget) -> Result<AcknowledgedSession, EngineError> {
        let _turn = self.gate.lock().await;
        Ok(AcknowledgedSession {
            inner: self.inner.connect(target).await?,
            server: Arc::clone(&self.server),
            gate: Arc::clone(&self.gate),
        })
    }

    async fn create_database(&self, target: &MssqlTarget) -> Result<bool, EngineError> {
        self.inner.create_database(target).await
    }
}

impl Session for AcknowledgedSession {
    fn database(&self) -> &str {
        self.inner.database()
    }
    fn is_broken(&self) -> bool {
        self.inner.is_broken()
    }
    fn is_reusable(&self) -> bool {
        self.inner.is_reusable()
    }
    async fn ping(&mut self, timeout: Duration) -> Result<(), EngineError> {
        self.inner.ping(timeout).await
    }
    async fn reset(&mut self) -> Result<(), EngineError> {
        self.inner.reset().await
    }
    async fn server_info(&mut self) -> Result<ServerInfo, EngineError> {
        self.inner.server_info().await
    }
    async fn permissions(&mut self) -> Result<Permissions, EngineError> {
        self.inner.permissions().await
    }
    async fn read_history(&mut self) -> Result<Option<Vec<AppliedMigration>>, EngineError> {
        self.inner.read_history().await
    }
    async fn create_history_table(&mut self) -> Result<(), EngineError> {
        self.inner.create_history_table().await
    }
    async fn acquire_lock(&mut self, timeout: Duration) -> Result<LockOutcome, EngineError> {
        self.inner.acquire_lock(timeout).await
    }
    async fn release_lock(&mut self) -> Result<(), EngineError> {
        self.inner.release_lock().await
    }
    async fn lock_state(&mut self) -> Result<LockState, EngineError> {
        self.inner.lock_state().await
    }
    async fn begin(&mut self) -> Result<(), EngineError> {
        self.inner.begin().await
    }
    async fn commit(&mut self) -> Result<(), EngineError> {
        self.inner.commit().await
    }
    async fn rollback(&mut self) -> Result<(), EngineError> {
        self.inner.rollback().await
    }
    async fn run_batch(&mut self, sql: &str, timeout: Duration) -> Result<(), EngineError> {
        self.inner.run_batch(sql, timeout).await
    }
    async fn insert_history(&mut self, row: &NewHistoryRow) -> Result<(), EngineError> {
        self.inner.insert_history(row).await
    }
    async fn delete_history(&mut self, version: Version) -> Result<(), EngineError> {
        self.inner.delete_history(version).await
    }
    async fn update_history(
        &mut self,
        version: Version,
        name: &str,
        checksum: Checksum,
    ) -> Result<(), EngineError> {
        self.inner.update_history(version, name, checksum).await
    }
    async fn close(self) {
        let _turn = self.gate.lock().await;
        let before = self.server.stats().live_connections;
        self.inner.close().await;
        self.server
            .wait_for_stats(|s| s.live_connections < before)
            .await;
    }
}

/// A small deterministic generator: which workspace each round uses.
fn picks(seed: u64, rounds: usize, hot: u64, all: u64) -> Vec<usize> {
    let mut state = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    (0..rounds)
        .map(|round| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let range = if round % 4 == 0 { all } else { hot };
            usize::try_from((state >> 33) % range).expect("a small index")
        })
        .collect()
}

async fn workspaces(server: &WorkspaceServer, n: usize) -> (Vec<String>, Arc<Vec<Workspace>>) {
    let mut databases = Vec::new();
    let mut workspaces = Vec::new();
    for i in 0..n {
        let database = server.create_database("load").await;
        workspaces.push(server.workspace(&format!("w{i}"), &database));
        databases.push(database);
    }
    (databases, Arc::new(workspaces))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_per_server_cap_holds_under_load() {
    let server = WorkspaceServer::start().await;
    let Some(test_server) = server.test_server_handle() else {
        eprintln!(
            "skipping `the_per_server_cap_holds_under_load`: it reads the test server's peak count"
        );
        return;
    };
    let (databases, workspaces) = workspaces(&server, 8).await;
    let cap = 4;
    let engine = AcknowledgedClose {
        inner: MssqlEngine::new(server.mssql_settings()),
        server: Arc::clone(&test_server),
        gate: Arc::default(),
    };
    let settings = PoolSettings {
        max_per_server: cap,
        ..pool_settings()
    };
    let pools = WorkspacePools::new(engine, settings, retry_settings());
    let mut tasks = Vec::new();
    for task in 0..16 {
        let pools = pools.clone();
        let workspaces = Arc::clone(&workspaces);
        tasks.push(tokio::spawn(async move {
            for pick in picks(task, 25, 8, 8) {
                let mut session = pools.acquire(&workspaces[pick]).await.unwrap();
                session.ping(Duration::from_secs(10)).await.unwrap();
                session.release().await;
            }
        }));
    }
    for task in tasks {
        task.await.unwrap();
    }
    let open = server
        .settle_total(&databases, usize::try_from(cap).unwrap())
        .await;
    assert!(open <= 4, "{open} connections open");
    let peak = test_server.stats().peak_connections;
    assert!(peak <= 4, "the server saw {peak} connections at once");
    let stats = pools.stats();
    assert_eq!(stats.hits + stats.misses, 16 * 25);
    assert!(
        stats.connects > 4,
        "the cap made connections change hands: {stats:?}"
    );
}

/// 64 tasks x 200 acquisitions over 100 workspaces with a cache of 20: no
/// deadlock (bounded by a watchdog), and no leak: afterwards the server
/// holds no more connections than the cache allows.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sixty_four_tasks_over_a_hundred_workspaces_neither_deadlock_nor_leak() {
    let server = WorkspaceServer::start().await;
    let (databases, workspaces) = workspaces(&server, 100).await;
    let settings = PoolSettings {
        max_cached_workspaces: 20,
        ..pool_settings()
    };
    let pools = pools(&server, settings.clone());
    let run = async {
        let mut tasks = Vec::new();
        for task in 0..64 {
            let pools = pools.clone();
            let workspaces = Arc::clone(&workspaces);
            tasks.push(tokio::spawn(async move {
                for (round, pick) in picks(task, 200, 15, 100).into_iter().enumerate() {
                    let mut session = pools.acquire(&workspaces[pick]).await.unwrap();
                    if round % 3 == 0 {
                        session.begin().await.unwrap();
                    }
                    session.release().await;
                }
            }));
        }
        for task in tasks {
            task.await.unwrap();
        }
    };
    tokio::time::timeout(Duration::from_secs(600), run)
        .await
        .expect("64 x 200 acquisitions did not finish: deadlock");

    pools.reap().await;
    let stats = pools.stats();
    assert_eq!(stats.hits + stats.misses, 64 * 200);
    let bound =
        usize::try_from(settings.max_cached_workspaces * u64::from(settings.max_per_workspace))
            .unwrap();
    let open = server.settle_total(&databases, bound).await;
    assert!(
        open <= bound,
        "{open} connections left open, the cache allows {bound}"
    );
    assert_eq!(
        u64::try_from(open).unwrap(),
        stats.live_connections,
        "{stats:?}"
    );
    pools.shutdown().await;
    assert_eq!(server.settle_total(&databases, 0).await, 0);
}
