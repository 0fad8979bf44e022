//! SQLite DDL generated from the metadata: a table's CREATE TABLE (declared
//! types, `TDS` collation on text, defaults, named constraints), its
//! identity triggers, and the rebuild that ALTER TABLE needs because SQLite
//! cannot add or drop constraints in place.
//!
//! Rebuild: rename the old table away with legacy renaming (so triggers of
//! other tables keep naming the table, not its temporary name), create the
//! new definition under the real name, copy the rows (converting changed
//! columns), drop the old table, recreate indexes and identity triggers; the
//! caller then refreshes foreign-key triggers (`foreign_keys`). All inside the statement's
//! savepoint, so a failure (a NOT NULL column added to a non-empty table, a
//! new constraint the data violates) leaves nothing changed.

use rusqlite::Connection;

use super::super::metadata::{self, ConstraintInfo, ConstraintKind, TableInfo};
use super::super::storage::{quote, quote_str, sqlite_error};
use super::super::types::DataType;
use super::super::{SqlError, errors};
use super::foreign_keys;

/// The SQLite `CREATE TABLE` for a table under `sqlite_name`.
pub(crate) fn create_table_sql(
    table: &TableInfo,
    constraints: &[ConstraintInfo],
    sqlite_name: &str,
) -> String {
    let mut items = Vec::new();
    for column in &table.columns {
        let mut item = format!("{} {}", quote(&column.name), column.ty.decl());
        if column.ty.is_text() {
            item.push_str(" COLLATE TDS");
        }
        // Identity columns stay nullable in SQLite: their AFTER INSERT
        // trigger fills them in.
        if !column.nullable && column.identity.is_none() {
            item.push_str(" NOT NULL");
        }
        if let Some(default) = &column.default_sql {
            item.push_str(&format!(" DEFAULT ({default})"));
        }
        items.push(item);
    }
    items.extend(constraints.iter().filter_map(constraint_sql));
    format!("CREATE TABLE {} ({})", quote(sqlite_name), items.join(", "))
}

fn column_list(columns: &[String]) -> String {
    columns
        .iter()
        .map(|c| quote(c))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A constraint's clause in CREATE TABLE; `None` for foreign keys.
fn constraint_sql(constraint: &ConstraintInfo) -> Option<String> {
    let name = quote(&constraint.name);
    Some(match constraint.kind {
        ConstraintKind::PrimaryKey => format!(
            "CONSTRAINT {name} PRIMARY KEY ({})",
            column_list(&constraint.columns)
        ),
        ConstraintKind::Unique => format!(
            "CONSTRAINT {name} UNIQUE ({})",
            column_list(&constraint.columns)
        ),
        ConstraintKind::Check => format!(
            "CONSTRAINT {name} CHECK ({})",
            constraint.check_sql.as_deref().unwrap_or("1")
        ),
        // Enforced by triggers: see `foreign_keys`.
        ConstraintKind::ForeignKey => return None,
    })
}

/// The triggers that give an identity column its values: one numbers rows
/// inserted without a value, one moves the counter past explicit values
/// (IDENTITY_INSERT), as SQL Server does.
pub(crate) fn identity_triggers(table: &TableInfo) -> Vec<String> {
    let Some(column) = table.identity_column() else {
        return Vec::new();
    };
    let target = quote(&table.sqlite_name());
    let name = quote(&column.name);
    let row = format!(
        "object_id = {} AND column_id = {}",
        table.object_id, column.column_id
    );
    vec![
        format!(
            "CREATE TRIGGER {} AFTER INSERT ON {target} FOR EACH ROW WHEN NEW.{name} IS NULL BEGIN \
             UPDATE __tds_columns SET identity_last = COALESCE(identity_last + identity_increment, identity_seed) WHERE {row}; \
             UPDATE {target} SET {name} = (SELECT identity_last FROM __tds_columns WHERE {row}) WHERE rowid = NEW.rowid; END",
            quote(&format!("__tds_identity:{}", table.object_id))
        ),
        format!(
            "CREATE TRIGGER {} AFTER INSERT ON {target} FOR EACH ROW WHEN NEW.{name} IS NOT NULL BEGIN \
             UPDATE __tds_columns SET identity_last = NEW.{name} WHERE {row} AND (identity_last IS NULL \
             OR (identity_increment > 0 AND NEW.{name} > identity_last) OR (identity_increment < 0 AND NEW.{name} < identity_last)); END",
            quote(&format!("__tds_identity_seen:{}", table.object_id))
        ),
    ]
}

/// Creates the SQLite table and triggers for a table whose metadata is
/// already written (its parents get their foreign-key triggers too).
pub(crate) fn create_table(
    conn: &Connection,
    database: &str,
    table_id: i64,
) -> Result<(), SqlError> {
    let table = metadata::load_table_by_id(conn, table_id)?
        .ok_or_else(|| errors::internal("a new table has no metadata"))?;
    let constraints = metadata::load_constraints(conn, table_id)?;
    let mut sql = vec![create_table_sql(&table, &constraints, &table.sqlite_name())];
    sql.extend(identity_triggers(&table));
    conn.execute_batch(&sql.join("; "))
        .map_err(|e| sqlite_error(&e))?;
    foreign_keys::refresh(conn, database, table_id)?;
    for parent in foreign_keys::parents(conn, table_id)? {
        foreign_keys::refresh(conn, database, parent)?;
    }
    Ok(())
}

/// A column copied into the rebuilt table: its new metadata and the old
/// column it comes from (`None` for a new column).
pub(crate) struct CopiedColumn {
    pub name: String,
    pub from: Option<String>,
    pub ty: DataType,
    pub nullable: bool,
}

/// Rebuilds a table after its metadata changed. `copies` says where each
/// new column's data comes from; errors come back as SQLite errors for the
/// caller to word.
pub(crate) fn rebuild_table(
    conn: &Connection,
    table_id: i64,
    copies: &[CopiedColumn],
) -> Result<(), rusqlite::Error> {
    let table = metadata::load_table_by_id(conn, table_id)
        .ok()
        .flatten()
        .ok_or_else(|| rusqlite::Error::InvalidParameterName("table metadata".into()))?;
    let constraints = metadata::load_constraints(conn, table_id).unwrap_or_default();
    let name = table.sqlite_name();
    let old = format!("__tds_rebuild:{table_id}");
    let indexes: Vec<String> = conn
        .prepare("SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ?1 AND sql IS NOT NULL")?
        .query_map([&name], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    let create = create_table_sql(&table, &constraints, &name);
    // Existing rows: kept columns are converted to their (maybe new) type;
    // new nullable columns are NULL, as in SQL Server without WITH VALUES;
    // new NOT NULL columns are left out so their default applies (or the
    // copy fails, like SQL Server's error 4901, when there is none).
    let copied: Vec<&CopiedColumn> = copies
        .iter()
        .filter(|c| c.from.is_some() || c.nullable)
        .collect();
    let targets: Vec<String> = copied.iter().map(|c| quote(&c.name)).collect();
    let sources: Vec<String> = copied
        .iter()
        .map(|c| match &c.from {
            Some(from) => format!(
                "tds_cast({}, {}, 2, NULL, {}, {})",
                quote(from),
                quote_str(&c.ty.decl()),
                quote_str(&table.display()),
                quote_str(&c.name)
            ),
            None => "NULL".into(),
        })
        .collect();
    conn.execute_batch(&format!(
        "PRAGMA legacy_alter_table = ON; ALTER TABLE {q} RENAME TO {o}; PRAGMA legacy_alter_table = OFF; {create};",
        q = quote(&name),
        o = quote(&old)
    ))?;
    if !targets.is_empty() {
        conn.execute(
            &format!(
                "INSERT INTO {} ({}) SELECT {} FROM {}",
                quote(&name),
                targets.join(", "),
                sources.join(", "),
                quote(&old)
            ),
            [],
        )?;
    }
    let mut rest = vec![format!("DROP TABLE {}", quote(&old))];
    rest.extend(indexes);
    rest.extend(identity_triggers(&table));
    conn.execute_batch(&rest.join("; "))
}
