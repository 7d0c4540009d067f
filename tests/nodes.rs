//! Time nodes on the command line: `compare` shows, per variant, the nodes
//! met out of all and the node-days late (issue #18 point 3), in the
//! terminal table and in compare.csv.

use std::collections::HashMap;
use std::path::Path;
use std::process::Command;

/// The tutorial with the main line's node due on 5 April, which no plan can
/// reach (the chain to it alone runs into May), written into `dir`.
fn tutorial_with_an_unreachable_node(dir: &Path) -> std::path::PathBuf {
    let text = std::fs::read_to_string("scenarios/tutorial.toml").unwrap();
    let edited = text.replace("due = 2022-06-30\n", "due = 2022-04-05\n");
    assert_ne!(text, edited, "the tutorial's node due date moved");
    let file = dir.join("tutorial-node.toml");
    std::fs::write(&file, edited).unwrap();
    file
}

/// Reads compare.csv into rows of (column → value).
fn csv_rows(dir: &Path) -> Vec<HashMap<String, String>> {
    let text = std::fs::read_to_string(dir.join("compare.csv")).unwrap();
    let mut rows = heatplan::csv_text::records(&text)
        .expect("every quote is closed")
        .into_iter();
    let header = rows.next().unwrap().fields;
    rows.map(|r| header.iter().cloned().zip(r.fields).collect())
        .collect()
}

#[test]
fn compare_shows_the_nodes_met_and_their_days_late_per_variant() {
    let dir = tempfile::tempdir().unwrap();
    let file = tutorial_with_an_unreachable_node(dir.path());
    let out_dir = dir.path().join("out");
    let out = Command::new(env!("CARGO_BIN_EXE_heatplan"))
        .arg("compare")
        .arg(&file)
        .args(["--vary", "contractor.reli.station_mep=1,2"])
        .args([
            "--max-candidates",
            "100",
            "--time-limit",
            "600",
            "--jobs",
            "1",
        ])
        .args(["--lang", "en", "-o"])
        .arg(&out_dir)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        matches!(out.status.code(), Some(0 | 3)),
        "{stdout}\n{stderr}"
    );
    let rows = csv_rows(&out_dir);
    assert_eq!(rows.len(), 2, "{rows:?}");
    let header = stdout
        .lines()
        .find(|l| l.contains("Variant") || l.contains("variant"))
        .unwrap_or_else(|| panic!("no table in {stdout}"));
    assert!(header.contains("nodes met"), "{header}");
    for r in &rows {
        // Two nodes with a due date; the main line's cannot be met by any
        // plan, so every variant misses it, by at least a day.
        assert_eq!(r["nodes_total"], "2", "{r:?}");
        let met: u32 = r["nodes_met"].parse().unwrap();
        let late: u64 = r["node_days_late"].parse().unwrap();
        assert!(met <= 1 && late >= 1, "{r:?}");
        // The terminal row shows the same figures: met/total (+days).
        let cell = format!("{met}/2 (+{late} d)");
        assert!(
            stdout
                .lines()
                .any(|l| l.contains(&r["variant"]) && l.contains(&cell)),
            "no `{cell}` for {} in {stdout}",
            r["variant"]
        );
    }
}
