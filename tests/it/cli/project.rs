//! Tools of the CLI tests: a project in a temporary folder, the `wsdb`
//! binary run in it with a hermetic environment, and the insta settings
//! that redact what changes between machines and runs (temporary paths,
//! wsdb's version, durations).
//!
//! Nothing here asserts by itself, except [`Run::expect`], which fails with
//! the whole transcript so a wrong exit code shows why.

use std::path::{Path, PathBuf};
use std::process::Command;

use wsdb::exit::ExitCode;
use wsdb::migrate::{MigrationSet, sum};

/// The binary under test, built by cargo for this test target.
pub const BIN: &str = env!("CARGO_BIN_EXE_wsdb");

/// A `wsdb.toml` with one environment whose MSSQL password comes from
/// `WSDB_MSSQL_PASSWORD` (set it for `check --offline` to pass).
pub const CONFIG: &str = r#"[env.dev]
control_url = "postgres://wsdb@127.0.0.1:5432/wsdb"
workspaces = "SELECT id, host, port, database FROM workspaces ORDER BY id"

[env.dev.mssql]
user = "wsdb"
password = "${WSDB_MSSQL_PASSWORD}"
"#;

/// A folder holding a wsdb project (or nothing yet), deleted on drop.
pub struct Project {
    dir: tempfile::TempDir,
}

impl Project {
    /// An empty folder.
    pub fn empty() -> Project {
        Project {
            dir: tempfile::Builder::new()
                .prefix("wsdb-cli-")
                .tempdir()
                .expect("create a temporary folder"),
        }
    }

    /// [`CONFIG`] and a `migrations/` folder holding `files` (name, text)
    /// and a `wsdb.sum` that matches them.
    pub fn with_migrations(files: &[(&str, &str)]) -> Project {
        let project = Project::empty();
        project.write("wsdb.toml", CONFIG);
        std::fs::create_dir_all(project.path().join("migrations")).expect("create migrations/");
        for (name, text) in files {
            project.write(&format!("migrations/{name}"), text);
        }
        project.rehash();
        project
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes `text` to `relative`, creating folders as needed.
    pub fn write(&self, relative: &str, text: &str) -> &Project {
        let path = self.path().join(relative);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("create the parent folder");
        }
        std::fs::write(&path, text).unwrap_or_else(|e| panic!("write {relative}: {e}"));
        self
    }

    /// Appends `text` to the existing file `relative`.
    pub fn append(&self, relative: &str, text: &str) -> &Project {
        let mut contents = self.read(relative);
        contents.push_str(text);
        self.write(relative, &contents)
    }

    pub fn read(&self, relative: &str) -> String {
        std::fs::read_to_string(self.path().join(relative))
            .unwrap_or_else(|e| panic!("read {relative}: {e}"))
    }

    /// Rewrites `migrations/wsdb.sum` through the library, as `wsdb hash`
    /// would: fixtures start consistent without running the binary.
    pub fn rehash(&self) {
        let dir = self.path().join("migrations");
        let set = MigrationSet::load(&dir).unwrap_or_else(|e| panic!("fixture set loads: {e}"));
        sum::write(&set, &dir).unwrap_or_else(|e| panic!("write the fixture's sum: {e}"));
    }

    /// `wsdb` with these arguments, to run in this folder.
    pub fn wsdb<S: AsRef<str>>(&self, args: &[S]) -> Wsdb {
        Wsdb {
            cwd: self.path().to_path_buf(),
            args: args.iter().map(|a| a.as_ref().to_owned()).collect(),
            env: Vec::new(),
        }
    }

    /// Insta settings for snapshots of runs in this project: the
    /// redactions of [`settings`], this folder, and durations (`12ms`,
    /// `1.5s`, `2m`), which vary between runs.
    pub fn settings(&self) -> insta::Settings {
        let mut settings = settings();
        // The folder first: a duration-like piece of its random name must
        // not hide it from its own filter.
        for path in [
            self.path().to_path_buf(),
            self.path().canonicalize().unwrap_or_default(),
        ] {
            let text = path.display().to_string();
            if !text.is_empty() {
                settings.add_filter(&regex_escape(&text), "[TMP]");
            }
        }
        settings.add_filter(r"\b\d+(\.\d+)?(ns|µs|us|ms|s|m|h)\b", "[DURATION]");
        settings
    }
}

/// A command line about to run. The environment is cleared first, so a
/// developer's `WSDB_CONFIG`, `RUST_LOG` or `COLUMNS` cannot change the
/// output; only what [`Wsdb::env`] adds is set.
pub struct Wsdb {
    cwd: PathBuf,
    args: Vec<String>,
    env: Vec<(String, String)>,
}

impl Wsdb {
    pub fn env(mut self, name: &str, value: &str) -> Wsdb {
        self.env.push((name.to_owned(), value.to_owned()));
        self
    }

    pub fn envs(mut self, vars: &[(&str, &str)]) -> Wsdb {
        for (name, value) in vars {
            self = self.env(name, value);
        }
        self
    }

    pub fn run(self) -> Run {
        let output = Command::new(BIN)
            .args(&self.args)
            .current_dir(&self.cwd)
            .env_clear()
            .envs(self.env.iter().map(|(k, v)| (k, v)))
            .output()
            .unwrap_or_else(|e| panic!("cannot run {BIN}: {e}"));
        Run {
            args: self.args,
            env: self.env,
            // A signal death has no code; -1 fails every expectation.
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }
}

/// What one run printed and how it ended.
#[derive(Debug)]
pub struct Run {
    pub args: Vec<String>,
    pub env: Vec<(String, String)>,
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Fails the test, showing the whole transcript, unless the run exited
    /// with `expected`.
    #[track_caller]
    pub fn expect(self, expected: ExitCode) -> Run {
        assert_eq!(
            self.code,
            expected.code(),
            "expected exit code {} ({expected:?}), got:\n{}",
            expected.code(),
            self.transcript()
        );
        self
    }

    /// `$ wsdb ARGS`, the exit code, then stdout and stderr (each only
    /// when not empty), as a snapshot shows it.
    pub fn transcript(&self) -> String {
        let mut text = String::from("$");
        for (name, value) in &self.env {
            text.push_str(&format!(" {name}={value}"));
        }
        text.push_str(" wsdb");
        for arg in &self.args {
            text.push(' ');
            text.push_str(arg);
        }
        text.push_str(&format!("\nexit code {}\n", self.code));
        for (name, stream) in [("stdout", &self.stdout), ("stderr", &self.stderr)] {
            if !stream.is_empty() {
                text.push_str(&format!("--- {name}\n{stream}"));
                if !stream.ends_with('\n') {
                    text.push_str("[no line break at the end]\n");
                }
            }
        }
        text
    }
}

/// Insta settings with the redaction every CLI snapshot needs: wsdb's
/// version. Help texts keep their durations: those are documented defaults.
pub fn settings() -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    settings.add_filter(&regex_escape(env!("CARGO_PKG_VERSION")), "[VERSION]");
    settings
}

/// `text` as a regex matching itself.
fn regex_escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        if "\\.+*?()|[]{}^$#&-~".contains(c) {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}
