//! Test helpers for the config module: a config file in a temporary folder
//! and a fake environment. Test-only; no production code uses it.

use std::fs;
use std::path::PathBuf;

use tempfile::TempDir;

use super::{ConfigError, ConfigFile, load};

/// The password the fake environment holds; tests assert it never leaks.
pub(crate) const PASSWORD: &str = "pw-S3cr3t-from-env";

/// The fake environment: `WSDB_TEST_PASSWORD` and `WSDB_TEST_USER` are set,
/// `WSDB_TEST_EMPTY` is set but empty, nothing else is.
pub(crate) fn vars(name: &str) -> Option<String> {
    match name {
        "WSDB_TEST_PASSWORD" => Some(PASSWORD.to_owned()),
        "WSDB_TEST_USER" => Some("app".to_owned()),
        "WSDB_TEST_EMPTY" => Some(String::new()),
        _ => None,
    }
}

/// A temporary folder holding `wsdb.toml` with `text` and an empty
/// `certs/ca.pem`.
pub(crate) struct TempConfig {
    pub(crate) dir: TempDir,
    pub(crate) path: PathBuf,
}

impl TempConfig {
    pub(crate) fn new(text: &str) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        fs::create_dir(dir.path().join("certs")).expect("certs dir");
        fs::write(dir.path().join("certs/ca.pem"), "").expect("ca file");
        let path = dir.path().join("wsdb.toml");
        fs::write(&path, text).expect("config file");
        TempConfig { dir, path }
    }

    pub(crate) fn load(&self) -> Result<ConfigFile, ConfigError> {
        load(&self.path, &vars)
    }
}

/// A minimal valid environment `dev`, followed by `extra` (more tables).
pub(crate) fn with_dev(extra: &str) -> String {
    format!(
        "[env.dev]\ncontrol_url = \"postgres://app:${{WSDB_TEST_PASSWORD}}@127.0.0.1:5432/app\"\nworkspaces = \"SELECT id, host, port, database FROM workspaces\"\n{extra}"
    )
}
