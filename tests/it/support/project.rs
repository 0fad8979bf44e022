//! A wsdb project for command-level integration tests: a temporary folder
//! with `wsdb.toml` and `migrations/`, a control database (PostgreSQL) with
//! a `workspaces` table, workspace databases on a [`WorkspaceServer`], and a
//! runner for the real `wsdb` binary.
//!
//! Every command run through [`Project::wsdb`] is checked for the secret
//! canary: the login password and the control URL's password may appear in
//! no stdout and no stderr, whatever the command and its verbosity. A failed
//! expectation prints the command, its exit code, stdout and stderr in one
//! block (just's test style), so a failure explains itself.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use sqlx::{Executor, Row};
use tempfile::TempDir;
use tiberius::Client;
use tokio::net::TcpStream;
use tokio_util::compat::Compat;

use super::postgres::TestDb;
use super::workspace_server::WorkspaceServer;

/// The `workspaces` query every test project uses.
pub const WORKSPACES_QUERY: &str =
    r#"SELECT id, host, port, database, grp AS "group" FROM workspaces WHERE active ORDER BY id"#;

pub struct Project {
    pub dir: TempDir,
    pub control: TestDb,
    pub server: Arc<WorkspaceServer>,
    /// `(section, key, TOML value)` written into `[env.test.<section>]`.
    settings: Vec<(String, String, String)>,
    /// The env's `workspaces` query ([`WORKSPACES_QUERY`] unless changed).
    workspaces_query: String,
    workspaces: Vec<(String, String)>,
    /// Workspaces registered on a server other than `server`
    /// ([`Project::add_workspace_on`]), by id.
    elsewhere: Vec<(String, Arc<WorkspaceServer>)>,
}

/// What one `wsdb` run did.
#[derive(Debug, Clone)]
pub struct Run {
    pub command: String,
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Project {
    /// An empty project (no migrations, no workspaces) on `server`.
    pub async fn new(server: Arc<WorkspaceServer>) -> Project {
        let control = TestDb::create().await;
        let mut connection = control.connection().await;
        connection
            .execute(
                "CREATE TABLE workspaces (
                     id text, host text, port integer, database text, grp text,
                     active boolean NOT NULL DEFAULT true)",
            )
            .await
            .expect("create the workspaces table");
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir(dir.path().join("migrations")).expect("migrations dir");
        let project = Project {
            dir,
            control,
            server,
            settings: Vec::new(),
            workspaces_query: WORKSPACES_QUERY.to_owned(),
            workspaces: Vec::new(),
            elsewhere: Vec::new(),
        };
        project.write_config();
        project.wsdb(&["hash"]).run().await.expect_code(0);
        project
    }

    /// A project on a fresh server of its own (`WSDB_TEST_MSSQL_URL` or the
    /// TDS test server).
    pub async fn start() -> Project {
        Project::new(Arc::new(WorkspaceServer::start().await)).await
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn migrations_dir(&self) -> PathBuf {
        self.dir.path().join("migrations")
    }

    /// Sets `[env.test.<section>] key = value` (value in TOML syntax, e.g.
    /// `"\"2s\""` or `"4"`) and rewrites wsdb.toml.
    pub fn set(&mut self, section: &str, key: &str, value: &str) {
        self.settings
            .retain(|(s, k, _)| !(s == section && k == key));
        self.settings
            .push((section.to_owned(), key.to_owned(), value.to_owned()));
        self.write_config();
    }

    /// Replaces the env's `workspaces` query (e.g. to return more columns
    /// of a `workspaces` table the test extended) and rewrites wsdb.toml.
    pub fn set_workspaces_query(&mut self, query: &str) {
        query.clone_into(&mut self.workspaces_query);
        self.write_config();
    }

    fn write_config(&self) {
        let mssql = self.server.mssql_settings();
        let mut sections: Vec<(&str, Vec<(String, String)>)> = vec![
            (
                "mssql",
                vec![
                    (
                        "user".into(),
                        format!("{:?}", mssql.user.clone().unwrap_or_default()),
                    ),
                    ("password".into(), "\"${WSDB_TEST_MSSQL_PASSWORD}\"".into()),
                    ("encrypt".into(), format!("{:?}", mssql.encrypt.as_str())),
                    (
                        "trust_server_certificate".into(),
                        mssql.trust_server_certificate.to_string(),
                    ),
                    ("application_name".into(), "\"wsdb-it\"".into()),
                    ("connect_timeout".into(), "\"5s\"".into()),
                    ("statement_timeout".into(), "\"60s\"".into()),
                ],
            ),
            ("pool", vec![]),
            (
                "retry",
                vec![
                    ("initial_backoff".into(), "\"20ms\"".into()),
                    ("max_backoff".into(), "\"200ms\"".into()),
                    ("max_attempts".into(), "2".into()),
                ],
            ),
            (
                "run",
                vec![
                    ("concurrency".into(), "8".into()),
                    ("lock_timeout".into(), "\"5s\"".into()),
                ],
            ),
        ];
        for (section, key, value) in &self.settings {
            let Some((_, entries)) = sections.iter_mut().find(|(s, _)| s == section) else {
                panic!("unknown section `{section}` in a test setting");
            };
            entries.retain(|(k, _)| k != key);
            entries.push((key.clone(), value.clone()));
        }
        let mut toml = format!(
            "default_env = \"test\"\nmigrations = \"migrations\"\n\n[env.test]\ncontrol_url = \"${{WSDB_TEST_CONTROL_URL}}\"\nworkspaces = '''{}'''\n",
            self.workspaces_query
        );
        for (section, entries) in sections {
            let _ = writeln!(toml, "\n[env.test.{section}]");
            for (key, value) in entries {
                let _ = writeln!(toml, "{key} = {value}");
            }
        }
        std::fs::write(self.dir.path().join("wsdb.toml"), toml).expect("write wsdb.toml");
    }

    /// Creates a database for workspace `id` and registers it.
    pub async fn add_workspace(&mut self, id: &str) -> String {
        let database = self.server.create_database("ws").await;
        self.insert_row(
            Some(id),
            Some(&self.server.host()),
            Some(i64::from(self.server.port())),
            Some(&database),
            None,
        )
        .await;
        self.workspaces.push((id.to_owned(), database.clone()));
        database
    }

    /// Registers workspace `id` on a database that does not exist yet (for
    /// `provision`); dropped with the others on a real server if created.
    pub async fn add_missing_workspace(&mut self, id: &str) -> String {
        self.add_missing_workspace_named(id, "prov").await
    }

    /// Like [`add_missing_workspace`](Self::add_missing_workspace), with a
    /// database name that starts with `prefix` (any text: hostile names).
    pub async fn add_missing_workspace_named(&mut self, id: &str, prefix: &str) -> String {
        let database = self.server.unused_database_name(prefix);
        self.insert_row(
            Some(id),
            Some(&self.server.host()),
            Some(i64::from(self.server.port())),
            Some(&database),
            None,
        )
        .await;
        self.workspaces.push((id.to_owned(), database.clone()));
        database
    }

    /// Creates a database for workspace `id` on another `server` (several
    /// SQL Server hosts in one fleet) and registers it. Every server must
    /// accept the project's login: true of test servers, which share one.
    /// The inspection helpers (`history`, `execute`, ...) follow the
    /// workspace to its server.
    pub async fn add_workspace_on(&mut self, server: &Arc<WorkspaceServer>, id: &str) -> String {
        let database = server.create_database("ws").await;
        self.insert_row(
            Some(id),
            Some(&server.host()),
            Some(i64::from(server.port())),
            Some(&database),
            None,
        )
        .await;
        self.workspaces.push((id.to_owned(), database.clone()));
        self.elsewhere.push((id.to_owned(), Arc::clone(server)));
        database
    }

    /// The server workspace `id` lives on.
    pub fn server_of(&self, id: &str) -> &WorkspaceServer {
        self.elsewhere
            .iter()
            .find(|(w, _)| w == id)
            .map_or(&*self.server, |(_, server)| &**server)
    }

    /// Holds workspace `id`'s wsdb lock (`sp_getapplock` on resource `wsdb`,
    /// session owner, as another run would) until the returned connection
    /// is dropped or closed.
    pub async fn hold_lock(&self, id: &str) -> Client<Compat<TcpStream>> {
        let mut client = self.server_of(id).client(self.database(id)).await;
        let row = client
            .simple_query(
                "DECLARE @result INT; EXEC @result = sp_getapplock @Resource = N'wsdb', \
                 @LockMode = 'Exclusive', @LockOwner = 'Session', @LockTimeout = 0; \
                 SELECT @result AS result;",
            )
            .await
            .expect("sp_getapplock")
            .into_row()
            .await
            .expect("sp_getapplock result")
            .expect("a result row");
        let result: i32 = row.get(0).expect("an INT result");
        assert!(result >= 0, "sp_getapplock returned {result}");
        client
    }

    /// `n` workspaces named `<prefix>-000` .. (ids sort in creation order).
    pub async fn add_workspaces(&mut self, prefix: &str, n: usize) -> Vec<String> {
        let mut ids = Vec::with_capacity(n);
        for i in 0..n {
            let id = format!("{prefix}-{i:03}");
            self.add_workspace(&id).await;
            ids.push(id);
        }
        ids
    }

    /// Like [`add_workspaces`](Self::add_workspaces), registering all rows
    /// with one statement: for fleets of hundreds (a new PostgreSQL
    /// connection per row costs about 0.1 s on a busy machine).
    pub async fn add_many_workspaces(&mut self, prefix: &str, n: usize) -> Vec<String> {
        let mut ids = Vec::with_capacity(n);
        let mut databases = Vec::with_capacity(n);
        for i in 0..n {
            ids.push(format!("{prefix}-{i:03}"));
            databases.push(self.server.create_database("ws").await);
        }
        let mut connection = self.control.connection().await;
        sqlx::query(
            "INSERT INTO workspaces (id, host, port, database)
             SELECT w.id, $3, $4, w.database FROM unnest($1::text[], $2::text[]) AS w(id, database)",
        )
        .bind(&ids)
        .bind(&databases)
        .bind(self.server.host())
        .bind(i32::from(self.server.port()))
        .execute(&mut connection)
        .await
        .expect("insert the workspace rows");
        self.workspaces
            .extend(ids.iter().cloned().zip(databases.iter().cloned()));
        ids
    }

    /// Inserts a raw row (for bad, hostile or unreachable workspaces).
    pub async fn insert_row(
        &self,
        id: Option<&str>,
        host: Option<&str>,
        port: Option<i64>,
        database: Option<&str>,
        group: Option<&str>,
    ) {
        let mut connection = self.control.connection().await;
        sqlx::query(
            "INSERT INTO workspaces (id, host, port, database, grp) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(id)
        .bind(host)
        .bind(port)
        .bind(database)
        .bind(group)
        .execute(&mut connection)
        .await
        .expect("insert a workspace row");
    }

    /// Puts workspace `id` in `group`.
    pub async fn set_group(&self, id: &str, group: &str) {
        let mut connection = self.control.connection().await;
        sqlx::query("UPDATE workspaces SET grp = $2 WHERE id = $1")
            .bind(id)
            .bind(group)
            .execute(&mut connection)
            .await
            .expect("set group");
    }

    /// The database of workspace `id`.
    pub fn database(&self, id: &str) -> &str {
        self.workspaces
            .iter()
            .find(|(w, _)| w == id)
            .map(|(_, d)| d.as_str())
            .unwrap_or_else(|| panic!("no workspace `{id}` in this project"))
    }

    /// A migration `<version>_<name>` that creates table `dbo.<name>`
    /// (one `id` column) and has no down script.
    pub async fn table_migration(&self, version: u64, name: &str) {
        let up = format!("CREATE TABLE dbo.{name} (id INT NOT NULL);\n");
        self.migration(version, name, &up, None).await;
    }

    /// Writes `<version>_<name>.up.sql` (and `.down.sql`), then `wsdb hash`.
    pub async fn migration(&self, version: u64, name: &str, up: &str, down: Option<&str>) {
        self.write_migration(version, name, up, down);
        self.wsdb(&["hash"]).run().await.expect_code(0);
    }

    /// Writes the files without rehashing (to test a stale wsdb.sum).
    pub fn write_migration(&self, version: u64, name: &str, up: &str, down: Option<&str>) {
        let dir = self.migrations_dir();
        std::fs::write(dir.join(format!("{version:04}_{name}.up.sql")), up).expect("write up");
        if let Some(down) = down {
            std::fs::write(dir.join(format!("{version:04}_{name}.down.sql")), down)
                .expect("write down");
        }
    }

    /// `wsdb <args>` in the project folder.
    pub fn wsdb(&self, args: &[&str]) -> Wsdb {
        let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_wsdb"));
        command
            .current_dir(self.dir.path())
            .args(args)
            .env_remove("WSDB_ENV")
            .env_remove("WSDB_CONFIG")
            .env_remove("RUST_LOG")
            .env("NO_COLOR", "1")
            .env("WSDB_TEST_CONTROL_URL", self.control.url().expose())
            .env("WSDB_TEST_MSSQL_PASSWORD", self.server.password())
            .kill_on_drop(true);
        Wsdb {
            command,
            shown: format!("wsdb {}", args.join(" ")),
            secrets: self.secrets(),
        }
    }

    /// Values that must never be printed.
    pub fn secrets(&self) -> Vec<String> {
        let mut secrets = vec![self.server.password()];
        if let Ok(url) = url::Url::parse(self.control.url().expose())
            && let Some(password) = url.password().filter(|p| !p.is_empty())
        {
            secrets.push(password.to_owned());
        }
        secrets
    }

    /// A scalar from a workspace database, read behind wsdb's back.
    pub async fn scalar_i64(&self, id: &str, sql: &str) -> Option<i64> {
        let mut client = self.server_of(id).client(self.database(id)).await;
        let row = client
            .simple_query(sql)
            .await
            .expect("query")
            .into_row()
            .await
            .expect("row");
        row.and_then(|row| {
            row.try_get::<i64, _>(0)
                .ok()
                .flatten()
                .or_else(|| row.try_get::<i32, _>(0).ok().flatten().map(i64::from))
        })
    }

    /// Whether table `name` (e.g. `dbo.t`) exists in workspace `id`.
    pub async fn table_exists(&self, id: &str, name: &str) -> bool {
        let sql = format!("SELECT OBJECT_ID(N'{}', N'U')", name.replace('\'', "''"));
        self.scalar_i64(id, &sql).await.is_some()
    }

    /// `(version, success)` rows of workspace `id`'s history (empty: no table).
    pub async fn history(&self, id: &str) -> Vec<(i64, bool)> {
        if !self.table_exists(id, "dbo.wsdb_history").await {
            return Vec::new();
        }
        let mut client = self.server_of(id).client(self.database(id)).await;
        let rows = client
            .simple_query("SELECT version, success FROM dbo.wsdb_history ORDER BY version")
            .await
            .expect("query history")
            .into_first_result()
            .await
            .expect("history rows");
        rows.iter()
            .map(|row| {
                (
                    row.get::<i64, _>(0).unwrap_or(0),
                    row.get::<bool, _>(1).unwrap_or(false),
                )
            })
            .collect()
    }

    /// The first column of every row of a query in workspace `id`, as
    /// integers (e.g. an ordered log a migration wrote).
    pub async fn column_i64(&self, id: &str, sql: &str) -> Vec<i64> {
        let mut client = self.server_of(id).client(self.database(id)).await;
        let rows = client
            .simple_query(sql)
            .await
            .expect("query")
            .into_first_result()
            .await
            .expect("rows");
        rows.iter()
            .map(|row| {
                row.try_get::<i64, _>(0)
                    .ok()
                    .flatten()
                    .or_else(|| row.try_get::<i32, _>(0).ok().flatten().map(i64::from))
                    .expect("an integer column")
            })
            .collect()
    }

    /// Runs a batch in workspace `id` behind wsdb's back.
    pub async fn execute(&self, id: &str, sql: &str) {
        let mut client = self.server_of(id).client(self.database(id)).await;
        client
            .simple_query(sql)
            .await
            .expect("run batch")
            .into_results()
            .await
            .expect("batch results");
    }

    /// Rows of a query on the control database, as strings.
    pub async fn control_rows(&self, sql: &str) -> Vec<Vec<Option<String>>> {
        let mut connection = self.control.connection().await;
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql.to_owned()))
            .fetch_all(&mut connection)
            .await
            .expect("control query");
        rows.iter()
            .map(|row| {
                (0..row.len())
                    .map(|i| row.try_get::<Option<String>, _>(i).ok().flatten())
                    .collect()
            })
            .collect()
    }
}

pub struct Wsdb {
    command: tokio::process::Command,
    shown: String,
    secrets: Vec<String>,
}

impl Wsdb {
    pub fn env(mut self, key: &str, value: &str) -> Wsdb {
        self.command.env(key, value);
        self
    }

    /// Runs to completion and checks the secret canary.
    pub async fn run(mut self) -> Run {
        let output = self.command.output().await.expect("run the wsdb binary");
        let run = Run {
            command: self.shown,
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        };
        check_secrets(&run, &self.secrets);
        run
    }

    /// Starts the process and returns it (for SIGKILL and concurrency tests).
    pub fn spawn(mut self) -> tokio::process::Child {
        self.command
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("spawn the wsdb binary")
    }

    /// Starts the process in the background; [`Running::finish`] waits for
    /// it and checks the secret canary like [`Wsdb::run`]. For several
    /// runners at once and for SIGKILL tests (`Running::pid`, `kill`).
    pub fn start(self) -> Running {
        let (shown, secrets) = (self.shown.clone(), self.secrets.clone());
        Running {
            child: self.spawn(),
            shown,
            secrets,
        }
    }
}

/// A `wsdb` process started with [`Wsdb::start`].
pub struct Running {
    child: tokio::process::Child,
    shown: String,
    secrets: Vec<String>,
}

impl Running {
    /// The process id (runner ids in the ledger end with `/<pid>`).
    pub fn pid(&self) -> u32 {
        self.child
            .id()
            .expect("the process has not been waited for")
    }

    /// SIGKILL: the process dies without any cleanup of its own.
    pub async fn kill(&mut self) {
        self.child.kill().await.expect("kill the wsdb process");
    }

    /// SIGTERM (what Kubernetes sends a pod it stops; wsdb treats it like
    /// Ctrl-C), through the system's `kill` command.
    pub async fn terminate(&self) {
        let status = tokio::process::Command::new("kill")
            .args(["-TERM", &self.pid().to_string()])
            .status()
            .await
            .expect("run `kill -TERM`");
        assert!(status.success(), "`kill -TERM {}` failed", self.pid());
    }

    /// Waits for the process to end and checks the secret canary.
    pub async fn finish(self) -> Run {
        let output = self
            .child
            .wait_with_output()
            .await
            .expect("wait for the wsdb binary");
        let run = Run {
            command: self.shown,
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        };
        check_secrets(&run, &self.secrets);
        run
    }
}

/// Panics when any of `secrets` appears in the run's output.
fn check_secrets(run: &Run, secrets: &[String]) {
    for secret in secrets {
        assert!(
            !run.stdout.contains(secret.as_str()) && !run.stderr.contains(secret.as_str()),
            "a secret leaked into the output of `{}`:\n{run}",
            run.command
        );
    }
}

impl Run {
    /// Panics with the whole run when the exit code is not `code`.
    #[track_caller]
    pub fn expect_code(&self, code: i32) -> &Run {
        assert_eq!(
            self.code, code,
            "unexpected exit code of `{}`:\n{self}",
            self.command
        );
        self
    }

    /// Panics with the whole run unless stdout or stderr contains `text`.
    #[track_caller]
    pub fn expect_output(&self, text: &str) -> &Run {
        assert!(
            self.stdout.contains(text) || self.stderr.contains(text),
            "`{}` did not print {text:?}:\n{self}",
            self.command
        );
        self
    }

    /// stdout parsed as one JSON document.
    #[track_caller]
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout of `{}` is not JSON ({e}):\n{self}", self.command))
    }

    /// The `workspaces` entries of a JSON run document, by workspace id.
    pub fn statuses(&self) -> std::collections::BTreeMap<String, String> {
        let document = self.json();
        document["workspaces"]
            .as_array()
            .map(|lines| {
                lines
                    .iter()
                    .map(|l| {
                        (
                            l["workspace"].as_str().unwrap_or_default().to_owned(),
                            l["status"].as_str().unwrap_or_default().to_owned(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default()
    }
}

impl std::fmt::Display for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "--- command: {}\n--- exit code: {}",
            self.command, self.code
        )?;
        writeln!(f, "--- stdout:\n{}", self.stdout)?;
        write!(f, "--- stderr:\n{}", self.stderr)
    }
}
