//! `wsdb::migrate::verify_schema`, the library call an application makes
//! at startup, on a real session: it confirms the set's latest version
//! only when every migration is applied and unchanged, reports each kind
//! of difference otherwise, and never writes.

use wsdb::engine::mssql::MssqlEngine;
use wsdb::engine::{Engine, Session};
use wsdb::migrate::validate::SchemaProblem;
use wsdb::migrate::{MigrationSet, SchemaError, Version, verify_schema};

use crate::support::project::Project;

async fn check(project: &Project) -> Result<Option<u64>, Vec<SchemaProblem>> {
    let set = MigrationSet::load(&project.migrations_dir()).expect("load the migration set");
    let engine = MssqlEngine::new(project.server.mssql_settings());
    let target = engine
        .resolve(&project.server.workspace("acme", project.database("acme")))
        .expect("target");
    let mut session = engine.connect(&target).await.expect("connect");
    let result = verify_schema(&mut session, &set).await;
    session.close().await;
    match result {
        Ok(schema) => Ok(schema.version.map(Version::get)),
        Err(SchemaError::Mismatch { problems, .. }) => Err(problems),
        Err(other) => panic!("verify_schema could not read the database: {other}"),
    }
}

fn v(n: u64) -> Version {
    Version::new(n).expect("positive")
}

#[tokio::test]
async fn verify_schema_confirms_only_an_exact_match() {
    let mut project = Project::start().await;
    project.add_workspace("acme").await;
    project.table_migration(1, "base").await;
    project.table_migration(2, "two").await;

    assert_eq!(check(&project).await, Err(vec![SchemaProblem::NoHistory]));
    assert!(
        !project.table_exists("acme", "dbo.wsdb_history").await,
        "verify_schema is read-only"
    );

    project
        .wsdb(&["migrate", "-w", "acme", "--to", "1"])
        .run()
        .await
        .expect_code(0);
    assert_eq!(
        check(&project).await,
        Err(vec![SchemaProblem::Pending(vec![v(2)])])
    );

    project
        .wsdb(&["migrate", "-w", "acme"])
        .run()
        .await
        .expect_code(0);
    assert_eq!(check(&project).await, Ok(Some(2)));

    // An edited applied file and a version the files do not know.
    project
        .migration(
            1,
            "base",
            "CREATE TABLE dbo.base (id BIGINT NOT NULL);\n",
            None,
        )
        .await;
    std::fs::remove_file(project.migrations_dir().join("0002_two.up.sql")).expect("remove");
    project.wsdb(&["hash"]).run().await.expect_code(0);
    match check(&project).await {
        Err(problems) => {
            assert!(
                matches!(problems.as_slice(), [SchemaProblem::Unknown(unknown), SchemaProblem::Drift(drift)]
                    if unknown == &[v(2)] && drift.len() == 1 && drift[0].version == v(1)),
                "{problems:?}"
            );
        }
        other => panic!("expected drift and an unknown version, found {other:?}"),
    }
    assert_eq!(project.history("acme").await, vec![(1, true), (2, true)]);
}
