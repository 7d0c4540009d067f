//! The part of a re-plan the solver sees: the work still to do.
//!
//! The re-plan problem of [`super::build`] covers the whole season: finished
//! work fixed at its actual dates (with its crews, so that the plan names
//! them and counts them in the utilisation), running work pinned to its
//! actual start, the rest free from the data date. Solving that problem
//! would carry the frozen past into every model, and a chain of re-plans
//! would grow with every revision. [`Future::new`] cuts the past away:
//!
//! * finished work is removed; a link from it becomes a release of its
//!   successor (`end + lag` for FS, `start + lag` for SS);
//! * running work keeps its one start (its actual start) and mode, and ends
//!   when what is left is done, holding its crews until then; its links to
//!   work not started become releases too (its dates are known), so it is
//!   free of links and the schedule builders place it first, in either
//!   direction, before anything can take its crews;
//! * an open trench whose first activity is finished keeps that activity as
//!   its opener, pinned at its actual start without any demand, so the
//!   trench is held until its last activity is done (the schedule builders
//!   reserve a pinned opener's trench until then);
//! * a station's group keeps only its unfinished members (they all end on
//!   or after the data date, so the finished ones never set its completion).
//!
//! The day grid keeps its days (day 0 = the window start): nothing still to
//! do may start before the data date, so the time-indexed model has no
//! start column there, and the searches behave as on the full problem. (A
//! grid shifted to the data date was tried: the same problem, but the
//! constructive heuristic's due-day rules then found far worse plans.)
//!
//! Every part of the objective of a schedule of the full problem is that of
//! its restriction plus a constant that no decision changes (the finished
//! work's crew-days, the running work's days before the data date), so the
//! restriction has the same optimal schedules, and a bound on it plus the
//! constant bounds the full problem ([`Future::offset`]).
//! [`Future::expand`] maps a schedule of the restriction back.

use crate::schedule::{ActId, Activity, Day, DueGroup, Link, LinkKind, Problem, Schedule, Span};

/// Where an activity of the full re-plan problem stands on the data date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// Done before the data date: fixed, out of the model.
    Finished,
    /// Started before the data date and still running: pinned.
    Running,
    /// Not started: free from the data date on.
    Open,
}

/// The re-plan problem from the data date on, and how it maps back.
#[derive(Debug, Clone)]
pub struct Future {
    /// The problem the solver gets (day 0 = the data date).
    pub problem: Problem,
    /// The full problem's index of each of its activities.
    pub full_index: Vec<ActId>,
    /// The data date's day index.
    pub data_day: Day,
    /// Where each activity of the full problem stands.
    pub state: Vec<State>,
}

impl Future {
    /// The restriction of `full` (a re-plan problem from
    /// [`super::build`], where started work has one mode and one start) to
    /// the work still to do on `dd`; `state` says where each activity stands.
    pub fn new(full: &Problem, state: &[State], dd: Day) -> Future {
        let n = full.activities.len();
        // Started work has one mode and one start, its release.
        let fixed_start = |a: ActId| -> Day { full.activities[a].release };
        let fixed_end =
            |a: ActId| -> Day { full.end(a, 0, fixed_start(a)).unwrap_or(fixed_start(a)) };
        // Finished openers of trenches still open on the data date stay, as
        // pinned openers without demand.
        let mut opener = vec![false; n];
        for sp in &full.spans {
            if state[sp.first] == State::Finished && state[sp.last] != State::Finished {
                opener[sp.first] = true;
            }
        }
        let mut sub_of = vec![None; n];
        let mut activities: Vec<Activity> = Vec::new();
        let mut full_index: Vec<ActId> = Vec::new();
        for a in 0..n {
            let act = &full.activities[a];
            if state[a] == State::Finished && !opener[a] {
                continue;
            }
            let mut act = act.clone();
            if state[a] == State::Finished {
                act.modes.truncate(1);
                act.modes[0].demands.clear();
                act.modes[0].cost_per_day = 0;
            }
            sub_of[a] = Some(activities.len());
            full_index.push(a);
            activities.push(act);
        }
        // Links: from removed finished work (and start-to-start from
        // started work), releases; the others kept.
        let mut links = Vec::new();
        for l in &full.links {
            let Some(to) = sub_of[l.to] else { continue };
            if state[l.to] != State::Open {
                continue;
            }
            // Started work has fixed dates: a link out of it is a release.
            let past_bound = match (state[l.from], l.kind) {
                (State::Open, _) => None,
                (_, LinkKind::FinishToStart) => Some(fixed_end(l.from)),
                (_, LinkKind::StartToStart) => Some(fixed_start(l.from)),
            };
            match (past_bound, sub_of[l.from]) {
                (Some(t), _) => {
                    let bound = (i64::from(t) + i64::from(l.lag)).max(0) as Day;
                    let r = &mut activities[to].release;
                    *r = (*r).max(bound);
                }
                (None, Some(from)) => links.push(Link {
                    from,
                    to,
                    kind: l.kind,
                    lag: l.lag,
                }),
                (None, None) => {}
            }
        }
        let spans = full
            .spans
            .iter()
            .filter_map(|sp| {
                Some(Span {
                    first: sub_of[sp.first]?,
                    last: sub_of[sp.last]?,
                    resource: sp.resource,
                    amount: sp.amount,
                })
            })
            .filter(|sp| state[full_index[sp.last]] != State::Finished)
            .collect();
        let groups = full
            .groups
            .iter()
            .filter_map(|g| {
                let members: Vec<ActId> = g
                    .members
                    .iter()
                    .filter(|&&a| state[a] != State::Finished)
                    .filter_map(|&a| sub_of[a])
                    .collect();
                (!members.is_empty()).then(|| DueGroup {
                    name: g.name.clone(),
                    weight: g.weight,
                    due: g.due,
                    members,
                    level: g.level,
                })
            })
            .collect();
        let baseline = full.baseline.as_ref().map(|b| {
            let starts = full_index.iter().map(|&a| b.starts[a]).collect();
            let modes = full_index.iter().map(|&a| b.modes[a]).collect();
            crate::schedule::Baseline {
                starts,
                modes,
                ..b.clone()
            }
        });
        Future {
            problem: Problem {
                name: full.name.clone(),
                horizon: full.horizon,
                resources: full.resources.clone(),
                activities,
                links,
                spans,
                groups,
                objective: full.objective,
                baseline,
            },
            full_index,
            data_day: dd,
            state: state.to_vec(),
        }
    }

    /// The schedule of the full problem that `sub` (a schedule of
    /// [`Future::problem`]) stands for: finished work at its actual dates,
    /// the rest as `sub` has it.
    pub fn expand(&self, full: &Problem, sub: &Schedule) -> Schedule {
        let n = full.activities.len();
        let mut starts: Vec<Day> = (0..n).map(|a| full.activities[a].release).collect();
        let mut modes = vec![0usize; n];
        for (k, &a) in self.full_index.iter().enumerate() {
            starts[a] = sub.starts[k];
            modes[a] = sub.modes[k];
        }
        Schedule { starts, modes }
    }

    /// The restriction of a schedule of the full problem (a warm start).
    pub fn restrict(&self, full: &Schedule) -> Schedule {
        Schedule {
            starts: self.full_index.iter().map(|&a| full.starts[a]).collect(),
            modes: self.full_index.iter().map(|&a| full.modes[a]).collect(),
        }
    }

    /// What the full problem's objective adds to the restriction's for any
    /// schedule: `full.score(expand(s)) − problem.score(s)`, the same for
    /// every `s` (measured on `sub`).
    pub fn offset(&self, full: &Problem, sub: &Schedule) -> u64 {
        let whole = full.score(&self.expand(full, sub)).value;
        whole.saturating_sub(self.problem.score(sub).value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::Quality;
    use crate::replan::ledger::{read, simulate_slip};
    use crate::replan::{build, data_day, right_shift, Stability};
    use crate::scenario::Source;
    use crate::schedule::budget::Budget;
    use crate::schedule::check::violations;
    use crate::schedule::heuristic::heuristic;
    use crate::Project;
    use chrono::NaiveDate;

    /// The tutorial re-planned on 10 May after a 10-day slip of `reli`:
    /// the full problem, its states and the data day.
    fn replanned() -> (Problem, Vec<State>, Day) {
        let source = Source {
            file: "tutorial.toml".into(),
            text: include_str!("../../scenarios/tutorial.toml").to_string(),
        };
        let mut project = Project::load(&source).unwrap();
        let budget = Budget::new(std::time::Duration::from_secs(60))
            .with_seed(0)
            .with_max_candidates(Some(20));
        let s = heuristic(&project.model.problem, &budget, None).unwrap();
        let quality = Quality {
            status: "heuristic".into(),
            objective: 0,
            bound: 0,
            gap: 0.0,
            seconds: 0.0,
            stop_reason: String::new(),
        };
        let base = project.network_plan(&s, quality);
        let date = NaiveDate::from_ymd_opt(2022, 5, 10).unwrap();
        let text = simulate_slip(&base, date, "reli", 10);
        let ledger = read("ledger.csv", &text, &base, date).unwrap();
        let states = build(
            &mut project,
            &base,
            &ledger.progress,
            &[],
            date,
            Stability::default(),
        )
        .unwrap();
        let dd = data_day(&project, date).unwrap();
        (project.model.problem, states, dd)
    }

    #[test]
    fn the_past_is_out_and_adds_the_same_to_every_plan() {
        let (full, states, dd) = replanned();
        assert!(states.contains(&State::Finished) && states.contains(&State::Running));
        let f = Future::new(&full, &states, dd);
        let open = states.iter().filter(|&&s| s != State::Finished).count();
        let finished = states.len() - open;
        // Only the finished openers of trenches still open stay.
        assert!(f.full_index.len() >= open && f.full_index.len() < open + finished);
        assert!(f.full_index.iter().all(|&a| states[a] != State::Finished
            || full
                .spans
                .iter()
                .any(|sp| sp.first == a && states[sp.last] != State::Finished)));
        // Two different plans of the future: the repair and a search.
        let repair = right_shift(&f.problem).unwrap();
        // The first seed whose search finds a plan other than the repair
        // (the search may well find the repair's plan itself).
        let searched = (1..=8)
            .map(|seed| {
                let budget = Budget::new(std::time::Duration::from_secs(60))
                    .with_seed(seed)
                    .with_max_candidates(Some(20 * seed as usize));
                heuristic(&f.problem, &budget, None).unwrap()
            })
            .find(|s| *s != repair)
            .expect("two different plans of the future");
        for s in [&repair, &searched] {
            assert!(violations(&f.problem, s).is_empty());
            let whole = f.expand(&full, s);
            assert!(
                violations(&full, &whole).is_empty(),
                "{:?}",
                violations(&full, &whole)
            );
            assert_eq!(f.restrict(&whole), *s);
            // Started work keeps its start; nothing else starts before dd.
            for (a, st) in states.iter().enumerate() {
                match st {
                    State::Open => assert!(whole.starts[a] >= dd),
                    _ => assert_eq!(whole.starts[a], full.activities[a].release),
                }
            }
        }
        assert_eq!(f.offset(&full, &repair), f.offset(&full, &searched));
        // Started work is free of links: what follows running work is
        // released after its (known) end instead.
        for (k, &a) in f.full_index.iter().enumerate() {
            if states[a] != State::Open {
                assert!(f.problem.links.iter().all(|l| l.from != k && l.to != k));
            }
        }
        for l in full
            .links
            .iter()
            .filter(|l| states[l.from] == State::Running)
        {
            if states[l.to] == State::Open {
                let k = f.full_index.iter().position(|&a| a == l.to).unwrap();
                let from_end = full
                    .end(l.from, 0, full.activities[l.from].release)
                    .unwrap();
                if l.kind == crate::schedule::LinkKind::FinishToStart {
                    assert!(
                        f.problem.activities[k].release as i64 >= from_end as i64 + l.lag as i64
                    );
                }
            }
        }
    }
}
