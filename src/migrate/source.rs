//! Migration sets from files: reading a directory (or the files embedded in
//! an application binary), the naming and pairing rules, and turning each
//! file into a checked [`Script`] (UTF-8, checksum, `GO` batches,
//! directives, not empty).
//!
//! Every problem is a [`SourceError`] naming the file and, where it applies,
//! the line. Loading stops at the first problem, in file-name order, so the
//! same directory always reports the same error.
//!
//! This module does not check `wsdb.sum` ([`super::sum`]) nor judge the SQL
//! ([`super::lint`]); the naming rule itself lives in [`super::naming`].

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use super::batch::{SplitError, split_batches};
use super::directives::{self, DirectiveError};
use super::lexer::has_statement;
use super::naming::{MigrationFileName, NameError, ScriptKind, parse_file_name};
use super::{Checksum, Migration, MigrationSet, Script, Version, checksum};

/// The largest migration file wsdb reads: 64 MiB. Anything larger is
/// refused before it is read, rather than risking memory on a data dump.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// A migration file or directory that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    #[error("cannot read `{}`: {source}", .path.display())]
    Io { path: PathBuf, source: io::Error },
    #[error("migrations directory `{}` does not exist\nhint: check `migrations` in wsdb.toml, or run `wsdb init`", .path.display())]
    MissingDir { path: PathBuf },
    #[error("`{}` is {size} bytes, over the {limit}-byte limit for a migration file\nhint: split the migration; data this large belongs in a bulk load", .path.display())]
    TooLarge {
        path: PathBuf,
        size: u64,
        limit: u64,
    },
    #[error("`{}` is named like a migration but is not a regular file", .path.display())]
    NotAFile { path: PathBuf },
    #[error("`{}`: {source}\nhint: name migrations `<version>_<name>.up.sql` and `<version>_<name>.down.sql`, e.g. `0003_add_invoices.up.sql`", .path.display())]
    BadFileName { path: PathBuf, source: NameError },
    #[error("version {version} is used twice: `{}` and `{}`\nhint: give one of them the next free version (two branches that each added a migration often cause this)", .first.display(), .second.display())]
    DuplicateVersion {
        version: Version,
        first: PathBuf,
        second: PathBuf,
    },
    #[error("`{}` has no up file: expected `{expected}` next to it", .path.display())]
    DownWithoutUp { path: PathBuf, expected: String },
    #[error("down file `{}` does not match up file `{}`: expected `{expected}`", .down.display(), .up.display())]
    MismatchedDown {
        up: PathBuf,
        down: PathBuf,
        expected: String,
    },
    #[error("`{}` line {line}: expected UTF-8 text, found an invalid byte\nhint: save the file as UTF-8", .path.display())]
    InvalidUtf8 { path: PathBuf, line: usize },
    #[error("`{}` holds no statement, only whitespace or comments\nhint: write the T-SQL of this {kind} script{}", .path.display(), if *.kind == ScriptKind::Down { ", or delete the file if the migration cannot be undone" } else { "" })]
    Empty { path: PathBuf, kind: ScriptKind },
    #[error("`{}` {source}", .path.display())]
    Split { path: PathBuf, source: SplitError },
    #[error("`{}` {source}", .path.display())]
    Directive {
        path: PathBuf,
        source: DirectiveError,
    },
    #[error("invalid migration name `{name}`: {source}")]
    BadName { name: String, source: NameError },
    #[error("`{}` already exists; wsdb never overwrites a migration", .path.display())]
    WouldOverwrite { path: PathBuf },
    #[error("no version follows {after}: it is the largest a BIGINT holds")]
    VersionOverflow { after: Version },
}

impl SourceError {
    /// A stable kebab-case code for the kind of problem (for tests, JSON
    /// output and scripts).
    pub fn code(&self) -> &'static str {
        match self {
            SourceError::Io { .. } => "io",
            SourceError::MissingDir { .. } => "missing-dir",
            SourceError::TooLarge { .. } => "too-large",
            SourceError::NotAFile { .. } => "not-a-file",
            SourceError::BadFileName { .. } => "bad-file-name",
            SourceError::DuplicateVersion { .. } => "duplicate-version",
            SourceError::DownWithoutUp { .. } => "down-without-up",
            SourceError::MismatchedDown { .. } => "mismatched-down",
            SourceError::InvalidUtf8 { .. } => "invalid-utf8",
            SourceError::Empty { .. } => "empty-script",
            SourceError::Split {
                source: SplitError::Unterminated(_),
                ..
            }
            | SourceError::Directive {
                source: DirectiveError::Unterminated(_),
                ..
            } => "unterminated",
            SourceError::Split { .. } => "bad-separator",
            SourceError::Directive { .. } => "bad-directive",
            SourceError::BadName { .. } => "bad-name",
            SourceError::WouldOverwrite { .. } => "would-overwrite",
            SourceError::VersionOverflow { .. } => "version-overflow",
        }
    }

    /// The file the problem is in (for a duplicate, the second one).
    pub fn path(&self) -> Option<&Path> {
        match self {
            SourceError::Io { path, .. }
            | SourceError::MissingDir { path }
            | SourceError::TooLarge { path, .. }
            | SourceError::NotAFile { path }
            | SourceError::BadFileName { path, .. }
            | SourceError::DownWithoutUp { path, .. }
            | SourceError::InvalidUtf8 { path, .. }
            | SourceError::Empty { path, .. }
            | SourceError::Split { path, .. }
            | SourceError::Directive { path, .. }
            | SourceError::WouldOverwrite { path } => Some(path),
            SourceError::DuplicateVersion { second, .. } => Some(second),
            SourceError::MismatchedDown { down, .. } => Some(down),
            SourceError::BadName { .. } | SourceError::VersionOverflow { .. } => None,
        }
    }

    /// The 1-based line in [`Self::path`], where one applies.
    pub fn line(&self) -> Option<usize> {
        match self {
            SourceError::InvalidUtf8 { line, .. } => Some(*line),
            SourceError::Split { source, .. } => Some(source.line()),
            SourceError::Directive { source, .. } => Some(source.line()),
            _ => None,
        }
    }
}

/// A file whose name follows the rule, with its raw bytes; its contents are
/// not checked yet.
#[derive(Debug, Clone)]
pub struct MigrationFile {
    pub path: PathBuf,
    pub name: MigrationFileName,
    pub bytes: Vec<u8>,
}

impl MigrationFile {
    /// The file name, e.g. `0003_add_invoices.up.sql`.
    pub fn file_name(&self) -> String {
        file_name_of(&self.path)
    }

    pub fn checksum(&self) -> Checksum {
        Checksum::of_file_bytes(&self.bytes)
    }
}

/// An up file and, if there is one, its down file.
type Pair = (MigrationFile, Option<MigrationFile>);

impl MigrationSet {
    /// Reads and checks every migration in `dir`.
    pub fn load(dir: &Path) -> Result<MigrationSet, SourceError> {
        let pairs = pair(read_dir(dir)?)?;
        Ok(MigrationSet {
            dir: Some(dir.to_path_buf()),
            migrations: build(pairs)?,
        })
    }

    /// Checks a set of `(file name, bytes)` embedded in a binary (e.g. with
    /// `include_bytes!`). A name may carry a directory prefix
    /// (`migrations/0001_x.up.sql`); the rule applies to its last part.
    pub fn from_files(
        files: impl IntoIterator<Item = (String, Vec<u8>)>,
    ) -> Result<MigrationSet, SourceError> {
        let mut named = Vec::new();
        for (name, bytes) in files {
            let path = PathBuf::from(name);
            let size = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
            if size > MAX_FILE_BYTES {
                return Err(SourceError::TooLarge {
                    path,
                    size,
                    limit: MAX_FILE_BYTES,
                });
            }
            if let Some(name) = parse_name(&path)? {
                named.push(MigrationFile { path, name, bytes });
            }
        }
        named.sort_by_key(MigrationFile::file_name);
        Ok(MigrationSet {
            dir: None,
            migrations: build(pair(named)?)?,
        })
    }
}

/// The migration files of `dir` with their names and pairing checked but
/// their contents not, in version order (up before down). `wsdb new` uses
/// this to record freshly scaffolded (still empty) files in `wsdb.sum`.
pub fn scan_dir(dir: &Path) -> Result<Vec<MigrationFile>, SourceError> {
    Ok(pair(read_dir(dir)?)?
        .into_iter()
        .flat_map(|(up, down)| std::iter::once(up).chain(down))
        .collect())
}

/// The migration files of `dir`, sorted by file name; other files ignored.
fn read_dir(dir: &Path) -> Result<Vec<MigrationFile>, SourceError> {
    let entries = std::fs::read_dir(dir).map_err(|source| match source.kind() {
        io::ErrorKind::NotFound => SourceError::MissingDir {
            path: dir.to_path_buf(),
        },
        _ => SourceError::Io {
            path: dir.to_path_buf(),
            source,
        },
    })?;
    let mut paths = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|source| SourceError::Io {
            path: dir.to_path_buf(),
            source,
        })?;
        paths.push(entry.path());
    }
    paths.sort();
    let mut files = Vec::new();
    for path in paths {
        match parse_name(&path) {
            Ok(Some(name)) => {
                // A folder named like a migration is refused by the read.
                let bytes = read_bounded(&path, MAX_FILE_BYTES)?;
                files.push(MigrationFile { path, name, bytes });
            }
            Ok(None) => {}
            // Other folders are not migrations, whatever their names.
            Err(_) if path.is_dir() => {}
            Err(error) => return Err(error),
        }
    }
    Ok(files)
}

/// The parsed name of `path`'s last component, `None` if not a migration.
fn parse_name(path: &Path) -> Result<Option<MigrationFileName>, SourceError> {
    let bad = |source| SourceError::BadFileName {
        path: path.to_path_buf(),
        source,
    };
    let Some(os_name) = path.file_name() else {
        return Ok(None);
    };
    match os_name.to_str() {
        Some(name) => parse_file_name(name).map_err(bad),
        None => {
            let lossy = os_name.to_string_lossy();
            match parse_file_name(&lossy) {
                Ok(None) => Ok(None),
                _ => Err(bad(NameError::NotUtf8 {
                    found: lossy.into_owned(),
                })),
            }
        }
    }
}

/// Reads at most `limit` bytes of a regular file; a larger file is refused.
pub(crate) fn read_bounded(path: &Path, limit: u64) -> Result<Vec<u8>, SourceError> {
    let io_error = |source| SourceError::Io {
        path: path.to_path_buf(),
        source,
    };
    let file = File::open(path).map_err(io_error)?;
    let metadata = file.metadata().map_err(io_error)?;
    if !metadata.is_file() {
        return Err(SourceError::NotAFile {
            path: path.to_path_buf(),
        });
    }
    let too_large = |size| SourceError::TooLarge {
        path: path.to_path_buf(),
        size,
        limit,
    };
    if metadata.len() > limit {
        return Err(too_large(metadata.len()));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(metadata.len()).unwrap_or(0));
    // The file may grow between the size check and the read: never read
    // more than one byte past the limit.
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(io_error)?;
    let size = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
    if size > limit {
        return Err(too_large(size));
    }
    Ok(bytes)
}

/// Groups files (sorted by file name) into up/down pairs by version.
fn pair(files: Vec<MigrationFile>) -> Result<Vec<Pair>, SourceError> {
    let mut slots: BTreeMap<Version, [Option<MigrationFile>; 2]> = BTreeMap::new();
    for file in files {
        let slot = slots.entry(file.name.version).or_default();
        let index = match file.name.kind {
            ScriptKind::Up => 0,
            ScriptKind::Down => 1,
        };
        if let Some(first) = &slot[index] {
            return Err(SourceError::DuplicateVersion {
                version: file.name.version,
                first: first.path.clone(),
                second: file.path,
            });
        }
        slot[index] = Some(file);
    }
    let mut pairs = Vec::with_capacity(slots.len());
    for (_, [up, down]) in slots {
        let Some(up) = up else {
            // A slot holds at least one file, so without an up it has a down.
            if let Some(down) = down {
                let expected = down.name.sibling(ScriptKind::Up);
                return Err(SourceError::DownWithoutUp {
                    path: down.path,
                    expected,
                });
            }
            continue;
        };
        if let Some(down) = &down {
            let expected = up.name.sibling(ScriptKind::Down);
            if down.file_name() != expected {
                return Err(SourceError::MismatchedDown {
                    up: up.path,
                    down: down.path.clone(),
                    expected,
                });
            }
        }
        pairs.push((up, down));
    }
    Ok(pairs)
}

fn build(pairs: Vec<Pair>) -> Result<Vec<Migration>, SourceError> {
    pairs
        .into_iter()
        .map(|(up, down)| {
            Ok(Migration {
                version: up.name.version,
                name: up.name.name.clone(),
                up: script(up)?,
                down: down.map(script).transpose()?,
            })
        })
        .collect()
}

/// Checks one file's contents and turns it into a [`Script`].
fn script(file: MigrationFile) -> Result<Script, SourceError> {
    let MigrationFile { path, name, bytes } = file;
    let normalized = checksum::normalize(&bytes);
    let checksum = Checksum::of_normalized(&normalized);
    let text = String::from_utf8(normalized).map_err(|error| {
        let valid = &error.as_bytes()[..error.utf8_error().valid_up_to()];
        SourceError::InvalidUtf8 {
            path: path.clone(),
            line: valid.iter().filter(|&&b| b == b'\n').count() + 1,
        }
    })?;
    let batches = split_batches(&text).map_err(|source| SourceError::Split {
        path: path.clone(),
        source,
    })?;
    let directives = directives::parse(&text).map_err(|source| SourceError::Directive {
        path: path.clone(),
        source,
    })?;
    // Each batch lexes cleanly (the splitter accepted the whole text), so
    // an error here cannot happen; it would only mean "nothing to run".
    if !batches
        .iter()
        .any(|b| has_statement(&b.sql).unwrap_or(false))
    {
        return Err(SourceError::Empty {
            path,
            kind: name.kind,
        });
    }
    Ok(Script {
        path,
        text,
        checksum,
        directives,
        batches,
    })
}

/// The last component of `path` as text (lossy for non-UTF-8 names, which
/// the naming rule refuses anyway).
pub(crate) fn file_name_of(path: &Path) -> String {
    path.file_name()
        .map_or_else(|| path.to_string_lossy(), |name| name.to_string_lossy())
        .into_owned()
}

#[cfg(test)]
mod tests;
