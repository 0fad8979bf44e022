//! The control database of the bench: a uniquely named PostgreSQL database
//! on the server `scripts/ensure-postgres` found, holding the `workspaces`
//! table wsdb's query reads. Created at the start, dropped at the end
//! (`drop` must be called: a bench that fails midway says which database
//! it left behind).

use sqlx::{AssertSqlSafe, Connection, Executor, PgConnection};
use url::Url;

/// wsdb's `workspaces` query for the bench project.
pub const WORKSPACES_QUERY: &str =
    "SELECT id, host, port, database FROM workspaces WHERE active ORDER BY id";

pub struct ControlDb {
    pub name: String,
    admin_url: Url,
    url: Url,
}

impl ControlDb {
    /// Creates `wsdb_bench_<pid>_<random>` next to `admin_url`'s database.
    pub async fn create(admin_url: &str) -> Result<ControlDb, String> {
        let admin_url = Url::parse(admin_url).map_err(|e| format!("control URL: {e}"))?;
        // Only [a-z0-9_], so it is safe to splice into DDL.
        let name = format!(
            "wsdb_bench_{}_{:08x}",
            std::process::id(),
            rand::random::<u32>()
        );
        admin(&admin_url, &format!("CREATE DATABASE {name}")).await?;
        let mut url = admin_url.clone();
        url.set_path(&name);
        Ok(ControlDb {
            name,
            admin_url,
            url,
        })
    }

    /// The URL wsdb gets as `control_url` (through the environment).
    pub fn url(&self) -> &str {
        self.url.as_str()
    }

    /// The same URL with `sslmode=disable`: for the figure that leaves out
    /// the TLS handshake to the control database.
    pub fn url_without_tls(&self) -> String {
        let mut url = self.url.clone();
        let kept: Vec<(String, String)> = url
            .query_pairs()
            .filter(|(key, _)| key != "sslmode")
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        url.query_pairs_mut()
            .clear()
            .extend_pairs(kept)
            .append_pair("sslmode", "disable");
        url.to_string()
    }

    /// Registers `total` workspaces `ws_00001`... on `host:port`, database
    /// named like the id; only the first `active` are selected by the query.
    pub async fn register(
        &self,
        host: &str,
        port: u16,
        total: usize,
        active: usize,
    ) -> Result<(), String> {
        let mut connection = self.connect().await?;
        connection
            .execute(
                "CREATE TABLE workspaces (id text PRIMARY KEY, host text NOT NULL, \
                 port integer NOT NULL, database text NOT NULL, active boolean NOT NULL)",
            )
            .await
            .map_err(|e| format!("create the workspaces table: {e}"))?;
        sqlx::query(
            "INSERT INTO workspaces (id, host, port, database, active) \
             SELECT 'ws_' || lpad(n::text, 5, '0'), $1, $2, 'ws_' || lpad(n::text, 5, '0'), n <= $3 \
             FROM generate_series(1, $4) AS n",
        )
        .bind(host)
        .bind(i32::from(port))
        .bind(i64::try_from(active).map_err(|e| e.to_string())?)
        .bind(i64::try_from(total).map_err(|e| e.to_string())?)
        .execute(&mut connection)
        .await
        .map_err(|e| format!("register the workspaces: {e}"))?;
        connection.close().await.map_err(|e| e.to_string())
    }

    /// Makes the query select every registered workspace.
    pub async fn activate_all(&self) -> Result<(), String> {
        let mut connection = self.connect().await?;
        connection
            .execute("UPDATE workspaces SET active = true")
            .await
            .map_err(|e| format!("activate the workspaces: {e}"))?;
        connection.close().await.map_err(|e| e.to_string())
    }

    pub async fn drop(self) -> Result<(), String> {
        admin(
            &self.admin_url,
            &format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name),
        )
        .await
    }

    async fn connect(&self) -> Result<PgConnection, String> {
        PgConnection::connect(self.url.as_str())
            .await
            .map_err(|e| format!("connect to `{}`: {e}", self.name))
    }
}

async fn admin(url: &Url, statement: &str) -> Result<(), String> {
    let mut connection = PgConnection::connect(url.as_str())
        .await
        .map_err(|e| format!("connect to the control PostgreSQL: {e}"))?;
    connection
        .execute(AssertSqlSafe(statement.to_owned()))
        .await
        .map_err(|e| format!("`{statement}`: {e}"))?;
    connection.close().await.map_err(|e| e.to_string())
}
