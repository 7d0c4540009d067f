//! What a solve returns and reports while it runs.
//!
//! Every phase of the solver — the constructive heuristic, the exact branch
//! and bound, the large-neighbourhood search and the time-indexed model on
//! HiGHS — ends in an [`Outcome`]: the best schedule, its [`Score`] (the
//! objective and the quantities it weighs: lateness, makespan, cost), the
//! proven lower bound, a [`Status`] saying how good the schedule is known to
//! be and a [`StopReason`] saying why the search ended. While a phase runs
//! it reports [`Progress`], the one type the command line's progress bars
//! show.

use std::fmt;
use std::time::Duration;

use super::problem::{Schedule, Score};

/// How good the result of a solve is known to be.
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

/// Why a solve, or one of its phases, stopped. Its `Display` is the
/// sentence the command line prints and `plan.json` records.
#[derive(Debug, Clone, PartialEq)]
pub enum StopReason {
    /// The schedule was proven optimal (by HiGHS, or by the bound).
    Proven,
    /// The branch and bound proved the schedule optimal.
    ProvenByBranchAndBound {
        /// Search nodes it visited.
        nodes: u64,
    },
    /// The relative gap asked for was reached.
    GapReached {
        /// The gap at the end.
        gap: f64,
    },
    /// The time limit was reached.
    TimeLimit,
    /// The stop flag was raised (Ctrl-C).
    Interrupted,
    /// The heuristic's plan meets the lower bound: no plan can be better.
    NoImprovementPossible,
    /// Only the heuristic was asked for; it stopped at its time or candidate
    /// limit.
    HeuristicOnly,
    /// A limit on work (search nodes, sub-models or candidates) was reached.
    WorkLimit,
    /// The time-indexed model was not built: it would have too many start
    /// columns.
    ModelTooLarge {
        /// Start columns the model would have.
        columns: usize,
        /// The most start columns a model may have.
        limit: usize,
    },
    /// No schedule exists, for the reason given.
    Infeasible {
        /// Why, in words.
        why: String,
    },
    /// HiGHS ran out of memory.
    MemoryLimit,
    /// HiGHS ended with a status this program does not expect.
    SolverStatus {
        /// HiGHS's model status.
        status: String,
    },
    /// HiGHS failed.
    SolverError {
        /// What HiGHS reported.
        error: String,
    },
}

impl fmt::Display for StopReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StopReason::Proven => write!(f, "proven optimal"),
            StopReason::ProvenByBranchAndBound { nodes } => {
                write!(f, "proven optimal by branch and bound ({nodes} nodes)")
            }
            StopReason::GapReached { gap } => write!(f, "relative gap {gap:.4} reached"),
            StopReason::TimeLimit => write!(f, "time limit"),
            StopReason::Interrupted => write!(f, "interrupted"),
            StopReason::WorkLimit => write!(f, "work limit reached"),
            StopReason::NoImprovementPossible => {
                write!(f, "the heuristic's plan meets the lower bound")
            }
            StopReason::HeuristicOnly => write!(f, "heuristic only (no solver requested)"),
            StopReason::ModelTooLarge { columns, limit } => {
                write!(
                    f,
                    "model too large: {columns} start columns (limit {limit})"
                )
            }
            StopReason::Infeasible { why } => write!(f, "{why}"),
            StopReason::MemoryLimit => write!(f, "memory limit"),
            StopReason::SolverStatus { status } => write!(f, "HiGHS status {status}"),
            StopReason::SolverError { error } => write!(f, "HiGHS error: {error}"),
        }
    }
}

/// What a solve returns.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// The best schedule found, checked against every constraint.
    pub schedule: Option<Schedule>,
    /// Its score: the objective and the quantities it weighs.
    pub score: Option<Score>,
    /// Proven lower bound on the objective value.
    pub bound: u64,
    /// How good the schedule is known to be.
    pub status: Status,
    /// Why the solve stopped.
    pub stop: StopReason,
}

impl Outcome {
    /// An outcome without a schedule: infeasible for `why`.
    pub fn infeasible(bound: u64, why: impl Into<String>) -> Outcome {
        Outcome {
            schedule: None,
            score: None,
            bound,
            status: Status::Infeasible,
            stop: StopReason::Infeasible { why: why.into() },
        }
    }

    /// The outcome of `schedule` (if any) with score `score` against the
    /// proven `bound`: optimal when the score meets the bound, otherwise
    /// feasible with its gap, or no solution without a schedule.
    pub fn of(
        schedule: Option<Schedule>,
        score: Option<Score>,
        bound: u64,
        stop: StopReason,
    ) -> Outcome {
        let status = match score {
            None => Status::NoSolution,
            Some(s) if s.value <= bound => Status::Optimal,
            Some(s) => Status::Feasible {
                gap: gap(s.value, bound),
            },
        };
        Outcome {
            schedule,
            score,
            bound,
            status,
            stop,
        }
    }

    /// The relative gap of the outcome (1 without a schedule).
    pub fn gap(&self) -> f64 {
        self.score.map_or(1.0, |s| gap(s.value, self.bound))
    }
}

/// A progress report of a running solve.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Progress {
    /// Time since the solve started.
    pub elapsed: Duration,
    /// Objective of the best schedule so far.
    pub best: Option<u64>,
    /// Best proven lower bound so far.
    pub bound: u64,
    /// Relative gap `(best − bound) / best` (infinite without a schedule).
    pub gap: f64,
}

impl Progress {
    /// A report of `best` against `bound` after `elapsed`, with its gap.
    pub fn new(elapsed: Duration, best: Option<u64>, bound: u64) -> Progress {
        Progress {
            elapsed,
            best,
            bound,
            gap: best.map_or(f64::INFINITY, |b| gap(b, bound)),
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_is_displayed() {
        assert_eq!(
            Status::Feasible { gap: 0.05 }.to_string(),
            "feasible (gap 5.00 %)"
        );
        assert_eq!(Status::Optimal.to_string(), "optimal");
    }

    #[test]
    fn stop_reasons_read_as_before() {
        assert_eq!(StopReason::Interrupted.to_string(), "interrupted");
        assert_eq!(StopReason::TimeLimit.to_string(), "time limit");
        assert_eq!(
            StopReason::GapReached { gap: 0.01 }.to_string(),
            "relative gap 0.0100 reached"
        );
        assert_eq!(
            StopReason::ModelTooLarge {
                columns: 70_000,
                limit: 60_000
            }
            .to_string(),
            "model too large: 70000 start columns (limit 60000)"
        );
        assert_eq!(
            StopReason::ProvenByBranchAndBound { nodes: 12 }.to_string(),
            "proven optimal by branch and bound (12 nodes)"
        );
    }

    #[test]
    fn an_outcome_meeting_its_bound_is_optimal() {
        let score = Score {
            weighted_lateness: 0,
            node_lateness: 0,
            makespan: 5,
            cost: 0,
            value: 5,
        };
        let o = Outcome::of(None, Some(score), 5, StopReason::Proven);
        assert_eq!(o.status, Status::Optimal);
        let o = Outcome::of(None, Some(score), 4, StopReason::TimeLimit);
        assert_eq!(o.status, Status::Feasible { gap: 0.2 });
        assert_eq!(Outcome::of(None, None, 4, StopReason::TimeLimit).gap(), 1.0);
    }
}
