//! Window tightening by energetic reasoning and the critical-path method,
//! to a fixpoint: what couples the crew pools in the destructive tests.
//!
//! Each destructive test asks whether every activity can start inside its
//! window (computed with a trial finish, or with a group's members ending by
//! a trial day). The energy checks look at one resource set at a time, so a
//! pool that must start late because its predecessors in another pool are
//! crowded is never seen. Here the windows are first tightened:
//!
//! * **Energetic adjustments**, per resource set of capacity `C`, in the
//!   set's *weighted time* `τ(t)` (the sum of its day weights before day
//!   `t`: 1 a day for the calendar-day sets, the live-day and slow-season
//!   weights of [`super::weighted_days`] for the others; a job holding the
//!   set on days `[s, e)` holds `τ(e) − τ(s)` of it, and the set has `C`
//!   units per weighted day). Every job has at least `u` units (speeds
//!   counted) for at least `δ` weighted days (the least over its modes and
//!   the starts left in its window). In days `[t1, t2)` a job holds at
//!   least `u · min(δ, τ(t2) − τ(t1), τ(ef) − τ(t1), τ(t2) − τ(ls))` even
//!   shifted wholly left or right, with `τ(ef) = τ(es) + δ` and
//!   `τ(ls) = τ(lf) − δ` (a job wholly inside holds its least work). When
//!   the jobs' sum `W` exceeds `C · (τ(t2) − τ(t1))` the trial is refuted.
//!   Otherwise a job `i` has room `A = C · (τ(t2) − τ(t1)) − W + W_i` (its
//!   own part given back), at most `⌊A / u⌋` weighted days in the interval;
//!   when, started on its earliest start, it would hold more, every start
//!   `s` with `τ(s) < τ(t2) − ⌊A / u⌋` would too (its overlap only grows
//!   until it runs past `t2`, and from then it is `τ(t2) − τ(s)`), so its
//!   earliest start rises to the first day with `τ(s)` at least that;
//!   symmetrically its latest end falls to the last day `e` with
//!   `τ(e) ≤ τ(t1) + ⌊A / u⌋`.
//! * **Critical-path propagation**: the raised earliest starts become
//!   releases and the lowered latest ends deadlines, and the windows are
//!   recomputed; a job pushed in one pool moves its successors in others
//!   (a trench dug late lays its pipe late), and the next round's energy
//!   sees it.
//!
//! Every adjustment removes only starts no schedule in the windows can use,
//! so the tightened windows still hold every schedule the test is about; an
//! empty window or an overloaded interval refutes the trial. The rounds are
//! bounded ([`ROUNDS`]) and stop at the thread's give-up instant, keeping
//! the windows tightened so far (which remain valid).

use super::super::problem::{Day, Problem};
use super::super::window::Windows;
use super::energy::{fits_in, fits_on_live_days, held_modes, shortest_in, SpanWork};
use super::weighted_days::WeightedSets;

/// Most rounds (energy, then the critical-path method) per test.
pub(super) const ROUNDS: usize = 12;

/// One resource set in its weighted time.
pub(super) struct Scale {
    /// Units (speeds counted) per weighted day.
    capacity: u64,
    /// `prefix[t]`: the weight of the days before day `t`.
    prefix: Vec<u64>,
    /// Every activity all of whose modes need the set: per mode its index
    /// and its units (speeds counted).
    held: Vec<(usize, Vec<(usize, u64)>)>,
    /// The open trenches counted against the set (calendar-day sets only).
    spans: Vec<usize>,
}

/// The scales of the finish test: every candidate set in calendar days
/// (crew work only: open trenches are left out) and every weighted set of
/// `weighted`.
pub(super) fn scales(p: &Problem, sets: &[Vec<usize>], weighted: &WeightedSets) -> Vec<Scale> {
    let horizon = p.horizon as usize;
    let mut inside = vec![false; p.resources.len()];
    let mut out = Vec::new();
    for set in sets {
        set.iter().for_each(|&r| inside[r] = true);
        let capacity: u64 = set.iter().map(|&r| p.resources[r].capacity as u64).sum();
        let held = held_modes(p, &inside);
        // Open trenches are left out: a span's length is set by several
        // jobs at once, and adjusting one job's window by a span's energy
        // refuted finishes that plans reach (the synthetic city of
        // tests/heuristics.rs). Leaving a resource out only relaxes the test.
        let spans: Vec<usize> = Vec::new();
        if capacity > 0 && !(held.is_empty() && spans.is_empty()) {
            out.push(Scale {
                capacity,
                prefix: (0..horizon as u64 + 2).collect(),
                held,
                spans,
            });
        }
        set.iter().for_each(|&r| inside[r] = false);
    }
    out.extend(weighted.sets.iter().map(|s| Scale {
        capacity: s.capacity,
        prefix: s.prefix.clone(),
        held: s.held.clone(),
        spans: Vec::new(),
    }));
    out
}

/// Windows tightened to a fixpoint, and the problem whose releases carry
/// the raised earliest starts.
pub(super) struct Tightened {
    /// The problem with every raised earliest start as a release.
    pub(super) q: Problem,
    /// The tightened windows.
    pub(super) w: Windows,
}

/// The windows of `q` with each `(a, d)` of `deadlines` ending `a` by `d`,
/// tightened (see the module documentation) on `scales`; `None` when the
/// tightening shows that no schedule fits them.
pub(super) fn tighten(
    q: &Problem,
    deadlines: &[(usize, Day)],
    spans: &[SpanWork],
    scales: &[Scale],
) -> Option<Tightened> {
    let mut q = q.clone();
    let n = q.activities.len();
    let mut end_by = vec![q.horizon; n];
    for &(a, d) in deadlines {
        end_by[a] = end_by[a].min(d);
    }
    for round in 0..=ROUNDS {
        let dl: Vec<(usize, Day)> = end_by
            .iter()
            .enumerate()
            .filter(|&(_, &d)| d < q.horizon)
            .map(|(a, &d)| (a, d))
            .collect();
        let w = Windows::compute_with_deadlines(&q, &dl).ok()?;
        if round == ROUNDS || super::out_of_time() {
            return Some(Tightened { q, w });
        }
        let mut es = w.es.clone();
        let mut lf = w.lf.clone();
        for scale in scales {
            if super::out_of_time() {
                // The windows of this round hold; its adjustments so far
                // are dropped.
                return Some(Tightened { q, w });
            }
            if !adjust(&q, &w, spans, scale, &mut es, &mut lf) {
                return None;
            }
        }
        let mut changed = false;
        for a in 0..n {
            if es[a] > w.es[a] {
                q.activities[a].release = q.activities[a].release.max(es[a]);
                changed = true;
            }
            if lf[a] < w.lf[a] {
                end_by[a] = end_by[a].min(lf[a]);
                changed = true;
            }
        }
        if !changed {
            return Some(Tightened { q, w });
        }
    }
    unreachable!("the last round returns")
}

/// A job of one scale: earliest start and latest end (days), the same in
/// weighted time, least units, least weighted days, least work, and its
/// activity (`None`: an open trench).
#[derive(Clone, Copy)]
struct Job {
    es: usize,
    lf: usize,
    from: u64,
    to: u64,
    units: u64,
    len: u64,
    work: u64,
    act: Option<usize>,
}

impl Job {
    /// The least energy of the job in weighted time `[x1, x2)`, days
    /// `[t1, t2)`.
    fn least_in(&self, t1: usize, t2: usize, x1: u64, x2: u64) -> u64 {
        if self.es >= t1 && self.lf <= t2 {
            return self.work;
        }
        let left = (self.from + self.len).saturating_sub(x1);
        let right = x2.saturating_sub(self.to.saturating_sub(self.len));
        self.units * self.len.min(x2 - x1).min(left).min(right)
    }
}

/// The jobs of `scale` in windows `w`.
fn jobs_of(q: &Problem, w: &Windows, spans: &[SpanWork], scale: &Scale) -> Vec<Job> {
    let last = scale.prefix.len() - 1;
    let tau = |t: Day| scale.prefix[(t as usize).min(last)];
    let mut jobs = Vec::with_capacity(scale.held.len());
    for (a, modes) in &scale.held {
        let (es, ls, lf) = (w.es[*a], w.ls[*a], w.lf[*a]);
        let (mut units, mut len, mut work) = (u64::MAX, u64::MAX, u64::MAX);
        for &(mi, u) in modes {
            let timing = &q.activities[*a].modes[mi].timing;
            let least = (es..=ls)
                .filter_map(|s| {
                    let e = timing.end(s).filter(|&e| e <= lf)?;
                    Some(tau(e) - tau(s))
                })
                .min();
            if let Some(d) = least {
                units = units.min(u);
                len = len.min(d);
                work = work.min(u * d);
            }
        }
        if work == 0 || work == u64::MAX {
            continue;
        }
        jobs.push(Job {
            es: es as usize,
            lf: lf as usize,
            from: tau(es),
            to: tau(lf),
            units,
            len,
            work,
            act: Some(*a),
        });
    }
    for &i in &scale.spans {
        if let Some((s, e, work)) = spans[i].job(w, q.horizon) {
            let (from, to) = (tau(s as Day), tau(e as Day));
            let len = spans[i].length.min(to - from);
            jobs.push(Job {
                es: s,
                lf: e,
                from,
                to,
                units: spans[i].amount,
                len,
                work: work.min(spans[i].amount * len),
                act: None,
            });
        }
    }
    jobs
}

/// One round of energetic adjustments on `scale`: raises `es` and lowers
/// `lf` of the activities held to it. False when some interval is
/// overloaded.
fn adjust(
    q: &Problem,
    w: &Windows,
    spans: &[SpanWork],
    scale: &Scale,
    es: &mut [Day],
    lf: &mut [Day],
) -> bool {
    let jobs = jobs_of(q, w, spans, scale);
    if jobs.is_empty() {
        return true;
    }
    let horizon = q.horizon as usize;
    let last = scale.prefix.len() - 1;
    let tau = |t: usize| scale.prefix[t.min(last)];
    // Interval ends worth trying: earliest and latest starts for t1,
    // latest and earliest ends for t2.
    let mut t1s: Vec<usize> = Vec::new();
    let mut t2s: Vec<usize> = Vec::new();
    for j in &jobs {
        t1s.push(j.es);
        t2s.push(j.lf);
        if let Some(a) = j.act {
            t1s.push(w.ls[a] as usize);
            t2s.push(w.ef[a] as usize);
        }
    }
    for v in [&mut t1s, &mut t2s] {
        v.retain(|&t| t <= horizon);
        v.sort_unstable();
        v.dedup();
    }
    let most_units = jobs.iter().map(|j| j.units).max().unwrap_or(0);
    let most_len = jobs.iter().map(|j| j.len).max().unwrap_or(0);
    let mut tight: Vec<(usize, usize, u64)> = Vec::new();
    // (weighted time, change of slope) and (latest end, work beyond u·len).
    let mut events: Vec<(u64, i64)> = Vec::new();
    let mut extras: Vec<(usize, u64)> = Vec::new();
    for &t1 in &t1s {
        let x1 = tau(t1);
        events.clear();
        extras.clear();
        for j in &jobs {
            // As t2 grows the job's least part rises one unit a weighted
            // day from max(x1, to − len), up to its cap.
            let cap = j.len.min((j.from + j.len).saturating_sub(x1));
            if cap == 0 {
                continue;
            }
            let b = x1.max(j.to.saturating_sub(j.len));
            events.push((b, j.units as i64));
            events.push((b + cap, -(j.units as i64)));
            if j.es >= t1 && j.work > j.units * j.len {
                extras.push((j.lf, j.work - j.units * j.len));
            }
        }
        events.sort_unstable();
        extras.sort_unstable();
        let (mut k, mut e, mut pos, mut rate, mut energy, mut extra) = (0, 0, x1, 0i64, 0i64, 0u64);
        for &t2 in t2s.iter().filter(|&&t| t > t1) {
            let x2 = tau(t2);
            while k < events.len() && events[k].0 <= x2 {
                energy += rate * (events[k].0 - pos) as i64;
                pos = events[k].0;
                rate += events[k].1;
                k += 1;
            }
            while e < extras.len() && extras[e].0 <= t2 {
                extra += extras[e].1;
                e += 1;
            }
            let need = (energy + rate * (x2 - pos) as i64) as u64 + extra;
            let room = scale.capacity * (x2 - x1);
            if need > room {
                return false;
            }
            let left = room - need;
            if left < most_units * most_len.min(x2 - x1) {
                tight.push((t1, t2, left));
            }
        }
    }
    for &(t1, t2, left) in &tight {
        let (x1, x2) = (tau(t1), tau(t2));
        for j in &jobs {
            let Some(a) = j.act else { continue };
            if j.es >= t1 && j.lf <= t2 {
                // Wholly inside: the overload test covers it.
                continue;
            }
            let most = (left + j.least_in(t1, t2, x1, x2)) / j.units;
            // Left-shifted from its (possibly already raised) earliest start.
            let from = tau(es[a] as usize);
            let over_l = (from + j.len).min(x2).saturating_sub(from.max(x1));
            if over_l > most {
                let first = scale.prefix.partition_point(|&x| x < x2 - most);
                es[a] = es[a].max(first as Day);
            }
            let to = tau(lf[a] as usize);
            let over_r = to.min(x2).saturating_sub(to.saturating_sub(j.len).max(x1));
            if over_r > most {
                let latest = scale.prefix.partition_point(|&x| x <= x1 + most);
                lf[a] = lf[a].min(latest.saturating_sub(1) as Day);
            }
        }
    }
    true
}

/// The first day in `lo..hi` that `refuted` does not refute (`hi` when it
/// refutes them all), galloping up from `lo` and then bisecting; stops at
/// the thread's give-up instant with the first day not yet refuted. Valid
/// when a refuted day refutes every earlier one (a finish or an end by a
/// day is met by every later day too).
pub(super) fn first_unrefuted(
    mut lo: u64,
    mut hi: u64,
    mut refuted: impl FnMut(u64) -> bool,
) -> u64 {
    let mut step = 1;
    while lo < hi && !super::out_of_time() {
        let t = (lo + step - 1).min(hi - 1);
        if refuted(t) {
            lo = t + 1;
            step *= 2;
        } else {
            hi = t;
            break;
        }
    }
    bisect(lo, hi, refuted)
}

/// The first day in `[lo, hi)` not refuted, by bisection, every day below
/// `lo` refuted and `hi` not (or the last day tried); stops at the
/// thread's give-up instant with the first day not yet refuted.
pub(super) fn bisect(mut lo: u64, mut hi: u64, mut refuted: impl FnMut(u64) -> bool) -> u64 {
    while lo < hi && !super::out_of_time() {
        let mid = lo + (hi - lo) / 2;
        if refuted(mid) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    lo
}

/// False when no schedule of `q` in the windows with `deadlines` survives
/// the tightening and then the energy tests in the tightened windows (the
/// calendar-day and live-day interval tests with the tails ending on
/// `tail_end`, and the weighted-day test).
pub(super) fn survives(
    q: &Problem,
    deadlines: &[(usize, Day)],
    tail_end: Day,
    spans: &[SpanWork],
    sets: &[Vec<usize>],
    scales: &[Scale],
    weighted: &WeightedSets,
) -> bool {
    let Some(t) = tighten(q, deadlines, spans, scales) else {
        return false;
    };
    let shortest = shortest_in(&t.q, &t.w);
    fits_in(&t.q, &t.w, &shortest, spans, tail_end, sets)
        && fits_on_live_days(&t.q, &t.w, sets)
        && weighted.fit(&t.q, &t.w)
}

#[cfg(test)]
mod tests {
    use super::super::energy::{candidate_sets, fits_by, span_works};
    use super::super::tests::{every_schedule, group_ends, tiny};
    use super::*;
    use crate::schedule::rng::Rng;

    /// The test's inputs for `p` as the finish test builds them.
    fn parts(p: &Problem) -> (Vec<SpanWork>, Vec<Vec<usize>>, WeightedSets) {
        (span_works(p), candidate_sets(p), WeightedSets::new(p))
    }

    #[test]
    fn the_tightening_never_refutes_what_a_plan_reaches() {
        // Tiny random problems, every feasible plan enumerated: a finish
        // by the least makespan, and each group ending by its least end,
        // must survive the tightening and the tests after it.
        let mut rng = Rng::new(2222);
        let (mut finishes, mut ends) = (0, 0);
        for _ in 0..400 {
            let p = tiny(&mut rng);
            let mut least: Option<(Day, Vec<Day>)> = None;
            every_schedule(&p, &mut |s| {
                let span = p.score(s).makespan;
                let e = group_ends(&p, s);
                let l = least.get_or_insert((span, e.clone()));
                l.0 = l.0.min(span);
                l.1.iter_mut().zip(&e).for_each(|(x, &y)| *x = (*x).min(y));
            });
            let Some((span, least_ends)) = least else {
                continue;
            };
            let (spans, sets, weighted) = parts(&p);
            let sc = scales(&p, &sets, &weighted);
            let mut q = p.clone();
            q.horizon = span;
            assert!(
                survives(&q, &[], span, &spans, &sets, &sc, &weighted),
                "finish {span} refuted in {p:#?}"
            );
            finishes += 1;
            for (g, &end) in p.groups.iter().zip(&least_ends) {
                if g.members.is_empty() {
                    continue;
                }
                let deadlines: Vec<(usize, Day)> = g.members.iter().map(|&a| (a, end)).collect();
                assert!(
                    survives(&p, &deadlines, end, &spans, &sets, &sc, &weighted),
                    "group {} ending by {end} refuted in {p:#?}",
                    g.name
                );
                ends += 1;
            }
        }
        assert!(
            finishes >= 150 && ends >= 150,
            "{finishes} finishes, {ends} ends"
        );
    }

    #[test]
    fn the_tightening_refutes_a_psplib_finish_the_plain_test_leaves() {
        // j301_1 (Kolisch & Sprecher's PSPLIB, optimum 43): the energy tests
        // alone do not refute a finish by day 42; the pools coupled through
        // the precedences do, and the optimum survives.
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/data/psplib/j30/j301_1.sm"
        );
        let p = crate::schedule::psplib::parse("j301_1", &std::fs::read_to_string(path).unwrap())
            .unwrap();
        let (spans, sets, weighted) = parts(&p);
        let sc = scales(&p, &sets, &weighted);
        let mut q = p.clone();
        q.horizon = 42;
        assert!(fits_by(&q, &spans) && weighted.fit_by(&q));
        assert!(!survives(&q, &[], 42, &spans, &sets, &sc, &weighted));
        q.horizon = 43;
        assert!(survives(&q, &[], 43, &spans, &sets, &sc, &weighted));
        assert_eq!(super::super::level_bounds(&p).unwrap().finish, 43);
    }
}
