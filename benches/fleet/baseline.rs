//! The baselines wsdb is compared with: the same work done with bare
//! tiberius and nothing else. No pool, no lock, no history read, no plan, no
//! ledger, no events: per workspace one connection; per migration one
//! transaction holding its batches (raw, as wsdb sends them) and a history
//! row insert (parameterized, as wsdb writes it). Concurrency is a plain
//! `buffer_unordered` at the level wsdb runs at. What wsdb does beyond this
//! is its overhead, which is what the ratios measure. They run in a process
//! of their own (`baseline_process`), timed from spawn to exit like wsdb.

use std::time::Instant;

use futures_util::{StreamExt, TryStreamExt, stream};
use tiberius::{AuthMethod, Client, Config, EncryptionLevel};
use tokio::net::TcpStream;
use tokio_util::compat::{Compat, TokioAsyncWriteCompatExt};

use crate::migrations::Migration;

/// The history table wsdb creates on first use (same columns and key).
const CREATE_HISTORY: &str = "CREATE TABLE dbo.wsdb_history (version BIGINT NOT NULL PRIMARY KEY, \
     name NVARCHAR(400) NOT NULL, checksum CHAR(64) NOT NULL, applied_at DATETIME2 NOT NULL, \
     duration_ms BIGINT NOT NULL, applied_by NVARCHAR(256) NOT NULL, \
     wsdb_version NVARCHAR(64) NOT NULL, success BIT NOT NULL)";

const INSERT_HISTORY: &str = "INSERT INTO dbo.wsdb_history (version, name, checksum, \
     applied_at, duration_ms, applied_by, wsdb_version, success) \
     VALUES (@P1, @P2, @P3, SYSUTCDATETIME(), @P4, @P5, @P6, @P7)";

const READ_HISTORY: &str = "SELECT version, name, checksum, applied_at, duration_ms, \
     applied_by, wsdb_version, success FROM dbo.wsdb_history ORDER BY version";

type Connection = Client<Compat<TcpStream>>;

/// Where the workspaces live and how to log in.
#[derive(Clone)]
pub struct Target {
    pub host: String,
    pub port: u16,
    pub user: String,
    pub password: String,
}

impl Target {
    async fn connect(&self, database: &str) -> Result<Connection, String> {
        let mut config = Config::new();
        config.host(&self.host);
        config.port(self.port);
        config.database(database);
        config.authentication(AuthMethod::sql_server(&self.user, &self.password));
        // The test server runs without TLS; see its README on NotSupported.
        config.encryption(EncryptionLevel::NotSupported);
        let tcp = TcpStream::connect((self.host.as_str(), self.port))
            .await
            .map_err(|e| format!("connect to `{database}`: {e}"))?;
        tcp.set_nodelay(true).map_err(|e| e.to_string())?;
        Client::connect(config, tcp.compat_write())
            .await
            .map_err(|e| format!("log in to `{database}`: {e}"))
    }
}

/// Applies every migration to every database, `concurrency` at a time.
pub async fn migrate(
    target: &Target,
    databases: &[String],
    migrations: &[Migration],
    concurrency: usize,
) -> Result<(), String> {
    stream::iter(databases)
        .map(|database| migrate_one(target, database, migrations))
        .buffer_unordered(concurrency)
        .try_collect::<()>()
        .await
}

async fn migrate_one(
    target: &Target,
    database: &str,
    migrations: &[Migration],
) -> Result<(), String> {
    let mut client = target.connect(database).await?;
    batch(&mut client, CREATE_HISTORY).await?;
    for migration in migrations {
        let started = Instant::now();
        batch(&mut client, "SET XACT_ABORT ON; BEGIN TRANSACTION;").await?;
        for sql in &migration.batches {
            batch(&mut client, sql).await?;
        }
        let duration_ms = i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX);
        client
            .execute(
                INSERT_HISTORY,
                &[
                    &migration.version,
                    &migration.name.as_str(),
                    &migration.checksum.as_str(),
                    &duration_ms,
                    &"bench",
                    &"baseline",
                    &true,
                ],
            )
            .await
            .map_err(|e| format!("`{database}` history insert: {e}"))?;
        batch(&mut client, "COMMIT TRANSACTION;").await?;
    }
    client.close().await.map_err(|e| e.to_string())
}

/// Per database: connect, read the history table, close.
pub async fn status(
    target: &Target,
    databases: &[String],
    concurrency: usize,
) -> Result<(), String> {
    stream::iter(databases)
        .map(|database| status_one(target, database))
        .buffer_unordered(concurrency)
        .try_collect::<()>()
        .await
}

async fn status_one(target: &Target, database: &str) -> Result<(), String> {
    let mut client = target.connect(database).await?;
    let rows = client
        .query(READ_HISTORY, &[])
        .await
        .map_err(|e| format!("`{database}` history: {e}"))?
        .into_first_result()
        .await
        .map_err(|e| format!("`{database}` history: {e}"))?;
    if rows.is_empty() {
        return Err(format!("`{database}` has no history rows"));
    }
    client.close().await.map_err(|e| e.to_string())
}

/// A raw batch, every result drained (as a driver must before the next).
async fn batch(client: &mut Connection, sql: &str) -> Result<(), String> {
    client
        .simple_query(sql)
        .await
        .map_err(|e| format!("batch `{sql}`: {e}"))?
        .into_results()
        .await
        .map(|_| ())
        .map_err(|e| format!("batch `{sql}`: {e}"))
}
