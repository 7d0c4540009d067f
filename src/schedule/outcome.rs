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
            StopReason::GapReached {
                gap: 0.01,
                level: None
            }
            .to_string(),
            "relative gap 0.0100 reached"
        );
        assert_eq!(
            StopReason::GapReached {
                gap: 0.01,
                level: Some(ObjectiveLevel::CrewDays)
            }
            .to_string(),
            "relative gap 0.0100 reached on the crew-day level"
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

    use crate::schedule::milp::tests::{job, problem};
    use crate::schedule::problem::{Baseline, DueGroup, Objective, Timing};

    /// Three jobs on one crew, each 2 days (100 crew-days a day) or 1 day
    /// (150), a station due on day 4 and a time node due on day 6, horizon
    /// 200; the lexicographic objective.
    fn levelled() -> Problem {
        let mut jobs: Vec<_> = ["a", "b", "c"]
            .iter()
            .map(|n| job(n, 2, &[(0, 1)]))
            .collect();
        for j in &mut jobs {
            j.modes[0].cost_per_day = 100;
            let mut fast = j.modes[0].clone();
            fast.timing = Timing::Fixed(1);
            fast.cost_per_day = 150;
            j.modes.push(fast);
        }
        let mut p = problem(200, &[1], jobs, vec![]);
        p.groups = vec![
            DueGroup {
                name: "station".into(),
                weight: 10,
                due: 4,
                members: vec![0, 1],
                level: Level::Households,
            },
            DueGroup {
                name: "node".into(),
                weight: 1,
                due: 6,
                members: vec![2],
                level: Level::Node,
            },
        ];
        p.objective = Objective::lexicographic(&p);
        p
    }

    /// The folded value of (household-days, node-days, finish, crew-days).
    fn fold(p: &Problem, v: [u64; 4]) -> u64 {
        let o = p.objective;
        o.lateness * v[0] + o.node * v[1] + o.finish * v[2] + o.cost * v[3]
    }

    #[test]
    fn the_value_within_a_gap_is_the_largest_the_gap_allows() {
        // 101 is 0.99 % above 100, 102 is 1.96 %.
        assert_eq!(largest_within_gap(100, 0.01), 101);
        assert_eq!(largest_within_gap(100, 0.0), 100);
        assert_eq!(largest_within_gap(0, 0.5), 0);
        assert_eq!(largest_within_gap(100, 1.0), u64::MAX);
        let big = 64_800_564_868_852_137;
        let v = largest_within_gap(big, 1e-4);
        assert!(gap(v, big) <= 1e-4 && gap(v + 1, big) > 1e-4);
    }

    #[test]
    fn the_first_open_level_is_where_plan_and_bound_part() {
        let p = levelled();
        let split = LevelSplit::of(&p);
        // Every pair of level vectors in a small range: the open level is the
        // first where they differ (the bound's vector is never above).
        let range = |m: u64| 0..m;
        for v in range(3)
            .flat_map(|a| range(3).map(move |b| [a, b]))
            .flat_map(|ab| {
                range(4).flat_map(move |f| range(4).map(move |c| [ab[0], ab[1], 9 + f, 6 + c]))
            })
        {
            for b in range(3)
                .flat_map(|a| range(3).map(move |b| [a, b]))
                .flat_map(|ab| {
                    range(4).flat_map(move |f| range(4).map(move |c| [ab[0], ab[1], 9 + f, 6 + c]))
                })
            {
                if b > v {
                    continue;
                }
                let open = split.open(fold(&p, v), fold(&p, b));
                let levels = [
                    ObjectiveLevel::Households,
                    ObjectiveLevel::Nodes,
                    ObjectiveLevel::Finish,
                    ObjectiveLevel::CrewDays,
                ];
                let expected = (0..4)
                    .find(|&i| v[i] != b[i])
                    .map(|i| (levels[i], v[i], b[i]));
                assert_eq!(
                    open.map(|l| (l.level, l.value, l.bound)),
                    expected,
                    "{v:?} {b:?}"
                );
            }
        }
    }

    #[test]
    fn a_gap_applies_to_the_first_open_level_only() {
        let p = levelled();
        let split = LevelSplit::of(&p);
        // The finish proven, crew-days 15 % above their bound: the folded
        // objective, dominated by the finish, is within 1 %, the plan is not.
        let (v, b) = (fold(&p, [0, 0, 107, 389]), fold(&p, [0, 0, 107, 332]));
        assert!(gap(v, b) < 0.01);
        assert!(!split.within(v, b, 0.01));
        assert!(split.within(v, b, 0.15));
        assert_eq!(
            split.stop_reason(v, b),
            StopReason::GapReached {
                gap: gap(389, 332),
                level: Some(ObjectiveLevel::CrewDays)
            }
        );
        // Proven at every level: proven, whatever the gap asked.
        assert!(split.within(v, v, 0.0));
        assert_eq!(split.stop_reason(v, v), StopReason::Proven);
        // A plan open on the households level within 1 % stops there,
        // whatever the levels below.
        let (v, b) = (fold(&p, [101, 0, 12, 9]), fold(&p, [100, 0, 9, 6]));
        assert!(split.within(v, b, 0.01));
        assert!(!split.within(v, b, 0.009));
    }

    #[test]
    fn the_heuristic_threshold_holds_every_plan_below_it_to_the_rule() {
        let p = levelled();
        let split = LevelSplit::of(&p);
        for g in [0.0, 0.01, 0.2, 0.5] {
            for b in [
                fold(&p, [0, 0, 9, 6]),
                fold(&p, [3, 1, 10, 7]),
                fold(&p, [0, 2, 12, 0]),
            ] {
                let enough = split.enough(b, g);
                assert!(enough >= b);
                for v in b..=enough {
                    assert!(split.within(v, b, g), "gap {g}: {v} against {b}");
                }
            }
        }
        // One level: the whole objective's gap, as before.
        assert_eq!(LevelSplit::single().enough(100, 0.01), 101);
    }

    #[test]
    fn a_solver_stopping_within_the_slack_keeps_the_rule() {
        let p = levelled();
        let split = LevelSplit::of(&p);
        for g in [0.0, 0.01, 0.2, 0.5] {
            for (v, b) in [
                ([0, 0, 107, 389], [0, 0, 107, 332]),
                ([0, 0, 110, 389], [0, 0, 107, 332]),
                ([4, 1, 110, 389], [2, 0, 107, 332]),
            ] {
                let (v, b) = (fold(&p, v), fold(&p, b));
                let slack = split.slack(v, b, g);
                let open = split.open(v, b).unwrap();
                // The solver stops with a dual bound anywhere from `v − slack`
                // up (rounded to an integer): the level open before is then
                // within the gap, or closed (and the stop rule goes on to
                // the next level).
                for dual in v - slack..=v {
                    let now = split.open(v, dual.max(b));
                    assert!(
                        now.is_none_or(
                            |l| l.level > open.level || (l.level == open.level && l.gap() <= g)
                        ),
                        "gap {g}: {v} {dual}"
                    );
                }
            }
        }
        // The tutorial's crew-days: 20 % of 389 allows 77 of them.
        let (v, b) = (fold(&p, [0, 0, 107, 389]), fold(&p, [0, 0, 107, 332]));
        assert_eq!(split.slack(v, b, 0.2), 77);
        assert_eq!(split.slack(v, b, 0.0), 0);
    }

    #[test]
    fn the_finish_is_bounded_once_the_levels_above_are_closed() {
        let p = levelled();
        let split = LevelSplit::of(&p);
        let b = fold(&p, [1, 0, 9, 6]);
        assert_eq!(split.finish_at_least(fold(&p, [1, 0, 11, 7]), b), 9);
        assert_eq!(split.finish_at_least(fold(&p, [1, 0, 9, 7]), b), 9);
        assert_eq!(split.finish_at_least(fold(&p, [2, 0, 9, 7]), b), 0);
        assert_eq!(split.above_finish(b), fold(&p, [1, 0, 0, 0]));
    }

    #[test]
    fn levels_that_weigh_too_little_are_read_together() {
        let mut p = levelled();
        // A re-plan's deviation from its baseline: the lexicographic weights
        // leave no room for it below any level, so the objective is read
        // as one level (the folded objective's gap, as before).
        p.baseline = Some(Baseline {
            starts: vec![Some(0); 3],
            modes: vec![None; 3],
            shift_weight: 1,
            change_weight: 0,
        });
        let split = LevelSplit::of(&p);
        let (v, b) = (fold(&p, [0, 0, 107, 389]), fold(&p, [0, 0, 107, 332]));
        assert_eq!(split.open(v, b).unwrap().value, v);
        assert!(split.within(v, b, 0.01));
        assert_eq!(
            split.stop_reason(v, b),
            StopReason::GapReached {
                gap: gap(v, b),
                level: None
            }
        );
        // Weights not lexicographic: one level too.
        p.baseline = None;
        p.objective.finish = 1;
        p.objective.node = 1;
        p.objective.lateness = 1;
        assert_eq!(LevelSplit::of(&p).open(20, 10).unwrap().value, 20);
        // Without the baseline the lexicographic weights split all four.
        p.objective = Objective::lexicographic(&p);
        assert_eq!(LevelSplit::of(&p).levels.len(), 3);
    }
}
