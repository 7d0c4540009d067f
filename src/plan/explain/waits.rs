//! Which crews a late step waited for in a plan: the soft-deadline "why
//! late" names the crew types, not only that the work "waits for crews".
//!
//! From the late step (a station's heat-ready step, or a time node's last
//! member) the plan's driving path is walked back: at each activity, the day
//! its predecessors and its release let it start, then the first such day
//! its mode's calendar allows. Any later start is a wait; each of its days
//! is put down to the crew types of the mode's crews fully busy that day
//! (the crews it waited for), and otherwise (a trench limit, a rest day,
//! nothing busy) to no crew. The walk continues through the predecessor that set the
//! ready day, so a chain of waits — trench crews late, then pipe crews, then
//! testing — is counted step by step.

use crate::model::ResourceKind;
use crate::schedule::{ActId, Day, LinkKind, Schedule};
use crate::Project;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Days a late step's driving path waited for the crews of one type.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CrewWait {
    /// Crew type (e.g. `pipe`).
    pub crew: String,
    /// Days the work on the path waited for crews of this type while they
    /// were fully busy elsewhere.
    pub days: u32,
}

/// Per resource and day, the units the schedule's activities use.
fn usage(project: &Project, sched: &Schedule) -> Vec<Vec<u32>> {
    let p = &project.model.problem;
    let h = p.horizon as usize + 1;
    let mut u = vec![vec![0u32; h]; p.resources.len()];
    for (a, act) in p.activities.iter().enumerate() {
        let (m, s) = (sched.modes[a], sched.starts[a]);
        let e = p.end(a, m, s).unwrap_or(s);
        for &(r, q) in &act.modes[m].demands {
            for d in s..e.min(h as Day) {
                u[r][d as usize] += q;
            }
        }
    }
    u
}

/// The crew types the driving path into `target` waited for in `sched`,
/// most days first (see the module documentation).
pub fn crew_waits(project: &Project, sched: &Schedule, target: ActId) -> Vec<CrewWait> {
    let p = &project.model.problem;
    let used = usage(project, sched);
    let inn = p.in_links();
    let end = |a: ActId| {
        p.end(a, sched.modes[a], sched.starts[a])
            .unwrap_or(sched.starts[a])
    };
    let mut by: BTreeMap<String, u32> = BTreeMap::new();
    let mut seen = vec![false; p.activities.len()];
    let mut a = target;
    while !std::mem::replace(&mut seen[a], true) {
        let start = sched.starts[a];
        let mut ready = p.activities[a].release;
        let mut driver = None;
        for &li in &inn[a] {
            let l = &p.links[li];
            let at = match l.kind {
                LinkKind::FinishToStart => end(l.from) as i64 + l.lag as i64,
                LinkKind::StartToStart => sched.starts[l.from] as i64 + l.lag as i64,
            };
            let at = at.max(0) as Day;
            if at >= ready {
                ready = at;
                driver = Some(l.from);
            }
        }
        let mode = &p.activities[a].modes[sched.modes[a]];
        let first = (ready..start)
            .find(|&s| mode.timing.end(s).is_some())
            .unwrap_or(start);
        // Each day of the wait is put down to the crew types of the mode
        // that were fully busy on it.
        for d in first..start {
            let mut crews: Vec<&str> = mode
                .demands
                .iter()
                .filter(|&&(r, q)| {
                    used[r].get(d as usize).copied().unwrap_or(0) + q > p.resources[r].capacity
                })
                .filter_map(|&(r, _)| match project.model.resources.get(r) {
                    Some(ResourceKind::Crew { crew, .. }) => Some(crew.as_str()),
                    _ => None,
                })
                .collect();
            crews.sort_unstable();
            crews.dedup();
            for crew in crews {
                *by.entry(crew.to_string()).or_default() += 1;
            }
        }
        match driver {
            Some(d) => a = d,
            None => break,
        }
    }
    let mut out: Vec<CrewWait> = by
        .into_iter()
        .map(|(crew, days)| CrewWait { crew, days })
        .collect();
    out.sort_by(|x, y| y.days.cmp(&x.days).then(x.crew.cmp(&y.crew)));
    out
}

/// Waits summed per crew type over several late steps, most days first.
pub fn total_waits<'a>(waits: impl IntoIterator<Item = &'a CrewWait>) -> Vec<CrewWait> {
    let mut by: BTreeMap<&str, u32> = BTreeMap::new();
    for w in waits {
        *by.entry(w.crew.as_str()).or_default() += w.days;
    }
    let mut out: Vec<CrewWait> = by
        .into_iter()
        .map(|(crew, days)| CrewWait {
            crew: crew.to_string(),
            days,
        })
        .collect();
    out.sort_by(|x, y| y.days.cmp(&x.days).then(x.crew.cmp(&y.crew)));
    out
}

#[cfg(test)]
mod tests {
    use super::super::{forward, why_late_with, LateCause};
    use super::*;
    use crate::schedule::budget::Budget;
    use crate::schedule::check::violations;
    use crate::schedule::heuristic::heuristic;
    use std::time::Duration;

    #[test]
    fn a_station_late_for_crews_names_the_crew_type_it_waited_for() {
        // By 20 June every chain fits, but reli's single station_mep crew
        // cannot install four stations in time: some station is late, and
        // its work waited for station_mep crews.
        let text = include_str!("../../../scenarios/tutorial.toml")
            .replace("deadline = 2022-09-30", "deadline = 2022-06-20");
        let pr = Project::load(&crate::scenario::Source {
            file: "tutorial.toml".into(),
            text,
        })
        .unwrap();
        let p = &pr.model.problem;
        let budget = Budget::new(Duration::from_secs(600))
            .with_seed(3)
            .with_max_candidates(Some(200));
        let s = heuristic(p, &budget, None).expect("a plan");
        assert!(violations(p, &s).is_empty());
        let fw = forward(p).unwrap();
        let end = |a: ActId| p.end(a, s.modes[a], s.starts[a]).unwrap();
        let late: Vec<usize> = pr
            .work
            .heat_ready
            .iter()
            .filter(|h| end(h.activity) > pr.model.due)
            .map(|h| h.station.index())
            .collect();
        assert!(!late.is_empty(), "the crews make some station late");
        let reasons = why_late_with(&pr, &late, Some(&s));
        let mut mep = 0;
        for (r, &st) in reasons.iter().zip(&late) {
            let LateCause::Crews { waited, .. } = &r.cause else {
                panic!("every chain fits by 20 June: {r:?}");
            };
            let h = pr.work.heat_ready.iter().find(|h| h.station.index() == st);
            let target = h.unwrap().activity;
            // Each wait lies inside the plan before the station is ready,
            // and only crew types its work needs are named.
            let needs: Vec<&str> = pr
                .work
                .items
                .iter()
                .filter_map(|i| i.crew_type.as_deref())
                .collect();
            for w in waited {
                assert!(w.days > 0 && w.days <= end(target), "{w:?} in {r:?}");
                assert!(needs.contains(&w.crew.as_str()), "{w:?}");
            }
            assert!(fw.ef[target].unwrap() < end(target), "{r:?}");
            mep += waited
                .iter()
                .filter(|w| w.crew == "station_mep")
                .map(|w| w.days)
                .sum::<u32>();
            // The terminal's words name the crew type, in both languages.
            if let Some(t) = crate::plan::explain::waits_text(waited) {
                assert!(t.en.contains(&waited[0].crew), "{t:?}");
                assert!(
                    t.zh.contains(&waited[0].crew) && t.zh.contains("班组"),
                    "{t:?}"
                );
            }
        }
        assert!(mep > 0, "station_mep is the short crew: {reasons:?}");
    }

    #[test]
    fn waits_add_up_per_crew_type_most_days_first() {
        let w = |crew: &str, days| CrewWait {
            crew: crew.into(),
            days,
        };
        let all = [w("pipe", 3), w("testing", 5), w("pipe", 4)];
        assert_eq!(total_waits(&all), vec![w("pipe", 7), w("testing", 5)]);
    }
}
