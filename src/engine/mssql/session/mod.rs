//! [`MssqlSession`]: one logged-in connection bound to one workspace
//! database, implementing [`Session`] with the statements of `sql.rs`.
//!
//! It owns the connection's health bookkeeping: every statement runs under a
//! `tokio::time::timeout`; a timeout, an I/O error or a future dropped
//! mid-statement marks the session broken (its connection is out of sync,
//! so it is closed, which makes the server roll back and free the app lock).
//! A session that ran user batches is "tainted": a migration may have
//! changed any SET option, the language or the date format, which no reset
//! can see, so the pool closes it instead of reusing it. The app lock is in
//! `lock.rs`; pooling is not here.

use std::time::Duration;

use futures_util::TryStreamExt;
use tiberius::error::Error as TdsError;
use tiberius::{Row, ToSql};

use crate::engine::{
    EngineError, LockOutcome, LockState, NewHistoryRow, Permissions, Phase, ServerInfo, Session,
};
use crate::migrate::{AppliedMigration, Checksum, Version};

mod lock;

use super::connect::{self, TdsClient};
use super::error::statement_error;
use super::rows;
use super::sql;
use super::target::MssqlTarget;

/// How long a polite close may take before the socket is simply dropped.
const CLOSE_TIMEOUT: Duration = Duration::from_secs(5);

type EngineResult<T> = Result<T, EngineError>;

pub struct MssqlSession {
    client: TdsClient,
    database: String,
    server: String,
    tls: bool,
    statement_timeout: Duration,
    broken: bool,
    /// Set while a statement is on the wire; still set afterwards only when
    /// its future was dropped, leaving the response half read.
    in_flight: bool,
    tainted: bool,
    holds_lock: bool,
    /// True while the session is as the last state check found it: since
    /// then only wsdb's read-only queries ran on it (status reads, pings,
    /// server info), so returning it to the pool needs no reset round trip.
    pristine: bool,
}

/// Connects, logs in and checks that the session really is in the target's
/// database.
pub async fn open(target: &MssqlTarget) -> EngineResult<MssqlSession> {
    let connected = connect::open(target).await?;
    let mut session = MssqlSession {
        client: connected.client,
        database: target.database.clone(),
        server: target.server(),
        tls: connected.tls,
        statement_timeout: target.statement_timeout,
        broken: false,
        in_flight: false,
        tainted: false,
        holds_lock: false,
        pristine: false,
    };
    match session.check_state().await {
        Ok(()) => Ok(session),
        Err(error) => {
            session.close().await;
            Err(error)
        }
    }
}

impl MssqlSession {
    /// The server this session is connected to (`host:port`).
    pub fn server(&self) -> &str {
        &self.server
    }

    /// On a session bound to `master`: creates `name` unless it exists.
    pub(super) async fn create_database(&mut self, name: &str) -> EngineResult<bool> {
        let row = self.last_row(sql::DATABASE_ID, &[&name]).await?;
        if rows::integer(&row, "id")?.is_some() {
            return Ok(false);
        }
        self.statement(&sql::create_database(name), &[]).await?;
        Ok(true)
    }

    fn ensure_usable(&self) -> EngineResult<()> {
        if self.is_broken() {
            Err(EngineError::ConnectionLost {
                message: format!(
                    "the connection to `{}` was abandoned after an earlier failure",
                    self.server
                ),
            })
        } else {
            Ok(())
        }
    }

    fn fail(&mut self, error: TdsError) -> EngineError {
        let mapped = statement_error(error);
        self.broken |= mapped.broken;
        mapped.error
    }

    /// Runs a bookkeeping statement (parameterized when `params` is not
    /// empty) and collects every result set.
    async fn results(
        &mut self,
        sql: &str,
        params: &[&dyn ToSql],
        timeout: Duration,
        phase: Phase,
    ) -> EngineResult<Vec<Vec<Row>>> {
        self.ensure_usable()?;
        self.in_flight = true;
        let client = &mut self.client;
        let work = async move {
            let stream = if params.is_empty() {
                client.simple_query(sql).await?
            } else {
                client.query(sql, params).await?
            };
            stream.into_results().await
        };
        let outcome = tokio::time::timeout(timeout, work).await;
        self.in_flight = false;
        match outcome {
            Ok(Ok(results)) => Ok(results),
            Ok(Err(error)) => Err(self.fail(error)),
            Err(_) => {
                self.broken = true;
                Err(EngineError::Timeout {
                    phase,
                    after: timeout,
                })
            }
        }
    }

    /// The first row of the last result set: wsdb's multi-statement
    /// bookkeeping batches end with the `SELECT` that reports.
    async fn last_row(&mut self, sql: &str, params: &[&dyn ToSql]) -> EngineResult<Row> {
        let timeout = self.statement_timeout;
        let results = self.results(sql, params, timeout, Phase::Statement).await?;
        results
            .into_iter()
            .rev()
            .find(|set| !set.is_empty())
            .and_then(|set| set.into_iter().next())
            .ok_or_else(|| EngineError::Protocol {
                message: format!("expected a row from `{}`", first_words(sql)),
            })
    }

    /// A bookkeeping statement that may change the session (a transaction,
    /// a history write): the next return to the pool resets it.
    async fn statement(&mut self, sql: &str, params: &[&dyn ToSql]) -> EngineResult<()> {
        self.pristine = false;
        let timeout = self.statement_timeout;
        self.results(sql, params, timeout, Phase::Statement)
            .await
            .map(drop)
    }

    /// `DB_NAME()` is the target's database and no transaction is open.
    async fn check_state(&mut self) -> EngineResult<()> {
        let row = self.last_row(sql::SESSION_STATE, &[]).await?;
        self.verify_state(&row)?;
        self.pristine = true;
        Ok(())
    }

    fn verify_state(&mut self, row: &Row) -> EngineResult<()> {
        let found = rows::text(row, "db")?.unwrap_or_default();
        // Database names compare under the server's collation, which is
        // case-insensitive unless someone chose otherwise; a case-sensitive
        // server would have refused the login for a wrong-case name.
        if found.to_lowercase() != self.database.to_lowercase() {
            self.broken = true;
            return Err(EngineError::WrongDatabase {
                expected: self.database.clone(),
                found: found.to_owned(),
            });
        }
        let trancount = rows::integer(row, "trancount")?.unwrap_or(0);
        if trancount != 0 {
            self.broken = true;
            return Err(EngineError::Protocol {
                message: format!(
                    "a transaction is still open after rollback (@@TRANCOUNT = {trancount})"
                ),
            });
        }
        Ok(())
    }
}

/// The first row of a history read's first result set (the table's `id`).
fn first_row(results: &[Vec<Row>]) -> EngineResult<&Row> {
    results
        .first()
        .and_then(|set| set.first())
        .ok_or_else(|| EngineError::Protocol {
            message: "expected a row from the history read".to_owned(),
        })
}

/// A history read's answer: `None` when the first row's `id` says the table
/// does not exist, else the rows of the second result set.
fn history_from(results: &[Vec<Row>]) -> EngineResult<Option<Vec<AppliedMigration>>> {
    if rows::integer(first_row(results)?, "id")?.is_none() {
        return Ok(None);
    }
    results
        .iter()
        .skip(1)
        .flatten()
        .map(rows::history_row)
        .collect::<EngineResult<Vec<_>>>()
        .map(Some)
}

fn first_words(sql: &str) -> String {
    sql.split_whitespace().take(4).collect::<Vec<_>>().join(" ")
}

impl Session for MssqlSession {
    fn database(&self) -> &str {
        &self.database
    }

    fn is_broken(&self) -> bool {
        self.broken || self.in_flight
    }

    fn is_reusable(&self) -> bool {
        !self.is_broken() && !self.tainted
    }

    async fn ping(&mut self, timeout: Duration) -> EngineResult<()> {
        self.results(sql::PING, &[], timeout, Phase::HealthCheck)
            .await
            .map(drop)
    }

    async fn reset(&mut self) -> EngineResult<()> {
        if self.pristine && !self.holds_lock {
            return Ok(());
        }
        let row = self.last_row(sql::RESET, &[]).await?;
        if self.holds_lock {
            self.release_lock().await?;
        }
        self.verify_state(&row)?;
        self.pristine = true;
        Ok(())
    }

    async fn server_info(&mut self) -> EngineResult<ServerInfo> {
        let row = self.last_row(sql::SERVER_INFO, &[]).await?;
        let banner = rows::text(&row, "banner")?.unwrap_or_default();
        Ok(ServerInfo {
            product_version: rows::text(&row, "product_version")?
                .unwrap_or_default()
                .to_owned(),
            banner: banner.lines().next().unwrap_or_default().trim().to_owned(),
            database: rows::text(&row, "db")?.unwrap_or_default().to_owned(),
            tls: self.tls,
        })
    }

    async fn permissions(&mut self) -> EngineResult<Permissions> {
        let row = self.last_row(sql::PERMISSIONS, &[]).await?;
        Ok(Permissions {
            create_table: rows::flag(&row, "can_create")?.unwrap_or(false),
            alter: rows::flag(&row, "can_alter")?.unwrap_or(false),
        })
    }

    async fn read_history(&mut self) -> EngineResult<Option<Vec<AppliedMigration>>> {
        let timeout = self.statement_timeout;
        let results = self
            .results(sql::READ_HISTORY, &[], timeout, Phase::Statement)
            .await?;
        history_from(&results)
    }

    async fn status_snapshot(
        &mut self,
    ) -> EngineResult<(LockState, Option<Vec<AppliedMigration>>)> {
        let resource = sql::LOCK_RESOURCE;
        let timeout = self.statement_timeout;
        let results = self
            .results(sql::STATUS, &[&resource], timeout, Phase::Statement)
            .await?;
        let history = history_from(&results)?;
        let free = rows::flag(first_row(&results)?, "free")?.unwrap_or(false);
        let lock = if free {
            LockState::Free
        } else {
            LockState::Held {
                holder: self.lock_holder().await?,
            }
        };
        Ok((lock, history))
    }

    async fn create_history_table(&mut self) -> EngineResult<()> {
        self.statement(sql::CREATE_HISTORY, &[]).await
    }

    async fn acquire_lock(&mut self, timeout: Duration) -> EngineResult<LockOutcome> {
        self.take_lock(timeout).await
    }

    async fn release_lock(&mut self) -> EngineResult<()> {
        self.give_back_lock().await
    }

    async fn lock_state(&mut self) -> EngineResult<LockState> {
        self.observe_lock().await
    }

    async fn begin(&mut self) -> EngineResult<()> {
        self.statement(sql::BEGIN, &[]).await
    }

    async fn commit(&mut self) -> EngineResult<()> {
        self.statement(sql::COMMIT, &[]).await
    }

    async fn rollback(&mut self) -> EngineResult<()> {
        self.statement(sql::ROLLBACK, &[]).await
    }

    async fn run_batch(&mut self, sql: &str, timeout: Duration) -> EngineResult<()> {
        self.ensure_usable()?;
        self.tainted = true;
        self.pristine = false;
        self.in_flight = true;
        let client = &mut self.client;
        // Rows a batch returns are read and dropped, never buffered; the
        // first error is surfaced once the whole response is drained.
        let work = async move {
            let mut stream = client.simple_query(sql).await?;
            while stream.try_next().await?.is_some() {}
            Ok::<(), TdsError>(())
        };
        let outcome = tokio::time::timeout(timeout, work).await;
        self.in_flight = false;
        match outcome {
            Ok(Ok(())) => Ok(()),
            Ok(Err(error)) => Err(self.fail(error)),
            Err(_) => {
                self.broken = true;
                Err(EngineError::Timeout {
                    phase: Phase::Statement,
                    after: timeout,
                })
            }
        }
    }

    async fn insert_history(&mut self, row: &NewHistoryRow) -> EngineResult<()> {
        let version = row.version.as_i64();
        let checksum = row.checksum.to_hex();
        let duration = i64::try_from(row.duration_ms).unwrap_or(i64::MAX);
        let params: [&dyn ToSql; 7] = [
            &version,
            &row.name,
            &checksum,
            &duration,
            &row.applied_by,
            &row.wsdb_version,
            &row.success,
        ];
        self.statement(sql::INSERT_HISTORY, &params).await
    }

    async fn delete_history(&mut self, version: Version) -> EngineResult<()> {
        let version = version.as_i64();
        self.statement(sql::DELETE_HISTORY, &[&version]).await
    }

    async fn update_history(
        &mut self,
        version: Version,
        name: &str,
        checksum: Checksum,
    ) -> EngineResult<()> {
        let checksum = checksum.to_hex();
        let version = version.as_i64();
        self.statement(sql::UPDATE_HISTORY, &[&checksum, &name, &version])
            .await
    }

    async fn close(self) {
        if self.is_broken() {
            // Nothing polite can be said on a desynchronised stream.
            return;
        }
        match tokio::time::timeout(CLOSE_TIMEOUT, self.client.close()).await {
            Ok(Ok(())) => {}
            Ok(Err(error)) => {
                tracing::debug!(server = %self.server, %error, "closing the connection")
            }
            Err(_) => tracing::debug!(server = %self.server, "closing the connection timed out"),
        }
    }
}
