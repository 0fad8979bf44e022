//! `wsdb new NAME`: creates the next migration's `.up.sql` and `.down.sql`
//! with a short comment header, never overwriting a file.
//!
//! The next version is either sequential (the highest version plus one,
//! zero-padded to the width the directory already uses, four digits in an
//! empty one) or a UTC timestamp `YYYYMMDDHHMMSS` (one more than the highest
//! version if the clock is behind it, so versions only grow).
//!
//! This module does not update `wsdb.sum`: the CLI calls
//! [`super::sum::record_new`] afterwards. The new files hold only comments,
//! so the set will not load until the up file has statements: that is on
//! purpose, an empty migration must not be applied.

use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

use super::Version;
use super::naming::{ScriptKind, validate_name};
use super::source::{SourceError, scan_dir};

/// How `wsdb new` numbers the next migration.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum VersionStyle {
    /// The highest version plus one: `0001`, `0002`, ...
    #[default]
    Sequential,
    /// The current UTC time, `20261129120000`: fewer collisions between
    /// branches, at the price of gaps (which lint then does not report).
    Timestamp,
}

/// The default width of a sequential version in an empty directory.
const DEFAULT_WIDTH: usize = 4;

/// Creates the next migration pair in `dir` (created if missing) and returns
/// the paths of the up and down files.
pub fn new_migration(
    dir: &Path,
    name: &str,
    style: VersionStyle,
) -> Result<(PathBuf, PathBuf), SourceError> {
    validate_name(name).map_err(|source| SourceError::BadName {
        name: name.to_owned(),
        source,
    })?;
    fs::create_dir_all(dir).map_err(|source| SourceError::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    let existing: Vec<(Version, usize)> = scan_dir(dir)?
        .iter()
        .map(|f| (f.name.version, f.name.version_text.len()))
        .collect();
    let version = next_version(&existing, style, Utc::now())?;
    let stem = format!("{version}_{name}");
    let up = dir.join(format!("{stem}{}", ScriptKind::Up.suffix()));
    let down = dir.join(format!("{stem}{}", ScriptKind::Down.suffix()));
    write_pair(&up, &down, &stem)?;
    Ok((up, down))
}

/// Creates both files, or neither.
fn write_pair(up: &Path, down: &Path, stem: &str) -> Result<(), SourceError> {
    create_new(up, &header(stem, ScriptKind::Up))?;
    if let Err(error) = create_new(down, &header(stem, ScriptKind::Down)) {
        // Leave no half pair behind; the error about the down file matters.
        let _ = fs::remove_file(up);
        return Err(error);
    }
    Ok(())
}

/// The next version as it will be written in the file name.
fn next_version(
    existing: &[(Version, usize)],
    style: VersionStyle,
    now: DateTime<Utc>,
) -> Result<String, SourceError> {
    let highest = existing.iter().max_by_key(|(version, _)| *version);
    let after_highest = match highest {
        Some(&(version, _)) => Some(
            Version::new(version.get().saturating_add(1))
                .ok_or(SourceError::VersionOverflow { after: version })?,
        ),
        None => None,
    };
    match style {
        VersionStyle::Sequential => {
            let width = highest.map_or(DEFAULT_WIDTH, |&(_, width)| width);
            let next = after_highest.map_or(1, Version::get);
            Ok(format!("{next:0width$}"))
        }
        VersionStyle::Timestamp => {
            let stamp: u64 = now
                .format("%Y%m%d%H%M%S")
                .to_string()
                .parse()
                .unwrap_or(u64::MAX);
            let next = after_highest.map_or(stamp, |after| stamp.max(after.get()));
            Ok(next.to_string())
        }
    }
}

fn header(stem: &str, kind: ScriptKind) -> String {
    match kind {
        ScriptKind::Up => format!(
            "-- {stem}: up\n\
             -- T-SQL for SQL Server; a line holding only GO separates batches.\n\
             -- Directives go in these leading comments: `-- wsdb:no-transaction`, `-- wsdb:timeout=30m`.\n\n"
        ),
        ScriptKind::Down => format!(
            "-- {stem}: down\n\
             -- Undo everything the up file does; delete this file if that is impossible.\n\n"
        ),
    }
}

/// Writes a new file; an existing file is an error, never overwritten.
fn create_new(path: &Path, contents: &str) -> Result<(), SourceError> {
    let io_error = |source: io::Error| match source.kind() {
        io::ErrorKind::AlreadyExists => SourceError::WouldOverwrite {
            path: path.to_path_buf(),
        },
        _ => SourceError::Io {
            path: path.to_path_buf(),
            source,
        },
    };
    let mut file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(io_error)?;
    file.write_all(contents.as_bytes()).map_err(io_error)
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::migrate::directives;
    use crate::migrate::source::file_name_of;

    fn v(n: u64) -> Version {
        Version::new(n).unwrap()
    }

    #[test]
    fn next_versions() {
        let now = Utc.with_ymd_and_hms(2026, 11, 29, 12, 0, 0).unwrap();
        type Existing<'a> = &'a [(Version, usize)];
        let cases: [(Existing<'_>, VersionStyle, &str); 8] = [
            (&[], VersionStyle::Sequential, "0001"),
            (&[(v(1), 4), (v(2), 4)], VersionStyle::Sequential, "0003"),
            (&[(v(9), 1)], VersionStyle::Sequential, "10"),
            (&[(v(41), 3), (v(7), 3)], VersionStyle::Sequential, "042"),
            (&[(v(9999), 4)], VersionStyle::Sequential, "10000"),
            (&[], VersionStyle::Timestamp, "20261129120000"),
            (&[(v(3), 4)], VersionStyle::Timestamp, "20261129120000"),
            (
                &[(v(20_261_129_120_000), 14)],
                VersionStyle::Timestamp,
                "20261129120001",
            ),
        ];
        for (existing, style, expected) in cases {
            assert_eq!(
                next_version(existing, style, now).unwrap(),
                expected,
                "{existing:?} {style:?}"
            );
        }
        let error =
            next_version(&[(v(Version::MAX), 19)], VersionStyle::Sequential, now).unwrap_err();
        assert_eq!(error.code(), "version-overflow");
    }

    #[test]
    fn writes_the_next_pair() {
        let dir = tempfile::tempdir().unwrap();
        let migrations = dir.path().join("migrations");
        let (up, down) =
            new_migration(&migrations, "add_invoices", VersionStyle::Sequential).unwrap();
        assert_eq!(up, migrations.join("0001_add_invoices.up.sql"));
        assert_eq!(down, migrations.join("0001_add_invoices.down.sql"));
        let text = fs::read_to_string(&up).unwrap();
        assert!(text.starts_with("-- 0001_add_invoices: up\n"), "{text}");
        // The header mentions directives without being one.
        assert_eq!(directives::parse(&text).unwrap(), Default::default());
        assert!(
            fs::read_to_string(&down)
                .unwrap()
                .starts_with("-- 0001_add_invoices: down\n")
        );

        let (up, _) = new_migration(&migrations, "more", VersionStyle::Sequential).unwrap();
        assert_eq!(up, migrations.join("0002_more.up.sql"));
        let (up, _) = new_migration(&migrations, "later", VersionStyle::Timestamp).unwrap();
        let stamp = file_name_of(&up);
        assert_eq!(stamp.len(), "20261129120000_later.up.sql".len(), "{stamp}");
    }

    #[test]
    fn never_overwrites_and_never_leaves_half_a_pair() {
        let dir = tempfile::tempdir().unwrap();
        let (up, down) = (
            dir.path().join("0001_a.up.sql"),
            dir.path().join("0001_a.down.sql"),
        );
        fs::write(&down, "keep me").unwrap();
        let error = write_pair(&up, &down, "0001_a").unwrap_err();
        assert_eq!(error.code(), "would-overwrite", "{error}");
        assert!(error.to_string().contains("0001_a.down.sql"), "{error}");
        assert!(!up.exists());
        assert_eq!(fs::read_to_string(&down).unwrap(), "keep me");

        fs::write(&up, "mine").unwrap();
        assert_eq!(
            create_new(&up, "new").unwrap_err().code(),
            "would-overwrite"
        );
        assert_eq!(fs::read_to_string(&up).unwrap(), "mine");
    }

    #[test]
    fn refuses_bad_names() {
        let dir = tempfile::tempdir().unwrap();
        for name in ["", "add-invoices", "add invoices", "a.b"] {
            let error = new_migration(dir.path(), name, VersionStyle::Sequential).unwrap_err();
            assert_eq!(error.code(), "bad-name", "{name:?}: {error}");
        }
    }
}
