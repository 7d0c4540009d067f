//! A lower bound on the objective without solving anything.
//!
//! Cheap and always valid: it is what every result's gap is measured against
//! until the integer program proves a better bound.
//!
//! The finish is bounded by the critical path and by energy: for a set `R`
//! of resources, every activity all of whose modes need some unit of `R`
//! must spend at least its smallest `units × duration` inside `R`, whose
//! capacity per day is the sum of the capacities in `R`. Since none of those
//! activities starts before its earliest start, the work of the ones starting
//! at `t` or later cannot be done before `t + work / capacity`. The sets
//! tried are each activity's resources over all its modes (one crew type of
//! the contractors allowed for it), and the unions of the sets that share a
//! resource (e.g. every testing crew of every contractor): a multi-mode
//! activity counts fully against the contractors that may do it, where the
//! per-resource bound could not count it at all.

use super::problem::Problem;
use super::window::{WindowError, Windows};

/// A valid lower bound on `p.score(..).value` of every feasible schedule:
/// the critical path and, per resource, the total work over the capacity
/// bound the finish; the earliest ends bound each group's lateness; the
/// cheapest mode bounds the cost; with a baseline, a start window that lies
/// wholly after (before) an activity's baseline start bounds its shift.
/// Fails when the time windows show the problem infeasible.
pub fn lower_bound(p: &Problem) -> Result<u64, WindowError> {
    let w = Windows::compute(p)?;
    let mut finish = (w.critical_path_length() as u64).max(energy_finish(p, &w));
    for (r, res) in p.resources.iter().enumerate() {
        let work: u64 = p
            .activities
            .iter()
            .map(|a| {
                a.modes
                    .iter()
                    .map(|m| {
                        let amt = m
                            .demands
                            .iter()
                            .filter(|d| d.0 == r)
                            .map(|d| d.1 as u64)
                            .sum::<u64>();
                        amt * m.timing.min_duration() as u64
                    })
                    .min()
                    .unwrap_or(0)
            })
            .sum();
        if res.capacity > 0 {
            finish = finish.max(work.div_ceil(res.capacity as u64));
        }
    }
    let lateness: u64 = p
        .groups
        .iter()
        .map(|g| {
            let fin = g.members.iter().map(|&a| w.ef[a]).max().unwrap_or(0);
            g.weight * fin.saturating_sub(g.due) as u64
        })
        .sum();
    let cost: u64 = p
        .activities
        .iter()
        .map(|a| {
            a.modes
                .iter()
                .map(|m| m.cost_per_day as u64 * m.timing.min_duration() as u64)
                .min()
                .unwrap_or(0)
        })
        .sum();
    let deviation: u64 = p.baseline.as_ref().map_or(0, |b| {
        (0..p.activities.len())
            .filter_map(|a| {
                let base = b.starts[a]? as i64;
                let forced = (w.es[a] as i64 - base).max(base - w.ls[a] as i64).max(0);
                Some(b.shift_weight * forced as u64)
            })
            .sum()
    });
    let o = p.objective;
    Ok(o.lateness * lateness + deviation + o.finish * finish + o.cost * cost)
}

/// Each activity's resource set: the resources its modes use, or `None` when
/// some mode uses none.
fn resource_sets(p: &Problem) -> Vec<Option<Vec<usize>>> {
    p.activities
        .iter()
        .map(|a| {
            let mut set = Vec::new();
            for m in &a.modes {
                let used: Vec<usize> = m.demands.iter().filter(|d| d.1 > 0).map(|d| d.0).collect();
                if used.is_empty() {
                    return None;
                }
                set.extend(used);
            }
            set.sort_unstable();
            set.dedup();
            Some(set)
        })
        .collect()
}

/// The energetic bound on the finish over the candidate resource sets (see
/// the module documentation).
fn energy_finish(p: &Problem, w: &Windows) -> u64 {
    let sets = resource_sets(p);
    // Candidate sets: the distinct activity sets and their connected unions.
    let nr = p.resources.len();
    let mut parent: Vec<usize> = (0..nr).collect();
    fn root(parent: &mut [usize], mut x: usize) -> usize {
        while parent[x] != x {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        x
    }
    let mut candidates: Vec<Vec<usize>> = Vec::new();
    for set in sets.iter().flatten() {
        for &r in &set[1..] {
            let (a, b) = (root(&mut parent, set[0]), root(&mut parent, r));
            parent[a] = b;
        }
        candidates.push(set.clone());
    }
    let mut components: Vec<Vec<usize>> = vec![Vec::new(); nr];
    for r in 0..nr {
        let c = root(&mut parent, r);
        components[c].push(r);
    }
    candidates.extend(components.into_iter().filter(|c| !c.is_empty()));
    candidates.sort();
    candidates.dedup();
    let mut best = 0u64;
    let mut inside = vec![false; nr];
    for cand in &candidates {
        cand.iter().for_each(|&r| inside[r] = true);
        let capacity: u64 = cand.iter().map(|&r| p.resources[r].capacity as u64).sum();
        if capacity > 0 {
            // (earliest start, work) of every activity held to the set.
            let mut jobs: Vec<(u64, u64)> = p
                .activities
                .iter()
                .enumerate()
                .filter_map(|(a, act)| {
                    let work = act
                        .modes
                        .iter()
                        .map(|m| {
                            let units: u64 = m
                                .demands
                                .iter()
                                .filter(|d| inside[d.0])
                                .map(|d| d.1 as u64)
                                .sum();
                            (units > 0).then(|| units * m.timing.min_duration() as u64)
                        })
                        .collect::<Option<Vec<u64>>>()?
                        .into_iter()
                        .min()?;
                    (work > 0).then_some((w.es[a] as u64, work))
                })
                .collect();
            jobs.sort_unstable();
            let mut work_after = 0u64;
            for &(es, work) in jobs.iter().rev() {
                work_after += work;
                best = best.max(es + work_after.div_ceil(capacity));
            }
        }
        cand.iter().for_each(|&r| inside[r] = false);
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schedule::problem::*;

    /// `count` 3-day jobs, each doable by either of two single crews; all
    /// but the first two are released on day `release`.
    fn two_crews(count: usize, release: Day) -> Problem {
        let mode = |r: ResId| Mode {
            label: format!("crew{r}"),
            demands: vec![(r, 1)],
            timing: Timing::Fixed(3),
            cost_per_day: 0,
        };
        Problem {
            name: "t".into(),
            horizon: 40,
            resources: (0..2)
                .map(|r| Resource {
                    name: format!("r{r}"),
                    capacity: 1,
                })
                .collect(),
            activities: (0..count)
                .map(|i| Activity {
                    name: format!("a{i}"),
                    modes: vec![mode(0), mode(1)],
                    release: if i >= 2 { release } else { 0 },
                })
                .collect(),
            links: vec![],
            spans: vec![],
            groups: vec![],
            objective: Objective::default(),
            baseline: None,
        }
    }

    #[test]
    fn multi_mode_work_counts_against_the_crews_that_may_do_it() {
        // 12 crew-days on 2 crews: at least 6 days (and 6 is reachable);
        // neither crew alone is bound to any of the jobs.
        assert_eq!(lower_bound(&two_crews(4, 0)).unwrap(), 6);
    }

    #[test]
    fn work_released_late_bounds_from_its_release() {
        // The four jobs released on day 5 need 6 more days on 2 crews: 11
        // (reachable), where the critical path says 8 and all the work 9.
        assert_eq!(lower_bound(&two_crews(6, 5)).unwrap(), 11);
    }
}
