//! The `GO` splitter: cuts a script into the batches a client sends to SQL
//! Server one at a time, the way `sqlcmd` and SSMS do.
//!
//! A separator is a line holding only `GO` (any case, surrounding whitespace
//! allowed), optionally followed by a positive repeat count (`GO 5`) and a
//! `-- comment`. A line that starts with the word `GO` but holds anything
//! else (`GO 0`, `GO -1`, `GO x`, `GO;`) is an error rather than SQL: sqlcmd
//! refuses it too, and sending it to the server would hide the typo. `GO`
//! inside a string, delimited identifier or comment, or as part of a longer
//! word (`GOTO`, `LOGO`), separates nothing.
//!
//! This module does not read files or know about directives; see
//! [`super::source`].

use super::Batch;
use super::lexer::{Lexer, TokenKind, Unterminated};

/// Why a script cannot be split into batches. Lines are 1-based lines of
/// the text given to [`split_batches`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SplitError {
    #[error(transparent)]
    Unterminated(#[from] Unterminated),
    #[error("line {line}: expected a positive `GO` repeat count up to {max}, found `{found}`", max = u32::MAX)]
    BadRepeatCount { line: usize, found: String },
    #[error(
        "line {line}: expected `GO`, `GO <count>` or `GO -- comment` on a batch separator line, found `{found}`\nhint: a line that starts with the word `GO` separates batches; rename or quote the identifier if it is not meant to"
    )]
    MalformedSeparator { line: usize, found: String },
}

impl SplitError {
    /// The 1-based line the error is about.
    pub fn line(&self) -> usize {
        match self {
            SplitError::Unterminated(e) => e.line,
            SplitError::BadRepeatCount { line, .. }
            | SplitError::MalformedSeparator { line, .. } => *line,
        }
    }
}

/// Splits `text` into batches on `GO` lines.
///
/// Each batch's `sql` is the exact text between two separator lines (the
/// separator line and its line break belong to no batch), and `start_line`
/// is the file line of the batch's first line, so a server error at batch
/// line `n` is at file line `start_line + n - 1`. Batches holding only
/// whitespace are dropped; batches holding only comments are kept (the
/// server accepts them, and dropping them would change nothing).
///
/// Rejoin property (tested): cut `text` at every separator line and remove
/// those lines; the pieces, concatenated, are `text` minus its separator
/// lines. The returned batches are exactly the pieces that are not blank,
/// in order.
pub fn split_batches(text: &str) -> Result<Vec<Batch>, SplitError> {
    let mut splitter = Splitter {
        text,
        batches: Vec::new(),
        batch_start: 0,
        batch_line: 1,
    };
    let mut line_start = 0;
    let mut line = Line::Blank;
    for token in Lexer::new(text) {
        let token = token?;
        line = match (line, token.kind) {
            (_, TokenKind::Newline) => {
                splitter.end_line(line, line_start, token.offset, token.line)?;
                line_start = token.offset + 1;
                Line::Blank
            }
            (Line::Blank, TokenKind::Whitespace) => Line::Blank,
            (Line::Blank, TokenKind::Word) if token.text.eq_ignore_ascii_case("go") => Line::Go {
                go: token.offset,
                line: token.line,
            },
            (Line::Go { .. }, _) => line,
            _ => Line::Other,
        };
    }
    let last_line = text.bytes().filter(|&b| b == b'\n').count() + 1;
    splitter.end_line(line, line_start, text.len(), last_line)?;
    splitter.finish();
    Ok(splitter.batches)
}

/// What a physical line looked like so far, outside multi-line tokens.
#[derive(Debug, Clone, Copy)]
enum Line {
    /// Only whitespace so far (or nothing).
    Blank,
    /// Starts with the word `GO`, found at offset `go`.
    Go { go: usize, line: usize },
    /// Anything else: part of a batch.
    Other,
}

struct Splitter<'a> {
    text: &'a str,
    batches: Vec<Batch>,
    batch_start: usize,
    batch_line: usize,
}

impl Splitter<'_> {
    /// Called at each line break (`end` is its offset) and at the end of the
    /// text: a `GO` line closes the current batch.
    fn end_line(
        &mut self,
        line: Line,
        line_start: usize,
        end: usize,
        end_line: usize,
    ) -> Result<(), SplitError> {
        let Line::Go { go, line } = line else {
            return Ok(());
        };
        let repeat = repeat_count(&self.text[go..end], line)?;
        self.push(line_start, repeat);
        // The separator line, with its line break, belongs to no batch.
        self.batch_start = (end + 1).min(self.text.len());
        self.batch_line = end_line + 1;
        Ok(())
    }

    fn push(&mut self, end: usize, repeat: u32) {
        let sql = &self.text[self.batch_start..end];
        if !sql.chars().all(char::is_whitespace) {
            self.batches.push(Batch {
                sql: sql.to_owned(),
                start_line: self.batch_line,
                repeat,
            });
        }
    }

    fn finish(&mut self) {
        if self.batch_start < self.text.len() {
            self.push(self.text.len(), 1);
        }
    }
}

/// Reads a separator line (`go_line` starts with the word `GO`): after it,
/// nothing, a count, a `-- comment`, or a count and a comment.
fn repeat_count(go_line: &str, line: usize) -> Result<u32, SplitError> {
    let rest = go_line[2..].trim_start();
    let count_end = [rest.find(char::is_whitespace), rest.find("--")]
        .into_iter()
        .flatten()
        .min()
        .unwrap_or(rest.len());
    let (count, after) = rest.split_at(count_end);
    let after = after.trim_start();
    if !(after.is_empty() || after.starts_with("--")) {
        return Err(malformed(go_line, line));
    }
    if count.is_empty() {
        return Ok(1);
    }
    let digits = count.strip_prefix('-').unwrap_or(count);
    if !digits.starts_with(|c: char| c.is_ascii_digit()) {
        return Err(malformed(go_line, line));
    }
    match count.parse::<u32>() {
        Ok(n) if n > 0 => Ok(n),
        _ => Err(SplitError::BadRepeatCount {
            line,
            found: count.to_owned(),
        }),
    }
}

fn malformed(go_line: &str, line: usize) -> SplitError {
    SplitError::MalformedSeparator {
        line,
        found: go_line
            .lines()
            .next()
            .unwrap_or(go_line)
            .trim_end()
            .to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (sql, start_line, repeat) of a batch.
    type Shape = (String, usize, u32);

    fn split(text: &str) -> Vec<Shape> {
        split_batches(text)
            .unwrap_or_else(|e| panic!("{text:?}: {e}"))
            .into_iter()
            .map(|b| (b.sql, b.start_line, b.repeat))
            .collect()
    }

    fn b(sql: &str, line: usize, repeat: u32) -> Shape {
        (sql.to_owned(), line, repeat)
    }

    #[test]
    fn separators() {
        let cases: Vec<(&str, Vec<Shape>)> = vec![
            ("A\nGO\nB\n", vec![b("A\n", 1, 1), b("B\n", 3, 1)]),
            ("A\ngo\nB", vec![b("A\n", 1, 1), b("B", 3, 1)]),
            ("A\n  Go  \nB", vec![b("A\n", 1, 1), b("B", 3, 1)]),
            ("A\nGO 5\nB", vec![b("A\n", 1, 5), b("B", 3, 1)]),
            (
                "A\n\tgO\t3 -- thrice\nB",
                vec![b("A\n", 1, 3), b("B", 3, 1)],
            ),
            ("A\nGO -- done\n", vec![b("A\n", 1, 1)]),
            ("A\nGO -- it's done\n", vec![b("A\n", 1, 1)]),
            ("A\nGO 2--twice\n", vec![b("A\n", 1, 2)]),
            ("A\nGO--done", vec![b("A\n", 1, 1)]),
            ("A\r\nGO\r\nB\r\n", vec![b("A\r\n", 1, 1), b("B\r\n", 3, 1)]),
            // Last line without a line break.
            ("A\nGO", vec![b("A\n", 1, 1)]),
            ("A", vec![b("A", 1, 1)]),
            // A first-line GO, doubled GOs and blank batches produce nothing.
            ("GO\nA\n", vec![b("A\n", 2, 1)]),
            ("A\nGO\n\n  \nGO\nB", vec![b("A\n", 1, 1), b("B", 6, 1)]),
            ("", vec![]),
            ("GO", vec![]),
            ("\n \n", vec![]),
            // Comment-only batches are kept: the server accepts them.
            ("-- c\nGO\nA", vec![b("-- c\n", 1, 1), b("A", 3, 1)]),
        ];
        for (text, expected) in cases {
            assert_eq!(split(text), expected, "input {text:?}");
        }
    }

    #[test]
    fn go_that_separates_nothing() {
        let whole = [
            "SELECT 'a\nGO\nb'",
            "SELECT N'a\ngo\nb'",
            "SELECT [a\nGO\n]]b]",
            "SELECT \"a\nGO\nb\"",
            "/* a\nGO\n/* nested\nGO\n*/ still comment\nGO\n*/ SELECT 1",
            "-- GO\nSELECT 1 -- GO",
            "GOTO done\nLOGO\nGO_ON\ngoes\n",
            "SELECT 1 GO\n",
            "/* c */ GO\n",
            "SELECT 'it''s\nGO\n'",
        ];
        for text in whole {
            assert_eq!(split(text), vec![b(text, 1, 1)], "input {text:?}");
        }
    }

    #[test]
    fn malformed_separator_lines_are_errors_with_their_line() {
        let cases = [
            ("A\nGO 0\n", 2, "bad-count"),
            ("A\nGO -1\n", 2, "bad-count"),
            ("A\n\nGO 99999999999\n", 3, "bad-count"),
            ("GO 5x\n", 1, "bad-count"),
            ("A\nGO x\n", 2, "malformed"),
            ("A\nGO;\n", 2, "malformed"),
            ("A\nGO 2 3\n", 2, "malformed"),
            ("A\nGO /* c */\n", 2, "malformed"),
            ("A\nGO 'x'\n", 2, "malformed"),
            ("A\nGO /* two\nlines */\n", 2, "malformed"),
        ];
        for (text, line, kind) in cases {
            let error = split_batches(text).unwrap_err();
            let found = match error {
                SplitError::BadRepeatCount { .. } => "bad-count",
                SplitError::MalformedSeparator { .. } => "malformed",
                SplitError::Unterminated(_) => "unterminated",
            };
            assert_eq!(
                (found, error.line()),
                (kind, line),
                "input {text:?}: {error}"
            );
        }
    }

    #[test]
    fn unterminated_constructs_name_the_line_they_opened() {
        let cases = [
            ("A\nGO\nSELECT 'x\nGO\n", 3),
            ("SELECT [x\n", 1),
            ("\n/* open /* nested */\nGO\n", 2),
        ];
        for (text, line) in cases {
            let error = split_batches(text).unwrap_err();
            assert!(
                matches!(error, SplitError::Unterminated(_)),
                "{text:?}: {error}"
            );
            assert_eq!(error.line(), line, "input {text:?}");
        }
    }

    #[test]
    fn error_messages_name_the_line_and_what_was_found() {
        let error = split_batches("A\nGO x\n").unwrap_err();
        assert!(
            error.to_string().starts_with("line 2: expected `GO`"),
            "{error}"
        );
        assert!(error.to_string().contains("found `GO x`"), "{error}");
        let error = split_batches("A\n go  x  -- c\n").unwrap_err();
        assert!(error.to_string().contains("found `go  x  -- c`"), "{error}");
        let error = split_batches("'a").unwrap_err();
        assert_eq!(
            error.to_string(),
            "line 1: unterminated string literal opened here: expected a closing `'`, found end of file"
        );
    }

    mod properties {
        use super::super::*;
        use proptest::prelude::*;

        /// A piece of a generated script: SQL lines, or a separator line
        /// with the repeat count it stands for.
        #[derive(Debug, Clone)]
        enum Piece {
            Sql(String),
            Go(&'static str, u32),
        }

        /// SQL whose `GO`s, quotes and comment markers must not separate.
        const TRICKY: &[&str] = &[
            "SELECT 'a\nGO\nb'\n",
            "SELECT N'it''s\ngo 5\n'\n",
            "SELECT [x\nGO\n]]y]\n",
            "SELECT \"a\nGo\n\"\"\"\n",
            "/* a\nGO\n/* nested\ngo\n*/\nGO\n*/\n",
            "-- GO\n",
            "GOTO done\n",
            "LOGO;\n",
            "  \n",
            "\n",
            "\t-- comment only\n",
            "SELECT 1 -- GO\n",
        ];

        const SEPARATORS: &[(&str, u32)] = &[
            ("GO\n", 1),
            ("go\n", 1),
            ("  Go  \n", 1),
            ("GO 3\n", 3),
            ("GO -- done\n", 1),
            ("\tgo\t2\t-- twice\n", 2),
            ("GO\r\n", 1),
        ];

        fn piece() -> impl Strategy<Value = Piece> {
            prop_oneof![
                prop::sample::select(TRICKY).prop_map(|s| Piece::Sql(s.to_owned())),
                "x[a-z0-9 ;(),.*=]{0,12}\n".prop_map(Piece::Sql),
                prop::sample::select(SEPARATORS).prop_map(|(s, n)| Piece::Go(s, n)),
            ]
        }

        /// The script and the batches a correct splitter returns for it.
        fn model(
            pieces: &[Piece],
            strip_last_newline: bool,
        ) -> (String, Vec<(String, usize, u32)>) {
            let mut text = String::new();
            let mut expected = Vec::new();
            let (mut group, mut group_line, mut line) = (String::new(), 1, 1);
            for (i, piece) in pieces.iter().enumerate() {
                let last = i + 1 == pieces.len();
                let raw = match piece {
                    Piece::Sql(s) => s.as_str(),
                    Piece::Go(s, _) => s,
                };
                let raw = if last && strip_last_newline {
                    raw.strip_suffix('\n').unwrap_or(raw)
                } else {
                    raw
                };
                text.push_str(raw);
                line += raw.matches('\n').count();
                match piece {
                    Piece::Sql(_) => group.push_str(raw),
                    Piece::Go(_, repeat) => {
                        if !group.trim().is_empty() {
                            expected.push((std::mem::take(&mut group), group_line, *repeat));
                        }
                        group.clear();
                        group_line = line;
                    }
                }
            }
            if !group.trim().is_empty() {
                expected.push((group, group_line, 1));
            }
            (text, expected)
        }

        /// Whether a line not covered by any batch may be left out: blank,
        /// or shaped like a separator (checked independently of the lexer).
        fn may_be_left_out(line: &str) -> bool {
            let line = line.trim();
            let Some(rest) = line
                .get(..2)
                .filter(|go| go.eq_ignore_ascii_case("go"))
                .map(|_| line[2..].trim_start())
            else {
                return line.is_empty();
            };
            let rest = rest
                .trim_start_matches(|c: char| c.is_ascii_digit())
                .trim_start();
            rest.is_empty() || rest.starts_with("--")
        }

        fn line_offsets(text: &str) -> Vec<usize> {
            std::iter::once(0)
                .chain(text.match_indices('\n').map(|(i, _)| i + 1))
                .collect()
        }

        fn check_against_text(text: &str) -> Result<(), TestCaseError> {
            let Ok(batches) = split_batches(text) else {
                return Ok(());
            };
            let offsets = line_offsets(text);
            let mut covered_to = 0;
            for batch in &batches {
                prop_assert!(!batch.sql.trim().is_empty());
                prop_assert!(batch.repeat >= 1);
                let start = offsets[batch.start_line - 1];
                prop_assert!(start >= covered_to, "batches overlap");
                prop_assert_eq!(&text[start..start + batch.sql.len()], batch.sql.as_str());
                for gap_line in text[covered_to..start].lines() {
                    prop_assert!(may_be_left_out(gap_line), "left out {:?}", gap_line);
                }
                covered_to = start + batch.sql.len();
            }
            for gap_line in text[covered_to..].lines() {
                prop_assert!(may_be_left_out(gap_line), "left out {:?}", gap_line);
            }
            Ok(())
        }

        proptest! {
            #[test]
            fn splits_like_the_model(pieces in prop::collection::vec(piece(), 0..24), strip in any::<bool>()) {
                let (text, expected) = model(&pieces, strip);
                let batches = split_batches(&text).map_err(|e| TestCaseError::fail(format!("{text:?}: {e}")))?;
                let found: Vec<_> = batches.into_iter().map(|b| (b.sql, b.start_line, b.repeat)).collect();
                prop_assert_eq!(&found, &expected, "input {:?}", text);
                check_against_text(&text)?;
            }

            #[test]
            fn never_panics_on_arbitrary_text(text in any::<String>()) {
                check_against_text(&text)?;
            }

            #[test]
            fn never_panics_on_separator_soup(text in "[GgOo0-9 \t\\-/*'\\[\\]\"Nx;\r\n]{0,80}") {
                check_against_text(&text)?;
            }
        }
    }
}
