//! Column and constraint rules shared by CREATE TABLE and ALTER TABLE:
//! duplicate and identity checks, nullability, defaults (objects of type D)
//! and PRIMARY KEY / UNIQUE / FOREIGN KEY / CHECK metadata with SQL Server's
//! errors (2705, 2744, 2749, 8110, 8111, 1911, 1767, 1773, 8139, 1776,
//! 1781). Writing the SQLite table from that metadata is `schema`'s job.

use super::super::ast::{
    ColumnDef, ConstraintBody, Expr, ObjectName, ReferentialAction, TableConstraint,
};
use super::super::metadata::{self, ColumnInfo, ConstraintInfo, ConstraintKind, DBO, TableInfo};
use super::super::storage::sqlite_error;
use super::super::translate::{Env, Translator, table_source};
use super::super::types::DataType;
use super::super::{SqlError, errors};

/// Duplicate names (2705) and identity rules (2744, 2749).
pub(super) fn check_columns(
    table: &str,
    defs: &[ColumnDef],
    existing: &[ColumnInfo],
) -> Result<(), SqlError> {
    let mut seen: Vec<&str> = existing.iter().map(|c| c.name.as_str()).collect();
    for def in defs {
        if seen.iter().any(|s| s.eq_ignore_ascii_case(&def.name)) {
            return Err(errors::column_repeated(&def.name, table));
        }
        seen.push(&def.name);
    }
    let identities = defs.iter().filter(|d| d.identity.is_some()).count()
        + existing.iter().filter(|c| c.identity.is_some()).count();
    if identities > 1 {
        let message = format!(
            "Multiple identity columns specified for table '{table}'. Only one identity column per table is allowed."
        );
        return Err(SqlError {
            number: 2744,
            state: 2,
            class: 16,
            line: 0,
            message,
        });
    }
    for def in defs.iter().filter(|d| d.identity.is_some()) {
        let integral = def.ty.is_integer() || matches!(def.ty, DataType::Decimal { scale: 0, .. });
        if !integral || def.nullable == Some(true) {
            let message = format!(
                "Identity column '{}' must be of data type int, bigint, smallint, tinyint, or decimal or numeric with a \
                 scale of 0, and constrained to be nonnullable.",
                def.name
            );
            return Err(SqlError {
                number: 2749,
                state: 2,
                class: 16,
                line: 0,
                message,
            });
        }
    }
    Ok(())
}

pub(super) fn primary_key_columns(
    table: &str,
    constraints: &[TableConstraint],
) -> Result<Vec<String>, SqlError> {
    let keys: Vec<&Vec<String>> = constraints
        .iter()
        .filter_map(|c| match &c.body {
            ConstraintBody::PrimaryKey(columns) => Some(columns),
            _ => None,
        })
        .collect();
    if keys.len() > 1 {
        return Err(errors::multiple_primary_keys(table));
    }
    Ok(keys.first().map(|k| (*k).clone()).unwrap_or_default())
}

/// A column's metadata from its definition (default constraint included).
pub(super) fn new_column(
    env: &Env<'_>,
    table: &TableInfo,
    def: &ColumnDef,
    column_id: i64,
    in_key: bool,
) -> Result<ColumnInfo, SqlError> {
    if in_key && def.nullable == Some(true) {
        let message = format!(
            "Cannot define PRIMARY KEY constraint on nullable column in table '{}'.",
            table.name
        );
        return Err(SqlError {
            number: 8111,
            state: 1,
            class: 16,
            line: 0,
            message,
        });
    }
    let nullable = def.identity.is_none() && !in_key && def.nullable.unwrap_or(true);
    let mut column = ColumnInfo {
        column_id,
        name: def.name.clone(),
        ty: def.ty,
        nullable,
        identity: def.identity,
        default_object_id: None,
        default_sql: None,
    };
    if let Some((name, expr)) = &def.default {
        set_default(env, table, &mut column, name.as_deref(), expr)?;
    }
    Ok(column)
}

/// Attaches a default constraint (an object of type D) to a column.
pub(super) fn set_default(
    env: &Env<'_>,
    table: &TableInfo,
    column: &mut ColumnInfo,
    name: Option<&str>,
    expr: &Expr,
) -> Result<(), SqlError> {
    let mut translator = Translator::inline(env);
    let value = translator.expr(expr)?;
    let sql = translator.assign(value, column.ty, &table.display(), &column.name)?;
    let name = name.map_or_else(
        || {
            metadata::generated_name(
                "DF",
                &table.name,
                Some(&column.name),
                table.object_id + column.column_id,
            )
        },
        str::to_string,
    );
    let object_id =
        metadata::insert_object(env.conn, table.schema_id, &name, "D", table.object_id, None)?;
    column.default_object_id = Some(object_id);
    column.default_sql = Some(sql);
    Ok(())
}

/// Adds a PRIMARY KEY, UNIQUE, FOREIGN KEY or CHECK constraint's metadata
/// (or a DEFAULT ... FOR's); the caller (re)creates the SQLite table.
pub(super) fn add_constraint(
    env: &Env<'_>,
    table: &mut TableInfo,
    constraint: &TableConstraint,
) -> Result<(), SqlError> {
    let conn = env.conn;
    let (kind, columns, prefix) = match &constraint.body {
        ConstraintBody::PrimaryKey(columns) => {
            let existing = metadata::load_constraints(conn, table.object_id)?;
            if existing
                .iter()
                .any(|c| c.kind == ConstraintKind::PrimaryKey)
            {
                return Err(errors::multiple_primary_keys(&table.name));
            }
            (
                ConstraintKind::PrimaryKey,
                table_columns(table, columns)?,
                "PK",
            )
        }
        ConstraintBody::Unique(columns) => {
            (ConstraintKind::Unique, table_columns(table, columns)?, "UQ")
        }
        ConstraintBody::ForeignKey { columns, .. } => (
            ConstraintKind::ForeignKey,
            table_columns(table, columns)?,
            "FK",
        ),
        ConstraintBody::Check(_) => (ConstraintKind::Check, Vec::new(), "CK"),
        ConstraintBody::Default { expr, column } => {
            return add_default_for(env, table, constraint.name.as_deref(), expr, column);
        }
    };
    let column_hint = (kind == ConstraintKind::ForeignKey)
        .then(|| columns.first().map(String::as_str))
        .flatten();
    let seed = table.object_id
        + i64::try_from(metadata::load_constraints(conn, table.object_id)?.len()).unwrap_or(0)
        + 100;
    let name = constraint
        .name
        .clone()
        .unwrap_or_else(|| metadata::generated_name(prefix, &table.name, column_hint, seed));
    let mut info = ConstraintInfo {
        object_id: 0,
        name: name.clone(),
        table_id: table.object_id,
        kind,
        columns,
        ref_table_id: None,
        ref_columns: Vec::new(),
        on_delete: String::new(),
        on_update: String::new(),
        check_sql: None,
    };
    match &constraint.body {
        ConstraintBody::ForeignKey {
            table: parent,
            ref_columns,
            on_delete,
            on_update,
            ..
        } => {
            foreign_key_target(env, table, &mut info, parent, ref_columns)?;
            info.on_delete = action(*on_delete).into();
            info.on_update = action(*on_update).into();
        }
        ConstraintBody::Check(condition) => {
            let mut translator = Translator::inline(env);
            translator.push_scope(vec![table_source(table, &table.name)]);
            info.check_sql = Some(translator.condition(condition)?);
        }
        _ => {}
    }
    info.object_id = metadata::insert_object(
        conn,
        table.schema_id,
        &name,
        kind.code(),
        table.object_id,
        None,
    )?;
    metadata::insert_constraint(conn, &info)
}

/// The table's spelling of `names`; error 1911 for one it does not have.
fn table_columns(table: &TableInfo, names: &[String]) -> Result<Vec<String>, SqlError> {
    names
        .iter()
        .map(|name| {
            table
                .column(name)
                .map(|c| c.name.clone())
                .ok_or_else(|| errors::column_not_in_table(name))
        })
        .collect()
}

/// ALTER TABLE ... ADD [CONSTRAINT name] DEFAULT expr FOR column.
fn add_default_for(
    env: &Env<'_>,
    table: &mut TableInfo,
    name: Option<&str>,
    expr: &Expr,
    column: &str,
) -> Result<(), SqlError> {
    let index = table
        .columns
        .iter()
        .position(|c| c.name.eq_ignore_ascii_case(column))
        .ok_or_else(|| errors::column_not_in_table(column))?;
    let mut info = table.columns[index].clone();
    if info.default_object_id.is_some() {
        let message = "Column already has a DEFAULT bound to it.".to_string();
        return Err(SqlError {
            number: 1781,
            state: 1,
            class: 16,
            line: 0,
            message,
        });
    }
    set_default(env, table, &mut info, name, expr)?;
    env.conn
        .execute(
            "UPDATE __tds_columns SET default_object_id = ?1, default_sql = ?2 WHERE object_id = ?3 AND column_id = ?4",
            rusqlite::params![info.default_object_id, info.default_sql, table.object_id, info.column_id],
        )
        .map_err(|e| sqlite_error(&e))?;
    table.columns[index] = info;
    Ok(())
}

fn action(action: ReferentialAction) -> &'static str {
    match action {
        ReferentialAction::NoAction => "NO ACTION",
        ReferentialAction::Cascade => "CASCADE",
        ReferentialAction::SetNull => "SET NULL",
        ReferentialAction::SetDefault => "SET DEFAULT",
    }
}

/// Resolves a foreign key's parent and checks its columns match a key of
/// it (1767, 1773, 8139, 1776 as in SQL Server).
fn foreign_key_target(
    env: &Env<'_>,
    table: &TableInfo,
    info: &mut ConstraintInfo,
    parent: &ObjectName,
    ref_columns: &[String],
) -> Result<(), SqlError> {
    let same = parent.name().eq_ignore_ascii_case(&table.name)
        && parent
            .schema()
            .unwrap_or(DBO)
            .eq_ignore_ascii_case(&table.schema);
    let parent_table = if same {
        table.clone()
    } else {
        let mut translator = Translator::new(env);
        translator
            .table(parent)?
            .map(|t| (*t).clone())
            .ok_or_else(|| errors::foreign_key_target_missing(&parent.display(), &info.name))?
    };
    let keys = metadata::load_constraints(env.conn, parent_table.object_id)?;
    let columns: Vec<String> = if ref_columns.is_empty() {
        let primary = keys.iter().find(|k| k.kind == ConstraintKind::PrimaryKey).ok_or_else(|| {
            let message = format!(
                "Foreign key '{}' has implicit reference to object '{}' which does not have a primary key defined on it.",
                info.name,
                parent_table.display()
            );
            SqlError { number: 1773, state: 0, class: 16, line: 0, message }
        })?;
        primary.columns.clone()
    } else {
        ref_columns
            .iter()
            .map(|c| {
                parent_table
                    .column(c)
                    .map(|col| col.name.clone())
                    .unwrap_or_else(|| c.clone())
            })
            .collect()
    };
    if columns.len() != info.columns.len() {
        let message = format!(
            "Number of referencing columns in foreign key differs from number of columns referenced, table '{}'.",
            table.display()
        );
        return Err(SqlError {
            number: 8139,
            state: 0,
            class: 16,
            line: 0,
            message,
        });
    }
    let normalized = |list: &[String]| {
        let mut v: Vec<String> = list.iter().map(|c| c.to_lowercase()).collect();
        v.sort();
        v
    };
    let matches_key = keys.iter().any(|k| {
        matches!(k.kind, ConstraintKind::PrimaryKey | ConstraintKind::Unique)
            && normalized(&k.columns) == normalized(&columns)
    });
    if !matches_key {
        let message = format!(
            "There are no primary or candidate keys in the referenced table '{}' that match the referencing column list in the foreign key '{}'.",
            parent_table.display(),
            info.name
        );
        return Err(SqlError {
            number: 1776,
            state: 0,
            class: 16,
            line: 0,
            message,
        });
    }
    info.ref_table_id = Some(parent_table.object_id);
    info.ref_columns = columns;
    Ok(())
}
