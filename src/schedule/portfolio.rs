//! The portfolio: which methods the solver runs, in what order, and how the
//! budget is divided among them.
//!
//! Every command that plans — `plan`, `replan`, `compare`, `bench` — runs a
//! [`Portfolio`] on a [`Budget`] and gets an [`Outcome`]. The methods are:
//!
//! 1. **The constructive heuristic** ([`super::heuristic`]: priority rules,
//!    sampling, forward–backward improvement and a genetic algorithm on
//!    activity lists), one independent run per thread (the second ranking
//!    the time nodes above the stations when there are both), for
//!    [`HEURISTIC_SHARE`] of the limit (at least
//!    [`LARGE_MODEL_HEURISTIC_SHARE`] when the time-indexed model is too
//!    large to build, since HiGHS then only works on small windows). It finds
//!    good plans fast. When its plan meets the lower bound of
//!    [`super::bound`], the plan is optimal and nothing else runs.
//! 2. **The exact branch and bound** ([`super::exact`]) on pure makespan
//!    problems (a PSPLIB instance, for example): the heuristic first stops
//!    after [`EXACT_PATIENCE`] candidates without improvement, and the branch
//!    and bound gets [`EXACT_SHARE`] of the limit (at most [`EXACT_MAX`]). It
//!    proves most small instances in milliseconds, including tightly
//!    resource-constrained ones where the integer program's bound stays far
//!    off; when it does not finish, the heuristic resumes for the rest of its
//!    share and the MILP phase follows as usual.
//! 3. **Re-sequencing** ([`super::resequence`]) when the plan leaves a
//!    station late: one crew pool's work at a time is
//!    re-ordered with the rest held, until [`RESEQUENCE_SHARE`] of the limit
//!    past the heuristic's share.
//! 4. **The MILP phase** ([`super::lns`]) with the rest of the time, from the
//!    best plan so far: the full time-indexed model on HiGHS and
//!    large-neighbourhood search on windows of the schedule, which raise the
//!    proven bound and close gaps. When the full model can be built (at most
//!    [`super::milp::MAX_START_COLUMNS`] start columns), the heuristic
//!    hands over to it after [`MILP_PATIENCE`] candidates without
//!    improvement instead of using the rest of its share: on small
//!    programmes the full model proves the plan optimal in about a second,
//!    and the run stops there ("proven optimal") rather than at 70 % of the
//!    limit.
//!
//! A re-plan configures the same portfolio with **warm starts**
//! ([`Portfolio::warm_starts`]: the right-shift repair of the baseline). Then
//! the first phase runs two searches side by side, one on each core, for the
//! heuristic's share: the constructive heuristic, which re-sequences freely
//! and often beats the repair on lateness after a long slip, and the MILP
//! phase from the best warm start on one HiGHS thread, which keeps far closer
//! to the baseline after a short slip. The best of the warm starts and the
//! two searches' plans is re-sequenced when it leaves a station late (as in
//! 3.; after a slip the constructive plan's crew orders leave most of the
//! lateness re-sequencing wins back) and then starts the MILP phase. With
//! [`Portfolio::heuristic_only`], the better of the heuristic's plan and the
//! warm starts is the result.
//!
//! All shares are in [`super::shares`], with the measurements behind them.

use super::bound::lower_bound_until;
use super::budget::Budget;
use super::heuristic::{heuristic, heuristic_on_threads_with_bound};
use super::lns::{self, LnsSettings};
use super::outcome::{LevelSplit, Outcome, Progress, Status, StopReason};
use super::problem::{Day, Problem, Schedule};
use super::resequence;
use super::shares::{
    BOUND_SHARE, EXACT_MAX, EXACT_PATIENCE, EXACT_SHARE, HEURISTIC_SHARE,
    LARGE_MODEL_HEURISTIC_SHARE, MILP_PATIENCE, RESEQUENCE_SHARE,
};
use std::time::Instant;

pub use super::outcome::gap;

/// Which methods a solve runs and how it divides its budget (see the module
/// documentation).
#[derive(Debug, Clone, PartialEq)]
pub struct Portfolio {
    /// Stop once the relative gap on the first level of the objective still
    /// open is at most this, every level above it proven
    /// ([`LevelSplit::within`]).
    pub gap: f64,
    /// Use the heuristic only (no HiGHS, no branch and bound).
    pub heuristic_only: bool,
    /// Share of the time limit given to the first phase (the heuristic, or
    /// the heuristic beside the MILP phase from the warm starts) before the
    /// MILP phase starts; [`HEURISTIC_SHARE`] by default.
    pub heuristic_share: f64,
    /// Share of the time limit, past the first phase's, by whose end the
    /// re-sequencing of crew pools stops when a station is late;
    /// [`RESEQUENCE_SHARE`] by default, 0 for none.
    pub resequence_share: f64,
    /// Plans known before the search, e.g. a re-plan's repair of its
    /// baseline; the first of equal plans is preferred.
    pub warm_starts: Vec<Schedule>,
}

impl Default for Portfolio {
    fn default() -> Self {
        Portfolio {
            gap: 1e-4,
            heuristic_only: false,
            heuristic_share: HEURISTIC_SHARE,
            resequence_share: RESEQUENCE_SHARE,
            warm_starts: Vec::new(),
        }
    }
}

impl Portfolio {
    /// The same portfolio with one more warm start.
    pub fn with_warm_start(mut self, s: Schedule) -> Portfolio {
        self.warm_starts.push(s);
        self
    }

    /// Finds the best plan it can within `budget`; the outcome says whether
    /// it is proven optimal, and otherwise the gap and why it stopped.
    /// `progress` gets every improvement, with the time since the budget
    /// started.
    pub fn run(
        &self,
        p: &Problem,
        budget: &Budget,
        progress: &mut dyn FnMut(&Progress),
    ) -> Outcome {
        let warm = self
            .warm_starts
            .iter()
            .min_by_key(|s| p.score(s).value)
            .cloned();
        match warm {
            None => self.construct(p, budget, progress),
            Some(warm) if self.heuristic_only => {
                let mut r = self.construct(p, budget, progress);
                let known = p.score(&warm);
                if r.score.is_none_or(|s| known.value < s.value) {
                    r = Outcome::of(Some(warm), Some(known), r.bound, r.stop);
                }
                r
            }
            Some(warm) => self.beside_warm_start(p, warm, budget, progress),
        }
    }

    fn lns_settings(&self) -> LnsSettings {
        LnsSettings {
            gap: self.gap,
            ..LnsSettings::default()
        }
    }

    /// [`Self::milp_phase`] with the lower bound already proven.
    fn milp_phase_from(
        &self,
        p: &Problem,
        warm: Option<Schedule>,
        bound: u64,
        budget: &Budget,
        progress: &mut dyn FnMut(&Progress),
    ) -> Outcome {
        let settings = LnsSettings {
            bound: Some(bound),
            ..self.lns_settings()
        };
        lns::solve(
            p,
            warm,
            &budget.share(1.0),
            &settings,
            &mut |pr: &Progress| {
                progress(&Progress {
                    elapsed: budget.elapsed(),
                    ..*pr
                })
            },
        )
    }

    /// The MILP phase with the rest of `budget`, from `warm`, reporting the
    /// time since the budget started.
    fn milp_phase(
        &self,
        p: &Problem,
        warm: Option<Schedule>,
        budget: &Budget,
        progress: &mut dyn FnMut(&Progress),
    ) -> Outcome {
        lns::solve(
            p,
            warm,
            &budget.share(1.0),
            &self.lns_settings(),
            &mut |pr: &Progress| {
                progress(&Progress {
                    elapsed: budget.elapsed(),
                    ..*pr
                })
            },
        )
    }

    /// The first phase from warm starts: the heuristic and the MILP phase
    /// from the best warm start side by side, then the MILP phase from the
    /// best plan of all.
    fn beside_warm_start(
        &self,
        p: &Problem,
        warm: Schedule,
        budget: &Budget,
        progress: &mut dyn FnMut(&Progress),
    ) -> Outcome {
        let first = budget.first(self.heuristic_share);
        let (searched, from_warm) = std::thread::scope(|s| {
            // One HiGHS thread: the heuristic has the other core. (HiGHS keeps
            // its thread pool per calling thread, so this does not fix the
            // main thread's pool size.)
            let beside = first.clone().with_threads(1);
            let settings = self.lns_settings();
            let warm = warm.clone();
            let improved =
                s.spawn(move || lns::solve(p, Some(warm), &beside, &settings, &mut |_| {}));
            let searched = heuristic(p, &first, None);
            (searched, improved.join().ok().and_then(|r| r.schedule))
        });
        // The first of equal scores: the warm start, then the heuristic's plan.
        let best = [Some(warm), searched, from_warm]
            .into_iter()
            .flatten()
            .min_by_key(|s| p.score(s).value);
        let shares = (self.heuristic_share, self.resequence_share);
        let best = resequence_late(p, best, shares, 0, budget, progress);
        self.milp_phase(p, best, budget, progress)
    }

    /// The heuristic, the branch and bound where it applies, then the MILP
    /// phase.
    fn construct(
        &self,
        p: &Problem,
        budget: &Budget,
        progress: &mut dyn FnMut(&Progress),
    ) -> Outcome {
        let bound = match lower_bound_until(p, budget.first(BOUND_SHARE).deadline()) {
            Ok(b) => b.value,
            Err(e) => return Outcome::infeasible(0, e.to_string()),
        };
        let too_large = !self.heuristic_only && super::milp::too_large_to_build(p, p.horizon);
        let share = if self.heuristic_only {
            1.0
        } else if too_large {
            self.heuristic_share
                .max(LARGE_MODEL_HEURISTIC_SHARE)
                .clamp(0.0, 1.0)
        } else {
            self.heuristic_share.clamp(0.0, 1.0)
        };
        let exact = !self.heuristic_only && super::exact::applies(p);
        // On a programme whose full model can be built, the heuristic hands
        // over once it stops improving: the full model then proves most
        // such plans optimal (or improves them) in a fraction of the time
        // the heuristic would go on searching in vain.
        let small = !self.heuristic_only && !exact && !too_large;
        let patience = if exact {
            Some(EXACT_PATIENCE)
        } else {
            small.then_some(MILP_PATIENCE)
        };
        // The heuristic stops as soon as its plan is within the requested
        // gap of the bound, every level above the last at the bound's value:
        // nothing after it could be worth more.
        let levels = LevelSplit::of(p);
        let enough = levels.enough(bound, self.gap);
        let mut warm = heuristic_on_threads_with_bound(p, &budget.first(share), patience, enough);
        let first_run = budget.elapsed();
        if exact && warm.as_ref().is_none_or(|s| p.score(s).value > bound) {
            match prove(p, warm.as_ref(), bound, budget) {
                Proof::Done(outcome) => return outcome,
                Proof::Open(better) => {
                    warm = better.or(warm);
                    // The heuristic resumes for the rest of its share (the
                    // branch and bound's time is not taken from it) with
                    // another seed, and the better of the two plans is kept.
                    let rest = budget
                        .share(1.0)
                        .at_most(budget.limit().mul_f64(share).saturating_sub(first_run))
                        .with_seed(budget.seed.wrapping_add(1));
                    let more = heuristic_on_threads_with_bound(p, &rest, None, enough);
                    if let (Some(m), Some(w)) = (&more, &warm) {
                        if p.score(m).value < p.score(w).value {
                            warm = more;
                        }
                    }
                }
            }
        }
        let heuristic_outcome = |warm: Option<Schedule>, stop: StopReason| {
            let score = warm.as_ref().map(|s| p.score(s));
            Outcome::of(warm, score, bound, stop)
        };
        if let Some(s) = &warm {
            let value = p.score(s).value;
            progress(&Progress::new(budget.elapsed(), Some(value), bound));
            if value <= bound {
                return heuristic_outcome(warm, StopReason::NoImprovementPossible);
            }
            if levels.within(value, bound, self.gap) {
                return heuristic_outcome(warm, levels.stop_reason(value, bound));
            }
        }
        if self.heuristic_only {
            return heuristic_outcome(warm, StopReason::HeuristicOnly);
        }
        if budget.stopped() {
            return heuristic_outcome(warm, StopReason::Interrupted);
        }
        let shares = (share, self.resequence_share);
        let warm = resequence_late(p, warm, shares, bound, budget, progress);
        // HiGHS works on small windows only: the LP finish bound takes the
        // other core (module `lp_beside`).
        let reachable = warm.as_ref().map(|s| p.score(s).makespan);
        super::lp_beside::with_lp_finish_bound(p, budget, too_large, reachable, || {
            self.milp_phase_from(p, warm, bound, budget, progress)
        })
    }
}

/// When `warm` leaves a station late, re-sequences crew pools from it until
/// `resequence_share` of the limit past `share` (the first phase's share);
/// the better plan, or `warm`. (Only then: on the city, where only time
/// nodes are late, its share is left to the MILP phase, as measured before.)
fn resequence_late(
    p: &Problem,
    warm: Option<Schedule>,
    (share, resequence_share): (f64, f64),
    bound: u64,
    budget: &Budget,
    progress: &mut dyn FnMut(&Progress),
) -> Option<Schedule> {
    let Some(s) = warm.as_ref().filter(|s| p.score(s).weighted_lateness > 0) else {
        return warm;
    };
    if budget.stopped() || resequence_share <= 0.0 {
        return warm;
    }
    let part = budget.first((share + resequence_share).min(1.0));
    // Under a work limit, as many rounds as the LNS has sub-models.
    let settings = resequence::Settings {
        rounds: budget.max_lns_rounds.unwrap_or(usize::MAX),
        ..Default::default()
    };
    let (better, stats) = resequence::improve(p, s, &part, &settings);
    if stats.accepted == 0 {
        return warm;
    }
    progress(&Progress::new(
        budget.elapsed(),
        Some(p.score(&better).value),
        bound,
    ));
    Some(better)
}

/// What the branch and bound settled.
enum Proof {
    /// Proven optimal or infeasible: the final outcome.
    Done(Outcome),
    /// Not settled; a schedule better than the incumbent, if it found one.
    Open(Option<Schedule>),
}

/// Runs the branch and bound on a pure makespan problem from the incumbent
/// `warm`, with the objective's lower bound `bound` turned into one on the
/// makespan, for [`EXACT_SHARE`] of the budget's limit (at most
/// [`EXACT_MAX`], and never past its deadline).
fn prove(p: &Problem, warm: Option<&Schedule>, bound: u64, budget: &Budget) -> Proof {
    // In a pure problem the objective is `finish × makespan` plus a part no
    // schedule changes (the crew-days of fixed durations).
    let constant = warm.map_or(0, |s| {
        let sc = p.score(s);
        sc.value - p.objective.finish * sc.makespan as u64
    });
    let f = p.objective.finish;
    let lower = (bound.saturating_sub(constant).div_ceil(f)) as Day;
    let part = budget.until(Instant::now() + budget.limit().mul_f64(EXACT_SHARE).min(EXACT_MAX));
    let settings = super::exact::ExactSettings {
        node_limit: budget.max_nodes,
        ..Default::default()
    };
    let r = super::exact::branch_and_bound(p, warm, lower, &part, &settings);
    match (r.proven, r.schedule) {
        (true, Some(s)) => {
            let score = p.score(&s);
            Proof::Done(Outcome {
                schedule: Some(s),
                score: Some(score),
                bound: score.value,
                status: Status::Optimal,
                stop: StopReason::ProvenByBranchAndBound { nodes: r.nodes },
                finish_bound: 0,
            })
        }
        (true, None) => Proof::Done(Outcome::infeasible(
            bound,
            "branch and bound: no schedule ends within the horizon",
        )),
        (false, s) => Proof::Open(s.filter(|s| Some(s) != warm)),
    }
}
