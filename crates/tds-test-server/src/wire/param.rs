//! Typed RPC parameter values (MS-TDS 2.2.6.6 ParamMetaData: TYPE_INFO then
//! TYPE_VARBYTE) decoded into the SQL side's [`Value`].
//!
//! Covers every type tiberius sends for its `ToSql` values, plus the fixed
//! and legacy types other clients use. Types the [`Value`] model has no room
//! for map to their nearest neighbour: GUID and TIME to text, DATE and
//! DATETIMEOFFSET to DATETIME2 (offset applied), MONEY to DECIMAL(19,4).
//! TEXT/NTEXT/IMAGE, sql_variant, UDT and table-valued parameters are refused.

use super::datetime::{decode_date, decode_datetime, decode_smalldatetime, decode_time};
use super::{Reader, WireError, bytes::decode_utf16};
use crate::sql::Value;

const NULL: u8 = 0x1F;
const INT1: u8 = 0x30;
const BIT: u8 = 0x32;
const INT2: u8 = 0x34;
const INT4: u8 = 0x38;
const DATETIM4: u8 = 0x3A;
const FLT4: u8 = 0x3B;
const MONEY: u8 = 0x3C;
const DATETIME: u8 = 0x3D;
const FLT8: u8 = 0x3E;
const MONEY4: u8 = 0x7A;
const INT8: u8 = 0x7F;
const GUID: u8 = 0x24;
const INTN: u8 = 0x26;
const DATEN: u8 = 0x28;
const TIMEN: u8 = 0x29;
const DATETIME2N: u8 = 0x2A;
const DATETIMEOFFSETN: u8 = 0x2B;
const BITN: u8 = 0x68;
const DECIMALN: u8 = 0x6A;
const NUMERICN: u8 = 0x6C;
const FLTN: u8 = 0x6D;
const MONEYN: u8 = 0x6E;
const DATETIMN: u8 = 0x6F;
const BIGVARBIN: u8 = 0xA5;
const BIGVARCHR: u8 = 0xA7;
const BIGBINARY: u8 = 0xAD;
const BIGCHAR: u8 = 0xAF;
const NVARCHAR: u8 = 0xE7;
const NCHAR: u8 = 0xEF;
const XML: u8 = 0xF1;

/// A length-prefixed value's length of 0xFFFF (USHORTLEN) means NULL, and a
/// TYPE_INFO max length of 0xFFFF means the value is PLP-encoded (a MAX type).
const USHORT_NULL: u16 = 0xFFFF;
const PLP_NULL: u64 = u64::MAX;

/// Reads one parameter's TYPE_INFO and value.
pub(crate) fn decode_value(r: &mut Reader<'_>) -> Result<Value, WireError> {
    let ty = r.u8("parameter type")?;
    match ty {
        NULL => Ok(Value::Null),
        INT1 => Ok(Value::TinyInt(r.u8("tinyint")?)),
        BIT => Ok(Value::Bit(r.u8("bit")? != 0)),
        INT2 => Ok(Value::SmallInt(r.u16_le("smallint")?.cast_signed())),
        INT4 => Ok(Value::Int(r.u32_le("int")?.cast_signed())),
        INT8 => Ok(Value::BigInt(r.u64_le("bigint")?.cast_signed())),
        FLT4 => Ok(Value::Float(f64::from(f32::from_bits(r.u32_le("real")?)))),
        FLT8 => Ok(Value::Float(f64::from_bits(r.u64_le("float")?))),
        DATETIME => Ok(Value::DateTime2(decode_datetime(r)?)),
        DATETIM4 => Ok(Value::DateTime2(decode_smalldatetime(r)?)),
        MONEY => money(r, 8),
        MONEY4 => money(r, 4),
        INTN | BITN | FLTN | MONEYN | DATETIMN | GUID => {
            let _max = r.u8("parameter max length")?;
            fixed_n(ty, r)
        }
        DECIMALN | NUMERICN => decimal(r),
        DATEN => match r.u8("date length")? {
            0 => Ok(Value::Null),
            _ => Ok(Value::DateTime2(
                decode_date(r)?.and_time(chrono::NaiveTime::MIN),
            )),
        },
        TIMEN | DATETIME2N | DATETIMEOFFSETN => scaled_time(ty, r),
        BIGVARBIN | BIGBINARY => Ok(binary(r)?.map_or(Value::Null, Value::VarBinary)),
        BIGVARCHR | BIGCHAR => {
            let bytes = collated(r)?;
            // Latin-1 is exact for ASCII and close to the collation's code
            // page 1252; a test double needs no more.
            Ok(bytes.map_or(Value::Null, |b| {
                Value::NVarChar(b.iter().map(|c| char::from(*c)).collect())
            }))
        }
        NVARCHAR | NCHAR => match collated(r)? {
            None => Ok(Value::Null),
            Some(bytes) => Ok(Value::NVarChar(decode_utf16(&bytes, "nvarchar value")?)),
        },
        XML => xml(r),
        other => Err(WireError::unsupported(
            "parameter type",
            format!("0x{other:02X} (text, image, sql_variant, UDT and TVP are not supported)"),
        )),
    }
}

fn fixed_n(ty: u8, r: &mut Reader<'_>) -> Result<Value, WireError> {
    let len = r.u8("parameter length")?;
    if len == 0 {
        return Ok(Value::Null);
    }
    let bad_len = || WireError::invalid("parameter length", format!("{len} for type 0x{ty:02X}"));
    match (ty, len) {
        (INTN, 1) => Ok(Value::TinyInt(r.u8("tinyint")?)),
        (INTN, 2) => Ok(Value::SmallInt(r.u16_le("smallint")?.cast_signed())),
        (INTN, 4) => Ok(Value::Int(r.u32_le("int")?.cast_signed())),
        (INTN, 8) => Ok(Value::BigInt(r.u64_le("bigint")?.cast_signed())),
        (BITN, 1) => Ok(Value::Bit(r.u8("bit")? != 0)),
        (FLTN, 4) => Ok(Value::Float(f64::from(f32::from_bits(r.u32_le("real")?)))),
        (FLTN, 8) => Ok(Value::Float(f64::from_bits(r.u64_le("float")?))),
        (MONEYN, 4 | 8) => money(r, len),
        (DATETIMN, 4) => Ok(Value::DateTime2(decode_smalldatetime(r)?)),
        (DATETIMN, 8) => Ok(Value::DateTime2(decode_datetime(r)?)),
        (GUID, 16) => guid(r.take(16, "uniqueidentifier")?),
        _ => Err(bad_len()),
    }
}

/// MONEY is a count of ten-thousandths: 8 bytes as high then low 32-bit
/// halves, SMALLMONEY a plain 4-byte integer.
fn money(r: &mut Reader<'_>, len: u8) -> Result<Value, WireError> {
    let unscaled = if len == 4 {
        i128::from(r.u32_le("smallmoney")?.cast_signed())
    } else {
        let high = i64::from(r.u32_le("money high")?.cast_signed());
        let low = i64::from(r.u32_le("money low")?);
        i128::from((high << 32) | low)
    };
    Ok(Value::Decimal {
        unscaled,
        precision: 19,
        scale: 4,
    })
}

fn decimal(r: &mut Reader<'_>) -> Result<Value, WireError> {
    let _max = r.u8("decimal max length")?;
    let precision = r.u8("decimal precision")?;
    let scale = r.u8("decimal scale")?;
    if !(1..=38).contains(&precision) || scale > precision {
        return Err(WireError::invalid(
            "decimal type",
            format!("precision {precision}, scale {scale}"),
        ));
    }
    let len = usize::from(r.u8("decimal length")?);
    if len == 0 {
        return Ok(Value::Null);
    }
    if !matches!(len, 5 | 9 | 13 | 17) {
        return Err(WireError::invalid("decimal length", format!("{len}")));
    }
    let sign = r.u8("decimal sign")?;
    let mut magnitude = [0u8; 16];
    magnitude[..len - 1].copy_from_slice(r.take(len - 1, "decimal value")?);
    let magnitude = i128::try_from(u128::from_le_bytes(magnitude))
        .map_err(|_| WireError::invalid("decimal value", "exceeds 38 digits"))?;
    let unscaled = if sign == 0 { -magnitude } else { magnitude };
    Ok(Value::Decimal {
        unscaled,
        precision,
        scale,
    })
}

/// TIME, DATETIME2 and DATETIMEOFFSET carry a scale in TYPE_INFO and a
/// length before the value.
fn scaled_time(ty: u8, r: &mut Reader<'_>) -> Result<Value, WireError> {
    let scale = r.u8("time scale")?;
    let len = usize::from(r.u8("time length")?);
    if len == 0 {
        return Ok(Value::Null);
    }
    let time_len = len
        .checked_sub(match ty {
            TIMEN => 0,
            DATETIME2N => 3,
            _ => 5,
        })
        .ok_or_else(|| WireError::invalid("time length", format!("{len}")))?;
    let time = decode_time(r, scale, time_len)?;
    if ty == TIMEN {
        return Ok(Value::NVarChar(format!(
            "{}.{:07}",
            time.format("%H:%M:%S"),
            chrono::Timelike::nanosecond(&time) / 100
        )));
    }
    let at = decode_date(r)?.and_time(time);
    if ty == DATETIME2N {
        return Ok(Value::DateTime2(at));
    }
    // DATETIMEOFFSET stores UTC; converting to DATETIME2 keeps local time.
    let offset = i64::from(r.u16_le("datetimeoffset offset")?.cast_signed());
    Ok(Value::DateTime2(at + chrono::Duration::minutes(offset)))
}

/// A GUID's first three groups are little-endian on the wire.
fn guid(b: &[u8]) -> Result<Value, WireError> {
    let order = [3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15];
    let mut text = String::with_capacity(36);
    for (i, index) in order.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            text.push('-');
        }
        text.push_str(&format!("{:02X}", b[*index]));
    }
    Ok(Value::NVarChar(text))
}

/// BIGVARBINARY / BIGBINARY: a USHORT max length, then either a USHORT-length
/// value or, for MAX, a PLP value.
fn binary(r: &mut Reader<'_>) -> Result<Option<Vec<u8>>, WireError> {
    let max = r.u16_le("binary max length")?;
    var_bytes(r, max)
}

/// Character types: USHORT max length and a 5-byte collation first.
fn collated(r: &mut Reader<'_>) -> Result<Option<Vec<u8>>, WireError> {
    let max = r.u16_le("string max length")?;
    r.take(5, "collation")?;
    var_bytes(r, max)
}

fn var_bytes(r: &mut Reader<'_>, max: u16) -> Result<Option<Vec<u8>>, WireError> {
    if max == USHORT_NULL {
        return plp(r);
    }
    match r.u16_le("value length")? {
        USHORT_NULL => Ok(None),
        len => Ok(Some(r.take(usize::from(len), "value")?.to_vec())),
    }
}

/// PLP (MS-TDS 2.2.5.2.3): a total length (or NULL / unknown), then chunks
/// each with a 4-byte length, ended by a zero-length chunk.
fn plp(r: &mut Reader<'_>) -> Result<Option<Vec<u8>>, WireError> {
    let total = r.u64_le("plp length")?;
    if total == PLP_NULL {
        return Ok(None);
    }
    let mut out = Vec::new();
    loop {
        let chunk = r.u32_le("plp chunk length")?;
        if chunk == 0 {
            return Ok(Some(out));
        }
        let chunk = usize::try_from(chunk)
            .map_err(|_| WireError::invalid("plp chunk length", "too large"))?;
        out.extend_from_slice(r.take(chunk, "plp chunk")?);
    }
}

fn xml(r: &mut Reader<'_>) -> Result<Value, WireError> {
    if r.u8("xml schema present")? == 1 {
        r.b_varchar("xml schema database")?;
        r.b_varchar("xml schema owner")?;
        r.us_varchar("xml schema collection")?;
    }
    match plp(r)? {
        None => Ok(Value::Null),
        Some(bytes) => Ok(Value::NVarChar(decode_utf16(&bytes, "xml value")?)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::Writer;
    use chrono::NaiveDate;

    fn decode(bytes: &[u8]) -> Value {
        let mut r = Reader::new(bytes);
        let v = decode_value(&mut r).unwrap();
        assert!(r.is_empty(), "left {} bytes", r.remaining());
        v
    }

    fn nvarchar(s: &str) -> Vec<u8> {
        // tiberius: NVARCHAR(4000) with an all-zero collation.
        let mut b = vec![NVARCHAR, 0x40, 0x1F, 0, 0, 0, 0, 0];
        let units: Vec<u16> = s.encode_utf16().collect();
        b.put_u16_le(u16::try_from(units.len() * 2).unwrap());
        for u in units {
            b.put_u16_le(u);
        }
        b
    }

    fn nvarchar_max(s: &str) -> Vec<u8> {
        let mut b = vec![NVARCHAR, 0xFF, 0xFF, 0, 0, 0, 0, 0];
        b.put_u64_le(0xFFFF_FFFF_FFFF_FFFE);
        let units: Vec<u16> = s.encode_utf16().collect();
        let (a, rest) = units.split_at(units.len() / 2);
        for part in [a, rest] {
            b.put_u32_le(u32::try_from(part.len() * 2).unwrap());
            for u in part {
                b.put_u16_le(*u);
            }
        }
        b.put_u32_le(0);
        b
    }

    #[test]
    fn decodes_what_tiberius_sends() {
        let big = "ä".repeat(3000);
        let cases: Vec<(Vec<u8>, Value)> = vec![
            (vec![NULL], Value::Null),
            (vec![INTN, 1, 1, 200], Value::TinyInt(200)),
            (vec![INTN, 2, 2, 0xFE, 0xFF], Value::SmallInt(-2)),
            (
                [vec![INTN, 4, 4], (-7i32).to_le_bytes().to_vec()].concat(),
                Value::Int(-7),
            ),
            (
                [vec![INTN, 8, 8], (1i64 << 40).to_le_bytes().to_vec()].concat(),
                Value::BigInt(1 << 40),
            ),
            (vec![INTN, 4, 0], Value::Null),
            (vec![BITN, 1, 1, 1], Value::Bit(true)),
            (vec![BITN, 1, 0], Value::Null),
            (
                [vec![FLTN, 8, 8], 2.5f64.to_le_bytes().to_vec()].concat(),
                Value::Float(2.5),
            ),
            (
                [vec![FLTN, 4, 4], 0.5f32.to_le_bytes().to_vec()].concat(),
                Value::Float(0.5),
            ),
            (
                // numeric(5,2) -123.45 the way tiberius writes it.
                [
                    vec![NUMERICN, 5, 5, 2, 5, 0],
                    12345u32.to_le_bytes().to_vec(),
                ]
                .concat(),
                Value::Decimal {
                    unscaled: -12345,
                    precision: 5,
                    scale: 2,
                },
            ),
            (nvarchar("héllo"), Value::NVarChar("héllo".into())),
            (nvarchar(""), Value::NVarChar(String::new())),
            (nvarchar_max(&big), Value::NVarChar(big.clone())),
            (
                vec![BIGVARBIN, 0x40, 0x1F, 3, 0, 1, 2, 3],
                Value::VarBinary(vec![1, 2, 3]),
            ),
            (vec![BIGVARBIN, 0x40, 0x1F, 0xFF, 0xFF], Value::Null),
        ];
        for (bytes, expected) in cases {
            assert_eq!(decode(&bytes), expected, "{bytes:02X?}");
        }
    }

    #[test]
    fn decodes_date_and_time_types() {
        // 2024-05-06 07:08:09.5 as DATETIME2(7): 5 bytes of ticks, 3 of days.
        let at = NaiveDate::from_ymd_opt(2024, 5, 6)
            .unwrap()
            .and_hms_milli_opt(7, 8, 9, 500)
            .unwrap();
        let mut value = Vec::new();
        crate::wire::datetime::encode_datetime2(&at, &mut value).unwrap();
        let dt2 = [vec![DATETIME2N, 7, 8], value.clone()].concat();
        assert_eq!(decode(&dt2), Value::DateTime2(at));

        // The same instant as DATETIMEOFFSET(7) at +02:00: stored as UTC.
        let utc = at - chrono::Duration::hours(2);
        let mut utc_bytes = Vec::new();
        crate::wire::datetime::encode_datetime2(&utc, &mut utc_bytes).unwrap();
        let dto = [
            vec![DATETIMEOFFSETN, 7, 10],
            utc_bytes,
            120i16.to_le_bytes().to_vec(),
        ]
        .concat();
        assert_eq!(decode(&dto), Value::DateTime2(at));

        let date = [vec![DATEN, 3], value[5..].to_vec()].concat();
        assert_eq!(
            decode(&date),
            Value::DateTime2(at.date().and_time(chrono::NaiveTime::MIN))
        );
        let time = [vec![TIMEN, 7, 5], value[..5].to_vec()].concat();
        assert_eq!(decode(&time), Value::NVarChar("07:08:09.5000000".into()));
    }

    #[test]
    fn decodes_guid_and_money() {
        let guid_bytes = [
            0x33, 0x22, 0x11, 0x00, 0x55, 0x44, 0x77, 0x66, 0x88, 0x99, 0xAA, 0xBB, 0xCC, 0xDD,
            0xEE, 0xFF,
        ];
        let bytes = [vec![GUID, 16, 16], guid_bytes.to_vec()].concat();
        assert_eq!(
            decode(&bytes),
            Value::NVarChar("00112233-4455-6677-8899-AABBCCDDEEFF".into())
        );
        // 1.5 as MONEY: 15000 ten-thousandths, high half first.
        let money = [
            vec![MONEYN, 8, 8],
            0u32.to_le_bytes().to_vec(),
            15000u32.to_le_bytes().to_vec(),
        ]
        .concat();
        assert_eq!(
            decode(&money),
            Value::Decimal {
                unscaled: 15000,
                precision: 19,
                scale: 4
            }
        );
    }

    #[test]
    fn refuses_unsupported_and_broken_values() {
        let cases: [&[u8]; 5] = [
            &[0xF3],                    // table-valued parameter
            &[0x62, 0, 0, 0, 0],        // sql_variant
            &[INTN, 4, 3, 1, 2, 3],     // impossible int length
            &[DECIMALN, 17, 40, 2, 0],  // precision > 38
            &[NVARCHAR, 0x40, 0x1F, 0], // truncated collation
        ];
        for bytes in cases {
            assert!(
                decode_value(&mut Reader::new(bytes)).is_err(),
                "{bytes:02X?}"
            );
        }
    }
}
