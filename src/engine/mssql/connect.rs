//! Opening one logged-in TDS connection for a [`MssqlTarget`]: TCP connect
//! bounded by `connect_timeout`, the prelogin/TLS/login handshake bounded by
//! it again, TLS mode and trust mapped to tiberius, Azure SQL's login
//! redirect (routing) followed, and no driver-side command timeout (wsdb
//! bounds each statement itself; a migration may run for hours).
//!
//! It returns a bare client; checking `DB_NAME()` and everything a session
//! does afterwards is `session.rs`'s.

use std::io;
use std::pin::Pin;
use std::sync::OnceLock;
use std::task::{Context, Poll, ready};
use std::time::Duration;

use tiberius::error::Error as TdsError;
use tiberius::{AuthMethod, Client, Config, EncryptionLevel};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio_util::compat::{Compat, TokioAsyncWriteCompatExt};

use crate::config::Encrypt;
use crate::engine::{EngineError, Phase};

use super::error::{self, ConnectContext};
use super::target::{MssqlTarget, Trust};

/// A TDS client over plain or TLS-wrapped TCP.
pub type TdsClient = Client<Compat<ClosingStream>>;

/// A TCP stream whose shutdown waits until the server has closed its side.
///
/// TDS has no logout acknowledgement: after a client closes, the server
/// ends the session (rolling back, freeing the app lock) whenever it reads
/// the end of the stream. Waiting for its own close before reporting the
/// connection closed keeps `max_per_server` true from the server's point of
/// view, and means a released app lock is really free when `close` returns.
pub struct ClosingStream {
    tcp: TcpStream,
    draining: bool,
}

impl AsyncRead for ClosingStream {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.tcp).poll_read(cx, buf)
    }
}

impl AsyncWrite for ClosingStream {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.tcp).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.tcp).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        if !self.draining {
            ready!(Pin::new(&mut self.tcp).poll_shutdown(cx))?;
            self.draining = true;
        }
        let mut scratch = [0u8; 1024];
        loop {
            let mut buf = ReadBuf::new(&mut scratch);
            match ready!(Pin::new(&mut self.tcp).poll_read(cx, &mut buf)) {
                Ok(()) if buf.filled().is_empty() => return Poll::Ready(Ok(())),
                Ok(()) => {}
                // A reset is the server letting go too.
                Err(_) => return Poll::Ready(Ok(())),
            }
        }
    }
}

/// Azure SQL redirects a login at most once in practice; two leaves room
/// for a gateway hop and still stops a redirect loop.
const MAX_REDIRECTS: usize = 2;

/// A logged-in connection and whether wsdb asked for TLS on it.
pub struct Connected {
    pub client: TdsClient,
    pub tls: bool,
}

/// Why one login attempt failed: already classified, or a raw driver error
/// the caller may still act on (the `on` mode's fallback).
enum Failure {
    Engine(EngineError),
    Driver { error: TdsError, server: String },
}

/// Connects and logs in, following redirects. `encrypt = "on"` asks for TLS
/// and, when the server offers none, logs in again without it.
pub async fn open(target: &MssqlTarget) -> Result<Connected, EngineError> {
    let (level, tls) = match target.encrypt {
        Encrypt::Off => (EncryptionLevel::NotSupported, false),
        Encrypt::On => (EncryptionLevel::On, true),
        Encrypt::Required => (EncryptionLevel::Required, true),
    };
    match login(target, level).await {
        Ok(client) => Ok(Connected { client, tls }),
        Err(Failure::Driver { error, .. })
            if target.encrypt == Encrypt::On && error::is_encryption_refused(&error) =>
        {
            tracing::warn!(
                workspace = %target.workspace,
                server = %target.server(),
                "the server offers no TLS; connecting without it (`encrypt = \"on\"`)"
            );
            match login(target, EncryptionLevel::NotSupported).await {
                Ok(client) => Ok(Connected { client, tls: false }),
                Err(failure) => Err(classify(failure, target)),
            }
        }
        Err(failure) => Err(classify(failure, target)),
    }
}

fn classify(failure: Failure, target: &MssqlTarget) -> EngineError {
    match failure {
        Failure::Engine(error) => error,
        Failure::Driver { error, server } => error::connect_error(
            error,
            &ConnectContext {
                server: &server,
                user: &target.user,
                database: &target.database,
                timeout: target.connect_timeout,
            },
        ),
    }
}

async fn login(target: &MssqlTarget, level: EncryptionLevel) -> Result<TdsClient, Failure> {
    let mut host = target.host.clone();
    let mut port = target.port;
    for _ in 0..=MAX_REDIRECTS {
        let tcp = tcp_connect(&host, port, target.connect_timeout)
            .await
            .map_err(Failure::Engine)?;
        let config = driver_config(target, &host, port, level);
        let handshake = tokio::time::timeout(
            target.connect_timeout,
            Client::connect(config, tcp.compat_write()),
        )
        .await;
        match handshake {
            Err(_) => {
                return Err(Failure::Engine(EngineError::Timeout {
                    phase: Phase::Login,
                    after: target.connect_timeout,
                }));
            }
            Ok(Ok(client)) => return Ok(client),
            Ok(Err(TdsError::Routing {
                host: next_host,
                port: next_port,
            })) => {
                tracing::debug!(from = %format!("{host}:{port}"), to = %format!("{next_host}:{next_port}"), "login redirected");
                host = next_host;
                port = next_port;
            }
            Ok(Err(error)) => {
                return Err(Failure::Driver {
                    error,
                    server: format!("{host}:{port}"),
                });
            }
        }
    }
    Err(Failure::Engine(EngineError::Protocol {
        message: format!(
            "the login to `{}` was redirected more than {MAX_REDIRECTS} times",
            target.server()
        ),
    }))
}

async fn tcp_connect(
    host: &str,
    port: u16,
    timeout: Duration,
) -> Result<ClosingStream, EngineError> {
    let server = format!("{host}:{port}");
    let stream = match tokio::time::timeout(timeout, TcpStream::connect((host, port))).await {
        Err(_) => {
            return Err(EngineError::Timeout {
                phase: Phase::Connect,
                after: timeout,
            });
        }
        Ok(Err(error)) => {
            return Err(EngineError::Unreachable {
                server,
                message: error.to_string(),
            });
        }
        Ok(Ok(stream)) => stream,
    };
    // Bookkeeping round trips are tiny; Nagle would add latency to each.
    if let Err(error) = stream.set_nodelay(true) {
        tracing::debug!(%server, %error, "could not disable Nagle's algorithm");
    }
    Ok(ClosingStream {
        tcp: stream,
        draining: false,
    })
}

fn driver_config(target: &MssqlTarget, host: &str, port: u16, level: EncryptionLevel) -> Config {
    let mut config = Config::new();
    config.host(host);
    config.port(port);
    config.database(&target.database);
    config.application_name(&target.application_name);
    config.client_name(client_host_name());
    config.authentication(AuthMethod::sql_server(
        &target.user,
        target.password.expose(),
    ));
    config.encryption(level);
    match &target.trust {
        Trust::SystemRoots => {}
        Trust::CaFile(path) => config.trust_cert_ca(path.to_string_lossy()),
        Trust::AnyCertificate => config.trust_cert(),
    }
    if let Some(name) = &target.hostname_in_certificate {
        config.hostname_in_certificate(name);
    }
    // wsdb bounds the handshake (`login`, on tokio's timer) and each
    // statement itself. tiberius' own deadlines would only add a second
    // clock — a global timer thread woken on every pending read — and its
    // 30 s default command timeout cuts exactly what an index build does.
    config.handshake_timeout(None);
    config.command_timeout(None);
    config
}

/// This machine's name, shown to operators as the lock holder's host
/// (`sys.dm_exec_sessions.host_name`).
fn client_host_name() -> &'static str {
    static NAME: OnceLock<String> = OnceLock::new();
    NAME.get_or_init(|| {
        std::env::var("HOSTNAME")
            .or_else(|_| std::env::var("COMPUTERNAME"))
            .ok()
            .or_else(|| std::fs::read_to_string("/etc/hostname").ok())
            .map(|name| name.trim().to_owned())
            .filter(|name| !name.is_empty())
            .unwrap_or_else(|| "unknown".to_owned())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{MssqlSettings, Secret};
    use crate::workspace::Workspace;

    fn target(host: &str, port: u16) -> MssqlTarget {
        let settings = MssqlSettings {
            user: Some("wsdb".into()),
            password: Some(Secret::new("pw".into())),
            connect_timeout: Duration::from_secs(3),
            ..MssqlSettings::default()
        };
        let workspace = Workspace::at("acme", host, port, "ws_acme");
        super::super::target::resolve_with_env(&settings, &workspace, |_| None).unwrap()
    }

    #[test]
    fn the_driver_keeps_no_deadline_of_its_own() {
        let config = driver_config(&target("db1", 1444), "db1", 1444, EncryptionLevel::Required);
        assert_eq!(config.get_command_timeout(), None);
        assert_eq!(config.get_handshake_timeout(), None);
        assert_eq!(config.get_addr(), "db1:1444");
    }

    #[tokio::test]
    async fn a_closed_port_is_unreachable() {
        // Bind then drop a listener: nothing listens on that port any more.
        let port = {
            let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            listener.local_addr().unwrap().port()
        };
        match open(&target("127.0.0.1", port)).await {
            Err(EngineError::Unreachable { server, .. }) => {
                assert_eq!(server, format!("127.0.0.1:{port}"));
            }
            other => panic!("{:?}", other.err()),
        }
    }
}
