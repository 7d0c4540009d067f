//! Diagnoses a heuristic plan of a scenario: monthly load per resource and,
//! for each late station, the chain of links back from its last activity to
//! the first one that waited for a crew rather than a predecessor.
//! `cargo run --release --example city_diag -- FILE SECONDS`.
use heatplan::scenario::Source;
use heatplan::schedule::budget::Budget;
use heatplan::schedule::heuristic::heuristic;
use std::time::Duration;

fn main() {
    let file = std::env::args().nth(1).expect("a scenario file");
    let secs: f64 = std::env::args().nth(2).map_or(4.0, |s| s.parse().unwrap());
    let text = std::fs::read_to_string(&file).expect("readable");
    let project = heatplan::Project::load(&Source { file, text }).expect("valid");
    let p = &project.model.problem;
    let w = heatplan::schedule::window::Windows::compute(p).expect("windows");
    let cost_lb: u64 = p
        .activities
        .iter()
        .map(|a| {
            a.modes
                .iter()
                .map(|m| m.cost_per_day as u64 * m.timing.min_duration() as u64)
                .min()
                .unwrap_or(0)
        })
        .sum();
    println!(
        "cpm length {} cost lb {} lb {:?}",
        w.critical_path_length(),
        cost_lb,
        heatplan::schedule::bound::lower_bound(p)
    );
    let mut late_ef: Vec<(u32, &str)> = (0..p.activities.len())
        .map(|a| (w.ef[a], p.activities[a].name.as_str()))
        .collect();
    late_ef.sort();
    println!("latest ef: {:?}", &late_ef[late_ef.len() - 8..]);
    let t = std::time::Instant::now();
    let s = heuristic(
        p,
        &Budget::new(Duration::from_secs_f64(secs))
            .with_seed(std::env::args().nth(3).map_or(1, |s| s.parse().unwrap())),
        None,
    )
    .expect("a plan");
    let sc = p.score(&s);
    println!(
        "score {:?} in {:.1}s; horizon {}",
        sc,
        t.elapsed().as_secs_f64(),
        p.horizon
    );
    let ends: Vec<u32> = (0..p.activities.len())
        .map(|a| p.end(a, s.modes[a], s.starts[a]).unwrap())
        .collect();
    // monthly (30-day) load per resource
    let months = (p.horizon as usize).div_ceil(30);
    for (r, res) in p.resources.iter().enumerate() {
        let mut use_ = vec![0u32; months];
        for (a, act) in p.activities.iter().enumerate() {
            for &(rr, q) in &act.modes[s.modes[a]].demands {
                if rr == r {
                    for d in s.starts[a]..ends[a] {
                        use_[d as usize / 30] += q;
                    }
                }
            }
        }
        for sp in &p.spans {
            if sp.resource == r {
                for d in s.starts[sp.first]..ends[sp.last] {
                    use_[d as usize / 30] += sp.amount;
                }
            }
        }
        let pct: Vec<String> = use_
            .iter()
            .map(|&u| format!("{:3}", 100 * u / (30 * res.capacity.max(1))))
            .collect();
        println!("{:28} cap {} | {}", res.name, res.capacity, pct.join(" "));
    }
    let inn = p.in_links();
    let last = (0..p.activities.len()).max_by_key(|&a| ends[a]).unwrap();
    let finish = heatplan::schedule::DueGroup {
        name: "FINISH".into(),
        weight: 0,
        due: 0,
        members: vec![last],
        level: Default::default(),
    };
    for g in p.groups.iter().chain([&finish]) {
        let fin = g.members.iter().map(|&a| ends[a]).max().unwrap();
        if fin <= g.due {
            continue;
        }
        println!("\nLATE {} w{} fin {} due {}", g.name, g.weight, fin, g.due);
        // walk back: activity ending last; its binding predecessor or resource
        let mut a = *g.members.iter().max_by_key(|&&a| ends[a]).unwrap();
        for _ in 0..40 {
            let act = &p.activities[a];
            let m = &act.modes[s.modes[a]];
            let bind = inn[a].iter().map(|&li| &p.links[li]).find(|l| {
                let lim = match l.kind {
                    heatplan::schedule::LinkKind::FinishToStart => {
                        ends[l.from] as i64 + l.lag as i64
                    }
                    _ => s.starts[l.from] as i64 + l.lag as i64,
                };
                lim >= s.starts[a] as i64
            });
            println!(
                "  {:40} {:10} [{:3},{:3}) es {:?} {}",
                act.name,
                m.label,
                s.starts[a],
                ends[a],
                act.release,
                if let Some(l) = bind {
                    format!("<- link {}", p.activities[l.from].name)
                } else {
                    format!(
                        "resource {:?}",
                        m.demands
                            .iter()
                            .map(|d| &p.resources[d.0].name)
                            .collect::<Vec<_>>()
                    )
                }
            );
            match bind {
                Some(l) => a = l.from,
                None => break,
            }
        }
    }
}
