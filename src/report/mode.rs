//! Whether to draw progress bars and use colour: a pure function of the
//! output format, whether stderr/stdout are terminals, `NO_COLOR`, `CI` and
//! `--quiet`, so it is tested without a terminal.

use crate::cli::Format;

/// What the environment says, gathered once at startup.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Surroundings {
    pub format: Format,
    pub quiet: bool,
    pub stderr_is_terminal: bool,
    pub stdout_is_terminal: bool,
    /// `NO_COLOR` set to a non-empty value (https://no-color.org).
    pub no_color: bool,
    /// `CI` set to a non-empty value other than `false`/`0`.
    pub ci: bool,
}

impl Surroundings {
    pub fn detect(format: Format, quiet: bool) -> Surroundings {
        use std::io::IsTerminal;
        let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty());
        let ci = std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0");
        Surroundings {
            format,
            quiet,
            stderr_is_terminal: std::io::stderr().is_terminal(),
            stdout_is_terminal: std::io::stdout().is_terminal(),
            no_color: set("NO_COLOR"),
            ci,
        }
    }
}

/// How output is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutputMode {
    /// Progress bars and per-workspace lines on stderr.
    pub bars: bool,
    /// ANSI colour in tables and messages.
    pub color: bool,
    /// Informational lines on stderr ("3 workspaces selected", hints).
    pub chatty: bool,
}

pub fn decide(s: Surroundings) -> OutputMode {
    let human = s.format == Format::Table;
    OutputMode {
        bars: human && !s.quiet && s.stderr_is_terminal && !s.ci,
        color: human && s.stdout_is_terminal && !s.no_color,
        chatty: !s.quiet,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terminal() -> Surroundings {
        Surroundings {
            format: Format::Table,
            quiet: false,
            stderr_is_terminal: true,
            stdout_is_terminal: true,
            no_color: false,
            ci: false,
        }
    }

    #[test]
    fn decisions() {
        let cases: [(&str, Surroundings, bool, bool); 7] = [
            ("terminal", terminal(), true, true),
            (
                "NO_COLOR",
                Surroundings {
                    no_color: true,
                    ..terminal()
                },
                true,
                false,
            ),
            (
                "CI",
                Surroundings {
                    ci: true,
                    ..terminal()
                },
                false,
                true,
            ),
            (
                "quiet",
                Surroundings {
                    quiet: true,
                    ..terminal()
                },
                false,
                true,
            ),
            (
                "json",
                Surroundings {
                    format: Format::Json,
                    ..terminal()
                },
                false,
                false,
            ),
            (
                "ndjson",
                Surroundings {
                    format: Format::Ndjson,
                    ..terminal()
                },
                false,
                false,
            ),
            (
                "piped",
                Surroundings {
                    stderr_is_terminal: false,
                    stdout_is_terminal: false,
                    ..terminal()
                },
                false,
                false,
            ),
        ];
        for (name, input, bars, color) in cases {
            let mode = decide(input);
            assert_eq!((mode.bars, mode.color), (bars, color), "{name}");
        }
    }
}
