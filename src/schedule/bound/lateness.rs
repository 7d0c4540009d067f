//! The lateness part of the lower bound: per station, the first day by which
//! all its work may end with the crews it needs, and, across stations, by
//! levels (see the parent module's documentation).

use super::super::problem::{Activity, Day, Problem};
use super::super::window::{WindowError, Windows};
use super::crews::crew_bound;
use super::energy::*;

/// The weighted lateness bound, by layers: a schedule's weighted lateness
/// is `Σ_{L ≥ 0} Σ { w_g : g late by more than L days }`, so a lower bound
/// on the weight of the groups late by more than `L` days, for each level
/// `L`, sums to a lower bound on the whole. At level `L` the groups whose
/// own end bound (see [`group_end_bound`]) is later than `due + L` are late
/// by more than `L` for sure; the others are assumed on time by `due + L`,
/// which tightens the windows of their members and predecessors. When the
/// crews then cannot fit the work (see [`level_cover`]), some of those
/// groups must be late too, and the least weight that could free enough
/// work is added. The levels stop at the first that adds nothing.
pub(super) fn lateness_bound(p: &Problem, w: &Windows, spans: &[SpanWork]) -> u64 {
    let sets = candidate_sets(p);
    let shortest = shortest_in(p, w);
    let ends: Vec<Day> = p
        .groups
        .iter()
        .map(|g| {
            if g.weight == 0 || g.members.is_empty() || super::out_of_time() {
                0
            } else {
                group_end_bound(p, w, &shortest, spans, &sets, &g.members, g.due)
            }
        })
        .collect();
    let downstream = downstream_groups(p);
    let base = Untightened {
        w,
        shortest: &shortest,
        spans,
        sets: &sets,
    };
    let mut total = 0u64;
    for level in 0..p.horizon {
        if super::out_of_time() {
            break;
        }
        let sure: Vec<bool> = p
            .groups
            .iter()
            .zip(&ends)
            .map(|(g, &end)| g.weight > 0 && end.saturating_sub(g.due) > level)
            .collect();
        let known: u64 = p
            .groups
            .iter()
            .zip(&sure)
            .filter(|(_, &s)| s)
            .map(|(g, _)| g.weight)
            .sum();
        let term = known + level_cover(p, &base, &downstream, &sure, level);
        if term == 0 {
            break;
        }
        total += term;
    }
    total
}

/// The household-days bound: the layered [`lateness_bound`] and, when the
/// levels prove some lateness, the time-indexed relaxation of each loaded
/// crew cluster ([`crew_bound`]), which keeps every job whole on one crew;
/// the larger counts. Only proven lateness pays for the solve, so that
/// programmes with room to spare pay nothing for it.
pub(super) fn household_bound(p: &Problem, w: &Windows, spans: &[SpanWork]) -> u64 {
    let layered = lateness_bound(p, w, spans);
    if layered == 0 {
        return 0;
    }
    layered.max(crew_bound(p, w))
}

/// Per activity, the due groups whose members it precedes (or is), as a
/// bit set: the groups whose deadlines reach it in the backward pass.
pub(super) fn downstream_groups(p: &Problem) -> Vec<Vec<u64>> {
    let words = p.groups.len().div_ceil(64);
    let mut bits = vec![vec![0u64; words]; p.activities.len()];
    for (gi, g) in p.groups.iter().enumerate() {
        for &a in &g.members {
            bits[a][gi / 64] |= 1 << (gi % 64);
        }
    }
    let out = p.out_links();
    if let Some(order) = p.topological_order() {
        for &a in order.iter().rev() {
            for &li in &out[a] {
                let b = p.links[li].to;
                let after = bits[b].clone();
                bits[a].iter_mut().zip(after).for_each(|(x, y)| *x |= y);
            }
        }
    }
    bits
}

/// The least weight of further groups late by more than `level` days,
/// beyond those in `sure`. With every other group on time by `due + level`
/// the windows tighten; if they do not exist for an activity, one of the
/// groups it precedes must be late. Otherwise, per resource set, the days
/// `[t1, t2)` with the most work beyond the capacity of the activities whose
/// windows lie inside: that overflow must leave the interval, and only the
/// work of an activity preceding a late group may (work whose window lies
/// inside even without the deadlines stays, and only shrinks to its least
/// work in that window). Each group may free at most the work of such
/// activities it follows, so the least weight freeing the overflow (a
/// fractional cover, by weight per work) is a bound.
pub(super) fn level_cover(
    p: &Problem,
    base: &Untightened,
    downstream: &[Vec<u64>],
    sure: &[bool],
    level: Day,
) -> u64 {
    let Untightened {
        w,
        shortest: base_shortest,
        spans,
        sets,
    } = *base;
    let deadlines: Vec<(usize, Day)> = p
        .groups
        .iter()
        .zip(sure)
        .filter(|(g, &s)| !s && g.weight > 0)
        .flat_map(|(g, _)| {
            let end = g.due.saturating_add(level).min(p.horizon);
            g.members.iter().map(move |&a| (a, end))
        })
        .collect();
    if deadlines.is_empty() {
        return 0;
    }
    let open = |a: usize| {
        p.groups
            .iter()
            .enumerate()
            .filter(move |&(gi, g)| {
                downstream[a][gi / 64] >> (gi % 64) & 1 == 1 && !sure[gi] && g.weight > 0
            })
            .map(|(gi, _)| gi)
    };
    let wl = match Windows::compute_with_deadlines(p, &deadlines) {
        Ok(wl) => wl,
        Err(WindowError::NoRoom { activity, .. }) => {
            return open(activity)
                .map(|gi| p.groups[gi].weight)
                .min()
                .unwrap_or(0);
        }
        Err(WindowError::Cycle) => return 0,
    };
    let horizon = p.horizon as usize;
    let nr = p.resources.len();
    let shortest = shortest_in(p, &wl);
    let mut inside = vec![false; nr];
    let mut best = 0u64;
    let mut by_end = vec![0u64; horizon + 2];
    for cand in sets {
        if super::out_of_time() {
            break;
        }
        cand.iter().for_each(|&r| inside[r] = true);
        let capacity: u64 = cand.iter().map(|&r| p.resources[r].capacity as u64).sum();
        // The least work of an activity held to the set, by the shortest
        // durations of its modes in some windows (`None`: not held).
        let least = |act: &Activity, row: &[Option<u64>]| least_work(act, row, &inside);
        // (earliest start, latest end, least work, activity whose window
        // bounds it, and the same three in the windows without deadlines)
        // of every activity and span held to the set.
        let mut jobs: Vec<LevelJob> = p
            .activities
            .iter()
            .enumerate()
            .filter_map(|(a, act)| {
                let work = least(act, &shortest[a])?;
                let plain = least(act, &base_shortest[a]).unwrap_or(0);
                Some((
                    (wl.es[a] as usize, wl.lf[a] as usize, work),
                    a,
                    (w.es[a] as usize, w.lf[a] as usize, plain),
                ))
            })
            .collect();
        for sp in spans.iter().filter(|sp| inside[sp.resource]) {
            if let (Some(job), Some(plain)) = (sp.job(&wl, p.horizon), sp.job(w, p.horizon)) {
                jobs.push((job, sp.first, plain));
            }
        }
        cand.iter().for_each(|&r| inside[r] = false);
        if capacity == 0 || jobs.is_empty() {
            continue;
        }
        jobs.sort_unstable_by_key(|j| std::cmp::Reverse(j.0 .0));
        by_end.iter_mut().for_each(|x| *x = 0);
        // The interval with the most overflow.
        let (mut over, mut at) = (0u64, (0usize, 0usize));
        let mut next = 0;
        while next < jobs.len() {
            let t1 = jobs[next].0 .0;
            while next < jobs.len() && jobs[next].0 .0 == t1 {
                by_end[jobs[next].0 .1.min(horizon)] += jobs[next].0 .2;
                next += 1;
            }
            let mut work = 0u64;
            for (t2, &ending) in by_end.iter().enumerate().skip(t1 + 1) {
                work += ending;
                let excess = work.saturating_sub(capacity * (t2 - t1) as u64);
                if excess > over {
                    (over, at) = (excess, (t1, t2));
                }
            }
        }
        if over == 0 {
            continue;
        }
        // Work each open group may free from the interval.
        let (t1, t2) = at;
        let mut frees = vec![0u64; p.groups.len()];
        for &((es, lf, work), a, (plain_es, plain_lf, plain)) in &jobs {
            if es >= t1 && lf <= t2 {
                // Work whose window lies inside even without the deadlines
                // stays, but may shrink to its least work in that window
                // when a group it precedes is late.
                let stays = plain_es >= t1 && plain_lf <= t2;
                let freed = if stays {
                    work.saturating_sub(plain)
                } else {
                    work
                };
                open(a).for_each(|gi| frees[gi] += freed);
            }
        }
        let mut by_ratio: Vec<usize> = (0..p.groups.len()).filter(|&g| frees[g] > 0).collect();
        // Cheapest weight per unit of work first: w_a / f_a < w_b / f_b.
        by_ratio.sort_by(|&a, &b| {
            (p.groups[a].weight as u128 * frees[b] as u128)
                .cmp(&(p.groups[b].weight as u128 * frees[a] as u128))
        });
        let (mut left, mut weight) = (over, 0u64);
        for g in by_ratio {
            if left == 0 {
                break;
            }
            let take = left.min(frees[g]);
            // Rounded up: a whole group's weight is an integer at least the
            // fractional cover.
            weight += (p.groups[g].weight as u128 * take as u128).div_ceil(frees[g] as u128) as u64;
            left -= take;
        }
        if left > 0 {
            // No late group can free enough: the assumption is refuted
            // outright; at least the lightest open group is late.
            weight = weight.max(
                (0..p.groups.len())
                    .filter(|&g| !sure[g] && p.groups[g].weight > 0)
                    .map(|g| p.groups[g].weight)
                    .min()
                    .unwrap_or(0),
            );
        }
        best = best.max(weight);
    }
    best
}

/// A day `F` such that no feasible schedule ends every activity of
/// `members` before `F`, searched only as far as it matters for a group due
/// on `due`: `F` is at least the members' earliest ends, and when all
/// members ending by `max(due, that)` is not refuted, that is the answer.
/// Otherwise the first day not refuted is found by bisection (a refuted day
/// refutes every earlier day too, whatever the test says there). A day `F`
/// is refuted when the windows with every member ending by `F` (which
/// tightens their predecessors' latest ends in turn) do not exist, or when
/// the energy in them does not fit the resource sets whose activities'
/// windows tightened (see [`fits_in`], with the tails ending on `F`).
pub(super) fn group_end_bound(
    p: &Problem,
    w: &Windows,
    shortest: &[Vec<Option<u64>>],
    spans: &[SpanWork],
    sets: &[Vec<usize>],
    members: &[usize],
    due: Day,
) -> Day {
    let earliest = members.iter().map(|&a| w.ef[a]).max().unwrap_or(0);
    let from = earliest.max(due);
    if from >= p.horizon {
        return earliest;
    }
    let refuted = |end: Day| {
        let deadlines: Vec<(usize, Day)> = members.iter().map(|&a| (a, end)).collect();
        let Ok(wg) = Windows::compute_with_deadlines(p, &deadlines) else {
            return true;
        };
        // Only sets holding an activity whose window tightened can differ
        // from the untightened check; leaving the others out only weakens it.
        let mut touched = vec![false; p.resources.len()];
        let mut shortest_g = shortest.to_vec();
        for (a, act) in p.activities.iter().enumerate() {
            if wg.lf[a] != w.lf[a] || wg.ls[a] != w.ls[a] {
                for m in &act.modes {
                    m.demands.iter().for_each(|d| touched[d.0] = true);
                }
                shortest_g[a] = shortest_of(p, &wg, a);
            }
        }
        for sp in spans.iter().filter(|sp| wg.ls[sp.first] != w.ls[sp.first]) {
            touched[sp.resource] = true;
        }
        let relevant: Vec<Vec<usize>> = sets
            .iter()
            .filter(|set| set.iter().any(|&r| touched[r]))
            .cloned()
            .collect();
        !relevant.is_empty() && !fits_in(p, &wg, &shortest_g, spans, end, &relevant)
    };
    if super::out_of_time() || !refuted(from) {
        return earliest;
    }
    // Invariant: every day < lo is refuted; hi is not (or is the horizon,
    // which every member must meet anyway).
    let (lo, hi) = (u64::from(from + 1), u64::from(p.horizon));
    super::propagate::bisect(lo, hi, |t| refuted(t as Day)) as Day
}
