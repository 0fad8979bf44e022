//! The file as written: every key, for every environment, with its type
//! checked but its text not yet expanded nor validated.
//!
//! Owns the schema of `wsdb.toml` (which keys exist in which table, and their
//! TOML types) and the structural check of the whole file. It does not expand
//! `${VAR}` nor judge values (`resolve.rs` does, for the selected environment
//! only), so that a variable only `prod` needs does not break `--env dev`.
//! Values that may hold a password are [`Secret`]s from the start: the raw
//! template of `control_url` can carry a literal password.

use super::document::{Item, Section};
use super::error::ConfigError;
use super::secret::Secret;

/// The top level of `wsdb.toml`.
#[derive(Debug, Clone)]
pub(crate) struct RawFile {
    pub(crate) default_env: Option<Item<String>>,
    pub(crate) migrations: Option<Item<String>>,
    pub(crate) envs: Vec<RawEnv>,
}

/// One `[env.NAME]` table.
#[derive(Debug, Clone)]
pub(crate) struct RawEnv {
    pub(crate) name: String,
    /// Dotted key of the table, e.g. `env.dev`.
    pub(crate) key: String,
    pub(crate) line: usize,
    pub(crate) control_url: Option<Item<Secret<String>>>,
    pub(crate) workspaces: Option<Item<String>>,
    pub(crate) mssql: RawMssql,
    pub(crate) pool: RawPool,
    pub(crate) retry: RawRetry,
    pub(crate) run: RawRun,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct RawMssql {
    pub(crate) user: Option<Item<String>>,
    pub(crate) password: Option<Item<Secret<String>>>,
    pub(crate) encrypt: Option<Item<String>>,
    pub(crate) trust_server_certificate: Option<Item<bool>>,
    pub(crate) ca_file: Option<Item<String>>,
    pub(crate) connect_timeout: Option<Item<String>>,
    pub(crate) statement_timeout: Option<Item<String>>,
    pub(crate) application_name: Option<Item<String>>,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct RawPool {
    pub(crate) max_per_workspace: Option<Item<i64>>,
    pub(crate) max_cached_workspaces: Option<Item<i64>>,
    pub(crate) max_per_server: Option<Item<i64>>,
    pub(crate) idle_timeout: Option<Item<String>>,
    pub(crate) health_check_after: Option<Item<String>>,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct RawRetry {
    pub(crate) initial_backoff: Option<Item<String>>,
    pub(crate) max_backoff: Option<Item<String>>,
    pub(crate) max_attempts: Option<Item<i64>>,
    pub(crate) evict_after_failures: Option<Item<i64>>,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct RawRun {
    pub(crate) concurrency: Option<Item<i64>>,
    pub(crate) lock_timeout: Option<Item<String>>,
    pub(crate) protected: Option<Item<bool>>,
}

// Each reader takes the table's scalars and sub-tables, calls `finish` (so an
// unknown key is reported before problems further in), then reads the
// sub-tables.

impl RawFile {
    pub(crate) fn read(mut root: Section<'_, '_>) -> Result<Self, ConfigError> {
        let default_env = root.string("default_env")?;
        let migrations = root.string("migrations")?;
        let env = root.table("env")?;
        root.finish()?;
        let mut envs = Vec::new();
        if let Some(mut env) = env {
            let hint =
                "put each environment's settings in its own table: `[env.dev]`, `[env.prod]`";
            for (name, section) in env.sub_tables(hint)? {
                envs.push(RawEnv::read(name, section)?);
            }
        }
        Ok(RawFile {
            default_env,
            migrations,
            envs,
        })
    }
}

impl RawEnv {
    fn read(name: String, mut section: Section<'_, '_>) -> Result<Self, ConfigError> {
        let control_url = section.string("control_url")?;
        let workspaces = section.string("workspaces")?;
        let mssql = section.table("mssql")?;
        let pool = section.table("pool")?;
        let retry = section.table("retry")?;
        let run = section.table("run")?;
        let key = section.key().to_owned();
        let line = section.line();
        section.finish()?;
        Ok(RawEnv {
            name,
            key,
            line,
            control_url: control_url.map(|item| item.map(Secret::new)),
            workspaces,
            mssql: read_optional(mssql, RawMssql::read)?,
            pool: read_optional(pool, RawPool::read)?,
            retry: read_optional(retry, RawRetry::read)?,
            run: read_optional(run, RawRun::read)?,
        })
    }
}

/// An absent table is an empty one: every key takes its default.
fn read_optional<'a, 'i, T: Default>(
    section: Option<Section<'a, 'i>>,
    read: impl FnOnce(Section<'a, 'i>) -> Result<T, ConfigError>,
) -> Result<T, ConfigError> {
    section.map_or_else(|| Ok(T::default()), read)
}

impl RawMssql {
    fn read(mut section: Section<'_, '_>) -> Result<Self, ConfigError> {
        let raw = RawMssql {
            user: section.string("user")?,
            password: section
                .string("password")?
                .map(|item| item.map(Secret::new)),
            encrypt: section.string("encrypt")?,
            trust_server_certificate: section.boolean("trust_server_certificate")?,
            ca_file: section.string("ca_file")?,
            connect_timeout: section.duration("connect_timeout")?,
            statement_timeout: section.duration("statement_timeout")?,
            application_name: section.string("application_name")?,
        };
        section.finish()?;
        Ok(raw)
    }
}

impl RawPool {
    fn read(mut section: Section<'_, '_>) -> Result<Self, ConfigError> {
        let raw = RawPool {
            max_per_workspace: section.integer("max_per_workspace")?,
            max_cached_workspaces: section.integer("max_cached_workspaces")?,
            max_per_server: section.integer("max_per_server")?,
            idle_timeout: section.duration("idle_timeout")?,
            health_check_after: section.duration("health_check_after")?,
        };
        section.finish()?;
        Ok(raw)
    }
}

impl RawRetry {
    fn read(mut section: Section<'_, '_>) -> Result<Self, ConfigError> {
        let raw = RawRetry {
            initial_backoff: section.duration("initial_backoff")?,
            max_backoff: section.duration("max_backoff")?,
            max_attempts: section.integer("max_attempts")?,
            evict_after_failures: section.integer("evict_after_failures")?,
        };
        section.finish()?;
        Ok(raw)
    }
}

impl RawRun {
    fn read(mut section: Section<'_, '_>) -> Result<Self, ConfigError> {
        let raw = RawRun {
            concurrency: section.integer("concurrency")?,
            lock_timeout: section.duration("lock_timeout")?,
            protected: section.boolean("protected")?,
        };
        section.finish()?;
        Ok(raw)
    }
}

impl RawEnv {
    /// Every string value of this environment that `${VAR}` expansion
    /// applies to, so their variables can be captured at load.
    pub(crate) fn templates(&self) -> Vec<&str> {
        let secrets = [&self.control_url, &self.mssql.password];
        let texts = [
            &self.workspaces,
            &self.mssql.user,
            &self.mssql.encrypt,
            &self.mssql.ca_file,
            &self.mssql.connect_timeout,
            &self.mssql.statement_timeout,
            &self.mssql.application_name,
            &self.pool.idle_timeout,
            &self.pool.health_check_after,
            &self.retry.initial_backoff,
            &self.retry.max_backoff,
            &self.run.lock_timeout,
        ];
        let secrets = secrets
            .into_iter()
            .flatten()
            .map(|item| item.value.expose().as_str());
        let texts = texts.into_iter().flatten().map(|item| item.value.as_str());
        secrets.chain(texts).collect()
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::config::ConfigErrorKind;
    use crate::config::document::Source;

    fn read(text: &str) -> Result<RawFile, ConfigError> {
        let source = Source::new(Path::new("wsdb.toml"), text);
        let document = source.parse()?;
        RawFile::read(Section::root(&source, &document))
    }

    #[test]
    fn reads_every_env_and_keeps_templates_unexpanded() {
        let text = r#"
default_env = "dev"
[env.dev]
control_url = "postgres://app:${PW}@db/app"
workspaces = "SELECT id FROM w"
[env.dev.pool]
max_per_workspace = 3
[env.prod.run]
lock_timeout = "${LOCK:-1m}"
"#;
        let raw = read(text).expect("valid");
        assert_eq!(
            raw.default_env.map(|item| item.value),
            Some("dev".to_owned())
        );
        let names: Vec<_> = raw.envs.iter().map(|env| env.name.as_str()).collect();
        assert_eq!(names, ["dev", "prod"]);
        let dev = &raw.envs[0];
        assert_eq!(
            dev.pool
                .max_per_workspace
                .as_ref()
                .map(|item| (item.value, item.line)),
            Some((3, 7))
        );
        assert_eq!(
            dev.templates(),
            ["postgres://app:${PW}@db/app", "SELECT id FROM w"]
        );
        assert_eq!(raw.envs[1].templates(), ["${LOCK:-1m}"]);
    }

    #[test]
    fn checks_types_in_every_env_not_only_the_selected_one() {
        let text = "[env.dev]\n[env.prod.retry]\nmax_attempts = \"5\"\n";
        let error = read(text).expect_err("wrong type in prod");
        assert_eq!(error.kind(), ConfigErrorKind::WrongType);
        assert_eq!(error.key(), Some("env.prod.retry.max_attempts"));
        assert_eq!(error.line(), Some(3));
    }

    #[test]
    fn raw_debug_hides_literal_passwords() {
        let text = "[env.dev]\ncontrol_url = \"postgres://a:hunter2@db/a\"\n[env.dev.mssql]\npassword = \"hunter2\"\n";
        let debug = format!("{:?}", read(text).expect("valid"));
        assert!(!debug.contains("hunter2"), "{debug}");
    }

    #[test]
    fn unknown_keys_are_found_at_every_level() {
        let cases = [
            ("migration = \"m\"\n", "migration", Some("migrations")),
            (
                "[env.dev]\ncontrol_uri = \"x\"\n",
                "env.dev.control_uri",
                Some("control_url"),
            ),
            (
                "[env.dev.mssql]\npasword = \"x\"\n",
                "env.dev.mssql.pasword",
                Some("password"),
            ),
            (
                "[env.dev.pool]\nidle_timout = \"1m\"\n",
                "env.dev.pool.idle_timout",
                Some("idle_timeout"),
            ),
            (
                "[env.dev.retry]\nbackoff = \"1s\"\n",
                "env.dev.retry.backoff",
                Some("max_backoff"),
            ),
            (
                "[env.dev.retry]\ncolour = \"red\"\n",
                "env.dev.retry.colour",
                None,
            ),
            (
                "[env.dev.run]\nconcurency = 2\n",
                "env.dev.run.concurency",
                Some("concurrency"),
            ),
            ("[env.dev.tls]\n", "env.dev.tls", None),
        ];
        for (text, key, suggestion) in cases {
            let error = read(text).expect_err(key);
            assert_eq!(error.key(), Some(key), "{text}");
            match error.problem() {
                crate::config::Problem::UnknownKey {
                    suggestion: found, ..
                } => {
                    assert_eq!(found.as_deref(), suggestion, "{text}");
                }
                other => panic!("{text}: expected an unknown key, got {other:?}"),
            }
        }
    }
}
