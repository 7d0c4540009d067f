use super::*;
use crate::schedule::problem::{Activity, Link, Mode, Objective, Resource};

pub(super) fn job(d: u32, demands: Vec<(usize, u32)>) -> Activity {
    Activity {
        name: format!("j{d}"),
        modes: vec![Mode {
            label: "m".into(),
            demands,
            timing: Timing::Fixed(d),
            cost_per_day: 0,
        }],
        release: 0,
    }
}

pub(super) fn problem(caps: &[u32], acts: Vec<Activity>, links: &[(usize, usize)]) -> Problem {
    let horizon = acts.iter().map(|a| a.modes[0].timing.min_duration()).sum();
    Problem {
        name: "t".into(),
        horizon,
        resources: caps
            .iter()
            .map(|&c| Resource {
                name: "r".into(),
                capacity: c,
            })
            .collect(),
        activities: acts,
        links: links
            .iter()
            .map(|&(from, to)| Link {
                from,
                to,
                kind: LinkKind::FinishToStart,
                lag: 0,
            })
            .collect(),
        spans: vec![],
        groups: vec![],
        objective: Objective::default(),
        baseline: None,
    }
}

/// Draws of the shared generator: `next(m)` is a number below `m`.
pub(super) fn draws(seed: u64) -> impl FnMut(u64) -> u64 {
    let mut rng = crate::schedule::rng::Rng::new(seed);
    move |m| rng.below(m as usize) as u64
}

/// Links from earlier to later activities, each activity after the
/// first getting one with probability 1/3.
fn random_links(n: usize, next: &mut impl FnMut(u64) -> u64) -> Vec<(usize, usize)> {
    let mut links = Vec::new();
    for b in 1..n {
        if next(3) == 0 {
            links.push((next(b as u64) as usize, b));
        }
    }
    links
}

/// A random problem of `n` activities on two resources of capacities
/// `caps`: each needs some of the first and, half the time, some of the
/// second, for 1 to `max_days` days, with [`random_links`].
pub(super) fn random_problem(
    next: &mut impl FnMut(u64) -> u64,
    n: usize,
    caps: [u32; 2],
    max_days: u64,
) -> Problem {
    let acts = (0..n)
        .map(|_| {
            let mut d = vec![(0, next(caps[0] as u64 + 1) as u32)];
            if next(2) == 0 {
                d.push((1, next(caps[1] as u64 + 1) as u32));
            }
            job(1 + next(max_days) as u32, d)
        })
        .collect();
    let links = random_links(n, next);
    problem(&caps, acts, &links)
}

/// The least makespan by trying every start vector up to the horizon.
fn brute_force(p: &Problem) -> Day {
    let n = p.activities.len();
    let mut starts = vec![0 as Day; n];
    let mut best = Day::MAX;
    loop {
        let s = Schedule {
            starts: starts.clone(),
            modes: vec![0; n],
        };
        if violations(p, &s).is_empty() {
            best = best.min(p.score(&s).makespan);
        }
        let mut i = 0;
        loop {
            if i == n {
                return best;
            }
            starts[i] += 1;
            if starts[i] < p.horizon {
                break;
            }
            starts[i] = 0;
            i += 1;
        }
    }
}

/// The budget the tests give a search: ten seconds, one thread (so
/// the two directions take turns).
fn one_thread() -> Budget {
    Budget::new(std::time::Duration::from_secs(10)).with_threads(1)
}

fn solve(p: &Problem) -> ExactResult {
    branch_and_bound(p, None, 0, &one_thread(), &ExactSettings::default())
}

#[test]
fn three_exclusive_jobs_take_their_sum() {
    let p = problem(
        &[1],
        vec![
            job(2, vec![(0, 1)]),
            job(3, vec![(0, 1)]),
            job(1, vec![(0, 1)]),
        ],
        &[],
    );
    let r = solve(&p);
    assert!(r.proven);
    assert_eq!(r.makespan_bound, 6);
    assert_eq!(p.score(r.schedule.as_ref().unwrap()).makespan, 6);
}

#[test]
fn a_poor_incumbent_is_improved_and_proven() {
    let p = problem(
        &[2],
        vec![
            job(3, vec![(0, 1)]),
            job(3, vec![(0, 1)]),
            job(2, vec![(0, 2)]),
        ],
        &[(0, 2)],
    );
    let poor = Schedule {
        starts: vec![0, 5, 3],
        modes: vec![0; 3],
    };
    assert!(violations(&p, &poor).is_empty());
    let r = branch_and_bound(&p, Some(&poor), 0, &one_thread(), &ExactSettings::default());
    assert!(r.proven);
    assert_eq!(r.makespan_bound, brute_force(&p));
    assert_eq!(
        p.score(r.schedule.as_ref().unwrap()).makespan,
        r.makespan_bound
    );
}

#[test]
fn matches_brute_force_on_random_small_problems() {
    let mut next = draws(0x1234_5678_9abc_def0);
    for _ in 0..300 {
        let n = 2 + next(3) as usize;
        let caps = [1 + next(3) as u32, 1 + next(2) as u32];
        let p = random_problem(&mut next, n, caps, 3);
        let r = solve(&p);
        assert!(r.proven, "{p:?}");
        let s = r.schedule.as_ref().expect("a schedule exists");
        assert!(violations(&p, s).is_empty());
        assert_eq!(p.score(s).makespan, brute_force(&p), "{p:?}");
        assert_eq!(r.makespan_bound, p.score(s).makespan);
        // Both directions at once agree.
        let two = one_thread().with_threads(2);
        let r2 = branch_and_bound(&p, None, 0, &two, &ExactSettings::default());
        assert!(r2.proven);
        assert_eq!(r2.makespan_bound, r.makespan_bound);
        assert!(violations(&p, r2.schedule.as_ref().unwrap()).is_empty());
        // The mirror problem, searched on its own, proves the same
        // optimum, and its schedule read from the end fits `p`.
        let back = reversed(&p).expect("finish-to-start links only");
        let rb = one_way(
            &back,
            None,
            0,
            &one_thread(),
            &ExactSettings::default(),
            &AtomicBool::new(false),
        );
        assert!(rb.proven);
        let s = mirror(&back, rb.schedule.as_ref().unwrap());
        assert!(violations(&p, &s).is_empty(), "{p:?}");
        assert_eq!(p.score(&s).makespan, r.makespan_bound);
    }
}

/// Problems too large for brute force but small enough to prove with
/// and without the memo: both searches must agree on the optimum (a
/// memo that pruned a feasible state would prove a longer makespan).
#[test]
fn the_memo_never_changes_the_optimum() {
    let mut next = draws(0x0000_ddb1_a5e5);
    let mut pruned_somewhere = false;
    for _ in 0..150 {
        let n = 7 + next(4) as usize;
        let caps = [2 + next(3) as u32, 1 + next(3) as u32];
        let acts = (0..n)
            .map(|_| {
                let d = vec![
                    (0, 1 + next(caps[0] as u64) as u32),
                    (1, next(caps[1] as u64 + 1) as u32),
                ];
                job(1 + next(5) as u32, d)
            })
            .collect();
        let links = random_links(n, &mut next);
        let p = problem(&caps, acts, &links);
        let with = ExactSettings::default();
        let without = ExactSettings {
            memo: false,
            ..ExactSettings::default()
        };
        let never = AtomicBool::new(false);
        let a = one_way(&p, None, 0, &one_thread(), &with, &never);
        let b = one_way(&p, None, 0, &one_thread(), &without, &never);
        assert!(a.proven && b.proven, "{p:?}");
        assert_eq!(a.makespan_bound, b.makespan_bound, "{p:?}");
        let s = a.schedule.as_ref().expect("a schedule exists");
        assert!(violations(&p, s).is_empty(), "{p:?}");
        assert_eq!(p.score(s).makespan, a.makespan_bound);
        pruned_somewhere |= a.nodes < b.nodes;
    }
    assert!(
        pruned_somewhere,
        "the memo never pruned: the test proves nothing"
    );
}

#[test]
fn node_limit_stops_without_a_false_claim() {
    let acts = (0..8)
        .map(|i| job(1 + i % 3, vec![(0, 1 + i % 2)]))
        .collect();
    let p = problem(&[2], acts, &[]);
    let r = branch_and_bound(
        &p,
        None,
        0,
        &one_thread(),
        &ExactSettings {
            node_limit: Some(1),
            // The set test proves this optimum at the root without a
            // node; this test is about the search stopping.
            sets: false,
            ..ExactSettings::default()
        },
    );
    assert!(!r.proven);
    assert_eq!(r.makespan_bound, 0);
}

#[test]
fn impure_problems_do_not_apply() {
    let mut p = problem(&[1], vec![job(2, vec![(0, 1)])], &[]);
    assert!(applies(&p));
    let second = p.activities[0].modes[0].clone();
    p.activities[0].modes.push(second);
    assert!(!applies(&p));
}
