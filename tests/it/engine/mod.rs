//! The SQL Server engine ([`MssqlEngine`], [`MssqlSession`]) against the
//! TDS test server, or a real SQL Server with `WSDB_TEST_MSSQL_URL`: login
//! and its failures, TLS, redirects, the history table, transactions, raw
//! batches, the app lock and statement timeouts.

mod connect;
mod history;
mod lock;

use wsdb::engine::Engine;
use wsdb::engine::mssql::{MssqlEngine, MssqlSession, MssqlTarget};

use crate::support::workspace_server::WorkspaceServer;

/// A server, an engine for it and the target of one fresh database.
pub struct Fixture {
    pub server: WorkspaceServer,
    pub engine: MssqlEngine,
    pub target: MssqlTarget,
    pub database: String,
}

impl Fixture {
    pub async fn new(prefix: &str) -> Fixture {
        let server = WorkspaceServer::start().await;
        Fixture::on(server, prefix).await
    }

    pub async fn on(server: WorkspaceServer, prefix: &str) -> Fixture {
        let database = server.create_database(prefix).await;
        let engine = MssqlEngine::new(server.mssql_settings());
        let target = engine
            .resolve(&server.workspace("acme", &database))
            .expect("a valid target");
        Fixture {
            server,
            engine,
            target,
            database,
        }
    }

    pub async fn session(&self) -> MssqlSession {
        self.engine.connect(&self.target).await.expect("connect")
    }
}
