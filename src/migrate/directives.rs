//! Per-file directives: `-- wsdb:no-transaction` and `-- wsdb:timeout=30m`,
//! read from the `--` comments that lead a script, before its first
//! statement.
//!
//! A `-- wsdb:` comment anywhere else is an error, not something ignored: a
//! misplaced `no-transaction` would otherwise silently run the file inside a
//! transaction. Unknown names and bad values are errors too, with the line.
//! The duration syntax (`30s`, `5m`, `1h30m`, `500ms`) is parsed here on
//! purpose rather than borrowed from `config`: `migrate` depends on nothing
//! but itself.
//!
//! This module does not decide what the directives mean at run time; the
//! executor does.

use std::time::Duration;

use super::Directives;
use super::lexer::{Lexer, TokenKind, Unterminated};

const NO_TRANSACTION: &str = "no-transaction";
const TIMEOUT: &str = "timeout";
const KNOWN: [&str; 2] = [NO_TRANSACTION, TIMEOUT];

/// A directive that cannot be accepted. Lines are 1-based lines of the text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DirectiveError {
    #[error("line {line}: unknown directive `wsdb:{name}`, expected `wsdb:no-transaction` or `wsdb:timeout=<duration>`{}", did_you_mean(.name))]
    Unknown { line: usize, name: String },
    #[error("line {line}: directive `wsdb:{name}` takes no value, found `={value}`")]
    UnexpectedValue {
        line: usize,
        name: String,
        value: String,
    },
    #[error("line {line}: directive `wsdb:timeout` needs a value, e.g. `-- wsdb:timeout=30m`")]
    MissingValue { line: usize },
    #[error("line {line}: bad `wsdb:timeout` value `{value}`: {reason}")]
    BadTimeout {
        line: usize,
        value: String,
        reason: DurationError,
    },
    #[error("line {line}: directive `wsdb:{name}` repeats the one on line {first_line}")]
    Repeated {
        line: usize,
        name: String,
        first_line: usize,
    },
    #[error(
        "line {line}: directive `wsdb:{name}` comes after the first statement (line {statement_line})\nhint: directives are read only from the comments at the top of the file; move it there"
    )]
    AfterFirstStatement {
        line: usize,
        name: String,
        statement_line: usize,
    },
    #[error(transparent)]
    Unterminated(#[from] Unterminated),
}

impl DirectiveError {
    /// The 1-based line the error is about.
    pub fn line(&self) -> usize {
        match self {
            DirectiveError::Unknown { line, .. }
            | DirectiveError::UnexpectedValue { line, .. }
            | DirectiveError::MissingValue { line }
            | DirectiveError::BadTimeout { line, .. }
            | DirectiveError::Repeated { line, .. }
            | DirectiveError::AfterFirstStatement { line, .. } => *line,
            DirectiveError::Unterminated(e) => e.line,
        }
    }
}

fn did_you_mean(name: &str) -> String {
    let best = KNOWN
        .iter()
        .map(|known| (strsim::jaro_winkler(known, name), known))
        .max_by(|a, b| a.0.total_cmp(&b.0));
    match best {
        Some((score, known)) if score > 0.8 => format!("\nhint: did you mean `wsdb:{known}`?"),
        _ => String::new(),
    }
}

/// Reads the directives of a script. See the module docs for the rules.
pub fn parse(text: &str) -> Result<Directives, DirectiveError> {
    let mut directives = Directives::default();
    let mut seen: Vec<(&'static str, usize)> = Vec::new();
    let mut statement_line = None;
    for token in Lexer::new(text) {
        let token = token?;
        if !token.kind.is_trivia() {
            statement_line.get_or_insert(token.line);
            continue;
        }
        if token.kind != TokenKind::LineComment {
            continue;
        }
        let Some(directive) = Directive::read(token.text) else {
            continue;
        };
        if let Some(statement_line) = statement_line {
            return Err(DirectiveError::AfterFirstStatement {
                line: token.line,
                name: directive.name.to_owned(),
                statement_line,
            });
        }
        let name = directive.apply(&mut directives, token.line)?;
        if let Some(&(_, first_line)) = seen.iter().find(|(known, _)| *known == name) {
            return Err(DirectiveError::Repeated {
                line: token.line,
                name: name.to_owned(),
                first_line,
            });
        }
        seen.push((name, token.line));
    }
    Ok(directives)
}

/// One `wsdb:name[=value]` comment, split but not yet checked.
struct Directive<'a> {
    name: &'a str,
    value: Option<&'a str>,
}

impl<'a> Directive<'a> {
    /// The directive in a `--` comment, if the comment is one: its text,
    /// after the dashes and spaces, starts with `wsdb:` in any case.
    /// Anything after the directive and a space is a free comment.
    fn read(comment: &'a str) -> Option<Directive<'a>> {
        let body = comment.trim_start_matches('-').trim_start();
        let prefix = body.get(..5)?;
        if !prefix.eq_ignore_ascii_case("wsdb:") {
            return None;
        }
        let body = &body[5..];
        let name_end = body
            .find(|c: char| c == '=' || c.is_whitespace())
            .unwrap_or(body.len());
        let (name, rest) = body.split_at(name_end);
        let value = rest.trim_start().strip_prefix('=').map(|v| {
            let v = v.trim_start();
            &v[..v.find(char::is_whitespace).unwrap_or(v.len())]
        });
        Some(Directive { name, value })
    }

    /// Records the directive; returns its canonical name.
    fn apply(
        &self,
        directives: &mut Directives,
        line: usize,
    ) -> Result<&'static str, DirectiveError> {
        if self.name.eq_ignore_ascii_case(NO_TRANSACTION) {
            if let Some(value) = self.value {
                return Err(DirectiveError::UnexpectedValue {
                    line,
                    name: NO_TRANSACTION.to_owned(),
                    value: value.to_owned(),
                });
            }
            directives.no_transaction = true;
            Ok(NO_TRANSACTION)
        } else if self.name.eq_ignore_ascii_case(TIMEOUT) {
            let value = self
                .value
                .filter(|v| !v.is_empty())
                .ok_or(DirectiveError::MissingValue { line })?;
            let timeout = parse_duration(value).map_err(|reason| DirectiveError::BadTimeout {
                line,
                value: value.to_owned(),
                reason,
            })?;
            directives.timeout = Some(timeout);
            Ok(TIMEOUT)
        } else {
            Err(DirectiveError::Unknown {
                line,
                name: self.name.to_owned(),
            })
        }
    }
}

/// Why a duration does not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DurationError {
    #[error("expected a duration such as `30s`, `5m` or `1h30m`, found `{found}`")]
    Syntax { found: String },
    #[error("unknown unit `{unit}`, expected `h`, `m`, `s` or `ms`")]
    UnknownUnit { unit: String },
    #[error("units must go from largest to smallest, each at most once (`1h30m`), found `{found}`")]
    UnitOrder { found: String },
    #[error("expected a positive duration, found `{found}`")]
    Zero { found: String },
    #[error("duration `{found}` is too large")]
    Overflow { found: String },
}

/// Parses `30s`, `5m`, `1h30m`, `250ms`: one or more `<digits><unit>`
/// groups with units `h`, `m`, `s`, `ms` from largest to smallest.
pub fn parse_duration(text: &str) -> Result<Duration, DurationError> {
    let syntax = || DurationError::Syntax {
        found: text.to_owned(),
    };
    let overflow = || DurationError::Overflow {
        found: text.to_owned(),
    };
    let mut rest = text;
    let mut total_ms: u64 = 0;
    let mut last_unit_ms = u64::MAX;
    while !rest.is_empty() {
        let digits_end = rest
            .find(|c: char| !c.is_ascii_digit())
            .ok_or_else(syntax)?;
        let unit_end = rest[digits_end..]
            .find(|c: char| c.is_ascii_digit())
            .map_or(rest.len(), |i| digits_end + i);
        let (digits, unit) = (&rest[..digits_end], &rest[digits_end..unit_end]);
        if digits.is_empty() {
            return Err(syntax());
        }
        let unit_ms: u64 = match unit {
            "h" => 3_600_000,
            "m" => 60_000,
            "s" => 1_000,
            "ms" => 1,
            _ => {
                return Err(DurationError::UnknownUnit {
                    unit: unit.to_owned(),
                });
            }
        };
        if unit_ms >= last_unit_ms {
            return Err(DurationError::UnitOrder {
                found: text.to_owned(),
            });
        }
        last_unit_ms = unit_ms;
        let amount: u64 = digits.parse().map_err(|_| overflow())?;
        total_ms = amount
            .checked_mul(unit_ms)
            .and_then(|ms| total_ms.checked_add(ms))
            .ok_or_else(overflow)?;
        rest = &rest[unit_end..];
    }
    if text.is_empty() {
        return Err(syntax());
    }
    if total_ms == 0 {
        return Err(DurationError::Zero {
            found: text.to_owned(),
        });
    }
    Ok(Duration::from_millis(total_ms))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_directives_from_the_leading_comments() {
        let minutes = |m: u64| Some(Duration::from_secs(m * 60));
        let cases = [
            ("SELECT 1", false, None),
            (
                "-- wsdb:no-transaction\nALTER DATABASE CURRENT SET x",
                true,
                None,
            ),
            ("--wsdb:timeout=30m\nSELECT 1", false, minutes(30)),
            (
                "-- header\n\n/* block */\n-- WSDB:No-Transaction\n-- wsdb:timeout = 1h30m (slow)\nGO\nSELECT 1",
                true,
                minutes(90),
            ),
            (
                "--- wsdb:timeout=5m\tbecause the index is big\n",
                false,
                minutes(5),
            ),
            (
                "-- not a directive: wsdb:no-transaction\nSELECT 1",
                false,
                None,
            ),
            ("/* wsdb:no-transaction */\nSELECT 1", false, None),
            ("SELECT '-- wsdb:bogus'", false, None),
        ];
        for (text, no_transaction, timeout) in cases {
            assert_eq!(
                parse(text),
                Ok(Directives {
                    no_transaction,
                    timeout
                }),
                "input {text:?}"
            );
        }
    }

    #[test]
    fn rejects_bad_directives_with_their_line() {
        let cases = [
            (
                "-- wsdb:no-transactions\n",
                1,
                "unknown directive `wsdb:no-transactions`",
            ),
            (
                "\n-- wsdb:retries=3\n",
                2,
                "unknown directive `wsdb:retries`",
            ),
            (
                "-- wsdb:no-transaction=yes\n",
                1,
                "takes no value, found `=yes`",
            ),
            ("-- wsdb:timeout\n", 1, "needs a value"),
            ("-- wsdb:timeout=\n", 1, "needs a value"),
            (
                "-- wsdb:timeout=soon\n",
                1,
                "bad `wsdb:timeout` value `soon`",
            ),
            ("-- wsdb:timeout=0s\n", 1, "expected a positive duration"),
            (
                "-- wsdb:timeout=1m\n-- wsdb:timeout=2m\n",
                2,
                "repeats the one on line 1",
            ),
            (
                "SELECT 1\n-- wsdb:no-transaction\n",
                2,
                "after the first statement (line 1)",
            ),
            (
                "-- a\nGO\n-- wsdb:timeout=1m\n",
                3,
                "after the first statement (line 2)",
            ),
        ];
        for (text, line, message) in cases {
            let error = parse(text).unwrap_err();
            assert_eq!(error.line(), line, "input {text:?}: {error}");
            assert!(
                error.to_string().contains(message),
                "input {text:?}: {error}"
            );
        }
    }

    #[test]
    fn suggests_the_directive_that_was_meant() {
        let error = parse("-- wsdb:no-transactions\n").unwrap_err();
        assert!(
            error
                .to_string()
                .ends_with("hint: did you mean `wsdb:no-transaction`?"),
            "{error}"
        );
        let error = parse("-- wsdb:zzz\n").unwrap_err();
        assert!(!error.to_string().contains("hint"), "{error}");
    }

    #[test]
    fn unterminated_constructs_are_reported() {
        let error = parse("-- wsdb:no-transaction\n/* open").unwrap_err();
        assert!(matches!(error, DirectiveError::Unterminated(_)));
        assert_eq!(error.line(), 2);
    }

    #[test]
    fn durations() {
        let ok = [
            ("30s", 30_000),
            ("5m", 300_000),
            ("1h30m", 5_400_000),
            ("1h", 3_600_000),
            ("2m3s", 123_000),
            ("1s500ms", 1_500),
            ("250ms", 250),
            ("0h1m", 60_000),
        ];
        for (text, ms) in ok {
            assert_eq!(
                parse_duration(text),
                Ok(Duration::from_millis(ms)),
                "{text}"
            );
        }
        type IsKind = fn(&DurationError) -> bool;
        let bad: [(&str, IsKind); 10] = [
            ("", |e| matches!(e, DurationError::Syntax { .. })),
            ("30", |e| matches!(e, DurationError::Syntax { .. })),
            ("m", |e| matches!(e, DurationError::Syntax { .. })),
            ("1.5h", |e| matches!(e, DurationError::UnknownUnit { .. })),
            ("3d", |e| matches!(e, DurationError::UnknownUnit { .. })),
            ("30 s", |e| matches!(e, DurationError::UnknownUnit { .. })),
            ("30m1h", |e| matches!(e, DurationError::UnitOrder { .. })),
            ("1m1m", |e| matches!(e, DurationError::UnitOrder { .. })),
            ("0s", |e| matches!(e, DurationError::Zero { .. })),
            ("99999999999999999999h", |e| {
                matches!(e, DurationError::Overflow { .. })
            }),
        ];
        for (text, expected) in bad {
            let error = parse_duration(text).unwrap_err();
            assert!(expected(&error), "{text:?}: {error:?}");
        }
    }
}
