//! Probes whether a time node can be met with every station on time: the
//! node's cone (its ancestors) with the crews its work may use, a hand-made
//! priority (the cone first), and the portfolio run on a copy of the problem
//! in which the node counts on the households' level. It first prints the
//! nodes' bounds over the plans with every station on time (and stops there
//! when SECONDS is 0).
//! `cargo run --release --example node_probe -- FILE NODE SECONDS [SEED]`.
use heatplan::scenario::Source;
use heatplan::schedule::budget::Budget;
use heatplan::schedule::portfolio::Portfolio;
use heatplan::schedule::sgs::{ModePolicy, Sgs};
use heatplan::schedule::window::Windows;
use heatplan::schedule::{Day, Level, Objective, Problem, Schedule};
use std::collections::BTreeMap;
use std::time::Duration;

fn report(p: &Problem, s: &Schedule, g: usize, what: &str) {
    let sc = p.score(s);
    let grp = &p.groups[g];
    let fin = grp
        .members
        .iter()
        .map(|&a| p.end(a, s.modes[a], s.starts[a]).unwrap())
        .max()
        .unwrap();
    let late_st = p
        .groups
        .iter()
        .filter(|g| g.level == Level::Households)
        .filter(|g| {
            g.members
                .iter()
                .map(|&a| p.end(a, s.modes[a], s.starts[a]).unwrap())
                .max()
                .unwrap()
                > g.due
        })
        .count();
    println!(
        "{what}: node end {fin} due {} (late {}), stations late {late_st}, hh-days {}, node-days {}, finish {}, crew-days {}",
        grp.due,
        fin as i64 - grp.due as i64,
        sc.weighted_lateness,
        sc.node_lateness,
        sc.makespan,
        sc.cost
    );
    for gr in p.groups.iter().filter(|g| g.level == Level::Node) {
        let fin = gr
            .members
            .iter()
            .map(|&a| p.end(a, s.modes[a], s.starts[a]).unwrap())
            .max()
            .unwrap();
        println!(
            "  node {:20} end {fin} due {} late {}",
            gr.name,
            gr.due,
            fin as i64 - gr.due as i64
        );
    }
}

fn fbi(p: &Problem, sgs: &mut Sgs, mut s: Schedule) -> Schedule {
    let mut v = p.score(&s).value;
    for _ in 0..4 {
        let ends: Vec<Day> = (0..p.activities.len())
            .map(|a| p.end(a, s.modes[a], s.starts[a]).unwrap())
            .collect();
        let finish = *ends.iter().max().unwrap();
        let mut caps = vec![finish; ends.len()];
        for g in &p.groups {
            let done = g.members.iter().map(|&a| ends[a]).max().unwrap();
            for &a in &g.members {
                caps[a] = caps[a].min(g.due.max(done));
            }
        }
        let Some(back) = sgs.right_justify(&s, &caps) else {
            break;
        };
        let starts: Vec<i64> = back.starts.iter().map(|&x| x as i64).collect();
        let list = sgs.list_from_priority(&starts).unwrap();
        let Some(f) = sgs.forward(&list, ModePolicy::Given(&s.modes)) else {
            break;
        };
        let fv = p.score(&f).value;
        if fv < v {
            v = fv;
            s = f;
        } else {
            break;
        }
    }
    s
}

fn main() {
    let mut args = std::env::args().skip(1);
    let file = args.next().expect("a scenario file");
    let node = args.next().expect("a node id");
    let secs: f64 = args.next().map_or(30.0, |s| s.parse().unwrap());
    let seed: u64 = args.next().map_or(1, |s| s.parse().unwrap());
    let all = args.next().is_some_and(|s| s == "all");
    let text = std::fs::read_to_string(&file).expect("readable");
    let project = heatplan::Project::load(&Source { file, text }).expect("valid");
    let p = &project.model.problem;
    let g = p
        .groups
        .iter()
        .position(|g| node.split(',').next() == Some(g.name.as_str()))
        .expect("node group");
    let t0 = std::time::Instant::now();
    let held = heatplan::schedule::bound::nodes_with_stations_on_time(p);
    println!("held bound ({:.1} s): {held:?}", t0.elapsed().as_secs_f64());
    if secs == 0.0 {
        return;
    }
    let inn = p.in_links();
    let mut cone = vec![false; p.activities.len()];
    let mut stack = p.groups[g].members.clone();
    while let Some(a) = stack.pop() {
        if !std::mem::replace(&mut cone[a], true) {
            stack.extend(inn[a].iter().map(|&l| p.links[l].from));
        }
    }
    let w = Windows::compute(p).expect("windows");
    let mut by_res: BTreeMap<String, (u32, u32)> = BTreeMap::new();
    for a in (0..cone.len()).filter(|&a| cone[a]) {
        let act = &p.activities[a];
        let modes: Vec<String> = act
            .modes
            .iter()
            .map(|m| {
                let r: Vec<String> = m
                    .demands
                    .iter()
                    .map(|d| p.resources[d.0].name.clone())
                    .collect();
                format!("{}:{}d", r.join("+"), m.timing.min_duration())
            })
            .collect();
        println!(
            "cone {:28} es {:3} lf {:3}  {}",
            act.name,
            w.es[a],
            w.lf[a],
            modes.join(" | ")
        );
        for m in &act.modes {
            for d in &m.demands {
                let e = by_res.entry(p.resources[d.0].name.clone()).or_default();
                e.0 += 1;
                e.1 = p.resources[d.0].capacity;
            }
        }
    }
    println!("resources the cone may use (activities, capacity): {by_res:?}");
    // Hand-made priority: the cone's work first, otherwise by latest finish
    // tightened by every due day.
    let mut sgs = Sgs::new(p);
    for bias in [0i64, 30, 60, 120, 1000] {
        let prio: Vec<i64> = (0..p.activities.len())
            .map(|a| w.lf[a] as i64 - if cone[a] { bias } else { 0 })
            .collect();
        let list = sgs.list_from_priority(&prio).unwrap();
        if let Some(s) = sgs.forward(&list, ModePolicy::Best) {
            report(p, &s, g, &format!("cone first by {bias} days"));
        }
    }
    // Cone pull from a heuristic plan: the cone's priorities (the plan's
    // starts) moved `d` days earlier, decoded, then forward-backward improved.
    let base = heatplan::schedule::heuristic::heuristic(
        p,
        &Budget::new(Duration::from_secs_f64(secs / 2.0)).with_seed(seed),
        None,
    )
    .unwrap();
    report(p, &base, g, "heuristic base");
    let mut best = (p.score(&base).value, base.clone());
    for round in 0..3 {
        let inc = best.1.clone();
        for d in [3i64, 6, 10, 15, 20, 30, 45, 60, 90] {
            for given in [true, false] {
                let prio: Vec<i64> = (0..p.activities.len())
                    .map(|a| inc.starts[a] as i64 - if cone[a] { d } else { 0 })
                    .collect();
                let list = sgs.list_from_priority(&prio).unwrap();
                let any = vec![usize::MAX; p.activities.len()];
                let pol = if given {
                    ModePolicy::Given(&inc.modes)
                } else {
                    ModePolicy::Mixed(&any)
                };
                let Some(s) = sgs.forward(&list, pol) else {
                    continue;
                };
                let s = fbi(p, &mut sgs, s);
                let v = p.score(&s).value;
                report(p, &s, g, &format!("round {round} pull {d} given {given}"));
                if v < best.0 {
                    best = (v, s);
                }
            }
        }
    }
    // The node on the households' level (weight of the largest station):
    // what the search gives when the node is worth as much as a station.
    let mut q = p.clone();
    let wmax = q.groups.iter().map(|g| g.weight).max().unwrap();
    for (k, gr) in q.groups.iter_mut().enumerate() {
        if k == g || node.split(',').any(|n| n == gr.name) || (all && gr.level == Level::Node) {
            gr.level = Level::Households;
            gr.weight = wmax;
        }
    }
    q.objective = Objective::lexicographic(&q);
    let budget = Budget::new(Duration::from_secs_f64(secs))
        .with_seed(seed)
        .with_threads(1);
    let r = Portfolio::default().run(&q, &budget, &mut |_| {});
    if let Some(s) = r.schedule {
        report(p, &s, g, "node as a station, portfolio");
    }
}
