//! The schema statements' entry point (each runs in a savepoint: metadata
//! and SQLite schema change together or not at all, and inside a
//! transaction a ROLLBACK undoes them like SQL Server's transactional DDL)
//! and the simple ones: CREATE/DROP TABLE, CREATE/DROP SCHEMA, and views,
//! procedures and functions kept as text. Indexes are in `indexes`,
//! constraint rules in `constraints`, ALTER TABLE in `alter`.

use rusqlite::Connection;

use super::super::ast::{CreateTable, ModuleKind, ObjectName, StmtKind, TableConstraint};
use super::super::metadata::{self, DBO, TableInfo};
use super::super::storage::{quote, sqlite_error};
use super::super::translate::{Env, Translator};
use super::super::{SqlError, errors};
use super::constraints::{add_constraint, check_columns, new_column, primary_key_columns};
use super::indexes::{create_index, drop_index};
use super::{Batch, foreign_keys, schema};

impl Batch<'_> {
    pub(super) fn ddl(&mut self, kind: &StmtKind) -> Result<(), SqlError> {
        let env = self.env()?;
        atomic(env.conn, || match kind {
            StmtKind::CreateTable(create) => create_table(&env, create),
            StmtKind::AlterTable(alter) => super::alter::alter_table(&env, alter),
            StmtKind::DropTable { names, if_exists } => names
                .iter()
                .try_for_each(|n| drop_table(&env, n, *if_exists)),
            StmtKind::CreateIndex(index) => create_index(&env, index),
            StmtKind::DropIndex { items, if_exists } => items
                .iter()
                .try_for_each(|(t, i)| drop_index(&env, t, i, *if_exists)),
            StmtKind::CreateSchema(name) => create_schema(env.conn, name),
            StmtKind::DropSchema { name, if_exists } => drop_schema(env.conn, name, *if_exists),
            StmtKind::CreateModule {
                kind,
                name,
                replace,
                alter,
                text,
            } => create_module(&env, *kind, name, *replace, *alter, text),
            StmtKind::DropModule {
                kind,
                names,
                if_exists,
            } => names
                .iter()
                .try_for_each(|n| drop_module(&env, *kind, n, *if_exists)),
            other => Err(errors::internal(&format!(
                "statement {other:?} reached the DDL runner"
            ))),
        })
    }
}

/// Runs `work` in a savepoint: all of it happens, or none.
pub(super) fn atomic<T>(
    conn: &Connection,
    work: impl FnOnce() -> Result<T, SqlError>,
) -> Result<T, SqlError> {
    conn.execute_batch("SAVEPOINT tds_statement")
        .map_err(|e| sqlite_error(&e))?;
    match work() {
        Ok(value) => {
            conn.execute_batch("RELEASE tds_statement")
                .map_err(|e| sqlite_error(&e))?;
            Ok(value)
        }
        Err(error) => {
            let _ = conn.execute_batch("ROLLBACK TO tds_statement; RELEASE tds_statement");
            Err(error)
        }
    }
}

/// The schema of a name (default dbo): (schema_id, canonical name).
pub(super) fn resolve_schema(env: &Env<'_>, name: &ObjectName) -> Result<(i64, String), SqlError> {
    if let Some(db) = name.database()
        && !db.eq_ignore_ascii_case(env.session.database())
    {
        return Err(errors::not_supported(&format!(
            "cross-database reference '{}'",
            name.display()
        )));
    }
    let schema = name.schema().unwrap_or(DBO);
    metadata::schema_id(env.conn, schema)?.ok_or_else(|| errors::schema_missing(schema))
}

/// A table that must exist (error 208 otherwise).
pub(super) fn existing_table(env: &Env<'_>, name: &ObjectName) -> Result<TableInfo, SqlError> {
    let mut translator = Translator::new(env);
    translator
        .table(name)?
        .map(|t| (*t).clone())
        .ok_or_else(|| errors::invalid_object(&name.display()))
}

fn create_table(env: &Env<'_>, create: &CreateTable) -> Result<(), SqlError> {
    let conn = env.conn;
    let (schema_id, schema) = resolve_schema(env, &create.name)?;
    let name = create.name.name();
    if name.starts_with('#') {
        return Err(errors::not_supported("temporary tables"));
    }
    check_columns(name, &create.columns, &[])?;
    let object_id = metadata::insert_object(conn, schema_id, name, "U", 0, None)?;
    let mut table = TableInfo {
        object_id,
        schema_id,
        schema,
        name: name.to_string(),
        columns: Vec::new(),
    };
    let mut constraints: Vec<TableConstraint> = create.constraints.clone();
    constraints.extend(
        create
            .columns
            .iter()
            .flat_map(|c| c.constraints.iter().cloned()),
    );
    let key_columns = primary_key_columns(name, &constraints)?;
    for (index, def) in create.columns.iter().enumerate() {
        let column_id = i64::try_from(index + 1).unwrap_or(i64::MAX);
        let column = new_column(
            env,
            &table,
            def,
            column_id,
            key_columns
                .iter()
                .any(|k| k.eq_ignore_ascii_case(&def.name)),
        )?;
        metadata::insert_column(conn, object_id, &column)?;
        table.columns.push(column);
    }
    for constraint in &constraints {
        add_constraint(env, &mut table, constraint)?;
    }
    schema::create_table(conn, env.session.database(), object_id)
}

fn drop_table(env: &Env<'_>, name: &ObjectName, if_exists: bool) -> Result<(), SqlError> {
    let conn = env.conn;
    let mut translator = Translator::new(env);
    let Some(table) = translator.table(name)? else {
        return if if_exists {
            Ok(())
        } else {
            Err(errors::cannot_drop("table", &name.display()))
        };
    };
    if !metadata::referencing_constraints(conn, table.object_id)?.is_empty() {
        return Err(errors::referenced_by_foreign_key(&table.display()));
    }
    let parents = foreign_keys::parents(conn, table.object_id)?;
    conn.execute_batch(&format!(
        "DROP TABLE {}; DELETE FROM __tds_constraints WHERE table_id = {id}; DELETE FROM __tds_columns WHERE object_id = {id}; \
         DELETE FROM __tds_objects WHERE object_id = {id} OR parent_object_id = {id};",
        quote(&table.sqlite_name()),
        id = table.object_id
    ))
    .map_err(|e| sqlite_error(&e))?;
    // Their triggers still look for the dropped table's rows.
    for parent in parents {
        foreign_keys::refresh(conn, env.session.database(), parent)?;
    }
    Ok(())
}

fn create_schema(conn: &Connection, name: &str) -> Result<(), SqlError> {
    if metadata::schema_id(conn, name)?.is_some() {
        return Err(errors::object_exists(name));
    }
    conn.execute("INSERT INTO __tds_schemas (schema_id, name) SELECT max(5, COALESCE(MAX(schema_id), 4) + 1), ?1 FROM __tds_schemas", [name])
        .map(|_| ())
        .map_err(|e| sqlite_error(&e))
}

fn drop_schema(conn: &Connection, name: &str, if_exists: bool) -> Result<(), SqlError> {
    let Some((schema_id, name)) = metadata::schema_id(conn, name)? else {
        return if if_exists {
            Ok(())
        } else {
            Err(errors::cannot_drop("schema", name))
        };
    };
    if schema_id <= 4 {
        return Err(errors::not_supported(&format!(
            "dropping the schema '{name}'"
        )));
    }
    let object: Option<String> = conn
        .query_row(
            "SELECT name FROM __tds_objects WHERE schema_id = ?1 LIMIT 1",
            [schema_id],
            |r| r.get(0),
        )
        .ok();
    if let Some(object) = object {
        let message = format!(
            "Cannot drop schema '{name}' because it is being referenced by object '{object}'."
        );
        return Err(SqlError {
            number: 3729,
            state: 1,
            class: 16,
            line: 0,
            message,
        });
    }
    conn.execute(
        "DELETE FROM __tds_schemas WHERE schema_id = ?1",
        [schema_id],
    )
    .map(|_| ())
    .map_err(|e| sqlite_error(&e))
}

fn create_module(
    env: &Env<'_>,
    kind: ModuleKind,
    name: &ObjectName,
    replace: bool,
    alter: bool,
    text: &str,
) -> Result<(), SqlError> {
    if kind == ModuleKind::Trigger {
        // A stored trigger that never fires would be a silent lie.
        return Err(errors::not_supported("triggers"));
    }
    let conn = env.conn;
    let (schema_id, schema) = resolve_schema(env, name)?;
    let existing = metadata::find_object(conn, &schema, name.name())?;
    match existing {
        Some((object_id, code)) if (alter || replace) && code == kind.type_code() => conn
            .execute(
                "UPDATE __tds_objects SET definition = ?1 WHERE object_id = ?2",
                rusqlite::params![text, object_id],
            )
            .map(|_| ())
            .map_err(|e| sqlite_error(&e)),
        Some(_) => Err(errors::object_exists(name.name())),
        None if alter => Err(errors::invalid_object(&name.display())),
        None => metadata::insert_object(
            conn,
            schema_id,
            name.name(),
            kind.type_code(),
            0,
            Some(text),
        )
        .map(|_| ()),
    }
}

fn drop_module(
    env: &Env<'_>,
    kind: ModuleKind,
    name: &ObjectName,
    if_exists: bool,
) -> Result<(), SqlError> {
    let schema = name.schema().unwrap_or(DBO);
    let kind_word = kind.keyword().to_lowercase();
    match metadata::find_object(env.conn, schema, name.name())? {
        Some((object_id, code)) if code == kind.type_code() => {
            metadata::delete_object(env.conn, object_id)
        }
        Some((_, code)) => {
            let message = format!(
                "Cannot use DROP {} with '{}' because '{}' is a {}. Use the matching DROP statement.",
                kind.keyword(),
                name.display(),
                name.display(),
                if code == "U" {
                    "table"
                } else {
                    "different kind of object"
                }
            );
            Err(SqlError {
                number: 3705,
                state: 1,
                class: 16,
                line: 0,
                message,
            })
        }
        None if if_exists => Ok(()),
        None => Err(errors::cannot_drop(&kind_word, &name.display())),
    }
}
