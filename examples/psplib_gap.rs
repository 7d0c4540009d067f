//! Measures the primal heuristic on the PSPLIB development subset.
//!
//! `cargo run --release --example psplib_gap -- <seconds per instance> [sets...] [--seed N]`
//! prints, per set, the mean gap (makespan − ub) / ub to the best known upper
//! bound and how many instances reach it.

use std::path::Path;
use std::time::{Duration, Instant};

use heatplan::schedule::check::violations;
use heatplan::schedule::psplib;
use heatplan::schedule::search::{heuristic, HeuristicOptions};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let secs: f64 = args.first().and_then(|a| a.parse().ok()).unwrap_or(1.0);
    let mut seed = 1;
    let mut sets = Vec::new();
    let mut it = args.iter().skip(1);
    while let Some(a) = it.next() {
        if a == "--seed" {
            seed = it.next().and_then(|s| s.parse().ok()).unwrap_or(1);
        } else {
            sets.push(a.clone());
        }
    }
    if sets.is_empty() {
        sets = vec!["j30".into(), "j60".into(), "j120".into()];
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/psplib");
    let known =
        psplib::load_known(&std::fs::read_to_string(root.join("known.csv")).unwrap()).unwrap();
    for set in &sets {
        let mut files: Vec<_> = std::fs::read_dir(root.join(set))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        let (mut gap_sum, mut at_ub, mut count, mut worst) = (0.0, 0, 0, (0.0, String::new()));
        let t0 = Instant::now();
        for f in files
            .iter()
            .filter(|f| f.extension().is_some_and(|e| e == "sm"))
        {
            let name = f.file_stem().unwrap().to_string_lossy().to_string();
            let p = psplib::parse(&name, &std::fs::read_to_string(f).unwrap()).unwrap();
            // HP_ITERS=n: a reproducible budget of n candidates instead of time.
            let iters: Option<usize> = std::env::var("HP_ITERS").ok().and_then(|v| v.parse().ok());
            let limit = if iters.is_some() { 1e6 } else { secs };
            let opts = HeuristicOptions {
                time_limit: Duration::from_secs_f64(limit),
                seed,
                stop: None,
                max_iterations: iters,
                patience: None,
            };
            let s = heuristic(&p, &opts).expect("schedule");
            assert!(violations(&p, &s).is_empty(), "{name} infeasible");
            let ms = p.score(&s).makespan;
            let k = known[&name];
            assert!(ms >= k.lb, "{name}: {ms} below lb {}", k.lb);
            let gap = (ms as f64 - k.ub as f64) / k.ub as f64;
            gap_sum += gap;
            count += 1;
            if ms <= k.ub {
                at_ub += 1;
            }
            if gap > worst.0 {
                worst = (gap, name.clone());
            }
            if std::env::var_os("VERBOSE").is_some() {
                println!("{name} {ms} ub {} gap {:.2}%", k.ub, gap * 100.0);
            }
        }
        println!(
            "{set}: {count} instances, {secs} s each: mean gap {:.2}%, at ub {at_ub}/{count}, worst {:.2}% ({}), wall {:.0} s",
            100.0 * gap_sum / count as f64,
            worst.0 * 100.0,
            worst.1,
            t0.elapsed().as_secs_f64()
        );
    }
}
