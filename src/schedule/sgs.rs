//! The serial schedule-generation scheme (SGS), forward and backward.
//!
//! The serial SGS turns an *activity list* — a precedence-feasible order of
//! the activities — into a schedule. It takes the activities one at a time in
//! list order and gives each the earliest start (forward) or latest start
//! (backward) that respects the links to the activities already placed, the
//! mode's calendar [`Timing`](super::problem::Timing), and the resources left
//! over on every day the activity would run. Resource use is kept in a flat
//! per-resource, per-day usage profile, so checking a candidate start costs a
//! scan of the days it covers; a conflict on day `c` lets the search jump
//! straight past `c` (end days are non-decreasing in the start day).
//!
//! Links only ever bound an activity from the side that is already placed:
//! forward, `start(to) >= end(from) + lag` or `start(from) + lag` are lower
//! bounds known once every predecessor is placed, whatever the sign of the
//! lag; backward the same links give upper bounds on the predecessor.
//!
//! [`Span`](super::problem::Span)s hold a resource from the start of one
//! activity to the end of another, and the end is not known when the span
//! opens. The SGS therefore places a span's opener together with its *chain*
//! (every activity on a path from `first` to `last`) as one block: the opener
//! at its earliest start, then the chain members in topological order at
//! theirs, and only then the span's real interval `[start(first),
//! end(last))` is checked against the usage profile. On a conflict on day `c`
//! the block is undone and retried with the opener starting after `c`. To make
//! sure a chain can always be completed when its opener is placed, the opener
//! is *gated*: it is only eligible once every activity outside the chain that
//! the chain waits for has been placed (these gates also order the lists of
//! [`Sgs::list_from_priority`]). The backward pass is the mirror image: the
//! closer drags its chain, successors first, and is retried ending by `c`.
//!
//! A span whose opener is placed outside such a block (a span opened inside
//! another span's chain) is reserved *open-ended* instead: from the opener's
//! start to the horizon (backward: from day 0), cut back when its other end is
//! placed. Later placements are checked against this over-estimate, so the
//! final usage, which only shrinks, never exceeds a capacity; an activity that
//! does not fit because of open reservations is deferred and retried after
//! the next span closes. If nothing can be placed the SGS gives up (`None`):
//! it never returns an infeasible schedule.
//!
//! Mode choice follows a [`ModePolicy`]: forward the mode with the earliest end
//! (ties: lower cost), backward the one with the latest start, or fixed modes
//! (as forward–backward improvement needs).

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use super::problem::{ActId, Day, LinkKind, Problem, ResId, Schedule};

/// How the SGS chooses a mode for each activity.
#[derive(Debug, Clone, Copy)]
pub enum ModePolicy<'a> {
    /// Forward: the mode that ends earliest (ties: lower cost). Backward: the
    /// mode that starts latest (ties: lower cost).
    Best,
    /// The given mode for every activity.
    Given(&'a [usize]),
    /// The given mode where the entry is a valid mode index of the activity,
    /// otherwise (e.g. `usize::MAX`) as [`ModePolicy::Best`].
    Mixed(&'a [usize]),
}

impl ModePolicy<'_> {
    /// The modes to try for activity `a` with `count` modes.
    fn candidates(&self, a: ActId, count: usize) -> Vec<usize> {
        match *self {
            ModePolicy::Best => (0..count).collect(),
            ModePolicy::Given(g) => vec![g[a]],
            ModePolicy::Mixed(g) if g[a] < count => vec![g[a]],
            ModePolicy::Mixed(_) => (0..count).collect(),
        }
    }
}

/// Units of a resource wanted on the days `[lo, hi)`.
#[derive(Debug, Clone, Copy)]
struct Req {
    res: ResId,
    amt: u32,
    lo: Day,
    hi: Day,
}

/// A reusable serial SGS for one problem: precomputed adjacency and scratch
/// space (the usage profile), so decoding many activity lists allocates little.
#[derive(Debug, Clone)]
pub struct Sgs<'p> {
    p: &'p Problem,
    inn: Vec<Vec<usize>>,
    out: Vec<Vec<usize>>,
    /// Spans each activity opens (is `first` of).
    opens: Vec<Vec<usize>>,
    /// Forward gates: activities that must be placed before this one opens
    /// its spans (predecessors of the spans' chains from outside them).
    gate_fwd: Vec<Vec<ActId>>,
    /// Backward gates: successors of the chains of the spans this activity
    /// closes, from outside them.
    gate_bwd: Vec<Vec<ActId>>,
    /// Spans each activity closes (is `last` of), excluding `first == last`.
    closes: Vec<Vec<usize>>,
    usage: Vec<Vec<u32>>,
    cap: Vec<u32>,
    start: Vec<Day>,
    end: Vec<Day>,
    mode: Vec<usize>,
    done: Vec<bool>,
    reqs: Vec<Req>,
    /// Spans of the block being placed, checked once the block is complete.
    deferred: Vec<bool>,
    /// Forward: the chain members an opener drags along, in topological order.
    block_fwd: Vec<Vec<ActId>>,
    /// Backward: the chain members a closer drags along, successors first.
    block_bwd: Vec<Vec<ActId>>,
    /// While a block is being placed, every change to the usage (true:
    /// added), so that a failed attempt is undone change by change instead
    /// of by copying the whole profile back.
    journal: Option<Vec<(Req, bool)>>,
    /// Activities fixed at one start with no predecessor (work a re-plan
    /// holds at its actual dates): never gated, placed alone, their spans
    /// reserved open-ended.
    pinned: Vec<bool>,
    /// Latest end of each activity in a backward pass (the horizon unless
    /// [`Sgs::backward_capped`] sets earlier ones).
    latest_end: Vec<Day>,
    /// Earliest start of each activity in a backward pass (0 unless
    /// [`Sgs::right_justify`] holds every activity at or after its start in
    /// the schedule being justified); a span whose opener is not placed yet
    /// is reserved from its opener's floor.
    floor: Vec<Day>,
    /// Whether a span's opener (closer, backward) drags its chain as one
    /// block; [`Sgs::right_justify`] places every activity alone.
    blocks: bool,
}

impl<'p> Sgs<'p> {
    /// Prepares an SGS for `p`.
    pub fn new(p: &'p Problem) -> Sgs<'p> {
        let n = p.activities.len();
        let mut opens = vec![Vec::new(); n];
        let mut closes = vec![Vec::new(); n];
        for (i, sp) in p.spans.iter().enumerate() {
            opens[sp.first].push(i);
            if sp.last != sp.first {
                closes[sp.last].push(i);
            }
        }
        let inn = p.in_links();
        let out = p.out_links();
        let (mut gate_fwd, mut gate_bwd, block_fwd, block_bwd) = span_gates(p, &inn, &out);
        let pinned: Vec<bool> = (0..n).map(|a| is_pinned(p, &inn, a)).collect();
        for a in (0..n).filter(|&a| pinned[a]) {
            gate_fwd[a].clear();
            gate_bwd[a].clear();
        }
        Sgs {
            p,
            inn,
            out,
            gate_fwd,
            gate_bwd,
            opens,
            closes,
            usage: vec![vec![0; p.horizon as usize]; p.resources.len()],
            cap: p.resources.iter().map(|r| r.capacity).collect(),
            start: vec![0; n],
            end: vec![0; n],
            mode: vec![0; n],
            done: vec![false; n],
            reqs: Vec::new(),
            deferred: vec![false; p.spans.len()],
            block_fwd,
            block_bwd,
            journal: None,
            pinned,
            latest_end: vec![p.horizon; n],
            floor: vec![0; n],
            blocks: true,
        }
    }

    /// The problem this SGS schedules.
    pub fn problem(&self) -> &'p Problem {
        self.p
    }

    /// A precedence-feasible activity list: repeatedly the activity with the
    /// smallest `priority` (ties: lower index) among those whose predecessors
    /// are all listed. `None` if the links contain a cycle.
    pub fn list_from_priority(&self, priority: &[i64]) -> Option<Vec<ActId>> {
        self.kahn(priority, true)
            .or_else(|| self.kahn(priority, false))
    }

    /// Kahn's algorithm on the links, and on the span gates if `gated`.
    fn kahn(&self, priority: &[i64], gated: bool) -> Option<Vec<ActId>> {
        let n = self.p.activities.len();
        let mut indeg: Vec<usize> = self.inn.iter().map(|l| l.len()).collect();
        let mut gated_by = vec![Vec::new(); if gated { n } else { 0 }];
        if gated {
            for (a, g) in self.gate_fwd.iter().enumerate() {
                indeg[a] += g.len();
                for &x in g {
                    gated_by[x].push(a);
                }
            }
        }
        let mut heap: BinaryHeap<Reverse<(i64, ActId)>> = (0..n)
            .filter(|&a| indeg[a] == 0)
            .map(|a| Reverse((priority[a], a)))
            .collect();
        let mut list = Vec::with_capacity(n);
        while let Some(Reverse((_, a))) = heap.pop() {
            list.push(a);
            let succ = self.out[a].iter().map(|&li| self.p.links[li].to);
            for b in succ.chain(gated_by.get(a).into_iter().flatten().copied()) {
                indeg[b] -= 1;
                if indeg[b] == 0 {
                    heap.push(Reverse((priority[b], b)));
                }
            }
        }
        (list.len() == n).then_some(list)
    }

    /// True when `list` holds every activity once and never puts an activity
    /// before one of its predecessors.
    pub fn is_precedence_feasible(&self, list: &[ActId]) -> bool {
        let n = self.p.activities.len();
        if list.len() != n {
            return false;
        }
        let mut pos = vec![usize::MAX; n];
        for (i, &a) in list.iter().enumerate() {
            if a >= n || pos[a] != usize::MAX {
                return false;
            }
            pos[a] = i;
        }
        self.p.links.iter().all(|l| pos[l.from] < pos[l.to])
    }

    fn reset(&mut self) {
        for u in &mut self.usage {
            u.iter_mut().for_each(|x| *x = 0);
        }
        self.done.iter_mut().for_each(|d| *d = false);
    }

    fn add(&mut self, res: ResId, amt: u32, lo: Day, hi: Day) {
        for d in lo..hi {
            self.usage[res][d as usize] += amt;
        }
        if let Some(j) = &mut self.journal {
            j.push((Req { res, amt, lo, hi }, true));
        }
    }

    fn remove(&mut self, res: ResId, amt: u32, lo: Day, hi: Day) {
        for d in lo..hi {
            self.usage[res][d as usize] -= amt;
        }
        if let Some(j) = &mut self.journal {
            j.push((Req { res, amt, lo, hi }, false));
        }
    }

    /// Reverts the changes journaled since the block attempt began, latest
    /// first, and stops journaling.
    fn undo_journal(&mut self) {
        let journal = self.journal.take().unwrap_or_default();
        for (q, added) in journal.into_iter().rev() {
            if added {
                self.remove(q.res, q.amt, q.lo, q.hi);
            } else {
                self.add(q.res, q.amt, q.lo, q.hi);
            }
        }
    }

    /// Load of `res` on day `d` if every request were added.
    fn load(&self, res: ResId, d: Day) -> u32 {
        let extra: u32 = self
            .reqs
            .iter()
            .filter(|q| q.res == res && q.lo <= d && d < q.hi)
            .map(|q| q.amt)
            .sum();
        self.usage[res][d as usize] + extra
    }

    /// A day on which the current requests overflow a capacity: the latest
    /// such day when `latest`, else the earliest.
    fn conflict(&self, latest: bool) -> Option<Day> {
        let mut found: Option<Day> = None;
        for q in &self.reqs {
            let alone = self.reqs.iter().filter(|r| r.res == q.res).count() == 1;
            let hit = if alone {
                // Fast path: only this request on its resource.
                let days = &self.usage[q.res][q.lo as usize..q.hi as usize];
                let over = |u: &u32| u + q.amt > self.cap[q.res];
                let i = if latest {
                    days.iter().rposition(over)
                } else {
                    days.iter().position(over)
                };
                i.map(|i| q.lo + i as Day)
            } else {
                let over = |d: &Day| self.load(q.res, *d) > self.cap[q.res];
                if latest {
                    (q.lo..q.hi).rev().find(over)
                } else {
                    (q.lo..q.hi).find(over)
                }
            };
            if let Some(d) = hit {
                found = Some(match found {
                    None => d,
                    Some(f) if latest => f.max(d),
                    Some(f) => f.min(d),
                });
            }
        }
        found
    }

    fn push_demands(&mut self, a: ActId, m: usize, s: Day, e: Day) {
        self.reqs.clear();
        if e > s {
            for &(res, amt) in &self.p.activities[a].modes[m].demands {
                if amt > 0 {
                    self.reqs.push(Req {
                        res,
                        amt,
                        lo: s,
                        hi: e,
                    });
                }
            }
        }
    }

    // ----- forward -------------------------------------------------------

    /// Span intervals that placing `a` on `[s, e)` adds, forward.
    fn forward_span_reqs(&mut self, a: ActId, s: Day, e: Day) {
        let h = self.p.horizon;
        for &si in &self.opens[a] {
            let sp = &self.p.spans[si];
            if self.deferred[si] {
                continue;
            }
            let hi = if sp.last == a {
                e
            } else if self.done[sp.last] {
                self.end[sp.last]
            } else {
                h
            };
            if hi > s && sp.amount > 0 {
                self.reqs.push(Req {
                    res: sp.resource,
                    amt: sp.amount,
                    lo: s,
                    hi,
                });
            }
        }
    }

    fn forward_bound(&self, a: ActId) -> Day {
        let mut lb = self.p.activities[a].release as i64;
        for &li in &self.inn[a] {
            let l = &self.p.links[li];
            let base = match l.kind {
                LinkKind::FinishToStart => self.end[l.from],
                LinkKind::StartToStart => self.start[l.from],
            };
            lb = lb.max(base as i64 + l.lag as i64);
        }
        lb.max(0).min(u32::MAX as i64) as Day
    }

    /// Earliest `(start, end)` of `a` in mode `m` from `lb` on.
    fn earliest(&mut self, a: ActId, m: usize, lb: Day) -> Option<(Day, Day)> {
        let p = self.p;
        let timing = &p.activities[a].modes[m].timing;
        let h = p.horizon;
        let mut s = lb;
        while s <= h {
            let Some(e) = timing.end(s) else {
                s += 1;
                continue;
            };
            if e > h {
                return None;
            }
            self.push_demands(a, m, s, e);
            self.forward_span_reqs(a, s, e);
            match self.conflict(true) {
                None => return Some((s, e)),
                Some(c) => s = s.max(c) + 1,
            }
        }
        None
    }

    fn commit_forward(&mut self, a: ActId, m: usize, s: Day, e: Day) {
        let p = self.p;
        self.start[a] = s;
        self.end[a] = e;
        self.mode[a] = m;
        for &(res, amt) in &p.activities[a].modes[m].demands {
            self.add(res, amt, s, e.max(s));
        }
        self.reqs.clear();
        self.forward_span_reqs(a, s, e);
        for q in std::mem::take(&mut self.reqs) {
            self.add(q.res, q.amt, q.lo, q.hi);
        }
        for i in 0..self.closes[a].len() {
            let si = self.closes[a][i];
            let sp = &p.spans[si];
            if self.done[sp.first] && !self.deferred[si] {
                let sf = self.start[sp.first];
                self.remove(sp.resource, sp.amount, sf.max(e), p.horizon);
            }
        }
        self.done[a] = true;
    }

    fn place_forward(&mut self, a: ActId, policy: ModePolicy, min_start: Day) -> bool {
        let lb = self.forward_bound(a).max(min_start);
        let modes = &self.p.activities[a].modes;
        let mut best: Option<(Day, u64, Day, usize)> = None;
        let choice = policy.candidates(a, modes.len());
        for m in choice {
            if m >= modes.len() {
                return false;
            }
            if let Some((s, e)) = self.earliest(a, m, lb) {
                let cost = modes[m].cost_per_day as u64 * (e - s) as u64;
                let key = (e, cost, s, m);
                if best.is_none_or(|b| key < b) {
                    best = Some(key);
                }
            }
        }
        match best {
            Some((e, _, s, m)) => {
                self.commit_forward(a, m, s, e);
                true
            }
            None => false,
        }
    }

    /// Forward serial SGS: places the activities of `list` in order at their
    /// earliest feasible start. `None` if some activity cannot be placed
    /// before the horizon. `list` should be precedence-feasible (see
    /// [`Sgs::list_from_priority`]); an activity is only placed once all its
    /// predecessors are.
    pub fn forward(&mut self, list: &[ActId], policy: ModePolicy) -> Option<Schedule> {
        self.run(list, policy, true)
    }

    // ----- backward ------------------------------------------------------

    /// Span intervals that placing `a` on `[s, e)` adds, backward.
    fn backward_span_reqs(&mut self, a: ActId, s: Day, e: Day) {
        for &si in &self.closes[a] {
            let sp = &self.p.spans[si];
            if self.deferred[si] {
                continue;
            }
            let lo = if self.done[sp.first] {
                self.start[sp.first]
            } else {
                self.floor[sp.first]
            };
            if e > lo && sp.amount > 0 {
                self.reqs.push(Req {
                    res: sp.resource,
                    amt: sp.amount,
                    lo,
                    hi: e,
                });
            }
        }
        for &si in &self.opens[a] {
            let sp = &self.p.spans[si];
            if sp.last == a && e > s && sp.amount > 0 {
                self.reqs.push(Req {
                    res: sp.resource,
                    amt: sp.amount,
                    lo: s,
                    hi: e,
                });
            }
        }
    }

    /// Upper bounds `(start, end)` on `a` from its placed successors.
    fn backward_bound(&self, a: ActId) -> Option<(Day, Day)> {
        let h = self.p.horizon as i64;
        let (mut ms, mut me) = (h, h.min(self.latest_end[a] as i64));
        for &li in &self.out[a] {
            let l = &self.p.links[li];
            let lim = self.start[l.to] as i64 - l.lag as i64;
            match l.kind {
                LinkKind::FinishToStart => me = me.min(lim),
                LinkKind::StartToStart => ms = ms.min(lim),
            }
        }
        (ms >= 0 && me >= 0).then_some((ms as Day, me as Day))
    }

    /// Latest `(start, end)` of `a` in mode `m` with start at most `ms` and
    /// end at most `me`.
    fn latest(&mut self, a: ActId, m: usize, ms: Day, mut me: Day) -> Option<(Day, Day)> {
        let p = self.p;
        let act = &p.activities[a];
        let timing = &act.modes[m].timing;
        let mut s = ms.min(p.horizon) as i64;
        while s >= act.release.max(self.floor[a]) as i64 {
            let sd = s as Day;
            match timing.end(sd) {
                Some(e) if e <= me => {
                    self.push_demands(a, m, sd, e);
                    self.backward_span_reqs(a, sd, e);
                    match self.conflict(false) {
                        None => return Some((sd, e)),
                        Some(c) => me = me.min(c),
                    }
                }
                _ => {}
            }
            s = match timing {
                super::problem::Timing::Fixed(d) => (s - 1).min(me as i64 - *d as i64),
                _ => s - 1,
            };
        }
        None
    }

    fn commit_backward(&mut self, a: ActId, m: usize, s: Day, e: Day) {
        let p = self.p;
        self.start[a] = s;
        self.end[a] = e;
        self.mode[a] = m;
        for &(res, amt) in &p.activities[a].modes[m].demands {
            self.add(res, amt, s, e.max(s));
        }
        self.reqs.clear();
        self.backward_span_reqs(a, s, e);
        for q in std::mem::take(&mut self.reqs) {
            self.add(q.res, q.amt, q.lo, q.hi);
        }
        for i in 0..self.opens[a].len() {
            let si = self.opens[a][i];
            let sp = &p.spans[si];
            if sp.last != a && self.done[sp.last] && !self.deferred[si] {
                let el = self.end[sp.last];
                let lo = self.floor[a];
                self.remove(sp.resource, sp.amount, lo, s.min(el).max(lo));
            }
        }
        self.done[a] = true;
    }

    fn place_backward(&mut self, a: ActId, policy: ModePolicy, max_end: Day) -> bool {
        let Some((ms, me)) = self.backward_bound(a) else {
            return false;
        };
        let me = me.min(max_end);
        let modes = &self.p.activities[a].modes;
        let choice = policy.candidates(a, modes.len());
        let mut best: Option<(Reverse<Day>, u64, Reverse<Day>, usize)> = None;
        for m in choice {
            if m >= modes.len() {
                return false;
            }
            if let Some((s, e)) = self.latest(a, m, ms, me) {
                let cost = modes[m].cost_per_day as u64 * (e - s) as u64;
                let key = (Reverse(s), cost, Reverse(e), m);
                if best.is_none_or(|b| key < b) {
                    best = Some(key);
                }
            }
        }
        match best {
            Some((Reverse(s), _, Reverse(e), m)) => {
                self.commit_backward(a, m, s, e);
                true
            }
            None => false,
        }
    }

    /// Backward serial SGS (right-justification against the horizon): places
    /// the activities of `list` in *reverse* order at their latest feasible
    /// start, so `list` is still a precedence-feasible (predecessors first)
    /// list. `None` if some activity cannot be placed after its release.
    pub fn backward(&mut self, list: &[ActId], policy: ModePolicy) -> Option<Schedule> {
        let rev: Vec<ActId> = list.iter().rev().copied().collect();
        self.run(&rev, policy, false)
    }

    /// Backward serial SGS as [`Sgs::backward`], but every activity `a` also
    /// ends by `latest_end[a]` (capped at the horizon): right-justification
    /// against per-activity deadlines such as the stations' due days. `None`
    /// if some activity then cannot be placed after its release.
    pub fn backward_capped(
        &mut self,
        list: &[ActId],
        policy: ModePolicy,
        latest_end: &[Day],
    ) -> Option<Schedule> {
        let h = self.p.horizon;
        for (cap, &l) in self.latest_end.iter_mut().zip(latest_end) {
            *cap = l.min(h);
        }
        let result = self.backward(list, policy);
        self.latest_end.iter_mut().for_each(|c| *c = h);
        result
    }

    /// Right-justifies `sched` (forward–backward improvement's backward
    /// pass): every activity, latest end first (as far as the links allow;
    /// the span gates are not used), at its latest start
    /// in its mode in `sched` that ends by `latest_end` and no earlier than
    /// its start in `sched`. Each activity is placed alone; a span is held
    /// from its opener's start in `sched` until the opener is placed.
    ///
    /// In that order every activity still fits where it was: whatever is placed before it ends no earlier and
    /// has only moved later, so on the days before its end it uses no more
    /// than it did in `sched`. Unlike [`Sgs::backward`], which packs the
    /// activities against the horizon as if day 0 were free and so, on a
    /// programme whose permits and trenches start on day 0, pushes work
    /// before the day it may start, this pass therefore does not fail on a
    /// feasible schedule whose ends are within `latest_end` (it returns
    /// `None` only if the links force another order, e.g. a start-to-start
    /// link whose successor ends first).
    pub fn right_justify(&mut self, sched: &Schedule, latest_end: &[Day]) -> Option<Schedule> {
        let p = self.p;
        let ends: Vec<i64> = (0..p.activities.len())
            .map(|a| {
                p.end(a, sched.modes[a], sched.starts[a])
                    .unwrap_or(sched.starts[a]) as i64
            })
            .collect();
        let list = self.kahn(&ends, false)?;
        for (f, &s) in self.floor.iter_mut().zip(&sched.starts) {
            *f = s;
        }
        self.blocks = false;
        let result = self.backward_capped(&list, ModePolicy::Given(&sched.modes), latest_end);
        self.blocks = true;
        self.floor.iter_mut().for_each(|f| *f = 0);
        result
    }

    // ----- driver --------------------------------------------------------

    /// Places one activity alone, at its earliest (latest) start no earlier
    /// (no later) than `bound`.
    fn place_one(&mut self, a: ActId, policy: ModePolicy, forward: bool, bound: Day) -> bool {
        if forward {
            self.place_forward(a, policy, bound)
        } else {
            self.place_backward(a, policy, bound)
        }
    }

    /// Places `a` and, if it opens spans (closes them, backward), the rest of
    /// their chains as one block; returns how many activities were placed
    /// (0 when `a` could not be placed).
    ///
    /// The spans of the block are left out while its activities are placed;
    /// then each span's real interval is checked against the usage. On a
    /// conflict on day `c` everything is undone and the block is retried with
    /// the opener starting after `c` (backward: the closer ending by `c`).
    fn place(&mut self, a: ActId, policy: ModePolicy, forward: bool) -> usize {
        let p = self.p;
        if self.pinned[a] || !self.blocks || (self.opens[a].is_empty() && self.closes[a].is_empty())
        {
            let bound = if forward { 0 } else { Day::MAX };
            return usize::from(self.place_one(a, policy, forward, bound));
        }
        let spans: Vec<usize> = if forward {
            self.opens[a]
                .iter()
                .copied()
                .filter(|&si| p.spans[si].last != a && !self.done[p.spans[si].last])
                .collect()
        } else {
            self.closes[a]
                .iter()
                .copied()
                .filter(|&si| !self.done[p.spans[si].first])
                .collect()
        };
        let mut bound = if forward { 0 } else { Day::MAX };
        if spans.is_empty() {
            return usize::from(self.place_one(a, policy, forward, bound));
        }
        let block = if forward {
            self.block_fwd[a].clone()
        } else {
            self.block_bwd[a].clone()
        };
        loop {
            self.journal = Some(Vec::new());
            spans.iter().for_each(|&si| self.deferred[si] = true);
            let mut placed = Vec::with_capacity(block.len() + 1);
            let mut ok = self.place_one(a, policy, forward, bound);
            if ok {
                placed.push(a);
                for &c in &block {
                    if self.done[c] {
                        continue;
                    }
                    if !self.eligible(c, forward)
                        || !self.place_one(c, policy, forward, if forward { 0 } else { Day::MAX })
                    {
                        ok = false;
                        break;
                    }
                    placed.push(c);
                }
            }
            spans.iter().for_each(|&si| self.deferred[si] = false);
            let mut conflict = None;
            if ok {
                self.reqs.clear();
                for &si in &spans {
                    let sp = &p.spans[si];
                    let (lo, hi) = (self.start[sp.first], self.end[sp.last]);
                    if hi > lo && sp.amount > 0 {
                        self.reqs.push(Req {
                            res: sp.resource,
                            amt: sp.amount,
                            lo,
                            hi,
                        });
                    }
                }
                conflict = self.conflict(forward);
                if conflict.is_none() {
                    self.journal = None;
                    for q in std::mem::take(&mut self.reqs) {
                        self.add(q.res, q.amt, q.lo, q.hi);
                    }
                    return placed.len();
                }
            }
            self.undo_journal();
            placed.iter().for_each(|&x| self.done[x] = false);
            match conflict {
                Some(c) if forward => bound = c + 1,
                Some(c) => bound = c,
                None => return 0,
            }
        }
    }

    fn eligible(&self, a: ActId, forward: bool) -> bool {
        if forward {
            self.inn[a]
                .iter()
                .all(|&li| self.done[self.p.links[li].from])
                && (!self.blocks || self.gate_fwd[a].iter().all(|&x| self.done[x]))
        } else {
            self.out[a].iter().all(|&li| self.done[self.p.links[li].to])
                && (!self.blocks || self.gate_bwd[a].iter().all(|&x| self.done[x]))
        }
    }

    fn run(&mut self, order: &[ActId], policy: ModePolicy, forward: bool) -> Option<Schedule> {
        let n = self.p.activities.len();
        if order.len() != n {
            return None;
        }
        self.reset();
        let has_spans = !self.p.spans.is_empty();
        let mut blocked = vec![false; n];
        let mut cursor = 0;
        let mut placed = 0;
        // Work fixed at one start and free of links (a re-plan's running
        // work) goes first in either direction: nothing may take its crews.
        for a in 0..n {
            if self.pinned[a] && self.out[a].is_empty() {
                if self.place(a, policy, forward) == 0 {
                    return None;
                }
                placed += 1;
            }
        }
        while placed < n {
            while cursor < n && self.done[order[cursor]] {
                cursor += 1;
            }
            let mut progress = false;
            for &a in &order[cursor..] {
                if a >= n || self.done[a] || blocked[a] || !self.eligible(a, forward) {
                    continue;
                }
                let count = self.place(a, policy, forward);
                if count > 0 {
                    placed += count;
                    progress = true;
                    if !self.opens[a].is_empty() || !self.closes[a].is_empty() {
                        blocked.iter_mut().for_each(|b| *b = false);
                    }
                    break;
                }
                if !has_spans {
                    return None;
                }
                blocked[a] = true;
            }
            if !progress {
                return None;
            }
        }
        Some(Schedule {
            starts: self.start.clone(),
            modes: self.mode.clone(),
        })
    }
}

/// True when `a` has no predecessor and every mode allows exactly one start.
pub fn is_pinned(p: &Problem, inn: &[Vec<usize>], a: ActId) -> bool {
    inn[a].is_empty()
        && p.activities[a].modes.iter().all(|m| match &m.timing {
            super::problem::Timing::Table(t) => {
                t.iter()
                    .filter(|&&e| e != super::problem::Timing::NO_START)
                    .count()
                    == 1
            }
            super::problem::Timing::Fixed(_) => false,
        })
}

/// Activities reachable from `from` along the links (`forward`) or against
/// them, including `from`.
fn reach(p: &Problem, adj: &[Vec<usize>], from: ActId, forward: bool) -> Vec<bool> {
    let mut seen = vec![false; p.activities.len()];
    let mut stack = vec![from];
    seen[from] = true;
    while let Some(a) = stack.pop() {
        for &li in &adj[a] {
            let l = &p.links[li];
            let b = if forward { l.to } else { l.from };
            if !seen[b] {
                seen[b] = true;
                stack.push(b);
            }
        }
    }
    seen
}

/// The gates that keep open spans from deadlocking the SGS, and the blocks
/// (chains) placed with each span's opener.
///
/// A span's *chain* is every activity on a path from its `first` to its
/// `last`. Once the span is open, the SGS must be able to close it; that is
/// guaranteed when every activity outside the chain that the chain waits for
/// is already placed. So, forward, `first` may only be placed after those
/// outside predecessors; backward, `last` only after the chain's outside
/// successors.
fn span_gates(p: &Problem, inn: &[Vec<usize>], out: &[Vec<usize>]) -> Gates {
    let n = p.activities.len();
    let mut fwd = vec![Vec::new(); n];
    let mut bwd = vec![Vec::new(); n];
    let mut block_fwd: Vec<Vec<ActId>> = vec![Vec::new(); n];
    let mut block_bwd: Vec<Vec<ActId>> = vec![Vec::new(); n];
    let rank = {
        let mut rank = vec![0; n];
        for (i, a) in p
            .topological_order()
            .unwrap_or_default()
            .into_iter()
            .enumerate()
        {
            rank[a] = i;
        }
        rank
    };
    for sp in p.spans.iter().filter(|sp| sp.first != sp.last) {
        let down = reach(p, out, sp.first, true);
        let up = reach(p, inn, sp.last, false);
        let chain: Vec<bool> = (0..n)
            .map(|a| down[a] && up[a] || a == sp.first || a == sp.last)
            .collect();
        for c in (0..n).filter(|&c| chain[c]) {
            if c != sp.first && !block_fwd[sp.first].contains(&c) {
                block_fwd[sp.first].push(c);
            }
            if c != sp.last && !block_bwd[sp.last].contains(&c) {
                block_bwd[sp.last].push(c);
            }
            for &li in &inn[c] {
                let x = p.links[li].from;
                if c != sp.first && !chain[x] && !fwd[sp.first].contains(&x) {
                    fwd[sp.first].push(x);
                }
            }
            for &li in &out[c] {
                let x = p.links[li].to;
                if c != sp.last && !chain[x] && !bwd[sp.last].contains(&x) {
                    bwd[sp.last].push(x);
                }
            }
        }
    }
    for b in &mut block_fwd {
        b.sort_by_key(|&a| rank[a]);
    }
    for b in &mut block_bwd {
        b.sort_by_key(|&a| std::cmp::Reverse(rank[a]));
    }
    (fwd, bwd, block_fwd, block_bwd)
}

/// Forward and backward gates, forward and backward blocks.
type Gates = (
    Vec<Vec<ActId>>,
    Vec<Vec<ActId>>,
    Vec<Vec<ActId>>,
    Vec<Vec<ActId>>,
);

#[cfg(test)]
mod tests;
