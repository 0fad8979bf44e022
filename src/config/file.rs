//! Loading `wsdb.toml` and choosing an environment.
//!
//! Owns [`load`] (read, parse, check the structure of every environment,
//! capture the referenced environment variables, resolve the top-level keys)
//! and [`ConfigFile::select_env`] (explicit name, then `default_env`, then
//! the only environment). It does not find the file (the CLI passes
//! `--config`/`WSDB_CONFIG` or `wsdb.toml`), nor check that the migrations
//! folder exists: the commands that need it do.

use std::fs;
use std::path::{Path, PathBuf};

use super::EnvConfig;
use super::document::{Item, Section, Source};
use super::error::{ConfigError, Problem, did_you_mean};
use super::expand::{Variables, referenced_variables};
use super::raw::{RawEnv, RawFile};
use super::resolve::Resolver;

/// A loaded configuration file: structurally valid, environments not yet
/// resolved. Debug output shows variable names and templates, never a
/// variable's value nor a literal password.
#[derive(Debug, Clone)]
pub struct ConfigFile {
    /// The file, as the user named it (error messages use this form).
    pub path: PathBuf,
    /// `default_env`, expanded; it names one of the environments.
    pub default_env: Option<String>,
    /// `migrations`, expanded and resolved against the file's folder
    /// (default `migrations`). Not checked for existence here.
    pub migrations_dir: PathBuf,
    /// The folder relative paths in the file start from.
    pub config_dir: PathBuf,
    envs: Vec<RawEnv>,
    variables: Variables,
}

/// Reads and checks `path`. `vars` looks up environment variables (pass
/// `|name| std::env::var(name).ok()`; tests inject their own). Only the
/// variables the file refers to are looked up, once, here.
pub fn load(
    path: &Path,
    vars: &impl Fn(&str) -> Option<String>,
) -> Result<ConfigFile, ConfigError> {
    let text = fs::read_to_string(path)
        .map_err(|source| ConfigError::new(path, Problem::Read { source }))?;
    // Editors on Windows may save a BOM; it is not part of the TOML.
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let source = Source::new(path, text);
    let document = source.parse()?;
    let raw = RawFile::read(Section::root(&source, &document))?;
    if raw.envs.is_empty() {
        return Err(ConfigError::new(path, Problem::NoEnv));
    }

    let top_level = [&raw.default_env, &raw.migrations];
    let templates = top_level
        .into_iter()
        .flatten()
        .map(|item| item.value.as_str())
        .chain(raw.envs.iter().flat_map(RawEnv::templates));
    let variables = Variables::capture(templates.flat_map(referenced_variables), vars);

    let config_dir = path.parent().unwrap_or(Path::new("")).to_owned();
    let resolver = Resolver {
        path,
        config_dir: &config_dir,
        variables: &variables,
    };
    let migrations_dir = match &raw.migrations {
        Some(item) => {
            config_dir.join(resolver.non_empty(item, "the path of the migrations folder")?)
        }
        None => config_dir.join("migrations"),
    };
    let default_env = match &raw.default_env {
        Some(item) => Some(checked_default_env(&resolver, item, &raw.envs)?),
        None => None,
    };
    Ok(ConfigFile {
        path: path.to_owned(),
        default_env,
        migrations_dir,
        config_dir,
        envs: raw.envs,
        variables,
    })
}

fn checked_default_env(
    resolver: &Resolver<'_>,
    item: &Item<String>,
    envs: &[RawEnv],
) -> Result<String, ConfigError> {
    let name = resolver.text(item)?;
    if envs.iter().any(|env| env.name == name) {
        return Ok(name);
    }
    let available: Vec<String> = envs.iter().map(|env| env.name.clone()).collect();
    let problem = Problem::UnknownDefaultEnv {
        suggestion: did_you_mean(&name, available.iter().map(String::as_str)),
        name,
        available,
    };
    Err(ConfigError::new(resolver.path, problem).at(item.key.as_str(), item.line))
}

impl ConfigFile {
    /// The environments, in file order.
    pub fn env_names(&self) -> impl Iterator<Item = &str> {
        self.envs.iter().map(|env| env.name.as_str())
    }

    /// Resolves one environment: `explicit` (from `--env` or `WSDB_ENV`),
    /// else `default_env`, else the only environment of the file. Only this
    /// environment's variables are expanded and its values validated.
    pub fn select_env(&self, explicit: Option<&str>) -> Result<EnvConfig, ConfigError> {
        let raw = self.pick(explicit)?;
        let resolver = Resolver {
            path: &self.path,
            config_dir: &self.config_dir,
            variables: &self.variables,
        };
        resolver.resolve(raw)
    }

    fn pick(&self, explicit: Option<&str>) -> Result<&RawEnv, ConfigError> {
        let available = || self.env_names().map(str::to_owned).collect::<Vec<_>>();
        if let Some(name) = explicit.or(self.default_env.as_deref()) {
            return self
                .envs
                .iter()
                .find(|env| env.name == name)
                .ok_or_else(|| {
                    let problem = Problem::UnknownEnv {
                        name: name.to_owned(),
                        suggestion: did_you_mean(name, self.env_names()),
                        available: available(),
                    };
                    ConfigError::new(&self.path, problem)
                });
        }
        match self.envs.as_slice() {
            [only] => Ok(only),
            _ => Err(ConfigError::new(
                &self.path,
                Problem::AmbiguousEnv {
                    available: available(),
                },
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::ConfigErrorKind;
    use crate::config::test_support::{PASSWORD, TempConfig, with_dev};

    const TWO_ENVS: &str = r#"
[env.dev]
control_url = "postgres://app@127.0.0.1/dev"
workspaces = "SELECT id FROM workspaces"

[env.prod]
control_url = "postgres://app:${WSDB_PROD_PASSWORD}@db/prod"
workspaces = "SELECT id FROM workspaces"
[env.prod.mssql]
user = "${WSDB_PROD_USER"
"#;

    #[test]
    fn explicit_then_default_then_only_env() {
        let with_default = TempConfig::new(&format!("default_env = \"prod\"\n{TWO_ENVS}"));
        let file = with_default.load().expect("loads");
        assert_eq!(file.env_names().collect::<Vec<_>>(), ["dev", "prod"]);
        assert_eq!(
            file.select_env(Some("dev")).expect("dev resolves").name,
            "dev"
        );
        // default_env = prod, whose variable is missing: selected, so it fails.
        let error = file.select_env(None).expect_err("prod needs a variable");
        assert_eq!(error.key(), Some("env.prod.control_url"));

        let single = TempConfig::new(&with_dev(""));
        assert_eq!(
            single
                .load()
                .expect("loads")
                .select_env(None)
                .expect("only env")
                .name,
            "dev"
        );

        let ambiguous = TempConfig::new(TWO_ENVS).load().expect("loads");
        let error = ambiguous
            .select_env(None)
            .expect_err("two envs, no default");
        assert_eq!(error.kind(), ConfigErrorKind::AmbiguousEnv);
        assert!(
            error.to_string().contains("defined: `dev`, `prod`"),
            "{error}"
        );
    }

    #[test]
    fn problems_of_other_envs_do_not_break_the_selected_one() {
        // prod has a missing variable and an unterminated `${`; dev is fine.
        let file = TempConfig::new(TWO_ENVS)
            .load()
            .expect("structure is valid");
        assert!(file.select_env(Some("dev")).is_ok());
        let error = file.select_env(Some("prod")).expect_err("prod is broken");
        assert_eq!(error.kind(), ConfigErrorKind::MissingVariable);
    }

    #[test]
    fn an_unknown_explicit_env_is_refused_with_a_suggestion() {
        let file = TempConfig::new(TWO_ENVS).load().expect("loads");
        let error = file.select_env(Some("prd")).expect_err("no such env");
        assert_eq!(error.kind(), ConfigErrorKind::UnknownEnv);
        assert_eq!(error.line(), None);
        assert_eq!(error.hint().as_deref(), Some("did you mean `prod`?"));
        assert!(
            error
                .to_string()
                .contains("environment `prd` is not defined"),
            "{error}"
        );
    }

    #[test]
    fn migrations_dir_is_relative_to_the_file() {
        let default = TempConfig::new(&with_dev(""));
        let file = default.load().expect("loads");
        assert_eq!(file.migrations_dir, default.dir.path().join("migrations"));
        assert_eq!(file.config_dir, default.dir.path());

        let custom = TempConfig::new(&format!(
            "migrations = \"db/${{WSDB_TEST_USER}}\"\n{}",
            with_dev("")
        ));
        assert_eq!(
            custom.load().expect("loads").migrations_dir,
            custom.dir.path().join("db/app")
        );
    }

    #[test]
    fn a_missing_file_says_how_to_get_one() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("absent.toml");
        let error = load(&path, &|_| None).expect_err("absent");
        assert_eq!(error.kind(), ConfigErrorKind::Read);
        assert!(
            error
                .to_string()
                .contains("absent.toml: cannot read the file"),
            "{error}"
        );
        assert!(error.hint().is_some_and(|hint| hint.contains("wsdb init")));
    }

    #[test]
    fn a_byte_order_mark_is_ignored() {
        let config = TempConfig::new(&format!("\u{feff}{}", with_dev("")));
        assert!(config.load().expect("loads").select_env(None).is_ok());
    }

    #[test]
    fn the_password_from_a_variable_reaches_no_debug_output() {
        let text = with_dev("[env.dev.mssql]\npassword = \"${WSDB_TEST_PASSWORD}\"\n");
        let config = TempConfig::new(&text);
        let file = config.load().expect("loads");
        let env = file.select_env(None).expect("resolves");
        assert_eq!(
            env.mssql.password.as_ref().map(|p| p.expose().as_str()),
            Some(PASSWORD)
        );
        assert!(env.control_url.expose().contains(PASSWORD));
        for debug in [
            format!("{file:?}"),
            format!("{env:?}"),
            format!("{file:#?}"),
            format!("{env:#?}"),
        ] {
            assert!(!debug.contains(PASSWORD), "{debug}");
        }
        // Redacted display of the control URL, as `wsdb check` shows it.
        let shown = crate::config::redact_url(env.control_url.expose());
        assert_eq!(shown, "postgres://app:***@127.0.0.1:5432/app");
    }

    #[test]
    fn the_password_from_a_variable_reaches_no_error_message() {
        let broken_urls = [
            "postgres://app:${WSDB_TEST_PASSWORD}@db:port/app",
            "mysql://app:${WSDB_TEST_PASSWORD}@db/app",
            "app:${WSDB_TEST_PASSWORD}@db/app",
            "${WSDB_TEST_PASSWORD}",
        ];
        for url in broken_urls {
            let text = format!("[env.dev]\ncontrol_url = \"{url}\"\nworkspaces = \"SELECT 1\"\n");
            let error = TempConfig::new(&text)
                .load()
                .expect("loads")
                .select_env(None)
                .expect_err(url);
            assert_eq!(error.kind(), ConfigErrorKind::BadControlUrl, "{url}");
            for shown in [
                error.to_string(),
                format!("{error:?}"),
                format!("{error:#?}"),
            ] {
                assert!(!shown.contains(PASSWORD), "{url}: {shown}");
            }
        }
    }
}
