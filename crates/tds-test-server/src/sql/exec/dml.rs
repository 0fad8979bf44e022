//! Running INSERT, UPDATE, DELETE and TRUNCATE TABLE. Each is one SQLite
//! statement, atomic on its own: a constraint violation leaves none of its
//! rows behind, as SQL Server's statement rollback does. After an INSERT
//! into a table with an identity column, the generated value becomes
//! SCOPE_IDENTITY().

use super::super::ast::{Delete, Insert, ObjectName, Update};
use super::super::metadata;
use super::super::translate::{DmlSql, Translated, Translator};
use super::super::{SqlError, errors, storage};
use super::sqlite_errors::{ErrorContext, map_sqlite_error};
use super::{Batch, Failure};

impl Batch<'_> {
    pub(super) fn insert(&mut self, insert: &Insert) -> Result<Option<u64>, Failure> {
        let identity_insert = self.session.options.identity_insert;
        let (translated, dml) = {
            let env = self.env()?;
            let mut translator = Translator::new(&env);
            let table = translator.table(&insert.table)?;
            let allowed = matches!((identity_insert, &table), (Some((db, id)), Some(t)) if db == self.session.database_id() && id == t.object_id);
            let dml = translator.insert(insert, allowed)?;
            (translator.finish(dml.sql.clone())?, dml)
        };
        let count = self.change(&translated, &dml, "INSERT")?;
        if dml.table.identity_column().is_some() {
            let conn = self.session.connection()?;
            let last: Option<i64> = conn
                .query_row("SELECT identity_last FROM __tds_columns WHERE object_id = ?1 AND identity_seed IS NOT NULL", [dml.table.object_id], |r| r.get(0))
                .map_err(|e| storage::sqlite_error(&e))?;
            if count > 0 {
                self.session.last_identity = last;
            }
        }
        Ok(Some(count))
    }

    pub(super) fn update(&mut self, update: &Update) -> Result<Option<u64>, Failure> {
        let (translated, dml) = {
            let env = self.env()?;
            let mut translator = Translator::new(&env);
            let dml = translator.update(update)?;
            (translator.finish(dml.sql.clone())?, dml)
        };
        Ok(Some(self.change(&translated, &dml, "UPDATE")?))
    }

    pub(super) fn delete(&mut self, delete: &Delete) -> Result<Option<u64>, Failure> {
        let (translated, dml) = {
            let env = self.env()?;
            let mut translator = Translator::new(&env);
            let dml = translator.delete(delete)?;
            (translator.finish(dml.sql.clone())?, dml)
        };
        Ok(Some(self.change(&translated, &dml, "DELETE")?))
    }

    /// TRUNCATE TABLE: removes every row and resets the identity seed;
    /// refused (4712) while a foreign key references the table.
    pub(super) fn truncate(&mut self, name: &ObjectName) -> Result<Option<u64>, Failure> {
        let conn = self.session.connection()?;
        let table = {
            let env = self.env()?;
            let mut translator = Translator::new(&env);
            translator
                .table(name)?
                .ok_or_else(|| errors::invalid_object(&name.display()))?
        };
        if !metadata::referencing_constraints(conn, table.object_id)?.is_empty() {
            let message = format!(
                "Cannot truncate table '{}' because it is being referenced by a FOREIGN KEY constraint.",
                table.display()
            );
            return Err(SqlError {
                number: 4712,
                state: 1,
                class: 16,
                line: 0,
                message,
            }
            .into());
        }
        let sql = format!(
            "SAVEPOINT tds_truncate; DELETE FROM {}; UPDATE __tds_columns SET identity_last = NULL WHERE object_id = {}; RELEASE tds_truncate;",
            storage::quote(&table.sqlite_name()),
            table.object_id
        );
        if let Err(e) = conn.execute_batch(&sql) {
            let _ = conn.execute_batch("ROLLBACK TO tds_truncate; RELEASE tds_truncate;");
            return Err(storage::sqlite_error(&e).into());
        }
        Ok(None)
    }

    /// Runs a data change and returns the rows it affected.
    fn change(&self, translated: &Translated, dml: &DmlSql, verb: &str) -> Result<u64, SqlError> {
        let conn = self.session.connection()?;
        let context = ErrorContext {
            conn,
            database: self.session.database(),
            verb,
            table: Some(&dml.table),
        };
        let count = conn
            .prepare_cached(&translated.sql)
            .and_then(|mut s| s.execute(rusqlite::params_from_iter(translated.params.iter())))
            .map_err(|e| map_sqlite_error(&e, &context))?;
        Ok(u64::try_from(count).unwrap_or(u64::MAX))
    }
}
