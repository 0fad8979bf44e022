//! CREATE INDEX and DROP INDEX. SQL Server names indexes per table, SQLite
//! per database, so the SQLite index of `ix` on `dbo.t` is `"dbo.t.ix"`.
//! Physical options were dropped by the parser; a filter (WHERE) becomes a
//! partial index. Unique indexes over duplicates fail with 1505.

use super::super::ast::{CreateIndex, Expr, ObjectName};
use super::super::metadata;
use super::super::metadata::TableInfo;
use super::super::storage::{quote, sqlite_error};
use super::super::translate::{Env, Translator, table_source};
use super::super::{SqlError, errors};
use super::ddl::existing_table;
use super::sqlite_errors::{ErrorContext, map_sqlite_error};

/// SQLite index names are global; SQL Server's are per table.
fn sqlite_index_name(table: &TableInfo, index: &str) -> String {
    format!("{}.{index}", table.sqlite_name())
}

pub(super) fn create_index(env: &Env<'_>, index: &CreateIndex) -> Result<(), SqlError> {
    let conn = env.conn;
    let table = existing_table(env, &index.table)?;
    let sqlite_name = sqlite_index_name(&table, &index.name);
    let taken: bool = conn
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = ?1 COLLATE NOCASE",
            [&sqlite_name],
            |r| r.get::<_, i64>(0),
        )
        .map_err(|e| sqlite_error(&e))?
        > 0;
    let constraint_named = metadata::load_constraints(conn, table.object_id)?
        .iter()
        .any(|c| c.name.eq_ignore_ascii_case(&index.name));
    if taken || constraint_named {
        return Err(errors::index_exists(&index.name, &table.display()));
    }
    let mut columns = Vec::new();
    for item in &index.columns {
        let name = match &item.expr {
            Expr::Column(parts) if parts.len() == 1 => &parts[0],
            _ => return Err(errors::syntax_near("(", 0)),
        };
        let column = table
            .column(name)
            .ok_or_else(|| errors::column_not_in_table(name))?;
        columns.push(format!(
            "{}{}",
            quote(&column.name),
            if item.descending { " DESC" } else { "" }
        ));
    }
    let filter = match &index.filter {
        Some(condition) => {
            let mut translator = Translator::inline(env);
            translator.push_scope(vec![table_source(&table, &table.name)]);
            format!(" WHERE {}", translator.condition(condition)?)
        }
        None => String::new(),
    };
    let sql = format!(
        "CREATE {}INDEX {} ON {} ({}){filter}",
        if index.unique { "UNIQUE " } else { "" },
        quote(&sqlite_name),
        quote(&table.sqlite_name()),
        columns.join(", ")
    );
    conn.execute_batch(&sql).map_err(|e| {
        let context = ErrorContext {
            conn,
            database: env.session.database(),
            verb: "CREATE INDEX",
            table: Some(&table),
        };
        let mapped = map_sqlite_error(&e, &context);
        if matches!(mapped.number, 2601 | 2627) {
            errors::duplicate_key_on_create(&table.display(), &index.name)
        } else {
            mapped
        }
    })
}

pub(super) fn drop_index(
    env: &Env<'_>,
    table_name: &ObjectName,
    index: &str,
    if_exists: bool,
) -> Result<(), SqlError> {
    let conn = env.conn;
    let mut translator = Translator::new(env);
    let table = match translator.table(table_name)? {
        Some(table) => table,
        None if if_exists => return Ok(()),
        None => return Err(errors::invalid_object(&table_name.display())),
    };
    let sqlite_name = sqlite_index_name(&table, index);
    let found: Option<String> = conn
        .query_row(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND name = ?1 COLLATE NOCASE",
            [&sqlite_name],
            |r| r.get(0),
        )
        .ok();
    if let Some(found) = found {
        return conn
            .execute_batch(&format!("DROP INDEX {}", quote(&found)))
            .map_err(|e| sqlite_error(&e));
    }
    if let Some(constraint) = metadata::load_constraints(conn, table.object_id)?
        .iter()
        .find(|c| c.name.eq_ignore_ascii_case(index))
    {
        let message = format!(
            "An explicit DROP INDEX is not allowed on index '{}.{}'. It is being used for {} constraint enforcement.",
            table.display(),
            constraint.name,
            constraint.kind.words()
        );
        return Err(SqlError {
            number: 3723,
            state: 4,
            class: 16,
            line: 0,
            message,
        });
    }
    if if_exists {
        Ok(())
    } else {
        Err(errors::cannot_drop(
            "index",
            &format!("{}.{index}", table.display()),
        ))
    }
}
