//! App locks seen and held behind wsdb's back, for tests that must make a
//! wsdb process stop at a known point without sleeping: a test holds a
//! "gate" lock, a migration asks for the same resource and blocks there,
//! the test waits until the server shows that request waiting, does what it
//! needs (start a second process, kill the first, ask `status`), and then
//! opens the gate.
//!
//! Works unchanged on the TDS test server and on a real SQL Server (which
//! needs VIEW SERVER STATE for `sys.dm_tran_locks`). Not here: wsdb's own
//! lock handling (that is what the tests check) and assertions.

use std::future::Future;
use std::time::Duration;

use tiberius::Client;
use tokio::net::TcpStream;
use tokio_util::compat::Compat;

use super::workspace_server::WorkspaceServer;

/// How long a test waits for a condition before it fails.
pub const CONDITION_DEADLINE: Duration = Duration::from_secs(30);

/// Between two checks of a condition; a check is a round trip, so this
/// only keeps a waiting test from taking a core from the process it waits
/// for. Nothing is synchronised by it.
const POLL_INTERVAL: Duration = Duration::from_millis(25);

/// T-SQL a migration uses to stop at a gate until the test opens it: an
/// exclusive, transaction-owned app lock on `resource`, waiting up to a
/// minute, failing the migration if it was not granted.
pub fn wait_at_gate_sql(resource: &str) -> String {
    format!(
        "DECLARE @gate INT;\nEXEC @gate = sp_getapplock @Resource = N'{resource}', @LockMode = 'Exclusive', \
         @LockOwner = 'Transaction', @LockTimeout = 60000;\nIF @gate < 0 THROW 50001, N'the gate stayed closed', 1;\n"
    )
}

/// A plain connection to one workspace database, holding or inspecting
/// app locks there.
pub struct LockProbe {
    client: Client<Compat<TcpStream>>,
}

impl LockProbe {
    pub async fn connect(server: &WorkspaceServer, database: &str) -> LockProbe {
        LockProbe {
            client: server.client(database).await,
        }
    }

    /// Takes `resource` exclusively for this session (a closed gate).
    pub async fn hold(&mut self, resource: &str) {
        let code = self
            .integer(
                "DECLARE @r INT; EXEC @r = sp_getapplock @Resource = @P1, @LockMode = 'Exclusive', \
                 @LockOwner = 'Session', @LockTimeout = 0; SELECT @r AS r;",
                resource,
            )
            .await;
        assert!(code >= 0, "could not take app lock `{resource}`: {code}");
    }

    /// Releases what [`hold`](Self::hold) took (opens the gate).
    pub async fn release(&mut self, resource: &str) {
        let code = self
            .integer(
                "DECLARE @r INT; EXEC @r = sp_releaseapplock @Resource = @P1, @LockOwner = 'Session'; \
                 SELECT @r AS r;",
                resource,
            )
            .await;
        assert_eq!(code, 0, "could not release app lock `{resource}`");
    }

    /// Whether this session could take `resource` now (nobody else holds it).
    pub async fn is_free(&mut self, resource: &str) -> bool {
        self.integer(
            "SELECT CAST(APPLOCK_TEST('public', @P1, 'Exclusive', 'Session') AS INT) AS free",
            resource,
        )
        .await
            == 1
    }

    /// Requests for `resource` in this database the server shows as waiting.
    pub async fn waiters(&mut self, resource: &str) -> i64 {
        let pattern = format!("%:[[]{resource}]:%");
        self.integer(
            "SELECT COUNT(*) AS n FROM sys.dm_tran_locks WHERE resource_type = 'APPLICATION' \
             AND resource_database_id = DB_ID() AND request_status = 'WAIT' \
             AND resource_description LIKE @P1",
            &pattern,
        )
        .await
    }

    /// Waits until some session waits for `resource`.
    pub async fn wait_for_waiter(&mut self, resource: &str) {
        let deadline = Deadline::start(format!("a request waiting for `{resource}`"));
        while self.waiters(resource).await == 0 {
            deadline.pause().await;
        }
    }

    /// Waits until another session holds `resource`.
    pub async fn wait_until_held(&mut self, resource: &str) {
        let deadline = Deadline::start(format!("`{resource}` held by another session"));
        while self.is_free(resource).await {
            deadline.pause().await;
        }
    }

    /// Waits until nobody holds `resource` (e.g. after its holder died).
    pub async fn wait_until_free(&mut self, resource: &str) {
        let deadline = Deadline::start(format!("`{resource}` free"));
        while !self.is_free(resource).await {
            deadline.pause().await;
        }
    }

    async fn integer(&mut self, sql: &str, param: &str) -> i64 {
        let row = self
            .client
            .query(sql, &[&param])
            .await
            .expect("lock query")
            .into_results()
            .await
            .expect("lock query results")
            .into_iter()
            .rev()
            .find_map(|set| set.into_iter().next())
            .expect("a row");
        row.try_get::<i32, _>(0)
            .ok()
            .flatten()
            .map(i64::from)
            .or_else(|| row.try_get::<i64, _>(0).ok().flatten())
            .expect("an integer")
    }
}

/// The bound of a wait for a condition: the test fails when it passes.
pub struct Deadline {
    what: String,
    at: tokio::time::Instant,
}

impl Deadline {
    pub fn start(what: impl Into<String>) -> Deadline {
        Deadline {
            what: what.into(),
            at: tokio::time::Instant::now() + CONDITION_DEADLINE,
        }
    }

    /// Between two checks of the condition; fails the test once the
    /// deadline passed.
    #[track_caller]
    pub fn pause(&self) -> impl Future<Output = ()> + use<> {
        assert!(
            tokio::time::Instant::now() < self.at,
            "gave up waiting for {} after {CONDITION_DEADLINE:?}",
            self.what
        );
        tokio::time::sleep(POLL_INTERVAL)
    }
}
