//! String and number helpers: T-SQL LIKE (with `[a-z]` classes and
//! ESCAPE) as a cached regex, CHARINDEX, the `tds_math` operations SQLite
//! lacks, and the type facts `sys.columns` shows.

use regex::Regex;
use rusqlite::functions::Context;
use rusqlite::types::{Value as Lite, ValueRef};

use super::super::errors;
use super::super::types::{DataType, TextKind};
use super::super::values::{f64_to_i64, to_text};
use super::{as_f64, fail};

pub(super) fn like(ctx: &Context<'_>) -> rusqlite::Result<Option<bool>> {
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

/// CHARINDEX(needle, haystack, start): 1-based, case-insensitive, 0 if absent.
pub(super) fn char_index(ctx: &Context<'_>) -> rusqlite::Result<Option<i64>> {
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
pub(super) fn math(ctx: &Context<'_>) -> rusqlite::Result<Lite> {
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
pub(super) fn type_info(ctx: &Context<'_>) -> rusqlite::Result<Lite> {
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
                TextKind::Char => (175, 1),
                TextKind::VarChar => (167, 1),
                TextKind::NChar => (239, 2),
                TextKind::NVarChar => (231, 2),
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
