//! Queries: CTEs, SELECT lists (with `*` expanded from the FROM items, so
//! every output column keeps its declared type), FROM with joins and
//! derived tables, WHERE/GROUP BY/HAVING, set operators, ORDER BY, and TOP /
//! OFFSET-FETCH as LIMIT/OFFSET.

use super::super::ast::{
    JoinKind, ObjectName, Query, QueryBody, Select, SelectItem, SetOp, TableRef,
};
use super::super::types::DataType;
use super::super::{SqlError, errors, storage};
use super::{Resolved, Source, SourceColumn, Translator, Typed, table_source};

/// A result column: its name (`""` when SQL Server gives none) and type.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct OutColumn {
    pub name: String,
    pub ty: Option<DataType>,
    pub nullable: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct QueryOut {
    pub sql: String,
    pub columns: Vec<OutColumn>,
    /// `SELECT @x = ...`: the variables assigned, in column order.
    pub assigns: Vec<(String, Option<super::super::ast::BinaryOp>)>,
}

/// One SELECT without its ORDER BY and LIMIT.
struct SelectSql {
    sql: String,
    limit: Option<String>,
    columns: Vec<OutColumn>,
    assigns: Vec<(String, Option<super::super::ast::BinaryOp>)>,
}

impl Translator<'_> {
    /// A whole query; `positional` names the output columns `c1, c2, ...`
    /// (for INSERT ... SELECT, which refers to them by position).
    pub fn query(&mut self, query: &Query) -> Result<QueryOut, SqlError> {
        for cte in &query.ctes {
            let out = self.query(&cte.query)?;
            let names: Vec<String> = if cte.columns.is_empty() {
                out.columns.iter().map(|c| c.name.clone()).collect()
            } else {
                cte.columns.clone()
            };
            if names.len() != out.columns.len() || names.iter().any(String::is_empty) {
                return Err(errors::not_supported(&format!(
                    "CTE '{}' without a name for every column",
                    cte.name
                )));
            }
            let columns: Vec<SourceColumn> = names
                .iter()
                .zip(&out.columns)
                .map(|(name, c)| SourceColumn {
                    name: name.clone(),
                    ty: c.ty,
                    nullable: c.nullable,
                })
                .collect();
            let quoted: Vec<String> = names.iter().map(|n| storage::quote(n)).collect();
            let text = format!(
                "{}({}) AS ({})",
                storage::quote(&cte.name),
                quoted.join(", "),
                out.sql
            );
            self.register_cte(&cte.name, columns, text);
        }
        let (mut sql, columns, assigns, limit) = match &query.body {
            QueryBody::Select(select) => {
                let part = self.select(select)?;
                // The select's FROM stays in scope for ORDER BY.
                let order = self.order_by(query, part.columns.len())?;
                self.pop_scope();
                (
                    format!("{}{order}", part.sql),
                    part.columns,
                    part.assigns,
                    part.limit,
                )
            }
            body => {
                let (sql, columns) = self.set_body(body)?;
                let order = self.order_by(query, columns.len())?;
                (format!("{sql}{order}"), columns, Vec::new(), None)
            }
        };
        match &query.offset {
            Some((offset, fetch)) => {
                if query.order_by.is_empty() {
                    return Err(errors::syntax_near("OFFSET", 0));
                }
                let offset = self.expr(offset)?.sql;
                let fetch = match fetch {
                    Some(f) => self.expr(f)?.sql,
                    None => "-1".into(),
                };
                sql.push_str(&format!(" LIMIT {fetch} OFFSET {offset}"));
            }
            None => {
                if let Some(limit) = limit {
                    sql.push_str(&format!(" LIMIT {limit}"));
                }
            }
        }
        Ok(QueryOut {
            sql,
            columns,
            assigns,
        })
    }

    /// A subquery (IN, EXISTS, scalar, derived table).
    pub fn subquery(&mut self, query: &Query) -> Result<QueryOut, SqlError> {
        if !query.ctes.is_empty() {
            return Err(errors::syntax_near("WITH", 0));
        }
        self.query(query)
    }

    fn order_by(&mut self, query: &Query, width: usize) -> Result<String, SqlError> {
        if query.order_by.is_empty() {
            return Ok(String::new());
        }
        let mut terms = Vec::new();
        for item in &query.order_by {
            if let super::super::ast::Expr::Literal(super::super::ast::Literal::Number(text)) =
                &item.expr
                && let Ok(position) = text.parse::<usize>()
                && !(1..=width).contains(&position)
            {
                let message = format!(
                    "The ORDER BY position number {position} is out of range of the number of items in the select list."
                );
                return Err(SqlError {
                    number: 108,
                    state: 1,
                    class: 15,
                    line: 0,
                    message,
                });
            }
            self.ordering = true;
            let term = self.expr(&item.expr);
            self.ordering = false;
            let term = term?;
            terms.push(format!(
                "{}{}",
                term.sql,
                if item.descending { " DESC" } else { "" }
            ));
        }
        Ok(format!(" ORDER BY {}", terms.join(", ")))
    }

    fn set_body(&mut self, body: &QueryBody) -> Result<(String, Vec<OutColumn>), SqlError> {
        match body {
            QueryBody::Select(select) => {
                let part = self.select(select)?;
                self.pop_scope();
                if !part.assigns.is_empty() {
                    return Err(errors::assignment_with_retrieval(0));
                }
                let sql = match part.limit {
                    Some(limit) => format!("SELECT * FROM ({} LIMIT {limit})", part.sql),
                    None => part.sql,
                };
                Ok((sql, part.columns))
            }
            QueryBody::SetOp {
                op,
                all,
                left,
                right,
            } => {
                let (left_sql, mut columns) = self.set_body(left)?;
                let (right_sql, right_columns) = self.set_body(right)?;
                if columns.len() != right_columns.len() {
                    let message = "All queries combined using a UNION, INTERSECT or EXCEPT operator must have an equal number of expressions in their target lists.";
                    return Err(SqlError {
                        number: 205,
                        state: 1,
                        class: 16,
                        line: 0,
                        message: message.into(),
                    });
                }
                for (column, other) in columns.iter_mut().zip(right_columns) {
                    column.ty = column.ty.or(other.ty);
                    column.nullable |= other.nullable;
                }
                let keyword = match (op, all) {
                    (SetOp::Union, true) => "UNION ALL",
                    (SetOp::Union, false) => "UNION",
                    (SetOp::Except, _) => "EXCEPT",
                    (SetOp::Intersect, _) => "INTERSECT",
                };
                Ok((format!("{left_sql} {keyword} {right_sql}"), columns))
            }
        }
    }

    /// Translates a SELECT and leaves its FROM scope pushed (the caller
    /// pops it after ORDER BY).
    fn select(&mut self, select: &Select) -> Result<SelectSql, SqlError> {
        self.push_scope(Vec::new());
        let mut from_parts = Vec::new();
        for table in &select.from {
            from_parts.push(self.table_ref(table)?);
        }
        self.check_grouping(select)?;
        let mut items = Vec::new();
        let mut columns = Vec::new();
        let mut assigns = Vec::new();
        for item in &select.items {
            match item {
                SelectItem::Wildcard { qualifier } => {
                    self.wildcard(qualifier.as_deref(), &mut items, &mut columns)?
                }
                SelectItem::Expr { expr, alias } => {
                    let value = self.expr(expr)?;
                    let name = match (alias, expr) {
                        (Some(alias), _) => alias.clone(),
                        (None, super::super::ast::Expr::Column(parts)) => {
                            parts.last().cloned().unwrap_or_default()
                        }
                        _ => String::new(),
                    };
                    items.push(if name.is_empty() {
                        value.sql.clone()
                    } else {
                        format!("{} AS {}", value.sql, storage::quote(&name))
                    });
                    columns.push(OutColumn {
                        name,
                        ty: value.ty,
                        nullable: value.nullable,
                    });
                }
                SelectItem::Assign { variable, op, expr } => {
                    let value = self.expr(expr)?;
                    items.push(value.sql);
                    columns.push(OutColumn {
                        name: String::new(),
                        ty: value.ty,
                        nullable: true,
                    });
                    assigns.push((variable.clone(), *op));
                }
            }
        }
        let mut sql = format!(
            "SELECT {}{}",
            if select.distinct { "DISTINCT " } else { "" },
            items.join(", ")
        );
        if !from_parts.is_empty() {
            sql.push_str(&format!(" FROM {}", from_parts.join(", ")));
        }
        if let Some(filter) = &select.filter {
            sql.push_str(&format!(" WHERE {}", self.condition(filter)?));
        }
        if !select.group_by.is_empty() {
            let terms = select
                .group_by
                .iter()
                .map(|e| self.expr(e).map(|t| group_term(&t)))
                .collect::<Result<Vec<_>, _>>()?;
            sql.push_str(&format!(" GROUP BY {}", terms.join(", ")));
        }
        if let Some(having) = &select.having {
            sql.push_str(&format!(" HAVING {}", self.condition(having)?));
        }
        let limit = match &select.top {
            Some(top) if top.percent => return Err(errors::not_supported("TOP ... PERCENT")),
            Some(top) => Some(self.expr(&top.count)?.sql),
            None => None,
        };
        Ok(SelectSql {
            sql,
            limit,
            columns,
            assigns,
        })
    }

    fn wildcard(
        &mut self,
        qualifier: Option<&[String]>,
        items: &mut Vec<String>,
        columns: &mut Vec<OutColumn>,
    ) -> Result<(), SqlError> {
        let sources: Vec<Source> = self
            .current_sources()
            .iter()
            .filter(|s| match qualifier {
                None => true,
                Some([alias]) => s.exposed.eq_ignore_ascii_case(alias),
                Some([.., schema, table]) => s.qualified.as_ref().is_some_and(|(a, b)| {
                    a.eq_ignore_ascii_case(schema) && b.eq_ignore_ascii_case(table)
                }),
                Some([]) => false,
            })
            .cloned()
            .collect();
        if sources.is_empty() {
            return Err(match qualifier {
                Some(parts) => SqlError {
                    number: 4104,
                    state: 1,
                    class: 16,
                    line: 0,
                    message: format!(
                        "The multi-part identifier \"{}\" could not be bound.",
                        parts.join(".")
                    ),
                },
                None => SqlError {
                    number: 263,
                    state: 1,
                    class: 16,
                    line: 0,
                    message: "Must specify table to select from.".into(),
                },
            });
        }
        for source in sources {
            for column in &source.columns {
                items.push(format!(
                    "{}.{} AS {}",
                    storage::quote(&source.exposed),
                    storage::quote(&column.name),
                    storage::quote(&column.name)
                ));
                columns.push(OutColumn {
                    name: column.name.clone(),
                    ty: column.ty,
                    nullable: column.nullable,
                });
            }
        }
        Ok(())
    }

    /// One FROM item: its SQLite text; its sources join the current scope.
    fn table_ref(&mut self, table: &TableRef) -> Result<String, SqlError> {
        match table {
            TableRef::Table { name, alias } => self.named_table(name, alias.as_deref()),
            TableRef::Derived { query, alias } => self.derived_table(query, alias),
            TableRef::Join {
                left,
                right,
                kind,
                on,
            } => {
                let left = self.table_ref(left)?;
                let right = self.table_ref(right)?;
                let keyword = match kind {
                    JoinKind::Inner => "JOIN",
                    JoinKind::Left => "LEFT JOIN",
                    JoinKind::Right => "RIGHT JOIN",
                    JoinKind::Full => "FULL JOIN",
                    JoinKind::Cross => "CROSS JOIN",
                };
                let on = match on {
                    Some(condition) => format!(" ON {}", self.condition(condition)?),
                    None => String::new(),
                };
                Ok(format!("{left} {keyword} {right}{on}"))
            }
        }
    }

    /// A user table, system view or CTE in FROM.
    fn named_table(&mut self, name: &ObjectName, alias: Option<&str>) -> Result<String, SqlError> {
        let exposed = alias.unwrap_or_else(|| name.name()).to_string();
        let (sqlite_name, source) = match self.resolve(name)? {
            Resolved::Table(info) => (info.sqlite_name(), table_source(&info, &exposed)),
            Resolved::View(view) => {
                self.use_view(view);
                let columns = view
                    .columns()
                    .into_iter()
                    .map(|(n, ty)| SourceColumn {
                        name: n.to_string(),
                        ty: Some(ty),
                        nullable: true,
                    })
                    .collect();
                let qualified = Some((view.schema().to_string(), view.table().to_string()));
                (
                    view.cte_name(),
                    Source {
                        exposed: exposed.clone(),
                        qualified,
                        columns,
                    },
                )
            }
            Resolved::Cte(columns) => (
                name.name().to_string(),
                Source {
                    exposed: exposed.clone(),
                    qualified: None,
                    columns,
                },
            ),
        };
        self.add_source(source)?;
        Ok(format!(
            "{} AS {}",
            storage::quote(&sqlite_name),
            storage::quote(&exposed)
        ))
    }

    /// `(SELECT ...) AS alias`: it sees outer queries' columns but not its
    /// siblings in this FROM, and every column needs a name (8155).
    fn derived_table(&mut self, query: &Query, alias: &str) -> Result<String, SqlError> {
        self.push_scope(Vec::new());
        let out = self.subquery(query);
        self.pop_scope();
        let out = out?;
        if let Some(index) = out.columns.iter().position(|c| c.name.is_empty()) {
            let message = format!(
                "No column name was specified for column {} of '{alias}'.",
                index + 1
            );
            return Err(SqlError {
                number: 8155,
                state: 2,
                class: 16,
                line: 0,
                message,
            });
        }
        let columns = out
            .columns
            .iter()
            .map(|c| SourceColumn {
                name: c.name.clone(),
                ty: c.ty,
                nullable: c.nullable,
            })
            .collect();
        self.add_source(Source {
            exposed: alias.to_string(),
            qualified: None,
            columns,
        })?;
        Ok(format!("({}) AS {}", out.sql, storage::quote(alias)))
    }
}

/// GROUP BY terms that are plain numbers would be positions in SQLite.
fn group_term(term: &Typed) -> String {
    if term.sql.chars().all(|c| c.is_ascii_digit()) {
        format!("+{}", term.sql)
    } else {
        term.sql.clone()
    }
}
