//! Measures the exact branch and bound on a PSPLIB set.
//!
//! `cargo run --release --example psplib_exact -- <seconds per instance> [set]`
//! runs the heuristic briefly for an incumbent, then
//! [`branch_and_bound`](heatplan::schedule::exact::branch_and_bound), and
//! prints per instance the makespan, whether it is proven, the nodes and the
//! seconds, then how many were proven and the median time.

use std::path::Path;
use std::time::{Duration, Instant};

use heatplan::schedule::bound::lower_bound;
use heatplan::schedule::exact::{branch_and_bound, ExactOptions};
use heatplan::schedule::psplib;
use heatplan::schedule::search::{heuristic, HeuristicOptions};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let secs: f64 = args.first().and_then(|a| a.parse().ok()).unwrap_or(1.0);
    let set = args.get(1).cloned().unwrap_or_else(|| "j30".into());
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/psplib");
    let known =
        psplib::load_known(&std::fs::read_to_string(root.join("known.csv")).unwrap()).unwrap();
    let mut files: Vec<_> = std::fs::read_dir(root.join(&set))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|f| f.extension().is_some_and(|e| e == "sm"))
        .collect();
    files.sort();
    let (mut proven, mut times) = (0, Vec::new());
    for f in &files {
        let name = f.file_stem().unwrap().to_string_lossy().to_string();
        let p = psplib::parse(&name, &std::fs::read_to_string(f).unwrap()).unwrap();
        let t0 = Instant::now();
        let lb = lower_bound(&p).unwrap() as u32;
        let warm = heuristic(
            &p,
            &HeuristicOptions {
                time_limit: Duration::from_secs_f64(secs / 4.0),
                seed: 1,
                stop: None,
                max_iterations: None,
                patience: Some(2000),
            },
        );
        let th = t0.elapsed().as_secs_f64();
        let r = branch_and_bound(
            &p,
            warm.as_ref(),
            lb,
            &ExactOptions {
                time_limit: Duration::from_secs_f64(secs),
                threads: 2,
                ..ExactOptions::default()
            },
        );
        let s = t0.elapsed().as_secs_f64();
        let ms = p.score(r.schedule.as_ref().unwrap()).makespan;
        let k = known[&name];
        assert!(
            ms >= k.lb && r.makespan_bound <= k.ub,
            "{name}: contradicts known bounds"
        );
        proven += r.proven as usize;
        times.push(s);
        println!(
            "{name:10} makespan {ms:4} (best known {:4}) bound {:4} {} nodes {:9} heuristic {th:.2} s total {s:.2} s",
            k.ub,
            r.makespan_bound,
            if r.proven { "proven " } else { "open   " },
            r.nodes
        );
    }
    times.sort_by(|a, b| a.partial_cmp(b).unwrap());
    println!(
        "{set}: {} instances, {proven} proven, median {:.2} s, max {:.2} s",
        times.len(),
        times[times.len() / 2],
        times.last().unwrap()
    );
}
