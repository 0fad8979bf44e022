//! A T-SQL lexer just deep enough for wsdb's offline checks: it knows where
//! strings (`'..'` with `''` escapes, `N'..'`), delimited identifiers
//! (`[..]` with `]]` escapes, `".."` with `""` escapes), `--` comments and
//! nested `/* */` comments begin and end, so that the `GO` splitter, the
//! directive reader and the lint rules never look inside them.
//!
//! It deliberately does not parse T-SQL: words, numbers and punctuation are
//! returned as they are, and keywords are recognised by the callers. Tokens
//! borrow the text and are produced lazily, so a large file is never held
//! twice in memory.

use std::fmt;

/// What a token is. Multi-line constructs (strings, delimited identifiers,
/// block comments) are single tokens; a line break outside them is a
/// [`TokenKind::Newline`] token of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TokenKind {
    /// Spaces, tabs, carriage returns and other whitespace, but not `\n`.
    Whitespace,
    /// One `\n`.
    Newline,
    /// `-- ...` up to, not including, the end of the line.
    LineComment,
    /// `/* ... */`, nested comments included.
    BlockComment,
    /// `'...'`.
    String,
    /// `N'...'`.
    NString,
    /// `[...]`.
    BracketIdent,
    /// `"..."`.
    QuotedIdent,
    /// An identifier or keyword, including `@variables` and `#temp` names.
    Word,
    /// A run of digits (and the letters of forms such as `0x1F` or `1e5`).
    Number,
    /// Any other single character.
    Punct,
}

impl TokenKind {
    /// Whitespace, line breaks and comments: what a statement is not.
    pub(crate) fn is_trivia(self) -> bool {
        matches!(
            self,
            TokenKind::Whitespace
                | TokenKind::Newline
                | TokenKind::LineComment
                | TokenKind::BlockComment
        )
    }
}

/// One token: its kind, its text, where it starts (byte offset) and the
/// 1-based line of its first character.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Token<'a> {
    pub kind: TokenKind,
    pub text: &'a str,
    pub offset: usize,
    pub line: usize,
}

impl Token<'_> {
    /// Whether this is the word `keyword`, in any case.
    pub(crate) fn is_word(&self, keyword: &str) -> bool {
        self.kind == TokenKind::Word && self.text.eq_ignore_ascii_case(keyword)
    }

    pub(crate) fn is_punct(&self, c: char) -> bool {
        self.kind == TokenKind::Punct && self.text.starts_with(c)
    }
}

/// The constructs that must be closed before the end of the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Construct {
    String,
    BracketedIdentifier,
    QuotedIdentifier,
    BlockComment,
}

impl Construct {
    /// The text that closes the construct.
    pub fn closer(self) -> &'static str {
        match self {
            Construct::String => "'",
            Construct::BracketedIdentifier => "]",
            Construct::QuotedIdentifier => "\"",
            Construct::BlockComment => "*/",
        }
    }
}

impl fmt::Display for Construct {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Construct::String => "string literal",
            Construct::BracketedIdentifier => "bracketed identifier",
            Construct::QuotedIdentifier => "quoted identifier",
            Construct::BlockComment => "block comment",
        })
    }
}

/// A string, delimited identifier or block comment still open at the end of
/// the text. `line` is where it was opened: that is where the mistake
/// usually is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: unterminated {construct} opened here: expected a closing `{closer}`, found end of file", closer = .construct.closer())]
pub struct Unterminated {
    pub construct: Construct,
    pub line: usize,
}

/// Lazily splits a text into tokens. After an error it yields nothing more.
pub(crate) struct Lexer<'a> {
    text: &'a str,
    pos: usize,
    line: usize,
    failed: bool,
}

impl<'a> Lexer<'a> {
    pub(crate) fn new(text: &'a str) -> Lexer<'a> {
        Lexer::starting_at_line(text, 1)
    }

    /// A lexer whose first line is `line` (for a batch cut out of a file).
    pub(crate) fn starting_at_line(text: &'a str, line: usize) -> Lexer<'a> {
        Lexer {
            text,
            pos: 0,
            line,
            failed: false,
        }
    }

    fn byte(&self, at: usize) -> Option<u8> {
        self.text.as_bytes().get(at).copied()
    }

    /// The end of the token starting at `self.pos`, and its kind.
    fn next_token_end(&self) -> Result<(TokenKind, usize), Unterminated> {
        let start = self.pos;
        let rest = &self.text[start..];
        let Some(first) = rest.chars().next() else {
            return Ok((TokenKind::Whitespace, start));
        };
        let next = self.byte(start + 1);
        let kind_end = match first {
            '\n' => (TokenKind::Newline, start + 1),
            '-' if next == Some(b'-') => (TokenKind::LineComment, self.line_end(start)),
            '/' if next == Some(b'*') => (TokenKind::BlockComment, self.block_comment_end(start)?),
            '\'' => (
                TokenKind::String,
                self.quoted_end(start, b'\'', Construct::String)?,
            ),
            'N' | 'n' if next == Some(b'\'') => (
                TokenKind::NString,
                self.quoted_end(start + 1, b'\'', Construct::String)?,
            ),
            '[' => (
                TokenKind::BracketIdent,
                self.quoted_end(start, b']', Construct::BracketedIdentifier)?,
            ),
            '"' => (
                TokenKind::QuotedIdent,
                self.quoted_end(start, b'"', Construct::QuotedIdentifier)?,
            ),
            c if c.is_ascii_digit() => (TokenKind::Number, self.run_end(start, is_number_char)),
            c if c.is_whitespace() => (TokenKind::Whitespace, self.run_end(start, is_blank)),
            c if is_word_start(c) => (TokenKind::Word, self.run_end(start, is_word_char)),
            c => (TokenKind::Punct, start + c.len_utf8()),
        };
        Ok(kind_end)
    }

    /// The offset of the next `\n` at or after `from`, or the end of text.
    fn line_end(&self, from: usize) -> usize {
        self.text[from..]
            .find('\n')
            .map_or(self.text.len(), |i| from + i)
    }

    /// The end of the run of characters matching `keep` that starts at `from`.
    fn run_end(&self, from: usize, keep: fn(char) -> bool) -> usize {
        self.text[from..]
            .char_indices()
            .find(|&(_, c)| !keep(c))
            .map_or(self.text.len(), |(i, _)| from + i)
    }

    /// The end of a construct opened by the quote at `open`, where a doubled
    /// `close` is an escaped one (`''`, `]]`, `""`).
    fn quoted_end(
        &self,
        open: usize,
        close: u8,
        construct: Construct,
    ) -> Result<usize, Unterminated> {
        let bytes = self.text.as_bytes();
        let mut i = open + 1;
        while let Some(offset) = bytes[i..].iter().position(|&b| b == close) {
            let at = i + offset;
            if bytes.get(at + 1) == Some(&close) {
                i = at + 2;
            } else {
                return Ok(at + 1);
            }
        }
        Err(Unterminated {
            construct,
            line: self.line,
        })
    }

    /// The end of a block comment opened at `open`. SQL Server nests them:
    /// `/* a /* b */ c */` is one comment.
    fn block_comment_end(&self, open: usize) -> Result<usize, Unterminated> {
        let bytes = self.text.as_bytes();
        let mut depth = 0usize;
        let mut i = open;
        while i + 1 < bytes.len() {
            match (bytes[i], bytes[i + 1]) {
                (b'/', b'*') => {
                    depth += 1;
                    i += 2;
                }
                (b'*', b'/') => {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        return Ok(i);
                    }
                }
                _ => i += 1,
            }
        }
        Err(Unterminated {
            construct: Construct::BlockComment,
            line: self.line,
        })
    }
}

impl<'a> Iterator for Lexer<'a> {
    type Item = Result<Token<'a>, Unterminated>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed || self.pos >= self.text.len() {
            return None;
        }
        match self.next_token_end() {
            Ok((kind, end)) => {
                let text = &self.text[self.pos..end];
                let token = Token {
                    kind,
                    text,
                    offset: self.pos,
                    line: self.line,
                };
                self.line += text.bytes().filter(|&b| b == b'\n').count();
                self.pos = end;
                Some(Ok(token))
            }
            Err(error) => {
                self.failed = true;
                Some(Err(error))
            }
        }
    }
}

fn is_blank(c: char) -> bool {
    c != '\n' && c.is_whitespace()
}

/// Letters, `_`, `@` (variables) and `#` (temporary objects) start a word;
/// non-ASCII letters count as letters, as they do in SQL Server identifiers.
fn is_word_start(c: char) -> bool {
    c.is_alphabetic() || matches!(c, '_' | '@' | '#')
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '@' | '#' | '$')
}

fn is_number_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Every token of `text`, or the first unterminated construct.
#[cfg(test)]
pub(crate) fn tokens(text: &str) -> Result<Vec<Token<'_>>, Unterminated> {
    Lexer::new(text).collect()
}

/// Whether `text` holds anything but whitespace and comments.
pub(crate) fn has_statement(text: &str) -> Result<bool, Unterminated> {
    for token in Lexer::new(text) {
        if !token?.kind.is_trivia() {
            return Ok(true);
        }
    }
    Ok(false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use TokenKind::*;

    fn kinds(text: &str) -> Vec<(TokenKind, &str)> {
        tokens(text)
            .unwrap()
            .into_iter()
            .map(|t| (t.kind, t.text))
            .collect()
    }

    #[test]
    fn splits_the_constructs_that_hide_text() {
        let cases: &[(&str, &[(TokenKind, &str)])] = &[
            ("'it''s'", &[(String, "'it''s'")]),
            ("N'x'", &[(NString, "N'x'")]),
            ("n'x'", &[(NString, "n'x'")]),
            ("[a]]b]", &[(BracketIdent, "[a]]b]")]),
            ("\"a\"\"b\"", &[(QuotedIdent, "\"a\"\"b\"")]),
            (
                "-- c\nx",
                &[(LineComment, "-- c"), (Newline, "\n"), (Word, "x")],
            ),
            ("/* a /* b */ c */", &[(BlockComment, "/* a /* b */ c */")]),
            ("/* -- ' */", &[(BlockComment, "/* -- ' */")]),
            ("-- /* '", &[(LineComment, "-- /* '")]),
            ("@v #t", &[(Word, "@v"), (Whitespace, " "), (Word, "#t")]),
            ("a.b", &[(Word, "a"), (Punct, "."), (Word, "b")]),
            ("0x1F;", &[(Number, "0x1F"), (Punct, ";")]),
            ("xN'a'", &[(Word, "xN"), (String, "'a'")]),
            (
                "é1 \r\n",
                &[(Word, "é1"), (Whitespace, " \r"), (Newline, "\n")],
            ),
        ];
        for (text, expected) in cases {
            assert_eq!(kinds(text), *expected, "input {text:?}");
        }
    }

    #[test]
    fn tokens_carry_offsets_and_lines() {
        let toks = tokens("a\n'x\ny' b").unwrap();
        let summary: Vec<(usize, usize)> = toks.iter().map(|t| (t.offset, t.line)).collect();
        assert_eq!(summary, [(0, 1), (1, 1), (2, 2), (7, 3), (8, 3)]);
    }

    #[test]
    fn reports_where_an_unterminated_construct_opened() {
        let cases = [
            ("a\n'open", Construct::String, 2),
            ("N'open", Construct::String, 1),
            ("\n\n[id", Construct::BracketedIdentifier, 3),
            ("\"id", Construct::QuotedIdentifier, 1),
            ("x\n/* a /* b */\n", Construct::BlockComment, 2),
            ("'a''", Construct::String, 1),
        ];
        for (text, construct, line) in cases {
            assert_eq!(
                tokens(text).unwrap_err(),
                Unterminated { construct, line },
                "input {text:?}"
            );
        }
    }

    #[test]
    fn statements_are_what_is_not_trivia() {
        assert!(!has_statement("-- a\n/* b */\n\t").unwrap());
        assert!(has_statement("-- a\nSELECT 1").unwrap());
        assert!(has_statement("/* open").is_err());
    }
}
