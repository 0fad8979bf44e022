//! System views and catalog functions.

use crate::sql::testkit::{Replies, info, ok, session, text};
use crate::sql::{SqlType, Value};

#[tokio::test]
async fn catalog_views_describe_user_objects() {
    let (_catalog, mut s) = session();
    ok(&mut s, "CREATE TABLE t (id INT IDENTITY PRIMARY KEY, name NVARCHAR(30) NOT NULL, amount DECIMAL(9,2))").await;
    let r = ok(&mut s, "SELECT t.name, s.name, t.type, t.type_desc FROM sys.tables t JOIN sys.schemas s ON s.schema_id = t.schema_id").await;
    assert_eq!(
        r.rows(),
        vec![vec![text("t"), text("dbo"), text("U"), text("USER_TABLE")]]
    );
    let r = ok(&mut s, "SELECT name, column_id, max_length, is_nullable, is_identity FROM sys.columns WHERE object_id = OBJECT_ID('t') ORDER BY column_id").await;
    assert_eq!(
        r.rows(),
        vec![
            vec![
                text("id"),
                Value::Int(1),
                Value::SmallInt(4),
                Value::Bit(false),
                Value::Bit(true)
            ],
            vec![
                text("name"),
                Value::Int(2),
                Value::SmallInt(60),
                Value::Bit(false),
                Value::Bit(false)
            ],
            vec![
                text("amount"),
                Value::Int(3),
                Value::SmallInt(17),
                Value::Bit(true),
                Value::Bit(false)
            ],
        ]
    );
    let r = ok(&mut s, "SELECT COLUMN_NAME, DATA_TYPE, CHARACTER_MAXIMUM_LENGTH, IS_NULLABLE FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_NAME = 't' AND COLUMN_NAME = 'name'").await;
    assert_eq!(
        r.rows(),
        vec![vec![
            text("name"),
            text("nvarchar"),
            Value::Int(30),
            text("NO")
        ]]
    );
    let r = ok(&mut s, "SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = 'dbo' AND TABLE_TYPE = 'BASE TABLE'").await;
    assert_eq!(r.scalar(), Value::Int(1));
    let r = ok(
        &mut s,
        "SELECT type FROM sys.objects WHERE parent_object_id = OBJECT_ID('t')",
    )
    .await;
    assert_eq!(r.rows(), vec![vec![text("PK")]]);
    let r = ok(
        &mut s,
        "SELECT COL_LENGTH('dbo.t', 'name'), COL_LENGTH('t', 'nope'), OBJECT_NAME(OBJECT_ID('t'))",
    )
    .await;
    assert_eq!(
        r.rows(),
        vec![vec![Value::SmallInt(60), Value::Null, text("t")]]
    );
    let r = s.execute("SELECT nope FROM sys.tables", &[]).await;
    assert_eq!(r.error_numbers(), [207]);
    let r = s.execute("DELETE FROM sys.tables", &[]).await;
    assert_eq!(r.error_numbers(), [259]);
}

#[tokio::test]
async fn server_views_show_databases_and_sessions() {
    let (catalog, mut s) = session();
    catalog.create_database("zeta").unwrap();
    let _other = catalog.open_session(info(60, "zeta")).unwrap();
    let r = ok(
        &mut s,
        "SELECT name, database_id FROM sys.databases ORDER BY database_id",
    )
    .await;
    assert_eq!(
        r.rows(),
        vec![
            vec![text("master"), Value::Int(1)],
            vec![text("app"), Value::Int(5)],
            vec![text("zeta"), Value::Int(6)]
        ]
    );
    let r = ok(&mut s, "SELECT session_id, login_name, host_name, program_name, DB_NAME(database_id), status FROM sys.dm_exec_sessions ORDER BY session_id").await;
    let (columns, rows) = r.result_sets()[0];
    assert_eq!(columns[0].ty, SqlType::SmallInt);
    assert_eq!(rows.len(), 2);
    assert_eq!(
        rows[0],
        vec![
            Value::SmallInt(51),
            text("tester"),
            text("test-host"),
            text("unit-tests"),
            text("app"),
            text("running")
        ]
    );
    assert_eq!(rows[1][0], Value::SmallInt(60));
    let r = ok(
        &mut s,
        "SELECT @@SPID, SUSER_SNAME(), HOST_NAME(), APP_NAME(), USER_NAME()",
    )
    .await;
    assert_eq!(
        r.rows(),
        vec![vec![
            Value::SmallInt(51),
            text("tester"),
            text("test-host"),
            text("unit-tests"),
            text("dbo")
        ]]
    );
    let r = ok(&mut s, "SELECT SERVERPROPERTY('EngineEdition'), CAST(SERVERPROPERTY('Edition') AS NVARCHAR(128)), IS_MEMBER('db_owner')").await;
    assert_eq!(
        r.rows(),
        vec![vec![
            Value::Int(3),
            text("Developer Edition (64-bit)"),
            Value::Int(1)
        ]]
    );
}

#[tokio::test]
async fn date_functions_compute_in_rust() {
    let (_catalog, mut s) = session();
    let r = ok(&mut s, "SELECT DATEADD(day, 1, '2024-02-28'), DATEDIFF(month, '2024-01-31', '2024-02-01'), YEAR('2024-05-06'), DATEPART(hour, '2024-05-06 07:08:09')").await;
    let next = chrono::NaiveDate::from_ymd_opt(2024, 2, 29)
        .unwrap()
        .and_hms_opt(0, 0, 0)
        .unwrap();
    assert_eq!(
        r.rows(),
        vec![vec![
            Value::DateTime2(next),
            Value::Int(1),
            Value::Int(2024),
            Value::Int(7)
        ]]
    );
    let r = ok(&mut s, "SELECT GETUTCDATE(), SYSDATETIME(), NEWID()").await;
    let row = &r.rows()[0];
    assert!(matches!(row[0], Value::DateTime2(_)) && matches!(row[1], Value::DateTime2(_)));
    assert!(matches!(&row[2], Value::NVarChar(g) if g.len() == 36));
}
