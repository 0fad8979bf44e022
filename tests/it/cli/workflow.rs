//! The offline workflow a developer follows, end to end through the binary:
//! `init` → `new` → `new` → `lint` → `hash` → `lint` → `check --offline`, then
//! an edit after hashing that `lint` and `new` refuse. One transcript
//! snapshot, reviewed as a story; exit codes are also asserted in code, so
//! a carelessly accepted snapshot cannot hide a wrong one.

use wsdb::exit::ExitCode;

use super::project::Project;

const INVOICES_UP: &str = "\
CREATE TABLE dbo.invoices (
    id INT NOT NULL PRIMARY KEY,
    amount DECIMAL(12, 2) NOT NULL
);
GO
CREATE INDEX ix_invoices_amount ON dbo.invoices (amount);
";
const INVOICES_DOWN: &str = "DROP TABLE dbo.invoices;\n";
const CUSTOMERS_UP: &str = "\
CREATE TABLE dbo.customers (
    id INT NOT NULL PRIMARY KEY,
    name NVARCHAR(200) NOT NULL
);
GO
CREATE VIEW dbo.customer_names AS SELECT name FROM dbo.customers;
";
const CUSTOMERS_DOWN: &str = "DROP VIEW dbo.customer_names;\nDROP TABLE dbo.customers;\n";

/// Collects the steps of one story into a transcript.
struct Story {
    project: Project,
    transcript: String,
}

impl Story {
    fn run(&mut self, args: &[&str], expected: ExitCode) {
        self.run_with(args, &[], expected);
    }

    fn run_with(&mut self, args: &[&str], env: &[(&str, &str)], expected: ExitCode) {
        let run = self.project.wsdb(args).envs(env).run().expect(expected);
        self.transcript.push_str(&run.transcript());
        self.transcript.push('\n');
    }

    /// A step done by hand, noted in the transcript.
    fn note(&mut self, what: &str) {
        self.transcript
            .push_str(&format!("# {}\n\n", what.trim_end()));
    }

    fn append(&mut self, file: &str, sql: &str) {
        self.project.append(&format!("migrations/{file}"), sql);
        self.note(&format!("append to migrations/{file}:\n{sql}"));
    }
}

#[test]
fn init_new_new_lint_hash_lint_check_then_an_edit_is_refused() {
    let mut story = Story {
        project: Project::empty(),
        transcript: String::new(),
    };
    story.run(&["init"], ExitCode::Success);
    story.run(&["new", "add_invoices"], ExitCode::Success);
    story.run(&["new", "add_customers"], ExitCode::Success);
    // Freshly scaffolded files hold only comments: an empty migration must
    // not load, let alone be applied.
    story.run(&["lint"], ExitCode::Usage);

    story.append("0001_add_invoices.up.sql", INVOICES_UP);
    story.append("0001_add_invoices.down.sql", INVOICES_DOWN);
    story.append("0002_add_customers.up.sql", CUSTOMERS_UP);
    story.append("0002_add_customers.down.sql", CUSTOMERS_DOWN);
    story.run(&["lint"], ExitCode::CheckFailed);
    story.run(&["hash"], ExitCode::Success);
    story.run(&["lint"], ExitCode::Success);
    let sum = story.project.read("migrations/wsdb.sum");
    story.note(&format!("migrations/wsdb.sum now reads:\n{sum}"));
    story.run_with(
        &["check", "--offline"],
        &[("WSDB_MSSQL_PASSWORD", "not-shown")],
        ExitCode::Success,
    );

    story.append(
        "0001_add_invoices.up.sql",
        "ALTER TABLE dbo.invoices ADD due DATE NULL;\n",
    );
    story.run(&["lint"], ExitCode::CheckFailed);
    story.run(&["new", "add_audit"], ExitCode::Usage);

    let settings = story.project.settings();
    settings.bind(|| insta::assert_snapshot!("offline_workflow", story.transcript));
}

#[test]
fn the_scaffolded_files_are_the_ones_recorded() {
    let project = Project::empty();
    project
        .wsdb(&["init", "-q"])
        .run()
        .expect(ExitCode::Success);
    project
        .wsdb(&["new", "--timestamp", "stamped"])
        .run()
        .expect(ExitCode::Success);
    let sum = project.read("migrations/wsdb.sum");
    let listed: Vec<&str> = sum
        .lines()
        .filter_map(|line| line.split(' ').nth(1))
        .filter(|file| file.ends_with(".sql"))
        .collect();
    let mut on_disk: Vec<String> = std::fs::read_dir(project.path().join("migrations"))
        .expect("read migrations/")
        .map(|entry| entry.expect("a folder entry").file_name())
        .map(|name| name.to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".sql"))
        .collect();
    on_disk.sort();
    // Up before down in the sum, alphabetical on disk.
    let mut listed_sorted: Vec<String> = listed.iter().map(|f| (*f).to_owned()).collect();
    listed_sorted.sort();
    assert_eq!(listed_sorted, on_disk);
    assert_eq!(listed.len(), 2, "{sum}");
    // A timestamp version: 14 digits, UTC `YYYYMMDDHHMMSS`.
    let version = listed[0].split('_').next().unwrap_or_default();
    assert_eq!(version.len(), 14, "{version}");
    assert!(version.starts_with("20"), "{version}");
    assert!(listed[0].ends_with("_stamped.up.sql"), "{}", listed[0]);
    assert!(listed[1].ends_with("_stamped.down.sql"), "{}", listed[1]);
}

/// A path given on the command line comes back as given, absolute ones
/// included; the snapshot settings turn the temporary folder into `[TMP]`.
#[test]
fn paths_are_echoed_as_given() {
    let project = Project::empty();
    let config = project.path().join("elsewhere").join("wsdb.toml");
    let config = config.to_str().expect("a UTF-8 temporary path");
    let run = project
        .wsdb(&["lint", "--config", config])
        .run()
        .expect(ExitCode::Usage);
    project.settings().bind(|| {
        insta::assert_snapshot!(run.transcript(), @r"
        $ wsdb lint --config [TMP]/elsewhere/wsdb.toml
        exit code 2
        --- stderr
        error: configuration file `[TMP]/elsewhere/wsdb.toml` does not exist
        hint: run `wsdb init` to write one
        ");
    });
}
