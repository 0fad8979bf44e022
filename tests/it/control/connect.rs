//! Connecting to the control database: failures name the server and the
//! cause without the password, TLS follows `sslmode`, and the statement
//! timeout reaches every control connection (including the user's query).

use std::time::Duration;

use wsdb::config::Secret;
use wsdb::control::{ControlDb, ControlError, ControlOptions};

use crate::support::postgres::TestDb;

/// `db`'s URL with `password` set and `path` as the database.
fn variant(db: &TestDb, password: &str, path: &str, query: Option<&str>) -> Secret<String> {
    let mut url = url::Url::parse(db.url().expose()).expect("test URL");
    url.set_password(Some(password))
        .expect("URL takes a password");
    url.set_path(path);
    url.set_query(query);
    Secret::new(url.to_string())
}

#[tokio::test]
async fn a_missing_database_is_named_without_the_password() {
    let db = TestDb::create().await;
    let url = variant(&db, "s3cr3t-pw", "no_such_database_here", None);
    let error = ControlDb::connect(&url, &ControlOptions::default())
        .await
        .err();
    match &error {
        Some(ControlError::Connect { port, cause, .. }) => {
            assert!(*port > 0);
            assert!(cause.contains("no_such_database_here"), "{cause}");
        }
        other => panic!("expected Connect, got {other:?}"),
    }
    let text = error.map(|e| e.to_string()).unwrap_or_default();
    assert!(
        text.starts_with("cannot reach the control database at `"),
        "{text}"
    );
    assert!(!text.contains("s3cr3t-pw"), "{text}");
}

#[tokio::test]
async fn tls_follows_sslmode() {
    let db = TestDb::create().await;
    let mut admin = db.connection().await;
    let server_ssl: String = sqlx::query_scalar("SHOW ssl")
        .fetch_one(&mut admin)
        .await
        .expect("show ssl");
    let url = variant(&db, "", db_path(&db).as_str(), Some("sslmode=require"));
    let connected = ControlDb::connect(&url, &ControlOptions::default()).await;
    if server_ssl != "on" {
        // Without TLS on the server, `require` must refuse to go on in clear.
        assert!(
            matches!(connected, Err(ControlError::Connect { .. })),
            "{connected:?}"
        );
        return;
    }
    let control = connected.expect("connect with sslmode=require");
    let rows = control
        .fetch_workspaces(
            "SELECT ssl::text AS id, 'Server=x' AS connection_string
             FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
        )
        .await
        .expect("query");
    let seen: Vec<&str> = rows.workspaces.iter().map(|w| w.id.as_str()).collect();
    assert_eq!(seen, ["true"]);
}

fn db_path(db: &TestDb) -> String {
    url::Url::parse(db.url().expose())
        .map(|u| u.path().to_owned())
        .unwrap_or_default()
}

#[tokio::test]
async fn the_statement_timeout_bounds_the_workspaces_query() {
    let db = TestDb::create().await;
    let options = ControlOptions {
        statement_timeout: Duration::from_millis(1500),
        ..ControlOptions::default()
    };
    let control = ControlDb::connect(&db.url(), &options)
        .await
        .expect("connect");
    let rows = control
        .fetch_workspaces(
            "SELECT current_setting('statement_timeout') AS id, 'Server=x' AS connection_string",
        )
        .await
        .expect("query");
    assert_eq!(rows.workspaces[0].id.as_str(), "1500ms");

    let quick = ControlOptions {
        statement_timeout: Duration::from_millis(50),
        ..ControlOptions::default()
    };
    let control = ControlDb::connect(&db.url(), &quick)
        .await
        .expect("connect");
    let error = control
        .fetch_workspaces("SELECT 1 AS id, 'Server=x' AS connection_string FROM pg_sleep(60)")
        .await
        .err();
    match error {
        Some(ControlError::WorkspacesQuery { cause }) => {
            assert!(cause.contains("57014"), "{cause}");
        }
        other => panic!("expected a cancelled query, got {other:?}"),
    }
}
