//! Starting servers and connecting tiberius clients to them.

use tds_test_server::{Server, TlsMode};
use tiberius::{AuthMethod, Client, Config, EncryptionLevel, Row};
use tokio::net::TcpStream;
use tokio_util::compat::{Compat, TokioAsyncWriteCompatExt};

pub type TestClient = Client<Compat<TcpStream>>;

pub const USER: &str = "wsdb";
pub const PASSWORD: &str = "s3cret!";

pub async fn start(databases: &[&str]) -> Server {
    start_with_tls(databases, TlsMode::Off).await
}

pub async fn start_with_tls(databases: &[&str], tls: TlsMode) -> Server {
    Server::builder()
        .login(USER, PASSWORD)
        .databases(databases.iter().copied())
        .tls(tls)
        .start()
        .await
        .expect("server starts")
}

/// A plain-text client configuration for `database` (or the default one).
pub fn config(server: &Server, database: Option<&str>) -> Config {
    let mut config = Config::new();
    config.host("127.0.0.1");
    config.port(server.port());
    config.authentication(AuthMethod::sql_server(USER, PASSWORD));
    config.encryption(EncryptionLevel::NotSupported);
    config.application_name("tds-test-server-tests");
    if let Some(db) = database {
        config.database(db);
    }
    config
}

pub async fn connect_with(config: Config) -> tiberius::Result<TestClient> {
    let tcp = TcpStream::connect(config.get_addr()).await?;
    tcp.set_nodelay(true)?;
    Client::connect(config, tcp.compat_write()).await
}

pub async fn connect(server: &Server, database: &str) -> TestClient {
    connect_with(config(server, Some(database)))
        .await
        .expect("login succeeds")
}

/// All result sets of a batch (errors surface whether they come before or
/// after the first result set).
pub async fn batch(client: &mut TestClient, sql: &str) -> tiberius::Result<Vec<Vec<Row>>> {
    client.simple_query(sql).await?.into_results().await
}

/// The first column of the first row of a batch's first result set.
pub async fn scalar_i32(client: &mut TestClient, sql: &str) -> tiberius::Result<Option<i32>> {
    let row = client.simple_query(sql).await?.into_row().await?;
    Ok(row.and_then(|r| r.get::<i32, _>(0)))
}

pub async fn scalar_string(client: &mut TestClient, sql: &str) -> tiberius::Result<Option<String>> {
    let row = client.simple_query(sql).await?.into_row().await?;
    Ok(row.and_then(|r| r.get::<&str, _>(0).map(str::to_owned)))
}

/// The SQL Server error number of a server error, `None` for other errors
/// (I/O, protocol, TLS).
pub fn server_code(err: &tiberius::error::Error) -> Option<u32> {
    match err {
        tiberius::error::Error::Server(token) => Some(token.code()),
        _ => None,
    }
}
