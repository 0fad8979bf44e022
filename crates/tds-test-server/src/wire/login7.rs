//! LOGIN7 (MS-TDS 2.2.6.4): the client's TDS version, packet size, names and
//! SQL-authentication credentials.
//!
//! Deciding whether the login succeeds is `server::handshake`'s job; this
//! module only decodes the record (including the password's nibble-swap/XOR
//! obfuscation). SSPI and federated authentication are recognised but not
//! decoded: the server only does SQL authentication.

use super::{Reader, WireError, bytes::decode_utf16};

/// Offset of the OffsetLength table in the fixed part of the record.
const TABLE_START: usize = 36;
/// OptionFlags2 bit: integrated (Windows) security.
const INTEGRATED_SECURITY: u8 = 0x80;

#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Login7 {
    pub(crate) tds_version: u32,
    pub(crate) packet_size: u32,
    pub(crate) integrated_security: bool,
    pub(crate) host: String,
    pub(crate) user: String,
    pub(crate) password: String,
    pub(crate) app: String,
    pub(crate) server: String,
    pub(crate) database: String,
}

// The password never reaches a log line through `{:?}`.
impl std::fmt::Debug for Login7 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Login7")
            .field("tds_version", &format_args!("{:#010x}", self.tds_version))
            .field("packet_size", &self.packet_size)
            .field("integrated_security", &self.integrated_security)
            .field("host", &self.host)
            .field("user", &self.user)
            .field("password", &"<redacted>")
            .field("app", &self.app)
            .field("server", &self.server)
            .field("database", &self.database)
            .finish()
    }
}

impl Login7 {
    pub(crate) fn parse(payload: &[u8]) -> Result<Login7, WireError> {
        let mut fixed = Reader::new(payload);
        let _length = fixed.u32_le("login7 length")?;
        let tds_version = fixed.u32_le("login7 tds version")?;
        let packet_size = fixed.u32_le("login7 packet size")?;
        let _prog_version = fixed.u32_le("login7 client version")?;
        let _pid = fixed.u32_le("login7 client pid")?;
        let _connection_id = fixed.u32_le("login7 connection id")?;
        let _flags1 = fixed.u8("login7 option flags 1")?;
        let flags2 = fixed.u8("login7 option flags 2")?;
        let _type_flags = fixed.u8("login7 type flags")?;
        let _flags3 = fixed.u8("login7 option flags 3")?;
        let _timezone = fixed.u32_le("login7 time zone")?;
        let _lcid = fixed.u32_le("login7 lcid")?;
        debug_assert_eq!(fixed.position(), TABLE_START);

        let field = |index: usize, what: &'static str| text_field(payload, index, what);
        Ok(Login7 {
            tds_version,
            packet_size,
            integrated_security: flags2 & INTEGRATED_SECURITY != 0,
            host: field(0, "login7 host name")?,
            user: field(1, "login7 user name")?,
            password: password_field(payload)?,
            app: field(3, "login7 app name")?,
            server: field(4, "login7 server name")?,
            database: field(8, "login7 database")?,
        })
    }
}

/// The (offset, character count) pair of the `index`-th entry of the table.
fn offset_length(payload: &[u8], index: usize) -> Result<(usize, usize), WireError> {
    let mut entry = Reader::new(payload);
    entry.take(TABLE_START + index * 4, "login7 offset table")?;
    let offset = usize::from(entry.u16_le("login7 offset")?);
    let chars = usize::from(entry.u16_le("login7 length")?);
    Ok((offset, chars))
}

fn field_bytes<'a>(
    payload: &'a [u8],
    index: usize,
    what: &'static str,
) -> Result<&'a [u8], WireError> {
    let (offset, chars) = offset_length(payload, index)?;
    payload
        .get(offset..offset + chars * 2)
        .ok_or_else(|| WireError::invalid(what, "points past the login record"))
}

fn text_field(payload: &[u8], index: usize, what: &'static str) -> Result<String, WireError> {
    decode_utf16(field_bytes(payload, index, what)?, what)
}

/// Undoes the client's obfuscation: each byte had its nibbles swapped and was
/// XORed with 0xA5.
fn password_field(payload: &[u8]) -> Result<String, WireError> {
    let clear: Vec<u8> = field_bytes(payload, 2, "login7 password")?
        .iter()
        .map(|b| (b ^ 0xA5).rotate_left(4))
        .collect();
    decode_utf16(&clear, "login7 password")
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::wire::Writer;

    /// Builds a LOGIN7 record the way tiberius lays it out.
    pub(crate) fn encode(fields: [&str; 6], tds_version: u32, packet_size: u32) -> Vec<u8> {
        let [host, user, password, app, server, database] = fields;
        let vars: [&str; 13] = [
            host, user, password, app, server, "", "", "", database, "", "", "", "",
        ];
        let mut fixed = Vec::new();
        fixed.put_u32_le(0);
        fixed.put_u32_le(tds_version);
        fixed.put_u32_le(packet_size);
        fixed.put_u32_le(7);
        fixed.put_u32_le(0);
        fixed.put_u32_le(0);
        fixed.extend_from_slice(&[0x60, 0x03, 0x00, 0x08]);
        fixed.put_u32_le(0);
        fixed.put_u32_le(0x0409);
        let mut data = Vec::new();
        let mut offset = TABLE_START + 13 * 4 + 6;
        for (i, value) in vars.iter().enumerate() {
            if i == 9 {
                fixed.extend_from_slice(&[0, 0, 0, 0, 0, 42]);
                continue;
            }
            fixed.put_u16_le(u16::try_from(offset).unwrap());
            let start = data.len();
            let units = data.put_utf16(value);
            if i == 2 {
                for b in &mut data[start..] {
                    *b = b.rotate_left(4) ^ 0xA5;
                }
            }
            fixed.put_u16_le(u16::try_from(units).unwrap());
            offset += units * 2;
        }
        fixed.put_u32_le(0); // cbSSPILong
        fixed.extend_from_slice(&data);
        let len = u32::try_from(fixed.len()).unwrap();
        fixed[..4].copy_from_slice(&len.to_le_bytes());
        fixed
    }

    #[test]
    fn decodes_names_and_deobfuscates_the_password() {
        let bytes = encode(
            ["box", "sa", "pässwörd!🦀", "wsdb", "127.0.0.1", "acme"],
            0x7400_0004,
            8192,
        );
        let login = Login7::parse(&bytes).unwrap();
        assert_eq!(login.tds_version, 0x7400_0004);
        assert_eq!(login.packet_size, 8192);
        assert_eq!(login.host, "box");
        assert_eq!(login.user, "sa");
        assert_eq!(login.password, "pässwörd!🦀");
        assert_eq!(login.app, "wsdb");
        assert_eq!(login.server, "127.0.0.1");
        assert_eq!(login.database, "acme");
        assert!(!login.integrated_security);
    }

    #[test]
    fn debug_output_hides_the_password() {
        let bytes = encode(["h", "u", "secret", "a", "s", "d"], 0x7400_0004, 4096);
        let login = Login7::parse(&bytes).unwrap();
        assert!(!format!("{login:?}").contains("secret"));
    }

    #[test]
    fn rejects_truncated_records() {
        let bytes = encode(["h", "u", "p", "a", "s", "db"], 0x7400_0004, 4096);
        for cut in [10, TABLE_START + 3, bytes.len() - 1] {
            assert!(Login7::parse(&bytes[..cut]).is_err(), "cut at {cut}");
        }
    }
}
