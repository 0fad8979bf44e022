//! The env's `workspaces` query run against PostgreSQL: required columns,
//! column types, per-row problems, hostile data, id types and scale.

use sqlx::Executor;
use wsdb::config::Encrypt;
use wsdb::control::{ControlError, RejectedRow, RowProblem};
use wsdb::workspace::{Location, Workspace};

use crate::support::postgres::TestDb;

fn ids(workspaces: &[Workspace]) -> Vec<&str> {
    workspaces.iter().map(|w| w.id.as_str()).collect()
}

#[tokio::test]
async fn a_missing_column_lists_the_columns_the_query_returned() {
    let db = TestDb::create().await;
    let control = db.control().await;
    let error = control
        .fetch_workspaces("SELECT 1 AS id, 'h' AS host, 'x' AS region")
        .await
        .err();
    match error {
        Some(ControlError::MissingColumns { missing, returned }) => {
            assert_eq!(missing, ["port", "database"]);
            assert_eq!(returned, ["id", "host", "region"]);
        }
        other => panic!("expected MissingColumns, got {other:?}"),
    }
    // Even with no rows at all the columns are checked.
    let error = control
        .fetch_workspaces("SELECT 1 AS tenant WHERE false")
        .await
        .err();
    assert!(
        matches!(error, Some(ControlError::MissingColumns { .. })),
        "{error:?}"
    );
}

#[tokio::test]
async fn each_row_problem_rejects_only_its_row() {
    let db = TestDb::create().await;
    let control = db.control().await;
    let query = "SELECT * FROM (VALUES
        ('ok',    'db1', 1433,  'ws_ok', NULL,       NULL),
        (NULL,    'db1', 1433,  'ws',    NULL,       NULL),
        ('nohost', NULL, 1433,  'ws',    NULL,       NULL),
        ('nodb',  'db1', 1433,  NULL,    NULL,       NULL),
        ('noport','db1', NULL,  'ws',    NULL,       NULL),
        ('port0', 'db1', 0,     'ws',    NULL,       NULL),
        ('portbig','db1', 70000, 'ws',   NULL,       NULL),
        ('ok',    'db2', 1433,  'ws_dup', NULL,      NULL),
        ('enc',   'db1', 1433,  'ws',    NULL,       'maybe'),
        ('emptycs', NULL, NULL, NULL,    '',         NULL),
        ('both',  'db1', 1433,  'ws',    'Server=x', NULL),
        ('none',  NULL,  NULL,  NULL,    NULL,       NULL),
        ('cs',    NULL,  NULL,  NULL,    'Server=tcp:db3,1433;Password=p;', 'on')
    ) AS t(id, host, port, database, connection_string, encrypt)";
    let rows = control.fetch_workspaces(query).await.expect("query runs");
    assert_eq!(ids(&rows.workspaces), ["ok", "cs"]);
    let expected = [
        (2, None, RowProblem::NullValue { column: "id" }),
        (3, Some("nohost"), RowProblem::NullValue { column: "host" }),
        (
            4,
            Some("nodb"),
            RowProblem::NullValue { column: "database" },
        ),
        (5, Some("noport"), RowProblem::NullValue { column: "port" }),
        (6, Some("port0"), RowProblem::PortOutOfRange { found: 0 }),
        (
            7,
            Some("portbig"),
            RowProblem::PortOutOfRange { found: 70_000 },
        ),
        (8, Some("ok"), RowProblem::DuplicateId { first_index: 1 }),
        (
            9,
            Some("enc"),
            RowProblem::BadEncrypt {
                found: "maybe".into(),
            },
        ),
        (
            10,
            Some("emptycs"),
            RowProblem::EmptyValue {
                column: "connection_string",
            },
        ),
        (11, Some("both"), RowProblem::BothLocations),
        (12, Some("none"), RowProblem::NoLocation),
    ];
    let expected: Vec<RejectedRow> = expected
        .into_iter()
        .map(|(index, id, problem)| RejectedRow {
            index,
            id: id.map(str::to_owned),
            problem,
        })
        .collect();
    assert_eq!(rows.rejected, expected);
    // The kept duplicate is the first one.
    match &rows.workspaces[0].location {
        Location::Parts {
            host,
            port,
            database,
        } => {
            assert_eq!(
                (host.as_str(), *port, database.as_str()),
                ("db1", 1433, "ws_ok")
            );
        }
        other => panic!("expected parts, got {other:?}"),
    }
    // The connection string is kept whole, and never shown.
    let cs = &rows.workspaces[1];
    assert_eq!(cs.encrypt, Some(Encrypt::On));
    match &cs.location {
        Location::ConnectionString(secret) => {
            assert_eq!(secret.expose(), "Server=tcp:db3,1433;Password=p;");
        }
        other => panic!("expected a connection string, got {other:?}"),
    }
    assert!(!format!("{cs:?}").contains("Password=p"));
}

#[tokio::test]
async fn a_text_port_is_parsed_per_row() {
    let db = TestDb::create().await;
    let control = db.control().await;
    let query = "SELECT * FROM (VALUES ('a', 'h', '1433', 'd'), ('b', 'h', 'abc', 'd'))
                 AS t(id, host, port, database)";
    let rows = control.fetch_workspaces(query).await.expect("query runs");
    assert_eq!(ids(&rows.workspaces), ["a"]);
    assert_eq!(rows.rejected.len(), 1);
    assert_eq!(
        rows.rejected[0].problem,
        RowProblem::PortNotInteger {
            found: "abc".into()
        }
    );
}

#[tokio::test]
async fn hostile_values_flow_through_as_data() {
    let db = TestDb::create().await;
    let mut setup = db.connection().await;
    setup
        .execute("CREATE TABLE tenants (id text, host text, port int, db text, grp text)")
        .await
        .expect("create table");
    let long = "x".repeat(10_000);
    let hostile = [
        "o'brien",
        "'; DROP TABLE tenants; --",
        "[dbo].[x]",
        "a;b;c",
        "\"quoted\"",
        "日本語-тенант-🚀",
        "line\nbreak",
        "\u{202e}rtl",
        long.as_str(),
    ];
    for value in hostile {
        sqlx::query("INSERT INTO tenants VALUES ($1, $1, 1433, $1, $1)")
            .bind(value)
            .execute(&mut setup)
            .await
            .expect("insert");
    }
    let control = db.control().await;
    let rows = control
        .fetch_workspaces(r#"SELECT id, host, port, db AS database, grp AS "group" FROM tenants"#)
        .await
        .expect("query runs");
    assert!(rows.rejected.is_empty(), "{:?}", rows.rejected);
    assert_eq!(ids(&rows.workspaces), hostile);
    for workspace in &rows.workspaces {
        assert_eq!(workspace.group.as_deref(), Some(workspace.id.as_str()));
        match &workspace.location {
            Location::Parts { host, database, .. } => {
                assert_eq!(host, workspace.id.as_str());
                assert_eq!(database, workspace.id.as_str());
            }
            other => panic!("expected parts, got {other:?}"),
        }
    }
    // The table is still there: the values were data, never SQL.
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM tenants")
        .fetch_one(&mut setup)
        .await
        .expect("count");
    assert_eq!(count, 9);
}

#[tokio::test]
async fn ten_thousand_workspaces() {
    let db = TestDb::create().await;
    let control = db.control().await;
    let rows = control
        .fetch_workspaces(
            "SELECT g AS id, 'sql' || (g % 7) AS host, 1433 AS port, 'ws_' || g AS database
             FROM generate_series(1, 10000) AS g ORDER BY g",
        )
        .await
        .expect("query runs");
    assert!(rows.rejected.is_empty());
    assert_eq!(rows.workspaces.len(), 10_000);
    assert_eq!(rows.workspaces[0].id.as_str(), "1");
    assert_eq!(rows.workspaces[9_999].id.as_str(), "10000");
}

#[tokio::test]
async fn integer_text_and_uuid_ids() {
    let db = TestDb::create().await;
    let control = db.control().await;
    let cases = [
        ("7::int2", "7"),
        ("-70000::int4", "-70000"),
        ("9007199254740993::int8", "9007199254740993"),
        ("'acme'::text", "acme"),
        ("'acme'::varchar(10)", "acme"),
        // char(n) pads with spaces that mean nothing.
        ("'acme'::char(10)", "acme"),
        (
            "'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid",
            "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11",
        ),
    ];
    for (expression, expected) in cases {
        let query = format!("SELECT {expression} AS id, 'Server=x' AS connection_string");
        let rows = control.fetch_workspaces(&query).await.expect(expression);
        assert_eq!(ids(&rows.workspaces), [expected], "{expression}");
    }
}

#[tokio::test]
async fn a_column_of_an_unreadable_type_is_named() {
    let db = TestDb::create().await;
    let control = db.control().await;
    let error = control
        .fetch_workspaces("SELECT 1.5::numeric AS id, 'Server=x' AS connection_string")
        .await
        .err();
    match error {
        Some(ControlError::ColumnType { column, found, .. }) => {
            assert_eq!((column.as_str(), found.as_str()), ("id", "numeric"));
        }
        other => panic!("expected ColumnType, got {other:?}"),
    }
}

#[tokio::test]
async fn a_broken_query_is_reported_with_the_server_message() {
    let db = TestDb::create().await;
    let control = db.control().await;
    let error = control
        .fetch_workspaces("SELECT id FROM no_such_table")
        .await
        .err();
    match error {
        Some(ControlError::WorkspacesQuery { cause }) => {
            assert!(cause.contains("no_such_table"), "{cause}");
            assert!(cause.contains("42P01"), "{cause}");
        }
        other => panic!("expected WorkspacesQuery, got {other:?}"),
    }
}

#[tokio::test]
async fn the_query_cannot_write() {
    let db = TestDb::create().await;
    let mut setup = db.connection().await;
    setup
        .execute(
            "CREATE TABLE tenants (id int, cs text); INSERT INTO tenants VALUES (1, 'Server=x')",
        )
        .await
        .expect("setup");
    let control = db.control().await;
    let error = control
        .fetch_workspaces("DELETE FROM tenants RETURNING id, cs AS connection_string")
        .await
        .err();
    match error {
        Some(ControlError::WorkspacesQuery { cause }) => {
            assert!(cause.contains("read-only"), "{cause}");
        }
        other => panic!("expected WorkspacesQuery, got {other:?}"),
    }
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM tenants")
        .fetch_one(&mut setup)
        .await
        .expect("count");
    assert_eq!(count, 1);
}

#[tokio::test]
async fn a_query_as_people_write_it_in_toml() {
    let db = TestDb::create().await;
    let control = db.control().await;
    let query = "
        -- active tenants only
        SELECT 1 AS id, 'sql1' AS host, 1433 AS port, 'ws_1' AS database; ";
    let rows = control.fetch_workspaces(query).await.expect("query runs");
    assert_eq!(ids(&rows.workspaces), ["1"]);
    // Two statements cannot be prepared as one: a clear query error.
    let error = control
        .fetch_workspaces("SELECT 1 AS id; SELECT 2 AS id")
        .await
        .err();
    assert!(
        matches!(error, Some(ControlError::WorkspacesQuery { .. })),
        "{error:?}"
    );
}
