//! Turns flags and `wsdb.toml` into what a command works with, once: the
//! project (config file + migrations folder) for offline commands, and the
//! resolved environment for the commands that connect.
//!
//! Every error found here is the user's to fix (exit code 2) and is found
//! before anything connects.

use std::path::{Path, PathBuf};


use super::{GlobalArgs, UsageError};
use crate::config::{self, ConfigFile, EnvConfig};
use crate::migrate::{MigrationSet, sum};

/// The file wsdb reads when neither `--config` nor `WSDB_CONFIG` names one.
pub const DEFAULT_CONFIG: &str = "wsdb.toml";

/// The configuration file (when there is one) and the migrations folder.
#[derive(Debug)]
pub struct Project {
    pub config: Option<ConfigFile>,
    pub migrations_dir: PathBuf,
}

impl Project {
    /// Loads `--config`/`WSDB_CONFIG` (which must exist) or `./wsdb.toml`
    /// (which offline commands may do without: the migrations folder then
    /// defaults to `./migrations`, or `--migrations`).
    pub fn open(global: &GlobalArgs) -> anyhow::Result<Project> {
        let config = match &global.config {
            Some(path) => Some(load_config(path)?),
            None if Path::new(DEFAULT_CONFIG).exists() => {
                Some(load_config(Path::new(DEFAULT_CONFIG))?)
            }
            None => None,
        };
        let migrations_dir = match (&global.migrations, &config) {
            (Some(dir), _) => dir.clone(),
            (None, Some(config)) => config.migrations_dir.clone(),
            (None, None) => PathBuf::from("migrations"),
        };
        Ok(Project {
            config,
            migrations_dir,
        })
    }

    /// The configuration file, for commands that cannot run without one.
    pub fn config(&self) -> anyhow::Result<&ConfigFile> {
        self.config.as_ref().ok_or_else(|| {
            UsageError(format!(
                "no `{DEFAULT_CONFIG}` in this folder\nhint: run `wsdb init`, or point to one with `--config PATH` or WSDB_CONFIG"
            ))
            .into()
        })
    }

    /// The selected environment, variables expanded and values validated.
    pub fn env(&self, global: &GlobalArgs) -> anyhow::Result<EnvConfig> {
        Ok(self.config()?.select_env(global.env_name.as_deref())?)
    }

    /// The migration set, checked against its `wsdb.sum`.
    pub fn migrations(&self) -> anyhow::Result<MigrationSet> {
        let dir = &self.migrations_dir;
        if !dir.is_dir() {
            return Err(UsageError(format!(
                "migrations folder `{}` does not exist\nhint: run `wsdb init`, or set `migrations` in wsdb.toml",
                dir.display()
            ))
            .into());
        }
        let set = MigrationSet::load(dir)?;
        sum::verify(&set, dir)?;
        Ok(set)
    }
}

fn load_config(path: &Path) -> anyhow::Result<ConfigFile> {
    if !path.exists() {
        return Err(UsageError(format!(
            "configuration file `{}` does not exist\nhint: run `wsdb init` to write one",
            path.display()
        ))
        .into());
    }
    // A ConfigError names the file (and line) itself.
    Ok(config::load(path, &|name| std::env::var(name).ok())?)
}
