//! Crew-day compaction: one activity at a time moves to the start and mode
//! that hold its crew for the fewest calendar days, with everything else kept.
//!
//! A crew is held on every calendar day of its activity, rest days, holidays,
//! stop-work days and slow rainy-season days included, so the same work costs
//! more crew-days when it straddles a holiday or runs in July rather than
//! September, and less with a more productive contractor. The searches before
//! this one optimise the finish and the lateness first and leave many
//! activities where they first fitted; [`compact`] then walks the schedule and
//! moves each crew activity (earlier or later, in any of its modes) to the
//! cheapest place that
//!
//! * keeps every link with its neighbours where they are (predecessors'
//!   ends and starts, successors' starts),
//! * fits the crews and open-trench limits left by every other activity and
//!   span (a span the activity opens or closes moves with it),
//! * ends no later than the plan's finish and, for every station or time node
//!   it belongs to, no later than the later of its due day and the group's
//!   current completion,
//!
//! so no household, time node or finish day is ever given up for a crew-day,
//! and the folded objective (with a re-plan's deviation from the baseline)
//! only falls. Passes repeat until one changes nothing or the pass limit is
//! reached; the work is bounded by passes × activities × modes × horizon.

use super::problem::{Day, LinkKind, Problem, Schedule};
use super::usage::{fits, hold};

/// Compacts `s` (assumed feasible) for at most `passes` passes; returns the
/// compacted schedule and how many moves it made. The result is feasible
/// whenever `s` is, and its [`Problem::score`] is no worse on any level.
pub fn compact(p: &Problem, s: &Schedule, passes: usize) -> (Schedule, usize) {
    let n = p.activities.len();
    let mut out = s.clone();
    if n == 0 {
        return (out, 0);
    }
    let end = |sc: &Schedule, a: usize| p.end(a, sc.modes[a], sc.starts[a]).unwrap_or(sc.starts[a]);
    let h = p.horizon as usize;
    let mut usage = vec![vec![0u64; h + 1]; p.resources.len()];
    for a in 0..n {
        hold(
            p,
            &mut usage,
            a,
            out.modes[a],
            out.starts[a],
            end(&out, a),
            1,
        );
    }
    let span_hold =
        |usage: &mut [Vec<u64>], r: usize, amount: u32, from: Day, to: Day, sign: i64| {
            for d in from..to.min(p.horizon) {
                let v = &mut usage[r][d as usize];
                *v = (*v as i64 + sign * amount as i64) as u64;
            }
        };
    for sp in &p.spans {
        let (f, t) = (out.starts[sp.first], end(&out, sp.last));
        span_hold(&mut usage, sp.resource, sp.amount, f, t, 1);
    }
    let inn = p.in_links();
    let outl = p.out_links();
    let mut groups_of = vec![Vec::new(); n];
    for (g, grp) in p.groups.iter().enumerate() {
        for &a in &grp.members {
            groups_of[a].push(g);
        }
    }
    let mut spans_of = vec![Vec::new(); n];
    for (i, sp) in p.spans.iter().enumerate() {
        spans_of[sp.first].push(i);
        if sp.last != sp.first {
            spans_of[sp.last].push(i);
        }
    }
    let makespan = (0..n).map(|a| end(&out, a)).max().unwrap_or(0);
    let o = p.objective;
    let dev = |a: usize, m: usize, st: Day| p.baseline.as_ref().map_or(0, |b| b.cost(a, m, st));
    let costly: Vec<usize> = (0..n)
        .filter(|&a| p.activities[a].modes.iter().any(|m| m.cost_per_day > 0))
        .collect();
    let mut moves = 0;
    for _ in 0..passes {
        let mut changed = false;
        let mut order = costly.clone();
        order.sort_by_key(|&a| (out.starts[a], a));
        for a in order {
            let (m0, s0) = (out.modes[a], out.starts[a]);
            let e0 = end(&out, a);
            let act = &p.activities[a];
            let value = |m: usize, st: Day, e: Day| {
                o.cost as i64 * act.modes[m].cost_per_day as i64 * (e - st) as i64
                    + dev(a, m, st) as i64
            };
            let old = value(m0, s0, e0);
            // Group completion without `a`: the end cap keeps every group
            // at most as late as it is now.
            let mut end_cap = makespan;
            for &g in &groups_of[a] {
                let grp = &p.groups[g];
                let fin = grp.members.iter().map(|&b| end(&out, b)).max().unwrap_or(0);
                end_cap = end_cap.min(fin.max(grp.due));
            }
            let mut lo = act.release;
            for &li in &inn[a] {
                let l = &p.links[li];
                let base = match l.kind {
                    LinkKind::FinishToStart => end(&out, l.from),
                    LinkKind::StartToStart => out.starts[l.from],
                };
                lo = lo.max((base as i64 + l.lag as i64).max(0) as Day);
            }
            let mut start_cap = p.horizon;
            for &li in &outl[a] {
                let l = &p.links[li];
                let lim = (out.starts[l.to] as i64 - l.lag as i64).max(0) as Day;
                match l.kind {
                    LinkKind::FinishToStart => end_cap = end_cap.min(lim),
                    LinkKind::StartToStart => start_cap = start_cap.min(lim),
                }
            }
            // Lift `a` and its spans out of the profile.
            hold(p, &mut usage, a, m0, s0, e0, -1);
            for &si in &spans_of[a] {
                let sp = &p.spans[si];
                let (f, t) = (out.starts[sp.first], end(&out, sp.last));
                span_hold(&mut usage, sp.resource, sp.amount, f, t, -1);
            }
            let span_fits = |usage: &[Vec<u64>], st: Day, e: Day| {
                spans_of[a].iter().all(|&si| {
                    let sp = &p.spans[si];
                    let f = if sp.first == a {
                        st
                    } else {
                        out.starts[sp.first]
                    };
                    let t = if sp.last == a { e } else { end(&out, sp.last) };
                    let cap = p.resources[sp.resource].capacity as u64;
                    f <= t
                        && (f..t.min(p.horizon))
                            .all(|d| usage[sp.resource][d as usize] + sp.amount as u64 <= cap)
                })
            };
            let mut best = (old, m0, s0, e0);
            for m in 0..act.modes.len() {
                for st in lo..=start_cap.min(p.horizon) {
                    let Some(e) = p.end(a, m, st) else {
                        continue;
                    };
                    if e > end_cap || e > p.horizon {
                        continue;
                    }
                    let v = value(m, st, e);
                    // Strictly cheaper, or as cheap and ending earlier
                    // (room for the work after it).
                    let better = v < best.0 || (v == best.0 && e < best.3);
                    if better && fits(p, &usage, a, m, st, e) && span_fits(&usage, st, e) {
                        best = (v, m, st, e);
                    }
                }
            }
            let (_, m, st, e) = best;
            if (m, st) != (m0, s0) {
                out.modes[a] = m;
                out.starts[a] = st;
                moves += 1;
                changed = true;
            }
            hold(p, &mut usage, a, m, st, e, 1);
            for &si in &spans_of[a] {
                let sp = &p.spans[si];
                let (f, t) = (out.starts[sp.first], end(&out, sp.last));
                span_hold(&mut usage, sp.resource, sp.amount, f, t, 1);
            }
        }
        if !changed {
            break;
        }
    }
    (out, moves)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// `after` is no worse than `before` on any level of the score.
    pub(crate) fn assert_no_level_worse(before: &Score, after: &Score) {
        assert!(after.weighted_lateness <= before.weighted_lateness);
        assert!(after.node_lateness <= before.node_lateness);
        assert!(after.makespan <= before.makespan);
        assert!(after.cost <= before.cost);
        assert!(after.value <= before.value);
    }
    use crate::schedule::milp::check_schedule;
    use crate::schedule::milp::tests::{fs, job, problem};
    use crate::schedule::problem::*;
    use crate::schedule::rng::Rng;

    /// A mode that may start on any day but whose calendar span grows by
    /// `slow` days when it runs across day 10 (a holiday block).
    fn holiday_timing(work: u32, horizon: Day) -> Timing {
        Timing::Table(
            (0..=horizon)
                .map(|s| {
                    let e = if s < 10 && s + work > 10 {
                        s + work + 3
                    } else {
                        s + work
                    };
                    if e <= horizon {
                        e
                    } else {
                        Timing::NO_START
                    }
                })
                .collect(),
        )
    }

    fn costed(p: &mut Problem) {
        let h = p.horizon;
        for act in &mut p.activities {
            for m in &mut act.modes {
                if let Timing::Fixed(d) = m.timing {
                    m.timing = holiday_timing(d, h);
                }
                m.cost_per_day = 1;
            }
        }
        p.objective = Objective::lexicographic(p);
    }

    #[test]
    fn work_moves_off_the_holiday_without_moving_the_finish() {
        // a (4 d) then b (3 d) on one crew, released on day 10, and c (2 d)
        // alone, released on day 5: c started on day 9 straddles the holiday
        // (span 5); started on day 5 it costs 2 and ends earliest.
        let mut p = problem(
            30,
            &[1],
            vec![
                job("a", 4, &[(0, 1)]),
                job("b", 3, &[(0, 1)]),
                job("c", 2, &[]),
            ],
            vec![fs(0, 1, 0)],
        );
        costed(&mut p);
        p.activities[0].release = 10;
        p.activities[2].release = 5;
        let s = Schedule {
            starts: vec![10, 14, 9],
            modes: vec![0; 3],
        };
        check_schedule(&p, &s).unwrap();
        let before = p.score(&s);
        let (t, moves) = compact(&p, &s, 5);
        check_schedule(&p, &t).unwrap();
        let after = p.score(&t);
        assert!(moves >= 1);
        assert_eq!(after.makespan, before.makespan);
        assert_eq!(after.cost, before.cost - 3);
        assert_eq!(t.starts, vec![10, 14, 5]);
    }

    /// Random layered problems with two crews, a trench span and due groups:
    /// compaction keeps every link, crew and trench limit, never raises
    /// lateness, node lateness or the finish, and never adds crew-days.
    #[test]
    fn compaction_keeps_feasibility_and_never_adds_crew_days() {
        let mut rng = Rng::new(7);
        let mut improved = 0;
        for _ in 0..40 {
            let n = 12;
            let jobs = (0..n)
                .map(|i| {
                    let d = 1 + (rng.next_u64() % 5) as u32;
                    let r = (rng.next_u64() % 2) as usize;
                    job(&format!("j{i}"), d, &[(r, 1)])
                })
                .collect();
            let mut links = Vec::new();
            for i in 1..n {
                if rng.next_u64().is_multiple_of(2) {
                    let j = (rng.next_u64() % i as u64) as usize;
                    links.push(fs(j, i, (rng.next_u64() % 2) as i32));
                }
            }
            let mut p = problem(80, &[2, 1, 1], jobs, links);
            // A second mode on the other crew, one day slower.
            for a in 0..n {
                let mut m = p.activities[a].modes[0].clone();
                let (r, u) = m.demands[0];
                m.demands = vec![(1 - r, u)];
                if let Timing::Fixed(d) = m.timing {
                    m.timing = Timing::Fixed(d + 1);
                }
                p.activities[a].modes.push(m);
            }
            p.spans = vec![Span {
                first: 0,
                last: n - 1,
                resource: 2,
                amount: 1,
            }];
            p.links.push(fs(0, n - 1, 0));
            p.groups = vec![
                DueGroup {
                    name: "st".into(),
                    weight: 3,
                    due: 12,
                    members: vec![n / 2, n / 3],
                    level: Level::Households,
                },
                DueGroup {
                    name: "node".into(),
                    weight: 1,
                    due: 20,
                    members: vec![n - 2],
                    level: Level::Node,
                },
            ];
            costed(&mut p);
            // A feasible but loose schedule: the serial order with gaps.
            let order = p.topological_order().unwrap();
            let mut s = Schedule {
                starts: vec![0; n],
                modes: (0..n).map(|_| (rng.next_u64() % 2) as usize).collect(),
            };
            let mut t = 0;
            for a in order {
                // At least the largest lag (1) between consecutive starts.
                t += 1 + (rng.next_u64() % 2) as Day;
                s.starts[a] = t;
                t = p.end(a, s.modes[a], t).unwrap();
            }
            check_schedule(&p, &s).unwrap();
            let before = p.score(&s);
            let (c, _) = compact(&p, &s, 10);
            check_schedule(&p, &c).unwrap();
            let after = p.score(&c);
            assert_no_level_worse(&before, &after);
            improved += (after.cost < before.cost) as usize;
        }
        // The loose schedules leave room: most instances gain.
        assert!(improved >= 20, "only {improved} of 40 improved");
    }
}
