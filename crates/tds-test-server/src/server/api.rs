//! The public face of the test server: [`ServerBuilder`] to configure and
//! start one, [`Server`] to use and stop it from tests.
//!
//! This is a thin shell over `Core` with the real SQL engine
//! ([`crate::sql::Catalog`]); the machinery lives in the sibling modules.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use super::{Core, Faults, Scope, ServerError, Settings, Stats, TlsMode};
use crate::sql::Catalog;

/// A running TDS test server: a SQL Server stand-in for tests and demos,
/// not a database to keep anything in.
///
/// ```no_run
/// # async fn demo() -> Result<(), tds_test_server::ServerError> {
/// use tds_test_server::{Scope, Server};
/// let server = Server::builder().login("sa", "secret").database("acme").start().await?;
/// server.faults().fail_logins(Scope::database("acme"), 1);
/// println!("connect to {}", server.addr());
/// server.stop().await;
/// # Ok(()) }
/// ```
pub struct Server {
    core: Core<Catalog>,
}

/// Configures a [`Server`]: by default it listens on 127.0.0.1 on a port the
/// system picks, has no logins, only the `master` database, and no TLS.
#[derive(Debug, Clone)]
pub struct ServerBuilder {
    host: IpAddr,
    port: u16,
    logins: Vec<(String, String)>,
    databases: Vec<String>,
    tls: TlsMode,
    server_name: String,
}

impl Default for ServerBuilder {
    fn default() -> ServerBuilder {
        ServerBuilder {
            host: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 0,
            logins: Vec::new(),
            databases: Vec::new(),
            tls: TlsMode::Off,
            server_name: "tds-test-server".to_owned(),
        }
    }
}

impl ServerBuilder {
    /// The address to listen on (default 127.0.0.1).
    pub fn host(mut self, host: IpAddr) -> ServerBuilder {
        self.host = host;
        self
    }

    /// The port to listen on; 0 (the default) lets the system pick one.
    pub fn port(mut self, port: u16) -> ServerBuilder {
        self.port = port;
        self
    }

    /// Adds a SQL login; call it once per login.
    pub fn login(mut self, user: impl Into<String>, password: impl Into<String>) -> ServerBuilder {
        self.logins.push((user.into(), password.into()));
        self
    }

    /// Creates a database at start (`master` always exists).
    pub fn database(mut self, name: impl Into<String>) -> ServerBuilder {
        self.databases.push(name.into());
        self
    }

    pub fn databases<I, S>(mut self, names: I) -> ServerBuilder
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.databases.extend(names.into_iter().map(Into::into));
        self
    }

    pub fn tls(mut self, mode: TlsMode) -> ServerBuilder {
        self.tls = mode;
        self
    }

    /// The server name error messages carry (default `tds-test-server`).
    pub fn server_name(mut self, name: impl Into<String>) -> ServerBuilder {
        self.server_name = name.into();
        self
    }

    /// Binds, generates the TLS certificate if asked to, creates the
    /// databases and starts accepting connections.
    pub async fn start(self) -> Result<Server, ServerError> {
        let catalog = Catalog::new().map_err(|source| ServerError::Engine { source })?;
        let settings = Settings {
            bind: SocketAddr::new(self.host, self.port),
            logins: self.logins,
            databases: self.databases,
            tls: self.tls,
            server_name: self.server_name,
        };
        let core = Core::start(settings, catalog).await?;
        Ok(Server { core })
    }
}

impl Server {
    pub fn builder() -> ServerBuilder {
        ServerBuilder::default()
    }

    /// Where the server listens (with the port the system picked).
    pub fn addr(&self) -> SocketAddr {
        self.core.addr()
    }

    pub fn port(&self) -> u16 {
        self.addr().port()
    }

    /// Creates a database; SQL Server's error 1801 if it exists.
    pub fn create_database(&self, name: &str) -> Result<(), ServerError> {
        self.core
            .shared
            .backend
            .create_database(name)
            .map_err(|source| ServerError::Database {
                name: name.to_owned(),
                source,
            })
    }

    pub fn has_database(&self, name: &str) -> bool {
        self.core.shared.backend.has_database(name)
    }

    pub fn database_names(&self) -> Vec<String> {
        Catalog::database_names(&self.core.shared.backend)
    }

    /// Adds a SQL login, or changes the password of an existing one.
    pub fn create_login(&self, user: &str, password: &str) {
        self.core.shared.add_login(user, password);
    }

    /// The fault switchboard.
    pub fn faults(&self) -> &Faults {
        &self.core.shared.faults
    }

    pub fn stats(&self) -> Stats {
        self.core.shared.counters.snapshot()
    }

    /// Starts the peak counters over from the current live counts.
    pub fn reset_peaks(&self) {
        self.core.shared.counters.reset_peaks();
    }

    /// Resolves once `predicate` holds for the counters, e.g. after a
    /// client disconnected: `server.wait_for_stats(|s| s.live_connections == 0)`.
    /// Wrap it in a timeout if the condition may never come.
    pub async fn wait_for_stats(&self, predicate: impl Fn(&Stats) -> bool) {
        self.core.shared.counters.wait_until(predicate).await;
    }

    pub fn tls_mode(&self) -> TlsMode {
        self.core.shared.tls_mode
    }

    /// The PEM of the CA that signed the server's certificate (with TLS on):
    /// write it to a `.pem` file and pass it as tiberius' `trust_cert_ca`.
    pub fn ca_certificate_pem(&self) -> Option<&str> {
        self.core.shared.tls.as_ref().map(|tls| tls.ca_pem.as_str())
    }

    /// Answers logins in `scope` with an Azure-style routing ENVCHANGE
    /// (type 20) to `host:port` instead of a session, after checking the
    /// password. A database's route wins over a server-wide one.
    pub fn route_logins(&self, scope: Scope, host: impl Into<String>, port: u16) {
        self.core.shared.set_route(scope, host.into(), port);
    }

    pub fn clear_routes(&self) {
        self.core.shared.clear_routes();
    }

    /// Stops accepting, closes every connection (their sessions roll back)
    /// and waits until all are gone. Dropping the server also stops it, but
    /// without waiting.
    pub async fn stop(&self) {
        self.core.stop().await;
    }
}

impl std::fmt::Debug for Server {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Server")
            .field("addr", &self.addr())
            .field("tls", &self.tls_mode())
            .finish_non_exhaustive()
    }
}
