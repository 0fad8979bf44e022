//! The fake session's script language: just enough to make migrations leave
//! visible traces and fail where a test wants them to. One statement per
//! line (or `;`-separated), case-insensitive, `--` comments and blank lines
//! skipped:
//!
//! | statement | effect |
//! | --- | --- |
//! | `CREATE <kind> <name>` | creates object `name` (error 2714 if it exists) |
//! | `DROP <kind> <name>` | drops it (error 3701 if missing) |
//! | `INSERT INTO <name>` | adds a row to it (error 208 if missing) |
//! | `FAIL <number> [message]` | raises SQL Server error `number` |
//! | `SLEEP <n>ms\|s\|m` | waits on tokio's clock (so timeouts can be tested) |
//! | `PRINT ...`, `SELECT ...` | no effect |
//!
//! Anything else is error 102 (incorrect syntax), raised like a compile
//! error: before any statement of its batch runs, without dooming an open
//! transaction. This is not T-SQL and does not try to be.

use std::time::Duration;

/// One parsed statement, with its 1-based line within the batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Statement {
    pub line: u32,
    pub action: Action,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Action {
    Create {
        kind: String,
        name: String,
    },
    Drop {
        kind: String,
        name: String,
    },
    Insert {
        name: String,
    },
    Fail {
        number: u32,
        message: String,
    },
    Sleep(Duration),
    Nothing,
    /// Not a statement of the fake language: raised as error 102.
    Syntax {
        near: String,
    },
}

/// Parses a batch into statements; parsing never fails, bad statements
/// become [`Action::Syntax`] so they fail at their own line when run.
pub(super) fn parse(batch: &str) -> Vec<Statement> {
    let mut statements = Vec::new();
    for (index, raw) in batch.lines().enumerate() {
        let line = u32::try_from(index + 1).unwrap_or(u32::MAX);
        let code = raw.split("--").next().unwrap_or_default();
        for text in code.split(';') {
            let words: Vec<&str> = text.split_whitespace().collect();
            if let Some(action) = action(&words) {
                statements.push(Statement { line, action });
            }
        }
    }
    statements
}

fn action(words: &[&str]) -> Option<Action> {
    let first = words.first()?.to_ascii_uppercase();
    let syntax = || Action::Syntax {
        near: words.join(" "),
    };
    let name = |i: usize| words.get(i).map(|w| w.trim_matches(['[', ']']).to_owned());
    Some(match first.as_str() {
        "CREATE" | "DROP" => match (words.get(1), name(2)) {
            (Some(kind), Some(name)) => {
                let kind = kind.to_ascii_lowercase();
                if first == "CREATE" {
                    Action::Create { kind, name }
                } else {
                    Action::Drop { kind, name }
                }
            }
            _ => syntax(),
        },
        "INSERT" => match (words.get(1), name(2)) {
            (Some(into), Some(name)) if into.eq_ignore_ascii_case("into") => {
                Action::Insert { name }
            }
            _ => syntax(),
        },
        "FAIL" => match words.get(1).and_then(|n| n.parse().ok()) {
            Some(number) => Action::Fail {
                number,
                message: if words.len() > 2 {
                    words[2..].join(" ")
                } else {
                    format!("fake error {number}")
                },
            },
            None => syntax(),
        },
        "SLEEP" => match words.get(1).and_then(|d| duration(d)) {
            Some(after) => Action::Sleep(after),
            None => syntax(),
        },
        "PRINT" | "SELECT" => Action::Nothing,
        _ => syntax(),
    })
}

fn duration(text: &str) -> Option<Duration> {
    let digits = text.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let value: u64 = digits.parse().ok()?;
    match &text[digits.len()..] {
        "ms" => Some(Duration::from_millis(value)),
        "s" => Some(Duration::from_secs(value)),
        "m" => Some(Duration::from_secs(value.checked_mul(60)?)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_table() {
        let cases: &[(&str, Vec<(u32, Action)>)] = &[
            (
                "CREATE TABLE t1",
                vec![(
                    1,
                    Action::Create {
                        kind: "table".into(),
                        name: "t1".into(),
                    },
                )],
            ),
            (
                "-- a comment\n\ndrop view [v]; insert into t",
                vec![
                    (
                        3,
                        Action::Drop {
                            kind: "view".into(),
                            name: "v".into(),
                        },
                    ),
                    (3, Action::Insert { name: "t".into() }),
                ],
            ),
            (
                "FAIL 208 Invalid object name 'x'.",
                vec![(
                    1,
                    Action::Fail {
                        number: 208,
                        message: "Invalid object name 'x'.".into(),
                    },
                )],
            ),
            (
                "FAIL 50000",
                vec![(
                    1,
                    Action::Fail {
                        number: 50000,
                        message: "fake error 50000".into(),
                    },
                )],
            ),
            (
                "SLEEP 2s\nSLEEP 5m",
                vec![
                    (1, Action::Sleep(Duration::from_secs(2))),
                    (2, Action::Sleep(Duration::from_secs(300))),
                ],
            ),
            ("PRINT 'x'", vec![(1, Action::Nothing)]),
            (
                "SLEP 1s",
                vec![(
                    1,
                    Action::Syntax {
                        near: "SLEP 1s".into(),
                    },
                )],
            ),
            (
                "SLEEP soon",
                vec![(
                    1,
                    Action::Syntax {
                        near: "SLEEP soon".into(),
                    },
                )],
            ),
        ];
        for (text, expected) in cases {
            let found: Vec<(u32, Action)> = parse(text)
                .into_iter()
                .map(|s| (s.line, s.action))
                .collect();
            assert_eq!(&found, expected, "{text}");
        }
    }
}
