//! Energy reasoning for the lower bound: whether the work that must fall in
//! an interval of days fits the capacity of a set of resources.
//!
//! Each activity needs at least its shortest duration (over the starts left
//! in its window) times its units of the set; an interval `[t1, t2)` must
//! hold the work of every activity whose window lies inside it, and the tail
//! `[t1, end)` the least part of every window-bound activity that must fall
//! there. Open trenches count as work on their trench resource. The sets
//! tried are each activity's resources over its modes and the unions of sets
//! that share a resource.

use super::super::capacity::backlog;
use super::super::problem::{Activity, Day, LinkKind, Mode, Problem};
use super::super::window::Windows;

/// A span (an open trench) as work for the energy checks: from the start
/// of `first` it holds `amount` units of `resource` until the end of its
/// last activity, at least `length` days (the longest path from `first`'s
/// start to the last activity's end at the shortest durations; releases
/// and resources left out).
pub(super) struct SpanWork {
    pub(super) resource: usize,
    pub(super) amount: u64,
    pub(super) first: usize,
    pub(super) length: u64,
}

/// Every span's [`SpanWork`].
pub(super) fn span_works(p: &Problem) -> Vec<SpanWork> {
    if p.spans.is_empty() {
        return Vec::new();
    }
    let Some(order) = p.topological_order() else {
        return Vec::new();
    };
    let n = p.activities.len();
    let out = p.out_links();
    let least: Vec<i64> = p
        .activities
        .iter()
        .map(|act| {
            let d = act
                .modes
                .iter()
                .map(|m| m.timing.min_duration())
                .min()
                .unwrap_or(0);
            if d == u32::MAX {
                0
            } else {
                d as i64
            }
        })
        .collect();
    p.spans
        .iter()
        .map(|sp| {
            // Least offset of each start from the start of `first`.
            let mut offset: Vec<Option<i64>> = vec![None; n];
            offset[sp.first] = Some(0);
            for &a in &order {
                let Some(o) = offset[a] else { continue };
                for &li in &out[a] {
                    let l = &p.links[li];
                    let next = match l.kind {
                        LinkKind::FinishToStart => o + least[a] + l.lag as i64,
                        LinkKind::StartToStart => o + l.lag as i64,
                    };
                    offset[l.to] = Some(offset[l.to].map_or(next, |x: i64| x.max(next)));
                }
            }
            // Without a path from `first` to the last, nothing is known.
            let to_last = offset[sp.last].map_or(0, |o| o + least[sp.last]);
            SpanWork {
                resource: sp.resource,
                amount: sp.amount as u64,
                first: sp.first,
                length: to_last.max(0) as u64,
            }
        })
        .collect()
}

impl SpanWork {
    /// The span as a job in windows `w`: (earliest start, latest end, work).
    /// It starts in `first`'s window and holds at least `length` days, so
    /// started by `first`'s latest start it holds all of that before
    /// `latest start + length` (capped at the horizon, by which it ends).
    pub(super) fn job(&self, w: &Windows, horizon: Day) -> Option<(usize, usize, u64)> {
        let end = (w.ls[self.first] as u64 + self.length).min(horizon as u64);
        (self.length > 0 && self.amount > 0).then_some((
            w.es[self.first] as usize,
            end as usize,
            self.amount * self.length,
        ))
    }
}

/// False when no schedule can finish by `q.horizon`: the windows computed
/// with that horizon do not exist, or the energy in them does not fit (see
/// [`fits_in`]).
pub(super) fn fits_by(q: &Problem, spans: &[SpanWork]) -> bool {
    let Ok(w) = Windows::compute(q) else {
        return false;
    };
    let sets = candidate_sets(q);
    fits_in(q, &w, &shortest_in(q, &w), spans, q.horizon, &sets) && fits_on_live_days(q, &w, &sets)
}

/// The energy check of [`fits_in`] counted in *live* days: for a resource
/// set, a day is dead when no mode that holds the set may start on it (a
/// rest day or holiday of every calendar the set's work follows). Summing
/// the capacity rows of the live days only is as valid as summing all of
/// them, and a job then counts the live days it holds, at least the fewest
/// over the starts in its window: its working days, where the calendar-day
/// check counts the shortest duration of its window, which with a wide
/// window skips the rest days. So when a crew's work must run through
/// Sundays and holidays, the days lost there are capacity lost too. False
/// when, for some days `[t1, t2)`, the jobs whose windows lie inside hold
/// more live crew-days than the set has live days there.
pub(super) fn fits_on_live_days(q: &Problem, w: &Windows, sets: &[Vec<usize>]) -> bool {
    let horizon = q.horizon as usize;
    let nr = q.resources.len();
    let mut inside = vec![false; nr];
    let mut by_end = vec![0u64; horizon + 2];
    for cand in sets {
        cand.iter().for_each(|&r| inside[r] = true);
        let fits = fits_set_on_live_days(q, w, &inside, cand, &mut by_end);
        cand.iter().for_each(|&r| inside[r] = false);
        if !fits {
            return false;
        }
    }
    true
}

/// [`fits_on_live_days`] for one set (its resources marked `inside`).
fn fits_set_on_live_days(
    q: &Problem,
    w: &Windows,
    inside: &[bool],
    cand: &[usize],
    by_end: &mut [u64],
) -> bool {
    use super::super::problem::Timing;
    let horizon = q.horizon as usize;
    let capacity: u64 = cand.iter().map(|&r| q.resources[r].capacity as u64).sum();
    if capacity == 0 {
        return true;
    }
    // Dead days: no mode holding the set may start on them.
    let mut dead = vec![true; horizon + 1];
    for m in q.activities.iter().flat_map(|a| &a.modes) {
        if units_inside(m, inside) == 0 {
            continue;
        }
        match &m.timing {
            Timing::Fixed(_) => return true,
            Timing::Table(t) => {
                for (d, x) in dead.iter_mut().enumerate() {
                    *x &= t.get(d).is_none_or(|&e| e == Timing::NO_START);
                }
            }
        }
    }
    if !dead.iter().any(|&x| x) {
        // Every day is live: the calendar-day check says it all.
        return true;
    }
    // live[t]: live days before day t.
    let mut live = vec![0u64; horizon + 2];
    for t in 0..=horizon {
        live[t + 1] = live[t] + u64::from(!dead[t]);
    }
    let live_in =
        |a: Day, b: Day| live[(b as usize).min(horizon + 1)] - live[(a as usize).min(horizon + 1)];
    let mut jobs: Vec<(usize, usize, u64)> = Vec::new();
    for (a, act) in q.activities.iter().enumerate() {
        let mut least: Option<u64> = None;
        let mut held = true;
        for m in &act.modes {
            let units = units_inside(m, inside);
            if units == 0 {
                held = false;
                break;
            }
            let fewest = (w.es[a]..=w.ls[a])
                .filter_map(|s| {
                    let e = m.timing.end(s).filter(|&e| e <= w.lf[a])?;
                    Some(live_in(s, e))
                })
                .min();
            if let Some(d) = fewest {
                least = Some(least.map_or(units * d, |x: u64| x.min(units * d)));
            }
        }
        if let (true, Some(work)) = (held, least) {
            if work > 0 {
                jobs.push((w.es[a] as usize, w.lf[a] as usize, work));
            }
        }
    }
    jobs.sort_unstable_by_key(|j| std::cmp::Reverse(j.0));
    every_interval_fits(&jobs, by_end, horizon, |t1, t2, _, work| {
        work <= capacity * (live[t2.min(horizon + 1)] - live[t1])
    })
}

/// The energetic sweep shared by the destructive tests: `jobs` (earliest
/// start, latest end, work), sorted latest start first, are taken one
/// start day `t1` at a time, and for every end day `t2` after it the work
/// of the jobs inside `[t1, t2)` is offered to `fits(t1, t2, next, work)`,
/// where `jobs[..next]` are the jobs starting on `t1` or later. False at
/// the first interval that does not fit. `by_end` is scratch space of at
/// least `horizon + 1` entries.
pub(super) fn every_interval_fits(
    jobs: &[(usize, usize, u64)],
    by_end: &mut [u64],
    horizon: usize,
    mut fits: impl FnMut(usize, usize, usize, u64) -> bool,
) -> bool {
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
            if !fits(t1, t2, next, work) {
                return false;
            }
        }
    }
    true
}

/// The shortest duration of each mode of each activity over the starts in
/// its window that end in it (`None`: the mode cannot start there).
pub(super) fn shortest_in(q: &Problem, w: &Windows) -> Vec<Vec<Option<u64>>> {
    (0..q.activities.len())
        .map(|a| shortest_of(q, w, a))
        .collect()
}

/// [`shortest_in`] for one activity.
pub(super) fn shortest_of(q: &Problem, w: &Windows, a: usize) -> Vec<Option<u64>> {
    q.activities[a]
        .modes
        .iter()
        .map(|m| {
            m.timing
                .shortest_within(w.es[a], w.ls[a], w.lf[a])
                .map(|d| d as u64)
        })
        .collect()
}

/// False when the windows `w` leave some resource set of `sets` too little
/// capacity: for some days `[t1, t2)`, the activities whose windows lie
/// wholly inside need more resource-days than the set has there, or, for
/// the tail days `[t1, tail_end)`, the least part every activity must spend
/// there does. Each activity counts its least `units × (end − start)` over
/// its modes and the starts in its window, so a window squeezed into the
/// rainy season counts the longer durations.
pub(super) fn fits_in(
    q: &Problem,
    w: &Windows,
    shortest: &[Vec<Option<u64>>],
    spans: &[SpanWork],
    tail_end: Day,
    sets: &[Vec<usize>],
) -> bool {
    let horizon = q.horizon as usize;
    let nr = q.resources.len();
    let mut inside = vec![false; nr];
    let mut by_end = vec![0u64; horizon + 2];
    for cand in sets {
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
                    let work = least_work(act, &shortest[a], &inside)?;
                    Some((w.es[a] as usize, w.lf[a] as usize, work))
                })
                .collect();
            jobs.extend(
                spans
                    .iter()
                    .filter(|sp| inside[sp.resource])
                    .filter_map(|sp| sp.job(w, q.horizon)),
            );
            jobs.sort_unstable_by_key(|j| std::cmp::Reverse(j.0));
            let fits = every_interval_fits(&jobs, &mut by_end, horizon, |t1, t2, _, work| {
                work <= capacity * (t2 - t1) as u64
            });
            if !fits {
                cand.iter().for_each(|&r| inside[r] = false);
                return false;
            }
            if !tails_fit(q, w, shortest, &inside, capacity, tail_end) {
                cand.iter().for_each(|&r| inside[r] = false);
                return false;
            }
        }
        cand.iter().for_each(|&r| inside[r] = false);
    }
    true
}

/// Each activity's resource set: the resources its modes use, or `None` when
/// some mode uses none.
pub(super) fn resource_sets(p: &Problem) -> Vec<Option<Vec<usize>>> {
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

/// What the level checks start from: the windows without deadlines, the
/// shortest durations in them, the spans and the resource sets tried.
#[derive(Clone, Copy)]
pub(super) struct Untightened<'a> {
    pub(super) w: &'a Windows,
    pub(super) shortest: &'a [Vec<Option<u64>>],
    pub(super) spans: &'a [SpanWork],
    pub(super) sets: &'a [Vec<usize>],
}

/// A job of a level check: (earliest start, latest end, least work) in the
/// windows with deadlines, the activity whose window bounds it, and the
/// same three in the windows without deadlines.
pub(super) type LevelJob = ((usize, usize, u64), usize, (usize, usize, u64));

/// One mode of an activity held to a resource set: units held, earliest
/// end in the window, shortest duration in the window.
pub(super) type HeldMode = (u64, u64, u64);

/// The tail intervals `[t1, tail_end)` with partial overlaps: an activity
/// started on `s` in its window holds the set on the days of
/// `[max(s, t1), min(end, tail_end))`. Started by `t1`, that is at least
/// its earliest window end (capped at `tail_end`) less `t1`; started on a
/// day `s` in `(t1, tail_end)`, at least the shorter of its shortest
/// duration in the window and `tail_end − s` (least for its last such
/// start); started on `tail_end` or later, nothing. False when the least
/// total over the activities held to the set exceeds the set's capacity on
/// the days `[t1, tail_end)`.
pub(super) fn tails_fit(
    q: &Problem,
    w: &Windows,
    shortest: &[Vec<Option<u64>>],
    inside: &[bool],
    capacity: u64,
    tail_end: Day,
) -> bool {
    let t2 = tail_end as u64;
    // Per activity held to the set: per mode (units, earliest end, shortest).
    let held: Vec<(usize, Vec<HeldMode>)> = q
        .activities
        .iter()
        .enumerate()
        .filter(|&(a, _)| w.es[a] < tail_end)
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
    for t1 in 0..tail_end {
        let mut work = 0u64;
        for (a, options) in &held {
            let (es, ls) = (w.es[*a], w.ls[*a]);
            if ls >= tail_end || w.lf[*a] <= t1 {
                // May start after the tail (or has ended before it).
                continue;
            }
            let least = options
                .iter()
                .map(|&(units, first_end, d)| {
                    let early = (es <= t1).then(|| first_end.min(t2).saturating_sub(t1 as u64));
                    let late = (ls > t1).then(|| d.min(t2 - ls as u64));
                    units * early.into_iter().chain(late).min().unwrap_or(0)
                })
                .min()
                .unwrap_or(0);
            work += least;
        }
        if work > capacity * (t2 - t1 as u64) {
            return false;
        }
    }
    true
}

/// The resource sets the energy bounds try: the distinct sets of the
/// activities and the connected unions of those that share a resource.
pub(super) fn candidate_sets(p: &Problem) -> Vec<Vec<usize>> {
    let sets = resource_sets(p);
    // Candidate sets: the distinct activity sets and their connected unions.
    let nr = p.resources.len();
    let mut parent: Vec<usize> = (0..nr).collect();
    pub(super) fn root(parent: &mut [usize], mut x: usize) -> usize {
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
    // Resources held only by spans (open trenches).
    candidates.extend(p.spans.iter().map(|sp| vec![sp.resource]));
    candidates.sort();
    candidates.dedup();
    candidates
}

/// The energetic bound on the finish over the candidate resource sets (see
/// the module documentation).
pub(super) fn energy_finish(p: &Problem, w: &Windows) -> u64 {
    let nr = p.resources.len();
    let candidates = candidate_sets(p);
    let mut best = 0u64;
    let mut inside = vec![false; nr];
    for cand in &candidates {
        cand.iter().for_each(|&r| inside[r] = true);
        let capacity: u64 = cand.iter().map(|&r| p.resources[r].capacity as u64).sum();
        if capacity > 0 {
            // (earliest start, work) of every activity held to the set.
            let jobs: Vec<(Day, u64)> = p
                .activities
                .iter()
                .enumerate()
                .filter_map(|(a, act)| {
                    let work = act
                        .modes
                        .iter()
                        .map(|m| {
                            let units = units_inside(m, &inside);
                            (units > 0).then(|| units * m.timing.min_duration() as u64)
                        })
                        .collect::<Option<Vec<u64>>>()?
                        .into_iter()
                        .min()?;
                    (work > 0).then_some((w.es[a], work))
                })
                .collect();
            for b in backlog(&jobs) {
                best = best.max(b.from as u64 + b.work.div_ceil(capacity));
            }
        }
        cand.iter().for_each(|&r| inside[r] = false);
    }
    best
}

/// The activities every mode of which holds some of the resources marked
/// `inside`, each with its modes' units there (`(mode, units)`): the jobs
/// an energy test on that set must place.
pub(super) fn held_modes(p: &Problem, inside: &[bool]) -> Vec<(usize, Vec<(usize, u64)>)> {
    p.activities
        .iter()
        .enumerate()
        .filter_map(|(a, act)| {
            let modes: Vec<(usize, u64)> = act
                .modes
                .iter()
                .enumerate()
                .map(|(mi, m)| (mi, units_inside(m, inside)))
                .collect();
            (!modes.is_empty() && modes.iter().all(|&(_, u)| u > 0)).then_some((a, modes))
        })
        .collect()
}

/// Units of mode `m` on the resources marked `inside`.
pub(super) fn units_inside(m: &Mode, inside: &[bool]) -> u64 {
    m.demands
        .iter()
        .filter(|d| inside[d.0])
        .map(|d| d.1 as u64)
        .sum()
}

/// The least work (units × shortest duration) activity `act` must do on the
/// resources marked `inside`, over its modes with the shortest durations in
/// `row` (`None`: the mode cannot start in its window). `None` when some
/// mode needs nothing of the set (the activity is not held to it) or no mode
/// can start.
pub(super) fn least_work(act: &Activity, row: &[Option<u64>], inside: &[bool]) -> Option<u64> {
    act.modes
        .iter()
        .zip(row)
        .map(|(m, &shortest)| {
            let units = units_inside(m, inside);
            match shortest {
                None => Some(u64::MAX),
                Some(d) => (units > 0).then_some(units * d),
            }
        })
        .collect::<Option<Vec<u64>>>()?
        .into_iter()
        .min()
        .filter(|&work| work > 0 && work < u64::MAX)
}
