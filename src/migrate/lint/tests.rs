use std::path::Path;

use super::*;

fn set(list: &[(&str, &str)]) -> MigrationSet {
    let files = list
        .iter()
        .map(|(name, text)| (name.to_string(), text.as_bytes().to_vec()));
    MigrationSet::from_files(files).unwrap()
}

/// `file:line: severity[rule]` of each finding.
fn summary(findings: &[Finding]) -> Vec<String> {
    findings
        .iter()
        .map(|f| {
            let file = f.path.file_name().map_or_else(
                || f.path.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            );
            format!("{file}:{}: {}[{}]", f.line, f.severity, f.rule)
        })
        .collect()
}

#[test]
fn findings_are_in_set_order_with_file_lines() {
    let findings = lint(&set(&[
        (
            "0001_a.up.sql",
            "CREATE TABLE t (a INT)\nGO\nSELECT 1\nCREATE VIEW v AS SELECT 1\n",
        ),
        ("0001_a.down.sql", "-- first line\nUSE master\n"),
        ("0003_c.up.sql", "SELECT *\nFROM x.dbo.t\n"),
        ("0003_c.down.sql", "SELECT 1"),
        (
            "0004_d.up.sql",
            "-- wsdb:no-transaction\nBACKUP DATABASE x TO DISK = 'x'\n",
        ),
    ]));
    assert_eq!(
        summary(&findings),
        [
            "0001_a.up.sql:4: error[create-not-alone]",
            "0001_a.down.sql:2: error[use-statement]",
            "0003_c.up.sql:1: warning[version-gap]",
            "0003_c.up.sql:2: error[cross-database-name]",
            "0004_d.up.sql:1: warning[missing-down]",
        ]
    );
    assert_eq!(exit_code(&findings), ExitCode::CheckFailed);
}

#[test]
fn warnings_alone_exit_zero() {
    let findings = lint(&set(&[
        ("0001_a.up.sql", "SELECT 1"),
        ("0003_b.up.sql", "SELECT 1"),
        ("0003_b.down.sql", "SELECT 1"),
    ]));
    assert_eq!(
        summary(&findings),
        [
            "0001_a.up.sql:1: warning[missing-down]",
            "0003_b.up.sql:1: warning[version-gap]"
        ]
    );
    assert_eq!(
        findings[1].message,
        "version 3 follows 1: version 2 is missing"
    );
    assert_eq!(exit_code(&findings), ExitCode::Success);
    assert_eq!(exit_code(&[]), ExitCode::Success);
}

#[test]
fn timestamp_versions_have_no_gaps() {
    let findings = lint(&set(&[
        ("20260101120000_a.up.sql", "SELECT 1"),
        ("20260101120000_a.down.sql", "SELECT 1"),
        ("20261129093000_b.up.sql", "SELECT 1"),
        ("20261129093000_b.down.sql", "SELECT 1"),
    ]));
    assert_eq!(summary(&findings), Vec::<String>::new());
}

#[test]
fn display_is_path_line_severity_rule_message_then_hint() {
    let findings = lint(&set(&[
        ("0001_a.up.sql", "USE x"),
        ("0001_a.down.sql", "SELECT 1"),
    ]));
    assert_eq!(
        findings[0].to_string(),
        "0001_a.up.sql:1: error[use-statement]: `USE x` switches the session away from the workspace database\n  \
         hint: remove it: wsdb runs every migration in the database of the workspace it migrates"
    );
}

#[test]
fn rule_codes_are_stable_and_serialised_as_codes() {
    let codes: Vec<&str> = Rule::ALL.iter().map(|r| r.code()).collect();
    assert_eq!(
        codes,
        [
            "use-statement",
            "cross-database-name",
            "create-not-alone",
            "needs-no-transaction",
            "transaction-statement",
            "version-gap",
            "missing-down",
            "sum-mismatch"
        ]
    );
    for rule in Rule::ALL {
        assert_eq!(serde_json::to_value(rule).unwrap(), rule.code());
    }
    assert_eq!(serde_json::to_value(Severity::Warning).unwrap(), "warning");
}

fn fixtures() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/migrations/lint")
}

/// Each folder under `tests/fixtures/migrations/lint/` is a migration set
/// with the `file:line: severity[rule]` lines it must produce in
/// `expected.txt`; there is one per rule, plus `clean`.
#[test]
fn lint_fixtures() {
    let root = fixtures();
    for rule in Rule::ALL {
        assert!(
            root.join(rule.code()).is_dir(),
            "no fixture for rule `{rule}`"
        );
    }
    for entry in std::fs::read_dir(&root).unwrap() {
        let dir = entry.unwrap().path();
        let expected = std::fs::read_to_string(dir.join("expected.txt")).unwrap();
        let findings = lint_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        assert_eq!(
            summary(&findings),
            expected.lines().collect::<Vec<_>>(),
            "fixture {}",
            dir.display()
        );
        for finding in &findings {
            assert!(finding.path.starts_with(&dir), "{finding}");
        }
    }
}

#[test]
fn a_sum_mismatch_carries_the_hint_separately() {
    let findings = lint_dir(&fixtures().join("sum-mismatch")).unwrap();
    let finding = &findings[0];
    assert!(
        finding
            .message
            .starts_with("checksum of `0001_accounts.up.sql` does not match wsdb.sum line 2"),
        "{finding}"
    );
    assert!(!finding.message.contains("hint"), "{finding}");
    assert!(
        finding
            .hint
            .as_deref()
            .is_some_and(|h| h.contains("`wsdb hash`")),
        "{finding}"
    );
}

#[test]
fn a_set_that_does_not_load_is_an_error_not_a_finding() {
    let bad = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/migrations/bad/duplicate-version");
    assert_eq!(lint_dir(&bad).unwrap_err().code(), "duplicate-version");
}
