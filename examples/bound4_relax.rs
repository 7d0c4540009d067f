//! Measures how high a relaxation of a scenario could ever bound its
//! finish: the relaxed problem is searched with the finish as the only
//! objective, and any finish found there is a ceiling on every bound that
//! drops the same constraints.
//! `cargo run --release --example bound4_relax -- SCENARIO SECONDS KEEP LIMITED`:
//! KEEP is a comma list of activity-name suffixes to keep (`all` keeps
//! every activity), LIMITED a comma list of resource-name parts whose
//! capacity stays (`all`); every other resource gets 1000 more units.
use heatplan::scenario::Source;
use heatplan::schedule::budget::Budget;
use heatplan::schedule::heuristic::heuristic;
use heatplan::schedule::lns::{solve, LnsSettings};
use heatplan::schedule::{bound, Link, Objective, Problem, Span};
use std::time::Duration;

fn restrict(p: &Problem, keep: &[bool]) -> Problem {
    let mut next = 0;
    let index: Vec<Option<usize>> = keep
        .iter()
        .map(|&k| {
            k.then(|| {
                next += 1;
                next - 1
            })
        })
        .collect();
    let mut q = p.clone();
    q.activities = p
        .activities
        .iter()
        .zip(keep)
        .filter(|(_, &k)| k)
        .map(|(a, _)| a.clone())
        .collect();
    q.links = p
        .links
        .iter()
        .filter_map(|l| {
            Some(Link {
                from: index[l.from]?,
                to: index[l.to]?,
                ..l.clone()
            })
        })
        .collect();
    q.spans = p
        .spans
        .iter()
        .filter_map(|s| {
            Some(Span {
                first: index[s.first]?,
                last: index[s.last]?,
                ..s.clone()
            })
        })
        .collect();
    q
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [file, secs, keep, limited] = args.as_slice() else {
        panic!("usage: bound4_relax SCENARIO SECONDS KEEP LIMITED");
    };
    let secs: f64 = secs.parse().expect("seconds");
    let text = std::fs::read_to_string(file).expect("readable scenario");
    let project = heatplan::Project::load(&Source {
        file: file.clone(),
        text,
    })
    .expect("valid scenario");
    let p = &project.model.problem;
    let kept: Vec<bool> = p
        .activities
        .iter()
        .map(|a| keep == "all" || keep.split(',').any(|k| a.name.ends_with(&format!("/{k}"))))
        .collect();
    let mut q = restrict(p, &kept);
    for r in &mut q.resources {
        if limited != "all" && !limited.split(',').any(|l| r.name.contains(l)) {
            r.capacity += 1000;
        }
    }
    if keep == "all" {
        // Every activity kept: the due groups stay and the plan's own
        // priorities steer the search (it finishes earlier that way).
        q.objective = Objective::lexicographic(&q);
    } else {
        q.groups.clear();
        q.objective = Objective {
            lateness: 0,
            node: 0,
            finish: 1,
            cost: 0,
        };
    }
    let t = std::time::Instant::now();
    let lb = bound::lower_bound(&q);
    println!(
        "{keep} / {limited}: {} activities; lower bound {lb:?} ({:?})",
        q.activities.len(),
        t.elapsed()
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
        "solver finish {:?} ({})",
        r.score.map(|s| s.makespan),
        r.stop
    );
}
