//! Benchmarks of the pipeline's expensive stages, for comparing changes:
//! `cargo bench --bench solver`. Compare ratios within one run; the machine
//! is shared and noisy.

use criterion::{criterion_group, criterion_main, Criterion};
use heatplan::scenario::Source;
use heatplan::schedule::budget::Budget;
use heatplan::schedule::exact::{branch_and_bound, ExactSettings};
use heatplan::schedule::heuristic::heuristic;
use heatplan::schedule::milp::{build, PrecedenceForm};
use heatplan::schedule::portfolio::Portfolio;
use heatplan::schedule::psplib;
use heatplan::Project;
use std::time::Duration;

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
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/benchmarks/psplib/j30/j3013_1.sm"
    ))
    .unwrap();
    let p = psplib::parse("j3013_1", &text).unwrap();
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
        let text = std::fs::read_to_string(format!(
            "{}/../shared/benchmarks/psplib/j30/{name}.sm",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap();
        let p = psplib::parse(name, &text).unwrap();
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

criterion_group!(benches, model_building, solving, proving);
criterion_main!(benches);
