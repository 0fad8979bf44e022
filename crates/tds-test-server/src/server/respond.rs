//! Turns the SQL side's [`Reply`] list for one request into the token stream
//! SQL Server would send: result sets, DONE per statement (DONEINPROC inside
//! `sp_executesql`, closed by RETURNSTATUS and DONEPROC), ERROR and INFO
//! messages, ENVCHANGE for database and transaction changes.
//!
//! It also owns the transaction descriptors that ENVCHANGE hands the client.
//! Sending the bytes, and what a cut means for the connection, is
//! `connection`'s business.

use crate::sql::{EnvChange, Reply, SqlError};
use crate::wire::rows;
use crate::wire::token::{
    self, CMD_SELECT, DONE_ATTN, DONE_COUNT, DONE_ERROR, DONE_MORE, Done, Message,
};

/// How a request's statements are framed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// A SQL batch or transaction-manager request: DONE per statement.
    Batch,
    /// `sp_executesql`: DONEINPROC per statement, then RETURNSTATUS, DONEPROC.
    Rpc,
}

pub(crate) struct Response {
    pub(crate) bytes: Vec<u8>,
    /// The SQL side asked to cut the connection after these bytes.
    pub(crate) cut: bool,
}

/// The descriptors of one connection's transactions: the client must echo
/// the current one in every request's ALL_HEADERS.
#[derive(Debug, Default)]
pub(crate) struct Transactions {
    current: Option<u64>,
    issued: u64,
}

impl Transactions {
    fn begin(&mut self) -> u64 {
        self.issued += 1;
        // Never 0: an all-zero descriptor means "no transaction".
        let descriptor = self.issued;
        self.current = Some(descriptor);
        descriptor
    }

    fn end(&mut self) -> u64 {
        self.current.take().unwrap_or(0)
    }
}

/// Writes the tokens of one request's replies.
pub(crate) struct Encoder<'a> {
    pub(crate) server: &'a str,
    pub(crate) transactions: &'a mut Transactions,
}

impl Encoder<'_> {
    pub(crate) fn encode(&mut self, replies: &[Reply], mode: Mode) -> Response {
        let mut out = Vec::new();
        let mut statement = StatementState::default();
        let mut any_error = false;
        // Offset of the last DONE written, while nothing followed it.
        let mut last_done: Option<usize> = None;
        for reply in replies {
            let start = out.len();
            match reply {
                Reply::ResultSet { columns, rows } => {
                    statement.select = true;
                    let mut set = Vec::new();
                    rows::col_metadata(&mut set, columns);
                    let encoded: Result<(), _> = rows
                        .iter()
                        .try_for_each(|row| rows::row(&mut set, columns, row));
                    match encoded {
                        Ok(()) => out.extend_from_slice(&set),
                        Err(e) => {
                            statement.error = true;
                            token::error(
                                &mut out,
                                &encoding_error(&e.to_string()),
                                self.server,
                                "",
                            );
                        }
                    }
                }
                Reply::Done { row_count } => {
                    let kind = match mode {
                        Mode::Batch => Done::Batch,
                        Mode::Rpc => Done::InProc,
                    };
                    let mut status = DONE_MORE;
                    if row_count.is_some() {
                        status |= DONE_COUNT;
                    }
                    if statement.error {
                        status |= DONE_ERROR;
                    }
                    let cmd = if statement.select { CMD_SELECT } else { 0 };
                    token::done(&mut out, kind, status, cmd, row_count.unwrap_or(0));
                    any_error |= statement.error;
                    statement = StatementState::default();
                    last_done = Some(start);
                    continue;
                }
                Reply::Error(e) => {
                    statement.error = true;
                    // Errors in the statement of `sp_executesql` name no procedure, as
                    // on SQL Server (it is ad-hoc SQL).
                    token::error(&mut out, e, self.server, "");
                }
                Reply::Info { number, message } => info(&mut out, *number, message, self.server),
                Reply::EnvChange(change) => self.env_change(&mut out, change),
                Reply::ConnectionCut => {
                    return Response {
                        bytes: out,
                        cut: true,
                    };
                }
            }
            if out.len() > start {
                last_done = None;
            }
        }
        any_error |= statement.error;
        match (mode, last_done) {
            (Mode::Batch, Some(at)) if !statement.error => clear_more(&mut out, at),
            (Mode::Batch, _) => {
                // Earlier statements' DONEs carry their own errors; this one
                // speaks for the replies after the last of them.
                let status = if statement.error { DONE_ERROR } else { 0 };
                token::done(&mut out, Done::Batch, status, 0, 0);
            }
            (Mode::Rpc, _) => {
                token::return_status(&mut out, i32::from(any_error));
                let status = if any_error { DONE_ERROR } else { 0 };
                token::done(&mut out, Done::Proc, status, 0, 0);
            }
        }
        Response {
            bytes: out,
            cut: false,
        }
    }

    fn env_change(&mut self, out: &mut Vec<u8>, change: &EnvChange) {
        match change {
            // The engine reports INFO 5701 itself, as its own reply.
            EnvChange::Database { old, new } => token::env_database(out, new, old),
            EnvChange::BeginTransaction => {
                let descriptor = self.transactions.begin();
                token::env_begin_transaction(out, descriptor);
            }
            EnvChange::CommitTransaction => {
                token::env_commit_transaction(out, self.transactions.end());
            }
            EnvChange::RollbackTransaction => {
                token::env_rollback_transaction(out, self.transactions.end());
            }
        }
    }

    /// The answer to an ATTENTION: what the session's cleanup changed
    /// (a rolled-back transaction), then DONE with the attention bit.
    pub(crate) fn attention_ack(&mut self, cleanup: &[Reply]) -> Vec<u8> {
        let mut out = Vec::new();
        for reply in cleanup {
            if let Reply::EnvChange(change) = reply {
                self.env_change(&mut out, change);
            }
        }
        token::done(&mut out, Done::Batch, DONE_ATTN, 0, 0);
        out
    }
}

#[derive(Default)]
struct StatementState {
    select: bool,
    error: bool,
}

/// An informational message (class 0), as SQL Server sends for a changed
/// database or language.
pub(super) fn info(out: &mut Vec<u8>, number: u32, text: &str, server: &str) {
    token::info(
        out,
        &Message {
            number,
            state: 1,
            class: 0,
            text,
            server,
            procedure: "",
            line: 1,
        },
    );
}

/// The final DONE of a batch must not announce more results.
fn clear_more(out: &mut [u8], done_at: usize) {
    // The status is little-endian; DONE_MORE lives in its low byte.
    let [more, _] = DONE_MORE.to_le_bytes();
    out[done_at + 1] &= !more;
}

/// A value the SQL side produced that does not fit its column's type.
fn encoding_error(detail: &str) -> SqlError {
    SqlError {
        number: 50000,
        state: 1,
        class: 16,
        line: 1,
        message: format!("tds-test-server cannot send this result set: {detail}"),
    }
}

/// A whole response made of error messages and a final DONE (or DONEPROC),
/// for requests that fail before reaching the SQL side.
pub(crate) fn errors_only(errors: &[SqlError], server: &str, mode: Mode) -> Vec<u8> {
    let mut out = Vec::new();
    for e in errors {
        token::error(&mut out, e, server, "");
    }
    match mode {
        Mode::Batch => token::done(&mut out, Done::Batch, DONE_ERROR, 0, 0),
        Mode::Rpc => {
            token::return_status(&mut out, 1);
            token::done(&mut out, Done::Proc, DONE_ERROR, 0, 0);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sql::{Column, SqlType, Value};

    /// Token types and DONE statuses of an encoded response, in order.
    fn outline(bytes: &[u8]) -> Vec<String> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            let token = bytes[i];
            let len_at = |i: usize| usize::from(u16::from_le_bytes([bytes[i + 1], bytes[i + 2]]));
            match token {
                0xFD..=0xFF => {
                    let status = u16::from_le_bytes([bytes[i + 1], bytes[i + 2]]);
                    let rows = u64::from_le_bytes(bytes[i + 5..i + 13].try_into().unwrap());
                    out.push(format!("{token:02X}:{status:#x}:{rows}"));
                    i += 13;
                }
                0x79 => {
                    out.push("RETURNSTATUS".into());
                    i += 5;
                }
                0xAA | 0xAB | 0xE3 => {
                    out.push(format!("{token:02X}"));
                    i += 3 + len_at(i);
                }
                0x81 => {
                    out.push("COLMETADATA".into());
                    // One INT column named `n` in these tests.
                    i += 3 + 4 + 2 + 2 + 1 + 2;
                }
                0xD1 => {
                    out.push("ROW".into());
                    i += 1 + 5;
                }
                other => panic!("unexpected token {other:02X} at {i}"),
            }
        }
        out
    }

    fn select(n: i32) -> Reply {
        Reply::ResultSet {
            columns: vec![Column {
                name: "n".into(),
                ty: SqlType::Int,
                nullable: false,
            }],
            rows: vec![vec![Value::Int(n)]],
        }
    }

    fn encode(replies: &[Reply], mode: Mode) -> (Vec<String>, bool) {
        let mut transactions = Transactions::default();
        let response = Encoder {
            server: "s",
            transactions: &mut transactions,
        }
        .encode(replies, mode);
        (outline(&response.bytes), response.cut)
    }

    fn err() -> Reply {
        Reply::Error(SqlError {
            number: 208,
            state: 1,
            class: 16,
            line: 1,
            message: "Invalid object name 'x'.".into(),
        })
    }

    #[test]
    fn batch_statements_end_in_done_and_only_the_last_is_final() {
        let replies = [
            select(1),
            Reply::Done { row_count: Some(1) },
            Reply::Done { row_count: None },
        ];
        let (tokens, cut) = encode(&replies, Mode::Batch);
        assert!(!cut);
        assert_eq!(tokens, ["COLMETADATA", "ROW", "FD:0x11:1", "FD:0x0:0"]);
    }

    #[test]
    fn rpc_statements_end_in_doneinproc_then_doneproc() {
        let replies = [select(1), Reply::Done { row_count: Some(1) }];
        let (tokens, _) = encode(&replies, Mode::Rpc);
        assert_eq!(
            tokens,
            [
                "COLMETADATA",
                "ROW",
                "FF:0x11:1",
                "RETURNSTATUS",
                "FE:0x0:0"
            ]
        );
    }

    #[test]
    fn errors_mark_their_done_and_the_end() {
        let (tokens, _) = encode(&[err(), Reply::Done { row_count: None }], Mode::Batch);
        assert_eq!(tokens, ["AA", "FD:0x2:0"]);
        let (tokens, _) = encode(
            &[err(), Reply::Done { row_count: None }, select(1)],
            Mode::Batch,
        );
        assert_eq!(tokens, ["AA", "FD:0x3:0", "COLMETADATA", "ROW", "FD:0x0:0"]);
        let (tokens, _) = encode(&[err()], Mode::Batch);
        assert_eq!(tokens, ["AA", "FD:0x2:0"]);
        let (tokens, _) = encode(&[err(), Reply::Done { row_count: None }], Mode::Rpc);
        assert_eq!(tokens, ["AA", "FF:0x3:0", "RETURNSTATUS", "FE:0x2:0"]);
    }

    #[test]
    fn trailing_env_changes_get_a_final_done() {
        let replies = [
            Reply::EnvChange(EnvChange::BeginTransaction),
            Reply::Done { row_count: None },
            Reply::EnvChange(EnvChange::RollbackTransaction),
        ];
        let (tokens, _) = encode(&replies, Mode::Batch);
        assert_eq!(tokens, ["E3", "FD:0x1:0", "E3", "FD:0x0:0"]);
    }

    #[test]
    fn a_cut_stops_the_response_where_it_happened() {
        let replies = [
            select(1),
            Reply::Done { row_count: Some(1) },
            Reply::ConnectionCut,
            select(2),
        ];
        let (tokens, cut) = encode(&replies, Mode::Batch);
        assert!(cut);
        assert_eq!(tokens, ["COLMETADATA", "ROW", "FD:0x11:1"]);
    }

    #[test]
    fn unencodable_values_become_an_error_message() {
        let bad = Reply::ResultSet {
            columns: vec![Column {
                name: "n".into(),
                ty: SqlType::Int,
                nullable: false,
            }],
            rows: vec![vec![Value::NVarChar("x".into())]],
        };
        let (tokens, _) = encode(&[bad, Reply::Done { row_count: Some(1) }], Mode::Batch);
        assert_eq!(tokens, ["AA", "FD:0x12:1"]);
    }

    #[test]
    fn transaction_descriptors_are_issued_and_returned() {
        let mut transactions = Transactions::default();
        let mut encoder = Encoder {
            server: "s",
            transactions: &mut transactions,
        };
        let begin = encoder.encode(
            &[Reply::EnvChange(EnvChange::BeginTransaction)],
            Mode::Batch,
        );
        // ENVCHANGE: token, len(2), type 8, new len 8, descriptor...
        assert_eq!(begin.bytes[3..5], [8, 8]);
        assert_eq!(begin.bytes[5..13], 1u64.to_le_bytes());
        let commit = encoder.encode(
            &[Reply::EnvChange(EnvChange::CommitTransaction)],
            Mode::Batch,
        );
        // type 9, new len 0, old len 8, descriptor
        assert_eq!(commit.bytes[3..6], [9, 0, 8]);
        assert_eq!(commit.bytes[6..14], 1u64.to_le_bytes());
        assert!(transactions.current.is_none());
    }
}
