//! `heatplan replan` on the realistic city scenario: a ledger that records
//! everything as planned gives a valid re-plan that keeps the past, with an
//! exit code that matches its late stations. Both searches are bounded by
//! candidates, not seconds. (How little a full re-plan moves the remaining
//! work — under a day per activity on average with 5 s — is a figure of the
//! solver, measured by hand with `heatplan replan`, not asserted here.)

#![cfg(feature = "solver")]

mod common;

use chrono::NaiveDate;
use heatplan::replan::ledger::simulate_slip;
use std::collections::HashSet;
use std::process::Command;

#[test]
fn an_on_plan_ledger_gives_a_valid_replan_that_keeps_the_past() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = format!("{}/scenarios/city.toml", env!("CARGO_MANIFEST_DIR"));
    let run = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_heatplan"))
            .args(args)
            .current_dir(dir.path())
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout).to_string()
            + &String::from_utf8_lossy(&out.stderr);
        (out.status.code(), text)
    };
    let (code, out) = run(&[
        "plan",
        &scenario,
        "--heuristic-only",
        "--max-candidates",
        "30",
        "--time-limit",
        "600",
        "-o",
        "base",
    ]);
    assert_eq!(code, Some(0), "{out}");
    let text = std::fs::read_to_string(dir.path().join("base/plan.json")).unwrap();
    let base = heatplan::report::read_plan_json(&text).unwrap();
    let date = NaiveDate::from_ymd_opt(2022, 7, 15).unwrap();
    let ledger = simulate_slip(&base, date, "nobody", 0);
    std::fs::write(dir.path().join("ledger.csv"), &ledger).unwrap();
    let (code, out) = run(&[
        "replan",
        "--plan",
        "base/plan.json",
        "--progress",
        "ledger.csv",
        "--data-date",
        "2022-07-15",
        "--heuristic-only",
        "--max-candidates",
        "30",
        "--time-limit",
        "600",
        "-o",
        "re",
    ]);
    assert!(matches!(code, Some(0 | 3)), "{out}");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("re/plan.json")).unwrap())
            .unwrap();
    let late = json["milestones"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["kind"] == "station" && m["variance_days"].as_i64().unwrap_or(0) > 0)
        .count();
    assert_eq!(code == Some(0), late == 0, "{late} late stations: {out}");
    // Not started on the data date: no actual start in the ledger.
    let rows = common::parse_csv(&ledger);
    let not_started: HashSet<&str> = rows[1..]
        .iter()
        .filter(|r| r[3].is_empty())
        .map(|r| r[0].as_str())
        .collect();
    let new_csv = std::fs::read_to_string(dir.path().join("re/plan.csv")).unwrap();
    let scenario_text = std::fs::read_to_string(&scenario).unwrap();
    // Finished work is history (its crew is not named again): the checker
    // judges the rest.
    let finished: HashSet<&str> = rows[1..]
        .iter()
        .filter(|r| !r[4].is_empty())
        .map(|r| r[0].as_str())
        .collect();
    let errs: Vec<String> = common::check_plan(&scenario_text, &new_csv)
        .into_iter()
        .filter(|e| !finished.contains(e.split(':').next().unwrap_or("")))
        .collect();
    assert!(errs.is_empty(), "{:?}", &errs[..errs.len().min(10)]);
    let new = common::read_plan(&new_csv);
    for a in &base.plan.activities {
        assert!(
            !not_started.contains(a.id.as_str()) || new[&a.id].start >= date,
            "{} starts before the data date",
            a.id
        );
    }
    // Finished work keeps its actual dates.
    for r in rows[1..].iter().filter(|r| !r[4].is_empty()) {
        let n = &new[&r[0]];
        assert_eq!(
            (n.start.to_string(), n.finish.to_string()),
            (r[3].clone(), r[4].clone()),
            "{}",
            r[0]
        );
    }
}
