//! Where a plan's crew-days go, and what crew-day compaction and the MILP
//! phase's two-sided windows buy, on a fixed amount of work (candidates and
//! LNS rounds, not seconds), so runs compare under any load.
//! `cargo run --release --example crewdays_probe -- FILE CANDIDATES ROUNDS SECONDS [SEED]`
//! (SECONDS bounds the MILP phase's full models, which are timed).
use heatplan::scenario::Source;
use heatplan::schedule::budget::Budget;
use heatplan::schedule::compact::compact;
use heatplan::schedule::heuristic::heuristic;
use heatplan::schedule::lns::{solve, LnsSettings};
use heatplan::schedule::{Problem, Schedule};
use std::time::{Duration, Instant};

fn breakdown(p: &Problem, s: &Schedule) {
    let (mut held, mut best_here, mut best_any) = (0u64, 0u64, 0u64);
    for (a, act) in p.activities.iter().enumerate() {
        let m = s.modes[a];
        if act.modes[m].cost_per_day == 0 {
            continue;
        }
        let st = s.starts[a];
        held += (p.end(a, m, st).unwrap() - st) as u64;
        best_here += (0..act.modes.len())
            .filter_map(|k| p.end(a, k, st).map(|e| (e - st) as u64))
            .min()
            .unwrap();
        best_any += (0..act.modes.len())
            .map(|k| act.modes[k].timing.min_duration() as u64)
            .min()
            .unwrap();
    }
    println!(
        "  crew-days {held}: best mode at the same start {best_here}, best mode and start {best_any}"
    );
}

fn main() {
    let arg = |i: usize| std::env::args().nth(i);
    let file = arg(1).expect("a scenario file");
    let cands: usize = arg(2).map_or(20000, |s| s.parse().unwrap());
    let rounds: usize = arg(3).map_or(40, |s| s.parse().unwrap());
    let secs: u64 = arg(4).map_or(30, |s| s.parse().unwrap());
    let seed: u64 = arg(5).map_or(1, |s| s.parse().unwrap());
    let text = std::fs::read_to_string(&file).expect("readable");
    let project = heatplan::Project::load(&Source { file, text }).expect("valid");
    let p = &project.model.problem;
    let budget = || {
        Budget::new(Duration::from_secs(secs))
            .with_seed(seed)
            .with_threads(1)
            .with_max_candidates(Some(cands))
            .with_max_nodes(Some(100_000))
            .with_max_lns_rounds(Some(rounds))
    };
    let t = Instant::now();
    let s = heuristic(p, &budget(), None).expect("a plan");
    let sc = p.score(&s);
    println!("heuristic {:?} in {:.1}s", sc, t.elapsed().as_secs_f64());
    breakdown(p, &s);
    let t = Instant::now();
    let (c, moves) = compact(p, &s, 3);
    println!(
        "compact: {moves} moves, {:?} in {:.3}s",
        p.score(&c),
        t.elapsed().as_secs_f64()
    );
    breakdown(p, &c);
    for crew_days in [false, true] {
        let settings = LnsSettings {
            gap: 0.0,
            crew_days,
            ..LnsSettings::default()
        };
        let t = Instant::now();
        let r = solve(p, Some(s.clone()), &budget(), &settings, &mut |_| {});
        let sc = r.score.unwrap();
        println!(
            "lns crew_days={crew_days}: {:?} in {:.1}s ({:?})",
            sc,
            t.elapsed().as_secs_f64(),
            r.stop
        );
        breakdown(p, r.schedule.as_ref().unwrap());
    }
}
