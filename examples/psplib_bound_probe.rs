//! Prints the makespan lower bound of every bundled PSPLIB instance beside
//! its known bounds, and the time it takes:
//! `cargo run --release --example psplib_bound_probe -- tests/data/psplib`.
use heatplan::schedule::psplib::{load_known, parse};

fn main() {
    let dir = std::env::args().nth(1).expect("the psplib folder");
    let known = load_known(&std::fs::read_to_string(format!("{dir}/known.csv")).unwrap()).unwrap();
    let (mut total, mut at_lb, mut n, mut secs) = (0u64, 0, 0, 0.0);
    for set in ["j30", "j60", "j120"] {
        let mut names: Vec<_> = std::fs::read_dir(format!("{dir}/{set}"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        names.sort();
        for path in names {
            let name = path.file_stem().unwrap().to_string_lossy().to_string();
            let p = parse(&name, &std::fs::read_to_string(&path).unwrap()).unwrap();
            let t = std::time::Instant::now();
            let lb = heatplan::schedule::bound::lower_bound(&p).unwrap();
            secs += t.elapsed().as_secs_f64();
            let k = &known[&name];
            assert!(
                lb <= k.ub as u64,
                "{name}: bound {lb} above the best known {}",
                k.ub
            );
            total += lb;
            n += 1;
            if lb >= k.lb as u64 {
                at_lb += 1;
            }
            println!("{name} bound {lb} known lb {} ub {}", k.lb, k.ub);
        }
    }
    println!(
        "{n} instances: sum of bounds {total}, {at_lb} at the published lower bound, {secs:.2} s"
    );
}
