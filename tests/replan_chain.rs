//! A season of re-plans on the tutorial: plan, then four re-plans, each
//! from the previous revision with a ledger holding only the progress made
//! since the previous data date. Every search is bounded by candidates, not
//! seconds, so the chain is the same on any machine.

#![cfg(feature = "solver")]

mod common;

use chrono::NaiveDate;
use heatplan::plan::cpm::NetworkPlan;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

const DATES: [&str; 4] = ["2022-05-10", "2022-06-05", "2022-07-01", "2022-07-25"];
const HEADER: &str = "id,planned_start,planned_finish,actual_start,actual_finish,percent_complete,remaining_days,remarks\n";
const SEARCH: [&str; 6] = [
    "--heuristic-only",
    "--max-candidates",
    "60",
    "--time-limit",
    "600",
    "--seed",
];

fn run(args: &[&str], dir: &Path) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_heatplan"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    let text =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    (out.status.code().unwrap_or(-1), text)
}

fn read(dir: &Path) -> NetworkPlan {
    heatplan::report::read_plan_json(&std::fs::read_to_string(dir.join("plan.json")).unwrap())
        .unwrap()
}

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// The progress since the plan's data date, had the site followed `plan`
/// except that `slow`'s running work is half as far as planned: work
/// finishing before `on` is finished, work started before it is running
/// (percent by elapsed days), the rest has not started. Work the plan
/// records finished is left out: only the new progress is reported.
fn new_progress(plan: &NetworkPlan, on: NaiveDate, slow: &str) -> String {
    let done: HashMap<&str, bool> = plan
        .actuals
        .iter()
        .map(|a| (a.id.as_str(), a.finish.is_some()))
        .collect();
    let mut out = HEADER.to_string();
    for a in &plan.plan.activities {
        if done.get(a.id.as_str()) == Some(&true) {
            out += &format!("{},,,,,,,\n", a.id);
        } else if a.duration_days == 0 && a.start < on {
            out += &format!("{},,,{},{},100,,\n", a.id, a.start, a.start);
        } else if a.finish < on && a.duration_days > 0 {
            out += &format!("{},,,{},{},100,,\n", a.id, a.start, a.finish);
        } else if a.start < on && a.duration_days > 0 {
            let elapsed = (on - a.start).num_days() as f64;
            let mut pct = 100.0 * elapsed / f64::from(a.duration_days);
            if a.contractor == slow {
                pct /= 2.0;
            }
            let pct = pct.clamp(1.0, 99.0).round();
            out += &format!("{},,,{},,{pct}%,,\n", a.id, a.start);
        } else {
            out += &format!("{},,,,,,,\n", a.id);
        }
    }
    out
}

/// Plans and re-plans four times; returns the folder and every plan.csv.
fn season(seed: &str) -> (PathBuf, Vec<String>) {
    let dir = tempfile::tempdir().unwrap().keep();
    let scenario = format!("{}/scenarios/tutorial.toml", env!("CARGO_MANIFEST_DIR"));
    let mut args = vec!["plan", scenario.as_str(), "-o", "rev-0"];
    args.extend(SEARCH);
    args.push(seed);
    let (code, out) = run(&args, &dir);
    assert_eq!(code, 0, "{out}");
    let mut csvs = vec![std::fs::read_to_string(dir.join("rev-0/plan.csv")).unwrap()];
    for (k, d) in DATES.iter().enumerate() {
        let prev = dir.join(format!("rev-{k}"));
        let old = read(&prev);
        let ledger = new_progress(&old, date(d), "shizheng");
        let ledger_file = format!("ledger-{}.csv", k + 1);
        std::fs::write(dir.join(&ledger_file), &ledger).unwrap();
        let plan = format!("rev-{k}/plan.json");
        let out_dir = format!("rev-{}", k + 1);
        let mut args = vec![
            "replan",
            "--plan",
            plan.as_str(),
            "--progress",
            ledger_file.as_str(),
            "--data-date",
            d,
            "-o",
            out_dir.as_str(),
        ];
        args.extend(SEARCH);
        args.push(seed);
        let (code, out) = run(&args, &dir);
        assert!(code == 0 || code == 3, "step {}: {out}", k + 1);
        let new = read(&dir.join(&out_dir));
        check_step(&old, &new, &ledger, date(d), k + 1);
        // The ledger the re-plan wrote carries every actual.
        let written = std::fs::read_to_string(dir.join(&out_dir).join("ledger.csv")).unwrap();
        let rows = common::parse_csv(&written);
        for a in &new.actuals {
            let row = rows.iter().find(|r| r[0] == a.id).unwrap();
            assert_eq!(row[3], a.start.to_string(), "{}", a.id);
            assert_eq!(
                row[4],
                a.finish.map_or_else(String::new, |f| f.to_string()),
                "{}",
                a.id
            );
        }
        csvs.push(std::fs::read_to_string(dir.join(&out_dir).join("plan.csv")).unwrap());
    }
    (dir, csvs)
}

/// One step of the chain against the plan it re-planned and its ledger.
fn check_step(old: &NetworkPlan, new: &NetworkPlan, ledger: &str, on: NaiveDate, k: usize) {
    let by_id: HashMap<&str, &heatplan::plan::PlannedActivity> = new
        .plan
        .activities
        .iter()
        .map(|a| (a.id.as_str(), a))
        .collect();
    // Every actual recorded before is still recorded, and finished work
    // never moves.
    for a in &old.actuals {
        let kept = new.actuals.iter().find(|x| x.id == a.id);
        let kept = kept.unwrap_or_else(|| panic!("step {k}: {} lost its actual", a.id));
        assert_eq!(kept.start, a.start, "step {k}: {}", a.id);
        if let Some(f) = a.finish {
            assert_eq!(kept.finish, Some(f), "step {k}: {}", a.id);
            let p = by_id[a.id.as_str()];
            assert_eq!(
                (p.start, p.finish),
                (a.start, f),
                "step {k}: {} moved",
                a.id
            );
        }
    }
    // This step's progress is recorded too.
    let rows = common::parse_csv(ledger);
    for r in rows[1..].iter().filter(|r| !r[3].is_empty()) {
        let rec = new.actuals.iter().find(|x| x.id == r[0]).unwrap();
        assert_eq!(rec.start.to_string(), r[3]);
        assert_eq!(rec.reported, on);
        let p = by_id[r[0].as_str()];
        assert_eq!(
            p.start.to_string(),
            r[3],
            "step {k}: {} keeps its start",
            r[0]
        );
    }
    let started: std::collections::HashSet<&str> =
        new.actuals.iter().map(|a| a.id.as_str()).collect();
    for a in &new.plan.activities {
        if !started.contains(a.id.as_str()) {
            assert!(a.start >= on, "step {k}: {} starts before {on}", a.id);
        }
    }
    // The history lists every revision.
    assert_eq!(new.history.len(), k + 1, "step {k}");
    assert_eq!(new.history[k].data_date, Some(on));
    assert_eq!(new.history[k].number as usize, k);
    assert_eq!(&new.history[..k], &old.history[..]);
    let rev = new.revision.as_ref().unwrap();
    assert_eq!(rev.parent.as_ref(), old.revision.as_ref().map(|r| &r.id));
}

#[test]
fn a_chain_of_four_replans_each_with_only_its_own_progress() {
    let (dir, first) = season("3");
    let html = std::fs::read_to_string(dir.join("rev-4/report.html")).unwrap();
    assert!(
        html.contains("id=\"revisions\""),
        "no history in the report"
    );
    for d in DATES {
        assert!(html.contains(d), "{d} missing from the history");
    }
    // The same seed and candidate limits give the same chain.
    let (_, second) = season("3");
    assert_eq!(first, second);
}

/// The most of `crew` crews (`contractor/type/`) busy on one day in
/// `days`.
fn most_busy(plan: &NetworkPlan, crew: &str, days: std::ops::Range<u32>) -> usize {
    days.map(|t| {
        plan.plan
            .activities
            .iter()
            .filter(|a| a.crew.starts_with(crew) && a.start_day <= t && t < a.end_day)
            .count()
    })
    .max()
    .unwrap_or(0)
}

/// Re-plans the tutorial's plan on 10 May (progress as planned) with
/// `events` (none when empty); returns the new plan.
fn replan_with_events(dir: &Path, events: &str, out: &str) -> NetworkPlan {
    let plan = read(&dir.join("rev-0"));
    std::fs::write(
        dir.join("ledger.csv"),
        new_progress(&plan, date("2022-05-10"), "none"),
    )
    .unwrap();
    let mut args = vec![
        "replan",
        "--plan",
        "rev-0/plan.json",
        "--progress",
        "ledger.csv",
        "--data-date",
        "2022-05-10",
        "-o",
        out,
    ];
    let file = format!("{out}.toml");
    if !events.is_empty() {
        std::fs::write(dir.join(&file), events).unwrap();
        args.extend(["--events", file.as_str()]);
    }
    args.extend(SEARCH);
    args.push("1");
    let (code, text) = run(&args, dir);
    assert!(code == 0 || code == 3, "{text}");
    read(&dir.join(out))
}

#[test]
fn crews_leaving_or_joining_on_a_later_day_are_planned_with() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let scenario = format!("{}/scenarios/tutorial.toml", env!("CARGO_MANIFEST_DIR"));
    let mut args = vec!["plan", scenario.as_str(), "-o", "rev-0"];
    args.extend(SEARCH);
    args.push("1");
    let (code, out) = run(&args, dir);
    assert_eq!(code, 0, "{out}");
    let day = |s: &str| (date(s) - date("2022-04-01")).num_days() as u32;
    let (leave, join, end) = (day("2022-05-20"), day("2022-06-01"), day("2022-12-31"));
    let earthworks = "reli/earthworks/";
    // Without events both of reli's earthworks crews work before and after
    // 1 June.
    let free = replan_with_events(dir, "", "free");
    assert_eq!(most_busy(&free, earthworks, leave..join), 2);
    assert_eq!(most_busy(&free, earthworks, join..end), 2);
    // Both leave on 20 May, one joins again on 1 June: none works in
    // between, and the one that joins is used.
    let events = "[[crew]]\ncontractor = \"reli\"\ncrew = \"earthworks\"\nchange = -2\nfrom = 2022-05-20\n\n\
                  [[crew]]\ncontractor = \"reli\"\ncrew = \"earthworks\"\nchange = 1\nfrom = 2022-06-01\n";
    let moved = replan_with_events(dir, events, "moved");
    assert_eq!(most_busy(&moved, earthworks, leave..join), 0);
    assert_eq!(most_busy(&moved, earthworks, join..end), 1);
    // The events are stored: the next re-plan's plan.json carries them.
    let stored = &moved.scenario.as_ref().unwrap().events;
    assert!(stored.iter().any(|(_, text)| text == events));
    // No crew is double-booked.
    for a in &moved.plan.activities {
        assert!(!moved.plan.activities.iter().any(|b| b.id != a.id
            && !a.crew.is_empty()
            && b.crew == a.crew
            && b.start_day < a.end_day
            && a.start_day < b.end_day
            && a.end_day > a.start_day
            && b.end_day > b.start_day));
    }
}
