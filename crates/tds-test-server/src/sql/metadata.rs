//! Reading and writing the `__tds_*` metadata of one database: schemas,
//! objects with their ids, table columns (declared type, identity, default)
//! and constraints. [`TableInfo`] is the loaded view of one table that the
//! translator types queries with and DDL rebuilds tables from.
//!
//! SQL Server names compare case-insensitively (the metadata columns use
//! NOCASE). A table `s.t` is the SQLite table `"s.t"`. Generating SQLite DDL
//! from this metadata is `exec::schema`'s job, not this module's.

use chrono::Utc;
use rusqlite::{Connection, OptionalExtension, params};

use super::storage::sqlite_error;
use super::types::DataType;
use super::values::format_datetime;
use super::{SqlError, errors};

pub(crate) const DBO: &str = "dbo";

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ColumnInfo {
    pub column_id: i64,
    pub name: String,
    pub ty: DataType,
    pub nullable: bool,
    pub identity: Option<(i64, i64)>,
    pub default_object_id: Option<i64>,
    /// The default as SQLite expression text.
    pub default_sql: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct TableInfo {
    pub object_id: i64,
    pub schema_id: i64,
    pub schema: String,
    pub name: String,
    pub columns: Vec<ColumnInfo>,
}

impl TableInfo {
    /// The SQLite table holding it.
    pub fn sqlite_name(&self) -> String {
        sqlite_name(&self.schema, &self.name)
    }

    /// `schema.name`, as SQL Server prints objects in messages.
    pub fn display(&self) -> String {
        format!("{}.{}", self.schema, self.name)
    }

    pub fn column(&self, name: &str) -> Option<&ColumnInfo> {
        self.columns
            .iter()
            .find(|c| c.name.eq_ignore_ascii_case(name))
    }

    pub fn identity_column(&self) -> Option<&ColumnInfo> {
        self.columns.iter().find(|c| c.identity.is_some())
    }
}

pub(crate) fn sqlite_name(schema: &str, name: &str) -> String {
    format!("{schema}.{name}")
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ConstraintKind {
    PrimaryKey,
    Unique,
    ForeignKey,
    Check,
}

impl ConstraintKind {
    pub fn code(self) -> &'static str {
        match self {
            ConstraintKind::PrimaryKey => "PK",
            ConstraintKind::Unique => "UQ",
            ConstraintKind::ForeignKey => "F",
            ConstraintKind::Check => "C",
        }
    }

    fn from_code(code: &str) -> Option<ConstraintKind> {
        Some(match code {
            "PK" => ConstraintKind::PrimaryKey,
            "UQ" => ConstraintKind::Unique,
            "F" => ConstraintKind::ForeignKey,
            "C" => ConstraintKind::Check,
            _ => return None,
        })
    }

    /// The words SQL Server uses in messages (`PRIMARY KEY`, `FOREIGN KEY`).
    pub fn words(self) -> &'static str {
        match self {
            ConstraintKind::PrimaryKey => "PRIMARY KEY",
            ConstraintKind::Unique => "UNIQUE KEY",
            ConstraintKind::ForeignKey => "FOREIGN KEY",
            ConstraintKind::Check => "CHECK",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ConstraintInfo {
    pub object_id: i64,
    pub name: String,
    pub table_id: i64,
    pub kind: ConstraintKind,
    pub columns: Vec<String>,
    pub ref_table_id: Option<i64>,
    pub ref_columns: Vec<String>,
    pub on_delete: String,
    pub on_update: String,
    pub check_sql: Option<String>,
}

fn split_list(text: &str) -> Vec<String> {
    text.split('\u{1f}')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// Column lists are stored joined by a unit separator, which no name holds.
pub(crate) fn join_list(names: &[String]) -> String {
    names.join("\u{1f}")
}

pub(crate) fn now_text() -> String {
    format_datetime(&Utc::now().naive_utc())
}

pub(crate) fn schema_id(conn: &Connection, name: &str) -> Result<Option<(i64, String)>, SqlError> {
    conn.prepare_cached("SELECT schema_id, name FROM __tds_schemas WHERE name = ?1")
        .and_then(|mut s| {
            s.query_row([name], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()
        })
        .map_err(|e| sqlite_error(&e))
}

/// The object `schema.name` of any type: (object_id, type).
pub(crate) fn find_object(
    conn: &Connection,
    schema: &str,
    name: &str,
) -> Result<Option<(i64, String)>, SqlError> {
    conn.prepare_cached(
        "SELECT o.object_id, o.type FROM __tds_objects o JOIN __tds_schemas s ON s.schema_id = o.schema_id \
         WHERE s.name = ?1 AND o.name = ?2",
    )
    .and_then(|mut s| s.query_row([schema, name], |r| Ok((r.get(0)?, r.get(1)?))).optional())
    .map_err(|e| sqlite_error(&e))
}

/// Loads a user table; `None` when no object of that name exists, error
/// 40902 when it is a view or procedure (kept as text only).
pub(crate) fn load_table(
    conn: &Connection,
    schema: &str,
    name: &str,
) -> Result<Option<TableInfo>, SqlError> {
    let found = conn
        .prepare_cached(
            "SELECT o.object_id, o.schema_id, s.name, o.name, o.type FROM __tds_objects o \
             JOIN __tds_schemas s ON s.schema_id = o.schema_id WHERE s.name = ?1 AND o.name = ?2",
        )
        .and_then(|mut s| {
            s.query_row([schema, name], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                ))
            })
            .optional()
        })
        .map_err(|e| sqlite_error(&e))?;
    let Some((object_id, schema_id, schema, name, kind)) = found else {
        return Ok(None);
    };
    match kind.as_str() {
        "U" => {}
        "V" => {
            return Err(errors::text_only_module(
                "view",
                &format!("{schema}.{name}"),
            ));
        }
        "P" => {
            return Err(errors::text_only_module(
                "procedure",
                &format!("{schema}.{name}"),
            ));
        }
        _ => return Ok(None),
    }
    let columns = load_columns(conn, object_id)?;
    Ok(Some(TableInfo {
        object_id,
        schema_id,
        schema,
        name,
        columns,
    }))
}

pub(crate) fn load_table_by_id(
    conn: &Connection,
    object_id: i64,
) -> Result<Option<TableInfo>, SqlError> {
    let found: Option<(String, String)> = conn
        .prepare_cached(
            "SELECT s.name, o.name FROM __tds_objects o JOIN __tds_schemas s ON s.schema_id = o.schema_id \
             WHERE o.object_id = ?1 AND o.type = 'U'",
        )
        .and_then(|mut s| s.query_row([object_id], |r| Ok((r.get(0)?, r.get(1)?))).optional())
        .map_err(|e| sqlite_error(&e))?;
    match found {
        Some((schema, name)) => load_table(conn, &schema, &name),
        None => Ok(None),
    }
}

fn load_columns(conn: &Connection, object_id: i64) -> Result<Vec<ColumnInfo>, SqlError> {
    let mut statement = conn
        .prepare_cached(
            "SELECT column_id, name, type, nullable, identity_seed, identity_increment, default_object_id, default_sql \
             FROM __tds_columns WHERE object_id = ?1 ORDER BY column_id",
        )
        .map_err(|e| sqlite_error(&e))?;
    let rows = statement
        .query_map([object_id], |r| {
            let decl: String = r.get(2)?;
            let seed: Option<i64> = r.get(4)?;
            let increment: Option<i64> = r.get(5)?;
            Ok((
                r.get(0)?,
                r.get(1)?,
                decl,
                r.get::<_, bool>(3)?,
                seed.zip(increment),
                r.get(6)?,
                r.get(7)?,
            ))
        })
        .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
        .map_err(|e| sqlite_error(&e))?;
    rows.into_iter()
        .map(
            |(column_id, name, decl, nullable, identity, default_object_id, default_sql)| {
                let ty = DataType::from_decl(&decl)
                    .ok_or_else(|| errors::internal(&format!("bad stored type {decl}")))?;
                Ok(ColumnInfo {
                    column_id,
                    name,
                    ty,
                    nullable,
                    identity,
                    default_object_id,
                    default_sql,
                })
            },
        )
        .collect()
}

pub(crate) fn load_constraints(
    conn: &Connection,
    table_id: i64,
) -> Result<Vec<ConstraintInfo>, SqlError> {
    query_constraints(conn, "c.table_id = ?1", table_id)
}

/// Foreign keys of other tables that reference `table_id`.
pub(crate) fn referencing_constraints(
    conn: &Connection,
    table_id: i64,
) -> Result<Vec<ConstraintInfo>, SqlError> {
    query_constraints(conn, "c.ref_table_id = ?1 AND c.table_id <> ?1", table_id)
}

fn query_constraints(
    conn: &Connection,
    filter: &str,
    id: i64,
) -> Result<Vec<ConstraintInfo>, SqlError> {
    let sql = format!(
        "SELECT c.object_id, o.name, c.table_id, c.kind, c.columns, c.ref_table_id, c.ref_columns, \
         c.on_delete, c.on_update, c.check_sql FROM __tds_constraints c \
         JOIN __tds_objects o ON o.object_id = c.object_id WHERE {filter} ORDER BY c.object_id"
    );
    let mut statement = conn.prepare_cached(&sql).map_err(|e| sqlite_error(&e))?;
    let rows = statement
        .query_map([id], |r| {
            let kind: String = r.get(3)?;
            let columns: String = r.get(4)?;
            let ref_columns: Option<String> = r.get(6)?;
            Ok(ConstraintInfo {
                object_id: r.get(0)?,
                name: r.get(1)?,
                table_id: r.get(2)?,
                kind: ConstraintKind::from_code(&kind).unwrap_or(ConstraintKind::Check),
                columns: split_list(&columns),
                ref_table_id: r.get(5)?,
                ref_columns: split_list(&ref_columns.unwrap_or_default()),
                on_delete: r.get::<_, Option<String>>(7)?.unwrap_or_default(),
                on_update: r.get::<_, Option<String>>(8)?.unwrap_or_default(),
                check_sql: r.get(9)?,
            })
        })
        .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
        .map_err(|e| sqlite_error(&e))?;
    Ok(rows)
}

/// Registers a new object; error 2714 when its name is taken in the schema.
pub(crate) fn insert_object(
    conn: &Connection,
    schema_id: i64,
    name: &str,
    kind: &str,
    parent: i64,
    definition: Option<&str>,
) -> Result<i64, SqlError> {
    let taken: Option<i64> = conn
        .prepare_cached("SELECT object_id FROM __tds_objects WHERE schema_id = ?1 AND name = ?2")
        .and_then(|mut s| {
            s.query_row(params![schema_id, name], |r| r.get(0))
                .optional()
        })
        .map_err(|e| sqlite_error(&e))?;
    if taken.is_some() {
        return Err(errors::object_exists(name));
    }
    // Ids look like SQL Server's (large, never reused while the file lives).
    let next: i64 = conn
        .query_row(
            "SELECT COALESCE(MAX(object_id), 1000000) + 17 FROM __tds_objects",
            [],
            |r| r.get(0),
        )
        .map_err(|e| sqlite_error(&e))?;
    conn.prepare_cached(
        "INSERT INTO __tds_objects (object_id, schema_id, name, type, parent_object_id, definition, create_date) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )
    .and_then(|mut s| s.execute(params![next, schema_id, name, kind, parent, definition, now_text()]))
    .map_err(|e| sqlite_error(&e))?;
    Ok(next)
}

pub(crate) fn delete_object(conn: &Connection, object_id: i64) -> Result<(), SqlError> {
    conn.execute(
        "DELETE FROM __tds_objects WHERE object_id = ?1",
        [object_id],
    )
    .and_then(|_| {
        conn.execute(
            "DELETE FROM __tds_constraints WHERE object_id = ?1",
            [object_id],
        )
    })
    .map(|_| ())
    .map_err(|e| sqlite_error(&e))
}

pub(crate) fn insert_column(
    conn: &Connection,
    object_id: i64,
    column: &ColumnInfo,
) -> Result<(), SqlError> {
    let (seed, increment) = column.identity.unzip();
    conn.prepare_cached(
        "INSERT INTO __tds_columns (object_id, column_id, name, type, nullable, identity_seed, \
         identity_increment, default_object_id, default_sql) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )
    .and_then(|mut s| {
        s.execute(params![
            object_id,
            column.column_id,
            column.name,
            column.ty.decl(),
            column.nullable,
            seed,
            increment,
            column.default_object_id,
            column.default_sql
        ])
    })
    .map(|_| ())
    .map_err(|e| sqlite_error(&e))
}

pub(crate) fn insert_constraint(conn: &Connection, c: &ConstraintInfo) -> Result<(), SqlError> {
    conn.prepare_cached(
        "INSERT INTO __tds_constraints (object_id, table_id, kind, columns, ref_table_id, ref_columns, \
         on_delete, on_update, check_sql) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )
    .and_then(|mut s| {
        s.execute(params![
            c.object_id,
            c.table_id,
            c.kind.code(),
            join_list(&c.columns),
            c.ref_table_id,
            join_list(&c.ref_columns),
            c.on_delete,
            c.on_update,
            c.check_sql
        ])
    })
    .map(|_| ())
    .map_err(|e| sqlite_error(&e))
}

/// A constraint or default name in SQL Server's generated style, e.g.
/// `PK__wsdb_his__3A1B2C3D4E5F6071`.
pub(crate) fn generated_name(
    prefix: &str,
    table: &str,
    column: Option<&str>,
    object_id: i64,
) -> String {
    let short = |s: &str| s.chars().take(8).collect::<String>();
    let hash = crate::sql::applock::resource_hash(&format!(
        "{table}/{}/{object_id}",
        column.unwrap_or("")
    ));
    match column {
        Some(column) => format!("{prefix}__{}__{}__{hash:08X}", short(table), short(column)),
        None => format!(
            "{prefix}__{}__{hash:08X}{:08X}",
            short(table),
            object_id & 0xFFFF_FFFF
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sql::storage;

    fn database() -> (tempfile::TempDir, Connection) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.sqlite");
        storage::create_database_file(&path).unwrap();
        let conn = storage::open_connection(&path).unwrap();
        (dir, conn)
    }

    #[test]
    fn objects_are_unique_per_schema_ignoring_case() {
        let (_dir, conn) = database();
        let id = insert_object(&conn, 1, "Things", "U", 0, None).unwrap();
        assert!(id > 1_000_000);
        assert_eq!(
            insert_object(&conn, 1, "THINGS", "V", 0, None)
                .unwrap_err()
                .number,
            2714
        );
        assert_eq!(
            find_object(&conn, "DBO", "things").unwrap(),
            Some((id, "U".to_string()))
        );
        assert!(
            insert_object(&conn, 2, "things", "U", 0, None).is_ok(),
            "another schema"
        );
    }

    #[test]
    fn tables_load_with_their_columns() {
        let (_dir, conn) = database();
        let id = insert_object(&conn, 1, "t", "U", 0, None).unwrap();
        let column = ColumnInfo {
            column_id: 1,
            name: "id".into(),
            ty: DataType::BigInt,
            nullable: false,
            identity: Some((1, 1)),
            default_object_id: None,
            default_sql: None,
        };
        insert_column(&conn, id, &column).unwrap();
        let table = load_table(&conn, "dbo", "T").unwrap().unwrap();
        assert_eq!(table.columns, vec![column]);
        assert_eq!(table.sqlite_name(), "dbo.t");
        assert_eq!(table.identity_column().map(|c| c.name.as_str()), Some("id"));
        assert!(load_table(&conn, "dbo", "missing").unwrap().is_none());
    }

    #[test]
    fn views_are_text_only() {
        let (_dir, conn) = database();
        insert_object(&conn, 1, "v", "V", 0, Some("CREATE VIEW v AS SELECT 1")).unwrap();
        assert_eq!(
            load_table(&conn, "dbo", "v").unwrap_err().number,
            errors::TEXT_ONLY_MODULE
        );
    }

    #[test]
    fn generated_names_look_like_sql_servers() {
        let name = generated_name("PK", "wsdb_history", None, 1_000_017);
        assert!(name.starts_with("PK__wsdb_his__"), "{name}");
        assert_eq!(name.len(), "PK__wsdb_his__".len() + 16);
    }
}
