//! The bad-input corpus: every file under `tests/fixtures/config/` holds one
//! mistake, and this table says which error it must produce and where.
//!
//! Owns the check that each message names the file and, when the problem is
//! on a line, that line; that no message leaks the test password; and that
//! no corpus file lacks a row here. It does not test the good paths (the
//! modules' own tests do).

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use super::test_support::{PASSWORD, vars};
use super::{ConfigError, ConfigErrorKind as Kind, load};

struct Case {
    file: &'static str,
    kind: Kind,
    line: Option<usize>,
    /// A piece the message (with its hint) must contain.
    mentions: &'static str,
}

const fn case(file: &'static str, kind: Kind, line: Option<usize>, mentions: &'static str) -> Case {
    Case {
        file,
        kind,
        line,
        mentions,
    }
}

const CASES: &[Case] = &[
    case("malformed_toml.toml", Kind::Syntax, Some(4), "invalid TOML"),
    case("duplicate_key.toml", Kind::Syntax, Some(5), "duplicate key"),
    case(
        "unknown_top_level_key.toml",
        Kind::UnknownKey,
        Some(3),
        "hint: did you mean `migrations`?",
    ),
    case(
        "unknown_nested_key.toml",
        Kind::UnknownKey,
        Some(8),
        "`env.dev.pool.idle_timout` is not a known key\nhint: did you mean `idle_timeout`?",
    ),
    case(
        "unknown_table.toml",
        Kind::UnknownKey,
        Some(6),
        "`env.dev.tls` is not a known key",
    ),
    case(
        "wrong_type.toml",
        Kind::WrongType,
        Some(7),
        "`env.dev.run.concurrency` must be an integer, found a string",
    ),
    case(
        "env_not_a_table.toml",
        Kind::WrongType,
        Some(3),
        "hint: put each environment's settings in its own table",
    ),
    case(
        "bad_duration.toml",
        Kind::BadDuration,
        Some(7),
        "found \"10 seconds\": unexpected character ` `",
    ),
    case(
        "bare_number_duration.toml",
        Kind::BadDuration,
        Some(7),
        "hint: a bare number is ambiguous: write \"30s\"",
    ),
    case(
        "integer_duration.toml",
        Kind::BadDuration,
        Some(7),
        "the number `300` has no unit",
    ),
    case(
        "zero_duration.toml",
        Kind::InvalidValue,
        Some(7),
        "must be a duration longer than zero",
    ),
    case(
        "bad_enum.toml",
        Kind::InvalidValue,
        Some(7),
        "must be one of `off`, `on`, `required`, found `yes`",
    ),
    case(
        "missing_env_var.toml",
        Kind::MissingVariable,
        Some(8),
        "uses `${WSDB_CORPUS_UNSET_PASSWORD}`, which is not set",
    ),
    case(
        "unterminated_interpolation.toml",
        Kind::BadInterpolation,
        Some(3),
        "unterminated `${` at character 16",
    ),
    case(
        "bad_variable_name.toml",
        Kind::BadInterpolation,
        Some(4),
        "without a valid variable name",
    ),
    case(
        "default_env_missing.toml",
        Kind::UnknownEnv,
        Some(2),
        "`default_env` names `production`",
    ),
    case(
        "no_env.toml",
        Kind::NoEnv,
        None,
        "no environment is defined",
    ),
    case(
        "several_envs_none_selected.toml",
        Kind::AmbiguousEnv,
        None,
        "hint: pass `--env NAME`",
    ),
    case(
        "missing_control_url.toml",
        Kind::MissingKey,
        Some(2),
        "`env.dev.control_url` is required",
    ),
    case(
        "ca_file_missing.toml",
        Kind::MissingFile,
        Some(7),
        "names `certs/no-such-ca.pem`",
    ),
    case(
        "ca_file_with_encrypt_off.toml",
        Kind::Conflict,
        Some(8),
        "conflicts with `env.dev.mssql.encrypt`",
    ),
    case(
        "trust_with_ca_file.toml",
        Kind::Conflict,
        Some(8),
        "conflicts with `env.dev.mssql.trust_server_certificate`",
    ),
    case(
        "bad_control_url.toml",
        Kind::BadControlUrl,
        Some(3),
        "invalid port number",
    ),
    case(
        "control_url_not_postgres.toml",
        Kind::BadControlUrl,
        Some(3),
        "must start with `postgres://`",
    ),
    case(
        "empty_workspaces_query.toml",
        Kind::InvalidValue,
        Some(4),
        "found an empty string",
    ),
    case(
        "concurrency_zero.toml",
        Kind::OutOfRange,
        Some(7),
        "must be between 1 and 1024, found 0",
    ),
    case(
        "backoff_initial_above_max.toml",
        Kind::Conflict,
        Some(7),
        "the first wait (1m) is longer than the longest wait (10s)",
    ),
    case(
        "health_check_after_idle_timeout.toml",
        Kind::Conflict,
        Some(8),
        "`env.dev.pool.health_check_after` conflicts with `env.dev.pool.idle_timeout`",
    ),
    case(
        "application_name_too_long.toml",
        Kind::InvalidValue,
        Some(7),
        "at most 128 characters, found 136 characters",
    ),
];

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/config")
}

/// Loads the file and resolves the env the CLI would pick without `--env`.
fn load_and_select(path: &Path) -> Result<(), ConfigError> {
    load(path, &vars)?.select_env(None).map(drop)
}

#[test]
fn every_bad_input_is_refused_with_kind_file_and_line() {
    for case in CASES {
        let path = corpus_dir().join(case.file);
        let error = load_and_select(&path).expect_err(case.file);
        let message = error.to_string();
        assert_eq!(error.kind(), case.kind, "{}: {message}", case.file);
        assert_eq!(error.line(), case.line, "{}: {message}", case.file);
        assert_eq!(error.path(), path, "{}", case.file);
        let location = match case.line {
            Some(line) => format!("{}:{line}: ", path.display()),
            None => format!("{}: ", path.display()),
        };
        assert!(message.starts_with(&location), "{}: {message}", case.file);
        assert!(message.contains(case.mentions), "{}: {message}", case.file);
        assert!(!message.contains(PASSWORD), "{}: {message}", case.file);
        assert!(!message.contains("hunter2"), "{}: {message}", case.file);
        assert_eq!(
            message.lines().count(),
            1 + usize::from(error.hint().is_some()),
            "{message}"
        );
    }
}

#[test]
fn every_corpus_file_has_a_case() {
    let on_disk: BTreeSet<String> = fs::read_dir(corpus_dir())
        .expect("corpus folder")
        .map(|entry| {
            entry
                .expect("entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|name| name.ends_with(".toml"))
        .collect();
    let in_table: BTreeSet<String> = CASES.iter().map(|case| case.file.to_owned()).collect();
    assert_eq!(on_disk, in_table);
    assert!(in_table.len() >= 15);
}
