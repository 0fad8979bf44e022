//! Foreign keys, enforced by triggers generated from the metadata rather
//! than by SQLite's own foreign keys.
//!
//! Why: SQLite's foreign keys cannot be switched off inside a transaction,
//! and with them on, renaming a parent table (which every ALTER TABLE
//! rebuild does) rewrites its children's references and dropping it fires
//! its ON DELETE actions. Triggers have neither problem, and they raise
//! exactly SQL Server's error 547 naming the constraint, table and column.
//!
//! For a foreign key from child C (columns a...) to parent P (b...):
//! AFTER INSERT/UPDATE OF a on C check that the parent row exists (NULL in
//! any column means no check, as MATCH SIMPLE); AFTER DELETE and UPDATE OF b
//! on P refuse while children exist (NO ACTION) or cascade, set NULL or set
//! the default. Checks run per row, not per statement: a statement that
//! makes a self-referencing table consistent only at its end is refused.

use rusqlite::Connection;

use super::super::functions::encode_failure;
use super::super::metadata::{self, ConstraintInfo, ConstraintKind, TableInfo};
use super::super::storage::{quote, quote_str, sqlite_error};
use super::super::{SqlError, errors};

const PREFIX: &str = "__tds_fk:";

/// Drops and recreates every foreign-key trigger on a table: for its own
/// foreign keys and for those of the tables referencing it.
pub(crate) fn refresh(conn: &Connection, database: &str, table_id: i64) -> Result<(), SqlError> {
    let Some(table) = metadata::load_table_by_id(conn, table_id)? else {
        return Ok(());
    };
    let existing: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?1 AND name LIKE '__tds_fk:%'")
        .and_then(|mut s| s.query_map([table.sqlite_name()], |r| r.get(0))?.collect())
        .map_err(|e| sqlite_error(&e))?;
    let mut sql: Vec<String> = existing
        .iter()
        .map(|name| format!("DROP TRIGGER {}", quote(name)))
        .collect();
    for fk in own_foreign_keys(conn, table_id)? {
        let parent = other_table(conn, &table, fk.ref_table_id)?;
        sql.extend(child_triggers(database, &table, &fk, &parent));
    }
    for fk in metadata::referencing_constraints(conn, table_id)? {
        let child = other_table(conn, &table, Some(fk.table_id))?;
        sql.extend(parent_triggers(database, &table, &fk, &child));
    }
    if sql.is_empty() {
        return Ok(());
    }
    conn.execute_batch(&sql.join("; "))
        .map_err(|e| sqlite_error(&e))
}

/// The tables a table's foreign keys point at (to refresh after it changes).
pub(crate) fn parents(conn: &Connection, table_id: i64) -> Result<Vec<i64>, SqlError> {
    let mut ids: Vec<i64> = own_foreign_keys(conn, table_id)?
        .iter()
        .filter_map(|fk| fk.ref_table_id)
        .collect();
    ids.sort_unstable();
    ids.dedup();
    ids.retain(|id| *id != table_id);
    Ok(ids)
}

/// Fails with 547 when existing rows break one of the table's foreign keys
/// (ALTER TABLE ... ADD FOREIGN KEY checks the data, as SQL Server does).
pub(crate) fn check_rows(
    conn: &Connection,
    database: &str,
    table: &TableInfo,
) -> Result<(), SqlError> {
    for fk in own_foreign_keys(conn, table.object_id)? {
        let parent = other_table(conn, table, fk.ref_table_id)?;
        let child = quote(&table.sqlite_name());
        let sql = format!(
            "SELECT EXISTS (SELECT 1 FROM {child} AS c WHERE {} AND NOT EXISTS (SELECT 1 FROM {} AS p WHERE {}))",
            not_null(&fk.columns, "c"),
            quote(&parent.sqlite_name()),
            matching(&fk.ref_columns, "p", &fk.columns, "c")
        );
        let broken: bool = conn
            .query_row(&sql, [], |r| r.get(0))
            .map_err(|e| sqlite_error(&e))?;
        if broken {
            return Err(child_error("ALTER TABLE", database, &fk, &parent));
        }
    }
    Ok(())
}

fn own_foreign_keys(conn: &Connection, table_id: i64) -> Result<Vec<ConstraintInfo>, SqlError> {
    Ok(metadata::load_constraints(conn, table_id)?
        .into_iter()
        .filter(|c| c.kind == ConstraintKind::ForeignKey)
        .collect())
}

fn other_table(
    conn: &Connection,
    table: &TableInfo,
    id: Option<i64>,
) -> Result<TableInfo, SqlError> {
    match id {
        Some(id) if id == table.object_id => Ok(table.clone()),
        Some(id) => metadata::load_table_by_id(conn, id)?
            .ok_or_else(|| errors::internal("a foreign key's table is gone")),
        None => Err(errors::internal("a foreign key without a table")),
    }
}

/// `x.a1 IS NOT NULL AND x.a2 IS NOT NULL`.
fn not_null(columns: &[String], row: &str) -> String {
    columns
        .iter()
        .map(|c| format!("{row}.{} IS NOT NULL", quote(c)))
        .collect::<Vec<_>>()
        .join(" AND ")
}

/// `left.b1 = right.a1 AND ...`.
fn matching(left_columns: &[String], left: &str, right_columns: &[String], right: &str) -> String {
    left_columns
        .iter()
        .zip(right_columns)
        .map(|(l, r)| format!("{left}.{} = {right}.{}", quote(l), quote(r)))
        .collect::<Vec<_>>()
        .join(" AND ")
}

fn raise(error: &SqlError) -> String {
    format!("SELECT RAISE(ABORT, {})", quote_str(&encode_failure(error)))
}

fn conflict_detail(database: &str, table: &TableInfo, column: Option<&String>) -> String {
    format!(
        "The conflict occurred in database \"{database}\", table \"{}\", column '{}'.",
        table.display(),
        column.map_or("", String::as_str)
    )
}

fn child_error(verb: &str, database: &str, fk: &ConstraintInfo, parent: &TableInfo) -> SqlError {
    let detail = conflict_detail(database, parent, fk.ref_columns.first());
    errors::constraint_conflict(verb, "FOREIGN KEY", &fk.name, &detail)
}

fn trigger_name(fk: &ConstraintInfo, event: &str) -> String {
    quote(&format!("{PREFIX}{}:{event}", fk.object_id))
}

/// On the child: a new or changed key must have its parent row.
fn child_triggers(
    database: &str,
    child: &TableInfo,
    fk: &ConstraintInfo,
    parent: &TableInfo,
) -> Vec<String> {
    let missing = format!(
        "{} AND NOT EXISTS (SELECT 1 FROM {} AS p WHERE {})",
        not_null(&fk.columns, "NEW"),
        quote(&parent.sqlite_name()),
        matching(&fk.ref_columns, "p", &fk.columns, "NEW")
    );
    let target = quote(&child.sqlite_name());
    let columns = fk
        .columns
        .iter()
        .map(|c| quote(c))
        .collect::<Vec<_>>()
        .join(", ");
    vec![
        format!(
            "CREATE TRIGGER {} AFTER INSERT ON {target} FOR EACH ROW WHEN {missing} BEGIN {}; END",
            trigger_name(fk, "insert"),
            raise(&child_error("INSERT", database, fk, parent))
        ),
        format!(
            "CREATE TRIGGER {} AFTER UPDATE OF {columns} ON {target} FOR EACH ROW WHEN {missing} BEGIN {}; END",
            trigger_name(fk, "update"),
            raise(&child_error("UPDATE", database, fk, parent))
        ),
    ]
}

/// On the parent: deleting or rekeying a referenced row follows the
/// constraint's ON DELETE / ON UPDATE action.
fn parent_triggers(
    database: &str,
    parent: &TableInfo,
    fk: &ConstraintInfo,
    child: &TableInfo,
) -> Vec<String> {
    let actions = ChildActions {
        database,
        fk,
        child,
        table: quote(&child.sqlite_name()),
    };
    let target = quote(&parent.sqlite_name());
    let on_delete = actions.statement(&fk.on_delete, "DELETE", None);
    let delete_when = if fk.on_delete == "CASCADE" || fk.on_delete.starts_with("SET") {
        String::new()
    } else {
        format!(" WHEN {}", actions.exist())
    };
    let keys = fk
        .ref_columns
        .iter()
        .map(|c| quote(c))
        .collect::<Vec<_>>()
        .join(", ");
    let changed = fk
        .ref_columns
        .iter()
        .map(|c| format!("OLD.{0} IS NOT NEW.{0}", quote(c)))
        .collect::<Vec<_>>()
        .join(" OR ");
    let new_keys: Vec<String> = fk
        .ref_columns
        .iter()
        .map(|c| format!("NEW.{}", quote(c)))
        .collect();
    let on_update = actions.statement(&fk.on_update, "UPDATE", Some(&new_keys));
    let update_when = if fk.on_update == "CASCADE" || fk.on_update.starts_with("SET") {
        format!("({changed})")
    } else {
        format!("({changed}) AND {}", actions.exist())
    };
    vec![
        format!(
            "CREATE TRIGGER {} AFTER DELETE ON {target} FOR EACH ROW{delete_when} BEGIN {on_delete}; END",
            trigger_name(fk, "parent_delete")
        ),
        format!(
            "CREATE TRIGGER {} AFTER UPDATE OF {keys} ON {target} FOR EACH ROW WHEN {update_when} BEGIN {on_update}; END",
            trigger_name(fk, "parent_update")
        ),
    ]
}

/// What a parent's trigger does to the child rows of its OLD row.
struct ChildActions<'a> {
    database: &'a str,
    fk: &'a ConstraintInfo,
    child: &'a TableInfo,
    /// The child table, quoted; inside a trigger body UPDATE and DELETE
    /// cannot alias their table, so column names are qualified with it.
    table: String,
}

impl ChildActions<'_> {
    /// `EXISTS` a child row of the OLD parent row.
    fn exist(&self) -> String {
        format!(
            "EXISTS (SELECT 1 FROM {} AS c WHERE {})",
            self.table,
            matching(&self.fk.columns, "c", &self.fk.ref_columns, "OLD")
        )
    }

    /// The trigger body for `action` on the parent's `verb`; `new_keys` are
    /// the NEW key values an ON UPDATE CASCADE copies.
    fn statement(&self, action: &str, verb: &str, new_keys: Option<&[String]>) -> String {
        let children = matching(&self.fk.columns, &self.table, &self.fk.ref_columns, "OLD");
        let set = |values: &dyn Fn(usize, &String) -> String| {
            let pairs = self
                .fk
                .columns
                .iter()
                .enumerate()
                .map(|(i, c)| format!("{} = {}", quote(c), values(i, c)));
            pairs.collect::<Vec<_>>().join(", ")
        };
        match (action, new_keys) {
            ("CASCADE", None) => format!("DELETE FROM {} WHERE {children}", self.table),
            ("CASCADE", Some(keys)) => {
                format!(
                    "UPDATE {} SET {} WHERE {children}",
                    self.table,
                    set(&|i, _| keys[i].clone())
                )
            }
            ("SET NULL", _) => format!(
                "UPDATE {} SET {} WHERE {children}",
                self.table,
                set(&|_, _| "NULL".into())
            ),
            ("SET DEFAULT", _) => {
                let default = |_, column: &String| {
                    let sql = self
                        .child
                        .column(column)
                        .and_then(|c| c.default_sql.clone());
                    sql.map_or("NULL".to_string(), |d| format!("({d})"))
                };
                format!(
                    "UPDATE {} SET {} WHERE {children}",
                    self.table,
                    set(&default)
                )
            }
            _ => {
                let detail = conflict_detail(self.database, self.child, self.fk.columns.first());
                raise(&errors::constraint_conflict(
                    verb,
                    "REFERENCE",
                    &self.fk.name,
                    &detail,
                ))
            }
        }
    }
}
