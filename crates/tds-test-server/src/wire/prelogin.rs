//! PRELOGIN (MS-TDS 2.2.6.5): what the client offers, and the server's answer.
//!
//! Choosing the encryption answer is policy and lives in `server::handshake`;
//! this module only reads and writes the option table.

use super::{Reader, WireError, Writer};

const VERSION: u8 = 0x00;
const ENCRYPTION: u8 = 0x01;
const INSTOPT: u8 = 0x02;
const THREADID: u8 = 0x03;
const MARS: u8 = 0x04;
const TERMINATOR: u8 = 0xFF;

/// The ENCRYPTION option's values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Encryption {
    /// Encrypt the login only.
    Off,
    On,
    NotSupported,
    Required,
}

impl Encryption {
    pub(crate) fn from_byte(b: u8) -> Result<Encryption, WireError> {
        match b {
            0 => Ok(Encryption::Off),
            1 => Ok(Encryption::On),
            2 => Ok(Encryption::NotSupported),
            3 => Ok(Encryption::Required),
            other => Err(WireError::invalid(
                "prelogin encryption",
                format!("expected 0..=3, found {other}"),
            )),
        }
    }

    fn byte(self) -> u8 {
        match self {
            Encryption::Off => 0,
            Encryption::On => 1,
            Encryption::NotSupported => 2,
            Encryption::Required => 3,
        }
    }
}

/// The options of a client's PRELOGIN that matter to this server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ClientPrelogin {
    pub(crate) encryption: Encryption,
    pub(crate) instance: Option<String>,
}

impl ClientPrelogin {
    pub(crate) fn parse(payload: &[u8]) -> Result<ClientPrelogin, WireError> {
        // A client that sends no ENCRYPTION option cannot encrypt.
        let mut encryption = Encryption::NotSupported;
        let mut instance = None;
        let mut table = Reader::new(payload);
        loop {
            let token = table.u8("prelogin option token")?;
            if token == TERMINATOR {
                break;
            }
            let offset = usize::from(table.u16_be("prelogin option offset")?);
            let length = usize::from(table.u16_be("prelogin option length")?);
            let data = payload
                .get(offset..offset + length)
                .ok_or_else(|| WireError::invalid("prelogin option", "points past the message"))?;
            match token {
                ENCRYPTION => {
                    let value = *data
                        .first()
                        .ok_or_else(|| WireError::invalid("prelogin encryption", "empty option"))?;
                    encryption = Encryption::from_byte(value)?;
                }
                INSTOPT => {
                    let name: Vec<u8> = data.iter().copied().take_while(|b| *b != 0).collect();
                    if !name.is_empty() {
                        instance = Some(String::from_utf8_lossy(&name).into_owned());
                    }
                }
                // VERSION, THREADID, MARS, TRACEID, FEDAUTHREQUIRED, NONCE: the
                // server has nothing to do with them (no MARS, no AAD).
                _ => {}
            }
        }
        Ok(ClientPrelogin {
            encryption,
            instance,
        })
    }
}

/// The server's PRELOGIN answer: version 15.0.2000 (SQL Server 2019), the
/// chosen encryption, the instance accepted, no MARS.
pub(crate) fn response(encryption: Encryption) -> Vec<u8> {
    let options: [(u8, Vec<u8>); 5] = [
        (VERSION, vec![0x0F, 0x00, 0x07, 0xD0, 0x00, 0x00]),
        (ENCRYPTION, vec![encryption.byte()]),
        (INSTOPT, vec![0x00]),
        (THREADID, Vec::new()),
        (MARS, vec![0x00]),
    ];
    let table_len = options.len() * 5 + 1;
    let mut out = Vec::with_capacity(table_len + 16);
    let mut offset = table_len;
    for (token, data) in &options {
        out.put_u8(*token);
        out.put_u16_be(u16::try_from(offset).unwrap_or(u16::MAX));
        out.put_u16_be(u16::try_from(data.len()).unwrap_or(u16::MAX));
        offset += data.len();
    }
    out.put_u8(TERMINATOR);
    for (_, data) in &options {
        out.extend_from_slice(data);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A PRELOGIN laid out the way tiberius writes it: version, encryption,
    /// instance, thread id, MARS.
    fn client_prelogin(encryption: u8, instance: &str) -> Vec<u8> {
        let data: Vec<(u8, Vec<u8>)> = vec![
            (VERSION, vec![0, 13, 0, 0, 0, 0]),
            (ENCRYPTION, vec![encryption]),
            (INSTOPT, [instance.as_bytes(), &[0]].concat()),
            (THREADID, vec![0, 0, 0, 0]),
            (MARS, vec![0]),
        ];
        let mut out = Vec::new();
        let mut offset = data.len() * 5 + 1;
        for (token, d) in &data {
            out.put_u8(*token);
            out.put_u16_be(u16::try_from(offset).unwrap());
            out.put_u16_be(u16::try_from(d.len()).unwrap());
            offset += d.len();
        }
        out.put_u8(TERMINATOR);
        for (_, d) in &data {
            out.extend_from_slice(d);
        }
        out
    }

    #[test]
    fn parses_encryption_and_instance() {
        let cases = [
            (0, "", Encryption::Off, None),
            (1, "", Encryption::On, None),
            (2, "", Encryption::NotSupported, None),
            (3, "SQLEXPRESS", Encryption::Required, Some("SQLEXPRESS")),
        ];
        for (byte, instance, expected, expected_instance) in cases {
            let parsed = ClientPrelogin::parse(&client_prelogin(byte, instance)).unwrap();
            assert_eq!(parsed.encryption, expected);
            assert_eq!(parsed.instance.as_deref(), expected_instance);
        }
    }

    #[test]
    fn rejects_options_pointing_outside_the_message() {
        let bad = [ENCRYPTION, 0, 200, 0, 1, TERMINATOR];
        assert!(ClientPrelogin::parse(&bad).is_err());
        assert!(ClientPrelogin::parse(&[ENCRYPTION]).is_err());
    }

    #[test]
    fn response_reparses_with_the_chosen_encryption() {
        for enc in [Encryption::Off, Encryption::On, Encryption::NotSupported] {
            let parsed = ClientPrelogin::parse(&response(enc)).unwrap();
            assert_eq!(parsed.encryption, enc);
        }
    }
}
