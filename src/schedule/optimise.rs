//! The whole optimiser: constructive search first, then HiGHS.
//!
//! [`optimise`] spends a share of the time limit on the constructive
//! heuristic of [`super::search`] (priority rules, sampling, forward–backward
//! improvement, a genetic algorithm on activity lists), which finds good plans
//! fast, and hands its best schedule to [`super::solve::solve`] as the warm
//! start: large-neighbourhood search on windows of the schedule and the full
//! time-indexed model, which raises the proven bound and closes gaps. When the
//! heuristic's plan already meets the trivial lower bound it is optimal and
//! HiGHS is not started at all.

use super::bound::lower_bound;
use super::problem::{Problem, Schedule};
use super::search::{heuristic, HeuristicOptions};
use super::solve::{solve, Progress, SolveOptions, SolveResult, Status};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Share of the time limit the heuristic gets at least when the full
/// time-indexed model is too large to build.
pub const LARGE_MODEL_HEURISTIC_SHARE: f64 = 0.8;

/// Options of [`optimise`].
#[derive(Debug, Clone)]
pub struct OptimiseOptions {
    /// Wall-clock limit for everything.
    pub time_limit: Duration,
    /// Stop once the relative gap is at most this.
    pub gap: f64,
    /// Threads for HiGHS.
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
    let warm = heuristic(
        p,
        &HeuristicOptions {
            time_limit: opts.time_limit.mul_f64(share),
            seed: opts.seed,
            stop: opts.stop.clone(),
            max_iterations: None,
            patience: None,
        },
    );
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

/// Relative gap `(value − bound) / value`, 0 when the value is 0.
pub fn gap(value: u64, bound: u64) -> f64 {
    if value == 0 {
        0.0
    } else {
        value.saturating_sub(bound) as f64 / value as f64
    }
}
