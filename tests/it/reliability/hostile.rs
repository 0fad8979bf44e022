//! Hostile workspace rows through the CLI: ids and groups with quotes,
//! brackets, semicolons, SQL comments, unicode and 10,000 characters;
//! database names built to break out of an identifier; NULLs and duplicate
//! ids. `wsdb workspaces`, `status --all` and `migrate --all` handle each row
//! on its own (a bad row is reported with its position, a good hostile one
//! is migrated like any other), never crash, and never turn a value into
//! SQL: the tables the values try to drop are all still there afterwards.

use std::collections::BTreeMap;

use super::fleet;
use crate::support::project::{Project, Run};

const VERSIONS: u64 = 2;

/// Ids of real workspaces; each is migrated like any other.
fn hostile_ids() -> Vec<String> {
    vec![
        "o'brien".to_owned(),
        "x'; DROP TABLE workspaces; --".to_owned(),
        "[dbo].[wsdb_history]; DROP TABLE dbo.wsdb_history; --".to_owned(),
        "a;b;c".to_owned(),
        "\"quoted\" and ]]bracketed[[".to_owned(),
        "日本語-тенант-🚀".to_owned(),
        "line\nbreak\ttab".to_owned(),
        "\u{1b}]0;retitled\u{7}\u{1b}[31mred\u{1b}[0m".to_owned(),
        format!("long-{}", "w".repeat(10_000)),
    ]
}

/// A group for every workspace: SQL that would empty the ledger.
const HOSTILE_GROUP: &str = "'; DELETE FROM wsdb.runs; DROP SCHEMA wsdb CASCADE; --";

/// Workspaces whose database does not exist yet, named to break out of
/// `[...]` and `N'...'` (a unique suffix follows): `migrate` reports them
/// unreachable, `provision` creates exactly that name.
const HOSTILE_DATABASES: [(&str, &str); 2] = [
    ("bad-db-bracket", "x]; DROP TABLE dbo.wsdb_history; --"),
    ("bad-db-quote", "x'; DROP DATABASE master; --"),
];

#[tokio::test]
async fn hostile_rows_are_reported_per_row_and_never_become_sql() {
    let mut project = Project::start().await;
    let ids = hostile_ids();
    for id in &ids {
        project.add_workspace(id).await;
        project.set_group(id, HOSTILE_GROUP).await;
    }
    for (id, prefix) in HOSTILE_DATABASES {
        project.add_missing_workspace_named(id, prefix).await;
    }
    let rejected = add_rejected_rows(&project, &ids).await;
    let rows_before = workspace_rows(&project).await;
    fleet::write_migrations(&project, VERSIONS, std::time::Duration::ZERO).await;

    let listed = project
        .wsdb(&["workspaces", "--format", "json"])
        .run()
        .await;
    // A rejected row is a failure to report (exit 1), not a crash.
    listed.expect_code(1);
    assert_rejected(&listed, &rejected);
    for id in &ids {
        assert!(
            listed.stdout.contains(&json_text(id)),
            "`wsdb workspaces` does not list {:?}",
            shorten(id)
        );
    }

    // The tables for people: long and multi-line values must not break
    // them, escape sequences must not reach the terminal.
    for command in [&["workspaces"][..], &["status", "--all"]] {
        let table = project.wsdb(command).run().await;
        table.expect_code(1);
        assert!(table.stdout.contains("o'brien"), "{table}");
        assert_no_escape_sequence(&table);
    }

    let status = project
        .wsdb(&["status", "--all", "--format", "json"])
        .run()
        .await;
    status.expect_code(1);
    assert_rejected(&status, &rejected);
    let statuses = status.statuses();
    for id in &ids {
        assert!(statuses.contains_key(id), "status lost {:?}", shorten(id));
    }

    let migrate = project
        .wsdb(&["migrate", "--all", "--format", "json"])
        .run()
        .await;
    migrate.expect_code(1);
    assert_rejected(&migrate, &rejected);
    let statuses = migrate.statuses();
    for id in &ids {
        assert_eq!(
            statuses.get(id).map(String::as_str),
            Some("applied"),
            "{:?}:\n{migrate}",
            shorten(id)
        );
    }
    for (id, _) in HOSTILE_DATABASES {
        let status = statuses.get(id).map(String::as_str).unwrap_or("missing");
        assert_eq!(status, "unreachable", "{id}:\n{migrate}");
    }
    // `provision` quotes the names into CREATE DATABASE: exactly those
    // databases appear, and get migrated.
    for (id, _) in HOSTILE_DATABASES {
        let provision = project
            .wsdb(&["provision", "-w", id, "--format", "json"])
            .run()
            .await;
        provision.expect_code(0);
        assert_eq!(
            provision.statuses().get(id).map(String::as_str),
            Some("provisioned"),
            "{provision}"
        );
    }

    // The ledger's view of the run, as a table.
    let run_id = migrate.json()["run_id"].to_string();
    let shown = project.wsdb(&["runs", "show", &run_id]).run().await;
    shown.expect_code(0);
    assert_no_escape_sequence(&shown);

    // Hostile ids selected by name on the command line, and a hostile
    // group: selection compares values, it builds no SQL.
    for id in [&ids[1], ids.last().expect("hostile ids")] {
        let single = project
            .wsdb(&["migrate", "-w", id, "--format", "json"])
            .run()
            .await;
        single.expect_code(0);
        assert_eq!(
            single.statuses().get(id).map(String::as_str),
            Some("up_to_date"),
            "{single}"
        );
    }
    let group = project
        .wsdb(&["status", "--group", HOSTILE_GROUP, "--format", "json"])
        .run()
        .await;
    assert_eq!(group.statuses().len(), ids.len(), "{group}");

    // Nothing the values spelled ran: every table and row is still there.
    assert_eq!(workspace_rows(&project).await, rows_before);
    assert_intact(&project, &ids).await;
    eprintln!(
        "hostile: {} hostile ids migrated, {} hostile database names reported then provisioned, {} rows rejected, \
         {} control rows intact",
        ids.len(),
        HOSTILE_DATABASES.len(),
        rejected.len(),
        rows_before.len()
    );
}

/// Rows wsdb must reject, each for its own problem: NULLs, an empty id,
/// and a duplicate of a hostile id. Returns the problems, as reported.
async fn add_rejected_rows(project: &Project, ids: &[String]) -> [&'static str; 6] {
    let host = project.server.host();
    let port = i64::from(project.server.port());
    let first = project.database(&ids[0]).to_owned();
    project
        .insert_row(None, Some(&host), Some(port), Some(&first), None)
        .await;
    project
        .insert_row(Some(""), Some(&host), Some(port), Some(&first), None)
        .await;
    project
        .insert_row(Some("null-host"), None, Some(port), Some(&first), None)
        .await;
    project
        .insert_row(Some("null-port"), Some(&host), None, Some(&first), None)
        .await;
    project
        .insert_row(Some("null-database"), Some(&host), Some(port), None, None)
        .await;
    // The duplicate names the same database as the original: whichever of
    // the two the query returns first is kept, the other is rejected.
    let duplicated = project.database(&ids[1]).to_owned();
    project
        .insert_row(
            Some(&ids[1]),
            Some(&host),
            Some(port),
            Some(&duplicated),
            None,
        )
        .await;
    [
        "`id` is NULL",
        "`id` is empty",
        "`host` is NULL",
        "`port` is NULL",
        "`database` is NULL",
        "the same `id` as row",
    ]
}

/// Every workspace (the hostile databases' too) is consistent at the latest
/// version, and the ledger holds every hostile id verbatim.
async fn assert_intact(project: &Project, ids: &[String]) {
    let mut migrated = ids.to_vec();
    migrated.extend(HOSTILE_DATABASES.iter().map(|(id, _)| (*id).to_owned()));
    let states = fleet::read_all(project, &migrated).await;
    fleet::assert_consistent(&states, VERSIONS, "after hostile rows");
    let latest = i64::try_from(VERSIONS).expect("a small version");
    assert!(states.iter().all(|(_, s)| s.version() == latest));
    let recorded = ledger_ids(project).await;
    for id in ids {
        assert!(
            recorded.contains_key(id),
            "the ledger lost {:?} (or changed it)",
            shorten(id)
        );
    }
    let runs = project
        .control_rows("SELECT count(*)::text FROM wsdb.runs")
        .await;
    assert_ne!(runs[0][0].as_deref(), Some("0"), "the ledger was emptied");
}

/// Every row of the `workspaces` table, as text, in a stable order.
async fn workspace_rows(project: &Project) -> Vec<Vec<Option<String>>> {
    project
        .control_rows(
            "SELECT id, host, port::text, database, grp FROM workspaces \
             ORDER BY id NULLS FIRST, database NULLS FIRST, host NULLS FIRST, port NULLS FIRST",
        )
        .await
}

/// Workspace ids the ledger recorded results for, with how many.
async fn ledger_ids(project: &Project) -> BTreeMap<String, usize> {
    let mut ids = BTreeMap::new();
    for row in project
        .control_rows("SELECT workspace_id FROM wsdb.run_workspaces")
        .await
    {
        if let Some(id) = row[0].clone() {
            *ids.entry(id).or_insert(0) += 1;
        }
    }
    ids
}

/// No escape sequence reached the terminal: `NO_COLOR` is set, so any
/// would have come from a value.
#[track_caller]
fn assert_no_escape_sequence(run: &Run) {
    assert!(
        !run.stdout.contains('\u{1b}') && !run.stderr.contains('\u{1b}'),
        "a terminal escape sequence from a value reached the terminal:\n{run}"
    );
}

/// The run's `rejected_rows` are exactly one per expected problem.
#[track_caller]
fn assert_rejected(run: &Run, expected: &[&str]) {
    let document = run.json();
    let problems: Vec<String> = document["rejected_rows"]
        .as_array()
        .map(|rows| {
            rows.iter()
                .map(|row| row["problem"].as_str().unwrap_or_default().to_owned())
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(problems.len(), expected.len(), "{run}");
    for problem in expected {
        assert!(
            problems.iter().any(|p| p.contains(problem)),
            "no rejected row says {problem:?}: {problems:?}"
        );
    }
}

/// `text` as it appears inside a JSON string (without the quotes).
fn json_text(text: &str) -> String {
    let quoted = serde_json::to_string(text).expect("a JSON string");
    quoted[1..quoted.len() - 1].to_owned()
}

/// An id short enough for a failure message.
fn shorten(id: &str) -> String {
    id.chars().take(60).collect()
}
