//! The `tds-test-server` binary: flags, the address line it prints, serving
//! tiberius, and a clean exit on Ctrl-C (SIGINT).

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use tiberius::{AuthMethod, Client, Config, EncryptionLevel};
use tokio::net::TcpStream;
use tokio_util::compat::TokioAsyncWriteCompatExt;

/// Kills the server if the test fails before it could stop it cleanly.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        if self.0.try_wait().ok().flatten().is_none() {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
}

#[tokio::test]
async fn serves_the_databases_it_was_given_until_interrupted() {
    let ca = tempfile::Builder::new().suffix(".pem").tempfile().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_tds-test-server"))
        .args([
            "--port",
            "0",
            "--databases",
            "a,b",
            "--user",
            "demo",
            "--tls",
        ])
        .arg("--ca-file")
        .arg(ca.path())
        .env("TDS_TEST_SERVER_PASSWORD", "pw")
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut child = Running(child);
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line).unwrap();
    assert!(line.contains("databases: a, b, master"), "{line}");
    let addr = line
        .split_whitespace()
        .find_map(|word| word.parse::<std::net::SocketAddr>().ok())
        .unwrap_or_else(|| panic!("no address in {line:?}"));

    let mut config = Config::new();
    config.host("localhost");
    config.port(addr.port());
    config.authentication(AuthMethod::sql_server("demo", "pw"));
    config.encryption(EncryptionLevel::Required);
    config.trust_cert_ca(ca.path().to_str().unwrap());
    config.database("b");
    let tcp = TcpStream::connect(addr).await.unwrap();
    let mut client = Client::connect(config, tcp.compat_write()).await.unwrap();
    let row = client
        .simple_query("SELECT DB_NAME()")
        .await
        .unwrap()
        .into_row()
        .await
        .unwrap();
    assert_eq!(row.unwrap().get::<&str, _>(0), Some("b"));
    drop(client);

    let interrupted = Command::new("kill")
        .args(["-INT", &child.0.id().to_string()])
        .status()
        .unwrap();
    assert!(interrupted.success());
    assert!(child.0.wait().unwrap().success());
}

#[test]
fn help_shows_examples() {
    let output = Command::new(env!("CARGO_BIN_EXE_tds-test-server"))
        .arg("--help")
        .output()
        .unwrap();
    let help = String::from_utf8(output.stdout).unwrap();
    assert!(help.contains("--databases a,b,c"), "{help}");
    assert!(help.contains("Not a database"), "{help}");
}
