//! Benchmarks of the pipeline's expensive stages, for comparing changes:
//! `cargo bench --bench solver`. Compare ratios within one run; the machine
//! is shared and noisy.
//!
//! The tests bound every search by its work (candidates, nodes) and check
//! only what must hold; what the optimiser reaches within a wall-clock limit
//! is measured here: the `quality` group prints, once per run, the figures
//! the tests used to assert against a time limit (`cargo bench --bench
//! solver -- quality`).

use criterion::{criterion_group, criterion_main, Criterion};
use heatplan::scenario::Source;
use heatplan::schedule::budget::Budget;
use heatplan::schedule::exact::{branch_and_bound, ExactSettings};
use heatplan::schedule::heuristic::heuristic;
use heatplan::schedule::milp::{build, PrecedenceForm};
use heatplan::schedule::portfolio::Portfolio;
use heatplan::schedule::psplib;
use heatplan::Project;
use std::time::{Duration, Instant};

#[path = "../tests/common/synthetic.rs"]
mod synthetic;

const PSPLIB: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/psplib");

fn psplib_instance(set: &str, name: &str) -> heatplan::schedule::Problem {
    let text = std::fs::read_to_string(format!("{PSPLIB}/{set}/{name}.sm")).unwrap();
    psplib::parse(name, &text).unwrap()
}

fn scenario(name: &str) -> (String, String) {
    let file = format!("{}/scenarios/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&file).expect("bundled scenario");
    (file, text)
}

fn load(name: &str) -> Project {
    let (file, text) = scenario(name);
    Project::load(&Source { file, text }).expect("valid scenario")
}

/// Scenario → activities → model (calendars precomputed as end tables).
fn model_building(c: &mut Criterion) {
    for name in ["tutorial.toml", "city.toml"] {
        let (file, text) = scenario(name);
        c.bench_function(&format!("load+expand {name}"), |b| {
            b.iter(|| {
                Project::load(&Source {
                    file: file.clone(),
                    text: text.clone(),
                })
                .unwrap()
            })
        });
    }
    let p = psplib_instance("j30", "j3013_1");
    c.bench_function("time-indexed model j3013_1", |b| {
        b.iter(|| build(&p, 80, None, PrecedenceForm::Disaggregated).unwrap())
    });
    let tut = load("tutorial.toml");
    let p = &tut.model.problem;
    c.bench_function("time-indexed model tutorial", |b| {
        b.iter(|| build(p, p.horizon, None, PrecedenceForm::Disaggregated).unwrap())
    });
}

/// The constructive heuristic at a fixed number of candidates, and the whole
/// optimiser under a fixed time limit (its value is in the printed objective).
fn solving(c: &mut Criterion) {
    let mut g = c.benchmark_group("solve");
    g.sample_size(10);
    for name in ["tutorial.toml", "city.toml"] {
        let pr = load(name);
        let budget = Budget::new(Duration::from_secs(10))
            .with_seed(0)
            .with_max_candidates(Some(200));
        g.bench_function(format!("heuristic 200 candidates {name}"), |b| {
            b.iter(|| heuristic(&pr.model.problem, &budget.restarted(), None).unwrap())
        });
    }
    let city = synthetic::synthetic_city(175, 1);
    let budget = Budget::new(Duration::from_secs(10)).with_max_candidates(Some(200));
    g.bench_function("heuristic 200 candidates synthetic city 175", |b| {
        b.iter(|| heuristic(&city, &budget.restarted(), None).unwrap())
    });
    let pr = load("tutorial.toml");
    let budget = Budget::new(Duration::from_secs(2)).with_threads(1);
    g.bench_function("optimise tutorial 2 s", |b| {
        b.iter(|| Portfolio::default().run(&pr.model.problem, &budget.restarted(), &mut |_| {}))
    });
    g.finish();
}

/// The exact branch and bound proving a j30 optimum from the heuristic's
/// plan (a fixed amount of work: the same proof every time, one thread),
/// as it is, without its memo of failed states, and without the set test.
fn proving(c: &mut Criterion) {
    let mut g = c.benchmark_group("prove");
    g.sample_size(10);
    for name in ["j3010_2", "j3014_2"] {
        let p = psplib_instance("j30", name);
        let warm = heuristic(
            &p,
            &Budget::new(Duration::from_secs(10))
                .with_seed(0)
                .with_max_candidates(Some(300)),
            None,
        );
        let variants = [
            ("", ExactSettings::default()),
            (
                " without memo",
                ExactSettings {
                    memo: false,
                    ..ExactSettings::default()
                },
            ),
            (
                " without set test",
                ExactSettings {
                    sets: false,
                    ..ExactSettings::default()
                },
            ),
        ];
        let budget = Budget::new(Duration::from_secs(60)).with_threads(1);
        for (label, settings) in variants {
            g.bench_function(format!("branch and bound {name}{label}"), |b| {
                b.iter(|| {
                    let r = branch_and_bound(&p, warm.as_ref(), 0, &budget.restarted(), &settings);
                    assert!(r.proven);
                    r
                })
            });
        }
    }
    g.finish();
}

/// What the optimiser reaches within wall-clock limits, printed once (these
/// depend on the machine and its load, so no test asserts them): the known
/// j30 optima at 10 s each, the PSPLIB bounds at 4 s each, the heuristic on
/// the synthetic city at 1 s and 5 s, and the city scenario's stations on
/// time with the heuristic for 4 s. The `quality/…` timing below is only the
/// tutorial at a fixed 0.5 s (criterion needs something to time).
fn quality(c: &mut Criterion) {
    let mut g = c.benchmark_group("quality");
    g.sample_size(10);
    if selected("quality") {
        print_quality();
    }
    let pr = load("tutorial.toml");
    let budget = Budget::new(Duration::from_millis(500)).with_threads(1);
    g.bench_function("optimise tutorial 0.5 s", |b| {
        b.iter(|| Portfolio::default().run(&pr.model.problem, &budget.restarted(), &mut |_| {}))
    });
    g.finish();
}

/// True unless the bench command line names a filter that excludes `name`.
fn selected(name: &str) -> bool {
    let filters: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    filters.is_empty() || filters.iter().any(|f| name.contains(f.as_str()))
}

fn print_quality() {
    let known =
        psplib::load_known(&std::fs::read_to_string(format!("{PSPLIB}/known.csv")).unwrap())
            .unwrap();
    let at = |p: &heatplan::schedule::Problem, seconds: u64| {
        let portfolio = Portfolio {
            gap: 0.0,
            ..Portfolio::default()
        };
        let t = Instant::now();
        let budget = Budget::new(Duration::from_secs(seconds)).with_threads(1);
        let r = portfolio.run(p, &budget, &mut |_| {});
        (r, t.elapsed().as_secs_f64())
    };
    println!("quality within wall-clock limits (one run each, this machine):");
    for name in [
        "j301_1", "j3010_2", "j3013_1", "j3021_1", "j3037_2", "j3045_1",
    ] {
        let p = psplib_instance("j30", name);
        let (r, secs) = at(&p, 10);
        let makespan = r.score.map_or(0, |s| s.makespan);
        println!(
            "  {name} at 10 s: makespan {makespan} (optimum {}), {}, {secs:.1} s",
            known[name].ub, r.status
        );
    }
    for (set, name) in [("j60", "j601_1"), ("j60", "j6013_1"), ("j120", "j1201_1")] {
        let p = psplib_instance(set, name);
        let (r, secs) = at(&p, 4);
        let makespan = r.score.map_or(0, |s| s.makespan);
        let k = known[name];
        println!(
            "  {name} at 4 s: makespan {makespan} (known {}..{}), bound {}, {secs:.1} s",
            k.lb, k.ub, r.bound
        );
    }
    let city = synthetic::synthetic_city(175, 1);
    for secs in [1, 5] {
        let budget = Budget::new(Duration::from_secs(secs)).with_seed(1);
        let s = heuristic(&city, &budget, None).expect("a schedule");
        println!(
            "  synthetic city 175, heuristic {secs} s: {:?}",
            city.score(&s)
        );
    }
    let pr = load("city.toml");
    let portfolio = Portfolio {
        heuristic_only: true,
        ..Portfolio::default()
    };
    let r = portfolio.run(
        &pr.model.problem,
        &Budget::new(Duration::from_secs(4)),
        &mut |_| {},
    );
    let score = r.score.expect("a plan");
    println!(
        "  city.toml, heuristic only 4 s: weighted lateness {} (0: every station on time), {}",
        score.weighted_lateness, r.status
    );
    // The 300 km programme (`python3 scenarios/gen_city.py --scale 5`): the
    // first plan, and the limits held (issue #22).
    let big = load("city300.toml");
    let p = &big.model.problem;
    for (secs, heuristic_only) in [(1, false), (5, true), (60, false)] {
        let portfolio = Portfolio {
            heuristic_only,
            ..Portfolio::default()
        };
        let mut first = None;
        let started = Instant::now();
        let r = portfolio.run(p, &Budget::new(Duration::from_secs(secs)), &mut |pr| {
            if pr.best.is_some() {
                first.get_or_insert(pr.elapsed);
            }
        });
        let late = r.score.map(|s| s.weighted_lateness);
        println!(
            "  city300.toml, {secs} s{}: first plan reported at {first:?}, returned after {:.1} s, household-days late {late:?}, {} ({})",
            if heuristic_only { " heuristic only" } else { "" },
            started.elapsed().as_secs_f64(),
            r.status,
            r.stop
        );
    }
}

criterion_group!(benches, model_building, solving, proving, quality);
criterion_main!(benches);
