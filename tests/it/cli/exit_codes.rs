//! The exit code of every offline command in each of its outcomes, through
//! the binary: 0 success, 2 usage or configuration error (nothing done),
//! 3 a check found problems. One table; the messages are the trycmd cases'
//! business (`tests/cmd/`).

use wsdb::exit::ExitCode;

use super::project::{CONFIG, Project};

const GOOD_UP: &str = "CREATE TABLE dbo.accounts (id INT NOT NULL PRIMARY KEY);\n";
const GOOD_DOWN: &str = "DROP TABLE dbo.accounts;\n";

/// How a case's folder starts.
#[derive(Debug, Clone, Copy)]
enum Setup {
    /// Nothing at all.
    Empty,
    /// `wsdb.toml` and a clean, hashed migration pair.
    Clean,
    /// Clean, plus a second migration without a down file (a warning).
    WarningsOnly,
    /// Clean, plus a migration with a `USE` statement (an error finding).
    LintErrors,
    /// Clean, then the up file edited after hashing.
    EditedAfterHash,
    /// A migration that does not load (a malformed `GO` line).
    Unloadable,
    /// `wsdb.toml` with an unknown key.
    BadConfig,
}

impl Setup {
    fn project(self) -> Project {
        let clean = [
            ("0001_accounts.up.sql", GOOD_UP),
            ("0001_accounts.down.sql", GOOD_DOWN),
        ];
        match self {
            Setup::Empty => Project::empty(),
            Setup::Clean => Project::with_migrations(&clean),
            Setup::WarningsOnly => {
                let project = Project::with_migrations(&clean);
                project.write("migrations/0002_more.up.sql", "SELECT 1;\n");
                project.rehash();
                project
            }
            Setup::LintErrors => {
                let project = Project::with_migrations(&clean);
                project.write("migrations/0002_elsewhere.up.sql", "USE master;\n");
                project.write("migrations/0002_elsewhere.down.sql", "SELECT 1;\n");
                project.rehash();
                project
            }
            Setup::EditedAfterHash => {
                let project = Project::with_migrations(&clean);
                project.append("migrations/0001_accounts.up.sql", "-- edited\n");
                project
            }
            Setup::Unloadable => {
                let project = Project::with_migrations(&clean);
                project.write("migrations/0002_typo.up.sql", "SELECT 1\nGO x\n");
                project
            }
            Setup::BadConfig => {
                let project = Project::with_migrations(&clean);
                project.write("wsdb.toml", &format!("{CONFIG}colour = \"red\"\n"));
                project
            }
        }
    }
}

const PASSWORD: (&str, &str) = ("WSDB_MSSQL_PASSWORD", "exit-codes");

#[test]
fn offline_commands_map_their_outcomes_to_the_documented_codes() {
    use ExitCode::{CheckFailed, Success, Usage};
    use Setup::*;
    let cases: &[(Setup, &[&str], ExitCode)] = &[
        // clap itself: help, version, usage errors
        (Empty, &["--help"], Success),
        (Empty, &["lint", "--help"], Success),
        (Empty, &["--version"], Success),
        (Empty, &[], Usage),
        (Empty, &["frobnicate"], Usage),
        (Empty, &["lint", "--frobnicate"], Usage),
        (Empty, &["lint", "--format", "xml"], Usage),
        (Empty, &["-q", "-v", "lint"], Usage),
        // init
        (Empty, &["init"], Success),
        (Empty, &["init", "--dir", "nested/db"], Success),
        (Clean, &["init"], Usage),
        (Clean, &["init", "--force"], Success),
        // new
        (Empty, &["new", "first"], Success),
        (Clean, &["new", "add_invoices"], Success),
        (Clean, &["new", "add invoices"], Usage),
        (Clean, &["new", ""], Usage),
        (EditedAfterHash, &["new", "add_invoices"], Usage),
        (BadConfig, &["new", "add_invoices"], Usage),
        // hash
        (Clean, &["hash"], Success),
        (EditedAfterHash, &["hash"], Success),
        (Empty, &["hash"], Usage),
        (Unloadable, &["hash"], Usage),
        // lint
        (Clean, &["lint"], Success),
        (WarningsOnly, &["lint"], Success),
        (LintErrors, &["lint"], CheckFailed),
        (LintErrors, &["lint", "--format", "json"], CheckFailed),
        (LintErrors, &["lint", "--quiet"], CheckFailed),
        (EditedAfterHash, &["lint"], CheckFailed),
        (Unloadable, &["lint"], Usage),
        (BadConfig, &["lint"], Usage),
        (Empty, &["lint"], Usage),
        (Clean, &["lint", "--config", "missing.toml"], Usage),
        (Clean, &["lint", "--migrations", "missing"], Usage),
        // check --offline
        (Clean, &["check", "--offline"], Success),
        (WarningsOnly, &["check", "--offline"], Success),
        (LintErrors, &["check", "--offline"], CheckFailed),
        (EditedAfterHash, &["check", "--offline"], Usage),
        (Unloadable, &["check", "--offline"], Usage),
        (BadConfig, &["check", "--offline"], Usage),
        (Empty, &["check", "--offline"], Usage),
        (Clean, &["check", "--offline", "--env", "prod"], Usage),
        // completions
        (Empty, &["completions", "bash"], Success),
        (Empty, &["completions", "tcsh"], Usage),
    ];
    let mut wrong = Vec::new();
    for (setup, args, expected) in cases {
        let run = setup.project().wsdb(args).envs(&[PASSWORD]).run();
        if run.code != expected.code() {
            wrong.push(format!(
                "{setup:?}: expected {} ({expected:?})\n{}",
                expected.code(),
                run.transcript()
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "wrong exit codes:\n\n{}",
        wrong.join("\n")
    );
}

#[test]
fn a_missing_variable_is_a_configuration_error() {
    Setup::Clean
        .project()
        .wsdb(&["check", "--offline"])
        .run()
        .expect(ExitCode::Usage);
}

/// Exit code 2 promises that nothing was done.
#[test]
fn a_refused_command_leaves_the_folder_as_it_was() {
    let project = Setup::EditedAfterHash.project();
    let sum_before = project.read("migrations/wsdb.sum");
    project
        .wsdb(&["new", "add_invoices"])
        .run()
        .expect(ExitCode::Usage);
    assert_eq!(project.read("migrations/wsdb.sum"), sum_before);
    let leftovers: Vec<_> = std::fs::read_dir(project.path().join("migrations"))
        .expect("read migrations/")
        .map(|entry| entry.expect("a folder entry").file_name())
        .filter(|name| name.to_string_lossy().contains("add_invoices"))
        .collect();
    assert_eq!(leftovers, Vec::<std::ffi::OsString>::new());

    project.write("wsdb.toml", "# mine\n");
    project.wsdb(&["init"]).run().expect(ExitCode::Usage);
    assert_eq!(project.read("wsdb.toml"), "# mine\n");
}
