//! Re-planning after delays: progress on a data date, events, and a new plan
//! that moves as little as possible.
//!
//! The baseline's plan.json embeds its scenario, so the project is rebuilt
//! from it after the [`events`] are applied (new stop-work days, crews,
//! not-before dates, segment lengths), which recomputes the calendar and the
//! end tables. [`build`] then turns the project's problem into the re-plan
//! problem, activity by activity, using the [`ledger`]'s progress:
//!
//! * finished work is fixed at its actual dates: one mode, one allowed start,
//!   no resource demand (it is in the past);
//! * work in progress keeps its actual start and its baseline mode (crew of
//!   the same contractor) and ends when what is left — the remaining working
//!   days, or the rest of its work content after the percent complete — has
//!   been done from the data date on, on the calendar of its work;
//! * nothing else starts before the data date (its release) nor before a
//!   not-before date of an event;
//! * precedences into started work are history and are dropped; trenches
//!   closed before the data date no longer count against the district limit;
//! * a [`Baseline`] prices every day a not-started activity starts away from
//!   its baseline start and every change of its crew/contractor, so that the
//!   folded objective is: households heat-ready by the deadline first, then
//!   stability, then the finish, then crew-days.
//!
//! [`crate::plan::variance`] compares the new plan with the baseline: per
//! activity, per station, and the critical path.

pub mod events;
#[cfg(test)]
mod fixture;
pub mod future;
pub mod ledger;
pub mod pace;

use crate::both;
use crate::lang::Both;
use crate::model::calendar::end_table;
use crate::plan::cpm::NetworkPlan;
use crate::schedule::sgs::{is_pinned, ModePolicy, Sgs};
use crate::schedule::window::Windows;
use crate::schedule::{Baseline, Day, Problem, Schedule, Timing};
use crate::Project;
use chrono::NaiveDate;
use future::State;
use ledger::{ActivityProgress, Remaining};

/// Default cost of starting a not-started activity one day away from its
/// baseline start: two days of the programme's finish, so that the finish
/// is never bought with moves.
pub const DEFAULT_SHIFT_WEIGHT: u64 = 2 * crate::model::FINISH_WEIGHT;
/// Default cost of giving an activity to another contractor: ten shift days.
pub const DEFAULT_CREW_CHANGE_WEIGHT: u64 = 10 * DEFAULT_SHIFT_WEIGHT;
/// In a re-plan a household-day late weighs this many activity-days of
/// shift (but never less than the plan's [`crate::model::LATENESS_WEIGHT`]),
/// so that households heat-ready by the deadline come before stability.
pub const HOUSEHOLD_DAY_IN_SHIFT_DAYS: u64 = 10;

/// Weights of the stability part of the objective.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stability {
    /// Per day of start shift.
    pub shift_weight: u64,
    /// Per activity moved to another contractor.
    pub change_weight: u64,
}

impl Default for Stability {
    fn default() -> Self {
        Stability {
            shift_weight: DEFAULT_SHIFT_WEIGHT,
            change_weight: DEFAULT_CREW_CHANGE_WEIGHT,
        }
    }
}

/// Why the re-plan problem cannot be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", .problems.iter().map(|p| p.en.as_str()).collect::<Vec<_>>().join("\n"))]
pub struct ReplanError {
    /// Every problem, each with its fix, in both languages.
    pub problems: Vec<Both>,
}

/// Checks that the data date lies in the construction window and returns
/// its day index.
pub fn data_day(project: &Project, data_date: NaiveDate) -> Result<Day, ReplanError> {
    let p = &project.programme;
    let (w0, w1) = (p.window_start, p.window_end);
    if data_date < w0 || data_date > w1 {
        return Err(ReplanError {
            problems: vec![both!(
                "the data date {data_date} is outside the construction window ({w0} – {w1})\n  help: give a date from the window start to the window end (before the window, make a new plan with `heatplan plan`)",
                "数据日期 {data_date} 不在施工期（{w0} – {w1}）内\n  提示：请给出施工期开始到结束之间的日期（施工期之前请用 `heatplan plan` 编制新计划）"
            )],
        });
    }
    Ok(project
        .calendar
        .day_of(data_date)
        .expect("the window is on the grid"))
}

/// Turns `project`'s problem into the re-plan problem (in place) and says
/// where each of its activities stands on the data date.
///
/// `progress` is per activity of the baseline plan; `not_before` lists
/// activity indices of the baseline with their earliest start. Finished work
/// keeps its crew demand (so that crews are named and utilisation counts it
/// in the plan); the solver never sees it ([`future::Future`]).
pub fn build(
    project: &mut Project,
    baseline: &NetworkPlan,
    progress: &[ActivityProgress],
    not_before: &[(usize, NaiveDate)],
    data_date: NaiveDate,
    stability: Stability,
) -> Result<Vec<State>, ReplanError> {
    let dd = data_day(project, data_date)?;
    let cal = project.calendar.clone();
    let base_index = baseline.plan.index_by_id();
    let n = project.model.problem.activities.len();
    let mut problems = Vec::new();
    let mut started = vec![false; n];
    let mut finished = vec![false; n];
    let mut base_starts = vec![None; n];
    let mut base_modes = vec![None; n];
    let horizon = project.model.problem.horizon;
    let day = |d: NaiveDate| -> Day { (d - cal.start()).num_days().max(0) as Day };
    let single = |s: Day, e: Day| {
        let mut t = vec![Timing::NO_START; horizon as usize + 1];
        t[s as usize] = e;
        Timing::Table(t)
    };
    for a in 0..n {
        let item = project.work.items[a].clone();
        let Some(&b) = base_index.get(item.id.as_str()) else {
            // New in the scenario: no baseline, free from the data date.
            let act = &mut project.model.problem.activities[a];
            act.release = act.release.max(dd);
            continue;
        };
        let bp = &baseline.plan.activities[b];
        let act = &mut project.model.problem.activities[a];
        let bm = act.modes.iter().position(|m| m.label == bp.contractor);
        if bp.start < cal.start() {
            let id = &item.id;
            problems.push(both!(
                "`{id}`: the baseline starts before the window",
                "`{id}`：基线在施工期开始之前就开始了"
            ));
            continue;
        }
        if let ActivityProgress::Finished { start, .. }
        | ActivityProgress::InProgress { start, .. } = progress[b]
        {
            if start < cal.start() {
                let (id, w0) = (&item.id, cal.start());
                problems.push(both!(
                    "`{id}`: actual start {start} is before the window start {w0}\n  help: correct the ledger",
                    "`{id}`：实际开始 {start} 早于施工期开始 {w0}\n  提示：请改正进度台账"
                ));
                continue;
            }
        }
        match progress[b] {
            ActivityProgress::NotStarted => {
                act.release = act.release.max(dd);
                base_starts[a] = Some(bp.start_day);
                base_modes[a] = bm;
            }
            ActivityProgress::Finished { start, finish } => {
                let m = bm.unwrap_or(0);
                let zero = act.modes[m].timing.is_zero();
                let (s, e) = if zero {
                    // A milestone dated `finish` was reached at the close of
                    // that day (plan::milestone_day): it starts on the next.
                    (day(finish) + 1, day(finish) + 1)
                } else {
                    (day(start), day(finish) + 1)
                };
                let mut mode = act.modes[m].clone();
                mode.timing = single(s, e);
                act.modes = vec![mode];
                act.release = s;
                started[a] = true;
                finished[a] = true;
            }
            ActivityProgress::InProgress { start, remaining } => {
                let m = bm.unwrap_or(0);
                let productivity = project
                    .programme
                    .contractor(&act.modes[m].label)
                    .zip(item.crew_type.as_ref())
                    .map_or(1.0, |(c, t)| project.programme[c].productivity(t));
                let left = match remaining {
                    Remaining::Percent(p) => item.work / productivity * (1.0 - p / 100.0),
                    Remaining::Days(d) => d,
                    Remaining::AsPlanned => {
                        // Ends on its planned end (the ledger checked it is
                        // not before the data date).
                        let s = day(start);
                        act.modes[m].timing = single(s, bp.end_day.max(dd));
                        let mode = act.modes[m].clone();
                        act.modes = vec![mode];
                        act.release = s;
                        started[a] = true;
                        continue;
                    }
                };
                let profile = if item.calendar_days {
                    cal.every_day()
                } else {
                    cal.profile(&item.tags, item.district)
                };
                let table = end_table(&profile, left);
                let end = (dd..horizon).find_map(|t| table.end(t)).or(
                    // Zero work left (a milestone's table is Fixed(0)).
                    table.is_zero().then_some(dd),
                );
                let Some(end) = end else {
                    let id = &item.id;
                    problems.push(both!(
                        "`{id}`: the {left:.1} days of work left cannot be done by the end of the horizon\n  help: check its remaining work in the ledger",
                        "`{id}`：剩余 {left:.1} 天的工作无法在计划期结束前完成\n  提示：请检查台账中它的剩余工作"
                    ));
                    continue;
                };
                let s = day(start);
                act.modes[m].timing = single(s, end);
                let mode = act.modes[m].clone();
                act.modes = vec![mode];
                act.release = s;
                started[a] = true;
            }
        }
    }
    for &(b, date) in not_before {
        let id = &baseline.plan.activities[b].id;
        if let Some(a) = project.work.items.iter().position(|i| &i.id == id) {
            if !started[a] {
                let act = &mut project.model.problem.activities[a];
                act.release = act.release.max(day(date));
            }
        }
    }
    let p = &mut project.model.problem;
    p.links.retain(|l| !started[l.to]);
    // A trench reported closed before it was opened (progress out of
    // sequence) cannot be accounted for.
    p.spans.retain(|sp| started[sp.first] || !started[sp.last]);
    // Work running on the data date must fit the crews and trench limits.
    let mut load = vec![0u64; p.resources.len()];
    for a in (0..n).filter(|&a| started[a] && !finished[a]) {
        for &(r, k) in &p.activities[a].modes[0].demands {
            load[r] += k as u64;
        }
    }
    for sp in p
        .spans
        .iter()
        .filter(|sp| started[sp.first] && !finished[sp.last])
    {
        load[sp.resource] += sp.amount as u64;
    }
    for (r, res) in p.resources.iter().enumerate() {
        if load[r] > res.capacity as u64 {
            let (busy, name, have) = (load[r], &res.name, res.capacity);
            problems.push(both!(
                "{busy} units of `{name}` are busy with work in progress on the data date, but only {have} exist\n  help: check the ledger's work in progress, or the crew events",
                "数据日期时 `{name}` 有 {busy} 个单位正忙于在建工作，但只有 {have} 个\n  提示：请检查台账中的在建工作或班组事件"
            ));
        }
    }
    if !problems.is_empty() {
        return Err(ReplanError { problems });
    }
    p.objective.lateness = p
        .objective
        .lateness
        .max(HOUSEHOLD_DAY_IN_SHIFT_DAYS * stability.shift_weight);
    p.baseline = Some(Baseline {
        starts: base_starts,
        modes: base_modes,
        shift_weight: stability.shift_weight,
        change_weight: stability.change_weight,
    });
    Ok((0..n)
        .map(|a| match (finished[a], started[a]) {
            (true, _) => State::Finished,
            (false, true) => State::Running,
            _ => State::Open,
        })
        .collect())
}

/// The crews a re-plan keeps, per activity of `project` (as
/// [`crate::Project::plan_keeping`] takes them): work finished or running
/// on the data date (`states` from [`build`]) keeps the crew the previous
/// revision `parent` named for it (`B/pipe/2`), so that the new plan, its
/// responsibility lists and plan.xml show who did it and running work is
/// not handed to another crew of its contractor; work not started is
/// numbered afresh (empty).
pub fn kept_crews(project: &Project, parent: &NetworkPlan, states: &[State]) -> Vec<String> {
    let index = parent.plan.index_by_id();
    project
        .work
        .items
        .iter()
        .zip(states)
        .map(|(item, state)| match (state, index.get(item.id.as_str())) {
            (State::Finished | State::Running, Some(&b)) => parent.plan.activities[b].crew.clone(),
            _ => String::new(),
        })
        .collect()
}

/// The history of the chain a re-plan `new` of `parent` belongs to: the
/// parent's history (or the parent alone, for a plan that has none) and
/// `new` as the next revision.
pub fn history(
    parent: &NetworkPlan,
    new: &NetworkPlan,
) -> Vec<crate::plan::progress::RevisionSummary> {
    let mut h = parent.history.clone();
    if h.is_empty() {
        h.push(parent.summary(0));
    }
    let next = h.last().map_or(0, |r| r.number + 1);
    h.push(new.summary(next));
    h
}

/// The baseline repaired by right shifts: every not-started activity keeps
/// its baseline mode and starts at the earliest day on or after its baseline
/// start (and its release) that the fixed work, the links and the resources
/// allow, in the baseline's order. Work the delays do not touch keeps its
/// dates exactly; `None` when the shifts run past the horizon.
pub fn right_shift(p: &Problem) -> Option<Schedule> {
    let b = p.baseline.as_ref()?;
    let n = p.activities.len();
    let mut q = p.clone();
    let mut kept = vec![None; n];
    for (a, keep) in kept.iter_mut().enumerate() {
        if let (Some(m), true) = (b.modes[a], p.activities[a].modes.len() > 1) {
            q.activities[a].modes = vec![p.activities[a].modes[m].clone()];
            *keep = Some(m);
        }
        if let Some(s) = b.starts[a] {
            q.activities[a].release = q.activities[a].release.max(s);
        }
    }
    q.baseline = None;
    let w = Windows::compute(&q).ok()?;
    let inn = q.in_links();
    let mut sgs = Sgs::new(&q);
    let prio: Vec<i64> = (0..n)
        .map(|a| {
            if is_pinned(&q, &inn, a) {
                w.es[a] as i64 - (1 << 40)
            } else {
                b.starts[a].unwrap_or(w.es[a]).max(w.es[a]) as i64
            }
        })
        .collect();
    let mut list = sgs.list_from_priority(&prio)?;
    list.sort_by_key(|&a| !is_pinned(&q, &inn, a));
    let s = sgs.forward(&list, ModePolicy::Best)?;
    Some(Schedule {
        starts: s.starts,
        modes: (0..n).map(|a| kept[a].unwrap_or(s.modes[a])).collect(),
    })
}

/// Share of a re-plan's time limit for its first phase (the constructive
/// heuristic beside large-neighbourhood search from the repair). On the
/// simulated city season (`season.py`, one contractor 40 % slower, 6.5 s of
/// search per step, machine loaded) the heuristic's plan was as good after
/// 30 % of the time as after 70 %, while re-sequencing its crew orders
/// still improved it when its time ran out.
pub const REPLAN_HEURISTIC_SHARE: f64 = 0.3;

/// Share of a re-plan's time limit, past the first phase's, for
/// re-sequencing crew pools when a station is late (the MILP phase gets the
/// last tenth). On the four steps of that season, against the plan's 0.7
/// and 0.15: household-days late 20,348 / 48,263 / 156,341 / 188,862
/// instead of 20,787 / 107,780 / 164,292 / 194,368; giving the heuristic
/// only 15 % was worse at two steps.
pub const REPLAN_RESEQUENCE_SHARE: f64 = 0.6;

/// The portfolio that optimises a re-plan problem: `plan`'s portfolio with
/// the right-shift repair of the baseline as its warm start (when there is
/// one). For [`REPLAN_HEURISTIC_SHARE`] of the time, the constructive
/// heuristic and large-neighbourhood search from the repair then run side by
/// side; the best of their schedules and the repair is re-sequenced crew
/// pool by crew pool for [`REPLAN_RESEQUENCE_SHARE`] when it leaves a
/// station late, and then starts the MILP phase, which trades stability
/// against lateness (see
/// [`Portfolio`](crate::schedule::portfolio::Portfolio)). With
/// `heuristic_only`, the better of the repair and the heuristic.
#[cfg(feature = "solver")]
pub fn portfolio(
    p: &Problem,
    plan: crate::schedule::portfolio::Portfolio,
) -> crate::schedule::portfolio::Portfolio {
    let plan = crate::schedule::portfolio::Portfolio {
        heuristic_share: REPLAN_HEURISTIC_SHARE,
        resequence_share: REPLAN_RESEQUENCE_SHARE,
        ..plan
    };
    match right_shift(p) {
        Some(repair) => plan.with_warm_start(repair),
        None => plan,
    }
}
