//! Numbered units of the renewable resources: which crew (`B/pipe/2`) does
//! each activity, which trench slot each open trench holds.
//!
//! [`assign_units`] numbers a plan's uses from scratch; a re-plan uses
//! [`assign_units_keeping`], so that work finished or running on the data
//! date keeps the crew the previous revision named for it and only the work
//! still to do is numbered around it.

use crate::model::{Model, ResourceKind};
use crate::schedule::{Problem, Schedule};

/// One unit of a renewable resource held by one activity, or by one span
/// (an open trench from its first to its last activity).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitUse {
    /// Resource index in the problem.
    pub resource: usize,
    /// Unit number, from 1 (crew `B/pipe/2` is unit 2 of resource `B/pipe`).
    pub unit: u32,
    /// First day held.
    pub start: u32,
    /// Day the unit is free again (exclusive).
    pub end: u32,
    /// The activity whose start takes the unit.
    pub first: usize,
    /// The activity whose end frees it (equal to `first` for crews).
    pub last: usize,
}

/// Gives every use of every renewable resource a numbered unit.
///
/// Per resource, the uses (activity demands and spans) are taken in order of
/// start and each gets the lowest-numbered units free on its start day. A
/// feasible schedule never has more units busy than the capacity, so the unit
/// numbers stay within it. Consecutive uses of one unit are the resource's
/// hand-overs, which the network analysis turns into finish-to-start links.
pub fn assign_units(p: &Problem, sched: &Schedule) -> Vec<UnitUse> {
    assign_units_keeping(p, sched, &[])
}

/// One use of a resource: (start, end, first, last, amount).
type Job = (u32, u32, usize, usize, u32);

/// [`assign_units`], except that activity `a` keeps the unit named by
/// `keep[a]` (a unit name `resource/unit` such as `B/pipe/2`, as
/// [`crate::plan::PlannedActivity::crew`] holds it; empty or missing: no
/// wish) wherever no other kept use holds that unit on an overlapping day.
///
/// Kept uses are placed first, in order of start; every other use then gets,
/// in order of start, the lowest-numbered unit with no use on any of its
/// days. In a re-plan the kept uses are the work started before the data
/// date and the others start on or after it, so they find free units within
/// the capacity exactly as in [`assign_units`]. A kept use whose unit is
/// taken (two actual jobs overlapping on one crew of the previous revision)
/// is numbered like the others. Resources without any kept use are numbered
/// exactly as by [`assign_units`].
pub fn assign_units_keeping(p: &Problem, sched: &Schedule, keep: &[String]) -> Vec<UnitUse> {
    let end = |a: usize| {
        p.end(a, sched.modes[a], sched.starts[a])
            .unwrap_or(sched.starts[a])
    };
    let mut out = Vec::new();
    for r in 0..p.resources.len() {
        let mut jobs: Vec<Job> = Vec::new();
        for a in 0..p.activities.len() {
            for &(x, k) in &p.activities[a].modes[sched.modes[a]].demands {
                if x == r && k > 0 {
                    jobs.push((sched.starts[a], end(a), a, a, k));
                }
            }
        }
        for sp in p
            .spans
            .iter()
            .filter(|sp| sp.resource == r && sp.amount > 0)
        {
            jobs.push((
                sched.starts[sp.first],
                end(sp.last),
                sp.first,
                sp.last,
                sp.amount,
            ));
        }
        jobs.sort();
        let wish = |&(_, _, first, last, _): &Job| -> Option<u32> {
            if first != last {
                return None;
            }
            let (name, unit) = keep.get(first)?.rsplit_once('/')?;
            (name == p.resources[r].name)
                .then(|| unit.parse::<u32>().ok().filter(|&u| u >= 1))
                .flatten()
        };
        if jobs.iter().any(|j| wish(j).is_some()) {
            number_keeping(r, &jobs, &wish, &mut out);
        } else {
            number_in_order(r, &jobs, &mut out);
        }
    }
    out
}

/// Numbers the uses of resource `r` in order of start, each on the
/// lowest-numbered units free on its start day.
fn number_in_order(r: usize, jobs: &[Job], out: &mut Vec<UnitUse>) {
    let mut free_at: Vec<u32> = Vec::new();
    for &(s, e, first, last, k) in jobs {
        for _ in 0..k {
            let slot = match free_at.iter().position(|&f| f <= s) {
                Some(i) => i,
                None => {
                    free_at.push(0);
                    free_at.len() - 1
                }
            };
            free_at[slot] = e;
            out.push(UnitUse {
                resource: r,
                unit: slot as u32 + 1,
                start: s,
                end: e,
                first,
                last,
            });
        }
    }
}

/// Numbers the uses of resource `r`: first those with a wished-for unit
/// (one unit each) that is free on all their days, then the others.
fn number_keeping(
    r: usize,
    jobs: &[Job],
    wish: &dyn Fn(&Job) -> Option<u32>,
    out: &mut Vec<UnitUse>,
) {
    // Per unit, the (start, end) of the uses on it.
    let mut held: Vec<Vec<(u32, u32)>> = Vec::new();
    let fits = |uses: &[(u32, u32)], s: u32, e: u32| uses.iter().all(|&(a, b)| b <= s || e <= a);
    let mut put = |held: &mut Vec<Vec<(u32, u32)>>, unit: usize, job: &Job| {
        if held.len() <= unit {
            held.resize(unit + 1, Vec::new());
        }
        held[unit].push((job.0, job.1));
        out.push(UnitUse {
            resource: r,
            unit: unit as u32 + 1,
            start: job.0,
            end: job.1,
            first: job.2,
            last: job.3,
        });
    };
    let mut rest: Vec<(&Job, u32)> = Vec::new();
    for job in jobs {
        match wish(job) {
            Some(u) if job.4 == 1 => {
                let unit = u as usize - 1;
                if held.get(unit).is_none_or(|h| fits(h, job.0, job.1)) {
                    put(&mut held, unit, job);
                } else {
                    rest.push((job, 1));
                }
            }
            _ => rest.push((job, job.4)),
        }
    }
    for (job, k) in rest {
        for _ in 0..k {
            let unit = (0..held.len())
                .find(|&u| fits(&held[u], job.0, job.1))
                .unwrap_or(held.len());
            put(&mut held, unit, job);
        }
    }
}

/// Names the crew instance of every activity that needs a crew, keeping the
/// crews `keep` names where it can ([`assign_units_keeping`]).
pub(crate) fn assign_crews(model: &Model, sched: &Schedule, keep: &[String]) -> Vec<String> {
    let p = &model.problem;
    let mut names = vec![String::new(); p.activities.len()];
    for u in assign_units_keeping(&model.problem, sched, keep) {
        if let ResourceKind::Crew { contractor, crew } = &model.resources[u.resource] {
            if u.first == u.last && names[u.first].is_empty() {
                names[u.first] = format!("{contractor}/{crew}/{}", u.unit);
            }
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::Source;
    use crate::schedule::budget::Budget;
    use crate::schedule::heuristic::heuristic;
    use crate::Project;
    use std::collections::HashMap;

    fn tutorial() -> (Project, Schedule) {
        let text = include_str!("../../scenarios/tutorial.toml").to_string();
        let pr = Project::load(&Source {
            file: "tutorial.toml".into(),
            text,
        })
        .unwrap();
        let budget = Budget::new(std::time::Duration::from_secs(60))
            .with_seed(0)
            .with_max_candidates(Some(50));
        let s = heuristic(&pr.model.problem, &budget, None).unwrap();
        (pr, s)
    }

    /// The crew names of `uses`, per activity.
    fn names(pr: &Project, uses: &[UnitUse]) -> Vec<String> {
        let mut n = vec![String::new(); pr.model.problem.activities.len()];
        for u in uses {
            if u.first == u.last
                && matches!(pr.model.resources[u.resource], ResourceKind::Crew { .. })
            {
                n[u.first] = format!("{}/{}", pr.model.problem.resources[u.resource].name, u.unit);
            }
        }
        n
    }

    /// No unit of any resource holds two uses on one day.
    fn assert_no_double_booking(uses: &[UnitUse]) {
        let mut by: HashMap<(usize, u32), Vec<(u32, u32)>> = HashMap::new();
        for u in uses {
            by.entry((u.resource, u.unit))
                .or_default()
                .push((u.start, u.end));
        }
        for (k, mut v) in by {
            v.sort();
            assert!(
                v.windows(2).all(|w| w[0].1 <= w[1].0),
                "{k:?} double-booked"
            );
        }
    }

    #[test]
    fn without_wishes_or_with_its_own_names_the_numbering_is_unchanged() {
        let (pr, s) = tutorial();
        let p = &pr.model.problem;
        let plain = assign_units(p, &s);
        let own = names(&pr, &plain);
        assert!(own.iter().filter(|n| !n.is_empty()).count() > 20);
        assert_eq!(assign_units_keeping(p, &s, &[]), plain);
        // The plan's own crews as wishes: every use keeps its unit.
        let mut again = assign_units_keeping(p, &s, &own);
        let mut plain = plain;
        let key = |u: &UnitUse| (u.resource, u.unit, u.start, u.first);
        again.sort_by_key(key);
        plain.sort_by_key(key);
        assert_eq!(again, plain);
    }

    #[test]
    fn wished_units_are_kept_unless_taken_and_nothing_is_double_booked() {
        let (pr, s) = tutorial();
        let p = &pr.model.problem;
        let own = names(&pr, &assign_units(p, &s));
        // Swap the unit numbers 1 and 2 of every crew type with two units,
        // as a previous revision may have named them.
        let swapped: Vec<String> = own
            .iter()
            .map(|n| {
                let Some((res, unit)) = n.rsplit_once('/') else {
                    return String::new();
                };
                let r = p.resources.iter().position(|x| x.name == res).unwrap();
                match (unit, p.resources[r].capacity) {
                    ("1", 2..) => format!("{res}/2"),
                    ("2", _) => format!("{res}/1"),
                    _ => n.clone(),
                }
            })
            .collect();
        assert_ne!(swapped, own);
        let uses = assign_units_keeping(p, &s, &swapped);
        assert_no_double_booking(&uses);
        assert_eq!(names(&pr, &uses), swapped, "a consistent wish is kept");
        // Every crew wishes unit 1: the first in order of start gets it, and
        // every use that overlaps a kept one goes elsewhere.
        let ones: Vec<String> = own
            .iter()
            .map(|n| {
                n.rsplit_once('/')
                    .map_or(String::new(), |(r, _)| format!("{r}/1"))
            })
            .collect();
        let uses = assign_units_keeping(p, &s, &ones);
        assert_no_double_booking(&uses);
        let got = names(&pr, &uses);
        let moved = (0..got.len()).filter(|&a| got[a] != ones[a]).count();
        assert!(moved > 0, "the tutorial runs two pipe crews at once");
        // The use that comes first on each crew type keeps unit 1.
        let mut first: HashMap<usize, &UnitUse> = HashMap::new();
        let crew_uses = uses.iter().filter(|u| {
            u.first == u.last && matches!(pr.model.resources[u.resource], ResourceKind::Crew { .. })
        });
        for u in crew_uses {
            let f = first.entry(u.resource).or_insert(u);
            if (u.start, u.end, u.first) < (f.start, f.end, f.first) {
                *f = u;
            }
        }
        assert!(first.values().all(|u| u.unit == 1), "{first:?}");
    }
}
