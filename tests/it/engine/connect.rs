//! Logging in: failures that must not be retried, TLS modes and trust,
//! Azure-style redirects, connection strings and `CREATE DATABASE`.

use std::time::Duration;

use tds_test_server::{Scope, TlsMode};
use wsdb::config::{Encrypt, MssqlSettings, Secret};
use wsdb::engine::mssql::MssqlEngine;
use wsdb::engine::{Engine, EngineError, Session};
use wsdb::workspace::Location;

use super::Fixture;
use crate::support::workspace_server::WorkspaceServer;

async fn connect_with(
    fx: &Fixture,
    settings: MssqlSettings,
) -> Result<wsdb::engine::mssql::MssqlSession, EngineError> {
    let engine = MssqlEngine::new(settings);
    let target = engine.resolve(&fx.server.workspace("acme", &fx.database))?;
    engine.connect(&target).await
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_database_are_told_apart() {
    let fx = Fixture::new("login").await;
    let wrong = MssqlSettings {
        password: Some(Secret::new("not-the-password".into())),
        ..fx.server.mssql_settings()
    };
    match connect_with(&fx, wrong).await {
        Err(error @ EngineError::LoginFailed { number: 18456, .. }) => {
            assert!(!error.is_transient());
            assert!(!error.to_string().contains("not-the-password"));
        }
        other => panic!("{:?}", other.err()),
    }

    let missing = fx.server.unused_database_name("missing");
    let target = fx
        .engine
        .resolve(&fx.server.workspace("acme", &missing))
        .unwrap();
    match fx.engine.connect(&target).await {
        Err(error @ EngineError::UnknownDatabase { .. }) => {
            assert!(!error.is_transient());
            assert!(error.to_string().contains(&missing), "{error}");
        }
        other => panic!("{:?}", other.err()),
    }
}

#[tokio::test]
async fn create_database_creates_a_missing_database_once() {
    let fx = Fixture::new("prov").await;
    let name = fx.server.unused_database_name("provisioned");
    let target = fx
        .engine
        .resolve(&fx.server.workspace("new", &name))
        .unwrap();
    assert!(matches!(
        fx.engine.connect(&target).await,
        Err(EngineError::UnknownDatabase { .. })
    ));
    assert!(fx.engine.create_database(&target).await.unwrap());
    assert!(!fx.engine.create_database(&target).await.unwrap());
    let mut session = fx.engine.connect(&target).await.unwrap();
    assert_eq!(session.database(), name);
    session.create_history_table().await.unwrap();
    session.close().await;
}

#[tokio::test]
async fn a_connection_string_row_connects() {
    let fx = Fixture::new("ado").await;
    let settings = fx.server.mssql_settings();
    let encrypt = match settings.encrypt {
        Encrypt::Off => "false",
        _ => "true",
    };
    let mut workspace = fx.server.workspace("acme", &fx.database);
    workspace.location = Location::ConnectionString(Secret::new(format!(
        "Server=tcp:{},{};Initial Catalog={};User ID={};Password={};Encrypt={encrypt};TrustServerCertificate={};Pooling=true",
        fx.server.host(),
        fx.server.port(),
        fx.database,
        settings.user.clone().unwrap(),
        settings.password.clone().unwrap().expose(),
        settings.trust_server_certificate,
    )));
    let engine = MssqlEngine::new(MssqlSettings {
        user: None,
        password: None,
        ..settings
    });
    let target = engine.resolve(&workspace).unwrap();
    let mut session = engine.connect(&target).await.unwrap();
    assert_eq!(
        session.server_info().await.unwrap().database.to_lowercase(),
        fx.database.to_lowercase()
    );
    session.close().await;
}

#[tokio::test]
async fn encrypt_required_against_a_server_without_tls_fails_clearly() {
    let fx = Fixture::on(
        WorkspaceServer::start_test_server(TlsMode::Off).await,
        "notls",
    )
    .await;
    let required = MssqlSettings {
        encrypt: Encrypt::Required,
        ..fx.server.mssql_settings()
    };
    match connect_with(&fx, required).await {
        Err(error @ EngineError::Tls { .. }) => {
            assert!(!error.is_transient());
            assert!(error.to_string().contains("does not offer TLS"), "{error}");
        }
        other => panic!("{:?}", other.err()),
    }

    // `on` means "TLS when offered": this server offers none.
    let on = MssqlSettings {
        encrypt: Encrypt::On,
        ..fx.server.mssql_settings()
    };
    let mut session = connect_with(&fx, on).await.unwrap();
    assert!(!session.server_info().await.unwrap().tls);
    session.close().await;
}

#[tokio::test]
async fn tls_is_checked_against_the_ca_file_unless_told_to_trust_any_certificate() {
    let fx = Fixture::on(
        WorkspaceServer::start_test_server(TlsMode::Supported).await,
        "tls",
    )
    .await;
    let server = fx.server.test_server().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let ca_file = dir.path().join("ca.pem");
    std::fs::write(&ca_file, server.ca_certificate_pem().unwrap()).unwrap();
    let base = MssqlSettings {
        encrypt: Encrypt::Required,
        ..fx.server.mssql_settings()
    };

    let mut session = connect_with(
        &fx,
        MssqlSettings {
            ca_file: Some(ca_file),
            ..base.clone()
        },
    )
    .await
    .unwrap();
    assert!(session.server_info().await.unwrap().tls);
    session.close().await;

    match connect_with(&fx, base.clone()).await {
        Err(error @ EngineError::Tls { .. }) => {
            assert!(error.to_string().contains("certificate"), "{error}");
            assert!(!error.is_transient());
        }
        other => panic!("an unknown CA must be refused: {:?}", other.err()),
    }

    let trusting = MssqlSettings {
        trust_server_certificate: true,
        ..base.clone()
    };
    let mut session = connect_with(&fx, trusting).await.unwrap();
    session.ping(Duration::from_secs(5)).await.unwrap();
    session.close().await;

    let mut session = connect_with(
        &fx,
        MssqlSettings {
            encrypt: Encrypt::Off,
            ..base
        },
    )
    .await
    .unwrap();
    session.ping(Duration::from_secs(5)).await.unwrap();
    session.close().await;
}

#[tokio::test]
async fn a_ca_file_of_another_server_is_not_trusted() {
    let fx = Fixture::on(
        WorkspaceServer::start_test_server(TlsMode::Required).await,
        "tls",
    )
    .await;
    let other = WorkspaceServer::start_test_server(TlsMode::Required).await;
    let dir = tempfile::tempdir().unwrap();
    let ca_file = dir.path().join("other-ca.pem");
    let pem = other.test_server().unwrap().ca_certificate_pem().unwrap();
    std::fs::write(&ca_file, pem).unwrap();
    let settings = MssqlSettings {
        encrypt: Encrypt::Required,
        ca_file: Some(ca_file),
        ..fx.server.mssql_settings()
    };
    match connect_with(&fx, settings).await {
        Err(error @ EngineError::Tls { .. }) => {
            assert!(error.to_string().contains("certificate"), "{error}");
            assert!(!error.is_transient());
        }
        other => panic!("another server's CA must be refused: {:?}", other.err()),
    }
}

#[tokio::test]
async fn an_azure_style_login_redirect_is_followed() {
    let gateway = WorkspaceServer::start_test_server(TlsMode::Off).await;
    let fx = Fixture::on(
        WorkspaceServer::start_test_server(TlsMode::Off).await,
        "routed",
    )
    .await;
    let gateway_server = gateway.test_server().unwrap();
    gateway_server.create_database(&fx.database).unwrap();
    gateway_server.route_logins(Scope::Server, fx.server.host(), fx.server.port());

    let engine = MssqlEngine::new(gateway.mssql_settings());
    let target = engine
        .resolve(&gateway.workspace("acme", &fx.database))
        .unwrap();
    let mut session = engine.connect(&target).await.unwrap();
    session.ping(Duration::from_secs(5)).await.unwrap();
    let behind = fx.server.test_server().unwrap().stats();
    assert_eq!(
        behind.database(&fx.database).live_connections,
        1,
        "the session lives behind the gateway"
    );
    assert_eq!(
        gateway_server
            .stats()
            .database(&fx.database)
            .live_connections,
        0
    );
    session.close().await;

    // A redirect loop ends with an error, not a hang.
    fx.server
        .test_server()
        .unwrap()
        .route_logins(Scope::Server, gateway.host(), gateway.port());
    match engine.connect(&target).await {
        Err(EngineError::Protocol { message }) => {
            assert!(message.contains("redirected"), "{message}")
        }
        other => panic!("{:?}", other.err()),
    }
}
