//! Where a saved plan's crew-days sit above the work's content, per crew
//! type: for every activity that costs crew-days, its cost in the plan
//! against (a) the cheapest start in the same mode before the plan's
//! finish (the calendar: holidays, stop-work days, the rainy season) and
//! (b) the cheapest mode at its cheapest start (the contractor). Also the
//! calendar excess by month of start, and the activities with the most.
//! `cargo run --release --example crewdays_excess -- SCENARIO PLAN.json [TOP]`
mod common;

use heatplan::schedule::Problem;
use std::collections::BTreeMap;

/// The crew type of a resource name (`B/pipe` → `pipe`).
fn crew_type(p: &Problem, a: usize, m: usize) -> String {
    p.activities[a].modes[m]
        .demands
        .iter()
        .map(|&(r, _)| p.resources[r].name.clone())
        .find(|n| !n.starts_with("trench"))
        .map(|n| n.rsplit('/').next().unwrap_or(&n).to_string())
        .unwrap_or_else(|| "-".into())
}

fn main() {
    let arg = |i: usize| std::env::args().nth(i);
    let file = arg(1).expect("a scenario file");
    let plan = arg(2).expect("a plan.json");
    let top: usize = arg(3).map_or(15, |s| s.parse().unwrap());
    let project = common::project(&file);
    let p = &project.model.problem;
    let s = common::plan_schedule(&plan);
    let sc = p.score(&s);
    println!(
        "plan: finish {} crew-days {} late {}/{}",
        sc.makespan, sc.cost, sc.weighted_lateness, sc.node_lateness
    );
    let fin = sc.makespan;
    // (count, cost, calendar excess, contractor excess)
    let mut by_type: BTreeMap<String, [u64; 4]> = BTreeMap::new();
    let mut by_month: BTreeMap<u32, [u64; 2]> = BTreeMap::new();
    let mut worst = Vec::new();
    for (a, act) in p.activities.iter().enumerate() {
        let m = s.modes[a];
        if act.modes[m].cost_per_day == 0 {
            continue;
        }
        let st = s.starts[a];
        let cost = |k: usize, t: u32| {
            p.end(a, k, t)
                .filter(|&e| e <= fin)
                .map(|e| act.modes[k].cost_per_day as u64 * (e - t) as u64)
        };
        let now = cost(m, st).expect("the plan's own start");
        let best_same = (act.release..fin).filter_map(|t| cost(m, t)).min().unwrap();
        let best_any = (0..act.modes.len())
            .flat_map(|k| (act.release..fin).filter_map(move |t| cost(k, t)))
            .min()
            .unwrap();
        let e = by_type.entry(crew_type(p, a, m)).or_default();
        e[0] += 1;
        e[1] += now;
        e[2] += now - best_same;
        e[3] += best_same - best_any;
        let mo = by_month.entry(st / 30).or_default();
        mo[0] += now;
        mo[1] += now - best_same;
        worst.push((now - best_any, now - best_same, a));
    }
    println!("crew type        jobs  crew-days  calendar  contractor");
    let mut tot = [0u64; 4];
    for (t, v) in &by_type {
        println!("{t:<15} {:>5} {:>10} {:>9} {:>11}", v[0], v[1], v[2], v[3]);
        for i in 0..4 {
            tot[i] += v[i];
        }
    }
    println!(
        "{:<15} {:>5} {:>10} {:>9} {:>11}",
        "total", tot[0], tot[1], tot[2], tot[3]
    );
    println!("start day/30   crew-days  calendar excess");
    for (m, v) in &by_month {
        println!("{:>12} {:>11} {:>9}", m * 30, v[0], v[1]);
    }
    worst.sort_unstable_by(|x, y| y.cmp(x));
    println!("dearest activities (excess, of it calendar, name, mode, start, end):");
    for &(x, c, a) in worst.iter().take(top) {
        let m = s.modes[a];
        println!(
            "  {x:>4} {c:>4} {} [{}] {}..{}",
            p.activities[a].name,
            p.activities[a].modes[m].label,
            s.starts[a],
            p.end(a, m, s.starts[a]).unwrap()
        );
    }
}
