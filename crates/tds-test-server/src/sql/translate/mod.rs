//! Turns parsed T-SQL into SQLite SQL with bound parameters, typing every
//! result column on the way (declared column types, SQL Server's rules for
//! literals, functions and operators), so that clients see BIGINT as BIGINT.
//!
//! Values from variables and parameters are always bound (`?N`), never
//! spliced; numeric literals are inlined because SQLite reads `ORDER BY 1`
//! as a column position only when it is a literal. In `inline` mode (CHECK,
//! DEFAULT and index filters stored in the schema) no parameter may appear
//! and string literals are quoted instead. System views become common table
//! expressions prefixed to the statement. This module does not run anything:
//! `exec` prepares and steps what it returns.

mod catalog;
mod dml;
mod expr;
mod functions;
mod grouping;
mod query;

use std::collections::HashMap;
use std::sync::Arc;

use rusqlite::Connection;
use rusqlite::types::Value as Lite;

use super::ast::ObjectName;
use super::metadata::{self, DBO, TableInfo};
use super::session::Session;
use super::sysviews::SysView;
use super::types::DataType;
use super::{SqlError, Value, errors, storage};

pub(crate) use dml::DmlSql;
pub(crate) use query::QueryOut;

/// A batch variable (or sp_executesql parameter) with its declared type.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Variable {
    /// `None` for a parameter whose value is NULL and type unknown.
    pub ty: Option<DataType>,
    pub value: Value,
}

pub(crate) type Variables = HashMap<String, Variable>;

/// What a statement may consult while being translated.
pub(crate) struct Env<'a> {
    pub session: &'a Session,
    pub conn: &'a Connection,
    pub vars: &'a Variables,
    pub rowcount: u64,
    pub error: u32,
}

/// A translated expression: SQLite text and the T-SQL type it has (`None`:
/// unknown until a value shows up, e.g. a NULL literal).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Typed {
    pub sql: String,
    pub ty: Option<DataType>,
    /// False only for a reference to a NOT NULL column.
    pub nullable: bool,
}

impl Typed {
    pub fn new(sql: impl Into<String>, ty: Option<DataType>) -> Typed {
        Typed {
            sql: sql.into(),
            ty,
            nullable: true,
        }
    }

    pub fn is_text(&self) -> bool {
        self.ty.is_some_and(|t| t.is_text())
    }
}

/// A statement ready for SQLite.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Translated {
    pub sql: String,
    pub params: Vec<Lite>,
}

/// A column a FROM item exposes.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SourceColumn {
    pub name: String,
    pub ty: Option<DataType>,
    pub nullable: bool,
}

/// A FROM item as column references see it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Source {
    /// The alias, or the table name when there is none.
    pub exposed: String,
    /// Schema and table for three-part column names (`dbo.t.c`).
    pub qualified: Option<(String, String)>,
    pub columns: Vec<SourceColumn>,
}

/// A table as a FROM item named `exposed`.
pub(crate) fn table_source(table: &TableInfo, exposed: &str) -> Source {
    Source {
        exposed: exposed.to_string(),
        qualified: Some((table.schema.clone(), table.name.clone())),
        columns: table
            .columns
            .iter()
            .map(|c| SourceColumn {
                name: c.name.clone(),
                ty: Some(c.ty),
                nullable: c.nullable,
            })
            .collect(),
    }
}

/// A common table expression visible to the statement.
#[derive(Debug, Clone, PartialEq)]
struct CteDef {
    name: String,
    columns: Vec<SourceColumn>,
}

/// What a table name in FROM turned out to be.
pub(crate) enum Resolved {
    Table(Arc<TableInfo>),
    View(SysView),
    Cte(Vec<SourceColumn>),
}

pub(crate) struct Translator<'a> {
    pub env: &'a Env<'a>,
    params: Vec<Lite>,
    views: Vec<SysView>,
    cte_texts: Vec<String>,
    ctes: Vec<CteDef>,
    scopes: Vec<Vec<Source>>,
    tables: HashMap<(String, String), Option<Arc<TableInfo>>>,
    inline: bool,
    /// True while translating ORDER BY, where select-list aliases count.
    ordering: bool,
}

impl<'a> Translator<'a> {
    pub fn new(env: &'a Env<'a>) -> Translator<'a> {
        Translator {
            env,
            params: Vec::new(),
            views: Vec::new(),
            cte_texts: Vec::new(),
            ctes: Vec::new(),
            scopes: Vec::new(),
            tables: HashMap::new(),
            inline: false,
            ordering: false,
        }
    }

    /// A translator for expressions stored in the schema: no parameters.
    pub fn inline(env: &'a Env<'a>) -> Translator<'a> {
        let mut translator = Translator::new(env);
        translator.inline = true;
        translator
    }

    pub fn is_inline(&self) -> bool {
        self.inline
    }

    /// Binds a value and returns its placeholder (or, inline, its literal).
    pub fn bind(&mut self, value: Lite) -> Result<String, SqlError> {
        if self.inline {
            return inline_literal(&value);
        }
        self.params.push(value);
        Ok(format!("?{}", self.params.len()))
    }

    pub fn bind_value(&mut self, value: &Value) -> Result<String, SqlError> {
        self.bind(super::values::to_sqlite(value))
    }

    /// Wraps `body` with the system views and CTEs it uses.
    pub fn finish(mut self, body: String) -> Result<Translated, SqlError> {
        let mut ctes = Vec::new();
        let mut index = 0;
        while index < self.views.len() {
            let view = self.views[index];
            let text = view.cte(&mut self)?;
            ctes.push(text);
            index += 1;
        }
        ctes.append(&mut self.cte_texts);
        let sql = if ctes.is_empty() {
            body
        } else {
            format!("WITH {} {body}", ctes.join(", "))
        };
        Ok(Translated {
            sql,
            params: self.params,
        })
    }

    pub fn use_view(&mut self, view: SysView) {
        if !self.views.contains(&view) {
            self.views.push(view);
        }
    }

    pub fn push_scope(&mut self, sources: Vec<Source>) {
        self.scopes.push(sources);
    }

    pub fn pop_scope(&mut self) {
        self.scopes.pop();
    }

    /// Adds a FROM item; error 1011 when its name is already exposed.
    pub fn add_source(&mut self, source: Source) -> Result<(), SqlError> {
        if let Some(scope) = self.scopes.last_mut() {
            if scope
                .iter()
                .any(|s| s.exposed.eq_ignore_ascii_case(&source.exposed))
            {
                let message = format!(
                    "The correlation name '{}' is specified multiple times in a FROM clause.",
                    source.exposed
                );
                return Err(SqlError {
                    number: 1011,
                    state: 1,
                    class: 16,
                    line: 0,
                    message,
                });
            }
            scope.push(source);
        }
        Ok(())
    }

    /// Resolves a table name as FROM, INSERT or UPDATE see it: a CTE, a
    /// system view, or a user table (error 208 if none).
    pub fn resolve(&mut self, name: &ObjectName) -> Result<Resolved, SqlError> {
        if name.parts.len() == 1
            && let Some(cte) = self
                .ctes
                .iter()
                .rev()
                .find(|c| c.name.eq_ignore_ascii_case(name.name()))
        {
            return Ok(Resolved::Cte(cte.columns.clone()));
        }
        self.check_database(name)?;
        if let Some(schema) = name.schema()
            && let Some(view) = SysView::find(schema, name.name())
        {
            return Ok(Resolved::View(view));
        }
        match self.table(name)? {
            Some(table) => Ok(Resolved::Table(table)),
            None => Err(errors::invalid_object(&name.display())),
        }
    }

    /// A user table, or `None`.
    pub fn table(&mut self, name: &ObjectName) -> Result<Option<Arc<TableInfo>>, SqlError> {
        self.check_database(name)?;
        if name.name().starts_with('#') {
            return Err(errors::not_supported("temporary tables"));
        }
        let schema = name.schema().unwrap_or(DBO).to_lowercase();
        let key = (schema, name.name().to_lowercase());
        if let Some(cached) = self.tables.get(&key) {
            return Ok(cached.clone());
        }
        let loaded = metadata::load_table(self.env.conn, &key.0, &key.1)?.map(Arc::new);
        self.tables.insert(key, loaded.clone());
        Ok(loaded)
    }

    fn check_database(&self, name: &ObjectName) -> Result<(), SqlError> {
        match name.database() {
            Some(db) if !db.eq_ignore_ascii_case(self.env.session.database()) => Err(
                errors::not_supported(&format!("cross-database reference '{}'", name.display())),
            ),
            _ if name.parts.len() > 3 => Err(errors::not_supported(&format!(
                "linked server reference '{}'",
                name.display()
            ))),
            _ => Ok(()),
        }
    }

    fn register_cte(&mut self, name: &str, columns: Vec<SourceColumn>, text: String) {
        self.ctes.push(CteDef {
            name: name.to_string(),
            columns,
        });
        self.cte_texts.push(text);
    }

    /// Finds a column by its (1 to 3 part) name in the innermost scope that
    /// has it. `Ok(None)`: no source knows it (maybe an ORDER BY alias).
    pub fn lookup_column(&self, parts: &[String]) -> Result<Option<Typed>, SqlError> {
        let Some((column, qualifier)) = parts.split_last() else {
            return Ok(None);
        };
        for scope in self.scopes.iter().rev() {
            let candidates: Vec<&Source> = scope
                .iter()
                .filter(|s| source_matches(s, qualifier))
                .collect();
            if candidates.is_empty() {
                continue;
            }
            let mut found = None;
            for source in &candidates {
                if let Some(col) = source
                    .columns
                    .iter()
                    .find(|c| c.name.eq_ignore_ascii_case(column))
                {
                    if found.is_some() {
                        return Err(errors::ambiguous_column(column));
                    }
                    let sql = if self.inline {
                        storage::quote(&col.name)
                    } else {
                        format!(
                            "{}.{}",
                            storage::quote(&source.exposed),
                            storage::quote(&col.name)
                        )
                    };
                    found = Some(Typed {
                        sql,
                        ty: col.ty,
                        nullable: col.nullable,
                    });
                }
            }
            if found.is_some() {
                return Ok(found);
            }
            if !qualifier.is_empty() {
                return Err(errors::invalid_column(column));
            }
        }
        if !qualifier.is_empty() {
            return Err(multipart_unbound(parts));
        }
        Ok(None)
    }

    /// All sources of the innermost scope (for `*`).
    pub fn current_sources(&self) -> &[Source] {
        self.scopes.last().map_or(&[], Vec::as_slice)
    }
}

fn source_matches(source: &Source, qualifier: &[String]) -> bool {
    match qualifier {
        [] => true,
        [alias] => source.exposed.eq_ignore_ascii_case(alias),
        [.., schema, table] => source
            .qualified
            .as_ref()
            .is_some_and(|(s, t)| s.eq_ignore_ascii_case(schema) && t.eq_ignore_ascii_case(table)),
    }
}

fn multipart_unbound(parts: &[String]) -> SqlError {
    SqlError {
        number: 4104,
        state: 1,
        class: 16,
        line: 0,
        message: format!(
            "The multi-part identifier \"{}\" could not be bound.",
            parts.join(".")
        ),
    }
}

/// A literal written into SQL stored in the schema.
fn inline_literal(value: &Lite) -> Result<String, SqlError> {
    Ok(match value {
        Lite::Null => "NULL".into(),
        Lite::Integer(i) => i.to_string(),
        Lite::Real(f) => format!("{f:?}"),
        Lite::Text(s) => storage::quote_str(s),
        Lite::Blob(b) => format!(
            "X'{}'",
            b.iter().map(|x| format!("{x:02X}")).collect::<String>()
        ),
    })
}

#[cfg(test)]
mod tests;
