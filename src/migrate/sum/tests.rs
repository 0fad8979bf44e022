use std::fs;

use super::*;

fn set(list: &[(&str, &str)]) -> MigrationSet {
    let files = list
        .iter()
        .map(|(name, text)| (name.to_string(), text.as_bytes().to_vec()));
    MigrationSet::from_files(files).unwrap()
}

/// Computed independently from the format in docs/wsdb-sum.md (Python's
/// hashlib), so the format is pinned, not just self-consistent.
const KNOWN: &str = "\
wsdb-sum 1
1 0001_a.up.sql a0a22c9dfa428cdce6fb3e58a40d4052335e17e5fbe42efc2f17f9ca813be62c 7cfb491781b26c5e8e718bafa9e16b87dc988283ba34eff4b19528bc09dd790e
1 0001_a.down.sql 058142e9a89b8991dced99f3fd37da8812659b6f5bdfc9fcdc783baa7b0fca77 a88f8986772a0577e539c7336583e57955176b631126801d7c52c85ff10451c2
total 10548fb5a5244f880db975011471fc10ca66386f8d8ce6351ceadab944b01dc9
";

#[test]
fn renders_the_documented_format() {
    let sum = SumFile::compute(&set(&[
        ("0001_a.down.sql", "SELECT 2\n"),
        ("0001_a.up.sql", "SELECT 1\n"),
    ]));
    assert_eq!(sum.render(), KNOWN);
    assert_eq!(SumFile::parse(KNOWN).unwrap(), sum);
}

#[test]
fn accepts_a_windows_checkout() {
    let windows = format!("\u{feff}{}", KNOWN.replace('\n', "\r\n"));
    assert_eq!(
        SumFile::parse(&windows).unwrap(),
        SumFile::parse(KNOWN).unwrap()
    );
}

#[test]
fn an_empty_set_has_a_sum() {
    let sum = SumFile::compute(&MigrationSet::default());
    assert!(sum.render().starts_with("wsdb-sum 1\ntotal "));
    assert_eq!(SumFile::parse(&sum.render()).unwrap(), sum);
}

/// KNOWN with line `line` (1-based) replaced.
fn with_line(line: usize, text: &str) -> String {
    let mut lines: Vec<&str> = KNOWN.lines().collect();
    lines[line - 1] = text;
    lines.join("\n") + "\n"
}

#[test]
fn refuses_damaged_files_with_the_line() {
    let known: Vec<&str> = KNOWN.lines().collect();
    let up_line = known[1];
    // Chained correctly, but down before up.
    let version = Version::new(1).unwrap();
    let swapped = SumFile::from_entries([
        (
            version,
            "0001_a.down.sql".to_owned(),
            Checksum::of_normalized(b"SELECT 2\n"),
        ),
        (
            version,
            "0001_a.up.sql".to_owned(),
            Checksum::of_normalized(b"SELECT 1\n"),
        ),
    ])
    .render();
    let edited_checksum = up_line.replacen("a0a2", "b0a2", 1);
    let bad_hex = up_line.replacen("a0a2", "A0A2", 1);
    let leading_zero = up_line.replacen("1 ", "01 ", 1);
    let wrong_version = up_line.replacen("1 ", "2 ", 1);
    let cases: Vec<(String, &str, usize)> = vec![
        (String::new(), "bad-sum-header", 1),
        (with_line(1, "wsdb-sum 2"), "bad-sum-header", 1),
        (with_line(2, "1 0001_a.up.sql"), "malformed-sum-line", 2),
        (
            with_line(2, &up_line.replacen(' ', "  ", 1)),
            "malformed-sum-line",
            2,
        ),
        (with_line(2, &bad_hex), "malformed-sum-line", 2),
        (with_line(2, &leading_zero), "malformed-sum-line", 2),
        (with_line(2, &wrong_version), "malformed-sum-line", 2),
        (
            with_line(2, &up_line.replacen("0001_a.up.sql", "README.md", 1)),
            "malformed-sum-line",
            2,
        ),
        (with_line(2, &edited_checksum), "broken-chain", 2),
        (swapped, "sum-out-of-order", 3),
        (
            format!("{}\n{up_line}\n{up_line}\n{}\n", known[0], known[3]),
            "sum-out-of-order",
            3,
        ),
        (with_line(4, "total 00"), "malformed-sum-line", 4),
        (
            with_line(4, &format!("total {}", "0".repeat(64))),
            "total-mismatch",
            4,
        ),
        (
            KNOWN.lines().take(3).collect::<Vec<_>>().join("\n"),
            "missing-total",
            4,
        ),
        (format!("{KNOWN}\n"), "trailing-content", 5),
        (format!("{KNOWN}extra\n"), "trailing-content", 5),
    ];
    for (text, code, line) in cases {
        let error = SumFile::parse(&text).unwrap_err();
        assert_eq!(
            (error.code(), error.line()),
            (code, Some(line)),
            "{text:?}: {error}"
        );
        assert!(
            error.to_string().contains(&format!("line {line}")),
            "{error}"
        );
    }
}

#[test]
fn two_branches_that_each_add_a_migration_are_caught() {
    let base = [("0001_a.up.sql", "SELECT 1\n")];
    let branch_a = SumFile::compute(&set(&[base[0], ("0002_b.up.sql", "SELECT 2\n")]));
    let branch_b = SumFile::compute(&set(&[base[0], ("0003_c.up.sql", "SELECT 3\n")]));
    // Both branches change the last line, so git reports a conflict there...
    let last = |sum: &SumFile| sum.render().lines().last().map(str::to_owned);
    assert_ne!(last(&branch_a), last(&branch_b));
    // ...and a hand-merge that keeps both entries breaks the chain at the
    // second branch's line, whichever total it keeps.
    let (a_text, b_text) = (branch_a.render(), branch_b.render());
    let (a, b): (Vec<&str>, Vec<&str>) = (a_text.lines().collect(), b_text.lines().collect());
    for total in [a[3], b[3]] {
        let merged = [a[0], a[1], a[2], b[2], total].join("\n") + "\n";
        let error = SumFile::parse(&merged).unwrap_err();
        assert_eq!(
            (error.code(), error.line()),
            ("broken-chain", Some(4)),
            "{merged}"
        );
    }
}

#[test]
fn verify_compares_the_set_with_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let original = set(&[
        ("0001_a.up.sql", "SELECT 1\n"),
        ("0001_a.down.sql", "SELECT 2\n"),
    ]);
    assert_eq!(
        verify(&original, dir.path()).unwrap_err().code(),
        "missing-sum"
    );

    let written = write(&original, dir.path()).unwrap();
    assert_eq!(
        fs::read_to_string(dir.path().join(SUM_FILE_NAME)).unwrap(),
        written.render()
    );
    verify(&original, dir.path()).unwrap();

    let edited = set(&[
        ("0001_a.up.sql", "SELECT 10\n"),
        ("0001_a.down.sql", "SELECT 2\n"),
    ]);
    let error = verify(&edited, dir.path()).unwrap_err();
    assert_eq!((error.code(), error.line()), ("checksum-mismatch", Some(2)));
    assert!(
        error
            .to_string()
            .starts_with("checksum of `0001_a.up.sql` does not match wsdb.sum line 2"),
        "{error}"
    );
    assert!(
        error.to_string().contains("hint: if the edit is intended"),
        "{error}"
    );

    let added = set(&[
        ("0001_a.up.sql", "SELECT 1\n"),
        ("0001_a.down.sql", "SELECT 2\n"),
        ("0002_b.up.sql", "x"),
    ]);
    assert_eq!(verify(&added, dir.path()).unwrap_err().code(), "not-listed");

    let removed = set(&[("0001_a.up.sql", "SELECT 1\n")]);
    let error = verify(&removed, dir.path()).unwrap_err();
    assert_eq!((error.code(), error.line()), ("file-gone", Some(3)));
}

#[test]
fn record_new_adds_files_but_never_blesses_an_edit() {
    let dir = tempfile::tempdir().unwrap();
    let path = |name: &str| dir.path().join(name);
    fs::write(path("0001_a.up.sql"), "SELECT 1\n").unwrap();
    // No wsdb.sum yet: created.
    record_new(dir.path()).unwrap();
    // A scaffolded, still empty file is recorded although the set does not
    // load yet.
    fs::write(path("0002_b.up.sql"), "-- to do\n").unwrap();
    let sum = record_new(dir.path()).unwrap();
    let files: Vec<&str> = sum.entries.iter().map(|e| e.file.as_str()).collect();
    assert_eq!(files, ["0001_a.up.sql", "0002_b.up.sql"]);
    assert_eq!(read(dir.path()).unwrap(), Some(sum));

    fs::write(path("0001_a.up.sql"), "SELECT 100\n").unwrap();
    fs::write(path("0003_c.up.sql"), "-- to do\n").unwrap();
    let error = record_new(dir.path()).unwrap_err();
    assert_eq!(
        (error.code(), error.line()),
        ("checksum-mismatch", Some(2)),
        "{error}"
    );
    // Nothing was written.
    let files: Vec<String> = read(dir.path())
        .unwrap()
        .unwrap()
        .entries
        .into_iter()
        .map(|e| e.file)
        .collect();
    assert_eq!(files, ["0001_a.up.sql", "0002_b.up.sql"]);
    assert!(!path(".wsdb.sum.tmp").exists());
}

#[test]
fn a_sum_that_is_not_utf8_is_refused_with_its_line() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join(SUM_FILE_NAME), b"wsdb-sum 1\n\xff\n").unwrap();
    let error = read(dir.path()).unwrap_err();
    assert_eq!(
        (error.code(), error.line()),
        ("malformed-sum-line", Some(2)),
        "{error}"
    );
}
