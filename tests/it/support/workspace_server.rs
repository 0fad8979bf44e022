//! A SQL Server for workspace-level tests: the in-process TDS test server
//! on 127.0.0.1, port 0, or a real SQL Server when
//! `WSDB_TEST_MSSQL_URL=sqlserver://user:pass@host:1433` is set (optional
//! query: `?encrypt=off|on|required&trust_server_certificate=true`).
//!
//! On a real server it creates uniquely named databases and drops them when
//! the [`WorkspaceServer`] is dropped, unless the test is panicking (the
//! databases are left as evidence and named on stderr). Fault injection
//! exists only on the test server: [`WorkspaceServer::test_server`] returns
//! `None` on a real one, and such tests skip themselves with a message.
//! Not here: pools, engines and assertions.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tds_test_server::{Server, TlsMode};
use tiberius::{AuthMethod, Client, Config, EncryptionLevel};
use tokio::net::TcpStream;
use tokio_util::compat::{Compat, TokioAsyncWriteCompatExt};
use wsdb::config::{Encrypt, MssqlSettings, Secret};
use wsdb::engine::mssql::quote_identifier;
use wsdb::workspace::Workspace;

const USER: &str = "wsdb";
/// The test server's login password: the suite's secret canary. No test's
/// output, log or ledger row may contain it (`support::project` checks every
/// command it runs).
pub const PASSWORD: &str = super::CANARY_PASSWORD;

/// The program name every test connection reports (`application_name`):
/// a real server's session count is filtered on it.
pub const APPLICATION_NAME: &str = "wsdb-it";

/// How long to wait for the server to see a client's close.
const SETTLE_DEADLINE: Duration = Duration::from_secs(20);

pub struct WorkspaceServer {
    backend: Backend,
    created: Mutex<Vec<String>>,
}

enum Backend {
    Test(Arc<Server>),
    Real(RealServer),
}

#[derive(Clone)]
struct RealServer {
    host: String,
    port: u16,
    user: String,
    password: String,
    encrypt: Encrypt,
    trust: bool,
}

impl WorkspaceServer {
    /// The real server of `WSDB_TEST_MSSQL_URL`, else a fresh test server.
    pub async fn start() -> WorkspaceServer {
        match std::env::var("WSDB_TEST_MSSQL_URL") {
            Ok(url) if !url.is_empty() => WorkspaceServer {
                backend: Backend::Real(RealServer::parse(&url)),
                created: Mutex::new(Vec::new()),
            },
            _ => WorkspaceServer::start_test_server(TlsMode::Off).await,
        }
    }

    /// Always the in-process test server (TLS and routing tests).
    pub async fn start_test_server(tls: TlsMode) -> WorkspaceServer {
        let server = Server::builder()
            .login(USER, PASSWORD)
            .tls(tls)
            .start()
            .await
            .expect("start the TDS test server");
        WorkspaceServer {
            backend: Backend::Test(Arc::new(server)),
            created: Mutex::new(Vec::new()),
        }
    }

    pub fn is_test_server(&self) -> bool {
        matches!(self.backend, Backend::Test(_))
    }

    /// The test server, for faults and counters; `None` on a real server.
    pub fn test_server(&self) -> Option<&Server> {
        match &self.backend {
            Backend::Test(server) => Some(server),
            Backend::Real(_) => None,
        }
    }

    /// The test server as a shared handle, for helpers that outlive a borrow.
    pub fn test_server_handle(&self) -> Option<Arc<Server>> {
        match &self.backend {
            Backend::Test(server) => Some(Arc::clone(server)),
            Backend::Real(_) => None,
        }
    }

    /// The test server, or `None` after printing why the calling test
    /// skips itself.
    pub fn faults_or_skip(&self, test: &str) -> Option<&Server> {
        let server = self.test_server();
        if server.is_none() {
            eprintln!("skipping `{test}`: it injects faults, which only the TDS test server can");
        }
        server
    }

    /// [`faults_or_skip`](Self::faults_or_skip) as a shared handle, for
    /// tests that go on changing the project that owns this server.
    pub fn fault_handle_or_skip(&self, test: &str) -> Option<Arc<Server>> {
        self.faults_or_skip(test)?;
        self.test_server_handle()
    }

    pub fn host(&self) -> String {
        match &self.backend {
            Backend::Test(server) => server.addr().ip().to_string(),
            Backend::Real(real) => real.host.clone(),
        }
    }

    pub fn port(&self) -> u16 {
        match &self.backend {
            Backend::Test(server) => server.port(),
            Backend::Real(real) => real.port,
        }
    }

    /// A new, empty database named `<prefix>_<unique>`.
    pub async fn create_database(&self, prefix: &str) -> String {
        let name = unique_name(prefix);
        match &self.backend {
            Backend::Test(server) => server.create_database(&name).expect("create test database"),
            Backend::Real(real) => {
                let mut admin = real.admin().await;
                admin
                    .simple_query(format!("CREATE DATABASE {}", quote_identifier(&name)))
                    .await
                    .expect("create test database")
                    .into_results()
                    .await
                    .expect("create test database");
            }
        }
        self.created
            .lock()
            .expect("database list")
            .push(name.clone());
        name
    }

    /// A unique database name that does not exist yet (for `provision`
    /// tests); dropped with the others on a real server if it got created.
    pub fn unused_database_name(&self, prefix: &str) -> String {
        let name = unique_name(prefix);
        self.created
            .lock()
            .expect("database list")
            .push(name.clone());
        name
    }

    /// A workspace row pointing at `database` on this server.
    pub fn workspace(&self, id: &str, database: &str) -> Workspace {
        Workspace::at(id, self.host(), self.port(), database)
    }

    /// The login password in use: the canary on the test server, the URL's
    /// password on a real one. It must never appear in any output.
    pub fn password(&self) -> String {
        match &self.backend {
            Backend::Test(_) => PASSWORD.to_owned(),
            Backend::Real(real) => real.password.clone(),
        }
    }

    /// The login name in use.
    pub fn user(&self) -> String {
        match &self.backend {
            Backend::Test(_) => USER.to_owned(),
            Backend::Real(real) => real.user.clone(),
        }
    }

    /// `[mssql]` settings that log in to this server.
    pub fn mssql_settings(&self) -> MssqlSettings {
        let (user, password, encrypt, trust) = match &self.backend {
            Backend::Test(server) => {
                let encrypt = match server.tls_mode() {
                    TlsMode::Off => Encrypt::Off,
                    TlsMode::Supported | TlsMode::Required => Encrypt::Required,
                };
                (USER.to_owned(), PASSWORD.to_owned(), encrypt, false)
            }
            Backend::Real(real) => (
                real.user.clone(),
                real.password.clone(),
                real.encrypt,
                real.trust,
            ),
        };
        MssqlSettings {
            user: Some(user),
            password: Some(Secret::new(password)),
            encrypt,
            trust_server_certificate: trust,
            ca_file: None,
            connect_timeout: Duration::from_secs(10),
            statement_timeout: Duration::from_secs(60),
            application_name: APPLICATION_NAME.to_owned(),
        }
    }

    /// A plain tiberius connection to `database`, for tests to look at (or
    /// prepare) a workspace database behind wsdb's back.
    pub async fn client(&self, database: &str) -> Client<Compat<TcpStream>> {
        let settings = self.mssql_settings();
        let mut config = Config::new();
        config.host(self.host());
        config.port(self.port());
        config.database(database);
        config.application_name("wsdb-it-inspect");
        config.authentication(AuthMethod::sql_server(self.user(), self.password()));
        config.encryption(match settings.encrypt {
            Encrypt::Off => EncryptionLevel::NotSupported,
            Encrypt::On => EncryptionLevel::On,
            Encrypt::Required => EncryptionLevel::Required,
        });
        if settings.trust_server_certificate || self.is_test_server() {
            config.trust_cert();
        }
        let tcp = TcpStream::connect((self.host().as_str(), self.port()))
            .await
            .expect("reach the workspace server");
        tcp.set_nodelay(true).expect("set TCP_NODELAY");
        Client::connect(config, tcp.compat_write())
            .await
            .expect("log in to the workspace server")
    }

    /// Sessions the server counts in `database` right now.
    pub async fn live_connections(&self, database: &str) -> usize {
        match &self.backend {
            Backend::Test(server) => server.stats().database(database).live_connections,
            Backend::Real(real) => real.sessions_in(database).await,
        }
    }

    /// Waits (bounded) until the server counts `expected` sessions in
    /// `database`, and returns the count it saw last: closes reach a
    /// server asynchronously. The bound is a watchdog on the real clock, so
    /// tests on tokio's paused clock can use it too.
    pub async fn settle(&self, database: &str, expected: usize) -> usize {
        let watchdog = watchdog(SETTLE_DEADLINE);
        match &self.backend {
            Backend::Test(server) => {
                let reached =
                    server.wait_for_stats(|s| s.database(database).live_connections == expected);
                tokio::select! {
                    () = reached => {}
                    _ = watchdog => {}
                }
            }
            Backend::Real(real) => {
                tokio::pin!(watchdog);
                loop {
                    if real.sessions_in(database).await == expected {
                        break;
                    }
                    tokio::select! {
                        _ = &mut watchdog => break,
                        () = tokio::task::yield_now() => {}
                    }
                }
            }
        }
        self.live_connections(database).await
    }

    /// Like [`settle`](Self::settle) for every database of the server.
    pub async fn settle_total(&self, databases: &[String], at_most: usize) -> usize {
        let watchdog = watchdog(SETTLE_DEADLINE);
        tokio::pin!(watchdog);
        loop {
            let mut total = 0;
            for database in databases {
                total += self.live_connections(database).await;
            }
            if total <= at_most {
                return total;
            }
            tokio::select! {
                _ = &mut watchdog => return total,
                () = tokio::task::yield_now() => {}
            }
        }
    }
}

/// `<prefix>_<pid>_<counter>_<random>`: unique across parallel tests and
/// test processes sharing a real server.
fn unique_name(prefix: &str) -> String {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    format!(
        "{prefix}_{}_{}_{:06x}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed),
        rand::random::<u32>() & 0xff_ffff
    )
}

/// `%XX` escapes of a URL's user and password.
pub fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok());
        match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Resolves after `after` of real time, whatever tokio's clock does.
fn watchdog(after: Duration) -> tokio::sync::oneshot::Receiver<()> {
    let (fire, fired) = tokio::sync::oneshot::channel();
    std::thread::spawn(move || {
        std::thread::sleep(after);
        let _ = fire.send(());
    });
    fired
}

impl Drop for WorkspaceServer {
    fn drop(&mut self) {
        let Backend::Real(real) = &self.backend else {
            return;
        };
        let names = std::mem::take(&mut *self.created.lock().expect("database list"));
        if names.is_empty() {
            return;
        }
        if std::thread::panicking() {
            eprintln!(
                "test failed: leaving databases {names:?} on {}:{} as evidence",
                real.host, real.port
            );
            return;
        }
        let real = real.clone();
        // Drop cannot await: drop the databases on a runtime of their own.
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?;
            runtime.block_on(async {
                let mut admin = real.admin().await;
                for name in names {
                    let quoted = quote_identifier(&name);
                    // Names from unused_database_name may never have been created.
                    let sql = format!(
                        "IF DB_ID(N'{}') IS NOT NULL BEGIN ALTER DATABASE {quoted} SET SINGLE_USER \
                         WITH ROLLBACK IMMEDIATE; DROP DATABASE {quoted}; END",
                        name.replace('\'', "''")
                    );
                    let result = match admin.simple_query(sql).await {
                        Ok(stream) => stream.into_results().await.map(drop),
                        Err(e) => Err(e),
                    };
                    if let Err(e) = result {
                        eprintln!("could not drop test database `{name}`: {e}");
                    }
                }
            });
            Ok::<(), std::io::Error>(())
        });
        if let Ok(Err(e)) = dropped.join() {
            eprintln!("could not drop test databases: {e}");
        }
    }
}

impl RealServer {
    fn parse(text: &str) -> RealServer {
        let url =
            url::Url::parse(text).expect("WSDB_TEST_MSSQL_URL is sqlserver://user:pass@host:port");
        assert_eq!(
            url.scheme(),
            "sqlserver",
            "WSDB_TEST_MSSQL_URL must start with sqlserver://"
        );
        let mut encrypt = Encrypt::Required;
        let mut trust = true;
        for (key, value) in url.query_pairs() {
            match (key.as_ref(), value.as_ref()) {
                ("encrypt", "off") => encrypt = Encrypt::Off,
                ("encrypt", "on") => encrypt = Encrypt::On,
                ("encrypt", "required") => encrypt = Encrypt::Required,
                ("trust_server_certificate", v) => trust = v == "true",
                (k, v) => panic!("WSDB_TEST_MSSQL_URL: unknown option `{k}={v}`"),
            }
        }
        RealServer {
            host: url
                .host_str()
                .expect("WSDB_TEST_MSSQL_URL names a host")
                .to_owned(),
            port: url.port().unwrap_or(1433),
            user: percent_decode(url.username()),
            password: percent_decode(url.password().unwrap_or_default()),
            encrypt,
            trust,
        }
    }

    /// A plain tiberius connection to `master` for setup and counting.
    async fn admin(&self) -> Client<Compat<TcpStream>> {
        let mut config = Config::new();
        config.host(&self.host);
        config.port(self.port);
        config.database("master");
        config.application_name("wsdb-it-admin");
        config.authentication(AuthMethod::sql_server(&self.user, &self.password));
        config.encryption(match self.encrypt {
            Encrypt::Off => EncryptionLevel::NotSupported,
            Encrypt::On => EncryptionLevel::On,
            Encrypt::Required => EncryptionLevel::Required,
        });
        if self.trust {
            config.trust_cert();
        }
        let tcp = TcpStream::connect((self.host.as_str(), self.port))
            .await
            .expect("reach the SQL Server of WSDB_TEST_MSSQL_URL");
        tcp.set_nodelay(true).expect("set TCP_NODELAY");
        Client::connect(config, tcp.compat_write())
            .await
            .expect("log in to the SQL Server of WSDB_TEST_MSSQL_URL")
    }

    /// Sessions of wsdb's tests in `database` (the admin connection is in
    /// `master` under another program name).
    async fn sessions_in(&self, database: &str) -> usize {
        let mut admin = self.admin().await;
        let row = admin
            .query(
                "SELECT COUNT(*) AS n FROM sys.dm_exec_sessions WHERE database_id = DB_ID(@P1) AND program_name = @P2",
                &[&database, &APPLICATION_NAME],
            )
            .await
            .expect("count sessions")
            .into_row()
            .await
            .expect("count sessions")
            .expect("a count");
        let n: i32 = row.get("n").unwrap_or(0);
        usize::try_from(n).unwrap_or(0)
    }
}

/// A port on 127.0.0.1 that nothing listens on (bound, then released): a
/// workspace row pointing there is unreachable, refused at once.
pub fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind(("127.0.0.1", 0)).expect("bind a free port");
    listener.local_addr().expect("local address").port()
}
