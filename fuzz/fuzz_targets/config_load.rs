//! Fuzz target: configuration loading (`wsdb::config::load`, then
//! `ConfigFile::select_env`) on an arbitrary `wsdb.toml` with an arbitrary set
//! of environment variables.
//!
//! Input format (so seeds are readable configs): the file's bytes up to the
//! first NUL byte, written as they are (invalid UTF-8 included); after it,
//! one `NAME=VALUE` variable per line, looked up by `${NAME}`. A variable
//! `WSDB_ENV` also picks the environment, as the CLI does. Checks: nothing
//! panics; loading twice gives the same result; errors render; a resolved
//! environment's Debug output does not depend on the control URL's or the
//! password's value. It does not connect nor check that the
//! migrations folder exists: the commands do.

#![no_main]

use std::collections::HashMap;
use std::path::Path;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use wsdb::config::{self, EnvConfig};

/// One folder per fuzzing process; each input overwrites its `wsdb.toml`.
static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let (file, vars) = split_input(data);
    let dir = DIR.get_or_init(|| tempfile::tempdir().expect("a temporary folder"));
    let path = dir.path().join("wsdb.toml");
    std::fs::write(&path, file).expect("write wsdb.toml");
    let lookup = |name: &str| vars.get(name).cloned();

    let first = load_and_select(&path, &lookup, vars.get("WSDB_ENV"));
    let second = load_and_select(&path, &lookup, vars.get("WSDB_ENV"));
    assert_eq!(first, second, "loading the same file twice differs");
});

/// The file's bytes and the variables.
fn split_input(data: &[u8]) -> (&[u8], HashMap<String, String>) {
    let (file, rest) = match data.iter().position(|&byte| byte == 0) {
        Some(at) => (&data[..at], &data[at + 1..]),
        None => (data, &[][..]),
    };
    let vars = String::from_utf8_lossy(rest)
        .lines()
        .filter_map(|line| line.split_once('='))
        .map(|(name, value)| (name.to_owned(), value.to_owned()))
        .collect();
    (file, vars)
}

/// What loading and selecting produced, rendered: the value compared
/// between two runs.
fn load_and_select(
    path: &Path,
    lookup: &impl Fn(&str) -> Option<String>,
    explicit_env: Option<&String>,
) -> String {
    let file = match config::load(path, lookup) {
        Ok(file) => file,
        Err(error) => return render_error(&error),
    };
    let mut rendered = format!("{file:?}");
    for explicit in [None, explicit_env.map(String::as_str)] {
        match file.select_env(explicit) {
            Ok(env) => {
                check_secrets_hidden(&env);
                rendered.push_str(&format!("\n{env:?}"));
            }
            Err(error) => rendered.push_str(&format!("\n{}", render_error(&error))),
        }
    }
    rendered
}

fn render_error(error: &config::ConfigError) -> String {
    format!(
        "{error} | {:?} {:?} {:?} {:?}",
        error.kind(),
        error.line(),
        error.key(),
        error.hint()
    )
}

/// Debug output does not depend on the secrets' values: it is the same
/// for a copy whose control URL and password are emptied.
fn check_secrets_hidden(env: &EnvConfig) {
    let mut emptied = env.clone();
    emptied.control_url = config::Secret::new(String::new());
    if emptied.mssql.password.is_some() {
        emptied.mssql.password = Some(config::Secret::new(String::new()));
    }
    assert_eq!(
        format!("{env:?}"),
        format!("{emptied:?}"),
        "a secret's value reached Debug output"
    );
}
