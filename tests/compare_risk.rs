//! `heatplan compare --risk-samples` (issue #21 point 4, buying the risk
//! down): each variant's probability of every station on time under the
//! same sampled futures, on the five-station programme of
//! tests/scenarios/compare-risk.toml (uncertain productivity). Every solve
//! is bounded by candidates and proofs, every study by its samples.

use heatplan::compare::chance::{plan_chance, RiskSettings};
use heatplan::compare::grid::grid;
use heatplan::compare::minimum::dominated;
use heatplan::compare::search::{Quiet, Session};
use heatplan::scenario::{check, load_file, Source};
use heatplan::schedule::budget::Budget;
use heatplan::schedule::portfolio::Portfolio;
use heatplan::Project;
use std::collections::HashMap;
use std::path::Path;
use std::process::Command;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::Duration;

const RISKY: &str = "tests/scenarios/compare-risk.toml";
const STATIONS: &str = "tests/scenarios/compare-stations.toml";

/// A far guard: the proofs end the solves (well under a second each).
const NEVER: Duration = Duration::from_secs(600);

fn source() -> Source {
    Source {
        file: RISKY.into(),
        text: std::fs::read_to_string(RISKY).unwrap(),
    }
}

#[test]
fn more_crews_never_lower_the_probability_under_common_random_numbers() {
    let source = source();
    let base = load_file(&source).unwrap();
    let options: Vec<String> = [
        "contractor.c.station_civil=1..4",
        "contractor.c.station_mep=1,2",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let (_, variants) = grid(&base, &options).unwrap();
    let portfolio = Portfolio {
        gap: 0.0,
        heuristic_share: 0.02,
        ..Portfolio::default()
    };
    let budget = Budget::new(NEVER)
        .with_threads(1)
        .with_max_candidates(Some(200));
    let settings = RiskSettings {
        samples: 400,
        seed: 11,
        threads: 2,
    };
    let stop = Arc::new(AtomicBool::new(false));
    let session = Session {
        base: &base,
        source: &source,
        variants: &variants,
        jobs: 2,
        stop: &stop,
        portfolio: &portfolio,
        budget: &budget,
        all_nodes: false,
        risk: Some(settings),
        min_probability: None,
    };
    let c = session.compare_all(&mut Quiet);
    assert_eq!(c.outcomes.len(), variants.len());
    let figures: Vec<_> = c
        .outcomes
        .iter()
        .map(|o| o.risk.clone().expect("every variant has a plan"))
        .collect();
    for (v, (o, f)) in variants.iter().zip(c.outcomes.iter().zip(&figures)) {
        eprintln!(
            "{}: P = {:.3} (own plan {:.3}), plan of {}",
            v.name, f.best.p, f.own.p, f.plan_variant
        );
        // The own figure is the variant's plan in the same futures, on any
        // number of threads.
        let project = Project::from_programme(check(&v.scenario, &source).unwrap());
        let one_thread = RiskSettings {
            threads: 1,
            ..settings
        };
        let again = plan_chance(&project, o.schedule.as_ref().unwrap(), &one_thread);
        assert_eq!(again, f.own, "{}", v.name);
    }
    let mut pairs = 0;
    for (i, a) in variants.iter().enumerate() {
        // The figure is the best plan among those the variant may follow.
        let best = (0..variants.len())
            .filter(|&j| j == i || dominated(&variants[j], a))
            .map(|j| figures[j].own.p)
            .fold(f64::MIN, f64::max);
        assert_eq!(figures[i].best.p, best, "{}", a.name);
        let used = variants
            .iter()
            .position(|v| v.name == figures[i].plan_variant)
            .unwrap();
        assert!(used == i || dominated(&variants[used], a));
        assert_eq!(figures[used].own, figures[i].best);
        for (j, b) in variants.iter().enumerate() {
            if i != j && dominated(a, b) {
                pairs += 1;
                assert!(
                    figures[j].best.p >= figures[i].best.p,
                    "{} has more crews than {} but a lower probability: {} < {}",
                    b.name,
                    a.name,
                    figures[j].best.p,
                    figures[i].best.p
                );
            }
        }
    }
    assert!(pairs >= 12);
    // Not a flat answer: the crews matter, and some plan is neither sure
    // nor hopeless.
    let ps: Vec<f64> = figures.iter().map(|f| f.best.p).collect();
    assert!(ps.iter().any(|&p| p < 0.05), "{ps:?}");
    assert!(ps.iter().any(|&p| p > 0.5), "{ps:?}");
    assert!(
        figures.iter().any(|f| f.own.p > 0.0 && f.own.p < 1.0),
        "{ps:?}"
    );
}

fn heatplan(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_heatplan"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn compare(args: &[&str], dir: &Path) -> (i32, String, String) {
    let mut all = vec!["compare"];
    all.extend(args);
    all.extend([
        "--max-candidates",
        "200",
        "--time-limit",
        "600",
        "--gap",
        "0",
    ]);
    all.extend(["-o", dir.to_str().unwrap()]);
    heatplan(&all)
}

/// compare.csv as rows of (column → value); the file starts with a BOM.
fn csv_rows(dir: &Path) -> Vec<HashMap<String, String>> {
    let text = std::fs::read_to_string(dir.join("compare.csv")).unwrap();
    assert!(text.starts_with('\u{feff}'));
    let mut rows = heatplan::csv_text::records(&text)
        .expect("every quote is closed")
        .into_iter();
    let header = rows.next().unwrap().fields;
    rows.map(|r| header.iter().cloned().zip(r.fields).collect())
        .collect()
}

/// `heatplan risk --plan PLAN --samples N --seed S`: the city's
/// probability and the expected households, from risk.json.
fn risk_of(plan: &Path, samples: &str, seed: &str) -> (f64, f64) {
    let out = tempfile::tempdir().unwrap();
    let (code, stdout, stderr) = heatplan(&[
        "risk",
        "--plan",
        plan.to_str().unwrap(),
        "--samples",
        samples,
        "--seed",
        seed,
        "-o",
        out.path().to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.path().join("risk.json")).unwrap())
            .unwrap();
    (
        json["city"]["p"].as_f64().unwrap(),
        json["households_expected"].as_f64().unwrap(),
    )
}

#[test]
fn the_compare_column_is_what_risk_reports_for_that_plan() {
    let dir = tempfile::tempdir().unwrap();
    let (code, stdout, stderr) = compare(
        &[
            RISKY,
            "--vary",
            "contractor.c.station_civil=2..4",
            "--vary",
            "contractor.c.station_mep=1,2",
            "--risk-samples",
            "150",
            "--seed",
            "4",
            "--rank-by",
            "probability",
        ],
        dir.path(),
    );
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    assert!(stdout.contains("P(all on time)"), "{stdout}");
    assert!(stdout.contains("Highest P(every station"), "{stdout}");
    let rows = csv_rows(dir.path());
    assert_eq!(rows.len(), 6);
    let p: Vec<f64> = rows
        .iter()
        .map(|r| r["p_on_time"].parse().unwrap())
        .collect();
    assert!(p.windows(2).all(|w| w[0] >= w[1]), "ranked: {p:?}");
    for r in &rows {
        assert_eq!(r["risk_samples"], "150");
        assert_eq!(r["risk_seed"], "4");
        let (best, households) = risk_of(&dir.path().join(&r["risk_plan_file"]), "150", "4");
        assert_eq!(best, r["p_on_time"].parse::<f64>().unwrap(), "{r:?}");
        assert_eq!(
            households,
            r["households_expected"].parse::<f64>().unwrap(),
            "{r:?}"
        );
        let (own, _) = risk_of(&dir.path().join(&r["own_plan_file"]), "150", "4");
        assert_eq!(own, r["p_own_plan"].parse::<f64>().unwrap(), "{r:?}");
        assert!(own <= best);
    }
    // The page names the columns and says what they are.
    let html = std::fs::read_to_string(dir.path().join("compare.html")).unwrap();
    assert!(html.contains("P(all on time)") && html.contains("risk plan"));
    let mut reader = quick_xml::Reader::from_str(&html);
    while reader.read_event().expect("well-formed XML") != quick_xml::events::Event::Eof {}
}

#[test]
fn find_minimum_reaches_the_probability_asked_for_cheapest_first() {
    let dir = tempfile::tempdir().unwrap();
    let args = [
        RISKY,
        "--vary",
        "contractor.c.station_civil=1..5",
        "--find-minimum",
        "--min-probability",
        "0.5",
        "--risk-samples",
        "200",
    ];
    let (code, stdout, stderr) = compare(&args, dir.path());
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    assert!(stdout.contains("Minimum: \"c.station_civil="), "{stdout}");
    let rows = csv_rows(dir.path());
    let (last, cheaper) = rows.split_last().unwrap();
    assert_eq!(last["find_minimum"], "minimum (estimated)");
    assert!(last["p_on_time"].parse::<f64>().unwrap() >= 0.5, "{last:?}");
    assert!(!cheaper.is_empty(), "one civil crew cannot reach 50 %");
    for (k, r) in cheaper.iter().enumerate() {
        // Cheapest first: 1, 2, … civil crews, each below the target.
        assert_eq!(r["variant"], format!("c.station_civil={}", k + 1));
        assert!(r["p_on_time"].parse::<f64>().unwrap() < 0.5, "{r:?}");
        assert!(r["find_minimum"].starts_with("below 50 %"), "{r:?}");
    }
    // In Chinese too.
    let zh = tempfile::tempdir().unwrap();
    let mut with_lang = args.to_vec();
    with_lang.extend(["--lang", "zh"]);
    let (code, stdout, _) = compare(&with_lang, zh.path());
    assert_eq!(code, 0);
    assert!(
        stdout.contains("全部按期概率") && stdout.contains("最少："),
        "{stdout}"
    );

    // Certainty is out of reach of two civil crews: exit 4.
    let (code, stdout, _) = compare(
        &[
            RISKY,
            "--vary",
            "contractor.c.station_civil=1,2",
            "--find-minimum",
            "--min-probability",
            "1",
            "--risk-samples",
            "50",
        ],
        tempfile::tempdir().unwrap().path(),
    );
    assert_eq!(code, 4, "{stdout}");
    assert!(stdout.contains("No variant reaches"), "{stdout}");
}

#[test]
fn risk_options_without_what_they_need_are_all_listed() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    // No [risk] section, a ranking and a target without samples.
    let (code, _, stderr) = compare(
        &[
            STATIONS,
            "--vary",
            "contractor.c.station_civil=1..2",
            "--risk-samples",
            "10",
            "--min-probability",
            "0.8",
        ],
        &out,
    );
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("needs a [risk] section"), "{stderr}");
    assert!(stderr.contains("add --find-minimum"), "{stderr}");
    assert!(stderr.contains("2 problem(s) found"), "{stderr}");
    let (code, _, stderr) = compare(
        &[
            RISKY,
            "--vary",
            "contractor.c.station_civil=1..2",
            "--rank-by",
            "probability",
            "--min-probability",
            "1.5",
        ],
        &out,
    );
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("not a probability"), "{stderr}");
    let (code, _, stderr) = compare(
        &[
            RISKY,
            "--vary",
            "contractor.c.station_civil=1..2",
            "--rank-by",
            "probability",
        ],
        &out,
    );
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("add --risk-samples"), "{stderr}");
    assert!(!out.exists());
}
