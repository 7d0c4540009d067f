//! A finish bound from a time-indexed linear program (issue #22): the
//! destructive test of this module's parent, with the linear relaxation of
//! the time-indexed integer program as the test.
//!
//! **The test.** A candidate finish `T` is refuted when the linear
//! relaxation of the time-indexed model with every end at or before `T`
//! has no solution. Columns `x[a,m,s] ∈ [0,1]`: activity `a` in mode `m`
//! starts on day `s`, for the starts in `a`'s window computed with `T` as
//! the horizon whose end (from the mode's timing table, so calendars and
//! the rainy season count) is inside the window. Rows:
//! - each activity starts once: `Σ x[a,·,·] = 1`;
//! - cumulative columns `S[a,t]` ("started by `t`") and `E[a,t]` ("ended
//!   by `t`") defined by `S[a,t] − S[a,t−1] = Σ_{s = t} x[a,·,s]` and
//!   likewise for ends, only over the days where they are not 0 or 1;
//! - every link in the strong (started-by) form: for a finish-to-start link
//!   `a → b` with lag `L`, `S[b,t] ≤ E[a,t−L]` for every day `t` (start-to-
//!   start: `S[b,t] ≤ S[a,t−L]`) — the disaggregated precedence of the
//!   integer program (module `milp`), written through the cumulative
//!   columns so each row has two entries;
//! - every resource and bucket of days `[b0, b1)`: the work of the starts
//!   overlapping it (units × days inside) plus every open trench's days
//!   `amount · Σ_d (S[first,d] − E[last,d])` at most `capacity · (b1 − b0)`
//!   (the sum of the day rows, so a coarser bucket only drops constraints).
//!
//! Every schedule finishing by `T` is a 0/1 solution, so an infeasible LP
//! refutes `T`. The test is **monotone**: with a smaller `T` every window
//! is narrower (the latest ends are the deadline `T` minus the tails), so
//! the LP of `T' < T` has a subset of `T`'s start columns, the same link
//! rows and, since the buckets are aligned on day 0, resource rows whose
//! capacity is at most `T`'s (the last bucket is cut at `T'`); a solution
//! of it is one of `T`'s LP with the missing columns at 0. Refuting `T`
//! therefore refutes every finish before it, and the least `T` not refuted
//! is found by bisection ([`finish_bound`]).
//!
//! **The relaxation.** The whole city's LP (832 activities, 153 trenches)
//! has three million non-zeros per day rows and does not solve in minutes,
//! so the LP is built over a part of the problem: the kept activities with
//! the links and trenches among them ([`Relaxation`]). Each kept activity
//! keeps the window the *whole* problem gives it with `T` as horizon
//! (release at its earliest start, deadline at its latest end): the heads
//! and tails of the dropped work, which hold in every schedule of the whole
//! problem finishing by `T`. Dropping activities only removes columns and
//! rows, so every schedule of the whole problem restricted to the kept
//! activities is a 0/1 solution of the smaller LP, and a refutation there
//! refutes the whole problem.
//!
//! Which part: the **station chains** ([`station_chains`]), the work that
//! exists only for a station to become heat-ready — each station's
//! heat-ready activity (the member of its households-level due group) and,
//! backwards, every activity all of whose successors are kept (its civil
//! works and its equipment). The pipe's tests that feed a station's
//! commissioning have other successors and are left out with the rest of
//! the network, which enters only through the heads and tails. On the city
//! the chains are the 192 civil, MEP and commissioning jobs, and their
//! three crew types together are what lifts the bound: one decisive LP
//! (day 150, 3-day rows, 471,576 non-zeros) is infeasible where the
//! combinatorial bound stops at day 144; any two of the crew types alone
//! refute nothing at day 150, and adding the segments' tests (347
//! activities) lifts nothing past day 152 at twice the size (measured with
//! `examples/lp_finish_probe.rs`, which calls this module).
//!
//! HiGHS solves each LP with its interior-point method on one thread
//! (simplex and PDLP did not finish the city's decisive LP in 150 s), with
//! crossover off — only feasibility matters, and only "infeasible" refutes —
//! under the caller's [`Budget`]: its deadline and stop flag interrupt
//! HiGHS through the adapter's callback, and an LP cut short refutes
//! nothing.

use super::super::budget::Budget;
use super::super::highs_adapter::{set_option, solve_mip, use_threads};
use super::super::problem::{ActId, Day, Level, Link, LinkKind, Problem, Span};
use super::super::window::Windows;
use highs::{Col, HighsModelStatus, RowProblem, Sense};

/// The part of a problem an LP is built over (see the module
/// documentation, *The relaxation*).
#[derive(Debug, Clone)]
pub struct Relaxation {
    /// The kept activities with the links and trenches among them (groups
    /// dropped, the whole problem's horizon).
    pub problem: Problem,
    /// For each kept activity, its index in the whole problem.
    pub origin: Vec<ActId>,
}

impl Relaxation {
    /// The problem restricted to the activities `keep` marks (one flag per
    /// activity of `p`).
    pub fn keeping(p: &Problem, keep: &[bool]) -> Relaxation {
        let origin: Vec<ActId> = (0..keep.len()).filter(|&a| keep[a]).collect();
        let mut index = vec![None; keep.len()];
        for (i, &a) in origin.iter().enumerate() {
            index[a] = Some(i);
        }
        let mut q = p.clone();
        q.activities = origin.iter().map(|&a| p.activities[a].clone()).collect();
        q.links = p
            .links
            .iter()
            .filter_map(|l| {
                Some(Link {
                    from: index[l.from]?,
                    to: index[l.to]?,
                    ..l.clone()
                })
            })
            .collect();
        q.spans = p
            .spans
            .iter()
            .filter_map(|s| {
                Some(Span {
                    first: index[s.first]?,
                    last: index[s.last]?,
                    ..s.clone()
                })
            })
            .collect();
        q.groups.clear();
        q.baseline = None;
        Relaxation { problem: q, origin }
    }
}

/// The station chains of `p` (see the module documentation): the members
/// of households-level due groups and, backwards, every activity all of
/// whose successors are kept. `None` when `p` has no such group.
pub fn station_chains(p: &Problem) -> Option<Relaxation> {
    let n = p.activities.len();
    let mut keep = vec![false; n];
    for g in p.groups.iter().filter(|g| g.level == Level::Households) {
        for &a in &g.members {
            keep[a] = true;
        }
    }
    if !keep.iter().any(|&k| k) {
        return None;
    }
    let mut succs: Vec<Vec<ActId>> = vec![Vec::new(); n];
    for l in &p.links {
        succs[l.from].push(l.to);
    }
    // To a fixpoint: a predecessor joins once its last successor has.
    let mut changed = true;
    while changed {
        changed = false;
        for a in 0..n {
            if !keep[a] && !succs[a].is_empty() && succs[a].iter().all(|&b| keep[b]) {
                keep[a] = true;
                changed = true;
            }
        }
    }
    Some(Relaxation::keeping(p, &keep))
}

/// Seconds of one core the interior point needs per non-zero of the LP,
/// about: the city's station chains (420,000–480,000 non-zeros with 3-day
/// rows) took 13–18 s at a machine load of 3 on 2 cores. An LP the time
/// left cannot solve by this estimate is not started (it would only take
/// the core from the search beside it).
pub const SOLVE_SECONDS_PER_NONZERO: f64 = 3.5e-5;

/// The size and outcome of one LP.
#[derive(Debug, Clone, PartialEq)]
pub struct Tried {
    /// The finish tested.
    pub finish: Day,
    /// No schedule finishes by `finish`.
    pub refuted: bool,
    /// The verdict is settled: refuted, or an LP solved and found
    /// feasible; false when the LP was cut short, skipped for lack of
    /// time or failed (and then refutes nothing).
    pub settled: bool,
    /// Why: the LP's status, or what refuted it before any LP.
    pub why: String,
    /// Columns of the LP (0 when refuted before building it).
    pub columns: usize,
    /// Rows of the LP.
    pub rows: usize,
    /// Non-zeros of the LP.
    pub nonzeros: usize,
    /// Seconds spent building and solving it.
    pub seconds: f64,
}

/// A cumulative quantity of one activity over days: 0 before `lo`, 1 from
/// `lo + cols.len()` on, the column `cols[t − lo]` in between.
struct Cum {
    lo: i64,
    cols: Vec<usize>,
}

impl Cum {
    /// The value on day `t`: a constant or a column.
    fn at(&self, t: i64) -> Result<f64, usize> {
        if t < self.lo {
            Ok(0.0)
        } else if t >= self.lo + self.cols.len() as i64 {
            Ok(1.0)
        } else {
            Err(self.cols[(t - self.lo) as usize])
        }
    }

    /// The first day on which it is surely 1.
    fn end(&self) -> i64 {
        self.lo + self.cols.len() as i64
    }
}

/// The LP being built, with its size.
struct Lp {
    rp: RowProblem,
    cols: Vec<Col>,
    rows: usize,
    nonzeros: usize,
}

impl Lp {
    fn column(&mut self) -> usize {
        self.cols.push(self.rp.add_column(0.0, 0.0..=1.0));
        self.cols.len() - 1
    }

    /// Adds `lo ≤ Σ terms ≤ hi`, merging repeated columns.
    fn row(&mut self, lo: f64, hi: f64, mut terms: Vec<(usize, f64)>) {
        terms.sort_unstable_by_key(|t| t.0);
        let mut merged: Vec<(usize, f64)> = Vec::with_capacity(terms.len());
        for (i, c) in terms {
            match merged.last_mut() {
                Some(l) if l.0 == i => l.1 += c,
                _ => merged.push((i, c)),
            }
        }
        merged.retain(|t| t.1 != 0.0);
        self.rows += 1;
        self.nonzeros += merged.len();
        let cols = &self.cols;
        self.rp
            .add_row(lo..=hi, merged.into_iter().map(|(i, c)| (cols[i], c)));
    }

    /// `lhs ≤ rhs` for two cumulative values; false when constants alone
    /// violate it.
    fn le(&mut self, lhs: Result<f64, usize>, rhs: Result<f64, usize>) -> bool {
        match (lhs, rhs) {
            (Ok(l), Ok(r)) => l <= r,
            (Ok(l), _) if l <= 0.0 => true,
            (_, Ok(r)) if r >= 1.0 => true,
            (Ok(l), Err(c)) => {
                self.row(l, f64::INFINITY, vec![(c, 1.0)]);
                true
            }
            (Err(c), Ok(r)) => {
                self.row(f64::NEG_INFINITY, r, vec![(c, 1.0)]);
                true
            }
            (Err(c), Err(d)) => {
                self.row(f64::NEG_INFINITY, 0.0, vec![(c, 1.0), (d, -1.0)]);
                true
            }
        }
    }
}

/// Cumulative columns of the days in `days` (one activity's starts or ends
/// with their start columns) with their defining rows.
fn cumulative(lp: &mut Lp, days: &[(i64, usize)]) -> Cum {
    let lo = days.iter().map(|d| d.0).min().unwrap_or(0);
    let hi = days.iter().map(|d| d.0).max().unwrap_or(0);
    let cols: Vec<usize> = (lo..hi).map(|_| lp.column()).collect();
    for t in lo..hi {
        let i = (t - lo) as usize;
        let mut terms = vec![(cols[i], 1.0)];
        if i > 0 {
            terms.push((cols[i - 1], -1.0));
        }
        terms.extend(days.iter().filter(|d| d.0 == t).map(|d| (d.1, -1.0)));
        lp.row(0.0, 0.0, terms);
    }
    Cum { lo, cols }
}

/// A cumulative quantity marked as needed (by a link or a trench).
fn read(c: &Option<Cum>) -> &Cum {
    c.as_ref().expect("marked as needed")
}

/// One start column: activity, mode, start, end, and its index in the LP.
struct Start {
    act: usize,
    mode: usize,
    start: Day,
    end: Day,
    col: usize,
}

/// Whether the LP over `r` refutes every schedule of `full` finishing by
/// `t`, with resource rows of `bucket` days, within `budget` (an LP cut
/// short refutes nothing).
pub fn test_finish(full: &Problem, r: &Relaxation, t: Day, bucket: Day, budget: &Budget) -> Tried {
    let started = std::time::Instant::now();
    let mut x = build_and_solve(full, r, t, bucket, budget);
    x.seconds = started.elapsed().as_secs_f64();
    x
}

/// [`test_finish`] without the time taken.
fn build_and_solve(full: &Problem, r: &Relaxation, t: Day, bucket: Day, budget: &Budget) -> Tried {
    let failed = |why: String| Tried {
        finish: t,
        refuted: true,
        settled: true,
        why,
        columns: 0,
        rows: 0,
        nonzeros: 0,
        seconds: 0.0,
    };
    // The whole problem's windows at `t`: heads and tails of dropped work.
    let mut f = full.clone();
    f.horizon = t;
    let Ok(whole) = Windows::compute(&f) else {
        return failed("the whole problem's windows".into());
    };
    let mut qt = r.problem.clone();
    qt.horizon = t;
    for (a, act) in qt.activities.iter_mut().enumerate() {
        act.release = act.release.max(whole.es[r.origin[a]]);
    }
    let deadlines: Vec<(usize, Day)> = r
        .origin
        .iter()
        .enumerate()
        .map(|(a, &o)| (a, whole.lf[o]))
        .collect();
    let w = match Windows::compute_with_deadlines(&qt, &deadlines) {
        Ok(w) => w,
        Err(e) => return failed(format!("windows: {e}")),
    };
    let bucket = bucket.max(1);
    let mut lp = Lp {
        rp: RowProblem::default(),
        cols: Vec::new(),
        rows: 0,
        nonzeros: 0,
    };
    let mut starts: Vec<Start> = Vec::new();
    let mut by_act: Vec<Vec<usize>> = vec![Vec::new(); qt.activities.len()];
    for (a, act) in qt.activities.iter().enumerate() {
        for (m, mode) in act.modes.iter().enumerate() {
            if mode
                .demands
                .iter()
                .any(|&(r, u)| u > qt.resources[r].capacity)
            {
                continue;
            }
            for s in w.es[a].max(act.release)..=w.ls[a] {
                if budget.stopped() {
                    return open(t, "interrupted while building".into(), &lp);
                }
                if let Some(e) = mode.timing.end(s).filter(|&e| e <= w.lf[a]) {
                    by_act[a].push(starts.len());
                    let col = lp.column();
                    starts.push(Start {
                        act: a,
                        mode: m,
                        start: s,
                        end: e,
                        col,
                    });
                }
            }
        }
        if by_act[a].is_empty() {
            return failed(format!("`{}` has no start", act.name));
        }
        let terms = by_act[a].iter().map(|&i| (starts[i].col, 1.0)).collect();
        lp.row(1.0, 1.0, terms);
    }
    // "Started by" columns where a link or a trench reads them, "ended by"
    // ones likewise; nothing else needs them.
    let n = qt.activities.len();
    let (mut need_s, mut need_e) = (vec![false; n], vec![false; n]);
    for l in &qt.links {
        need_s[l.to] = true;
        match l.kind {
            LinkKind::FinishToStart => need_e[l.from] = true,
            LinkKind::StartToStart => need_s[l.from] = true,
        }
    }
    for sp in &qt.spans {
        need_s[sp.first] = true;
        need_e[sp.last] = true;
    }
    let cum = |lp: &mut Lp, need: &[bool], key: fn(&Start) -> Day| -> Vec<Option<Cum>> {
        by_act
            .iter()
            .zip(need)
            .map(|(v, &needed)| {
                needed.then(|| {
                    let days: Vec<(i64, usize)> = v
                        .iter()
                        .map(|&i| (key(&starts[i]) as i64, starts[i].col))
                        .collect();
                    cumulative(lp, &days)
                })
            })
            .collect()
    };
    let sb = cum(&mut lp, &need_s, |x| x.start);
    let eb = cum(&mut lp, &need_e, |x| x.end);
    for l in &qt.links {
        let to = read(&sb[l.to]);
        let from = match l.kind {
            LinkKind::FinishToStart => read(&eb[l.from]),
            LinkKind::StartToStart => read(&sb[l.from]),
        };
        for d in to.lo..=to.end() {
            if !lp.le(to.at(d), from.at(d - l.lag as i64)) {
                return failed(format!(
                    "link `{}` → `{}`",
                    qt.activities[l.from].name, qt.activities[l.to].name
                ));
            }
        }
    }
    // Resource rows per bucket: terms and surely-held units.
    let nb = t.div_ceil(bucket) as usize;
    let nr = qt.resources.len();
    let mut terms: Vec<Vec<(usize, f64)>> = vec![Vec::new(); nr * nb];
    let mut fixed = vec![0.0f64; nr * nb];
    for x in &starts {
        for &(r, u) in &qt.activities[x.act].modes[x.mode].demands {
            let mut d = x.start;
            while d < x.end {
                let k = d / bucket;
                let next = ((k + 1) * bucket).min(x.end);
                terms[r * nb + k as usize].push((x.col, (u * (next - d)) as f64));
                d = next;
            }
        }
    }
    for sp in &qt.spans {
        let (f, l) = (read(&sb[sp.first]), read(&eb[sp.last]));
        let amt = sp.amount as f64;
        for d in f.lo..l.end().min(t as i64) {
            let k = sp.resource * nb + (d as Day / bucket) as usize;
            match f.at(d) {
                Ok(v) => fixed[k] += amt * v,
                Err(c) => terms[k].push((c, amt)),
            }
            match l.at(d) {
                Ok(v) => fixed[k] -= amt * v,
                Err(c) => terms[k].push((c, -amt)),
            }
        }
    }
    for r in 0..nr {
        for k in 0..nb {
            let days = ((k as Day + 1) * bucket).min(t) - k as Day * bucket;
            let cap = (qt.resources[r].capacity * days) as f64 - fixed[r * nb + k];
            let row = std::mem::take(&mut terms[r * nb + k]);
            let most: f64 = row.iter().map(|t| t.1.max(0.0)).sum();
            if most > cap + 1e-9 {
                lp.row(f64::NEG_INFINITY, cap, row);
            }
        }
    }
    if budget.stopped() || budget.expired() {
        return open(t, "interrupted before solving".into(), &lp);
    }
    let needs = lp.nonzeros as f64 * SOLVE_SECONDS_PER_NONZERO;
    if budget.remaining().as_secs_f64() < needs {
        return open(
            t,
            format!("too little time left ({needs:.0} s needed)"),
            &lp,
        );
    }
    let (columns, rows, nonzeros) = (lp.cols.len(), lp.rows, lp.nonzeros);
    let mut hm = lp.rp.optimise(Sense::Minimise);
    hm.make_quiet();
    let configured = (|| {
        set_option(&mut hm, "solver", "ipm")?;
        set_option(&mut hm, "run_crossover", "off")?;
        set_option(&mut hm, "threads", 1)?;
        use_threads(1);
        set_option(
            &mut hm,
            "time_limit",
            budget.remaining().as_secs_f64().max(0.01),
        )
    })();
    if let Err(e) = configured {
        return Tried {
            refuted: false,
            settled: false,
            why: e.to_string(),
            ..failed(String::new())
        };
    }
    let (refuted, settled, why) = match solve_mip(hm, budget, &mut |_| {}) {
        Ok(run) => {
            let status = run.solved.status();
            let refuted = status == HighsModelStatus::Infeasible;
            let settled = refuted || status == HighsModelStatus::Optimal;
            (refuted, settled, format!("{status:?}"))
        }
        Err(e) => (false, false, e),
    };
    Tried {
        finish: t,
        refuted,
        settled,
        why,
        columns,
        rows,
        nonzeros,
        seconds: 0.0,
    }
}

/// An LP not solved (interrupted or failed): refutes nothing.
fn open(t: Day, why: String, lp: &Lp) -> Tried {
    Tried {
        finish: t,
        refuted: false,
        settled: false,
        why,
        columns: lp.cols.len(),
        rows: lp.rows,
        nonzeros: lp.nonzeros,
        seconds: 0.0,
    }
}

/// The outcome of [`finish_bound`].
#[derive(Debug, Clone, PartialEq)]
pub struct LpBound {
    /// Every finish before this day is refuted: no schedule of the whole
    /// problem ends before it.
    pub finish: Day,
    /// The search ended (the next finish was tested and not refuted),
    /// rather than at the budget or an LP that could not be settled.
    pub complete: bool,
    /// Every LP tried, in order.
    pub tried: Vec<Tried>,
}

/// The least finish of `full` that the LPs over `r` do not refute, by
/// bisection from `low` (every earlier finish known refuted, e.g. the
/// combinatorial bound) up to `high` (a finish known reachable, e.g. a
/// plan's), each LP with resource rows of `bucket` days, all within
/// `budget`. `next` picks the finish to test in `[lo, hi)`; the bisection's
/// midpoint is `(lo + hi) / 2`. The result holds whenever the budget stops
/// it: its finish only rises past a finish that is refuted, which refutes
/// every earlier one (the test is monotone).
pub fn finish_bound(
    full: &Problem,
    r: &Relaxation,
    (low, high): (Day, Day),
    bucket: Day,
    budget: &Budget,
    next: &dyn Fn(Day, Day) -> Day,
) -> LpBound {
    let (mut lo, mut hi) = (low, high.max(low));
    let mut tried = Vec::new();
    // Invariant: every finish before `lo` is refuted, `hi` is not.
    while lo < hi {
        if budget.stopped() || budget.expired() {
            break;
        }
        let t = next(lo, hi).clamp(lo, hi - 1);
        let x = test_finish(full, r, t, bucket, budget);
        let (refuted, settled) = (x.refuted, x.settled);
        tried.push(x);
        if !settled {
            // Cut short or skipped: nothing learnt, and no time for more.
            break;
        }
        if refuted {
            lo = t + 1;
        } else {
            hi = t;
        }
    }
    LpBound {
        finish: lo,
        complete: lo >= hi,
        tried,
    }
}

#[cfg(test)]
mod tests;
