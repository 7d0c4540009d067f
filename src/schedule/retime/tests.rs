use super::*;
use crate::schedule::compact::tests::assert_no_level_worse;
use crate::schedule::milp::check_schedule;
use crate::schedule::milp::tests::{fs, job, problem};
use crate::schedule::problem::*;
use crate::schedule::rng::Rng;

/// A table timing: `dur(s)` days when started on `s`, where it ends by
/// `horizon`.
fn table(horizon: Day, dur: impl Fn(Day) -> Day) -> Timing {
    Timing::Table(
        (0..=horizon)
            .map(|s| {
                let e = s + dur(s);
                if e <= horizon {
                    e
                } else {
                    Timing::NO_START
                }
            })
            .collect(),
    )
}

/// `a` then `b` on one crew (and, with `link`, a finish-to-start link):
/// `a` takes 4 days when started before day 2 and 3 after; `b` takes 3
/// days when started by day 4 and 6 from day 5 on (a slow season). A
/// pinned `c` (no crew) ends on day 11 and sets the finish.
fn slow_season(link: bool) -> Problem {
    let h = 20;
    let mut p = problem(
        h,
        &[1],
        vec![
            job("a", 3, &[(0, 1)]),
            job("b", 3, &[(0, 1)]),
            job("c", 0, &[]),
        ],
        if link { vec![fs(0, 1, 0)] } else { vec![] },
    );
    p.activities[0].modes[0].timing = table(h, |s| if s < 2 { 4 } else { 3 });
    p.activities[1].modes[0].timing = table(h, |s| if s <= 4 { 3 } else { 6 });
    p.activities[2].modes[0].timing = Timing::Table(
        (0..=h)
            .map(|s| if s == 0 { 11 } else { Timing::NO_START })
            .collect(),
    );
    p.activities[0].modes[0].cost_per_day = 1;
    p.activities[1].modes[0].cost_per_day = 1;
    p.objective = Objective::lexicographic(&p);
    p
}

#[test]
fn the_cut_moves_a_chain_that_single_moves_cannot() {
    for link in [true, false] {
        let p = slow_season(link);
        // `a` on day 2 (3 days), `b` on day 5 in the slow season (6 days):
        // 9 crew-days. Alone, `a` only gets dearer earlier and `b` cannot
        // start before `a` ends; together they cost 4 + 3 = 7.
        let s = Schedule {
            starts: vec![2, 5, 0],
            modes: vec![0; 3],
        };
        check_schedule(&p, &s).unwrap();
        let before = p.score(&s);
        assert_eq!((before.cost, before.makespan), (9, 11));
        let (c, moves) = compact(&p, &s, 5);
        assert_eq!((moves, p.score(&c).cost), (0, 9), "compact moved it");
        let t = retime(&p, &s, UnitChoice::Tightest, 1000).unwrap();
        check_schedule(&p, &t).unwrap();
        assert_eq!(t.starts, vec![0, 4, 0]);
        let after = p.score(&t);
        assert_eq!((after.cost, after.makespan), (7, 11));
        // With the link, 7 is the optimum over every start (by brute force).
        if link {
            let best = (0..=20)
                .flat_map(|x| (0..=20).map(move |y| (x, y)))
                .map(|(x, y)| Schedule {
                    starts: vec![x, y, 0],
                    modes: vec![0; 3],
                })
                .filter(|s| check_schedule(&p, s).is_ok())
                .filter(|s| p.score(s).makespan <= 11)
                .map(|s| p.score(&s).cost)
                .min();
            assert_eq!(best, Some(7));
        }
    }
}

#[test]
fn a_graph_over_the_node_limit_is_refused() {
    let p = slow_season(true);
    let s = Schedule {
        starts: vec![2, 5, 0],
        modes: vec![0; 3],
    };
    assert!(retime(&p, &s, UnitChoice::Tightest, 3).is_none());
    // An infeasible schedule (b before a ends) is refused too.
    let bad = Schedule {
        starts: vec![2, 3, 0],
        modes: vec![0; 3],
    };
    assert!(retime(&p, &bad, UnitChoice::Tightest, 1000).is_none());
}

/// A random small instance: `n` jobs on two crews (capacities 1 and 2),
/// random links with lags, start-dependent durations, a span on a third
/// resource and a due group.
fn random_problem(rng: &mut Rng, n: usize, h: Day) -> Problem {
    let jobs = (0..n)
        .map(|i| {
            let r = (rng.next_u64() % 2) as usize;
            job(&format!("j{i}"), 1, &[(r, 1)])
        })
        .collect();
    let mut links = Vec::new();
    for i in 1..n {
        if rng.next_u64().is_multiple_of(3) {
            let j = (rng.next_u64() % i as u64) as usize;
            links.push(fs(j, i, (rng.next_u64() % 2) as i32));
        }
    }
    let mut p = problem(h, &[1, 2, 1], jobs, links);
    for act in &mut p.activities {
        let (d, slow_from) = (
            1 + (rng.next_u64() % 3) as Day,
            (rng.next_u64() % h as u64) as Day,
        );
        // Slower from a random day on; some days no start (rest days).
        let rest = (rng.next_u64() % 5) as Day;
        let m = &mut act.modes[0];
        m.timing = Timing::Table(
            (0..=h)
                .map(|s| {
                    let e = s + d + (s >= slow_from) as Day;
                    if e <= h && (rest == 0 || s % 5 != rest) {
                        e
                    } else {
                        Timing::NO_START
                    }
                })
                .collect(),
        );
        m.cost_per_day = 1 + (rng.next_u64() % 2) as u32;
    }
    if n >= 3 {
        p.links.push(fs(0, n - 1, 0));
        p.spans = vec![Span {
            first: 0,
            last: n - 1,
            resource: 2,
            amount: 1,
        }];
    }
    p.groups = vec![DueGroup {
        name: "st".into(),
        weight: 2,
        due: h / 2,
        members: vec![n / 2],
        level: Level::Households,
    }];
    p.objective = Objective::lexicographic(&p);
    p
}

/// A feasible schedule of `p` by a serial pass with random gaps, or `None`.
fn loose_schedule(p: &Problem, rng: &mut Rng) -> Option<Schedule> {
    let n = p.activities.len();
    let order = p.topological_order()?;
    let mut s = Schedule {
        starts: vec![0; n],
        modes: vec![0; n],
    };
    let mut t = 0;
    for a in order {
        t += (rng.next_u64() % 2) as Day + 1;
        while p.end(a, 0, t).is_none() {
            t += 1;
            if t > p.horizon {
                return None;
            }
        }
        s.starts[a] = t;
        t = p.end(a, 0, t)?;
    }
    check_schedule(p, &s).is_ok().then_some(s)
}

/// On small random instances the cut's cost equals the cheapest schedule
/// (found by enumerating every start) that keeps the plan's resource flow,
/// its finish and its due groups, and the result is feasible.
#[test]
fn the_cut_is_optimal_for_the_resource_flow_it_reads() {
    let mut rng = Rng::new(5);
    let mut checked = 0;
    let mut gained = 0;
    while checked < 30 {
        let (n, h) = (4, 14);
        let p = random_problem(&mut rng, n, h);
        let Some(s) = loose_schedule(&p, &mut rng) else {
            continue;
        };
        for choice in [UnitChoice::Tightest, UnitChoice::Idlest] {
            let t = retime(&p, &s, choice, 10_000).expect("a feasible input is re-timed");
            check_schedule(&p, &t).unwrap();
            let (before, after) = (p.score(&s), p.score(&t));
            assert!(after.value <= before.value);
            // Brute force inside the same flow, finish and group limits.
            let (flow, _, _) = resource_links(&p, &s, choice).unwrap();
            let end = |x: &Schedule, a: usize| p.end(a, 0, x.starts[a]).unwrap();
            let fin = |x: &Schedule| end(x, n / 2);
            let limit = fin(&s).max(p.groups[0].due);
            let mut best = u64::MAX;
            let mut starts = vec![0; n];
            loop {
                let x = Schedule {
                    starts: starts.clone(),
                    modes: vec![0; n],
                };
                if check_schedule(&p, &x).is_ok()
                    && flow.iter().all(|l| x.starts[l.to] >= end(&x, l.from))
                    && p.score(&x).makespan <= before.makespan
                    && fin(&x) <= limit
                {
                    best = best.min(p.score(&x).cost);
                }
                // Next start vector (odometer).
                let mut i = 0;
                while i < n && starts[i] == h {
                    starts[i] = 0;
                    i += 1;
                }
                if i == n {
                    break;
                }
                starts[i] += 1;
            }
            assert_eq!(after.cost, best, "{:?} from {:?}", t.starts, s.starts);
            gained += (after.cost < before.cost) as usize;
        }
        checked += 1;
    }
    assert!(gained >= 10, "only {gained} of 60 cuts gained");
}

/// Larger random instances with two modes: [`improve`] keeps every link,
/// crew and trench limit and is no worse on any level.
#[test]
fn improve_keeps_feasibility_and_every_level() {
    let mut rng = Rng::new(9);
    let mut tried = 0;
    let mut improved = 0;
    while tried < 40 {
        let mut p = random_problem(&mut rng, 12, 60);
        for a in 0..12 {
            let mut m = p.activities[a].modes[0].clone();
            let (r, u) = m.demands[0];
            m.demands = vec![(1 - r, u)];
            p.activities[a].modes.push(m);
        }
        p.objective = Objective::lexicographic(&p);
        let Some(s) = loose_schedule(&p, &mut rng) else {
            continue;
        };
        tried += 1;
        let before = p.score(&s);
        let (t, cuts) = improve(&p, &s, 6, 100_000);
        assert!(cuts >= 1);
        check_schedule(&p, &t).unwrap();
        let after = p.score(&t);
        assert_no_level_worse(&before, &after);
        improved += (after.cost < before.cost) as usize;
    }
    // The loose schedules leave room: most instances gain.
    assert!(improved >= 20, "only {improved} of 40 improved");
}
