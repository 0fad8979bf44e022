//! Fuzz target: the migration parser (`MigrationSet::from_files`) on arbitrary
//! file names and bytes, then the lint rules and the `wsdb.sum` rendering on
//! every set that loads.
//!
//! Input format (so seeds are readable migrations): files introduced by a
//! header line `==> NAME <==`, as `head` prints several files; bytes before
//! the first header are ignored. Checks, for a set that loads: versions
//! strictly increase; each script's checksum is the checksum of its file's
//! bytes; the set does not depend on the order the files came in; its
//! `wsdb.sum` parses back to itself; lint findings point at a line of a
//! file of the set. It does not read directories (`MigrationSet::load`
//! applies the same rules to a folder's files).

#![no_main]

use libfuzzer_sys::fuzz_target;
use wsdb::migrate::{Checksum, MigrationSet, SumFile, lint};

fuzz_target!(|data: &[u8]| {
    let files = files_of(data);
    let Ok(set) = MigrationSet::from_files(files.clone()) else {
        return;
    };
    check_order_and_checksums(&set, &files);
    check_independent_of_input_order(&set, files);
    check_sum_round_trip(&set);
    check_lint(&set);
});

const OPEN: &[u8] = b"==> ";
const CLOSE: &[u8] = b" <==\n";

/// Splits the input at header lines into `(name, bytes)` files.
fn files_of(data: &[u8]) -> Vec<(String, Vec<u8>)> {
    let header_starts: Vec<usize> = (0..data.len())
        .filter(|&at| data[at..].starts_with(OPEN) && (at == 0 || data[at - 1] == b'\n'))
        .collect();
    let ends = header_starts.iter().skip(1).copied().chain([data.len()]);
    header_starts
        .iter()
        .zip(ends)
        .map(|(&start, end)| {
            let segment = &data[start + OPEN.len()..end];
            let (name, bytes) = match find(segment, CLOSE) {
                Some(at) => (&segment[..at], &segment[at + CLOSE.len()..]),
                None => (segment, &[][..]),
            };
            (String::from_utf8_lossy(name).into_owned(), bytes.to_vec())
        })
        .collect()
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

fn check_order_and_checksums(set: &MigrationSet, files: &[(String, Vec<u8>)]) {
    for pair in set.migrations.windows(2) {
        assert!(pair[0].version < pair[1].version, "versions out of order");
    }
    let scripts = set
        .migrations
        .iter()
        .flat_map(|m| std::iter::once(&m.up).chain(&m.down));
    for script in scripts {
        let (_, bytes) = files
            .iter()
            .find(|(name, _)| std::path::Path::new(name) == script.path)
            .unwrap_or_else(|| panic!("{} is not an input file", script.path.display()));
        assert_eq!(script.checksum, Checksum::of_file_bytes(bytes));
    }
}

/// The same files in the opposite order load to the same set.
fn check_independent_of_input_order(set: &MigrationSet, mut files: Vec<(String, Vec<u8>)>) {
    files.reverse();
    let reversed = MigrationSet::from_files(files)
        .unwrap_or_else(|error| panic!("loads in one order, not the other: {error}"));
    assert_eq!(SumFile::compute(set), SumFile::compute(&reversed));
}

fn check_sum_round_trip(set: &MigrationSet) {
    let sum = SumFile::compute(set);
    let parsed = SumFile::parse(&sum.render())
        .unwrap_or_else(|error| panic!("a rendered wsdb.sum does not parse: {error}"));
    assert_eq!(parsed, sum);
}

/// Every finding points at a line of a script of the set.
fn check_lint(set: &MigrationSet) {
    let scripts: Vec<(&std::path::Path, usize)> = set
        .migrations
        .iter()
        .flat_map(|m| std::iter::once(&m.up).chain(&m.down))
        .map(|script| (script.path.as_path(), script.text.split('\n').count()))
        .collect();
    for finding in lint::lint(set) {
        let (_, lines) = scripts
            .iter()
            .find(|(path, _)| *path == finding.path)
            .unwrap_or_else(|| panic!("finding about a file outside the set: {finding}"));
        assert!(
            (1..=*lines).contains(&finding.line),
            "finding past the {lines} lines of its file: {finding}"
        );
    }
}
