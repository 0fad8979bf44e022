use std::path::Path;

use super::*;
use crate::migrate::sum;

fn files(list: &[(&str, &str)]) -> Vec<(String, Vec<u8>)> {
    list.iter()
        .map(|(name, text)| (name.to_string(), text.as_bytes().to_vec()))
        .collect()
}

fn versions(set: &MigrationSet) -> Vec<u64> {
    set.migrations.iter().map(|m| m.version.get()).collect()
}

#[test]
fn orders_numerically_and_pairs_up_and_down() {
    let set = MigrationSet::from_files(files(&[
        ("10_ten.up.sql", "SELECT 10"),
        ("9_nine.up.sql", "SELECT 9"),
        ("0002_two.down.sql", "SELECT -2"),
        ("0002_two.up.sql", "SELECT 2"),
        ("README.md", "not sql"),
        ("wsdb.sum", "ignored here"),
    ]))
    .unwrap();
    assert_eq!(versions(&set), [2, 9, 10]);
    let two = &set.migrations[0];
    assert_eq!(two.name, "two");
    assert_eq!(two.up.path, Path::new("0002_two.up.sql"));
    assert_eq!(
        two.down.as_ref().map(|d| d.text.as_str()),
        Some("SELECT -2")
    );
    assert!(set.migrations[1].down.is_none());
    assert_eq!(set.dir, None);
    assert_eq!(set.latest().map(Version::get), Some(10));
}

#[test]
fn embedded_names_may_carry_a_directory() {
    let set = MigrationSet::from_files(files(&[("migrations/0001_a.up.sql", "SELECT 1")])).unwrap();
    assert_eq!(
        set.migrations[0].up.path,
        Path::new("migrations/0001_a.up.sql")
    );
}

#[test]
fn scripts_are_normalised_split_and_read_for_directives() {
    let raw = "\u{feff}-- wsdb:timeout=2m\r\nSELECT 1\r\nGO\r\nSELECT 2\r\n";
    let set = MigrationSet::from_files(files(&[("0001_a.up.sql", raw)])).unwrap();
    let up = &set.migrations[0].up;
    assert_eq!(up.text, "-- wsdb:timeout=2m\nSELECT 1\nGO\nSELECT 2\n");
    assert_eq!(up.checksum, Checksum::of_normalized(up.text.as_bytes()));
    assert_eq!(up.checksum, Checksum::of_file_bytes(raw.as_bytes()));
    assert_eq!(
        up.directives.timeout,
        Some(std::time::Duration::from_secs(120))
    );
    let starts: Vec<usize> = up.batches.iter().map(|b| b.start_line).collect();
    assert_eq!(starts, [1, 4]);
}

/// (files, expected code, file the error names, line).
type Case<'a> = (&'a [(&'a str, &'a str)], &'a str, &'a str, Option<usize>);

#[test]
fn refuses_bad_sets_naming_the_file_and_line() {
    let cases: &[Case<'_>] = &[
        (
            &[("0001_a.up.sql", "x"), ("001_b.up.sql", "x")],
            "duplicate-version",
            "0001_a.up.sql",
            None,
        ),
        (
            &[("0001_a.up.sql", "x"), ("0002_b.down.sql", "x")],
            "down-without-up",
            "0002_b.down.sql",
            None,
        ),
        (
            &[("0001_a.up.sql", "x"), ("0001_b.down.sql", "x")],
            "mismatched-down",
            "0001_b.down.sql",
            None,
        ),
        (&[("0003_x.sql", "x")], "bad-file-name", "0003_x.sql", None),
        (
            &[("0001_a.up.sql", "")],
            "empty-script",
            "0001_a.up.sql",
            None,
        ),
        (
            &[("0001_a.up.sql", "-- c\nGO\n")],
            "empty-script",
            "0001_a.up.sql",
            None,
        ),
        (
            &[("0001_a.up.sql", "x"), ("0001_a.down.sql", " \n")],
            "empty-script",
            "0001_a.down.sql",
            None,
        ),
        (
            &[("0001_a.up.sql", "x\n'open")],
            "unterminated",
            "0001_a.up.sql",
            Some(2),
        ),
        (
            &[("0001_a.up.sql", "x\nGO x")],
            "bad-separator",
            "0001_a.up.sql",
            Some(2),
        ),
        (
            &[("0001_a.up.sql", "x\n-- wsdb:timeout=1m")],
            "bad-directive",
            "0001_a.up.sql",
            Some(2),
        ),
    ];
    for (list, code, file, line) in cases {
        let error = MigrationSet::from_files(files(list)).unwrap_err();
        assert_eq!(
            (error.code(), error.line()),
            (*code, *line),
            "{list:?}: {error}"
        );
        assert!(error.to_string().contains(file), "{list:?}: {error}");
    }
}

#[test]
fn invalid_utf8_names_the_line_of_the_first_bad_byte() {
    let bytes = b"SELECT 1\r\nSELECT 2\nSELECT '\xff'\n".to_vec();
    let error = MigrationSet::from_files([("0001_a.up.sql".to_owned(), bytes)]).unwrap_err();
    assert_eq!(
        (error.code(), error.line()),
        ("invalid-utf8", Some(3)),
        "{error}"
    );
    assert_eq!(
        error.to_string(),
        "`0001_a.up.sql` line 3: expected UTF-8 text, found an invalid byte\nhint: save the file as UTF-8"
    );
}

#[test]
fn reading_is_bounded() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("0001_a.up.sql");
    std::fs::write(&path, "SELECT 1234567890").unwrap();
    assert_eq!(read_bounded(&path, 64).unwrap().len(), 17);
    let error = read_bounded(&path, 16).unwrap_err();
    assert!(
        matches!(
            error,
            SourceError::TooLarge {
                size: 17,
                limit: 16,
                ..
            }
        ),
        "{error}"
    );

    let oversized = vec![b' '; usize::try_from(MAX_FILE_BYTES).unwrap() + 1];
    let error = MigrationSet::from_files([("0001_a.up.sql".to_owned(), oversized)]).unwrap_err();
    assert_eq!(error.code(), "too-large");
}

#[test]
fn directory_problems() {
    let dir = tempfile::tempdir().unwrap();
    let error = MigrationSet::load(&dir.path().join("nope")).unwrap_err();
    assert_eq!(error.code(), "missing-dir", "{error}");
    assert!(
        error
            .to_string()
            .contains("hint: check `migrations` in wsdb.toml"),
        "{error}"
    );

    std::fs::create_dir(dir.path().join("0001_a.up.sql")).unwrap();
    let error = MigrationSet::load(dir.path()).unwrap_err();
    assert_eq!(error.code(), "not-a-file", "{error}");
}

#[test]
fn an_empty_directory_is_an_empty_set() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("seeds")).unwrap();
    std::fs::create_dir(dir.path().join("archive.sql")).unwrap();
    let set = MigrationSet::load(dir.path()).unwrap();
    assert!(set.migrations.is_empty());
    assert_eq!(set.dir.as_deref(), Some(dir.path()));
}

#[test]
fn scan_dir_checks_names_but_not_contents() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("0002_b.up.sql"), "-- empty for now").unwrap();
    std::fs::write(dir.path().join("0001_a.down.sql"), "SELECT 1").unwrap();
    std::fs::write(dir.path().join("0001_a.up.sql"), "SELECT 1").unwrap();
    let names: Vec<String> = scan_dir(dir.path())
        .unwrap()
        .iter()
        .map(MigrationFile::file_name)
        .collect();
    assert_eq!(names, ["0001_a.up.sql", "0001_a.down.sql", "0002_b.up.sql"]);
    assert_eq!(
        MigrationSet::load(dir.path()).unwrap_err().code(),
        "empty-script"
    );
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/migrations")
}

#[test]
fn the_good_fixture_loads_verifies_and_keeps_its_bytes() {
    let dir = fixtures().join("good");
    let set = MigrationSet::load(&dir).unwrap();
    assert_eq!(versions(&set), [1, 2, 3]);
    sum::verify(&set, &dir).unwrap();

    // 0001 has a BOM and CRLF line ends (pinned by .gitattributes); its
    // checksum is that of the LF text, and its string holding a GO line is
    // one batch.
    let raw = std::fs::read(dir.join("0001_base_schema.up.sql")).unwrap();
    assert!(raw.starts_with(b"\xEF\xBB\xBF") && raw.windows(2).any(|w| w == b"\r\n"));
    let base = &set.migrations[0];
    assert_eq!(
        base.up.checksum,
        Checksum::of_normalized(base.up.text.as_bytes())
    );
    assert_eq!(base.up.batches.len(), 2);

    let procs = &set.migrations[1].up;
    assert_eq!(
        procs.directives.timeout,
        Some(std::time::Duration::from_secs(300))
    );
    let shape: Vec<(usize, u32)> = procs
        .batches
        .iter()
        .map(|b| (b.start_line, b.repeat))
        .collect();
    assert_eq!(shape, [(1, 1), (7, 1), (14, 2)]);
    assert!(set.migrations[2].up.directives.no_transaction);
}

/// Every case under `tests/fixtures/migrations/bad/`: the error code, the
/// file the message must name, and the line (of that file, or of wsdb.sum).
const BAD: &[(&str, &str, &str, Option<usize>)] = &[
    (
        "duplicate-version",
        "duplicate-version",
        "0001_invoices.up.sql",
        None,
    ),
    (
        "same-version-spelled-twice",
        "duplicate-version",
        "1_accounts.up.sql",
        None,
    ),
    (
        "non-numeric-version",
        "bad-file-name",
        "v2_invoices.up.sql",
        None,
    ),
    (
        "zero-version",
        "bad-file-name",
        "0000_accounts.up.sql",
        None,
    ),
    (
        "missing-up-or-down-suffix",
        "bad-file-name",
        "0002_invoices.sql",
        None,
    ),
    (
        "upper-case-suffix",
        "bad-file-name",
        "0001_accounts.UP.SQL",
        None,
    ),
    (
        "hyphen-in-name",
        "bad-file-name",
        "0001_add-accounts.up.sql",
        None,
    ),
    (
        "down-without-up",
        "down-without-up",
        "0002_invoices.down.sql",
        None,
    ),
    (
        "mismatched-down",
        "mismatched-down",
        "0001_acounts.down.sql",
        None,
    ),
    (
        "invalid-utf8",
        "invalid-utf8",
        "0001_accounts.up.sql",
        Some(3),
    ),
    ("empty-up", "empty-script", "0001_accounts.up.sql", None),
    (
        "comment-only-up",
        "empty-script",
        "0001_accounts.up.sql",
        None,
    ),
    ("empty-down", "empty-script", "0001_accounts.down.sql", None),
    (
        "unterminated-string",
        "unterminated",
        "0001_accounts.up.sql",
        Some(6),
    ),
    (
        "unterminated-comment",
        "unterminated",
        "0001_accounts.up.sql",
        Some(5),
    ),
    (
        "unterminated-bracket",
        "unterminated",
        "0001_accounts.down.sql",
        Some(2),
    ),
    ("go-zero", "bad-separator", "0001_accounts.up.sql", Some(5)),
    (
        "go-with-text",
        "bad-separator",
        "0001_accounts.up.sql",
        Some(7),
    ),
    (
        "crlf-go-negative",
        "bad-separator",
        "0001_accounts.up.sql",
        Some(5),
    ),
    (
        "unknown-directive",
        "bad-directive",
        "0001_accounts.up.sql",
        Some(2),
    ),
    (
        "late-directive",
        "bad-directive",
        "0001_accounts.up.sql",
        Some(6),
    ),
    (
        "bad-timeout",
        "bad-directive",
        "0001_accounts.up.sql",
        Some(1),
    ),
    ("missing-sum", "missing-sum", "wsdb.sum", None),
    (
        "edited-after-hash",
        "checksum-mismatch",
        "0002_invoices.up.sql",
        Some(4),
    ),
    ("not-listed", "not-listed", "0002_invoices.up.sql", None),
    ("file-gone", "file-gone", "0002_invoices.up.sql", Some(4)),
    (
        "merged-branches",
        "broken-chain",
        "0003_refunds.up.sql",
        Some(4),
    ),
    ("edited-total", "total-mismatch", "wsdb.sum", Some(3)),
];

/// The code, line and message of the first problem in a fixture: loading
/// it, then checking its wsdb.sum.
fn first_problem(dir: &Path) -> Option<(&'static str, Option<usize>, String)> {
    match MigrationSet::load(dir) {
        Err(error) => Some((error.code(), error.line(), error.to_string())),
        Ok(set) => sum::verify(&set, dir)
            .err()
            .map(|error| (error.code(), error.line(), error.to_string())),
    }
}

#[test]
fn bad_fixture_corpus() {
    let root = fixtures().join("bad");
    for (case, code, file, line) in BAD {
        let (found_code, found_line, message) = first_problem(&root.join(case))
            .unwrap_or_else(|| panic!("case `{case}` loaded and verified"));
        assert_eq!(
            (found_code, found_line),
            (*code, *line),
            "case `{case}`: {message}"
        );
        assert!(
            message.contains(&format!("{file}`")),
            "case `{case}` must name `{file}`: {message}"
        );
        if let Some(line) = line {
            assert!(
                message.contains(&format!("line {line}")),
                "case `{case}` must name line {line}: {message}"
            );
        }
    }
    // Every fixture directory is in the table, so none silently rots.
    for entry in std::fs::read_dir(&root).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        assert!(
            BAD.iter().any(|(case, ..)| *case == name),
            "fixture `{name}` has no row in BAD"
        );
    }
}
