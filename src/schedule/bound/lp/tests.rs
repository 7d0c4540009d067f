use super::super::tests::{every_schedule, tiny};
use super::*;
use crate::schedule::budget::Budget;
use crate::schedule::milp::tests::{job, problem};
use crate::schedule::problem::{DueGroup, Objective};
use crate::schedule::rng::Rng;
use std::time::Duration;

/// A budget that never stops a test's LP (the tests bound their work by
/// the problems' size).
fn ample() -> Budget {
    Budget::new(Duration::from_secs(3600)).with_threads(1)
}

/// The combinatorial finish bound of `p` alone.
fn combinatorial(p: &Problem) -> Day {
    let mut q = p.clone();
    q.groups.clear();
    q.baseline = None;
    q.objective = Objective::default();
    crate::schedule::bound::lower_bound(&q).map_or(0, |b| b as Day)
}

#[test]
fn the_lp_never_refutes_a_finish_some_plan_reaches() {
    // Tiny random problems (calendars, modes, links with lags, trenches),
    // every plan enumerated: the least makespan must survive the LP over
    // the whole problem and over a random part of it with the whole's
    // heads and tails, in day rows and in 2-day rows.
    let mut rng = Rng::new(2207);
    let (mut checked, mut refuted_below, mut above_combinatorial) = (0, 0, 0);
    for _ in 0..200 {
        let p = tiny(&mut rng);
        let mut least: Option<Day> = None;
        every_schedule(&p, &mut |s| {
            let m = p.score(s).makespan;
            least = Some(least.map_or(m, |l| l.min(m)));
        });
        let Some(m) = least else { continue };
        let n = p.activities.len();
        let mut part: Vec<bool> = (0..n).map(|_| rng.below(2) == 0).collect();
        part[rng.below(n)] = true;
        let whole = Relaxation::keeping(&p, &vec![true; n]);
        let some = Relaxation::keeping(&p, &part);
        for r in [&whole, &some] {
            for bucket in [1, 2] {
                let x = test_finish(&p, r, m, bucket, &ample());
                assert!(
                    !x.refuted,
                    "finish {m} reached but refuted ({}): {p:?}",
                    x.why
                );
            }
        }
        checked += 1;
        if m > 0 && test_finish(&p, &whole, m - 1, 1, &ample()).refuted {
            refuted_below += 1;
        }
        let low = combinatorial(&p);
        let b = finish_bound(&p, &whole, (low, m), 1, &ample(), &|lo, hi| (lo + hi) / 2);
        assert!(b.complete && b.finish <= m);
        if b.finish > low {
            above_combinatorial += 1;
        }
    }
    assert!(checked >= 100, "only {checked} feasible problems");
    // The test is not vacuous: the day before the optimum is mostly refuted.
    assert!(
        refuted_below * 2 > checked,
        "{refuted_below} of {checked} refuted below the optimum"
    );
    // And it sees what the combinatorial bound does not: on some of these
    // problems (7 of 112) it proves a later finish.
    assert!(
        above_combinatorial > 0,
        "the LP never above the combinatorial bound ({checked} problems)"
    );
}

/// Two crews of one unit each, and a problem of `n` activities on them.
fn on_two_crews(horizon: Day, acts: Vec<(usize, Day)>) -> Problem {
    let jobs = acts
        .into_iter()
        .enumerate()
        .map(|(i, (r, d))| job(&format!("a{i}"), d, &[(r, 1)]))
        .collect();
    problem(horizon, &[1, 1], jobs, Vec::new())
}

#[test]
fn station_chains_keep_the_work_that_only_feeds_a_station() {
    // a0 → a1 → a2 (heat-ready), a3 → a2 and a3 → a4: a3 feeds other work.
    let mut p = on_two_crews(20, vec![(0, 2), (1, 2), (0, 1), (1, 1), (0, 1)]);
    for (from, to) in [(0, 1), (1, 2), (3, 2), (3, 4)] {
        p.links.push(Link {
            from,
            to,
            kind: LinkKind::FinishToStart,
            lag: 0,
        });
    }
    assert!(station_chains(&p).is_none(), "no station: no chains");
    p.groups.push(DueGroup {
        name: "station".into(),
        weight: 10,
        due: 5,
        members: vec![2],
        level: Level::Households,
    });
    let r = station_chains(&p).expect("a station");
    assert_eq!(r.origin, vec![0, 1, 2]);
    assert_eq!(r.problem.links.len(), 2);
    assert!(r.problem.groups.is_empty());
}

#[test]
fn on_psplib_the_lp_bound_never_passes_the_optimum_and_lifts_some() {
    // The first 20 bundled j30 instances with a published optimum (Kolisch
    // & Sprecher's PSPLIB), one row per day: the optimum is never refuted,
    // so the bisection up to it ends at or below it, and on some instances
    // the LP proves more than the combinatorial bound.
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/psplib");
    let known = std::fs::read_to_string(format!("{dir}/known.csv")).unwrap();
    let mut optima: Vec<(String, Day)> = known
        .lines()
        .skip(1)
        .filter_map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            (f.len() == 4 && f[3] == "true" && f[0].starts_with("j30"))
                .then(|| (f[0].to_string(), f[2].parse().unwrap()))
        })
        .filter(|(name, _)| std::path::Path::new(&format!("{dir}/j30/{name}.sm")).exists())
        .collect();
    optima.sort();
    optima.truncate(20);
    assert_eq!(optima.len(), 20);
    let (mut lifted, mut sum_low, mut sum_lp) = (0, 0, 0);
    for (name, opt) in &optima {
        let text = std::fs::read_to_string(format!("{dir}/j30/{name}.sm")).unwrap();
        let p = crate::schedule::psplib::parse(name, &text).unwrap();
        let whole = Relaxation::keeping(&p, &vec![true; p.activities.len()]);
        let x = test_finish(&p, &whole, *opt, 1, &ample());
        assert!(!x.refuted, "{name}: optimum {opt} refuted ({})", x.why);
        let low = combinatorial(&p);
        assert!(low <= *opt, "{name}");
        let b = finish_bound(&p, &whole, (low, *opt), 1, &ample(), &|lo, hi| {
            (lo + hi) / 2
        });
        assert!(b.complete, "{name}");
        (sum_low, sum_lp) = (sum_low + low, sum_lp + b.finish);
        lifted += usize::from(b.finish > low);
    }
    assert!(
        lifted > 0,
        "the LP lifted none of 20 (bounds {sum_low} → {sum_lp})"
    );
}

#[test]
fn an_interrupted_lp_refutes_nothing() {
    // j301_1 (optimum 43): its LP refutes day 42, but not once the budget's
    // stop flag is up or its time is out.
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/psplib/j30/j301_1.sm"
    );
    let p =
        crate::schedule::psplib::parse("j301_1", &std::fs::read_to_string(path).unwrap()).unwrap();
    let whole = Relaxation::keeping(&p, &vec![true; p.activities.len()]);
    assert!(test_finish(&p, &whole, 42, 1, &ample()).refuted);
    let stopped = ample();
    stopped
        .stop_flag()
        .store(true, std::sync::atomic::Ordering::Relaxed);
    assert!(!test_finish(&p, &whole, 42, 1, &stopped).refuted);
    let out_of_time = Budget::new(Duration::ZERO);
    assert!(!test_finish(&p, &whole, 42, 1, &out_of_time).refuted);
    let b = finish_bound(&p, &whole, (30, 43), 1, &stopped, &|lo, hi| (lo + hi) / 2);
    assert_eq!((b.finish, b.complete, b.tried.len()), (30, false, 0));
}
