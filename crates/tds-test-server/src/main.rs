//! `tds-test-server`: runs the test server from the command line for demos
//! (`--port 1433 --databases a,b,c --user sa --password secret`), prints the
//! address it listens on and serves until Ctrl-C.
//!
//! All behaviour lives in the library; this only parses flags.

use std::net::{IpAddr, Ipv4Addr};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, ValueEnum};
use tds_test_server::{Server, TlsMode};

/// A TDS test double standing in for SQL Server in tests and demos.
/// Not a database: do not keep anything in it.
#[derive(Debug, Parser)]
#[command(
    version,
    after_help = "Examples:\n  \
        tds-test-server --port 1433 --databases a,b,c --user sa --password secret\n  \
        tds-test-server --tls --ca-file /tmp/tds-ca.pem --databases acme --password secret"
)]
struct Args {
    /// Address to listen on.
    #[arg(long, default_value_t = IpAddr::V4(Ipv4Addr::LOCALHOST))]
    host: IpAddr,
    /// Port to listen on (0: any free port).
    #[arg(long, default_value_t = 1433)]
    port: u16,
    /// Databases to create, comma-separated (`master` always exists).
    #[arg(long, value_delimiter = ',')]
    databases: Vec<String>,
    /// SQL login name.
    #[arg(long, default_value = "sa")]
    user: String,
    /// Password of the login.
    #[arg(long, env = "TDS_TEST_SERVER_PASSWORD", hide_env_values = true)]
    password: String,
    /// Offer TLS with a generated certificate (`--tls` alone: supported).
    #[arg(long, value_enum, num_args = 0..=1, default_value = "off", default_missing_value = "supported")]
    tls: Tls,
    /// Write the PEM of the CA that signed the server certificate here.
    #[arg(long, requires = "tls")]
    ca_file: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Tls {
    Off,
    Supported,
    Required,
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .with_writer(std::io::stderr)
        .init();
    let args = Args::parse();
    match run(args).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn run(args: Args) -> Result<(), String> {
    let tls = match args.tls {
        Tls::Off => TlsMode::Off,
        Tls::Supported => TlsMode::Supported,
        Tls::Required => TlsMode::Required,
    };
    let server = Server::builder()
        .host(args.host)
        .port(args.port)
        .login(args.user.as_str(), args.password)
        .databases(args.databases.iter().map(String::as_str))
        .tls(tls)
        .start()
        .await
        .map_err(|e| e.to_string())?;
    if let (Some(path), Some(pem)) = (&args.ca_file, server.ca_certificate_pem()) {
        std::fs::write(path, pem).map_err(|e| {
            format!(
                "cannot write the CA certificate to `{}`: {e}",
                path.display()
            )
        })?;
    }
    let mut databases = server.database_names();
    databases.sort();
    println!(
        "tds-test-server listening on {} (login `{}`, databases: {}, tls: {tls:?})",
        server.addr(),
        args.user,
        databases.join(", ")
    );
    tokio::signal::ctrl_c()
        .await
        .map_err(|e| format!("cannot wait for Ctrl-C: {e}"))?;
    server.stop().await;
    Ok(())
}
