//! The protocol layer driven end to end by tiberius, over the scripted
//! stand-in engine in `script`: handshake, TLS modes, login answers,
//! parameters, multi-packet results, transactions, ATTENTION, routing,
//! faults, counters and shutdown. The same behaviours against the real SQL
//! engine are the crate's integration tests.

mod faults;
mod script;
mod tls;

use tiberius::{AuthMethod, Client, Config, EncryptionLevel};
use tokio::net::TcpStream;
use tokio_util::compat::{Compat, TokioAsyncWriteCompatExt};

use super::{Core, Scope, Settings, TlsMode};
use script::ScriptBackend;

type TestClient = Client<Compat<TcpStream>>;

async fn start(tls: TlsMode) -> Core<ScriptBackend> {
    let settings = Settings {
        bind: "127.0.0.1:0".parse().unwrap(),
        logins: vec![("sa".into(), "secret".into())],
        databases: vec!["acme".into(), "other".into()],
        tls,
        server_name: "unit".into(),
    };
    Core::start(settings, ScriptBackend::new()).await.unwrap()
}

fn config(core: &Core<ScriptBackend>, database: Option<&str>) -> Config {
    let mut config = Config::new();
    config.host("127.0.0.1");
    config.port(core.addr().port());
    config.authentication(AuthMethod::sql_server("sa", "secret"));
    config.encryption(EncryptionLevel::NotSupported);
    config.application_name("protocol-tests");
    if let Some(db) = database {
        config.database(db);
    }
    config
}

async fn connect(config: Config) -> tiberius::Result<TestClient> {
    let tcp = TcpStream::connect(config.get_addr()).await?;
    tcp.set_nodelay(true)?;
    Client::connect(config, tcp.compat_write()).await
}

async fn select_int(client: &mut TestClient, sql: &str) -> tiberius::Result<i32> {
    let row = client
        .simple_query(sql)
        .await?
        .into_row()
        .await?
        .expect("a row");
    Ok(row.get::<i32, _>(0).expect("an int"))
}

/// A batch's result sets; server errors may surface while sending or while
/// reading, depending on where in the response they are.
async fn batch(client: &mut TestClient, sql: &str) -> tiberius::Result<Vec<Vec<tiberius::Row>>> {
    client.simple_query(sql).await?.into_results().await
}

fn server_code(err: &tiberius::error::Error) -> Option<u32> {
    match err {
        tiberius::error::Error::Server(token) => Some(token.code()),
        _ => None,
    }
}

#[tokio::test]
async fn logs_in_and_runs_a_batch() {
    let core = start(TlsMode::Off).await;
    let mut client = connect(config(&core, Some("acme"))).await.unwrap();
    assert_eq!(select_int(&mut client, "SELECT 42").await.unwrap(), 42);
    let sessions = core.shared.backend.sessions.lock().unwrap().clone();
    assert_eq!(sessions.len(), 1);
    assert!(sessions[0].spid >= 51);
    assert_eq!(sessions[0].database, "acme");
    assert_eq!(sessions[0].login, "sa");
    assert_eq!(sessions[0].program, "protocol-tests");
}

#[tokio::test]
async fn a_login_without_database_lands_in_master() {
    let core = start(TlsMode::Off).await;
    let _client = connect(config(&core, None)).await.unwrap();
    let sessions = core.shared.backend.sessions.lock().unwrap().clone();
    assert_eq!(sessions[0].database, "master");
}

#[tokio::test]
async fn bad_logins_get_sql_server_errors() {
    let core = start(TlsMode::Off).await;
    let mut wrong_password = config(&core, Some("acme"));
    wrong_password.authentication(AuthMethod::sql_server("sa", "nope"));
    let mut unknown_user = config(&core, Some("acme"));
    unknown_user.authentication(AuthMethod::sql_server("nobody", "secret"));
    let cases = [
        (wrong_password, 18456),
        (unknown_user, 18456),
        (config(&core, Some("missing")), 4060),
    ];
    for (config, code) in cases {
        let err = connect(config).await.expect_err("login must fail");
        assert_eq!(server_code(&err), Some(code), "{err}");
    }
    assert_eq!(core.shared.counters.snapshot().failed_logins, 3);
}

#[tokio::test]
async fn parameters_round_trip_through_sp_executesql() {
    let core = start(TlsMode::Off).await;
    let mut client = connect(config(&core, Some("acme"))).await.unwrap();
    let long = "ü".repeat(5000);
    let at = chrono::NaiveDate::from_ymd_opt(2024, 2, 29)
        .unwrap()
        .and_hms_micro_opt(13, 14, 15, 123_456)
        .unwrap();
    let row = |rows: Vec<tiberius::Row>| rows.into_iter().next().expect("a row");
    let q = client.query("SELECT @P1", &[&7i64]).await.unwrap();
    assert_eq!(
        row(q.into_first_result().await.unwrap()).get::<i64, _>(0),
        Some(7)
    );
    let q = client.query("SELECT @P1", &[&"héllo"]).await.unwrap();
    assert_eq!(
        row(q.into_first_result().await.unwrap()).get::<&str, _>(0),
        Some("héllo")
    );
    let q = client.query("SELECT @P1", &[&long.as_str()]).await.unwrap();
    assert_eq!(
        row(q.into_first_result().await.unwrap()).get::<&str, _>(0),
        Some(long.as_str())
    );
    let q = client.query("SELECT @P1", &[&at]).await.unwrap();
    assert_eq!(
        row(q.into_first_result().await.unwrap()).get::<chrono::NaiveDateTime, _>(0),
        Some(at)
    );
    let q = client.query("SELECT @P1", &[&true]).await.unwrap();
    assert_eq!(
        row(q.into_first_result().await.unwrap()).get::<bool, _>(0),
        Some(true)
    );
    let q = client.query("SELECT @P1", &[&2.5f64]).await.unwrap();
    assert_eq!(
        row(q.into_first_result().await.unwrap()).get::<f64, _>(0),
        Some(2.5)
    );
    let bytes: &[u8] = &[1, 2, 3];
    let q = client.query("SELECT @P1", &[&bytes]).await.unwrap();
    assert_eq!(
        row(q.into_first_result().await.unwrap()).get::<&[u8], _>(0),
        Some(bytes)
    );
    let none: Option<i32> = None;
    let q = client.query("SELECT @P1", &[&none]).await.unwrap();
    assert_eq!(
        row(q.into_first_result().await.unwrap()).get::<i32, _>(0),
        None
    );
    let n = tiberius::numeric::Numeric::new_with_scale(-12345, 2);
    let q = client.query("SELECT @P1", &[&n]).await.unwrap();
    assert_eq!(
        row(q.into_first_result().await.unwrap()).get::<tiberius::numeric::Numeric, _>(0),
        Some(n)
    );
    let executed = client.execute("SELECT @P1", &[&1i32]).await.unwrap();
    assert_eq!(executed.rows_affected(), &[1]);
}

#[tokio::test]
async fn multi_statement_batches_yield_each_result_and_count() {
    let core = start(TlsMode::Off).await;
    let mut client = connect(config(&core, Some("acme"))).await.unwrap();
    let results = client
        .simple_query("SELECT 1; PRINT hello; SELECT 2")
        .await
        .unwrap()
        .into_results()
        .await
        .unwrap();
    let values: Vec<Option<i32>> = results.iter().map(|rs| rs[0].get(0)).collect();
    assert_eq!(values, vec![Some(1), Some(2)]);
    let executed = client
        .execute("SELECT 1; SELECT 2; ROWS 3", &[])
        .await
        .unwrap();
    assert_eq!(executed.rows_affected(), &[1, 1, 3]);
}

#[tokio::test]
async fn large_results_span_many_packets() {
    let core = start(TlsMode::Off).await;
    let mut client = connect(config(&core, Some("acme"))).await.unwrap();
    let rows = client
        .simple_query("ROWS 2000")
        .await
        .unwrap()
        .into_first_result()
        .await
        .unwrap();
    assert_eq!(rows.len(), 2000);
    assert_eq!(
        rows[1999].get::<&str, _>(0),
        Some(format!("{:0>100}", 1999).as_str())
    );
}

#[tokio::test]
async fn errors_carry_number_and_leave_the_session_usable() {
    let core = start(TlsMode::Off).await;
    let mut client = connect(config(&core, Some("acme"))).await.unwrap();
    let err = batch(&mut client, "FAIL 2627").await.unwrap_err();
    assert_eq!(server_code(&err), Some(2627));
    let err = client.execute("FAIL 547", &[]).await.unwrap_err();
    assert_eq!(server_code(&err), Some(547));
    assert_eq!(select_int(&mut client, "SELECT 3").await.unwrap(), 3);
}

#[tokio::test]
async fn transactions_by_batch_and_by_transaction_manager() {
    let core = start(TlsMode::Off).await;
    let mut client = connect(config(&core, Some("acme"))).await.unwrap();
    batch(&mut client, "BEGIN TRANSACTION").await.unwrap();
    // The client now sends the descriptor it was given; the server accepts it.
    assert_eq!(select_int(&mut client, "SELECT 5").await.unwrap(), 5);
    batch(&mut client, "ROLLBACK TRANSACTION").await.unwrap();
    client.begin_transaction().await.unwrap();
    client.commit_transaction().await.unwrap();
    client.begin_transaction().await.unwrap();
    client.rollback_transaction().await.unwrap();
    let err = client.commit_transaction().await.unwrap_err();
    assert_eq!(server_code(&err), Some(3902));
}

#[tokio::test]
async fn use_moves_the_per_database_counters() {
    let core = start(TlsMode::Off).await;
    let mut client = connect(config(&core, Some("acme"))).await.unwrap();
    batch(&mut client, "USE other").await.unwrap();
    let stats = core.shared.counters.snapshot();
    assert_eq!(stats.database("acme").live_connections, 0);
    assert_eq!(stats.database("other").live_connections, 1);
    assert_eq!(stats.database("acme").peak_connections, 1);
}

#[tokio::test]
async fn attention_cancels_a_running_batch() {
    let core = start(TlsMode::Off).await;
    let mut client = connect(config(&core, Some("acme"))).await.unwrap();
    batch(&mut client, "BEGIN TRANSACTION").await.unwrap();
    let batches = core.shared.counters.snapshot().batches;
    {
        let query = client.simple_query("WAITFOR DELAY '01:00:00'");
        tokio::pin!(query);
        tokio::select! {
            _ = &mut query => panic!("the wait must not finish"),
            () = core.shared.counters.wait_until(|s| s.batches > batches) => {}
        }
    }
    client.cancel_query().await.unwrap();
    // The scripted session rolled back on attention and said so: a COMMIT
    // now has no transaction to commit.
    let err = batch(&mut client, "COMMIT TRANSACTION").await.unwrap_err();
    assert_eq!(server_code(&err), Some(3902));
    assert_eq!(select_int(&mut client, "SELECT 9").await.unwrap(), 9);
    // An attention with nothing running is acknowledged too.
    client.cancel_query().await.unwrap();
    assert_eq!(select_int(&mut client, "SELECT 10").await.unwrap(), 10);
}

#[tokio::test]
async fn a_dropped_client_is_uncounted() {
    let core = start(TlsMode::Off).await;
    let client = connect(config(&core, Some("acme"))).await.unwrap();
    let stats = core.shared.counters.snapshot();
    assert_eq!((stats.live_connections, stats.logins), (1, 1));
    drop(client);
    core.shared
        .counters
        .wait_until(|s| s.live_connections == 0)
        .await;
    assert_eq!(
        core.shared
            .counters
            .snapshot()
            .database("acme")
            .live_connections,
        0
    );
}

#[tokio::test]
async fn routing_sends_the_client_elsewhere() {
    let core = start(TlsMode::Off).await;
    core.shared
        .set_route(Scope::database("acme"), "db-7.example".into(), 11433);
    let err = connect(config(&core, Some("acme")))
        .await
        .expect_err("routed");
    match err {
        tiberius::error::Error::Routing { host, port } => {
            assert_eq!((host.as_str(), port), ("db-7.example", 11433));
        }
        other => panic!("expected a routing answer, got {other}"),
    }
    // Other databases are not routed.
    connect(config(&core, Some("other"))).await.unwrap();
    core.shared.clear_routes();
    connect(config(&core, Some("acme"))).await.unwrap();
}

#[tokio::test]
async fn stop_closes_connections() {
    let core = start(TlsMode::Off).await;
    let mut client = connect(config(&core, Some("acme"))).await.unwrap();
    core.stop().await;
    assert!(select_int(&mut client, "SELECT 1").await.is_err());
    assert_eq!(core.shared.counters.snapshot().live_connections, 0);
    assert!(TcpStream::connect(core.addr()).await.is_err());
}
