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

use std::cmp::Ordering;
use std::fmt;
use std::sync::Arc;

use chrono::{Datelike, Duration as Span, NaiveDateTime, Timelike, Utc};
use regex::Regex;
use rusqlite::Connection;
use rusqlite::functions::{Context, FunctionFlags};
use rusqlite::types::{Value as Lite, ValueRef};

use super::applock::{LockKey, LockOwner};
use super::catalog::CatalogInner;
use super::convert::{self, Mode};
use super::types::{DataType, f64_to_i64, format_datetime, parse_datetime, to_text};
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

fn fail(error: SqlError) -> rusqlite::Error {
    rusqlite::Error::UserFunctionError(Box::new(Failure(error)))
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
    conn.create_scalar_function("tds_like", -1, pure, like)?;
    conn.create_scalar_function("tds_nonzero", 1, pure, nonzero)?;
    conn.create_scalar_function("tds_add", 2, pure, add)?;
    conn.create_scalar_function("tds_cast", 6, pure, cast)?;
    conn.create_scalar_function("tds_objpart", 2, pure, object_part)?;
    conn.create_scalar_function("tds_dateadd", 3, pure, date_add)?;
    conn.create_scalar_function("tds_datediff", 3, pure, date_diff)?;
    conn.create_scalar_function("tds_datepart", 2, pure, date_part)?;
    conn.create_scalar_function("tds_charindex", 3, pure, char_index)?;
    conn.create_scalar_function("tds_type_info", 2, pure, type_info)?;
    conn.create_scalar_function("tds_math", 3, pure, math)?;
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

fn like(ctx: &Context<'_>) -> rusqlite::Result<Option<bool>> {
    let value: Option<String> = match ctx.get_raw(0) {
        ValueRef::Null => None,
        raw => Some(to_text(raw)),
    };
    let escape: Option<String> = if ctx.len() > 2 { ctx.get(2)? } else { None };
    let Some(value) = value else { return Ok(None) };
    if matches!(ctx.get_raw(1), ValueRef::Null) {
        return Ok(None);
    }
    let escape_char = escape.and_then(|e| e.chars().next());
    let regex = ctx.get_or_create_aux(
        1,
        |raw| -> Result<Regex, Box<dyn std::error::Error + Send + Sync>> {
            let pattern = to_text(raw);
            Ok(Regex::new(&like_regex(&pattern, escape_char))?)
        },
    )?;
    Ok(Some(regex.is_match(&value)))
}

/// Turns a T-SQL LIKE pattern (`%`, `_`, `[a-z]`, `[^x]`, ESCAPE) into an
/// anchored, case-insensitive regex.
pub(crate) fn like_regex(pattern: &str, escape: Option<char>) -> String {
    let mut out = String::from("(?is)^");
    let mut chars = pattern.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            c if Some(c) == escape => {
                if let Some(next) = chars.next() {
                    out.push_str(&regex::escape(&next.to_string()));
                }
            }
            '%' => out.push_str(".*"),
            '_' => out.push('.'),
            '[' => {
                let mut class = String::new();
                let mut closed = false;
                for inner in chars.by_ref() {
                    if inner == ']' {
                        closed = true;
                        break;
                    }
                    class.push(inner);
                }
                if closed && !class.is_empty() {
                    let (negate, body) = match class.strip_prefix('^') {
                        Some(rest) => ("^", rest),
                        None => ("", class.as_str()),
                    };
                    let body: String = body
                        .chars()
                        .map(|ch| {
                            if matches!(ch, '\\' | '[' | ']' | '&' | '~' | '^') {
                                format!("\\{ch}")
                            } else {
                                ch.to_string()
                            }
                        })
                        .collect();
                    out.push_str(&format!("[{negate}{body}]"));
                } else {
                    out.push_str(&regex::escape(&format!("[{class}")));
                }
            }
            other => out.push_str(&regex::escape(&other.to_string())),
        }
    }
    out.push('$');
    out
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

fn as_f64(value: &Lite) -> f64 {
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

fn datetime_arg(ctx: &Context<'_>, index: usize) -> rusqlite::Result<Option<NaiveDateTime>> {
    match ctx.get_raw(index) {
        ValueRef::Null => Ok(None),
        raw => parse_datetime(&to_text(raw))
            .map(Some)
            .ok_or_else(|| fail(errors::conversion_date_failed())),
    }
}

fn unit(ctx: &Context<'_>) -> rusqlite::Result<String> {
    let unit: String = ctx.get(0)?;
    Ok(match unit.to_ascii_lowercase().as_str() {
        "year" | "yy" | "yyyy" => "year",
        "quarter" | "qq" | "q" => "quarter",
        "month" | "mm" | "m" => "month",
        "dayofyear" | "dy" | "y" => "dayofyear",
        "day" | "dd" | "d" => "day",
        "week" | "wk" | "ww" => "week",
        "weekday" | "dw" | "w" => "weekday",
        "hour" | "hh" => "hour",
        "minute" | "mi" | "n" => "minute",
        "second" | "ss" | "s" => "second",
        "millisecond" | "ms" => "millisecond",
        "microsecond" | "mcs" => "microsecond",
        "nanosecond" | "ns" => "nanosecond",
        other => {
            return Err(fail(errors::not_supported(&format!(
                "the date part '{other}'"
            ))));
        }
    }
    .to_string())
}

fn date_add(ctx: &Context<'_>) -> rusqlite::Result<Option<String>> {
    let unit = unit(ctx)?;
    let amount: Option<i64> = ctx.get(1)?;
    let (Some(amount), Some(dt)) = (amount, datetime_arg(ctx, 2)?) else {
        return Ok(None);
    };
    let overflow = || {
        fail(SqlError {
            number: 517,
            state: 1,
            class: 16,
            line: 0,
            message: "Adding a value to a 'datetime2' column caused an overflow.".into(),
        })
    };
    let result = match unit.as_str() {
        "year" | "quarter" | "month" => {
            let months = match unit.as_str() {
                "year" => amount.checked_mul(12),
                "quarter" => amount.checked_mul(3),
                _ => Some(amount),
            }
            .ok_or_else(overflow)?;
            let months = i32::try_from(months).map_err(|_| overflow())?;
            let base =
                dt.year() * 12 + i32::try_from(dt.month0()).map_err(|_| overflow())? + months;
            let (year, month0) = (base.div_euclid(12), base.rem_euclid(12));
            let month = u32::try_from(month0 + 1).map_err(|_| overflow())?;
            let last_day = (28..=31)
                .rev()
                .find(|d| chrono::NaiveDate::from_ymd_opt(year, month, *d).is_some())
                .unwrap_or(28);
            chrono::NaiveDate::from_ymd_opt(year, month, dt.day().min(last_day))
                .map(|d| d.and_time(dt.time()))
        }
        "dayofyear" | "day" | "weekday" => {
            dt.checked_add_signed(Span::try_days(amount).ok_or_else(overflow)?)
        }
        "week" => dt.checked_add_signed(Span::try_weeks(amount).ok_or_else(overflow)?),
        "hour" => dt.checked_add_signed(Span::try_hours(amount).ok_or_else(overflow)?),
        "minute" => dt.checked_add_signed(Span::try_minutes(amount).ok_or_else(overflow)?),
        "second" => dt.checked_add_signed(Span::try_seconds(amount).ok_or_else(overflow)?),
        "millisecond" => {
            dt.checked_add_signed(Span::try_milliseconds(amount).ok_or_else(overflow)?)
        }
        "microsecond" => dt.checked_add_signed(Span::microseconds(amount)),
        _ => dt.checked_add_signed(Span::nanoseconds(amount)),
    };
    result
        .map(|d| Some(format_datetime(&d)))
        .ok_or_else(overflow)
}

/// DATEDIFF counts unit boundaries crossed, not elapsed whole units.
fn date_diff(ctx: &Context<'_>) -> rusqlite::Result<Option<i64>> {
    let unit = unit(ctx)?;
    let (Some(a), Some(b)) = (datetime_arg(ctx, 1)?, datetime_arg(ctx, 2)?) else {
        return Ok(None);
    };
    let months = |d: &NaiveDateTime| i64::from(d.year()) * 12 + i64::from(d.month0());
    let days = |d: &NaiveDateTime| {
        d.date()
            .signed_duration_since(chrono::NaiveDate::MIN)
            .num_days()
    };
    let since = |d: &NaiveDateTime| d.signed_duration_since(NaiveDateTime::MIN);
    Ok(Some(match unit.as_str() {
        "year" => i64::from(b.year() - a.year()),
        "quarter" => months(&b).div_euclid(3) - months(&a).div_euclid(3),
        "month" => months(&b) - months(&a),
        "dayofyear" | "day" | "weekday" => days(&b) - days(&a),
        "week" => (days(&b) + 1).div_euclid(7) - (days(&a) + 1).div_euclid(7),
        "hour" => since(&b).num_hours() - since(&a).num_hours(),
        "minute" => since(&b).num_minutes() - since(&a).num_minutes(),
        "second" => since(&b).num_seconds() - since(&a).num_seconds(),
        "millisecond" => since(&b).num_milliseconds() - since(&a).num_milliseconds(),
        "microsecond" => (b - a).num_microseconds().unwrap_or(i64::MAX),
        _ => (b - a).num_nanoseconds().unwrap_or(i64::MAX),
    }))
}

fn date_part(ctx: &Context<'_>) -> rusqlite::Result<Option<i64>> {
    let unit = unit(ctx)?;
    let Some(d) = datetime_arg(ctx, 1)? else {
        return Ok(None);
    };
    Ok(Some(i64::from(match unit.as_str() {
        "year" => return Ok(Some(i64::from(d.year()))),
        "quarter" => d.month0() / 3 + 1,
        "month" => d.month(),
        "dayofyear" => d.ordinal(),
        "day" => d.day(),
        "week" => d.iso_week().week(),
        "weekday" => d.weekday().num_days_from_sunday() + 1,
        "hour" => d.hour(),
        "minute" => d.minute(),
        "second" => d.second(),
        "millisecond" => d.nanosecond() / 1_000_000,
        "microsecond" => d.nanosecond() / 1_000,
        _ => d.nanosecond(),
    })))
}

/// CHARINDEX(needle, haystack, start): 1-based, case-insensitive, 0 if absent.
fn char_index(ctx: &Context<'_>) -> rusqlite::Result<Option<i64>> {
    let needle: Option<String> = ctx.get(0)?;
    let haystack: Option<String> = ctx.get(1)?;
    let start: Option<i64> = ctx.get(2)?;
    let (Some(needle), Some(haystack)) = (needle, haystack) else {
        return Ok(None);
    };
    let skip = usize::try_from(start.unwrap_or(1).max(1) - 1).unwrap_or(0);
    let lower: Vec<char> = haystack.to_lowercase().chars().collect();
    let target: Vec<char> = needle.to_lowercase().chars().collect();
    if target.is_empty() {
        return Ok(Some(0));
    }
    let found = (skip..lower.len()).find(|&i| lower[i..].starts_with(&target));
    Ok(Some(found.map_or(0, |i| i64::try_from(i + 1).unwrap_or(0))))
}

/// Numeric and string helpers SQLite lacks: `tds_math(op, a, b)` with op
/// floor, ceiling, sqrt, reverse, round, power or replicate.
fn math(ctx: &Context<'_>) -> rusqlite::Result<Lite> {
    let op: String = ctx.get(0)?;
    let (a, b): (Lite, Lite) = (ctx.get(1)?, ctx.get(2)?);
    if matches!(a, Lite::Null) {
        return Ok(Lite::Null);
    }
    let count = |v: &Lite| match v {
        Lite::Integer(i) => Some(*i),
        Lite::Real(f) => f64_to_i64(*f),
        _ => None,
    };
    Ok(match (op.as_str(), &a) {
        ("floor" | "ceiling", Lite::Integer(i)) => Lite::Integer(*i),
        ("floor", v) => Lite::Real(as_f64(v).floor()),
        ("ceiling", v) => Lite::Real(as_f64(v).ceil()),
        ("sqrt", v) => Lite::Real(as_f64(v).sqrt()),
        ("reverse", v) => Lite::Text(to_text(ValueRef::from(v)).chars().rev().collect()),
        ("replicate", v) => match count(&b) {
            Some(n) if n >= 0 => {
                Lite::Text(to_text(ValueRef::from(v)).repeat(usize::try_from(n).unwrap_or(0)))
            }
            _ => Lite::Null,
        },
        ("round", v) => {
            let digits = i32::try_from(count(&b).unwrap_or(0))
                .unwrap_or(0)
                .clamp(-18, 18);
            let factor = 10f64.powi(digits);
            let rounded = (as_f64(v) * factor).round() / factor;
            match v {
                Lite::Integer(_) => f64_to_i64(rounded).map_or(Lite::Real(rounded), Lite::Integer),
                _ => Lite::Real(rounded),
            }
        }
        ("power", Lite::Integer(base)) if matches!(b, Lite::Integer(e) if (0..=62).contains(&e)) => {
            let exponent = u32::try_from(count(&b).unwrap_or(0)).unwrap_or(0);
            Lite::Integer(
                base.checked_pow(exponent)
                    .ok_or_else(|| fail(errors::arithmetic_overflow("int")))?,
            )
        }
        ("power", v) => Lite::Real(as_f64(v).powf(as_f64(&b))),
        _ => {
            return Err(fail(errors::internal(&format!(
                "unknown math operation {op}"
            ))));
        }
    })
}

/// `sys.columns` facts about a declared type: system_type_id, max_length,
/// precision, scale, or name.
fn type_info(ctx: &Context<'_>) -> rusqlite::Result<Lite> {
    let decl: String = ctx.get(0)?;
    let field: String = ctx.get(1)?;
    let Some(ty) = DataType::from_decl(&decl) else {
        return Ok(Lite::Null);
    };
    let (id, max_length, precision, scale): (i64, i64, i64, i64) = match ty {
        DataType::Bit => (104, 1, 1, 0),
        DataType::TinyInt => (48, 1, 3, 0),
        DataType::SmallInt => (52, 2, 5, 0),
        DataType::Int => (56, 4, 10, 0),
        DataType::BigInt => (127, 8, 19, 0),
        DataType::Decimal { precision, scale } => (106, 17, i64::from(precision), i64::from(scale)),
        DataType::Float => (62, 8, 53, 0),
        DataType::Text { kind, len } => {
            let (id, width) = match kind {
                super::types::TextKind::Char => (175, 1),
                super::types::TextKind::VarChar => (167, 1),
                super::types::TextKind::NChar => (239, 2),
                super::types::TextKind::NVarChar => (231, 2),
            };
            (id, len.map_or(-1, |n| i64::from(n) * width), 0, 0)
        }
        DataType::Binary { fixed, len } => (
            if fixed { 173 } else { 165 },
            len.map_or(-1, i64::from),
            0,
            0,
        ),
        DataType::Date => (40, 3, 10, 0),
        DataType::DateTime => (61, 8, 23, 3),
        DataType::DateTime2 => (42, 8, 27, 7),
        DataType::UniqueIdentifier => (36, 16, 0, 0),
    };
    Ok(match field.as_str() {
        "system_type_id" => Lite::Integer(id),
        "max_length" => Lite::Integer(max_length),
        "precision" => Lite::Integer(precision),
        "scale" => Lite::Integer(scale),
        _ => Lite::Text(ty.name()),
    })
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
