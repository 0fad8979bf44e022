//! The summary tables people read, as snapshots (`NO_COLOR`, no terminal):
//! `migrate` (what changed, failures first, one-line causes, rejected rows,
//! the totals line) and `status` (where each workspace stands, the version
//! histogram). Durations, run ids, ports and generated database names are
//! redacted, and cell padding is normalised because a redacted duration no
//! longer sets its column's width.

use super::{break_migration, table_migrations};
use crate::support::project::Project;
use crate::support::workspace_server::closed_port;

/// Filters that make a table independent of timing, ports and names.
fn filters() -> Vec<(&'static str, &'static str)> {
    vec![
        (r"\b\d+m\d\ds\b|\b\d+\.\ds\b|\b\d+ms\b", "[duration]"),
        (r"\(run \d+\)", "(run [id])"),
        (r"127\.0\.0\.1:\d+", "127.0.0.1:[port]"),
        (r"\bws_[0-9a-f_]+\b", "[database]"),
        // Cell padding and border lengths follow the widest cell.
        (r" +([┆│])", " $1"),
        (r"([┆│]) +", "$1 "),
        (r"[─]{2,}", "──"),
        (r"[═]{2,}", "══"),
    ]
}

#[tokio::test]
async fn migrate_and_status_tables() {
    let mut project = Project::start().await;
    for id in ["acme", "globex", "hooli", "initech"] {
        project.add_workspace(id).await;
    }
    project
        .insert_row(
            Some("umbrella"),
            Some("127.0.0.1"),
            Some(i64::from(closed_port())),
            Some("ws_nowhere"),
            None,
        )
        .await;
    project
        .insert_row(Some("wayne"), None, Some(1433), Some("ws_wayne"), None)
        .await;
    table_migrations(&project, 1).await;
    project
        .wsdb(&["migrate", "-w", "globex", "-w", "hooli"])
        .run()
        .await
        .expect_code(0);
    project
        .migration(
            2,
            "table_2",
            "CREATE TABLE dbo.t2 (id INT NOT NULL PRIMARY KEY);\n",
            Some("DROP TABLE dbo.t2;\n"),
        )
        .await;
    project
        .wsdb(&["migrate", "-w", "hooli"])
        .run()
        .await
        .expect_code(0);
    break_migration(&project, "initech", 2).await;

    let migrate = project.wsdb(&["migrate", "--all"]).run().await;
    migrate.expect_code(1);
    let status = project.wsdb(&["status", "--all"]).run().await;
    status.expect_code(1);
    insta::with_settings!({ filters => filters(), prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!("fleet_migrate_table", migrate.stdout);
        insta::assert_snapshot!("fleet_status_table", status.stdout);
    });
}
