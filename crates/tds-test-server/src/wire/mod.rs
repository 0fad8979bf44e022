//! The TDS wire format, as pure functions over byte slices: packet headers,
//! PRELOGIN, LOGIN7, SQL batch / RPC / transaction-manager requests on the way
//! in, and the token stream (LOGINACK, ENVCHANGE, COLMETADATA, ROW, DONE*,
//! ERROR, INFO) on the way out.
//!
//! Nothing here touches a socket, a session or the clock: `server` reads and
//! writes the bytes, this module only knows their layout (MS-TDS 7.2-7.4, as
//! tiberius speaks it). Parsing is defensive because the bytes come from a
//! client: every read is bounds-checked and reports a [`WireError`].

mod bytes;
mod datetime;
pub(crate) mod login7;
pub(crate) mod packet;
mod param;
pub(crate) mod prelogin;
pub(crate) mod request;
pub(crate) mod rows;
pub(crate) mod token;

pub(crate) use bytes::{Reader, Writer};

/// A malformed or unsupported client message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WireError {
    #[error("message ended early: `{what}` needs {needed} more bytes, {left} left")]
    Truncated {
        what: &'static str,
        needed: usize,
        left: usize,
    },
    #[error("invalid `{what}`: {detail}")]
    Invalid { what: &'static str, detail: String },
    #[error("unsupported {what}: {detail}")]
    Unsupported { what: &'static str, detail: String },
}

impl WireError {
    pub(crate) fn invalid(what: &'static str, detail: impl Into<String>) -> WireError {
        WireError::Invalid {
            what,
            detail: detail.into(),
        }
    }

    pub(crate) fn unsupported(what: &'static str, detail: impl Into<String>) -> WireError {
        WireError::Unsupported {
            what,
            detail: detail.into(),
        }
    }
}

/// The collation every character column and parameter carries:
/// SQL_Latin1_General_CP1_CI_AS (LCID 0x0409, case-insensitive, sort id 52),
/// the default of a SQL Server installed in the US.
pub(crate) const DEFAULT_COLLATION: [u8; 5] = [0x09, 0x04, 0xD0, 0x00, 0x34];
