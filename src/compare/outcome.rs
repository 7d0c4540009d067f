//! What one variant's plan amounts to: households heat-ready by the deadline,
//! late stations, finish, crew-days, utilisation and the bottleneck.

use super::variant::crew_counts;
use crate::lang::Both;
use crate::model::ResourceKind;
use crate::plan::Quality;
use crate::scenario::Scenario;
use crate::schedule::{Problem, Schedule};
use crate::Project;
use chrono::NaiveDate;
use std::collections::{BTreeMap, BTreeSet};

/// Days before the deadline over which the bottleneck's utilisation is
/// measured.
pub const BOTTLENECK_DAYS: u32 = 56;

/// Days in one bucket of the utilisation-over-time series.
pub const WEEK: u32 = 7;

/// How a variant's solve ended.
#[derive(Debug, Clone, PartialEq)]
pub struct SolveSummary {
    /// `optimal`, `feasible (gap …)`, `infeasible`, `no solution found`.
    pub status: String,
    /// True when the plan is proven optimal.
    pub optimal: bool,
    /// Objective of the plan (when there is one).
    pub objective: Option<u64>,
    /// Proven lower bound on the objective.
    pub bound: u64,
    /// Relative gap (objective − bound) / objective (1 without a plan).
    pub gap: f64,
    /// Wall-clock seconds.
    pub seconds: f64,
    /// Why the solver stopped.
    pub stop_reason: String,
    /// Why the variant was not solved (it leaves the scenario invalid, or
    /// was never run), in both languages; its English is `status`.
    pub not_run: Option<Both>,
}

/// Crew use of one contractor's crews of one type up to the deadline.
#[derive(Debug, Clone, PartialEq)]
pub struct CrewLoad {
    /// Contractor id.
    pub contractor: String,
    /// Crew type.
    pub crew: String,
    /// Number of crews.
    pub crews: u32,
    /// Crew-days busy from the window start to the deadline over crew-days
    /// available in the same days (0 without crews).
    pub utilisation: f64,
}

/// The contractor and crew type that limits a late plan (see the module doc
/// of [`super`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Bottleneck {
    /// Contractor id.
    pub contractor: String,
    /// Crew type.
    pub crew: String,
    /// Its utilisation in the [`BOTTLENECK_DAYS`] before the deadline.
    pub utilisation: f64,
}

/// A solved variant's plan in figures.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanFigures {
    /// Households whose station is heat-ready by the deadline.
    pub households_on_time: u64,
    /// All households.
    pub households_total: u64,
    /// Stations heat-ready after the deadline.
    pub late_stations: usize,
    /// Last day of work.
    pub finish: NaiveDate,
    /// Crew-days used.
    pub crew_days: u64,
    /// Household-days late (the lateness part of the objective).
    pub household_days_late: u64,
    /// Time nodes (milestones with a due date) met by their due date.
    pub nodes_met: usize,
    /// All time nodes.
    pub nodes_total: usize,
    /// Weighted node-days late (the time nodes' part of the objective).
    pub node_days_late: u64,
    /// Utilisation per contractor and crew type (model order).
    pub loads: Vec<CrewLoad>,
    /// Per contractor (scenario order): weekly utilisation of all its crews,
    /// from the window start to the later of the deadline and the finish.
    pub weekly: Vec<(String, Vec<f64>)>,
    /// The bottleneck, when some station is late.
    pub bottleneck: Option<Bottleneck>,
}

/// One variant's result.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// Variant name.
    pub name: String,
    /// Crews by (contractor, crew type).
    pub crews: BTreeMap<(String, String), u32>,
    /// Total crews.
    pub crews_total: u32,
    /// Crews added to the base scenario (negative when released).
    pub added_crews: i64,
    /// Cost of the crews added over the construction window (when every
    /// contractor whose crews change has a cost per crew-day).
    pub added_cost: Option<f64>,
    /// How the solve ended.
    pub solve: SolveSummary,
    /// The plan's figures (none when no plan was found).
    pub plan: Option<PlanFigures>,
    /// The plan itself (none when no plan was found), for the risk study
    /// and the plan file of `--risk-samples`.
    pub schedule: Option<Schedule>,
    /// Its chance of every station on time under the scenario's `[risk]`
    /// (only with `--risk-samples`; see [`super::chance`]).
    pub risk: Option<super::chance::RiskFigure>,
}

impl Outcome {
    /// True when a plan was found with every station heat-ready by the
    /// deadline.
    pub fn meets_deadline(&self) -> bool {
        self.plan.as_ref().is_some_and(|p| p.late_stations == 0)
    }

    /// True when a plan was found with every station heat-ready by the
    /// deadline and every time node met.
    pub fn meets_all_nodes(&self) -> bool {
        self.plan
            .as_ref()
            .is_some_and(|p| p.late_stations == 0 && p.nodes_met == p.nodes_total)
    }

    /// [`Outcome::meets_all_nodes`] when `all_nodes`, otherwise
    /// [`Outcome::meets_deadline`]: what `--find-minimum` asks for.
    pub fn meets(&self, all_nodes: bool) -> bool {
        if all_nodes {
            self.meets_all_nodes()
        } else {
            self.meets_deadline()
        }
    }
}

/// Crews added and their cost, relative to `base`. The cost of a crew is
/// its contractor's cost per crew-day times the calendar days of the
/// construction window (a crew is hired for the season).
pub fn additions(base: &Scenario, variant: &Scenario) -> (i64, Option<f64>) {
    let before = crew_counts(base);
    let after = crew_counts(variant);
    let keys: BTreeSet<&(String, String)> = before.keys().chain(after.keys()).collect();
    let p = &variant.programme;
    let days = (p.window_end.get_ref().0 - p.window_start.get_ref().0).num_days() + 1;
    let mut crews = 0i64;
    let mut cost = Some(0.0);
    for k in keys {
        let d = *after.get(k).unwrap_or(&0) as i64 - *before.get(k).unwrap_or(&0) as i64;
        if d == 0 {
            continue;
        }
        crews += d;
        let per_day = variant
            .contractors
            .iter()
            .find(|c| c.id.get_ref() == &k.0)
            .and_then(|c| c.cost_per_crew_day);
        cost = match (cost, per_day) {
            (Some(sum), Some(c)) => Some(sum + d as f64 * c * days as f64),
            _ => None,
        };
    }
    (crews, cost)
}

impl Outcome {
    /// The figures of `schedule` (a plan of `project`, the `variant`
    /// scenario file validated and expanded) compared with `base`.
    pub fn new(
        name: &str,
        base: &Scenario,
        variant: &Scenario,
        project: &Project,
        schedule: Option<&Schedule>,
        solve: SolveSummary,
    ) -> Outcome {
        let crews = crew_counts(variant);
        let (added_crews, added_cost) = additions(base, variant);
        let plan = schedule.map(|s| figures(project, s, &solve));
        Outcome {
            name: name.to_string(),
            crews_total: crews.values().sum(),
            crews,
            added_crews,
            added_cost,
            solve,
            plan,
            schedule: schedule.cloned(),
            risk: None,
        }
    }
}

/// Crew-days each resource is busy on each day of `0..days`.
fn busy_by_day(p: &Problem, s: &Schedule, days: u32) -> Vec<Vec<u32>> {
    let mut busy = vec![vec![0u32; days as usize]; p.resources.len()];
    for (a, act) in p.activities.iter().enumerate() {
        let m = s.modes[a];
        let start = s.starts[a];
        let end = p.end(a, m, start).unwrap_or(start).min(days);
        for &(r, k) in &act.modes[m].demands {
            for d in start.min(end)..end {
                busy[r][d as usize] += k;
            }
        }
    }
    busy
}

fn ratio(busy: u64, available: u64) -> f64 {
    if available == 0 {
        0.0
    } else {
        busy as f64 / available as f64
    }
}

fn figures(project: &Project, s: &Schedule, solve: &SolveSummary) -> PlanFigures {
    let p = &project.model.problem;
    let due = project.model.due;
    let quality = Quality {
        status: solve.status.clone(),
        objective: solve.objective.unwrap_or(0),
        bound: solve.bound,
        gap: solve.gap,
        seconds: solve.seconds,
        stop_reason: solve.stop_reason.clone(),
    };
    let plan = project.plan(s, quality);
    let score = p.score(s);
    let days = due.max(score.makespan).max(1);
    let busy = busy_by_day(p, s, days);
    let mut loads = Vec::new();
    let mut per_contractor: BTreeMap<&str, (Vec<usize>, u32)> = BTreeMap::new();
    for (r, kind) in project.model.resources.iter().enumerate() {
        let ResourceKind::Crew { contractor, crew } = kind else {
            continue;
        };
        let cap = p.resources[r].capacity;
        let used: u64 = busy[r][..due as usize].iter().map(|&b| b as u64).sum();
        loads.push(CrewLoad {
            contractor: contractor.clone(),
            crew: crew.clone(),
            crews: cap,
            utilisation: ratio(used, cap as u64 * due as u64),
        });
        let e = per_contractor.entry(contractor).or_default();
        e.0.push(r);
        e.1 += cap;
    }
    let weekly = project
        .programme
        .contractors
        .iter()
        .map(|c| {
            let id = c.id.as_str();
            let (rs, cap) = per_contractor.get(id).cloned().unwrap_or_default();
            let series = (0..days.div_ceil(WEEK))
                .map(|w| {
                    let (a, b) = (w * WEEK, ((w + 1) * WEEK).min(days));
                    let used: u64 = rs
                        .iter()
                        .flat_map(|&r| busy[r][a as usize..b as usize].iter())
                        .map(|&x| x as u64)
                        .sum();
                    ratio(used, cap as u64 * (b - a) as u64)
                })
                .collect();
            (id.to_string(), series)
        })
        .collect();
    PlanFigures {
        households_on_time: plan.households_on_time,
        households_total: plan.households_total,
        late_stations: plan.late_stations().len(),
        finish: plan.finish,
        crew_days: plan.crew_days,
        household_days_late: score.weighted_lateness,
        nodes_met: plan
            .levels
            .nodes
            .iter()
            .filter(|n| n.days_late == 0)
            .count(),
        nodes_total: plan.levels.nodes.len(),
        node_days_late: score.node_lateness,
        loads,
        weekly,
        bottleneck: bottleneck(project, s, &busy),
    }
}

/// The crew resource with the highest utilisation in the
/// [`BOTTLENECK_DAYS`] before the deadline among those that do work some late
/// station waits for (the station's own steps and every activity before
/// them in the network); `None` when no station is late.
fn bottleneck(project: &Project, s: &Schedule, busy: &[Vec<u32>]) -> Option<Bottleneck> {
    let p = &project.model.problem;
    let due = project.model.due;
    let ends: Vec<u32> = (0..p.activities.len())
        .map(|a| p.end(a, s.modes[a], s.starts[a]).unwrap_or(s.starts[a]))
        .collect();
    let mut stack: Vec<usize> = p
        .groups
        .iter()
        .filter(|g| g.members.iter().any(|&a| ends[a] > g.due))
        .flat_map(|g| g.members.iter().copied())
        .collect();
    if stack.is_empty() {
        return None;
    }
    let inn = p.in_links();
    let mut seen = vec![false; p.activities.len()];
    let mut resources = BTreeSet::new();
    while let Some(a) = stack.pop() {
        if std::mem::replace(&mut seen[a], true) {
            continue;
        }
        for &(r, _) in &p.activities[a].modes[s.modes[a]].demands {
            resources.insert(r);
        }
        stack.extend(inn[a].iter().map(|&l| p.links[l].from));
    }
    let from = due.saturating_sub(BOTTLENECK_DAYS);
    resources
        .into_iter()
        .filter_map(|r| match &project.model.resources[r] {
            ResourceKind::Crew { contractor, crew } => {
                let used: u64 = busy[r][from as usize..due as usize]
                    .iter()
                    .map(|&b| b as u64)
                    .sum();
                let cap = p.resources[r].capacity as u64 * (due - from) as u64;
                Some(Bottleneck {
                    contractor: contractor.clone(),
                    crew: crew.clone(),
                    utilisation: ratio(used, cap),
                })
            }
            ResourceKind::Trenches { .. } => None,
        })
        .max_by(|a, b| a.utilisation.total_cmp(&b.utilisation))
}

impl Outcome {
    /// A variant that was not solved (interrupted before it started).
    pub fn not_run(name: &str, base: &Scenario, variant: &Scenario, why: &Both) -> Outcome {
        let crews = crew_counts(variant);
        let (added_crews, added_cost) = additions(base, variant);
        Outcome {
            name: name.to_string(),
            crews_total: crews.values().sum(),
            crews,
            added_crews,
            added_cost,
            solve: SolveSummary {
                status: why.en.clone(),
                optimal: false,
                objective: None,
                bound: 0,
                gap: 1.0,
                seconds: 0.0,
                stop_reason: why.en.clone(),
                not_run: Some(why.clone()),
            },
            plan: None,
            schedule: None,
            risk: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::Source;
    use crate::schedule::budget::Budget;
    use crate::schedule::heuristic::heuristic;

    /// The tutorial with fewer crews and an earlier deadline, so that some
    /// stations are late, and a quick heuristic plan of it.
    fn late_plan() -> (Project, Schedule, Scenario) {
        quick_plan(
            include_str!("../../scenarios/tutorial.toml")
                .replace("deadline = 2022-09-30", "deadline = 2022-06-15"),
        )
    }

    /// A scenario, a quick (iteration-limited) heuristic plan of it and its
    /// file.
    fn quick_plan(text: String) -> (Project, Schedule, Scenario) {
        let source = Source {
            file: "t.toml".into(),
            text,
        };
        let project = Project::load(&source).unwrap();
        let file = crate::scenario::parse(&source).unwrap();
        let s = heuristic(
            &project.model.problem,
            &Budget::new(std::time::Duration::from_secs(5))
                .with_seed(1)
                .with_max_candidates(Some(50)),
            None,
        )
        .unwrap();
        (project, s, file)
    }

    fn summary() -> SolveSummary {
        SolveSummary {
            status: "heuristic".into(),
            optimal: false,
            objective: None,
            bound: 0,
            gap: 1.0,
            seconds: 0.0,
            stop_reason: String::new(),
            not_run: None,
        }
    }

    #[test]
    fn utilisation_agrees_with_the_dated_plan() {
        let (project, s, file) = late_plan();
        let o = Outcome::new("v", &file, &file, &project, Some(&s), summary());
        let f = o.plan.as_ref().unwrap();
        let plan = project.plan(
            &s,
            Quality {
                status: String::new(),
                objective: 0,
                bound: 0,
                gap: 0.0,
                seconds: 0.0,
                stop_reason: String::new(),
            },
        );
        let due = project.model.due;
        assert!(f.late_stations > 0, "the test needs late stations");
        assert_eq!(f.late_stations, plan.late_stations().len());
        for load in &f.loads {
            // Busy crew-days before the deadline, counted from the plan's
            // activities (one crew each) rather than the model.
            let busy: u32 = plan
                .activities
                .iter()
                .filter(|a| {
                    a.contractor == load.contractor
                        && a.crew
                            .starts_with(&format!("{}/{}/", load.contractor, load.crew))
                })
                .map(|a| a.end_day.min(due).saturating_sub(a.start_day.min(due)))
                .sum();
            let expected = busy as f64 / (load.crews * due) as f64;
            assert!(
                (load.utilisation - expected).abs() < 1e-9,
                "{}/{}: {} vs {expected}",
                load.contractor,
                load.crew,
                load.utilisation
            );
            assert!(load.utilisation <= 1.0);
        }
        // A bottleneck is named, and it does work some late station waits for.
        let b = f.bottleneck.as_ref().unwrap();
        assert!(f
            .loads
            .iter()
            .any(|l| l.contractor == b.contractor && l.crew == b.crew));
        for (_, weeks) in &f.weekly {
            assert!(weeks.iter().all(|&u| (0.0..=1.0).contains(&u)));
        }
    }

    #[test]
    fn a_plan_on_time_has_no_bottleneck() {
        let (project, s, file) =
            quick_plan(include_str!("../../scenarios/tutorial.toml").to_string());
        let o = Outcome::new("v", &file, &file, &project, Some(&s), summary());
        let f = o.plan.unwrap();
        assert_eq!(f.late_stations, 0);
        assert!(o.crews_total > 0 && o.added_crews == 0);
        assert_eq!(f.bottleneck, None);
    }
}
