//! SQL Server's grouping rule, which SQLite does not enforce: in a grouped
//! or aggregating SELECT, a column outside an aggregate must be grouped on
//! (errors 8120 for the select list, 8121 for HAVING). Without this check a
//! migration that SQL Server refuses would pass on the test server.

use super::super::ast::{Expr, Select, SelectItem};
use super::super::{SqlError, storage};
use super::Translator;

const AGGREGATES: &[&str] = &[
    "COUNT",
    "COUNT_BIG",
    "SUM",
    "AVG",
    "MIN",
    "MAX",
    "STRING_AGG",
];

fn is_aggregate(expr: &Expr) -> bool {
    matches!(expr, Expr::Function { name, .. } if AGGREGATES.contains(&name.as_str()))
}

fn contains_aggregate(expr: &Expr) -> bool {
    is_aggregate(expr) || expr.children().into_iter().any(contains_aggregate)
}

impl Translator<'_> {
    /// Checks a SELECT whose FROM items are in the current scope.
    pub(super) fn check_grouping(&self, select: &Select) -> Result<(), SqlError> {
        let items: Vec<&Expr> = select
            .items
            .iter()
            .filter_map(|item| match item {
                SelectItem::Expr { expr, .. } | SelectItem::Assign { expr, .. } => Some(expr),
                SelectItem::Wildcard { .. } => None,
            })
            .collect();
        let grouped = !select.group_by.is_empty()
            || select.having.is_some()
            || items.iter().any(|e| contains_aggregate(e));
        if !grouped {
            return Ok(());
        }
        let mut grouped_columns = Vec::new();
        for expr in &select.group_by {
            if let Expr::Column(parts) = expr
                && let Some(column) = self.lookup_column(parts)?
            {
                grouped_columns.push(column.sql);
            }
        }
        let check = |expr: &Expr, clause: &str, number: u32| -> Result<(), SqlError> {
            match self.ungrouped(expr, &select.group_by, &grouped_columns)? {
                Some(column) => {
                    let message = format!(
                        "Column '{column}' is invalid in the {clause} because it is not contained in either an \
                         aggregate function or the GROUP BY clause."
                    );
                    Err(SqlError {
                        number,
                        state: 1,
                        class: 16,
                        line: 0,
                        message,
                    })
                }
                None => Ok(()),
            }
        };
        if select
            .items
            .iter()
            .any(|i| matches!(i, SelectItem::Wildcard { .. }))
            && let Some(column) = self.first_wildcard_column(&grouped_columns)
        {
            let message = format!(
                "Column '{column}' is invalid in the select list because it is not contained in either an \
                 aggregate function or the GROUP BY clause."
            );
            return Err(SqlError {
                number: 8120,
                state: 1,
                class: 16,
                line: 0,
                message,
            });
        }
        for expr in items {
            check(expr, "select list", 8120)?;
        }
        if let Some(having) = &select.having {
            check(having, "HAVING clause", 8121)?;
        }
        Ok(())
    }

    /// The first column reference of `expr` that is neither grouped nor
    /// inside an aggregate, as `table.column`.
    fn ungrouped(
        &self,
        expr: &Expr,
        groups: &[Expr],
        grouped_columns: &[String],
    ) -> Result<Option<String>, SqlError> {
        if groups.contains(expr) || is_aggregate(expr) {
            return Ok(None);
        }
        if let Expr::Column(parts) = expr {
            return Ok(match self.lookup_column(parts)? {
                Some(column) if !grouped_columns.contains(&column.sql) => {
                    Some(column.sql.replace('"', ""))
                }
                _ => None,
            });
        }
        for child in expr.children() {
            if let Some(found) = self.ungrouped(child, groups, grouped_columns)? {
                return Ok(Some(found));
            }
        }
        Ok(None)
    }

    /// With `*` in a grouped SELECT, the first column not grouped on.
    fn first_wildcard_column(&self, grouped_columns: &[String]) -> Option<String> {
        self.current_sources().iter().find_map(|source| {
            source.columns.iter().find_map(|column| {
                let sql = format!(
                    "{}.{}",
                    storage::quote(&source.exposed),
                    storage::quote(&column.name)
                );
                (!grouped_columns.contains(&sql))
                    .then(|| format!("{}.{}", source.exposed, column.name))
            })
        })
    }
}
