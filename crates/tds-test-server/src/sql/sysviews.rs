//! The read-only system views, computed when a statement uses them: each is
//! a common table expression over the metadata tables (`sys.tables`,
//! `sys.columns`, `INFORMATION_SCHEMA.COLUMNS`, ...) or over server state
//! bound as values (`sys.databases`, `sys.dm_exec_sessions`,
//! `sys.dm_tran_locks`). Columns carry SQL Server's types.
//!
//! Only the commonly queried columns exist; the translator reports any
//! other as error 207 like a missing column.

use rusqlite::types::Value as Lite;

use super::applock::{LockOwner, resource_description};
use super::translate::Translator;
use super::types::{DataType, TextKind};
use super::{SqlError, storage};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SysView {
    Schemas,
    Objects,
    Tables,
    Views,
    Procedures,
    Columns,
    Indexes,
    ForeignKeys,
    Databases,
    Sessions,
    Locks,
    InfoTables,
    InfoColumns,
    InfoSchemata,
}

const ALL: [SysView; 14] = [
    SysView::Schemas,
    SysView::Objects,
    SysView::Tables,
    SysView::Views,
    SysView::Procedures,
    SysView::Columns,
    SysView::Indexes,
    SysView::ForeignKeys,
    SysView::Databases,
    SysView::Sessions,
    SysView::Locks,
    SysView::InfoTables,
    SysView::InfoColumns,
    SysView::InfoSchemata,
];

const SYSNAME: DataType = DataType::Text {
    kind: TextKind::NVarChar,
    len: Some(128),
};

fn nvarchar(len: u32) -> DataType {
    DataType::nvarchar(len)
}

/// The object columns shared by sys.objects, sys.tables, sys.views, ...
fn object_columns() -> Vec<(&'static str, DataType)> {
    vec![
        ("name", SYSNAME),
        ("object_id", DataType::Int),
        ("principal_id", DataType::Int),
        ("schema_id", DataType::Int),
        ("parent_object_id", DataType::Int),
        (
            "type",
            DataType::Text {
                kind: TextKind::Char,
                len: Some(2),
            },
        ),
        ("type_desc", nvarchar(60)),
        ("create_date", DataType::DateTime),
        ("modify_date", DataType::DateTime),
        ("is_ms_shipped", DataType::Bit),
    ]
}

const OBJECT_SELECT: &str = "SELECT o.name, o.object_id, NULL, o.schema_id, o.parent_object_id, o.type, \
     CASE o.type WHEN 'U' THEN 'USER_TABLE' WHEN 'V' THEN 'VIEW' WHEN 'P' THEN 'SQL_STORED_PROCEDURE' \
     WHEN 'FN' THEN 'SQL_SCALAR_FUNCTION' WHEN 'TR' THEN 'SQL_TRIGGER' WHEN 'PK' THEN 'PRIMARY_KEY_CONSTRAINT' \
     WHEN 'UQ' THEN 'UNIQUE_CONSTRAINT' WHEN 'F' THEN 'FOREIGN_KEY_CONSTRAINT' WHEN 'C' THEN 'CHECK_CONSTRAINT' \
     WHEN 'D' THEN 'DEFAULT_CONSTRAINT' ELSE o.type END, o.create_date, o.create_date, 0 FROM __tds_objects o";

impl SysView {
    pub fn find(schema: &str, name: &str) -> Option<SysView> {
        ALL.into_iter().find(|v| {
            v.schema().eq_ignore_ascii_case(schema) && v.table().eq_ignore_ascii_case(name)
        })
    }

    pub fn schema(self) -> &'static str {
        match self {
            SysView::InfoTables | SysView::InfoColumns | SysView::InfoSchemata => {
                "INFORMATION_SCHEMA"
            }
            _ => "sys",
        }
    }

    pub fn table(self) -> &'static str {
        match self {
            SysView::Schemas => "schemas",
            SysView::Objects => "objects",
            SysView::Tables => "tables",
            SysView::Views => "views",
            SysView::Procedures => "procedures",
            SysView::Columns => "columns",
            SysView::Indexes => "indexes",
            SysView::ForeignKeys => "foreign_keys",
            SysView::Databases => "databases",
            SysView::Sessions => "dm_exec_sessions",
            SysView::Locks => "dm_tran_locks",
            SysView::InfoTables => "TABLES",
            SysView::InfoColumns => "COLUMNS",
            SysView::InfoSchemata => "SCHEMATA",
        }
    }

    /// The CTE's name in the SQLite statement.
    pub fn cte_name(self) -> String {
        format!("{}.{}", self.schema(), self.table())
    }

    pub fn columns(self) -> Vec<(&'static str, DataType)> {
        match self {
            SysView::Schemas => vec![
                ("name", SYSNAME),
                ("schema_id", DataType::Int),
                ("principal_id", DataType::Int),
            ],
            SysView::Objects | SysView::Tables | SysView::Views | SysView::Procedures => {
                object_columns()
            }
            SysView::ForeignKeys => {
                let mut columns = object_columns();
                columns.extend([
                    ("referenced_object_id", DataType::Int),
                    ("delete_referential_action_desc", nvarchar(60)),
                ]);
                columns
            }
            SysView::Columns => vec![
                ("object_id", DataType::Int),
                ("name", SYSNAME),
                ("column_id", DataType::Int),
                ("system_type_id", DataType::TinyInt),
                ("user_type_id", DataType::Int),
                ("max_length", DataType::SmallInt),
                ("precision", DataType::TinyInt),
                ("scale", DataType::TinyInt),
                ("is_nullable", DataType::Bit),
                ("is_identity", DataType::Bit),
            ],
            SysView::Indexes => vec![
                ("object_id", DataType::Int),
                ("name", SYSNAME),
                ("index_id", DataType::Int),
                ("type_desc", nvarchar(60)),
                ("is_unique", DataType::Bit),
                ("is_primary_key", DataType::Bit),
                ("is_unique_constraint", DataType::Bit),
            ],
            SysView::Databases => vec![
                ("name", SYSNAME),
                ("database_id", DataType::Int),
                ("create_date", DataType::DateTime),
                ("compatibility_level", DataType::TinyInt),
                ("collation_name", SYSNAME),
                ("state", DataType::TinyInt),
                ("state_desc", nvarchar(60)),
                ("is_read_committed_snapshot_on", DataType::Bit),
                ("snapshot_isolation_state", DataType::TinyInt),
                ("recovery_model_desc", nvarchar(60)),
            ],
            SysView::Sessions => vec![
                ("session_id", DataType::SmallInt),
                ("login_time", DataType::DateTime),
                ("host_name", SYSNAME),
                ("program_name", SYSNAME),
                ("login_name", SYSNAME),
                ("status", nvarchar(30)),
                ("database_id", DataType::SmallInt),
                ("is_user_process", DataType::Bit),
            ],
            SysView::Locks => vec![
                ("resource_type", nvarchar(60)),
                ("resource_database_id", DataType::Int),
                ("resource_description", nvarchar(256)),
                ("resource_associated_entity_id", DataType::BigInt),
                ("request_mode", nvarchar(60)),
                ("request_type", nvarchar(60)),
                ("request_status", nvarchar(60)),
                ("request_owner_type", nvarchar(60)),
                ("request_session_id", DataType::Int),
            ],
            SysView::InfoTables => vec![
                ("TABLE_CATALOG", SYSNAME),
                ("TABLE_SCHEMA", SYSNAME),
                ("TABLE_NAME", SYSNAME),
                (
                    "TABLE_TYPE",
                    DataType::Text {
                        kind: TextKind::VarChar,
                        len: Some(10),
                    },
                ),
            ],
            SysView::InfoColumns => vec![
                ("TABLE_CATALOG", SYSNAME),
                ("TABLE_SCHEMA", SYSNAME),
                ("TABLE_NAME", SYSNAME),
                ("COLUMN_NAME", SYSNAME),
                ("ORDINAL_POSITION", DataType::Int),
                ("COLUMN_DEFAULT", nvarchar(4000)),
                (
                    "IS_NULLABLE",
                    DataType::Text {
                        kind: TextKind::VarChar,
                        len: Some(3),
                    },
                ),
                ("DATA_TYPE", SYSNAME),
                ("CHARACTER_MAXIMUM_LENGTH", DataType::Int),
                ("NUMERIC_PRECISION", DataType::TinyInt),
                ("NUMERIC_SCALE", DataType::Int),
            ],
            SysView::InfoSchemata => vec![
                ("CATALOG_NAME", SYSNAME),
                ("SCHEMA_NAME", SYSNAME),
                ("SCHEMA_OWNER", SYSNAME),
            ],
        }
    }

    /// The CTE text (`"sys.tables"(name, ...) AS (SELECT ...)`).
    pub fn cte(self, translator: &mut Translator<'_>) -> Result<String, SqlError> {
        let body = self.body(translator)?;
        let names: Vec<String> = self
            .columns()
            .iter()
            .map(|(n, _)| storage::quote(n))
            .collect();
        Ok(format!(
            "{}({}) AS ({body})",
            storage::quote(&self.cte_name()),
            names.join(", ")
        ))
    }

    fn body(self, translator: &mut Translator<'_>) -> Result<String, SqlError> {
        let database = storage::quote_str(translator.env.session.database());
        Ok(match self {
            SysView::Schemas => "SELECT name, schema_id, 1 FROM __tds_schemas".into(),
            SysView::Objects => OBJECT_SELECT.into(),
            SysView::Tables => format!("{OBJECT_SELECT} WHERE o.type = 'U'"),
            SysView::Views => format!("{OBJECT_SELECT} WHERE o.type = 'V'"),
            SysView::Procedures => format!("{OBJECT_SELECT} WHERE o.type = 'P'"),
            SysView::ForeignKeys => "SELECT o.name, o.object_id, NULL, o.schema_id, o.parent_object_id, o.type, 'FOREIGN_KEY_CONSTRAINT', \
                 o.create_date, o.create_date, 0, c.ref_table_id, \
                 CASE c.on_delete WHEN 'CASCADE' THEN 'CASCADE' WHEN 'SET NULL' THEN 'SET_NULL' \
                 WHEN 'SET DEFAULT' THEN 'SET_DEFAULT' ELSE 'NO_ACTION' END \
                 FROM __tds_objects o JOIN __tds_constraints c ON c.object_id = o.object_id WHERE c.kind = 'F'"
                .into(),
            SysView::Columns => "SELECT object_id, name, column_id, tds_type_info(type, 'system_type_id'), \
                 tds_type_info(type, 'system_type_id'), tds_type_info(type, 'max_length'), \
                 tds_type_info(type, 'precision'), tds_type_info(type, 'scale'), nullable, \
                 identity_seed IS NOT NULL FROM __tds_columns"
                .into(),
            SysView::Indexes => "SELECT c.table_id, o.name, CASE c.kind WHEN 'PK' THEN 1 ELSE 2 END, \
                 CASE c.kind WHEN 'PK' THEN 'CLUSTERED' ELSE 'NONCLUSTERED' END, 1, c.kind = 'PK', c.kind = 'UQ' \
                 FROM __tds_constraints c JOIN __tds_objects o ON o.object_id = c.object_id WHERE c.kind IN ('PK', 'UQ') \
                 UNION ALL SELECT t.object_id, substr(m.name, length(m.tbl_name) + 2), 100 + m.rowid, 'NONCLUSTERED', \
                 m.sql LIKE 'CREATE UNIQUE%', 0, 0 FROM sqlite_master m \
                 JOIN __tds_objects t ON t.type = 'U' JOIN __tds_schemas s ON s.schema_id = t.schema_id \
                 WHERE m.type = 'index' AND m.sql IS NOT NULL AND m.tbl_name = s.name || '.' || t.name"
                .into(),
            SysView::InfoTables => format!(
                "SELECT {database}, s.name, o.name, CASE o.type WHEN 'U' THEN 'BASE TABLE' ELSE 'VIEW' END \
                 FROM __tds_objects o JOIN __tds_schemas s ON s.schema_id = o.schema_id WHERE o.type IN ('U', 'V')"
            ),
            SysView::InfoColumns => format!(
                "SELECT {database}, s.name, o.name, c.name, c.column_id, c.default_sql, \
                 CASE WHEN c.nullable THEN 'YES' ELSE 'NO' END, tds_type_info(c.type, 'name'), \
                 CASE WHEN tds_type_info(c.type, 'name') LIKE '%char' THEN tds_type_info(c.type, 'max_length') / \
                 (CASE WHEN tds_type_info(c.type, 'name') LIKE 'n%' AND tds_type_info(c.type, 'max_length') > 0 THEN 2 ELSE 1 END) END, \
                 nullif(tds_type_info(c.type, 'precision'), 0), \
                 CASE WHEN tds_type_info(c.type, 'precision') > 0 THEN tds_type_info(c.type, 'scale') END \
                 FROM __tds_columns c JOIN __tds_objects o ON o.object_id = c.object_id \
                 JOIN __tds_schemas s ON s.schema_id = o.schema_id"
            ),
            SysView::InfoSchemata => format!("SELECT {database}, name, 'dbo' FROM __tds_schemas"),
            SysView::Databases => databases(translator)?,
            SysView::Sessions => sessions(translator)?,
            SysView::Locks => locks(translator)?,
        })
    }
}

/// `SELECT ... WHERE 0` of the right width when there are no rows.
fn values(
    translator: &mut Translator<'_>,
    rows: Vec<Vec<Lite>>,
    width: usize,
) -> Result<String, SqlError> {
    if rows.is_empty() {
        return Ok(format!("SELECT {} WHERE 0", vec!["NULL"; width].join(", ")));
    }
    let mut rendered = Vec::with_capacity(rows.len());
    for row in rows {
        let cells = row
            .into_iter()
            .map(|v| translator.bind(v))
            .collect::<Result<Vec<_>, _>>()?;
        rendered.push(format!("({})", cells.join(", ")));
    }
    Ok(format!("VALUES {}", rendered.join(", ")))
}

fn text(s: &str) -> Lite {
    Lite::Text(s.to_string())
}

fn databases(translator: &mut Translator<'_>) -> Result<String, SqlError> {
    let rows = translator
        .env
        .session
        .catalog()
        .databases()
        .iter()
        .map(|d| {
            let on =
                |option: &str| Lite::Integer(i64::from(d.option(option).as_deref() == Some("ON")));
            let level = d
                .option("COMPATIBILITY_LEVEL")
                .and_then(|l| l.parse().ok())
                .unwrap_or(160);
            vec![
                text(&d.name),
                Lite::Integer(i64::from(d.id)),
                text(&super::values::format_datetime(&d.created)),
                Lite::Integer(level),
                text("SQL_Latin1_General_CP1_CI_AS"),
                Lite::Integer(0),
                text("ONLINE"),
                on("READ_COMMITTED_SNAPSHOT"),
                on("ALLOW_SNAPSHOT_ISOLATION"),
                text(&d.option("RECOVERY").unwrap_or_else(|| "FULL".into())),
            ]
        })
        .collect();
    values(translator, rows, 10)
}

fn sessions(translator: &mut Translator<'_>) -> Result<String, SqlError> {
    let own = translator.env.session.spid();
    let rows = translator
        .env
        .session
        .catalog()
        .sessions()
        .iter()
        .map(|s| {
            vec![
                Lite::Integer(i64::from(s.info.spid)),
                text(&super::values::format_datetime(&s.login_time)),
                text(&s.info.host),
                text(&s.info.program),
                text(&s.info.login),
                text(if s.info.spid == own {
                    "running"
                } else {
                    "sleeping"
                }),
                Lite::Integer(i64::from(s.database_id)),
                Lite::Integer(1),
            ]
        })
        .collect();
    values(translator, rows, 8)
}

fn locks(translator: &mut Translator<'_>) -> Result<String, SqlError> {
    let rows = translator
        .env
        .session
        .catalog()
        .locks
        .rows()
        .iter()
        .map(|row| {
            vec![
                text("APPLICATION"),
                Lite::Integer(i64::from(row.key.database_id)),
                text(&resource_description(&row.key)),
                Lite::Integer(0),
                text("X"),
                text("LOCK"),
                text(if row.granted { "GRANT" } else { "WAIT" }),
                text(match row.owner {
                    LockOwner::Session => "SESSION",
                    LockOwner::Transaction => "TRANSACTION",
                }),
                Lite::Integer(i64::from(row.spid)),
            ]
        })
        .collect();
    values(translator, rows, 9)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn views_are_found_by_schema_and_name_ignoring_case() {
        assert_eq!(SysView::find("SYS", "Tables"), Some(SysView::Tables));
        assert_eq!(
            SysView::find("information_schema", "columns"),
            Some(SysView::InfoColumns)
        );
        assert_eq!(SysView::find("dbo", "tables"), None);
        assert_eq!(SysView::find("sys", "nope"), None);
    }

    #[test]
    fn every_view_names_its_columns_once() {
        for view in ALL {
            let columns = view.columns();
            let mut names: Vec<_> = columns
                .iter()
                .map(|(n, _)| n.to_ascii_lowercase())
                .collect();
            names.sort();
            names.dedup();
            assert_eq!(names.len(), columns.len(), "{view:?}");
        }
    }
}
