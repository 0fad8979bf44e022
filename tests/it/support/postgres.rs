//! A uniquely named PostgreSQL database per test, on the local server
//! (`postgres://postgres@127.0.0.1:5432/postgres`, trust auth) or wherever
//! `WSDB_TEST_PG_URL` points.
//!
//! The database is dropped when the [`TestDb`] is dropped, unless the test
//! is panicking: a failed test leaves its database behind as evidence, and
//! says which one on stderr. Before that, the ledger wsdb wrote there is
//! checked for the secret canary ([`super::ledger_canary`]): a leak fails
//! the test and keeps the database. Not here: anything wsdb-specific beyond
//! handing out a connected [`ControlDb`].

use std::sync::atomic::{AtomicU32, Ordering};

use sqlx::{AssertSqlSafe, Connection, Executor, PgConnection};
use wsdb::config::Secret;
use wsdb::control::{ControlDb, ControlOptions};

use super::ledger_canary;

const DEFAULT_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";

/// A database that exists for one test.
pub struct TestDb {
    name: String,
    admin_url: url::Url,
    url: url::Url,
}

impl TestDb {
    /// Creates a fresh, empty database. Panics (failing the test) when the
    /// server cannot be reached: these tests need a real PostgreSQL.
    pub async fn create() -> TestDb {
        static COUNTER: AtomicU32 = AtomicU32::new(0);
        let base = std::env::var("WSDB_TEST_PG_URL").unwrap_or_else(|_| DEFAULT_URL.to_owned());
        let admin_url = url::Url::parse(&base).expect("WSDB_TEST_PG_URL is a URL");
        // Pid, counter and randomness: unique across parallel tests and test
        // processes, and only [a-z0-9_], so it is safe to splice into DDL.
        let name = format!(
            "wsdb_test_{}_{}_{:08x}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed),
            rand::random::<u32>()
        );
        let mut admin = PgConnection::connect(admin_url.as_str())
            .await
            .unwrap_or_else(|e| panic!("cannot reach the test PostgreSQL: {e}"));
        admin
            .execute(AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .await
            .expect("create test database");
        let _ = admin.close().await;
        let mut url = admin_url.clone();
        url.set_path(&name);
        TestDb {
            name,
            admin_url,
            url,
        }
    }

    /// The database's URL, as a `control_url` would hold it.
    pub fn url(&self) -> Secret<String> {
        Secret::new(self.url.to_string())
    }

    /// wsdb's handle on this database, with default options.
    pub async fn control(&self) -> ControlDb {
        ControlDb::connect(&self.url(), &ControlOptions::default())
            .await
            .expect("connect to the test database")
    }

    /// A plain connection, for setting up tables and for test-only updates
    /// (e.g. moving a lease into the past).
    pub async fn connection(&self) -> PgConnection {
        PgConnection::connect(self.url.as_str())
            .await
            .expect("connect to the test database")
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if std::thread::panicking() {
            eprintln!("test failed: kept database `{}` for inspection", self.name);
            return;
        }
        let url = self.url.to_string();
        let admin_url = self.admin_url.to_string();
        let statement = format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name);
        // Drop runs inside the test's runtime, which cannot be blocked on;
        // a short-lived thread with its own runtime does the cleanup.
        type Failure = Box<dyn std::error::Error + Send + Sync>;
        let dropped = std::thread::spawn(move || -> Result<Vec<(String, i64)>, Failure> {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?;
            let leaks = runtime.block_on(async {
                let mut db = PgConnection::connect(&url).await?;
                let leaks =
                    ledger_canary::tables_holding(&mut db, &ledger_canary::suite_secrets()).await?;
                db.close().await?;
                if !leaks.is_empty() {
                    return Ok(leaks);
                }
                let mut admin = PgConnection::connect(&admin_url).await?;
                admin.execute(AssertSqlSafe(statement)).await?;
                admin.close().await?;
                Ok::<_, sqlx::Error>(leaks)
            })?;
            Ok(leaks)
        })
        .join();
        match dropped {
            Ok(Ok(leaks)) if leaks.is_empty() => {}
            Ok(Ok(leaks)) => panic!(
                "a test password is in the ledger of `{}` (table, rows): {leaks:?}; \
                 the database is kept for inspection",
                self.name
            ),
            _ => eprintln!("could not drop test database `{}`", self.name),
        }
    }
}
