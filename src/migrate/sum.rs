//! `wsdb.sum`, the integrity file of a migrations directory: every
//! migration file's checksum, each line chained to the lines above it, and
//! a total over the whole file. Format and rationale: `docs/wsdb-sum.md`.
//!
//! ```text
//! wsdb-sum 1
//! 1 0001_base.up.sql <sha256 of the file> <chain>
//! 1 0001_base.down.sql <sha256 of the file> <chain>
//! total <sha256 of every line above>
//! ```
//!
//! It catches an edited file (its checksum), a file added without
//! `wsdb hash` (not listed), a listed file that is gone, and a sum merged
//! from two branches (the total line conflicts in git; a hand-merged file
//! breaks the chain). This module owns the format and the comparison with a
//! set; it does not decide when to run `wsdb hash` (the CLI does).

use std::collections::{HashMap, HashSet};
use std::io;
use std::path::{Path, PathBuf};

use super::naming::{ScriptKind, parse_file_name};
use super::source::{SourceError, file_name_of, read_bounded, scan_dir};
use super::{Checksum, MigrationSet, Version, checksum};

/// The file name, in the migrations directory.
pub const SUM_FILE_NAME: &str = "wsdb.sum";
/// The first line; the number is the format version.
pub const HEADER: &str = "wsdb-sum 1";
/// wsdb.sum is small; anything larger than this is not one.
const MAX_SUM_BYTES: u64 = 16 * 1024 * 1024;

const ENTRY_SHAPE: &str = "`<version> <file> <checksum> <chain>`";
const HASH_HINT: &str = "hint: if the edit is intended and the migration was never applied anywhere, run `wsdb hash`; never edit an applied migration: revert it and add a new one";
const MERGE_HINT: &str = "hint: wsdb.sum was merged or edited by hand (two branches that each added a migration do this): keep both migrations with unique versions, review them, then run `wsdb hash`";

/// A `wsdb.sum` that cannot be read or does not match the migrations.
/// Lines are 1-based lines of `wsdb.sum`.
#[derive(Debug, thiserror::Error)]
pub enum SumError {
    #[error("`{}` is missing\nhint: run `wsdb hash` to create it, and commit it with the migrations", .path.display())]
    Missing { path: PathBuf },
    #[error(transparent)]
    Source(#[from] SourceError),
    #[error("`wsdb.sum` line {line}: expected `{HEADER}`, found `{found}`")]
    BadHeader { line: usize, found: String },
    #[error("`wsdb.sum` line {line}: expected {expected}, found `{found}`")]
    Malformed {
        line: usize,
        expected: &'static str,
        found: String,
    },
    #[error(
        "`wsdb.sum` line {line}: `{file}` is listed out of order (expected ascending versions, up before down, each file once)\n{MERGE_HINT}"
    )]
    OutOfOrder { line: usize, file: String },
    #[error(
        "`wsdb.sum` line {line}: the chain hash of `{file}` does not follow from the lines above it\n{MERGE_HINT}"
    )]
    BrokenChain { line: usize, file: String },
    #[error(
        "`wsdb.sum` line {line}: expected the `total <hash>` line, found the end of the file\n{MERGE_HINT}"
    )]
    MissingTotal { line: usize },
    #[error("`wsdb.sum` line {line}: the total does not match the lines above it\n{MERGE_HINT}")]
    TotalMismatch { line: usize },
    #[error(
        "`wsdb.sum` line {line}: expected the end of the file after the total, found `{found}`"
    )]
    TrailingContent { line: usize, found: String },
    #[error(
        "checksum of `{file}` does not match wsdb.sum line {line}: listed {listed}, found {found}\n{HASH_HINT}"
    )]
    ChecksumMismatch {
        line: usize,
        file: String,
        listed: Checksum,
        found: Checksum,
    },
    #[error(
        "`{file}` is not listed in wsdb.sum\nhint: run `wsdb hash` after adding a migration by hand (`wsdb new` records it for you)"
    )]
    NotListed { file: String },
    #[error(
        "wsdb.sum line {line} lists `{file}`, which does not exist\nhint: restore the file; if it was removed on purpose and never applied anywhere, run `wsdb hash`"
    )]
    FileGone { line: usize, file: String },
    #[error("cannot write `{}`: {source}", .path.display())]
    Write { path: PathBuf, source: io::Error },
}

impl SumError {
    /// A stable kebab-case code for the kind of problem.
    pub fn code(&self) -> &'static str {
        match self {
            SumError::Missing { .. } => "missing-sum",
            SumError::Source(error) => error.code(),
            SumError::BadHeader { .. } => "bad-sum-header",
            SumError::Malformed { .. } => "malformed-sum-line",
            SumError::OutOfOrder { .. } => "sum-out-of-order",
            SumError::BrokenChain { .. } => "broken-chain",
            SumError::MissingTotal { .. } => "missing-total",
            SumError::TotalMismatch { .. } => "total-mismatch",
            SumError::TrailingContent { .. } => "trailing-content",
            SumError::ChecksumMismatch { .. } => "checksum-mismatch",
            SumError::NotListed { .. } => "not-listed",
            SumError::FileGone { .. } => "file-gone",
            SumError::Write { .. } => "io",
        }
    }

    /// The line of `wsdb.sum` the problem is on, where one applies.
    pub fn line(&self) -> Option<usize> {
        match self {
            SumError::BadHeader { line, .. }
            | SumError::Malformed { line, .. }
            | SumError::OutOfOrder { line, .. }
            | SumError::BrokenChain { line, .. }
            | SumError::MissingTotal { line }
            | SumError::TotalMismatch { line }
            | SumError::TrailingContent { line, .. }
            | SumError::ChecksumMismatch { line, .. }
            | SumError::FileGone { line, .. } => Some(*line),
            SumError::Missing { .. }
            | SumError::Source(_)
            | SumError::NotListed { .. }
            | SumError::Write { .. } => None,
        }
    }
}

/// One line of `wsdb.sum`: a migration file and its checksum.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SumEntry {
    pub version: Version,
    pub file: String,
    pub checksum: Checksum,
    /// sha256(previous chain || `"<version> <file> <checksum>"`); the first
    /// entry's previous chain is sha256(`HEADER`).
    pub chain: Checksum,
}

impl SumEntry {
    /// The part of the line the chain covers.
    fn content(&self) -> String {
        format!("{} {} {}", self.version, self.file, self.checksum)
    }
}

/// The contents of a `wsdb.sum`, consistent by construction (chains and
/// total computed, or checked by [`SumFile::parse`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SumFile {
    pub entries: Vec<SumEntry>,
    pub total: Checksum,
}

impl SumFile {
    /// The sum of a loaded set: each migration's up file, then its down.
    pub fn compute(set: &MigrationSet) -> SumFile {
        let files = set.migrations.iter().flat_map(|m| {
            std::iter::once(&m.up)
                .chain(&m.down)
                .map(move |script| (m.version, file_name_of(&script.path), script.checksum))
        });
        SumFile::from_entries(files)
    }

    /// The sum of `(version, file name, checksum)` in the order given,
    /// which must be the set's order (ascending versions, up before down).
    pub fn from_entries(files: impl IntoIterator<Item = (Version, String, Checksum)>) -> SumFile {
        let mut chain = header_chain();
        let entries: Vec<SumEntry> = files
            .into_iter()
            .map(|(version, file, checksum)| {
                let mut entry = SumEntry {
                    version,
                    file,
                    checksum,
                    chain,
                };
                entry.chain = next_chain(&chain, &entry.content());
                chain = entry.chain;
                entry
            })
            .collect();
        let total = total_of(&entries);
        SumFile { entries, total }
    }

    /// The file's text, ending with a line break.
    pub fn render(&self) -> String {
        let mut text = body(&self.entries);
        text.push_str(&format!("total {}\n", self.total));
        text
    }

    /// Reads a `wsdb.sum`, checking its shape, order, chain and total.
    /// A UTF-8 BOM and CRLF line ends (a Windows checkout) are accepted.
    pub fn parse(text: &str) -> Result<SumFile, SumError> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut lines = text
            .lines()
            .map(|l| l.strip_suffix('\r').unwrap_or(l))
            .zip(1..);
        match lines.next() {
            Some((HEADER, _)) => {}
            found => {
                return Err(SumError::BadHeader {
                    line: 1,
                    found: found.map_or("", |(l, _)| l).to_owned(),
                });
            }
        }
        let mut entries: Vec<SumEntry> = Vec::new();
        let mut chain = header_chain();
        let mut last_key: Option<(Version, ScriptKind)> = None;
        while let Some((text, line)) = lines.next() {
            if let Some(listed) = text.strip_prefix("total ") {
                check_total(&entries, listed, line)?;
                return match lines.next() {
                    None => Ok(SumFile {
                        total: total_of(&entries),
                        entries,
                    }),
                    Some((found, line)) => Err(SumError::TrailingContent {
                        line,
                        found: found.to_owned(),
                    }),
                };
            }
            let (entry, kind) = parse_entry(text, line)?;
            if last_key.is_some_and(|last| last >= (entry.version, kind)) {
                return Err(SumError::OutOfOrder {
                    line,
                    file: entry.file,
                });
            }
            if next_chain(&chain, &entry.content()) != entry.chain {
                return Err(SumError::BrokenChain {
                    line,
                    file: entry.file,
                });
            }
            last_key = Some((entry.version, kind));
            chain = entry.chain;
            entries.push(entry);
        }
        Err(SumError::MissingTotal {
            line: entries.len() + 2,
        })
    }
}

fn header_chain() -> Checksum {
    Checksum::of_normalized(HEADER.as_bytes())
}

/// sha256(previous chain's 32 bytes || the entry's content).
fn next_chain(previous: &Checksum, content: &str) -> Checksum {
    Checksum::of_normalized(&[previous.as_bytes(), content.as_bytes()].concat())
}

/// Every line before the total, each ending with `\n`.
fn body(entries: &[SumEntry]) -> String {
    let mut text = format!("{HEADER}\n");
    for entry in entries {
        text.push_str(&format!("{} {}\n", entry.content(), entry.chain));
    }
    text
}

fn total_of(entries: &[SumEntry]) -> Checksum {
    Checksum::of_normalized(body(entries).as_bytes())
}

fn check_total(entries: &[SumEntry], listed: &str, line: usize) -> Result<(), SumError> {
    let listed: Checksum = listed.parse().map_err(|_| SumError::Malformed {
        line,
        expected: "`total <64 hex characters>`",
        found: format!("total {listed}"),
    })?;
    if listed != total_of(entries) {
        return Err(SumError::TotalMismatch { line });
    }
    Ok(())
}

/// One entry line, and whether its file is an up or a down script.
fn parse_entry(text: &str, line: usize) -> Result<(SumEntry, ScriptKind), SumError> {
    let malformed = |expected| SumError::Malformed {
        line,
        expected,
        found: text.to_owned(),
    };
    let fields: Vec<&str> = text.split(' ').collect();
    let [version, file, checksum, chain] = fields[..] else {
        return Err(malformed(ENTRY_SHAPE));
    };
    let name = match parse_file_name(file) {
        Ok(Some(name)) => name,
        _ => {
            return Err(malformed(
                "a migration file name such as `0001_base.up.sql`",
            ));
        }
    };
    let version = version
        .parse::<u64>()
        .ok()
        .and_then(Version::new)
        .filter(|v| *v == name.version && !version.starts_with('0'))
        .ok_or_else(|| malformed("the file's version without leading zeros first"))?;
    let checksum = checksum
        .parse()
        .map_err(|_| malformed("a checksum of 64 lower-case hex characters"))?;
    let chain = chain
        .parse()
        .map_err(|_| malformed("a chain hash of 64 lower-case hex characters"))?;
    let entry = SumEntry {
        version,
        file: file.to_owned(),
        checksum,
        chain,
    };
    Ok((entry, name.kind))
}

/// Checks a set against the `wsdb.sum` in `dir`.
pub fn verify(set: &MigrationSet, dir: &Path) -> Result<(), SumError> {
    let sum = read(dir)?.ok_or_else(|| SumError::Missing {
        path: dir.join(SUM_FILE_NAME),
    })?;
    let files = SumFile::compute(set);
    check_listed(&sum, &files)?;
    let listed: HashSet<&str> = sum.entries.iter().map(|e| e.file.as_str()).collect();
    match files
        .entries
        .iter()
        .find(|f| !listed.contains(f.file.as_str()))
    {
        Some(unlisted) => Err(SumError::NotListed {
            file: unlisted.file.clone(),
        }),
        None => Ok(()),
    }
}

/// Every listed file exists with the listed checksum.
fn check_listed(sum: &SumFile, files: &SumFile) -> Result<(), SumError> {
    let found: HashMap<&str, Checksum> = files
        .entries
        .iter()
        .map(|e| (e.file.as_str(), e.checksum))
        .collect();
    for (entry, line) in sum.entries.iter().zip(2..) {
        match found.get(entry.file.as_str()) {
            None => {
                return Err(SumError::FileGone {
                    line,
                    file: entry.file.clone(),
                });
            }
            Some(&checksum) if checksum != entry.checksum => {
                return Err(SumError::ChecksumMismatch {
                    line,
                    file: entry.file.clone(),
                    listed: entry.checksum,
                    found: checksum,
                });
            }
            Some(_) => {}
        }
    }
    Ok(())
}

/// The parsed `wsdb.sum` of `dir`, `None` if there is none.
pub fn read(dir: &Path) -> Result<Option<SumFile>, SumError> {
    let path = dir.join(SUM_FILE_NAME);
    let bytes = match read_bounded(&path, MAX_SUM_BYTES) {
        Ok(bytes) => bytes,
        Err(SourceError::Io { source, .. }) if source.kind() == io::ErrorKind::NotFound => {
            return Ok(None);
        }
        Err(error) => return Err(error.into()),
    };
    let text = String::from_utf8(checksum::normalize(&bytes)).map_err(|error| {
        let valid = &error.as_bytes()[..error.utf8_error().valid_up_to()];
        SumError::Malformed {
            line: valid.iter().filter(|&&b| b == b'\n').count() + 1,
            expected: "UTF-8 text",
            found: "an invalid byte".to_owned(),
        }
    })?;
    SumFile::parse(&text).map(Some)
}

/// Writes the sum of `set` to `dir` (`wsdb hash`).
pub fn write(set: &MigrationSet, dir: &Path) -> Result<SumFile, SumError> {
    let sum = SumFile::compute(set);
    store(&sum, dir)?;
    Ok(sum)
}

/// Adds the files of `dir` that `wsdb.sum` does not list yet (`wsdb new`),
/// without checking their contents: a freshly scaffolded file is still
/// empty. Refuses, like [`verify`], if a listed file changed or is gone, so
/// that `wsdb new` never blesses an edit; creates `wsdb.sum` if missing.
pub fn record_new(dir: &Path) -> Result<SumFile, SumError> {
    let files = scan_dir(dir)?;
    let sum = SumFile::from_entries(
        files
            .iter()
            .map(|f| (f.name.version, f.file_name(), f.checksum())),
    );
    if let Some(existing) = read(dir)? {
        check_listed(&existing, &sum)?;
    }
    store(&sum, dir)?;
    Ok(sum)
}

/// Writes through a temporary file and a rename, so a crash never leaves a
/// half-written `wsdb.sum`.
fn store(sum: &SumFile, dir: &Path) -> Result<(), SumError> {
    let path = dir.join(SUM_FILE_NAME);
    let temporary = dir.join(format!(".{SUM_FILE_NAME}.tmp"));
    let write_error = |source| SumError::Write {
        path: path.clone(),
        source,
    };
    std::fs::write(&temporary, sum.render()).map_err(write_error)?;
    std::fs::rename(&temporary, &path).map_err(|source| {
        // Best effort: the rename error is what the user needs to see.
        let _ = std::fs::remove_file(&temporary);
        write_error(source)
    })
}

#[cfg(test)]
mod tests;
