//! The preemptive parallel-machine test of one resource set, solved
//! exactly by maximum flow.
//!
//! The interval energy tests count, for days `[t1, t2)`, the work of the
//! jobs whose windows lie inside against the set's capacity there. They
//! let a job use as many of the set's units at once as it likes, so at the
//! end of a window, when only a few jobs may still run, the whole capacity
//! counts as usable. Here each job (an activity all of whose modes hold the
//! set) is charged as in the energy tests (the least `units × weighted
//! days` over its modes and the starts left in its window) and may place
//! that charge only inside its window and at most its largest mode's units
//! per weighted day; the set has its capacity per weighted day. The
//! breakpoints of the windows cut time into intervals, and a network
//! source → job (its charge) → interval (the job's units × the interval's
//! weight, for the intervals inside its window) → sink (capacity × weight)
//! carries the whole charge whenever some schedule fits the windows: a
//! schedule holds each job's units for at least its charge within its
//! window, never more than its mode's units a day, and never more than the
//! capacity a day, so scaling each job's holding down to its charge is a
//! flow. A maximum flow short of the total charge refutes the windows.
//! Every cut of this network is an energy test with the jobs' own rates
//! as caps: the interval tests are the cuts that take whole intervals, so
//! this test is at least as strong as they are on the same charges.

use super::super::problem::Problem;
use super::super::window::Windows;
use super::propagate::Scale;
use crate::schedule::retime::maxflow::Network;

/// A scale whose network would have more job-to-interval arcs than this
/// is not tested (which only weakens the test): the work stays bounded on
/// programmes of thousands of activities.
const MAX_ARCS: usize = 300_000;

/// False when some scale of `scales` cannot hold its jobs' charges in the
/// windows `w` (see the module documentation). Stops testing (and so
/// refutes nothing more) at the thread's give-up instant.
pub(super) fn flow_fits(q: &Problem, w: &Windows, scales: &[Scale]) -> bool {
    scales
        .iter()
        .all(|s| super::out_of_time() || fits_scale(q, w, s))
}

/// A job of one scale: earliest start, latest end, least charge, and the
/// most units it holds per weighted day.
struct Job {
    es: usize,
    lf: usize,
    charge: u64,
    rate: u64,
}

/// [`flow_fits`] for one scale.
fn fits_scale(q: &Problem, w: &Windows, scale: &Scale) -> bool {
    let last = scale.prefix.len() - 1;
    let tau = |t: usize| scale.prefix[t.min(last)];
    let mut jobs: Vec<Job> = Vec::with_capacity(scale.held.len());
    for (a, modes) in &scale.held {
        let (es, ls, lf) = (w.es[*a], w.ls[*a], w.lf[*a]);
        let (mut charge, mut rate) = (u64::MAX, 0u64);
        for &(mi, u) in modes {
            let timing = &q.activities[*a].modes[mi].timing;
            let least = (es..=ls)
                .filter_map(|s| {
                    let e = timing.end(s).filter(|&e| e <= lf)?;
                    Some(tau(e as usize) - tau(s as usize))
                })
                .min();
            if let Some(d) = least {
                charge = charge.min(u * d);
                rate = rate.max(u);
            }
        }
        if charge > 0 && charge < u64::MAX {
            jobs.push(Job {
                es: es as usize,
                lf: lf as usize,
                charge,
                rate,
            });
        }
    }
    if jobs.is_empty() {
        return true;
    }
    let mut cuts: Vec<usize> = jobs.iter().flat_map(|j| [j.es, j.lf]).collect();
    cuts.sort_unstable();
    cuts.dedup();
    let total: u64 = jobs.iter().map(|j| j.charge).sum();
    let span = tau(cuts[cuts.len() - 1]) - tau(cuts[0]);
    if total > scale.capacity * span {
        return false;
    }
    let arcs: usize = jobs
        .iter()
        .map(|j| cuts.partition_point(|&c| c < j.lf) - cuts.partition_point(|&c| c < j.es))
        .sum();
    if arcs > MAX_ARCS {
        return true;
    }
    // Nodes: 0 source, 1 sink, then the jobs, then the intervals.
    let (source, sink, n_jobs) = (0, 1, jobs.len());
    let interval = |k: usize| 2 + n_jobs + k;
    let mut net = Network::new(2 + n_jobs + cuts.len() - 1);
    for k in 0..cuts.len() - 1 {
        let weight = tau(cuts[k + 1]) - tau(cuts[k]);
        if weight > 0 {
            net.arc(interval(k), sink, (scale.capacity * weight) as i64, 0);
        }
    }
    for (i, j) in jobs.iter().enumerate() {
        net.arc(source, 2 + i, j.charge as i64, 0);
        let first = cuts.partition_point(|&c| c < j.es);
        for k in first..cuts.len() - 1 {
            if cuts[k + 1] > j.lf {
                break;
            }
            let weight = tau(cuts[k + 1]) - tau(cuts[k]);
            if weight > 0 {
                net.arc(2 + i, interval(k), (j.rate * weight) as i64, 0);
            }
        }
    }
    net.max_flow(source, sink)
        .is_some_and(|f| f as u64 >= total)
}

#[cfg(test)]
mod tests {
    use super::super::energy::{candidate_sets, fits_in, shortest_in, span_works};
    use super::super::propagate::{scales, survives_with_flow};
    use super::super::tests::{every_schedule, tiny};
    use super::super::weighted_days::WeightedSets;
    use super::*;
    use crate::schedule::problem::*;
    use crate::schedule::rng::Rng;

    #[test]
    fn a_job_that_must_run_every_day_leaves_no_room_for_the_crowd_on_its_first() {
        // Two crews; a 4-day job in days [0, 4) and two 1-day jobs that
        // may only start on day 0: three units on day 0. Every interval
        // holds its work (6 of 8 crew-days in [0, 4), 2 of 2 on day 0), but
        // the long job can place only 3 of its 4 days after day 0.
        let only_day_0: Vec<Day> = (0..=10)
            .map(|s| if s == 0 { 1 } else { Timing::NO_START })
            .collect();
        let job = |name: &str, timing: Timing| Activity {
            name: name.into(),
            modes: vec![Mode {
                label: String::new(),
                demands: vec![(0, 1)],
                timing,
                cost_per_day: 0,
            }],
            release: 0,
        };
        let mut p = Problem {
            name: "crowd".into(),
            horizon: 10,
            resources: vec![Resource {
                name: "crew".into(),
                capacity: 2,
            }],
            activities: vec![
                job("long", Timing::Fixed(4)),
                job("y", Timing::Table(only_day_0.clone())),
                job("z", Timing::Table(only_day_0)),
            ],
            links: vec![],
            spans: vec![],
            groups: vec![],
            objective: Objective::default(),
            baseline: None,
        };
        let sets = candidate_sets(&p);
        let sc = scales(&p, &sets, &WeightedSets::new(&p));
        p.horizon = 4;
        let w = Windows::compute(&p).unwrap();
        let shortest = shortest_in(&p, &w);
        assert!(fits_in(&p, &w, &shortest, &[], 4, &sets));
        assert!(!flow_fits(&p, &w, &sc));
        // A finish by day 5 is reached (the long job on days 1..5).
        p.horizon = 5;
        let w = Windows::compute(&p).unwrap();
        assert!(flow_fits(&p, &w, &sc));
    }

    #[test]
    fn the_flow_test_never_refutes_what_a_plan_reaches() {
        // Tiny random problems, every feasible plan enumerated: a finish by
        // the least makespan survives the flow test in the plain windows
        // and after the tightening.
        let mut rng = Rng::new(4444);
        let mut checked = 0;
        for _ in 0..400 {
            let p = tiny(&mut rng);
            let mut least: Option<Day> = None;
            every_schedule(&p, &mut |s| {
                let span = p.score(s).makespan;
                least = Some(least.map_or(span, |l: Day| l.min(span)));
            });
            let Some(span) = least else { continue };
            let sets = candidate_sets(&p);
            let weighted = WeightedSets::new(&p);
            let sc = scales(&p, &sets, &weighted);
            let mut q = p.clone();
            q.horizon = span;
            let w = Windows::compute(&q).expect("a plan fits, so its windows exist");
            assert!(flow_fits(&q, &w, &sc), "finish {span} refuted in {p:#?}");
            let spans = span_works(&p);
            assert!(
                survives_with_flow(&q, span, &spans, &sets, &sc, &weighted),
                "finish {span} refuted after tightening in {p:#?}"
            );
            checked += 1;
        }
        assert!(checked >= 150, "{checked} checked");
    }
}
