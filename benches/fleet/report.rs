//! The figures table: each figure with its value, the target where
//! it has one, and whether the target was met. A miss is printed as `MISS`
//! and does not change the exit code: only errors do.

use std::fmt::Write as _;
use std::time::Duration;

/// A target from issue #6.
#[derive(Debug, Clone, Copy)]
pub enum Target {
    /// wsdb / baseline at most this.
    Ratio(f64),
    /// At most this many MiB.
    Mebibytes(f64),
    /// At most this long.
    Time(Duration),
}

pub struct Row {
    figure: String,
    value: String,
    target: Option<(Target, bool)>,
}

#[derive(Default)]
pub struct Table {
    rows: Vec<Row>,
}

impl Table {
    /// A figure without a target (context for the ones with one).
    pub fn info(&mut self, figure: impl Into<String>, value: String) {
        self.rows.push(Row {
            figure: figure.into(),
            value,
            target: None,
        });
    }

    pub fn ratio(&mut self, figure: impl Into<String>, ratio: f64, target: f64) {
        self.rows.push(Row {
            figure: figure.into(),
            value: format!("{ratio:.2}"),
            target: Some((Target::Ratio(target), ratio <= target)),
        });
    }

    pub fn memory(&mut self, figure: impl Into<String>, bytes: u64, target_mib: f64) {
        let mib = mebibytes(bytes);
        self.rows.push(Row {
            figure: figure.into(),
            value: format!("{mib:.1} MiB"),
            target: Some((Target::Mebibytes(target_mib), mib <= target_mib)),
        });
    }

    pub fn time(&mut self, figure: impl Into<String>, took: Duration, target: Duration) {
        self.rows.push(Row {
            figure: figure.into(),
            value: duration(took),
            target: Some((Target::Time(target), took <= target)),
        });
    }

    pub fn misses(&self) -> usize {
        self.rows
            .iter()
            .filter(|row| matches!(row.target, Some((_, false))))
            .count()
    }

    pub fn render(&self) -> String {
        let header = ["figure", "value", "target", "pass"];
        let cells: Vec<[String; 4]> = self
            .rows
            .iter()
            .map(|row| {
                let (target, pass) = match row.target {
                    None => (String::new(), String::new()),
                    Some((target, met)) => {
                        (describe(target), if met { "ok" } else { "MISS" }.to_owned())
                    }
                };
                [row.figure.clone(), row.value.clone(), target, pass]
            })
            .collect();
        let mut widths = header.map(str::len);
        for row in &cells {
            for (width, cell) in widths.iter_mut().zip(row) {
                *width = (*width).max(cell.chars().count());
            }
        }
        let mut out = String::new();
        let line = |out: &mut String, cells: [&str; 4]| {
            let _ = writeln!(
                out,
                "{:<w0$}  {:>w1$}  {:<w2$}  {}",
                cells[0],
                cells[1],
                cells[2],
                cells[3],
                w0 = widths[0],
                w1 = widths[1],
                w2 = widths[2],
            );
        };
        line(&mut out, header);
        for row in &cells {
            line(&mut out, [&row[0], &row[1], &row[2], &row[3]]);
        }
        out
    }
}

fn describe(target: Target) -> String {
    match target {
        Target::Ratio(at_most) => format!("<= {at_most}"),
        Target::Mebibytes(at_most) => format!("<= {at_most} MiB"),
        Target::Time(at_most) => format!("<= {}", duration(at_most)),
    }
}

pub fn mebibytes(bytes: u64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

/// Seconds above one second, milliseconds below.
pub fn duration(d: Duration) -> String {
    if d >= Duration::from_secs(1) {
        format!("{:.2} s", d.as_secs_f64())
    } else {
        format!("{:.1} ms", d.as_secs_f64() * 1e3)
    }
}

/// `numerator / denominator` as a ratio of durations.
pub fn ratio(numerator: Duration, denominator: Duration) -> f64 {
    numerator.as_secs_f64() / denominator.as_secs_f64().max(f64::EPSILON)
}
