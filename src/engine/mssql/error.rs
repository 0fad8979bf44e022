//! Turns tiberius errors into [`EngineError`] kinds, so callers decide on
//! retries and exit codes by kind: login failures, unknown databases and TLS
//! refusals are permanent; I/O while connecting is transient; server errors
//! keep SQL Server's number, state, class and line.
//!
//! It also decides whether an error leaves the connection unusable
//! ([`Mapped::broken`]). It does not retry or log anything.

use std::io::ErrorKind;
use std::time::Duration;

use tiberius::error::Error as TdsError;

use crate::engine::{EngineError, Phase};

/// Login failures: 18456 (bad login or password), 18452 (untrusted domain),
/// 18470 (disabled), 18486 (locked out), 18487/18488 (password expired or
/// must change).
const LOGIN_FAILURES: &[u32] = &[18456, 18452, 18470, 18486, 18487, 18488];

/// "Cannot open database requested by the login."
const CANNOT_OPEN_DATABASE: u32 = 4060;

/// Severity 20 and above ends the connection on the server side.
const FATAL_CLASS: u8 = 20;

/// What tiberius says when the prelogin negotiation fails because one side
/// requires TLS and the other cannot do it.
const ENCRYPTION_REFUSED: &str = "requested encryption level";

/// Where a failed connect was going, for messages.
pub struct ConnectContext<'a> {
    pub server: &'a str,
    pub user: &'a str,
    pub database: &'a str,
    pub timeout: Duration,
}

/// An error from a statement, and whether the connection is still usable.
pub struct Mapped {
    pub error: EngineError,
    pub broken: bool,
}

/// True when the prelogin failed because the server offers no TLS.
pub fn is_encryption_refused(error: &TdsError) -> bool {
    matches!(error, TdsError::Protocol(message) if message.contains(ENCRYPTION_REFUSED))
}

/// Maps an error from TCP connect, prelogin, TLS or login.
pub fn connect_error(error: TdsError, ctx: &ConnectContext<'_>) -> EngineError {
    match error {
        TdsError::Server(token) if LOGIN_FAILURES.contains(&token.code()) => {
            EngineError::LoginFailed {
                user: ctx.user.to_owned(),
                number: token.code(),
                message: token.message().to_owned(),
            }
        }
        TdsError::Server(token) if token.code() == CANNOT_OPEN_DATABASE => {
            EngineError::UnknownDatabase {
                database: ctx.database.to_owned(),
            }
        }
        TdsError::Server(token) => server_error(
            token.code(),
            token.state(),
            token.class(),
            token.line(),
            token.message(),
        ),
        TdsError::Tls(message) => EngineError::Tls {
            message: tls_message(&message),
        },
        error if is_encryption_refused(&error) => EngineError::Tls {
            message: format!(
                "`{}` does not offer TLS, but `encrypt = \"required\"` demands it",
                ctx.server
            ),
        },
        TdsError::Io { kind, message } => connect_io_error(kind, message, ctx),
        other => EngineError::Protocol {
            message: other.to_string(),
        },
    }
}

fn connect_io_error(kind: ErrorKind, message: String, ctx: &ConnectContext<'_>) -> EngineError {
    match kind {
        ErrorKind::TimedOut => EngineError::Timeout {
            phase: Phase::Login,
            after: ctx.timeout,
        },
        // tiberius reports an unusable trust store as an I/O error.
        _ if message.contains("certificate") => EngineError::Tls { message },
        ErrorKind::UnexpectedEof | ErrorKind::ConnectionReset | ErrorKind::ConnectionAborted => {
            EngineError::Unreachable {
                server: ctx.server.to_owned(),
                message: "the server closed the connection during login".to_owned(),
            }
        }
        _ => EngineError::Unreachable {
            server: ctx.server.to_owned(),
            message,
        },
    }
}

/// Maps an error from a statement on an open session.
pub fn statement_error(error: TdsError) -> Mapped {
    match error {
        TdsError::Server(token) => Mapped {
            broken: token.class() >= FATAL_CLASS,
            error: server_error(
                token.code(),
                token.state(),
                token.class(),
                token.line(),
                token.message(),
            ),
        },
        TdsError::Io { message, .. } => Mapped {
            error: EngineError::ConnectionLost { message },
            broken: true,
        },
        other => Mapped {
            error: EngineError::Protocol {
                message: other.to_string(),
            },
            broken: true,
        },
    }
}

pub fn server_error(number: u32, state: u8, class: u8, line: u32, message: &str) -> EngineError {
    EngineError::Server {
        number,
        state,
        class,
        line,
        message: message.to_owned(),
    }
}

/// tiberius' TLS messages name its own API (`Config::trust_cert_ca`); keep
/// the diagnosis and let docs/connections.md name wsdb's settings.
fn tls_message(message: &str) -> String {
    let diagnosis = message
        .split(" To connect anyway")
        .next()
        .unwrap_or(message)
        .trim_end_matches('.');
    format!("{diagnosis} (hint: set `ca_file` to the CA that signed the server's certificate)")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx() -> ConnectContext<'static> {
        ConnectContext {
            server: "db1:1433",
            user: "wsdb",
            database: "ws_acme",
            timeout: Duration::from_secs(10),
        }
    }

    fn io(kind: ErrorKind, message: &str) -> TdsError {
        TdsError::Io {
            kind,
            message: message.to_owned(),
        }
    }

    #[test]
    fn connect_errors_map_to_kinds() {
        let refused = connect_error(io(ErrorKind::ConnectionRefused, "refused"), &ctx());
        assert!(
            matches!(&refused, EngineError::Unreachable { server, .. } if server == "db1:1433")
        );
        assert!(refused.is_transient());

        let cut = connect_error(io(ErrorKind::UnexpectedEof, "eof"), &ctx());
        assert!(
            matches!(&cut, EngineError::Unreachable { message, .. } if message.contains("during login"))
        );

        let slow = connect_error(io(ErrorKind::TimedOut, "t"), &ctx());
        assert_eq!(
            slow,
            EngineError::Timeout {
                phase: Phase::Login,
                after: Duration::from_secs(10)
            }
        );
        assert!(slow.is_transient());

        let no_tls = connect_error(
            TdsError::Protocol("Server does not allow the requested encryption level.".into()),
            &ctx(),
        );
        assert!(matches!(&no_tls, EngineError::Tls { message } if message.contains("required")));
        assert!(!no_tls.is_transient());

        let cert = connect_error(
            TdsError::Tls(
                "the server's certificate was rejected during the TLS handshake: UnknownIssuer. \
                 To connect anyway you can: (1) trust ..."
                    .into(),
            ),
            &ctx(),
        );
        match cert {
            EngineError::Tls { message } => {
                assert!(message.contains("UnknownIssuer") && message.contains("`ca_file`"));
                assert!(!message.contains("Config::"), "{message}");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn statement_errors_tell_whether_the_connection_survives() {
        let lost = statement_error(io(ErrorKind::ConnectionReset, "reset"));
        assert!(lost.broken);
        assert!(matches!(lost.error, EngineError::ConnectionLost { .. }));

        let protocol = statement_error(TdsError::Protocol("garbage".into()));
        assert!(protocol.broken);
    }

    #[test]
    fn server_errors_keep_their_coordinates() {
        assert_eq!(
            server_error(2714, 6, 16, 3, "There is already an object named 't'."),
            EngineError::Server {
                number: 2714,
                state: 6,
                class: 16,
                line: 3,
                message: "There is already an object named 't'.".into()
            }
        );
        assert!(server_error(1205, 51, 13, 1, "deadlock").is_transient());
    }
}
