//! The 8-byte TDS packet header and the splitting of an outgoing message into
//! packets of the negotiated size (MS-TDS 2.2.3).
//!
//! Reassembling incoming packets into messages needs a socket and lives in
//! `server::transport`; this module only parses and builds headers.

use super::{WireError, Writer};

pub(crate) const HEADER_LEN: usize = 8;

/// Status bit: last packet of a message. (The client's reset-connection
/// bits are ignored: tiberius never sets them and sessions are not pooled.)
pub(crate) const STATUS_EOM: u8 = 0x01;

/// The packet types a client sends or a server answers with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PacketType {
    SqlBatch,
    Rpc,
    TabularResult,
    Attention,
    TransactionManager,
    Login7,
    PreLogin,
    /// Any other type byte: bulk load, SSPI, federated auth, legacy login.
    Other(u8),
}

impl PacketType {
    pub(crate) fn from_byte(b: u8) -> PacketType {
        match b {
            1 => PacketType::SqlBatch,
            3 => PacketType::Rpc,
            4 => PacketType::TabularResult,
            6 => PacketType::Attention,
            14 => PacketType::TransactionManager,
            16 => PacketType::Login7,
            18 => PacketType::PreLogin,
            other => PacketType::Other(other),
        }
    }

    pub(crate) fn byte(self) -> u8 {
        match self {
            PacketType::SqlBatch => 1,
            PacketType::Rpc => 3,
            PacketType::TabularResult => 4,
            PacketType::Attention => 6,
            PacketType::TransactionManager => 14,
            PacketType::Login7 => 16,
            PacketType::PreLogin => 18,
            PacketType::Other(b) => b,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PacketHeader {
    pub(crate) ty: PacketType,
    pub(crate) status: u8,
    /// Total packet length, header included.
    pub(crate) length: u16,
    pub(crate) spid: u16,
    pub(crate) packet_id: u8,
}

impl PacketHeader {
    pub(crate) fn parse(bytes: &[u8; HEADER_LEN]) -> Result<PacketHeader, WireError> {
        let length = u16::from_be_bytes([bytes[2], bytes[3]]);
        if usize::from(length) < HEADER_LEN {
            return Err(WireError::invalid(
                "packet length",
                format!("expected at least {HEADER_LEN}, found {length}"),
            ));
        }
        Ok(PacketHeader {
            ty: PacketType::from_byte(bytes[0]),
            status: bytes[1],
            length,
            spid: u16::from_be_bytes([bytes[4], bytes[5]]),
            packet_id: bytes[6],
        })
    }

    pub(crate) fn payload_len(&self) -> usize {
        usize::from(self.length) - HEADER_LEN
    }

    pub(crate) fn is_last(&self) -> bool {
        self.status & STATUS_EOM != 0
    }

    fn write(&self, out: &mut Vec<u8>) {
        out.put_u8(self.ty.byte());
        out.put_u8(self.status);
        out.put_u16_be(self.length);
        out.put_u16_be(self.spid);
        out.put_u8(self.packet_id);
        out.put_u8(0); // window, always 0
    }
}

/// Splits `payload` into packets of at most `packet_size` bytes (header
/// included). `last` says whether the final packet ends the message: a
/// connection cut mid-batch sends its partial output without it, so the client
/// sees the stream end inside a message, as it would on a real network fault.
pub(crate) fn frame(
    ty: PacketType,
    payload: &[u8],
    packet_size: usize,
    spid: u16,
    last: bool,
) -> Vec<u8> {
    let chunk = packet_size.clamp(512, usize::from(u16::MAX)) - HEADER_LEN;
    let mut out = Vec::with_capacity(payload.len() + (payload.len() / chunk + 1) * HEADER_LEN);
    let mut chunks = payload.chunks(chunk).peekable();
    let mut packet_id: u8 = 1;
    if chunks.peek().is_none() {
        let header = header(ty, 0, spid, packet_id, last);
        header.write(&mut out);
        return out;
    }
    while let Some(part) = chunks.next() {
        let is_last = last && chunks.peek().is_none();
        header(ty, part.len(), spid, packet_id, is_last).write(&mut out);
        out.extend_from_slice(part);
        packet_id = packet_id.wrapping_add(1);
    }
    out
}

fn header(
    ty: PacketType,
    payload_len: usize,
    spid: u16,
    packet_id: u8,
    last: bool,
) -> PacketHeader {
    PacketHeader {
        ty,
        status: if last { STATUS_EOM } else { 0 },
        // `frame` clamps chunks to fit a u16 length.
        length: u16::try_from(payload_len + HEADER_LEN).unwrap_or(u16::MAX),
        spid,
        packet_id,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(framed: &[u8]) -> Vec<PacketHeader> {
        let mut out = Vec::new();
        let mut rest = framed;
        while !rest.is_empty() {
            let mut h = [0u8; HEADER_LEN];
            h.copy_from_slice(&rest[..HEADER_LEN]);
            let header = PacketHeader::parse(&h).unwrap();
            rest = &rest[usize::from(header.length)..];
            out.push(header);
        }
        out
    }

    #[test]
    fn frames_split_at_packet_size_and_mark_the_last() {
        let payload = vec![7u8; 1200];
        let framed = frame(PacketType::TabularResult, &payload, 512, 51, true);
        let hs = headers(&framed);
        let lens: Vec<usize> = hs.iter().map(|h| h.payload_len()).collect();
        assert_eq!(lens, vec![504, 504, 192]);
        let last: Vec<bool> = hs.iter().map(|h| h.is_last()).collect();
        assert_eq!(last, vec![false, false, true]);
        assert!(hs.iter().all(|h| h.spid == 51));
        assert_eq!(
            hs.iter().map(|h| h.packet_id).collect::<Vec<_>>(),
            vec![1, 2, 3]
        );
    }

    #[test]
    fn a_cut_message_has_no_end_of_message_packet() {
        let framed = frame(PacketType::TabularResult, &[1, 2, 3], 4096, 51, false);
        assert!(headers(&framed).iter().all(|h| !h.is_last()));
    }

    #[test]
    fn an_empty_message_is_one_header() {
        let framed = frame(PacketType::TabularResult, &[], 4096, 51, true);
        assert_eq!(framed.len(), HEADER_LEN);
        assert!(headers(&framed)[0].is_last());
    }

    #[test]
    fn header_rejects_a_length_shorter_than_itself() {
        assert!(PacketHeader::parse(&[1, 1, 0, 4, 0, 0, 0, 0]).is_err());
    }
}
