//! SQLite failures as the SQL Server errors a client expects: constraint
//! violations become 2627/2601 (naming the constraint or index), 515, 547;
//! missing tables and columns 208/207; errors raised by `tds_*` functions
//! come back as themselves. Anything else is the test server's internal
//! error 40901, with SQLite's message.

use rusqlite::Connection;
use rusqlite::ffi::ErrorCode;

use super::super::functions::decode_failure;
use super::super::metadata::{self, ConstraintKind, TableInfo};
use super::super::{SqlError, errors};

/// What a failing statement was doing, to word the error.
pub(crate) struct ErrorContext<'a> {
    pub conn: &'a Connection,
    pub database: &'a str,
    /// `INSERT`, `UPDATE`, `DELETE`, `ALTER TABLE`, ...
    pub verb: &'a str,
    pub table: Option<&'a TableInfo>,
}

pub(crate) fn map_sqlite_error(err: &rusqlite::Error, context: &ErrorContext<'_>) -> SqlError {
    let message = match err {
        rusqlite::Error::SqliteFailure(_, Some(message)) => message.clone(),
        other => other.to_string(),
    };
    if let Some(decoded) = decode_failure(&message) {
        return decoded;
    }
    let constraint = matches!(err, rusqlite::Error::SqliteFailure(e, _) if e.code == ErrorCode::ConstraintViolation);
    if constraint {
        return constraint_error(&message, context);
    }
    if let Some(name) = message.strip_prefix("no such table: ") {
        return errors::invalid_object(name);
    }
    if let Some(name) = message.strip_prefix("no such column: ") {
        return errors::invalid_column(name.rsplit('.').next().unwrap_or(name));
    }
    if let Some(name) = message.strip_prefix("ambiguous column name: ") {
        return errors::ambiguous_column(name.rsplit('.').next().unwrap_or(name));
    }
    if message.starts_with("misuse of aggregate") {
        return errors::aggregate_misplaced();
    }
    if message.contains("integer overflow") {
        return errors::arithmetic_overflow("bigint");
    }
    errors::internal(&message)
}

fn constraint_error(message: &str, context: &ErrorContext<'_>) -> SqlError {
    let table_name = context.table.map(TableInfo::display).unwrap_or_default();
    if let Some(rest) = message
        .strip_prefix("UNIQUE constraint failed: ")
        .or_else(|| message.strip_prefix("PRIMARY KEY constraint failed: "))
    {
        return unique_error(rest, context, &table_name);
    }
    if let Some(rest) = message.strip_prefix("NOT NULL constraint failed: ") {
        let column = rest.rsplit('.').next().unwrap_or(rest);
        let verb = if context.verb == "INSERT" {
            "INSERT"
        } else {
            "UPDATE"
        };
        return errors::null_not_allowed(
            column,
            &format!("{}.{table_name}", context.database),
            verb,
        );
    }
    if let Some(name) = message.strip_prefix("CHECK constraint failed: ") {
        let detail = format!(
            "The conflict occurred in database \"{}\", table \"{table_name}\".",
            context.database
        );
        return errors::constraint_conflict(context.verb, "CHECK", name, &detail);
    }
    errors::internal(message)
}

/// "UNIQUE constraint failed: dbo.t.a, dbo.t.b" or "...: index 'name'".
fn unique_error(rest: &str, context: &ErrorContext<'_>, table_name: &str) -> SqlError {
    let Some(table) = context.table else {
        return errors::duplicate_key("UNIQUE KEY", rest, table_name);
    };
    if let Some(index) = rest
        .strip_prefix("index '")
        .and_then(|r| r.strip_suffix('\''))
    {
        return errors::duplicate_key_row(table_name, index_name(index, table));
    }
    let prefix = format!("{}.", table.sqlite_name());
    let mut columns: Vec<String> = rest
        .split(", ")
        .map(|c| c.strip_prefix(&prefix).unwrap_or(c).to_lowercase())
        .collect();
    columns.sort();
    let constraints = metadata::load_constraints(context.conn, table.object_id).unwrap_or_default();
    let matching = constraints.iter().find(|c| {
        let mut own: Vec<String> = c.columns.iter().map(|n| n.to_lowercase()).collect();
        own.sort();
        matches!(c.kind, ConstraintKind::PrimaryKey | ConstraintKind::Unique) && own == columns
    });
    if let Some(constraint) = matching {
        return errors::duplicate_key(constraint.kind.words(), &constraint.name, table_name);
    }
    match unique_index(context.conn, table, &columns) {
        Some(index) => errors::duplicate_key_row(table_name, &index),
        None => errors::duplicate_key("UNIQUE KEY", rest, table_name),
    }
}

/// A user index's SQL Server name from its SQLite name (`schema.table.ix`).
fn index_name<'a>(sqlite_name: &'a str, table: &TableInfo) -> &'a str {
    sqlite_name
        .strip_prefix(&format!("{}.", table.sqlite_name()))
        .unwrap_or(sqlite_name)
}

fn unique_index(conn: &Connection, table: &TableInfo, columns: &[String]) -> Option<String> {
    let indexes: Vec<(String, bool)> = conn
        .prepare(&format!(
            "SELECT name, \"unique\" FROM pragma_index_list({})",
            super::super::storage::quote_str(&table.sqlite_name())
        ))
        .ok()?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .ok()?
        .filter_map(Result::ok)
        .collect();
    for (name, unique) in indexes {
        if !unique || name.starts_with("sqlite_autoindex") {
            continue;
        }
        let mut own: Vec<String> = conn
            .prepare(&format!(
                "SELECT name FROM pragma_index_info({})",
                super::super::storage::quote_str(&name)
            ))
            .ok()?
            .query_map([], |r| r.get::<_, Option<String>>(0))
            .ok()?
            .filter_map(|r| r.ok().flatten())
            .map(|n| n.to_lowercase())
            .collect();
        own.sort();
        if own == columns {
            return Some(index_name(&name, table).to_string());
        }
    }
    None
}
