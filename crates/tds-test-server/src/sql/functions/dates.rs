//! DATEADD, DATEDIFF and DATEPART over the stored date text, with SQL
//! Server's units and abbreviations. DATEDIFF counts boundaries crossed
//! (a year boundary between Dec 31 and Jan 1 counts one), not elapsed time.

use chrono::{Datelike, Duration as Span, NaiveDateTime, Timelike};
use rusqlite::functions::Context;
use rusqlite::types::ValueRef;

use super::super::values::{format_datetime, parse_datetime, to_text};
use super::super::{SqlError, errors};
use super::fail;

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

pub(super) fn date_add(ctx: &Context<'_>) -> rusqlite::Result<Option<String>> {
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
pub(super) fn date_diff(ctx: &Context<'_>) -> rusqlite::Result<Option<i64>> {
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

pub(super) fn date_part(ctx: &Context<'_>) -> rusqlite::Result<Option<i64>> {
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
