//! What a re-plan hands to the site (issue #19 point 3): finished and
//! running work keep the crews of the plan re-planned (in plan.json,
//! plan.csv, plan.xml and the responsibility lists), the utilisation counts
//! the whole season, and the Gantt chart shows the data date, the baseline
//! bars and the done part of every started bar.

#![cfg(feature = "solver")]

mod common;

use chrono::NaiveDate;
use heatplan::lang::Lang;
use heatplan::plan::cpm::NetworkPlan;
use heatplan::replan::ledger::simulate_slip;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

const DATA_DATE: &str = "2022-06-15";
/// The Gantt chart's geometry (src/report/gantt.rs): label column width and
/// pixels per day.
const LEFT: f64 = 230.0;
const DAY_W: f64 = 5.0;

fn heatplan() -> Command {
    Command::new(env!("CARGO_BIN_EXE_heatplan"))
}

fn read_np(dir: &Path) -> NetworkPlan {
    heatplan::report::read_plan_json(&std::fs::read_to_string(dir.join("plan.json")).unwrap())
        .unwrap()
}

/// The tutorial planned (bounded by candidates, not time), then re-planned
/// on [`DATA_DATE`] with the main contractor 14 days late: (baseline
/// folder, re-plan folder).
fn chain() -> &'static (PathBuf, PathBuf) {
    static DIRS: OnceLock<(PathBuf, PathBuf)> = OnceLock::new();
    DIRS.get_or_init(|| {
        let work = tempfile::tempdir().unwrap().keep();
        let base = work.join("base");
        let scenario = format!("{}/scenarios/tutorial.toml", env!("CARGO_MANIFEST_DIR"));
        let out = heatplan()
            .args([
                "plan",
                &scenario,
                "--heuristic-only",
                "--max-candidates",
                "200",
            ])
            .args(["--time-limit", "600", "-o"])
            .arg(&base)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{out:?}");
        let date = NaiveDate::parse_from_str(DATA_DATE, "%Y-%m-%d").unwrap();
        let ledger = simulate_slip(&read_np(&base), date, "reli", 14);
        std::fs::write(work.join("ledger.csv"), ledger).unwrap();
        let re = work.join("re");
        let out = heatplan()
            .arg("replan")
            .arg("--plan")
            .arg(base.join("plan.json"))
            .arg("--progress")
            .arg(work.join("ledger.csv"))
            .args(["--data-date", DATA_DATE, "--heuristic-only"])
            .args(["--max-candidates", "50", "--time-limit", "600", "-o"])
            .arg(&re)
            .output()
            .unwrap();
        assert!(
            matches!(out.status.code(), Some(0 | 3)),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        (base, re)
    })
}

/// Activity id → crew, from a CSV whose header names the columns.
fn crews_in_csv(text: &str, id_col: usize, crew_col: usize) -> HashMap<String, String> {
    common::parse_csv(text)
        .into_iter()
        .skip(1)
        .map(|r| (r[id_col].clone(), r[crew_col].clone()))
        .collect()
}

/// Leaf children of every element `name` at depth 3 of an MSPDI file
/// (`Project/Tasks/Task`, `Project/Resources/Resource`, …).
fn mspdi_records(xml: &str, name: &str) -> Vec<HashMap<String, String>> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut path: Vec<String> = Vec::new();
    let mut out: Vec<HashMap<String, String>> = Vec::new();
    loop {
        match reader.read_event().unwrap() {
            Event::Start(e) => {
                path.push(e.name().as_ref().to_string());
                if path.len() == 3 && path[2] == name {
                    out.push(HashMap::new());
                }
            }
            Event::Text(t) if path.len() == 4 && path[2] == name => {
                let text = t.xml10_content().trim().to_string();
                if let Some(r) = out.last_mut() {
                    r.insert(path[3].clone(), text);
                }
            }
            Event::End(_) => {
                path.pop();
            }
            Event::Eof => break,
            _ => {}
        }
    }
    out
}

#[test]
fn finished_and_running_work_keep_the_crews_of_the_plan_replanned() {
    let (base_dir, re_dir) = chain();
    let (base, new) = (read_np(base_dir), read_np(re_dir));
    let before: HashMap<&str, &str> = base
        .plan
        .activities
        .iter()
        .map(|a| (a.id.as_str(), a.crew.as_str()))
        .collect();
    let csv = crews_in_csv(
        &std::fs::read_to_string(re_dir.join("plan.csv")).unwrap(),
        0,
        5,
    );
    let header = common::parse_csv(&std::fs::read_to_string(re_dir.join("plan.csv")).unwrap())
        .swap_remove(0);
    assert_eq!(header[5], "crew", "{header:?}");
    // Responsibility lists: crew in column 3, id in column 4.
    let mut lists: HashMap<String, String> = HashMap::new();
    for entry in std::fs::read_dir(re_dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if name.starts_with("responsibility-contractor-") {
            lists.extend(crews_in_csv(&std::fs::read_to_string(&path).unwrap(), 3, 2));
        }
    }
    // plan.xml: task name → the resource assigned to it.
    let xml = std::fs::read_to_string(re_dir.join("plan.xml")).unwrap();
    let tasks: HashMap<String, String> = mspdi_records(&xml, "Task")
        .into_iter()
        .filter_map(|t| Some((t.get("UID")?.clone(), t.get("Name")?.clone())))
        .collect();
    let resources: HashMap<String, String> = mspdi_records(&xml, "Resource")
        .into_iter()
        .filter_map(|r| Some((r.get("UID")?.clone(), r.get("Name")?.clone())))
        .collect();
    let xml_crew: HashMap<String, String> = mspdi_records(&xml, "Assignment")
        .into_iter()
        .map(|a| {
            (
                tasks[&a["TaskUID"]].clone(),
                resources[&a["ResourceUID"]].clone(),
            )
        })
        .collect();
    let (mut finished, mut running) = (0, 0);
    for actual in &new.actuals {
        let a = new
            .plan
            .activities
            .iter()
            .find(|a| a.id == actual.id)
            .unwrap();
        let was = before[a.id.as_str()];
        if was.is_empty() {
            continue;
        }
        match actual.finish {
            Some(_) => finished += 1,
            None => running += 1,
        }
        assert_eq!(a.crew, was, "{} in plan.json", a.id);
        assert_eq!(csv[&a.id], was, "{} in plan.csv", a.id);
        assert_eq!(lists[&a.id], was, "{} in the responsibility lists", a.id);
        let task = format!("{} {}", a.id, a.name);
        assert_eq!(xml_crew[&task], was, "{} in plan.xml", a.id);
    }
    assert!(
        finished >= 10 && running >= 1,
        "{finished} finished, {running} running: the test says little"
    );
    // Nobody is double-booked, the kept crews included.
    let mut by_crew: BTreeMap<&str, Vec<(u32, u32)>> = BTreeMap::new();
    for a in new.plan.activities.iter().filter(|a| !a.crew.is_empty()) {
        by_crew
            .entry(&a.crew)
            .or_default()
            .push((a.start_day, a.end_day));
    }
    for (crew, mut jobs) in by_crew {
        jobs.sort();
        assert!(
            jobs.windows(2).all(|w| w[0].1 <= w[1].0),
            "{crew}: {jobs:?}"
        );
    }
}

#[test]
fn utilisation_counts_the_work_done_and_the_work_left() {
    let (_, re_dir) = chain();
    let new = read_np(re_dir);
    let acts = &new.plan.activities;
    let first = acts.iter().map(|a| a.start_day).min().unwrap();
    let last = acts.iter().map(|a| a.end_day).max().unwrap();
    let done: std::collections::HashSet<&str> = new.actuals.iter().map(|a| a.id.as_str()).collect();
    let mut done_days = 0;
    for u in &new.utilisation {
        let prefix = format!("{}/{}/", u.contractor, u.crew);
        let of_type = || acts.iter().filter(|a| a.crew.starts_with(&prefix));
        let all: u64 = of_type().map(|a| a.duration_days as u64).sum();
        done_days += of_type()
            .filter(|a| done.contains(a.id.as_str()))
            .map(|a| a.duration_days as u64)
            .sum::<u64>();
        assert_eq!(u.busy_days, all, "{prefix}: done + remaining");
        assert_eq!(
            u.available_days,
            u.crews as u64 * (last - first) as u64,
            "{prefix}"
        );
        let expected = all as f64 / u.available_days as f64;
        assert!((u.utilisation - expected).abs() < 1e-12, "{prefix}");
    }
    assert!(
        done_days > 50,
        "only {done_days} crew-days done: says little"
    );
}

#[test]
fn the_gantt_chart_shows_the_data_date_baseline_bars_and_progress() {
    let (base_dir, re_dir) = chain();
    let (base, new) = (read_np(base_dir), read_np(re_dir));
    let svg = std::fs::read_to_string(re_dir.join("gantt.svg")).unwrap();
    let html = std::fs::read_to_string(re_dir.join("report.html")).unwrap();
    assert!(
        html.contains(&svg),
        "report.html inlines the re-plan's chart"
    );
    let date = NaiveDate::parse_from_str(DATA_DATE, "%Y-%m-%d").unwrap();
    let dd = (date - new.plan.window_start).num_days();
    let xd = LEFT + dd as f64 * DAY_W;
    assert!(
        svg.contains(&format!(
            r#"<line class="data-date" data-day="{dd}" x1="{xd:.1}""#
        )),
        "no data-date line at x = {xd}"
    );
    // A baseline bar (or diamond) for every activity that moved, at its
    // baseline dates, and none for the others.
    let old: HashMap<&str, _> = base
        .plan
        .activities
        .iter()
        .map(|a| (a.id.as_str(), a))
        .collect();
    let mut moved = 0;
    for a in &new.plan.activities {
        let b = old[a.id.as_str()];
        let tag = format!(r#"class="baseline" data-activity="{}""#, a.id);
        if (b.start, b.finish) == (a.start, a.finish) {
            assert!(!svg.contains(&tag), "{} did not move", a.id);
            continue;
        }
        moved += 1;
        if b.duration_days > 0 {
            let bx = LEFT + b.start_day as f64 * DAY_W;
            let bw = (b.end_day - b.start_day) as f64 * DAY_W;
            let bar = format!(r#"<rect {tag} x="{bx:.1}""#);
            let at = svg.find(&bar).unwrap_or_else(|| panic!("{bar}"));
            assert!(
                svg[at..].contains(&format!(r#"width="{bw:.1}""#)),
                "{}",
                a.id
            );
        } else {
            assert!(svg.contains(&format!("<polygon {tag}")), "{}", a.id);
        }
    }
    assert!(moved >= 5, "only {moved} moved: the test says little");
    // The done part of every started bar: all of it once finished, up to the
    // data date while running.
    let mut started = 0;
    for actual in &new.actuals {
        let a = new
            .plan
            .activities
            .iter()
            .find(|a| a.id == actual.id)
            .unwrap();
        let tag = format!(r#"class="done" data-activity="{}""#, a.id);
        if a.duration_days == 0 {
            assert!(!svg.contains(&tag));
            continue;
        }
        started += 1;
        let until = if actual.finished() {
            a.end_day as i64
        } else {
            dd.min(a.end_day as i64)
        };
        let x = LEFT + a.start_day as f64 * DAY_W;
        let w = (until - a.start_day as i64) as f64 * DAY_W;
        let done = format!(r#"<rect {tag} x="{x:.1}" y="#);
        let at = svg.find(&done).unwrap_or_else(|| panic!("{done}"));
        let rest = &svg[at..svg[at..].find("/>").unwrap() + at];
        assert!(rest.contains(&format!(r#"width="{w:.1}""#)), "{rest}");
    }
    assert!(started >= 10, "{started}");
    // Work not started has no done part.
    assert_eq!(svg.matches(r#"class="done""#).count(), started);
    // The legend in both languages.
    let variance = heatplan::plan::variance::variance(&base, &new, date);
    for (lang, words) in [
        (Lang::En, ["data date", "baseline", "done", "remaining"]),
        (Lang::Zh, ["数据日期", "基线", "已完成", "剩余工作"]),
    ] {
        let svg = heatplan::report::gantt::gantt_svg_replan(&new, &variance, lang);
        for w in words {
            assert!(svg.contains(w), "{lang:?}: {w}");
        }
    }
}
