//! Interruptions and limits, end to end: Ctrl-C, a solver time-out and a
//! full disk never leave a partial output file, and the first two still
//! deliver the best plan found with its quality. Nothing here asserts how
//! fast: a loaded machine may take longer, never give another answer.

#![cfg(all(feature = "solver", unix))]

mod common;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn scenario(name: &str) -> String {
    format!("{}/scenarios/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// Names of the files in `dir` that look like OutputSet temporaries.
fn temporaries(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|n| n.contains(".tmp-"))
        .collect()
}

/// plan.json's quality block, checked for consistency: the bound never
/// exceeds the objective and the gap is what they say.
fn quality(dir: &Path) -> serde_json::Value {
    let json = std::fs::read_to_string(dir.join("plan.json")).unwrap();
    let v: serde_json::Value = serde_json::from_str(&json).expect("plan.json is complete JSON");
    let q = v["plan"]["quality"].clone();
    let (obj, bound) = (
        q["objective"].as_u64().unwrap(),
        q["bound"].as_u64().unwrap(),
    );
    assert!(bound <= obj, "{q}");
    let gap = (obj - bound) as f64 / obj as f64;
    assert!((q["gap"].as_f64().unwrap() - gap).abs() < 1e-9, "{q}");
    q
}

fn assert_plan_feasible(file: &str, dir: &Path) {
    let text = std::fs::read_to_string(file).unwrap();
    let csv = std::fs::read_to_string(dir.join("plan.csv")).unwrap();
    let errs = common::check_plan(&text, &csv);
    assert!(errs.is_empty(), "{:?}", &errs[..errs.len().min(10)]);
}

#[test]
fn ctrl_c_stops_promptly_and_keeps_the_best_plan() {
    let dir = tempfile::tempdir().unwrap();
    let file = scenario("city.toml");
    let mut child = Command::new(env!("CARGO_BIN_EXE_heatplan"))
        // The time limit is far away: only the interruption can end this
        // search.
        .args(["plan", &file, "--time-limit", "3600", "-o"])
        .arg(dir.path())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_secs(3));
    assert!(
        child.try_wait().unwrap().is_none(),
        "still optimising after 3 s"
    );
    let sent = Instant::now();
    let kill = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        // A guard against a hang, not a speed claim: the search stops at
        // its next check of the flag, within a second on an idle machine.
        assert!(
            sent.elapsed() < Duration::from_secs(300),
            "no exit within 300 s of Ctrl-C"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    let mut err = String::new();
    std::io::Read::read_to_string(child.stderr.as_mut().unwrap(), &mut err).unwrap();
    // A plan was written: on time (0) or with late stations (3).
    assert!(matches!(status.code(), Some(0 | 3)), "{status:?}\n{err}");
    assert!(err.contains("interrupted"), "{err}");
    let q = quality(dir.path());
    assert_eq!(q["stop_reason"], "interrupted", "{q}");
    assert_plan_feasible(&file, dir.path());
    assert!(temporaries(dir.path()).is_empty());
}

#[test]
fn a_time_out_returns_the_best_plan_with_its_gap() {
    let dir = tempfile::tempdir().unwrap();
    let file = scenario("tutorial.toml");
    let out = Command::new(env!("CARGO_BIN_EXE_heatplan"))
        .args(["plan", &file, "--time-limit", "1", "--gap", "0", "-o"])
        .arg(dir.path())
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    let q = quality(dir.path());
    // HiGHS does not close the tutorial's gap in a second: the best plan
    // comes back, marked as stopped by the time limit, with its gap.
    assert_eq!(q["stop_reason"], "time limit", "{q}");
    assert!(q["gap"].as_f64().unwrap() > 0.0, "{q}");
    assert!(q["status"].as_str().unwrap().contains("gap"), "{q}");
    // How far past the limit a loaded machine lets a phase run is not a
    // property of the plan: the time is reported, not asserted.
    assert_plan_feasible(&file, dir.path());
    assert!(temporaries(dir.path()).is_empty());
}

/// Runs `heatplan plan` on the tutorial in a shell whose file-size limit is
/// `kib` KiB, with SIGXFSZ ignored so that a write past it fails as on a
/// full disk.
fn plan_with_file_limit(dir: &Path, kib: u32, extra: &str) -> std::process::Output {
    let script = format!(
        "ulimit -f {}; trap '' XFSZ; exec \"$0\" plan \"$1\" -o \"$2\" --heuristic-only --time-limit 1 {extra}",
        kib * 2 // 512-byte blocks in POSIX sh
    );
    Command::new("sh")
        .arg("-c")
        .arg(script)
        .arg(env!("CARGO_BIN_EXE_heatplan"))
        .arg(scenario("tutorial.toml"))
        .arg(dir)
        .output()
        .unwrap()
}

fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut v: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().to_string(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    v.sort();
    v
}

#[test]
fn a_full_disk_never_leaves_a_partial_output_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    // A fresh folder: nothing at all is left, and the error says why.
    let run = plan_with_file_limit(&out, 8, "");
    let err = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{err}");
    assert!(err.contains("disk full"), "{err}");
    assert!(snapshot(&out).is_empty(), "{:?}", snapshot(&out).len());
    // A folder holding an earlier plan: a failing run in another language
    // (so every report differs) leaves it byte for byte as it was.
    let ok = plan_with_file_limit(&out, 100_000, "");
    assert_eq!(ok.status.code(), Some(0));
    let before = snapshot(&out);
    assert!(before.len() >= 8);
    for kib in [1, 8, 40, 60] {
        let run = plan_with_file_limit(&out, kib, "--lang zh");
        assert_eq!(run.status.code(), Some(1), "limit {kib} KiB");
        assert!(
            snapshot(&out) == before,
            "limit {kib} KiB changed the folder"
        );
    }
    let zh = plan_with_file_limit(&out, 100_000, "--lang zh");
    assert_eq!(zh.status.code(), Some(0));
    assert!(
        snapshot(&out) != before,
        "the reports do differ by language"
    );
}
