//! A solved schedule in the programme's own terms: dates, crews, stations.
//!
//! [`Plan::new`] reads a [`Schedule`] of the model back into calendar dates,
//! names the crew instance doing each activity (`B/pipe/2`) and works out
//! which stations are heat-ready by the deadline and how late the others are.
//! Crew instances are assigned per contractor and crew type by taking the
//! activities in order of start and giving each the lowest-numbered crew that
//! is free; because no more crews than exist are ever busy on a day, this
//! always succeeds.

pub mod bulletin;
pub mod cpm;
pub mod explain;
pub mod progress;
mod units;
pub mod variance;

pub use units::{assign_units, assign_units_keeping, UnitUse};

use crate::activities::WorkBreakdown;
use crate::model::calendar::Calendar;
use crate::model::Model;
use crate::scenario::Programme;
use crate::schedule::{Schedule, Score};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Version of the plan.json schema (3: the scenario and the revision record
/// are embedded for re-planning).
pub const SCHEMA_VERSION: u32 = 3;

/// One scheduled activity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlannedActivity {
    /// Activity id, e.g. `P012/lay`.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Element kind: segment, station, task or milestone.
    pub element_kind: String,
    /// Element id.
    pub element: String,
    /// District responsible (empty if none).
    pub district: String,
    /// Contractor doing it (empty if no crew).
    pub contractor: String,
    /// Crew instance, e.g. `B/pipe/2` (empty if no crew).
    pub crew: String,
    /// First day of work; for a milestone its date ([`milestone_day`]).
    pub start: NaiveDate,
    /// Last day of work (inclusive); equal to `start` for milestones.
    pub finish: NaiveDate,
    /// Calendar days from start to finish inclusive (0 for milestones).
    pub duration_days: u32,
    /// Start as a day index from the window start.
    pub start_day: u32,
    /// End (exclusive) as a day index from the window start.
    pub end_day: u32,
}

/// A station's heat-ready outcome.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StationOutcome {
    /// Station id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// District.
    pub district: String,
    /// Households supplied.
    pub households: u64,
    /// Day the station is heat-ready (last day of its commissioning).
    pub heat_ready: NaiveDate,
    /// Days after the deadline (0 when on time).
    pub days_late: u32,
}

/// A time node (milestone with a due date) and how the plan holds it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NodeOutcome {
    /// Milestone id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Due date.
    pub due: NaiveDate,
    /// The plan's date for it ([`milestone_day`]).
    pub date: NaiveDate,
    /// Days after the due date (0 when met).
    pub days_late: u32,
    /// Proven least days late of any plan (0 when not proven late).
    pub least_days_late: u32,
    /// Marked `hard = true` in the scenario.
    pub hard: bool,
    /// Weight per day late among the nodes.
    pub weight: u64,
}

/// The plan level by level (households, time nodes, finish, crew-days),
/// each beside the least value any plan can have there, proven by
/// [`crate::schedule::bound::level_bounds`] for that level on its own; when
/// the plan has every station on time, the nodes' bounds are over the plans
/// that keep every station on time
/// ([`crate::schedule::bound::nodes_with_stations_on_time`]), which every
/// better plan does.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Levels {
    /// Household-days late of the plan.
    pub household_days_late: u64,
    /// Proven least household-days late.
    pub household_days_bound: u64,
    /// The time nodes, in scenario order.
    pub nodes: Vec<NodeOutcome>,
    /// Weighted node-days late of the plan.
    pub node_days_late: u64,
    /// Proven least weighted node-days late.
    pub node_days_bound: u64,
    /// Proven earliest finish (last day of work), when bounded.
    pub finish_bound: Option<NaiveDate>,
    /// Proven least crew-days.
    pub crew_days_bound: u64,
}

impl Levels {
    /// True when the households level is proven best (no plan has fewer
    /// household-days late).
    pub fn households_proven_best(&self) -> bool {
        self.household_days_late <= self.household_days_bound
    }

    /// The nodes missed by the plan.
    pub fn missed_nodes(&self) -> impl Iterator<Item = &NodeOutcome> {
        self.nodes.iter().filter(|n| n.days_late > 0)
    }
}

/// How the schedule was obtained and how good it is known to be.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Quality {
    /// `heuristic`, `optimal`, `feasible`, …
    pub status: String,
    /// Objective value of the plan.
    pub objective: u64,
    /// Proven lower bound on the objective.
    pub bound: u64,
    /// Relative gap (objective − bound) / objective.
    pub gap: f64,
    /// Seconds spent solving.
    pub seconds: f64,
    /// Why the solver stopped.
    pub stop_reason: String,
}

/// A schedule read back into dates and crews.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    /// Schema version of the serialised form.
    pub schema_version: u32,
    /// Programme name.
    pub programme: String,
    /// Window start.
    pub window_start: NaiveDate,
    /// Window end.
    pub window_end: NaiveDate,
    /// Heat-ready deadline.
    pub deadline: NaiveDate,
    /// Last day of any work.
    pub finish: NaiveDate,
    /// Households heat-ready by the deadline.
    pub households_on_time: u64,
    /// All households.
    pub households_total: u64,
    /// Crew-days used.
    pub crew_days: u64,
    /// Solution quality.
    pub quality: Quality,
    /// Activities in model order.
    pub activities: Vec<PlannedActivity>,
    /// Stations in scenario order.
    pub stations: Vec<StationOutcome>,
    /// The plan level by level, each with its proven bound.
    #[serde(default)]
    pub levels: Levels,
    /// The raw schedule (start day and mode per activity), for re-planning.
    pub schedule: Schedule,
}

/// The date of a milestone (a zero-duration activity) started on day
/// `start`: the day its last predecessor ends, inclusive — the close of the
/// day before its start day (day 0 for a milestone at the very start).
///
/// The one definition of a milestone's date: plan.csv, plan.json, plan.xml,
/// the report, the terminal and the drawings all read it from
/// [`PlannedActivity::start`]/[`PlannedActivity::finish`], so a milestone
/// never adds a day to the finish.
pub fn milestone_day(start: u32) -> u32 {
    start.saturating_sub(1)
}

impl Plan {
    /// Reads a schedule back into dates, crews and station outcomes.
    ///
    /// `keep` names, per activity, the crew it keeps if it can (a re-plan's
    /// finished and running work keep the previous revision's crews; see
    /// [`assign_units_keeping`]); empty: every crew is numbered afresh.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        s: &Programme,
        cal: &Calendar,
        wb: &WorkBreakdown,
        model: &Model,
        sched: &Schedule,
        score: &Score,
        quality: Quality,
        keep: &[String],
    ) -> Plan {
        let p = &model.problem;
        let crews = units::assign_crews(model, sched, keep);
        let mut activities = Vec::with_capacity(wb.items.len());
        for (a, it) in wb.items.iter().enumerate() {
            let m = sched.modes[a];
            let start = sched.starts[a];
            let end = p.end(a, m, start).unwrap_or(start);
            let mode = &p.activities[a].modes[m];
            let (first, last) = if end == start {
                let d = cal.date(milestone_day(start));
                (d, d)
            } else {
                (cal.date(start), cal.date(end - 1))
            };
            activities.push(PlannedActivity {
                id: it.id.clone(),
                name: it.name.clone(),
                element_kind: it.element.kind().to_string(),
                element: it.element_id.clone(),
                district: it.district.map_or_else(String::new, |d| s[d].id.clone()),
                contractor: mode.label.clone(),
                crew: crews[a].clone(),
                start: first,
                finish: last,
                duration_days: end - start,
                start_day: start,
                end_day: end,
            });
        }
        let deadline = s.deadline;
        let stations: Vec<StationOutcome> = wb
            .heat_ready
            .iter()
            .map(|h| {
                let st = &s[h.station];
                let ready = activities[h.activity].finish;
                StationOutcome {
                    id: st.id.clone(),
                    name: st.name.clone(),
                    district: s[st.district].id.clone(),
                    households: h.households,
                    heat_ready: ready,
                    days_late: (ready - deadline).num_days().max(0) as u32,
                }
            })
            .collect();
        let levels = levels(s, cal, model, &activities, score);
        Plan {
            schema_version: SCHEMA_VERSION,
            programme: s.name.clone(),
            window_start: s.window_start,
            window_end: s.window_end,
            deadline,
            finish: activities
                .iter()
                .map(|a| a.finish)
                .max()
                .unwrap_or(cal.start()),
            households_on_time: stations
                .iter()
                .filter(|x| x.days_late == 0)
                .map(|x| x.households)
                .sum(),
            households_total: stations.iter().map(|x| x.households).sum(),
            crew_days: score.cost,
            quality,
            activities,
            stations,
            levels,
            schedule: sched.clone(),
        }
    }

    /// The position of each activity in [`Plan::activities`], by its id.
    pub fn index_by_id(&self) -> std::collections::HashMap<&str, usize> {
        self.activities
            .iter()
            .enumerate()
            .map(|(i, a)| (a.id.as_str(), i))
            .collect()
    }

    /// Stations that miss the deadline, latest first.
    pub fn late_stations(&self) -> Vec<&StationOutcome> {
        let mut late: Vec<_> = self.stations.iter().filter(|s| s.days_late > 0).collect();
        late.sort_by(|a, b| b.days_late.cmp(&a.days_late).then(a.id.cmp(&b.id)));
        late
    }
}

/// The plan's figures per priority level beside their proven bounds.
fn levels(
    s: &Programme,
    cal: &Calendar,
    model: &Model,
    activities: &[PlannedActivity],
    score: &Score,
) -> Levels {
    let p = &model.problem;
    let mut bounds = crate::schedule::bound::level_bounds(p).unwrap_or_default();
    // With every station on time the first level is at its optimum (0), so
    // a better plan keeps every station on time too: the nodes' bounds over
    // those plans hold for it, and are stronger.
    if score.weighted_lateness == 0 {
        if let Some(held) = crate::schedule::bound::nodes_with_stations_on_time(p) {
            bounds.nodes = bounds.nodes.max(held.nodes);
            for (g, end) in held.node_ends {
                if let Some(x) = bounds.node_ends.iter_mut().find(|x| x.0 == g) {
                    x.1 = x.1.max(end);
                }
            }
        }
    }
    let nodes = p
        .groups
        .iter()
        .enumerate()
        .filter(|(_, g)| g.level == crate::schedule::Level::Node)
        .filter_map(|(gi, g)| {
            let m = s.milestones.iter().find(|m| m.id == g.name)?;
            let due = m.due?;
            let date = g.members.iter().map(|&a| activities[a].finish).max()?;
            Some(NodeOutcome {
                id: m.id.clone(),
                name: m.name.clone(),
                due,
                date,
                days_late: (date - due).num_days().max(0) as u32,
                least_days_late: bounds.node_days_late(p, gi),
                hard: m.hard,
                weight: m.weight,
            })
        })
        .collect();
    Levels {
        household_days_late: score.weighted_lateness,
        household_days_bound: bounds.households,
        nodes,
        node_days_late: score.node_lateness,
        node_days_bound: bounds.nodes,
        finish_bound: (bounds.finish > 0).then(|| cal.date(bounds.finish - 1)),
        crew_days_bound: bounds.cost,
    }
}

#[cfg(test)]
mod tests {
    use crate::scenario::Source;
    use crate::schedule::budget::Budget;
    use crate::schedule::heuristic::heuristic;
    use crate::Project;
    use std::collections::HashMap;

    #[test]
    fn crews_are_named_and_never_double_booked() {
        let text = include_str!("../../scenarios/tutorial.toml").to_string();
        let pr = Project::load(&Source {
            file: "tutorial.toml".into(),
            text,
        })
        .unwrap();
        let budget = Budget::new(std::time::Duration::from_secs(10))
            .with_seed(0)
            .with_max_candidates(Some(50));
        let s = heuristic(&pr.model.problem, &budget, None).unwrap();
        let q = super::Quality {
            status: "test".into(),
            objective: 0,
            bound: 0,
            gap: 0.0,
            seconds: 0.0,
            stop_reason: String::new(),
        };
        let plan = pr.plan(&s, q);
        let mut by_crew: HashMap<&str, Vec<(u32, u32)>> = HashMap::new();
        for a in &plan.activities {
            if a.contractor.is_empty() {
                assert!(a.crew.is_empty());
                continue;
            }
            let parts: Vec<&str> = a.crew.split('/').collect();
            assert_eq!(parts.len(), 3, "{}", a.crew);
            assert_eq!(parts[0], a.contractor);
            by_crew
                .entry(&a.crew)
                .or_default()
                .push((a.start_day, a.end_day));
        }
        for (crew, mut jobs) in by_crew {
            jobs.sort();
            assert!(
                jobs.windows(2).all(|w| w[0].1 <= w[1].0),
                "{crew} double-booked"
            );
        }
        assert_eq!(plan.households_total, 3870);
        assert!(plan.finish >= plan.window_start);
    }
}
