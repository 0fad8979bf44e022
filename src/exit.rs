//! The documented exit codes, in one place. `docs/exit-codes.md` lists the
//! same table; a test keeps the two equal.

/// How a wsdb process ends. The numeric values are a public contract:
/// scripts and CI pipelines branch on them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ExitCode {
    /// Everything asked for was done.
    Success = 0,
    /// One or more workspaces failed or were locked, or a runtime failure
    /// such as an unreachable control database.
    Failure = 1,
    /// Usage or configuration error (arguments, wsdb.toml, an invalid
    /// migration set): nothing was done.
    Usage = 2,
    /// A check found problems: `lint` errors, `verify` drift or unknown
    /// versions, `status --check` pending migrations.
    CheckFailed = 3,
}

impl ExitCode {
    /// Every code with its one-line meaning, in numeric order; the source of
    /// the table in `docs/exit-codes.md`.
    pub const ALL: [(ExitCode, &'static str); 4] = [
        (ExitCode::Success, "success"),
        (
            ExitCode::Failure,
            "one or more workspaces failed or were locked, or a runtime failure (e.g. unreachable control database)",
        ),
        (
            ExitCode::Usage,
            "usage or configuration error (arguments, wsdb.toml, invalid migration set); nothing was done",
        ),
        (
            ExitCode::CheckFailed,
            "a check found problems: lint errors, verify drift or unknown versions, status --check pending",
        ),
    ];

    pub fn code(self) -> i32 {
        self as i32
    }
}

impl From<ExitCode> for std::process::ExitCode {
    fn from(code: ExitCode) -> Self {
        // The discriminants are 0..=3, so the narrowing cannot truncate.
        std::process::ExitCode::from(code as u8)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `docs/exit-codes.md` carries the same table as [`ExitCode::ALL`].
    #[test]
    fn docs_table_matches_the_codes() {
        let docs = include_str!("../docs/exit-codes.md");
        let rows: Vec<(i32, &str)> = docs
            .lines()
            .filter_map(|line| {
                let cells: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
                match cells.as_slice() {
                    [code, meaning] => code.parse().ok().map(|code| (code, *meaning)),
                    _ => None,
                }
            })
            .collect();
        let expected: Vec<(i32, &str)> = ExitCode::ALL
            .iter()
            .map(|(code, meaning)| (code.code(), *meaning))
            .collect();
        assert_eq!(rows, expected);
    }
}
