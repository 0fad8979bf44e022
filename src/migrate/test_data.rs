//! Migration sets and history rows for unit tests of the planner, the
//! validator and the executor.
//!
//! Scripts are split with the real splitter, so batch start lines match what
//! a loaded migration set would carry.

use std::path::PathBuf;
use std::time::Duration;

use chrono::{TimeZone, Utc};

use super::{
    AppliedMigration, Batch, Checksum, Directives, Migration, MigrationSet, Script, Version,
};

pub fn v(n: u64) -> Version {
    Version::new(n).expect("test versions are positive")
}

/// A script at `path` whose batches are `text` split on `GO` lines.
pub fn script(path: &str, text: &str) -> Script {
    script_with(path, text, Directives::default())
}

pub fn script_with(path: &str, text: &str, directives: Directives) -> Script {
    Script {
        path: PathBuf::from(path),
        text: text.to_owned(),
        checksum: Checksum::of_normalized(text.as_bytes()),
        directives,
        batches: split(text),
    }
}

fn split(text: &str) -> Vec<Batch> {
    super::split_batches(text).expect("test scripts split cleanly")
}

/// Migration `n` named `m<n>` in `migrations/`, with the given scripts.
pub fn migration(n: u64, up: &str, down: Option<&str>) -> Migration {
    migration_with(n, up, Directives::default(), down)
}

pub fn migration_with(n: u64, up: &str, directives: Directives, down: Option<&str>) -> Migration {
    Migration {
        version: v(n),
        name: format!("m{n}"),
        up: script_with(&format!("migrations/{n:04}_m{n}.up.sql"), up, directives),
        down: down.map(|text| script(&format!("migrations/{n:04}_m{n}.down.sql"), text)),
    }
}

pub fn set_of(mut migrations: Vec<Migration>) -> MigrationSet {
    migrations.sort_by_key(|m| m.version);
    MigrationSet {
        dir: Some(PathBuf::from("migrations")),
        migrations,
    }
}

/// Migrations `ups`, each creating table `t<n>`; those in `downs` have a
/// down script dropping it.
pub fn set_with(ups: &[u64], downs: &[u64]) -> MigrationSet {
    set_of(
        ups.iter()
            .map(|&n| {
                let down = downs.contains(&n).then(|| format!("DROP TABLE t{n}"));
                migration(n, &format!("CREATE TABLE t{n}"), down.as_deref())
            })
            .collect(),
    )
}

/// Successful history rows for `versions`, as wsdb would have written them.
pub fn applied(set: &MigrationSet, versions: &[u64]) -> Vec<AppliedMigration> {
    versions.iter().map(|&n| row(set, n, true)).collect()
}

pub fn failed_row(set: &MigrationSet, n: u64) -> AppliedMigration {
    row(set, n, false)
}

fn row(set: &MigrationSet, n: u64, success: bool) -> AppliedMigration {
    let migration = set.get(v(n)).expect("version in the test set");
    AppliedMigration {
        version: migration.version,
        name: migration.name.clone(),
        checksum: migration.up.checksum,
        applied_at: Utc
            .with_ymd_and_hms(2026, 1, 1, 0, 0, 0)
            .single()
            .expect("valid date"),
        duration_ms: 5,
        applied_by: "test".to_owned(),
        wsdb_version: "0.0.0".to_owned(),
        success,
    }
}

pub fn no_transaction() -> Directives {
    Directives {
        no_transaction: true,
        timeout: None,
    }
}

pub fn timeout(after: Duration) -> Directives {
    Directives {
        no_transaction: false,
        timeout: Some(after),
    }
}
