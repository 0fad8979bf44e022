//! The suite-wide ledger check of the secret canary: every row of every
//! table of wsdb's schema in a test's control database, read as text, must
//! hold no test password. [`TestDb`](super::postgres::TestDb) runs it when
//! a test's database is dropped, so every test that let wsdb write a
//! ledger is checked, not only the ones about secrets.

use sqlx::{AssertSqlSafe, PgConnection};

/// The passwords no ledger row may hold: the test server's canary, and the
/// password of `WSDB_TEST_MSSQL_URL` when a real server is in use.
pub fn suite_secrets() -> Vec<String> {
    let mut secrets = vec![super::CANARY_PASSWORD.to_owned()];
    if let Ok(text) = std::env::var("WSDB_TEST_MSSQL_URL")
        && let Ok(url) = url::Url::parse(&text)
        && let Some(password) = url.password().filter(|p| !p.is_empty())
    {
        secrets.push(super::workspace_server::percent_decode(password));
    }
    secrets
}

/// `(table, rows)` of wsdb's tables with rows that contain one of
/// `secrets` anywhere in their text form (every column).
pub async fn tables_holding(
    connection: &mut PgConnection,
    secrets: &[String],
) -> Result<Vec<(String, i64)>, sqlx::Error> {
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT table_name::text FROM information_schema.tables \
         WHERE table_schema = 'wsdb' AND table_type = 'BASE TABLE' ORDER BY 1",
    )
    .fetch_all(&mut *connection)
    .await?;
    let mut holding = Vec::new();
    for table in tables {
        let quoted = format!("\"{}\"", table.replace('"', "\"\""));
        let rows: i64 = sqlx::query_scalar(AssertSqlSafe(format!(
            "SELECT count(*) FROM wsdb.{quoted} t \
             WHERE EXISTS (SELECT 1 FROM unnest($1::text[]) s WHERE strpos(t::text, s) > 0)"
        )))
        .bind(secrets)
        .fetch_one(&mut *connection)
        .await?;
        if rows > 0 {
            holding.push((table, rows));
        }
    }
    Ok(holding)
}
