//! The control database: PostgreSQL only, through sqlx.
//!
//! Owns the connection pool to the control database ([`ControlDb`]), the
//! env's `workspaces` query and its mapping to [`crate::workspace::Workspace`]
//! ([`workspaces`]), wsdb's own schema `wsdb` ([`schema`]), the ledger of runs
//! and the version cache ([`ledger`]) and the claims cooperative runners lease
//! ([`queue`]).
//!
//! It deliberately knows nothing of SQL Server, of the fleet runner or of
//! report formats: the ledger takes and returns plain records defined here,
//! and the CLI decides what a failure means (a ledger write that fails after
//! a workspace committed is returned, never hidden, never undone). The
//! control pool is separate from every workspace connection.
//!
//! All SQL is runtime `sqlx::query` with binds; wsdb's own schema is embedded
//! with `sqlx::migrate!`, so no database is needed at build time.

mod error;
pub mod ledger;
pub mod queue;
pub mod schema;
pub mod workspaces;

pub use error::ControlError;
pub use ledger::{
    NewRun, RunChange, RunDetail, RunId, RunOutcome, RunSummary, VersionRecord, VersionState,
    WorkspaceRecord, WorkspaceResult, WorkspaceStatus, local_identity,
};
pub use queue::{Claim, QueueProgress, QueueRun};
pub use schema::{InitReport, SchemaState};
pub use workspaces::{RejectedRow, RowProblem, WorkspaceRows};

use std::fmt;
use std::str::FromStr;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgConnection, PgPool, PgPoolOptions};
use sqlx::{ConnectOptions, Connection};
use tokio::sync::OnceCell;

use crate::config::Secret;
use error::{Redactor, describe, is_connection_failure};

/// Limits of the control pool. The control database is shared with the
/// product itself, so the pool stays small: wsdb writes one ledger row per
/// workspace, it does not need many connections to do so.
#[derive(Debug, Clone)]
pub struct ControlOptions {
    /// Connections to the control database, all wsdb tasks together.
    pub max_connections: u32,
    /// Bound on establishing one connection (TCP, TLS, login).
    pub connect_timeout: Duration,
    /// Bound on waiting for a free pooled connection.
    pub acquire_timeout: Duration,
    /// Server-side `statement_timeout` of every control connection; it also
    /// bounds the user's `workspaces` query.
    pub statement_timeout: Duration,
}

impl Default for ControlOptions {
    fn default() -> Self {
        ControlOptions {
            max_connections: 4,
            connect_timeout: Duration::from_secs(10),
            acquire_timeout: Duration::from_secs(30),
            statement_timeout: Duration::from_secs(120),
        }
    }
}

/// A handle on the control database: a small pool plus what is needed to
/// report failures without the URL's password. Cheap to clone. Its `Debug`
/// shows only the server: the connect options hold the password.
#[derive(Clone)]
pub struct ControlDb {
    pool: PgPool,
    /// For the dedicated connection schema migrations run on.
    connect_options: PgConnectOptions,
    host: String,
    port: u16,
    redactor: Redactor,
    /// Set once the schema is known to be current in this process, so the
    /// check costs one round trip per process, not per ledger write.
    schema_ready: Arc<OnceCell<()>>,
    /// The connection [`ControlDb::connect`] opened to check the URL, kept
    /// for the first `workspaces` query instead of being closed, so a short
    /// command (`status -w X`) opens one control connection, not two. Each
    /// connection costs a TLS handshake, which sqlx 0.9.0 stalls twice on
    /// delayed ACKs (~45 ms each: it no longer sets TCP_NODELAY, sqlx#4335).
    spare: Arc<Mutex<Option<PgConnection>>>,
}

impl ControlDb {
    /// Connects to the control database named by `url`. TLS follows the
    /// URL's `sslmode` (rustls). One connection is opened here so that a
    /// wrong URL or an unreachable server is reported now, with its cause,
    /// rather than as a pool timeout later.
    pub async fn connect(
        url: &Secret<String>,
        options: &ControlOptions,
    ) -> Result<ControlDb, ControlError> {
        let db = ControlDb::lazy(url, options)?;
        let mut probe = db.open_connection(options.connect_timeout).await?;
        // The pool's connections get this in `after_connect`.
        set_statement_timeout(&mut probe, statement_timeout_millis(options))
            .await
            .map_err(|e| db.fail("set statement_timeout", e))?;
        *db.spare.lock().unwrap_or_else(PoisonError::into_inner) = Some(probe);
        Ok(db)
    }

    /// The handle without any connection opened yet.
    fn lazy(url: &Secret<String>, options: &ControlOptions) -> Result<ControlDb, ControlError> {
        let redactor = Redactor::for_url(url.expose());
        let connect_options = connect_options(url.expose(), &redactor)?;
        let statement_timeout = statement_timeout_millis(options);
        let db = ControlDb {
            pool: PgPoolOptions::new()
                .max_connections(options.max_connections.max(1))
                .min_connections(0)
                .acquire_timeout(options.acquire_timeout)
                .idle_timeout(Duration::from_secs(60))
                .after_connect(move |connection, _| {
                    let millis = statement_timeout.clone();
                    Box::pin(set_statement_timeout(connection, millis))
                })
                .connect_lazy_with(connect_options.clone()),
            host: endpoint_host(&connect_options),
            port: connect_options.get_port(),
            connect_options,
            redactor,
            schema_ready: Arc::new(OnceCell::new()),
            spare: Arc::new(Mutex::new(None)),
        };
        Ok(db)
    }

    /// Closes the pool, waiting for borrowed connections to come back, and
    /// the spare connection if nothing used it.
    pub async fn close(&self) {
        if let Some(spare) = self.take_spare() {
            // Closing is courtesy; a failure here changes nothing.
            let _ = spare.close().await;
        }
        self.pool.close().await;
    }

    /// The connection `connect` opened, once (see the `spare` field).
    pub(crate) fn take_spare(&self) -> Option<PgConnection> {
        self.spare
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
    }

    pub(crate) fn pool(&self) -> &PgPool {
        &self.pool
    }

    /// A connection outside the pool, bounded by `timeout`.
    pub(crate) async fn open_connection(
        &self,
        timeout: Duration,
    ) -> Result<PgConnection, ControlError> {
        match tokio::time::timeout(timeout, self.connect_options.connect()).await {
            Ok(Ok(connection)) => Ok(connection),
            Ok(Err(error)) => Err(self.connect_error(&describe(&error))),
            Err(_) => {
                Err(self.connect_error(&format!("no answer within {}s", timeout.as_secs_f64())))
            }
        }
    }

    fn connect_error(&self, cause: &str) -> ControlError {
        ControlError::Connect {
            host: self.host.clone(),
            port: self.port,
            cause: self.redactor.clean(cause),
        }
    }

    /// Maps a driver error of `operation` to a [`ControlError`]: a lost or
    /// unreachable server is [`ControlError::Connect`], anything else names
    /// the statement.
    pub(crate) fn fail(&self, operation: &'static str, error: sqlx::Error) -> ControlError {
        if is_connection_failure(&error) {
            return self.connect_error(&describe(&error));
        }
        ControlError::Statement {
            operation,
            cause: self.redactor.clean(&describe(&error)),
        }
    }

    pub(crate) fn connect_options(&self) -> &PgConnectOptions {
        &self.connect_options
    }

    pub(crate) fn redactor(&self) -> &Redactor {
        &self.redactor
    }
}

impl fmt::Debug for ControlDb {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ControlDb")
            .field("host", &self.host)
            .field("port", &self.port)
            .finish_non_exhaustive()
    }
}

fn statement_timeout_millis(options: &ControlOptions) -> String {
    options.statement_timeout.as_millis().max(1).to_string()
}

/// A session `SET` rather than the `options` startup parameter, which
/// PgBouncer refuses unless configured to ignore it.
async fn set_statement_timeout(
    connection: &mut PgConnection,
    millis: String,
) -> Result<(), sqlx::Error> {
    sqlx::query("SELECT set_config('statement_timeout', $1, false)")
        .bind(millis)
        .execute(connection)
        .await
        .map(|_| ())
}

fn connect_options(url: &str, redactor: &Redactor) -> Result<PgConnectOptions, ControlError> {
    let parsed = PgConnectOptions::from_str(url).map_err(|error| ControlError::InvalidUrl {
        cause: redactor.clean(&describe(&error)),
    })?;
    Ok(match parsed.get_application_name() {
        Some(_) => parsed,
        None => parsed.application_name("wsdb"),
    })
}

/// The host part for messages: the socket path for a Unix-socket URL.
fn endpoint_host(options: &PgConnectOptions) -> String {
    match options.get_socket() {
        Some(socket) => socket.display().to_string(),
        None => options.get_host().to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_url_does_not_echo_the_password() {
        let url = "postgres://app:hunter2@db:notaport/app".to_owned();
        let error = connect_options(&url, &Redactor::for_url(&url)).err();
        let text = error.map(|e| e.to_string()).unwrap_or_default();
        assert!(
            text.starts_with("`control_url` is not a valid PostgreSQL URL"),
            "{text}"
        );
        assert!(!text.contains("hunter2"), "{text}");
    }

    #[test]
    fn connect_options_keep_a_user_application_name() {
        let url = "postgres://app@db/app?application_name=mine";
        let options = connect_options(url, &Redactor::default()).ok();
        let name = options.as_ref().and_then(|o| o.get_application_name());
        assert_eq!(name, Some("mine"));
        let options = connect_options("postgres://app@db/app", &Redactor::default()).ok();
        assert_eq!(
            options.as_ref().and_then(|o| o.get_application_name()),
            Some("wsdb")
        );
    }

    #[tokio::test]
    async fn debug_shows_the_server_but_not_the_password() {
        let url = Secret::new("postgres://app:hunter2@db.internal:6543/app".to_owned());
        let db = ControlDb::lazy(&url, &ControlOptions::default()).ok();
        let text = format!("{db:?}");
        assert!(
            text.contains("db.internal") && text.contains("6543"),
            "{text}"
        );
        assert!(!text.contains("hunter2"), "{text}");
    }

    #[tokio::test]
    async fn unreachable_server_names_host_and_cause_without_password() {
        // Port 1 on localhost: nothing listens there, the connect is refused.
        let url = Secret::new("postgres://app:hunter2@127.0.0.1:1/app".to_owned());
        let error = ControlDb::connect(&url, &ControlOptions::default())
            .await
            .err();
        let text = error.map(|e| e.to_string()).unwrap_or_default();
        assert!(
            text.starts_with("cannot reach the control database at `127.0.0.1:1`: "),
            "{text}"
        );
        assert!(!text.contains("hunter2"), "{text}");
        assert_eq!(text.lines().count(), 1, "{text}");
    }
}

/// Compile-time check that every future of the public API can be spawned on
/// a multi-threaded runtime, as the fleet runner does: an `async fn` that
/// holds a borrowed bind across an await can silently lose `Send`.
#[cfg(test)]
#[allow(dead_code)]
mod spawnable {
    use super::*;
    use crate::workspace::WorkspaceId;
    use std::future::Future;

    fn spawnable<F: Future + Send + 'static>(_: F) {}

    fn every_future(db: ControlDb, run: NewRun, claim: Claim, record: WorkspaceRecord) {
        let id = RunId::new(1).unwrap_or_else(|| unreachable!());
        let d = db.clone();
        spawnable(async move { d.fetch_workspaces("q").await });
        let d = db.clone();
        spawnable(async move { d.init().await });
        let d = db.clone();
        spawnable(async move { d.ensure_schema().await });
        let d = db.clone();
        spawnable(async move { d.require_schema().await });
        let (d, r) = (db.clone(), run.clone());
        spawnable(async move { d.start_run(&r).await });
        let (d, r) = (db.clone(), run.clone());
        spawnable(async move { d.start_queue_run(&r, "k").await });
        let d = db.clone();
        spawnable(async move { d.finish_run(id, RunOutcome::Failed).await });
        let (d, r) = (db.clone(), record.clone());
        spawnable(async move { d.record_workspace(id, &r).await });
        let d = db.clone();
        spawnable(async move { d.list_runs(1).await });
        let d = db.clone();
        spawnable(async move { d.show_run(id).await });
        let d = db.clone();
        spawnable(async move { d.workspaces_to_resume(id).await });
        let d = db.clone();
        spawnable(async move { d.changed_by_run(id).await });
        let d = db.clone();
        spawnable(async move { d.update_version_cache(&[]).await });
        let d = db.clone();
        spawnable(async move { d.version_cache().await });
        let d = db.clone();
        spawnable(async move { d.enqueue(id, &[WorkspaceId::from("a")]).await });
        let d = db.clone();
        spawnable(async move { d.claim(id, "r", Duration::ZERO).await });
        let (d, c) = (db.clone(), claim.clone());
        spawnable(async move { d.renew(&c, Duration::ZERO).await });
        let (d, c, r) = (db.clone(), claim.clone(), record.clone());
        spawnable(async move { d.complete(&c, &r).await });
        let d = db.clone();
        spawnable(async move { d.run_progress(id).await });
        spawnable(async move { db.close().await });
    }
}
