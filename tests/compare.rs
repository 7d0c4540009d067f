//! `heatplan compare`: variants of a small scenario whose answers are known
//! by construction (tests/scenarios/compare-stations.toml), solved to proven
//! optimality; the command line's outputs, exit codes and error reports.

use heatplan::compare::{grid::grid, solve_variant, Outcome};
use heatplan::scenario::{check, load_file as load, Scenario, Source};
use heatplan::schedule::budget::Budget;
use heatplan::schedule::portfolio::Portfolio;
use std::process::Command;
use std::time::Duration;

const STATIONS: &str = "tests/scenarios/compare-stations.toml";

/// A time limit no solve here comes near (they take well under a second):
/// the proofs end the solves, so a slow machine changes only how long the
/// tests take.
const NEVER: Duration = Duration::from_secs(600);

fn source() -> Source {
    Source {
        file: STATIONS.into(),
        text: std::fs::read_to_string(STATIONS).unwrap(),
    }
}

fn stations() -> Scenario {
    load(&source()).unwrap()
}

fn solve_grid(options: &[&str]) -> Vec<Outcome> {
    let base = stations();
    let source = source();
    let options: Vec<String> = options.iter().map(|s| s.to_string()).collect();
    let (_, variants) = grid(&base, &options).unwrap();
    // The heuristic stops after a number of candidates and HiGHS runs until
    // it proves the optimum: the time limit is a far guard, not the end.
    let portfolio = Portfolio {
        gap: 0.0,
        heuristic_share: 0.02,
        ..Portfolio::default()
    };
    let budget = Budget::new(NEVER)
        .with_threads(1)
        .with_max_candidates(Some(200));
    std::thread::scope(|s| {
        let handles: Vec<_> = variants
            .iter()
            .map(|v| s.spawn(|| solve_variant(&base, &source, v, &portfolio, &budget, &mut |_| {})))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    })
}

#[test]
fn more_crews_never_lower_the_households_heat_ready() {
    let outcomes = solve_grid(&[
        "contractor.c.station_civil=1..4",
        "contractor.c.station_mep=1,2",
    ]);
    for o in &outcomes {
        eprintln!("{}: {:.1} s {}", o.name, o.solve.seconds, o.solve.status);
    }
    for o in &outcomes {
        assert!(
            o.solve.optimal,
            "{} not proven optimal: {}",
            o.name, o.solve.status
        );
    }
    let on_time: Vec<u64> = outcomes
        .iter()
        .map(|o| o.plan.as_ref().unwrap().households_on_time)
        .collect();
    let mut pairs = 0;
    for (i, a) in outcomes.iter().enumerate() {
        for (j, b) in outcomes.iter().enumerate() {
            let fewer = a.crews.iter().all(|(k, &n)| n <= b.crews[k]);
            if i != j && fewer {
                pairs += 1;
                assert!(
                    on_time[j] >= on_time[i],
                    "{} ({} households on time) has more crews than {} ({}) but fewer households on time",
                    b.name,
                    on_time[j],
                    a.name,
                    on_time[i]
                );
                // A larger crew can only widen the choice of plans: the
                // optimum can only fall.
                assert!(b.solve.objective.unwrap() <= a.solve.objective.unwrap());
            }
        }
    }
    assert!(pairs >= 12);
    // By construction: one civil crew finishes two stations by the
    // deadline, two finish four, three all five.
    assert!(on_time[0] < on_time[2] && on_time[2] < on_time[4]);
    assert_eq!(on_time[4], 2500);
}

fn compare(args: &[&str], dir: &std::path::Path) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_heatplan"))
        .arg("compare")
        .args(args)
        .arg("-o")
        .arg(dir)
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Reads compare.csv into rows of (column → value).
fn csv_rows(dir: &std::path::Path) -> Vec<std::collections::HashMap<String, String>> {
    let text = std::fs::read_to_string(dir.join("compare.csv")).unwrap();
    let mut rows = heatplan::csv_text::records(&text)
        .expect("every quote is closed")
        .into_iter();
    let header = rows.next().unwrap().fields;
    rows.map(|r| {
        assert_eq!(r.fields.len(), header.len(), "line {}", r.line);
        header.iter().cloned().zip(r.fields).collect()
    })
    .collect()
}

#[test]
fn find_minimum_finds_the_crews_known_by_construction_and_proves_it() {
    let dir = tempfile::tempdir().unwrap();
    let (code, stdout, stderr) = compare(
        &[
            STATIONS,
            "--vary",
            "contractor.c.station_civil=1..5",
            "--find-minimum",
            "--max-candidates",
            "200",
            "--time-limit",
            "600",
        ],
        dir.path(),
    );
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    assert!(
        stdout.contains("Minimum: \"c.station_civil=3\"") && stdout.contains("proven minimal"),
        "{stdout}"
    );
    let rows = csv_rows(dir.path());
    // The search stops at the first level that meets the deadline: 1, 2, 3.
    let names: Vec<&str> = rows.iter().map(|r| r["variant"].as_str()).collect();
    assert_eq!(
        names,
        [
            "c.station_civil=1",
            "c.station_civil=2",
            "c.station_civil=3"
        ]
    );
    assert_eq!(rows[2]["late_stations"], "0");
    assert_eq!(rows[2]["find_minimum"], "minimum (proven)");
    for r in &rows[..2] {
        assert_ne!(r["late_stations"], "0");
        assert!(r["find_minimum"].starts_with("ruled out"), "{r:?}");
    }
    // The page is well-formed (XHTML-compatible) and plots every variant.
    let html = std::fs::read_to_string(dir.path().join("compare.html")).unwrap();
    let mut reader = quick_xml::Reader::from_str(&html);
    while reader.read_event().expect("well-formed XML") != quick_xml::events::Event::Eof {}
    assert_eq!(html.matches("<circle").count(), 3);
}

#[test]
fn find_minimum_without_an_answer_exits_4() {
    let dir = tempfile::tempdir().unwrap();
    let (code, stdout, _) = compare(
        &[
            STATIONS,
            "--vary",
            "contractor.c.station_civil=1,2",
            "--find-minimum",
            "--max-candidates",
            "200",
            "--time-limit",
            "600",
        ],
        dir.path(),
    );
    assert_eq!(code, 4, "{stdout}");
    assert!(
        stdout.contains("No variant has every station heat-ready"),
        "{stdout}"
    );
}

#[test]
fn bad_vary_options_are_all_listed_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let (code, _, stderr) = compare(
        &[
            STATIONS,
            "--vary",
            "contractor.cc.station_civil=1..3",
            "--vary",
            "contractor.c.station_civl=2",
            "--vary",
            "c.pipe=2",
        ],
        &out,
    );
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("did you mean \"c\""), "{stderr}");
    assert!(
        stderr.contains("did you mean \"station_civil\""),
        "{stderr}"
    );
    assert!(
        stderr.contains("does not start with `contractor.`"),
        "{stderr}"
    );
    assert!(stderr.contains("3 problem(s) found"), "{stderr}");
    assert!(!out.exists());
}

#[test]
fn variant_file_errors_are_all_listed_with_lines() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("variants.toml");
    std::fs::write(
        &file,
        r#"# line 1
[[variants]]
name = "more civil"
crews = [{ contractor = "c", crew = "station_civl", add = 1 }]

[[variants]]
name = "release"
crews = [{ contractor = "c", crew = "station_civil", remove = 2 }]

[[variants]]
name = "no mep"
crews = [{ contractor = "c", crew = "station_mep", set = 0 }]
"#,
    )
    .unwrap();
    let out = dir.path().join("out");
    let (code, _, stderr) = compare(&[STATIONS, "--variants", file.to_str().unwrap()], &out);
    assert_eq!(code, 2, "{stderr}");
    let f = file.display().to_string();
    // Unknown crew type (did you mean), removing more crews than there are,
    // and a variant leaving the stations' equipment step without crews
    // (found by validating the changed scenario again).
    assert!(stderr.contains(&format!("{f}:4:")), "{stderr}");
    assert!(
        stderr.contains("did you mean \"station_civil\""),
        "{stderr}"
    );
    assert!(stderr.contains(&format!("{f}:8:")), "{stderr}");
    assert!(stderr.contains("cannot remove 2"), "{stderr}");
    // "no mep" is well written: it is no mistake of the file (a comparison
    // reports it as a row that cannot be planned).
    assert!(!stderr.contains(&format!("{f}:11:")), "{stderr}");
    assert!(stderr.contains("2 problems found"), "{stderr}");
    assert!(!out.exists());
}

#[test]
fn the_example_variant_files_are_valid() {
    for (scenario, variants, n) in [
        (
            "scenarios/tutorial.toml",
            "scenarios/variants-tutorial.toml",
            3,
        ),
        ("scenarios/city.toml", "scenarios/variants-city.toml", 6),
    ] {
        let read = |f: &str| Source {
            file: f.into(),
            text: std::fs::read_to_string(f).unwrap(),
        };
        let base_source = read(scenario);
        let base = load(&base_source).unwrap();
        let set = heatplan::compare::file::parse_variants(&read(variants), &base)
            .unwrap_or_else(|d| panic!("{d}"));
        assert_eq!(set.variants.len(), n, "{variants}");
        assert!(set.include_base);
    }
}

#[test]
fn each_proof_rules_out_only_what_cannot_meet_the_deadline() {
    use heatplan::compare::minimum::{capacity_proof, deadline_problem, solver_proof, Proof};
    let base = stations();
    let (_, variants) = grid(&base, &["contractor.c.station_civil=1..3".to_string()]).unwrap();
    let models: Vec<_> = variants
        .iter()
        .map(|v| {
            let programme = check(&v.scenario, &source()).unwrap();
            heatplan::Project::from_programme(programme).model
        })
        .collect();
    // Every activity feeds a station; the deadline is the horizon.
    let p = deadline_problem(&models[0]);
    assert_eq!(p.activities.len(), models[0].problem.activities.len());
    assert_eq!(p.horizon, models[0].due);
    // One civil crew: 50 crew-days of civil works in 25 days.
    assert!(matches!(
        capacity_proof(&models[0]),
        Some(Proof::Capacity(_))
    ));
    // Two: exactly 50 crew-days fit, so capacity proves nothing, but no
    // crew can do more than two stations: HiGHS proves it.
    assert_eq!(capacity_proof(&models[1]), None);
    let limit = NEVER;
    assert!(matches!(
        solver_proof(&models[1], limit, None),
        Some(Proof::Solver(_))
    ));
    // Three crews meet the deadline: nothing may prove otherwise.
    assert_eq!(capacity_proof(&models[2]), None);
    assert_eq!(solver_proof(&models[2], limit, None), None);
}

#[test]
fn a_variant_that_leaves_work_without_crews_is_a_row_and_the_rest_are_solved() {
    let dir = tempfile::tempdir().unwrap();
    let (code, stdout, stderr) = compare(
        &[
            STATIONS,
            "--vary",
            "contractor.c.station_mep=0..2",
            "--max-candidates",
            "200",
            "--time-limit",
            "600",
            "--lang",
            "en",
        ],
        dir.path(),
    );
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    let rows = csv_rows(dir.path());
    let names: Vec<&str> = rows.iter().map(|r| r["variant"].as_str()).collect();
    assert_eq!(
        names,
        ["c.station_mep=0", "c.station_mep=1", "c.station_mep=2"]
    );
    // No station equipment crews: no plan, and the reason is validation's.
    let none = &rows[0];
    assert!(
        none["status"].starts_with("invalid: ") && none["status"].contains("station_mep"),
        "{none:?}"
    );
    assert_eq!(none["households_on_time"], "");
    // The others are solved.
    for r in &rows[1..] {
        assert!(!r["status"].starts_with("invalid"), "{r:?}");
        assert_ne!(r["households_on_time"], "", "{r:?}");
    }
    assert!(stdout.contains("invalid: "), "{stdout}");
    let html = std::fs::read_to_string(dir.path().join("compare.html")).unwrap();
    assert!(html.contains("c.station_mep=0"), "{html}");
}

#[test]
fn the_table_and_compare_html_speak_the_language_asked_for() {
    let args = |lang: &'static str| {
        [
            STATIONS,
            "--vary",
            "contractor.c.station_mep=0..2",
            "--max-candidates",
            "50",
            "--time-limit",
            "600",
            "--lang",
            lang,
        ]
    };
    let zh_dir = tempfile::tempdir().unwrap();
    let (code, zh, stderr) = compare(&args("zh"), zh_dir.path());
    assert_eq!(code, 0, "{zh}\n{stderr}");
    for word in [
        "方案",
        "班组",
        "按期供热户数",
        "瓶颈",
        "求解",
        "已写入 3 个文件",
        // The zero-crew variant's row says why in Chinese.
        "无效：",
    ] {
        assert!(zh.contains(word), "{word} missing in {zh}");
    }
    for word in [
        "variant",
        "households on time",
        "bottleneck",
        "solution",
        "wrote",
        "invalid",
        "optimal",
        "gap",
    ] {
        assert!(!zh.contains(word), "{word} left in {zh}");
    }
    let html = std::fs::read_to_string(zh_dir.path().join("compare.html")).unwrap();
    assert!(html.contains(r#"<html lang="zh-CN">"#), "{html}");
    for word in [
        "施工能力比较",
        "按期供热户数",
        "各施工单位班组逐周利用率",
        "班组总数",
    ] {
        assert!(html.contains(word), "{word} missing in {html}");
    }
    for word in [
        "Capacity comparison",
        "households on time",
        "Utilisation of",
        "weeks from",
    ] {
        assert!(!html.contains(word), "{word} left in {html}");
    }
    // compare.csv is read by programs: its headers and statuses stay English.
    let rows = csv_rows(zh_dir.path());
    assert!(rows[0].contains_key("households_on_time"));
    assert!(rows[0]["status"].starts_with("invalid: "), "{:?}", rows[0]);

    let en_dir = tempfile::tempdir().unwrap();
    let (code, en, stderr) = compare(&args("en"), en_dir.path());
    assert_eq!(code, 0, "{en}\n{stderr}");
    for word in [
        "variant",
        "households on time",
        "bottleneck",
        "wrote 3 files into",
    ] {
        assert!(en.contains(word), "{word} missing in {en}");
    }
    assert!(!heatplan::lang::has_chinese(&en), "{en}");
    let html = std::fs::read_to_string(en_dir.path().join("compare.html")).unwrap();
    assert!(html.contains(r#"<html lang="en">"#) && html.contains("Capacity comparison"));
    // The deadline line of a utilisation chart ends on its axis, a number.
    assert!(!html.contains(r#"y2="c""#), "{html}");
}
