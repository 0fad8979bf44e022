//! Bounds-checked little helpers to read and write the primitive TDS
//! encodings (little-endian integers, UCS-2 strings, B_VARCHAR, US_VARCHAR).
//!
//! Only the primitives live here; the layout of whole messages and tokens is
//! in the sibling modules.

use super::WireError;

/// A cursor over a client message that never panics: every read checks the
/// remaining length and names what it was reading when it runs out.
#[derive(Debug, Clone)]
pub(crate) struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(bytes: &'a [u8]) -> Reader<'a> {
        Reader { bytes, pos: 0 }
    }

    pub(crate) fn position(&self) -> usize {
        self.pos
    }

    pub(crate) fn remaining(&self) -> usize {
        self.bytes.len() - self.pos
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.remaining() == 0
    }

    pub(crate) fn take(&mut self, n: usize, what: &'static str) -> Result<&'a [u8], WireError> {
        if self.remaining() < n {
            return Err(WireError::Truncated {
                what,
                needed: n,
                left: self.remaining(),
            });
        }
        let slice = &self.bytes[self.pos..self.pos + n];
        self.pos += n;
        Ok(slice)
    }

    pub(crate) fn rest(&mut self) -> &'a [u8] {
        let slice = &self.bytes[self.pos..];
        self.pos = self.bytes.len();
        slice
    }

    fn array<const N: usize>(&mut self, what: &'static str) -> Result<[u8; N], WireError> {
        let mut out = [0u8; N];
        out.copy_from_slice(self.take(N, what)?);
        Ok(out)
    }

    pub(crate) fn u8(&mut self, what: &'static str) -> Result<u8, WireError> {
        Ok(self.array::<1>(what)?[0])
    }

    pub(crate) fn u16_le(&mut self, what: &'static str) -> Result<u16, WireError> {
        Ok(u16::from_le_bytes(self.array(what)?))
    }

    pub(crate) fn u16_be(&mut self, what: &'static str) -> Result<u16, WireError> {
        Ok(u16::from_be_bytes(self.array(what)?))
    }

    pub(crate) fn u32_le(&mut self, what: &'static str) -> Result<u32, WireError> {
        Ok(u32::from_le_bytes(self.array(what)?))
    }

    pub(crate) fn u64_le(&mut self, what: &'static str) -> Result<u64, WireError> {
        Ok(u64::from_le_bytes(self.array(what)?))
    }

    /// `n` UTF-16LE code units (not bytes).
    pub(crate) fn utf16(&mut self, units: usize, what: &'static str) -> Result<String, WireError> {
        let bytes = self.take(units * 2, what)?;
        decode_utf16(bytes, what)
    }

    /// B_VARCHAR: a one-byte character count, then UTF-16LE.
    pub(crate) fn b_varchar(&mut self, what: &'static str) -> Result<String, WireError> {
        let units = usize::from(self.u8(what)?);
        self.utf16(units, what)
    }

    /// US_VARCHAR: a two-byte character count, then UTF-16LE.
    pub(crate) fn us_varchar(&mut self, what: &'static str) -> Result<String, WireError> {
        let units = usize::from(self.u16_le(what)?);
        self.utf16(units, what)
    }
}

/// Decodes UTF-16LE bytes, refusing odd lengths and unpaired surrogates.
pub(crate) fn decode_utf16(bytes: &[u8], what: &'static str) -> Result<String, WireError> {
    if !bytes.len().is_multiple_of(2) {
        return Err(WireError::invalid(what, "odd number of UTF-16 bytes"));
    }
    let units = bytes
        .chunks_exact(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]));
    char::decode_utf16(units)
        .collect::<Result<String, _>>()
        .map_err(|_| WireError::invalid(what, "unpaired UTF-16 surrogate"))
}

/// Appends the primitive TDS encodings to a byte buffer.
pub(crate) trait Writer {
    fn put_u8(&mut self, v: u8);
    fn put_u16_le(&mut self, v: u16);
    fn put_u16_be(&mut self, v: u16);
    fn put_u32_le(&mut self, v: u32);
    fn put_u32_be(&mut self, v: u32);
    fn put_u64_le(&mut self, v: u64);
    /// UTF-16LE code units without a length; returns how many were written.
    fn put_utf16(&mut self, s: &str) -> usize;
    /// B_VARCHAR; text longer than 255 code units is cut at 255 (server
    /// names, column names and the like are short by construction).
    fn put_b_varchar(&mut self, s: &str);
    /// US_VARCHAR; text longer than 65535 code units is cut there.
    fn put_us_varchar(&mut self, s: &str);
}

impl Writer for Vec<u8> {
    fn put_u8(&mut self, v: u8) {
        self.push(v);
    }

    fn put_u16_le(&mut self, v: u16) {
        self.extend_from_slice(&v.to_le_bytes());
    }

    fn put_u16_be(&mut self, v: u16) {
        self.extend_from_slice(&v.to_be_bytes());
    }

    fn put_u32_le(&mut self, v: u32) {
        self.extend_from_slice(&v.to_le_bytes());
    }

    fn put_u32_be(&mut self, v: u32) {
        self.extend_from_slice(&v.to_be_bytes());
    }

    fn put_u64_le(&mut self, v: u64) {
        self.extend_from_slice(&v.to_le_bytes());
    }

    fn put_utf16(&mut self, s: &str) -> usize {
        let mut units = 0;
        for unit in s.encode_utf16() {
            self.put_u16_le(unit);
            units += 1;
        }
        units
    }

    fn put_b_varchar(&mut self, s: &str) {
        let units: Vec<u16> = s.encode_utf16().take(usize::from(u8::MAX)).collect();
        self.put_u8(u8::try_from(units.len()).unwrap_or(u8::MAX));
        for unit in units {
            self.put_u16_le(unit);
        }
    }

    fn put_us_varchar(&mut self, s: &str) {
        let units: Vec<u16> = s.encode_utf16().take(usize::from(u16::MAX)).collect();
        self.put_u16_le(u16::try_from(units.len()).unwrap_or(u16::MAX));
        for unit in units {
            self.put_u16_le(unit);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reader_reports_what_ran_out() {
        let mut r = Reader::new(&[1, 2, 3]);
        assert_eq!(r.u16_le("a").unwrap(), 0x0201);
        let err = r.u32_le("token length").unwrap_err();
        assert_eq!(
            err,
            WireError::Truncated {
                what: "token length",
                needed: 4,
                left: 1
            }
        );
    }

    #[test]
    fn varchar_round_trips() {
        let cases = ["", "master", "zß水🦀"];
        for case in cases {
            let mut buf = Vec::new();
            buf.put_b_varchar(case);
            buf.put_us_varchar(case);
            let mut r = Reader::new(&buf);
            assert_eq!(r.b_varchar("b").unwrap(), case);
            assert_eq!(r.us_varchar("us").unwrap(), case);
            assert!(r.is_empty());
        }
    }

    #[test]
    fn b_varchar_is_cut_at_255_units() {
        let long = "x".repeat(300);
        let mut buf = Vec::new();
        buf.put_b_varchar(&long);
        assert_eq!(buf[0], 255);
        assert_eq!(buf.len(), 1 + 255 * 2);
    }

    #[test]
    fn utf16_rejects_bad_input() {
        assert!(decode_utf16(&[0x41], "odd").is_err());
        // A lone high surrogate.
        assert!(decode_utf16(&[0x00, 0xD8], "surrogate").is_err());
    }
}
