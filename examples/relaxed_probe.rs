//! Probe: the MILP phase's windows (no full model) on the real programme
//! against the same search on a relaxed copy (the stations' due days and the
//! horizon DAYS later; `swap`: the time nodes above the stations), from a
//! written plan or from the constructive heuristic on that copy, each result
//! scored on the real programme. On the city (issue #18, shared machine) the
//! heuristic on the copy sometimes finds plans that meet the interconnection
//! node within 2 days with every station on time, more often plans that end
//! past the deadline; the windows on the copy did not pull a plan's node
//! in within 15 s.
//!
//! `cargo run --release --example relaxed_probe -- SCENARIO PLAN_JSON|- SECONDS DAYS SEED`
mod common;
use heatplan::schedule::budget::Budget;
use heatplan::schedule::lns::{solve, LnsSettings};
use heatplan::schedule::{Day, Level, Objective, Problem};
use std::time::Duration;

fn main() {
    let a: Vec<String> = std::env::args().skip(1).collect();
    let pr = common::project(&a[0]);
    let p = &pr.model.problem;
    let secs: f64 = a[2].parse().expect("seconds");
    let days: u32 = a[3].parse().expect("days");
    let seed: u64 = a[4].parse().expect("seed");
    let mut q = if days > 0 {
        relaxed(p, days)
    } else {
        p.clone()
    };
    if a.get(5).is_some_and(|m| m == "swap") {
        // Time nodes above the stations.
        for g in &mut q.groups {
            g.level = match g.level {
                Level::Households => Level::Node,
                Level::Node => Level::Households,
            };
        }
        q.objective = Objective::lexicographic(&q);
    }
    // PLAN_JSON `-`: the constructive heuristic on the (relaxed) programme
    // for as long again first.
    let warm = if a[1] == "-" {
        let b = Budget::new(Duration::from_secs_f64(secs)).with_seed(seed);
        heatplan::schedule::heuristic::heuristic(&q, &b, None).expect("a plan")
    } else {
        common::plan_schedule(&a[1])
    };
    println!("warm    {:?}", p.score(&warm));
    let settings = LnsSettings {
        bound: Some(0),
        full_model: false,
        ..LnsSettings::default()
    };
    let b = Budget::new(Duration::from_secs_f64(secs)).with_seed(seed);
    let r = solve(&q, Some(warm), &b, &settings, &mut |_| {});
    let s = r.schedule.expect("a plan");
    let bad = heatplan::schedule::check::violations(p, &s).len();
    println!("days {days:>3} {:?} violations {bad}", p.score(&s));
}

/// A copy of `p` whose stations are due `days` later and whose horizon is
/// `days` longer, with the lexicographic weights derived anew.
fn relaxed(p: &Problem, days: Day) -> Problem {
    let mut q = p.clone();
    for g in q.groups.iter_mut().filter(|g| g.level == Level::Households) {
        g.due += days;
    }
    q.horizon += days;
    q.objective = Objective::lexicographic(&q);
    q
}
