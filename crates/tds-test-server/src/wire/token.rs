//! Encoders for the response tokens that carry no row data: LOGINACK,
//! ENVCHANGE, DONE / DONEPROC / DONEINPROC, ERROR, INFO and RETURNSTATUS
//! (MS-TDS 2.2.7). Result sets are in `rows`.
//!
//! Which tokens a response holds, and in what order, is `server`'s business.

use super::Writer;
use crate::sql::SqlError;

const LOGINACK: u8 = 0xAD;
const ENVCHANGE: u8 = 0xE3;
const ERROR: u8 = 0xAA;
const INFO: u8 = 0xAB;
const RETURNSTATUS: u8 = 0x79;

/// DONE status bits.
pub(crate) const DONE_MORE: u16 = 0x01;
pub(crate) const DONE_ERROR: u16 = 0x02;
pub(crate) const DONE_COUNT: u16 = 0x10;
pub(crate) const DONE_ATTN: u16 = 0x20;

/// CurCmd of a DONE that ends a SELECT; 0 is used for everything else.
pub(crate) const CMD_SELECT: u16 = 0xC1;

/// The three DONE flavours: end of a batch statement, end of a procedure,
/// end of a statement inside a procedure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Done {
    /// DONE
    Batch = 0xFD,
    /// DONEPROC
    Proc = 0xFE,
    /// DONEINPROC
    InProc = 0xFF,
}

/// The TDS versions a LOGINACK may confirm, highest first.
pub(crate) const TDS_74: u32 = 0x7400_0004;
pub(crate) const TDS_73B: u32 = 0x730B_0003;
pub(crate) const TDS_73A: u32 = 0x730A_0003;
pub(crate) const TDS_72: u32 = 0x7209_0002;

pub(crate) fn done(out: &mut Vec<u8>, kind: Done, status: u16, cur_cmd: u16, rows: u64) {
    out.put_u8(kind as u8);
    out.put_u16_le(status);
    out.put_u16_le(cur_cmd);
    out.put_u64_le(rows);
}

/// Writes a token whose body is preceded by its u16 length.
fn with_length(out: &mut Vec<u8>, token: u8, body: &[u8]) {
    out.put_u8(token);
    out.put_u16_le(u16::try_from(body.len()).unwrap_or(u16::MAX));
    out.extend_from_slice(body);
}

/// One server message (ERROR or INFO share the layout).
pub(crate) struct Message<'a> {
    pub(crate) number: u32,
    pub(crate) state: u8,
    pub(crate) class: u8,
    pub(crate) text: &'a str,
    pub(crate) server: &'a str,
    pub(crate) procedure: &'a str,
    pub(crate) line: u32,
}

fn message(out: &mut Vec<u8>, token: u8, m: &Message<'_>) {
    let mut body = Vec::with_capacity(32 + m.text.len() * 2);
    body.put_u32_le(m.number);
    body.put_u8(m.state);
    body.put_u8(m.class);
    // A token body is at most 64 KiB; very long messages are cut to fit.
    let text: String = m.text.chars().take(30_000).collect();
    body.put_us_varchar(&text);
    body.put_b_varchar(m.server);
    body.put_b_varchar(m.procedure);
    body.put_u32_le(m.line);
    with_length(out, token, &body);
}

pub(crate) fn error(out: &mut Vec<u8>, err: &SqlError, server: &str, procedure: &str) {
    message(
        out,
        ERROR,
        &Message {
            number: err.number,
            state: err.state,
            class: err.class,
            text: &err.message,
            server,
            procedure,
            line: err.line,
        },
    );
}

pub(crate) fn info(out: &mut Vec<u8>, m: &Message<'_>) {
    message(out, INFO, m);
}

/// LOGINACK: T-SQL interface, the agreed TDS version, and a SQL Server 2019
/// product name and version (15.0.2000), which is what clients log.
pub(crate) fn login_ack(out: &mut Vec<u8>, tds_version: u32) {
    let mut body = Vec::with_capacity(64);
    body.put_u8(1);
    body.put_u32_be(tds_version);
    body.put_b_varchar("Microsoft SQL Server");
    body.extend_from_slice(&[15, 0, 0x07, 0xD0]);
    with_length(out, LOGINACK, &body);
}

fn env_change(out: &mut Vec<u8>, ty: u8, new_old: &[u8]) {
    let mut body = Vec::with_capacity(1 + new_old.len());
    body.put_u8(ty);
    body.extend_from_slice(new_old);
    with_length(out, ENVCHANGE, &body);
}

fn b_varchar_pair(new: &str, old: &str) -> Vec<u8> {
    let mut v = Vec::new();
    v.put_b_varchar(new);
    v.put_b_varchar(old);
    v
}

pub(crate) fn env_database(out: &mut Vec<u8>, new: &str, old: &str) {
    env_change(out, 1, &b_varchar_pair(new, old));
}

pub(crate) fn env_language(out: &mut Vec<u8>, new: &str, old: &str) {
    env_change(out, 2, &b_varchar_pair(new, old));
}

pub(crate) fn env_packet_size(out: &mut Vec<u8>, new: u32, old: u32) {
    env_change(out, 4, &b_varchar_pair(&new.to_string(), &old.to_string()));
}

/// SQL collation: the new value is the 5-byte collation, the old is empty.
pub(crate) fn env_collation(out: &mut Vec<u8>, collation: &[u8; 5]) {
    let mut v = vec![5];
    v.extend_from_slice(collation);
    v.put_u8(0);
    env_change(out, 7, &v);
}

/// Begin: the new value is the 8-byte transaction descriptor the client
/// must send back in ALL_HEADERS; the old value is empty.
pub(crate) fn env_begin_transaction(out: &mut Vec<u8>, descriptor: u64) {
    let mut v = vec![8];
    v.extend_from_slice(&descriptor.to_le_bytes());
    v.put_u8(0);
    env_change(out, 8, &v);
}

/// Commit (9) and rollback (10): the new value is empty, the old value is
/// the descriptor of the transaction that ended.
fn env_end_transaction(out: &mut Vec<u8>, ty: u8, descriptor: u64) {
    let mut v = vec![0, 8];
    v.extend_from_slice(&descriptor.to_le_bytes());
    env_change(out, ty, &v);
}

pub(crate) fn env_commit_transaction(out: &mut Vec<u8>, descriptor: u64) {
    env_end_transaction(out, 9, descriptor);
}

pub(crate) fn env_rollback_transaction(out: &mut Vec<u8>, descriptor: u64) {
    env_end_transaction(out, 10, descriptor);
}

/// Routing (20, TDS 7.4): the new value is a u16-length-prefixed block with
/// protocol 0 (TCP), the port and the host; the old value is an empty u16.
pub(crate) fn env_routing(out: &mut Vec<u8>, host: &str, port: u16) {
    let mut value = Vec::new();
    value.put_u8(0);
    value.put_u16_le(port);
    value.put_us_varchar(host);
    let mut v = Vec::new();
    v.put_u16_le(u16::try_from(value.len()).unwrap_or(u16::MAX));
    v.extend_from_slice(&value);
    v.put_u16_le(0);
    env_change(out, 20, &v);
}

pub(crate) fn return_status(out: &mut Vec<u8>, status: i32) {
    out.put_u8(RETURNSTATUS);
    out.extend_from_slice(&status.to_le_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::Reader;

    #[test]
    fn done_layout() {
        let mut out = Vec::new();
        done(
            &mut out,
            Done::InProc,
            DONE_MORE | DONE_COUNT,
            CMD_SELECT,
            3,
        );
        assert_eq!(out, [0xFF, 0x11, 0x00, 0xC1, 0x00, 3, 0, 0, 0, 0, 0, 0, 0]);
    }

    #[test]
    fn error_layout_matches_ms_tds() {
        let mut out = Vec::new();
        let err = SqlError {
            number: 18456,
            state: 1,
            class: 14,
            line: 1,
            message: "Login failed for user 'sa'.".into(),
        };
        error(&mut out, &err, "srv", "");
        let mut r = Reader::new(&out);
        assert_eq!(r.u8("token").unwrap(), 0xAA);
        assert_eq!(usize::from(r.u16_le("len").unwrap()), r.remaining());
        assert_eq!(r.u32_le("number").unwrap(), 18456);
        assert_eq!(r.u8("state").unwrap(), 1);
        assert_eq!(r.u8("class").unwrap(), 14);
        assert_eq!(r.us_varchar("text").unwrap(), err.message);
        assert_eq!(r.b_varchar("server").unwrap(), "srv");
        assert_eq!(r.b_varchar("proc").unwrap(), "");
        assert_eq!(r.u32_le("line").unwrap(), 1);
        assert!(r.is_empty());
    }

    #[test]
    fn env_change_lengths_cover_their_bodies() {
        let writers: [fn(&mut Vec<u8>); 7] = [
            |o| env_database(o, "acme", "master"),
            |o| env_packet_size(o, 8192, 4096),
            |o| env_collation(o, &crate::wire::DEFAULT_COLLATION),
            |o| env_begin_transaction(o, 7),
            |o| env_commit_transaction(o, 7),
            |o| env_rollback_transaction(o, 7),
            |o| env_routing(o, "db.example", 11433),
        ];
        for write in writers {
            let mut out = Vec::new();
            write(&mut out);
            assert_eq!(out[0], 0xE3);
            let len = usize::from(u16::from_le_bytes([out[1], out[2]]));
            assert_eq!(len, out.len() - 3);
        }
    }

    #[test]
    fn routing_value_is_port_then_host() {
        let mut out = Vec::new();
        env_routing(&mut out, "h", 1433);
        // token, len(2), type, value len(2), protocol, port(2), host len(2), 'h', old len(2)
        assert_eq!(
            out,
            [0xE3, 12, 0, 20, 7, 0, 0, 0x99, 0x05, 1, 0, b'h', 0, 0, 0]
        );
    }
}
