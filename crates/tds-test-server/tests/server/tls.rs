//! TLS as wsdb's settings use it: full encryption with a CA file or with
//! `trust_server_certificate`, login-only encryption, and the failures.

use crate::support::*;
use tds_test_server::TlsMode;
use tiberius::EncryptionLevel;

fn ca_file(server: &tds_test_server::Server) -> tempfile::NamedTempFile {
    // tiberius tells PEM from DER by the extension.
    let file = tempfile::Builder::new().suffix(".pem").tempfile().unwrap();
    std::fs::write(file.path(), server.ca_certificate_pem().expect("tls is on")).unwrap();
    file
}

#[tokio::test]
async fn required_encryption_with_the_ca_file() {
    let server = start_with_tls(&["acme"], TlsMode::Required).await;
    let ca = ca_file(&server);
    let mut config = config(&server, Some("acme"));
    config.encryption(EncryptionLevel::Required);
    config.trust_cert_ca(ca.path().to_str().unwrap());
    let mut client = connect_with(config).await.unwrap();
    assert_eq!(
        scalar_string(&mut client, "SELECT DB_NAME()")
            .await
            .unwrap()
            .as_deref(),
        Some("acme")
    );
}

#[tokio::test]
async fn an_unknown_certificate_fails_validation() {
    let server = start_with_tls(&["acme"], TlsMode::Supported).await;
    let mut config = config(&server, Some("acme"));
    config.encryption(EncryptionLevel::Required);
    let err = connect_with(config).await.expect_err("untrusted");
    assert!(matches!(err, tiberius::error::Error::Tls(_)), "{err}");
}

#[tokio::test]
async fn trust_server_certificate_and_login_only_encryption() {
    let server = start_with_tls(&["acme"], TlsMode::Supported).await;
    for level in [EncryptionLevel::On, EncryptionLevel::Off] {
        let mut config = config(&server, Some("acme"));
        config.encryption(level);
        config.trust_cert();
        let mut client = connect_with(config).await.unwrap();
        assert_eq!(
            scalar_i32(&mut client, "SELECT 1").await.unwrap(),
            Some(1),
            "{level:?}"
        );
    }
}

#[tokio::test]
async fn requiring_encryption_from_a_server_without_tls_fails_cleanly() {
    let server = start(&["acme"]).await;
    let mut config = config(&server, Some("acme"));
    config.encryption(EncryptionLevel::Required);
    config.trust_cert();
    let err = connect_with(config).await.expect_err("no tls");
    assert!(matches!(err, tiberius::error::Error::Protocol(_)), "{err}");
    assert!(server.ca_certificate_pem().is_none());
}
