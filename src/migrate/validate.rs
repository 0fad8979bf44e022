//! Schema-version validation: does a workspace's history agree with the
//! migration set? Finds applied versions the set does not know (the database
//! is ahead of the code), checksum or name drift of applied files, failed
//! rows left by a `no-transaction` migration, and what is pending.
//!
//! [`validate`] is pure. [`verify_schema`] is the read-only library entry
//! point an application calls at startup; it reads the history through a
//! [`Session`] and never writes. Deciding what a command does about a
//! problem (refuse, repair, report) is the executor's job, not this module's.

use std::collections::BTreeMap;
use std::fmt;

use serde::Serialize;

use super::{AppliedMigration, Checksum, MigrationSet, Version};
use crate::engine::{EngineError, Session};

/// An applied migration whose file no longer matches its history row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Drift {
    pub version: Version,
    /// The name in the file name today.
    pub file_name: String,
    /// The name the history row recorded.
    pub applied_name: String,
    pub file_checksum: Checksum,
    pub applied_checksum: Checksum,
}

impl Drift {
    pub fn checksum_changed(&self) -> bool {
        self.file_checksum != self.applied_checksum
    }

    pub fn renamed(&self) -> bool {
        self.file_name != self.applied_name
    }
}

impl fmt::Display for Drift {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} `{}`", self.version, self.file_name)?;
        if self.checksum_changed() {
            write!(
                f,
                " (checksum: expected {} as applied, found {} in the file)",
                short(&self.applied_checksum),
                short(&self.file_checksum)
            )?;
        }
        if self.renamed() {
            write!(f, " (renamed from `{}`)", self.applied_name)?;
        }
        Ok(())
    }
}

/// How a workspace's history compares with the migration set.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Validation {
    /// The highest successfully applied version.
    pub current: Option<Version>,
    /// The set's latest version.
    pub latest: Option<Version>,
    /// Successfully applied migrations.
    pub applied: usize,
    /// Versions in the set with no history row, in order.
    pub pending: Vec<Version>,
    /// Applied versions the set does not know: the database is ahead of the code.
    pub unknown: Vec<Version>,
    pub drifted: Vec<Drift>,
    /// Rows with `success = 0`: a `no-transaction` migration failed part-way.
    pub failed: Vec<Version>,
}

impl Validation {
    /// No unknown versions, drift or failed rows (pending ones are fine).
    pub fn is_clean(&self) -> bool {
        self.problem().is_none()
    }

    /// What blocks a changing command, if anything.
    pub fn problem(&self) -> Option<ValidationProblem> {
        let problem = ValidationProblem {
            unknown: self.unknown.clone(),
            drifted: self.drifted.clone(),
            failed: self.failed.clone(),
        };
        (!problem.unknown.is_empty() || !problem.drifted.is_empty() || !problem.failed.is_empty())
            .then_some(problem)
    }

    /// Exactly at the set's latest version, nothing off.
    pub fn is_up_to_date(&self) -> bool {
        self.is_clean() && self.pending.is_empty()
    }
}

/// The parts of a [`Validation`] that make changing commands refuse.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ValidationProblem {
    pub unknown: Vec<Version>,
    pub drifted: Vec<Drift>,
    pub failed: Vec<Version>,
}

impl fmt::Display for ValidationProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts = Vec::new();
        let mut hints = Vec::new();
        if !self.unknown.is_empty() {
            parts.push(format!(
                "applied version(s) {} unknown to the migration set (the database is ahead of the code)",
                join(&self.unknown)
            ));
            hints.push("run a release that has these migrations");
        }
        if !self.drifted.is_empty() {
            parts.push(format!("checksum drift in {}", join(&self.drifted)));
            hints.push(
                "restore the applied file(s) from version control, or accept the edit with `wsdb repair`",
            );
        }
        if !self.failed.is_empty() {
            parts.push(format!(
                "migration(s) {} failed part-way outside a transaction",
                join(&self.failed)
            ));
            hints.push("finish or undo them by hand, then run `wsdb repair`");
        }
        write!(f, "schema validation failed: {}", parts.join("; "))?;
        write!(f, "\nhint: {}", hints.join("; "))
    }
}

/// Compares history rows with the migration set.
pub fn validate(set: &MigrationSet, applied: &[AppliedMigration]) -> Validation {
    let rows: BTreeMap<Version, &AppliedMigration> =
        applied.iter().map(|row| (row.version, row)).collect();
    let mut validation = Validation {
        latest: set.latest(),
        ..Validation::default()
    };
    for row in rows.values() {
        if !row.success {
            validation.failed.push(row.version);
            continue;
        }
        validation.applied += 1;
        validation.current = Some(row.version);
        match set.get(row.version) {
            None => validation.unknown.push(row.version),
            Some(migration) => {
                if migration.up.checksum != row.checksum || migration.name != row.name {
                    validation.drifted.push(Drift {
                        version: row.version,
                        file_name: migration.name.clone(),
                        applied_name: row.name.clone(),
                        file_checksum: migration.up.checksum,
                        applied_checksum: row.checksum,
                    });
                }
            }
        }
    }
    validation.pending = set
        .migrations
        .iter()
        .map(|m| m.version)
        .filter(|version| !rows.contains_key(version))
        .collect();
    validation
}

/// The schema version a database was verified to be at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct SchemaVersion {
    /// The latest version of the set (`None` only for an empty set).
    pub version: Option<Version>,
    /// How many migrations the history holds.
    pub migrations: usize,
}

/// One way a database differs from the version an application expects.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "versions", rename_all = "snake_case")]
pub enum SchemaProblem {
    /// No `dbo.wsdb_history` table: wsdb never migrated this database.
    NoHistory,
    Pending(Vec<Version>),
    Unknown(Vec<Version>),
    Drift(Vec<Drift>),
    Failed(Vec<Version>),
}

impl fmt::Display for SchemaProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SchemaProblem::NoHistory => f.write_str("no `dbo.wsdb_history` table"),
            SchemaProblem::Pending(v) => write!(f, "pending migration(s) {}", join(v)),
            SchemaProblem::Unknown(v) => write!(f, "unknown applied version(s) {}", join(v)),
            SchemaProblem::Drift(d) => write!(f, "checksum drift in {}", join(d)),
            SchemaProblem::Failed(v) => write!(f, "failed migration(s) {}", join(v)),
        }
    }
}

/// Why [`verify_schema`] did not confirm the expected version.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SchemaError {
    #[error("cannot read the schema version of database `{database}`: {source}")]
    Engine {
        database: String,
        #[source]
        source: EngineError,
    },
    #[error(
        "database `{database}` is not at schema version {}: {}\nhint: {}",
        version_or_none(*expected),
        join(problems),
        schema_hint(problems)
    )]
    Mismatch {
        database: String,
        expected: Option<Version>,
        current: Option<Version>,
        problems: Vec<SchemaProblem>,
    },
}

/// Checks, read-only, that the session's database is exactly at the set's
/// latest version: every migration applied successfully, none unknown, no
/// drift. An application calls this at startup with the migration set it
/// embeds, and refuses to serve a database its code does not match.
pub async fn verify_schema<S: Session>(
    session: &mut S,
    set: &MigrationSet,
) -> Result<SchemaVersion, SchemaError> {
    let database = session.database().to_owned();
    let rows = match session.read_history().await {
        Ok(rows) => rows,
        Err(source) => return Err(SchemaError::Engine { database, source }),
    };
    let Some(rows) = rows else {
        if set.migrations.is_empty() {
            return Ok(SchemaVersion {
                version: None,
                migrations: 0,
            });
        }
        return Err(SchemaError::Mismatch {
            database,
            expected: set.latest(),
            current: None,
            problems: vec![SchemaProblem::NoHistory],
        });
    };
    let validation = validate(set, &rows);
    let problems = schema_problems(&validation);
    if problems.is_empty() {
        Ok(SchemaVersion {
            version: set.latest(),
            migrations: rows.len(),
        })
    } else {
        Err(SchemaError::Mismatch {
            database,
            expected: set.latest(),
            current: validation.current,
            problems,
        })
    }
}

fn schema_problems(validation: &Validation) -> Vec<SchemaProblem> {
    let mut problems = Vec::new();
    if !validation.unknown.is_empty() {
        problems.push(SchemaProblem::Unknown(validation.unknown.clone()));
    }
    if !validation.drifted.is_empty() {
        problems.push(SchemaProblem::Drift(validation.drifted.clone()));
    }
    if !validation.failed.is_empty() {
        problems.push(SchemaProblem::Failed(validation.failed.clone()));
    }
    if !validation.pending.is_empty() {
        problems.push(SchemaProblem::Pending(validation.pending.clone()));
    }
    problems
}

fn schema_hint(problems: &[SchemaProblem]) -> &'static str {
    let only_behind = problems
        .iter()
        .all(|p| matches!(p, SchemaProblem::NoHistory | SchemaProblem::Pending(_)));
    if only_behind {
        "run `wsdb migrate` for this workspace before starting the application"
    } else {
        "run `wsdb verify` for this workspace to see what differs"
    }
}

fn join<T: fmt::Display>(items: &[T]) -> String {
    items
        .iter()
        .map(T::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

fn version_or_none(version: Option<Version>) -> String {
    version.map_or_else(|| "none".to_owned(), |v| v.to_string())
}

/// The first 12 hex digits: enough to tell two checksums apart in a message.
fn short(checksum: &Checksum) -> String {
    checksum.to_hex()[..12].to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::migrate::test_data::{applied, failed_row, set_with, v};

    fn versions(list: &[Version]) -> Vec<u64> {
        list.iter().map(|v| v.get()).collect()
    }

    /// Applied versions, pending, unknown, current, clean.
    struct Case(
        &'static [u64],
        &'static [u64],
        &'static [u64],
        Option<u64>,
        bool,
    );

    #[test]
    fn validate_table() {
        let set = set_with(&[1, 2, 3], &[]);
        let cases = [
            Case(&[], &[1, 2, 3], &[], None, true),
            Case(&[1], &[2, 3], &[], Some(1), true),
            Case(&[1, 2, 3], &[], &[], Some(3), true),
            Case(&[1, 2, 3, 4, 5], &[], &[4, 5], Some(5), false),
        ];
        let wider = set_with(&[1, 2, 3, 4, 5], &[]);
        for Case(done, pending, unknown, current, clean) in cases {
            let rows = applied(&wider, done);
            let validation = validate(&set, &rows);
            assert_eq!(versions(&validation.pending), pending, "applied {done:?}");
            assert_eq!(versions(&validation.unknown), unknown, "applied {done:?}");
            assert_eq!(validation.current, current.map(v), "applied {done:?}");
            assert_eq!(validation.is_clean(), clean, "applied {done:?}");
            assert_eq!(validation.latest, Some(v(3)));
        }
    }

    #[test]
    fn drift_names_the_version_and_both_checksums() {
        let set = set_with(&[1, 2], &[]);
        let mut rows = applied(&set, &[1, 2]);
        rows[1].checksum = Checksum::of_normalized(b"the file as it was applied");
        let validation = validate(&set, &rows);
        assert_eq!(validation.drifted.len(), 1);
        let drift = &validation.drifted[0];
        assert_eq!(drift.version, v(2));
        assert!(drift.checksum_changed() && !drift.renamed());
        assert_eq!(drift.applied_checksum, rows[1].checksum);
        assert_eq!(drift.file_checksum, set.migrations[1].up.checksum);
        let message = validation
            .problem()
            .expect("drift is a problem")
            .to_string();
        assert!(
            message.starts_with("schema validation failed: checksum drift in 2 `m2`"),
            "{message}"
        );
        assert!(message.contains("\nhint: "), "{message}");
    }

    #[test]
    fn a_renamed_file_is_drift() {
        let set = set_with(&[1], &[]);
        let mut rows = applied(&set, &[1]);
        rows[0].name = "old_name".to_owned();
        let drift = &validate(&set, &rows).drifted[0];
        assert!(drift.renamed() && !drift.checksum_changed());
        assert!(drift.to_string().contains("renamed from `old_name`"));
    }

    #[test]
    fn failed_rows_are_neither_applied_nor_pending() {
        let set = set_with(&[1, 2], &[]);
        let mut rows = applied(&set, &[1]);
        rows.push(failed_row(&set, 2));
        let validation = validate(&set, &rows);
        assert_eq!(versions(&validation.failed), vec![2]);
        assert!(validation.pending.is_empty());
        assert_eq!(validation.current, Some(v(1)));
        assert_eq!(validation.applied, 1);
        assert!(!validation.is_clean());
    }

    #[test]
    fn schema_problems_list_everything_that_differs() {
        let set = set_with(&[1, 2, 3], &[]);
        let mut rows = applied(&set_with(&[1, 2, 9], &[]), &[1, 9]);
        rows[0].checksum = Checksum::of_normalized(b"edited");
        let problems = schema_problems(&validate(&set, &rows));
        let kinds: Vec<String> = problems.iter().map(ToString::to_string).collect();
        assert_eq!(kinds.len(), 3, "{kinds:?}");
        assert_eq!(kinds[0], "unknown applied version(s) 9");
        assert!(
            kinds[1].starts_with("checksum drift in 1 `m1`"),
            "{kinds:?}"
        );
        assert_eq!(kinds[2], "pending migration(s) 2, 3");
    }
}
