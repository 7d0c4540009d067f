//! Probes the searches of a re-plan one at a time: reads a plan.json, a
//! ledger and a data date as `heatplan replan` does, builds the problem the
//! solver sees, and prints the score of the right-shift repair, the
//! constructive heuristic, large-neighbourhood search from the repair,
//! re-sequencing and the whole portfolio, each on its own budget.
//!
//! ```text
//! cargo run --release --example replan_probe -- PLAN.JSON LEDGER.CSV DATE SECONDS
//! ```

use heatplan::replan::future::Future;
use heatplan::replan::{self, ledger, Stability};
use heatplan::scenario::{self, Source};
use heatplan::schedule::budget::Budget;
use heatplan::schedule::{Level, Problem, Schedule};
use heatplan::Project;
use std::time::{Duration, Instant};

fn show(p: &Problem, what: &str, s: &Schedule, t: Instant) {
    let sc = p.score(s);
    let ends: Vec<u32> = (0..p.activities.len())
        .map(|a| p.end(a, s.modes[a], s.starts[a]).unwrap_or(s.starts[a]))
        .collect();
    let late = p
        .groups
        .iter()
        .filter(|g| g.level == Level::Households)
        .filter(|g| g.members.iter().map(|&a| ends[a]).max().unwrap_or(0) > g.due)
        .count();
    println!(
        "{what:<28} late {late:>3}  hh-days {:>7}  node-days {:>4}  finish {:>3}  cost {:>9}  dev {:>9}  value {}  ({:.1} s)",
        sc.weighted_lateness,
        sc.node_lateness,
        sc.makespan,
        sc.cost,
        p.deviation(s),
        sc.value,
        t.elapsed().as_secs_f64()
    );
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 5 {
        eprintln!("usage: replan_probe PLAN.JSON LEDGER.CSV DATE SECONDS [WHAT]");
        std::process::exit(2);
    }
    let secs: f64 = args[4].parse().expect("seconds");
    let what = args.get(5).map_or("all", |s| s.as_str());
    let text = std::fs::read_to_string(&args[1]).expect("plan.json");
    let baseline = heatplan::report::read_plan_json(&text).expect("a plan.json");
    let embedded = baseline.scenario.clone().expect("embedded scenario");
    let source = Source {
        file: embedded.file.clone(),
        text: embedded.text.clone(),
    };
    let scen = scenario::load_file(&source).expect("scenario");
    let date = chrono::NaiveDate::parse_from_str(&args[3], "%Y-%m-%d").expect("date");
    let ledger_text = std::fs::read_to_string(&args[2]).expect("ledger");
    let ledger = ledger::read(&args[2], &ledger_text, &baseline, date).expect("ledger");
    let mut project = Project::from_programme(scenario::check_edited(&scen, &source).unwrap());
    let states = replan::build(
        &mut project,
        &baseline,
        &ledger.progress,
        &[],
        date,
        Stability::default(),
    )
    .expect("build");
    let full = project.model.problem.clone();
    let dd = replan::data_day(&project, date).unwrap();
    let future = Future::new(&full, &states, dd);
    let p = &future.problem;
    println!(
        "future: {} activities, {} groups",
        p.activities.len(),
        p.groups.len()
    );
    let budget = || Budget::new(Duration::from_secs_f64(secs)).with_threads(1);
    let t = Instant::now();
    let repair = replan::right_shift(p).expect("repair");
    show(p, "right-shift repair", &repair, t);
    if what == "all" || what.contains('h') {
        let t = Instant::now();
        if let Some(h) = heatplan::schedule::heuristic::heuristic(p, &budget(), None) {
            show(p, "heuristic", &h, t);
            let t = Instant::now();
            let (r, st) =
                heatplan::schedule::resequence::improve(p, &h, &budget(), &Default::default());
            show(
                p,
                &format!("reseq(heur) {}/{}", st.accepted, st.rounds),
                &r,
                t,
            );
        }
    }
    if what == "all" || what.contains('l') {
        let t = Instant::now();
        let o = heatplan::schedule::lns::solve(
            p,
            Some(repair.clone()),
            &budget(),
            &Default::default(),
            &mut |_| {},
        );
        if let Some(s) = &o.schedule {
            show(p, "lns(repair)", s, t);
        }
    }
    if what == "all" || what.contains('r') {
        let t = Instant::now();
        let (r, st) =
            heatplan::schedule::resequence::improve(p, &repair, &budget(), &Default::default());
        show(
            p,
            &format!("reseq(repair) {}/{}", st.accepted, st.rounds),
            &r,
            t,
        );
    }
    if what == "all" || what.contains('p') {
        let t = Instant::now();
        let mut pf = replan::portfolio(p, Default::default());
        if let Ok(h) = std::env::var("HS") {
            pf.heuristic_share = h.parse().expect("a share");
        }
        if let Ok(h) = std::env::var("RS") {
            pf.resequence_share = h.parse().expect("a share");
        }
        let o = pf.run(p, &budget(), &mut |_| {});
        if let Some(s) = &o.schedule {
            show(p, "portfolio", s, t);
            println!("  bound {}  stop {}", o.bound, o.stop);
        }
    }
}
