//! The planner: which scripts a command would run on one workspace, in which
//! order, given the migration set and that workspace's history rows.
//!
//! Pure: data in, data out, no database. It decides *what* runs; the
//! executor ([`super::execute`]) decides *how* (transactions, lock, timeouts)
//! and [`super::validate`] decides whether the history can be trusted at all
//! (drift, unknown versions). The planner still refuses on its own what would
//! make a plan wrong rather than merely risky: failed rows, an applied
//! version a down plan cannot map to a file, out-of-order pending versions.
//!
//! Out-of-order migrations (a pending version lower than the highest applied
//! one, typically a branch merged late) are always refused, like Flyway's
//! default `outOfOrder=false`: applying them would give different workspaces
//! different histories for the same code. The hint tells the author to give
//! the late migration a version above the highest applied one.

use std::collections::BTreeSet;
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Serialize;

use super::{AppliedMigration, Checksum, MigrationSet, Script, Version};

/// How far `migrate` should go.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum UpTarget {
    /// Every pending migration.
    Latest,
    /// Pending migrations up to and including this version (`--to V`); it
    /// must be a version of the migration set.
    Version(Version),
}

/// How far `rollback` should go.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DownTarget {
    /// Roll back every applied migration above this applied version (`--to V`).
    To(Version),
    /// Roll back the last `n` applied migrations (`--steps N`).
    Steps(usize),
    /// Undo what one run applied (`rollback --run ID`): only if the
    /// workspace is still at `from` (the version the run left), back to `to`
    /// (the version before the run; `None`: nothing was applied before).
    Undo { from: Version, to: Option<Version> },
}

/// Which way a plan moves the schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    Up,
    Down,
}

impl fmt::Display for Direction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Direction::Up => "up",
            Direction::Down => "down",
        })
    }
}

/// The ordered scripts one command will run on one workspace.
#[derive(Debug, Clone)]
pub struct Plan<'a> {
    pub direction: Direction,
    /// The highest successfully applied version before the plan runs.
    pub from: Option<Version>,
    /// The highest applied version once every step has run.
    pub to: Option<Version>,
    pub steps: Vec<Step<'a>>,
}

impl Plan<'_> {
    pub fn is_empty(&self) -> bool {
        self.steps.is_empty()
    }
}

/// One script of a plan.
#[derive(Debug, Clone)]
pub struct Step<'a> {
    pub version: Version,
    pub name: &'a str,
    /// The `.up.sql` script for an up plan, the `.down.sql` one for a down plan.
    pub script: &'a Script,
    /// The checksum a history row of this migration carries: always the up
    /// file's, also in a down plan (a failed no-transaction down rewrites the
    /// row with it).
    pub checksum: Checksum,
    /// False for `-- wsdb:no-transaction` scripts.
    pub transactional: bool,
    /// The script's `-- wsdb:timeout=` directive; the executor falls back to
    /// the configured statement timeout.
    pub timeout: Option<Duration>,
}

impl<'a> Step<'a> {
    fn new(version: Version, name: &'a str, script: &'a Script, checksum: Checksum) -> Self {
        Step {
            version,
            name,
            script,
            checksum,
            transactional: !script.directives.no_transaction,
            timeout: script.directives.timeout,
        }
    }
}

/// A down file a rollback needs but the migration set lacks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MissingDown {
    pub version: Version,
    /// The file that should exist, next to its `.up.sql`.
    pub expected: PathBuf,
}

/// Why no plan could be made. Nothing has run when one of these is returned.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PlanError {
    #[error(
        "pending migration(s) {} are below the highest applied version {highest_applied} (out of order)\nhint: give each a version above {highest_applied} (rename the files, then run `wsdb hash`)",
        list(pending)
    )]
    OutOfOrder {
        pending: Vec<Version>,
        highest_applied: Version,
    },
    #[error("target version {target} is not in the migration set (latest is {})", opt(*latest))]
    TargetNotInSet {
        target: Version,
        latest: Option<Version>,
    },
    #[error(
        "target version {target} is below the current version {current}\nhint: use `wsdb rollback --to {target}` to go down"
    )]
    TargetBelowCurrent { target: Version, current: Version },
    #[error(
        "rollback target {target} is not an applied version (applied: {})",
        list(applied)
    )]
    TargetNotApplied {
        target: Version,
        applied: Vec<Version>,
    },
    #[error(
        "the run left this workspace at version {run_left} but it is now at {}: later changes would be undone too\nhint: roll it back with `--to` after deciding what to keep",
        opt(*current)
    )]
    MovedOn {
        run_left: Version,
        current: Option<Version>,
    },
    #[error("`--steps` must be at least 1, found 0")]
    ZeroSteps,
    #[error("cannot roll back {steps} step(s): only {applied} migration(s) are applied")]
    TooManySteps { steps: usize, applied: usize },
    #[error(
        "applied version {version} is not in the migration set, so it cannot be rolled back\nhint: run the rollback with the release that added it"
    )]
    UnknownApplied { version: Version },
    #[error(
        "cannot roll back: no down file for {}\nhint: write the missing `.down.sql` file(s), then run `wsdb hash`",
        missing_list(missing)
    )]
    MissingDown { missing: Vec<MissingDown> },
    #[error(
        "migration(s) {} failed part-way and are marked failed in the history\nhint: fix the database by hand, then run `wsdb repair`",
        list(versions)
    )]
    FailedRows { versions: Vec<Version> },
}

/// Plans `migrate`: the pending migrations in version order, up to `target`.
pub fn plan_up<'a>(
    set: &'a MigrationSet,
    applied: &[AppliedMigration],
    target: UpTarget,
) -> Result<Plan<'a>, PlanError> {
    refuse_failed_rows(applied)?;
    let done: BTreeSet<Version> = applied.iter().map(|row| row.version).collect();
    let current = done.last().copied();
    let limit = match target {
        UpTarget::Latest => None,
        UpTarget::Version(target) => {
            if set.get(target).is_none() {
                return Err(PlanError::TargetNotInSet {
                    target,
                    latest: set.latest(),
                });
            }
            if let Some(current) = current.filter(|current| target < *current) {
                return Err(PlanError::TargetBelowCurrent { target, current });
            }
            Some(target)
        }
    };
    let pending: Vec<_> = set
        .migrations
        .iter()
        .filter(|m| !done.contains(&m.version))
        .collect();
    if let Some(highest_applied) = current {
        let late: Vec<Version> = pending
            .iter()
            .map(|m| m.version)
            .filter(|v| *v < highest_applied)
            .collect();
        if !late.is_empty() {
            return Err(PlanError::OutOfOrder {
                pending: late,
                highest_applied,
            });
        }
    }
    let steps: Vec<Step<'a>> = pending
        .into_iter()
        .filter(|m| limit.is_none_or(|limit| m.version <= limit))
        .map(|m| Step::new(m.version, &m.name, &m.up, m.up.checksum))
        .collect();
    let to = steps.last().map(|s| s.version).or(current);
    Ok(Plan {
        direction: Direction::Up,
        from: current,
        to,
        steps,
    })
}

/// Plans `rollback`: the down scripts of the applied migrations above the
/// target, newest first. Every needed down file must exist, or nothing is
/// planned and the error lists all the missing ones.
pub fn plan_down<'a>(
    set: &'a MigrationSet,
    applied: &[AppliedMigration],
    target: DownTarget,
) -> Result<Plan<'a>, PlanError> {
    refuse_failed_rows(applied)?;
    let mut newest_first: Vec<&AppliedMigration> = applied.iter().collect();
    newest_first.sort_by_key(|row| std::cmp::Reverse(row.version));
    let count = match target {
        DownTarget::Steps(0) => return Err(PlanError::ZeroSteps),
        DownTarget::Steps(steps) if steps > newest_first.len() => {
            return Err(PlanError::TooManySteps {
                steps,
                applied: newest_first.len(),
            });
        }
        DownTarget::Steps(steps) => steps,
        DownTarget::Undo { from, to } => {
            let current = newest_first.first().map(|r| r.version);
            if current != Some(from) {
                return Err(PlanError::MovedOn {
                    run_left: from,
                    current,
                });
            }
            newest_first
                .iter()
                .filter(|r| to.is_none_or(|to| r.version > to))
                .count()
        }
        DownTarget::To(target) => {
            if !newest_first.iter().any(|row| row.version == target) {
                let mut versions: Vec<Version> = applied.iter().map(|r| r.version).collect();
                versions.sort();
                return Err(PlanError::TargetNotApplied {
                    target,
                    applied: versions,
                });
            }
            newest_first.iter().filter(|r| r.version > target).count()
        }
    };
    let undone = &newest_first[..count];
    let mut steps = Vec::with_capacity(count);
    let mut missing = Vec::new();
    for row in undone {
        let migration = set.get(row.version).ok_or(PlanError::UnknownApplied {
            version: row.version,
        })?;
        match &migration.down {
            Some(down) => steps.push(Step::new(
                migration.version,
                &migration.name,
                down,
                migration.up.checksum,
            )),
            None => missing.push(MissingDown {
                version: migration.version,
                expected: down_path_for(&migration.up.path),
            }),
        }
    }
    if !missing.is_empty() {
        return Err(PlanError::MissingDown { missing });
    }
    Ok(Plan {
        direction: Direction::Down,
        from: newest_first.first().map(|r| r.version),
        to: newest_first.get(count).map(|r| r.version),
        steps,
    })
}

fn refuse_failed_rows(applied: &[AppliedMigration]) -> Result<(), PlanError> {
    let versions: Vec<Version> = applied
        .iter()
        .filter(|row| !row.success)
        .map(|row| row.version)
        .collect();
    if versions.is_empty() {
        Ok(())
    } else {
        Err(PlanError::FailedRows { versions })
    }
}

/// `0003_x.up.sql` → `0003_x.down.sql`, keeping the folder and the version's
/// zero padding, so the message names the exact file to write.
fn down_path_for(up: &Path) -> PathBuf {
    let file = up.file_name().map(|f| f.to_string_lossy().into_owned());
    let down = match file.as_deref().and_then(|f| f.strip_suffix(".up.sql")) {
        Some(stem) => format!("{stem}.down.sql"),
        None => format!("{}.down.sql", up.display()),
    };
    up.with_file_name(down)
}

fn list(versions: &[Version]) -> String {
    versions
        .iter()
        .map(Version::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

fn opt(version: Option<Version>) -> String {
    version.map_or_else(|| "none".to_owned(), |v| v.to_string())
}

fn missing_list(missing: &[MissingDown]) -> String {
    missing
        .iter()
        .map(|m| format!("{} (`{}`)", m.version, m.expected.display()))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::migrate::test_data::{applied, failed_row, set_with, v};

    fn versions(plan: &Plan<'_>) -> Vec<u64> {
        plan.steps.iter().map(|s| s.version.get()).collect()
    }

    /// Applied versions, target, expected steps, expected `to`.
    struct UpCase(&'static [u64], UpTarget, &'static [u64], Option<u64>);

    #[test]
    fn plan_up_table() {
        let set = set_with(&[1, 2, 3, 4], &[]);
        let cases = [
            UpCase(&[], UpTarget::Latest, &[1, 2, 3, 4], Some(4)),
            UpCase(&[1, 2], UpTarget::Latest, &[3, 4], Some(4)),
            UpCase(&[1, 2, 3, 4], UpTarget::Latest, &[], Some(4)),
            UpCase(&[1], UpTarget::Version(v(3)), &[2, 3], Some(3)),
            UpCase(&[1, 2, 3], UpTarget::Version(v(3)), &[], Some(3)),
            UpCase(&[], UpTarget::Version(v(1)), &[1], Some(1)),
        ];
        for UpCase(done, target, expected, to) in cases {
            let rows = applied(&set, done);
            let plan = plan_up(&set, &rows, target).expect("plannable");
            let context = format!("applied {done:?} target {target:?}");
            assert_eq!(versions(&plan), expected, "{context}");
            assert_eq!(plan.to, to.map(v), "{context}");
            assert_eq!(plan.direction, Direction::Up);
        }
    }

    #[test]
    fn plan_up_refusals() {
        let set = set_with(&[1, 2, 3, 5], &[]);
        let cases: Vec<(Vec<AppliedMigration>, UpTarget, PlanError)> = vec![
            (
                applied(&set, &[1, 3]),
                UpTarget::Latest,
                PlanError::OutOfOrder {
                    pending: vec![v(2)],
                    highest_applied: v(3),
                },
            ),
            (
                applied(&set, &[1]),
                UpTarget::Version(v(4)),
                PlanError::TargetNotInSet {
                    target: v(4),
                    latest: Some(v(5)),
                },
            ),
            (
                applied(&set, &[1, 2, 3]),
                UpTarget::Version(v(2)),
                PlanError::TargetBelowCurrent {
                    target: v(2),
                    current: v(3),
                },
            ),
            (
                vec![failed_row(&set, 1)],
                UpTarget::Latest,
                PlanError::FailedRows {
                    versions: vec![v(1)],
                },
            ),
        ];
        for (rows, target, expected) in cases {
            assert_eq!(plan_up(&set, &rows, target).err(), Some(expected));
        }
    }

    #[test]
    fn plan_up_carries_directives_and_checksums() {
        let mut set = set_with(&[1, 2], &[]);
        set.migrations[1].up.directives.no_transaction = true;
        set.migrations[1].up.directives.timeout = Some(Duration::from_secs(90));
        let plan = plan_up(&set, &[], UpTarget::Latest).expect("plannable");
        assert!(plan.steps[0].transactional);
        assert_eq!(plan.steps[0].timeout, None);
        assert!(!plan.steps[1].transactional);
        assert_eq!(plan.steps[1].timeout, Some(Duration::from_secs(90)));
        assert_eq!(plan.steps[1].checksum, set.migrations[1].up.checksum);
    }

    #[test]
    fn plan_down_table() {
        let set = set_with(&[1, 2, 3, 4], &[1, 2, 3, 4]);
        let rows = applied(&set, &[1, 2, 3, 4]);
        let cases: &[(DownTarget, &[u64], Option<u64>)] = &[
            (DownTarget::To(v(2)), &[4, 3], Some(2)),
            (DownTarget::To(v(4)), &[], Some(4)),
            (DownTarget::Steps(1), &[4], Some(3)),
            (DownTarget::Steps(4), &[4, 3, 2, 1], None),
            (
                DownTarget::Undo {
                    from: v(4),
                    to: Some(v(2)),
                },
                &[4, 3],
                Some(2),
            ),
            (
                DownTarget::Undo {
                    from: v(4),
                    to: None,
                },
                &[4, 3, 2, 1],
                None,
            ),
        ];
        for (target, expected, to) in cases {
            let plan = plan_down(&set, &rows, *target).expect("plannable");
            assert_eq!(versions(&plan), *expected, "target {target:?}");
            assert_eq!(plan.to, to.map(v), "target {target:?}");
            assert_eq!(plan.from, Some(v(4)));
            assert_eq!(plan.direction, Direction::Down);
        }
    }

    #[test]
    fn plan_down_uses_down_scripts_and_up_checksums() {
        let set = set_with(&[1, 2], &[1, 2]);
        let plan = plan_down(&set, &applied(&set, &[1, 2]), DownTarget::Steps(1)).expect("plan");
        let step = &plan.steps[0];
        let migration = &set.migrations[1];
        assert!(std::ptr::eq(
            step.script,
            migration.down.as_ref().expect("down")
        ));
        assert_eq!(step.checksum, migration.up.checksum);
    }

    #[test]
    fn plan_down_refusals() {
        let set = set_with(&[1, 2, 3, 4], &[1, 2]);
        let rows = applied(&set, &[1, 2, 3, 4]);
        let cases: Vec<(DownTarget, PlanError)> = vec![
            (
                DownTarget::Undo {
                    from: v(3),
                    to: Some(v(1)),
                },
                PlanError::MovedOn {
                    run_left: v(3),
                    current: Some(v(4)),
                },
            ),
            (DownTarget::Steps(0), PlanError::ZeroSteps),
            (
                DownTarget::Steps(5),
                PlanError::TooManySteps {
                    steps: 5,
                    applied: 4,
                },
            ),
            (
                DownTarget::To(v(7)),
                PlanError::TargetNotApplied {
                    target: v(7),
                    applied: vec![v(1), v(2), v(3), v(4)],
                },
            ),
            (
                DownTarget::To(v(1)),
                PlanError::MissingDown {
                    missing: vec![
                        MissingDown {
                            version: v(4),
                            expected: PathBuf::from("migrations/0004_m4.down.sql"),
                        },
                        MissingDown {
                            version: v(3),
                            expected: PathBuf::from("migrations/0003_m3.down.sql"),
                        },
                    ],
                },
            ),
        ];
        for (target, expected) in cases {
            assert_eq!(plan_down(&set, &rows, target).err(), Some(expected));
        }
    }

    #[test]
    fn plan_down_refuses_an_applied_version_the_set_does_not_know() {
        let set = set_with(&[1, 2], &[1, 2]);
        let mut rows = applied(&set, &[1, 2]);
        let mut unknown = rows[1].clone();
        unknown.version = v(9);
        rows.push(unknown);
        assert_eq!(
            plan_down(&set, &rows, DownTarget::Steps(1)).err(),
            Some(PlanError::UnknownApplied { version: v(9) })
        );
    }

    #[test]
    fn missing_down_message_names_every_file() {
        let set = set_with(&[1, 2, 3], &[1]);
        let err = plan_down(&set, &applied(&set, &[1, 2, 3]), DownTarget::To(v(1)))
            .expect_err("downs are missing");
        let text = err.to_string();
        assert!(text.contains("`migrations/0003_m3.down.sql`"), "{text}");
        assert!(text.contains("`migrations/0002_m2.down.sql`"), "{text}");
        assert!(text.contains("\nhint: "), "{text}");
    }
}
