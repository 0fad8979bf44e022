//! Connecting and logging in: success, the database a login lands in, and
//! the errors SQL Server answers bad logins with.

use crate::support::*;
use tiberius::AuthMethod;

#[tokio::test]
async fn connects_and_logs_in_to_the_named_database() {
    let server = start(&["acme"]).await;
    let mut client = connect(&server, "acme").await;
    assert_eq!(
        scalar_string(&mut client, "SELECT DB_NAME()")
            .await
            .unwrap()
            .as_deref(),
        Some("acme")
    );
    let spid = scalar_i32(&mut client, "SELECT @@SPID")
        .await
        .unwrap()
        .unwrap();
    assert!(spid >= 51, "spid {spid}");
    let stats = server.stats();
    assert_eq!((stats.live_connections, stats.logins), (1, 1));
    assert_eq!(stats.database("acme").live_connections, 1);
}

#[tokio::test]
async fn a_login_without_a_database_lands_in_master() {
    let server = start(&[]).await;
    let mut client = connect_with(config(&server, None)).await.unwrap();
    assert_eq!(
        scalar_string(&mut client, "SELECT DB_NAME()")
            .await
            .unwrap()
            .as_deref(),
        Some("master")
    );
}

#[tokio::test]
async fn wrong_password_is_error_18456() {
    let server = start(&["acme"]).await;
    let mut config = config(&server, Some("acme"));
    config.authentication(AuthMethod::sql_server(USER, "wrong"));
    let err = connect_with(config).await.expect_err("login fails");
    assert_eq!(server_code(&err), Some(18456), "{err}");
    match err {
        tiberius::error::Error::Server(token) => {
            assert_eq!(token.class(), 14);
            assert_eq!(token.message(), format!("Login failed for user '{USER}'."));
        }
        other => panic!("{other}"),
    }
    assert_eq!(server.stats().failed_logins, 1);
}

#[tokio::test]
async fn unknown_database_is_error_4060() {
    let server = start(&["acme"]).await;
    let err = connect_with(config(&server, Some("nope")))
        .await
        .expect_err("login fails");
    match err {
        tiberius::error::Error::Server(token) => {
            assert_eq!((token.code(), token.class()), (4060, 11));
            assert!(token.message().contains("\"nope\""), "{}", token.message());
        }
        other => panic!("expected error 4060, got {other}"),
    }
}

#[tokio::test]
async fn logins_and_databases_can_be_added_while_running() {
    let server = start(&[]).await;
    server.create_login("late", "pw");
    server.create_database("later").unwrap();
    assert!(server.has_database("later"));
    let mut config = config(&server, Some("later"));
    config.authentication(AuthMethod::sql_server("late", "pw"));
    let mut client = connect_with(config).await.unwrap();
    assert_eq!(
        scalar_string(&mut client, "SELECT DB_NAME()")
            .await
            .unwrap()
            .as_deref(),
        Some("later")
    );
    assert!(server.create_database("later").is_err());
}

#[tokio::test]
async fn routing_answers_logins_with_another_address() {
    let server = start(&["acme"]).await;
    server.route_logins(
        tds_test_server::Scope::database("acme"),
        "replica.example",
        14333,
    );
    match connect_with(config(&server, Some("acme")))
        .await
        .expect_err("routed")
    {
        tiberius::error::Error::Routing { host, port } => {
            assert_eq!((host.as_str(), port), ("replica.example", 14333));
        }
        other => panic!("expected a routing answer, got {other}"),
    }
    server.clear_routes();
    connect(&server, "acme").await;
}

#[tokio::test]
async fn stop_closes_connections_and_the_listener() {
    let server = start(&["acme"]).await;
    let mut client = connect(&server, "acme").await;
    server.stop().await;
    assert!(batch(&mut client, "SELECT 1").await.is_err());
    assert_eq!(server.stats().live_connections, 0);
    assert!(tokio::net::TcpStream::connect(server.addr()).await.is_err());
}

#[tokio::test]
async fn create_database_over_tds_then_log_in_to_it() {
    let server = start(&[]).await;
    let mut admin = connect_with(config(&server, None)).await.unwrap();
    batch(&mut admin, "CREATE DATABASE tenant_42")
        .await
        .unwrap();
    assert!(server.has_database("tenant_42"));
    let err = batch(&mut admin, "CREATE DATABASE tenant_42")
        .await
        .unwrap_err();
    assert_eq!(server_code(&err), Some(1801), "{err}");
    let mut tenant = connect(&server, "tenant_42").await;
    assert_eq!(
        scalar_string(&mut tenant, "SELECT DB_NAME()")
            .await
            .unwrap()
            .as_deref(),
        Some("tenant_42")
    );
}

#[tokio::test]
async fn the_session_knows_who_logged_in() {
    let server = start(&["acme"]).await;
    let mut client = connect(&server, "acme").await;
    let row = client
        .simple_query(
            "SELECT login_name, program_name, host_name FROM sys.dm_exec_sessions WHERE session_id = @@SPID",
        )
        .await
        .unwrap()
        .into_row()
        .await
        .unwrap()
        .expect("our own session");
    assert_eq!(row.get::<&str, _>(0), Some(USER));
    assert_eq!(row.get::<&str, _>(1), Some("tds-test-server-tests"));
    assert!(row.get::<&str, _>(2).is_some_and(|host| !host.is_empty()));
}
