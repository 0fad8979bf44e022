//! INSERT, UPDATE and DELETE on one table. Every stored value goes through
//! `tds_cast` in assignment mode, so it is converted to the column's declared
//! type exactly as SQL Server converts it (245, 8115, 2628 ...). Identity
//! columns are filled by the table's triggers (see `exec::schema`); here they
//! are only guarded (544, 8102). UPDATE/DELETE with a FROM clause are
//! outside the subset.

use std::sync::Arc;

use super::super::ast::{Delete, Expr, Insert, InsertSource, ObjectName, Top, Update};
use super::super::metadata::{ColumnInfo, TableInfo};
use super::super::{SqlError, errors, storage};
use super::{Resolved, Translator, table_source};

/// A data change ready to run, with the table it changes.
pub(crate) struct DmlSql {
    pub sql: String,
    pub table: Arc<TableInfo>,
}

impl Translator<'_> {
    fn target_table(&mut self, name: &ObjectName) -> Result<Arc<TableInfo>, SqlError> {
        match self.resolve(name)? {
            Resolved::Table(table) => Ok(table),
            Resolved::View(_) => Err(SqlError {
                number: 259,
                state: 1,
                class: 16,
                line: 0,
                message: "Ad hoc updates to system catalogs are not allowed.".into(),
            }),
            Resolved::Cte(_) => Err(errors::not_supported(
                "changing data through a common table expression",
            )),
        }
    }

    /// `database.schema.table`, as error 2628 names it.
    fn full_name(&self, table: &TableInfo) -> String {
        format!("{}.{}", self.env.session.database(), table.display())
    }

    pub fn insert(&mut self, insert: &Insert, identity_insert: bool) -> Result<DmlSql, SqlError> {
        let table = self.target_table(&insert.table)?;
        let columns = insert_columns(&table, &insert.columns, identity_insert)?;
        let names: Vec<String> = columns.iter().map(|c| storage::quote(&c.name)).collect();
        let target = storage::quote(&table.sqlite_name());
        let full = self.full_name(&table);
        let sql = match &insert.source {
            InsertSource::DefaultValues => format!("INSERT INTO {target} DEFAULT VALUES"),
            InsertSource::Values(rows) => {
                let mut rendered = Vec::new();
                self.push_scope(Vec::new());
                for row in rows {
                    if row.len() != columns.len() {
                        self.pop_scope();
                        return Err(if insert.columns.is_empty() {
                            errors::column_count_mismatch()
                        } else {
                            errors::insert_value_count(row.len() > columns.len())
                        });
                    }
                    let mut values = Vec::new();
                    for (value, column) in row.iter().zip(&columns) {
                        values.push(self.stored_value(value, column, &full)?);
                    }
                    rendered.push(format!("({})", values.join(", ")));
                }
                self.pop_scope();
                format!(
                    "INSERT INTO {target} ({}) VALUES {}",
                    names.join(", "),
                    rendered.join(", ")
                )
            }
            InsertSource::Query(query) => {
                let out = self.query(query)?;
                if out.columns.len() != columns.len() && insert.columns.is_empty() {
                    return Err(errors::column_count_mismatch());
                }
                if out.columns.len() != columns.len() {
                    let (number, fewer) = if out.columns.len() < columns.len() {
                        (120, "fewer")
                    } else {
                        (121, "more")
                    };
                    let message = format!(
                        "The select list for the INSERT statement contains {fewer} items than the insert list. The \
                         number of SELECT values must match the number of INSERT columns."
                    );
                    return Err(SqlError {
                        number,
                        state: 1,
                        class: 15,
                        line: 0,
                        message,
                    });
                }
                let positions: Vec<String> =
                    (1..=columns.len()).map(|i| format!("\"c{i}\"")).collect();
                self.cte_texts.push(format!(
                    "\"__tds_source\"({}) AS ({})",
                    positions.join(", "),
                    out.sql
                ));
                let mut values = Vec::new();
                for (position, (column, source)) in
                    positions.iter().zip(columns.iter().zip(&out.columns))
                {
                    let typed = super::Typed::new(position.clone(), source.ty);
                    values.push(self.assign(typed, column.ty, &full, &column.name)?);
                }
                format!(
                    "INSERT INTO {target} ({}) SELECT {} FROM \"__tds_source\"",
                    names.join(", "),
                    values.join(", ")
                )
            }
        };
        Ok(DmlSql { sql, table })
    }

    pub fn update(&mut self, update: &Update) -> Result<DmlSql, SqlError> {
        if !update.from.is_empty() {
            return Err(errors::not_supported("UPDATE ... FROM"));
        }
        let table = self.target_table(&update.target)?;
        let exposed = update.target.name().to_string();
        self.push_scope(vec![table_source(&table, &exposed)]);
        let result = self.update_body(update, &table, &exposed);
        self.pop_scope();
        Ok(DmlSql {
            sql: result?,
            table,
        })
    }

    fn update_body(
        &mut self,
        update: &Update,
        table: &TableInfo,
        exposed: &str,
    ) -> Result<String, SqlError> {
        let full = self.full_name(table);
        let mut sets = Vec::new();
        let mut assigned = Vec::new();
        for assignment in &update.assignments {
            let name = assignment.column.last().map_or("", String::as_str);
            let column = table
                .column(name)
                .ok_or_else(|| errors::invalid_column(name))?;
            if assigned.contains(&column.column_id) {
                return Err(errors::column_repeated_in_set(&column.name));
            }
            assigned.push(column.column_id);
            if column.identity.is_some() {
                return Err(errors::update_identity(&column.name));
            }
            let value = match assignment.op {
                Some(op) => {
                    let combined = self.expr(&Expr::Binary {
                        op,
                        left: Box::new(Expr::Column(vec![column.name.clone()])),
                        right: Box::new(assignment.value.clone()),
                    })?;
                    self.assign(combined, column.ty, &full, &column.name)?
                }
                None => self.stored_value(&assignment.value, column, &full)?,
            };
            sets.push(format!("{} = {value}", storage::quote(&column.name)));
        }
        let target = format!(
            "{} AS {}",
            storage::quote(&table.sqlite_name()),
            storage::quote(exposed)
        );
        let filter = self.filter(update.filter.as_ref(), update.top.as_ref(), table, exposed)?;
        Ok(format!("UPDATE {target} SET {}{filter}", sets.join(", ")))
    }

    pub fn delete(&mut self, delete: &Delete) -> Result<DmlSql, SqlError> {
        if !delete.from.is_empty() {
            return Err(errors::not_supported("DELETE ... FROM with a join"));
        }
        let table = self.target_table(&delete.target)?;
        let exposed = delete.target.name().to_string();
        self.push_scope(vec![table_source(&table, &exposed)]);
        let filter = self.filter(
            delete.filter.as_ref(),
            delete.top.as_ref(),
            &table,
            &exposed,
        );
        self.pop_scope();
        let target = format!(
            "{} AS {}",
            storage::quote(&table.sqlite_name()),
            storage::quote(&exposed)
        );
        Ok(DmlSql {
            sql: format!("DELETE FROM {target}{}", filter?),
            table,
        })
    }

    /// A value stored into `column`: converted to its type, or the
    /// column's default (NULL without one) for the DEFAULT keyword.
    fn stored_value(
        &mut self,
        value: &Expr,
        column: &ColumnInfo,
        table: &str,
    ) -> Result<String, SqlError> {
        if let Expr::Default = value {
            return Ok(column
                .default_sql
                .clone()
                .map_or_else(|| "NULL".to_string(), |d| format!("({d})")));
        }
        let typed = self.expr(value)?;
        self.assign(typed, column.ty, table, &column.name)
    }

    /// WHERE, with TOP (n) as a rowid subquery (SQLite has no UPDATE LIMIT).
    fn filter(
        &mut self,
        filter: Option<&Expr>,
        top: Option<&Top>,
        table: &TableInfo,
        exposed: &str,
    ) -> Result<String, SqlError> {
        let condition = match filter {
            Some(f) => Some(self.condition(f)?),
            None => None,
        };
        match top {
            None => Ok(condition.map(|c| format!(" WHERE {c}")).unwrap_or_default()),
            Some(top) if top.percent => Err(errors::not_supported("TOP ... PERCENT")),
            Some(top) => {
                let limit = self.expr(&top.count)?.sql;
                let inner_filter = condition.map(|c| format!(" WHERE {c}")).unwrap_or_default();
                let quoted = storage::quote(exposed);
                Ok(format!(
                    " WHERE {quoted}.rowid IN (SELECT {quoted}.rowid FROM {} AS {quoted}{inner_filter} LIMIT {limit})",
                    storage::quote(&table.sqlite_name())
                ))
            }
        }
    }
}

/// The columns an INSERT fills, in value order.
fn insert_columns(
    table: &TableInfo,
    named: &[String],
    identity_insert: bool,
) -> Result<Vec<ColumnInfo>, SqlError> {
    if named.is_empty() {
        if identity_insert && table.identity_column().is_some() {
            let message = format!(
                "Explicit value must be specified for identity column in table '{}' either when IDENTITY_INSERT \
                 is set to ON or when a replication user is inserting into a NOT FOR REPLICATION identity column.",
                table.name
            );
            return Err(SqlError {
                number: 545,
                state: 1,
                class: 16,
                line: 0,
                message,
            });
        }
        return Ok(table
            .columns
            .iter()
            .filter(|c| c.identity.is_none())
            .cloned()
            .collect());
    }
    let mut columns: Vec<ColumnInfo> = Vec::new();
    for name in named {
        let column = table
            .column(name)
            .ok_or_else(|| errors::invalid_column(name))?;
        if columns.iter().any(|c| c.column_id == column.column_id) {
            let message = format!(
                "The column name '{name}' is specified more than once in the SET clause or column list of an INSERT. \
                 A column cannot be assigned more than one value in the same clause. Modify the clause to make sure \
                 that a column is updated only once. If this statement updates or inserts columns into a view, column \
                 aliasing can conceal the duplication in your code."
            );
            return Err(SqlError {
                number: 264,
                state: 1,
                class: 16,
                line: 0,
                message,
            });
        }
        if column.identity.is_some() && !identity_insert {
            return Err(errors::identity_insert(&table.name));
        }
        columns.push(column.clone());
    }
    Ok(columns)
}
