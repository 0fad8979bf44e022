//! Destructive fleet commands (rollback, repair, baseline) off a terminal:
//! refused without `--yes` (exit 2, nothing touched), and on a `protected`
//! env refused without `--confirm-env NAME` naming that env. The tests' wsdb
//! runs have no terminal (stdin is not one).

use super::{run_id, table_migrations};
use crate::support::project::Project;

/// Logins the workspace server has seen (`None` on a real server).
fn logins(project: &Project) -> Option<u64> {
    project.server.test_server().map(|s| s.stats().logins)
}

#[tokio::test]
async fn destructive_fleet_commands_need_yes_off_a_terminal() {
    let mut project = Project::start().await;
    let ids = project.add_workspaces("ws", 3).await;
    table_migrations(&project, 2).await;
    let migrate = project
        .wsdb(&["migrate", "--all", "--format", "json"])
        .run()
        .await;
    migrate.expect_code(0);
    let run = run_id(&migrate).to_string();

    let before = logins(&project);
    for args in [
        vec!["rollback", "--all", "--to", "1"],
        vec!["rollback", "--run", run.as_str()],
        vec!["repair", "--all"],
        vec!["baseline", "--all", "--version", "1"],
    ] {
        let refused = project.wsdb(&args).run().await;
        refused.expect_code(2);
        refused.expect_output("hint: pass `--yes`");
    }
    assert_eq!(logins(&project), before, "no workspace was reached");
    for id in &ids {
        assert_eq!(project.history(id).await, vec![(1, true), (2, true)]);
    }

    project
        .wsdb(&["rollback", "--all", "--to", "1", "--yes"])
        .run()
        .await
        .expect_code(0);
    for id in &ids {
        assert_eq!(project.history(id).await, vec![(1, true)]);
    }
}

#[tokio::test]
async fn a_protected_env_needs_its_name_confirmed() {
    let mut project = Project::start().await;
    let ids = project.add_workspaces("ws", 2).await;
    table_migrations(&project, 2).await;
    project.set("run", "protected", "true");
    // Migrating is not destructive: no confirmation.
    project
        .wsdb(&["migrate", "--all"])
        .run()
        .await
        .expect_code(0);

    let before = logins(&project);
    let yes_only = project
        .wsdb(&["rollback", "--all", "--steps", "1", "--yes"])
        .run()
        .await;
    yes_only.expect_code(2);
    yes_only.expect_output("env `test` is protected");
    yes_only.expect_output("--confirm-env test");
    let wrong = project
        .wsdb(&["rollback", "--all", "--steps", "1", "--confirm-env", "prod"])
        .run()
        .await;
    wrong.expect_code(2);
    wrong.expect_output("`--confirm-env prod` does not match the env `test`");
    project
        .wsdb(&["baseline", "--all", "--version", "1", "--yes"])
        .run()
        .await
        .expect_code(2);
    assert_eq!(logins(&project), before, "no workspace was reached");

    project
        .wsdb(&["rollback", "--all", "--steps", "1", "--confirm-env", "test"])
        .run()
        .await
        .expect_code(0);
    for id in &ids {
        assert_eq!(project.history(id).await, vec![(1, true)]);
    }
}
