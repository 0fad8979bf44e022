//! wsdb's own schema `wsdb` in the control database: its embedded
//! migrations (the top-level `migrations/` folder), `wsdb control init`, the
//! apply-on-first-use of ledger writes, and the check that a schema newer
//! than this binary is refused.
//!
//! Bookkeeping lives in `wsdb.schema_migrations` (sqlx's table format), not
//! in sqlx's default `public._sqlx_migrations`: the control database belongs
//! to the product, which may run sqlx migrations of its own there.
//!
//! Migrations run on a dedicated connection, never one of the control pool:
//! sqlx's migrator releases its advisory lock only on success, and a pooled
//! connection still holding it would block every later attempt. Closing the
//! dedicated connection releases the lock on every path.
//!
//! Not here: what the tables mean (see `ledger` and `queue`).

use serde::Serialize;
use std::time::Duration;

use sqlx::migrate::{MigrateError, Migrator};
use sqlx::postgres::PgPoolOptions;

use super::{ControlDb, ControlError};

/// Bound on getting the migration connection.
const MIGRATION_CONNECT_TIMEOUT: Duration = Duration::from_secs(30);

/// Where `wsdb.schema_migrations` lives; see the module docs for why.
const MIGRATIONS_TABLE: &str = "wsdb.schema_migrations";

fn migrator() -> Migrator {
    let mut migrator = sqlx::migrate!("./migrations");
    migrator.dangerous_set_table_name(MIGRATIONS_TABLE);
    migrator.create_schema("wsdb");
    migrator
}

/// The versions this binary knows, ascending.
fn known_versions() -> Vec<i64> {
    let mut versions: Vec<i64> = migrator()
        .iter()
        .filter(|m| !m.migration_type.is_down_migration())
        .map(|m| m.version)
        .collect();
    versions.sort_unstable();
    versions
}

/// The latest schema version this binary knows.
pub fn latest_version() -> i64 {
    known_versions().last().copied().unwrap_or(0)
}

/// How the control database's `wsdb` schema compares with this binary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum SchemaState {
    /// Never initialised.
    Missing,
    /// Older than this binary: `init` (or a ledger write) upgrades it.
    Behind {
        found: i64,
        latest: i64,
    },
    Current {
        version: i64,
    },
    /// Written by a newer wsdb: this binary must not touch it.
    Ahead {
        found: i64,
        latest: i64,
    },
}

/// What `wsdb control init` did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InitReport {
    /// Versions applied by this call (empty when already current).
    pub applied: Vec<i64>,
    /// The schema version now in place.
    pub version: i64,
}

impl ControlDb {
    /// The state of wsdb's schema; reads only.
    pub async fn schema_state(&self) -> Result<SchemaState, ControlError> {
        let exists: bool = sqlx::query_scalar("SELECT to_regclass($1) IS NOT NULL")
            .bind(MIGRATIONS_TABLE)
            .fetch_one(self.pool())
            .await
            .map_err(|e| self.fail("read schema version", e))?;
        if !exists {
            return Ok(SchemaState::Missing);
        }
        let applied: Vec<(i64, bool)> =
            sqlx::query_as("SELECT version, success FROM wsdb.schema_migrations ORDER BY version")
                .fetch_all(self.pool())
                .await
                .map_err(|e| self.fail("read schema version", e))?;
        if let Some((version, _)) = applied.iter().find(|(_, success)| !success) {
            return Err(ControlError::SchemaDirty { version: *version });
        }
        let applied: Vec<i64> = applied.into_iter().map(|(version, _)| version).collect();
        Ok(compare(&applied, &known_versions()))
    }

    /// `wsdb control init`: creates or upgrades the schema. Idempotent, safe
    /// to run from several processes at once (the migrator serialises them).
    pub async fn init(&self) -> Result<InitReport, ControlError> {
        let before = self.schema_state().await?;
        if let SchemaState::Ahead { found, latest } = before {
            return Err(ControlError::SchemaTooNew { found, latest });
        }
        let applied_before = match before {
            SchemaState::Missing => 0,
            SchemaState::Behind { found, .. } => found,
            SchemaState::Current { version } => version,
            SchemaState::Ahead { found, .. } => found,
        };
        if !matches!(before, SchemaState::Current { .. }) {
            self.run_migrations().await?;
        }
        self.mark_schema_ready();
        let applied = known_versions()
            .into_iter()
            .filter(|version| *version > applied_before)
            .collect();
        Ok(InitReport {
            applied,
            version: latest_version(),
        })
    }

    /// Makes sure the schema is current before a ledger write: applies
    /// missing migrations on first use, refuses a schema from a newer wsdb.
    /// Costs one check per process.
    pub async fn ensure_schema(&self) -> Result<(), ControlError> {
        self.schema_ready
            .get_or_try_init(|| async {
                match self.schema_state().await? {
                    SchemaState::Current { .. } => Ok(()),
                    SchemaState::Ahead { found, latest } => {
                        Err(ControlError::SchemaTooNew { found, latest })
                    }
                    SchemaState::Missing | SchemaState::Behind { .. } => {
                        self.run_migrations().await
                    }
                }
            })
            .await
            .map(|_| ())
    }

    /// Makes sure the schema is current before a ledger read, without ever
    /// writing: reading commands must not create anything.
    pub async fn require_schema(&self) -> Result<(), ControlError> {
        self.schema_ready
            .get_or_try_init(|| async {
                match self.schema_state().await? {
                    SchemaState::Current { .. } => Ok(()),
                    SchemaState::Missing => Err(ControlError::SchemaMissing),
                    SchemaState::Behind { found, latest } => {
                        Err(ControlError::SchemaBehind { found, latest })
                    }
                    SchemaState::Ahead { found, latest } => {
                        Err(ControlError::SchemaTooNew { found, latest })
                    }
                }
            })
            .await
            .map(|_| ())
    }

    fn mark_schema_ready(&self) {
        // Already set means another task got there first; same fact.
        let _ = self.schema_ready.set(());
    }

    async fn run_migrations(&self) -> Result<(), ControlError> {
        // A pool of one connection of its own, closed on every path: closing
        // ends the session and with it the migrator's advisory lock, which
        // sqlx leaves held when a migration fails.
        let pool = PgPoolOptions::new()
            .max_connections(1)
            .min_connections(0)
            .acquire_timeout(MIGRATION_CONNECT_TIMEOUT)
            .connect_lazy_with(self.connect_options().clone());
        let result = migrator().run(&pool).await;
        pool.close().await;
        result.map_err(|error| self.migrate_error(error))
    }

    fn migrate_error(&self, error: MigrateError) -> ControlError {
        match error {
            MigrateError::VersionMissing(found) => ControlError::SchemaTooNew {
                found,
                latest: latest_version(),
            },
            MigrateError::Dirty(version) => ControlError::SchemaDirty { version },
            MigrateError::Execute(error) => self.fail("apply schema", error),
            other => ControlError::SchemaMigration {
                cause: self.redactor().clean(&other.to_string()),
            },
        }
    }
}

/// Compares the applied versions with the known ones (both ascending).
fn compare(applied: &[i64], known: &[i64]) -> SchemaState {
    let latest = known.last().copied().unwrap_or(0);
    let Some(found) = applied.last().copied() else {
        return SchemaState::Missing;
    };
    if applied.iter().any(|version| !known.contains(version)) {
        return SchemaState::Ahead { found, latest };
    }
    if known.iter().all(|version| applied.contains(version)) {
        SchemaState::Current { version: found }
    } else {
        SchemaState::Behind { found, latest }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compare_table() {
        let cases: [(&[i64], &[i64], SchemaState); 6] = [
            (&[], &[1, 2], SchemaState::Missing),
            (
                &[1],
                &[1, 2],
                SchemaState::Behind {
                    found: 1,
                    latest: 2,
                },
            ),
            (&[1, 2], &[1, 2], SchemaState::Current { version: 2 }),
            (
                &[1, 2, 3],
                &[1, 2],
                SchemaState::Ahead {
                    found: 3,
                    latest: 2,
                },
            ),
            // A gap (2 never applied) is still behind, not current.
            (
                &[1, 3],
                &[1, 2, 3],
                SchemaState::Behind {
                    found: 3,
                    latest: 3,
                },
            ),
            // An unknown version in the middle means a newer wsdb was here.
            (
                &[1, 5],
                &[1, 2],
                SchemaState::Ahead {
                    found: 5,
                    latest: 2,
                },
            ),
        ];
        for (applied, known, expected) in cases {
            assert_eq!(
                compare(applied, known),
                expected,
                "{applied:?} vs {known:?}"
            );
        }
    }

    #[test]
    fn the_embedded_migrations_are_found() {
        let versions = known_versions();
        assert_eq!(versions.first(), Some(&1));
        assert_eq!(latest_version(), *versions.last().unwrap_or(&0));
    }
}
