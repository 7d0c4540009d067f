//! The optimiser's entry point: warm start, MILP large-neighbourhood search,
//! and the full time-indexed model for the bound.
//!
//! [`solve`] works in three phases inside one time limit:
//!
//! 1. **Full model, short.** The incumbent (the caller's warm start, if it
//!    checks out) is left-justified ([`left_justify`]), then the time-indexed
//!    model of [`super::milp`] is solved with it as HiGHS's starting solution
//!    for a tenth of the time (half without an incumbent). The incumbent also
//!    shortens the horizon: every schedule at least as good ends by
//!    `value / finish`, so the windows shrink. Small instances close here.
//! 2. **Large-neighbourhood search.** Repeatedly a day `t` is chosen (the
//!    start of a random activity): activities the incumbent starts before `t`
//!    are fixed at their start and mode, the next `k` activities by start are
//!    free, and the later ones keep their mode and may only move up to a tenth
//!    of the makespan earlier (so the tail can close up behind an
//!    improvement). The sub-model is solved for at most one second (a
//!    secondary "sum of ends" objective was tried and made it worse); its
//!    schedule is
//!    left-justified and, if it checks out and is no worse by
//!    [`Problem::score`], replaces the incumbent. `k` grows after fast
//!    optimal sub-solves and shrinks after timeouts. This runs until 60 % of the
//!    time is used. The width
//!    `w` grows after sub-models solved to optimality and shrinks after
//!    timeouts.
//! 3. **Full model again** with the rest of the time, warm-started from the
//!    improved incumbent, to raise the dual bound (HiGHS prunes with the
//!    incumbent).
//!
//! The reported bound is the maximum of the bounds proven by the full models
//! and a trivial bound (critical path, resource work, earliest lateness and
//! least cost). Every schedule kept is re-checked against every constraint by
//! [`check_schedule`]; nothing unchecked is ever returned.
//!
//! Interruption: the stop flag is polled between phases and LNS rounds and,
//! inside HiGHS, by the MIP-interrupt callback between branch-and-bound nodes.

use std::fmt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::milp::{
    self, check_schedule, Domain, MilpOptions, MilpProgress, MilpStatus, PrecedenceForm,
};
use super::problem::{Day, Problem, Schedule, Score};
use super::rng::Rng;
use super::usage::{fits, hold};

/// Options of [`solve`].
#[derive(Debug, Clone)]
pub struct SolveOptions {
    /// Wall-clock limit for the whole solve.
    pub time_limit: Duration,
    /// Stop once the relative gap `(best − bound) / best` is at most this.
    pub gap: f64,
    /// Threads for HiGHS (0 = HiGHS's choice).
    pub threads: u32,
    /// Seed for the neighbourhood choice and for HiGHS.
    pub seed: u64,
    /// Set from another thread (e.g. a Ctrl-C handler) to stop early.
    pub stop: Option<Arc<AtomicBool>>,
    /// Run the large-neighbourhood search (phase 2).
    pub lns: bool,
    /// Precedence formulation of the full model.
    pub form: PrecedenceForm,
}

impl Default for SolveOptions {
    fn default() -> Self {
        SolveOptions {
            time_limit: Duration::from_secs(60),
            gap: 0.0,
            threads: 0,
            seed: 1,
            stop: None,
            lns: true,
            form: PrecedenceForm::Disaggregated,
        }
    }
}

/// A progress report.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Progress {
    /// Time since [`solve`] started.
    pub elapsed: Duration,
    /// Objective of the best schedule so far.
    pub best: Option<u64>,
    /// Best proven lower bound so far.
    pub bound: u64,
    /// Relative gap `(best − bound) / best` (infinite without a schedule).
    pub gap: f64,
}

/// How a solve ended.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Status {
    /// The schedule is proven optimal.
    Optimal,
    /// A schedule was found; its objective is at most `gap` (relative) above
    /// the optimum.
    Feasible {
        /// `(best − bound) / best`.
        gap: f64,
    },
    /// No schedule exists.
    Infeasible,
    /// No schedule was found, but none was proven impossible either.
    NoSolution,
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Status::Optimal => write!(f, "optimal"),
            Status::Feasible { gap } => write!(f, "feasible (gap {:.2} %)", gap * 100.0),
            Status::Infeasible => write!(f, "infeasible"),
            Status::NoSolution => write!(f, "no solution found"),
        }
    }
}

/// What [`solve`] returns.
#[derive(Debug, Clone, PartialEq)]
pub struct SolveResult {
    /// The best schedule found, checked against every constraint.
    pub schedule: Option<Schedule>,
    /// Its score.
    pub score: Option<Score>,
    /// Proven lower bound on the objective value.
    pub bound: u64,
    /// How it ended.
    pub status: Status,
    /// Why it stopped, in words.
    pub stop_reason: String,
}

/// Solves `p`, starting from `warm` if given (it is checked and ignored when
/// infeasible), within `opts.time_limit`. `progress` is called on every
/// improvement and about once a second while HiGHS runs.
pub fn solve(
    p: &Problem,
    warm: Option<Schedule>,
    opts: &SolveOptions,
    progress: &mut dyn FnMut(&Progress),
) -> SolveResult {
    let mut st = Search {
        p,
        opts,
        t0: Instant::now(),
        best: None,
        bound: 0,
        infeasible: None,
        progress,
        reason: None,
        too_large: false,
    };
    match super::bound::lower_bound(p).map_err(|e| e.to_string()) {
        Ok(b) => st.bound = b,
        Err(why) => st.infeasible = Some(why),
    }
    if st.infeasible.is_none() {
        if let Some(w) = warm {
            st.offer(w, false);
        }
        st.run();
    }
    st.finish()
}

/// The state of one solve.
struct Search<'a> {
    p: &'a Problem,
    opts: &'a SolveOptions,
    t0: Instant,
    best: Option<(Schedule, Score)>,
    bound: u64,
    infeasible: Option<String>,
    progress: &'a mut dyn FnMut(&Progress),
    reason: Option<String>,
    /// The last full model was too large to build.
    too_large: bool,
}

impl Search<'_> {
    fn run(&mut self) {
        let limit = self.opts.time_limit;
        if let Some((s, _)) = self.best.clone() {
            self.offer(left_justify(self.p, &s), false);
        }
        let share = if self.best.is_some() { 0.1 } else { 0.5 };
        self.full_model(self.t0 + limit.mul_f64(share));
        if self.done() {
            return;
        }
        // When the full model is too large to build, LNS gets all the time
        // instead of leaving the last 40 % to a model that cannot be built.
        let lns_share = if self.too_large { 1.0 } else { 0.6 };
        if self.opts.lns {
            self.lns(self.t0 + limit.mul_f64(lns_share));
            if self.done() {
                return;
            }
        }
        if !self.too_large {
            self.full_model(self.t0 + limit);
        }
    }

    /// True when nothing is left to do: proven, infeasible, stopped, out of
    /// time, or within the requested gap.
    fn done(&mut self) -> bool {
        if self.infeasible.is_some() || self.stopped() || self.gap() <= self.opts.gap.max(0.0) {
            return true;
        }
        if self.t0.elapsed() >= self.opts.time_limit {
            self.reason.get_or_insert_with(|| "time limit".into());
            return true;
        }
        false
    }

    fn stopped(&mut self) -> bool {
        let s = self
            .opts
            .stop
            .as_ref()
            .is_some_and(|s| s.load(Ordering::Relaxed));
        if s {
            self.reason = Some("interrupted".into());
        }
        s
    }

    fn best_value(&self) -> Option<u64> {
        self.best.as_ref().map(|b| b.1.value)
    }

    fn gap(&self) -> f64 {
        gap(self.best_value(), self.bound)
    }

    fn report(&mut self) {
        let pr = Progress {
            elapsed: self.t0.elapsed(),
            best: self.best_value(),
            bound: self.bound,
            gap: self.gap(),
        };
        (self.progress)(&pr);
    }

    /// Keeps `s` if it checks out and improves the incumbent (or equals it,
    /// when `accept_equal`). Returns whether it was kept.
    fn offer(&mut self, s: Schedule, accept_equal: bool) -> bool {
        if check_schedule(self.p, &s).is_err() {
            return false;
        }
        let score = self.p.score(&s);
        let keep = match self.best_value() {
            None => true,
            Some(v) => {
                score.value < v
                    || (accept_equal && score.value == v && self.best.as_ref().unwrap().0 != s)
            }
        };
        if keep {
            let improved = self.best_value() != Some(score.value);
            self.best = Some((s, score));
            if improved {
                self.report();
            }
        }
        keep
    }

    /// The horizon every schedule at least as good as the incumbent keeps.
    fn model_horizon(&self) -> Day {
        let f = self.p.objective.finish;
        match self.best_value() {
            Some(v) if f > 0 => (v / f).min(self.p.horizon as u64) as Day,
            _ => self.p.horizon,
        }
    }

    fn milp_options(&self, until: Instant) -> MilpOptions {
        MilpOptions {
            time_limit: until.saturating_duration_since(Instant::now()),
            gap: self.opts.gap,
            threads: self.opts.threads,
            seed: self.opts.seed,
            stop: self.opts.stop.clone(),
            form: self.opts.form,
        }
    }

    /// Solves the full model until `until`, keeping its schedule and bound.
    fn full_model(&mut self, until: Instant) {
        if until <= Instant::now() {
            return;
        }
        let horizon = self.model_horizon();
        let reduced = horizon < self.p.horizon;
        let mo = self.milp_options(until);
        let warm = self.best.as_ref().map(|b| b.0.clone());
        let (t0, best, bound) = (self.t0, self.best_value(), self.bound);
        let progress = &mut *self.progress;
        let mut cb = |mp: &MilpProgress| {
            let primal = (mp.primal.is_finite()).then(|| mp.primal.round() as u64);
            let best = match (best, primal) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
            let dual = if mp.dual.is_finite() {
                (mp.dual - 1e-6).ceil().max(0.0) as u64
            } else {
                0
            };
            let bound = bound.max(dual).min(best.unwrap_or(u64::MAX));
            progress(&Progress {
                elapsed: t0.elapsed(),
                best,
                bound,
                gap: gap(best, bound),
            });
        };
        let r = milp::solve(self.p, horizon, None, warm.as_ref(), &mo, &mut cb);
        self.too_large = r.too_large;
        if r.status == MilpStatus::Infeasible && !reduced {
            self.infeasible = Some(r.stop_reason.clone());
            return;
        }
        if let Some(s) = r.schedule {
            self.offer(s, false);
        }
        // With a reduced horizon the model still holds every schedule at
        // least as good as the incumbent, so its bound is valid (capped at
        // the incumbent's value by `raise_bound`).
        self.raise_bound(r.bound);
        self.reason = Some(r.stop_reason);
    }

    fn raise_bound(&mut self, b: u64) {
        let b = b.min(self.best_value().unwrap_or(u64::MAX));
        if b > self.bound {
            self.bound = b;
            self.report();
        }
    }

    /// Large-neighbourhood search on windows of days until `until`.
    fn lns(&mut self, until: Instant) {
        let mut rng = Rng::new(self.opts.seed ^ 0x9e37_79b9_7f4a_7c15);
        let n = self.p.activities.len();
        let mut k = 8.min(n).max(1);
        // Building and reading back a sub-model is outside HiGHS's own time
        // limit: keep a margin so the whole run ends near `until`.
        let margin = Duration::from_millis(300);
        let until = until.checked_sub(margin).unwrap_or(until);
        while Instant::now() + Duration::from_millis(50) < until && !self.done() {
            let Some((inc, score)) = self.best.clone() else {
                return;
            };
            let pivot = (rng.next_u64() % (n as u64).max(1)) as usize;
            let shift = (score.makespan / 10).max(2);
            let doms = neighbourhood(&inc, inc.starts[pivot], k, shift);
            let sub_until = until.min(Instant::now() + Duration::from_secs(1));
            let mut mo = self.milp_options(sub_until);
            mo.gap = 0.0;
            let r = milp::solve(
                self.p,
                self.model_horizon(),
                Some(&doms),
                Some(&inc),
                &mo,
                &mut |_| {},
            );
            k = match r.status {
                MilpStatus::Optimal if r.seconds < 0.5 => (k + 1).min(n),
                MilpStatus::Optimal => k,
                _ => (k.saturating_sub(2)).max(2),
            };
            if let Some(s) = r.schedule {
                let s = left_justify(self.p, &s);
                self.offer(s, true);
            }
        }
    }

    fn finish(self) -> SolveResult {
        if let Some(why) = self.infeasible {
            return SolveResult {
                schedule: None,
                score: None,
                bound: self.bound,
                status: Status::Infeasible,
                stop_reason: why,
            };
        }
        let reason = self.reason.clone().unwrap_or_else(|| "time limit".into());
        match self.best {
            None => SolveResult {
                schedule: None,
                score: None,
                bound: self.bound,
                status: Status::NoSolution,
                stop_reason: reason,
            },
            Some((s, score)) => {
                let bound = self.bound.min(score.value);
                let (status, stop_reason) = if bound == score.value {
                    (Status::Optimal, "proven optimal".to_string())
                } else {
                    let g = gap(Some(score.value), bound);
                    let why = if g <= self.opts.gap {
                        format!("relative gap {:.4} reached", g)
                    } else {
                        reason
                    };
                    (Status::Feasible { gap: g }, why)
                };
                SolveResult {
                    schedule: Some(s),
                    score: Some(score),
                    bound,
                    status,
                    stop_reason,
                }
            }
        }
    }
}

/// Relative gap `(best − bound) / best`; 0 when `best` is 0, infinite
/// without a best.
fn gap(best: Option<u64>, bound: u64) -> f64 {
    match best {
        None => f64::INFINITY,
        Some(0) => 0.0,
        Some(v) => v.saturating_sub(bound) as f64 / v as f64,
    }
}

/// Domains of one LNS move: activities the incumbent starts before `t` are
/// fixed; the `k` next ones (by start) are free; the rest keep their mode and
/// may move up to `shift` days earlier.
fn neighbourhood(inc: &Schedule, t: Day, k: usize, shift: Day) -> Vec<Domain> {
    let mut later: Vec<usize> = (0..inc.starts.len())
        .filter(|&a| inc.starts[a] >= t)
        .collect();
    later.sort_by_key(|&a| inc.starts[a]);
    let mut doms: Vec<Domain> = inc
        .starts
        .iter()
        .zip(&inc.modes)
        .map(|(&s, &m)| Domain::fixed(m, s))
        .collect();
    for (i, &a) in later.iter().enumerate() {
        let (s, m) = (inc.starts[a], inc.modes[a]);
        doms[a] = if i < k {
            Domain::free()
        } else {
            Domain {
                mode: Some(m),
                lo: s.saturating_sub(shift),
                hi: s,
            }
        };
    }
    doms
}

/// Left-justifies a feasible schedule: in order of start, every activity
/// (same mode) moves to the earliest day its predecessors, its release and
/// the resource profile of the others allow. Activities that open or close
/// a span stay put (moving them would change the span's usage). Ends never
/// get later, so lateness and makespan never grow; the caller still checks
/// and scores the result.
pub fn left_justify(p: &Problem, s: &Schedule) -> Schedule {
    let n = p.activities.len();
    let h = p.horizon as usize;
    let mut out = s.clone();
    let pinned: Vec<bool> = (0..n)
        .map(|a| p.spans.iter().any(|sp| sp.first == a || sp.last == a))
        .collect();
    let mut usage = vec![vec![0u64; h]; p.resources.len()];
    let end = |sc: &Schedule, a: usize| p.end(a, sc.modes[a], sc.starts[a]).unwrap_or(sc.starts[a]);
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
    for sp in &p.spans {
        for d in out.starts[sp.first]..end(&out, sp.last) {
            usage[sp.resource][d as usize] += sp.amount as u64;
        }
    }
    let inn = p.in_links();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by_key(|&a| out.starts[a]);
    for a in order.into_iter().filter(|&a| !pinned[a]) {
        let (m, s0, e0) = (out.modes[a], out.starts[a], end(&out, a));
        hold(p, &mut usage, a, m, s0, e0, -1);
        let lb = inn[a]
            .iter()
            .map(|&li| {
                let l = &p.links[li];
                let base = match l.kind {
                    super::problem::LinkKind::FinishToStart => end(&out, l.from),
                    super::problem::LinkKind::StartToStart => out.starts[l.from],
                };
                base as i64 + l.lag as i64
            })
            .fold(p.activities[a].release as i64, i64::max)
            .max(0) as Day;
        let new = (lb..s0).find(|&s| match p.end(a, m, s) {
            Some(e) => e <= e0 && fits(p, &usage, a, m, s, e),
            None => false,
        });
        let s = new.unwrap_or(s0);
        out.starts[a] = s;
        hold(p, &mut usage, a, m, s, end(&out, a), 1);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schedule::milp::tests::{exclusive_jobs, fs, job, problem};
    use crate::schedule::problem::*;

    fn opts() -> SolveOptions {
        SolveOptions {
            time_limit: Duration::from_secs(10),
            ..Default::default()
        }
    }

    /// Solves, checks the schedule and that the bound never exceeds it.
    fn solve_checked(p: &Problem, warm: Option<Schedule>) -> SolveResult {
        let mut reports = 0;
        let r = solve(p, warm, &opts(), &mut |_| reports += 1);
        if let Some(s) = &r.schedule {
            check_schedule(p, s).unwrap();
            assert!(r.bound <= r.score.unwrap().value);
            assert_eq!(r.score.unwrap(), p.score(s));
        }
        r
    }

    fn es_schedule(p: &Problem) -> Schedule {
        let w = crate::schedule::window::Windows::compute(p).unwrap();
        Schedule {
            starts: w.es,
            modes: vec![0; p.activities.len()],
        }
    }

    #[test]
    fn small_rcpsp_is_solved_to_optimality() {
        // Resource 0 (cap 2): a needs both units for 3 days, e both for one;
        // b, c, d need one unit. Work = 16 → makespan >= 8, achieved.
        let p = problem(
            30,
            &[2],
            vec![
                job("a", 3, &[(0, 2)]),
                job("b", 2, &[(0, 1)]),
                job("c", 2, &[(0, 1)]),
                job("d", 4, &[(0, 1)]),
                job("e", 1, &[(0, 2)]),
            ],
            vec![fs(0, 3, 0), fs(1, 2, 0), fs(2, 4, 0)],
        );
        let r = solve_checked(&p, None);
        assert_eq!(r.status, Status::Optimal);
        assert_eq!(r.score.unwrap().makespan, 8);
        assert_eq!(r.bound, 8);
    }

    #[test]
    fn exclusive_jobs_beat_the_trivial_bound() {
        let p = exclusive_jobs();
        assert_eq!(super::super::bound::lower_bound(&p).unwrap(), 4);
        let warm = Schedule {
            starts: vec![0, 2, 4, 6],
            modes: vec![0; 4],
        };
        let r = solve_checked(&p, Some(warm));
        assert_eq!(r.status, Status::Optimal);
        assert_eq!((r.score.unwrap().value, r.bound), (5, 5));
    }

    fn trench_problem(trenches: u32) -> Problem {
        // Two dig → restore pairs, restore 3 days after digging ends; the
        // trench is open from the start of digging to the end of restoring.
        let mut p = problem(
            40,
            &[trenches],
            vec![
                job("dig1", 2, &[]),
                job("restore1", 1, &[]),
                job("dig2", 2, &[]),
                job("restore2", 1, &[]),
            ],
            vec![fs(0, 1, 3), fs(2, 3, 3)],
        );
        p.spans = vec![
            Span {
                first: 0,
                last: 1,
                resource: 0,
                amount: 1,
            },
            Span {
                first: 2,
                last: 3,
                resource: 0,
                amount: 1,
            },
        ];
        p
    }

    #[test]
    fn spans_hold_the_trench_until_restored() {
        let r = solve_checked(&trench_problem(1), None);
        assert_eq!(r.status, Status::Optimal);
        assert_eq!(r.score.unwrap().makespan, 12);
        let r = solve_checked(&trench_problem(2), None);
        assert_eq!(r.score.unwrap().makespan, 6);
    }

    #[test]
    fn calendar_table_only_allows_even_starts() {
        let mut p = problem(
            20,
            &[],
            vec![job("pre", 1, &[]), job("cal", 3, &[])],
            vec![fs(0, 1, 0)],
        );
        let table = (0..=20u32)
            .map(|s| {
                if s % 2 == 0 && s + 3 <= 20 {
                    s + 3
                } else {
                    Timing::NO_START
                }
            })
            .collect();
        p.activities[1].modes[0].timing = Timing::Table(table);
        let r = solve_checked(&p, Some(es_schedule(&p)));
        assert_eq!(r.status, Status::Optimal);
        assert_eq!(r.schedule.unwrap().starts[1], 2);
        assert_eq!(r.score.unwrap().makespan, 5);
    }

    #[test]
    fn lateness_puts_the_heavier_group_first() {
        // p (3 days) and q (2 days) share one crew; q's group weighs 5 and is
        // due on day 2, p's weighs 1 and is due on day 3. q first: lateness 2.
        let mut p = problem(
            20,
            &[1],
            vec![job("p", 3, &[(0, 1)]), job("q", 2, &[(0, 1)])],
            vec![],
        );
        p.groups = vec![
            DueGroup {
                name: "P".into(),
                weight: 1,
                due: 3,
                members: vec![0],
            },
            DueGroup {
                name: "Q".into(),
                weight: 5,
                due: 2,
                members: vec![1],
            },
        ];
        p.objective = Objective {
            lateness: 10,
            finish: 1,
            cost: 0,
        };
        let warm = Schedule {
            starts: vec![0, 3],
            modes: vec![0, 0],
        };
        let r = solve_checked(&p, Some(warm));
        assert_eq!(r.status, Status::Optimal);
        let sc = r.score.unwrap();
        assert_eq!((sc.weighted_lateness, sc.makespan, sc.value), (2, 5, 25));
    }

    #[test]
    fn modes_trade_duration_for_crews() {
        // Two jobs on a crew resource of capacity 2: fast mode uses 2 crews
        // for 2 days, slow mode 1 crew for 3 days. Both slow in parallel: 3.
        let mode = |d, u| Mode {
            label: String::new(),
            demands: vec![(0, u)],
            timing: Timing::Fixed(d),
            cost_per_day: 0,
        };
        let act = |n: &str| Activity {
            name: n.into(),
            modes: vec![mode(2, 2), mode(3, 1)],
            release: 0,
        };
        let p = problem(20, &[2], vec![act("a"), act("b")], vec![]);
        let r = solve_checked(
            &p,
            Some(Schedule {
                starts: vec![0, 2],
                modes: vec![0, 0],
            }),
        );
        assert_eq!(r.status, Status::Optimal);
        assert_eq!(r.score.unwrap().makespan, 3);
    }

    #[test]
    fn too_short_horizon_is_infeasible() {
        let p = problem(
            3,
            &[],
            vec![job("a", 2, &[]), job("b", 2, &[])],
            vec![fs(0, 1, 0)],
        );
        let r = solve_checked(&p, None);
        assert_eq!(r.status, Status::Infeasible);
        // Resources alone make it infeasible: windows pass, the model fails.
        let p = problem(
            5,
            &[2],
            vec![job("a", 3, &[(0, 2)]), job("b", 3, &[(0, 2)])],
            vec![],
        );
        let r = solve_checked(&p, None);
        assert_eq!(r.status, Status::Infeasible);
    }

    #[test]
    fn lns_improves_a_poor_warm_start() {
        // A chain-free set of 8 unit-demand jobs on capacity 2, warm-started
        // one after the other; the optimum runs two at a time.
        let jobs = (0..8)
            .map(|i| job(&format!("j{i}"), 2, &[(0, 1)]))
            .collect();
        let p = problem(40, &[2], jobs, vec![]);
        let warm = Schedule {
            starts: (0..8).map(|i| 2 * i).collect(),
            modes: vec![0; 8],
        };
        let o = SolveOptions {
            time_limit: Duration::from_secs(5),
            ..Default::default()
        };
        let r = solve(&p, Some(warm), &o, &mut |_| {});
        assert_eq!(r.status, Status::Optimal);
        assert_eq!(r.score.unwrap().makespan, 8);
    }

    #[test]
    fn left_justify_closes_gaps_and_keeps_feasibility() {
        let p = exclusive_jobs();
        let loose = Schedule {
            starts: vec![3, 8, 12, 15],
            modes: vec![0; 4],
        };
        check_schedule(&p, &loose).unwrap();
        let tight = left_justify(&p, &loose);
        check_schedule(&p, &tight).unwrap();
        assert_eq!(tight.starts, vec![0, 2, 4, 6]);
    }

    #[test]
    fn status_is_displayed() {
        assert_eq!(
            Status::Feasible { gap: 0.05 }.to_string(),
            "feasible (gap 5.00 %)"
        );
        assert_eq!(Status::Optimal.to_string(), "optimal");
    }
}
