//! Fuzz target: the `GO` batch splitter (`wsdb::migrate::split_batches`) on
//! arbitrary text (invalid UTF-8 is replaced, so every input is tried).
//!
//! Beyond "never panics", it checks the rejoin property the splitter
//! documents, without trusting the splitter's lexer: each batch is the exact
//! text at its `start_line`, batches come in order without overlapping, and
//! every line left out between them is blank or shaped like a separator
//! (`GO`, `GO <count>`, `GO -- comment`). And a batch holds no separator: split
//! on its own, it comes back whole. It does not check error positions; the
//! unit tests in `src/migrate/batch.rs` do.

#![no_main]

use libfuzzer_sys::fuzz_target;
use wsdb::migrate::{Batch, split_batches};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let Ok(batches) = split_batches(&text) else {
        return;
    };
    check_rejoin(&text, &batches);
    for batch in &batches {
        check_splits_whole(batch);
    }
});

/// The batches are the text minus separator and blank lines, in order.
fn check_rejoin(text: &str, batches: &[Batch]) {
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(text.match_indices('\n').map(|(at, _)| at + 1))
        .collect();
    let mut covered_to = 0;
    for batch in batches {
        assert!(batch.repeat >= 1, "repeat count 0 in {batch:?}");
        assert!(
            !batch.sql.chars().all(char::is_whitespace),
            "blank batch {batch:?}"
        );
        let start = *line_starts
            .get(batch.start_line.wrapping_sub(1))
            .unwrap_or_else(|| panic!("start_line past the end: {batch:?}"));
        assert!(start >= covered_to, "batches overlap or go back: {batch:?}");
        let end = start + batch.sql.len();
        assert_eq!(
            text.get(start..end),
            Some(batch.sql.as_str()),
            "batch text differs from the text at its start line"
        );
        assert!(
            end == text.len() || batch.sql.ends_with('\n'),
            "batch ends inside a line: {batch:?}"
        );
        check_left_out(&text[covered_to..start]);
        covered_to = end;
    }
    check_left_out(&text[covered_to..]);
}

/// Lines no batch covers must be blank or separators.
fn check_left_out(gap: &str) {
    for line in gap.lines() {
        assert!(is_blank_or_separator(line), "line left out: {line:?}");
    }
}

/// Judged from the line's shape alone, independently of the lexer.
fn is_blank_or_separator(line: &str) -> bool {
    let line = line.trim();
    let Some(rest) = line
        .get(..2)
        .filter(|word| word.eq_ignore_ascii_case("go"))
        .map(|_| line[2..].trim_start())
    else {
        return line.is_empty();
    };
    let rest = rest
        .trim_start_matches(|c: char| c.is_ascii_digit())
        .trim_start();
    rest.is_empty() || rest.starts_with("--")
}

/// A batch holds no separator line, so on its own it is one batch again.
fn check_splits_whole(batch: &Batch) {
    let again = split_batches(&batch.sql)
        .unwrap_or_else(|error| panic!("batch {batch:?} no longer splits: {error}"));
    assert_eq!(again.len(), 1, "batch {batch:?} split into {again:?}");
    assert_eq!(again[0].sql, batch.sql);
    assert_eq!((again[0].start_line, again[0].repeat), (1, 1));
}
