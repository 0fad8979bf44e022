//! Splits a T-SQL batch into tokens: words, `[quoted]`/`"quoted"`
//! identifiers, `'strings'`/`N'strings'`, numbers, `0x` binaries, `@vars`,
//! `@@globals` and punctuation, each with its byte span and 1-based line.
//!
//! Comments (`--` and nested `/* */`) and whitespace vanish here. This module
//! does not know keywords or grammar: the parser decides what a word means.

use super::SqlError;
use super::errors;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TokenKind {
    /// An unquoted identifier or keyword (the parser tells them apart).
    Word,
    /// A `[bracketed]` or `"double-quoted"` identifier, unescaped.
    Quoted,
    /// A string literal, unescaped; `national` for `N'...'`.
    Str {
        national: bool,
    },
    Number,
    /// `0x...`; the text holds the hex digits only.
    Binary,
    /// `@name`; the text holds the name without `@`.
    Variable,
    /// `@@name`; the text holds the name without `@@`.
    Global,
    Punct,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Token {
    pub kind: TokenKind,
    pub text: String,
    pub start: usize,
    pub end: usize,
    pub line: u32,
}

impl Token {
    /// True for an unquoted word equal (case-insensitively) to `keyword`.
    pub fn is_word(&self, keyword: &str) -> bool {
        self.kind == TokenKind::Word && self.text.eq_ignore_ascii_case(keyword)
    }

    pub fn is_punct(&self, punct: &str) -> bool {
        self.kind == TokenKind::Punct && self.text == punct
    }
}

/// Multi-character operators, longest first so that `<=` wins over `<`.
const OPERATORS: [&str; 10] = ["<=", ">=", "<>", "!=", "!<", "!>", "+=", "-=", "*=", "/="];
const SINGLE: &str = "(),;.=<>+-*/%&|^~:";

pub(crate) fn tokenize(sql: &str) -> Result<Vec<Token>, SqlError> {
    let mut lexer = Lexer {
        sql,
        bytes: sql.as_bytes(),
        pos: 0,
        line: 1,
        tokens: Vec::new(),
    };
    lexer.run()?;
    Ok(lexer.tokens)
}

struct Lexer<'a> {
    sql: &'a str,
    bytes: &'a [u8],
    pos: usize,
    line: u32,
    tokens: Vec<Token>,
}

impl Lexer<'_> {
    fn run(&mut self) -> Result<(), SqlError> {
        while let Some(c) = self.peek_char() {
            let start = self.pos;
            let line = self.line;
            match c {
                '\n' => {
                    self.line += 1;
                    self.pos += 1;
                }
                // A byte-order mark (a file's, sent as is) counts as blank.
                c if c.is_whitespace() || c == '\u{feff}' => self.pos += c.len_utf8(),
                '-' if self.starts_with("--") => self.skip_line_comment(),
                '/' if self.starts_with("/*") => self.skip_block_comment()?,
                '\'' => self.string(start, line, false)?,
                'N' | 'n' if self.bytes.get(self.pos + 1) == Some(&b'\'') => {
                    self.pos += 1;
                    self.string(start, line, true)?;
                }
                '[' => self.quoted(start, line, ']')?,
                '"' => self.quoted(start, line, '"')?,
                '0' if matches!(self.bytes.get(self.pos + 1), Some(b'x' | b'X')) => {
                    self.binary(start, line)
                }
                c if c.is_ascii_digit() => self.number(start, line),
                '.' if self.bytes.get(self.pos + 1).is_some_and(u8::is_ascii_digit) => {
                    self.number(start, line)
                }
                '@' => self.variable(start, line),
                c if is_word_start(c) => self.word(start, line),
                _ => self.punct(start, line, c)?,
            }
        }
        Ok(())
    }

    fn peek_char(&self) -> Option<char> {
        self.sql[self.pos..].chars().next()
    }

    fn starts_with(&self, s: &str) -> bool {
        self.sql[self.pos..].starts_with(s)
    }

    fn push(&mut self, kind: TokenKind, text: String, start: usize, line: u32) {
        self.tokens.push(Token {
            kind,
            text,
            start,
            end: self.pos,
            line,
        });
    }

    fn skip_line_comment(&mut self) {
        while let Some(c) = self.peek_char() {
            if c == '\n' {
                break;
            }
            self.pos += c.len_utf8();
        }
    }

    /// T-SQL block comments nest: `/* a /* b */ c */` is one comment.
    fn skip_block_comment(&mut self) -> Result<(), SqlError> {
        let line = self.line;
        let mut depth = 0u32;
        while self.pos < self.bytes.len() {
            if self.starts_with("/*") {
                depth += 1;
                self.pos += 2;
            } else if self.starts_with("*/") {
                depth -= 1;
                self.pos += 2;
                if depth == 0 {
                    return Ok(());
                }
            } else {
                let c = self.peek_char().unwrap_or(' ');
                if c == '\n' {
                    self.line += 1;
                }
                self.pos += c.len_utf8();
            }
        }
        Err(errors::missing_end_comment(line))
    }

    /// Reads up to the closing `close`, where a doubled `close` escapes it.
    fn delimited(&mut self, close: char) -> Option<String> {
        let mut text = String::new();
        while let Some(c) = self.peek_char() {
            self.pos += c.len_utf8();
            if c == close {
                if self.peek_char() == Some(close) {
                    self.pos += close.len_utf8();
                    text.push(close);
                    continue;
                }
                return Some(text);
            }
            if c == '\n' {
                self.line += 1;
            }
            text.push(c);
        }
        None
    }

    fn string(&mut self, start: usize, line: u32, national: bool) -> Result<(), SqlError> {
        self.pos += 1;
        match self.delimited('\'') {
            Some(text) => {
                self.push(TokenKind::Str { national }, text, start, line);
                Ok(())
            }
            None => Err(errors::unclosed_quote(&self.sql[start..], line)),
        }
    }

    fn quoted(&mut self, start: usize, line: u32, close: char) -> Result<(), SqlError> {
        self.pos += 1;
        match self.delimited(close) {
            Some(text) => {
                self.push(TokenKind::Quoted, text, start, line);
                Ok(())
            }
            None => Err(errors::unclosed_quote(&self.sql[start..], line)),
        }
    }

    fn binary(&mut self, start: usize, line: u32) {
        self.pos += 2;
        let digits_start = self.pos;
        while self.bytes.get(self.pos).is_some_and(u8::is_ascii_hexdigit) {
            self.pos += 1;
        }
        let text = self.sql[digits_start..self.pos].to_string();
        self.push(TokenKind::Binary, text, start, line);
    }

    fn number(&mut self, start: usize, line: u32) {
        self.eat_digits();
        if self.bytes.get(self.pos) == Some(&b'.') {
            self.pos += 1;
            self.eat_digits();
        }
        if matches!(self.bytes.get(self.pos), Some(b'e' | b'E')) {
            let save = self.pos;
            self.pos += 1;
            if matches!(self.bytes.get(self.pos), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            if self.bytes.get(self.pos).is_some_and(u8::is_ascii_digit) {
                self.eat_digits();
            } else {
                self.pos = save;
            }
        }
        let text = self.sql[start..self.pos].to_string();
        self.push(TokenKind::Number, text, start, line);
    }

    fn eat_digits(&mut self) {
        while self.bytes.get(self.pos).is_some_and(u8::is_ascii_digit) {
            self.pos += 1;
        }
    }

    fn variable(&mut self, start: usize, line: u32) {
        let global = self.starts_with("@@");
        self.pos += if global { 2 } else { 1 };
        let name_start = self.pos;
        while let Some(c) = self.peek_char().filter(|c| is_word_char(*c)) {
            self.pos += c.len_utf8();
        }
        let text = self.sql[name_start..self.pos].to_string();
        let kind = if global {
            TokenKind::Global
        } else {
            TokenKind::Variable
        };
        self.push(kind, text, start, line);
    }

    fn word(&mut self, start: usize, line: u32) {
        while let Some(c) = self.peek_char().filter(|c| is_word_char(*c)) {
            self.pos += c.len_utf8();
        }
        let text = self.sql[start..self.pos].to_string();
        self.push(TokenKind::Word, text, start, line);
    }

    fn punct(&mut self, start: usize, line: u32, c: char) -> Result<(), SqlError> {
        if let Some(op) = OPERATORS.iter().find(|op| self.starts_with(op)) {
            self.pos += op.len();
            self.push(TokenKind::Punct, (*op).to_string(), start, line);
            return Ok(());
        }
        if SINGLE.contains(c) {
            self.pos += 1;
            self.push(TokenKind::Punct, c.to_string(), start, line);
            return Ok(());
        }
        Err(errors::syntax_near(&c.to_string(), line))
    }
}

fn is_word_start(c: char) -> bool {
    c.is_alphabetic() || c == '_' || c == '#'
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '@' | '#' | '$')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds_and_texts(sql: &str) -> Vec<(TokenKind, String)> {
        tokenize(sql)
            .unwrap()
            .into_iter()
            .map(|t| (t.kind, t.text))
            .collect()
    }

    #[test]
    fn tokens_of_each_kind() {
        use TokenKind::*;
        let cases: &[(&str, Vec<(TokenKind, &str)>)] = &[
            ("SELECT 1", vec![(Word, "SELECT"), (Number, "1")]),
            ("N'it''s'", vec![(Str { national: true }, "it's")]),
            (
                "'a' 'b'",
                vec![
                    (Str { national: false }, "a"),
                    (Str { national: false }, "b"),
                ],
            ),
            ("[a]]b] \"c\"\"d\"", vec![(Quoted, "a]b"), (Quoted, "c\"d")]),
            (
                "@P1 @@TRANCOUNT",
                vec![(Variable, "P1"), (Global, "TRANCOUNT")],
            ),
            (
                "0xFF 1.5e3 .5",
                vec![(Binary, "FF"), (Number, "1.5e3"), (Number, ".5")],
            ),
            (
                "a<=b<>c!=d",
                vec![
                    (Word, "a"),
                    (Punct, "<="),
                    (Word, "b"),
                    (Punct, "<>"),
                    (Word, "c"),
                    (Punct, "!="),
                    (Word, "d"),
                ],
            ),
            (
                "dbo.t;",
                vec![(Word, "dbo"), (Punct, "."), (Word, "t"), (Punct, ";")],
            ),
            ("#tmp", vec![(Word, "#tmp")]),
            (
                "nvarchar(10)",
                vec![
                    (Word, "nvarchar"),
                    (Punct, "("),
                    (Number, "10"),
                    (Punct, ")"),
                ],
            ),
        ];
        for (sql, expected) in cases {
            let expected: Vec<_> = expected.iter().map(|(k, t)| (*k, t.to_string())).collect();
            assert_eq!(kinds_and_texts(sql), expected, "{sql}");
        }
    }

    #[test]
    fn comments_vanish_and_nest() {
        let sql = "SELECT /* a /* nested */ still comment */ 1 -- trailing\n, 2";
        let texts: Vec<_> = kinds_and_texts(sql).into_iter().map(|(_, t)| t).collect();
        assert_eq!(texts, ["SELECT", "1", ",", "2"]);
    }

    #[test]
    fn lines_are_counted_through_comments_and_strings() {
        let tokens = tokenize("a\n/* x\n y */ b\n'multi\nline' c").unwrap();
        let lines: Vec<_> = tokens.iter().map(|t| t.line).collect();
        assert_eq!(lines, [1, 3, 4, 5]);
    }

    #[test]
    fn unterminated_things_are_errors() {
        let cases = [
            ("SELECT 'abc", 105),
            ("SELECT [abc", 105),
            ("/* open", 113),
            ("a ? b", 102),
        ];
        for (sql, number) in cases {
            let err = tokenize(sql).unwrap_err();
            assert_eq!(err.number, number, "{sql}");
        }
    }

    #[test]
    fn spans_cover_the_source_text() {
        let sql = "SELECT N'x' FROM [t]";
        let tokens = tokenize(sql).unwrap();
        let spans: Vec<_> = tokens.iter().map(|t| &sql[t.start..t.end]).collect();
        assert_eq!(spans, ["SELECT", "N'x'", "FROM", "[t]"]);
    }
}
