//! The MILP phase of the solver: warm start, large-neighbourhood search on
//! sub-models, and the full time-indexed model for the bound.
//!
//! [`solve`] works in three phases inside one budget (the shares below are
//! of the budget's whole limit, see [`Budget::first`]):
//!
//! 1. **Full model, short.** The incumbent (the caller's warm start, if it
//!    checks out) is left-justified ([`left_justify`]) and compacted, then the time-indexed
//!    model of [`super::milp`] is solved with it as HiGHS's starting solution
//!    for a tenth of the time (half without an incumbent). The incumbent also
//!    shortens the horizon: every schedule at least as good ends by
//!    `value / finish`, so the windows shrink. Small instances close here.
//! 2. **Large-neighbourhood search.** Repeatedly a day `t` is chosen (the
//!    start of a random activity): activities the incumbent starts before `t`
//!    are fixed at their start and mode, the next `k` activities by start are
//!    free, and the later ones keep their mode and may only move up to a tenth
//!    of the makespan earlier (so the tail can close up behind an
//!    improvement). Half the other rounds while no station is late (a quarter
//!    when some are) use a two-sided window instead: the `k` activities
//!    starting nearest `t` may move up to a twentieth of the makespan earlier
//!    or later, in any mode, and the rest is fixed — later starts are what
//!    moves work out of a holiday or the rainy season and saves crew-days.
//!    Once no station is late and the levels above the crew-days (time
//!    nodes, finish) have not improved for `STALL_ROUNDS` (20) rounds, three
//!    quarters of the rounds not aimed at a missed time node (still half)
//!    are two-sided, and half of those free the work competing for one dear
//!    activity's crews instead (`crew_neighbourhood`: the activities on the
//!    crews of every contractor it may go to, nearest in start, and its
//!    direct predecessors and successors), so that jobs can swap or change
//!    contractor to leave a holiday or the rainy season. The two-sided
//!    rounds keep their own size, which grows past the forward windows'.
//!    The sub-model is solved for at most one second (a
//!    secondary "sum of ends" objective was tried and made it worse); its
//!    schedule and its left-justified form are both compacted
//!    ([`compact`]: each crew activity to its cheapest start and mode in
//!    place) and, if they check out and are no worse by
//!    [`Problem::score`], the better one replaces the incumbent; a new
//!    incumbent is then re-timed as a whole ([`retime::improve`]: every
//!    start at once by a minimum cut with its crews' order of work fixed,
//!    which moves chains that one-at-a-time compaction cannot). `k` grows after fast
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

use std::time::{Duration, Instant};

use super::budget::Budget;
use super::compact::compact;
use super::milp::{self, check_schedule, MilpSettings, PrecedenceForm};
use super::outcome::{LevelSplit, Outcome, Progress, Status, StopReason};
use super::problem::{Day, Problem, Schedule, Score};
use super::retime;
use super::rng::Rng;
use super::shares::{FULL_MODEL_SHARE_COLD, FULL_MODEL_SHARE_WARM, LNS_SHARE, LNS_SUB_MODEL_LIMIT};
use super::usage::{fits, hold};
use windows::{
    crew_neighbourhood, dear_activity, missed_node_neighbourhood, neighbourhood,
    two_sided_neighbourhood, Mix,
};

mod windows;

/// Settings of [`solve`] beside its [`Budget`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LnsSettings {
    /// Stop once the relative gap on the first level of the objective
    /// still open is at most this, every level above it proven
    /// ([`LevelSplit::within`]).
    pub gap: f64,
    /// Run the large-neighbourhood search (phase 2).
    pub lns: bool,
    /// Precedence formulation of the full model.
    pub form: PrecedenceForm,
    /// A lower bound the caller has already proven (e.g. the portfolio's);
    /// `None`: computed here within a tenth of the budget.
    pub bound: Option<u64>,
    /// Compact every kept schedule's crew-days ([`compact`]) and alternate
    /// the forward windows with two-sided ones; on by default (off only to
    /// measure what they buy).
    pub crew_days: bool,
    /// Solve the full model (phases 1 and 3); on by default, off for a
    /// search of windows only, which then gets the whole budget (to measure
    /// the windows alone, as `examples/relaxed_probe.rs` does).
    pub full_model: bool,
}

impl Default for LnsSettings {
    fn default() -> Self {
        LnsSettings {
            gap: 0.0,
            lns: true,
            crew_days: true,
            full_model: true,
            form: PrecedenceForm::Disaggregated,
            bound: None,
        }
    }
}

/// Solves `p`, starting from `warm` if given (it is checked and ignored when
/// infeasible), within `budget`. `progress` is called on every improvement
/// and about once a second while HiGHS runs, with the time since the
/// budget's start.
pub fn solve(
    p: &Problem,
    warm: Option<Schedule>,
    budget: &Budget,
    settings: &LnsSettings,
    progress: &mut dyn FnMut(&Progress),
) -> Outcome {
    let mut st = LnsSearch::new(p, budget, settings, progress);
    let give_up = budget.share(0.1).deadline();
    match settings.bound.map_or_else(
        || super::bound::lower_bound_until(p, give_up).map(|b| b.value),
        Ok,
    ) {
        Ok(b) => st.bound = b,
        Err(e) => st.infeasible = Some(StopReason::Infeasible { why: e.to_string() }),
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
struct LnsSearch<'a> {
    p: &'a Problem,
    budget: &'a Budget,
    settings: &'a LnsSettings,
    best: Option<(Schedule, Score)>,
    bound: u64,
    /// Why no schedule exists, once known.
    infeasible: Option<StopReason>,
    progress: &'a mut dyn FnMut(&Progress),
    reason: Option<StopReason>,
    /// The last full model was too large to build.
    too_large: bool,
    /// The objective's levels, for the stop rule.
    levels: LevelSplit,
}

impl<'a> LnsSearch<'a> {
    /// A search on `p` with nothing found, proven or decided yet.
    fn new(
        p: &'a Problem,
        budget: &'a Budget,
        settings: &'a LnsSettings,
        progress: &'a mut dyn FnMut(&Progress),
    ) -> Self {
        LnsSearch {
            p,
            budget,
            settings,
            best: None,
            bound: 0,
            infeasible: None,
            progress,
            reason: None,
            too_large: false,
            levels: LevelSplit::of(p),
        }
    }

    fn run(&mut self) {
        if let Some((s, _)) = self.best.clone() {
            self.offer(left_justify(self.p, &s), false);
            if self.settings.crew_days {
                let s = self.best.clone().map_or(s, |b| b.0);
                self.offer(compact(self.p, &s, COMPACT_PASSES).0, false);
                self.retime_best();
            }
        }
        let share = if self.best.is_some() {
            FULL_MODEL_SHARE_WARM
        } else {
            FULL_MODEL_SHARE_COLD
        };
        if self.settings.full_model {
            self.full_model(&self.budget.first(share));
        }
        if self.done() {
            return;
        }
        // When the full model is too large to build (or not wanted), LNS
        // gets all the time instead of leaving the last 40 % to it.
        let windows_only = self.too_large || !self.settings.full_model;
        let lns_share = if windows_only { 1.0 } else { LNS_SHARE };
        if self.settings.lns {
            self.lns(self.budget.first(lns_share).deadline());
            if self.too_large
                && matches!(self.reason, None | Some(StopReason::ModelTooLarge { .. }))
            {
                // The search ran to the time limit (less its margin); the
                // model's size only decided how the time was spent. A search
                // that stopped for its own reason (a work limit) keeps it.
                self.reason = Some(StopReason::TimeLimit);
            }
            if self.done() {
                return;
            }
        }
        if !windows_only {
            self.full_model(&self.budget.first(1.0));
        }
    }

    /// True when nothing is left to do: proven, infeasible, stopped, out of
    /// time, or within the requested gap.
    fn done(&mut self) -> bool {
        let within = self.best_value().is_some_and(|v| {
            self.levels
                .within(v, self.bound, self.settings.gap.max(0.0))
        });
        if self.infeasible.is_some() || self.stopped() || within {
            return true;
        }
        if self.budget.expired() {
            // Whatever a phase reported before, the run ended at its limit.
            self.reason = Some(StopReason::TimeLimit);
            return true;
        }
        false
    }

    fn stopped(&mut self) -> bool {
        let s = self.budget.stopped();
        if s {
            self.reason = Some(StopReason::Interrupted);
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
            elapsed: self.budget.elapsed(),
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
        // A plan at least as good is no worse than the bound above the
        // finish, so its finish weighs at most the rest.
        let above = self.levels.above_finish(self.bound);
        match self.best_value() {
            Some(v) if f > 0 => ((v - above.min(v)) / f).min(self.p.horizon as u64) as Day,
            _ => self.p.horizon,
        }
    }

    fn milp_settings(&self) -> MilpSettings {
        let (slack, finish_at_least) = self.best_value().map_or((0, 0), |v| {
            let gap = self.settings.gap.max(0.0);
            (
                self.levels.slack(v, self.bound, gap),
                self.levels.finish_at_least(v, self.bound),
            )
        });
        MilpSettings {
            gap: 0.0,
            slack,
            finish_at_least,
            form: self.settings.form,
        }
    }

    /// Solves the full model within `part` of the budget, keeping its
    /// schedule and bound.
    fn full_model(&mut self, part: &Budget) {
        let horizon = self.model_horizon();
        if part.expired() {
            // Whether the model can be built does not depend on the clock:
            // a part already used up (by the compaction before it, in a
            // short re-plan) must still hand the whole budget to the
            // windows when the model is too large, rather than leave their
            // last 40 % to a model then found too large at once.
            self.too_large = milp::too_large_to_build(self.p, horizon);
            return;
        }
        let reduced = horizon < self.p.horizon;
        let settings = self.milp_settings();
        let warm = self.best.as_ref().map(|b| b.0.clone());
        let (budget, best, bound) = (self.budget, self.best_value(), self.bound);
        let progress = &mut *self.progress;
        let mut cb = |mp: &Progress| {
            let best = match (best, mp.best) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
            let bound = bound.max(mp.bound).min(best.unwrap_or(u64::MAX));
            progress(&Progress {
                elapsed: budget.elapsed(),
                best,
                bound,
                gap: gap(best, bound),
            });
        };
        let r = milp::solve(
            self.p,
            horizon,
            None,
            warm.as_ref(),
            part,
            &settings,
            &mut cb,
        );
        self.too_large = r.too_large();
        let r = r.outcome;
        if r.status == Status::Infeasible && !reduced {
            self.infeasible = Some(r.stop.clone());
            return;
        }
        if let Some(s) = r.schedule {
            self.offer(s, false);
        }
        // With a reduced horizon the model still holds every schedule at
        // least as good as the incumbent, so its bound is valid (capped at
        // the incumbent's value by `raise_bound`).
        self.raise_bound(r.bound);
        self.reason = Some(r.stop);
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
        let mut rng = Rng::new(self.budget.seed ^ 0x9e37_79b9_7f4a_7c15);
        let n = self.p.activities.len();
        let mut k = 8.min(n).max(1);
        // Building and reading back a sub-model is outside HiGHS's own time
        // limit: keep a margin so the whole run ends near `until`.
        let margin = Duration::from_millis(300);
        let until = until.checked_sub(margin).unwrap_or(until);
        let mut rounds = 0usize;
        // Two-sided windows serve the crew-days: without any (PSPLIB) the
        // search is the forward one alone.
        let costly = (self.p.activities.iter()).any(|a| a.modes.iter().any(|m| m.cost_per_day > 0));
        // The crew-day rounds' own size: their sub-models (everything else
        // fixed) solve fast at sizes where the forward windows time out.
        let mut kd = k;
        // Rounds since the levels above the crew-days last improved.
        let (mut above_best, mut stall) = (u64::MAX, 0usize);
        while Instant::now() + Duration::from_millis(50) < until && !self.done() {
            if self.budget.max_lns_rounds.is_some_and(|m| rounds >= m) {
                self.reason = Some(StopReason::WorkLimit);
                return;
            }
            rounds += 1;
            let Some((inc, score)) = self.best.clone() else {
                return;
            };
            let pivot = (rng.next_u64() % (n as u64).max(1)) as usize;
            let shift = (score.makespan / 10).max(2);
            let above = score.value - self.p.objective.cost * score.cost;
            if above < above_best {
                (above_best, stall) = (above, 0);
            } else {
                stall += 1;
            }
            // Once no household is late and the levels above the crew-days
            // have not moved for [`STALL_ROUNDS`] rounds, most rounds go to
            // the crew-days (see [`Mix`]).
            let mix = Mix::of(&score, stall, costly && self.settings.crew_days);
            // While a time node is missed, some rounds free the work it
            // follows (see [`missed_node_neighbourhood`]).
            let aimed = if rng.next_u64() % 4 < mix.node && score.node_lateness > 0 {
                missed_node_neighbourhood(self.p, &inc, &mut rng, k, shift)
            } else {
                None
            };
            // Of the other rounds, some free a window both ways around a
            // dear activity: the work starting nearest to it
            // ([`two_sided_neighbourhood`]) or, in half of them once the
            // search has stalled, the work competing for its crews
            // ([`crew_neighbourhood`]).
            let both_ways = aimed.is_none() && rng.next_u64() % 4 < mix.crew_days;
            let doms = aimed.unwrap_or_else(|| {
                if both_ways {
                    let half = (shift / 2).max(2);
                    if mix.stalled && rng.next_u64().is_multiple_of(2) {
                        let at = dear_activity(self.p, &inc, &mut rng, shift).unwrap_or(pivot);
                        crew_neighbourhood(self.p, &inc, at, kd, shift)
                    } else {
                        let at = dear_activity(self.p, &inc, &mut rng, half).unwrap_or(pivot);
                        two_sided_neighbourhood(&inc, inc.starts[at], kd, half)
                    }
                } else {
                    neighbourhood(&inc, inc.starts[pivot], k, shift)
                }
            });
            let sub = self.budget.until(until).at_most(LNS_SUB_MODEL_LIMIT);
            let settings = MilpSettings {
                slack: 0,
                ..self.milp_settings()
            };
            let r = milp::solve(
                self.p,
                self.model_horizon(),
                Some(&doms),
                Some(&inc),
                &sub,
                &settings,
                &mut |_| {},
            );
            // A fast optimal sub-solve widens the window. Under work limits no
            // clock is read, so every optimal sub-solve counts as fast and the
            // run is the same whatever the machine's load.
            let fast = r.seconds < 0.5 || self.budget.work_limited();
            let size = if both_ways { &mut kd } else { &mut k };
            *size = match r.outcome.status {
                Status::Optimal if fast => (*size + 1).min(n),
                Status::Optimal => *size,
                _ => (size.saturating_sub(2)).max(2),
            };
            if let Some(s) = r.outcome.schedule {
                // Left-justifying may stretch work across a rest day, so
                // both the sub-model's schedule and its left-justified form
                // are compacted and offered; the better one stays.
                let lj = left_justify(self.p, &s);
                if self.settings.crew_days {
                    let a = self.offer(compact(self.p, &s, COMPACT_PASSES).0, true);
                    let b = self.offer(compact(self.p, &lj, COMPACT_PASSES).0, true);
                    if a || b {
                        self.retime_best();
                    }
                } else {
                    self.offer(lj, true);
                }
            }
        }
    }

    /// Re-times the incumbent's crew-days globally ([`retime::improve`]:
    /// minimum cuts with the resource flow fixed, alternating with
    /// compaction) and keeps the result if it is better.
    fn retime_best(&mut self) {
        if self.budget.expired() {
            return;
        }
        if let Some((s, _)) = self.best.clone() {
            let (t, _) = retime::improve(self.p, &s, RETIME_ROUNDS, RETIME_MAX_NODES);
            self.offer(t, false);
        }
    }

    fn finish(self) -> Outcome {
        if let Some(stop) = self.infeasible {
            return Outcome {
                schedule: None,
                score: None,
                bound: self.bound,
                status: Status::Infeasible,
                stop,
                finish_bound: 0,
            };
        }
        let reason = self.reason.clone().unwrap_or(StopReason::TimeLimit);
        match self.best {
            None => Outcome {
                schedule: None,
                score: None,
                bound: self.bound,
                status: Status::NoSolution,
                stop: reason,
                finish_bound: 0,
            },
            Some((s, score)) => {
                let bound = self.bound.min(score.value);
                let (status, stop) = if bound == score.value {
                    (Status::Optimal, StopReason::Proven)
                } else {
                    let g = gap(Some(score.value), bound);
                    let why = if self.levels.within(score.value, bound, self.settings.gap) {
                        self.levels.stop_reason(score.value, bound)
                    } else {
                        reason
                    };
                    (Status::Feasible { gap: g }, why)
                };
                Outcome {
                    schedule: Some(s),
                    score: Some(score),
                    bound,
                    status,
                    stop,
                    finish_bound: 0,
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

/// Passes of [`compact`] over each schedule the search keeps: on the city a
/// pass takes a few milliseconds and the third rarely moves anything.
const COMPACT_PASSES: usize = 3;

/// Cuts of [`retime::improve`] on each incumbent the search keeps: on the
/// city a cut takes 10-30 ms and the gains stop after about five.
const RETIME_ROUNDS: usize = 8;

/// The largest time-expanded graph [`retime::retime`] builds (nodes: the
/// activities' window days, about 3 arcs each); the city's 60 s plans give
/// about 4,000.
const RETIME_MAX_NODES: usize = 1_000_000;

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
mod tests;
