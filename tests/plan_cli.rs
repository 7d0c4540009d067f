//! Runs `heatplan plan` on the bundled scenarios and checks the schedule it
//! writes with the independent checker in `common/`.

#![cfg(feature = "solver")]

mod common;

use std::path::Path;
use std::process::Command;

fn scenario(name: &str) -> String {
    format!("{}/scenarios/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// Runs `heatplan plan` and returns (exit code, stdout, plan.csv, plan.json).
fn plan(file: &str, extra: &[&str]) -> (i32, String, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_heatplan"))
        .arg("plan")
        .arg(file)
        .arg("-o")
        .arg(dir.path())
        .args(extra)
        .output()
        .unwrap();
    let read = |n: &str| std::fs::read_to_string(dir.path().join(n)).unwrap_or_default();
    let stdout =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    (
        out.status.code().unwrap_or(-1),
        stdout,
        read("plan.csv"),
        read("plan.json"),
    )
}

/// `--heuristic-only --max-candidates N --time-limit 600`: the search ends
/// after N candidates, long before the time limit, so the plan is the same
/// on a fast and on a loaded machine. (How good a plan gets within seconds
/// is measured by `cargo bench --bench solver -- quality`.)
const WORK: [&str; 5] = [
    "--heuristic-only",
    "--max-candidates",
    "N",
    "--time-limit",
    "600",
];

/// Exit code 0 exactly when plan.json lists no late station (and the
/// households all on time), 3 when it lists some.
fn assert_exit_code_matches_late_stations(code: i32, json: &str, out: &str) {
    let v: serde_json::Value = serde_json::from_str(json).unwrap();
    let late = v["milestones"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["kind"] == "station" && m["variance_days"].as_i64().unwrap_or(0) > 0)
        .count();
    let all_on_time = v["plan"]["households_on_time"] == v["plan"]["households_total"];
    assert_eq!(
        code == 0,
        late == 0,
        "exit {code}, {late} late stations:\n{out}"
    );
    assert_eq!(late == 0, all_on_time, "{out}");
}

fn assert_feasible(file: &str, csv: &str) {
    let text = std::fs::read_to_string(file).unwrap();
    let errs = common::check_plan(&text, csv);
    assert!(
        errs.is_empty(),
        "{} violations, first ones:\n{}",
        errs.len(),
        errs.iter().take(20).cloned().collect::<Vec<_>>().join("\n")
    );
}

#[test]
fn tutorial_plan_is_feasible_and_meets_the_deadline() {
    let file = scenario("tutorial.toml");
    // A candidate limit, not the clock, ends the search: the same plan on
    // any machine.
    let (code, out, csv, json) = plan(&file, &[WORK[0], WORK[1], "200", WORK[3], WORK[4]]);
    assert_eq!(code, 0, "{out}");
    assert!(
        csv.starts_with("\u{feff}id,name,element,district,contractor,crew,start,finish"),
        "{csv}"
    );
    assert_feasible(&file, &csv);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert!(v["plan"]["households_total"].as_u64().unwrap() > 0);
    assert_eq!(
        v["plan"]["households_on_time"],
        v["plan"]["households_total"]
    );
    assert!(out.contains("Heat-ready by the deadline"), "{out}");
}

#[test]
fn city_plan_is_feasible() {
    let file = scenario("city.toml");
    let (code, out, csv, json) = plan(&file, &[WORK[0], WORK[1], "30", WORK[3], WORK[4]]);
    assert!(code == 0 || code == 3, "{out}");
    assert_feasible(&file, &csv);
    assert_exit_code_matches_late_stations(code, &json, &out);
}

#[test]
fn the_checker_catches_a_broken_plan() {
    // Guard against a checker that accepts anything: move one activity onto
    // its element's previous step and expect a complaint.
    let file = scenario("tutorial.toml");
    let (_, _, csv, _) = plan(&file, &[WORK[0], WORK[1], "50", WORK[3], WORK[4]]);
    let mut lines: Vec<String> = csv.lines().map(str::to_string).collect();
    let lay = lines
        .iter()
        .position(|l| l.contains("/lay,"))
        .expect("a lay step");
    let trench = lines.iter().position(|l| l.contains("/trench,")).unwrap();
    let start_of = |l: &str| l.split(',').nth(6).unwrap().to_string();
    let t_start = start_of(&lines[trench]);
    let fields: Vec<String> = lines[lay].split(',').map(str::to_string).collect();
    let mut f = fields.clone();
    f[6] = t_start;
    lines[lay] = f.join(",");
    let broken = lines.join("\n") + "\n";
    let text = std::fs::read_to_string(&file).unwrap();
    let errs = common::check_plan(&text, &broken);
    assert!(errs.iter().any(|e| e.contains("link from")), "{errs:?}");
    // The same plan against a scenario with one trench per district and
    // half the crews must break the trench and crew rules.
    let stricter = regex_replace_numbers(&text, "max_open_trenches = ", 1);
    let errs = common::check_plan(&stricter, &csv);
    assert!(errs.iter().any(|e| e.contains("trenches open")), "{errs:?}");
    let fewer = text
        .replace("earthworks = 2", "earthworks = 1")
        .replace("earthworks = 3", "earthworks = 1");
    let errs = common::check_plan(&fewer, &csv);
    assert!(
        errs.iter()
            .any(|e| e.contains("does not exist") || e.contains("at once")),
        "{errs:?}"
    );
}

/// Replaces the number after every occurrence of `key` with `value`.
fn regex_replace_numbers(text: &str, key: &str, value: u32) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find(key) {
        out.push_str(&rest[..i + key.len()]);
        rest = rest[i + key.len()..].trim_start_matches(|c: char| c.is_ascii_digit());
        out.push_str(&value.to_string());
    }
    out + rest
}

#[test]
fn bad_scenario_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.toml");
    std::fs::write(&bad, "[programme]\nname = 1\n").unwrap();
    let out_dir = dir.path().join("out");
    let out = Command::new(env!("CARGO_BIN_EXE_heatplan"))
        .args([
            "plan",
            bad.to_str().unwrap(),
            "-o",
            out_dir.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bad.toml:2:8"), "{err}");
    assert!(!Path::new(&out_dir).exists());
}

/// Runs `heatplan plan --deadline hard` on the tutorial with `edit` applied;
/// returns (exit code, stderr, whether the output folder exists).
fn plan_hard_edited(edit: impl Fn(&str) -> String) -> (i32, String, bool) {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(scenario("tutorial.toml")).unwrap();
    let file = dir.path().join("edited.toml");
    std::fs::write(&file, edit(&text)).unwrap();
    let out_dir = dir.path().join("out");
    let out = Command::new(env!("CARGO_BIN_EXE_heatplan"))
        .arg("plan")
        .arg(&file)
        .arg("-o")
        .arg(&out_dir)
        .args(["--deadline", "hard", "--time-limit", "3"])
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).to_string(),
        out_dir.exists(),
    )
}

#[test]
fn hard_deadline_too_early_names_the_chain_and_its_calendar_days() {
    let (code, err, wrote) =
        plan_hard_edited(|t| t.replace("deadline = 2022-09-30", "deadline = 2022-05-20"));
    assert_eq!(code, 4, "{err}");
    assert!(!wrote, "no output when no plan exists");
    assert!(err.contains("even with unlimited crews"), "{err}");
    // The permit → diversion → S01 chain, and the days it loses.
    for step in ["permit-renmin", "diversion-renmin", "S01/trench", "S01/lay"] {
        assert!(err.contains(step), "{step} missing:\n{err}");
    }
    assert!(
        err.contains("Labour Day") && err.contains("rest day"),
        "{err}"
    );
}

#[test]
fn hard_deadline_short_of_crews_names_contractor_and_figures() {
    // The chain fits by 20 June, but only reli has a station_mep crew.
    let (code, err, wrote) =
        plan_hard_edited(|t| t.replace("deadline = 2022-09-30", "deadline = 2022-06-20"));
    assert_eq!(code, 4, "{err}");
    assert!(!wrote);
    assert!(!err.contains("even with unlimited crews"), "{err}");
    let line = err
        .lines()
        .find(|l| l.contains("station_mep crews of reli"))
        .unwrap_or_else(|| panic!("{err}"));
    // "… 79.0 crew-days demanded, 64 available (1 crews × 64 working days, …)"
    let numbers: Vec<f64> = line
        .split(|c: char| !(c.is_ascii_digit() || c == '.'))
        .filter_map(|w| w.parse().ok())
        .collect();
    let (demanded, available, crews, days) = (numbers[0], numbers[1], numbers[2], numbers[3]);
    assert!(demanded > available, "{line}");
    assert_eq!(available, crews * days, "{line}");
}

#[test]
fn soft_deadline_summary_says_why_stations_are_late() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(scenario("tutorial.toml")).unwrap();
    let file = dir.path().join("early.toml");
    std::fs::write(
        &file,
        text.replace("deadline = 2022-09-30", "deadline = 2022-05-20"),
    )
    .unwrap();
    let (code, out, csv, json) = plan(
        file.to_str().unwrap(),
        &[WORK[0], WORK[1], "50", WORK[3], WORK[4]],
    );
    assert_eq!(code, 3, "{out}");
    assert_feasible(file.to_str().unwrap(), &csv);
    assert_exit_code_matches_late_stations(code, &json, &out);
    let why = out
        .split("why late:")
        .nth(1)
        .unwrap_or_else(|| panic!("{out}"));
    for st in ["ST-A", "ST-B", "ST-C", "ST-D"] {
        assert!(
            why.lines()
                .any(|l| l.contains(st) && l.contains("even with unlimited crews")),
            "{st}: {why}"
        );
    }
}

#[test]
fn a_hard_node_no_plan_can_reach_exits_4_naming_it() {
    // The main line cannot be pressure-tested by 5 April.
    let (code, err, wrote) =
        plan_hard_edited(|t| t.replace("due = 2022-06-30\n", "due = 2022-04-05\nhard = true\n"));
    assert_eq!(code, 4, "{err}");
    assert!(!wrote, "no output when no plan exists");
    assert!(
        err.contains("m-mainline-tested") && err.contains("2022-04-05"),
        "{err}"
    );
    assert!(err.contains("no plan reaches it before"), "{err}");
}

#[test]
fn a_soft_node_holds_no_plan_back_in_hard_mode() {
    // The same impossible date without `hard`: the node is missed, the plan made.
    let (code, err, wrote) =
        plan_hard_edited(|t| t.replace("due = 2022-06-30\n", "due = 2022-04-05\n"));
    assert_eq!(code, 0, "{err}");
    assert!(wrote);
}

/// The hard mode on the city, limited by work: the hard search alone finds
/// no plan within 200 candidates, the soft search does, with every station
/// on time, and the hard search goes on from it. The plan written keeps the
/// deadline (checked independently), and the solver line describes the
/// plan written, never "no solution found" beside it.
#[test]
fn hard_mode_starts_from_the_soft_plan_and_reports_it() {
    let file = scenario("city.toml");
    let (code, out, csv, json) = plan(
        &file,
        &[
            "--deadline",
            "hard",
            "--heuristic-only",
            "--max-candidates",
            "200",
            "--time-limit",
            "600",
        ],
    );
    assert_eq!(code, 0, "{out}");
    assert_feasible(&file, &csv);
    assert_exit_code_matches_late_stations(code, &json, &out);
    assert!(out.contains("64 on time, 0 late"), "{out}");
    assert!(!out.contains("no solution found"), "{out}");
}
