//! A lower bound on the objective without solving anything.
//!
//! Cheap and always valid: it is what every result's gap is measured against
//! until the integer program proves a better bound.
//!
//! The finish is bounded by the critical path and by energy: for a set `R`
//! of resources, every activity all of whose modes need some unit of `R`
//! must spend at least its smallest `units × duration` inside `R`, whose
//! capacity per day is the sum of the capacities in `R`. Since none of those
//! activities starts before its earliest start, the work of the ones starting
//! at `t` or later cannot be done before `t + work / capacity`. The sets
//! tried are each activity's resources over all its modes (one crew type of
//! the contractors allowed for it), and the unions of the sets that share a
//! resource (e.g. every testing crew of every contractor): a multi-mode
//! activity counts fully against the contractors that may do it, where the
//! per-resource bound could not count it at all.
//!
//! A destructive step then raises the finish: a candidate finish day `T` is
//! refuted when the windows recomputed with `T` as the horizon do not exist,
//! or when in them some resource set has too little capacity — for the days
//! `[t1, t2)` against the activities whose windows lie wholly inside, and
//! for the tail days `[t1, T)` against the least part of every window-bound
//! activity that must fall there. Durations come from the calendar tables
//! over the starts left in each window, so a late finish squeezing work into
//! the rainy season counts the longer durations there. Refutation weakens
//! as `T` grows (the windows only widen), so the first unrefuted `T` is
//! found by bisection. Every step drops constraints (spans, the exact
//! placement) and never adds one, so the bound stays valid.
//!
//! Cost and baseline deviation fall as the finish may come later: for each
//! finish day `T` from the finish bound on, the windows with `T` as horizon
//! bound each activity's crew-days by its cheapest mode and start in them,
//! and the bound is the least total over `T`. The sweep stops once the
//! finish weight alone outweighs the best total found.

use super::problem::{Day, Problem};
use super::window::{WindowError, Windows};

/// A valid lower bound on `p.score(..).value` of every feasible schedule:
/// the critical path and, per resource, the total work over the capacity
/// bound the finish; the earliest ends bound each group's lateness. The cost
/// and the baseline deviation depend on how late the project may finish, so
/// the bound is the least, over every finish day `T` from the finish bound to
/// the horizon, of `T`'s weight plus the cost and deviation bounds in the
/// windows computed with `T` as the horizon (see [`cost_in_windows`]).
/// Fails when the time windows show the problem infeasible.
pub fn lower_bound(p: &Problem) -> Result<u64, WindowError> {
    let w = Windows::compute(p)?;
    let finish = finish_bound(p, &w);
    let lateness: u64 = p
        .groups
        .iter()
        .map(|g| {
            let fin = g.members.iter().map(|&a| w.ef[a]).max().unwrap_or(0);
            g.weight * fin.saturating_sub(g.due) as u64
        })
        .sum();
    let o = p.objective;
    let fixed = o.lateness * lateness;
    // Cost and deviation only fall as the finish may come later, so the
    // horizon's figures bound every finish; with them the sweep over finish
    // days stops once the finish alone costs more than the best found.
    let at = |w: &Windows| o.cost * cost_in_windows(p, w) + deviation_in_windows(p, w);
    let floor = at(&w);
    let mut q = p.clone();
    let finish = destructive_finish(&mut q, finish);
    if o.cost == 0 && p.baseline.is_none() {
        return Ok(fixed + o.finish * finish + floor);
    }
    let mut best = fixed + o.finish * p.horizon.max(finish as Day) as u64 + floor;
    for t in finish..p.horizon as u64 {
        if fixed + o.finish * t + floor >= best {
            break;
        }
        q.horizon = t as Day;
        // No window with horizon `t`: no schedule finishes by day `t`.
        if let Ok(wt) = Windows::compute(&q) {
            best = best.min(fixed + o.finish * t + at(&wt));
        }
    }
    Ok(best)
}

/// The first finish day `T >= from` that [`fits_by`] does not refute, found
/// by bisection (refutation only weakens as `T` grows: the windows widen);
/// `q.horizon` + 1 when even the horizon is refuted. `q` is a copy of the
/// problem whose horizon this changes.
fn destructive_finish(q: &mut Problem, from: u64) -> u64 {
    let horizon = q.horizon as u64;
    if from >= horizon {
        return from;
    }
    // Invariant: every T < lo is refuted; hi is not refuted (or is horizon + 1).
    let (mut lo, mut hi) = (from, horizon + 1);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        q.horizon = mid as Day;
        if fits_by(q) {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    q.horizon = horizon as Day;
    lo
}

/// False when no schedule can finish by `q.horizon`: the windows computed
/// with that horizon do not exist, or, for some resource set and some days
/// `[t1, t2)`, the activities whose windows lie wholly inside need more
/// resource-days than the set has there. Each activity counts its least
/// `units × (end − start)` over its modes and the starts in its window, so
/// a window squeezed into the rainy season counts the longer durations.
fn fits_by(q: &Problem) -> bool {
    let Ok(w) = Windows::compute(q) else {
        return false;
    };
    let horizon = q.horizon as usize;
    let nr = q.resources.len();
    let mut inside = vec![false; nr];
    // Shortest duration of each mode over the starts in the window.
    let shortest: Vec<Vec<Option<u64>>> = q
        .activities
        .iter()
        .enumerate()
        .map(|(a, act)| {
            act.modes
                .iter()
                .map(|m| {
                    m.timing
                        .shortest_within(w.es[a], w.ls[a], w.lf[a])
                        .map(|d| d as u64)
                })
                .collect()
        })
        .collect();
    let mut by_end = vec![0u64; horizon + 2];
    for cand in &candidate_sets(q) {
        cand.iter().for_each(|&r| inside[r] = true);
        let capacity: u64 = cand.iter().map(|&r| q.resources[r].capacity as u64).sum();
        if capacity > 0 {
            // (earliest start, latest end, least work) of every activity
            // held to the set.
            let mut jobs: Vec<(usize, usize, u64)> = q
                .activities
                .iter()
                .enumerate()
                .filter_map(|(a, act)| {
                    let work = act
                        .modes
                        .iter()
                        .enumerate()
                        .map(|(mi, m)| {
                            let units: u64 = m
                                .demands
                                .iter()
                                .filter(|d| inside[d.0])
                                .map(|d| d.1 as u64)
                                .sum();
                            // A mode that cannot start in the window is no
                            // option; a mode outside the set makes no claim.
                            match shortest[a][mi] {
                                None => Some(u64::MAX),
                                Some(d) => (units > 0).then_some(units * d),
                            }
                        })
                        .collect::<Option<Vec<u64>>>()?
                        .into_iter()
                        .min()?;
                    (work > 0 && work < u64::MAX).then_some((
                        w.es[a] as usize,
                        w.lf[a] as usize,
                        work,
                    ))
                })
                .collect();
            jobs.sort_unstable_by_key(|j| std::cmp::Reverse(j.0));
            by_end.iter_mut().for_each(|x| *x = 0);
            let mut next = 0;
            while next < jobs.len() {
                let t1 = jobs[next].0;
                while next < jobs.len() && jobs[next].0 == t1 {
                    by_end[jobs[next].1.min(horizon)] += jobs[next].2;
                    next += 1;
                }
                let mut work = 0u64;
                for (t2, &ending) in by_end.iter().enumerate().skip(t1 + 1) {
                    work += ending;
                    if work > capacity * (t2 - t1) as u64 {
                        cand.iter().for_each(|&r| inside[r] = false);
                        return false;
                    }
                }
            }
            if !tails_fit(q, &w, &shortest, &inside, capacity) {
                cand.iter().for_each(|&r| inside[r] = false);
                return false;
            }
        }
        cand.iter().for_each(|&r| inside[r] = false);
    }
    true
}

/// The finish bound: critical path, work per resource and the energy over
/// resource sets.
fn finish_bound(p: &Problem, w: &Windows) -> u64 {
    let mut finish = (w.critical_path_length() as u64).max(energy_finish(p, w));
    for (r, res) in p.resources.iter().enumerate() {
        let work: u64 = p
            .activities
            .iter()
            .map(|a| {
                a.modes
                    .iter()
                    .map(|m| {
                        let amt = m
                            .demands
                            .iter()
                            .filter(|d| d.0 == r)
                            .map(|d| d.1 as u64)
                            .sum::<u64>();
                        amt * m.timing.min_duration() as u64
                    })
                    .min()
                    .unwrap_or(0)
            })
            .sum();
        if res.capacity > 0 {
            finish = finish.max(work.div_ceil(res.capacity as u64));
        }
    }
    finish
}

/// The least total cost of any schedule whose starts lie in the windows:
/// per activity, the cheapest `cost_per_day × (end − start)` over its modes
/// and the starts in `[es, ls]` that end by `lf`. With calendar tables this
/// is well above the cost at the shortest duration when the windows hold
/// only rainy-season or holiday-broken starts.
pub fn cost_in_windows(p: &Problem, w: &Windows) -> u64 {
    p.activities
        .iter()
        .enumerate()
        .map(|(a, act)| {
            act.modes
                .iter()
                .filter_map(|m| {
                    m.timing
                        .shortest_within(w.es[a], w.ls[a], w.lf[a])
                        .map(|d| m.cost_per_day as u64 * d as u64)
                })
                .min()
                .unwrap_or(0)
        })
        .sum()
}

/// The baseline deviation forced by the windows: a start window that lies
/// wholly after (before) an activity's baseline start costs the shift to
/// its nearest end (0 without a baseline).
fn deviation_in_windows(p: &Problem, w: &Windows) -> u64 {
    p.baseline.as_ref().map_or(0, |b| {
        (0..p.activities.len())
            .filter_map(|a| {
                let base = b.starts[a]? as i64;
                let forced = (w.es[a] as i64 - base).max(base - w.ls[a] as i64).max(0);
                Some(b.shift_weight * forced as u64)
            })
            .sum()
    })
}

/// Each activity's resource set: the resources its modes use, or `None` when
/// some mode uses none.
fn resource_sets(p: &Problem) -> Vec<Option<Vec<usize>>> {
    p.activities
        .iter()
        .map(|a| {
            let mut set = Vec::new();
            for m in &a.modes {
                let used: Vec<usize> = m.demands.iter().filter(|d| d.1 > 0).map(|d| d.0).collect();
                if used.is_empty() {
                    return None;
                }
                set.extend(used);
            }
            set.sort_unstable();
            set.dedup();
            Some(set)
        })
        .collect()
}

/// One mode of an activity held to a resource set: units held, earliest
/// end in the window, shortest duration in the window.
type HeldMode = (u64, u64, u64);

/// The tail intervals `[t1, horizon)` with partial overlaps: an activity
/// started on `s` in its window holds the set on the days of
/// `[max(s, t1), end)`. Started by `t1`, that is at least its earliest
/// window end less `t1`; started later, at least its shortest duration in
/// the window. False when the least total over the activities held to the
/// set exceeds the set's capacity on the days left.
fn tails_fit(
    q: &Problem,
    w: &Windows,
    shortest: &[Vec<Option<u64>>],
    inside: &[bool],
    capacity: u64,
) -> bool {
    let horizon = q.horizon;
    // Per activity held to the set: per mode (units, earliest end, shortest).
    let held: Vec<(usize, Vec<HeldMode>)> = q
        .activities
        .iter()
        .enumerate()
        .filter_map(|(a, act)| {
            let mut options = Vec::new();
            for (mi, m) in act.modes.iter().enumerate() {
                let Some(d) = shortest[a][mi] else { continue };
                let units: u64 = m
                    .demands
                    .iter()
                    .filter(|d| inside[d.0])
                    .map(|d| d.1 as u64)
                    .sum();
                if units == 0 || d == 0 {
                    return None;
                }
                // The earliest end in the window (end days rise with the start).
                let first_end = (w.es[a]..=w.ls[a])
                    .find_map(|s| m.timing.end(s).filter(|&e| e <= w.lf[a]))
                    .unwrap_or(w.lf[a]) as u64;
                options.push((units, first_end, d));
            }
            (!options.is_empty()).then_some((a, options))
        })
        .collect();
    for t1 in 0..horizon {
        let mut work = 0u64;
        for (a, options) in &held {
            let (es, ls) = (w.es[*a], w.ls[*a]);
            let least = options
                .iter()
                .map(|&(units, first_end, d)| {
                    let early = (es <= t1).then(|| first_end.saturating_sub(t1 as u64));
                    let late = (ls >= t1).then_some(d);
                    units * early.into_iter().chain(late).min().unwrap_or(0)
                })
                .min()
                .unwrap_or(0);
            work += least;
        }
        if work > capacity * (horizon - t1) as u64 {
            return false;
        }
    }
    true
}

/// The resource sets the energy bounds try: the distinct sets of the
/// activities and the connected unions of those that share a resource.
fn candidate_sets(p: &Problem) -> Vec<Vec<usize>> {
    let sets = resource_sets(p);
    // Candidate sets: the distinct activity sets and their connected unions.
    let nr = p.resources.len();
    let mut parent: Vec<usize> = (0..nr).collect();
    fn root(parent: &mut [usize], mut x: usize) -> usize {
        while parent[x] != x {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        x
    }
    let mut candidates: Vec<Vec<usize>> = Vec::new();
    for set in sets.iter().flatten() {
        for &r in &set[1..] {
            let (a, b) = (root(&mut parent, set[0]), root(&mut parent, r));
            parent[a] = b;
        }
        candidates.push(set.clone());
    }
    let mut components: Vec<Vec<usize>> = vec![Vec::new(); nr];
    for r in 0..nr {
        let c = root(&mut parent, r);
        components[c].push(r);
    }
    candidates.extend(components.into_iter().filter(|c| !c.is_empty()));
    candidates.sort();
    candidates.dedup();
    candidates
}

/// The energetic bound on the finish over the candidate resource sets (see
/// the module documentation).
fn energy_finish(p: &Problem, w: &Windows) -> u64 {
    let nr = p.resources.len();
    let candidates = candidate_sets(p);
    let mut best = 0u64;
    let mut inside = vec![false; nr];
    for cand in &candidates {
        cand.iter().for_each(|&r| inside[r] = true);
        let capacity: u64 = cand.iter().map(|&r| p.resources[r].capacity as u64).sum();
        if capacity > 0 {
            // (earliest start, work) of every activity held to the set.
            let mut jobs: Vec<(u64, u64)> = p
                .activities
                .iter()
                .enumerate()
                .filter_map(|(a, act)| {
                    let work = act
                        .modes
                        .iter()
                        .map(|m| {
                            let units: u64 = m
                                .demands
                                .iter()
                                .filter(|d| inside[d.0])
                                .map(|d| d.1 as u64)
                                .sum();
                            (units > 0).then(|| units * m.timing.min_duration() as u64)
                        })
                        .collect::<Option<Vec<u64>>>()?
                        .into_iter()
                        .min()?;
                    (work > 0).then_some((w.es[a] as u64, work))
                })
                .collect();
            jobs.sort_unstable();
            let mut work_after = 0u64;
            for &(es, work) in jobs.iter().rev() {
                work_after += work;
                best = best.max(es + work_after.div_ceil(capacity));
            }
        }
        cand.iter().for_each(|&r| inside[r] = false);
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schedule::problem::*;

    /// `count` 3-day jobs, each doable by either of two single crews; all
    /// but the first two are released on day `release`.
    fn two_crews(count: usize, release: Day) -> Problem {
        let mode = |r: ResId| Mode {
            label: format!("crew{r}"),
            demands: vec![(r, 1)],
            timing: Timing::Fixed(3),
            cost_per_day: 0,
        };
        Problem {
            name: "t".into(),
            horizon: 40,
            resources: (0..2)
                .map(|r| Resource {
                    name: format!("r{r}"),
                    capacity: 1,
                })
                .collect(),
            activities: (0..count)
                .map(|i| Activity {
                    name: format!("a{i}"),
                    modes: vec![mode(0), mode(1)],
                    release: if i >= 2 { release } else { 0 },
                })
                .collect(),
            links: vec![],
            spans: vec![],
            groups: vec![],
            objective: Objective::default(),
            baseline: None,
        }
    }

    /// One crew; each activity lasts 3 days when started before day 3 and
    /// 6 days ("rainy season") when started later; ends on the horizon.
    fn rainy(count: usize, horizon: Day) -> Problem {
        let table = (0..=horizon)
            .map(|s| {
                let e = if s < 3 { s + 3 } else { s + 6 };
                if e <= horizon {
                    e
                } else {
                    Timing::NO_START
                }
            })
            .collect::<Vec<Day>>();
        let mut p = two_crews(count, 0);
        p.horizon = horizon;
        p.resources.truncate(1);
        for a in &mut p.activities {
            a.modes.truncate(1);
            a.modes[0].timing = Timing::Table(table.clone());
        }
        p
    }

    #[test]
    fn finish_days_that_squeeze_work_into_the_dry_days_are_refuted() {
        // Two jobs on one crew: 0..3 and 3..9 is optimal (9). The work at the
        // shortest duration says 6; finishing by 6, 7 or 8 would need both
        // jobs started before day 3 at 3 days each: 6 crew-days in 5 days.
        let p = rainy(2, 20);
        assert_eq!(lower_bound(&p).unwrap(), 9);
        let best = Schedule {
            starts: vec![0, 3],
            modes: vec![0, 0],
        };
        assert_eq!(p.score(&best).value, 9);
    }

    #[test]
    fn cost_counts_the_durations_left_by_the_finish() {
        // One job, costing a crew-day per day; started on day 0 it takes 3
        // days, day 1 is a rest day, from day 2 on it takes 2 days.
        let table: Vec<Day> = (0..=10)
            .map(|s| match s {
                0 => 3,
                1 => Timing::NO_START,
                s if s + 2 <= 10 => s + 2,
                _ => Timing::NO_START,
            })
            .collect();
        let mut p = two_crews(1, 0);
        p.horizon = 10;
        p.activities[0].modes.truncate(1);
        p.activities[0].modes[0].timing = Timing::Table(table);
        p.activities[0].modes[0].cost_per_day = 1;
        p.objective = Objective {
            lateness: 0,
            finish: 1,
            cost: 1,
        };
        // Start 0: 3 + 3; start 2: 4 + 2. The old bound (earliest end plus
        // the shortest duration anywhere) says 3 + 2 = 5.
        assert_eq!(lower_bound(&p).unwrap(), 6);
        for s in [0, 2] {
            let sched = Schedule {
                starts: vec![s],
                modes: vec![0],
            };
            assert_eq!(p.score(&sched).value, 6);
        }
    }

    #[test]
    fn multi_mode_work_counts_against_the_crews_that_may_do_it() {
        // 12 crew-days on 2 crews: at least 6 days (and 6 is reachable);
        // neither crew alone is bound to any of the jobs.
        assert_eq!(lower_bound(&two_crews(4, 0)).unwrap(), 6);
    }

    #[test]
    fn work_released_late_bounds_from_its_release() {
        // The four jobs released on day 5 need 6 more days on 2 crews: 11
        // (reachable), where the critical path says 8 and all the work 9.
        assert_eq!(lower_bound(&two_crews(6, 5)).unwrap(), 11);
    }
}
