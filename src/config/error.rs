//! [`ConfigError`]: everything that can be wrong with `wsdb.toml`.
//!
//! Owns the error's structure (file, 1-based line, key path, [`Problem`]),
//! its one-line rendering with an optional `hint:` line, and
//! [`ConfigErrorKind`] for callers that branch on the kind. It does not
//! detect anything: the reader, the expansion and the validation build these.
//!
//! Rendering: `wsdb.toml:14: `env.dev.pool.idle_timout` is not a known key`,
//! then `hint: did you mean `idle_timeout`?`. A [`Problem`] reads as the
//! predicate of its key, so the key is written once, by [`ConfigError`].
//! No variant carries a secret's value: a bad `control_url` is described by
//! the URL parser's reason alone, and interpolation faults by position.

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

use super::control_url::UrlFault;
use super::duration::DurationError;
use super::expand::ExpandFault;

/// What is wrong. Keyed problems read as a predicate: "`key` is required".
#[derive(Debug, thiserror::Error)]
pub enum Problem {
    #[error("cannot read the file: {source}")]
    Read { source: io::Error },
    #[error("invalid TOML: {message}")]
    Syntax { message: String },
    #[error("is not a known key")]
    UnknownKey {
        suggestion: Option<String>,
        known: Vec<&'static str>,
    },
    #[error("must be {expected}, found {found}")]
    WrongType {
        expected: &'static str,
        found: &'static str,
        hint: Option<&'static str>,
    },
    #[error("is required")]
    MissingKey { example: &'static str },
    #[error("no environment is defined")]
    NoEnv,
    #[error(
        "environment `{name}` is not defined; defined: {}",
        quoted_list(available)
    )]
    UnknownEnv {
        name: String,
        available: Vec<String>,
        suggestion: Option<String>,
    },
    #[error(
        "names `{name}`, which is not an environment of this file; defined: {}",
        quoted_list(available)
    )]
    UnknownDefaultEnv {
        name: String,
        available: Vec<String>,
        suggestion: Option<String>,
    },
    #[error(
        "several environments are defined and none is selected; defined: {}",
        quoted_list(available)
    )]
    AmbiguousEnv { available: Vec<String> },
    #[error("{fault}")]
    Expand { fault: ExpandFault },
    #[error("must be a duration such as \"10s\", found {found}: {source}")]
    BadDuration {
        found: String,
        source: DurationError,
    },
    #[error("must be between {min} and {max}, found {found}")]
    OutOfRange { min: i64, max: i64, found: i64 },
    #[error("must be {expected}, found {found}")]
    InvalidValue {
        expected: String,
        found: String,
        hint: Option<String>,
    },
    #[error("conflicts with `{other}`: {reason}")]
    Conflict {
        other: String,
        reason: String,
        hint: Option<String>,
    },
    #[error("names `{}`, which is not an existing file (looked for `{}`)", file.display(), resolved.display())]
    MissingFile { file: PathBuf, resolved: PathBuf },
    #[error("is not a valid PostgreSQL URL: {reason}")]
    BadControlUrl { reason: UrlFault },
}

/// The kind of a [`ConfigError`], for tests and callers that branch on it
/// without matching text or fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ConfigErrorKind {
    Read,
    Syntax,
    UnknownKey,
    WrongType,
    MissingKey,
    NoEnv,
    UnknownEnv,
    AmbiguousEnv,
    MissingVariable,
    BadInterpolation,
    BadDuration,
    OutOfRange,
    InvalidValue,
    Conflict,
    MissingFile,
    BadControlUrl,
}

/// A problem in one configuration file, located as precisely as possible.
#[derive(Debug)]
pub struct ConfigError {
    path: PathBuf,
    line: Option<usize>,
    key: Option<String>,
    /// Boxed: errors travel in every `Result` of the module, and the
    /// largest problems are several times the size of the rest.
    problem: Box<Problem>,
}

impl ConfigError {
    pub(crate) fn new(path: &Path, problem: Problem) -> Self {
        ConfigError {
            path: path.to_owned(),
            line: None,
            key: None,
            problem: Box::new(problem),
        }
    }

    pub(crate) fn at(mut self, key: impl Into<String>, line: usize) -> Self {
        self.key = Some(key.into());
        self.line = Some(line);
        self
    }

    pub(crate) fn at_line(mut self, line: usize) -> Self {
        self.line = Some(line);
        self
    }

    /// The configuration file, as the user named it.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The 1-based line the problem is on, when it is on one.
    pub fn line(&self) -> Option<usize> {
        self.line
    }

    /// The dotted key path, e.g. `env.dev.pool.idle_timeout`.
    pub fn key(&self) -> Option<&str> {
        self.key.as_deref()
    }

    pub fn problem(&self) -> &Problem {
        &self.problem
    }

    pub fn kind(&self) -> ConfigErrorKind {
        use ConfigErrorKind as Kind;
        match self.problem.as_ref() {
            Problem::Read { .. } => Kind::Read,
            Problem::Syntax { .. } => Kind::Syntax,
            Problem::UnknownKey { .. } => Kind::UnknownKey,
            Problem::WrongType { .. } => Kind::WrongType,
            Problem::MissingKey { .. } => Kind::MissingKey,
            Problem::NoEnv => Kind::NoEnv,
            Problem::UnknownEnv { .. } | Problem::UnknownDefaultEnv { .. } => Kind::UnknownEnv,
            Problem::AmbiguousEnv { .. } => Kind::AmbiguousEnv,
            Problem::Expand {
                fault: ExpandFault::MissingVariable { .. },
            } => Kind::MissingVariable,
            Problem::Expand { .. } => Kind::BadInterpolation,
            Problem::BadDuration { .. } => Kind::BadDuration,
            Problem::OutOfRange { .. } => Kind::OutOfRange,
            Problem::InvalidValue { .. } => Kind::InvalidValue,
            Problem::Conflict { .. } => Kind::Conflict,
            Problem::MissingFile { .. } => Kind::MissingFile,
            Problem::BadControlUrl { .. } => Kind::BadControlUrl,
        }
    }

    /// What the user can do about it, when there is something to do.
    pub fn hint(&self) -> Option<String> {
        match self.problem.as_ref() {
            Problem::Read { source } if source.kind() == io::ErrorKind::NotFound => Some(
                "run `wsdb init` to write one, or point `--config` (or `WSDB_CONFIG`) at it"
                    .to_owned(),
            ),
            Problem::UnknownKey {
                suggestion: Some(suggestion),
                ..
            }
            | Problem::UnknownEnv {
                suggestion: Some(suggestion),
                ..
            }
            | Problem::UnknownDefaultEnv {
                suggestion: Some(suggestion),
                ..
            } => Some(format!("did you mean `{suggestion}`?")),
            Problem::UnknownKey { known, .. } if !known.is_empty() => {
                Some(format!("known keys here: {}", quoted_list(known)))
            }
            Problem::MissingKey { example } => self.key.as_deref().map(|key| {
                let (table, leaf) = key.rsplit_once('.').unwrap_or(("", key));
                format!("add `{leaf} = {example}` to `[{table}]`")
            }),
            Problem::NoEnv => Some(
                "add an `[env.dev]` table with `control_url` and `workspaces` (`wsdb init` writes an example)"
                    .to_owned(),
            ),
            Problem::UnknownEnv { .. } => {
                Some("pass one of the defined environments to `--env` (or `WSDB_ENV`)".to_owned())
            }
            Problem::UnknownDefaultEnv { .. } => {
                Some("set `default_env` to one of the defined environments".to_owned())
            }
            Problem::AmbiguousEnv { .. } => Some(
                "pass `--env NAME` (or set `WSDB_ENV`), or set `default_env` in the file".to_owned(),
            ),
            Problem::Expand {
                fault: ExpandFault::MissingVariable { name },
            } => Some(format!(
                "set `{name}` in the environment, or give a default: `${{{name}:-value}}`"
            )),
            Problem::Expand { .. } => Some(
                "write `${NAME}` or `${NAME:-default}` (names are letters, digits and `_`); write `$$` for a literal `$`"
                    .to_owned(),
            ),
            Problem::BadDuration { source, .. } => Some(source.hint()),
            Problem::WrongType { hint, .. } => hint.map(str::to_owned),
            Problem::InvalidValue { hint, .. } | Problem::Conflict { hint, .. } => hint.clone(),
            Problem::MissingFile { .. } => {
                Some("relative paths start at the folder of the configuration file".to_owned())
            }
            Problem::BadControlUrl { .. } => Some(
                "write `postgres://USER:PASSWORD@HOST:PORT/DATABASE`, percent-encoding special characters"
                    .to_owned(),
            ),
            _ => None,
        }
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        f.write_str(": ")?;
        if let Some(key) = &self.key {
            write!(f, "`{key}` ")?;
        }
        write!(f, "{}", self.problem)?;
        if let Some(hint) = self.hint() {
            write!(f, "\nhint: {hint}")?;
        }
        Ok(())
    }
}

/// The message already includes the underlying reason (an I/O error, a
/// duration or URL fault), so `source` stays empty: an error-chain printer
/// would otherwise repeat it.
impl std::error::Error for ConfigError {}

/// `a`, `b`, `c` with backticks, for lists of names in messages.
pub(crate) fn quoted_list(names: &[impl AsRef<str>]) -> String {
    names
        .iter()
        .map(|name| format!("`{}`", name.as_ref()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The candidate closest to `unknown`, if it is close enough to be what the
/// user meant. Jaro-Winkler, like cargo's and clap's suggestions.
pub(crate) fn did_you_mean<'c>(
    unknown: &str,
    candidates: impl IntoIterator<Item = &'c str>,
) -> Option<String> {
    let unknown = unknown.to_lowercase();
    candidates
        .into_iter()
        .map(|candidate| (strsim::jaro_winkler(&unknown, candidate), candidate))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, candidate)| candidate.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_file_line_key_and_hint() {
        let error = ConfigError::new(
            Path::new("wsdb.toml"),
            Problem::UnknownKey {
                suggestion: Some("idle_timeout".to_owned()),
                known: vec!["idle_timeout"],
            },
        )
        .at("env.dev.pool.idle_timout", 14);
        assert_eq!(
            error.to_string(),
            "wsdb.toml:14: `env.dev.pool.idle_timout` is not a known key\nhint: did you mean `idle_timeout`?"
        );
        assert_eq!(error.kind(), ConfigErrorKind::UnknownKey);
        assert_eq!(error.line(), Some(14));
        assert_eq!(error.key(), Some("env.dev.pool.idle_timout"));
        assert_eq!(error.path(), Path::new("wsdb.toml"));
    }

    #[test]
    fn renders_without_line_or_key_when_there_is_none() {
        let error = ConfigError::new(
            Path::new("conf/wsdb.toml"),
            Problem::AmbiguousEnv {
                available: vec!["dev".to_owned(), "prod".to_owned()],
            },
        );
        let text = error.to_string();
        assert!(
            text.starts_with("conf/wsdb.toml: several environments are defined and none is selected; defined: `dev`, `prod`\nhint: "),
            "{text}"
        );
    }

    #[test]
    fn missing_key_hint_names_the_table() {
        let error = ConfigError::new(
            Path::new("wsdb.toml"),
            Problem::MissingKey {
                example: "\"postgres://app@db/app\"",
            },
        )
        .at("env.dev.control_url", 4);
        assert_eq!(
            error.hint().as_deref(),
            Some("add `control_url = \"postgres://app@db/app\"` to `[env.dev]`")
        );
    }

    #[test]
    fn suggestions_only_when_close() {
        let keys = ["idle_timeout", "health_check_after", "max_per_server"];
        let cases = [
            ("idle_timout", Some("idle_timeout")),
            ("IDLE_TIMEOUT", Some("idle_timeout")),
            ("health_check", Some("health_check_after")),
            ("max_per_srv", Some("max_per_server")),
            ("colour", None),
        ];
        for (unknown, expected) in cases {
            assert_eq!(
                did_you_mean(unknown, keys).as_deref(),
                expected,
                "{unknown}"
            );
        }
    }
}
