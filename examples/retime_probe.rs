//! What global re-timing buys on a plan: `cargo run --release --example
//! retime_probe -- SCENARIO PLAN_JSON [ROUNDS]` reads the schedule of a
//! written plan.json, then reports compaction alone, one cut of each unit
//! choice, and [`improve`] (cuts alternating with compaction), with times.
mod common;

use heatplan::schedule::compact::compact;
use heatplan::schedule::retime::{improve, retime, UnitChoice};
use heatplan::schedule::Schedule;
use std::time::Instant;

fn main() {
    let arg = |i: usize| std::env::args().nth(i);
    let file = arg(1).expect("a scenario file");
    let plan = arg(2).expect("a plan.json");
    let rounds: usize = arg(3).map_or(8, |s| s.parse().unwrap());
    let project = common::project(&file);
    let p = &project.model.problem;
    let s = common::plan_schedule(&plan);
    let show = |what: &str, s: &Schedule, t: Instant| {
        let sc = p.score(s);
        println!(
            "{what}: finish {} crew-days {} late {}/{} value {} ({:.3}s)",
            sc.makespan,
            sc.cost,
            sc.weighted_lateness,
            sc.node_lateness,
            sc.value,
            t.elapsed().as_secs_f64()
        );
    };
    show("plan", &s, Instant::now());
    let t = Instant::now();
    let (c, moves) = compact(p, &s, 3);
    show(&format!("compact ({moves} moves)"), &c, t);
    for choice in [UnitChoice::Tightest, UnitChoice::Idlest] {
        let t = Instant::now();
        match retime(p, &c, choice, usize::MAX) {
            Some(r) => show(&format!("cut {choice:?}"), &r, t),
            None => println!("cut {choice:?}: none"),
        }
    }
    let t = Instant::now();
    let (r, cuts) = improve(p, &c, rounds, usize::MAX);
    show(&format!("improve ({cuts} cuts)"), &r, t);
    // The floor: every activity in its cheapest mode at its cheapest start.
    let floor: u64 = p
        .activities
        .iter()
        .map(|act| {
            act.modes
                .iter()
                .map(|m| m.cost_per_day as u64 * m.timing.min_duration() as u64)
                .min()
                .unwrap_or(0)
        })
        .sum();
    println!("floor (each activity at its cheapest start and mode): {floor}");
}
