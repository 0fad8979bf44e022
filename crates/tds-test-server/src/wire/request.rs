//! Client requests after login: SQL batches (MS-TDS 2.2.6.7), RPC calls
//! (2.2.6.6, of which `sp_executesql` is the one that runs SQL) and
//! transaction-manager requests (2.2.6.9), each behind its ALL_HEADERS.
//!
//! What a request means for the session (running it, turning a transaction
//! request into BEGIN/COMMIT) is decided in `server::connection`.

use super::param::decode_value;
use super::{Reader, WireError};
use crate::sql::Param;

/// `sp_executesql`'s well-known procedure id.
const SP_EXECUTESQL: u16 = 10;
/// RPC procedure-id switch: the next two bytes are a well-known id.
const PROC_ID_SWITCH: u16 = 0xFFFF;

/// Skips ALL_HEADERS (required from TDS 7.2 on) and returns what follows.
fn after_all_headers<'a>(payload: &'a [u8], what: &'static str) -> Result<Reader<'a>, WireError> {
    let mut r = Reader::new(payload);
    let total = usize::try_from(r.u32_le(what)?)
        .map_err(|_| WireError::invalid("all_headers length", "too large"))?;
    if total < 4 || total > payload.len() {
        return Err(WireError::invalid(
            "all_headers length",
            format!("expected 4..={}, found {total}", payload.len()),
        ));
    }
    r.take(total - 4, "all_headers")?;
    Ok(r)
}

/// The text of a SQL batch.
pub(crate) fn parse_batch(payload: &[u8]) -> Result<String, WireError> {
    let mut r = after_all_headers(payload, "sql batch headers")?;
    let text = r.rest();
    super::bytes::decode_utf16(text, "sql batch text")
}

/// An RPC request.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Rpc {
    /// `sp_executesql @stmt, @params, @P1, ...`: the statement and its
    /// parameter values, named as the client named them (`@P1`, ...).
    ExecuteSql { sql: String, params: Vec<Param> },
    /// Any other procedure, by name or well-known id: not supported.
    Other { procedure: String },
}

pub(crate) fn parse_rpc(payload: &[u8]) -> Result<Rpc, WireError> {
    let mut r = after_all_headers(payload, "rpc headers")?;
    let switch = r.u16_le("rpc procedure")?;
    let procedure = if switch == PROC_ID_SWITCH {
        match r.u16_le("rpc procedure id")? {
            SP_EXECUTESQL => "sp_executesql".to_owned(),
            id => format!("procedure id {id}"),
        }
    } else {
        r.utf16(usize::from(switch), "rpc procedure name")?
    };
    if !is_sp_executesql(&procedure) {
        return Ok(Rpc::Other { procedure });
    }
    let _option_flags = r.u16_le("rpc option flags")?;
    let mut values = Vec::new();
    while !r.is_empty() {
        values.push(parse_param(&mut r)?);
    }
    execute_sql(values)
}

fn is_sp_executesql(name: &str) -> bool {
    let bare = name.rsplit('.').next().unwrap_or(name);
    bare.trim_matches(|c| c == '[' || c == ']')
        .eq_ignore_ascii_case("sp_executesql")
}

fn parse_param(r: &mut Reader<'_>) -> Result<Param, WireError> {
    let name_len = r.u8("rpc parameter name")?;
    // 0x80 / 0xFF would start another RPC of the same message.
    if name_len == 0x80 || name_len == 0xFF {
        return Err(WireError::unsupported(
            "rpc request",
            "several RPC calls in one message",
        ));
    }
    let name = r.utf16(usize::from(name_len), "rpc parameter name")?;
    let _status = r.u8("rpc parameter status")?;
    let value = decode_value(r)?;
    Ok(Param { name, value })
}

fn execute_sql(values: Vec<Param>) -> Result<Rpc, WireError> {
    let mut values = values.into_iter();
    let sql = match values.next().map(|p| p.value) {
        Some(crate::sql::Value::NVarChar(sql)) => sql,
        other => {
            return Err(WireError::invalid(
                "sp_executesql @stmt",
                format!("expected an nvarchar statement, found {other:?}"),
            ));
        }
    };
    let declared = match values.next().map(|p| p.value) {
        Some(crate::sql::Value::NVarChar(decl)) => declared_names(&decl),
        _ => Vec::new(),
    };
    let params = values
        .enumerate()
        .map(|(i, mut p)| {
            if p.name.is_empty() {
                p.name = declared.get(i).cloned().unwrap_or_default();
            }
            p
        })
        .collect();
    Ok(Rpc::ExecuteSql { sql, params })
}

/// The parameter names of an `@params` declaration such as
/// `@P1 int,@P2 decimal(10,2)`, for values sent without a name.
fn declared_names(decl: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut depth = 0usize;
    let mut current = String::new();
    for c in decl.chars().chain(std::iter::once(',')) {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => {
                if let Some(name) = current.split_whitespace().next() {
                    names.push(name.to_owned());
                }
                current.clear();
                continue;
            }
            _ => {}
        }
        current.push(c);
    }
    names
}

/// A transaction-manager request (tiberius' `begin_transaction` & co).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum TransactionRequest {
    Begin {
        name: String,
    },
    Commit {
        name: String,
    },
    Rollback {
        name: String,
    },
    Save {
        name: String,
    },
    /// DTC requests (get address, propagate, promote): not supported.
    Other {
        request_type: u16,
    },
}

pub(crate) fn parse_transaction(payload: &[u8]) -> Result<TransactionRequest, WireError> {
    let mut r = after_all_headers(payload, "transaction manager headers")?;
    let request_type = r.u16_le("transaction request type")?;
    let name = |r: &mut Reader<'_>| -> Result<String, WireError> {
        if r.is_empty() {
            Ok(String::new())
        } else {
            r.b_varchar("transaction name")
        }
    };
    Ok(match request_type {
        5 => {
            let _isolation = r.u8("transaction isolation level")?;
            TransactionRequest::Begin {
                name: name(&mut r)?,
            }
        }
        7 => TransactionRequest::Commit {
            name: name(&mut r)?,
        },
        8 => TransactionRequest::Rollback {
            name: name(&mut r)?,
        },
        9 => TransactionRequest::Save {
            name: name(&mut r)?,
        },
        other => TransactionRequest::Other {
            request_type: other,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sql::Value;
    use crate::wire::Writer;

    fn all_headers(out: &mut Vec<u8>) {
        out.put_u32_le(22);
        out.put_u32_le(18);
        out.put_u16_le(2);
        out.extend_from_slice(&[0; 8]);
        out.put_u32_le(1);
    }

    fn nvarchar_param(out: &mut Vec<u8>, name: &str, value: &str) {
        out.put_b_varchar(name);
        out.put_u8(0);
        out.extend_from_slice(&[0xE7, 0x40, 0x1F, 0, 0, 0, 0, 0]);
        let units: Vec<u16> = value.encode_utf16().collect();
        out.put_u16_le(u16::try_from(units.len() * 2).unwrap());
        for u in units {
            out.put_u16_le(u);
        }
    }

    #[test]
    fn batch_text_follows_the_headers() {
        let mut msg = Vec::new();
        all_headers(&mut msg);
        msg.put_utf16("SELECT 1; SELECT N'ü'");
        assert_eq!(parse_batch(&msg).unwrap(), "SELECT 1; SELECT N'ü'");
        assert!(parse_batch(&[1, 0, 0, 0]).is_err());
        assert!(parse_batch(&[0xFF, 0, 0, 0, 0]).is_err());
    }

    fn sp_executesql(named: bool) -> Vec<u8> {
        let mut msg = Vec::new();
        all_headers(&mut msg);
        msg.put_u16_le(0xFFFF);
        msg.put_u16_le(10);
        msg.put_u16_le(0);
        nvarchar_param(&mut msg, "stmt", "SELECT @P1 + @P2");
        nvarchar_param(&mut msg, "params", "@P1 int,@P2 decimal(10,2)");
        msg.put_b_varchar(if named { "@P1" } else { "" });
        msg.extend_from_slice(&[0, 0x26, 4, 4, 5, 0, 0, 0]);
        msg.put_b_varchar(if named { "@P2" } else { "" });
        msg.extend_from_slice(&[0, 0x1F]);
        msg
    }

    #[test]
    fn sp_executesql_yields_statement_and_named_values() {
        for named in [true, false] {
            let rpc = parse_rpc(&sp_executesql(named)).unwrap();
            assert_eq!(
                rpc,
                Rpc::ExecuteSql {
                    sql: "SELECT @P1 + @P2".into(),
                    params: vec![
                        Param {
                            name: "@P1".into(),
                            value: Value::Int(5)
                        },
                        Param {
                            name: "@P2".into(),
                            value: Value::Null
                        },
                    ],
                }
            );
        }
    }

    #[test]
    fn other_procedures_are_named() {
        let mut msg = Vec::new();
        all_headers(&mut msg);
        msg.put_us_varchar("dbo.usp_thing");
        msg.put_u16_le(0);
        assert_eq!(
            parse_rpc(&msg).unwrap(),
            Rpc::Other {
                procedure: "dbo.usp_thing".into()
            }
        );
        let mut by_name = Vec::new();
        all_headers(&mut by_name);
        by_name.put_us_varchar("sys.sp_executesql");
        by_name.put_u16_le(0);
        nvarchar_param(&mut by_name, "@stmt", "SELECT 1");
        assert!(matches!(
            parse_rpc(&by_name).unwrap(),
            Rpc::ExecuteSql { .. }
        ));
    }

    #[test]
    fn declared_names_ignore_commas_in_type_arguments() {
        assert_eq!(
            declared_names("@a decimal(10, 2), @b nvarchar(max),@c int"),
            vec!["@a", "@b", "@c"]
        );
        assert!(declared_names("").is_empty());
    }

    #[test]
    fn transaction_requests() {
        let cases: Vec<(Vec<u8>, TransactionRequest)> = vec![
            (
                vec![5, 0, 0, 0],
                TransactionRequest::Begin {
                    name: String::new(),
                },
            ),
            (
                vec![7, 0, 0, 0],
                TransactionRequest::Commit {
                    name: String::new(),
                },
            ),
            (
                vec![8, 0, 0, 0],
                TransactionRequest::Rollback {
                    name: String::new(),
                },
            ),
            (
                vec![9, 0, 2, b's', 0, b'p', 0],
                TransactionRequest::Save { name: "sp".into() },
            ),
            (vec![0, 0], TransactionRequest::Other { request_type: 0 }),
        ];
        for (body, expected) in cases {
            let mut msg = Vec::new();
            all_headers(&mut msg);
            msg.extend_from_slice(&body);
            assert_eq!(parse_transaction(&msg).unwrap(), expected);
        }
    }
}
