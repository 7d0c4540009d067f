//! The part of a re-plan the solver sees: the work from the data date on.
//!
//! The re-plan problem of [`super::build`] covers the whole season: finished
//! work fixed at its actual dates, running work pinned to its actual start,
//! the rest free from the data date. Solving that problem would carry the
//! frozen past into every model (each finished activity, every day of the
//! grid before the data date), and a chain of re-plans would grow until the
//! integer program no longer fits. [`Future::new`] cuts the past away:
//!
//! * day 0 is the data date `dd`; the horizon shrinks by `dd`, and every end
//!   table is shifted (`ends'[s] = ends[s + dd] − dd`);
//! * finished work is removed; a link from it becomes a release of its
//!   successor (`end + lag − dd` for FS, `start + lag − dd` for SS), as does
//!   a start-to-start link from running work (its start is in the past);
//! * running work starts on day 0 in its one mode and ends when what is
//!   left is done, holding its crews until then;
//! * an open trench whose first activity is finished is held from day 0 by
//!   an *anchor*, a zero-length activity that may only start on day 0;
//! * a station's group keeps only its unfinished members (they all end on
//!   or after the data date, so the finished ones never set its completion)
//!   and its due day moves by `dd` (to 0 if it has passed: the days late so
//!   far are then a constant);
//! * baseline starts move by `dd` (to 0 if in the past: again a constant).
//!
//! Every part of the objective of a schedule of the full problem is thus
//! that of its restriction plus a constant that no decision changes, so the
//! restriction has the same optimal schedules, and a bound on it plus the
//! constant bounds the full problem ([`Future::offset`]). [`Future::expand`]
//! maps a schedule of the restriction back onto the full problem.

use crate::schedule::{ActId, Activity, Day, DueGroup, Link, LinkKind, Mode, Problem, Schedule};
use crate::schedule::{Span, Timing};

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
    /// The full problem's index of each of its activities (`None`: the anchor).
    pub full_index: Vec<Option<ActId>>,
    /// The data date's day index in the full problem.
    pub data_day: Day,
    /// Where each activity of the full problem stands.
    pub state: Vec<State>,
}

/// Shifts a timing by `dd` days to the left (`None` when it has no start
/// left on or after `dd`).
fn shift_timing(t: &Timing, dd: Day, horizon: Day) -> Timing {
    match t {
        Timing::Fixed(d) => Timing::Fixed(*d),
        Timing::Table(ends) => {
            let mut out = vec![Timing::NO_START; horizon as usize + 1];
            for (s, slot) in out.iter_mut().enumerate() {
                if let Some(&e) = ends.get(s + dd as usize) {
                    if e != Timing::NO_START && e >= dd {
                        *slot = e - dd;
                    }
                }
            }
            Timing::Table(out)
        }
    }
}

/// A timing allowing only day 0, ending on `end`.
fn only_day_zero(end: Day, horizon: Day) -> Timing {
    let mut t = vec![Timing::NO_START; horizon as usize + 1];
    t[0] = end;
    Timing::Table(t)
}

impl Future {
    /// The restriction of `full` (a re-plan problem from
    /// [`super::build`], where started work has one mode and one start) to
    /// the days from `dd` on; `state` says where each activity stands.
    pub fn new(full: &Problem, state: &[State], dd: Day) -> Future {
        let n = full.activities.len();
        let horizon = full.horizon.saturating_sub(dd);
        // Started work has one mode and one start, its release.
        let fixed_start = |a: ActId| -> Day { full.activities[a].release };
        let fixed_end =
            |a: ActId| -> Day { full.end(a, 0, fixed_start(a)).unwrap_or(fixed_start(a)) };
        let mut sub_of = vec![None; n];
        let mut activities: Vec<Activity> = Vec::new();
        let mut full_index: Vec<Option<ActId>> = Vec::new();
        for a in 0..n {
            let act = &full.activities[a];
            let modes: Vec<Mode> = match state[a] {
                State::Finished => continue,
                State::Running => {
                    let end = fixed_end(a).max(dd) - dd;
                    vec![Mode {
                        timing: only_day_zero(end, horizon),
                        ..act.modes[0].clone()
                    }]
                }
                State::Open => act
                    .modes
                    .iter()
                    .map(|m| Mode {
                        timing: shift_timing(&m.timing, dd, horizon),
                        ..m.clone()
                    })
                    .collect(),
            };
            sub_of[a] = Some(activities.len());
            full_index.push(Some(a));
            activities.push(Activity {
                name: act.name.clone(),
                modes,
                release: act.release.saturating_sub(dd),
            });
        }
        // Links: kept between open or running work; from the past, releases.
        let mut links = Vec::new();
        for l in &full.links {
            let Some(to) = sub_of[l.to] else { continue };
            if state[l.to] != State::Open {
                continue;
            }
            let past_bound = match (state[l.from], l.kind) {
                (State::Finished, LinkKind::FinishToStart) => Some(fixed_end(l.from)),
                (State::Finished | State::Running, LinkKind::StartToStart) => {
                    Some(fixed_start(l.from))
                }
                _ => None,
            };
            match (past_bound, sub_of[l.from]) {
                (Some(t), _) => {
                    let bound = (i64::from(t) + i64::from(l.lag) - i64::from(dd)).max(0) as Day;
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
        // Spans: an open trench of finished work is held from day 0.
        let mut anchor = None;
        let mut spans = Vec::new();
        for sp in &full.spans {
            let Some(last) = sub_of[sp.last] else {
                continue;
            };
            let first = match sub_of[sp.first] {
                Some(f) => f,
                None if state[sp.first] == State::Finished => *anchor.get_or_insert_with(|| {
                    full_index.push(None);
                    activities.push(Activity {
                        name: "data date".into(),
                        modes: vec![Mode {
                            label: String::new(),
                            demands: Vec::new(),
                            timing: only_day_zero(0, horizon),
                            cost_per_day: 0,
                        }],
                        release: 0,
                    });
                    activities.len() - 1
                }),
                None => continue,
            };
            spans.push(Span {
                first,
                last,
                resource: sp.resource,
                amount: sp.amount,
            });
        }
        let groups = full
            .groups
            .iter()
            .filter_map(|g| {
                let members: Vec<ActId> = g.members.iter().filter_map(|&a| sub_of[a]).collect();
                (!members.is_empty()).then(|| DueGroup {
                    name: g.name.clone(),
                    weight: g.weight,
                    due: g.due.saturating_sub(dd),
                    members,
                })
            })
            .collect();
        let baseline = full.baseline.as_ref().map(|b| {
            let mut starts = Vec::with_capacity(activities.len());
            let mut modes = Vec::with_capacity(activities.len());
            for f in &full_index {
                starts.push(f.and_then(|a| b.starts[a]).map(|s| s.saturating_sub(dd)));
                modes.push(f.and_then(|a| b.modes[a]));
            }
            crate::schedule::Baseline {
                starts,
                modes,
                ..b.clone()
            }
        });
        Future {
            problem: Problem {
                name: full.name.clone(),
                horizon,
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
    /// [`Future::problem`]) stands for: started work at its one start,
    /// the rest shifted back by the data date.
    pub fn expand(&self, full: &Problem, sub: &Schedule) -> Schedule {
        let n = full.activities.len();
        let mut starts: Vec<Day> = (0..n).map(|a| full.activities[a].release).collect();
        let mut modes = vec![0usize; n];
        for (k, f) in self.full_index.iter().enumerate() {
            let Some(a) = *f else { continue };
            if self.state[a] == State::Running {
                // Its one start, in the past.
                continue;
            }
            starts[a] = sub.starts[k] + self.data_day;
            modes[a] = sub.modes[k];
        }
        Schedule { starts, modes }
    }

    /// The restriction of a schedule of the full problem (a warm start).
    pub fn restrict(&self, full: &Schedule) -> Schedule {
        let mut starts = Vec::with_capacity(self.full_index.len());
        let mut modes = Vec::with_capacity(self.full_index.len());
        for f in &self.full_index {
            match *f {
                Some(a) => {
                    starts.push(full.starts[a].saturating_sub(self.data_day));
                    modes.push(full.modes[a]);
                }
                None => {
                    starts.push(0);
                    modes.push(0);
                }
            }
        }
        Schedule { starts, modes }
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
        assert!(f.full_index.len() >= open && f.full_index.len() <= open + 1);
        assert_eq!(f.problem.horizon, full.horizon - dd);
        // Two different plans of the future: the repair and a search.
        let repair = right_shift(&f.problem).unwrap();
        let budget = Budget::new(std::time::Duration::from_secs(60))
            .with_seed(1)
            .with_max_candidates(Some(20));
        let searched = heuristic(&f.problem, &budget, None).unwrap();
        assert_ne!(repair, searched);
        for s in [&repair, &searched] {
            assert!(violations(&f.problem, s).is_empty());
            let whole = f.expand(&full, s);
            assert!(violations(&full, &whole).is_empty(), "{:?}", violations(&full, &whole));
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
    }
}
