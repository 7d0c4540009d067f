//! `heatplan status` end to end on the tutorial: a baseline is planned once,
//! a ledger with a contractor running late gives the bulletin.

#![cfg(feature = "solver")]

use chrono::NaiveDate;
use heatplan::replan::ledger::simulate_slip;
use std::path::Path;
use std::process::Command;

fn heatplan() -> Command {
    Command::new(env!("CARGO_BIN_EXE_heatplan"))
}

fn plan(dir: &Path) -> heatplan::plan::cpm::NetworkPlan {
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
        .arg(dir.join("base"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let text = std::fs::read_to_string(dir.join("base/plan.json")).unwrap();
    heatplan::report::read_plan_json(&text).unwrap()
}

#[test]
fn status_writes_the_bulletin_and_rejects_a_bad_ledger_without_output() {
    let dir = tempfile::tempdir().unwrap();
    let np = plan(dir.path());
    let dd = NaiveDate::from_ymd_opt(2022, 6, 15).unwrap();
    let contractor = np
        .plan
        .activities
        .iter()
        .find(|a| !a.contractor.is_empty())
        .unwrap()
        .contractor
        .clone();
    std::fs::write(
        dir.path().join("now.csv"),
        simulate_slip(&np, dd, &contractor, 6),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("before.csv"),
        simulate_slip(
            &np,
            NaiveDate::from_ymd_opt(2022, 6, 1).unwrap(),
            &contractor,
            3,
        ),
    )
    .unwrap();
    let out = heatplan()
        .args([
            "status",
            "--data-date",
            "2022-06-15",
            "--lang",
            "zh",
            "--plan",
        ])
        .arg(dir.path().join("base/plan.json"))
        .arg("--progress")
        .arg(dir.path().join("now.csv"))
        .arg("--previous")
        .arg(format!(
            "{}@2022-06-01",
            dir.path().join("before.csv").display()
        ))
        .arg("-o")
        .arg(dir.path().join("st"))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(text.contains("辖区排名"), "{text}");
    let csv = std::fs::read(dir.path().join("st/bulletin.csv")).unwrap();
    assert!(
        csv.starts_with(b"\xEF\xBB\xBF") && !csv[3..].starts_with(b"\xEF\xBB\xBF"),
        "bulletin.csv starts with one BOM"
    );
    let csv = String::from_utf8(csv).unwrap();
    // The programme, every district and every contractor with work: one row each.
    let rows = csv.lines().count() - 1;
    let contractors: std::collections::BTreeSet<&str> = np
        .plan
        .activities
        .iter()
        .map(|a| a.contractor.as_str())
        .filter(|c| !c.is_empty())
        .collect();
    assert_eq!(rows, 1 + np.districts.len() + contractors.len(), "{csv}");
    let html = std::fs::read_to_string(dir.path().join("st/bulletin.html")).unwrap();
    assert!(html.contains("@page{size:A4"));
    for d in &np.districts {
        assert!(
            html.contains(&format!("id=\"district-{}\"", d.id)),
            "{}",
            d.id
        );
    }
    assert_eq!(html.matches("<svg").count(), 2, "two S-curves");

    // A ledger with a mistake: exit 2, the line named, nothing written.
    let bad = std::fs::read_to_string(dir.path().join("now.csv"))
        .unwrap()
        .replacen(",100,", ",1x0,", 1);
    std::fs::write(dir.path().join("bad.csv"), bad).unwrap();
    let out = heatplan()
        .args(["status", "--data-date", "2022-06-15", "--plan"])
        .arg(dir.path().join("base/plan.json"))
        .arg("--progress")
        .arg(dir.path().join("bad.csv"))
        .arg("-o")
        .arg(dir.path().join("st-bad"))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(err.contains("bad.csv:") && err.contains("1x0"), "{err}");
    assert!(!dir.path().join("st-bad").exists());
}
