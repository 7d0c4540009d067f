//! Probes where a scenario's finish comes from, with the finish as the only
//! objective: a relaxation of the problem is solved and its finish compared
//! with the lower bound.
//!
//! `cargo run --release --example relax_probe -- SCENARIO SECONDS WHAT`, where
//! WHAT is one relaxation or several joined by `+`, applied in turn:
//! - `all`: the whole problem;
//! - `district:ID`: only the activities of one district (links, trenches and
//!   crews among them; the other districts' work is dropped);
//! - `uses:TEXT`: only the activities some mode of which needs a resource
//!   whose name contains TEXT (e.g. `uses:station` for the station chains);
//! - `plus:TEXT`: the whole problem with 100 more units of every resource
//!   whose name contains TEXT (e.g. `plus:testing`, `plus:relijianshe/`);
//! - `keep:A,B`: only the activities whose names end in `/A` or `/B` (kinds
//!   of work, e.g. `keep:civil,mep,commission`);
//! - `only:A,B`: 1000 more units of every resource whose name contains
//!   none of the parts (only those crews stay limited);
//! - `lex`: search with the plan's own priorities instead of the finish
//!   alone (on the whole city it finishes earlier that way).
//!
//! Dropping activities or adding capacity only relaxes the problem, so the
//! relaxation's optimum is a lower bound on the whole problem's finish;
//! the heuristic's and the solver's finishes show how far search gets.
#[path = "common/relax.rs"]
mod relax;

use heatplan::scenario::Source;
use heatplan::schedule::budget::Budget;
use heatplan::schedule::heuristic::heuristic;
use heatplan::schedule::lns::{solve, LnsSettings};
use heatplan::schedule::{bound, Objective};
use std::time::Duration;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [file, secs, what] = args.as_slice() else {
        panic!("usage: relax_probe SCENARIO SECONDS all|district:ID|uses:TEXT|keep:A,B|plus:TEXT|only:A,B|lex[+...]");
    };
    let secs: f64 = secs.parse().expect("seconds");
    let text = std::fs::read_to_string(file).expect("readable scenario");
    let project = heatplan::Project::load(&Source {
        file: file.clone(),
        text,
    })
    .expect("valid scenario");
    let relax::Relaxed {
        problem: mut q,
        origin,
        lex,
    } = relax::relax(&project, what);
    println!(
        "{} of the scenario's {} activities kept",
        origin.len(),
        project.model.problem.activities.len()
    );
    if lex {
        q.objective = Objective::lexicographic(&q);
    } else {
        q.groups.clear();
        // The finish alone (the default weights).
        q.objective = Objective::default();
    }
    println!(
        "{what}: {} activities, {} links, {} trenches; lower bound {:?}",
        q.activities.len(),
        q.links.len(),
        q.spans.len(),
        bound::lower_bound(&q)
    );
    let warm = heuristic(
        &q,
        &Budget::new(Duration::from_secs_f64(secs / 2.0)).with_seed(0),
        None,
    );
    println!(
        "heuristic finish {:?}",
        warm.as_ref().map(|s| q.score(s).makespan)
    );
    let r = solve(
        &q,
        warm,
        &Budget::new(Duration::from_secs_f64(secs / 2.0)).with_threads(0),
        &LnsSettings::default(),
        &mut |_| {},
    );
    println!(
        "solver finish {:?}, bound {} ({})",
        r.score.map(|s| s.makespan),
        r.bound,
        r.stop
    );
}
