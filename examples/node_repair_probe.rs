//! Probe (issue #18): repair of a written plan that misses a time node by a
//! few days. The latest-missed node's work (its cone) starting from LEAD
//! days before its due day, and the work on the same crews starting between
//! then and the node's current date, may move up to MOVE days either way in
//! any mode; everything else is fixed. The sub-model is solved exactly (the
//! real objective: stations first, so they stay on time) for SECONDS.
//! On the city (issue #18, main's 60 s plan of seed 2, interconnection +10,
//! every station on time): LEAD 30, MOVE 15 frees 112 activities on 11
//! crews, solved optimal in 16 s, node still +10; LEAD 60, MOVE 20 frees
//! 230, 42 s without closing, node still +10. The interconnection's work
//! sits a month late (its pipe laid from mid-August instead of mid-July):
//! no window around the node's due day moves it that far.
//!
//! `cargo run --release --example node_repair_probe -- SCENARIO PLAN_JSON SECONDS LEAD MOVE`
mod common;
use heatplan::schedule::budget::Budget;
use heatplan::schedule::milp::{solve, Domain, MilpSettings};
use heatplan::schedule::{Day, Level};
use std::collections::HashSet;
use std::time::Duration;

fn main() {
    let a: Vec<String> = std::env::args().skip(1).collect();
    let pr = common::project(&a[0]);
    let p = &pr.model.problem;
    let inc = common::plan_schedule(&a[1]);
    let secs: f64 = a[2].parse().expect("seconds");
    let lead: Day = a[3].parse().expect("lead");
    let mv: Day = a[4].parse().expect("move");
    println!("plan    {:?}", p.score(&inc));
    let end = |x: usize| {
        p.end(x, inc.modes[x], inc.starts[x])
            .unwrap_or(inc.starts[x])
    };
    let Some(g) = p
        .groups
        .iter()
        .filter(|g| g.level == Level::Node)
        .max_by_key(|g| {
            g.members
                .iter()
                .map(|&x| end(x))
                .max()
                .unwrap_or(0)
                .saturating_sub(g.due)
        })
    else {
        return;
    };
    let reached = g.members.iter().map(|&x| end(x)).max().unwrap_or(0);
    let inn = p.in_links();
    let mut cone = vec![false; p.activities.len()];
    let mut stack = g.members.clone();
    while let Some(x) = stack.pop() {
        if !std::mem::replace(&mut cone[x], true) {
            stack.extend(inn[x].iter().map(|&l| p.links[l].from));
        }
    }
    let t0 = g.due.saturating_sub(lead);
    let crews: HashSet<usize> = (0..cone.len())
        .filter(|&x| cone[x] && inc.starts[x] >= t0)
        .flat_map(|x| {
            p.activities[x]
                .modes
                .iter()
                .flat_map(|m| m.demands.iter().map(|d| d.0))
        })
        .collect();
    let uses = |x: usize| {
        p.activities[x]
            .modes
            .iter()
            .any(|m| m.demands.iter().any(|d| crews.contains(&d.0)))
    };
    let mut freed = 0;
    let doms: Vec<Domain> = (0..p.activities.len())
        .map(|x| {
            let s = inc.starts[x];
            let free = s >= t0 && (cone[x] || (s <= reached && uses(x)));
            if free {
                freed += 1;
                Domain {
                    mode: None,
                    lo: s.saturating_sub(mv).max(t0),
                    hi: s + mv,
                }
            } else {
                Domain::fixed(inc.modes[x], s)
            }
        })
        .collect();
    println!(
        "node {} due {} reached {} from {t0}: {freed} free on {} crews",
        g.name,
        g.due,
        reached,
        crews.len()
    );
    let b = Budget::new(Duration::from_secs_f64(secs));
    let r = solve(
        p,
        p.horizon,
        Some(&doms),
        Some(&inc),
        &b,
        &MilpSettings::default(),
        &mut |_| {},
    );
    println!("{:?} {:.1}s {:?}", r.outcome.status, r.seconds, r.stats);
    if let Some(s) = r.outcome.schedule {
        let bad = heatplan::schedule::check::violations(p, &s).len();
        println!("repair  {:?} violations {bad}", p.score(&s));
    }
}
