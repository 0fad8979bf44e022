//! Failed connects: the backoff schedule, eviction and recovery, and the
//! failures that are never retried.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tds_test_server::{Scope, TlsMode};
use tokio::time::Instant;
use wsdb::config::{Encrypt, MssqlSettings, Secret};
use wsdb::engine::mssql::{MssqlEngine, MssqlSession, MssqlTarget};
use wsdb::engine::{Engine, EngineError};
use wsdb::pool::{PoolError, WorkspacePools};
use wsdb::workspace::Workspace;

use super::{pool_settings, pools, retry_settings};
use crate::support::workspace_server::WorkspaceServer;

/// The SQL Server engine, noting when each connect attempt starts.
#[derive(Clone)]
struct Recording {
    inner: MssqlEngine,
    attempts: Arc<Mutex<Vec<Instant>>>,
}

impl Engine for Recording {
    type Target = MssqlTarget;
    type Session = MssqlSession;

    fn resolve(&self, workspace: &Workspace) -> Result<MssqlTarget, EngineError> {
        self.inner.resolve(workspace)
    }

    fn server_key(&self, target: &MssqlTarget) -> String {
        self.inner.server_key(target)
    }

    async fn connect(&self, target: &MssqlTarget) -> Result<MssqlSession, EngineError> {
        self.attempts
            .lock()
            .expect("attempt log")
            .push(Instant::now());
        self.inner.connect(target).await
    }

    async fn create_database(&self, target: &MssqlTarget) -> Result<bool, EngineError> {
        self.inner.create_database(target).await
    }
}

#[tokio::test]
async fn a_refusing_server_is_retried_on_schedule_then_evicted_and_recovers() {
    let server = WorkspaceServer::start().await;
    let Some(test_server) = server.faults_or_skip("a_refusing_server_is_retried_on_schedule")
    else {
        return;
    };
    let database = server.create_database("refuse").await;
    let workspace = server.workspace("acme", &database);
    let retry = retry_settings();
    let attempts = Arc::new(Mutex::new(Vec::new()));
    let engine = Recording {
        inner: MssqlEngine::new(server.mssql_settings()),
        attempts: Arc::clone(&attempts),
    };
    let pools = WorkspacePools::new(engine, pool_settings(), retry.clone());
    test_server
        .faults()
        .refuse_connections(Scope::Server, 1_000);

    tokio::time::pause();
    let error = pools.acquire(&workspace).await.err().unwrap();
    match &error {
        PoolError::Connect {
            workspace,
            attempts,
            cause: EngineError::Unreachable { .. },
        } => assert_eq!(
            (workspace.as_str(), *attempts),
            ("acme", retry.max_attempts)
        ),
        other => panic!("{other:?}"),
    }
    let message = error.to_string();
    assert!(
        message.contains("workspace `acme`") && message.contains("closed the connection"),
        "{message}"
    );

    let times = attempts.lock().unwrap().clone();
    assert_eq!(times.len(), 4);
    let mut base = retry.initial_backoff;
    for pair in times.windows(2) {
        let gap = pair[1] - pair[0];
        let upper = (base * 2).min(retry.max_backoff);
        // tokio's timer rounds sleeps up to the next millisecond.
        assert!(
            gap + Duration::from_millis(1) >= base,
            "{gap:?} < {base:?} in {times:?}"
        );
        assert!(
            gap <= upper + Duration::from_millis(2),
            "{gap:?} > {upper:?}"
        );
        base = (base * 2).min(retry.max_backoff);
    }
    assert_eq!(
        pools
            .health(&"acme".into())
            .await
            .unwrap()
            .consecutive_failures,
        1
    );

    pools.acquire(&workspace).await.err().unwrap();
    assert!(
        pools.health(&"acme".into()).await.is_none(),
        "evicted after 2 failures"
    );
    assert_eq!(pools.stats().evictions, 1);

    test_server.faults().clear();
    tokio::time::resume();
    let session = pools.acquire(&workspace).await.unwrap();
    session.release().await;
    assert!(pools.health(&"acme".into()).await.unwrap().is_healthy());
    assert_eq!(server.settle(&database, 1).await, 1);
}

#[tokio::test]
async fn a_wrong_password_or_an_unknown_database_fails_at_once() {
    let server = WorkspaceServer::start().await;
    let database = server.create_database("nogo").await;
    let wrong = WorkspacePools::new(
        MssqlEngine::new(MssqlSettings {
            password: Some(Secret::new("wrong".into())),
            ..server.mssql_settings()
        }),
        pool_settings(),
        retry_settings(),
    );
    match wrong.acquire(&server.workspace("acme", &database)).await {
        Err(PoolError::Connect {
            attempts: 1,
            cause: EngineError::LoginFailed { .. },
            ..
        }) => {}
        other => panic!("{:?}", other.err()),
    }
    let missing = server.unused_database_name("absent");
    let right = pools(&server, pool_settings());
    let error = right
        .acquire(&server.workspace("ghost", &missing))
        .await
        .err()
        .unwrap();
    assert!(matches!(
        error,
        PoolError::Connect {
            attempts: 1,
            cause: EngineError::UnknownDatabase { .. },
            ..
        }
    ));
    assert!(
        error
            .to_string()
            .contains("hint: create it with `wsdb provision`"),
        "{error}"
    );
    // One attempt each, no retry: counted on both sides.
    assert_eq!(
        wrong.stats().connect_failures + right.stats().connect_failures,
        2
    );
    if let Some(test_server) = server.test_server() {
        assert_eq!(test_server.stats().failed_logins, 2);
    }
}

#[tokio::test]
async fn encrypt_required_without_tls_on_the_server_fails_clearly_without_retry() {
    let server = WorkspaceServer::start_test_server(TlsMode::Off).await;
    let database = server.create_database("tls").await;
    let pools = WorkspacePools::new(
        MssqlEngine::new(MssqlSettings {
            encrypt: Encrypt::Required,
            ..server.mssql_settings()
        }),
        pool_settings(),
        retry_settings(),
    );
    let error = pools
        .acquire(&server.workspace("acme", &database))
        .await
        .err()
        .unwrap();
    assert!(
        matches!(
            error,
            PoolError::Connect {
                attempts: 1,
                cause: EngineError::Tls { .. },
                ..
            }
        ),
        "{error:?}"
    );
    assert_eq!(
        error.to_string().lines().next().unwrap(),
        format!(
            "workspace `acme`: TLS: `{}:{}` does not offer TLS, but `encrypt = \"required\"` demands it (after 1 attempt)",
            server.host(),
            server.port()
        )
    );
}
