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

use super::problem::{Level, Problem, Schedule, Score};

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
    /// The relative gap asked for was reached on the first level of the
    /// objective still open, every level above it proven (see
    /// [`LevelSplit`]).
    GapReached {
        /// The gap at the end, on that level.
        gap: f64,
        /// That level; `None` when the objective is one level.
        level: Option<ObjectiveLevel>,
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
            StopReason::GapReached { gap, level: None } => {
                write!(f, "relative gap {gap:.4} reached")
            }
            StopReason::GapReached {
                gap,
                level: Some(level),
            } => write!(f, "relative gap {gap:.4} reached on the {level} level"),
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
    /// A proven least finish (the exclusive end day of the last activity)
    /// found beside `bound`, e.g. by the time-indexed LP
    /// ([`super::bound::lp`]); 0 when none. Every feasible schedule ends on
    /// or after it, whatever the levels above the finish.
    pub finish_bound: super::problem::Day,
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
            finish_bound: 0,
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
            finish_bound: 0,
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

/// One priority level of the folded objective, highest first (and so in
/// their order).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ObjectiveLevel {
    /// Household-days late (the stations).
    Households,
    /// Weighted node-days late (the time nodes).
    Nodes,
    /// The finish day.
    Finish,
    /// Crew-days, with a re-plan's deviation from its baseline.
    CrewDays,
}

impl fmt::Display for ObjectiveLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ObjectiveLevel::Households => "household-day",
            ObjectiveLevel::Nodes => "time-node",
            ObjectiveLevel::Finish => "finish",
            ObjectiveLevel::CrewDays => "crew-day",
        })
    }
}

/// The first level of the objective on which a plan is not proven best:
/// every level above it is *closed* (the plan's value there equals the
/// bound's), and here the plan's value is above the bound's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpenLevel {
    /// The level.
    pub level: ObjectiveLevel,
    /// The plan's value on it (in the level's units: household-days,
    /// node-days, days, crew-days).
    pub value: u64,
    /// The least value any plan with the same values on the levels above
    /// can have on it.
    pub bound: u64,
    /// What one unit of the level weighs in the folded objective.
    pub weight: u64,
}

impl OpenLevel {
    /// Relative gap on this level, `(value − bound) / value`.
    pub fn gap(&self) -> f64 {
        gap(self.value, self.bound)
    }
}

/// How the folded objective of a problem splits into its priority levels
/// (households, time nodes, finish, crew-days), and the stop rule on them.
///
/// The lexicographic weights ([`super::problem::Objective::lexicographic`])
/// make each level weigh more than every level below it can reach
/// together, so a folded value `V` is read level by level: the top level's
/// value is `V` divided by its weight, the rest goes to the levels below.
/// A folded lower bound `B` splits the same way, and as long as the plan's
/// value equals the bound's on every level above, the bound's share of a
/// level bounds every plan that is no worse above. A level is split off
/// only when its weight exceeds what all the levels below can reach (with
/// other weights, or with a re-plan's baseline deviation too large, the
/// levels are read together as one), so the split is always valid.
///
/// The stop rule: a plan is *proven optimal* when its value equals the
/// bound (every level closed); a relative gap `g` applies only to the first
/// level still open, when every level above it is closed. A finish proven
/// optimal and crew-days 15 % above their bound is therefore not "within
/// 1 %", although the folded objective, dominated by the finish, would be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LevelSplit {
    /// The levels split off, highest first, each with its weight; the
    /// last level takes the remainder (weight 1).
    levels: Vec<(ObjectiveLevel, u64)>,
    /// The level of the remainder.
    last: ObjectiveLevel,
}

impl LevelSplit {
    /// The objective of `p` read as one level (weight 1), e.g. a pure
    /// makespan problem.
    pub fn single() -> LevelSplit {
        LevelSplit {
            levels: Vec::new(),
            last: ObjectiveLevel::Finish,
        }
    }

    /// The levels of `p`'s objective (see the type's documentation).
    pub fn of(p: &Problem) -> LevelSplit {
        let o = p.objective;
        let h = p.horizon as u128;
        let late_max = |level: Level| -> u128 {
            p.groups
                .iter()
                .filter(|g| g.level == level)
                .map(|g| g.weight as u128 * h.saturating_sub(g.due as u128))
                .sum()
        };
        let cost_max: u128 = p
            .activities
            .iter()
            .map(|a| {
                a.modes
                    .iter()
                    .map(|m| m.cost_per_day as u128 * longest(&m.timing, p.horizon) as u128)
                    .max()
                    .unwrap_or(0)
            })
            .sum();
        let deviation_max: u128 = p.baseline.as_ref().map_or(0, |b| {
            (0..p.activities.len())
                .map(|a| {
                    let shift = b.starts[a].map_or(0, |s| s.max(p.horizon.saturating_sub(s)));
                    b.shift_weight as u128 * shift as u128 + b.change_weight as u128
                })
                .sum()
        });
        // Bottom up: what every level below can reach together.
        let mut below = o.cost as u128 * cost_max + deviation_max;
        let mut last = ObjectiveLevel::CrewDays;
        let mut levels = Vec::new();
        for (level, weight, max) in [
            (ObjectiveLevel::Finish, o.finish, h),
            (ObjectiveLevel::Nodes, o.node, late_max(Level::Node)),
            (
                ObjectiveLevel::Households,
                o.lateness,
                late_max(Level::Households),
            ),
        ] {
            if weight == 0 || max == 0 {
                continue;
            }
            if below == 0 {
                // Nothing below: this level is the remainder.
                last = level;
            } else if weight as u128 > below {
                levels.push((level, weight));
            } else {
                // Not separable from the levels below: read together.
                last = level;
                levels.clear();
            }
            below += weight as u128 * max;
        }
        levels.reverse();
        LevelSplit { levels, last }
    }

    /// The first level on which a plan of folded value `value` is not proven
    /// best against the folded lower bound `bound`; `None` when every level
    /// is closed (`value ≤ bound`: the plan is optimal).
    pub fn open(&self, value: u64, bound: u64) -> Option<OpenLevel> {
        let (mut v, mut b) = (value, bound.min(value));
        for &(level, weight) in &self.levels {
            let (lv, lb) = (v / weight, b / weight);
            if lv != lb {
                return Some(OpenLevel {
                    level,
                    value: lv,
                    bound: lb,
                    weight,
                });
            }
            v -= lv * weight;
            b -= lb * weight;
        }
        (v != b).then_some(OpenLevel {
            level: self.last,
            value: v,
            bound: b,
            weight: 1,
        })
    }

    /// The stop rule: true when the plan is proven optimal, or its first
    /// open level is within the relative gap `gap` of that level's bound.
    pub fn within(&self, value: u64, bound: u64, gap: f64) -> bool {
        self.open(value, bound).is_none_or(|l| l.gap() <= gap)
    }

    /// Why a search whose plan passes [`Self::within`] stopped: proven, or
    /// the gap reached on the first open level.
    pub fn stop_reason(&self, value: u64, bound: u64) -> StopReason {
        match self.open(value, bound) {
            None => StopReason::Proven,
            Some(l) => StopReason::GapReached {
                gap: l.gap(),
                level: (!self.levels.is_empty()).then_some(l.level),
            },
        }
    }

    /// The largest gap in the folded objective, `value − dual bound`, at
    /// which a solver may stop on a plan of value `value` against `bound`:
    /// the first open level's weight times the whole units its gap allows
    /// (0 when the gap allows none, or when every level is closed). A
    /// solver stopping there leaves that level within the gap or closed;
    /// in the second case the next level may be open beyond the gap, which
    /// the caller's stop rule ([`Self::within`]) then sees.
    pub fn slack(&self, value: u64, bound: u64, gap: f64) -> u64 {
        self.open(value, bound)
            .map_or(0, |l| l.weight.saturating_mul(allowed_units(l.value, gap)))
    }

    /// The largest folded value such that every plan between `bound` and
    /// it passes the stop rule: the levels at the bound's values and the
    /// last one within the gap of its share of the bound.
    pub fn enough(&self, bound: u64, gap: f64) -> u64 {
        let mut rest = bound;
        for &(_, weight) in &self.levels {
            rest %= weight;
        }
        let upper = bound - rest;
        let step = self.levels.last().map_or(u64::MAX, |l| l.1);
        let last = largest_within_gap(rest, gap).min(step - 1);
        upper.saturating_add(last)
    }

    /// The least finish of every plan at least as good as one of value
    /// `value`, when the levels above the finish are closed against
    /// `bound` (0 otherwise, or when the finish is not a level of its own):
    /// the finish level's bound, or its value once it is closed too.
    pub fn finish_at_least(&self, value: u64, bound: u64) -> super::problem::Day {
        let Some(at) = self
            .levels
            .iter()
            .position(|l| l.0 == ObjectiveLevel::Finish)
        else {
            return 0;
        };
        let (mut v, mut b) = (value, bound.min(value));
        for (i, &(_, weight)) in self.levels.iter().enumerate() {
            let (lv, lb) = (v / weight, b / weight);
            if i == at {
                return lb.min(super::problem::Day::MAX as u64) as super::problem::Day;
            }
            if lv != lb {
                return 0;
            }
            v -= lv * weight;
            b -= lb * weight;
        }
        0
    }

    /// The bound's share of the levels above the finish (weighted), which
    /// every plan at least as good as any other reaches: a plan of value
    /// `v` finishes by `(v − this) / finish weight`.
    pub fn above_finish(&self, bound: u64) -> u64 {
        let mut b = bound;
        let mut upper = 0;
        for &(level, weight) in &self.levels {
            if level == ObjectiveLevel::Finish {
                break;
            }
            let share = b / weight * weight;
            upper += share;
            b -= share;
        }
        upper
    }
}

/// The longest duration `t` can take for a start inside `horizon`.
fn longest(t: &super::problem::Timing, horizon: super::problem::Day) -> u32 {
    use super::problem::Timing;
    match t {
        Timing::Fixed(d) => *d,
        Timing::Table(v) => v
            .iter()
            .enumerate()
            .filter(|(s, &e)| e != Timing::NO_START && (*s as u32) < horizon)
            .map(|(s, &e)| e.saturating_sub(s as u32))
            .max()
            .unwrap_or(0),
    }
}

/// The most units `k` below `value` a bound may be with `(value − (value −
/// k)) / value ≤ gap`.
fn allowed_units(value: u64, gap: f64) -> u64 {
    let mut k = ((gap.max(0.0) * value as f64).floor() as u64).min(value);
    while k > 0 && self::gap(value, value - k) > gap {
        k -= 1;
    }
    k
}

/// The largest value within the relative gap `gap` of `bound` (`(v − bound)
/// / v ≤ gap`): a plan this good needs no more search.
pub fn largest_within_gap(bound: u64, gap: f64) -> u64 {
    if gap >= 1.0 {
        return u64::MAX;
    }
    let v = (bound as f64 / (1.0 - gap.max(0.0))).floor();
    // Rounding of large values: never claim more than the gap allows.
    let mut v = if v >= u64::MAX as f64 {
        u64::MAX
    } else {
        v as u64
    };
    while v > bound && self::gap(v, bound) > gap {
        v -= 1;
    }
    v.max(bound)
}

#[cfg(test)]
mod tests;
