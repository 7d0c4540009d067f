//! The time nodes' bound under the first priority level: when a plan has
//! every station heat-ready on time, what is the least lateness of each time
//! node among the plans that keep every station on time?
//!
//! The objective is lexicographic: households late first, time nodes second
//! (see [`super::super::problem::Objective`]). A plan with no household-day
//! late proves the first level's optimum is 0, so every plan better than it
//! keeps every station on time, and a node's lateness only needs bounding
//! over such plans. That is a much stronger statement than the node's bound
//! on its own ([`super::LevelBounds::node_ends`], where every station may
//! give way to the node): the stations' work is then held inside its own
//! windows and competes with the node's cone for the same crews.
//!
//! The argument reuses the bound machinery unchanged, on a copy of the
//! problem in which every station member may only start on days from which
//! it ends by its station's due day ([`stations_held`]: its timing becomes a
//! table with the later starts struck out). Every plan of the original with
//! every station on time is a plan of the copy, so whatever the copy's
//! bounds prove — the windows from the critical-path method with the
//! calendars and releases, each node's own end bound by the destructive
//! energy test over the crew sets (contractor × crew type and their unions,
//! see [`super::energy`]), and the node-days by levels — holds for those
//! plans. When even the copy has no windows, no plan has every station on
//! time, and nothing is claimed.

use super::super::problem::{Day, Level, Problem, Timing};
use super::super::window::Windows;
use super::energy::{candidate_sets, shortest_in, span_works};
use super::lateness::{group_end_bound, lateness_bound};
use super::propagate::{first_unrefuted, scales, survives};
use super::weighted_days::WeightedSets;
use super::{on_level, out_of_time};

/// The time nodes' bounds over the plans that keep every station on time.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NodesOnTime {
    /// Least node-days late (weighted by the nodes' weights).
    pub nodes: u64,
    /// Per due group on [`Level::Node`] (index in `p.groups`): a day before
    /// which its members cannot all have ended (exclusive end day).
    pub node_ends: Vec<(usize, Day)>,
}

/// The time nodes' bounds over every feasible schedule of `p` that ends each
/// station member by its station's due day; `None` when no such schedule
/// exists (the windows of [`stations_held`] do not), or `p` has no station.
pub fn nodes_with_stations_on_time(p: &Problem) -> Option<NodesOnTime> {
    if !p.groups.iter().any(|g| g.level == Level::Households) {
        return None;
    }
    let q = stations_held(p);
    let w = Windows::compute(&q).ok()?;
    let spans = span_works(&q);
    let shortest = shortest_in(&q, &w);
    let sets = candidate_sets(&q);
    let weighted = WeightedSets::new(&q);
    let scales = scales(&q, &sets, &weighted);
    if !out_of_time() && !survives(&q, &[], q.horizon, &spans, &sets, &scales, &weighted) {
        // Tightened, the windows leave no room: no plan keeps every
        // station on time.
        return None;
    }
    let node_ends = q
        .groups
        .iter()
        .enumerate()
        .filter(|(_, g)| g.level == Level::Node && !g.members.is_empty())
        .map(|(i, g)| {
            let end = group_end_bound(&q, &w, &shortest, &spans, &sets, &g.members, g.due);
            // Past the due day only: lateness is what is reported.
            let from = end.max(g.due) as u64;
            let end = if out_of_time() {
                end
            } else {
                let propagated = first_unrefuted(from, q.horizon as u64, |f| {
                    let deadlines: Vec<(usize, Day)> =
                        g.members.iter().map(|&a| (a, f as Day)).collect();
                    !survives(&q, &deadlines, f as Day, &spans, &sets, &scales, &weighted)
                });
                // `from` itself not refuted proves nothing more.
                if propagated > from {
                    end.max(propagated as Day)
                } else {
                    end
                }
            };
            (i, end)
        })
        .collect::<Vec<_>>();
    // Node-days by levels, and never below what the nodes' own ends prove.
    let by_ends: u64 = node_ends
        .iter()
        .map(|&(g, end)| q.groups[g].weight * end.saturating_sub(q.groups[g].due) as u64)
        .sum();
    let by_levels = lateness_bound(&on_level(&q, Level::Node), &w, &spans);
    Some(NodesOnTime {
        nodes: by_levels.max(by_ends),
        node_ends,
    })
}

impl NodesOnTime {
    /// The least days late of node group `g` of `p` (0 when not bounded).
    pub fn node_days_late(&self, p: &Problem, g: usize) -> u32 {
        self.node_ends
            .iter()
            .find(|&&(x, _)| x == g)
            .map_or(0, |&(_, end)| end.saturating_sub(p.groups[g].due))
    }
}

/// A copy of `p` in which every member of a station group ([`Level::Households`])
/// may only start where it ends by the earliest due day of its stations: its
/// modes' timings become tables with the later starts struck out.
pub fn stations_held(p: &Problem) -> Problem {
    let mut q = p.clone();
    let mut end_by = vec![Day::MAX; p.activities.len()];
    for g in p.groups.iter().filter(|g| g.level == Level::Households) {
        for &a in &g.members {
            end_by[a] = end_by[a].min(g.due);
        }
    }
    for (a, act) in q.activities.iter_mut().enumerate() {
        if end_by[a] == Day::MAX {
            continue;
        }
        for m in &mut act.modes {
            let table = (0..=p.horizon)
                .map(|s| match m.timing.end(s) {
                    Some(e) if e <= end_by[a] && e <= p.horizon => e,
                    _ => Timing::NO_START,
                })
                .collect();
            m.timing = Timing::Table(table);
        }
    }
    q
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schedule::check::violations;
    use crate::schedule::problem::*;

    /// One crew; `jobs` jobs in a row of `days` days each; job `i` is
    /// released on `releases[i]`.
    fn crew_jobs(days: &[u32], releases: &[Day], horizon: Day) -> Problem {
        Problem {
            name: "n".into(),
            horizon,
            resources: vec![Resource {
                name: "A/pipe".into(),
                capacity: 1,
            }],
            activities: days
                .iter()
                .zip(releases)
                .enumerate()
                .map(|(i, (&d, &r))| Activity {
                    name: format!("a{i}"),
                    modes: vec![Mode {
                        label: "A".into(),
                        demands: vec![(0, 1)],
                        timing: Timing::Fixed(d),
                        cost_per_day: 1,
                    }],
                    release: r,
                })
                .collect(),
            links: vec![],
            spans: vec![],
            groups: vec![],
            objective: Objective::default(),
            baseline: None,
        }
    }

    fn group(name: &str, members: Vec<usize>, due: Day, level: Level) -> DueGroup {
        DueGroup {
            name: name.into(),
            weight: 1,
            due,
            members,
            level,
        }
    }

    #[test]
    fn a_station_held_on_time_takes_the_crew_a_node_needs() {
        // One crew. The station's job (4 days) is due on day 4; the node's
        // job (3 days) is due on day 3. Alone, the node ends on day 3; with
        // the station on time the crew is busy on days 0..4, so the node
        // cannot end before day 7: 4 days late, and the plan doing the
        // station first reaches exactly that.
        let mut p = crew_jobs(&[4, 3], &[0, 0], 20);
        p.groups = vec![
            group("S1", vec![0], 4, Level::Households),
            group("m-node", vec![1], 3, Level::Node),
        ];
        p.objective = Objective::lexicographic(&p);
        let alone = super::super::level_bounds(&p).unwrap();
        assert_eq!(alone.node_days_late(&p, 1), 0);
        let held = nodes_with_stations_on_time(&p).unwrap();
        assert_eq!(held.node_ends, vec![(1, 7)]);
        assert_eq!(held.node_days_late(&p, 1), 4);
        assert_eq!(held.nodes, 4);
        let best = Schedule {
            starts: vec![0, 4],
            modes: vec![0, 0],
        };
        assert!(violations(&p, &best).is_empty());
        let sc = p.score(&best);
        assert_eq!((sc.weighted_lateness, sc.node_lateness), (0, 4));
    }

    #[test]
    fn two_nodes_each_reachable_alone_cannot_both_be_met() {
        // One crew. A station's job (2 days) due on day 10, and two nodes
        // whose jobs (3 days each) are both due on day 3. Each node alone
        // ends on day 3 (the station waits), so neither node's own bound is
        // above its due day; together one of them ends on day 6 at the
        // earliest: the level's bound is 3 node-days, and the plan doing
        // them back to back, then the station, has exactly 3.
        let mut p = crew_jobs(&[2, 3, 3], &[0, 0, 0], 20);
        p.groups = vec![
            group("S1", vec![0], 10, Level::Households),
            group("m-a", vec![1], 3, Level::Node),
            group("m-b", vec![2], 3, Level::Node),
        ];
        p.objective = Objective::lexicographic(&p);
        let held = nodes_with_stations_on_time(&p).unwrap();
        assert_eq!(held.node_days_late(&p, 1), 0);
        assert_eq!(held.node_days_late(&p, 2), 0);
        assert_eq!(held.nodes, 3);
        let best = Schedule {
            starts: vec![6, 0, 3],
            modes: vec![0, 0, 0],
        };
        assert!(violations(&p, &best).is_empty());
        let sc = p.score(&best);
        assert_eq!((sc.weighted_lateness, sc.node_lateness), (0, 3));
        // A third node on the same day: 11 days of work for the crew, the
        // station's by day 10, so the last node ends on day 11 at the
        // earliest; the best plan (node, node, station, node) has
        // 0 + 3 + 8 = 11 node-days, and the bound proves all of them.
        let mut q = crew_jobs(&[2, 3, 3, 3], &[0, 0, 0, 0], 20);
        q.groups = p.groups.clone();
        q.groups.push(group("m-c", vec![3], 3, Level::Node));
        q.objective = Objective::lexicographic(&q);
        let held = nodes_with_stations_on_time(&q).unwrap();
        assert_eq!(held.nodes, 11);
        let best = Schedule {
            starts: vec![6, 0, 3, 8],
            modes: vec![0, 0, 0, 0],
        };
        assert!(violations(&q, &best).is_empty());
        let sc = q.score(&best);
        assert_eq!((sc.weighted_lateness, sc.node_lateness), (0, 11));
    }

    #[test]
    fn no_claim_when_the_stations_cannot_all_be_on_time() {
        let mut p = crew_jobs(&[4, 3], &[0, 0], 20);
        p.groups = vec![
            group("S1", vec![0], 3, Level::Households),
            group("m-node", vec![1], 3, Level::Node),
        ];
        assert_eq!(nodes_with_stations_on_time(&p), None);
        p.groups.remove(0);
        assert_eq!(nodes_with_stations_on_time(&p), None);
    }

    #[test]
    fn the_bound_never_exceeds_a_node_of_any_plan_with_every_station_on_time() {
        use super::super::tests::{every_schedule, group_ends, tiny};
        use crate::schedule::rng::Rng;
        let mut rng = Rng::new(1818);
        let (mut checked, mut stronger) = (0, 0);
        for _ in 0..1500 {
            let mut p = tiny(&mut rng);
            if p.groups.len() < 2 {
                continue;
            }
            p.groups[0].level = Level::Households;
            for g in &mut p.groups[1..] {
                g.level = Level::Node;
            }
            p.objective = Objective::lexicographic(&p);
            // Per node, its least end and the least node-days over every
            // plan with every station on time.
            let mut least: Option<(u64, Vec<Day>)> = None;
            every_schedule(&p, &mut |s| {
                if p.score(s).weighted_lateness > 0 {
                    return;
                }
                let ends = group_ends(&p, s);
                let l = least.get_or_insert((u64::MAX, ends.clone()));
                l.0 = l.0.min(p.score(s).node_lateness);
                l.1.iter_mut()
                    .zip(&ends)
                    .for_each(|(x, &e)| *x = (*x).min(e));
            });
            let held = nodes_with_stations_on_time(&p);
            let Some((nodes, ends)) = least else {
                // No plan keeps the stations on time; a claim would be
                // vacuous, but it must not be made from windows that exist.
                continue;
            };
            let held = held.expect("a plan keeps every station on time");
            assert!(held.nodes <= nodes, "{held:?} vs {nodes} in {p:#?}");
            let alone = super::super::level_bounds(&p).unwrap();
            for &(g, end) in &held.node_ends {
                assert!(end <= ends[g], "node {g}: {held:?} vs {ends:?} in {p:#?}");
                if held.node_days_late(&p, g) > alone.node_days_late(&p, g) {
                    stronger += 1;
                }
            }
            checked += 1;
        }
        // The comparison must cover cases where holding the stations proves
        // more than the node alone.
        assert!(
            checked >= 250 && stronger >= 10,
            "{checked} checked, {stronger} stronger"
        );
    }
}
