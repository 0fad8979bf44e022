//! Everything the measurements run against, built before any clock starts:
//! the in-process TDS test server holding every workspace database, the
//! control database with the `workspaces` table, and a wsdb project (a
//! temporary folder with wsdb.toml, the generated migrations and their
//! `wsdb.sum`, and wsdb's ledger schema already created).
//!
//! Databases: `ws_00001`... are the fleet wsdb sees (the first
//! `knobs.workspaces` selected at first, all of them for the memory run);
//! `base_00001`... are fresh copies for the migrate baseline, so both start
//! from empty databases.

use std::path::PathBuf;

use tds_test_server::Server;
use tempfile::TempDir;

use crate::baseline::Target;
use crate::child::Wsdb;
use crate::control::{ControlDb, WORKSPACES_QUERY};
use crate::knobs::Knobs;
use crate::migrations;

/// The variable wsdb.toml's `control_url` comes from.
pub const CONTROL_URL_VAR: &str = "WSDB_BENCH_CONTROL_URL";
const USER: &str = "wsdb";
const PASSWORD: &str = "bench";
const HOST: &str = "127.0.0.1";

pub struct Fixture {
    pub server: Server,
    pub control: ControlDb,
    pub wsdb: Wsdb,
    /// The databases of the selected fleet (`ws_...`), in id order.
    pub fleet: Vec<String>,
    /// Fresh databases for the migrate baseline (`base_...`).
    pub baseline_fleet: Vec<String>,
    _project: TempDir,
}

impl Fixture {
    /// `pg_url`: a PostgreSQL URL whose user may create databases.
    pub async fn build(knobs: &Knobs, pg_url: &str) -> Result<Fixture, String> {
        let everyone = names("ws", knobs.status_workspaces);
        let baseline_fleet = names("base", knobs.workspaces);
        let server = Server::builder()
            .host(HOST.parse().map_err(|e| format!("{e}"))?)
            .login(USER, PASSWORD)
            .databases(everyone.iter().chain(&baseline_fleet).cloned())
            .start()
            .await
            .map_err(|e| format!("start the TDS test server: {e}"))?;
        let control = ControlDb::create(pg_url).await?;
        let built = Self::project(knobs, &server, &control).await;
        let (project, wsdb) = match built {
            Ok(parts) => parts,
            Err(error) => {
                control.drop().await?;
                return Err(error);
            }
        };
        let fleet = everyone.into_iter().take(knobs.workspaces).collect();
        Ok(Fixture {
            server,
            control,
            wsdb,
            fleet,
            baseline_fleet,
            _project: project,
        })
    }

    async fn project(
        knobs: &Knobs,
        server: &Server,
        control: &ControlDb,
    ) -> Result<(TempDir, Wsdb), String> {
        control
            .register(
                HOST,
                server.port(),
                knobs.status_workspaces,
                knobs.workspaces,
            )
            .await?;
        let project = tempfile::tempdir().map_err(|e| e.to_string())?;
        let migrations = migrations::generate(knobs.migrations);
        migrations::write(&migrations, &project.path().join("migrations"))
            .map_err(|e| format!("write the migrations: {e}"))?;
        std::fs::write(project.path().join("wsdb.toml"), config(knobs))
            .map_err(|e| format!("write wsdb.toml: {e}"))?;
        let wsdb = Wsdb {
            binary: PathBuf::from(env!("CARGO_BIN_EXE_wsdb")),
            project: project.path().to_owned(),
            env: vec![
                (CONTROL_URL_VAR.into(), control.url().to_owned()),
                ("WSDB_BENCH_MSSQL_PASSWORD".into(), PASSWORD.into()),
            ],
        };
        wsdb.run(&["hash"]).await?;
        wsdb.run(&["control", "init"]).await?;
        Ok((project, wsdb))
    }

    /// How the baselines reach the workspace databases.
    /// The override that points wsdb at the control database without TLS.
    pub fn control_without_tls(&self) -> [(String, String); 1] {
        [(CONTROL_URL_VAR.to_owned(), self.control.url_without_tls())]
    }

    pub fn target(&self) -> Target {
        Target {
            host: HOST.to_owned(),
            port: self.server.port(),
            user: USER.to_owned(),
            password: PASSWORD.to_owned(),
        }
    }

    /// Stops the server and drops the control database.
    pub async fn tear_down(self) -> Result<(), String> {
        self.server.stop().await;
        let name = self.control.name.clone();
        self.control
            .drop()
            .await
            .map_err(|e| format!("drop the control database `{name}`: {e}"))
    }
}

/// `prefix_00001` ... `prefix_<count>`, as the control table names them.
fn names(prefix: &str, count: usize) -> Vec<String> {
    (1..=count).map(|n| format!("{prefix}_{n:05}")).collect()
}

fn config(knobs: &Knobs) -> String {
    format!(
        r#"default_env = "bench"
migrations = "migrations"

[env.bench]
control_url = "${{WSDB_BENCH_CONTROL_URL}}"
workspaces = '''{WORKSPACES_QUERY}'''

[env.bench.mssql]
user = "{USER}"
password = "${{WSDB_BENCH_MSSQL_PASSWORD}}"
encrypt = "off"
application_name = "wsdb-bench"

[env.bench.run]
concurrency = {}
"#,
        knobs.concurrency
    )
}
