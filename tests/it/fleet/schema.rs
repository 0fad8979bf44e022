//! The JSON output of the fleet commands against its documented schema
//! (docs/json-output.schema.json): real `--format json` documents and every
//! `--format ndjson` line of migrate, status, verify, rollback, baseline,
//! repair, provision, `--dry-run`, `--preflight` and `status --cached`,
//! over a fleet that includes a failure, an unreachable workspace and a
//! rejected control row, so the optional shapes appear too.

use serde_json::Value;

use super::{break_migration, table_migrations};
use crate::support::json_schema::{assert_document, assert_ndjson};
use crate::support::project::{Project, Run};
use crate::support::workspace_server::closed_port;

/// Checks the shape of an event stream beyond the schema: it opens with
/// `run_started`, closes with `run_finished`, and finishes every workspace
/// it counted.
#[track_caller]
fn assert_stream(events: &[Value], what: &str) {
    let kinds: Vec<&str> = events.iter().filter_map(|e| e["event"].as_str()).collect();
    assert_eq!(kinds.first(), Some(&"run_started"), "{what}: {kinds:?}");
    assert_eq!(kinds.last(), Some(&"run_finished"), "{what}: {kinds:?}");
    let total = events[0]["total"].as_u64().unwrap_or(u64::MAX);
    let finished = kinds.iter().filter(|k| **k == "workspace_finished").count();
    assert_eq!(
        u64::try_from(finished).ok(),
        Some(total),
        "{what}: {kinds:?}"
    );
    let last = &events[events.len() - 1];
    assert_eq!(last["totals"]["workspaces"].as_u64(), Some(total), "{what}");
}

#[tokio::test]
async fn json_documents_and_ndjson_events_match_the_documented_schema() {
    let mut project = Project::start().await;
    let ids = project.add_workspaces("ws", 3).await;
    let port = i64::from(closed_port());
    project
        .insert_row(
            Some("zz-unreachable"),
            Some("127.0.0.1"),
            Some(port),
            Some("ws_nowhere"),
            None,
        )
        .await;
    project
        .insert_row(Some("zz-bad-row"), None, Some(1433), Some("ws_bad"), None)
        .await;
    table_migrations(&project, 2).await;
    break_migration(&project, &ids[2], 2).await;

    check(&project, &["migrate", "--all", "--dry-run"], Json, 1).await;
    check(&project, &["migrate", "--all", "--preflight"], Ndjson, 1).await;
    let migrate = check(&project, &["migrate", "--all"], Ndjson, 1).await;
    assert!(
        migrate.stdout.contains(r#""event":"migration_finished""#),
        "{migrate}"
    );
    check(&project, &["migrate", "--all"], Json, 1).await;
    check(&project, &["status", "--all"], Json, 1).await;
    check(&project, &["status", "--all"], Ndjson, 1).await;
    check(&project, &["status", "--all", "--cached"], Json, 1).await;
    check(&project, &["status", "--all", "--cached"], Ndjson, 1).await;
    check(&project, &["verify", "-w", &ids[0], "-w", &ids[1]], Json, 0).await;
    check(&project, &["verify", "--all"], Ndjson, 1).await;
    check(
        &project,
        &["rollback", "-w", &ids[0], "--steps", "1", "--yes"],
        Json,
        0,
    )
    .await;
    check(
        &project,
        &["rollback", "-w", &ids[1], "--steps", "1", "--yes"],
        Ndjson,
        0,
    )
    .await;
    check(
        &project,
        &["repair", "-w", &ids[0], "-w", &ids[1], "--yes"],
        Json,
        0,
    )
    .await;

    project.add_workspace("legacy").await;
    check(
        &project,
        &["baseline", "-w", "legacy", "--version", "2", "--yes"],
        Json,
        0,
    )
    .await;
    let missing = project.server.unused_database_name("provisioned");
    let server_port = i64::from(project.server.port());
    project
        .insert_row(
            Some("new"),
            Some(&project.server.host()),
            Some(server_port),
            Some(&missing),
            None,
        )
        .await;
    check(&project, &["provision", "-w", "new"], Ndjson, 0).await;
    check(&project, &["status", "-w", "new", "-w", "legacy"], Json, 0).await;
}

#[derive(Clone, Copy)]
enum Format {
    Json,
    Ndjson,
}
use Format::{Json, Ndjson};

/// Runs `wsdb <command> --format json|ndjson`, expects `code`, and checks
/// the output against the schema.
async fn check(project: &Project, command: &[&str], format: Format, code: i32) -> Run {
    let mut args = command.to_vec();
    args.extend([
        "--format",
        match format {
            Json => "json",
            Ndjson => "ndjson",
        },
    ]);
    let what = args.join(" ");
    let run = project.wsdb(&args).run().await;
    run.expect_code(code);
    match format {
        Json => {
            let document = assert_document(&run.stdout, &what);
            assert_eq!(
                document["exit_code"].as_i64(),
                Some(i64::from(code)),
                "{what}"
            );
        }
        Ndjson => {
            let events = assert_ndjson(&run.stdout, &what);
            assert_stream(&events, &what);
            let last = &events[events.len() - 1];
            assert_eq!(last["exit_code"].as_i64(), Some(i64::from(code)), "{what}");
        }
    }
    run
}
