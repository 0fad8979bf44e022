//! The migration file naming rule: `<version>_<name>.up.sql` and
//! `<version>_<name>.down.sql`.
//!
//! - `version`: ASCII digits, leading zeros allowed, a value in
//!   `1..=i64::MAX` (history stores it as BIGINT);
//! - `name`: one or more of `A-Z a-z 0-9 _`. A `-` is refused (with a hint to
//!   use `_`) so that a name reads the same in a file, in the history table
//!   and in a shell without quoting;
//! - the suffix is exactly `.up.sql` or `.down.sql`, lower case.
//!
//! Files whose names do not end in `.sql` (in any case) are not migrations
//! and are ignored (README.md, wsdb.sum, .gitkeep), as are hidden files
//! (editor locks such as `.#0001_x.up.sql`). A `.sql` file that breaks the
//! rule is an error rather than ignored: `0003_x.sql` or `3_x.UP.SQL` is a
//! migration someone meant to run.
//!
//! This module only reads names; it does not touch the file system.

use std::fmt;

use super::Version;

/// Whether a file is the up or the down script of its migration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ScriptKind {
    Up,
    Down,
}

impl ScriptKind {
    /// The file name suffix, `.up.sql` or `.down.sql`.
    pub fn suffix(self) -> &'static str {
        match self {
            ScriptKind::Up => ".up.sql",
            ScriptKind::Down => ".down.sql",
        }
    }
}

impl fmt::Display for ScriptKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ScriptKind::Up => "up",
            ScriptKind::Down => "down",
        })
    }
}

/// A file name that follows the rule, taken apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigrationFileName {
    pub version: Version,
    /// The version as written, e.g. `0003` (its width matters to `wsdb new`).
    pub version_text: String,
    pub name: String,
    pub kind: ScriptKind,
}

impl MigrationFileName {
    /// The file name of the other script of the same migration.
    pub fn sibling(&self, kind: ScriptKind) -> String {
        format!("{}_{}{}", self.version_text, self.name, kind.suffix())
    }
}

/// Why a `.sql` file name breaks the rule.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NameError {
    #[error("expected `.up.sql` or `.down.sql` at the end, found `{found}`")]
    MissingKind { found: String },
    #[error("expected a lower-case `{expected}` suffix, found `{found}`")]
    SuffixCase {
        expected: &'static str,
        found: String,
    },
    #[error("expected `<version>_<name>` before the suffix, found `{found}`")]
    MissingSeparator { found: String },
    #[error("expected the version to be digits, found `{found}`")]
    NonNumericVersion { found: String },
    #[error("expected a version from 1 to {max}, found `{found}`", max = Version::MAX)]
    VersionOutOfRange { found: String },
    #[error("expected a name of letters, digits and `_`, found `{found}`")]
    EmptyName { found: String },
    #[error("expected a name of letters, digits and `_`, found `{bad}` in `{name}`{}", if *.bad == '-' { " (use `_` instead of `-`)" } else { "" })]
    BadNameChar { name: String, bad: char },
    #[error("expected a UTF-8 file name, found `{found}`")]
    NotUtf8 { found: String },
}

/// Reads a file name. `Ok(None)`: not a migration file, to be ignored.
pub fn parse_file_name(file_name: &str) -> Result<Option<MigrationFileName>, NameError> {
    let lower = file_name.to_ascii_lowercase();
    if file_name.starts_with('.') || !lower.ends_with(".sql") {
        return Ok(None);
    }
    let kind = [ScriptKind::Up, ScriptKind::Down]
        .into_iter()
        .find(|kind| lower.ends_with(kind.suffix()))
        .ok_or_else(|| NameError::MissingKind {
            found: file_name.to_owned(),
        })?;
    let stem_len = file_name.len() - kind.suffix().len();
    if &file_name[stem_len..] != kind.suffix() {
        return Err(NameError::SuffixCase {
            expected: kind.suffix(),
            found: file_name[stem_len..].to_owned(),
        });
    }
    let stem = &file_name[..stem_len];
    let (version_text, name) = stem
        .split_once('_')
        .ok_or_else(|| NameError::MissingSeparator {
            found: stem.to_owned(),
        })?;
    let version = parse_version(version_text)?;
    validate_name(name)?;
    Ok(Some(MigrationFileName {
        version,
        version_text: version_text.to_owned(),
        name: name.to_owned(),
        kind,
    }))
}

/// Checks the `<version>` part of a file name.
pub fn parse_version(text: &str) -> Result<Version, NameError> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(NameError::NonNumericVersion {
            found: text.to_owned(),
        });
    }
    text.parse::<u64>()
        .ok()
        .and_then(Version::new)
        .ok_or_else(|| NameError::VersionOutOfRange {
            found: text.to_owned(),
        })
}

/// Checks the `<name>` part of a file name (also used by `wsdb new`).
pub fn validate_name(name: &str) -> Result<(), NameError> {
    if name.is_empty() {
        return Err(NameError::EmptyName {
            found: name.to_owned(),
        });
    }
    match name
        .chars()
        .find(|&c| !(c.is_ascii_alphanumeric() || c == '_'))
    {
        Some(bad) => Err(NameError::BadNameChar {
            name: name.to_owned(),
            bad,
        }),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_the_rule() {
        let cases = [
            (
                "0001_base_schema.up.sql",
                1,
                "0001",
                "base_schema",
                ScriptKind::Up,
            ),
            (
                "0001_base_schema.down.sql",
                1,
                "0001",
                "base_schema",
                ScriptKind::Down,
            ),
            (
                "20261129120000_Add2.up.sql",
                20_261_129_120_000,
                "20261129120000",
                "Add2",
                ScriptKind::Up,
            ),
            ("7__x.up.sql", 7, "7", "_x", ScriptKind::Up),
            (
                "9223372036854775807_max.up.sql",
                Version::MAX,
                "9223372036854775807",
                "max",
                ScriptKind::Up,
            ),
        ];
        for (file, version, version_text, name, kind) in cases {
            let parsed = parse_file_name(file).unwrap().unwrap();
            assert_eq!(
                (
                    parsed.version.get(),
                    parsed.version_text.as_str(),
                    parsed.name.as_str(),
                    parsed.kind
                ),
                (version, version_text, name, kind),
                "{file}"
            );
        }
    }

    #[test]
    fn ignores_what_is_not_sql() {
        for file in [
            "README.md",
            "wsdb.sum",
            ".gitkeep",
            ".#0001_x.up.sql",
            "0001_x.up.sql~",
            "0001_x.up.sql.orig",
        ] {
            assert_eq!(parse_file_name(file), Ok(None), "{file}");
        }
    }

    #[test]
    fn refuses_sql_files_that_break_the_rule() {
        type IsKind = fn(&NameError) -> bool;
        let cases: [(&str, IsKind); 11] = [
            ("0003_x.sql", |e| matches!(e, NameError::MissingKind { .. })),
            ("0003_x.UP.SQL", |e| {
                matches!(e, NameError::SuffixCase { .. })
            }),
            ("0003_x.up.SQL", |e| {
                matches!(e, NameError::SuffixCase { .. })
            }),
            ("0003.up.sql", |e| {
                matches!(e, NameError::MissingSeparator { .. })
            }),
            ("v3_x.up.sql", |e| {
                matches!(e, NameError::NonNumericVersion { .. })
            }),
            ("_x.up.sql", |e| {
                matches!(e, NameError::NonNumericVersion { .. })
            }),
            ("0000_x.up.sql", |e| {
                matches!(e, NameError::VersionOutOfRange { .. })
            }),
            ("9223372036854775808_x.up.sql", |e| {
                matches!(e, NameError::VersionOutOfRange { .. })
            }),
            ("0003_.up.sql", |e| matches!(e, NameError::EmptyName { .. })),
            ("0003_add-invoices.up.sql", |e| {
                matches!(e, NameError::BadNameChar { bad: '-', .. })
            }),
            ("0003_a.b.down.sql", |e| {
                matches!(e, NameError::BadNameChar { bad: '.', .. })
            }),
        ];
        for (file, expected) in cases {
            let error = parse_file_name(file).unwrap_err();
            assert!(expected(&error), "{file}: {error:?}");
        }
    }

    #[test]
    fn messages_say_what_was_expected_and_found() {
        let error = parse_file_name("0003_add-invoices.up.sql").unwrap_err();
        assert_eq!(
            error.to_string(),
            "expected a name of letters, digits and `_`, found `-` in `add-invoices` (use `_` instead of `-`)"
        );
    }

    #[test]
    fn siblings_keep_the_version_as_written() {
        let parsed = parse_file_name("007_x.up.sql").unwrap().unwrap();
        assert_eq!(parsed.sibling(ScriptKind::Down), "007_x.down.sql");
    }
}
