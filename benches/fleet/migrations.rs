//! The workspace migrations both wsdb and the baseline apply: generated, so
//! the bench needs no fixture files, and kept as batches so the baseline
//! sends exactly what wsdb sends (wsdb splits the files at `GO`; the
//! baseline gets the same batches without any wsdb code in its timed path).

use std::path::Path;

use sha2::{Digest, Sha256};

/// One migration: its version, name, batches and file checksum.
pub struct Migration {
    pub version: i64,
    pub name: String,
    pub batches: Vec<String>,
    pub checksum: String,
}

impl Migration {
    /// The `.up.sql` text: the batches separated by `GO` lines.
    pub fn file_text(&self) -> String {
        let mut text = self.batches.join("\nGO\n");
        text.push('\n');
        text
    }

    pub fn file_name(&self) -> String {
        format!("{:04}_{}.up.sql", self.version, self.name)
    }
}

/// `count` migrations, each a table with an index and then a few rows: two
/// batches, as a typical schema change plus its data fix-up.
pub fn generate(count: usize) -> Vec<Migration> {
    (1..=count)
        .map(|n| {
            let batches = vec![
                format!(
                    "CREATE TABLE dbo.bench_{n:02} (id INT NOT NULL PRIMARY KEY, \
                     label NVARCHAR(100) NOT NULL, created_at DATETIME2 NULL);\n\
                     CREATE INDEX ix_bench_{n:02}_label ON dbo.bench_{n:02} (label);"
                ),
                format!(
                    "INSERT INTO dbo.bench_{n:02} (id, label) \
                     VALUES (1, N'one'), (2, N'two'), (3, N'three');"
                ),
            ];
            let mut migration = Migration {
                version: i64::try_from(n).expect("a small version number"),
                name: format!("bench_step_{n:02}"),
                batches,
                checksum: String::new(),
            };
            migration.checksum = hex::encode(Sha256::digest(migration.file_text()));
            migration
        })
        .collect()
}

/// Writes the `.up.sql` files into `dir` (wsdb's `migrations/`).
pub fn write(migrations: &[Migration], dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    for migration in migrations {
        std::fs::write(dir.join(migration.file_name()), migration.file_text())?;
    }
    Ok(())
}
