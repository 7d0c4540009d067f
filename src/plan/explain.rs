//! Why a programme cannot meet its deadline, in a manager's words.
//!
//! Two independent arguments are tried, each of which *proves* that no plan
//! can finish every activity before a limit day (the heat-ready deadline in
//! hard mode, the end of the window plus its overrun otherwise):
//!
//! 1. **The chain.** A forward pass of the critical-path method with
//!    unlimited crews gives every activity its earliest end. If some activity
//!    cannot end before the limit, the predecessors that set its earliest start
//!    form a chain ([`Windows::binding_chain`]); for every step on it the
//!    calendar is asked, day by day, why no work was possible (rest weekdays,
//!    holidays, bans, stop-work days) and how much output the productivity
//!    periods cost, so the manager sees which days to win back.
//!
//! 2. **Crew capacity (a cut argument).** Work needing crew type `t` that may
//!    only be done by contractors in a set `C` (because its district allows no
//!    others) has to be done by `C`'s crews of type `t`, between the earliest
//!    release of that work and the limit. If that work, in crew-days at the best
//!    productivity any allowed contractor reaches, exceeds the crews of `C` times
//!    the working days in that window, no plan exists whatever the order — this
//!    is Hall's condition for assigning work to crew-days. Every set `C` of
//!    contractors is tried when there are at most [`MAX_SUBSET_CONTRACTORS`]
//!    of a crew type; otherwise single contractors, groups of districts sharing
//!    contractors, and all contractors together. The smallest violated sets are
//!    reported with their figures.
//!
//! Both are lower-bound arguments, so the message never blames a chain or a
//! crew type that is not really short; when neither applies, the explanation
//! says so (the limit may then lie in trench limits or in the time allowed to
//! search).

use crate::schedule::capacity::backlog;
use crate::schedule::window::{forward_pass, Forward, Windows};
use crate::schedule::{ActId, Day, Problem};
use crate::Project;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::convert::Infallible;
use std::fmt;

mod waits;

pub use waits::{crew_waits, total_waits, CrewWait};

/// Contractors of one crew type up to which every subset is tried.
pub const MAX_SUBSET_CONTRACTORS: usize = 12;

/// Output tolerance when comparing crew-days.
const EPS: f64 = 1e-6;

/// Days a stretch of work lost to the calendar.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DaysLost {
    /// Rest weekdays (no work at all).
    pub rest_days: u32,
    /// Public holidays, days per holiday name.
    pub holidays: BTreeMap<String, u32>,
    /// Bans on the work's tags, days per ban name.
    pub bans: BTreeMap<String, u32>,
    /// Stop-work days, days per name.
    pub stop_work: BTreeMap<String, u32>,
    /// Productivity periods: days of output lost (sum of `1 - factor` over
    /// the slowed working days), per period name.
    pub slowed: BTreeMap<String, f64>,
}

impl DaysLost {
    /// Whole days with no work at all.
    pub fn idle_days(&self) -> u32 {
        self.rest_days
            + self.holidays.values().sum::<u32>()
            + self.bans.values().sum::<u32>()
            + self.stop_work.values().sum::<u32>()
    }

    /// Days of output lost to productivity periods.
    pub fn slowed_days(&self) -> f64 {
        self.slowed.values().fold(0.0, |a, b| a + b)
    }

    fn add(&mut self, other: &DaysLost) {
        self.rest_days += other.rest_days;
        for (into, from) in [
            (&mut self.holidays, &other.holidays),
            (&mut self.bans, &other.bans),
            (&mut self.stop_work, &other.stop_work),
        ] {
            for (k, v) in from {
                *into.entry(k.clone()).or_default() += v;
            }
        }
        for (k, v) in &other.slowed {
            *self.slowed.entry(k.clone()).or_default() += v;
        }
    }
}

impl fmt::Display for DaysLost {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts = Vec::new();
        if self.rest_days > 0 {
            let s = if self.rest_days == 1 { "" } else { "s" };
            parts.push(format!("{} rest day{s}", self.rest_days));
        }
        for (what, map) in [
            ("holiday", &self.holidays),
            ("ban", &self.bans),
            ("stop-work", &self.stop_work),
        ] {
            for (name, n) in map {
                parts.push(format!("{n} d {what} \"{name}\""));
            }
        }
        for (name, d) in &self.slowed {
            parts.push(format!("{d:.1} d output lost to \"{name}\""));
        }
        if parts.is_empty() {
            write!(f, "no days lost")
        } else {
            write!(f, "{}", parts.join(", "))
        }
    }
}

/// One activity on a chain that makes the limit unreachable.
#[derive(Debug, Clone, PartialEq)]
pub struct ChainStep {
    /// Activity index in the model.
    pub activity: ActId,
    /// Activity id, e.g. `S01/trench`.
    pub id: String,
    /// Contractor of the fastest mode (empty when no crew is needed).
    pub contractor: String,
    /// Earliest start with unlimited crews.
    pub start: NaiveDate,
    /// Last day of work at the earliest (`None` when it cannot be placed on
    /// the calendar grid at all).
    pub finish: Option<NaiveDate>,
    /// Days lost from the moment its predecessor allows it to start until
    /// its earliest end.
    pub lost: DaysLost,
}

/// A chain of activities that cannot end before the limit, even with
/// unlimited crews.
#[derive(Debug, Clone, PartialEq)]
pub struct ChainReport {
    /// The activity at the end of the chain (the one ending last).
    pub target: String,
    /// The station made heat-ready by it, if any.
    pub station: Option<String>,
    /// Its earliest last day of work (`None`: not at all on the grid).
    pub earliest_finish: Option<NaiveDate>,
    /// The steps, first to last.
    pub steps: Vec<ChainStep>,
    /// Calendar losses summed over the chain.
    pub total: DaysLost,
}

/// A set of contractors whose crews of one type cannot deliver the work only
/// they may do, within its window.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Shortage {
    /// Crew type.
    pub crew: String,
    /// The contractors that may do this work.
    pub contractors: Vec<String>,
    /// The districts whose work it is (empty for tasks without a district).
    pub districts: Vec<String>,
    /// Crews of this type the contractors have together.
    pub crews: u32,
    /// Working days between the earliest release and the limit.
    pub days: u32,
    /// First day of the window.
    pub from: NaiveDate,
    /// Last day of the window.
    pub to: NaiveDate,
    /// Crew-days of work demanded (at the best allowed productivity).
    pub demanded: f64,
    /// Crew-days available: crews × working days.
    pub available: f64,
}

/// Everything known about why the limit cannot be met.
#[derive(Debug, Clone, PartialEq)]
pub struct Explanation {
    /// Exclusive limit day: every activity must end on or before it.
    pub limit: Day,
    /// The last day allowed (the limit's date minus one day).
    pub last_day: NaiveDate,
    /// The chain that is too long, if any.
    pub chain: Option<ChainReport>,
    /// Crew shortages proven by the cut argument, smallest sets first.
    pub shortages: Vec<Shortage>,
}

impl Explanation {
    /// True when some argument proves the limit unreachable.
    pub fn proves_infeasible(&self) -> bool {
        self.chain.is_some() || !self.shortages.is_empty()
    }
}

/// Earliest starts and ends with unlimited crews, ignoring the horizon
/// (`ef = None` for an activity that cannot start anywhere on the grid), by
/// the shared [`forward_pass`]: each activity in its fastest mode.
fn forward(p: &Problem) -> Option<Forward> {
    let order = p.topological_order()?;
    let grid = p.horizon.saturating_add(1);
    let fw = forward_pass(p, &p.links, &order, |b, lb| {
        let mut best: Option<(Day, Day)> = None;
        for m in &p.activities[b].modes {
            let first =
                (lb..grid.max(lb.saturating_add(1))).find_map(|s| m.timing.end(s).map(|e| (s, e)));
            if let Some((s, e)) = first {
                best = Some(match best {
                    None => (s, e),
                    Some((bs, be)) => (bs.min(s), be.min(e)),
                });
            }
        }
        Ok::<_, Infallible>(best)
    });
    let Ok(fw) = fw;
    Some(fw)
}

/// Explains why not every activity of `project` can end on or before the
/// exclusive day `limit` (e.g. `project.model.due` for the heat-ready
/// deadline). The explanation is empty when neither argument applies.
pub fn explain(project: &Project, limit: Day) -> Explanation {
    Explanation {
        limit,
        last_day: project.calendar.date(limit.max(1) - 1),
        chain: chain_report(project, limit),
        shortages: shortages(project, limit),
    }
}

/// The chain ending in the activity that ends latest, when that is after
/// `limit` even with unlimited crews.
pub fn chain_report(project: &Project, limit: Day) -> Option<ChainReport> {
    let p = &project.model.problem;
    let fw = forward(p)?;
    // The latest-ending activity; one that cannot be placed at all ranks last.
    let target = (0..p.activities.len()).max_by_key(|&a| (fw.ef[a].unwrap_or(Day::MAX), a))?;
    if fw.ef[target].is_some_and(|e| e <= limit) {
        return None;
    }
    Some(chain_to(project, &fw, target))
}

/// The chain that sets activity `target`'s earliest end, with calendar losses.
fn chain_to(project: &Project, fw: &Forward, target: ActId) -> ChainReport {
    let p = &project.model.problem;
    let cal = &project.calendar;
    let n = p.activities.len();
    let windows = Windows {
        es: fw.es.clone(),
        ls: vec![0; n],
        ef: fw.ef.iter().map(|e| e.unwrap_or(Day::MAX / 2)).collect(),
        lf: vec![0; n],
    };
    let chain = windows.binding_chain(p, target);
    let mut total = DaysLost::default();
    let mut counted_until: Day = 0;
    let mut steps = Vec::new();
    for &a in &chain {
        let item = &project.work.items[a];
        let end = fw.ef[a].unwrap_or(p.horizon).min(cal.horizon());
        let mut lost = DaysLost::default();
        if !item.calendar_days {
            for d in fw.ready[a].max(counted_until)..end {
                count_day(project, a, d, &mut lost);
            }
        }
        counted_until = counted_until.max(end);
        total.add(&lost);
        let contractor = p.activities[a]
            .modes
            .iter()
            .filter(|m| m.timing.end(fw.es[a]).is_some())
            .min_by_key(|m| m.timing.end(fw.es[a]))
            .map_or_else(String::new, |m| m.label.clone());
        steps.push(ChainStep {
            activity: a,
            id: item.id.clone(),
            contractor,
            start: cal.date(fw.es[a]),
            finish: fw.ef[a].map(|e| cal.date(e.max(fw.es[a] + 1) - 1)),
            lost,
        });
    }
    let station = project
        .work
        .heat_ready
        .iter()
        .find(|h| h.activity == target)
        .map(|h| project.programme[h.station].id.clone());
    ChainReport {
        target: project.work.items[target].id.clone(),
        station,
        earliest_finish: fw.ef[target].map(|e| cal.date(e.max(fw.es[target] + 1) - 1)),
        steps,
        total,
    }
}

fn count_day(project: &Project, a: ActId, d: Day, lost: &mut DaysLost) {
    use crate::model::calendar::IdleReason;
    let item = &project.work.items[a];
    let district = item.district;
    match project.calendar.idle_reason(d, &item.tags, district) {
        Some(IdleReason::RestDay) => lost.rest_days += 1,
        Some(IdleReason::Holiday(n)) => *lost.holidays.entry(n).or_default() += 1,
        Some(IdleReason::Ban(n)) => *lost.bans.entry(n).or_default() += 1,
        Some(IdleReason::StopWork(n)) => *lost.stop_work.entry(n).or_default() += 1,
        None => {
            if let Some((n, f)) = project.calendar.slowdown(d, &item.tags, district) {
                *lost.slowed.entry(n).or_default() += 1.0 - f;
            }
        }
    }
}

/// Why one station misses the heat-ready deadline (carried in the network
/// plan, so plan.json, report.html and the terminal summary all show it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LateReason {
    /// Station id.
    pub station: String,
    /// The chain that holds it, or the crews it waits for.
    #[serde(flatten)]
    pub cause: LateCause,
}

/// What holds a late station.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "cause", rename_all = "snake_case")]
pub enum LateCause {
    /// Even unlimited crews cannot make it heat-ready in time: a chain of
    /// work before it is too long for the calendar.
    Chain {
        /// Earliest last day of its work with unlimited crews (`None`: not
        /// on the day grid at all).
        earliest_finish: Option<NaiveDate>,
        /// The chain's activity ids, first to last.
        chain: Vec<String>,
        /// Whole days the chain loses to the calendar.
        idle_days: u32,
        /// Days of output the chain loses to productivity periods.
        output_lost_days: f64,
    },
    /// With unlimited crews it could be heat-ready by `earliest_finish`: it
    /// waits for crews shared with other work.
    Crews {
        /// Last day of its work with unlimited crews.
        earliest_finish: NaiveDate,
        /// The crew types its work waited for in the plan, with the days
        /// (see [`crew_waits`]; empty when no plan is at hand).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        waited: Vec<CrewWait>,
    },
}

impl LateReason {
    /// True when even unlimited crews cannot make it heat-ready in time
    /// (the reason is a chain); false when it waits for shared crews.
    pub fn chain_bound(&self) -> bool {
        matches!(self.cause, LateCause::Chain { .. })
    }
}

/// Why each late station of `plan` (a plan of `project`) misses the
/// heat-ready deadline, in the plan's order of late stations.
pub fn why_late_in(project: &Project, plan: &crate::plan::Plan) -> Vec<LateReason> {
    let late: Vec<usize> = plan
        .late_stations()
        .iter()
        .filter_map(|o| {
            project
                .programme
                .stations
                .iter()
                .position(|st| st.id == o.id)
        })
        .collect();
    why_late_with(project, &late, Some(&plan.schedule))
}

/// Why each station in `late` (indices into the scenario's stations) misses
/// the heat-ready deadline: the chain when even unlimited crews cannot make
/// it, otherwise that it waits for crews.
pub fn why_late(project: &Project, late: &[usize]) -> Vec<LateReason> {
    why_late_with(project, late, None)
}

/// [`why_late`], naming for a station that waits for crews the crew types
/// its work waited for in `sched` (see [`crew_waits`]).
pub fn why_late_with(
    project: &Project,
    late: &[usize],
    sched: Option<&crate::schedule::Schedule>,
) -> Vec<LateReason> {
    let p = &project.model.problem;
    let due = project.model.due;
    let Some(fw) = forward(p) else {
        return Vec::new();
    };
    late.iter()
        .filter_map(|&st| {
            let h = project
                .work
                .heat_ready
                .iter()
                .find(|h| h.station.index() == st)?;
            let station = project.programme[h.station].id.clone();
            let cause = match fw.ef[h.activity] {
                Some(e) if e <= due => LateCause::Crews {
                    earliest_finish: project.calendar.date(e.max(1) - 1),
                    waited: sched.map_or_else(Vec::new, |s| crew_waits(project, s, h.activity)),
                },
                _ => {
                    let c = chain_to(project, &fw, h.activity);
                    LateCause::Chain {
                        earliest_finish: c.earliest_finish,
                        chain: c.steps.iter().map(|s| s.id.clone()).collect(),
                        idle_days: c.total.idle_days(),
                        output_lost_days: c.total.slowed_days(),
                    }
                }
            };
            Some(LateReason { station, cause })
        })
        .collect()
}

/// Why one time node is missed: the chain that holds it when even
/// unlimited crews cannot reach it by its due date, otherwise the crews its
/// work waits for, with the crew types proven short for the work before it.
/// Carried in the network plan, so plan.json, report.html and the terminal
/// all show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NodeLateReason {
    /// Milestone id.
    pub node: String,
    /// Its due date (the last day allowed).
    pub due: NaiveDate,
    /// The chain that holds it, or the crews it waits for.
    #[serde(flatten)]
    pub cause: LateCause,
    /// Crew shortages in the work it follows, before its due date (by the
    /// cut argument of [`shortages`] on that work alone; empty for a chain).
    #[serde(default)]
    pub shortages: Vec<Shortage>,
}

impl NodeLateReason {
    /// True when even unlimited crews cannot reach the node in time.
    pub fn cause_is_chain(&self) -> bool {
        matches!(self.cause, LateCause::Chain { .. })
    }

    /// The reason in a sentence or two, in both languages: the chain with
    /// its calendar losses, or the earliest date with unlimited crews and
    /// each crew type proven short (crew-days demanded against available).
    pub fn text(&self) -> crate::lang::Both {
        let node = &self.node;
        let due = self.due;
        let mut out = match &self.cause {
            LateCause::Chain {
                earliest_finish,
                chain,
                idle_days,
                output_lost_days,
            } => {
                let chain = chain.join(" → ");
                match earliest_finish {
                    Some(d) => crate::both!(
                        "{node} (due {due}): even with unlimited crews not before {d}: {chain} ({idle_days} idle days, {output_lost_days:.1} days of output lost on the way)",
                        "{node}（要求 {due}）：即使班组不限，也不早于 {d}：{chain}（途中停工 {idle_days} 天，损失 {output_lost_days:.1} 天产量）"
                    ),
                    None => crate::both!(
                        "{node} (due {due}): even with unlimited crews not on the calendar at all: {chain}",
                        "{node}（要求 {due}）：即使班组不限，也排不进日历：{chain}"
                    ),
                }
            }
            LateCause::Crews {
                earliest_finish,
                waited,
            } => {
                let reached = crate::both!(
                    "{node} (due {due}): could be reached by {earliest_finish} with unlimited crews; its work waits for crews",
                    "{node}（要求 {due}）：若班组不限，可于 {earliest_finish} 达到；其工作在等待班组"
                );
                match waits_text(waited) {
                    Some(w) => reached.join(&w, ": ", "："),
                    None => reached,
                }
            }
        };
        for s in &self.shortages {
            let (crew, who) = (&s.crew, s.contractors.join(" + "));
            let (demanded, available, crews, days, from, to) =
                (s.demanded, s.available, s.crews, s.days, s.from, s.to);
            out = out.join(
                &crate::both!(
                    "{crew} crews of {who} are short: {demanded:.1} crew-days of its work, {available:.0} available ({crews} crews × {days} working days, {from} – {to})",
                    "{who} 的 {crew} 班组不足：其工作需 {demanded:.1} 班组·天，可用 {available:.0}（{crews} 个班组 × {days} 个工作日，{from} – {to}）"
                ),
                "; ",
                "；",
            );
        }
        out
    }
}

/// The crew types waited for, in words ("waited for pipe crews 23 days,
/// testing crews 4 days"); `None` when there are none.
pub fn waits_text(waited: &[CrewWait]) -> Option<crate::lang::Both> {
    const SHOWN: usize = 3;
    if waited.is_empty() {
        return None;
    }
    let en: Vec<String> = waited
        .iter()
        .take(SHOWN)
        .map(|w| {
            let s = if w.days == 1 { "" } else { "s" };
            format!("{} crews {} day{s}", w.crew, w.days)
        })
        .collect();
    let zh: Vec<String> = waited
        .iter()
        .take(SHOWN)
        .map(|w| {
            let name = crate::lang::Lang::Zh.labels().crew_type_name(&w.crew);
            format!("{name}班组 {} 天", w.days)
        })
        .collect();
    let (en, zh) = (en.join(", "), zh.join("，"));
    Some(crate::both!("waited for {en}", "等待{zh}"))
}

/// Why each time node of `missed` (milestone ids) misses its due date: the
/// chain with its lost days when unlimited crews cannot reach it in time,
/// otherwise that it waits for crews, with the crew types too short to do
/// the work it follows before its due date (crew-days demanded against
/// crews × working days). Ids that are not time nodes are skipped.
pub fn why_nodes_late(project: &Project, missed: &[&str]) -> Vec<NodeLateReason> {
    why_nodes_late_with(project, missed, None)
}

/// Why each time node the plan misses is missed ([`why_nodes_late`] with
/// the crew types its work waited for in the plan), in scenario order.
pub fn why_nodes_late_in(project: &Project, plan: &crate::plan::Plan) -> Vec<NodeLateReason> {
    let missed: Vec<&str> = plan.levels.missed_nodes().map(|n| n.id.as_str()).collect();
    why_nodes_late_with(project, &missed, Some(&plan.schedule))
}

/// [`why_nodes_late`], naming for a node that waits for crews the crew
/// types the work into its last-reached member waited for in `sched`.
pub fn why_nodes_late_with(
    project: &Project,
    missed: &[&str],
    sched: Option<&crate::schedule::Schedule>,
) -> Vec<NodeLateReason> {
    let p = &project.model.problem;
    let Some(fw) = forward(p) else {
        return Vec::new();
    };
    let inn = p.in_links();
    missed
        .iter()
        .filter_map(|&id| {
            let g = p
                .groups
                .iter()
                .find(|g| g.level == crate::schedule::Level::Node && g.name == id)?;
            let due = project.calendar.date(g.due.max(1) - 1);
            let latest = g
                .members
                .iter()
                .copied()
                .max_by_key(|&a| fw.ef[a].map_or(Day::MAX, |e| e))?;
            let (cause, shortages) = match fw.ef[latest] {
                Some(e) if e <= g.due => {
                    // The work the node follows: its members and their
                    // predecessors.
                    let mut cone = vec![false; p.activities.len()];
                    let mut stack = g.members.clone();
                    while let Some(a) = stack.pop() {
                        if !std::mem::replace(&mut cone[a], true) {
                            stack.extend(inn[a].iter().map(|&l| p.links[l].from));
                        }
                    }
                    let earliest = g
                        .members
                        .iter()
                        .filter_map(|&a| fw.ef[a])
                        .max()
                        .unwrap_or(e);
                    // In the plan, the member reached last, and the crews
                    // the work into it waited for.
                    let waited = sched.map_or_else(Vec::new, |s| {
                        let last = g.members.iter().copied().max_by_key(|&a| {
                            p.end(a, s.modes[a], s.starts[a]).unwrap_or(s.starts[a])
                        });
                        last.map_or_else(Vec::new, |a| crew_waits(project, s, a))
                    });
                    (
                        LateCause::Crews {
                            earliest_finish: project.calendar.date(earliest.max(1) - 1),
                            waited,
                        },
                        shortages_among(project, g.due, &|a| cone[a]),
                    )
                }
                _ => {
                    let c = chain_to(project, &fw, latest);
                    (
                        LateCause::Chain {
                            earliest_finish: c.earliest_finish,
                            chain: c.steps.iter().map(|s| s.id.clone()).collect(),
                            idle_days: c.total.idle_days(),
                            output_lost_days: c.total.slowed_days(),
                        },
                        Vec::new(),
                    )
                }
            };
            Some(NodeLateReason {
                node: id.to_string(),
                due,
                cause,
                shortages,
            })
        })
        .collect()
}

/// The time nodes that even unlimited crews cannot reach by their due date
/// (the critical-path method with the calendars, from the window start),
/// each with the chain that holds it; what `check` warns about.
pub fn unreachable_nodes(project: &Project) -> Vec<NodeLateReason> {
    let ids: Vec<&str> = project
        .model
        .problem
        .groups
        .iter()
        .filter(|g| g.level == crate::schedule::Level::Node)
        .map(|g| g.name.as_str())
        .collect();
    let mut r = why_nodes_late(project, &ids);
    r.retain(|r| r.cause_is_chain());
    r
}

/// Work of one crew type that only some contractors may do.
struct CrewWork {
    allowed: BTreeSet<usize>,
    crew_days: f64,
    release: Day,
    calendar_days: bool,
    district: Option<String>,
}

/// Crew shortages before `limit` proven by the cut argument.
pub fn shortages(project: &Project, limit: Day) -> Vec<Shortage> {
    shortages_among(project, limit, &|_| true)
}

/// [`shortages`] for the work of the activities `among` accepts only (e.g.
/// the work a time node follows, all of which must end by its due day).
pub fn shortages_among(
    project: &Project,
    limit: Day,
    among: &dyn Fn(ActId) -> bool,
) -> Vec<Shortage> {
    let s = &project.programme;
    let cal = &project.calendar;
    let p = &project.model.problem;
    let mut by_crew: BTreeMap<&str, Vec<CrewWork>> = BTreeMap::new();
    for (a, it) in project.work.items.iter().enumerate() {
        if !among(a) {
            continue;
        }
        let Some(crew) = it.crew_type.as_deref() else {
            continue;
        };
        let allowed: BTreeSet<usize> = it.contractors.iter().map(|c| c.index()).collect();
        if allowed.is_empty() {
            continue;
        }
        let best = allowed
            .iter()
            .map(|&c| s.contractors[c].productivity(crew))
            .fold(0.0, f64::max);
        by_crew.entry(crew).or_default().push(CrewWork {
            allowed,
            crew_days: if best > 0.0 { it.work / best } else { it.work },
            release: p.activities[a].release,
            calendar_days: it.calendar_days,
            district: it.district.map(|d| s[d].id.clone()),
        });
    }
    let crews_of = |c: usize, crew: &str| -> u32 { s.contractors[c].crews_of(crew) };
    let mut out = Vec::new();
    for (crew, work) in &by_crew {
        let mut shortfalls: Vec<(BTreeSet<usize>, Shortage)> = Vec::new();
        // Work allowed the same contractors is inside a set or not
        // together: each distinct set of contractors is tested once.
        let mut kinds: BTreeMap<&BTreeSet<usize>, Vec<usize>> = BTreeMap::new();
        for (i, w) in work.iter().enumerate() {
            kinds.entry(&w.allowed).or_default().push(i);
        }
        for set in candidate_sets(work) {
            let mut members: Vec<usize> = kinds
                .iter()
                .filter(|(allowed, _)| allowed.is_subset(&set))
                .flat_map(|(_, m)| m.iter().copied())
                .collect();
            // In the work's order, so the sums are the same as one pass.
            members.sort_unstable();
            let inside: Vec<&CrewWork> = members.iter().map(|&i| &work[i]).collect();
            if inside.is_empty() {
                continue;
            }
            let jobs: Vec<(Day, f64)> = inside.iter().map(|w| (w.release, w.crew_days)).collect();
            let Some(all) = backlog(&jobs).first().copied() else {
                continue;
            };
            let (from, demanded) = (all.from, all.work);
            let every_day = inside.iter().any(|w| w.calendar_days);
            let days = (from..limit.min(cal.horizon()))
                .filter(|&d| every_day || cal.is_working_day(d))
                .count() as u32;
            let crews: u32 = set.iter().map(|&c| crews_of(c, crew)).sum();
            let available = crews as f64 * days as f64;
            if demanded <= available + EPS {
                continue;
            }
            // Keep only the smallest violated sets.
            if shortfalls.iter().any(|(c, _)| c.is_subset(&set)) {
                continue;
            }
            let districts: BTreeSet<String> =
                inside.iter().filter_map(|w| w.district.clone()).collect();
            shortfalls.push((
                set.clone(),
                Shortage {
                    crew: crew.to_string(),
                    contractors: set.iter().map(|&c| s.contractors[c].id.clone()).collect(),
                    districts: districts.into_iter().collect(),
                    crews,
                    days,
                    from: cal.date(from),
                    to: cal.date(limit.max(1) - 1),
                    demanded,
                    available,
                },
            ));
        }
        out.extend(shortfalls.into_iter().map(|(_, sh)| sh));
    }
    out
}

/// The contractor sets to test for one crew type, smallest first.
fn candidate_sets(work: &[CrewWork]) -> Vec<BTreeSet<usize>> {
    let all: BTreeSet<usize> = work
        .iter()
        .flat_map(|w| w.allowed.iter().copied())
        .collect();
    let ids: Vec<usize> = all.iter().copied().collect();
    let mut sets: Vec<BTreeSet<usize>> = if ids.len() <= MAX_SUBSET_CONTRACTORS {
        (1u32..(1 << ids.len()))
            .map(|mask| {
                ids.iter()
                    .enumerate()
                    .filter(|(i, _)| mask & (1 << i) != 0)
                    .map(|(_, &c)| c)
                    .collect()
            })
            .collect()
    } else {
        let mut v: Vec<BTreeSet<usize>> = ids.iter().map(|&c| BTreeSet::from([c])).collect();
        v.extend(work.iter().map(|w| w.allowed.clone()));
        // Groups of work sharing contractors: merge allowed sets that meet.
        let mut groups: Vec<BTreeSet<usize>> = Vec::new();
        for w in work {
            let mut merged = w.allowed.clone();
            groups.retain(|g| {
                if g.is_disjoint(&merged) {
                    true
                } else {
                    merged.extend(g.iter().copied());
                    false
                }
            });
            groups.push(merged);
        }
        v.extend(groups);
        v.push(all);
        v.sort();
        v.dedup();
        v
    };
    sets.sort_by_key(|s| s.len());
    sets
}

impl fmt::Display for Explanation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(c) = &self.chain {
            match (&c.station, c.earliest_finish) {
                (Some(st), Some(d)) => writeln!(
                    f,
                    "even with unlimited crews, station {st} cannot be heat-ready before {d} (last day allowed {}): this chain of work is too long:",
                    self.last_day
                )?,
                (None, Some(d)) => writeln!(
                    f,
                    "even with unlimited crews, `{}` cannot end before {d} (last day allowed {}): this chain of work is too long:",
                    c.target, self.last_day
                )?,
                (_, None) => writeln!(
                    f,
                    "even with unlimited crews, `{}` cannot be fitted on the calendar at all (last day allowed {}): this chain of work leads to it:",
                    c.target, self.last_day
                )?,
            }
            for s in &c.steps {
                let finish = s
                    .finish
                    .map_or_else(|| "(does not fit)".to_string(), |d| d.to_string());
                let by = if s.contractor.is_empty() {
                    String::new()
                } else {
                    format!(" [{}]", s.contractor)
                };
                writeln!(f, "  {:<28} {} – {finish}{by}: {}", s.id, s.start, s.lost)?;
            }
            writeln!(
                f,
                "  on this chain the calendar costs {} idle days and {:.1} days of output ({})",
                c.total.idle_days(),
                c.total.slowed_days(),
                c.total
            )?;
            writeln!(
                f,
                "  help: shorten this chain (more productive crews, make-up days, fewer bans on its tags) or move the deadline"
            )?;
        }
        if !self.shortages.is_empty() {
            writeln!(
                f,
                "the crews given cannot deliver this work by {} (crew-days demanded > crews × working days):",
                self.last_day
            )?;
            for s in &self.shortages {
                let districts = if s.districts.is_empty() {
                    String::new()
                } else {
                    format!(" in {}", s.districts.join(", "))
                };
                writeln!(
                    f,
                    "  {} crews of {}{districts}: {:.1} crew-days demanded, {:.0} available ({} crews × {} working days, {} – {})",
                    s.crew,
                    s.contractors.join(" + "),
                    s.demanded,
                    s.available,
                    s.crews,
                    s.days,
                    s.from,
                    s.to
                )?;
            }
            writeln!(
                f,
                "  help: add crews of these types, allow more contractors in these districts, or move the deadline"
            )?;
        }
        if !self.proves_infeasible() {
            writeln!(
                f,
                "no single chain or crew type is short by {}; the limit may lie in the trench limits or in how crews must be shared, or the search needs more time (try --time-limit)",
                self.last_day
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
