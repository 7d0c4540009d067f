//! The optimiser on PSPLIB instances nobody here wrote: known optima are
//! reached, and no makespan or bound ever contradicts the published bounds.

#![cfg(feature = "solver")]

use heatplan::schedule::budget::Budget;
use heatplan::schedule::check::violations;
use heatplan::schedule::outcome::Status;
use heatplan::schedule::portfolio::Portfolio;
use heatplan::schedule::psplib::{load_known, parse};
use std::time::Duration;

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/benchmarks/psplib");

fn solve(set: &str, name: &str, seconds: u64) -> (u32, u64, Status) {
    let text = std::fs::read_to_string(format!("{DIR}/{set}/{name}.sm")).unwrap();
    let p = parse(name, &text).unwrap();
    let portfolio = Portfolio {
        gap: 0.0,
        ..Portfolio::default()
    };
    let budget = Budget::new(Duration::from_secs(seconds)).with_threads(1);
    let r = portfolio.run(&p, &budget, &mut |_| {});
    let s = r.schedule.expect("a schedule");
    assert!(
        violations(&p, &s).is_empty(),
        "{name}: {:?}",
        violations(&p, &s)
    );
    let score = r.score.unwrap();
    assert_eq!(score, p.score(&s));
    assert!(
        r.bound <= score.value as u64,
        "{name}: bound above the plan"
    );
    (score.makespan, r.bound, r.status)
}

#[test]
fn j30_instances_reach_their_known_optimum() {
    let known = load_known(&std::fs::read_to_string(format!("{DIR}/known.csv")).unwrap()).unwrap();
    // A spread of parameter groups, easy and hard (j3013 and j3045 have
    // scarce resources). Not every j30 optimum is reached yet: `heatplan
    // bench psplib` reports the whole set (j3025_1 and j3029_1 were missed
    // with 5 s each when this was written).
    for name in [
        "j301_1", "j3010_2", "j3013_1", "j3021_1", "j3037_2", "j3045_1",
    ] {
        let k = known[name];
        assert!(k.optimal);
        let (makespan, bound, status) = solve("j30", name, 10);
        assert_eq!(
            makespan, k.ub,
            "{name}: makespan {makespan}, optimum {}",
            k.ub
        );
        assert!(
            bound <= k.ub as u64,
            "{name}: bound {bound} above the optimum {}",
            k.ub
        );
        if status == Status::Optimal {
            assert_eq!(
                bound, k.ub as u64,
                "{name}: proven optimal at the wrong value"
            );
        }
    }
}

#[test]
fn results_never_contradict_the_known_bounds() {
    let known = load_known(&std::fs::read_to_string(format!("{DIR}/known.csv")).unwrap()).unwrap();
    for (set, name) in [("j60", "j601_1"), ("j60", "j6013_1"), ("j120", "j1201_1")] {
        let k = known[name];
        let (makespan, bound, _) = solve(set, name, 4);
        assert!(
            makespan >= k.lb,
            "{name}: makespan {makespan} below the known lower bound {}",
            k.lb
        );
        assert!(
            bound <= k.ub as u64,
            "{name}: bound {bound} above the best known makespan {}",
            k.ub
        );
    }
}

#[test]
fn the_lower_bound_never_exceeds_a_known_makespan() {
    // Every instance of the three sets: the bound (critical path, energy,
    // and the finish days refuted by energy in the windows they leave) must
    // lie at or below the best known makespan, and at or above the critical
    // path it strengthens.
    let known = load_known(&std::fs::read_to_string(format!("{DIR}/known.csv")).unwrap()).unwrap();
    let mut checked = 0;
    for set in ["j30", "j60", "j120"] {
        for entry in std::fs::read_dir(format!("{DIR}/{set}")).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_stem().unwrap().to_str().unwrap().to_string();
            let Some(k) = known.get(&name) else { continue };
            let p = parse(&name, &std::fs::read_to_string(&path).unwrap()).unwrap();
            let bound = heatplan::schedule::bound::lower_bound(&p).unwrap();
            let cpm = heatplan::schedule::window::Windows::compute(&p)
                .unwrap()
                .critical_path_length();
            assert!(
                bound <= k.ub as u64,
                "{name}: bound {bound} above the best known makespan {}",
                k.ub
            );
            assert!(
                bound >= cpm as u64,
                "{name}: bound {bound} below the critical path {cpm}"
            );
            checked += 1;
        }
    }
    assert!(checked >= 100, "only {checked} instances with known bounds");
}

#[test]
fn branch_and_bound_proves_known_optima() {
    use heatplan::schedule::exact::{branch_and_bound, ExactSettings};
    use heatplan::schedule::heuristic::heuristic;
    let known = load_known(&std::fs::read_to_string(format!("{DIR}/known.csv")).unwrap()).unwrap();
    // Instances whose proof takes tens of thousands of nodes, from several
    // parameter groups; the node limit keeps the test reproducible.
    for name in ["j3010_2", "j3014_2", "j3030_1", "j305_1", "j3043_1"] {
        let text = std::fs::read_to_string(format!("{DIR}/j30/{name}.sm")).unwrap();
        let p = parse(name, &text).unwrap();
        let warm = heuristic(
            &p,
            &Budget::new(Duration::from_secs(60))
                .with_seed(1)
                .with_max_candidates(Some(300)),
            None,
        );
        let r = branch_and_bound(
            &p,
            warm.as_ref(),
            0,
            &Budget::new(Duration::from_secs(60)).with_threads(1),
            &ExactSettings {
                node_limit: Some(5_000_000),
                memo: true,
                sets: true,
            },
        );
        let k = known[name];
        assert!(k.optimal);
        assert!(r.proven, "{name}: not proven in {} nodes", r.nodes);
        let s = r.schedule.expect("a schedule");
        assert!(violations(&p, &s).is_empty(), "{name}");
        assert_eq!(p.score(&s).makespan, k.ub, "{name}: wrong optimum");
        assert_eq!(r.makespan_bound, k.ub, "{name}: wrong bound");
    }
}

/// Instances that propagation and search alone do not prove in millions of
/// nodes, which the set test (a linear program on HiGHS over feasible sets)
/// proves with a few thousand: the optimum must be reached and proven, and
/// without the test the same node limit must not be enough.
#[test]
fn the_set_test_proves_what_search_alone_does_not() {
    use heatplan::schedule::exact::{branch_and_bound, ExactSettings};
    use heatplan::schedule::heuristic::heuristic;
    let known = load_known(&std::fs::read_to_string(format!("{DIR}/known.csv")).unwrap()).unwrap();
    for name in ["j3045_1", "j3045_2"] {
        let text = std::fs::read_to_string(format!("{DIR}/j30/{name}.sm")).unwrap();
        let p = parse(name, &text).unwrap();
        let warm = heuristic(
            &p,
            &Budget::new(Duration::from_secs(10))
                .with_seed(0)
                .with_max_candidates(Some(300)),
            None,
        );
        let run = |sets: bool| {
            branch_and_bound(
                &p,
                warm.as_ref(),
                0,
                &Budget::new(Duration::from_secs(60)).with_threads(1),
                &ExactSettings {
                    node_limit: Some(50_000),
                    sets,
                    ..ExactSettings::default()
                },
            )
        };
        let with = run(true);
        let k = known[name];
        assert!(with.proven, "{name}: not proven in {} nodes", with.nodes);
        let s = with.schedule.expect("a schedule");
        assert!(violations(&p, &s).is_empty(), "{name}");
        assert_eq!(p.score(&s).makespan, k.ub, "{name}: wrong optimum");
        assert!(!run(false).proven, "{name}: search alone proved it");
    }
}
