//! Probe (issue #18): the constructive heuristic ranking its candidates
//! with the time nodes above the stations, one run of SECONDS, on the real
//! programme: the real score of its best plan by the objective and of its
//! best by that ranking (and, given a written plan, that plan's score).
//!
//! `cargo run --release --example rank_probe -- SCENARIO SECONDS SEED [PLAN_JSON]`
mod common;
use heatplan::schedule::budget::Budget;
use heatplan::schedule::heuristic::heuristic_nodes_first;
use std::time::Duration;

fn main() {
    let a: Vec<String> = std::env::args().skip(1).collect();
    let pr = common::project(&a[0]);
    let p = &pr.model.problem;
    let secs: f64 = a[1].parse().expect("seconds");
    let seed: u64 = a[2].parse().expect("seed");
    let b = Budget::new(Duration::from_secs_f64(secs)).with_seed(seed);
    let (best, ranked) = heuristic_nodes_first(p, &b);
    let written = a.get(3).map(|f| common::plan_schedule(f));
    for (what, s) in [("best  ", best), ("ranked", ranked), ("written", written)] {
        if let Some(s) = s {
            let bad = heatplan::schedule::check::violations(p, &s).len();
            println!("{what} {:?} violations {bad}", p.score(&s));
        }
    }
}
