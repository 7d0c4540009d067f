//! Global re-timing: every activity's start moves at once, to the cheapest
//! crew-days the plan's order of work allows, by one minimum cut.
//!
//! A crew is held on every calendar day of its activity, so the same work
//! costs more crew-days across a holiday, a stop-work day or the rainy
//! season. [`super::compact`] moves one activity at a time with everything
//! else fixed; a chain of work on one crew (or a trench and the pipe laid in
//! it) can only move together, which it cannot do. [`retime`] moves them
//! together, with the modes fixed, in three steps.
//!
//! **Resources become links.** From the feasible schedule, every resource's
//! units are handed out in order of start: each activity (and each span,
//! from the start of its first activity to the end of its last) takes as
//! many units as it demands among those already free on its start day — the
//! one freed last ([`UnitChoice::Tightest`]) or the one idle longest
//! ([`UnitChoice::Idlest`]). Each unit's work then runs in a fixed order, and
//! a finish-to-start link from every piece of work to the next one on the
//! same unit keeps the resource within its capacity whatever the starts
//! are (the resource flow of the schedule). Pinned work (a single allowed
//! start) stays where it is because it has nowhere else to go.
//!
//! **Every start as a closure.** With the modes fixed and the resources
//! turned into links, what is left is project scheduling without resources
//! and with an arbitrary cost per start: the crew-days of that start (and,
//! in a re-plan, its deviation from the baseline). Each activity may start
//! on the days its calendar allows, from its release, ending no later than
//! the plan's finish and, for every station or time node it belongs to, no
//! later than the later of the group's due day and its current completion,
//! so no household, time node or finish day is given up. Windows `[lo, hi]`
//! are narrowed by propagating the links both ways. Following Möhring,
//! Schulz, Stork and Uetz ("Solving project scheduling problems by minimum
//! cut computations", 2003), each activity is a chain of nodes `v(a,k)` for
//! "`a` starts on day `k` or later": the source is `v(a,lo)`, the sink
//! `v(a,hi+1)`, the arc `v(a,k) → v(a,k+1)` costs the start on day `k`
//! (uncuttable when `a` may not start then) and an uncuttable arc leads
//! back. A link `a → b` is "`a` starts on `k` or later, so `b` starts on
//! `f(k)` or later", `f(k)` being the earliest end (or start) of `a` from
//! `k` on plus the lag: an uncuttable arc `v(a,k) → v(b,f(k))`, one per
//! value `f` takes. Finite cuts are exactly the feasible schedules, each
//! cutting every chain once at its start, so a minimum cut is a cheapest
//! schedule. Ends must not fall when starts do, which calendar tables give;
//! a start that would end after a later one (none in the city) is dropped,
//! or, if it is the current one, the activity keeps it.
//!
//! **The cut.** A maximum flow (Dinic's, in `maxflow`) gives the minimum cut;
//! the nodes the source still reaches give each activity its start, the
//! earliest among the cheapest. The schedule is checked by the referee and
//! kept only if its score is no worse. [`improve`] alternates this with
//! [`compact`] (which may change modes and reorder work on a crew) and reads
//! the resource flow afresh from each result, alternating the unit choice,
//! while it gains. The work is bounded by the graph's size (activities ×
//! window days) and the number of rounds, not by the clock.

mod maxflow;

use super::compact::compact;
use super::problem::{Day, LinkKind, Problem, Schedule, Timing};
use maxflow::{Network, INF};

/// How the units of a resource are handed out when its flow is read off a
/// schedule: which of the units free on a start day takes the work.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnitChoice {
    /// The unit freed last (its work ends closest to the start).
    Tightest,
    /// The unit idle longest (a unit never used first).
    Idlest,
}

/// Passes of [`compact`] between two cuts in [`improve`].
const COMPACT_PASSES: usize = 3;

/// Work on one resource: from the start of its first activity to the end
/// of its last (one activity, or a span).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Held {
    start: Day,
    end: Day,
    first: usize,
    last: usize,
    units: u32,
}

/// A precedence between two activities, resource links included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Prec {
    from: usize,
    to: usize,
    /// Start-to-start (else finish-to-start).
    ss: bool,
    lag: i64,
}

/// Re-times `s` (feasible, modes kept) by one minimum cut with the resource
/// flow read off `s` by `choice`. Returns the re-timed schedule (feasible,
/// no worse by [`Problem::score`] on any level), or `None` when the graph
/// would have more than `max_nodes` nodes or `s` is not feasible.
pub fn retime(p: &Problem, s: &Schedule, choice: UnitChoice, max_nodes: usize) -> Option<Schedule> {
    let n = p.activities.len();
    if n == 0 || super::milp::check_schedule(p, s).is_err() {
        return None;
    }
    let (arcs, zero_only, fixed) = resource_links(p, s, choice)?;
    let mut arcs = arcs;
    arcs.extend(p.links.iter().map(|l| Prec {
        from: l.from,
        to: l.to,
        ss: l.kind == LinkKind::StartToStart,
        lag: l.lag as i64,
    }));
    arcs.sort();
    arcs.dedup();
    let w = Windows::new(p, s, &zero_only, &fixed, &arcs)?;
    let nodes: usize = 2 + (0..n).map(|a| (w.hi[a] - w.lo[a]) as usize).sum::<usize>();
    if nodes > max_nodes {
        return None;
    }
    let starts = min_cut_starts(p, s, &w, &arcs, nodes)?;
    let out = Schedule {
        starts,
        modes: s.modes.clone(),
    };
    let (old, new) = (p.score(s), p.score(&out));
    let no_worse = new.value <= old.value
        && new.weighted_lateness <= old.weighted_lateness
        && new.node_lateness <= old.node_lateness
        && new.makespan <= old.makespan;
    (no_worse && super::milp::check_schedule(p, &out).is_ok()).then_some(out)
}

/// Alternates [`retime`] (the unit choice alternating) and [`compact`] from
/// `s` for at most `rounds` cuts, while they gain; returns the best schedule
/// (`s` itself when nothing gains) and how many cuts ran (none when no
/// start costs anything).
pub fn improve(p: &Problem, s: &Schedule, rounds: usize, max_nodes: usize) -> (Schedule, usize) {
    let priced = p.baseline.is_some()
        || (p.activities.iter()).any(|a| a.modes.iter().any(|m| m.cost_per_day > 0));
    if !priced {
        // Every start costs nothing (PSPLIB): nothing to gain.
        return (s.clone(), 0);
    }
    let mut best = s.clone();
    let mut best_value = p.score(s).value;
    let mut idle = 0;
    let mut cuts = 0;
    for r in 0..rounds {
        let choice = if r % 2 == 0 {
            UnitChoice::Tightest
        } else {
            UnitChoice::Idlest
        };
        cuts += 1;
        let Some(t) = retime(p, &best, choice, max_nodes) else {
            break;
        };
        let (c, _) = compact(p, &t, COMPACT_PASSES);
        let v = p.score(&c).value;
        if v < best_value {
            best = c;
            best_value = v;
            idle = 0;
        } else {
            // Both unit choices gained nothing: the flow is stuck.
            idle += 1;
            if idle == 2 {
                break;
            }
        }
    }
    (best, cuts)
}

/// The finish-to-start links that keep every resource within capacity in
/// the order `s` uses its units, and which activities must stay of zero
/// duration (zero-length work on a resource: it holds no unit) or fixed
/// (the ends of an empty span).
fn resource_links(
    p: &Problem,
    s: &Schedule,
    choice: UnitChoice,
) -> Option<(Vec<Prec>, Vec<bool>, Vec<bool>)> {
    let n = p.activities.len();
    let end = |a: usize| p.end(a, s.modes[a], s.starts[a]).unwrap_or(s.starts[a]);
    let mut zero_only = vec![false; n];
    let mut fixed = vec![false; n];
    let mut work: Vec<Vec<Held>> = vec![Vec::new(); p.resources.len()];
    for (a, zero) in zero_only.iter_mut().enumerate() {
        for &(r, units) in &p.activities[a].modes[s.modes[a]].demands {
            if units == 0 {
                continue;
            }
            if end(a) == s.starts[a] {
                *zero = true;
            } else {
                work[r].push(Held {
                    start: s.starts[a],
                    end: end(a),
                    first: a,
                    last: a,
                    units,
                });
            }
        }
    }
    for sp in &p.spans {
        let (f, t) = (s.starts[sp.first], end(sp.last));
        if sp.amount == 0 {
            continue;
        }
        if t <= f {
            fixed[sp.first] = true;
            fixed[sp.last] = true;
        } else {
            work[sp.resource].push(Held {
                start: f,
                end: t,
                first: sp.first,
                last: sp.last,
                units: sp.amount,
            });
        }
    }
    let mut arcs = Vec::new();
    for (r, items) in work.iter_mut().enumerate() {
        let total: u64 = items.iter().map(|w| w.units as u64).sum();
        let cap = p.resources[r].capacity as u64;
        if total <= cap {
            continue; // never binding
        }
        items.sort();
        // Each unit: the day it is free again and the work that frees it.
        let mut units: Vec<(Day, Option<usize>)> = vec![(0, None); cap as usize];
        let mut free: Vec<usize> = Vec::new();
        for w in items.iter() {
            free.clear();
            free.extend(
                (0..units.len()).filter(|&i| units[i].1.is_none() || units[i].0 <= w.start),
            );
            if free.len() < w.units as usize {
                return None;
            }
            // Never-used units count as free since the beginning of time.
            let key = |i: usize| units[i].1.map_or(-1, |_| units[i].0 as i64);
            match choice {
                UnitChoice::Tightest => free.sort_by_key(|&i| (std::cmp::Reverse(key(i)), i)),
                UnitChoice::Idlest => free.sort_by_key(|&i| (key(i), i)),
            }
            for &i in &free[..w.units as usize] {
                if let Some(prev) = units[i].1 {
                    arcs.push(Prec {
                        from: prev,
                        to: w.first,
                        ss: false,
                        lag: 0,
                    });
                }
                units[i] = (w.end, Some(w.last));
            }
        }
    }
    Some((arcs, zero_only, fixed))
}

/// Each activity's allowed starts (mode fixed) and its window `[lo, hi]`
/// after propagating the links both ways.
struct Windows {
    /// `ends[a][k]`: the end when `a` starts on day `k`, or
    /// [`Timing::NO_START`] when that start is not allowed here.
    ends: Vec<Vec<Day>>,
    lo: Vec<Day>,
    hi: Vec<Day>,
}

impl Windows {
    fn new(
        p: &Problem,
        s: &Schedule,
        zero_only: &[bool],
        fixed: &[bool],
        arcs: &[Prec],
    ) -> Option<Windows> {
        let n = p.activities.len();
        let h = p.horizon;
        let end_now = |a: usize| p.end(a, s.modes[a], s.starts[a]).unwrap_or(s.starts[a]);
        let makespan = (0..n).map(end_now).max().unwrap_or(0);
        let mut cap = vec![makespan.min(h); n];
        for g in &p.groups {
            let fin = g.members.iter().map(|&a| end_now(a)).max().unwrap_or(0);
            for &a in &g.members {
                cap[a] = cap[a].min(fin.max(g.due));
            }
        }
        let mut ends = Vec::with_capacity(n);
        let (mut lo, mut hi) = (vec![0; n], vec![0; n]);
        for a in 0..n {
            let cur = s.starts[a];
            let timing = &p.activities[a].modes[s.modes[a]].timing;
            let mut e = vec![Timing::NO_START; h as usize + 1];
            for (k, slot) in e.iter_mut().enumerate() {
                let k = k as Day;
                if k < p.activities[a].release {
                    continue;
                }
                if let Some(x) = timing.end(k) {
                    if x <= cap[a] && (!zero_only[a] || x == k) {
                        *slot = x;
                    }
                }
            }
            // Ends must not fall when starts rise: drop a start ending after
            // a later allowed one; keep only the current start if it is such.
            let mut later_min = Timing::NO_START;
            let mut dominated_now = false;
            for k in (0..e.len()).rev() {
                if e[k] == Timing::NO_START {
                    continue;
                }
                if e[k] > later_min {
                    dominated_now |= k as Day == cur;
                    e[k] = Timing::NO_START;
                } else {
                    later_min = e[k];
                }
            }
            if e.get(cur as usize).is_none_or(|&x| x == Timing::NO_START) && !dominated_now {
                return None; // the current start is not allowed: infeasible
            }
            if fixed[a] || dominated_now {
                let keep = timing.end(cur)?;
                e.iter_mut().for_each(|x| *x = Timing::NO_START);
                e[cur as usize] = keep;
                lo[a] = cur;
                hi[a] = cur;
            } else {
                lo[a] = (0..=h).find(|&k| e[k as usize] != Timing::NO_START)?;
                hi[a] = (0..=h).rev().find(|&k| e[k as usize] != Timing::NO_START)?;
            }
            ends.push(e);
        }
        let mut w = Windows { ends, lo, hi };
        w.propagate(s, arcs)?;
        Some(w)
    }

    fn allowed(&self, a: usize, k: Day) -> bool {
        self.ends[a]
            .get(k as usize)
            .is_some_and(|&e| e != Timing::NO_START)
    }

    /// The first allowed start of `a` on day `k` or later, up to `hi`.
    fn next(&self, a: usize, k: Day) -> Option<Day> {
        (k..=self.hi[a]).find(|&d| self.allowed(a, d))
    }

    /// The earliest day `arc.to` may start when `arc.from` starts on `k`
    /// (an allowed start).
    fn implied(&self, arc: &Prec, k: Day) -> i64 {
        let base = if arc.ss {
            k
        } else {
            self.ends[arc.from][k as usize]
        };
        base as i64 + arc.lag
    }

    /// Narrows the windows to a fixed point of the links: the earliest
    /// starts forward, the latest backward. The current schedule stays
    /// inside (`None` if it would not: it breaks a link).
    fn propagate(&mut self, s: &Schedule, arcs: &[Prec]) -> Option<()> {
        let n = self.lo.len();
        let (mut out, mut inn) = (vec![Vec::new(); n], vec![Vec::new(); n]);
        for (i, arc) in arcs.iter().enumerate() {
            out[arc.from].push(i);
            inn[arc.to].push(i);
        }
        let mut queue: std::collections::VecDeque<usize> = (0..n).collect();
        let mut queued = vec![true; n];
        while let Some(a) = queue.pop_front() {
            queued[a] = false;
            for &i in &out[a] {
                let b = arcs[i].to;
                let t = self.implied(&arcs[i], self.lo[a]);
                if t > self.lo[b] as i64 {
                    let nb = self.next(b, t as Day)?;
                    if nb > s.starts[b] {
                        return None;
                    }
                    self.lo[b] = nb;
                    if !std::mem::replace(&mut queued[b], true) {
                        queue.push_back(b);
                    }
                }
            }
        }
        let mut queue: std::collections::VecDeque<usize> = (0..n).collect();
        let mut queued = vec![true; n];
        while let Some(b) = queue.pop_front() {
            queued[b] = false;
            for &i in &inn[b] {
                let a = arcs[i].from;
                let mut k = self.hi[a];
                while self.implied(&arcs[i], k) > self.hi[b] as i64 {
                    k = (self.lo[a]..k).rev().find(|&d| self.allowed(a, d))?;
                }
                if k < s.starts[a] {
                    return None;
                }
                if k < self.hi[a] {
                    self.hi[a] = k;
                    if !std::mem::replace(&mut queued[a], true) {
                        queue.push_back(a);
                    }
                }
            }
        }
        Some(())
    }
}

/// The cheapest starts inside the windows under every link, by a minimum
/// cut of the time-expanded graph (see the module doc).
fn min_cut_starts(
    p: &Problem,
    s: &Schedule,
    w: &Windows,
    arcs: &[Prec],
    nodes: usize,
) -> Option<Vec<Day>> {
    let n = p.activities.len();
    let (src, snk) = (0, 1);
    let mut base = Vec::with_capacity(n);
    let mut next_free = 2;
    for a in 0..n {
        base.push(next_free);
        next_free += (w.hi[a] - w.lo[a]) as usize;
    }
    debug_assert_eq!(next_free, nodes);
    // v(a,k): "a starts on day k or later".
    let node = |a: usize, k: i64| -> usize {
        if k <= w.lo[a] as i64 {
            src
        } else if k > w.hi[a] as i64 {
            snk
        } else {
            base[a] + (k - w.lo[a] as i64 - 1) as usize
        }
    };
    let o = p.objective;
    let mut net = Network::new(nodes);
    for a in (0..n).filter(|&a| w.lo[a] < w.hi[a]) {
        let m = s.modes[a];
        let per_day = o.cost as i64 * p.activities[a].modes[m].cost_per_day as i64;
        for k in w.lo[a]..=w.hi[a] {
            let e = w.ends[a][k as usize];
            let c = if e == Timing::NO_START {
                INF
            } else {
                let dev = p.baseline.as_ref().map_or(0, |b| b.cost(a, m, k));
                per_day * (e - k) as i64 + dev as i64
            };
            let (u, v) = (node(a, k as i64), node(a, k as i64 + 1));
            let back = if u != src && v != snk { INF } else { 0 };
            net.arc(u, v, c, back);
        }
    }
    for arc in arcs {
        let (a, b) = (arc.from, arc.to);
        if w.lo[a] == w.hi[a] || w.lo[b] == w.hi[b] {
            continue; // propagation already holds it
        }
        let mut last = w.implied(arc, w.lo[a]);
        let mut next = w.hi[a];
        // Walk down so each day knows the first allowed start from it on.
        let mut firsts = Vec::with_capacity((w.hi[a] - w.lo[a]) as usize);
        for k in (w.lo[a] + 1..=w.hi[a]).rev() {
            if w.allowed(a, k) {
                next = k;
            }
            firsts.push((k, next));
        }
        for &(k, first) in firsts.iter().rev() {
            let t = w.implied(arc, first);
            if t > last {
                last = t;
                if t > w.lo[b] as i64 {
                    net.arc(node(a, k as i64), node(b, t), INF, 0);
                }
            }
        }
    }
    net.max_flow(src, snk)?;
    let side = net.source_side(src);
    Some(
        (0..n)
            .map(|a| {
                let later = (w.lo[a] + 1..=w.hi[a])
                    .filter(|&k| side[node(a, k as i64)])
                    .count();
                w.lo[a] + later as Day
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests;
