//! What the arrows of a sheet are: activities, elements (segments, stations,
//! tasks) or work packages (a district's pipe work, its station work), and
//! the ties between them, each a real link of the plan with the days it
//! attaches at.
//!
//! A work groups plan activities; it runs from the first start to the last
//! finish of its activities. A link from activity `a` to activity `b` in
//! another work becomes a [`Tie`] from the day `a` finishes (starts, for a
//! start-to-start link) inside its work to the day `b` starts inside its
//! work. These are the linked activities' own days, not their works' ends:
//! a station's civil work starts long before the pipe feeding it is laid,
//! and only its commissioning waits for the pipe. Resource hand-overs are
//! not precedences of the work breakdown and are left out.
//!
//! Between two works only the binding ties are kept: a tie `(t1, t2)` is
//! implied by another `(t1', t2')` of the same pair with `t1' ≥ t1` and
//! `t2' ≤ t2` (the later finish inside the predecessor already holds the
//! earlier start inside the successor), so the kept ties form a staircase.

use super::Lang;
use crate::plan::cpm::NetworkPlan;
use std::collections::HashMap;

/// One arrow to draw: an activity, an element or a work package.
#[derive(Debug, Clone, PartialEq)]
pub struct Work {
    /// Id (activity, element or package).
    pub id: String,
    /// Label drawn above the arrow.
    pub label: String,
    /// Start day on the plan's grid.
    pub start: i64,
    /// End day (exclusive); equal to `start` for a milestone (drawn as a
    /// node only).
    pub end: i64,
    /// Day spans `[from, to)` of its activities on the critical path.
    pub critical: Vec<(i64, i64)>,
    /// Plan activity indices it stands for.
    pub activities: Vec<usize>,
}

impl Work {
    /// True when some critical activity of the work overlaps `[d0, d1]`
    /// (a milestone: touches it).
    pub fn critical_between(&self, d0: i64, d1: i64) -> bool {
        self.critical.iter().any(|&(a, b)| {
            if a == b {
                d0 <= a && a <= d1
            } else {
                a < d1 && d0 < b
            }
        })
    }
}

/// A precedence between two works: the work inside `to` from day `to_day`
/// on cannot start before the work inside `from` up to day `from_day` is
/// finished.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Tie {
    /// Predecessor work.
    pub from: usize,
    /// Day inside the predecessor (the linked activity's finish, or its
    /// start for a start-to-start link).
    pub from_day: i64,
    /// Successor work.
    pub to: usize,
    /// Day inside the successor (the linked activity's start).
    pub to_day: i64,
}

/// Works made of groups of activities `(id, label, activities)`, and the
/// ties between them from the plan's links (hand-overs left out; links
/// from or to an activity in no group dropped).
pub fn grouped(
    np: &NetworkPlan,
    groups: Vec<(String, String, Vec<usize>)>,
) -> (Vec<Work>, Vec<Tie>) {
    let acts = &np.plan.activities;
    let mut of: HashMap<usize, usize> = HashMap::new();
    let mut works = Vec::new();
    for (w, (id, label, members)) in groups.into_iter().enumerate() {
        let start = members
            .iter()
            .map(|&a| acts[a].start_day)
            .min()
            .unwrap_or(0);
        let end = members.iter().map(|&a| acts[a].end_day).max().unwrap_or(0);
        for &a in &members {
            of.insert(a, w);
        }
        let critical = members
            .iter()
            .filter(|&&a| np.activities[a].resource.days.marked())
            .map(|&a| (acts[a].start_day as i64, acts[a].end_day as i64))
            .collect();
        works.push(Work {
            id,
            label,
            start: start as i64,
            end: end as i64,
            critical,
            activities: members,
        });
    }
    let mut ties: Vec<Tie> = np
        .links
        .iter()
        .filter(|l| l.handover.is_none())
        .filter_map(|l| {
            let (from, to) = (*of.get(&l.from)?, *of.get(&l.to)?);
            let (a, b) = (&acts[l.from], &acts[l.to]);
            let from_day = if l.kind == "SS" {
                a.start_day
            } else {
                a.end_day
            };
            (from != to).then_some(Tie {
                from,
                from_day: from_day as i64,
                to,
                to_day: b.start_day as i64,
            })
        })
        .collect();
    ties.sort_unstable();
    ties.dedup();
    (works, binding(ties))
}

/// The ties not implied by another tie of the same pair of works.
pub fn binding(ties: Vec<Tie>) -> Vec<Tie> {
    let mut by_pair: HashMap<(usize, usize), Vec<Tie>> = HashMap::new();
    for t in ties {
        by_pair.entry((t.from, t.to)).or_default().push(t);
    }
    let mut out: Vec<Tie> = by_pair
        .into_values()
        .flat_map(|v| {
            v.iter()
                .filter(|t| {
                    !v.iter()
                        .any(|u| u != *t && u.from_day >= t.from_day && u.to_day <= t.to_day)
                })
                .copied()
                .collect::<Vec<_>>()
        })
        .collect();
    out.sort_unstable();
    out
}

/// One arrow per activity of a district (`None`: every activity).
pub fn activity_works(np: &NetworkPlan, district: Option<&str>) -> (Vec<Work>, Vec<Tie>) {
    let groups = np
        .plan
        .activities
        .iter()
        .enumerate()
        .filter(|(_, a)| district.is_none_or(|d| a.district == d))
        .map(|(i, a)| (a.id.clone(), format!("{} {}", a.id, a.name), vec![i]))
        .collect();
    grouped(np, groups)
}

/// One arrow per element (segment, station, task) of a district (`None`:
/// every element), and, with `milestones`, a node per milestone of the
/// district or linked to its work.
pub fn element_works(
    np: &NetworkPlan,
    district: Option<&str>,
    milestones: bool,
) -> (Vec<Work>, Vec<Tie>) {
    let acts = &np.plan.activities;
    let mut groups: Vec<(String, String, Vec<usize>)> = Vec::new();
    let mut nodes = Vec::new();
    for g in super::super::wbs::breakdown(np) {
        for e in g.elements {
            let inside = district.is_none_or(|d| g.district == d);
            if e.kind == "milestone" {
                if milestones {
                    nodes.push((e.element, e.activities));
                }
                continue;
            }
            if !inside {
                continue;
            }
            let name = &acts[e.activities[0]].name;
            let station = np
                .milestones
                .iter()
                .find(|m| e.kind == "station" && m.id == e.element && !m.name.is_empty());
            let label = match station {
                Some(m) => format!("{} {}", e.element, m.name),
                None if e.activities.len() == 1 => format!("{} {}", e.element, name),
                None => e.element.clone(),
            };
            groups.push((e.element, label, e.activities));
        }
    }
    // Milestones: those of the district, or linked to its work.
    let chosen: std::collections::HashSet<usize> =
        groups.iter().flat_map(|g| g.2.iter().copied()).collect();
    for (id, members) in nodes {
        let linked = np.links.iter().any(|l| {
            (members.contains(&l.to) && chosen.contains(&l.from))
                || (members.contains(&l.from) && chosen.contains(&l.to))
        });
        let own = district.is_none_or(|d| members.iter().any(|&a| acts[a].district == d));
        if linked || own {
            let name = &acts[members[0]].name;
            groups.push((id, name.clone(), members));
        }
    }
    grouped(np, groups)
}

/// The work packages of the city sheet: per district its pipe work
/// (segments and tasks) and its station work, the work without a district
/// as one package, and every milestone as a node.
pub fn package_works(np: &NetworkPlan, lang: Lang) -> (Vec<Work>, Vec<Tie>) {
    let acts = &np.plan.activities;
    let mut groups: Vec<(String, String, Vec<usize>)> = Vec::new();
    for g in super::super::wbs::breakdown(np) {
        let mut pipe = (Vec::new(), 0usize, 0usize);
        let mut stations = (Vec::new(), 0usize, 0u64);
        let mut other = Vec::new();
        for e in g.elements {
            match e.kind.as_str() {
                "milestone" => groups.push((
                    e.element.clone(),
                    acts[e.activities[0]].name.clone(),
                    e.activities,
                )),
                "station" => {
                    stations.1 += 1;
                    stations.2 += np
                        .milestones
                        .iter()
                        .find(|m| m.id == e.element)
                        .and_then(|m| m.households)
                        .unwrap_or(0);
                    stations.0.extend(e.activities);
                }
                "segment" if !g.district.is_empty() => {
                    pipe.1 += 1;
                    pipe.0.extend(e.activities);
                }
                _ if !g.district.is_empty() => {
                    pipe.2 += 1;
                    pipe.0.extend(e.activities);
                }
                _ => other.extend(e.activities),
            }
        }
        let name = if g.district.is_empty() {
            match lang {
                Lang::Zh => "全市".to_string(),
                Lang::En => "City-wide".to_string(),
            }
        } else {
            np.district_name(&g.district)
        };
        if !pipe.0.is_empty() {
            let label = match lang {
                Lang::Zh => format!("{name} 管网：{} 段，{} 项其他工作", pipe.1, pipe.2),
                Lang::En => format!("{name} pipe work: {} segments, {} tasks", pipe.1, pipe.2),
            };
            groups.push((format!("{}/pipe", g.district), label, pipe.0));
        }
        if !stations.0.is_empty() {
            let label = match lang {
                Lang::Zh => format!("{name} 换热站：{} 座，{} 户", stations.1, stations.2),
                Lang::En => format!("{name} stations: {}, {} households", stations.1, stations.2),
            };
            groups.push((format!("{}/stations", g.district), label, stations.0));
        }
        if !other.is_empty() {
            let label = match lang {
                Lang::Zh => format!("{name} 其他工作"),
                Lang::En => format!("{name} other work"),
            };
            groups.push(("programme".to_string(), label, other));
        }
    }
    grouped(np, groups)
}
