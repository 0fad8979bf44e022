//! `--max-failures N|N%`: the error budget of a fleet run. Once as many
//! workspaces have failed as the budget allows, nothing new is scheduled;
//! work already in flight finishes.

use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailureBudget {
    /// Stop scheduling after this many failures.
    Count(usize),
    /// Stop scheduling after this percentage (1..=100) of the selected fleet
    /// has failed, rounded up, and at least one failure.
    Percent(u8),
}

impl FailureBudget {
    /// The number of failures that spends the budget for a fleet of `total`.
    pub fn limit(self, total: usize) -> usize {
        match self {
            FailureBudget::Count(n) => n.max(1),
            FailureBudget::Percent(p) => (total * usize::from(p)).div_ceil(100).max(1),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a failure budget; expected a count such as `2` or a percentage such as `5%`")]
pub struct ParseBudgetError(String);

impl FromStr for FailureBudget {
    type Err = ParseBudgetError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || ParseBudgetError(s.to_owned());
        match s.trim().strip_suffix('%') {
            Some(percent) => match percent.trim().parse::<u8>() {
                Ok(p @ 1..=100) => Ok(FailureBudget::Percent(p)),
                _ => Err(bad()),
            },
            None => match s.trim().parse::<usize>() {
                Ok(n) if n >= 1 => Ok(FailureBudget::Count(n)),
                _ => Err(bad()),
            },
        }
    }
}

impl fmt::Display for FailureBudget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FailureBudget::Count(n) => write!(f, "{n}"),
            FailureBudget::Percent(p) => write!(f, "{p}%"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_counts_and_percentages() {
        let cases = [
            ("2", Some(FailureBudget::Count(2))),
            ("5%", Some(FailureBudget::Percent(5))),
            ("100%", Some(FailureBudget::Percent(100))),
            ("0", None),
            ("0%", None),
            ("101%", None),
            ("-1", None),
            ("x", None),
            ("", None),
        ];
        for (input, expected) in cases {
            assert_eq!(input.parse::<FailureBudget>().ok(), expected, "{input}");
        }
    }

    #[test]
    fn limits() {
        assert_eq!(FailureBudget::Count(3).limit(50), 3);
        assert_eq!(FailureBudget::Percent(10).limit(50), 5);
        assert_eq!(FailureBudget::Percent(10).limit(51), 6);
        assert_eq!(FailureBudget::Percent(1).limit(10), 1);
    }
}
