//! `heatplan replan` end to end on the tutorial: a baseline is planned once,
//! then re-planned with filled-in ledgers and events.

#![cfg(feature = "solver")]

mod common;

use chrono::NaiveDate;
use heatplan::plan::cpm::NetworkPlan;
use heatplan::replan::ledger::simulate_slip;
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

const DATA_DATE: &str = "2022-06-15";
const HEADER: &str = "id,planned_start,planned_finish,actual_start,actual_finish,percent_complete,remaining_days,remarks\n";

fn scenario() -> String {
    format!("{}/scenarios/tutorial.toml", env!("CARGO_MANIFEST_DIR"))
}

/// The baseline folder, planned once for all tests.
fn baseline() -> &'static Path {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let out = Command::new(env!("CARGO_BIN_EXE_heatplan"))
            .args([
                "plan",
                &scenario(),
                "--heuristic-only",
                "--max-candidates",
                "200",
            ])
            .args(["--time-limit", "600", "-o"])
            .arg(dir.path().join("base"))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{out:?}");
        dir
    })
    .path()
}

fn base_plan() -> NetworkPlan {
    let text = std::fs::read_to_string(baseline().join("base/plan.json")).unwrap();
    heatplan::report::read_plan_json(&text).unwrap()
}

fn data_date() -> NaiveDate {
    NaiveDate::parse_from_str(DATA_DATE, "%Y-%m-%d").unwrap()
}

/// Runs `heatplan replan` with a ledger text; returns (exit code, stdout +
/// stderr, output folder).
fn replan(ledger: &str, date: &str, extra: &[&str]) -> (i32, String, PathBuf) {
    let work = tempfile::tempdir().unwrap().keep();
    std::fs::write(work.join("ledger.csv"), ledger).unwrap();
    let out_dir = work.join("re");
    let out = Command::new(env!("CARGO_BIN_EXE_heatplan"))
        .arg("replan")
        .arg("--plan")
        .arg(baseline().join("base/plan.json"))
        .arg("--progress")
        .arg(work.join("ledger.csv"))
        .args(["--data-date", date, "-o"])
        .arg(&out_dir)
        .args(extra)
        .output()
        .unwrap();
    let text =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    (out.status.code().unwrap_or(-1), text, out_dir)
}

fn read_plan(dir: &Path) -> BTreeMap<String, common::Row> {
    common::read_plan(&std::fs::read_to_string(dir.join("plan.csv")).unwrap())
}

#[test]
fn a_slipped_ledger_fixes_the_past_and_reports_the_variance() {
    let base = base_plan();
    let ledger = simulate_slip(&base, data_date(), "shizheng", 14);
    let (code, out, dir) = replan(&ledger, DATA_DATE, &["--time-limit", "6"]);
    assert!(code == 0 || code == 3, "{out}");
    let new = read_plan(&dir);
    let rows = common::parse_csv(&ledger);
    for (i, a) in base.plan.activities.iter().enumerate() {
        let (n, r) = (&new[&a.id], &rows[i + 1]);
        assert_eq!(r[0], a.id);
        if !r[4].is_empty() {
            // Finished work is fixed at its actual dates.
            let actual = (r[3].clone(), r[4].clone());
            assert_eq!(
                (n.start.to_string(), n.finish.to_string()),
                actual,
                "{}",
                a.id
            );
        } else if !r[3].is_empty() {
            assert_eq!(n.start.to_string(), r[3], "{} keeps its actual start", a.id);
            assert!(
                n.finish >= data_date(),
                "{} ends before it was seen running",
                a.id
            );
        } else {
            assert!(
                n.start >= data_date(),
                "{} starts before the data date",
                a.id
            );
        }
    }
    let variance = std::fs::read_to_string(dir.join("variance.csv")).unwrap();
    // Every CSV starts with a UTF-8 byte-order mark, for Excel.
    assert!(
        variance.starts_with("\u{feff}kind,id,baseline_start"),
        "{variance}"
    );
    assert!(variance
        .lines()
        .any(|l| l.starts_with("activity,") && !l.ends_with(",0,shizheng,shizheng,,")));
    let html = std::fs::read_to_string(dir.join("report.html")).unwrap();
    assert!(html.contains("id=\"variance\""));
    assert!(out.contains("households newly at risk"), "{out}");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("plan.json")).unwrap()).unwrap();
    let rev = &json["revision"];
    assert_eq!(rev["data_date"], DATA_DATE);
    assert_eq!(rev["parent"], to_json(&base.revision.as_ref().unwrap().id));
    assert_eq!(
        rev["baseline"],
        to_json(&base.revision.as_ref().unwrap().baseline)
    );
}

#[test]
fn work_a_contractor_delay_does_not_touch_keeps_its_baseline_dates() {
    // On the window start nothing has happened; one shizheng job in Hexi
    // (its latest) may not start until 10 days after its baseline start.
    let base = base_plan();
    let acts = &base.plan.activities;
    let late = (0..acts.len())
        .filter(|&i| acts[i].contractor == "shizheng")
        .max_by_key(|&i| acts[i].start)
        .unwrap();
    let delayed = acts[late].start + chrono::Duration::days(10);
    let work = tempfile::tempdir().unwrap();
    let ev = work.path().join("events.toml");
    std::fs::write(
        &ev,
        format!(
            "[[not_before]]\nactivity = \"{}\"\ndate = {delayed}\n",
            acts[late].id
        ),
    )
    .unwrap();
    let start = base.plan.window_start.to_string();
    let (code, out, dir) = replan(
        HEADER,
        &start,
        &["--time-limit", "6", "--events", ev.to_str().unwrap()],
    );
    assert!(code == 0 || code == 3, "{out}");
    let new = read_plan(&dir);
    // Touched: the job, all that follows it by a precedence or a hand-over,
    // and work that needs the same contractor's crew type on a day where
    // touched work now runs (the delay may take its crew).
    let crew_kind = |i: usize| {
        let crew = &acts[i].crew;
        crew.rsplit_once('/')
            .map_or(crew.clone(), |(k, _)| k.to_string())
    };
    let mut touched: HashSet<usize> = HashSet::from([late]);
    loop {
        let before = touched.len();
        for l in &base.links {
            if touched.contains(&l.from) {
                touched.insert(l.to);
            }
        }
        let now: Vec<usize> = touched.iter().copied().collect();
        for t in now {
            let run = &new[&acts[t].id];
            for (i, a) in acts.iter().enumerate() {
                let overlaps = a.start <= run.finish && run.start <= a.finish;
                if overlaps && !a.crew.is_empty() && crew_kind(i) == crew_kind(t) {
                    touched.insert(i);
                }
            }
        }
        if touched.len() == before {
            break;
        }
    }
    assert!(
        new[&acts[late].id].start >= delayed,
        "the event was ignored"
    );
    let mut kept = 0;
    for (_, a) in acts
        .iter()
        .enumerate()
        .filter(|(i, _)| !touched.contains(i))
    {
        let n = &new[&a.id];
        assert_eq!((n.start, n.finish), (a.start, a.finish), "{} moved", a.id);
        kept += 1;
    }
    assert!(
        kept * 2 > acts.len(),
        "only {kept} untouched activities: the test says little"
    );
}

fn to_json<T: serde::Serialize>(v: T) -> serde_json::Value {
    serde_json::to_value(v).unwrap()
}

/// Ids of activities with no precedence predecessor in the baseline.
fn free_ids(base: &NetworkPlan) -> Vec<String> {
    let has_pred: HashSet<usize> = base
        .links
        .iter()
        .filter(|l| l.handover.is_none())
        .map(|l| l.to)
        .collect();
    (0..base.plan.activities.len())
        .filter(|i| !has_pred.contains(i))
        .map(|i| base.plan.activities[i].id.clone())
        .collect()
}

#[test]
fn every_bad_ledger_row_is_listed_at_once() {
    let base = base_plan();
    let free = free_ids(&base);
    assert!(free.len() >= 5, "{free:?}");
    let fs = base
        .links
        .iter()
        .find(|l| l.handover.is_none() && l.kind == "FS")
        .unwrap();
    let (pred, succ) = (
        &base.plan.activities[fs.from].id,
        &base.plan.activities[fs.to].id,
    );
    assert!(!free.contains(succ));
    let typo = format!("{}x", free[0]);
    let ledger = format!(
        "{HEADER}{a},,,2022-13-01,,10,,\n\
         {b},,,2022-05-10,2022-05-01,100,,\n\
         {c},,,2022-07-01,,10,,\n\
         {typo},,,,,,,\n\
         {d},,,2022-05-01,,150,,\n\
         {e},,,2022-05-01,2022-05-05,50,,\n\
         {succ},,,2022-05-01,,10,,\n\
         {b},,,,,,,\n",
        a = free[0],
        b = free[1],
        c = free[2],
        d = free[3],
        e = free[4],
    );
    let _ = pred;
    let (code, out, dir) = replan(&ledger, DATA_DATE, &[]);
    assert_eq!(code, 2, "{out}");
    let expect = [
        (2, "`2022-13-01` is not a date"),
        (3, "is before the actual start"),
        (4, "is not before the data date 2022-06-15"),
        (5, "unknown activity id"),
        (6, "percent complete `150` is not a number from 0 to 100"),
        (7, "but only 50% complete"),
        (8, "has started but its predecessor"),
        (9, "is listed again (first at line 3)"),
    ];
    for (line, msg) in expect {
        let want = format!("ledger.csv:{line}:1: error:");
        assert!(
            out.lines().any(|l| l.contains(&want) && l.contains(msg)),
            "line {line} `{msg}` missing in:\n{out}"
        );
    }
    assert!(
        out.contains(&format!("did you mean \"{}\"", free[0])),
        "{out}"
    );
    assert!(out.contains("8 problems found"), "{out}");
    assert!(!dir.exists(), "nothing may be written on bad input");
}

#[test]
fn the_same_ledger_gives_the_same_plan() {
    let base = base_plan();
    let ledger = simulate_slip(&base, data_date(), "reli", 7);
    // Bounded by candidates, not seconds: the same plan on any machine.
    let args = [
        "--heuristic-only",
        "--max-candidates",
        "100",
        "--time-limit",
        "600",
    ];
    let (c1, o1, d1) = replan(&ledger, DATA_DATE, &args);
    let (c2, _, d2) = replan(&ledger, DATA_DATE, &args);
    assert!(c1 == 0 || c1 == 3, "{o1}");
    assert_eq!(c1, c2);
    let csv = |d: &Path| std::fs::read_to_string(d.join("plan.csv")).unwrap();
    assert_eq!(csv(&d1), csv(&d2));
    let rev = |d: &Path| {
        let v: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(d.join("plan.json")).unwrap()).unwrap();
        v["revision"]["id"].clone()
    };
    assert_eq!(rev(&d1), rev(&d2));
}

#[test]
fn a_replan_with_no_progress_passes_the_independent_checker() {
    let (code, out, dir) = replan(HEADER, DATA_DATE, &["--time-limit", "4"]);
    assert!(code == 0 || code == 3, "{out}");
    let csv = std::fs::read_to_string(dir.join("plan.csv")).unwrap();
    let text = std::fs::read_to_string(scenario()).unwrap();
    let errs = common::check_plan(&text, &csv);
    assert!(errs.is_empty(), "{}", errs.join("\n"));
    assert!(read_plan(&dir).values().all(|r| r.start >= data_date()));
}

#[test]
fn events_are_applied_and_bad_ones_all_listed() {
    let work = tempfile::tempdir().unwrap();
    let ev = work.path().join("events.toml");
    std::fs::write(
        &ev,
        "[[stop_work]]\nname = \"orange alert\"\nfrom = 2022-06-15\nto = 2022-06-24\n\n\
         [[crew]]\ncontractor = \"reli\"\ncrew = \"pipe\"\nchange = -1\nfrom = 2022-06-15\n",
    )
    .unwrap();
    let (code, out, dir) = replan(
        HEADER,
        DATA_DATE,
        &["--time-limit", "4", "--events", ev.to_str().unwrap()],
    );
    assert!(code == 0 || code == 3, "{out}");
    let plan = read_plan(&dir);
    let stop = NaiveDate::from_ymd_opt(2022, 6, 24).unwrap();
    for (id, r) in plan.iter().filter(|(_, r)| !r.get("crew").is_empty()) {
        assert!(r.start > stop, "{id} starts during the stop-work");
        if r.get("crew").starts_with("reli/pipe/") {
            assert_eq!(r.get("crew"), "reli/pipe/1", "{id} uses a crew that left");
        }
    }
    std::fs::write(
        &ev,
        "[[stop_work]]\nfrom = 2022-06-20\ndistricts = [\"hexii\"]\n\n\
         [[crew]]\ncontractor = \"rel\"\ncrew = \"pipe\"\nchange = 1\nfrom = 2022-08-01\n\n\
         [[crew]]\ncontractor = \"reli\"\ncrew = \"pipe\"\nchange = -1000\nfrom = 2022-08-01\n\n\
         [[segment]]\nid = \"S01\"\nlength_m = -5.0\n",
    )
    .unwrap();
    let (code, out, _) = replan(HEADER, DATA_DATE, &["--events", ev.to_str().unwrap()]);
    assert_eq!(code, 2, "{out}");
    assert!(
        out.contains("unknown district `hexii`") && out.contains("did you mean \"hexi\""),
        "{out}"
    );
    // A crew change after the data date is planned with (tests/replan_chain.rs);
    // one that would leave fewer than no crews on its day is an error.
    assert!(
        out.contains("crews of `reli` would be left from 2022-08-01 on"),
        "{out}"
    );
    assert!(out.contains("unknown contractor `rel`"), "{out}");
    assert!(out.contains("is not a positive length"), "{out}");
    assert!(out.contains("4 problems found"), "{out}");
}

#[test]
fn the_baseline_is_protected_and_old_plans_are_refused() {
    let header = "id,actual_start,actual_finish,percent_complete\n";
    let work = tempfile::tempdir().unwrap();
    std::fs::write(work.path().join("l.csv"), header).unwrap();
    let run = |plan: &Path, out: &Path, date: &str| {
        let o = Command::new(env!("CARGO_BIN_EXE_heatplan"))
            .arg("replan")
            .arg("--plan")
            .arg(plan)
            .arg("--progress")
            .arg(work.path().join("l.csv"))
            .args(["--data-date", date, "-o"])
            .arg(out)
            .output()
            .unwrap();
        (
            o.status.code().unwrap(),
            String::from_utf8_lossy(&o.stderr).to_string(),
        )
    };
    let base = baseline().join("base");
    let before = std::fs::read_to_string(base.join("plan.json")).unwrap();
    let (code, err) = run(&base.join("plan.json"), &base, DATA_DATE);
    assert_eq!(code, 2);
    assert!(err.contains("is the baseline's folder"), "{err}");
    assert_eq!(
        std::fs::read_to_string(base.join("plan.json")).unwrap(),
        before
    );
    let old = work.path().join("old.json");
    std::fs::write(
        &old,
        before.replacen("\"schema_version\": 3", "\"schema_version\": 2", 2),
    )
    .unwrap();
    let (code, err) = run(&old, &work.path().join("o"), DATA_DATE);
    assert_eq!(code, 2);
    assert!(
        err.contains("schema version 2") && err.contains("re-run `heatplan plan`"),
        "{err}"
    );
    let (code, err) = run(
        &base.join("plan.json"),
        &work.path().join("o"),
        "2022-03-01",
    );
    assert_eq!(code, 2);
    assert!(err.contains("outside the construction window"), "{err}");
}

/// An FS precedence whose predecessor has no predecessor of its own and
/// whose successor has no other: (predecessor id, successor id).
fn lone_fs_pair(base: &NetworkPlan) -> (String, String) {
    let prec: Vec<_> = base.links.iter().filter(|l| l.handover.is_none()).collect();
    let preds = |a: usize| prec.iter().filter(|l| l.to == a).count();
    let l = prec
        .iter()
        .find(|l| l.kind == "FS" && preds(l.from) == 0 && preds(l.to) == 1)
        .expect("a lone FS pair");
    let ids = &base.plan.activities;
    (ids[l.from].id.clone(), ids[l.to].id.clone())
}

#[test]
fn a_gbk_ledger_with_crlf_from_excel_is_read() {
    let base = base_plan();
    let (pred, _) = lone_fs_pair(&base);
    let text = format!(
        "{}{pred},,,2022-05-02,,40%,,进度正常（监理确认）\r\n",
        HEADER.replace('\n', "\r\n")
    );
    let (gbk, _, _) = encoding_rs::GBK.encode(&text);
    assert!(std::str::from_utf8(&gbk).is_err());
    let work = tempfile::tempdir().unwrap();
    let file = work.path().join("ledger.csv");
    std::fs::write(&file, &gbk).unwrap();
    let run = |extra: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_heatplan"))
            .arg("replan")
            .arg("--plan")
            .arg(baseline().join("base/plan.json"))
            .arg("--progress")
            .arg(&file)
            .args(["--data-date", DATA_DATE, "-o"])
            .arg(work.path().join("re"))
            .args(["--heuristic-only", "--max-candidates", "20"])
            .args(extra)
            .output()
            .unwrap();
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stderr).to_string(),
        )
    };
    // Told it is UTF-8, it is not: the line and column, and the fix.
    let (code, err) = run(&["--encoding", "utf-8"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("ledger.csv:2:"), "{err}");
    assert!(err.contains("--encoding gbk"), "{err}");
    for extra in [&[][..], &["--encoding", "gbk"][..]] {
        let (code, err) = run(extra);
        assert!(code == 0 || code == 3, "{err}");
        let json: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(work.path().join("re/plan.json")).unwrap(),
        )
        .unwrap();
        let actual = json["actuals"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["id"] == pred.as_str())
            .unwrap();
        assert_eq!(actual["percent_complete"], 40.0);
        // Written back with a byte-order mark, for Excel.
        let ledger = std::fs::read(work.path().join("re/ledger.csv")).unwrap();
        assert!(ledger.starts_with(b"\xEF\xBB\xBFid,"));
    }
}

#[test]
fn progress_out_of_sequence_is_accepted_with_a_warning() {
    let base = base_plan();
    let (pred, succ) = lone_fs_pair(&base);
    // The successor started while its predecessor was still running.
    let ledger = format!("{HEADER}{pred},,,2022-05-02,,60,,\n{succ},,,2022-05-20,,30%,,\n");
    let (code, out, dir) = replan(
        &ledger,
        DATA_DATE,
        &["--heuristic-only", "--max-candidates", "20"],
    );
    assert!(code == 0 || code == 3, "{out}");
    assert!(
        out.contains("warning:") && out.contains("progress out of sequence"),
        "{out}"
    );
    let plan = read_plan(&dir);
    // Progress override: the successor keeps its start and runs on.
    assert_eq!(plan[&succ].start.to_string(), "2022-05-20");
    assert!(plan[&succ].finish >= data_date());
    assert_eq!(plan[&pred].start.to_string(), "2022-05-02");
}

#[test]
fn a_fraction_is_flagged_and_one_bad_row_is_one_error() {
    let base = base_plan();
    let (pred, succ) = lone_fs_pair(&base);
    // A bad date on the predecessor: its started successor is not blamed.
    let ledger =
        format!("{HEADER}{pred},,,2022-05-32,2022-05-20,100,,\n{succ},,,2022-05-21,,0.5,,\n");
    let (code, out, _) = replan(&ledger, DATA_DATE, &[]);
    assert_eq!(code, 2, "{out}");
    assert!(
        out.contains("ledger.csv:2:1: error:") && out.contains("is not a date"),
        "{out}"
    );
    assert!(
        out.contains("ledger.csv:3:1: error:") && out.contains("looks like a fraction"),
        "{out}"
    );
    assert!(
        out.contains("write percent complete as a percentage: 50"),
        "{out}"
    );
    assert!(!out.contains("predecessor"), "a follow-on error: {out}");
    assert!(out.contains("2 problems found"), "{out}");
}

#[test]
fn a_closed_pipe_ends_the_output_quietly() {
    // `heatplan … | head -2`: the reader is gone before heatplan prints.
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let child = Command::new(env!("CARGO_BIN_EXE_heatplan"))
        .args(["check", &scenario()])
        .stdout(writer)
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(141), "{err}");
    assert!(err.is_empty(), "{err}");
}

/// The direct children of every `Task` of an MSPDI file, in order: (tag,
/// text; for a `Baseline`, its children joined), and the project's
/// `StatusDate`.
fn mspdi_tasks(xml: &str) -> (Option<String>, Vec<Vec<(String, String)>>) {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut path: Vec<String> = Vec::new();
    let mut tasks = Vec::new();
    let mut status = None;
    loop {
        match reader.read_event().unwrap() {
            Event::Start(e) => {
                path.push(e.name().as_ref().to_string());
                if path.len() == 4 && path[2] == "Task" {
                    if let Some(t) = tasks.last_mut() {
                        let t: &mut Vec<(String, String)> = t;
                        t.push((path[3].clone(), String::new()));
                    }
                }
                if path.len() == 3 && path[2] == "Task" {
                    tasks.push(Vec::new());
                }
            }
            Event::Text(t) => {
                let text = t.xml10_content().trim().to_string();
                if text.is_empty() {
                    continue;
                }
                if path.len() == 2 && path[1] == "StatusDate" {
                    status = Some(text.clone());
                }
                if path.len() >= 4 && path[2] == "Task" {
                    if let Some((_, v)) = tasks.last_mut().and_then(|t| t.last_mut()) {
                        if !v.is_empty() {
                            v.push(' ');
                        }
                        v.push_str(&text);
                    }
                }
            }
            Event::End(_) => {
                path.pop();
            }
            Event::Eof => break,
            _ => {}
        }
    }
    (status, tasks)
}

#[test]
fn plan_xml_carries_the_actuals_status_date_and_baseline() {
    let base = base_plan();
    // A data date inside the longest work of the plan, so that some work is
    // finished and some is running on it.
    let longest = base
        .plan
        .activities
        .iter()
        .filter(|a| a.start > base.plan.activities[0].start)
        .max_by_key(|a| a.duration_days)
        .unwrap();
    let date = longest.start + chrono::Days::new(1);
    let date_text = date.to_string();
    let ledger = simulate_slip(&base, date, "shizheng", 10);
    let (code, out, dir) = replan(
        &ledger,
        &date_text,
        &["--heuristic-only", "--max-candidates", "20"],
    );
    assert!(code == 0 || code == 3, "{out}");
    let xml = std::fs::read_to_string(dir.join("plan.xml")).unwrap();
    let (status, tasks) = mspdi_tasks(&xml);
    assert_eq!(status, Some(format!("{date_text}T08:00:00")));
    let new: NetworkPlan =
        heatplan::report::read_plan_json(&std::fs::read_to_string(dir.join("plan.json")).unwrap())
            .unwrap();
    // The schema's order of the elements used.
    let order = [
        "UID",
        "ID",
        "Name",
        "Type",
        "IsNull",
        "WBS",
        "OutlineNumber",
        "OutlineLevel",
        "Start",
        "Finish",
        "Duration",
        "DurationFormat",
        "Milestone",
        "Summary",
        "Critical",
        "PercentComplete",
        "ActualStart",
        "ActualFinish",
        "ActualDuration",
        "RemainingDuration",
        "ConstraintType",
        "ConstraintDate",
        "PredecessorLink",
        "Baseline",
    ];
    let (mut finished, mut running, mut baselines) = (0, 0, 0);
    for t in &tasks {
        let pos: Vec<usize> = t
            .iter()
            .map(|(tag, _)| {
                order
                    .iter()
                    .position(|o| o == tag)
                    .unwrap_or_else(|| panic!("{tag}"))
            })
            .collect();
        assert!(pos.windows(2).all(|w| w[0] <= w[1]), "out of order: {t:?}");
        let get = |k: &str| t.iter().find(|(tag, _)| tag == k).map(|(_, v)| v.as_str());
        let Some(name) = get("Name") else { continue };
        let Some(a) = new
            .actuals
            .iter()
            .find(|a| name.starts_with(&format!("{} ", a.id)))
        else {
            assert_eq!(get("ActualStart"), None, "{name}");
            continue;
        };
        let p = new.plan.activities.iter().find(|p| p.id == a.id).unwrap();
        if p.duration_days > 0 {
            assert_eq!(
                get("ActualStart"),
                Some(format!("{}T08:00:00", a.start).as_str())
            );
        }
        match a.finish {
            Some(f) => {
                finished += 1;
                assert_eq!(get("PercentComplete"), Some("100"), "{name}");
                if p.duration_days > 0 {
                    assert_eq!(get("ActualFinish"), Some(format!("{f}T17:00:00").as_str()));
                }
            }
            None => {
                running += 1;
                let pct: f64 = get("PercentComplete").unwrap().parse().unwrap();
                assert!((0.0..100.0).contains(&pct), "{name}");
                assert_eq!(get("ActualFinish"), None);
            }
        }
        if let Some(b) = get("Baseline") {
            baselines += 1;
            let b0 = base.plan.activities.iter().find(|x| x.id == a.id).unwrap();
            if b0.duration_days > 0 {
                assert!(
                    b.starts_with(&format!("0 {}T08:00:00 {}T17:00:00", b0.start, b0.finish)),
                    "{b}"
                );
            }
        }
    }
    assert!(
        finished > 0 && running > 0,
        "{finished} finished, {running} running"
    );
    assert_eq!(baselines, finished + running);
}
