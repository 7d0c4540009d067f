//! From activities to the abstract scheduling problem the solvers work on.
//!
//! Each (contractor, crew type) pair becomes a renewable resource whose
//! capacity is the contractor's number of crews; each district's limit on open
//! trenches becomes a resource held by a [`Span`] from a segment's first to its
//! last activity. An activity gets one mode per contractor allowed to do it,
//! with a calendar-aware end table: the work content divided by the
//! contractor's productivity, accumulated over the days on which work with the
//! activity's tags may proceed in its district.
//!
//! Every station becomes a due group on the first priority level (weight:
//! its households, due the day after the heat-ready deadline). Every
//! milestone with a `due` date — a time node (时间节点) — becomes a due group
//! on the second level, with the milestone activity as its only member
//! (weight: the milestone's `weight`, 1 by default): a zero-duration
//! milestone ends on its start day, the close of the day its last
//! predecessor ends ([`crate::plan::milestone_day`]), so it is late by
//! `date − due` days exactly as the reports count. By default every node
//! with a `due` is held on this soft level; `hard = true` additionally makes
//! the due date a must for `--deadline hard` ([`Model::hard_nodes`]).
//!
//! The objective is truly lexicographic: households late, then node-days
//! late, then the finish, then crew-days, with the weights derived from the
//! horizon and the data by [`Objective::lexicographic`] so that each level
//! outweighs everything below it. [`LATENESS_WEIGHT`], [`FINISH_WEIGHT`] and
//! [`CREW_DAY_WEIGHT`] are the weights of the earlier blended objective, kept
//! as the unit prices of a re-plan's stability terms.

pub mod calendar;

use crate::activities::WorkBreakdown;
use crate::model::calendar::{end_table, Calendar};
use crate::scenario::programme::{ContractorId, DistrictId};
use crate::scenario::Programme;
use crate::schedule::{
    Activity, DueGroup, Level, Link, Mode, Objective, Problem, Resource, Span, Timing,
};
use std::collections::HashMap;

/// Unit price of one household-day late in a re-plan's stability terms.
pub const LATENESS_WEIGHT: u64 = 10;
/// Unit price of one finish day in a re-plan's stability terms.
pub const FINISH_WEIGHT: u64 = 100;
/// Unit price of one crew-day in a re-plan's stability terms.
pub const CREW_DAY_WEIGHT: u64 = 1;

/// What a resource of the problem stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResourceKind {
    /// Crews of one type of one contractor.
    Crew {
        /// Contractor id.
        contractor: String,
        /// Crew type.
        crew: String,
    },
    /// Open trenches in a district.
    Trenches {
        /// District id.
        district: String,
    },
}

/// The problem and the meaning of its resources.
#[derive(Debug, Clone)]
pub struct Model {
    /// The scheduling problem.
    pub problem: Problem,
    /// What each resource stands for (same order as `problem.resources`).
    pub resources: Vec<ResourceKind>,
    /// The due day (exclusive) of the heat-ready deadline.
    pub due: u32,
    /// Indices in `problem.groups` of the time nodes marked `hard = true`.
    pub hard_nodes: Vec<usize>,
}

impl Model {
    /// Builds the problem of a validated programme.
    pub fn new(s: &Programme, cal: &Calendar, wb: &WorkBreakdown) -> Model {
        let mut resources = Vec::new();
        let mut kinds = Vec::new();
        let mut crew_index: HashMap<(ContractorId, &str), usize> = HashMap::new();
        for (i, c) in s.contractors.iter().enumerate() {
            for (crew, &n) in &c.crews {
                crew_index.insert((ContractorId::new(i), crew.as_str()), resources.len());
                resources.push(Resource {
                    name: format!("{}/{}", c.id, crew),
                    capacity: n,
                });
                kinds.push(ResourceKind::Crew {
                    contractor: c.id.clone(),
                    crew: crew.clone(),
                });
            }
        }
        let mut trench_index: HashMap<DistrictId, usize> = HashMap::new();
        for (i, d) in s.districts.iter().enumerate() {
            trench_index.insert(DistrictId::new(i), resources.len());
            resources.push(Resource {
                name: format!("trenches/{}", d.id),
                capacity: d.max_open_trenches,
            });
            kinds.push(ResourceKind::Trenches {
                district: d.id.clone(),
            });
        }
        let mut profiles: HashMap<(Vec<String>, Option<DistrictId>, bool), Vec<f64>> =
            HashMap::new();
        let activities = wb
            .items
            .iter()
            .map(|it| {
                let key = (it.tags.clone(), it.district, it.calendar_days);
                let profile = profiles.entry(key).or_insert_with(|| {
                    if it.calendar_days {
                        cal.every_day()
                    } else {
                        cal.profile(&it.tags, it.district)
                    }
                });
                let modes = match &it.crew_type {
                    Some(crew) if !it.contractors.is_empty() => it
                        .contractors
                        .iter()
                        .map(|&c| Mode {
                            label: s[c].id.clone(),
                            demands: vec![(crew_index[&(c, crew.as_str())], 1)],
                            timing: end_table(profile, it.work / s[c].productivity(crew)),
                            cost_per_day: 1,
                        })
                        .collect(),
                    _ => vec![Mode {
                        label: String::new(),
                        demands: vec![],
                        timing: end_table(profile, it.work),
                        cost_per_day: 0,
                    }],
                };
                Activity {
                    name: it.id.clone(),
                    modes,
                    release: it.not_before.and_then(|d| cal.day_of(d)).unwrap_or(0),
                }
            })
            .collect();
        let links = wb
            .precedences
            .iter()
            .map(|p| Link {
                from: p.from,
                to: p.to,
                kind: p.kind,
                lag: p.lag,
            })
            .collect();
        let spans = wb
            .trenches
            .iter()
            .filter_map(|t| {
                trench_index.get(&t.district).map(|&r| Span {
                    first: t.first,
                    last: t.last,
                    resource: r,
                    amount: 1,
                })
            })
            .collect();
        let due = cal.day_of(s.deadline).map_or(cal.horizon(), |d| d + 1);
        let groups = wb
            .heat_ready
            .iter()
            .map(|h| DueGroup {
                name: s[h.station].id.clone(),
                weight: h.households,
                due,
                members: vec![h.activity],
                level: Level::Households,
            })
            .collect();
        let mut groups: Vec<DueGroup> = groups;
        let mut hard_nodes = Vec::new();
        for m in &s.milestones {
            let Some(date) = m.due else { continue };
            let node_due = if date < cal.start() {
                0
            } else {
                cal.day_of(date).map_or(cal.horizon(), |d| d + 1)
            };
            if m.hard {
                hard_nodes.push(groups.len());
            }
            groups.push(DueGroup {
                name: m.id.clone(),
                weight: m.weight,
                due: node_due,
                members: vec![wb.bounds[&m.id].0],
                level: Level::Node,
            });
        }
        let mut problem = Problem {
            name: s.name.clone(),
            horizon: cal.horizon(),
            resources,
            activities,
            links,
            spans,
            groups,
            objective: Objective::default(),
            baseline: None,
        };
        problem.objective = Objective::lexicographic(&problem);
        Model {
            problem,
            resources: kinds,
            due,
            hard_nodes,
        }
    }
}

/// A copy of `p` in which every member of the due groups `groups` (indices
/// in `p.groups`) must end by its group's due day: the start days of its
/// modes that would end later are taken away, so every solver keeps them
/// (`--deadline hard`: the stations' heat-ready work and the `hard` time
/// nodes, and nothing else).
pub fn with_hard_dues(p: &Problem, groups: &[usize]) -> Problem {
    let mut q = p.clone();
    for &g in groups {
        let due = p.groups[g].due;
        for &a in &p.groups[g].members {
            for m in &mut q.activities[a].modes {
                let table: Vec<crate::schedule::Day> = (0..=p.horizon)
                    .map(|s| match m.timing.end(s) {
                        Some(e) if e <= due && e <= p.horizon => e,
                        _ => Timing::NO_START,
                    })
                    .collect();
                m.timing = Timing::Table(table);
            }
        }
    }
    q
}

/// True when a timing allows no start at all.
pub fn never_starts(t: &Timing) -> bool {
    match t {
        Timing::Fixed(_) => false,
        Timing::Table(v) => v.iter().all(|&e| e == Timing::NO_START),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::Source;
    use crate::Project;

    fn tutorial() -> Project {
        let text = include_str!("../../scenarios/tutorial.toml").to_string();
        Project::load(&Source {
            file: "tutorial.toml".into(),
            text,
        })
        .unwrap()
    }

    #[test]
    fn one_mode_per_allowed_contractor_with_its_productivity() {
        let pr = tutorial();
        let p = &pr.model.problem;
        // hexi allows reli and shizheng; shizheng digs at 0.9.
        let (a, item) = pr
            .work
            .items
            .iter()
            .enumerate()
            .find(|(_, i)| {
                i.district.map(|d| pr.programme[d].id.as_str()) == Some("hexi")
                    && i.crew_type.as_deref() == Some("earthworks")
            })
            .unwrap();
        let labels: Vec<&str> = p.activities[a]
            .modes
            .iter()
            .map(|m| m.label.as_str())
            .collect();
        assert_eq!(labels, ["reli", "shizheng"], "{}", item.id);
        let reli = p.activities[a].modes[0].timing.min_duration();
        let shizheng = p.activities[a].modes[1].timing.min_duration();
        assert!(
            shizheng >= reli,
            "the slower contractor takes at least as long"
        );
        for m in &p.activities[a].modes {
            let ResourceKind::Crew { contractor, crew } = &pr.model.resources[m.demands[0].0]
            else {
                panic!()
            };
            assert_eq!(
                (contractor.as_str(), crew.as_str()),
                (m.label.as_str(), "earthworks")
            );
        }
        // hedong allows reli only.
        let a = pr
            .work
            .items
            .iter()
            .position(|i| {
                i.district.map(|d| pr.programme[d].id.as_str()) == Some("hedong")
                    && i.crew_type.is_some()
            })
            .unwrap();
        assert_eq!(p.activities[a].modes.len(), 1);
    }

    #[test]
    fn trenches_become_spans_on_the_district_resource() {
        let pr = tutorial();
        let p = &pr.model.problem;
        assert_eq!(p.spans.len(), pr.work.trenches.len());
        for (sp, t) in p.spans.iter().zip(&pr.work.trenches) {
            assert_eq!(
                pr.model.resources[sp.resource],
                ResourceKind::Trenches {
                    district: pr.programme[t.district].id.clone()
                }
            );
            assert_eq!((sp.first, sp.last), (t.first, t.last));
        }
    }

    #[test]
    fn stations_are_due_the_day_after_the_deadline() {
        let pr = tutorial();
        let p = &pr.model.problem;
        let stations: Vec<_> = p
            .groups
            .iter()
            .filter(|g| g.level == Level::Households)
            .collect();
        assert_eq!(stations.len(), pr.programme.stations.len());
        // 1 April to 30 September inclusive is 183 days: due (exclusive) on day 183.
        assert!(stations.iter().all(|g| g.due == 183 && g.weight > 0));
        assert_eq!(pr.model.due, 183);
        assert!(p.horizon > 183);
    }

    #[test]
    fn milestones_with_a_due_date_are_time_nodes_on_the_second_level() {
        let pr = tutorial();
        let p = &pr.model.problem;
        let nodes: Vec<_> = p.groups.iter().filter(|g| g.level == Level::Node).collect();
        let dated: Vec<_> = pr
            .programme
            .milestones
            .iter()
            .filter(|m| m.due.is_some())
            .collect();
        assert_eq!(nodes.len(), dated.len());
        for (g, m) in nodes.iter().zip(&dated) {
            assert_eq!(g.name, m.id);
            // Due (exclusive) the day after the due date; the member is the
            // milestone, dated the day before its start.
            assert_eq!(g.due, pr.calendar.day_of(m.due.unwrap()).unwrap() + 1);
            assert_eq!(g.members, vec![pr.work.bounds[&m.id].0]);
            assert_eq!(g.weight, 1);
        }
        // Households come first, then the nodes, then the finish, then crew-days.
        let o = p.objective;
        assert!(o.lateness > o.node && o.node > o.finish && o.finish > o.cost);
        assert!(pr.model.hard_nodes.is_empty());
    }

    #[test]
    fn calendar_days_tasks_ignore_rest_days() {
        let pr = tutorial();
        let p = &pr.model.problem;
        assert!(
            pr.work.items.iter().any(|i| i.calendar_days),
            "the tutorial has a permit"
        );
        for (a, it) in pr.work.items.iter().enumerate() {
            if it.calendar_days {
                // Takes exactly its days whatever the start.
                let t = &p.activities[a].modes[0].timing;
                assert_eq!(t.end(10), Some(10 + it.work.ceil() as u32), "{}", it.id);
            }
        }
    }
}
