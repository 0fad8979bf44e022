//! `wsdb runs` and `wsdb runs show ID` after a queued run of two runners in
//! which one workspace fails: the list and the detail, as tables and as
//! JSON, show the run across both runners with its failure.

use super::{is_runner, quick_fleet, run_id};
use crate::support::project::{Run, Running};

#[tokio::test]
async fn runs_and_runs_show_report_a_queued_run_across_its_runners() {
    let (project, ids) = quick_fleet(4).await;
    // The first migration of `ws-002` fails: the table already exists.
    project
        .execute(&ids[2], "CREATE TABLE dbo.accounts (id INT NOT NULL);")
        .await;
    let args = [
        "migrate", "--all", "--queue", "--run-id", "shown", "--lease", "30s", "--format", "json",
    ];
    let runners: Vec<Running> = (0..2).map(|_| project.wsdb(&args).start()).collect();
    let pids: Vec<u32> = runners.iter().map(Running::pid).collect();
    let mut runs: Vec<Run> = Vec::new();
    for runner in runners {
        runs.push(runner.finish().await);
    }
    let run = run_id(&runs[0]);
    // Every runner waits for the run to complete and then answers for all
    // of it: each reports the failed workspace (the other runner's one as
    // "in <runner>") and exits 1, so a restarted pod cannot exit 0 for a
    // failed run.
    for r in &runs {
        r.expect_code(1);
        assert!(super::reported(r).contains_key(&ids[2]), "{r}");
    }
    let met_it_first_hand = runs
        .iter()
        .filter(|r| {
            r.json()["workspaces"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|l| {
                    l["workspace"] == ids[2].as_str()
                        && !l["cause"].as_str().unwrap_or("").starts_with("in ")
                })
        })
        .count();
    assert_eq!(met_it_first_hand, 1);
    // A second, ordinary run: the list is newest first.
    project
        .wsdb(&["status", "--all", "--format", "json"])
        .run()
        .await;
    let later = project
        .wsdb(&["migrate", "-w", &ids[0], "--format", "json"])
        .run()
        .await;
    later.expect_code(0);
    let later_id = run_id(&later);

    let list = project.wsdb(&["runs", "--format", "json"]).run().await;
    list.expect_code(0);
    let document = list.json();
    assert_eq!(document["schema_version"], 1);
    let listed = document["runs"].as_array().cloned().unwrap_or_default();
    let listed_ids: Vec<i64> = listed.iter().filter_map(|r| r["id"].as_i64()).collect();
    assert_eq!(listed_ids, [later_id, run], "{list}");
    let queued = &listed[1];
    assert_eq!(queued["command"], "migrate");
    assert_eq!(queued["outcome"], "failed", "{list}");
    assert_eq!(queued["counts"]["applied"], 3, "{list}");
    assert_eq!(queued["counts"]["failed"], 1, "{list}");
    assert!(queued["finished_at"].is_string(), "{list}");

    let limited = project
        .wsdb(&["runs", "--limit", "1", "--format", "json"])
        .run()
        .await;
    assert_eq!(
        limited.expect_code(0).json()["runs"]
            .as_array()
            .map(Vec::len),
        Some(1)
    );

    let table = project.wsdb(&["runs"]).run().await;
    table.expect_code(0);
    let row = table_row(&table, &run.to_string());
    let row = cells(&row);
    // run, command, env, started, by, outcome, workspaces, failed
    assert_eq!(row.len(), 8, "{table}");
    let run_text = run.to_string();
    assert_eq!(
        [row[0], row[1], row[2], row[5], row[6], row[7]],
        [run_text.as_str(), "migrate", "test", "failed", "4", "1"],
        "{table}"
    );
    assert!(row[4].contains('@'), "`by` is user@host:\n{table}");

    let show = project
        .wsdb(&["runs", "show", &run.to_string(), "--format", "json"])
        .run()
        .await;
    show.expect_code(0);
    let detail = show.json();
    assert_eq!(detail["run"]["id"], run);
    assert_eq!(detail["run"]["outcome"], "failed");
    let workspaces = detail["workspaces"].as_array().cloned().unwrap_or_default();
    let shown: Vec<&str> = workspaces
        .iter()
        .filter_map(|w| w["workspace_id"].as_str())
        .collect();
    assert_eq!(shown, ids.iter().map(String::as_str).collect::<Vec<_>>());
    for w in &workspaces {
        let runner = w["runner_id"].as_str().unwrap_or_default();
        assert!(pids.iter().any(|&p| is_runner(runner, p)), "{show}");
        if w["workspace_id"] == ids[2].as_str() {
            assert_eq!(w["status"], "failed");
            assert!(
                w["error"].as_str().is_some_and(|e| e.contains("2714")),
                "{show}"
            );
        } else {
            assert_eq!(w["status"], "applied");
            assert_eq!(w["applied_versions"], serde_json::json!([1, 2]));
        }
    }

    let show_table = project
        .wsdb(&["runs", "show", &run.to_string()])
        .run()
        .await;
    show_table.expect_code(0);
    show_table.expect_output("--queue --run-id shown");
    let failed_row = table_row(&show_table, &ids[2]);
    assert_eq!(
        cells(&failed_row)[..2],
        [ids[2].as_str(), "failed"],
        "{show_table}"
    );
    assert!(failed_row.contains("2714"), "{show_table}");
    let applied_row = table_row(&show_table, &ids[0]);
    assert_eq!(
        cells(&applied_row)[..4],
        [ids[0].as_str(), "applied", "- → 2", "1,2"],
        "{show_table}"
    );

    project
        .wsdb(&["runs", "show", "999999"])
        .run()
        .await
        .expect_code(2)
        .expect_output("hint: `wsdb runs` lists them");
}

/// The table line whose first cell is `first`.
#[track_caller]
fn table_row(run: &Run, first: &str) -> String {
    run.stdout
        .lines()
        .find(|line| cells(line).first() == Some(&first))
        .unwrap_or_else(|| panic!("no row for `{first}`:\n{run}"))
        .to_owned()
}

/// The trimmed cells of a table line drawn with `│` and `┆`.
fn cells(line: &str) -> Vec<&str> {
    line.split(['│', '┆'])
        .map(str::trim)
        .filter(|cell| !cell.is_empty())
        .collect()
}
