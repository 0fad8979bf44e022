//! TLS for the server: a certificate authority and a server certificate
//! generated at start (rcgen), and the rustls acceptor built from them.
//!
//! Tests trust the server by writing [`TlsIdentity::ca_pem`] to a file and
//! passing it as tiberius' `trust_cert_ca` (wsdb's `ca_file`). How TLS is
//! negotiated and spliced into the TDS stream is `handshake`'s business.

use std::net::IpAddr;
use std::sync::Arc;

use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DistinguishedName, DnType, IsCa, KeyPair,
    KeyUsagePurpose,
};
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::{self, pki_types::PrivateKeyDer, pki_types::PrivatePkcs8KeyDer};

use super::ServerError;

/// The generated CA (whose PEM tests trust) and the acceptor presenting the
/// server certificate it signed.
#[derive(Clone)]
pub(crate) struct TlsIdentity {
    pub(crate) ca_pem: String,
    pub(crate) acceptor: TlsAcceptor,
}

fn cert_error(what: &str, err: impl std::fmt::Display) -> ServerError {
    ServerError::Certificate {
        detail: format!("{what}: {err}"),
    }
}

/// Generates a CA and a server certificate valid for `localhost`, the
/// loopback addresses and `bind_ip`.
pub(crate) fn generate(bind_ip: IpAddr) -> Result<TlsIdentity, ServerError> {
    let mut ca_params = CertificateParams::default();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    let mut ca_name = DistinguishedName::new();
    ca_name.push(DnType::CommonName, "tds-test-server CA");
    ca_params.distinguished_name = ca_name;
    let ca_key = KeyPair::generate().map_err(|e| cert_error("ca key", e))?;
    let ca = CertifiedIssuer::self_signed(ca_params, ca_key).map_err(|e| cert_error("ca", e))?;

    let mut names = vec![
        "localhost".to_owned(),
        "127.0.0.1".to_owned(),
        "::1".to_owned(),
    ];
    let bound = bind_ip.to_string();
    if !bind_ip.is_unspecified() && !names.contains(&bound) {
        names.push(bound);
    }
    let mut leaf_params = CertificateParams::new(names).map_err(|e| cert_error("names", e))?;
    let mut leaf_name = DistinguishedName::new();
    leaf_name.push(DnType::CommonName, "localhost");
    leaf_params.distinguished_name = leaf_name;
    let leaf_key = KeyPair::generate().map_err(|e| cert_error("server key", e))?;
    let leaf = leaf_params
        .signed_by(&leaf_key, &ca)
        .map_err(|e| cert_error("server certificate", e))?;

    let chain = vec![leaf.der().clone(), ca.der().clone()];
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(leaf_key.serialize_der()));
    // TDS 7.x wraps the handshake in PRELOGIN packets and switches to bare
    // records once it is done. TLS 1.3 servers send session tickets after
    // their side of the handshake has finished, which would reach the client
    // after it stopped unwrapping and break the stream; SQL Server itself
    // uses TLS 1.2 here, so do the same.
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_protocol_versions(&[&rustls::version::TLS12])
        .map_err(|e| cert_error("tls versions", e))?
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .map_err(|e| cert_error("tls config", e))?;
    Ok(TlsIdentity {
        ca_pem: ca.pem(),
        acceptor: TlsAcceptor::from(Arc::new(config)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generates_a_pem_ca() {
        let identity = generate("127.0.0.1".parse().unwrap()).unwrap();
        assert!(identity.ca_pem.starts_with("-----BEGIN CERTIFICATE-----"));
    }
}
