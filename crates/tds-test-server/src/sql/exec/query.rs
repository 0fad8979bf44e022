//! Running queries: SELECT result sets (columns typed by the translator, or
//! by the values when a type is unknown), `SELECT @x = ...` assignment,
//! and the scalar evaluations behind IF, SET, PRINT and friends.

use rusqlite::types::Value as Lite;

use super::super::ast::{BinaryOp, Expr, Query};
use super::super::convert::{self, Mode};
use super::super::translate::{QueryOut, Translated, Translator};
use super::super::types::DataType;
use super::super::values;
use super::super::{Column, Reply, SqlError, Value, errors};
use super::sqlite_errors::{ErrorContext, map_sqlite_error};
use super::{Batch, Failure};

impl Batch<'_> {
    pub(super) fn select(&mut self, query: &Query) -> Result<Option<u64>, Failure> {
        let (translated, out) = {
            let env = self.env()?;
            let mut translator = Translator::new(&env);
            let out = translator.query(query)?;
            (translator.finish(out.sql.clone())?, out)
        };
        let rows = self.fetch(&translated, "SELECT")?;
        let count = u64::try_from(rows.len()).unwrap_or(u64::MAX);
        if !out.assigns.is_empty() {
            if let Some(last) = rows.into_iter().last() {
                self.assign_row(&out, last)?;
            }
            return Ok(Some(count));
        }
        let (columns, rows) = result_set(&out, rows)?;
        self.replies.push(Reply::ResultSet { columns, rows });
        Ok(Some(count))
    }

    /// Runs a query and returns its raw rows.
    pub(super) fn fetch(
        &self,
        translated: &Translated,
        verb: &str,
    ) -> Result<Vec<Vec<Lite>>, SqlError> {
        let conn = self.session.connection()?;
        let context = ErrorContext {
            conn,
            database: self.session.database(),
            verb,
            table: None,
        };
        let map = |e: rusqlite::Error| map_sqlite_error(&e, &context);
        let mut statement = conn.prepare_cached(&translated.sql).map_err(map)?;
        let width = statement.column_count();
        let mut rows = statement
            .query(rusqlite::params_from_iter(translated.params.iter()))
            .map_err(map)?;
        let mut out = Vec::new();
        while let Some(row) = rows.next().map_err(map)? {
            let mut values = Vec::with_capacity(width);
            for index in 0..width {
                values.push(row.get::<_, Lite>(index).map_err(map)?);
            }
            out.push(values);
        }
        Ok(out)
    }

    fn assign_row(&mut self, out: &QueryOut, row: Vec<Lite>) -> Result<(), SqlError> {
        for ((name, op), value) in out.assigns.iter().zip(row) {
            let value = match op {
                Some(op) => self.combine(name, *op, value)?,
                None => value,
            };
            self.store_variable(name, value)?;
        }
        Ok(())
    }

    /// `@x += v` and friends, evaluated by SQLite with T-SQL's operators.
    fn combine(&mut self, name: &str, op: BinaryOp, value: Lite) -> Result<Lite, SqlError> {
        let env = self.env()?;
        let mut translator = Translator::new(&env);
        let left = translator.expr(&Expr::Variable(name.to_string()))?;
        let right = translator.bind(value)?;
        let symbol = match op {
            BinaryOp::Add if left.is_text() => "||",
            BinaryOp::Add => "+",
            BinaryOp::Sub => "-",
            BinaryOp::Mul => "*",
            _ => "/",
        };
        let translated = translator.finish(format!("SELECT {} {symbol} {right}", left.sql))?;
        Ok(self
            .fetch(&translated, "SET")?
            .into_iter()
            .next()
            .and_then(|r| r.into_iter().next())
            .unwrap_or(Lite::Null))
    }

    /// Stores a raw value into a variable, converted to its declared type.
    pub(super) fn store_variable(&mut self, name: &str, value: Lite) -> Result<(), SqlError> {
        let variable = self
            .vars
            .get(name)
            .ok_or_else(|| errors::must_declare(name, 0))?;
        let stored = match variable.ty {
            Some(ty) => {
                let converted = convert::convert(value, ty, &Mode::Cast, None)?;
                values::from_sqlite((&converted).into(), ty)?
            }
            None => guess_value(&value),
        };
        if let Some(variable) = self.vars.get_mut(name) {
            variable.value = stored;
        }
        Ok(())
    }

    /// One value: `SELECT <expr>`, with its type.
    pub(super) fn evaluate(&mut self, expr: &Expr) -> Result<(Lite, Option<DataType>), SqlError> {
        let (translated, ty) = {
            let env = self.env()?;
            let mut translator = Translator::new(&env);
            let value = translator.expr(expr)?;
            (
                translator.finish(format!("SELECT {}", value.sql))?,
                value.ty,
            )
        };
        let value = self
            .fetch(&translated, "SELECT")?
            .into_iter()
            .next()
            .and_then(|r| r.into_iter().next());
        Ok((value.unwrap_or(Lite::Null), ty))
    }

    /// A search condition's truth (NULL is not true).
    pub(super) fn evaluate_condition(&mut self, condition: &Expr) -> Result<bool, Failure> {
        self.session.ensure_connection()?;
        let translated = {
            let env = self.env()?;
            let mut translator = Translator::new(&env);
            let sql = translator.condition(condition)?;
            translator.finish(format!("SELECT CASE WHEN {sql} THEN 1 ELSE 0 END"))?
        };
        let rows = self.fetch(&translated, "SELECT")?;
        Ok(matches!(
            rows.first().and_then(|r| r.first()),
            Some(Lite::Integer(1))
        ))
    }

    /// A value as text (PRINT, messages, dynamic SQL).
    pub(super) fn evaluate_text(&mut self, expr: &Expr) -> Result<Option<String>, SqlError> {
        let (value, _) = self.evaluate(expr)?;
        Ok(match value {
            Lite::Null => None,
            other => Some(values::to_text((&other).into())),
        })
    }

    /// A value as an integer (THROW numbers, severities, timeouts).
    pub(super) fn evaluate_integer(&mut self, expr: &Expr) -> Result<Option<i64>, SqlError> {
        let (value, _) = self.evaluate(expr)?;
        match convert::convert(value, DataType::BigInt, &Mode::Cast, None)? {
            Lite::Integer(i) => Ok(Some(i)),
            _ => Ok(None),
        }
    }
}

/// Types unknown statically are taken from the values: integers that all fit
/// INT are INT, then BIGINT; reals FLOAT; text NVARCHAR; all-NULL INT.
fn infer_type(rows: &[Vec<Lite>], index: usize) -> DataType {
    let mut ty: Option<DataType> = None;
    for value in rows.iter().filter_map(|r| r.get(index)) {
        let next = match value {
            Lite::Null => continue,
            Lite::Integer(i) if i32::try_from(*i).is_ok() => DataType::Int,
            Lite::Integer(_) => DataType::BigInt,
            Lite::Real(_) => DataType::Float,
            Lite::Text(_) => DataType::NVARCHAR_MAX,
            Lite::Blob(_) => DataType::Binary {
                fixed: false,
                len: None,
            },
        };
        ty = Some(match ty {
            Some(current) if current.precedence() >= next.precedence() => current,
            _ => next,
        });
    }
    ty.unwrap_or(DataType::Int)
}

fn guess_value(value: &Lite) -> Value {
    match value {
        Lite::Null => Value::Null,
        Lite::Integer(i) => i32::try_from(*i).map_or(Value::BigInt(*i), Value::Int),
        Lite::Real(f) => Value::Float(*f),
        Lite::Text(s) => Value::NVarChar(s.clone()),
        Lite::Blob(b) => Value::VarBinary(b.clone()),
    }
}

pub(super) fn result_set(
    out: &QueryOut,
    rows: Vec<Vec<Lite>>,
) -> Result<(Vec<Column>, Vec<Vec<Value>>), SqlError> {
    let types: Vec<DataType> = out
        .columns
        .iter()
        .enumerate()
        .map(|(i, c)| c.ty.unwrap_or_else(|| infer_type(&rows, i)))
        .collect();
    let columns = out
        .columns
        .iter()
        .zip(&types)
        .map(|(c, ty)| Column {
            name: c.name.clone(),
            ty: ty.sql_type(),
            nullable: c.nullable,
        })
        .collect();
    let rows = rows
        .into_iter()
        .map(|row| {
            row.iter()
                .zip(&types)
                .map(|(value, ty)| values::from_sqlite(value.into(), *ty))
                .collect::<Result<Vec<_>, _>>()
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok((columns, rows))
}
