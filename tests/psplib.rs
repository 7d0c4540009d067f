//! The optimiser on PSPLIB instances nobody here wrote (bundled under
//! tests/data/psplib with their citation): known optima are reached and
//! proven, and no makespan or bound ever contradicts the published bounds.
//!
//! Every search here is bounded by its work — candidates for the heuristic,
//! nodes for the branch and bound — and never by the clock: the time limits
//! are far above what the work takes, so a slow or busy machine changes how
//! long a test runs, not what it finds. How good the optimiser is within a
//! time limit is measured by `heatplan bench psplib tests/data/psplib` and
//! `cargo bench --bench solver`, not asserted here.

#![cfg(feature = "solver")]

use heatplan::schedule::bound::lower_bound;
use heatplan::schedule::check::violations;
use heatplan::schedule::exact::{branch_and_bound, ExactOptions, ExactResult};
use heatplan::schedule::optimise::{optimise, OptimiseOptions};
use heatplan::schedule::psplib::{load_known, parse, Known};
use heatplan::schedule::search::{heuristic, HeuristicOptions};
use heatplan::schedule::solve::Status;
use heatplan::schedule::Problem;
use std::collections::HashMap;
use std::time::Duration;

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/psplib");

/// A time limit that never binds: the work limits end every search here.
const NEVER: Duration = Duration::from_secs(3600);

fn known() -> HashMap<String, Known> {
    load_known(&std::fs::read_to_string(format!("{DIR}/known.csv")).unwrap()).unwrap()
}

fn instance(set: &str, name: &str) -> Problem {
    let text = std::fs::read_to_string(format!("{DIR}/{set}/{name}.sm")).unwrap();
    parse(name, &text).unwrap()
}

/// The heuristic for `candidates` candidate schedules, then the branch and
/// bound from its plan for at most `nodes` nodes (one thread, so the nodes
/// are counted in one order). Returns the branch and bound's result; its
/// schedule is checked against every precedence and resource limit.
fn search(p: &Problem, candidates: usize, nodes: u64, sets: bool) -> ExactResult {
    let warm = heuristic(
        p,
        &HeuristicOptions {
            time_limit: NEVER,
            seed: 1,
            stop: None,
            max_iterations: Some(candidates),
            patience: None,
        },
    )
    .expect("the heuristic always finds a schedule of a PSPLIB instance");
    assert!(violations(p, &warm).is_empty(), "{}", p.name);
    let r = branch_and_bound(
        p,
        Some(&warm),
        0,
        &ExactOptions {
            time_limit: NEVER,
            node_limit: Some(nodes),
            stop: None,
            threads: 1,
            memo: true,
            sets,
        },
    );
    let s = r.schedule.as_ref().expect("at least the incumbent");
    let v = violations(p, s);
    assert!(v.is_empty(), "{}: {v:?}", p.name);
    assert!(p.score(s).makespan <= p.score(&warm).makespan, "{}", p.name);
    assert!(r.makespan_bound <= p.score(s).makespan, "{}", p.name);
    r
}

/// Instances from many parameter groups, easy ones and ones with scarce
/// resources whose proofs take tens of thousands of nodes (j3045): the
/// search reaches the published optimum and proves it.
#[test]
fn j30_known_optima_are_reached_and_proven_within_a_node_limit() {
    let known = known();
    for name in [
        "j301_1", "j3010_2", "j3014_2", "j3021_1", "j3030_1", "j305_1", "j3037_2", "j3043_1",
        "j3045_1",
    ] {
        let k = known[name];
        assert!(k.optimal);
        let p = instance("j30", name);
        let r = search(&p, 300, 5_000_000, true);
        assert!(r.proven, "{name}: not proven in {} nodes", r.nodes);
        let makespan = p.score(r.schedule.as_ref().unwrap()).makespan;
        assert_eq!(makespan, k.ub, "{name}: proven optimal at the wrong value");
        assert_eq!(r.makespan_bound, k.ub, "{name}: wrong bound");
    }
}

/// The set test (a linear program on HiGHS over the sets of activities that
/// can run side by side) proves instances with scarce resources in a few
/// thousand nodes.
#[test]
fn the_set_test_proves_scarce_resource_instances() {
    let known = known();
    for name in ["j3045_1", "j3045_2"] {
        let p = instance("j30", name);
        let r = search(&p, 300, 50_000, true);
        assert!(r.proven, "{name}: not proven in {} nodes", r.nodes);
        let makespan = p.score(r.schedule.as_ref().unwrap()).makespan;
        assert_eq!(makespan, known[name].ub, "{name}: wrong optimum");
    }
}

/// Larger instances the search does not settle with these limits: whatever
/// it finds and proves lies between the published bounds. (Without the set
/// test: its shaving is bounded by time, not nodes, and on these sizes
/// would take all the time it is given.)
#[test]
fn larger_instances_never_contradict_the_known_bounds() {
    let known = known();
    for (set, name) in [
        ("j60", "j601_1"),
        ("j60", "j6013_1"),
        ("j60", "j6045_1"),
        ("j120", "j1201_1"),
        ("j120", "j12025_1"),
    ] {
        let k = known[name];
        let p = instance(set, name);
        let r = search(&p, 200, 20_000, false);
        let makespan = p.score(r.schedule.as_ref().unwrap()).makespan;
        assert!(
            makespan >= k.lb,
            "{name}: makespan {makespan} below the known lower bound {}",
            k.lb
        );
        assert!(
            r.makespan_bound <= k.ub,
            "{name}: bound {} above the best known makespan {}",
            r.makespan_bound,
            k.ub
        );
        if r.proven {
            assert!(
                makespan <= k.ub,
                "{name}: proven optimum above a known plan"
            );
        }
    }
}

/// The whole optimiser with a candidate limit: its plan is valid, its score
/// and bound agree with the problem's, the bound is never above a known
/// makespan, and the same limits give the same plan.
#[test]
fn the_optimiser_with_a_candidate_limit_is_valid_and_reproducible() {
    let known = known();
    for (set, name) in [("j30", "j3013_1"), ("j60", "j6013_1")] {
        let p = instance(set, name);
        let opts = OptimiseOptions {
            time_limit: NEVER,
            gap: 0.0,
            threads: 2,
            heuristic_only: true,
            max_candidates: Some(300),
            ..OptimiseOptions::default()
        };
        let r = optimise(&p, &opts, &mut |_| {});
        let s = r.schedule.clone().expect("a schedule");
        assert!(violations(&p, &s).is_empty(), "{name}");
        let score = r.score.unwrap();
        assert_eq!(score, p.score(&s));
        assert!(r.bound <= score.value, "{name}: bound above the plan");
        let k = known[name];
        assert!(
            score.makespan >= k.lb,
            "{name}: below the known lower bound"
        );
        // The objective is `finish × makespan` plus the fixed crew-days.
        let fixed = score.value - p.objective.finish * u64::from(score.makespan);
        assert!(
            r.bound <= fixed + p.objective.finish * u64::from(k.ub),
            "{name}: bound {} above the value of the best known makespan",
            r.bound
        );
        if r.status == Status::Optimal {
            assert_eq!(r.bound, score.value, "{name}");
        }
        assert_eq!(
            optimise(&p, &opts, &mut |_| {}),
            r,
            "{name}: not reproducible"
        );
    }
}

#[test]
fn the_lower_bound_never_exceeds_a_known_makespan() {
    // Every instance of the three sets: the bound (critical path, energy,
    // and the finish days refuted by energy in the windows they leave) must
    // lie at or below the best known makespan, and at or above the critical
    // path it strengthens.
    let known = known();
    let mut checked = 0;
    for set in ["j30", "j60", "j120"] {
        for entry in std::fs::read_dir(format!("{DIR}/{set}")).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_stem().unwrap().to_str().unwrap().to_string();
            let Some(k) = known.get(&name) else { continue };
            let p = parse(&name, &std::fs::read_to_string(&path).unwrap()).unwrap();
            let bound = lower_bound(&p).unwrap();
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
    assert_eq!(checked, 96 + 12 + 10, "instances with known bounds");
}
