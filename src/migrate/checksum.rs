//! Migration checksums: SHA-256 of a file's bytes after removing a UTF-8 BOM
//! and turning CRLF into LF, so that a Windows checkout of the same file does
//! not look like drift (the most common checksum incident of comparable tools).

use std::fmt;
use std::str::FromStr;

use serde::Serialize;
use sha2::{Digest, Sha256};

#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Checksum([u8; 32]);

impl Checksum {
    /// The checksum of already-normalised bytes.
    pub fn of_normalized(bytes: &[u8]) -> Checksum {
        Checksum(Sha256::digest(bytes).into())
    }

    /// The checksum of a file's raw bytes (normalises first).
    pub fn of_file_bytes(bytes: &[u8]) -> Checksum {
        Checksum::of_normalized(&normalize(bytes))
    }

    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// Lower-case hex, 64 characters.
    pub fn to_hex(&self) -> String {
        hex::encode(self.0)
    }
}

/// Removes a leading UTF-8 BOM and turns every CRLF into LF.
pub fn normalize(bytes: &[u8]) -> Vec<u8> {
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut out = Vec::with_capacity(body.len());
    let mut i = 0;
    while i < body.len() {
        if body[i] == b'\r' && body.get(i + 1) == Some(&b'\n') {
            i += 1;
            continue;
        }
        out.push(body[i]);
        i += 1;
    }
    out
}

impl fmt::Display for Checksum {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

impl fmt::Debug for Checksum {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Checksum({})", self.to_hex())
    }
}

impl Serialize for Checksum {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_hex())
    }
}

/// Parse error for a checksum that is not 64 hex characters.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("expected 64 lower-case hex characters, found `{0}`")]
pub struct ParseChecksumError(pub String);

impl FromStr for Checksum {
    type Err = ParseChecksumError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let trimmed = s.trim();
        let mut out = [0u8; 32];
        if trimmed.len() != 64 || trimmed.bytes().any(|b| b.is_ascii_uppercase()) {
            return Err(ParseChecksumError(trimmed.to_owned()));
        }
        hex::decode_to_slice(trimmed, &mut out)
            .map_err(|_| ParseChecksumError(trimmed.to_owned()))?;
        Ok(Checksum(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_and_crlf_do_not_change_the_checksum() {
        let unix = b"CREATE TABLE t (id INT);\nGO\n";
        let windows = b"\xEF\xBB\xBFCREATE TABLE t (id INT);\r\nGO\r\n";
        assert_eq!(
            Checksum::of_file_bytes(unix),
            Checksum::of_file_bytes(windows)
        );
    }

    #[test]
    fn lone_carriage_returns_are_kept() {
        assert_eq!(normalize(b"a\rb\r\n"), b"a\rb\n");
    }

    #[test]
    fn hex_round_trips() {
        let sum = Checksum::of_normalized(b"x");
        assert_eq!(sum.to_hex().parse::<Checksum>(), Ok(sum));
        assert!("ABC".parse::<Checksum>().is_err());
    }
}
