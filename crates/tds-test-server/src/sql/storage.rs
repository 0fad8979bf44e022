//! SQLite files and connections: creating a database file with the test
//! server's metadata tables, and opening a tuned connection to one.
//!
//! Each SQL Server database is one SQLite file in WAL mode (readers never wait
//! for the writer). The `__tds_*` tables hold what SQLite cannot: schemas,
//! object ids, declared column types, identity state, constraint names and
//! view/procedure texts. They live in the same file so that DDL and its
//! metadata commit or roll back together. Durability is off: the files are a
//! test double's scratch space in a temp dir. What the metadata means is
//! `metadata`'s business; this module only creates and opens.

use std::path::Path;
use std::time::Duration;

use rusqlite::config::DbConfig;
use rusqlite::{Connection, OpenFlags};

use super::{SqlError, errors};

/// The metadata tables of every database file.
const METADATA: &str = "
CREATE TABLE __tds_schemas (
  schema_id INTEGER PRIMARY KEY,
  name TEXT NOT NULL COLLATE NOCASE UNIQUE
);
INSERT INTO __tds_schemas (schema_id, name)
  VALUES (1, 'dbo'), (2, 'guest'), (3, 'INFORMATION_SCHEMA'), (4, 'sys');
CREATE TABLE __tds_objects (
  object_id INTEGER PRIMARY KEY,
  schema_id INTEGER NOT NULL,
  name TEXT NOT NULL COLLATE NOCASE,
  type TEXT NOT NULL,
  parent_object_id INTEGER NOT NULL DEFAULT 0,
  definition TEXT,
  create_date TEXT NOT NULL,
  UNIQUE (schema_id, name)
);
CREATE TABLE __tds_columns (
  object_id INTEGER NOT NULL,
  column_id INTEGER NOT NULL,
  name TEXT NOT NULL COLLATE NOCASE,
  type TEXT NOT NULL,
  nullable INTEGER NOT NULL,
  identity_seed INTEGER,
  identity_increment INTEGER,
  identity_last INTEGER,
  default_object_id INTEGER,
  default_sql TEXT,
  PRIMARY KEY (object_id, column_id)
);
CREATE TABLE __tds_constraints (
  object_id INTEGER PRIMARY KEY,
  table_id INTEGER NOT NULL,
  kind TEXT NOT NULL,
  columns TEXT NOT NULL,
  ref_table_id INTEGER,
  ref_columns TEXT,
  on_delete TEXT,
  on_update TEXT,
  check_sql TEXT
);
";

/// How long SQLite itself retries a locked file. Writers are serialized by
/// the catalog's per-database permit before they reach SQLite, so this only
/// covers WAL housekeeping (checkpoints, recovery).
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

pub(crate) fn sqlite_error(err: &rusqlite::Error) -> SqlError {
    errors::internal(&err.to_string())
}

/// Creates a database file with empty metadata (the catalog's template).
pub(crate) fn create_database_file(path: &Path) -> Result<(), SqlError> {
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
        | OpenFlags::SQLITE_OPEN_CREATE
        | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags).map_err(|e| sqlite_error(&e))?;
    conn.pragma_update(None, "journal_mode", "WAL")
        .map_err(|e| sqlite_error(&e))?;
    conn.execute_batch(&format!(
        "PRAGMA synchronous = OFF; BEGIN; {METADATA} COMMIT;"
    ))
    .map_err(|e| sqlite_error(&e))
}

/// Creates a database file as a copy of the (closed, checkpointed)
/// template: far cheaper than running the metadata DDL for each of a
/// thousand databases.
pub(crate) fn copy_database_file(template: &Path, path: &Path) -> Result<(), SqlError> {
    std::fs::copy(template, path)
        .map(|_| ())
        .map_err(|e| errors::internal(&format!("cannot create a database file: {e}")))
}

/// Opens a connection to an existing database file, tuned for many small
/// sessions: a small page cache; recursive triggers for cascading foreign
/// keys (which are triggers, see `exec::foreign_keys`, so SQLite's own stay off).
pub(crate) fn open_connection(path: &Path) -> Result<Connection, SqlError> {
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags).map_err(|e| sqlite_error(&e))?;
    conn.busy_timeout(BUSY_TIMEOUT)
        .map_err(|e| sqlite_error(&e))?;
    // A "quoted" name that matches no column must be an error (207), not
    // SQLite's legacy fallback to a string literal.
    for config in [
        DbConfig::SQLITE_DBCONFIG_DQS_DML,
        DbConfig::SQLITE_DBCONFIG_DQS_DDL,
    ] {
        conn.set_db_config(config, false)
            .map_err(|e| sqlite_error(&e))?;
    }
    conn.execute_batch(
        "PRAGMA synchronous = OFF; PRAGMA cache_size = -256; \
         PRAGMA temp_store = MEMORY; PRAGMA trusted_schema = ON; PRAGMA recursive_triggers = ON;",
    )
    .map_err(|e| sqlite_error(&e))?;
    conn.set_prepared_statement_cache_capacity(32);
    Ok(conn)
}

/// `name` as a double-quoted SQLite identifier.
pub(crate) fn quote(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// `text` as a single-quoted SQLite string literal.
pub(crate) fn quote_str(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_file_has_the_fixed_schemas() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.sqlite");
        create_database_file(&path).unwrap();
        let conn = open_connection(&path).unwrap();
        let names: Vec<String> = conn
            .prepare("SELECT name FROM __tds_schemas ORDER BY schema_id")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(names, ["dbo", "guest", "INFORMATION_SCHEMA", "sys"]);
        let mode: String = conn
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
    }

    #[test]
    fn quoting_doubles_the_quote_character() {
        assert_eq!(quote("a\"b"), "\"a\"\"b\"");
        assert_eq!(quote_str("it's"), "'it''s'");
    }
}
