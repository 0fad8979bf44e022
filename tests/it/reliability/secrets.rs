//! Secrets: the canary password (the login password of every test
//! workspace, see `support::CANARY_PASSWORD`) appears in no ledger row and
//! no log line, including when a login fails, a connection string carries
//! it, or a control URL holding it is wrong. stdout and stderr (where `-vv`
//! and `RUST_LOG=trace` logs go) are checked by the project's runner for
//! every command; this file adds the runs that handle the password in odd
//! places, at `-vv`, `-vvv` and `RUST_LOG=trace`, and then reads every row
//! of every table of wsdb's schema in the control database (which
//! `support::ledger_canary` also does for every test's control database).

use sqlx::Executor;

use super::fleet;
use crate::support::project::{Project, Run};
use crate::support::workspace_server::closed_port;

/// The query of this test's fleet: workspaces by parts or by connection
/// string, some with their own login.
const QUERY: &str = r#"SELECT id, host, port, database, grp AS "group", usr AS "user", conn AS connection_string FROM workspaces WHERE active ORDER BY id"#;

/// The ways of asking for wsdb's most verbose logs: its own debug logs,
/// and every crate's trace logs (the drivers' included).
const VERBOSITIES: [(&[&str], Option<&str>); 3] =
    [(&["-vv"], None), (&["-vvv"], None), (&[], Some("trace"))];

#[tokio::test]
async fn the_canary_password_reaches_no_ledger_row_and_no_log() {
    let mut project = Project::start().await;
    let canary = project.server.password();
    let mut control = project.control.connection().await;
    control
        .execute("ALTER TABLE workspaces ADD COLUMN usr text, ADD COLUMN conn text")
        .await
        .expect("extend the workspaces table");
    project.set_workspaces_query(QUERY);
    let good = project.add_workspaces("good", 3).await;
    // A login that does not exist: the canary password goes out and fails.
    project.add_workspace("wrong-login").await;
    sqlx::query("UPDATE workspaces SET usr = 'no_such_login' WHERE id = 'wrong-login'")
        .execute(&mut control)
        .await
        .expect("set the login");
    // Connection strings holding the canary: unreachable, and malformed.
    let unreachable = format!(
        "Server=tcp:127.0.0.1,{};Database=x;User Id=wsdb;Password={canary};Connect Timeout=2",
        closed_port()
    );
    let malformed = format!("Server=127.0.0.1;Password={canary};Port=abc;No Such Key=1");
    for (id, conn) in [
        ("conn-unreachable", unreachable),
        ("conn-malformed", malformed),
    ] {
        sqlx::query("INSERT INTO workspaces (id, conn) VALUES ($1, $2)")
            .bind(id)
            .bind(conn)
            .execute(&mut control)
            .await
            .expect("insert a connection-string row");
    }
    fleet::write_migrations(&project, 2, std::time::Duration::ZERO).await;
    let mut runs = 0;

    let mut logged = [false; VERBOSITIES.len()];
    for (verbosity, (args, rust_log)) in VERBOSITIES.into_iter().enumerate() {
        for command in [
            &["workspaces"][..],
            &["status", "--all"],
            &["migrate", "--all"],
            &["history", "-w", "good-000"],
            &["runs"],
            &["check"],
        ] {
            let run = run_verbosely(&project, args, rust_log, command, None).await;
            runs += 1;
            assert!(run.code == 0 || run.code == 1, "{run}");
            logged[verbosity] |= has_logs(&run);
        }
    }

    // Control URLs that hold the canary, or a password whose characters a
    // URL must escape: no output may hold either, raw or escaped.
    for password in [canary.as_str(), URL_SPECIAL_PASSWORD] {
        let forms = [password.to_owned(), userinfo_escaped(password)];
        for (control_url, codes) in control_urls(&project, password) {
            for (verbosity, (args, rust_log)) in VERBOSITIES.into_iter().enumerate() {
                let command = ["migrate", "--all"];
                let run =
                    run_verbosely(&project, args, rust_log, &command, Some(&control_url)).await;
                runs += 1;
                assert!(codes.contains(&run.code), "expected {codes:?}:\n{run}");
                for form in &forms {
                    assert!(
                        !run.stdout.contains(form.as_str()) && !run.stderr.contains(form.as_str()),
                        "the control URL's password leaked as {form:?}:\n{run}"
                    );
                }
                logged[verbosity] |= has_logs(&run);
            }
        }
    }

    // The checked stderr did hold logs at every verbosity.
    assert_eq!(
        logged,
        [true; VERBOSITIES.len()],
        "verbosities without logs"
    );

    let (tables, rows, text) = ledger_text(&project).await;
    assert!(
        !text.contains(&canary),
        "the canary password is in the ledger:\n{}",
        text.lines()
            .filter(|line| line.contains(&canary))
            .collect::<Vec<_>>()
            .join("\n")
    );
    for form in [
        URL_SPECIAL_PASSWORD.to_owned(),
        userinfo_escaped(URL_SPECIAL_PASSWORD),
    ] {
        assert!(!text.contains(&form), "{form:?} is in the ledger");
    }
    // The ledger did record the failures whose messages were checked.
    for id in ["wrong-login", "conn-unreachable", "conn-malformed"] {
        assert!(text.contains(id), "no ledger row for `{id}`");
    }
    for id in &good {
        assert!(text.contains(id.as_str()), "no ledger row for `{id}`");
    }
    eprintln!(
        "secrets: {runs} runs at -vv, -vvv and RUST_LOG=trace, {tables} ledger tables, {rows} rows read, canary found 0 times"
    );
}

/// `wsdb <args> <command>` with `RUST_LOG=<rust_log>` (if any) and the
/// control URL replaced (if any); the runner checks the output for secrets.
async fn run_verbosely(
    project: &Project,
    args: &[&str],
    rust_log: Option<&str>,
    command: &[&str],
    control_url: Option<&str>,
) -> Run {
    let mut argv: Vec<&str> = args.to_vec();
    argv.extend_from_slice(command);
    let mut wsdb = project.wsdb(&argv);
    if let Some(filter) = rust_log {
        wsdb = wsdb.env("RUST_LOG", filter);
    }
    if let Some(url) = control_url {
        wsdb = wsdb.env("WSDB_TEST_CONTROL_URL", url);
    }
    wsdb.run().await
}

/// A password with characters URLs escape in their user-info part.
const URL_SPECIAL_PASSWORD: &str = "Canary-5e1d:P@ss/w0rd#x";

/// `password` as the `url` crate writes it into a URL.
fn userinfo_escaped(password: &str) -> String {
    let mut url = url::Url::parse("postgres://u@h/d").expect("a URL");
    url.set_password(Some(password)).expect("a password");
    url.password().expect("the password").to_owned()
}

/// Control URLs holding `password`, with the exit codes wsdb may give:
/// one the local server accepts (it does not check passwords), one on a
/// closed port, and a malformed one.
fn control_urls(project: &Project, password: &str) -> [(String, [i32; 2]); 3] {
    let url = url::Url::parse(project.control.url().expose()).expect("the control URL");
    let mut with_password = url.clone();
    with_password
        .set_password(Some(password))
        .expect("a URL with a password");
    let mut closed = with_password.clone();
    closed.set_port(Some(closed_port())).expect("a port");
    let malformed =
        with_password
            .as_str()
            .replacen(&format!(":{}/", url.port().unwrap_or(5432)), ":port/", 1);
    [
        (with_password.to_string(), [0, 1]),
        (closed.to_string(), [1, 1]),
        (malformed, [2, 2]),
    ]
}

/// Whether the run printed debug or trace logs.
fn has_logs(run: &Run) -> bool {
    run.stderr.contains("DEBUG") || run.stderr.contains("TRACE")
}

/// Every row of every table in schema `wsdb`, each as PostgreSQL's text
/// form of the whole row (every column), one per line; and the counts.
async fn ledger_text(project: &Project) -> (usize, usize, String) {
    let tables = project
        .control_rows(
            "SELECT table_name FROM information_schema.tables \
             WHERE table_schema = 'wsdb' AND table_type = 'BASE TABLE' ORDER BY table_name",
        )
        .await;
    let mut text = String::new();
    let mut count = 0;
    for table in &tables {
        let name = table[0].as_deref().expect("a table name");
        let rows = project
            .control_rows(&format!(
                "SELECT t::text FROM wsdb.{} t",
                quote_pg_identifier(name)
            ))
            .await;
        for row in rows {
            count += 1;
            text.push_str(row[0].as_deref().unwrap_or_default());
            text.push('\n');
        }
    }
    (tables.len(), count, text)
}

fn quote_pg_identifier(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}
