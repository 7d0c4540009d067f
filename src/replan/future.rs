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
//!
//! Crews that come or go after the data date (events,
//! [`super::events::CrewsAway`]) are held by placeholders
//! ([`Future::with_crews_away`]): the resource keeps the most crews it ever
//! has, and a pinned activity without links or cost holds the crews that are
//! not there on each stretch of days, so every search, the MILP and the
//! bounds see the capacity change over time without knowing about it. A
//! placeholder for crews gone to the end of the season ends on the horizon,
//! so the restriction's finish is then the horizon for every plan: the
//! finish no longer separates plans (households, time nodes, stability and
//! crew-days still do), and [`Future::full_bound`] leaves the finish out of
//! the bound.

use crate::schedule::{
    ActId, Activity, Day, DueGroup, Link, LinkKind, Mode, Problem, Schedule, Span, Timing,
};

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
    /// Placeholders holding crews away, after the activities of the full
    /// problem in [`Future::problem`] (see [`Future::with_crews_away`]).
    pub placeholders: usize,
}

/// Crews of one resource away for a stretch of days.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Away {
    /// The resource (crews of one type of one contractor).
    pub resource: crate::schedule::ResId,
    /// Units away.
    pub units: u32,
    /// First day away.
    pub from: Day,
    /// First day back (exclusive end; the horizon for "to the end").
    pub until: Day,
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
            placeholders: 0,
        }
    }

    /// The crews away of `project`'s events as [`Away`] stretches of the
    /// problem's days, from the data day on (stretches over before it, or
    /// of unknown crews, are left out).
    pub fn away_days(
        project: &crate::Project,
        away: &[super::events::CrewsAway],
        dd: Day,
    ) -> Vec<Away> {
        let horizon = project.model.problem.horizon;
        let day = |d: chrono::NaiveDate| -> Day {
            ((d - project.calendar.start()).num_days().max(0) as Day).min(horizon)
        };
        away.iter()
            .filter_map(|a| {
                let resource = project.model.resources.iter().position(|k| {
                    matches!(k, crate::model::ResourceKind::Crew { contractor, crew }
                        if *contractor == a.contractor && *crew == a.crew)
                })?;
                let from = day(a.from).max(dd);
                let until = a.until.map_or(horizon, day);
                (from < until && a.crews > 0).then_some(Away {
                    resource,
                    units: a.crews,
                    from,
                    until,
                })
            })
            .collect()
    }

    /// Adds a placeholder per stretch of `away`: an activity pinned on its
    /// first day, without links or cost, that holds the crews away until
    /// they are back. [`Future::expand`] drops them.
    ///
    /// Running work keeps its crews until it is done: a placeholder that
    /// would take crews still busy with it starts when they are free (a
    /// crew leaves once its job is finished), and is dropped if that is not
    /// before it ends.
    pub fn with_crews_away(mut self, away: &[Away]) -> Future {
        let horizon = self.problem.horizon;
        // Units held per resource and day by pinned work and placeholders.
        let mut held = vec![vec![0u64; horizon as usize + 1]; self.problem.resources.len()];
        for (k, &a) in self.full_index.iter().enumerate() {
            if self.state[a] != State::Running {
                continue;
            }
            let act = &self.problem.activities[k];
            let end = act.modes[0].timing.end(act.release).unwrap_or(act.release);
            for &(r, u) in &act.modes[0].demands {
                for d in act.release.min(horizon)..end.min(horizon) {
                    held[r][d as usize] += u64::from(u);
                }
            }
        }
        for a in away {
            let cap = u64::from(self.problem.resources[a.resource].capacity);
            let fits = |s: Day, held: &[Vec<u64>]| {
                (s..a.until).all(|d| held[a.resource][d as usize] + u64::from(a.units) <= cap)
            };
            let Some(from) = (a.from..a.until).find(|&s| fits(s, &held)) else {
                continue;
            };
            for d in from..a.until {
                held[a.resource][d as usize] += u64::from(a.units);
            }
            let a = Away { from, ..*a };
            let mut table = vec![Timing::NO_START; horizon as usize + 1];
            table[a.from as usize] = a.until;
            let name = &self.problem.resources[a.resource].name;
            self.problem.activities.push(Activity {
                name: format!("away/{name}/{}", self.placeholders),
                modes: vec![Mode {
                    label: String::new(),
                    demands: vec![(a.resource, a.units)],
                    timing: Timing::Table(table),
                    cost_per_day: 0,
                }],
                release: a.from,
            });
            if let Some(b) = &mut self.problem.baseline {
                b.starts.push(None);
                b.modes.push(None);
            }
            self.placeholders += 1;
        }
        self
    }

    /// A lower bound on the full problem's objective from `sub_bound`, a
    /// lower bound on [`Future::problem`]'s, measured on `sub` (any
    /// schedule of it). Without placeholders that is `sub_bound` plus
    /// [`Future::offset`]. With them, the restriction's finish is at least
    /// the placeholders' ends, so the finish is left out on both sides: the
    /// full problem's bound then holds no finish days.
    pub fn full_bound(&self, full: &Problem, sub: &Schedule, sub_bound: u64) -> u64 {
        if self.placeholders == 0 {
            return sub_bound.saturating_add(self.offset(full, sub));
        }
        let finish = self.problem.objective.finish;
        let whole = full.score(&self.expand(full, sub));
        let part = self.problem.score(sub);
        let whole_rest = whole.value - finish * whole.makespan as u64;
        let part_rest = part.value - finish * part.makespan as u64;
        // The restriction's finish is at most its horizon.
        let finish_max = finish * self.problem.horizon as u64;
        (sub_bound.saturating_sub(finish_max) + whole_rest).saturating_sub(part_rest)
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

    /// The restriction of a schedule of the full problem (a warm start),
    /// with the placeholders on their one day.
    pub fn restrict(&self, full: &Schedule) -> Schedule {
        let held = self.full_index.len()..self.problem.activities.len();
        Schedule {
            starts: self
                .full_index
                .iter()
                .map(|&a| full.starts[a])
                .chain(held.clone().map(|k| self.problem.activities[k].release))
                .collect(),
            modes: self
                .full_index
                .iter()
                .map(|&a| full.modes[a])
                .chain(held.map(|_| 0))
                .collect(),
        }
    }

    /// The least number of stations (household groups of `full`) late in
    /// any plan: those finished late before the data date, plus those whose
    /// unfinished work cannot end by their due day in any schedule of the
    /// restriction (each station's end bounded on its own with its crews,
    /// as the bounds do for a time node:
    /// [`crate::schedule::bound::LevelBounds::node_ends`]), computed until
    /// `give_up` (what is proven by then counts); and at least as many as
    /// it takes to reach `household_days` (a bound on the household-days
    /// late) when each station is as late as the horizon allows.
    pub fn stations_late_bound(
        &self,
        full: &Problem,
        household_days: u64,
        give_up: std::time::Instant,
    ) -> usize {
        let households = crate::schedule::Level::Households;
        let done_late = full
            .groups
            .iter()
            .filter(|g| g.level == households && !g.members.is_empty())
            .filter(|g| g.members.iter().all(|&a| self.state[a] == State::Finished))
            .filter(|g| {
                let end = |a: ActId| {
                    let r = full.activities[a].release;
                    full.end(a, 0, r).unwrap_or(r)
                };
                g.members.iter().map(|&a| end(a)).max().unwrap_or(0) > g.due
            })
            .count();
        let mut q = self.problem.clone();
        q.groups.retain(|g| g.level == households);
        for g in &mut q.groups {
            g.level = crate::schedule::Level::Node;
        }
        let open_late = crate::schedule::bound::level_bounds_until(&q, give_up)
            .map(|b| {
                b.value
                    .node_ends
                    .iter()
                    .filter(|&&(g, end)| end > q.groups[g].due)
                    .count()
            })
            .unwrap_or(0);
        // The fewest stations whose most household-days late reach the bound.
        let mut most: Vec<u64> = full
            .groups
            .iter()
            .filter(|g| g.level == households)
            .map(|g| g.weight * u64::from(full.horizon.saturating_sub(g.due)))
            .collect();
        most.sort_unstable_by(|a, b| b.cmp(a));
        let mut sum = 0u64;
        let covering = if household_days == 0 {
            0
        } else {
            most.iter()
                .position(|&m| {
                    sum += m;
                    sum >= household_days
                })
                .map_or(most.len(), |k| k + 1)
        };
        (done_late + open_late).max(covering)
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
    use crate::replan::ledger::{read, simulate_slip};
    use crate::replan::{build, data_day, right_shift, Stability};
    use crate::schedule::budget::Budget;
    use crate::schedule::check::violations;
    use crate::schedule::heuristic::heuristic;
    use chrono::NaiveDate;

    /// The tutorial re-planned on 10 May after a 10-day slip of `reli`:
    /// the full problem, its states and the data day.
    pub(super) fn replanned() -> (Problem, Vec<State>, Day) {
        let (_, mut project, base) = crate::replan::fixture::tutorial(20);
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

#[cfg(test)]
mod away_tests {
    use super::*;
    use crate::schedule::budget::Budget;
    use crate::schedule::check::violations;
    use crate::schedule::heuristic::heuristic;

    /// Units of `r` held on day `t` by the activities of `p` in `s`.
    fn held(p: &Problem, s: &Schedule, r: usize, t: Day) -> u32 {
        (0..p.activities.len())
            .filter(|&a| s.starts[a] <= t && t < p.end(a, s.modes[a], s.starts[a]).unwrap())
            .flat_map(|a| p.activities[a].modes[s.modes[a]].demands.clone())
            .filter(|d| d.0 == r)
            .map(|d| d.1)
            .sum()
    }

    #[test]
    fn crews_away_are_held_and_dropped_from_the_plan() {
        let (full, states, dd) = super::tests::replanned();
        // The busiest crew resource leaves one unit from 30 days on.
        let r = (0..full.resources.len())
            .filter(|&r| {
                full.resources[r].capacity >= 2 && !full.resources[r].name.starts_with("trenches")
            })
            .max_by_key(|&r| {
                full.activities
                    .iter()
                    .filter(|a| a.modes.iter().any(|m| m.demands.iter().any(|d| d.0 == r)))
                    .count()
            })
            .unwrap();
        let leave = dd + 30;
        let away = [Away {
            resource: r,
            units: 1,
            from: leave,
            until: full.horizon,
        }];
        let f = Future::new(&full, &states, dd).with_crews_away(&away);
        assert_eq!(f.placeholders, 1);
        let budget = Budget::new(std::time::Duration::from_secs(60))
            .with_seed(1)
            .with_max_candidates(Some(20));
        let sub = heuristic(&f.problem, &budget, None).unwrap();
        assert!(violations(&f.problem, &sub).is_empty());
        let cap = full.resources[r].capacity;
        let whole = f.expand(&full, &sub);
        assert!(violations(&full, &whole).is_empty());
        // From the day the crew leaves, one unit fewer is ever busy.
        for t in leave..full.horizon {
            assert!(held(&full, &whole, r, t) < cap, "day {t}");
        }
        assert_eq!(f.restrict(&whole), sub);
        // The bound of the full problem stays below its score.
        let score = full.score(&whole).value;
        assert!(f.full_bound(&full, &sub, f.problem.score(&sub).value) <= score);
        // Without the event the same search uses every unit after it.
        let free = Future::new(&full, &states, dd);
        let s = heuristic(&free.problem, &budget, None).unwrap();
        let w = free.expand(&full, &s);
        assert!((leave..full.horizon).any(|t| held(&full, &w, r, t) == cap));
    }

    #[test]
    fn the_least_stations_late_is_below_a_plan_and_covers_the_household_bound() {
        let (full, states, dd) = super::tests::replanned();
        let f = Future::new(&full, &states, dd);
        // No time limit: the bound's work is bounded by the problem.
        let never = std::time::Instant::now() + std::time::Duration::from_secs(3600);
        let budget = Budget::new(std::time::Duration::from_secs(60))
            .with_seed(1)
            .with_max_candidates(Some(20));
        let whole = f.expand(&full, &heuristic(&f.problem, &budget, None).unwrap());
        let stations: Vec<&DueGroup> = full
            .groups
            .iter()
            .filter(|g| g.level == crate::schedule::Level::Households)
            .collect();
        let late = stations
            .iter()
            .filter(|g| {
                let end = |a: ActId| full.end(a, whole.modes[a], whole.starts[a]).unwrap();
                g.members.iter().map(|&a| end(a)).max().unwrap_or(0) > g.due
            })
            .count();
        assert!(f.stations_late_bound(&full, 0, never) <= late);
        // A household-day late needs a station late; every station as late
        // as the horizon allows needs them all.
        assert!(f.stations_late_bound(&full, 1, never) >= 1);
        let all: u64 = stations
            .iter()
            .map(|g| g.weight * u64::from(full.horizon - g.due))
            .sum();
        assert_eq!(f.stations_late_bound(&full, all, never), stations.len());
    }
}
