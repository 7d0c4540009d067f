//! Throwaway measurements of the MILP on PSPLIB instances (ignored by
//! default; the real `.sm` parser lives in `schedule::psplib`).
//!
//! ```text
//! PSPLIB_SET=j30 PSPLIB_N=12 PSPLIB_SECS=30 cargo test --release --test psplib_milp -- --ignored --nocapture
//! ```

use std::collections::HashMap;
use std::time::Duration;

use heatplan::schedule::bench::{self, BenchInstance, Known};
use heatplan::schedule::milp::{self, PrecedenceForm};
use heatplan::schedule::solve::{self, SolveOptions};
use heatplan::schedule::{
    Activity, Link, LinkKind, Mode, Objective, Problem, Resource, Schedule, Timing,
};

const DIR: &str = "/work/shared/benchmarks/psplib";

/// Minimal single-mode `.sm` reader: precedences, durations, demands,
/// capacities; horizon from the file.
fn read_sm(name: &str, text: &str) -> Problem {
    let lines: Vec<&str> = text.lines().collect();
    let nums = |l: &str| {
        l.split_whitespace()
            .filter_map(|t| t.parse::<u32>().ok())
            .collect::<Vec<_>>()
    };
    let find = |prefix: &str| lines.iter().position(|l| l.starts_with(prefix)).unwrap();
    let horizon = nums(lines[find("horizon")])[0];
    let jobs = nums(lines[find("jobs (incl")])[0] as usize;
    let prec = find("PRECEDENCE RELATIONS") + 2;
    let mut links = Vec::new();
    for l in &lines[prec..prec + jobs] {
        let v = nums(l);
        for &s in &v[3..] {
            links.push(Link {
                from: v[0] as usize - 1,
                to: s as usize - 1,
                kind: LinkKind::FinishToStart,
                lag: 0,
            });
        }
    }
    let req = find("REQUESTS/DURATIONS") + 3;
    let caps = nums(lines[find("RESOURCEAVAILABILITIES") + 2]);
    let activities = lines[req..req + jobs]
        .iter()
        .map(|l| {
            let v = nums(l);
            let demands = v[3..]
                .iter()
                .enumerate()
                .filter(|(_, &u)| u > 0)
                .map(|(r, &u)| (r, u))
                .collect();
            Activity {
                name: format!("{}", v[0]),
                modes: vec![Mode {
                    label: String::new(),
                    demands,
                    timing: Timing::Fixed(v[2]),
                    cost_per_day: 0,
                }],
                release: 0,
            }
        })
        .collect();
    Problem {
        name: name.into(),
        horizon,
        resources: caps
            .iter()
            .enumerate()
            .map(|(i, &c)| Resource {
                name: format!("R{}", i + 1),
                capacity: c,
            })
            .collect(),
        activities,
        links,
        spans: vec![],
        groups: vec![],
        objective: Objective::default(),
    }
}

/// Every activity after the previous one in topological order: always
/// feasible for PSPLIB (each demand fits the capacity).
fn sequential(p: &Problem) -> Schedule {
    let mut starts = vec![0; p.activities.len()];
    let mut t = 0;
    for a in p.topological_order().unwrap() {
        starts[a] = t;
        t = p.end(a, 0, t).unwrap();
    }
    Schedule {
        starts,
        modes: vec![0; p.activities.len()],
    }
}

fn known() -> HashMap<String, Known> {
    let text = std::fs::read_to_string(format!("{DIR}/known.csv")).unwrap();
    text.lines()
        .skip(1)
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            (
                f[0].to_string(),
                Known {
                    lb: f[1].parse().unwrap(),
                    ub: f[2].parse().unwrap(),
                },
            )
        })
        .collect()
}

fn instances() -> Vec<BenchInstance> {
    let set = std::env::var("PSPLIB_SET").unwrap_or_else(|_| "j30".into());
    let n: usize = std::env::var("PSPLIB_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(8);
    let known = known();
    let mut names: Vec<String> = std::fs::read_dir(format!("{DIR}/{set}"))
        .unwrap()
        .map(|e| {
            e.unwrap()
                .file_name()
                .to_string_lossy()
                .trim_end_matches(".sm")
                .to_string()
        })
        .collect();
    names.sort();
    if let Ok(only) = std::env::var("PSPLIB_ONLY") {
        names.retain(|n| only.split(',').any(|o| o == n));
    }
    let step = (names.len() / n).max(1);
    names
        .into_iter()
        .step_by(step)
        .take(n)
        .map(|name| {
            let text = std::fs::read_to_string(format!("{DIR}/{set}/{name}.sm")).unwrap();
            BenchInstance {
                problem: read_sm(&name, &text),
                known: known.get(&name).copied(),
                name,
                set: set.clone(),
            }
        })
        .collect()
}

#[test]
#[ignore]
fn model_size_and_root_bound() {
    println!("instance,ub,form,horizon,binaries,rows,nonzeros,lp_bound,lp_secs");
    for inst in instances() {
        let p = &inst.problem;
        let ub = inst.known.map(|k| k.ub).unwrap_or(0);
        let h_lj = p.score(&solve::left_justify(p, &sequential(p))).makespan;
        for h in [h_lj, ub as u32] {
            for form in [PrecedenceForm::Disaggregated, PrecedenceForm::Aggregated] {
                let stats = milp::build(p, h, None, form).unwrap().stats();
                let t = std::time::Instant::now();
                let lp = milp::lp_bound(p, h, form, Duration::from_secs(60));
                println!(
                    "{},{ub},{form:?},{h},{},{},{},{:.2},{:.2}",
                    inst.name,
                    stats.binaries,
                    stats.rows,
                    stats.nonzeros,
                    lp.unwrap_or(f64::NAN),
                    t.elapsed().as_secs_f64()
                );
            }
        }
    }
}

#[test]
#[ignore]
fn time_to_optimality() {
    let secs: u64 = std::env::var("PSPLIB_SECS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(30);
    let lns = std::env::var("PSPLIB_LNS")
        .map(|v| v != "0")
        .unwrap_or(true);
    let form = match std::env::var("PSPLIB_FORM").as_deref() {
        Ok("agg") => PrecedenceForm::Aggregated,
        _ => PrecedenceForm::Disaggregated,
    };
    let opts = SolveOptions {
        time_limit: Duration::from_secs(secs),
        threads: 1,
        lns,
        form,
        ..Default::default()
    };
    let insts = instances();
    let (rows, sums) = bench::run(&insts, |inst| {
        let warm = sequential(&inst.problem);
        let trace = std::env::var("PSPLIB_TRACE").is_ok();
        let r = solve::solve(&inst.problem, Some(warm), &opts, &mut |pr| {
            if trace {
                println!(
                    "  {:.1}s best {:?} bound {}",
                    pr.elapsed.as_secs_f64(),
                    pr.best,
                    pr.bound
                );
            }
        });
        let k = inst.known.unwrap();
        println!(
            "{}: {} makespan {:?} bound {} (known {}..{}) {}",
            inst.name,
            r.status,
            r.score.map(|s| s.makespan),
            r.bound,
            k.lb,
            k.ub,
            r.stop_reason
        );
        r
    });
    bench::write_csv(&rows, std::io::stdout()).unwrap();
    for s in &sums {
        println!("{s:?}");
    }
    assert!(
        !rows.iter().any(|r| r.contradicts_known()),
        "a result contradicts a known bound"
    );
}

#[test]
#[ignore]
fn stop_flag_interrupts_solve() {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Arc;
    let name = std::env::var("PSPLIB_ONLY").unwrap_or_else(|_| "j3045_1".into());
    let text = std::fs::read_to_string(format!("{DIR}/j30/{name}.sm")).unwrap();
    let p = read_sm(&name, &text);
    let stop = Arc::new(AtomicBool::new(false));
    let flag = stop.clone();
    let after: u64 = std::env::var("PSPLIB_STOP_AFTER")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5);
    std::thread::spawn(move || {
        std::thread::sleep(Duration::from_secs(after));
        flag.store(true, Ordering::Relaxed);
    });
    let opts = SolveOptions {
        time_limit: Duration::from_secs(60),
        threads: 1,
        stop: Some(stop),
        ..Default::default()
    };
    let t = std::time::Instant::now();
    let r = solve::solve(&p, Some(sequential(&p)), &opts, &mut |_| {});
    let secs = t.elapsed().as_secs_f64();
    println!(
        "{name}: stop set after {after}s, returned after {secs:.2}s: {} ({}) bound {}",
        r.status, r.stop_reason, r.bound
    );
}
