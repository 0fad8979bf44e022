//! The start of a connection: PRELOGIN, the encryption decision, the TLS
//! handshake wrapped in PRELOGIN packets, and reading LOGIN7 (dropping TLS
//! again after it when only the login is encrypted).
//!
//! Whether the login is accepted is `login`'s business.

use tokio::net::TcpStream;
use tokio_rustls::TlsAcceptor;

use super::ConnectionError;
use super::TlsMode;
use super::prelogin_framing::PreloginFraming;
use super::transport::{Stream, Transport};
use crate::wire::login7::Login7;
use crate::wire::packet::PacketType;
use crate::wire::prelogin::{self, ClientPrelogin, Encryption};

/// What the connection does after the PRELOGIN exchange.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Plan {
    Plain,
    /// TLS for LOGIN7 only, then plain (client said ENCRYPT_OFF).
    LoginOnly,
    /// TLS for the whole connection.
    Full,
    /// The client cannot encrypt but the server requires it: close after
    /// answering, as SQL Server does.
    Refuse,
}

/// The server's ENCRYPTION answer and what follows, per MS-TDS 2.2.6.5.
pub(crate) fn negotiate(mode: TlsMode, client: Encryption) -> (Encryption, Plan) {
    match (mode, client) {
        (TlsMode::Off, _) => (Encryption::NotSupported, Plan::Plain),
        (TlsMode::Supported, Encryption::NotSupported) => (Encryption::NotSupported, Plan::Plain),
        (TlsMode::Supported, Encryption::Off) => (Encryption::Off, Plan::LoginOnly),
        (TlsMode::Supported, Encryption::On | Encryption::Required) => (Encryption::On, Plan::Full),
        (TlsMode::Required, Encryption::NotSupported) => (Encryption::Required, Plan::Refuse),
        (TlsMode::Required, _) => (Encryption::Required, Plan::Full),
    }
}

/// Runs PRELOGIN (and TLS) and returns the transport and the client's
/// LOGIN7, or `None` if the connection ended on purpose.
pub(crate) async fn handshake(
    tcp: TcpStream,
    mode: TlsMode,
    acceptor: Option<&TlsAcceptor>,
) -> Result<Option<(Transport, Login7)>, ConnectionError> {
    let mut transport = Transport::new(Stream::Plain(tcp));
    let Some(message) = transport.read_message().await? else {
        return Ok(None);
    };
    if message.ty != PacketType::PreLogin {
        return Err(ConnectionError::Protocol(format!(
            "expected PRELOGIN, found packet type {}",
            message.ty.byte()
        )));
    }
    let client = ClientPrelogin::parse(&message.payload)?;
    let (answer, plan) = negotiate(mode, client.encryption);
    transport.send(&prelogin::response(answer), true).await?;
    let mut transport = match (plan, acceptor) {
        (Plan::Refuse, _) => return Ok(None),
        (Plan::Plain, _) => transport,
        (Plan::LoginOnly | Plan::Full, Some(acceptor)) => start_tls(transport, acceptor).await?,
        (Plan::LoginOnly | Plan::Full, None) => {
            return Err(ConnectionError::Protocol(
                "TLS negotiated without a certificate".into(),
            ));
        }
    };
    let Some(message) = transport.read_message().await? else {
        return Ok(None);
    };
    if message.ty != PacketType::Login7 {
        return Err(ConnectionError::Protocol(format!(
            "expected LOGIN7, found packet type {}",
            message.ty.byte()
        )));
    }
    let login = Login7::parse(&message.payload)?;
    if plan == Plan::LoginOnly {
        let tcp = transport.into_stream()?.into_plain();
        transport = Transport::new(Stream::Plain(tcp));
    }
    Ok(Some((transport, login)))
}

async fn start_tls(
    transport: Transport,
    acceptor: &TlsAcceptor,
) -> Result<Transport, ConnectionError> {
    let Stream::Plain(tcp) = transport.into_stream()? else {
        return Err(ConnectionError::Protocol("TLS started twice".into()));
    };
    let mut tls = acceptor
        .accept(PreloginFraming::new(tcp))
        .await
        .map_err(ConnectionError::Tls)?;
    tls.get_mut().0.handshake_complete();
    Ok(Transport::new(Stream::Tls(Box::new(tls))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encryption_negotiation_follows_ms_tds() {
        use Encryption::*;
        let cases = [
            (TlsMode::Off, Off, NotSupported, Plan::Plain),
            (TlsMode::Off, Required, NotSupported, Plan::Plain),
            (TlsMode::Supported, NotSupported, NotSupported, Plan::Plain),
            (TlsMode::Supported, Off, Off, Plan::LoginOnly),
            (TlsMode::Supported, On, On, Plan::Full),
            (TlsMode::Supported, Required, On, Plan::Full),
            (TlsMode::Required, NotSupported, Required, Plan::Refuse),
            (TlsMode::Required, Off, Required, Plan::Full),
            (TlsMode::Required, On, Required, Plan::Full),
        ];
        for (mode, client, answer, plan) in cases {
            assert_eq!(
                negotiate(mode, client),
                (answer, plan),
                "{mode:?} {client:?}"
            );
        }
    }
}
