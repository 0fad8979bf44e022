//! ALTER TABLE: ADD columns or constraints, DROP COLUMN, DROP CONSTRAINT,
//! ALTER COLUMN. The metadata changes first, then the table is rebuilt
//! (`schema::rebuild_table`); SQLite's failures during the copy become SQL
//! Server's errors for the same situation (4901 for a NOT NULL column added
//! to a non-empty table, 1505 for a new unique key over duplicates, 547
//! for a new check or foreign key the data violates).

use super::super::ast::{AlterAction, AlterTable, ColumnDef, TableConstraint};
use super::super::metadata::{self, ColumnInfo, ConstraintKind, TableInfo};
use super::super::storage::{quote, sqlite_error};
use super::super::translate::Env;
use super::super::types::DataType;
use super::super::{SqlError, errors};
use super::constraints::{add_constraint, check_columns, new_column};
use super::ddl::existing_table;
use super::foreign_keys;
use super::schema::{CopiedColumn, rebuild_table};
use super::sqlite_errors::{ErrorContext, map_sqlite_error};

pub(super) fn alter_table(env: &Env<'_>, alter: &AlterTable) -> Result<(), SqlError> {
    let mut table = existing_table(env, &alter.table)?;
    let parents_before = foreign_keys::parents(env.conn, table.object_id)?;
    match &alter.action {
        AlterAction::AddColumns(defs) => add_columns(env, &mut table, defs)?,
        AlterAction::AddConstraints(constraints) => {
            for constraint in constraints {
                add_constraint(env, &mut table, constraint)?;
            }
        }
        AlterAction::DropColumns { names, if_exists } => {
            for name in names {
                drop_column(env, &mut table, name, *if_exists)?;
            }
        }
        AlterAction::DropConstraints { names, if_exists } => {
            for name in names {
                drop_constraint(env, &mut table, name, *if_exists)?;
            }
        }
        AlterAction::AlterColumn { name, ty, nullable } => {
            alter_column(env, &mut table, name, *ty, *nullable)?;
        }
    }
    rebuild(env, &table, &alter.action)?;
    let database = env.session.database();
    foreign_keys::check_rows(env.conn, database, &table)?;
    let mut touched = parents_before;
    touched.extend(foreign_keys::parents(env.conn, table.object_id)?);
    touched.push(table.object_id);
    touched.sort_unstable();
    touched.dedup();
    for id in touched {
        foreign_keys::refresh(env.conn, database, id)?;
    }
    Ok(())
}

fn add_columns(env: &Env<'_>, table: &mut TableInfo, defs: &[ColumnDef]) -> Result<(), SqlError> {
    check_columns(&table.name, defs, &table.columns)?;
    let first_id = table.columns.iter().map(|c| c.column_id).max().unwrap_or(0) + 1;
    let mut constraints: Vec<TableConstraint> = Vec::new();
    for (next_id, def) in (first_id..).zip(defs) {
        let in_key = def
            .constraints
            .iter()
            .any(|c| matches!(c.body, super::super::ast::ConstraintBody::PrimaryKey(_)));
        let column = new_column(env, table, def, next_id, in_key)?;
        metadata::insert_column(env.conn, table.object_id, &column)?;
        table.columns.push(column);
        constraints.extend(def.constraints.iter().cloned());
    }
    for constraint in &constraints {
        add_constraint(env, table, constraint)?;
    }
    Ok(())
}

/// Objects that depend on a column: constraints and indexes over it, and
/// its default.
fn dependents(
    env: &Env<'_>,
    table: &TableInfo,
    column: &ColumnInfo,
) -> Result<Option<String>, SqlError> {
    let quoted = quote(&column.name).to_lowercase();
    for constraint in metadata::load_constraints(env.conn, table.object_id)? {
        let uses = constraint
            .columns
            .iter()
            .any(|c| c.eq_ignore_ascii_case(&column.name))
            || constraint
                .check_sql
                .as_deref()
                .is_some_and(|sql| sql.to_lowercase().contains(&quoted));
        if uses {
            return Ok(Some(constraint.name));
        }
    }
    for constraint in metadata::referencing_constraints(env.conn, table.object_id)? {
        if constraint
            .ref_columns
            .iter()
            .any(|c| c.eq_ignore_ascii_case(&column.name))
        {
            return Ok(Some(constraint.name));
        }
    }
    let prefix = format!("{}.", table.sqlite_name());
    let mut statement = env
        .conn
        .prepare("SELECT i.name FROM sqlite_master i, pragma_index_info(i.name) c WHERE i.type = 'index' AND i.tbl_name = ?1 AND i.sql IS NOT NULL AND c.name = ?2 COLLATE NOCASE")
        .map_err(|e| sqlite_error(&e))?;
    let index: Option<String> = statement
        .query_row([table.sqlite_name(), column.name.clone()], |r| r.get(0))
        .ok();
    if let Some(index) = index {
        return Ok(Some(
            index.strip_prefix(&prefix).unwrap_or(&index).to_string(),
        ));
    }
    match column.default_object_id {
        Some(id) => Ok(env
            .conn
            .query_row(
                "SELECT name FROM __tds_objects WHERE object_id = ?1",
                [id],
                |r| r.get(0),
            )
            .ok()),
        None => Ok(None),
    }
}

fn drop_column(
    env: &Env<'_>,
    table: &mut TableInfo,
    name: &str,
    if_exists: bool,
) -> Result<(), SqlError> {
    let Some(column) = table.column(name).cloned() else {
        return if if_exists {
            Ok(())
        } else {
            Err(errors::column_missing_in_alter(name, &table.name))
        };
    };
    if table.columns.len() == 1 {
        let message = format!(
            "ALTER TABLE DROP COLUMN failed because '{}' is the only data column in table '{}'. A table must have at least one data column.",
            column.name, table.name
        );
        return Err(SqlError {
            number: 4923,
            state: 1,
            class: 16,
            line: 0,
            message,
        });
    }
    if let Some(dependent) = dependents(env, table, &column)? {
        return Err(errors::column_dependency(&dependent, &column.name));
    }
    env.conn
        .execute(
            "DELETE FROM __tds_columns WHERE object_id = ?1 AND column_id = ?2",
            [table.object_id, column.column_id],
        )
        .map_err(|e| sqlite_error(&e))?;
    table.columns.retain(|c| c.column_id != column.column_id);
    Ok(())
}

fn drop_constraint(
    env: &Env<'_>,
    table: &mut TableInfo,
    name: &str,
    if_exists: bool,
) -> Result<(), SqlError> {
    let conn = env.conn;
    if let Some(constraint) = metadata::load_constraints(conn, table.object_id)?
        .into_iter()
        .find(|c| c.name.eq_ignore_ascii_case(name))
    {
        if matches!(
            constraint.kind,
            ConstraintKind::PrimaryKey | ConstraintKind::Unique
        ) {
            let referencing = metadata::referencing_constraints(conn, table.object_id)?;
            if let Some(fk) = referencing
                .iter()
                .find(|fk| same_columns(&fk.ref_columns, &constraint.columns))
            {
                let child = metadata::load_table_by_id(conn, fk.table_id)?
                    .map(|t| t.display())
                    .unwrap_or_default();
                let message = format!(
                    "The constraint '{}' is being referenced by table '{child}', foreign key constraint '{}'.",
                    constraint.name, fk.name
                );
                return Err(SqlError {
                    number: 3725,
                    state: 0,
                    class: 16,
                    line: 0,
                    message,
                });
            }
        }
        return metadata::delete_object(conn, constraint.object_id);
    }
    let default = table.columns.iter().position(|c| {
        c.default_object_id.is_some_and(|id| {
            conn.query_row(
                "SELECT name FROM __tds_objects WHERE object_id = ?1",
                [id],
                |r| r.get::<_, String>(0),
            )
            .is_ok_and(|n| n.eq_ignore_ascii_case(name))
        })
    });
    match default {
        Some(index) => {
            let column = &mut table.columns[index];
            if let Some(id) = column.default_object_id.take() {
                metadata::delete_object(conn, id)?;
            }
            column.default_sql = None;
            conn.execute(
                "UPDATE __tds_columns SET default_object_id = NULL, default_sql = NULL WHERE object_id = ?1 AND column_id = ?2",
                [table.object_id, column.column_id],
            )
            .map(|_| ())
            .map_err(|e| sqlite_error(&e))
        }
        None if if_exists => Ok(()),
        None => Err(errors::constraint_missing(name)),
    }
}

fn same_columns(a: &[String], b: &[String]) -> bool {
    let normalized = |list: &[String]| {
        let mut v: Vec<String> = list.iter().map(|c| c.to_lowercase()).collect();
        v.sort();
        v
    };
    normalized(a) == normalized(b)
}

fn alter_column(
    env: &Env<'_>,
    table: &mut TableInfo,
    name: &str,
    ty: DataType,
    nullable: Option<bool>,
) -> Result<(), SqlError> {
    let Some(index) = table
        .columns
        .iter()
        .position(|c| c.name.eq_ignore_ascii_case(name))
    else {
        let message = format!(
            "Cannot find the object \"{}\" because it does not exist or you do not have permissions.",
            table.name
        );
        return Err(SqlError {
            number: 4902,
            state: 1,
            class: 16,
            line: 0,
            message,
        });
    };
    let column = table.columns[index].clone();
    let keyed = metadata::load_constraints(env.conn, table.object_id)?
        .into_iter()
        .find(|c| {
            c.kind != ConstraintKind::Check
                && c.columns.iter().any(|n| n.eq_ignore_ascii_case(name))
        });
    if let Some(constraint) = keyed {
        return Err(errors::column_dependency(&constraint.name, &column.name));
    }
    // Without NULL or NOT NULL, ALTER COLUMN makes the column nullable.
    let nullable = nullable.unwrap_or(true);
    env.conn
        .execute(
            "UPDATE __tds_columns SET type = ?1, nullable = ?2 WHERE object_id = ?3 AND column_id = ?4",
            rusqlite::params![ty.decl(), nullable, table.object_id, column.column_id],
        )
        .map_err(|e| sqlite_error(&e))?;
    table.columns[index].ty = ty;
    table.columns[index].nullable = nullable;
    Ok(())
}

/// Rebuilds the table and words copy failures as SQL Server would.
fn rebuild(env: &Env<'_>, table: &TableInfo, action: &AlterAction) -> Result<(), SqlError> {
    let current: Vec<String> = env
        .conn
        .prepare(&format!(
            "SELECT name FROM pragma_table_info({})",
            super::super::storage::quote_str(&table.sqlite_name())
        ))
        .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
        .map_err(|e| sqlite_error(&e))?;
    let copies: Vec<CopiedColumn> = table
        .columns
        .iter()
        .map(|c| CopiedColumn {
            name: c.name.clone(),
            from: current
                .iter()
                .find(|n| n.eq_ignore_ascii_case(&c.name))
                .cloned(),
            ty: c.ty,
            nullable: c.nullable,
        })
        .collect();
    rebuild_table(env.conn, table.object_id, &copies).map_err(|e| {
        let context = ErrorContext {
            conn: env.conn,
            database: env.session.database(),
            verb: "ALTER TABLE",
            table: Some(table),
        };
        let mapped = map_sqlite_error(&e, &context);
        match (action, mapped.number) {
            (AlterAction::AddColumns(defs), 515) => {
                let column = defs
                    .iter()
                    .find(|d| d.nullable == Some(false))
                    .map_or("", |d| d.name.as_str());
                errors::add_not_null_column(column, &table.name)
            }
            (AlterAction::AddConstraints(constraints), 2627 | 2601) => {
                let name = constraints
                    .first()
                    .and_then(|c| c.name.clone())
                    .unwrap_or_default();
                errors::duplicate_key_on_create(&table.display(), &name)
            }
            _ => mapped,
        }
    })
}
