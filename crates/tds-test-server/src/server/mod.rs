//! The network side of the test server: the listener, one tokio task per
//! connection, TLS, logins, routing, fault injection and counters, built
//! over the SQL engine behind the `backend` traits.
//!
//! The public face is [`Server`] (in `api`); everything else here is the
//! machinery it starts and stops. The SQL dialect is the `sql` module's.

mod api;
mod backend;
mod connection;
mod error;
mod faults;
mod handshake;
mod login;
mod prelogin_framing;
mod respond;
mod stats;
mod tls;
mod transport;

#[cfg(test)]
mod tests;

use std::collections::{HashMap, HashSet};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::{JoinHandle, JoinSet};

pub use api::{Server, ServerBuilder};
pub(crate) use backend::Backend;
pub use error::ServerError;
pub use faults::{Faults, Scope};
pub use stats::{DatabaseStats, Stats};

use crate::wire::WireError;
use stats::Counters;
use tls::TlsIdentity;

/// How the server answers a client's encryption request (PRELOGIN).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TlsMode {
    /// No TLS: the server answers ENCRYPT_NOT_SUP, so a client that
    /// requires encryption fails to connect.
    #[default]
    Off,
    /// TLS with a certificate generated at start, used as the client asks:
    /// for the whole connection, for the login only, or not at all.
    Supported,
    /// Like `Supported`, but every connection is fully encrypted and a client
    /// that cannot encrypt is disconnected.
    Required,
}

/// Why a connection ended abnormally (logged, never returned to the API).
#[derive(Debug, thiserror::Error)]
pub(crate) enum ConnectionError {
    #[error("i/o error: {0}")]
    Io(#[from] std::io::Error),
    #[error("tls handshake failed: {0}")]
    Tls(std::io::Error),
    #[error("malformed message: {0}")]
    Wire(#[from] WireError),
    #[error("protocol violation: {0}")]
    Protocol(String),
}

/// What a server is started with.
#[derive(Debug, Clone)]
pub(crate) struct Settings {
    pub(crate) bind: SocketAddr,
    pub(crate) logins: Vec<(String, String)>,
    pub(crate) databases: Vec<String>,
    pub(crate) tls: TlsMode,
    pub(crate) server_name: String,
}

/// A login redirect: where logins in scope are sent.
#[derive(Debug, Clone)]
struct Route {
    scope: Scope,
    host: String,
    port: u16,
}

/// State every connection task shares.
pub(crate) struct Shared<B> {
    pub(crate) backend: B,
    /// Login name (lower-cased: SQL logins are case-insensitive) to password.
    logins: RwLock<HashMap<String, String>>,
    routes: RwLock<Vec<Route>>,
    pub(crate) faults: Faults,
    pub(crate) counters: Arc<Counters>,
    pub(crate) tls: Option<TlsIdentity>,
    pub(crate) tls_mode: TlsMode,
    pub(crate) server_name: String,
    pub(crate) spids: Spids,
}

impl<B> Shared<B> {
    pub(crate) fn check_password(&self, user: &str, password: &str) -> bool {
        let logins = self.logins.read().unwrap_or_else(|p| p.into_inner());
        logins
            .get(&user.to_lowercase())
            .is_some_and(|p| p == password)
    }

    pub(crate) fn add_login(&self, user: &str, password: &str) {
        let mut logins = self.logins.write().unwrap_or_else(|p| p.into_inner());
        logins.insert(user.to_lowercase(), password.to_owned());
    }

    pub(crate) fn route_for(&self, database: &str) -> Option<(String, u16)> {
        let routes = self.routes.read().unwrap_or_else(|p| p.into_inner());
        // A database's own route wins over a server-wide one.
        let specific = routes
            .iter()
            .find(|r| r.scope != Scope::Server && r.scope.covers(Some(database)));
        let route = specific.or_else(|| routes.iter().find(|r| r.scope == Scope::Server))?;
        Some((route.host.clone(), route.port))
    }

    pub(crate) fn set_route(&self, scope: Scope, host: String, port: u16) {
        let mut routes = self.routes.write().unwrap_or_else(|p| p.into_inner());
        routes.retain(|r| r.scope != scope);
        routes.push(Route { scope, host, port });
    }

    pub(crate) fn clear_routes(&self) {
        self.routes
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .clear();
    }

    /// Waits out the injected latency for a response.
    pub(crate) async fn delay(&self, database: Option<&str>) {
        let latency = self.faults.latency_for(database);
        if latency > Duration::ZERO {
            tokio::time::sleep(latency).await;
        }
    }
}

/// Session ids: unique among live connections, from 51 up like SQL Server's
/// user sessions, reused once free.
#[derive(Default)]
pub(crate) struct Spids {
    set: Arc<Mutex<SpidSet>>,
}

#[derive(Default)]
struct SpidSet {
    next: u16,
    in_use: HashSet<u16>,
}

const FIRST_SPID: u16 = 51;

impl Spids {
    pub(crate) fn acquire(&self) -> Option<Spid> {
        let mut set = self.set.lock().unwrap_or_else(|p| p.into_inner());
        let capacity = usize::from(u16::MAX - FIRST_SPID) + 1;
        if set.in_use.len() >= capacity {
            return None;
        }
        loop {
            let candidate = set.next.max(FIRST_SPID);
            set.next = candidate.checked_add(1).unwrap_or(FIRST_SPID);
            if set.in_use.insert(candidate) {
                return Some(Spid {
                    value: candidate,
                    set: Arc::clone(&self.set),
                });
            }
        }
    }
}

/// A spid held by a live connection.
pub(crate) struct Spid {
    value: u16,
    set: Arc<Mutex<SpidSet>>,
}

impl Spid {
    pub(crate) fn get(&self) -> u16 {
        self.value
    }
}

impl Drop for Spid {
    fn drop(&mut self) {
        let mut set = self.set.lock().unwrap_or_else(|p| p.into_inner());
        set.in_use.remove(&self.value);
    }
}

/// A running server over some backend: the listener task and the state its
/// connections share.
pub(crate) struct Core<B: Backend> {
    pub(crate) shared: Arc<Shared<B>>,
    addr: SocketAddr,
    shutdown: watch::Sender<bool>,
    accept: Mutex<Option<JoinHandle<()>>>,
}

impl<B: Backend> Core<B> {
    pub(crate) async fn start(settings: Settings, backend: B) -> Result<Core<B>, ServerError> {
        for name in &settings.databases {
            if !backend.has_database(name) {
                backend
                    .create_database(name)
                    .map_err(|source| ServerError::Database {
                        name: name.clone(),
                        source,
                    })?;
            }
        }
        let listener =
            TcpListener::bind(settings.bind)
                .await
                .map_err(|source| ServerError::Bind {
                    addr: settings.bind,
                    source,
                })?;
        let addr = listener.local_addr().map_err(|source| ServerError::Bind {
            addr: settings.bind,
            source,
        })?;
        let tls = match settings.tls {
            TlsMode::Off => None,
            TlsMode::Supported | TlsMode::Required => Some(tls::generate(addr.ip())?),
        };
        let shared = Arc::new(Shared {
            backend,
            logins: RwLock::new(HashMap::new()),
            routes: RwLock::new(Vec::new()),
            faults: Faults::default(),
            counters: Counters::new(),
            tls,
            tls_mode: settings.tls,
            server_name: settings.server_name,
            spids: Spids::default(),
        });
        for (user, password) in &settings.logins {
            shared.add_login(user, password);
        }
        let (shutdown, stop) = watch::channel(false);
        let accept = tokio::spawn(accept_loop(listener, Arc::clone(&shared), stop));
        Ok(Core {
            shared,
            addr,
            shutdown,
            accept: Mutex::new(Some(accept)),
        })
    }

    pub(crate) fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Stops accepting, closes every connection and waits for their tasks.
    pub(crate) async fn stop(&self) {
        self.shutdown.send_replace(true);
        let handle = self.accept.lock().unwrap_or_else(|p| p.into_inner()).take();
        if let Some(handle) = handle {
            // A panicked accept task has nothing left to clean up.
            let _ = handle.await;
        }
    }
}

impl<B: Backend> Drop for Core<B> {
    fn drop(&mut self) {
        self.shutdown.send_replace(true);
    }
}

async fn accept_loop<B: Backend>(
    listener: TcpListener,
    shared: Arc<Shared<B>>,
    mut stop: watch::Receiver<bool>,
) {
    let mut connections = JoinSet::new();
    let connection_stop = stop.clone();
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((tcp, peer)) => {
                    // Responses are written whole; Nagle would only add delay.
                    if let Err(err) = tcp.set_nodelay(true) {
                        tracing::debug!(%peer, %err, "cannot disable Nagle");
                    }
                    connections.spawn(connection::serve(
                        tcp,
                        Arc::clone(&shared),
                        connection_stop.clone(),
                    ));
                }
                Err(err) => {
                    // Out of file descriptors and the like: back off briefly
                    // rather than spin.
                    tracing::warn!(%err, "accept failed");
                    tokio::time::sleep(Duration::from_millis(10)).await;
                }
            },
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
            () = stopped(&mut stop) => break,
        }
    }
    drop(listener);
    while connections.join_next().await.is_some() {}
}

/// Resolves when the server is told to stop (or is gone).
pub(crate) async fn stopped(stop: &mut watch::Receiver<bool>) {
    // The guard `wait_for` returns is not `Send`; drop it right here.
    let _ = stop.wait_for(|stop| *stop).await.map(|_| ());
}
