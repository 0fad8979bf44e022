//! The SQLite side of T-SQL built-ins: application functions (`tds_*`) and
//! the `TDS` collation, registered on every connection.
//!
//! `TDS` compares like SQL Server's default collation: case-insensitive and
//! blind to trailing spaces. Functions raise SQL Server errors by encoding
//! them in SQLite's error text (see [`decode_failure`]), since SQLite passes
//! only a message through. Which T-SQL function maps to which SQL is the
//! translator's business (`translate::functions`); functions that need
//! server state capture the catalog, the session id and the database id of
//! the connection they are registered on.

mod dates;
mod text;

use std::cmp::Ordering;
use std::fmt;
use std::sync::Arc;

use chrono::Utc;
use rusqlite::Connection;
use rusqlite::functions::{Context, FunctionFlags};
use rusqlite::types::Value as Lite;

use super::applock::{LockKey, LockOwner};
use super::catalog::CatalogInner;
use super::convert::{self, Mode};
use super::types::DataType;
use super::values::format_datetime;
use super::{SqlError, errors};

const MARKER: &str = "\u{1}tds:";

/// A SQL Server error carried through SQLite's error message.
#[derive(Debug)]
struct Failure(SqlError);

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let e = &self.0;
        write!(
            f,
            "{MARKER}{}:{}:{}:{}",
            e.number, e.class, e.state, e.message
        )
    }
}

impl std::error::Error for Failure {}

pub(super) fn fail(error: SqlError) -> rusqlite::Error {
    rusqlite::Error::UserFunctionError(Box::new(Failure(error)))
}

/// The text that carries `error` through SQLite (a function's error or a
/// trigger's RAISE) for [`decode_failure`] to recover.
pub(crate) fn encode_failure(error: &SqlError) -> String {
    Failure(error.clone()).to_string()
}

/// Recovers an error raised by a `tds_*` function from SQLite's message.
pub(crate) fn decode_failure(message: &str) -> Option<SqlError> {
    let rest = &message[message.find(MARKER)? + MARKER.len()..];
    let mut parts = rest.splitn(4, ':');
    let number = parts.next()?.parse().ok()?;
    let class = parts.next()?.parse().ok()?;
    let state = parts.next()?.parse().ok()?;
    let message = parts.next()?.to_string();
    Some(SqlError {
        number,
        state,
        class,
        line: 0,
        message,
    })
}

/// What the functions of one connection may consult.
#[derive(Clone)]
pub(crate) struct FunctionEnv {
    pub catalog: Arc<CatalogInner>,
    pub spid: u16,
    pub database_id: i32,
}

pub(crate) fn register(conn: &Connection, env: &FunctionEnv) -> rusqlite::Result<()> {
    conn.create_collation("TDS", compare)?;
    let pure = FunctionFlags::SQLITE_UTF8
        | FunctionFlags::SQLITE_DETERMINISTIC
        | FunctionFlags::SQLITE_INNOCUOUS;
    let volatile = FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_INNOCUOUS;
    conn.create_scalar_function("tds_sysutcdatetime", 0, volatile, |_| {
        Ok(format_datetime(&Utc::now().naive_utc()))
    })?;
    conn.create_scalar_function("tds_sysdatetime", 0, volatile, |_| {
        Ok(format_datetime(&chrono::Local::now().naive_local()))
    })?;
    conn.create_scalar_function("tds_newid", 0, volatile, |_| {
        Ok(uuid::Uuid::new_v4().to_string().to_ascii_uppercase())
    })?;
    conn.create_scalar_function("tds_like", -1, pure, text::like)?;
    conn.create_scalar_function("tds_nonzero", 1, pure, nonzero)?;
    conn.create_scalar_function("tds_add", 2, pure, add)?;
    conn.create_scalar_function("tds_cast", 6, pure, cast)?;
    conn.create_scalar_function("tds_objpart", 2, pure, object_part)?;
    conn.create_scalar_function("tds_dateadd", 3, pure, dates::date_add)?;
    conn.create_scalar_function("tds_datediff", 3, pure, dates::date_diff)?;
    conn.create_scalar_function("tds_datepart", 2, pure, dates::date_part)?;
    conn.create_scalar_function("tds_charindex", 3, pure, text::char_index)?;
    conn.create_scalar_function("tds_type_info", 2, pure, text::type_info)?;
    conn.create_scalar_function("tds_math", 3, pure, text::math)?;
    register_catalog_functions(conn, env, volatile)
}

fn register_catalog_functions(
    conn: &Connection,
    env: &FunctionEnv,
    flags: FunctionFlags,
) -> rusqlite::Result<()> {
    let catalog = env.catalog.clone();
    conn.create_scalar_function("tds_db_id", 1, flags, move |ctx| {
        let name: Option<String> = ctx.get(0)?;
        Ok(name.and_then(|n| catalog.database(&n)).map(|d| d.id))
    })?;
    let catalog = env.catalog.clone();
    conn.create_scalar_function("tds_db_name", 1, flags, move |ctx| {
        let id: Option<i64> = ctx.get(0)?;
        Ok(id
            .and_then(|id| i32::try_from(id).ok())
            .and_then(|id| catalog.database_by_id(id))
            .map(|d| d.name.clone()))
    })?;
    let (catalog, spid, database_id) = (env.catalog.clone(), env.spid, env.database_id);
    conn.create_scalar_function("tds_applock_mode", 3, flags, move |ctx| {
        let (key, owner) = lock_args(ctx, database_id, 2)?;
        Ok(catalog.locks.mode(&key, spid, owner))
    })?;
    let (catalog, spid, database_id) = (env.catalog.clone(), env.spid, env.database_id);
    conn.create_scalar_function("tds_applock_test", 4, flags, move |ctx| {
        let (key, _) = lock_args(ctx, database_id, 3)?;
        let mode: String = ctx.get(2)?;
        if !mode.eq_ignore_ascii_case("exclusive") {
            return Err(fail(errors::not_supported(&format!(
                "application lock mode '{mode}'"
            ))));
        }
        Ok(i32::from(catalog.locks.test(&key, spid)))
    })
}

fn lock_args(
    ctx: &Context<'_>,
    database_id: i32,
    owner_index: usize,
) -> rusqlite::Result<(LockKey, LockOwner)> {
    let principal: Option<String> = ctx.get(0)?;
    let resource: Option<String> = ctx.get(1)?;
    let owner: Option<String> = ctx.get(owner_index)?;
    let (Some(principal), Some(resource)) = (principal, resource) else {
        return Err(fail(errors::not_supported(
            "a NULL application lock principal or resource",
        )));
    };
    let owner = match owner.as_deref().map(str::to_ascii_lowercase).as_deref() {
        Some("session") => LockOwner::Session,
        Some("transaction") | None => LockOwner::Transaction,
        Some(other) => {
            let message = format!("An invalid application lock owner was passed to {other}.");
            return Err(fail(SqlError {
                number: 1226,
                state: 1,
                class: 16,
                line: 0,
                message,
            }));
        }
    };
    Ok((
        LockKey {
            database_id,
            principal,
            resource,
        },
        owner,
    ))
}

/// SQL Server's default comparison: case-insensitive, trailing spaces ignored.
pub(crate) fn compare(a: &str, b: &str) -> Ordering {
    let a = a.trim_end_matches(' ').chars().flat_map(char::to_lowercase);
    let b = b.trim_end_matches(' ').chars().flat_map(char::to_lowercase);
    a.cmp(b)
}

fn nonzero(ctx: &Context<'_>) -> rusqlite::Result<Lite> {
    let value: Lite = ctx.get(0)?;
    match value {
        Lite::Integer(0) => Err(fail(errors::divide_by_zero())),
        Lite::Real(0.0) => Err(fail(errors::divide_by_zero())),
        other => Ok(other),
    }
}

/// `+` when the operands' types are not known statically: strings
/// concatenate, numbers add, a string meeting a number converts to it.
fn add(ctx: &Context<'_>) -> rusqlite::Result<Lite> {
    let (a, b): (Lite, Lite) = (ctx.get(0)?, ctx.get(1)?);
    let number = |v: &Lite| -> rusqlite::Result<Lite> {
        match v {
            Lite::Text(s) => {
                let trimmed = s.trim();
                if let Ok(i) = trimmed.parse::<i64>() {
                    Ok(Lite::Integer(i))
                } else {
                    trimmed
                        .parse::<f64>()
                        .map(Lite::Real)
                        .map_err(|_| fail(errors::conversion_failed("varchar", s, "int")))
                }
            }
            other => Ok(other.clone()),
        }
    };
    Ok(match (&a, &b) {
        (Lite::Null, _) | (_, Lite::Null) => Lite::Null,
        (Lite::Text(x), Lite::Text(y)) => Lite::Text(format!("{x}{y}")),
        _ => match (number(&a)?, number(&b)?) {
            (Lite::Integer(x), Lite::Integer(y)) => Lite::Integer(
                x.checked_add(y)
                    .ok_or_else(|| fail(errors::arithmetic_overflow("bigint")))?,
            ),
            (x, y) => Lite::Real(as_f64(&x) + as_f64(&y)),
        },
    })
}

pub(super) fn as_f64(value: &Lite) -> f64 {
    match value {
        Lite::Integer(i) => *i as f64,
        Lite::Real(f) => *f,
        _ => 0.0,
    }
}

/// `tds_cast(value, decl, mode, style, table, column)`; mode 0 CAST, 1
/// TRY_CAST, 2 assignment to `table`.`column`.
fn cast(ctx: &Context<'_>) -> rusqlite::Result<Lite> {
    let value: Lite = ctx.get(0)?;
    let decl: String = ctx.get(1)?;
    let mode: i64 = ctx.get(2)?;
    let style: Option<i64> = ctx.get(3)?;
    let ty = DataType::from_decl(&decl)
        .ok_or_else(|| fail(errors::internal(&format!("unknown type {decl}"))))?;
    let mode = match mode {
        1 => Mode::TryCast,
        2 => Mode::Assign {
            table: ctx.get(4)?,
            column: ctx.get(5)?,
        },
        _ => Mode::Cast,
    };
    convert::convert(value, ty, &mode, style).map_err(fail)
}

/// One part of a T-SQL multi-part name held in a string (`[dbo].[t]`):
/// `name`, `schema` or `db`; NULL when absent.
fn object_part(ctx: &Context<'_>) -> rusqlite::Result<Option<String>> {
    let name: Option<String> = ctx.get(0)?;
    let part: String = ctx.get(1)?;
    let Some(name) = name else { return Ok(None) };
    let parts = split_name(&name);
    let from_end = match part.as_str() {
        "name" => 0,
        "schema" => 1,
        _ => 2,
    };
    Ok(parts
        .len()
        .checked_sub(from_end + 1)
        .and_then(|i| parts.get(i))
        .filter(|p| !p.is_empty())
        .cloned())
}

/// Splits `[a].b."c"` into its unquoted parts.
pub(crate) fn split_name(name: &str) -> Vec<String> {
    let mut parts = vec![String::new()];
    let mut chars = name.trim().chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '[' | '"' => {
                let close = if c == '[' { ']' } else { '"' };
                while let Some(inner) = chars.next() {
                    if inner == close {
                        if chars.peek() == Some(&close) {
                            chars.next();
                        } else {
                            break;
                        }
                    }
                    if let Some(last) = parts.last_mut() {
                        last.push(inner);
                    }
                }
            }
            '.' => parts.push(String::new()),
            c => {
                if let Some(last) = parts.last_mut() {
                    last.push(c);
                }
            }
        }
    }
    parts.into_iter().map(|p| p.trim().to_string()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn conn() -> (Connection, super::super::Catalog) {
        let catalog = super::super::Catalog::new().unwrap();
        let conn = Connection::open_in_memory().unwrap();
        register(
            &conn,
            &FunctionEnv {
                catalog: catalog.inner().clone(),
                spid: 51,
                database_id: 1,
            },
        )
        .unwrap();
        (conn, catalog)
    }

    fn eval(conn: &Connection, sql: &str) -> rusqlite::Result<Lite> {
        conn.query_row(&format!("SELECT {sql}"), [], |r| r.get(0))
    }

    #[test]
    fn functions_compute_like_sql_server() {
        let (conn, _catalog) = conn();
        let cases: &[(&str, Lite)] = &[
            ("tds_like('wsdb', 'WS%')", Lite::Integer(1)),
            ("tds_like('0:[wsdb]:(1)', '%[[]wsdb]%')", Lite::Integer(1)),
            ("tds_like('abc', 'a[^b]c')", Lite::Integer(0)),
            ("tds_like('a_c', 'a!_c', '!')", Lite::Integer(1)),
            ("tds_add('a', 'b')", Lite::Text("ab".into())),
            ("tds_add('2', 3)", Lite::Integer(5)),
            (
                "tds_objpart('[dbo].[my.t]', 'name')",
                Lite::Text("my.t".into()),
            ),
            ("tds_objpart('t', 'schema')", Lite::Null),
            (
                "tds_datediff('year', '2023-12-31', '2024-01-01')",
                Lite::Integer(1),
            ),
            (
                "tds_dateadd('month', 1, '2024-01-31')",
                Lite::Text("2024-02-29 00:00:00.0000000".into()),
            ),
            ("tds_datepart('weekday', '2024-01-07')", Lite::Integer(1)),
            ("tds_charindex('B', 'abcb', 3)", Lite::Integer(4)),
            ("tds_db_id('MASTER')", Lite::Integer(1)),
            ("tds_db_name(1)", Lite::Text("master".into())),
            (
                "tds_applock_test('public', 'x', 'Exclusive', 'Session')",
                Lite::Integer(1),
            ),
            (
                "tds_applock_mode('public', 'x', 'Session')",
                Lite::Text("NoLock".into()),
            ),
            (
                "tds_type_info('NVARCHAR(10)', 'max_length')",
                Lite::Integer(20),
            ),
            ("'abc  ' = 'ABC' COLLATE TDS", Lite::Integer(1)),
        ];
        for (sql, expected) in cases {
            assert_eq!(&eval(&conn, sql).unwrap(), expected, "{sql}");
        }
    }

    #[test]
    fn function_errors_come_back_as_sql_server_errors() {
        let (conn, _catalog) = conn();
        for (sql, number) in [
            ("1 / tds_nonzero(0)", 8134),
            ("tds_cast('x', 'INT', 0, NULL, NULL, NULL)", 245),
            ("tds_add('x', 1)", 245),
        ] {
            let err = eval(&conn, sql).unwrap_err();
            let decoded =
                decode_failure(&err.to_string()).unwrap_or_else(|| panic!("{sql}: {err}"));
            assert_eq!(decoded.number, number, "{sql}");
        }
    }

    #[test]
    fn names_split_like_sql_server() {
        assert_eq!(split_name("[a]]b].\"c\".d"), ["a]b", "c", "d"]);
        assert_eq!(split_name("db..t"), ["db", "", "t"]);
    }
}
