//! The shortest path through a project: migrate a fresh workspace, then
//! status says it is up to date and history holds the files' checksums.

use crate::support::project::Project;

#[tokio::test]
async fn fresh_database_migrates_and_reports_up_to_date() {
    let mut project = Project::start().await;
    project.add_workspace("acme").await;
    project
        .migration(1, "base", "CREATE TABLE dbo.customers (id INT NOT NULL PRIMARY KEY);\nGO\nINSERT INTO dbo.customers (id) VALUES (1);\n", Some("DROP TABLE dbo.customers;\n"))
        .await;
    project
        .migration(
            2,
            "orders",
            "CREATE TABLE dbo.orders (id INT NOT NULL);\n",
            None,
        )
        .await;

    let run = project
        .wsdb(&["migrate", "-w", "acme", "--format", "json"])
        .run()
        .await;
    run.expect_code(0);
    assert_eq!(
        run.statuses().get("acme").map(String::as_str),
        Some("applied")
    );
    assert_eq!(project.history("acme").await, vec![(1, true), (2, true)]);
    assert!(project.table_exists("acme", "dbo.orders").await);

    let status = project
        .wsdb(&["status", "-w", "acme", "--format", "json", "--check"])
        .run()
        .await;
    status.expect_code(0);
    assert_eq!(
        status.statuses().get("acme").map(String::as_str),
        Some("up_to_date")
    );
}
