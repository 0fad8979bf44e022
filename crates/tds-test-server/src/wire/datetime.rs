//! Date and time encodings of TDS (DATE, TIME, DATETIME2, DATETIMEOFFSET,
//! DATETIME, SMALLDATETIME) to and from chrono's naive types.
//!
//! Only the byte layouts live here; which SQL type a value is sent as is
//! decided by `rows` (results) and `param` (RPC parameters).

use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime, Timelike};

use super::{Reader, WireError};

/// The scale (fractional second digits) this server sends DATETIME2 with.
pub(crate) const DATETIME2_SCALE: u8 = 7;

fn epoch_0001() -> NaiveDate {
    NaiveDate::from_ymd_opt(1, 1, 1).unwrap_or(NaiveDate::MIN)
}

fn epoch_1900() -> NaiveDate {
    NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or(NaiveDate::MIN)
}

/// DATETIME2 at [`DATETIME2_SCALE`]: 5 bytes of 100 ns ticks since midnight,
/// then 3 bytes of days since 0001-01-01. Years before 1 or after 9999 do
/// not fit a DATETIME2 and are reported.
pub(crate) fn encode_datetime2(value: &NaiveDateTime, out: &mut Vec<u8>) -> Result<(), WireError> {
    let days = (value.date() - epoch_0001()).num_days();
    let days = u32::try_from(days)
        .ok()
        .filter(|d| *d < 1 << 24)
        .ok_or_else(|| WireError::invalid("datetime2 value", format!("{value} is out of range")))?;
    let time = value.time();
    let ticks = u64::from(time.num_seconds_from_midnight()) * 10_000_000
        + u64::from(time.nanosecond() % 1_000_000_000) / 100;
    out.extend_from_slice(&ticks.to_le_bytes()[..5]);
    out.extend_from_slice(&days.to_le_bytes()[..3]);
    Ok(())
}

fn read_uint(r: &mut Reader<'_>, n: usize, what: &'static str) -> Result<u64, WireError> {
    let mut buf = [0u8; 8];
    buf[..n].copy_from_slice(r.take(n, what)?);
    Ok(u64::from_le_bytes(buf))
}

pub(crate) fn decode_time(
    r: &mut Reader<'_>,
    scale: u8,
    len: usize,
) -> Result<NaiveTime, WireError> {
    if scale > 7 {
        return Err(WireError::invalid("time scale", format!("{scale} > 7")));
    }
    let increments = read_uint(r, len, "time value")?;
    let nanos_per_increment = 10u64.pow(9 - u32::from(scale));
    let nanos = increments
        .checked_mul(nanos_per_increment)
        .ok_or_else(|| WireError::invalid("time value", "overflows a day"))?;
    let secs = u32::try_from(nanos / 1_000_000_000)
        .map_err(|_| WireError::invalid("time value", "overflows a day"))?;
    let sub = u32::try_from(nanos % 1_000_000_000).unwrap_or(0);
    NaiveTime::from_num_seconds_from_midnight_opt(secs, sub)
        .ok_or_else(|| WireError::invalid("time value", "overflows a day"))
}

pub(crate) fn decode_date(r: &mut Reader<'_>) -> Result<NaiveDate, WireError> {
    let days = read_uint(r, 3, "date value")?;
    let days = i64::try_from(days).unwrap_or(i64::MAX);
    epoch_0001()
        .checked_add_signed(Duration::days(days))
        .ok_or_else(|| WireError::invalid("date value", "out of range"))
}

/// DATETIME: days since 1900-01-01 (signed) and 1/300 s ticks since midnight.
pub(crate) fn decode_datetime(r: &mut Reader<'_>) -> Result<NaiveDateTime, WireError> {
    let days = i64::from(r.u32_le("datetime days")?.cast_signed());
    let ticks = i64::from(r.u32_le("datetime ticks")?);
    let date = epoch_1900()
        .checked_add_signed(Duration::days(days))
        .ok_or_else(|| WireError::invalid("datetime value", "out of range"))?;
    // 300 ticks a second, rounded to the millisecond like SQL Server shows it.
    let millis = (ticks * 10 + 1) / 3;
    Ok(date.and_time(NaiveTime::MIN) + Duration::milliseconds(millis))
}

/// SMALLDATETIME: days since 1900-01-01 and minutes since midnight.
pub(crate) fn decode_smalldatetime(r: &mut Reader<'_>) -> Result<NaiveDateTime, WireError> {
    let days = i64::from(r.u16_le("smalldatetime days")?);
    let minutes = i64::from(r.u16_le("smalldatetime minutes")?);
    let date = epoch_1900()
        .checked_add_signed(Duration::days(days))
        .ok_or_else(|| WireError::invalid("smalldatetime value", "out of range"))?;
    Ok(date.and_time(NaiveTime::MIN) + Duration::minutes(minutes))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dt(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S%.f").unwrap()
    }

    #[test]
    fn datetime2_round_trips_through_its_parts() {
        let cases = [
            "0001-01-01 00:00:00.0",
            "2024-02-29 23:59:59.9999999",
            "9999-12-31 12:34:56.1234567",
        ];
        for case in cases {
            let value = dt(case);
            let mut out = Vec::new();
            encode_datetime2(&value, &mut out).unwrap();
            assert_eq!(out.len(), 8);
            let mut r = Reader::new(&out);
            let time = decode_time(&mut r, 7, 5).unwrap();
            let date = decode_date(&mut r).unwrap();
            assert_eq!(date.and_time(time), value, "{case}");
        }
    }

    #[test]
    fn time_honours_the_scale() {
        // 12:00:00.5 at scale 1 is 432005 tenths of a second.
        let bytes = 432_005u32.to_le_bytes();
        let time = decode_time(&mut Reader::new(&bytes[..3]), 1, 3).unwrap();
        assert_eq!(time, NaiveTime::from_hms_milli_opt(12, 0, 0, 500).unwrap());
    }

    #[test]
    fn datetime_and_smalldatetime_use_the_1900_epoch() {
        let mut bytes = Vec::new();
        bytes.extend_from_slice(&1i32.to_le_bytes());
        bytes.extend_from_slice(&300u32.to_le_bytes());
        assert_eq!(
            decode_datetime(&mut Reader::new(&bytes)).unwrap(),
            dt("1900-01-02 00:00:01.0")
        );
        let small = [2u8, 0, 61, 0];
        assert_eq!(
            decode_smalldatetime(&mut Reader::new(&small)).unwrap(),
            dt("1900-01-03 01:01:00.0")
        );
    }
}
