//! `sp_rename`: tables, views, procedures and functions (`'schema.name'`),
//! columns (`'schema.table.column'`, `'COLUMN'`) and indexes
//! (`'schema.table.index'`, `'INDEX'`). SQLite's own RENAME rewrites the
//! indexes, CHECK constraints and trigger bodies that mention the old name;
//! the metadata follows, and the foreign-key triggers (whose messages name
//! tables and columns) are regenerated. Constraints cannot be renamed.

use rusqlite::Connection;

use super::super::functions::split_name;
use super::super::metadata::{self, DBO, TableInfo, join_list};
use super::super::storage::{quote, sqlite_error};
use super::super::translate::Env;
use super::super::{SqlError, errors};
use super::foreign_keys;

/// SQL Server's informational message after every rename.
pub(crate) const CAUTION: &str =
    "Caution: Changing any part of an object name could break scripts and stored procedures.";

fn ambiguous(kind: &str) -> SqlError {
    let message = format!(
        "Either the parameter @objname is ambiguous or the claimed @objtype ({kind}) is wrong."
    );
    SqlError {
        number: 15248,
        state: 1,
        class: 11,
        line: 0,
        message,
    }
}

fn name_in_use(name: &str, kind: &str) -> SqlError {
    let message = format!(
        "Error: The new name '{name}' is already in use as a {kind} name and would cause a duplicate that is not permitted."
    );
    SqlError {
        number: 15335,
        state: 1,
        class: 11,
        line: 0,
        message,
    }
}

pub(crate) fn rename(
    env: &Env<'_>,
    object: &str,
    new_name: &str,
    kind: Option<&str>,
) -> Result<(), SqlError> {
    let parts = split_name(object);
    let new_name = split_name(new_name).pop().unwrap_or_default();
    if new_name.is_empty() {
        return Err(errors::not_supported("an empty new name in sp_rename"));
    }
    match kind.map(str::to_ascii_uppercase).as_deref() {
        Some("COLUMN") => rename_column(env, &parts, &new_name),
        Some("INDEX") => rename_index(env, &parts, &new_name),
        None | Some("OBJECT") => rename_object(env, &parts, &new_name),
        Some(other) => Err(errors::not_supported(&format!("sp_rename of a {other}"))),
    }
}

/// The table of `schema.table.x` (or `table.x`), and `x`.
fn table_and_member(
    env: &Env<'_>,
    parts: &[String],
    kind: &str,
) -> Result<(TableInfo, String), SqlError> {
    let (member, table_parts) = parts.split_last().ok_or_else(|| ambiguous(kind))?;
    let (table, schema) = match table_parts {
        [table] => (table, DBO),
        [.., schema, table] => (table, schema.as_str()),
        [] => return Err(ambiguous(kind)),
    };
    let table = metadata::load_table(env.conn, schema, table)?.ok_or_else(|| ambiguous(kind))?;
    Ok((table, member.clone()))
}

fn rename_column(env: &Env<'_>, parts: &[String], new_name: &str) -> Result<(), SqlError> {
    let conn = env.conn;
    let (table, old) = table_and_member(env, parts, "COLUMN")?;
    let column = table
        .column(&old)
        .cloned()
        .ok_or_else(|| ambiguous("COLUMN"))?;
    if table
        .columns
        .iter()
        .any(|c| c.column_id != column.column_id && c.name.eq_ignore_ascii_case(new_name))
    {
        return Err(name_in_use(new_name, "COLUMN"));
    }
    execute(
        conn,
        &format!(
            "ALTER TABLE {} RENAME COLUMN {} TO {}",
            quote(&table.sqlite_name()),
            quote(&column.name),
            quote(new_name)
        ),
    )?;
    conn.execute(
        "UPDATE __tds_columns SET name = ?1 WHERE object_id = ?2 AND column_id = ?3",
        rusqlite::params![new_name, table.object_id, column.column_id],
    )
    .map_err(|e| sqlite_error(&e))?;
    let rename = |names: &[String]| -> Vec<String> {
        names
            .iter()
            .map(|n| {
                if n.eq_ignore_ascii_case(&column.name) {
                    new_name.to_string()
                } else {
                    n.clone()
                }
            })
            .collect()
    };
    for constraint in metadata::load_constraints(conn, table.object_id)? {
        let check = constraint
            .check_sql
            .as_ref()
            .map(|sql| sql.replace(&quote(&column.name), &quote(new_name)));
        conn.execute(
            "UPDATE __tds_constraints SET columns = ?1, check_sql = ?2 WHERE object_id = ?3",
            rusqlite::params![
                join_list(&rename(&constraint.columns)),
                check,
                constraint.object_id
            ],
        )
        .map_err(|e| sqlite_error(&e))?;
    }
    for constraint in metadata::referencing_constraints(conn, table.object_id)? {
        conn.execute(
            "UPDATE __tds_constraints SET ref_columns = ?1 WHERE object_id = ?2",
            rusqlite::params![
                join_list(&rename(&constraint.ref_columns)),
                constraint.object_id
            ],
        )
        .map_err(|e| sqlite_error(&e))?;
    }
    refresh_around(env, table.object_id)
}

fn rename_index(env: &Env<'_>, parts: &[String], new_name: &str) -> Result<(), SqlError> {
    let conn = env.conn;
    let (table, old) = table_and_member(env, parts, "INDEX")?;
    let old_sqlite = format!("{}.{old}", table.sqlite_name());
    let new_sqlite = format!("{}.{new_name}", table.sqlite_name());
    let found: Option<(String, String)> = conn
        .query_row(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND name = ?1 COLLATE NOCASE",
            [&old_sqlite],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .ok();
    let Some((name, sql)) = found else {
        return Err(ambiguous("INDEX"));
    };
    let taken: i64 = conn
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = ?1 COLLATE NOCASE",
            [&new_sqlite],
            |r| r.get(0),
        )
        .map_err(|e| sqlite_error(&e))?;
    if taken > 0 {
        return Err(name_in_use(new_name, "INDEX"));
    }
    let recreated = sql.replacen(&quote(&name), &quote(&new_sqlite), 1);
    execute(conn, &format!("DROP INDEX {}; {recreated}", quote(&name)))
}

fn rename_object(env: &Env<'_>, parts: &[String], new_name: &str) -> Result<(), SqlError> {
    let conn = env.conn;
    let (name, schema) = match parts {
        [name] => (name, DBO),
        [.., schema, name] => (name, schema.as_str()),
        [] => return Err(ambiguous("OBJECT")),
    };
    let (object_id, kind) =
        metadata::find_object(conn, schema, name)?.ok_or_else(|| ambiguous("OBJECT"))?;
    if metadata::find_object(conn, schema, new_name)?.is_some() {
        return Err(name_in_use(new_name, "OBJECT"));
    }
    if !matches!(kind.as_str(), "U" | "V" | "P" | "FN") {
        return Err(errors::not_supported("renaming constraints"));
    }
    if kind == "U" {
        let table =
            metadata::load_table_by_id(conn, object_id)?.ok_or_else(|| ambiguous("OBJECT"))?;
        rename_table(conn, &table, new_name)?;
    }
    conn.execute(
        "UPDATE __tds_objects SET name = ?1 WHERE object_id = ?2",
        rusqlite::params![new_name, object_id],
    )
    .map_err(|e| sqlite_error(&e))?;
    if kind == "U" {
        refresh_around(env, object_id)?;
    }
    Ok(())
}

/// Renames the SQLite table and its indexes (named after the table).
fn rename_table(conn: &Connection, table: &TableInfo, new_name: &str) -> Result<(), SqlError> {
    let old = table.sqlite_name();
    let new = metadata::sqlite_name(&table.schema, new_name);
    execute(
        conn,
        &format!("ALTER TABLE {} RENAME TO {}", quote(&old), quote(&new)),
    )?;
    let indexes: Vec<(String, String)> = conn
        .prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ?1 AND sql IS NOT NULL")
        .and_then(|mut s| s.query_map([&new], |r| Ok((r.get(0)?, r.get(1)?)))?.collect())
        .map_err(|e| sqlite_error(&e))?;
    let prefix = format!("{old}.");
    for (name, sql) in indexes {
        if let Some(index) = name.strip_prefix(&prefix) {
            let renamed = format!("{new}.{index}");
            let recreated = sql.replacen(&quote(&name), &quote(&renamed), 1);
            execute(conn, &format!("DROP INDEX {}; {recreated}", quote(&name)))?;
        }
    }
    Ok(())
}

/// Regenerates the foreign-key triggers of a table and of the tables its
/// keys connect it to (their messages name tables and columns).
fn refresh_around(env: &Env<'_>, table_id: i64) -> Result<(), SqlError> {
    let conn = env.conn;
    let mut ids = vec![table_id];
    ids.extend(foreign_keys::parents(conn, table_id)?);
    ids.extend(
        metadata::referencing_constraints(conn, table_id)?
            .iter()
            .map(|c| c.table_id),
    );
    ids.sort_unstable();
    ids.dedup();
    for id in ids {
        foreign_keys::refresh(conn, env.session.database(), id)?;
    }
    Ok(())
}

fn execute(conn: &Connection, sql: &str) -> Result<(), SqlError> {
    conn.execute_batch(sql).map_err(|e| sqlite_error(&e))
}
