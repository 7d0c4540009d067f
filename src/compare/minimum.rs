//! `--find-minimum`: the cheapest variant that meets the deadline, and the
//! proof that nothing cheaper does.
//!
//! Variants are grouped into levels of equal added crews (or added cost)
//! and solved level by level, cheapest first; the search stops at the first
//! level in which some plan has every station heat-ready by the deadline.
//! The answer is *proven minimal* only when every variant of a cheaper level
//! is proven unable to meet the deadline, by one of:
//!
//! - **chain**: with the deadline as the horizon, some chain of work before
//!   a station cannot fit even with unlimited crews (critical-path windows);
//! - **capacity**: the work some crew type (or one contractor's crews of a
//!   type) must do before the deadline exceeds its crews × the days left;
//! - **bound**: the solver's lower bound on the objective
//!   (10 × household-days late + 100 × finish day + crew-days) exceeds the
//!   largest objective a plan with no lateness could have (100 × horizon +
//!   the most crew-days any plan can use), so every plan has lateness;
//! - **solver**: HiGHS proves infeasible the deadline problem (only the work
//!   the stations wait for, every station due by the deadline);
//! - **dominance**: the variant only changes crew counts and has no more
//!   crews anywhere than a variant already proven unable.
//!
//! Otherwise the answer is "best found; smaller not ruled out", naming the
//! variants left unproven.

use super::variant::{crew_counts, Change, Variant};
use crate::both;
use crate::lang::Both;
use crate::model::{Model, ResourceKind};
use crate::report::solver_words::solver_words;
use crate::schedule::capacity::backlog;
use crate::schedule::window::Windows;
use crate::schedule::{Day, Problem, Timing};
use std::collections::BTreeMap;

/// How a variant was proven unable to meet the deadline, with the
/// argument in both languages (the name of a dominating variant as written).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Proof {
    /// A chain of work is too long for the deadline.
    Chain(Both),
    /// A crew type has more work than crew-days before the deadline.
    Capacity(Both),
    /// The solver's bound shows every plan is late.
    Bound(Both),
    /// HiGHS proved the deadline problem infeasible.
    Solver(Both),
    /// It has no more crews than the variant of this name, proven unable.
    Dominated(String),
}

impl Proof {
    /// The proof in both languages, as the table's find-minimum column
    /// shows it.
    pub fn words(&self) -> Both {
        let (kind, why) = match self {
            Proof::Chain(s) => (both!("chain", "工序链"), s),
            Proof::Capacity(s) => (both!("capacity", "能力"), s),
            Proof::Bound(s) => (both!("bound", "下界"), s),
            Proof::Solver(s) => (both!("solver", "求解器"), s),
            Proof::Dominated(s) => {
                return both!(
                    "no more crews than \"{s}\", proven unable",
                    "班组不多于“{s}”，已证明不能"
                )
            }
        };
        kind.join(why, ": ", "：")
    }
}

/// English, as compare.csv writes it.
impl std::fmt::Display for Proof {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.words().en)
    }
}

/// Groups indices by equal key, cheapest first (keys compared exactly).
pub fn levels(keys: &[f64]) -> Vec<Vec<usize>> {
    let mut order: Vec<usize> = (0..keys.len()).collect();
    order.sort_by(|&a, &b| keys[a].total_cmp(&keys[b]).then(a.cmp(&b)));
    let mut out: Vec<Vec<usize>> = Vec::new();
    for i in order {
        match out.last_mut() {
            Some(l) if keys[l[0]] == keys[i] => l.push(i),
            _ => out.push(vec![i]),
        }
    }
    out
}

/// The deadline problem: only the activities some station waits for (its
/// own steps and everything before them), every one due by the deadline
/// (horizon = due day). Open-trench spans whose closing activity is dropped
/// are dropped too. It is a relaxation: a plan of the whole programme with
/// every station on time gives a plan of it, so if it is infeasible no
/// variant plan can meet the deadline.
pub fn deadline_problem(model: &Model) -> Problem {
    let p = &model.problem;
    let inn = p.in_links();
    let mut keep = vec![false; p.activities.len()];
    let mut stack: Vec<usize> = p.groups.iter().flat_map(|g| g.members.clone()).collect();
    while let Some(a) = stack.pop() {
        if !std::mem::replace(&mut keep[a], true) {
            stack.extend(inn[a].iter().map(|&l| p.links[l].from));
        }
    }
    let mut index = vec![usize::MAX; keep.len()];
    let mut activities = Vec::new();
    for (a, &k) in keep.iter().enumerate() {
        if k {
            index[a] = activities.len();
            activities.push(p.activities[a].clone());
        }
    }
    let kept = |a: usize| keep[a];
    Problem {
        name: format!("{} (deadline)", p.name),
        horizon: model.due.min(p.horizon),
        resources: p.resources.clone(),
        activities,
        links: p
            .links
            .iter()
            .filter(|l| kept(l.from) && kept(l.to))
            .map(|l| crate::schedule::Link {
                from: index[l.from],
                to: index[l.to],
                ..l.clone()
            })
            .collect(),
        spans: p
            .spans
            .iter()
            .filter(|s| kept(s.first) && kept(s.last))
            .map(|s| crate::schedule::Span {
                first: index[s.first],
                last: index[s.last],
                ..s.clone()
            })
            .collect(),
        groups: p
            .groups
            .iter()
            .map(|g| crate::schedule::DueGroup {
                members: g.members.iter().map(|&a| index[a]).collect(),
                ..g.clone()
            })
            .collect(),
        objective: p.objective,
        baseline: None,
    }
}

/// A proof from the critical-path windows or the crews' capacity that the
/// model cannot have every station heat-ready by its deadline.
pub fn capacity_proof(model: &Model) -> Option<super::minimum::Proof> {
    let p = deadline_problem(model);
    let w = match Windows::compute(&p) {
        Err(e) => return Some(Proof::Chain(solver_words(&e.to_string()))),
        Ok(w) => w,
    };
    // Resource sets: every crew resource alone, and every crew type over
    // all contractors.
    let mut sets: BTreeMap<(String, String), Vec<usize>> = BTreeMap::new();
    for (r, kind) in model.resources.iter().enumerate() {
        if let ResourceKind::Crew { contractor, crew } = kind {
            sets.insert(
                (
                    format!("{contractor}'s \"{crew}\" crews"),
                    format!("{contractor} 的“{crew}”班组"),
                ),
                vec![r],
            );
            sets.entry((format!("all \"{crew}\" crews"), format!("全部“{crew}”班组")))
                .or_default()
                .push(r);
        }
    }
    for ((label, label_zh), rs) in sets {
        let mut jobs: Vec<(Day, u64)> = Vec::new();
        for (a, act) in p.activities.iter().enumerate() {
            let each: Option<u64> = act
                .modes
                .iter()
                .map(|m| {
                    let k: u64 = m
                        .demands
                        .iter()
                        .filter(|d| rs.contains(&d.0))
                        .map(|d| d.1 as u64)
                        .sum();
                    if k == 0 {
                        return None;
                    }
                    m.timing
                        .shortest_within(w.es[a], p.horizon, p.horizon)
                        .map(|d| k * d as u64)
                })
                .collect::<Option<Vec<u64>>>()
                .and_then(|v| v.into_iter().min());
            if let Some(x) = each {
                jobs.push((w.es[a], x));
            }
        }
        let Some(all) = backlog(&jobs).first().copied() else {
            continue;
        };
        let (work, earliest) = (all.work, all.from);
        let crews: u64 = rs.iter().map(|&r| p.resources[r].capacity as u64).sum();
        let available = crews * p.horizon.saturating_sub(earliest) as u64;
        if work > available {
            return Some(Proof::Capacity(both!(
                "{label} must work at least {work} crew-days before the deadline; {crews} crew(s) have {available}",
                "{label_zh}在期限前至少要做 {work} 个班组工日；{crews} 个班组只有 {available} 个"
            )));
        }
    }
    None
}

/// A proof from a solver's lower bound on the (soft-deadline) objective of
/// `p` that every plan has some lateness.
pub fn bound_proof(p: &Problem, bound: u64) -> Option<Proof> {
    let most_cost: u64 = p
        .activities
        .iter()
        .map(|a| {
            a.modes
                .iter()
                .map(|m| {
                    let longest = match &m.timing {
                        Timing::Fixed(d) => *d,
                        Timing::Table(v) => v
                            .iter()
                            .enumerate()
                            .filter(|&(_, &e)| e != Timing::NO_START)
                            .map(|(s, &e)| e - s as u32)
                            .max()
                            .unwrap_or(0),
                    };
                    m.cost_per_day as u64 * longest as u64
                })
                .max()
                .unwrap_or(0)
        })
        .sum();
    let o = p.objective;
    let ceiling = o.finish * p.horizon as u64 + o.cost * most_cost;
    (bound > ceiling).then(|| {
        Proof::Bound(both!(
            "lower bound {bound} > {ceiling}, the most a plan with no lateness can score",
            "下界 {bound} > {ceiling}，即没有延误的计划最多能得到的值"
        ))
    })
}

/// True when `v` only changes crew counts (so do the base and every grid
/// variant) and has no more crews of any contractor and type than `w`,
/// which also only changes crew counts: then every plan of `v` is a plan
/// of `w`.
pub fn dominated(v: &Variant, w: &Variant) -> bool {
    let crews_only = |x: &Variant| x.changes.iter().all(|c| matches!(c, Change::Crews { .. }));
    if !crews_only(v) || !crews_only(w) {
        return false;
    }
    let (a, b) = (crew_counts(&v.scenario), crew_counts(&w.scenario));
    a.iter().all(|(k, &n)| n <= *b.get(k).unwrap_or(&0))
}

#[cfg(feature = "solver")]
/// Asks HiGHS whether the deadline problem of `model` is feasible within
/// `time_limit`; a proof when it is proven infeasible.
pub fn solver_proof(
    model: &Model,
    time_limit: std::time::Duration,
    stop: Option<std::sync::Arc<std::sync::atomic::AtomicBool>>,
) -> Option<Proof> {
    use crate::schedule::budget::Budget;
    use crate::schedule::lns::{solve, LnsSettings};
    use crate::schedule::outcome::Status;
    let p = deadline_problem(model);
    let mut budget = Budget::new(time_limit).with_threads(1);
    if let Some(stop) = stop {
        budget = budget.with_stop(stop);
    }
    let settings = LnsSettings {
        gap: 0.0,
        lns: false,
        ..LnsSettings::default()
    };
    let r = solve(&p, None, &budget, &settings, &mut |_| {});
    (r.status == Status::Infeasible).then(|| {
        let stop = crate::report::solver_words::solver_words(&r.stop.to_string());
        let (en, zh) = (stop.en, stop.zh);
        Proof::Solver(both!(
            "deadline problem infeasible ({en})",
            "期限问题无可行解（{zh}）"
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_group_equal_keys_cheapest_first() {
        assert_eq!(
            levels(&[2.0, 0.0, 1.0, 0.0, 2.0]),
            vec![vec![1, 3], vec![2], vec![0, 4]]
        );
    }

    #[test]
    fn the_bound_proves_lateness_only_above_every_on_time_score() {
        let text = include_str!("../../scenarios/tutorial.toml").to_string();
        let project = crate::Project::load(&crate::scenario::Source {
            file: "tutorial.toml".into(),
            text,
        })
        .unwrap();
        let p = &project.model.problem;
        // A plan that meets the deadline and ends on the horizon, using
        // every mode's longest duration, scores at most the ceiling.
        let Some(Proof::Bound(_)) = bound_proof(p, u64::MAX) else {
            panic!("an impossible bound proves lateness");
        };
        assert_eq!(bound_proof(p, 0), None);
        let ceiling = (0..u64::MAX.ilog2())
            .map(|k| 1u64 << k)
            .find(|&b| bound_proof(p, b).is_some())
            .unwrap();
        assert!(ceiling > p.objective.finish * p.horizon as u64);
    }
}
