//! Schedule risk by simulation (issue #21): answers known in advance.
//!
//! Every test is bounded by its sample count (and the planning heuristic by
//! its candidate count), never by seconds.

use heatplan::risk::estimate::Estimates;
use heatplan::risk::{simulate, Part, Range, Study};
use heatplan::scenario::risk::ThreePoint;
use heatplan::scenario::Source;
use heatplan::schedule::budget::Budget;
use heatplan::schedule::portfolio::Portfolio;
use heatplan::schedule::Schedule;
use heatplan::Project;
use std::time::Duration;

/// A programme on a 7-day week with no holidays: stations at the plant's
/// node (no pipe), `body` adds stations, tasks, links, milestones, `[risk]`.
fn scenario(deadline: &str, civil_crews: u32, station_days: f64, body: &str) -> Project {
    let text = format!(
        r#"
[programme]
name = "risk test"
window_start = 2022-04-01
window_end = 2022-09-30
deadline = {deadline}
overrun_days = 92
[templates]
segment = [{{ key = "dig", name = "Dig", crew = "civil", days = 1 }}]
station = [{{ key = "build", name = "Build", crew = "civil", days = {station_days}, tags = ["outdoor"] }}]
[[sources]]
id = "PLANT"
node = "N0"
[[nodes]]
id = "N0"
[[districts]]
id = "d"
contractors = ["C"]
max_open_trenches = 1
[[contractors]]
id = "C"
crews = {{ civil = {civil_crews} }}
{body}
"#
    );
    Project::load(&Source {
        file: "risk-test.toml".into(),
        text,
    })
    .unwrap_or_else(|d| panic!("{d}"))
}

/// A plan by the heuristic, bounded by its candidate count.
fn plan(project: &Project) -> Schedule {
    let budget = Budget::new(Duration::from_secs(3600))
        .with_threads(1)
        .with_seed(1)
        .with_max_candidates(Some(200));
    let portfolio = Portfolio {
        heuristic_only: true,
        ..Portfolio::default()
    };
    portfolio
        .run(&project.model.problem, &budget, &mut |_| {})
        .schedule
        .expect("a plan")
}

fn run(project: &Project, schedule: &Schedule, seed: u64, samples: u64, threads: usize) -> Part {
    let study = Study::new(project, schedule, None, seed, 0);
    simulate(&study, Range::all(samples), threads, &|_| {})
}

fn stations(n: usize) -> String {
    (1..=n)
        .map(|i| {
            format!(
                "[[stations]]\nid = \"S{i}\"\nnode = \"N0\"\nheated_area_m2 = 10000.0\nhouseholds = {}\ndistrict = \"d\"\n",
                100 * i
            )
        })
        .collect()
}

const RISK: &str = r#"
[risk.rain]
days_per_month = { 4 = 8, 5 = 8, 6 = 9, 7 = 12 }
factor = 0.5
tags = ["outdoor"]
persistence = 0.5
[risk.productivity]
default = [0.7, 1.0, 1.2]
correlation = 0.3
"#;

/// The exact distribution of the number of days a task of `work` days takes
/// at a triangular productivity `m`: `T = work / m` days, rounded to whole
/// days without bias (the last part-day `f` of `T` is used with probability
/// `f`). Integrated over `m` by the midpoint rule on its quantiles.
fn exact_days(work: f64, spread: ThreePoint, max_days: usize) -> Vec<f64> {
    let n = 200_000;
    let mut p = vec![0.0; max_days + 1];
    for j in 0..n {
        let u = (j as f64 + 0.5) / n as f64;
        let t = work / spread.quantile(u);
        let whole = t.floor();
        let f = t - whole;
        p[whole as usize] += (1.0 - f) / n as f64;
        p[whole as usize + 1] += f / n as f64;
    }
    p
}

fn convolve(a: &[f64], b: &[f64]) -> Vec<f64> {
    let mut out = vec![0.0; a.len() + b.len()];
    for (i, x) in a.iter().enumerate() {
        for (j, y) in b.iter().enumerate() {
            out[i + j] += x * y;
        }
    }
    out
}

#[test]
fn a_chain_of_three_point_durations_matches_its_exact_distribution() {
    // Three tasks in a chain without crews; a milestone after the last for
    // each due date, so every node probability is one point of the CDF.
    let spreads = [
        ThreePoint {
            min: 0.6,
            likely: 1.0,
            max: 1.2,
        },
        ThreePoint {
            min: 0.8,
            likely: 0.9,
            max: 1.3,
        },
        ThreePoint {
            min: 0.5,
            likely: 1.0,
            max: 1.0,
        },
    ];
    let work = [10.0, 7.0, 12.0];
    let mut body = String::new();
    for (i, w) in work.iter().enumerate() {
        body += &format!("[[tasks]]\nid = \"T{i}\"\nname = \"T{i}\"\ndays = {w}\n");
    }
    body += "[[links]]\nfrom = \"T0\"\nto = \"T1\"\n[[links]]\nfrom = \"T1\"\nto = \"T2\"\n";
    // The chain ends on day D (exclusive); the node is reached on day D - 1,
    // on time when D - 1 <= due day, i.e. D <= due + 1.
    let dues: Vec<u32> = (28..=45).collect();
    for d in &dues {
        let date = chrono::NaiveDate::from_ymd_opt(2022, 4, 1).unwrap()
            + chrono::Duration::days(i64::from(*d));
        body += &format!(
            "[[milestones]]\nid = \"m{d}\"\nname = \"by day {d}\"\nafter = [\"T2\"]\ndue = {date}\n"
        );
    }
    body += "[risk.productivity]\nsteps = { ";
    body += &spreads
        .iter()
        .enumerate()
        .map(|(i, s)| format!("T{i} = [{}, {}, {}]", s.min, s.likely, s.max))
        .collect::<Vec<_>>()
        .join(", ");
    body += " }\n";
    let project = scenario("2022-09-30", 1, 1.0, &format!("{}{body}", stations(1)));
    let schedule = plan(&project);
    let samples = 4000;
    let e = Estimates::new(&run(&project, &schedule, 11, samples, 2));

    let mut dist = vec![1.0];
    for (w, s) in work.iter().zip(&spreads) {
        dist = convolve(&dist, &exact_days(*w, *s, 40));
    }
    for (node, d) in e.nodes.iter().zip(&dues) {
        let exact: f64 = dist.iter().take(*d as usize + 2).sum();
        let se = (exact * (1.0 - exact) / samples as f64).sqrt();
        assert!(
            (node.met.p - exact).abs() <= 4.0 * se + 1e-3,
            "day {d}: simulated {} ± {}, exact {exact}",
            node.met.p,
            node.met.se
        );
    }
    // The distribution is not degenerate over the dues checked.
    assert!(e.nodes.first().unwrap().met.p < 0.2 && e.nodes.last().unwrap().met.p > 0.8);
}

#[test]
fn a_certain_future_gives_probabilities_of_zero_or_one_and_replays_the_plan() {
    // Five stations of 20 days for two crews: three rounds of work, the
    // last ending about day 60: on time for a deadline in July, late for
    // one at the end of May.
    for (deadline, expect) in [("2022-07-31", 1.0), ("2022-05-20", 0.0)] {
        let project = scenario(deadline, 2, 20.0, &stations(5));
        let schedule = plan(&project);
        let network = project.plan(
            &schedule,
            heatplan::plan::Quality {
                status: String::new(),
                objective: 0,
                bound: 0,
                gap: 0.0,
                seconds: 0.0,
                stop_reason: String::new(),
            },
        );
        let e = Estimates::new(&run(&project, &schedule, 3, 20, 2));
        assert_eq!(e.city.p, expect, "deadline {deadline}");
        for s in &e.stations {
            assert!(s.on_time.p == 0.0 || s.on_time.p == 1.0);
            assert_eq!(s.on_time.se, 0.0);
            let planned = network.stations.iter().find(|x| x.id == s.id).unwrap();
            assert_eq!(s.dates.p50.date, s.dates.p90.date, "one future only");
            assert!(s.dates.p50.date <= planned.heat_ready, "{}", s.id);
        }
    }
}

#[test]
fn more_crews_never_lower_the_probability_under_common_random_numbers() {
    // Six stations of 20 days by 31 May (61 days): one crew works through
    // six rounds, two through three, three through two, six through one.
    // The same seed gives every plan the same weather and productivity
    // draws. (Under the fixed policy a crew more that leaves the number of
    // rounds unchanged, 3 to 4 here, only re-pairs the stations; the
    // guarantee that holds for any plan is that its dates never fall as
    // durations grow.)
    let mut previous: Option<(f64, f64)> = None;
    for crews in [1, 2, 3, 6] {
        let project = scenario("2022-05-31", crews, 20.0, &format!("{}{RISK}", stations(6)));
        let schedule = plan(&project);
        let e = Estimates::new(&run(&project, &schedule, 5, 300, 2));
        let now = (e.city.p, e.households_expected);
        if let Some(before) = previous {
            assert!(now.0 >= before.0, "{crews} crews: {now:?} after {before:?}");
            assert!(now.1 >= before.1, "{crews} crews: {now:?} after {before:?}");
        }
        previous = Some(now);
    }
    let (p, households) = previous.unwrap();
    assert!(p > 0.9 && households > 2000.0, "{p} {households}");
}

#[test]
fn the_same_seed_gives_the_same_result_on_one_and_two_threads() {
    let project = scenario("2022-06-15", 2, 20.0, &format!("{}{RISK}", stations(6)));
    let schedule = plan(&project);
    let one = run(&project, &schedule, 9, 200, 1);
    let two = run(&project, &schedule, 9, 200, 2);
    assert_eq!(one, two);
    let other = run(&project, &schedule, 10, 200, 2);
    assert_ne!(one.tally, other.tally, "another seed samples other futures");
    // The estimate is a real spread, not a constant.
    let e = Estimates::new(&one);
    assert!(e.city.p > 0.0 && e.city.p < 1.0, "{}", e.city.p);
}

#[test]
fn shards_merged_equal_one_run() {
    let project = scenario("2022-06-15", 2, 20.0, &format!("{}{RISK}", stations(6)));
    let schedule = plan(&project);
    let study = Study::new(&project, &schedule, None, 4, 0);
    let whole = simulate(&study, Range::all(101), 2, &|_| {});
    let parts: Vec<Part> = [3, 1, 2]
        .iter()
        .map(|&k| simulate(&study, Range::shard(101, k, 3), 1, &|_| {}))
        .collect();
    assert_eq!(parts.iter().map(|p| p.count).sum::<u64>(), 101);
    let merged = Part::merge(parts.clone()).unwrap();
    assert_eq!(merged, whole);
    assert_eq!(Estimates::new(&merged), Estimates::new(&whole));
    // A part twice, or a part of another study, is refused.
    assert!(Part::merge(vec![parts[0].clone(), parts[0].clone()]).is_err());
    let other = Study::new(&project, &schedule, None, 5, 0);
    let stranger = simulate(&other, Range::shard(101, 1, 3), 1, &|_| {});
    assert!(Part::merge(vec![parts[1].clone(), stranger]).is_err());
}

#[test]
fn a_bad_risk_section_is_reported_with_every_problem_located() {
    let text = format!(
        "{}\n[risk]\nreplaces = [\"Rainy seson 雨季\"]\n[risk.rain]\ndays_per_month = {{ 13 = 4, 7 = 40 }}\nfactor = 1.5\ntags = [\"outdoors\"]\n[[risk.alerts]]\nlevel = \"orange\"\nper_month = 1\ndays = [3, 2, 1]\n[risk.productivity]\ndefault = [0.7, 1.0]\nsteps = {{ trnch = [0.5, 1.0, 1.1] }}\n[[risk.delays]]\nname = \"permit\"\ntasks = [\"nope\"]\ndays = [0, 1, 2]\nprobability = 2\n",
        include_str!("../scenarios/tutorial.toml")
            .split("\n[risk]")
            .next()
            .unwrap()
    );
    let bad = Source {
        file: "bad.toml".into(),
        text,
    };
    let problems = Project::load(&bad).unwrap_err();
    let all = problems.to_string();
    for needle in [
        "replaces names \"Rainy seson 雨季\"",
        "did you mean \"Rainy season 雨季\"",
        "month \"13\"",
        "days_per_month.7 is 40",
        "risk.rain.factor is 1.5",
        "tag \"outdoors\"",
        "not in the order min ≤ likely ≤ max",
        "has 2 values, not 3",
        "\"trnch\", which is no step key",
        "\"nope\" is not a [[tasks]] id",
        "probability is 2",
    ] {
        assert!(all.contains(needle), "missing {needle:?} in:\n{all}");
    }
    assert!(problems.0.iter().all(|d| d.location.line > 0), "{all}");
    assert_eq!(problems.0.len(), 10, "{all}");
}

fn heatplan(args: &[&str]) -> (i32, String, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_heatplan"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn the_cli_writes_the_report_and_merged_shards_write_the_same_files() {
    let dir = std::env::temp_dir().join(format!("heatplan-risk-cli-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let d = |name: &str| dir.join(name).display().to_string();
    let (code, _, err) = heatplan(&[
        "plan",
        "scenarios/tutorial.toml",
        "--heuristic-only",
        "--max-candidates",
        "100",
        "-o",
        &d("plan"),
    ]);
    assert_eq!(code, 0, "{err}");
    let plan = d("plan/plan.json");
    let common = ["--plan", plan.as_str(), "--samples", "60", "--seed", "3"];
    let (code, out, err) = heatplan(&[&["risk"][..], &common, &["-o", &d("one")]].concat());
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("P(heat-ready by deadline)"), "{out}");
    // Studied from a plan.json: that plan's report.html, with the risk
    // section of risk.html at its end, in the study's own folder.
    let page = std::fs::read_to_string(dir.join("one/report.html")).unwrap();
    let plan_page = std::fs::read_to_string(dir.join("plan/report.html")).unwrap();
    let risk_page = std::fs::read_to_string(dir.join("one/risk.html")).unwrap();
    let at = risk_page
        .find("<section id=\"risk\">")
        .expect("a risk section");
    let section = &risk_page[at..risk_page.rfind("</body>").unwrap()];
    assert_eq!(page.matches("<section id=\"risk\">").count(), 1);
    assert_eq!(
        page,
        plan_page.replacen("</body>", &format!("{section}</body>"), 1)
    );
    for k in ["1/2", "2/2"] {
        let args = [
            &["risk"][..],
            &common,
            &["--threads", "1", "--shard", k, "-o", &d("parts")],
        ];
        let (code, _, err) = heatplan(&args.concat());
        assert_eq!(code, 0, "{err}");
    }
    let (code, _, err) = heatplan(&[
        "risk",
        "merge",
        &d("parts/risk-part-1-of-2.json"),
        &d("parts/risk-part-2-of-2.json"),
        "-o",
        &d("merged"),
    ]);
    assert_eq!(code, 0, "{err}");
    for file in [
        "risk.csv",
        "risk.json",
        "risk.html",
        "risk-cdf.svg",
        "risk-tornado.svg",
    ] {
        let one = std::fs::read_to_string(dir.join("one").join(file)).unwrap();
        let merged = std::fs::read_to_string(dir.join("merged").join(file)).unwrap();
        assert_eq!(one, merged, "{file}");
    }
    // Merged parts carry no plan: no report.html.
    assert!(!dir.join("merged/report.html").exists());
    let csv = std::fs::read_to_string(dir.join("one/risk.csv")).unwrap();
    assert!(csv.starts_with("\u{feff}level,id,name"));
    assert_eq!(csv.lines().filter(|l| l.starts_with("station,")).count(), 4);
    // One part alone is missing half the study: merged with a warning.
    let (code, _, err) = heatplan(&[
        "risk",
        "merge",
        &d("parts/risk-part-1-of-2.json"),
        "-o",
        &d("half"),
    ]);
    assert_eq!(code, 0);
    assert!(
        err.contains("30 of the study's 60 samples are in no part"),
        "{err}"
    );
    // The reactive policy is refused with a message, nothing written.
    let (code, _, err) = heatplan(
        &[
            &["risk"][..],
            &common,
            &["--policy", "reactive", "-o", &d("re")],
        ]
        .concat(),
    );
    assert_ne!(code, 0);
    assert!(err.contains("reactive policy"), "{err}");
    assert!(!dir.join("re").exists());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn from_a_data_date_only_the_remaining_work_is_uncertain() {
    let project = scenario("2022-06-15", 2, 20.0, &format!("{}{RISK}", stations(6)));
    let schedule = plan(&project);
    let data_day = 25;
    let study = Study::new(&project, &schedule, None, 8, data_day);
    let planned = study.planned().to_vec();
    assert!(
        planned.iter().any(|&(s, _)| s < data_day),
        "some work started"
    );
    assert!(
        planned.iter().any(|&(s, _)| s >= data_day),
        "some work remains"
    );
    for sample in 0..20 {
        let d = study.run(sample);
        for (a, &(s, e)) in planned.iter().enumerate() {
            if s < data_day {
                assert_eq!(
                    (d.starts[a], d.ends[a]),
                    (s, e),
                    "started work keeps its dates"
                );
            } else {
                assert!(d.starts[a] >= data_day, "nothing new before the data date");
            }
        }
    }
}
