//! Schema statements: CREATE/DROP TABLE, CREATE/DROP INDEX, CREATE/DROP
//! SCHEMA, views/procedures/functions kept as text, and the constraint
//! rules shared with ALTER TABLE (`alter`). Each statement runs in a
//! savepoint: metadata and SQLite schema change together or not at all,
//! and inside a transaction a ROLLBACK undoes them like SQL Server's
//! transactional DDL.

use rusqlite::Connection;

use super::super::ast::{
    ColumnDef, ConstraintBody, CreateIndex, CreateTable, Expr, ModuleKind, ObjectName,
    ReferentialAction, StmtKind, TableConstraint,
};
use super::super::metadata::{self, ColumnInfo, ConstraintInfo, ConstraintKind, DBO, TableInfo};
use super::super::storage::{quote, sqlite_error};
use super::super::translate::{Env, Source, SourceColumn, Translator};
use super::super::types::DataType;
use super::super::{SqlError, errors};
use super::sqlite_errors::{ErrorContext, map_sqlite_error};
use super::{Batch, schema};

impl Batch<'_> {
    pub(super) fn ddl(&mut self, kind: &StmtKind) -> Result<(), SqlError> {
        let env = self.env()?;
        atomic(env.conn, || match kind {
            StmtKind::CreateTable(create) => create_table(&env, create),
            StmtKind::AlterTable(alter) => super::alter::alter_table(&env, alter),
            StmtKind::DropTable { names, if_exists } => names
                .iter()
                .try_for_each(|n| drop_table(&env, n, *if_exists)),
            StmtKind::CreateIndex(index) => create_index(&env, index),
            StmtKind::DropIndex { items, if_exists } => items
                .iter()
                .try_for_each(|(t, i)| drop_index(&env, t, i, *if_exists)),
            StmtKind::CreateSchema(name) => create_schema(env.conn, name),
            StmtKind::DropSchema { name, if_exists } => drop_schema(env.conn, name, *if_exists),
            StmtKind::CreateModule {
                kind,
                name,
                replace,
                alter,
                text,
            } => create_module(&env, *kind, name, *replace, *alter, text),
            StmtKind::DropModule {
                kind,
                names,
                if_exists,
            } => names
                .iter()
                .try_for_each(|n| drop_module(&env, *kind, n, *if_exists)),
            other => Err(errors::internal(&format!(
                "statement {other:?} reached the DDL runner"
            ))),
        })
    }
}

/// Runs `work` in a savepoint: all of it happens, or none.
pub(super) fn atomic<T>(
    conn: &Connection,
    work: impl FnOnce() -> Result<T, SqlError>,
) -> Result<T, SqlError> {
    conn.execute_batch("SAVEPOINT tds_statement")
        .map_err(|e| sqlite_error(&e))?;
    match work() {
        Ok(value) => {
            conn.execute_batch("RELEASE tds_statement")
                .map_err(|e| sqlite_error(&e))?;
            Ok(value)
        }
        Err(error) => {
            let _ = conn.execute_batch("ROLLBACK TO tds_statement; RELEASE tds_statement");
            Err(error)
        }
    }
}

/// The schema of a name (default dbo): (schema_id, canonical name).
pub(super) fn resolve_schema(env: &Env<'_>, name: &ObjectName) -> Result<(i64, String), SqlError> {
    if let Some(db) = name.database()
        && !db.eq_ignore_ascii_case(env.session.database())
    {
        return Err(errors::not_supported(&format!(
            "cross-database reference '{}'",
            name.display()
        )));
    }
    let schema = name.schema().unwrap_or(DBO);
    metadata::schema_id(env.conn, schema)?.ok_or_else(|| errors::schema_missing(schema))
}

/// A table that must exist (error 208 otherwise).
pub(super) fn existing_table(env: &Env<'_>, name: &ObjectName) -> Result<TableInfo, SqlError> {
    let mut translator = Translator::new(env);
    translator
        .table(name)?
        .map(|t| (*t).clone())
        .ok_or_else(|| errors::invalid_object(&name.display()))
}

fn create_table(env: &Env<'_>, create: &CreateTable) -> Result<(), SqlError> {
    let conn = env.conn;
    let (schema_id, schema) = resolve_schema(env, &create.name)?;
    let name = create.name.name();
    if name.starts_with('#') {
        return Err(errors::not_supported("temporary tables"));
    }
    check_columns(name, &create.columns, &[])?;
    let object_id = metadata::insert_object(conn, schema_id, name, "U", 0, None)?;
    let mut table = TableInfo {
        object_id,
        schema_id,
        schema,
        name: name.to_string(),
        columns: Vec::new(),
    };
    let mut constraints: Vec<TableConstraint> = create.constraints.clone();
    constraints.extend(
        create
            .columns
            .iter()
            .flat_map(|c| c.constraints.iter().cloned()),
    );
    let key_columns = primary_key_columns(name, &constraints)?;
    for (index, def) in create.columns.iter().enumerate() {
        let column_id = i64::try_from(index + 1).unwrap_or(i64::MAX);
        let column = new_column(
            env,
            &table,
            def,
            column_id,
            key_columns
                .iter()
                .any(|k| k.eq_ignore_ascii_case(&def.name)),
        )?;
        metadata::insert_column(conn, object_id, &column)?;
        table.columns.push(column);
    }
    for constraint in &constraints {
        add_constraint(env, &mut table, constraint)?;
    }
    schema::create_table(conn, object_id)
}

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

fn primary_key_columns(
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
    let missing_column = |name: &str| {
        let message = format!("Column name '{name}' does not exist in the target table or view.");
        SqlError {
            number: 1911,
            state: 1,
            class: 16,
            line: 0,
            message,
        }
    };
    let check_columns = |columns: &[String]| -> Result<Vec<String>, SqlError> {
        columns
            .iter()
            .map(|c| {
                table
                    .column(c)
                    .map(|col| col.name.clone())
                    .ok_or_else(|| missing_column(c))
            })
            .collect()
    };
    let (kind, columns, prefix) = match &constraint.body {
        ConstraintBody::PrimaryKey(columns) => {
            if metadata::load_constraints(conn, table.object_id)?
                .iter()
                .any(|c| c.kind == ConstraintKind::PrimaryKey)
            {
                return Err(errors::multiple_primary_keys(&table.name));
            }
            (ConstraintKind::PrimaryKey, check_columns(columns)?, "PK")
        }
        ConstraintBody::Unique(columns) => (ConstraintKind::Unique, check_columns(columns)?, "UQ"),
        ConstraintBody::ForeignKey { columns, .. } => {
            (ConstraintKind::ForeignKey, check_columns(columns)?, "FK")
        }
        ConstraintBody::Check(_) => (ConstraintKind::Check, Vec::new(), "CK"),
        ConstraintBody::Default { expr, column } => {
            let index = table
                .columns
                .iter()
                .position(|c| c.name.eq_ignore_ascii_case(column))
                .ok_or_else(|| missing_column(column))?;
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
            set_default(env, table, &mut info, constraint.name.as_deref(), expr)?;
            conn.execute(
                "UPDATE __tds_columns SET default_object_id = ?1, default_sql = ?2 WHERE object_id = ?3 AND column_id = ?4",
                rusqlite::params![info.default_object_id, info.default_sql, table.object_id, info.column_id],
            )
            .map_err(|e| sqlite_error(&e))?;
            table.columns[index] = info;
            return Ok(());
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
            let columns = table
                .columns
                .iter()
                .map(|c| SourceColumn {
                    name: c.name.clone(),
                    ty: Some(c.ty),
                    nullable: c.nullable,
                })
                .collect();
            translator.push_scope(vec![Source {
                exposed: table.name.clone(),
                qualified: Some((table.schema.clone(), table.name.clone())),
                columns,
            }]);
            info.check_sql = Some(translator.condition(condition)?);
        }
        _ => {}
    }
    let code = kind.code();
    info.object_id =
        metadata::insert_object(conn, table.schema_id, &name, code, table.object_id, None)?;
    metadata::insert_constraint(conn, &info)
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

fn drop_table(env: &Env<'_>, name: &ObjectName, if_exists: bool) -> Result<(), SqlError> {
    let conn = env.conn;
    let mut translator = Translator::new(env);
    let Some(table) = translator.table(name)? else {
        return if if_exists {
            Ok(())
        } else {
            Err(errors::cannot_drop("table", &name.display()))
        };
    };
    if !metadata::referencing_constraints(conn, table.object_id)?.is_empty() {
        return Err(errors::referenced_by_foreign_key(&table.display()));
    }
    conn.execute_batch(&format!(
        "DROP TABLE {}; DELETE FROM __tds_constraints WHERE table_id = {id}; DELETE FROM __tds_columns WHERE object_id = {id}; \
         DELETE FROM __tds_objects WHERE object_id = {id} OR parent_object_id = {id};",
        quote(&table.sqlite_name()),
        id = table.object_id
    ))
    .map_err(|e| sqlite_error(&e))
}

/// SQLite index names are global; SQL Server's are per table.
fn sqlite_index_name(table: &TableInfo, index: &str) -> String {
    format!("{}.{index}", table.sqlite_name())
}

fn create_index(env: &Env<'_>, index: &CreateIndex) -> Result<(), SqlError> {
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
        let column = table.column(name).ok_or_else(|| {
            let message =
                format!("Column name '{name}' does not exist in the target table or view.");
            SqlError {
                number: 1911,
                state: 1,
                class: 16,
                line: 0,
                message,
            }
        })?;
        columns.push(format!(
            "{}{}",
            quote(&column.name),
            if item.descending { " DESC" } else { "" }
        ));
    }
    let filter = match &index.filter {
        Some(condition) => {
            let mut translator = Translator::inline(env);
            let source_columns = table
                .columns
                .iter()
                .map(|c| SourceColumn {
                    name: c.name.clone(),
                    ty: Some(c.ty),
                    nullable: c.nullable,
                })
                .collect();
            translator.push_scope(vec![Source {
                exposed: table.name.clone(),
                qualified: None,
                columns: source_columns,
            }]);
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

fn drop_index(
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

fn create_schema(conn: &Connection, name: &str) -> Result<(), SqlError> {
    if metadata::schema_id(conn, name)?.is_some() {
        return Err(errors::object_exists(name));
    }
    conn.execute("INSERT INTO __tds_schemas (schema_id, name) SELECT max(5, COALESCE(MAX(schema_id), 4) + 1), ?1 FROM __tds_schemas", [name])
        .map(|_| ())
        .map_err(|e| sqlite_error(&e))
}

fn drop_schema(conn: &Connection, name: &str, if_exists: bool) -> Result<(), SqlError> {
    let Some((schema_id, name)) = metadata::schema_id(conn, name)? else {
        return if if_exists {
            Ok(())
        } else {
            Err(errors::cannot_drop("schema", name))
        };
    };
    if schema_id <= 4 {
        return Err(errors::not_supported(&format!(
            "dropping the schema '{name}'"
        )));
    }
    let object: Option<String> = conn
        .query_row(
            "SELECT name FROM __tds_objects WHERE schema_id = ?1 LIMIT 1",
            [schema_id],
            |r| r.get(0),
        )
        .ok();
    if let Some(object) = object {
        let message = format!(
            "Cannot drop schema '{name}' because it is being referenced by object '{object}'."
        );
        return Err(SqlError {
            number: 3729,
            state: 1,
            class: 16,
            line: 0,
            message,
        });
    }
    conn.execute(
        "DELETE FROM __tds_schemas WHERE schema_id = ?1",
        [schema_id],
    )
    .map(|_| ())
    .map_err(|e| sqlite_error(&e))
}

fn create_module(
    env: &Env<'_>,
    kind: ModuleKind,
    name: &ObjectName,
    replace: bool,
    alter: bool,
    text: &str,
) -> Result<(), SqlError> {
    if kind == ModuleKind::Trigger {
        // A stored trigger that never fires would be a silent lie.
        return Err(errors::not_supported("triggers"));
    }
    let conn = env.conn;
    let (schema_id, schema) = resolve_schema(env, name)?;
    let existing = metadata::find_object(conn, &schema, name.name())?;
    match existing {
        Some((object_id, code)) if (alter || replace) && code == kind.type_code() => conn
            .execute(
                "UPDATE __tds_objects SET definition = ?1 WHERE object_id = ?2",
                rusqlite::params![text, object_id],
            )
            .map(|_| ())
            .map_err(|e| sqlite_error(&e)),
        Some(_) => Err(errors::object_exists(name.name())),
        None if alter => Err(errors::invalid_object(&name.display())),
        None => metadata::insert_object(
            conn,
            schema_id,
            name.name(),
            kind.type_code(),
            0,
            Some(text),
        )
        .map(|_| ()),
    }
}

fn drop_module(
    env: &Env<'_>,
    kind: ModuleKind,
    name: &ObjectName,
    if_exists: bool,
) -> Result<(), SqlError> {
    let schema = name.schema().unwrap_or(DBO);
    let kind_word = kind.keyword().to_lowercase();
    match metadata::find_object(env.conn, schema, name.name())? {
        Some((object_id, code)) if code == kind.type_code() => {
            metadata::delete_object(env.conn, object_id)
        }
        Some((_, code)) => {
            let message = format!(
                "Cannot use DROP {} with '{}' because '{}' is a {}. Use the matching DROP statement.",
                kind.keyword(),
                name.display(),
                name.display(),
                if code == "U" {
                    "table"
                } else {
                    "different kind of object"
                }
            );
            Err(SqlError {
                number: 3705,
                state: 1,
                class: 16,
                line: 0,
                message,
            })
        }
        None if if_exists => Ok(()),
        None => Err(errors::cannot_drop(&kind_word, &name.display())),
    }
}
