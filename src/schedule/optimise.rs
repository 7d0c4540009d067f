//! The whole optimiser: constructive search first, then HiGHS.
//!
//! [`optimise`] spends a share of the time limit on the constructive
//! heuristic of [`super::search`] (priority rules, sampling, forward–backward
//! improvement, a genetic algorithm on activity lists), one independent run
//! per thread, which finds good plans fast, and hands the best schedule to
//! [`super::solve::solve`] as the warm start: large-neighbourhood search on
//! windows of the schedule and the full time-indexed model, which raises the
//! proven bound and closes gaps. When the heuristic's plan already meets the
//! trivial lower bound it is optimal and HiGHS is not started at all.
//!
//! A pure makespan problem (see [`super::exact::applies`]: a PSPLIB instance,
//! for example) first gets a quick incumbent — the heuristic stops after
//! [`EXACT_PATIENCE`] candidates without improvement — and then the exact
//! branch and bound of [`super::exact`] for [`EXACT_SHARE`] of the limit
//! (at most [`EXACT_MAX`]). It proves most small instances in milliseconds,
//! including tightly resource-constrained ones where the integer program's
//! bound stays far off; when it does not finish, the heuristic resumes for
//! the rest of its share and HiGHS follows as usual.

use super::bound::lower_bound;
use super::problem::{Day, Problem, Schedule};
use super::search::{heuristic_on_threads, HeuristicOptions};
use super::solve::{solve, Progress, SolveOptions, SolveResult, Status};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Share of the time limit the heuristic gets at least when the full
/// time-indexed model is too large to build.
pub const LARGE_MODEL_HEURISTIC_SHARE: f64 = 0.8;

/// Candidates without improvement after which the heuristic hands a pure
/// makespan problem to the branch and bound.
pub const EXACT_PATIENCE: usize = 2000;

/// Share of the time limit the branch and bound gets on a pure makespan
/// problem (up to [`EXACT_MAX`]). Under short limits a proof is worth more
/// than the heuristic's last seconds: the heuristic has usually found its
/// best plan long before, and the branch and bound also improves plans.
pub const EXACT_SHARE: f64 = 0.8;

/// The most time the branch and bound gets. With its memo of failed states
/// and the set test (`exact` module) the hardest PSPLIB j30 proofs take
/// 1–5 s; longer searches rarely finish, and on larger problems the
/// heuristic uses the time better (j60 with 30 s: a cap of 8 s gave a mean
/// gap of 0.56 % against 0.46 % with 3 s).
pub const EXACT_MAX: Duration = Duration::from_secs(5);

/// Options of [`optimise`].
#[derive(Debug, Clone)]
pub struct OptimiseOptions {
    /// Wall-clock limit for everything.
    pub time_limit: Duration,
    /// Stop once the relative gap is at most this.
    pub gap: f64,
    /// Threads for HiGHS; also how many independent heuristic runs search
    /// side by side, and whether the branch and bound searches both
    /// directions at once (two or more).
    pub threads: u32,
    /// Seed (same seed and limits, same plan when no time limit binds).
    pub seed: u64,
    /// Set from another thread (Ctrl-C) to stop early with the best plan.
    pub stop: Option<Arc<AtomicBool>>,
    /// Use the heuristic only (no HiGHS).
    pub heuristic_only: bool,
    /// Share of the time limit given to the heuristic before HiGHS starts.
    /// The default 0.7: on PSPLIB j60 (30 s) the HiGHS phases after the
    /// heuristic found no better schedule on any of the 12 instances, while
    /// the genetic algorithm still improves with more time.
    pub heuristic_share: f64,
    /// At most this many candidate schedules per heuristic run (`None`: only
    /// the time limit ends it). With it the heuristic's work, and so its
    /// plan, does not depend on the machine's speed: for reproducible tests.
    pub max_candidates: Option<usize>,
}

impl Default for OptimiseOptions {
    fn default() -> Self {
        OptimiseOptions {
            time_limit: Duration::from_secs(30),
            gap: 1e-4,
            threads: 2,
            seed: 1,
            stop: None,
            heuristic_only: false,
            heuristic_share: 0.7,
            max_candidates: None,
        }
    }
}

/// Finds the best plan it can within the options' limits; the result says
/// whether it is proven optimal, and otherwise the gap and why it stopped.
pub fn optimise(
    p: &Problem,
    opts: &OptimiseOptions,
    progress: &mut dyn FnMut(&Progress),
) -> SolveResult {
    let t0 = Instant::now();
    let bound = match lower_bound(p) {
        Ok(b) => b,
        Err(e) => {
            return SolveResult {
                schedule: None,
                score: None,
                bound: 0,
                status: Status::Infeasible,
                stop_reason: e.to_string(),
            }
        }
    };
    // When the full model is too large to build, HiGHS only works on small
    // windows (LNS), which on such problems gains less than the heuristic
    // does with the same time: the heuristic then gets most of it.
    let too_large = || {
        super::milp::start_column_count(p, p.horizon)
            .is_ok_and(|c| c > super::milp::MAX_START_COLUMNS)
    };
    let share = if opts.heuristic_only {
        1.0
    } else if too_large() {
        opts.heuristic_share
            .max(LARGE_MODEL_HEURISTIC_SHARE)
            .clamp(0.0, 1.0)
    } else {
        opts.heuristic_share.clamp(0.0, 1.0)
    };
    let exact = !opts.heuristic_only && super::exact::applies(p);
    let heuristic_budget = opts.time_limit.mul_f64(share);
    let mut warm = heuristic_on_threads(
        p,
        &HeuristicOptions {
            time_limit: heuristic_budget,
            seed: opts.seed,
            stop: opts.stop.clone(),
            max_iterations: opts.max_candidates,
            patience: exact.then_some(EXACT_PATIENCE),
        },
        opts.threads,
    );
    let first_run = t0.elapsed();
    if exact && warm.as_ref().is_none_or(|s| p.score(s).value > bound) {
        match prove(p, warm.as_ref(), bound, opts) {
            Proof::Done(result) => return result,
            Proof::Open(better) => {
                warm = better.or(warm);
                // The heuristic resumes for the rest of its share (the
                // branch and bound's time is not taken from it) with another
                // seed, and the better of the two plans is kept.
                let rest = heuristic_budget
                    .saturating_sub(first_run)
                    .min(opts.time_limit.saturating_sub(t0.elapsed()));
                let more = heuristic_on_threads(
                    p,
                    &HeuristicOptions {
                        time_limit: rest,
                        seed: opts.seed.wrapping_add(1),
                        stop: opts.stop.clone(),
                        max_iterations: opts.max_candidates,
                        patience: None,
                    },
                    opts.threads,
                );
                if let (Some(m), Some(w)) = (&more, &warm) {
                    if p.score(m).value < p.score(w).value {
                        warm = more;
                    }
                }
            }
        }
    }
    let stopped = || opts.stop.as_ref().is_some_and(|s| s.load(Ordering::SeqCst));
    let heuristic_result = |warm: Option<Schedule>, reason: &str| -> SolveResult {
        let score = warm.as_ref().map(|s| p.score(s));
        let status = match score {
            None => Status::NoSolution,
            Some(s) if s.value <= bound => Status::Optimal,
            Some(s) => Status::Feasible {
                gap: gap(s.value, bound),
            },
        };
        SolveResult {
            schedule: warm,
            score,
            bound,
            status,
            stop_reason: reason.to_string(),
        }
    };
    if let Some(s) = &warm {
        let value = p.score(s).value;
        progress(&Progress {
            elapsed: t0.elapsed(),
            best: Some(value),
            bound,
            gap: gap(value, bound),
        });
        if value <= bound {
            return heuristic_result(warm, "the heuristic's plan meets the lower bound");
        }
    }
    if opts.heuristic_only {
        return heuristic_result(warm, "heuristic only (no solver requested)");
    }
    if stopped() {
        return heuristic_result(warm, "interrupted");
    }
    let remaining = opts.time_limit.saturating_sub(t0.elapsed());
    let sopts = SolveOptions {
        time_limit: remaining,
        gap: opts.gap,
        threads: opts.threads,
        seed: opts.seed,
        stop: opts.stop.clone(),
        ..SolveOptions::default()
    };
    solve(p, warm, &sopts, &mut |pr: &Progress| {
        progress(&Progress {
            elapsed: t0.elapsed(),
            ..*pr
        })
    })
}

/// What the branch and bound settled.
enum Proof {
    /// Proven optimal or infeasible: the final result.
    Done(SolveResult),
    /// Not settled; a schedule better than the incumbent, if it found one.
    Open(Option<Schedule>),
}

/// Runs the branch and bound on a pure makespan problem from the incumbent
/// `warm`, with the objective's lower bound `bound` turned into one on the
/// makespan.
fn prove(p: &Problem, warm: Option<&Schedule>, bound: u64, opts: &OptimiseOptions) -> Proof {
    // In a pure problem the objective is `finish × makespan` plus a part no
    // schedule changes (the crew-days of fixed durations).
    let constant = warm.map_or(0, |s| {
        let sc = p.score(s);
        sc.value - p.objective.finish * sc.makespan as u64
    });
    let f = p.objective.finish;
    let lower = (bound.saturating_sub(constant).div_ceil(f)) as Day;
    let r = super::exact::branch_and_bound(
        p,
        warm,
        lower,
        &super::exact::ExactOptions {
            time_limit: opts.time_limit.mul_f64(EXACT_SHARE).min(EXACT_MAX),
            stop: opts.stop.clone(),
            node_limit: None,
            threads: opts.threads,
            memo: true,
            sets: true,
        },
    );
    match (r.proven, r.schedule) {
        (true, Some(s)) => {
            let score = p.score(&s);
            Proof::Done(SolveResult {
                schedule: Some(s),
                score: Some(score),
                bound: score.value,
                status: Status::Optimal,
                stop_reason: format!("proven optimal by branch and bound ({} nodes)", r.nodes),
            })
        }
        (true, None) => Proof::Done(SolveResult {
            schedule: None,
            score: None,
            bound,
            status: Status::Infeasible,
            stop_reason: "branch and bound: no schedule ends within the horizon".into(),
        }),
        (false, s) => Proof::Open(s.filter(|s| Some(s) != warm)),
    }
}

/// Relative gap `(value − bound) / value`, 0 when the value is 0.
pub fn gap(value: u64, bound: u64) -> f64 {
    if value == 0 {
        0.0
    } else {
        value.saturating_sub(bound) as f64 / value as f64
    }
}
