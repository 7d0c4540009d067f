//! A lateness bound that sees each crew as a machine: the linear
//! relaxation of a time-indexed model of one crew type's work.
//!
//! The layered bound of [`super::lateness`] counts work against capacity
//! over intervals, as if a crew's work could be spread over all its crews
//! and split at will. When stations wait for a few crews, that is far too
//! kind: six crews each finishing a 20-day job late cannot share the
//! work out in six-day pieces, and each crew's second late job waits for its
//! first. A time-indexed model knows this. For one *crew cluster* (the
//! resources that some activity may choose between, e.g. every contractor's
//! station MEP crews), take every activity all of whose modes hold a
//! resource of the cluster, and a variable `x[a, m, s]` for each of its
//! modes `m` and starts `s` in its time window. Then
//!
//! * `Σ_{m,s} x[a, m, s] = 1` for every activity `a`;
//! * for every resource `r` of the cluster and day `t`, the units of `r` the
//!   columns running on `t` hold (their calendar ends, so a start before a
//!   holiday or in the rainy season holds the crew longer) stay within
//!   `r`'s capacity — a row only where the columns could exceed it;
//! * each due group is charged through one activity of the cluster, its
//!   *representative*: the member, or the predecessor closest to a member
//!   through finish-to-start links. The group cannot end before the
//!   representative's end plus the longest finish-to-start path from there
//!   to a member's end at the shortest durations (the *tail*, e.g. a
//!   station's commissioning after its MEP works), so the column costs
//!   `weight × max(0, end + tail − due)`.
//!
//! Every feasible schedule gives an integral point of this model (the
//! activities outside the cluster, the other links and the trench limits
//! are simply left out) at a cost no more than its weighted lateness, so
//! the linear program's optimum is a lower bound; HiGHS solves it, and only
//! an optimal solve counts (less a margin for its tolerances, then rounded
//! up: every schedule's lateness is an integer).
//! Time-indexed relaxations are strong: each column is a whole job on one
//! crew, so the relaxation cannot spread a job over the crews. The bound is
//! the best over the clusters small enough to solve (see [`MAX_ENTRIES`]).

use super::super::problem::{Day, Problem};
use super::super::window::Windows;

/// Largest model (non-zero entries) solved for one cluster.
const MAX_ENTRIES: usize = 3_000_000;
/// Least share of a cluster's capacity up to the latest due day that its
/// work must fill for its model to be solved.
const MIN_LOAD: f64 = 0.9;
/// Simplex iterations allowed for one cluster: the bound must not depend on
/// the machine's speed, so the limit is counted in iterations.
const MAX_ITERATIONS: i32 = 400_000;

/// The best time-indexed bound on the weighted lateness of `p`'s due
/// groups over its crew clusters (0 when no cluster's model is solved).
///
/// The solves take seconds on a programme of a few hundred activities, and
/// the solver asks for the bound of the same problem several times (the
/// search's threads, the report): each distinct problem is solved once per
/// process, and a second caller waits for the first's answer.
#[cfg(feature = "solver")]
pub(super) fn crew_bound(p: &Problem, w: &Windows) -> u64 {
    use std::collections::HashMap;
    use std::hash::{Hash, Hasher};
    use std::sync::Mutex;
    static SOLVED: Mutex<Option<HashMap<u64, u64>>> = Mutex::new(None);
    if p.groups
        .iter()
        .all(|g| g.weight == 0 || g.members.is_empty())
    {
        return 0;
    }
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    serde_json::to_string(p)
        .unwrap_or_default()
        .hash(&mut hasher);
    format!("{w:?}").hash(&mut hasher);
    let key = hasher.finish();
    let mut solved = SOLVED.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(&known) = solved.get_or_insert_with(HashMap::new).get(&key) {
        return known;
    }
    let (best, cut) = super::noting_give_up(|| {
        clusters(p)
            .iter()
            .filter_map(|cluster| cluster_bound(p, w, cluster))
            .max()
            .unwrap_or(0)
    });
    // A solve cut short by the time limit is valid but weaker than the
    // problem's bound: kept only when every cluster ran to its end, so that
    // a later caller with more time (the report) solves it again.
    if !cut {
        solved.get_or_insert_with(HashMap::new).insert(key, best);
    }
    best
}

/// Without the solver, no time-indexed bound.
#[cfg(not(feature = "solver"))]
pub(super) fn crew_bound(_p: &Problem, _w: &Windows) -> u64 {
    0
}

/// The resource clusters: resources joined when one activity's modes hold
/// both (union of every mode's demands), each as a membership mask.
fn clusters(p: &Problem) -> Vec<Vec<bool>> {
    let nr = p.resources.len();
    let mut parent: Vec<usize> = (0..nr).collect();
    fn root(parent: &mut [usize], mut r: usize) -> usize {
        while parent[r] != r {
            parent[r] = parent[parent[r]];
            r = parent[r];
        }
        r
    }
    for act in &p.activities {
        let mut first = None;
        for m in &act.modes {
            for &(r, _) in &m.demands {
                match first {
                    None => first = Some(r),
                    Some(f) => {
                        let (a, b) = (root(&mut parent, f), root(&mut parent, r));
                        parent[a] = b;
                    }
                }
            }
        }
    }
    let mut by_root: Vec<Vec<bool>> = Vec::new();
    let mut index = vec![usize::MAX; nr];
    for r in 0..nr {
        let top = root(&mut parent, r);
        if index[top] == usize::MAX {
            index[top] = by_root.len();
            by_root.push(vec![false; nr]);
        }
        by_root[index[top]][r] = true;
    }
    by_root
}

/// Per due group, the longest finish-to-start path (lags plus the shortest
/// durations of the activities after the first) from the end of each
/// activity to the end of one of the group's members; `None` where no such
/// path exists. A member's own tail is at least 0.
pub(super) fn tails_to(p: &Problem, order: &[usize], members: &[usize]) -> Vec<Option<i64>> {
    let n = p.activities.len();
    let mut tail: Vec<Option<i64>> = vec![None; n];
    for &a in members {
        tail[a] = Some(0);
    }
    let out = p.out_links();
    let shortest: Vec<i64> = p
        .activities
        .iter()
        .map(|act| {
            act.modes
                .iter()
                .map(|m| m.timing.min_duration() as i64)
                .min()
                .unwrap_or(0)
        })
        .collect();
    for &a in order.iter().rev() {
        for &li in &out[a] {
            let l = &p.links[li];
            if l.kind != super::super::problem::LinkKind::FinishToStart {
                continue;
            }
            if let Some(t) = tail[l.to] {
                let via = l.lag as i64 + shortest[l.to] + t;
                tail[a] = Some(tail[a].map_or(via, |x| x.max(via)));
            }
        }
    }
    tail
}

/// The time-indexed bound of one cluster, `None` when the model is too
/// large, charges no group, or HiGHS does not prove its optimum.
#[cfg(feature = "solver")]
fn cluster_bound(p: &Problem, w: &Windows, cluster: &[bool]) -> Option<u64> {
    use highs::{ColProblem, HighsModelStatus, Sense};
    let held: Vec<usize> = (0..p.activities.len())
        .filter(|&a| {
            let modes = &p.activities[a].modes;
            !modes.is_empty()
                && modes
                    .iter()
                    .all(|m| m.demands.iter().any(|&(r, u)| cluster[r] && u > 0))
        })
        .collect();
    if held.is_empty() {
        return None;
    }
    let order = p.topological_order()?;
    let mut is_held = vec![false; p.activities.len()];
    held.iter().for_each(|&a| is_held[a] = true);
    // Representatives: per group the held activity with the shortest tail.
    let mut charges: Vec<Vec<(u64, i64)>> = vec![Vec::new(); p.activities.len()];
    for g in p.groups.iter().filter(|g| g.weight > 0) {
        let tails = tails_to(p, &order, &g.members);
        let rep = held
            .iter()
            .filter_map(|&a| tails[a].map(|t| (t, a)))
            .min_by_key(|&(t, a)| (t, a));
        if let Some((t, a)) = rep {
            charges[a].push((g.weight, t - g.due as i64));
        }
    }
    if charges.iter().all(|c| c.is_empty()) {
        return None;
    }
    // Only a cluster loaded near or beyond its capacity before the latest
    // due day is worth the solve: elsewhere the crews leave room and the
    // layered bound sees what the precedences force.
    let due = p.groups.iter().map(|g| g.due).max().unwrap_or(0) as u64;
    let capacity: u64 = (0..p.resources.len())
        .filter(|&r| cluster[r])
        .map(|r| p.resources[r].capacity as u64)
        .sum();
    let work: u64 = held
        .iter()
        .map(|&a| {
            p.activities[a]
                .modes
                .iter()
                .map(|m| {
                    let units: u64 = m
                        .demands
                        .iter()
                        .filter(|d| cluster[d.0])
                        .map(|d| d.1 as u64)
                        .sum();
                    units * m.timing.min_duration() as u64
                })
                .min()
                .unwrap_or(0)
        })
        .sum();
    if (work as f64) < MIN_LOAD * (capacity * due) as f64 {
        return None;
    }
    // Columns (activity, mode, start, end) in the windows.
    let horizon = p.horizon as usize;
    let columns: Vec<(usize, usize, Day, Day)> = held
        .iter()
        .flat_map(|&a| {
            let act = &p.activities[a];
            (0..act.modes.len()).flat_map(move |m| {
                (w.es[a]..=w.ls[a]).filter_map(move |s| {
                    let e = act.modes[m].timing.end(s)?;
                    (e <= w.lf[a] && e <= p.horizon).then_some((a, m, s, e))
                })
            })
        })
        .collect();
    // Rows only where the columns could exceed a capacity: the most any
    // activity can hold on a day, summed, against the capacity.
    let nr = p.resources.len();
    let mut most = vec![vec![0u64; horizon + 1]; nr];
    {
        let mut mine = vec![vec![0u64; horizon + 1]; nr];
        let mut last = usize::MAX;
        let flush = |mine: &mut Vec<Vec<u64>>, most: &mut Vec<Vec<u64>>| {
            for (row, acc) in mine.iter_mut().zip(most.iter_mut()) {
                for (x, y) in row.iter_mut().zip(acc.iter_mut()) {
                    *y += *x;
                    *x = 0;
                }
            }
        };
        for &(a, m, s, e) in &columns {
            if a != last {
                flush(&mut mine, &mut most);
                last = a;
            }
            for &(r, u) in &p.activities[a].modes[m].demands {
                if cluster[r] {
                    for d in s..e {
                        let x = &mut mine[r][d as usize];
                        *x = (*x).max(u as u64);
                    }
                }
            }
        }
        flush(&mut mine, &mut most);
    }
    let binding = |r: usize, d: Day| most[r][d as usize] > p.resources[r].capacity as u64;
    let entries: usize = columns
        .iter()
        .map(|&(a, m, s, e)| {
            1 + p.activities[a].modes[m]
                .demands
                .iter()
                .filter(|&&(r, _)| cluster[r])
                .map(|&(r, _)| (s..e).filter(|&d| binding(r, d)).count())
                .sum::<usize>()
        })
        .sum();
    if entries > MAX_ENTRIES {
        return None;
    }
    // No column late: nothing to bound.
    let late = |a: usize, e: Day| charges[a].iter().any(|&(_, off)| e as i64 + off > 0);
    if !columns.iter().any(|&(a, _, _, e)| late(a, e)) {
        return None;
    }
    let mut lp = ColProblem::default();
    let mut assign = vec![None; p.activities.len()];
    for &a in &held {
        assign[a] = Some(lp.add_row(1.0..=1.0));
    }
    let mut rows = vec![vec![None; horizon + 1]; nr];
    for r in (0..nr).filter(|&r| cluster[r]) {
        for d in 0..p.horizon {
            if binding(r, d) {
                rows[r][d as usize] = Some(lp.add_row(..=p.resources[r].capacity as f64));
            }
        }
    }
    for &(a, m, s, e) in &columns {
        let cost: f64 = charges[a]
            .iter()
            .map(|&(weight, offset)| weight as f64 * (e as i64 + offset).max(0) as f64)
            .sum();
        let mut factors = vec![(assign[a]?, 1.0)];
        for &(r, u) in &p.activities[a].modes[m].demands {
            if cluster[r] {
                factors.extend((s..e).filter_map(|d| Some((rows[r][d as usize]?, u as f64))));
            }
        }
        lp.add_column(cost, 0.0..=1.0, factors);
    }
    let mut model = lp.optimise(Sense::Minimise);
    model.make_quiet();
    model.try_set_option("threads", 1).ok()?;
    crate::schedule::highs_adapter::use_threads(1);
    // The interior point method with crossover: several times faster than
    // the simplex on these degenerate time-indexed models.
    model.try_set_option("solver", "ipm").ok()?;
    model
        .try_set_option("simplex_iteration_limit", MAX_ITERATIONS)
        .ok()?;
    // HiGHS cannot see this thread's give-up instant: it gets the time left
    // as its limit (the interior point method on a large cluster runs for
    // many seconds), and a solve cut short counts as giving up.
    if let Some(left) = super::time_left() {
        if super::out_of_time() {
            return None;
        }
        model
            .try_set_option("time_limit", left.as_secs_f64())
            .ok()?;
    }
    let solved = model.try_solve().ok()?;
    if solved.status() == HighsModelStatus::ReachedTimeLimit {
        super::mark_gave_up();
    }
    if solved.status() != HighsModelStatus::Optimal {
        return None;
    }
    let value = solved.objective_value();
    // Every schedule's weighted lateness is an integer at least the
    // optimum, so the optimum less HiGHS's tolerance, rounded up, is a bound.
    let safe = (value - 1e-6 * value.abs().max(1.0)).ceil();
    (safe > 0.0).then_some(safe as u64)
}

#[cfg(all(test, feature = "solver"))]
mod tests {
    use super::super::lateness::lateness_bound;
    use super::super::{energy::span_works, level_bounds};
    use super::*;
    use crate::schedule::check::violations;
    use crate::schedule::problem::*;
    use crate::schedule::rng::Rng;

    /// `days` per job on one resource of `crews` units (or one crew each of
    /// two resources, the job's mode choosing one), each job its own
    /// station of weight `weights[i]` due on `due`.
    fn jobs(days: &[Day], weights: &[u64], crews: u32, due: Day, two: bool) -> Problem {
        let mode = |r: usize, d: Day| Mode {
            label: format!("r{r}"),
            demands: vec![(r, 1)],
            timing: Timing::Fixed(d),
            cost_per_day: 0,
        };
        Problem {
            name: "jobs".into(),
            horizon: days.iter().sum::<Day>() + due,
            resources: (0..if two { 2 } else { 1 })
                .map(|r| Resource {
                    name: format!("r{r}"),
                    capacity: if two { 1 } else { crews },
                })
                .collect(),
            activities: days
                .iter()
                .enumerate()
                .map(|(i, &d)| Activity {
                    name: format!("a{i}"),
                    modes: if two {
                        vec![mode(0, d), mode(1, d)]
                    } else {
                        vec![mode(0, d)]
                    },
                    release: 0,
                })
                .collect(),
            links: vec![],
            spans: vec![],
            groups: weights
                .iter()
                .enumerate()
                .map(|(i, &weight)| DueGroup {
                    name: format!("g{i}"),
                    weight,
                    due,
                    members: vec![i],
                    level: Level::Households,
                })
                .collect(),
            objective: Objective {
                lateness: 1,
                finish: 0,
                cost: 0,
                node: 0,
            },
            baseline: None,
        }
    }

    /// The least weighted lateness over every order of the jobs on the
    /// first free crew (list scheduling of every permutation: for jobs
    /// released together, some order's list schedule is optimal).
    fn least_by_orders(p: &Problem) -> u64 {
        let n = p.activities.len();
        let mut order: Vec<usize> = (0..n).collect();
        let mut best = u64::MAX;
        fn permute(p: &Problem, k: usize, order: &mut Vec<usize>, best: &mut u64) {
            if k == order.len() {
                let crews = p.resources.iter().map(|r| r.capacity).sum::<u32>() as usize;
                let mut free = vec![0 as Day; crews];
                let mut s = Schedule {
                    starts: vec![0; order.len()],
                    modes: vec![0; order.len()],
                };
                for &a in order.iter() {
                    let (c, &t) = free.iter().enumerate().min_by_key(|&(_, &t)| t).unwrap();
                    s.starts[a] = t;
                    if p.resources.len() > 1 {
                        s.modes[a] = c;
                    }
                    free[c] = p.end(a, s.modes[a], t).unwrap();
                }
                assert!(violations(p, &s).is_empty());
                *best = (*best).min(p.score(&s).weighted_lateness);
                return;
            }
            for i in k..order.len() {
                order.swap(k, i);
                permute(p, k + 1, order, best);
                order.swap(k, i);
            }
        }
        permute(p, 0, &mut order, &mut best);
        best
    }

    #[test]
    fn whole_jobs_on_two_crews_are_late_one_after_another() {
        // Four 3-day jobs, two crews, all due on day 3: two end on day 3,
        // two on day 6, 3 + 3 = 6 days late. The layered bound lets the
        // overflow leave in pieces (2 + 2 + 1 = 5); whole jobs say 6, for
        // two crews of one resource as for one crew each of two resources.
        for two in [false, true] {
            let p = jobs(&[3, 3, 3, 3], &[1, 1, 1, 1], 2, 3, two);
            let w = Windows::compute(&p).unwrap();
            assert_eq!(least_by_orders(&p), 6);
            assert_eq!(lateness_bound(&p, &w, &span_works(&p)), 5);
            assert_eq!(crew_bound(&p, &w), 6);
            assert_eq!(level_bounds(&p).unwrap().households, 6);
        }
    }

    #[test]
    fn a_solve_cut_short_gives_up_and_is_not_kept_for_later_callers() {
        // Weights no other test uses: the process-wide record of solved
        // problems has not seen this one.
        let p = jobs(&[3, 3, 3, 3], &[2, 3, 5, 7], 2, 3, false);
        let w = Windows::compute(&p).unwrap();
        let now = std::time::Instant::now();
        let (cut, complete) = super::super::within(now, || crew_bound(&p, &w));
        assert!(!complete, "a solve past its give-up instant says so");
        assert_eq!(cut, 0);
        // A caller with time solves it again rather than reading the 0.
        let full = crew_bound(&p, &w);
        assert!(full > 0 && full <= least_by_orders(&p), "{full}");
    }

    #[test]
    fn the_crew_bound_never_exceeds_the_least_lateness_of_small_programmes() {
        let mut rng = Rng::new(22);
        let (mut matched, mut above_layers) = (0, 0);
        for _ in 0..60 {
            let n = 3 + rng.below(3);
            let days: Vec<Day> = (0..n).map(|_| 1 + rng.below(5) as Day).collect();
            let weights: Vec<u64> = (0..n).map(|_| 1 + rng.below(9) as u64).collect();
            let two = rng.below(2) == 0;
            let crews = 1 + rng.below(2) as u32;
            let due = 1 + rng.below(6) as Day;
            let p = jobs(&days, &weights, crews, due, two);
            let w = Windows::compute(&p).unwrap();
            let least = least_by_orders(&p);
            let bound = crew_bound(&p, &w);
            assert!(bound <= least, "{bound} > {least} for {p:#?}");
            let layers = lateness_bound(&p, &w, &span_works(&p));
            assert!(level_bounds(&p).unwrap().households <= least);
            matched += usize::from(bound == least && least > 0);
            above_layers += usize::from(bound > layers);
        }
        // The relaxation is tight on most of these and often beats the
        // layers: a check that it is computed at all.
        assert!(
            matched >= 20 && above_layers >= 5,
            "{matched} {above_layers}"
        );
    }
}
