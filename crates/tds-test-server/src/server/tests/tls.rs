//! TLS as tiberius negotiates it: full encryption with a trusted CA or
//! `trust_cert`, login-only encryption, and the refusals.

use super::*;

fn ca_file(core: &Core<ScriptBackend>) -> tempfile::NamedTempFile {
    // tiberius goes by the extension to tell PEM from DER.
    let file = tempfile::Builder::new().suffix(".pem").tempfile().unwrap();
    std::fs::write(file.path(), &core.shared.tls.as_ref().unwrap().ca_pem).unwrap();
    file
}

#[tokio::test]
async fn full_encryption_with_a_trusted_ca() {
    let core = start(TlsMode::Supported).await;
    let ca = ca_file(&core);
    let mut c = config(&core, Some("acme"));
    c.encryption(EncryptionLevel::Required);
    c.trust_cert_ca(ca.path().to_str().unwrap());
    let mut client = connect(c).await.unwrap();
    assert_eq!(select_int(&mut client, "SELECT 1").await.unwrap(), 1);
    let rows = client
        .simple_query("ROWS 500")
        .await
        .unwrap()
        .into_first_result()
        .await
        .unwrap();
    assert_eq!(rows.len(), 500);
}

#[tokio::test]
async fn trust_cert_skips_validation_and_untrusted_certs_fail() {
    let core = start(TlsMode::Supported).await;
    let mut trusting = config(&core, Some("acme"));
    trusting.encryption(EncryptionLevel::On);
    trusting.trust_cert();
    let mut client = connect(trusting).await.unwrap();
    assert_eq!(select_int(&mut client, "SELECT 2").await.unwrap(), 2);

    let mut validating = config(&core, Some("acme"));
    validating.encryption(EncryptionLevel::Required);
    let err = connect(validating)
        .await
        .expect_err("an untrusted certificate");
    assert!(matches!(err, tiberius::error::Error::Tls(_)), "{err}");
}

#[tokio::test]
async fn login_only_encryption_then_plain() {
    let core = start(TlsMode::Supported).await;
    let mut c = config(&core, Some("acme"));
    c.encryption(EncryptionLevel::Off);
    c.trust_cert();
    let mut client = connect(c).await.unwrap();
    assert_eq!(select_int(&mut client, "SELECT 3").await.unwrap(), 3);
    let rows = client
        .simple_query("ROWS 300")
        .await
        .unwrap()
        .into_first_result()
        .await
        .unwrap();
    assert_eq!(rows.len(), 300);
}

#[tokio::test]
async fn a_server_without_tls_refuses_clients_that_require_it() {
    let core = start(TlsMode::Off).await;
    let mut c = config(&core, Some("acme"));
    c.encryption(EncryptionLevel::Required);
    c.trust_cert();
    let err = connect(c).await.expect_err("no encryption available");
    assert!(matches!(err, tiberius::error::Error::Protocol(_)), "{err}");
}

#[tokio::test]
async fn a_server_requiring_tls_refuses_clients_without_it() {
    let core = start(TlsMode::Required).await;
    let plain = config(&core, Some("acme"));
    assert!(connect(plain).await.is_err());
    let mut c = config(&core, Some("acme"));
    c.encryption(EncryptionLevel::Off);
    c.trust_cert();
    let mut client = connect(c).await.unwrap();
    assert_eq!(select_int(&mut client, "SELECT 4").await.unwrap(), 4);
}
