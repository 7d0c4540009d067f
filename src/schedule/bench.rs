//! The PSPLIB benchmark runner behind `heatplan bench psplib`.
//!
//! The runner is independent of the file format: the caller parses the
//! instances into [`Problem`]s (with their best-known bounds, if any) and
//! passes a solve closure. [`run`] times each solve and returns one
//! [`BenchRow`] per instance and one [`SetSummary`] per set (e.g. `j30`);
//! [`write_csv`] writes the rows with the header
//! `instance,makespan,lower_bound,optimal,seconds`.
//!
//! PSPLIB problems minimise the makespan with [`Objective::default`]
//! (`finish = 1`), so the objective bound of the solver is a makespan bound;
//! for other weights the bound is divided by `finish` (rounded up).
//!
//! [`Objective::default`]: super::problem::Objective

use std::io::{self, Write};
use std::time::Instant;

use super::outcome::{Outcome, Status};
use super::problem::Problem;

pub use super::psplib::Known;

/// One instance to run.
#[derive(Debug, Clone)]
pub struct BenchInstance {
    /// Instance name, e.g. `j301_1`.
    pub name: String,
    /// Set it belongs to, e.g. `j30`.
    pub set: String,
    /// The parsed problem.
    pub problem: Problem,
    /// Best-known bounds, if listed.
    pub known: Option<Known>,
}

/// The result on one instance.
#[derive(Debug, Clone, PartialEq)]
pub struct BenchRow {
    /// Instance name.
    pub instance: String,
    /// Set name.
    pub set: String,
    /// Makespan of the best schedule found.
    pub makespan: Option<u64>,
    /// Proven lower bound on the makespan.
    pub lower_bound: u64,
    /// Whether the makespan was proven optimal.
    pub optimal: bool,
    /// Wall-clock seconds of the solve.
    pub seconds: f64,
    /// Best-known bounds, copied from the instance.
    pub known: Option<Known>,
}

impl BenchRow {
    /// Relative gap of the makespan to the best-known upper bound.
    pub fn gap_to_ub(&self) -> Option<f64> {
        let (m, k) = (self.makespan?, self.known?);
        Some((m as f64 - k.ub as f64) / k.ub.max(1) as f64)
    }

    /// True when the result contradicts a best-known bound: a makespan below
    /// the known lower bound, or a proven bound above the known upper bound.
    pub fn contradicts_known(&self) -> bool {
        match self.known {
            Some(k) => {
                self.makespan.is_some_and(|m| m < k.lb as u64) || self.lower_bound > k.ub as u64
            }
            None => false,
        }
    }
}

/// Aggregates over one set of instances.
#[derive(Debug, Clone, PartialEq)]
pub struct SetSummary {
    /// Set name.
    pub set: String,
    /// Instances run.
    pub instances: usize,
    /// Instances proven optimal.
    pub proven_optimal: usize,
    /// Instances whose proven lower bound reaches the published lower bound,
    /// and how many have a published bound: how strong the bounds are, not
    /// only the plans.
    pub bounds_at_known_lb: (usize, usize),
    /// Mean relative gap of the makespan to the best-known upper bound, over
    /// instances with both (None if there are none).
    pub mean_gap_to_ub: Option<f64>,
    /// Median solve time in seconds.
    pub median_seconds: f64,
    /// Longest solve time in seconds.
    pub max_seconds: f64,
}

/// Runs `solve` on every instance, in order, and summarises per set (sets in
/// order of first appearance).
pub fn run(
    instances: &[BenchInstance],
    mut solve: impl FnMut(&BenchInstance) -> Outcome,
) -> (Vec<BenchRow>, Vec<SetSummary>) {
    let rows: Vec<BenchRow> = instances
        .iter()
        .map(|inst| {
            let t = Instant::now();
            let r = solve(inst);
            row(inst, &r, t.elapsed().as_secs_f64())
        })
        .collect();
    let summaries = summarise(&rows);
    (rows, summaries)
}

fn row(inst: &BenchInstance, r: &Outcome, seconds: f64) -> BenchRow {
    let finish = inst.problem.objective.finish.max(1);
    BenchRow {
        instance: inst.name.clone(),
        set: inst.set.clone(),
        makespan: r.score.map(|s| s.makespan as u64),
        lower_bound: r.bound.div_ceil(finish),
        optimal: r.status == Status::Optimal,
        seconds,
        known: inst.known,
    }
}

/// Per-set summaries of rows, sets in order of first appearance.
pub fn summarise(rows: &[BenchRow]) -> Vec<SetSummary> {
    let mut sets: Vec<&str> = Vec::new();
    for r in rows {
        if !sets.contains(&r.set.as_str()) {
            sets.push(&r.set);
        }
    }
    sets.into_iter()
        .map(|set| {
            let of: Vec<&BenchRow> = rows.iter().filter(|r| r.set == set).collect();
            let gaps: Vec<f64> = of.iter().filter_map(|r| r.gap_to_ub()).collect();
            let mut secs: Vec<f64> = of.iter().map(|r| r.seconds).collect();
            secs.sort_by(f64::total_cmp);
            SetSummary {
                set: set.to_string(),
                instances: of.len(),
                proven_optimal: of.iter().filter(|r| r.optimal).count(),
                bounds_at_known_lb: (
                    of.iter()
                        .filter(|r| r.known.is_some_and(|k| r.lower_bound >= k.lb as u64))
                        .count(),
                    of.iter().filter(|r| r.known.is_some()).count(),
                ),
                mean_gap_to_ub: (!gaps.is_empty())
                    .then(|| gaps.iter().sum::<f64>() / gaps.len() as f64),
                median_seconds: median(&secs),
                max_seconds: secs.last().copied().unwrap_or(0.0),
            }
        })
        .collect()
}

/// Median of sorted values (0 when empty).
fn median(sorted: &[f64]) -> f64 {
    match sorted.len() {
        0 => 0.0,
        n if n % 2 == 1 => sorted[n / 2],
        n => (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0,
    }
}

/// Writes the rows as CSV with the header
/// `instance,makespan,lower_bound,optimal,seconds` (an empty makespan when no
/// schedule was found; seconds with three decimals), after a UTF-8
/// byte-order mark like every CSV heatplan writes.
/// Instance names are quoted where CSV needs it (a name with a comma).
pub fn write_csv(rows: &[BenchRow], mut out: impl Write) -> io::Result<()> {
    let mut w = crate::csv_text::Document::new();
    w.row(["instance", "makespan", "lower_bound", "optimal", "seconds"]);
    for r in rows {
        let m = r.makespan.map(|m| m.to_string()).unwrap_or_default();
        w.row([
            r.instance.clone(),
            m,
            r.lower_bound.to_string(),
            r.optimal.to_string(),
            format!("{:.3}", r.seconds),
        ]);
    }
    out.write_all(w.finish().as_bytes())?;
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schedule::outcome::StopReason;
    use crate::schedule::problem::{Objective, Problem, Score};

    fn empty() -> Problem {
        Problem {
            name: "e".into(),
            horizon: 10,
            resources: vec![],
            activities: vec![],
            links: vec![],
            spans: vec![],
            groups: vec![],
            objective: Objective::default(),
            baseline: None,
        }
    }

    fn result(makespan: u64, bound: u64) -> Outcome {
        let status = if makespan == bound {
            Status::Optimal
        } else {
            Status::Feasible { gap: 0.1 }
        };
        let score = Score {
            weighted_lateness: 0,
            node_lateness: 0,
            makespan: makespan as u32,
            cost: 0,
            value: makespan,
        };
        Outcome {
            schedule: None,
            score: Some(score),
            bound,
            status,
            stop: StopReason::TimeLimit,
            finish_bound: 0,
        }
    }

    fn inst(name: &str, set: &str, ub: u64) -> BenchInstance {
        BenchInstance {
            name: name.into(),
            set: set.into(),
            problem: empty(),
            known: Some(Known {
                lb: ub as u32,
                ub: ub as u32,
                optimal: true,
            }),
        }
    }

    #[test]
    fn rows_summaries_and_csv() {
        let insts = vec![
            inst("j301_1", "j30", 43),
            inst("j302_1", "j30", 40),
            inst("j601_1", "j60", 77),
        ];
        let outcomes = [(43, 43), (44, 40), (80, 70)];
        let mut i = 0;
        let (rows, sums) = run(&insts, |_| {
            i += 1;
            result(outcomes[i - 1].0, outcomes[i - 1].1)
        });
        assert_eq!(rows.len(), 3);
        assert!(rows[0].optimal && !rows[1].optimal);
        assert!(!rows.iter().any(|r| r.contradicts_known()));
        assert_eq!(sums.len(), 2);
        assert_eq!(
            (
                sums[0].set.as_str(),
                sums[0].instances,
                sums[0].proven_optimal
            ),
            ("j30", 2, 1)
        );
        assert!((sums[0].mean_gap_to_ub.unwrap() - 0.05).abs() < 1e-9);
        // Bounds 43 and 40 reach the published 43 and 40; 70 misses 77.
        assert_eq!(sums[0].bounds_at_known_lb, (2, 2));
        assert_eq!(sums[1].bounds_at_known_lb, (0, 1));
        let mut buf = Vec::new();
        write_csv(&rows, &mut buf).unwrap();
        let text = String::from_utf8(buf).unwrap();
        let mut lines = text.lines();
        assert_eq!(
            lines.next(),
            Some("\u{feff}instance,makespan,lower_bound,optimal,seconds")
        );
        assert!(lines.next().unwrap().starts_with("j301_1,43,43,true,"));
        // A name with a comma is quoted (it was written bare before).
        let mut odd = rows[..1].to_vec();
        odd[0].instance = "j30,1".into();
        let mut buf = Vec::new();
        write_csv(&odd, &mut buf).unwrap();
        let text = String::from_utf8(buf).unwrap();
        assert!(text.lines().nth(1).unwrap().starts_with("\"j30,1\",43,"));
    }

    #[test]
    fn median_of_even_and_odd() {
        assert_eq!(median(&[1.0, 2.0, 4.0]), 2.0);
        assert_eq!(median(&[1.0, 2.0, 4.0, 8.0]), 3.0);
        assert_eq!(median(&[]), 0.0);
    }
}
