//! Human durations: `"250ms"`, `"10s"`, `"5m"`, `"2h"`, `"1h30m"`.
//!
//! Owns the one syntax wsdb accepts for a duration, in `wsdb.toml` and in
//! flags such as `--lock-timeout`, and its display form. It does not decide
//! which durations make sense where (zero, upper bounds): that is the
//! caller's rule, see `resolve.rs` and [`super::limits`].
//!
//! A bare number is refused on purpose: `lock_timeout = 30` could mean
//! seconds or milliseconds, and guessing wrong by a factor of 1000 is the
//! kind of mistake that only shows up in production.

use std::fmt::Write as _;
use std::time::Duration;

/// Why a text is not a duration. Messages quote only the offending piece:
/// durations are never secrets, but the caller already shows the whole text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DurationError {
    #[error("the duration is empty")]
    Empty,
    #[error("the number `{number}` has no unit")]
    MissingUnit { number: String },
    #[error("unknown unit `{unit}`, expected `ms`, `s`, `m` or `h`")]
    UnknownUnit { unit: String },
    #[error("the unit `{unit}` has no number before it")]
    MissingNumber { unit: String },
    #[error("fractions are not supported")]
    Fraction,
    #[error("unexpected character `{found}`")]
    UnexpectedCharacter { found: char },
    #[error("the unit `{unit}` is repeated or comes after a smaller unit")]
    UnitOrder { unit: String },
    #[error("the duration is too large")]
    Overflow,
}

impl DurationError {
    /// What the user can write instead.
    pub fn hint(&self) -> String {
        match self {
            DurationError::MissingUnit { number } => format!(
                "a bare number is ambiguous: write \"{number}s\", \"{number}ms\" or \"{number}m\""
            ),
            DurationError::Fraction => {
                "use a smaller unit: \"1500ms\" rather than \"1.5s\"".to_owned()
            }
            DurationError::UnitOrder { .. } => {
                "write each unit once, largest first: \"1h30m\", \"2m30s\"".to_owned()
            }
            _ => "write a number followed by a unit (ms, s, m, h): \"250ms\", \"10s\", \"5m\", \"1h30m\""
                .to_owned(),
        }
    }
}

/// The units, smallest first, so `Ord` says which may follow which.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Unit {
    Millis,
    Seconds,
    Minutes,
    Hours,
}

impl Unit {
    fn parse(text: &str) -> Option<Unit> {
        match text {
            "ms" => Some(Unit::Millis),
            "s" => Some(Unit::Seconds),
            "m" => Some(Unit::Minutes),
            "h" => Some(Unit::Hours),
            _ => None,
        }
    }

    fn millis(self) -> u64 {
        match self {
            Unit::Millis => 1,
            Unit::Seconds => 1_000,
            Unit::Minutes => 60_000,
            Unit::Hours => 3_600_000,
        }
    }
}

/// Parses `"250ms"`, `"10s"`, `"5m"`, `"2h"` and combinations written
/// largest unit first (`"1h30m"`, `"2m30s500ms"`). No spaces, no sign, no
/// fractions, no bare numbers. Millisecond precision.
pub fn parse_duration(text: &str) -> Result<Duration, DurationError> {
    if text.is_empty() {
        return Err(DurationError::Empty);
    }
    let mut total: u64 = 0;
    let mut previous: Option<Unit> = None;
    let mut rest = text;
    while !rest.is_empty() {
        let (number, after_number) = split_while(rest, |c| c.is_ascii_digit());
        let (unit_text, after_unit) = split_while(after_number, |c| c.is_ascii_alphabetic());
        if number.is_empty() {
            return Err(match after_number.chars().next() {
                Some(_) if !unit_text.is_empty() => DurationError::MissingNumber {
                    unit: unit_text.to_owned(),
                },
                Some(found) => DurationError::UnexpectedCharacter { found },
                None => DurationError::Empty,
            });
        }
        if unit_text.is_empty() {
            return Err(match after_number.chars().next() {
                Some('.' | ',') => DurationError::Fraction,
                Some(found) => DurationError::UnexpectedCharacter { found },
                None => DurationError::MissingUnit {
                    number: number.to_owned(),
                },
            });
        }
        let unit = Unit::parse(unit_text).ok_or_else(|| DurationError::UnknownUnit {
            unit: unit_text.to_owned(),
        })?;
        if previous.is_some_and(|previous| unit >= previous) {
            return Err(DurationError::UnitOrder {
                unit: unit_text.to_owned(),
            });
        }
        previous = Some(unit);
        let count: u64 = number.parse().map_err(|_| DurationError::Overflow)?;
        total = count
            .checked_mul(unit.millis())
            .and_then(|millis| total.checked_add(millis))
            .ok_or(DurationError::Overflow)?;
        rest = after_unit;
    }
    Ok(Duration::from_millis(total))
}

/// Splits `text` after its longest prefix of characters matching `keep`.
fn split_while(text: &str, keep: impl Fn(char) -> bool) -> (&str, &str) {
    let end = text
        .char_indices()
        .find(|&(_, c)| !keep(c))
        .map_or(text.len(), |(index, _)| index);
    text.split_at(end)
}

/// Displays a duration in the syntax [`parse_duration`] reads: `"1h30m"`,
/// `"250ms"`, `"0s"`. Below a millisecond is dropped (a non-zero duration
/// shorter than that shows as `"<1ms"`, never as a misleading zero).
pub fn format_duration(duration: Duration) -> String {
    let mut millis = duration.as_millis();
    if millis == 0 {
        return if duration.is_zero() { "0s" } else { "<1ms" }.to_owned();
    }
    let mut text = String::new();
    for (unit, size) in [("h", 3_600_000), ("m", 60_000), ("s", 1_000), ("ms", 1)] {
        let count = millis / size;
        if count > 0 {
            // Writing to a String cannot fail.
            let _ = write!(text, "{count}{unit}");
            millis %= size;
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accepts_the_documented_forms() {
        let cases = [
            ("250ms", Duration::from_millis(250)),
            ("10s", Duration::from_secs(10)),
            ("5m", Duration::from_secs(300)),
            ("2h", Duration::from_secs(7200)),
            ("1h30m", Duration::from_secs(5400)),
            ("2m30s500ms", Duration::from_millis(150_500)),
            ("0s", Duration::ZERO),
            ("0010s", Duration::from_secs(10)),
        ];
        for (text, expected) in cases {
            assert_eq!(parse_duration(text), Ok(expected), "{text}");
        }
    }

    #[test]
    fn refuses_everything_else_with_a_precise_reason() {
        let unit = |unit: &str| unit.to_owned();
        let cases = [
            ("", DurationError::Empty),
            (
                "30",
                DurationError::MissingUnit {
                    number: "30".to_owned(),
                },
            ),
            (
                "1h30",
                DurationError::MissingUnit {
                    number: "30".to_owned(),
                },
            ),
            ("5x", DurationError::UnknownUnit { unit: unit("x") }),
            ("10sec", DurationError::UnknownUnit { unit: unit("sec") }),
            ("s", DurationError::MissingNumber { unit: unit("s") }),
            ("1.5s", DurationError::Fraction),
            ("10 s", DurationError::UnexpectedCharacter { found: ' ' }),
            (" 10s", DurationError::UnexpectedCharacter { found: ' ' }),
            ("-5s", DurationError::UnexpectedCharacter { found: '-' }),
            ("30m1h", DurationError::UnitOrder { unit: unit("h") }),
            ("5s5s", DurationError::UnitOrder { unit: unit("s") }),
            ("99999999999999999999ms", DurationError::Overflow),
            ("9999999999999999h", DurationError::Overflow),
        ];
        for (text, expected) in cases {
            assert_eq!(parse_duration(text), Err(expected), "{text:?}");
        }
    }

    #[test]
    fn hints_suggest_a_spelling_that_parses() {
        let hint = parse_duration("30").expect_err("bare number").hint();
        assert!(hint.contains("\"30s\""), "{hint}");
        assert!(parse_duration("30s").is_ok());
        let hint = parse_duration("1.5s").expect_err("fraction").hint();
        assert!(hint.contains("\"1500ms\""), "{hint}");
    }

    #[test]
    fn formats_largest_unit_first() {
        let cases = [
            (Duration::ZERO, "0s"),
            (Duration::from_micros(10), "<1ms"),
            (Duration::from_millis(250), "250ms"),
            (Duration::from_millis(1500), "1s500ms"),
            (Duration::from_secs(300), "5m"),
            (Duration::from_secs(5400), "1h30m"),
            (Duration::from_secs(48 * 3600 + 1), "48h1s"),
        ];
        for (duration, expected) in cases {
            assert_eq!(format_duration(duration), expected);
        }
    }

    proptest! {
        #[test]
        fn format_then_parse_is_the_identity(millis in 0u64..1_000_000_000_000) {
            let duration = Duration::from_millis(millis);
            prop_assert_eq!(parse_duration(&format_duration(duration)), Ok(duration));
        }
    }
}
