//! Migrations as wsdb's own examples and fixtures write them, batch by
//! batch (wsdb splits on GO before the server sees anything), up and down.

use crate::sql::Value;
use crate::sql::testkit::{Replies, ok, session, text};

/// The demo's migrations (examples/demo), up then down, split on GO.
const DEMO_UP: &[&str] = &[
    "-- The first schema every workspace gets: its customers.\nCREATE TABLE dbo.customers (\n    id INT IDENTITY(1,1) NOT NULL PRIMARY KEY,\n    name NVARCHAR(200) NOT NULL,\n    email NVARCHAR(320) NULL,\n    created_at DATETIME2 NOT NULL DEFAULT SYSUTCDATETIME()\n);\n",
    "CREATE INDEX ix_customers_email ON dbo.customers (email);",
    "CREATE TABLE dbo.invoices (\n    id BIGINT IDENTITY(1,1) NOT NULL PRIMARY KEY,\n    customer_id INT NOT NULL REFERENCES dbo.customers (id),\n    amount DECIMAL(12, 2) NOT NULL,\n    issued_at DATETIME2 NOT NULL DEFAULT SYSUTCDATETIME(),\n    paid BIT NOT NULL DEFAULT 0\n);\n",
    "CREATE INDEX ix_invoices_customer ON dbo.invoices (customer_id);",
    "-- CREATE VIEW must be the only statement in its batch.\nCREATE VIEW dbo.open_invoices AS\nSELECT i.id, i.customer_id, i.amount, i.issued_at\nFROM dbo.invoices AS i\nWHERE i.paid = 0;\n",
    "-- A named default constraint, so that the down migration can drop it by name.\nALTER TABLE dbo.customers\n    ADD [plan] NVARCHAR(20) NOT NULL CONSTRAINT df_customers_plan DEFAULT N'free';\n",
];

const DEMO_DOWN: &[&str] = &[
    "ALTER TABLE dbo.customers DROP CONSTRAINT df_customers_plan;\nALTER TABLE dbo.customers DROP COLUMN [plan];\n",
    "DROP VIEW dbo.open_invoices;",
    "DROP TABLE dbo.invoices;",
    "DROP TABLE dbo.customers;",
];

#[tokio::test]
async fn the_demo_migrations_go_up_and_down_in_transactions() {
    let (_catalog, mut s) = session();
    ok(&mut s, "SET XACT_ABORT ON; BEGIN TRANSACTION;").await;
    for batch in &DEMO_UP[..2] {
        ok(&mut s, batch).await;
    }
    ok(&mut s, "COMMIT TRANSACTION").await;
    ok(
        &mut s,
        "INSERT INTO dbo.customers (name, email) VALUES (N'Ada', N'ada@example.com')",
    )
    .await;
    for batch in &DEMO_UP[2..] {
        ok(&mut s, "SET XACT_ABORT ON; BEGIN TRANSACTION;").await;
        ok(&mut s, batch).await;
        ok(&mut s, "COMMIT TRANSACTION").await;
    }
    let r = ok(&mut s, "INSERT INTO dbo.invoices (customer_id, amount) VALUES (1, 12.5); SELECT c.name, c.[plan], i.amount, i.paid FROM dbo.customers c JOIN dbo.invoices i ON i.customer_id = c.id").await;
    assert_eq!(
        r.rows(),
        vec![vec![
            text("Ada"),
            text("free"),
            Value::Decimal {
                unscaled: 1250,
                precision: 12,
                scale: 2
            },
            Value::Bit(false)
        ]]
    );
    let r = s.execute("DROP TABLE dbo.customers", &[]).await;
    assert_eq!(
        r.error_numbers(),
        [3726],
        "invoices still reference customers"
    );
    ok(&mut s, "DELETE FROM dbo.invoices").await;
    for batch in DEMO_DOWN {
        ok(&mut s, "SET XACT_ABORT ON; BEGIN TRANSACTION;").await;
        ok(&mut s, batch).await;
        ok(&mut s, "COMMIT TRANSACTION").await;
    }
    let r = ok(&mut s, "SELECT COUNT(*) FROM sys.objects").await;
    assert_eq!(r.scalar(), Value::Int(0), "nothing is left behind");
}

#[tokio::test]
async fn a_failing_migration_leaves_nothing_behind() {
    let (_catalog, mut s) = session();
    ok(&mut s, "SET XACT_ABORT ON; BEGIN TRANSACTION;").await;
    ok(&mut s, DEMO_UP[0]).await;
    let r = s
        .execute("CREATE INDEX ix ON dbo.customers (nope)", &[])
        .await;
    assert_eq!(r.error_numbers(), [1911]);
    assert!(!s.in_transaction(), "XACT_ABORT rolled the migration back");
    let r = ok(&mut s, "SELECT OBJECT_ID(N'dbo.customers', N'U')").await;
    assert_eq!(r.scalar(), Value::Null);
}

#[tokio::test]
async fn the_fixture_migrations_with_procedures_and_no_transaction_options() {
    let (catalog, mut s) = session();
    let batches = [
        "\u{feff}-- Accounts and their invoices.\nCREATE TABLE dbo.accounts (\n    id INT NOT NULL PRIMARY KEY,\n    name NVARCHAR(200) NOT NULL\n);\n",
        "CREATE TABLE dbo.invoices (\n    id INT NOT NULL PRIMARY KEY,\n    account_id INT NOT NULL REFERENCES dbo.accounts (id),\n    note NVARCHAR(100) NULL DEFAULT N'it''s\nGO\nnot a separator'\n);\n",
        "-- wsdb:timeout=5m\n-- Procedures must start their batch.\nCREATE OR ALTER PROCEDURE dbo.invoice_total @account_id INT\nAS\n    SELECT COUNT(*) FROM dbo.invoices WHERE account_id = @account_id;\n",
        "/* A second procedure.\nGO\n(still a comment) */\nCREATE PROCEDURE dbo.[invoice]]s_all]\nAS\n    SELECT dbo.invoices.id, dbo.invoices.note FROM dbo.invoices;\n",
        "INSERT INTO dbo.accounts (id, name)\nSELECT COALESCE(MAX(id), 0) + 1, N'seed' FROM dbo.accounts;\n",
        "INSERT INTO dbo.accounts (id, name)\nSELECT COALESCE(MAX(id), 0) + 1, N'seed' FROM dbo.accounts;\n",
    ];
    for batch in batches {
        ok(&mut s, batch).await;
    }
    let r = ok(&mut s, "SELECT MAX(id), COUNT(*) FROM dbo.accounts; INSERT INTO dbo.invoices (id, account_id) VALUES (1, 2); SELECT note FROM dbo.invoices").await;
    assert_eq!(r.result_sets()[0].1[0], vec![Value::Int(2), Value::Int(2)]);
    assert_eq!(r.scalar(), text("it's\nGO\nnot a separator"));
    let r = ok(&mut s, "SELECT name FROM sys.procedures ORDER BY name").await;
    assert_eq!(
        r.rows(),
        vec![vec![text("invoice]s_all")], vec![text("invoice_total")]]
    );
    let r = s
        .execute(
            "BEGIN TRAN; ALTER DATABASE CURRENT SET READ_COMMITTED_SNAPSHOT ON;",
            &[],
        )
        .await;
    assert_eq!(r.error_numbers(), [226]);
    assert_eq!(
        r.errors()[0].message,
        "ALTER DATABASE statement not allowed within multi-statement transaction."
    );
    ok(&mut s, "ROLLBACK").await;
    ok(
        &mut s,
        "-- wsdb:no-transaction\nALTER DATABASE CURRENT SET READ_COMMITTED_SNAPSHOT ON;",
    )
    .await;
    let r = ok(
        &mut s,
        "SELECT is_read_committed_snapshot_on FROM sys.databases WHERE name = DB_NAME()",
    )
    .await;
    assert_eq!(r.scalar(), Value::Bit(true));
    ok(
        &mut s,
        "ALTER DATABASE [app] SET READ_COMMITTED_SNAPSHOT OFF WITH ROLLBACK IMMEDIATE",
    )
    .await;
    assert_eq!(catalog.database_names().len(), 2);
    let r = s
        .execute("ALTER DATABASE CURRENT SET SINGLE_USER", &[])
        .await;
    assert_eq!(r.error_numbers(), [crate::sql::NOT_SUPPORTED_ERROR]);
    for batch in [
        "DROP PROCEDURE dbo.[invoice]]s_all];",
        "DROP PROCEDURE dbo.invoice_total;",
        "DROP TABLE dbo.invoices;",
        "DROP TABLE dbo.accounts;",
    ] {
        ok(&mut s, batch).await;
    }
}
