//! "A password given through `${VAR}` appears in no output of any command,
//! including verbose and debug output": every command line of [`COMMANDS`]
//! runs in every project of [`PROJECTS`] (good ones, and ones whose errors
//! are about the very values holding a password) at every verbosity of
//! [`VERBOSITY`], with canary passwords in the environment, and none of
//! stdout or stderr may contain the canary's marker.
//!
//! To cover a new command, add its argument vector to [`COMMANDS`]. Online
//! commands belong there too: the projects' control URLs point at a local
//! database that refuses the canary password, so what they print about a
//! failed connection is checked as well.

use wsdb::exit::ExitCode;

use super::project::{Project, Run};

/// In every secret below, so that a leak of any piece of it that holds the
/// marker is caught, not only of the whole value.
const MARKER: &str = "s3cr3t";

/// The secrets, each given only through the environment.
const SECRETS: &[(&str, &str)] = &[
    // Any character is fine in an MSSQL password: it is never URL-parsed.
    ("WSDB_MSSQL_PASSWORD", "Mssql#s3cr3t@9a/x y;'"),
    // Used in a URL's user info (`postgres://wsdb:${..}@host`), which wsdb
    // percent-encodes: characters that would move the end of the password
    // (`@`, `/`, `:`, `#`) must not leak its tail into the printed host/path.
    ("WSDB_CONTROL_PASSWORD", "ctl#s3cr3t@5b/1d:s3cr3t"),
    (
        "WSDB_CONTROL_URL",
        "postgres://wsdb:url-s3cr3t-c0de@127.0.0.1:5432/wsdb?sslmode=disable",
    ),
    (
        "WSDB_CONTROL_URL_BAD_PORT",
        "postgres://wsdb:port-s3cr3t-dead@127.0.0.1:notaport/wsdb",
    ),
    (
        "WSDB_CONTROL_URL_WITH_QUERY_PASSWORD",
        "postgres://wsdb@127.0.0.1:5432/wsdb?password=query-s3cr3t-beef",
    ),
];

/// Every command line the canary runs (see the module docs to add one).
const COMMANDS: &[&[&str]] = &[
    &["init", "--force"],
    &["new", "add_invoices"],
    &["hash"],
    &["lint"],
    &["lint", "--format", "json"],
    &["check", "--offline"],
    &["check", "--offline", "--format", "json"],
    &["check", "--offline", "--env", "missing"],
    // Online: the control database refuses or lacks what they need, so
    // their connection errors are checked too.
    &["workspaces"],
    &["status", "--all"],
    &["migrate", "--all", "--format", "json"],
    &["runs"],
];

/// Command lines whose output cannot depend on the project: run once, in
/// the good project.
const PROJECT_FREE_COMMANDS: &[&[&str]] = &[
    &["init", "--dir", "fresh"],
    &["--help"],
    &["-h"],
    &["--version"],
    &["check", "--help"],
    &["completions", "bash"],
    &["completions", "zsh"],
    &["no-such-command"],
];

/// Less and more output: flags, and `RUST_LOG`, which overrides them.
/// (`-v` and `-vv` show a subset of what `-vvv` shows.)
const VERBOSITY: &[(&[&str], Option<&str>)] = &[
    (&[], None),
    (&["-q"], None),
    (&["-vvv"], None),
    (&[], Some("trace")),
    (&["-vvv"], Some("trace,wsdb=trace")),
];

/// The `[env.dev]` part that every project shares.
const WORKSPACES: &str =
    "workspaces = \"SELECT id, host, port, database FROM workspaces ORDER BY id\"\n";

/// (what the project is, its `wsdb.toml`). The first one is good.
const PROJECTS: &[(&str, &str)] = &[
    (
        "good",
        r#"[env.dev]
control_url = "postgres://wsdb:${WSDB_CONTROL_PASSWORD}@127.0.0.1:5432/wsdb"
@WORKSPACES@
[env.dev.mssql]
user = "wsdb"
password = "${WSDB_MSSQL_PASSWORD}"
"#,
    ),
    (
        "the whole control URL in a variable",
        r#"[env.dev]
control_url = "${WSDB_CONTROL_URL}"
@WORKSPACES@
[env.dev.mssql]
password = "${WSDB_MSSQL_PASSWORD}"
"#,
    ),
    (
        "the control password in the query string",
        r#"[env.dev]
control_url = "${WSDB_CONTROL_URL_WITH_QUERY_PASSWORD}"
@WORKSPACES@
"#,
    ),
    (
        "a control URL with a bad port around the password",
        r#"[env.dev]
control_url = "postgres://wsdb:${WSDB_CONTROL_PASSWORD}@db:notaport/wsdb"
@WORKSPACES@
"#,
    ),
    (
        "a bad control URL from a variable",
        r#"[env.dev]
control_url = "${WSDB_CONTROL_URL_BAD_PORT}"
@WORKSPACES@
"#,
    ),
    (
        "a control URL that is not PostgreSQL",
        r#"[env.dev]
control_url = "mysql://wsdb:${WSDB_CONTROL_PASSWORD}@db/wsdb"
@WORKSPACES@
"#,
    ),
    (
        "a control URL without a scheme",
        r#"[env.dev]
control_url = "wsdb:${WSDB_CONTROL_PASSWORD}@db/wsdb"
@WORKSPACES@
"#,
    ),
    (
        "an unknown key right after the password",
        r#"[env.dev]
control_url = "postgres://wsdb:${WSDB_CONTROL_PASSWORD}@127.0.0.1:5432/wsdb"
@WORKSPACES@
[env.dev.mssql]
password = "${WSDB_MSSQL_PASSWORD}"
pasword = "${WSDB_MSSQL_PASSWORD}"
"#,
    ),
    (
        "a TLS conflict in the section holding the password",
        r#"[env.dev]
control_url = "postgres://wsdb:${WSDB_CONTROL_PASSWORD}@127.0.0.1:5432/wsdb"
@WORKSPACES@
[env.dev.mssql]
password = "${WSDB_MSSQL_PASSWORD}"
encrypt = "off"
trust_server_certificate = true
"#,
    ),
    (
        "another variable missing",
        r#"[env.dev]
control_url = "postgres://wsdb:${WSDB_CONTROL_PASSWORD}@127.0.0.1:5432/wsdb"
workspaces = "${WSDB_UNSET_QUERY}"
[env.dev.mssql]
password = "${WSDB_MSSQL_PASSWORD}"
"#,
    ),
    (
        "several environments, none selected",
        r#"[env.dev]
control_url = "postgres://wsdb:${WSDB_CONTROL_PASSWORD}@127.0.0.1:5432/wsdb"
@WORKSPACES@
[env.dev.mssql]
password = "${WSDB_MSSQL_PASSWORD}"

[env.prod]
control_url = "${WSDB_CONTROL_URL}"
@WORKSPACES@
"#,
    ),
    ("not TOML at all", "control_url = \"${WSDB_CONTROL_URL}\n"),
];

fn project(config: &str) -> Project {
    let project = Project::with_migrations(&[
        (
            "0001_accounts.up.sql",
            "CREATE TABLE dbo.accounts (id INT NOT NULL PRIMARY KEY);\n",
        ),
        ("0001_accounts.down.sql", "DROP TABLE dbo.accounts;\n"),
    ]);
    project.write("wsdb.toml", &config.replace("@WORKSPACES@", WORKSPACES));
    project
}

/// Runs `args` at one verbosity in a fresh copy of the project.
fn run(config: &str, args: &[&str], (flags, rust_log): (&[&str], Option<&str>)) -> Run {
    let mut line: Vec<&str> = flags.to_vec();
    line.extend_from_slice(args);
    let project = project(config);
    let mut command = project.wsdb(&line).envs(SECRETS);
    if let Some(filter) = rust_log {
        command = command.env("RUST_LOG", filter);
    }
    command.run()
}

/// The runs whose output shows the marker, as a report line each.
fn leaks(runs: impl IntoIterator<Item = (String, Run)>) -> Vec<String> {
    runs.into_iter()
        .filter(|(_, run)| run.stdout.contains(MARKER) || run.stderr.contains(MARKER))
        .map(|(project, run)| format!("project `{project}`:\n{}", run.transcript()))
        .collect()
}

#[test]
fn no_output_of_any_command_shows_a_password() {
    let mut found = Vec::new();
    // One thread per project: several hundred short runs.
    std::thread::scope(|scope| {
        let threads: Vec<_> = PROJECTS
            .iter()
            .map(|&(name, config)| {
                scope.spawn(move || {
                    let runs = COMMANDS.iter().flat_map(|args| {
                        VERBOSITY
                            .iter()
                            .map(move |&verbosity| (name.to_owned(), run(config, args, verbosity)))
                    });
                    leaks(runs)
                })
            })
            .collect();
        for thread in threads {
            found.extend(thread.join().expect("a canary thread"));
        }
    });
    let good = PROJECTS[0].1;
    let project_free = PROJECT_FREE_COMMANDS
        .iter()
        .map(|args| ("(any)".to_owned(), run(good, args, (&["-vvv"], None))));
    found.extend(leaks(project_free));
    assert!(
        found.is_empty(),
        "a password leaked:\n\n{}",
        found.join("\n")
    );
}

/// The canaries are really used, so the test above is not vacuous: in the
/// good project the MSSQL password variable is resolved (`check --offline`
/// passes only then), and a control URL read from a variable is shown
/// redacted.
#[test]
fn the_canary_passwords_are_used() {
    let good = run(PROJECTS[0].1, &["check", "--offline"], (&[], None)).expect(ExitCode::Success);
    assert!(
        good.stdout
            .contains("postgres://wsdb:***@127.0.0.1:5432/wsdb"),
        "{}",
        good.transcript()
    );
    let from_variable =
        run(PROJECTS[1].1, &["check", "--offline"], (&[], None)).expect(ExitCode::Success);
    assert!(
        from_variable
            .stdout
            .contains("postgres://wsdb:***@127.0.0.1:5432/wsdb?sslmode=disable"),
        "{}",
        from_variable.transcript()
    );
}

/// The detector finds the marker when a command does echo it (here as a
/// migration name, which is no secret).
#[test]
fn the_detector_sees_an_echoed_marker() {
    let echoed = run(PROJECTS[0].1, &["new", "echo_s3cr3t"], (&[], None)).expect(ExitCode::Success);
    assert_eq!(leaks([("good".to_owned(), echoed)]).len(), 1);
}
